#!/usr/bin/env bash
# A full walk from nothing to a saved answers file that validates; the
# secrets are typed masked and kept out of the answers file and the log.
set -u
. "$(dirname "$0")/lib.sh"
tui_need
out=$tui_work/answers.yaml
license=LICENSE-ZXCV-7781-secret
s3key=AKIDSECRETVALUE99

tui_start wizard --write-answers "$out"
tui_title Welcome; must $? "the Welcome screen is drawn first"
tui_screen | grep -q "Language .*English.*한국어.*日本語"
check $? "Welcome offers English, Korean and Japanese"
tui_keys Enter Enter
tui_title Deployment; must $? "Enter on the last field goes to Deployment"
tui_screen | grep -q "app *Kubernetes worker node *8 cores, 64 GB memory"
check $? "Deployment shows the sizing of kubernetes/models/production"
tui_keys Down Space
tui_wait "2 cores, 16 GB memory"
check $? "choosing environment test changes the sizing profile"
tui_keys Enter Enter Enter Enter Enter Enter Enter
tui_title Domain; must $? "Domain follows Deployment"
tui_type wandb.example.com
tui_keys Enter
tui_title License; must $? "a valid FQDN lets Next through"
tui_type "$license"
tui_wait "Keep it in"; check $? "typing on the license opens the masked secret dialog"
tui_screen | grep -qF "$license"
check $((!$?)) "the license is never shown as typed"
tui_screen | grep -q "Secret  *\*\*\*\*\*\*\*\*\*\*"
check $? "it shows as stars"
tui_keys Enter
tui_wait "{file: license-value.secret} (written on save)"
check $? "the license is kept in a file beside the answers"
tui_keys Enter
tui_title Targets; must $? "Targets follows License"
tui_keys Enter
tui_wait "Target 1"; check $? "Enter on 'Add a target' opens the target dialog"
tui_type 10.0.0.11
tui_keys Enter Enter Enter
tui_type app
tui_keys Enter
tui_gone "Target 1"
tui_screen | grep -q "^  1 *10.0.0.11 *22 *root *app"
check $? "the target is listed with the SSH defaults"
tui_keys Tab Enter
tui_title SSH; must $? "Continue goes to SSH"
tui_keys Enter Enter Enter Enter Enter Enter Enter Enter
tui_title Database; must $? "Database follows SSH"
tui_type 127.0.0.1
tui_keys Enter Enter Enter Enter Space
tui_wait "Keep it in"
tui_keys Space Tab Enter
tui_wait "{env: WB_MYSQL_PASSWORD}"
check $? "the MySQL password can be an environment variable"
tui_keys Enter Enter Enter
tui_title "Object storage"; must $? "Object storage follows Database"
tui_keys Enter
tui_type 127.0.0.1:9000
tui_keys Enter
tui_type wandb-files
tui_keys Enter Enter Enter Enter
tui_type "$s3key"
tui_keys Enter
tui_wait "{file: storage-access_key.secret}"
tui_keys Enter Space Space Tab Enter
tui_wait "{env: WB_STORAGE_SECRET_KEY}"
check $? "both storage keys are set"
tui_keys Enter Enter Enter
tui_title Preflight; must $? "Preflight follows Object storage (no air gap, no AWS)"
tui_wait "Not run yet: F4 checks every target"; check $? "Preflight says F4 checks the targets"
tui_keys Enter
tui_title Review; must $? "Review comes last"
tui_wait "No problems"; check $? "Review shows no problems"
tui_screen | grep -q "license.value *{file: license-value.secret}"
check $? "Review lists the answers"
tui_keys F10
rc=$(tui_exit)
[ "$rc" = 0 ]; check $? "F10 saves and exits 0 (got $rc)"
tui_wait "Saved the answers to $out"
check $? "the message is printed after the terminal is restored"

[ "$(stat -c %a "$out" 2>/dev/null)" = 600 ]
ok $? "the answers file is mode 0600"
[ "$(stat -c %a "$tui_work/license-value.secret" 2>/dev/null)" = 600 ] &&
    [ "$(cat "$tui_work/license-value.secret")" = "$license" ]
ok $? "the license is in a 0600 file beside it"
! grep -rqF -e "$license" -e "$s3key" "$out" "$tui_work/state"
ok $? "no secret in the answers file or the log"
WB_MYSQL_PASSWORD=pw WB_STORAGE_SECRET_KEY=sk \
    "$WBINSTALL" validate --resolve --answers "$out" >"$tui_work/v" 2>&1
ok $? "the file passes wbinstall validate --resolve"
diag "$(cat "$tui_work/v")"
grep -q "^  fqdn: wandb.example.com" "$out" &&
    grep -q "^  environment: test" "$out" &&
    grep -q "^    roles: \[app\]" "$out"
ok $? "the file holds what was typed"
done_testing
