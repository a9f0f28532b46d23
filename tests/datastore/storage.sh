#!/bin/bash
# The "storage" preflight family against s3rver on loopback: missing
# bucket, --create-bucket, CORS applied, read back and preflighted, the
# presigned round trip, bad keys, refused connections, the connection
# string, and providers that are not checked.
set -u
. "$WB_SRCDIR/tests/datastore/lib.sh"
peers=$WB_SRCDIR/tests/peers

command -v s3rver >/dev/null 2>&1 || { echo "1..0 # SKIP s3rver is not installed"; exit 0; }
command -v "$PYTHON" >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is not installed"; exit 0; }

tmp=$(mktemp -d)
export WB_PEER_DIR=$tmp/peers XDG_STATE_HOME=$tmp/state WB_TEST_LOG=$tmp/log
cleanup() {
	"$peers/s3rver.sh" stop >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
eval "$("$peers/s3rver.sh" start 2>"$tmp/start.log")" || {
	echo "1..0 # SKIP s3rver did not start: $(tail -n1 "$tmp/start.log")"
	exit 0
}
export T_AK=$WB_S3_ACCESS_KEY T_SK=$WB_S3_SECRET_KEY
bucket=wbtest-files

# store FILE [EXTRA STORAGE LINES]: answers for the s3rver peer.
store() {
	local f=$1
	shift
	answers "$f" "storage:" "  endpoint: $WB_S3_ENDPOINT" \
		"  bucket: $bucket" "  region: us-east-1" "  tls: false" \
		"  access_key: {env: T_AK}" "  secret_key: {env: T_SK}" "$@"
}
# s3 METHOD PATH [CURL ARGS]: a signed request straight to the peer.
s3() {
	local m=$1 p=$2
	shift 2
	curl -s -X "$m" --aws-sigv4 "aws:amz:us-east-1:s3" \
		--user "$WB_S3_ACCESS_KEY:$WB_S3_SECRET_KEY" \
		-H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@" "$WB_S3_URL$p"
}

store "$tmp/a.yaml"

# 1. The bucket does not exist yet.
"$RUN_FAMILY" storage "$tmp/a.yaml" >"$tmp/r1.json"
ok $(($? != 1)) "missing bucket: exit 1"
expect "$tmp/r1.json" storage.connect pass
expect "$tmp/r1.json" storage.bucket fail "--create-bucket"
[ "$(field "$tmp/r1.json" storage.bucket observed)" = NoSuchBucket ]
ok $? "missing bucket: observed NoSuchBucket"
expect "$tmp/r1.json" storage.cors skip "not run"
expect "$tmp/r1.json" storage.presign skip "not run"

# 2. --create-bucket creates it; then everything passes.
"$RUN_FAMILY" storage "$tmp/a.yaml" --create-bucket >"$tmp/r2.json"
ok $? "--create-bucket: exit 0"
expect "$tmp/r2.json" storage.bucket pass "created"
expect "$tmp/r2.json" storage.cors pass "refuses https://foreign-origin.invalid"
expect "$tmp/r2.json" storage.presign pass "round-tripped"

# 3. The policy is really on the bucket, and really enforced.
s3 GET "/$bucket?cors" >"$tmp/cors.xml"
grep -q '<AllowedOrigin>https://wandb.example.com</AllowedOrigin>' "$tmp/cors.xml" &&
	grep -q '<AllowedMethod>PUT</AllowedMethod>' "$tmp/cors.xml"
ok $? "GetBucketCors shows the W&B origin and PUT"
code=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS \
	-H 'Origin: https://wandb.example.com' \
	-H 'Access-Control-Request-Method: PUT' "$WB_S3_URL/$bucket/x")
ok $(($code != 200)) "preflight from https://wandb.example.com allowed ($code)"
code=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS \
	-H 'Origin: https://evil.example.net' \
	-H 'Access-Control-Request-Method: PUT' "$WB_S3_URL/$bucket/x")
ok $(($code == 200)) "preflight from a foreign origin refused ($code)"
# The probe object is gone.
s3 GET "/$bucket" >"$tmp/list.xml"
! grep -q 'wbinstall-preflight' "$tmp/list.xml"
ok $? "the probe object was deleted"

# 4. A second run passes again (the bucket exists now).
"$RUN_FAMILY" storage "$tmp/a.yaml" >"$tmp/r3.json"
ok $? "second run: exit 0"
expect "$tmp/r3.json" storage.bucket pass "exists"

# 5. URLs from `wbinstall storage presign` work on the server.
head -c 3000 /dev/urandom >"$tmp/blob"
key='dir/ü x+y~%.bin'
url=$("$WBINSTALL" storage presign --answers "$tmp/a.yaml" --method PUT --key "$key" --expires 120)
code=$(curl -s -o /dev/null -w '%{http_code}' -T "$tmp/blob" "$url")
ok $(($code != 200)) "presigned PUT of '$key' ($code)"
url=$("$WBINSTALL" storage presign --answers "$tmp/a.yaml" --method GET --key "$key")
curl -s -o "$tmp/back" "$url" && cmp -s "$tmp/blob" "$tmp/back"
ok $? "presigned GET returns the same bytes"

# 6. Bad keys.
T_AK=NOT-A-KEY "$RUN_FAMILY" storage "$tmp/a.yaml" >"$tmp/r4.json"
ok $(($? != 1)) "bad access key: exit 1"
expect "$tmp/r4.json" storage.bucket fail "storage.access_key"
[ "$(field "$tmp/r4.json" storage.bucket observed)" = InvalidAccessKeyId ]
ok $? "bad access key: observed InvalidAccessKeyId"

# 7. Nothing listens / TLS against a plain endpoint.
port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
answers "$tmp/refused.yaml" "storage:" "  endpoint: 127.0.0.1:$port" \
	"  bucket: $bucket" "  tls: false" "  access_key: {env: T_AK}" \
	"  secret_key: {env: T_SK}"
"$RUN_FAMILY" storage "$tmp/refused.yaml" >"$tmp/r5.json"
ok $(($? != 1)) "refused: exit 1"
expect "$tmp/r5.json" storage.connect fail "refused"
expect "$tmp/r5.json" storage.bucket skip "does not answer"
answers "$tmp/tls.yaml" "storage:" "  endpoint: $WB_S3_ENDPOINT" \
	"  bucket: $bucket" "  tls: true" "  access_key: {env: T_AK}" \
	"  secret_key: {env: T_SK}"
"$RUN_FAMILY" storage "$tmp/tls.yaml" >"$tmp/r6.json"
expect "$tmp/r6.json" storage.connect fail "TLS"

# 8. The connection string, with percent-encoded keys (S3%52VER is S3RVER).
enc=${WB_S3_ACCESS_KEY/R/%52}
answers "$tmp/url.yaml" "storage:" \
	"  url: {value: \"s3://$enc:$enc@$WB_S3_ENDPOINT/$bucket?tls=false&region=us-east-1\"}"
"$RUN_FAMILY" storage "$tmp/url.yaml" >"$tmp/r7.json"
ok $? "storage.url with percent-encoded keys: exit 0"
expect "$tmp/r7.json" storage.presign pass

# 9. gcs and azure: every check is reported as not run, never passed.
for p in gcs azure; do
	answers "$tmp/$p.yaml" "storage:" "  provider: $p" "  bucket: $bucket"
	"$RUN_FAMILY" storage "$tmp/$p.yaml" >"$tmp/$p.json"
	ok $? "$p: exit 0"
	"$PYTHON" - "$tmp/$p.json" "$p" <<-'EOF'
	import json, sys
	c = json.load(open(sys.argv[1]))["checks"]
	ids = [x["id"] for x in c]
	assert ids == ["storage.connect", "storage.bucket", "storage.cors",
	               "storage.presign"], ids
	assert all(x["status"] == "skip" and sys.argv[2] in x["message"]
	           and "not run" in x["message"] for x in c)
	EOF
	ok $? "$p: the four checks are skipped, saying why"
done

# 10. No secret in the log.
! grep -qF -- "$WB_S3_SECRET_KEY:" "$tmp/log" && ! grep -qF -- "$enc" "$tmp/log"
ok $? "no key in the log"

done_testing
[ "$tap_failed" -eq 0 ]
