#!/usr/bin/env bash
# The progress bar follows the terminal and --no-progress (no environment
# variable): bundle create, verify, unpack and push draw it on stderr when
# stderr is a terminal (here a pseudo-terminal from script(1)), and
# --no-progress or --quiet leave it out; when stderr is no terminal there
# is none.  push is tried against a registry that is not there: the bar is
# the verify it does first.
set -u
. "$(dirname "$0")/common.sh"
trap 'rm -rf "$T"' EXIT
command -v script >/dev/null ||
	{ echo "1..0 # SKIP script (util-linux) is not installed"; exit 0; }

# A bar: "VERB     [###---...] NN%" (30 cells).
bar='\[[#-]{30}\] +[0-9]+%'
# on_tty CMD...: run it with stdin, stdout and stderr on a terminal;
# prints what the terminal saw.
on_tty() {
	local q=
	printf -v q '%q ' "$WBINSTALL" --log "$T/wbinstall.log" "$@"
	script -qefc "$q" /dev/null </dev/null
}

umoci init --layout "$T/src" >/dev/null
mkimage one 512
cat >"$T/spec.yaml" <<'YAML'
name: wandb-server
version: 0.0.1-test
requirements: {}
images:
  - wandb/one:one
YAML
out=$(on_tty bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
    --out "$T/b.tar.zst")
grep -qE "create +$bar" <<<"$out"
ok $? "create on a terminal draws the bar"
out=$(on_tty bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
    --out "$T/c.tar.zst" --no-progress)
rc=$?
[ $rc -eq 0 ] && ! grep -qE "$bar" <<<"$out" && grep -q written <<<"$out"
ok $? "create --no-progress on a terminal: no bar, the result still printed"

for sub in verify unpack; do
	extra=()
	[ $sub = unpack ] && extra=(--dir "$T/u-$sub")
	out=$(on_tty bundle $sub "$T/b.tar.zst" "${extra[@]}")
	grep -qE "$sub +$bar" <<<"$out"
	ok $? "$sub on a terminal draws the bar"
	[ $sub = unpack ] && extra=(--dir "$T/u-$sub-np")
	out=$(on_tty bundle $sub "$T/b.tar.zst" "${extra[@]}" --no-progress)
	rc=$?
	[ $rc -eq 0 ] && ! grep -qE "$bar" <<<"$out" && grep -q verified <<<"$out"
	ok $? "$sub --no-progress on a terminal: no bar ($rc)"
	[ $sub = unpack ] && extra=(--dir "$T/u-$sub-q")
	out=$(on_tty bundle $sub "$T/b.tar.zst" "${extra[@]}" --quiet)
	[ -z "$(tr -d '\r\n' <<<"$out")" ]
	ok $? "$sub --quiet on a terminal prints nothing"
	[ $sub = unpack ] && extra=(--dir "$T/u-$sub-pipe")
	wb bundle $sub "$T/b.tar.zst" "${extra[@]}" >"$T/pipe.out" 2>"$T/pipe.err"
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$T/pipe.err" ]
	ok $? "$sub with stderr not a terminal: no bar ($rc)"
done

# push verifies the bundle (behind the bar) before it talks to the
# registry, which is not there (port 1).
out=$(on_tty bundle push "$T/b.tar.zst" --registry 127.0.0.1:1 --plain-http)
grep -qE "push +$bar" <<<"$out"
ok $? "push on a terminal draws the bar"
out=$(on_tty bundle push "$T/b.tar.zst" --registry 127.0.0.1:1 --plain-http \
    --no-progress)
! grep -qE "$bar" <<<"$out" && [ -n "$out" ]
ok $? "push --no-progress on a terminal: no bar, its error still printed"
done_testing
