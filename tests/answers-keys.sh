#!/usr/bin/env bash
# Every answers key the program names in its code is in the answers table:
# answers_get*() and the others abort on a key the table lacks (a typo
# that would otherwise read "" forever), so each literal key passed to
# them in src/ and ui/ is checked here against `answers --print-schema`.
set -u
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$WBINSTALL" answers --print-schema | sed -n 's/^| `\([^`]*\)` .*/\1/p' |
	sed 's/^targets\[\]\./targets[N]./' | sort -u >"$work/table"
[ -s "$work/table" ]
ok $? "the table lists $(wc -l <"$work/table") keys"
fns='answers_(get|get_path|get_int|get_bool|is_set|get_secret|resolve|value|unset|mark|set)|wiz_secret|resolver_secret|resolver_path'
# (calls broken over lines too: each file read whole)
for f in "$WB_SRCDIR"/src/*.c "$WB_SRCDIR"/ui/*.c; do tr '\n\t' '  ' <"$f"; echo; done |
	grep -oE "($fns)\\([^,()]+, *\"[^\"]+\"" |
	sed 's/.*"\([^"]*\)"$/\1/' | sed 's/^targets\[[0-9]*\]\./targets[N]./' |
	sort -u >"$work/used"
[ "$(wc -l <"$work/used")" -gt 40 ]
ok $? "the code names $(wc -l <"$work/used") keys"
comm -23 "$work/used" "$work/table" >"$work/unknown"
[ ! -s "$work/unknown" ] || diag "not in the table: $(tr '\n' ' ' <"$work/unknown")"
[ ! -s "$work/unknown" ]
ok $? "each of them is in the table"
# And an unknown key is an abort that names it, not "".
out=$("$WB_BUILDDIR/tests/unit/test-answers" --unknown-key 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q "internal error: answers key 'mysql.hots'" <<<"$out"
ok $? "answers_get of an unknown key aborts, naming it ($rc)"
done_testing
