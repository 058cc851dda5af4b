// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_isa_disasm.c - the disassembler's exact text in both syntaxes.  The
 * LLVM texts of encodings LLVM 14 knows are what `llvm-objdump -d` (LLVM
 * 14.0.6) prints after the raw bytes, 32-bit atomics other than add with
 * --mattr=+alu32 (without it LLVM 14 cannot tell them apart); the others
 * use newer LLVM's or Linux's spelling, or ours (see asm.c).  Encodings
 * outside the table, or with a field the row does not use set, print
 * "<unknown>".
 */
#include "test.h"

#include <errno.h>
#include <string.h>

#include <userbpf/isa.h>

#define I(c, d, s, o, i) UBF_INSN(c, d, s, o, i)
#define NONE UBF_INSN(0, 0, 0, 0, 0)

struct spelling {
	struct ubf_raw_insn in[2];
	const char *llvm;
	const char *conf;
};

static const struct spelling llvm14[] = {
	{{I(0x07, 1, 0, 0, -1), NONE}, "r1 += -1", "add %r1, -1"},
	{{I(0x07, 1, 0, 0, INT32_MIN), NONE}, "r1 += -2147483648", "add %r1, -2147483648"},
	{{I(0x04, 1, 0, 0, -1), NONE}, "w1 += -1", "add32 %r1, -1"},
	{{I(0x0f, 1, 2, 0, 0), NONE}, "r1 += r2", "add %r1, %r2"},
	{{I(0xbc, 1, 2, 0, 0), NONE}, "w1 = w2", "mov32 %r1, %r2"},
	{{I(0xb4, 1, 0, 0, -1), NONE}, "w1 = -1", "mov32 %r1, -1"},
	{{I(0xb7, 10, 0, 0, 1), NONE}, "r10 = 1", "mov %r10, 1"},
	{{I(0xc7, 1, 0, 0, -1), NONE}, "r1 s>>= -1", "arsh %r1, -1"},
	{{I(0x84, 1, 0, 0, 0), NONE}, "w1 = -w1", "neg32 %r1"},
	{{I(0x87, 1, 0, 0, 0), NONE}, "r1 = -r1", "neg %r1"},
	{{I(0xd4, 1, 0, 0, 16), NONE}, "r1 = le16 r1", "le16 %r1"},
	{{I(0xdc, 1, 0, 0, 64), NONE}, "r1 = be64 r1", "be64 %r1"},
	{{I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, -1)}, "r1 = -1 ll", "lddw %r1, 0xffffffffffffffff"},
	{{I(0x18, 1, 0, 0, 0x12345678), I(0, 0, 0, 0, 0x7abcdef0)},
	 "r1 = 8844188890927748728 ll",
	 "lddw %r1, 0x7abcdef012345678"},
	{{I(0x18, 1, 0, 0, INT32_MIN), NONE}, "r1 = 2147483648 ll", "lddw %r1, 0x80000000"},
	{{I(0x85, 0, 0, 0, 5), NONE}, "call 5", "call 5"},
	{{I(0x95, 0, 0, 0, 0), NONE}, "exit", "exit"},
	{{I(0x05, 0, 0, -2, 0), NONE}, "goto -2", "ja -2"},
	{{I(0x05, 0, 0, 0, 0), NONE}, "goto +0", "ja +0"},
	{{I(0x05, 0, 0, -32768, 0), NONE}, "goto -32768", "ja -32768"},
	{{I(0x15, 1, 0, -2, -1), NONE}, "if r1 == -1 goto -2", "jeq %r1, -1, -2"},
	{{I(0x16, 1, 0, 1, 1), NONE}, "if w1 == 1 goto +1", "jeq32 %r1, 1, +1"},
	{{I(0x1e, 1, 2, 1, 0), NONE}, "if w1 == w2 goto +1", "jeq32 %r1, %r2, +1"},
	{{I(0xcd, 1, 2, 1, 0), NONE}, "if r1 s< r2 goto +1", "jslt %r1, %r2, +1"},
	{{I(0xb6, 1, 0, 8, 256), NONE}, "if w1 <= 256 goto +8", "jle32 %r1, 256, +8"},
	{{I(0x61, 1, 2, -1, 0), NONE}, "r1 = *(u32 *)(r2 - 1)", "ldxw %r1, [%r2-1]"},
	{{I(0x61, 1, 2, -32768, 0), NONE}, "r1 = *(u32 *)(r2 - 32768)", "ldxw %r1, [%r2-32768]"},
	{{I(0x79, 1, 2, 32767, 0), NONE}, "r1 = *(u64 *)(r2 + 32767)", "ldxdw %r1, [%r2+32767]"},
	{{I(0x7b, 10, 1, -8, 0), NONE}, "*(u64 *)(r10 - 8) = r1", "stxdw [%r10-8], %r1"},
	{{I(0x73, 1, 2, 0, 0), NONE}, "*(u8 *)(r1 + 0) = r2", "stxb [%r1+0], %r2"},
	{{I(0x20, 0, 0, 0, -1), NONE}, "r0 = *(u32 *)skb[-1]", "ldabsw -1"},
	{{I(0x40, 0, 3, 0, 0), NONE}, "r0 = *(u32 *)skb[r3]", "ldindw %r3, 0"},
	{{I(0xc3, 1, 2, 4, 0x00), NONE}, "lock *(u32 *)(r1 + 4) += r2", "lock add32 [%r1+4], %r2"},
	{{I(0xc3, 1, 2, 4, 0x41), NONE},
	 "w2 = atomic_fetch_or((u32 *)(r1 + 4), w2)",
	 "lock fetch or32 [%r1+4], %r2"},
	{{I(0xc3, 1, 2, 4, 0xa0), NONE}, "lock *(u32 *)(r1 + 4) ^= w2", "lock xor32 [%r1+4], %r2"},
	{{I(0xc3, 1, 2, 4, 0xe1), NONE}, "w2 = xchg32_32(r1 + 4, w2)", "lock xchg32 [%r1+4], %r2"},
	{{I(0xc3, 1, 2, 4, 0xf1), NONE},
	 "w0 = cmpxchg32_32(r1 + 4, w0, w2)",
	 "lock cmpxchg32 [%r1+4], %r2"},
	{{I(0xdb, 1, 2, -4, 0x01), NONE},
	 "r2 = atomic_fetch_add((u64 *)(r1 - 4), r2)",
	 "lock fetch add [%r1-4], %r2"},
	{{I(0xdb, 1, 2, -4, 0x40), NONE}, "lock *(u64 *)(r1 - 4) |= r2", "lock or [%r1-4], %r2"},
	{{I(0xdb, 1, 2, -4, 0xe1), NONE}, "r2 = xchg_64(r1 - 4, r2)", "lock xchg [%r1-4], %r2"},
	{{I(0xdb, 1, 2, -4, 0xf1), NONE},
	 "r0 = cmpxchg_64(r1 - 4, r0, r2)",
	 "lock cmpxchg [%r1-4], %r2"},
};

static const struct spelling newer[] = {
	{{I(0x9c, 1, 2, 0, 0), NONE}, "w1 %= w2", "mod32 %r1, %r2"},
	{{I(0x97, 1, 0, 0, -7), NONE}, "r1 %= -7", "mod %r1, -7"},
	{{I(0x45, 1, 0, 1, 16), NONE}, "if r1 & 16 goto +1", "jset %r1, 16, +1"},
	{{I(0x4e, 1, 2, -1, 0), NONE}, "if w1 & w2 goto -1", "jset32 %r1, %r2, -1"},
	{{I(0x3f, 1, 2, 1, 0), NONE}, "r1 s/= r2", "sdiv %r1, %r2"},
	{{I(0x94, 1, 0, 1, 3), NONE}, "w1 s%= 3", "smod32 %r1, 3"},
	{{I(0xbf, 1, 2, 8, 0), NONE}, "r1 = (s8)r2", "movsx864 %r1, %r2"},
	{{I(0xbc, 1, 2, 16, 0), NONE}, "w1 = (s16)w2", "movsx1632 %r1, %r2"},
	{{I(0x91, 1, 2, -1, 0), NONE}, "r1 = *(s8 *)(r2 - 1)", "ldxsb %r1, [%r2-1]"},
	{{I(0xd7, 1, 0, 0, 32), NONE}, "r1 = bswap32 r1", "bswap32 %r1"},
	{{I(0x06, 0, 0, 0, -5), NONE}, "gotol -5", "ja32 -5"},
	{{I(0xe5, 0, 0, 3, 0), NONE}, "may_goto +3", "may_goto +3"},
	{{I(0x8d, 2, 0, 0, 0), NONE}, "callx r2", "call %r2"},
	{{I(0x72, 1, 0, 8, 255), NONE}, "*(u8 *)(r1 + 8) = 255", "stb [%r1+8], 255"},
	{{I(0x62, 1, 0, -8, -5), NONE}, "*(u32 *)(r1 - 8) = -5", "stw [%r1-8], -5"},
	{{I(0x48, 0, 1, 0, 4), NONE}, "r0 = *(u16 *)skb[r1 + 4]", "ldindh %r1, 4"},
	{{I(0x50, 0, 3, 0, -4), NONE}, "r0 = *(u8 *)skb[r3 - 4]", "ldindb %r3, -4"},
	{{I(0xdb, 0, 1, 0, 0x100), NONE},
	 "r0 = load_acquire((u64 *)(r1 + 0))",
	 "ldacqdw %r0, [%r1+0]"},
	{{I(0xd3, 0, 1, 2, 0x100), NONE},
	 "w0 = load_acquire((u8 *)(r1 + 2))",
	 "ldacqb %r0, [%r1+2]"},
	{{I(0xcb, 1, 2, 0, 0x110), NONE},
	 "store_release((u16 *)(r1 + 0), w2)",
	 "strelh [%r1+0], %r2"},
	{{I(0xdb, 1, 2, 8, 0x110), NONE},
	 "store_release((u64 *)(r1 + 8), r2)",
	 "streldw [%r1+8], %r2"},
};

/* Ours: Linux-log style "pc+N" for local calls, keywords for lddw pseudo forms and kfuncs. */
static const struct spelling ours[] = {
	{{I(0x85, 0, 1, 0, -1), NONE}, "call pc-1", "call local -1"},
	{{I(0x85, 0, 1, 0, 0), NONE}, "call pc+0", "call local +0"},
	{{I(0x85, 0, 2, 0, 7), NONE}, "call kfunc 7", "call kfunc 7"},
	{{I(0x85, 0, 2, 2, 7), NONE}, "call kfunc 7, 2", "call kfunc 7, 2"},
	{{I(0x18, 1, 1, 0, 3), NONE}, "r1 = map_fd[3]", "lddw %r1, map_fd 3"},
	{{I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 8)},
	 "r1 = map_value[3]+8",
	 "lddw %r1, map_value 3, 8"},
	{{I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, -8)},
	 "r1 = map_value[3]-8",
	 "lddw %r1, map_value 3, -8"},
	{{I(0x18, 1, 3, 0, 7), NONE}, "r1 = btf_id[7]", "lddw %r1, btf_id 7"},
	{{I(0x18, 1, 4, 0, -3), NONE}, "r1 = func[pc-3]", "lddw %r1, func -3"},
	{{I(0x18, 1, 5, 0, 0), NONE}, "r1 = map_idx[0]", "lddw %r1, map_idx 0"},
	{{I(0x18, 1, 6, 0, 1), I(0, 0, 0, 0, 16)},
	 "r1 = map_idx_value[1]+16",
	 "lddw %r1, map_idx_value 1, 16"},
};

static void check_spellings(const char *file, int line, const struct spelling *sp, size_t n)
{
	size_t i;
	char buf[128];
	int ret;

	for (i = 0; i < n; i++) {
		size_t cnt = sp[i].in[0].code == 0x18 ? 2 : 1;

		ret = ubf_disasm_insn(sp[i].in, cnt, 0, UBF_SYNTAX_LLVM, buf, sizeof(buf));
		if (ret != (int)cnt || strcmp(buf, sp[i].llvm))
			ubf_test_fail(file, line, "LLVM: got '%s' (%d), want '%s'", buf, ret,
				      sp[i].llvm);
		ret = ubf_disasm_insn(sp[i].in, cnt, 0, UBF_SYNTAX_CONFORMANCE, buf, sizeof(buf));
		if (ret != (int)cnt || strcmp(buf, sp[i].conf))
			ubf_test_fail(file, line, "conformance: got '%s' (%d), want '%s'", buf, ret,
				      sp[i].conf);
	}
}

TEST(disasm_matches_llvm14_objdump)
{
	check_spellings(__FILE__, __LINE__, llvm14, sizeof(llvm14) / sizeof(llvm14[0]));
}

TEST(disasm_newer_encodings_use_newer_llvm_spelling)
{
	check_spellings(__FILE__, __LINE__, newer, sizeof(newer) / sizeof(newer[0]));
}

TEST(disasm_pseudo_forms_print_distinctly)
{
	check_spellings(__FILE__, __LINE__, ours, sizeof(ours) / sizeof(ours[0]));
}

static void check_unknown(const char *file, int line, const struct ubf_raw_insn *in, size_t cnt)
{
	char buf[32];
	int s, ret;

	for (s = UBF_SYNTAX_LLVM; s <= UBF_SYNTAX_CONFORMANCE; s++) {
		ret = ubf_disasm_insn(in, cnt, 0, (enum ubf_syntax)s, buf, sizeof(buf));
		if (ret != 1 || strcmp(buf, "<unknown>"))
			ubf_test_fail(file, line, "code 0x%02x: got '%s' (%d), want <unknown>",
				      in[0].code, buf, ret);
	}
}

#define EXPECT_UNKNOWN(...)                                                                        \
	do {                                                                                       \
		const struct ubf_raw_insn in_[] = {__VA_ARGS__};                                   \
		check_unknown(__FILE__, __LINE__, in_, sizeof(in_) / sizeof(in_[0]));              \
	} while (0)

TEST(disasm_prints_unknown_for_encodings_outside_the_table)
{
	EXPECT_UNKNOWN(I(0x00, 0, 0, 0, 0));
	EXPECT_UNKNOWN(I(0x8e, 1, 2, 0, 0));
	EXPECT_UNKNOWN(I(0xff, 0, 0, 0, 0));
	EXPECT_UNKNOWN(I(0x34, 1, 0, 2, 3));	   /* div32: off is 0 or 1 */
	EXPECT_UNKNOWN(I(0xd4, 1, 0, 0, 8));	   /* le8 */
	EXPECT_UNKNOWN(I(0xc3, 1, 2, 0, 0x02));	   /* no atomic op 2 */
	EXPECT_UNKNOWN(I(0x85, 0, 3, 0, 0));	   /* no call with src 3 */
	EXPECT_UNKNOWN(I(0x18, 1, 7, 0, 0), NONE); /* no lddw src 7 */
}

TEST(disasm_prints_unknown_for_reserved_fields)
{
	EXPECT_UNKNOWN(I(0x07, 1, 1, 0, 1));  /* src on an immediate ALU op */
	EXPECT_UNKNOWN(I(0x07, 1, 0, 1, 1));  /* off on an immediate ALU op */
	EXPECT_UNKNOWN(I(0x0f, 1, 2, 0, 1));  /* imm on a register ALU op */
	EXPECT_UNKNOWN(I(0x95, 1, 0, 0, 0));  /* dst on exit */
	EXPECT_UNKNOWN(I(0x05, 0, 0, 1, 1));  /* imm on ja */
	EXPECT_UNKNOWN(I(0xb7, 11, 0, 0, 1)); /* r11 */
	EXPECT_UNKNOWN(I(0xbf, 1, 11, 0, 0)); /* src r11 */
	EXPECT_UNKNOWN(I(0x20, 1, 0, 0, 1));  /* ld_abs has no dst */
}

TEST(disasm_lddw_needs_a_well_formed_second_slot)
{
	EXPECT_UNKNOWN(I(0x18, 1, 0, 0, 1));			  /* cut off */
	EXPECT_UNKNOWN(I(0x18, 1, 0, 0, 1), I(0x07, 0, 0, 0, 0)); /* code in slot 2 */
	EXPECT_UNKNOWN(I(0x18, 1, 0, 0, 1), I(0, 1, 0, 0, 0));	  /* regs in slot 2 */
	EXPECT_UNKNOWN(I(0x18, 1, 0, 0, 1), I(0, 0, 0, 1, 0));	  /* off in slot 2 */
	EXPECT_UNKNOWN(I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 1));	  /* map_fd takes no offset */
}

TEST(disasm_returns_the_slot_count_and_indexes_the_program)
{
	const struct ubf_raw_insn prog[] = {I(0x18, 1, 0, 0, 7), NONE, I(0xb7, 0, 0, 0, 3),
					    I(0x95, 0, 0, 0, 0)};
	char buf[64];

	EXPECT_EQ_INT(ubf_disasm_insn(prog, 4, 0, UBF_SYNTAX_LLVM, buf, sizeof(buf)), 2);
	EXPECT_STREQ(buf, "r1 = 7 ll");
	EXPECT_EQ_INT(ubf_disasm_insn(prog, 4, 2, UBF_SYNTAX_LLVM, buf, sizeof(buf)), 1);
	EXPECT_STREQ(buf, "r0 = 3");
	EXPECT_EQ_INT(ubf_disasm_insn(prog, 4, 3, UBF_SYNTAX_CONFORMANCE, buf, sizeof(buf)), 1);
	EXPECT_STREQ(buf, "exit");
	/* The second slot alone is not an instruction. */
	EXPECT_EQ_INT(ubf_disasm_insn(prog, 4, 1, UBF_SYNTAX_LLVM, buf, sizeof(buf)), 1);
	EXPECT_STREQ(buf, "<unknown>");
}

TEST(disasm_truncates_to_the_buffer)
{
	const struct ubf_raw_insn in = I(0xdb, 1, 2, -4, 0x01);
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ_INT(ubf_disasm_insn(&in, 1, 0, UBF_SYNTAX_LLVM, buf, sizeof(buf)), 1);
	EXPECT_STREQ(buf, "r2 = at");
	EXPECT_EQ_INT(ubf_disasm_insn(&in, 1, 0, UBF_SYNTAX_LLVM, buf, 1), 1);
	EXPECT_STREQ(buf, "");
}

TEST(disasm_rejects_bad_arguments)
{
	const struct ubf_raw_insn in = I(0x95, 0, 0, 0, 0);
	char buf[16];

	EXPECT_ERR(-EINVAL, ubf_disasm_insn(&in, 1, 1, UBF_SYNTAX_LLVM, buf, sizeof(buf)));
	EXPECT_ERR(-EINVAL, ubf_disasm_insn(&in, 1, 0, UBF_SYNTAX_LLVM, buf, 0));
	EXPECT_ERR(-EINVAL, ubf_disasm_insn(&in, 1, 0, UBF_SYNTAX_LLVM, NULL, 16));
	EXPECT_ERR(-EINVAL, ubf_disasm_insn(NULL, 1, 0, UBF_SYNTAX_LLVM, buf, sizeof(buf)));
	EXPECT_ERR(-EINVAL, ubf_disasm_insn(&in, 1, 0, (enum ubf_syntax)3, buf, sizeof(buf)));
}

TEST(disasm_every_opcode_byte_either_prints_or_is_unknown)
{
	struct ubf_raw_insn prog[2] = {I(0, 1, 2, 1, 1), NONE};
	char buf[128];
	unsigned code;

	/* dst r1, src r2, off 1, imm 1: never crashes, never prints an empty line. */
	for (code = 0; code < 256; code++) {
		int ret;

		prog[0].code = (uint8_t)code;
		ret = ubf_disasm_insn(prog, 2, 0, UBF_SYNTAX_LLVM, buf, sizeof(buf));
		EXPECT_TRUE(ret == 1 || ret == 2);
		EXPECT_TRUE(buf[0] != '\0');
		ret = ubf_disasm_insn(prog, 2, 0, UBF_SYNTAX_CONFORMANCE, buf, sizeof(buf));
		EXPECT_TRUE(ret == 1 || ret == 2);
		EXPECT_TRUE(buf[0] != '\0');
	}
}
