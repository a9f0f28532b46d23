#!/bin/bash
# wbinstall storage presign must print byte for byte what botocore's
# generate_presigned_url prints for the same keys, region, time and object
# key (path-style), on keys with spaces, +, ~, /, % and non-ASCII.
set -u
. "$WB_SRCDIR/tests/datastore/lib.sh"
ref=$WB_SRCDIR/tests/datastore/presign-ref.py

command -v "$PYTHON" >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is not installed"; exit 0; }
REF_ACCESS_KEY=x REF_SECRET_KEY=x "$PYTHON" "$ref" </dev/null
[ $? -ne 77 ] || { echo "1..0 # SKIP python3-botocore is not installed"; exit 0; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state
export REF_ACCESS_KEY='AKIA/EXAMPLE+KEY'
export REF_SECRET_KEY='wJalrXUtnFEMI/K7MDENG+bPxRfiCY/EXAMPLEKEY'
export T_AK=$REF_ACCESS_KEY T_SK=$REF_SECRET_KEY

# answers2 NAME STORAGE-LINES...: $tmp/NAME.yaml with these storage keys.
answers2() {
	local f=$tmp/$1.yaml l lines=()
	shift
	for l in "$@"; do lines+=("  $l"); done
	answers "$f" "storage:" "${lines[@]}"
}
answers2 local 'endpoint: 127.0.0.1:9000' 'bucket: wandb-files' \
	'region: us-east-1' 'tls: false' 'access_key: {env: T_AK}' \
	'secret_key: {env: T_SK}'
answers2 aws 'bucket: wandb-files' 'region: eu-central-1' \
	'access_key: {env: T_AK}' 'secret_key: {env: T_SK}'
answers2 awsdefault 'bucket: wandb.files' 'region: us-east-1' \
	'access_key: {env: T_AK}' 'secret_key: {env: T_SK}'
# The connection-string form, percent-encoded keys, a non-default port.
answers2 url 'url: {value: "s3://AKIA%2FEXAMPLE%2BKEY:wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCY%2FEXAMPLEKEY@s3.example.com:8443/wandb-files?tls=true&region=ap-northeast-2"}'

# name -> endpoint_url, region, bucket (as botocore sees them)
declare -A endpoint=([local]=http://127.0.0.1:9000 [aws]=- [awsdefault]=- [url]=https://s3.example.com:8443)
declare -A region=([local]=us-east-1 [aws]=eu-central-1 [awsdefault]=us-east-1 [url]=ap-northeast-2)
declare -A bucket=([local]=wandb-files [aws]=wandb-files [awsdefault]=wandb.files [url]=wandb-files)

keys=('plain.txt' 'with space.txt' 'a+b+c' 'tilde~name' 'dir/sub/file.bin'
	'100%done' '%2F already encoded' 'ünïcödé/日本語/파일' '/leading//double/'
	"quote'\"and;semi" 'mixed ~+% /é')
cases=$tmp/cases
: >"$cases"
n=0
for name in local aws awsdefault url; do
	for key in "${keys[@]}"; do
		# GET and PUT in turn: each key and each method on each endpoint.
		for method in $( ((n % 2)) && echo GET || echo PUT); do
			n=$((n + 1))
			at=2024$(printf '%02d' $((n % 12 + 1)))15T0$((n % 10))3007Z
			exp=$((n * 97 % 604800 + 1))
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${endpoint[$name]}" \
				"${region[$name]}" "${bucket[$name]}" "$method" "$exp" \
				"$at" "$key" >>"$cases"
			printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$method" "$exp" "$at" \
				"$key" >>"$cases.ours"
		done
	done
done
"$PYTHON" "$ref" <"$cases" >"$tmp/ref" 2>"$tmp/ref.err"
ok $? "botocore made $n reference URLs"
exec 3<"$tmp/ref"
while IFS=$'\t' read -r name method exp at key; do
	IFS= read -r want <&3
	got=$("$WBINSTALL" storage presign --answers "$tmp/$name.yaml" \
		--method "$method" --key "$key" --expires "$exp" --at "$at")
	[ "$got" = "$want" ]
	ok $? "$name $method '$key': same URL as botocore"
	[ "$got" = "$want" ] || diag "ours:     $got" "botocore: $want"
done <"$cases.ours"
exec 3<&-

# Bad usage exits 2 and names the problem.
out=$("$WBINSTALL" storage presign --answers "$tmp/local.yaml" --method DELETE --key k 2>&1)
[ $? -eq 2 ] && [[ $out == *"GET or PUT"* ]]
ok $? "--method DELETE: exit 2"
out=$("$WBINSTALL" storage presign --answers "$tmp/local.yaml" --method GET --key k --at 2024-01-01 2>&1)
[ $? -eq 2 ] && [[ $out == *YYYYMMDDTHHMMSSZ* ]]
ok $? "--at malformed: exit 2"
out=$("$WBINSTALL" storage presign --answers "$tmp/local.yaml" --method GET --key k --expires 604801 2>&1)
[ $? -eq 2 ] && [[ $out == *--expires* ]]
ok $? "--expires over 7 days: exit 2"
out=$("$WBINSTALL" storage presign --answers "$tmp/local.yaml" --method GET 2>&1)
[ $? -eq 2 ] && [[ $out == *--key* ]]
ok $? "no --key: exit 2"
# The secret key never appears in what is printed or logged.
out=$("$WBINSTALL" --log "$tmp/log" storage presign --answers "$tmp/local.yaml" --method GET --key k 2>&1)
! grep -qF -- "$T_SK" "$tmp/log" && [[ $out != *"$T_SK"* ]] && [[ $out != *K7MDENG* ]]
ok $? "the secret key is neither printed nor logged"

done_testing
[ "$tap_failed" -eq 0 ]
