#!/bin/bash
# The bundle format without a registry: create (oci: source), inspect,
# keygen and signatures, verify, unpack, and every rejection.
set -u
. "$WB_SRCDIR/tests/bundle/common.sh"
trap 'rm -rf "$T"' EXIT
make_source

B=$T/b.tar.zst
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
	--charts "$T/charts" --out "$B" >/dev/null
ok $? "create from an OCI layout"
list=$(tar -I zstd -tf "$B")
[ "$(head -1 <<<"$list")" = manifest.yaml ]
ok $? "manifest.yaml is the first entry"
shared=$(python3 - "$T/src" <<'PY'
import json, sys
d = sys.argv[1]
idx = json.load(open(d + "/index.json"))
sets = []
for m in idx["manifests"]:
    man = json.load(open(d + "/blobs/sha256/" + m["digest"][7:]))
    sets.append({l["digest"] for l in man["layers"]})
print(sorted(set.intersection(*sets))[0][7:])
PY
)
[ "$(grep -c "oci/blobs/sha256/$shared" <<<"$list")" = 1 ] &&
	[ "$(grep -c '^oci/blobs/sha256/' <<<"$list")" = 6 ]
ok $? "the layer shared by two images is stored once"

out=$(wb bundle inspect "$B")
grep -q 'wandb-server' <<<"$out" && grep -q 'wandb/two:two' <<<"$out" &&
	grep -q "$(src_digest two)" <<<"$out"
ok $? "inspect shows name, images and digests"
wb bundle inspect --json "$B" | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["version"] == "0.0.1-test" and len(j["images"]) == 2
assert j["charts"][0]["name"] == "operator" and j["signed"] is False
assert j["requirements"]["kubernetes"] == "1.29"'
ok $? "inspect --json"

out=$(wb bundle verify "$B" 2>&1)
ok $? "verify a good bundle"

wb bundle keygen --out "$T/key" >/dev/null &&
	[ "$(stat -c %a "$T/key")" = 600 ] && [ -s "$T/key.pub" ]
ok $? "keygen writes a 0600 private key and a public key"
wb bundle keygen --out "$T/other" >/dev/null
wb bundle keygen --out "$T/key" >/dev/null 2>&1
[ $? = 1 ]
ok $? "keygen does not overwrite a key"
S=$T/signed.tar.zst
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
	--charts "$T/charts" --out "$S" --sign-key "$T/key" >/dev/null &&
	[ "$(tar -I zstd -tf "$S" | sed -n 2p)" = manifest.yaml.sig ]
ok $? "create --sign-key puts the signature second"
wb bundle verify "$S" --pubkey "$T/key.pub" --require-signature >/dev/null
ok $? "verify --pubkey --require-signature on a signed bundle"
wb bundle verify "$B" --require-signature >/dev/null 2>&1
[ $? = 2 ]
ok $? "--require-signature without --pubkey is a usage error"
for sub in verify inspect "unpack --dir $T/nd" "push --registry 127.0.0.1:9"; do
	# shellcheck disable=SC2086 # the subcommand and its options
	err=$(wb bundle $sub "$T/no-such.tar.zst" 2>&1 >/dev/null)
	rc=$?
	[ $rc = 2 ] && grep -q "no-such.tar.zst: No such file" <<<"$err"
	ok $? "bundle ${sub%% *} of a missing file: bad usage (exit $rc), names it"
done
err=$(wb bundle verify "$B" --pubkey "$T/no-such.pem" 2>&1 >/dev/null)
[ $? = 2 ] && grep -q -- "--pubkey .*no-such.pem: No such file" <<<"$err"
ok $? "a missing --pubkey is bad usage, named, before the bundle is read"

# reject NAME FILE PATTERN [verify options]: verify and unpack both fail,
# name the problem, and write nothing (outside or inside the target).
mkdir -p "$T/outside"
reject() {
	local name=$1 file=$2 pat=$3 err rc1 rc2
	shift 3
	err=$(wb bundle verify "$file" "$@" 2>&1 >/dev/null)
	rc1=$?
	wb bundle unpack "$file" --dir "$T/rej-$name" "$@" >/dev/null 2>&1
	rc2=$?
	if [ $rc1 = 1 ] && [ $rc2 = 1 ] && grep -q -- "$pat" <<<"$err" &&
		[ ! -e "$T/rej-$name/manifest.yaml" ] &&
		[ ! -e "$T/rej-$name/.partial" ] &&
		[ -z "$(ls -A "$T/outside")" ] && [ ! -e "$T/escaped" ]; then
		ok 0 "rejected: $name"
	else
		ok 1 "rejected: $name"
		diag "verify rc=$rc1 unpack rc=$rc2: $err"
	fi
}

wb bundle verify "$B" --pubkey "$T/key.pub" --require-signature >/dev/null 2>&1
[ $? = 1 ]
ok $? "an unsigned bundle fails --require-signature"
reject missing-signature "$B" "not signed" --pubkey "$T/key.pub" \
	--require-signature
reject bad-signature "$S" "signature" --pubkey "$T/other.pub"

layer=oci/blobs/sha256/$shared
man=oci/blobs/sha256/$(src_digest two | cut -c8-)
config=oci/blobs/sha256/$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["config"]["digest"][7:])' \
	"$T/src/blobs/sha256/$(src_digest two | cut -c8-)")
for f in oci/oci-layout oci/index.json "$layer" "$config" "$man" \
	charts/operator-1.4.8.tgz; do
	python3 "$TAMPER" "$B" "$T/flip.tar.zst" flip "$f"
	reject "flipped byte in $f" "$T/flip.tar.zst" "$f"
done
python3 "$TAMPER" "$S" "$T/flip.tar.zst" flip manifest.yaml
reject "flipped byte in manifest.yaml" "$T/flip.tar.zst" "signature" \
	--pubkey "$T/key.pub"
python3 "$TAMPER" "$S" "$T/flip.tar.zst" flip manifest.yaml.sig
reject "flipped byte in manifest.yaml.sig" "$T/flip.tar.zst" "signature" \
	--pubkey "$T/key.pub"

python3 "$TAMPER" "$B" "$T/t.tar.zst" drop "$layer"
reject "missing file" "$T/t.tar.zst" "missing: $layer"
python3 "$TAMPER" "$B" "$T/t.tar.zst" extra charts/extra.tgz
reject "extra file" "$T/t.tar.zst" "extra file 'charts/extra.tgz'"
python3 "$TAMPER" "$B" "$T/t.tar.zst" dotdot escaped
reject "../ entry" "$T/t.tar.zst" "unsafe path"
python3 "$TAMPER" "$B" "$T/t.tar.zst" abs "$T/outside/abs.txt"
reject "absolute path" "$T/t.tar.zst" "unsafe path"
python3 "$TAMPER" "$B" "$T/t.tar.zst" symlink "$T/outside"
reject "symlink that escapes" "$T/t.tar.zst" "symbolic link"
head -c $(($(stat -c %s "$B") * 2 / 3)) "$B" >"$T/t.tar.zst"
reject "truncated archive" "$T/t.tar.zst" "truncated"
python3 "$TAMPER" "$B" "$T/t.tar.zst" big-manifest
reject "oversized manifest" "$T/t.tar.zst" "more than"

U=$T/unpacked
wb bundle unpack "$B" --dir "$U" >/dev/null && [ -f "$U/manifest.yaml" ] &&
	[ -f "$U/.verified" ] && [ ! -e "$U/.partial" ] &&
	cmp -s "$U/$layer" "$T/src/blobs/sha256/$shared"
ok $? "unpack writes the checked files and no .partial"
if command -v skopeo >/dev/null; then
	got=$(skopeo inspect --format '{{.Digest}}' "oci:$U/oci:wandb/two:two")
	[ "$got" = "$(src_digest two)" ]
	ok $? "skopeo reads the unpacked OCI layout ($got)"
fi
mkdir -p "$U/.partial/oci" && echo junk >"$U/.partial/oci/junk"
wb bundle unpack "$B" --dir "$U" >/dev/null && [ ! -e "$U/.partial" ] &&
	[ -f "$U/$man" ] && [ ! -e "$U/.old" ]
ok $? "unpack again (over a stale .partial) is safe"
python3 "$TAMPER" "$B" "$T/flip.tar.zst" flip "$layer"
wb bundle unpack "$T/flip.tar.zst" --dir "$U" >/dev/null 2>&1
[ $? = 1 ] && cmp -s "$U/$layer" "$T/src/blobs/sha256/$shared" &&
	[ -f "$U/.verified" ]
ok $? "a bad bundle does not replace a good unpacked one"

# A full disk: a small tmpfs in a private mount namespace.
if unshare -m true 2>/dev/null; then
	mkdir -p "$T/small"
	err=$(unshare -m sh -c 'mount -t tmpfs -o size=128k tmpfs "$1" &&
		"$2" --log "$3" bundle unpack "$4" --dir "$1/u"' sh \
		"$T/small" "$WBINSTALL" "$T/wbinstall.log" "$B" 2>&1)
	rc=$?
	[ $rc = 1 ] && grep -q "not enough space" <<<"$err" &&
		! grep -q "unpacked into" <<<"$err" && [ -z "$(ls -A "$T/small")" ]
	ok $? "a full disk gives a clear error and reports nothing unpacked"
	diag "$err"
else
	echo "ok $((tap_n + 1)) # SKIP no mount namespace for the full-disk case"
	tap_n=$((tap_n + 1))
fi

printf 'name: x\nversion: 1\nimages: {}\n' >"$T/bad.yaml"
err=$(wb bundle create --spec "$T/bad.yaml" --source "oci:$T/src" \
	--out "$T/x.tar.zst" 2>&1)
[ $? = 2 ] && grep -q 'bad.yaml:3: images: expected a list' <<<"$err"
ok $? "a bad spec is invalid input naming file and line"
[ ! -e "$T/x.tar.zst" ]
ok $? "nothing is written for a bad spec"

# A chart whose Chart.yaml is not what its file name says.
mkdir -p "$T/badcharts/operator"
printf 'apiVersion: v2\nname: operator\nversion: 1.4.9\n' \
	>"$T/badcharts/operator/Chart.yaml"
tar -czf "$T/badcharts/operator-1.4.8.tgz" -C "$T/badcharts" operator
err=$(wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
	--charts "$T/badcharts" --out "$T/x.tar.zst" 2>&1)
[ $? = 1 ] && grep -q 'operator-1.4.8.tgz: Chart.yaml is operator 1.4.9, not operator 1.4.8' <<<"$err" &&
	[ ! -e "$T/x.tar.zst" ]
ok $? "a chart whose Chart.yaml disagrees is refused, naming it; nothing written"
diag "$err"

done_testing
[ "$tap_failed" = 0 ]
