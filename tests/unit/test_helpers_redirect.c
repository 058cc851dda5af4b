// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers_redirect.c - bpf_redirect_map on every engine, with Linux's
 * verdicts: XDP_REDIRECT for a set slot of a devmap, cpumap or xskmap (and
 * for a devmap broadcast), the flags' action bits for an empty one,
 * XDP_ABORTED for flags the map type does not take.
 */
#include "test_helpers_maps.h"

#include <net/if.h>

#define ENG_LOOP(e)                                                                    \
	for (const struct vm_engine *e = vm_engines; e < vm_engines + VM_ENGINE_CNT; e++) \
		if (vm_engine_available(e))

/* mem[0..3] = redirect_map(m, 0, flags[i]) for the four flags */
static int redirect_run(const struct vm_engine *e, struct ubf_map *m, const int32_t flags[4],
			struct hm_run *r)
{
	return hm_run(e, PROG(MOV_X(9, 1),
			      MAP(1, m), MOV_K(2, 0), MOV_K(3, flags[0]), CALL(51), STX64(9, 0, 0),
			      MAP(1, m), MOV_K(2, 0), MOV_K(3, flags[1]), CALL(51), STX64(9, 0, 8),
			      MAP(1, m), MOV_K(2, 0), MOV_K(3, flags[2]), CALL(51), STX64(9, 0, 16),
			      MAP(1, m), MOV_K(2, 0), MOV_K(3, flags[3]), CALL(51), STX64(9, 0, 24),
			      MOV_K(0, 0), EXIT()),
		      0, r);
}

TEST(helpers_redirect_devmap)
{
	static const int32_t flags[4] = { 2 /* XDP_PASS */, 1 << 3 /* broadcast */, 1 << 5, 0 };
	uint32_t key = 0, lo = if_nametoindex("lo");

	ASSERT_TRUE(lo > 0);
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_DEVMAP, 4, 4, 4);
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		ASSERT_OK(redirect_run(e, m, flags, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 2);	/* empty: the action in the flags */
		EXPECT_EQ_U64(r.mem[1], 4);	/* broadcast: XDP_REDIRECT regardless */
		EXPECT_EQ_U64(r.mem[2], 0);	/* unknown flag: XDP_ABORTED */
		EXPECT_EQ_U64(r.mem[3], 0);
		ASSERT_OK(ubf_map_update_elem(m, &key, &lo, UBF_ANY));
		ASSERT_OK(redirect_run(e, m, flags, &r));
		EXPECT_EQ_U64(r.mem[0], 4);
		EXPECT_EQ_U64(r.mem[3], 4);
		ubf_map_free(m);
	}
}

TEST(helpers_redirect_cpumap)
{
	static const int32_t flags[4] = { 2, 1 << 3, 3, 0 };
	uint32_t key = 0, v = 64;

	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_CPUMAP, 4, 4, 4);
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		ASSERT_OK(redirect_run(e, m, flags, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 2);
		EXPECT_EQ_U64(r.mem[1], 0);	/* broadcast is a devmap flag */
		EXPECT_EQ_U64(r.mem[2], 3);	/* XDP_TX */
		ASSERT_OK(ubf_map_update_elem(m, &key, &v, UBF_ANY));
		ASSERT_OK(redirect_run(e, m, flags, &r));
		EXPECT_EQ_U64(r.mem[0], 4);
		EXPECT_EQ_U64(r.mem[1], 0);
		ubf_map_free(m);
	}
}
