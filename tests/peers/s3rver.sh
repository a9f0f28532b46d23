#!/bin/bash
# Start/stop a private S3-compatible server (s3rver, npm package) on
# 127.0.0.1 over plain http, for the test suite.
#
#   eval "$(tests/peers/s3rver.sh start [BUCKET...])"
#   tests/peers/s3rver.sh stop [INSTANCE|STATE_DIR|all]
#
# Each BUCKET is created at startup (s3rver --configure-bucket) with the
# configuration files listed in $WB_S3_BUCKET_CONFIGS (space separated
# XML files: a <CORSConfiguration> and/or a <WebsiteConfiguration>); by
# default with a permissive CORS configuration (any origin; GET, PUT,
# POST, HEAD, DELETE; any header; ETag exposed), written to
# $WB_S3_CORS_XML.  Buckets created later through the S3 API have no CORS
# rules until PutBucketCors is called (s3rver supports it).
#
# Credentials are s3rver's fixed S3RVER/S3RVER.  s3rver 3.7.1 rejects an
# unknown access key id (InvalidAccessKeyId) and checks V2 signatures, but
# does not verify SigV4 signatures, so a wrong secret goes unnoticed there.
# Nor does it check Content-MD5: it runs under s3rver-md5.js, which
# refuses a PUT whose Content-MD5 does not match its body with BadDigest
# (a malformed one with InvalidDigest), as S3 does; WB_S3_CHECK_MD5=0
# runs plain s3rver.
set -euo pipefail

PEER_NAME=s3rver
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

S3RVER_BIN=${WB_S3RVER_BIN:-s3rver}

usage() {
	cat >&2 <<'EOF'
usage: s3rver.sh start [BUCKET...]
       s3rver.sh stop [INSTANCE|STATE_DIR|all]
instance name: $WB_PEER_INSTANCE (state dir $WB_PEER_DIR/s3rver[-INSTANCE])
EOF
	exit 2
}

s3rver_start() {
	local b
	for b in "$@"; do
		[[ $b =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || {
			echo "s3rver.sh: invalid bucket name '$b'" >&2
			exit 2
		}
	done
	local configs=() c
	# shellcheck disable=SC2206 # word splitting is intended
	[ -z "${WB_S3_BUCKET_CONFIGS:-}" ] || configs=(${WB_S3_BUCKET_CONFIGS})
	for c in "${configs[@]}"; do
		[ -f "$c" ] || {
			echo "s3rver.sh: bucket config '$c' not found" >&2
			exit 2
		}
	done
	local md5=${WB_S3_CHECK_MD5:-1} cmd
	peer_begin_start s3rver "${WB_PEER_INSTANCE:-}" "buckets=$* configs=${configs[*]} md5=$md5"
	peer_require "$S3RVER_BIN"
	cmd=("$S3RVER_BIN")
	if [ "$md5" = 1 ]; then
		peer_require node
		# The package's directory, from its command (bin/s3rver.js).
		cmd=(node "$(dirname "$0")/s3rver-md5.js"
			"$(dirname "$(dirname "$(readlink -f "$(command -v "$S3RVER_BIN")")")")")
	fi

	local d=$PEER_STATE host=127.0.0.1 port args=()
	port=$(peer_free_port "$host")
	mkdir -p "$d/data"
	cat >"$d/cors.xml" <<'EOF'
<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>
EOF
	[ "${#configs[@]}" -gt 0 ] || configs=("$d/cors.xml")
	for b in "$@"; do
		args+=(--configure-bucket "$b" "${configs[@]}")
	done
	local silent=(--silent)
	[ "${WB_PEER_VERBOSE:-0}" = 0 ] || silent=()
	# Path-style only: behind a proxy the Host is a name, which s3rver
	# would otherwise take for a bucket (virtual-host style).
	peer_spawn "$d/s3rver.log" "${cmd[@]}" --no-vhost-buckets --directory "$d/data" \
		--address "$host" --port "$port" "${silent[@]}" "${args[@]}"
	peer_wait_port "$host" "$port" "$PEER_PID" "$d/s3rver.log"

	peer_export WB_S3_ENDPOINT "$host:$port"
	peer_export WB_S3_URL "http://$host:$port"
	peer_export WB_S3_ACCESS_KEY S3RVER
	peer_export WB_S3_SECRET_KEY S3RVER
	peer_export WB_S3_REGION us-east-1
	peer_export WB_S3_BUCKETS "$*"
	peer_export WB_S3_CORS_XML "$d/cors.xml"
	peer_export WB_S3_PID "$PEER_PID"
	peer_export WB_S3_DIR "$d"
	peer_end_start
}

case ${1:-} in
start)
	shift
	s3rver_start "$@"
	;;
stop)
	shift
	[ $# -le 1 ] || usage
	peer_stop s3rver "${1:-${WB_PEER_INSTANCE:-}}"
	;;
*) usage ;;
esac
