#!/usr/bin/env bash
# The rendered files against their real consumers, with secrets that hold
# '"#:@/&<% and a newline (the bare-metal license, which docker's env file
# carries as is, one line with blanks at both ends, $, `, \ and UTF-8
# instead; a newline, a CR or bytes that are not UTF-8 there are refused,
# exit 2): nginx -t on nginx/wandb.conf (throwaway
# certificate), xmllint and s3rver's PutBucketCors (signed with botocore)
# on storage/cors.xml, MariaDB started with mysql/wandb.cnf and fed
# mysql/bootstrap.sql, the env file read by the real docker CLI
# (`docker create --env-file` against a recording API socket of our own,
# tests/render/docker-api.py), and Terraform (when installed) on
# terraform/aws.  A check whose program is missing is skipped.
set -u
. "$(dirname "$0")/../lib.sh"
peers=$WB_SRCDIR/tests/peers
work=$(mktemp -d)
export WB_PEER_DIR=$work/peers XDG_STATE_HOME=$work/state
export WBINSTALL_DATADIR=$WB_SRCDIR
cleanup() {
	[ -x "$peers/s3rver.sh" ] && "$peers/s3rver.sh" stop all >/dev/null 2>&1
	[ -x "$peers/mariadb.sh" ] && "$peers/mariadb.sh" stop all >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }
have() { command -v "$1" >/dev/null 2>&1; }
py=
for p in python3 /usr/bin/python3; do
	if have "$p" && "$p" -c 'import botocore.session' 2>/dev/null; then
		py=$p
		break
	fi
done

# The nasty values, in secret files (no trailing newline).
nasty=$(printf '\x27"#:@/&<%%\nsecond line')
mkdir -p "$work/in"
(
	umask 077
	printf '%s-license' "$nasty" >"$work/in/license"
	# What docker's env file carries: one line, blanks at both ends.
	printf ' %s\t$HOME `x` \\ = \xed\x95\x9c -license ' "${nasty%%$'\n'*}" \
	    >"$work/in/license-env"
	printf '%s-mysql' "$nasty" >"$work/in/mysql"
	printf '%s-ak' "$nasty" >"$work/in/ak"
	printf '%s-sk' "$nasty" >"$work/in/sk"
)
cat >"$work/in/answers.yaml" <<'EOF'
version: 1
deployment:
  platform: baremetal
domain:
  fqdn: wandb.test.example
license:
  value: {file: license-env}
targets:
  - host: 127.0.0.1
    roles: [app, db]
  - host: "::1"
    roles: [app]
mysql:
  host: 127.0.0.1
  password: {file: mysql}
storage:
  endpoint: 127.0.0.1:9000
  bucket: wandb-files
  tls: false
  access_key: {file: ak}
  secret_key: {file: sk}
EOF
out=$work/out
"$WBINSTALL" render --answers "$work/in/answers.yaml" --out "$out" >/dev/null 2>"$work/err"
rc=$?
[ $rc -eq 0 ] || diag "$(cat "$work/err")"
ok $rc "render with nasty secrets"

# nginx -t, with a certificate made here; prefix, pid and logs in $work.
if have nginx && have openssl; then
	mkdir -p "$work/nginx/ssl" "$work/nginx/logs"
	cp "$out/nginx/wandb.conf" "$work/nginx/"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$work/nginx/ssl/wandb.test.example.key" \
		-out "$work/nginx/ssl/wandb.test.example.crt" \
		-subj /CN=wandb.test.example -days 1 >/dev/null 2>&1
	nginx -t -q -p "$work/nginx/" -c "$work/nginx/wandb.conf" \
		-e "$work/nginx/logs/error.log" \
		-g "pid $work/nginx/nginx.pid;" >"$work/nginx.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || diag "$(cat "$work/nginx.out")"
	ok $rc "nginx -t accepts nginx/wandb.conf"
else
	skip "nginx -t accepts nginx/wandb.conf" "nginx or openssl missing"
fi

if have xmllint; then
	xmllint --noout "$out/storage/cors.xml"
	ok $? "xmllint: storage/cors.xml is well formed"
else
	skip "xmllint: storage/cors.xml is well formed" "xmllint missing"
fi

# s3rver: PUT ?cors with the rendered bytes, then read the rules back.
if [ -n "$py" ] && have "${WB_S3RVER_BIN:-s3rver}" &&
	s3env=$("$peers/s3rver.sh" start 2>"$work/s3.err") && eval "$s3env"; then
	WB_CORS_FILE=$out/storage/cors.xml timeout 60 "$py" - >"$work/s3.out" 2>&1 <<'EOF'
import base64, hashlib, os, urllib.request
import botocore.session
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

url, region = os.environ["WB_S3_URL"], os.environ["WB_S3_REGION"]
s = botocore.session.get_session()
c = s.create_client("s3", endpoint_url=url, region_name=region,
                    aws_access_key_id=os.environ["WB_S3_ACCESS_KEY"],
                    aws_secret_access_key=os.environ["WB_S3_SECRET_KEY"],
                    config=Config(s3={"addressing_style": "path"}))
c.create_bucket(Bucket="cors-test")
body = open(os.environ["WB_CORS_FILE"], "rb").read()
req = AWSRequest(method="PUT", url=url + "/cors-test?cors", data=body,
                 headers={"Content-Type": "application/xml",
                          "Content-MD5": base64.b64encode(
                              hashlib.md5(body).digest()).decode()})
S3SigV4Auth(Credentials(os.environ["WB_S3_ACCESS_KEY"],
                        os.environ["WB_S3_SECRET_KEY"]), "s3",
            region).add_auth(req)
p = req.prepare()
r = urllib.request.urlopen(urllib.request.Request(
    p.url, data=body, headers=dict(p.headers), method="PUT"))
assert r.status == 200, r.status
rules = c.get_bucket_cors(Bucket="cors-test")["CORSRules"]
assert len(rules) == 1, rules
r = rules[0]
assert r["AllowedOrigins"] == ["https://wandb.test.example"], r
assert sorted(r["AllowedMethods"]) == ["GET", "HEAD", "PUT"], r
assert r["AllowedHeaders"] == ["*"], r
assert r["ExposeHeaders"] == ["ETag"], r
assert r["MaxAgeSeconds"] == 3000, r
print("ok")
EOF
	grep -qx ok "$work/s3.out"
	rc=$?
	[ $rc -eq 0 ] || diag "$(cat "$work/s3.out")"
	ok $rc "s3rver accepts storage/cors.xml (PutBucketCors) and returns the seed's rule"
	"$peers/s3rver.sh" stop >/dev/null 2>&1
else
	[ -s "$work/s3.err" ] && diag "$(cat "$work/s3.err")"
	skip "s3rver accepts storage/cors.xml" "s3rver or python3-botocore missing"
fi

# MariaDB with the rendered parameter group, then the seed SQL.
if have mariadbd && myenv=$("$peers/mariadb.sh" start "$out/mysql/wandb.cnf" 2>"$work/my.err") &&
	eval "$myenv"; then
	bad=0
	while read -r name _ value; do
		value=${value//\'/}
		got=$(mariadb --defaults-file="$WB_MYSQL_CLIENT_CNF" -N -B -e \
			"SELECT @@GLOBAL.$name" 2>&1)
		if [ "$got" != "$value" ]; then
			diag "$name: server has '$got', wandb.cnf '$value'"
			bad=1
		fi
	done < <(grep -E '^[a-z_]+ = ' "$out/mysql/wandb.cnf")
	ok $bad "MariaDB started with mysql/wandb.cnf shows each parameter"
	mariadb --defaults-file="$WB_MYSQL_CLIENT_CNF" <"$out/mysql/bootstrap.sql" 2>"$work/sql.err"
	rc=$?
	[ $rc -eq 0 ] || diag "$(cat "$work/sql.err")"
	ok $rc "mysql/bootstrap.sql runs"
	got=$(MYSQL_PWD="$nasty-mysql" mariadb --no-defaults -h "$WB_MYSQL_HOST" \
		-P "$WB_MYSQL_PORT" -u wandb_local -N -B -e \
		'SELECT @@character_set_database, @@collation_database' wandb_local 2>&1)
	[ "$got" = "$(printf 'utf8mb4\tutf8mb4_general_ci')" ]
	ok $? "wandb_local logs in with the exact password; utf8mb4_general_ci"
	"$peers/mariadb.sh" stop >/dev/null 2>&1
else
	[ -s "$work/my.err" ] && diag "$(tail -n 20 "$work/my.err")"
	skip "MariaDB with mysql/wandb.cnf" "mariadbd missing or did not start"
fi

# The env file, read by the real docker CLI: the create request's Env must
# be the answers, byte for byte; the URLs decode to the exact keys.
docker_env() {	# ENV-FILE: the create request's body into $work/create.json
	local i=0 pid
	rm -f "$work/docker.sock" "$work/create.json"
	python3 "$WB_SRCDIR/tests/render/docker-api.py" "$work/docker.sock" \
		"$work/create.json" 2>"$work/docker-api.err" &
	pid=$!
	while [ ! -S "$work/docker.sock" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	DOCKER_HOST=unix://$work/docker.sock DOCKER_CONFIG=$work/docker-config \
		timeout 60 docker create --env-file "$1" wandb/local:test \
		>"$work/docker.out" 2>&1
	i=$?
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ $i -eq 0 ] || diag "$(cat "$work/docker.out" "$work/docker-api.err")"
	return $i
}
if have docker && have python3; then
	docker_env "$out/baremetal/wandb.env"
	ok $? "docker create --env-file reads baremetal/wandb.env"
	WB_LICENSE_FILE=$work/in/license-env WB_CREATE=$work/create.json \
		WB_NASTY=$nasty python3 - <<'EOF'
import json, os, sys
from urllib.parse import urlsplit, unquote, parse_qs
n = os.environ["WB_NASTY"]
lic = open(os.environ["WB_LICENSE_FILE"], encoding="utf-8").read()
env = json.load(open(os.environ["WB_CREATE"]))["Env"]
names = [e.split("=", 1)[0] for e in env]
if names != ["HOST", "LICENSE", "MYSQL", "BUCKET", "BUCKET_QUEUE"]:
    sys.exit("names: %r" % names)
v = dict(e.split("=", 1) for e in env)
if v["HOST"] != "https://wandb.test.example" or v["LICENSE"] != lic or \
        v["BUCKET_QUEUE"] != "internal://":
    sys.exit("values: %r" % env)
m = urlsplit(v["MYSQL"])
b = urlsplit(v["BUCKET"])
ok = (m.scheme == "mysql" and unquote(m.username) == "wandb_local" and
      unquote(m.password) == n + "-mysql" and m.hostname == "127.0.0.1" and
      m.port == 3306 and m.path == "/wandb_local" and
      b.scheme == "s3" and unquote(b.username) == n + "-ak" and
      unquote(b.password) == n + "-sk" and b.hostname == "127.0.0.1" and
      b.port == 9000 and b.path == "/wandb-files" and
      parse_qs(b.query) == {"tls": ["false"], "region": ["us-east-1"]})
sys.exit(0 if ok else "URLs: %r" % env)
EOF
	rc=$?
	ok $rc "the container's Env is the answers byte for byte (blanks, quotes, \$, \\, UTF-8 kept; the URLs decode to the exact credentials)"
else
	skip "docker create --env-file reads baremetal/wandb.env" "the docker CLI or python3 is missing"
	skip "the container's Env is the answers byte for byte" "the docker CLI or python3 is missing"
fi

# A value docker's env file cannot carry is refused, naming the key.
for c in 'newline:\nMYSQL=mysql://evil@x/y' 'CR:\rtail' 'not UTF-8:\xff'; do
	printf "lic-${c#*:}" >"$work/in/license-env"
	rm -rf "$work/bad"
	"$WBINSTALL" render --answers "$work/in/answers.yaml" --out "$work/bad" \
		>/dev/null 2>"$work/bad.err"
	rc=$?
	[ $rc -eq 2 ] && grep -q "license.value" "$work/bad.err" &&
		grep -q LICENSE "$work/bad.err" && [ ! -e "$work/bad/baremetal/wandb.env" ] &&
		! grep -q "lic-" "$work/bad.err"
	ok $? "a license with a ${c%%:*}: render exits 2 naming license.value, writes nothing"
	[ $rc -eq 2 ] || diag "exit $rc: $(cat "$work/bad.err")"
	"$WBINSTALL" install --answers "$work/in/answers.yaml" --dry-run \
		>"$work/bad.out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q "license.value" "$work/bad.out"
	ok $? "a license with a ${c%%:*}: install --dry-run exits 2 naming license.value"
	[ $rc -eq 2 ] || diag "exit $rc: $(cat "$work/bad.out")"
done

# Terraform: formatted, and the license reads back exactly.
if have terraform; then
	cat >"$work/in/aws.yaml" <<'EOF'
version: 1
deployment: {platform: aws-terraform}
domain: {fqdn: wandb-aws.example.com}
license: {value: {file: license}}
aws: {subdomain: wandb-aws, domain_name: example.com, zone_id: Z123, region: eu-central-1}
EOF
	"$WBINSTALL" render --answers "$work/in/aws.yaml" --out "$work/aws" >/dev/null 2>&1 &&
		terraform fmt -check "$work/aws/terraform/aws" >/dev/null 2>&1
	ok $? "terraform fmt -check accepts terraform/aws"
	mkdir -p "$work/tfc"
	cp "$work/aws/terraform/aws/variables.tf" "$work/aws/terraform/aws/terraform.tfvars" "$work/tfc/"
	got=$(cd "$work/tfc" && echo 'jsonencode(nonsensitive(var.license))' |
		TF_CLI_CONFIG_FILE=/dev/null timeout 60 terraform console -var-file=terraform.tfvars 2>/dev/null)
	WB_GOT=$got WB_NASTY=$nasty python3 -c '
import json, os, sys
sys.exit(0 if json.loads(json.loads(os.environ["WB_GOT"])) == os.environ["WB_NASTY"] + "-license" else 1)'
	ok $? "terraform.tfvars gives Terraform the exact license"
else
	skip "terraform fmt -check accepts terraform/aws" "terraform missing"
	skip "terraform.tfvars gives Terraform the exact license" "terraform missing"
fi
done_testing
