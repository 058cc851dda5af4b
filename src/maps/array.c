// SPDX-License-Identifier: BSD-2-Clause
/*
 * array.c - BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY.  Values sit
 * at file offset 0, round_up(value_size, 8) bytes apart, which is the
 * layout libbpf expects when it mmaps a BPF_F_MMAPABLE array (global data).
 * A per-CPU entry is ncpu such slots in a row.  Elements always exist:
 * lookups never fail in range, deletes are -EINVAL, as in Linux.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map.h"

#define ARRAY_FLAGS (UBF_F_NUMA_NODE | UBF_F_MMAPABLE | UBF_F_ACCESS_MASK | \
		     UBF_F_PRESERVE_ELEMS | UBF_F_INNER_MAP)

struct array_map {
	struct ubf_map map;
	uint64_t elem_sz;	/* bytes per index: one slot, or ncpu slots */
};

static struct array_map *to_array(const struct ubf_map *map)
{
	return ubf_container_of(map, struct array_map, map);
}

int ubf_array_check_attr(const struct ubf_map_attr *a)
{
	bool percpu = a->map_type == UBF_MAP_PERCPU_ARRAY;

	if (!a->max_entries || a->key_size != 4 || !a->value_size ||
	    (a->map_flags & ~ARRAY_FLAGS) || !ubf_map_flags_access_ok(a->map_flags) ||
	    (percpu && (a->map_flags & UBF_F_NUMA_NODE)))
		return -EINVAL;
	if (a->map_type != UBF_MAP_ARRAY && (a->map_flags & (UBF_F_MMAPABLE | UBF_F_INNER_MAP)))
		return -EINVAL;
	if (a->map_type != UBF_MAP_PERF_EVENT_ARRAY && (a->map_flags & UBF_F_PRESERVE_ELEMS))
		return -EINVAL;
	if (a->value_size > UBF_MAP_VALUE_MAX)
		return -E2BIG;
	if (percpu && ubf_round_up(a->value_size, 8) > UBF_MAP_PCPU_VALUE_MAX)
		return -E2BIG;
	return 0;
}

static int array_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct array_map *am = calloc(1, sizeof(*am));

	if (!am)
		return -ENOMEM;
	am->elem_sz = ubf_round_up(a->value_size, 8);
	if (a->map_type == UBF_MAP_PERCPU_ARRAY) {
		am->map.is_percpu = true;
		am->map.ncpu = ubf_cpu_count();
		am->elem_sz *= am->map.ncpu;
	}
	am->map.data_sz = am->elem_sz * a->max_entries;
	if (am->map.data_sz > UBF_MAP_DATA_MAX) {
		free(am);
		return -ENOMEM;
	}
	*mapp = &am->map;
	return 0;
}

static void array_free(struct ubf_map *map)
{
	free(to_array(map));
}

static uint8_t *elem(const struct ubf_map *map, const void *key)
{
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->max_entries)
		return NULL;
	return map->data + idx * to_array(map)->elem_sz;
}

static void *array_lookup(struct ubf_map *map, const void *key)
{
	return elem(map, key);
}

static void *percpu_lookup_cpu(struct ubf_map *map, const void *key, uint32_t cpu)
{
	uint8_t *p = elem(map, key);

	return p ? p + (size_t)cpu * map->pcpu_value_sz : NULL;
}

static void *percpu_lookup(struct ubf_map *map, const void *key)
{
	return percpu_lookup_cpu(map, key, ubf_map_this_cpu(map));
}

/* Linux array_map_update_elem(); the flags were checked by map.c. */
static int array_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	uint8_t *p = elem(map, key);

	if (!p)
		return -E2BIG;
	if (flags & UBF_NOEXIST)
		return -EEXIST;
	if (map->is_percpu)
		p += (size_t)ubf_map_this_cpu(map) * map->pcpu_value_sz;
	if (flags & UBF_F_LOCK)
		ubf_map_copy_value_locked(map, p, value, false);
	else
		ubf_map_copy_value(map, p, value);
	return 0;
}

static int percpu_copy_in(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	uint8_t *p = elem(map, key);
	uint32_t cpu;

	if (!p)
		return -E2BIG;
	if (flags & UBF_NOEXIST)
		return -EEXIST;
	for (cpu = 0; cpu < map->ncpu; cpu++)
		memcpy(p + (size_t)cpu * map->pcpu_value_sz,
		       (const uint8_t *)value + (size_t)cpu * map->pcpu_value_sz, map->value_size);
	return 0;
}

static int percpu_copy_out(const struct ubf_map *map, const void *key, void *value,
			   uint64_t flags)
{
	const uint8_t *p = elem(map, key);

	(void)flags;
	if (!p)
		return -ENOENT;
	memcpy(value, p, to_array(map)->elem_sz);
	return 0;
}

/* Every value; a per-CPU array's CPU slots are its elements, each one value long. */
static void array_value_area(const struct ubf_map *map, struct ubf_map_area *area)
{
	uint64_t elem_sz = to_array(map)->elem_sz;

	area->start = map->data;
	area->size = elem_sz * map->max_entries;
	area->stride = map->is_percpu ? map->pcpu_value_sz : elem_sz;
	area->off = 0;
	area->len = map->value_size;
}

static void array_index_layout(const struct ubf_map *map, struct ubf_map_index *ix)
{
	ix->base = map->data;
	ix->stride = to_array(map)->elem_sz;
	ix->cpu_stride = map->is_percpu ? map->pcpu_value_sz : 0;
}

static int array_delete(struct ubf_map *map, const void *key)
{
	(void)map, (void)key;
	return -EINVAL;
}

/* Linux array_map_get_next_key(): NULL or out of range restarts at 0. */
int ubf_array_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	uint32_t idx = UINT32_MAX, next;

	if (key)
		memcpy(&idx, key, sizeof(idx));
	if (idx >= map->max_entries) {
		next = 0;
	} else {
		if (idx == map->max_entries - 1)
			return -ENOENT;
		next = idx + 1;
	}
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

const struct ubf_map_ops ubf_array_map_ops = {
	.check_attr = ubf_array_check_attr,
	.alloc = array_alloc,
	.free = array_free,
	.lookup = array_lookup,
	.value_area = array_value_area,
	.index_layout = array_index_layout,
	.update = array_update,
	.delete = array_delete,
	.next_key = ubf_array_next_key,
};

const struct ubf_map_ops ubf_percpu_array_map_ops = {
	.check_attr = ubf_array_check_attr,
	.alloc = array_alloc,
	.free = array_free,
	.lookup = percpu_lookup,
	.lookup_percpu = percpu_lookup_cpu,
	.value_area = array_value_area,
	.index_layout = array_index_layout,
	.update = array_update,
	.delete = array_delete,
	.next_key = ubf_array_next_key,
	.copy_out = percpu_copy_out,
	.copy_in = percpu_copy_in,
};
