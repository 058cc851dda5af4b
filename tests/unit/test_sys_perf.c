// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_perf.c - the software BPF output event (src/sys/perf.c,
 * perf_ring.c) through the emulation libbpf reaches: perf_event_open's
 * attr and argument checks, the mmap layout, ioctls, the records
 * bpf_perf_event_output() writes (sizes, padding, wrap-around, lost
 * records, disabled and other-CPU events), wake-ups through epoll, the
 * perf_event_array slot, a program on every engine, and two processes
 * writing to one ring.
 */
#define _GNU_SOURCE
#include "test_sys.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <linux/perf_event.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

#include "maps/map.h"
#include "sys/emul.h"
#include "sys/perf.h"
#include "test.h"
#include "test_helpers_maps.h"

#define ENG_LOOP(e)                                                                    \
	for (const struct vm_engine *e = vm_engines; e < vm_engines + VM_ENGINE_CNT; e++) \
		if (vm_engine_available(e))

static void attr_init(struct perf_event_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = PERF_TYPE_SOFTWARE;
	a->config = PERF_COUNT_SW_BPF_OUTPUT;
	a->sample_type = PERF_SAMPLE_RAW;
	a->sample_period = 1;
	a->wakeup_events = 1;
}

static int popen_ev(struct perf_event_attr *a, int pid, int cpu, int group, unsigned long flags)
{
	long args[6] = { (long)a, pid, cpu, group, (long)flags, 0 };
	long r = ubf_emul_syscall(SYS_perf_event_open, args);

	return r < 0 ? -errno : (int)r;
}

/* A reader of one mapped event, as libbpf's perf_event_read_simple(). */
struct reader {
	uint8_t *base;
	size_t page;
	size_t map_sz;
	uint64_t dsz;
	int fd;
	uint32_t id;
};

static struct perf_event_mmap_page *up_of(const struct reader *r)
{
	return (struct perf_event_mmap_page *)(void *)r->base;
}

/* Open an event on CPU @cpu with @pages data pages and map it. */
static int reader_open(struct reader *r, struct perf_event_attr *a, int cpu, uint32_t pages)
{
	uint64_t id = 0;
	void *p;

	memset(r, 0, sizeof(*r));
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	r->fd = popen_ev(a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (r->fd < 0)
		return r->fd;
	r->map_sz = (1 + pages) * r->page;
	p = ubf_emul_mmap(NULL, r->map_sz, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	r->base = p;
	r->dsz = (uint64_t)pages * r->page;
	if (ubf_emul_ioctl(r->fd, PERF_EVENT_IOC_ENABLE, 0) ||
	    ubf_emul_ioctl(r->fd, PERF_EVENT_IOC_ID, (unsigned long)&id))
		return -errno;
	r->id = (uint32_t)id;
	return 0;
}

static void reader_close(struct reader *r)
{
	if (r->base)
		munmap(r->base, r->map_sz);
	if (r->fd >= 0)
		close(r->fd);
}

/*
 * The next record at data_tail, copied out (wrapping) into @buf: its type,
 * or 0 when the ring is empty.  data_tail advances past it.
 */
static uint32_t next_record(struct reader *r, uint8_t *buf, size_t cap)
{
	struct perf_event_mmap_page *up = up_of(r);
	uint64_t head = __atomic_load_n(&up->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = up->data_tail, off, i;
	struct perf_event_header h;

	if (head == tail)
		return 0;
	for (i = 0; i < sizeof(h); i++)
		((uint8_t *)&h)[i] = r->base[r->page + ((tail + i) & (r->dsz - 1))];
	for (i = 0; i < h.size && i < cap; i++) {
		off = (tail + i) & (r->dsz - 1);
		buf[i] = r->base[r->page + off];
	}
	__atomic_store_n(&up->data_tail, tail + h.size, __ATOMIC_RELEASE);
	return h.type;
}

/* A raw sample's payload: its 4-byte size (Linux's padded size) and the bytes. */
static uint32_t raw_of(const uint8_t *rec, const uint8_t **data)
{
	uint32_t n;

	memcpy(&n, rec + 8, 4);
	*data = rec + 12;
	return n;
}

static bool pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !sched_setaffinity(0, sizeof(set), &set);
}

static void unpin_cpu(const cpu_set_t *saved)
{
	sched_setaffinity(0, sizeof(*saved), saved);
}

TEST(sys_perf_open_checks)
{
	struct perf_event_attr a;
	uint8_t big[sizeof(a) + 16];
	char dir[64];
	int fd, ncpu = get_nprocs_conf();

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	EXPECT_TRUE(ubf_perf_is_bpf_output(&ubf_perf_self_mem, (uint64_t)(uintptr_t)&a));
	EXPECT_ERR(-EINVAL, popen_ev(&a, -1, -1, -1, 0));	/* no task, no CPU */
	EXPECT_ERR(-EINVAL, popen_ev(&a, -1, ncpu, -1, 0));
	EXPECT_ERR(-EINVAL, popen_ev(&a, -1, -2, -1, 0));
	EXPECT_ERR(-EINVAL, popen_ev(&a, -1, 0, -1, 1ul << 7));	/* unknown flag */
	EXPECT_ERR(-EBADF, popen_ev(&a, -1, 0, 1000, 0));	/* no such group leader */
	EXPECT_ERR(-ESRCH, popen_ev(&a, 0x3fffffff, 0, -1, 0));
	a.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_CALLCHAIN;
	EXPECT_ERR(-EINVAL, popen_ev(&a, -1, 0, -1, 0));
	a.sample_type = PERF_SAMPLE_MAX;
	EXPECT_ERR(-EINVAL, popen_ev(&a, -1, 0, -1, 0));
	attr_init(&a);
	a.__reserved_1 = 1;
	EXPECT_ERR(-EINVAL, popen_ev(&a, -1, 0, -1, 0));
	/* sizes: below VER0 is E2BIG with the known size written back */
	attr_init(&a);
	a.size = 32;
	EXPECT_ERR(-E2BIG, popen_ev(&a, -1, 0, -1, 0));
	EXPECT_EQ_INT(a.size, sizeof(a));
	/* a larger attr: zero tail accepted, a non-zero one is E2BIG */
	memset(big, 0, sizeof(big));
	attr_init(&a);
	a.size = sizeof(big);
	memcpy(big, &a, sizeof(a));
	fd = popen_ev((struct perf_event_attr *)(void *)big, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	EXPECT_TRUE(fd >= 0);
	EXPECT_TRUE(ubf_perf_file(fd));
	EXPECT_EQ_INT(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	big[sizeof(a) + 3] = 1;
	EXPECT_ERR(-E2BIG, popen_ev((struct perf_event_attr *)(void *)big, -1, 0, -1, 0));
	/* size 0 means VER0; pid 0 (this thread) with any CPU is fine, without CLOEXEC */
	attr_init(&a);
	a.size = 0;
	fd = popen_ev(&a, 0, -1, -1, 0);
	EXPECT_TRUE(fd >= 0);
	EXPECT_EQ_INT(fcntl(fd, F_GETFD), 0);
	close(fd);
	/* other events are the kernel's: not recognised, not a userbpf file */
	attr_init(&a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = PERF_COUNT_HW_CPU_CYCLES;
	EXPECT_TRUE(!ubf_perf_is_bpf_output(&ubf_perf_self_mem, (uint64_t)(uintptr_t)&a));
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	EXPECT_TRUE(!ubf_perf_is_bpf_output(&ubf_perf_self_mem, (uint64_t)(uintptr_t)&a));
	EXPECT_TRUE(!ubf_perf_is_bpf_output(&ubf_perf_self_mem, 8));	/* unreadable */
	sys_store_end(dir);
}

TEST(sys_perf_mmap_layout_and_ioctls)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct perf_event_attr a;
	struct reader r;
	char dir[64];
	uint64_t id;
	void *p;
	int map_fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	r.fd = popen_ev(&a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	ASSERT_TRUE(r.fd >= 0);
	/* Linux perf_mmap(): shared, offset 0, 1 + 2^n pages */
	errno = 0;
	EXPECT_TRUE(ubf_emul_mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, 0) ==
		    MAP_FAILED && errno == EINVAL);
	EXPECT_TRUE(ubf_emul_mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, r.fd, 0) ==
		    MAP_FAILED && errno == EINVAL);
	EXPECT_TRUE(ubf_emul_mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd,
				  (off_t)page) == MAP_FAILED && errno == EINVAL);
	p = ubf_emul_mmap(NULL, 5 * page, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	r.base = p;
	EXPECT_EQ_U64(up_of(&r)->data_offset, page);
	EXPECT_EQ_U64(up_of(&r)->data_size, 4 * page);
	EXPECT_EQ_U64(up_of(&r)->data_head, 0);
	EXPECT_EQ_U64(up_of(&r)->data_tail, 0);
	EXPECT_EQ_INT(up_of(&r)->size, offsetof(struct perf_event_mmap_page, __reserved));
	EXPECT_TRUE(ubf_perf_file(r.fd));	/* the header moved to the new last page */
	/* a second mapping must have the first one's size */
	EXPECT_TRUE(ubf_emul_mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, 0) ==
		    MAP_FAILED && errno == EINVAL);
	p = ubf_emul_mmap(NULL, 5 * page, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, 0);
	EXPECT_TRUE(p != MAP_FAILED);
	munmap(p, 5 * page);
	/* ioctls */
	id = 0;
	EXPECT_OK(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_ID, (unsigned long)&id));
	EXPECT_TRUE(id > 0);
	EXPECT_OK(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_ENABLE, 0));
	EXPECT_OK(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_DISABLE, 0));
	EXPECT_OK(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_RESET, 0));
	EXPECT_TRUE(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_ID, 8) == -1 && errno == EFAULT);
	EXPECT_TRUE(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_SET_FILTER, 0) == -1 && errno == EINVAL);
	EXPECT_TRUE(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_SET_BPF, -1) == -1 && errno == EBADF);
	EXPECT_TRUE(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, 0) == -1 &&
		    errno == EOPNOTSUPP);
	EXPECT_ERR(-ENOTTY, ubf_perf_ioctl(&ubf_perf_self_mem, r.fd, _IO('$', 40), 0));
	/* a perf ioctl on another fd is the kernel's: ENOTTY for a map file */
	map_fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	ASSERT_TRUE(map_fd >= 0);
	EXPECT_TRUE(!ubf_perf_file(map_fd));
	EXPECT_TRUE(ubf_emul_ioctl(map_fd, PERF_EVENT_IOC_ENABLE, 0) == -1 && errno == ENOTTY);
	close(map_fd);
	munmap(r.base, 5 * page);
	close(r.fd);
	sys_store_end(dir);
}

/* Samples of 1..40 bytes: sizes padded as Linux, bytes intact, in order. */
TEST(sys_perf_output_records)
{
	uint8_t data[64], rec[128];
	const uint8_t *raw;
	struct perf_event_attr a;
	struct reader r;
	char dir[64];
	uint32_t n, i;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	ASSERT_OK(reader_open(&r, &a, 0, 2));
	ubf_perf_ring_attach(r.fd, r.id);
	for (n = 1; n <= 40; n++) {
		for (i = 0; i < n; i++)
			data[i] = (uint8_t)(n * 7 + i);
		EXPECT_OK(ubf_perf_output(r.id, 0, data, n));
	}
	EXPECT_ERR(-ENOENT, ubf_perf_output(r.id + 1000, 0, data, 1));
	for (n = 1; n <= 40; n++) {
		memset(rec, 0xee, sizeof(rec));
		ASSERT_TRUE(next_record(&r, rec, sizeof(rec)) == PERF_RECORD_SAMPLE);
		EXPECT_EQ_INT(((struct perf_event_header *)(void *)rec)->size,
			      8 + ((4 + n + 7) & ~7u));
		EXPECT_EQ_INT(raw_of(rec, &raw), ((4 + n + 7) & ~7u) - 4);
		for (i = 0; i < n; i++)
			EXPECT_EQ_INT(raw[i], (uint8_t)(n * 7 + i));
		for (; i < raw_of(rec, &raw); i++)
			EXPECT_EQ_INT(raw[i], 0);	/* padding is zeroed */
		if (ubf_test_failed())
			break;
	}
	EXPECT_EQ_INT(next_record(&r, rec, sizeof(rec)), 0);
	reader_close(&r);
	sys_store_end(dir);
}

/* A one-page ring consumed as it fills: records cross its end intact. */
TEST(sys_perf_output_wraps)
{
	struct perf_event_attr a;
	uint8_t data[300], rec[400];
	const uint8_t *raw;
	struct reader r;
	char dir[64];
	uint32_t k, i, wraps = 0;
	uint64_t before;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	ASSERT_OK(reader_open(&r, &a, 0, 1));
	ubf_perf_ring_attach(r.fd, r.id);
	for (k = 0; k < 100; k++) {
		for (i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)(k + i);
		before = up_of(&r)->data_head;
		ASSERT_OK(ubf_perf_output(r.id, 0, data, 250 + k % 50));
		if ((before & (r.dsz - 1)) + 8 + ((4 + 250 + k % 50 + 7) & ~7u) > r.dsz)
			wraps++;
		ASSERT_TRUE(next_record(&r, rec, sizeof(rec)) == PERF_RECORD_SAMPLE);
		EXPECT_TRUE(raw_of(rec, &raw) >= 250 + k % 50);
		for (i = 0; i < 250 + k % 50; i++)
			EXPECT_EQ_INT(raw[i], (uint8_t)(k + i));
		if (ubf_test_failed())
			break;
	}
	EXPECT_TRUE(wraps >= 5);
	EXPECT_TRUE(up_of(&r)->data_head > 5 * r.dsz);
	reader_close(&r);
	sys_store_end(dir);
}

/* A full ring loses samples; the next that fits is preceded by PERF_RECORD_LOST. */
TEST(sys_perf_output_lost)
{
	struct perf_event_attr a;
	uint8_t data[100] = { 1, 2, 3 }, rec[256];
	uint64_t lost_rec[3];
	struct reader r;
	char dir[64];
	uint32_t ok = 0, lost = 0, i, got = 0;
	int err;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	ASSERT_OK(reader_open(&r, &a, 0, 1));
	ubf_perf_ring_attach(r.fd, r.id);
	for (i = 0; i < 100; i++) {
		data[0] = (uint8_t)i;
		err = ubf_perf_output(r.id, 0, data, sizeof(data));
		if (!err)
			ok++;
		else if (err == -ENOSPC)
			lost++;
		else
			EXPECT_OK(err);
	}
	/* 112-byte records in 4096 - 1 bytes: 36 fit */
	EXPECT_EQ_INT(ok, (r.dsz - 1) / 112);
	EXPECT_EQ_INT(ok + lost, 100);
	while (next_record(&r, rec, sizeof(rec)) == PERF_RECORD_SAMPLE) {
		EXPECT_EQ_INT(rec[12], got);
		got++;
	}
	EXPECT_EQ_INT(got, ok);
	data[0] = 0x77;
	EXPECT_OK(ubf_perf_output(r.id, 0, data, sizeof(data)));
	ASSERT_TRUE(next_record(&r, rec, sizeof(rec)) == PERF_RECORD_LOST);
	memcpy(lost_rec, rec, sizeof(lost_rec));
	EXPECT_EQ_INT(((struct perf_event_header *)(void *)rec)->size, 24);
	EXPECT_EQ_U64(lost_rec[1], r.id);
	EXPECT_EQ_U64(lost_rec[2], lost);
	ASSERT_TRUE(next_record(&r, rec, sizeof(rec)) == PERF_RECORD_SAMPLE);
	EXPECT_EQ_INT(rec[12], 0x77);
	EXPECT_EQ_INT(next_record(&r, rec, sizeof(rec)), 0);
	/* paused output counts as lost too */
	EXPECT_OK(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_PAUSE_OUTPUT, 1));
	EXPECT_ERR(-ENOSPC, ubf_perf_output(r.id, 0, data, 8));
	EXPECT_OK(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_PAUSE_OUTPUT, 0));
	EXPECT_OK(ubf_perf_output(r.id, 0, data, 8));
	ASSERT_TRUE(next_record(&r, rec, sizeof(rec)) == PERF_RECORD_LOST);
	memcpy(lost_rec, rec, sizeof(lost_rec));
	EXPECT_EQ_U64(lost_rec[2], 1);
	reader_close(&r);
	sys_store_end(dir);
}

/* Disabled, another CPU's, another thread's or never-mapped events: Linux's answers. */
TEST(sys_perf_output_refused)
{
	struct perf_event_attr a;
	struct reader r;
	uint8_t data[8] = { 0 }, rec[64];
	char dir[64];
	uint64_t id;
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	ASSERT_OK(reader_open(&r, &a, 0, 1));
	ubf_perf_ring_attach(r.fd, r.id);
	EXPECT_OK(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_DISABLE, 0));
	EXPECT_ERR(-EOPNOTSUPP, ubf_perf_output(r.id, 0, data, 8));
	EXPECT_OK(ubf_emul_ioctl(r.fd, PERF_EVENT_IOC_ENABLE, 0));
	EXPECT_ERR(-EOPNOTSUPP, ubf_perf_output(r.id, 1, data, 8));	/* CPU 0's event */
	EXPECT_ERR(-E2BIG, ubf_perf_output(r.id, 0, data, 70000));
	EXPECT_OK(ubf_perf_output(r.id, 0, data, 8));
	EXPECT_EQ_INT(next_record(&r, rec, sizeof(rec)), PERF_RECORD_SAMPLE);
	EXPECT_EQ_INT(next_record(&r, rec, sizeof(rec)), 0);	/* refused ones are not lost */
	reader_close(&r);
	/* attr.disabled starts disabled; a never-mapped event has no ring */
	attr_init(&a);
	a.disabled = 1;
	fd = popen_ev(&a, 0, -1, -1, 0);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(ubf_emul_ioctl(fd, PERF_EVENT_IOC_ID, (unsigned long)&id));
	ubf_perf_ring_attach(fd, (uint32_t)id);
	EXPECT_ERR(-EOPNOTSUPP, ubf_perf_output((uint32_t)id, 5, data, 8));
	EXPECT_OK(ubf_emul_ioctl(fd, PERF_EVENT_IOC_ENABLE, 0));
	EXPECT_ERR(-ENOSPC, ubf_perf_output((uint32_t)id, 5, data, 8));	/* this thread, any CPU */
	close(fd);
	sys_store_end(dir);
}

/* The other sample fields perf.c admits, in Linux's order. */
TEST(sys_perf_output_sample_fields)
{
	struct perf_event_attr a;
	struct reader r;
	uint8_t data[4] = { 9, 8, 7, 6 }, rec[128];
	uint64_t w[8];
	char dir[64];

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	a.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_TID | PERF_SAMPLE_CPU | PERF_SAMPLE_ID |
			PERF_SAMPLE_PERIOD;
	a.sample_period = 3;
	ASSERT_OK(reader_open(&r, &a, 1 % get_nprocs_conf(), 1));
	ubf_perf_ring_attach(r.fd, r.id);
	ASSERT_OK(ubf_perf_output(r.id, (uint32_t)(1 % get_nprocs_conf()), data, 4));
	ASSERT_TRUE(next_record(&r, rec, sizeof(rec)) == PERF_RECORD_SAMPLE);
	memcpy(w, rec, sizeof(w));
	EXPECT_EQ_INT(((struct perf_event_header *)(void *)rec)->size, 8 + 4 * 8 + 8);
	EXPECT_EQ_U64(w[1], (uint64_t)(uint32_t)getpid() | (uint64_t)(uint32_t)gettid() << 32);
	EXPECT_EQ_U64(w[2], r.id);
	EXPECT_EQ_U64(w[3], (uint64_t)(1 % get_nprocs_conf()));
	EXPECT_EQ_U64(w[4], 3);
	EXPECT_EQ_U64(w[5] & 0xffffffff, 4);
	EXPECT_EQ_U64(w[5] >> 32, 0x06070809);
	reader_close(&r);
	sys_store_end(dir);
}

/* epoll on the event: woken after wakeup_events samples, not before. */
TEST(sys_perf_epoll_wakeup)
{
	struct perf_event_attr a;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 }, out;
	uint8_t data[8] = { 0 };
	struct reader r;
	char dir[64];
	int ep;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	a.wakeup_events = 3;
	ASSERT_OK(reader_open(&r, &a, 0, 4));
	ubf_perf_ring_attach(r.fd, r.id);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_TRUE(ep >= 0);
	ASSERT_OK(ubf_emul_epoll_ctl(ep, EPOLL_CTL_ADD, r.fd, &ev));
	EXPECT_ERR(-1, ubf_emul_epoll_ctl(ep, EPOLL_CTL_ADD, r.fd, &ev));
	EXPECT_EQ_INT(epoll_wait(ep, &out, 1, 50), 0);
	EXPECT_OK(ubf_perf_output(r.id, 0, data, 8));
	EXPECT_OK(ubf_perf_output(r.id, 0, data, 8));
	EXPECT_EQ_INT(epoll_wait(ep, &out, 1, 100), 0);	/* 2 of 3: no wake-up yet */
	EXPECT_OK(ubf_perf_output(r.id, 0, data, 8));
	EXPECT_EQ_INT(epoll_wait(ep, &out, 1, 5000), 1);
	EXPECT_EQ_U64(out.data.u64, 42);
	EXPECT_OK(ubf_emul_close(r.fd));
	r.fd = -1;
	close(ep);
	reader_close(&r);
	sys_store_end(dir);
}

/* perf_event_array slots: perf fds only, user lookups refused, a program on every engine. */
TEST(sys_perf_array_slot_and_helper)
{
	struct perf_event_attr a;
	struct reader r;
	uint8_t rec[64];
	const uint8_t *raw;
	char dir[64];
	uint32_t key, val, cpu = 0;
	int map_fd, arr_fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	ASSERT_OK(reader_open(&r, &a, 0, 1));
	map_fd = sys_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, 0);
	arr_fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	ASSERT_TRUE(map_fd >= 0 && arr_fd >= 0);
	key = 0;
	val = (uint32_t)arr_fd;
	EXPECT_ERR(-EBADF, sys_update(map_fd, &key, &val, BPF_ANY));
	val = (uint32_t)r.fd;
	EXPECT_ERR(-EINVAL, sys_update(map_fd, &key, &val, BPF_NOEXIST));
	key = 4;
	EXPECT_ERR(-E2BIG, sys_update(map_fd, &key, &val, BPF_ANY));
	key = 0;
	EXPECT_OK(sys_update(map_fd, &key, &val, BPF_ANY));
	EXPECT_TRUE(sys_lookup(map_fd, &key, &val) != 0);
	close(arr_fd);
	close(map_fd);
	/* the helper, on every engine, through a maps-module array holding the id */
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_PERF_EVENT_ARRAY, 4, 4, 4);
		struct hm_run res;
		cpu_set_t saved;
		uint64_t got;

		ASSERT_TRUE(m != NULL && !sched_getaffinity(0, sizeof(saved), &saved));
		key = 2;
		ASSERT_OK(ubf_map_update_elem(m, &key, &r.id, UBF_ANY));
		/* slot 2 holds CPU 0's event: written from CPU 0, refused from CPU 1 */
		for (cpu = 0; cpu < 2 && (int)cpu < get_nprocs(); cpu++) {
			if (!pin_cpu((int)cpu))
				SKIP("cannot run on CPU 0 and 1");
			ASSERT_OK(hm_run(e, PROG(MOV_X(9, 1), LDDW(1, 0x1122334455667788ull),
						 STX64(10, 1, -8), MOV_X(1, 9), MAP(2, m), MOV_K(3, 2),
						 FP(4, -8), MOV_K(5, 8), CALL(25), STX64(9, 0, 0),
						 MOV_X(1, 9), MAP(2, m), MOV_K(3, 1), FP(4, -8),
						 MOV_K(5, 8), CALL(25), STX64(9, 0, 8), MOV_K(0, 0),
						 EXIT()),
					 0, &res));
			unpin_cpu(&saved);
			EXPECT_OK(res.err);
			EXPECT_EQ_U64(res.mem[1], (uint64_t)-ENOENT);	/* empty slot */
			if (cpu) {
				EXPECT_EQ_U64(res.mem[0], (uint64_t)-EOPNOTSUPP);
				EXPECT_EQ_INT(next_record(&r, rec, sizeof(rec)), 0);
				continue;
			}
			EXPECT_EQ_U64(res.mem[0], 0);
			ASSERT_TRUE(next_record(&r, rec, sizeof(rec)) == PERF_RECORD_SAMPLE);
			EXPECT_EQ_INT(raw_of(rec, &raw), 12);
			memcpy(&got, raw, sizeof(got));	/* raw data is 4 bytes past 8-alignment */
			EXPECT_EQ_U64(got, 0x1122334455667788ull);
		}
		ubf_map_free(m);
	}
	reader_close(&r);
	sys_store_end(dir);
}

/*
 * Two processes write 2000 samples each to one ring, each finding the event
 * by id through the store: none torn, none lost, each writer's in order.
 */
TEST(sys_perf_two_processes)
{
	struct perf_event_attr a;
	struct reader r;
	uint8_t rec[64];
	uint32_t next[2] = { 0, 0 }, v[2], total = 0, i;
	char dir[64];
	pid_t pid;
	int st, w, spins;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	attr_init(&a);
	ASSERT_OK(reader_open(&r, &a, 0, 64));	/* CPU 0's event; writers say CPU 0 */
	/* no attach: both processes find the event through the store's hold */
	ubf_store_hold(r.fd, "perf", r.id);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	w = pid == 0 ? 1 : 0;
	for (i = 0; i < 2000; i++) {
		v[0] = (uint32_t)w;
		v[1] = i;
		for (spins = 0; ubf_perf_output(r.id, 0, v, sizeof(v)) == -ENOSPC && spins < 1000;
		     spins++)
			usleep(100);
	}
	if (pid == 0)
		_exit(0);
	ASSERT_TRUE(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
	while (next_record(&r, rec, sizeof(rec))) {
		const uint8_t *raw;

		ASSERT_TRUE(((struct perf_event_header *)(void *)rec)->type == PERF_RECORD_SAMPLE);
		ASSERT_TRUE(raw_of(rec, &raw) == 12);
		memcpy(v, raw, sizeof(v));
		ASSERT_TRUE(v[0] < 2);
		EXPECT_EQ_INT(v[1], next[v[0]]);
		next[v[0]] = v[1] + 1;
		total++;
	}
	EXPECT_EQ_INT(total, 4000);
	reader_close(&r);
	sys_store_end(dir);
}
