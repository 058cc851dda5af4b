// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_run.c - `userbpf run`: load a program from any input kind, run it
 * once with r1 = a private copy of the memory and r2 = its length, and
 * print r0; or, with --bench, time it in-process on the thread's CPU clock
 * and print the median cost per run.  Loading and running are the
 * library's; this file picks the program and the memory and reports.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_REPEAT 1000000u
#define DEFAULT_TRIALS 5u

struct run_args {
	const char *file;
	const char *mem_path;
	const char *engine;
	const char *repeat;
	const char *trials;
	const char *section;
	bool is_bench;
	bool is_unchecked;
};

/* What a run reports errors against: the file and, for ELF code, the section. */
struct run_target {
	const char *obj;
	const char *section;
	const struct ubf_code_section *sec;
};

static int parse_count(const char *opt, const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || *out == 0 || s[0] == '-') {
		ubf_cli_err("run", NULL, "--%s needs a positive integer, not '%s'", opt, s);
		return UBF_EXIT_USAGE;
	}
	return UBF_EXIT_OK;
}

static int pick_section(const struct ubf_cli_code *code, const struct run_args *a,
			struct run_target *t)
{
	size_t i;

	t->obj = ubf_cli_display_name(a->file);
	if (code->kind != UBF_CLI_ELF) {
		if (a->section) {
			ubf_cli_err("run", t->obj, "--section applies to ELF objects; this is %s",
				    ubf_cli_kind_name(code->kind));
			return UBF_EXIT_USAGE;
		}
		t->sec = &code->secs[0];
		return UBF_EXIT_OK;
	}
	for (i = 0; i < code->sec_cnt; i++) {
		const struct ubf_code_section *s = &code->secs[i];

		if (a->section ? !strcmp(s->name, a->section) : s->insn_cnt > 0) {
			t->sec = s;
			t->section = s->name;
			return UBF_EXIT_OK;
		}
	}
	if (a->section)
		ubf_cli_err("run", t->obj, "no executable section named '%s'", a->section);
	else
		ubf_cli_err("run", t->obj, "no executable section with instructions");
	return UBF_EXIT_USAGE;
}

static int load_prog(const struct run_args *a, const struct run_target *t,
		     struct ubf_prog **progp)
{
	UBF_OPTS(ubf_prog_opts, opts, .flags = UBF_PROG_F_CHECKED);
	struct ubf_diag diag;
	int err;

	if (!a->engine) {
		opts.engine = UBF_ENGINE_DEFAULT;
	} else if (!strcmp(a->engine, "interp")) {
		opts.engine = UBF_ENGINE_INTERP;
	} else if (!strcmp(a->engine, "jit")) {
		opts.engine = UBF_ENGINE_JIT;
	} else {
		ubf_cli_err("run", NULL, "--engine must be interp or jit, not '%s'", a->engine);
		return UBF_EXIT_USAGE;
	}
	if (a->is_unchecked)
		opts.flags = UBF_PROG_F_TRUSTED;
	opts.name = t->section ? t->section : t->obj;
	opts.diag = &diag;
	ubf_cli_diag_init(&diag);
	err = ubf_prog_load(progp, t->sec->insns, t->sec->insn_cnt, &opts);
	if (err) {
		ubf_cli_err_diag("run", t->obj, t->section, &diag, err);
		return UBF_EXIT_FAIL;
	}
	return UBF_EXIT_OK;
}

static int run_n(const struct ubf_prog *prog, const struct run_target *t, uint8_t *mem,
		 size_t mem_sz, uint64_t n, uint64_t *r0)
{
	struct ubf_diag diag;
	UBF_OPTS(ubf_run_opts, opts, .diag = &diag);
	uint64_t i;
	int err;

	ubf_cli_diag_init(&diag);
	for (i = 0; i < n; i++) {
		err = ubf_prog_run(prog, mem_sz ? mem : NULL, mem_sz, r0, &opts);
		if (err) {
			ubf_cli_err_diag("run", t->obj, t->section, &diag, err);
			return UBF_EXIT_FAIL;
		}
	}
	return UBF_EXIT_OK;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * One warm-up trial, then @trials timed trials of @repeat runs each.  The
 * memory is copied fresh before each trial, outside the timed loop, so the
 * runs within a trial see what earlier runs wrote.
 */
static int bench(const struct ubf_prog *prog, const struct run_target *t, const uint8_t *mem,
		 size_t mem_sz, uint64_t repeat, uint64_t trials)
{
	double *ns, median;
	uint8_t *work;
	uint64_t i, start, r0 = 0;
	int ret = UBF_EXIT_OK;

	ns = calloc(trials, sizeof(*ns));
	work = malloc(mem_sz ? mem_sz : 1);
	if (!ns || !work) {
		ubf_cli_err("run", NULL, "%s", strerror(ENOMEM));
		ret = UBF_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i <= trials && !ret; i++) {
		if (mem_sz)
			memcpy(work, mem, mem_sz);
		start = thread_cpu_ns();
		ret = run_n(prog, t, work, mem_sz, repeat, &r0);
		if (i)
			ns[i - 1] = (double)(thread_cpu_ns() - start) / (double)repeat;
	}
	if (ret)
		goto out;
	qsort(ns, trials, sizeof(*ns), cmp_double);
	median = trials % 2 ? ns[trials / 2] : (ns[trials / 2 - 1] + ns[trials / 2]) / 2;
	printf("ns_per_run=%.2f result=%" PRIu64 "\n", median, r0);
out:
	free(work);
	free(ns);
	return ret;
}

static int run_program(const struct run_args *a, const struct ubf_cli_code *code, uint8_t *mem,
		       size_t mem_sz)
{
	uint64_t repeat = DEFAULT_REPEAT, trials = DEFAULT_TRIALS, r0 = 0;
	struct ubf_prog *prog = NULL;
	struct run_target t = { NULL, NULL, NULL };
	int ret;

	if ((a->repeat || a->trials) && !a->is_bench) {
		ubf_cli_err("run", NULL, "--repeat and --trials need --bench");
		return UBF_EXIT_USAGE;
	}
	ret = a->repeat ? parse_count("repeat", a->repeat, &repeat) : UBF_EXIT_OK;
	if (!ret && a->trials)
		ret = parse_count("trials", a->trials, &trials);
	if (!ret)
		ret = pick_section(code, a, &t);
	if (!ret)
		ret = load_prog(a, &t, &prog);
	if (ret)
		return ret;
	if (a->is_bench) {
		ret = bench(prog, &t, mem, mem_sz, repeat, trials);
	} else {
		ret = run_n(prog, &t, mem, mem_sz, 1, &r0);
		if (!ret)
			printf("r0 = %" PRIu64 " (0x%" PRIx64 ")\n", r0, r0);
	}
	ubf_prog_free(prog);
	return ret;
}

static int cmd_run(int argc, char **argv)
{
	struct run_args a = { .file = NULL };
	const struct ubf_cli_opt opts[] = {
		{ "mem", 0, &a.mem_path, NULL },	{ "engine", 0, &a.engine, NULL },
		{ "repeat", 0, &a.repeat, NULL },	{ "trials", 0, &a.trials, NULL },
		{ "section", 0, &a.section, NULL },	{ "bench", 0, NULL, &a.is_bench },
		{ "unchecked", 0, NULL, &a.is_unchecked },
	};
	struct ubf_cli_code code;
	uint8_t *mem = NULL;
	size_t pos_cnt, mem_sz = 0;
	int ret;

	ret = ubf_cli_parse(&ubf_cli_cmd_run, argc, argv, opts, sizeof(opts) / sizeof(opts[0]),
			    &a.file, 1, &pos_cnt);
	if (ret >= 0)
		return ret;
	if (pos_cnt != 1) {
		ubf_cli_err("run", NULL, "missing FILE (see 'userbpf help run')");
		return UBF_EXIT_USAGE;
	}
	if (a.mem_path && ubf_cli_read("run", a.mem_path, &mem, &mem_sz))
		return UBF_EXIT_USAGE;
	ret = ubf_cli_code_load("run", a.file, &code);
	if (!ret)
		ret = a.mem_path ? run_program(&a, &code, mem, mem_sz)
				 : run_program(&a, &code, code.mem, code.mem_sz);
	ubf_cli_code_free(&code);
	free(mem);
	return ret;
}

const struct ubf_cli_cmd ubf_cli_cmd_run = {
	.name = "run",
	.fn = cmd_run,
	.usage = "FILE [--mem FILE] [--engine interp|jit] [--section NAME] [--unchecked]\n"
		 "                   [--bench [--repeat N] [--trials T]]",
	.summary = "run a program and print r0",
	.help =
		"FILE is raw bytecode, assembly, a conformance .data file or an ELF object\n"
		"(see 'userbpf help disasm' for how it is recognised; \"-\" reads stdin).  The\n"
		"program starts with r1 = a pointer to a private, writable copy of the memory\n"
		"and r2 = its length in bytes (r1 = 0, r2 = 0 without memory).\n"
		"\n"
		"options:\n"
		"  --mem FILE       the memory: the bytes of FILE as they are (default: the\n"
		"                   \"-- mem\" section of a .data file, else none)\n"
		"  --engine E       interp or jit (default: the library's choice, the JIT where\n"
		"                   this host has one); asking for an engine this host lacks\n"
		"                   is an error, printed as the library reports it\n"
		"  --section NAME   ELF only: run this executable section (default: the first\n"
		"                   executable section that has instructions)\n"
		"  --unchecked      load with UBF_PROG_F_TRUSTED: skip ALL run-time checks\n"
		"                   (memory bounds, instruction budget); only for programs you\n"
		"                   trust, a bad one can crash userbpf\n"
		"  --bench          time the program instead of printing r0 (see below)\n"
		"  --repeat N       --bench: runs per trial (default 1000000)\n"
		"  --trials T       --bench: timed trials (default 5)\n"
		"\n"
		"Output: one line \"r0 = <unsigned decimal> (0x<hex>)\", e.g. \"r0 = 3 (0x3)\".\n"
		"Without --unchecked the program runs unverified in the checked mode: every\n"
		"memory access is bounds-checked and an instruction budget stops runaway loops;\n"
		"a fault prints the instruction index and the address.\n"
		"\n"
		"--bench measures in this process: loading is not timed, one warm-up trial\n"
		"runs first, each trial runs the program N times on the thread's CPU clock\n"
		"(CLOCK_THREAD_CPUTIME_ID), and the memory is copied fresh once per trial,\n"
		"outside the timed loop (runs within a trial see earlier runs' writes).  It\n"
		"prints exactly one line \"ns_per_run=<median over the trials> result=<r0 in\n"
		"decimal>\".\n"
		"\n"
		"Exit status: 0 the program ran, 1 it was rejected or faulted (the message\n"
		"names the instruction: \"FILE: [SECTION: ]insn N: ID: ...\"), 2 usage error or\n"
		"an input file that cannot be read.\n",
};
