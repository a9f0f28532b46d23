#!/usr/bin/env bash
# The modules of src/ include each other without a cycle, so that each can
# be read, tested and changed from the bottom up.  A module is a header
# and the files that implement it: X.h, X.c and X-*.c (render-yaml.c is
# render's, cmd-render.c is cmd's), the longest such X that has a header
# naming a file.  There is an edge from X to Y when one of X's files
# includes one of Y's headers.  Each strongly connected set of modules is
# a cycle: the test names its modules, one cycle through them, and every
# include that keeps them together.
set -u
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
	skip "src/'s modules include each other in no cycle (no python3)"
	done_testing
	exit 0
fi

python3 - "$WB_SRCDIR/src" <<'EOF'
import os
import re
import sys

src = sys.argv[1]
files = sorted(f for f in os.listdir(src) if f.endswith((".c", ".h")))
heads = {f[:-2] for f in files if f.endswith(".h")}


def module(f):
    parts = f[:-2].split("-")
    for i in range(len(parts), 0, -1):
        if "-".join(parts[:i]) in heads:
            return "-".join(parts[:i])
    return f[:-2]


# edges[X][Y]: the files of X that include a header of Y.
edges = {}
inc = re.compile(r'^\s*#\s*include\s+"([^"/]+\.h)"')
for f in files:
    m = module(f)
    edges.setdefault(m, {})
    with open(os.path.join(src, f), errors="replace") as fp:
        for line in fp:
            r = inc.match(line)
            if r is None or r.group(1) not in files:
                continue
            t = module(r.group(1))
            if t != m:
                edges[m].setdefault(t, set()).add(f)


def sccs(g):
    """Tarjan's strongly connected sets of more than one module."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            c = []
            while True:
                w = stack.pop()
                on.discard(w)
                c.append(w)
                if w == v:
                    break
            if len(c) > 1:
                out.append(sorted(c))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def one_cycle(c):
    """A shortest cycle from the first module of C back to it."""
    start = c[0]
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(edges[v]):
            if w not in c:
                continue
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return c


n = 0
nedges = sum(len(t) for t in edges.values())
n += 1
print("ok %d - src/ has %d modules and %d edges between them"
      % (n, len(edges), nedges))
cycles = 0
for c in sccs(edges):
    n += 1
    name = " -> ".join(one_cycle(c))
    cycles += 1
    print("not ok %d - a cycle among %s: %s" % (n, ", ".join(c), name))
    for a in c:
        for b in sorted(edges[a]):
            if b in c:
                print("# %s -> %s: %s" % (a, b, " ".join(sorted(edges[a][b]))))
n += 1
print("%s %d - no cycle among src/'s modules"
      % ("ok" if cycles == 0 else "not ok", n))
print("1..%d" % n)
EOF
