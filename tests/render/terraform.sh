#!/usr/bin/env bash
# The rendered AWS Terraform against the real interface of the module it
# calls: wandb/wandb/aws 7.18.2, whose root variables.tf, outputs.tf and
# versions.tf are in the shared directory (reference/terraform-aws-wandb-
# 7.18.2).  With no network, `terraform init` can fetch neither the module
# nor the providers, so the test points the module call at a local stub
# made of the module's own variables.tf, its outputs (by name, with
# placeholder values) and no resources, and drops the root's provider and
# data blocks (the providers' schemas cannot be had offline).  What it
# proves: every argument of the call is an input of the module, every
# required input is given, each value has the input's type, and every
# output the root reads exists.  It does not prove what AWS would do.
set -u
. "$(dirname "$0")/../lib.sh"
ref=${WB_SHARED:-}/reference/terraform-aws-wandb-7.18.2
need=(
	"terraform validate and plan of the rendered call"
	"the stub catches an argument the module lacks"
	"the stub catches a missing required input"
	"the stub catches a value of the wrong type"
	"the stub catches an output the module lacks"
	"Redis off and the internal queue render as explicit inputs the module takes"
	"validate refuses an EKS version the module's add-ons are not for"
)
if ! command -v terraform >/dev/null 2>&1 || [ ! -f "$ref/variables.tf" ]; then
	why="terraform is not installed"
	[ -f "$ref/variables.tf" ] || why="no $ref (the shared directory is absent)"
	for d in "${need[@]}"; do skip "$d: $why"; done
	done_testing
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=/dev/null HOME=$work/home \
    TF_DATA_DIR=$work/tfdata CHECKPOINT_DISABLE=1
mkdir -p "$HOME"

# The stub module: the real inputs, the real output names.
mkdir -p "$work/stub"
cp "$ref/variables.tf" "$work/stub/"
sed -n 's/^output "\([^"]*\)".*/output "\1" {\n  value = "stub"\n}/p' \
    "$ref/outputs.tf" >"$work/stub/outputs.tf"
printf 'terraform {\n  required_version = ">= 1.5"\n}\n' >"$work/stub/versions.tf"

# render CASE-ANSWERS DIR: the root module as render writes it, pointed
# at the stub, without its provider and data blocks.
render_root() {
	"$WBINSTALL" render --answers "$1" --out "$work/r" >"$work/render.out" 2>&1 || return 1
	rm -rf "$2"
	mkdir -p "$2"
	cp "$work/r/terraform/aws/"*.tf "$work/r/terraform/aws/terraform.tfvars" "$2/"
	rm -rf "$work/r"
	rm -f "$2/versions.tf"	# the aws provider block only
	python3 - "$2/main.tf" "$work/stub" <<'EOF'
import re, sys
p, stub = sys.argv[1], sys.argv[2]
s = open(p).read()
out, i = [], 0
for m in re.finditer(r'^(provider|data) "[^"]*"( "[^"]*")? \{', s, re.M):
    if m.start() < i:
        continue
    out.append(s[i:m.start()])
    depth, j = 0, m.end() - 1
    while True:
        depth += {'{': 1, '}': -1}.get(s[j], 0)
        j += 1
        if depth == 0:
            break
    i = j
out.append(s[i:])
s = ''.join(out)
s = re.sub(r'source\s*=\s*"wandb/wandb/aws"', 'source = "%s"' % stub, s)
s = re.sub(r'\n\s*version\s*=\s*"~> 7\.18"', '', s)
open(p, 'w').write(s)
EOF
}

# tf DIR: init, validate and plan; the output in $work/tf.out.
tf() {
	(cd "$1" && rm -rf "$TF_DATA_DIR" .terraform.lock.hcl &&
		timeout 120 terraform init -backend=false -input=false >"$work/tf.out" 2>&1 &&
		timeout 120 terraform validate -no-color >>"$work/tf.out" 2>&1 &&
		timeout 120 terraform plan -no-color -input=false -lock=false \
			-var-file=terraform.tfvars >>"$work/tf.out" 2>&1)
}

A=$WB_SRCDIR/tests/render/cases/aws-terraform/answers.yaml
export WB_LICENSE=license-for-the-terraform-test
root=$work/root
render_root "$A" "$root"
ok $? "render writes the AWS Terraform files"
tf "$root"
rc=$?
[ $rc -eq 0 ] || diag "$(tail -n 20 "$work/tf.out")"
ok $rc "${need[0]}"

# Each negative case edits a copy of the good root; validate must refuse.
neg() {	# DESCRIPTION PATTERN PYTHON-EDIT
	rm -rf "$work/neg"
	cp -r "$root" "$work/neg"
	rm -rf "$work/neg/.terraform"
	python3 -c "$3" "$work/neg/main.tf"
	tf "$work/neg" && { ok 1 "$1"; return; }
	grep -q "$2" "$work/tf.out"
	ok $? "$1"
}
neg "${need[1]}" "Unsupported argument" 'import sys; p=sys.argv[1]; s=open(p).read(); open(p,"w").write(s.replace("  create_elasticache = ", "  create_elasticache_subnet = true\n  create_elasticache = ", 1))'
neg "${need[2]}" "Missing required argument" 'import re,sys; p=sys.argv[1]; s=open(p).read(); open(p,"w").write(re.sub(r"\n\s*zone_id\s*=\s*var.zone_id", "", s, 1))'
neg "${need[3]}" "Invalid value for input variable\|Incorrect attribute value type" 'import sys; p=sys.argv[1]; s=open(p).read(); open(p,"w").write(s.replace("public_access                  = true", "public_access                  = [1, 2]", 1))'
neg "${need[4]}" "Unsupported attribute" 'import sys; p=sys.argv[1]; s=open(p).read(); open(p,"w").write(s + "\noutput \"nope\" {\n  value = module.wandb_infra.no_such_output\n}\n")'

# Redis off and the internal queue: explicit, and the module takes them.
sed -e 's/redis: true/redis: false/' -e 's/external_queue: true/external_queue: false/' \
    "$A" >"$work/off.yaml"
render_root "$work/off.yaml" "$work/off" &&
    grep -q "create_elasticache = false" "$work/off/main.tf" &&
    grep -q "use_internal_queue = true" "$work/off/main.tf" && tf "$work/off"
rc=$?
[ $rc -eq 0 ] || diag "$(tail -n 20 "$work/tf.out" "$work/render.out" 2>/dev/null)"
ok $rc "${need[5]}"

sed 's/eks_cluster_version: "1.30"/eks_cluster_version: "1.29"/' "$work/off.yaml" >"$work/old.yaml"
"$WBINSTALL" validate --answers "$work/old.yaml" >"$work/v.out" 2>&1
[ $? -eq 2 ] && grep -q "aws.eks_cluster_version: must be 1.30" "$work/v.out"
ok $? "${need[6]}"
done_testing
