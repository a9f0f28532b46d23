#!/usr/bin/env bash
# The Air gap screen with a real bundle (two umoci images sharing a layer,
# as tests/bundle/common.sh builds them) and a real registry
# (tests/peers/registry.sh): the inspect summary and F3, then F4 verify,
# F5 unpack and F6 push with their progress view; skopeo finds the images
# in the registry.  A tampered bundle fails F4 and F6 pushes nothing; a
# push to a registry that never answers is cancelled with Esc.
set -u
. "$(dirname "$0")/lib.sh"
tui_need docker-registry skopeo curl
. "$WB_SRCDIR/tests/bundle/common.sh"
PEERS=$WB_SRCDIR/tests/peers
export WB_PEER_DIR=$T/peers
ag_cleanup() {
	"$PEERS/registry.sh" stop all >/dev/null 2>&1
	tui_cleanup
	rm -rf "$T"
}
trap ag_cleanup EXIT
env=$("$PEERS/registry.sh" start 2>"$T/registry.err") || {
	echo "1..0 # SKIP registry peer did not start: $(tail -n 1 "$T/registry.err")"
	exit 0
}
eval "$env"
REG=$WB_REGISTRY
uploads() { grep -c 'POST /v2/[^ ]*/blobs/uploads' "$WB_REGISTRY_DIR/registry.log" || true; }
catalog() { curl -fsS "http://$REG/v2/_catalog"; }

make_source
wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
	--charts "$T/charts" --out "$tui_work/b.tar.zst" >/dev/null
must $? "a bundle of two images and a chart"
python3 "$TAMPER" "$tui_work/b.tar.zst" "$tui_work/bad.tar.zst" flip \
	oci/index.json
# A registry that accepts connections and never answers.
tui_silent "$T/silent.port"
silent=127.0.0.1:$(cat "$T/silent.port")

# mkans FILE BUNDLE REGISTRY: air-gapped answers; relative paths are
# relative to the answers the wizard writes (in $tui_work).
mkans() {
	cat >"$1" <<EOA
version: 1
deployment:
  platform: kubernetes
airgap:
  enabled: true
  bundle: $2
  registry: $3
  plain_http: true
  registry_user: pusher
  registry_password: {env: WB_TEST_REGISTRY_PW}
EOA
	[ -n "${4:-}" ] && echo "  chart_repo: $4" >>"$1"
	return 0
}

# at_airgap ANSWERS: (re)start the wizard on ANSWERS, go to Air gap.
at_airgap() { tui_at "$1" 2 "Air gap"; }
pw=regpw-$RANDOM-secret
export TUI_ENV="WB_TEST_REGISTRY_PW=$pw"

# A tampered bundle: inspect still reads its head; verify and push fail.
mkans "$tui_work/bad.yaml" bad.tar.zst "$REG"
at_airgap "$tui_work/bad.yaml"
tui_wait "wandb-server 0.0.1-test, not signed. Images: 2, charts: 1"
check $? "the summary shows what inspect shows"
tui_keys F4
tui_wait "altered" 10; must $? "F4: verify names the altered file"
tui_screen | grep -q "oci/index.json"
check $? "the message names oci/index.json"
tui_keys Enter
tui_gone "Bundle:   "
tui_screen | grep -q "Verify: .*altered"
check $? "the status line keeps the failure"
tui_keys F6
tui_wait "altered" 10; must $? "F6: push refuses the bundle"
tui_keys Enter
[ "$(catalog)" = '{"repositories":[]}' ] && [ "$(uploads)" = 0 ]
ok $? "nothing was pushed"
[ ! -e "$tui_work/bad.unpacked/.verified" ]
ok $? "nothing was reported unpacked"

# An unreadable bundle: a clear message naming the file, no crash.
printf 'not a bundle' >"$tui_work/junk.tar.zst"
mkans "$tui_work/junk.yaml" junk.tar.zst "$REG"
at_airgap "$tui_work/junk.yaml"
tui_wait "junk.tar.zst: cannot read"; check $? "a file that is no bundle"
tui_keys F3
tui_wait "junk.tar.zst: cannot read"; check $? "F3 says so too"
tui_keys Escape F4
tui_wait "junk.tar.zst" 5
tui_keys Enter
tui_title "Air gap"; check $? "still on Air gap"

# The good bundle: inspect, verify, unpack, push (its charts to
# airgap.chart_repo, where the install takes them).
mkans "$tui_work/ok.yaml" b.tar.zst "$REG" "oci://$REG/site/charts"
at_airgap "$tui_work/ok.yaml"
tui_wait "wandb-server 0.0.1-test, not signed. Images: 2, charts: 1"
must $? "the summary of the good bundle"
tui_screen | tr -s ' \n' '  ' |
	grep -q "KiB in 9 files. Requires kubernetes 1.29, mysql 8.0.0, helm"
check $? "the summary gives the size and the requirements"
tui_keys F3
tui_wait "Bundle: wandb-server 0.0.1-test"; must $? "F3 opens the inspect view"
scr=$(tui_screen)
grep -q "wandb/one:one" <<<"$scr" && grep -q "wandb/two:two" <<<"$scr" &&
	grep -q "operator *1.4.8" <<<"$scr"
check $? "it lists the images and the chart"
tui_keys Escape
tui_gone "Bundle: wandb-server"
tui_keys F4
tui_wait "verified:" 10; must $? "F4 verifies"
scr=$(tui_screen)
grep -q "100%" <<<"$scr"; check $? "the progress bar is full"
grep -q "Enter Close" <<<"$scr"; check $? "the view waits to be closed"
tui_keys Enter
tui_gone "Enter Close"
tui_keys F5
tui_wait "unpacked into" 30; must $? "F5 unpacks"
tui_screen | grep -q "Into: .*b.unpacked"
check $? "into the directory beside the bundle"
tui_keys Enter
[ -s "$tui_work/b.unpacked/.verified" ] && [ -d "$tui_work/b.unpacked/oci" ]
ok $? "the unpacked bundle is there"
tui_keys F6
tui_wait "pushed 2 images" 20; must $? "F6 pushes"
tui_screen | grep -q "Registry: $REG"; check $? "to the registry of the answers"
tui_keys Enter
for i in one two; do
	got=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' \
		"docker://$REG/wandb/$i:$i")
	[ "$got" = "$(src_digest $i)" ]
	ok $? "skopeo inspect on the registry: wandb/$i:$i is $got"
done
# F6, install and bundle push put the charts in one place: the push
# options come from one core function (plan_push_from_answers).
skopeo inspect --raw --tls-verify=false "docker://$REG/site/charts/operator:1.4.8" |
	grep -q "application/vnd.cncf.helm.config.v1+json"
ok $? "F6 pushed the chart to airgap.chart_repo (site/charts/operator:1.4.8)"
{
	cat "$tui_work/ok.yaml"
	cat <<EOA
domain: {fqdn: wandb.corp.internal}
license: {value: {value: "x"}}
targets: [{host: 127.0.0.9, port: 1, roles: [app]}]
mysql: {host: 127.0.0.1, port: 9, password: {value: "x"}}
storage: {provider: s3, bucket: wandb-files, region: us-east-1, access_key: {value: "x"}, secret_key: {value: "x"}}
EOA
} >"$tui_work/full.yaml"
WB_TEST_REGISTRY_PW=$pw wb install --answers "$tui_work/full.yaml" --dry-run 2>&1 |
	grep -qF "and its charts, as OCI artifacts, to oci://$REG/site/charts/NAME:VERSION"
ok $? "install --dry-run pushes them to the same place"
WB_TEST_REGISTRY_PW=$pw wb bundle push "$tui_work/b.tar.zst" --registry "$REG" \
	--plain-http --chart-repo "oci://$REG/site/charts" 2>/dev/null |
	grep -q "0 blobs uploaded"
ok $? "and bundle push with the same --chart-repo finds everything there already"
tui_screen | grep -q "$pw"
[ $? -ne 0 ]; ok $? "the registry password is never shown"
! grep -rqF "$pw" "$tui_work/state" 2>/dev/null
ok $? "nor logged"

# airgap.bundle_pubkey: F4 checks the signature too; an unsigned bundle
# fails, and F6 pushes nothing from it.
wb bundle keygen --out "$tui_work/site.key" >/dev/null &&
	wb bundle create --spec "$T/spec.yaml" --source "oci:$T/src" \
		--charts "$T/charts" --sign-key "$tui_work/site.key" \
		--out "$tui_work/signed.tar.zst" >/dev/null
must $? "a signed bundle"
mkans "$tui_work/signed.yaml" signed.tar.zst "$REG"
echo "  bundle_pubkey: site.key.pub" >>"$tui_work/signed.yaml"
at_airgap "$tui_work/signed.yaml"
tui_wait "0.0.1-test, signed" 10; must $? "the summary says signed"
tui_keys F4
tui_wait "verified: signed by the key in" 10
check $? "F4 checks the signature with airgap.bundle_pubkey"
tui_keys Enter
tui_gone "Enter Close"
mkans "$tui_work/unsigned.yaml" b.tar.zst "$silent"
echo "  bundle_pubkey: site.key.pub" >>"$tui_work/unsigned.yaml"
at_airgap "$tui_work/unsigned.yaml"
tui_keys F4
tui_wait "not signed" 10; check $? "with a key, an unsigned bundle fails F4"
tui_keys Enter
tui_gone "Enter Close"
tui_keys F6
tui_wait "not signed" 10; check $? "and F6, before the registry is asked"
tui_keys Enter

# A registry that never answers: Esc cancels the push.
mkans "$tui_work/silent.yaml" b.tar.zst "$silent"
at_airgap "$tui_work/silent.yaml"
tui_keys F6
tui_wait "Registry: $silent" 10; must $? "F6 starts the push"
sleep 0.5
start=$(date +%s)
tui_keys Escape
tui_wait "push cancelled" 10; check $? "Esc cancels the push"
[ $(($(date +%s) - start)) -lt 5 ]; check $? "at once"
tui_keys Enter
tui_screen | grep -q "Push: cancelled"; check $? "the status line says so"
tui_keys C-c y
rc=$(tui_exit 15)
[ "$rc" = 1 ]; check $? "Ctrl-C y quits (got $rc)"
done_testing
