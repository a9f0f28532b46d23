#!/usr/bin/env bash
# wbinstall render against the golden output of each answer set in
# tests/render/cases/NAME/ (answers.yaml, env: VAR=value lines, expected/):
# the files and MANIFEST, their modes, byte-identical and idempotent
# re-renders, and --diff.  WB_RENDER_UPDATE=1 rewrites expected/ instead.
set -u
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work/state WBINSTALL_DATADIR=$WB_SRCDIR
cases=$WB_SRCDIR/tests/render/cases

# The files that hold secrets, and MANIFEST (hashes of them).
secret_re='^(k8s/secrets\.yaml|mysql/bootstrap\.sql|baremetal/wandb\.env|terraform/aws/terraform\.tfvars|MANIFEST)$'

with_env() {	# with_env CASE_DIR CMD...: run CMD with the case's env
	(
		if [ -f "$1/env" ]; then
			while IFS= read -r kv; do
				[ -n "$kv" ] && export "${kv?}"
			done <"$1/env"
		fi
		shift
		"$@"
	)
}

modes_ok() {	# modes_ok DIR: 0600 for secrets, 0644 for the others
	local f rel want got bad=0
	while IFS= read -r f; do
		rel=${f#"$1"/}
		want=644
		[[ $rel =~ $secret_re ]] && want=600
		got=$(stat -c %a "$f")
		if [ "$got" != "$want" ]; then
			diag "$rel: mode $got, want $want"
			bad=1
		fi
	done < <(find "$1" -type f)
	return $bad
}

for dir in "$cases"/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	out=$work/$name
	with_env "$dir" "$WBINSTALL" render --answers "$dir/answers.yaml" \
		--out "$out" >"$work/stdout" 2>"$work/stderr"
	rc=$?
	[ $rc -eq 0 ] || diag "$(cat "$work/stderr")"
	ok $rc "$name: render exits 0"
	if [ "${WB_RENDER_UPDATE:-0}" = 1 ]; then
		rm -rf "$dir/expected" && cp -r "$out" "$dir/expected"
		diag "$name: expected/ rewritten"
	fi
	diff -r "$dir/expected" "$out" >"$work/diff" 2>&1
	rc=$?
	[ $rc -eq 0 ] || diag "$(head -n 60 "$work/diff")"
	ok $rc "$name: the files are the golden ones"
	modes_ok "$out"
	ok $? "$name: secrets 0600, the rest 0644"
	(cd "$out" && sha256sum --quiet -c MANIFEST)
	ok $? "$name: MANIFEST holds each file's sha256"
	[ "$(sed 's/.*  //' "$out/MANIFEST" | sort)" = \
		"$(cd "$out" && find . -type f ! -name MANIFEST | sed 's|^\./||' | sort)" ]
	ok $? "$name: MANIFEST lists every file"

	# Re-rendering changes nothing, not even a timestamp.
	before=$(cd "$out" && find . -type f -printf '%p %T@ %i\n' | sort)
	with_env "$dir" "$WBINSTALL" render --answers "$dir/answers.yaml" \
		--out "$out" >"$work/stdout" 2>&1
	rc=$?
	after=$(cd "$out" && find . -type f -printf '%p %T@ %i\n' | sort)
	[ $rc -eq 0 ] && [ "$before" = "$after" ] &&
		grep -q ': 0 files written' "$work/stdout"
	ok $? "$name: rendering again writes nothing"
	with_env "$dir" "$WBINSTALL" render --answers "$dir/answers.yaml" \
		--out "$out" --diff >"$work/stdout" 2>"$work/stderr"
	[ $? -eq 0 ] && [ ! -s "$work/stdout" ] && grep -q 'no changes' "$work/stderr"
	ok $? "$name: --diff on a current directory shows nothing"
done

# --diff: a changed file, a changed secret file, a missing file.
dir=$cases/baremetal
out=$work/baremetal
echo "# local edit" >>"$out/nginx/wandb.conf"
echo "EXTRA=1" >>"$out/baremetal/wandb.env"
rm "$out/mysql/wandb.cnf"
snap=$(cd "$out" && find . -type f -exec sha256sum {} + | sort)
with_env "$dir" "$WBINSTALL" render --answers "$dir/answers.yaml" \
	--out "$out" --diff >"$work/diff" 2>"$work/stderr"
rc=$?
ok $rc "--diff exits 0"
grep -q '^-# local edit$' "$work/diff" && grep -q '^--- a/nginx/wandb.conf' "$work/diff"
ok $? "--diff shows the edit to nginx/wandb.conf as a unified diff"
grep -q '^+++ b/mysql/wandb.cnf' "$work/diff" && grep -q '^+\[mysqld\]' "$work/diff"
ok $? "--diff shows the missing mysql/wandb.cnf as new"
grep -q 'baremetal/wandb.env' "$work/diff" && ! grep -q 'test-license-baremetal\|EXTRA=1' "$work/diff"
ok $? "--diff names a changed secret file but never shows its contents"
[ "$snap" = "$(cd "$out" && find . -type f -exec sha256sum {} + | sort)" ]
ok $? "--diff changes nothing"
with_env "$dir" "$WBINSTALL" render --answers "$dir/answers.yaml" \
	--out "$out" >"$work/stdout" 2>&1 &&
	grep -q ': 3 files written' "$work/stdout" &&
	diff -r "$dir/expected" "$out" >/dev/null
ok $? "rendering again restores exactly the changed files"

# Errors.
with_env "$dir" env -u WB_MYSQL_PASSWORD -u WB_LICENSE "$WBINSTALL" render \
	--answers "$dir/answers.yaml" --out "$work/none" >/dev/null 2>"$work/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q 'license.value: environment variable WB_LICENSE' "$work/stderr" &&
	grep -q 'mysql.password: environment variable WB_MYSQL_PASSWORD' "$work/stderr" &&
	! grep -q 'minio/secret' "$work/stderr" && [ ! -e "$work/none" ]
ok $? "unresolved secrets: exit 1, each named, nothing written"
"$WBINSTALL" render --answers "$dir/answers.yaml" >/dev/null 2>&1
[ $? -eq 2 ]
ok $? "no --out: exit 2"
printf 'version: 1\ndomain: {fqdn: "not a host"}\n' >"$work/bad.yaml"
"$WBINSTALL" render --answers "$work/bad.yaml" --out "$work/none" >/dev/null 2>"$work/stderr"
[ $? -eq 2 ] && grep -q 'domain.fqdn' "$work/stderr" && [ ! -e "$work/none" ]
ok $? "invalid answers: exit 2, naming the key"
with_env "$dir" env WBINSTALL_DATADIR="$work/nowhere" "$WBINSTALL" render \
	--answers "$dir/answers.yaml" --out "$work/none" >/dev/null 2>"$work/stderr"
[ $? -eq 1 ] && grep -q 'templates/.*WBINSTALL_DATADIR' "$work/stderr"
ok $? "missing templates: exit 1, naming the file and WBINSTALL_DATADIR"

# An air gap's resource names the chart version its bundle holds, read
# before rendering; a bundle that is there and cannot be read is an error
# that names it.  (The golden case has no bundle: the renderer's version.)
ag=$work/airgap-case
cp -r "$cases/kubernetes-airgap" "$ag" && rm -rf "$ag/expected"
if tar --zstd -cf /dev/null /dev/null 2>/dev/null; then
	mkdir "$work/ag-bundle"
	cat >"$work/ag-bundle/manifest.yaml" <<EOF
bundle_format: 1
name: wandb-server
version: 0.43.9
created: 2026-01-01T00:00:00Z
images: []
charts:
- name: operator-wandb
  version: 0.43.9+site.1
  path: charts/operator-wandb-0.43.9+site.1.tgz
  sha256: $(printf '3%.0s' {1..64})
files: []
EOF
	tar --zstd -cf "$ag/wandb-bundle.tar.zst" -C "$work/ag-bundle" \
		manifest.yaml
	with_env "$ag" "$WBINSTALL" render --answers "$ag/answers.yaml" \
		--out "$work/ag-out" >/dev/null 2>"$work/stderr"
	[ $? -eq 0 ] && grep -q '^    version: "0.43.9+site.1"$' \
		"$work/ag-out/helm/wandb-cr.yaml"
	ok $? "air gap: spec.chart.version is the bundle's chart's"
else
	skip "air gap: spec.chart.version is the bundle's chart's (no tar --zstd)"
fi
printf 'not a bundle' >"$ag/wandb-bundle.tar.zst"
with_env "$ag" "$WBINSTALL" render --answers "$ag/answers.yaml" \
	--out "$work/none" >/dev/null 2>"$work/stderr"
[ $? -eq 1 ] && grep -q 'airgap.bundle: .*wandb-bundle.tar.zst: ' \
	"$work/stderr" && [ ! -e "$work/none" ]
ok $? "air gap: a bundle that cannot be read: exit 1, naming it, nothing written"
done_testing
