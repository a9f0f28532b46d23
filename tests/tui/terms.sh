#!/usr/bin/env bash
# The wizard works with TERM=xterm-256color, xterm, linux and vt100: it
# draws, F1 and F2 open their pagers, Ctrl-C quits.  NO_COLOR is honoured.
set -u
. "$(dirname "$0")/lib.sh"
tui_need

for TUI_TERM in xterm-256color xterm linux vt100; do
	tui_start wizard --write-answers "$tui_work/out.yaml"
	tui_title Welcome; check $? "$TUI_TERM: the first screen is drawn"
	tui_screen | tail -1 | grep -q "F1 Help  F2 Log  Esc Back"
	check $? "$TUI_TERM: the function-key bar"
	tui_keys F1
	tui_wait "Help: Welcome"; check $? "$TUI_TERM: F1 shows the help"
	tui_keys Escape
	tui_gone "Help: Welcome"
	tui_keys F2
	tui_wait "wizard: started"; check $? "$TUI_TERM: F2 shows the log"
	tui_keys Escape
	tui_gone "wizard: started"
	tmux -L "$tui_sock" send-keys Escape 2
	tui_wait "lines "; check $? "$TUI_TERM: Esc 2 is F2 too"
	tui_keys q
	tui_gone "lines "
	tui_keys C-c y
	[ "$(tui_exit)" = 1 ]; check $? "$TUI_TERM: Ctrl-C quits"
	tmux -L "$tui_sock" kill-server 2>/dev/null
done

TUI_TERM=xterm-256color
tui_start wizard
tui_title Welcome
tmux -L "$tui_sock" capture-pane -p -e | grep -q $'\e\\[[0-9;]*3[0-7][;m]'
check $? "colour where the terminal has it"
tui_keys C-c y
tui_exit >/dev/null
tmux -L "$tui_sock" kill-server 2>/dev/null
TUI_ENV="NO_COLOR=1" tui_start wizard
tui_title Welcome
! tmux -L "$tui_sock" capture-pane -p -e | grep -q $'\e\\[[0-9;]*[34][0-7][;m]'
check $? "none with NO_COLOR"
tui_keys C-c y
tui_exit >/dev/null
done_testing
