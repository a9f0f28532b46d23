# wizard: the ncursesw TUI (ui/), its tmux-driven tests (tests/tui/).
noinst_LIBRARIES += ui/libwbui.a
ui_libwbui_a_SOURCES = \
	ui/action.c ui/action.h \
	ui/bundle-view.c ui/bundle-view.h \
	ui/checks-view.c ui/checks-view.h \
	ui/cmd-wizard.c \
	ui/curses.h \
	ui/dialog.c \
	ui/form.c ui/form.h \
	ui/install-view.c ui/install-view.h \
	ui/loop.c \
	ui/preflight-view.c ui/preflight-view.h \
	ui/trust.c ui/trust.h \
	ui/run-view.c ui/run-view.h \
	ui/screen-airgap.c \
	ui/screen-aws.c \
	ui/screen-database.c \
	ui/screen-deployment.c \
	ui/screen-domain.c \
	ui/screen-preflight.c \
	ui/screen-license.c \
	ui/screen-review.c \
	ui/screen-ssh.c \
	ui/screen-storage.c \
	ui/screen-targets.c \
	ui/screen-welcome.c \
	ui/screens.c ui/screens.h \
	ui/secret-dialog.c \
	ui/task.c \
	ui/term.c \
	ui/text.c \
	ui/ui.h \
	ui/upgrade-view.c ui/upgrade-view.h \
	ui/widget.c \
	ui/wizard.c \
	ui/wizard.h
ui_libwbui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
UI_LIBS += ui/libwbui.a

# No cycle of includes, nor of calls between views, among ui/ files.
TESTS += tests/ui-cycles.sh
UNIT_TESTS += tests/ui-cycles.sh
EXTRA_DIST += tests/ui-cycles.sh

# The tmux-driven tests: tmux and the program only, no peers.
TUI_TESTS = tests/tui/walk.sh tests/tui/prefill.sh tests/tui/fqdn.sh \
	tests/tui/resize.sh tests/tui/ctrlc.sh tests/tui/terms.sh \
	tests/tui/i18n.sh tests/tui/integration.sh tests/tui/wrap.sh
TESTS += $(TUI_TESTS)
UNIT_TESTS += $(TUI_TESTS)
EXTRA_DIST += tests/tui/lib.sh tests/tui/golden $(TUI_TESTS) bench/tui
# The live host preflight (F4 on SSH) needs the sshd peer.
TESTS += tests/tui/preflight-view.sh
EXTRA_DIST += tests/tui/preflight-view.sh
# F4 on Database and Object storage, and what they offer to create, need
# the MariaDB and s3rver peers.
TESTS += tests/tui/database.sh tests/tui/storage.sh
EXTRA_DIST += tests/tui/database.sh tests/tui/storage.sh
# The Air gap screen's bundle actions need umoci and the registry peer.
TESTS += tests/tui/airgap.sh tests/tui/passphrase.sh
EXTRA_DIST += tests/tui/airgap.sh tests/tui/passphrase.sh
# F5 on Review: install and upgrade, with the stand-ins behind sshd.
TESTS += tests/tui/install-run.sh tests/tui/upgrade-run.sh
EXTRA_DIST += tests/tui/install-run.sh tests/tui/upgrade-run.sh
