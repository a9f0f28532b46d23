#!/usr/bin/env bash
# Inputs that once took time that grew with the square of their size:
# 200,000 comment lines (68 s in validate) and 100,000-deep flow nesting
# (41 s in validate, 28 s in bundle inspect).  Each must now take under
# 2 s, or under 10 times what a plain file of the same size takes in the
# same run (a loaded machine, or a sanitizer build, slows both alike);
# the nesting is refused, naming its line.
set -u
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work/state WB_LICENSE=license-of-the-hostile-input-test

base=$WB_SRCDIR/tests/render/cases/aws-terraform/answers.yaml
python3 - "$base" "$work" <<'EOF'
import sys
base, work = open(sys.argv[1]).read(), sys.argv[2]
n = 200000
open(work + '/comments.yaml', 'w').write(base + '#\n' * n)
# The same size, as one value: what any loader must read.
open(work + '/plain-comments.yaml', 'w').write(
    base + 'x_padding: "' + 'x' * (2 * n - 16) + '"\n')
deep = 'version: 1\ndomain: ' + '[' * 100000 + ']' * 100000 + '\n'
open(work + '/deep.yaml', 'w').write(deep)
open(work + '/plain-deep.yaml', 'w').write(
    'version: 1\ndomain: "' + 'x' * (len(deep) - 22) + '"\n')
EOF

# secs CMD...: the command's wall time in seconds, its status in $work/rc.
secs() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >"$work/out" 2>&1
	echo $? >"$work/rc"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
fast() {	# DESCRIPTION HOSTILE-SECS PLAIN-SECS
	local r
	r=$(awk -v h="$2" -v p="$3" 'BEGIN { print (h < 2 || h < 10 * p) ? 1 : 0 }')
	[ "$r" = 1 ] || diag "$2 s against $3 s for the plain file"
	ok $((1 - r)) "$1 ($(printf '%.2f' "$2") s; plain $(printf '%.2f' "$3") s)"
}

h=$(secs "$WBINSTALL" validate --answers "$work/comments.yaml")
p=$(secs "$WBINSTALL" validate --answers "$work/plain-comments.yaml")
fast "validate: 200,000 comment lines in linear time" "$h" "$p"
"$WBINSTALL" validate --answers "$work/comments.yaml" >/dev/null 2>&1
ok $? "validate: the file with 200,000 comment lines is valid"

h=$(secs "$WBINSTALL" validate --answers "$work/deep.yaml")
grep -q "deep.yaml:2:.*nests deeper than 64 levels" "$work/out" && [ "$(cat "$work/rc")" = 2 ]
ok $? "validate: 100,000-deep nesting is refused (exit 2) naming its line"
p=$(secs "$WBINSTALL" validate --answers "$work/plain-deep.yaml")
fast "validate: 100,000-deep nesting in linear time" "$h" "$p"

# bundle inspect reads manifest.yaml first: a tar.zst whose manifest nests.
python3 - "$work" <<'EOF'
import io, sys, tarfile
work = sys.argv[1]
for name, text in (('deep', 'name: ' + '[' * 100000 + ']' * 100000 + '\n'),
                   ('plain', 'name: "' + 'x' * 200000 + '"\n')):
    data = text.encode()
    with tarfile.open(work + '/' + name + '.tar', 'w', format=tarfile.PAX_FORMAT) as t:
        ti = tarfile.TarInfo('manifest.yaml')
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
EOF
zstd -q "$work/deep.tar" -o "$work/deep.tar.zst" && zstd -q "$work/plain.tar" -o "$work/plain.tar.zst"
h=$(secs "$WBINSTALL" bundle inspect "$work/deep.tar.zst")
grep -q "manifest.yaml:1:.*nests deeper than 64 levels" "$work/out" && [ "$(cat "$work/rc")" = 1 ]
ok $? "bundle inspect: a manifest nested 100,000 deep is refused, naming its line"
p=$(secs "$WBINSTALL" bundle inspect "$work/plain.tar.zst")
fast "bundle inspect: 100,000-deep nesting in linear time" "$h" "$p"
done_testing
