// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_storage.c - the cgroup storages and the object-bound local
 * storages (sk, inode, task, cgrp): Linux's create rules (key and value
 * sizes, BPF_F_NO_PREALLOC, max_entries 0, the 65407-byte value limit),
 * what user space sees of a cgroup storage no program is attached with,
 * and local storage values kept per socket, file and task, found again
 * through another fd of the same object.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t type, uint32_t ksz, uint32_t vsz, uint32_t max,
	      uint32_t flags)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = type, .key_size = ksz, .value_size = vsz,
		 .max_entries = max, .map_flags = flags);
	return ubf_map_create(mapp, &a);
}

TEST(maps_cgroup_storage)
{
	struct ubf_map *map = NULL;
	uint64_t key = 1, v[64] = { 0 }, next;

	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_CGROUP_STORAGE, 12, 8, 0, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_CGROUP_STORAGE, 8, 8, 1, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_CGROUP_STORAGE, 8, 8, 0, UBF_F_NO_PREALLOC));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_CGROUP_STORAGE, 8, 65408, 0, 0));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_PERCPU_CGROUP_STORAGE, 16, 32769, 0, 0));
	ASSERT_OK(mk(&map, UBF_MAP_CGROUP_STORAGE, 8, 65407, 0, UBF_F_RDONLY_PROG));
	ubf_map_free(map);
	ASSERT_OK(mk(&map, UBF_MAP_PERCPU_CGROUP_STORAGE, 16, 8, 0, 0));
	EXPECT_EQ_U64(ubf_map_user_value_size(map), 8ull * ubf_cpu_count());
	ubf_map_free(map);
	ASSERT_OK(mk(&map, UBF_MAP_CGROUP_STORAGE, 8, 8, 0, 0));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, v));
	EXPECT_ERR(-ENOENT, ubf_map_update_elem(map, &key, v, UBF_ANY));
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, v, UBF_NOEXIST));
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, &key));
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, NULL, &next));
	ubf_map_free(map);
}

TEST(maps_local_storage_attr)
{
	static const uint32_t types[] = { UBF_MAP_SK_STORAGE, UBF_MAP_INODE_STORAGE,
					  UBF_MAP_TASK_STORAGE, UBF_MAP_CGRP_STORAGE };
	struct ubf_map *map = NULL;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		EXPECT_ERR(-EINVAL, mk(&map, types[i], 4, 8, 0, 0));
		EXPECT_ERR(-EINVAL, mk(&map, types[i], 4, 8, 1, UBF_F_NO_PREALLOC));
		EXPECT_ERR(-EINVAL, mk(&map, types[i], 8, 8, 0, UBF_F_NO_PREALLOC));
		EXPECT_ERR(-EINVAL, mk(&map, types[i], 4, 8, 0, UBF_F_NO_PREALLOC | UBF_F_RDONLY));
		EXPECT_ERR(-E2BIG, mk(&map, types[i], 4, 65408, 0, UBF_F_NO_PREALLOC));
		ASSERT_OK(mk(&map, types[i], 4, 65407, 0, UBF_F_NO_PREALLOC | UBF_F_CLONE));
		ubf_map_free(map);
	}
}

TEST(maps_local_storage_elements)
{
	int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), again, bad = 9999, key;
	int file = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	struct ubf_map *sk = NULL, *ino = NULL, *task = NULL;
	uint64_t v = 42, out = 0;

	ASSERT_TRUE(udp >= 0 && file >= 0);
	again = dup(udp);
	ASSERT_OK(mk(&sk, UBF_MAP_SK_STORAGE, 4, 8, 0, UBF_F_NO_PREALLOC));
	EXPECT_ERR(-EBADF, ubf_map_lookup_elem(sk, &bad, &out));
	EXPECT_ERR(-ENOTSOCK, ubf_map_lookup_elem(sk, &file, &out));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(sk, &udp, &out));
	EXPECT_ERR(-ENOENT, ubf_map_update_elem(sk, &udp, &v, UBF_EXIST));
	EXPECT_OK(ubf_map_update_elem(sk, &udp, &v, UBF_ANY));
	EXPECT_ERR(-EEXIST, ubf_map_update_elem(sk, &udp, &v, UBF_NOEXIST));
	EXPECT_OK(ubf_map_lookup_elem(sk, &again, &out));	/* the socket, not the fd */
	EXPECT_EQ_U64(out, 42);
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_next_key(sk, NULL, &key));
	EXPECT_OK(ubf_map_delete_elem(sk, &udp));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(sk, &udp));
	ubf_map_free(sk);

	ASSERT_OK(mk(&ino, UBF_MAP_INODE_STORAGE, 4, 8, 0, UBF_F_NO_PREALLOC));
	EXPECT_OK(ubf_map_update_elem(ino, &file, &v, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(ino, &file, &out));
	ubf_map_free(ino);

	ASSERT_OK(mk(&task, UBF_MAP_TASK_STORAGE, 4, 8, 0, UBF_F_NO_PREALLOC));
	EXPECT_ERR(-EBADF, ubf_map_update_elem(task, &file, &v, UBF_ANY));	/* not a pidfd */
	if (pidfd >= 0) {
		v = 7;
		EXPECT_OK(ubf_map_update_elem(task, &pidfd, &v, UBF_ANY));
		EXPECT_OK(ubf_map_lookup_elem(task, &pidfd, &out));
		EXPECT_EQ_U64(out, 7);
		close(pidfd);
	}
	ubf_map_free(task);
	close(udp);
	close(again);
	close(file);
}
