// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_asm.c - `userbpf asm`: assembly text in either syntax (or the
 * program of a conformance .data file) to raw bytecode, 8 little-endian
 * bytes per slot, written to a file or stdout.  The assembler is the
 * library's ubf_asm_parse(); this file only moves bytes.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int write_all(const char *path, const uint8_t *buf, size_t sz)
{
	bool is_stdout = !path || !strcmp(path, "-");
	FILE *f;
	int err = 0;

	f = is_stdout ? stdout : fopen(path, "wb");
	if (!f) {
		ubf_cli_err("asm", path, "cannot open for writing: %s", strerror(errno));
		return UBF_EXIT_USAGE;
	}
	if (fwrite(buf, 1, sz, f) != sz)
		err = errno ? errno : EIO;
	if ((is_stdout ? fflush(f) : fclose(f)) && !err)
		err = errno ? errno : EIO;
	if (err) {
		ubf_cli_err("asm", is_stdout ? "<stdout>" : path, "cannot write: %s",
			    strerror(err));
		return UBF_EXIT_USAGE;
	}
	return UBF_EXIT_OK;
}

static int cmd_asm(int argc, char **argv)
{
	const char *out = NULL, *pos[1];
	const struct ubf_cli_opt opts[] = {
		{ "output", 'o', &out, NULL },
	};
	struct ubf_cli_code code;
	size_t pos_cnt, cnt;
	uint8_t *bytes;
	int ret;

	ret = ubf_cli_parse(&ubf_cli_cmd_asm, argc, argv, opts, 1, pos, 1, &pos_cnt);
	if (ret >= 0)
		return ret;
	if (pos_cnt != 1) {
		ubf_cli_err("asm", NULL, "missing FILE (see 'userbpf help asm')");
		return UBF_EXIT_USAGE;
	}
	ret = ubf_cli_code_load("asm", pos[0], &code);
	if (ret)
		goto out;
	if (code.kind != UBF_CLI_ASM && code.kind != UBF_CLI_DATA) {
		ubf_cli_err("asm", ubf_cli_display_name(pos[0]),
			    "this is %s, not assembly text (disassemble it with 'userbpf disasm')",
			    ubf_cli_kind_name(code.kind));
		ret = UBF_EXIT_FAIL;
		goto out;
	}
	cnt = code.secs[0].insn_cnt;
	bytes = malloc(cnt ? cnt * 8 : 1);
	if (!bytes) {
		ubf_cli_err("asm", NULL, "%s", strerror(ENOMEM));
		ret = UBF_EXIT_FAIL;
		goto out;
	}
	ubf_cli_insns_to_bytes(code.secs[0].insns, cnt, bytes);
	ret = write_all(out, bytes, cnt * 8);
	free(bytes);
out:
	ubf_cli_code_free(&code);
	return ret;
}

const struct ubf_cli_cmd ubf_cli_cmd_asm = {
	.name = "asm",
	.fn = cmd_asm,
	.usage = "FILE [-o OUT]",
	.summary = "assemble text into raw bytecode",
	.help =
		"FILE is assembly in either syntax, mixed freely line by line: LLVM's\n"
		"(\"r0 = *(u32 *)(r1 + 4)\") or the conformance suite's (\"ldxw %r0, [%r1+4]\").\n"
		"A conformance .data file is accepted too; its program is assembled.\n"
		"FILE \"-\" reads stdin.\n"
		"\n"
		"options:\n"
		"  -o, --output OUT   write the bytecode to OUT (default, or \"-\": stdout)\n"
		"\n"
		"The output is 8 bytes per instruction slot, little-endian, exactly as in an\n"
		"ELF object; lddw takes two slots.  Exit status: 0 done, 1 the text has an\n"
		"error (reported as FILE: LINE:COL: ID: message), 2 usage or I/O error.\n",
};
