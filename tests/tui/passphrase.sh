#!/usr/bin/env bash
# An encrypted ssh.identity and no ssh.passphrase: on a terminal, the
# commands that log in over SSH ask for the passphrase once (echo off) and
# every host uses it; without a terminal they do not ask, and ssh.auth
# names ssh.passphrase.  Against a real sshd on loopback, with an ed25519
# key in OpenSSH's format and an RSA key in PEM.
set -u
. "$(dirname "$0")/lib.sh"
tui_need /usr/sbin/sshd ssh-keygen python3
for n in 2 3; do
	tui_sshd "$n"
	eval "H$n=\$WB_SSHD_HOST:\$WB_SSHD_PORT D$n=\$WB_SSHD_DIR"
	cat "$WB_SSHD_KNOWN_HOSTS" >>"$tui_work/known_hosts"
done
PASS="tui pass $RANDOM words"
ssh-keygen -q -t ed25519 -N "$PASS" -C locked -f "$tui_work/locked"
ssh-keygen -q -t rsa -b 2048 -m PEM -N "$PASS" -C locked-rsa \
	-f "$tui_work/locked-rsa"
ssh-keygen -q -t ecdsa -N '' -C open -f "$tui_work/open"
for d in "$D2" "$D3"; do
	cat "$tui_work/locked.pub" "$tui_work/locked-rsa.pub" \
		"$tui_work/open.pub" >>"$d/authorized_keys"
done

# mkans FILE IDENTITY: the two hosts, only the hosts family matters.
mkans() {
	{
	cat <<EOA
version: 1
deployment: {products: models, environment: test, platform: kubernetes}
domain: {fqdn: wandb.example.com}
license: {value: {value: "x"}}
ssh:
  user: $WB_SSHD_USER
  identity: $2
  known_hosts: $tui_work/known_hosts
  timeout_s: 20
airgap: {enabled: true, bundle: b.tar.zst, registry: "r.example.com:5000"}
mysql: {host: 127.0.0.1, password: {value: "p"}}
storage: {bucket: wandb-files, access_key: {value: "a"}, secret_key: {value: "s"}}
targets:
EOA
	for t in "$H2" "$H3"; do
		printf '  - {host: %s, port: %s, roles: [app]}\n' "${t%:*}" "${t##*:}"
	done
	} >"$1"
}
# auth FILE: "HOST=STATUS ..." of ssh.auth in a --json report.
auth() {
	python3 -c 'import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("no-json"); sys.exit()
print(" ".join("%s=%s" % (c["target"], c["status"]) for c in d["checks"]
               if c["id"] == "ssh.auth"))' "$1"
}
want="$H2=pass $H3=pass"

sock_base=$tui_sock
# run NAME CMD...: wbinstall CMD... in the tmux pane (stdin and the
# terminal are the pane's), its stdout to $tui_work/NAME.out, its exit
# status to $tui_work/rc.
run() {
	local name=$1 arg
	shift
	{
		echo '#!/bin/sh'
		# Ctrl-C goes to the whole pane: this shell stays to record.
		echo "trap 'echo interrupted' INT"
		echo "export TERM='$TUI_TERM' XDG_STATE_HOME='$tui_work/state' LC_ALL=C.UTF-8"
		printf '%q --log %q' "$WBINSTALL" "$tui_work/$name.log"
		for arg in "$@"; do printf ' %q' "$arg"; done
		printf ' >%q\n' "$tui_work/$name.out"
		echo "echo \$? >'$tui_work/rc'"
		echo 'exec sleep 60'
	} >"$tui_work/run.sh"
	chmod +x "$tui_work/run.sh"
	rm -f "$tui_work/rc"
	# A server of its own each run: a new one on the socket of one being
	# killed can catch it exiting.
	tmux -L "$tui_sock" kill-server 2>/dev/null
	tui_sock=$sock_base-$name
	tmux -L "$tui_sock" -f /dev/null new-session -d -x "$TUI_COLS" \
	    -y "$TUI_ROWS" "$tui_work/run.sh"
}

for key in locked locked-rsa; do
	mkans "$tui_work/$key.yaml" "$tui_work/$key"
	run "$key" preflight --answers "$tui_work/$key.yaml" --checks hosts \
		--no-disk-bench --json
	tui_wait "Passphrase for $tui_work/$key (ssh.passphrase is not set):" 10
	check $? "$key: asked on the terminal, once for both hosts"
	tui_type "$PASS"
	tui_keys Enter
	rc=$(tui_exit 30)
	got=$(auth "$tui_work/$key.out")
	# libssh2 before 1.11 signs RSA keys with SHA-1, which this sshd
	# refuses: then the key was decrypted and the message says why.
	[ "$got" = "$want" ] || { [ $key = locked-rsa ] &&
		grep -q 'signs RSA keys with SHA-1 (ssh-rsa)' "$tui_work/$key.out"; }
	ok $? "$key: the typed passphrase opens the key for both hosts ($got, exit $rc)"
	[ "$(tui_screen | grep -c 'Passphrase for')" = 1 ]
	ok $? "$key: asked only once"
	! tui_screen | grep -qF "$PASS" && ! grep -qF "$PASS" "$tui_work/$key.log" \
		"$tui_work/$key.out"
	ok $? "$key: the passphrase is neither echoed, logged nor printed"
done

# A wrong passphrase: ssh.auth fails on both hosts, still asked once.
run wrong preflight --answers "$tui_work/locked.yaml" --checks hosts \
	--no-disk-bench --json
tui_wait "Passphrase for" 10
tui_type "not it"
tui_keys Enter
rc=$(tui_exit 30)
[ "$rc" = 1 ] && [ "$(auth "$tui_work/wrong.out")" = "$H2=fail $H3=fail" ] &&
	grep -q ssh.passphrase "$tui_work/wrong.out"
ok $? "a wrong passphrase fails ssh.auth on both hosts and names ssh.passphrase (exit $rc)"

# Ctrl-C at the prompt: the terminal gets its echo back, the run ends.
run cancel preflight --answers "$tui_work/locked.yaml" --checks hosts \
	--no-disk-bench --json
tui_wait "Passphrase for" 10
tui_keys C-c
rc=$(tui_exit 30)
[ "$rc" = 1 ] && grep -q '"message": "cancelled"' "$tui_work/cancel.out" &&
	! grep -q '"status": "fail"' "$tui_work/cancel.out"
ok $? "Ctrl-C at the prompt cancels the run (exit $rc), no check failed"
tmux -L "$tui_sock" send-keys -l "echoed-back"
sleep 0.3
tui_screen | grep -q "echoed-back"
ok $? "and the terminal echoes again"

# An RSA key in OpenSSH's format, not encrypted: its type is read from
# the file; a refusal of SHA-1 signatures is explained.
ssh-keygen -q -t rsa -b 2048 -N '' -C open-rsa -f "$tui_work/open-rsa"
for d in "$D2" "$D3"; do cat "$tui_work/open-rsa.pub" >>"$d/authorized_keys"; done
mkans "$tui_work/open-rsa.yaml" "$tui_work/open-rsa"
"$WBINSTALL" --log "$tui_work/open-rsa.log" preflight --answers \
	"$tui_work/open-rsa.yaml" --checks hosts --no-disk-bench --json \
	</dev/null >"$tui_work/open-rsa.out" 2>&1
got=$(auth "$tui_work/open-rsa.out")
[ "$got" = "$want" ] ||
	grep -q 'signs RSA keys with SHA-1 (ssh-rsa)' "$tui_work/open-rsa.out"
ok $? "an RSA key logs in, or the message says the server refuses SHA-1 ($got)"

# A key without a passphrase is not asked about.
mkans "$tui_work/open.yaml" "$tui_work/open"
run open preflight --answers "$tui_work/open.yaml" --checks hosts \
	--no-disk-bench --json
rc=$(tui_exit 30)
[ "$(auth "$tui_work/open.out")" = "$want" ] && ! tui_screen | grep -q "Passphrase"
ok $? "an ecdsa key without a passphrase: no question ($rc)"

# No terminal: nothing is asked, ssh.auth names ssh.passphrase.
"$WBINSTALL" --log "$tui_work/batch.log" preflight --answers \
	"$tui_work/locked.yaml" --checks hosts --no-disk-bench --json \
	</dev/null >"$tui_work/batch.out" 2>"$tui_work/batch.err"
rc=$?
[ $rc = 1 ] && [ "$(auth "$tui_work/batch.out")" = "$H2=fail $H3=fail" ] &&
	grep -q ssh.passphrase "$tui_work/batch.out" &&
	! grep -q "Passphrase for" "$tui_work/batch.err"
ok $? "without a terminal: not asked, ssh.auth fails and names ssh.passphrase"
done_testing
