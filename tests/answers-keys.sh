#!/usr/bin/env bash
# Every answers key the program names in its code is in the answers table:
# answers_get*() and the others abort on a key the table lacks (a typo
# that would otherwise read "" forever), so each literal key the sources
# in src/ and ui/ hand to them is checked here against the table (as
# `answers --print-schema` prints it):
#  - the key argument of every call of a function that takes a key (the
#    answers_* API, the resolvers, and answers.c's and render.c's own
#    helpers), its arguments read with their parentheses balanced and
#    each literal of a `c ? "a" : "b"` taken;
#  - the field of answers_target_get (targets[N].FIELD);
#  - the keys of the wizard's forms (the field tables of ui/screen-*.c).
# Keys held in arrays (answers.c's separate[] and aws[], render.c's
# keys[]) are not read here: answers_check and the render run them in
# every test that loads answers.
set -u
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null ||
	{ echo "1..0 # SKIP python3 is not installed"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$WBINSTALL" answers --print-schema | sed -n 's/^| `\([^`]*\)` .*/\1/p' |
	sed 's/^targets\[\]\./targets[N]./' | sort -u >"$work/table"
[ "$(wc -l <"$work/table")" -gt 40 ]
ok $? "the table lists $(wc -l <"$work/table") keys"

# Prints "WHERE KEY" for each key the sources name.
python3 - "$WB_SRCDIR" >"$work/used" <<'PY'
import glob, os, re, sys

top = sys.argv[1]
# The key-taking functions: (file or None for any, name) -> the index of
# the key argument.
KEYARG = {
    (None, "answers_get"): 1, (None, "answers_get_path"): 1,
    (None, "answers_get_int"): 1, (None, "answers_get_bool"): 1,
    (None, "answers_is_set"): 1, (None, "answers_get_list"): 1,
    (None, "answers_list_has"): 1, (None, "answers_get_secret"): 1,
    (None, "answers_value"): 1, (None, "answers_unset"): 1,
    (None, "answers_mark"): 1, (None, "answers_set"): 1,
    (None, "answers_resolve"): 1,
    (None, "resolver_secret"): 2, (None, "resolver_path"): 2,
    (None, "wiz_secret"): 1, (None, "wiz_resolve_secret"): 1,
    (None, "wiz_resolve_path"): 1,
    ("ui/secret-dialog.c", "secret_display"): 1,
    ("src/answers.c", "need"): 2, ("src/answers.c", "rule"): 2,
    ("src/answers.c", "has_value"): 1, (None, "answers_where"): 1,
    ("src/render.c", "need_secret"): 1,
}
FIELDARG = {(None, "answers_target_get"): 2}
SHAPE = re.compile(r"^[a-z_]+(\[[0-9]*\])?(\.[a-z0-9_]+)*$")
LIT = re.compile(r'"((?:[^"\\]|\\.)*)"')

def norm(k):
    return re.sub(r"^targets\[[0-9]*\]", "targets[N]", k)

def args_of(s, i):
    """The top-level arguments of the call whose '(' is at s[i]."""
    out, depth, cur, j = [], 0, "", i + 1
    while j < len(s):
        c = s[j]
        if c == '"':
            m = LIT.match(s, j)
            cur += m.group(0)
            j = m.end()
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                out.append(cur)
                return out
            depth -= 1
        elif c == "," and depth == 0:
            out.append(cur)
            cur = ""
            j += 1
            continue
        cur += c
        j += 1
    return out

calls = 0
for path in sorted(glob.glob(os.path.join(top, "src", "*.c")) +
                   glob.glob(os.path.join(top, "ui", "*.c"))):
    rel = os.path.relpath(path, top)
    s = open(path, encoding="utf-8").read()
    s = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), s,
               flags=re.S)
    names = {n for (f, n) in list(KEYARG) + list(FIELDARG)
             if f is None or f == rel}
    for m in re.finditer(r"\b([a-z_]+)\s*\(", s):
        name = m.group(1)
        if name not in names:
            continue
        # A definition or a declaration is no call.
        line_start = s.rfind("\n", 0, m.start()) + 1
        if m.start() == line_start or re.search(
                r"\b(const|struct|char|int|void|long|enum)\b[\s*]*$",
                s[line_start:m.start()]):
            continue
        a = args_of(s, m.end() - 1)
        where = "%s:%d" % (rel, s.count("\n", 0, m.start()) + 1)
        idx = KEYARG.get((rel, name), KEYARG.get((None, name)))
        if idx is not None:
            prefix = ""
        else:
            idx = FIELDARG.get((rel, name), FIELDARG.get((None, name)))
            prefix = "targets[N]."
        if idx >= len(a):
            continue
        for lit in LIT.findall(a[idx]):
            if SHAPE.match(lit):
                print(where, norm(prefix + lit))
                calls += 1
    # The wizard's forms: a field table's row begins with its key.
    if re.match(r"ui/screen-.*\.c$", rel):
        for n, line in enumerate(s.split("\n"), 1):
            m = re.match(r'\s*(?:\{|[A-Z]+\()\s*"([^"@]+)"\s*,', line)
            if m and SHAPE.match(m.group(1)):
                print("%s:%d" % (rel, n),
                      norm(m.group(1).replace("[]", "[N]")))
PY
[ -s "$work/used" ]
ok $? "the sources name keys in $(wc -l <"$work/used") places"
awk '{print $2}' "$work/used" | sort -u >"$work/keys"
[ "$(wc -l <"$work/keys")" -gt 50 ]
ok $? "they name $(wc -l <"$work/keys") keys (calls and the wizard's forms)"
grep -q '^ui/screen-[a-z]*\.c:[0-9]* targets\[N\]\.host$' "$work/used" &&
	grep -q '^src/action-bundle\.c:[0-9]* airgap\.registry_password$' "$work/used" &&
	grep -q '^src/answers\.c:[0-9]* targets$' "$work/used" &&
	grep -q ' targets\[N\]\.port$' "$work/used"
ok $? "the forms, the resolvers, answers.c's rules and the target fields are read"
awk 'NR == FNR {t[$1] = 1; next} !($2 in t)' "$work/table" "$work/used" >"$work/unknown"
[ ! -s "$work/unknown" ] || diag "not in the table: $(tr '\n' ' ' <"$work/unknown")"
[ ! -s "$work/unknown" ]
ok $? "each of them is in the table"

# And an unknown key is an abort that names it, not "".
out=$("$WB_BUILDDIR/tests/unit/test-answers" --unknown-key 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q "internal error: answers key 'mysql.hots'" <<<"$out"
ok $? "answers_get of an unknown key aborts, naming it ($rc)"
for n in 0 1; do
	out=$("$WB_BUILDDIR/tests/unit/test-answers" --unknown-field $n 2>&1)
	rc=$?
	[ $rc -ne 0 ] && grep -q "internal error: answers key 'targets\[0\].hots'" <<<"$out"
	ok $? "answers_target_get of an unknown field aborts with $n targets ($rc)"
done
done_testing
