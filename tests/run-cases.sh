#!/usr/bin/env bash
# Runs every case directory in tests/cases/: each holds
#   cmd       the wbinstall arguments, one line ("validate --answers {CASE}/answers.yaml")
#   exit      the expected exit status
#   stdout / stderr   expected output, if present
#   env       optional VAR=value lines exported first (no other WB_*
#             variable of the caller's environment is passed on)
# In all of them {CASE} stands for the case directory, {SRC} for the source
# tree and {SHARED} for the shared contract/seeds directory ($WB_SHARED).
set -u
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for dir in "$WB_SRCDIR"/tests/cases/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	read -r cmdline <"$dir/cmd"
	cmdline=${cmdline//\{CASE\}/$dir}
	cmdline=${cmdline//\{SRC\}/$WB_SRCDIR}
	if [[ $cmdline == *'{SHARED}'* ]] && [ ! -d "${WB_SHARED:-}" ]; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n - case $name # SKIP the shared directory is not beside the source"
		continue
	fi
	cmdline=${cmdline//\{SHARED\}/$WB_SHARED}
	want_exit=$(cat "$dir/exit")
	(
		export XDG_STATE_HOME="$work/state"
		# A case sees only its own env: no WB_* variable of the caller's
		# (a demo's or a peer's secret) may resolve a reference.
		for v in $(compgen -e WB_); do
			unset "$v"
		done
		if [ -f "$dir/env" ]; then
			while IFS= read -r kv; do
				[ -n "$kv" ] && export "${kv?}"
			done <"$dir/env"
		fi
		# shellcheck disable=SC2086
		eval "\"\$WBINSTALL\" $cmdline" >"$work/out" 2>"$work/err"
		echo $? >"$work/rc"
	)
	got_exit=$(cat "$work/rc")
	status=0
	[ "$got_exit" = "$want_exit" ] || status=1
	for stream in stdout stderr; do
		[ -f "$dir/$stream" ] || continue
		f=$work/out
		[ $stream = stderr ] && f=$work/err
		sed -e "s|{CASE}|$dir|g" -e "s|{SRC}|$WB_SRCDIR|g" -e "s|{SHARED}|${WB_SHARED:-}|g" "$dir/$stream" >"$work/want"
		if ! diff -u "$work/want" "$f" >"$work/diff"; then
			status=1
			diag "$name: $stream differs:" "$(cat "$work/diff")"
		fi
	done
	[ "$got_exit" = "$want_exit" ] || diag "$name: exit $got_exit, want $want_exit"
	ok $status "case $name"
done
done_testing
