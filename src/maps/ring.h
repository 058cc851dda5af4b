/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ring.h - the memory layout ringbuf.c and user_ringbuf.c share: file
 * offset 0 is the consumer page (consumer_pos), one page further the
 * producer page (producer_pos), then 2 * max_entries bytes of data.  A
 * record always starts at (pos & mask) in the first half and is written and
 * read contiguously from there, running into the second half when it wraps:
 * what a reader of Linux's double mapping sees, from one plain mmap() in any
 * process (a seccomp supervisor cannot build a double mapping in its child).
 * Which side writes which page is each type's business.
 */
#ifndef UBF_MAPS_RING_H
#define UBF_MAPS_RING_H

#include "maps/map.h"

struct ubf_ring_map {
	struct ubf_map map;
	uint8_t *ring;		/* map->data: consumer page, producer page, 2 * max_entries data */
	size_t page;
	uint64_t mask;		/* max_entries - 1: data offsets wrap with it */
};

static inline struct ubf_ring_map *ubf_ring_of(const struct ubf_map *map)
{
	return ubf_container_of(map, struct ubf_ring_map, map);
}

static inline uint64_t *ubf_ring_cons_pos(const struct ubf_ring_map *rb)
{
	return (uint64_t *)(void *)rb->ring;
}

static inline uint64_t *ubf_ring_prod_pos(const struct ubf_ring_map *rb)
{
	return (uint64_t *)(void *)(rb->ring + rb->page);
}

static inline uint8_t *ubf_ring_data(const struct ubf_ring_map *rb)
{
	return rb->ring + 2 * rb->page;
}

/* A shared 32-bit word in the map header (locks, flags): @idx < 2. */
static inline uint32_t *ubf_ring_state(const struct ubf_ring_map *rb, unsigned idx)
{
	return (uint32_t *)(void *)&rb->map.hdr->state[idx];
}

/*
 * Wake-ups (ubf_libbpf_route()'s epoll waiters, in any process): two 32-bit
 * words at UBF_RING_WAKE_OFF in the page the notifying side writes - the
 * producer page of a ringbuf, the consumer page of a user ringbuf; Linux's
 * layout leaves the rest of those pages unused.  The first is a futex
 * sequence, the second the number of sleepers on it.
 */
#define UBF_RING_WAKE_OFF 128
/* Bump the sequence and wake the sleepers, if any: @page is the notifying side's page. */
void ubf_ring_notify(uint8_t *page);
/* The same for a sequence word anywhere (@seq[0] the sequence, @seq[1] its sleepers). */
void ubf_ring_wake(uint32_t *seq);

/*
 * ubf_ring_watch_start() - a thread that makes the eventfd @efd readable
 * (one edge per change) while the ring buffer file @ring_fd has data to
 * consume (@is_user: a user ring buffer with room to produce, @max_entries
 * its size), woken by the futex word the notifying side bumps.
 * ubf_ring_watch_stop() ends the thread and frees the watch;
 * ubf_ring_watch_release() only frees it (a forked child, whose copy has
 * no thread).  @efd stays the caller's.  Return: 0 or a negative errno.
 */
struct ubf_ring_watch;
int ubf_ring_watch_start(int ring_fd, bool is_user, uint32_t max_entries, int efd,
			 struct ubf_ring_watch **wp);
/*
 * ubf_ring_watch_start_at() - the same for any ring file whose first
 * @map_sz bytes hold two u64 positions and a wake-up word pair: readable
 * while the u64 at @prod_off differs from the one at @cons_off, woken by
 * the sequence at @seq_off (a perf event: data_head, data_tail, perf.h's
 * wake_seq in page 0).
 */
int ubf_ring_watch_start_at(int fd, size_t map_sz, size_t prod_off, size_t cons_off,
			    size_t seq_off, int efd, struct ubf_ring_watch **wp);
void ubf_ring_watch_stop(struct ubf_ring_watch *w);
void ubf_ring_watch_release(struct ubf_ring_watch *w);

/* The ops both types share: Linux's ringbuf_map_alloc() checks and the layout. */
int ubf_ring_check_attr(const struct ubf_map_attr *a);
int ubf_ring_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp);
int ubf_ring_attach(struct ubf_map *map, bool is_new);
void ubf_ring_free(struct ubf_map *map);

#endif /* UBF_MAPS_RING_H */
