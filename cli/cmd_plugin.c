// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_plugin.c - `userbpf plugin` and userbpf-conformance-plugin: the
 * bpf_conformance runner's plugin protocol.  Memory comes as one hex
 * argument ("aa  bb  "), the program as hex on stdin (or, with --elf, a
 * hex-encoded ELF object whose `main` function runs); r0 goes to stdout in
 * hex.  Failures print one message on stdout and exit 1, as the runner
 * expects.  Programs run unverified in the checked mode, as `userbpf run`.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct plugin_args {
	const char *mem_hex;
	bool is_elf;
	enum ubf_engine engine;
};

static int fail(const char *fmt, ...) UBF_CLI_PRINTF(1, 2);

static int fail(const char *fmt, ...)
{
	va_list ap;

	printf("userbpf: plugin: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return UBF_EXIT_FAIL;
}

/* Return: -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct plugin_args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		/* The runner splits its option string at every space: "" can occur. */
		if (!arg[0])
			continue;
		if (!strcmp(arg, "--interp")) {
			a->engine = UBF_ENGINE_INTERP;
		} else if (!strcmp(arg, "--jit")) {
			a->engine = UBF_ENGINE_JIT;
		} else if (!strcmp(arg, "--elf")) {
			a->is_elf = true;
		} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			ubf_cli_print_help(&ubf_cli_cmd_plugin);
			return UBF_EXIT_OK;
		} else if (!strncmp(arg, "--", 2)) {
			return fail("unknown option '%s'", arg);
		} else if (!a->mem_hex) {
			a->mem_hex = arg;
		} else {
			return fail("unexpected argument '%s' (memory was already given)", arg);
		}
	}
	return -1;
}

/* The `main` function of a hex-decoded ELF object, copied out of its section. */
static int elf_main(const uint8_t *obj, size_t obj_sz, struct ubf_raw_insn **insnsp,
		    size_t *cntp)
{
	struct ubf_code_section *secs = NULL;
	struct ubf_elf_func f;
	struct ubf_diag diag;
	size_t sec_cnt = 0;
	char text[512];
	int err;

	ubf_cli_diag_init(&diag);
	err = ubf_elf_code_sections(obj, obj_sz, &secs, &sec_cnt, &diag);
	if (!err)
		err = ubf_elf_symbol(obj, obj_sz, "main", &f, &diag);
	if (err) {
		ubf_cli_diag_format(text, sizeof(text), NULL, NULL, &diag, err);
		ubf_elf_code_sections_free(secs, sec_cnt);
		return fail("ELF object: %s", text);
	}
	*cntp = secs[f.sec_idx].insn_cnt - f.insn_off;
	*insnsp = calloc(*cntp, sizeof(**insnsp));
	if (*insnsp)
		memcpy(*insnsp, secs[f.sec_idx].insns + f.insn_off, *cntp * sizeof(**insnsp));
	ubf_elf_code_sections_free(secs, sec_cnt);
	return *insnsp ? UBF_EXIT_OK : fail("%s", strerror(ENOMEM));
}

static int read_program(bool is_elf, struct ubf_raw_insn **insnsp, size_t *cntp)
{
	uint8_t *text = NULL, *bytes = NULL;
	size_t text_sz, sz, bad_at = 0;
	int err, ret;

	err = ubf_cli_read_stream(stdin, &text, &text_sz);
	if (err)
		return fail("cannot read the program from stdin: %s", strerror(-err));
	err = ubf_cli_hex_decode((const char *)text, text_sz, &bytes, &sz, &bad_at);
	free(text);
	if (err)
		return fail("program on stdin: %s", err == -EINVAL ? "bad hex" : strerror(-err));
	if (is_elf) {
		ret = elf_main(bytes, sz, insnsp, cntp);
	} else if (sz == 0 || sz % 8) {
		ret = fail("program on stdin: %zu bytes, expected a non-zero multiple of 8", sz);
	} else {
		*cntp = sz / 8;
		*insnsp = calloc(*cntp, sizeof(**insnsp));
		if (*insnsp)
			ubf_cli_insns_from_bytes(bytes, sz, *insnsp);
		ret = *insnsp ? UBF_EXIT_OK : fail("%s", strerror(ENOMEM));
	}
	free(bytes);
	return ret;
}

static int run(const struct plugin_args *a, const struct ubf_raw_insn *insns, size_t cnt,
	       uint8_t *mem, size_t mem_sz)
{
	struct ubf_diag diag;
	UBF_OPTS(ubf_prog_opts, opts, .flags = UBF_PROG_F_CHECKED);
	UBF_OPTS(ubf_run_opts, run_opts, .diag = &diag);
	struct ubf_prog *prog = NULL;
	char text[512];
	uint64_t r0 = 0;
	int err;

	ubf_cli_diag_init(&diag);
	opts.engine = a->engine;
	opts.diag = &diag;
	opts.name = "plugin";
	err = ubf_prog_load(&prog, insns, cnt, &opts);
	if (!err)
		err = ubf_prog_run(prog, mem_sz ? mem : NULL, mem_sz, &r0, &run_opts);
	ubf_prog_free(prog);
	if (err) {
		ubf_cli_diag_format(text, sizeof(text), NULL, NULL, &diag, err);
		return fail("%s", text);
	}
	printf("0x%" PRIx64 "\n", r0);
	return UBF_EXIT_OK;
}

int ubf_cli_plugin_main(int argc, char **argv)
{
	struct plugin_args a = { NULL, false, UBF_ENGINE_DEFAULT };
	struct ubf_raw_insn *insns = NULL;
	uint8_t *mem = NULL;
	size_t cnt = 0, mem_sz = 0, bad_at = 0;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (a.mem_hex && ubf_cli_hex_decode(a.mem_hex, strlen(a.mem_hex), &mem, &mem_sz, &bad_at))
		return fail("memory argument: bad hex at offset %zu", bad_at);
	ret = read_program(a.is_elf, &insns, &cnt);
	if (!ret)
		ret = run(&a, insns, cnt, mem, mem_sz);
	free(insns);
	free(mem);
	fflush(stdout);
	return ret;
}

const struct ubf_cli_cmd ubf_cli_cmd_plugin = {
	.name = "plugin",
	.fn = ubf_cli_plugin_main,
	.usage = "[MEM] [--interp|--jit] [--elf] < PROGRAM_HEX",
	.summary = "run one test for the bpf_conformance runner (its plugin protocol)",
	.help =
		"The upstream bpf_conformance runner starts build/bin/userbpf-conformance-plugin\n"
		"(the same code as this command) once per test:\n"
		"\n"
		"  MEM       the memory as hex bytes (\"aa  bb  11  \"): the first argument that\n"
		"            does not start with \"--\"; absent when the test has no memory\n"
		"  --interp  run on the interpreter\n"
		"  --jit     run on the JIT (an error where this host has none)\n"
		"            (default: the library's choice, the JIT where this host has one)\n"
		"  --elf     stdin is a hex-encoded ELF object; its global function `main`\n"
		"            runs, from its offset to the end of its section\n"
		"\n"
		"Empty arguments are ignored.  stdin holds the program as hex, 8 bytes per\n"
		"instruction slot.  The program runs unverified in the checked mode with\n"
		"r1 = a private copy of MEM and r2 = its length.\n"
		"\n"
		"Output: r0 as \"0x<hex>\" on stdout, exit status 0; on any failure one message\n"
		"on stdout, exit status 1.\n",
};
