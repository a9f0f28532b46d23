#!/usr/bin/env bash
# An interrupted `bundle unpack` leaves nothing partial: SIGINT (Ctrl-C)
# or SIGTERM in the middle of it removes DIR/.partial, and the process
# then ends by that signal, as the caller expects.  The bundle comes
# through a FIFO that stops half-way, so the signal always lands while the
# unpack is at work, whatever the machine's speed.
set -u
. "$(dirname "$0")/common.sh"
trap 'rm -rf "$T"' EXIT

umoci init --layout "$T/src" >/dev/null
mkimage big 4096
cat >"$T/spec-big.yaml" <<'YAML'
name: wandb-server
version: 0.0.1-test
requirements: {}
images:
  - wandb/big:big
YAML
wb bundle create --spec "$T/spec-big.yaml" --source "oci:$T/src" \
    --out "$T/big.tar.zst" >/dev/null 2>&1
ok $? "a 4 MiB test bundle"
half=$(($(stat -c %s "$T/big.tar.zst") / 2))

for sig in INT TERM; do
	out=$T/out-$sig
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	(head -c "$half" "$T/big.tar.zst"; sleep 30) >"$T/fifo" &
	feeder=$!
	"$WBINSTALL" --log "$T/wbinstall.log" bundle unpack "$T/fifo" --dir "$out" \
	    >"$T/unpack.out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		[ -d "$out/.partial" ] && break
		sleep 0.1
	done
	[ -d "$out/.partial" ]
	ok $? "SIG$sig: the unpack is under way (DIR/.partial exists)"
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	kill "$feeder" 2>/dev/null
	wait "$feeder" 2>/dev/null
	want=$((128 + $(kill -l "$sig")))
	[ "$rc" = "$want" ] || diag "$(cat "$T/unpack.out")"
	[ "$rc" = "$want" ]
	ok $? "SIG$sig: it ends by the signal (exit $rc, want $want)"
	[ ! -e "$out/.partial" ] && [ -z "$(ls "$out")" ]
	ok $? "SIG$sig: DIR/.partial is gone and nothing was unpacked"
done
done_testing
