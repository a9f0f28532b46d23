#!/usr/bin/env bash
# --answers pre-fills the wizard; walking through without a change writes
# the same file back, and one change changes one line.
set -u
. "$(dirname "$0")/lib.sh"
tui_need
example=${WB_SHARED:-}/contract/answers.example.yaml
if [ ! -f "$example" ]; then
	echo "1..0 # SKIP the shared contract is not beside the source"
	exit 0
fi
in=$tui_work/in.yaml
out=$tui_work/out.yaml
cp "$example" "$in"

# Enter through every field of every screen.
walk() {
	tui_keys Enter Enter
	tui_title Deployment; must $? "Deployment, pre-filled"
	tui_keys Enter Enter Enter Enter Enter Enter Enter Enter
	tui_title Domain; must $? "Domain"
	tui_screen | grep -q "FQDN *$1"
	check $? "the FQDN is pre-filled"
	tui_keys Enter
	tui_title License; must $? "License"
	tui_screen | grep -q "License *{env: WB_LICENSE}"
	check $? "the license reference is shown"
	tui_keys Enter
	tui_title Targets; must $? "Targets"
	tui_screen | grep -q "^  2 *10.0.0.12 *2222 *ops *app,control"
	check $? "both targets are listed"
	tui_keys Tab Enter
	tui_title SSH; must $? "SSH"
	tui_keys Enter Enter Enter Enter Enter Enter Enter Enter
	tui_title Database; must $? "Database"
	tui_screen | grep -q "Host *mysql.example.com"
	check $? "the database host is pre-filled"
	tui_keys Enter Enter Enter Enter Enter Enter Enter
	tui_title "Object storage"; must $? "Object storage"
	tui_keys Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter
	tui_title Preflight; must $? "Preflight (no air gap, no AWS screen)"
	tui_keys Enter
	tui_title Review; must $? "Review"
	tui_wait "No problems"; check $? "Review finds no problems"
}

tui_start wizard --answers "$in" --write-answers "$out"
tui_title Welcome; must $? "the wizard opens on the example"
walk wandb.example.com
tui_keys F10
[ "$(tui_exit)" = 0 ]; check $? "F10 saves"
cmp -s "$in" "$out"
ok $? "unchanged, the written file equals the input, comments and all"
diff "$in" "$out" | head -20 | while IFS= read -r l; do diag "$l"; done
[ "$(stat -c %a "$out")" = 600 ]; ok $? "mode 0600"

# One change: the FQDN.  F10 from a screen goes to Review.
rm -f "$out"
tui_cleanup_session() { tmux -L "$tui_sock" kill-server 2>/dev/null; }
tui_cleanup_session
tui_start wizard --answers "$in" --write-answers "$out"
tui_title Welcome; must $? "again"
tui_keys Enter Enter
tui_title Deployment
tui_keys Enter Enter Enter Enter Enter Enter Enter Enter
tui_title Domain
tui_keys C-u
tui_type wandb.corp.example.com
tui_keys F10
tui_title Review; check $? "F10 on a screen goes to Review"
tui_screen | grep -q "domain.fqdn *wandb.corp.example.com"
check $? "Review shows the new FQDN"
tui_keys F10
[ "$(tui_exit)" = 0 ]; check $? "F10 on Review saves"
[ "$(diff "$in" "$out" | grep -c '^[<>]')" = 2 ] &&
    grep -q "^  fqdn: wandb.corp.example.com *# W&B is served" "$out"
ok $? "only the FQDN line changed, its comment kept"
"$WBINSTALL" validate --answers "$out" >/dev/null
ok $? "the changed file validates"
done_testing
