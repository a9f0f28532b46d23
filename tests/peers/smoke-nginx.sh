#!/bin/bash
# Smoke test (TAP) for tests/peers/nginx.sh: the default static config and
# a config template, fetched with curl; a non-loopback listen is refused.
# shellcheck disable=SC2317 # functions run from traps and tap_check
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

if ! command -v "${WB_NGINX_BIN:-nginx}" >/dev/null && [ ! -x /usr/sbin/nginx ]; then
	tap_skip_all "nginx not installed"
fi
command -v curl >/dev/null || tap_skip_all "curl not installed"

smoke_setup nginx
cleanup() {
	"$here/nginx.sh" stop all || true
	rm -rf -- "$WB_PEER_DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

get() { curl -fsS --max-time 10 "$@"; }

tap_plan 9

unset WB_PEER_INSTANCE
if smoke_start "$here/nginx.sh"; then
	tap_ok "nginx started on $WB_NGINX_HOST:$WB_NGINX_PORT"
else
	tap_not_ok "nginx start"
	tap_bail "cannot start nginx"
fi
a_pid=$WB_NGINX_PID

tap_is "curl the static file" "$(get "$WB_NGINX_URL/hello.txt" || true)" "hello from the nginx peer"
tap_is "missing file answers 404" \
	"$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$WB_NGINX_URL/missing" || true)" 404
echo "added later" >"$WB_NGINX_ROOT/later.txt"
tap_is "files added to WB_NGINX_ROOT are served" "$(get "$WB_NGINX_URL/later.txt" || true)" "added later"

# A config template with placeholders, as a test would pass one.
cat >"$SMOKE_TMP/custom.conf" <<'EOF'
worker_processes 1;
events { worker_connections 32; }
http {
    include @WB_NGINX_HTTP_CONF@;
    server {
        listen @WB_NGINX_HOST@:@WB_NGINX_PORT@;
        location = /custom { default_type text/plain; return 200 "custom template\n"; }
        location / { root @WB_NGINX_ROOT@; }
    }
}
EOF
if WB_PEER_INSTANCE=custom smoke_start "$here/nginx.sh" "$SMOKE_TMP/custom.conf"; then
	tap_ok "second nginx from a config template on port $WB_NGINX_PORT"
else
	tap_not_ok "second nginx from a config template"
fi
b_pid=${WB_NGINX_PID:-}
tap_is "template's location answers" "$(get "$WB_NGINX_URL/custom" || true)" "custom template"

sed 's/listen @WB_NGINX_HOST@:@WB_NGINX_PORT@;/listen @WB_NGINX_PORT@;/' \
	"$SMOKE_TMP/custom.conf" >"$SMOKE_TMP/wildcard.conf"
if out=$(WB_PEER_INSTANCE=wildcard "$here/nginx.sh" start "$SMOKE_TMP/wildcard.conf" 2>&1); then
	tap_not_ok "a non-loopback listen is refused"
else
	tap_like "a non-loopback listen is refused" "$out" "not a loopback address"
fi
if [ -e "$WB_PEER_DIR/nginx-wildcard" ]; then
	tap_not_ok "the refused start leaves no state behind"
else
	tap_ok "the refused start leaves no state behind"
fi

"$here/nginx.sh" stop
"$here/nginx.sh" stop custom
if peer_pid_alive "$a_pid" || { [ -n "$b_pid" ] && peer_pid_alive "$b_pid"; } ||
	[ -e "$WB_PEER_DIR/nginx" ] || [ -e "$WB_PEER_DIR/nginx-custom" ]; then
	tap_not_ok "stop ends both nginx and removes their state"
else
	tap_ok "stop ends both nginx and removes their state"
fi

tap_done
