## tests/peers/local.mk -- included from the top-level Makefile.am.
##
## Real servers on loopback for the test suite (see tests/peers/README.md)
## and one TAP smoke test per server.  The smoke tests print TAP (run by
## the top-level LOG_DRIVER, tap-driver.sh) and skip themselves with
## `1..0 # SKIP ...` when the server's program is not installed.  They
## find lib.sh next to themselves, so they work from $(srcdir) in VPATH
## builds, and write only below $WB_PEER_DIR or $TMPDIR (make distcheck).

peers_scripts = \
	tests/peers/lib.sh \
	tests/peers/sshd.sh \
	tests/peers/mariadb.sh \
	tests/peers/registry.sh \
	tests/peers/token-server.py \
	tests/peers/s3rver.sh tests/peers/s3rver-md5.js \
	tests/peers/nginx.sh

peers_smoke_tests = \
	tests/peers/smoke-sshd.sh \
	tests/peers/smoke-mariadb.sh \
	tests/peers/smoke-registry.sh \
	tests/peers/smoke-s3rver.sh \
	tests/peers/smoke-nginx.sh

TESTS += $(peers_smoke_tests)

EXTRA_DIST += \
	tests/peers/README.md \
	$(peers_scripts) \
	$(peers_smoke_tests)
