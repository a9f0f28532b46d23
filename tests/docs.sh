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
# The global options come before or after the command.
"$WBINSTALL" validate --lang ja --answers /nonexistent/a.yaml 2>&1 | grep -q 'エラー 1 件'
ok $? "validate --lang ja: a global option after the command"
"$WBINSTALL" wizard --lang=ko --help >/dev/null 2>&1
ok $? "wizard --lang=ko --help: accepted after the command"
out=$("$WBINSTALL" validate --answers /nonexistent/a.yaml -v --log /dev/null 2>&1)
[ $? = 2 ] && ! grep -q "unrecognized\|unexpected" <<<"$out"
ok $? "-v and --log after the command"
"$WBINSTALL" validate -- --lang ko >/dev/null 2>&1
[ $? = 2 ]; ok $? "after --, --lang is the command's argument (refused by validate)"
done_testing
