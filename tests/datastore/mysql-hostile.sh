#!/bin/bash
# SQL injection through `mysql bootstrap` and the rendered bootstrap.sql,
# against MariaDB on loopback under both sql_modes (backslash escapes on,
# and NO_BACKSLASH_ESCAPES): for each hostile password, bootstrap (twice)
# and the rendered file fed to the mariadb client create the database and
# the user and nothing else (no injected_db), and the user logs in with
# exactly the password.  Hostile database and user names are refused
# (exit 2, naming the key) before anything is sent.
set -u
. "$WB_SRCDIR/tests/datastore/lib.sh"
peers=$WB_SRCDIR/tests/peers

for c in mariadbd mariadb-install-db mariadb; do
	command -v "$c" >/dev/null 2>&1 || { echo "1..0 # SKIP $c is not installed"; exit 0; }
done

tmp=$(mktemp -d)
export WB_PEER_DIR=$tmp/peers XDG_STATE_HOME=$tmp/state
export WBINSTALL_DATADIR=$WB_SRCDIR
cleanup() {
	WB_PEER_INSTANCE=hostile "$peers/mariadb.sh" stop >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
out=$(WB_PEER_INSTANCE=hostile "$peers/mariadb.sh" start 2>"$tmp/start.log") &&
	eval "$out" || {
	echo "1..0 # SKIP MariaDB did not start: $(tail -n1 "$tmp/start.log")"
	exit 0
}
sql() { mariadb --defaults-extra-file="$WB_MYSQL_CLIENT_CNF" -N -B -e "$1"; }
export T_ADMIN=$WB_MYSQL_ADMIN_PASSWORD T_PW

# The passwords: each tries to end its literal under one of the two modes
# (or the client's parsing) and run a statement of its own.
pws=(
	"x\\' ; CREATE DATABASE injected_db; -- "
	"x' ; CREATE DATABASE injected_db; -- "
	"x\\\\'; CREATE DATABASE injected_db; #"
	"x''\\'; CREATE DATABASE injected_db; /* */"
	"ends in a backslash \\"
	$'two\nlines\'; CREATE DATABASE injected_db; -- \nthird'
	$'tab\tand CR\r and "double" and `back`tick` '
	"\\0 \\Z \\n \\\\ \\' \\\" as text"
	"한글 ' π \\ 🔑 ; DROP DATABASE mysql; --"
	"%_ wildcards ; \\G \\q \\! echo injected"
	"\\'); CREATE DATABASE injected_db; SELECT ('"
	"'''''''''''''\\\\\\\\\\\\'"
)

# login USER PASSWORD DB: the user logs in with exactly PASSWORD.
login() {
	MYSQL_PWD=$2 mariadb --no-defaults --protocol=tcp -h "$WB_MYSQL_HOST" \
		-P "$WB_MYSQL_PORT" -u "$1" -N -B -e 'SELECT CURRENT_USER()' "$3" 2>&1
}
injected() { sql "SHOW DATABASES LIKE 'injected\\_db'" | grep -q .; }

for mode in "" NO_BACKSLASH_ESCAPES; do
	name=${mode:-default}
	sql "SET GLOBAL sql_mode = '$mode'"
	[ "$(sql 'SELECT @@GLOBAL.sql_mode')" = "$mode" ]
	ok $? "$name: the server's sql_mode is '$mode'"
	bad_boot= bad_file=
	for i in "${!pws[@]}"; do
		T_PW=${pws[$i]}
		# Names the answers allow, with '$', '.' and '-'.
		db=wb\$b_${name:0:1}$i user=u\$.${name:0:1}-$i
		answers "$tmp/a.yaml" "mysql:" "  host: 127.0.0.1" \
			"  port: $WB_MYSQL_PORT" "  database: $db" "  user: $user" \
			"  password: {env: T_PW}" "  admin:" "    user: root" \
			"    password: {env: T_ADMIN}"
		"$WBINSTALL" --log "$tmp/log" mysql bootstrap --answers "$tmp/a.yaml" \
			>"$tmp/b.out" 2>&1 &&
			"$WBINSTALL" --log "$tmp/log" mysql bootstrap --answers "$tmp/a.yaml" \
			>>"$tmp/b.out" 2>&1
		rc=$?
		got=$(login "$user" "$T_PW" "$db")
		if [ $rc -ne 0 ] || injected || [ "$got" != "$user@%" ] ||
			[ "$(sql "SHOW DATABASES LIKE '${db//\$/\\\$}'")" != "$db" ]; then
			bad_boot="$bad_boot $i"
			diag "$name: password $i: exit $rc, login: $got" "$(cat "$tmp/b.out")"
			sql 'DROP DATABASE IF EXISTS injected_db'
		fi
		# The rendered file, fed to the client as the file says to.
		db=wf\$b_${name:0:1}$i user=f\$.${name:0:1}-$i
		answers "$tmp/r.yaml" "mysql:" "  host: 127.0.0.1" \
			"  port: $WB_MYSQL_PORT" "  database: $db" "  user: $user" \
			"  password: {env: T_PW}"
		rm -rf "$tmp/r"
		"$WBINSTALL" render --answers "$tmp/r.yaml" --out "$tmp/r" \
			>"$tmp/r.out" 2>&1 &&
			mariadb --defaults-extra-file="$WB_MYSQL_CLIENT_CNF" \
			<"$tmp/r/mysql/bootstrap.sql" >>"$tmp/r.out" 2>&1
		rc=$?
		got=$(login "$user" "$T_PW" "$db")
		if [ $rc -ne 0 ] || injected || [ "$got" != "$user@%" ]; then
			bad_file="$bad_file $i"
			diag "$name: password $i, rendered: exit $rc, login: $got" "$(cat "$tmp/r.out")"
			sql 'DROP DATABASE IF EXISTS injected_db'
		fi
	done
	[ -z "$bad_boot" ]
	ok $? "$name: mysql bootstrap with ${#pws[@]} hostile passwords: no injected statement, the user logs in with each exact password${bad_boot:+ (failed:$bad_boot)}"
	[ -z "$bad_file" ]
	ok $? "$name: the rendered bootstrap.sql, fed to the mariadb client, likewise${bad_file:+ (failed:$bad_file)}"
done

# The password is in no output and no log line.
leak=
for i in "${!pws[@]}"; do
	grep -rqF -- "${pws[$i]}" "$tmp/log" "$tmp/b.out" && leak="$leak $i"
done
[ -z "$leak" ]
ok $? "no password is in the log or the output${leak:+ (found:$leak)}"

# Hostile database and user names: refused before anything is sent.
T_PW=plain-password
for pair in 'database|x`; CREATE DATABASE injected_db; -- ' \
	"database|x' OR '1" "user|u'@'%'; CREATE DATABASE injected_db; -- " \
	'user|u`x' 'database|a\' 'user|r\\' "database|$(printf 'x\ny')"; do
	key=${pair%%|*} val=${pair#*|}
	if [ "$key" = database ]; then d=$val u=okuser; else d=okdb u=$val; fi
	answers "$tmp/n.yaml" "mysql:" "  host: 127.0.0.1" \
		"  port: $WB_MYSQL_PORT" "  database: '${d//\'/\'\'}'" \
		"  user: '${u//\'/\'\'}'" "  password: {env: T_PW}" "  admin:" \
		"    user: root" "    password: {env: T_ADMIN}"
	"$WBINSTALL" mysql bootstrap --answers "$tmp/n.yaml" >"$tmp/n.out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q "mysql.$key" "$tmp/n.out" && ! injected
	ok $? "mysql.$key $(printf %q "$val"): exit 2 naming mysql.$key, nothing created"
	[ $rc -eq 2 ] || diag "exit $rc: $(cat "$tmp/n.out")"
done
sql "SET GLOBAL sql_mode = DEFAULT"
done_testing
