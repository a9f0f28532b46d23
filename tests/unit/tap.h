/* A few TAP helpers for the table-driven unit tests. */
#ifndef WB_TAP_H
#define WB_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

#define TAP_UNUSED __attribute__((unused))

static void
tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3))) TAP_UNUSED;

static void
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void
tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2))) TAP_UNUSED;

static void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int tap_done(void) TAP_UNUSED;

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
