#!/bin/bash
# wbinstall install, Kubernetes plan: helm, kubectl and wandb are
# stand-ins on a control host behind a real sshd; the bucket is s3rver;
# verify reaches nginx (test CA) in front of a small upstream.  The exact
# commands and their stdin; --dry-run changes nothing; a failed preflight
# stops; a failing helm and the retry of only that action; kill -9 inside
# each action, then resume; Ctrl-C stops after the current action.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# The app target refuses connections (its preflight fails fast), hence
# --force.  Each command over SSH costs sshd a session, so only one install
# goes there; the others run the stand-ins on this machine.
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
install_need nginx openssl python3 s3rver sshd ssh-keygen
export WBINSTALL_DATADIR=$WB_SRCDIR

install_site

LICENSE=$(test_license)
export WB_LICENSE=$LICENSE WB_S3_ACCESS_KEY WB_S3_SECRET_KEY
A=$T/site/answers.yaml
mkdir -p "$T/site"
# The control host: over SSH first, then (faster) this machine.
CONTROL="  - host: $WB_SSHD_HOST
    port: $WB_SSHD_PORT
    roles: [control]"
mkans() { install_answers "$A" "$1"; }
mkans nginx
STATE=$T/site/.wbinstall-state
LOCAL_PATH=$PATH

install() {	# NAME [ARGS...]: $T/NAME.out, $T/NAME.rc
	local name=$1
	shift
	PATH=$LOCAL_PATH \
	    "$WBINSTALL" --log "$T/wbinstall.log" install --answers "$A" \
	    --connect-to "$FQDN:443:127.0.0.1:$PROXY_PORT" \
	    --ca-file "$T/pki/ca.pem" --wait-timeout 5 "$@" >"$T/$name.out" 2>&1
	echo $? >"$T/$name.rc"
	[ -z "${TIMING:-}" ] || diag "$name: $(date +%T.%N)"
}
state() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(a["name"] + "=" + a["state"] for a in d["actions"]))' "$STATE/journal.json"; }
lines() { [ -f "$STANDIN_LOG" ] && wc -l <"$STANDIN_LOG" || echo 0; }
calls_since() { tail -n +"$(($1 + 1))" "$STANDIN_LOG"; }
fresh() { rm -rf "$STATE" "$STANDIN_LOG" "$STANDIN_LOG".*; }

# --- --dry-run changes nothing
install dry --dry-run
ok "$(cat "$T/dry.rc")" "dry run: exit 0"
[ ! -e "$STATE" ] && [ ! -e "$STANDIN_LOG" ]
ok $? "dry run: no state directory, no command run"
grep -qF -- "\$ $HELM < helm/operator-values.yaml" "$T/dry.out"
ok $? "dry run: the exact helm command is printed"
grep -qF "license: '***'" "$T/dry.out" && ! grep -qF "$LICENSE" "$T/dry.out"
ok $? "dry run: the secrets in the manifests are masked"
grep -q "^\[8/8\] verify" "$T/dry.out"
ok $? "dry run: eight actions (no MySQL bootstrap without mysql.admin)"

# --- the whole plan, over SSH, with --force
install full --yes --force
ok "$(cat "$T/full.rc")" "install: exit 0"
[ "$(calls_since 0)" = "$PREFLIGHT
$DEPLOY" ]
ok $? "install: the exact commands, in order"
cmp -s "$STANDIN_LOG.12.stdin" "$STATE/rendered/helm/operator-values.yaml"
ok $? "helm got the rendered operator values on stdin"
cmp -s "$STANDIN_LOG.13.stdin" "$STATE/rendered/helm/wandb-cr.yaml"
ok $? "kubectl got the rendered WeightsAndBiases resource on stdin"
ok_real_helm "$T/standins"
head -n 4 "$STANDIN_LOG.11.stdin" | grep -q "kind: Namespace" &&
    grep -qF "license: $LICENSE" "$STANDIN_LOG.11.stdin"
ok $? "kubectl got the namespace and the Secrets on stdin"
! grep -qF "$LICENSE" "$STANDIN_LOG" && ! grep -qF "$LICENSE" "$T/wbinstall.log" &&
    ! grep -qF "$LICENSE" "$T/full.out"
ok $? "the license is on no command line, in no log, in no output"
[ "$(stat -c %a "$STATE/rendered/k8s/secrets.yaml")" = 600 ] &&
    [ "$(stat -c %a "$STATE/journal.json")" = 600 ] && [ "$(stat -c %a "$STATE")" = 700 ]
ok $? "the state dir is 0700; the journal and the secret files are 0600"
[ "$(state)" = "preflight=done bucket-cors=done render=done namespace-secrets=done operator=done wandb-resource=done wait=done verify=done" ]
ok $? "the journal marks every action done"
grep -q "Installed: https://$FQDN" "$T/full.out"
ok $? "install: says where W&B is"
grep -q "run on $WB_SSHD_USER@$WB_SSHD_HOST:$WB_SSHD_PORT: helm upgrade" "$T/wbinstall.log"
ok $? "the log holds every command and where it ran"

# --- from here on, helm and kubectl run on this machine
CONTROL=
mkans nginx
LOCAL_PATH=$T/standins:$PATH
# --- a failed preflight stops the install
fresh
install pre --yes
[ "$(cat "$T/pre.rc")" = 1 ] && [ "$(calls_since 0)" = "$PREFLIGHT" ]
ok $? "failed preflight (no MySQL): exit 1, nothing after the cluster checks"
grep -q "✘ preflight failed" "$T/pre.out" && grep -q "What to do:.*--force" "$T/pre.out"
ok $? "failed preflight: its name and what to do"
[ "$(state)" = "preflight=failed" ]
ok $? "failed preflight: the journal marks it failed"

fresh
install local --yes --force
[ "$(cat "$T/local.rc")" = 0 ] && [ "$(calls_since 0)" = "$PREFLIGHT
$DEPLOY" ] && grep -q "run on this machine: helm upgrade" "$T/wbinstall.log"
ok $? "install on this machine: the same commands"

# --- a re-run skips what is done
n=$(lines)
install again --yes --force
[ "$(cat "$T/again.rc")" = 0 ] && [ "$(calls_since "$n")" = "helm status wandb-operator --namespace wandb" ] &&
    [ "$(grep -c "inputs unchanged: skipped" "$T/again.out")" = 8 ]
ok $? "re-run: every action skipped (only helm status, the operator's check)"

# --- a changed answer runs only what depends on it
mkans nginx-internal
n=$(lines)
install changed --yes --force
[ "$(cat "$T/changed.rc")" = 0 ] && [ "$(calls_since "$n")" = "$PREFLIGHT
helm status wandb-operator --namespace wandb
kubectl apply -f -
kubectl get weightsandbiases wandb --namespace wandb -o json
kubectl get pods --namespace wandb -o json
wandb verify --host https://$FQDN" ]
ok $? "changed ingress class: preflight, the resource, wait and verify run again; secrets and helm do not"
mkans nginx

# --- a failing helm, then the retry of only that action
fresh
STANDIN_FAIL="helm upgrade" write_standin_env
install hfail --yes --force
[ "$(cat "$T/hfail.rc")" = 1 ] && [ "$(tail -n 1 "$STANDIN_LOG")" = "$HELM" ]
ok $? "failing helm: exit 1, nothing runs after it"
grep -q "✘ operator failed: helm exited with status 1" "$T/hfail.out" &&
    grep -q "Kubernetes cluster unreachable" "$T/hfail.out" &&
    grep -q "What to do: read helm's error" "$T/hfail.out"
ok $? "failing helm: its name, the last lines of its output, what to do"
state | grep -q "namespace-secrets=done operator=failed$"
ok $? "failing helm: the journal marks operator failed"
write_standin_env
n=$(lines)
install hretry --yes --force
[ "$(cat "$T/hretry.rc")" = 0 ] && [ "$(calls_since "$n")" = "$HELM
kubectl apply -f -
kubectl get weightsandbiases wandb --namespace wandb -o json
kubectl get pods --namespace wandb -o json
wandb verify --host https://$FQDN" ]
ok $? "retry: from the operator on; preflight and the Secrets are not run again"

# --- kill -9 inside each action, then resume (the crash hook is in a
# build with the test hooks only)
if ! have_test_hooks; then
	skip "kill -9 inside each action: built without --enable-test-hooks"
else
for act in preflight bucket-cors render namespace-secrets operator wandb-resource wait verify; do
	fresh
	WBINSTALL_TEST_CRASH_AFTER=$act install "kill-$act" --yes --force 2>/dev/null
	k=$(cat "$T/kill-$act.rc")
	s=$(state)
	install "resume-$act" --yes --force
	[ "$k" = 137 ] && [[ $s == *"$act=running" ]] &&
	    [ "$(cat "$T/resume-$act.rc")" = 0 ] &&
	    [ "$(state)" = "preflight=done bucket-cors=done render=done namespace-secrets=done operator=done wandb-resource=done wait=done verify=done" ]
	ok $? "kill -9 in $act (after its work, before the journal): a re-run finishes"
done
fi
# ... and in the middle of the helm command itself
fresh
STANDIN_KILL="helm upgrade" write_standin_env
rm -f "$T/standins/victim.pid"
PATH=$LOCAL_PATH "$WBINSTALL" --log "$T/wbinstall.log" install --answers "$A" \
    --connect-to "$FQDN:443:127.0.0.1:$PROXY_PORT" \
    --ca-file "$T/pki/ca.pem" --wait-timeout 5 --yes --force >"$T/kmid.out" 2>&1 &
echo $! >"$T/standins/victim.pid"
wait $!
k=$?
rm -f "$T/standins/victim.pid"
write_standin_env
n=$(lines)
install rmid --yes --force
[ $k = 137 ] && [ "$(cat "$T/rmid.rc")" = 0 ] && [ "$(calls_since "$n" | head -n 1)" = "$HELM" ]
ok $? "kill -9 while helm runs: the re-run starts with helm again and finishes"

# --- the wait times out with the pods that are not ready
fresh
cp "$T/standins/fixtures/kubectl-pods.json" "$T/pods.json"
cp "$T/standins/fixtures/kubectl-pods-pending.json" "$T/standins/fixtures/kubectl-pods.json"
install wtime --yes --force --wait-timeout 1
cp "$T/pods.json" "$T/standins/fixtures/kubectl-pods.json"
[ "$(cat "$T/wtime.rc")" = 1 ] && grep -q "✘ wait failed: not ready after 1 s: phase Completed, 3 of 4 pods ready" "$T/wtime.out" &&
    grep -q "wandb-console-5b7f9c8d4-7mh2k (Pending)" "$T/wtime.out"
ok $? "wait: times out naming the pods that are not ready"

# --- a pod stuck in Init: the wait step names it with its phase, the last
# lines of its init container's log and the check to run.  The stand-in
# replays W&B's app pod while its init-db container loops on "waiting for
# db" (operator-wandb values.yaml, app.initContainers.init-db), started
# long ago, and that container's log (kubectl-logs-init-db.txt).
fresh
cp "$T/standins/fixtures/kubectl-pods-init.json" "$T/standins/fixtures/kubectl-pods.json"
install wstuck --yes --force --wait-timeout 1
cp "$T/pods.json" "$T/standins/fixtures/kubectl-pods.json"
[ "$(cat "$T/wstuck.rc")" = 1 ] &&
    grep -q "^      pod wandb-app-7c9d8f6b5-x2lqp: Init:0/1 (phase Pending) for .*; the last lines of init container init-db:" "$T/wstuck.out" &&
    grep -qF "        | ERROR 2003 (HY000): Can't connect to MySQL server on 'mysql.test:3307' (110)" "$T/wstuck.out" &&
    grep -qF "        | waiting for db" "$T/wstuck.out"
ok $? "wait: a pod stuck in Init is named, with its phase and its init container's log"
grep -qF "hint: it waits for MySQL: \`wbinstall preflight --checks mysql,cluster\`" "$T/wstuck.out" &&
    grep -qF "mysql.port is 9: operator-wandb charts before helm-charts PR #146" "$T/wstuck.out"
ok $? "wait: it suggests the MySQL checks, and names the non-default port (helm-charts PR #146)"
[ "$(grep -c "^kubectl logs wandb-app-7c9d8f6b5-x2lqp --namespace wandb -c init-db --tail 15$" "$STANDIN_LOG")" = 1 ] &&
    sed -n '/✘ wait failed/,$p' "$T/wstuck.out" | grep -qF "| waiting for db"
ok $? "wait: its log is read once, and is in the failure's report"

# --- Ctrl-C stops after the current action
fresh
STANDIN_SLOW="helm upgrade" write_standin_env
PATH=$LOCAL_PATH "$WBINSTALL" --log "$T/wbinstall.log" install --answers "$A" \
    --connect-to "$FQDN:443:127.0.0.1:$PROXY_PORT" \
    --ca-file "$T/pki/ca.pem" --yes --force >"$T/int.out" 2>&1 &
pid=$!
until_called "helm upgrade"
kill -INT $pid
wait $pid
k=$?
write_standin_env
[ $k = 1 ] && grep -q "Stopped before wandb-resource" "$T/int.out" &&
    state | grep -q "operator=done$"
ok $? "Ctrl-C during helm: the operator action finishes, then it stops (exit $k)"

# --- bare metal: the env file and the seed's docker run, on each app host
sed -i -e 's/platform: kubernetes/platform: baremetal/' "$A"
install bm --dry-run
[ "$(cat "$T/bm.rc")" = 0 ] && grep -q "^\[3/4\] app-run" "$T/bm.out" &&
    grep -qF '$ docker run --detach --restart unless-stopped --name wandb-local --env-file /etc/wandb/wandb.env --publish 8080:8080 --volume wandb:/vol wandb/local:latest' "$T/bm.out" &&
    grep -qF '127.0.0.9: write /etc/wandb/wandb.env (0600)' "$T/bm.out"
ok $? "bare metal dry run: render, the env file, docker run, verify"

# --- bare metal for real, on an app host behind its own sshd that sees
# /etc through an overlay (tests/peers/sshd.sh WB_SSHD_PRIVATE_ETC): the
# env file lands in that overlay, docker is a stand-in there.
if [ "$(id -u)" = 0 ] && unshare --mount true 2>/dev/null; then
	key=$WB_SSHD_IDENTITY known=$WB_SSHD_KNOWN_HOSTS
	env=$(WB_SSHD_PRIVATE_ETC=1 "$PEERS/sshd.sh" start 5 0 2>"$T/sshd5.err")
	r=$?
	ok $r "a bare-metal app host starts ($(tail -n 1 "$T/sshd5.err"))"
	if [ $r = 0 ]; then
		eval "$env"
		{
			printf 'command="PATH=%s:/usr/local/bin:/usr/bin:/bin; export PATH; exec sh -c \\"$SSH_ORIGINAL_COMMAND\\"" ' "$T/standins"
			cat "$key.pub"
		} >"$WB_SSHD_DIR/authorized_keys"
		cat "$known" "$WB_SSHD_KNOWN_HOSTS" >"$T/known-bm"
		sed -i -e "s|^  identity: .*|  identity: $key|" \
		    -e "s|^  known_hosts: .*|  known_hosts: $T/known-bm|" \
		    -e "s|^  - host: 127.0.0.9|  - host: $WB_SSHD_HOST|" \
		    -e "s|^    port: 1\$|    port: $WB_SSHD_PORT|" "$A"
		fresh
		install bmrun --yes --force
		envf=$WB_SSHD_ETC_UPPER/wandb/wandb.env
		[ "$(cat "$T/bmrun.rc")" = 0 ] &&
		    [ "$(grep -E '^docker ' "$STANDIN_LOG")" = "docker rm --force wandb-local
docker run --detach --restart unless-stopped --name wandb-local --env-file /etc/wandb/wandb.env --publish 8080:8080 --volume wandb:/vol wandb/local:latest" ]
		ok $? "bare metal: the seed's docker run on the app host, after removing the old container (exit $(cat "$T/bmrun.rc"))"
		[ "$(stat -c %a "$envf" 2>/dev/null)" = 600 ] &&
		    grep -qxF "LICENSE=$LICENSE" "$envf" &&
		    cmp -s "$envf" "$STATE/rendered/baremetal/wandb.env" &&
		    [ ! -e /etc/wandb/wandb.env ]
		ok $? "bare metal: /etc/wandb/wandb.env on the host is the rendered file, 0600, with the license (this machine's /etc untouched)"
		! grep -qF "$LICENSE" "$STANDIN_LOG" "$T/wbinstall.log" "$T/bmrun.out"
		ok $? "bare metal: the license is on no command line, in no log, in no output"
		[ "$(state)" = "render=done app-env=done app-run=done verify=done" ]
		ok $? "bare metal: the journal marks every action done ($(state))"
		"$PEERS/sshd.sh" stop 5 >/dev/null 2>&1
	fi
else
	skip "a real bare-metal run needs root and 'unshare --mount' (private /etc)"
fi
mkans nginx

# --- usage
"$WBINSTALL" --log "$T/wbinstall.log" install --answers "$A" </dev/null >/dev/null 2>"$T/yes.err"
[ $? = 2 ] && grep -q -- "--yes" "$T/yes.err"
ok $? "without a terminal, --yes is required (exit 2)"

done_testing
