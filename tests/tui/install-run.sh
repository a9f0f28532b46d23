#!/usr/bin/env bash
# F5 on Review installs: the plan as `install --dry-run` prints it, the
# question, the live run, the verify table.  helm, kubectl and wandb are
# the stand-ins on a control host behind a real sshd (as in
# tests/install/plan.sh); the bucket is s3rver; verify reaches nginx (test
# CA) in front of the small upstream.  A failed preflight offers --force;
# a failing helm shows its name, the last lines of its output and what to
# do; Esc stops after the current action.
set -u
. "$(dirname "$0")/lib.sh"
tui_need
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
install_need nginx openssl python3 s3rver sshd ssh-keygen
trap 'install_cleanup; tui_cleanup' EXIT
export WBINSTALL_DATADIR=$WB_SRCDIR

install_site

LICENSE=$(test_license)
export WB_LICENSE=$LICENSE WB_S3_ACCESS_KEY WB_S3_SECRET_KEY
IN=$T/in.yaml
A=$T/site/answers.yaml
mkdir -p "$T/site"
SSH_CONTROL="  - host: $WB_SSHD_HOST
    port: $WB_SSHD_PORT
    roles: [control]"
mkans() { install_answers "$IN" nginx; }
STATE=$T/site/.wbinstall-state
calls() { cat "$STANDIN_LOG" 2>/dev/null; }
state() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(a["name"] + "=" + a["state"] for a in d["actions"]))' "$STATE/journal.json"; }

# wizard PATH [ARGS...]: start it on $IN (writing $A) and go to Review.
wizard() {
	local path=$1
	shift
	tmux -L "$tui_sock" kill-server 2>/dev/null
	TUI_ENV="PATH=$path" \
	    tui_start wizard --answers "$IN" --write-answers "$A" \
	    --ca-file "$T/pki/ca.pem" --wait-timeout 5 \
	    --connect-to "$FQDN:443:127.0.0.1:$PROXY_PORT" "$@"
	tui_title Welcome; must $? "the wizard starts"
	tui_keys F10
	tui_title Review; must $? "F10 goes to Review"
}
# go: F5, the dry run's plan, then the question, answered yes.
go() {
	tui_keys F5
	tui_wait "Install plan (dry run)" 10; must $? "F5 shows the plan"
}
yes_install() {
	tui_keys Escape
	tui_wait "Install W&B (kubernetes) at https://$FQDN?"; must $? "then it asks"
	tui_keys y
}

# --- on this machine: a failed preflight offers --force; a failing helm;
# then Esc during a slow helm
CONTROL=
mkans
STANDIN_FAIL="helm upgrade" write_standin_env
wizard "$T/standins:$PATH"
go
yes_install
tui_wait "✘ preflight failed" 30; must $? "the failed preflight is reported"
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -q "✘ preflight .*failed" &&
    printf '%s\n' "$scr" | grep -q "What to do:" &&
    printf '%s\n' "$scr" | grep -q -- "--force"
check $? "its row is failed, and what to do"
tui_keys Escape
tui_wait "Install anyway, past the failed checks"; must $? "it offers --force"
tui_keys y
tui_wait "✘ operator failed" 30; must $? "the failing helm is reported by name"
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -q "helm exited with status 1" &&
    printf '%s\n' "$scr" | grep -q "Kubernetes cluster unreachable" &&
    printf '%s\n' "$scr" | grep -q "What to do: read helm's error"
check $? "with the last lines of its output and what to do"
printf '%s\n' "$scr" | grep -q "✘ operator .*failed" &&
    printf '%s\n' "$scr" | grep -q "· wandb-resource *pending"
check $? "its row is failed, the rest pending"
[ "$(tail -n 1 "$STANDIN_LOG")" = "$HELM" ]; check $? "nothing ran after helm"
state | grep -q "namespace-secrets=done operator=failed$"
check $? "the journal marks operator failed"
tui_keys Escape
tui_wait "The install did not finish"; check $? "the status line says so"

STANDIN_SLOW="helm upgrade" write_standin_env
go
yes_install
for ((i = 0; i < 200; i++)); do
	[ "$(tail -n 1 "$STANDIN_LOG")" = "$HELM" ] && break
	sleep 0.05
done
tui_keys Escape
tui_wait "Stopping after the current action"; check $? "Esc: it stops after this action"
tui_wait "Stopped before wandb-resource" 15; check $? "helm finished, then it stopped"
state | grep -q "operator=done$"; check $? "the journal marks operator done"
tui_keys Escape
tui_keys F10
rc=$(tui_exit)
[ "$rc" = 0 ]; check $? "F10 saves and ends (got $rc)"
# --- over SSH, with --force (each command over SSH costs seconds here):
# the plan, then the whole install
CONTROL=$SSH_CONTROL
mkans
rm -rf "$STATE" "$STANDIN_LOG" "$STANDIN_LOG".*
write_standin_env
wizard "$PATH" --force
tui_screen | grep -q "F5 writes the answers, then shows the install plan"
check $? "Review tells about F5"
go
[ -s "$A" ]; check $? "the answers are saved before anything runs"
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -q "Dry run: nothing is changed" &&
    printf '%s\n' "$scr" | grep -q "\[1/8\] preflight"
check $? "the plan is the dry run's text"
"$WBINSTALL" --log "$T/dry.log" install --answers "$A" --ca-file "$T/pki/ca.pem" \
    --dry-run >"$T/dry.out" 2>&1
tui_keys End
tui_wait "\$ wandb verify --host https://$FQDN" 5
check $? "the plan shows the exact commands"
tui_screen | grep -F '$ kubectl get' | sed 's/^ *│ *//; s/ *│ *$//' >"$T/shown"
[ "$(wc -l <"$T/shown")" = 2 ] && [ "$(grep -cFf "$T/shown" "$T/dry.out")" = 2 ]
check $? "as install --dry-run prints them"
! tui_screen | grep -qF "$LICENSE"; check $? "no secret on the screen"
[ ! -e "$STATE" ] && [ ! -e "$STANDIN_LOG" ]
check $? "the dry run changed nothing"
# All of the plan, on a screen large enough to hold it unwrapped, is what
# install --dry-run prints with the options the wizard was given.
"$WBINSTALL" --log "$T/dry.log" install --answers "$A" --ca-file "$T/pki/ca.pem" \
    --wait-timeout 5 --connect-to "$FQDN:443:127.0.0.1:$PROXY_PORT" --force \
    --dry-run 2>&1 | sed 's/ *$//' >"$T/plan.cli"
n=$(wc -l <"$T/plan.cli")
w=$(wc -L <"$T/plan.cli")
tui_resize $((w + 10)) $((n + 10))
tui_keys Home
tui_wait "lines 1-" 5
tui_screen | sed -n 's/^ *│ //p' | sed 's/ *│ *$//; s/ *$//' |
    head -n "$n" >"$T/plan.tui"
[ "$n" -gt 20 ] && diff -u "$T/plan.cli" "$T/plan.tui" >"$T/plan.diff"
check $? "F5's plan is install --dry-run's, line for line ($n lines)"
[ -s "$T/plan.diff" ] && diag "$(head -n 20 "$T/plan.diff")"
tui_resize "$TUI_COLS" "$TUI_ROWS"
yes_install
tui_wait "Verify" 60; must $? "the install runs to the end and shows the verify table"
tui_wait "tls" 2; check $? "the verify table has the TLS check"
tui_wait "verify.host" 2; check $? "and global.host held against the origin users type"
tui_keys End
tui_wait "Summary:" 2
tui_screen | grep -q "verify.upload" || { tui_keys PgUp; tui_wait "verify.upload" 2; }
check $? "and the upload path, like the others"
tui_keys Escape
tui_wait "Installed: https://$FQDN"; check $? "the run's report says where W&B is"
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -q "✔ wandb-resource *done" &&
    printf '%s\n' "$scr" | grep -q " 8/8"
check $? "every action is done, 8/8"
[ "$(calls)" = "$PREFLIGHT
$DEPLOY" ]
check $? "the stand-ins got the exact commands, in order"
cmp -s "$STANDIN_LOG.12.stdin" "$STATE/rendered/helm/operator-values.yaml"
check $? "helm got the rendered operator values on stdin"
[ "$(state)" = "preflight=done bucket-cors=done render=done namespace-secrets=done operator=done wandb-resource=done wait=done verify=done" ]
check $? "the journal beside the answers marks every action done"
! grep -rqF "$LICENSE" "$STANDIN_LOG" "$tui_work/state"
check $? "the license is on no command line and in no log"
tui_keys Escape
tui_title Review; check $? "back on Review"
tui_wait "Installed: https://$FQDN"; check $? "the status line says installed"
tui_keys C-c
tui_wait "last saved"; check $? "Ctrl-C after F5: the question knows the answers were saved"
tui_keys y
rc=$(tui_exit)
[ "$rc" = 0 ]; check $? "Ctrl-C y after F5 saved: exit 0 (got $rc)"

done_testing
