# Helpers for the tmux-driven wizard tests.  Each test runs the wizard in
# a private tmux server (its own -L socket) and kills only that server.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

tui_base=wbtui-$$-$RANDOM
tui_n=0
tui_sock=$tui_base-0
tui_work=$(mktemp -d)
tui_silent_pid=
tui_sshd_started=0
tui_cleanup() {
	tmux -L "$tui_sock" kill-server 2>/dev/null
	[ -z "$tui_silent_pid" ] || kill "$tui_silent_pid" 2>/dev/null
	[ "$tui_sshd_started" = 0 ] ||
		"$WB_SRCDIR/tests/peers/sshd.sh" stop all >/dev/null 2>&1
	rm -rf "$tui_work"
}
trap tui_cleanup EXIT
: "${TUI_TERM:=xterm-256color}"
: "${TUI_COLS:=100}"
: "${TUI_ROWS:=30}"

# tui_need [COMMAND...]: tmux and each COMMAND, or the test is skipped.
tui_need() {
	local c
	for c in tmux "$@"; do
		command -v "$c" >/dev/null 2>&1 && continue
		echo "1..0 # SKIP $c is not installed"
		exit 0
	done
}

# tui_start ARGS...: run 'wbinstall ARGS' in a fresh session.  The exit
# status lands in $tui_work/rc; the pane stays (a sleep that kill-server
# ends) so that what was printed after the terminal was restored can be
# read.
tui_start() {
	local arg
	# Each start gets a tmux server of its own: a new session on the
	# socket of a server still exiting fails ("server exited
	# unexpectedly"), as it did under load.
	tmux -L "$tui_sock" kill-server 2>/dev/null
	tui_n=$((tui_n + 1))
	tui_sock=$tui_base-$tui_n
	{
		echo '#!/bin/sh'
		echo "export TERM='$TUI_TERM' XDG_STATE_HOME='$tui_work/state'"
		echo "export HOME='$tui_work/home' LC_ALL=C.UTF-8"
		echo 'unset LANGUAGE'
		[ -n "${TUI_ENV:-}" ] && echo "export $TUI_ENV"
		printf 'cd %q || exit 99\n' "$tui_work"
		printf '%q' "$WBINSTALL"
		for arg in "$@"; do printf ' %q' "$arg"; done
		echo
		echo "echo \$? >'$tui_work/rc'"
		echo 'exec sleep 60'
	} >"$tui_work/run.sh"
	chmod +x "$tui_work/run.sh"
	mkdir -p "$tui_work/home"
	rm -f "$tui_work/rc"
	tmux -L "$tui_sock" -f /dev/null new-session -d -x "$TUI_COLS" \
	    -y "$TUI_ROWS" "$tui_work/run.sh"
}

tui_screen() { tmux -L "$tui_sock" capture-pane -p; }

# tui_wait TEXT [SECONDS]: until the screen shows TEXT.
tui_wait() {
	local i n=$((${2:-5} * 20))
	for ((i = 0; i < n; i++)); do
		tui_screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	diag "timed out waiting for: $1"
	return 1
}

# tui_gone TEXT: until the screen no longer shows TEXT.
tui_gone() {
	local i
	for ((i = 0; i < 100; i++)); do
		tui_screen | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	diag "still showing: $1"
	return 1
}

# tui_keys KEY...: tmux key names; Escape waits so it is not read as Alt.
tui_keys() {
	local k
	for k in "$@"; do
		tmux -L "$tui_sock" send-keys "$k"
		if [ "$k" = Escape ]; then sleep 0.15; else sleep 0.02; fi
	done
}

tui_type() { tmux -L "$tui_sock" send-keys -l "$1"; sleep 0.02; }

# tui_exit [SECONDS]: wait (5 s) for the wizard to end; prints its exit
# status.
tui_exit() {
	local i
	for ((i = 0; i < ${1:-5} * 20; i++)); do
		[ -s "$tui_work/rc" ] && { cat "$tui_work/rc"; return 0; }
		sleep 0.05
	done
	echo timeout
}

# tui_title NAME: the title bar shows screen NAME.
tui_title() { tui_wait "wbinstall - $1"; }

tui_resize() { tmux -L "$tui_sock" resize-window -x "$1" -y "$2"; }

# tui_at ANSWERS N SCREEN: quit the wizard if one runs, start it on
# ANSWERS and go to SCREEN (F10 to Review, then N screens back with Esc).
tui_running=0
tui_at() {
	local i
	if [ "$tui_running" = 1 ]; then
		tui_keys C-c y
		tui_exit >/dev/null
		tmux -L "$tui_sock" kill-server 2>/dev/null
	fi
	tui_running=1
	tui_start wizard --answers "$1"
	tui_title Welcome; must $? "the wizard starts"
	tui_keys F10
	tui_title Review; must $? "F10 goes to Review"
	for ((i = 0; i < $2; i++)); do tui_keys Escape; done
	tui_title "$3"; must $? "Esc goes back to $3"
}

# tui_sshd N: an sshd peer on 127.0.0.N (tests/peers/sshd.sh, its state
# under $tui_work), its settings in WB_SSHD_*, stopped with the test; the
# test is skipped if it does not start.
tui_sshd() {
	local env
	export WB_PEER_DIR=$tui_work/peers
	unset SSH_AUTH_SOCK
	tui_sshd_started=1
	env=$("$WB_SRCDIR/tests/peers/sshd.sh" start "$1" 0 \
	    2>"$tui_work/sshd.err") || {
		echo "1..0 # SKIP sshd peer did not start: $(tail -n 1 "$tui_work/sshd.err")"
		exit 0
	}
	eval "$env"
}

# tui_silent FILE: a listener on loopback that accepts and never says a
# word; its port goes to FILE (waited for), its pid to $tui_silent_pid.
tui_silent() {
	local i
	python3 -c 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True); sys.stdout.close()
c = []
while True: c.append(s.accept())' >"$1" &
	tui_silent_pid=$!
	for ((i = 0; i < 100; i++)); do
		[ -s "$1" ] && break
		sleep 0.05
	done
}

# check STATUS DESCRIPTION: ok, showing the screen when it fails.
check() {
	ok "$1" "$2"
	[ "$1" -eq 0 ] || diag "screen:" "$(tui_screen)"
}

# must STATUS DESCRIPTION: as check, but a failure ends the test (what
# follows depends on it).
must() {
	check "$@"
	if [ "$1" -ne 0 ]; then
		done_testing
		exit 1
	fi
}
