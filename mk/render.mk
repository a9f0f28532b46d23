# render: wbinstall render (issue 6).
src_libwbcore_a_SOURCES += \
	src/render.c src/render.h \
	src/render-yaml.c \
	src/chart-render.c src/chart-render.h \
	src/cmd-images.c \
	src/cmd-render.c

nobase_dist_pkgdata_DATA += \
	templates/nginx/wandb.conf \
	templates/mysql/wandb.cnf \
	templates/mysql/bootstrap.sql \
	templates/baremetal/wandb.env \
	templates/terraform/aws/terraform.tfvars \
	templates/terraform/aws/versions.tf \
	templates/terraform/aws/variables.tf \
	templates/terraform/aws/main.tf

check_PROGRAMS += tests/render/test-render
tests_render_test_render_SOURCES = tests/render/test-render.c tests/unit/tap.h
tests_render_test_render_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_render_test_render_LDADD = $(CORE_LIBS)

# golden.sh needs no peers; consumers.sh starts s3rver and MariaDB, and
# runs the docker CLI against docker-api.py; tests/chart runs the real helm
# on the real charts of the shared directory (SKIP without them).
TESTS += tests/render/test-render tests/render/golden.sh \
	tests/render/consumers.sh tests/render/terraform.sh tests/chart/chart.sh \
	tests/images/images.sh tests/images/bundle.sh
UNIT_TESTS += tests/render/test-render tests/render/golden.sh \
	tests/chart/chart.sh tests/images/images.sh
EXTRA_DIST += tests/render/cases tests/render/golden.sh \
	tests/render/consumers.sh tests/render/docker-api.py \
	tests/render/terraform.sh \
	tests/chart/chart.sh tests/chart/manifests.py tests/images/images.sh \
	tests/images/bundle.sh \
	bench/images
