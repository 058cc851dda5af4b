/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * perf.h - Linux's software BPF output event (PERF_TYPE_SOFTWARE,
 * PERF_COUNT_SW_BPF_OUTPUT) in user space: the event behind libbpf's
 * perf_buffer and cilium/ebpf's perf.Reader.  An event is an object file of
 * the store whose page 0 is Linux's struct perf_event_mmap_page, pages
 * 1..2^n the data ring a reader maps, and whose last page carries struct
 * ubf_obj_hdr with UBF_PERF_MAGIC, the fact that names the kind.
 * perf.c makes and drives events (the bpf(2) layer's side); perf_ring.c,
 * which needs only libc, the store and the maps module, writes samples
 * for the helpers and tells event files apart.
 */
#ifndef UBF_SYS_PERF_H
#define UBF_SYS_PERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/store.h"

#define UBF_PERF_MAGIC 0x3166727066627575ull /* "uubfprf1" */

/*
 * Perf events are not bpf(2) objects (no enum ubf_obj_kind, so no switch
 * over kinds has to learn them); their ids come from the store's spare
 * counter, shared by every process of the store as the others.
 */
#define UBF_PERF_ID_COUNTER (UBF_OBJ_KIND_MAX - 1)

/*
 * The event's state, in page 0 after Linux's struct perf_event_mmap_page
 * (whose 1088 bytes Linux follows with nothing): every process that writes
 * samples or waits for them maps page 0, so this is where they meet.
 */
#define UBF_PERF_CTL_OFF 2048

enum {
	UBF_PERF_F_ENABLED = 1u << 0,
	UBF_PERF_F_PAUSED = 1u << 1,	/* PERF_EVENT_IOC_PAUSE_OUTPUT */
	UBF_PERF_F_OVERWRITE = 1u << 2,	/* mapped without PROT_WRITE: no data_tail */
	UBF_PERF_F_INHERIT = 1u << 3,
	UBF_PERF_F_WATERMARK = 1u << 4,	/* attr.watermark: wake on bytes, not samples */
};

struct ubf_perf_ctl {
	uint32_t wake_seq;	/* futex word bumped on each wake-up, then its sleepers */
	uint32_t wake_sleepers;
	uint32_t lock;		/* writers' lock: records never interleave */
	uint32_t flags;		/* UBF_PERF_F_* */
	uint32_t data_pages;	/* bit 31: mapped; below it 2^n, fixed by the first mmap */
	int32_t cpu;		/* -1: any CPU */
	int32_t tid;		/* -1: any thread */
	uint32_t wakeup_events;	/* samples per wake-up (0: only the watermark) */
	uint64_t watermark;	/* bytes between watermark wake-ups */
	uint64_t head;		/* the writers' copy of data_head */
	uint64_t wakeup;	/* head at the last watermark wake-up */
	uint64_t events;	/* samples since the last wakeup_events wake-up */
	uint64_t lost;		/* samples lost since the last PERF_RECORD_LOST */
	uint64_t count;		/* samples written: read() and PERF_EVENT_IOC_RESET */
	uint64_t id;		/* PERF_EVENT_IOC_ID, PERF_RECORD_LOST's id */
	uint64_t sample_type;
	uint64_t period;
};

/*
 * Access to the memory of whoever made the call (this process, or a
 * supervised child): 0 or -EFAULT.
 */
struct ubf_perf_mem {
	int (*read)(const void *ctx, uint64_t addr, void *buf, size_t len);
	int (*write)(const void *ctx, uint64_t addr, const void *buf, size_t len);
	const void *ctx;
};

/* This process's memory, through ubf_sys_copy_from_user()/_to_user(). */
extern const struct ubf_perf_mem ubf_perf_self_mem;

/*
 * ubf_perf_is_bpf_output() - does the attr at @uattr ask for the event
 * userbpf emulates?  False (the kernel should answer) for every other
 * type and config, and for an attr that cannot be read.
 */
bool ubf_perf_is_bpf_output(const struct ubf_perf_mem *mem, uint64_t uattr);

/*
 * ubf_perf_open() - perf_event_open(attr, pid, cpu, group_fd, flags) of a
 * BPF output event, with Linux's checks.  Return: 0 with a new fd in *@fdp
 * (O_CLOEXEC when @flags has PERF_FLAG_FD_CLOEXEC), or -errno (-E2BIG
 * writes the size this build knows back to attr.size, as Linux).
 */
int ubf_perf_open(const struct ubf_perf_mem *mem, uint64_t uattr, int pid, int cpu,
		  int group_fd, unsigned long flags, int *fdp);

/*
 * ubf_perf_file() - is @fd a userbpf perf event?  One fstat and one pread.
 * ubf_perf_file_hdr() also hands back its header (id, creator).
 */
bool ubf_perf_file(int fd);
bool ubf_perf_file_hdr(int fd, struct ubf_obj_hdr *hdr);

/*
 * ubf_perf_ioctl() - an ioctl on the perf event @fd: ENABLE, DISABLE,
 * RESET, ID, PERIOD, PAUSE_OUTPUT and REFRESH done; SET_OUTPUT and SET_BPF
 * -EBADF (output redirection is not made here; userbpf's programs are not
 * the kernel's), SET_FILTER, QUERY_BPF -EINVAL and MODIFY_ATTRIBUTES
 * -EOPNOTSUPP as Linux for this event; -ENOTTY for any other request.
 * Return: 0 or -errno.
 */
int ubf_perf_ioctl(const struct ubf_perf_mem *mem, int fd, unsigned long req, uint64_t arg);

/* ubf_perf_is_ioctl() - is @req one of Linux's PERF_EVENT_IOC_* requests? */
bool ubf_perf_is_ioctl(unsigned long req);

/*
 * ubf_perf_mmap_prepare() - before mmap(@len, @prot, @flags, @fd, @off) of
 * a perf event: Linux's perf_mmap() checks (MAP_SHARED, offset 0, 1 + 2^n
 * pages, the size of an earlier mapping), and at the first one the file
 * grows to hold the ring.  Return: 0 (the caller then maps) or -errno.
 */
int ubf_perf_mmap_prepare(int fd, size_t len, int prot, int flags, int64_t off);

/*
 * ubf_perf_output() - bpf_perf_event_output() to the event @id, from CPU
 * @cpu: one PERF_RECORD_SAMPLE of @size bytes (preceded by the
 * PERF_RECORD_LOST of earlier losses), or a lost sample when the ring is
 * full.  Return: 0, -ENOENT (no such event), -EOPNOTSUPP (disabled, or
 * another CPU's or thread's), -ENOSPC (full, paused or never mapped),
 * -E2BIG (a record larger than a perf header can say).
 */
int ubf_perf_output(uint32_t id, uint32_t cpu, const void *data, uint64_t size);

/*
 * ubf_perf_slot() - MAP_UPDATE_ELEM of a perf_event_array with @fd: the
 * id the slot stores, the event held in the store so a program in any
 * process finds it.  Return: 0, -EBADF (not a perf event), -EOPNOTSUPP
 * (an inherited event, as Linux's perf_event_read_local()).
 */
int ubf_perf_slot(int fd, uint32_t *idp);

/*
 * ubf_perf_ring_attach() - let this process's programs reach the event @id
 * through @fd (which stays the caller's) without the store's hold: the
 * only way for an event whose file is a memfd.
 */
void ubf_perf_ring_attach(int fd, uint32_t id);

#define UBF_PERF_MAPPED (1u << 31)

/*
 * ubf_perf_watch_start() - the ring watch (maps/ring.h) of the perf event
 * @fd: @efd becomes readable while data_head differs from data_tail, and
 * again after each wake-up.  Stop it with ubf_ring_watch_stop().
 */
struct ubf_ring_watch;
int ubf_perf_watch_start(int fd, int efd, struct ubf_ring_watch **wp);

/*
 * ubf_perf_mmap_raw() - mmap(2) itself, for the library's own mappings of
 * event files: the front ends route the C library's mmap() to
 * ubf_emul_mmap(), which would take them for a reader's first mapping.
 */
void *ubf_perf_mmap_raw(size_t len, int fd);

#endif /* UBF_SYS_PERF_H */
