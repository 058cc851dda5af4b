// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf.c - perf events for BPF output under `userbpf exec`: the part of
 * the seccomp filter that stops perf_event_open, the PERF_EVENT_IOC_*
 * ioctls (no other request) and shared mappings of files, and their
 * handlers.  perf_event_open of the software BPF output event makes the
 * event (sys/perf.h) here and installs its fd in the child; its ioctls
 * run here; a first mmap of one grows the file before the kernel maps it
 * in the child (the call then continues).  Every other event, ioctl and
 * mapping goes back to the kernel unchanged.
 */
#define _GNU_SOURCE
#include "exec/exec.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/perf.h"

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, jt, jf) ((struct sock_filter)BPF_JUMP(code, k, jt, jf))

/* The low 32 bits of system call argument @i. */
#if __BYTE_ORDER == __LITTLE_ENDIAN
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#endif

static const uint32_t perf_ioctls[] = {
	PERF_EVENT_IOC_ENABLE,	     PERF_EVENT_IOC_DISABLE,	PERF_EVENT_IOC_REFRESH,
	PERF_EVENT_IOC_RESET,	     PERF_EVENT_IOC_PERIOD,	PERF_EVENT_IOC_SET_OUTPUT,
	PERF_EVENT_IOC_SET_FILTER,   PERF_EVENT_IOC_ID,		PERF_EVENT_IOC_SET_BPF,
	PERF_EVENT_IOC_PAUSE_OUTPUT, PERF_EVENT_IOC_QUERY_BPF, PERF_EVENT_IOC_MODIFY_ATTRIBUTES,
};

#define IOCTL_CNT (sizeof(perf_ioctls) / sizeof(perf_ioctls[0]))

_Static_assert(UBF_EXEC_PERF_FILTER_LEN == IOCTL_CNT + 8, "filter length");

unsigned int ubf_exec_perf_filter(struct sock_filter *f)
{
	const unsigned int len = UBF_EXEC_PERF_FILTER_LEN, notify = len + 1;
	unsigned int n = 0, i;

	/* A holds the system call number; len is the allow, len + 1 the notify */
	f[n] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_perf_event_open, (uint8_t)(notify - n - 1), 0);
	n++;
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, (uint8_t)(IOCTL_CNT + 2));
	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1));
	for (i = 0; i < IOCTL_CNT; i++, n++)
		f[n] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, perf_ioctls[i], (uint8_t)(notify - n - 1), 0);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	/* mmap(addr, len, prot, flags, fd, off): shared mappings of a file */
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 3);
	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(3));
	f[n++] = STMT(BPF_ALU | BPF_AND | BPF_K, MAP_ANONYMOUS | MAP_SHARED);
	f[n] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, MAP_SHARED, (uint8_t)(notify - n - 1), 0);
	n++;
	return n;
}

static int child_read(const void *ctx, uint64_t addr, void *buf, size_t len)
{
	return ubf_exec_read(ctx, addr, buf, len);
}

static int child_write(const void *ctx, uint64_t addr, const void *buf, size_t len)
{
	return ubf_exec_write(ctx, addr, buf, len);
}

/* perf_event_open(attr, pid, cpu, group_fd, flags): pid 0 is the calling thread. */
static void perf_open(struct ubf_exec_call *c, const struct ubf_perf_mem *mem)
{
	const __u64 *a = c->notif->data.args;
	int pid = (int)a[1], fd;

	if (!ubf_perf_is_bpf_output(mem, a[0])) {
		c->is_continue = true;
		return;
	}
	c->err = ubf_perf_open(mem, a[0], pid ? pid : (int)c->notif->pid, (int)a[2], (int)a[3],
			       (unsigned long)a[4], &fd);
	if (c->err)
		return;
	c->fd = fd;
	c->fd_flags = a[4] & PERF_FLAG_FD_CLOEXEC ? O_CLOEXEC : 0;
}

/* ioctl(fd, req, arg) and mmap(addr, len, prot, flags, fd, off) of a perf event. */
static void perf_fd_call(struct ubf_exec_call *c, const struct ubf_perf_mem *mem)
{
	const __u64 *a = c->notif->data.args;
	bool is_ioctl = c->notif->data.nr == SYS_ioctl;
	int fd;

	c->is_continue = true;
	if (ubf_exec_getfd(c, (int)a[is_ioctl ? 0 : 4], &fd))
		return;
	if (ubf_perf_file(fd)) {
		if (is_ioctl) {
			c->is_continue = false;
			c->err = ubf_perf_ioctl(mem, fd, (uint32_t)a[1], a[2]);
		} else {
			c->err = ubf_perf_mmap_prepare(fd, (size_t)a[1], (int)a[2], (int)a[3],
						       (int64_t)a[5]);
			c->is_continue = !c->err;
		}
	}
	close(fd);
}

bool ubf_exec_perf_serve(struct ubf_exec_call *c)
{
	const struct ubf_perf_mem mem = { child_read, child_write, c };

	switch (c->notif->data.nr) {
	case SYS_perf_event_open:
		perf_open(c, &mem);
		return true;
	case SYS_ioctl:
	case SYS_mmap:
		perf_fd_call(c, &mem);
		return true;
	default:
		return false;
	}
}
