// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_fd_array.c - PROG_ARRAY, PERF_EVENT_ARRAY and ARRAY_OF_MAPS:
 * u32 values (ids or fds the bpf(2) layer resolves), Linux's rules on
 * value_size, program-access flags and update flags, deletes that empty a
 * slot, lookups that perf_event_array refuses, and the inner map template.
 */
#include <errno.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t type, uint32_t vsz, uint32_t flags,
	      const struct ubf_map *inner)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = type, .key_size = 4, .value_size = vsz,
		 .max_entries = 4, .map_flags = flags, .inner_map = inner);
	return ubf_map_create(mapp, &a);
}

TEST(maps_fd_array_attr)
{
	struct ubf_map *map = NULL;

	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_PROG_ARRAY, 8, 0, NULL));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_PROG_ARRAY, 4, UBF_F_RDONLY_PROG, NULL));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_PROG_ARRAY, 4, UBF_F_PRESERVE_ELEMS, NULL));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_PROG_ARRAY, 4, UBF_F_MMAPABLE, NULL));
	ASSERT_OK(mk(&map, UBF_MAP_PERF_EVENT_ARRAY, 4, UBF_F_PRESERVE_ELEMS, NULL));
	ubf_map_free(map);
	EXPECT_ERR(-EBADF, mk(&map, UBF_MAP_ARRAY_OF_MAPS, 4, 0, NULL));
}

TEST(maps_fd_array_elements)
{
	struct ubf_map *map = NULL, *perf = NULL;
	uint32_t key = 2, v = 31, out = 0, next;

	ASSERT_OK(mk(&map, UBF_MAP_PROG_ARRAY, 4, 0, NULL));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, &out));
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, &v, UBF_NOEXIST));
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_EQ_INT(out, 31);
	v = 0;	/* fd 0 / id 0 is a value like any other */
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_EQ_INT(out, 0);
	EXPECT_OK(ubf_map_delete_elem(map, &key));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &key));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, &out));
	key = 4;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_ERR(-E2BIG, ubf_map_delete_elem(map, &key));
	EXPECT_OK(ubf_map_next_key(map, NULL, &next));
	EXPECT_EQ_INT(next, 0);
	ubf_map_free(map);

	ASSERT_OK(mk(&perf, UBF_MAP_PERF_EVENT_ARRAY, 4, 0, NULL));
	key = 1;
	EXPECT_OK(ubf_map_update_elem(perf, &key, &v, UBF_ANY));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_elem(perf, &key, &out));
	EXPECT_OK(ubf_map_delete_elem(perf, &key));
	ubf_map_free(perf);
}

TEST(maps_array_of_maps)
{
	struct ubf_map *inner = NULL, *outer = NULL, *bad = NULL;
	uint32_t key = 1, id = 0xfffffff0u, out = 0;

	ASSERT_OK(mk(&inner, UBF_MAP_HASH, 16, 0, NULL));
	ASSERT_OK(mk(&outer, UBF_MAP_ARRAY_OF_MAPS, 4, 0, inner));
	EXPECT_EQ_U64(outer->hdr->inner_map_type, UBF_MAP_HASH);
	EXPECT_EQ_U64(outer->hdr->inner_value_size, 16);
	EXPECT_EQ_U64(outer->hdr->inner_max_entries, 4);
	EXPECT_ERR(-EINVAL, mk(&bad, UBF_MAP_ARRAY_OF_MAPS, 4, 0, outer));
	EXPECT_TRUE(ubf_map_lookup(outer, &key) == NULL);
	EXPECT_OK(ubf_map_update_elem(outer, &key, &id, UBF_ANY));
	/* programs get the inner map through the resolver: this id names none */
	EXPECT_TRUE(ubf_map_lookup(outer, &key) == NULL);
	EXPECT_OK(ubf_map_lookup_elem(outer, &key, &out));
	EXPECT_EQ_U64(out, 0xfffffff0u);
	ubf_map_free(outer);
	ubf_map_free(inner);
}
