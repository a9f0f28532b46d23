#!/usr/bin/env bash
# The wizard's actions call the core: Review's F3 shows what render_build()
# makes (secret files by name only), and F4 on Database and Object storage
# runs the preflight families, here against a closed port (no peer).
set -u
. "$(dirname "$0")/lib.sh"
tui_need
export WBINSTALL_DATADIR=$WB_SRCDIR
port=$(python3 -c 'import socket; s = socket.socket();
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$tui_work/answers.yaml" <<EOA
version: 1
deployment:
  products: models
  environment: test
  platform: kubernetes
domain:
  fqdn: wb-it.example.org
license:
  value: {file: license.secret}
targets:
  - host: 127.0.0.1
    roles: [app]
mysql:
  host: 127.0.0.1
  port: $port
  database: wandb_local
  user: wandb_local
  password: {file: mysql.secret}
storage:
  provider: s3
  endpoint: 127.0.0.1:$port
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {file: s3-access.secret}
  secret_key: {file: s3-secret.secret}
EOA
for s in license mysql s3-access s3-secret; do
	(umask 077; echo "SECRET-$s-42" >"$tui_work/$s.secret")
done
TUI_ENV="WBINSTALL_DATADIR='$WB_SRCDIR'"

tui_start wizard --answers "$tui_work/answers.yaml" \
    --write-answers "$tui_work/out.yaml"
tui_title Welcome; must $? "the wizard starts on Welcome"
tui_keys F10
tui_title Review; must $? "F10 goes to Review"
tui_wait "F3 shows the files"; check $? "Review tells about F3"
tui_keys F3
tui_wait "Rendered files"; must $? "F3 lists the rendered files"
tui_screen | grep -q "k8s/secrets.yaml *(holds secrets; not shown)"
check $? "a secret file is listed by name only"
scr=$(tui_screen)
top=$(printf '%s\n' "$scr" | grep -n "Rendered files" | cut -d: -f1)
row=$(printf '%s\n' "$scr" | grep -n "storage/cors.xml" | cut -d: -f1)
must $((!(${top:-0} > 0 && ${row:-0} > top + 1))) "storage/cors.xml is listed"
for ((i = top + 2; i < row; i++)); do tui_keys Down; done
tui_keys Enter
tui_wait "https://wb-it.example.org"
check $? "Enter shows storage/cors.xml with the FQDN in it"
tui_keys Escape
tui_gone "https://wb-it.example.org"; check $? "Esc closes the file"
srow=$(tui_screen | grep -n "k8s/secrets.yaml" | cut -d: -f1)
for ((i = row; i > srow; i--)); do tui_keys Up; done
tui_keys Enter
sleep 0.3
! tui_screen | grep -qF -e "SECRET-" -e "lines 1-"
check $? "Enter on a secret file shows nothing"
tui_keys Escape
tui_gone "Rendered files"; check $? "Esc closes the list"

tui_keys Escape
tui_title Preflight; must $? "Esc goes back to Preflight"
tui_keys Escape
tui_title "Object storage"; must $? "Esc again: Object storage"
tui_wait "F4 tests the bucket"; check $? "Object storage tells about F4"
tui_keys F4
tui_wait "Test: storage" 20; must $? "F4 runs the storage checks"
tui_screen | grep -q "✘ .*storage.connect"
check $? "storage.connect fails on a closed port"
tui_keys Escape
tui_gone "Test: storage"
tui_screen | grep -q "storage: 0 pass, 0 warn, 1 fail"
check $? "the status line sums the results up"
tui_keys Escape
tui_title Database; must $? "Esc goes back to Database"
tui_keys F4
tui_wait "Test: mysql" 20; must $? "F4 runs the mysql checks"
tui_screen | grep -q "✘ .*mysql.connect"
check $? "mysql.connect fails on a closed port"
tui_screen | grep -q "cannot connect to 127.0.0.1:$port"
check $? "with its message"
tui_screen | grep -q "– .*mysql.version"
check $? "the checks that depend on it are skipped"
tui_keys Escape
tui_gone "Test: mysql"
! grep -rqF "SECRET-" "$tui_work/state"
ok $? "no secret in the log"
rm -f "$tui_work/license.secret"
tui_keys F10
tui_title Review; must $? "F10 goes to Review again"
tui_keys F3
tui_wait "The files cannot be rendered"
check $? "a secret that does not resolve: F3 says the files cannot be made"
tui_screen | grep -q "license"
check $? "naming the secret"
tui_keys Escape
tui_gone "The files cannot be rendered"
tui_keys C-c y
rc=$(tui_exit)
[ "$rc" = 1 ]; check $? "Ctrl-C y quits (got $rc)"
done_testing
