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
