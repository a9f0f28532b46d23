# Shared helpers for the shell tests: TAP output and paths.
# shellcheck shell=bash
: "${WB_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${WBINSTALL:=$WB_SRCDIR/wbinstall}"
tap_n=0
tap_failed=0
ok() {	# ok COND-EXIT-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
done_testing() { echo "1..$tap_n"; }
# test_license [DAYS]: a license as W&B's are shaped (a JWT: three
# base64url parts) that expires in DAYS days (default 365), with a random
# claim and signature, so that each test's license is its own.
test_license() {
	python3 - "${1:-365}" <<'PY'
import base64, json, os, sys, time
def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
head = b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
body = b64(json.dumps({"exp": int(time.time()) + int(sys.argv[1]) * 86400,
                       "jti": os.urandom(12).hex(), "maxUsers": 10}).encode())
print(head + "." + body + "." + b64(os.urandom(32)))
PY
}
# py_yaml: the first python3 with yaml (python3-yaml), or nothing.
py_yaml() {
	local p
	for p in python3 /usr/bin/python3; do
		if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}
# have_test_hooks: the program was built with ./configure --enable-test-hooks
# (scripts/test and CI build it so); the tests that drive a hook skip
# without them.
have_test_hooks() { "$WBINSTALL" --version | grep -q '(test hooks)'; }
