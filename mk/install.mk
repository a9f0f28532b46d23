# install: plan, journal, runner, verify; the install and verify commands.
src_libwbcore_a_SOURCES += \
	src/plan.c src/plan.h \
	src/plan-session.c src/plan-session.h src/run-flags.h \
	src/journal.c src/journal.h \
	src/runner.c src/runner.h \
	src/kube.c src/kube.h \
	src/kube-probe.c \
	src/kube-pods.c \
	src/verify.c src/verify.h \
	src/action-bundle.c \
	src/action-preflight.c \
	src/action-mysql.c \
	src/action-cors.c \
	src/action-render.c \
	src/action-secrets.c \
	src/action-operator.c \
	src/action-resource.c \
	src/action-wait.c \
	src/action-verify.c \
	src/action-bm-env.c \
	src/action-bm-run.c \
	src/cmd-install.c \
	src/cmd-verify.c

check_PROGRAMS += tests/install/test-install
tests_install_test_install_SOURCES = tests/install/test-install.c \
	tests/unit/tap.h
tests_install_test_install_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit
tests_install_test_install_LDADD = $(CORE_LIBS)

TESTS += tests/install/test-install
UNIT_TESTS += tests/install/test-install
EXTRA_DIST += tests/standins

# verify.sh needs nginx and s3rver; plan.sh also sshd; airgap.sh the
# registry, umoci and skopeo instead; chart-ref.sh the registry, nginx,
# umoci, the real helm and the real charts of $(WB_SHARED); standins.sh
# the real helm; cluster.sh python3 (and for its script run here, python3
# with yaml, nginx and MariaDB).
TESTS += tests/install/verify.sh tests/install/plan.sh tests/install/airgap.sh \
	tests/install/chart-ref.sh tests/install/standins.sh \
	tests/install/cluster.sh
EXTRA_DIST += tests/install/lib.sh tests/install/upstream.py \
	tests/install/verify.sh tests/install/plan.sh tests/install/airgap.sh \
	tests/install/chart-ref.sh tests/install/standins.sh \
	tests/install/cluster.sh
