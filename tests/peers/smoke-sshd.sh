#!/bin/bash
# Smoke test (TAP) for tests/peers/sshd.sh: two sshd instances on
# 127.0.0.2 and 127.0.0.3, reached with the real OpenSSH client.
# shellcheck disable=SC2317 # functions run from traps and tap_check
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

[ -x "${WB_SSHD_BIN:-/usr/sbin/sshd}" ] || tap_skip_all "sshd not installed (openssh-server)"
for c in ssh ssh-keygen ssh-keyscan; do
	command -v "$c" >/dev/null || tap_skip_all "$c not installed (openssh-client)"
done

smoke_setup sshd
cleanup() {
	"$here/sshd.sh" stop all || true
	rm -rf -- "$WB_PEER_DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# 2222 as documented, unless someone else is already using it.
port=2222
if ! peer_port_free 127.0.0.2 "$port" || ! peer_port_free 127.0.0.3 "$port"; then
	port=0
fi

# ssh HOST-ENV... : run the real client with the keys of the last start
ssh_to() {
	timeout 20 ssh -F /dev/null -i "$WB_SSHD_IDENTITY" -o IdentitiesOnly=yes \
		-o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR \
		-o UserKnownHostsFile="$WB_SSHD_KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null \
		-o StrictHostKeyChecking=yes -p "$WB_SSHD_PORT" \
		"$WB_SSHD_USER@$WB_SSHD_HOST" "$@"
}

scan_key() { # HOST PORT -> "type base64" of its ed25519 host key
	timeout 10 ssh-keyscan -T 5 -t ed25519 -p "$2" "$1" 2>/dev/null | awk '{ print $2, $3 }'
}

tap_plan 12

if smoke_start "$here/sshd.sh" 2 "$port"; then
	tap_ok "sshd started on $WB_SSHD_HOST:$WB_SSHD_PORT"
else
	tap_not_ok "sshd start on 127.0.0.2"
	tap_bail "cannot start sshd"
fi
a_host=$WB_SSHD_HOST a_port=$WB_SSHD_PORT a_pid=$WB_SSHD_PID a_pub=$WB_SSHD_HOSTKEY_PUB
a_kh=$WB_SSHD_KNOWN_HOSTS
tap_is "identity file is mode 0600" "$(stat -c %a "$WB_SSHD_IDENTITY")" 600
tap_like "known_hosts line is in [host]:port form" "$(cat "$WB_SSHD_KNOWN_HOSTS")" \
	"^(\[127\.0\.0\.2\]:$a_port|127\.0\.0\.2) ssh-ed25519 "
tap_is "ssh $WB_SSHD_USER@127.0.0.2 uname -m" "$(ssh_to uname -m || true)" "$(uname -m)"

out=$("$here/sshd.sh" start 2 "$port" 2>/dev/null || true)
tap_like "second start of the same instance reuses it" "$out" "WB_SSHD_PID=${a_pid}($|[[:space:]])"

if smoke_start "$here/sshd.sh" 3 "$port"; then
	tap_ok "second sshd started on $WB_SSHD_HOST:$WB_SSHD_PORT"
else
	tap_not_ok "sshd start on 127.0.0.3"
	tap_bail "cannot start a second sshd"
fi
b_pid=$WB_SSHD_PID b_pub=$WB_SSHD_HOSTKEY_PUB
# shellcheck disable=SC2016 # expanded by the remote shell
tap_is "ssh via the generated ssh_config to 127.0.0.3" \
	"$(timeout 20 ssh -F "$WB_SSHD_SSH_CONFIG" "$WB_SSHD_HOST" 'echo "$SSH_CONNECTION"' | awk '{ print $3 }' || true)" \
	127.0.0.3

key_a=$(scan_key "$a_host" "$a_port" || true)
key_b=$(scan_key "$WB_SSHD_HOST" "$WB_SSHD_PORT" || true)
if [ -n "$key_a" ] && [ "$key_a" = "$(cut -d' ' -f1,2 "$a_pub")" ] &&
	[ "$key_b" = "$(cut -d' ' -f1,2 "$b_pub")" ]; then
	tap_ok "ssh-keyscan sees each instance's generated host key"
else
	tap_not_ok "ssh-keyscan sees each instance's generated host key"
	tap_diag "127.0.0.2: $key_a" "127.0.0.3: $key_b"
fi
if [ -n "$key_a" ] && [ -n "$key_b" ] && [ "$key_a" != "$key_b" ]; then
	tap_ok "127.0.0.2 and 127.0.0.3 present different host keys"
else
	tap_not_ok "127.0.0.2 and 127.0.0.3 present different host keys"
fi

# 127.0.0.2's known_hosts must not vouch for 127.0.0.3 (strict checking).
sed "s/^[^ ]* /[$WB_SSHD_HOST]:$WB_SSHD_PORT /" "$a_kh" >"$SMOKE_TMP/wrong_known_hosts"
if WB_SSHD_KNOWN_HOSTS=$SMOKE_TMP/wrong_known_hosts ssh_to true 2>/dev/null; then
	tap_not_ok "strict host key checking rejects the other instance's key"
else
	tap_ok "strict host key checking rejects the other instance's key"
fi

"$here/sshd.sh" stop 2
"$here/sshd.sh" stop 3
if peer_pid_alive "$a_pid"; then
	tap_not_ok "stop 2 ends sshd (pid $a_pid)"
else
	tap_ok "stop 2 ends sshd (pid $a_pid)"
fi
if peer_pid_alive "$b_pid" || [ -e "$WB_PEER_DIR/sshd-3" ]; then
	tap_not_ok "stop 3 ends sshd and removes its state"
else
	tap_ok "stop 3 ends sshd and removes its state"
fi

tap_done
