// SPDX-License-Identifier: BSD-2-Clause
/*
 * bootstrap.c - a libbpf application as libbpf-bootstrap teaches it, built
 * against Debian's libbpf-dev and nothing of userbpf: open the skeleton of
 * bootstrap.bpf.c (bpftool gen skeleton), set its const volatile globals,
 * load, then a second thread triggers the XDP program N times with
 * bpf_prog_test_run_opts() (the frame carries the run's number) while the main thread consumes the events with
 * ring_buffer__poll() and finally reads the hash map and the .bss counter.
 * It runs the same on Linux and under libuserbpf-preload.so.  Each check
 * prints "ok NAME" or "FAIL NAME: why".  With --bench it measures instead
 * the latency from bpf_ringbuf_submit() (the event's bpf_ktime_get_ns()) to
 * ring_buffer__poll() returning, one event at a time, and prints the median
 * and 99th percentile.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/types.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bootstrap.h"
#include "bootstrap.skel.h"

#define MAGIC 0x5eed1234u
#define SKIP_SEQ 7u		/* the run that must emit no event */

struct app {
	struct bootstrap_bpf *skel;
	unsigned int n;		/* runs */
	bool bench;
	unsigned int gap_us;	/* pause between runs (bench) */
	uint32_t producer_tid;
	unsigned int got;	/* events received */
	unsigned int bad;	/* events out of order or wrong */
	unsigned int next_seq;
	uint64_t *lat;		/* bench: per event, submit to poll return */
	uint64_t pending[64];	/* bench: ts_ns of the events of the current poll */
	unsigned int pending_cnt;
	volatile int producer_err;
	int failed;
};

static void check(struct app *app, bool cond, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void check(struct app *app, bool cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		printf("ok %s\n", name);
		return;
	}
	app->failed = 1;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct app *app = ctx;
	const struct boot_event *e = data;
	unsigned int want = app->next_seq == SKIP_SEQ && !app->bench ? SKIP_SEQ + 1 : app->next_seq;

	if (size != sizeof(*e) || e->seq != want || e->magic != MAGIC ||
	    e->bucket != e->seq % BOOT_BUCKETS ||
	    e->tid != __atomic_load_n(&app->producer_tid, __ATOMIC_ACQUIRE)) {
		if (app->bad++ < 5)
			fprintf(stderr, "event %u: size %zu seq %u (want %u) magic %#x bucket %u\n",
				app->got, size, e->seq, want, e->magic, e->bucket);
	}
	app->next_seq = want + 1;
	app->got++;
	if (app->pending_cnt < 64)
		app->pending[app->pending_cnt++] = e->ts_ns;
	return 0;
}

static void *produce(void *arg)
{
	struct app *app = arg;
	union {
		struct boot_args a;
		unsigned char frame[64];	/* Linux wants at least an Ethernet header */
	} in = { { 0 } };
	struct boot_args *a = &in.a;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = &in, .data_size_in = sizeof(in));
	int fd = bpf_program__fd(app->skel->progs.handle), err;
	unsigned int i;

	a->tid = (uint32_t)syscall(SYS_gettid);
	__atomic_store_n(&app->producer_tid, a->tid, __ATOMIC_RELEASE);
	for (i = 0; i < app->n; i++) {
		a->seq = i;
		err = bpf_prog_test_run_opts(fd, &opts);
		if (err || opts.retval != (a->seq == SKIP_SEQ && !app->bench ? XDP_DROP : XDP_PASS)) {
			app->producer_err = err ? err : -EPROTO;
			break;
		}
		if (app->gap_us)
			usleep(app->gap_us);
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Consume until every event is in, the producer failed, or 20 s passed. */
static void consume(struct app *app, struct ring_buffer *rb, unsigned int want)
{
	uint64_t deadline = now_ns() + 20000000000ull, t;
	unsigned int i;
	int n;

	while (app->got < want && !app->producer_err && now_ns() < deadline) {
		app->pending_cnt = 0;
		n = ring_buffer__poll(rb, 100);
		t = now_ns();
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "ring_buffer__poll: %s\n", strerror(-n));
			break;
		}
		for (i = 0; app->lat && i < app->pending_cnt; i++) {
			if (app->got - app->pending_cnt + i < app->n)
				app->lat[app->got - app->pending_cnt + i] = t - app->pending[i];
		}
	}
}

static void report_bench(struct app *app)
{
	qsort(app->lat, app->got, sizeof(*app->lat), cmp_u64);
	printf("ringlat: %u events, submit to ring_buffer__poll return: median %.1f us, p99 %.1f us\n",
	       app->got, app->lat[app->got / 2] / 1000.0,
	       app->lat[(app->got * 99) / 100 < app->got ? (app->got * 99) / 100 : app->got - 1] / 1000.0);
}

static void read_maps(struct app *app)
{
	unsigned int want_total = app->n - 1, total = 0, key, keys = 0;
	int fd = bpf_map__fd(app->skel->maps.counts);
	__u64 val, runs;
	__u32 k, next;
	int err;

	for (key = 0; key < BOOT_BUCKETS; key++) {
		unsigned int want = 0, s;

		for (s = 0; s < app->n; s++)
			want += s % BOOT_BUCKETS == key && s != SKIP_SEQ;
		err = bpf_map_lookup_elem(fd, &key, &val);
		if (!want && err == -ENOENT)
			continue;
		if (err || val != want) {
			check(app, false, "hash map", "bucket %u: err %d, count %llu, want %u", key, err,
			      (unsigned long long)val, want);
			return;
		}
		total += (unsigned int)val;
	}
	for (err = bpf_map_get_next_key(fd, NULL, &k); !err; err = bpf_map_get_next_key(fd, &k, &next), k = next)
		keys++;
	check(app, total == want_total && keys == (app->n < BOOT_BUCKETS ? app->n : BOOT_BUCKETS),
	      "hash map", "total %u want %u, %u keys", total, want_total, keys);
	runs = __atomic_load_n(&app->skel->bss->runs, __ATOMIC_ACQUIRE);
	check(app, runs == app->n, "bss counter", "runs %llu, want %u", (unsigned long long)runs,
	      app->n);
}

int main(int argc, char **argv)
{
	struct app app = { .n = 200 };
	struct ring_buffer *rb = NULL;
	pthread_t thread;
	bool bench = argc > 1 && !strcmp(argv[1], "--bench");
	int err;

	app.bench = bench;
	if (bench) {
		app.n = argc > 2 ? (unsigned int)atoi(argv[2]) : 2000;
		app.gap_us = argc > 3 ? (unsigned int)atoi(argv[3]) : 200;
		app.lat = calloc(app.n ? app.n : 1, sizeof(*app.lat));
	} else if (argc > 1) {
		app.n = (unsigned int)atoi(argv[1]);
	}
	if (app.n < SKIP_SEQ + 2 || (bench && !app.lat)) {
		fprintf(stderr, "usage: %s [N >= %u] | --bench [N [GAP_US]]\n", argv[0], SKIP_SEQ + 2);
		return 2;
	}
	app.skel = bootstrap_bpf__open();
	check(&app, app.skel, "open", "bootstrap_bpf__open: %s", strerror(errno));
	if (!app.skel)
		return 1;
	app.skel->rodata->magic = MAGIC;
	app.skel->rodata->skip_seq = bench ? 0xffffffffu : SKIP_SEQ;
	err = bootstrap_bpf__load(app.skel);
	check(&app, !err, "load", "bootstrap_bpf__load: %s", strerror(-err));
	if (err)
		goto out;
	check(&app, app.skel->rodata->magic == MAGIC, "rodata after load", "magic %#x",
	      app.skel->rodata->magic);
	rb = ring_buffer__new(bpf_map__fd(app.skel->maps.rb), on_event, &app, NULL);
	check(&app, rb, "ring_buffer__new", "%s", strerror(errno));
	if (!rb)
		goto out;
	err = pthread_create(&thread, NULL, produce, &app);
	check(&app, !err, "producer thread", "%s", strerror(err));
	if (err)
		goto out;
	consume(&app, rb, bench ? app.n : app.n - 1);
	pthread_join(thread, NULL);
	check(&app, !app.producer_err, "prog test runs", "bpf_prog_test_run_opts: %s",
	      strerror(-app.producer_err));
	check(&app, app.got == (bench ? app.n : app.n - 1) && !app.bad, "every event received",
	      "%u of %u events, %u wrong", app.got, bench ? app.n : app.n - 1, app.bad);
	check(&app, ring_buffer__consume(rb) == 0, "nothing left", "events after the last one");
	if (bench && !app.failed)
		report_bench(&app);
	else if (!bench)
		read_maps(&app);
out:
	ring_buffer__free(rb);
	bootstrap_bpf__destroy(app.skel);
	free(app.lat);
	return app.failed;
}
