// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_jit.c - `userbpf jit`: load a program with the JIT and print, for
 * every BPF instruction, its disassembly followed by the native code the
 * JIT emitted for it, itself disassembled with capstone; the prologue and
 * the code after the body (epilogue, out-of-line stubs) get headings of
 * their own.  Only this file needs capstone: the Makefile builds it when
 * pkg-config finds capstone, and main.c lists a stub command otherwise.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

/* Native bytes shown before the mnemonic are padded to this many bytes. */
#define BYTES_COL 8

struct jit_args {
	const char *file;
	const char *section;
	const char *syntax_name;
	bool is_unchecked;
};

/* The program of @code to show: the --section one, or the first with instructions. */
static int pick_section(const struct ubf_cli_code *code, const struct jit_args *a,
			const char *obj, const struct ubf_code_section **secp)
{
	size_t i;

	if (code->kind != UBF_CLI_ELF) {
		if (a->section) {
			ubf_cli_err("jit", obj, "--section applies to ELF objects; this is %s",
				    ubf_cli_kind_name(code->kind));
			return UBF_EXIT_USAGE;
		}
		*secp = &code->secs[0];
		return UBF_EXIT_OK;
	}
	for (i = 0; i < code->sec_cnt; i++) {
		const struct ubf_code_section *s = &code->secs[i];

		if (a->section ? !strcmp(s->name, a->section) : s->insn_cnt > 0) {
			*secp = s;
			return UBF_EXIT_OK;
		}
	}
	if (a->section)
		ubf_cli_err("jit", obj, "no executable section named '%s'", a->section);
	else
		ubf_cli_err("jit", obj, "no executable section with instructions");
	return UBF_EXIT_USAGE;
}

/* Capstone's view of the host the JIT generated code for. */
static int native_open(csh *handle, const char **arch_name)
{
#if defined(__x86_64__)
	*arch_name = "x86-64";
	return cs_open(CS_ARCH_X86, CS_MODE_64, handle) == CS_ERR_OK ? 0 : -EINVAL;
#elif defined(__aarch64__)
	*arch_name = "arm64";
	return cs_open(CS_ARCH_ARM64, CS_MODE_ARM, handle) == CS_ERR_OK ? 0 : -EINVAL;
#else
	(void)handle;
	*arch_name = "this host";
	return -EOPNOTSUPP;
#endif
}

static void print_bytes(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", p[i]);
	for (; i < BYTES_COL; i++)
		printf("   ");
}

/*
 * Capstone prints branch targets as offsets from the code, which is right
 * inside it; a call or jump to the library's C run-time lands outside, so
 * its absolute address is added as a comment.
 */
static void print_far_target(csh handle, const cs_insn *ci, const uint8_t *code, size_t code_sz)
{
	uint64_t target;
	char *end;

	if (!cs_insn_group(handle, ci, CS_GRP_CALL) && !cs_insn_group(handle, ci, CS_GRP_JUMP))
		return;
	if (strncmp(ci->op_str, "0x", 2))
		return;
	errno = 0;
	target = strtoull(ci->op_str, &end, 16);
	if (errno || *end || target < code_sz)
		return;
	printf("    ; 0x%" PRIx64 ", outside the code", (uint64_t)(uintptr_t)code + target);
}

/*
 * Print the native instructions in [@start, @end) of @code, one per line:
 * offset, bytes, capstone's text.  A byte capstone cannot decode prints as
 * ".byte" and disassembly resumes after it.
 */
static void print_native(csh handle, cs_insn *ci, const uint8_t *code, size_t code_sz,
			 size_t start, size_t end)
{
	const uint8_t *p = code + start;
	size_t left = end - start;
	uint64_t addr = start;

	while (left) {
		size_t at = (size_t)addr;

		if (cs_disasm_iter(handle, &p, &left, &addr, ci)) {
			printf("    0x%04zx: ", at);
			print_bytes(code + at, ci->size);
			printf("    %s%s%s", ci->mnemonic, ci->op_str[0] ? " " : "", ci->op_str);
			print_far_target(handle, ci, code, code_sz);
			printf("\n");
			continue;
		}
		printf("    0x%04zx: ", at);
		print_bytes(p, 1);
		printf("    .byte 0x%02x\n", *p);
		p++;
		left--;
		addr++;
	}
}

/* Every instruction of @sec with its native code, between prologue and epilogue. */
static int print_listing(const struct ubf_prog *prog, const struct ubf_code_section *sec,
			 enum ubf_syntax syntax, csh handle, cs_insn *ci, const uint8_t *code,
			 size_t code_sz, const char *obj)
{
	size_t idx, next, start, end, body_end;
	char text[128];
	int n, err;

	err = ubf_prog_jit_insn_off(prog, 0, &start);
	if (!err)
		err = ubf_prog_jit_insn_off(prog, sec->insn_cnt, &body_end);
	if (err) {
		ubf_cli_err("jit", obj, "native offsets: %s", ubf_strerror(err));
		return UBF_EXIT_FAIL;
	}
	printf("prologue:\n");
	print_native(handle, ci, code, code_sz, 0, start);
	for (idx = 0; idx < sec->insn_cnt; idx = next) {
		n = ubf_disasm_insn(sec->insns, sec->insn_cnt, idx, syntax, text, sizeof(text));
		if (n <= 0) {
			ubf_cli_err("jit", obj, "insn %zu: cannot print: %s", idx,
				    ubf_strerror(n < 0 ? n : -EINVAL));
			return UBF_EXIT_FAIL;
		}
		next = idx + (size_t)n;
		err = ubf_prog_jit_insn_off(prog, idx, &start);
		if (!err)
			err = ubf_prog_jit_insn_off(prog, next, &end);
		if (err) {
			ubf_cli_err("jit", obj, "insn %zu: native offset: %s", idx,
				    ubf_strerror(err));
			return UBF_EXIT_FAIL;
		}
		printf("%zu: %s\n", idx, text);
		if (start == end)
			printf("    (no code of its own: emitted with the instruction before)\n");
		print_native(handle, ci, code, code_sz, start, end);
	}
	printf("epilogue and out-of-line stubs:\n");
	print_native(handle, ci, code, code_sz, body_end, code_sz);
	return UBF_EXIT_OK;
}

/* Load @sec with the JIT and print its listing. */
static int show(const struct jit_args *a, const struct ubf_code_section *sec, const char *obj,
		enum ubf_syntax syntax)
{
	UBF_OPTS(ubf_prog_opts, opts, .flags = UBF_PROG_F_CHECKED, .engine = UBF_ENGINE_JIT);
	struct ubf_prog *prog = NULL;
	const char *arch_name;
	struct ubf_diag diag;
	const void *code;
	cs_insn *ci = NULL;
	size_t code_sz;
	csh handle;
	int ret, err;

	if (a->is_unchecked)
		opts.flags = UBF_PROG_F_TRUSTED;
	opts.name = sec->name ? sec->name : obj;
	opts.diag = &diag;
	ubf_cli_diag_init(&diag);
	err = ubf_prog_load(&prog, sec->insns, sec->insn_cnt, &opts);
	if (!err)
		err = ubf_prog_jit_code(prog, &code, &code_sz);
	if (err) {
		ubf_cli_err_diag("jit", obj, sec->name, &diag, err);
		ubf_prog_free(prog);
		return UBF_EXIT_FAIL;
	}
	if (native_open(&handle, &arch_name)) {
		ubf_cli_err("jit", NULL, "capstone cannot disassemble %s code", arch_name);
		ubf_prog_free(prog);
		return UBF_EXIT_FAIL;
	}
	/* Details only for instruction groups: which ones are calls and jumps. */
	cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
	ci = cs_malloc(handle);
	if (ci) {
		printf("%s%s%s: %zu instructions, %zu bytes of %s code, %s\n", obj,
		       sec->name ? ": " : "", sec->name ? sec->name : "", sec->insn_cnt, code_sz,
		       arch_name, ubf_prog_is_checked(prog) ? "checked" : "unchecked");
		ret = print_listing(prog, sec, syntax, handle, ci, code, code_sz, obj);
		cs_free(ci, 1);
	} else {
		ubf_cli_err("jit", NULL, "%s", strerror(ENOMEM));
		ret = UBF_EXIT_FAIL;
	}
	cs_close(&handle);
	ubf_prog_free(prog);
	return ret;
}

static int cmd_jit(int argc, char **argv)
{
	struct jit_args a = { .syntax_name = "llvm" };
	const struct ubf_cli_opt opts[] = {
		{ "section", 0, &a.section, NULL },
		{ "syntax", 0, &a.syntax_name, NULL },
		{ "unchecked", 0, NULL, &a.is_unchecked },
	};
	const struct ubf_code_section *sec = NULL;
	struct ubf_cli_code code;
	enum ubf_syntax syntax;
	size_t pos_cnt;
	const char *obj;
	int ret;

	ret = ubf_cli_parse(&ubf_cli_cmd_jit, argc, argv, opts, sizeof(opts) / sizeof(opts[0]),
			    &a.file, 1, &pos_cnt);
	if (ret >= 0)
		return ret;
	if (!strcmp(a.syntax_name, "llvm")) {
		syntax = UBF_SYNTAX_LLVM;
	} else if (!strcmp(a.syntax_name, "conformance")) {
		syntax = UBF_SYNTAX_CONFORMANCE;
	} else {
		ubf_cli_err("jit", NULL, "--syntax must be llvm or conformance, not '%s'",
			    a.syntax_name);
		return UBF_EXIT_USAGE;
	}
	if (pos_cnt != 1) {
		ubf_cli_err("jit", NULL, "missing FILE (see 'userbpf help jit')");
		return UBF_EXIT_USAGE;
	}
	obj = ubf_cli_display_name(a.file);
	ret = ubf_cli_code_load("jit", a.file, &code);
	if (!ret)
		ret = pick_section(&code, &a, obj, &sec);
	if (!ret)
		ret = show(&a, sec, obj, syntax);
	ubf_cli_code_free(&code);
	return ret;
}

const struct ubf_cli_cmd ubf_cli_cmd_jit = {
	.name = "jit",
	.fn = cmd_jit,
	.usage = "FILE [--section NAME] [--unchecked] [--syntax=llvm|conformance]",
	.summary = "show the native code the JIT generates for each instruction",
	.help =
		"FILE is raw bytecode, assembly, a conformance .data file or an ELF object,\n"
		"as for 'userbpf run'.  The program is loaded with the JIT (an error on a\n"
		"host without a back end) and its native code is disassembled with capstone.\n"
		"\n"
		"options:\n"
		"  --section NAME   ELF only: this executable section (default: the first\n"
		"                   executable section that has instructions)\n"
		"  --unchecked      load with UBF_PROG_F_TRUSTED: the code without run-time\n"
		"                   checks (the default shows the checked code 'run' executes)\n"
		"  --syntax=S       BPF instructions in llvm (default) or conformance syntax\n"
		"\n"
		"Output: a line \"FILE[: SECTION]: N instructions, M bytes of ARCH code, MODE\",\n"
		"then \"prologue:\", then for each instruction \"<index>: <instruction>\" as\n"
		"'userbpf disasm' prints it, each followed by its native instructions, one\n"
		"per indented line \"    0x<offset>: <bytes>    <mnemonic> <operands>\", then\n"
		"\"epilogue and out-of-line stubs:\" with the code after the body (shared\n"
		"exits, slow paths and fault exits the body jumps to).  Offsets count from\n"
		"the entry point; branch targets in the native code are such offsets, and a\n"
		"call or jump out of the code (to the library's C run-time) also shows its\n"
		"absolute address as a \"; 0x...\" comment.  An\n"
		"instruction the JIT emitted together with the one before it (for example\n"
		"a mov and an add as one lea) shows no code of its own.\n"
		"\n"
		"Exit status: 0 listed, 1 the program was rejected, 2 usage error or an\n"
		"input file that cannot be read.\n",
};
