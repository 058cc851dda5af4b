// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_disasm.c - `userbpf disasm`: print every instruction of raw
 * bytecode, assembly, a conformance .data file or each executable section
 * of an ELF object, one "<index>: <text>" line per instruction, in LLVM or
 * conformance syntax.  The printer is the library's ubf_disasm_insn().
 */
#include "cli.h"

#include <errno.h>
#include <string.h>

static int print_program(const char *obj, const struct ubf_code_section *sec,
			 enum ubf_syntax syntax)
{
	char text[128];
	size_t idx;
	int n;

	for (idx = 0; idx < sec->insn_cnt; idx += (size_t)n) {
		n = ubf_disasm_insn(sec->insns, sec->insn_cnt, idx, syntax, text, sizeof(text));
		if (n <= 0) {
			ubf_cli_err("disasm", obj, "%s%sinsn %zu: cannot print: %s",
				    sec->name ? sec->name : "", sec->name ? ": " : "", idx,
				    ubf_strerror(n < 0 ? n : -EINVAL));
			return UBF_EXIT_FAIL;
		}
		printf("%zu: %s\n", idx, text);
	}
	return UBF_EXIT_OK;
}

static int cmd_disasm(int argc, char **argv)
{
	const char *syntax_name = "llvm", *pos[1];
	const struct ubf_cli_opt opts[] = {
		{ "syntax", 0, &syntax_name, NULL },
	};
	enum ubf_syntax syntax;
	struct ubf_cli_code code;
	size_t pos_cnt, i, printed = 0;
	int ret;

	ret = ubf_cli_parse(&ubf_cli_cmd_disasm, argc, argv, opts, 1, pos, 1, &pos_cnt);
	if (ret >= 0)
		return ret;
	if (!strcmp(syntax_name, "llvm")) {
		syntax = UBF_SYNTAX_LLVM;
	} else if (!strcmp(syntax_name, "conformance")) {
		syntax = UBF_SYNTAX_CONFORMANCE;
	} else {
		ubf_cli_err("disasm", NULL, "--syntax must be llvm or conformance, not '%s'",
			    syntax_name);
		return UBF_EXIT_USAGE;
	}
	if (pos_cnt != 1) {
		ubf_cli_err("disasm", NULL, "missing FILE (see 'userbpf help disasm')");
		return UBF_EXIT_USAGE;
	}
	ret = ubf_cli_code_load("disasm", pos[0], &code);
	for (i = 0; !ret && i < code.sec_cnt; i++) {
		/* Section headers as llvm-objdump -d prints them; it skips empty sections. */
		if (code.kind == UBF_CLI_ELF) {
			if (!code.secs[i].insn_cnt)
				continue;
			printf("%sDisassembly of section %s:\n\n", printed++ ? "\n" : "",
			       code.secs[i].name);
		}
		ret = print_program(ubf_cli_display_name(pos[0]), &code.secs[i], syntax);
	}
	ubf_cli_code_free(&code);
	return ret;
}

const struct ubf_cli_cmd ubf_cli_cmd_disasm = {
	.name = "disasm",
	.fn = cmd_disasm,
	.usage = "FILE [--syntax=llvm|conformance]",
	.summary = "print the instructions of a program or an ELF object",
	.help =
		"FILE is recognised by its contents: an ELF object (every executable\n"
		"section, in file order), a conformance .data file (a line starting with\n"
		"\"-- \", or the .data extension), assembly text, or else raw bytecode (a\n"
		"multiple of 8 bytes).  FILE \"-\" reads stdin.\n"
		"\n"
		"options:\n"
		"  --syntax=llvm         like llvm-objdump: \"r0 = *(u32 *)(r1 + 4)\" (default)\n"
		"  --syntax=conformance  like the conformance suite: \"ldxw %r0, [%r1+4]\"\n"
		"\n"
		"Output: one line \"<index>: <instruction>\" per instruction, where index counts\n"
		"8-byte slots from 0 (an lddw takes slots i and i+1 and prints as i).  For an\n"
		"ELF object each non-empty section starts with \"Disassembly of section\n"
		"<name>:\" and a blank line, and sections are separated by a blank line.\n"
		"Encodings that are not instructions print as \"<unknown>\".\n",
};
