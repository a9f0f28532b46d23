#!/bin/bash
# wbinstall support-bundle: what it collects (the log, the journal, the
# rendered files, preflight and verify JSON, versions, kubectl and helm
# output from the stand-ins), that the archive is 0600, that no real
# secret is left in it (as is, URL-encoded or base64), and that
# REDACTIONS.txt lists each redaction by file, line and rule, without the
# values.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
# shellcheck source=tests/upgrade/lib.sh
. "$WB_SRCDIR/tests/upgrade/lib.sh"
install_need python3 tar gzip
export WBINSTALL_DATADIR=$WB_SRCDIR

setup_upgrade_standins
export PATH=$T/ustandins:$T/standins:$PATH

LICENSE=$(test_license)
MYSQL_PW=pw-$(rand 16 'A-Za-z0-9')
AK=AKIA$(rand 16 'A-Z0-9')
SK=$(rand 40 'A-Za-z0-9/+')
# In the pod logs only: caught by the patterns, not by the answers.
OTHER_AK=ASIA$(rand 16 'A-Z0-9')
OTHER_SK=$(rand 40 'A-Za-z0-9/+')
OTHER_PW=url-$(rand 12 'A-Za-z0-9')
export WB_LICENSE=$LICENSE WB_S3_ACCESS_KEY=$AK WB_S3_SECRET_KEY=$SK
SECRETS=("$LICENSE" "$MYSQL_PW" "$AK" "$SK" "$OTHER_AK" "$OTHER_SK" "$OTHER_PW")

A=$T/site/answers.yaml
mkdir -p "$T/site/.wbinstall-state"
cat >"$A" <<YAML
version: 1
deployment:
  platform: kubernetes
  environment: test
domain:
  fqdn: $FQDN
license:
  value: {env: WB_LICENSE}
targets:
  - host: 127.0.0.1
    port: 9
    roles: [app]
kubernetes:
  namespace: wandb
mysql:
  host: 127.0.0.1
  port: 9
  password: {value: "$MYSQL_PW"}
storage:
  provider: s3
  endpoint: 127.0.0.1:9
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {env: WB_S3_ACCESS_KEY}
  secret_key: {env: WB_S3_SECRET_KEY}
YAML
echo '{"actions":[{"name":"render","state":"done"}]}' \
    >"$T/site/.wbinstall-state/journal.json"
head -c 32 /dev/urandom >"$T/site/.wbinstall-state/journal.key"
cat >"$T/fixtures/kubectl-logs.txt" <<LOG
2024-11-23T04:12:10Z info starting wandb/local 0.43.8
2024-11-23T04:12:11Z info mysql: connecting to mysql://wandb_local:$MYSQL_PW@127.0.0.1:9/wandb_local
2024-11-23T04:12:11Z info bucket: AWS_ACCESS_KEY_ID=$AK
2024-11-23T04:12:11Z info bucket: aws_secret_access_key = $SK
2024-11-23T04:12:12Z debug license loaded: $LICENSE
2024-11-23T04:12:12Z debug license (base64): $(printf %s "$LICENSE" | base64 -w0)
2024-11-23T04:12:13Z warn sts: {"AccessKeyId": "$OTHER_AK", "SecretAccessKey": "$OTHER_SK"}
2024-11-23T04:12:14Z info fetching https://bob:$OTHER_PW@mirror.example.com/x.tgz
2024-11-23T04:12:15Z info nothing secret here: AKIAISHORT and a 40-char-less secret_key: abc
LOG

OUT=$T/out/support.tar.gz
mkdir -p "$T/out"
"$WBINSTALL" --log "$T/wbinstall.log" support-bundle --answers "$A" \
    --out "$OUT" >"$T/run.out" 2>&1
rc=$?
ok $rc "support-bundle: exit 0"
[ $rc -eq 0 ] || diag "$(cat "$T/run.out")"
[ "$(stat -c %a "$OUT" 2>/dev/null)" = 600 ]
ok $? "the archive is mode 0600"
mkdir -p "$T/x"
tar -xzf "$OUT" -C "$T/x" 2>/dev/null
B=$(echo "$T"/x/wbinstall-support-*)
missing=
for f in answers.yaml wbinstall.log state/journal.json \
    rendered/helm/wandb-cr.yaml rendered/k8s/secrets.yaml \
    checks/preflight.json checks/verify.json versions/wbinstall.txt \
    versions/kubectl.json versions/helm.txt cluster/helm-list.json \
    cluster/get-all.txt cluster/events.txt cluster/describe-pods.txt \
    cluster/weightsandbiases.yaml cluster/pods.json \
    cluster/logs/wandb-app-7c9d8f6b5-x2lqp.txt SUMMARY.txt REDACTIONS.txt; do
	[ -s "$B/$f" ] || missing="$missing $f"
done
[ -z "$missing" ]
ok $? "it holds the log, state, rendered files, checks, versions and cluster output"
[ ! -e "$B/state/journal.key" ]
ok $? "the journal key stays out"
[ -z "$missing" ] || diag "missing:$missing" "$(cd "$B" 2>/dev/null && find . -type f)"
python3 -c 'import json,sys
for f in sys.argv[1:]:
    d = json.load(open(f)); assert "checks" in d and "summary" in d' \
    "$B/checks/preflight.json" "$B/checks/verify.json" 2>/dev/null
ok $? "preflight and verify results are JSON in the check schema"
grep -q "kubectl logs wandb-app-7c9d8f6b5-x2lqp --namespace wandb --all-containers" "$T/calls.log"
ok $? "kubectl logs ran for each pod of the namespace"

found=
for s in "${SECRETS[@]}"; do
	for form in "$s" "$(printf %s "$s" | base64 -w0)" \
	    "$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$s")"; do
		grep -rqF -- "$form" "$T/x" && found="$found ${form:0:6}..."
	done
done
[ -z "$found" ]
ok $? "no secret string is left in the bundle (as is, base64, URL-encoded)"
[ -z "$found" ] || diag "found:$found"
zcat "$OUT" | grep -qaF -- "$LICENSE"
[ $? -ne 0 ]
ok $? "not even in the raw archive"

R=$B/REDACTIONS.txt
L=cluster/logs/wandb-app-7c9d8f6b5-x2lqp.txt
expect="$L:2: secret:mysql.password
$L:3: secret:storage.access_key
$L:4: secret:storage.secret_key
$L:5: license
$L:6: license
$L:7: aws-access-key
$L:7: aws-secret-key
$L:8: url-password"
[ "$(grep "^$L:" "$R")" = "$expect" ]
ok $? "the report lists each redaction of the pod log by line and rule"
[ "$(grep "^$L:" "$R")" = "$expect" ] || diag "$(grep "^$L:" "$R")"
grep -q "^  password: {value: '\*\*\*'}$" "$B/answers.yaml" &&
    grep -q "^  license: '\*\*\*'$" "$B/rendered/k8s/secrets.yaml" &&
    ! grep -q "^answers.yaml:\|^rendered/" "$R"
ok $? "the answers file and the rendered Secrets hold the mask where each secret is written (nothing left to redact)"
grep -q "nothing secret here: AKIAISHORT and a 40-char-less secret_key: abc" "$B/$L"
ok $? "text that only looks like a key is left alone"
grep -q "url-password\|secret:" "$R" && ! grep -qF -- "$LICENSE" "$R"
ok $? "the report holds rules, never values"

# An unresolvable secret: noted in SUMMARY.txt; the archive still written.
unset WB_S3_SECRET_KEY
"$WBINSTALL" --log "$T/wbinstall.log" support-bundle --answers "$A" \
    --out "$T/out/two.tar.gz" --no-checks --no-cluster >"$T/two.out" 2>&1
rc=$?
tar -xzOf "$T/out/two.tar.gz" --wildcards '*/SUMMARY.txt' 2>/dev/null |
    grep -q "FAILED: secrets: storage.secret_key did not resolve"
ok $(( rc != 0 || $? )) "a secret that does not resolve is named in SUMMARY.txt"
"$WBINSTALL" --log "$T/wbinstall.log" support-bundle --answers "$A" \
    --out "$T/out/x.zip" >/dev/null 2>&1
[ $? -eq 2 ]
ok $? "--out must end in .tar.gz: exit 2"
done_testing
