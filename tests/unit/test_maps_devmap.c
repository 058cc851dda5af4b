// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_devmap.c - the XDP redirect targets: DEVMAP, DEVMAP_HASH,
 * CPUMAP and XSKMAP.  Linux's create rules (value sizes, flags, the
 * cpumap's NR_CPUS bound), BPF_F_RDONLY_PROG added to devmaps, updates
 * checked against the host (ifindex of lo, possible CPUs, AF_XDP sockets),
 * and each type's own errnos for deletes and lookups.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sys/socket.h>
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

TEST(maps_devmap_attr)
{
	struct ubf_map *map = NULL;

	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_DEVMAP, 4, 12, 4, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_DEVMAP, 8, 4, 4, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_DEVMAP, 4, 4, 0, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_DEVMAP, 4, 4, 4, UBF_F_RDONLY_PROG));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_DEVMAP_HASH, 4, 4, (1u << 31) + 1, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_XSKMAP, 4, 8, 4, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_CPUMAP, 4, 8, 4, UBF_F_RDONLY));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_CPUMAP, 4, 8, 100000, 0));
	ASSERT_OK(mk(&map, UBF_MAP_DEVMAP, 4, 8, 4, UBF_F_NUMA_NODE));
	EXPECT_EQ_U64(ubf_map_flags(map), UBF_F_NUMA_NODE | UBF_F_RDONLY_PROG);
	ubf_map_free(map);
	ASSERT_OK(mk(&map, UBF_MAP_CPUMAP, 4, 4, 64, UBF_F_NUMA_NODE));
	EXPECT_EQ_U64(ubf_map_flags(map), UBF_F_NUMA_NODE);
	ubf_map_free(map);
}

TEST(maps_devmap_elements)
{
	uint32_t lo = if_nametoindex("lo"), key = 1, next, v[2], out[2] = { 7, 7 };
	struct ubf_map *map = NULL;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ASSERT_TRUE(lo > 0 && fd >= 0);
	ASSERT_OK(mk(&map, UBF_MAP_DEVMAP, 4, 8, 4, 0));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, out));
	v[0] = 999999, v[1] = 0;
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, v, UBF_ANY));	/* no such device */
	v[0] = lo, v[1] = (uint32_t)fd;
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, v, UBF_ANY));	/* not a program */
	v[1] = (uint32_t)-1;
	EXPECT_ERR(-EEXIST, ubf_map_update_elem(map, &key, v, UBF_NOEXIST));
	EXPECT_OK(ubf_map_update_elem(map, &key, v, UBF_EXIST));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, out));
	EXPECT_EQ_U64(out[0], lo);
	EXPECT_EQ_U64(out[1], 0);	/* no program: id 0 */
	EXPECT_TRUE(ubf_map_lookup(map, &key) != NULL);
	v[0] = 0, v[1] = 5;
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, v, UBF_ANY));
	v[1] = 0;
	EXPECT_OK(ubf_map_update_elem(map, &key, v, UBF_ANY));	/* ifindex 0 empties */
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, out));
	EXPECT_OK(ubf_map_delete_elem(map, &key));
	key = 4;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, v, UBF_ANY));
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, &key));
	EXPECT_OK(ubf_map_next_key(map, &key, &next));
	EXPECT_EQ_INT(next, 0);
	ubf_map_free(map);
	close(fd);
}

TEST(maps_devmap_hash)
{
	uint32_t lo = if_nametoindex("lo"), k = 1000, next, v = lo, out = 0;
	struct ubf_map *map = NULL;

	ASSERT_OK(mk(&map, UBF_MAP_DEVMAP_HASH, 4, 4, 2, 0));
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, NULL, &next));
	EXPECT_OK(ubf_map_update_elem(map, &k, &v, UBF_ANY));
	EXPECT_ERR(-EEXIST, ubf_map_update_elem(map, &k, &v, UBF_NOEXIST));
	k = 7;
	EXPECT_OK(ubf_map_update_elem(map, &k, &v, UBF_EXIST));	/* Linux ignores BPF_EXIST */
	k = 8;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &k, &v, UBF_ANY));
	v = 0;
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &k, &v, UBF_ANY));
	k = 1000;
	EXPECT_OK(ubf_map_lookup_elem(map, &k, &out));
	EXPECT_EQ_U64(out, lo);
	EXPECT_OK(ubf_map_delete_elem(map, &k));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &k));
	EXPECT_OK(ubf_map_next_key(map, &k, &next));	/* a missing key: the first */
	EXPECT_EQ_INT(next, 7);
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, &next, &next));
	ubf_map_free(map);
}

TEST(maps_cpumap_elements)
{
	uint32_t key = 0, v[2] = { 64, 0 }, out[2];
	struct ubf_map *map = NULL;

	ASSERT_OK(mk(&map, UBF_MAP_CPUMAP, 4, 8, 64, 0));
	EXPECT_OK(ubf_map_update_elem(map, &key, v, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, out));
	EXPECT_EQ_U64(out[0], 64);
	EXPECT_ERR(-EEXIST, ubf_map_update_elem(map, &key, v, UBF_NOEXIST));
	v[0] = 16385;
	EXPECT_ERR(-EOVERFLOW, ubf_map_update_elem(map, &key, v, UBF_ANY));
	v[0] = 64, v[1] = 3;
	EXPECT_ERR(-ENOMEM, ubf_map_update_elem(map, &key, v, UBF_ANY));	/* fd 3: no program */
	v[1] = 0;
	key = ubf_cpu_count();
	EXPECT_ERR(-ENODEV, ubf_map_update_elem(map, &key, v, UBF_ANY));
	key = 64;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, v, UBF_ANY));
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, &key));
	key = 0, v[0] = 0;
	EXPECT_OK(ubf_map_update_elem(map, &key, v, UBF_ANY));	/* qsize 0 empties */
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, out));
	ubf_map_free(map);
}

TEST(maps_xskmap_elements)
{
	struct ubf_map *map = NULL;
	uint32_t key = 0, out;
	int file = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int xsk = socket(44 /* AF_XDP */, SOCK_RAW | SOCK_CLOEXEC, 0), v;

	ASSERT_TRUE(file >= 0 && udp >= 0);
	ASSERT_OK(mk(&map, UBF_MAP_XSKMAP, 4, 4, 4, 0));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_elem(map, &key, &out));
	v = file;
	EXPECT_ERR(-ENOTSOCK, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	v = 9999;
	EXPECT_ERR(-EBADF, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	v = udp;
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	if (xsk >= 0) {
		v = xsk;
		EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_ANY));
		EXPECT_TRUE(ubf_map_lookup(map, &key) != NULL);
		close(xsk);
	}
	EXPECT_OK(ubf_map_delete_elem(map, &key));
	EXPECT_TRUE(ubf_map_lookup(map, &key) == NULL);
	key = 4;
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, &key));
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	ubf_map_free(map);
	close(file);
	close(udp);
}
