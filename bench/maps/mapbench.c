// SPDX-License-Identifier: BSD-2-Clause
/*
 * mapbench.c - the map benchmark of `make bench`: map lookups and updates
 * per second from programs (maps.bpf.c) on userbpf and on Linux, side by
 * side.  Each trial forks one process per engine that loads the same object
 * through the same libbpf, userbpf's after ubf_libbpf_route(), Linux's
 * through the real bpf(2), and times bpf_prog_test_run_opts() with repeat;
 * trials alternate the engines' order and each figure is the median.
 * Without root the Linux column says n/a.  Then the memory figures: bytes
 * per element of full preallocated hash maps from the map file's blocks,
 * and what linking libuserbpf.so costs an empty process (bench/maps/empty.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <userbpf/bpf.h>
#include <userbpf/libbpf.h>

#include "mapbench.h"

#define MAX_TRIALS 31
#define N_MAPS 5
#define N_OPS 2
#define N_CASES (N_MAPS * N_OPS)

enum engine { ENG_UBF, ENG_LINUX, N_ENG };

/* The maps of maps.bpf.c, in the order the table prints them. */
static const struct bench_map {
	const char *name;	/* map type, and the programs' suffix */
	const char *map;	/* the map's name in the object */
	int percpu;
} bench_maps[N_MAPS] = {
	{ "array", "m_array", 0 },
	{ "hash", "m_hash", 0 },
	{ "lru_hash", "m_lru", 0 },
	{ "percpu_array", "m_pcpu_array", 1 },
	{ "percpu_hash", "m_pcpu_hash", 1 },
};

static const char *const op_names[N_OPS] = { "lookup", "update" };

struct opts {
	const char *obj;
	const char *empty_dir;
	unsigned int trials;
	unsigned int target_ms;
	int only;		/* -1: both engines; else the one engine to time (--only) */
};

__attribute__((format(printf, 2, 3)))
static void child_fail(FILE *out, const char *fmt, ...)
{
	va_list ap;

	fprintf(out, "error ");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fprintf(out, "\n");
	fclose(out);
	_exit(1);
}

/* Store MAP_BENCH_VALUE(k) under every key k < MAP_BENCH_OPS (on every CPU). */
static int fill_map(struct bpf_object *obj, const struct bench_map *bm, int ncpu)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, bm->map);
	__u64 vals[1024];
	__u32 k;
	int i, n = bm->percpu ? ncpu : 1;

	if (!map || n > 1024)
		return -ENOENT;
	for (k = 0; k < MAP_BENCH_OPS; k++) {
		for (i = 0; i < n; i++)
			vals[i] = MAP_BENCH_VALUE(k);
		if (bpf_map_update_elem(bpf_map__fd(map), &k, vals, BPF_ANY))
			return -errno;
	}
	return 0;
}

/*
 * One test run of @repeat runs: the run loop's time in ns per run as the
 * engine measured it (Linux's duration field), or a negative value on
 * failure.  Not the wall time: Linux's XDP test run spends milliseconds per
 * call outside the loop (it swaps the XDP dispatcher in and out).
 */
static double time_run(int fd, unsigned int repeat, __u32 *retval)
{
	unsigned char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &o))
		return -1;
	*retval = o.retval;
	return o.duration;
}

/* Calibrate the repeat count to about @target_ms of runs, then time it: ns per map operation. */
static double bench_prog(FILE *out, struct bpf_object *obj, const char *name, unsigned int target_ms)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
	unsigned int repeat = 16;
	double ns, target_ns = target_ms * 1e6;
	__u32 retval = 0;
	int fd;

	if (!prog)
		child_fail(out, "%s: no such program in the object", name);
	fd = bpf_program__fd(prog);
	for (;;) {
		ns = time_run(fd, repeat, &retval);
		if (ns < 0)
			child_fail(out, "%s: test run: %s", name, strerror(errno));
		if (retval != XDP_PASS)
			child_fail(out, "%s: returned %u, want XDP_PASS (%u): wrong map contents",
				   name, retval, XDP_PASS);
		if (ns * repeat >= target_ns / 8 || repeat >= (1u << 24))
			break;
		repeat *= 4;
	}
	if (ns < 1)
		ns = 1;
	repeat = (unsigned int)(target_ns / ns) + 1;
	ns = time_run(fd, repeat, &retval);
	if (ns < 0 || retval != XDP_PASS)
		child_fail(out, "%s: timed run failed (retval %u)", name, retval);
	return ns / MAP_BENCH_OPS;
}

/* The process of one engine in one trial: prints "CASE NS_PER_OP" lines to @out. */
static void child(enum engine eng, const struct opts *o, FILE *out)
{
	struct bpf_object *obj;
	char name[64];
	int i, j, err, ncpu;

	if (eng == ENG_UBF && (err = ubf_libbpf_route()))
		child_fail(out, "ubf_libbpf_route: %s", strerror(-err));
	obj = bpf_object__open_file(o->obj, NULL);
	if (!obj)
		child_fail(out, "%s: open: %s", o->obj, strerror(errno));
	if ((err = bpf_object__load(obj)))
		child_fail(out, "%s: load: %s", o->obj, strerror(-err));
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		child_fail(out, "libbpf_num_possible_cpus: %s", strerror(-ncpu));
	for (i = 0; i < N_MAPS; i++)
		if ((err = fill_map(obj, &bench_maps[i], ncpu)))
			child_fail(out, "fill %s: %s", bench_maps[i].map, strerror(-err));
	for (i = 0; i < N_MAPS; i++) {
		for (j = 0; j < N_OPS; j++) {
			snprintf(name, sizeof(name), "%s_%s", op_names[j], bench_maps[i].name);
			fprintf(out, "%d %.4f\n", i * N_OPS + j,
				bench_prog(out, obj, name, o->target_ms));
		}
	}
	bpf_object__close(obj);
	fclose(out);
	_exit(0);
}

/* Run one engine's process; fill @ns[case], or return -1 with @why set. */
static int run_engine(enum engine eng, const struct opts *o, double *ns, char *why, size_t why_sz)
{
	char line[512];
	int p[2], status, got = 0, c;
	double v;
	FILE *in;
	pid_t pid;

	if (pipe(p))
		return snprintf(why, why_sz, "pipe: %s", strerror(errno)), -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return snprintf(why, why_sz, "fork: %s", strerror(errno)), -1;
	if (!pid) {
		close(p[0]);
		child(eng, o, fdopen(p[1], "w"));
	}
	close(p[1]);
	in = fdopen(p[0], "r");
	snprintf(why, why_sz, "the process printed nothing");
	while (in && fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "error ", 6))
			snprintf(why, why_sz, "%s", line + 6);
		else if (sscanf(line, "%d %lf", &c, &v) == 2 && c >= 0 && c < N_CASES)
			ns[c] = v, got++;
	}
	if (in)
		fclose(in);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status) && got == N_CASES ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The throughput table; returns how many cases userbpf is slower on. */
static int throughput(const struct opts *o)
{
	static double ns[N_ENG][N_CASES][MAX_TRIALS];
	double cur[N_CASES], med[N_ENG][N_CASES];
	char why[N_ENG][512] = { "", "" };
	unsigned int t, k, done[N_ENG] = { 0, 0 };
	int ok[N_ENG] = { 1, 1 }, slower = 0, c;

	printf("map throughput: %d map operations per run, bpf_prog_test_run_opts() with "
	       "repeat for ~%u ms (its duration field), median of %u interleaved trials\n",
	       MAP_BENCH_OPS, o->target_ms, o->trials);
	for (t = 0; t < o->trials; t++) {
		for (k = 0; k < N_ENG; k++) {
			enum engine e = (enum engine)((t + k) % N_ENG);

			if (!ok[e])
				continue;
			if (o->only >= 0 && e != (enum engine)o->only) {
				ok[e] = 0;
				snprintf(why[e], sizeof(why[e]), "not run (--only)");
				continue;
			}
			if (run_engine(e, o, cur, why[e], sizeof(why[e]))) {
				ok[e] = 0;
				continue;
			}
			for (c = 0; c < N_CASES; c++)
				ns[e][c][done[e]] = cur[c];
			done[e]++;
		}
	}
	if (!ok[ENG_UBF]) {
		printf("map throughput: userbpf failed: %s\n", why[ENG_UBF]);
		return -1;
	}
	if (!ok[ENG_LINUX])
		printf("  Linux column n/a: %s\n", why[ENG_LINUX]);
	for (k = 0; k < N_ENG; k++)
		for (c = 0; c < N_CASES && ok[k]; c++)
			med[k][c] = median(ns[k][c], done[k]);
	printf("  %-13s %-7s %14s %14s %8s\n", "map", "op", "userbpf Mop/s", "linux Mop/s",
	       "ratio");
	for (c = 0; c < N_CASES; c++) {
		const char *name = bench_maps[c / N_OPS].name, *op = op_names[c % N_OPS];
		double u = 1e3 / med[ENG_UBF][c];

		if (!ok[ENG_LINUX]) {
			printf("  %-13s %-7s %14.2f %14s %8s\n", name, op, u, "n/a", "n/a");
			continue;
		}
		double l = 1e3 / med[ENG_LINUX][c];

		printf("  %-13s %-7s %14.2f %14.2f %7.2fx%s\n", name, op, u, l, u / l,
		       u < l ? "  SLOWER" : "");
		slower += u < l;
	}
	return slower;
}

/* ---------------------------------------------------------------- memory */

static int ubf_call(int cmd, union bpf_attr *a)
{
	int r = ubf_bpf(cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

/* Bytes per element of a full preallocated hash map, from its file's blocks. */
static int hash_cost(__u32 ksz, __u32 vsz, __u32 entries, double *blk, double *size)
{
	union bpf_attr a;
	unsigned char key[256] = { 0 }, val[1024] = { 0 };
	struct stat st;
	__u32 i;
	int fd, err;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = ksz;
	a.value_size = vsz;
	a.max_entries = entries;
	fd = ubf_call(BPF_MAP_CREATE, &a);
	if (fd < 0)
		return fd;
	for (i = 0; i < entries; i++) {
		memcpy(key, &i, sizeof(i));
		memcpy(val, &i, sizeof(i));
		memset(&a, 0, sizeof(a));
		a.map_fd = (__u32)fd;
		a.key = (__u64)(uintptr_t)key;
		a.value = (__u64)(uintptr_t)val;
		a.flags = BPF_NOEXIST;
		if ((err = ubf_call(BPF_MAP_UPDATE_ELEM, &a)) < 0) {
			close(fd);
			return err;
		}
	}
	err = fstat(fd, &st) ? -errno : 0;
	close(fd);
	*blk = (double)st.st_blocks * 512 / entries;
	*size = (double)st.st_size / entries;
	return err;
}

/* Run @prog with @arg and copy its one line of output into @buf. */
static int run_probe(const char *prog, const char *arg, char *buf, size_t sz)
{
	char cmd[PATH_MAX + 64];
	FILE *p;
	int ok;

	snprintf(cmd, sizeof(cmd), "'%s' %s", prog, arg);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	ok = fgets(buf, (int)sz, p) != NULL;
	buf[strcspn(buf, "\n")] = 0;
	return pclose(p) == 0 && ok ? 0 : -1;
}

static int memory(const struct opts *o)
{
	static const __u32 kv[][2] = { { 4, 8 }, { 16, 64 }, { 64, 256 } };
	const __u32 entries = 16384;
	char plain[PATH_MAX], linked[PATH_MAX], a[256], b[256], c[256];
	double blk, size;
	int over = 0, err;
	size_t i;

	printf("hash map memory: BPF_MAP_TYPE_HASH, preallocated, %u elements, all filled; "
	       "bytes per element from the map file (limit key + value + 32)\n", entries);
	printf("  %-10s %10s %10s %8s\n", "key+value", "allocated", "file size", "limit");
	for (i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		__u32 lim = kv[i][0] + kv[i][1] + 32;

		err = hash_cost(kv[i][0], kv[i][1], entries, &blk, &size);
		if (err) {
			printf("  %u+%u: %s\n", kv[i][0], kv[i][1], strerror(-err));
			over++;
			continue;
		}
		printf("  %4u+%-5u %10.1f %10.1f %8u%s\n", kv[i][0], kv[i][1], blk, size, lim,
		       blk > lim ? "  OVER" : "");
		over += blk > lim;
	}
	snprintf(plain, sizeof(plain), "%s/empty-plain", o->empty_dir);
	snprintf(linked, sizeof(linked), "%s/empty-linked", o->empty_dir);
	if (run_probe(plain, "none", a, sizeof(a)) || run_probe(linked, "none", b, sizeof(b)) ||
	    run_probe(linked, "hash", c, sizeof(c))) {
		printf("linking cost: cannot run %s or %s\n", plain, linked);
		return over + 1;
	}
	printf("linking cost (from /proc/self/smaps_rollup of an otherwise empty process, KiB):\n");
	printf("  not linked:                %s\n", a);
	printf("  links libuserbpf.so:       %s\n", b);
	printf("  + one 4+8 hash map:        %s\n", c);
	return over;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--trials N] [--ms N] [--empty-dir DIR] [--only userbpf|linux] "
		"MAPS.bpf.o\n", argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = { .trials = 5, .target_ms = 40, .empty_dir = ".", .only = -1 };
	int i, slower, over;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trials") && i + 1 < argc)
			o.trials = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--ms") && i + 1 < argc)
			o.target_ms = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--empty-dir") && i + 1 < argc)
			o.empty_dir = argv[++i];
		else if (!strcmp(argv[i], "--only") && i + 1 < argc && !strcmp(argv[i + 1], "userbpf"))
			o.only = ENG_UBF, i++;
		else if (!strcmp(argv[i], "--only") && i + 1 < argc && !strcmp(argv[i + 1], "linux"))
			o.only = ENG_LINUX, i++;
		else if (argv[i][0] != '-' && !o.obj)
			o.obj = argv[i];
		else
			usage(argv[0]);
	}
	if (!o.obj || o.trials < 1 || o.trials > MAX_TRIALS || o.target_ms < 1)
		usage(argv[0]);
	libbpf_set_print(NULL);
	slower = throughput(&o);
	over = memory(&o);
	printf("bench-maps: %s, %s\n",
	       slower < 0 ? "userbpf FAILED" : slower ? "userbpf slower than Linux" : "throughput ok",
	       over ? "memory OVER the limit" : "memory within limits");
	/* Slower is a finding to read, not a broken build: only wrong results and memory fail. */
	return slower < 0 || over ? 1 : 0;
}
