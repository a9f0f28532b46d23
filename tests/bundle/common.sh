# shellcheck shell=bash
# Shared by the bundle tests: a scratch directory, two small images built
# with umoci that share a layer, a chart, and a release spec naming them.
: "${WB_SRCDIR:?}" "${WBINSTALL:?}"
# shellcheck source=../lib.sh
. "$WB_SRCDIR/tests/lib.sh"
TAMPER="$WB_SRCDIR/tests/bundle/tamper.py"

for c in umoci zstd python3; do
	command -v "$c" >/dev/null || { echo "1..0 # SKIP $c is not installed"; exit 0; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/wb-bundle.XXXXXX")
export XDG_STATE_HOME="$T/state"
wb() { "$WBINSTALL" --log "$T/wbinstall.log" "$@"; }

# A random layer of $2 KiB in image $1 (umoci layout $T/src), on top of
# the image $3 when given.
mkimage() {
	local tag=$1 kib=$2 base=${3:-} b=$T/work-$1
	if [ -n "$base" ]; then
		umoci unpack --image "$T/src:$base" "$b" >/dev/null
	else
		umoci new --image "$T/src:$tag" >/dev/null
		umoci unpack --image "$T/src:$tag" "$b" >/dev/null
	fi
	head -c $((kib * 1024)) /dev/urandom >"$b/rootfs/$tag.bin"
	umoci repack --image "$T/src:$tag" "$b" >/dev/null
	rm -rf "$b"
}

make_source() {
	umoci init --layout "$T/src" >/dev/null
	mkimage one 300		# the shared layer
	mkimage two 20 one	# the shared layer and one of its own
	mkdir -p "$T/charts" "$T/chart-src/operator"
	printf 'apiVersion: v2\nname: operator\nversion: 1.4.8\n' \
		>"$T/chart-src/operator/Chart.yaml"
	tar -czf "$T/charts/operator-1.4.8.tgz" -C "$T/chart-src" operator
	cat >"$T/spec.yaml" <<'YAML'
name: wandb-server
version: 0.0.1-test
requirements:
  kubernetes: "1.29"
  mysql: "8.0.0"
  helm: "3.0.0"
images:
  - wandb/one:one
  - wandb/two:two
charts:
  - name: operator
    version: 1.4.8
YAML
}

# The digest of image $1 in the source layout.
src_digest() {
	python3 - "$T/src/index.json" "$1" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1]))["manifests"]:
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == sys.argv[2]:
        print(m["digest"])
PY
}
