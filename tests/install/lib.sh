# shellcheck shell=bash
# What the install and verify tests share: a scratch dir, a test CA and
# certificates (openssl), the python upstream, nginx proxies in front of
# it (tests/peers/nginx.sh), and the stand-ins copied where they can be
# configured.  Source after tests/lib.sh.

PEERS=$WB_SRCDIR/tests/peers
FQDN=wandb.test

install_need() {	# PROGRAM...
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || {
			echo "1..0 # SKIP $c is not installed"
			exit 0
		}
	done
}

T=$(mktemp -d "${TMPDIR:-/tmp}/wb-install.XXXXXX")
export WB_PEER_DIR=$T/peers XDG_STATE_HOME=$T/state
unset SSH_AUTH_SOCK
bg_pids=()
nginx_names=()
install_cleanup() {
	local p n
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
	for n in "${nginx_names[@]}"; do "$PEERS/nginx.sh" stop "$n" >/dev/null 2>&1; done
	[ -z "${USE_SSHD:-}" ] || "$PEERS/sshd.sh" stop all >/dev/null 2>&1
	[ -z "${USE_S3:-}" ] || "$PEERS/s3rver.sh" stop all >/dev/null 2>&1
	for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap install_cleanup EXIT

# --- the test CA: ca.pem
mk_ca() {
	mkdir -p "$T/pki/db"
	: >"$T/pki/db/index.txt"
	echo 1000 >"$T/pki/db/serial"
	cat >"$T/pki/ca.cnf" <<EOF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $T/pki/db/index.txt
serial = $T/pki/db/serial
new_certs_dir = $T/pki/db
certificate = $T/pki/ca.pem
private_key = $T/pki/ca.key
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
EOF
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/pki/ca.key" -out "$T/pki/ca.pem" -days 30 \
	    -subj "/CN=wbinstall test CA" >/dev/null 2>&1
}

# leaf NAME DNS-NAME [START END] (YYYYMMDDHHMMSSZ): NAME.crt, NAME.key
leaf() {
	local name=$1 dns=$2 dates=(-days 20)
	[ -z "${3:-}" ] || dates=(-startdate "$3" -enddate "$4")
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/pki/$name.key" -out "$T/pki/$name.csr" \
	    -subj "/CN=$dns" -addext "subjectAltName=DNS:$dns" >/dev/null 2>&1
	openssl ca -batch -config "$T/pki/ca.cnf" -extensions leaf \
	    -in "$T/pki/$name.csr" -out "$T/pki/$name.crt" -notext \
	    "${dates[@]}" >/dev/null 2>&1
}

self_signed() {	# NAME DNS-NAME
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/pki/$1.key" -out "$T/pki/$1.crt" -days 20 \
	    -subj "/CN=$2" -addext "subjectAltName=DNS:$2" >/dev/null 2>&1
}

# --- the upstream: UP_PORT; /healthz and /ready answer $T/up-status
start_upstream() {
	local i=0
	python3 "$WB_SRCDIR/tests/install/upstream.py" "$T/up-port" \
	    "$T/up-status" >/dev/null 2>&1 &
	bg_pids+=($!)
	while [ ! -s "$T/up-port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	UP_PORT=$(cat "$T/up-port")
}

# --- nginx with TLS in front of the upstream.
# start_proxy NAME CERT [BODY-MAX [EXTRA]]: sets PROXY_PORT.  EXTRA is
# nginx configuration put in the server block (more locations).
start_proxy() {
	local name=$1 cert=$2 max=${3:-0} extra=${4:-} env
	cat >"$T/nginx-$name.conf" <<EOF
worker_processes 1;
error_log @WB_NGINX_DIR@/logs/error.log warn;
events { worker_connections 64; }
http {
    include @WB_NGINX_HTTP_CONF@;
    server {
        listen @WB_NGINX_HOST@:@WB_NGINX_PORT@ ssl;
        server_name $FQDN;
        ssl_certificate $T/pki/$cert.crt;
        ssl_certificate_key $T/pki/$cert.key;
        client_max_body_size $max;
$extra
        location / {
            proxy_pass http://127.0.0.1:$UP_PORT;
            proxy_set_header Host \$http_host;
        }
    }
}
EOF
	env=$(WB_PEER_INSTANCE=$name "$PEERS/nginx.sh" start \
	    "$T/nginx-$name.conf" 2>"$T/nginx-$name.err") || {
		echo "1..0 # SKIP nginx did not start: $(tail -n 1 "$T/nginx-$name.err")"
		exit 0
	}
	nginx_names+=("$name")
	eval "$env"
	PROXY_PORT=$WB_NGINX_PORT
}

# --- the stand-ins, copied to $T/standins, their settings beside them.
# Behind them the real helm (WB_HELM, else where scripts/deps puts it;
# tests/standins/realhelm.sh), with the charts of https://charts.wandb.ai
# in STANDIN_CHARTS: the real ones from $WB_SHARED, else minimal charts of
# the same names and versions (that render whatever values they get).
: "${WB_HELM:=/opt/wbinstall-test/helm-3.17.3/helm}"
setup_standins() {
	cp -r "$WB_SRCDIR/tests/standins" "$T/standins"
	chmod -R u+w "$T/standins"
	STANDIN_LOG=$T/calls.log
	STANDIN_HELM=none
	[ ! -x "$WB_HELM" ] || STANDIN_HELM=$WB_HELM
	STANDIN_CHARTS=${WB_SHARED:-}/reference/charts
	if [ ! -d "$STANDIN_CHARTS" ]; then
		STANDIN_CHARTS=$T/standin-charts
		minimal_chart "$STANDIN_CHARTS" operator 1.4.8
		minimal_chart "$STANDIN_CHARTS" operator-wandb 0.43.8
	fi
	write_standin_env
}

# minimal_chart DIR NAME VERSION: DIR/NAME, a chart with one ConfigMap.
minimal_chart() {
	mkdir -p "$1/$2/templates"
	printf 'apiVersion: v2\nname: %s\nversion: %s\n' "$2" "$3" \
	    >"$1/$2/Chart.yaml"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-%s\n' \
	    "$2" >"$1/$2/templates/configmap.yaml"
}

# standin_real: true when the stand-ins have the real helm behind them.
standin_real() { [ "$STANDIN_HELM" != none ]; }

# ok_real_helm KUBECTL-DIR: one check that the real helm rendered the
# operator chart (the --repo one, from STANDIN_CHARTS) and that the
# operator stand-in in KUBECTL-DIR rendered operator-wandb with the
# resource's spec.values; a skip without the real helm.
ok_real_helm() {
	if ! standin_real; then
		skip "no real helm at $WB_HELM: helm and the operator only replay"
		return
	fi
	grep -qx "rendered $STANDIN_CHARTS/operator" "$T/standins/realhelm.log" &&
	    grep -q "^operator: rendered" "$1/operator.log" &&
	    [ ! -e "$1/operator.failed" ]
	ok $? "the real helm rendered the operator chart, and operator-wandb with the resource's spec.values"
	[ ! -e "$1/operator.failed" ] || diag "$(cat "$1/operator.log")"
}

# thelm ARGS...: the real helm, its homes in $T/helm-home.
thelm() {
	HELM_CACHE_HOME=$T/helm-home/cache HELM_CONFIG_HOME=$T/helm-home/config \
	    HELM_DATA_HOME=$T/helm-home/data "$WB_HELM" "$@"
}

write_standin_env() {	# from STANDIN_FAIL, _KILL, _SLOW, _WANDB_EXIT, _PROBE
	{
		echo "STANDIN_LOG='$STANDIN_LOG'"
		echo "STANDIN_HELM='$STANDIN_HELM'"
		echo "STANDIN_CHARTS='$STANDIN_CHARTS'"
		echo "STANDIN_FAIL='${STANDIN_FAIL:-}'"
		echo "STANDIN_KILL='${STANDIN_KILL:-}'"
		echo "STANDIN_SLOW='${STANDIN_SLOW:-}'"
		echo "STANDIN_WANDB_EXIT='${STANDIN_WANDB_EXIT:-0}'"
		echo "STANDIN_PROBE='${STANDIN_PROBE:-}'"
	} >"$T/standins/standin.env"
}

# until_called PREFIX: wait (at most 10 s) until a stand-in is called with
# a command line that starts with PREFIX.
until_called() {
	local i=0
	until grep -q "^$1" "$STANDIN_LOG" 2>/dev/null || [ $i -ge 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# Field F of the checks with id ID in the JSON file FILE.
jfield() {	# FILE ID FIELD
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(c[sys.argv[3]] for c in d["checks"] if c["id"] == sys.argv[2]))' "$@"
}

# install_site: what the install tests stand on: the test CA, a good
# certificate for $FQDN, the upstream behind nginx (PROXY_PORT), s3rver
# (WB_S3_*), sshd (WB_SSHD_*) and the stand-ins, which the control host
# finds first in its PATH.  Skips the test when a peer does not start.
install_site() {
	local env
	mk_ca
	leaf good "$FQDN"
	start_upstream
	start_proxy good good 0
	USE_S3=1
	env=$("$PEERS/s3rver.sh" start wandb-files 2>"$T/s3.err") || {
		echo "1..0 # SKIP s3rver did not start: $(tail -n 1 "$T/s3.err")"
		exit 0
	}
	eval "$env"
	USE_SSHD=1
	env=$("$PEERS/sshd.sh" start 4 0 2>"$T/sshd.err") || {
		echo "1..0 # SKIP sshd did not start: $(tail -n 1 "$T/sshd.err")"
		exit 0
	}
	eval "$env"
	setup_standins
	{
		printf 'command="PATH=%s:/usr/local/bin:/usr/bin:/bin; export PATH; exec sh -c \\"$SSH_ORIGINAL_COMMAND\\"" ' "$T/standins"
		cat "$WB_SSHD_DIR/id_ed25519.pub"
	} >"$WB_SSHD_DIR/authorized_keys"
}

# install_answers FILE INGRESS-CLASS: the answers the install tests use.
# The app target refuses connections (its preflight fails fast); $CONTROL,
# when set, is the control target's entry; $LICENSE is in the MySQL
# password, so that a leak of either shows.
install_answers() {
	cat >"$1" <<EOF
version: 1
deployment:
  platform: kubernetes
  environment: test
domain:
  fqdn: $FQDN
license:
  value: {env: WB_LICENSE}
ssh:
  timeout_s: 5
  user: $WB_SSHD_USER
  identity: $WB_SSHD_IDENTITY
  known_hosts: $WB_SSHD_KNOWN_HOSTS
targets:
  - host: 127.0.0.9
    port: 1
    roles: [app]
${CONTROL:-}
kubernetes:
  namespace: wandb
  ingress_class: $2
mysql:
  host: 127.0.0.1
  port: 9
  password: {value: "mysql-pw-$LICENSE"}
storage:
  provider: s3
  endpoint: $WB_S3_ENDPOINT
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {env: WB_S3_ACCESS_KEY}
  secret_key: {env: WB_S3_SECRET_KEY}
EOF
}

# The commands of a Kubernetes install with those answers: the cluster
# preflight (its checks, then the probe Pod: a leftover removed, applied,
# waited for, its report read, deleted), then the deployment.
PROBE='kubectl delete pod wbinstall-probe --namespace wandb --ignore-not-found --wait=true
kubectl apply -f -
kubectl get pod wbinstall-probe --namespace wandb -o json
kubectl logs wbinstall-probe --namespace wandb
kubectl delete pod wbinstall-probe --namespace wandb --ignore-not-found --wait=false'
PREFLIGHT="kubectl version -o json
kubectl get ingressclass -o json
kubectl get storageclass -o json
kubectl get nodes -o json
helm version --short
$PROBE"
HELM="helm upgrade --install wandb-operator operator --repo https://charts.wandb.ai --version 1.4.8 --namespace wandb --create-namespace --wait --timeout 10m --values -"
DEPLOY="kubectl apply -f -
$HELM
kubectl apply -f -
kubectl get weightsandbiases wandb --namespace wandb -o json
kubectl get pods --namespace wandb -o json
wandb verify --host https://$FQDN"

# airgap_answers FILE REGISTRY BUNDLE [CHART-REPO [WANDB-VERSION]]:
# Kubernetes answers for an air gap (plain http to REGISTRY), helm and
# kubectl on this machine, an app target that refuses connections and
# MySQL on a closed port (their preflight fails fast: use --force), the
# bucket at $WB_S3_ENDPOINT (else a closed port) with the keys in
# WB_S3_ACCESS_KEY and WB_S3_SECRET_KEY, the license in WB_LICENSE.
airgap_answers() {
	cat >"$1" <<YAML
version: 1
deployment:
  platform: kubernetes
  environment: test${5:+
  wandb_version: $5}
domain:
  fqdn: $FQDN
license:
  value: {env: WB_LICENSE}
ssh:
  timeout_s: 5
targets:
  - host: 127.0.0.9
    port: 1
    roles: [app]
kubernetes:
  namespace: wandb
mysql:
  host: 127.0.0.1
  port: 9
  password: {value: "not-used"}
storage:
  provider: s3
  endpoint: ${WB_S3_ENDPOINT:-127.0.0.1:9}
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {env: WB_S3_ACCESS_KEY}
  secret_key: {env: WB_S3_SECRET_KEY}
airgap:
  enabled: true
  bundle: $3
  registry: $2
  plain_http: true
  chart_repo: "${4:-}"
YAML
}
