#!/usr/bin/env bash
# The Korean and Japanese screens: translated, with labels, values and
# box borders lined up by display width (a Hangul syllable or a Kanji takes
# two columns).  The language can also be switched on the Welcome screen.
set -u
. "$(dirname "$0")/lib.sh"
tui_need
if ! command -v msgfmt >/dev/null 2>&1; then
	echo "1..0 # SKIP msgfmt (gettext) is not installed"
	exit 0
fi
for l in ko ja; do
	mkdir -p "$tui_work/locale/$l/LC_MESSAGES"
	msgfmt -o "$tui_work/locale/$l/LC_MESSAGES/wbinstall.mo" \
	    "$WB_SRCDIR/po/$l.po"
done
TUI_ENV="WBINSTALL_LOCALEDIR='$tui_work/locale'"
golden=$WB_SRCDIR/tests/tui/golden

# columns FILE PATTERN...: the display column where the text after each
# label starts, one per line (python3 measures East Asian widths).
columns() {
	local f=$1
	shift
	python3 - "$f" "$@" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
for label in sys.argv[2:]:
    for line in lines:
        i = line.find('  ' + label + ' ')
        if i < 0:
            continue
        j = i + 2 + len(label)
        while j < len(line) and line[j] == ' ':
            j += 1
        print(width(line[:j]))
        break
    else:
        print('missing ' + label)
PY
}

# borders FILE: the display column of the right border of a box, per line.
borders() {
	python3 - "$1" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
for line in open(sys.argv[1], encoding='utf-8').read().split('\n'):
    if line.count('\u2502') >= 2:
        print(width(line[:line.rindex('\u2502')]))
PY
}

have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# deployment LANG TITLE DEPLOYMENT-TITLE LABELS...
deployment() {
	local lang=$1 welcome=$2 title=$3
	shift 3
	tui_start --lang "$lang" wizard --write-answers "$tui_work/out.yaml"
	tui_title "$welcome"; must $? "$lang: the Welcome screen is translated"
	tui_keys Enter Enter
	tui_title "$title"; must $? "$lang: Deployment is translated"
	tui_screen >"$tui_work/$lang.txt"
	if [ -f "$golden/deployment-$lang.txt" ]; then
		diff -u "$golden/deployment-$lang.txt" "$tui_work/$lang.txt" \
		    >"$tui_work/diff"
		ok $? "$lang: the screen matches its golden capture"
		diag "$(cat "$tui_work/diff")"
	fi
	if [ $have_python = 1 ]; then
		columns "$tui_work/$lang.txt" "$@" >"$tui_work/cols"
		[ "$(sort -u "$tui_work/cols" | wc -l)" = 1 ] &&
		    ! grep -q missing "$tui_work/cols"
		ok $? "$lang: every value starts in the same column"
		diag "columns: $(tr '\n' ' ' <"$tui_work/cols")"
	else
		ok 0 "$lang: columns # SKIP python3 is not installed"
	fi
	tui_keys Enter Enter Enter Enter Enter Enter Enter Enter
	tui_type wandb.example.com
	tui_keys Enter Space
	tui_wait "license.value"; must $? "$lang: the secret dialog opens"
	tui_screen >"$tui_work/$lang-dialog.txt"
	if [ $have_python = 1 ]; then
		borders "$tui_work/$lang-dialog.txt" >"$tui_work/b"
		[ "$(sort -u "$tui_work/b" | wc -l)" = 1 ] &&
		    [ "$(wc -l <"$tui_work/b")" -ge 6 ]
		ok $? "$lang: the dialog's right border is one straight line"
		diag "borders: $(sort -u "$tui_work/b" | tr '\n' ' ')"
	fi
	tui_keys Escape C-c y
	[ "$(tui_exit)" = 1 ]; check $? "$lang: quit"
	tmux -L "$tui_sock" kill-server 2>/dev/null
}

deployment ko "환영합니다" "배포" "제품" "환경" "플랫폼" "네임스페이스" "인그레스 클래스" "OpenShift" "TLS Secret"
deployment ja "ようこそ" "デプロイ" "製品" "環境" "プラットフォーム" \
    "名前空間" "Ingress クラス" "OpenShift" "TLS Secret"

# Switching on the Welcome screen redraws everything in that language.
tui_start --lang en wizard
tui_title Welcome; must $? "en: Welcome"
tui_keys Space
tui_title "환영합니다"; check $? "Space on Language: Korean at once"
tui_screen | tail -1 | grep -q "F1 도움말"
check $? "the key bar too"
tui_keys Space
tui_title "ようこそ"; check $? "again: Japanese"
tui_keys Space
tui_title Welcome; check $? "and back to English"
tui_keys C-c y
tui_exit >/dev/null
done_testing
