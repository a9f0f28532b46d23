#!/usr/bin/env bash
# F4 on the SSH screen runs the host preflight live: one row per target
# with a progress marker, then the results in the pager.  Against a real
# sshd on loopback, then against a closed port.
set -u
. "$(dirname "$0")/lib.sh"
tui_need /usr/sbin/sshd ssh-keygen python3
tui_sshd 2
closed=$(python3 -c 'import socket; s = socket.socket();
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A silent host: it accepts and never says a word, so its row stays live.
tui_silent "$tui_work/silent.port"
silent=$(cat "$tui_work/silent.port")

# mkans FILE TIMEOUT HOST:PORT...
mkans() {
	local f=$1 to=$2 t
	shift 2
	{
	cat <<EOA
version: 1
deployment:
  products: models
  environment: test
  platform: kubernetes
domain:
  fqdn: wandb.example.com
license:
  value: {value: "${LICENSE:-x}"}
ssh:
  user: $WB_SSHD_USER
  identity: $WB_SSHD_IDENTITY
  known_hosts: $tui_work/known_hosts
  host_key_policy: ${POLICY:-accept-new}
  timeout_s: $to
mysql:
  host: $WB_SSHD_HOST
  port: $WB_SSHD_PORT
  password: {value: "p"}
storage:
  endpoint: $WB_SSHD_HOST:$WB_SSHD_PORT
  bucket: wandb-files
  access_key: {value: "a"}
  secret_key: {value: "s"}
airgap:
  enabled: true
  bundle: bundle.tar.zst
  registry: registry.example.com:5000
targets:
EOA
	for t in "$@"; do
		printf '  - host: %s\n    port: %s\n    roles: [app]\n' \
		    "${t%:*}" "${t##*:}"
	done
	} >"$f"
}

# at_ssh ANSWERS: go to SSH (from Review: Preflight, Air gap, Object
# storage, Database, SSH).
at_ssh() { tui_at "$1" 5 SSH; }

t=$WB_SSHD_HOST:$WB_SSHD_PORT
s=127.0.0.1:$silent
mkans "$tui_work/ok.yaml" 5 "$t" "$s"
at_ssh "$tui_work/ok.yaml"
tui_wait "F4 checks every target live"; check $? "SSH tells about F4"
tui_keys F4
tui_wait "Preflight: hosts"; must $? "F4 opens the live view"
tui_screen | grep -q "disk benchmark is skipped"
check $? "the view says the disk benchmark is skipped"
tui_wait "$s" 5; check $? "the live table has a row for the silent host"
tui_wait "done" 5
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -q "• *$t .*done"
check $? "the host that answered is marked done"
printf '%s\n' "$scr" | grep -q "[-|/\\] *$s .*connecting"
check $? "the silent one has a spinner and what it is doing"
tui_wait "Test: hosts" 30; must $? "the results follow"
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -q "✔ .*$t .*ssh.connect"
check $? "ssh.connect passes for $t"
printf '%s\n' "$scr" | grep -q "$t .*hw.arch"
check $? "hw.arch is checked on $t"
printf '%s\n' "$scr" | grep -q "✘ .*$s .*ssh.connect"
check $? "the silent host fails ssh.connect on time"
[ -s "$tui_work/known_hosts" ]
ok $? "accept-new recorded the host key"
grep -q "wizard: host preflight" "$tui_work/state/wbinstall/"*.log 2>/dev/null ||
    grep -rq "wizard: host preflight" "$tui_work/state"
ok $? "the run is logged"
tui_keys Escape
tui_gone "Test: hosts"
tui_screen | grep -q "hosts: [0-9]* pass, [0-9]* warn, [0-9]* fail"
check $? "the status line sums the results up"
tui_title SSH; check $? "back on SSH"

# strict and an unknown host: after the results, its fingerprint and a
# question; n records nothing, y records the key and F4 then passes.
rm -f "$tui_work/known_hosts"
fp=$(ssh-keygen -l -E sha256 -f "$WB_SSHD_HOSTKEY_PUB" | awk '{print $2}')
POLICY=strict mkans "$tui_work/strict.yaml" 5 "$t"
at_ssh "$tui_work/strict.yaml"
tui_keys F4
tui_wait "Test: hosts" 30; must $? "F4 runs under strict"
tui_screen | grep -q "✘ .*$t .*ssh.hostkey"
check $? "an unknown host fails ssh.hostkey"
tui_keys Escape
tui_wait "Trust this key?" 10; must $? "the wizard asks to trust the unknown host"
tui_screen | grep -qF "$fp"
check $? "the question shows the host key's fingerprint ($fp)"
tui_keys n
tui_wait "not trusted; nothing was recorded" 5
check $? "n: nothing recorded, and it says so"
[ ! -s "$tui_work/known_hosts" ]
ok $? "n: known_hosts is untouched"
tui_keys F4
tui_wait "Test: hosts" 30; must $? "F4 again"
tui_keys Escape
tui_wait "Trust this key?" 10; must $? "asked again"
tui_keys y
tui_wait "1 host key recorded" 5; check $? "y: recorded, and F4 checks again"
grep -qF "$(cut -d' ' -f2 "$WB_SSHD_HOSTKEY_PUB")" "$tui_work/known_hosts"
ok $? "y: the key is in known_hosts"
tui_keys F4
tui_wait "Test: hosts" 30; must $? "F4 once more"
tui_screen | grep -q "✔ .*$t .*ssh.hostkey"
check $? "the trusted host now passes ssh.hostkey"
tui_keys Escape
tui_gone "Test: hosts"
# (the question would follow the results at once: give it time to show)
tui_wait "Trust this key?" 3
[ $? != 0 ]; check $? "a trusted host is not asked about"

# The Preflight screen: F4 there too, the license after the hosts; then
# one line per host, and one for the license.
LICENSE=$(test_license 365)
POLICY=strict mkans "$tui_work/licensed.yaml" 10 "$t"
tui_at "$tui_work/licensed.yaml" 1 Preflight
tui_wait "Not run yet" 5; check $? "Preflight: not run yet"
tui_keys F4
tui_wait "Test: hosts, license" 30; must $? "F4 on Preflight runs the host preflight and the license"
tui_keys End
tui_wait "Summary:"
scr=$(tui_screen)
grep -q "✔ *license *license.format" <<<"$scr" &&
    grep -q "✔ *license *license.expiry" <<<"$scr" &&
    grep -q "✔ *license *license.claims" <<<"$scr"
check $? "the license checks are rows like the others"
! grep -qF "${LICENSE:0:20}" <<<"$scr"; check $? "the license itself is not shown"
tui_keys Escape
tui_gone "Test: hosts"
scr=$(tui_screen)
grep -q "✔ $t .* pass, 0 warn, 0 fail" <<<"$scr"
check $? "Preflight: a line for $t, all passed"
grep -q "✔ license .* 3 pass, 0 warn, 0 fail" <<<"$scr"
check $? "Preflight: a line for the license"

# A license typed on the License screen and not saved yet (its file is
# written on save) is the one F4 on Preflight checks.
POLICY=strict mkans "$tui_work/typed.yaml" 10 "$t"
sed -i 's|^  value: {value: .*|  value: {file: typed-license.secret}|' \
    "$tui_work/typed.yaml"
tui_at "$tui_work/typed.yaml" 7 License
tui_type "$LICENSE"
tui_wait "(license.value)"; must $? "typing on License opens its dialog"
tui_keys Enter
tui_gone "(license.value)"; must $? "Enter keeps the license typed"
[ ! -e "$tui_work/typed-license.secret" ]
ok $? "its file is not written before a save"
tui_keys F10
tui_title Review; must $? "F10 goes to Review"
tui_keys Escape
tui_title Preflight; must $? "Esc goes back to Preflight"
tui_keys F4
tui_wait "Test: hosts, license" 30; must $? "F4 on Preflight"
tui_keys End
tui_wait "Summary:"
tui_screen | grep -q "✔ *license *license.format"
check $? "the license typed and not saved passes license.format"
tui_keys Escape
tui_gone "Test: hosts"
LICENSE=

# A closed port: ssh.connect fails.
mkans "$tui_work/closed.yaml" 10 "127.0.0.1:$closed"
at_ssh "$tui_work/closed.yaml"
tui_keys F4
tui_wait "Test: hosts" 30; must $? "F4 runs against a closed port"
tui_screen | grep -q "✘ .*127.0.0.1:$closed .*ssh.connect"
check $? "ssh.connect fails on a closed port"
tui_keys Escape
tui_gone "Test: hosts"
tui_screen | grep -q "hosts: 0 pass, .* [1-9][0-9]* fail"
check $? "the status line counts the failure"

# F4 on Targets too; Esc while it runs cancels and waits for the checks.
mkans "$tui_work/silent.yaml" 30 "$s"
at_ssh "$tui_work/silent.yaml"
tui_keys Escape
tui_title Targets; must $? "Esc goes back to Targets"
tui_keys F4
tui_wait "connecting" 5; must $? "the live view runs"
start=$(date +%s)
tui_keys Escape
tui_wait "hosts: cancelled" 10; check $? "Esc cancels"
[ $(($(date +%s) - start)) -lt 10 ]; check $? "well before the timeout"
tui_title Targets; check $? "back on Targets"
tui_keys C-c y
rc=$(tui_exit)
[ "$rc" = 1 ]; check $? "Ctrl-C y quits (got $rc)"
done_testing
