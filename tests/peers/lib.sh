# shellcheck shell=bash
# Shared helpers for the loopback test peers in tests/peers/.
#
# Sourced (never executed) by the peer scripts (sshd.sh, mariadb.sh, ...)
# and by the smoke tests.  Everything a peer writes lives below
# $WB_PEER_DIR (default: a fresh `mktemp -d`); nothing is ever written into
# the source tree, so these scripts work from a read-only srcdir
# (make distcheck).
#
# Rule: every server started from here binds to loopback (127.0.0.0/8 or
# ::1) only.  peer_require_loopback enforces it.

: "${WB_PEER_TIMEOUT:=20}"

PEER_NAME=${PEER_NAME:-peers}
PEER_STATE=
PEER_PID=
PEER_OWNED=0
PEER_AUTO_DIR_NEW=0

# ---------------------------------------------------------------------------
# messages

peer_msg() {
	printf '%s: %s\n' "$PEER_NAME" "$*" >&2
	if [ -n "${WB_PEER_DIR:-}" ] && [ -d "$WB_PEER_DIR" ]; then
		printf '%s %s[%s]: %s\n' "$(date +%H:%M:%S)" "$PEER_NAME" "$$" "$*" \
			>>"$WB_PEER_DIR/peers.log" 2>/dev/null || true
	fi
}

peer_die() {
	peer_msg "error: $*"
	exit 1
}

peer_have() {
	command -v "$1" >/dev/null 2>&1
}

peer_require() {
	local c
	for c in "$@"; do
		peer_have "$c" || peer_die "required program '$c' is not installed"
	done
}

# Print the last lines of a log file to stderr, prefixed.
peer_log_tail() {
	local log=$1 n=${2:-40}
	if [ -s "$log" ]; then
		printf '%s: ---- last %s lines of %s ----\n' "$PEER_NAME" "$n" "$log" >&2
		tail -n "$n" "$log" | sed 's/^/  | /' >&2
		printf '%s: ---- end of log ----\n' "$PEER_NAME" >&2
	else
		printf '%s: (log %s is empty or missing)\n' "$PEER_NAME" "$log" >&2
	fi
}

# ---------------------------------------------------------------------------
# addresses and ports

# True if $1 is a loopback address (127.0.0.0/8, ::1 or localhost).
peer_is_loopback() {
	local a=$1
	case $a in
	::1 | localhost) return 0 ;;
	esac
	if [[ $a =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]]; then
		((10#${BASH_REMATCH[1]} <= 255 && 10#${BASH_REMATCH[2]} <= 255 && 10#${BASH_REMATCH[3]} <= 255))
		return
	fi
	return 1
}

peer_require_loopback() {
	peer_is_loopback "$1" || peer_die "refusing to bind to '$1': peers bind to loopback (127.0.0.0/8) only"
}

# The python3 to use: the system one if there is one (fast to start;
# wrappers such as pyenv shims can take a second per call), else PATH's.
peer_python() {
	if [ -n "${PEER_PYTHON:-}" ]; then
		echo "$PEER_PYTHON"
		return
	fi
	local p
	for p in /usr/bin/python3 "$(command -v python3 2>/dev/null || true)"; do
		if [ -n "$p" ] && [ -x "$p" ]; then
			PEER_PYTHON=$p
			echo "$p"
			return
		fi
	done
	peer_die "python3 is needed to pick a free port"
}

# Print a currently free TCP port on loopback address $1 (default 127.0.0.1).
peer_free_port() {
	local addr=${1:-127.0.0.1}
	peer_require_loopback "$addr"
	"$(peer_python)" - "$addr" <<'EOF'
import socket, sys
addr = sys.argv[1]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.bind((addr, 0))
print(s.getsockname()[1])
s.close()
EOF
}

# True if something accepts TCP connections on $1:$2.
peer_port_open() {
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# True if nothing listens on $1:$2 and we could bind it.
peer_port_free() {
	"$(peer_python)" - "$1" "$2" <<'EOF' 2>/dev/null
import socket, sys
addr, port = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((addr, port))
except OSError:
    sys.exit(1)
s.close()
EOF
}

# peer_fail_start MSG [LOG...]: report a failed start with the tail of
# each LOG.  (The EXIT trap set by peer_begin_start kills what was started.)
peer_fail_start() {
	local log
	peer_msg "error: $1"
	shift
	for log in "$@"; do
		peer_log_tail "$log"
	done
	exit 1
}

# True if PID (or one of its descendants) holds a listening TCP socket on
# PORT.  Where /proc is not there to tell, assumes yes.
peer_pid_listens() {
	local pid=$1 port=$2 inodes p fd link
	[ -r /proc/net/tcp ] || return 0
	# local address column is HEXADDR:HEXPORT, state 0A is LISTEN
	inodes=$(awk -v port="$(printf '%04X' "$port")" \
		'$4 == "0A" { split($2, a, ":"); if (a[2] == port) print $10 }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
	[ -n "$inodes" ] || return 1
	for p in "$pid" $(peer_descendants "$pid"); do
		for fd in /proc/"$p"/fd/*; do
			link=$(readlink "$fd" 2>/dev/null) || continue
			case $link in
			socket:\[*\])
				link=${link#socket:[}
				link=${link%]}
				if grep -qx -- "$link" <<<"$inodes"; then
					return 0
				fi
				;;
			esac
		done
	done
	return 1
}

# peer_wait_port HOST PORT PID LOG [TIMEOUT]
# Wait until HOST:PORT accepts connections on a socket that PID holds.
# Fails (with the tail of LOG) if PID dies first or TIMEOUT seconds
# (default $WB_PEER_TIMEOUT) pass.
peer_wait_port() {
	local host=$1 port=$2 pid=$3 log=$4 timeout=${5:-$WB_PEER_TIMEOUT}
	local deadline=$((SECONDS + timeout))
	while :; do
		if [ -n "$pid" ] && ! peer_pid_alive "$pid"; then
			peer_fail_start "server (pid $pid) exited before accepting connections on $host:$port" "$log"
		fi
		if peer_port_open "$host" "$port"; then
			if [ -z "$pid" ] || peer_pid_listens "$pid" "$port"; then
				return 0
			fi
		fi
		if ((SECONDS >= deadline)); then
			if peer_port_open "$host" "$port"; then
				peer_fail_start "$host:$port accepts connections, but not from our server (pid $pid): port taken by another process?" "$log"
			fi
			peer_fail_start "server did not accept connections on $host:$port within ${timeout}s" "$log"
		fi
		sleep 0.1
	done
}

# peer_require_free_port HOST PORT: fail clearly if HOST:PORT is taken.
peer_require_free_port() {
	if peer_port_open "$1" "$2" || ! peer_port_free "$1" "$2"; then
		peer_die "$1:$2 is already in use (another server, or another instance with a different WB_PEER_DIR)"
	fi
}

# ---------------------------------------------------------------------------
# processes

# True if PID exists and is not a zombie.
peer_pid_alive() {
	local pid=$1 state
	[ -n "$pid" ] || return 1
	# With /proc, its state alone: a zombie reaped between a `kill -0`
	# and a look at /proc/PID would otherwise pass for alive.
	if [ -r /proc/self/stat ]; then
		state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) || true
		[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
		return
	fi
	kill -0 "$pid" 2>/dev/null
}

# True if PID is alive and its command line mentions DIR (so we never kill
# a recycled pid that belongs to somebody else).
peer_pid_is_ours() {
	local pid=$1 dir=$2
	peer_pid_alive "$pid" || return 1
	if [ -r "/proc/$pid/cmdline" ]; then
		tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir"
	else
		return 0
	fi
}

# Print all descendants of PID (children first level, then theirs, ...).
peer_descendants() {
	ps -e -o pid= -o ppid= 2>/dev/null | awk -v root="$1" '
		{ kids[$2] = kids[$2] " " $1 }
		END {
			n = split(kids[root], q, " "); i = 1
			while (i <= n) {
				p = q[i++]; print p
				m = split(kids[p], c, " ")
				for (j = 1; j <= m; j++) q[++n] = c[j]
			}
		}'
}

# peer_wait_dead TIMEOUT PID...: wait until all PIDs are gone.
peer_wait_dead() {
	local timeout=$1 p alive
	shift
	local deadline=$((SECONDS + timeout))
	while :; do
		alive=0
		for p in "$@"; do
			if peer_pid_alive "$p"; then alive=1; fi
		done
		[ "$alive" = 1 ] || return 0
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}

# Stop PID and everything it spawned: SIGTERM, wait, then SIGKILL.
peer_kill_tree() {
	local pid=$1 timeout=${2:-15} kids p
	peer_pid_alive "$pid" || return 0
	kids=$(peer_descendants "$pid" | tr '\n' ' ')
	kill -TERM "$pid" 2>/dev/null || true
	if ! peer_wait_dead "$timeout" "$pid"; then
		peer_msg "pid $pid did not exit after SIGTERM, sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		peer_wait_dead 5 "$pid" || peer_msg "warning: pid $pid is still alive"
	fi
	# Leftover children (e.g. sshd sessions that outlive the listener).
	# shellcheck disable=SC2086
	for p in $kids; do
		if peer_pid_alive "$p"; then kill -TERM "$p" 2>/dev/null || true; fi
	done
	# shellcheck disable=SC2086
	if [ -n "$kids" ] && ! peer_wait_dead 3 $kids; then
		for p in $kids; do
			if peer_pid_alive "$p"; then kill -KILL "$p" 2>/dev/null || true; fi
		done
	fi
	return 0
}

# Print the pids of the current shell and its ancestors.
peer_ancestors() {
	local p=$$
	while [ -n "$p" ] && [ "$p" != 0 ]; do
		echo "$p"
		p=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f2) || break
	done
}

# Kill leftovers of a server that died uncleanly (e.g. nginx workers
# whose master got SIGKILL): processes with a file open inside DIR, other
# than this shell and its ancestors.  Best effort; needs /proc.
peer_kill_dir_users() {
	local dir=$1 fd p pids="" skip
	[ -d /proc/self/fd ] || return 0
	case $dir in
	*[[*?]*) return 0 ;; # would be a pattern for find -lname
	esac
	skip=" $(peer_ancestors | tr '\n' ' ') "
	while IFS= read -r fd; do
		p=${fd#/proc/}
		p=${p%%/*}
		case "$skip $pids " in
		*" $p "*) ;;
		*) pids+=" $p" ;;
		esac
	done < <(find /proc/[0-9]*/fd -maxdepth 1 -lname "$dir/*" 2>/dev/null || true)
	for p in $pids; do
		if peer_pid_alive "$p"; then
			peer_msg "killing leftover pid $p ($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-60)) holding files in $dir"
			peer_kill_tree "$p" 5
		fi
	done
}

# ---------------------------------------------------------------------------
# state directories

# Make sure $WB_PEER_DIR exists (creating a mktemp dir if unset) and is
# absolute.
peer_init_dir() {
	if [ -z "${WB_PEER_DIR:-}" ]; then
		WB_PEER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wb-peers.XXXXXX")
		: >"$WB_PEER_DIR/.wb-peer-auto"
		PEER_AUTO_DIR_NEW=1
	fi
	mkdir -p "$WB_PEER_DIR"
	WB_PEER_DIR=$(cd "$WB_PEER_DIR" && pwd)
	export WB_PEER_DIR
}

# Remove $WB_PEER_DIR if we created it and no peer state is left in it.
peer_cleanup_auto_dir() {
	local d=${WB_PEER_DIR:-} e
	[ -n "$d" ] && [ -f "$d/.wb-peer-auto" ] || return 0
	for e in "$d"/* "$d"/.[!.]*; do
		[ -e "$e" ] || continue
		case ${e##*/} in
		.wb-peer-auto | peers.log) ;;
		*) return 0 ;;
		esac
	done
	rm -rf -- "$d"
}

# peer_state_path BASE [INSTANCE] -> $WB_PEER_DIR/BASE or BASE-INSTANCE
peer_state_path() {
	local base=$1 inst=${2:-}
	if [ -n "$inst" ]; then
		[[ $inst =~ ^[A-Za-z0-9_.]+$ ]] || peer_die "bad instance name '$inst'"
		printf '%s/%s-%s\n' "$WB_PEER_DIR" "$base" "$inst"
	else
		printf '%s/%s\n' "$WB_PEER_DIR" "$base"
	fi
}

# Called on exit of `start`: on failure, kill what we started, drop our
# state, and print `false` on the eval channel so that
#   set -e; eval "$(peer.sh start)"
# aborts the caller instead of silently evaluating an empty string.
peer_start_exit() {
	local rc=$?
	trap - EXIT
	if [ "$rc" -ne 0 ]; then
		if [ "$PEER_OWNED" = 1 ] && [ -n "$PEER_STATE" ]; then
			if [ -n "$PEER_PID" ]; then
				peer_kill_tree "$PEER_PID" 10
			fi
			if [ "${WB_PEER_KEEP:-0}" = 1 ]; then
				peer_msg "keeping failed state in $PEER_STATE (WB_PEER_KEEP=1)"
			else
				rm -rf -- "$PEER_STATE"
				peer_cleanup_auto_dir
			fi
		elif [ "$PEER_AUTO_DIR_NEW" = 1 ]; then
			peer_cleanup_auto_dir
		fi
		printf 'echo %q >&2; false\n' "$PEER_NAME: start failed" >&3 2>/dev/null || true
	fi
	exit "$rc"
}

# peer_begin_start BASE INSTANCE SIGNATURE
# Set up fd 3 as the eval channel (stdout), send everything else to
# stderr, create $WB_PEER_DIR and claim the state dir PEER_STATE.
# If the same peer is already running there with the same SIGNATURE its
# saved exports are printed again and the script exits 0 (reuse); with a
# different SIGNATURE it fails clearly.
peer_begin_start() {
	local base=$1 inst=$2 sig=$3 pid oldsig starter
	exec 3>&1 1>&2
	trap peer_start_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	peer_init_dir
	PEER_STATE=$(peer_state_path "$base" "$inst")
	local tries=0
	while ! mkdir "$PEER_STATE" 2>/dev/null; do
		tries=$((tries + 1))
		[ "$tries" -le 2 ] || peer_die "cannot create state dir $PEER_STATE"
		pid=$(cat "$PEER_STATE/pid" 2>/dev/null || true)
		if [ -n "$pid" ] && peer_pid_is_ours "$pid" "$PEER_STATE" && [ -f "$PEER_STATE/env.sh" ]; then
			oldsig=$(cat "$PEER_STATE/args" 2>/dev/null || true)
			if [ "$oldsig" != "$sig" ]; then
				peer_die "already running in $PEER_STATE (pid $pid) with different arguments [$oldsig]; run '$base.sh stop' first or set WB_PEER_INSTANCE"
			fi
			peer_msg "already running in $PEER_STATE (pid $pid); reusing it"
			cat "$PEER_STATE/env.sh" >&3
			exit 0
		fi
		starter=$(cat "$PEER_STATE/starting" 2>/dev/null || true)
		if [ -n "$starter" ] && peer_pid_alive "$starter"; then
			peer_die "$PEER_STATE is being started by pid $starter"
		fi
		peer_msg "removing stale state dir $PEER_STATE"
		if [ -n "$pid" ] && peer_pid_is_ours "$pid" "$PEER_STATE"; then
			peer_kill_tree "$pid"
		fi
		peer_kill_dir_users "$PEER_STATE"
		if declare -F peer_stop_hook >/dev/null; then
			peer_stop_hook "$PEER_STATE" || true
		fi
		rm -rf -- "$PEER_STATE"
	done
	PEER_OWNED=1
	echo "$$" >"$PEER_STATE/starting"
	printf '%s\n' "$sig" >"$PEER_STATE/args"
	: >"$PEER_STATE/env.sh.tmp"
}

# peer_export NAME VALUE: record `export NAME=VALUE` for the eval channel.
peer_export() {
	printf 'export %s=%q\n' "$1" "$2" >>"$PEER_STATE/env.sh.tmp"
	printf -v "$1" '%s' "$2"
	export "${1?}"
}

# peer_spawn LOG CMD...: run CMD in the background, detached from our
# stdin/stdout/stderr (so `$(peer.sh start)` returns), logging to LOG.
# Sets PEER_PID and writes it to $PEER_STATE/pid.
peer_spawn() {
	local log=$1
	shift
	"$@" </dev/null >>"$log" 2>&1 3>&- &
	PEER_PID=$!
	echo "$PEER_PID" >"$PEER_STATE/pid"
}

# Finish a successful start: publish the exports.
peer_end_start() {
	peer_export WB_PEER_DIR "$WB_PEER_DIR"
	mv "$PEER_STATE/env.sh.tmp" "$PEER_STATE/env.sh"
	rm -f "$PEER_STATE/starting"
	cat "$PEER_STATE/env.sh" >&3
	peer_msg "started in $PEER_STATE (pid $PEER_PID)"
	PEER_OWNED=0
}

# peer_stop_dir DIR [TIMEOUT]: stop the peer whose state is in DIR and
# remove DIR.  Calls peer_stop_hook DIR first if the peer defines it.
peer_stop_dir() {
	local dir=$1 timeout=${2:-15} pid
	if [ ! -d "$dir" ]; then
		peer_msg "nothing to stop in $dir"
		return 0
	fi
	pid=$(cat "$dir/pid" 2>/dev/null || true)
	if [ -n "$pid" ] && peer_pid_is_ours "$pid" "$dir"; then
		peer_kill_tree "$pid" "$timeout"
		peer_msg "stopped pid $pid ($dir)"
	elif [ -n "$pid" ]; then
		peer_msg "pid $pid from $dir is not running"
	fi
	peer_kill_dir_users "$dir"
	if declare -F peer_stop_hook >/dev/null; then
		peer_stop_hook "$dir" || true
	fi
	if [ "${WB_PEER_KEEP:-0}" = 1 ]; then
		peer_msg "keeping $dir (WB_PEER_KEEP=1)"
		rm -f "$dir/pid" "$dir/env.sh"
	else
		rm -rf -- "$dir"
	fi
}

# peer_stop BASE [INSTANCE|DIR|all]
peer_stop() {
	local base=$1 what=${2:-} d
	if [ -z "${WB_PEER_DIR:-}" ]; then
		case $what in
		*/*) WB_PEER_DIR=$(dirname "$what") ;;
		*)
			peer_msg "WB_PEER_DIR is not set; nothing to stop"
			return 0
			;;
		esac
	fi
	if [ ! -d "$WB_PEER_DIR" ]; then
		peer_msg "$WB_PEER_DIR does not exist; nothing to stop"
		return 0
	fi
	case $what in
	all)
		for d in "$WB_PEER_DIR/$base" "$WB_PEER_DIR/$base"-*; do
			[ -d "$d" ] && peer_stop_dir "$d"
		done
		;;
	*/*) peer_stop_dir "$what" ;;
	*) peer_stop_dir "$(peer_state_path "$base" "$what")" ;;
	esac
	peer_cleanup_auto_dir
}

# ---------------------------------------------------------------------------
# TAP helpers for the smoke tests (tap-driver.sh reads their stdout).

TAP_N=0
TAP_FAILED=0

tap_plan() { echo "1..$1"; }

tap_skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

tap_diag() {
	local arg line
	for arg in "$@"; do
		while IFS= read -r line; do
			echo "# $line"
		done <<<"$arg"
	done
}

tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

tap_not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
}

# tap_check DESC CMD...: run CMD (its stdout goes to stderr), ok if it
# succeeds.  Always returns 0 so that `set -e` scripts go on.
tap_check() {
	local desc=$1
	shift
	if "$@" >&2; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"
	fi
}

# tap_is DESC GOT WANT (always returns 0)
tap_is() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1"
		tap_diag "got:      '$2'" "expected: '$3'"
	fi
}

# tap_like DESC GOT REGEX (always returns 0)
tap_like() {
	if [[ $2 =~ $3 ]]; then
		tap_ok "$1"
	else
		tap_not_ok "$1"
		tap_diag "got:      '$2'" "expected to match: $3"
	fi
}

tap_bail() {
	echo "Bail out! $*"
	exit 1
}

# Exit status of a smoke test: 0 if every test passed, 1 otherwise.
tap_done() {
	[ "$TAP_FAILED" -eq 0 ] || exit 1
	exit 0
}

# smoke_start SCRIPT ARGS...: run `SCRIPT start ARGS...` and eval its
# exports into the calling shell; returns non-zero if the start failed.
# (Call it as `if smoke_start ...; then`, not in a $(...).)
smoke_start() {
	local script=$1 out
	shift
	out=$("$script" start "$@") || return 1
	eval "$out"
}

# smoke_setup NAME: private $WB_PEER_DIR for one smoke test.
smoke_setup() {
	PEER_NAME=smoke-$1
	if [ -n "${WB_PEER_DIR:-}" ]; then
		mkdir -p "$WB_PEER_DIR"
		WB_PEER_DIR=$(mktemp -d "$WB_PEER_DIR/smoke-$1.XXXXXX")
	else
		WB_PEER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wb-smoke-$1.XXXXXX")
	fi
	SMOKE_TMP=$WB_PEER_DIR/tmp
	mkdir -p "$SMOKE_TMP"
	export WB_PEER_DIR SMOKE_TMP
}
