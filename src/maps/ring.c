// SPDX-License-Identifier: BSD-2-Clause
/*
 * ring.c - creating and freeing the page layout of ring.h, for ringbuf.c
 * and user_ringbuf.c; map.c maps the whole file once, wrap-around needs no
 * second view.  Records, positions and who may write
 * them are left to those two files.
 */
#include "maps/ring.h"

#include <errno.h>
#include <stdlib.h>

/* Linux ringbuf_map_alloc(): no key or value, a power-of-2 page multiple of data. */
int ubf_ring_check_attr(const struct ubf_map_attr *a)
{
	uint32_t n = a->max_entries;

	if (a->map_flags & ~UBF_F_NUMA_NODE)
		return -EINVAL;
	if (a->key_size || a->value_size || !n || (n & (n - 1)) || n % ubf_shm_page_size())
		return -EINVAL;
	return 0;
}

int ubf_ring_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct ubf_ring_map *rb = calloc(1, sizeof(*rb));

	if (!rb)
		return -ENOMEM;
	rb->page = ubf_shm_page_size();
	rb->mask = (uint64_t)a->max_entries - 1;
	rb->map.data_sz = 2 * rb->page + 2 * (uint64_t)a->max_entries;
	*mapp = &rb->map;
	return 0;
}

int ubf_ring_attach(struct ubf_map *map, bool is_new)
{
	(void)is_new;
	ubf_ring_of(map)->ring = map->data;
	return 0;
}

void ubf_ring_free(struct ubf_map *map)
{
	free(ubf_ring_of(map));
}
