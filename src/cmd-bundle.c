/*
 * wbinstall bundle create|keygen|verify|inspect|unpack|push
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "answers.h"
#include "bundle-complete.h"
#include "bundle.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "secret.h"
#include "util.h"
#include "xmalloc.h"

extern const struct cmd_entry cmd_bundle_entry;
#define SELF (&cmd_bundle_entry)

/* The progress bar: one line on stderr, redrawn at most 10 times a second. */
struct bar {
	struct timespec last;
	int shown;
	const char *verb;
};

static void
bar_update(void *arg, const char *what, int64_t done, int64_t total)
{
	struct bar *b = arg;
	struct timespec now;
	char d[32], t[32], fill[31];
	int pct, i, n;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (done < total && b->shown && (now.tv_sec - b->last.tv_sec) * 1000 +
	    (now.tv_nsec - b->last.tv_nsec) / 1000000 < 100)
		return;
	b->last = now;
	b->shown = 1;
	pct = total > 0 ? (int)(done * 100 / total) : 100;
	if (pct > 100)
		pct = 100;
	n = pct * 30 / 100;
	for (i = 0; i < 30; i++)
		fill[i] = i < n ? '#' : '-';
	fill[30] = '\0';
	bundle_size_text(d, sizeof d, done);
	bundle_size_text(t, sizeof t, total);
	(void)what;
	fprintf(stderr, "\r%-8s [%s] %3d%%  %s / %s   ", b->verb, fill, pct,
	    d, t);
	fflush(stderr);
}

static void
bar_done(struct bar *b)
{
	if (b->shown)
		fprintf(stderr, "\n");
}

/* Set by SIGINT or SIGTERM (its number) while a bundle command works. */
static atomic_int interrupted;

/* A progress bar when SHOW (see show_progress), else none. */
static const struct bundle_progress *
bar_init(struct bar *b, struct bundle_progress *pr, const char *verb,
    int show)
{
	memset(b, 0, sizeof *b);
	memset(pr, 0, sizeof *pr);
	b->verb = verb;
	pr->cancel = &interrupted;	/* the bar or not: SIGINT, SIGTERM */
	if (!show)
		return pr;
	pr->update = bar_update;
	pr->arg = b;
	return pr;
}

/*
 * SIGINT and SIGTERM during a create, verify, unpack or push: the core
 * stops after its current block, chunk or blob and removes what it left
 * (unpack's DIR/.partial); then the signal ends the process as it would
 * have, so that the caller sees it.
 */
static void
on_signal(int sig)
{
	interrupted = sig;
}

static void
signals_catch(struct sigaction old[2])
{
	struct sigaction sa;

	interrupted = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
}

static void
signals_release(const struct sigaction old[2])
{
	int sig = interrupted;

	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	if (sig != 0) {
		log_error("bundle: stopped by signal %d; what it left is "
		    "removed", sig);
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

static int
fail(int code, char *cause)
{
	int rc = cmd_fail(code, "%s", cause);

	free(cause);
	return rc;
}

static int
parse_size(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (end == s || v <= 0)
		return -1;
	switch (*end) {
	case 'k': case 'K':
		v *= 1024;
		end++;
		break;
	case 'm': case 'M':
		v *= 1024 * 1024;
		end++;
		break;
	case 'g': case 'G':
		v *= 1024LL * 1024 * 1024;
		end++;
		break;
	}
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Resolve --password {env: NAME}|{file: PATH}|{value: ...}. */
static char *
password_resolve(const char *text, char **cause)
{
	struct secret_ref ref;
	char *v;

	memset(&ref, 0, sizeof ref);
	if (secret_parse(text, &ref, cause) != 0)
		return NULL;
	v = secret_resolve(&ref, "--password", cause);
	secret_clear(&ref);
	return v;
}

enum {
	O_SPEC = CMD_LONG, O_SOURCE, O_PLAIN, O_CHARTS, O_OUT, O_SIGNKEY,
	O_PUBKEY, O_REQSIG, O_JSON, O_DIR, O_REGISTRY, O_CA, O_USER,
	O_PASSWORD, O_PLATFORM, O_JOBS, O_CHUNK, O_RATE, O_CHARTREPO,
	O_NOCHARTS, O_QUIET, O_ANSWERS, O_ADDMISSING, O_NOIMGCHECK,
	O_NOPROGRESS
};

/* Each option names the subcommands it belongs to ("!": required). */
static const struct cmd_opt bundle_opts[] = {
	{ "spec", O_SPEC, "SPEC", N_("the release spec (bundles/*.yaml)"),
	    "create!" },
	{ "source", O_SOURCE, "oci:DIR|registry:HOST[:PORT]", N_("where the "
	    "images are read: an OCI layout or a registry"), "create!" },
	{ "out", O_OUT, "FILE", N_("the bundle to write; keygen: the key "
	    "(and FILE.pub)"), "create! keygen!" },
	{ "charts", O_CHARTS, "DIR", N_("the directory of the spec's charts "
	    "(NAME-VERSION.tgz)"), "create" },
	{ "sign-key", O_SIGNKEY, "PEM", N_("sign the manifest with this "
	    "ed25519 key"), "create" },
	{ "platform", O_PLATFORM, "OS/ARCH", N_("the platform taken from an "
	    "image index (linux/amd64)"), "create" },
	{ "answers", O_ANSWERS, "FILE", N_("also check the images against "
	    "this site's values"), "create" },
	{ "add-missing", O_ADDMISSING, NULL, N_("add the images the chart "
	    "renders and the spec lacks"), "create" },
	{ "no-image-check", O_NOIMGCHECK, NULL, N_("do not render the chart "
	    "to check the images"), "create" },
	{ "registry", O_REGISTRY, "HOST[:PORT]", N_("the registry to push "
	    "to"), "push!" },
	{ "plain-http", O_PLAIN, NULL, N_("the registry speaks plain HTTP"),
	    "create push" },
	{ "ca", O_CA, "PEM", N_("also trust this CA for the registry"),
	    "create push" },
	{ "user", O_USER, "U", N_("the registry user"), "create push" },
	{ "password", O_PASSWORD, "REF", N_("the registry password, as a "
	    "secret reference"), "create push" },
	{ "pubkey", O_PUBKEY, "PEM", N_("check the signature with this public "
	    "key"), "verify unpack push" },
	{ "require-signature", O_REQSIG, NULL, N_("refuse an unsigned "
	    "bundle"), "verify unpack push" },
	{ "json", O_JSON, NULL, N_("print the manifest as JSON"), "inspect" },
	{ "dir", O_DIR, "DIR", N_("unpack into DIR"), "unpack!" },
	{ "jobs", O_JOBS, "N", N_("images pushed at once, 1-16 (3)"),
	    "push" },
	{ "chunk-size", O_CHUNK, "SIZE", N_("the size of an upload's PATCH "
	    "requests, such as 8M"), "push" },
	{ "limit-rate", O_RATE, "BYTES/S", N_("at most this many bytes a "
	    "second, such as 50M"), "push" },
	{ "chart-repo", O_CHARTREPO, "oci://HOST[:PORT][/PATH]", N_("push the "
	    "charts there (default: REGISTRY/charts)"), "push" },
	{ "no-charts", O_NOCHARTS, NULL, N_("push the images only"), "push" },
	{ "no-progress", O_NOPROGRESS, NULL, N_("no progress bar (it shows "
	    "when stderr is a terminal)"), "create verify unpack push" },
	{ "quiet", O_QUIET, NULL, N_("print nothing but errors"),
	    "create keygen verify unpack push" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct cmd_sub bundle_subs[] = {
	{ "create", NULL, NULL },
	{ "keygen", NULL, NULL },
	{ "verify", NULL, "FILE" },
	{ "inspect", NULL, "FILE" },
	{ "unpack", NULL, "FILE" },
	{ "push", NULL, "FILE|DIR" },
	{ NULL, NULL, NULL }
};

struct args {
	const char *sub;
	const char *spec, *source, *charts, *out, *sign_key, *pubkey, *dir;
	const char *registry, *ca, *user, *password, *platform, *chart_repo;
	const char *answers;
	int plain_http, require_sig, json, quiet, jobs, no_charts;
	int add_missing, no_image_check, no_progress;
	int64_t chunk, rate;
	const char *file;
};

/* Progress (the bar, create's render line) on stderr: only when it is a
 * terminal, and neither --quiet nor --no-progress was given. */
static int
show_progress(const struct args *a)
{
	return !a->quiet && !a->no_progress && isatty(STDERR_FILENO);
}

/* PATH (of OPTION, or the FILE argument when NULL) can be read. */
static int
readable(const char *path, const char *option, int *rc)
{
	if (path == NULL || access(path, R_OK) == 0)
		return 0;
	if (option != NULL)
		*rc = cmd_usage_error(SELF, _("%s %s: %s"), option, path,
		    strerror(errno));
	else
		*rc = cmd_usage_error(SELF, "%s: %s", path, strerror(errno));
	return -1;
}

/* Parse the options of a subcommand; -1: exit with *rc. */
static int
parse_args(int argc, char **argv, struct args *a, int *rc)
{
	struct cmd_parse p;
	int c;
	char *end;

	cmd_parse_init(&p, SELF, a->sub);
	while ((c = cmd_parse_next(&p, argc, argv)) > 0) {
		switch (c) {
		case O_SPEC: a->spec = optarg; break;
		case O_SOURCE: a->source = optarg; break;
		case O_PLAIN: a->plain_http = 1; break;
		case O_CHARTS: a->charts = optarg; break;
		case O_OUT: a->out = optarg; break;
		case O_SIGNKEY: a->sign_key = optarg; break;
		case O_PUBKEY: a->pubkey = optarg; break;
		case O_REQSIG: a->require_sig = 1; break;
		case O_JSON: a->json = 1; break;
		case O_DIR: a->dir = optarg; break;
		case O_REGISTRY: a->registry = optarg; break;
		case O_CA: a->ca = optarg; break;
		case O_USER: a->user = optarg; break;
		case O_PASSWORD: a->password = optarg; break;
		case O_PLATFORM: a->platform = optarg; break;
		case O_QUIET: a->quiet = 1; break;
		case O_NOCHARTS: a->no_charts = 1; break;
		case O_ANSWERS: a->answers = optarg; break;
		case O_ADDMISSING: a->add_missing = 1; break;
		case O_NOIMGCHECK: a->no_image_check = 1; break;
		case O_NOPROGRESS: a->no_progress = 1; break;
		case O_CHARTREPO:
			if (strncmp(optarg, "oci://", 6) != 0 ||
			    optarg[6] == '\0' || optarg[6] == '/') {
				*rc = cmd_usage_error(SELF, _("--chart-repo "
				    "takes oci://HOST[:PORT][/PATH], not '%s'"),
				    optarg);
				cmd_parse_free(&p);
				return -1;
			}
			a->chart_repo = optarg;
			break;
		case O_JOBS:
			a->jobs = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || a->jobs < 1 || a->jobs > 16) {
				*rc = cmd_usage_error(SELF, _("--jobs takes a "
				    "number in 1-16"));
				cmd_parse_free(&p);
				return -1;
			}
			break;
		case O_CHUNK:
		case O_RATE:
			if (parse_size(optarg, c == O_CHUNK ? &a->chunk :
			    &a->rate) != 0) {
				*rc = cmd_usage_error(SELF, _("%s takes a size "
				    "such as 8M, not '%s'"), argv[optind - 1],
				    optarg);
				cmd_parse_free(&p);
				return -1;
			}
			break;
		}
	}
	cmd_parse_free(&p);
	if (c < 0) {
		*rc = p.rc;
		return -1;
	}
	if (optind < argc)
		a->file = argv[optind++];
	if (optind < argc) {
		*rc = cmd_usage_error(SELF, _("unexpected argument '%s'"),
		    argv[optind]);
		return -1;
	}
	if (a->require_sig && a->pubkey == NULL) {
		*rc = cmd_usage_error(SELF, _("--require-signature needs "
		    "--pubkey PEM"));
		return -1;
	}
	/* Inputs that are not there are bad usage (2), found before any
	 * work; what they hold is checked as it is read (1). */
	if (readable(strcmp(a->sub, "create") != 0 &&
	    strcmp(a->sub, "keygen") != 0 ? a->file : NULL, NULL, rc) != 0 ||
	    readable(a->pubkey, "--pubkey", rc) != 0 ||
	    readable(a->ca, "--ca", rc) != 0 ||
	    readable(a->sign_key, "--sign-key", rc) != 0 ||
	    readable(a->charts, "--charts", rc) != 0 ||
	    readable(a->answers, "--answers", rc) != 0)
		return -1;
	return 0;
}

/*
 * The spec's operator-wandb chart, rendered with the defaults of every
 * products set and with --answers, must pull only images the spec
 * carries.  0: go on (*miss holds what --add-missing adds; *checked is
 * NULL when there was no chart to render); else the exit status, after a
 * message.
 */
static int
complete_check(const struct args *a, const struct bundle_manifest *spec,
    struct bundle_missing_list *miss, char **checked)
{
	struct answers *site = NULL;
	char *cause = NULL;
	size_t i;
	int rc;

	if (a->answers != NULL &&
	    (site = cmd_load_answers(a->answers, 0)) == NULL)
		return EXIT_USAGE;
	rc = bundle_complete_check(spec, a->charts, site, a->answers,
	    show_progress(a), miss, checked, &cause);
	answers_free(site);
	if (rc < 0) {
		fail(EXIT_FAIL, cause);
		return EXIT_FAIL;
	}
	if (rc == 1) {
		if (a->answers != NULL)
			fprintf(stderr, _("wbinstall: bundle create: %s lists "
			    "no %s chart: --answers checks nothing\n"),
			    a->spec, "operator-wandb");
		return 0;
	}
	if (miss->n == 0 || a->add_missing) {
		for (i = 0; i < miss->n && !a->quiet; i++)
			fprintf(stderr, _("bundle create: adding %s (%s)\n"),
			    miss->v[i].image, miss->v[i].workloads);
		return 0;
	}
	for (i = 0; i < miss->n; i++)
		fprintf(stderr, _("wbinstall: bundle create: the chart renders "
		    "%s (%s), which %s does not carry\n"), miss->v[i].image,
		    miss->v[i].workloads, a->spec);
	fprintf(stderr, ngettext("wbinstall: bundle create: %zu image "
	    "missing: list it in the spec, or --add-missing takes it from "
	    "--source\n", "wbinstall: bundle create: %zu images missing: "
	    "list them in the spec, or --add-missing takes them from "
	    "--source\n", miss->n), miss->n);
	log_error("bundle create: %zu images missing from %s", miss->n,
	    a->spec);
	bundle_missing_free(miss);
	free(*checked);
	*checked = NULL;
	return EXIT_FAIL;
}

static int
sub_create(struct args *a)
{
	struct sigaction old[2];
	struct bundle_create_opts o;
	struct bundle_progress pr;
	struct bundle_manifest *spec;
	struct bundle_missing_list miss;
	struct bar b;
	char *cause = NULL, *pw = NULL, *checked = NULL, **add;
	size_t i;
	int rc;

	if (a->spec == NULL || a->source == NULL || a->out == NULL)
		return cmd_usage_error(SELF, _("bundle create needs --spec, "
		    "--source and --out"));
	if (a->file != NULL)
		return cmd_usage_error(SELF, _("unexpected argument '%s'"),
		    a->file);
	if ((a->user == NULL) != (a->password == NULL))
		return cmd_usage_error(SELF, _("--user and --password go "
		    "together"));
	if (a->add_missing && a->no_image_check)
		return cmd_usage_error(SELF, _("--add-missing needs the image "
		    "check that --no-image-check turns off"));
	if ((spec = bundle_spec_load(a->spec, &cause)) == NULL)
		return fail(EXIT_USAGE, cause);
	memset(&miss, 0, sizeof miss);
	rc = a->no_image_check ? 0 : complete_check(a, spec, &miss, &checked);
	bundle_manifest_free(spec);
	if (rc != 0)
		return rc;
	if (a->password != NULL && (pw = password_resolve(a->password,
	    &cause)) == NULL) {
		bundle_missing_free(&miss);
		free(checked);
		return fail(EXIT_USAGE, cause);
	}
	memset(&o, 0, sizeof o);
	add = xcalloc(miss.n + 1, sizeof *add);
	for (i = 0; i < miss.n; i++)
		add[i] = miss.v[i].image;
	o.add_images = add;
	o.nadd = miss.n;
	o.checked = checked;
	o.spec = a->spec;
	o.source = a->source;
	o.plain_http = a->plain_http;
	o.ca_file = a->ca;
	o.user = a->user;
	o.password = pw;
	o.charts = a->charts;
	o.platform = a->platform != NULL ? a->platform : "linux/amd64";
	o.out = a->out;
	o.sign_key = a->sign_key;
	o.progress = bar_init(&b, &pr, _("create"), show_progress(a));
	signals_catch(old);
	rc = bundle_create(&o, &cause);
	bar_done(&b);
	signals_release(old);
	if (pw != NULL)
		xfree_secret(pw);
	free(add);
	bundle_missing_free(&miss);
	free(checked);
	if (rc != 0)
		return fail(EXIT_FAIL, cause);
	if (!a->quiet)
		printf(_("%s: written%s\n"), a->out, a->sign_key != NULL ?
		    _(" and signed") : "");
	return EXIT_OK;
}

static int
sub_keygen(struct args *a)
{
	char *cause = NULL;

	if (a->out == NULL || a->file != NULL)
		return cmd_usage_error(SELF, _("bundle keygen needs --out "
		    "KEY"));
	if (bundle_keygen(a->out, &cause) != 0)
		return fail(EXIT_FAIL, cause);
	if (!a->quiet)
		printf(_("%s: private key (mode 0600); %s.pub: public key\n"),
		    a->out, a->out);
	return EXIT_OK;
}

static int
sub_read(struct args *a, int unpack)
{
	struct sigaction old[2];
	struct bundle_read_opts o;
	struct bundle_progress pr;
	struct bundle_manifest *m = NULL;
	struct bar b;
	char *cause = NULL, *name, *version;
	int rc;

	if (a->file == NULL)
		return cmd_usage_error(SELF, _("bundle %s needs FILE"),
		    a->sub);
	if (unpack && a->dir == NULL)
		return cmd_usage_error(SELF, _("bundle unpack needs --dir "
		    "DIR"));
	memset(&o, 0, sizeof o);
	o.pubkey = a->pubkey;
	o.require_sig = a->require_sig;
	o.dir = unpack ? a->dir : NULL;
	o.progress = bar_init(&b, &pr, unpack ? _("unpack") : _("verify"),
	    show_progress(a));
	signals_catch(old);
	rc = bundle_read(a->file, &o, &m, &cause);
	bar_done(&b);
	signals_release(old);
	if (rc != 0)
		return fail(EXIT_FAIL, cause);
	if (!a->quiet) {
		name = text_printable(m->name);
		version = text_printable(m->version);
		if (unpack)
			printf(_("%s: %s %s verified and unpacked into %s\n"),
			    a->file, name, version, a->dir);
		else
			printf(_("%s: %s %s verified: %zu files%s\n"), a->file,
			    name, version, m->nfiles, a->pubkey != NULL ?
			    _(", signature good") : "");
		free(name);
		free(version);
	}
	bundle_manifest_free(m);
	return EXIT_OK;
}

static json_t *
inspect_json(const struct bundle_manifest *m, int sig)
{
	json_t *root, *req, *imgs, *charts;
	const struct bundle_file *f;
	size_t i;

	req = json_object();
	for (i = 0; i < m->nreq; i++)
		json_object_set_new(req, m->req[i].key,
		    json_string(m->req[i].value));
	imgs = json_array();
	for (i = 0; i < m->nimages; i++)
		json_array_append_new(imgs, json_pack("{s:s, s:s, s:s, s:I}",
		    "ref", m->images[i].ref, "digest", m->images[i].digest,
		    "platform", m->images[i].platform != NULL ?
		    m->images[i].platform : "", "size",
		    (json_int_t)m->images[i].size));
	charts = json_array();
	for (i = 0; i < m->ncharts; i++) {
		f = bundle_manifest_file(m, m->charts[i].path);
		json_array_append_new(charts, json_pack("{s:s, s:s, s:s, s:I}",
		    "name", m->charts[i].name, "version", m->charts[i].version,
		    "path", m->charts[i].path, "size",
		    (json_int_t)(f != NULL ? f->size : 0)));
	}
	root = json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:I, s:I}",
	    "name", m->name, "version", m->version, "created",
	    m->created != NULL ? m->created : "", "signed", sig,
	    "requirements", req, "images", imgs, "charts", charts, "files",
	    (json_int_t)m->nfiles, "size",
	    (json_int_t)bundle_manifest_total(m));
	json_object_set_new(root, "checked", m->checked != NULL ?
	    json_string(m->checked) : json_null());
	return root;
}

static int
sub_inspect(struct args *a)
{
	struct bundle_manifest *m;
	char *cause = NULL, *s;
	json_t *j;
	int sig;

	if (a->file == NULL)
		return cmd_usage_error(SELF, _("bundle inspect needs FILE"));
	if ((m = bundle_inspect(a->file, &sig, NULL, &cause)) == NULL)
		return fail(EXIT_FAIL, cause);
	if (a->json) {
		j = inspect_json(m, sig);
		s = json_dumps(j, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		json_decref(j);
		bundle_manifest_free(m);
		return EXIT_OK;
	}
	bundle_manifest_print(stdout, m, sig);
	bundle_manifest_free(m);
	return EXIT_OK;
}

static int
sub_push(struct args *a)
{
	struct sigaction old[2];
	struct bundle_push_opts o;
	struct bundle_push_stats st;
	struct bundle_progress pr;
	struct bar b;
	char *cause = NULL, *pw = NULL, *summary;
	int rc;

	if (a->file == NULL || a->registry == NULL)
		return cmd_usage_error(SELF, _("bundle push needs FILE|DIR and "
		    "--registry HOST[:PORT]"));
	if ((a->user == NULL) != (a->password == NULL))
		return cmd_usage_error(SELF, _("--user and --password go "
		    "together"));
	if (a->password != NULL && (pw = password_resolve(a->password,
	    &cause)) == NULL)
		return fail(EXIT_USAGE, cause);
	memset(&o, 0, sizeof o);
	memset(&st, 0, sizeof st);
	o.registry = a->registry;
	o.chart_repo = a->chart_repo;
	o.no_charts = a->no_charts;
	o.plain_http = a->plain_http;
	o.ca_file = a->ca;
	o.user = a->user;
	o.password = pw;
	o.pubkey = a->pubkey;
	o.require_sig = a->require_sig;
	o.jobs = a->jobs;
	o.chunk = a->chunk;
	o.limit_rate = a->rate;
	o.progress = bar_init(&b, &pr, _("push"), show_progress(a));
	signals_catch(old);
	rc = bundle_push(a->file, &o, &st, &cause);
	bar_done(&b);
	signals_release(old);
	if (pw != NULL)
		xfree_secret(pw);
	if (rc != 0)
		return fail(EXIT_FAIL, cause);
	summary = bundle_push_summary(&st, a->registry);
	if (!a->quiet)
		printf("%s\n", summary);
	free(summary);
	return EXIT_OK;
}

static int
cmd_bundle_exec(int argc, char **argv)
{
	struct args a;
	size_t i;
	int rc = EXIT_OK;

	memset(&a, 0, sizeof a);
	if (argc < 2)
		return cmd_usage_error(SELF, _("a subcommand is required"));
	a.sub = argv[1];
	if (strcmp(a.sub, "--help") == 0 || strcmp(a.sub, "-h") == 0) {
		cmd_print_help(SELF);
		return EXIT_OK;
	}
	for (i = 0; bundle_subs[i].name != NULL; i++)
		if (strcmp(a.sub, bundle_subs[i].name) == 0)
			break;
	if (bundle_subs[i].name == NULL)
		return cmd_usage_error(SELF, _("unknown subcommand '%s'"),
		    a.sub);
	if (parse_args(argc - 1, argv + 1, &a, &rc) != 0)
		return rc;
	switch (a.sub[0]) {
	case 'c':
		return sub_create(&a);
	case 'k':
		return sub_keygen(&a);
	case 'v':
		return sub_read(&a, 0);
	case 'i':
		return sub_inspect(&a);
	case 'u':
		return sub_read(&a, 1);
	default:
		return sub_push(&a);
	}
}

const struct cmd_entry cmd_bundle_entry = {
	"bundle",
	N_("create|keygen|verify|inspect|unpack|push [OPTIONS]"),
	N_("Build, check, unpack and push offline (air-gap) bundles."),
	N_("keygen makes an ed25519 key pair (KEY and KEY.pub, PEM); inspect "
	   "reads only\nthe bundle's head.\n"
	   "\ncreate renders the spec's operator-wandb chart (from --charts) "
	   "with helm, with\nthe defaults of every products set and with "
	   "--answers FILE's values, and\nrefuses a bundle that lacks an "
	   "image it renders (exit 1, naming each and\nits workloads); "
	   "--add-missing takes them from --source instead;\n"
	   "--no-image-check skips it (a bundle of part of the images).\n"
	   "\nREF is a secret reference: {env: NAME}, {file: PATH} or "
	   "{value: \"...\"}.\n"
	   "A progress bar is shown when stderr is a terminal, unless "
	   "--no-progress or\n--quiet is given.\n"
	   "\nExit status: 0 success, 1 the bundle failed a check or an "
	   "operation failed,\n2 bad usage or invalid input.\n"),
	cmd_bundle_exec,
	bundle_opts,
	bundle_subs,
};
