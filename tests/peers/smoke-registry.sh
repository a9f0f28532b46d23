#!/bin/bash
# Smoke test (TAP) for tests/peers/registry.sh: push a tiny OCI image
# built with umoci using skopeo, then inspect/pull/delete it.
# shellcheck disable=SC2317 # functions run from traps and tap_check
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

command -v "${WB_REGISTRY_BIN:-docker-registry}" >/dev/null ||
	tap_skip_all "docker-registry not installed"
for c in curl skopeo umoci; do
	command -v "$c" >/dev/null || tap_skip_all "$c not installed"
done

smoke_setup registry
cleanup() {
	"$here/registry.sh" stop all || true
	rm -rf -- "$WB_PEER_DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

t=$SMOKE_TMP
py=$(peer_python)
echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$t/policy.json"
sk() { timeout 60 skopeo --policy "$t/policy.json" "$@"; }
json_field() { # FIELD < json
	"$py" -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

tap_plan 10

if smoke_start "$here/registry.sh"; then
	tap_ok "registry started on $WB_REGISTRY"
else
	tap_not_ok "registry start"
	tap_bail "cannot start the registry"
fi
pid=$WB_REGISTRY_PID

tap_is "GET /v2/ answers {}" "$(curl -fsS --max-time 10 "$WB_REGISTRY_URL/v2/" || true)" "{}"

# A one-layer image, built without any daemon.
rootless=()
[ "$(id -u)" = 0 ] || rootless=(--rootless)
build_image() {
	umoci init --layout "$t/img" &&
		umoci new --image "$t/img:v1" &&
		umoci unpack "${rootless[@]}" --image "$t/img:v1" "$t/bundle" &&
		echo "hello from wbinstall" >"$t/bundle/rootfs/hello.txt" &&
		umoci repack --image "$t/img:v1" "$t/bundle" &&
		umoci config --image "$t/img:v1" --config.cmd /hello.txt
}
tap_check "umoci builds a one-layer OCI image" build_image
want=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' \
	"$t/img/index.json" 2>/dev/null || true)

dest=docker://$WB_REGISTRY/x/y:v1
tap_check "skopeo copy oci:... -> $dest" \
	sk copy --dest-tls-verify=false "oci:$t/img:v1" "$dest"

inspect=$(sk inspect --tls-verify=false "$dest" || true)
tap_is "skopeo inspect shows the pushed manifest digest" \
	"$(json_field Digest <<<"$inspect" 2>/dev/null || true)" "$want"

tap_is "catalog lists x/y" "$(curl -fsS --max-time 10 "$WB_REGISTRY_URL/v2/_catalog" || true)" \
	'{"repositories":["x/y"]}'

tap_check "skopeo pulls the image back" \
	sk copy --src-tls-verify=false "$dest" "oci:$t/pulled:v1"

code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -X DELETE \
	"$WB_REGISTRY_URL/v2/x/y/manifests/$want" || true)
tap_is "DELETE of the manifest is accepted (delete enabled)" "$code" 202
if sk inspect --tls-verify=false "$dest" >/dev/null 2>&1; then
	tap_not_ok "deleted image is gone"
else
	tap_ok "deleted image is gone"
fi

"$here/registry.sh" stop
if peer_pid_alive "$pid" || [ -e "$WB_PEER_DIR/registry" ]; then
	tap_not_ok "stop ends the registry and removes its state"
else
	tap_ok "stop ends the registry and removes its state"
fi

tap_done
