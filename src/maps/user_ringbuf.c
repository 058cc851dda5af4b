// SPDX-License-Identifier: BSD-2-Clause
/*
 * user_ringbuf.c - BPF_MAP_TYPE_USER_RINGBUF: Linux's ring buffer with the
 * roles swapped.  Same layout as ringbuf.c (file offset 0: consumer page
 * with consumer_pos, one page further: producer page with producer_pos,
 * then 2 * max_entries data bytes, records contiguous from pos & mask),
 * but user space produces (ubf_user_ringbuf_reserve/submit/discard, as libbpf's
 * user_ring_buffer__*) and writes the producer page and the data, while a
 * program drains (ubf_user_ringbuf_drain(), bpf_user_ringbuf_drain()) and
 * is the only writer of consumer_pos.  Records carry the 8-byte header
 * {len | BUSY_BIT | DISCARD_BIT, 0}.  The drain trusts nothing the producer
 * wrote: positions and lengths are checked as Linux checks them, and wakes
 * producers waiting for space through the futex words of ring.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/ring.h"

#define URB_MAX_SAMPLES (128u * 1024)		/* Linux BPF_MAX_USER_RINGBUF_SAMPLES */
#define URB_MAX_SAMPLE_SZ ((1u << 24) - 1)	/* Linux DYNPTR_MAX_SIZE */

/* Shared words in the map header: the producers' lock and the drain's busy flag. */
static uint32_t *prod_lock(const struct ubf_ring_map *rb)
{
	return ubf_ring_state(rb, 0);
}

static uint32_t *drain_busy(const struct ubf_ring_map *rb)
{
	return ubf_ring_state(rb, 1);
}

const struct ubf_map_ops ubf_user_ringbuf_map_ops = {
	.check_attr = ubf_ring_check_attr,
	.alloc = ubf_ring_alloc,
	.attach = ubf_ring_attach,
	.free = ubf_ring_free,
};

static bool is_user_ringbuf(const struct ubf_map *map)
{
	return map && map->ops == &ubf_user_ringbuf_map_ops;
}

/* ---------------------------------------------------------------- producer (user space) */

int ubf_user_ringbuf_reserve(struct ubf_map *map, uint32_t size, void **samplep)
{
	struct ubf_ring_map *rb;
	uint64_t total, cons, prod;
	uint32_t *hdr;

	if (!is_user_ringbuf(map) || !samplep)
		return -EINVAL;
	rb = ubf_ring_of(map);
	if (size & (UBF_RINGBUF_BUSY_BIT | UBF_RINGBUF_DISCARD_BIT))
		return -E2BIG;
	total = ubf_round_up((uint64_t)size + UBF_RINGBUF_HDR_SZ, 8);
	if (total > rb->mask + 1)
		return -E2BIG;
	ubf_spin_lock(prod_lock(rb));
	cons = __atomic_load_n(ubf_ring_cons_pos(rb), __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(ubf_ring_prod_pos(rb), __ATOMIC_RELAXED);
	if (rb->mask + 1 - (prod - cons) < total) {
		ubf_spin_unlock(prod_lock(rb));
		return -ENOSPC;
	}
	hdr = (uint32_t *)(void *)(ubf_ring_data(rb) + (prod & rb->mask));
	hdr[0] = size | UBF_RINGBUF_BUSY_BIT;
	hdr[1] = 0;
	__atomic_store_n(ubf_ring_prod_pos(rb), prod + total, __ATOMIC_RELEASE);
	ubf_spin_unlock(prod_lock(rb));
	*samplep = hdr + 2;
	return 0;
}

static void commit(struct ubf_map *map, void *sample, bool discard)
{
	struct ubf_ring_map *rb;
	uint32_t *hdr, len;
	uint8_t *s = sample;

	if (!is_user_ringbuf(map) || !sample)
		return;
	rb = ubf_ring_of(map);
	if (s < ubf_ring_data(rb) + UBF_RINGBUF_HDR_SZ || s >= ubf_ring_data(rb) + 2 * (rb->mask + 1))
		return;	/* not a sample of this ring */
	hdr = (uint32_t *)(void *)(s - UBF_RINGBUF_HDR_SZ);
	len = __atomic_load_n(hdr, __ATOMIC_RELAXED) & ~UBF_RINGBUF_BUSY_BIT;
	if (discard)
		len |= UBF_RINGBUF_DISCARD_BIT;
	__atomic_exchange_n(hdr, len, __ATOMIC_ACQ_REL);
}

void ubf_user_ringbuf_submit(struct ubf_map *map, void *sample)
{
	commit(map, sample, false);
}

void ubf_user_ringbuf_discard(struct ubf_map *map, void *sample)
{
	commit(map, sample, true);
}

/* ---------------------------------------------------------------- consumer (programs) */

/*
 * Linux __bpf_user_ringbuf_peek(): the oldest sample, -ENODATA when there is
 * none (or it is still busy), -EAGAIN after skipping a discarded one,
 * -EINVAL / -E2BIG when the producer broke the format.
 */
static int peek(struct ubf_ring_map *rb, void **samplep, uint32_t *sizep)
{
	uint64_t prod = __atomic_load_n(ubf_ring_prod_pos(rb), __ATOMIC_ACQUIRE);
	uint64_t cons = __atomic_load_n(ubf_ring_cons_pos(rb), __ATOMIC_ACQUIRE), total;
	uint32_t *hdr, len, flags;

	if (prod % 8)
		return -EINVAL;
	if (cons >= prod)
		return -ENODATA;
	hdr = (uint32_t *)(void *)(ubf_ring_data(rb) + (cons & rb->mask));
	len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
	flags = len & (UBF_RINGBUF_BUSY_BIT | UBF_RINGBUF_DISCARD_BIT);
	len &= ~flags;
	total = ubf_round_up((uint64_t)len + UBF_RINGBUF_HDR_SZ, 8);
	if (total > prod - cons)
		return -EINVAL;
	if (total > rb->mask + 1 || len > URB_MAX_SAMPLE_SZ)
		return -E2BIG;
	if (flags & UBF_RINGBUF_DISCARD_BIT) {
		__atomic_store_n(ubf_ring_cons_pos(rb), cons + total, __ATOMIC_RELEASE);
		return -EAGAIN;
	}
	if (flags & UBF_RINGBUF_BUSY_BIT)
		return -ENODATA;
	*samplep = hdr + 2;
	*sizep = len;
	return 0;
}

int ubf_user_ringbuf_drain(struct ubf_map *map, ubf_user_ringbuf_fn fn, void *ctx,
			   uint64_t flags)
{
	struct ubf_ring_map *rb;
	uint32_t samples, discarded = 0, expected = 0, size;
	long stop = 0;
	void *sample;
	int err = 0;

	if (!is_user_ringbuf(map) || !fn || (flags & ~(UBF_RB_NO_WAKEUP | UBF_RB_FORCE_WAKEUP)))
		return -EINVAL;
	rb = ubf_ring_of(map);
	if (!__atomic_compare_exchange_n(drain_busy(rb), &expected, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return -EBUSY;
	for (samples = 0; samples < URB_MAX_SAMPLES && !stop; samples++) {
		err = peek(rb, &sample, &size);
		if (err == -EAGAIN) {
			discarded++;
			err = 0;
			continue;
		}
		if (err)
			break;
		stop = fn(ctx, sample, size);
		__atomic_store_n(ubf_ring_cons_pos(rb), *ubf_ring_cons_pos(rb) +
				 ubf_round_up((uint64_t)size + UBF_RINGBUF_HDR_SZ, 8),
				 __ATOMIC_RELEASE);
	}
	__atomic_store_n(drain_busy(rb), 0, __ATOMIC_RELEASE);
	/* Linux: wake producers waiting for space when samples were consumed, or when forced. */
	if ((flags & UBF_RB_FORCE_WAKEUP) || (!(flags & UBF_RB_NO_WAKEUP) && samples))
		ubf_ring_notify((uint8_t *)ubf_ring_cons_pos(rb));
	if (err && err != -ENODATA)
		return err;
	return (int)(samples - discarded);
}
