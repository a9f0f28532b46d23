#!/bin/bash
# Host preflight over SSH against real OpenSSH servers on loopback: each
# "host" is its own sshd on 127.0.0.N with its own host key.
# shellcheck source=tests/lib.sh
. "${WB_SRCDIR:?}/tests/lib.sh"

for c in /usr/sbin/sshd ssh-keygen ssh-agent ssh-add python3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "1..0 # SKIP $c is not installed"
		exit 0
	}
done

T=$(mktemp -d "${TMPDIR:-/tmp}/wb-hosts.XXXXXX")
export WB_PEER_DIR=$T/peers XDG_STATE_HOME=$T/state
unset SSH_AUTH_SOCK
PEERS=$WB_SRCDIR/tests/peers
HELPER=$WB_SRCDIR/tests/hosts/tcp-helper.py
pids=()
agent_pid=
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -z "$agent_pid" ] || kill "$agent_pid" 2>/dev/null
	"$PEERS/sshd.sh" stop all >/dev/null 2>&1
	rm -rf "$T" "${BENCH:-}"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

# Two hosts, A and B.
start_sshd() {	# N VAR-PREFIX
	local env
	env=$("$PEERS/sshd.sh" start "$1" 0 2>"$T/sshd-$1.err") || {
		echo "1..0 # SKIP sshd peer did not start: $(tail -n 1 "$T/sshd-$1.err")"
		exit 0
	}
	eval "$env"
	eval "$2_HOST=\$WB_SSHD_HOST $2_PORT=\$WB_SSHD_PORT $2_DIR=\$WB_SSHD_DIR"
}
start_sshd 2 A
start_sshd 3 B
USER_=$WB_SSHD_USER
# The same client key logs in to both.
cp "$B_DIR/authorized_keys" "$T/b-keys"
cat "$A_DIR/id_ed25519.pub" >>"$B_DIR/authorized_keys"
ID=$A_DIR/id_ed25519
# Every command A runs for this key leaves a marker first.
{
	printf 'command="touch %s/ran-on-a; exec sh -c \\"$SSH_ORIGINAL_COMMAND\\"" ' "$T"
	cat "$A_DIR/id_ed25519.pub"
} >"$A_DIR/authorized_keys"
cat "$A_DIR/known_hosts" "$B_DIR/known_hosts" >"$T/known_both"

# mkans FILE TARGETS...; settings from POLICY KNOWN IDENT TIMEOUT AIRGAP STORE EXTRA
mkans() {
	local f=$1 t
	shift
	{
		cat <<EOF
version: 1
deployment:
  products: models
  environment: test
  platform: kubernetes
domain:
  fqdn: wandb.example.com
license:
  value: {value: "x"}
ssh:
  user: $USER_
  identity: "${IDENT-$ID}"
  known_hosts: ${KNOWN:-$T/known_both}
  host_key_policy: ${POLICY:-strict}
  timeout_s: ${TIMEOUT:-20}
${EXTRA:-}
mysql:
  host: $A_HOST
  port: $A_PORT
  password: {value: "p"}
storage:
  endpoint: ${STORE:-$B_HOST:$B_PORT}
  bucket: wandb-files
  access_key: {value: "a"}
  secret_key: {value: "s"}
airgap:
  enabled: ${AIRGAP:-true}
  bundle: $T/bundle.tar.zst
  registry: registry.example.com:5000
targets:
EOF
		for t in "$@"; do
			printf '  - host: %s\n    port: %s\n    roles: [app]\n' \
			    "${t%:*}" "${t##*:}"
		done
	} >"$f"
}

# run NAME ANSWERS [ARGS]: preflight --json into $T/NAME.json, rc and time.
run() {
	local name=$1 ans=$2 start
	shift 2
	start=$(date +%s%N)
	"$WBINSTALL" --log "$T/wbinstall.log" preflight --answers "$ans" \
	    --checks hosts --json ${DISK:---no-disk-bench} "$@" \
	    >"$T/$name.json" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
	echo $((($(date +%s%N) - start) / 1000000)) >"$T/$name.ms"
	diag "$name: $(cat "$T/$name.ms") ms"
}
rc() { cat "$T/$1.rc"; }
ms() { cat "$T/$1.ms"; }
# st NAME TARGET ID: the statuses of that check, comma-separated.
st() {
	python3 - "$T/$1.json" "$2" "$3" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("no-json"); sys.exit()
print(",".join(c["status"] for c in d["checks"]
               if c["target"] == sys.argv[2] and c["id"] == sys.argv[3]))
EOF
}
# field NAME TARGET ID KEY: that field of the first such check.
field() {
	python3 - "$T/$1.json" "$2" "$3" "$4" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    sys.exit()
for c in d["checks"]:
    if c["target"] == sys.argv[2] and c["id"] == sys.argv[3]:
        print(c[sys.argv[4]]); break
EOF
}
show() { diag "$(cat "$T/$1.json" "$T/$1.err" 2>/dev/null | head -c 3000)"; }
A=$A_HOST:$A_PORT
B=$B_HOST:$B_PORT
fp() { ssh-keygen -l -E sha256 -f "$1/ssh_host_ed25519_key.pub" | cut -d' ' -f2; }

# --- pass: two hosts at once, hashed known_hosts, a short disk benchmark
cp "$T/known_both" "$T/known_hashed"
ssh-keygen -q -H -f "$T/known_hashed" >/dev/null 2>&1
rm -f "$T/known_hashed.old"
KNOWN=$T/known_hashed mkans "$T/pass.yaml" "$A" "$B"
# The benchmark needs O_DIRECT, which tmpfs lacks: /var/tmp, as in use.
BENCH=$(mktemp -d /var/tmp/wb-hosts-bench.XXXXXX)
WB_DISK_BENCH_DIR=$BENCH WB_DISK_BENCH_SECONDS=0.3 DISK=--parallel=2 \
    run pass "$T/pass.yaml"
[ "$(rc pass)" = 0 ]
ok $? "two hosts pass (exit $(rc pass))"
[ "$(rc pass)" = 0 ] || show pass
for h in "$A" "$B"; do
	bad=$(python3 - "$T/pass.json" "$h" <<'EOF'
import json, sys
ids = ("ssh.connect ssh.hostkey ssh.auth hw.arch hw.cpu hw.memory "
       "hw.disk_size hw.disk_bandwidth os.time_skew net.reach").split()
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("no JSON"); sys.exit()
got = {}
for c in d["checks"]:
    if c["target"] == sys.argv[2]:
        got.setdefault(c["id"], []).append(c["status"])
print(" ".join("%s=%s" % (i, ",".join(got.get(i, ["missing"])))
               for i in ids if set(got.get(i, ["missing"])) != {"pass"}))
EOF
)
	[ -z "$bad" ]
	ok $? "every check of $h passes $bad"
done
! grep -q "$A_HOST" "$T/known_hashed"
ok $? "hashed known_hosts entries match"
[ "$(field pass "$A" ssh.hostkey observed)" = "$(fp "$A_DIR")" ]
ok $? "ssh.hostkey shows the SHA256 fingerprint ssh-keygen prints"
[ "$(st pass "$A" net.egress)" = skip ]
ok $? "air-gapped: net.egress is skipped"
[ -e "$T/ran-on-a" ]
ok $? "the facts were read by commands on A"
order=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
seen=[]
[seen.append(c["target"]) for c in d["checks"] if c["target"] not in seen]
print(" ".join(seen))' "$T/pass.json")
[ "$order" = "$A $B" ]
ok $? "rows are grouped by host, in target order"
obs=$(field pass "$A" hw.disk_bandwidth observed)
case $obs in *MB/s*Mbit/s*) true ;; *) false ;; esac
ok $? "hw.disk_bandwidth reports MB/s and Mbit/s ($obs)"
[ -z "$(ls -A "$BENCH")" ]
ok $? "the benchmark's temp files are removed"

# --- unknown host under strict
: >"$T/known_empty"
KNOWN=$T/known_empty mkans "$T/unknown.yaml" "$A"
rm -f "$T/ran-on-a"
run unknown "$T/unknown.yaml"
msg=$(field unknown "$A" ssh.hostkey message)
hint=$(field unknown "$A" ssh.hostkey hint)
[ "$(rc unknown)" = 1 ] && [ "$(st unknown "$A" ssh.hostkey)" = fail ]
ok $? "strict: an unknown host fails ssh.hostkey"
case $msg in *"$(fp "$A_DIR")"*) true ;; *) false ;; esac
ok $? "strict: the message shows the SHA256 fingerprint ($msg)"
case $hint in *"wbinstall hosts trust $A --answers"*) true ;; *) false ;; esac
ok $? "strict: the hint says how to trust it"
[ "$(st unknown "$A" hw.cpu)" = skip ] && [ ! -e "$T/ran-on-a" ]
ok $? "strict: nothing runs on an unknown host"
"$WBINSTALL" --log "$T/wbinstall.log" preflight --answers "$T/unknown.yaml" \
    --checks hosts >"$T/table.out" 2>&1
grep -q "✘  $A  *ssh.hostkey  *SHA256:" "$T/table.out" &&
    grep -q "✔  $A  *ssh.connect" "$T/table.out" &&
    grep -q "hint: .*wbinstall hosts trust" "$T/table.out"
ok $? "the table shows ✔ and ✘ rows and the hint"

# --- hosts trust (B), then accept-new (A) into the same file
: >"$T/known_new"
KNOWN=$T/known_new POLICY=accept-new mkans "$T/new.yaml" "$A" "$B"
trust() { "$WBINSTALL" --log "$T/wbinstall.log" hosts trust "$B" \
    --answers "$T/new.yaml" "$@" >"$T/trust.out" 2>&1; }
trust </dev/null
[ $? = 2 ] && [ ! -s "$T/known_new" ]
ok $? "hosts trust: no terminal and no --yes records nothing (exit 2)"
trust --fingerprint SHA256:AAAA
[ $? = 1 ] && [ ! -s "$T/known_new" ]
ok $? "hosts trust: a wrong --fingerprint records nothing (exit 1)"
trust --fingerprint "$(fp "$B_DIR")"
r=$?
[ $r = 0 ] && grep -q "$(fp "$B_DIR")" "$T/trust.out" &&
    ssh-keygen -F "[$B_HOST]:$B_PORT" -f "$T/known_new" >/dev/null
ok $? "hosts trust: shows the fingerprint, records the key in OpenSSH format (exit $r)"
run new "$T/new.yaml"
[ "$(rc new)" = 0 ] && [ "$(st new "$A" ssh.hostkey)" = pass ] &&
    case $(field new "$A" ssh.hostkey message) in *recorded*) true ;; *) false ;; esac
ok $? "accept-new: an unknown host passes and is recorded"
ssh-keygen -F "[$A_HOST]:$A_PORT" -f "$T/known_new" >/dev/null &&
    [ "$(wc -l <"$T/known_new")" = 2 ] &&
    [ "$(stat -c %a "$T/known_new")" = 600 ]
ok $? "accept-new: the key is added next to the trusted one (mode 0600)"
KNOWN=$T/known_new mkans "$T/new2.yaml" "$A" "$B"
run new2 "$T/new2.yaml"
[ "$(rc new2)" = 0 ]
ok $? "strict: the trusted and the recorded keys pass"

# --- a changed host key: A's address with B's key
sed "s/^\[$B_HOST\]:$B_PORT /[$A_HOST]:$A_PORT /" "$B_DIR/known_hosts" \
    >"$T/known_changed"
for pol in strict accept-new; do
	rm -f "$T/ran-on-a"
	KNOWN=$T/known_changed POLICY=$pol mkans "$T/changed.yaml" "$A"
	run changed "$T/changed.yaml"
	msg=$(field changed "$A" ssh.hostkey message)
	[ "$(rc changed)" = 1 ] && [ "$(st changed "$A" ssh.hostkey)" = fail ] &&
	    case $msg in *CHANGED*) true ;; *) false ;; esac
	ok $? "$pol: a changed host key fails hard"
	[ ! -e "$T/ran-on-a" ] && [ "$(st changed "$A" hw.arch)" = skip ] &&
	    [ "$(wc -l <"$T/known_changed")" = 1 ]
	ok $? "$pol: no command ran on it and known_hosts is unchanged"
done

# --- a revoked host key (OpenSSH's @revoked marker): a hard failure
# naming the line, whatever else the file says, and never recorded
printf '@revoked * %s\n' "$(cut -d' ' -f2- "$A_DIR/known_hosts")" >"$T/known_revoked_only"
cat "$A_DIR/known_hosts" "$T/known_revoked_only" >"$T/known_revoked"
for case in strict:known_revoked accept-new:known_revoked_only; do
	pol=${case%%:*}
	kf=$T/${case#*:}
	lines=$(wc -l <"$kf")
	rm -f "$T/ran-on-a"
	KNOWN=$kf POLICY=$pol mkans "$T/revoked.yaml" "$A"
	run revoked "$T/revoked.yaml"
	msg=$(field revoked "$A" ssh.hostkey message)
	[ "$(rc revoked)" = 1 ] && [ "$(st revoked "$A" ssh.hostkey)" = fail ] &&
	    case $msg in *REVOKED*"line $lines"*) true ;; *) false ;; esac
	ok $? "$pol: a key marked @revoked fails hard, naming the line ($msg)"
	[ ! -e "$T/ran-on-a" ] && [ "$(st revoked "$A" hw.arch)" = skip ] &&
	    [ "$(wc -l <"$kf")" = "$lines" ]
	ok $? "$pol: no command ran on the revoked host and known_hosts is unchanged"
done
# A @cert-authority line is not skipped silently: a host only it would
# vouch for is refused, naming it, and not recorded under accept-new.
printf '@cert-authority * %s\n' "$(cut -d' ' -f2- "$B_DIR/known_hosts")" >"$T/known_ca"
rm -f "$T/ran-on-a"
KNOWN=$T/known_ca POLICY=accept-new mkans "$T/ca.yaml" "$A"
run ca "$T/ca.yaml"
msg=$(field ca "$A" ssh.hostkey message)
[ "$(rc ca)" = 1 ] && case $msg in *"line 1 is a @cert-authority"*) true ;; *) false ;; esac &&
    [ ! -e "$T/ran-on-a" ] && [ "$(wc -l <"$T/known_ca")" = 1 ]
ok $? "accept-new: a host that only a @cert-authority line names is refused, not recorded ($msg)"

# --- a closed port and a silent port, next to a good host
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$HELPER" silent 127.0.0.1 >"$T/silent.port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$T/silent.port" ] && break; sleep 0.1; done
silent=127.0.0.1:$(cat "$T/silent.port")
TIMEOUT=2 mkans "$T/dead.yaml" "127.0.0.1:$closed" "$silent" "$A"
run dead "$T/dead.yaml"
msg=$(field dead "127.0.0.1:$closed" ssh.connect message)
[ "$(st dead "127.0.0.1:$closed" ssh.connect)" = fail ] &&
    case $msg in *refused*) true ;; *) false ;; esac
ok $? "a closed port fails ssh.connect: $msg"
msg=$(field dead "$silent" ssh.connect message)
[ "$(st dead "$silent" ssh.connect)" = fail ] &&
    case $msg in *"within 2."*) true ;; *) false ;; esac
ok $? "a silent port fails on time: $msg"
[ "$(st dead "$A" hw.cpu)" = pass ] && [ "$(rc dead)" = 1 ]
ok $? "the good host next to them still finishes ($(ms dead) ms)"

# --- cancel (SIGINT) while a host hangs
TIMEOUT=60 mkans "$T/cancel.yaml" "$silent"
"$WBINSTALL" --log "$T/wbinstall.log" preflight --answers "$T/cancel.yaml" \
    --checks hosts --json >"$T/cancel.json" 2>"$T/cancel.err" &
cpid=$!
sleep 1
start=$(date +%s%N)
kill -INT "$cpid"
wait "$cpid"
r=$?
el=$((($(date +%s%N) - start) / 1000000))
[ $r = 1 ] && [ $el -lt 3000 ] && grep -q cancelled "$T/cancel.err"
ok $? "Ctrl-C cancels within a second or two ($el ms, exit $r)"

# --- the disk benchmark stops and cleans up when nobody reads any more:
# Ctrl-C, and the client killed outright (the connection drops).
mkans "$T/disk.yaml" "$A"
# (WB_DISK_BENCH_* are test hooks: a build without them skips this)
have_test_hooks || skip "the disk benchmark interrupted: built without --enable-test-hooks"
have_test_hooks && for sig in INT KILL; do
	WB_DISK_BENCH_DIR=$BENCH WB_DISK_BENCH_SECONDS=30 "$WBINSTALL" \
	    --log "$T/wbinstall.log" preflight --answers "$T/disk.yaml" \
	    --checks hosts --json >/dev/null 2>&1 &
	cpid=$!
	for _ in $(seq 100); do
		[ -z "$(ls -A "$BENCH")" ] || break
		sleep 0.1
	done
	began=$(ls -A "$BENCH")
	sleep 0.5
	kill -"$sig" "$cpid"
	wait "$cpid" 2>/dev/null
	for _ in $(seq 50); do
		[ -n "$(ls -A "$BENCH")" ] || break
		sleep 0.1
	done
	[ -n "$began" ] && [ -z "$(ls -A "$BENCH")" ]
	ok $? "SIG$sig during a 30 s disk benchmark: the host removes its files within 5 s (${began:-it never began})"
done

# --- refused auth: a key the hosts do not know, and a password
ssh-keygen -q -t ed25519 -N '' -f "$T/stranger" -C stranger
IDENT=$T/stranger EXTRA='  password: {value: "not-it"}' mkans "$T/auth.yaml" "$A"
run auth "$T/auth.yaml"
msg=$(field auth "$A" ssh.auth message)
[ "$(rc auth)" = 1 ] && [ "$(st auth "$A" ssh.auth)" = fail ] &&
    [ "$(st auth "$A" hw.cpu)" = skip ]
ok $? "refused auth fails ssh.auth"
case $msg in *not-it*) false ;; *publickey*password*) true ;; *) false ;; esac
ok $? "refused auth: says what was tried, never the password ($msg)"
! grep -q not-it "$T/wbinstall.log" "$T/auth.json" "$T/auth.err"
ok $? "the password is in no output and no log"

# --- a password login that succeeds: a third host whose sshd sees a
# private copy of /etc/shadow (tests/peers/sshd.sh, WB_SSHD_PASSWORD)
if [ "$(id -u)" = 0 ] && unshare --mount true 2>/dev/null &&
    command -v openssl >/dev/null; then
	export WB_T_PASSWORD='pw with spaces & $ymbols'
	env=$(WB_SSHD_PASSWORD=$WB_T_PASSWORD "$PEERS/sshd.sh" start 4 0 2>"$T/sshd-4.err")
	r=$?
	ok $r "a password-only host starts ($(tail -n 1 "$T/sshd-4.err"))"
	if [ $r = 0 ]; then
		eval "$env"
		C=$WB_SSHD_HOST:$WB_SSHD_PORT
		: >"$WB_SSHD_DIR/authorized_keys"	# no key logs in here
		cat "$T/known_both" "$WB_SSHD_KNOWN_HOSTS" >"$T/known_pw"
		KNOWN=$T/known_pw IDENT=$T/stranger \
		    EXTRA='  password: {env: WB_T_PASSWORD}' mkans "$T/pw.yaml" "$C"
		run pw "$T/pw.yaml"
		[ "$(st pw "$C" ssh.auth)" = pass ] &&
		    [ "$(field pw "$C" ssh.auth observed)" = password ] &&
		    [ "$(st pw "$C" hw.cpu)" = pass ]
		ok $? "a password from a secret reference logs in and the checks run ($(field pw "$C" ssh.auth observed))"
		! grep -qF "$WB_T_PASSWORD" "$T/wbinstall.log" "$T/pw.json" \
		    "$T/pw.err" "$WB_SSHD_DIR/sshd.log"
		ok $? "the password is in no output, no log and no sshd log"
		export WB_T_PASSWORD='almost'
		run pw2 "$T/pw.yaml"
		[ "$(rc pw2)" = 1 ] && [ "$(st pw2 "$C" ssh.auth)" = fail ] &&
		    grep -q ssh.password "$T/pw2.json"
		ok $? "a wrong password fails ssh.auth and names ssh.password"
		"$PEERS/sshd.sh" stop 4 >/dev/null 2>&1
	fi
	unset WB_T_PASSWORD
else
	skip "a password login needs root and 'unshare --mount' (private /etc/shadow)"
fi

# --- identity with a passphrase, from a secret reference
ssh-keygen -q -t ed25519 -N 'correct horse' -f "$T/locked" -C locked
cat "$T/locked.pub" >>"$B_DIR/authorized_keys"
export WB_T_PASSPHRASE='correct horse'
IDENT=$T/locked EXTRA='  passphrase: {env: WB_T_PASSPHRASE}' mkans "$T/pp.yaml" "$B"
run pp "$T/pp.yaml"
[ "$(st pp "$B" ssh.auth)" = pass ]
ok $? "an identity with a passphrase (ssh.passphrase)"
export WB_T_PASSPHRASE='wrong'
run pp2 "$T/pp.yaml"
[ "$(st pp2 "$B" ssh.auth)" = fail ] && grep -q ssh.passphrase "$T/pp2.json"
ok $? "a wrong passphrase fails ssh.auth and names ssh.passphrase"

# --- ssh-agent
eval "$(ssh-agent -s -a "$T/agent.sock")" >/dev/null
agent_pid=$SSH_AGENT_PID
ssh-add -q "$ID" 2>/dev/null
IDENT= mkans "$T/agent.yaml" "$B"
run agent "$T/agent.yaml"
[ "$(st agent "$B" ssh.auth)" = pass ] &&
    [ "$(field agent "$B" ssh.auth observed)" = "publickey (ssh-agent)" ]
ok $? "no ssh.identity: the ssh-agent's key logs in"
kill "$agent_pid" 2>/dev/null
agent_pid=
unset SSH_AUTH_SOCK SSH_AGENT_PID

# --- a slow link: every chunk held 100 ms each way
python3 "$HELPER" slow 127.0.0.1 "$B_HOST" "$B_PORT" 100 >"$T/slow.port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$T/slow.port" ] && break; sleep 0.1; done
slow=127.0.0.1:$(cat "$T/slow.port")
sed "s/^\[$B_HOST\]:$B_PORT /[127.0.0.1]:$(cat "$T/slow.port") /" \
    "$B_DIR/known_hosts" >"$T/known_slow"
KNOWN=$T/known_slow mkans "$T/slow.yaml" "$slow"
run slow "$T/slow.yaml"
[ "$(rc slow)" = 0 ] && [ "$(st slow "$slow" hw.cpu)" = pass ]
ok $? "a host behind a slow link passes ($(ms slow) ms)"
c=$(field slow "$slow" ssh.connect observed)
[ "${c% ms}" -ge 400 ] 2>/dev/null
ok $? "slow link: the handshake took $c"
[ "$(st slow "$slow" os.time_skew)" = pass ]
ok $? "slow link: no clock skew is made up ($(field slow "$slow" os.time_skew observed))"
KNOWN=$T/known_slow TIMEOUT=1 mkans "$T/slow1.yaml" "$slow"
run slow1 "$T/slow1.yaml"
case "$(st slow1 "$slow" ssh.connect)/$(st slow1 "$slow" ssh.auth)" in
pass/fail | fail/skip) [ "$(ms slow1)" -lt 6000 ] ;;
*) false ;;
esac
ok $? "slow link: with a 1 s timeout it fails on time ($(ms slow1) ms)"

# --- a connected install without a network; an unreachable object store
AIRGAP=false TIMEOUT=10 STORE=127.0.0.1:$closed mkans "$T/net.yaml" "$A"
run net "$T/net.yaml"
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
e=[c for c in d["checks"] if c["id"]=="net.egress"]
print(len(e), sum(c["status"]=="fail" and c["message"]!="" and c["hint"]!="" for c in e))' "$T/net.json")
[ "$n" = "5 5" ] && [ "$(rc net)" = 1 ]
ok $? "no network: each of the 5 endpoints fails with a message and a hint ($n)"
diag "$(field net "$A" net.egress message)"
[ "$(st net "$A" net.reach)" = "fail,pass" ] &&
    field net "$A" net.reach hint | grep -q browsers
ok $? "net.reach: an unreachable object store fails, MySQL passes, the hint names browsers ($(st net "$A" net.reach))"
diag "$(grep -h 'check .* net.reach' "$T/wbinstall.log" | tail -n 2)"

done_testing
