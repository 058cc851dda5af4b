// SPDX-License-Identifier: BSD-2-Clause
/*
 * test.c - the unit-test runner: runs every registered test (or those
 * whose name contains argv[1]), prints each failure with file and line,
 * and ends with "unit: N passed, N failed, N skipped".  Exit status 1 when
 * anything failed.
 */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

static struct ubf_test *tests, **tests_tail = &tests;
static int cur_failed, cur_skipped;
static const char *cur_name;

void ubf_test_register(struct ubf_test *t)
{
	*tests_tail = t;
	tests_tail = &t->next;
}

void ubf_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (cur_failed < 10) {
		fprintf(stdout, "FAIL %s: %s:%d: ", cur_name, file, line);
		va_start(ap, fmt);
		vfprintf(stdout, fmt, ap);
		va_end(ap);
		fputc('\n', stdout);
	}
	cur_failed++;
}

void ubf_test_skip(const char *why)
{
	fprintf(stdout, "SKIP %s: %s\n", cur_name, why);
	cur_skipped = 1;
}

int ubf_test_failed(void)
{
	return cur_failed != 0;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0, skipped = 0;
	struct ubf_test *t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (t = tests; t; t = t->next) {
		if (filter && !strstr(t->name, filter))
			continue;
		cur_name = t->name;
		cur_failed = 0;
		cur_skipped = 0;
		t->fn();
		if (cur_failed)
			failed++;
		else if (cur_skipped)
			skipped++;
		else
			passed++;
		if (getenv("UBF_TEST_VERBOSE"))
			printf("%s %s\n", cur_failed ? "FAIL" : cur_skipped ? "SKIP" : "ok  ", t->name);
	}
	printf("unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
