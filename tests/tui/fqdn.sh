#!/usr/bin/env bash
# A bad FQDN blocks Next and says why; Esc back and forth keeps what was
# typed, valid or not; Save refuses while there are problems.
set -u
. "$(dirname "$0")/lib.sh"
tui_need
out=$tui_work/out.yaml

tui_start wizard --write-answers "$out"
tui_title Welcome; must $? "started"
tui_keys Enter Enter
tui_title Deployment; must $? "Deployment"
tui_keys Down Space Down Space
tui_wait "(*) baremetal"; check $? "platform set to baremetal"
tui_keys Enter Enter Enter
tui_title Domain; must $? "Domain (bare metal hides the Kubernetes fields)"
tui_type wandb
tui_keys Enter
tui_wait "a fully qualified domain name has at least one dot"
check $? "the message names the problem, beneath the field"
tui_screen | grep -q "1 field is in error"
check $? "the status says Next is blocked"
tui_keys Enter
sleep 0.2
tui_screen | grep -q "wbinstall - Domain"
check $? "Enter again still does not go on"
tui_type ":443"
tui_keys Enter
tui_wait "without a port"
check $? "a port is refused with its own message"
tui_keys Escape
tui_title Deployment; check $? "Esc goes back, even with a field in error"
tui_screen | grep -q "Environment *(\*) test" &&
    tui_screen | grep -q "Platform *( ) kubernetes  (\*) baremetal"
check $? "Deployment kept both choices"
tui_keys Escape
tui_title Welcome; check $? "Esc again: Welcome"
tui_keys Escape
tui_wait "This is the first screen"; check $? "Esc on the first screen says so"
tui_keys Enter Enter
tui_title Deployment
tui_keys Enter Enter Enter Enter
tui_title Domain; must $? "forth again to Domain"
tui_screen | grep -q "FQDN *wandb:443"
check $? "the text typed is still there"
tui_screen | grep -q "without a port"
check $? "and so is its message"
tui_keys F10
tui_title Review; must $? "F10 goes to Review"
tui_screen | grep -q "domain.fqdn *give the host name only, without a port"
check $? "Review lists the field in error"
tui_screen | grep -q "license.value *is required"
check $? "and what is missing"
tui_keys F10
tui_wait "fix them before saving"; check $? "Save refuses while there are problems"
[ ! -e "$out" ]; ok $? "nothing was written"
tui_keys Escape Escape Escape Escape Escape Escape Escape
tui_title Domain; must $? "back to Domain"
tui_keys C-u
tui_type wandb.example.com
tui_keys Enter
tui_title License; check $? "a valid FQDN lets Next through"
tui_keys C-c
tui_wait "Quit without saving"
tui_keys y
[ "$(tui_exit)" = 1 ]; check $? "quit"
done_testing
