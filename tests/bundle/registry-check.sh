#!/usr/bin/env bash
# The registry preflight family (air gap), against the registry peer: every
# image of airgap.bundle must be in airgap.registry where bundle push puts
# it, with the digest the bundle recorded, asked with manifest HEAD
# requests only.  Not pushed: fail, naming each image; after bundle push:
# pass; an image overwritten with another digest: fail, naming both
# digests; the same results in --json; a connected site runs nothing.
set -u
. "$WB_SRCDIR/tests/bundle/common.sh"
PEERS=$WB_SRCDIR/tests/peers
for c in docker-registry skopeo; do
	command -v "$c" >/dev/null ||
		{ rm -rf "$T"; echo "1..0 # SKIP $c is not installed"; exit 0; }
done
export WB_PEER_DIR=$T/peers
cleanup() {
	"$PEERS/registry.sh" stop all >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
env=$("$PEERS/registry.sh" start) || { echo "Bail out! cannot start the registry peer"; exit 1; }
eval "$env"
REG=$WB_REGISTRY

make_source
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" --charts "$T/charts" \
	--out "$T/wandb.tar.zst" >/dev/null 2>&1
ok $? "a bundle of two images"
printf '%s' "$(test_license)" >"$T/license"
printf 'x' >"$T/secret"
cat >"$T/answers.yaml" <<EOF
version: 1
deployment: {platform: kubernetes, products: models}
domain: {fqdn: wandb.corp.internal}
license: {value: {file: license}}
targets: [{host: k8s.corp.internal, roles: [app]}]
kubernetes: {namespace: wandb, ingress_class: nginx, tls_secret: wandb-tls}
mysql: {host: 10.0.0.5, port: 3306, database: wandb, user: wandb, password: {file: secret}}
storage: {provider: s3, bucket: wandb-files, region: eu-west-1, access_key: {file: secret}, secret_key: {file: secret}}
airgap: {enabled: true, bundle: wandb.tar.zst, registry: "$REG", plain_http: true}
EOF
pf() {	# pf NAME [ARGS]: $T/NAME.out, $T/NAME.rc
	local name=$1
	shift
	wb preflight --answers "$T/answers.yaml" --checks registry "$@" \
		>"$T/$name.out" 2>&1
	echo $? >"$T/$name.rc"
}

# Nothing pushed yet.
pf none
[ "$(cat "$T/none.rc")" = 1 ] &&
	grep -q "$REG/wandb/one:one is not in the registry" "$T/none.out" &&
	grep -q "$REG/wandb/two:two is not in the registry" "$T/none.out" &&
	grep -q "wbinstall bundle push wandb.tar.zst --registry $REG" "$T/none.out"
ok $? "not pushed: exit 1, each image named, and the push that fixes it"
[ "$(cat "$T/none.rc")" = 1 ] || diag "$(cat "$T/none.out")"
grep -q 'HEAD /v2/wandb/one/manifests/one' "$WB_REGISTRY_DIR/registry.log" &&
	! grep -q 'GET /v2/wandb/[a-z]*/manifests' "$WB_REGISTRY_DIR/registry.log"
ok $? "it asked with HEAD requests only (no manifest GET)"

wb bundle push "$T/wandb.tar.zst" --registry "$REG" --plain-http --quiet
ok $? "bundle push"
pf pushed
[ "$(cat "$T/pushed.rc")" = 0 ] &&
	grep -q "✔ .*registry.image .*2 images present" "$T/pushed.out"
ok $? "after the push: pass ($(cat "$T/pushed.rc"))"
[ "$(cat "$T/pushed.rc")" = 0 ] || diag "$(cat "$T/pushed.out")"

pf json --json
python3 - "$T/json.out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = [x for x in d["checks"] if x["id"] == "registry.image"]
assert c and all(x["target"] == "registry" and x["status"] == "pass" for x in c), c
assert set(c[0]) >= {"target", "id", "status", "observed", "required", "message", "hint"}, c[0]
assert d["summary"]["fail"] == 0, d["summary"]
PY
ok $? "--json: the family in the preflight schema"

# wandb/one:one overwritten by image two.
echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$T/policy.json"
timeout 60 skopeo --policy "$T/policy.json" copy --dest-tls-verify=false \
	"oci:$T/src:two" "docker://$REG/wandb/one:one" >/dev/null 2>&1
ok $? "skopeo overwrites wandb/one:one with another image"
want=$(src_digest one)
pf other
[ "$(cat "$T/other.rc")" = 1 ] &&
	grep -q "$REG/wandb/one:one has another digest than the bundle's: sha256:[0-9a-f]* there, $want in the bundle" "$T/other.out" &&
	! grep -q "wandb/two:two has another digest" "$T/other.out"
ok $? "an image with another digest: exit 1, naming both digests"
[ "$(cat "$T/other.rc")" = 1 ] || diag "$(cat "$T/other.out")"

# A connected site: nothing to check.
sed -i 's/enabled: true/enabled: false/' "$T/answers.yaml"
pf connected --json
[ "$(cat "$T/connected.rc")" = 0 ] && ! grep -q registry.image "$T/connected.out"
ok $? "connected: the family checks nothing"
done_testing
