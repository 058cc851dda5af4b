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
 * instruction budget compiled in), UBF_PROG_F_TRUSTED and
 * UBF_PROG_F_BLIND_CONST (no immediate of the program in the code).
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

/*
 * ubf_jit_is_direct() - whether @img (NULL: no) may run through
 * ubf_jit_run_direct(): trusted code that calls no helper.  Fixed at load.
 */
bool ubf_jit_is_direct(const struct ubf_jit_image *img);

/*
 * ubf_jit_run_direct() - the fast entry: run @prog, whose image is direct,
 * with r1 = @mem, r2 = @mem_sz, without a struct ubf_run (nothing it runs
 * needs one: no helper, no check, no fault).  The caller has validated the
 * arguments, as for ubf_jit_run().  Return: 0 with *@r0 set.
 */
int ubf_jit_run_direct(const struct ubf_prog *prog, void *mem, size_t mem_sz, uint64_t *r0);

/*
 * ubf_jit_bare_entry() - the native entry of direct code that reads neither
 * its context nor a frame (no r10, no packet loads, no may_goto, no calls),
 * which may be called as entry(r1, r2, NULL); NULL for any other image.
 */
ubf_jit_entry_fn ubf_jit_bare_entry(const struct ubf_jit_image *img);

/*
 * ubf_jit_call() - run subprogram @target of run->prog, JIT code being run
 * by ubf_jit_run() further up the C stack, from a helper: through the
 * image's callback entry, with r1-r5 = @args and r10 = @fp, on the run's
 * JIT context (same budget, regions and unwinding).  ubf_run_callback()
 * has checked @target and @fp.  Return: 0 with *@r0 set, or run->err
 * after a fault in the callback; -EFAULT when the image has no callback
 * entry (no lddw src=4) or no context is active.
 */
int ubf_jit_call(struct ubf_run *run, size_t target, const uint64_t args[5], uint64_t fp,
		 uint64_t *r0);

/* ubf_jit_free() - release native code; accepts NULL. */
void ubf_jit_free(struct ubf_jit_image *img);

/*
 * ubf_jit_code() - the native code of @img (NULL: none), for dumps and
 * tests; *@code_sz is its size in bytes.  The code stays owned by @img.
 */
const void *ubf_jit_code(const struct ubf_jit_image *img, size_t *code_sz);

/*
 * ubf_jit_insn_off() - the native offset in ubf_jit_code() where instruction
 * @idx of @img starts; @idx == the instruction count gives the end of the
 * body (the epilogue and stubs follow).  The second slot of an lddw has the
 * offset of its first; an instruction the back end emitted together with
 * the one before it starts where that pair ends.
 * Return: 0; -ENOENT when @img is NULL; -EINVAL when @idx is past the end.
 */
int ubf_jit_insn_off(const struct ubf_jit_image *img, size_t idx, size_t *off);

#endif /* UBF_JIT_JIT_H */
