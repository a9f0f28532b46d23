#!/usr/bin/env bash
# Resizing redraws and keeps every state; below 80x24 the wizard says so.
set -u
. "$(dirname "$0")/lib.sh"
tui_need

tui_start wizard --write-answers "$tui_work/out.yaml"
tui_title Welcome; must $? "started at 100x30"
tui_keys Enter Enter Down Space
tui_wait "(*) test"; must $? "environment test"
tui_keys Enter Enter Enter Enter Enter Enter Enter
tui_title Domain; must $? "Domain"
tui_type "wandb.exa"
tui_wait "FQDN  wandb.exa"
tui_resize 70 20
tui_wait "The terminal is 70x20"; check $? "below 80x24 the screen says so"
tui_screen | grep -q "needs at least 80x24"
check $? "and asks for room"
tui_type "zzz"
tui_resize 80 24
tui_title Domain; check $? "at 80x24 the screen comes back"
tui_screen | grep -q "FQDN  wandb.exa *$"
check $? "the half-typed field is kept, and keys were ignored while small"
[ "$(tui_screen | wc -l)" -le 24 ] && tui_screen | sed -n 24p | grep -q "F1 Help"
check $? "the key bar is on the last line of 24"
tui_resize 120 40
# bar_at N: the screen is N lines and the key bar is on the last of them.
bar_at() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(tui_screen | wc -l)" -eq "$1" ] &&
		    tui_screen | sed -n "${1}p" | grep -q "F1 Help" && return 0
		sleep 0.05
	done
	return 1
}
bar_at 40; check $? "at 120x40 the key bar moves to line 40"
tui_screen | grep -q "FQDN  wandb.exa *$"
check $? "and the half-typed field is still there"
tui_type "mple.com"
tui_keys Enter
tui_title License; check $? "typing goes on after a resize"
tui_keys Escape Escape
tui_title Deployment; check $? "back to Deployment"
tui_screen | grep -q "Environment *(\*) test"
check $? "the choices made before the resizes are kept"
tui_keys C-c y
[ "$(tui_exit)" = 1 ]; check $? "quit"
done_testing
