// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_data.c - the conformance .data reader on arbitrary text: it either
 * parses or fails with a diagnostic, never crashes or leaks.
 */
#include <stdlib.h>

#include <userbpf/isa.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ubf_data_file df = { 0 };
	struct ubf_diag diag = { 0 };
	UBF_OPTS(ubf_asm_opts, opts, .file_name = "fuzz.data", .diag = &diag);

	if (ubf_data_parse((const char *)data, size, &df, &opts) == 0)
		ubf_data_free(&df);
	else if (!diag.id)
		abort();
	return 0;
}
