#!/usr/bin/env bash
# F4 on Database against MariaDB on loopback, before the user exists: a
# warning that names 'wbinstall mysql bootstrap', its wrapped lines under
# their text, then the offer to run the bootstrap; yes creates the user
# and database and the checks run again, now connecting as the user.  A
# database dropped later is offered again, alone.
set -u
. "$(dirname "$0")/lib.sh"
tui_need mariadbd mariadb-install-db
peers=$WB_SRCDIR/tests/peers
export WB_PEER_DIR=$tui_work/peers
trap '"$peers/mariadb.sh" stop all >/dev/null 2>&1; tui_cleanup' EXIT
if ! env=$("$peers/mariadb.sh" start "$WB_SRCDIR/tests/datastore/params.cnf" \
    2>"$tui_work/mariadb.err"); then
	echo "1..0 # SKIP MariaDB did not start: $(tail -n 1 "$tui_work/mariadb.err")"
	exit 0
fi
eval "$env"
(umask 077
printf '%s\n' "$WB_MYSQL_ADMIN_PASSWORD" >"$tui_work/admin.secret"
echo "app-pw-$RANDOM$RANDOM" >"$tui_work/app.secret")
cat >"$tui_work/answers.yaml" <<EOA
version: 1
deployment:
  products: models
  environment: test
  platform: kubernetes
domain:
  fqdn: wandb.example.com
license:
  value: {value: "x"}
mysql:
  host: 127.0.0.1
  port: $WB_MYSQL_PORT
  database: tui_db
  user: tui_user
  password: {file: app.secret}
  admin:
    user: $WB_MYSQL_ADMIN_USER
    password: {file: admin.secret}
storage:
  provider: s3
  endpoint: 127.0.0.1:9
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {value: "a"}
  secret_key: {value: "b"}
EOA

tui_start wizard --answers "$tui_work/answers.yaml" \
    --write-answers "$tui_work/out.yaml"
tui_title Welcome; must $? "the wizard starts"
tui_keys F10
tui_title Review; must $? "F10 goes to Review"
tui_keys Escape Escape Escape
tui_title Database; must $? "back to Database"
tui_keys F4
tui_wait "Test: mysql" 20; must $? "F4 runs the checks"
scr=$(tui_screen)
grep -q "⚠ .*mysql.connect .*(no user yet)" <<<"$scr"
check $? "the missing user is a warning, not a refusal"
grep -q "wbinstall mysql bootstrap --answers" <<<"$scr"
check $? "it names the command that creates it"
grep -q "✔ .*mysql.param.sync_binlog" <<<"$scr"
check $? "the server's checks ran as the admin"
# The message wraps at 100 columns: its next line starts under its text
# (column 5 inside the box), and a row's under its target.
msg=$(grep -n "do not exist yet" <<<"$scr" | head -n1 | cut -d: -f1)
next=$(sed -n "$((${msg:-0} + 1))p" <<<"$scr")
[[ ${msg:-0} -gt 0 && $next =~ ^\ │\ {6}[^\ ] ]]
check $? "a wrapped message goes on under its text"
[ $? -eq 0 ] || diag "line after the message: '$next'"
row=$(grep -n "✘ .*mysql.version" <<<"$scr" | head -n1 | cut -d: -f1)
next=$(sed -n "$((${row:-0} + 1))p" <<<"$scr")
[[ ${row:-0} -gt 0 && $next =~ ^\ │\ {4}MySQL ]]
check $? "a wrapped row goes on under its target"
[ $? -eq 0 ] || diag "line after the row: '$next'"
tui_keys End
tui_wait "Summary:"
tui_screen | grep -A1 "–  .*mysql.app_connect" |
    grep -q "not run: the bootstrap creates user tui_user"
check $? "the app's own login has its row: not run before the bootstrap"
tui_keys Escape
tui_wait "User tui_user does not exist yet"; must $? "then the bootstrap is offered"
tui_screen | grep -q "wbinstall mysql"
check $? "the offer says which command it is"
tui_keys n
tui_gone "does not exist yet on"; check $? "no: nothing happens"
mariadb --defaults-extra-file="$WB_MYSQL_CLIENT_CNF" -N -B \
    -e "SELECT COUNT(*) FROM mysql.user WHERE User = 'tui_user'" \
    >"$tui_work/count" 2>&1
[ "$(cat "$tui_work/count")" = 0 ]; check $? "and no user was created"
tui_keys F4
tui_wait "Test: mysql" 20; must $? "F4 again"
tui_keys Escape
tui_wait "User tui_user does not exist yet"; must $? "offered again"
tui_keys y
tui_wait "and user 'tui_user'@'%' with ALL on it" 20
check $? "yes: the bootstrap says what is ready"
scr=$(tui_screen)
grep -q "✔ .*mysql.connect" <<<"$scr"
check $? "and the checks, run again, connect as the user"
tui_keys End
tui_wait "Summary:"
scr=$(tui_screen)
grep -q "Summary: 12 pass, 1 warn, 1 fail" <<<"$scr"
check $? "everything but the version (MariaDB) and TLS (the peer has none) passes"
grep -q "✔ .*mysql.app_connect .*mysql://tui_user:\*\*\*@" <<<"$scr"
check $? "the app's login passes like the others, its URL shown, the password masked"
tui_keys Escape
tui_gone "Test: mysql"
tui_screen | grep -q "does not exist yet on"
[ $? -ne 0 ]; check $? "nothing more is offered"

# The user stays, the database goes: F4 offers the bootstrap for it.
mariadb --defaults-extra-file="$WB_MYSQL_CLIENT_CNF" -e "DROP DATABASE tui_db"
tui_keys F4
tui_wait "Test: mysql" 20; must $? "F4 with the database dropped"
tui_keys End
tui_wait "Summary:"
tui_screen | grep -q "⚠ .*mysql.charset .*(no database)"
check $? "the missing database is a warning"
tui_keys Escape
tui_wait "Database tui_db does not exist yet"; must $? "its bootstrap is offered"
tui_keys y
tui_wait "and user 'tui_user'@'%' with ALL on it" 20
check $? "yes: the bootstrap creates it"
tui_keys End
tui_wait "Summary:"
tui_screen | grep -q "Summary: 12 pass, 1 warn, 1 fail"
check $? "and the checks pass but the version and TLS again"
tui_keys Escape
tui_gone "Test: mysql"
tui_keys C-c y
[ "$(tui_exit)" = 1 ]; check $? "quit"
done_testing
