#!/usr/bin/env bash
# wbinstall images against the real consumers: the real operator-wandb
# chart ($WB_SHARED/reference/charts) and a real helm 3 ($WB_HELM).  For
# the air-gapped case and each products set, the images it lists equal
# the images of a `helm template` of the same chart with the resource's
# spec.values (read by python3-yaml from what render wrote, and listed by
# tests/chart/manifests.py, independently of wbinstall's own reader); in
# an air gap every reference is under the registry.  Then the render
# cache, and bad input: a directory that is no chart, a truncated .tgz,
# no helm.
set -u
. "$(dirname "$0")/../lib.sh"
helm=${WB_HELM:-/opt/wbinstall-test/helm-3.17.3/helm}
charts=${WB_SHARED:-$WB_SRCDIR/../shared}/reference/charts
chart=$charts/operator-wandb
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work/state WBINSTALL_DATADIR=$WB_SRCDIR

py=$(py_yaml)
why=
[ -x "$helm" ] || why="no helm at $helm (scripts/deps installs it; or set WB_HELM)"
[ -d "$chart" ] || why="${why:+$why; }no chart at $chart (the shared directory is absent)"
[ -n "$py" ] || why="${why:+$why; }no python3 with yaml (python3-yaml)"
if [ -n "$why" ]; then
	skip "wbinstall images against the real chart: $why"
	done_testing
	exit 0
fi
hbin=$work/bin
mkdir -p "$hbin" "$work/in"
ln -s "$helm" "$hbin/helm"
export PATH=$hbin:$PATH
printf '%s' "$(test_license)" >"$work/in/license"
for f in mysql ak sk registry; do printf 'secret-%s' "$f" >"$work/in/$f"; done

# case AIR PRODUCTS: $work/NAME/answers.yaml (no control target: helm
# runs here).
write_case() {
	local dir=$work/$3
	mkdir -p "$dir"
	{
		cat <<EOF
version: 1
deployment:
  platform: kubernetes
  products: $2
  wandb_version: "$([ "$1" = 1 ] && echo 0.76.1)"
domain:
  fqdn: wandb.corp.internal
license:
  value: {file: ../in/license}
targets:
  - host: k8s.corp.internal
    roles: [app]
kubernetes:
  namespace: wandb-prod
  ingress_class: nginx
  tls_secret: wandb-tls
mysql:
  host: 10.20.0.5
  port: 3306
  database: wandb
  user: wandb
  password: {file: ../in/mysql}
storage:
  provider: s3
  bucket: wandb-files
  region: eu-west-1
  endpoint: minio.corp.internal:9000
  access_key: {file: ../in/ak}
  secret_key: {file: ../in/sk}
EOF
		[ "$1" = 1 ] && cat <<EOF
airgap:
  enabled: true
  bundle: wandb-bundle.tar.zst
  registry: registry.corp.internal:5000
  registry_user: puller
  registry_password: {file: ../in/registry}
EOF
	} >"$dir/answers.yaml"
}

for air in 1 0; do
	for products in models weave models+weave; do
		name=air$air-${products/+/-}
		dir=$work/$name
		write_case "$air" "$products" "$name"
		"$WBINSTALL" render --answers "$dir/answers.yaml" --out "$dir/out" \
			>/dev/null 2>&1
		"$py" -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
yaml.safe_dump(d["spec"]["values"], open(sys.argv[2], "w"))' \
			"$dir/out/helm/wandb-cr.yaml" "$dir/values.yaml"
		"$helm" template wandb "$chart" -f "$dir/values.yaml" --skip-tests \
			>"$dir/helm.yaml" 2>/dev/null
		"$py" "$WB_SRCDIR/tests/chart/manifests.py" images "$dir/helm.yaml" \
			>"$dir/want"
		"$WBINSTALL" images --answers "$dir/answers.yaml" --chart "$chart" \
			--json >"$dir/json" 2>"$dir/err"
		rc=$?
		[ $rc -eq 0 ] || diag "$(cat "$dir/err")"
		ok $rc "$name: images exits 0"
		"$py" -c 'import json, sys
print("\n".join(sorted(i["pulled_as"] for i in json.load(open(sys.argv[1]))["images"])))' \
			"$dir/json" >"$dir/got" 2>/dev/null
		diff -u "$dir/want" "$dir/got" >"$dir/diff"
		rc=$?
		[ $rc -eq 0 ] || diag "$(cat "$dir/diff")"
		[ -s "$dir/want" ] && [ $rc -eq 0 ]
		ok $? "$name: the images are those of helm template ($(wc -l <"$dir/want"))"
		if [ "$air" = 1 ]; then
			! grep -qv '^registry.corp.internal:5000/' "$dir/got"
			ok $? "$name: every reference is under the registry"
		fi
	done
done

dir=$work/air1-models
"$py" -c 'import json, sys
d = json.load(open(sys.argv[1]))
w = {i["image"]: i["workloads"] for i in d["images"]}
assert "StatefulSet/wandb-redis-master" in w["bitnamilegacy/redis:7.2.4-debian-12-r9"], w
assert "Deployment/wandb-app-bc" in w["wandb/local:0.76.1"], w
assert d["registry"] == "registry.corp.internal:5000"' "$dir/json"
ok $? "each image names its workloads and the image it mirrors"

# The cache: the second run reuses the render, kept 0600.
"$WBINSTALL" images --answers "$dir/answers.yaml" --chart "$chart" --json \
	>"$work/again" 2>/dev/null
grep -q '"cached": true' "$work/again"
ok $? "a second run reuses the cached render"
n=$(find "$XDG_STATE_HOME/wbinstall/renders" -type f | wc -l)
bad=$(find "$XDG_STATE_HOME/wbinstall/renders" -type f ! -perm 600 | wc -l)
[ "$n" -ge 2 ] && [ "$bad" = 0 ]
ok $? "one render per chart and values (the products sets share theirs), each 0600 ($n files)"
"$WBINSTALL" images --answers "$dir/answers.yaml" --chart "$chart" \
	>"$work/table" 2>&1
grep -q '^registry.corp.internal:5000/wandb/local:0.76.1$' "$work/table" &&
	grep -q '^    image: wandb/local:0.76.1$' "$work/table" &&
	grep -q '^    Deployment/wandb-app-bc$' "$work/table"
ok $? "the table: the reference, the image it mirrors, the workloads"

# A .tgz of the chart (as helm package makes it) gives the same list.
"$helm" package "$chart" -d "$work" >/dev/null 2>&1
tgz=$(ls "$work"/operator-wandb-*.tgz)
"$WBINSTALL" images --answers "$dir/answers.yaml" --chart "$tgz" --json \
	>"$work/tgz.json" 2>/dev/null
ok $? "a chart .tgz renders too"
"$py" -c 'import json, sys
a, b = (sorted(i["pulled_as"] for i in json.load(open(f))["images"]) for f in sys.argv[1:])
sys.exit(a != b)' "$dir/json" "$work/tgz.json"
ok $? "with the same images"

# Bad input: each a clear error, exit 1 or 2, and nothing written.
before=$(find "$XDG_STATE_HOME" -type f | wc -l)
mkdir -p "$work/nochart"
"$WBINSTALL" images --answers "$dir/answers.yaml" --chart "$work/nochart" \
	>/dev/null 2>"$work/err"
rc=$?
[ $rc = 2 ] && grep -q "nochart is not a chart: it has no Chart.yaml" "$work/err"
ok $? "a directory that is no chart: exit 2, named ($rc)"
head -c 2000 "$tgz" >"$work/cut.tgz"
"$WBINSTALL" images --answers "$dir/answers.yaml" --chart "$work/cut.tgz" \
	>/dev/null 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -q "helm template of .*cut.tgz failed: " "$work/err"
ok $? "a truncated .tgz: exit 1, naming the chart and quoting helm ($rc)"
# No helm: the values are new, so nothing is cached for them.
sed -i 's/port: 3306/port: 3307/' "$dir/answers.yaml"
PATH=/usr/bin:/bin "$WBINSTALL" images --answers "$dir/answers.yaml" \
	--chart "$chart" >/dev/null 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -q "no helm on this machine" "$work/err"
ok $? "no helm: exit 1, said ($rc)"
after=$(find "$XDG_STATE_HOME" -type f | wc -l)
[ "$before" = "$after" ] || diag "$before files before, $after after"
[ "$before" = "$after" ]
ok $? "bad input wrote nothing"
"$WBINSTALL" images --answers "$dir/answers.yaml" --chart "$chart" \
	--bundle x 2>/dev/null
[ $? = 2 ]
ok $? "--chart with --bundle: exit 2"
done_testing
