# shellcheck shell=bash
# What the upgrade and support-bundle tests share, on top of
# tests/install/lib.sh: the install stand-ins plus the extra ones in
# tests/upgrade/standins (helm list/rollback/history, kubectl get
# all/events, describe, logs, and a WeightsAndBiases resource that follows
# what was applied), with their fixtures merged into $T/fixtures.
# Source after tests/lib.sh and tests/install/lib.sh.

# setup_upgrade_standins: $T/standins (the install ones) and
# $T/ustandins (ours, first in PATH); STANDIN_STATE is $T/cluster.
setup_upgrade_standins() {
	setup_standins
	mkdir -p "$T/ustandins" "$T/fixtures" "$T/cluster"
	cp "$WB_SRCDIR/tests/upgrade/standins/helm" \
	    "$WB_SRCDIR/tests/upgrade/standins/kubectl" \
	    "$T/standins/standin.sh" "$T/ustandins/"
	cp "$T/standins/fixtures/"* "$WB_SRCDIR/tests/upgrade/standins/fixtures/"* \
	    "$T/fixtures/"
	chmod -R u+w "$T/ustandins" "$T/fixtures"
	write_upgrade_env
}

# Both stand-in directories read the same settings; STANDIN_HELM_LIST and
# STANDIN_WANDB pick fixtures.
write_upgrade_env() {
	write_standin_env
	{
		echo "STANDIN_FIXTURES='$T/fixtures'"
		echo "STANDIN_BASE='$T/standins'"
		echo "STANDIN_STATE='$T/cluster'"
		echo "STANDIN_HELM_LIST='${STANDIN_HELM_LIST:-helm-list.json}'"
		echo "STANDIN_WANDB='${STANDIN_WANDB:-kubectl-wandb.json}'"
	} >>"$T/standins/standin.env"
	cp "$T/standins/standin.env" "$T/ustandins/standin.env"
}

# A random string of N characters from SET (tr syntax).
rand() {	# N SET
	LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"
}

# peer_up PEER ARGS...: start tests/peers/PEER.sh and take its exports, or
# skip the whole test when it cannot start.
peer_up() {
	local peer=$1 env
	shift
	env=$("$PEERS/$peer.sh" start "$@" 2>"$T/$peer.err") || {
		echo "1..0 # SKIP $peer did not start: $(tail -n 1 "$T/$peer.err")"
		exit 0
	}
	eval "$env"
}

# upgrade_bundles VERSION...: $T/wandb-VERSION.tar.zst, test bundles of
# one small image (umoci), requiring Kubernetes 1.29, MySQL 8.0 and helm 3.
# Returns 1 when bundle create fails.
upgrade_bundles() {
	local v
	umoci init --layout "$T/src" >/dev/null
	umoci new --image "$T/src:one" >/dev/null
	umoci unpack --image "$T/src:one" "$T/b" >/dev/null 2>&1
	head -c 4096 /dev/urandom >"$T/b/rootfs/layer.bin"
	umoci repack --image "$T/src:one" "$T/b" >/dev/null
	for v in "$@"; do
		printf 'name: wandb-server\nversion: %s\nserver_version: %s\nrequirements:\n  kubernetes: "1.29"\n  mysql: "8.0.0"\n  helm: "3.0.0"\nimages:\n  - wandb/local:one\n' \
		    "$v" "$v" >"$T/spec-$v.yaml"
		"$WBINSTALL" --log "$T/bundle.log" bundle create --spec "$T/spec-$v.yaml" \
		    --source "oci:$T/src" --out "$T/wandb-$v.tar.zst" >/dev/null 2>&1 ||
		    return 1
	done
}

# upgrade_authorize: the sshd peer's control host finds our stand-ins
# first in its PATH, then the install ones.
upgrade_authorize() {
	{
		printf 'command="PATH=%s:%s:/usr/local/bin:/usr/bin:/bin; export PATH; exec sh -c \\"$SSH_ORIGINAL_COMMAND\\"" ' \
		    "$T/ustandins" "$T/standins"
		cat "$WB_SSHD_DIR/id_ed25519.pub"
	} >"$WB_SSHD_DIR/authorized_keys"
}

# upgrade_site SSHD-SESSIONS: the test CA, nginx in front of the upstream,
# s3rver and sshd, as the upgrade tests use them.
upgrade_site() {
	mk_ca
	leaf good "$FQDN"
	start_upstream
	start_proxy good good 0
	USE_S3=1
	peer_up s3rver wandb-files
	USE_SSHD=1
	peer_up sshd "$1" 0
}
