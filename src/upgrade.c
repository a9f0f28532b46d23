/* The guided upgrade: detection, requirements, the checked backup. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answers-resolve.h"
#include "i18n.h"
#include "journal.h"
#include "kube.h"
#include "log.h"
#include "preflight.h"
#include "run-flags.h"
#include "upgrade.h"
#include "xmalloc.h"

#define UPGRADE_CMD_MS		60000
#define UPGRADE_DUMP_MS		(60 * 60000)


static const struct action *const upgrade_actions[] = {
	&action_upgrade_backup,
	&action_bundle,
	&action_render,
	&action_secrets,
	&action_operator,
	&action_resource,
	&action_wait,
	&action_verify,
	NULL
};

/* Seed 004: the operator takes over, then the old release goes. */
static const struct action *const migrate_actions[] = {
	&action_upgrade_backup,
	&action_bundle,
	&action_render,
	&action_secrets,
	&action_operator,
	&action_resource,
	&action_wait,
	&action_verify,
	&action_upgrade_retire,
	NULL
};

const struct plan upgrade_plan = { "upgrade", upgrade_actions, 0 };
const struct plan upgrade_migrate_plan = { "migrate", migrate_actions,
	0 };

int
upgrade_version_cmp(const char *a, const char *b)
{
	long x, y;
	char *end;

	while (*a == 'v' || *a == 'V')
		a++;
	while (*b == 'v' || *b == 'V')
		b++;
	for (;;) {
		x = isdigit((unsigned char)*a) ? strtol(a, &end, 10) : 0;
		if (isdigit((unsigned char)*a))
			a = end;
		y = isdigit((unsigned char)*b) ? strtol(b, &end, 10) : 0;
		if (isdigit((unsigned char)*b))
			b = end;
		if (x != y)
			return x < y ? -1 : 1;
		if (*a != '.' && *b != '.')
			return 0;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
}

void
upgrade_releases_free(struct helm_release *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].chart);
		free(v[i].chart_version);
		free(v[i].app_version);
		free(v[i].status);
	}
	free(v);
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

int
upgrade_parse_helm_list(const char *json, struct helm_release **vp,
    size_t *np, char **cause)
{
	json_error_t err;
	json_t *root, *it, *rev;
	struct helm_release *v = NULL, *r;
	const char *chart, *dash;
	size_t i, n = 0;

	if ((root = json_loads(json, 0, &err)) == NULL ||
	    !json_is_array(root)) {
		*cause = root == NULL ? xprintf(_("helm list: not JSON (line "
		    "%d: %s)"), err.line, err.text) :
		    xstrdup(_("helm list: not a JSON list"));
		json_decref(root);
		return -1;
	}
	json_array_foreach(root, i, it) {
		v = xreallocarray(v, n + 1, sizeof *v);
		r = &v[n++];
		r->name = xstrdup(jstr(it, "name"));
		chart = jstr(it, "chart");
		/* "operator-1.4.8": the version follows the last '-' that
		 * is followed by a digit. */
		for (dash = chart + strlen(chart); dash > chart; dash--)
			if (dash[-1] == '-' && isdigit((unsigned char)*dash))
				break;
		if (dash > chart) {
			r->chart = xstrndup(chart, dash - 1 - chart);
			r->chart_version = xstrdup(dash);
		} else {
			r->chart = xstrdup(chart);
			r->chart_version = xstrdup("");
		}
		r->app_version = xstrdup(jstr(it, "app_version"));
		r->status = xstrdup(jstr(it, "status"));
		rev = json_object_get(it, "revision");
		r->revision = json_is_integer(rev) ? (int)json_integer_value(rev) :
		    atoi(jstr(it, "revision"));
	}
	json_decref(root);
	*vp = v;
	*np = n;
	return 0;
}

int
upgrade_parse_cr_version(const char *json, char **version, char **cause)
{
	json_error_t err;
	json_t *root;

	if ((root = json_loads(json, 0, &err)) == NULL) {
		*cause = xprintf(_("WeightsAndBiases resource: not JSON (line "
		    "%d: %s)"), err.line, err.text);
		return -1;
	}
	*version = xstrdup(jstr(json_object_get(root, "status"), "version"));
	json_decref(root);
	return 0;
}

char *
upgrade_cr_for_apply(const char *json, char **cause)
{
	static const char *const server_set[] = { "resourceVersion", "uid",
		"creationTimestamp", "generation", "managedFields",
		"selfLink", NULL };
	json_error_t err;
	json_t *root, *md;
	char *s;
	size_t i;

	if ((root = json_loads(json, 0, &err)) == NULL ||
	    !json_is_object(root)) {
		*cause = xprintf(_("WeightsAndBiases resource: not a JSON "
		    "object (line %d)"), err.line);
		json_decref(root);
		return NULL;
	}
	json_object_del(root, "status");
	md = json_object_get(root, "metadata");
	for (i = 0; server_set[i] != NULL; i++)
		json_object_del(md, server_set[i]);
	if (json_is_object(json_object_get(md, "annotations")))
		json_object_del(json_object_get(md, "annotations"),
		    "kubectl.kubernetes.io/last-applied-configuration");
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return s;
}

void
upgrade_site_free(struct upgrade_site *s)
{
	upgrade_releases_free(s->releases, s->nreleases);
	free(s->cr_json);
	free(s->cr_phase);
	free(s->current);
	memset(s, 0, sizeof *s);
}

/* Run ARGV; the stdout when it exited 0, else NULL (*status set). */
static char *
run_out(struct runner *r, const char *const *argv, int *status,
    char **cause)
{
	struct run_result res;
	char *out;

	if (runner_run(r, argv, NULL, 0, NULL, UPGRADE_CMD_MS, &res,
	    cause) != 0)
		return NULL;
	*status = res.status;
	if (res.status != 0) {
		*cause = xprintf(_("`%s %s` exited with status %d: %s"),
		    argv[0], argv[1], res.status, res.err);
		run_result_free(&res);
		return NULL;
	}
	out = res.out;
	res.out = NULL;
	run_result_free(&res);
	return out;
}

int
upgrade_detect(struct runner *r, const struct answers *a,
    const char *answers_path, struct upgrade_site *s, char **cause)
{
	const char *ns = answers_get(a, "kubernetes.namespace");
	const char *list[] = { "helm", "list", "--namespace", ns, "-o",
		"json", NULL };
	const char *cr[] = { "kubectl", "get", "weightsandbiases",
		RENDER_CR_NAME, "--namespace", ns, "-o", "json", NULL };
	const struct jentry *e;
	struct bundle_manifest *m;
	struct journal j;
	char *out, *why = NULL, *v, *path;
	int sig;
	size_t i;
	int st = -1;

	memset(s, 0, sizeof *s);
	if (journal_open(&j, answers_path, 1, &why) == 0) {
		e = journal_get(&j, "wandb-resource");
		s->journal_done = e != NULL && e->state == JS_DONE;
		journal_close(&j);
	} else
		free(why);
	why = NULL;

	if ((out = run_out(r, list, &st, cause)) == NULL)
		return -1;
	if (upgrade_parse_helm_list(out, &s->releases, &s->nreleases,
	    cause) != 0) {
		free(out);
		return -1;
	}
	free(out);
	for (i = 0; i < s->nreleases; i++) {
		if (strcmp(s->releases[i].chart, PLAN_OPERATOR_CHART) == 0)
			s->operator = &s->releases[i];
		if (strcmp(s->releases[i].chart,
		    UPGRADE_PRE_OPERATOR_CHART) == 0)
			s->pre_operator = &s->releases[i];
	}

	/* A missing resource is no error: there may be none yet. */
	if ((out = run_out(r, cr, &st, &why)) != NULL) {
		s->have_cr = 1;
		s->cr_json = out;
		if (kube_parse_phase(out, &s->cr_phase, &why) != 0 ||
		    upgrade_parse_cr_version(out, &v, &why) != 0) {
			*cause = why;
			return -1;
		}
		if (*v != '\0') {
			s->current = v;
			s->current_from = N_("the WeightsAndBiases resource's "
			    "status");
		} else
			free(v);
	} else if (st <= 0) {
		*cause = why;	/* kubectl did not run at all */
		return -1;
	} else
		free(why);

	if (s->current == NULL && s->pre_operator != NULL &&
	    *s->pre_operator->app_version != '\0') {
		s->current = xstrdup(s->pre_operator->app_version);
		s->current_from = N_("the helm release of chart wandb");
	}
	/*
	 * Else the bundle the answers name, whose version is a bundle's as
	 * the target's is (deployment.wandb_version is a W&B server
	 * version, and no bundle's).
	 */
	if (s->current == NULL && (s->have_cr || s->journal_done) &&
	    answers_get_bool(a, "airgap.enabled") &&
	    *answers_get(a, "airgap.bundle") != '\0') {
		path = answers_get_path(a, "airgap.bundle");
		if ((m = bundle_inspect(path, &sig, NULL, &why)) != NULL) {
			s->current = xstrdup(m->version);
			s->current_from = N_("the bundle in airgap.bundle");
			bundle_manifest_free(m);
		} else
			free(why);
		free(path);
	}
	return 0;
}

/* A requirement of the bundle, or NULL. */
static const char *
requirement(const struct bundle_manifest *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->nreq; i++)
		if (strcmp(m->req[i].key, key) == 0)
			return m->req[i].value;
	return NULL;
}

static void
require(struct check_list *l, const char *target, const char *id,
    const char *observed, const char *min)
{
	char *req = xprintf(">= %s", min);

	if (upgrade_version_cmp(observed, min) >= 0)
		checks_add(l, target, id, CHECK_PASS, observed, req, NULL,
		    _("%s is at least %s"), observed, min);
	else
		checks_add(l, target, id, CHECK_FAIL, observed, req,
		    _("upgrade it before W&B"), _("%s is older than the "
		    "release needs (%s)"), observed, min);
	free(req);
}

void
upgrade_requirements(struct runner *r, const struct answers *a,
    const struct bundle_manifest *m, struct check_list *l)
{
	const char *kv[] = { "kubectl", "version", "-o", "json", NULL };
	const char *hv[] = { "helm", "version", "--short", NULL };
	const struct preflight_family *f;
	struct run_flags rf;
	struct preflight_opts po;
	const char *min;
	char *out, *cause = NULL, *git = NULL, *obs;
	size_t i, before;
	int st, major, minor;

	if ((min = requirement(m, "kubernetes")) != NULL) {
		if ((out = run_out(r, kv, &st, &cause)) == NULL ||
		    kube_parse_version(out, &major, &minor, &git,
		    &cause) != 0) {
			checks_add(l, "cluster", "upgrade.kubernetes",
			    CHECK_FAIL, NULL, min, NULL, "%s", cause);
			free(cause);
			cause = NULL;
		} else {
			obs = xprintf("%d.%d", major, minor);
			require(l, "cluster", "upgrade.kubernetes", obs, min);
			free(obs);
		}
		free(out);
		free(git);
	}
	if ((min = requirement(m, "helm")) != NULL) {
		if ((out = run_out(r, hv, &st, &cause)) == NULL) {
			checks_add(l, "control", "upgrade.helm", CHECK_FAIL,
			    NULL, min, NULL, "%s", cause);
			free(cause);
		} else {
			out[strcspn(out, "+\n")] = '\0';
			require(l, "control", "upgrade.helm", out, min);
			free(out);
		}
	}
	/* MySQL again: the preflight family, then its version against the
	 * release's minimum. */
	if ((f = preflight_family_find("mysql")) == NULL)
		return;
	memset(&rf, 0, sizeof rf);
	preflight_opts_from_flags(NULL, &rf, &po);
	before = l->n;
	f->run(a, &po, l);
	preflight_mysql_migrations(a, l);
	if ((min = requirement(m, "mysql")) == NULL)
		return;
	for (i = before; i < l->n; i++)
		if (strcmp(l->v[i].id, "mysql.version") == 0 &&
		    *l->v[i].observed != '\0') {
			obs = xstrdup(l->v[i].observed);
			require(l, l->v[i].target, "upgrade.mysql", obs, min);
			free(obs);
			break;
		}
}

/* The images to push. */

void
upgrade_show_images(struct plan_ctx *c, const char *bundle,
    const struct bundle_manifest *m, FILE *out)
{
	struct plan_push pp;
	struct bundle_push_need *need = NULL;
	char *cause = NULL;
	const char *registry = answers_get(c->a, "airgap.registry");
	size_t i, n = 0;
	unsigned blobs = 0;
	int64_t bytes = 0;

	if (!answers_get_bool(c->a, "airgap.enabled") || *registry == '\0') {
		fprintf(out, _("Images of %s %s:\n"), m->name, m->version);
		for (i = 0; i < m->nimages; i++)
			fprintf(out, "  %s %s (%lld bytes)\n", m->images[i].ref,
			    m->images[i].digest != NULL ? m->images[i].digest :
			    "", (long long)m->images[i].size);
		fprintf(out, "\n");
		return;
	}
	/* Air gap: the blobs the internal registry lacks, asked with HEAD;
	 * bundle-push sends only those. */
	if (plan_push_init(c, &pp, &cause) == 0) {
		if (bundle_push_need(bundle, &pp.o, &need, &n, &cause) != 0)
			n = 0;
		plan_push_free(&pp);
	}
	fprintf(out, _("Images of %s %s to push to %s (only the blobs it "
	    "lacks):\n"), m->name, m->version, registry);
	if (cause != NULL) {
		fprintf(out, _("  (the registry could not be asked: %s)\n"),
		    cause);
		log_error("upgrade: %s", cause);
		free(cause);
	}
	for (i = 0; i < m->nimages; i++) {
		fprintf(out, "  %s %s (%lld bytes)", m->images[i].ref,
		    m->images[i].digest != NULL ? m->images[i].digest : "",
		    (long long)m->images[i].size);
		if (i < n && strcmp(need[i].ref, m->images[i].ref) == 0) {
			fprintf(out, _(": %u of %u blobs new, %lld bytes to "
			    "push"), need[i].missing, need[i].blobs,
			    (long long)need[i].missing_bytes);
			blobs += need[i].missing;
			bytes += need[i].missing_bytes;
		}
		fprintf(out, "\n");
	}
	if (n > 0)
		fprintf(out, _("  In all: %u new blobs, %lld bytes to push.\n"),
		    blobs, (long long)bytes);
	fprintf(out, "\n");
	bundle_push_need_free(need, n);
}

/* The backup. */

/* 'TEXT' for sh. */
static char *
sh_quote(const char *s)
{
	const char *argv[] = { s, NULL };

	return runner_format(argv);
}

/* The [client] option file: the password never goes on a command line. */
static char *
backup_cnf(const struct answers *a, char **cause)
{
	const char *user = answers_get(a, "mysql.admin.user");
	const char *key = "mysql.admin.password";
	struct render_buf b = { NULL, 0, 0 };
	char *pw, *s;
	const char *p;

	if (*user == '\0') {
		user = answers_get(a, "mysql.user");
		key = "mysql.password";
	}
	if ((pw = answers_resolve(a, key, cause)) == NULL)
		return NULL;
	s = xprintf("[client]\nhost=%s\nport=%ld\nuser=%s\npassword=\"",
	    answers_get(a, "mysql.host"), answers_get_int(a, "mysql.port"),
	    user);
	render_buf_add(&b, s, strlen(s));
	free(s);
	for (p = pw; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			render_buf_add(&b, "\\", 1);
		render_buf_add(&b, p, 1);
	}
	render_buf_add(&b, "\"\n", 2);
	xfree_secret(pw);
	return b.data;
}

/* The dump runs on the db target when there is one, else at RUN. */
static struct runner *
backup_runner(struct plan_ctx *c, struct runner *own, int *opened,
    char **cause)
{
	size_t i;

	*opened = 0;
	for (i = 0; i < c->a->ntargets; i++)
		if (answers_target_has_role(c->a, i, "db")) {
			if (runner_open_target(own, c->a, i, c->dry_run, NULL,
			    cause) != 0)
				return NULL;
			*opened = 1;
			return own;
		}
	return c->run;
}

static void
backup_argv(struct plan_ctx *c, const char *path, struct plan_argv *av)
{
	char *q = sh_quote(path), *dir = xstrdup(path), *slash, *qd, *qdb;

	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	qd = sh_quote(*dir != '\0' ? dir : "/");
	qdb = sh_quote(answers_get(c->a, "mysql.database"));
	argv_add(av, "sh");
	argv_add(av, "-c");
	/* The option file is removed whatever mysqldump did. */
	argv_add(av, "umask 077 && mkdir -p %s && "
	    "mysqldump --defaults-extra-file=%s.cnf --single-transaction "
	    "--routines --events --databases %s > %s.sql; rc=$?; "
	    "rm -f %s.cnf; [ $rc -eq 0 ] || exit $rc; gzip -f %s.sql && "
	    "mv -f %s.sql.gz %s", qd, q, qdb, q, q, q, q, q);
	free(q);
	free(qd);
	free(qdb);
	free(dir);
}

static void
check_argv(const char *path, struct plan_argv *av)
{
	char *q = sh_quote(path);

	argv_add(av, "sh");
	argv_add(av, "-c");
	argv_add(av, "f=%s; [ -f \"$f\" ] || exit 3; [ -s \"$f\" ] || exit 4; "
	    "gzip -t \"$f\" || exit 5; gzip -dc \"$f\" | tail -n 1 | "
	    "grep -q 'Dump completed' || exit 6; wc -c < \"$f\"", q);
	free(q);
}

long long
upgrade_backup_check(struct runner *r, const char *path, char **cause)
{
	struct plan_argv av = { NULL, 0 };
	struct run_result res;
	long long size = -1;

	check_argv(path, &av);
	if (runner_run(r, ARGV(&av), NULL, 0, NULL, UPGRADE_DUMP_MS, &res,
	    cause) != 0) {
		argv_free(&av);
		return -1;
	}
	argv_free(&av);
	switch (res.status) {
	case 0:
		size = strtoll(res.out, NULL, 10);
		break;
	case 3:
		*cause = xprintf(_("the dump %s does not exist on %s"), path,
		    r->where);
		break;
	case 4:
		*cause = xprintf(_("the dump %s on %s is empty"), path,
		    r->where);
		break;
	case 5:
		*cause = xprintf(_("the dump %s on %s fails gzip -t"), path,
		    r->where);
		break;
	case 6:
		*cause = xprintf(_("the dump %s on %s is not a complete "
		    "mysqldump (no \"Dump completed\" at its end)"), path,
		    r->where);
		break;
	default:
		*cause = xprintf(_("checking the dump %s on %s: status %d: "
		    "%s"), path, r->where, res.status, res.err);
		break;
	}
	run_result_free(&res);
	return size;
}

int
upgrade_backup(struct plan_ctx *c, const char *path, char **cause)
{
	struct plan_argv av = { NULL, 0 };
	struct runner own, *r;
	char *cnf, *cnf_path;
	long long size;
	int opened, rc = -1;

	if ((r = backup_runner(c, &own, &opened, cause)) == NULL)
		return -1;
	if ((cnf = backup_cnf(c->a, cause)) == NULL)
		goto out;
	cnf_path = xprintf("%s.cnf", path);
	if (runner_put(r, cnf_path, cnf, strlen(cnf), cause) != 0) {
		xfree_secret(cnf);
		free(cnf_path);
		goto out;
	}
	xfree_secret(cnf);
	free(cnf_path);
	backup_argv(c, path, &av);
	/* plan_exec keeps the output tail for the report. */
	{
		struct runner *keep = c->run;

		c->run = r;
		rc = plan_exec(c, ARGV(&av), NULL, 0, NULL, UPGRADE_DUMP_MS,
		    NULL, cause);
		c->run = keep;
	}
	argv_free(&av);
	if (rc != 0)
		goto out;
	if ((size = upgrade_backup_check(r, path, cause)) < 0) {
		rc = -1;
		goto out;
	}
	fprintf(c->out, _("      %s on %s: %lld bytes, gzip -t passed, a "
	    "complete dump\n"), path, r->where, size);
	log_info("upgrade: backup %s on %s: %lld bytes", path, r->where, size);
out:
	if (opened)
		runner_close(&own);
	return rc;
}

/* Action "upgrade-backup". */

static char *
backup_inputs(struct plan_ctx *c)
{
	(void)c;
	return xprintf("%s %s", c->upgrade->target != NULL ?
	    c->upgrade->target : "", c->upgrade->backup_path != NULL ?
	    c->upgrade->backup_path : "confirmed");
}

static int
backup_apply(struct plan_ctx *c, char **cause)
{
	if (c->upgrade->backup_path == NULL) {
		fprintf(c->out, _("      the operator confirmed a recent "
		    "backup (--backup-confirmed)\n"));
		log_info("upgrade: backup confirmed by the operator");
		return 0;
	}
	return upgrade_backup(c, c->upgrade->backup_path, cause);
}

static void
backup_describe(struct plan_ctx *c, FILE *f)
{
	struct plan_argv av = { NULL, 0 };
	struct runner own, *r;
	char *cause = NULL;
	int opened;

	if (c->upgrade->backup_path == NULL) {
		fprintf(f, _("      none: the operator confirmed a recent "
		    "backup\n"));
		return;
	}
	if ((r = backup_runner(c, &own, &opened, &cause)) == NULL) {
		fprintf(f, "      %s\n", cause);
		free(cause);
		return;
	}
	fprintf(f, _("      on %s, the password in a 0600 option file:\n"),
	    r->where);
	backup_argv(c, c->upgrade->backup_path, &av);
	plan_print_cmd(f, ARGV(&av), NULL);
	argv_free(&av);
	check_argv(c->upgrade->backup_path, &av);
	plan_print_cmd(f, ARGV(&av), NULL);
	argv_free(&av);
	if (opened)
		runner_close(&own);
}

const struct action action_upgrade_backup = {
	"upgrade-backup",
	N_("back up the database (mysqldump --single-transaction) and check "
	   "the dump"),
	N_("make sure mysqldump and gzip are installed where the dump runs "
	   "and that the backup directory has room; or take the backup "
	   "yourself and pass --backup-confirmed"),
	NULL,
	backup_inputs,
	backup_apply,
	NULL,
	NULL,
	backup_describe,
};

/* Action "upgrade-retire" (migration): remove the pre-operator release
 * once the operator's W&B verified. */

static void
retire_argv(struct plan_ctx *c, struct plan_argv *av)
{
	argv_add(av, "helm");
	argv_add(av, "uninstall");
	argv_add(av, "%s", c->upgrade->pre_release != NULL ?
	    c->upgrade->pre_release : "");
	argv_add(av, "--namespace");
	argv_add(av, "%s", plan_namespace(c));
	argv_add(av, "--wait");
}

static char *
retire_inputs(struct plan_ctx *c)
{
	(void)c;
	return xstrdup(c->upgrade->pre_release != NULL ?
	    c->upgrade->pre_release : "");
}

static int
retire_apply(struct plan_ctx *c, char **cause)
{
	struct plan_argv av = { NULL, 0 };
	int rc;

	retire_argv(c, &av);
	rc = plan_exec(c, ARGV(&av), NULL, 0, NULL, 10 * 60000, NULL, cause);
	argv_free(&av);
	return rc;
}

static void
retire_describe(struct plan_ctx *c, FILE *f)
{
	struct plan_argv av = { NULL, 0 };

	retire_argv(c, &av);
	plan_print_cmd(f, ARGV(&av), NULL);
	argv_free(&av);
}

const struct action action_upgrade_retire = {
	"upgrade-retire",
	N_("remove the pre-operator helm release"),
	N_("`helm status RELEASE -n NAMESPACE` says why; W&B already runs "
	   "under the operator, so nothing is lost by retrying"),
	NULL,
	retire_inputs,
	retire_apply,
	NULL,
	NULL,
	retire_describe,
};
