// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_isa_roundtrip.c - every row of the table survives encode ->
 * disassemble -> assemble -> encode unchanged, in both syntaxes, with
 * registers, offsets and immediates at their limits; and a program made of
 * every row, whose jumps, local calls and function addresses land inside
 * it, passes the decoder and reassembles from its disassembly unchanged.
 */
#include "test.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/isa.h>

#include "isa/isa.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned regs[] = {0, 1, 9, 10};
static const int16_t offs[] = {0, 1, -1, 0x7fff, -0x8000};
static const int32_t imms[] = {0, 1, -1, INT32_MIN, INT32_MAX};
static const uint64_t imm64s[] = {0,
				  1,
				  UINT64_MAX,
				  0x8000000000000000,
				  0x7fffffffffffffff,
				  0x123456789abcdef0,
				  0xffffffff,
				  0x100000000};

static const char *syntax_name(enum ubf_syntax syntax)
{
	return syntax == UBF_SYNTAX_LLVM ? "LLVM" : "conformance";
}

/* Disassemble @in, reassemble the text, compare.  Return: whether it came back the same. */
static bool roundtrip(const struct ubf_raw_insn *in, size_t slots, enum ubf_syntax syntax,
		      const char *row)
{
	struct ubf_raw_insn *again = NULL;
	struct ubf_diag diag = {0};
	size_t cnt = 0;
	char text[160];
	bool same;
	int ret;
	UBF_OPTS(ubf_asm_opts, opts, .diag = &diag);

	ret = ubf_disasm_insn(in, slots, 0, syntax, text, sizeof(text));
	if (ret != (int)slots || !strcmp(text, "<unknown>")) {
		ubf_test_fail(__FILE__, __LINE__, "%s (%s): disassembled to '%s' (%d)", row,
			      syntax_name(syntax), text, ret);
		return false;
	}
	if (ubf_asm_parse(text, strlen(text), &again, &cnt, &opts)) {
		ubf_test_fail(__FILE__, __LINE__, "%s (%s): '%s' does not reassemble: %s", row,
			      syntax_name(syntax), text, diag.msg);
		return false;
	}
	same = cnt == slots && !memcmp(again, in, slots * sizeof(*in));
	if (!same)
		ubf_test_fail(__FILE__, __LINE__,
			      "%s (%s): '%s' reassembled to code 0x%02x regs 0x%02x off %d imm %d",
			      row, syntax_name(syntax), text, again[0].code, again[0].regs,
			      again[0].off, again[0].imm);
	free(again);
	return same;
}

/* The values of the second slot's imm (lddw) and first slot's imm for row @d. */
static size_t imm_variants(const struct ubf_insn_desc *d, size_t k, int32_t *lo, int32_t *hi)
{
	size_t n64 = ARRAY_SIZE(imm64s), n = ARRAY_SIZE(imms);

	*hi = 0;
	if (d->kind == UBF_KIND_LDDW && d->op == UBF_OP_IMM) {
		*lo = (int32_t)(uint32_t)imm64s[k % n64];
		*hi = (int32_t)(uint32_t)(imm64s[k % n64] >> 32);
		return n64;
	}
	if (d->kind == UBF_KIND_LDDW &&
	    (d->op == UBF_OP_MAP_VALUE || d->op == UBF_OP_MAP_IDX_VALUE)) {
		*lo = imms[k % n];
		*hi = imms[k / n % n];
		return n * n;
	}
	if ((ubf_shape_has_imm(d->shape) && d->key.field != UBF_KEY_IMM) ||
	    d->kind == UBF_KIND_LDDW) {
		*lo = imms[k % n];
		return n;
	}
	*lo = 0;
	return 1;
}

/* Every variant of row @id in @syntax.  Return: the number of variants tried. */
static size_t row_variants(size_t id, enum ubf_syntax syntax)
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[id];
	bool has_src = ubf_shape_has_src(d->shape) && d->key.field != UBF_KEY_SRC;
	bool has_off = ubf_shape_has_off(d->shape) && d->key.field != UBF_KEY_OFF;
	size_t nd = ubf_shape_has_dst(d->shape) ? ARRAY_SIZE(regs) : 1;
	size_t ns = has_src ? ARRAY_SIZE(regs) : 1, no = has_off ? ARRAY_SIZE(offs) : 1;
	size_t ni, a, b, c, k, tried = 0;
	int32_t lo, hi;

	ni = imm_variants(d, 0, &lo, &hi);
	for (a = 0; a < nd; a++)
		for (b = 0; b < ns; b++)
			for (c = 0; c < no; c++)
				for (k = 0; k < ni && !ubf_test_failed(); k++) {
					struct ubf_raw_insn in[2] = {
						ubf_isa_encode((enum ubf_insn_id)id), {0}};

					if (nd > 1 || has_src)
						in[0].regs = UBF_REGS(
							nd > 1 ? regs[a] : 0,
							has_src ? regs[b] : ubf_raw_src(&in[0]));
					if (has_off)
						in[0].off = offs[c];
					imm_variants(d, k, &lo, &hi);
					if (ni > 1 || d->kind == UBF_KIND_LDDW) {
						in[0].imm = lo;
						in[1].imm = hi;
					}
					roundtrip(in, ubf_isa_slots(d), syntax, d->name);
					tried++;
				}
	return tried;
}

TEST(roundtrip_every_row_in_both_syntaxes)
{
	size_t id, tried = 0;
	int s;

	ASSERT_TRUE(ubf_isa_row_cnt() == UBF_INSN_COUNT);
	for (s = UBF_SYNTAX_LLVM; s <= UBF_SYNTAX_CONFORMANCE; s++) {
		for (id = 0; id < UBF_INSN_COUNT && !ubf_test_failed(); id++)
			tried += row_variants(id, (enum ubf_syntax)s);
	}
	/* Every row was tried at least once in each syntax, most many times. */
	EXPECT_TRUE(tried > 2 * UBF_INSN_COUNT * 10);
}

/*
 * One instance of every row: dst r1, src r2, memory offsets 4, immediates
 * 1, and every relative target aimed back at instruction 0, so that the
 * program passes ubf_isa_check().  It ends with an exit.
 */
static struct ubf_raw_insn *program_of_every_row(size_t *cnt)
{
	struct ubf_raw_insn *prog;
	size_t id, n = 0;

	prog = calloc(2 * UBF_INSN_COUNT + 1, sizeof(*prog));
	if (!prog)
		return NULL;
	for (id = 0; id < UBF_INSN_COUNT; id++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[id];
		struct ubf_raw_insn *in = &prog[n];
		int64_t target;

		in[0] = ubf_isa_encode((enum ubf_insn_id)id);
		in[0].regs = UBF_REGS(ubf_shape_has_dst(d->shape) ? 1 : 0,
				      ubf_shape_has_src(d->shape) ? 2 : ubf_raw_src(&in[0]));
		if (ubf_shape_has_off(d->shape) && d->key.field != UBF_KEY_OFF)
			in[0].off = 4;
		if (ubf_shape_has_imm(d->shape) && d->key.field != UBF_KEY_IMM)
			in[0].imm = 1;
		if (d->kind == UBF_KIND_LDDW &&
		    (d->op == UBF_OP_MAP_VALUE || d->op == UBF_OP_MAP_IDX_VALUE))
			in[1].imm = 8;
		if (ubf_isa_branch_target(d, &in[0], n, &target)) {
			bool in_off = d->kind == UBF_KIND_JMP || d->kind == UBF_KIND_MAY_GOTO ||
				      (d->kind == UBF_KIND_JA && d->width == 64);

			if (in_off)
				in[0].off = (int16_t) - (int64_t)(n + 1);
			else
				in[0].imm = (int32_t) - (int64_t)(n + 1);
		}
		n += ubf_isa_slots(d);
	}
	prog[n++] = (struct ubf_raw_insn)UBF_EXIT();
	*cnt = n;
	return prog;
}

/* Disassemble the whole program to one text, as the CLI and the fuzzer do. */
static char *program_text(const struct ubf_raw_insn *prog, size_t cnt, enum ubf_syntax syntax,
			  size_t *len)
{
	size_t cap = cnt * 96 + 1, i = 0;
	char *text;
	int ret;

	text = malloc(cap);
	*len = 0;
	while (text && i < cnt) {
		ret = ubf_disasm_insn(prog, cnt, i, syntax, text + *len, cap - *len - 1);
		if (ret <= 0) {
			free(text);
			return NULL;
		}
		*len += strlen(text + *len);
		text[(*len)++] = '\n';
		i += (size_t)ret;
	}
	return text;
}

TEST(roundtrip_whole_program_with_targets_inside_it)
{
	size_t cnt = 0, again_cnt = 0, len = 0;
	struct ubf_raw_insn *prog, *again = NULL;
	struct ubf_diag diag = {0};
	char *text;
	int s;
	UBF_OPTS(ubf_asm_opts, opts, .diag = &diag);

	prog = program_of_every_row(&cnt);
	ASSERT_TRUE(prog);
	EXPECT_OK(ubf_isa_check(prog, cnt, &diag));
	for (s = UBF_SYNTAX_LLVM; s <= UBF_SYNTAX_CONFORMANCE; s++) {
		text = program_text(prog, cnt, (enum ubf_syntax)s, &len);
		ASSERT_TRUE(text);
		EXPECT_TRUE(!strstr(text, "<unknown>"));
		EXPECT_OK(ubf_asm_parse(text, len, &again, &again_cnt, &opts));
		if (again) {
			EXPECT_EQ_INT(again_cnt, cnt);
			EXPECT_TRUE(again_cnt == cnt && !memcmp(again, prog, cnt * sizeof(*prog)));
			EXPECT_OK(ubf_isa_check(again, again_cnt, &diag));
		}
		free(again);
		again = NULL;
		free(text);
	}
	free(prog);
}
