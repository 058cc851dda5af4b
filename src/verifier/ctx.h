/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ctx.h - program types as data, for the verifier: which loads and stores a
 * program may make into its context (and what register type a load gives),
 * the range its return value must lie in, and the helpers it may call.  The
 * tables are in ctx.def; these functions only look them up.  Program type
 * and expected_attach_type use Linux's numbering.
 */
#ifndef UBF_VERIFIER_CTX_H
#define UBF_VERIFIER_CTX_H

#include <stdbool.h>
#include <stdint.h>

/* What a load from the context puts in the destination register. */
enum ubf_ctx_reg {
	UBF_CTX_REG_SCALAR,
	UBF_CTX_REG_PKT,
	UBF_CTX_REG_PKT_END,
	UBF_CTX_REG_PKT_META,
	UBF_CTX_REG_SOCKET,
	UBF_CTX_REG_SOCKET_OR_NULL,
	UBF_CTX_REG_SOCK_COMMON_OR_NULL,
	UBF_CTX_REG_FLOW_KEYS,
	UBF_CTX_REG_TP_BUFFER,
	UBF_CTX_REG_BTF_ARG,		/* typed by the attach target's BTF */
};

/* Kernel objects a pointer reaches whose loads ctx.def's tables decide (UBF_CTX_OBJ rows). */
enum ubf_ctx_obj {
#define UBF_CTX_OBJ(name) UBF_CTX_OBJ_##name,
#include "verifier/ctx.def"
#undef UBF_CTX_OBJ
	UBF_CTX_OBJ_CNT
};

/* The field an allowed access falls in. */
struct ubf_ctx_result {
	enum ubf_ctx_reg reg;		/* meaningful for loads */
	const char *field;		/* uapi field name, e.g. "data_end" */
	uint32_t field_off;		/* where the row allowing it starts */
	uint32_t field_sz;
};

/*
 * ubf_ctx_access - may a program of @prog_type (with @attach, its
 * expected_attach_type) load (@is_write false) or store @size bytes at
 * context offset @off?  0 and *result filled when yes; -EACCES when the
 * context has no such access for this type; -EINVAL for an unknown
 * program type or a size other than 1, 2, 4, 8.
 */
int ubf_ctx_access(uint32_t prog_type, uint32_t attach, int64_t off, uint32_t size,
		   bool is_write, struct ubf_ctx_result *result);

/*
 * ubf_ctx_obj_access - may a program load @size bytes at offset @off of the
 * object @obj points to (a socket, say)?  0 and *result filled when yes;
 * -EACCES when not (every store); -EINVAL for a size other than 1, 2, 4, 8.
 */
int ubf_ctx_obj_access(enum ubf_ctx_obj obj, int64_t off, uint32_t size, bool is_write,
		       struct ubf_ctx_result *result);

/* The name of the context field at @off for diagnostics, or NULL. */
const char *ubf_ctx_field_name(uint32_t prog_type, int64_t off);

/*
 * ubf_ctx_ret_range - the range R0 must lie in when the program exits:
 * 0 and [*lo, *hi] when Linux's check_return_code() checks one; -ENOENT
 * when any value is accepted; -EINVAL for an unknown program type.
 */
int ubf_ctx_ret_range(uint32_t prog_type, uint32_t attach, uint64_t *lo, uint64_t *hi);

/*
 * ubf_ctx_helper_allowed - may a program of @prog_type with @attach (its
 * expected_attach_type) call helper @helper_id?  Linux 6.18's
 * get_func_proto() answer for a privileged GPL program, from ctx.def's
 * helper rows; false for an unknown type or ID.
 */
bool ubf_ctx_helper_allowed(uint32_t prog_type, uint32_t attach, uint32_t helper_id);

/* May a program of @prog_type store into packet data directly? */
bool ubf_ctx_pkt_writable(uint32_t prog_type);

#endif
