// SPDX-License-Identifier: BSD-2-Clause
/*
 * devmap.c - BPF_MAP_TYPE_DEVMAP and DEVMAP_HASH: the network devices an
 * XDP program redirects to.  A value is Linux's struct bpf_devmap_val: the
 * ifindex, and with value_size 8 a program fd in, its id out.  An update
 * must name a device of this host; a devmap program (a program fd above 0)
 * is refused as Linux refuses an fd that is not one, since userbpf runs no
 * program at transmit.  Programs read values (Linux adds BPF_F_RDONLY_PROG).
 * DEVMAP is an array (ifindex 0 empties a slot, deletes always succeed in
 * range); DEVMAP_HASH keys are any u32, at most max_entries of them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map.h"

#define DEV_FLAGS (UBF_F_NUMA_NODE | UBF_F_RDONLY | UBF_F_WRONLY)
#define DEV_PRESENT 1u

/* One slot: a presence word, then the value Linux hands out (ifindex, prog id). */
struct dev_slot {
	uint32_t present;
	uint32_t pad;
	uint32_t val[2];
};

struct devmap {
	struct ubf_map map;
	struct ubf_slot_table tab;	/* DEVMAP_HASH */
};

static struct devmap *to_dev(const struct ubf_map *map)
{
	return ubf_container_of(map, struct devmap, map);
}

/* Linux dev_map_alloc_check() */
static int dev_check_attr(const struct ubf_map_attr *a)
{
	if (!a->max_entries || a->key_size != 4 || (a->value_size != 4 && a->value_size != 8) ||
	    (a->map_flags & ~DEV_FLAGS))
		return -EINVAL;
	if (a->map_type == UBF_MAP_DEVMAP_HASH && a->max_entries > (1u << 31))
		return -EINVAL;
	return 0;
}

static int dev_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct devmap *dm = calloc(1, sizeof(*dm));

	if (!dm)
		return -ENOMEM;
	if (a->map_type == UBF_MAP_DEVMAP)
		dm->map.data_sz = (uint64_t)a->max_entries * sizeof(struct dev_slot);
	else
		dm->map.data_sz = ubf_slot_table_size(ubf_slot_table_cap(a->max_entries), 4, 8);
	*mapp = &dm->map;
	return 0;
}

static int dev_attach(struct ubf_map *map, bool is_new)
{
	(void)is_new;
	if (map->map_type == UBF_MAP_DEVMAP_HASH)
		ubf_slot_table_init(&to_dev(map)->tab, map->data,
				    ubf_slot_table_cap(map->max_entries), 4, 8);
	return 0;
}

static void dev_free(struct ubf_map *map)
{
	free(to_dev(map));
}

static uint32_t *lock_of(struct ubf_map *map)
{
	return (uint32_t *)(void *)&map->hdr->state[0];
}

static struct dev_slot *slot(const struct ubf_map *map, const void *key)
{
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	return idx < map->max_entries ? (struct dev_slot *)(void *)map->data + idx : NULL;
}

static void *dev_lookup(struct ubf_map *map, const void *key)
{
	struct dev_slot *s = slot(map, key);

	if (!s || !__atomic_load_n(&s->present, __ATOMIC_ACQUIRE))
		return NULL;
	return s->val;
}

/* Linux __dev_map_alloc_node(): the device must exist; a program fd (> 0) is not supported. */
static int dev_value(const struct ubf_map *map, const void *value, uint32_t val[2])
{
	int32_t fd = -1;

	memcpy(&val[0], value, 4);
	if (map->value_size == 8)
		memcpy(&fd, (const uint8_t *)value + 4, 4);
	val[1] = 0;
	if (!ubf_host_ifindex_ok(val[0]) || fd > 0)
		return -EINVAL;
	return 0;
}

/* Linux __dev_map_update_elem() */
static int dev_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	struct dev_slot *s = slot(map, key);
	uint32_t val[2], ifindex;
	int32_t fd = -1;
	int err;

	if (!s)
		return -E2BIG;
	if (flags == UBF_NOEXIST)
		return -EEXIST;
	memcpy(&ifindex, value, 4);
	if (map->value_size == 8)
		memcpy(&fd, (const uint8_t *)value + 4, 4);
	if (!ifindex) {
		if (fd > 0)
			return -EINVAL;
		__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
		return 0;
	}
	err = dev_value(map, value, val);
	if (err)
		return err;
	ubf_spin_lock(lock_of(map));
	__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
	memcpy(s->val, val, sizeof(val));
	__atomic_store_n(&s->present, DEV_PRESENT, __ATOMIC_RELEASE);
	ubf_spin_unlock(lock_of(map));
	return 0;
}

static int dev_delete(struct ubf_map *map, const void *key)
{
	struct dev_slot *s = slot(map, key);

	if (!s)
		return -EINVAL;
	__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
	return 0;
}

static void *hash_lookup(struct ubf_map *map, const void *key)
{
	return ubf_slot_find(&to_dev(map)->tab, key);
}

/* Linux __dev_map_hash_update_elem() */
static int hash_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	struct devmap *dm = to_dev(map);
	uint32_t val[2], *p;
	int err;

	ubf_spin_lock(lock_of(map));
	p = ubf_slot_find(&dm->tab, key);
	err = p && flags == UBF_NOEXIST ? -EEXIST : dev_value(map, value, val);
	if (!err && !p) {
		if (map->hdr->state[1] >= map->max_entries)
			err = -E2BIG;
		else if (!(p = ubf_slot_insert(&dm->tab, key)))
			err = -ENOMEM;
		else
			map->hdr->state[1]++;
	}
	if (!err)
		memcpy(p, val, sizeof(val));
	ubf_spin_unlock(lock_of(map));
	return err;
}

static int hash_delete(struct ubf_map *map, const void *key)
{
	int err;

	ubf_spin_lock(lock_of(map));
	err = ubf_slot_remove(&to_dev(map)->tab, key);
	if (!err)
		map->hdr->state[1]--;
	ubf_spin_unlock(lock_of(map));
	return err;
}

static int hash_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	return ubf_slot_next_key(&to_dev(map)->tab, key, next_key);
}

const struct ubf_map_ops ubf_devmap_map_ops = {
	.add_flags = UBF_F_RDONLY_PROG,
	.check_attr = dev_check_attr,
	.alloc = dev_alloc,
	.attach = dev_attach,
	.free = dev_free,
	.lookup = dev_lookup,
	.update = dev_update,
	.delete = dev_delete,
	.next_key = ubf_array_next_key,
};

const struct ubf_map_ops ubf_devmap_hash_map_ops = {
	.add_flags = UBF_F_RDONLY_PROG,
	.check_attr = dev_check_attr,
	.alloc = dev_alloc,
	.attach = dev_attach,
	.free = dev_free,
	.lookup = hash_lookup,
	.update = hash_update,
	.delete = hash_delete,
	.next_key = hash_next_key,
};
