// SPDX-License-Identifier: BSD-2-Clause
/*
 * ringbuf.c - BPF_MAP_TYPE_RINGBUF with Linux's memory layout, so libbpf's
 * ring_buffer consumer can read it: file offset 0 is the consumer page
 * (consumer_pos), one page further the producer page (producer_pos), then
 * max_entries bytes of data holding records with an 8-byte header {len |
 * BUSY_BIT | DISCARD_BIT, pg_off}.  Each process maps the data area twice
 * in a row, so a record that wraps is contiguous.  Producers serialise on
 * a spin lock in the map header; positions are published with
 * release/acquire atomics; one consumer at a time, as in Linux.  pg_off is
 * the page of the record header counted from file offset 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maps/map.h"

#define RINGBUF_MAX_RECORD_SZ (UINT32_MAX / 4)

struct ringbuf_map {
	struct ubf_map map;
	uint8_t *ring;		/* consumer page, producer page, data, data again */
	size_t page;
	size_t ring_map_sz;
	uint64_t mask;
};

static struct ringbuf_map *to_rb(const struct ubf_map *map)
{
	return ubf_container_of(map, struct ringbuf_map, map);
}

static uint64_t *cons_pos(const struct ringbuf_map *rb)
{
	return (uint64_t *)(void *)rb->ring;
}

static uint64_t *prod_pos(const struct ringbuf_map *rb)
{
	return (uint64_t *)(void *)(rb->ring + rb->page);
}

static uint8_t *rb_data(const struct ringbuf_map *rb)
{
	return rb->ring + 2 * rb->page;
}

static uint32_t *prod_lock(const struct ringbuf_map *rb)
{
	return (uint32_t *)(void *)&rb->map.hdr->state[0];
}

static int rb_check_attr(const struct ubf_map_attr *a)
{
	uint32_t n = a->max_entries;

	if (a->map_flags & ~UBF_F_NUMA_NODE)
		return -EINVAL;
	if (a->key_size || a->value_size || !n || (n & (n - 1)) || n % ubf_shm_page_size())
		return -EINVAL;
	return 0;
}

static int rb_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct ringbuf_map *rb = calloc(1, sizeof(*rb));

	if (!rb)
		return -ENOMEM;
	rb->page = ubf_shm_page_size();
	rb->mask = (uint64_t)a->max_entries - 1;
	rb->ring_map_sz = 2 * rb->page + 2 * (size_t)a->max_entries;
	rb->map.data_sz = 2 * rb->page + (uint64_t)a->max_entries;
	*mapp = &rb->map;
	return 0;
}

static int rb_attach(struct ubf_map *map, bool is_new)
{
	struct ringbuf_map *rb = to_rb(map);
	void *ring;
	int err;

	(void)is_new;
	err = ubf_shm_map_ring(map->fd, 2 * rb->page, map->max_entries, &ring);
	if (err)
		return err;
	rb->ring = ring;
	return 0;
}

static void rb_free(struct ubf_map *map)
{
	struct ringbuf_map *rb = to_rb(map);

	ubf_shm_unmap_ring(rb->ring, rb->ring_map_sz);
	free(rb);
}

const struct ubf_map_ops ubf_ringbuf_map_ops = {
	.check_attr = rb_check_attr,
	.alloc = rb_alloc,
	.attach = rb_attach,
	.free = rb_free,
};

static bool is_ringbuf(const struct ubf_map *map)
{
	return map && map->ops == &ubf_ringbuf_map_ops;
}

/* ---------------------------------------------------------------- producer */

void *ubf_ringbuf_reserve(struct ubf_map *map, uint64_t size, uint64_t flags)
{
	struct ringbuf_map *rb = to_rb(map);
	uint64_t len, cons, prod;
	uint32_t *hdr;

	if (flags || size > RINGBUF_MAX_RECORD_SZ)
		return NULL;
	len = ubf_round_up(size + UBF_RINGBUF_HDR_SZ, 8);
	if (len > rb->mask + 1)
		return NULL;
	cons = __atomic_load_n(cons_pos(rb), __ATOMIC_ACQUIRE);
	ubf_spin_lock(prod_lock(rb));
	prod = *prod_pos(rb);
	if (prod + len - cons > rb->mask + 1) {
		ubf_spin_unlock(prod_lock(rb));
		return NULL;
	}
	hdr = (uint32_t *)(void *)(rb_data(rb) + (prod & rb->mask));
	hdr[1] = (uint32_t)((2 * rb->page + (prod & rb->mask)) / rb->page);
	__atomic_store_n(&hdr[0], (uint32_t)size | UBF_RINGBUF_BUSY_BIT, __ATOMIC_RELAXED);
	__atomic_store_n(prod_pos(rb), prod + len, __ATOMIC_RELEASE);
	ubf_spin_unlock(prod_lock(rb));
	return hdr + 2;
}

static void commit(void *sample, bool discard)
{
	uint32_t *hdr = (uint32_t *)sample - 2;
	uint32_t len = __atomic_load_n(hdr, __ATOMIC_RELAXED) & ~UBF_RINGBUF_BUSY_BIT;

	if (discard)
		len |= UBF_RINGBUF_DISCARD_BIT;
	__atomic_exchange_n(hdr, len, __ATOMIC_ACQ_REL);
}

/* Wake-up flags are accepted: consumers poll the producer position. */
void ubf_ringbuf_submit(void *sample, uint64_t flags)
{
	(void)flags;
	commit(sample, false);
}

void ubf_ringbuf_discard(void *sample, uint64_t flags)
{
	(void)flags;
	commit(sample, true);
}

int ubf_ringbuf_output(struct ubf_map *map, const void *data, uint64_t size, uint64_t flags)
{
	void *rec;

	if (flags & ~(UBF_RB_NO_WAKEUP | UBF_RB_FORCE_WAKEUP))
		return -EINVAL;
	rec = ubf_ringbuf_reserve(map, size, 0);
	if (!rec)
		return -EAGAIN;
	memcpy(rec, data, size);
	commit(rec, false);
	return 0;
}

uint64_t ubf_ringbuf_query(struct ubf_map *map, uint64_t flags)
{
	struct ringbuf_map *rb = to_rb(map);
	uint64_t cons = __atomic_load_n(cons_pos(rb), __ATOMIC_ACQUIRE);
	uint64_t prod = __atomic_load_n(prod_pos(rb), __ATOMIC_ACQUIRE);

	switch (flags) {
	case UBF_RB_AVAIL_DATA:
		return prod - cons;
	case UBF_RB_RING_SIZE:
		return rb->mask + 1;
	case UBF_RB_CONS_POS:
		return cons;
	case UBF_RB_PROD_POS:
		return prod;
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- consumer */

static uint64_t record_len(uint32_t len)
{
	len &= ~(UBF_RINGBUF_BUSY_BIT | UBF_RINGBUF_DISCARD_BIT);
	return ubf_round_up((uint64_t)len + UBF_RINGBUF_HDR_SZ, 8);
}

int ubf_ringbuf_consume(struct ubf_map *map, ubf_ringbuf_fn fn, void *ctx)
{
	struct ringbuf_map *rb;
	uint64_t cons, prod;
	int cnt = 0;

	if (!is_ringbuf(map) || !fn)
		return -EINVAL;
	rb = to_rb(map);
	cons = __atomic_load_n(cons_pos(rb), __ATOMIC_ACQUIRE);
	for (;;) {
		prod = __atomic_load_n(prod_pos(rb), __ATOMIC_ACQUIRE);
		if (cons >= prod)
			return cnt;
		while (cons < prod) {
			uint32_t *hdr = (uint32_t *)(void *)(rb_data(rb) + (cons & rb->mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			int stop = 0;

			if (len & UBF_RINGBUF_BUSY_BIT)
				return cnt;
			cons += record_len(len);
			if (!(len & UBF_RINGBUF_DISCARD_BIT)) {
				stop = fn(ctx, hdr + 2, len & ~UBF_RINGBUF_DISCARD_BIT);
				cnt++;
			}
			__atomic_store_n(cons_pos(rb), cons, __ATOMIC_RELEASE);
			if (stop)
				return cnt;
		}
	}
}

int ubf_ringbuf_poll(struct ubf_map *map, ubf_ringbuf_fn fn, void *ctx, int timeout_ms)
{
	struct timespec nap = { .tv_sec = 0, .tv_nsec = 100000 };
	struct ringbuf_map *rb;
	long waited_us = 0;

	if (!is_ringbuf(map) || !fn)
		return -EINVAL;
	rb = to_rb(map);
	for (;;) {
		if (__atomic_load_n(prod_pos(rb), __ATOMIC_ACQUIRE) !=
		    __atomic_load_n(cons_pos(rb), __ATOMIC_ACQUIRE)) {
			int n = ubf_ringbuf_consume(map, fn, ctx);

			if (n)
				return n;	/* else the oldest record is still busy */
		}
		if (timeout_ms >= 0 && waited_us >= (long)timeout_ms * 1000)
			return 0;
		nanosleep(&nap, NULL);
		waited_us += 100;
	}
}
