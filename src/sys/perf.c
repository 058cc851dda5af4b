// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf.c - the perf event object of perf.h: perf_event_open() of the
 * software BPF output event with Linux's attr, pid, cpu and flag checks,
 * its ioctls, the first mmap() that fixes the ring size (and grows the
 * file to hold it, the object header moving to the new last page), and
 * the hold a perf_event_array slot takes.  Writing samples is
 * perf_ring.c's; every other kind of perf event is the kernel's, which
 * the front ends ask directly.
 */
#define _GNU_SOURCE
#include "sys/perf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "maps/map.h"
#include "maps/ring.h"
#include "sys/core.h"

/* The sample fields perf_ring.c writes, in Linux's order. */
#define SAMPLE_TYPES                                                                          \
	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID |      \
	 PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_RAW)
#define OPEN_FLAGS \
	(PERF_FLAG_FD_NO_GROUP | PERF_FLAG_FD_OUTPUT | PERF_FLAG_PID_CGROUP | PERF_FLAG_FD_CLOEXEC)

_Static_assert(sizeof(struct perf_event_mmap_page) <= UBF_PERF_CTL_OFF, "ctl after mmap page");
_Static_assert(UBF_PERF_CTL_OFF + sizeof(struct ubf_perf_ctl) <= 4096, "ctl inside page 0");

static int self_read(const void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	return ubf_sys_copy_from_user(buf, (const void *)(uintptr_t)addr, len);
}

static int self_write(const void *ctx, uint64_t addr, const void *buf, size_t len)
{
	(void)ctx;
	return ubf_sys_copy_to_user((void *)(uintptr_t)addr, buf, len);
}

const struct ubf_perf_mem ubf_perf_self_mem = { self_read, self_write, NULL };

bool ubf_perf_is_bpf_output(const struct ubf_perf_mem *mem, uint64_t uattr)
{
	struct {
		uint32_t type, size;
		uint64_t config;
	} head;

	if (mem->read(mem->ctx, uattr, &head, sizeof(head)))
		return false;
	return head.type == PERF_TYPE_SOFTWARE && head.config == PERF_COUNT_SW_BPF_OUTPUT;
}

/*
 * Linux perf_copy_attr(): size 0 means PERF_ATTR_SIZE_VER0, a smaller one
 * or unknown non-zero bytes past what this build knows are -E2BIG, with
 * the known size written back.
 */
static int copy_attr(const struct ubf_perf_mem *mem, uint64_t uattr, struct perf_event_attr *attr)
{
	uint32_t size, known = sizeof(*attr);
	uint8_t extra[64];
	uint64_t off;
	size_t n, i;

	memset(attr, 0, sizeof(*attr));
	if (mem->read(mem->ctx, uattr + 4, &size, sizeof(size)))
		return -EFAULT;
	if (!size)
		size = PERF_ATTR_SIZE_VER0;
	if (size < PERF_ATTR_SIZE_VER0 || size > 4096)
		goto too_big;
	for (off = known; off < size; off += n) {
		n = size - off < sizeof(extra) ? size - off : sizeof(extra);
		if (mem->read(mem->ctx, uattr + off, extra, n))
			return -EFAULT;
		for (i = 0; i < n; i++) {
			if (extra[i])
				goto too_big;
		}
	}
	if (mem->read(mem->ctx, uattr, attr, size < known ? size : known))
		return -EFAULT;
	attr->size = size;
	return 0;
too_big:
	mem->write(mem->ctx, uattr + 4, &known, sizeof(known));
	return -E2BIG;
}

/* Is @cpu in /sys/devices/system/cpu/online ("0-3,5")?  Unknown: yes. */
static bool cpu_online(int cpu)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	unsigned int lo, hi;
	bool online = false;
	int c;

	if (!f)
		return true;
	while (fscanf(f, "%u", &lo) == 1) {
		hi = lo;
		c = fgetc(f);
		if (c == '-') {
			if (fscanf(f, "%u", &hi) != 1)
				break;
			c = fgetc(f);
		}
		if ((unsigned int)cpu >= lo && (unsigned int)cpu <= hi)
			online = true;
		if (c != ',')
			break;
	}
	fclose(f);
	return online;
}

/* Linux perf_event_open()'s checks of the attr and the arguments, in its order. */
static int check_open(const struct perf_event_attr *a, int pid, int cpu, int group_fd,
		      unsigned long flags)
{
	if (a->__reserved_1 || a->__reserved_2 || a->__reserved_3)
		return -EINVAL;
	if (a->sample_type & ~(PERF_SAMPLE_MAX - 1))
		return -EINVAL;
	if (a->read_format & ~(PERF_FORMAT_MAX - 1))
		return -EINVAL;
	if (a->freq && a->sample_freq > 100000)	/* perf_event_max_sample_rate's default */
		return -EINVAL;
	if (a->sample_type & ~(uint64_t)SAMPLE_TYPES)
		return -EINVAL;	/* fields a software output event has no values for here */
	if ((flags & PERF_FLAG_PID_CGROUP) || a->aux_output || a->inherit_thread)
		return -EINVAL;
	/* Linux: a group leader must be a perf event (EBADF); groups of these are not made here */
	if (group_fd != -1)
		return ubf_perf_file(group_fd) ? -EINVAL : -EBADF;
	if (pid == -1 && cpu == -1)
		return -EINVAL;
	if (cpu < -1 || (cpu >= 0 && cpu >= get_nprocs_conf()))
		return -EINVAL;
	if (pid < -1 || (pid > 0 && kill(pid, 0) && errno == ESRCH))
		return -ESRCH;
	if (cpu >= 0 && !cpu_online(cpu))
		return -ENODEV;
	return 0;
}

/* Page 0 and the header page of a new event. */
static int write_new(int fd, const struct perf_event_attr *a, int pid, int cpu)
{
	size_t page = ubf_shm_page_size();
	struct ubf_perf_ctl ctl = { 0 };
	struct ubf_obj_hdr hdr = { 0 };
	struct perf_event_mmap_page up = { 0 };

	up.size = offsetof(struct perf_event_mmap_page, __reserved);
	up.cap_bit0_is_deprecated = 1;
	up.data_offset = page;
	ubf_store_obj_init(&hdr, UBF_PERF_MAGIC, sizeof(hdr),
			   (enum ubf_obj_kind)UBF_PERF_ID_COUNTER);
	if (!hdr.id)
		return -ENOSPC;
	ctl.flags = (a->disabled ? 0 : UBF_PERF_F_ENABLED) | (a->inherit ? UBF_PERF_F_INHERIT : 0) |
		    (a->watermark ? UBF_PERF_F_WATERMARK : 0);
	ctl.cpu = cpu;
	ctl.tid = pid == 0 ? gettid() : pid;
	ctl.wakeup_events = a->watermark ? 0 : a->wakeup_events;
	ctl.watermark = a->watermark ? a->wakeup_watermark : 0;
	ctl.id = hdr.id;
	ctl.sample_type = a->sample_type;
	ctl.period = a->freq ? 1 : a->sample_period;
	if (pwrite(fd, &up, sizeof(up), 0) != (ssize_t)sizeof(up) ||
	    pwrite(fd, &ctl, sizeof(ctl), UBF_PERF_CTL_OFF) != (ssize_t)sizeof(ctl) ||
	    pwrite(fd, &hdr, sizeof(hdr), (off_t)page) != (ssize_t)sizeof(hdr))
		return -EIO;
	return 0;
}

int ubf_perf_open(const struct ubf_perf_mem *mem, uint64_t uattr, int pid, int cpu,
		  int group_fd, unsigned long flags, int *fdp)
{
	struct perf_event_attr a;
	int err, fd;

	if (flags & ~OPEN_FLAGS)
		return -EINVAL;	/* Linux checks the flags before it reads the attr */
	err = copy_attr(mem, uattr, &a);
	if (err)
		return err;
	if (a.type != PERF_TYPE_SOFTWARE || a.config != PERF_COUNT_SW_BPF_OUTPUT)
		return -EINVAL;
	err = check_open(&a, pid, cpu, group_fd, flags);
	if (err)
		return err;
	err = ubf_store_file(2 * ubf_shm_page_size(), &fd);
	if (err)
		return err;
	err = write_new(fd, &a, pid, cpu);
	if (!err && !(flags & PERF_FLAG_FD_CLOEXEC) && fcntl(fd, F_SETFD, 0))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

/* Page 0 of the perf event @fd, mapped for the caller (-EBADF: not one). */
static int map_page0(int fd, uint8_t **pagep)
{
	void *p;

	if (!ubf_perf_file(fd))
		return -EBADF;
	p = ubf_perf_mmap_raw(ubf_shm_page_size(), fd);
	if (p == MAP_FAILED)
		return -errno;
	*pagep = p;
	return 0;
}

static struct ubf_perf_ctl *ctl_of(uint8_t *page0)
{
	return (struct ubf_perf_ctl *)(void *)(page0 + UBF_PERF_CTL_OFF);
}

bool ubf_perf_is_ioctl(unsigned long req)
{
	return _IOC_TYPE(req) == '$' && _IOC_NR(req) <= _IOC_NR(PERF_EVENT_IOC_MODIFY_ATTRIBUTES);
}

/* Linux perf_ioctl() for a software output event; @ctl is the event's shared state. */
static int do_ioctl(const struct ubf_perf_mem *mem, struct ubf_perf_ctl *ctl, unsigned long req,
		    uint64_t arg)
{
	uint64_t v;

	switch (req) {
	case PERF_EVENT_IOC_ENABLE:
		__atomic_or_fetch(&ctl->flags, UBF_PERF_F_ENABLED, __ATOMIC_RELEASE);
		return 0;
	case PERF_EVENT_IOC_DISABLE:
		__atomic_and_fetch(&ctl->flags, ~(uint32_t)UBF_PERF_F_ENABLED, __ATOMIC_RELEASE);
		return 0;
	case PERF_EVENT_IOC_RESET:
		__atomic_store_n(&ctl->count, 0, __ATOMIC_RELAXED);
		return 0;
	case PERF_EVENT_IOC_ID:
		v = ctl->id;
		return mem->write(mem->ctx, arg, &v, sizeof(v));
	case PERF_EVENT_IOC_PAUSE_OUTPUT:
		if (arg)
			__atomic_or_fetch(&ctl->flags, UBF_PERF_F_PAUSED, __ATOMIC_RELEASE);
		else
			__atomic_and_fetch(&ctl->flags, ~(uint32_t)UBF_PERF_F_PAUSED,
					   __ATOMIC_RELEASE);
		return 0;
	case PERF_EVENT_IOC_PERIOD:
		if (mem->read(mem->ctx, arg, &v, sizeof(v)))
			return -EFAULT;
		if (!v || !ctl->period)
			return -EINVAL;
		__atomic_store_n(&ctl->period, v, __ATOMIC_RELAXED);
		return 0;
	case PERF_EVENT_IOC_REFRESH:
		/* perf_event_refresh(): sampling events that are not inherited */
		if ((ctl->flags & UBF_PERF_F_INHERIT) || !ctl->period)
			return -EINVAL;
		__atomic_or_fetch(&ctl->flags, UBF_PERF_F_ENABLED, __ATOMIC_RELEASE);
		return 0;
	case PERF_EVENT_IOC_SET_OUTPUT:	/* Linux 6.18 answers EBADF for -1 too */
	case PERF_EVENT_IOC_SET_BPF:	/* userbpf's programs are no kernel bpf fds */
		return -EBADF;
	case PERF_EVENT_IOC_SET_FILTER:	/* only tracepoints and address filters */
	case PERF_EVENT_IOC_QUERY_BPF:
		return -EINVAL;
	case PERF_EVENT_IOC_MODIFY_ATTRIBUTES:	/* only breakpoints */
		return -EOPNOTSUPP;
	default:
		return -ENOTTY;
	}
}

int ubf_perf_ioctl(const struct ubf_perf_mem *mem, int fd, unsigned long req, uint64_t arg)
{
	uint8_t *page0 = NULL;
	int err;

	err = map_page0(fd, &page0);
	if (err)
		return err;
	err = do_ioctl(mem, ctl_of(page0), req, arg);
	munmap(page0, ubf_shm_page_size());
	return err;
}

/*
 * The first mapping fixes the ring: the file grows to page 0, @pages data
 * pages and the header page, which moves from page 1 (zeroed, now data).
 */
static int grow(int fd, uint8_t *page0, uint32_t pages, int prot)
{
	struct perf_event_mmap_page *up = (struct perf_event_mmap_page *)(void *)page0;
	struct ubf_perf_ctl *ctl = ctl_of(page0);
	size_t page = ubf_shm_page_size();
	uint64_t dsz = (uint64_t)pages * page;
	struct ubf_obj_hdr hdr;
	void *zero;
	int err = 0;

	zero = calloc(1, page);
	if (!zero)
		return -ENOMEM;
	if (pread(fd, &hdr, sizeof(hdr), (off_t)page) != (ssize_t)sizeof(hdr) ||
	    ftruncate(fd, (off_t)((2 + (uint64_t)pages) * page)) ||
	    pwrite(fd, &hdr, sizeof(hdr), (off_t)((1 + (uint64_t)pages) * page)) !=
		    (ssize_t)sizeof(hdr) ||
	    (pages && pwrite(fd, zero, page, (off_t)page) != (ssize_t)page))
		err = -ENOMEM;
	free(zero);
	if (err)
		return err;
	up->data_offset = page;
	up->data_size = dsz;
	ctl->watermark = ctl->watermark && ctl->watermark < dsz ? ctl->watermark : dsz / 2;
	if (!(prot & PROT_WRITE))
		__atomic_or_fetch(&ctl->flags, UBF_PERF_F_OVERWRITE, __ATOMIC_RELAXED);
	__atomic_store_n(&ctl->data_pages, pages | UBF_PERF_MAPPED, __ATOMIC_RELEASE);
	return 0;
}

int ubf_perf_mmap_prepare(int fd, size_t len, int prot, int flags, int64_t off)
{
	size_t page = ubf_shm_page_size();
	struct ubf_perf_ctl *ctl;
	uint32_t have, pages;
	uint8_t *page0 = NULL;
	int err;

	/* Linux perf_mmap(): shared, the main buffer at 0, 1 + 2^n pages */
	if ((flags & MAP_TYPE) != MAP_SHARED || off || !len || len % page)
		return -EINVAL;
	if (len / page - 1 > (1u << 30))
		return -EINVAL;
	pages = (uint32_t)(len / page - 1);
	if (pages & (pages - 1))
		return -EINVAL;
	err = map_page0(fd, &page0);
	if (err)
		return err;
	ctl = ctl_of(page0);
	while (__atomic_exchange_n(&ctl->lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	have = __atomic_load_n(&ctl->data_pages, __ATOMIC_ACQUIRE);
	if (have)
		err = (have & ~UBF_PERF_MAPPED) == pages ? 0 : -EINVAL;
	else
		err = grow(fd, page0, pages, prot);
	__atomic_store_n(&ctl->lock, 0, __ATOMIC_RELEASE);
	munmap(page0, page);
	return err;
}

int ubf_perf_watch_start(int fd, int efd, struct ubf_ring_watch **wp)
{
	return ubf_ring_watch_start_at(fd, ubf_shm_page_size(),
				       offsetof(struct perf_event_mmap_page, data_head),
				       offsetof(struct perf_event_mmap_page, data_tail),
				       UBF_PERF_CTL_OFF + offsetof(struct ubf_perf_ctl, wake_seq), efd,
				       wp);
}

int ubf_perf_slot(int fd, uint32_t *idp)
{
	struct ubf_obj_hdr hdr;
	struct ubf_perf_ctl ctl;

	if (!ubf_perf_file_hdr(fd, &hdr))
		return -EBADF;
	if (pread(fd, &ctl, sizeof(ctl), UBF_PERF_CTL_OFF) != (ssize_t)sizeof(ctl))
		return -EBADF;
	if (ctl.flags & UBF_PERF_F_INHERIT)
		return -EOPNOTSUPP;	/* perf_event_read_local() refuses inherited events */
	ubf_obj_hold_file(fd, (enum ubf_obj_kind)UBF_PERF_ID_COUNTER, hdr.id);
	ubf_perf_ring_attach(fd, hdr.id);
	*idp = hdr.id;
	return 0;
}
