/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vt.h - the one reader of the verifier suite's .vt case files (the format
 * is described in tests/verifier/README), shared by kcheck (the Linux
 * oracle) and run (userbpf's verifier).  It turns each "== NAME" block into
 * a struct vt_case with every name already resolved to its Linux number and
 * hands it to a callback; it neither assembles the code nor loads anything.
 * It also finds an assembled case's subprograms and builds the BTF that
 * declares them (vt_subprog_starts(), vt_func_btf()), the same for both.
 */
#ifndef UBF_TESTS_VERIFIER_VT_H
#define UBF_TESTS_VERIFIER_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <userbpf/insn.h>

#define VT_MAX_MAPS 8
#define VT_MAX_FUNCS 16
#define VT_MAX_ARGS 5
#define VT_RULE_SZ 64

/* "map: TYPE key K value V entries N [flags F] [lock OFF] [inner I]" */
struct vt_map {
	uint32_t type; /* Linux enum bpf_map_type */
	uint32_t key_sz;
	uint32_t value_sz;
	uint32_t max_entries;
	uint32_t flags;	  /* BPF_F_* of BPF_MAP_CREATE */
	int32_t lock_off; /* offset of a struct bpf_spin_lock in the value, or -1 */
	uint32_t inner;	  /* map-in-map: 1 + the earlier map line that is its inner map, 0 none */
};

/* The BTF argument kinds "func:" may give a subprogram. */
enum vt_arg {
	VT_ARG_INT,  /* int */
	VT_ARG_CTX,  /* a pointer to the program type's context */
	VT_ARG_MEM4, /* a pointer to a u32 */
	VT_ARG_MEM8, /* a pointer to a u64 */
};

/* "func: I global|static [ARG...]"; an undeclared subprogram is static, no args. */
struct vt_func {
	bool is_global;
	unsigned arg_cnt;
	enum vt_arg args[VT_MAX_ARGS];
};

/**
 * struct vt_case - one case, valid only during the callback
 * @file, @line:   where its "== NAME" line is
 * @name:          the text after "== "
 * @prog_type:     Linux enum bpf_prog_type ("type:", default socket_filter)
 * @attach:        expected_attach_type ("attach:", default 0)
 * @is_unpriv:     "priv: bpf" (CAP_BPF only) rather than root
 * @license:       "license: TEXT", default "GPL"
 * @is_sleepable:  "flags: sleepable" (BPF_F_SLEEPABLE)
 * @maps:          "map:" lines in order; lddw map_fd[i]/map_value[i] name maps[i]
 * @funcs:         "func:" lines by subprogram ordinal (main is 0)
 * @code:          the program text, one line each, leading blanks removed
 * @expect_accept: "accept:" rather than "reject:"
 * @rule:          the rule id of the verdict line
 * @idx:           "reject: RULE @IDX": the failing instruction; -1 on accept
 * @linux_msg:     "linux:" text Linux's log must contain; "" when absent
 * @notes:         "note:" lines joined by newlines; "" when absent
 * @attach_btf:    "attach_btf: NAME": a kernel FUNC (fentry, fexit, fmod_ret,
 *                 lsm: bpf_lsm_HOOK, iter: bpf_iter_TARGET) or, for tp_btf
 *                 (attach 23), a tracepoint (its btf_trace_NAME typedef);
 *                 "#N" names type id N as it is
 * @attach_btf_id: @attach_btf resolved in the kernel's BTF; 0 without one
 * @needs_kernel_btf: "attach_btf:" or "kernel_btf: needed": the verdict
 *                 depends on the kernel's BTF; without it the case is skipped
 */
struct vt_case {
	const char *file;
	unsigned line;
	const char *name;
	uint32_t prog_type;
	uint32_t attach;
	bool is_unpriv;
	char license[32];
	bool is_sleepable;
	struct vt_map maps[VT_MAX_MAPS];
	unsigned map_cnt;
	struct vt_func funcs[VT_MAX_FUNCS];
	const char *code;
	size_t code_len;
	bool expect_accept;
	char rule[VT_RULE_SZ];
	int64_t idx;
	const char *linux_msg;
	const char *notes;
	char attach_btf[64];
	uint32_t attach_btf_id;
	bool needs_kernel_btf;
};

typedef int (*vt_case_fn)(const struct vt_case *c, void *ctx);

/**
 * vt_read_file() - read one .vt file and call @fn for each complete case
 * @path:   the file
 * @fn:     called once per case that has code and a verdict; a negative
 *          return stops the reading and becomes vt_read_file()'s result
 * @ctx:    passed to @fn
 * @errors: incremented once per line that cannot be read and per case that
 *          lacks code: or accept:/reject: (each reported on stderr as
 *          "FILE:LINE: what is wrong"), and when the file cannot be opened
 *
 * A case with an unreadable line is still passed to @fn, without what that
 * line said.  Return: 0, -errno when the file cannot be read or memory runs
 * out, or @fn's negative return.
 */
int vt_read_file(const char *path, vt_case_fn fn, void *ctx, unsigned *errors);

struct btf;
struct bpf_func_info;

/*
 * vt_kernel_btf() - the kernel's BTF, read once: the file UBF_VMLINUX_BTF
 * names, else /sys/kernel/btf/vmlinux; NULL when there is none.
 */
const struct btf *vt_kernel_btf(void);

/*
 * vt_subprog_starts() - the first instruction of every subprogram of
 * @insns (0, then local call and lddw function targets), in order, at most
 * VT_MAX_FUNCS.  Return: how many.
 */
unsigned vt_subprog_starts(const struct ubf_raw_insn *insns, size_t cnt, uint32_t *starts);

/*
 * vt_func_btf() - BTF with one FUNC per subprogram of @c (main global, the
 * others with the signature and linkage of its func lines) and @fi[0..@n)
 * naming them at @starts.  Return: libbpf's btf (btf__free() it), NULL on
 * failure (an argument kind the program type cannot have, no memory).
 */
struct btf *vt_func_btf(const struct vt_case *c, const uint32_t *starts, unsigned n,
			struct bpf_func_info *fi);

#endif /* UBF_TESTS_VERIFIER_VT_H */
