# shellcheck shell=bash
# Helpers for the datastore tests: answers files and JSON results.
. "$WB_SRCDIR/tests/lib.sh"
RUN_FAMILY=${WB_BUILDDIR:-.}/tests/datastore/run-family
# Debian's python3 (where python3-botocore lives), else the one on PATH.
PYTHON=python3
[ ! -x /usr/bin/python3 ] || PYTHON=/usr/bin/python3

# answers FILE LINES...: a valid answers file; LINES are appended as is
# (YAML at the top level: "mysql:", "  host: ..."); placeholder mysql and
# storage sections are added when LINES have none.
answers() {
	local f=$1
	shift
	cat >"$f" <<-EOF
	version: 1
	domain:
	  fqdn: wandb.example.com
	license:
	  value: {value: "x"}
	targets:
	  - host: 127.0.0.1
	    roles: [app]
	EOF
	case " $* " in
	*" mysql: "*) ;;
	*) printf '%s\n' "mysql:" "  host: 127.0.0.1" \
		"  password: {value: \"x\"}" >>"$f" ;;
	esac
	case " $* " in
	*" storage: "*) ;;
	*) printf '%s\n' "storage:" "  bucket: placeholder" \
		"  access_key: {value: \"x\"}" "  secret_key: {value: \"x\"}" \
		>>"$f" ;;
	esac
	printf '%s\n' "$@" >>"$f"
}

# tsv JSON: JSON.tsv with one line a check, "id TAB field=value..." in
# the order id, status, observed, message, hint (one python3 a result).
tsv() {
	"$PYTHON" - "$1" >"$1.tsv" <<-'EOF'
	import json, sys
	try:
	    doc = json.load(open(sys.argv[1]))
	except ValueError:
	    sys.exit(0)
	for c in doc["checks"]:
	    print("\t".join(c[k].replace("\t", " ").replace("\n", " ") for k in
	                    ("id", "status", "observed", "message", "hint")))
	EOF
}

# field JSON ID FIELD: FIELD (status, observed, message, hint) of check ID.
field() {
	[ -f "$1.tsv" ] || tsv "$1"
	awk -F '\t' -v id="$2" -v f="$3" '
		BEGIN { n = f == "status" ? 2 : f == "observed" ? 3 :
		    f == "message" ? 4 : 5 }
		$1 == id { print $n; found = 1; exit }
		END { if (!found) print "(no such check)" }' "$1.tsv"
}

# expect JSON ID STATUS [WORD]: check ID has STATUS (and WORD in its
# message or hint); one TAP line.
expect() {
	local st msg
	st=$(field "$1" "$2" status)
	msg="$(field "$1" "$2" message) $(field "$1" "$2" hint)"
	[ "$st" = "$3" ] && { [ -z "${4:-}" ] || [[ $msg == *"$4"* ]]; }
	ok $? "$2: $3${4:+ ($4)}"
	[ "$st" = "$3" ] || diag "status $st: $msg"
}
