/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * jit_diff.h - what the JIT's execution tests share: the list of engines
 * and modes every program runs on, a program builder, and the comparison
 * of a JIT run with the interpreter's run of the same program in the same
 * mode (result, error, diagnostic id and instruction, and memory).  The
 * interpreter is the reference; the tests built on this never hard-code
 * what the JIT should compute.
 */
#ifndef UBF_TEST_JIT_DIFF_H
#define UBF_TEST_JIT_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <userbpf/helper.h>
#include <userbpf/insn.h>
#include <userbpf/prog.h>

#include "jit/jit.h"

/* An engine and load flags; modes[0..1] are the interpreter, the reference. */
struct jit_mode {
	const char *name;
	uint32_t engine;
	uint32_t flags;
};

extern const struct jit_mode jit_modes[];
extern const size_t jit_mode_cnt;

/* A program under construction (grows as needed). */
struct prog_buf {
	struct ubf_raw_insn *insns;
	size_t cnt, cap;
};

void pb_add(struct prog_buf *pb, struct ubf_raw_insn in);
void pb_lddw(struct prog_buf *pb, unsigned reg, uint64_t v);
/* Row @id of the table with its register, offset and immediate fields set where it has them. */
struct ubf_raw_insn pb_row(size_t id, unsigned dst, unsigned src, int16_t off, int32_t imm);
void pb_free(struct prog_buf *pb);

/* What a run produced. */
struct jit_outcome {
	int load_err;
	int err;
	uint64_t r0;
	const char *diag_id;
	uint32_t diag_insn;
	uint8_t *mem;
};

struct jit_case {
	const char *what;		/* for failure messages */
	const struct ubf_raw_insn *insns;
	size_t insn_cnt;
	const uint8_t *mem;		/* initial memory, copied per run */
	size_t mem_sz;
	const struct ubf_env *env;	/* NULL: built-in helpers */
	uint64_t insn_limit;		/* 0: the default */
	void *cookie;			/* ubf_run_opts.cookie */
	bool skip_mem_on_fault;		/* faults may leave memory half-written differently */
	bool checked_only;		/* the program is not safe to run unchecked */
};

/*
 * Run @c on every mode and compare each JIT mode with the interpreter in
 * the same checking mode.  Records a test failure (with the mode and the
 * first difference) and returns false on any mismatch.
 */
bool jit_diff_case(const struct jit_case *c);

/* The first statement of every test that runs JIT code: hosts without a back end skip it. */
#define REQUIRE_JIT()                                                   \
	do {                                                            \
		if (!ubf_jit_available())                               \
			SKIP("no JIT back end runs on this host");      \
	} while (0)

/* Run @c on one mode; @out->mem must hold c->mem_sz bytes. */
void jit_run_mode(const struct jit_case *c, const struct jit_mode *m, struct jit_outcome *out);

#endif /* UBF_TEST_JIT_DIFF_H */
