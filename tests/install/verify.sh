#!/bin/bash
# wbinstall verify against real nginx (TLS from a test CA) in front of a
# small upstream, and s3rver for the bucket: a good certificate, an
# expired one, the wrong name, a self-signed one, a 413 from a small
# client_max_body_size, a failing /healthz, and `wandb verify` (a
# stand-in) passing, failing and absent.  The upload path: nginx as W&B's
# proxy in front of s3rver (which checks Content-MD5 here, as S3 does),
# once passing Content-MD5 and once stripping it (wandb/wandb #1543), and
# the bucket's CORS preflight with the origin users type, and another.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
install_need nginx openssl python3 s3rver

mk_ca
leaf good "$FQDN"
leaf wrong other.test
leaf expired "$FQDN" 20200101000000Z 20200201000000Z
self_signed self "$FQDN"
start_upstream
declare -A port
for p in good:good:0 wrong:wrong:0 expired:expired:0 small:good:1k self:self:0; do
	IFS=: read -r name cert max <<<"$p"
	start_proxy "$name" "$cert" "$max"
	port[$name]=$PROXY_PORT
done
USE_S3=1
# s3start INSTANCE [CORS-XML]: an s3rver (it checks Content-MD5, as S3
# does) with bucket wandb-files; its endpoint in s3[INSTANCE].
declare -A s3
s3start() {
	local env
	env=$(WB_PEER_INSTANCE=$1 WB_S3_BUCKET_CONFIGS=${2:-} \
	    "$PEERS/s3rver.sh" start wandb-files 2>"$T/s3-$1.err") || {
		echo "1..0 # SKIP s3rver did not start: $(tail -n 1 "$T/s3-$1.err")"
		exit 0
	}
	eval "$env"
	s3[$1]=$WB_S3_ENDPOINT
}
s3start main
# W&B's host as the proxy of the store too: /wandb-files/ goes to s3rver,
# every header passed on, or Content-MD5 stripped.
s3loc="        location /wandb-files/ {
            proxy_pass http://${s3[main]};
            proxy_set_header Host \$http_host;"
start_proxy s3pass good 0 "$s3loc
        }"
port[s3pass]=$PROXY_PORT
start_proxy s3strip good 0 "$s3loc
            proxy_set_header Content-MD5 \"\";
        }"
port[s3strip]=$PROXY_PORT
# The bucket's CORS rule allows the origin users type, or another.
for o in exact:https://$FQDN wrong:https://$FQDN:8443; do
	printf '<CORSConfiguration><CORSRule><AllowedOrigin>%s</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>\n' \
	    "${o#*:}" >"$T/cors-${o%%:*}.xml"
	s3start "${o%%:*}" "$T/cors-${o%%:*}.xml"
done
WB_S3_ENDPOINT=${s3[main]}
setup_standins

cat >"$T/answers.yaml" <<EOF
version: 1
deployment:
  platform: kubernetes
domain:
  fqdn: $FQDN
license:
  value: {value: "test-license"}
targets:
  - host: 127.0.0.9
    roles: [app]
mysql:
  host: 127.0.0.1
  password: {value: "p"}
storage:
  provider: s3
  endpoint: $WB_S3_ENDPOINT
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {env: WB_S3_ACCESS_KEY}
  secret_key: {env: WB_S3_SECRET_KEY}
EOF

run_verify() {	# NAME PROXY [ARGS...]: $T/NAME.json, $T/NAME.rc
	local name=$1 proxy=$2
	shift 2
	PATH="$T/standins:$PATH" \
	    "$WBINSTALL" --log "$T/wbinstall.log" verify \
	    --connect-to "$FQDN:443:127.0.0.1:${port[$proxy]}" --answers "$T/answers.yaml" --json "$@" >"$T/$name.json" \
	    2>"$T/$name.err"
	echo $? >"$T/$name.rc"
}
st() { jfield "$T/$1.json" "$2" status; }

# --- a good certificate, the CA given
run_verify good good --ca-file "$T/pki/ca.pem"
ok "$(cat "$T/good.rc")" "good: exit 0"
for id in verify.dns verify.host verify.tls.name verify.tls.chain \
    verify.tls.expiry verify.healthz verify.ready verify.body_size \
    verify.cors verify.presign verify.upload wandb.verify; do
	s=$(st good $id)
	[ "$s" = pass ]
	ok $? "good: $id passes ($s)"
done
[ "$(jfield "$T/good.json" verify.tls.expiry observed)" = "19 days left" ] ||
    [ "$(jfield "$T/good.json" verify.tls.expiry observed)" = "20 days left" ]
ok $? "good: the days left are shown ($(jfield "$T/good.json" verify.tls.expiry observed))"
[ "$(jfield "$T/good.json" verify.dns observed)" = "127.0.0.1:${port[good]}" ]
ok $? "good: DNS reports the --connect-to override"
n=$(python3 -c 'import json,sys; print(sum(c["id"].startswith("wandb.") and c["status"] == "pass" for c in json.load(open(sys.argv[1]))["checks"]))' "$T/good.json")
[ "$n" = 10 ]
ok $? "good: nine ✅ lines of wandb verify and its exit status are checks ($n)"
grep -qx "wandb verify --host https://$FQDN" "$STANDIN_LOG"
ok $? "good: wandb verify ran with --host https://$FQDN"
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
keys = {"target", "id", "status", "observed", "required", "message", "hint"}
assert all(set(c) == keys for c in d["checks"])
assert set(d["summary"]) == {"pass", "warn", "fail", "skip"}' "$T/good.json"
ok $? "good: the JSON has the preflight schema"

[ "$(jfield "$T/good.json" verify.host observed)" = "https://$FQDN" ]
ok $? "good: verify.host holds the rendered global.host"
jfield "$T/good.json" verify.upload message | grep -q "to the store at http://${s3[main]}"
ok $? "good: the upload went to the store, as W&B presigns it"

# --- the upload path through W&B's host: nginx in front of s3rver
# (storage.endpoint is W&B's host), passing Content-MD5, then stripping it
sed -e "s|endpoint: .*|endpoint: $FQDN|" -e "s|tls: false|tls: true|" \
    "$T/answers.yaml" >"$T/answers-proxy.yaml"
run_proxy() {	# NAME PROXY: run_verify with the proxied store
	local name=$1 proxy=$2
	PATH="$T/standins:$PATH" "$WBINSTALL" --log "$T/wbinstall.log" verify \
	    --connect-to "$FQDN:443:127.0.0.1:${port[$proxy]}" \
	    --answers "$T/answers-proxy.yaml" --ca-file "$T/pki/ca.pem" \
	    --no-wandb --json >"$T/$name.json" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
}
run_proxy s3pass s3pass
[ "$(cat "$T/s3pass.rc")" = 0 ] && [ "$(st s3pass verify.upload)" = pass ] &&
    [ "$(st s3pass verify.cors)" = pass ] && [ "$(st s3pass verify.presign)" = pass ]
ok $? "a proxy that passes Content-MD5: verify.upload, cors and presign pass"
jfield "$T/s3pass.json" verify.upload message | grep -q "through https://$FQDN (W&B's host)"
ok $? "the upload went through W&B's host and its proxy"
run_proxy s3strip s3strip
[ "$(cat "$T/s3strip.rc")" = 1 ] && [ "$(st s3strip verify.upload)" = fail ] &&
    [ "$(st s3strip verify.presign)" = pass ]
ok $? "a proxy that strips Content-MD5: verify.upload fails, the round trip without it passes"
jfield "$T/s3strip.json" verify.upload message | grep -q "Content-MD5 does not match its body: the header did not reach"
ok $? "the failure names Content-MD5 not reaching the store"
jfield "$T/s3strip.json" verify.upload hint | grep -q 'proxy_set_header Content-MD5'
ok $? "the hint names the proxy setting"


# --- the CORS preflight: the bucket allows exactly the origin users type,
# or another (a port the users do not type)
for c in exact wrong; do
	sed "s|endpoint: .*|endpoint: ${s3[$c]}|" "$T/answers.yaml" >"$T/answers-$c.yaml"
	PATH="$T/standins:$PATH" "$WBINSTALL" --log "$T/wbinstall.log" verify \
	    --connect-to "$FQDN:443:127.0.0.1:${port[good]}" --answers "$T/answers-$c.yaml" \
	    --ca-file "$T/pki/ca.pem" --no-wandb --json >"$T/cors-$c.json" 2>&1
	echo $? >"$T/cors-$c.rc"
done
# (s3rver answers a matching preflight with "*", which browsers take for
# these requests; S3 echoes the origin.)
[ "$(cat "$T/cors-exact.rc")" = 0 ] && [ "$(st cors-exact verify.cors)" = pass ]
ok $? "CORS: a bucket allowing the origin users type passes"
[ "$(cat "$T/cors-wrong.rc")" = 1 ] && [ "$(st cors-wrong verify.cors)" = fail ] &&
    jfield "$T/cors-wrong.json" verify.cors message | grep -q "a browser at https://$FQDN may not PUT"
ok $? "CORS: a bucket allowing another origin fails, naming the one users type"
[ "$(jfield "$T/cors-wrong.json" verify.cors required)" = "https://$FQDN" ]
ok $? "CORS: the required origin is scheme://host as users type it"

# --- the same without the CA: the chain is not trusted
run_verify noca good --no-wandb
[ "$(cat "$T/noca.rc")" = 1 ] && [ "$(st noca verify.tls.chain)" = fail ]
ok $? "no CA: exit 1, verify.tls.chain fails"
jfield "$T/noca.json" verify.tls.chain message | grep -q "unable to get local issuer"
ok $? "no CA: the reason is named"
[ -z "$(st noca wandb.verify)" ]
ok $? "--no-wandb: wandb verify is not run"

# --- an expired certificate
run_verify expired expired --ca-file "$T/pki/ca.pem" --no-wandb
[ "$(cat "$T/expired.rc")" = 1 ] && [ "$(st expired verify.tls.expiry)" = fail ] &&
    [ "$(st expired verify.tls.name)" = pass ] &&
    [ "$(st expired verify.tls.chain)" = pass ]
ok $? "expired: verify.tls.expiry fails, name and chain pass"

# --- the wrong name
run_verify wrong wrong --ca-file "$T/pki/ca.pem" --no-wandb
[ "$(cat "$T/wrong.rc")" = 1 ] && [ "$(st wrong verify.tls.name)" = fail ] &&
    [ "$(jfield "$T/wrong.json" verify.tls.name observed)" = other.test ]
ok $? "wrong name: verify.tls.name fails, observed other.test"

# --- self-signed: a warning, not a failure
run_verify self self --no-wandb
[ "$(cat "$T/self.rc")" = 0 ] && [ "$(st self verify.tls.chain)" = warn ]
ok $? "self-signed: verify.tls.chain warns, exit 0"

# --- 413 from a small client_max_body_size
run_verify small small --ca-file "$T/pki/ca.pem" --no-wandb
[ "$(cat "$T/small.rc")" = 1 ] && [ "$(st small verify.body_size)" = fail ] &&
    [ "$(jfield "$T/small.json" verify.body_size observed)" = 413 ] &&
    [ "$(st small verify.healthz)" = pass ]
ok $? "small body size: verify.body_size fails with 413, healthz passes"
jfield "$T/small.json" verify.body_size hint | grep -q client_max_body_size
ok $? "small body size: the hint names client_max_body_size"

# --- /healthz and /ready answer 503
echo 503 >"$T/up-status"
run_verify down good --ca-file "$T/pki/ca.pem" --no-wandb
rm -f "$T/up-status"
[ "$(cat "$T/down.rc")" = 1 ] && [ "$(st down verify.healthz)" = fail ] &&
    [ "$(st down verify.ready)" = fail ] &&
    [ "$(jfield "$T/down.json" verify.ready observed)" = 503 ]
ok $? "503: verify.healthz and verify.ready fail"

# --- wandb verify fails: its lines and its exit status
cp "$T/standins/fixtures/wandb-verify-fail.txt" "$T/standins/fixtures/wandb-verify.txt"
STANDIN_WANDB_EXIT=1 write_standin_env
run_verify wfail good --ca-file "$T/pki/ca.pem"
[ "$(cat "$T/wfail.rc")" = 1 ] && [ "$(st wfail wandb.signed_url_upload)" = fail ] &&
    [ "$(st wfail wandb.cors_configuration_of_the_bucket)" = warn ] &&
    [ "$(st wfail wandb.verify)" = fail ] &&
    [ "$(st wfail verify.healthz)" = pass ]
ok $? "wandb verify fails: ❌ and ⚠ lines become checks, its exit status is kept"

# --- wandb absent
if PATH=/usr/local/bin:/usr/bin:/bin command -v wandb >/dev/null 2>&1; then
	ok 0 "# SKIP a real wandb CLI is installed"
else
	# (the kubectl stand-in stays: verify.pods asks the cluster, and a
	# real kubectl on this machine has none)
	mkdir -p "$T/nowandb"
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$T/standins/kubectl" >"$T/nowandb/kubectl"
	chmod +x "$T/nowandb/kubectl"
	PATH=$T/nowandb:/usr/local/bin:/usr/bin:/bin "$WBINSTALL" --log "$T/wbinstall.log" \
	    verify --connect-to "$FQDN:443:127.0.0.1:${port[good]}" --answers "$T/answers.yaml" --json --ca-file "$T/pki/ca.pem" \
	    >"$T/absent.json" 2>"$T/absent.err"
	rc=$?
	[ $rc = 0 ] && [ "$(st absent wandb.verify)" = skip ] &&
	    jfield "$T/absent.json" wandb.verify hint | grep -q "pip install wandb"
	ok $? "wandb absent: skipped with how to install it (exit $rc)"
fi

# --- no override: DNS is asked, and .test does not resolve
"$WBINSTALL" --log "$T/wbinstall.log" verify --answers "$T/answers.yaml" \
    --json --no-wandb >"$T/dns.json" 2>"$T/dns.err"
[ $? = 1 ] && [ "$(st dns verify.dns)" = fail ]
ok $? "without the override, $FQDN has no A record: verify.dns fails"

# --- the table, and bad usage
PATH="$T/standins:$PATH" "$WBINSTALL" --log "$T/wbinstall.log" verify \
    --connect-to "$FQDN:443:127.0.0.1:${port[good]}" --answers "$T/answers.yaml" \
    --ca-file "$T/pki/ca.pem" --no-wandb >"$T/table.out" 2>&1
grep -q "✔  https://$FQDN  *verify.tls.chain" "$T/table.out"
ok $? "the table has a ✔ row per check"
"$WBINSTALL" --log "$T/wbinstall.log" verify --answers "$T/answers.yaml" \
    --ca-file "$T/nope.pem" >/dev/null 2>"$T/usage.err"
[ $? = 2 ] && grep -q "nope.pem" "$T/usage.err"
ok $? "an unreadable --ca-file is bad usage (exit 2)"
# curl's HOST:PORT:ADDR:PORT, or a comma-separated list of them; the
# commands whose verify step takes it refuse anything else before acting.
for cmd in verify install upgrade; do
	extra=()
	[ $cmd = verify ] || extra=(--dry-run)
	[ $cmd = upgrade ] && extra+=(--bundle "$T/none.tar.zst")
	wrong=
	for bad in "$FQDN:443" "$FQDN:443:127.0.0.1:1,oops" "$FQDN:443:127.0.0.1 :1"; do
		"$WBINSTALL" --log "$T/wbinstall.log" $cmd --answers "$T/answers.yaml" \
		    "${extra[@]}" --connect-to "$bad" >/dev/null 2>"$T/usage.err"
		rc=$?
		[ $rc = 2 ] && grep -qF -- "--connect-to takes HOST:PORT:ADDR:PORT" "$T/usage.err" &&
		    grep -qF -- "'$bad'" "$T/usage.err" ||
		    wrong="$wrong [$bad: exit $rc: $(cat "$T/usage.err")]"
	done
	[ -z "$wrong" ] || diag "$cmd --connect-to:$wrong"
	[ -z "$wrong" ]
	ok $? "$cmd: a --connect-to that is no HOST:PORT:ADDR:PORT list is bad usage, named (exit 2)"
done
! grep -q "S3RVER" "$T/wbinstall.log"
ok $? "the log holds no secret"

done_testing
