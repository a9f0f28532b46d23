#!/usr/bin/env bash
# preflight --checks license on licenses this test makes: a good one
# passes, an expired one fails and one about to expire warns, as JSON with
# the preflight schema; the license's text is in no output and no log.
set -u
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work/state
case_dir=$WB_SRCDIR/tests/render/cases/kubernetes
while IFS= read -r kv; do
	[ -n "$kv" ] && export "${kv?}"
done <"$case_dir/env"

for c in good:365:0:pass expiring:10:0:warn expired:-3:1:fail; do
	IFS=: read -r name days want_rc want <<<"$c"
	WB_LICENSE=$(test_license "$days")
	export WB_LICENSE
	"$WBINSTALL" --log "$work/$name.log" preflight --answers "$case_dir/answers.yaml" \
	    --checks license --json >"$work/$name.json" 2>"$work/$name.err"
	rc=$?
	got=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(c["id"] + "=" + c["status"] for c in d["checks"]))' "$work/$name.json" 2>/dev/null)
	[ "$rc" = "$want_rc" ] && [[ $got == *"license.expiry=$want"* ]] &&
	    [[ $got == *"license.format=pass"* ]]
	ok $? "$name license: exit $rc, $got"
	! grep -rqF -e "$WB_LICENSE" -e "${WB_LICENSE##*.}" "$work/$name.json" "$work/$name.err" "$work/$name.log"
	ok $? "$name license: neither it nor its signature is in the output or the log"
done
WB_LICENSE=not-a-jwt "$WBINSTALL" --log "$work/bad.log" preflight \
    --answers "$case_dir/answers.yaml" --checks license >"$work/bad.out" 2>&1
[ $? = 1 ] && grep -q "license.format" "$work/bad.out" && ! grep -q "not-a-jwt" "$work/bad.out" "$work/bad.log"
ok $? "a license that is no JWT fails license.format, and is not printed"
done_testing
