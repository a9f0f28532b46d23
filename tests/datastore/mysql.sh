#!/bin/bash
# The "mysql" preflight family and `wbinstall mysql bootstrap` against
# MariaDB on loopback, started once with the seeds' parameter group and
# once without: the version rule flags MariaDB, each parameter check
# reports the value the server has, bootstrap creates what the seed SQL
# creates, twice, with a password holding quotes, and never shows it.
set -u
. "$WB_SRCDIR/tests/datastore/lib.sh"
peers=$WB_SRCDIR/tests/peers

for c in mariadbd mariadb-install-db mariadb; do
	command -v "$c" >/dev/null 2>&1 || { echo "1..0 # SKIP $c is not installed"; exit 0; }
done

tmp=$(mktemp -d)
export WB_PEER_DIR=$tmp/peers XDG_STATE_HOME=$tmp/state WB_TEST_LOG=$tmp/log
cleanup() {
	WB_PEER_INSTANCE=grp "$peers/mariadb.sh" stop >/dev/null 2>&1
	WB_PEER_INSTANCE=plain "$peers/mariadb.sh" stop >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
# start INSTANCE [CNF]: start a server; its port, admin password and client
# option file go to ${INSTANCE}_port, _pw and _cnf.
start() {
	local out
	out=$(WB_PEER_INSTANCE=$1 "$peers/mariadb.sh" start ${2:+"$2"} 2>"$tmp/start-$1.log") &&
		eval "$out" || return 1
	printf -v "$1_port" '%s' "$WB_MYSQL_PORT"
	printf -v "$1_pw" '%s' "$WB_MYSQL_ADMIN_PASSWORD"
	printf -v "$1_cnf" '%s' "$WB_MYSQL_CLIENT_CNF"
	printf -v "$1_sock" '%s' "$WB_MYSQL_SOCKET"
}
if ! start grp "$WB_SRCDIR/tests/datastore/params.cnf" || ! start plain; then
	echo "1..0 # SKIP MariaDB did not start: $(cat "$tmp"/start-*.log | tail -n1)"
	exit 0
fi
# sql INSTANCE SQL: run SQL as the server's root, tab-separated output.
sql() {
	local cnf=${1}_cnf
	mariadb --defaults-extra-file="${!cnf}" -N -B -e "$2"
}

# The application password holds both quotes, a backslash and a semicolon.
export T_PW="it's \"quoted\"; \\ ok" T_ADMIN
# db INSTANCE FILE [DB USER]: answers for INSTANCE's server.
db() {
	local port=${1}_port
	answers "$2" "mysql:" "  host: 127.0.0.1" "  port: ${!port}" \
		"  database: ${3:-wandb_local}" "  user: ${4:-wandb_local}" \
		"  password: {env: T_PW}" "  admin:" "    user: root" \
		"    password: {env: T_ADMIN}"
}

# 1. Before bootstrap, the user does not exist.  With mysql.admin, the
# check looks: a warning that names the bootstrap, and the server's own
# checks run as the admin.  Without one (or with a wrong admin password),
# the refusal stands.
T_ADMIN=$grp_pw
db grp "$tmp/grp.yaml"
"$RUN_FAMILY" mysql "$tmp/grp.yaml" >"$tmp/r0.json"
ok $(($? != 1)) "no such user yet: exit 1 (the version)"
expect "$tmp/r0.json" mysql.connect warn "wbinstall mysql bootstrap"
expect "$tmp/r0.json" mysql.connect warn "do not exist yet"
expect "$tmp/r0.json" mysql.version fail "MariaDB"
expect "$tmp/r0.json" mysql.param.sync_binlog pass
expect "$tmp/r0.json" mysql.charset skip "the bootstrap creates"
expect "$tmp/r0.json" mysql.grants skip "the bootstrap grants"
T_ADMIN=not-the-admin-pw "$RUN_FAMILY" mysql "$tmp/grp.yaml" >"$tmp/r0b.json"
expect "$tmp/r0b.json" mysql.connect fail "wrong password"
expect "$tmp/r0b.json" mysql.version skip "cannot connect"
# A user that exists, and a database that does not yet: a warning too.
sql grp "CREATE USER 'lone_user'@'%' IDENTIFIED BY 'lone-pw-1'"
answers "$tmp/lone.yaml" "mysql:" "  host: 127.0.0.1" "  port: $grp_port" \
	"  database: lone_db" "  user: lone_user" "  password: {value: lone-pw-1}" \
	"  admin:" "    user: root" "    password: {env: T_ADMIN}"
"$RUN_FAMILY" mysql "$tmp/lone.yaml" >"$tmp/r0c.json"
expect "$tmp/r0c.json" mysql.connect pass
expect "$tmp/r0c.json" mysql.charset warn "wbinstall mysql bootstrap"
expect "$tmp/r0c.json" mysql.grants skip "the bootstrap grants"

# 2. Refused and unknown host get their own messages.
port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
answers "$tmp/refused.yaml" "mysql:" "  host: 127.0.0.1" "  port: $port" \
	"  password: {env: T_PW}"
"$RUN_FAMILY" mysql "$tmp/refused.yaml" >"$tmp/r1.json"
expect "$tmp/r1.json" mysql.connect fail "connection refused"
answers "$tmp/unknown.yaml" "mysql:" "  host: no-such-host.invalid" \
	"  password: {env: T_PW}"
"$RUN_FAMILY" mysql "$tmp/unknown.yaml" >"$tmp/r2.json"
expect "$tmp/r2.json" mysql.connect fail "unknown host no-such-host.invalid"

# 3. Bootstrap, twice.
"$WBINSTALL" --log "$tmp/log" mysql bootstrap --answers "$tmp/grp.yaml" >"$tmp/b1.out" 2>&1
ok $? "bootstrap: exit 0"
"$WBINSTALL" --log "$tmp/log" mysql bootstrap --answers "$tmp/grp.yaml" >"$tmp/b2.out" 2>&1
ok $? "bootstrap again: exit 0"
grep -q "wandb_local" "$tmp/b2.out"
ok $? "bootstrap says what is ready"

# It creates what the seed SQL creates (run here under other names).
if ! ls "${WB_SHARED:-}"/seeds/*.txt >/dev/null 2>&1; then
	for t in "the seed SQL is three statements" "the seed SQL runs" \
	    "database and grants are those of the seed SQL"; do
		skip "$t: no seeds in the shared directory (WB_SHARED=${WB_SHARED:-unset})"
	done
else
sed -n '/^CREATE USER/,/^GRANT/p' "$WB_SHARED"/seeds/*.txt | head -n3 |
	sed 's/wandb_local/seed_local/g' >"$tmp/seed.sql"
[ "$(wc -l <"$tmp/seed.sql")" -eq 3 ]
ok $? "the seed SQL is three statements"
sql grp "$(cat "$tmp/seed.sql")"
ok $? "the seed SQL runs"
norm() { sed -e "s/$1/NAME/g" -e "s/IDENTIFIED BY PASSWORD '[^']*'/PW/"; }
ours=$( (sql grp 'SHOW CREATE DATABASE wandb_local'
	sql grp "SHOW GRANTS FOR 'wandb_local'@'%'") | norm wandb_local)
seed=$( (sql grp 'SHOW CREATE DATABASE seed_local'
	sql grp "SHOW GRANTS FOR 'seed_local'@'%'") | norm seed_local)
[ -n "$ours" ] && [ "$ours" = "$seed" ]
ok $? "database and grants are those of the seed SQL"
[ "$ours" = "$seed" ] || diag "ours: $ours" "seed: $seed"
fi

# A wrong admin password fails, without any password in the message.
T_ADMIN=wrong "$WBINSTALL" --log "$tmp/log" mysql bootstrap --answers "$tmp/grp.yaml" >"$tmp/b3.out" 2>&1
ok $(($? != 1)) "bootstrap with a wrong admin password: exit 1"
grep -q "refused user root" "$tmp/b3.out" && ! grep -qF "$grp_pw" "$tmp/b3.out"
ok $? "it says so, without the password"
# No admin: bad usage.
answers "$tmp/noadmin.yaml" "mysql:" "  host: 127.0.0.1" "  password: {env: T_PW}"
"$WBINSTALL" mysql bootstrap --answers "$tmp/noadmin.yaml" >"$tmp/b4.out" 2>&1
ok $(($? != 2)) "bootstrap without mysql.admin.user: exit 2"

# 4. With the parameter group: everything but the version passes.
"$RUN_FAMILY" mysql "$tmp/grp.yaml" >"$tmp/r3.json"
ok $(($? != 1)) "MariaDB with the group: exit 1 (the version)"
expect "$tmp/r3.json" mysql.connect pass
expect "$tmp/r3.json" mysql.version fail "MariaDB is not MySQL; W&B requires MySQL 8"
expect "$tmp/r3.json" mysql.charset pass
expect "$tmp/r3.json" mysql.grants pass
params=$(sed -n 's/^\([a-z_]*\) = .*/\1/p' "$WB_SRCDIR/tests/datastore/params.cnf")
for p in $params; do
	want=$(sql grp "SELECT @@GLOBAL.$p")
	[ "$(field "$tmp/r3.json" "mysql.param.$p" observed)" = "$want" ] &&
		[ "$(field "$tmp/r3.json" "mysql.param.$p" status)" = pass ]
	ok $? "with the group: $p = $want passes"
done

# 5. Without it: each check reports the server's own value.
T_ADMIN=$plain_pw
db plain "$tmp/plain.yaml"
"$WBINSTALL" --log "$tmp/log" mysql bootstrap --answers "$tmp/plain.yaml" >/dev/null 2>&1
ok $? "bootstrap on the second server"
"$RUN_FAMILY" mysql "$tmp/plain.yaml" >"$tmp/r4.json"
nfail=0
for p in $params; do
	want=$(sql plain "SELECT @@GLOBAL.$p")
	req=$(sed -n "s/^$p = //p" "$WB_SRCDIR/tests/datastore/params.cnf")
	st=pass
	[ "$want" = "$req" ] || { st=fail; nfail=$((nfail + 1)); }
	[ "$(field "$tmp/r4.json" "mysql.param.$p" observed)" = "$want" ] &&
		[ "$(field "$tmp/r4.json" "mysql.param.$p" status)" = $st ]
	ok $? "without the group: $p = $want ($st)"
done
[ "$nfail" -ge 4 ]
ok $? "without the group, $nfail parameters fail"
expect "$tmp/r4.json" mysql.param.binlog_format fail "SET PERSIST binlog_format = 'ROW';"

# 6. A database in latin1 and a user without ALL are flagged.
sql plain "CREATE DATABASE latin_db CHARACTER SET latin1; CREATE USER 'weak'@'%' IDENTIFIED BY 'weak'; GRANT SELECT ON latin_db.* TO 'weak'@'%';"
answers "$tmp/weak.yaml" "mysql:" "  host: 127.0.0.1" "  port: $plain_port" \
	"  database: latin_db" "  user: weak" "  password: {value: \"weak\"}"
"$RUN_FAMILY" mysql "$tmp/weak.yaml" >"$tmp/r5.json"
expect "$tmp/r5.json" mysql.charset fail "utf8mb4"
expect "$tmp/r5.json" mysql.grants fail "INSERT"

# 7. local_infile (W&B's bulk inserts need it): OFF fails, naming the fix;
# ON passes.
sql plain "SET GLOBAL local_infile = 0"
"$RUN_FAMILY" mysql "$tmp/weak.yaml" >"$tmp/r6.json"
expect "$tmp/r6.json" mysql.local_infile fail "SET PERSIST local_infile = ON"
sql plain "SET GLOBAL local_infile = 1"
"$RUN_FAMILY" mysql "$tmp/weak.yaml" >"$tmp/r7.json"
expect "$tmp/r7.json" mysql.local_infile pass

# 8. TLS: the peer offers none, which warns (chart 0.43.8: tls=preferred,
# no CA); under require_secure_transport the connection fails.  MariaDB
# refuses it as access denied; MySQL's own error (3159) is named by
# connect_error.
"$RUN_FAMILY" mysql "$tmp/weak.yaml" >"$tmp/r8.json"
expect "$tmp/r8.json" mysql.tls warn "not be encrypted"
sql plain "SET GLOBAL require_secure_transport = ON"
"$RUN_FAMILY" mysql "$tmp/weak.yaml" >"$tmp/r9.json"
expect "$tmp/r9.json" mysql.connect fail
# Over TCP the client is now refused too: back through the socket.
(umask 077; printf '[client]\nuser=root\npassword=%s\nsocket=%s\n' "$plain_pw" "$plain_sock" >"$tmp/sock.cnf")
mariadb --defaults-file="$tmp/sock.cnf" -e "SET GLOBAL require_secure_transport = OFF"
"$RUN_FAMILY" mysql "$tmp/weak.yaml" >"$tmp/r10.json"
expect "$tmp/r10.json" mysql.connect pass

# 9. The app's own login (mysql.app_connect): the URL the render gives
# the app, read back as the app reads it.  A password with the URL's
# delimiters round-trips; a wrong port or user fails and says which.
expect "$tmp/r3.json" mysql.app_connect pass "as wandb_local with the URL"
[ "$(field "$tmp/r3.json" mysql.app_connect observed)" = \
    "mysql://wandb_local:***@127.0.0.1:$grp_port/wandb_local?tls=preferred" ]
ok $? "app_connect shows the chart's URL, the password masked"
expect "$tmp/r0.json" mysql.app_connect skip "the bootstrap creates user"
expect "$tmp/r0c.json" mysql.app_connect skip "the bootstrap creates database"
export T_URLPW='p@ss:w/rd?x#y%41%'
sql plain "CREATE DATABASE url_db CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; CREATE USER 'url_user'@'%' IDENTIFIED BY 'p@ss:w/rd?x#y%41%'; GRANT ALL ON url_db.* TO 'url_user'@'%';"
for platform in kubernetes baremetal; do
	answers "$tmp/url-$platform.yaml" "deployment:" "  platform: $platform" \
		"mysql:" "  host: 127.0.0.1" "  port: $plain_port" \
		"  database: url_db" "  user: url_user" "  password: {env: T_URLPW}"
	"$RUN_FAMILY" mysql "$tmp/url-$platform.yaml" >"$tmp/r11-$platform.json"
	expect "$tmp/r11-$platform.json" mysql.connect pass
	expect "$tmp/r11-$platform.json" mysql.app_connect pass "url_user"
done
[ "$(field "$tmp/r11-baremetal.json" mysql.app_connect observed)" = \
    "mysql://url_user:***@127.0.0.1:$plain_port/url_db" ]
ok $? "bare metal: wandb.env's URL, the password masked"
expect "$tmp/r1.json" mysql.app_connect fail "port $port"
[ "$(field "$tmp/r1.json" mysql.app_connect hint)" != "" ]
ok $? "a wrong port: the hint says what to check"
answers "$tmp/nouser.yaml" "mysql:" "  host: 127.0.0.1" "  port: $plain_port" \
	"  database: url_db" "  user: no_such_user" "  password: {env: T_URLPW}"
"$RUN_FAMILY" mysql "$tmp/nouser.yaml" >"$tmp/r12.json"
expect "$tmp/r12.json" mysql.connect fail
expect "$tmp/r12.json" mysql.app_connect fail "user no_such_user"
expect "$tmp/r2.json" mysql.app_connect fail "host no-such-host.invalid"
! grep -rqF -- "$T_URLPW" "$tmp"/r1[12]*.json &&
	! grep -rqF -- 'p%40ss' "$tmp"/r1[12]*.json "$tmp/log"
ok $? "the URL's password, plain or encoded, is in no output"

# 10. The password is nowhere: not in the log, not in any output.
! grep -rqF -- "$T_PW" "$tmp/log" "$tmp"/*.out "$tmp"/*.json &&
	! grep -rqF -- "it\\'s" "$tmp/log" "$tmp"/*.out "$tmp"/*.json
ok $? "the password is in no log and no output"

done_testing
[ "$tap_failed" -eq 0 ]
