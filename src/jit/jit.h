/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * jit.h - the arch-neutral JIT driver's interface to the rest of the
 * library: compile a loaded program's predecoded instructions to native
 * code, run it, free it.  prog.c calls these; nothing else does.
 */
#ifndef UBF_JIT_JIT_H
#define UBF_JIT_JIT_H

#include <stdint.h>

#include "vm/vm.h"

/*
 * ubf_jit_available() - whether this host has a native back end.
 */
bool ubf_jit_available(void);

/*
 * ubf_jit_compile() - translate @prog->insns to native code and attach it
 * as @prog->jit.  Honours UBF_PROG_F_CHECKED (memory checks and the
 * instruction budget compiled in) and UBF_PROG_F_TRUSTED.
 * Return: 0; -EOPNOTSUPP when the host has no back end; -ENOMEM; -EFAULT
 * on an internal inconsistency (logged as a bug, @diag filled).
 */
int ubf_jit_compile(struct ubf_prog *prog, struct ubf_diag *diag);

/*
 * ubf_jit_run() - run @prog's native code on @run (initialised by
 * ubf_run_init()) with r1, r2.  Same contract as the interpreter's
 * ubf_interp_run_*(): 0 and *@r0, or a negative errno with run->diag set.
 */
int ubf_jit_run(const struct ubf_prog *prog, struct ubf_run *run, uint64_t r1, uint64_t r2,
		uint64_t *r0);

/* ubf_jit_free() - release native code; accepts NULL. */
void ubf_jit_free(struct ubf_jit_image *img);

/*
 * ubf_jit_code() - the native code of @img (NULL: none), for dumps and
 * tests; *@code_sz is its size in bytes.  The code stays owned by @img.
 */
const void *ubf_jit_code(const struct ubf_jit_image *img, size_t *code_sz);

#endif /* UBF_JIT_JIT_H */
