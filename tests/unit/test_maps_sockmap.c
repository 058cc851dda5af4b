// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_sockmap.c - the maps of sockets and cgroups: SOCKMAP, SOCKHASH,
 * REUSEPORT_SOCKARRAY and CGROUP_ARRAY.  Values are fds checked as Linux
 * checks them (not a socket, a socket of the wrong kind or state, a bad
 * fd), the socket's cookie comes back to an 8-byte lookup (a 4-byte one is
 * -ENOSPC), and each type's errnos for deletes and full maps.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

static int mk(struct ubf_map **mapp, uint32_t type, uint32_t ksz, uint32_t vsz, uint32_t max)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = type, .key_size = ksz, .value_size = vsz,
		 .max_entries = max);
	return ubf_map_create(mapp, &a);
}

static int bound_udp(int reuseport)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd >= 0 && reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST(maps_sockmap_attr)
{
	struct ubf_map *map = NULL;

	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_SOCKMAP, 4, 12, 4));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_SOCKMAP, 8, 8, 4));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_SOCKHASH, 0, 8, 4));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_SOCKHASH, 513, 8, 4));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_REUSEPORT_SOCKARRAY, 4, 2, 4));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_CGROUP_ARRAY, 4, 8, 4));
	ASSERT_OK(mk(&map, UBF_MAP_SOCKHASH, 512, 4, 4));
	ubf_map_free(map);
}

TEST(maps_sockmap_elements)
{
	int file = open("/dev/null", O_RDONLY | O_CLOEXEC), udp = socket(AF_INET, SOCK_DGRAM, 0);
	int bound = bound_udp(0);
	uint64_t v, out = 0, cookie = 0;
	socklen_t len = sizeof(cookie);
	struct ubf_map *map = NULL, *m4 = NULL;
	uint32_t key = 1, v32;

	ASSERT_TRUE(file >= 0 && udp >= 0 && bound >= 0);
	ASSERT_OK(getsockopt(bound, SOL_SOCKET, SO_COOKIE, &cookie, &len));
	ASSERT_OK(mk(&map, UBF_MAP_SOCKMAP, 4, 8, 4));
	v = (uint64_t)file;
	EXPECT_ERR(-ENOTSOCK, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	v = 9999;
	EXPECT_ERR(-EBADF, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	v = (uint64_t)udp;	/* unbound UDP: Linux refuses it */
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	v = (1ull << 32) | (uint64_t)bound;
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, &key));	/* empty slot */
	v = (uint64_t)bound;
	EXPECT_ERR(-ENOENT, ubf_map_update_elem(map, &key, &v, UBF_EXIST));
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_ERR(-EEXIST, ubf_map_update_elem(map, &key, &v, UBF_NOEXIST));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_EQ_U64(out, cookie);
	key = 4;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, &key));
	key = 1;
	EXPECT_OK(ubf_map_delete_elem(map, &key));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, &out));
	ubf_map_free(map);

	ASSERT_OK(mk(&m4, UBF_MAP_SOCKMAP, 4, 4, 4));
	v32 = (uint32_t)bound;
	EXPECT_OK(ubf_map_update_elem(m4, &key, &v32, UBF_ANY));
	EXPECT_ERR(-ENOSPC, ubf_map_lookup_elem(m4, &key, &v32));
	ubf_map_free(m4);
	close(file);
	close(udp);
	close(bound);
}

TEST(maps_sockhash_elements)
{
	int bound = bound_udp(0);
	uint64_t v = (uint64_t)bound, out;
	struct ubf_map *map = NULL;
	uint64_t key = 10, next;

	ASSERT_TRUE(bound >= 0);
	ASSERT_OK(mk(&map, UBF_MAP_SOCKHASH, 8, 8, 2));
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, NULL, &next));
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_ANY));	/* replaces: still one */
	key = 11;
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_NOEXIST));
	key = 12;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &key));
	key = 10;
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_OK(ubf_map_delete_elem(map, &key));
	key = 12;
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_OK(ubf_map_next_key(map, NULL, &next));
	EXPECT_TRUE(next == 11 || next == 12);
	ubf_map_free(map);
	close(bound);
}

TEST(maps_reuseport_elements)
{
	int plain = bound_udp(0), rp = bound_udp(1);
	struct ubf_map *map = NULL;
	uint64_t v, out;
	uint32_t key = 0;

	ASSERT_TRUE(plain >= 0 && rp >= 0);
	ASSERT_OK(mk(&map, UBF_MAP_REUSEPORT_SOCKARRAY, 4, 8, 2));
	v = (uint64_t)plain;	/* no SO_REUSEPORT */
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	v = (uint64_t)rp;
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_OK(ubf_map_delete_elem(map, &key));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &key));
	key = 2;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_ERR(-E2BIG, ubf_map_delete_elem(map, &key));
	ubf_map_free(map);
	close(plain);
	close(rp);
}

TEST(maps_cgroup_array_elements)
{
	int file = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct ubf_map *map = NULL;
	uint32_t key = 0, v = (uint32_t)file, out;

	ASSERT_TRUE(file >= 0);
	ASSERT_OK(mk(&map, UBF_MAP_CGROUP_ARRAY, 4, 4, 2));
	EXPECT_ERR(-EBADF, ubf_map_update_elem(map, &key, &v, UBF_ANY));	/* not a cgroup */
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, &v, UBF_NOEXIST));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_elem(map, &key, &out));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &key));
	key = 2;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	ubf_map_free(map);
	close(file);
}
