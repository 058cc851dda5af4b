// SPDX-License-Identifier: BSD-2-Clause
/*
 * queue.c - BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO): a ring
 * of max_entries + 1 value slots behind one process-shared spin lock, with
 * Linux's rules: no keys, push with BPF_EXIST overwrites the oldest element
 * when full (else -E2BIG), pop and peek of an empty map are -ENOENT, and
 * delete / next_key are -EINVAL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map.h"

#define QS_FLAGS (UBF_F_NUMA_NODE | UBF_F_ACCESS_MASK)

struct qs_ctl {
	uint32_t lock;
	uint32_t head;		/* next slot to write */
	uint32_t tail;		/* oldest element */
	uint32_t reserved;
};

static struct qs_ctl *ctl(const struct ubf_map *map)
{
	return (struct qs_ctl *)(void *)map->data;
}

static uint8_t *slot(const struct ubf_map *map, uint32_t i)
{
	return map->data + sizeof(struct qs_ctl) + (size_t)i * map->value_size;
}

static uint32_t ring_sz(const struct ubf_map *map)
{
	return map->max_entries + 1;
}

static int qs_check_attr(const struct ubf_map_attr *a)
{
	if (!a->max_entries || a->key_size || !a->value_size || (a->map_flags & ~QS_FLAGS) ||
	    !ubf_map_flags_access_ok(a->map_flags))
		return -EINVAL;
	if (a->value_size > UBF_MAP_VALUE_MAX)
		return -E2BIG;
	if (a->max_entries == UINT32_MAX)
		return -E2BIG;
	return 0;
}

static int qs_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct ubf_map *map = calloc(1, sizeof(*map));

	if (!map)
		return -ENOMEM;
	map->data_sz = sizeof(struct qs_ctl) + ((uint64_t)a->max_entries + 1) * a->value_size;
	if (map->data_sz > UBF_MAP_DATA_MAX) {
		free(map);
		return -ENOMEM;
	}
	*mapp = map;
	return 0;
}

static void qs_free(struct ubf_map *map)
{
	free(map);
}

static int qs_push(struct ubf_map *map, const void *value, uint64_t flags)
{
	struct qs_ctl *c = ctl(map);
	uint32_t size = ring_sz(map);
	int err = 0;

	if ((flags & UBF_NOEXIST) || flags > UBF_EXIST)
		return -EINVAL;
	ubf_spin_lock(&c->lock);
	if ((c->head + 1) % size == c->tail) {
		if (!(flags & UBF_EXIST)) {
			err = -E2BIG;
			goto out;
		}
		c->tail = (c->tail + 1) % size;
	}
	memcpy(slot(map, c->head), value, map->value_size);
	c->head = (c->head + 1) % size;
out:
	ubf_spin_unlock(&c->lock);
	return err;
}

static int qs_get(struct ubf_map *map, void *value, bool is_stack, bool do_delete)
{
	struct qs_ctl *c = ctl(map);
	uint32_t idx;
	int err = 0;

	ubf_spin_lock(&c->lock);
	if (c->head == c->tail) {
		err = -ENOENT;
		goto out;
	}
	if (is_stack) {
		idx = c->head ? c->head - 1 : ring_sz(map) - 1;
		memcpy(value, slot(map, idx), map->value_size);
		if (do_delete)
			c->head = idx;
	} else {
		memcpy(value, slot(map, c->tail), map->value_size);
		if (do_delete)
			c->tail = (c->tail + 1) % ring_sz(map);
	}
out:
	ubf_spin_unlock(&c->lock);
	return err;
}

static int queue_pop(struct ubf_map *map, void *value)
{
	return qs_get(map, value, false, true);
}

static int queue_peek(struct ubf_map *map, void *value)
{
	return qs_get(map, value, false, false);
}

static int stack_pop(struct ubf_map *map, void *value)
{
	return qs_get(map, value, true, true);
}

static int stack_peek(struct ubf_map *map, void *value)
{
	return qs_get(map, value, true, false);
}

static int qs_delete(struct ubf_map *map, const void *key)
{
	(void)map, (void)key;
	return -EINVAL;
}

static int qs_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	(void)map, (void)key, (void)next_key;
	return -EINVAL;
}

const struct ubf_map_ops ubf_queue_map_ops = {
	.check_attr = qs_check_attr,
	.alloc = qs_alloc,
	.free = qs_free,
	.delete = qs_delete,
	.next_key = qs_next_key,
	.push = qs_push,
	.pop = queue_pop,
	.peek = queue_peek,
};

const struct ubf_map_ops ubf_stack_map_ops = {
	.check_attr = qs_check_attr,
	.alloc = qs_alloc,
	.free = qs_free,
	.delete = qs_delete,
	.next_key = qs_next_key,
	.push = qs_push,
	.pop = stack_pop,
	.peek = stack_peek,
};
