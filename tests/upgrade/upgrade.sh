#!/bin/bash
# wbinstall upgrade, between two test bundles: helm, kubectl and wandb are
# stand-ins on a control host (also the db host) behind a real sshd; the
# backup is the real mysqldump there against the MariaDB peer; verify
# reaches nginx (test CA) in front of a small upstream and s3rver.
# The dry run changes nothing; a downgrade is refused; the requirements
# stop it; the upgrade with a checked dump; a failed verify rolls back; a
# pre-operator install is found, its migration plan shown and run, and a
# failed migration taken back.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
# shellcheck source=tests/upgrade/lib.sh
. "$WB_SRCDIR/tests/upgrade/lib.sh"
install_need nginx openssl python3 s3rver sshd ssh-keygen umoci mysqldump \
    mariadbd gzip
export WBINSTALL_DATADIR=$WB_SRCDIR

upgrade_site 5
peer_up mariadb
trap '"$PEERS/mariadb.sh" stop >/dev/null 2>&1; install_cleanup' EXIT
mariadb --defaults-file="$WB_MYSQL_CLIENT_CNF" \
    -e 'CREATE DATABASE wandb_local; CREATE TABLE wandb_local.runs (id INT PRIMARY KEY, name TEXT); INSERT INTO wandb_local.runs VALUES (1, "first run")'
setup_upgrade_standins
upgrade_authorize

# --- two test bundles and an older one
upgrade_bundles 0.44.0 0.45.0 0.42.0 0.52.0 || {
	echo "1..0 # SKIP bundle create failed"
	exit 0
}

export WB_LICENSE=$(test_license) WB_S3_ACCESS_KEY WB_S3_SECRET_KEY \
    WB_MYSQL_ADMIN_PASSWORD
A=$T/site/answers.yaml
mkdir -p "$T/site"
cat >"$A" <<YAML
version: 1
deployment:
  platform: kubernetes
  environment: test
  wandb_version: 0.43.8
domain:
  fqdn: $FQDN
license:
  value: {env: WB_LICENSE}
ssh:
  user: $WB_SSHD_USER
  identity: $WB_SSHD_IDENTITY
  known_hosts: $WB_SSHD_KNOWN_HOSTS
targets:
  - host: $WB_SSHD_HOST
    port: $WB_SSHD_PORT
    roles: [app, control, db]
kubernetes:
  namespace: wandb
mysql:
  host: $WB_MYSQL_HOST
  port: $WB_MYSQL_PORT
  user: root
  password: {env: WB_MYSQL_ADMIN_PASSWORD}
storage:
  provider: s3
  endpoint: $WB_S3_ENDPOINT
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {env: WB_S3_ACCESS_KEY}
  secret_key: {env: WB_S3_SECRET_KEY}
YAML
STATE=$T/site/.wbinstall-state
BK=$T/backups
upgrade() {	# NAME BUNDLE-VERSION [ARGS...]: $T/NAME.out, $T/NAME.rc
	local name=$1 v=$2
	shift 2
	"$WBINSTALL" --log "$T/wbinstall.log" upgrade --answers "$A" \
	    --connect-to "$FQDN:443:127.0.0.1:$PROXY_PORT" \
	    --bundle "$T/wandb-$v.tar.zst" --backup-dir "$BK" \
	    --ca-file "$T/pki/ca.pem" --wait-timeout 5 "$@" >"$T/$name.out" 2>&1
	echo $? >"$T/$name.rc"
}
changing() { grep -Ev '^(helm (list|version|get|template)|kubectl (get|version))' "$STANDIN_LOG"; }
state() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(a["name"] + "=" + a["state"] for a in d["actions"]))' "$STATE/journal.json"; }
fresh() { rm -f "$STANDIN_LOG" "$STANDIN_LOG".*; }

# --- the dry run: what is there, what changes; nothing changes
upgrade dry 0.44.0 --dry-run --force
ok "$(cat "$T/dry.rc")" "dry run: exit 0"
grep -q "^Installed: 0.43.8 (from the WeightsAndBiases resource's status)" "$T/dry.out" &&
    grep -q "^Upgrade: 0.43.8 → 0.44.0" "$T/dry.out"
ok $? "dry run: current → target, from the resource's status"
grep -q "helm release wandb-operator: chart operator 1.4.8, revision 3" "$T/dry.out"
ok $? "dry run: the operator's helm release"
grep -q "^+ *tag: \"0.44.0\"" "$T/dry.out"
ok $? "dry run: the diff of the rendered files shows the new version"
grep -q "wandb/local:one" "$T/dry.out"
ok $? "dry run: the images of the bundle"
# A bundle's version is its chart's, not a W&B server version: a bundle
# whose spec names no server_version pins none, so the W&B images keep
# the bundle's own tags (no wandb/local:0.46.0, which it does not carry).
sed '/^server_version:/d' "$T/spec-0.44.0.yaml" | sed 's/^version: .*/version: 0.46.0/' \
    >"$T/spec-0.46.0.yaml"
"$WBINSTALL" --log "$T/bundle.log" bundle create --spec "$T/spec-0.46.0.yaml" \
    --source "oci:$T/src" --out "$T/wandb-0.46.0.tar.zst" >/dev/null 2>&1
upgrade nopin 0.46.0 --dry-run --force
[ "$(cat "$T/nopin.rc")" = 0 ] && grep -q "^Upgrade: 0.43.8 → 0.46.0" "$T/nopin.out" &&
    grep -q '^+ *kind: WeightsAndBiases' "$T/nopin.out" && ! grep -q 'tag:' "$T/nopin.out"
ok $? "dry run: a bundle that names no server version unpins the W&B images (no tag 0.46.0)"
grep -q "mysqldump --defaults-extra-file=.* --single-transaction" "$T/dry.out" &&
    grep -q "upgrade-backup" "$T/dry.out" && grep -q "\] verify" "$T/dry.out"
ok $? "dry run: the steps, from the backup to verify"
[ ! -e "$STATE" ] && [ ! -e "$BK" ] && [ -z "$(changing)" ]
ok $? "dry run: no state, no backup, only read-only commands ran"

# --- a downgrade is refused
fresh
upgrade down 0.42.0 --yes --force
[ "$(cat "$T/down.rc")" = 1 ] && grep -q "refusing a downgrade" "$T/down.out" &&
    [ -z "$(changing)" ] && [ ! -e "$BK" ]
ok $? "downgrade 0.43.8 → 0.42.0: refused, exit 1, nothing changed"

# --- the requirements: MariaDB is not MySQL, so without --force it stops
upgrade req 0.44.0 --yes
[ "$(cat "$T/req.rc")" = 1 ] && grep -q "requirements" "$T/req.out" &&
    grep -q "upgrade.kubernetes" "$T/req.out" && [ -z "$(changing)" ]
ok $? "failed requirement (MariaDB): exit 1 before any change"

# --- a dirty schema_migrations (a W&B migration that stopped half-way,
# wandb/server #7, #20, #25): refused, --force or not, saying how to
# recover; clean again, it passes
mariadb --defaults-file="$WB_MYSQL_CLIENT_CNF" -e 'CREATE TABLE wandb_local.schema_migrations (version BIGINT NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL); INSERT INTO wandb_local.schema_migrations VALUES (42, 1)'
fresh
upgrade dirty 0.44.0 --yes --force
[ "$(cat "$T/dirty.rc")" = 1 ] && grep -q "Dirty database version 42" "$T/dirty.out" &&
    grep -q "restore the database from the backup" "$T/dirty.out" &&
    grep -q "nothing was changed, --force or not" "$T/dirty.out" &&
    [ -z "$(changing)" ] && [ ! -e "$BK" ]
ok $? "dirty schema_migrations: refused even with --force, the recovery named, nothing changed"
mariadb --defaults-file="$WB_MYSQL_CLIENT_CNF" -e 'UPDATE wandb_local.schema_migrations SET dirty = 0'

# --- the upgrade, with the dump checked
fresh
upgrade up 0.44.0 --yes --force
grep -q "mysql.migrations .*42 0" "$T/up.out"
ok $? "a clean schema_migrations passes (version 42, not dirty)"
ok "$(cat "$T/up.rc")" "upgrade 0.43.8 → 0.44.0: exit 0"
[ "$(cat "$T/up.rc")" = 0 ] || diag "$(tail -n 30 "$T/up.out")"
dump=$(echo "$BK"/wandb_local-*.sql.gz)
[ -s "$dump" ] && gzip -t "$dump" && zcat "$dump" | grep -q "first run"
ok $? "the dump exists on the db host, passes gzip -t and holds the data"
grep -q "gzip -t passed, a complete dump" "$T/up.out" &&
    [ "$(stat -c %a "$dump")" = 600 ] && [ -z "$(ls "$BK"/*.cnf 2>/dev/null)" ]
ok $? "the dump is 0600 and its option file (the password) is gone"
! grep -rqF "$WB_MYSQL_ADMIN_PASSWORD" "$STANDIN_LOG" "$T/wbinstall.log" "$T/up.out"
ok $? "the database password is in no command, log or output"
grep -q "^helm upgrade --install wandb-operator operator" "$STANDIN_LOG" &&
    [ "$(cat "$T/cluster/wandb-version")" = 0.44.0 ]
ok $? "the operator upgraded, the resource applied with version 0.44.0"
ok_real_helm "$T/ustandins"
grep -q "^Upgraded: 0.43.8 → 0.44.0" "$T/up.out" &&
    grep -q "wandb_version: 0.44.0" "$A"
ok $? "upgraded; the answers file now says 0.44.0"
state | grep -q "upgrade-backup=done.*operator=done.*wandb-resource=done.*verify=done"
ok $? "every step is journaled"
[ ! -e "$T/cluster/rolled-back" ]
ok $? "no rollback after a good upgrade"

# --- verify fails: rolled back
fresh
STANDIN_WANDB_EXIT=1
write_upgrade_env
upgrade bad 0.45.0 --yes --force
[ "$(cat "$T/bad.rc")" = 1 ] && grep -q "verify failed" "$T/bad.out"
ok $? "failed verify: exit 1"
grep -qx "rollback wandb-operator 3 --namespace wandb --wait" "$T/cluster/rolled-back"
ok $? "failed verify: helm rollback to the operator's previous revision"
n=$(grep -n "^kubectl apply -f -" "$STANDIN_LOG" | tail -n 1 | cut -d: -f1)
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "WeightsAndBiases" and "status" not in d' "$STANDIN_LOG.$n.stdin" 2>/dev/null
ok $? "failed verify: the previous resource applied again"
grep -q "failed and was rolled back" "$T/bad.out" &&
    state | grep -q "upgrade-rollback=done"
ok $? "failed verify: reported and journaled"
grep -q "wandb_version: 0.44.0" "$A"
ok $? "failed verify: the answers file still says 0.44.0"
STANDIN_WANDB_EXIT=0

# --- a pre-operator install
fresh
STANDIN_HELM_LIST=helm-list-preoperator.json STANDIN_FAIL="kubectl get weightsandbiases"
write_upgrade_env
upgrade pre 0.45.0 --yes --force
[ "$(cat "$T/pre.rc")" = 1 ] &&
    grep -q "A pre-operator install: helm release wandb of chart wandb" "$T/pre.out" &&
    grep -q "^Installed: 0.51.2 (from the helm release of chart wandb)" "$T/pre.out" &&
    [ -z "$(changing)" ]
ok $? "pre-operator install found (helm chart wandb); nothing changed"
upgrade mig 0.52.0 --migrate --dry-run --force
[ "$(cat "$T/mig.rc")" = 0 ] && grep -q "helm upgrade --install wandb-operator" "$T/mig.out" &&
    grep -q "helm uninstall wandb --namespace wandb --wait" "$T/mig.out" &&
    [ -z "$(changing)" ]
ok $? "the migration plan: operator, resource, verify, then the old release goes"

# --- a migration whose verify fails: what it added is taken back, the
# pre-operator release is not touched
fresh
rm -rf "$T/cluster/wandb-version" "$STATE"
STANDIN_FAIL= STANDIN_WANDB=none STANDIN_WANDB_EXIT=1
write_upgrade_env
upgrade migbad 0.52.0 --migrate --yes --force
[ "$(cat "$T/migbad.rc")" = 1 ] &&
    grep -q "^kubectl delete weightsandbiases wandb --namespace wandb --ignore-not-found" "$STANDIN_LOG" &&
    grep -q "^helm uninstall wandb-operator --namespace wandb" "$STANDIN_LOG" &&
    ! grep -q "^helm uninstall wandb " "$STANDIN_LOG" &&
    ! grep -q "^helm rollback" "$STANDIN_LOG"
ok $? "failed migration: the resource and the operator removed, the old release kept, no helm rollback"
grep -q "Rolled back the migration: .*helm release wandb (0.51.2) was not touched" "$T/migbad.out" &&
    state | grep -q "upgrade-rollback=done"
ok $? "failed migration: reported and journaled"
STANDIN_WANDB_EXIT=0

# --- the migration for real: no resource until the operator's is applied
# (a site the pre-operator chart installed: no journal of ours either)
fresh
rm -rf "$T/cluster/wandb-version" "$STATE"
STANDIN_FAIL= STANDIN_WANDB=none
write_upgrade_env
upgrade migrun 0.52.0 --migrate --yes --force
[ "$(cat "$T/migrun.rc")" = 0 ] || diag "$(tail -n 30 "$T/migrun.out")"
[ "$(cat "$T/migrun.rc")" = 0 ] &&
    grep -q "^helm upgrade --install wandb-operator operator" "$STANDIN_LOG" &&
    [ "$(cat "$T/cluster/wandb-version" 2>/dev/null)" = 0.52.0 ] &&
    [ "$(changing | tail -n 1)" = "helm uninstall wandb --namespace wandb --wait" ]
ok $? "the migration for real: the operator, the resource at 0.52.0, verify, and the old release removed last"
i=$(grep -n "^wandb verify" "$STANDIN_LOG" | tail -n 1 | cut -d: -f1)
u=$(grep -n "^helm uninstall wandb " "$STANDIN_LOG" | cut -d: -f1)
[ -n "$i" ] && [ -n "$u" ] && [ "$i" -lt "$u" ] &&
    state | grep -q "upgrade-backup=done.*verify=done upgrade-retire=done"
ok $? "the migration: the old release goes only after verify passed; every step journaled ($(state))"
# --- usage: an unreadable --ca-file stops it before anything is asked
"$WBINSTALL" --log "$T/wbinstall.log" upgrade --answers "$A" \
    --bundle "$T/wandb-0.44.0.tar.zst" --ca-file "$T/no-such-ca.pem" \
    --dry-run >/dev/null 2>"$T/ca.err"
[ $? = 2 ] && grep -q -- "--ca-file .*no-such-ca.pem cannot be read" "$T/ca.err"
ok $? "an unreadable --ca-file is bad usage (exit 2)"
done_testing
