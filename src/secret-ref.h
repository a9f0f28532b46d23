/*
 * A secret reference as written: {env: NAME}, {file: PATH} or
 * {value: "..."}.  Its own header because the answers model holds one per
 * secret key and secret.h reads them; neither needs the other for it.
 */
#ifndef WB_SECRET_REF_H
#define WB_SECRET_REF_H

enum secret_kind { SECRET_NONE, SECRET_ENV, SECRET_FILE, SECRET_VALUE };

struct secret_ref {
	enum secret_kind kind;
	char *arg;		/* variable name, path, or the value itself */
};

#endif
