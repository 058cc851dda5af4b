// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_vm_jit_dump.c - the public view of JIT output used by `userbpf jit`:
 * ubf_prog_jit_code() and ubf_prog_jit_insn_off().  Offsets start after the
 * prologue, never decrease, end inside the code; an lddw's second slot
 * shares its first slot's offset; the interpreter has no code (-ENOENT);
 * bad arguments and indexes past the end are -EINVAL.
 */
#include <errno.h>

#include "test.h"

#include <userbpf/userbpf.h>

/* r0 = 1; r0 += r1; r2 = 0x123456789 (lddw); if r1 == 0 goto +1; r0 = 7; exit */
static const struct ubf_raw_insn prog_insns[] = {
	UBF_MOV64_IMM(0, 1),
	UBF_ALU64_REG(UBF_ALU_ADD, 0, 1),
	UBF_LDDW(2, 0x123456789ull),
	UBF_JMP_IMM(UBF_JMP_JEQ, 1, 0, 1),
	UBF_MOV64_IMM(0, 7),
	UBF_EXIT(),
};
#define PROG_CNT (sizeof(prog_insns) / sizeof(prog_insns[0]))

static int load(struct ubf_prog **progp, enum ubf_engine engine, uint32_t flags)
{
	UBF_OPTS(ubf_prog_opts, opts, .engine = engine, .flags = flags);

	return ubf_prog_load(progp, prog_insns, PROG_CNT, &opts);
}

TEST(jit_dump_offsets_tile_the_body)
{
	static const uint32_t modes[] = { UBF_PROG_F_CHECKED, UBF_PROG_F_TRUSTED };
	struct ubf_prog *prog = NULL;
	const void *code;
	size_t code_sz, off, prev, i, m;
	int err;

	for (m = 0; m < 2; m++) {
		err = load(&prog, UBF_ENGINE_JIT, modes[m]);
		if (err == -EOPNOTSUPP)
			SKIP("no JIT back end on this host");
		ASSERT_OK(err);
		ASSERT_OK(ubf_prog_jit_code(prog, &code, &code_sz));
		EXPECT_TRUE(code != NULL);
		EXPECT_TRUE(code_sz > 0);
		ASSERT_OK(ubf_prog_jit_insn_off(prog, 0, &prev));
		EXPECT_TRUE(prev > 0);	/* a prologue comes first */
		for (i = 1; i <= PROG_CNT; i++) {
			ASSERT_OK(ubf_prog_jit_insn_off(prog, i, &off));
			EXPECT_TRUE(off >= prev);
			prev = off;
		}
		EXPECT_TRUE(prev <= code_sz);
		/* The lddw at 2 has real code; its second slot 3 starts where it does. */
		ASSERT_OK(ubf_prog_jit_insn_off(prog, 2, &prev));
		ASSERT_OK(ubf_prog_jit_insn_off(prog, 3, &off));
		EXPECT_EQ_U64(off, prev);
		ASSERT_OK(ubf_prog_jit_insn_off(prog, 4, &off));
		EXPECT_TRUE(off >= prev + 10);	/* movabs: 10 bytes */
		ubf_prog_free(prog);
		prog = NULL;
	}
}

TEST(jit_dump_rejects_bad_arguments)
{
	struct ubf_prog *prog = NULL;
	const void *code;
	size_t code_sz, off;
	int err;

	err = load(&prog, UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED);
	if (err == -EOPNOTSUPP)
		SKIP("no JIT back end on this host");
	ASSERT_OK(err);
	EXPECT_ERR(-EINVAL, ubf_prog_jit_insn_off(prog, PROG_CNT + 1, &off));
	EXPECT_ERR(-EINVAL, ubf_prog_jit_insn_off(prog, 0, NULL));
	EXPECT_ERR(-EINVAL, ubf_prog_jit_insn_off(NULL, 0, &off));
	EXPECT_ERR(-EINVAL, ubf_prog_jit_code(prog, NULL, &code_sz));
	EXPECT_ERR(-EINVAL, ubf_prog_jit_code(prog, &code, NULL));
	EXPECT_ERR(-EINVAL, ubf_prog_jit_code(NULL, &code, &code_sz));
	ubf_prog_free(prog);
}

TEST(jit_dump_interpreter_has_no_code)
{
	struct ubf_prog *prog = NULL;
	const void *code = NULL;
	size_t code_sz = 99, off = 99;

	ASSERT_OK(load(&prog, UBF_ENGINE_INTERP, UBF_PROG_F_CHECKED));
	EXPECT_ERR(-ENOENT, ubf_prog_jit_code(prog, &code, &code_sz));
	EXPECT_ERR(-ENOENT, ubf_prog_jit_insn_off(prog, 0, &off));
	EXPECT_ERR(-EINVAL, ubf_prog_jit_insn_off(prog, PROG_CNT + 1, &off));
	/* Nothing is written on failure. */
	EXPECT_TRUE(code == NULL);
	EXPECT_EQ_U64(code_sz, 99);
	EXPECT_EQ_U64(off, 99);
	ubf_prog_free(prog);
}
