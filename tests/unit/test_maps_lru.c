// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_lru.c - BPF_MAP_TYPE_LRU_HASH and LRU_PERCPU_HASH: inserting
 * into a full map evicts the least recently used element (programs'
 * lookups count as uses), never fails with -E2BIG, and Linux's attribute
 * rules (no BPF_F_NO_PREALLOC: ENOTSUPP; BPF_F_NO_COMMON_LRU accepted).
 */
#include <errno.h>
#include <stdlib.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t type, uint32_t max, uint32_t flags)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = type, .key_size = 4, .value_size = 4,
		 .max_entries = max, .map_flags = flags);
	return ubf_map_create(mapp, &a);
}

TEST(maps_lru_attr)
{
	struct ubf_map *map = NULL;

	EXPECT_ERR(-EOPNOTSUPP, mk(&map, UBF_MAP_LRU_HASH, 8, UBF_F_NO_PREALLOC));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_LRU_PERCPU_HASH, 8, UBF_F_NUMA_NODE));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_LRU_HASH, 8, UBF_F_NO_COMMON_LRU | UBF_F_NUMA_NODE));
	ASSERT_OK(mk(&map, UBF_MAP_LRU_HASH, 8, UBF_F_NO_COMMON_LRU));
	ubf_map_free(map);
}

TEST(maps_lru_evicts_least_recent)
{
	struct ubf_map *map = NULL;
	uint32_t key, val;

	ASSERT_OK(mk(&map, UBF_MAP_LRU_HASH, 16, 0));
	for (key = 0; key < 16; key++)
		ASSERT_OK(ubf_map_update_elem(map, &key, &key, UBF_NOEXIST));
	/* programs touch the even keys: the odd ones become the oldest */
	for (key = 0; key < 16; key += 2)
		EXPECT_TRUE(ubf_map_lookup(map, &key) != NULL);
	for (key = 100; key < 108; key++)
		EXPECT_OK(ubf_map_update_elem(map, &key, &key, UBF_NOEXIST));
	for (key = 0; key < 16; key++)
		EXPECT_ERR(key % 2 ? -ENOENT : 0, ubf_map_lookup_elem(map, &key, &val));
	for (key = 100; key < 108; key++) {
		EXPECT_OK(ubf_map_lookup_elem(map, &key, &val));
		EXPECT_EQ_INT(val, key);
	}
	/* keep inserting: never -E2BIG, the map stays at capacity */
	for (key = 200; key < 1200; key++)
		EXPECT_OK(ubf_map_update_elem(map, &key, &key, UBF_ANY));
	for (key = 1184; key < 1200; key++)
		EXPECT_OK(ubf_map_lookup_elem(map, &key, &val));
	ubf_map_free(map);
}

TEST(maps_lru_large_approximate)
{
	struct ubf_map *map = NULL;
	uint32_t key, val, kept = 0;

	/* larger than the sample: recently used keys survive a wave of inserts */
	ASSERT_OK(mk(&map, UBF_MAP_LRU_HASH, 1024, 0));
	for (key = 0; key < 1024; key++)
		ASSERT_OK(ubf_map_update_elem(map, &key, &key, UBF_ANY));
	for (key = 0; key < 64; key++)
		EXPECT_TRUE(ubf_map_lookup(map, &key) != NULL);
	for (key = 5000; key < 5512; key++)
		EXPECT_OK(ubf_map_update_elem(map, &key, &key, UBF_ANY));
	for (key = 0; key < 64; key++)
		kept += !ubf_map_lookup_elem(map, &key, &val);
	EXPECT_TRUE(kept >= 60);
	ubf_map_free(map);
}

TEST(maps_lru_percpu)
{
	unsigned int ncpu = ubf_cpu_count(), cpu;
	struct ubf_map *map = NULL;
	uint32_t key;
	uint8_t *buf;

	ASSERT_OK(mk(&map, UBF_MAP_LRU_PERCPU_HASH, 4, 0));
	buf = calloc(ncpu, 8);
	ASSERT_TRUE(buf != NULL);
	for (key = 0; key < 6; key++) {
		for (cpu = 0; cpu < ncpu; cpu++)
			memcpy(buf + 8 * cpu, &key, 4);
		EXPECT_OK(ubf_map_update_elem(map, &key, buf, UBF_ANY));
	}
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &(uint32_t){ 0 }, buf));
	key = 5;
	EXPECT_OK(ubf_map_lookup_elem(map, &key, buf));
	for (cpu = 0; cpu < ncpu; cpu++) {
		uint32_t v;

		memcpy(&v, buf + 8 * cpu, 4);
		EXPECT_EQ_INT(v, 5);
	}
	free(buf);
	ubf_map_free(map);
}
