#!/usr/bin/env bash
# bundle create refuses an incomplete bundle, against the real chart and a
# real helm: the release spec of bundles/ without the redis image, and a
# site whose answers pin deployment.wandb_version (so the four W&B server
# images at that tag), fails naming each missing image and its workload;
# with --add-missing, from an OCI layout that has them, it is created, its
# manifest says what it was checked against, and `images --bundle` finds
# every image it renders in the bundle.
set -u
. "$(dirname "$0")/../lib.sh"
helm=${WB_HELM:-/opt/wbinstall-test/helm-3.17.3/helm}
chart=${WB_SHARED:-$WB_SRCDIR/../shared}/reference/charts/operator-wandb
operator=${WB_SHARED:-$WB_SRCDIR/../shared}/reference/charts/operator
why=
[ -x "$helm" ] || why="no helm at $helm (scripts/deps installs it; or set WB_HELM)"
[ -d "$chart" ] || why="${why:+$why; }no chart at $chart (the shared directory is absent)"
for c in umoci zstd python3; do
	command -v "$c" >/dev/null || why="${why:+$why; }no $c"
done
if [ -n "$why" ]; then
	skip "bundle create's image check against the real chart: $why"
	done_testing
	exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/state WBINSTALL_DATADIR=$WB_SRCDIR
mkdir -p "$T/bin" "$T/charts" "$T/in"
ln -s "$helm" "$T/bin/helm"
export PATH=$T/bin:$PATH
wb() { "$WBINSTALL" --log "$T/wbinstall.log" "$@"; }

"$helm" package -d "$T/charts" "$chart" "$operator" >/dev/null
ok $? "the real charts, packaged"

# The spec: bundles/'s, without redis.
spec=$WB_SRCDIR/bundles/wandb-server-0.43.8.yaml
grep -v 'bitnamilegacy/redis' "$spec" >"$T/spec.yaml"
# The site: air-gapped, pinned to 0.76.1.
printf '%s' "$(test_license)" >"$T/in/license"
for f in mysql ak sk; do printf 'x-%s' "$f" >"$T/in/$f"; done
cat >"$T/site.yaml" <<'EOF'
version: 1
deployment: {platform: kubernetes, products: models, wandb_version: "0.76.1"}
domain: {fqdn: wandb.corp.internal}
license: {value: {file: in/license}}
targets: [{host: k8s.corp.internal, roles: [app]}]
kubernetes: {namespace: wandb, ingress_class: nginx, tls_secret: wandb-tls}
mysql: {host: 10.0.0.5, port: 3306, database: wandb, user: wandb, password: {file: in/mysql}}
storage: {provider: s3, bucket: wandb-files, region: eu-west-1, endpoint: "minio.corp.internal:9000", access_key: {file: in/ak}, secret_key: {file: in/sk}}
airgap: {enabled: true, bundle: wandb.tar.zst, registry: "registry.corp.internal:5000"}
EOF

# An OCI layout with a small image for every image of the spec, redis and
# the pinned W&B images, each named by its reference.
refs=$(python3 - "$spec" <<'PY'
import sys
imgs = [l.strip()[2:] for l in open(sys.argv[1]) if l.startswith("  - ") and ":" in l and "name:" not in l]
for i in ["wandb/local:0.76.1", "wandb/megabinary:0.76.1", "wandb/console:0.76.1", "wandb/weave-python:0.76.1"]:
    if i not in imgs: imgs.append(i)
print("\n".join(imgs))
PY
)
umoci init --layout "$T/src" >/dev/null
n=0
for r in $refs; do
	n=$((n + 1))
	umoci new --image "$T/src:img$n" >/dev/null
	umoci unpack --image "$T/src:img$n" "$T/w" >/dev/null 2>&1
	printf '%s' "$r" >"$T/w/rootfs/name"
	umoci repack --image "$T/src:img$n" "$T/w" >/dev/null
	rm -rf "$T/w"
done
python3 - "$T/src/index.json" $refs <<'PY'
import json, sys
p, refs = sys.argv[1], sys.argv[2:]
d = json.load(open(p))
for m in d["manifests"]:
    a = m["annotations"]
    a["org.opencontainers.image.ref.name"] = refs[int(a["org.opencontainers.image.ref.name"][3:]) - 1]
json.dump(d, open(p, "w"))
PY
ok $? "an OCI layout of $n small images named by their references"

# Without redis: refused, naming it and its workload; nothing written.
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" --charts "$T/charts" \
	--out "$T/b1.tar.zst" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 1 ] || diag "$(cat "$T/err")"
[ $rc = 1 ]
ok $? "a spec without redis: exit 1 ($rc)"
grep -q "the chart renders \(docker.io/\)\?bitnamilegacy/redis:7.2.4-debian-12-r9 (StatefulSet/wandb-redis-master), which .*spec.yaml does not carry" "$T/err"
ok $? "it names the image and its workload"
[ ! -e "$T/b1.tar.zst" ]
ok $? "and writes no bundle"

# With the site's answers: the pinned images too.
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" --charts "$T/charts" \
	--answers "$T/site.yaml" --out "$T/b2.tar.zst" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 1 ] && grep -q "renders wandb/local:0.76.1 (Deployment/wandb-app-bc)" "$T/err" &&
	grep -q "renders wandb/console:0.76.1" "$T/err" &&
	grep -q "5 images missing" "$T/err"
ok $? "with --answers (pinned 0.76.1): also the W&B images at that tag, 5 missing ($rc)"

# --add-missing takes them from the source.
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" --charts "$T/charts" \
	--answers "$T/site.yaml" --add-missing --out "$T/wandb.tar.zst" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 0 ] || diag "$(cat "$T/err")"
[ $rc = 0 ]
ok $? "--add-missing: exit 0"
grep -q "adding \(docker.io/\)\?bitnamilegacy/redis:7.2.4-debian-12-r9 (StatefulSet/wandb-redis-master)" "$T/err"
ok $? "it says what it adds"
wb bundle inspect "$T/wandb.tar.zst" >"$T/inspect"
grep -q "bitnamilegacy/redis:7.2.4-debian-12-r9" "$T/inspect" &&
	grep -q "wandb/local:0.76.1" "$T/inspect"
ok $? "the bundle carries them"
grep -q "^checked: *operator-wandb 0.43.8 rendered with the defaults of models, weave, models+weave; and with the answers .*site.yaml (spec.values sha256:" "$T/inspect"
ok $? "inspect shows what it was checked against"
wb bundle inspect --json "$T/wandb.tar.zst" | python3 -c 'import json, sys
d = json.load(sys.stdin); assert "site.yaml" in d["checked"], d["checked"]'
ok $? "and so does inspect --json"

# images --bundle: every image the site pulls is in the bundle.
wb images --answers "$T/site.yaml" --bundle "$T/wandb.tar.zst" --json >"$T/images.json" 2>"$T/err"
rc=$?
[ $rc = 0 ] || diag "$(cat "$T/err")"
python3 - "$T/images.json" "$T/inspect" <<'PY'
import json, sys
want = {i["image"] for i in json.load(open(sys.argv[1]))["images"]}
have = open(sys.argv[2]).read()
missing = [w for w in want if w not in have]
sys.exit(1 if missing or not want else 0)
PY
ok $? "images --bundle: every image it renders is in the bundle"

# --no-image-check: the spec as it is (a bundle of part of the images).
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" --charts "$T/charts" \
	--no-image-check --out "$T/b3.tar.zst" >/dev/null 2>&1 &&
	! wb bundle inspect "$T/b3.tar.zst" | grep -q redis &&
	wb bundle inspect "$T/b3.tar.zst" | grep -q "^checked: *no"
ok $? "--no-image-check: created as the spec says, and inspect says it was not checked"
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" --charts "$T/charts" \
	--no-image-check --add-missing --out "$T/b4.tar.zst" >/dev/null 2>&1
[ $? = 2 ]
ok $? "--add-missing with --no-image-check: exit 2"
# (a state directory of its own: nothing cached)
XDG_STATE_HOME=$T/state2 PATH=/usr/bin:/bin wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
	--charts "$T/charts" --answers "$T/site.yaml" --out "$T/b5.tar.zst" \
	>/dev/null 2>"$T/err"
rc=$?
[ $rc = 1 ] && grep -q "no helm on this machine" "$T/err" && [ ! -e "$T/b5.tar.zst" ]
ok $? "no helm: exit 1, said, nothing written ($rc)"
done_testing
