#!/usr/bin/env bash
# No test hooks in a release build.  The environment variables the test
# suite drives (WBINSTALL_TEST_CRASH_AFTER kills an install after an
# action; WB_DISK_BENCH_SECONDS and WB_DISK_BENCH_DIR shorten and move the
# disk benchmark) are compiled only with ./configure --enable-test-hooks,
# which --version then names; the variables that were options in disguise
# (WBINSTALL_CONNECT_TO, NO_PROGRESS: now --connect-to and --no-progress)
# are read by no build.  scripts/test and CI's ASan build have the hooks;
# make distcheck builds the release, so this runs both ways.
set -u
. "$(dirname "$0")/lib.sh"
hooks="WBINSTALL_TEST_CRASH_AFTER WB_DISK_BENCH_SECONDS WB_DISK_BENCH_DIR"
gone="WBINSTALL_CONNECT_TO NO_PROGRESS"

# in_binary NAME: the program holds the string NAME (a getenv of it).
in_binary() { grep -aqw -- "$1" "$WBINSTALL"; }

if have_test_hooks; then
	diag "built with --enable-test-hooks"
	for v in $hooks; do
		in_binary "$v"
		ok $? "$v is compiled in (--version says test hooks)"
	done
else
	diag "built without --enable-test-hooks (a release)"
	for v in $hooks; do
		! in_binary "$v"
		ok $? "$v is not compiled in"
	done
fi
for v in $gone; do
	! in_binary "$v"
	ok $? "$v is read by no build"
done
"$WBINSTALL" --version | grep -qE '^wbinstall [0-9][^ ]*( \(test hooks\))?$'
ok $? "--version: $("$WBINSTALL" --version)"
done_testing
