/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test.h - the unit-test harness: TEST() registers a function, EXPECT_*
 * record a failure and go on, ASSERT_* record it and leave the test,
 * SKIP() marks the test skipped (counted, never passed).  Registration uses
 * a constructor, which is fine in a test binary and never in the library.
 */
#ifndef UBF_TEST_H
#define UBF_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct ubf_test {
	const char *name;
	const char *file;
	void (*fn)(void);
	struct ubf_test *next;
};

void ubf_test_register(struct ubf_test *t);
void ubf_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ubf_test_skip(const char *why);
/* Nonzero once the current test has failed (for loops that should stop early). */
int ubf_test_failed(void);

#define TEST(name)                                                                      \
	static void test_##name(void);                                                  \
	static struct ubf_test test_desc_##name = { #name, __FILE__, test_##name, NULL }; \
	__attribute__((constructor)) static void test_reg_##name(void)                  \
	{                                                                               \
		ubf_test_register(&test_desc_##name);                                   \
	}                                                                               \
	static void test_##name(void)

#define EXPECT_TRUE(c)                                                                  \
	do {                                                                            \
		if (!(c))                                                               \
			ubf_test_fail(__FILE__, __LINE__, "expected true: %s", #c);     \
	} while (0)

#define EXPECT_EQ_U64(a, b)                                                             \
	do {                                                                            \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                        \
		if (a_ != b_)                                                           \
			ubf_test_fail(__FILE__, __LINE__,                               \
				      "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, a_, b_); \
	} while (0)

#define EXPECT_EQ_INT(a, b)                                                             \
	do {                                                                            \
		long long a_ = (long long)(a), b_ = (long long)(b);                     \
		if (a_ != b_)                                                           \
			ubf_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, \
				      a_, b_);                                          \
	} while (0)

#define EXPECT_OK(expr) EXPECT_EQ_INT((expr), 0)
#define EXPECT_ERR(err, expr) EXPECT_EQ_INT((expr), (err))

#define EXPECT_STREQ(a, b)                                                              \
	do {                                                                            \
		const char *a_ = (a), *b_ = (b);                                        \
		if (!a_ || !b_ || strcmp(a_, b_))                                       \
			ubf_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, \
				      #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");      \
	} while (0)

#define ASSERT_TRUE(c)                                                                  \
	do {                                                                            \
		if (!(c)) {                                                             \
			ubf_test_fail(__FILE__, __LINE__, "assertion failed: %s", #c);  \
			return;                                                         \
		}                                                                       \
	} while (0)

#define ASSERT_OK(expr)                                                                 \
	do {                                                                            \
		long long r_ = (long long)(expr);                                       \
		if (r_ != 0) {                                                          \
			ubf_test_fail(__FILE__, __LINE__, "%s returned %lld", #expr, r_); \
			return;                                                         \
		}                                                                       \
	} while (0)

#define SKIP(why)                                                                       \
	do {                                                                            \
		ubf_test_skip(why);                                                     \
		return;                                                                 \
	} while (0)

#endif /* UBF_TEST_H */
