/* Redaction for the support bundle: known secrets and secret-shaped text. */
#include "config.h"

#include <sys/stat.h>
#include <sys/utsname.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <jansson.h>
#include <libssh2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <yaml.h>

#include "answers-resolve.h"
#include "bundle.h"
#include "check.h"
#include "i18n.h"
#include "journal.h"
#include "log.h"
#include "preflight.h"
#include "render.h"
#include "run-flags.h"
#include "secret-forms.h"
#include "storage-url.h"
#include "support.h"
#include "util.h"
#include "verify.h"
#include "xmalloc.h"

/* Names after which a 40-character AWS secret key is looked for. */
static const char *const secret_key_names[] = {
	"secret_access_key", "secretaccesskey", "secret-access-key",
	"secret_key", "secretkey", "secret-key", NULL
};

#define AWS_ACCESS_KEY_LEN	20
#define AWS_SECRET_KEY_LEN	40

void
redactor_init(struct redactor *r)
{
	memset(r, 0, sizeof *r);
}

void
redactor_free(struct redactor *r)
{
	size_t i;

	for (i = 0; i < r->nsecrets; i++) {
		xfree_secret(r->secrets[i].value);
		free(r->secrets[i].rule);
	}
	for (i = 0; i < r->nhits; i++) {
		free(r->hits[i].file);
		free(r->hits[i].rule);
	}
	free(r->secrets);
	free(r->hits);
	redactor_init(r);
}

/* Insert, longest first, so that a secret holding another goes first. */
static void
add_one(struct redactor *r, const char *value, const char *rule)
{
	size_t i, len = strlen(value);

	if (len < SUPPORT_SECRET_MIN)
		return;
	for (i = 0; i < r->nsecrets; i++)
		if (strcmp(r->secrets[i].value, value) == 0)
			return;
	r->secrets = xreallocarray(r->secrets, r->nsecrets + 1,
	    sizeof *r->secrets);
	for (i = r->nsecrets; i > 0 &&
	    strlen(r->secrets[i - 1].value) < len; i--)
		r->secrets[i] = r->secrets[i - 1];
	r->secrets[i].value = xstrdup(value);
	r->secrets[i].rule = xstrdup(rule);
	r->nsecrets++;
}

struct add_arg {
	struct redactor *r;
	const char *rule;
};

static void
add_form(const char *form, void *arg)
{
	struct add_arg *a = arg;

	add_one(a->r, form, a->rule);
}

void
redactor_add(struct redactor *r, const char *value, const char *rule)
{
	struct add_arg a = { r, rule };

	secret_forms(value, add_form, &a);
}

static void
list_add(char **list, const char *item)
{
	char *s;

	if (*list == NULL) {
		*list = xstrdup(item);
		return;
	}
	s = xprintf("%s, %s", *list, item);
	free(*list);
	*list = s;
}

size_t
redactor_add_answers(struct redactor *r, const struct answers *a,
    char **unresolved)
{
	struct storage_conf sc;
	char *v, *cause = NULL, *rule;
	size_t i, n = 0;

	*unresolved = NULL;
	for (i = 0; i < answers_table_size; i++) {
		const struct answers_key *k = &answers_table[i];

		if (k->type != AT_SECRET || strchr(k->key, '[') != NULL ||
		    !answers_is_set(a, k->key))
			continue;
		if ((v = answers_resolve(a, k->key, &cause)) == NULL) {
			list_add(unresolved, k->key);
			free(cause);
			cause = NULL;
			continue;
		}
		if (strcmp(k->key, "license.value") == 0)
			rule = xstrdup(RULE_LICENSE);
		else
			rule = xprintf(RULE_SECRET_PREFIX "%s", k->key);
		redactor_add(r, v, rule);
		free(rule);
		xfree_secret(v);
		n++;
	}
	/* The keys inside storage.url, decoded. */
	if (answers_is_set(a, "storage.url") &&
	    storage_conf_resolve(a, &sc, &cause) == 0) {
		if (sc.access_key != NULL)
			redactor_add(r, sc.access_key,
			    RULE_SECRET_PREFIX "storage.url");
		if (sc.secret_key != NULL)
			redactor_add(r, sc.secret_key,
			    RULE_SECRET_PREFIX "storage.url");
		storage_conf_free(&sc);
	} else
		free(cause);
	return n;
}

static void
hit_add(struct redactor *r, const char *file, unsigned line,
    const char *rule)
{
	size_t i;

	/* One hit per file, line and rule. */
	for (i = r->nhits; i > 0; i--) {
		struct redact_hit *h = &r->hits[i - 1];

		if (h->line != line || strcmp(h->file, file) != 0)
			break;
		if (strcmp(h->rule, rule) == 0)
			return;
	}
	r->hits = xreallocarray(r->hits, r->nhits + 1, sizeof *r->hits);
	r->hits[r->nhits].file = xstrdup(file);
	r->hits[r->nhits].line = line;
	r->hits[r->nhits].rule = xstrdup(rule);
	r->nhits++;
}

/* Replace bytes [from, to) of *s with the mask; returns the index just
 * after the mask. */
static size_t
mask(char **s, size_t from, size_t to)
{
	size_t len = strlen(*s), mlen = strlen(SUPPORT_MASK);
	char *n = xmalloc(len - (to - from) + mlen + 1);

	memcpy(n, *s, from);
	memcpy(n + from, SUPPORT_MASK, mlen);
	memcpy(n + from + mlen, *s + to, len - to + 1);
	xfree_secret(*s);
	*s = n;
	return from + mlen;
}

/* The line of byte AT of TEXT, counting from LINE0 at FROM. */
static unsigned
line_of(const char *text, size_t from, size_t at, unsigned line0)
{
	const char *p = text + from, *end = text + at;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line0++;
		p++;
	}
	return line0;
}

/*
 * The known secrets, over the whole text (a form may span lines, and a
 * NUL does not end the search): each is replaced by the mask and
 * recorded on the line where it starts.  Returns the new text.
 */
static char *
secrets_pass(struct redactor *r, const char *file, const char *text,
    size_t len, size_t *outlen)
{
	struct render_buf out = { NULL, 0, 0 };
	char *cur = xmalloc(len + 1);
	const char *hit;
	size_t i, at, vlen, seen, mlen = strlen(SUPPORT_MASK);
	unsigned no;

	memcpy(cur, text, len);
	cur[len] = '\0';
	for (i = 0; i < r->nsecrets; i++) {
		const char *v = r->secrets[i].value;

		vlen = strlen(v);
		at = 0;
		seen = 0;
		no = 1;
		out.len = 0;
		render_buf_add(&out, "", 0);
		while ((hit = memmem(cur + at, len - at, v, vlen)) != NULL) {
			no = line_of(cur, seen, (size_t)(hit - cur), no);
			seen = (size_t)(hit - cur);
			hit_add(r, file, no, r->secrets[i].rule);
			render_buf_add(&out, cur + at, (size_t)(hit - cur) - at);
			render_buf_add(&out, SUPPORT_MASK, mlen);
			at = (size_t)(hit - cur) + vlen;
		}
		if (at == 0)
			continue;
		render_buf_add(&out, cur + at, len - at);
		xfree_secret(cur);
		cur = out.data;
		len = out.len;
		out.data = NULL;
		out.size = 0;
	}
	xfree_secret(out.data);
	*outlen = len;
	return cur;
}

/* scheme://user:PASSWORD@host */
static void
url_pass(struct redactor *r, char **line, const char *file, unsigned no)
{
	size_t at = 0, colon, end, k;
	char *p, *s;

	while ((p = strstr(*line + at, "://")) != NULL) {
		s = *line;
		k = (p - s) + 3;
		at = k;
		colon = 0;
		end = 0;
		for (; s[k] != '\0' && strchr("/?# \t\"'<>", s[k]) == NULL;
		    k++) {
			if (s[k] == ':' && colon == 0)
				colon = k;
			else if (s[k] == '@')
				end = k;
		}
		if (colon == 0 || end <= colon + 1)
			continue;
		if ((size_t)(end - colon - 1) == strlen(SUPPORT_MASK) &&
		    strncmp(s + colon + 1, SUPPORT_MASK, end - colon - 1) == 0)
			continue;
		at = mask(line, colon + 1, end);
		hit_add(r, file, no, RULE_URL_PASSWORD);
	}
}

static int
is_key_char(int c)
{
	return isalnum((unsigned char)c);
}

static int
is_b64_char(int c)
{
	return isalnum((unsigned char)c) || c == '/' || c == '+' || c == '=';
}

/* AKIA... / ASIA...: 20 characters, A-Z and 0-9, as one word. */
static void
access_key_pass(struct redactor *r, char **line, const char *file,
    unsigned no)
{
	size_t i, k;
	char *s;

	for (i = 0; (*line)[i] != '\0'; i++) {
		s = *line;
		if ((strncmp(s + i, "AKIA", 4) != 0 &&
		    strncmp(s + i, "ASIA", 4) != 0) ||
		    (i > 0 && is_key_char(s[i - 1])))
			continue;
		for (k = i + 4; k < i + AWS_ACCESS_KEY_LEN; k++)
			if (!isupper((unsigned char)s[k]) &&
			    !isdigit((unsigned char)s[k]))
				break;
		if (k != i + AWS_ACCESS_KEY_LEN || is_key_char(s[k]))
			continue;
		i = mask(line, i, k) - 1;
		hit_add(r, file, no, RULE_AWS_ACCESS_KEY);
	}
}

/* A 40-character base64-ish word after a secret key's name and : or =. */
static void
secret_key_pass(struct redactor *r, char **line, const char *file,
    unsigned no)
{
	size_t i, n, k, start;
	char *s;
	int sep;

	for (i = 0; (*line)[i] != '\0'; i++) {
		for (n = 0; secret_key_names[n] != NULL; n++)
			if (strncasecmp(*line + i, secret_key_names[n],
			    strlen(secret_key_names[n])) == 0)
				break;
		if (secret_key_names[n] == NULL)
			continue;
		s = *line;
		k = i + strlen(secret_key_names[n]);
		sep = 0;
		while (s[k] != '\0' && strchr(" \t\"':=", s[k]) != NULL) {
			sep |= s[k] == ':' || s[k] == '=';
			k++;
		}
		start = k;
		while (is_b64_char(s[k]))
			k++;
		if (!sep || k - start != AWS_SECRET_KEY_LEN)
			continue;
		i = mask(line, start, k) - 1;
		hit_add(r, file, no, RULE_AWS_SECRET_KEY);
	}
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct redact_hit *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The hits of one file from FIRST on: by line (in the order found within
 * a line), each rule once a line. */
static void
hits_order(struct redactor *r, size_t first)
{
	size_t i, j, k, n = r->nhits - first;
	struct redact_hit *v;

	if (n == 0)
		return;
	v = r->hits + first;
	for (i = 0; i < n; i++)
		v[i].order = i;
	qsort(v, n, sizeof *v, hit_cmp);
	for (i = 0, k = 0; i < n; i++) {
		for (j = k; j > 0 && v[j - 1].line == v[i].line; j--)
			if (strcmp(v[j - 1].rule, v[i].rule) == 0)
				break;
		if (j > 0 && v[j - 1].line == v[i].line) {
			free(v[i].file);
			free(v[i].rule);
			continue;
		}
		v[k++] = v[i];
	}
	r->nhits = first + k;
}

char *
redactor_apply(struct redactor *r, const char *file, const char *text,
    size_t len, size_t *outlen)
{
	struct render_buf out = { NULL, 0, 0 };
	const char *p, *end, *nl;
	unsigned no = 0;
	char *line, *known;
	size_t first = r->nhits;

	known = secrets_pass(r, file, text, len, &len);
	render_buf_add(&out, "", 0);
	for (p = known, end = known + len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		no++;
		line = xstrndup(p, (size_t)(nl - p));
		/* A NUL inside the line ends it for the patterns: keep the
		 * rest out rather than unredacted. */
		url_pass(r, &line, file, no);
		access_key_pass(r, &line, file, no);
		secret_key_pass(r, &line, file, no);
		render_buf_add(&out, line, strlen(line));
		if (nl < end)
			render_buf_add(&out, "\n", 1);
		xfree_secret(line);
	}
	xfree_secret(known);
	hits_order(r, first);
	*outlen = out.len;
	return out.data;
}

char *
redactor_report(const struct redactor *r)
{
	struct render_buf out = { NULL, 0, 0 };
	char *line;
	size_t i;

	render_buf_add(&out, "", 0);
	for (i = 0; i < r->nhits; i++) {
		line = xprintf("%s:%u: %s\n", r->hits[i].file,
		    r->hits[i].line, r->hits[i].rule);
		render_buf_add(&out, line, strlen(line));
		free(line);
	}
	return out.data;
}

/* Collecting. */

#define SUPPORT_FILE_MAX	(64 * 1024 * 1024)
#define SUPPORT_CMD_MS		60000
#define SUPPORT_LOG_TAIL	"2000"

struct sfile {
	char *path;
	char *data;
	size_t len;
};

struct collect {
	const struct support_opts *o;
	const struct answers *a;
	struct sfile *v;
	size_t n;
	struct render_buf summary;
	size_t failed;
};

static void
put(struct collect *c, const char *path, char *data, size_t len)
{
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	c->v[c->n].path = xstrdup(path);
	c->v[c->n].data = data;
	c->v[c->n].len = len;
	c->n++;
}

static void note(struct collect *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* The checks as JSON into NAME; L is emptied. */
static void
put_checks(struct collect *c, const char *name, struct check_list *l)
{
	char *json = checks_json(l);

	put(c, name, json, strlen(json));
	note(c, 0, "%s: %zu checks, %zu failed", name, l->n,
	    checks_count(l, CHECK_FAIL));
	checks_free(l);
}

static void
note(struct collect *c, int failed, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	render_buf_add(&c->summary, failed ? "FAILED: " : "", failed ? 8 : 0);
	render_buf_add(&c->summary, s, strlen(s));
	render_buf_add(&c->summary, "\n", 1);
	if (c->o->progress != NULL)
		fprintf(c->o->progress, "  %s%s\n", failed ? "✘ " : "", s);
	c->failed += failed != 0;
	free(s);
}

/*
 * answers.yaml as collected: the file's own text, comments and all, with
 * each secret's value replaced where it is written (the scalar under a
 * "value" key of a reference, and a bare scalar under a secret key), so
 * that no escaping or line breaks of it matter.  NULL when the text does
 * not parse (then only the redactor covers it).
 */
#define ANSWERS_DEPTH_MAX	64

struct apath {
	int map;		/* a mapping (else a sequence) */
	int want_key;		/* the next scalar is a key */
	char *key;		/* the key whose value is next */
};

static int
secret_path(struct apath *st, size_t depth)
{
	struct render_buf b = { NULL, 0, 0 };
	size_t i;
	int hit = 0;

	if (depth >= 2 && st[depth - 1].map && st[depth - 1].key != NULL &&
	    strcmp(st[depth - 1].key, "value") == 0)
		return 1;
	render_buf_add(&b, "", 0);
	for (i = 1; i < depth; i++) {
		if (!st[i].map) {
			render_buf_add(&b, "[]", 2);
			continue;
		}
		if (st[i].key == NULL)
			break;
		if (b.len != 0)
			render_buf_add(&b, ".", 1);
		render_buf_add(&b, st[i].key, strlen(st[i].key));
	}
	for (i = 0; i < answers_table_size; i++)
		if (answers_table[i].type == AT_SECRET &&
		    strcmp(answers_table[i].key, b.data) == 0)
			hit = 1;
	free(b.data);
	return hit;
}

/* libyaml's marks count characters: the byte offset of character N. */
static size_t
byte_at(const char *text, size_t len, size_t n)
{
	size_t i = 0;

	for (; n > 0 && i < len; n--) {
		i++;
		while (i < len && ((unsigned char)text[i] & 0xc0) == 0x80)
			i++;
	}
	return i;
}

static char *
answers_masked(const char *text, size_t len, size_t *outlen)
{
	struct apath st[ANSWERS_DEPTH_MAX + 1];
	struct render_buf out = { NULL, 0, 0 };
	yaml_parser_t p;
	yaml_event_t ev;
	size_t depth = 0, at = 0, from, to, i;
	int done = 0, ok = 1, value;

	memset(st, 0, sizeof st);
	st[0].map = 0;
	if (!yaml_parser_initialize(&p))
		return NULL;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	render_buf_add(&out, "", 0);
	while (!done && ok) {
		if (!yaml_parser_parse(&p, &ev)) {
			ok = 0;
			break;
		}
		value = depth > 0 && st[depth].map && !st[depth].want_key;
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
			if (depth > 0 && st[depth].map && st[depth].want_key) {
				free(st[depth].key);
				st[depth].key = xstrdup((char *)
				    ev.data.scalar.value);
				st[depth].want_key = 0;
				break;
			}
			if (secret_path(st, depth + 1)) {
				from = byte_at(text, len, ev.start_mark.index);
				to = byte_at(text, len, ev.end_mark.index);
				if (from < at || to < from || to > len) {
					ok = 0;
					break;
				}
				render_buf_add(&out, text + at, from - at);
				render_buf_add(&out, "'" SUPPORT_MASK "'",
				    strlen(SUPPORT_MASK) + 2);
				/* A block scalar's span takes its last line
				 * break. */
				if (to > from && text[to - 1] == '\n')
					render_buf_add(&out, "\n", 1);
				at = to;
			}
			if (value)
				st[depth].want_key = 1;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == ANSWERS_DEPTH_MAX) {
				ok = 0;
				break;
			}
			depth++;
			st[depth].map = ev.type == YAML_MAPPING_START_EVENT;
			st[depth].want_key = st[depth].map;
			st[depth].key = NULL;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			free(st[depth].key);
			st[depth].key = NULL;
			depth--;
			if (depth > 0 && st[depth].map)
				st[depth].want_key = 1;
			break;
		case YAML_ALIAS_EVENT:
			if (value)
				st[depth].want_key = 1;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	for (i = 0; i <= ANSWERS_DEPTH_MAX; i++)
		free(st[i].key);
	if (!ok) {
		xfree_secret(out.data);
		return NULL;
	}
	render_buf_add(&out, text + at, len - at);
	*outlen = out.len;
	return out.data;
}

static void
collect_answers(struct collect *c)
{
	char *data, *masked, *cause = NULL;
	size_t len, mlen;

	if ((data = read_file(c->o->answers_path, SUPPORT_FILE_MAX, &len,
	    &cause)) == NULL) {
		note(c, 1, "answers.yaml: %s", cause);
		free(cause);
		return;
	}
	if ((masked = answers_masked(data, len, &mlen)) != NULL) {
		xfree_secret(data);
		data = masked;
		len = mlen;
	}
	put(c, "answers.yaml", data, len);
	note(c, 0, "answers.yaml: %zu bytes%s", len, masked != NULL ?
	    ", secret values masked where they are written" : "");
}

/* A file of this machine into the archive as NAME. */
static void
collect_file(struct collect *c, const char *file, const char *name)
{
	char *data, *cause = NULL;
	size_t len;

	if ((data = read_file(file, SUPPORT_FILE_MAX, &len, &cause)) == NULL) {
		note(c, 1, "%s: %s", name, cause);
		free(cause);
		return;
	}
	put(c, name, data, len);
	note(c, 0, "%s: %zu bytes", name, len);
}

static void
collect_state(struct collect *c)
{
	char *dir = journal_dir_for(c->o->answers_path), *path, *name;
	struct dirent *de;
	struct stat sb;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		note(c, 0, "state: no %s directory (nothing installed from "
		    "here yet)", JOURNAL_DIR);
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		/* The journal key would undo the keyed digests' point. */
		if (de->d_name[0] == '.' || strcmp(de->d_name, "lock") == 0 ||
		    strcmp(de->d_name, JOURNAL_KEY) == 0)
			continue;
		path = xprintf("%s/%s", dir, de->d_name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			name = xprintf("state/%s", de->d_name);
			collect_file(c, path, name);
			free(name);
		}
		free(path);
	}
	closedir(d);
	free(dir);
}

static void
collect_rendered(struct collect *c)
{
	struct render_set set = { NULL, 0 };
	char *cause = NULL, *name;
	size_t i;

	/* As shown: no secret's bytes in them at all. */
	if (bundle_render(c->a, 1, &set, &cause) != 0) {
		note(c, 1, "rendered: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < set.n; i++) {
		name = xprintf("rendered/%s", set.v[i].path);
		put(c, name, xstrndup(set.v[i].data, set.v[i].len),
		    set.v[i].len);
		free(name);
	}
	note(c, 0, "rendered: %zu files", set.n);
	render_set_free(&set);
}

static void
collect_checks(struct collect *c)
{
	struct run_flags f;
	struct preflight_opts po;
	struct verify_opts vo;
	struct check_list l = { NULL, 0 };
	size_t i;
	int wst;

	/* A support bundle changes nothing (no probe Pod) and runs no
	 * benchmark, no wandb verify. */
	memset(&f, 0, sizeof f);
	f.no_probe = f.no_disk_bench = f.no_wandb = 1;
	preflight_opts_from_flags(NULL, &f, &po);
	for (i = 0; preflight_families[i] != NULL; i++)
		preflight_families[i]->run(c->a, &po, &l);
	put_checks(c, "checks/preflight.json", &l);
	verify_opts_from_flags(&f, NULL, &vo);
	verify_run(c->a, &vo, &l, &wst);
	put_checks(c, "checks/verify.json", &l);
}

static void
collect_versions(struct collect *c)
{
	struct utsname u;
	char *s;

	if (uname(&u) != 0)
		memset(&u, 0, sizeof u);
	s = xprintf("wbinstall %s\nlibcurl %s\nlibarchive %s\nlibyaml %s\n"
	    "jansson %s\n%s\nssh2 %s\n%s %s %s %s\n", PACKAGE_VERSION,
	    curl_version(), archive_version_details(),
	    yaml_get_version_string(), JANSSON_VERSION,
	    OpenSSL_version(OPENSSL_VERSION), LIBSSH2_VERSION, u.sysname,
	    u.release, u.version, u.machine);
	put(c, "versions/wbinstall.txt", s, strlen(s));
	note(c, 0, "versions/wbinstall.txt");
}

/* Run ARGV where kubectl runs; its output (and stderr, and the exit
 * status when not 0) into NAME.  Returns the stdout when it exited 0. */
static char *
collect_cmd(struct collect *c, const char *const *argv, const char *name)
{
	struct run_result res;
	char *cause = NULL, *line = runner_format(argv), *data, *ok = NULL;

	if (runner_run(c->o->run, argv, NULL, 0, NULL, SUPPORT_CMD_MS, &res,
	    &cause) != 0) {
		data = xprintf("$ %s\n%s\n", line, cause);
		put(c, name, data, strlen(data));
		note(c, 1, "%s: %s", name, cause);
		free(cause);
		free(line);
		return NULL;
	}
	if (res.status == 0) {
		data = xprintf("%s%s", res.out, res.err);
		ok = xstrdup(res.out);
		note(c, 0, "%s: `%s`", name, line);
	} else {
		data = xprintf("$ %s\nexit status %d\n%s%s", line, res.status,
		    res.out, res.err);
		note(c, 1, "%s: `%s` exited with status %d", name, line,
		    res.status);
	}
	put(c, name, data, strlen(data));
	run_result_free(&res);
	free(line);
	return ok;
}

/* The names of the pods in `kubectl get pods -o json`. */
static char **
pod_names(const char *json, size_t *n)
{
	json_error_t err;
	json_t *root, *items, *it;
	const char *name;
	char **v = NULL;
	size_t i;

	*n = 0;
	if ((root = json_loads(json, 0, &err)) == NULL)
		return NULL;
	items = json_object_get(root, "items");
	json_array_foreach(items, i, it) {
		name = json_string_value(json_object_get(json_object_get(it,
		    "metadata"), "name"));
		if (name == NULL)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(name);
	}
	json_decref(root);
	return v;
}

static void
collect_cluster(struct collect *c)
{
	const char *ns = answers_get(c->a, "kubernetes.namespace");
	const char *helm_version[] = { "helm", "version", NULL };
	const char *kube_version[] = { "kubectl", "version", "-o", "json",
		NULL };
	const char *helm_list[] = { "helm", "list", "--namespace", ns, "-o",
		"json", NULL };
	const char *get_all[] = { "kubectl", "get", "all", "--namespace", ns,
		"-o", "wide", NULL };
	const char *get_wandb[] = { "kubectl", "get", "weightsandbiases",
		"--namespace", ns, "-o", "yaml", NULL };
	const char *events[] = { "kubectl", "get", "events", "--namespace",
		ns, "--sort-by=.lastTimestamp", NULL };
	const char *describe[] = { "kubectl", "describe", "pods",
		"--namespace", ns, NULL };
	const char *get_pods[] = { "kubectl", "get", "pods", "--namespace",
		ns, "-o", "json", NULL };
	const char *logs[] = { "kubectl", "logs", NULL, "--namespace", ns,
		"--all-containers", "--tail=" SUPPORT_LOG_TAIL, NULL };
	char *out, **pods, *name;
	size_t i, n;

	free(collect_cmd(c, helm_version, "versions/helm.txt"));
	free(collect_cmd(c, kube_version, "versions/kubectl.json"));
	free(collect_cmd(c, helm_list, "cluster/helm-list.json"));
	free(collect_cmd(c, get_all, "cluster/get-all.txt"));
	free(collect_cmd(c, get_wandb, "cluster/weightsandbiases.yaml"));
	free(collect_cmd(c, events, "cluster/events.txt"));
	free(collect_cmd(c, describe, "cluster/describe-pods.txt"));
	if ((out = collect_cmd(c, get_pods, "cluster/pods.json")) == NULL)
		return;
	pods = pod_names(out, &n);
	free(out);
	for (i = 0; i < n; i++) {
		logs[2] = pods[i];
		name = xprintf("cluster/logs/%s.txt", pods[i]);
		free(collect_cmd(c, logs, name));
		free(name);
		free(pods[i]);
	}
	free(pods);
}

/* Writing. */

static int
archive_add(struct archive *ar, const char *top, const char *path,
    const char *data, size_t len, time_t now, char **cause)
{
	struct archive_entry *ae = archive_entry_new();
	char *name = xprintf("%s/%s", top, path);
	int rc = 0;

	archive_entry_set_pathname(ae, name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0600);
	archive_entry_set_size(ae, (la_int64_t)len);
	archive_entry_set_mtime(ae, now, 0);
	if (archive_write_header(ar, ae) != ARCHIVE_OK ||
	    (len > 0 && archive_write_data(ar, data, len) != (la_ssize_t)len)) {
		*cause = xprintf(_("%s: cannot write %s: %s"), "archive", name,
		    archive_error_string(ar));
		rc = -1;
	}
	archive_entry_free(ae);
	free(name);
	return rc;
}

static int
write_archive(const struct support_opts *o, const struct sfile *v, size_t n,
    char **cause)
{
	char *tmp = xprintf("%s.XXXXXX", o->out), top[64];
	struct archive *ar;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int fd, rc = -1;

	gmtime_r(&now, &tm);
	strftime(top, sizeof top, "wbinstall-support-%Y%m%dT%H%M%SZ", &tm);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xprintf(_("%s: cannot create: %s"), o->out,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	(void)fchmod(fd, 0600);
	ar = archive_write_new();
	archive_write_add_filter_gzip(ar);
	archive_write_set_format_pax_restricted(ar);
	if (archive_write_open_fd(ar, fd) != ARCHIVE_OK) {
		*cause = xprintf(_("%s: %s"), o->out, archive_error_string(ar));
		goto out;
	}
	for (i = 0; i < n; i++)
		if (archive_add(ar, top, v[i].path, v[i].data, v[i].len, now,
		    cause) != 0)
			goto out;
	if (archive_write_close(ar) != ARCHIVE_OK) {
		*cause = xprintf(_("%s: %s"), o->out, archive_error_string(ar));
		goto out;
	}
	if (fsync(fd) != 0 || rename(tmp, o->out) != 0) {
		*cause = xprintf(_("%s: cannot write: %s"), o->out,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	archive_write_free(ar);
	close(fd);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
support_bundle(const struct answers *a, const struct support_opts *o,
    struct support_stats *st, char **cause)
{
	struct collect c;
	struct redactor r;
	struct sfile *out;
	char *unresolved = NULL, *report, *when;
	size_t i, nsecrets;
	time_t now = time(NULL);
	int rc;

	memset(&c, 0, sizeof c);
	memset(st, 0, sizeof *st);
	c.o = o;
	c.a = a;
	redactor_init(&r);
	nsecrets = redactor_add_answers(&r, a, &unresolved);

	when = xprintf("wbinstall %s support bundle, %s", PACKAGE_VERSION,
	    ctime(&now));
	render_buf_add(&c.summary, when, strlen(when));
	free(when);
	if (unresolved != NULL) {
		note(&c, 1, "secrets: %s did not resolve here, so their "
		    "values could not be searched for; check the bundle before "
		    "you send it", unresolved);
		free(unresolved);
	}
	note(&c, 0, "secrets: %zu secret references searched for", nsecrets);
	collect_answers(&c);
	if (log_path() != NULL)
		collect_file(&c, log_path(), "wbinstall.log");
	collect_state(&c);
	collect_rendered(&c);
	collect_versions(&c);
	if (o->checks)
		collect_checks(&c);
	if (o->run != NULL)
		collect_cluster(&c);
	put(&c, "SUMMARY.txt", c.summary.data, c.summary.len);

	/* Redact every file, then add the report. */
	out = xcalloc(c.n + 1, sizeof *out);
	for (i = 0; i < c.n; i++) {
		out[i].path = c.v[i].path;
		out[i].data = redactor_apply(&r, c.v[i].path, c.v[i].data,
		    c.v[i].len, &out[i].len);
		xfree_secret(c.v[i].data);
	}
	report = redactor_report(&r);
	out[c.n].path = xstrdup(SUPPORT_REPORT);
	out[c.n].data = report;
	out[c.n].len = strlen(report);

	rc = write_archive(o, out, c.n + 1, cause);
	st->files = c.n + 1;
	st->redactions = r.nhits;
	st->failed = c.failed;
	for (i = 0; i <= c.n; i++) {
		free(out[i].path);
		free(out[i].data);
	}
	free(out);
	free(c.v);
	redactor_free(&r);
	return rc;
}
