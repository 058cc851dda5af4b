// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_lpm.c - BPF_MAP_TYPE_LPM_TRIE: Linux's attribute rules
 * (BPF_F_NO_PREALLOC required, key and value bounds), longest-prefix
 * matching for IPv4 and IPv6 keys, update flags and -ENOSPC, delete of
 * real and intermediate prefixes, next_key in Linux's postorder, batches,
 * a second view opened from the fd, and random operations checked against
 * a brute-force reference.
 */
#include <errno.h>
#include <stdlib.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

struct k4 {
	uint32_t prefixlen;
	uint8_t data[4];
};

struct k16 {
	uint32_t prefixlen;
	uint8_t data[16];
};

static int mk(struct ubf_map **mapp, uint32_t ksz, uint32_t vsz, uint32_t max, uint32_t flags)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_LPM_TRIE, .key_size = ksz,
		 .value_size = vsz, .max_entries = max, .map_flags = flags);
	return ubf_map_create(mapp, &a);
}

static struct k4 v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint32_t plen)
{
	struct k4 k = { plen, { a, b, c, d } };

	return k;
}

static uint32_t get4(struct ubf_map *map, struct k4 k)
{
	uint32_t v = 0;

	return ubf_map_lookup_elem(map, &k, &v) ? 0 : v;
}

static int put4(struct ubf_map *map, struct k4 k, uint32_t v, uint64_t flags)
{
	return ubf_map_update_elem(map, &k, &v, flags);
}

TEST(maps_lpm_attr)
{
	struct ubf_map *map = NULL;
	const uint32_t np = UBF_F_NO_PREALLOC;

	EXPECT_ERR(-EINVAL, mk(&map, 8, 4, 16, 0));		/* prealloc: refused */
	EXPECT_ERR(-EINVAL, mk(&map, 8, 4, 0, np));
	EXPECT_ERR(-EINVAL, mk(&map, 4, 4, 16, np));		/* no data byte */
	EXPECT_ERR(-EINVAL, mk(&map, 261, 4, 16, np));		/* more than 256 data bytes */
	EXPECT_ERR(-EINVAL, mk(&map, 8, 0, 16, np));
	EXPECT_ERR(-EINVAL, mk(&map, 8, 4, 16, np | UBF_F_ZERO_SEED));
	EXPECT_ERR(-EINVAL, mk(&map, 8, 4, 16, np | UBF_F_MMAPABLE));
	EXPECT_ERR(-EINVAL, mk(&map, 8, 4, 16, np | UBF_F_RDONLY_PROG | UBF_F_WRONLY_PROG));
	ASSERT_OK(mk(&map, 5, 1, 1, np | UBF_F_NUMA_NODE | UBF_F_RDONLY_PROG));
	ubf_map_free(map);
	ASSERT_OK(mk(&map, 260, 8, 16, np));
	EXPECT_EQ_INT(ubf_map_type(map), UBF_MAP_LPM_TRIE);
	ubf_map_free(map);
}

TEST(maps_lpm_ipv4_longest_prefix)
{
	struct ubf_map *map = NULL;
	struct k4 k;
	uint32_t v = 0, *p;

	ASSERT_OK(mk(&map, 8, 4, 16, UBF_F_NO_PREALLOC));
	EXPECT_EQ_INT(get4(map, v4(192, 168, 1, 1, 32)), 0);
	EXPECT_OK(put4(map, v4(192, 168, 0, 0, 16), 16, UBF_ANY));
	EXPECT_OK(put4(map, v4(192, 168, 0, 0, 24), 24, UBF_ANY));
	EXPECT_OK(put4(map, v4(192, 168, 1, 0, 24), 124, UBF_ANY));
	EXPECT_OK(put4(map, v4(192, 168, 128, 0, 24), 1024, UBF_ANY));
	EXPECT_OK(put4(map, v4(10, 0, 0, 0, 8), 8, UBF_ANY));
	EXPECT_OK(put4(map, v4(10, 1, 2, 3, 32), 32, UBF_ANY));
	EXPECT_EQ_INT(get4(map, v4(192, 168, 0, 5, 32)), 24);
	EXPECT_EQ_INT(get4(map, v4(192, 168, 1, 255, 32)), 124);
	EXPECT_EQ_INT(get4(map, v4(192, 168, 2, 1, 32)), 16);
	EXPECT_EQ_INT(get4(map, v4(192, 168, 128, 7, 32)), 1024);
	EXPECT_EQ_INT(get4(map, v4(192, 168, 129, 7, 32)), 16);
	EXPECT_EQ_INT(get4(map, v4(10, 1, 2, 3, 32)), 32);
	EXPECT_EQ_INT(get4(map, v4(10, 1, 2, 4, 32)), 8);
	EXPECT_EQ_INT(get4(map, v4(11, 0, 0, 0, 32)), 0);
	/* the lookup key's own prefix length bounds the match, as in Linux */
	EXPECT_EQ_INT(get4(map, v4(192, 168, 0, 5, 20)), 16);
	EXPECT_EQ_INT(get4(map, v4(10, 1, 2, 3, 31)), 8);
	/* a default route catches the rest */
	EXPECT_OK(put4(map, v4(0, 0, 0, 0, 0), 99, UBF_NOEXIST));
	EXPECT_EQ_INT(get4(map, v4(11, 0, 0, 0, 32)), 99);
	EXPECT_EQ_INT(get4(map, v4(192, 168, 2, 1, 32)), 16);
	/* the program path returns a pointer into the map */
	k = v4(192, 168, 1, 9, 32);
	p = ubf_map_lookup(map, &k);
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ_U64(*p, 124);
	*p = 125;
	EXPECT_EQ_INT(get4(map, v4(192, 168, 1, 0, 24)), 125);
	v = 126;
	k = v4(192, 168, 1, 0, 24);
	EXPECT_OK(ubf_map_update(map, &k, &v, UBF_EXIST));
	EXPECT_EQ_U64(*p, 126);
	ubf_map_free(map);
}

TEST(maps_lpm_flags_and_full)
{
	struct ubf_map *map = NULL;
	struct k4 k = v4(1, 2, 3, 4, 33);
	uint32_t v = 1;

	ASSERT_OK(mk(&map, 8, 4, 3, UBF_F_NO_PREALLOC));
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &k, &v, UBF_ANY));	/* prefixlen > 32 */
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, &k));
	EXPECT_ERR(-EINVAL, put4(map, v4(1, 0, 0, 0, 8), 1, 3));
	EXPECT_ERR(-EINVAL, put4(map, v4(1, 0, 0, 0, 8), 1, UBF_F_LOCK));
	EXPECT_ERR(-ENOENT, put4(map, v4(1, 0, 0, 0, 8), 1, UBF_EXIST));
	EXPECT_OK(put4(map, v4(1, 0, 0, 0, 8), 1, UBF_NOEXIST));
	EXPECT_ERR(-EEXIST, put4(map, v4(1, 0, 0, 0, 8), 2, UBF_NOEXIST));
	/* bits past the prefix do not make a different key */
	EXPECT_ERR(-EEXIST, put4(map, v4(1, 9, 9, 9, 8), 2, UBF_NOEXIST));
	EXPECT_OK(put4(map, v4(1, 9, 9, 9, 8), 2, UBF_EXIST));
	EXPECT_EQ_INT(get4(map, v4(1, 200, 0, 0, 32)), 2);
	EXPECT_OK(put4(map, v4(2, 0, 0, 0, 8), 3, UBF_ANY));
	EXPECT_OK(put4(map, v4(3, 0, 0, 0, 8), 4, UBF_ANY));
	EXPECT_ERR(-ENOSPC, put4(map, v4(4, 0, 0, 0, 8), 5, UBF_ANY));
	/* 0.0.0.0/6 is an intermediate node now: giving it a value needs room too */
	EXPECT_ERR(-ENOSPC, put4(map, v4(0, 0, 0, 0, 6), 5, UBF_ANY));
	EXPECT_OK(put4(map, v4(3, 0, 0, 0, 8), 6, UBF_ANY));	/* replacing fits */
	EXPECT_EQ_INT(get4(map, v4(3, 1, 1, 1, 32)), 6);
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_and_delete_elem(map, &k, &v));
	ubf_map_free(map);
}

TEST(maps_lpm_delete)
{
	struct ubf_map *map = NULL;
	struct k4 k;
	int i;

	ASSERT_OK(mk(&map, 8, 4, 8, UBF_F_NO_PREALLOC));
	EXPECT_OK(put4(map, v4(192, 168, 0, 0, 16), 16, UBF_ANY));
	EXPECT_OK(put4(map, v4(192, 168, 0, 0, 24), 24, UBF_ANY));
	EXPECT_OK(put4(map, v4(192, 168, 1, 0, 24), 124, UBF_ANY));
	/* 192.168.0.0/23 exists only as an intermediate node */
	k = v4(192, 168, 0, 0, 23);
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &k));
	k = v4(192, 168, 0, 0, 17);
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &k));
	k = v4(192, 168, 0, 0, 16);
	EXPECT_OK(ubf_map_delete_elem(map, &k));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &k));
	EXPECT_EQ_INT(get4(map, v4(192, 168, 2, 1, 32)), 0);
	EXPECT_EQ_INT(get4(map, v4(192, 168, 0, 1, 32)), 24);
	EXPECT_EQ_INT(get4(map, v4(192, 168, 1, 1, 32)), 124);
	k = v4(192, 168, 0, 0, 24);
	EXPECT_OK(ubf_map_delete_elem(map, &k));
	EXPECT_EQ_INT(get4(map, v4(192, 168, 0, 1, 32)), 0);
	EXPECT_EQ_INT(get4(map, v4(192, 168, 1, 1, 32)), 124);
	k = v4(192, 168, 1, 0, 24);
	EXPECT_OK(ubf_map_delete_elem(map, &k));
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, NULL, &k));
	/* nodes are recycled: many rounds never run out of pool */
	for (i = 0; i < 200; i++) {
		uint8_t b = (uint8_t)i;
		int j;

		for (j = 0; j < 8; j++)
			ASSERT_OK(put4(map, v4(b, (uint8_t)(j * 32), 0, 0, 11 + (uint32_t)j), 1,
				       UBF_NOEXIST));
		for (j = 0; j < 8; j++) {
			k = v4(b, (uint8_t)(j * 32), 0, 0, 11 + (uint32_t)j);
			ASSERT_OK(ubf_map_delete_elem(map, &k));
		}
	}
	ubf_map_free(map);
}

TEST(maps_lpm_next_key_postorder)
{
	struct ubf_map *map = NULL;
	struct k4 k, want[4] = {
		v4(192, 168, 0, 0, 24), v4(192, 168, 1, 0, 24),
		v4(192, 168, 128, 0, 24), v4(192, 168, 0, 0, 16),
	};
	int i;

	ASSERT_OK(mk(&map, 8, 4, 8, UBF_F_NO_PREALLOC));
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, NULL, &k));
	EXPECT_OK(put4(map, want[3], 1, UBF_ANY));
	EXPECT_OK(put4(map, want[1], 1, UBF_ANY));
	EXPECT_OK(put4(map, want[0], 1, UBF_ANY));
	EXPECT_OK(put4(map, want[2], 1, UBF_ANY));
	/* Linux's example: more specific prefixes first */
	ASSERT_OK(ubf_map_next_key(map, NULL, &k));
	for (i = 0; i < 4; i++) {
		EXPECT_TRUE(!memcmp(&k, &want[i], sizeof(k)));
		if (i < 3)
			ASSERT_OK(ubf_map_next_key(map, &k, &k));
	}
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, &k, &k));
	/* a missing key, an intermediate prefix, a too long prefix: restart */
	k = v4(9, 9, 9, 9, 32);
	ASSERT_OK(ubf_map_next_key(map, &k, &k));
	EXPECT_TRUE(!memcmp(&k, &want[0], sizeof(k)));
	k = v4(192, 168, 0, 0, 23);
	ASSERT_OK(ubf_map_next_key(map, &k, &k));
	EXPECT_TRUE(!memcmp(&k, &want[0], sizeof(k)));
	k = v4(192, 168, 1, 0, 40);
	ASSERT_OK(ubf_map_next_key(map, &k, &k));
	EXPECT_TRUE(!memcmp(&k, &want[0], sizeof(k)));
	ubf_map_free(map);
}

TEST(maps_lpm_batch_and_open_fd)
{
	struct ubf_map *map = NULL, *view = NULL;
	struct k4 keys[8], cursor;
	uint32_t vals[8], n = 8;

	ASSERT_OK(mk(&map, 8, 4, 8, UBF_F_NO_PREALLOC));
	EXPECT_OK(put4(map, v4(10, 0, 0, 0, 8), 8, UBF_ANY));
	EXPECT_OK(put4(map, v4(10, 20, 0, 0, 16), 16, UBF_ANY));
	ASSERT_OK(ubf_map_open_fd(&view, ubf_map_fd(map)));
	EXPECT_EQ_INT(get4(view, v4(10, 20, 30, 40, 32)), 16);
	EXPECT_OK(put4(view, v4(10, 20, 30, 0, 24), 24, UBF_ANY));
	EXPECT_EQ_INT(get4(map, v4(10, 20, 30, 40, 32)), 24);
	EXPECT_ERR(-ENOENT, ubf_map_lookup_batch(map, NULL, &cursor, keys, vals, &n, NULL));
	ASSERT_TRUE(n == 3);
	EXPECT_TRUE(!memcmp(&keys[0], &(struct k4){ 24, { 10, 20, 30, 0 } }, sizeof(keys[0])));
	EXPECT_EQ_INT(vals[0], 24);
	EXPECT_EQ_INT(vals[1], 16);
	EXPECT_EQ_INT(vals[2], 8);
	EXPECT_OK(ubf_map_delete_batch(view, keys, &n, NULL));
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, NULL, &cursor));
	ubf_map_free(view);
	ubf_map_free(map);
}

static void ipv6(struct k16 *k, uint16_t a, uint16_t b, uint16_t c, uint16_t d, uint32_t plen)
{
	uint16_t w[4] = { a, b, c, d };
	int i;

	memset(k, 0, sizeof(*k));
	k->prefixlen = plen;
	for (i = 0; i < 4; i++) {
		k->data[2 * i] = (uint8_t)(w[i] >> 8);
		k->data[2 * i + 1] = (uint8_t)w[i];
	}
}

TEST(maps_lpm_ipv6)
{
	struct ubf_map *map = NULL;
	struct k16 k;
	uint64_t v, out;

	ASSERT_OK(mk(&map, 20, 8, 32, UBF_F_NO_PREALLOC));
	ipv6(&k, 0x2001, 0x0db8, 0, 0, 32);
	v = 32;
	EXPECT_OK(ubf_map_update_elem(map, &k, &v, UBF_ANY));
	ipv6(&k, 0x2001, 0x0db8, 0x0001, 0, 48);
	v = 48;
	EXPECT_OK(ubf_map_update_elem(map, &k, &v, UBF_ANY));
	ipv6(&k, 0x2001, 0x0db8, 0x0001, 0x0002, 64);
	v = 64;
	EXPECT_OK(ubf_map_update_elem(map, &k, &v, UBF_ANY));
	ipv6(&k, 0x2001, 0x0db8, 0x0001, 0x0002, 128);
	k.data[15] = 1;
	v = 128;
	EXPECT_OK(ubf_map_update_elem(map, &k, &v, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, &k, &out));
	EXPECT_EQ_U64(out, 128);
	k.data[15] = 2;
	EXPECT_OK(ubf_map_lookup_elem(map, &k, &out));
	EXPECT_EQ_U64(out, 64);
	ipv6(&k, 0x2001, 0x0db8, 0x0001, 0x0003, 128);
	EXPECT_OK(ubf_map_lookup_elem(map, &k, &out));
	EXPECT_EQ_U64(out, 48);
	ipv6(&k, 0x2001, 0x0db8, 0x0002, 0, 128);
	EXPECT_OK(ubf_map_lookup_elem(map, &k, &out));
	EXPECT_EQ_U64(out, 32);
	ipv6(&k, 0x2001, 0x0db9, 0, 0, 128);
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &k, &out));
	k.prefixlen = 129;
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &k, &v, UBF_ANY));
	ubf_map_free(map);
}

/* Brute force: the longest stored prefix covering @addr, or -1. */
struct ref_entry {
	uint32_t addr, plen, val;
	int used;
};

static uint32_t mask(uint32_t plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

static int ref_lookup(const struct ref_entry *r, int n, uint32_t addr, uint32_t plen)
{
	int i, best = -1;

	for (i = 0; i < n; i++) {
		if (!r[i].used || r[i].plen > plen || ((addr ^ r[i].addr) & mask(r[i].plen)))
			continue;
		if (best < 0 || r[i].plen > r[best].plen)
			best = i;
	}
	return best;
}

static struct k4 key_of(uint32_t addr, uint32_t plen)
{
	return v4((uint8_t)(addr >> 24), (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
		  (uint8_t)addr, plen);
}

static int ref_find(const struct ref_entry *r, int n, uint32_t addr, uint32_t plen)
{
	int i;

	for (i = 0; i < n; i++) {
		if (r[i].used && r[i].plen == plen && !((addr ^ r[i].addr) & mask(plen)))
			return i;
	}
	return -1;
}

TEST(maps_lpm_random_vs_reference)
{
	enum { N = 64, OPS = 20000 };
	struct ref_entry r[N];
	struct ubf_map *map = NULL;
	unsigned int seed = 12345, live = 0;
	int op;

	memset(r, 0, sizeof(r));
	ASSERT_OK(mk(&map, 8, 4, N, UBF_F_NO_PREALLOC));
	for (op = 0; op < OPS && !ubf_test_failed(); op++) {
		/* few high bits so prefixes nest and share paths often */
		uint32_t addr = (uint32_t)rand_r(&seed) & 0xf0f00000u;
		uint32_t plen = (uint32_t)rand_r(&seed) % 33, got, v = (uint32_t)op;
		int act = rand_r(&seed) % 3, at = ref_find(r, N, addr, plen), slot, best;
		struct k4 k = key_of(addr, plen);

		if (act == 0) {
			for (slot = 0; slot < N && r[slot].used; slot++)
				;
			if (at < 0 && live == N) {
				EXPECT_ERR(-ENOSPC, ubf_map_update_elem(map, &k, &v, UBF_ANY));
				continue;
			}
			EXPECT_OK(ubf_map_update_elem(map, &k, &v, UBF_ANY));
			if (at < 0) {
				at = slot;
				live++;
			}
			r[at] = (struct ref_entry){ addr & mask(plen), plen, v, 1 };
		} else if (act == 1) {
			EXPECT_ERR(at < 0 ? -ENOENT : 0, ubf_map_delete_elem(map, &k));
			if (at >= 0) {
				r[at].used = 0;
				live--;
			}
		} else {
			uint32_t q = addr | ((uint32_t)rand_r(&seed) & 0x0f0fffffu);

			k = key_of(q, 32);
			best = ref_lookup(r, N, q, 32);
			got = 0;
			EXPECT_ERR(best < 0 ? -ENOENT : 0, ubf_map_lookup_elem(map, &k, &got));
			if (best >= 0)
				EXPECT_EQ_INT(got, r[best].val);
		}
	}
	/* iteration yields every live prefix exactly once */
	{
		struct k4 k;
		uint32_t seen = 0;
		int err = ubf_map_next_key(map, NULL, &k);

		while (!err) {
			uint32_t addr = ((uint32_t)k.data[0] << 24) | ((uint32_t)k.data[1] << 16) |
					((uint32_t)k.data[2] << 8) | k.data[3];

			EXPECT_TRUE(ref_find(r, N, addr, k.prefixlen) >= 0);
			seen++;
			err = ubf_map_next_key(map, &k, &k);
		}
		EXPECT_ERR(-ENOENT, err);
		EXPECT_EQ_INT(seen, live);
	}
	ubf_map_free(map);
}
