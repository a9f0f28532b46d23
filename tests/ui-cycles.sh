#!/usr/bin/env bash
# No cycle among the wizard's files (ui/): the graph of their quoted
# includes, and of the calls into a view (ui/*-view.c), has none.  A
# file calls into a view when it names a function or an object the view
# defines outside a comment: with BSD style, a definition's name starts
# its line (the type on the line above), so the view's definitions are
# found without a compiler.  A header that declared one view's functions
# for another, as run-view.h once did for the install and upgrade views,
# hid a cycle from the includes alone; the calls find it.
set -u
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# strip FILE: FILE without its comments and its #include lines.
strip() {
	awk '
	{
		line = $0
		out = ""
		while (line != "") {
			if (incomment) {
				i = index(line, "*/")
				if (i == 0) { line = ""; break }
				line = substr(line, i + 2)
				incomment = 0
				continue
			}
			i = index(line, "/*")
			if (i == 0) { out = out line; break }
			out = out substr(line, 1, i - 1)
			line = substr(line, i + 2)
			incomment = 1
		}
		if (out !~ /^#[ \t]*include/)
			print out
	}' "$1"
}

# defines FILE: the names FILE defines for other files (not static).
defines() {
	strip "$1" | awk '
	/^[a-z_][a-z0-9_]*\(/ && prev !~ /^static/ && prev ~ /^[a-z]/ {
		sub(/\(.*/, "")
		print
	}
	/^(const )?(struct |enum )?[a-z_]+ \**[a-z_][a-z0-9_]*(\[\])? =/ {
		sub(/ *=.*/, "")
		sub(/\[\]$/, "")
		sub(/.*[ *]/, "")
		print
	}
	{ prev = $0 }' | sort -u
}

# graph DIR: the edges among DIR's .c and .h files, one a line:
# "FROM TO includes" or "FROM TO calls".
graph() {
	local dir=$1 f h v
	for f in "$dir"/*.[ch]; do
		grep -o '^[ \t]*#[ \t]*include[ \t]*"[^"]*"' "$f" |
			sed 's/.*"\(.*\)"/\1/' | while read -r h; do
			[ -f "$dir/$h" ] && echo "${f##*/} $h includes"
		done
	done
	for v in "$dir"/*-view.c; do
		[ -f "$v" ] || continue
		defines "$v" >"$work/defs"
		[ -s "$work/defs" ] || continue
		for f in "$dir"/*.c; do
			[ "$f" = "$v" ] && continue
			strip "$f" | grep -owFf "$work/defs" >/dev/null &&
				echo "${f##*/} ${v##*/} calls"
		done
	done
}

# cycles: the cycles of the edges on stdin, one a line ("a.c includes
# b.h includes a.c"); nothing when there are none.
cycles() {
	awk '
	{ n[$1]++; to[$1, n[$1]] = $2; kind[$1, $2] = $3; node[$1]; node[$2] }
	function visit(u,    i, w, k, s) {
		state[u] = 1
		path[++depth] = u
		for (i = 1; i <= n[u]; i++) {
			w = to[u, i]
			if (state[w] == 1) {
				s = ""
				for (k = depth; path[k] != w; k--)
					;
				for (; k <= depth; k++)
					s = s path[k] " " kind[path[k], \
					    k < depth ? path[k + 1] : w] " "
				print s w
			} else if (state[w] == 0)
				visit(w)
		}
		depth--
		state[u] = 2
	}
	END { for (u in node) if (state[u] == 0) visit(u) }'
}

ui=$WB_SRCDIR/ui
graph "$ui" >"$work/edges"
grep -q ' includes$' "$work/edges" && grep -q ' calls$' "$work/edges"
ok $? "ui/: $(grep -c ' includes$' "$work/edges") includes and $(grep -c ' calls$' "$work/edges") calls into views"

# The test finds what it looks for: two views that call each other, and
# two headers that include each other.
mkdir "$work/fix"
printf '#include "b.h"\n' >"$work/fix/a.h"
printf '#include "a.h"\n' >"$work/fix/b.h"
printf '/* a-view */\n#include "a.h"\n\nvoid\na_run(void)\n{\n\tb_run();\n}\n' \
    >"$work/fix/a-view.c"
printf 'static void\nhelper(void)\n{\n}\n\nvoid\nb_run(void)\n{\n\ta_run();\n}\n' \
    >"$work/fix/b-view.c"
graph "$work/fix" | cycles >"$work/fix-cycles"
grep -qE '(a|b)-view.c calls (b|a)-view.c calls (a|b)-view.c' "$work/fix-cycles" &&
    grep -qE 'a.h includes b.h includes a.h|b.h includes a.h includes b.h' "$work/fix-cycles" &&
    ! grep -q helper "$work/fix-cycles"
ok $? "a cycle of calls between views and one of includes are found"

cycles <"$work/edges" >"$work/cycles"
[ -s "$work/cycles" ] && diag "cycles among ui/ files:" && diag "$(cat "$work/cycles")"
[ ! -s "$work/cycles" ]
ok $? "no cycle of includes or of calls into views among ui/ files"

done_testing
