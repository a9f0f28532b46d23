#!/bin/bash
# The helm and kubectl stand-ins stand in for the cluster only
# (tests/standins/realhelm.sh): what helm does with no cluster is the real
# helm's; `helm upgrade --install` fails as helm fails when the chart
# rejects the values; a WeightsAndBiases resource applied with kubectl is
# pulled and rendered as the operator would (wandb/operator,
# pkg/wandb/spec/charts/), and its phase is "Invalid Config", as the
# operator sets it, when that fails.  Without the real helm they replay.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
if [ ! -x "$WB_HELM" ]; then
	echo "1..0 # SKIP no real helm at $WB_HELM (scripts/deps installs it): the stand-ins only replay"
	exit 0
fi
setup_standins
# A chart whose schema wants image.repository, at charts.wandb.ai here.
STANDIN_CHARTS=$T/repo
minimal_chart "$STANDIN_CHARTS" strict 1.0.0
cat >"$STANDIN_CHARTS/strict/values.schema.json" <<'EOF'
{"type": "object", "required": ["image"],
 "properties": {"image": {"type": "object", "required": ["repository"],
  "properties": {"repository": {"type": "string"}}}}}
EOF
write_standin_env
S=$T/standins
run() {	# NAME CMD...: stdout, stderr and status in $T/NAME.{out,err,rc}
	local name=$1
	shift
	"$@" >"$T/$name.out" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
}
rc() { cat "$T/$1.rc"; }
UP=(upgrade --install op strict --repo https://charts.wandb.ai --version 1.0.0
    --namespace wandb --create-namespace --wait --timeout 10m --values -)

# --- helm: the real one for what needs no cluster
run tpl "$S/helm" template rel "$STANDIN_CHARTS/strict" --set image.repository=r
thelm template rel "$STANDIN_CHARTS/strict" --set image.repository=r >"$T/want.out"
[ "$(rc tpl)" = 0 ] && cmp -s "$T/tpl.out" "$T/want.out"
ok $? "helm template is the real helm's"
run lint "$S/helm" lint "$STANDIN_CHARTS/strict"
[ "$(rc lint)" = 1 ] && grep -q "image is required" "$T/lint.out"
ok $? "helm lint is the real helm's (the schema wants image.repository)"

# --- helm upgrade --install: rendered first, with the same values
echo 'image: {repository: reg/x}' | run good "$S/helm" "${UP[@]}"
[ "$(rc good)" = 0 ] && grep -q "STATUS: deployed" "$T/good.out"
ok $? "upgrade --install with values the chart takes: helm's reply"
echo 'image: {tag: 1}' | run bad "$S/helm" "${UP[@]}"
[ "$(rc bad)" = 1 ] && grep -q "values don't meet the specifications of the schema" "$T/bad.err" &&
    ! grep -q "STATUS: deployed" "$T/bad.out"
ok $? "upgrade --install with values the chart rejects fails with helm's error"
diag "$(head -n 2 "$T/bad.err")"
echo 'image: {repository: reg/x}' | run missing "$S/helm" "${UP[@]/1.0.0/9.9.9}"
[ "$(rc missing)" = 1 ] && grep -q 'chart "strict" version "9.9.9" not found' "$T/missing.err"
ok $? "a chart version the repository lacks: not found"
grep -c '^helm upgrade --install op strict --repo' "$STANDIN_LOG" | grep -qx 3
ok $? "the calls are recorded as they were made"

# --- kubectl apply of a WeightsAndBiases resource: the operator's steps
cr() {	# CHART-YAML VALUES-YAML: a resource on stdout
	printf 'apiVersion: apps.wandb.com/v1\nkind: WeightsAndBiases\nmetadata:\n  name: wandb\n  namespace: wandb\nspec:\n  chart:\n%s\n  values:\n%s\n' "$1" "$2"
}
phase() {
	"$S/kubectl" get weightsandbiases wandb --namespace wandb -o json |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["status"]["phase"])'
}
cr "    path: $STANDIN_CHARTS/strict" "    image: {repository: reg/x}" |
    run apply "$S/kubectl" apply -f -
[ "$(rc apply)" = 0 ] && grep -q "weightsandbiases/wandb configured" "$T/apply.out" &&
    [ "$(phase)" = Completed ] && grep -q "name: wandb-strict" "$S/operator-manifests.yaml"
ok $? "a chart that takes spec.values: rendered (release and namespace of the resource), phase Completed"
cr "    path: $STANDIN_CHARTS/strict" "    image: {tag: 1}" |
    run apply "$S/kubectl" apply -f -
[ "$(rc apply)" = 0 ] && [ "$(phase)" = "Invalid Config" ] &&
    grep -q "values don't meet the specifications of the schema" "$S/operator.log"
ok $? "spec.values the chart rejects: the apply is taken, the phase becomes Invalid Config"
cr "    url: oci://127.0.0.1:9/charts/operator-wandb
    version: 0.43.8
    plainHTTP: true" "    image: {repository: reg/x}" | run apply "$S/kubectl" apply -f -
[ "$(rc apply)" = 0 ] && [ "$(phase)" = "Invalid Config" ] &&
    grep -q "helm pull oci://127.0.0.1:9/charts/operator-wandb --version 0.43.8 --plain-http" "$S/operator.log"
ok $? "a chart the operator cannot pull (OCIRelease: helm pull url --version --plain-http): Invalid Config"
diag "$(tail -n 1 "$S/operator.failed")"
cr "    url: https://127.0.0.1:9/charts
    version: 0.43.8" "    {}" | run apply "$S/kubectl" apply -f -
[ "$(phase)" = "Invalid Config" ] && grep -q "needs name" "$S/operator.failed"
ok $? "a Helm repository without the chart's name (RepoRelease requires it): Invalid Config"

# --- without the real helm: the replay of before
STANDIN_HELM=none write_standin_env
echo 'image: {tag: 1}' | run bad "$S/helm" "${UP[@]}"
[ "$(rc bad)" = 0 ]
ok $? "STANDIN_HELM=none: upgrade --install only replays"
run tpl "$S/helm" template rel "$STANDIN_CHARTS/strict"
[ "$(rc tpl)" = 1 ] && grep -q "unknown command" "$T/tpl.err"
ok $? "STANDIN_HELM=none: helm template is unknown, as before"
rm -f "$S/operator.failed"
cr "    path: $STANDIN_CHARTS/strict" "    image: {tag: 1}" |
    run apply "$S/kubectl" apply -f -
[ "$(rc apply)" = 0 ] && [ "$(phase)" = Completed ]
ok $? "STANDIN_HELM=none: an applied resource is not rendered"
done_testing
