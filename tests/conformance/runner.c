// SPDX-License-Identifier: BSD-2-Clause
/*
 * runner.c - the conformance runner: every .data file named on the command
 * line and every row of a vectors.tsv (pre-assembled programs) is loaded
 * and run on each engine of a list (the JIT joins automatically once
 * ubf_prog_load() accepts UBF_ENGINE_JIT), and r0 is compared with the
 * expected result, or a failure is required when an error is expected.  It
 * also reports the instruction-table rows no program exercises; any such
 * row that is not exempt (listed below with the reason) fails the run.
 * Uses only the public API.  The last line is
 * "conformance: N passed, N failed, N skipped".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/userbpf.h>

/* Rows that no conformance program can exercise without a verifier or a kernel. */
static const struct {
	const char *name;
	const char *why;
} exempt_rows[] = {
	{ "LDDW_MAP_FD", "names a map fd, which .data files cannot create: tests/unit/test_sys_prog.c" },
	{ "LDDW_MAP_VALUE", "names a map fd, which .data files cannot create: tests/unit/test_sys_prog.c" },
	{ "LDDW_BTF_ID", "names a kernel variable by BTF id; user space has no kernel BTF" },
	{ "LDDW_FUNC", "a callback for helpers on maps: tests/unit/test_helpers_maps_cb.c" },
	{ "LDDW_MAP_IDX", "needs the fd_array of a bpf(2) load: tests/unit/test_sys_prog.c" },
	{ "LDDW_MAP_IDX_VALUE", "needs the fd_array of a bpf(2) load: tests/unit/test_sys_prog.c" },
	{ "CALL_KFUNC", "kernel functions (BTF ids) do not exist in user space" },
};

struct engine {
	const char *name;
	enum ubf_engine engine;
	bool is_available;
};

/* One test: a program, its memory, and what it must produce. */
struct test_case {
	const char *name;
	const struct ubf_raw_insn *insns;
	size_t insn_cnt;
	const uint8_t *mem;
	size_t mem_sz;
	bool expect_error;
	uint64_t result;
};

/* A table row reduced to what identifies an encoding. */
struct row_key {
	struct ubf_isa_row row;
	char field;		/* 0: none, 's' src, 'o' off, 'i' imm */
	long val;
	bool is_covered;
};

struct runner {
	struct engine engines[4];
	size_t engine_cnt;
	struct row_key *rows;
	size_t row_cnt;
	bool is_verbose;
	unsigned passed, failed, skipped;
};

static void report(struct runner *r, const char *name, const struct engine *e, bool ok,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct runner *r, const char *name, const struct engine *e, bool ok,
		   const char *fmt, ...)
{
	va_list ap;

	if (ok)
		r->passed++;
	else
		r->failed++;
	if (ok && !r->is_verbose)
		return;
	printf("%s %s [%s]", ok ? "ok  " : "FAIL", name, e->name);
	if (fmt) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
}

static void diag_text(const struct ubf_diag *diag, int err, char *buf, size_t sz)
{
	if (diag->id)
		snprintf(buf, sz, "%s: %s", diag->id, diag->msg);
	else
		snprintf(buf, sz, "%s", ubf_strerror(err));
}

static void run_case_on(struct runner *r, const struct test_case *tc, const struct engine *e)
{
	struct ubf_diag diag = { .insn_idx = UBF_DIAG_NO_INSN };
	UBF_OPTS(ubf_prog_opts, opts, .diag = &diag, .flags = UBF_PROG_F_CHECKED,
		 .engine = (uint32_t)e->engine, .name = tc->name);
	UBF_OPTS(ubf_run_opts, run_opts, .diag = &diag);
	struct ubf_prog *prog = NULL;
	uint8_t *mem = NULL;
	uint64_t r0 = 0;
	char text[400];
	int err;

	if (!e->is_available) {
		r->skipped++;
		return;
	}
	if (tc->mem_sz) {
		mem = malloc(tc->mem_sz);
		if (!mem) {
			report(r, tc->name, e, false, "out of memory");
			return;
		}
		memcpy(mem, tc->mem, tc->mem_sz);
	}
	err = ubf_prog_load(&prog, tc->insns, tc->insn_cnt, &opts);
	if (!err)
		err = ubf_prog_run(prog, mem, tc->mem_sz, &r0, &run_opts);
	ubf_prog_free(prog);
	free(mem);
	diag_text(&diag, err, text, sizeof(text));
	if (tc->expect_error)
		report(r, tc->name, e, err != 0,
		       err ? NULL : "expected an error, got r0 = 0x%" PRIx64, r0);
	else if (err)
		report(r, tc->name, e, false, "%s", text);
	else
		report(r, tc->name, e, r0 == tc->result,
		       r0 == tc->result ? NULL : "r0 = 0x%" PRIx64 ", expected 0x%" PRIx64, r0,
		       tc->result);
}

/* The row an instruction encodes: same opcode and, where rows share it, the key field. */
static struct row_key *match_row(struct runner *r, const struct ubf_raw_insn *in)
{
	size_t i;

	for (i = 0; i < r->row_cnt; i++) {
		struct row_key *k = &r->rows[i];
		long v = 0;

		if (k->row.code != in->code)
			continue;
		if (k->field == 's')
			v = (long)ubf_raw_src(in);
		else if (k->field == 'o')
			v = in->off;
		else if (k->field == 'i')
			v = in->imm;
		if (!k->field || v == k->val)
			return k;
	}
	return NULL;
}

static void mark_coverage(struct runner *r, const struct ubf_raw_insn *insns, size_t cnt)
{
	size_t i = 0;

	while (i < cnt) {
		struct row_key *k = match_row(r, &insns[i]);

		if (k)
			k->is_covered = true;
		i += k && !strcmp(k->row.kind, "lddw") ? 2 : 1;
	}
}

static void run_case(struct runner *r, const struct test_case *tc)
{
	size_t i;

	mark_coverage(r, tc->insns, tc->insn_cnt);
	for (i = 0; i < r->engine_cnt; i++)
		run_case_on(r, tc, &r->engines[i]);
}

/* A file that did not parse: a pass only when it expects an error. */
static void parse_failed(struct runner *r, const char *name, bool expect_error, const char *why)
{
	size_t i;

	for (i = 0; i < r->engine_cnt; i++)
		report(r, name, &r->engines[i], expect_error, expect_error ? NULL : "%s", why);
}

static char *read_file(const char *path, size_t *szp)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, len = 0, n;
	char *buf = NULL, *grown;

	if (!f)
		return NULL;
	for (;;) {
		grown = realloc(buf, cap + 1);
		if (!grown)
			goto err;
		buf = grown;
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap)
			break;
		cap *= 2;
	}
	if (ferror(f))
		goto err;
	fclose(f);
	buf[len] = 0;
	*szp = len;
	return buf;
err:
	free(buf);
	fclose(f);
	return NULL;
}

static void run_data_file(struct runner *r, const char *path)
{
	struct ubf_diag diag = { .insn_idx = UBF_DIAG_NO_INSN };
	UBF_OPTS(ubf_asm_opts, opts, .file_name = path, .diag = &diag);
	struct ubf_data_file df;
	struct test_case tc;
	char *text, why[400];
	size_t sz;
	int err;

	text = read_file(path, &sz);
	if (!text) {
		parse_failed(r, path, false, "cannot read the file");
		return;
	}
	memset(&df, 0, sizeof(df));
	err = ubf_data_parse(text, sz, &df, &opts);
	if (err) {
		diag_text(&diag, err, why, sizeof(why));
		parse_failed(r, path, strstr(text, "\n-- error") != NULL, why);
	} else if (!df.has_result && !df.error) {
		parse_failed(r, path, false, "no \"-- result\" or \"-- error\" section");
	} else {
		tc = (struct test_case){ path, df.insns, df.insn_cnt, df.mem, df.mem_sz,
					 df.error != NULL, df.result };
		run_case(r, &tc);
	}
	ubf_data_free(&df);
	free(text);
}

static int hex_bytes(const char *hex, uint8_t **out, size_t *szp)
{
	size_t len = strlen(hex), i;
	unsigned byte;

	*out = NULL;
	*szp = 0;
	if (!strcmp(hex, "-"))
		return 0;
	if (len % 2)
		return -EINVAL;
	*out = malloc(len / 2 + 1);
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < len / 2; i++) {
		if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
			return -EINVAL;
		(*out)[i] = (uint8_t)byte;
	}
	*szp = len / 2;
	return 0;
}

/* One vectors.tsv row: name min_cpu groups mem_hex program_hex expected_r0 expected_error. */
static void run_vector(struct runner *r, char *line, unsigned line_no)
{
	char *f[7], *save = NULL, name[300];
	uint8_t *mem = NULL, *prog = NULL;
	struct ubf_raw_insn *insns = NULL;
	size_t mem_sz, prog_sz, n = 0, i;
	struct test_case tc;
	char *tok;

	for (tok = strtok_r(line, "\t", &save); tok && n < 7; tok = strtok_r(NULL, "\t", &save))
		f[n++] = tok;
	snprintf(name, sizeof(name), "vectors.tsv:%u:%s", line_no, n ? f[0] : "");
	if (n != 7 || hex_bytes(f[3], &mem, &mem_sz) || hex_bytes(f[4], &prog, &prog_sz) ||
	    prog_sz % 8 || !prog_sz) {
		parse_failed(r, name, false, "malformed row");
		goto out;
	}
	insns = calloc(prog_sz / 8, sizeof(*insns));
	if (!insns) {
		parse_failed(r, name, false, "out of memory");
		goto out;
	}
	for (i = 0; i < prog_sz / 8; i++) {
		const uint8_t *p = prog + 8 * i;

		insns[i].code = p[0];
		insns[i].regs = p[1];
		insns[i].off = (int16_t)(uint16_t)(p[2] | p[3] << 8);
		insns[i].imm = (int32_t)((uint32_t)p[4] | (uint32_t)p[5] << 8 |
					 (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24);
	}
	tc = (struct test_case){ name, insns, prog_sz / 8, mem, mem_sz, strcmp(f[6], "-") != 0,
				 strtoull(f[5], NULL, 16) };
	run_case(r, &tc);
out:
	free(insns);
	free(prog);
	free(mem);
}

static int run_vectors(struct runner *r, const char *path)
{
	char *text, *line, *save = NULL;
	unsigned line_no = 0;
	size_t sz;

	text = read_file(path, &sz);
	if (!text) {
		printf("FAIL %s: cannot read\n", path);
		r->failed++;
		return -ENOENT;
	}
	/* strtok_r skips empty lines, so count them by hand to keep line numbers right. */
	for (line = text; line && *line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = 0;
		line_no++;
		if (line[0] == '#' || !strncmp(line, "name\t", 5) || !line[0])
			continue;
		run_vector(r, line, line_no);
	}
	free(text);
	return 0;
}

static int load_rows(struct runner *r)
{
	size_t i;

	r->row_cnt = ubf_isa_row_cnt();
	r->rows = calloc(r->row_cnt, sizeof(*r->rows));
	if (!r->rows)
		return -ENOMEM;
	for (i = 0; i < r->row_cnt; i++) {
		struct row_key *k = &r->rows[i];
		const char *eq;

		ubf_isa_row(i, &k->row);
		eq = strchr(k->row.key, '=');
		if (!eq)
			continue;
		k->field = k->row.key[0];
		k->val = strtol(eq + 1, NULL, 0);
	}
	return 0;
}

static const char *exemption(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(exempt_rows) / sizeof(exempt_rows[0]); i++)
		if (!strcmp(exempt_rows[i].name, name))
			return exempt_rows[i].why;
	return NULL;
}

static bool has_row(const struct runner *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->row_cnt; i++)
		if (!strcmp(r->rows[i].row.name, name))
			return true;
	return false;
}

/* One check: every row is covered or exempt, and every exemption names a row. */
static void check_coverage(struct runner *r)
{
	size_t i, covered = 0, exempt = 0, uncovered = 0, stale = 0;

	for (i = 0; i < r->row_cnt; i++) {
		const struct row_key *k = &r->rows[i];
		const char *why = exemption(k->row.name);

		if (why) {
			printf("exempt row %s (0x%02x %s): %s\n", k->row.name, k->row.code,
			       k->row.key, why);
			exempt++;
		} else if (k->is_covered) {
			covered++;
		} else {
			printf("uncovered row %s (0x%02x%s%s, %s): no program uses it\n",
			       k->row.name, k->row.code, k->row.key[0] ? " " : "", k->row.key,
			       k->row.mnemonic);
			uncovered++;
		}
	}
	for (i = 0; i < sizeof(exempt_rows) / sizeof(exempt_rows[0]); i++) {
		if (!has_row(r, exempt_rows[i].name)) {
			printf("exemption for %s names no row of the table\n", exempt_rows[i].name);
			stale++;
		}
	}
	printf("row coverage: %zu of %zu rows covered, %zu exempt, %zu uncovered\n", covered,
	       r->row_cnt - exempt, exempt, uncovered);
	if (uncovered || stale)
		r->failed++;
	else
		r->passed++;
}

static void probe_engines(struct runner *r)
{
	static const struct ubf_raw_insn ret0[] = { UBF_MOV64_IMM(0, 0), UBF_EXIT() };
	size_t i;

	for (i = 0; i < r->engine_cnt; i++) {
		struct engine *e = &r->engines[i];
		UBF_OPTS(ubf_prog_opts, opts, .flags = UBF_PROG_F_CHECKED,
			 .engine = (uint32_t)e->engine);
		struct ubf_prog *prog = NULL;
		int err;

		err = ubf_prog_load(&prog, ret0, 2, &opts);
		ubf_prog_free(prog);
		e->is_available = err != -EOPNOTSUPP;
		if (!e->is_available)
			printf("engine %s: not available on this host (%s); tests skipped\n",
			       e->name, ubf_strerror(err));
	}
}

static int parse_engines(struct runner *r, char *list)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct engine *e;

		if (r->engine_cnt == sizeof(r->engines) / sizeof(r->engines[0]))
			return -E2BIG;
		e = &r->engines[r->engine_cnt++];
		e->name = tok;
		if (!strcmp(tok, "interp"))
			e->engine = UBF_ENGINE_INTERP;
		else if (!strcmp(tok, "jit"))
			e->engine = UBF_ENGINE_JIT;
		else
			return -EINVAL;
	}
	return r->engine_cnt ? 0 : -EINVAL;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: runner [--engines LIST] [--vectors TSV] [--no-coverage] [--skipped N]\n"
		"              [-v] FILE.data...\n"
		"  --engines LIST  comma-separated: interp, jit (default interp,jit)\n"
		"  --vectors TSV   also run every row of a vectors.tsv\n"
		"  --no-coverage   do not check that every instruction-table row is exercised\n"
		"  --skipped N     add N to the skipped count (suites the caller could not find)\n"
		"  -v              print passing tests too\n");
}

int main(int argc, char **argv)
{
	char default_engines[] = "interp,jit", *engines = default_engines;
	const char *vectors = NULL;
	struct runner r = { .engine_cnt = 0 };
	bool check_rows = true;
	int i, first_file = argc;

	/* Options first; the first other argument starts the list of .data files. */
	for (i = 1; i < argc && first_file == argc; i++) {
		if (!strcmp(argv[i], "--engines") && i + 1 < argc) {
			engines = argv[++i];
		} else if (!strcmp(argv[i], "--vectors") && i + 1 < argc) {
			vectors = argv[++i];
		} else if (!strcmp(argv[i], "--skipped") && i + 1 < argc) {
			r.skipped += (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--no-coverage")) {
			check_rows = false;
		} else if (!strcmp(argv[i], "-v")) {
			r.is_verbose = true;
		} else if (argv[i][0] == '-') {
			usage();
			return 2;
		} else {
			first_file = i;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_engines(&r, engines) || load_rows(&r)) {
		usage();
		return 2;
	}
	probe_engines(&r);
	for (i = first_file; i < argc; i++)
		run_data_file(&r, argv[i]);
	if (vectors)
		run_vectors(&r, vectors);
	if (check_rows)
		check_coverage(&r);
	free(r.rows);
	printf("conformance: %u passed, %u failed, %u skipped\n", r.passed, r.failed, r.skipped);
	return r.failed ? 1 : 0;
}
