#!/usr/bin/env bash
# Text boxes wrap a long line under its own text: a check's message and
# hint under their indentation, a row under its target (past the mark);
# Japanese, which has no spaces between words, between its characters
# rather than at the few spaces it has.
set -u
. "$(dirname "$0")/lib.sh"
tui_need python3
if ! command -v msgfmt >/dev/null 2>&1; then
	echo "1..0 # SKIP msgfmt (gettext) is not installed"
	exit 0
fi
mkdir -p "$tui_work/locale/ja/LC_MESSAGES"
msgfmt -o "$tui_work/locale/ja/LC_MESSAGES/wbinstall.mo" "$WB_SRCDIR/po/ja.po"
port=$(python3 -c 'import socket; s = socket.socket();
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$tui_work/answers.yaml" <<EOA
version: 1
deployment:
  products: models
  environment: test
  platform: kubernetes
domain:
  fqdn: wandb.example.com
license:
  value: {value: "x"}
mysql:
  host: 127.0.0.1
  port: $port
  password: {value: "p"}
storage:
  provider: s3
  endpoint: 127.0.0.1:$port
  bucket: wandb-files
  region: us-east-1
  tls: false
  access_key: {value: "a"}
  secret_key: {value: "b"}
EOA
TUI_COLS=80 TUI_ROWS=24
tui_start wizard --answers "$tui_work/answers.yaml"
tui_title Welcome; must $? "the wizard starts at 80x24"
tui_keys F10
tui_title Review; must $? "Review"
tui_keys Escape Escape
tui_title "Object storage"; must $? "Object storage"
tui_keys F4
tui_wait "Test: storage" 20; must $? "F4 shows the results"
# Inside the box, each line is a row (a mark first), the header, or
# indented: none starts at the box's edge.
bad=$(tui_screen | sed -n "3,/lines [0-9]/p" | grep -v "lines [0-9]\|Summary:" |
    sed -n 's/^ │ \([^ ✔⚠✘–].*\)/\1/p')
[ -z "$bad" ]; check $? "no wrapped line starts at the box's edge"
[ -z "$bad" ] || diag "$bad"
tui_screen | grep -q "^ │      [a-z]" ; check $? "a message goes on under its text"
tui_keys Escape C-c y
tui_exit >/dev/null

# Japanese help: a line is cut between characters, so it fills the box.
TUI_COLS=100 TUI_ROWS=30
TUI_ENV="WBINSTALL_LOCALEDIR='$tui_work/locale'"
tui_sock=wbtui-$$-$RANDOM
tui_start --lang ja wizard
tui_wait "ようこそ"; must $? "the wizard starts in Japanese"
tui_keys F1
tui_wait "キー:"; must $? "F1 shows the help"
tui_screen >"$tui_work/ja.txt"
python3 - "$tui_work/ja.txt" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
i = next(n for n, l in enumerate(lines) if 'キー:' in l)
text = lines[i].strip().strip('│').rstrip()
sys.exit(0 if width(text) >= 90 else 1)
PY
check $? "a Japanese line fills the box before it wraps"
tui_keys Escape C-c y
tui_exit >/dev/null
done_testing
