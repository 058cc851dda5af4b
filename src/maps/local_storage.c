// SPDX-License-Identifier: BSD-2-Clause
/*
 * local_storage.c - the object-bound storages: BPF_MAP_TYPE_SK_STORAGE,
 * INODE_STORAGE, TASK_STORAGE and CGRP_STORAGE.  User space names the
 * owner by an fd in the 4-byte key (a socket, any file, a pidfd, a cgroup
 * v2 directory) and the map keeps one value per owner, found by what
 * identifies it on the host (socket cookie; device and inode; pid; cgroup
 * id).  Linux's limits: BPF_F_NO_PREALLOC required, max_entries 0, values
 * up to 65407 bytes, no iteration (-EOPNOTSUPP).  Linux bounds the owners
 * only by memory; a map here holds up to 2 * LS_OWNERS (-ENOMEM after).
 * Programs reach these maps through the *_storage_get helpers, which
 * userbpf verifies but does not run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "maps/map.h"

#define LS_FLAGS (UBF_F_NO_PREALLOC | UBF_F_CLONE)
#define LS_VALUE_MAX 65407u	/* Linux BPF_LOCAL_STORAGE_MAX_VALUE_SIZE */
#define LS_OWNERS 1024u

struct ls_map {
	struct ubf_map map;
	struct ubf_slot_table tab;	/* owner (16 bytes) -> value */
};

static struct ls_map *to_ls(const struct ubf_map *map)
{
	return ubf_container_of(map, struct ls_map, map);
}

/* Linux bpf_local_storage_map_alloc_check(); BTF is the bpf(2) layer's to require */
static int ls_check_attr(const struct ubf_map_attr *a)
{
	if ((a->map_flags & ~LS_FLAGS) || !(a->map_flags & UBF_F_NO_PREALLOC) || a->max_entries ||
	    a->key_size != 4 || !a->value_size)
		return -EINVAL;
	if (a->value_size > LS_VALUE_MAX)
		return -E2BIG;
	return 0;
}

static int ls_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct ls_map *lm = calloc(1, sizeof(*lm));

	if (!lm)
		return -ENOMEM;
	lm->map.data_sz = ubf_slot_table_size(ubf_slot_table_cap(LS_OWNERS), 16, a->value_size);
	*mapp = &lm->map;
	return 0;
}

static int ls_attach(struct ubf_map *map, bool is_new)
{
	(void)is_new;
	ubf_slot_table_init(&to_ls(map)->tab, map->data, ubf_slot_table_cap(LS_OWNERS), 16,
			    map->value_size);
	return 0;
}

static void ls_free(struct ubf_map *map)
{
	free(to_ls(map));
}

static uint32_t *lock_of(const struct ubf_map *map)
{
	return (uint32_t *)(void *)&map->hdr->state[0];
}

/* The owner the fd in @key names, as Linux resolves it for the map's type. */
static int owner_of(const struct ubf_map *map, const void *key, uint64_t owner[2])
{
	struct stat st;
	int32_t fd;

	memcpy(&fd, key, sizeof(fd));
	owner[0] = owner[1] = 0;
	switch (map->map_type) {
	case UBF_MAP_SK_STORAGE:
		return ubf_host_socket(fd, &owner[0]);
	case UBF_MAP_TASK_STORAGE:
		return ubf_host_pidfd(fd, &owner[0]);
	case UBF_MAP_CGRP_STORAGE:
		return ubf_host_cgroup(fd, &owner[0]);
	default:
		if (fd < 0 || fstat(fd, &st))
			return -EBADF;
		owner[0] = (uint64_t)st.st_dev;
		owner[1] = (uint64_t)st.st_ino;
		return 0;
	}
}

static int ls_copy_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	uint64_t owner[2];
	const void *p;
	int err;

	(void)flags;
	err = owner_of(map, key, owner);
	if (err)
		return err;
	ubf_spin_lock(lock_of(map));
	p = ubf_slot_find(&to_ls(map)->tab, owner);
	if (p) {
		memset(value, 0, map->value_size);	/* the lock word reads as 0 */
		ubf_map_copy_value(map, value, p);
	}
	ubf_spin_unlock(lock_of(map));
	return p ? 0 : -ENOENT;
}

static int ls_copy_in(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	struct ubf_slot_table *t = &to_ls(map)->tab;
	uint64_t owner[2];
	void *p;
	int err;

	err = owner_of(map, key, owner);
	if (err)
		return err;
	ubf_spin_lock(lock_of(map));
	flags &= ~UBF_F_LOCK;
	p = ubf_slot_find(t, owner);
	if (p && flags == UBF_NOEXIST)
		err = -EEXIST;
	else if (!p && flags == UBF_EXIST)
		err = -ENOENT;
	else if (!p && !(p = ubf_slot_insert(t, owner)))
		err = -ENOMEM;
	if (!err)
		ubf_map_copy_value(map, p, value);
	ubf_spin_unlock(lock_of(map));
	return err;
}

static int ls_delete(struct ubf_map *map, const void *key)
{
	uint64_t owner[2];
	int err;

	err = owner_of(map, key, owner);
	if (err)
		return err;
	ubf_spin_lock(lock_of(map));
	err = ubf_slot_remove(&to_ls(map)->tab, owner);
	ubf_spin_unlock(lock_of(map));
	return err;
}

static int ls_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	(void)map, (void)key, (void)next_key;
	return -EOPNOTSUPP;
}

#define LS_OPS(name)                                                                   \
	const struct ubf_map_ops name = {                                              \
		.check_attr = ls_check_attr, .alloc = ls_alloc, .attach = ls_attach,   \
		.free = ls_free, .copy_out = ls_copy_out, .copy_in = ls_copy_in,       \
		.delete = ls_delete, .next_key = ls_next_key,                          \
	}

LS_OPS(ubf_sk_storage_map_ops);
LS_OPS(ubf_inode_storage_map_ops);
LS_OPS(ubf_task_storage_map_ops);
LS_OPS(ubf_cgrp_storage_map_ops);
