// SPDX-License-Identifier: BSD-2-Clause
/*
 * fd_array.c - the arrays whose values name other objects:
 * BPF_MAP_TYPE_PROG_ARRAY, PERF_EVENT_ARRAY, ARRAY_OF_MAPS and
 * CGROUP_ARRAY (whose fds are cgroup v2 directories, kept by cgroup id;
 * anything else is -EBADF, as Linux).  A slot is
 * one 64-bit word (bit 32: present, low half: the u32 id or fd the bpf(2)
 * layer resolves), swapped atomically so updates need no lock.  Linux's
 * rules: value_size 4, no program-access flags, updates only with BPF_ANY,
 * deletes empty a slot, user lookups return the stored id (not for
 * perf_event_array, which Linux refuses).  A prog array's hdr->state[0] is
 * its owner (program type, JITed-ness), which the bpf(2) layer sets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map.h"

#define SLOT_PRESENT (1ull << 32)

static int fd_array_check_attr(const struct ubf_map_attr *a)
{
	if (a->value_size != 4)
		return -EINVAL;
	if (a->map_flags & (UBF_F_RDONLY_PROG | UBF_F_WRONLY_PROG))
		return -EINVAL;
	return ubf_array_check_attr(a);
}

static int fd_array_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct ubf_map *map = calloc(1, sizeof(*map));

	if (!map)
		return -ENOMEM;
	map->data_sz = (uint64_t)a->max_entries * sizeof(uint64_t);
	*mapp = map;
	return 0;
}

static void fd_array_free(struct ubf_map *map)
{
	free(map);
}

static uint64_t *slot(const struct ubf_map *map, const void *key)
{
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->max_entries)
		return NULL;
	return (uint64_t *)(void *)map->data + idx;
}

/* Program view (array_of_maps): the slot, whose low 32 bits hold the inner map's id. */
static void *fd_array_lookup(struct ubf_map *map, const void *key)
{
	uint64_t *s = slot(map, key);

	if (!s || !(__atomic_load_n(s, __ATOMIC_ACQUIRE) & SLOT_PRESENT))
		return NULL;
	return s;
}

static int fd_array_update(struct ubf_map *map, const void *key, const void *value,
			   uint64_t flags)
{
	uint64_t *s = slot(map, key);
	uint32_t v;

	if (flags != UBF_ANY)
		return -EINVAL;
	if (!s)
		return -E2BIG;
	memcpy(&v, value, sizeof(v));
	__atomic_store_n(s, SLOT_PRESENT | v, __ATOMIC_RELEASE);
	return 0;
}

static int fd_array_delete(struct ubf_map *map, const void *key)
{
	uint64_t *s = slot(map, key);

	if (!s)
		return -E2BIG;
	return __atomic_exchange_n(s, 0, __ATOMIC_ACQ_REL) & SLOT_PRESENT ? 0 : -ENOENT;
}

static int fd_array_copy_out(const struct ubf_map *map, const void *key, void *value,
			     uint64_t flags)
{
	uint64_t *s = slot(map, key), v;
	uint32_t id;

	(void)flags;
	if (!s)
		return -ENOENT;
	v = __atomic_load_n(s, __ATOMIC_ACQUIRE);
	if (!(v & SLOT_PRESENT))
		return -ENOENT;
	id = (uint32_t)v;
	memcpy(value, &id, sizeof(id));
	return 0;
}

/* Linux cgroup_fd_array_get_ptr(): the fd must name a cgroup, after the slot checks */
static int cgroup_array_update(struct ubf_map *map, const void *key, const void *value,
			       uint64_t flags)
{
	uint64_t *s = slot(map, key), id;
	int32_t fd;
	int err;

	if (flags != UBF_ANY)
		return -EINVAL;
	if (!s)
		return -E2BIG;
	memcpy(&fd, value, sizeof(fd));
	err = ubf_host_cgroup(fd, &id);
	if (err)
		return err;
	__atomic_store_n(s, SLOT_PRESENT | (uint32_t)id, __ATOMIC_RELEASE);
	return 0;
}

uint32_t ubf_fd_array_slot(const struct ubf_map *map, uint32_t idx)
{
	uint64_t v;

	if (idx >= map->max_entries)
		return 0;
	v = __atomic_load_n((uint64_t *)(void *)map->data + idx, __ATOMIC_ACQUIRE);
	return v & SLOT_PRESENT ? (uint32_t)v : 0;
}

const struct ubf_map_ops ubf_prog_array_map_ops = {
	.check_attr = fd_array_check_attr,
	.alloc = fd_array_alloc,
	.free = fd_array_free,
	.update = fd_array_update,
	.delete = fd_array_delete,
	.next_key = ubf_array_next_key,
	.copy_out = fd_array_copy_out,
};

const struct ubf_map_ops ubf_perf_event_array_map_ops = {
	.check_attr = fd_array_check_attr,
	.alloc = fd_array_alloc,
	.free = fd_array_free,
	.update = fd_array_update,
	.delete = fd_array_delete,
	.next_key = ubf_array_next_key,
};

const struct ubf_map_ops ubf_array_of_maps_map_ops = {
	.has_inner_map = true,
	.check_attr = fd_array_check_attr,
	.alloc = fd_array_alloc,
	.free = fd_array_free,
	.lookup = fd_array_lookup,
	.update = fd_array_update,
	.delete = fd_array_delete,
	.next_key = ubf_array_next_key,
	.copy_out = fd_array_copy_out,
};

const struct ubf_map_ops ubf_cgroup_array_map_ops = {
	.check_attr = fd_array_check_attr,
	.alloc = fd_array_alloc,
	.free = fd_array_free,
	.update = cgroup_array_update,
	.delete = fd_array_delete,
	.next_key = ubf_array_next_key,
};
