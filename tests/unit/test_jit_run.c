// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_jit_run.c - how JIT code behaves as a whole, always next to the
 * interpreter running the same program (jit_diff.h): faults of checked
 * runs with their diagnostic id and instruction, the instruction budget,
 * call depth, callx, packet loads ending the program from a subprogram,
 * helpers that fault, tail calls, bpf-to-bpf frames, branches at the
 * rel8/rel32 boundary, may_goto, and what only the JIT has: constant
 * blinding and W^X code memory.
 */
#include "test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "isa/isa.h"
#include "jit/jit.h"
#include "jit_diff.h"
#include "vm/vm.h"

#define INSN(c, d, s, o, i) ((struct ubf_raw_insn)UBF_INSN(c, d, s, o, i))

static bool diff(const char *what, const struct ubf_raw_insn *insns, size_t cnt, uint8_t *mem,
		 size_t mem_sz)
{
	struct jit_case c = { .what = what, .insns = insns, .insn_cnt = cnt, .mem = mem,
			      .mem_sz = mem_sz };

	return jit_diff_case(&c);
}

/* Run on one mode and return the outcome (memory not kept). */
static struct jit_outcome run_one(const struct jit_case *c, size_t mode)
{
	struct jit_outcome o = { 0 };
	uint8_t *mem = malloc(c->mem_sz + 1);

	o.mem = mem;
	jit_run_mode(c, &jit_modes[mode], &o);
	free(mem);
	o.mem = NULL;
	return o;
}

/* ---------------------------------------------------------------- checked faults */

/* r1 = mem; access [r1 + off] (or [r10 + off] when @use_r10) with row @id. */
static void fault_case(size_t id, int16_t off, bool use_r10, uint8_t *mem, size_t mem_sz,
		       const char *want_id)
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[id];
	bool base_is_src = d->kind == UBF_KIND_LDX || d->op == UBF_OP_LOAD_ACQ;
	unsigned base = use_r10 ? 10 : 1;
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 2, 0, 0, 5),		/* mov r2, 5 */
		INSN(0xb7, 0, 0, 0, 1),		/* mov r0, 1 */
		pb_row(id, base_is_src ? 2 : base, base_is_src ? base : 2, off, 3),
		INSN(0x95, 0, 0, 0, 0),
	};
	struct jit_case c = { .what = d->name, .insns = insns, .insn_cnt = 4, .mem = mem,
			      .mem_sz = mem_sz, .checked_only = true };
	struct jit_outcome o;
	char what[96];

	snprintf(what, sizeof(what), "%s [r%u%+d] of %zu bytes", d->name, base, off, mem_sz);
	c.what = what;
	jit_diff_case(&c);
	o = run_one(&c, 2);
	if (want_id) {
		EXPECT_ERR(-EFAULT, o.err);
		EXPECT_STREQ(o.diag_id, want_id);
		EXPECT_EQ_INT(o.diag_insn, 2);
	} else {
		EXPECT_OK(o.err);
	}
}

TEST(jit_checked_memory_faults_match_interp)
{
	_Alignas(8) uint8_t mem[64] = { 0 };
	size_t id;

	REQUIRE_JIT();
	for (id = 0; id < UBF_INSN_COUNT && !ubf_test_failed(); id++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[id];
		int16_t w = (int16_t)d->width;

		if (d->kind != UBF_KIND_LDX && d->kind != UBF_KIND_ST && d->kind != UBF_KIND_STX &&
		    d->kind != UBF_KIND_ATOMIC)
			continue;
		fault_case(id, 0, false, mem, sizeof(mem), NULL);
		fault_case(id, (int16_t)(64 - w), false, mem, sizeof(mem), NULL);
		fault_case(id, 64, false, mem, sizeof(mem), "run.mem_oob");
		fault_case(id, -w, false, mem, sizeof(mem), "run.mem_oob");
		fault_case(id, -1000, false, mem, sizeof(mem), "run.mem_oob");
		if (w > 1)	/* straddles the end */
			fault_case(id, (int16_t)(64 - w + 1), false, mem, sizeof(mem),
				   d->kind == UBF_KIND_ATOMIC ? "run.mem_misaligned" :
								"run.mem_oob");
		/* the stack: frame 0's r10 is its top; below it lies the whole stack */
		fault_case(id, (int16_t)-w, true, mem, sizeof(mem), NULL);
		fault_case(id, -UBF_STACK_SZ, true, mem, sizeof(mem), NULL);
		fault_case(id, -UBF_STACK_SZ * UBF_MAX_FRAMES, true, mem, sizeof(mem), NULL);
		fault_case(id, 0, true, mem, sizeof(mem), "run.mem_oob");
		fault_case(id, -UBF_STACK_SZ * UBF_MAX_FRAMES - w, true, mem, sizeof(mem),
			   "run.mem_oob");
		/* no memory at all: r1 = NULL */
		fault_case(id, 0, false, NULL, 0, "run.mem_oob");
		if (d->kind == UBF_KIND_ATOMIC && w > 1) {
			fault_case(id, 1, false, mem, sizeof(mem), "run.mem_misaligned");
			fault_case(id, -3, true, mem, sizeof(mem), "run.mem_misaligned");
		}
	}
}

/* Extra regions go through the slow check: readable, writable when marked so. */
TEST(jit_checked_extra_regions)
{
	static uint8_t ro[16] = { 1, 2, 3, 4 }, rw[16];
	struct ubf_region regions[] = { { ro, sizeof(ro), false }, { rw, sizeof(rw), true } };
	struct ubf_raw_insn insns[] = {
		UBF_LDDW(1, (uintptr_t)ro),
		UBF_LDDW(2, (uintptr_t)rw),
		INSN(0x61, 0, 1, 0, 0),		/* r0 = *(u32 *)(r1 + 0) */
		INSN(0x63, 2, 0, 4, 0),		/* *(u32 *)(r2 + 4) = r0 */
		INSN(0x63, 1, 0, 8, 0),		/* *(u32 *)(r1 + 8) = r0: read-only */
		INSN(0x95, 0, 0, 0, 0),
	};
	size_t m;

	REQUIRE_JIT();
	for (m = 0; m < jit_mode_cnt; m++) {
		struct ubf_prog *prog = NULL;
		struct ubf_diag diag = { 0 };
		UBF_OPTS(ubf_prog_opts, opts, .flags = jit_modes[m].flags,
			 .engine = jit_modes[m].engine);
		UBF_OPTS(ubf_run_opts, ropts, .diag = &diag, .regions = regions, .region_cnt = 2);
		uint64_t r0 = 0;

		if (!(jit_modes[m].flags & UBF_PROG_F_CHECKED))
			continue;
		memset(rw, 0, sizeof(rw));
		ASSERT_OK(ubf_prog_load(&prog, insns, UBF_ARRAY_SIZE(insns), &opts));
		EXPECT_ERR(-EFAULT, ubf_prog_run(prog, NULL, 0, &r0, &ropts));
		EXPECT_STREQ(diag.id, "run.mem_readonly");
		EXPECT_EQ_INT(diag.insn_idx, 6);
		EXPECT_EQ_U64(rw[4] | rw[5] << 8, 0x0201);
		ubf_prog_free(prog);
	}
}

/* ---------------------------------------------------------------- budget, depth, callx */

/*
 * A loop of three blocks around an lddw; every budget from 1 up must stop
 * at the same instruction as the interpreter (which charges one unit per
 * instruction, an lddw being one).
 */
TEST(jit_insn_limit_stops_where_the_interpreter_does)
{
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 0, 0, 0, 0),		/* 0: r0 = 0 */
		INSN(0xb7, 1, 0, 0, 0),		/* 1: r1 = 0 */
		INSN(0x07, 0, 0, 0, 1),		/* 2: r0 += 1 */
		UBF_LDDW(2, 0x100000000ull),	/* 3-4 */
		INSN(0x0f, 1, 2, 0, 0),		/* 5: r1 += r2 */
		INSN(0x55, 0, 0, 2, 7),		/* 6: if r0 != 7 goto 9 */
		INSN(0x07, 1, 0, 0, 3),		/* 7 */
		INSN(0x07, 1, 0, 0, 4),		/* 8 */
		INSN(0xa5, 0, 0, -8, 20),	/* 9: if r0 < 20 goto 2 */
		INSN(0x95, 0, 0, 0, 0),		/* 10 */
	};
	struct jit_case c = { .what = "budget", .insns = insns, .insn_cnt = UBF_ARRAY_SIZE(insns) };
	struct jit_outcome ref, got;
	uint64_t limit, enough = 0;
	char what[64];

	REQUIRE_JIT();
	c.what = what;
	for (limit = 1; limit < 140 && !ubf_test_failed(); limit++) {
		snprintf(what, sizeof(what), "budget %" PRIu64, limit);
		c.insn_limit = limit;
		c.skip_mem_on_fault = true;
		jit_diff_case(&c);
		ref = run_one(&c, 0);
		got = run_one(&c, 2);
		EXPECT_EQ_INT(got.err, ref.err);
		if (ref.err) {
			EXPECT_STREQ(got.diag_id, "run.insn_limit");
			EXPECT_EQ_INT(got.err, -E2BIG);
		} else if (!enough) {
			enough = limit;
		}
	}
	/* 2 + 19 * 5 + 7 + 1 instructions run: that many are enough, one fewer is not */
	EXPECT_EQ_U64(enough, 105);
	c.insn_limit = enough;
	EXPECT_OK(run_one(&c, 2).err);
	c.insn_limit = enough - 1;
	EXPECT_ERR(-E2BIG, run_one(&c, 2).err);
}

/* f(n) = n ? f(n - 1) + 1 : 0 with r6 live across the call, entered with depth @n. */
static void recursion(uint32_t n, int want_err)
{
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 1, 0, 0, (int32_t)n),	/* 0: r1 = n */
		INSN(0x85, 0, 1, 0, 2),			/* 1: call 4 */
		INSN(0x07, 0, 0, 0, 100),		/* 2: r0 += 100 */
		INSN(0x95, 0, 0, 0, 0),			/* 3 */
		INSN(0xbf, 6, 1, 0, 0),			/* 4: r6 = r1 */
		INSN(0xb7, 0, 0, 0, 0),			/* 5: r0 = 0 */
		INSN(0x15, 1, 0, 6, 0),			/* 6: if r1 == 0 goto 13 */
		INSN(0x07, 1, 0, 0, -1),		/* 7: r1 -= 1 */
		INSN(0x7b, 10, 6, -8, 0),		/* 8: *(u64 *)(r10 - 8) = r6 */
		INSN(0x85, 0, 1, 0, -6),		/* 9: call 4 */
		INSN(0x0f, 0, 6, 0, 0),			/* 10: r0 += r6 (callee restored it) */
		INSN(0x79, 2, 10, -8, 0),		/* 11: r2 = *(u64 *)(r10 - 8) */
		INSN(0x0f, 0, 2, 0, 0),			/* 12: r0 += r2 */
		INSN(0x95, 0, 0, 0, 0),			/* 13 */
	};
	struct jit_case c = { .what = "recursion", .insns = insns,
			      .insn_cnt = UBF_ARRAY_SIZE(insns), .skip_mem_on_fault = true,
			      .checked_only = want_err != 0 };
	struct jit_outcome o;

	jit_diff_case(&c);
	o = run_one(&c, 2);
	EXPECT_EQ_INT(o.err, want_err);
	if (want_err)
		EXPECT_STREQ(o.diag_id, "run.call_depth");
}

TEST(jit_call_depth_is_eight_frames)
{
	REQUIRE_JIT();
	recursion(0, 0);
	recursion(3, 0);
	recursion(6, 0);	/* frames 0..7 */
	recursion(7, -E2BIG);	/* a ninth frame */
	recursion(30, -E2BIG);
}

TEST(jit_callx_to_unknown_helper_faults)
{
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 3, 0, 0, 5),		/* r3 = 5: ktime_get_ns */
		INSN(0x8d, 3, 0, 0, 0),		/* callx r3 */
		INSN(0xb7, 0, 0, 0, 1),
		INSN(0xb7, 3, 0, 0, 99999),	/* no such helper */
		INSN(0x8d, 3, 0, 0, 0),
		INSN(0xb7, 0, 0, 0, 2),
		INSN(0x95, 0, 0, 0, 0),
	};
	struct jit_case c = { .what = "callx", .insns = insns, .insn_cnt = UBF_ARRAY_SIZE(insns) };
	struct jit_outcome o;
	size_t m;

	REQUIRE_JIT();
	jit_diff_case(&c);
	for (m = 2; m < jit_mode_cnt; m++) {
		o = run_one(&c, m);
		EXPECT_ERR(-EFAULT, o.err);
		EXPECT_STREQ(o.diag_id, "run.bad_callx");
		EXPECT_EQ_INT(o.diag_insn, 4);
	}
}

/* An out-of-bounds packet load two frames deep ends the program with r0 = 0. */
TEST(jit_packet_load_out_of_bounds_ends_from_a_subprogram)
{
	uint8_t pkt[8] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	struct ubf_raw_insn insns[] = {
		INSN(0x85, 0, 1, 0, 2),		/* 0: call 3 */
		INSN(0x07, 0, 0, 0, 1),		/* 1 */
		INSN(0x95, 0, 0, 0, 0),		/* 2 */
		INSN(0x85, 0, 1, 0, 1),		/* 3: call 5 */
		INSN(0x95, 0, 0, 0, 0),		/* 4 */
		INSN(0x28, 0, 0, 0, 6),		/* 5: r0 = ldabsh 6 */
		INSN(0x30, 0, 0, 0, 8),		/* 6: r0 = ldabsb 8: out */
		INSN(0x95, 0, 0, 0, 0),
	};
	struct jit_case c = { .what = "ldabs", .insns = insns, .insn_cnt = UBF_ARRAY_SIZE(insns),
			      .mem = pkt, .mem_sz = sizeof(pkt) };
	struct jit_outcome o;

	REQUIRE_JIT();
	jit_diff_case(&c);
	o = run_one(&c, 3);
	EXPECT_OK(o.err);
	EXPECT_EQ_U64(o.r0, 0);
	insns[6] = INSN(0x30, 0, 0, 0, 7);	/* in bounds: 0xf0, then +1 */
	jit_diff_case(&c);
	EXPECT_EQ_U64(run_one(&c, 3).r0, 0xf1);
}

/* ---------------------------------------------------------------- helpers */

/* Faults like a helper that finds a bad buffer: through the run, at the calling insn. */
static uint64_t faulting_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				struct ubf_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5;
	if (r1 == 13 && run->is_checked)
		ubf_run_fault(run, run->helper_pc, -EFAULT, "run.mem_oob", "helper says no");
	return r1 + 1;
}

static uint64_t sum_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			   struct ubf_run *run)
{
	(void)run;
	return r1 + (r2 << 8) + (r3 << 16) + (r4 << 24) + (r5 << 32);
}

static struct ubf_env *test_env(void)
{
	struct ubf_helper h1 = { .id = 2000, .name = "faulting", .fn = faulting_helper };
	struct ubf_helper h2 = { .id = 2001, .name = "sum", .fn = sum_helper };
	struct ubf_env *env = NULL;

	if (ubf_env_new(&env) || ubf_env_add_helper(env, &h1) || ubf_env_add_helper(env, &h2))
		abort();
	return env;
}

TEST(jit_helper_fault_ends_checked_run)
{
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 1, 0, 0, 12),
		INSN(0x85, 0, 0, 0, 2000),	/* 1: fine */
		INSN(0xbf, 1, 0, 0, 0),		/* r1 = r0 = 13 */
		INSN(0x85, 0, 0, 0, 2000),	/* 3: faults in checked mode */
		INSN(0x07, 0, 0, 0, 100),
		INSN(0x95, 0, 0, 0, 0),
	};
	struct ubf_env *env = test_env();
	struct jit_case c = { .what = "helper fault", .insns = insns,
			      .insn_cnt = UBF_ARRAY_SIZE(insns), .env = env };
	struct jit_outcome o;

	REQUIRE_JIT();
	jit_diff_case(&c);
	o = run_one(&c, 2);
	EXPECT_ERR(-EFAULT, o.err);
	EXPECT_STREQ(o.diag_id, "run.mem_oob");
	EXPECT_EQ_INT(o.diag_insn, 3);
	o = run_one(&c, 3);
	EXPECT_OK(o.err);
	EXPECT_EQ_U64(o.r0, 114);
	ubf_env_free(env);
}

/*
 * Checked runs keep r1-r5 across a call, as the interpreter does (an
 * unverified program may read them); a verified program never does.
 */
TEST(jit_checked_call_keeps_argument_registers)
{
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 1, 0, 0, 1), INSN(0xb7, 2, 0, 0, 2), INSN(0xb7, 3, 0, 0, 3),
		INSN(0xb7, 4, 0, 0, 4), INSN(0xb7, 5, 0, 0, 5),
		INSN(0x85, 0, 0, 0, 2001),
		INSN(0x0f, 0, 1, 0, 0), INSN(0x0f, 0, 2, 0, 0), INSN(0x0f, 0, 3, 0, 0),
		INSN(0x0f, 0, 4, 0, 0), INSN(0x0f, 0, 5, 0, 0),
		INSN(0x95, 0, 0, 0, 0),
	};
	struct ubf_env *env = test_env();
	struct jit_case c = { .what = "args kept", .insns = insns,
			      .insn_cnt = UBF_ARRAY_SIZE(insns), .env = env };
	struct jit_outcome ref = run_one(&c, 0), got = run_one(&c, 2);

	REQUIRE_JIT();
	EXPECT_OK(got.err);
	EXPECT_EQ_U64(got.r0, ref.r0);
	EXPECT_EQ_U64(got.r0, 0x504030201ull + 15);
	ubf_env_free(env);
}

/* ---------------------------------------------------------------- tail calls */

struct tail_targets {
	struct ubf_prog *next;		/* the program a tail call goes to */
};

/* A tail-call helper for tests only: the target comes from the run's cookie. */
static uint64_t tail_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct ubf_run *run)
{
	struct tail_targets *t = ubf_run_cookie(run);

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	if (r2 == 0)
		return 7;	/* "index out of range": no tail call, go on */
	run->tail_call = t->next;
	return 0;
}

static int tail_run(const struct ubf_env *env, uint32_t engine, uint32_t flags,
		    uint32_t next_engine, uint64_t arg, uint64_t *r0, struct ubf_diag *diag)
{
	/* caller: r6 = 1000; call sub; sub: r2 = arg; tail call; r0 = 55 (only if no tail call) */
	struct ubf_raw_insn caller[] = {
		INSN(0xb7, 6, 0, 0, 1000),
		UBF_LDDW(2, arg),
		INSN(0x85, 0, 1, 0, 2),			/* call 6 */
		INSN(0x0f, 0, 6, 0, 0),			/* r0 += r6 */
		INSN(0x95, 0, 0, 0, 0),
		INSN(0xb7, 6, 0, 0, 1),			/* 6: sub: r6 = 1 (restored on return) */
		INSN(0x85, 0, 0, 0, 3000),		/* tail call */
		INSN(0x07, 0, 0, 0, 55),
		INSN(0x95, 0, 0, 0, 0),
	};
	/*
	 * target: r0 = 20000 + (r1, the context, kept: 1) + r6 (the subprogram
	 * set 1), then + 5 from a subprogram of its own that uses r7 and r10
	 */
	struct ubf_raw_insn target[] = {
		INSN(0xb7, 0, 0, 0, 20000),
		INSN(0x15, 1, 0, 1, 0),
		INSN(0x07, 0, 0, 0, 1),
		INSN(0x0f, 0, 6, 0, 0),
		INSN(0xbf, 7, 0, 0, 0),		/* r7 = r0 */
		INSN(0x85, 0, 1, 0, 2),		/* call 8 */
		INSN(0x0f, 0, 7, 0, 0),		/* r0 += r7 */
		INSN(0x95, 0, 0, 0, 0),
		INSN(0xb7, 7, 0, 0, 5),		/* 8 */
		INSN(0x7b, 10, 7, -8, 0),
		INSN(0x79, 0, 10, -8, 0),
		INSN(0x95, 0, 0, 0, 0),
	};
	struct tail_targets t = { 0 };
	struct ubf_prog *prog = NULL;
	UBF_OPTS(ubf_prog_opts, opts, .env = env, .flags = flags, .engine = engine);
	UBF_OPTS(ubf_prog_opts, topts, .env = env, .flags = flags, .engine = next_engine);
	UBF_OPTS(ubf_run_opts, ropts, .diag = diag, .cookie = &t);
	uint8_t mem[8];
	int err;

	err = ubf_prog_load(&prog, caller, UBF_ARRAY_SIZE(caller), &opts);
	if (!err)
		err = ubf_prog_load(&t.next, target, UBF_ARRAY_SIZE(target), &topts);
	if (!err)
		err = ubf_prog_run(prog, mem, 0, r0, &ropts);
	ubf_prog_free(t.next);
	ubf_prog_free(prog);
	return err;
}

TEST(jit_tail_call_replaces_the_running_subprogram)
{
	struct ubf_helper h = { .id = 3000, .name = "tail", .fn = tail_helper,
				.proto = { .flags = UBF_HF_TAIL_CALL } };
	struct ubf_env *env = NULL;
	struct ubf_diag diag = { 0 };
	uint64_t r0, ref;
	size_t m;

	REQUIRE_JIT();
	ASSERT_OK(ubf_env_new(&env));
	ASSERT_OK(ubf_env_add_helper(env, &h));
	for (m = 0; m < jit_mode_cnt; m++) {
		uint32_t e = jit_modes[m].engine, f = jit_modes[m].flags;

		/* the target returns to the subprogram's caller, which restores r6 */
		ASSERT_OK(tail_run(env, e, f, e, 1, &r0, &diag));
		EXPECT_EQ_U64(r0, 20000 + 1 + 1 + 5 + 1000);
		/* no tail call: the subprogram goes on */
		ASSERT_OK(tail_run(env, e, f, e, 0, &ref, &diag));
		EXPECT_EQ_U64(ref, 7 + 55 + 1000);
	}
	/* the target must run on the same engine */
	EXPECT_ERR(-EFAULT, tail_run(env, UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED, UBF_ENGINE_INTERP, 1,
				     &r0, &diag));
	EXPECT_STREQ(diag.id, "run.bad_tail_call");
	EXPECT_EQ_INT(diag.insn_idx, 7);
	ubf_env_free(env);
}

/* ---------------------------------------------------------------- frames, branches */

/* A callee writes through a pointer into its caller's frame and reads its own r10. */
TEST(jit_frames_are_512_bytes_apart)
{
	struct ubf_raw_insn insns[] = {
		INSN(0x7a, 10, 0, -8, 11),		/* 0: *(u64 *)(r10 - 8) = 11 */
		INSN(0xbf, 1, 10, 0, 0),		/* r1 = r10 */
		INSN(0x85, 0, 1, 0, 4),			/* call 7 */
		INSN(0x79, 2, 10, -8, 0),		/* r2 = *(u64 *)(r10 - 8) */
		INSN(0x0f, 0, 2, 0, 0),
		INSN(0x95, 0, 0, 0, 0),
		INSN(0x95, 0, 0, 0, 0),
		INSN(0x7a, 1, 0, -8, 22),		/* 7: *(u64 *)(r1 - 8) = 22 */
		INSN(0x7a, 10, 0, -8, 33),		/* own frame */
		INSN(0xbf, 0, 1, 0, 0),
		INSN(0x1f, 0, 10, 0, 0),		/* r0 = caller r10 - own r10 */
		INSN(0x79, 3, 10, -8, 0),
		INSN(0x0f, 0, 3, 0, 0),
		INSN(0x95, 0, 0, 0, 0),
	};
	struct jit_case c = { .what = "frames", .insns = insns, .insn_cnt = UBF_ARRAY_SIZE(insns) };

	REQUIRE_JIT();
	jit_diff_case(&c);
	EXPECT_EQ_U64(run_one(&c, 3).r0, 512 + 33 + 22);
	EXPECT_EQ_U64(run_one(&c, 2).r0, 512 + 33 + 22);
}

/* A loop back to a subprogram's first instruction does not run its entry again. */
TEST(jit_loop_to_a_subprogram_start)
{
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 1, 0, 0, 5),
		INSN(0xb7, 6, 0, 0, 100),
		INSN(0x85, 0, 1, 0, 2),		/* call 5 */
		INSN(0x0f, 0, 6, 0, 0),		/* r0 += r6: kept by the callee */
		INSN(0x95, 0, 0, 0, 0),
		INSN(0x0f, 0, 1, 0, 0),		/* 5: r0 += r1 */
		INSN(0xb7, 6, 0, 0, 7),		/* the callee uses r6 */
		INSN(0x07, 1, 0, 0, -1),
		INSN(0x55, 1, 0, -4, 0),	/* if r1 != 0 goto 5 */
		INSN(0x95, 0, 0, 0, 0),
	};
	struct jit_case c = { .what = "loop to entry", .insns = insns,
			      .insn_cnt = UBF_ARRAY_SIZE(insns) };

	REQUIRE_JIT();
	jit_diff_case(&c);
	EXPECT_EQ_U64(run_one(&c, 3).r0, 15 + 100);
}

/* The program calling itself at instruction 0, with r2 (the memory size) as the count. */
TEST(jit_call_to_instruction_zero)
{
	struct ubf_raw_insn insns[] = {
		INSN(0x15, 2, 0, 4, 0),		/* 0: if r2 == 0 goto 5 */
		INSN(0x07, 2, 0, 0, -1),	/* r2 -= 1 */
		INSN(0x85, 0, 1, 0, -3),	/* call 0 */
		INSN(0x07, 0, 0, 0, 10),	/* r0 += 10 */
		INSN(0x95, 0, 0, 0, 0),
		INSN(0xb7, 0, 0, 0, 1),		/* 5: r0 = 1 */
		INSN(0x95, 0, 0, 0, 0),
	};
	uint8_t mem[3] = { 0 };
	struct jit_case c = { .what = "call 0", .insns = insns, .insn_cnt = UBF_ARRAY_SIZE(insns),
			      .mem = mem, .mem_sz = sizeof(mem) };

	REQUIRE_JIT();
	jit_diff_case(&c);
	EXPECT_EQ_U64(run_one(&c, 3).r0, 31);
	EXPECT_EQ_U64(run_one(&c, 2).r0, 31);
}

/* Registers the program reads before writing start at 0, as in the interpreter. */
TEST(jit_registers_start_at_zero)
{
	struct ubf_raw_insn insns[] = {
		INSN(0xbf, 0, 3, 0, 0), INSN(0x4f, 0, 4, 0, 0), INSN(0x4f, 0, 5, 0, 0),
		INSN(0x4f, 0, 6, 0, 0), INSN(0x4f, 0, 7, 0, 0), INSN(0x4f, 0, 8, 0, 0),
		INSN(0x4f, 0, 9, 0, 0), INSN(0x07, 0, 0, 0, 9), INSN(0x95, 0, 0, 0, 0),
	};

	REQUIRE_JIT();
	diff("zero registers", insns, UBF_ARRAY_SIZE(insns), NULL, 0);
}

/*
 * Forward and backward jumps over 0..80 three-byte instructions: the
 * distances cross the rel8 limit at every alignment, in every shrinking pass.
 */
TEST(jit_branches_around_the_rel8_limit)
{
	struct prog_buf pb = { 0 };
	char what[64];
	unsigned n, i;

	REQUIRE_JIT();
	for (n = 30; n < 52 && !ubf_test_failed(); n++) {
		pb.cnt = 0;
		pb_add(&pb, INSN(0xb7, 0, 0, 0, 0));
		pb_add(&pb, INSN(0xb7, 1, 0, 0, 3));
		/* forward: skip n adds when r1 == 3; the backward loop below runs 3 times */
		pb_add(&pb, INSN(0x15, 1, 0, (int16_t)n, 3));
		for (i = 0; i < n; i++)
			pb_add(&pb, INSN(0x0f, 0, 1, 0, 0));	/* r0 += r1: 3 bytes */
		pb_add(&pb, INSN(0x07, 0, 0, 0, 1));
		for (i = 0; i < n; i++)
			pb_add(&pb, INSN(0x0f, 0, 0, 0, 0));	/* r0 += r0 */
		pb_add(&pb, INSN(0x07, 1, 0, 0, -1));
		pb_add(&pb, INSN(0x55, 1, 0, (int16_t)-(n + 3), 0));
		pb_add(&pb, INSN(0x95, 0, 0, 0, 0));
		snprintf(what, sizeof(what), "jumps over %u instructions", n);
		diff(what, pb.insns, pb.cnt, NULL, 0);
	}
	pb_free(&pb);
}

/* may_goto allows UBF_MAY_GOTO_BUDGET iterations per run, then jumps. */
TEST(jit_may_goto_budget)
{
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 0, 0, 0, 0),
		INSN(0xe5, 0, 0, 2, 0),		/* 1: may_goto +2 */
		INSN(0x07, 0, 0, 0, 1),
		INSN(0x05, 0, 0, -3, 0),	/* goto 1 */
		INSN(0x95, 0, 0, 0, 0),
	};
	struct jit_case c = { .what = "may_goto", .insns = insns,
			      .insn_cnt = UBF_ARRAY_SIZE(insns) };

	REQUIRE_JIT();
	EXPECT_EQ_U64(run_one(&c, 3).r0, UBF_MAY_GOTO_BUDGET);
	EXPECT_EQ_U64(run_one(&c, 5).r0, UBF_MAY_GOTO_BUDGET);
	EXPECT_EQ_U64(run_one(&c, 1).r0, UBF_MAY_GOTO_BUDGET);
}

/* ---------------------------------------------------------------- only the JIT */

static struct ubf_prog *load(const struct ubf_raw_insn *insns, size_t cnt, uint32_t flags)
{
	struct ubf_prog *prog = NULL;
	UBF_OPTS(ubf_prog_opts, opts, .flags = flags, .engine = UBF_ENGINE_JIT);

	return ubf_prog_load(&prog, insns, cnt, &opts) ? NULL : prog;
}

static bool code_has(const struct ubf_prog *prog, const void *pat, size_t n)
{
	size_t sz, i;
	const uint8_t *code = ubf_jit_code(prog->jit, &sz);

	for (i = 0; i + n <= sz; i++) {
		if (!memcmp(code + i, pat, n))
			return true;
	}
	return false;
}

/* With UBF_PROG_F_BLIND_CONST no immediate of the program appears in its code. */
TEST(jit_blinding_hides_immediates)
{
	static const uint32_t k = 0x5a17c3e9;
	static const uint64_t k64 = 0x1122334455667788ull;
	struct ubf_raw_insn insns[] = {
		INSN(0xb7, 0, 0, 0, (int32_t)k),	/* mov */
		INSN(0x07, 0, 0, 0, (int32_t)k),	/* add */
		INSN(0xa7, 1, 0, 0, (int32_t)k),	/* xor */
		INSN(0x27, 1, 0, 0, (int32_t)k),	/* mul */
		INSN(0x37, 1, 0, 0, (int32_t)k),	/* div */
		INSN(0x15, 0, 0, 1, (int32_t)k),	/* jeq */
		INSN(0x45, 0, 0, 0, (int32_t)k),	/* jset */
		INSN(0x62, 10, 0, -8, (int32_t)k),	/* stw */
		UBF_LDDW(2, k64),
		INSN(0x40, 0, 3, 0, (int32_t)k),	/* ldindw */
		INSN(0x20, 0, 0, 0, (int32_t)k),	/* ldabsw */
		INSN(0x95, 0, 0, 0, 0),
	};
	uint32_t flags[] = { UBF_PROG_F_TRUSTED, UBF_PROG_F_CHECKED };
	struct ubf_prog *plain, *blind;
	size_t i;

	REQUIRE_JIT();
	for (i = 0; i < 2; i++) {
		plain = load(insns, UBF_ARRAY_SIZE(insns), flags[i]);
		blind = load(insns, UBF_ARRAY_SIZE(insns), flags[i] | UBF_PROG_F_BLIND_CONST);
		ASSERT_TRUE(plain && blind);
		EXPECT_TRUE(code_has(plain, &k, 4));	/* the test can fail */
		EXPECT_TRUE(code_has(plain, &k64, 8));
		EXPECT_TRUE(!code_has(blind, &k, 4));
		EXPECT_TRUE(!code_has(blind, &k64, 8));
		EXPECT_TRUE(!code_has(blind, (const uint8_t *)&k64 + 4, 4));
		ubf_prog_free(plain);
		ubf_prog_free(blind);
	}
	diff("blinded", insns, UBF_ARRAY_SIZE(insns), NULL, 0);
}

/* The code is mapped read-execute, never writable. */
TEST(jit_code_is_not_writable)
{
	REQUIRE_JIT();
	struct ubf_raw_insn insns[] = { INSN(0xb7, 0, 0, 0, 1), INSN(0x95, 0, 0, 0, 0) };
	struct ubf_prog *prog = load(insns, 2, UBF_PROG_F_TRUSTED);
	char line[512], perms[8];
	uintptr_t lo, hi, code;
	bool found = false;
	size_t sz;
	FILE *f;

	ASSERT_TRUE(prog != NULL);
	code = (uintptr_t)ubf_jit_code(prog->jit, &sz);
	f = fopen("/proc/self/maps", "r");
	if (!f) {
		ubf_prog_free(prog);
		SKIP("no /proc/self/maps");
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s", &lo, &hi, perms) != 3)
			continue;
		if (code >= lo && code < hi) {
			found = true;
			EXPECT_STREQ(perms, "r-xp");
		}
	}
	fclose(f);
	EXPECT_TRUE(found);
	ubf_prog_free(prog);
}

TEST(jit_is_available_on_x86_64)
{
#if defined(__x86_64__)
	EXPECT_TRUE(ubf_jit_available());
#else
	EXPECT_TRUE(!ubf_jit_available());
#endif
}

/* The direct entry (no struct ubf_run) gives what a full run gives. */
TEST(jit_direct_entry_matches_full_run)
{
	uint8_t pkt[4] = { 1, 2, 3, 4 }, mem[4];
	struct ubf_raw_insn insns[] = {
		INSN(0x7a, 10, 0, -8, 40),		/* 0: *(u64 *)(r10 - 8) = 40 */
		INSN(0x79, 6, 10, -8, 0),		/* r6 = 40 */
		INSN(0x85, 0, 1, 0, 6),			/* call 9 */
		INSN(0x0f, 0, 6, 0, 0),
		INSN(0xe5, 0, 0, 1, 0),			/* may_goto +1 */
		INSN(0x07, 0, 0, 0, 1000),
		INSN(0x28, 0, 0, 0, 2),			/* r0 = ldabsh 2 */
		INSN(0x0f, 0, 6, 0, 0),
		INSN(0x95, 0, 0, 0, 0),
		INSN(0x7a, 10, 0, -8, 2),		/* 9: own frame */
		INSN(0x79, 0, 10, -8, 0),
		INSN(0x95, 0, 0, 0, 0),
	};
	struct ubf_prog *prog = load(insns, UBF_ARRAY_SIZE(insns), UBF_PROG_F_TRUSTED);
	uint64_t a = 0, b = 0;

	REQUIRE_JIT();
	ASSERT_TRUE(prog != NULL);
	EXPECT_TRUE(ubf_jit_is_direct(prog->jit));
	memcpy(mem, pkt, sizeof(mem));
	EXPECT_OK(ubf_prog_run(prog, mem, sizeof(mem), &a, NULL));
	EXPECT_OK(ubf_jit_run_direct(prog, mem, sizeof(mem), &b));
	EXPECT_EQ_U64(a, 0x0304 + 40);
	EXPECT_EQ_U64(b, a);
	EXPECT_OK(ubf_jit_run_direct(prog, mem, 2, &b));	/* the packet load is out */
	EXPECT_EQ_U64(b, 0);
	ubf_prog_free(prog);
	/* what needs a run is not direct */
	insns[5] = INSN(0x85, 0, 0, 0, 5);	/* call ktime_get_ns */
	prog = load(insns, UBF_ARRAY_SIZE(insns), UBF_PROG_F_TRUSTED);
	ASSERT_TRUE(prog != NULL);
	EXPECT_TRUE(!ubf_jit_is_direct(prog->jit));
	ubf_prog_free(prog);
	insns[5] = INSN(0x07, 0, 0, 0, 1000);
	prog = load(insns, UBF_ARRAY_SIZE(insns), UBF_PROG_F_CHECKED);
	ASSERT_TRUE(prog != NULL);
	EXPECT_TRUE(!ubf_jit_is_direct(prog->jit));
	ubf_prog_free(prog);
}

/*
 * ubf_prog_native_fn(): a plain function for trusted JIT code that needs
 * no context, computing what ubf_prog_run() computes; NULL for everything else.
 */
TEST(jit_native_fn_only_for_context_free_code)
{
	struct ubf_raw_insn sum[] = {
		INSN(0xbf, 0, 2, 0, 0),		/* r0 = r2 */
		INSN(0x07, 0, 0, 0, 40),	/* r0 += 40 */
		INSN(0x95, 0, 0, 0, 0),
	};
	struct ubf_raw_insn stack[] = {
		INSN(0x7b, 10, 2, -8, 0),	/* *(u64 *)(r10 - 8) = r2 */
		INSN(0x79, 0, 10, -8, 0),	/* r0 = *(u64 *)(r10 - 8) */
		INSN(0x95, 0, 0, 0, 0),
	};
	struct ubf_prog *trusted, *checked, *framed, *interp = NULL;
	UBF_OPTS(ubf_prog_opts, iopts, .flags = UBF_PROG_F_TRUSTED, .engine = UBF_ENGINE_INTERP);
	ubf_native_fn fn;
	uint64_t r0 = 0;

	REQUIRE_JIT();
	trusted = load(sum, UBF_ARRAY_SIZE(sum), UBF_PROG_F_TRUSTED);
	checked = load(sum, UBF_ARRAY_SIZE(sum), UBF_PROG_F_CHECKED);
	framed = load(stack, UBF_ARRAY_SIZE(stack), UBF_PROG_F_TRUSTED);
	ASSERT_OK(ubf_prog_load(&interp, sum, UBF_ARRAY_SIZE(sum), &iopts));
	ASSERT_TRUE(trusted && checked && framed);
	fn = ubf_prog_native_fn(trusted);
	ASSERT_TRUE(fn != NULL);
	EXPECT_EQ_U64(fn(NULL, 2), 42);
	ASSERT_OK(ubf_prog_run(trusted, NULL, 0, &r0, NULL));
	EXPECT_EQ_U64(r0, 40);
	EXPECT_TRUE(ubf_prog_native_fn(checked) == NULL);
	EXPECT_TRUE(ubf_prog_native_fn(framed) == NULL);
	EXPECT_TRUE(ubf_prog_native_fn(interp) == NULL);
	EXPECT_TRUE(ubf_prog_native_fn(NULL) == NULL);
	ubf_prog_free(trusted);
	ubf_prog_free(checked);
	ubf_prog_free(framed);
	ubf_prog_free(interp);
}
