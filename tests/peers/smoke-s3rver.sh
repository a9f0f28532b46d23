#!/bin/bash
# Smoke test (TAP) for tests/peers/s3rver.sh: bucket and object round
# trips with botocore (python3-botocore), presigned URLs fetched with
# urllib, and a CORS preflight with curl.
# shellcheck disable=SC2317 # functions run from traps and tap_check
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

command -v "${WB_S3RVER_BIN:-s3rver}" >/dev/null ||
	tap_skip_all "s3rver not installed (npm install -g s3rver@3.7.1)"
command -v curl >/dev/null || tap_skip_all "curl not installed"
py=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import botocore.session' 2>/dev/null; then
		py=$p
		break
	fi
done
[ -n "$py" ] || tap_skip_all "python3 with botocore not available (python3-botocore)"

smoke_setup s3rver
cleanup() {
	"$here/s3rver.sh" stop all || true
	rm -rf -- "$WB_PEER_DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# number of result lines the python part prints
n_py=9
tap_plan $((n_py + 5))

if smoke_start "$here/s3rver.sh" wb-precreated; then
	tap_ok "s3rver started on $WB_S3_ENDPOINT"
else
	tap_not_ok "s3rver start"
	tap_bail "cannot start s3rver"
fi
pid=$WB_S3_PID

# The python part prints "ok DESC" or "fail DESC: DETAIL", one per check.
results=$(timeout 60 "$py" - <<'EOF' || true
import os, sys, urllib.request
import botocore.session
import botocore.exceptions
from botocore.config import Config

def out(ok, desc, detail=""):
    print(("ok " if ok else "fail ") + desc + (": " + detail if detail and not ok else ""))
    sys.stdout.flush()

def check(desc, fn):
    try:
        r = fn()
        out(r is not False, desc, "" if r is not False else "check returned False")
    except Exception as e:  # report and go on
        out(False, desc, "%s: %s" % (type(e).__name__, str(e).replace("\n", " ")))

cfg = dict(s3={"addressing_style": "path"}, signature_version="s3v4",
           retries={"max_attempts": 1}, connect_timeout=5, read_timeout=10)
try:  # botocore >= 1.36 adds CRC checksums by default; keep requests plain
    config = Config(request_checksum_calculation="when_required",
                    response_checksum_validation="when_required", **cfg)
except TypeError:
    config = Config(**cfg)
session = botocore.session.get_session()
s3 = session.create_client(
    "s3", region_name=os.environ["WB_S3_REGION"],
    endpoint_url="http://" + os.environ["WB_S3_ENDPOINT"],
    aws_access_key_id=os.environ["WB_S3_ACCESS_KEY"],
    aws_secret_access_key=os.environ["WB_S3_SECRET_KEY"], config=config)

body = b"hello from wbinstall\n"
check("create_bucket smoke-bucket", lambda: s3.create_bucket(Bucket="smoke-bucket"))
check("list_buckets shows both buckets", lambda: {"smoke-bucket", "wb-precreated"}
      <= {b["Name"] for b in s3.list_buckets()["Buckets"]})
check("put_object", lambda: s3.put_object(Bucket="smoke-bucket", Key="dir/hello.txt", Body=body))
check("get_object returns the same bytes", lambda:
      s3.get_object(Bucket="smoke-bucket", Key="dir/hello.txt")["Body"].read() == body)

def presigned_get():
    url = s3.generate_presigned_url("get_object", ExpiresIn=300,
                                    Params={"Bucket": "smoke-bucket", "Key": "dir/hello.txt"})
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status == 200 and r.read() == body
check("presigned GET URL fetched with urllib", presigned_get)

def presigned_put():
    url = s3.generate_presigned_url("put_object", ExpiresIn=300,
                                    Params={"Bucket": "smoke-bucket", "Key": "up.bin"})
    req = urllib.request.Request(url, data=b"\x00\x01uploaded", method="PUT")
    with urllib.request.urlopen(req, timeout=10) as r:
        if r.status != 200:
            return False
    return s3.get_object(Bucket="smoke-bucket", Key="up.bin")["Body"].read() == b"\x00\x01uploaded"
check("presigned PUT URL with urllib, read back", presigned_put)

check("pre-created bucket has the CORS rules", lambda: "*" in
      s3.get_bucket_cors(Bucket="wb-precreated")["CORSRules"][0]["AllowedOrigins"])

def delete():
    s3.delete_object(Bucket="smoke-bucket", Key="dir/hello.txt")
    s3.delete_object(Bucket="smoke-bucket", Key="up.bin")
    return s3.list_objects_v2(Bucket="smoke-bucket").get("KeyCount", 0) == 0
check("delete_object empties the bucket", delete)

def bad_signature():
    bad = session.create_client(
        "s3", region_name=os.environ["WB_S3_REGION"],
        endpoint_url="http://" + os.environ["WB_S3_ENDPOINT"],
        aws_access_key_id="NOT-S3RVER",
        aws_secret_access_key="not-the-secret", config=config)
    try:
        bad.list_buckets()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"] == "InvalidAccessKeyId"
    return False
# (s3rver checks the access key id, but not SigV4 signatures)
check("an unknown access key is rejected (InvalidAccessKeyId)", bad_signature)
EOF
)
i=0
while IFS= read -r line; do
	[ -n "$line" ] || continue
	i=$((i + 1))
	case $line in
	"ok "*) tap_ok "botocore: ${line#ok }" ;;
	*)
		tap_not_ok "botocore: ${line#fail }"
		;;
	esac
done <<<"$results"
while [ "$i" -lt "$n_py" ]; do
	i=$((i + 1))
	tap_not_ok "botocore check $i did not run"
done

hdrs=$(curl -sS --max-time 10 -o /dev/null -D - -X OPTIONS \
	-H 'Origin: http://wandb.example' -H 'Access-Control-Request-Method: PUT' \
	-H 'Access-Control-Request-Headers: content-type' \
	"$WB_S3_URL/wb-precreated/some/key" | tr -d '\r' || true)
tap_like "CORS preflight on the pre-created bucket allows PUT" "$hdrs" \
	'Access-Control-Allow-Methods: [^'$'\n'']*PUT'
tap_like "CORS preflight allows any origin" "$hdrs" 'Access-Control-Allow-Origin: \*'

code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$WB_S3_URL/smoke-bucket/nope" || true)
tap_is "GET of a missing key answers 404" "$code" 404

"$here/s3rver.sh" stop
if peer_pid_alive "$pid" || [ -e "$WB_PEER_DIR/s3rver" ]; then
	tap_not_ok "stop ends s3rver and removes its state"
else
	tap_ok "stop ends s3rver and removes its state"
fi

tap_done
