// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_elf.c - the ELF section reader on arbitrary bytes: every section it
 * returns must lie inside the input, and a rejection must say why.
 */
#include <stdlib.h>

#include <userbpf/object.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ubf_code_section *secs = NULL;
	struct ubf_diag diag = { 0 };
	size_t cnt = 0, i;

	if (ubf_elf_code_sections(data, size, &secs, &cnt, &diag) == 0) {
		for (i = 0; i < cnt; i++)
			if (secs[i].insn_cnt * 8 > size || !secs[i].name)
				abort();
		ubf_elf_code_sections_free(secs, cnt);
	} else if (!diag.id) {
		abort();
	}
	return 0;
}
