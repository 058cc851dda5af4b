// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers_maps_area.c - checked runs grant a map's values as one area
 * (ubf_run_grant_area()): a program may look up more distinct values in one
 * run than there are per-value grants (UBF_RUN_MAX_GRANTS), on every engine,
 * while the keys and links between a hash map's values, the padding after
 * an array value and a read-only map's values stay out of reach.
 */
#include "test_helpers_maps.h"

#define ENG_LOOP(e)                                                                    \
	for (const struct vm_engine *e = vm_engines; e < vm_engines + VM_ENGINE_CNT; e++) \
		if (vm_engine_available(e))

/* Twice the grants a run has: every value is a different one. */
#define N_KEYS (2 * UBF_RUN_MAX_GRANTS)

/* r0 = sum of the values of keys 0 .. N_KEYS - 1 (u32 keys, u64 values), or -1 on a miss. */
#define SUM_PROG(m)                                                                    \
	PROG(MOV_K(6, 0), MOV_K(7, 0), MEM(STXW, 10, 6, -4), MAP(1, m), FP(2, -4), CALL(1), \
	     JMP_K(JEQ64_IMM, 0, 0, 6), LDX64(1, 0, 0), ALU_X(ADD64_REG, 7, 1),             \
	     ALU_K(ADD64_IMM, 6, 1), JMP_K(JNE64_IMM, 6, N_KEYS, -11), MOV_X(0, 7), EXIT(), \
	     MOV_K(0, -1), EXIT())

static struct ubf_map *filled(uint32_t type, uint32_t entries)
{
	struct ubf_map *m = hm_map(type, 4, 8, entries);
	uint64_t v;
	uint32_t k;

	for (k = 0; m && k < N_KEYS; k++) {
		v = (uint64_t)k + 1;
		if (ubf_map_update(m, &k, &v, 0)) {
			ubf_map_free(m);
			return NULL;
		}
	}
	return m;
}

/* N_KEYS distinct values in one run: all found, on every engine and map kind. */
TEST(helpers_maps_area_many_values)
{
	static const uint32_t types[] = { UBF_MAP_ARRAY, UBF_MAP_HASH, UBF_MAP_LRU_HASH };
	size_t i;

	ENG_LOOP(e)
	{
		for (i = 0; i < UBF_ARRAY_SIZE(types); i++) {
			struct ubf_map *m = filled(types[i], N_KEYS);
			struct hm_run r;

			ASSERT_TRUE(m != NULL);
			ASSERT_OK(hm_run(e, SUM_PROG(m), 0, &r));
			EXPECT_OK(r.err);
			EXPECT_EQ_U64(r.r0, (uint64_t)N_KEYS * (N_KEYS + 1) / 2);
			ubf_map_free(m);
		}
	}
}

/* The 8 bytes before a hash value are its key: a checked run may not read them. */
TEST(helpers_maps_area_hash_key_hidden)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = filled(UBF_MAP_HASH, N_KEYS);
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		if (!hm_is_checked(e)) {
			ubf_map_free(m);
			continue;
		}
		ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 3), MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 2), LDX64(1, 0, 0), LDX64(1, 0, -8),
					 MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_oob");
		EXPECT_EQ_INT(r.diag.insn_idx, 8);
		/* nor write the links of the next element past the value */
		ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 3), MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 2), ST_K(STDW, 0, 0, 9),
					 ST_K(STDW, 0, 8, 9), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_oob");
		EXPECT_EQ_INT(r.diag.insn_idx, 8);
		ubf_map_free(m);
	}
}

/* A 4-byte array value: its 4 bytes of padding are not part of it. */
TEST(helpers_maps_area_array_padding)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_ARRAY, 4, 4, 4);
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		if (!hm_is_checked(e)) {
			ubf_map_free(m);
			continue;
		}
		ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 1), MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 2), ST_K(STW, 0, 0, 5),
					 ST_K(STW, 0, 4, 5), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_oob");
		EXPECT_EQ_INT(r.diag.insn_idx, 8);
		ubf_map_free(m);
	}
}

/* Read-only for programs: every value of the area reads, none writes. */
TEST(helpers_maps_area_rdonly)
{
	ENG_LOOP(e)
	{
		UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_HASH, .key_size = 4,
			 .value_size = 8, .max_entries = 4, .map_flags = UBF_F_RDONLY_PROG);
		struct ubf_map *m = NULL;
		uint32_t k = 2;
		uint64_t v = 40;
		struct hm_run r;

		if (!hm_is_checked(e))
			continue;
		ASSERT_OK(ubf_map_create(&m, &a));
		ASSERT_OK(ubf_map_update(m, &k, &v, 0));
		ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 2), MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 2), LDX64(1, 0, 0), ST_K(STDW, 0, 0, 1),
					 MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_readonly");
		EXPECT_EQ_INT(r.diag.insn_idx, 8);
		ubf_map_free(m);
	}
}
