// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_run.c - decode-then-run: arbitrary bytes as a program (after a
 * 16-byte prefix used as the memory buffer), loaded unverified, so every
 * memory access goes through the checked engines.  A load may fail; a run
 * may fault with a diagnostic; nothing may crash.  When the host has a JIT
 * the same program runs there too and must give the same result, memory
 * and error.  Every built-in helper is replaced by a deterministic one
 * with the same ID, so the two engines can be compared exactly.
 */
#include <stdlib.h>
#include <string.h>

#include <userbpf/prog.h>

#define MEM_SZ 16

static uint64_t det_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			   struct ubf_run *run)
{
	(void)run;
	return r1 * 31 + r2 * 7 + r3 * 5 + r4 * 3 + r5;
}

static const struct ubf_env *det_env(void)
{
	static struct ubf_env *env;
	const struct ubf_helper *h;
	size_t i;

	if (env)
		return env;
	if (ubf_env_new(&env))
		abort();
	for (i = 0; (h = ubf_helper_builtin(i)); i++) {
		struct ubf_helper d = *h;

		d.fn = det_helper;
		if (ubf_env_add_helper(env, &d))
			abort();
	}
	return env;
}

struct outcome {
	int err;
	uint64_t r0;
	uint8_t mem[MEM_SZ];
	const char *diag_id;
};

static int run_on(enum ubf_engine engine, const struct ubf_raw_insn *insns, size_t cnt,
		  const uint8_t *mem, struct outcome *out)
{
	struct ubf_prog *prog = NULL;
	struct ubf_diag diag = { 0 };
	UBF_OPTS(ubf_prog_opts, opts, .diag = &diag, .env = det_env(), .insn_limit = 100000,
		 .flags = UBF_PROG_F_CHECKED, .engine = engine);
	UBF_OPTS(ubf_run_opts, ropts, .diag = &diag);
	int err;

	/* One buffer for both engines: a program may return its address in r0. */
	static uint8_t buf[MEM_SZ];

	err = ubf_prog_load(&prog, insns, cnt, &opts);
	if (err)
		return err;
	memcpy(buf, mem, MEM_SZ);
	out->r0 = 0;
	out->err = ubf_prog_run(prog, buf, MEM_SZ, &out->r0, &ropts);
	memcpy(out->mem, buf, MEM_SZ);
	out->diag_id = out->err ? diag.id : NULL;
	if (out->err && !diag.id)
		abort(); /* a failed run must say why */
	ubf_prog_free(prog);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome a = { 0 }, b = { 0 };
	struct ubf_raw_insn *insns;
	size_t cnt;

	if (size < MEM_SZ + sizeof(struct ubf_raw_insn))
		return 0;
	cnt = (size - MEM_SZ) / sizeof(struct ubf_raw_insn);
	insns = malloc(cnt * sizeof(*insns));
	if (!insns)
		return 0;
	memcpy(insns, data + MEM_SZ, cnt * sizeof(*insns));
	if (run_on(UBF_ENGINE_INTERP, insns, cnt, data, &a) == 0 &&
	    run_on(UBF_ENGINE_JIT, insns, cnt, data, &b) == 0) {
		if (a.err != b.err || (!a.err && (a.r0 != b.r0 || memcmp(a.mem, b.mem, MEM_SZ))))
			abort();
		if (a.err && strcmp(a.diag_id, b.diag_id))
			abort();
	}
	free(insns);
	return 0;
}
