// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers_maps_cb.c - the helpers that call back into the program
 * (loop, for_each_map_elem, user_ringbuf_drain) on every engine:
 * Linux's argument lists and stop rules, callbacks that stop early,
 * nested callbacks on their own frames, the call depth limit, the
 * checked-mode budget shared with callbacks, and the faults for a value
 * that is no callback or a write to the read-only key.
 */
#include "test_helpers_maps.h"

#define ENG_LOOP(e)                                                                    \
	for (const struct vm_engine *e = vm_engines; e < vm_engines + VM_ENGINE_CNT; e++) \
		if (vm_engine_available(e))

/*
 * loop(nr, cb, &sum, flags); the callback adds i to sum and stops after
 * i == 5.  mem[0] = loop's result, mem[1] = sum.
 */
static int run_loop(const struct vm_engine *e, int32_t nr, int32_t flags, uint64_t insn_limit,
		    struct hm_run *r)
{
	return hm_run(e, PROG(MOV_X(6, 1), ST_K(STDW, 10, -8, 0), MOV_K(1, nr), FUNC(2, 10),
			      FP(3, -8), MOV_K(4, flags), CALL(181), STX64(6, 0, 0),
			      LDX64(1, 10, -8), STX64(6, 1, 8), MOV_K(0, 0), EXIT(),
			      /* 14: callback(i, ctx) */
			      LDX64(3, 2, 0), ALU_X(ADD64_REG, 3, 1), STX64(2, 3, 0), MOV_K(0, 0),
			      JMP_K(JNE64_IMM, 1, 5, 1), MOV_K(0, 1), EXIT()),
		      insn_limit, r);
}

TEST(helpers_maps_loop)
{
	ENG_LOOP(e)
	{
		struct hm_run r;

		ASSERT_OK(run_loop(e, 10, 0, 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 6);	/* stopped early: the stopping call counts */
		EXPECT_EQ_U64(r.mem[1], 15);
		ASSERT_OK(run_loop(e, 3, 0, 0, &r));
		EXPECT_EQ_U64(r.mem[0], 3);
		EXPECT_EQ_U64(r.mem[1], 3);
		ASSERT_OK(run_loop(e, 0, 0, 0, &r));
		EXPECT_EQ_U64(r.mem[0], 0);
		ASSERT_OK(run_loop(e, (1 << 23) + 1, 0, 0, &r));
		EXPECT_EQ_U64(r.mem[0], (uint64_t)-E2BIG);
		ASSERT_OK(run_loop(e, 3, 1, 0, &r));
		EXPECT_EQ_U64(r.mem[0], (uint64_t)-EINVAL);
		EXPECT_EQ_U64(r.mem[1], 0);
	}
}

/* The callback's instructions count against a checked run's budget. */
TEST(helpers_maps_loop_budget)
{
	ENG_LOOP(e)
	{
		struct hm_run r;

		if (!hm_is_checked(e))
			continue;
		ASSERT_OK(run_loop(e, 1 << 23, 0, 1000, &r));
		EXPECT_OK(r.err);	/* stops at i == 5 */
		ASSERT_OK(hm_run(e, PROG(MOV_K(1, 1 << 23), FUNC(2, 5), MOV_K(3, 0), MOV_K(4, 0),
					 CALL(181), EXIT(),
					 /* 7: callback */
					 MOV_K(0, 0), EXIT()),
				 1000, &r));
		EXPECT_ERR(-E2BIG, r.err);
		EXPECT_STREQ(r.diag.id, "run.insn_limit");
	}
}

/*
 * A callback that runs a loop of its own: 3 x 4 increments of the main
 * frame's counter, while the outer callback scribbles on its own frame,
 * which must not be the main one.
 */
TEST(helpers_maps_loop_nested)
{
	ENG_LOOP(e)
	{
		struct hm_run r;

		ASSERT_OK(hm_run(e, PROG(MOV_X(6, 1), ST_K(STDW, 10, -8, 0), MOV_K(1, 3),
					 FUNC(2, 7), FP(3, -8), MOV_K(4, 0), CALL(181),
					 LDX64(0, 10, -8), EXIT(),
					 /* 11: outer(i, ctx) */
					 ST_K(STDW, 10, -8, 777), MOV_X(3, 2), MOV_K(1, 4), FUNC(2, 6),
					 MOV_K(4, 0), CALL(181), LDX64(0, 10, -8), ALU_K(SUB64_IMM, 0, 777),
					 EXIT(),
					 /* 21: inner(i, ctx) */
					 LDX64(3, 2, 0), ALU_K(ADD64_IMM, 3, 1), STX64(2, 3, 0), MOV_K(0, 0),
					 EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.r0, 12);
	}
}

/* A callback that calls itself through loop runs out of frames at the ninth. */
TEST(helpers_maps_callback_depth)
{
	ENG_LOOP(e)
	{
		struct hm_run r;

		if (!hm_is_checked(e))
			continue;
		ASSERT_OK(hm_run(e, PROG(MOV_K(1, 1), FUNC(2, 5), MOV_K(3, 0), MOV_K(4, 0),
					 CALL(181), EXIT(),
					 /* 7: callback */
					 MOV_K(1, 1), FUNC(2, -2), MOV_K(3, 0), MOV_K(4, 0), CALL(181),
					 EXIT()),
				 0, &r));
		EXPECT_ERR(-E2BIG, r.err);
		EXPECT_STREQ(r.diag.id, "run.call_depth");
		EXPECT_EQ_INT(r.diag.insn_idx, 12);
	}
}

/* Checked runs: a callback must be a subprogram the program loaded with lddw src=4. */
TEST(helpers_maps_bad_callback)
{
	ENG_LOOP(e)
	{
		struct hm_run r;

		if (!hm_is_checked(e))
			continue;
		ASSERT_OK(hm_run(e, PROG(MOV_K(1, 1), MOV_K(2, 5), MOV_K(3, 0), MOV_K(4, 0),
					 CALL(181), EXIT(), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EINVAL, r.err);
		EXPECT_STREQ(r.diag.id, "run.bad_callback");
		EXPECT_EQ_INT(r.diag.insn_idx, 4);
	}
}

/*
 * for_each_map_elem on an array of 10, 20, 30, 40: the callback doubles
 * each value, sums values and keys into ctx, and stops at key 2.
 */
TEST(helpers_maps_for_each_array)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_ARRAY, 4, 8, 4);
		static const uint64_t want[4] = { 20, 40, 60, 40 };
		uint32_t k;
		uint64_t v;
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		for (k = 0; k < 4; k++) {
			v = 10 * (k + 1);
			ASSERT_OK(ubf_map_update_elem(m, &k, &v, UBF_ANY));
		}
		ASSERT_OK(hm_run(e, PROG(MOV_X(6, 1), MAP(1, m), FUNC(2, 7), MOV_X(3, 6),
					 MOV_K(4, 0), CALL(164), STX64(6, 0, 16), MOV_K(0, 0), EXIT(),
					 /* 11: callback(map, key, value, ctx) */
					 LDX64(5, 3, 0), MOV_X(0, 5), ALU_K(MUL64_IMM, 0, 2),
					 STX64(3, 0, 0), LDX64(0, 4, 0), ALU_X(ADD64_REG, 0, 5),
					 STX64(4, 0, 0), MEM(LDXW, 5, 2, 0), LDX64(0, 4, 8),
					 ALU_X(ADD64_REG, 0, 5), STX64(4, 0, 8), MOV_K(0, 0),
					 JMP_K(JNE64_IMM, 5, 2, 1), MOV_K(0, 1), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 60);
		EXPECT_EQ_U64(r.mem[1], 3);
		EXPECT_EQ_U64(r.mem[2], 3);
		for (k = 0; k < 4; k++) {
			ASSERT_OK(ubf_map_lookup_elem(m, &k, &v));
			EXPECT_EQ_U64(v, want[k]);
		}
		ubf_map_free(m);
	}
}

/* A hash map: every element once; flags must be 0; the key is read-only to checked runs. */
TEST(helpers_maps_for_each_hash)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_HASH, 4, 8, 8);
		uint32_t k;
		uint64_t v;
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		for (k = 1; k <= 3; k++) {
			v = 10 * k;
			ASSERT_OK(ubf_map_update_elem(m, &k, &v, UBF_ANY));
		}
		ASSERT_OK(hm_run(e, PROG(MOV_X(6, 1), MAP(1, m), FUNC(2, 15), MOV_X(3, 6),
					 MOV_K(4, 0), CALL(164), STX64(6, 0, 16),
					 MAP(1, m), FUNC(2, 7), MOV_X(3, 6), MOV_K(4, 1), CALL(164),
					 STX64(6, 0, 24), MOV_K(0, 0), EXIT(),
					 /* 19: callback */
					 LDX64(5, 3, 0), LDX64(0, 4, 0), ALU_X(ADD64_REG, 0, 5),
					 STX64(4, 0, 0), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 60);
		EXPECT_EQ_U64(r.mem[2], 3);
		EXPECT_EQ_U64(r.mem[3], (uint64_t)-EINVAL);
		if (hm_is_checked(e)) {
			ASSERT_OK(hm_run(e, PROG(MAP(1, m), FUNC(2, 5), MOV_K(3, 0), MOV_K(4, 0),
						 CALL(164), EXIT(),
						 /* 8: callback writes the key */
						 ST_K(STW, 2, 0, 5), MOV_K(0, 0), EXIT()),
					 0, &r));
			EXPECT_ERR(-EFAULT, r.err);
			EXPECT_STREQ(r.diag.id, "run.mem_readonly");
			EXPECT_EQ_INT(r.diag.insn_idx, 8);
		}
		ubf_map_free(m);
	}
}

/* Samples user space submitted reach the callback as read-only dynptrs, in order. */
TEST(helpers_maps_user_ringbuf_drain)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_USER_RINGBUF, 0, 0, 4096);
		uint64_t i;
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		for (i = 1; i <= 3; i++) {
			void *p = NULL;

			ASSERT_OK(ubf_user_ringbuf_reserve(m, 8, &p));
			memcpy(p, &i, 8);
			ubf_user_ringbuf_submit(m, p);
		}
		ASSERT_OK(hm_run(e, PROG(MOV_X(6, 1), MAP(1, m), FUNC(2, 5), MOV_X(3, 6),
					 MOV_K(4, 0), CALL(209), EXIT(),
					 /* 9: callback(dynptr, ctx) */
					 LDX64(3, 1, 0), MEM(LDXW, 4, 1, 8), ALU_K(AND64_IMM, 4, 0xffffff),
					 LDX64(5, 3, 0), LDX64(0, 2, 0), ALU_K(MUL64_IMM, 0, 10),
					 ALU_X(ADD64_REG, 0, 5), STX64(2, 0, 0), LDX64(0, 2, 8),
					 ALU_X(ADD64_REG, 0, 4), STX64(2, 0, 8), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.r0, 3);
		EXPECT_EQ_U64(r.mem[0], 123);
		EXPECT_EQ_U64(r.mem[1], 24);
		if (hm_is_checked(e)) {
			void *p = NULL;

			ASSERT_OK(ubf_user_ringbuf_reserve(m, 8, &p));
			ubf_user_ringbuf_submit(m, p);
			ASSERT_OK(hm_run(e, PROG(MAP(1, m), FUNC(2, 5), MOV_K(3, 0), MOV_K(4, 0),
						 CALL(209), EXIT(),
						 /* 8: reads 8 bytes past the sample */
						 LDX64(3, 1, 0), LDX64(0, 3, 8), MOV_K(0, 0), EXIT()),
					 0, &r));
			EXPECT_ERR(-EFAULT, r.err);
			EXPECT_STREQ(r.diag.id, "run.mem_oob");
		}
		ubf_map_free(m);
	}
}

/* A callback helper reached through callx (the helper ID in a register) calls back too. */
TEST(helpers_maps_loop_callx)
{
	ENG_LOOP(e)
	{
		struct hm_run r;

		ASSERT_OK(hm_run(e, PROG(ST_K(STDW, 10, -8, 0), MOV_K(1, 4), FUNC(2, 12), FP(3, -8),
					 MOV_K(4, 0), MOV_K(5, 181), I(CALLX, 5, 0, 0, 0), STX64(10, 0, -16),
					 LDX64(0, 10, -8), LDX64(1, 10, -16), ALU_K(MUL64_IMM, 1, 100),
					 ALU_X(ADD64_REG, 0, 1), EXIT(),
					 /* 15: callback */
					 LDX64(3, 2, 0), ALU_K(ADD64_IMM, 3, 1), STX64(2, 3, 0), MOV_K(0, 0),
					 EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.r0, 404);
	}
}
