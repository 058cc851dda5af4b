// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_bloom.c - BPF_MAP_TYPE_BLOOM_FILTER: Linux's attribute rules
 * (no key, map_extra only in its low 4 bits), push = add with BPF_ANY
 * only, peek = test with no false negatives and few false positives, and
 * no pop, delete or iteration.
 */
#include <errno.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t ksz, uint32_t max, uint64_t extra)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_BLOOM_FILTER, .key_size = ksz,
		 .value_size = 8, .max_entries = max, .map_extra = extra);
	return ubf_map_create(mapp, &a);
}

TEST(maps_bloom_attr)
{
	struct ubf_map *map = NULL;

	EXPECT_ERR(-EINVAL, mk(&map, 4, 100, 0));
	EXPECT_ERR(-EINVAL, mk(&map, 0, 0, 0));
	EXPECT_ERR(-EINVAL, mk(&map, 0, 100, 16));
	ASSERT_OK(mk(&map, 0, 100, 3));
	ubf_map_free(map);
}

TEST(maps_bloom_membership)
{
	struct ubf_map *map = NULL;
	uint64_t v, key = 0;
	uint32_t fp = 0;

	ASSERT_OK(mk(&map, 0, 1000, 0));
	v = 1;
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, NULL, &v));
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, NULL, &v, UBF_EXIST));
	for (v = 0; v < 1000; v++)
		ASSERT_OK(ubf_map_update_elem(map, NULL, &v, UBF_ANY));
	for (v = 0; v < 1000; v++)
		EXPECT_OK(ubf_map_lookup_elem(map, NULL, &v));	/* no false negatives */
	for (v = 1000000; v < 1010000; v++)
		fp += ubf_map_lookup_elem(map, NULL, &v) == 0;
	EXPECT_TRUE(fp < 500);	/* ~1% expected with 5 hashes */
	v = 5;
	EXPECT_OK(ubf_map_peek(map, &v));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_and_delete_elem(map, NULL, &v));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_delete_elem(map, NULL));
	EXPECT_ERR(-EINVAL, ubf_map_next_key(map, NULL, &key));
	ubf_map_free(map);
}
