/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prog.h - load a program from raw instructions, run it, free it.
 *
 * A program is decoded and checked at load time (every field of every
 * instruction, jump targets, helper IDs), then predecoded for the engines.
 * Until the verifier exists every load is *unverified*: programs run in
 * the checked mode, where every memory access is checked against the
 * regions the program may touch and an instruction budget stops runaway
 * loops.  UBF_PROG_F_TRUSTED selects the unchecked fast path for code the
 * embedder has proven safe by other means.
 */
#ifndef USERBPF_PROG_H
#define USERBPF_PROG_H

#include <userbpf/common.h>
#include <userbpf/insn.h>
#include <userbpf/log.h>
#include <userbpf/helper.h>

UBF_EXTERN_C_BEGIN

/* Per-frame stack size and call depth, as in Linux (MAX_BPF_STACK, MAX_CALL_FRAMES). */
#define UBF_STACK_SZ 512
#define UBF_MAX_FRAMES 8
/* Instructions a checked run may execute before it is stopped, by default. */
#define UBF_DEFAULT_INSN_LIMIT 100000000ull
/* Iterations may_goto allows per run, as Linux's BPF_MAX_LOOPS. */
#define UBF_MAY_GOTO_BUDGET (8ull * 1024 * 1024)

enum ubf_engine {
	UBF_ENGINE_DEFAULT = 0,	/* the JIT where the host has one, else the interpreter */
	UBF_ENGINE_INTERP = 1,
	UBF_ENGINE_JIT = 2,
};

/* Run every memory access through the region check (the default until the verifier exists). */
#define UBF_PROG_F_CHECKED (1u << 0)
/* Skip all run-time checks: the embedder vouches that the program is safe. */
#define UBF_PROG_F_TRUSTED (1u << 1)
/* JIT: blind immediates with a random key, as Linux does, so no chosen constant is executable. */
#define UBF_PROG_F_BLIND_CONST (1u << 2)

/**
 * struct ubf_region - memory a checked run may access besides its stack
 * and the memory passed to ubf_prog_run()
 */
struct ubf_region {
	void *addr;
	size_t size;
	bool is_writable;
};

/**
 * struct ubf_lddw_ref - an lddw that names an object, for the loader's caller to resolve
 * @insn_idx: index of the lddw's first slot
 * @insn:     its two slots as loaded; the pseudo form is ubf_raw_src(&@insn[0])
 *            (1 map fd, 2 map value, 3 BTF id, 5 map index, 6 map index value)
 * @value:    out: the 64-bit value the lddw loads (a map handle, an address)
 * @region:   out: memory a checked run may access through @value for as long
 *            as the program lives (a map's value area); size 0: none
 */
struct ubf_lddw_ref {
	size_t insn_idx;
	const struct ubf_raw_insn *insn;
	uint64_t value;
	struct ubf_region region;
};

/*
 * A resolver of lddw pseudo forms: fill @ref->value (and @ref->region), or
 * return a negative errno after filling @diag with the instruction index
 * and why (ubf_prog_load() then fails with that errno).  Called during
 * ubf_prog_load() only, once per such lddw, in program order.
 */
typedef int (*ubf_lddw_fn)(void *cookie, struct ubf_lddw_ref *ref, struct ubf_diag *diag);

/**
 * struct ubf_prog_opts - how to load a program
 * @sz:         sizeof(struct ubf_prog_opts), set by UBF_OPTS()
 * @log:        where load messages go; NULL drops them
 * @diag:       filled when the program is rejected
 * @env:        helpers the program may call; NULL: the built-in ones
 * @insn_limit: instruction budget of a checked run; 0: UBF_DEFAULT_INSN_LIMIT
 * @flags:      UBF_PROG_F_*
 * @engine:     enum ubf_engine
 * @name:       for messages; NULL: "prog"
 * @lddw:       resolves lddw src 1, 2, 3, 5 and 6 (maps, BTF ids); NULL: such
 *              an lddw is rejected ("insn.unsupported_pseudo").  lddw src 4
 *              (a subprogram) needs no resolver: it loads the subprogram's
 *              instruction index, which callback-taking helpers run.
 * @lddw_cookie: passed to @lddw
 */
struct ubf_prog_opts {
	size_t sz;
	struct ubf_log *log;
	struct ubf_diag *diag;
	const struct ubf_env *env;
	uint64_t insn_limit;
	uint32_t flags;
	uint32_t engine;
	const char *name;
	ubf_lddw_fn lddw;
	void *lddw_cookie;
};

/**
 * struct ubf_run_opts - per-run options
 * @sz:          sizeof(struct ubf_run_opts)
 * @diag:        filled when the run fails
 * @regions:     extra memory a checked run may touch
 * @region_cnt:  number of @regions (at most 16)
 * @cookie:      returned to helpers by ubf_run_cookie()
 */
struct ubf_run_opts {
	size_t sz;
	struct ubf_diag *diag;
	const struct ubf_region *regions;
	size_t region_cnt;
	void *cookie;
};

/**
 * struct ubf_prog - a loaded program.  Opaque.
 *
 * Thread safety: a loaded ubf_prog is immutable; any number of threads may
 * run it at once.
 */
struct ubf_prog;

/**
 * ubf_prog_load() - decode, check and prepare a program
 * @progp:    on success owned by the caller; free it with ubf_prog_free()
 * @insns:    raw instructions; copied
 * @insn_cnt: number of 8-byte slots (an lddw takes two)
 * @opts:     may be NULL
 *
 * Return: 0; -EINVAL for a malformed program (@opts->diag says which
 * instruction and why); -E2BIG when @insn_cnt exceeds 1,000,000;
 * -EOPNOTSUPP when the requested engine does not exist on this host;
 * -ENOMEM.
 */
UBF_API int ubf_prog_load(struct ubf_prog **progp, const struct ubf_raw_insn *insns,
			  size_t insn_cnt, const struct ubf_prog_opts *opts);

/**
 * ubf_prog_free() - free a program; accepts NULL and half-built programs
 */
UBF_API void ubf_prog_free(struct ubf_prog *prog);

/**
 * ubf_prog_run() - run a program once
 * @prog:   loaded program
 * @mem:    r1 on entry; a checked run may read and write @mem_sz bytes there
 * @mem_sz: r2 on entry
 * @r0:     on success, the program's return value
 * @opts:   may be NULL
 *
 * Safe to call from many threads at once; each call has its own stack.
 *
 * Return: 0; -EFAULT when a checked run touched memory outside its regions
 * or called something that does not exist; -E2BIG when it exceeded its
 * instruction budget or call depth.  @opts->diag names the instruction and
 * the address.
 */
UBF_API int ubf_prog_run(const struct ubf_prog *prog, void *mem, size_t mem_sz, uint64_t *r0,
			 const struct ubf_run_opts *opts);

/* A program's native code, called directly: see ubf_prog_native_fn(). */
typedef uint64_t (*ubf_native_fn)(void *mem, size_t mem_sz);

/**
 * ubf_prog_native_fn() - the JIT's code as a plain C function, when it can be one
 * @prog: loaded program
 *
 * Trusted native code that calls nothing and reads neither a stack frame,
 * packet data (LD_ABS/LD_IND) nor a may_goto budget needs no run-time
 * context at all.  For such a program this returns its code as a function
 * of (r1, r2): calling it is the same as ubf_prog_run() with no options,
 * without the argument checks, for embedders that call a small program
 * millions of times.  The pointer stays valid until ubf_prog_free(@prog).
 *
 * Return: the function; NULL when @prog is NULL, runs in the interpreter
 * or the checked mode, or needs a context (use ubf_prog_run() then).
 */
UBF_API ubf_native_fn ubf_prog_native_fn(const struct ubf_prog *prog);

/* Getters. */
UBF_API size_t ubf_prog_insn_cnt(const struct ubf_prog *prog);
UBF_API const struct ubf_raw_insn *ubf_prog_insns(const struct ubf_prog *prog);
UBF_API enum ubf_engine ubf_prog_engine(const struct ubf_prog *prog);
UBF_API bool ubf_prog_is_checked(const struct ubf_prog *prog);

/**
 * ubf_prog_jit_code() - the native code the JIT generated for a program
 * @prog:    loaded program
 * @code:    on success, the start of the code (its entry point)
 * @code_sz: on success, its size in bytes: prologue, body, epilogue and
 *           out-of-line stubs, without the trap padding after them
 *
 * For dumps and disassemblers.  The code is read-only and stays owned by
 * @prog: it is valid until ubf_prog_free(@prog) and must not be written or
 * freed.  Safe to call from many threads at once, also while @prog runs.
 *
 * Return: 0; -EINVAL when an argument is NULL; -ENOENT when @prog runs in
 * the interpreter (there is no native code).
 */
UBF_API int ubf_prog_jit_code(const struct ubf_prog *prog, const void **code, size_t *code_sz);

/**
 * ubf_prog_jit_insn_off() - where an instruction's native code starts
 * @prog: loaded program
 * @idx:  instruction index (8-byte slot); ubf_prog_insn_cnt(@prog) gives
 *        the end of the body, where the epilogue and stubs start
 * @off:  on success, the offset from the code of ubf_prog_jit_code()
 *
 * Instruction @idx's code runs from its offset to the next instruction's.
 * The second slot of an lddw has the offset of its first.  Where the JIT
 * emitted two instructions as one native sequence (for example a mov and
 * an add as one lea), the second has no code of its own: its offset is the
 * end of the pair.  Nothing is allocated; safe to call from many threads.
 *
 * Return: 0; -EINVAL when @prog or @off is NULL or @idx is past
 * ubf_prog_insn_cnt(@prog); -ENOENT when @prog runs in the interpreter.
 */
UBF_API int ubf_prog_jit_insn_off(const struct ubf_prog *prog, size_t idx, size_t *off);

UBF_EXTERN_C_END

#endif /* USERBPF_PROG_H */
