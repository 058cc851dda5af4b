// SPDX-License-Identifier: BSD-2-Clause
/*
 * diff_gen.c - the interpreter-vs-JIT differential fuzzer.  It generates
 * random valid programs from the instruction table (every kind: ALU and
 * jumps of both widths, lddw, loads, stores and atomics on memory and on
 * the stack, packet loads, may_goto, helper calls, callx, bpf-to-bpf calls,
 * bounded loops, early exits), runs each on the interpreter and the JIT,
 * checked and trusted, with and without constant blinding, and compares
 * r0, the memory and the error (id and instruction).  A share of the
 * programs is "unsafe" (accesses anywhere, endless loops, deep recursion,
 * unknown callx IDs, misaligned atomics): those run checked only and must
 * fault identically.
 *
 *   diff_gen [--seed N] [--start I] [--count N] [--time SECONDS] [--verbose] [--print]
 *
 * --count 0 with --time 0 runs until interrupted; --print lists the programs
 * instead of running them.  The last line is
 * "jit_diff: N passed, N failed, N skipped" (passed = programs that ran
 * clean on every mode).  Safe programs stay inside their memory by
 * construction: pointers are rebuilt from a stack slot before each access,
 * with a masked index, and scrubbed right after, so no address (which
 * differs between runs) reaches a compared value.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <userbpf/helper.h>
#include <userbpf/isa.h>
#include <userbpf/prog.h>

#include "isa/isa.h"
#include "gen_rng.h"

#define MEM_SZ 256
#define MAX_FNS 4
#define MAX_PEND 32
#define SLOT_MEM (-8)		/* each function keeps the memory pointer here */
#define STACK_LO (-128)		/* [-128, -16): the stack each function initialises */
#define STACK_HI (-16)
#define INSN(c, d, s, o, i) ((struct ubf_raw_insn)UBF_INSN(c, d, s, o, i))

/* ---------------------------------------------------------------- the program */

struct pend {
	size_t at;		/* the jump */
	unsigned left;		/* units until its target */
	bool is_ja32;
};

struct gen {
	struct ubf_raw_insn *insns;
	size_t cnt, cap;
	struct pend pend[MAX_PEND];
	unsigned npend;
	uint16_t reserved;	/* loop counters: not written by the body */
	unsigned fn, nfn, loop_depth;
	size_t fn_start[MAX_FNS];
	size_t calls[256];	/* local calls; callee index in imm until fixed */
	unsigned ncalls;
	bool unsafe;
};

static void add(struct gen *g, struct ubf_raw_insn in)
{
	if (g->cnt == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 512;
		g->insns = realloc(g->insns, g->cap * sizeof(*g->insns));
		if (!g->insns)
			abort();
	}
	g->insns[g->cnt++] = in;
}

static void add_lddw(struct gen *g, unsigned reg, uint64_t v)
{
	struct ubf_raw_insn in[] = { UBF_LDDW(reg, v) };

	add(g, in[0]);
	add(g, in[1]);
}

static struct ubf_raw_insn row(size_t id, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	return ubf_isa_encode_ops((enum ubf_insn_id)id, dst, src, off, imm);
}

/* A random row of @kind (and, when @op >= 0, of that op). */
static size_t pick_row(unsigned kind, int op)
{
	size_t ids[UBF_INSN_COUNT], n = 0, i;

	for (i = 0; i < UBF_INSN_COUNT; i++) {
		if (ubf_isa_desc[i].kind == kind && (op < 0 || ubf_isa_desc[i].op == (unsigned)op))
			ids[n++] = i;
	}
	return ids[below((unsigned)n)];
}

/* A register the current code may write. */
static unsigned wreg(struct gen *g)
{
	unsigned r;

	do
		r = below(10);
	while (g->reserved & 1u << r);
	return r;
}

/* Point every pending jump whose countdown ends (or all, with @all) at the next insn. */
static void resolve(struct gen *g, bool all)
{
	unsigned i = 0;

	while (i < g->npend) {
		struct pend *p = &g->pend[i];

		if (!all && --p->left) {
			i++;
			continue;
		}
		if (p->is_ja32)
			g->insns[p->at].imm = (int32_t)(g->cnt - p->at - 1);
		else
			g->insns[p->at].off = (int16_t)(g->cnt - p->at - 1);
		g->pend[i] = g->pend[--g->npend];
	}
}

static void pend(struct gen *g, bool is_ja32)
{
	if (g->npend == MAX_PEND) {
		g->insns[g->cnt - 1] = INSN(0xb7, 0, 0, 0, 0);	/* no room: no jump */
		return;
	}
	/* mostly short hops; sometimes far enough for rel32 */
	g->pend[g->npend++] = (struct pend){ .at = g->cnt - 1,
					     .left = 1 + below(chance(10) ? 60 : 6),
					     .is_ja32 = is_ja32 };
}

/* ---------------------------------------------------------------- units */

static void unit_alu(struct gen *g)
{
	static const size_t adds[] = { UBF_INSN_ADD64_REG, UBF_INSN_ADD32_REG, UBF_INSN_ADD64_IMM,
				       UBF_INSN_ADD32_IMM };
	size_t id = pick_row(UBF_KIND_ALU, -1);
	unsigned src = below(10), dst = wreg(g);

	if (chance(5)) {	/* "dst <<= 32; dst s>>= 32", which the JIT fuses */
		add(g, INSN(0x67, dst, 0, 0, 32));
		add(g, INSN(chance(50) ? 0xc7 : 0x77, dst, 0, 0, chance(80) ? 32 : rnd_imm()));
		return;
	}
	if (chance(15)) {	/* "dst = a; dst += b", which the JIT fuses */
		add(g, row(chance(50) ? UBF_INSN_MOV64_REG : UBF_INSN_MOV32_REG, dst, src, 0, 0));
		add(g, row(adds[below(4)], dst, below(10), 0, rnd_imm()));
		return;
	}
	add(g, row(id, dst, src, 0, rnd_imm()));
}

/* "if (cond) goto +1; dst = x": what the JIT turns into a conditional move. */
static void unit_select(struct gen *g)
{
	static const size_t movs[] = { UBF_INSN_MOV64_REG, UBF_INSN_MOV32_REG, UBF_INSN_MOV64_IMM,
				       UBF_INSN_MOV32_IMM };

	add(g, row(pick_row(UBF_KIND_JMP, -1), below(10), below(10), 1, rnd_imm()));
	add(g, row(movs[below(4)], wreg(g), below(10), 0, rnd_imm()));
}

static void unit_jmp(struct gen *g)
{
	unsigned k = below(10);

	if (chance(25)) {
		unit_select(g);
		return;
	}

	if (k < 7)
		add(g, row(pick_row(UBF_KIND_JMP, -1), below(10), below(10), 0, rnd_imm()));
	else if (k < 9)
		add(g, row(pick_row(UBF_KIND_JA, -1), 0, 0, 0, 0));
	else
		add(g, row(UBF_INSN_MAY_GOTO, 0, 0, 0, 0));
	pend(g, g->insns[g->cnt - 1].code == 0x06);
}

/* A pointer into the run's memory, or a stack offset, for an access of @size. */
static void mem_access(struct gen *g, size_t id)
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[id];
	bool is_atomic = d->kind == UBF_KIND_ATOMIC, base_is_src, writes_other;
	unsigned size = d->width, base, other, idx;
	int16_t off;

	base_is_src = d->kind == UBF_KIND_LDX || d->op == UBF_OP_LOAD_ACQ;
	/* fetch forms and xchg write their source register */
	writes_other = base_is_src || d->op == UBF_OP_FETCH_ADD || d->op == UBF_OP_FETCH_OR ||
		       d->op == UBF_OP_FETCH_AND || d->op == UBF_OP_FETCH_XOR ||
		       d->op == UBF_OP_XCHG;
	if (chance(30)) {	/* the stack, through r10 */
		off = (int16_t)(STACK_LO + (int)below((unsigned)(STACK_HI - STACK_LO) - size + 1));
		if (is_atomic)
			off = (int16_t)(off & ~(int16_t)(size - 1));
		other = writes_other ? wreg(g) : below(10);
		if (d->op == UBF_OP_CMPXCHG && (g->reserved & 1))
			return;
		add(g, row(id, base_is_src ? other : 10, base_is_src ? 10 : other, off, rnd_imm()));
		return;
	}
	base = wreg(g);
	do
		idx = wreg(g);
	while (idx == base);
	do
		other = writes_other ? wreg(g) : below(10);
	while (other == base && !base_is_src);
	if (d->op == UBF_OP_CMPXCHG && (g->reserved & 1))
		return;
	/* base = mem + 64 + (idx & 0x78); off in [-64, 64 - size] */
	add(g, INSN(0x79, base, 10, SLOT_MEM, 0));
	add(g, INSN(0x57, idx, 0, 0, 0x78));
	add(g, INSN(0x0f, base, idx, 0, 0));
	add(g, INSN(0x07, base, 0, 0, 64));
	off = (int16_t)(-64 + (int)below(129 - size));
	if (is_atomic)
		off = (int16_t)(off & ~(int16_t)(size - 1));
	add(g, row(id, base_is_src ? other : base, base_is_src ? base : other, off, rnd_imm()));
	/* the pointer must not reach a compared value, unless the access overwrote it */
	if (!(base_is_src && other == base) && !(d->op == UBF_OP_CMPXCHG && base == 0))
		add(g, INSN(0xb7, base, 0, 0, rnd_imm()));
}

static void unit_mem(struct gen *g)
{
	static const unsigned kinds[] = { UBF_KIND_LDX, UBF_KIND_ST, UBF_KIND_STX,
					  UBF_KIND_ATOMIC };

	mem_access(g, pick_row(kinds[below(4)], -1));
}

static void unit_pkt(struct gen *g)
{
	size_t id = pick_row(UBF_KIND_LD_PKT, -1);
	unsigned src = wreg(g);

	if (g->reserved & 1)
		return;	/* writes r0 */
	if (ubf_isa_desc[id].op == UBF_OP_IND)
		add(g, INSN(0x57, src, 0, 0, 0xff));
	add(g, row(id, 0, src, 0, chance(90) ? (int32_t)below(MEM_SZ + 4) : rnd_imm()));
}

/* Helper and callx calls: r1-r5 are scratch afterwards, so they are set again. */
static void unit_helper(struct gen *g)
{
	unsigned r, dst;

	if (g->reserved & 0x3f)
		return;
	if (chance(50)) {
		add(g, INSN(0x85, 0, 0, 0, 1000 + (int32_t)below(2)));
	} else {
		dst = wreg(g);
		add(g, INSN(0xb7, dst, 0, 0, 1000 + (int32_t)below(2)));
		add(g, INSN(0x8d, dst, 0, 0, 0));
	}
	for (r = 1; r <= 5; r++)
		add(g, INSN(0xb7, r, 0, 0, rnd_imm()));
}

/* A call to a later function (so calls form a DAG and always end). */
static void unit_call(struct gen *g)
{
	unsigned callee;

	if (g->fn + 1 >= g->nfn || g->ncalls == 256 || (g->reserved & 0x3f))
		return;
	callee = g->fn + 1 + below(g->nfn - g->fn - 1);
	add(g, INSN(0x79, 1, 10, SLOT_MEM, 0));
	add(g, INSN(0x85, 0, 1, 0, (int32_t)callee));
	g->calls[g->ncalls++] = g->cnt - 1;
}

static void body(struct gen *g, unsigned units);

/* for (c = n; c; c--) body, with the counter in r6-r9 (kept across calls). */
static void unit_loop(struct gen *g)
{
	unsigned c = 6 + below(4), n = 1 + below(4);
	size_t start;

	if (g->loop_depth >= (g->fn ? 1u : 2u) || (g->reserved & 1u << c))
		return;
	resolve(g, true);	/* nothing jumps into the loop */
	add(g, INSN(0xb7, c, 0, 0, (int32_t)n));
	start = g->cnt;
	g->reserved |= (uint16_t)(1u << c);
	g->loop_depth++;
	body(g, 2 + below(8));
	resolve(g, true);	/* nor out of its body past the counter */
	g->loop_depth--;
	g->reserved &= (uint16_t)~(1u << c);
	add(g, INSN(0x07, c, 0, 0, -1));
	add(g, INSN(0x55, c, 0, (int16_t)(start - g->cnt - 1), 0));
}

/* Unsafe programs only: what checked runs must stop. */
static void unit_unsafe(struct gen *g)
{
	unsigned r = wreg(g), src;
	size_t id;

	switch (below(5)) {
	case 0:	/* an access anywhere */
		id = pick_row(chance(50) ? UBF_KIND_LDX : UBF_KIND_STX, -1);
		add(g, row(id, r, below(11), (int16_t)rnd(), 0));
		break;
	case 1:	/* an endless loop */
		add(g, INSN(0x07, r, 0, 0, 1));
		add(g, INSN(0x05, 0, 0, -2, 0));
		break;
	case 2:	/* callx to an ID that may not exist */
		if (g->reserved & 0x3f)
			break;
		add(g, INSN(0xb7, r, 0, 0, (int32_t)below(3000)));
		add(g, INSN(0x8d, r, 0, 0, 0));
		break;
	case 3:	/* a misaligned atomic on memory (a byte-sized one works) */
		do
			src = wreg(g);
		while (src == r);
		add(g, INSN(0x79, r, 10, SLOT_MEM, 0));
		add(g, row(pick_row(UBF_KIND_ATOMIC, -1), r, src, (int16_t)(1 + below(3)), 0));
		add(g, INSN(0xb7, r, 0, 0, 0));
		break;
	default:	/* recursion into this function: too deep */
		add(g, INSN(0x79, 1, 10, SLOT_MEM, 0));
		add(g, INSN(0x85, 0, 1, 0, (int32_t)g->fn));
		g->calls[g->ncalls++] = g->cnt - 1;
		break;
	}
}

static void unit(struct gen *g)
{
	unsigned k = below(100);

	if (k < 30)
		unit_alu(g);
	else if (k < 45)
		unit_jmp(g);
	else if (k < 65)
		unit_mem(g);
	else if (k < 70)
		add_lddw(g, wreg(g), rnd_val());
	else if (k < 74)
		unit_pkt(g);
	else if (k < 79)
		unit_helper(g);
	else if (k < 85)
		unit_call(g);
	else if (k < 91)
		unit_loop(g);
	else if (k < 93 && !(g->reserved & 1))
		add(g, INSN(0x95, 0, 0, 0, 0));	/* early exit */
	else if (k < 96 && g->unsafe)
		unit_unsafe(g);
	else
		unit_alu(g);
	resolve(g, false);
}

static void body(struct gen *g, unsigned units)
{
	while (units--)
		unit(g);
}

/* Entry of each function: keep the memory pointer, fill the stack and the registers. */
static void function(struct gen *g, unsigned fn)
{
	int off;
	unsigned r;

	g->fn = fn;
	g->fn_start[fn] = g->cnt;
	add(g, INSN(0x7b, 10, 1, SLOT_MEM, 0));
	for (off = STACK_LO; off < STACK_HI; off += 8)
		add(g, INSN(0x7a, 10, 0, (int16_t)off, rnd_imm()));
	for (r = 0; r < 10; r++) {
		if (fn == 0 || chance(30) || r == 1)
			add(g, INSN(0xb7, r, 0, 0, rnd_imm()));
	}
	body(g, 5 + below(fn ? 15 : 40));
	resolve(g, true);
	add(g, INSN(0x95, 0, 0, 0, 0));
}

static void generate(struct gen *g, bool unsafe)
{
	unsigned fn, i;

	memset(g, 0, sizeof(*g));
	g->unsafe = unsafe;
	g->nfn = 1 + below(MAX_FNS);
	for (fn = 0; fn < g->nfn; fn++)
		function(g, fn);
	for (i = 0; i < g->ncalls; i++) {
		struct ubf_raw_insn *in = &g->insns[g->calls[i]];

		in->imm = (int32_t)(g->fn_start[in->imm] - g->calls[i] - 1);
	}
}

/* ---------------------------------------------------------------- running */

/* Deterministic helpers (IDs 1000, 1001): what they return depends only on their arguments. */
static uint64_t mix(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		    struct ubf_run *run)
{
	(void)run;
	return r1 * 31 + (r2 ^ r3 << 7) - r4 * 5 + (r5 >> 3);
}

static uint64_t rot(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		    struct ubf_run *run)
{
	(void)r3, (void)r4, (void)r5, (void)run;
	return r1 << (r2 & 63) | r1 >> (-r2 & 63);
}

struct mode {
	const char *name;
	uint32_t engine, flags;
};

static const struct mode modes[] = {
	{ "interp-checked", UBF_ENGINE_INTERP, UBF_PROG_F_CHECKED },
	{ "interp-trusted", UBF_ENGINE_INTERP, UBF_PROG_F_TRUSTED },
	{ "jit-checked", UBF_ENGINE_JIT, UBF_PROG_F_CHECKED },
	{ "jit-trusted", UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED },
	{ "jit-checked-blind", UBF_ENGINE_JIT, UBF_PROG_F_CHECKED | UBF_PROG_F_BLIND_CONST },
	{ "jit-trusted-blind", UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED | UBF_PROG_F_BLIND_CONST },
};
#define MODE_CNT (sizeof(modes) / sizeof(modes[0]))

struct outcome {
	int err;
	uint64_t r0;
	const char *id;
	uint32_t insn;
	_Alignas(8) uint8_t mem[MEM_SZ];	/* aligned atomics stay aligned */
};

static int run(const struct gen *g, const struct ubf_env *env, const struct mode *m,
	       const uint8_t *mem, struct outcome *o)
{
	struct ubf_prog *prog = NULL;
	struct ubf_diag diag = { 0 }, rdiag = { 0 };
	UBF_OPTS(ubf_prog_opts, opts, .diag = &diag, .env = env, .insn_limit = 200000,
		 .flags = m->flags, .engine = m->engine);
	UBF_OPTS(ubf_run_opts, ropts, .diag = &rdiag);
	int err;

	err = ubf_prog_load(&prog, g->insns, g->cnt, &opts);
	if (err) {
		fprintf(stderr, "diff_gen: %s: load: %s: %s\n", m->name, diag.id, diag.msg);
		return err;
	}
	memcpy(o->mem, mem, MEM_SZ);
	o->r0 = 0;
	o->err = ubf_prog_run(prog, o->mem, MEM_SZ, &o->r0, &ropts);
	o->id = o->err ? rdiag.id : NULL;
	o->insn = o->err ? rdiag.insn_idx : 0;
	ubf_prog_free(prog);
	return 0;
}

/*
 * Same error (id and instruction), and same r0 or memory; memory is not
 * compared when the budget ran out, since the JIT charges a whole block
 * before running it and so stops before the block's first instructions.
 */
static bool differ(const struct outcome *a, const struct outcome *b)
{
	if (a->err != b->err)
		return true;
	if (a->err && (!a->id || !b->id || strcmp(a->id, b->id) || a->insn != b->insn))
		return true;
	if (a->err && !strcmp(a->id, "run.insn_limit"))
		return false;
	return (!a->err && a->r0 != b->r0) || memcmp(a->mem, b->mem, MEM_SZ);
}

static void dump(const struct gen *g)
{
	gen_dump(g->insns, g->cnt);
}

static void report(const struct gen *g, const struct mode *m, const struct mode *rm,
		   const struct outcome *got, const struct outcome *ref)
{
	size_t i;

	fprintf(stderr, "diff_gen: %s differs from %s: err %d (%s at %u) r0 0x%" PRIx64
			" vs err %d (%s at %u) r0 0x%" PRIx64 "\n",
		m->name, rm->name, got->err, got->id ? got->id : "-", got->insn, got->r0,
		ref->err, ref->id ? ref->id : "-", ref->insn, ref->r0);
	for (i = 0; i < MEM_SZ; i++) {
		if (got->mem[i] != ref->mem[i])
			fprintf(stderr, "diff_gen: memory byte %zu: 0x%02x vs 0x%02x\n", i,
				got->mem[i], ref->mem[i]);
	}
	dump(g);
}

/* How the checked interpreter's runs ended, to see that faults are exercised. */
static struct {
	const char *id;
	uint64_t cnt;
} tally[16];

static void count_outcome(const struct outcome *o)
{
	const char *id = o->err ? (o->id ? o->id : "(no id)") : "ok";
	size_t i;

	for (i = 0; i < 16 && tally[i].id && strcmp(tally[i].id, id); i++)
		;
	if (i < 16) {
		tally[i].id = id;
		tally[i].cnt++;
	}
}

/* One program on every mode (checked only when unsafe); false on any difference. */
static bool check_one(const struct gen *g, const struct ubf_env *env, bool unsafe)
{
	static struct outcome ref[2], got;
	uint8_t mem[MEM_SZ];
	size_t i;

	for (i = 0; i < MEM_SZ; i++)
		mem[i] = (uint8_t)rnd();
	for (i = 0; i < 2; i++) {
		if ((i == 1 && unsafe) || run(g, env, &modes[i], mem, &ref[i]))
			continue;
		if (i == 0)
			count_outcome(&ref[0]);
	}
	for (i = 2; i < MODE_CNT; i++) {
		bool is_checked = modes[i].flags & UBF_PROG_F_CHECKED;
		const struct outcome *r = &ref[is_checked ? 0 : 1];

		if (!is_checked && unsafe)
			continue;
		if (run(g, env, &modes[i], mem, &got))
			return false;
		if (differ(&got, r)) {
			report(g, &modes[i], &modes[is_checked ? 0 : 1], &got, r);
			return false;
		}
	}
	return true;
}

/*
 * Helpers 1000 and 1001, and every built-in ID (which unsafe programs may
 * reach through callx) replaced by a deterministic one: the built-ins read
 * clocks and counters, which differ between two runs.
 */
static struct ubf_env *make_env(void)
{
	struct ubf_helper h1 = { .id = 1000, .name = "mix", .fn = mix };
	struct ubf_helper h2 = { .id = 1001, .name = "rot", .fn = rot };
	const struct ubf_helper *b;
	struct ubf_env *env = NULL;
	size_t i;
	int err;

	err = ubf_env_new(&env);
	if (!err)
		err = ubf_env_add_helper(env, &h1);
	if (!err)
		err = ubf_env_add_helper(env, &h2);
	for (i = 0; !err && (b = ubf_helper_builtin(i)); i++) {
		struct ubf_helper d = *b;

		d.fn = mix;
		err = ubf_env_add_helper(env, &d);
	}
	if (err) {
		fprintf(stderr, "diff_gen: cannot build the helper environment: %d\n", err);
		exit(2);
	}
	return env;
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL), count = 1000, passed = 0, failed = 0, first = 0, i;
	double limit = 0;
	bool verbose = false, print = false;
	struct ubf_env *env;
	struct gen g;
	time_t start = time(NULL);
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			seed = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--start") && a + 1 < argc)
			first = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--count") && a + 1 < argc)
			count = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--time") && a + 1 < argc)
			limit = strtod(argv[++a], NULL);
		else if (!strcmp(argv[a], "--verbose"))
			verbose = true;
		else if (!strcmp(argv[a], "--print"))
			print = true;
		else {
			fprintf(stderr, "usage: diff_gen [--seed N] [--start I] [--count N] "
					"[--time SECONDS] [--verbose] [--print]\n");
			return 2;
		}
	}
	env = make_env();
	printf("jit_diff: seed %" PRIu64 "\n", seed);
	for (i = first; (!count || i < first + count) &&
			(!limit || difftime(time(NULL), start) < limit);
	     i++) {
		bool unsafe;

		if (verbose)
			fprintf(stderr, "diff_gen: program %" PRIu64 "\n", i);
		rng_state = seed ^ i * 0x2545f4914f6cdd1dull;
		unsafe = chance(20);
		generate(&g, unsafe);
		if (print) {
			fprintf(stderr, "diff_gen: program %" PRIu64 "%s\n", i,
				unsafe ? " (unsafe)" : "");
			dump(&g);
			passed++;
		} else if (check_one(&g, env, unsafe)) {
			passed++;
		} else {
			fprintf(stderr, "diff_gen: program %" PRIu64 " (--seed %" PRIu64
					" --start %" PRIu64 " --count 1) failed\n", i, seed, i);
			failed++;
		}
		free(g.insns);
	}
	ubf_env_free(env);
	printf("jit_diff: checked runs ended:");
	for (a = 0; a < 16 && tally[a].id; a++)
		printf(" %s %" PRIu64, tally[a].id, tally[a].cnt);
	printf("\n");
	printf("jit_diff: %" PRIu64 " passed, %" PRIu64 " failed, 0 skipped\n", passed, failed);
	return failed ? 1 : 0;
}
