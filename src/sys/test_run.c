// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_run.c - PROG_TEST_RUN and ENABLE_STATS.  The command checks the
 * attr rules every type shares, copies the caller's buffers, calls the
 * program type's runner (prog_types.def) and writes the results back as
 * Linux's bpf_test_finish() does (data_size_out beyond the caller's buffer:
 * the truncated copy and ENOSPC).  This file has the runners of the types
 * whose context is a plain buffer (raw tracepoints, syscall programs); the
 * packet runners (XDP, skb) are in test_run_pkt.c.
 *
 * Run statistics: while any fd returned by ENABLE_STATS(BPF_STATS_RUN_TIME)
 * is open, in any process of the store, runs add to run_cnt/run_time_ns
 * in the program's shared header.  Such an fd holds an open-file-description
 * read lock on <root>/.stats; the lock goes away with the last fd of that
 * description (close, exit), so whether stats are on is one F_OFD_GETLK.
 */
/* F_OFD_GETLK, F_OFD_SETLK */
#define _GNU_SOURCE
#include "sys/sys.h"
#include "sys/core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Bytes of data buffer a test run gets at least. */
#define TEST_DATA_ROOM 4096u

/* Linux: MAX_BPF_FUNC_ARGS u64 arguments of a raw tracepoint; U16_MAX bytes of syscall ctx. */
#define RAW_TP_CTX_MAX (12u * 8u)
#define SYSCALL_CTX_MAX 65535u
#define TEST_FLAGS_KNOWN (BPF_F_TEST_RUN_ON_CPU | BPF_F_TEST_XDP_LIVE_FRAMES)

/* ---------------------------------------------------------------- statistics */

static int stats_path(char *buf, size_t sz)
{
	int n = snprintf(buf, sz, "%s/.stats", ubf_store_root());

	return n < 0 || (size_t)n >= sz ? -ENAMETOOLONG : 0;
}

bool ubf_sys_stats_enabled(void)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	char path[4096];
	bool on;
	int fd;

	if (stats_path(path, sizeof(path)))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* a write lock would conflict with any reader's lock: is there one? */
	on = !fcntl(fd, F_OFD_GETLK, &lk) && lk.l_type != F_UNLCK;
	close(fd);
	return on;
}

int ubf_cmd_enable_stats(union bpf_attr *attr)
{
	struct flock lk = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	char path[4096];
	int fd, err;

	if (attr->enable_stats.type != BPF_STATS_RUN_TIME)
		return -EINVAL;
	err = stats_path(path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_OFD_SETLK, &lk)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* ---------------------------------------------------------------- the run loop */

/*
 * The run loop's clock: the calling thread's CPU time.  Linux's test run
 * stops its timer while it is rescheduled (bpf_test_timer_continue()), so
 * its duration counts only time on a CPU; the thread's CPU clock is the
 * user-space measure of the same thing.
 */
static uint64_t run_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int ubf_test_run_loop(struct ubf_test_run *t, void *r1, size_t r1_sz,
		      const struct ubf_region *regions, size_t region_cnt)
{
	struct ubf_run_opts opts = { .sz = sizeof(opts), .regions = regions,
				     .region_cnt = region_cnt };
	struct ubf_prog_file_hdr *h = ubf_sys_prog_hdr(t->prog);
	bool stats = ubf_sys_stats_enabled();
	uint64_t r0 = 0, start, ns;
	uint32_t i;
	int err;

	start = run_clock_ns();
	for (i = 0; i < t->repeat; i++) {
		err = ubf_prog_run(t->prog->vm, r1, r1_sz, &r0, &opts);
		if (err)
			return err;
	}
	ns = run_clock_ns() - start;
	if (stats) {
		__atomic_add_fetch(&h->run_cnt, t->repeat, __ATOMIC_RELAXED);
		__atomic_add_fetch(&h->run_time_ns, ns, __ATOMIC_RELAXED);
	}
	t->retval = (uint32_t)r0;
	ns /= t->repeat;
	t->duration_ns = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	return 0;
}

/* ---------------------------------------------------------------- context-only runners */

/* Linux's bpf_prog_test_run_raw_tp(): ctx_in only, one run, optionally "on" a CPU. */
int ubf_test_run_raw_tp(struct ubf_test_run *t)
{
	const union bpf_attr *a = t->attr;

	if (a->test.data_in || a->test.data_out || a->test.ctx_out || a->test.duration ||
	    a->test.repeat || a->test.batch_size)
		return -EINVAL;
	if (t->ctx_sz > RAW_TP_CTX_MAX || t->ctx_sz < t->prog->ctx_max)
		return -EINVAL;
	if (!(t->flags & BPF_F_TEST_RUN_ON_CPU) && t->cpu)
		return -EINVAL;
	if ((t->flags & BPF_F_TEST_RUN_ON_CPU) && t->cpu >= ubf_cpu_count())
		return -ENXIO;
	t->repeat = 1;
	t->no_duration = true;
	return ubf_test_run_loop(t, t->ctx_sz ? t->ctx : NULL, t->ctx_sz, NULL, 0);
}

/* Linux's bpf_prog_test_run_syscall(): ctx_in only, written back to ctx_in after one run. */
int ubf_test_run_syscall(struct ubf_test_run *t)
{
	const union bpf_attr *a = t->attr;
	int err;

	if (a->test.data_in || a->test.data_out || a->test.ctx_out || a->test.duration ||
	    a->test.repeat || a->test.flags || a->test.batch_size)
		return -EINVAL;
	if (t->ctx_sz > SYSCALL_CTX_MAX || t->ctx_sz < t->prog->ctx_max)
		return -EINVAL;
	t->repeat = 1;
	t->no_duration = true;
	err = ubf_test_run_loop(t, t->ctx_sz ? t->ctx : NULL, t->ctx_sz, NULL, 0);
	if (!err && t->ctx_sz)
		err = ubf_sys_copy_to_user(ubf_u64_to_ptr(a->test.ctx_in), t->ctx, t->ctx_sz);
	return err;
}

/* ---------------------------------------------------------------- the command */

/* Copy @sz bytes from the caller into a new buffer of @cap (>= @sz) zeroed bytes. */
static int copy_in(uint64_t uptr, uint32_t sz, uint32_t cap, void **bufp)
{
	void *buf = calloc(1, cap ? cap : 1);

	if (!buf)
		return -ENOMEM;
	if (sz && ubf_sys_copy_from_user(buf, ubf_u64_to_ptr(uptr), sz)) {
		free(buf);
		return -EFAULT;
	}
	*bufp = buf;
	return 0;
}

/* Linux's bpf_test_finish()/bpf_ctx_finish(): copy what fits; ENOSPC when it did not all fit. */
static int copy_out(uint64_t uptr, uint32_t *usz, const void *src, uint32_t sz)
{
	uint32_t n = sz;
	int err = 0;

	if (!uptr)
		return 0;
	if (*usz && n > *usz) {
		n = *usz;
		err = -ENOSPC;
	}
	if (n && ubf_sys_copy_to_user(ubf_u64_to_ptr(uptr), src, n))
		return -EFAULT;
	*usz = sz;
	return err;
}

/* Results into the caller's attr (bpf.c copies the changed bytes back). */
static int finish(union bpf_attr *attr, const struct ubf_test_run *t)
{
	int err = 0;

	if (t->data_size_out) {
		err = copy_out(attr->test.data_out, &attr->test.data_size_out, t->data_out,
			       t->data_size_out);
		if (err && err != -ENOSPC)
			return err;
	}
	if (t->ctx_size_out && attr->test.ctx_out) {
		int cerr = copy_out(attr->test.ctx_out, &attr->test.ctx_size_out, t->ctx,
				    t->ctx_size_out);

		if (cerr)
			err = cerr;
	}
	attr->test.retval = t->retval;
	if (!t->no_duration)
		attr->test.duration = t->duration_ns;
	return err;
}

int ubf_cmd_prog_test_run(union bpf_attr *attr)
{
	const struct ubf_prog_type *pt;
	struct ubf_test_run t;
	struct ubf_obj *obj;
	int err;

	if (!attr->test.ctx_size_in != !attr->test.ctx_in ||
	    !attr->test.ctx_size_out != !attr->test.ctx_out)
		return -EINVAL;
	err = ubf_obj_get((int)attr->test.prog_fd, UBF_OBJ_PROG, &obj);
	if (err)
		return err;
	pt = ubf_prog_type(obj->prog->prog_type);
	if (!pt || !pt->test_run || (obj->prog->prog_flags & UBF_BPF_F_VERIFY_ONLY))
		return -UBF_ENOTSUPP;	/* a verify-only program never runs */
	if (attr->test.flags & ~(uint32_t)TEST_FLAGS_KNOWN)
		return -EINVAL;
	memset(&t, 0, sizeof(t));
	t.prog = obj->prog;
	t.attr = attr;
	t.data_sz = attr->test.data_size_in;
	/* Room for a packet that grows (xdp_adjust_tail): Linux's limit is a page too. */
	t.data_cap = t.data_sz > TEST_DATA_ROOM ? t.data_sz : TEST_DATA_ROOM;
	t.ctx_sz = attr->test.ctx_size_in;
	t.ctx_cap = t.ctx_sz > pt->ctx_size ? t.ctx_sz : pt->ctx_size;
	t.repeat = attr->test.repeat ? attr->test.repeat : 1;
	t.flags = attr->test.flags;
	t.cpu = attr->test.cpu;
	err = copy_in(attr->test.data_in, t.data_sz, t.data_cap, &t.data);
	/* Linux's bpf_ctx_init(): a context only when the caller passes one in or wants one out. */
	if (!err && (attr->test.ctx_in || attr->test.ctx_out))
		err = copy_in(attr->test.ctx_in, t.ctx_sz, t.ctx_cap, &t.ctx);
	if (!err)
		err = pt->test_run(&t);
	if (!err)
		err = finish(attr, &t);
	free(t.data);
	free(t.ctx);
	return err;
}
