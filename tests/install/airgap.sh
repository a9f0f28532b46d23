#!/bin/bash
# wbinstall install in an air gap: the bundle's images and charts go to a
# real registry (tests/peers/registry.sh), and helm is given exactly the
# chart reference and version that bundle-push used, which skopeo finds
# there.  helm, kubectl and wandb are the stand-ins, on this machine; the
# bucket is s3rver; verify reaches nginx (test CA) in front of a small
# upstream.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
install_need nginx openssl python3 s3rver umoci docker-registry skopeo
export WBINSTALL_DATADIR=$WB_SRCDIR

mk_ca
leaf good "$FQDN"
start_upstream
start_proxy good good 0
USE_S3=1
for peer in s3rver registry; do
	args=()
	[ $peer = s3rver ] && args=(wandb-files)
	env=$("$PEERS/$peer.sh" start "${args[@]}" 2>"$T/$peer.err") || {
		echo "1..0 # SKIP $peer did not start: $(tail -n 1 "$T/$peer.err")"
		exit 0
	}
	eval "$env"
done
trap '"$PEERS/registry.sh" stop all >/dev/null 2>&1; install_cleanup' EXIT
REG=$WB_REGISTRY
setup_standins
echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$T/policy.json"
raw() { timeout 60 skopeo --policy "$T/policy.json" inspect --raw --tls-verify=false "docker://$REG/$1"; }

# --- a bundle: one image, the operator chart at a version that is not the
# built-in default (so helm's --version must come from the bundle), and
# the operator-wandb chart the resource names
umoci init --layout "$T/src" >/dev/null
umoci new --image "$T/src:one" >/dev/null
umoci unpack --image "$T/src:one" "$T/b" >/dev/null 2>&1
head -c 4096 /dev/urandom >"$T/b/rootfs/layer.bin"
umoci repack --image "$T/src:one" "$T/b" >/dev/null
# (the real charts at those versions when $WB_SHARED and the real helm are
# here: the operator stand-in then pulls and renders the real one)
mkdir -p "$T/charts"
for c in operator:1.5.0 operator-wandb:0.44.1; do
	if standin_real && [ -d "${WB_SHARED:-}/reference/charts" ]; then
		thelm package --version "${c#*:}" -d "$T/charts" \
		    "$WB_SHARED/reference/charts/${c%:*}" >/dev/null
	else
		minimal_chart "$T/chart-src" "${c%:*}" "${c#*:}"
		tar -czf "$T/charts/${c%:*}-${c#*:}.tgz" -C "$T/chart-src" "${c%:*}"
	fi
done
printf 'name: wandb-server\nversion: 0.43.8\nimages:\n  - wandb/local:one\ncharts:\n  - name: operator\n    version: 1.5.0\n  - name: operator-wandb\n    version: 0.44.1\n' \
    >"$T/spec.yaml"
mkdir -p "$T/site"
# (one image of the many the chart renders: --no-image-check)
"$WBINSTALL" --log "$T/bundle.log" bundle create --spec "$T/spec.yaml" \
    --source "oci:$T/src" --charts "$T/charts" --out "$T/site/wandb.tar.zst" \
    --no-image-check >/dev/null 2>&1 || { echo "1..0 # SKIP bundle create failed"; exit 0; }

LICENSE=$(test_license)
export WB_LICENSE=$LICENSE WB_S3_ACCESS_KEY WB_S3_SECRET_KEY
A=$T/site/answers.yaml
mkans() { airgap_answers "$A" "$REG" wandb.tar.zst "$1"; }
STATE=$T/site/.wbinstall-state
install() {	# NAME [ARGS...]: $T/NAME.out, $T/NAME.rc
	local name=$1
	shift
	PATH=$T/standins:$PATH \
	    "$WBINSTALL" --log "$T/wbinstall.log" install --answers "$A" \
	    --connect-to "$FQDN:443:127.0.0.1:$PROXY_PORT" \
	    --ca-file "$T/pki/ca.pem" --wait-timeout 5 "$@" >"$T/$name.out" 2>&1
	echo $? >"$T/$name.rc"
}
helm_line() { grep '^helm upgrade' "$STANDIN_LOG" | tail -n 1; }
TAIL="--version 1.5.0 --namespace wandb --create-namespace --wait --timeout 10m --values -"

# --- the registry's charts/
mkans ""
install dry --dry-run
grep -qF "\$ helm upgrade --install wandb-operator oci://$REG/charts/operator --plain-http $TAIL" "$T/dry.out" &&
    grep -qF "and its charts, as OCI artifacts, to oci://$REG/charts/NAME:VERSION" "$T/dry.out"
ok $? "dry run: the chart reference and the bundle's chart version"
install full --yes --force
ok "$(cat "$T/full.rc")" "air-gap install: exit 0"
[ "$(cat "$T/full.rc")" = 0 ] || diag "$(tail -n 20 "$T/full.out")"
grep -q "pushed 1 image and 2 charts to" "$T/full.out"
ok $? "bundle-push pushed the image and both charts"
# The registry family runs in the preflight, after the push and before
# the first step that changes the cluster.
awk '/^\[1\/9\] bundle-push/ {p=1} p && /registry\.image/ {r=NR} /^\[3\/9\]/ {t=NR} END {exit !(r && t && r < t)}' "$T/full.out" &&
    grep -q "✔ .*registry\.image .*1 image present .*the bundle's digests" "$T/full.out"
ok $? "the preflight's registry family checks what was pushed, before the cluster changes"
[ "$(helm_line)" = "helm upgrade --install wandb-operator oci://$REG/charts/operator --plain-http $TAIL" ]
ok $? "helm got exactly oci://REGISTRY/charts/operator --version 1.5.0"
diag "$(helm_line)"
# What helm was given is in the registry, as a Helm chart.
ref=$(helm_line | awk '{print $5}')
ver=$(helm_line | sed 's/.* --version \([^ ]*\) .*/\1/')
raw "${ref#oci://$REG/}:$ver" | python3 -c '
import json, sys
m = json.load(sys.stdin)
assert m["config"]["mediaType"] == "application/vnd.cncf.helm.config.v1+json"
assert m["layers"][0]["mediaType"] == "application/vnd.cncf.helm.chart.content.v1.tar+gzip"'
ok $? "skopeo finds helm's reference and version in the registry, a Helm chart"
# The resource names the chart as the operator reads it (wandb/operator,
# pkg/wandb/spec/charts/oci.go, OCIRelease): url oci://HOST/PATH/NAME,
# version, plainHTTP; no name key.
cr=$STATE/rendered/helm/wandb-cr.yaml
cr_chart=$(sed -n 's/^    url: oci:\/\/'"$REG"'\///p' "$cr"):$(sed -n 's/^    version: "\(.*\)"$/\1/p' "$cr")
raw "$cr_chart" >/dev/null && [ "$cr_chart" = charts/operator-wandb:0.44.1 ] &&
    grep -q '^    plainHTTP: true$' "$cr" && ! grep -q '^    name:' "$cr"
ok $? "the resource's chart ($cr_chart) is the bundle's own version, in the registry too, plainHTTP"
if standin_real; then
	grep -q "operator: helm pull oci://$REG/charts/operator-wandb --version 0.44.1 --plain-http" \
	    "$T/standins/operator.log" && [ ! -e "$T/standins/operator.failed" ]
	ok $? "the operator stand-in pulled that chart with the real helm and rendered it with spec.values"
	diag "$(grep -h 'operator: rendered' "$T/standins/operator.log" | tail -n 1)"
	[ ! -e "$T/standins/operator.failed" ] || diag "$(cat "$T/standins/operator.log")"
else
	skip "the real helm is not at $WB_HELM: the operator stand-in only replays"
fi

# --- airgap.chart_repo oci://REGISTRY/PATH/: all three move there
mkans "oci://$REG/site/helm/"
install repo --yes --force
[ "$(cat "$T/repo.rc")" = 0 ] &&
    [ "$(helm_line)" = "helm upgrade --install wandb-operator oci://$REG/site/helm/operator --plain-http $TAIL" ] &&
    raw site/helm/operator:1.5.0 >/dev/null && raw site/helm/operator-wandb:0.44.1 >/dev/null &&
    grep -q "url: oci://$REG/site/helm/operator-wandb$" "$STATE/rendered/helm/wandb-cr.yaml"
ok $? "chart_repo oci://REGISTRY/site/helm/: pushed there, and helm and the resource take it from there"

# --- airgap.bundle_pubkey: nothing is pushed nor installed from a bundle
# that key did not sign
"$WBINSTALL" bundle keygen --out "$T/site/site.key" >/dev/null &&
    "$WBINSTALL" --log "$T/bundle.log" bundle create --spec "$T/spec.yaml" \
    --source "oci:$T/src" --charts "$T/charts" --sign-key "$T/site/site.key" \
    --out "$T/site/signed.tar.zst" --no-image-check >/dev/null 2>&1
ok $? "a bundle signed with the site's key"
mkans ""
echo "  bundle_pubkey: site.key.pub" >>"$A"
helms=$(grep -c '^helm upgrade' "$STANDIN_LOG")
install unsigned --yes --force
[ "$(cat "$T/unsigned.rc")" = 1 ] && grep -q "the bundle is not signed" "$T/unsigned.out" &&
    [ "$(grep -c '^helm upgrade' "$STANDIN_LOG")" = "$helms" ]
ok $? "with airgap.bundle_pubkey, an unsigned bundle stops the install before helm (exit $(cat "$T/unsigned.rc"))"
airgap_answers "$A" "$REG" signed.tar.zst ""
echo "  bundle_pubkey: site.key.pub" >>"$A"
install signed --yes --force
[ "$(cat "$T/signed.rc")" = 0 ]
ok $? "a bundle the key signed installs (exit $(cat "$T/signed.rc"))"
[ "$(cat "$T/signed.rc")" = 0 ] || diag "$(tail -n 20 "$T/signed.out")"

# --- a bundle without operator-wandb: the resource would name a chart
# the registry lacks (the operator could not deploy it), so the install
# stops before it, as it does for the operator's chart
printf 'name: wandb-server\nversion: 0.43.8\nimages:\n  - wandb/local:one\ncharts:\n  - name: operator\n    version: 1.5.0\n' \
    >"$T/spec-nowandb.yaml"
"$WBINSTALL" --log "$T/bundle.log" bundle create --spec "$T/spec-nowandb.yaml" \
    --source "oci:$T/src" --charts "$T/charts" --out "$T/site/nowandb.tar.zst" \
    >/dev/null 2>&1
airgap_answers "$A" "$REG" nowandb.tar.zst ""
# (the resources applied: the preflight's probe Pod is applied too)
resources() { grep -l '^kind: WeightsAndBiases' "$STANDIN_LOG".*.stdin 2>/dev/null | wc -l; }
applies=$(resources)
install nochart --yes --force
[ "$(cat "$T/nochart.rc")" = 1 ] &&
    grep -q "the bundle has no chart operator-wandb, so nothing was pushed to oci://$REG/charts/operator-wandb" "$T/nochart.out" &&
    [ "$(resources)" = "$applies" ]
ok $? "a bundle without operator-wandb: the install stops before the resource, naming the chart (exit $(cat "$T/nochart.rc"))"

# --- airgap.chart_repo https://...: a Helm repository, nothing pushed there
mkans "https://charts.corp.internal"
install http --dry-run
grep -qF "\$ helm upgrade --install wandb-operator operator --repo https://charts.corp.internal --version 1.5.0" "$T/http.out" &&
    grep -q "charts are not pushed" "$T/http.out"
ok $? "chart_repo https://: helm --repo, the charts are not pushed"
done_testing
