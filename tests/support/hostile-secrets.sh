#!/bin/bash
# Hostile secrets x {install --dry-run, support-bundle, the log}: fourteen
# secrets holding ' \ " a tab, a newline, a CR, UTF-8, % and @, YAML and
# JSON syntax, SQL, a base64-looking one and a 4 KiB one, set as the
# license ({value: "..."} with YAML escapes), the MySQL password ({env}),
# and the bucket keys ({file} and {env}).  The pod logs (kubectl stand-in)
# quote them too, as JSON, SQL, percent-encoded and base64, so that they
# reach the log and the bundle in those forms.  No distinctive fragment of
# any of them may appear in what the dry run prints, in any file of the
# support bundle (nor in the raw archive) or in the log: searched as is
# (which also finds it escaped or percent-encoded, since the fragments
# are letters and digits) and in every base64 run, decoded from each of
# its four offsets.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"
# shellcheck source=tests/install/lib.sh
. "$WB_SRCDIR/tests/install/lib.sh"
# shellcheck source=tests/upgrade/lib.sh
. "$WB_SRCDIR/tests/upgrade/lib.sh"
install_need python3 tar gzip
export WBINSTALL_DATADIR=$WB_SRCDIR
setup_upgrade_standins
export PATH=$T/ustandins:$T/standins:$PATH

# The secrets: each one's fragments are its runs of 5 or more letters and
# digits ("hxNNtok" and friends), unique to it.
python3 - "$T/secrets" <<'EOF'
import os, random, sys
r = random.Random(14)
long = "hx08tok" + "".join(
    r.choice("abcdefghijklmnopqrstuvwxyz0123456789-_.~+/=") for _ in range(4096))
s = [
    "Qq'pass'word7-hx00tok",
    "back\\slash\\'hx01tok\\",
    'dq"hx02tok"\\"end"',
    "tab\thx03tok\tx",
    "nl-hx04tok\nsecond-hx04two\n\nthird-hx04thr",
    "cr-hx05tok\r\nhx05two-crlf\rhx05thr",
    "unicode-\ud55c\uae00-hx06tok-\u03c0-\U0001f511",
    "pct%41%-hx07tok@host:pw/x?y=z&w#f+%20",
    long,
    "aHgwOXRvaw==hx09tokQUJDREVGRw==",
    "- &a *b {x: [y]} # hx10tok --- ...",
    "x\\' ; CREATE DATABASE hx11tok; -- ",
    "'\"\\ ${hx12tok} $(id) `hx12two`",
    '{"hx13tok": "\\u0041", "k": [1]}',
]
os.makedirs(sys.argv[1])
for i, v in enumerate(s):
    open(os.path.join(sys.argv[1], str(i)), "w", encoding="utf-8",
         newline="").write(v)
EOF
n=$(find "$T/secrets" -type f | wc -l)

# scan SECRET-FILE FILE...: the fragments of the secret found in FILEs.
scan() {
	python3 - "$@" <<'EOF'
import base64, re, sys
secret = open(sys.argv[1], encoding="utf-8", newline="").read()
frags = sorted({f for f in re.findall(r"[A-Za-z0-9]{5,}", secret)
                if f not in ("CREATE", "DATABASE")})
# the 4 KiB one: its runs are many; a sample is enough
frags = [f.encode() for f in frags[:40]]
found = set()
for name in sys.argv[2:]:
    data = open(name, "rb").read()
    texts = [data]
    for run in re.findall(rb"[A-Za-z0-9+/=_-]{8,}", data):
        for off in range(4):
            chunk = run[off:]
            chunk = chunk[:len(chunk) - len(chunk) % 4]
            for alt in (chunk, chunk.replace(b"-", b"+").replace(b"_", b"/")):
                try:
                    texts.append(base64.b64decode(alt.rstrip(b"=") +
                                 b"=" * (-len(alt.rstrip(b"=")) % 4)))
                except Exception:
                    pass
    for f in frags:
        if any(f in t for t in texts):
            found.add("%s in %s" % (f.decode(), name))
print("\n".join(sorted(found)))
EOF
}

bad_dry= bad_bundle= bad_log= bad_run=
for i in $(seq 0 $((n - 1))); do
	d=$T/c$i
	mkdir -p "$d"
	s=$T/secrets/$i
	# The license as a YAML double-quoted scalar, escapes and all.
	lic=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1], encoding="utf-8", newline="").read(), ensure_ascii=False))' "$s")
	(umask 077; { printf 'AK-'; cat "$s"; } >"$d/ak")
	cat >"$d/answers.yaml" <<YAML
version: 1
deployment:
  platform: kubernetes
domain:
  fqdn: wandb.test
license:
  value: {value: $lic}
targets:
  - host: 127.0.0.1
    port: 9
    roles: [app]
kubernetes:
  namespace: wandb
mysql:
  host: 127.0.0.1
  port: 9
  password: {env: WB_PW}
  admin:
    user: root
    password: {env: WB_PW}
storage:
  provider: s3
  endpoint: 127.0.0.1:9
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {file: ak}
  secret_key: {env: WB_SK}
YAML
	export WB_PW=$(cat "$s"; echo .) WB_SK
	WB_PW=${WB_PW%.}
	WB_SK=SK-$WB_PW
	log=$d/wbinstall.log
	"$WBINSTALL" -v --log "$log" validate --answers "$d/answers.yaml" --resolve \
		>"$d/validate.out" 2>&1
	rc1=$?
	"$WBINSTALL" -v --log "$log" install --answers "$d/answers.yaml" --dry-run \
		>"$d/dry.out" 2>&1
	rc2=$?
	# What a pod might log: the secret in the forms its libraries write.
	python3 - "$s" >"$T/fixtures/kubectl-logs.txt" <<'EOF'
import base64, json, sys, urllib.parse
v = open(sys.argv[1], encoding="utf-8", newline="").read()
b = v.encode()
print("info config: " + json.dumps({"password": v}))
print("info config (ascii): " + json.dumps({"license": v}, ensure_ascii=True))
print("debug sql: CREATE USER 'u'@'%' IDENTIFIED BY '" +
      v.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
      .replace("\r", "\\r") + "'")
print("debug url: mysql://u:" + urllib.parse.quote(v, safe="") + "@db:3306/x")
print("debug b64: " + base64.b64encode(b).decode())
print("debug b64 inside: " + base64.b64encode(b'{"auth":"' + b + b'"}').decode())
print("debug repr: " + repr(v))
EOF
	"$WBINSTALL" -v --log "$log" support-bundle --answers "$d/answers.yaml" \
		--out "$d/b.tar.gz" >"$d/bundle.out" 2>&1
	rc3=$?
	mkdir -p "$d/x"
	tar -xzf "$d/b.tar.gz" -C "$d/x" 2>/dev/null
	zcat "$d/b.tar.gz" >"$d/raw.tar" 2>/dev/null
	if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ] || [ $rc3 -ne 0 ] ||
		! grep -q "kubectl apply -f -" "$d/dry.out" ||
		[ ! -s "$d/x"/*/rendered/k8s/secrets.yaml ] ||
		[ ! -s "$d/x"/*/cluster/logs/wandb-app-7c9d8f6b5-x2lqp.txt ]; then
		bad_run="$bad_run $i"
		diag "secret $i: validate $rc1, dry run $rc2, support-bundle $rc3" \
			"$(tail -n 5 "$d/validate.out" "$d/dry.out" "$d/bundle.out")"
	fi
	f=$(scan "$s" "$d/dry.out" "$d/validate.out")
	[ -z "$f" ] || { bad_dry="$bad_dry $i"; diag "secret $i, dry run: $f"; }
	f=$(scan "$s" $(find "$d/x" -type f) "$d/raw.tar" "$d/bundle.out")
	[ -z "$f" ] || { bad_bundle="$bad_bundle $i"; diag "secret $i, support bundle: $f"; }
	f=$(scan "$s" "$log")
	[ -z "$f" ] || { bad_log="$bad_log $i"; diag "secret $i, log: $f"; }
done
[ -z "$bad_run" ]
ok $? "$n hostile secrets: validate --resolve, install --dry-run and support-bundle run${bad_run:+ (failed:$bad_run)}"
[ -z "$bad_dry" ]
ok $? "install --dry-run (the kubectl apply stdin and all) shows no fragment of any${bad_dry:+ (found:$bad_dry)}"
[ -z "$bad_bundle" ]
ok $? "the support bundle (answers.yaml, rendered/, the log, every file, the raw archive) holds no fragment of any${bad_bundle:+ (found:$bad_bundle)}"
[ -z "$bad_log" ]
ok $? "the log holds no fragment of any${bad_log:+ (found:$bad_log)}"

# Masked by reference: the shown files carry the mask where the secret was.
d=$T/c0
grep -q "license: '\*\*\*'" "$d/dry.out" &&
	grep -q "MYSQL_PASSWORD: '\*\*\*'" "$d"/x/*/rendered/k8s/secrets.yaml &&
	grep -q "IDENTIFIED BY '\*\*\*'" "$d"/x/*/rendered/mysql/bootstrap.sql &&
	grep -q "value: {value: '\*\*\*'}" "$d"/x/*/answers.yaml &&
	grep -q "password: {env: WB_PW}" "$d"/x/*/answers.yaml
ok $? "the dry run, the rendered files and answers.yaml carry *** where each secret is written; references by name are kept"
done_testing
