# datastore: MySQL and object-store preflight, presigned URLs.
src_libwbcore_a_SOURCES += \
	src/cmd-mysql.c \
	src/cmd-storage.c \
	src/mysql.c src/mysql.h \
	src/preflight-mysql.c \
	src/preflight-storage.c \
	src/presign.c src/presign.h \
	src/s3.c src/s3.h

check_PROGRAMS += tests/datastore/test-datastore tests/datastore/run-family
tests_datastore_test_datastore_SOURCES = tests/datastore/test-datastore.c \
	tests/unit/tap.h
tests_datastore_test_datastore_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit
tests_datastore_test_datastore_LDADD = $(CORE_LIBS)
tests_datastore_run_family_SOURCES = tests/datastore/run-family.c
tests_datastore_run_family_LDADD = $(CORE_LIBS)

TESTS += tests/datastore/test-datastore
UNIT_TESTS += tests/datastore/test-datastore
TESTS += tests/datastore/presign.sh tests/datastore/storage.sh \
	tests/datastore/mysql.sh tests/datastore/mysql-hostile.sh
UNIT_TESTS += tests/datastore/presign.sh
EXTRA_DIST += tests/datastore/lib.sh tests/datastore/presign.sh \
	tests/datastore/presign-ref.py tests/datastore/storage.sh \
	tests/datastore/mysql.sh tests/datastore/mysql-hostile.sh \
	tests/datastore/params.cnf
