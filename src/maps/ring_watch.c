// SPDX-License-Identifier: BSD-2-Clause
/*
 * ring_watch.c - a thread that turns a ring buffer's wake-ups into edges
 * on an eventfd, for epoll: a ring buffer is a regular file, which epoll
 * refuses, so whoever emulates EPOLL_CTL_ADD of one (the libbpf routing
 * and preload library in src/sys/emul.c, the `userbpf exec` supervisor in
 * src/exec/epoll.c) registers an eventfd instead and starts a watch on the
 * ring.  The thread maps the ring's first two pages and sleeps on the
 * futex word of the side that notifies (ring.h), so a producer in any
 * process wakes it.
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
	uint8_t *pages;		/* consumer page, producer page */
	size_t page;
	uint32_t *seq;		/* [0] the futex sequence, [1] its sleepers */
	bool stop;
	pthread_t thread;
};

/* Readable for a ringbuf: data to consume; writable for a user ringbuf: space. */
static bool ready(const struct ubf_ring_watch *w)
{
	uint64_t cons = __atomic_load_n((uint64_t *)(void *)w->pages, __ATOMIC_ACQUIRE);
	uint64_t prod = __atomic_load_n((uint64_t *)(void *)(w->pages + w->page), __ATOMIC_ACQUIRE);

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

int ubf_ring_watch_start(int ring_fd, bool is_user, uint32_t max_entries, int efd,
			 struct ubf_ring_watch **wp)
{
	struct ubf_ring_watch *w = calloc(1, sizeof(*w));
	void *pages;
	int err;

	if (!w)
		return -ENOMEM;
	w->efd = efd;
	w->is_user = is_user;
	w->max_entries = max_entries;
	w->page = ubf_shm_page_size();
	pages = mmap(NULL, 2 * w->page, PROT_READ | PROT_WRITE, MAP_SHARED, ring_fd, 0);
	if (pages == MAP_FAILED) {
		err = -errno;
		free(w);
		return err;
	}
	w->pages = pages;
	/* ringbuf: producers notify from their page; user ringbuf: the drain from the consumer's */
	w->seq = (uint32_t *)(void *)(w->pages + (is_user ? 0 : w->page) + UBF_RING_WAKE_OFF);
	err = -pthread_create(&w->thread, NULL, watch_main, w);
	if (err) {
		ubf_ring_watch_release(w);
		return err;
	}
	*wp = w;
	return 0;
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
	munmap(w->pages, 2 * w->page);
	free(w);
}
