/* Action "wait": until the WeightsAndBiases resource reports it runs and
 * every pod of the namespace is Ready, with progress and a time limit.  A
 * pod stuck in Init or CrashLoopBackOff (KUBE_STUCK_S, or at the limit)
 * is told once: its name, STATUS and phase, the last lines of its
 * container's log and the check to run (kube-pods.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "kube.h"
#include "log.h"
#include "plan.h"
#include "xmalloc.h"

#define WAIT_POLL_S	5

/* Phases the operator reports once the release is up, and for failures
 * ("Invalid Config": its chart could not be pulled or applied). */
static const char *const ok_phases[] = { "Running", "Completed", "Ready",
	"Succeeded", NULL };
static const char *const bad_phases[] = { "Failed", "Error",
	"Invalid Config", NULL };

static int
phase_in(const char *phase, const char *const *set)
{
	size_t i;

	for (i = 0; set[i] != NULL; i++)
		if (strcasecmp(phase, set[i]) == 0)
			return 1;
	return 0;
}

static void
wait_argv(struct plan_ctx *c, int pods, struct plan_argv *av)
{
	argv_add(av, "kubectl");
	argv_add(av, "get");
	if (pods)
		argv_add(av, "pods");
	else {
		argv_add(av, "weightsandbiases");
		argv_add(av, RENDER_CR_NAME);
	}
	argv_add(av, "--namespace");
	argv_add(av, "%s", plan_namespace(c));
	argv_add(av, "-o");
	argv_add(av, "json");
}

/* kubectl get ... -o json; its stdout, or NULL with *cause. */
static char *
wait_get(struct plan_ctx *c, int pods, char **cause)
{
	struct plan_argv av = { NULL, 0 };
	struct run_result res;
	char *out = NULL;

	wait_argv(c, pods, &av);
	if (plan_exec(c, ARGV(&av), NULL, 0, NULL, 60000, &res, cause) == 0) {
		out = res.out;
		res.out = NULL;
		run_result_free(&res);
	}
	argv_free(&av);
	return out;
}

/* Tell each pod of OUT that is stuck (LIMIT_S) and not told yet (TOLD,
 * newline-separated names); what was told is added to *REPORT. */
static void
wait_stuck(struct plan_ctx *c, const char *out, int limit_s, char **told,
    char **report)
{
	struct kube_pod *v = NULL;
	char *cause = NULL, *text, *hint, *key, *next;
	time_t now = time(NULL);
	size_t n = 0, i;

	if (kube_parse_pod_states(out, &v, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		key = xprintf("\n%s\n", v[i].name);
		if (!kube_pod_stuck(&v[i], now, limit_s) ||
		    strstr(*told, key) != NULL) {
			free(key);
			continue;
		}
		text = kube_stuck_report(c->run, c->a, &v[i], now,
		    "        | ", &hint);
		fprintf(c->out, "      %s\n      %s %s\n", text, _("hint:"),
		    hint);
		fflush(c->out);
		log_info("install: wait: stuck: %s", text);
		next = xprintf("%s%s\n", *told, key + 1);
		free(*told);
		*told = next;
		next = xprintf("%s%s%s\n%s %s", *report, **report != '\0' ?
		    "\n" : "", text, _("hint:"), hint);
		free(*report);
		*report = next;
		free(text);
		free(hint);
		free(key);
	}
	kube_pods_free(v, n);
}

static int
wait_apply(struct plan_ctx *c, char **cause)
{
	time_t start = time(NULL), now;
	char *out, *phase = NULL, *not_ready = NULL, *line = NULL, *last;
	char *told = xstrdup("\n"), *stuck = xstrdup("");
	int total = 0, ready = 0, left;

	last = xstrdup("");
	for (;;) {
		free(phase);
		free(not_ready);
		phase = not_ready = NULL;
		if ((out = wait_get(c, 0, cause)) == NULL)
			break;
		if (kube_parse_phase(out, &phase, cause) != 0) {
			free(out);
			break;
		}
		free(out);
		if ((out = wait_get(c, 1, cause)) == NULL)
			break;
		if (kube_parse_pods(out, &total, &ready, &not_ready,
		    cause) != 0) {
			free(out);
			break;
		}
		now = time(NULL);
		left = c->wait_timeout_s - (int)(now - start);
		/* At the limit, whatever is in Init or CrashLoopBackOff. */
		wait_stuck(c, out, left <= 0 ? 0 : KUBE_STUCK_S, &told, &stuck);
		free(out);
		free(line);
		line = xprintf(_("phase %s, %d of %d pods ready"),
		    *phase != '\0' ? phase : "-", ready, total);
		if (strcmp(line, last) != 0) {
			fprintf(c->out, "      %s (%lds)\n", line,
			    (long)(now - start));
			fflush(c->out);
			log_info("install: wait: %s", line);
			free(last);
			last = xstrdup(line);
		}
		if (phase_in(phase, bad_phases)) {
			*cause = xprintf(_("the WeightsAndBiases resource "
			    "reports phase %s"), phase);
			break;
		}
		if (phase_in(phase, ok_phases) && total > 0 &&
		    ready == total) {
			free(phase);
			free(not_ready);
			free(line);
			free(last);
			free(told);
			free(stuck);
			return 0;
		}
		if (left <= 0) {
			*cause = xprintf(_("not ready after %d s: %s"),
			    c->wait_timeout_s, line);
			free(c->output);
			c->output = xprintf(_("pods not ready: %s%s%s"),
			    *not_ready != '\0' ? not_ready : _("none yet"),
			    *stuck != '\0' ? "\n" : "", stuck);
			break;
		}
		sleep(left < WAIT_POLL_S ? (unsigned)left : WAIT_POLL_S);
	}
	free(phase);
	free(not_ready);
	free(line);
	free(last);
	free(told);
	free(stuck);
	return -1;
}

static void
wait_describe(struct plan_ctx *c, FILE *f)
{
	struct plan_argv av = { NULL, 0 };

	fprintf(f, _("      every %d s, for at most %d s:\n"), WAIT_POLL_S,
	    c->wait_timeout_s);
	wait_argv(c, 0, &av);
	plan_print_cmd(f, ARGV(&av), NULL);
	argv_free(&av);
	wait_argv(c, 1, &av);
	plan_print_cmd(f, ARGV(&av), NULL);
	argv_free(&av);
}

const struct action action_wait = {
	"wait",
	N_("wait until W&B runs and its pods are ready"),
	N_("look at the pods named above (kubectl describe pod, kubectl logs) "
	   "and the operator's log; then run install again, or give it more "
	   "time with --wait-timeout"),
	NULL,
	plan_deployed_inputs,
	wait_apply,
	NULL,
	NULL,
	wait_describe,
};
