// SPDX-License-Identifier: BSD-2-Clause
/*
 * ringbuf.c - BPF_MAP_TYPE_RINGBUF with Linux's memory layout, so libbpf's
 * ring_buffer consumer can read it: file offset 0 is the consumer page
 * (consumer_pos), one page further the producer page (producer_pos), then
 * 2 * max_entries bytes of data holding records with an 8-byte header {len |
 * BUSY_BIT | DISCARD_BIT, pg_off}.  A record starts at (pos & mask) and is
 * contiguous from there, into the second half when it wraps (ring.h).  Producers serialise on
 * a spin lock in the map header; positions are published with
 * release/acquire atomics; one consumer at a time, as in Linux.  pg_off is
 * the page of the record header counted from file offset 0.  A committed
 * record wakes sleeping consumers through the futex words of ring.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "maps/ring.h"

#define RINGBUF_MAX_RECORD_SZ (UINT32_MAX / 4)

static uint32_t *prod_lock(const struct ubf_ring_map *rb)
{
	return ubf_ring_state(rb, 0);
}

const struct ubf_map_ops ubf_ringbuf_map_ops = {
	.check_attr = ubf_ring_check_attr,
	.alloc = ubf_ring_alloc,
	.attach = ubf_ring_attach,
	.free = ubf_ring_free,
};

static bool is_ringbuf(const struct ubf_map *map)
{
	return map && map->ops == &ubf_ringbuf_map_ops;
}

/* ---------------------------------------------------------------- producer */

void *ubf_ringbuf_reserve(struct ubf_map *map, uint64_t size, uint64_t flags)
{
	struct ubf_ring_map *rb = ubf_ring_of(map);
	uint64_t len, cons, prod;
	uint32_t *hdr;

	if (flags || size > RINGBUF_MAX_RECORD_SZ)
		return NULL;
	len = ubf_round_up(size + UBF_RINGBUF_HDR_SZ, 8);
	if (len > rb->mask + 1)
		return NULL;
	cons = __atomic_load_n(ubf_ring_cons_pos(rb), __ATOMIC_ACQUIRE);
	ubf_spin_lock(prod_lock(rb));
	prod = *ubf_ring_prod_pos(rb);
	if (prod + len - cons > rb->mask + 1) {
		ubf_spin_unlock(prod_lock(rb));
		return NULL;
	}
	hdr = (uint32_t *)(void *)(ubf_ring_data(rb) + (prod & rb->mask));
	hdr[1] = (uint32_t)((2 * rb->page + (prod & rb->mask)) / rb->page);
	__atomic_store_n(&hdr[0], (uint32_t)size | UBF_RINGBUF_BUSY_BIT, __ATOMIC_RELAXED);
	__atomic_store_n(ubf_ring_prod_pos(rb), prod + len, __ATOMIC_RELEASE);
	ubf_spin_unlock(prod_lock(rb));
	return hdr + 2;
}

void ubf_ring_notify(uint8_t *page)
{
	uint32_t *seq = (uint32_t *)(void *)(page + UBF_RING_WAKE_OFF);

	/* Pairs with the sleeper's increment of seq[1] before FUTEX_WAIT (SEQ_CST both sides). */
	__atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&seq[1], __ATOMIC_SEQ_CST))
		syscall(SYS_futex, seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/*
 * The producer page of the ring a record lives in, from the record alone:
 * pg_off counts pages from the consumer page to the record header's page.
 */
static uint8_t *record_prod_page(const uint32_t *hdr)
{
	uintptr_t page = ubf_shm_page_size();

	return (uint8_t *)(((uintptr_t)hdr & ~(page - 1)) - (uintptr_t)hdr[1] * page + page);
}

/*
 * Publish (or discard) a record and, unless BPF_RB_NO_WAKEUP, wake the
 * consumers sleeping on the ring (Linux wakes adaptively, only when the
 * consumer has caught up; waking on every record is never wrong).
 */
static void commit(void *sample, bool discard, uint64_t flags)
{
	uint32_t *hdr = (uint32_t *)sample - 2;
	uint32_t len = __atomic_load_n(hdr, __ATOMIC_RELAXED) & ~UBF_RINGBUF_BUSY_BIT;
	uint8_t *prod_page = record_prod_page(hdr);

	if (discard)
		len |= UBF_RINGBUF_DISCARD_BIT;
	__atomic_exchange_n(hdr, len, __ATOMIC_ACQ_REL);
	if (!(flags & UBF_RB_NO_WAKEUP))
		ubf_ring_notify(prod_page);
}

void ubf_ringbuf_submit(void *sample, uint64_t flags)
{
	commit(sample, false, flags);
}

void ubf_ringbuf_discard(void *sample, uint64_t flags)
{
	commit(sample, true, flags);
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
	commit(rec, false, flags);
	return 0;
}

uint64_t ubf_ringbuf_query(struct ubf_map *map, uint64_t flags)
{
	struct ubf_ring_map *rb = ubf_ring_of(map);
	uint64_t cons = __atomic_load_n(ubf_ring_cons_pos(rb), __ATOMIC_ACQUIRE);
	uint64_t prod = __atomic_load_n(ubf_ring_prod_pos(rb), __ATOMIC_ACQUIRE);

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
	struct ubf_ring_map *rb;
	uint64_t cons, prod;
	int cnt = 0;

	if (!is_ringbuf(map) || !fn)
		return -EINVAL;
	rb = ubf_ring_of(map);
	cons = __atomic_load_n(ubf_ring_cons_pos(rb), __ATOMIC_ACQUIRE);
	for (;;) {
		prod = __atomic_load_n(ubf_ring_prod_pos(rb), __ATOMIC_ACQUIRE);
		if (cons >= prod)
			return cnt;
		while (cons < prod) {
			uint32_t *hdr = (uint32_t *)(void *)(ubf_ring_data(rb) + (cons & rb->mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			int stop = 0;

			if (len & UBF_RINGBUF_BUSY_BIT)
				return cnt;
			cons += record_len(len);
			if (!(len & UBF_RINGBUF_DISCARD_BIT)) {
				stop = fn(ctx, hdr + 2, len & ~UBF_RINGBUF_DISCARD_BIT);
				cnt++;
			}
			__atomic_store_n(ubf_ring_cons_pos(rb), cons, __ATOMIC_RELEASE);
			if (stop)
				return cnt;
		}
	}
}

int ubf_ringbuf_poll(struct ubf_map *map, ubf_ringbuf_fn fn, void *ctx, int timeout_ms)
{
	struct timespec nap = { .tv_sec = 0, .tv_nsec = 100000 };
	struct ubf_ring_map *rb;
	long waited_us = 0;

	if (!is_ringbuf(map) || !fn)
		return -EINVAL;
	rb = ubf_ring_of(map);
	for (;;) {
		if (__atomic_load_n(ubf_ring_prod_pos(rb), __ATOMIC_ACQUIRE) !=
		    __atomic_load_n(ubf_ring_cons_pos(rb), __ATOMIC_ACQUIRE)) {
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
