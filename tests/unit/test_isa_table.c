// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_isa_table.c - tests derived from the instruction table: rows are
 * sorted and unique, and for every opcode byte and interesting field
 * values the decoder accepts exactly what the table allows, with the
 * expected diagnostic id otherwise.  The reference predicate below is
 * written from RFC 9669's field rules, independently of decode.c.
 */
#include "test.h"

#include <errno.h>

#include <userbpf/isa.h>

#include "isa/isa.h"

TEST(isa_rows_sorted_and_unique)
{
	size_t i;

	for (i = 1; i < UBF_INSN_COUNT; i++) {
		const struct ubf_insn_desc *a = &ubf_isa_desc[i - 1], *b = &ubf_isa_desc[i];

		if (a->code == b->code) {
			EXPECT_TRUE(a->key.field == b->key.field && a->key.field != UBF_KEY_NONE);
			EXPECT_TRUE(a->key.val < b->key.val);
		} else {
			EXPECT_TRUE(a->code < b->code);
		}
	}
}

TEST(isa_every_row_encodes_to_itself)
{
	size_t i;

	for (i = 0; i < UBF_INSN_COUNT; i++) {
		struct ubf_raw_insn in = ubf_isa_encode((enum ubf_insn_id)i);

		EXPECT_EQ_INT(ubf_isa_lookup(&in), (int)i);
	}
}

TEST(isa_rows_cover_rfc9669_counts)
{
	size_t i, n_alu = 0, n_jmp = 0, n_atomic = 0, n_lddw = 0;

	for (i = 0; i < UBF_INSN_COUNT; i++) {
		unsigned kind = ubf_isa_desc[i].kind;

		n_alu += kind == UBF_KIND_ALU;
		n_jmp += kind == UBF_KIND_JMP;
		n_atomic += kind == UBF_KIND_ATOMIC;
		n_lddw += kind == UBF_KIND_LDDW;
	}
	/* 12 binary ops x 2 widths x 2 sources, + sdiv/smod (8), movsx (5), neg (2), swaps (9). */
	EXPECT_EQ_INT(n_alu, 72);
	/* 11 conditions x JMP/JMP32 x imm/reg. */
	EXPECT_EQ_INT(n_jmp, 44);
	/* 10 read-modify-write forms x 2 widths, + acquire/release x 4 sizes. */
	EXPECT_EQ_INT(n_atomic, 28);
	/* src 0..6 */
	EXPECT_EQ_INT(n_lddw, 7);
}

/*
 * Reference: is (code, dst, src, off, imm) a valid instruction (followed,
 * for lddw, by an all-zero second slot)?  Written from RFC 9669's tables
 * and Linux's additions, not from insn.def.
 */
static int ref_valid(uint8_t code, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	unsigned cls = code & 7, op = code & 0xf0, x = code & 8;

	if (dst > 10)
		return 0;
	switch (cls) {
	case 4: /* ALU */
	case 7: /* ALU64 */
		if (op == 0xd0) { /* END */
			if (cls == 7 && x)
				return 0;
			return src == 0 && off == 0 && (imm == 16 || imm == 32 || imm == 64) && dst != 10;
		}
		if (op == 0x80) /* NEG */
			return !x && src == 0 && off == 0 && imm == 0 && dst != 10;
		if (op > 0xc0)
			return 0;
		if (dst == 10)
			return 0;
		if (x && imm != 0)
			return 0;
		if (!x && src != 0)
			return 0;
		if (x && src > 10)
			return 0;
		if (op == 0x30 || op == 0x90) /* DIV, MOD: off selects signed */
			return off == 0 || off == 1;
		if (op == 0xb0) { /* MOV */
			if (!x)
				return off == 0;
			if (cls == 4)
				return off == 0 || off == 8 || off == 16;
			return off == 0 || off == 8 || off == 16 || off == 32;
		}
		return off == 0;
	case 5: /* JMP */
	case 6: /* JMP32 */
		if (op == 0x00) { /* JA */
			if (x || dst || src)
				return 0;
			return cls == 5 ? imm == 0 : off == 0;
		}
		if (op == 0x80) { /* CALL */
			if (cls != 5 || (off != 0 && src != 2))
				return 0;
			if (x)
				return src == 0 && off == 0 && imm == 0;
			return dst == 0 && src <= 2;
		}
		if (op == 0x90) /* EXIT */
			return cls == 5 && !x && !dst && !src && !off && !imm;
		if (op == 0xe0) /* JCOND: may_goto */
			return cls == 5 && !x && !dst && !src && !imm;
		if (op == 0xf0)
			return 0;
		if (x)
			return imm == 0 && src <= 10;
		return src == 0;
	case 0: /* LD: lddw (two slots, the second all zero here), legacy packet loads */
		if (code == 0x18)
			return src <= 6 && dst != 10 && off == 0;
		if (code == 0x20 || code == 0x28 || code == 0x30) /* LD_ABS W, H, B */
			return dst == 0 && src == 0 && off == 0;
		if (code == 0x40 || code == 0x48 || code == 0x50) /* LD_IND W, H, B */
			return dst == 0 && src <= 10 && off == 0;
		return 0;
	case 1: /* LDX: MEM any size, MEMSX byte/half/word */
		if ((code & 0xe0) != 0x60 && !((code & 0xe0) == 0x80 && (code & 0x18) != 0x18))
			return 0;
		return dst != 10 && src <= 10 && imm == 0;
	case 2: /* ST: MEM any size */
		return (code & 0xe0) == 0x60 && src == 0;
	case 3: /* STX: MEM any size, ATOMIC */
		if ((code & 0xe0) == 0x60)
			return src <= 10 && imm == 0;
		if ((code & 0xe0) != 0xc0 || src > 10)
			return 0;
		if (imm == 0x100) /* load-acquire: any size, writes dst */
			return dst != 10;
		if (imm == 0x110) /* store-release: any size */
			return 1;
		if ((code & 0x18) != 0x00 && (code & 0x18) != 0x18) /* read-modify-write: W, DW */
			return 0;
		if (imm == 0x00 || imm == 0x40 || imm == 0x50 || imm == 0xa0 || imm == 0xf1)
			return 1; /* add, or, and, xor, cmpxchg (writes r0) */
		if (imm == 0x01 || imm == 0x41 || imm == 0x51 || imm == 0xa1 || imm == 0xe1)
			return src != 10; /* fetch forms and xchg write src */
		return 0;
	}
	return 0;
}

TEST(isa_decoder_accepts_exactly_what_the_rfc_allows_for_all_256_opcodes)
{
	static const unsigned regs[] = { 0, 1, 10, 11, 15 };
	static const int16_t offs[] = { 0, 1, 8, 16, 32, -1, 0x7fff };
	static const int32_t imms[] = { 0,  1,	  16,	32,    64,    -1,   0x7fffffff, (int32_t)0x80000000,
					0x40, 0x41, 0xe1, 0xf1, 0x100, 0x110, 0x120 };
	struct ubf_raw_insn prog[2] = { { 0 } };
	unsigned code;
	size_t a, b, c, e;

	for (code = 0; code < 256; code++) {
		for (a = 0; a < UBF_ARRAY_SIZE(regs); a++)
			for (b = 0; b < UBF_ARRAY_SIZE(regs); b++)
				for (c = 0; c < UBF_ARRAY_SIZE(offs); c++)
					for (e = 0; e < UBF_ARRAY_SIZE(imms); e++) {
						int want, got;

						want = ref_valid((uint8_t)code, regs[a], regs[b], offs[c],
								 imms[e]);
						prog[0] = (struct ubf_raw_insn){ (uint8_t)code,
							UBF_REGS(regs[a], regs[b]), offs[c], imms[e] };
						got = ubf_isa_decode_one(prog, 2, 0, NULL) >= 0;
						if (got != want) {
							ubf_test_fail(__FILE__, __LINE__,
								      "code 0x%02x dst %u src %u off %d imm %d: decoder %s",
								      code, regs[a], regs[b], offs[c], imms[e],
								      got ? "accepts" : "rejects");
							return;
						}
					}
	}
}

TEST(decode_rejects_nonzero_src_on_imm_alu)
{
	struct ubf_raw_insn in = { .code = 0x07, .regs = 0x10, .imm = 5 };
	struct ubf_diag diag = { 0 };

	EXPECT_ERR(-EINVAL, ubf_isa_decode_one(&in, 1, 0, &diag));
	EXPECT_STREQ(diag.id, "insn.reserved_field");
	EXPECT_EQ_INT(diag.insn_idx, 0);
}

TEST(decode_rejects_write_to_r10)
{
	struct ubf_raw_insn in = UBF_MOV64_IMM(10, 1);
	struct ubf_diag diag = { 0 };

	EXPECT_ERR(-EINVAL, ubf_isa_decode_one(&in, 1, 0, &diag));
	EXPECT_STREQ(diag.id, "insn.write_r10");
}

TEST(check_rejects_jump_out_of_range)
{
	struct ubf_raw_insn p[] = { UBF_JMP_IMM(UBF_JMP_JEQ, 1, 0, 5), UBF_EXIT() };
	struct ubf_diag diag = { 0 };

	EXPECT_ERR(-EINVAL, ubf_isa_check(p, 2, &diag));
	EXPECT_STREQ(diag.id, "insn.jump_out_of_range");
	EXPECT_EQ_INT(diag.insn_idx, 0);
}

TEST(check_rejects_jump_into_lddw)
{
	struct ubf_raw_insn p[] = { UBF_JMP_IMM(UBF_JMP_JEQ, 1, 0, 1), UBF_LDDW(0, 7), UBF_EXIT() };
	struct ubf_diag diag = { 0 };

	EXPECT_ERR(-EINVAL, ubf_isa_check(p, 4, &diag));
	EXPECT_STREQ(diag.id, "insn.jump_into_lddw");
}

TEST(check_rejects_truncated_lddw_and_fall_off)
{
	struct ubf_raw_insn p1[] = { UBF_MOV64_IMM(0, 1), UBF_INSN(0x18, 0, 0, 0, 1) };
	struct ubf_raw_insn p2[] = { UBF_MOV64_IMM(0, 1) };
	struct ubf_diag diag = { 0 };

	EXPECT_ERR(-EINVAL, ubf_isa_check(p1, 2, &diag));
	EXPECT_STREQ(diag.id, "insn.lddw_truncated");
	EXPECT_EQ_INT(diag.insn_idx, 1);
	EXPECT_ERR(-EINVAL, ubf_isa_check(p2, 1, &diag));
	EXPECT_STREQ(diag.id, "insn.falls_off_end");
}

TEST(check_accepts_lddw_and_backward_jump)
{
	struct ubf_raw_insn p[] = { UBF_LDDW(0, 0x1122334455667788ull), UBF_JMP_IMM(UBF_JMP_JEQ, 0, 0, -3),
				    UBF_EXIT() };

	EXPECT_OK(ubf_isa_check(p, 4, NULL));
}
