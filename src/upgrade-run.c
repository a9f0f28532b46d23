/*
 * The upgrade's flow (upgrade-run.h): what `wbinstall upgrade` and the
 * wizard's Upgrade mode both run.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "chart-render.h"
#include "exitcode.h"
#include "i18n.h"
#include "log.h"
#include "manifest-diff.h"
#include "render.h"
#include "run-flags.h"
#include "upgrade-run.h"
#include "util.h"
#include "xmalloc.h"

static void
show_site(FILE *out, const struct upgrade_site *s, const char *target)
{
	size_t i;

	fprintf(out, _("Installed: %s"), s->current != NULL ? s->current :
	    _("unknown version"));
	if (s->current_from != NULL)
		fprintf(out, _(" (from %s)"), _(s->current_from));
	fprintf(out, "\n");
	for (i = 0; i < s->nreleases; i++)
		fprintf(out, _("  helm release %s: chart %s %s, revision %d, "
		    "%s\n"), s->releases[i].name, s->releases[i].chart,
		    s->releases[i].chart_version, s->releases[i].revision,
		    s->releases[i].status);
	if (s->have_cr)
		fprintf(out, _("  WeightsAndBiases resource: phase %s\n"),
		    *s->cr_phase != '\0' ? s->cr_phase : "-");
	fprintf(out, _("Upgrade: %s → %s\n\n"), s->current != NULL ?
	    s->current : "?", target);
}

/* Keep the resource as it is, for a rollback. */
static int
save_previous(const struct upgrade_site *s, const char *file, char **cause)
{
	char *dir, *path, *cr;
	int rc;

	if (!s->have_cr)
		return 0;
	if ((cr = upgrade_cr_for_apply(s->cr_json, cause)) == NULL)
		return -1;
	dir = journal_dir_for(file);
	path = xprintf("%s/%s", dir, UPGRADE_PREVIOUS_CR);
	rc = write_file_atomic(path, cr, strlen(cr), 0600, cause);
	free(path);
	free(dir);
	free(cr);
	return rc;
}

/*
 * A migration that failed: take back what it added (the resource, then
 * the operator), so that the pre-operator release, which the migration
 * removes only after verify, serves alone again.  Returns 0 or -1.
 */
static int
undo_migration(struct plan_ctx *c)
{
	static const struct action *const added[] = { &action_resource,
		&action_operator, NULL };
	char *cause = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; added[i] != NULL; i++) {
		fprintf(c->out, _("  take back %s (%s)\n"), added[i]->name,
		    _(added[i]->summary));
		if (added[i]->undo(c, &cause) != 0) {
			fprintf(c->out, "      ✘ %s\n", cause);
			free(cause);
			cause = NULL;
			rc = -1;
		}
	}
	return rc;
}

/* helm rollback to the operator's revision before, and the previous
 * resource applied again (a migration: undo_migration); journaled. */
static int
rollback(struct plan_ctx *c, const struct upgrade_site *s,
    const char *file, int migration)
{
	struct plan_argv av = { NULL, 0 };
	const char *apply[] = { "kubectl", "apply", "-f", "-", NULL };
	char *dir, *path, *cr, *cause = NULL, *jcause = NULL, *what;
	size_t len;
	int rc = 0;

	fprintf(c->out, _("\nRolling back:\n"));
	journal_set(c->journal, UPGRADE_ROLLBACK, JS_RUNNING, NULL, NULL,
	    &jcause);
	free(jcause);
	jcause = NULL;
	if (migration) {
		rc = undo_migration(c);
		what = rc == 0 ? xstrdup("") :
		    xstrdup(_("the rollback failed"));
		journal_set(c->journal, UPGRADE_ROLLBACK, rc == 0 ? JS_DONE :
		    JS_FAILED, NULL, what, &jcause);
		free(jcause);
		free(what);
		if (rc == 0)
			fprintf(c->out, _("Rolled back the migration: the "
			    "operator and its WeightsAndBiases resource were "
			    "removed; the helm release %s (%s) was not touched "
			    "and serves W&B as before.\n"),
			    c->upgrade->pre_release != NULL ?
			    c->upgrade->pre_release : "?",
			    s->current != NULL ? s->current : "?");
		else
			fprintf(c->out, _("The rollback did not complete: see "
			    "above; the pre-operator release was not touched.\n"));
		log_info("upgrade: migration rollback %s", rc == 0 ? "done" :
		    "failed");
		return rc;
	}
	if (s->operator != NULL && s->operator->revision > 0) {
		argv_add(&av, "helm");
		argv_add(&av, "rollback");
		argv_add(&av, "%s", s->operator->name);
		argv_add(&av, "%d", s->operator->revision);
		argv_add(&av, "--namespace");
		argv_add(&av, "%s", plan_namespace(c));
		argv_add(&av, "--wait");
		plan_print_cmd(c->out, ARGV(&av), NULL);
		if (plan_exec(c, ARGV(&av), NULL, 0, NULL, 15 * 60000, NULL,
		    &cause) != 0) {
			fprintf(c->out, "      ✘ %s\n", cause);
			free(cause);
			cause = NULL;
			rc = -1;
		}
		argv_free(&av);
	}
	dir = journal_dir_for(file);
	path = xprintf("%s/%s", dir, UPGRADE_PREVIOUS_CR);
	free(dir);
	if (s->have_cr) {
		plan_print_cmd(c->out, apply, UPGRADE_PREVIOUS_CR);
		if ((cr = read_file(path, 4 * 1024 * 1024, &len,
		    &cause)) == NULL ||
		    plan_exec(c, apply, cr, len, UPGRADE_PREVIOUS_CR, 120000,
		    NULL, &cause) != 0) {
			fprintf(c->out, "      ✘ %s\n", cause);
			free(cause);
			rc = -1;
		}
		free(cr);
	}
	free(path);
	what = rc == 0 ? xstrdup("") : xstrdup(_("the rollback failed"));
	journal_set(c->journal, UPGRADE_ROLLBACK, rc == 0 ? JS_DONE : JS_FAILED,
	    NULL, what, &jcause);
	free(jcause);
	free(what);
	if (rc == 0)
		fprintf(c->out, _("Rolled back to %s: the operator's previous "
		    "revision and the previous WeightsAndBiases resource.\n"),
		    s->current != NULL ? s->current : _("the previous release"));
	else
		fprintf(c->out, _("The rollback did not complete: see above; "
		    "the database backup is the way back.\n"));
	log_info("upgrade: rollback %s", rc == 0 ? "done" : "failed");
	return rc;
}

/* Did the run fail at or after the operator's step (something changed)? */
static int
changed_cluster(const struct journal *j)
{
	static const char *const steps[] = { "operator", "wandb-resource",
		"wait", "verify", "upgrade-retire", NULL };
	const struct jentry *e;
	size_t i;

	for (i = 0; steps[i] != NULL; i++)
		if ((e = journal_get(j, steps[i])) != NULL &&
		    e->state == JS_FAILED)
			return 1;
	return 0;
}

/*
 * The W&B server version an upgrade to bundle M pins: the one its release
 * spec names (server_version), or none, when the bundle names none, so
 * that every W&B image keeps the bundle's own tag.  The bundle's version
 * is its chart's, never an image tag.
 */
const char *
upgrade_pinned_version(const struct bundle_manifest *m)
{
	return m->server_version != NULL ? m->server_version : "";
}

/*
 * After success: the answers file says which release runs: the pinned
 * server version and, in an air gap, the bundle it came from.
 */
static void
record_version(FILE *out, const char *file, const struct bundle_manifest *m,
    const char *bundle)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a = answers_load(file, &errs);
	const char *version = upgrade_pinned_version(m);
	char *cause = NULL;

	if (a != NULL && answers_set(a, "deployment.wandb_version", version,
	    &cause) == AE_OK && (bundle == NULL ||
	    answers_set(a, "airgap.bundle", bundle, &cause) == AE_OK) &&
	    answers_save(a, file, &cause) == 0) {
		if (*version != '\0')
			fprintf(out, _("%s: deployment.wandb_version is now "
			    "%s\n"), file, version);
		else
			fprintf(out, _("%s: deployment.wandb_version is now "
			    "unset: the W&B images are at the tags of %s %s\n"),
			    file, m->name, m->version);
	} else if (cause != NULL) {
		fprintf(out, "wbinstall: %s: %s\n", file, cause);
		log_error("upgrade: %s: %s", file, cause);
		free(cause);
	}
	answers_errors_clear(&errs);
	answers_free(a);
}

const char *
upgrade_from(const struct upgrade_run *u)
{
	return u->have_site && u->s.current != NULL ? u->s.current : "?";
}

/* Open the runner and find what is installed; EXIT_OK or with *cause.
 * Detection runs even in a dry run (it only reads). */
static int
detect(struct upgrade_run *u, char **cause)
{
	struct runner probe, *on = &u->r;
	char *why = NULL;
	int rc;

	if (runner_open(&u->r, u->a, u->ctx->dry_run, NULL, &why) != 0) {
		*cause = xprintf(_("cannot reach the control host: %s"), why);
		free(why);
		return EXIT_FAIL;
	}
	u->have_runner = 1;
	if (u->ctx->dry_run) {
		if (runner_open(&probe, u->a, 0, NULL, &why) != 0) {
			*cause = xprintf(_("cannot reach the control host: "
			    "%s"), why);
			free(why);
			return EXIT_FAIL;
		}
		on = &probe;
	}
	rc = upgrade_detect(on, u->a, u->o.file, &u->s, &why);
	u->have_site = 1;
	if (rc == 0)
		upgrade_requirements(on, u->a, u->m, &u->l);
	if (u->ctx->dry_run)
		runner_close(&probe);
	if (rc != 0) {
		*cause = xprintf(_("cannot tell what is installed: %s"), why);
		free(why);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* helm template of BUNDLE's operator-wandb chart with A's values, on R;
 * NULL with *why. */
static char *
render_release(struct runner *r, const struct answers *a, const char *bundle,
    int flags, size_t *len, char **why)
{
	struct chart_src s;
	char *values, *out = NULL;
	size_t vlen;
	int cached;

	if (chart_src_open(&s, NULL, bundle, why) != 0)
		return NULL;
	if ((values = chart_values(a, &vlen, why)) != NULL &&
	    chart_template(r, &s, values, vlen, flags, &out, len, &cached,
	    why) != 0)
		out = NULL;
	free(values);
	chart_src_close(&s);
	return out;
}

/*
 * The current release's manifests: `helm get manifest` of the release the
 * operator installs (named as the resource, wandb/operator's
 * WeightsAndBiases reconcile), where the cluster answers; else a render of
 * the answers (still the installed release's) with the chart of the bundle
 * installed (airgap.bundle).  NULL with *why.
 */
static char *
current_manifests(struct upgrade_run *u, struct runner *r, size_t *len,
    const char **how, char **why)
{
	const char *argv[] = { "helm", "get", "manifest", RENDER_CR_NAME,
	    "--namespace", answers_get(u->a, "kubernetes.namespace"), NULL };
	const char *bundle = answers_get(u->a, "airgap.bundle");
	struct run_result res;
	char *cause = NULL, *file, *out;

	if (runner_run(r, argv, NULL, 0, NULL, 60000, &res, &cause) == 0 &&
	    res.status == 0 && res.outlen > 0) {
		*how = "helm get manifest";
		*len = res.outlen;
		out = res.out;
		res.out = NULL;
		run_result_free(&res);
		return out;
	}
	if (cause == NULL)
		run_result_free(&res);
	free(cause);
	if (*bundle == '\0') {
		*why = xstrdup(_("helm get manifest gave nothing, and no "
		    "airgap.bundle holds the installed chart"));
		return NULL;
	}
	*how = bundle;
	file = answers_get_path(u->a, "airgap.bundle");
	out = render_release(r, u->a, file, 0, len, why);
	free(file);
	return out;
}

/*
 * The diff as data, for upgrade --dry-run --json: {"installed", "target",
 * "compared", "reason", "changes": [{object, change, what, from, to}],
 * "left_out"}.  M NULL: not compared, for WHY.
 */
static void
diff_json(struct upgrade_run *u, const struct mdiff *m, size_t dropped,
    const char *why)
{
	json_t *root = NULL;
	char *s;

	if (!u->o.json)
		return;
	if (m != NULL && (s = mdiff_json(m)) != NULL) {
		root = json_loads(s, 0, NULL);
		free(s);
	}
	if (root == NULL)
		root = json_pack("{s:[]}", "changes");
	json_object_set_new(root, "installed", json_string(upgrade_from(u)));
	json_object_set_new(root, "target", json_string(u->m->version));
	json_object_set_new(root, "compared", json_boolean(m != NULL));
	json_object_set_new(root, "reason", why != NULL ? json_string(why) :
	    json_null());
	json_object_set_new(root, "left_out", json_integer((json_int_t)dropped));
	free(u->manifests_json);
	u->manifests_json = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
}

/* Not compared, for WHY: said to OUT, and kept for --json. */
static void
not_compared(struct upgrade_run *u, FILE *out, char *why)
{
	fprintf(out, _("Manifests: not compared: %s\n\n"), why);
	diff_json(u, NULL, 0, why);
	free(why);
}

/* What the release changes in the cluster's objects (before the answers
 * take the new version: called twice, with OLD NULL first). */
static void
manifest_diff(struct upgrade_run *u, char **old, size_t *oldlen, FILE *out)
{
	struct runner r;
	struct mdiff m, noise;
	const char *how = NULL;
	char *why = NULL, *new_, *again;
	size_t newlen, againlen, dropped = 0;

	if (runner_open(&r, u->a, 0, NULL, &why) != 0) {
		not_compared(u, out, why);
		return;
	}
	if (*old == NULL) {
		*old = current_manifests(u, &r, oldlen, &how, &why);
		if (*old == NULL)
			not_compared(u, out, why);
		else
			log_info("upgrade: the installed manifests from %s",
			    how);
		runner_close(&r);
		return;
	}
	new_ = render_release(&r, u->a, u->o.bundle, 0, &newlen, &why);
	/* What the chart makes at random (generated passwords) differs in
	 * every render: a second render of the new release says what. */
	again = new_ == NULL ? NULL : render_release(&r, u->a, u->o.bundle,
	    CHART_FRESH, &againlen, &why);
	runner_close(&r);
	if (again == NULL || mdiff_compute(*old, *oldlen, new_, newlen, &m,
	    &why) != 0) {
		not_compared(u, out, why);
		free(new_);
		free(again);
		return;
	}
	if (mdiff_compute(new_, newlen, again, againlen, &noise, &why) == 0) {
		dropped = mdiff_drop(&m, &noise);
		mdiff_free(&noise);
	} else
		free(why);
	fprintf(out, _("Manifests, installed → %s (images, env and config "
	    "of each workload; secrets masked):\n"), u->m->version);
	mdiff_print(out, &m);
	if (dropped > 0)
		fprintf(out, ngettext("  (%zu value the chart generates anew "
		    "on every render, such as a password, is left out)\n",
		    "  (%zu values the chart generates anew on every render, "
		    "such as passwords, are left out)\n", dropped), dropped);
	fprintf(out, "\n");
	diff_json(u, &m, dropped, NULL);
	mdiff_free(&m);
	free(new_);
	free(again);
}

/* Which plan: the upgrade, or the pre-operator migration. */
static int
choose_plan(struct upgrade_run *u, FILE *out, char **cause)
{
	const struct upgrade_site *s = &u->s;
	int cmp;

	u->p = &upgrade_plan;
	if (s->pre_operator != NULL && s->operator == NULL) {
		if (!u->o.migrate) {
			fprintf(out, _("A pre-operator install: helm release %s "
			    "of chart %s.  W&B now runs under the operator; "
			    "the move is its own plan (back up, install the "
			    "operator, apply the WeightsAndBiases resource, "
			    "wait, verify, then remove %s).  Look at it with "
			    "--migrate --dry-run, run it with --migrate.\n"),
			    s->pre_operator->name, s->pre_operator->chart,
			    s->pre_operator->name);
			log_info("upgrade: pre-operator release %s found",
			    s->pre_operator->name);
			u->stop = US_PRE_OPERATOR;
			return EXIT_FAIL;
		}
		u->p = &upgrade_migrate_plan;
		u->info.pre_release = s->pre_operator->name;
	} else if (u->o.migrate) {
		*cause = xprintf(_("--migrate: there is no pre-operator release "
		    "(a helm release of chart %s) in namespace %s"),
		    UPGRADE_PRE_OPERATOR_CHART, answers_get(u->a,
		    "kubernetes.namespace"));
		u->stop = US_ERROR;
		return EXIT_USAGE;
	}
	if (s->current == NULL && !s->have_cr && s->pre_operator == NULL) {
		*cause = xprintf(_("nothing is installed in namespace %s: use "
		    "`wbinstall install`"), answers_get(u->a,
		    "kubernetes.namespace"));
		u->stop = US_ERROR;
		return EXIT_FAIL;
	}
	if (s->current != NULL) {
		cmp = upgrade_version_cmp(u->m->version, s->current);
		if (cmp < 0 && !u->o.downgrade) {
			*cause = xprintf(_("%s is older than the installed %s: "
			    "refusing a downgrade (the database may have been "
			    "migrated; --allow-downgrade if you are sure)"),
			    u->m->version, s->current);
			u->stop = US_DOWNGRADE;
			return EXIT_FAIL;
		}
		if (cmp == 0 && u->p == &upgrade_plan) {
			fprintf(out, _("%s is already installed: nothing to "
			    "do.\n"), s->current);
			u->stop = US_NOTHING;
			return EXIT_OK;
		}
	}
	return EXIT_OK;
}

void
upgrade_opts_from_answers(const struct answers *a, const struct run_flags *f,
    const char *bundle, struct upgrade_opts *o)
{
	memset(o, 0, sizeof *o);
	o->file = a->path;
	o->bundle = bundle;
	o->backup_dir = f->backup_dir != NULL ? f->backup_dir :
	    UPGRADE_BACKUP_DIR_DEFAULT;
	o->confirmed = f->backup_confirmed;
	o->downgrade = f->allow_downgrade;
	o->migrate = f->migrate;
	o->json = f->json;
	o->force = f->force;
	o->color = f->color;
}

int
upgrade_prepare(struct upgrade_run *u, const struct upgrade_opts *o,
    struct plan_ctx *ctx, struct answers *a,
    const struct bundle_manifest *m, FILE *out, char **cause)
{
	char stamp[32], abs[PATH_MAX], *old = NULL;
	time_t now = time(NULL);
	struct tm tm;
	size_t i, oldlen = 0;
	int rc;

	memset(u, 0, sizeof *u);
	u->o = *o;
	if (u->o.backup_dir == NULL)
		u->o.backup_dir = UPGRADE_BACKUP_DIR_DEFAULT;
	u->ctx = ctx;
	u->a = a;
	u->m = m;
	*cause = NULL;
	u->stop = US_ERROR;
	if ((rc = detect(u, cause)) != EXIT_OK)
		return rc;
	u->stop = US_NONE;
	show_site(out, &u->s, m->version);
	if ((rc = choose_plan(u, out, cause)) != EXIT_OK ||
	    u->stop != US_NONE)
		return rc;
	fprintf(out, _("Requirements of %s %s:\n"), m->name, m->version);
	checks_print(out, &u->l, u->o.color);
	/* A dirty schema is no requirement that --force may skip: more
	 * migrations on it only break it further. */
	for (i = 0; i < u->l.n; i++)
		if (strcmp(u->l.v[i].id, "mysql.migrations") == 0 &&
		    u->l.v[i].status == CHECK_FAIL) {
			*cause = xprintf(_("%s; nothing was changed, --force "
			    "or not"), u->l.v[i].message);
			u->stop = US_REQUIREMENTS;
			return EXIT_FAIL;
		}
	if (checks_count(&u->l, CHECK_FAIL) > 0 && !u->o.force) {
		*cause = xstrdup(_("the site does not meet the release's "
		    "requirements (above); fix them, or --force"));
		u->stop = US_REQUIREMENTS;
		return EXIT_FAIL;
	}

	/* The installed release's manifests, before the answers change. */
	if (strcmp(answers_get(a, "deployment.platform"), "kubernetes") == 0)
		manifest_diff(u, &old, &oldlen, out);
	/* The new release, in memory: its version and bundle. */
	u->stop = US_ERROR;
	if (answers_set(a, "deployment.wandb_version",
	    upgrade_pinned_version(m), cause) != AE_OK ||
	    (answers_get_bool(a, "airgap.enabled") &&
	    answers_set(a, "airgap.bundle", realpath(o->bundle, abs) != NULL ?
	    abs : o->bundle, cause) != AE_OK)) {
		free(old);
		return EXIT_USAGE;
	}
	if (old != NULL) {
		manifest_diff(u, &old, &oldlen, out);
		free(old);
	}
	u->info.target = m->version;
	if (!u->o.confirmed) {
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
		u->backup = xprintf("%s/%s-%s.sql.gz", u->o.backup_dir,
		    answers_get(a, "mysql.database"), stamp);
		u->info.backup_path = u->backup;
	}
	ctx->a = a;
	ctx->run = &u->r;
	ctx->upgrade = &u->info;
	upgrade_show_images(ctx, u->o.bundle, m, out);
	fprintf(out, _("Rendered files, installed → %s:\n"), m->version);
	if (plan_files(ctx, cause) == NULL ||
	    render_diff(&ctx->files, ctx->render_dir, out, cause) < 0)
		return EXIT_FAIL;
	fprintf(out, "\n");
	if (journal_open(&u->j, o->file, ctx->dry_run, cause) != 0)
		return EXIT_FAIL;
	u->have_journal = 1;
	ctx->journal = &u->j;
	u->stop = US_NONE;
	return EXIT_OK;
}

int
upgrade_apply(struct upgrade_run *u, FILE *out)
{
	struct plan_ctx *ctx = u->ctx;
	char *cause = NULL;
	int rc;

	if (save_previous(&u->s, u->o.file, &cause) != 0) {
		fprintf(out, "wbinstall: %s\n", cause);
		log_error("upgrade: %s", cause);
		free(cause);
		return EXIT_FAIL;
	}
	log_info("upgrade: %s -> %s (%s plan) on %s", upgrade_from(u),
	    u->m->version, u->p->name, u->r.where);
	rc = plan_run(ctx, u->p);
	if (rc != EXIT_OK) {
		if (changed_cluster(&u->j)) {
			if (rollback(ctx, &u->s, u->o.file,
			    u->p == &upgrade_migrate_plan) == 0)
				fprintf(out, _("\nThe upgrade to %s failed and "
				    "was rolled back; the journal "
				    "(.wbinstall-state) records each step.\n"),
				    u->m->version);
			else
				fprintf(out, _("\nThe upgrade to %s failed, "
				    "and so did its rollback; the journal "
				    "(.wbinstall-state) records each step.\n"),
				    u->m->version);
		} else
			fprintf(out, _("\nThe upgrade to %s stopped before "
			    "it changed the cluster.\n"), u->m->version);
		return rc;
	}
	fprintf(out, _("Upgraded: %s → %s\n"), upgrade_from(u),
	    u->m->version);
	record_version(out, u->o.file, u->m,
	    answers_get_bool(u->a, "airgap.enabled") ?
	    answers_get(u->a, "airgap.bundle") : NULL);
	return EXIT_OK;
}

void
upgrade_run_free(struct upgrade_run *u)
{
	if (u->have_journal)
		journal_close(&u->j);
	if (u->ctx != NULL)
		u->ctx->journal = NULL;
	checks_free(&u->l);
	if (u->have_site)
		upgrade_site_free(&u->s);
	if (u->have_runner)
		runner_close(&u->r);
	if (u->ctx != NULL && u->ctx->run == &u->r)
		u->ctx->run = NULL;
	if (u->ctx != NULL && u->ctx->upgrade == &u->info)
		u->ctx->upgrade = NULL;
	free(u->backup);
	free(u->manifests_json);
	memset(u, 0, sizeof *u);
}
