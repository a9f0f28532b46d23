# hosts: host preflight over SSH (ssh.c, probe.c, preflight-hosts.c) and
# `wbinstall hosts`.
src_libwbcore_a_SOURCES += \
	src/ssh.c src/ssh.h \
	src/probe.c src/probe.h \
	src/preflight-hosts.c \
	src/hosts-target.c \
	src/cmd-hosts.c

check_PROGRAMS += tests/hosts/test-probe
tests_hosts_test_probe_SOURCES = tests/hosts/test-probe.c tests/unit/tap.h
tests_hosts_test_probe_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_hosts_test_probe_LDADD = $(CORE_LIBS)

TESTS += tests/hosts/test-probe
UNIT_TESTS += tests/hosts/test-probe
EXTRA_DIST += tests/fixtures/probe

# Real sshd peers on loopback (tests/peers/sshd.sh).
TESTS += tests/hosts/preflight.sh
EXTRA_DIST += tests/hosts/preflight.sh tests/hosts/tcp-helper.py \
	bench/preflight
