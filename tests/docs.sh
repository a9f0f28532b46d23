#!/usr/bin/env bash
# docs/answers.md must list exactly what `wbinstall answers --print-schema` prints.
set -u
. "$(dirname "$0")/lib.sh"
doc=$WB_SRCDIR/docs/answers.md
table=$(mktemp)
trap 'rm -f "$table"' EXIT
"$WBINSTALL" answers --print-schema >"$table"
ok $? "answers --print-schema runs"
# The table in the doc sits between the two markers.
sed -n '/<!-- schema:begin -->/,/<!-- schema:end -->/p' "$doc" | sed '1d;$d' | diff -u - "$table" >/dev/null
ok $? "docs/answers.md agrees with the answers table (regenerate it with: wbinstall answers --print-schema)"
"$WBINSTALL" --help | grep -q '^  validate '
ok $? "--help lists validate"
"$WBINSTALL" --version | grep -q '^wbinstall [0-9]'
ok $? "--version"
"$WBINSTALL" nosuchcommand 2>/dev/null
[ $? -eq 2 ]; ok $? "an unknown command exits 2"
"$WBINSTALL" validate --bogus 2>/dev/null
[ $? -eq 2 ]; ok $? "an unknown option exits 2"
for c in validate answers; do
	"$WBINSTALL" $c --help | grep -q "^Usage: wbinstall $c"
	ok $? "$c --help"
done
done_testing
