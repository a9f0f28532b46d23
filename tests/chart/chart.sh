#!/usr/bin/env bash
# What wbinstall render writes for Kubernetes, against the real consumers:
# the real operator-wandb and operator charts ($WB_SHARED/reference/charts)
# and a real helm 3 ($WB_HELM).  For every case (air-gapped and connected;
# products models, weave, models+weave; OpenShift on and off): helm lint
# and helm template of operator-wandb with the resource's spec.values and
# of the operator chart with the operator values, then manifests.py checks
# the rendered manifests (images under the internal registry, the pull
# Secret, OpenShift's UID and GID, the version, the answers arriving, the
# MySQL password and the S3 keys through the kubelet's $(VAR) expansion).
# Then the release spec against every image the chart renders.
set -u
. "$(dirname "$0")/../lib.sh"
helm=${WB_HELM:-/opt/wbinstall-test/helm-3.17.3/helm}
charts=${WB_SHARED:-$WB_SRCDIR/../shared}/reference/charts
here=$WB_SRCDIR/tests/chart
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work/state WBINSTALL_DATADIR=$WB_SRCDIR

py=$(py_yaml)
why=
[ -x "$helm" ] || why="no helm at $helm (scripts/deps installs it; or set WB_HELM)"
[ -d "$charts/operator-wandb" ] && [ -d "$charts/operator" ] ||
	why="${why:+$why; }no charts in $charts (the shared directory is absent)"
[ -n "$py" ] || why="${why:+$why; }no python3 with yaml (python3-yaml)"
if [ -n "$why" ]; then
	skip "the rendered values against the real charts: $why"
	done_testing
	exit 0
fi

# Hostile values, in secret files without a trailing newline.
mkdir -p "$work/in"
(
	umask 077
	printf 'lic-%s' "$(printf 'x\x27"#:@/&<%%')" >"$work/in/license"
	printf '%s' 'p@ss:w/rd?#%25x +$(MYSQL_HOST)&y=1' >"$work/in/mysql"
	printf '%s' 'AK/x+y@z' >"$work/in/ak"
	printf '%s' 's3/secret+2:#?%&=' >"$work/in/sk"
	printf '%s' 'pull:p@ss/w"rd' >"$work/in/registry"
)

# case AIRGAP PRODUCTS OPENSHIFT: answers.yaml and expect.json in $work/NAME.
write_case() {
	local air=$1 products=$2 os=$3 dir=$work/$4 endpoint tls version reg
	mkdir -p "$dir"
	# Connected without OpenShift: AWS S3; else an S3-compatible endpoint,
	# TLS on in an air gap and off elsewhere.
	if [ "$air" = 0 ] && [ "$os" = 0 ]; then endpoint=; tls=; else
		endpoint=minio.corp.internal:9000
		tls=$([ "$air" = 1 ] && echo true || echo false)
	fi
	version=$([ "$air" = 1 ] && echo 0.76.1 || echo)
	reg=$([ "$air" = 1 ] && echo registry.corp.internal:5000 || echo)
	{
		cat <<EOF
version: 1
deployment:
  platform: kubernetes
  products: $products
  wandb_version: "$version"
domain:
  fqdn: wandb.corp.internal
license:
  value: {file: ../in/license}
targets:
  - host: k8s.corp.internal
    roles: [app, control]
kubernetes:
  namespace: wandb-prod
  ingress_class: nginx-internal
  openshift: $([ "$os" = 1 ] && echo true || echo false)
  tls_secret: wandb-tls
mysql:
  host: 10.20.0.5
  port: 3307
  database: wandb_db
  user: wandb_user
  password: {file: ../in/mysql}
storage:
  provider: s3
  bucket: wandb-files
  path: prod/one
  region: eu-west-1
  access_key: {file: ../in/ak}
  secret_key: {file: ../in/sk}
EOF
		[ -n "$endpoint" ] && printf '  endpoint: %s\n  tls: %s\n' "$endpoint" "$tls"
		[ "$air" = 1 ] && cat <<EOF
airgap:
  enabled: true
  bundle: wandb-bundle.tar.zst
  registry: $reg
  registry_user: puller
  registry_password: {file: ../in/registry}
EOF
	} >"$dir/answers.yaml"
	WB_AIR=$air WB_OS=$os WB_REG=$reg WB_VERSION=$version WB_TLS=$tls \
		WB_ENDPOINT=$endpoint WB_IN=$work/in "$py" - >"$dir/expect.json" <<'EOF'
import json, os
e = os.environ
rd = lambda n: open(os.path.join(e["WB_IN"], n)).read()
host, port = (e["WB_ENDPOINT"].split(":") + [None])[:2] if e["WB_ENDPOINT"] \
    else ("wandb-files", None)
x = {
    "registry": e["WB_REG"] or None,
    "pull_secret": "wandb-registry" if e["WB_REG"] else None,
    "registry_user": "puller", "registry_password": rd("registry"),
    "openshift": e["WB_OS"] == "1", "uid": 100000, "gid": 0,
    "version": e["WB_VERSION"] or None,
    "mysql": {"host": "10.20.0.5", "port": 3307, "database": "wandb_db",
              "user": "wandb_user", "password": rd("mysql")},
    "bucket": {"host": host, "port": int(port) if port else None,
               "path": ("wandb-files/prod/one" if e["WB_ENDPOINT"]
                        else "prod/one"),
               "region": "eu-west-1", "access_key": rd("ak"),
               "secret_key": rd("sk"), "tls": e["WB_TLS"] or None},
    "license": rd("license"), "host": "https://wandb.corp.internal",
    "fqdn": "wandb.corp.internal", "ingress_class": "nginx-internal",
    "tls_secret": "wandb-tls",
}
print(json.dumps(x))
EOF
}

# spec.values of the resource, as the operator hands them to helm.
values_of() {
	"$py" -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
yaml.safe_dump(d["spec"]["values"], open(sys.argv[2], "w"))' "$1" "$2"
}

tmpl=() tmpl_air=()
for air in 0 1; do
	for products in models weave models+weave; do
		for os in 0 1; do
			name=air$air-${products/+/-}-os$os
			dir=$work/$name
			write_case "$air" "$products" "$os" "$name"
			"$WBINSTALL" render --answers "$dir/answers.yaml" \
				--out "$dir/out" >/dev/null 2>"$dir/err"
			rc=$?
			[ $rc -eq 0 ] || diag "$(cat "$dir/err")"
			ok $rc "$name: render"
			[ $rc -eq 0 ] || continue
			values_of "$dir/out/helm/wandb-cr.yaml" "$dir/values.yaml"
			for c in operator-wandb:values.yaml \
				operator:out/helm/operator-values.yaml; do
				ch=${c%%:*}
				"$helm" lint "$charts/$ch" -f "$dir/${c#*:}" \
					>"$dir/lint" 2>&1
				rc=$?
				[ $rc -eq 0 ] || diag "$(tail -n 20 "$dir/lint")"
				ok $rc "$name: helm lint $ch"
				"$helm" template wandb "$charts/$ch" -n wandb-prod \
					-f "$dir/${c#*:}" >"$dir/$ch.yaml" 2>"$dir/tmpl.err"
				rc=$?
				[ $rc -eq 0 ] || diag "$(tail -n 20 "$dir/tmpl.err")"
				ok $rc "$name: helm template $ch"
			done
			if [ "$air" = 0 ]; then
				tmpl+=("$dir/operator-wandb.yaml" "$dir/operator.yaml")
			else
				tmpl_air+=("$dir/operator-wandb.yaml" "$dir/operator.yaml")
			fi
			"$py" "$here/manifests.py" check "$dir/expect.json" \
				"$dir/operator-wandb.yaml" "$dir/out/k8s/secrets.yaml" \
				"$dir/operator.yaml" >"$dir/checks" 2>"$dir/checks.err"
			rc=$?
			[ $rc -le 1 ] || diag "$(tail -n 20 "$dir/checks.err")"
			ok $((rc > 1)) "$name: manifests.py ran to the end"
			while IFS= read -r line; do
				case $line in
				"ok "*) ok 0 "$name: ${line#ok }" ;;
				*) ok 1 "$name: ${line#not ok }" ;;
				esac
			done <"$dir/checks"
		done
	done
done

# The release spec carries every image the charts render, for every
# products set and toggle, as the chart names them (the connected cases:
# no internal registry, no pinned version); and in an air gap each image
# is at REGISTRY/ and the path bundle push gives a spec image (the rule
# of oci_mirror_path: Docker Hub's host and library/ go, any other host
# stays), the W&B server images at the pinned tag.
spec=$WB_SRCDIR/bundles/wandb-server-0.43.8.yaml
check_spec() {	# check_spec REGISTRY VERSION MANIFESTS...
	local reg=$1 version=$2
	shift 2
	"$py" "$here/manifests.py" images "$@" >"$work/images"
	"$py" - "$spec" "$work/images" "$reg" "$version" >"$work/missing" <<'EOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
reg, version = sys.argv[3], sys.argv[4]
server = ("wandb/local", "wandb/megabinary", "wandb/console",
          "wandb/weave-python")
def mirror(ref):
    for p in ("docker.io/library/", "docker.io/"):
        if ref.startswith(p):
            ref = ref[len(p):]
    return ref
have = {mirror(i) for i in spec["images"]}
for line in open(sys.argv[2]):
    ref = line.strip()
    if reg:
        if not ref.startswith(reg + "/"):
            print(ref + " (not under %s)" % reg)
            continue
        ref = ref[len(reg) + 1:]
        repo, _, tag = ref.rpartition(":")
        if version and repo in server and tag == version:
            ref = repo + ":latest"
    if mirror(ref) not in have:
        print(line.strip())
EOF
	[ ! -s "$work/missing" ] && [ -s "$work/images" ]
}
check_spec "" "" "${tmpl[@]}"
rc=$?
[ $rc -eq 0 ] || diag "the spec lacks:" "$(cat "$work/missing")"
ok $rc "bundles/wandb-server-0.43.8.yaml carries every image the charts render ($(wc -l <"$work/images") in all)"
check_spec registry.corp.internal:5000 0.76.1 "${tmpl_air[@]}"
rc=$?
[ $rc -eq 0 ] || diag "not where bundle push puts a spec image:" "$(cat "$work/missing")"
ok $rc "air gap: every image the charts render is where bundle push puts the spec's image"

done_testing
