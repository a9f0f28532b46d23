#!/usr/bin/env bash
# The wizard's Upgrade mode: F5 on Review asks for the new bundle and the
# backup (a real mysqldump of the MariaDB peer, checked), shows what is
# installed, the requirements (they fail here: no MySQL, so it offers
# --force), the images, the diff and the steps as
# `upgrade --dry-run` prints them, changing nothing; then applies it live,
# and a failed verify is rolled back and reported.  A pre-operator install
# is offered its migration, and a downgrade is refused unless allowed.
# While helm renders the manifests, the dry run's view says so.  helm, kubectl and
# wandb are the stand-ins of tests/upgrade (a WeightsAndBiases resource
# that follows what was applied) on a control host behind a real sshd.
set -u
. "$(dirname "$0")/lib.sh"
tui_need
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
# shellcheck source=tests/upgrade/lib.sh
. "$WB_SRCDIR/tests/upgrade/lib.sh"
install_need nginx openssl python3 s3rver sshd ssh-keygen umoci mysqldump \
    mariadbd gzip
trap '"$PEERS/mariadb.sh" stop >/dev/null 2>&1; install_cleanup; tui_cleanup' EXIT
export WBINSTALL_DATADIR=$WB_SRCDIR

upgrade_site 4
peer_up mariadb
mariadb --defaults-file="$WB_MYSQL_CLIENT_CNF" \
    -e 'CREATE DATABASE wandb_local; CREATE TABLE wandb_local.runs (id INT PRIMARY KEY, name TEXT); INSERT INTO wandb_local.runs VALUES (1, "first run")'
setup_upgrade_standins
upgrade_authorize
upgrade_bundles 0.44.0 0.45.0 || {
	echo "1..0 # SKIP bundle create failed"
	exit 0
}

export WB_LICENSE=$(test_license) WB_S3_ACCESS_KEY WB_S3_SECRET_KEY
A=$T/site/answers.yaml
mkdir -p "$T/site"
LICENSE=$WB_LICENSE
CONTROL="  - host: $WB_SSHD_HOST
    port: $WB_SSHD_PORT
    roles: [control]"
install_answers "$T/ssh.yaml" nginx
CONTROL=
install_answers "$T/local.yaml" nginx
# On this machine, the database is the MariaDB peer: the dump is real.
sed -i -e "s/^  host: 127.0.0.1\$/  host: $WB_MYSQL_HOST/" \
    -e "s/^  port: 9\$/  port: $WB_MYSQL_PORT\n  user: root/" \
    -e "s/^  password: {value: .*}/  password: {env: WB_MYSQL_ADMIN_PASSWORD}/" \
    "$T/local.yaml"
BK=$T/backups
STATE=$T/site/.wbinstall-state
changing() { grep -Ev '^(helm (list|version|get|template)|kubectl (get|version)|sh -c)' "$STANDIN_LOG"; }
state() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(a["name"] + "=" + a["state"] for a in d["actions"]))' "$STATE/journal.json"; }

# wizard ANSWERS PATH [ARGS...]: start it, choose Upgrade, go to Review.
wizard() {
	local in=$1 path=$2
	shift 2
	tmux -L "$tui_sock" kill-server 2>/dev/null
	TUI_ENV="PATH=$path" \
	    tui_start wizard --answers "$in" --write-answers "$A" \
	    --ca-file "$T/pki/ca.pem" --wait-timeout 5 \
	    --connect-to "$FQDN:443:127.0.0.1:$PROXY_PORT" "$@"
	tui_title Welcome; must $? "the wizard starts"
	tui_keys Tab Left
	tui_wait "upgrade"; must $? "the Welcome screen offers the Upgrade mode"
	tui_keys F10
	tui_title Review; must $? "F10 goes to Review"
	tui_wait "F5 writes the answers, then upgrades"; check $? "Review tells about F5"
}

# upgrade VERSION [DUMP-DIR]: F5, the bundle, then a dump to DUMP-DIR, or
# none but a recent backup confirmed.
upgrade() {
	tui_keys F5
	tui_wait "The bundle of the release to upgrade to"; must $? "F5 asks for the bundle"
	tui_keys C-u
	tui_type "$T/wandb-$1.tar.zst"
	tui_keys Enter
	tui_wait "Back up the database first"; must $? "it offers the dump"
	if [ -n "${2:-}" ]; then
		tui_keys y
		tui_wait "Where the dump goes"; must $? "it asks where the dump goes"
		tui_keys C-u
		tui_type "$2"
		tui_keys Enter
	else
		tui_keys n
		tui_wait "Is there a recent backup"; must $? "or a recent backup"
		tui_keys y
	fi
	tui_wait "Upgrade plan (dry run)" 30; must $? "the dry run is shown"
}

# --- over SSH, with --force: what is installed, the requirements, the
# plan; nothing changed.  (Each command over SSH costs seconds here, so the
# upgrades themselves run the stand-ins on this machine.)
wizard "$T/ssh.yaml" "$PATH" --force
upgrade 0.44.0
[ -s "$A" ]; check $? "the answers are saved first"
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -q "Installed: 0.43.8 (from the WeightsAndBiases resource's status)" &&
    printf '%s\n' "$scr" | grep -q "Upgrade: 0.43.8 → 0.44.0" &&
    printf '%s\n' "$scr" | grep -q "helm release wandb-operator: chart operator 1.4.8, revision 3"
check $? "current → target, and the operator's helm release"
printf '%s\n' "$scr" | grep -q "✔ .*upgrade.kubernetes" &&
    printf '%s\n' "$scr" | grep -q "✘ .*mysql.connect"
check $? "the requirements are checked"
for ((i = 0; i < 8; i++)); do
	tui_screen | grep -q "wandb/local:one" && break
	tui_keys NPage
done
tui_screen | grep -q "wandb/local:one"; check $? "the images of the bundle"
for ((i = 0; i < 8; i++)); do
	tui_screen | grep -q '+ *tag: "0.44.0"' && break
	tui_keys NPage
done
tui_screen | grep -q '+ *tag: "0.44.0"'
check $? "the diff of the rendered values shows the new version"
tui_keys End
tui_wait "\$ wandb verify --host https://$FQDN"; check $? "the steps, to verify"
[ ! -e "$STATE" ] && [ -z "$(changing)" ]
check $? "the dry run changed nothing"
tui_keys Escape
tui_wait "Upgrade W&B from 0.43.8 to 0.44.0?"; must $? "then it asks"
tui_keys n
tui_wait "Nothing was upgraded."; check $? "no: nothing was upgraded"
[ ! -e "$STATE" ] && [ -z "$(changing)" ]; check $? "and nothing changed"

# --- on this machine, without --force: the requirements are not met and
# it offers --force; then the upgrade with a checked dump; then a failed
# verify, rolled back
wizard "$T/local.yaml" "$T/ustandins:$T/standins:$PATH"
upgrade 0.44.0 "$BK"
tui_keys End
tui_wait "the site does not meet the release's requirements"
check $? "the requirements are not met"
tui_keys Escape
tui_wait "Go on anyway (--force)?"; must $? "it offers --force"
tui_keys y
tui_wait "Upgrade plan (dry run)" 30; must $? "the dry run again"
tui_keys Escape
tui_wait "Upgrade W&B from 0.43.8 to 0.44.0?"; must $? "then it asks"
tui_keys y
tui_wait "Verify" 90; must $? "the upgrade runs to the end and shows the verify table"
tui_keys Escape
tui_wait "Upgraded: 0.43.8 → 0.44.0"; check $? "the report says upgraded"
tui_screen | grep -q "✔ upgrade-backup *done"
check $? "the backup step is done"
dump=$(echo "$BK"/wandb_local-*.sql.gz)
[ -s "$dump" ] && gzip -t "$dump" && zcat "$dump" | grep -q "first run" &&
    [ "$(stat -c %a "$dump")" = 600 ]
check $? "the dump is there, 0600, passes gzip -t and holds the data"
! grep -rqF "$WB_MYSQL_ADMIN_PASSWORD" "$STANDIN_LOG" "$tui_work/state"
check $? "the database password is in no command and no log"
grep -q "^helm upgrade --install wandb-operator operator" "$STANDIN_LOG" &&
    [ "$(cat "$T/cluster/wandb-version")" = 0.44.0 ]
check $? "the operator upgraded, the resource applied with version 0.44.0"
grep -q "wandb_version: 0.44.0" "$A"; check $? "the answers file says 0.44.0"
state | grep -q "upgrade-backup=done.*operator=done.*wandb-resource=done.*verify=done"
check $? "every step is journaled"
tui_keys Escape
tui_wait "Upgraded to 0.44.0."; check $? "the status line says upgraded"

rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
STANDIN_WANDB_EXIT=1 write_upgrade_env
upgrade 0.45.0
tui_keys Escape
tui_wait "Go on anyway (--force)?"; must $? "it offers --force again"
tui_keys y
tui_wait "Upgrade plan (dry run)" 30; must $? "the dry run again"
tui_keys Escape
tui_wait "Upgrade W&B from 0.44.0 to 0.45.0?"; must $? "0.44.0 → 0.45.0"
tui_keys y
tui_wait "failed and was rolled back" 90; must $? "the failed verify is rolled back"
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -q "✘ verify *failed" &&
    printf '%s\n' "$scr" | grep -q "Rolled back to 0.44.0"
check $? "verify's row is failed; the rollback is reported"
grep -qx "rollback wandb-operator 3 --namespace wandb --wait" "$T/cluster/rolled-back"
check $? "helm rollback to the operator's previous revision"
state | grep -q "upgrade-rollback=done"; check $? "the rollback is journaled"
tui_keys Escape
tui_wait "The upgrade did not finish"; check $? "the status line says so"

# --- a pre-operator install (helm chart wandb, 0.51.2): the migration is
# offered, then the downgrade to 0.45.0, then --force; no: nothing changes
rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
STANDIN_WANDB_EXIT=0 STANDIN_HELM_LIST=helm-list-preoperator.json \
    STANDIN_FAIL="kubectl get weightsandbiases" write_upgrade_env
upgrade 0.45.0
tui_wait "A pre-operator install: helm release wandb of chart wandb"
check $? "a pre-operator install is found"
tui_screen | grep -q "Installed: 0.51.2 (from the helm release of chart wandb)"
check $? "with its version"
tui_keys Escape
tui_wait "move it to the operator"; must $? "the migration is offered"
tui_keys y
tui_wait "Upgrade plan (dry run)" 30; tui_keys End
tui_wait "refusing a downgrade"; check $? "0.51.2 → 0.45.0 is a downgrade"
tui_keys Escape
tui_wait "Go to the older release anyway"; must $? "the downgrade is offered"
tui_keys y
tui_wait "Upgrade plan (dry run)" 30; tui_keys Escape
tui_wait "Go on anyway (--force)?"; must $? "then --force"
tui_keys y
tui_wait "Upgrade plan (dry run)" 30; tui_keys End
tui_wait "helm uninstall wandb --namespace wandb --wait"
check $? "the migration plan ends with the old release removed"
tui_keys Escape
tui_wait "Upgrade W&B from 0.51.2 to 0.45.0?"; must $? "then it asks"
tui_keys n
tui_wait "Nothing was upgraded."; check $? "no: nothing was upgraded"
[ -z "$(changing)" ]; check $? "and nothing changed"

# --- while helm renders the manifests (a bundle with a chart, the
# installed release's manifests from helm get manifest, and a helm
# template that takes 3 s), the dry run's view says so
printf 'apiVersion: v2\nname: operator-wandb\nversion: 0.46.0\n' >"$T/Chart.yaml"
mkdir -p "$T/mchart/operator-wandb" "$T/mcharts"
mv "$T/Chart.yaml" "$T/mchart/operator-wandb/"
tar -C "$T/mchart" -czf "$T/mcharts/operator-wandb-0.46.0.tgz" operator-wandb
printf 'name: wandb-server\nversion: 0.46.0\nserver_version: 0.46.0\nrequirements:\n  kubernetes: "1.29"\n  mysql: "8.0.0"\n  helm: "3.0.0"\nimages:\n  - wandb/local:one\ncharts:\n  - name: operator-wandb\n    version: 0.46.0\n' \
    >"$T/spec-0.46.0.yaml"
"$WBINSTALL" --log "$T/bundle.log" bundle create --spec "$T/spec-0.46.0.yaml" \
    --source "oci:$T/src" --charts "$T/mcharts" --out "$T/wandb-0.46.0.tar.zst" \
    --no-image-check >/dev/null 2>&1
must $? "a bundle with a chart"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: wandb-app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: wandb/local:0.44.0\n' \
    >"$T/cluster/manifest.yaml"
rm -f "$STANDIN_LOG" "$STANDIN_LOG".*
STANDIN_SLOW="helm template" write_upgrade_env
upgrade 0.46.0
tui_keys Escape
tui_wait "Go on anyway (--force)?"; must $? "it offers --force"
tui_keys y
tui_wait "Rendering with helm on this machine" 20
check $? "while helm renders the manifests, the wizard says so"
tui_wait "Upgrade plan (dry run)" 30; must $? "then the dry run"
grep -q "^helm template" "$STANDIN_LOG"; check $? "helm rendered the chart"
tui_keys Escape
tui_wait "to 0.46.0?"; must $? "then it asks"
tui_keys n
tui_wait "Nothing was upgraded."; check $? "no: nothing was upgraded"
rm -f "$T/cluster/manifest.yaml"

tui_keys F10
rc=$(tui_exit)
[ "$rc" = 0 ]; check $? "F10 saves and ends (got $rc)"
grep -q "wandb_version: 0.44.0" "$A"; check $? "after the rollback the answers still say 0.44.0"
done_testing
