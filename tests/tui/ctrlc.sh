#!/usr/bin/env bash
# Ctrl-C asks before quitting; a signal restores the terminal and says so.
set -u
. "$(dirname "$0")/lib.sh"
tui_need
out=$tui_work/out.yaml

alt() { tmux -L "$tui_sock" display-message -p '#{alternate_on}'; }

tui_start wizard --write-answers "$out"
tui_title Welcome; must $? "started"
[ "$(alt)" = 1 ]; check $? "the wizard uses the alternate screen"
tui_keys Enter Enter
tui_title Deployment; must $? "Deployment"
tui_keys C-c
tui_wait "Quit without saving the answers?"; check $? "Ctrl-C asks"
tui_keys n
tui_gone "Quit without saving"; check $? "n: the question goes away"
tui_screen | grep -q "wbinstall - Deployment"
check $? "and the wizard goes on where it was"
tui_keys C-c
tui_wait "Quit without saving the answers?"
tui_keys y
rc=$(tui_exit)
[ "$rc" = 1 ]; check $? "y: exit status 1 (got $rc)"
tui_wait "quit; the answers were not saved"
check $? "the message is printed after the terminal is restored"
[ "$(alt)" = 0 ]; check $? "the alternate screen is left"
[ ! -e "$out" ]; ok $? "nothing was written"

# signalled SIGNAL STATUS MESSAGE WHAT ARGS...: start the wizard with
# ARGS, send it SIGNAL; it ends with STATUS, and MESSAGE shows once the
# terminal is restored.
signalled() {
	local sig=$1 want=$2 msg=$3 what=$4 shell pid rc
	shift 4
	tmux -L "$tui_sock" kill-server 2>/dev/null
	tui_start "$@"
	tui_title Welcome; must $? "$what"
	shell=$(tmux -L "$tui_sock" display-message -p '#{pane_pid}')
	pid=$(pgrep -P "$shell")
	[ -n "$pid" ] && kill "-$sig" "$pid"
	rc=$(tui_exit)
	[ "$rc" = "$want" ]; check $? "SIG$sig ends it with status $want (got $rc)"
	tui_wait "$msg"
	check $? "SIG$sig: the terminal is restored, then it says why"
	[ "$(alt)" = 0 ]; check $? "SIG$sig: the alternate screen is left"
}

signalled TERM 143 "interrupted; the answers were not saved" \
    "wbinstall with no command opens the wizard"
# A crash still dies of its signal, but restores the terminal first.
signalled SEGV 139 "fatal signal; the terminal was restored" \
    "started again" wizard
done_testing
