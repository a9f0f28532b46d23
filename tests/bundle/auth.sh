#!/bin/bash
# Bundles against registries that want auth (tests/peers/registry.sh with
# WB_REGISTRY_AUTH): push to a Bearer-token registry and to a Basic
# (htpasswd) one, create from them with credentials and anonymously, and
# wrong or missing credentials refused with a clear error that holds no
# secret.
set -u
. "$WB_SRCDIR/tests/bundle/common.sh"
PEERS=$WB_SRCDIR/tests/peers
for c in docker-registry skopeo curl openssl; do
	command -v "$c" >/dev/null ||
		{ rm -rf "$T"; echo "1..0 # SKIP $c is not installed"; exit 0; }
done
export WB_PEER_DIR=$T/peers
cleanup() {
	"$PEERS/registry.sh" stop all >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# start_registry INSTANCE AUTH PREFIX [VAR=VALUE...]: sets PREFIX (host:port),
# PREFIX_PW (password file), PREFIX_LOG (access log), PREFIX_TOKENS (token
# server log).
start_registry() {
	local inst=$1 auth=$2 p=$3 env
	shift 3
	env=$(env "$@" WB_PEER_INSTANCE="$inst" WB_REGISTRY_AUTH="$auth" \
		"$PEERS/registry.sh" start) || return 1
	eval "$env"
	printf -v "$p" '%s' "$WB_REGISTRY"
	printf -v "${p}_PW" '%s' "${WB_REGISTRY_PASSWORD_FILE:-}"
	printf -v "${p}_LOG" '%s' "$WB_REGISTRY_DIR/registry.log"
	printf -v "${p}_TOKENS" '%s' "${WB_REGISTRY_TOKEN_LOG:-}"
}
start_registry tok token TOK && start_registry basic htpasswd BASIC &&
	start_registry closed token CLOSED WB_REGISTRY_ANONYMOUS=none \
		WB_REGISTRY_TOKEN_FIELD=access_token ||
	{ echo "Bail out! cannot start the registry peer with auth"; exit 1; }
USER=wbtest
SECRETS=("$(cat "$TOK_PW")" "$(cat "$BASIC_PW")" "$(cat "$CLOSED_PW")")

echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$T/policy.json"
# skopeo reads the credentials from an auth file, not from argv.
python3 - "$T/auth.json" "$USER" "$TOK" "$TOK_PW" "$BASIC" "$BASIC_PW" \
	"$CLOSED" "$CLOSED_PW" <<'PY'
import base64, json, os, sys
out, user, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
auths = {}
for host, pwfile in zip(rest[::2], rest[1::2]):
    pw = open(pwfile).read().strip()
    auths[host] = {"auth": base64.b64encode(f"{user}:{pw}".encode()).decode()}
fd = os.open(out, os.O_WRONLY | os.O_CREAT, 0o600)
os.write(fd, json.dumps({"auths": auths}).encode())
PY
remote_digest() {	# remote_digest REGISTRY REPO:TAG
	timeout 60 skopeo --policy "$T/policy.json" inspect --tls-verify=false \
		--authfile "$T/auth.json" --format '{{.Digest}}' "docker://$1/$2"
}
# The bundle's image digests, one line.
bundle_digests() {
	wb bundle inspect --json "$1" | python3 -c '
import json, sys
print(" ".join(i["digest"] for i in json.load(sys.stdin)["images"]))'
}
# No password nor bearer token in $1 or in the log.
no_secret() {
	local s
	for s in "${SECRETS[@]}"; do
		! grep -qF -- "$s" <<<"$1" && ! grep -qF -- "$s" "$T/wbinstall.log" ||
			return 1
	done
	! grep -q 'eyJ' <<<"$1" && ! grep -q 'eyJ' "$T/wbinstall.log"
}
tokens() { grep -c '^token 200' "$1" || true; }
puts() { grep -c '"PUT /v2/[^ ]*/manifests/[^ ]* HTTP/1.1" 201' "$1" || true; }

make_source
B=$T/src.tar.zst
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
	--charts "$T/charts" --out "$B" >/dev/null
ok $? "a bundle from the umoci layout"
want="$(src_digest one) $(src_digest two)"

# Token auth.
export WB_TEST_PW
WB_TEST_PW=$(cat "$TOK_PW")
out=$(wb bundle push "$B" --registry "$TOK" --plain-http --user "$USER" \
	--password '{env: WB_TEST_PW}' 2>&1)
rc=$?
[ $rc = 0 ] && grep -q 'pushed 2 images and 1 chart to' <<<"$out" &&
	grep -q '1 mounted' <<<"$out"
ok $? "push to a token-auth registry (the shared layer mounted)"
diag "$out"
n=$(tokens "$TOK_TOKENS")
[ "$n" = 4 ] && [ "$(grep -c '" 401 ' "$TOK_LOG")" = 1 ] &&
	grep -q 'granted=.*repository:charts/operator:pull,push' "$TOK_TOKENS"
ok $? "tokens are kept per scope: $n token requests for 2 images, a mount and the chart"
diag "$(grep '^token' "$TOK_TOKENS")"
grep -q 'granted=.*repository:wandb/two:pull,push repository:wandb/one:pull' \
	"$TOK_TOKENS"
ok $? "the mount asked one token for both repositories"
for i in one two; do
	[ "$(remote_digest "$TOK" "wandb/$i:$i")" = "$(src_digest $i)" ]
	ok $? "skopeo inspect with credentials: wandb/$i:$i on the token registry"
done

out=$(wb bundle create --spec "$T/spec.yaml" --source "registry:$TOK" \
	--plain-http --user "$USER" --password "{file: $TOK_PW}" \
	--charts "$T/charts" --out "$T/tok.tar.zst" 2>&1) &&
	wb bundle verify "$T/tok.tar.zst" >/dev/null &&
	[ "$(bundle_digests "$T/tok.tar.zst")" = "$want" ]
ok $? "create from a token-auth registry with credentials"
diag "$out"
out=$(wb bundle create --spec "$T/spec.yaml" --source "registry:$TOK" \
	--plain-http --charts "$T/charts" --out "$T/anon.tar.zst" 2>&1) &&
	[ "$(bundle_digests "$T/anon.tar.zst")" = "$want" ]
ok $? "create from a token-auth registry anonymously (anonymous pull allowed)"
diag "$out"

before=$(puts "$TOK_LOG")
out=$(wb bundle push "$B" --registry "$TOK" --plain-http 2>&1)
rc=$?
[ $rc = 1 ] && grep -q 'pass --user and --password' <<<"$out" &&
	[ "$(puts "$TOK_LOG")" = "$before" ]
ok $? "an anonymous push to a token registry is refused (exit $rc)"
diag "$out"
: >"$T/wbinstall.log"
WB_TEST_PW=not-the-password
out=$(wb bundle push "$B" --registry "$TOK" --plain-http --user "$USER" \
	--password '{env: WB_TEST_PW}' 2>&1)
rc=$?
[ $rc = 1 ] && grep -q "refused the credentials of user 'wbtest'" <<<"$out" &&
	! grep -q 'not-the-password' <<<"$out" &&
	! grep -q 'not-the-password' "$T/wbinstall.log" && no_secret "$out"
ok $? "a wrong password for the token server: exit $rc, clear, no secret"
diag "$out"

# The token server answers with access_token; no anonymous access at all.
out=$(wb bundle push "$B" --registry "$CLOSED" --plain-http --user "$USER" \
	--password "{file: $CLOSED_PW}" 2>&1) &&
	[ "$(remote_digest "$CLOSED" wandb/two:two)" = "$(src_digest two)" ]
ok $? "push to a token registry whose server sends access_token"
diag "$out"
out=$(wb bundle create --spec "$T/spec.yaml" --source "registry:$CLOSED" \
	--plain-http --charts "$T/charts" --out "$T/closed.tar.zst" 2>&1)
rc=$?
[ $rc = 1 ] && grep -q 'authentication required: pass --user and --password' \
	<<<"$out" && [ ! -e "$T/closed.tar.zst" ]
ok $? "an anonymous create where anonymous pull is not allowed: exit $rc"
diag "$out"

# Basic auth (htpasswd).
unauthorized() { grep -c '" 401 ' "$1" || true; }
before=$(unauthorized "$BASIC_LOG")
out=$(wb bundle push "$T/tok.tar.zst" --registry "$BASIC" --plain-http \
	--user "$USER" --password "{file: $BASIC_PW}" 2>&1)
rc=$?
[ $rc = 0 ] && grep -q 'pushed 2 images' <<<"$out"
ok $? "push to a Basic-auth (htpasswd) registry"
diag "$out"
n=$(($(unauthorized "$BASIC_LOG") - before))
[ "$n" = 1 ]
ok $? "Basic credentials are sent from the second request on ($n 401)"
for i in one two; do
	[ "$(remote_digest "$BASIC" "wandb/$i:$i")" = "$(src_digest $i)" ]
	ok $? "skopeo inspect with credentials: wandb/$i:$i on the Basic registry"
done
wb bundle create --spec "$T/spec.yaml" --source "registry:$BASIC" \
	--plain-http --user "$USER" --password "{file: $BASIC_PW}" \
	--charts "$T/charts" --out "$T/basic.tar.zst" >/dev/null 2>&1 &&
	[ "$(bundle_digests "$T/basic.tar.zst")" = "$want" ]
ok $? "create from a Basic-auth registry"

: >"$T/wbinstall.log"
WB_TEST_PW=not-the-password
before=$(puts "$BASIC_LOG")
out=$(wb bundle push "$B" --registry "$BASIC" --plain-http --user "$USER" \
	--password '{env: WB_TEST_PW}' 2>&1)
rc=$?
[ $rc = 1 ] && grep -q "user 'wbtest' was refused" <<<"$out" &&
	! grep -q 'not-the-password' <<<"$out" &&
	! grep -q 'not-the-password' "$T/wbinstall.log" && no_secret "$out" &&
	[ "$(puts "$BASIC_LOG")" = "$before" ]
ok $? "a wrong password for a Basic registry: exit $rc, clear, no secret"
diag "$out"
out=$(wb bundle push "$B" --registry "$BASIC" --plain-http 2>&1)
rc=$?
[ $rc = 1 ] && grep -q 'authentication required' <<<"$out"
ok $? "no credentials for a Basic registry: exit $rc"
diag "$out"
out=$(wb bundle push "$B" --registry "$BASIC" --plain-http --user "$USER" 2>&1)
[ $? = 2 ] && grep -q 'go together' <<<"$out"
ok $? "--user without --password is bad usage"

# The credentials are the registry's: an oci:// chart repository on another
# host gets none of them (here the token registry, whose token server
# would log the account that asked).
: >"$T/wbinstall.log"
as_user() { grep -c "account=$USER " "$TOK_TOKENS" || true; }
before=$(as_user)
out=$(wb bundle push "$B" --registry "$BASIC" --plain-http --user "$USER" \
	--password "{file: $BASIC_PW}" --chart-repo "oci://$TOK/elsewhere" 2>&1)
rc=$?
[ $rc = 1 ] &&
	grep -q "credentials given are for $BASIC, and are not sent to $TOK" \
		<<<"$out" &&
	[ "$(as_user)" = "$before" ] &&
	grep -q 'account=- scope=repository:elsewhere/operator' "$TOK_TOKENS" &&
	no_secret "$out"
ok $? "a chart repository on another host gets no credentials: exit $rc, clear"
diag "$out"

done_testing
[ "$tap_failed" = 0 ]
