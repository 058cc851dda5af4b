// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf_ring.c - bpf_perf_event_output() into a perf event's ring (perf.h),
 * from any process: the event is found by the id a perf_event_array slot
 * holds (its file is held in the store, or was attached in this process),
 * mapped once per process, and written as Linux's __perf_output_begin()
 * does: PERF_RECORD_SAMPLE at data_head, wrapping around the data pages,
 * a PERF_RECORD_LOST first when samples were lost, data_head published
 * with release order, readers woken after wakeup_events samples or a
 * watermark of bytes.  Writers of one ring take the lock word in page 0.
 * It also tells event files apart.  Only libc, the store and the maps
 * module are needed, so the helpers can link it without the bpf(2) layer.
 */
#define _GNU_SOURCE
#include "sys/perf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "maps/map.h"
#include "maps/ring.h"

/* A writer gives up on a lock held this long (its holder died): the sample is lost. */
#define LOCK_SPINS (1u << 22)

/* One event as this process maps it; views live as long as the process. */
struct view {
	struct view *next;
	const char *store;	/* ubf_store_root() when made: ids are per store */
	uint32_t id;
	int fd;
	uint32_t data_pages;	/* what the mapping covers (perf.h's word) */
	uint8_t *base;		/* page 0, then the data pages */
	size_t map_sz;
};

static pthread_mutex_t views_lock = PTHREAD_MUTEX_INITIALIZER;
static struct view *views;

static struct ubf_perf_ctl *ctl_of(uint8_t *page0)
{
	return (struct ubf_perf_ctl *)(void *)(page0 + UBF_PERF_CTL_OFF);
}

/* ---------------------------------------------------------------- event files */

bool ubf_perf_file_hdr(int fd, struct ubf_obj_hdr *hdr)
{
	size_t page = ubf_shm_page_size();
	struct stat st;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)(2 * page) ||
	    st.st_size % (off_t)page)
		return false;
	if (pread(fd, hdr, sizeof(*hdr), st.st_size - (off_t)page) != (ssize_t)sizeof(*hdr))
		return false;
	return hdr->magic == UBF_PERF_MAGIC;
}

bool ubf_perf_file(int fd)
{
	struct ubf_obj_hdr hdr;

	return ubf_perf_file_hdr(fd, &hdr);
}

void *ubf_perf_mmap_raw(size_t len, int fd)
{
	return (void *)syscall(SYS_mmap, NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

/* ---------------------------------------------------------------- this process's views */

/* (Re)map @v to cover the ring its page 0 announces; the caller holds views_lock. */
static int view_map(struct view *v)
{
	size_t page = ubf_shm_page_size(), sz;
	uint32_t want = 0;
	void *p;

	if (v->base)
		want = __atomic_load_n(&ctl_of(v->base)->data_pages, __ATOMIC_ACQUIRE);
	if (v->base && want == v->data_pages)
		return 0;
	sz = (1 + (size_t)(want & ~UBF_PERF_MAPPED)) * page;
	p = ubf_perf_mmap_raw(sz, v->fd);
	if (p == MAP_FAILED)
		return -errno;
	/* the old mapping stays: another thread may still be writing through it */
	v->base = p;
	v->map_sz = sz;
	v->data_pages = want;
	/* first mapping: read the word now that page 0 is there */
	if (!want && __atomic_load_n(&ctl_of(v->base)->data_pages, __ATOMIC_ACQUIRE))
		return view_map(v);
	return 0;
}

static struct view *view_find(uint32_t id)
{
	const char *store = ubf_store_root();
	struct view *v;

	for (v = views; v; v = v->next) {
		if (v->id == id && v->store == store)
			return v;
	}
	return NULL;
}

/* A new view of @fd (dup'ed) for @id; the caller holds views_lock. */
static struct view *view_new(int fd, uint32_t id)
{
	struct view *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->store = ubf_store_root();
	v->id = id;
	v->fd = fd;
	if (view_map(v)) {
		free(v);
		return NULL;
	}
	v->next = views;
	views = v;
	return v;
}

void ubf_perf_ring_attach(int fd, uint32_t id)
{
	int dup_fd;

	pthread_mutex_lock(&views_lock);
	if (!view_find(id)) {
		dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		if (dup_fd >= 0 && !view_new(dup_fd, id))
			close(dup_fd);
	}
	pthread_mutex_unlock(&views_lock);
}

/*
 * The mapping of event @id (opened from the store's hold when this process
 * has none) and the data pages it covers, read together under the lock.
 */
static int view_get(uint32_t id, struct view *snap)
{
	char path[PATH_MAX];
	struct view *v;
	int fd, err = 0;

	pthread_mutex_lock(&views_lock);
	v = view_find(id);
	if (!v) {
		snprintf(path, sizeof(path), "%s/.held/perf-%u", ubf_store_root(), id);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0 && !ubf_perf_file(fd)) {
			close(fd);
			fd = -1;
		}
		v = fd >= 0 ? view_new(fd, id) : NULL;
		if (!v) {
			if (fd >= 0)
				close(fd);
			err = -ENOENT;
		}
	} else {
		err = view_map(v);
	}
	if (!err)
		*snap = *v;
	pthread_mutex_unlock(&views_lock);
	return err;
}

/* ---------------------------------------------------------------- records */

/* A record being built: the fixed words of the sample, then the raw bytes. */
struct record {
	uint64_t words[12];	/* header, then the sample_type fields before RAW */
	uint32_t word_cnt;
	uint32_t raw_sz;	/* Linux's raw size: 4 + data padded to 8, less the 4 */
	uint64_t size;		/* the whole record */
};

/* Linux perf_prepare_sample() + perf_output_sample() for the fields perf.c admits. */
static void build(struct record *r, const struct ubf_perf_ctl *ctl, uint32_t cpu, uint64_t size)
{
	uint64_t st = ctl->sample_type;
	struct timespec ts;
	uint32_t n = 1;

	if (st & PERF_SAMPLE_IDENTIFIER)
		r->words[n++] = ctl->id;
	if (st & PERF_SAMPLE_TID)
		r->words[n++] = (uint64_t)(uint32_t)getpid() | (uint64_t)(uint32_t)gettid() << 32;
	if (st & PERF_SAMPLE_TIME) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		r->words[n++] = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	}
	if (st & PERF_SAMPLE_ID)
		r->words[n++] = ctl->id;
	if (st & PERF_SAMPLE_STREAM_ID)
		r->words[n++] = ctl->id;
	if (st & PERF_SAMPLE_CPU)
		r->words[n++] = cpu;
	if (st & PERF_SAMPLE_PERIOD)
		r->words[n++] = ctl->period;
	r->word_cnt = n;
	r->size = n * 8ull;
	if (st & PERF_SAMPLE_RAW) {
		r->raw_sz = (uint32_t)(((4 + size + 7) & ~7ull) - 4);
		r->size += 4 + (uint64_t)r->raw_sz;
	}
}

/* Copy @len bytes to ring offset @pos, wrapping at the end of the data pages. */
static void put(uint8_t *data, uint64_t mask, uint64_t pos, const void *src, uint64_t len)
{
	uint64_t off = pos & mask, first = mask + 1 - off;

	if (first > len)
		first = len;
	memcpy(data + off, src, first);
	if (len > first)
		memcpy(data, (const uint8_t *)src + first, len - first);
}

static void put_zero(uint8_t *data, uint64_t mask, uint64_t pos, uint64_t len)
{
	static const uint8_t zero[8];

	put(data, mask, pos, zero, len);
}

/* Write the lost record (if any) and @r at @head; return the new head. */
static uint64_t write_records(uint8_t *data, uint64_t mask, uint64_t head,
			      struct ubf_perf_ctl *ctl, uint64_t lost, struct record *r,
			      const void *src, uint64_t size)
{
	struct perf_event_header h = { PERF_RECORD_SAMPLE, 0, (uint16_t)r->size };
	uint64_t lost_rec[3];

	if (lost) {
		struct perf_event_header lh = { PERF_RECORD_LOST, 0, sizeof(lost_rec) };

		memcpy(&lost_rec[0], &lh, sizeof(lh));
		lost_rec[1] = ctl->id;
		lost_rec[2] = lost;
		put(data, mask, head, lost_rec, sizeof(lost_rec));
		head += sizeof(lost_rec);
	}
	memcpy(&r->words[0], &h, sizeof(h));
	put(data, mask, head, r->words, r->word_cnt * 8ull);
	head += r->word_cnt * 8ull;
	if (ctl->sample_type & PERF_SAMPLE_RAW) {
		put(data, mask, head, &r->raw_sz, 4);
		put(data, mask, head + 4, src, size);
		put_zero(data, mask, head + 4 + size, r->raw_sz - size);
		head += 4 + (uint64_t)r->raw_sz;
	}
	return head;
}

static bool lock_ring(struct ubf_perf_ctl *ctl)
{
	uint32_t i;

	for (i = 0; __atomic_exchange_n(&ctl->lock, 1, __ATOMIC_ACQUIRE); i++) {
		if (i >= LOCK_SPINS)
			return false;
		if (i % 64 == 63)
			sched_yield();
	}
	return true;
}

/* Linux's wake-up rules: the watermark in bytes, and every wakeup_events samples. */
static bool wake_due(struct ubf_perf_ctl *ctl, uint64_t head)
{
	bool wake = false;

	if (head - ctl->wakeup > ctl->watermark) {
		ctl->wakeup += ctl->watermark;
		wake = true;
	}
	if (!(ctl->flags & UBF_PERF_F_WATERMARK) && ctl->wakeup_events &&
	    ++ctl->events >= ctl->wakeup_events) {
		ctl->events -= ctl->wakeup_events;
		wake = true;
	}
	return wake;
}

/* Under the ring lock: reserve, write, publish.  0, or -ENOSPC with the sample lost. */
static int output_locked(const struct view *v, struct record *r, const void *src, uint64_t size,
			 bool *wakep)
{
	struct perf_event_mmap_page *up = (struct perf_event_mmap_page *)(void *)v->base;
	struct ubf_perf_ctl *ctl = ctl_of(v->base);
	uint64_t dsz, head, tail, need, lost;
	uint32_t flags = __atomic_load_n(&ctl->flags, __ATOMIC_ACQUIRE);

	if (!(v->data_pages & ~UBF_PERF_MAPPED))
		return -ENOSPC;	/* no ring: Linux counts nothing either */
	if (flags & UBF_PERF_F_PAUSED) {
		ctl->lost++;
		return -ENOSPC;
	}
	dsz = (uint64_t)(v->data_pages & ~UBF_PERF_MAPPED) * ubf_shm_page_size();
	lost = ctl->lost;
	need = r->size + (lost ? 24 : 0);
	head = ctl->head;
	tail = __atomic_load_n(&up->data_tail, __ATOMIC_ACQUIRE);
	/* CIRC_SPACE(): one byte stays free, so a full ring never looks empty */
	if (!(flags & UBF_PERF_F_OVERWRITE) && ((tail - head - 1) & (dsz - 1)) < need) {
		ctl->lost++;
		return -ENOSPC;
	}
	ctl->lost = 0;
	head = write_records(v->base + ubf_shm_page_size(), dsz - 1, head, ctl, lost, r, src,
			     size);
	ctl->head = head;
	ctl->count++;
	__atomic_store_n(&up->data_head, head, __ATOMIC_RELEASE);
	*wakep = wake_due(ctl, head);
	return 0;
}

int ubf_perf_output(uint32_t id, uint32_t cpu, const void *data, uint64_t size)
{
	struct ubf_perf_ctl *ctl;
	struct record r = { 0 };
	bool wake = false;
	struct view v;
	int err;

	err = view_get(id, &v);
	if (err)
		return err;
	ctl = ctl_of(v.base);
	/* Linux: the event must be enabled and running here (event->oncpu == this CPU) */
	if (!(__atomic_load_n(&ctl->flags, __ATOMIC_ACQUIRE) & UBF_PERF_F_ENABLED) ||
	    (ctl->cpu >= 0 && (uint32_t)ctl->cpu != cpu) || (ctl->tid >= 0 && ctl->tid != gettid()))
		return -EOPNOTSUPP;
	build(&r, ctl, cpu, size);
	if (r.size > UINT16_MAX)
		return -E2BIG;	/* perf_event_header.size is 16 bits */
	if (!lock_ring(ctl)) {
		__atomic_add_fetch(&ctl->lost, 1, __ATOMIC_RELAXED);
		return -ENOSPC;
	}
	err = output_locked(&v, &r, data, size, &wake);
	__atomic_store_n(&ctl->lock, 0, __ATOMIC_RELEASE);
	if (wake)
		ubf_ring_wake(&ctl->wake_seq);
	return err;
}
