// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_btf.c - BTF objects through ubf_bpf(): BTF_LOAD of blobs built
 * with libbpf's btf__add_*() (and a broken copy), the log buffer rules,
 * BTF info, BTF_GET_FD_BY_ID / GET_NEXT_ID, ubf_sys_btf_get(), and
 * MAP_CREATE with BTF key/value types: the size checks, the array key
 * rule and a struct bpf_spin_lock found in the value.
 */
#define _GNU_SOURCE
#include "test_sys.h"

#include <fcntl.h>

#include <bpf/btf.h>

#include "maps/map.h"
#include "sys/sys.h"
#include "test.h"

/*
 * [1] int (4 bytes), [2] struct bpf_spin_lock { int val; },
 * [3] struct val { int a; struct bpf_spin_lock lock; long b; } (16 bytes),
 * [4] struct plain { int a; int b; } (8 bytes), [5] typedef u32 -> int.
 */
static struct btf *make_btf(void)
{
	struct btf *btf = btf__new_empty();

	if (!btf)
		return NULL;
	btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(btf, "bpf_spin_lock", 4);
	btf__add_field(btf, "val", 1, 0, 0);
	btf__add_struct(btf, "val", 16);
	btf__add_field(btf, "a", 1, 0, 0);
	btf__add_field(btf, "lock", 2, 32, 0);
	btf__add_field(btf, "b", 1, 64, 0);
	btf__add_struct(btf, "plain", 8);
	btf__add_field(btf, "a", 1, 0, 0);
	btf__add_field(btf, "b", 1, 32, 0);
	btf__add_typedef(btf, "u32", 1);
	return btf;
}

static int load_blob(const void *data, uint32_t size, char *log, uint32_t log_size,
		     uint32_t level)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.btf = (uint64_t)(uintptr_t)data;
	a.btf_size = size;
	a.btf_log_buf = (uint64_t)(uintptr_t)log;
	a.btf_log_size = log_size;
	a.btf_log_level = level;
	return sys_bpf(BPF_BTF_LOAD, &a);
}

static int load_btf(struct btf *btf)
{
	uint32_t size;
	const void *data = btf__raw_data(btf, &size);

	return load_blob(data, size, NULL, 0, 0);
}

TEST(sys_btf_load_info_and_ids)
{
	struct btf *btf = make_btf(), *back = NULL;
	struct bpf_btf_info info;
	uint8_t copy[512];
	char dir[64], name[8] = "xx", log[4096];
	uint32_t size, next = 0;
	const void *data;
	union bpf_attr a;
	int fd, fd2;

	ASSERT_TRUE(btf != NULL);
	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	data = btf__raw_data(btf, &size);
	fd = load_blob(data, size, log, sizeof(log), 1);
	ASSERT_TRUE(fd >= 0);
	EXPECT_TRUE(strstr(log, "magic: 0xeb9f") != NULL);
	EXPECT_TRUE(strstr(log, "STRUCT bpf_spin_lock") != NULL);
	/* info: blob copied, size, id, empty name */
	memset(&info, 0, sizeof(info));
	info.btf = (uint64_t)(uintptr_t)copy;
	info.btf_size = sizeof(copy);
	info.name = (uint64_t)(uintptr_t)name;
	info.name_len = sizeof(name);
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info = (uint64_t)(uintptr_t)&info;
	a.info.info_len = sizeof(info);
	ASSERT_OK(sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ_INT(a.info.info_len, sizeof(info));
	EXPECT_EQ_INT(info.btf_size, size);
	EXPECT_TRUE(!memcmp(copy, data, size));
	EXPECT_TRUE(info.id > 0);
	EXPECT_EQ_INT(info.name_len, 0);
	EXPECT_EQ_INT(name[0], 0);
	EXPECT_EQ_INT(info.kernel_btf, 0);
	/* a name pointer without a length: EINVAL */
	info.name_len = 0;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	/* by id, and next id */
	memset(&a, 0, sizeof(a));
	a.btf_id = info.id;
	fd2 = sys_bpf(BPF_BTF_GET_FD_BY_ID, &a);
	ASSERT_TRUE(fd2 >= 0);
	ASSERT_OK(ubf_sys_btf_get(fd2, &back));
	EXPECT_EQ_INT(btf__type_cnt(back), btf__type_cnt(btf));
	EXPECT_STREQ(btf__name_by_offset(back, btf__type_by_id(back, 3)->name_off), "val");
	a.open_flags = 1;	/* not read by BTF_GET_FD_BY_ID in 6.1 */
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_BTF_GET_FD_BY_ID, &a));
	memset(&a, 0, sizeof(a));
	a.btf_id = info.id + 1000;
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_BTF_GET_FD_BY_ID, &a));
	memset(&a, 0, sizeof(a));
	a.start_id = 0;
	ASSERT_OK(sys_bpf(BPF_BTF_GET_NEXT_ID, &a));
	next = a.next_id;
	EXPECT_EQ_INT(next, info.id);
	a.start_id = next;
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_BTF_GET_NEXT_ID, &a));
	a.open_flags = 1;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_BTF_GET_NEXT_ID, &a));
	EXPECT_ERR(-EINVAL, ubf_sys_btf_get(open("/dev/null", O_RDONLY | O_CLOEXEC), &back));
	EXPECT_ERR(-EBADF, ubf_sys_btf_get(9999, &back));
	close(fd);
	close(fd2);
	btf__free(btf);
	sys_store_end(dir);
}

TEST(sys_btf_load_errnos_and_log_rules)
{
	struct btf *btf = make_btf();
	uint8_t bad[1024];
	char dir[64], log[256];
	uint32_t size;
	const void *data;

	ASSERT_TRUE(btf != NULL);
	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	data = btf__raw_data(btf, &size);
	ASSERT_TRUE(size <= sizeof(bad));
	EXPECT_ERR(-E2BIG, load_blob(data, 17u << 20, NULL, 0, 0));
	EXPECT_ERR(-EFAULT, load_blob(NULL, size, NULL, 0, 0));
	EXPECT_ERR(-EINVAL, load_blob(data, 0, NULL, 0, 0));
	/* log rules: level without buffer, buffer under 128 bytes, unknown level bits */
	EXPECT_ERR(-EINVAL, load_blob(data, size, NULL, 0, 1));
	EXPECT_ERR(-EINVAL, load_blob(data, size, log, 64, 1));
	EXPECT_ERR(-EINVAL, load_blob(data, size, log, sizeof(log), 8));
	EXPECT_ERR(-EINVAL, load_blob(data, size, log, sizeof(log), 0));
	/* a log too small for what there is to say: ENOSPC, truncated, NUL-terminated */
	memset(log, 'x', sizeof(log));
	EXPECT_ERR(-ENOSPC, load_blob(data, size, log, 128, 1));
	EXPECT_EQ_INT(log[127], 0);
	EXPECT_TRUE(!strncmp(log, "magic: 0xeb9f", 13));
	/* broken blobs: magic, version (ENOTSUPP), a type pointing past the end */
	memcpy(bad, data, size);
	bad[0] ^= 0xff;
	memset(log, 0, sizeof(log));
	EXPECT_ERR(-EINVAL, load_blob(bad, size, log, sizeof(log), 1));
	EXPECT_TRUE(strstr(log, "Invalid magic") != NULL);
	memcpy(bad, data, size);
	bad[2] = 2;
	EXPECT_ERR(-524, load_blob(bad, size, NULL, 0, 0));
	memcpy(bad, data, size);
	EXPECT_ERR(-EINVAL, load_blob(bad, size - 3, NULL, 0, 0));
	btf__free(btf);
	sys_store_end(dir);
}

TEST(sys_btf_map_create_checks_types_and_finds_spin_lock)
{
	struct btf *btf = make_btf();
	struct bpf_map_info info;
	struct ubf_obj *obj;
	union bpf_attr a;
	char dir[64];
	int bfd, fd;

	ASSERT_TRUE(btf != NULL);
	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	bfd = load_btf(btf);
	ASSERT_TRUE(bfd >= 0);
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = 4;
	a.value_size = 16;
	a.max_entries = 4;
	a.btf_fd = (uint32_t)bfd;
	a.btf_key_type_id = 5;		/* typedef u32 */
	a.btf_value_type_id = 3;	/* struct val, lock at 4 */
	fd = sys_bpf(BPF_MAP_CREATE, &a);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(ubf_obj_get(fd, UBF_OBJ_MAP, &obj));
	EXPECT_EQ_INT(obj->map->lock_off, 4);
	ASSERT_OK(sys_map_info(fd, &info));
	EXPECT_TRUE(info.btf_id > 0);
	EXPECT_EQ_INT(info.btf_key_type_id, 5);
	EXPECT_EQ_INT(info.btf_value_type_id, 3);
	{
		uint32_t k = 1;
		uint32_t v[4] = { 1, 0xdead, 3, 4 }, out[4];

		EXPECT_OK(sys_update(fd, &k, v, BPF_F_LOCK));
		EXPECT_OK(sys_lookup(fd, &k, out));
		EXPECT_EQ_INT(out[0], 1);
		EXPECT_EQ_INT(out[1], 0);	/* the lock word reads as zero */
		EXPECT_EQ_INT(out[2], 3);
	}
	close(fd);
	/* a lock and BPF_F_RDONLY_PROG: EACCES; a lock in a type that cannot hold one: ENOTSUPP */
	a.map_flags = BPF_F_RDONLY_PROG;
	EXPECT_ERR(-EACCES, sys_bpf(BPF_MAP_CREATE, &a));
	a.map_flags = 0;
	a.map_type = BPF_MAP_TYPE_LRU_HASH;
	EXPECT_ERR(-524, sys_bpf(BPF_MAP_CREATE, &a));
	/* sizes must match the types */
	a.map_type = BPF_MAP_TYPE_HASH;
	a.value_size = 8;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_CREATE, &a));
	a.value_size = 16;
	a.key_size = 8;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_CREATE, &a));
	a.key_size = 4;
	a.btf_value_type_id = 999;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_CREATE, &a));
	/* hash maps need a key type; arrays need an int key */
	a.btf_value_type_id = 4;
	a.value_size = 8;
	a.btf_key_type_id = 0;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_CREATE, &a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.btf_key_type_id = 4;
	a.key_size = 8;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_CREATE, &a));
	a.btf_key_type_id = 1;
	a.key_size = 4;
	fd = sys_bpf(BPF_MAP_CREATE, &a);
	EXPECT_TRUE(fd >= 0);
	close(fd);
	/* btf_fd of another kind: EINVAL */
	a.btf_fd = (uint32_t)sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_CREATE, &a));
	close((int)a.btf_fd);
	/* the map holds its BTF: the BTF object outlives its fd */
	a.btf_fd = (uint32_t)bfd;
	fd = sys_bpf(BPF_MAP_CREATE, &a);
	ASSERT_TRUE(fd >= 0);
	close(bfd);
	ubf_obj_sweep();
	ASSERT_OK(sys_map_info(fd, &info));
	memset(&a, 0, sizeof(a));
	a.btf_id = info.btf_id;
	bfd = sys_bpf(BPF_BTF_GET_FD_BY_ID, &a);
	EXPECT_TRUE(bfd >= 0);
	close(bfd);
	close(fd);
	btf__free(btf);
	sys_store_end(dir);
}

TEST(sys_btf_cannot_be_pinned)
{
	struct btf *btf = make_btf();
	char dir[64];
	int fd;

	ASSERT_TRUE(btf != NULL);
	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = load_btf(btf);
	ASSERT_TRUE(fd >= 0);
	EXPECT_ERR(-EINVAL, sys_pin(fd, "/sys/fs/bpf/btf"));
	close(fd);
	btf__free(btf);
	sys_store_end(dir);
}
