// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_generic.c - the rules map.c applies to every map type: attribute
 * checks shared by all types (name, access flags, map_extra, spin lock,
 * unknown fields), freeze and read/write-only maps, missing ops, opening a
 * map from its fd (also in a forked child that updates it), the header in
 * the memfd's last page, BPF_F_LOCK, and the batch operations.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

TEST(maps_generic_attr_checks)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_HASH, .key_size = 4, .value_size = 4,
		 .max_entries = 4);
	struct ubf_map *map = NULL;
	struct {
		struct ubf_map_attr a;
		uint64_t extra;
	} big;

	EXPECT_ERR(-EINVAL, ubf_map_create(NULL, &a));
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, NULL));
	a.map_type = 26;	/* BPF_MAP_TYPE_STRUCT_OPS: not implemented */
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	a.map_type = UBF_MAP_HASH;
	memcpy(a.map_name, "bad-name", 9);
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	memset(a.map_name, 'a', sizeof(a.map_name));	/* no NUL within 16 bytes */
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	memcpy(a.map_name, "good.name_1", 12);
	a.map_flags = UBF_F_RDONLY | UBF_F_WRONLY;
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	a.map_flags = UBF_F_RDONLY_PROG | UBF_F_WRONLY_PROG;
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	a.map_flags = 0;
	a.map_extra = 3;
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	a.map_extra = 0;
	/* a newer caller's struct: unknown trailing bytes must be zero */
	memset(&big, 0, sizeof(big));
	big.a = a;
	big.a.sz = sizeof(big);
	big.extra = 1;
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &big.a));
	big.extra = 0;
	ASSERT_OK(ubf_map_create(&map, &big.a));
	EXPECT_STREQ(ubf_map_name(map), "good.name_1");
	EXPECT_EQ_INT(ubf_map_type(map), UBF_MAP_HASH);
	EXPECT_EQ_INT(ubf_map_key_size(map), 4);
	EXPECT_EQ_INT(ubf_map_value_size(map), 4);
	EXPECT_EQ_INT(ubf_map_max_entries(map), 4);
	EXPECT_EQ_INT(ubf_map_flags(map), 0);
	EXPECT_TRUE(ubf_map_fd(map) >= 0);
	ubf_map_free(map);
	ubf_map_free(NULL);
}

TEST(maps_generic_spin_lock_attr)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_ARRAY, .key_size = 4, .value_size = 8,
		 .max_entries = 1, .has_spin_lock = 1, .spin_lock_off = 6);
	struct ubf_map *map = NULL;

	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));	/* misaligned */
	a.spin_lock_off = 8;
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));	/* outside the value */
	a.spin_lock_off = 4;
	a.map_type = UBF_MAP_PERCPU_ARRAY;
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_create(&map, &a));
	a.map_type = UBF_MAP_ARRAY;
	ASSERT_OK(ubf_map_create(&map, &a));
	ubf_map_free(map);
}

static void check_lock_flag(uint32_t type)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = type, .key_size = 4, .value_size = 16,
		 .max_entries = 4, .has_spin_lock = 1, .spin_lock_off = 4);
	uint32_t key = 1, v[4] = { 11, 0xffffffff, 33, 44 }, out[4];
	struct ubf_map *map = NULL, *plain = NULL;
	uint32_t *p;

	ASSERT_OK(ubf_map_create(&map, &a));
	ASSERT_OK(mk(&plain, type, 4, 16, 4, 0));
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(plain, &key, v, UBF_F_LOCK));
	EXPECT_ERR(-EINVAL, ubf_map_lookup_elem_flags(plain, &key, out, UBF_F_LOCK));
	EXPECT_ERR(-EINVAL, ubf_map_lookup_elem_flags(map, &key, out, 8));
	EXPECT_OK(ubf_map_update_elem(map, &key, v, UBF_ANY));
	EXPECT_OK(ubf_map_update_elem(map, &key, v, UBF_F_LOCK | UBF_EXIST));
	memset(out, 0x55, sizeof(out));
	EXPECT_OK(ubf_map_lookup_elem_flags(map, &key, out, UBF_F_LOCK));
	EXPECT_EQ_U64(out[0], 11);
	EXPECT_EQ_U64(out[1], 0);	/* the lock word never leaves the map */
	EXPECT_EQ_U64(out[2], 33);
	EXPECT_EQ_U64(out[3], 44);
	/* the lock word in the map is not the caller's to set */
	p = ubf_map_lookup(map, &key);
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ_U64(p[1], 0);
	/* a held lock blocks F_LOCK writers only: set it and write without the flag */
	ubf_spin_lock(&p[1]);
	v[0] = 12;
	EXPECT_OK(ubf_map_update_elem(map, &key, v, UBF_ANY));
	EXPECT_EQ_U64(p[0], 12);
	EXPECT_EQ_U64(p[1], 1);
	ubf_spin_unlock(&p[1]);
	ubf_map_free(plain);
	ubf_map_free(map);
}

TEST(maps_generic_lock_flag)
{
	check_lock_flag(UBF_MAP_ARRAY);
	check_lock_flag(UBF_MAP_HASH);
}

TEST(maps_generic_freeze_and_access)
{
	struct ubf_map *map = NULL;
	uint32_t key = 0, val = 7, out = 0;

	ASSERT_OK(mk(&map, UBF_MAP_ARRAY, 4, 4, 2, 0));
	EXPECT_OK(ubf_map_update_elem(map, &key, &val, UBF_ANY));
	EXPECT_OK(ubf_map_freeze(map));
	EXPECT_ERR(-EBUSY, ubf_map_freeze(map));
	EXPECT_ERR(-EPERM, ubf_map_update_elem(map, &key, &val, UBF_ANY));
	EXPECT_ERR(-EPERM, ubf_map_delete_elem(map, &key));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_EQ_U64(out, 7);
	/* programs still write to a frozen map */
	val = 8;
	EXPECT_OK(ubf_map_update(map, &key, &val, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_EQ_U64(out, 8);
	ubf_map_free(map);

	ASSERT_OK(mk(&map, UBF_MAP_HASH, 4, 4, 2, UBF_F_RDONLY));
	EXPECT_ERR(-EPERM, ubf_map_update_elem(map, &key, &val, UBF_ANY));
	EXPECT_OK(ubf_map_update(map, &key, &val, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	ubf_map_free(map);
	ASSERT_OK(mk(&map, UBF_MAP_HASH, 4, 4, 2, UBF_F_WRONLY));
	EXPECT_OK(ubf_map_update_elem(map, &key, &val, UBF_ANY));
	EXPECT_ERR(-EPERM, ubf_map_lookup_elem(map, &key, &out));
	EXPECT_ERR(-EPERM, ubf_map_next_key(map, NULL, &out));
	ubf_map_free(map);
}

TEST(maps_generic_missing_ops)
{
	struct ubf_map *map = NULL;
	uint32_t key = 0, val = 0;

	ASSERT_OK(mk(&map, UBF_MAP_RINGBUF, 0, 0, (uint32_t)ubf_shm_page_size(), 0));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_elem(map, NULL, &val));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_update_elem(map, NULL, &val, 0));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_delete_elem(map, NULL));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_next_key(map, NULL, &key));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_pop(map, &val));
	EXPECT_TRUE(ubf_map_lookup(map, &key) == NULL);
	ubf_map_free(map);
	ASSERT_OK(mk(&map, UBF_MAP_ARRAY, 4, 4, 2, 0));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_and_delete_elem(map, &key, &val));
	EXPECT_ERR(-EINVAL, ubf_map_lookup_elem(map, NULL, &val));
	ubf_map_free(map);
}

TEST(maps_generic_header_at_end)
{
	size_t page = ubf_shm_page_size();
	struct ubf_map *map = NULL;
	struct ubf_map_hdr *h;
	struct stat st;
	void *p;

	ASSERT_OK(mk(&map, UBF_MAP_ARRAY, 4, 8, 1000, UBF_F_MMAPABLE));
	ASSERT_OK(fstat(ubf_map_fd(map), &st));
	EXPECT_EQ_U64(st.st_size, ubf_round_up(8000, page) + page);
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, ubf_map_fd(map), st.st_size - (off_t)page);
	ASSERT_TRUE(p != MAP_FAILED);
	h = p;
	EXPECT_EQ_U64(h->magic, UBF_MAP_MAGIC);
	EXPECT_EQ_U64(h->map_type, UBF_MAP_ARRAY);
	EXPECT_EQ_U64(h->value_size, 8);
	EXPECT_EQ_U64(h->max_entries, 1000);
	munmap(p, page);
	ubf_map_free(map);
}

TEST(maps_generic_open_fd_rejects)
{
	struct ubf_map *map = NULL, *copy = NULL;
	int fd, pfd[2];
	uint8_t junk[8192] = { 0 };

	EXPECT_ERR(-EBADF, ubf_map_open_fd(&map, -1));
	EXPECT_ERR(-EBADF, ubf_map_open_fd(&map, 1 << 20));
	ASSERT_OK(pipe(pfd));
	EXPECT_ERR(-EINVAL, ubf_map_open_fd(&map, pfd[0]));
	close(pfd[0]);
	close(pfd[1]);
	fd = memfd_create("junk", MFD_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	ASSERT_TRUE(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
	EXPECT_ERR(-EINVAL, ubf_map_open_fd(&map, fd));
	close(fd);

	ASSERT_OK(mk(&map, UBF_MAP_HASH, 4, 4, 8, 0));
	/* a header that lies about the value size no longer matches the layout */
	map->hdr->value_size = 4096;
	EXPECT_ERR(-EINVAL, ubf_map_open_fd(&copy, ubf_map_fd(map)));
	map->hdr->value_size = 4;
	map->hdr->magic ^= 1;
	EXPECT_ERR(-EINVAL, ubf_map_open_fd(&copy, ubf_map_fd(map)));
	map->hdr->magic ^= 1;
	ASSERT_OK(ubf_map_open_fd(&copy, ubf_map_fd(map)));
	EXPECT_TRUE(ubf_map_fd(copy) != ubf_map_fd(map));
	ubf_map_free(copy);
	ubf_map_free(map);
}

static void cross_process(uint32_t type)
{
	struct ubf_map *map = NULL;
	uint32_t key = 5, val = 0, n;
	int status;
	pid_t pid;

	ASSERT_OK(mk(&map, type, 4, 4, 64, 0));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		struct ubf_map *child = NULL;
		uint32_t k = 5, v = 0xabcd;

		if (ubf_map_open_fd(&child, ubf_map_fd(map)))
			_exit(2);
		if (ubf_map_update_elem(child, &k, &v, UBF_ANY))
			_exit(3);
		for (k = 10; k < 40; k++) {
			if (ubf_map_update_elem(child, &k, &k,
						type == UBF_MAP_ARRAY ? UBF_ANY : UBF_NOEXIST))
				_exit(4);
		}
		ubf_map_free(child);
		_exit(0);
	}
	ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ_INT(WEXITSTATUS(status), 0);
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &val));
	EXPECT_EQ_U64(val, 0xabcd);
	for (n = 10; n < 40; n++) {
		val = 0;
		EXPECT_OK(ubf_map_lookup_elem(map, &n, &val));
		EXPECT_EQ_U64(val, n);
	}
	ubf_map_free(map);
}

TEST(maps_generic_cross_process)
{
	cross_process(UBF_MAP_HASH);
	cross_process(UBF_MAP_ARRAY);
	cross_process(UBF_MAP_LRU_HASH);
}

static void batch_all(uint32_t type)
{
	UBF_OPTS(ubf_map_batch_opts, opts);
	uint32_t keys[16], vals[16], out_keys[16], out_vals[16], cursor, count, i, total = 0;
	uint64_t seen = 0;
	struct ubf_map *map = NULL;
	const void *in = NULL;
	int err;

	ASSERT_OK(mk(&map, type, 4, 4, 16, 0));
	for (i = 0; i < 10; i++) {
		keys[i] = i;
		vals[i] = 100 + i;
	}
	count = 10;
	EXPECT_OK(ubf_map_update_batch(map, keys, vals, &count, &opts));
	EXPECT_EQ_INT(count, 10);
	do {
		count = 3;
		err = ubf_map_lookup_batch(map, in, &cursor, out_keys, out_vals, &count, &opts);
		EXPECT_TRUE(err == 0 || err == -ENOENT);
		for (i = 0; i < count; i++) {
			if (type == UBF_MAP_HASH || out_keys[i] < 10)
				EXPECT_EQ_U64(out_vals[i], 100 + out_keys[i]);
			seen |= 1ull << out_keys[i];
		}
		total += count;
		in = &cursor;
	} while (!err && total < 64);
	EXPECT_ERR(-ENOENT, err);
	EXPECT_EQ_INT(total, type == UBF_MAP_HASH ? 10 : 16);
	EXPECT_EQ_U64(seen & 0x3ff, 0x3ff);
	count = 4;
	if (type == UBF_MAP_HASH) {
		EXPECT_OK(ubf_map_delete_batch(map, keys, &count, &opts));
		EXPECT_EQ_INT(count, 4);
		count = 16;
		EXPECT_ERR(-ENOENT, ubf_map_lookup_and_delete_batch(map, NULL, &cursor, out_keys,
								    out_vals, &count, &opts));
		EXPECT_EQ_INT(count, 6);
		for (i = 0; i < count; i++)
			EXPECT_EQ_U64(out_vals[i], 100 + out_keys[i]);
		EXPECT_ERR(-ENOENT, ubf_map_next_key(map, NULL, &cursor));
	} else {
		EXPECT_ERR(-EINVAL, ubf_map_delete_batch(map, keys, &count, &opts));
		EXPECT_EQ_INT(count, 0);
		count = 4;
		EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_and_delete_batch(map, NULL, &cursor,
									out_keys, out_vals,
									&count, &opts));
	}
	/* an update batch stops at the first failure and reports how far it got */
	keys[2] = 99;
	count = 5;
	opts.elem_flags = type == UBF_MAP_HASH ? UBF_NOEXIST : UBF_ANY;
	err = ubf_map_update_batch(map, keys, vals, &count, &opts);
	if (type == UBF_MAP_HASH) {
		EXPECT_OK(err);
	} else {
		EXPECT_ERR(-E2BIG, err);
		EXPECT_EQ_INT(count, 2);
	}
	opts.flags = 1;
	EXPECT_ERR(-EINVAL, ubf_map_update_batch(map, keys, vals, &count, &opts));
	ubf_map_free(map);
}

TEST(maps_generic_batch)
{
	batch_all(UBF_MAP_HASH);
	batch_all(UBF_MAP_ARRAY);
}
