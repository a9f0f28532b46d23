# upgrade: guided upgrade and support bundle.
src_libwbcore_a_SOURCES += \
	src/support.c src/support.h \
	src/upgrade.c src/upgrade.h \
	src/upgrade-run.c src/upgrade-run.h \
	src/manifest-diff.c src/manifest-diff.h \
	src/cmd-support.c \
	src/cmd-upgrade.c

check_PROGRAMS += tests/upgrade/test-upgrade
tests_upgrade_test_upgrade_SOURCES = tests/upgrade/test-upgrade.c \
	tests/unit/tap.h
tests_upgrade_test_upgrade_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit
tests_upgrade_test_upgrade_LDADD = $(CORE_LIBS)

TESTS += tests/upgrade/test-upgrade tests/support/bundle.sh \
	tests/support/hostile-secrets.sh \
	tests/upgrade/upgrade.sh tests/upgrade/airgap.sh tests/upgrade/manifests.sh
UNIT_TESTS += tests/upgrade/test-upgrade tests/support/hostile-secrets.sh
EXTRA_DIST += tests/upgrade/lib.sh tests/upgrade/standins \
	tests/support/bundle.sh tests/support/hostile-secrets.sh \
	tests/upgrade/upgrade.sh \
	tests/upgrade/airgap.sh tests/upgrade/manifests.sh
