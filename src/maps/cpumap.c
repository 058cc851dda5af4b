// SPDX-License-Identifier: BSD-2-Clause
/*
 * cpumap.c - BPF_MAP_TYPE_CPUMAP: per CPU, the queue an XDP program
 * redirects to.  A value is Linux's struct bpf_cpumap_val: the queue size,
 * and with value_size 8 a program fd in, its id out.  The key is a
 * possible CPU (ubf_cpu_count()), max_entries at most the host kernel's
 * NR_CPUS; qsize 0 empties the slot, above 16384
 * is -EOVERFLOW, as Linux.  A cpumap program (a program fd above 0) is
 * refused with Linux's answer for an fd that is not one (-ENOMEM).
 * Programs only redirect through it: they cannot look it up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map.h"

#define CPU_QSIZE_MAX 16384u
#define CPU_NR_DEFAULT 8192u	/* NR_CPUS of x86-64 distribution kernels */

/* Linux's NR_CPUS: the host kernel's kernel_max + 1, else the usual value. */
static uint32_t nr_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/kernel_max", "re");
	unsigned int max = 0;
	int n = 0;

	if (f) {
		n = fscanf(f, "%u", &max);
		fclose(f);
	}
	return n == 1 && max < UINT32_MAX ? max + 1 : CPU_NR_DEFAULT;
}

struct cpu_slot {
	uint32_t present;
	uint32_t pad;
	uint32_t val[2];	/* qsize, program id */
};

/* Linux cpu_map_alloc() */
static int cpu_check_attr(const struct ubf_map_attr *a)
{
	if (!a->max_entries || a->key_size != 4 || (a->value_size != 4 && a->value_size != 8) ||
	    (a->map_flags & ~UBF_F_NUMA_NODE))
		return -EINVAL;
	if (a->max_entries > nr_cpus())
		return -E2BIG;
	return 0;
}

static int cpu_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct ubf_map *map = calloc(1, sizeof(*map));

	if (!map)
		return -ENOMEM;
	map->data_sz = (uint64_t)a->max_entries * sizeof(struct cpu_slot);
	*mapp = map;
	return 0;
}

static void cpu_free(struct ubf_map *map)
{
	free(map);
}

static struct cpu_slot *slot(const struct ubf_map *map, const void *key, uint32_t *idx)
{
	memcpy(idx, key, sizeof(*idx));
	return *idx < map->max_entries ? (struct cpu_slot *)(void *)map->data + *idx : NULL;
}

static void *cpu_lookup(struct ubf_map *map, const void *key)
{
	uint32_t idx;
	struct cpu_slot *s = slot(map, key, &idx);

	if (!s || !__atomic_load_n(&s->present, __ATOMIC_ACQUIRE))
		return NULL;
	return s->val;
}

/* Linux cpu_map_update_elem() */
static int cpu_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	uint32_t idx, val[2] = { 0, 0 };
	struct cpu_slot *s = slot(map, key, &idx);
	int32_t fd = 0;

	memcpy(val, value, map->value_size);
	if (!s)
		return -E2BIG;
	if (flags == UBF_NOEXIST)
		return -EEXIST;
	if (val[0] > CPU_QSIZE_MAX)
		return -EOVERFLOW;
	if (idx >= ubf_cpu_count())
		return -ENODEV;
	memcpy(&fd, &val[1], sizeof(fd));
	if (!val[0]) {
		__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
		return 0;
	}
	if (fd > 0)
		return -ENOMEM;
	__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
	s->val[0] = val[0];
	s->val[1] = 0;
	__atomic_store_n(&s->present, 1, __ATOMIC_RELEASE);
	return 0;
}

static int cpu_delete(struct ubf_map *map, const void *key)
{
	uint32_t idx;
	struct cpu_slot *s = slot(map, key, &idx);

	if (!s)
		return -EINVAL;
	__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
	return 0;
}

const struct ubf_map_ops ubf_cpumap_map_ops = {
	.check_attr = cpu_check_attr,
	.alloc = cpu_alloc,
	.free = cpu_free,
	.lookup = cpu_lookup,
	.update = cpu_update,
	.delete = cpu_delete,
	.next_key = ubf_array_next_key,
};
