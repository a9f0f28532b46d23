#!/usr/bin/env bash
# The program of a build tree, started from another directory with no
# WBINSTALL_DATADIR or WBINSTALL_LOCALEDIR, finds its templates and its
# Korean and Japanese catalogs; a copy of it outside the build tree looks
# where it would be installed instead.
set -u
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset WBINSTALL_DATADIR WBINSTALL_LOCALEDIR LANGUAGE
export XDG_STATE_HOME=$work/state LC_ALL=C.UTF-8
case=$WB_SRCDIR/tests/render/cases/kubernetes
mkdir -p "$work/run"
cd "$work/run" || exit 1

render() {	# render OUT [ENV...]: the kubernetes case, with its env
	local out=$1
	shift
	(
		while IFS= read -r kv; do
			[ -n "$kv" ] && export "${kv?}"
		done <"$case/env"
		env "$@" "$WBINSTALL" render --answers "$case/answers.yaml" \
		    --out "$out"
	) >"$work/render.out" 2>&1
}

render "$work/found"
rc=$?
[ $rc -eq 0 ]
ok $? "render from a directory outside the trees finds the templates (exit $rc)"
[ $rc -eq 0 ] || diag "$(cat "$work/render.out")"
render "$work/want" WBINSTALL_DATADIR="$WB_SRCDIR"
diff -r "$work/want" "$work/found" >"$work/diff" 2>&1
ok $? "the same files as with WBINSTALL_DATADIR set to the source tree"
[ -s "$work/diff" ] && diag "$(head -20 "$work/diff")"

# The catalogs: --help and an error message, in each language.
"$WBINSTALL" --help >"$work/en.help" 2>&1
for l in ko ja; do
	case $l in
	ko) usage='사용법:' cant='열 수 없습니다' ;;
	ja) usage='使い方:' cant='開けません' ;;
	esac
	"$WBINSTALL" --lang "$l" --help >"$work/$l.help" 2>&1
	grep -q "^$usage" "$work/$l.help" && ! cmp -s "$work/en.help" "$work/$l.help"
	ok $? "--lang $l --help is in $l"
	"$WBINSTALL" --lang "$l" validate --answers "$work/none.yaml" \
	    >"$work/$l.err" 2>&1
	grep -q "$cant" "$work/$l.err"
	ok $? "--lang $l: an error message in $l"
	[ $? -eq 0 ] || diag "$(cat "$work/$l.err")"
done

# A copy outside the build tree is an installed program: the build
# tree's paths are not its own.
mkdir -p "$work/bin"
cp "$WBINSTALL" "$work/bin/wbinstall"
WBINSTALL=$work/bin/wbinstall render "$work/copy"
grep -q "$WB_SRCDIR/templates" "$work/render.out"
[ $? -ne 0 ]
ok $? "a copy outside the build tree does not take the source tree's templates"
WBINSTALL=$work/bin/wbinstall render "$work/copy" WBINSTALL_DATADIR="$WB_SRCDIR"
ok $? "WBINSTALL_DATADIR still points it at templates"
done_testing
