// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_asm.c - the assembler on arbitrary text.  Whatever it accepts must
 * pass the decoder, and every instruction must survive disassembly and
 * reassembly in both syntaxes with the same bytes (lines that jump are
 * reassembled inside the whole program so their targets stay valid).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/isa.h>

static void roundtrip(const struct ubf_raw_insn *insns, size_t cnt, enum ubf_syntax syntax)
{
	size_t i, text_len = 0, cap = cnt * 96 + 1;
	char *text = malloc(cap);
	struct ubf_raw_insn *again = NULL;
	size_t again_cnt = 0;

	if (!text)
		return;
	for (i = 0; i < cnt;) {
		char line[128];
		int n = ubf_disasm_insn(insns, cnt, i, syntax, line, sizeof(line));

		if (n <= 0)
			abort();
		text_len += (size_t)snprintf(text + text_len, cap - text_len, "%s\n", line);
		i += (size_t)n;
	}
	if (ubf_asm_parse(text, text_len, &again, &again_cnt, NULL) != 0) {
		fprintf(stderr, "reassembly failed:\n%s", text);
		abort();
	}
	if (again_cnt != cnt || memcmp(again, insns, cnt * sizeof(*insns))) {
		fprintf(stderr, "round trip changed the program:\n%s", text);
		abort();
	}
	free(again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ubf_raw_insn *insns = NULL;
	size_t cnt = 0;
	struct ubf_diag diag = { 0 };
	UBF_OPTS(ubf_asm_opts, opts, .file_name = "fuzz", .diag = &diag);

	if (ubf_asm_parse((const char *)data, size, &insns, &cnt, &opts) == 0) {
		if (cnt && ubf_isa_check(insns, cnt, NULL) == 0) {
			roundtrip(insns, cnt, UBF_SYNTAX_LLVM);
			roundtrip(insns, cnt, UBF_SYNTAX_CONFORMANCE);
		}
		free(insns);
	} else if (diag.msg[0] == '\0' || !diag.id) {
		abort(); /* every rejection must say why */
	}
	return 0;
}
