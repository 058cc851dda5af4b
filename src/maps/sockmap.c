// SPDX-License-Identifier: BSD-2-Clause
/*
 * sockmap.c - the maps of sockets: BPF_MAP_TYPE_SOCKMAP, SOCKHASH and
 * REUSEPORT_SOCKARRAY.  User space stores socket fds (a u32, or a u64 at
 * most INT32_MAX); the map keeps each socket's cookie, which is what Linux
 * gives back to a lookup with value_size 8 (with 4: -ENOSPC).  The socket
 * must be of a kind Linux takes (host.c).  Programs reach these maps only
 * through the socket redirect helpers, which userbpf verifies but does not
 * run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map.h"

#define SOCK_FLAGS (UBF_F_NUMA_NODE | UBF_F_RDONLY | UBF_F_WRONLY)
#define SOCK_KEY_MAX 512u	/* Linux MAX_BPF_STACK */

struct sock_slot {
	uint64_t present;
	uint64_t cookie;
};

struct sockmap {
	struct ubf_map map;
	struct ubf_slot_table tab;	/* SOCKHASH: key -> cookie */
};

static struct sockmap *to_sock(const struct ubf_map *map)
{
	return ubf_container_of(map, struct sockmap, map);
}

/* Linux sock_map_alloc(), sock_hash_alloc() */
static int sock_check_attr(const struct ubf_map_attr *a)
{
	bool is_hash = a->map_type == UBF_MAP_SOCKHASH;

	if (!a->max_entries || (is_hash ? !a->key_size : a->key_size != 4) ||
	    (a->value_size != 4 && a->value_size != 8) || (a->map_flags & ~SOCK_FLAGS))
		return -EINVAL;
	if (is_hash && a->max_entries > (1u << 31))
		return -EINVAL;
	if (is_hash && a->key_size > SOCK_KEY_MAX)
		return -E2BIG;
	return 0;
}

/* Linux reuseport_array_alloc_check(): an array of u32 or u64 values */
static int reuseport_check_attr(const struct ubf_map_attr *a)
{
	if (a->value_size != 4 && a->value_size != 8)
		return -EINVAL;
	return ubf_array_check_attr(a);
}

static int sock_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct sockmap *sm = calloc(1, sizeof(*sm));

	if (!sm)
		return -ENOMEM;
	if (a->map_type == UBF_MAP_SOCKHASH)
		sm->map.data_sz = ubf_slot_table_size(ubf_slot_table_cap(a->max_entries),
						      a->key_size, 8);
	else
		sm->map.data_sz = (uint64_t)a->max_entries * sizeof(struct sock_slot);
	if (sm->map.data_sz > UBF_MAP_DATA_MAX) {
		free(sm);
		return -ENOMEM;
	}
	*mapp = &sm->map;
	return 0;
}

static int sock_attach(struct ubf_map *map, bool is_new)
{
	(void)is_new;
	if (map->map_type == UBF_MAP_SOCKHASH)
		ubf_slot_table_init(&to_sock(map)->tab, map->data,
				    ubf_slot_table_cap(map->max_entries), map->key_size, 8);
	return 0;
}

static void sock_free(struct ubf_map *map)
{
	free(to_sock(map));
}

static uint32_t *lock_of(struct ubf_map *map)
{
	return (uint32_t *)(void *)&map->hdr->state[0];
}

static struct sock_slot *slot(const struct ubf_map *map, const void *key)
{
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	return idx < map->max_entries ? (struct sock_slot *)(void *)map->data + idx : NULL;
}

/* The fd in a value: a u32, or a u64 that must fit an int (Linux: -EINVAL). */
static int value_fd(const struct ubf_map *map, const void *value, int *fd)
{
	uint64_t v64;
	uint32_t v32;

	if (map->value_size == 8) {
		memcpy(&v64, value, 8);
		if (v64 > INT32_MAX)
			return -EINVAL;
		*fd = (int)v64;
		return 0;
	}
	memcpy(&v32, value, 4);
	*fd = (int)v32;
	return 0;
}

/* Linux sock_map_update_elem_sys(): the socket first, then the slot. */
static int sock_socket(const struct ubf_map *map, const void *value, uint64_t *cookie)
{
	int fd, err;

	err = value_fd(map, value, &fd);
	if (!err)
		err = ubf_host_socket(fd, cookie);
	if (!err)
		err = ubf_host_socket_sockmap_ok(fd);
	return err;
}

static int slot_store(struct ubf_map *map, struct sock_slot *s, uint64_t cookie, uint64_t flags)
{
	int err = 0;

	ubf_spin_lock(lock_of(map));
	if (flags == UBF_NOEXIST && s->present)
		err = -EEXIST;
	else if (flags == UBF_EXIST && !s->present)
		err = -ENOENT;
	if (!err) {
		s->cookie = cookie;
		__atomic_store_n(&s->present, 1, __ATOMIC_RELEASE);
	}
	ubf_spin_unlock(lock_of(map));
	return err;
}

static int sock_copy_in(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	struct sock_slot *s;
	uint64_t cookie;
	int err;

	err = sock_socket(map, value, &cookie);
	if (err)
		return err;
	s = slot(map, key);
	if (!s)
		return -E2BIG;
	return slot_store(map, s, cookie, flags);
}

/* Linux sock_map_lookup_sys(): the cookie, which needs 8 bytes */
static int sock_copy_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	struct sock_slot *s;

	(void)flags;
	if (map->value_size != 8)
		return -ENOSPC;
	s = slot(map, key);
	if (!s || !__atomic_load_n(&s->present, __ATOMIC_ACQUIRE))
		return -ENOENT;
	memcpy(value, &s->cookie, 8);
	return 0;
}

static int sock_delete(struct ubf_map *map, const void *key)
{
	struct sock_slot *s = slot(map, key);

	if (!s || !__atomic_exchange_n(&s->present, 0, __ATOMIC_ACQ_REL))
		return -EINVAL;
	return 0;
}

static int hash_copy_in(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	struct ubf_slot_table *t = &to_sock(map)->tab;
	uint64_t cookie, *p;
	int err;

	err = sock_socket(map, value, &cookie);
	if (err)
		return err;
	ubf_spin_lock(lock_of(map));
	p = ubf_slot_find(t, key);
	if (p && flags == UBF_NOEXIST)
		err = -EEXIST;
	else if (!p && flags == UBF_EXIST)
		err = -ENOENT;
	else if (!p && map->hdr->state[1] >= map->max_entries)
		err = -E2BIG;
	else if (!p && !(p = ubf_slot_insert(t, key)))
		err = -ENOMEM;
	else if (!*p)
		map->hdr->state[1]++;	/* a new entry: cookies are never 0 */
	if (!err)
		*p = cookie;
	ubf_spin_unlock(lock_of(map));
	return err;
}

static int hash_copy_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	const uint64_t *p;

	(void)flags;
	if (map->value_size != 8)
		return -ENOSPC;
	p = ubf_slot_find(&to_sock(map)->tab, key);
	if (!p)
		return -ENOENT;
	memcpy(value, p, 8);
	return 0;
}

static int hash_delete(struct ubf_map *map, const void *key)
{
	int err;

	ubf_spin_lock(lock_of(map));
	err = ubf_slot_remove(&to_sock(map)->tab, key);
	if (!err)
		map->hdr->state[1]--;
	ubf_spin_unlock(lock_of(map));
	return err;
}

static int hash_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	return ubf_slot_next_key(&to_sock(map)->tab, key, next_key);
}

/* Linux bpf_fd_reuseport_array_update_elem(): the slot, then the socket */
static int reuseport_copy_in(struct ubf_map *map, const void *key, const void *value,
			     uint64_t flags)
{
	struct sock_slot *s = slot(map, key);
	uint64_t cookie;
	int fd, err;

	if (!s)
		return -E2BIG;
	err = value_fd(map, value, &fd);
	if (!err)
		err = ubf_host_socket(fd, &cookie);
	if (err)
		return err;
	/* Linux reuseport_array_update_check(): the slot's state, then the socket's kind */
	if (flags == UBF_NOEXIST && __atomic_load_n(&s->present, __ATOMIC_ACQUIRE))
		return -EEXIST;
	if (flags == UBF_EXIST && !__atomic_load_n(&s->present, __ATOMIC_ACQUIRE))
		return -ENOENT;
	err = ubf_host_socket_reuseport_ok(fd);
	return err ? err : slot_store(map, s, cookie, flags);
}

static int reuseport_delete(struct ubf_map *map, const void *key)
{
	struct sock_slot *s = slot(map, key);

	if (!s)
		return -E2BIG;
	return __atomic_exchange_n(&s->present, 0, __ATOMIC_ACQ_REL) ? 0 : -ENOENT;
}

const struct ubf_map_ops ubf_sockmap_map_ops = {
	.is_eopnotsupp_real = true,
	.check_attr = sock_check_attr,
	.alloc = sock_alloc,
	.attach = sock_attach,
	.free = sock_free,
	.copy_in = sock_copy_in,
	.copy_out = sock_copy_out,
	.delete = sock_delete,
	.next_key = ubf_array_next_key,
};

const struct ubf_map_ops ubf_sockhash_map_ops = {
	.is_eopnotsupp_real = true,
	.check_attr = sock_check_attr,
	.alloc = sock_alloc,
	.attach = sock_attach,
	.free = sock_free,
	.copy_in = hash_copy_in,
	.copy_out = hash_copy_out,
	.delete = hash_delete,
	.next_key = hash_next_key,
};

const struct ubf_map_ops ubf_reuseport_sockarray_map_ops = {
	.check_attr = reuseport_check_attr,
	.alloc = sock_alloc,
	.attach = sock_attach,
	.free = sock_free,
	.copy_in = reuseport_copy_in,
	.copy_out = sock_copy_out,
	.delete = reuseport_delete,
	.next_key = ubf_array_next_key,
};
