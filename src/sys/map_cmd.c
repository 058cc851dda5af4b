// SPDX-License-Identifier: BSD-2-Clause
/*
 * map_cmd.c - the map commands of bpf(2): MAP_CREATE with every attr field
 * checked as Linux checks it (BTF key/value types, the bpf_spin_lock found
 * in the value through BTF, the inner map of map-in-maps, NUMA node,
 * ifindex), the element commands, FREEZE, the four BATCH commands and map
 * info.  Access follows the fd: a read-only fd (BPF_F_RDONLY) may not
 * write, as in Linux.  Slots of fd-valued maps take an fd from user space
 * and store the object's id; lookups return the id.  The element logic
 * itself is the maps module's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "sys/core.h"
#include "sys/perf.h"

/* How many elements one step of a batch command moves through our buffers. */
#define BATCH_CHUNK 256u

/*
 * Per-type rules Linux keeps in each map's ops: map_check_btf() (what the
 * BTF key may be), whether a value may hold a bpf_spin_lock, and what the
 * values of fd-valued maps name.  Types without a row have no
 * map_check_btf, allow no lock and hold plain values.
 */
enum key_rule {
	KEY_NO_CHECK_BTF = 0,	/* a BTF key is required and only sized */
	KEY_ARRAY,		/* array_map_check_btf(): u32 int, or void for a 1-entry datasec */
	KEY_STRUCT,		/* trie_check_btf(): struct bpf_lpm_trie_key */
	KEY_VOID,		/* bloom_map_check_btf(): no key */
	KEY_INT32,		/* bpf_local_storage_map_check_btf(): a 32-bit int; BTF required */
	KEY_CGROUP,		/* cgroup_storage_check_btf(): u64, or struct bpf_cgroup_storage_key */
};

static const struct {
	uint32_t map_type;
	enum key_rule key;
	bool can_lock;
	enum ubf_obj_kind slot_kind;	/* 0: plain values; UBF_OBJ_MAP/PROG: object ids */
	bool is_perf;			/* perf event fds (sys/perf.h): the slot holds the event id */
} type_rules[] = {
	{ BPF_MAP_TYPE_HASH, KEY_NO_CHECK_BTF, true, 0, false },
	{ BPF_MAP_TYPE_ARRAY, KEY_ARRAY, true, 0, false },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, KEY_ARRAY, false, 0, false },
	{ BPF_MAP_TYPE_LPM_TRIE, KEY_STRUCT, false, 0, false },
	{ BPF_MAP_TYPE_BLOOM_FILTER, KEY_VOID, false, 0, false },
	{ BPF_MAP_TYPE_PROG_ARRAY, KEY_NO_CHECK_BTF, false, UBF_OBJ_PROG, false },
	{ BPF_MAP_TYPE_ARRAY_OF_MAPS, KEY_NO_CHECK_BTF, false, UBF_OBJ_MAP, false },
	{ BPF_MAP_TYPE_HASH_OF_MAPS, KEY_NO_CHECK_BTF, false, UBF_OBJ_MAP, false },
	{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, KEY_NO_CHECK_BTF, false, 0, true },
	{ BPF_MAP_TYPE_CGROUP_STORAGE, KEY_CGROUP, true, 0, false },
	{ BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, KEY_CGROUP, false, 0, false },
	{ BPF_MAP_TYPE_SK_STORAGE, KEY_INT32, true, 0, false },
	{ BPF_MAP_TYPE_INODE_STORAGE, KEY_INT32, true, 0, false },
	{ BPF_MAP_TYPE_TASK_STORAGE, KEY_INT32, true, 0, false },
	{ UBF_MAP_CGRP_STORAGE, KEY_INT32, true, 0, false },
};

static int rule_of(uint32_t map_type)
{
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(type_rules); i++) {
		if (type_rules[i].map_type == map_type)
			return (int)i;
	}
	return -1;
}

enum ubf_obj_kind ubf_sys_map_slot_kind(uint32_t map_type)
{
	int r = rule_of(map_type);

	return r < 0 ? 0 : type_rules[r].slot_kind;
}

static bool is_perf(uint32_t map_type)
{
	int r = rule_of(map_type);

	return r >= 0 && type_rules[r].is_perf;
}

/* The maps module answers -EOPNOTSUPP for a missing op; bpf(2) says ENOTSUPP. */
static int sys_err(int err)
{
	return err == -EOPNOTSUPP ? -UBF_ENOTSUPP : err;
}

/* As sys_err(), for a type whose own answer may be Linux's EOPNOTSUPP. */
static int map_err(const struct ubf_map *map, int err)
{
	return map->ops->is_eopnotsupp_real ? err : sys_err(err);
}

static struct ubf_sys_map *to_sys_map(struct ubf_obj *obj)
{
	return ubf_container_of(obj, struct ubf_sys_map, obj);
}

/* ---------------------------------------------------------------- BTF checks */

static struct btf *btf_of(struct ubf_obj *obj)
{
	return ubf_container_of(obj, struct ubf_sys_btf, obj)->btf;
}

/* Linux btf_type_id_size(): the type behind modifiers and typedefs, and its size. */
static int type_id_size(const struct btf *btf, uint32_t id, uint32_t size,
			const struct btf_type **tp)
{
	__s64 sz;
	int rid;

	if (!btf__type_by_id(btf, id))
		return -EINVAL;
	sz = btf__resolve_size(btf, id);
	rid = btf__resolve_type(btf, id);
	if (sz < 0 || rid < 0 || (uint64_t)sz != size)
		return -EINVAL;
	*tp = btf__type_by_id(btf, (uint32_t)rid);
	return *tp ? 0 : -EINVAL;
}

/*
 * Linux btf_find_spin_lock(): a top-level member of the value struct whose
 * type is struct bpf_spin_lock (4 bytes, 4-aligned).  More than one, or a
 * misaligned one, means "no lock" as in Linux.
 */
static int find_spin_lock(const struct btf *btf, const struct btf_type *value)
{
	const struct btf_member *m;
	const struct btf_type *t;
	int off = -1;
	uint16_t i;

	if (!btf_is_struct(value))
		return -1;
	m = btf_members(value);
	for (i = 0; i < btf_vlen(value); i++, m++) {
		t = btf__type_by_id(btf, m->type);
		if (!t || !btf_is_struct(t) || t->size != 4 ||
		    strcmp(btf__name_by_offset(btf, t->name_off), "bpf_spin_lock"))
			continue;
		if (btf_member_bitfield_size(value, i) || btf_member_bit_offset(value, i) % 32)
			return -1;
		if (off >= 0)
			return -1;
		off = (int)(btf_member_bit_offset(value, i) / 8);
	}
	return off;
}

static int check_key_rule(const struct btf *btf, enum key_rule rule, const struct btf_type *key,
			  const struct btf_type *value, const union bpf_attr *attr)
{
	switch (rule) {
	case KEY_NO_CHECK_BTF:
		return key ? 0 : -EINVAL;
	case KEY_ARRAY:
		if (!key)
			return attr->map_type == BPF_MAP_TYPE_ARRAY && attr->max_entries == 1 &&
			       btf_is_datasec(value) ? 0 : -EINVAL;
		if (!btf_is_int(key) || btf_int_bits(key) != 32 || btf_int_offset(key))
			return -EINVAL;
		return 0;
	case KEY_STRUCT:
		return key && btf_is_struct(key) ? 0 : -EINVAL;
	case KEY_VOID:
		return key ? -EINVAL : 0;
	case KEY_INT32:
		return key && btf_is_int(key) && btf_int_bits(key) == 32 ? 0 : -EINVAL;
	case KEY_CGROUP:
		if (key && btf_is_int(key))
			return btf_int_bits(key) == 64 ? 0 : -EINVAL;
		return key && btf_is_struct(key) && btf_vlen(key) == 2 ? 0 : -EINVAL;
	}
	(void)btf;
	return -EINVAL;
}

/* Linux map_check_btf(); sets the spin lock of @a. */
static int check_btf(struct ubf_obj *btf_obj, const union bpf_attr *attr, struct ubf_map_attr *a)
{
	const struct btf_type *key = NULL, *value;
	struct btf *btf = btf_of(btf_obj);
	int r = rule_of(attr->map_type), err, lock;

	if (attr->btf_key_type_id) {
		err = type_id_size(btf, attr->btf_key_type_id, attr->key_size, &key);
		if (err)
			return err;
	} else if (r < 0 || type_rules[r].key == KEY_NO_CHECK_BTF) {
		return -EINVAL;
	}
	err = type_id_size(btf, attr->btf_value_type_id, attr->value_size, &value);
	if (err)
		return err;
	lock = find_spin_lock(btf, value);
	if (lock >= 0) {
		if (attr->map_flags & BPF_F_RDONLY_PROG)
			return -EACCES;
		if (r < 0 || !type_rules[r].can_lock)
			return -UBF_ENOTSUPP;
		a->has_spin_lock = 1;
		a->spin_lock_off = lock;
	}
	return check_key_rule(btf, r < 0 ? KEY_NO_CHECK_BTF : type_rules[r].key, key, value, attr);
}

/* ---------------------------------------------------------------- MAP_CREATE */

static bool numa_node_ok(uint32_t node)
{
	char path[64];

	if (access("/sys/devices/system/node", F_OK))
		return node == 0;
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%u", node);
	return !access(path, F_OK);
}

/* The checks Linux's map_create() makes before the type's own. */
static int check_create_attr(const union bpf_attr *attr)
{
	if (attr->btf_vmlinux_value_type_id)
		return -EINVAL;	/* only BPF_MAP_TYPE_STRUCT_OPS, which needs the kernel */
	if (attr->btf_key_type_id && !attr->btf_value_type_id)
		return -EINVAL;
	if (attr->map_type != BPF_MAP_TYPE_BLOOM_FILTER && attr->map_extra)
		return -EINVAL;
	if (ubf_sys_file_flag(attr->map_flags) < 0)
		return -EINVAL;
	if ((attr->map_flags & BPF_F_NUMA_NODE) && !numa_node_ok(attr->numa_node))
		return -EINVAL;
	if (attr->map_ifindex) {
		/* Linux bpf_dev_offload_check(): no device, or one that cannot offload */
		char name[IF_NAMESIZE];

		return if_indextoname(attr->map_ifindex, name) ? -EOPNOTSUPP : -EINVAL;
	}
	return 0;
}

static int create_obj(struct ubf_map *map, struct ubf_obj *btf, const union bpf_attr *attr,
		      struct ubf_sys_map **mp)
{
	struct ubf_sys_map *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	m->obj.kind = UBF_OBJ_MAP;
	m->obj.map = map;
	m->obj.fd = map->fd;
	m->obj.hdr = &map->hdr->obj;
	pthread_mutex_init(&m->held_lock, NULL);
	if (!m->obj.hdr->id)
		m->obj.hdr->id = ubf_store_next_id(UBF_OBJ_MAP);
	m->obj.id = m->obj.hdr->id;
	if (btf) {
		m->btf = btf;
		ubf_obj_hold(btf);
		ubf_obj_store_hold(btf);
		map->hdr->btf_id = btf->id;
		map->hdr->btf_key_type_id = attr->btf_key_type_id;
		map->hdr->btf_value_type_id = attr->btf_value_type_id;
	}
	ubf_obj_hold(&m->obj);	/* until the caller has its fd */
	err = ubf_obj_register(&m->obj, map->fd);
	if (err) {
		if (btf)
			ubf_obj_put(btf);
		pthread_mutex_destroy(&m->held_lock);
		free(m);
		return err;
	}
	*mp = m;
	return 0;
}

/* The type's checks see the flags as given, the fd-only RDONLY/WRONLY too (cpumap refuses them). */
static int check_type_flags(const union bpf_attr *attr, const struct ubf_map_attr *a)
{
	struct ubf_map_attr given = *a;

	given.map_flags = attr->map_flags;
	return ubf_map_attr_check(&given);
}

int ubf_cmd_map_create(union bpf_attr *attr)
{
	struct ubf_map_attr a = { .sz = sizeof(a) };
	struct ubf_obj *btf = NULL, *inner;
	struct ubf_map *map = NULL;
	struct ubf_sys_map *m;
	int err, fd;

	err = check_create_attr(attr);
	if (err)
		return err;
	a.map_type = attr->map_type;
	a.key_size = attr->key_size;
	a.value_size = attr->value_size;
	a.max_entries = attr->max_entries;
	/* Linux bpf_map_flags_retain_permanent(): RDONLY/WRONLY are the fd's mode only */
	a.map_flags = attr->map_flags & ~(uint32_t)(BPF_F_RDONLY | BPF_F_WRONLY);
	a.numa_node = attr->numa_node;
	a.map_extra = attr->map_extra;
	memcpy(a.map_name, attr->map_name, sizeof(a.map_name));
	if (ubf_sys_map_slot_kind(attr->map_type) == UBF_OBJ_MAP) {
		err = ubf_obj_get((int)attr->inner_map_fd, UBF_OBJ_MAP, &inner);
		if (err)
			return err;
		a.inner_map = inner->map;
	}
	if (attr->btf_key_type_id || attr->btf_value_type_id) {
		err = ubf_obj_get((int)attr->btf_fd, UBF_OBJ_BTF, &btf);
		if (!err)
			err = check_btf(btf, attr, &a);
		if (err)
			return err;
	} else if (rule_of(attr->map_type) >= 0 &&
		   type_rules[rule_of(attr->map_type)].key == KEY_INT32) {
		return -EINVAL;	/* local storages: BTF for user space's dumps */
	}
	err = check_type_flags(attr, &a);
	if (!err)
		err = ubf_map_create(&map, &a);
	if (err)
		return err;
	err = create_obj(map, btf, attr, &m);
	if (err) {
		ubf_map_free(map);
		return err;
	}
	fd = ubf_obj_new_fd_mode(&m->obj, ubf_sys_file_flag(attr->map_flags));
	ubf_obj_put(&m->obj);
	return fd;
}

/* ---------------------------------------------------------------- element commands */

struct map_ref {
	struct ubf_obj *obj;
	struct ubf_map *map;
	bool can_read;
	bool can_write;
};

/* Linux __bpf_map_get() plus map_get_sys_perms(): the map behind @fd and what the fd may do. */
static int map_get(uint32_t ufd, struct map_ref *r)
{
	int fd = (int)ufd, err, mode;

	err = ubf_obj_get(fd, UBF_OBJ_MAP, &r->obj);
	if (err)
		return err;
	mode = ubf_sys_fd_mode(fd);
	if (mode < 0)
		return mode;
	r->map = r->obj->map;
	r->can_read = mode != O_WRONLY;
	/* Linux map_get_sys_perms(): a frozen map is read-only to every fd */
	r->can_write = mode != O_RDONLY && !__atomic_load_n(&r->map->hdr->frozen, __ATOMIC_ACQUIRE);
	return 0;
}

/* Linux __bpf_copy_key(): a key of key_size bytes, or none for keyless maps. */
static int copy_key(const struct ubf_map *map, uint64_t ukey, void **keyp)
{
	void *key;

	*keyp = NULL;
	if (!map->key_size)
		return ukey ? -EINVAL : 0;
	key = malloc(map->key_size);
	if (!key)
		return -ENOMEM;
	if (ubf_sys_copy_from_user(key, ubf_u64_to_ptr(ukey), map->key_size)) {
		free(key);
		return -EFAULT;
	}
	*keyp = key;
	return 0;
}

static bool has_lock(const struct ubf_map *map)
{
	return map->lock_off >= 0;
}

/*
 * The rest of a lookup (@and_delete: lookup-and-delete) once the fd and
 * flags are checked: the key in, the op, the user view of the value out.
 */
static int value_out(const struct map_ref *r, union bpf_attr *attr, bool and_delete)
{
	size_t vsz = ubf_map_user_value_size(r->map);
	void *key, *value;
	int err;

	err = copy_key(r->map, attr->key, &key);
	if (err)
		return err;
	value = calloc(1, vsz);
	if (!value)
		err = -ENOMEM;
	else if (and_delete)
		err = sys_err(ubf_map_lookup_and_delete_elem(r->map, key, value));
	else if (is_perf(r->map->map_type))
		err = -UBF_ENOTSUPP;
	else
		err = map_err(r->map, ubf_map_lookup_elem_flags(r->map, key, value, attr->flags));
	if (!err && ubf_sys_copy_to_user(ubf_u64_to_ptr(attr->value), value, vsz))
		err = -EFAULT;
	free(key);
	free(value);
	return err;
}

int ubf_cmd_map_lookup_elem(union bpf_attr *attr)
{
	struct map_ref r;
	int err;

	if (attr->flags & ~BPF_F_LOCK)
		return -EINVAL;
	err = map_get(attr->map_fd, &r);
	if (err)
		return err;
	if (!r.can_read)
		return -EPERM;
	if ((attr->flags & BPF_F_LOCK) && !has_lock(r.map))
		return -EINVAL;
	return value_out(&r, attr, false);
}

/*
 * The process's holds for fd-valued slots: Linux's slot holds a reference
 * to the object, so an inner map whose last fd was closed lives on while
 * a slot names it.  Each update holds the new object and puts the one the
 * slot named, if this process held it.
 */
static int slot_hold(struct ubf_sys_map *m, struct ubf_obj *obj)
{
	struct ubf_obj **held;
	size_t cap;

	if (m->held_cnt == m->held_cap) {
		cap = m->held_cap ? m->held_cap * 2 : 8;
		held = realloc(m->held, cap * sizeof(*held));
		if (!held)
			return -ENOMEM;
		m->held = held;
		m->held_cap = cap;
	}
	m->held[m->held_cnt++] = obj;
	ubf_obj_hold(obj);
	return 0;
}

static void slot_put(struct ubf_sys_map *m, uint32_t id)
{
	struct ubf_obj *obj;
	size_t i;

	for (i = 0; i < m->held_cnt; i++) {
		obj = m->held[i];
		if (obj->id != id)
			continue;
		m->held[i] = m->held[--m->held_cnt];
		ubf_obj_put(obj);
		return;
	}
}

/* The id a slot holds now, or 0. */
static uint32_t slot_id(struct ubf_map *map, const void *key)
{
	uint32_t id = 0;

	if (map->key_size && ubf_map_lookup_elem(map, key, &id))
		return 0;
	return id;
}

/*
 * Linux's __bpf_prog_map_compatible(): the first program stored in a prog
 * array makes its type, JITed-ness and XDP frags flag the array's owner,
 * and every later one must match.  The owner is the word hdr->state[0]
 * (PROG_OWNER_SET | frags << 33 | jited << 32 | type), set once with a
 * compare-and-swap, so every process of the store sees the same owner.
 */
#define PROG_OWNER_SET (1ull << 63)

static bool prog_array_compatible(struct ubf_map *map, const struct ubf_sys_prog *prog)
{
	uint64_t want = PROG_OWNER_SET | prog->prog_type, cur = 0;

	if (ubf_prog_engine(prog->vm) == UBF_ENGINE_JIT)
		want |= 1ull << 32;
	if (prog->prog_flags & BPF_F_XDP_HAS_FRAGS)
		want |= 1ull << 33;
	if (__atomic_compare_exchange_n(&map->hdr->state[0], &cur, want, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		return true;
	return cur == want;
}

/* Linux map_fd_get_ptr(): the object an fd in a value names, checked against the map. */
static int slot_obj(struct ubf_map *map, enum ubf_obj_kind kind, const void *value,
		    struct ubf_obj **objp)
{
	const struct ubf_map_hdr *h = map->hdr;
	struct ubf_obj *obj;
	const struct ubf_map *in;
	int32_t fd;
	int err;

	memcpy(&fd, value, sizeof(fd));
	err = ubf_obj_get(fd, kind, &obj);
	if (err)
		return err;
	if (kind == UBF_OBJ_PROG && (obj->prog->prog_flags & UBF_BPF_F_VERIFY_ONLY))
		return -EOPNOTSUPP;	/* a tail call must never reach it */
	if (kind == UBF_OBJ_PROG && !prog_array_compatible(map, obj->prog))
		return -EINVAL;
	if (kind == UBF_OBJ_MAP) {
		/* Linux bpf_map_meta_equal() */
		in = obj->map;
		if (in->map_type != h->inner_map_type || in->key_size != h->inner_key_size ||
		    in->value_size != h->inner_value_size || in->map_flags != h->inner_map_flags ||
		    in->lock_off != h->inner_spin_lock_off ||
		    (!(h->inner_map_flags & BPF_F_INNER_MAP) &&
		     in->max_entries != h->inner_max_entries))
			return -EINVAL;
	}
	*objp = obj;
	return 0;
}

static int update_slot(struct map_ref *r, const void *key, const void *value, uint64_t flags)
{
	enum ubf_obj_kind kind = ubf_sys_map_slot_kind(r->map->map_type);
	struct ubf_sys_map *m = to_sys_map(r->obj);
	struct ubf_obj *obj;
	uint32_t old, id;
	int err;

	err = slot_obj(r->map, kind, value, &obj);
	if (err)
		return err;
	id = obj->id;
	pthread_mutex_lock(&m->held_lock);
	old = slot_id(r->map, key);
	err = sys_err(ubf_map_update_elem(r->map, key, &id, flags));
	if (!err) {
		err = slot_hold(m, obj);
		if (old)
			slot_put(m, old);
	}
	pthread_mutex_unlock(&m->held_lock);
	if (!err)
		ubf_obj_store_hold(obj);	/* the slot outlives this process, as in Linux */
	return err;
}

/*
 * Linux perf_event_fd_array_get_ptr(): the fd must be a perf event
 * (-EBADF), not an inherited one (-EOPNOTSUPP); the slot stores its id,
 * which ubf_perf_slot() makes reachable from every process of the store.
 */
static int update_perf(struct map_ref *r, const void *key, const void *value, uint64_t flags)
{
	uint32_t id, idx;
	int32_t fd;
	int err;

	memcpy(&fd, value, sizeof(fd));
	memcpy(&idx, key, sizeof(idx));
	if (flags != BPF_ANY)
		return -EINVAL;
	if (idx >= r->map->max_entries)
		return -E2BIG;
	err = ubf_perf_slot(fd, &id);
	if (err)
		return err;
	return sys_err(ubf_map_update_elem(r->map, key, &id, flags));
}

static int update_one(struct map_ref *r, const void *key, const void *value, uint64_t flags)
{
	if (is_perf(r->map->map_type))
		return update_perf(r, key, value, flags);
	if (ubf_sys_map_slot_kind(r->map->map_type))
		return update_slot(r, key, value, flags);
	return map_err(r->map, ubf_map_update_elem(r->map, key, value, flags));
}

static int delete_one(struct map_ref *r, const void *key)
{
	struct ubf_sys_map *m = to_sys_map(r->obj);
	uint32_t old;
	int err;

	if (!ubf_sys_map_slot_kind(r->map->map_type))
		return sys_err(ubf_map_delete_elem(r->map, key));
	pthread_mutex_lock(&m->held_lock);
	old = slot_id(r->map, key);
	err = sys_err(ubf_map_delete_elem(r->map, key));
	if (!err && old)
		slot_put(m, old);
	pthread_mutex_unlock(&m->held_lock);
	return err;
}

int ubf_cmd_map_update_elem(union bpf_attr *attr)
{
	void *key = NULL, *value = NULL;
	struct map_ref r;
	size_t vsz;
	int err;

	err = map_get(attr->map_fd, &r);
	if (err)
		return err;
	if (!r.can_write)
		return -EPERM;
	if ((attr->flags & BPF_F_LOCK) && !has_lock(r.map))
		return -EINVAL;
	err = copy_key(r.map, attr->key, &key);
	if (err)
		return err;
	vsz = ubf_map_user_value_size(r.map);
	value = malloc(vsz);
	if (!value)
		err = -ENOMEM;
	else if (ubf_sys_copy_from_user(value, ubf_u64_to_ptr(attr->value), vsz))
		err = -EFAULT;
	else
		err = update_one(&r, key, value, attr->flags);
	free(key);
	free(value);
	return err;
}

int ubf_cmd_map_delete_elem(union bpf_attr *attr)
{
	struct map_ref r;
	void *key;
	int err;

	err = map_get(attr->map_fd, &r);
	if (err)
		return err;
	if (!r.can_write)
		return -EPERM;
	err = copy_key(r.map, attr->key, &key);
	if (err)
		return err;
	err = delete_one(&r, key);
	free(key);
	return err;
}

int ubf_cmd_map_get_next_key(union bpf_attr *attr)
{
	void *key = NULL, *next;
	struct map_ref r;
	int err;

	err = map_get(attr->map_fd, &r);
	if (err)
		return err;
	if (!r.can_read)
		return -EPERM;
	if (attr->key) {
		err = copy_key(r.map, attr->key, &key);
		if (err)
			return err;
	}
	next = malloc(r.map->key_size ? r.map->key_size : 1);
	if (!next) {
		free(key);
		return -ENOMEM;
	}
	err = sys_err(ubf_map_next_key(r.map, key, next));
	if (!err && ubf_sys_copy_to_user(ubf_u64_to_ptr(attr->next_key), next, r.map->key_size))
		err = -EFAULT;
	free(key);
	free(next);
	return err;
}

int ubf_cmd_map_lookup_and_delete_elem(union bpf_attr *attr)
{
	struct map_ref r;
	int err;

	if (attr->flags & ~BPF_F_LOCK)
		return -EINVAL;
	err = map_get(attr->map_fd, &r);
	if (err)
		return err;
	if (!r.can_read || !r.can_write)
		return -EPERM;
	if (attr->flags && !r.map->key_size)
		return -EINVAL;	/* queue and stack take no flags */
	if ((attr->flags & BPF_F_LOCK) && !has_lock(r.map))
		return -EINVAL;
	return value_out(&r, attr, true);
}

int ubf_cmd_map_freeze(union bpf_attr *attr)
{
	struct map_ref r;
	int err;

	err = map_get(attr->map_fd, &r);
	if (err)
		return err;
	if (!r.can_write)
		return -EPERM;
	return ubf_map_freeze(r.map);
}

/* ---------------------------------------------------------------- batches */

struct batch {
	struct map_ref r;
	uint8_t *keys;
	uint8_t *values;
	size_t vsz;
	uint32_t max;		/* attr->batch.count on entry */
	uint32_t done;
	bool is_started;	/* past the fd checks: count is written back */
};

/*
 * The checks every batch command makes before it counts anything (Linux's
 * order: the fd, its mode, then elem_flags outside @elem_flags_ok), then
 * the buffers.  Only a started batch writes batch.count back.
 */
static int batch_begin(union bpf_attr *attr, struct batch *b, bool reads, bool writes,
		       uint64_t elem_flags_ok)
{
	size_t ksz;
	int err;

	memset(b, 0, sizeof(*b));
	err = map_get(attr->batch.map_fd, &b->r);
	if (err)
		return err;
	if ((reads && !b->r.can_read) || (writes && !b->r.can_write))
		return -EPERM;
	if (attr->batch.elem_flags & ~elem_flags_ok)
		return -EINVAL;
	b->max = attr->batch.count;
	b->vsz = ubf_map_user_value_size(b->r.map);
	ksz = b->r.map->key_size ? b->r.map->key_size : 1;
	b->keys = malloc(ksz * BATCH_CHUNK);
	b->values = malloc(b->vsz * BATCH_CHUNK);
	if (!b->keys || !b->values)
		return -ENOMEM;
	b->is_started = true;
	return 0;
}

static void batch_end(union bpf_attr *attr, struct batch *b)
{
	if (b->is_started)
		attr->batch.count = b->done;
	free(b->keys);
	free(b->values);
}

static uint8_t *user_at(uint64_t base, size_t idx, size_t sz)
{
	return (uint8_t *)ubf_u64_to_ptr(base) + idx * sz;
}

/* Copy @n elements the maps module produced into the caller's arrays at b->done. */
static int batch_copy_out(union bpf_attr *attr, struct batch *b, uint32_t n)
{
	size_t ksz = b->r.map->key_size;

	if (ubf_sys_copy_to_user(user_at(attr->batch.keys, b->done, ksz), b->keys, n * ksz) ||
	    ubf_sys_copy_to_user(user_at(attr->batch.values, b->done, b->vsz), b->values,
				 n * b->vsz))
		return -EFAULT;
	b->done += n;
	return 0;
}

/*
 * Linux generic_map_lookup_batch() and htab's lookup_and_delete: chunks of
 * BATCH_CHUNK elements go through our buffers, the cursor through out_batch.
 */
static int lookup_batch(union bpf_attr *attr, bool and_delete)
{
	struct ubf_map_batch_opts o = { .sz = sizeof(o), .elem_flags = attr->batch.elem_flags,
					.flags = attr->batch.flags };
	uint8_t *cursor = NULL;
	struct batch b;
	uint32_t n;
	int err;

	err = batch_begin(attr, &b, true, and_delete, ~0ull);
	if (err || !b.max)
		goto out;
	cursor = malloc(b.r.map->key_size ? b.r.map->key_size : 1);
	if (!cursor) {
		err = -ENOMEM;
		goto out;
	}
	if (attr->batch.in_batch &&
	    ubf_sys_copy_from_user(cursor, ubf_u64_to_ptr(attr->batch.in_batch),
				   b.r.map->key_size)) {
		err = -EFAULT;
		goto out;
	}
	while (!err && b.done < b.max) {
		n = b.max - b.done < BATCH_CHUNK ? b.max - b.done : BATCH_CHUNK;
		if (and_delete)
			err = ubf_map_lookup_and_delete_batch(b.r.map, NULL, cursor, b.keys,
							      b.values, &n, &o);
		else
			err = ubf_map_lookup_batch(b.r.map, b.done || attr->batch.in_batch ?
						   cursor : NULL, cursor, b.keys, b.values, &n, &o);
		if (batch_copy_out(attr, &b, n))
			err = -EFAULT;
		if (!n)
			break;
	}
	if (b.done && err != -EFAULT &&
	    ubf_sys_copy_to_user(ubf_u64_to_ptr(attr->batch.out_batch), cursor, b.r.map->key_size))
		err = -EFAULT;
out:
	free(cursor);
	batch_end(attr, &b);
	return sys_err(err);
}

int ubf_cmd_map_lookup_batch(union bpf_attr *attr)
{
	return lookup_batch(attr, false);
}

int ubf_cmd_map_lookup_and_delete_batch(union bpf_attr *attr)
{
	return lookup_batch(attr, true);
}

/* Linux generic_map_update_batch(): element by element, stopping at the first error. */
int ubf_cmd_map_update_batch(union bpf_attr *attr)
{
	size_t ksz;
	struct batch b;
	uint32_t i, n;
	int err;

	/* Linux's generic_map_update_batch(): batch.flags is not looked at */
	err = batch_begin(attr, &b, false, true, BPF_F_LOCK);
	if (!err && (attr->batch.elem_flags & BPF_F_LOCK) && !has_lock(b.r.map))
		err = -EINVAL;
	ksz = b.r.map ? b.r.map->key_size : 0;
	while (!err && b.done < b.max) {
		n = b.max - b.done < BATCH_CHUNK ? b.max - b.done : BATCH_CHUNK;
		if (ubf_sys_copy_from_user(b.keys, user_at(attr->batch.keys, b.done, ksz), n * ksz) ||
		    ubf_sys_copy_from_user(b.values, user_at(attr->batch.values, b.done, b.vsz),
					   n * b.vsz)) {
			err = -EFAULT;
			break;
		}
		for (i = 0; i < n && !err; i++) {
			err = update_one(&b.r, b.keys + i * ksz, b.values + i * b.vsz,
					 attr->batch.elem_flags);
			if (!err)
				b.done++;
		}
	}
	batch_end(attr, &b);
	return err;
}

/* Linux generic_map_delete_batch(). */
int ubf_cmd_map_delete_batch(union bpf_attr *attr)
{
	size_t ksz;
	struct batch b;
	uint32_t i, n;
	int err;

	/* Linux's generic_map_delete_batch(): batch.flags is not looked at */
	err = batch_begin(attr, &b, false, true, 0);
	ksz = b.r.map ? b.r.map->key_size : 0;
	while (!err && b.done < b.max) {
		n = b.max - b.done < BATCH_CHUNK ? b.max - b.done : BATCH_CHUNK;
		if (ubf_sys_copy_from_user(b.keys, user_at(attr->batch.keys, b.done, ksz),
					   n * ksz)) {
			err = -EFAULT;
			break;
		}
		for (i = 0; i < n && !err; i++) {
			err = delete_one(&b.r, b.keys + i * ksz);
			if (!err)
				b.done++;
		}
	}
	batch_end(attr, &b);
	return err;
}

/* ---------------------------------------------------------------- info */

int ubf_sys_map_info(struct ubf_obj *obj, union bpf_attr *attr)
{
	const struct ubf_map *map = obj->map;
	const struct ubf_map_hdr *h = map->hdr;
	struct bpf_map_info info;
	uint32_t copy_sz;
	int err;

	err = ubf_sys_info_prepare(attr, sizeof(info), &copy_sz);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	info.type = map->map_type;
	info.id = obj->id;
	info.key_size = map->key_size;
	info.value_size = map->value_size;
	info.max_entries = map->max_entries;
	info.map_flags = map->map_flags;
	memcpy(info.name, h->name, sizeof(info.name));
	info.btf_id = h->btf_id;
	info.btf_key_type_id = h->btf_key_type_id;
	info.btf_value_type_id = h->btf_value_type_id;
	info.btf_vmlinux_value_type_id = h->btf_vmlinux_value_type_id;
	info.map_extra = h->map_extra;
	return ubf_sys_info_finish(attr, &info, copy_sz);
}
