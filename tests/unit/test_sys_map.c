// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_map.c - the map commands of ubf_bpf(): MAP_CREATE's attr checks
 * and Linux errnos, element commands (EFAULT for bad pointers, EBADF and
 * EINVAL for bad and wrong-kind fds), fd access modes (BPF_F_RDONLY /
 * WRONLY), FREEZE, the BATCH commands across more elements than one
 * internal chunk, fd-valued slots (map-in-map ids, program-side inner
 * maps through the resolver) and map info.
 */
#define _GNU_SOURCE
#include "test_sys.h"

#include <fcntl.h>
#include <net/if.h>

#include "maps/map.h"
#include "sys/sys.h"
#include "test.h"

static int create_attr(union bpf_attr *a)
{
	return sys_bpf(BPF_MAP_CREATE, a);
}

static void base_attr(union bpf_attr *a, uint32_t type)
{
	memset(a, 0, sizeof(*a));
	a->map_type = type;
	a->key_size = 4;
	a->value_size = 8;
	a->max_entries = 4;
}

TEST(sys_map_create_and_info)
{
	struct bpf_map_info info;
	union bpf_attr a;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.max_entries = 16;
	a.map_flags = BPF_F_NO_PREALLOC;
	strcpy(a.map_name, "my_map.x");
	fd = create_attr(&a);
	ASSERT_TRUE(fd >= 0);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ASSERT_OK(sys_map_info(fd, &info));
	EXPECT_EQ_INT(info.type, BPF_MAP_TYPE_HASH);
	EXPECT_TRUE(info.id > 0);
	EXPECT_EQ_INT(info.key_size, 4);
	EXPECT_EQ_INT(info.value_size, 8);
	EXPECT_EQ_INT(info.max_entries, 16);
	EXPECT_EQ_INT(info.map_flags, BPF_F_NO_PREALLOC);
	EXPECT_STREQ(info.name, "my_map.x");
	EXPECT_EQ_INT(info.btf_id, 0);
	close(fd);
	/* bloom filter keeps map_extra */
	base_attr(&a, BPF_MAP_TYPE_BLOOM_FILTER);
	a.key_size = 0;
	a.map_extra = 3;
	fd = create_attr(&a);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(sys_map_info(fd, &info));
	EXPECT_EQ_U64(info.map_extra, 3);
	close(fd);
	sys_store_end(dir);
}

TEST(sys_map_create_errnos)
{
	union bpf_attr a;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	base_attr(&a, 12345);
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.btf_key_type_id = 1;	/* a key type without a value type */
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.btf_value_type_id = 1;
	a.btf_fd = 9999;
	EXPECT_ERR(-EBADF, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.btf_vmlinux_value_type_id = 1;
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.map_extra = 1;
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.map_flags = BPF_F_RDONLY | BPF_F_WRONLY;
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	strcpy(a.map_name, "bad-name");
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	memset(a.map_name, 'a', sizeof(a.map_name));	/* no NUL */
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.map_ifindex = if_nametoindex("lo");	/* a device that cannot offload */
	if (a.map_ifindex)
		EXPECT_ERR(-EOPNOTSUPP, create_attr(&a));
	a.map_ifindex = 0x7ffffff0;	/* no such device */
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.map_flags = BPF_F_NUMA_NODE;
	a.numa_node = 100000;
	EXPECT_ERR(-EINVAL, create_attr(&a));
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.numa_node = 100000;	/* ignored without BPF_F_NUMA_NODE */
	fd = create_attr(&a);
	EXPECT_TRUE(fd >= 0);
	close(fd);
	base_attr(&a, BPF_MAP_TYPE_HASH);
	a.key_size = 0;
	EXPECT_ERR(-EINVAL, create_attr(&a));
	/* map-in-map: the inner map fd */
	base_attr(&a, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	a.value_size = 4;
	a.inner_map_fd = 9999;
	EXPECT_ERR(-EBADF, create_attr(&a));
	a.inner_map_fd = (uint32_t)open("/dev/null", O_RDONLY | O_CLOEXEC);
	EXPECT_ERR(-EINVAL, create_attr(&a));
	close((int)a.inner_map_fd);
	sys_store_end(dir);
}

TEST(sys_map_elements)
{
	uint64_t v = 0x1122334455667788ull, out = 0;
	uint32_t key = 7, next = 0, k2 = 8;
	union bpf_attr a;
	char dir[64];
	int fd, nul;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, 4, 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_ERR(-ENOENT, sys_lookup(fd, &key, &out));
	EXPECT_OK(sys_update(fd, &key, &v, BPF_NOEXIST));
	EXPECT_ERR(-EEXIST, sys_update(fd, &key, &v, BPF_NOEXIST));
	EXPECT_ERR(-EINVAL, sys_update(fd, &key, &v, 77));
	EXPECT_ERR(-EINVAL, sys_update(fd, &key, &v, BPF_F_LOCK));	/* no spin lock */
	EXPECT_OK(sys_lookup(fd, &key, &out));
	EXPECT_EQ_U64(out, v);
	/* user pointers: NULL or unmapped is EFAULT, never a crash */
	EXPECT_ERR(-EFAULT, sys_lookup(fd, NULL, &out));
	EXPECT_ERR(-EFAULT, sys_lookup(fd, &key, NULL));
	EXPECT_ERR(-EFAULT, sys_lookup(fd, &key, (void *)(uintptr_t)0x18));
	EXPECT_ERR(-EFAULT, sys_update(fd, &key, (void *)(uintptr_t)0x18, 0));
	/* the value buffer must be writable */
	EXPECT_ERR(-EFAULT, sys_lookup(fd, &key, (void *)(uintptr_t)"readonly string!"));
	/* fds: closed is EBADF, another kind of file is EINVAL */
	EXPECT_ERR(-EBADF, sys_lookup(9999, &key, &out));
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	EXPECT_ERR(-EINVAL, sys_lookup(nul, &key, &out));
	close(nul);
	nul = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	EXPECT_ERR(-EINVAL, sys_lookup(nul, &key, &out));
	close(nul);
	/* next key */
	EXPECT_OK(sys_update(fd, &k2, &v, BPF_ANY));
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.next_key = (uint64_t)(uintptr_t)&next;
	EXPECT_OK(sys_bpf(BPF_MAP_GET_NEXT_KEY, &a));
	EXPECT_TRUE(next == 7 || next == 8);
	a.key = (uint64_t)(uintptr_t)&next;
	EXPECT_OK(sys_bpf(BPF_MAP_GET_NEXT_KEY, &a));
	a.key = (uint64_t)(uintptr_t)&next;
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_GET_NEXT_KEY, &a));
	/* delete, lookup-and-delete */
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)&key;
	EXPECT_OK(sys_bpf(BPF_MAP_DELETE_ELEM, &a));
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_DELETE_ELEM, &a));
	a.key = (uint64_t)(uintptr_t)&k2;
	a.value = (uint64_t)(uintptr_t)&out;
	out = 0;
	EXPECT_OK(sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a));
	EXPECT_EQ_U64(out, v);
	EXPECT_ERR(-ENOENT, sys_lookup(fd, &k2, &out));
	a.flags = 8;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a));
	close(fd);
	EXPECT_ERR(-EBADF, sys_lookup(fd, &key, &out));
	sys_store_end(dir);
}

TEST(sys_map_queue_commands)
{
	uint32_t v = 5, out = 0;
	union bpf_attr a;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_QUEUE, 0, 4, 4, 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_OK(sys_update(fd, NULL, &v, BPF_ANY));
	v = 6;
	EXPECT_OK(sys_update(fd, NULL, &v, BPF_ANY));
	EXPECT_ERR(-EINVAL, sys_update(fd, &v, &v, BPF_ANY));	/* a key for a keyless map */
	EXPECT_OK(sys_lookup(fd, NULL, &out));			/* peek */
	EXPECT_EQ_INT(out, 5);
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.value = (uint64_t)(uintptr_t)&out;
	a.flags = BPF_F_LOCK;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a));
	a.flags = 0;
	EXPECT_OK(sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a));	/* pop */
	EXPECT_EQ_INT(out, 5);
	EXPECT_OK(sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a));
	EXPECT_EQ_INT(out, 6);
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a));
	close(fd);
	sys_store_end(dir);
}

TEST(sys_map_fd_access_modes_and_freeze)
{
	uint32_t key = 1, id;
	uint64_t v = 9, out = 0;
	struct bpf_map_info info;
	union bpf_attr a;
	char dir[64];
	int fd, ro, wo;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(sys_map_info(fd, &info));
	id = info.id;
	memset(&a, 0, sizeof(a));
	a.map_id = id;
	a.open_flags = BPF_F_RDONLY;
	ro = sys_bpf(BPF_MAP_GET_FD_BY_ID, &a);
	ASSERT_TRUE(ro >= 0);
	a.open_flags = BPF_F_WRONLY;
	wo = sys_bpf(BPF_MAP_GET_FD_BY_ID, &a);
	ASSERT_TRUE(wo >= 0);
	a.open_flags = BPF_F_RDONLY | BPF_F_WRONLY;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_GET_FD_BY_ID, &a));
	a.open_flags = 1u << 20;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_GET_FD_BY_ID, &a));
	EXPECT_ERR(-EPERM, sys_update(ro, &key, &v, BPF_ANY));
	EXPECT_OK(sys_update(wo, &key, &v, BPF_ANY));
	EXPECT_ERR(-EPERM, sys_lookup(wo, &key, &out));
	EXPECT_OK(sys_lookup(ro, &key, &out));
	EXPECT_EQ_U64(out, 9);
	/* FREEZE: needs a writable fd; afterwards no fd may write, not even to freeze */
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)ro;
	EXPECT_ERR(-EPERM, sys_bpf(BPF_MAP_FREEZE, &a));
	a.map_fd = (uint32_t)fd;
	EXPECT_OK(sys_bpf(BPF_MAP_FREEZE, &a));
	EXPECT_ERR(-EPERM, sys_bpf(BPF_MAP_FREEZE, &a));	/* frozen: no fd may write */
	EXPECT_ERR(-EPERM, sys_update(fd, &key, &v, BPF_ANY));
	EXPECT_OK(sys_lookup(fd, &key, &out));
	close(ro);
	close(wo);
	close(fd);
	/* a map created BPF_F_RDONLY gives a read-only fd */
	fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY);
	ASSERT_TRUE(fd >= 0);
	EXPECT_EQ_INT(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	EXPECT_ERR(-EPERM, sys_update(fd, &key, &v, BPF_ANY));
	EXPECT_OK(sys_lookup(fd, &key, &out));
	close(fd);
	sys_store_end(dir);
}

static void batch_attr(union bpf_attr *a, int fd, void *in, void *out, void *keys, void *values,
		       uint32_t count)
{
	memset(a, 0, sizeof(*a));
	a->batch.map_fd = (uint32_t)fd;
	a->batch.in_batch = (uint64_t)(uintptr_t)in;
	a->batch.out_batch = (uint64_t)(uintptr_t)out;
	a->batch.keys = (uint64_t)(uintptr_t)keys;
	a->batch.values = (uint64_t)(uintptr_t)values;
	a->batch.count = count;
}

#define BATCH_N 600u

TEST(sys_map_batches)
{
	static uint32_t keys[BATCH_N], got_k[BATCH_N + 10];
	static uint64_t vals[BATCH_N], got_v[BATCH_N + 10];
	static uint8_t seen[BATCH_N];
	uint32_t i, cursor = 0, total = 0;
	union bpf_attr a;
	char dir[64];
	int fd, err;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, BATCH_N, 0);
	ASSERT_TRUE(fd >= 0);
	for (i = 0; i < BATCH_N; i++) {
		keys[i] = i;
		vals[i] = (uint64_t)i * 3;
	}
	batch_attr(&a, fd, NULL, NULL, keys, vals, BATCH_N);
	a.batch.elem_flags = BPF_NOEXIST;	/* generic update batch takes only F_LOCK */
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_UPDATE_BATCH, &a));
	a.batch.elem_flags = 0;
	EXPECT_OK(sys_bpf(BPF_MAP_UPDATE_BATCH, &a));
	EXPECT_EQ_INT(a.batch.count, BATCH_N);
	/* everything at once: ENOENT at the end, with the count */
	batch_attr(&a, fd, NULL, &cursor, got_k, got_v, BATCH_N + 10);
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_LOOKUP_BATCH, &a));
	EXPECT_EQ_INT(a.batch.count, BATCH_N);
	for (i = 0; i < BATCH_N; i++)
		EXPECT_EQ_U64(got_v[i], (uint64_t)got_k[i] * 3);
	/* in steps of 70 with the cursor: every key exactly once */
	memset(seen, 0, sizeof(seen));
	batch_attr(&a, fd, NULL, &cursor, got_k, got_v, 70);
	for (;;) {
		err = sys_bpf(BPF_MAP_LOOKUP_BATCH, &a);
		for (i = 0; i < a.batch.count; i++)
			seen[got_k[i]]++;
		total += a.batch.count;
		if (err)
			break;
		batch_attr(&a, fd, &cursor, &cursor, got_k, got_v, 70);
	}
	EXPECT_ERR(-ENOENT, err);
	EXPECT_EQ_INT(total, BATCH_N);
	for (i = 0; i < BATCH_N; i++)
		EXPECT_EQ_INT(seen[i], 1);
	/* bad arguments */
	batch_attr(&a, fd, NULL, &cursor, got_k, got_v, 5);
	a.batch.flags = 1;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_LOOKUP_BATCH, &a));
	batch_attr(&a, fd, NULL, &cursor, got_k, got_v, 5);
	a.batch.elem_flags = 2;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_LOOKUP_BATCH, &a));
	batch_attr(&a, fd, NULL, &cursor, NULL, got_v, 5);
	EXPECT_ERR(-EFAULT, sys_bpf(BPF_MAP_LOOKUP_BATCH, &a));
	batch_attr(&a, 9999, NULL, &cursor, got_k, got_v, 5);
	a.batch.count = 5;
	EXPECT_ERR(-EBADF, sys_bpf(BPF_MAP_LOOKUP_BATCH, &a));
	EXPECT_EQ_INT(a.batch.count, 5);	/* untouched before the fd checks pass */
	/* delete 100, then lookup-and-delete the rest */
	batch_attr(&a, fd, NULL, NULL, keys, NULL, 100);
	EXPECT_OK(sys_bpf(BPF_MAP_DELETE_BATCH, &a));
	EXPECT_EQ_INT(a.batch.count, 100);
	batch_attr(&a, fd, NULL, NULL, keys, NULL, 1);
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_DELETE_BATCH, &a));
	EXPECT_EQ_INT(a.batch.count, 0);
	batch_attr(&a, fd, NULL, &cursor, got_k, got_v, BATCH_N);
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_BATCH, &a));
	EXPECT_EQ_INT(a.batch.count, BATCH_N - 100);
	for (i = 0; i < BATCH_N - 100; i++) {
		EXPECT_TRUE(got_k[i] >= 100);
		EXPECT_EQ_U64(got_v[i], (uint64_t)got_k[i] * 3);
	}
	batch_attr(&a, fd, NULL, &cursor, got_k, got_v, 10);
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_LOOKUP_BATCH, &a));
	EXPECT_EQ_INT(a.batch.count, 0);
	close(fd);
	/* arrays have no lookup_and_delete: ENOTSUPP (524) */
	fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	batch_attr(&a, fd, NULL, &cursor, got_k, got_v, 4);
	EXPECT_ERR(-524, sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_BATCH, &a));
	close(fd);
	sys_store_end(dir);
}

TEST(sys_map_in_map_slots_hold_ids)
{
	struct bpf_map_info info;
	struct ubf_obj *outer_obj;
	struct ubf_map *inner_map;
	uint32_t key = 0, id = 0, inner_id;
	int inner, outer, bad, wrong;
	union bpf_attr a;
	char dir[64];
	uint64_t v = 77;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	inner = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0);
	ASSERT_TRUE(inner >= 0);
	ASSERT_OK(sys_map_info(inner, &info));
	inner_id = info.id;
	ASSERT_OK(sys_update(inner, &key, &v, BPF_ANY));
	base_attr(&a, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	a.value_size = 4;
	a.inner_map_fd = (uint32_t)inner;
	outer = create_attr(&a);
	ASSERT_TRUE(outer >= 0);
	/* the value from user space is an fd; what is stored and read back is the id */
	EXPECT_OK(sys_update(outer, &key, &inner, BPF_ANY));
	EXPECT_OK(sys_lookup(outer, &key, &id));
	EXPECT_EQ_INT(id, inner_id);
	bad = 9999;
	EXPECT_ERR(-EBADF, sys_update(outer, &key, &bad, BPF_ANY));
	wrong = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 16, 2, 0);	/* value size differs */
	EXPECT_ERR(-EINVAL, sys_update(outer, &key, &wrong, BPF_ANY));
	close(wrong);
	/* the inner map lives on after its last fd closed: the slot holds it */
	close(inner);
	ubf_obj_sweep();
	ASSERT_OK(ubf_obj_get(outer, UBF_OBJ_MAP, &outer_obj));
	inner_map = ubf_map_lookup(outer_obj->map, &key);
	ASSERT_TRUE(inner_map != NULL);
	EXPECT_TRUE(ubf_map_is_live(inner_map));
	EXPECT_EQ_U64(*(uint64_t *)ubf_map_lookup(inner_map, &key), 77);
	key = 1;
	EXPECT_TRUE(ubf_map_lookup(outer_obj->map, &key) == NULL);
	close(outer);
	sys_store_end(dir);
}

TEST(sys_map_fd_arrays_from_user_space)
{
	uint32_t key = 0, out;
	char dir[64];
	int fd, other;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, 0);
	ASSERT_TRUE(fd >= 0);
	other = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 4, 0);
	EXPECT_ERR(-EBADF, sys_update(fd, &key, &other, BPF_ANY));
	EXPECT_ERR(-524, sys_lookup(fd, &key, &out));
	close(fd);
	fd = sys_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_ERR(-EINVAL, sys_update(fd, &key, &other, BPF_ANY));	/* a map, not a prog */
	EXPECT_ERR(-ENOENT, sys_lookup(fd, &key, &out));
	close(fd);
	close(other);
	sys_store_end(dir);
}

static int load_prog(uint32_t type)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 7 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = 2;
	a.license = (uint64_t)(uintptr_t)"GPL";
	return sys_bpf(BPF_PROG_LOAD, &a);
}

TEST(sys_map_prog_array_slots_hold_program_ids)
{
	uint32_t key = 2, id = 0;
	union bpf_attr a;
	struct bpf_prog_info info;
	struct ubf_obj *obj;
	char dir[64];
	int pa, prog;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER);
	ASSERT_TRUE(prog >= 0);
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)prog;
	a.info.info = (uint64_t)(uintptr_t)&info;
	a.info.info_len = sizeof(info);
	ASSERT_OK(sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_TRUE(info.id > 0);
	pa = sys_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	ASSERT_TRUE(pa >= 0);
	EXPECT_OK(sys_update(pa, &key, &prog, BPF_ANY));
	EXPECT_OK(sys_lookup(pa, &key, &id));
	EXPECT_EQ_INT(id, info.id);
	/* the program outlives its fd while the slot holds it; programs resolve the id */
	close(prog);
	ubf_obj_sweep();
	ASSERT_OK(ubf_obj_by_id(UBF_OBJ_PROG, id, &obj));
	EXPECT_TRUE(ubf_map_prog_by_id(id) == ubf_container_of(obj, struct ubf_sys_prog, obj)->vm);
	EXPECT_TRUE(ubf_map_prog_by_id(id + 1000) == NULL);
	/* a map fd where a program fd belongs, a program fd for a map command: EINVAL */
	EXPECT_ERR(-EINVAL, sys_update(pa, &key, &pa, BPF_ANY));
	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	prog = sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	ASSERT_TRUE(prog >= 0);
	EXPECT_ERR(-EINVAL, sys_lookup(prog, &key, &id));
	memset(&a, 0, sizeof(a));
	ASSERT_OK(sys_bpf(BPF_PROG_GET_NEXT_ID, &a));
	EXPECT_EQ_INT(a.next_id, info.id);
	close(prog);
	close(pa);
	sys_store_end(dir);
}
