// SPDX-License-Identifier: BSD-2-Clause
/*
 * verifybench.c - the verification benchmark of `make bench-verify`: how
 * long one BPF_PROG_LOAD takes on userbpf and on Linux for every program of
 * the given objects, and how much memory userbpf's verifier needs at its
 * peak.  Each load runs in a fresh forked child that opens the object with
 * Debian's libbpf (legacy `maps` sections rewritten by ubf_elf_legacy_maps())
 * and loads that one program with log_level BPF_LOG_STATS, after
 * ubf_libbpf_route() for userbpf or on the real bpf(2) for Linux (root only,
 * else n/a).  Only the PROG_LOAD call of that program is timed, from inside
 * the process: ubf_bpf() is wrapped at link time (-Wl,--wrap=ubf_bpf) and
 * libbpf's syscall() is interposed by this executable.  Peak memory is the
 * child's VmHWM after the load less its VmRSS before it, with the
 * high-water mark reset (/proc/self/clear_refs) just before the call.
 * Both the wall times and each verifier's own "verification time" from its
 * log are printed, with a ratio each; OVER compares the log figures.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <userbpf/libbpf.h>
#include <userbpf/log.h>
#include <userbpf/object.h>

#define MAX_REPS 31
#define MAX_PROGS 1024
#define LOG_SZ (16u << 20)
#define LIMIT_KIB (256u * 1024u)	/* issue 5: peak memory under 256 MiB per program */
#define N_TOP 5

enum engine { ENG_UBF, ENG_LINUX, N_ENG };

static const char *const engine_names[N_ENG] = { "userbpf", "linux" };

/* What one child measured of its one PROG_LOAD. */
struct sample {
	int err;		/* bpf_object__load()'s -errno; 0: accepted */
	long processed;		/* "processed N insns", -1 when absent */
	long log_us;		/* "verification time N usec" of the log, -1 when absent */
	long insn_cnt;		/* instructions handed to PROG_LOAD */
	uint64_t wall_ns;	/* wall time of the PROG_LOAD call */
	long peak_kib;		/* VmHWM after less VmRSS before */
};

struct result {
	char name[160];		/* object:program */
	int has[N_ENG];
	struct sample med[N_ENG];	/* medians of wall_ns and log_us, the rest from rep 0 */
};

struct opts {
	unsigned int reps;
	int only;		/* -1: both engines */
};

/* ------------------------------------------------ the timed PROG_LOAD */

static char *prog_log;		/* the log buffer of the program under test */
static struct sample cur;	/* what the hooks measured in this child */

static long status_kib(const char *field)
{
	char line[256];
	size_t len = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static void reset_hwm(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "5", 1) != 1)
			cur.peak_kib = -1;
		close(fd);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int is_target(const void *attr)
{
	const union bpf_attr *a = attr;

	return prog_log && a->log_buf == (uint64_t)(uintptr_t)prog_log;
}

struct timed {
	long rss_kib;
	uint64_t t0;
};

static void timed_start(struct timed *t, const void *attr)
{
	cur.insn_cnt = ((const union bpf_attr *)attr)->insn_cnt;
	reset_hwm();
	t->rss_kib = status_kib("VmRSS");
	t->t0 = now_ns();
}

static void timed_end(const struct timed *t)
{
	long hwm;

	cur.wall_ns = now_ns() - t->t0;
	hwm = status_kib("VmHWM");
	cur.peak_kib = hwm >= 0 && t->rss_kib >= 0 ? hwm - t->rss_kib : -1;
}

int __real_ubf_bpf(int cmd, void *attr, unsigned int size);
int __wrap_ubf_bpf(int cmd, void *attr, unsigned int size);

/* userbpf: route.c's syscall() hands bpf(2) to ubf_bpf(), wrapped here. */
int __wrap_ubf_bpf(int cmd, void *attr, unsigned int size)
{
	struct timed t;
	int ret;

	if (cmd != BPF_PROG_LOAD || !is_target(attr))
		return __real_ubf_bpf(cmd, attr, size);
	timed_start(&t, attr);
	ret = __real_ubf_bpf(cmd, attr, size);
	timed_end(&t);
	return ret;
}

typedef long (*syscall_fn)(long nr, ...);

/*
 * Linux: libbpf's syscall(__NR_bpf, ...) binds to this definition first
 * (default visibility: the build hides symbols, but libbpf.so must see it).
 */
__attribute__((visibility("default")))
long syscall(long nr, ...)
{
	static syscall_fn real;
	long a[6];
	struct timed t;
	va_list ap;
	long ret;
	int i;

	if (!real)
		real = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr != SYS_bpf || a[0] != BPF_PROG_LOAD || !is_target((void *)a[1]))
		return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	timed_start(&t, (void *)a[1]);
	ret = real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	timed_end(&t);
	return ret;
}

/* ------------------------------------------------ one load per child */

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* The object as libbpf can open it: legacy `maps` sections rewritten first. */
static struct bpf_object *open_object(const char *path, void **bufp, char *why, size_t why_sz)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = path);
	struct ubf_diag diag = { .insn_idx = UBF_DIAG_NO_INSN };
	struct bpf_object *obj;
	size_t file_sz = 0, out_sz = 0;
	char *file = NULL;
	void *out = NULL;
	long n = 0;
	FILE *f;
	int ret;

	*bufp = NULL;
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(file = malloc((size_t)n)) || fread(file, 1, (size_t)n, f) != (size_t)n) {
		snprintf(why, why_sz, "%s: cannot read it: %s", path, strerror(errno ? errno : EIO));
		if (f)
			fclose(f);
		free(file);
		return NULL;
	}
	fclose(f);
	file_sz = (size_t)n;
	ret = ubf_elf_legacy_maps(file, file_sz, &out, &out_sz, &diag);
	if (ret) {
		snprintf(why, why_sz, "%s: %s: %s", path, diag.id ? diag.id : "legacy maps",
			 diag.msg[0] ? diag.msg : strerror(-ret));
		free(file);
		return NULL;
	}
	obj = out ? bpf_object__open_mem(out, out_sz, &opts) : bpf_object__open_mem(file, file_sz, &opts);
	if (!obj)
		snprintf(why, why_sz, "%s: libbpf cannot open it: %s", path, strerror(errno));
	if (out) {
		free(file);
		*bufp = out;
	} else {
		*bufp = file;
	}
	return obj;
}

static long log_number(const char *log, const char *key)
{
	const char *p = strstr(log, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

__attribute__((noreturn))
static void child_run(const char *path, size_t idx, enum engine eng, unsigned int level, FILE *out)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *map;
	char why[512];
	void *buf;
	size_t i = 0;
	int err;

	if (eng == ENG_UBF && (err = ubf_libbpf_route())) {
		fprintf(out, "error ubf_libbpf_route: %s\n", strerror(-err));
		_exit(1);
	}
	obj = open_object(path, &buf, why, sizeof(why));
	prog_log = calloc(1, LOG_SZ);
	if (!obj || !prog_log) {
		fprintf(out, "error %s\n", obj ? "out of memory" : why);
		_exit(1);
	}
	bpf_object__for_each_program(prog, obj) {
		bpf_program__set_autoload(prog, i == idx);
		if (i++ == idx) {
			bpf_program__set_log_buf(prog, prog_log, LOG_SZ);
			bpf_program__set_log_level(prog, level);
		}
	}
	bpf_object__for_each_map(map, obj)
		bpf_map__set_pin_path(map, NULL);
	cur.peak_kib = -1;
	cur.insn_cnt = -1;
	err = bpf_object__load(obj);
	fprintf(out, "ok %d %ld %ld %ld %llu %ld\n", err, log_number(prog_log, "processed "),
		log_number(prog_log, "verification time "), cur.insn_cnt,
		(unsigned long long)cur.wall_ns, cur.peak_kib);
	fflush(out);
	_exit(0);
}

static int measure(const char *path, size_t idx, enum engine eng, unsigned int level,
		   struct sample *s, char *why, size_t why_sz)
{
	unsigned long long ns;
	char line[640];
	int pfd[2], st, n;
	FILE *in, *out;
	pid_t pid;

	if (pipe(pfd))
		return snprintf(why, why_sz, "pipe: %s", strerror(errno)), -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return snprintf(why, why_sz, "fork: %s", strerror(errno)), -1;
	if (!pid) {
		close(pfd[0]);
		out = fdopen(pfd[1], "w");
		if (!out)
			_exit(1);
		child_run(path, idx, eng, level, out);
	}
	close(pfd[1]);
	in = fdopen(pfd[0], "r");
	line[0] = '\0';
	if (!in || !fgets(line, sizeof(line), in))
		line[0] = '\0';
	if (in)
		fclose(in);
	else
		close(pfd[0]);
	waitpid(pid, &st, 0);
	line[strcspn(line, "\n")] = '\0';
	if (!strncmp(line, "error ", 6))
		return snprintf(why, why_sz, "%s", line + 6), -1;
	n = sscanf(line, "ok %d %ld %ld %ld %llu %ld", &s->err, &s->processed, &s->log_us,
		   &s->insn_cnt, &ns, &s->peak_kib);
	if (n != 6)
		return snprintf(why, why_sz, "child died (status 0x%x) before reporting", st), -1;
	s->wall_ns = ns;
	return 0;
}

/* ------------------------------------------------ driving and printing */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Every repetition of one engine; the median wall and log times. */
static int bench_engine(const char *path, size_t idx, enum engine eng, unsigned int reps,
			struct sample *med)
{
	uint64_t wall[MAX_REPS];
	long logus[MAX_REPS], peak = -1;
	struct sample s;
	char why[640];
	unsigned int r;

	for (r = 0; r < reps; r++) {
		memset(&s, 0, sizeof(s));
		if (measure(path, idx, eng, 4, &s, why, sizeof(why))) {
			fprintf(stderr, "verifybench: %s: program %zu on %s: %s\n", path, idx,
				engine_names[eng], why);
			return -1;
		}
		if (!r)
			*med = s;
		wall[r] = s.wall_ns;
		logus[r] = s.log_us;
		if (s.peak_kib > peak)
			peak = s.peak_kib;
	}
	qsort(wall, reps, sizeof(wall[0]), cmp_u64);
	qsort(logus, reps, sizeof(logus[0]), cmp_long);
	med->wall_ns = wall[reps / 2];
	med->log_us = logus[reps / 2];
	med->peak_kib = peak;
	/* no "processed" line at level 4 alone: one more, untimed, load for it */
	if (med->processed < 0 && !measure(path, idx, eng, 5, &s, why, sizeof(why)))
		med->processed = s.processed;
	return 0;
}

static long processed_key(const struct result *r)
{
	if (r->has[ENG_LINUX] && r->med[ENG_LINUX].processed >= 0)
		return r->med[ENG_LINUX].processed;
	return r->has[ENG_UBF] ? r->med[ENG_UBF].processed : -1;
}

static int cmp_result(const void *a, const void *b)
{
	long x = processed_key(a), y = processed_key(b);

	return x < y ? -1 : x > y;
}

static void fmt_count(char *buf, size_t sz, const struct result *r, enum engine eng, long v)
{
	if (!r->has[eng])
		snprintf(buf, sz, "n/a");
	else if (r->med[eng].err)
		snprintf(buf, sz, "rej(%d)", -r->med[eng].err);
	else if (v < 0)
		snprintf(buf, sz, "-");
	else
		snprintf(buf, sz, "%ld", v);
}

/*
 * The verifier's own time of each engine: the "verification time N usec"
 * its log's statistics give (Linux: bpf_check() from its start to the end
 * of its rewrites; userbpf: ubf_verify() from its start to its verdict).
 */
static int has_log_us(const struct result *r, enum engine eng)
{
	return r->has[eng] && r->med[eng].log_us >= 0;
}

/*
 * OVER: userbpf's verifier slower than Linux's, log figure against log
 * figure (wall time against wall time when either log lacks the figure),
 * or a peak above 256 MiB.
 */
static int is_over(const struct result *r)
{
	const struct sample *u = &r->med[ENG_UBF], *l = &r->med[ENG_LINUX];

	if (!r->has[ENG_UBF])
		return 0;
	if (u->peak_kib > (long)LIMIT_KIB)
		return 1;
	if (!r->has[ENG_LINUX] || u->err || l->err)
		return 0;
	if (has_log_us(r, ENG_UBF) && has_log_us(r, ENG_LINUX))
		return u->log_us > l->log_us;
	return u->wall_ns > l->wall_ns;
}

static void fmt_ratio(char *buf, size_t sz, int ok, double num, double den)
{
	if (ok && den > 0)
		snprintf(buf, sz, "%.2f", num / den);
	else
		snprintf(buf, sz, "n/a");
}

static void fmt_log_us(char *buf, size_t sz, const struct result *r, enum engine eng)
{
	if (has_log_us(r, eng))
		snprintf(buf, sz, "%ld", r->med[eng].log_us);
	else
		snprintf(buf, sz, "n/a");
}

static void print_row(const struct result *r)
{
	const struct sample *u = &r->med[ENG_UBF], *l = &r->med[ENG_LINUX];
	char pu[32], pl[32], us[32], ls[32], ug[32], lg[32], wr[32], gr[32], kib[32];

	fmt_count(pu, sizeof(pu), r, ENG_UBF, u->processed);
	fmt_count(pl, sizeof(pl), r, ENG_LINUX, l->processed);
	snprintf(us, sizeof(us), r->has[ENG_UBF] ? "%.0f" : "n/a", (double)u->wall_ns / 1e3);
	snprintf(ls, sizeof(ls), r->has[ENG_LINUX] ? "%.0f" : "n/a", (double)l->wall_ns / 1e3);
	fmt_log_us(ug, sizeof(ug), r, ENG_UBF);
	fmt_log_us(lg, sizeof(lg), r, ENG_LINUX);
	fmt_ratio(wr, sizeof(wr), r->has[ENG_UBF] && r->has[ENG_LINUX], (double)u->wall_ns,
		  (double)l->wall_ns);
	fmt_ratio(gr, sizeof(gr), has_log_us(r, ENG_UBF) && has_log_us(r, ENG_LINUX),
		  (double)u->log_us, (double)l->log_us);
	snprintf(kib, sizeof(kib), r->has[ENG_UBF] && u->peak_kib >= 0 ? "%ld" : "n/a", u->peak_kib);
	printf("  %-44s %6ld %9s %9s %9s %9s %6s %9s %9s %6s %8s%s\n", r->name,
	       r->has[ENG_UBF] ? u->insn_cnt : l->insn_cnt, pu, pl, us, ls, wr, ug, lg, gr, kib,
	       is_over(r) ? "  OVER" : "");
}

/*
 * The summary of the N_TOP largest rows: the verifiers' own times (log
 * against log) and PROG_LOAD's wall times, each with its ratio.
 */
static void print_table(struct result *res, size_t n)
{
	size_t i, top = n < N_TOP ? n : N_TOP, over = 0, logs = 0;
	double su = 0, sl = 0, gu = 0, gl = 0;
	long peak = 0;

	qsort(res, n, sizeof(res[0]), cmp_result);
	printf("verification: median us of %s; wall: BPF_PROG_LOAD's wall time; log: the\n",
	       "each figure");
	printf("verifier's own \"verification time\" from its log; OVER: ubf log > lnx log;\n");
	printf("peak = userbpf VmHWM delta (KiB)\n");
	printf("  %-44s %6s %9s %9s %9s %9s %6s %9s %9s %6s %8s\n", "object:program", "insns",
	       "proc.ubf", "proc.lnx", "ubf us", "lnx us", "wall x", "ubf log", "lnx log", "log x",
	       "peak KiB");
	for (i = 0; i < n; i++)
		print_row(&res[i]);
	for (i = n - top; i < n; i++) {
		su += (double)res[i].med[ENG_UBF].wall_ns / 1e3;
		sl += (double)res[i].med[ENG_LINUX].wall_ns / 1e3;
		if (has_log_us(&res[i], ENG_UBF) && has_log_us(&res[i], ENG_LINUX)) {
			gu += (double)res[i].med[ENG_UBF].log_us;
			gl += (double)res[i].med[ENG_LINUX].log_us;
			logs++;
		}
		over += (size_t)is_over(&res[i]);
	}
	for (i = 0; i < n; i++)
		if (res[i].med[ENG_UBF].peak_kib > peak)
			peak = res[i].med[ENG_UBF].peak_kib;
	printf("largest %zu: ", top);
	if (top && res[n - 1].has[ENG_LINUX]) {
		printf("verifier (log, %zu rows with both) userbpf %.0f us, linux %.0f us, ratio %.2f; ",
		       logs, gu, gl, gl > 0 ? gu / gl : 0.0);
		printf("PROG_LOAD wall userbpf %.0f us, linux %.0f us, ratio %.2f", su, sl,
		       sl > 0 ? su / sl : 0.0);
	} else {
		printf("userbpf wall %.0f us, linux n/a", su);
	}
	printf("; %zu OVER (log against log); max userbpf peak %ld KiB (limit %u)\n", over, peak,
	       LIMIT_KIB);
}

static size_t count_progs(const char *path, char names[][96], size_t max)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	char why[512];
	void *buf;
	size_t n = 0;

	obj = open_object(path, &buf, why, sizeof(why));
	if (!obj) {
		fprintf(stderr, "verifybench: %s\n", why);
		free(buf);
		return 0;
	}
	bpf_object__for_each_program(prog, obj)
		if (n < max)
			snprintf(names[n++], 96, "%s", bpf_program__name(prog));
	bpf_object__close(obj);
	free(buf);
	return n;
}

static int parse_args(int argc, char **argv, struct opts *o, int *first)
{
	int i;

	o->reps = 5;
	o->only = -1;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			o->reps = (unsigned int)strtoul(argv[++i], NULL, 10);
			if (!o->reps || o->reps > MAX_REPS) {
				fprintf(stderr, "verifybench: --reps must be 1..%d\n", MAX_REPS);
				return -1;
			}
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			i++;
			o->only = !strcmp(argv[i], "userbpf") ? ENG_UBF :
				  !strcmp(argv[i], "linux") ? ENG_LINUX : -2;
			if (o->only == -2) {
				fprintf(stderr, "verifybench: --only takes userbpf or linux\n");
				return -1;
			}
		} else {
			fprintf(stderr, "verifybench: unknown option %s\n", argv[i]);
			return -1;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: verifybench [--reps N] [--only userbpf|linux] OBJ...\n");
		return -1;
	}
	*first = i;
	return 0;
}

static int bench_prog(const char *path, size_t idx, const struct opts *o, int has_linux,
		      struct result *r)
{
	int e, k, eng, ok = 0;

	for (k = 0; k < N_ENG; k++) {
		eng = (int)((idx + (size_t)k) % N_ENG);	/* alternate which engine goes first */
		if ((o->only >= 0 && eng != o->only) || (eng == ENG_LINUX && !has_linux))
			continue;
		e = bench_engine(path, idx, (enum engine)eng, o->reps, &r->med[eng]);
		r->has[eng] = !e;
		ok |= !e;
	}
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	static char names[MAX_PROGS][96];
	struct result *res;
	size_t n = 0, np, j;
	struct opts o;
	int i, first, has_linux, failed = 0;
	const char *base;

	if (parse_args(argc, argv, &o, &first))
		return 2;
	libbpf_set_print(quiet_print);
	has_linux = geteuid() == 0;
	if (!has_linux && o.only != ENG_UBF)
		printf("verifybench: not root: the Linux columns say n/a\n");
	res = calloc(MAX_PROGS, sizeof(*res));
	if (!res)
		return 1;
	for (i = first; i < argc; i++) {
		np = count_progs(argv[i], names, MAX_PROGS - n);
		failed |= !np;
		base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		for (j = 0; j < np; j++) {
			snprintf(res[n].name, sizeof(res[n].name), "%.*s:%s",
				 (int)(strcspn(base, ".")), base, names[j]);
			memset(&res[n].has, 0, sizeof(res[n].has));
			if (bench_prog(argv[i], j, &o, has_linux, &res[n]))
				failed = 1;
			else
				n++;
		}
	}
	print_table(res, n);
	free(res);
	return failed;
}
