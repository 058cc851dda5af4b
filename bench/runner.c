/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * runner.c - the benchmark runner behind `make bench` and `make
 * bench-smoke`.  For every program of bench/progs/progs.def it builds the
 * input, runs the native build of the program for the expected checksum,
 * loads the BPF build through the public API once per engine and checks
 * that every run of every engine returns that checksum; then (unless
 * --smoke) it times native code and each engine side by side and prints
 * ns per run, the ratio to native and the geomean of the ratios, and after
 * that table what ubf_prog_load() costs on the interpreter and the JIT,
 * whose difference is the JIT's compile time per 1,000 instructions.
 *
 * The machines this runs on are shared and noisy (other builds run beside
 * it), so absolute times drift from run to run.  That is why the figures
 * that matter are ratios, measured in one process in interleaved trials
 * (native, then each engine, then again), and why each figure is a median.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <userbpf/userbpf.h>

#include "progs/bench.h"

#define MAX_TRIALS 31
#define MAX_COLS 4	/* native + engines[] */
#define LOAD_TRIALS 21	/* loads per engine for the compile-time figures */

typedef uint64_t (*bench_fn)(void *mem, uint64_t len);
typedef void (*input_fn)(void *mem, uint64_t len);

struct bench_prog {
	const char *name;
	size_t mem_sz;
	bench_fn native;
	input_fn input;
};

static const struct bench_prog progs[] = {
#define X(name, mem_sz) { #name, mem_sz, bench_##name, bench_##name##_input },
#include "progs/progs.def"
#undef X
};

/* The engines, each a column after native. */
struct bench_engine {
	const char *name;
	enum ubf_engine engine;
	uint32_t flags;
};

static const struct bench_engine engines[] = {
	/* the fast path verified programs will run */
	{ "interp", UBF_ENGINE_INTERP, UBF_PROG_F_TRUSTED },
	/* every access checked against its region, instruction budget */
	{ "checked", UBF_ENGINE_INTERP, UBF_PROG_F_CHECKED },
	{ "jit", UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED },
};

#define COL_CNT (1 + sizeof(engines) / sizeof(engines[0]))
_Static_assert(COL_CNT <= MAX_COLS, "raise MAX_COLS");

struct bench_opts {
	bool is_smoke;
	unsigned trials;
	double target_ns;	/* length of one trial */
	const char *only;	/* one program, or NULL for all */
	const char *dir;	/* where NAME.bpf.o are */
};

/*
 * One column of one row: something to run R times per trial.  Native code
 * when @native is set, else @prog; @is_na when the engine does not exist
 * on this host.
 */
struct subject {
	const char *prog_name;
	const char *col_name;
	bench_fn native;
	struct ubf_prog *prog;
	bool is_na;
	void *mem;
	uint64_t len;
	uint64_t expect;
	uint64_t reps;
	double ns[MAX_TRIALS];
	double median;
};

static uint64_t native_empty_impl(void *mem, uint64_t len)
{
	(void)mem;
	(void)len;
	return 0;
}

static double thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* @reps runs of @s, each checked against the expected result; elapsed CPU ns in *@ns. */
static int time_reps(const struct subject *s, uint64_t reps, double *ns)
{
	uint64_t r0 = s->expect, i;
	double t0 = thread_ns();
	int err = 0;

	if (s->native) {
		for (i = 0; i < reps && r0 == s->expect; i++)
			r0 = s->native(s->mem, s->len);
	} else {
		for (i = 0; i < reps && !err && r0 == s->expect; i++)
			err = ubf_prog_run(s->prog, s->mem, s->len, &r0, NULL);
	}
	*ns = thread_ns() - t0;
	if (err) {
		fprintf(stderr, "bench: %s: %s: run %" PRIu64 " failed: %s\n", s->prog_name,
			s->col_name, i, ubf_strerror(err));
		return err;
	}
	if (r0 != s->expect) {
		fprintf(stderr,
			"bench: %s: %s: run %" PRIu64 " returned 0x%016" PRIx64
			", native returned 0x%016" PRIx64 "\n",
			s->prog_name, s->col_name, i, r0, s->expect);
		return -EDOM;
	}
	return 0;
}

/* Choose R so that one trial takes about @target_ns, then run one warm-up trial. */
static int calibrate(struct subject *s, double target_ns)
{
	uint64_t reps = 1;
	double ns;
	int err;

	for (;;) {
		err = time_reps(s, reps, &ns);
		if (err)
			return err;
		if (ns >= target_ns / 8 || reps >= (1ull << 40))
			break;
		reps *= ns < target_ns / 256 ? 16 : 4;
	}
	ns = ns > 1 ? ns : 1;
	reps = (uint64_t)((double)reps * target_ns / ns);
	s->reps = reps ? reps : 1;
	return time_reps(s, s->reps, &ns);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Time every column of a row: calibrate each, then @trials rounds in which
 * each column runs one trial, so slow drift of the machine affects all
 * columns alike.  Fills each column's median ns per run.
 */
static int time_row(struct subject *cols, size_t col_cnt, const struct bench_opts *bo)
{
	double sorted[MAX_TRIALS];
	size_t c;
	int err;

	for (c = 0; c < col_cnt; c++) {
		if (cols[c].is_na)
			continue;
		err = calibrate(&cols[c], bo->target_ns);
		if (err)
			return err;
	}
	for (unsigned t = 0; t < bo->trials; t++) {
		for (c = 0; c < col_cnt; c++) {
			if (cols[c].is_na)
				continue;
			err = time_reps(&cols[c], cols[c].reps, &cols[c].ns[t]);
			if (err)
				return err;
			cols[c].ns[t] /= (double)cols[c].reps;
		}
	}
	for (c = 0; c < col_cnt; c++) {
		unsigned mid = bo->trials / 2;

		memcpy(sorted, cols[c].ns, sizeof(sorted));
		qsort(sorted, bo->trials, sizeof(sorted[0]), cmp_double);
		cols[c].median = bo->trials % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	}
	return 0;
}

static int read_file(const char *path, void **bufp, size_t *szp)
{
	FILE *f = fopen(path, "rb");
	size_t sz = 0, cap = 1 << 16;
	char *buf;
	int err = 0;

	if (!f)
		return -errno;
	buf = malloc(cap);
	for (size_t n; buf && (n = fread(buf + sz, 1, cap - sz, f)) > 0;) {
		sz += n;
		if (sz == cap) {
			char *p = realloc(buf, cap *= 2);

			if (!p)
				free(buf);
			buf = p;
		}
	}
	if (!buf)
		err = -ENOMEM;
	else if (ferror(f))
		err = -EIO;
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	*bufp = buf;
	*szp = sz;
	return 0;
}

/*
 * The program's code: its object's .text, which must start with the entry
 * function (bpf-to-bpf calls are pc-relative inside .text, so the whole
 * section is loaded and entered at instruction 0).
 */
static int load_code(const char *dir, const char *name, struct ubf_code_section **secsp,
		     size_t *cntp, size_t *textp)
{
	char path[4096], entry[64];
	struct ubf_diag diag = { 0 };
	struct ubf_elf_func fn;
	void *buf = NULL;
	size_t sz = 0;
	int err;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, name);
	snprintf(entry, sizeof(entry), "bench_%s", name);
	err = read_file(path, &buf, &sz);
	if (err) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(-err));
		return err;
	}
	err = ubf_elf_code_sections(buf, sz, secsp, cntp, &diag);
	if (!err)
		err = ubf_elf_symbol(buf, sz, entry, &fn, &diag);
	free(buf);
	if (err) {
		fprintf(stderr, "bench: %s: %s: %s\n", path, ubf_strerror(err), diag.msg);
		if (*secsp)
			ubf_elf_code_sections_free(*secsp, *cntp);
		*secsp = NULL;
		return err;
	}
	*textp = fn.sec_idx;
	if (strcmp((*secsp)[fn.sec_idx].name, ".text") || fn.insn_off != 0 || *cntp != 1) {
		fprintf(stderr,
			"bench: %s: %s is at slot %zu of %s among %zu code sections;"
			" expected slot 0 of .text, the only one\n",
			path, entry, fn.insn_off, (*secsp)[fn.sec_idx].name, *cntp);
		ubf_elf_code_sections_free(*secsp, *cntp);
		*secsp = NULL;
		return -EINVAL;
	}
	return 0;
}

/* Load @insns for engine @e; *@progp stays NULL when the engine is not available here. */
static int load_prog(const char *name, const struct bench_engine *e,
		     const struct ubf_raw_insn *insns, size_t insn_cnt, struct ubf_prog **progp)
{
	struct ubf_diag diag = { 0 };
	UBF_OPTS(ubf_prog_opts, opts, .diag = &diag, .flags = e->flags, .engine = e->engine,
		 .name = name);
	int err;

	*progp = NULL;
	err = ubf_prog_load(progp, insns, insn_cnt, &opts);
	if (err == -EOPNOTSUPP && e->engine == UBF_ENGINE_JIT)
		return 0;
	if (err) {
		if (diag.insn_idx != UBF_DIAG_NO_INSN && diag.id)
			fprintf(stderr, "bench: %s: %s: load: %s: insn %u: %s: %s\n", name, e->name,
				ubf_strerror(err), diag.insn_idx, diag.id, diag.msg);
		else
			fprintf(stderr, "bench: %s: %s: load: %s: %s\n", name, e->name,
				ubf_strerror(err), diag.msg);
	}
	return err;
}

/* Run each loaded column once on fresh input and compare with native; counts for smoke. */
static int check_row(struct subject *cols, size_t col_cnt, const void *pristine, unsigned *passp,
		     unsigned *failp, unsigned *skipp)
{
	int first_err = 0;

	for (size_t c = 1; c < col_cnt; c++) {
		double ns;
		int err;

		if (cols[c].is_na) {
			++*skipp;
			continue;
		}
		memcpy(cols[c].mem, pristine, cols[c].len);
		err = time_reps(&cols[c], 1, &ns);
		if (err) {
			++*failp;
			first_err = first_err ? first_err : err;
		} else {
			++*passp;
		}
	}
	return first_err;
}

static void print_header(const struct bench_opts *bo)
{
	printf("userbpf bench: ns per run, median of %u trials of ~%.0f ms thread CPU time;\n",
	       bo->trials, bo->target_ns / 1e6);
	printf("x = ratio to native clang -O2 (compare ratios: the machine is shared).\n\n");
	printf("%-10s %12s", "program", "native");
	for (size_t e = 0; e < COL_CNT - 1; e++)
		printf(" %12s %8s", engines[e].name, "x");
	printf("\n");
}

static void print_row(const char *name, const struct subject *cols, bool with_ratio)
{
	printf("%-10s %12.1f", name, cols[0].median);
	for (size_t c = 1; c < COL_CNT; c++) {
		if (cols[c].is_na)
			printf(" %12s %8s", "n/a", "");
		else if (with_ratio)
			printf(" %12.1f %7.2fx", cols[c].median, cols[c].median / cols[0].median);
		else
			printf(" %12.1f %8s", cols[c].median, "");
	}
	printf("\n");
}

/* Allocate the columns of a row: native first, then one per engine (the caller loads them). */
static void init_cols(struct subject *cols, const char *prog_name, bench_fn native, void *mem,
		      uint64_t len)
{
	memset(cols, 0, sizeof(*cols) * COL_CNT);
	for (size_t c = 0; c < COL_CNT; c++) {
		cols[c].prog_name = prog_name;
		cols[c].col_name = c ? engines[c - 1].name : "native";
		cols[c].mem = mem;
		cols[c].len = len;
	}
	cols[0].native = native;
}

static void free_cols(struct subject *cols)
{
	for (size_t c = 1; c < COL_CNT; c++)
		ubf_prog_free(cols[c].prog);
}

/* Load @insns on every engine into @cols[1..]. */
static int load_cols(struct subject *cols, const char *name, const struct ubf_raw_insn *insns,
		     size_t insn_cnt)
{
	for (size_t c = 1; c < COL_CNT; c++) {
		int err = load_prog(name, &engines[c - 1], insns, insn_cnt, &cols[c].prog);

		if (err)
			return err;
		cols[c].is_na = !cols[c].prog;
	}
	return 0;
}

#define PROG_CNT (sizeof(progs) / sizeof(progs[0]))

/* Load cost of one program: median us per ubf_prog_load() on each engine. */
struct load_cost {
	const char *name;
	size_t insn_cnt;
	double interp_us;
	double jit_us;
};

struct totals {
	unsigned pass, fail, skip;
	double log_ratio[MAX_COLS];
	unsigned ratio_cnt[MAX_COLS];
	struct load_cost load[PROG_CNT];
	size_t load_cnt;
};

/* The native checksum; running twice proves the program leaves its input reusable. */
static int native_expect(const struct bench_prog *p, void *mem, const void *pristine,
			 uint64_t *expect)
{
	uint64_t a, b;

	memcpy(mem, pristine, p->mem_sz);
	a = p->native(mem, p->mem_sz);
	b = p->native(mem, p->mem_sz);
	if (a != b) {
		fprintf(stderr,
			"bench: %s: native returned 0x%016" PRIx64 ", then 0x%016" PRIx64
			" on the same buffer; runs must be repeatable\n",
			p->name, a, b);
		return -EDOM;
	}
	*expect = a;
	return 0;
}

/* Load the program on every engine, build its input and take the native checksum. */
static int prepare_row(const struct bench_prog *p, const struct bench_opts *bo,
		       struct subject *cols, struct ubf_code_section **secsp, size_t *sec_cntp,
		       void *mem, const void *pristine)
{
	size_t text = 0;
	uint64_t expect;
	int err;

	err = load_code(bo->dir, p->name, secsp, sec_cntp, &text);
	if (err)
		return err;
	err = load_cols(cols, p->name, (*secsp)[text].insns, (*secsp)[text].insn_cnt);
	if (err)
		return err;
	err = native_expect(p, mem, pristine, &expect);
	if (err)
		return err;
	for (size_t c = 0; c < COL_CNT; c++)
		cols[c].expect = expect;
	return 0;
}

static double median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Time ubf_prog_load() of @insns, trusted, on the interpreter and on the
 * JIT: LOAD_TRIALS loads each, interleaved, thread CPU time, freeing
 * outside the timed part.  Both loads decode and predecode; the JIT's also
 * compiles, so the difference is the compile cost.  -EOPNOTSUPP: no JIT.
 */
static int time_loads(const char *name, const struct ubf_raw_insn *insns, size_t insn_cnt,
		      struct load_cost *lc)
{
	static const struct bench_engine load_engines[2] = {
		{ "interp", UBF_ENGINE_INTERP, UBF_PROG_F_TRUSTED },
		{ "jit", UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED },
	};
	double ns[2][LOAD_TRIALS];

	for (unsigned t = 0; t < LOAD_TRIALS; t++) {
		for (unsigned e = 0; e < 2; e++) {
			struct ubf_prog *prog;
			double t0 = thread_ns();
			int err = load_prog(name, &load_engines[e], insns, insn_cnt, &prog);

			ns[e][t] = thread_ns() - t0;
			if (err)
				return err;
			if (!prog)
				return -EOPNOTSUPP;
			ubf_prog_free(prog);
		}
	}
	lc->name = name;
	lc->insn_cnt = insn_cnt;
	lc->interp_us = median_of(ns[0], LOAD_TRIALS) / 1e3;
	lc->jit_us = median_of(ns[1], LOAD_TRIALS) / 1e3;
	return 0;
}

/* Check and, unless smoking, time one program on every engine. */
static int run_one(const struct bench_prog *p, const struct bench_opts *bo, struct totals *tot)
{
	struct ubf_code_section *secs = NULL;
	struct subject cols[COL_CNT];
	size_t sec_cnt = 0;
	void *mem = aligned_alloc(64, (p->mem_sz + 63) / 64 * 64), *pristine = malloc(p->mem_sz);
	bool is_counted = false;
	int err = -ENOMEM;

	init_cols(cols, p->name, p->native, mem, p->mem_sz);
	if (mem && pristine) {
		p->input(pristine, p->mem_sz);
		err = prepare_row(p, bo, cols, &secs, &sec_cnt, mem, pristine);
	}
	if (!err) {
		err = check_row(cols, COL_CNT, pristine, &tot->pass, &tot->fail, &tot->skip);
		is_counted = err != 0;
	}
	if (!err && !bo->is_smoke)
		err = time_row(cols, COL_CNT, bo);
	if (!err && !bo->is_smoke) {
		err = time_loads(p->name, secs[0].insns, secs[0].insn_cnt,
				 &tot->load[tot->load_cnt]);
		if (!err)
			tot->load_cnt++;
		err = err == -EOPNOTSUPP ? 0 : err;
	}
	if (err && !is_counted)
		tot->fail++;
	if (bo->is_smoke) {
		printf("%-10s %s 0x%016" PRIx64 "\n", p->name, err ? "FAIL" : "ok  ", cols[0].expect);
	} else if (err) {
		printf("%-10s FAILED (see the message above)\n", p->name);
	} else {
		print_row(p->name, cols, true);
		for (size_t c = 1; c < COL_CNT; c++) {
			if (cols[c].is_na)
				continue;
			tot->log_ratio[c] += log(cols[c].median / cols[0].median);
			tot->ratio_cnt[c]++;
		}
	}
	free_cols(cols);
	ubf_elf_code_sections_free(secs, sec_cnt);
	free(mem);
	free(pristine);
	return err;
}

static void print_geomean(const struct totals *tot)
{
	printf("%-10s %12s", "geomean", "");
	for (size_t c = 1; c < COL_CNT; c++) {
		if (tot->ratio_cnt[c])
			printf(" %12s %7.2fx", "", exp(tot->log_ratio[c] / tot->ratio_cnt[c]));
		else
			printf(" %12s %8s", "", "n/a");
	}
	printf("\n");
}

/*
 * After the table: what loading costs per program, and the JIT's compile
 * time per 1,000 instructions, which is load(jit) - load(interp): both
 * loads decode and predecode, only the JIT's compiles.
 */
static void print_load_costs(const struct totals *tot)
{
	double only[PROG_CNT], whole[PROG_CNT];
	size_t i;

	if (!tot->load_cnt) {
		printf("\njit compile: n/a (no JIT on this host)\n");
		return;
	}
	printf("\nload: us per ubf_prog_load(), median of %d loads each, thread CPU time\n",
	       LOAD_TRIALS);
	printf("%-10s %7s %10s %10s %10s %14s\n", "program", "insns", "interp", "jit",
	       "jit-interp", "per 1000 insns");
	for (i = 0; i < tot->load_cnt; i++) {
		const struct load_cost *lc = &tot->load[i];
		double k = (double)lc->insn_cnt / 1000;

		only[i] = (lc->jit_us - lc->interp_us) / k;
		whole[i] = lc->jit_us / k;
		printf("%-10s %7zu %10.1f %10.1f %10.1f %14.1f\n", lc->name, lc->insn_cnt,
		       lc->interp_us, lc->jit_us, lc->jit_us - lc->interp_us, only[i]);
	}
	printf("jit compile: %.1f us per 1000 insns (median over programs)\n",
	       median_of(only, tot->load_cnt));
	printf("jit load:    %.1f us per 1000 insns (median over programs; decode and"
	       " predecode included)\n", median_of(whole, tot->load_cnt));
}

/*
 * The same empty program called through ubf_prog_native_fn(), the way an
 * embedder calls a small trusted program, next to native again (one run,
 * so the ratio is fair); "n/a" where there is no JIT.
 */
static int run_empty_native_fn(const struct bench_opts *bo, const struct subject *native,
			       const struct ubf_prog *jit)
{
	struct subject cols[2] = { *native, *native };
	int err;

	cols[1].native = ubf_prog_native_fn(jit);
	cols[1].col_name = "jit native_fn";
	if (!cols[1].native) {
		printf("%-10s %12s\n", "native_fn", "n/a");
		return 0;
	}
	err = time_row(cols, 2, bo);
	if (!err)
		printf("%-10s %12.1f %12.1f  (ubf_prog_native_fn(), ratio %.2fx)\n", "native_fn",
		       cols[0].median, cols[1].median, cols[1].median / cols[0].median);
	return err;
}

/* The hook point run_hook_fire() times: defined once, nothing attached. */
static struct ubf_tp *bench_tp;

static uint64_t fire_unattached(void *mem, uint64_t len)
{
	uint64_t args[2] = { (uint64_t)(uintptr_t)mem, len };

	return (uint64_t)ubf_tp_fire(bench_tp, args, 2);
}

/*
 * ns per ubf_tp_fire() of an application hook point nothing is attached to,
 * next to the native empty call (one run, so the ratio is fair).
 */
static int run_hook_fire(const struct bench_opts *bo, const struct subject *native)
{
	struct subject cols[2] = { *native, *native };
	int err = ubf_tp_define("bench:unattached", &bench_tp);

	if (err)
		return err;
	cols[1].native = fire_unattached;
	cols[1].col_name = "hook fire";
	err = time_row(cols, 2, bo);
	if (!err)
		printf("%-10s %12.1f %12.1f  (ubf_tp_fire(), nothing attached, ratio %.2fx)\n",
		       "hook_fire", cols[0].median, cols[1].median, cols[1].median / cols[0].median);
	return err;
}

/* ns per ubf_prog_run() of `mov r0, 0; exit` per engine; native: an indirect call. */
static int run_empty(const struct bench_opts *bo)
{
	static const struct ubf_raw_insn insns[] = { UBF_MOV64_IMM(0, 0), UBF_EXIT() };
	bench_fn volatile native = native_empty_impl;
	struct subject cols[COL_CNT];
	int err;

	init_cols(cols, "empty", native, NULL, 0);
	err = load_cols(cols, "empty", insns, sizeof(insns) / sizeof(insns[0]));
	if (!err)
		err = time_row(cols, COL_CNT, bo);
	if (!err) {
		printf("\ncall overhead: ns per run of the empty program (mov r0, 0; exit)\n");
		print_row("empty", cols, false);
		err = run_empty_native_fn(bo, &cols[0], cols[COL_CNT - 1].prog);
		if (!err)
			err = run_hook_fire(bo, &cols[0]);
	}
	free_cols(cols);
	return err;
}

static int parse_args(int argc, char **argv, struct bench_opts *bo)
{
	*bo = (struct bench_opts){ .trials = 9, .target_ns = 30e6 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--smoke")) {
			bo->is_smoke = true;
		} else if (!strcmp(a, "--trials") && i + 1 < argc) {
			bo->trials = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(a, "--ms") && i + 1 < argc) {
			bo->target_ns = strtod(argv[++i], NULL) * 1e6;
		} else if (!strcmp(a, "--only") && i + 1 < argc) {
			bo->only = argv[++i];
		} else if (a[0] != '-' && !bo->dir) {
			bo->dir = a;
		} else {
			fprintf(stderr, "bench: unknown or incomplete argument '%s'\n", a);
			return -EINVAL;
		}
	}
	if (!bo->dir || bo->trials < 1 || bo->trials > MAX_TRIALS || !(bo->target_ns >= 1e5)) {
		fprintf(stderr,
			"usage: %s [--smoke] [--trials 1..%d] [--ms TRIAL_MS>=0.1] [--only NAME]"
			" OBJDIR\n"
			"  OBJDIR holds NAME.bpf.o for every program in bench/progs/progs.def\n",
			argv[0], MAX_TRIALS);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct totals tot = { 0 };
	struct bench_opts bo;
	unsigned ran = 0;

	if (parse_args(argc, argv, &bo))
		return 2;
	if (!bo.is_smoke)
		print_header(&bo);
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		if (bo.only && strcmp(bo.only, progs[i].name))
			continue;
		ran++;
		run_one(&progs[i], &bo, &tot);
	}
	if (!ran) {
		fprintf(stderr, "bench: no program named '%s'\n", bo.only);
		return 2;
	}
	if (bo.is_smoke) {
		printf("bench-smoke: %u passed, %u failed, %u skipped\n", tot.pass, tot.fail,
		       tot.skip);
		return tot.fail ? 1 : 0;
	}
	print_geomean(&tot);
	print_load_costs(&tot);
	if (run_empty(&bo))
		tot.fail++;
	if (tot.fail)
		fprintf(stderr, "bench: FAILED: %u load(s) or run(s) failed or differed"
			" from native\n", tot.fail);
	return tot.fail ? 1 : 0;
}
