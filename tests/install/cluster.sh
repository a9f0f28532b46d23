#!/bin/bash
# The cluster family's probe Pod and the stuck pods of verify, with kubectl
# the stand-in on this machine (tests/standins/kubectl).  There is no
# cluster here, so the stand-in records the manifest it is given and
# replays what the API server and the Pod print: kubectl-probe-pod.json is
# a Pod as `kubectl get pod -o json` returns it once it ran (phase
# Succeeded, its container terminated Completed), kubectl-probe-pod-pull.json
# one whose image cannot be pulled (waiting ImagePullBackOff, as the
# kubelet reports it), kubectl-probe-report.txt the lines the Pod's script
# prints (src/kube-probe.c), kubectl-pods-init.json W&B's app pod while its
# init-db container loops (operator-wandb values.yaml, app.initContainers:
# `until mysql ... --execute="SELECT 1"; do echo waiting for db; sleep 2;
# done`) and kubectl-logs-init-db.txt that container's log.  With
# STANDIN_PROBE=run the stand-in runs the Pod's own command here, against a
# MariaDB with TLS and nginx, both with certificates of a test CA: the
# script itself, for real.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
install_need python3
export WBINSTALL_DATADIR=$WB_SRCDIR

setup_standins
S=$T/standins
F=$S/fixtures
PY=$(py_yaml)
A=$T/answers.yaml
export WB_REG_PW=reg-pw-$RANDOM$RANDOM

# answers FILE [AIRGAP-BUNDLE]: kubernetes, MySQL at mysql.test:3307, the
# bucket at https://minio.test:9000; with a bundle, an air gap whose
# registry wants credentials.
answers() {
	cat >"$1" <<EOF
version: 1
deployment:
  platform: kubernetes
  environment: test
domain:
  fqdn: $FQDN
license:
  value: {value: "x.y.z"}
targets:
  - host: 127.0.0.9
    port: 1
    roles: [app]
kubernetes:
  namespace: wandb-probe
mysql:
  host: ${MYSQL_HOST:-mysql.test}
  port: ${MYSQL_PORT:-3307}
  password: {value: "pw"}
storage:
  provider: s3
  endpoint: ${BUCKET:-minio.test:9000}
  bucket: wandb-files
  region: us-east-1
  tls: true
  access_key: {value: AK}
  secret_key: {value: SK}
EOF
	[ -z "${2:-}" ] || cat >>"$1" <<EOF
airgap:
  enabled: true
  bundle: $2
  registry: registry.test:5000
  registry_user: puller
  registry_password: {env: WB_REG_PW}
EOF
}
# preflight NAME [ARGS...]: the cluster family; $T/NAME.{json,rc,err}
preflight() {
	local name=$1
	shift
	rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
	PATH=$S:$PATH "$WBINSTALL" --log "$T/wbinstall.log" preflight \
	    --answers "$A" --checks cluster --json "$@" >"$T/$name.json" \
	    2>"$T/$name.err"
	echo $? >"$T/$name.rc"
}
st() { jfield "$T/$1.json" "$2" status; }
# Field F of check ID at TARGET.
at() {	# NAME ID TARGET FIELD
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(c[sys.argv[4]] for c in d["checks"]
               if c["id"] == sys.argv[2] and c["target"] == sys.argv[3]))' \
	    "$T/$1.json" "$2" "$3" "$4"
}
calls() { cat "$STANDIN_LOG"; }
PROBE_NS=${PROBE//--namespace wandb/--namespace wandb-probe}
KUBE='kubectl version -o json
kubectl get ingressclass -o json
kubectl get storageclass -o json
kubectl get nodes -o json
helm version --short'
# The probe manifest kubectl was given (call 7), as JSON: [docs...].
manifest() {
	"$PY" -c 'import json, sys, yaml
print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))' \
	    "$STANDIN_LOG.7.stdin"
}
pod() {	# PYTHON-EXPRESSION on p (the Pod) and d (all documents)
	manifest | python3 -c 'import json, sys
d = json.load(sys.stdin)
p = [x for x in d if x["kind"] == "Pod"][0]
c = p["spec"]["containers"][0]
tests = json.loads(c["command"][3])
r = ('"$1"')
print(*r) if isinstance(r, tuple) else print(r)'
}
have_mariadb() {
	command -v mariadbd >/dev/null || command -v mysqld >/dev/null ||
	    [ -x /usr/sbin/mariadbd ] || [ -x /usr/sbin/mysqld ]
}

# --- a connected install: the report replayed (pass, warn and fail)
answers "$A"
preflight conn
[ "$(cat "$T/conn.rc")" = 1 ] && [ "$(calls)" = "$KUBE
$PROBE_NS" ]
ok $? "connected: the cluster's checks, then the probe Pod: leftover removed, applied, waited for, report read, deleted (exit 1: a check fails)"
if [ -z "$PY" ]; then
	skip "the Pod's manifest: no python3 with yaml"
else
	[ "$(pod 'p["metadata"]["namespace"], p["metadata"]["name"], c["image"]')" = \
	    "wandb-probe wbinstall-probe docker.io/alpine/k8s:1.31.12" ]
	ok $? "the Pod: wbinstall-probe in the target namespace, Docker Hub's alpine/k8s"
	[ "$(pod '[x["kind"] for x in d], "imagePullSecrets" in p["spec"]')" = \
	    "['Namespace', 'Pod'] False" ] &&
	    [ "$(pod 'd[0]["metadata"]["name"]')" = wandb-probe ]
	ok $? "connected: the namespace and the Pod, no pull Secret"
	[ "$(pod '" ".join("%s:%s:%s" % (t["test"], t["host"], t["port"]) for t in tests)')" = \
	    "tls:deploy.wandb.ai:443 tls:charts.wandb.ai:443 tcp:mysql.test:3307 tls:mysql.test:3307 tcp:minio.test:9000 tls:minio.test:9000" ] &&
	    [ "$(pod 'tests[3]["starttls"]')" = mysql ]
	ok $? "the Pod tests W&B's endpoints, MySQL (TCP, its STARTTLS) and the bucket (TCP, TLS)"
	[ "$(pod 'c["command"][:2], p["spec"]["restartPolicy"], p["spec"]["securityContext"]["runAsNonRoot"], p["spec"]["automountServiceAccountToken"], p["spec"]["activeDeadlineSeconds"]')" = \
	    "['python3', '-c'] Never True False 240" ]
	ok $? "it runs its script once, not as root, without a token, and ends itself"
fi
[ "$(st conn cluster.probe)" = pass ] &&
    jfield "$T/conn.json" cluster.probe message | grep -q "ran in namespace wandb-probe (docker.io/alpine/k8s:1.31.12)"
ok $? "cluster.probe passes, naming the namespace and the image"
[ "$(at conn cluster.egress deploy.wandb.ai:443 status)" = pass ] &&
    [ "$(at conn cluster.egress charts.wandb.ai:443 status)" = fail ] &&
    at conn cluster.egress charts.wandb.ai:443 hint | grep -q "Failed to get spec from deployer.*wandb/operator #20"
ok $? "egress: deploy.wandb.ai passes; charts.wandb.ai (timed out) fails with the operator's error named"
[ "$(st conn cluster.mysql)" = pass ] && [ "$(st conn cluster.mysql.tls)" = warn ] &&
    [ "$(jfield "$T/conn.json" cluster.mysql.tls observed)" = MySQL_Server_8.0.40_Auto_Generated_CA_Certificate ] &&
    jfield "$T/conn.json" cluster.mysql.tls message | grep -q "tls=preferred"
ok $? "MySQL: reached (pass); its certificate is from no public CA (warn, tls=preferred)"
[ "$(st conn cluster.bucket)" = pass ] && [ "$(st conn cluster.bucket.tls)" = fail ] &&
    [ "$(jfield "$T/conn.json" cluster.bucket.tls observed)" = "Corp SSL Inspection CA" ] &&
    jfield "$T/conn.json" cluster.bucket.tls hint | grep -q "customCACerts.*caCertsConfigMap whose keys end in .crt"
ok $? "bucket: reached (pass); an inspecting proxy's CA fails, with customCACerts and .crt keys as the fix"
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert all(set(c) == {"target", "id", "status", "observed", "required",
                      "message", "hint"} for c in d["checks"])
assert d["summary"] == {"pass": 10, "warn": 1, "fail": 2, "skip": 0}, d["summary"]' "$T/conn.json"
ok $? "--json: every check in the preflight schema; 10 pass, 1 warn, 2 fail"
rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
PATH=$S:$PATH "$WBINSTALL" --log "$T/wbinstall.log" preflight --answers "$A" \
    --checks cluster >"$T/table.out" 2>&1
grep -q "✘  minio.test:9000  *cluster.bucket.tls  *Corp SSL Inspection CA" "$T/table.out" &&
    grep -q "hint: put the CA that issued it" "$T/table.out" &&
    grep -q "✔  wandb-probe/wbinstall-probe  *cluster.probe" "$T/table.out"
ok $? "the table: a row per check, with the hint"

# --- an air gap: the bundle's alpine/k8s from the internal registry, with
# the pull Secret; no egress
if tar --zstd -cf /dev/null /dev/null 2>/dev/null; then
	mkdir -p "$T/bundle"
	cat >"$T/bundle/manifest.yaml" <<EOF
bundle_format: 1
name: wandb-server
version: 0.43.8
created: 2026-01-01T00:00:00Z
images:
- ref: wandb/local:latest
  digest: sha256:$(printf '1%.0s' {1..64})
  platform: linux/amd64
  size: 1000
- ref: alpine/k8s:1.32.4
  digest: sha256:$(printf '2%.0s' {1..64})
  platform: linux/amd64
  size: 1000
charts: []
files: []
EOF
	tar --zstd -cf "$T/wandb.tar.zst" -C "$T/bundle" manifest.yaml
	want=registry.test:5000/alpine/k8s:1.32.4
else
	want=registry.test:5000/alpine/k8s:1.31.12
fi
answers "$A" "$T/wandb.tar.zst"
preflight gap
[ "$(calls)" = "$KUBE
$PROBE_NS" ] && [ "$(st gap cluster.probe)" = pass ] && [ -z "$(st gap cluster.egress)" ]
ok $? "air gap: the same commands; no egress checks"
if [ -z "$PY" ]; then
	skip "the air gap's manifest: no python3 with yaml"
else
	[ "$(pod 'c["image"]')" = "$want" ]
	ok $? "air gap: the Pod runs the bundle's alpine/k8s from airgap.registry ($want)"
	[ "$(pod '[x["kind"] for x in d], d[1]["metadata"]["name"], d[1]["type"], p["spec"]["imagePullSecrets"]')" = \
	    "['Namespace', 'Secret', 'Pod'] wandb-registry kubernetes.io/dockerconfigjson [{'name': 'wandb-registry'}]" ]
	ok $? "air gap: it pulls with the pull Secret the render writes, applied with it"
	[ "$(pod '"egress" if [t for t in tests if "wandb.ai" in t["host"]] else "none"')" = none ]
	ok $? "air gap: the Pod tests no egress"
fi
grep -qF "$WB_REG_PW" "$STANDIN_LOG.7.stdin" && ! grep -qF "$WB_REG_PW" "$STANDIN_LOG" \
    "$T/gap.json" "$T/gap.err" "$T/wbinstall.log"
ok $? "the registry password goes on kubectl's stdin only: on no command line, in no output or log"

# --- the Pod cannot start (its image is not there): failed, deleted
answers "$A"
cp "$F/kubectl-probe-pod.json" "$T/pod-ok.json"
cp "$F/kubectl-probe-pod-pull.json" "$F/kubectl-probe-pod.json"
preflight pull
cp "$T/pod-ok.json" "$F/kubectl-probe-pod.json"
[ "$(cat "$T/pull.rc")" = 1 ] && [ "$(st pull cluster.probe)" = fail ] &&
    [ "$(jfield "$T/pull.json" cluster.probe observed)" = ImagePullBackOff ] &&
    jfield "$T/pull.json" cluster.probe message | grep -q "Back-off pulling image" &&
    [ "$(st pull cluster.bucket)" = skip ]
ok $? "ImagePullBackOff: cluster.probe fails with the kubelet's message, the tests are skipped"
[ "$(calls | tail -n 1)" = "kubectl delete pod wbinstall-probe --namespace wandb-probe --ignore-not-found --wait=false" ] &&
    ! calls | grep -q "^kubectl logs"
ok $? "ImagePullBackOff: no report is read, and the Pod is deleted"

# --- kubectl fails: the Pod is deleted all the same
for f in "kubectl logs" "kubectl apply"; do
	STANDIN_FAIL=$f write_standin_env
	preflight fail
	[ "$(cat "$T/fail.rc")" = 1 ] && [ "$(st fail cluster.probe)" = fail ] &&
	    [ "$(calls | tail -n 1)" = "kubectl delete pod wbinstall-probe --namespace wandb-probe --ignore-not-found --wait=false" ]
	ok $? "$f fails: cluster.probe fails, the Pod is deleted afterwards"
done
write_standin_env

# --- Ctrl-C while it waits for the Pod: cancelled, deleted
STANDIN_SLOW="kubectl get pod wbinstall-probe" write_standin_env
rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
PATH=$S:$PATH "$WBINSTALL" --log "$T/wbinstall.log" preflight --answers "$A" \
    --checks cluster --json >"$T/int.json" 2>"$T/int.err" &
pid=$!
until_called "kubectl get pod wbinstall-probe"
kill -INT $pid
wait $pid
k=$?
write_standin_env
[ $k = 1 ] && grep -q "preflight cancelled" "$T/int.err" &&
    [ "$(st int cluster.probe)" = skip ] &&
    [ "$(calls | tail -n 1)" = "kubectl delete pod wbinstall-probe --namespace wandb-probe --ignore-not-found --wait=false" ]
ok $? "Ctrl-C while the Pod runs: exit 1, cluster.probe skipped, the Pod deleted (exit $k)"

# --- the support bundle changes nothing in the cluster
rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
PATH=$S:$PATH "$WBINSTALL" --log "$T/wbinstall.log" support-bundle --answers "$A" \
    --out "$T/support.tar.gz" >/dev/null 2>&1
! grep -q "wbinstall-probe" "$STANDIN_LOG"
ok $? "support-bundle runs the cluster family without the probe Pod"

# --- the script for real: the stand-in runs the Pod's command here
# against MariaDB (STARTTLS) and nginx, both with certificates of a test CA
if [ -z "$PY" ] || ! command -v openssl >/dev/null || ! have_mariadb ||
    { ! command -v nginx >/dev/null && ! [ -x /usr/sbin/nginx ]; }; then
	skip "the Pod's script, run here: needs python3 with yaml, nginx, openssl and MariaDB"
else
	mk_ca
	leaf db 127.0.0.1
	leaf good "$FQDN"
	start_upstream
	start_proxy good good 0
	printf '[mysqld]\nssl-cert=%s\nssl-key=%s\n' "$T/pki/db.crt" "$T/pki/db.key" >"$T/tls.cnf"
	if env=$("$PEERS/mariadb.sh" start "$T/tls.cnf" 2>"$T/mariadb.err"); then
		eval "$env"
		trap '"$PEERS/mariadb.sh" stop all >/dev/null 2>&1; install_cleanup' EXIT
		MYSQL_HOST=127.0.0.1 MYSQL_PORT=$WB_MYSQL_PORT BUCKET=127.0.0.1:$PROXY_PORT \
		    answers "$A" "$T/wandb.tar.zst"
		STANDIN_PROBE=run write_standin_env
		preflight run
		write_standin_env
		[ "$(st run cluster.probe)" = pass ] && [ "$(st run cluster.mysql)" = pass ] &&
		    [ "$(st run cluster.bucket)" = pass ]
		ok $? "run: the script reaches MariaDB and nginx"
		[ "$(st run cluster.mysql.tls)" = warn ] &&
		    [ "$(jfield "$T/run.json" cluster.mysql.tls observed)" = "wbinstall test CA" ]
		ok $? "run: MySQL's STARTTLS; its issuer, the test CA, is no public CA (warn)"
		[ "$(st run cluster.bucket.tls)" = fail ] &&
		    [ "$(jfield "$T/run.json" cluster.bucket.tls observed)" = "wbinstall test CA" ] &&
		    jfield "$T/run.json" cluster.bucket.tls message | grep -q "private CA, which this machine is shown too"
		ok $? "run: the bucket's issuer, the same as this machine is shown: a private CA (fail)"
		"$PEERS/mariadb.sh" stop all >/dev/null 2>&1
		BUCKET=127.0.0.1:1 answers "$A" "$T/wandb.tar.zst"
		STANDIN_PROBE=run write_standin_env
		preflight closed
		write_standin_env
		[ "$(st closed cluster.bucket)" = fail ] &&
		    jfield "$T/closed.json" cluster.bucket message | grep -q "Connection refused" &&
		    [ "$(st closed cluster.bucket.tls)" = skip ]
		ok $? "run: a closed port fails, and its TLS is not judged"
	else
		skip "the Pod's script, run here: MariaDB did not start ($(tail -n 1 "$T/mariadb.err"))"
	fi
fi

# --- verify: a pod stuck in Init, named with its init container's log
answers "$A"
cp "$F/kubectl-pods.json" "$T/pods-ok.json"
cp "$F/kubectl-pods-init.json" "$F/kubectl-pods.json"
rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
PATH=$S:$PATH "$WBINSTALL" --log "$T/wbinstall.log" verify --answers "$A" \
    --no-wandb --json >"$T/stuck.json" 2>"$T/stuck.err"
PATH=$S:$PATH "$WBINSTALL" --log "$T/wbinstall.log" verify --answers "$A" \
    --no-wandb >"$T/stuck.out" 2>&1
cp "$T/pods-ok.json" "$F/kubectl-pods.json"
[ "$(at stuck verify.pods pod/wandb-app-7c9d8f6b5-x2lqp status)" = fail ] &&
    [ "$(at stuck verify.pods pod/wandb-app-7c9d8f6b5-x2lqp observed)" = Init:0/1 ]
ok $? "verify: the stuck pod fails verify.pods, named, Init:0/1"
msg=$(at stuck verify.pods pod/wandb-app-7c9d8f6b5-x2lqp message)
grep -q "phase Pending" <<<"$msg" && grep -q "the last lines of init container init-db" <<<"$msg" &&
    grep -qF "| ERROR 2003 (HY000): Can't connect to MySQL server on 'mysql.test:3307' (110)" <<<"$msg" &&
    grep -qF "| waiting for db" <<<"$msg"
ok $? "verify: its phase and its init container's log"
hint=$(at stuck verify.pods pod/wandb-app-7c9d8f6b5-x2lqp hint)
grep -qF "wbinstall preflight --checks mysql,cluster" <<<"$hint" &&
    grep -qF "mysql.port is 3307" <<<"$hint" && grep -qF "helm-charts PR #146" <<<"$hint"
ok $? "verify: it suggests the MySQL checks, and the non-default port's story"
grep -qx "kubectl logs wandb-app-7c9d8f6b5-x2lqp --namespace wandb-probe -c init-db --tail 15" "$STANDIN_LOG"
ok $? "verify: the log is the init container's last lines (kubectl logs -c init-db --tail 15)"
grep -q "✘  pod/wandb-app-7c9d8f6b5-x2lqp  *verify.pods  *Init:0/1" "$T/stuck.out" &&
    grep -qF "| waiting for db" "$T/stuck.out"
ok $? "verify: the table shows the row and the log"
rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
PATH=$S:$PATH "$WBINSTALL" --log "$T/wbinstall.log" verify --answers "$A" \
    --no-wandb --json >"$T/ready.json" 2>&1
[ "$(st ready verify.pods)" = pass ] && [ "$(jfield "$T/ready.json" verify.pods observed)" = 4/4 ] &&
    ! grep -q "^kubectl logs" "$STANDIN_LOG"
ok $? "verify: every pod ready passes (the finished job left out), and no log is read"

done_testing
