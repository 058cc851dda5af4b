// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf_output.c - reads perf_output.bpf.c's samples with libbpf's
 * perf_buffer (perf_event_open, mmap, ioctl and epoll of the events, all
 * routed): pinned to each online CPU in turn, every sample arrives once,
 * with its bytes, on the callback of the CPU it was written on, in order;
 * a sample from a forked child process arrives too; a slot named
 * explicitly from another CPU is refused (-EOPNOTSUPP) as Linux does; and a
 * one-page ring that overflows loses samples, which the lost callback
 * reports with the exact count once a later sample fits.
 */
#define _GNU_SOURCE
#include "driver.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perf_output.h"

#define PER_CPU 25
#define MAX_SEEN 512

struct seen {
	int cnt;
	int bad;		/* samples with wrong bytes or size */
	int wrong_cpu;		/* callback CPU differs from the CPU the program saw */
	__u64 lost;
	int lost_calls;
	__u32 seq[MAX_SEEN];
	int cpu[MAX_SEEN];
};

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct perf_sample sample, *s = &sample;
	struct seen *st = ctx;
	__u32 i;

	/* libbpf hands over Linux's raw size: 4 + 48 padded to 8, less 4 */
	if (size != 52) {
		st->bad++;
		return;
	}
	memcpy(s, data, sizeof(*s));	/* raw data sits 4 bytes past an 8-byte boundary */
	for (i = 0; i < 4; i++) {
		if (s->fill[i] != (__u64)s->seq * (i + 1) + 0x1111ull * i)
			st->bad++;
	}
	if (s->val != (__u64)s->seq * 3)
		st->bad++;
	if ((int)s->cpu != cpu)
		st->wrong_cpu++;
	if (st->cnt < MAX_SEEN) {
		st->seq[st->cnt] = s->seq;
		st->cpu[st->cnt] = cpu;
	}
	st->cnt++;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	struct seen *st = ctx;

	(void)cpu;
	st->lost += cnt;
	st->lost_calls++;
}

/* One test run of @prog with args {seq, 3 * seq, slot}; the program's return value. */
static int emit(struct bpf_program *prog, __u32 seq, __u32 slot)
{
	__u64 args[3] = { seq, (__u64)seq * 3, slot };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));

	if (drv_test_run(prog, bpf_program__name(prog), &opts))
		return -1000 - errno;
	return (int)opts.retval;
}

static bool pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !sched_setaffinity(0, sizeof(set), &set);
}

static void unpin(void)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	for (i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Poll until @want samples arrived or a poll found nothing in time. */
static void poll_for(struct perf_buffer *pb, struct seen *st, int want)
{
	while (st->cnt < want && perf_buffer__poll(pb, 5000) > 0)
		;
}

/* PER_CPU samples written on each online CPU; each arrives once, on its CPU, in order. */
static void every_cpu(struct bpf_object *obj, struct perf_buffer *pb, struct seen *st)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "emit");
	int ncpu = libbpf_num_possible_cpus(), cpu, i, ret_bad = 0, sent = 0, in_order = 1;
	__u32 last[256];

	memset(st, 0, sizeof(*st));
	for (cpu = 0; cpu < ncpu && cpu < 256; cpu++) {
		if (!pin_to(cpu))
			continue;	/* offline or not ours */
		for (i = 0; i < PER_CPU; i++) {
			if (emit(prog, (__u32)(cpu * 1000 + i), 0))
				ret_bad++;
			sent++;
		}
	}
	unpin();
	DRV_EQ("every_cpu.retvals", ret_bad, 0);
	poll_for(pb, st, sent);
	DRV_EQ("every_cpu.samples", st->cnt, sent);
	DRV_EQ("every_cpu.bytes", st->bad, 0);
	DRV_EQ("every_cpu.callback_cpu", st->wrong_cpu, 0);
	memset(last, 0xff, sizeof(last));
	for (i = 0; i < st->cnt && i < MAX_SEEN; i++) {
		cpu = st->cpu[i];
		if ((int)(st->seq[i] / 1000) != cpu ||
		    (last[cpu] != 0xffffffffu && st->seq[i] != last[cpu] + 1))
			in_order = 0;
		last[cpu] = st->seq[i];
	}
	drv_check(in_order, "every_cpu.order", "samples out of order or on the wrong CPU");
	/* a late wake-up may still be pending (epoll allows it); no sample may come twice */
	perf_buffer__poll(pb, 50);
	DRV_EQ("every_cpu.nothing_more", st->cnt, sent);
}

/* A forked child runs the program: its sample reaches this process's buffer. */
static void from_child(struct bpf_object *obj, struct perf_buffer *pb, struct seen *st)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "emit");
	int status = 0;
	pid_t pid;

	memset(st, 0, sizeof(*st));
	pid = fork();
	if (pid == 0)
		_exit(emit(prog, 77, 0) ? 1 : 0);
	waitpid(pid, &status, 0);
	drv_check(WIFEXITED(status) && !WEXITSTATUS(status), "child.emit", "status 0x%x", status);
	poll_for(pb, st, 1);
	DRV_EQ("child.samples", st->cnt, 1);
	DRV_EQ("child.seq", st->seq[0], 77);
	DRV_EQ("child.bytes", st->bad, 0);
}

/* An explicit slot: this CPU's event works, another CPU's is -EOPNOTSUPP. */
static void explicit_slot(struct bpf_object *obj, struct perf_buffer *pb, struct seen *st)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "emit_at");
	int other = libbpf_num_possible_cpus() > 1 ? 1 : -1;

	memset(st, 0, sizeof(*st));
	if (!pin_to(0)) {
		drv_check(false, "explicit.pin", "cannot run on CPU 0: %s", strerror(errno));
		return;
	}
	DRV_EQ("explicit.own_cpu", emit(prog, 5, 0), 0);
	if (other > 0)
		DRV_EQ("explicit.other_cpu", emit(prog, 6, (__u32)other), -EOPNOTSUPP);
	unpin();
	poll_for(pb, st, 1);
	DRV_EQ("explicit.samples", st->cnt, 1);
}

/* A one-page ring filled without reading: what fits arrives, the rest is counted lost. */
static void overflow(struct bpf_object *obj, int map_fd)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "emit");
	int total = 200, i, fits = (int)((sysconf(_SC_PAGESIZE) - 1) / 64);
	struct perf_buffer *pb;
	struct seen st;

	memset(&st, 0, sizeof(st));
	pb = perf_buffer__new(map_fd, 1, on_sample, on_lost, &st, NULL);
	drv_check(pb != NULL, "overflow.perf_buffer__new", "%s", strerror(errno));
	if (!pb)
		return;
	if (!pin_to(0)) {
		drv_check(false, "overflow.pin", "cannot run on CPU 0: %s", strerror(errno));
		perf_buffer__free(pb);
		return;
	}
	for (i = 0; i < total; i++)
		emit(prog, (__u32)i, 0);
	poll_for(pb, &st, fits);
	DRV_EQ("overflow.samples_that_fit", st.cnt, fits);
	DRV_EQ("overflow.no_lost_report_yet", st.lost_calls, 0);
	DRV_EQ("overflow.next_fits", emit(prog, 999, 0), 0);
	unpin();
	poll_for(pb, &st, fits + 1);
	DRV_EQ("overflow.lost_calls", st.lost_calls, 1);
	DRV_EQ("overflow.lost", st.lost, total - fits);
	DRV_EQ("overflow.last_seq", st.seq[fits], 999);
	DRV_EQ("overflow.bytes", st.bad, 0);
	perf_buffer__free(pb);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct perf_buffer *pb;
	struct bpf_map *map;
	struct seen st;
	struct drv d;

	drv_init(&d, argc, argv);
	obj = drv_load(&d, "perf_output", NULL);
	if (!obj)
		return drv_done();
	map = bpf_object__find_map_by_name(obj, "events");
	memset(&st, 0, sizeof(st));
	pb = map ? perf_buffer__new(bpf_map__fd(map), 8, on_sample, on_lost, &st, NULL) : NULL;
	drv_check(pb != NULL, "perf_buffer__new", "%s", strerror(errno));
	if (!pb)
		goto out;
	DRV_EQ("empty_poll_times_out", perf_buffer__poll(pb, 50), 0);
	every_cpu(obj, pb, &st);
	from_child(obj, pb, &st);
	explicit_slot(obj, pb, &st);
	perf_buffer__free(pb);
	overflow(obj, bpf_map__fd(map));
out:
	drv_close(obj);
	return drv_done();
}
