# shellcheck shell=sh
# What the stand-ins for helm, kubectl, wandb and docker share.  Sourced by
# each of them.  They cannot run the real tools here (no cluster), so they
# record every call and replay output captured from the real ones; what
# helm does with no cluster, the real helm does (realhelm.sh).
#
# Settings come from standin.env beside the scripts (the tests write it,
# since over SSH no environment variable reaches them), then from the
# environment:
#   STANDIN_LOG       each call is appended as one line: NAME ARG...; the
#                     stdin of call N (when not empty) is kept as LOG.N.stdin
#   STANDIN_FIXTURES  directory of the replies (default: fixtures/ here)
#   STANDIN_FAIL      "NAME ARG..." prefix: such calls fail, printing
#                     fail-NAME.txt from the fixtures on stderr, exit 1
#   STANDIN_KILL      "NAME ARG..." prefix: such calls kill -9 the process
#                     whose pid is in victim.pid here (a wbinstall in the
#                     middle of an action), then exit 137
#   STANDIN_SLOW      "NAME ARG..." prefix: such calls take 3 s
#   STANDIN_WANDB_EXIT  exit status of `wandb verify` (default 0)
#   STANDIN_PROBE     "run": `kubectl logs wbinstall-probe` runs the probe
#                     Pod's command here (see kubectl); else it replays
standin_dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
[ -f "$standin_dir/standin.env" ] && . "$standin_dir/standin.env"
: "${STANDIN_FIXTURES:=$standin_dir/fixtures}"

standin_name=$(basename "$0")
standin_call="$standin_name $*"

# Record the call and its stdin.
standin_stdin=
standin_record() {
	[ -n "${STANDIN_LOG:-}" ] || return 0
	n=1
	[ -f "$STANDIN_LOG" ] && n=$(($(wc -l <"$STANDIN_LOG") + 1))
	printf '%s\n' "$standin_call" >>"$STANDIN_LOG"
	# Only a command that reads a file named "-" takes stdin.
	case " $* " in *" - "*) ;; *) return 0 ;; esac
	cat >"$STANDIN_LOG.$n.stdin.tmp"
	if [ -s "$STANDIN_LOG.$n.stdin.tmp" ]; then
		standin_stdin=$STANDIN_LOG.$n.stdin
		mv "$STANDIN_LOG.$n.stdin.tmp" "$standin_stdin"
	else
		rm -f "$STANDIN_LOG.$n.stdin.tmp"
	fi
}

standin_match() {	# PREFIX
	[ -n "$1" ] && case $standin_call in "$1"*) return 0 ;; esac
	return 1
}

# Print fixture FILE (relative to the fixtures directory).
standin_reply() {
	cat "$STANDIN_FIXTURES/$1"
}

standin_begin() {
	standin_record "$@"
	if standin_match "${STANDIN_KILL:-}"; then
		i=0
		while [ ! -s "$standin_dir/victim.pid" ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$(cat "$standin_dir/victim.pid")" 2>/dev/null
		exit 137
	fi
	if standin_match "${STANDIN_SLOW:-}"; then
		sleep 3
	fi
	if standin_match "${STANDIN_FAIL:-}"; then
		standin_reply "fail-$standin_name.txt" >&2
		exit 1
	fi
}
