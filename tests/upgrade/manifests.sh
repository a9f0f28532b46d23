#!/bin/bash
# upgrade --dry-run shows what the new release changes in the cluster's
# objects, rendered with the real helm and the real chart: the installed
# release is operator-wandb 0.43.8 (the air gap's bundle); the new one is a
# copy at 0.43.9 with the redis image's tag, one env value and one
# secret-looking env value changed.  The dry run lists exactly those, on
# their workloads, masks the secret-looking one, and changes nothing.  The
# installed manifests come from `helm get manifest` where the cluster
# answers (the helm stand-in replays them), else from a render of the
# answers with the installed bundle's chart.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
# shellcheck source=tests/upgrade/lib.sh
. "$WB_SRCDIR/tests/upgrade/lib.sh"
helm=${WB_HELM:-/opt/wbinstall-test/helm-3.17.3/helm}
chart=${WB_SHARED:-$WB_SRCDIR/../shared}/reference/charts/operator-wandb
if [ ! -x "$helm" ] || [ ! -d "$chart" ]; then
	echo "1..0 # SKIP the real helm ($helm) or the real chart ($chart) is absent"
	exit 0
fi
install_need python3 umoci
export WBINSTALL_DATADIR=$WB_SRCDIR
trap 'install_cleanup' EXIT
setup_upgrade_standins

# The two charts: the real one, and the copy at 0.43.9.
mkdir -p "$T/charts" "$T/copy" "$T/site"
"$helm" package -d "$T/charts" "$chart" >/dev/null
cp -r "$chart" "$T/copy/"
c=$T/copy/operator-wandb
sed -i 's/^version: 0.43.8$/version: 0.43.9/' "$c/Chart.yaml"
sed -i 's/^  tag: 7.2.4-debian-12-r9$/  tag: 7.2.5-debian-12-r1/' "$c/charts/redis/values.yaml"
sed -i 's|GORILLA_GLUE_CONTAINER_PORT: "8083"|GORILLA_GLUE_CONTAINER_PORT: "8084"|' "$c/values.yaml"
sed -i 's|GORILLA_LICENSE_CERT_PATH: "/var/app/jwks.json"|GORILLA_LICENSE_CERT_PATH: "/var/app/secret-jwks-path.json"|' "$c/values.yaml"
"$helm" package -d "$T/charts" "$c" >/dev/null
ls "$T/charts/operator-wandb-0.43.9.tgz" >/dev/null
ok $? "the real chart and its copy at 0.43.9, packaged"

umoci init --layout "$T/src" >/dev/null
umoci new --image "$T/src:one" >/dev/null
for v in 0.43.8 0.43.9; do
	# (both at W&B 0.43.8: the images' tags stay, only the chart moves)
	printf 'name: wandb-server\nversion: %s\nserver_version: 0.43.8\nimages:\n  - wandb/local:one\ncharts:\n  - name: operator-wandb\n    version: %s\n' \
	    "$v" "$v" >"$T/spec-$v.yaml"
	"$WBINSTALL" --log "$T/bundle.log" bundle create --spec "$T/spec-$v.yaml" \
	    --source "oci:$T/src" --charts "$T/charts" --out "$T/site/wandb-$v.tar.zst" \
	    --no-image-check >/dev/null 2>&1 || { echo "1..0 # SKIP bundle create failed"; exit 0; }
done

export WB_LICENSE=$(test_license) WB_S3_ACCESS_KEY=AKIDEXAMPLE \
    WB_S3_SECRET_KEY=not-used
A=$T/site/answers.yaml
airgap_answers "$A" 127.0.0.1:9 wandb-0.43.8.tar.zst "" 0.43.8
calls() { awk '/^helm upgrade|^kubectl apply/ {n++} END {print n+0}' "$STANDIN_LOG" 2>/dev/null || echo 0; }
dry() {	# NAME: $T/NAME.out, $T/NAME.rc
	PATH=$T/ustandins:$T/standins:$PATH "$WBINSTALL" --log "$T/wbinstall.log" \
	    upgrade --answers "$A" --bundle "$T/site/wandb-0.43.9.tar.zst" --dry-run \
	    --force >"$T/$1.out" 2>&1
	echo $? >"$T/$1.rc"
}
section() { sed -n '/^Manifests, installed/,/^$/p' "$T/$1.out"; }
before=$(calls)
dry render
[ "$(cat "$T/render.rc")" = 0 ] || diag "$(tail -n 20 "$T/render.out")"
[ "$(cat "$T/render.rc")" = 0 ]
ok $? "upgrade --dry-run 0.43.8 → 0.43.9: exit 0"
section render >"$T/render.sec"
diag "$(cat "$T/render.sec")"
grep -q "^Manifests, installed → 0.43.9" "$T/render.sec" &&
	grep -q "^  ~ StatefulSet/wandb-redis-master$" "$T/render.sec" &&
	grep -q "container redis: image: .*redis:7.2.4-debian-12-r9 → .*redis:7.2.5-debian-12-r1$" "$T/render.sec"
ok $? "the image change, on its workload"
grep -q 'env GORILLA_GLUE_CONTAINER_PORT: 8083 → 8084$' "$T/render.sec"
ok $? "the env value change"
grep -q 'env GORILLA_LICENSE_CERT_PATH: \*\*\* → \*\*\*$' "$T/render.sec" &&
	! grep -q "secret-jwks-path" "$T/render.out"
ok $? "the secret-looking value changes, masked, and is nowhere in the output"
n=$(grep -c '^      ' "$T/render.sec")
objs=$(grep '^  ~ ' "$T/render.sec" | sort -u | tr '\n' ' ')
diag "changed objects: $objs"
# Each env change shows on every workload that takes that value; nothing
# else changed (chart labels carry the version: helm.sh/chart, which is
# no image, env or config).
! grep -v -e 'container redis: image' -e 'GORILLA_GLUE_CONTAINER_PORT' \
	-e 'GORILLA_LICENSE_CERT_PATH' <(grep '^      ' "$T/render.sec") | grep -q .
ok $? "and nothing else of images, env or config ($n lines)"
[ "$(calls)" = "$before" ] && [ ! -e "$T/site/.wbinstall-state" ]
ok $? "the dry run changed nothing"

# --json: the same diff as data on stdout, the rest on stderr.
PATH=$T/ustandins:$T/standins:$PATH "$WBINSTALL" --log "$T/wbinstall.log" \
    upgrade --answers "$A" --bundle "$T/site/wandb-0.43.9.tar.zst" --dry-run \
    --force --json >"$T/json.out" 2>"$T/json.err"
rc=$?
python3 - "$T/json.out" "$T/render.sec" <<'EOF2'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["compared"] is True and d["target"] == "0.43.9", d
assert d["reason"] is None and d["left_out"] >= 0
# one item a line of the text's section, the same ones
text = [l.strip() for l in open(sys.argv[2]) if l.startswith("      ")]
assert len(d["changes"]) == len(text), (len(d["changes"]), len(text))
objs = {c["object"] for c in d["changes"]}
assert "StatefulSet/wandb-redis-master" in objs, objs
img = [c for c in d["changes"] if c["object"] == "StatefulSet/wandb-redis-master"
       and c["what"] == "container redis: image"]
assert len(img) == 1 and img[0]["change"] == "changed"
assert img[0]["from"].endswith("redis:7.2.4-debian-12-r9")
assert img[0]["to"].endswith("redis:7.2.5-debian-12-r1")
port = [c for c in d["changes"] if (c["what"] or "").endswith(": env GORILLA_GLUE_CONTAINER_PORT")]
assert port and all(c["from"] == "8083" and c["to"] == "8084" for c in port)
sec = [c for c in d["changes"] if (c["what"] or "").endswith(": env GORILLA_LICENSE_CERT_PATH")]
assert sec and all(c["from"] == "***" and c["to"] == "***" for c in sec)
EOF2
ok $? "upgrade --dry-run --json: the same changes as data (exit $rc), the secret-looking one masked"
[ "$rc" = 0 ] && ! grep -q "secret-jwks-path" "$T/json.out" "$T/json.err" &&
	grep -q "^Manifests, installed → 0.43.9" "$T/json.err"
ok $? "--json: exit 0, the text on stderr, the secret nowhere"
PATH=$T/ustandins:$T/standins:$PATH "$WBINSTALL" upgrade --answers "$A" \
    --bundle "$T/site/wandb-0.43.9.tar.zst" --json --yes >"$T/json2.out" 2>&1
[ $? = 2 ] && grep -q -- "--json goes with --dry-run" "$T/json2.out"
ok $? "--json without --dry-run: bad usage (exit 2), nothing done"

# helm get manifest where the cluster answers: the same diff.
"$WBINSTALL" --log "$T/wbinstall.log" render --answers "$A" --out "$T/old" >"$T/old.out" 2>&1 ||
	diag "$(cat "$T/old.out")"
py=$(py_yaml)
[ -n "$py" ] || { skip "helm get manifest: no python3 with yaml"; done_testing; exit 0; }
"$py" -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
yaml.safe_dump(d["spec"]["values"], open(sys.argv[2], "w"))' "$T/old/helm/wandb-cr.yaml" "$T/old-values.yaml"
"$helm" template wandb "$chart" -f "$T/old-values.yaml" --skip-tests >"$T/cluster/manifest.yaml"
dry get
section get >"$T/get.sec"
[ "$(cat "$T/get.rc")" = 0 ] && grep -q "installed manifests from helm get manifest" "$T/wbinstall.log" &&
	diff -u "$T/render.sec" "$T/get.sec" >/dev/null
ok $? "from helm get manifest: the same changes"
[ "$(cat "$T/get.rc")" = 0 ] || diag "$(tail -n 30 "$T/get.out")"
diff -u "$T/render.sec" "$T/get.sec" | head -20 | while read -r l; do diag "$l"; done
done_testing
