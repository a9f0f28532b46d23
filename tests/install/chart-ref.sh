#!/bin/bash
# The WeightsAndBiases resource's chart reference, end to end: the real
# charts ($WB_SHARED/reference/charts, packaged by the real helm) go into a
# bundle, `wbinstall bundle push` puts them in the registry peer, and a
# real `helm pull` of exactly the reference the rendered resource names
# gets the very chart that was packaged.  The reference is checked against
# how the operator reads spec.chart (wandb/operator,
# pkg/wandb/spec/charts/): oci.go's OCIRelease takes url (the chart's own
# repository, oci://HOST/PATH/NAME), version and plainHTTP, and pulls
# url:version, as `helm pull URL --version V [--plain-http]` does; repo.go's
# RepoRelease takes a Helm repository's url, the chart's name and version,
# as `helm pull NAME --repo URL --version V` does.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
install_need umoci docker-registry nginx python3
CHARTS=${WB_SHARED:-}/reference/charts
if [ ! -d "$CHARTS/operator-wandb" ]; then
	echo "1..0 # SKIP the real charts are absent (${WB_SHARED:-WB_SHARED unset}/reference/charts)"
	exit 0
fi
if [ ! -x "$WB_HELM" ]; then
	echo "1..0 # SKIP no real helm at $WB_HELM (scripts/deps installs it)"
	exit 0
fi
trap '"$PEERS/registry.sh" stop all >/dev/null 2>&1
    WB_PEER_INSTANCE=auth "$PEERS/registry.sh" stop all >/dev/null 2>&1
    "$PEERS/nginx.sh" stop all >/dev/null 2>&1; install_cleanup' EXIT
for peer in registry nginx; do
	env=$("$PEERS/$peer.sh" start 2>"$T/$peer.err") || {
		echo "1..0 # SKIP $peer did not start: $(tail -n 1 "$T/$peer.err")"
		exit 0
	}
	eval "$env"
done
REG=$WB_REGISTRY
export WBINSTALL_DATADIR=$WB_SRCDIR WB_LICENSE=lic-test \
    WB_S3_ACCESS_KEY=ak WB_S3_SECRET_KEY=sk
wb() { "$WBINSTALL" --log "$T/wbinstall.log" "$@"; }

# --- the real charts, packaged by helm, in a bundle with one small image
mkdir -p "$T/charts" "$T/site"
thelm package -d "$T/charts" "$CHARTS/operator" "$CHARTS/operator-wandb" >/dev/null
ok $? "helm package the real operator and operator-wandb charts"
V=$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$CHARTS/operator-wandb/Chart.yaml")
OV=$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$CHARTS/operator/Chart.yaml")
umoci init --layout "$T/src" >/dev/null
umoci new --image "$T/src:one" >/dev/null
umoci unpack --image "$T/src:one" "$T/b" >/dev/null 2>&1
head -c 4096 /dev/urandom >"$T/b/rootfs/layer.bin"
umoci repack --image "$T/src:one" "$T/b" >/dev/null
printf 'name: wandb-server\nversion: %s\nimages:\n  - wandb/local:one\ncharts:\n  - name: operator\n    version: %s\n  - name: operator-wandb\n    version: %s\n' \
    "$V" "$OV" "$V" >"$T/spec.yaml"
# (one image of the many the chart renders: --no-image-check)
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
    --charts "$T/charts" --out "$T/site/wandb.tar.zst" --no-image-check >/dev/null 2>&1
ok $? "bundle create with the real charts"

A=$T/site/answers.yaml
# cr CHART-REPO: render the answers; the resource's spec.chart, as
# KEY=VALUE lines, in $T/chart.env
cr() {
	airgap_answers "$A" "$REG" wandb.tar.zst "$1"
	rm -rf "$T/out"
	wb render --answers "$A" --out "$T/out" >"$T/render.out" 2>&1 || {
		diag "$(cat "$T/render.out")"
		return 1
	}
	# spec.chart's keys, as they are written (four spaces in).
	sed -n '/^  chart:$/,/^  [a-z]/s/^    \([a-zA-Z]*\): "\{0,1\}\([^"]*\)"\{0,1\}$/\1=\2/p' \
	    "$T/out/helm/wandb-cr.yaml" >"$T/chart.env"
}
key() { sed -n "s/^$1=//p" "$T/chart.env"; }
# pull ARGS...: helm pull into a fresh $T/pulled; the file, compared with
# what helm package wrote.
pull() {
	rm -rf "$T/pulled"
	mkdir -p "$T/pulled"
	thelm pull "$@" --destination "$T/pulled" >"$T/pull.out" 2>&1 &&
	    cmp -s "$T/pulled/operator-wandb-$V.tgz" "$T/charts/operator-wandb-$V.tgz"
}

# --- the registry's charts/ (no airgap.chart_repo)
cr "" && wb bundle push "$T/site/wandb.tar.zst" --registry "$REG" \
    --plain-http >"$T/push.out" 2>&1
ok $? "render, then bundle push to the registry"
[ "$(key url)" = "oci://$REG/charts/operator-wandb" ] && [ "$(key version)" = "$V" ] &&
    [ "$(key plainHTTP)" = true ] && [ -z "$(key name)" ]
ok $? "spec.chart: url oci://REGISTRY/charts/operator-wandb, version $V, plainHTTP (no name: OCIRelease has none)"
diag "$(tr '\n' ' ' <"$T/chart.env")"
pull "$(key url)" --version "$(key version)" --plain-http
rc=$?
ok $rc "helm pull of exactly that reference gets the packaged chart"
[ $rc = 0 ] || diag "$(cat "$T/pull.out")"
# What the resource named before: the operator pulled HOST/charts:VERSION.
! pull "oci://$REG/charts" --version "$V" --plain-http &&
    grep -q "not found" "$T/pull.out"
ok $? "the old form (url oci://REGISTRY/charts, name operator-wandb) is not found"

# --- airgap.chart_repo oci://REGISTRY/PATH/
cr "oci://$REG/site/helm/" && wb bundle push "$T/site/wandb.tar.zst" --registry "$REG" \
    --plain-http --chart-repo "oci://$REG/site/helm/" >"$T/push.out" 2>&1
ok $? "render and bundle push with chart_repo oci://REGISTRY/site/helm/"
[ "$(key url)" = "oci://$REG/site/helm/operator-wandb" ] && [ "$(key version)" = "$V" ]
ok $? "spec.chart: url oci://REGISTRY/site/helm/operator-wandb"
pull "$(key url)" --version "$(key version)" --plain-http
rc=$?
ok $rc "helm pull of exactly that reference gets the packaged chart"
[ $rc = 0 ] || diag "$(cat "$T/pull.out")"

# --- airgap.chart_repo http://...: a Helm repository the site serves
# (bundle push puts nothing there); here nginx with helm repo index
mkdir -p "$WB_NGINX_ROOT/charts"
cp "$T/charts/"*.tgz "$WB_NGINX_ROOT/charts/"
thelm repo index "$WB_NGINX_ROOT/charts" --url "$WB_NGINX_URL/charts"
cr "$WB_NGINX_URL/charts"
[ "$(key url)" = "$WB_NGINX_URL/charts" ] && [ "$(key name)" = operator-wandb ] &&
    [ "$(key version)" = "$V" ] && [ -z "$(key plainHTTP)" ]
ok $? "chart_repo http://: spec.chart is the repository's url, name and version"
pull "$(key name)" --repo "$(key url)" --version "$(key version)"
rc=$?
ok $rc "helm pull NAME --repo URL --version V gets the packaged chart"
[ $rc = 0 ] || diag "$(cat "$T/pull.out")"

# --- a registry that wants credentials (htpasswd): the operator pulls the
# chart with the credentials of the Secret spec.chart.credentialSecret
# names (oci.go's Apply reads its usernameKey and passwordKey, then pulls
# with basic auth), which helm registry login stands for here.
env=$(WB_PEER_INSTANCE=auth WB_REGISTRY_AUTH=htpasswd "$PEERS/registry.sh" start 2>"$T/auth.err")
if [ $? -ne 0 ]; then
	skip "a registry with credentials: $(tail -n 1 "$T/auth.err")"
	done_testing
	exit 0
fi
eval "$env"
AREG=$WB_REGISTRY
airgap_answers "$A" "$AREG" wandb.tar.zst ""
cat >>"$A" <<YAML
  registry_user: wbtest
  registry_password: {file: $WB_REGISTRY_PASSWORD_FILE}
YAML
rm -rf "$T/out"
wb render --answers "$A" --out "$T/out" >"$T/render.out" 2>&1 &&
    wb bundle push "$T/site/wandb.tar.zst" --registry "$AREG" --plain-http \
	--user wbtest --password "{file: $WB_REGISTRY_PASSWORD_FILE}" >"$T/push.out" 2>&1
rc=$?
ok $rc "render, then bundle push to a registry with credentials"
[ $rc = 0 ] || diag "$(cat "$T/render.out" "$T/push.out")"
python3 - "$T/out" "$T/cred" <<'PY'
import sys, yaml
out, dest = sys.argv[1], sys.argv[2]
cr = yaml.safe_load(open(out + "/helm/wandb-cr.yaml"))
cs = cr["spec"]["chart"]["credentialSecret"]
secrets = {d["metadata"]["name"]: d for d in yaml.safe_load_all(open(out + "/k8s/secrets.yaml"))}
data = secrets[cs["name"]]["stringData"]
with open(dest + ".url", "w") as f:
    f.write(cr["spec"]["chart"]["url"] + " " + str(cr["spec"]["chart"]["version"]))
with open(dest + ".user", "w") as f:
    f.write(data[cs["usernameKey"]])
with open(dest + ".password", "w") as f:
    f.write(data[cs["passwordKey"]])
PY
ok $? "spec.chart names a credentialSecret, and the rendered Secret has its usernameKey and passwordKey"
read -r url ver <"$T/cred.url"
pull "$url" --version "$ver" --plain-http
[ $? -ne 0 ] && grep -qi "unauthorized\|401\|authentication required\|authorization failed" "$T/pull.out"
rc=$?
ok $rc "without the credentials, the registry refuses the chart"
[ $rc = 0 ] || diag "$(cat "$T/pull.out")"
thelm registry login "${AREG}" --insecure --username "$(cat "$T/cred.user")" \
    --password-stdin <"$T/cred.password" >"$T/login.out" 2>&1 &&
    pull "$url" --version "$ver" --plain-http
rc=$?
ok $rc "with the Secret's credentials, helm pull of exactly that reference gets the packaged chart"
[ $rc = 0 ] || diag "$(cat "$T/login.out" "$T/pull.out")"
done_testing
