/*
 * The manifests of two releases, object by object.  Where a workload's
 * pod spec is follows the Kubernetes API, as chart-render.c says.
 */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "i18n.h"
#include "manifest-diff.h"
#include "util.h"
#include "xmalloc.h"
#include "yaml-read.h"

#define MASK	"***"

struct mobj {
	char *id;		/* Kind/name */
	char *kind;
	yaml_document_t doc;
};

struct mset {
	struct mobj *v;
	size_t n;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A node as one canonical string (mappings by sorted keys); with
 * NOMETA, every "metadata" mapping left out (labels and annotations carry
 * the chart's version and checksums, which change with every release). */
static char *
canon_(yaml_document_t *d, yaml_node_t *n, int nometa)
{
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	char **parts, *out, *t, *k, *v;
	size_t np = 0, i;

	if (n == NULL)
		return xstrdup("~");
	if (n->type == YAML_SCALAR_NODE)
		return xprintf("'%s'", (char *)n->data.scalar.value);
	if (n->type == YAML_SEQUENCE_NODE) {
		out = xstrdup("[");
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++) {
			v = canon_(d, yd_node(d, *it), nometa);
			t = xprintf("%s%s,", out, v);
			free(v);
			free(out);
			out = t;
		}
		t = xprintf("%s]", out);
		free(out);
		return t;
	}
	parts = xcalloc((size_t)(n->data.mapping.pairs.top -
	    n->data.mapping.pairs.start) + 1, sizeof *parts);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = canon_(d, yd_node(d, p->key), 0);
		if (nometa && strcmp(k, "'metadata'") == 0) {
			free(k);
			continue;
		}
		v = canon_(d, yd_node(d, p->value), nometa);
		parts[np++] = xprintf("%s:%s", k, v);
		free(k);
		free(v);
	}
	qsort(parts, np, sizeof *parts, cmp_str);
	out = xstrdup("{");
	for (i = 0; i < np; i++) {
		t = xprintf("%s%s,", out, parts[i]);
		free(out);
		free(parts[i]);
		out = t;
	}
	free(parts);
	t = xprintf("%s}", out);
	free(out);
	return t;
}

static char *
canon(yaml_document_t *d, yaml_node_t *n)
{
	return canon_(d, n, 0);
}

static int
load(const char *text, size_t len, struct mset *s, char **cause)
{
	struct yd_stream ys;
	struct yd_error e;
	yaml_document_t d;
	yaml_node_t *root;
	const char *kind, *name;
	int rc;

	memset(s, 0, sizeof *s);
	if (yd_open(&ys, text, len, &e) != 0) {
		*cause = yd_error_text(&e, "manifests");
		return -1;
	}
	while ((rc = yd_next(&ys, &d, &e)) == 1) {
		root = yaml_document_get_root_node(&d);
		kind = yd_scalar(yd_get(&d, root, "kind"));
		name = yd_scalar(yd_get(&d, yd_get(&d, root, "metadata"), "name"));
		if (kind == NULL || name == NULL) {
			yaml_document_delete(&d);
			continue;
		}
		s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
		s->v[s->n].id = xprintf("%s/%s", kind, name);
		s->v[s->n].kind = xstrdup(kind);
		s->v[s->n].doc = d;
		s->n++;
	}
	yd_close(&ys);
	if (rc != 0) {
		*cause = yd_error_text(&e, "manifests");
		return -1;
	}
	return 0;
}

static void
unload(struct mset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].id);
		free(s->v[i].kind);
		yaml_document_delete(&s->v[i].doc);
	}
	free(s->v);
}

static struct mobj *
find(struct mset *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].id, id) == 0)
			return &s->v[i];
	return NULL;
}

static void
add(struct mdiff *m, const char *object, enum mdiff_change change,
    const char *what, const char *from, const char *to)
{
	struct mdiff_item *it;

	m->v = xreallocarray(m->v, m->n + 1, sizeof *m->v);
	it = &m->v[m->n++];
	it->object = xstrdup(object);
	it->change = change;
	it->what = what != NULL ? xstrdup(what) : NULL;
	it->from = from != NULL ? xstrdup(from) : NULL;
	it->to = to != NULL ? xstrdup(to) : NULL;
}

static int
secret_name(const char *name)
{
	static const char *const words[] = { "PASSWORD", "SECRET", "TOKEN",
	    "KEY", "LICENSE", "CREDENTIAL" };
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasestr(name, words[i]) != NULL)
			return 1;
	return 0;
}

/* An env var as shown: its value (masked when its name looks secret), or
 * where it comes from. */
static char *
env_text(yaml_document_t *d, yaml_node_t *e, const char *name)
{
	yaml_node_t *from, *ref;
	const char *v = yd_scalar(yd_get(d, e, "value"));

	if (v != NULL)
		return xstrdup(secret_name(name) ? MASK : v);
	from = yd_get(d, e, "valueFrom");
	if ((ref = yd_get(d, from, "secretKeyRef")) != NULL)
		return xprintf("secret %s/%s", yd_scalar(yd_get(d, ref, "name")) ?
		    yd_scalar(yd_get(d, ref, "name")) : "?", yd_scalar(yd_get(d, ref,
		    "key")) ? yd_scalar(yd_get(d, ref, "key")) : "?");
	if ((ref = yd_get(d, from, "configMapKeyRef")) != NULL)
		return xprintf("configmap %s/%s", yd_scalar(yd_get(d, ref, "name")) ?
		    yd_scalar(yd_get(d, ref, "name")) : "?", yd_scalar(yd_get(d, ref,
		    "key")) ? yd_scalar(yd_get(d, ref, "key")) : "?");
	return canon(d, from);
}

/* The container NAME of a pod spec (initContainers or containers). */
static yaml_node_t *
container(yaml_document_t *d, yaml_node_t *spec, const char *name)
{
	static const char *const lists[] = { "initContainers", "containers" };
	yaml_node_item_t *it;
	yaml_node_t *seq, *c;
	const char *n;
	size_t i;

	for (i = 0; i < 2; i++) {
		seq = yd_get(d, spec, lists[i]);
		if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
			continue;
		for (it = seq->data.sequence.items.start;
		    it < seq->data.sequence.items.top; it++) {
			c = yd_node(d, *it);
			n = yd_scalar(yd_get(d, c, "name"));
			if (n != NULL && strcmp(n, name) == 0)
				return c;
		}
	}
	return NULL;
}

/* Env of container C of A against the same of B (by var name). */
static void
env_diff(struct mdiff *m, const char *obj, const char *cname,
    yaml_document_t *da, yaml_node_t *ca, yaml_document_t *db,
    yaml_node_t *cb, int reverse)
{
	yaml_node_t *ea = yd_get(da, ca, "env"), *eb = yd_get(db, cb, "env"), *x, *y;
	yaml_node_item_t *it, *jt;
	const char *name, *n2;
	char *va, *vb, *what, *raw_a, *raw_b;

	if (ea == NULL || ea->type != YAML_SEQUENCE_NODE)
		return;
	for (it = ea->data.sequence.items.start;
	    it < ea->data.sequence.items.top; it++) {
		x = yd_node(da, *it);
		if ((name = yd_scalar(yd_get(da, x, "name"))) == NULL)
			continue;
		vb = NULL;
		y = NULL;
		if (eb != NULL && eb->type == YAML_SEQUENCE_NODE)
			for (jt = eb->data.sequence.items.start;
			    jt < eb->data.sequence.items.top && y == NULL;
			    jt++) {
				y = yd_node(db, *jt);
				n2 = yd_scalar(yd_get(db, y, "name"));
				if (n2 == NULL || strcmp(n2, name) != 0)
					y = NULL;
			}
		va = env_text(da, x, name);
		what = xprintf(_("container %s: env %s"), cname, name);
		if (y == NULL)
			add(m, obj, MDIFF_CHANGED, what, reverse ? NULL : va,
			    reverse ? va : NULL);
		else if (!reverse) {
			/* Compared as written, shown masked. */
			raw_a = canon(da, x);
			raw_b = canon(db, y);
			if (strcmp(raw_a, raw_b) != 0) {
				vb = env_text(db, y, name);
				add(m, obj, MDIFF_CHANGED, what, va, vb);
			}
			free(raw_a);
			free(raw_b);
		}
		free(what);
		free(va);
		free(vb);
	}
}

static void
workload_diff(struct mdiff *m, const char *obj, struct mobj *a,
    struct mobj *b)
{
	static const char *const lists[] = { "initContainers", "containers" };
	yaml_node_t *sa = yd_pod_spec(&a->doc,
	    yaml_document_get_root_node(&a->doc), a->kind);
	yaml_node_t *sb = yd_pod_spec(&b->doc,
	    yaml_document_get_root_node(&b->doc), b->kind), *seq, *ca, *cb;
	yaml_node_item_t *it;
	const char *name, *ia, *ib;
	char *what;
	size_t i;
	int pass;

	/* Pass 0: the containers of A (changed or removed); pass 1: those
	 * only B has (added). */
	for (pass = 0; pass < 2; pass++) {
		yaml_document_t *d = pass == 0 ? &a->doc : &b->doc;
		yaml_node_t *spec = pass == 0 ? sa : sb;

		for (i = 0; i < 2; i++) {
			seq = yd_get(d, spec, lists[i]);
			if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
				continue;
			for (it = seq->data.sequence.items.start;
			    it < seq->data.sequence.items.top; it++) {
				ca = yd_node(d, *it);
				if ((name = yd_scalar(yd_get(d, ca, "name"))) ==
				    NULL)
					continue;
				cb = container(pass == 0 ? &b->doc : &a->doc,
				    pass == 0 ? sb : sa, name);
				what = xprintf(_("container %s"), name);
				if (cb == NULL) {
					add(m, obj, pass == 0 ? MDIFF_REMOVED :
					    MDIFF_ADDED, what, NULL, NULL);
					free(what);
					continue;
				}
				free(what);
				if (pass == 1)
					continue;
				ia = yd_scalar(yd_get(&a->doc, ca, "image"));
				ib = yd_scalar(yd_get(&b->doc, cb, "image"));
				if (ia != NULL && ib != NULL &&
				    strcmp(ia, ib) != 0) {
					what = xprintf(_("container %s: image"),
					    name);
					add(m, obj, MDIFF_CHANGED, what, ia, ib);
					free(what);
				}
				env_diff(m, obj, name, &a->doc, ca, &b->doc,
				    cb, 0);
				env_diff(m, obj, name, &b->doc, cb, &a->doc,
				    ca, 1);
			}
		}
	}
}

/* ConfigMap and Secret: their keys; a Secret's values are never shown. */
static void
data_diff(struct mdiff *m, const char *obj, struct mobj *a, struct mobj *b,
    int secret)
{
	static const char *const fields[] = { "data", "stringData",
	    "binaryData" };
	yaml_node_t *ma, *mb, *va, *vb;
	yaml_node_pair_t *p;
	const char *k, *sa, *sb;
	char *what;
	size_t i;
	int pass;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		for (pass = 0; pass < 2; pass++) {
			struct mobj *x = pass == 0 ? a : b, *y = pass == 0 ?
			    b : a;

			ma = yd_get(&x->doc, yaml_document_get_root_node(&x->doc),
			    fields[i]);
			mb = yd_get(&y->doc, yaml_document_get_root_node(&y->doc),
			    fields[i]);
			if (ma == NULL || ma->type != YAML_MAPPING_NODE)
				continue;
			for (p = ma->data.mapping.pairs.start;
			    p < ma->data.mapping.pairs.top; p++) {
				k = yd_scalar(yd_node(&x->doc,
				    p->key));
				if (k == NULL)
					continue;
				va = yd_node(&x->doc, p->value);
				vb = yd_get(&y->doc, mb, k);
				what = xprintf(_("%s key %s"), fields[i], k);
				sa = yd_scalar(va);
				sb = yd_scalar(vb);
				if (vb == NULL)
					add(m, obj, pass == 0 ? MDIFF_REMOVED :
					    MDIFF_ADDED, what, NULL, NULL);
				else if (pass == 0 && (sa == NULL ||
				    sb == NULL || strcmp(sa, sb) != 0))
					add(m, obj, MDIFF_CHANGED, what,
					    secret || secret_name(k) ? MASK :
					    sa, secret || secret_name(k) ?
					    MASK : sb);
				free(what);
			}
		}
	}
}

int
mdiff_compute(const char *old, size_t oldlen, const char *new_,
    size_t newlen, struct mdiff *m, char **cause)
{
	struct mset a, b;
	struct mobj *x, *y;
	char *ca, *cb;
	size_t i, before;

	memset(m, 0, sizeof *m);
	if (load(old, oldlen, &a, cause) != 0)
		return -1;
	if (load(new_, newlen, &b, cause) != 0) {
		unload(&a);
		return -1;
	}
	for (i = 0; i < a.n; i++) {
		x = &a.v[i];
		if ((y = find(&b, x->id)) == NULL) {
			add(m, x->id, MDIFF_REMOVED, NULL, NULL, NULL);
			continue;
		}
		before = m->n;
		if (yd_pod_spec(&x->doc, yaml_document_get_root_node(&x->doc),
		    x->kind) != NULL)
			workload_diff(m, x->id, x, y);
		else if (strcmp(x->kind, "ConfigMap") == 0 ||
		    strcmp(x->kind, "Secret") == 0)
			data_diff(m, x->id, x, y, strcmp(x->kind, "Secret") ==
			    0);
		if (m->n > before)
			continue;
		/* Nothing named above: anything else that differs. */
		ca = canon_(&x->doc, yaml_document_get_root_node(&x->doc), 1);
		cb = canon_(&y->doc, yaml_document_get_root_node(&y->doc), 1);
		if (strcmp(ca, cb) != 0)
			add(m, x->id, MDIFF_CHANGED, NULL, NULL, NULL);
		free(ca);
		free(cb);
	}
	for (i = 0; i < b.n; i++)
		if (find(&a, b.v[i].id) == NULL)
			add(m, b.v[i].id, MDIFF_ADDED, NULL, NULL, NULL);
	unload(&a);
	unload(&b);
	return 0;
}

size_t
mdiff_drop(struct mdiff *m, const struct mdiff *noise)
{
	size_t i, j, k = 0, dropped = 0;
	int same;

	for (i = 0; i < m->n; i++) {
		same = 0;
		for (j = 0; j < noise->n && !same; j++)
			same = strcmp(m->v[i].object, noise->v[j].object) ==
			    0 && m->v[i].what != NULL &&
			    noise->v[j].what != NULL &&
			    strcmp(m->v[i].what, noise->v[j].what) == 0;
		if (!same) {
			m->v[k++] = m->v[i];
			continue;
		}
		free(m->v[i].object);
		free(m->v[i].what);
		free(m->v[i].from);
		free(m->v[i].to);
		dropped++;
	}
	m->n = k;
	return dropped;
}

void
mdiff_free(struct mdiff *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].object);
		free(m->v[i].what);
		free(m->v[i].from);
		free(m->v[i].to);
	}
	free(m->v);
	memset(m, 0, sizeof *m);
}

static const char *const change_names[] = { "changed", "added", "removed" };

void
mdiff_print(FILE *f, const struct mdiff *m)
{
	const struct mdiff_item *it;
	const char *last = NULL;
	char *w, *from, *to;
	size_t i;

	if (m->n == 0) {
		fprintf(f, "%s", _("  (no change)\n"));
		return;
	}
	for (i = 0; i < m->n; i++) {
		it = &m->v[i];
		w = text_printable(it->object);
		if (it->what == NULL) {
			fprintf(f, "  %c %s\n", it->change == MDIFF_ADDED ?
			    '+' : it->change == MDIFF_REMOVED ? '-' : '~', w);
			free(w);
			last = NULL;
			continue;
		}
		if (last == NULL || strcmp(last, it->object) != 0)
			fprintf(f, "  ~ %s\n", w);
		free(w);
		last = it->object;
		w = text_printable(it->what);
		from = it->from != NULL ? text_printable(it->from) : NULL;
		to = it->to != NULL ? text_printable(it->to) : NULL;
		if (it->change != MDIFF_CHANGED)
			fprintf(f, "      %s %s\n", w, change_names[
			    it->change]);
		else if (from != NULL && to != NULL)
			fprintf(f, "      %s: %s → %s\n", w, from, to);
		else
			fprintf(f, "      %s: %s → %s\n", w, from != NULL ?
			    from : _("(none)"), to != NULL ? to : _("(none)"));
		free(w);
		free(from);
		free(to);
	}
}

char *
mdiff_json(const struct mdiff *m)
{
	json_t *root, *arr;
	size_t i;
	char *out;

	arr = json_array();
	for (i = 0; i < m->n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:o, "
		    "s:o}", "object", m->v[i].object, "change",
		    change_names[m->v[i].change], "what", m->v[i].what ?
		    json_string(m->v[i].what) : json_null(), "from",
		    m->v[i].from ? json_string(m->v[i].from) : json_null(),
		    "to", m->v[i].to ? json_string(m->v[i].to) : json_null()));
	root = json_pack("{s:o}", "changes", arr);
	out = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	return out;
}
