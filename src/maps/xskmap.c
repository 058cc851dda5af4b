// SPDX-License-Identifier: BSD-2-Clause
/*
 * xskmap.c - BPF_MAP_TYPE_XSKMAP: per queue, the AF_XDP socket an XDP
 * program redirects to.  User space stores socket fds, which must be
 * AF_XDP sockets (others: -EOPNOTSUPP, not a socket: -ENOTSOCK, as Linux);
 * the slot keeps the socket's cookie.  Linux gives user space no lookup
 * (-EOPNOTSUPP); a program's lookup finds the slot, 4 bytes that stand for
 * the socket's queue_id, 0 here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "maps/map.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#define XSK_FLAGS (UBF_F_NUMA_NODE | UBF_F_RDONLY | UBF_F_WRONLY)

/* One slot: a presence word, the queue id programs read, the socket's cookie. */
struct xsk_slot {
	uint32_t present;
	uint32_t queue_id;
	uint64_t cookie;
};

/* Linux xsk_map_alloc() */
static int xsk_check_attr(const struct ubf_map_attr *a)
{
	if (!a->max_entries || a->key_size != 4 || a->value_size != 4 ||
	    (a->map_flags & ~XSK_FLAGS))
		return -EINVAL;
	return 0;
}

static int xsk_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct ubf_map *map = calloc(1, sizeof(*map));

	if (!map)
		return -ENOMEM;
	map->data_sz = (uint64_t)a->max_entries * sizeof(struct xsk_slot);
	*mapp = map;
	return 0;
}

static void xsk_free(struct ubf_map *map)
{
	free(map);
}

static struct xsk_slot *slot(const struct ubf_map *map, const void *key)
{
	uint32_t idx;

	memcpy(&idx, key, sizeof(idx));
	return idx < map->max_entries ? (struct xsk_slot *)(void *)map->data + idx : NULL;
}

static void *xsk_lookup(struct ubf_map *map, const void *key)
{
	struct xsk_slot *s = slot(map, key);

	if (!s || !__atomic_load_n(&s->present, __ATOMIC_ACQUIRE))
		return NULL;
	return &s->queue_id;
}

static int xsk_copy_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -EOPNOTSUPP;
}

/* Linux xsk_map_update_elem() */
static int xsk_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	struct xsk_slot *s = slot(map, key);
	uint64_t cookie;
	int32_t fd;
	int err;
	socklen_t len = sizeof(int);
	int domain = -1;

	if (!s)
		return -E2BIG;
	memcpy(&fd, value, sizeof(fd));
	err = ubf_host_socket(fd, &cookie);
	if (err)
		return err;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) || domain != AF_XDP)
		return -EOPNOTSUPP;
	if (flags == UBF_NOEXIST && __atomic_load_n(&s->present, __ATOMIC_ACQUIRE))
		return -EEXIST;
	if (flags == UBF_EXIST && !__atomic_load_n(&s->present, __ATOMIC_ACQUIRE))
		return -ENOENT;
	__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
	s->queue_id = 0;
	s->cookie = cookie;
	__atomic_store_n(&s->present, 1, __ATOMIC_RELEASE);
	return 0;
}

static int xsk_delete(struct ubf_map *map, const void *key)
{
	struct xsk_slot *s = slot(map, key);

	if (!s)
		return -EINVAL;
	__atomic_store_n(&s->present, 0, __ATOMIC_RELEASE);
	return 0;
}

const struct ubf_map_ops ubf_xskmap_map_ops = {
	.is_eopnotsupp_real = true,
	.check_attr = xsk_check_attr,
	.alloc = xsk_alloc,
	.free = xsk_free,
	.lookup = xsk_lookup,
	.copy_out = xsk_copy_out,
	.update = xsk_update,
	.delete = xsk_delete,
	.next_key = ubf_array_next_key,
};
