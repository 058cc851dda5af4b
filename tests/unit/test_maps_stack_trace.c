// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_stack_trace.c - BPF_MAP_TYPE_STACK_TRACE: Linux's attribute
 * rules, traces stored through ubf_stack_trace_store() (same trace, same
 * id; -EEXIST on a bucket collision unless REUSE; -ENOMEM when every trace
 * slot is used; truncation to the value size), the user view (zero-padded
 * lookups, delete, ascending next_key, -EINVAL updates), and a trace stored
 * by a forked child that opened the map from its fd.
 */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t ksz, uint32_t vsz, uint32_t max, uint32_t flags)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_STACK_TRACE, .key_size = ksz,
		 .value_size = vsz, .max_entries = max, .map_flags = flags);
	return ubf_map_create(mapp, &a);
}

TEST(maps_stack_trace_attr)
{
	struct ubf_map *map = NULL;

	EXPECT_ERR(-EINVAL, mk(&map, 8, 64, 16, 0));
	EXPECT_ERR(-EINVAL, mk(&map, 4, 0, 16, 0));
	EXPECT_ERR(-EINVAL, mk(&map, 4, 12, 16, 0));
	EXPECT_ERR(-EINVAL, mk(&map, 4, 64, 0, 0));
	EXPECT_ERR(-EINVAL, mk(&map, 4, 128 * 8, 16, 0));	/* deeper than 127 frames */
	EXPECT_ERR(-EINVAL, mk(&map, 4, 64, 16, UBF_F_NO_PREALLOC));
	EXPECT_ERR(-EINVAL, mk(&map, 4, 64, 16, UBF_F_RDONLY_PROG));
	EXPECT_ERR(-EINVAL, mk(&map, 4, 40, 16, UBF_F_STACK_BUILD_ID));	/* not 32-byte records */
	EXPECT_ERR(-E2BIG, mk(&map, 4, 64, (1u << 30) + 1, 0));
	ASSERT_OK(mk(&map, 4, 127 * 8, 16, UBF_F_NUMA_NODE | UBF_F_RDONLY));
	ubf_map_free(map);
	ASSERT_OK(mk(&map, 4, 64, 16, UBF_F_STACK_BUILD_ID));
	ubf_map_free(map);
}

TEST(maps_stack_trace_store_and_read)
{
	struct ubf_map *map = NULL;
	uint64_t a[3] = { 0x401000, 0x402000, 0x403000 }, b[2] = { 0x501000, 0x502000 };
	uint64_t out[8], dummy[8] = { 0 };
	uint32_t ida, idb, key, next, n = 0;
	int id;

	ASSERT_OK(mk(&map, 4, 64, 100, 0));
	id = ubf_stack_trace_store(map, a, 3, 0);
	ASSERT_TRUE(id >= 0 && id < 128);	/* 128 buckets: 100 rounded up */
	ida = (uint32_t)id;
	EXPECT_EQ_INT(ubf_stack_trace_store(map, a, 3, 0), id);
	EXPECT_EQ_INT(ubf_stack_trace_store(map, a, 3, UBF_STACKID_FAST_CMP), id);
	EXPECT_EQ_INT(ubf_stack_trace_store(map, a, 3, 5 | UBF_STACKID_USER_STACK), id);
	EXPECT_ERR(-EINVAL, ubf_stack_trace_store(map, a, 3, 1ull << 11));
	EXPECT_ERR(-EFAULT, ubf_stack_trace_store(map, a, 0, 0));
	id = ubf_stack_trace_store(map, b, 2, 0);
	if (id == -EEXIST)
		id = ubf_stack_trace_store(map, b, 2, UBF_STACKID_REUSE);	/* same bucket */
	ASSERT_TRUE(id >= 0);
	idb = (uint32_t)id;
	memset(out, 0xff, sizeof(out));
	EXPECT_OK(ubf_map_lookup_elem(map, &idb, out));
	EXPECT_EQ_U64(out[0], 0x501000);
	EXPECT_EQ_U64(out[1], 0x502000);
	EXPECT_EQ_U64(out[2], 0);	/* the rest of the value is zeroed */
	EXPECT_EQ_U64(out[7], 0);
	/* user space never writes traces; programs do not look them up */
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &idb, dummy, UBF_ANY));
	EXPECT_ERR(-EINVAL, ubf_map_update(map, &idb, dummy, UBF_ANY));
	EXPECT_TRUE(ubf_map_lookup(map, &idb) == NULL);
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_and_delete_elem(map, &idb, out));
	key = 128;
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, out));
	/* ids ascend; an unknown id starts over */
	if (ida != idb) {
		EXPECT_OK(ubf_map_next_key(map, NULL, &next));
		EXPECT_EQ_INT(next, ida < idb ? ida : idb);
		EXPECT_OK(ubf_map_next_key(map, &next, &next));
		EXPECT_EQ_INT(next, ida < idb ? idb : ida);
		EXPECT_ERR(-ENOENT, ubf_map_next_key(map, &next, &next));
		n = 2;
	}
	key = 1000;
	EXPECT_OK(ubf_map_next_key(map, &key, &next));
	EXPECT_OK(ubf_map_delete_elem(map, &idb));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &idb));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &idb, out));
	if (n == 2) {
		EXPECT_OK(ubf_map_lookup_elem(map, &ida, out));
		EXPECT_EQ_U64(out[2], 0x403000);
		EXPECT_OK(ubf_map_next_key(map, NULL, &next));
		EXPECT_EQ_INT(next, ida);
	}
	ubf_map_free(map);
}

TEST(maps_stack_trace_collision_and_reuse)
{
	struct ubf_map *map = NULL;
	uint64_t a[2] = { 1, 2 }, b[2] = { 3, 4 }, out[2];
	uint32_t key = 0;

	/* one bucket: every trace collides */
	ASSERT_OK(mk(&map, 4, 16, 1, 0));
	EXPECT_EQ_INT(ubf_stack_trace_store(map, a, 2, 0), 0);
	EXPECT_ERR(-EEXIST, ubf_stack_trace_store(map, b, 2, 0));
	EXPECT_ERR(-EEXIST, ubf_stack_trace_store(map, b, 2, UBF_STACKID_FAST_CMP));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, out));
	EXPECT_EQ_U64(out[0], 1);
	EXPECT_EQ_INT(ubf_stack_trace_store(map, b, 2, UBF_STACKID_REUSE), 0);
	EXPECT_OK(ubf_map_lookup_elem(map, &key, out));
	EXPECT_EQ_U64(out[0], 3);
	EXPECT_EQ_U64(out[1], 4);
	/* a prefix of the stored trace is another trace */
	EXPECT_ERR(-EEXIST, ubf_stack_trace_store(map, b, 1, 0));
	/* longer than value_size / 8: cut to the first frames, the same trace */
	{
		uint64_t c[4] = { 3, 4, 5, 6 };

		EXPECT_EQ_INT(ubf_stack_trace_store(map, c, 4, 0), 0);
	}
	EXPECT_OK(ubf_map_delete_elem(map, &key));
	EXPECT_EQ_INT(ubf_stack_trace_store(map, a, 2, 0), 0);
	ubf_map_free(map);
}

TEST(maps_stack_trace_pool_exhausted)
{
	struct ubf_map *map = NULL;
	uint64_t ips[1];
	int stored = 0, nomem = 0, i, r;

	/* 3 trace slots, 4 buckets: the fourth bucket cannot be filled */
	ASSERT_OK(mk(&map, 4, 8, 3, 0));
	for (i = 1; i < 1000 && !nomem; i++) {
		ips[0] = (uint64_t)i * 0x1000;
		r = ubf_stack_trace_store(map, ips, 1, 0);
		if (r >= 0 && r < 4)
			stored++;
		else if (r == -ENOMEM)
			nomem = 1;
		else
			EXPECT_ERR(-EEXIST, r);
	}
	EXPECT_EQ_INT(stored, 3);
	EXPECT_EQ_INT(nomem, 1);
	ubf_map_free(map);
}

TEST(maps_stack_trace_build_id)
{
	struct ubf_map *map = NULL;
	uint8_t rec[2][32], out[64];
	uint32_t key;
	int id;

	ASSERT_OK(mk(&map, 4, 64, 8, UBF_F_STACK_BUILD_ID));
	memset(rec, 0, sizeof(rec));
	rec[0][0] = 1;		/* BPF_STACK_BUILD_ID_VALID */
	memset(&rec[0][4], 0xab, 20);
	rec[0][24] = 0x10;
	id = ubf_stack_trace_store(map, rec, 1, 0);
	ASSERT_TRUE(id >= 0);
	key = (uint32_t)id;
	memset(out, 0xff, sizeof(out));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, out));
	EXPECT_TRUE(!memcmp(out, rec[0], 32));
	EXPECT_TRUE(!memcmp(out + 32, rec[1], 32));	/* zeroed */
	ubf_map_free(map);
}

TEST(maps_stack_trace_cross_process)
{
	struct ubf_map *map = NULL;
	uint64_t ips[2] = { 0x7000, 0x8000 }, out[4];
	uint32_t key;
	int status;
	pid_t pid;

	ASSERT_OK(mk(&map, 4, 32, 64, 0));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		struct ubf_map *child = NULL;
		int id;

		if (ubf_map_open_fd(&child, ubf_map_fd(map)))
			_exit(255);
		id = ubf_stack_trace_store(child, ips, 2, 0);
		ubf_map_free(child);
		_exit(id >= 0 && id < 64 ? id : 254);
	}
	ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) < 64);
	key = (uint32_t)WEXITSTATUS(status);
	EXPECT_OK(ubf_map_lookup_elem(map, &key, out));
	EXPECT_EQ_U64(out[0], 0x7000);
	EXPECT_EQ_U64(out[1], 0x8000);
	EXPECT_EQ_INT(ubf_stack_trace_store(map, ips, 2, 0), (int)key);
	ubf_map_free(map);
}
