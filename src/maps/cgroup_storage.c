// SPDX-License-Identifier: BSD-2-Clause
/*
 * cgroup_storage.c - BPF_MAP_TYPE_CGROUP_STORAGE and PERCPU_CGROUP_STORAGE:
 * the storage Linux allocates for each (cgroup, attach type) a program
 * using the map is attached to, which bpf_get_local_storage() returns.
 * Keys are a u64 cgroup id or Linux's 16-byte struct
 * bpf_cgroup_storage_key; max_entries must be 0.  userbpf attaches no
 * program to a cgroup, so no storage exists: user space sees what Linux
 * shows for a map whose programs are not attached (lookups and updates
 * -ENOENT, BPF_NOEXIST -EINVAL, deletes -EINVAL, iteration -ENOENT).
 */
#include <errno.h>
#include <stdlib.h>

#include "maps/map.h"

#define CGS_FLAGS (UBF_F_NUMA_NODE | UBF_F_ACCESS_MASK)
#define CGS_VALUE_MAX 65407u	/* Linux BPF_LOCAL_STORAGE_MAX_VALUE_SIZE */

/* Linux cgroup_storage_map_alloc() */
static int cgs_check_attr(const struct ubf_map_attr *a)
{
	uint32_t max = CGS_VALUE_MAX;

	if (a->map_type == UBF_MAP_PERCPU_CGROUP_STORAGE && max > UBF_MAP_PCPU_VALUE_MAX)
		max = UBF_MAP_PCPU_VALUE_MAX;
	if ((a->key_size != 16 && a->key_size != 8) || !a->value_size)
		return -EINVAL;
	if (a->value_size > max)
		return -E2BIG;
	if ((a->map_flags & ~CGS_FLAGS) || !ubf_map_flags_access_ok(a->map_flags) ||
	    a->max_entries)
		return -EINVAL;
	return 0;
}

static int cgs_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct ubf_map *map = calloc(1, sizeof(*map));

	if (!map)
		return -ENOMEM;
	if (a->map_type == UBF_MAP_PERCPU_CGROUP_STORAGE) {
		map->is_percpu = true;
		map->ncpu = ubf_cpu_count();
	}
	*mapp = map;
	return 0;
}

static void cgs_free(struct ubf_map *map)
{
	free(map);
}

static int cgs_copy_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -ENOENT;
}

/* Linux cgroup_storage_update_elem(): BPF_NOEXIST is never right, nothing else exists */
static int cgs_copy_in(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value;
	return flags & UBF_NOEXIST ? -EINVAL : -ENOENT;
}

static int cgs_delete(struct ubf_map *map, const void *key)
{
	(void)map, (void)key;
	return -EINVAL;
}

static int cgs_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	(void)map, (void)key, (void)next_key;
	return -ENOENT;
}

const struct ubf_map_ops ubf_cgroup_storage_map_ops = {
	.check_attr = cgs_check_attr,
	.alloc = cgs_alloc,
	.free = cgs_free,
	.copy_out = cgs_copy_out,
	.copy_in = cgs_copy_in,
	.delete = cgs_delete,
	.next_key = cgs_next_key,
};
