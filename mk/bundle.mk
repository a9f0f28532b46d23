# bundle: air-gap bundles (issue 7).  Sources, the release spec, tests.
src_libwbcore_a_SOURCES += \
	src/bundle.h \
	src/bundle-chart.c \
	src/bundle-create.c \
	src/bundle-complete.c src/bundle-complete.h \
	src/preflight-registry.c \
	src/bundle-manifest.c \
	src/bundle-push.c \
	src/bundle-read.c \
	src/bundle-sign.c \
	src/cmd-bundle.c \
	src/oci.c src/oci.h \
	src/registry.c src/registry.h

nobase_dist_pkgdata_DATA += bundles/wandb-server-0.43.8.yaml

check_PROGRAMS += tests/unit/test-bundle
tests_unit_test_bundle_SOURCES = tests/unit/test-bundle.c tests/unit/tap.h
tests_unit_test_bundle_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_bundle_LDADD = $(CORE_LIBS)

check_PROGRAMS += tests/unit/test-registry
tests_unit_test_registry_SOURCES = tests/unit/test-registry.c \
	tests/unit/tap.h
tests_unit_test_registry_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_registry_LDADD = $(CORE_LIBS)

# format.sh needs no peer (umoci and zstd only); push.sh and auth.sh need
# the registry peer (auth.sh with Basic and token auth).
TESTS += tests/unit/test-bundle tests/unit/test-registry \
	tests/bundle/format.sh tests/bundle/push.sh tests/bundle/auth.sh \
	tests/bundle/interrupt.sh tests/bundle/registry-check.sh \
	tests/bundle/progress.sh
UNIT_TESTS += tests/unit/test-bundle tests/unit/test-registry \
	tests/bundle/format.sh tests/bundle/interrupt.sh tests/bundle/progress.sh
EXTRA_DIST += tests/bundle/common.sh tests/bundle/tamper.py \
	tests/bundle/format.sh tests/bundle/push.sh tests/bundle/auth.sh \
	tests/bundle/interrupt.sh tests/bundle/registry-check.sh docs/bundle.md \
	tests/bundle/progress.sh \
	bench/bundle
