// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers_linux_dynptr.c - the dynptr helpers (dynptr_from_mem,
 * dynptr_read, dynptr_write, dynptr_data) on every engine, with Linux
 * 6.1's results: the 16-byte struct bpf_dynptr layout, -E2BIG for a span
 * past the end, -EINVAL for flags, a null or read-only dynptr, NULL from
 * dynptr_data; a user_ringbuf_drain callback reading its sample through
 * them; and the checked mode's answer to a forged dynptr or a write to a
 * sample (a fault, never a stray access).
 */
#include "test_helpers_maps.h"

#include <linux/bpf.h>

#define ENG_LOOP(e)                                                                    \
	for (const struct vm_engine *e = vm_engines; e < vm_engines + VM_ENGINE_CNT; e++) \
		if (vm_engine_available(e))

/* Size word of a local dynptr (type 1 in bits 28-30). */
#define LOCAL(sz) ((uint32_t)(sz) | 1u << 28)

/*
 * fp-48: 16 bytes {1, 2 as u64s}; fp-16: a dynptr to them (from_mem with
 * @flags), made read-only when @rdonly; mem[0] = from_mem's result and
 * mem[1..2] the dynptr's 16 bytes.  Then one call of @id with @off/@len:
 * r0 its result (dynptr_data: the offset of the pointer from fp-48, or
 * -1 for NULL); fp-32 is the other buffer of read and write.
 */
static int dp_run(const struct vm_engine *e, int32_t id, int32_t off, int32_t len,
		  int32_t flags, int32_t from_flags, bool rdonly, struct hm_run *r)
{
	struct tinsn t[64];
	size_t n = 0;

#define PUT(...)                                                                       \
	do {                                                                           \
		const struct tinsn put_[] = { __VA_ARGS__ };                            \
		memcpy(t + n, put_, sizeof(put_));                                     \
		n += UBF_ARRAY_SIZE(put_);                                             \
	} while (0)
	PUT(MOV_X(6, 1), MOV_X(7, 10), ALU_K(ADD64_IMM, 7, -48), ST_K(STDW, 10, -48, 1),
	    ST_K(STDW, 10, -40, 2), ST_K(STDW, 10, -32, 0x99), MOV_X(1, 7), MOV_K(2, 16),
	    MOV_K(3, from_flags), FP(4, -16), CALL(197), STX64(6, 0, 0), LDX64(1, 10, -16),
	    STX64(6, 1, 8), LDX64(1, 10, -8), STX64(6, 1, 16));
	if (rdonly)
		PUT(MEM(LDXW, 1, 10, -8), ALU_K(OR32_IMM, 1, (int32_t)0x80000000),
		    MEM(STXW, 10, 1, -8));
	if (id == 201)
		PUT(FP(1, -32), MOV_K(2, len), FP(3, -16), MOV_K(4, off), MOV_K(5, flags),
		    CALL(201), EXIT());
	else if (id == 202)
		PUT(FP(1, -16), MOV_K(2, off), FP(3, -32), MOV_K(4, len), MOV_K(5, flags),
		    CALL(202), EXIT());
	else
		PUT(FP(1, -16), MOV_K(2, off), MOV_K(3, len), CALL(203), JMP_K(JEQ64_IMM, 0, 0, 2),
		    ALU_X(SUB64_REG, 0, 7), EXIT(), MOV_K(0, -1), EXIT());
#undef PUT
	return hm_run(e, t, n, 0, r);
}

TEST(helpers_dynptr_from_mem_layout_and_errors)
{
	ENG_LOOP(e)
	{
		struct hm_run r;

		ASSERT_OK(dp_run(e, 203, 0, 16, 0, 0, false, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 0);
		EXPECT_EQ_U64(r.mem[2], LOCAL(16));	/* size word, offset 0 */
		EXPECT_EQ_U64(r.r0, 0);		/* dynptr_data: the buffer itself */
		EXPECT_TRUE(r.mem[1] != 0);
		/* flags: -EINVAL and a null dynptr, which read refuses */
		ASSERT_OK(dp_run(e, 201, 0, 8, 0, 1, false, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], (uint64_t)-EINVAL);
		EXPECT_EQ_U64(r.mem[1], 0);
		EXPECT_EQ_U64(r.mem[2], 0);
		EXPECT_EQ_U64(r.r0, (uint64_t)-EINVAL);
		ASSERT_OK(dp_run(e, 203, 0, 8, 0, 1, false, &r));
		EXPECT_EQ_U64(r.r0, (uint64_t)-1);
	}
}

TEST(helpers_dynptr_read_write_data)
{
	static const struct {
		int32_t id, off, len, flags;
		bool rdonly;
		uint64_t ret;
	} c[] = {
		{ 201, 2, 8, 0, false, 0 },
		{ 201, 0, 16, 0, true, 0 },		/* reading a read-only dynptr is fine */
		{ 201, 16, 0, 0, false, 0 },		/* an empty span at the end */
		{ 201, 9, 8, 0, false, (uint64_t)-E2BIG },
		{ 201, 0, 8, 1, false, (uint64_t)-EINVAL },
		{ 202, 4, 4, 0, false, 0 },
		{ 202, 13, 4, 0, false, (uint64_t)-E2BIG },
		{ 202, 0, 4, 2, false, (uint64_t)-EINVAL },
		{ 202, 0, 4, 0, true, (uint64_t)-EINVAL },
		{ 203, 12, 4, 0, false, 12 },
		{ 203, 13, 4, 0, false, (uint64_t)-1 },
		{ 203, 0, 4, 0, true, (uint64_t)-1 },	/* no pointer into a read-only dynptr */
	};
	size_t i;

	ENG_LOOP(e)
	{
		for (i = 0; i < UBF_ARRAY_SIZE(c); i++) {
			struct hm_run r;

			ASSERT_OK(dp_run(e, c[i].id, c[i].off, c[i].len, c[i].flags, 0, c[i].rdonly,
					 &r));
			EXPECT_OK(r.err);
			EXPECT_EQ_U64(r.r0, c[i].ret);
		}
	}
}

/* The bytes move: write 4 bytes at offset 4, read 8 at offset 2, a u32 through data. */
TEST(helpers_dynptr_bytes)
{
	ENG_LOOP(e)
	{
		struct hm_run r;

		ASSERT_OK(hm_run(e, PROG(MOV_X(6, 1), ST_K(STDW, 10, -48, 0x11223344),
					 ST_K(STDW, 10, -40, 0x55667788), FP(1, -48), MOV_K(2, 16),
					 MOV_K(3, 0), FP(4, -16), CALL(197), FP(1, -16), MOV_K(2, 4),
					 FP(3, -48), MOV_K(4, 4), MOV_K(5, 0), CALL(202), STX64(6, 0, 0),
					 FP(1, -32), MOV_K(2, 8), FP(3, -16), MOV_K(4, 2), MOV_K(5, 0),
					 CALL(201), STX64(6, 0, 8), LDX64(0, 10, -32), STX64(6, 0, 16),
					 FP(1, -16), MOV_K(2, 8), MOV_K(3, 4), CALL(203),
					 JMP_K(JEQ64_IMM, 0, 0, 1), MEM(LDXW, 0, 0, 0), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 0);
		EXPECT_EQ_U64(r.mem[1], 0);
		/* 44 33 22 11 44 33 22 11 88 77 ... from offset 2 */
		EXPECT_EQ_U64(r.mem[2], 0x7788112233441122ull);
		EXPECT_EQ_U64(r.r0, 0x55667788);
	}
}

static uint8_t outside[64];

/* Checked runs: a dynptr the program forged to point outside its memory faults. */
TEST(helpers_dynptr_forged_faults_in_checked_runs)
{
	uint64_t addr = (uint64_t)(uintptr_t)outside;

	ENG_LOOP(e)
	{
		struct hm_run r;

		if (!hm_is_checked(e))
			continue;
		/* fp-16 = { outside, LOCAL(64), 0 }; dynptr_read(fp-32, 8, fp-16, 0, 0) */
		ASSERT_OK(hm_run(e, PROG(LDDW(1, addr), STX64(10, 1, -16), MOV_K(1, (int32_t)LOCAL(64)),
					 STX64(10, 1, -8), FP(1, -32), MOV_K(2, 8), FP(3, -16), MOV_K(4, 0),
					 MOV_K(5, 0), CALL(201), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_oob");
		ASSERT_OK(hm_run(e, PROG(LDDW(1, addr), STX64(10, 1, -16), MOV_K(1, (int32_t)LOCAL(64)),
					 STX64(10, 1, -8), FP(1, -16), MOV_K(2, 0), FP(3, -32), MOV_K(4, 8),
					 MOV_K(5, 0), CALL(202), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_oob");
		/* the dynptr itself outside the run's memory */
		ASSERT_OK(hm_run(e, PROG(FP(1, -32), MOV_K(2, 8), LDDW(3, addr), MOV_K(4, 0),
					 MOV_K(5, 0), CALL(201), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
	}
}

/*
 * user_ringbuf_drain: the callback reads each sample with dynptr_read and
 * through dynptr_data (mem[0] sums the first, mem[1] the second), and its
 * dynptr is a local one of the sample's size.  Writing the sample faults
 * in a checked run (Linux's verifier forbids it).
 */
TEST(helpers_dynptr_user_ringbuf_sample)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_USER_RINGBUF, 0, 0, 4096);
		struct hm_run r;
		uint64_t i;

		ASSERT_TRUE(m != NULL);
		for (i = 1; i <= 3; i++) {
			void *p = NULL;
			uint64_t v[2] = { i, i * 100 };

			ASSERT_OK(ubf_user_ringbuf_reserve(m, 16, &p));
			memcpy(p, v, 16);
			ubf_user_ringbuf_submit(m, p);
		}
		ASSERT_OK(hm_run(e, PROG(MOV_X(6, 1), MAP(1, m), FUNC(2, 5), MOV_X(3, 6),
					 MOV_K(4, 0), CALL(209), EXIT(),
					 /* 9: callback(dynptr, ctx) */
					 MOV_X(7, 2), MOV_X(8, 1), FP(1, -8), MOV_K(2, 8), MOV_X(3, 8),
					 MOV_K(4, 0), MOV_K(5, 0), CALL(201), JMP_K(JNE64_IMM, 0, 0, 15),
					 LDX64(3, 10, -8), LDX64(4, 7, 0), ALU_X(ADD64_REG, 4, 3),
					 STX64(7, 4, 0), MOV_X(1, 8), MOV_K(2, 8), MOV_K(3, 8), CALL(203),
					 JMP_K(JEQ64_IMM, 0, 0, 6), LDX64(3, 0, 0), LDX64(4, 7, 8),
					 ALU_X(ADD64_REG, 4, 3), STX64(7, 4, 8), MOV_K(0, 0), EXIT(),
					 MOV_K(0, 1), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.r0, 3);
		EXPECT_EQ_U64(r.mem[0], 6);
		EXPECT_EQ_U64(r.mem[1], 600);
		if (hm_is_checked(e)) {
			void *p = NULL;

			ASSERT_OK(ubf_user_ringbuf_reserve(m, 8, &p));
			ubf_user_ringbuf_submit(m, p);
			/* callback: dynptr_write(dynptr, 0, fp-8, 8, 0) */
			ASSERT_OK(hm_run(e, PROG(MAP(1, m), FUNC(2, 5), MOV_K(3, 0), MOV_K(4, 0),
						 CALL(209), EXIT(),
						 /* 8: */
						 ST_K(STDW, 10, -8, 7), MOV_K(2, 0), FP(3, -8), MOV_K(4, 8),
						 MOV_K(5, 0), CALL(202), EXIT()),
					 0, &r));
			EXPECT_ERR(-EFAULT, r.err);
			EXPECT_STREQ(r.diag.id, "run.mem_readonly");
		}
		ubf_map_free(m);
	}
}
