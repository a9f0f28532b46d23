/* The plan engine: actions run in order under the journal. */

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "bundle.h"
#include "exitcode.h"
#include "i18n.h"
#include "log.h"
#include "plan.h"
#include "presign.h"
#include "xmalloc.h"

/* Lines of a failed command's output shown in the report. */
#define PLAN_TAIL_LINES	12

static const struct action *const kubernetes_actions[] = {
	&action_bundle,
	&action_preflight,
	&action_mysql,
	&action_cors,
	&action_render,
	&action_secrets,
	&action_operator,
	&action_resource,
	&action_wait,
	&action_verify,
	NULL
};

static const struct action *const baremetal_actions[] = {
	&action_render,
	&action_bm_env,
	&action_bm_run,
	&action_verify,
	NULL
};

static const struct plan plans[] = {
	{ "kubernetes", kubernetes_actions, 1 },
	{ "baremetal", baremetal_actions, 1 },
};

const struct plan *
plan_for(const struct answers *a)
{
	const char *platform = answers_get(a, "deployment.platform");
	size_t i;

	for (i = 0; i < sizeof plans / sizeof plans[0]; i++)
		if (strcmp(plans[i].name, platform) == 0)
			return &plans[i];
	return NULL;
}

void
argv_add(struct plan_argv *av, const char *fmt, ...)
{
	va_list ap;

	av->v = xreallocarray(av->v, av->n + 2, sizeof *av->v);
	va_start(ap, fmt);
	xvasprintf(&av->v[av->n++], fmt, ap);
	va_end(ap);
	av->v[av->n] = NULL;
}

void
argv_free(struct plan_argv *av)
{
	size_t i;

	for (i = 0; i < av->n; i++)
		free(av->v[i]);
	free(av->v);
	av->v = NULL;
	av->n = 0;
}

const struct render_set *
plan_files(struct plan_ctx *c, char **cause)
{
	if (!c->have_files) {
		if (bundle_render(c->a, 0, &c->files, cause) != 0)
			return NULL;
		c->have_files = 1;
	}
	return &c->files;
}

const struct render_file *
plan_file(struct plan_ctx *c, const char *path, char **cause)
{
	const struct render_file *f;

	if (plan_files(c, cause) == NULL)
		return NULL;
	f = render_find(&c->files, path);
	if (f == NULL)
		*cause = xprintf(_("render made no %s"), path);
	return f;
}

const struct render_file *
plan_shown_file(struct plan_ctx *c, const char *path, char **cause)
{
	const struct render_file *f;

	if (!c->have_shown) {
		if (bundle_render(c->a, 1, &c->shown, cause) != 0)
			return NULL;
		c->have_shown = 1;
	}
	f = render_find(&c->shown, path);
	if (f == NULL)
		*cause = xprintf(_("render made no %s"), path);
	return f;
}

char *
plan_hash(const struct plan_ctx *c, const char *first, ...)
{
	char *buf = xstrdup(""), *next, out[65];
	const char *s;
	size_t len = 0, n;
	va_list ap;

	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *)) {
		n = strlen(s) + 1;
		next = xmalloc(len + n);
		memcpy(next, buf, len);
		memcpy(next + len, s, n);
		free(buf);
		buf = next;
		len += n;
	}
	va_end(ap);
	journal_digest(c->journal, buf, len, out);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return xstrdup(out);
}

char *
plan_deployed_inputs(struct plan_ctx *c)
{
	char *cause = NULL, *m;

	if (plan_files(c, &cause) == NULL) {
		free(cause);
		return xstrdup("");
	}
	m = render_manifest(&c->files);
	return m;
}

const char *
plan_namespace(struct plan_ctx *c)
{
	return answers_get(c->a, "kubernetes.namespace");
}

/* The failed command's last lines, for the report and the wizard: a
 * command may echo what it was given, so the secrets are redacted. */
static void
plan_set_output(struct plan_ctx *c, char *both)
{
	char *clean = log_redact(both);

	c->output = runner_tail(clean, PLAN_TAIL_LINES);
	xfree_secret(clean);
	xfree_secret(both);
}

int
plan_exec(struct plan_ctx *c, const char *const *argv, const char *in,
    size_t inlen, const char *in_what, int timeout_ms, struct run_result *res,
    char **cause)
{
	struct run_result mine;
	char *both;

	if (res == NULL)
		res = &mine;
	if (runner_run(c->run, argv, in, inlen, in_what, timeout_ms, res,
	    cause) != 0) {
		free(c->output);
		both = xprintf("%s%s", res->out != NULL ? res->out : "",
		    res->err != NULL ? res->err : "");
		plan_set_output(c, both);
		run_result_free(res);
		return -1;
	}
	if (res->status != 0) {
		free(c->output);
		both = xprintf("%s%s", res->out, res->err);
		plan_set_output(c, both);
		*cause = xprintf(_("%s exited with status %d on %s"), argv[0],
		    res->status, c->run->where);
		run_result_free(res);
		return -1;
	}
	if (res == &mine)
		run_result_free(res);
	return 0;
}

int
plan_on_apps(struct plan_ctx *c, int (*fn)(struct plan_ctx *, char **),
    char **cause)
{
	struct runner *control = c->run, r;
	size_t i;
	int rc = 0, n = 0;

	for (i = 0; i < c->a->ntargets && rc == 0; i++) {
		if (!answers_target_has_role(c->a, i, "app"))
			continue;
		if (runner_open_target(&r, c->a, i, c->dry_run, NULL,
		    cause) != 0)
			return -1;
		c->run = &r;
		rc = fn(c, cause);
		c->run = control;
		runner_close(&r);
		n++;
	}
	if (rc == 0 && n == 0) {
		*cause = xstrdup(_("no target has the role app"));
		return -1;
	}
	return rc;
}

size_t
plan_print_checks(struct plan_ctx *c, struct check_list *l)
{
	size_t nfail;

	if (c->on_checks != NULL)
		c->on_checks(c, l);
	checks_print(c->out, l, isatty(fileno(c->out)) &&
	    getenv("NO_COLOR") == NULL);
	nfail = checks_count(l, CHECK_FAIL);
	checks_free(l);
	return nfail;
}

void
plan_print_cmd(FILE *f, const char *const *argv, const char *in_what)
{
	char *line = runner_format(argv);

	fprintf(f, "      $ %s%s%s\n", line, in_what != NULL ? " < " : "",
	    in_what != NULL ? in_what : "");
	free(line);
}

void
plan_print_stdin(FILE *f, const char *data, size_t len)
{
	char *copy = xstrndup(data, len), *clean = log_redact(copy);
	const char *p, *nl;

	for (p = clean; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			fprintf(f, "        | %s\n", p);
			break;
		}
		fprintf(f, "        | %.*s\n", (int)(nl - p), p);
	}
	free(clean);
	xfree_secret(copy);
}

void
plan_ctx_free(struct plan_ctx *c)
{
	if (c->have_files)
		render_set_free(&c->files);
	c->have_files = 0;
	if (c->have_shown)
		render_set_free(&c->shown);
	c->have_shown = 0;
	free(c->render_dir);
	free(c->output);
	c->render_dir = NULL;
	c->output = NULL;
}

static size_t
plan_count(struct plan_ctx *c, const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; p->v[i] != NULL; i++)
		n += p->v[i]->wanted == NULL || p->v[i]->wanted(c);
	return n;
}

static char *
action_inputs(struct plan_ctx *c, const struct action *act)
{
	char *text, *h;

	if (act->inputs == NULL)
		return plan_hash(c, act->name, NULL);
	text = act->inputs(c);
	h = plan_hash(c, act->name, text, NULL);
	xfree_secret(text);
	return h;
}

void
plan_describe(struct plan_ctx *c, const struct plan *p)
{
	const struct jentry *e;
	size_t i, k = 0, n = plan_count(c, p);
	char *h;

	fprintf(c->out, _("Plan for %s at https://%s; helm and kubectl run on "
	    "%s.\n"), p->name, answers_get(c->a, "domain.fqdn"), c->run->where);
	fprintf(c->out, _("Dry run: nothing is changed.  Secrets are masked "
	    "(***) and never on a command line.\n\n"));
	for (i = 0; p->v[i] != NULL; i++) {
		const struct action *act = p->v[i];

		if (act->wanted != NULL && !act->wanted(c))
			continue;
		k++;
		fprintf(c->out, "[%zu/%zu] %s: %s\n", k, n, act->name,
		    _(act->summary));
		e = c->journal != NULL ? journal_get(c->journal, act->name) :
		    NULL;
		if (e != NULL) {
			h = action_inputs(c, act);
			if (e->state == JS_DONE && strcmp(e->inputs, h) == 0)
				fprintf(c->out, _("      (done; would be "
				    "skipped: its inputs are unchanged)\n"));
			else
				fprintf(c->out, _("      (journal: %s; would "
				    "run)\n"), journal_state_name(e->state));
			free(h);
		}
		act->describe(c, c->out);
	}
}

static void
step(struct plan_ctx *c, size_t k, size_t n, const struct action *act,
    enum plan_step st, const char *cause)
{
	if (c->on_step != NULL)
		c->on_step(c, k, n, act, st, cause);
}

static void
report_failure(struct plan_ctx *c, size_t k, size_t n,
    const struct action *act, const char *cause)
{
	char *clean = log_redact(cause);
	const char *p, *nl;

	step(c, k, n, act, PS_FAILED, clean);
	fprintf(c->out, _("\n✘ %s failed: %s\n"), act->name, clean);
	log_error("install: %s failed: %s", act->name, clean);
	if (c->output != NULL && *c->output != '\0') {
		fprintf(c->out, _("  Last lines of its output:\n"));
		for (p = c->output; *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			fprintf(c->out, "    %.*s\n", nl == NULL ? (int)strlen(p) :
			    (int)(nl - p), p);
			if (nl == NULL)
				break;
		}
	}
	fprintf(c->out, _("  What to do: %s\n"), _(act->hint));
	fprintf(c->out, _("  The journal marks %s failed; run the same command "
	    "again to retry from there.\n"), act->name);
	free(clean);
}

/* Tests only (./configure --enable-test-hooks): die with SIGKILL once
 * ACTION has applied (journal.c's "running" state is then all that is
 * left of it).  A release build has no such hook. */
static void
crash_hook(const struct action *act)
{
#ifdef WB_TEST_HOOKS
	const char *s = getenv("WBINSTALL_TEST_CRASH_AFTER");

	if (s != NULL && strcmp(s, act->name) == 0) {
		log_info("install: WBINSTALL_TEST_CRASH_AFTER=%s", s);
		raise(SIGKILL);
	}
#else
	(void)act;
#endif
}

int
plan_run(struct plan_ctx *c, const struct plan *p)
{
	const struct jentry *e;
	size_t i, k = 0, n = plan_count(c, p);
	char *h, *cause = NULL, *jcause = NULL;
	int rc;

	for (i = 0; c->on_step != NULL && p->v[i] != NULL; i++)
		if (p->v[i]->wanted == NULL || p->v[i]->wanted(c))
			step(c, ++k, n, p->v[i], PS_PENDING, NULL);
	for (i = 0, k = 0; p->v[i] != NULL; i++) {
		const struct action *act = p->v[i];

		if (act->wanted != NULL && !act->wanted(c))
			continue;
		k++;
		if (c->cancel != NULL && *c->cancel) {
			fprintf(c->out, _("\nStopped before %s (interrupted); "
			    "run the same command again to go on.\n"),
			    act->name);
			log_info("install: interrupted before %s", act->name);
			return EXIT_FAIL;
		}
		h = action_inputs(c, act);
		e = journal_get(c->journal, act->name);
		if (e != NULL && e->state == JS_DONE &&
		    strcmp(e->inputs, h) == 0 &&
		    (act->check == NULL || act->check(c))) {
			fprintf(c->out, _("[%zu/%zu] %s: done, inputs "
			    "unchanged: skipped\n"), k, n, act->name);
			log_info("install: %s skipped (done, inputs unchanged)",
			    act->name);
			step(c, k, n, act, PS_SKIPPED, NULL);
			free(h);
			continue;
		}
		fprintf(c->out, "[%zu/%zu] %s: %s\n", k, n, act->name,
		    _(act->summary));
		fflush(c->out);
		log_info("install: %s (%s)", act->name, e == NULL ? "new" :
		    journal_state_name(e->state));
		if (journal_set(c->journal, act->name, JS_RUNNING, h, NULL,
		    &jcause) != 0)
			goto journal_fail;
		free(c->output);
		c->output = NULL;
		step(c, k, n, act, PS_RUNNING, NULL);
		rc = act->apply(c, &cause);
		if (rc == 0)
			crash_hook(act);
		if (journal_set(c->journal, act->name, rc == 0 ? JS_DONE :
		    JS_FAILED, h, rc == 0 ? NULL : cause, &jcause) != 0) {
			free(cause);
			goto journal_fail;
		}
		free(h);
		if (rc != 0) {
			report_failure(c, k, n, act, cause);
			free(cause);
			return EXIT_FAIL;
		}
		step(c, k, n, act, PS_DONE, NULL);
		fprintf(c->out, _("      done\n"));
		fflush(c->out);
	}
	if (p->installs)
		fprintf(c->out, _("\nInstalled: https://%s\n"),
		    answers_get(c->a, "domain.fqdn"));
	return EXIT_OK;

journal_fail:
	free(h);
	fprintf(c->out, "wbinstall: %s\n", jcause);
	log_error("install: %s", jcause);
	free(jcause);
	return EXIT_FAIL;
}
