#!/bin/bash
# Smoke test (TAP) for tests/peers/mariadb.sh: a plain instance and one
# with an extra option file, reached with the real mariadb client.
# shellcheck disable=SC2317 # functions run from traps and tap_check
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

for c in mariadbd mariadb-install-db mariadb; do
	command -v "$c" >/dev/null || tap_skip_all "$c not installed (mariadb-server, mariadb-client)"
done

smoke_setup mariadb
cleanup() {
	"$here/mariadb.sh" stop all || true
	rm -rf -- "$WB_PEER_DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# my CLIENT_CNF ARGS...: real client, password from a 0600 option file
my() {
	local cnf=$1
	shift
	timeout 20 mariadb --defaults-file="$cnf" --batch --skip-column-names "$@"
}

tap_plan 11

unset WB_PEER_INSTANCE
if smoke_start "$here/mariadb.sh"; then
	tap_ok "mariadb started on $WB_MYSQL_HOST:$WB_MYSQL_PORT"
else
	tap_not_ok "mariadb start"
	tap_bail "cannot start mariadb"
fi
a_pid=$WB_MYSQL_PID a_cnf=$WB_MYSQL_CLIENT_CNF

tap_is "client option file is mode 0600" "$(stat -c %a "$a_cnf")" 600
tap_like "SELECT VERSION() over TCP (password from option file)" \
	"$(my "$a_cnf" -e 'SELECT VERSION()' || true)" 'MariaDB'
tap_is "SELECT VERSION() with -h -P -u and MYSQL_PWD" \
	"$(MYSQL_PWD=$WB_MYSQL_ADMIN_PASSWORD timeout 20 mariadb --no-defaults \
		-h"$WB_MYSQL_HOST" -P"$WB_MYSQL_PORT" -u"$WB_MYSQL_ADMIN_USER" \
		-N -B -e 'SELECT 1+1' || true)" 2
tap_is "server binds to 127.0.0.1 on the exported port" \
	"$(my "$a_cnf" -e 'SELECT @@bind_address, @@port' | tr '\t' ' ' || true)" \
	"127.0.0.1 $WB_MYSQL_PORT"
tap_is "unix socket login with the password" \
	"$(my "$a_cnf" -hlocalhost --socket="$WB_MYSQL_SOCKET" -e 'SELECT CURRENT_USER()' || true)" \
	"root@localhost"
if MYSQL_PWD=wrong-password timeout 20 mariadb --no-defaults -h"$WB_MYSQL_HOST" \
	-P"$WB_MYSQL_PORT" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
	tap_not_ok "a wrong root password is rejected"
else
	tap_ok "a wrong root password is rejected"
fi

# A second instance, with an extra option file (a parameter group).
cat >"$SMOKE_TMP/extra.cnf" <<'EOF'
[mariadb]
max_connections = 77
# must not win over the forced loopback bind
bind-address = 0.0.0.0
EOF
if WB_PEER_INSTANCE=extra smoke_start "$here/mariadb.sh" "$SMOKE_TMP/extra.cnf"; then
	tap_ok "second mariadb with an extra option file started on port $WB_MYSQL_PORT"
else
	tap_not_ok "second mariadb start with an extra option file"
	tap_bail "cannot start the second mariadb"
fi
b_pid=$WB_MYSQL_PID
tap_is "extra option file applies; bind stays on loopback" \
	"$(my "$WB_MYSQL_CLIENT_CNF" -e 'SELECT @@max_connections, @@bind_address' | tr '\t' ' ' || true)" \
	"77 127.0.0.1"
tap_is "first instance keeps the default max_connections" \
	"$(my "$a_cnf" -e 'SELECT @@max_connections' || true)" 151

"$here/mariadb.sh" stop
"$here/mariadb.sh" stop extra
# On a loaded machine the exit can lag the stop a little: allow for it.
if ! peer_wait_dead 10 "$a_pid" "$b_pid" ||
	[ -e "$WB_PEER_DIR/mariadb" ] || [ -e "$WB_PEER_DIR/mariadb-extra" ]; then
	echo "# after stop: pids $a_pid $b_pid: $(ps -o pid=,stat=,args= -p "$a_pid,$b_pid" 2>/dev/null | tr '\n' ';')"
	echo "# state left: $(ls -d "$WB_PEER_DIR"/mariadb* 2>/dev/null | tr '\n' ' ')"
	tap_not_ok "stop ends both servers and removes their state"
else
	tap_ok "stop ends both servers and removes their state"
fi

tap_done
