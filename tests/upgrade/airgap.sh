#!/bin/bash
# wbinstall upgrade in an air gap: the plan shows, per image of the new
# bundle, the blobs the internal registry lacks (asked with HEAD; a real
# registry from tests/peers/registry.sh holds the installed bundle's
# images) and their bytes; the dry run pushes nothing, and a push of the
# new bundle then uploads exactly those blobs.  helm and kubectl are the
# stand-ins, on this machine.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
# shellcheck source=tests/upgrade/lib.sh
. "$WB_SRCDIR/tests/upgrade/lib.sh"
install_need python3 umoci docker-registry
export WBINSTALL_DATADIR=$WB_SRCDIR
peer_up registry
trap '"$PEERS/registry.sh" stop all >/dev/null 2>&1; install_cleanup' EXIT
REG=$WB_REGISTRY
REG_LOG=$WB_REGISTRY_DIR/registry.log
setup_upgrade_standins
uploads() { grep -c 'POST /v2/[^ ]*/blobs/uploads' "$REG_LOG" || true; }

# --- the installed release and the new one.  Old: local = [base, a],
# console = [base, c].  New: local = [base, a, b], console = [base, c2],
# and weave = [base, w], a new repository whose base the registry holds
# in another one (a push mounts it).
umoci init --layout "$T/src" >/dev/null
mkimage() {	# TAG KIB [BASE]
	local w=$T/work-$1
	if [ -n "${3:-}" ]; then
		umoci unpack --image "$T/src:$3" "$w" >/dev/null 2>&1
	else
		umoci new --image "$T/src:$1" >/dev/null
		umoci unpack --image "$T/src:$1" "$w" >/dev/null 2>&1
	fi
	head -c $(($2 * 1024)) /dev/urandom >"$w/rootfs/$1.bin"
	umoci repack --image "$T/src:$1" "$w" >/dev/null
	rm -rf "$w"
}
mkimage base 300
mkimage local-old 20 base
mkimage console-old 10 base
mkimage local-new 40 local-old
mkimage console-new 12 base
mkimage weave-new 8 base
# bundle create finds an image by its reference: name the layout's
# images as the bundles list them.
python3 - "$T/src/index.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for m in d["manifests"]:
    a = m["annotations"]
    name, _, age = a["org.opencontainers.image.ref.name"].partition("-")
    if age:
        a["org.opencontainers.image.ref.name"] = "wandb/%s:%s" % (
            name, "0.43.8" if age == "old" else "0.44.0")
json.dump(d, open(p, "w"))
PY
mkbundle() {	# VERSION REF...
	local v=$1
	shift
	{
		printf 'name: wandb-server\nversion: %s\nimages:\n' "$v"
		printf '  - %s\n' "$@"
	} >"$T/spec-$v.yaml"
	"$WBINSTALL" --log "$T/bundle.log" bundle create --spec "$T/spec-$v.yaml" \
	    --source "oci:$T/src" --out "$T/site/wandb-$v.tar.zst" >/dev/null 2>&1
}
mkdir -p "$T/site"
mkbundle 0.43.8 wandb/local:0.43.8 wandb/console:0.43.8 &&
    mkbundle 0.44.0 wandb/local:0.44.0 wandb/console:0.44.0 wandb/weave:0.44.0 ||
    { echo "1..0 # SKIP bundle create failed"; exit 0; }
"$WBINSTALL" --log "$T/bundle.log" bundle push "$T/site/wandb-0.43.8.tar.zst" \
    --registry "$REG" --plain-http --quiet
ok $? "the registry holds the installed release's images"

# What the plan must say: per new image, the blobs that no old image has
# (each counted once, on the first image that has it), and their bytes.
python3 - "$T/src" >"$T/expected" <<'PY'
import json, os, sys
src = sys.argv[1]
idx = json.load(open(os.path.join(src, "index.json")))
by = {m["annotations"]["org.opencontainers.image.ref.name"]: m["digest"]
      for m in idx["manifests"]}
def blobs(ref):
    d = by[ref].split(":")[1]
    m = json.load(open(os.path.join(src, "blobs", "sha256", d)))
    return [(b["digest"], b["size"]) for b in [m["config"]] + m["layers"]]
have = {d for r in ("wandb/local:0.43.8", "wandb/console:0.43.8") for d, _ in blobs(r)}
total_n = total_b = 0
for r in ("wandb/local:0.44.0", "wandb/console:0.44.0", "wandb/weave:0.44.0"):
    bl = blobs(r)
    new = [(d, s) for d, s in bl if d not in have]
    have |= {d for d, _ in new}
    n, b = len(new), sum(s for _, s in new)
    total_n += n
    total_b += b
    print(r"^  %s sha256:[0-9a-f]{64} \([0-9]+ bytes\): %d of %d blobs new, "
          "%d bytes to push$" % (r, n, len(bl), b))
print("^  In all: %d new blobs, %d bytes to push\\.$" % (total_n, total_b))
PY

export WB_LICENSE=$(test_license) WB_S3_ACCESS_KEY=AKIDEXAMPLE \
    WB_S3_SECRET_KEY=not-used
A=$T/site/answers.yaml
airgap_answers "$A" "$REG" wandb-0.43.8.tar.zst "" 0.43.8

before=$(uploads)
PATH=$T/ustandins:$T/standins:$PATH "$WBINSTALL" --log "$T/wbinstall.log" \
    upgrade --answers "$A" --bundle "$T/site/wandb-0.44.0.tar.zst" --dry-run \
    --force >"$T/dry.out" 2>&1
ok $? "upgrade --dry-run 0.43.8 → 0.44.0: exit 0"
grep -q "^Images of wandb-server 0.44.0 to push to $REG (only the blobs it lacks):" "$T/dry.out"
ok $? "the plan's images are against the internal registry"
missing=
while read -r line; do
	grep -qE "$line" "$T/dry.out" || missing="$missing
$line"
done <"$T/expected"
[ -z "$missing" ]
ok $? "per image, only the blobs the registry lacks, and their bytes"
[ -z "$missing" ] || diag "expected:$missing"
diag "$(sed -n '/^Images of/,/^$/p' "$T/dry.out")"
[ "$(uploads)" = "$before" ] && [ ! -e "$T/site/.wbinstall-state" ] &&
    [ ! -e "$T/site/wandb-0.44.0.unpacked" ]
ok $? "the dry run pushed nothing, unpacked nothing, kept no state"

# The push of the new bundle then uploads exactly what the plan counted.
out=$("$WBINSTALL" --log "$T/bundle.log" bundle push "$T/site/wandb-0.44.0.tar.zst" \
    --registry "$REG" --plain-http)
n=$(sed -n 's/^^  In all: \([0-9]*\) new blobs.*/\1/p' "$T/expected")
grep -q "pushed 3 images and 0 charts to $REG: $n blobs uploaded" <<<"$out"
ok $? "the push uploads the $n blobs the plan counted"
diag "$out"

# The registry cannot be asked: the plan says so and still lists the images.
sed -i "s/^  registry: .*/  registry: 127.0.0.1:9/" "$A"
PATH=$T/ustandins:$T/standins:$PATH "$WBINSTALL" --log "$T/wbinstall.log" \
    upgrade --answers "$A" --bundle "$T/site/wandb-0.44.0.tar.zst" --dry-run \
    --force >"$T/down.out" 2>&1
[ $? = 0 ] && grep -q "the registry could not be asked" "$T/down.out" &&
    grep -q "^  wandb/weave:0.44.0 sha256:" "$T/down.out"
ok $? "an unreachable registry: said, and the images still listed"
done_testing
