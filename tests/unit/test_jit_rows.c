// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_jit_rows.c - every row of the instruction table, run by the JIT and
 * by the interpreter on the same programs, checked and trusted, with and
 * without constant blinding (jit_diff.h).  Programs are sequences of
 * steps: set all ten registers, run the row once with given registers,
 * offsets and immediates, then dump r0-r9 (and a flag for jumps) to
 * memory, so a wrong result or a clobbered register anywhere shows up as
 * a memory difference.  Registers sweep all of r0-r9 (r0, r3 and r4 are
 * the x86 registers division, cmpxchg and shifts use implicitly) and the
 * values sweep the edges of both widths.
 */
#include "test.h"

#include <stdlib.h>

#include "isa/isa.h"
#include "jit_diff.h"

/* Stack layout of the generated programs (offsets from r10). */
#define SLOT_CURSOR (-8)	/* where the next dump goes */
#define SLOT_MEM (-16)		/* r1 on entry */
#define SLOT_DUMP(k) (-24 - 8 * (k))	/* r0..r9, then the jump flag */
#define SLOT_FLAG SLOT_DUMP(10)
#define STACK_AREA_LO (-512)	/* [-512, -128): memory the stack tests use */
#define STACK_AREA_HI (-128)
#define DUMP_SZ (11 * 8)
/* Memory: a data area (pointer registers point at its middle), then dumps, then the stack area. */
#define DATA_SZ 4096
#define PTR_OFF 2048

static const uint64_t vals[] = {
	0,
	1,
	2,
	7,
	63,
	64,
	0x7fffffff,
	0x80000000,
	0xffffffff,
	0x8000000000000000ull,
	0x7fffffffffffffffull,
	0xffffffffffffffffull,
	0xffffffff80000000ull,
	0x0123456789abcdefull,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

static const int32_t imms[] = {
	0, 1, -1, 2, 7, 31, 32, 63, 64, 127, 128, -128, -129, 0x7fffffff, INT32_MIN, 0x12345678, -2,
};
#define NIMMS (sizeof(imms) / sizeof(imms[0]))

struct gen {
	struct prog_buf pb;
	size_t steps;
};

/* Filler values of the registers a step does not set, distinct per register. */
static uint64_t filler(unsigned r, size_t step)
{
	return 0x1111111111111111ull * (r + 1) ^ (uint64_t)step * 0x9e3779b97f4a7c15ull;
}

static void gen_begin(struct gen *g)
{
	int k;

	memset(g, 0, sizeof(*g));
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_STX(UBF_SIZE_DW, 10, 1, SLOT_MEM));
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_MOV64_REG(2, 1));
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_ALU64_IMM(UBF_ALU_ADD, 2, DATA_SZ));
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_STX(UBF_SIZE_DW, 10, 2, SLOT_CURSOR));
	for (k = STACK_AREA_LO; k < STACK_AREA_HI; k += 8)
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_INSN(0x7a, 10, 0, k,
							     (int32_t)((uint32_t)k * 0x01010101u)));
}

/* Set every register; @set/@set_val give the step's own values (bit r set: r = set_val[r]). */
static void gen_setup(struct gen *g, unsigned set, const uint64_t *set_val, unsigned ptrs)
{
	unsigned r;

	for (r = 0; r < 10; r++) {
		if (ptrs & 1u << r) {
			pb_add(&g->pb, (struct ubf_raw_insn)UBF_LDX(UBF_SIZE_DW, r, 10, SLOT_MEM));
			pb_add(&g->pb, (struct ubf_raw_insn)UBF_ALU64_IMM(UBF_ALU_ADD, r, PTR_OFF));
		} else {
			pb_lddw(&g->pb, r, set & 1u << r ? set_val[r] : filler(r, g->steps));
		}
	}
}

/* Zero the pointer registers in @ptrs (pointers differ per run), then dump r0-r9 and the flag. */
static void gen_dump(struct gen *g, unsigned ptrs)
{
	unsigned r, k;

	for (r = 0; r < 10; r++) {
		if (ptrs & 1u << r)
			pb_add(&g->pb, (struct ubf_raw_insn)UBF_MOV64_IMM(r, 0));
	}
	for (r = 0; r < 10; r++)
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_STX(UBF_SIZE_DW, 10, r, SLOT_DUMP(r)));
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_LDX(UBF_SIZE_DW, 1, 10, SLOT_CURSOR));
	/* r0..r9 only: slot 10 is never written, and a trusted run's stack is not zeroed. */
	for (k = 0; k < 10; k++) {
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_LDX(UBF_SIZE_DW, 2, 10, SLOT_DUMP(k)));
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_STX(UBF_SIZE_DW, 1, 2, (int16_t)(8 * k)));
	}
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_ALU64_IMM(UBF_ALU_ADD, 1, DUMP_SZ));
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_STX(UBF_SIZE_DW, 10, 1, SLOT_CURSOR));
	g->steps++;
}

/* Copy the stack area after the dumps, exit with the last dump's r0, and run everywhere. */
static void gen_run(struct gen *g, const char *what, const struct ubf_env *env)
{
	size_t mem_sz = DATA_SZ + g->steps * DUMP_SZ + (STACK_AREA_HI - STACK_AREA_LO), i;
	uint8_t *mem = malloc(mem_sz);
	int k;
	struct jit_case c = { .what = what, .mem_sz = mem_sz, .env = env };

	pb_add(&g->pb, (struct ubf_raw_insn)UBF_LDX(UBF_SIZE_DW, 1, 10, SLOT_CURSOR));
	for (k = STACK_AREA_LO; k < STACK_AREA_HI; k += 8) {
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_LDX(UBF_SIZE_DW, 2, 10, k));
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_STX(UBF_SIZE_DW, 1, 2, k - STACK_AREA_LO));
	}
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_LDX(UBF_SIZE_DW, 0, 10, SLOT_DUMP(0)));
	pb_add(&g->pb, (struct ubf_raw_insn)UBF_EXIT());
	for (i = 0; i < mem_sz; i++)
		mem[i] = (uint8_t)(i * 37 + 11);
	c.insns = g->pb.insns;
	c.insn_cnt = g->pb.cnt;
	c.mem = mem;
	jit_diff_case(&c);
	free(mem);
	pb_free(&g->pb);
}

/* One step of a two-register row: dst = a, src = b (one value when they are the same register). */
static void step_rr(struct gen *g, size_t id, unsigned d, unsigned s, uint64_t a, uint64_t b,
		    int16_t off)
{
	uint64_t v[10] = { 0 };

	v[s] = b;
	v[d] = a;
	gen_setup(g, 1u << d | 1u << s, v, 0);
	if (off)	/* a conditional jump over one instruction that clears the flag */
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_INSN(0x7a, 10, 0, SLOT_FLAG, 1));
	pb_add(&g->pb, pb_row(id, d, s, off, 0));
	if (off)
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_INSN(0x7a, 10, 0, SLOT_FLAG, 0));
	gen_dump(g, 0);
}

static void step_ri(struct gen *g, size_t id, unsigned d, uint64_t a, int32_t imm, int16_t off)
{
	uint64_t v[10] = { 0 };

	v[d] = a;
	gen_setup(g, 1u << d, v, 0);
	if (off)
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_INSN(0x7a, 10, 0, SLOT_FLAG, 1));
	pb_add(&g->pb, pb_row(id, d, 0, off, imm));
	if (off)
		pb_add(&g->pb, (struct ubf_raw_insn)UBF_INSN(0x7a, 10, 0, SLOT_FLAG, 0));
	gen_dump(g, 0);
}

/*
 * Two-register rows (ALU and jumps): every register pair, then every value
 * pair on the first @npairs pairs below.
 */
static void sweep_rr(size_t id, int16_t off, unsigned npairs)
{
	/* r0 and r3 are rax and rdx (division, cmpxchg), r4 is rcx (shift counts) */
	static const unsigned pairs[][2] = { { 1, 2 }, { 0, 3 }, { 3, 0 }, { 2, 4 } };
	char what[64];
	struct gen g;
	unsigned d, s, p;
	size_t a, b;

	snprintf(what, sizeof(what), "%s (register pairs)", ubf_isa_desc[id].name);
	gen_begin(&g);
	for (d = 0; d < 10; d++) {
		for (s = 0; s < 10; s++)
			step_rr(&g, id, d, s, vals[(d * 7 + s * 3) % NVALS],
				vals[(d * 5 + s * 11 + 1) % NVALS], off);
	}
	gen_run(&g, what, NULL);
	for (p = 0; p < npairs && p < UBF_ARRAY_SIZE(pairs) && !ubf_test_failed(); p++) {
		snprintf(what, sizeof(what), "%s (values, r%u, r%u)", ubf_isa_desc[id].name,
			 pairs[p][0], pairs[p][1]);
		gen_begin(&g);
		for (a = 0; a < NVALS; a++) {
			for (b = 0; b < NVALS; b++)
				step_rr(&g, id, pairs[p][0], pairs[p][1], vals[a], vals[b], off);
		}
		gen_run(&g, what, NULL);
	}
}

/* Register-immediate rows: every dst with every immediate, then every value on r0 and r3. */
static void sweep_ri(size_t id, int16_t off)
{
	static const unsigned dsts[] = { 0, 3 };
	char what[64];
	struct gen g;
	unsigned d, p;
	size_t a, i;

	snprintf(what, sizeof(what), "%s (registers)", ubf_isa_desc[id].name);
	gen_begin(&g);
	for (d = 0; d < 10; d++) {
		for (i = 0; i < NIMMS; i++)
			step_ri(&g, id, d, vals[(d + i) % NVALS], imms[i], off);
	}
	gen_run(&g, what, NULL);
	for (p = 0; p < UBF_ARRAY_SIZE(dsts) && !ubf_test_failed(); p++) {
		snprintf(what, sizeof(what), "%s (values, r%u)", ubf_isa_desc[id].name, dsts[p]);
		gen_begin(&g);
		for (a = 0; a < NVALS; a++) {
			for (i = 0; i < NIMMS; i++)
				step_ri(&g, id, dsts[p], vals[a], imms[i], off);
		}
		gen_run(&g, what, NULL);
	}
}

/* Rows with only dst (neg, byte swaps). */
static void sweep_dst(size_t id)
{
	char what[64];
	struct gen g;
	unsigned d;
	size_t a;

	snprintf(what, sizeof(what), "%s", ubf_isa_desc[id].name);
	gen_begin(&g);
	for (d = 0; d < 10; d++) {
		for (a = 0; a < NVALS; a++)
			step_ri(&g, id, d, vals[a], 0, 0);
	}
	gen_run(&g, what, NULL);
}

TEST(jit_matches_interp_alu_rows)
{
	size_t id;

	REQUIRE_JIT();
	for (id = 0; id < UBF_INSN_COUNT && !ubf_test_failed(); id++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[id];

		if (d->kind != UBF_KIND_ALU)
			continue;
		if (d->shape == UBF_SHAPE_DST_SRC)
			sweep_rr(id, 0, 4);
		else if (d->shape == UBF_SHAPE_DST_IMM)
			sweep_ri(id, 0);
		else
			sweep_dst(id);
	}
}

TEST(jit_matches_interp_jump_rows)
{
	size_t id;

	REQUIRE_JIT();
	for (id = 0; id < UBF_INSN_COUNT && !ubf_test_failed(); id++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[id];

		if (d->kind != UBF_KIND_JMP)
			continue;
		if (d->shape == UBF_SHAPE_DST_SRC_OFF)	/* no implicit registers: two pairs do */
			sweep_rr(id, 1, 2);
		else
			sweep_ri(id, 1);
	}
}

/*
 * "if (cond) goto +1; dst = x" for every condition and every form of the
 * move (the JIT turns the pair into a conditional move).
 */
TEST(jit_matches_interp_conditional_moves)
{
	static const size_t movs[] = { UBF_INSN_MOV64_REG, UBF_INSN_MOV32_REG, UBF_INSN_MOV64_IMM,
				       UBF_INSN_MOV32_IMM };
	uint64_t v[10] = { 0 };
	size_t id, m, a, i = 0;
	struct gen g;

	REQUIRE_JIT();
	gen_begin(&g);
	for (id = 0; id < UBF_INSN_COUNT; id++) {
		if (ubf_isa_desc[id].kind != UBF_KIND_JMP)
			continue;
		for (m = 0; m < UBF_ARRAY_SIZE(movs); m++) {
			for (a = 0; a < 6; a++, i++) {
				unsigned d = (unsigned)(i % 10), s = (unsigned)(i * 7 % 10);

				v[d] = vals[(i * 5) % NVALS];
				v[s] = vals[(i * 3 + a) % NVALS];
				gen_setup(&g, 1u << d | 1u << s, v, 0);
				pb_add(&g.pb, pb_row(id, d, s, 1, imms[i % NIMMS]));
				pb_add(&g.pb, pb_row(movs[m], (unsigned)((i + a) % 10), s, 0,
						     imms[(i + 3) % NIMMS]));
				gen_dump(&g, 0);
			}
		}
	}
	gen_run(&g, "conditional moves", NULL);
}

/* "dst = a; dst += b" for both widths of each (the JIT makes one LEA of most pairs). */
TEST(jit_matches_interp_move_add_pairs)
{
	static const size_t movs[] = { UBF_INSN_MOV64_REG, UBF_INSN_MOV32_REG };
	static const size_t adds[] = { UBF_INSN_ADD64_REG, UBF_INSN_ADD32_REG, UBF_INSN_ADD64_IMM,
				       UBF_INSN_ADD32_IMM };
	uint64_t v[10] = { 0 };
	size_t m, a, i = 0;
	unsigned d, s, b;
	struct gen g;

	REQUIRE_JIT();
	gen_begin(&g);
	for (m = 0; m < UBF_ARRAY_SIZE(movs); m++) {
		for (a = 0; a < UBF_ARRAY_SIZE(adds); a++) {
			/* every dst and first operand; the second operand varies with them */
			for (d = 0; d < 10; d++) {
				for (s = 0; s < 11; s++, i++) {
					b = (unsigned)((d * 3 + s) % 10);
					v[d] = vals[i % NVALS];
					v[b] = vals[(i * 7 + 3) % NVALS];
					if (s < 10)
						v[s] = vals[(i * 5 + 1) % NVALS];
					gen_setup(&g, 1u << d | 1u << b | (s < 10 ? 1u << s : 0), v,
						  0);
					pb_add(&g.pb, pb_row(movs[m], d, s, 0, 0));
					pb_add(&g.pb, pb_row(adds[a], d, i % 4 ? b : d, 0,
							     imms[i % NIMMS]));
					if (s == 10)	/* r10: keep the pointer out of the dump */
						pb_add(&g.pb, (struct ubf_raw_insn)UBF_ALU64_REG(
									UBF_ALU_SUB, d, 10));
					gen_dump(&g, 0);
				}
			}
		}
	}
	gen_run(&g, "mov then add", NULL);
}

/* "dst <<= n; dst >>= m" pairs, signed and not (n = m = 32 is one x86 instruction). */
TEST(jit_matches_interp_shift_pairs)
{
	static const size_t second[] = { UBF_INSN_ARSH64_IMM, UBF_INSN_RSH64_IMM,
					 UBF_INSN_LSH64_IMM, UBF_INSN_ARSH32_IMM };
	static const int32_t counts[] = { 32, 31, 33, 96, 0 };
	uint64_t v[10] = { 0 };
	size_t s2, c, a;
	unsigned d;
	struct gen g;

	REQUIRE_JIT();
	gen_begin(&g);
	for (s2 = 0; s2 < UBF_ARRAY_SIZE(second); s2++) {
		for (c = 0; c < UBF_ARRAY_SIZE(counts); c++) {
			for (d = 0; d < 10; d++) {
				a = (d + c * 3 + s2) % NVALS;
				v[d] = vals[a];
				gen_setup(&g, 1u << d, v, 0);
				pb_add(&g.pb, pb_row(UBF_INSN_LSH64_IMM, d, 0, 0, 32));
				pb_add(&g.pb, pb_row(second[s2], c == 4 ? (d + 1) % 10 : d, 0, 0,
						     counts[c]));
				gen_dump(&g, 0);
			}
		}
	}
	gen_run(&g, "shift pairs", NULL);
}

TEST(jit_matches_interp_lddw)
{
	struct gen g;
	unsigned d;
	size_t a;

	REQUIRE_JIT();
	gen_begin(&g);
	for (d = 0; d < 10; d++) {
		for (a = 0; a < NVALS; a++) {
			gen_setup(&g, 0, NULL, 0);
			pb_lddw(&g.pb, d, vals[a] ^ (uint64_t)d << 40);
			gen_dump(&g, 0);
		}
	}
	gen_run(&g, "lddw", NULL);
}

/* ---------------------------------------------------------------- memory rows */

/* Offsets from a pointer into the data area, and from r10 into the stack area, for @size. */
static int16_t mem_off(unsigned base, size_t i, unsigned size, bool aligned)
{
	static const int16_t data_offs[] = { 0, 1, 7, -1, -8, 127, -128, 128, -129, 1000, -1000,
					     2040, -2048 };
	static const int16_t stack_offs[] = { -136, -129, -200, -256, -511, -504, -300, -144 };
	int16_t off;

	if (base == 10)
		off = stack_offs[i % UBF_ARRAY_SIZE(stack_offs)];
	else
		off = data_offs[i % UBF_ARRAY_SIZE(data_offs)];
	if (aligned)
		off = (int16_t)(off & ~(int16_t)(size - 1));
	if (base == 10 && off + (int)size > STACK_AREA_HI)
		off = (int16_t)(STACK_AREA_HI - 8);
	if (base == 10 && off < STACK_AREA_LO)
		off = STACK_AREA_LO;
	return off;
}

/*
 * The register a memory row writes besides memory: dst for loads, src for
 * fetch forms and xchg, r0 for cmpxchg; -1 for none.
 */
static int written_reg(const struct ubf_insn_desc *d, unsigned dst, unsigned src)
{
	if (d->kind == UBF_KIND_LDX || d->op == UBF_OP_LOAD_ACQ)
		return (int)dst;
	if (d->op == UBF_OP_FETCH_ADD || d->op == UBF_OP_FETCH_OR || d->op == UBF_OP_FETCH_AND ||
	    d->op == UBF_OP_FETCH_XOR || d->op == UBF_OP_XCHG)
		return (int)src;
	if (d->op == UBF_OP_CMPXCHG)
		return 0;
	return -1;
}

/*
 * One memory step: @base points into the data area (or is r10), @other is
 * the row's other register (dst for loads, src for stores).  Cmpxchg on
 * every other step first loads the current value into r0, so it succeeds.
 */
static void step_mem(struct gen *g, size_t id, unsigned base, unsigned other, int16_t off,
		     uint64_t val, int32_t imm)
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[id];
	bool base_is_src = d->kind == UBF_KIND_LDX || d->op == UBF_OP_LOAD_ACQ;
	unsigned dst = base_is_src ? other : base, src = base_is_src ? base : other;
	unsigned ptrs = base == 10 ? 0 : 1u << base;
	uint64_t v[10] = { 0 };
	int w;

	v[other] = val;
	gen_setup(g, 1u << other, v, ptrs);
	if (d->op == UBF_OP_CMPXCHG && base != 0 && g->steps % 2)
		pb_add(&g->pb,
		       pb_row(d->width == 8 ? UBF_INSN_LDXDW : UBF_INSN_LDXW, 0, base, off, 0));
	pb_add(&g->pb, pb_row(id, dst, src, off, imm));
	w = written_reg(d, dst, src);
	if (w == (int)base)
		ptrs = 0;
	gen_dump(g, ptrs);
}

TEST(jit_matches_interp_memory_rows)
{
	char what[64];
	size_t id, i;
	struct gen g;
	unsigned base, other;

	REQUIRE_JIT();
	for (id = 0; id < UBF_INSN_COUNT && !ubf_test_failed(); id++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[id];
		bool is_atomic = d->kind == UBF_KIND_ATOMIC;
		bool base_may_be_other = d->kind == UBF_KIND_LDX || d->op == UBF_OP_LOAD_ACQ ||
					 d->kind == UBF_KIND_ST;

		if (d->kind != UBF_KIND_LDX && d->kind != UBF_KIND_ST && d->kind != UBF_KIND_STX &&
		    !is_atomic)
			continue;
		snprintf(what, sizeof(what), "%s", d->name);
		gen_begin(&g);
		i = 0;
		for (base = 0; base <= 10; base++) {
			for (other = 0; other < 10; other++) {
				if (other == base && !base_may_be_other)
					continue;
				step_mem(&g, id, base, other, mem_off(base, i, d->width, is_atomic),
					 vals[i % NVALS], imms[i % NIMMS]);
				i++;
			}
		}
		gen_run(&g, what, NULL);
	}
}

/* ---------------------------------------------------------------- packet loads */

TEST(jit_matches_interp_packet_loads)
{
	static const int32_t offs[] = { 0, 1, 2, 3, 4, 100, 4093, 4094, 4095, 4096, 4097, -1,
					-4, INT32_MAX, INT32_MIN, 0x7ffffffe };
	static const uint64_t srcs[] = { 0, 1, 4092, 4096, 0xffffffff, 0x100000000ull,
					 0xffffffffffffff00ull, 0x80000000 };
	struct ubf_raw_insn insns[32];
	uint8_t mem[4096];
	char what[64];
	size_t id, i, j, n;

	REQUIRE_JIT();
	for (i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)(i * 13 + 5);
	for (id = 0; id < UBF_INSN_COUNT; id++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[id];

		if (d->kind != UBF_KIND_LD_PKT)
			continue;
		for (i = 0; i < UBF_ARRAY_SIZE(offs); i++) {
			for (j = 0; j < (d->op == UBF_OP_IND ? UBF_ARRAY_SIZE(srcs) : 1); j++) {
				struct jit_case c = { .what = what, .insns = insns, .mem = mem,
						      .mem_sz = sizeof(mem) };
				struct ubf_raw_insn lddw[] = { UBF_LDDW(j % 10, srcs[j]) };

				n = 0;
				insns[n++] = (struct ubf_raw_insn)UBF_MOV64_IMM(0, 77);
				insns[n++] = lddw[0];
				insns[n++] = lddw[1];
				insns[n++] = pb_row(id, 0, j % 10, 0, offs[i]);
				insns[n++] = (struct ubf_raw_insn)UBF_ALU64_IMM(UBF_ALU_ADD, 0, 1);
				insns[n++] = (struct ubf_raw_insn)UBF_EXIT();
				c.insn_cnt = n;
				snprintf(what, sizeof(what), "%s off %d src 0x%" PRIx64, d->name,
					 offs[i], srcs[j]);
				jit_diff_case(&c);
			}
		}
	}
}

/* ---------------------------------------------------------------- calls */

static uint64_t mix_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			   struct ubf_run *run)
{
	(void)run;
	return r1 * 3 ^ r2 * 5 ^ r3 * 7 ^ r4 * 11 ^ r5 * 13 ^ 0x5555;
}

static struct ubf_env *mix_env(void)
{
	struct ubf_helper h = { .id = 1000, .name = "mix", .fn = mix_helper };
	struct ubf_env *env = NULL;

	if (ubf_env_new(&env) || ubf_env_add_helper(env, &h))
		abort();
	return env;
}

/*
 * call and callx with every register as callx's dst: after the call r1-r5
 * are rewritten before the dump, as a verified program must (Linux's
 * calling convention clobbers them; the trusted JIT does).
 */
TEST(jit_matches_interp_helper_calls)
{
	struct ubf_env *env = mix_env();
	struct gen g;
	unsigned d, r;
	size_t a;

	REQUIRE_JIT();
	gen_begin(&g);
	for (d = 0; d < 11; d++) {
		for (a = 0; a < 4; a++) {
			uint64_t v[10] = { 0 };

			gen_setup(&g, 0, v, 0);
			if (d == 10) {
				pb_add(&g.pb, (struct ubf_raw_insn)UBF_CALL_HELPER(1000));
			} else {
				pb_add(&g.pb, (struct ubf_raw_insn)UBF_MOV64_IMM(d, 1000));
				pb_add(&g.pb, pb_row(UBF_INSN_CALLX, d, 0, 0, 0));
			}
			for (r = 1; r <= 5; r++)
				pb_add(&g.pb,
				       (struct ubf_raw_insn)UBF_MOV64_IMM(r, (int32_t)(r + a)));
			gen_dump(&g, 0);
		}
	}
	gen_run(&g, "call, callx", env);
	ubf_env_free(env);
}
