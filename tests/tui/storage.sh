#!/usr/bin/env bash
# F4 on Object storage against s3rver on loopback, with a bucket that does
# not exist: the check says what creates it, then the wizard offers to
# create it (what --create-bucket does); no leaves it missing, yes
# creates it and the checks pass.
set -u
. "$(dirname "$0")/lib.sh"
tui_need s3rver
peers=$WB_SRCDIR/tests/peers
export WB_PEER_DIR=$tui_work/peers
trap '"$peers/s3rver.sh" stop all >/dev/null 2>&1; tui_cleanup' EXIT
if ! env=$("$peers/s3rver.sh" start 2>"$tui_work/s3rver.err"); then
	echo "1..0 # SKIP s3rver did not start: $(tail -n 1 "$tui_work/s3rver.err")"
	exit 0
fi
eval "$env"
cat >"$tui_work/answers.yaml" <<EOA
version: 1
deployment:
  products: models
  environment: test
  platform: kubernetes
domain:
  fqdn: wandb.example.com
license:
  value: {value: "x"}
mysql:
  host: 127.0.0.1
  password: {value: "p"}
storage:
  provider: s3
  endpoint: $WB_S3_ENDPOINT
  bucket: tui-new-bucket
  region: $WB_S3_REGION
  tls: false
  access_key: {value: "$WB_S3_ACCESS_KEY"}
  secret_key: {value: "$WB_S3_SECRET_KEY"}
EOA

tui_start wizard --answers "$tui_work/answers.yaml"
tui_title Welcome; must $? "the wizard starts"
tui_keys F10
tui_title Review; must $? "F10 goes to Review"
tui_keys Escape Escape
tui_title "Object storage"; must $? "back to Object storage"
tui_keys F4
tui_wait "Test: storage" 20; must $? "F4 runs the checks"
tui_screen | grep -q "✘ .*storage.bucket *NoSuchBucket"
check $? "the bucket does not exist"
tui_screen | tr -d '│\n' | tr -s ' ' | grep -q -- "--create-bucket"
check $? "the hint says what creates it"
tui_keys Escape
tui_wait "Create it now?"; must $? "then creating it is offered"
tui_keys n
tui_gone "Create it now?"; check $? "no: nothing happens"
tui_keys F4
tui_wait "Test: storage" 20; must $? "F4 again"
tui_screen | grep -q "✘ .*storage.bucket *NoSuchBucket"
check $? "the bucket is still missing"
tui_keys Escape
tui_wait "Create it now?"; must $? "offered again"
tui_keys y
tui_wait "Summary:" 20; must $? "yes: the checks run again"
tui_screen | grep -q "✔ .*storage.bucket"
check $? "the bucket is created"
tui_screen | grep -q "Summary: 4 pass, 0 warn, 0 fail"
check $? "and every storage check passes"
tui_keys Escape
tui_gone "Test: storage"
tui_keys C-c y
[ "$(tui_exit)" = 1 ]; check $? "quit"
done_testing
