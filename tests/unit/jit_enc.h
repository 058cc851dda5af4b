/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * jit_enc.h - the row format and checker shared by the x86-64 encoder
 * tests (test_jit_x86_enc*.c): each row holds an encoder's arguments, the
 * instruction text llvm-mc assembled, and the bytes it produced.  The
 * tables were generated once with llvm-mc; the generator is not part of
 * the tree, the tables are the record.
 */
#ifndef UBF_TEST_JIT_ENC_H
#define UBF_TEST_JIT_ENC_H

#include "test.h"

#include "jit/x86_64_enc.h"
#include "util/compiler.h"

struct enc_row {
	int64_t a, b, c, d, e;	/* the encoder's arguments, in order */
	const char *text;	/* what llvm-mc assembled */
	uint8_t len;
	uint8_t bytes[15];
};

static inline void check_rows(const char *form, const struct enc_row *rows, size_t cnt,
			      struct x86_insn (*enc)(const struct enc_row *r))
{
	size_t i, j;

	for (i = 0; i < cnt; i++) {
		const struct enc_row *r = &rows[i];
		struct x86_insn in = enc(r);
		char got[64] = "", want[64] = "";

		if (in.len == r->len && !memcmp(in.b, r->bytes, r->len))
			continue;
		for (j = 0; j < in.len && j < 15; j++)
			snprintf(got + 3 * j, sizeof(got) - 3 * j, "%02x ", in.b[j]);
		for (j = 0; j < r->len; j++)
			snprintf(want + 3 * j, sizeof(want) - 3 * j, "%02x ", r->bytes[j]);
		ubf_test_fail(__FILE__, __LINE__, "%s: \"%s\": got %sexpected %s", form, r->text,
			      got, want);
	}
}

/* One test per encoder: its table, checked row by row. */
#define ENC_TEST(name, call)                                                            \
	static struct x86_insn enc_##name(const struct enc_row *r)                      \
	{                                                                               \
		(void)r;                                                                \
		return call;                                                            \
	}                                                                               \
	TEST(x86_enc_##name)                                                            \
	{                                                                               \
		check_rows(#name, name##_rows, UBF_ARRAY_SIZE(name##_rows), enc_##name); \
	}

#endif /* UBF_TEST_JIT_ENC_H */
