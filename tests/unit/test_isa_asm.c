// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_isa_asm.c - the assembler and the .data reader: spellings in both
 * syntaxes, labels, numbers at their limits, every diagnostic id with its
 * line and column, and the conformance suite itself (every runnable file
 * must assemble to the bytes of vectors.tsv, which the suite's own
 * assembler produced; every negative file must be rejected).  Expected
 * bytes of LLVM-syntax lines were checked with
 * `llvm-mc -triple bpf -mcpu=v3 -show-encoding` (LLVM 14) where it knows them.
 */
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/isa.h>

#define I(c, d, s, o, i) ((struct ubf_raw_insn)UBF_INSN(c, d, s, o, i))

/* Assemble @text; on success *@cntp slots are in the returned array (free()). */
static struct ubf_raw_insn *assemble(const char *text, size_t *cntp, struct ubf_diag *diag)
{
	struct ubf_raw_insn *insns = NULL;
	UBF_OPTS(ubf_asm_opts, opts, .file_name = "t.s", .diag = diag);

	if (ubf_asm_parse(text, strlen(text), &insns, cntp, &opts))
		return NULL;
	return insns;
}

static int same_insns(const struct ubf_raw_insn *a, const struct ubf_raw_insn *b, size_t n)
{
	return !memcmp(a, b, n * sizeof(*a));
}

/* One line must assemble to exactly @want (one slot, or two for lddw). */
static void check_line(const char *file, int line, const char *text,
		       const struct ubf_raw_insn *want, size_t want_cnt)
{
	struct ubf_diag diag = {0};
	size_t cnt = 0;
	struct ubf_raw_insn *got;

	got = assemble(text, &cnt, &diag);
	if (!got) {
		ubf_test_fail(file, line, "'%s' rejected: %s (%s)", text, diag.msg,
			      diag.id ? diag.id : "?");
		return;
	}
	if (cnt != want_cnt || !same_insns(got, want, cnt))
		ubf_test_fail(file, line,
			      "'%s' assembled to %zu slots, code 0x%02x regs 0x%02x "
			      "off %d imm %d",
			      text, cnt, got[0].code, got[0].regs, got[0].off, got[0].imm);
	free(got);
}

#define EXPECT_ASM(text, ...)                                                                      \
	do {                                                                                       \
		const struct ubf_raw_insn want_[] = {__VA_ARGS__};                                 \
		check_line(__FILE__, __LINE__, text, want_, sizeof(want_) / sizeof(want_[0]));     \
	} while (0)

/* @text must be rejected with diagnostic @id at @line:@col. */
static void check_err(const char *file, int line, const char *text, const char *id,
		      unsigned want_line, unsigned want_col)
{
	struct ubf_diag diag = {0};
	size_t cnt = 0;
	struct ubf_raw_insn *got;
	char prefix[64];

	got = assemble(text, &cnt, &diag);
	if (got) {
		ubf_test_fail(file, line, "'%s' was accepted (%zu slots)", text, cnt);
		free(got);
		return;
	}
	snprintf(prefix, sizeof(prefix), "t.s:%u:%u: ", want_line, want_col);
	if (!diag.id || strcmp(diag.id, id) || diag.line != want_line || diag.col != want_col ||
	    strncmp(diag.msg, prefix, strlen(prefix)))
		ubf_test_fail(file, line, "'%s': got %s at %u:%u (%s), want %s at %u:%u", text,
			      diag.id ? diag.id : "(none)", diag.line, diag.col, diag.msg, id,
			      want_line, want_col);
}

#define EXPECT_ASM_ERR(text, id, line, col) check_err(__FILE__, __LINE__, text, id, line, col)

TEST(asm_conformance_spellings)
{
	EXPECT_ASM("mov %r0, 1", I(0xb7, 0, 0, 0, 1));
	EXPECT_ASM("add32 %r1, %r2", I(0x0c, 1, 2, 0, 0));
	EXPECT_ASM("ldxw %r0, [%r1+4]", I(0x61, 0, 1, 4, 0));
	EXPECT_ASM("ldxdw %r0, [%r1]", I(0x79, 0, 1, 0, 0));
	EXPECT_ASM("stxdw [%r10-8], %r0", I(0x7b, 10, 0, -8, 0));
	EXPECT_ASM("stw [%r1+0], 5", I(0x62, 1, 0, 0, 5));
	EXPECT_ASM("stb [%r10-1], 0xff", I(0x72, 10, 0, -1, 0xff));
	EXPECT_ASM("lddw %r0, 0x123456789abcdef0", I(0x18, 0, 0, 0, 0x9abcdef0),
		   I(0, 0, 0, 0, 0x12345678));
	EXPECT_ASM("jne32 %r1, %r0, +3", I(0x5e, 1, 0, 3, 0));
	EXPECT_ASM("jeq %r1, 5, -1", I(0x15, 1, 0, -1, 5));
	EXPECT_ASM("ja +2", I(0x05, 0, 0, 2, 0));
	EXPECT_ASM("ja32 -2", I(0x06, 0, 0, 0, -2));
	EXPECT_ASM("call 5", I(0x85, 0, 0, 0, 5));
	EXPECT_ASM("call local +3", I(0x85, 0, 1, 0, 3));
	EXPECT_ASM("call %r2", I(0x8d, 2, 0, 0, 0));
	EXPECT_ASM("callx %r2", I(0x8d, 2, 0, 0, 0));
	EXPECT_ASM("exit", I(0x95, 0, 0, 0, 0));
	EXPECT_ASM("lock add [%r1+0], %r2", I(0xdb, 1, 2, 0, 0x00));
	EXPECT_ASM("lock fetch add32 [%r10-8], %r1", I(0xc3, 10, 1, -8, 0x01));
	EXPECT_ASM("lock xchg [%r10-8], %r1", I(0xdb, 10, 1, -8, 0xe1));
	EXPECT_ASM("lock cmpxchg32 [%r10-8], %r1", I(0xc3, 10, 1, -8, 0xf1));
	EXPECT_ASM("lock fetch xor [%r10-8], %r3", I(0xdb, 10, 3, -8, 0xa1));
	EXPECT_ASM("be16 %r0", I(0xdc, 0, 0, 0, 16));
	EXPECT_ASM("le64 %r0", I(0xd4, 0, 0, 0, 64));
	EXPECT_ASM("swap16 %r0", I(0xd7, 0, 0, 0, 16));
	EXPECT_ASM("bswap64 %r3", I(0xd7, 3, 0, 0, 64));
	EXPECT_ASM("movsx832 %r0, %r1", I(0xbc, 0, 1, 8, 0));
	EXPECT_ASM("movsx3264 %r0, %r1", I(0xbf, 0, 1, 32, 0));
	EXPECT_ASM("sdiv %r0, %r1", I(0x3f, 0, 1, 1, 0));
	EXPECT_ASM("smod32 %r0, -3", I(0x94, 0, 0, 1, -3));
	EXPECT_ASM("ldxsh %r0, [%r1+2]", I(0x89, 0, 1, 2, 0));
	EXPECT_ASM("neg %r0", I(0x87, 0, 0, 0, 0));
	EXPECT_ASM("neg32 %r2", I(0x84, 2, 0, 0, 0));
	EXPECT_ASM("ldabsb 12", I(0x30, 0, 0, 0, 12));
	EXPECT_ASM("ldindw %r1, 4", I(0x40, 0, 1, 0, 4));
	EXPECT_ASM("ldacqw %r0, [%r1+0]", I(0xc3, 0, 1, 0, 0x100));
	EXPECT_ASM("strelb [%r1+2], %r2", I(0xd3, 1, 2, 2, 0x110));
	EXPECT_ASM("may_goto +3", I(0xe5, 0, 0, 3, 0));
	EXPECT_ASM("call kfunc 7", I(0x85, 0, 2, 0, 7));
	EXPECT_ASM("call kfunc 7, 2", I(0x85, 0, 2, 2, 7));
}

TEST(asm_lddw_pseudo_forms)
{
	EXPECT_ASM("lddw %r1, map_fd 3", I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0));
	EXPECT_ASM("lddw %r1, map_value 3, 8", I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 8));
	EXPECT_ASM("lddw %r1, map_value 3", I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 0));
	EXPECT_ASM("lddw %r1, btf_id 7", I(0x18, 1, 3, 0, 7), I(0, 0, 0, 0, 0));
	EXPECT_ASM("lddw %r1, func -1", I(0x18, 1, 4, 0, -1), I(0, 0, 0, 0, 0));
	EXPECT_ASM("lddw %r1, map_idx 0", I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0));
	EXPECT_ASM("lddw %r1, map_idx_value 2, -4", I(0x18, 1, 6, 0, 2), I(0, 0, 0, 0, -4));
	EXPECT_ASM("r1 = map_fd[3]", I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0));
	EXPECT_ASM("r1 = map_value[3]+8", I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 8));
	EXPECT_ASM("r1 = map_value[3]", I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 0));
	EXPECT_ASM("r1 = btf_id[7]", I(0x18, 1, 3, 0, 7), I(0, 0, 0, 0, 0));
	EXPECT_ASM("r1 = func[pc-1]", I(0x18, 1, 4, 0, -1), I(0, 0, 0, 0, 0));
	EXPECT_ASM("r1 = map_idx[0]", I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0));
	EXPECT_ASM("r1 = map_idx_value[2]-4", I(0x18, 1, 6, 0, 2), I(0, 0, 0, 0, -4));
}

TEST(asm_llvm_spellings)
{
	EXPECT_ASM("r0 = 1", I(0xb7, 0, 0, 0, 1));
	EXPECT_ASM("w1 = -1", I(0xb4, 1, 0, 0, -1));
	EXPECT_ASM("r1 = r2", I(0xbf, 1, 2, 0, 0));
	EXPECT_ASM("w1 += w2", I(0x0c, 1, 2, 0, 0));
	EXPECT_ASM("r1 s>>= 3", I(0xc7, 1, 0, 0, 3));
	EXPECT_ASM("w1 <<= w2", I(0x6c, 1, 2, 0, 0));
	EXPECT_ASM("r1 %= r2", I(0x9f, 1, 2, 0, 0));
	EXPECT_ASM("r1 = -r1", I(0x87, 1, 0, 0, 0));
	EXPECT_ASM("w3 = -w3", I(0x84, 3, 0, 0, 0));
	EXPECT_ASM("r0 = *(u64 *)(r1 + 8)", I(0x79, 0, 1, 8, 0));
	EXPECT_ASM("r0 = *(u32 *)(r1 +8)", I(0x61, 0, 1, 8, 0));
	EXPECT_ASM("w0 = *(u16 *)(r1 - 2)", I(0x69, 0, 1, -2, 0));
	EXPECT_ASM("*(u32 *)(r10 - 4) = r1", I(0x63, 10, 1, -4, 0));
	EXPECT_ASM("*(u32 *)(r10 - 4) = w1", I(0x63, 10, 1, -4, 0));
	EXPECT_ASM("*(u8 *)(r1 + 0) = 5", I(0x72, 1, 0, 0, 5));
	EXPECT_ASM("*(u64 *)(r10 - 8) = -1", I(0x7a, 10, 0, -8, -1));
	EXPECT_ASM("if r1 > 3 goto +5", I(0x25, 1, 0, 5, 3));
	EXPECT_ASM("if w1 s< w2 goto -2", I(0xce, 1, 2, -2, 0));
	EXPECT_ASM("if r1 & 0x10 goto pc+3", I(0x45, 1, 0, 3, 0x10));
	EXPECT_ASM("goto +1", I(0x05, 0, 0, 1, 0));
	EXPECT_ASM("goto pc-1", I(0x05, 0, 0, -1, 0));
	EXPECT_ASM("gotol +70000", I(0x06, 0, 0, 0, 70000));
	EXPECT_ASM("r1 = 0 ll", I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 0));
	EXPECT_ASM("r1 = -1 ll", I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, -1));
	EXPECT_ASM("call 1", I(0x85, 0, 0, 0, 1));
	EXPECT_ASM("call -1", I(0x85, 0, 0, 0, -1));
	EXPECT_ASM("call pc+2", I(0x85, 0, 1, 0, 2));
	EXPECT_ASM("callx r2", I(0x8d, 2, 0, 0, 0));
	EXPECT_ASM("exit", I(0x95, 0, 0, 0, 0));
	EXPECT_ASM("r0 = be16 r0", I(0xdc, 0, 0, 0, 16));
	EXPECT_ASM("r0 = le32 r0", I(0xd4, 0, 0, 0, 32));
	EXPECT_ASM("r0 = bswap64 r0", I(0xd7, 0, 0, 0, 64));
	EXPECT_ASM("lock *(u64 *)(r1 + 0) += r2", I(0xdb, 1, 2, 0, 0x00));
	EXPECT_ASM("lock *(u32 *)(r1 + 4) += r2", I(0xc3, 1, 2, 4, 0x00));
	EXPECT_ASM("lock *(u32 *)(r1 + 4) |= w2", I(0xc3, 1, 2, 4, 0x40));
	EXPECT_ASM("lock *(u64 *)(r1 - 4) ^= r2", I(0xdb, 1, 2, -4, 0xa0));
	EXPECT_ASM("r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)", I(0xdb, 1, 2, 0, 0x01));
	EXPECT_ASM("w2 = atomic_fetch_or((u32 *)(r1 + 4), w2)", I(0xc3, 1, 2, 4, 0x41));
	EXPECT_ASM("r2 = xchg_64(r1 + 0, r2)", I(0xdb, 1, 2, 0, 0xe1));
	EXPECT_ASM("w2 = xchg32_32(r1 + 4, w2)", I(0xc3, 1, 2, 4, 0xe1));
	EXPECT_ASM("r0 = cmpxchg_64(r1 - 4, r0, r2)", I(0xdb, 1, 2, -4, 0xf1));
	EXPECT_ASM("w0 = cmpxchg32_32(r1 + 0, w0, w2)", I(0xc3, 1, 2, 0, 0xf1));
	EXPECT_ASM("r0 = *(u8 *)skb[12]", I(0x30, 0, 0, 0, 12));
	EXPECT_ASM("r0 = *(u32 *)skb[-1]", I(0x20, 0, 0, 0, -1));
	EXPECT_ASM("r0 = *(u16 *)skb[r1]", I(0x48, 0, 1, 0, 0));
	EXPECT_ASM("r0 = *(u16 *)skb[r1 + 4]", I(0x48, 0, 1, 0, 4));
	EXPECT_ASM("r0 = *(u8 *)skb[r3 - 4]", I(0x50, 0, 3, 0, -4));
}

TEST(asm_llvm_spellings_newer_than_llvm14)
{
	EXPECT_ASM("r0 s/= r1", I(0x3f, 0, 1, 1, 0));
	EXPECT_ASM("w0 s%= w1", I(0x9c, 0, 1, 1, 0));
	EXPECT_ASM("w0 s/= 7", I(0x34, 0, 0, 1, 7));
	EXPECT_ASM("r0 = (s8)r1", I(0xbf, 0, 1, 8, 0));
	EXPECT_ASM("r0 = (s32)r1", I(0xbf, 0, 1, 32, 0));
	EXPECT_ASM("w0 = (s16)w1", I(0xbc, 0, 1, 16, 0));
	EXPECT_ASM("r0 = *(s8 *)(r1 + 0)", I(0x91, 0, 1, 0, 0));
	EXPECT_ASM("r0 = *(s32 *)(r1 - 4)", I(0x81, 0, 1, -4, 0));
	EXPECT_ASM("r0 = bswap16 r0", I(0xd7, 0, 0, 0, 16));
	EXPECT_ASM("gotol +7", I(0x06, 0, 0, 0, 7));
	EXPECT_ASM("may_goto +3", I(0xe5, 0, 0, 3, 0));
	EXPECT_ASM("r0 = load_acquire((u64 *)(r1 + 0))", I(0xdb, 0, 1, 0, 0x100));
	EXPECT_ASM("w0 = load_acquire((u8 *)(r1 + 2))", I(0xd3, 0, 1, 2, 0x100));
	EXPECT_ASM("store_release((u32 *)(r1 + 0), w2)", I(0xc3, 1, 2, 0, 0x110));
	EXPECT_ASM("store_release((u64 *)(r1 + 8), r2)", I(0xdb, 1, 2, 8, 0x110));
	EXPECT_ASM("call kfunc 9, -1", I(0x85, 0, 2, -1, 9));
}

TEST(asm_mixes_syntaxes_comments_and_blank_lines)
{
	const char *text = "# a comment\n"
			   "\n"
			   "mov %r0, 1 # trailing comment\r\n"
			   "r0 += 2 ; LLVM-style comment\n"
			   "   \t\n"
			   "exit";
	const struct ubf_raw_insn want[] = {I(0xb7, 0, 0, 0, 1), I(0x07, 0, 0, 0, 2),
					    I(0x95, 0, 0, 0, 0)};
	struct ubf_diag diag = {0};
	size_t cnt = 0;
	struct ubf_raw_insn *got;

	got = assemble(text, &cnt, &diag);
	ASSERT_TRUE(got);
	EXPECT_EQ_INT(cnt, 3);
	EXPECT_TRUE(same_insns(got, want, 3));
	free(got);
}

TEST(asm_text_need_not_be_nul_terminated)
{
	const char text[] = {'e', 'x', 'i', 't', '\n', 'e', 'x', 'i', 't', 'X'};
	struct ubf_raw_insn *insns = NULL;
	size_t cnt = 0;

	ASSERT_OK(ubf_asm_parse(text, 9, &insns, &cnt, NULL));
	EXPECT_EQ_INT(cnt, 2);
	free(insns);
}

TEST(asm_empty_text_is_an_empty_program)
{
	struct ubf_raw_insn *insns = NULL;
	size_t cnt = 99;

	ASSERT_OK(ubf_asm_parse("# nothing\n\n", 11, &insns, &cnt, NULL));
	EXPECT_EQ_INT(cnt, 0);
	EXPECT_TRUE(insns != NULL);
	free(insns);
}

TEST(asm_labels_forward_backward_and_call_local)
{
	const char *text = "start:\n"		       /* 0 */
			   "  jeq %r1, 0, done\n"      /* 0: +3 */
			   "  call local sub\n"	       /* 1: +3 */
			   "  if r1 != 0 goto start\n" /* 2: -3 */
			   "  ja32 done\n"	       /* 3: +0 */
			   "done: exit\n"	       /* 4 */
			   "sub:\n"
			   "  lddw %r2, func sub\n" /* 5: -1 */
			   "  r3 = func[start]\n"   /* 7: -8 */
			   "  call sub\n"	    /* 9: -5 */
			   "  gotol start\n"	    /* 10: -11 */
			   "  exit\n";
	const struct ubf_raw_insn want[] = {
		I(0x15, 1, 0, 3, 0),  I(0x85, 0, 1, 0, 3),   I(0x55, 1, 0, -3, 0),
		I(0x06, 0, 0, 0, 0),  I(0x95, 0, 0, 0, 0),   I(0x18, 2, 4, 0, -1),
		I(0, 0, 0, 0, 0),     I(0x18, 3, 4, 0, -8),  I(0, 0, 0, 0, 0),
		I(0x85, 0, 1, 0, -5), I(0x06, 0, 0, 0, -11), I(0x95, 0, 0, 0, 0),
	};
	struct ubf_diag diag = {0};
	size_t cnt = 0, i;
	struct ubf_raw_insn *got;

	got = assemble(text, &cnt, &diag);
	ASSERT_TRUE(got);
	ASSERT_TRUE(cnt == sizeof(want) / sizeof(want[0]));
	for (i = 0; i < cnt; i++) {
		if (memcmp(&got[i], &want[i], sizeof(want[i])))
			ubf_test_fail(__FILE__, __LINE__, "slot %zu: off %d imm %d", i, got[i].off,
				      got[i].imm);
	}
	EXPECT_OK(ubf_isa_check(got, cnt, NULL));
	free(got);
}

TEST(asm_exit_names_the_first_exit_unless_defined)
{
	EXPECT_ASM("jeq %r1, 0, exit\nmov %r0, 1\nexit\nexit", I(0x15, 1, 0, 1, 0),
		   I(0xb7, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0));
	EXPECT_ASM("ja exit\nexit\nexit: exit", I(0x05, 0, 0, 1, 0), I(0x95, 0, 0, 0, 0),
		   I(0x95, 0, 0, 0, 0));
}

TEST(asm_numbers_at_their_limits)
{
	EXPECT_ASM("mov %r0, 2147483647", I(0xb7, 0, 0, 0, INT32_MAX));
	EXPECT_ASM("mov %r0, -2147483648", I(0xb7, 0, 0, 0, INT32_MIN));
	EXPECT_ASM("mov32 %r0, 0xffffffff", I(0xb4, 0, 0, 0, -1));
	EXPECT_ASM("mov32 %r0, 0x80000000", I(0xb4, 0, 0, 0, INT32_MIN));
	EXPECT_ASM("mov %r0, -0x80000000", I(0xb7, 0, 0, 0, INT32_MIN));
	EXPECT_ASM("ldxb %r0, [%r1+32767]", I(0x71, 0, 1, 32767, 0));
	EXPECT_ASM("ldxb %r0, [%r1-32768]", I(0x71, 0, 1, -32768, 0));
	EXPECT_ASM("ldxb %r0, [%r1-0x8000]", I(0x71, 0, 1, -32768, 0));
	EXPECT_ASM("ja -32768", I(0x05, 0, 0, -32768, 0));
	EXPECT_ASM("ja32 +2147483647", I(0x06, 0, 0, 0, INT32_MAX));
	EXPECT_ASM("lddw %r0, 0xffffffffffffffff", I(0x18, 0, 0, 0, -1), I(0, 0, 0, 0, -1));
	EXPECT_ASM("lddw %r0, 18446744073709551615", I(0x18, 0, 0, 0, -1), I(0, 0, 0, 0, -1));
	EXPECT_ASM("lddw %r0, -9223372036854775808", I(0x18, 0, 0, 0, 0), I(0, 0, 0, 0, INT32_MIN));
	EXPECT_ASM_ERR("mov32 %r0, 2147483648", "asm.imm_range", 1, 12);
	EXPECT_ASM_ERR("mov %r0, -2147483649", "asm.imm_range", 1, 10);
	EXPECT_ASM_ERR("mov32 %r0, 0x100000000", "asm.imm_range", 1, 12);
	EXPECT_ASM_ERR("w0 = 4294967295", "asm.imm_range", 1, 6);
	EXPECT_ASM_ERR("ldxb %r0, [%r1+32768]", "asm.off_range", 1, 15);
	EXPECT_ASM_ERR("ldxb %r0, [%r1+0x10000]", "asm.off_range", 1, 15);
	EXPECT_ASM_ERR("r0 = *(u8 *)(r1 - 32769)", "asm.off_range", 1, 17);
	EXPECT_ASM_ERR("ja +32768", "asm.off_range", 1, 4);
	EXPECT_ASM_ERR("ja32 +2147483648", "asm.imm_range", 1, 6);
	EXPECT_ASM_ERR("lddw %r0, 18446744073709551616", "asm.imm_range", 1, 11);
	EXPECT_ASM_ERR("lddw %r0, -9223372036854775809", "asm.imm_range", 1, 11);
	EXPECT_ASM_ERR("call kfunc 1, 40000", "asm.off_range", 1, 15);
}

TEST(asm_error_ids_lines_and_columns)
{
	EXPECT_ASM_ERR("exit\nldxq %r0, %r1\n", "asm.unknown_mnemonic", 2, 1);
	EXPECT_ASM_ERR("lock\n", "asm.unknown_mnemonic", 1, 1);
	EXPECT_ASM_ERR("mov %r0, 1\n  ldxb %r0, %r1\n", "asm.bad_operand", 2, 13);
	EXPECT_ASM_ERR("lddw %r0\n", "asm.operand_count", 1, 1);
	EXPECT_ASM_ERR("lock or [%r10-8]\n", "asm.operand_count", 1, 1);
	EXPECT_ASM_ERR("add %r1, %r2, %r3, %r4, %r5\n", "asm.operand_count", 1, 25);
	EXPECT_ASM_ERR("or %r0, %r50\n", "asm.bad_register", 1, 10);
	EXPECT_ASM_ERR("r11 = 1\n", "asm.bad_register", 1, 1);
	EXPECT_ASM_ERR("w1 = *(u32 *)(r12 + 0)\n", "asm.bad_register", 1, 15);
	EXPECT_ASM_ERR("ja NOT_A_LABEL\nexit\n", "asm.undefined_label", 1, 4);
	EXPECT_ASM_ERR("exit\nif r1 == 2 goto nowhere\n", "asm.undefined_label", 2, 17);
	EXPECT_ASM_ERR("a: exit\nb: exit\na: exit\n", "asm.duplicate_label", 3, 1);
	EXPECT_ASM_ERR("mov %r0, 1 2\n", "asm.syntax", 1, 12);
	EXPECT_ASM_ERR("r0 = 1 + 2\n", "asm.syntax", 1, 8);
	EXPECT_ASM_ERR("mov %r0, $1\n", "asm.syntax", 1, 10);
	EXPECT_ASM_ERR("mov %r0, 12ab\n", "asm.bad_number", 1, 10);
	EXPECT_ASM_ERR("mov %r0, 0x\n", "asm.bad_number", 1, 10);
	EXPECT_ASM_ERR("w1 += r2\n", "asm.bad_operand", 1, 7);
	EXPECT_ASM_ERR("r1 = -r2\n", "asm.bad_operand", 1, 7);
	EXPECT_ASM_ERR("r1 = le16 r2\n", "asm.bad_operand", 1, 6);
	EXPECT_ASM_ERR("w1 = *(u64 *)(r2 + 0)\n", "asm.bad_operand", 1, 1);
	EXPECT_ASM_ERR("*(s32 *)(r2 + 0) = r1\n", "asm.bad_operand", 1, 3);
	EXPECT_ASM_ERR("if r1 += r2 goto +1\n", "asm.bad_operand", 1, 7);
	EXPECT_ASM_ERR("lock *(u16 *)(r1 + 0) += r2\n", "asm.bad_operand", 1, 23);
	EXPECT_ASM_ERR("r2 = atomic_fetch_add((u64 *)(r1 + 0), r3)\n", "asm.bad_operand", 1, 40);
	EXPECT_ASM_ERR("r1 = cmpxchg_64(r1 + 0, r0, r2)\n", "asm.bad_operand", 1, 29);
	EXPECT_ASM_ERR("r1 = *(u8 *)skb[0]\n", "asm.bad_operand", 1, 1);
	EXPECT_ASM_ERR("w1 = (s32)w2\n", "asm.bad_operand", 1, 7);
	EXPECT_ASM_ERR("r1 = 0x100000000\n", "asm.imm_range", 1, 6);
	EXPECT_ASM_ERR("lddw %r1, map_fdx 3\n", "asm.bad_operand", 1, 11);
	EXPECT_ASM_ERR("r1 = frob[3]\n", "asm.bad_operand", 1, 6);
	EXPECT_ASM_ERR("goto\n", "asm.bad_operand", 1, 5);
}

TEST(asm_error_message_names_the_file)
{
	struct ubf_raw_insn *insns = NULL;
	struct ubf_diag diag = {0};
	size_t cnt = 0;
	UBF_OPTS(ubf_asm_opts, opts, .file_name = "prog.s", .diag = &diag);

	EXPECT_ERR(-EINVAL, ubf_asm_parse("exit\n  bogus %r1\n", 17, &insns, &cnt, &opts));
	EXPECT_STREQ(diag.id, "asm.unknown_mnemonic");
	EXPECT_TRUE(!strncmp(diag.msg, "prog.s:2:3: ", 12));
	EXPECT_EQ_INT(diag.insn_idx, 1);
	/* Without a file name the message says "<input>". */
	opts.file_name = NULL;
	EXPECT_ERR(-EINVAL, ubf_asm_parse("bogus", 5, &insns, &cnt, &opts));
	EXPECT_TRUE(!strncmp(diag.msg, "<input>:1:1: ", 13));
}

TEST(asm_rejects_bad_arguments)
{
	struct ubf_raw_insn *insns = NULL;
	struct ubf_diag diag = {0};
	size_t cnt = 0;
	UBF_OPTS(ubf_asm_opts, opts, .diag = &diag);
	struct {
		struct ubf_asm_opts o;
		uint64_t future;
	} newer = {{sizeof(newer), NULL, NULL}, 1};

	EXPECT_ERR(-EINVAL, ubf_asm_parse(NULL, 4, &insns, &cnt, &opts));
	EXPECT_STREQ(diag.id, "asm.bad_argument");
	EXPECT_ERR(-EINVAL, ubf_asm_parse("exit", 4, NULL, &cnt, &opts));
	/* A newer caller asking for something this build does not know. */
	EXPECT_ERR(-EINVAL, ubf_asm_parse("exit", 4, &insns, &cnt, &newer.o));
}

/* Text of @n lines, each "@line\n". */
static char *repeat_line(const char *line, size_t n, size_t *len)
{
	size_t l = strlen(line), i;
	char *text;

	text = malloc(n * (l + 1) + 1);
	if (!text)
		return NULL;
	for (i = 0; i < n; i++) {
		memcpy(text + i * (l + 1), line, l);
		text[i * (l + 1) + l] = '\n';
	}
	*len = n * (l + 1);
	text[*len] = '\0';
	return text;
}

TEST(asm_label_out_of_jump_range)
{
	struct ubf_diag diag = {0};
	size_t len = 0, cnt = 0;
	char *body, *text;

	body = repeat_line("exit", 40000, &len);
	ASSERT_TRUE(body);
	text = malloc(len + 64);
	ASSERT_TRUE(text);
	snprintf(text, len + 64, "ja far\n%sfar: exit\n", body);
	EXPECT_TRUE(assemble(text, &cnt, &diag) == NULL);
	EXPECT_STREQ(diag.id, "asm.off_range");
	EXPECT_EQ_INT(diag.line, 1);
	/* ja32 reaches it. */
	snprintf(text, len + 64, "ja32 far\n%sfar: exit\n", body);
	free(assemble(text, &cnt, &diag));
	EXPECT_EQ_INT(cnt, 40002);
	free(text);
	free(body);
}

TEST(asm_too_many_instructions)
{
	struct ubf_raw_insn *insns = NULL;
	struct ubf_diag diag = {0};
	size_t len = 0, cnt = 0;
	char *text;
	UBF_OPTS(ubf_asm_opts, opts, .diag = &diag);

	text = repeat_line("r0 = 0 ll", 500001, &len);
	ASSERT_TRUE(text);
	EXPECT_ERR(-E2BIG, ubf_asm_parse(text, len, &insns, &cnt, &opts));
	EXPECT_STREQ(diag.id, "asm.too_many");
	EXPECT_EQ_INT(diag.line, 500001);
	free(text);
}

/* ------------------------------------------------------------ the .data reader */

static int parse_data(const char *text, struct ubf_data_file *df, struct ubf_diag *diag)
{
	UBF_OPTS(ubf_asm_opts, opts, .file_name = "t.data", .diag = diag);

	return ubf_data_parse(text, strlen(text), df, &opts);
}

TEST(data_reads_every_section)
{
	const char *text = "# comment before the sections\n"
			   "-- asm\n"
			   "mov %r0, %r2 # comment\n"
			   "exit\n"
			   "-- mem\n"
			   "00 01 02\n"
			   "ff\n"
			   "-- c\n"
			   "int main(void) { return 0; }\n"
			   "-- no register offset\n"
			   "call instruction\n"
			   "-- result\n"
			   "0x4\n"
			   "-- error\n"
			   "Invalid # not a comment\n";
	struct ubf_data_file df = {0};
	struct ubf_diag diag = {0};

	ASSERT_OK(parse_data(text, &df, &diag));
	EXPECT_EQ_INT(df.insn_cnt, 2);
	EXPECT_EQ_INT(df.insns[0].code, 0xbf);
	EXPECT_EQ_INT(df.mem_sz, 4);
	EXPECT_EQ_INT(df.mem[3], 0xff);
	EXPECT_TRUE(df.has_result);
	EXPECT_EQ_U64(df.result, 4);
	EXPECT_STREQ(df.error, "Invalid # not a comment");
	ubf_data_free(&df);
	EXPECT_TRUE(df.insns == NULL && df.mem == NULL && df.error == NULL);
}

TEST(data_raw_words_bytes_and_precedence)
{
	const char *text = "-- asm\n"
			   "exit\n"
			   "-- raw\n"
			   "0x5566778800000018\n"
			   "0x1122334400000000 0x0000000000000095\n"
			   "07 01 02 00 05 00 00 00\n"
			   "-- result\n"
			   "123\n"
			   "-- error\n";
	struct ubf_data_file df = {0};
	struct ubf_diag diag = {0};

	ASSERT_OK(parse_data(text, &df, &diag));
	ASSERT_TRUE(df.insn_cnt == 4);
	EXPECT_EQ_INT(df.insns[0].code, 0x18);
	EXPECT_EQ_INT(df.insns[0].imm, 0x55667788);
	EXPECT_EQ_INT(df.insns[1].imm, 0x11223344);
	EXPECT_EQ_INT(df.insns[2].code, 0x95);
	EXPECT_EQ_INT(df.insns[3].code, 0x07);
	EXPECT_EQ_INT(df.insns[3].regs, 0x01);
	EXPECT_EQ_INT(df.insns[3].off, 2);
	EXPECT_EQ_INT(df.insns[3].imm, 5);
	EXPECT_EQ_U64(df.result, 123);
	EXPECT_STREQ(df.error, "");
	EXPECT_TRUE(df.mem == NULL && df.mem_sz == 0);
	ubf_data_free(&df);
}

TEST(data_without_program_or_result)
{
	struct ubf_data_file df = {0};
	struct ubf_diag diag = {0};

	ASSERT_OK(parse_data("# only a comment\n", &df, &diag));
	EXPECT_EQ_INT(df.insn_cnt, 0);
	EXPECT_TRUE(!df.has_result && !df.error && !df.mem);
	ubf_data_free(&df);
	ubf_data_free(NULL);
}

/* @text must be rejected by the .data reader with @id at @line:@col. */
static void check_data_err(const char *file, int line, const char *text, const char *id,
			   unsigned want_line, unsigned want_col)
{
	struct ubf_data_file df = {0};
	struct ubf_diag diag = {0};
	char prefix[64];

	if (!parse_data(text, &df, &diag)) {
		ubf_test_fail(file, line, "accepted: %s", text);
		ubf_data_free(&df);
		return;
	}
	snprintf(prefix, sizeof(prefix), "t.data:%u:%u: ", want_line, want_col);
	if (!diag.id || strcmp(diag.id, id) || diag.line != want_line || diag.col != want_col ||
	    strncmp(diag.msg, prefix, strlen(prefix)))
		ubf_test_fail(file, line, "got %s at %u:%u (%s), want %s at %u:%u",
			      diag.id ? diag.id : "(none)", diag.line, diag.col, diag.msg, id,
			      want_line, want_col);
	if (df.insns || df.mem || df.error)
		ubf_test_fail(file, line, "the result was written despite the error");
}

#define EXPECT_DATA_ERR(text, id, line, col) check_data_err(__FILE__, __LINE__, text, id, line, col)

TEST(data_error_ids_lines_and_columns)
{
	EXPECT_DATA_ERR("-- asm\nexit\n-- Unknown directive\n", "data.unknown_section", 3, 4);
	EXPECT_DATA_ERR("-- asm\nexit\n-- asm\nexit\n", "data.duplicate_section", 3, 4);
	EXPECT_DATA_ERR("mov %r0, 1\n-- asm\nexit\n", "data.text_outside_section", 1, 1);
	EXPECT_DATA_ERR("-- mem\n00 1g\n", "data.bad_hex", 2, 4);
	EXPECT_DATA_ERR("-- mem\n00 123\n", "data.bad_hex", 2, 4);
	EXPECT_DATA_ERR("-- raw\n0x95 zz\n", "data.bad_raw", 2, 6);
	EXPECT_DATA_ERR("-- raw\n0x10000000000000000\n", "data.bad_raw", 2, 1);
	EXPECT_DATA_ERR("-- result\n  0x1z\n", "data.bad_result", 2, 3);
	EXPECT_DATA_ERR("-- result\n-- asm\nexit\n", "data.bad_result", 1, 1);
	/* Assembler errors carry the .data file's own line numbers. */
	EXPECT_DATA_ERR("# header\n-- asm\nexit\n  bogus\n", "asm.unknown_mnemonic", 4, 3);
}

TEST(data_rejects_bad_arguments)
{
	struct ubf_data_file df = {0};
	struct ubf_diag diag = {0};
	UBF_OPTS(ubf_asm_opts, opts, .diag = &diag);

	EXPECT_ERR(-EINVAL, ubf_data_parse(NULL, 3, &df, &opts));
	EXPECT_STREQ(diag.id, "data.bad_argument");
	EXPECT_ERR(-EINVAL, ubf_data_parse("-- asm\n", 7, NULL, &opts));
	opts.sz = sizeof(size_t) - 1;
	EXPECT_ERR(-EINVAL, ubf_data_parse("-- asm\n", 7, &df, &opts));
	EXPECT_TRUE(df.insns == NULL);
}

TEST(data_result_forms)
{
	struct ubf_data_file df = {0};
	struct ubf_diag diag = {0};

	ASSERT_OK(parse_data("-- result\n0xffffffffffffffff\n", &df, &diag));
	EXPECT_EQ_U64(df.result, UINT64_MAX);
	ubf_data_free(&df);
	ASSERT_OK(parse_data("-- result\n18446744073709551615\n", &df, &diag));
	EXPECT_EQ_U64(df.result, UINT64_MAX);
	ubf_data_free(&df);
	ASSERT_OK(parse_data("-- result\n-1\n", &df, &diag));
	EXPECT_EQ_U64(df.result, UINT64_MAX);
	ubf_data_free(&df);
	/* The last line counts, as in the upstream runner. */
	ASSERT_OK(parse_data("-- result\n1\n2\n", &df, &diag));
	EXPECT_EQ_U64(df.result, 2);
	ubf_data_free(&df);
}

/* ------------------------------------------------------------ the conformance suite */

static const char *conformance_dir(void)
{
	const char *dir = getenv("CONFORMANCE_DIR");

	return dir && *dir ? dir : "../shared/conformance";
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long sz;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)sz + 1);
		if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[sz] = '\0';
			*len = (size_t)sz;
		}
	}
	fclose(f);
	return buf;
}

static void hex_of(const void *p, size_t n, char *out)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

/* One row of vectors.tsv against our reading of the same file. */
static void check_vector(const char *dir, char *row, int *checked)
{
	char *field[7], path[512], *text, *hex, *save = NULL;
	const char *name, *mem, *prog, *r0;
	struct ubf_data_file df = {0};
	struct ubf_diag diag = {0};
	size_t len = 0, n = 0;
	UBF_OPTS(ubf_asm_opts, opts, .diag = &diag);

	/* name, min_cpu, groups, mem_hex, program_hex, expected_r0, expected_error */
	for (text = strtok_r(row, "\t", &save); text && n < 7; text = strtok_r(NULL, "\t", &save))
		field[n++] = text;
	if (n < 6)
		return;
	name = field[0];
	mem = field[3];
	prog = field[4];
	r0 = field[5];
	opts.file_name = name;
	snprintf(path, sizeof(path), "%s/tests/%s", dir, name);
	text = read_file(path, &len);
	if (!text) {
		ubf_test_fail(__FILE__, __LINE__, "%s: cannot read", path);
		return;
	}
	if (ubf_data_parse(text, len, &df, &opts)) {
		ubf_test_fail(__FILE__, __LINE__, "%s", diag.msg);
		free(text);
		return;
	}
	hex = malloc(df.insn_cnt * 16 + df.mem_sz * 2 + 2);
	if (hex) {
		hex_of(df.insns, df.insn_cnt * 8, hex);
		if (strcmp(hex, prog))
			ubf_test_fail(__FILE__, __LINE__, "%s: program %s, upstream %s", name, hex,
				      prog);
		hex_of(df.mem, df.mem_sz, hex);
		if (strcmp(df.mem_sz ? hex : "-", mem))
			ubf_test_fail(__FILE__, __LINE__, "%s: mem differs", name);
		if (!df.has_result || df.result != strtoull(r0, NULL, 16))
			ubf_test_fail(__FILE__, __LINE__, "%s: result differs", name);
		(*checked)++;
	}
	free(hex);
	ubf_data_free(&df);
	free(text);
}

TEST(data_every_conformance_file_matches_the_upstream_assembler)
{
	char path[512], *text, *line, *save = NULL;
	size_t len = 0;
	int checked = 0;

	snprintf(path, sizeof(path), "%s/vectors.tsv", conformance_dir());
	text = read_file(path, &len);
	if (!text)
		SKIP("no conformance suite (set CONFORMANCE_DIR)");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '#' && strncmp(line, "name\t", 5))
			check_vector(conformance_dir(), line, &checked);
	}
	EXPECT_EQ_INT(checked, 313);
	free(text);
}

/*
 * The negative directory: every file must be rejected by the reader, the
 * assembler or the decoder, except the two whose programs are valid and
 * which test a runner's comparison of results (error.data expects an
 * error that a valid program never raises; incorrect_return_value_high_bits
 * expects a wrong r0).
 */
static int negative_is_valid_program(const char *name)
{
	return !strcmp(name, "error.data") ||
	       !strcmp(name, "incorrect_return_value_high_bits.data");
}

TEST(data_every_negative_conformance_file_is_rejected)
{
	char dir[512], path[1024], *text;
	struct dirent *e;
	int files = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/tests/negative", conformance_dir());
	d = opendir(dir);
	if (!d)
		SKIP("no conformance suite (set CONFORMANCE_DIR)");
	while ((e = readdir(d)) != NULL) {
		struct ubf_data_file df = {0};
		struct ubf_diag diag = {0};
		size_t len = 0, n = strlen(e->d_name);
		int rejected;
		UBF_OPTS(ubf_asm_opts, opts, .file_name = e->d_name, .diag = &diag);

		if (n < 5 || strcmp(e->d_name + n - 5, ".data"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_file(path, &len);
		if (!text)
			continue;
		files++;
		rejected = ubf_data_parse(text, len, &df, &opts) != 0 ||
			   ubf_isa_check(df.insns, df.insn_cnt, &diag) != 0;
		if (rejected == negative_is_valid_program(e->d_name))
			ubf_test_fail(__FILE__, __LINE__, "%s: %s", e->d_name,
				      rejected ? diag.msg : "accepted");
		if (rejected && !diag.id)
			ubf_test_fail(__FILE__, __LINE__, "%s: rejected without a diagnostic",
				      e->d_name);
		ubf_data_free(&df);
		free(text);
	}
	closedir(d);
	EXPECT_EQ_INT(files, 60);
}
