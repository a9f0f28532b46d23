#!/bin/bash
# Bundles against a real registry (tests/peers/registry.sh): create from a
# registry, push, a second push, the chart as a Helm OCI artifact, the
# verified stamp (a re-push hashes only what it must; an altered blob is
# still refused), a push killed with -9 that resumes, and a tampered bundle
# that pushes nothing.
set -u
. "$WB_SRCDIR/tests/bundle/common.sh"
PEERS=$WB_SRCDIR/tests/peers
for c in docker-registry skopeo curl; do
	command -v "$c" >/dev/null ||
		{ rm -rf "$T"; echo "1..0 # SKIP $c is not installed"; exit 0; }
done
export WB_PEER_DIR=$T/peers
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	"$PEERS/registry.sh" stop all >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
start_registry() {	# start_registry INSTANCE VAR
	local env
	env=$(WB_PEER_INSTANCE=$1 "$PEERS/registry.sh" start) || return 1
	eval "$env"
	printf -v "$2" '%s' "$WB_REGISTRY"
	printf -v "$2_LOG" '%s' "$WB_REGISTRY_DIR/registry.log"
}
start_registry src SRC && start_registry dst DST ||
	{ echo "Bail out! cannot start the registry peer"; exit 1; }

echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$T/policy.json"
sk() { timeout 60 skopeo --policy "$T/policy.json" "$@"; }
remote_digest() {	# remote_digest REGISTRY REPO:TAG
	sk inspect --tls-verify=false --format '{{.Digest}}' "docker://$1/$2"
}
uploads() { grep -c 'POST /v2/[^ ]*/blobs/uploads' "$1" || true; }

make_source
for i in one two; do
	sk copy -q --dest-tls-verify=false "oci:$T/src:$i" \
		"docker://$SRC/wandb/$i:$i" || echo "skopeo copy $i failed"
done
[ "$(remote_digest "$SRC" wandb/two:two)" = "$(src_digest two)" ]
ok $? "source registry holds the umoci images"

B=$T/b.tar.zst
wb bundle create --spec "$T/spec.yaml" --source "registry:$SRC" \
	--plain-http --charts "$T/charts" --out "$B" >/dev/null &&
	wb bundle verify "$B" >/dev/null
ok $? "create from a registry (distribution API), then verify"
wb bundle inspect --json "$B" | python3 -c '
import json, sys
j = json.load(sys.stdin)
print(" ".join(i["digest"] for i in j["images"]))' >"$T/digests"
[ "$(cat "$T/digests")" = "$(src_digest one) $(src_digest two)" ]
ok $? "the bundle keeps the source digests"

python3 "$TAMPER" "$B" "$T/bad.tar.zst" flip oci/index.json
err=$(wb bundle push "$T/bad.tar.zst" --registry "$DST" --plain-http 2>&1)
rc=$?
cat=$(curl -fsS "http://$DST/v2/_catalog")
[ $rc = 1 ] && grep -q "altered" <<<"$err" &&
	[ "$cat" = '{"repositories":[]}' ] && [ "$(uploads "$DST_LOG")" = 0 ]
ok $? "a tampered bundle is refused and nothing is pushed"
diag "$err"

out=$(wb bundle push "$B" --registry "$DST" --plain-http)
ok $? "push a bundle file"
diag "$out"
grep -q 'pushed 2 images' <<<"$out" && grep -q '1 mounted' <<<"$out"
ok $? "the shared layer is mounted across repositories"
for i in one two; do
	got=$(remote_digest "$DST" "wandb/$i:$i")
	[ "$got" = "$(src_digest $i)" ]
	ok $? "skopeo inspect on the registry: wandb/$i:$i is $got"
done
before=$(uploads "$DST_LOG")
out=$(wb bundle push "$T/b.unpacked" --registry "$DST" --plain-http)
[ $? = 0 ] && grep -q '0 blobs uploaded' <<<"$out" &&
	[ "$(uploads "$DST_LOG")" = "$before" ]
ok $? "a second push uploads no blob"
diag "$out"

# Images from other registries: the one rule (oci_mirror_path), the path
# a chart's global.repositoryPrefix gives them: the host stays, Docker
# Hub's goes.  (Three images: two refs of one manifest in a bundle fail
# its read, a matter of its own.)
mkimage three 10 one
cat >"$T/hosts.yaml" <<'YAML'
name: wandb-server
version: 0.0.3-test
images:
  - us-docker.pkg.dev/wandb-production/public/wandb/lumen:one
  - quay.io/prometheus/prometheus:two
  - docker.io/bitnamilegacy/redis:three
YAML
err=$(wb bundle create --spec "$T/hosts.yaml" --source "oci:$T/src" \
	--out "$T/hosts.tar.zst" 2>&1 >/dev/null &&
	wb bundle push "$T/hosts.tar.zst" --registry "$DST" --plain-http 2>&1 >/dev/null)
ok $? "create and push images named with their registries"
[ -n "$err" ] && diag "$err"
for i in us-docker.pkg.dev/wandb-production/public/wandb/lumen:one \
	quay.io/prometheus/prometheus:two bitnamilegacy/redis:three; do
	[ "$(remote_digest "$DST" "$i")" = "$(src_digest "${i##*:}")" ]
	ok $? "pushed to REGISTRY/$i"
done

# The chart, as a Helm OCI artifact under charts/, tagged with its version.
sk inspect --raw --tls-verify=false "docker://$DST/charts/operator:1.4.8" \
	>"$T/chart.json"
python3 - "$T/chart.json" "$T/b.unpacked/charts/operator-1.4.8.tgz" <<'PY'
import hashlib, json, sys
m = json.load(open(sys.argv[1]))
tgz = open(sys.argv[2], "rb").read()
assert m["config"]["mediaType"] == "application/vnd.cncf.helm.config.v1+json", m
(layer,) = m["layers"]
assert layer["mediaType"] == "application/vnd.cncf.helm.chart.content.v1.tar+gzip", m
assert layer["digest"] == "sha256:" + hashlib.sha256(tgz).hexdigest(), m
assert layer["size"] == len(tgz), m
print(m["config"]["digest"])
PY
ok $? "skopeo inspect --raw charts/operator:1.4.8: the Helm media types; the chart blob is the bundle's .tgz"
cfg=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["digest"])' "$T/chart.json")
curl -fsS "http://$DST/v2/charts/operator/blobs/$cfg" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert (c["apiVersion"], c["name"], c["version"]) == ("v2", "operator", "1.4.8"), c'
ok $? "the chart's config is its Chart.yaml as JSON"
wb bundle push "$T/b.unpacked" --registry "$DST" --plain-http \
	--chart-repo "oci://$DST/site/helm" >/dev/null &&
	[ "$(remote_digest "$DST" site/helm/operator:1.4.8)" = \
	"$(remote_digest "$DST" charts/operator:1.4.8)" ]
ok $? "--chart-repo oci://HOST/PATH: the chart goes to PATH/operator:1.4.8"

# The stamp: a re-push hashes only index.json and the two image
# manifests; a blob altered since (size and mtime kept) is hashed again
# and refused.
nfiles=$(grep -c '^- path: ' "$T/b.unpacked/manifest.yaml")
wb --log "$T/stamp.log" bundle push "$T/b.unpacked" --registry "$DST" \
	--plain-http >/dev/null &&
	grep -q "b.unpacked: 3 files hashed, $((nfiles - 3)) unchanged since they verified" \
	"$T/stamp.log"
ok $? "a re-push of the unchanged directory hashes 3 of its $nfiles files"
diag "$(grep 'files hashed' "$T/stamp.log")"
flip() {	# flip FILE: one byte in the middle, size and times kept
	python3 - "$1" <<'PY'
import os, sys
p = sys.argv[1]
st = os.stat(p)
with open(p, "r+b") as f:
    f.seek(st.st_size // 2)
    b = f.read(1)
    f.seek(st.st_size // 2)
    f.write(bytes([b[0] ^ 0xff]))
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
}
blob=$(ls -S "$T"/b.unpacked/oci/blobs/sha256/* | head -n 1)
flip "$blob"
before=$(uploads "$DST_LOG")
err=$(wb bundle push "$T/b.unpacked" --registry "$DST" --plain-http 2>&1)
rc=$?
[ $rc = 1 ] && grep -q "${blob##*/}' was altered" <<<"$err" &&
	[ "$(uploads "$DST_LOG")" = "$before" ]
ok $? "a blob altered after the first push: the second push fails verification and pushes nothing"
diag "$err"
flip "$blob"
: >"$T/stamp.log"
wb --log "$T/stamp.log" bundle push "$T/b.unpacked" --registry "$DST" \
	--plain-http >/dev/null &&
	grep -q "b.unpacked: 4 files hashed" "$T/stamp.log"
ok $? "put back, that blob is hashed again, verifies and the push goes on"

# A push killed with -9 in the middle of a large blob resumes it.
mkimage big 6144
cat >"$T/big.yaml" <<'YAML'
name: wandb-server
version: 0.0.2-test
images:
  - wandb/big:big
YAML
wb bundle create --spec "$T/big.yaml" --source "oci:$T/src" \
	--out "$T/big.tar.zst" >/dev/null &&
	wb bundle unpack "$T/big.tar.zst" --dir "$T/big" >/dev/null
ok $? "a bundle with a 6 MiB layer"
layer_size=$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(max(l["size"] for l in m["layers"]))' \
	"$T/src/blobs/sha256/$(src_digest big | cut -c8-)")
offset() {	# the largest offset in the state file (fast: polled)
	local o
	o=$(grep -o '"offset":[0-9]*' "$T/big.push-state" 2>/dev/null |
		cut -d: -f2 | sort -n | tail -1)
	echo "${o:-0}"
}
resumed=no
for attempt in 1 2 3; do
	# A fresh registry each time: a kill that lands inside a PATCH makes
	# distribution drop the session, and the retry needs the blob absent.
	start_registry "res$attempt" RES || break
	rm -f "$T/big.push-state" "$T/resume.log"
	# 256 KiB chunks at 512 KiB/s: a chunk, then half a second of pause.
	# The kill comes right after the state file moves, so in the pause.
	"$WBINSTALL" --log "$T/kill.log" bundle push "$T/big" --quiet \
		--registry "$RES" --plain-http --chunk-size 256k \
		--limit-rate 512k --jobs 1 &
	pid=$!
	at=0
	for _ in $(seq 1000); do
		at=$(offset)
		[ "$at" -ge 524288 ] && break
		sleep 0.01
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
	out=$(wb --log "$T/resume.log" bundle push "$T/big" --registry "$RES" \
		--plain-http)
	rc=$?
	sent=$(sed -n 's/.*resumed=1 bytes=\([0-9]*\).*/\1/p' "$T/resume.log")
	from=$(sed -n 's/.*resuming at \([0-9]*\) of.*/\1/p' "$T/resume.log")
	diag "attempt $attempt: killed at offset $at; resumed from ${from:-none}" \
		"$out"
	if [ $rc = 0 ] && [ -n "$from" ] && [ "$from" -ge "$at" ] &&
		[ "$at" -gt 0 ] && [ -n "$sent" ] &&
		[ "$sent" -lt "$layer_size" ]; then
		resumed=yes
		break
	fi
done
[ "$resumed" = yes ]
ok $? "a push killed with -9 mid-blob resumes and does not restart the blob"
[ "$(remote_digest "$RES" wandb/big:big)" = "$(src_digest big)" ]
ok $? "the resumed image has the source digest"

done_testing
[ "$tap_failed" = 0 ]
