/*
 * Pods stuck after an install: a W&B pod that stays in Init or
 * CrashLoopBackOff is named with its STATUS and phase, the last lines of
 * the log of the container it waits on, and the check that looks at what
 * it waits for.  The app's init-db container, for one, loops on "waiting
 * for db" until MySQL answers (operator-wandb values.yaml, app.
 * initContainers.init-db); a non-default mysql.port once hung it for good,
 * as the chart tried 3306 there (helm-charts PR #146).  The wait step and
 * `wbinstall verify` (verify.pods) both tell it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kube.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

#define MYSQL_DEFAULT_PORT	3306

/* What to check next, by the container's name or its log; the first
 * entry that matches, the last (both NULL) when none does. */
enum stuck_what { SW_MYSQL, SW_MIGRATE, SW_TLS, SW_BUCKET, SW_OTHER };
static const struct {
	const char *container;	/* in the container's name, or NULL */
	const char *log;	/* in its log, or NULL */
	enum stuck_what what;
} stuck_table[] = {
	{ "init-db", NULL, SW_MYSQL },
	{ NULL, "waiting for db", SW_MYSQL },
	{ NULL, "Can't connect to MySQL", SW_MYSQL },
	{ NULL, "Access denied for user", SW_MYSQL },
	{ "migrate", NULL, SW_MIGRATE },
	{ NULL, "Dirty database version", SW_MIGRATE },
	{ NULL, "x509:", SW_TLS },
	{ NULL, "certificate verify failed", SW_TLS },
	{ NULL, "NoSuchBucket", SW_BUCKET },
	{ NULL, "InvalidAccessKeyId", SW_BUCKET },
	{ NULL, "SignatureDoesNotMatch", SW_BUCKET },
	{ NULL, NULL, SW_OTHER },
};

char *
kube_stuck_hint(const struct answers *a, const struct kube_pod *p,
    const char *log)
{
	const char *c = p->container != NULL ? p->container : "";
	long port = answers_get_int(a, "mysql.port");
	char *hint, *note;
	size_t i;

	for (i = 0; stuck_table[i].container != NULL ||
	    stuck_table[i].log != NULL; i++)
		if ((stuck_table[i].container == NULL ||
		    strstr(c, stuck_table[i].container) != NULL) &&
		    (stuck_table[i].log == NULL ||
		    strstr(log, stuck_table[i].log) != NULL))
			break;
	switch (stuck_table[i].what) {
	case SW_MYSQL:
		hint = xstrdup(_("it waits for MySQL: `wbinstall preflight "
		    "--checks mysql,cluster` checks MySQL from here and from "
		    "the pod network"));
		if (port == MYSQL_DEFAULT_PORT)
			return hint;
		note = xprintf(_("%s; mysql.port is %ld: operator-wandb "
		    "charts before helm-charts PR #146 tried 3306 in this init "
		    "container and waited for good (0.43.8 passes the port)"),
		    hint, port);
		free(hint);
		return note;
	case SW_MIGRATE:
		return xstrdup(_("a database migration does not finish: "
		    "`wbinstall preflight --checks mysql` (a dirty "
		    "schema_migrations, the grants)"));
	case SW_TLS:
		return xstrdup(_("a certificate is not trusted: `wbinstall "
		    "preflight --checks cluster` names who issued the ones the "
		    "pods are shown"));
	case SW_BUCKET:
		return xstrdup(_("the object store refuses it: `wbinstall "
		    "preflight --checks storage,cluster`"));
	case SW_OTHER:
		break;
	}
	return xprintf(_("kubectl describe pod %s --namespace %s says more"),
	    p->name, answers_get(a, "kubernetes.namespace"));
}

/* " for N s|min|h|days"; new. */
static char *
duration(time_t d)
{
	if (d < 120)
		return xprintf(_(" for %lld s"), (long long)d);
	if (d < 120 * 60)
		return xprintf(_(" for %lld min"), (long long)d / 60);
	if (d < 48 * 3600)
		return xprintf(_(" for %lld h"), (long long)d / 3600);
	return xprintf(_(" for %lld days"), (long long)d / 86400);
}

/* LOG's lines, each made printable and prefixed with INDENT; new. */
static char *
indent_lines(const char *log, const char *indent)
{
	const char *p, *nl;
	char *s = xstrdup(""), *line, *clean, *next;

	for (p = log; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(nl - p));
		clean = text_printable(line);
		next = xprintf("%s%s%s%s", s, *s != '\0' ? "\n" : "", indent,
		    clean);
		free(s);
		s = next;
		free(clean);
		free(line);
	}
	return s;
}

char *
kube_stuck_report(struct runner *r, const struct answers *a,
    const struct kube_pod *p, time_t now, const char *indent, char **hint)
{
	const char *ns = answers_get(a, "kubernetes.namespace");
	const char *argv[12];
	char tail[16], *out, *cause = NULL, *lines, *since, *text, *log;
	size_t n = 0;
	int st;

	since = p->started != 0 && now > p->started ?
	    duration(now - p->started) : xstrdup("");
	if (p->container == NULL) {
		*hint = kube_stuck_hint(a, p, "");
		text = xprintf(_("pod %s: %s (phase %s)%s"), p->name,
		    p->status, p->phase, since);
		free(since);
		return text;
	}
	snprintf(tail, sizeof tail, "%d", KUBE_STUCK_LOG_LINES);
	argv[n++] = "kubectl";
	argv[n++] = "logs";
	argv[n++] = p->name;
	argv[n++] = "--namespace";
	argv[n++] = ns;
	argv[n++] = "-c";
	argv[n++] = p->container;
	argv[n++] = "--tail";
	argv[n++] = tail;
	/* A container that crashes and waits to restart: the log of the
	 * one that crashed. */
	if (strcmp(p->reason, "CrashLoopBackOff") == 0 && p->restarts > 0)
		argv[n++] = "--previous";
	argv[n] = NULL;
	if ((out = kube_run(r, argv, NULL, 0, NULL, 60000, &st,
	    &cause)) == NULL) {
		out = xprintf(_("(no log: %s)"), cause);
		free(cause);
	}
	log = log_redact(out);
	lines = indent_lines(*log != '\0' ? log : _("(the log is empty)"),
	    indent);
	*hint = kube_stuck_hint(a, p, log);
	text = xprintf(_("pod %s: %s (phase %s)%s; the last lines of %s %s:"
	    "\n%s"), p->name, p->status, p->phase, since, p->init ?
	    _("init container") : _("container"), p->container, lines);
	free(lines);
	free(log);
	free(out);
	free(since);
	return text;
}

void
kube_pods_check(struct runner *r, const struct answers *a, time_t now,
    struct check_list *l)
{
	const char *ns = answers_get(a, "kubernetes.namespace");
	const char *argv[] = { "kubectl", "get", "pods", "--namespace", ns,
		"-o", "json", NULL };
	struct kube_pod *v = NULL;
	char *cause = NULL, *out, *report, *hint, *target, *list, *next, *obs;
	size_t n = 0, i, stuck = 0, total = 0, ready = 0;
	int st;

	if (strcmp(answers_get(a, "deployment.platform"), "kubernetes") != 0)
		return;
	if (runner_have(r, "kubectl", &cause) != 1) {
		checks_add(l, r->where, "verify.pods", CHECK_SKIP, _("absent"),
		    NULL, NULL, _("kubectl is not on %s%s%s, so the pods were "
		    "not looked at"), r->where, cause != NULL ? ": " : "",
		    cause != NULL ? cause : "");
		free(cause);
		return;
	}
	if ((out = kube_run(r, argv, NULL, 0, NULL, 60000, &st,
	    &cause)) == NULL || kube_parse_pod_states(out, &v, &n,
	    &cause) != 0) {
		checks_add(l, ns, "verify.pods", CHECK_FAIL, NULL, NULL,
		    _("check that the kubeconfig reaches the cluster"), "%s",
		    cause);
		free(cause);
		free(out);
		return;
	}
	free(out);
	list = xstrdup("");
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].phase, "Succeeded") == 0)
			continue;	/* a finished job */
		total++;
		ready += v[i].ready != 0;
		if (kube_pod_stuck(&v[i], now, KUBE_STUCK_S)) {
			report = kube_stuck_report(r, a, &v[i], now, "       | ",
			    &hint);
			target = xprintf("pod/%s", v[i].name);
			checks_add(l, target, "verify.pods", CHECK_FAIL,
			    v[i].status, _("Running and Ready"), hint, "%s",
			    report);
			free(target);
			free(report);
			free(hint);
			stuck++;
		} else if (!v[i].ready) {
			next = xprintf("%s%s%s (%s)", list, *list != '\0' ?
			    ", " : "", v[i].name, v[i].status);
			free(list);
			list = next;
		}
	}
	obs = xprintf("%zu/%zu", ready, total);
	if (stuck == 0 && total == 0)
		checks_add(l, ns, "verify.pods", CHECK_WARN, obs,
		    _("every pod Ready"), _("kubectl get weightsandbiases and "
		    "the operator's log say why nothing runs"), _("no pods in "
		    "namespace %s"), ns);
	else if (stuck == 0 && *list != '\0')
		checks_add(l, ns, "verify.pods", CHECK_WARN, obs,
		    _("every pod Ready"), _("kubectl describe pod says why; "
		    "verify again in a few minutes"), _("%zu of %zu pods are "
		    "ready; not: %s"), ready, total, list);
	else if (stuck == 0)
		checks_add(l, ns, "verify.pods", CHECK_PASS, obs,
		    _("every pod Ready"), NULL, _("%zu of %zu pods are ready"),
		    ready, total);
	free(obs);
	free(list);
	kube_pods_free(v, n);
}
