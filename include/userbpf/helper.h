/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * helper.h - helper functions a program calls with `call N`, and the
 * environment (struct ubf_env) through which an embedder adds its own.
 * Built-in helpers use Linux's numbering (BPF_FUNC_*); an embedder helper
 * has the same descriptor, so every layer sees it exactly as a built-in.
 */
#ifndef USERBPF_HELPER_H
#define USERBPF_HELPER_H

#include <userbpf/common.h>

UBF_EXTERN_C_BEGIN

struct ubf_run;

/*
 * Every helper has this signature: the five BPF argument registers, then
 * the run that called it.  The return value becomes r0.
 */
typedef uint64_t (*ubf_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				  struct ubf_run *run);

/* What an argument must be (the verifier checks calls against these). */
enum ubf_arg_type {
	UBF_ARG_NONE = 0,	/* unused argument */
	UBF_ARG_ANYTHING,	/* any initialised scalar or pointer */
	UBF_ARG_SCALAR,		/* an initialised scalar */
	UBF_ARG_CONST_MAP_PTR,	/* a map loaded with lddw */
	UBF_ARG_MAP_KEY,	/* key_size readable bytes */
	UBF_ARG_MAP_VALUE,	/* value_size readable bytes */
	UBF_ARG_MAP_VALUE_UNINIT,	/* value_size writable bytes the helper fills */
	UBF_ARG_MEM,		/* readable memory; size in the next argument */
	UBF_ARG_MEM_OR_NULL,	/* as UBF_ARG_MEM, or NULL */
	UBF_ARG_MEM_UNINIT,	/* writable memory the helper fills; size in the next argument */
	UBF_ARG_SIZE,		/* constant size > 0 of the previous argument */
	UBF_ARG_SIZE_OR_ZERO,	/* constant size >= 0 of the previous argument */
	UBF_ARG_CTX,		/* the program's context pointer */
	UBF_ARG_FUNC,		/* a callback: lddw with src 4 */
	UBF_ARG_STACK_OR_NULL,	/* stack memory or NULL */
	UBF_ARG_RINGBUF_MEM,	/* memory returned by ringbuf_reserve (released) */
	UBF_ARG_SPIN_LOCK,	/* a struct bpf_spin_lock inside a map value */
	UBF_ARG_CONST_STR,	/* a NUL-terminated string in read-only map memory */
	UBF_ARG_PTR_TO_LONG,	/* 8 writable bytes */
	UBF_ARG_DYNPTR,		/* an initialised struct bpf_dynptr (16 bytes) */
	UBF_ARG_DYNPTR_UNINIT,	/* 16 writable bytes the helper makes a struct bpf_dynptr */
};

/* What a helper returns. */
enum ubf_ret_type {
	UBF_RET_INTEGER = 0,		/* a scalar */
	UBF_RET_VOID,			/* nothing; r0 is unknown after the call */
	UBF_RET_MAP_VALUE_OR_NULL,	/* pointer to a value of the map argument, or NULL */
	UBF_RET_MEM_OR_NULL,		/* pointer to memory of the size in argument 2, or NULL */
	UBF_RET_DYNPTR_MEM_OR_NULL,	/* pointer to argument-3 bytes of a dynptr's data, or NULL */
};

/* Properties of a helper (flags column of the helper table). */
#define UBF_HF_ACQUIRE (1u << 0)	/* returns a reference that must be released */
#define UBF_HF_RELEASE (1u << 1)	/* releases the reference in its first pointer argument */
#define UBF_HF_PKT_CHANGE (1u << 2)	/* invalidates packet pointers */
#define UBF_HF_MAY_SLEEP (1u << 3)	/* only a sleepable program may call it */
#define UBF_HF_TAIL_CALL (1u << 4)	/* may transfer control to another program */
#define UBF_HF_GPL_ONLY (1u << 5)	/* only a GPL-compatible program may call it */

/**
 * struct ubf_helper_proto - a helper's prototype
 * @ret:   what r0 holds after the call
 * @args:  what r1..r5 must hold
 * @flags: UBF_HF_*
 */
struct ubf_helper_proto {
	enum ubf_ret_type ret;
	enum ubf_arg_type args[5];
	uint32_t flags;
};

/**
 * struct ubf_helper - one helper: Linux ID, name, implementation, prototype
 */
struct ubf_helper {
	int32_t id;
	const char *name;
	ubf_helper_fn fn;
	struct ubf_helper_proto proto;
};

/**
 * struct ubf_env - what programs loaded with it may call: the built-in
 * helpers plus the embedder's.  Opaque.
 *
 * Thread safety: build it on one thread, then share it read-only; it must
 * outlive every program loaded with it.
 */
struct ubf_env;

/**
 * ubf_env_new() - make an environment holding only the built-in helpers
 * @envp: on success, owned by the caller; free with ubf_env_free()
 *
 * Return: 0, or -ENOMEM.
 */
UBF_API int ubf_env_new(struct ubf_env **envp);

/**
 * ubf_env_free() - free an environment; accepts NULL
 */
UBF_API void ubf_env_free(struct ubf_env *env);

/**
 * ubf_env_add_helper() - let programs call @helper by its ID
 * @env:    environment not yet used for a load
 * @helper: copied; @helper->name must stay valid while @env lives
 *
 * An embedder helper with the ID of a built-in one replaces it in @env.
 *
 * Return: 0; -EINVAL for a negative ID, a NULL function or a bad prototype;
 * -EEXIST if @env already has an embedder helper with this ID; -ENOMEM.
 */
UBF_API int ubf_env_add_helper(struct ubf_env *env, const struct ubf_helper *helper);

/**
 * ubf_env_helper() - the helper a program calling `call @id` reaches
 * @env: may be NULL for the built-in helpers only
 *
 * Return: the descriptor, or NULL when there is none.
 */
UBF_API const struct ubf_helper *ubf_env_helper(const struct ubf_env *env, int32_t id);

/**
 * ubf_helper_builtin() - the @idx-th built-in helper, in ID order
 *
 * Return: the descriptor, or NULL when @idx is past the end.
 */
UBF_API const struct ubf_helper *ubf_helper_builtin(size_t idx);

/**
 * ubf_run_cookie() - the cookie the caller passed in struct ubf_run_opts
 * @run: the run a helper was called from
 */
UBF_API void *ubf_run_cookie(const struct ubf_run *run);

UBF_EXTERN_C_END

#endif /* USERBPF_HELPER_H */
