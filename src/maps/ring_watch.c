// SPDX-License-Identifier: BSD-2-Clause
/*
 * ring_watch.c - a thread that turns a ring buffer's wake-ups into edges
 * on an eventfd, for epoll: a ring buffer is a regular file, which epoll
 * refuses, so whoever emulates EPOLL_CTL_ADD of one (the libbpf routing
 * and preload library in src/sys/emul.c, the `userbpf exec` supervisor in
 * src/exec/epoll.c) registers an eventfd instead and starts a watch on the
 * ring.  The thread maps the ring's first two pages and sleeps on the
 * futex word of the side that notifies (ring.h), so a producer in any
 * process wakes it.  A perf event's ring (src/sys/perf.h) is watched the
 * same way, through page 0's data_head, data_tail and wake-up words.
 */
#define _GNU_SOURCE
#include "maps/ring.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ubf_ring_watch {
	int efd;		/* the caller's */
	bool is_user;
	uint32_t max_entries;
	uint8_t *pages;		/* the first map_sz bytes of the ring file */
	size_t map_sz;
	const uint64_t *prod;	/* the producer's and the consumer's positions */
	const uint64_t *cons;
	uint32_t *seq;		/* [0] the futex sequence, [1] its sleepers */
	bool stop;
	pthread_t thread;
};

/* Readable for a ringbuf: data to consume; writable for a user ringbuf: space. */
static bool ready(const struct ubf_ring_watch *w)
{
	uint64_t cons = __atomic_load_n(w->cons, __ATOMIC_ACQUIRE);
	uint64_t prod = __atomic_load_n(w->prod, __ATOMIC_ACQUIRE);

	return w->is_user ? prod - cons < w->max_entries : prod != cons;
}

/* A new edge on the eventfd (registered EPOLLET): drain the count, add one. */
static void signal_efd(const struct ubf_ring_watch *w)
{
	uint64_t v;

	if (read(w->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	v = 1;
	if (write(w->efd, &v, sizeof(v)) < 0)
		return;
}

static void *watch_main(void *arg)
{
	struct ubf_ring_watch *w = arg;
	uint32_t last = __atomic_load_n(w->seq, __ATOMIC_SEQ_CST), cur;

	if (ready(w))
		signal_efd(w);
	for (;;) {
		/* pairs with ubf_ring_notify(): both sides SEQ_CST */
		__atomic_add_fetch(&w->seq[1], 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&w->stop, __ATOMIC_SEQ_CST))
			syscall(SYS_futex, w->seq, FUTEX_WAIT, last, NULL, NULL, 0);
		__atomic_sub_fetch(&w->seq[1], 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&w->stop, __ATOMIC_SEQ_CST))
			return NULL;
		cur = __atomic_load_n(w->seq, __ATOMIC_SEQ_CST);
		if (cur == last)
			continue;
		last = cur;
		if (ready(w))
			signal_efd(w);
	}
}

/* Map @map_sz bytes of @fd and start the thread; @w's other fields are set. */
static int watch_run(struct ubf_ring_watch *w, int fd, size_t prod_off, size_t cons_off,
		     size_t seq_off, struct ubf_ring_watch **wp)
{
	void *pages;
	int err;

	/* mmap(2) itself: the front ends' mmap() takes a perf event's first mapping for a reader's */
	pages = (void *)syscall(SYS_mmap, NULL, w->map_sz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (pages == MAP_FAILED) {
		err = -errno;
		free(w);
		return err;
	}
	w->pages = pages;
	w->prod = (const uint64_t *)(const void *)(w->pages + prod_off);
	w->cons = (const uint64_t *)(const void *)(w->pages + cons_off);
	w->seq = (uint32_t *)(void *)(w->pages + seq_off);
	err = -pthread_create(&w->thread, NULL, watch_main, w);
	if (err) {
		ubf_ring_watch_release(w);
		return err;
	}
	*wp = w;
	return 0;
}

int ubf_ring_watch_start(int ring_fd, bool is_user, uint32_t max_entries, int efd,
			 struct ubf_ring_watch **wp)
{
	struct ubf_ring_watch *w = calloc(1, sizeof(*w));
	size_t page = ubf_shm_page_size();

	if (!w)
		return -ENOMEM;
	w->efd = efd;
	w->is_user = is_user;
	w->max_entries = max_entries;
	w->map_sz = 2 * page;
	/* ringbuf: producers notify from their page; user ringbuf: the drain from the consumer's */
	return watch_run(w, ring_fd, page, 0, (is_user ? 0 : page) + UBF_RING_WAKE_OFF, wp);
}

int ubf_ring_watch_start_at(int fd, size_t map_sz, size_t prod_off, size_t cons_off,
			    size_t seq_off, int efd, struct ubf_ring_watch **wp)
{
	struct ubf_ring_watch *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->efd = efd;
	w->map_sz = map_sz;
	return watch_run(w, fd, prod_off, cons_off, seq_off, wp);
}

void ubf_ring_watch_stop(struct ubf_ring_watch *w)
{
	if (!w)
		return;
	__atomic_store_n(&w->stop, true, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(w->seq, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, w->seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	pthread_join(w->thread, NULL);
	ubf_ring_watch_release(w);
}

void ubf_ring_watch_release(struct ubf_ring_watch *w)
{
	if (!w)
		return;
	munmap(w->pages, w->map_sz);
	free(w);
}

void ubf_ring_wake(uint32_t *seq)
{
	/* pairs with the sleeper's increment of seq[1] before FUTEX_WAIT (SEQ_CST both sides) */
	__atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&seq[1], __ATOMIC_SEQ_CST))
		syscall(SYS_futex, seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}
