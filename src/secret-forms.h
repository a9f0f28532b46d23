/*
 * The forms a secret may be written in, for the log and the support bundle
 * to redact.  Apart from secret.h: secret.c logs, and the log redacts.
 */
#ifndef WB_SECRET_FORMS_H
#define WB_SECRET_FORMS_H

/*
 * Call FN with each form VALUE may be written in: as is; escaped for SQL,
 * the shell, JSON and YAML; percent-encoded; base64, also from any byte of
 * a longer base64 text; and, for a form on several lines, each line.  A
 * form may come more than once; FN copies what it keeps (the forms are
 * zeroed after the call).
 */
void secret_forms(const char *value, void (*fn)(const char *form, void *arg),
    void *arg);

#endif
