#!/usr/bin/env bash
# The options are declared once, in each command's table (src/cmd-opt.c),
# and `wbinstall CMD --help` prints them from it.  Every option of every
# command must be in that command's entry of the man page and in its row
# of README's Commands table; the synopses there (the man page's .B
# line, the README row's first cell) name no option the command lacks;
# and every --option the man page's COMMANDS and OPTIONS sections and
# README's Commands section name is one of some command's table or a
# global one, but for the few options of other tools they quote, each
# on a line that names its tool.
set -u
. "$(dirname "$0")/lib.sh"
man=$WB_SRCDIR/man/wbinstall.1
readme=$WB_SRCDIR/README.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
globals="--lang --log --help --version"
# Other tools' options the prose quotes, as TOOL:OPTION.
foreign="docker:--env-file helm:--install mysqldump:--single-transaction kubectl:--tail"

cmds=$("$WBINSTALL" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && $1 != "Commands:" {print $1}')
[ -n "$cmds" ]
ok $? "wbinstall --help lists the commands: $(echo $cmds)"

# The man page as text: \- is -, font escapes dropped.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$man" >"$work/man"
for c in $cmds; do
	"$WBINSTALL" "$c" --help >"$work/help" 2>&1
	sed -n '/^Options:/,/^$/p' "$work/help" |
		grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' |
		sort -u >"$work/opts-$c"
	if [ ! -s "$work/opts-$c" ]; then
		ok 1 "$c: --help has an Options: section from its option table"
		continue
	fi
	# Its man entry: from ".B CMD" to the next .TP or .SH.
	awk -v c="$c" '/^\.B / && ($2 == c) {p=1; print; next} p && /^\.(TP|SH)/ {p=0} p' \
		"$work/man" >"$work/man-$c"
	# Its README row.
	grep -E "^\| \`$c( |\`)" "$readme" >"$work/row-$c"
	missing=
	for o in $(cat "$work/opts-$c"); do
		grep -qE -- "$o([^a-z0-9-]|\$)" "$work/man-$c" || missing="$missing man:$o"
		grep -qE -- "$o([^a-z0-9-]|\$)" "$work/row-$c" || missing="$missing README:$o"
	done
	[ -z "$missing" ] || diag "$c lacks:$missing"
	[ -z "$missing" ]
	ok $? "$c: each of its $(wc -l <"$work/opts-$c") options is in the man page and README"
	# The synopses name only its options.
	extra=
	for o in $({ head -n 1 "$work/man-$c"; sed 's/^| `\([^`]*\)`.*/\1/' "$work/row-$c"; } |
		grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
		grep -qx -- "$o" "$work/opts-$c" || case " $globals " in
			*" $o "*) ;;
			*) extra="$extra $o" ;;
		esac
	done
	[ -z "$extra" ] || diag "$c: the synopsis names what it lacks:$extra"
	[ -z "$extra" ]
	ok $? "$c: the man page's and README's synopses name nothing else"
done

# Every option the tables declare, and the global ones.
{ cat "$work"/opts-*; printf '%s\n' $globals; } | sort -u >"$work/declared"
# undeclared NAME FILE: each --option of FILE that is neither declared nor
# another tool's option on a line that names the tool.
undeclared() {
	bad=
	while IFS= read -r line; do
		for o in $(printf '%s\n' "$line" |
			grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' |
			grep -oE -- '--[a-z][a-z0-9-]*'); do
			grep -qx -- "$o" "$work/declared" && continue
			known=
			for f in $foreign; do
				[ "${f#*:}" = "$o" ] || continue
				case "$line" in *"${f%%:*}"*) known=1 ;; esac
			done
			[ -n "$known" ] || bad="$bad $o"
		done
	done <"$2"
	[ -z "$bad" ] || diag "$1 names options no table declares:$bad"
	[ -z "$bad" ]
}
awk '/^\.SH / {p = ($2 == "COMMANDS" || $2 == "OPTIONS")} p' "$work/man" >"$work/man-sections"
[ -s "$work/man-sections" ] && undeclared "the man page" "$work/man-sections"
ok $? "every option the man page's COMMANDS and OPTIONS name is a command's or a global one"
awk '/^## / {p = ($0 == "## Commands")} p' "$readme" >"$work/readme-commands"
[ -s "$work/readme-commands" ] && undeclared "README's Commands" "$work/readme-commands"
ok $? "every option README's Commands section names is a command's or a global one"
done_testing
