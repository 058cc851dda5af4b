// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_call.c - bpf-to-bpf calls, callbacks and global functions, as Linux
 * verifies them.  The program splits into subprograms at call and callback
 * targets; a static subprogram is walked at every call site in a new frame
 * (its own r10 and stack, r1-r5 the caller's, at most 8 frames), a global
 * one once from its BTF signature, and a helper's callback in a frame whose
 * exit goes back to the helper call, so the walk covers any number of
 * iterations until the states repeat.  After the walk the stack of every
 * call chain is summed (512 bytes at most).  The walk itself is verify.c's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>
#include <bpf/btf.h>

#include <userbpf/isa.h>

#include "isa/isa.h"
#include "verifier/verifier.h"
#include "verifier/walk.h"

#define MAX_TAIL_CALL_STACK 256	/* Linux: frames above a tail call may use this much */
#define MAX_DEPTH_STEPS 1000000u

/* ------------------------------------------------------------ subprograms */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t ubf_vfy_subprog_at(const struct ubf_vfy_env *env, uint32_t insn_idx)
{
	uint32_t lo = 0, hi = env->sub_cnt;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (env->sub[mid].start <= insn_idx)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Subprogram starts: 0, every local call target and every lddw of a function. */
/* Does instruction @i name a subprogram (a local call or an lddw of a function)?  Where: *@target. */
static bool subprog_ref(const struct ubf_vfy_env *env, size_t i, int64_t *target)
{
	const struct ubf_insn_desc *d;

	if (env->row[i] < 0)
		return false;
	d = ubf_vfy_desc(env, i);
	return ((d->kind == UBF_KIND_CALL && d->op == UBF_OP_LOCAL) ||
		(d->kind == UBF_KIND_LDDW && d->op == UBF_OP_FUNC)) &&
	       ubf_isa_branch_target(d, &env->insns[i], i, target);
}

static int collect_starts(struct ubf_vfy_env *env, uint32_t *starts, uint32_t *n)
{
	size_t i;
	int64_t target;

	starts[(*n)++] = 0;
	for (i = 0; i < env->cnt; i++) {
		if (!subprog_ref(env, i, &target))
			continue;
		if (*n == UBF_VFY_MAX_SUBPROGS)
			return ubf_vfy_rej(env, (uint32_t)i, "call.target",
					   "too many subprograms: more than %u", UBF_VFY_MAX_SUBPROGS);
		starts[(*n)++] = (uint32_t)target;
	}
	qsort(starts, *n, sizeof(*starts), cmp_u32);
	return 0;
}

/* Jumps stay in their subprogram, and each subprogram ends in exit or ja. */
static int check_bounds(struct ubf_vfy_env *env)
{
	uint32_t s, i, last;
	int64_t target;

	for (s = 0; s < env->sub_cnt; s++) {
		struct ubf_vfy_subprog *sp = &env->sub[s];
		const struct ubf_insn_desc *d;

		for (i = sp->start; i < sp->end; i++) {
			if (env->row[i] < 0)
				continue;
			d = ubf_vfy_desc(env, i);
			if (d->kind == UBF_KIND_CALL && d->op == UBF_OP_HELPER &&
			    (ubf_vfy_helper_takes_callback(env->insns[i].imm) ||
			     env->insns[i].imm == BPF_FUNC_tail_call))
				env->is_prune[i] = 1;
			if (d->kind == UBF_KIND_CALL && d->op == UBF_OP_HELPER &&
			    env->insns[i].imm == BPF_FUNC_tail_call)
				sp->has_tail_call = 1;
			if (d->kind != UBF_KIND_JMP && d->kind != UBF_KIND_JA &&
			    d->kind != UBF_KIND_MAY_GOTO)
				continue;
			if (!ubf_isa_branch_target(d, &env->insns[i], i, &target))
				continue;
			if (target < sp->start || target >= sp->end)
				return ubf_vfy_rej(env, i, "cfg.jump_out_of_range",
						   "jump out of range from insn %u to %" PRId64, i,
						   target);
		}
		last = sp->end - 1;
		if (env->row[last] < 0)
			last--;
		d = ubf_vfy_desc(env, last);
		if (d->kind != UBF_KIND_EXIT && d->kind != UBF_KIND_JA)
			return ubf_vfy_rej(env, last, "cfg.fall_off", "last insn is not an exit or jmp");
	}
	return 0;
}

static int ptr_arg(struct ubf_vfy_env *env, struct ubf_vfy_subprog *sp, unsigned a,
		   const struct btf_type *t)
{
	static const struct {
		uint32_t type;
		const char *name;
	} ctx_structs[] = {
		{ BPF_PROG_TYPE_SOCKET_FILTER, "__sk_buff" },
		{ BPF_PROG_TYPE_SCHED_CLS, "__sk_buff" },
		{ BPF_PROG_TYPE_SCHED_ACT, "__sk_buff" },
		{ BPF_PROG_TYPE_CGROUP_SKB, "__sk_buff" },
		{ BPF_PROG_TYPE_LWT_IN, "__sk_buff" },
		{ BPF_PROG_TYPE_LWT_OUT, "__sk_buff" },
		{ BPF_PROG_TYPE_LWT_XMIT, "__sk_buff" },
		{ BPF_PROG_TYPE_SK_SKB, "__sk_buff" },
		{ BPF_PROG_TYPE_XDP, "xdp_md" },
		{ BPF_PROG_TYPE_CGROUP_SOCK, "bpf_sock" },
		{ BPF_PROG_TYPE_SOCK_OPS, "bpf_sock_ops" },
		{ BPF_PROG_TYPE_CGROUP_DEVICE, "bpf_cgroup_dev_ctx" },
		{ BPF_PROG_TYPE_CGROUP_SYSCTL, "bpf_sysctl" },
		{ BPF_PROG_TYPE_CGROUP_SOCKOPT, "bpf_sockopt" },
		{ BPF_PROG_TYPE_SK_LOOKUP, "bpf_sk_lookup" },
		{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "bpf_sock_addr" },
		{ BPF_PROG_TYPE_KPROBE, "pt_regs" },
		{ BPF_PROG_TYPE_PERF_EVENT, "bpf_perf_event_data" },
	};
	const struct btf *btf = env->in->btf;
	int32_t id = btf__resolve_type(btf, t->type);
	const struct btf_type *pt = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	const char *name = pt ? btf__name_by_offset(btf, pt->name_off) : NULL;
	int64_t sz;
	size_t i;

	for (i = 0; pt && name && i < UBF_ARRAY_SIZE(ctx_structs); i++) {
		if (ctx_structs[i].type == env->in->prog_type && btf_is_struct(pt) &&
		    !strcmp(ctx_structs[i].name, name)) {
			sp->args[a] = UBF_VFY_ARG_CTX;
			return 0;
		}
	}
	sz = pt && (btf_is_int(pt) || btf_is_enum(pt) || btf_is_struct(pt)) ?
		     btf__resolve_size(btf, (uint32_t)id) : -1;
	if (sz <= 0 || sz >= UBF_VFY_MAX_VAR_OFF)
		return ubf_vfy_rej(env, sp->start, "call.global",
				   "arg#%u pointer type must point to scalar, or struct with scalar", a);
	sp->args[a] = UBF_VFY_ARG_MEM;
	sp->arg_sz[a] = (uint32_t)sz;
	return 0;
}

/* A global function's signature from its FUNC_PROTO. */
static int global_sig(struct ubf_vfy_env *env, struct ubf_vfy_subprog *sp,
		      const struct btf_type *proto)
{
	const struct btf *btf = env->in->btf;
	const struct btf_param *p = btf_params(proto);
	unsigned a, n = btf_vlen(proto);
	int err;

	if (n > 5)
		return ubf_vfy_rej(env, sp->start, "call.global",
				   "Global function has %u > 5 args", n);
	sp->arg_cnt = (uint8_t)n;
	for (a = 0; a < n; a++) {
		int32_t id = btf__resolve_type(btf, p[a].type);
		const struct btf_type *t = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;

		if (t && (btf_is_int(t) || btf_is_enum(t))) {
			sp->args[a] = UBF_VFY_ARG_INT;
			continue;
		}
		if (!t || !btf_is_ptr(t))
			return ubf_vfy_rej(env, sp->start, "call.global",
					   "arg#%u type is not supported in a global function", a);
		err = ptr_arg(env, sp, a, t);
		if (err)
			return err;
	}
	return 0;
}

/* func_info: which subprograms are global, and their signatures. */
static int read_func_info(struct ubf_vfy_env *env)
{
	const struct ubf_verify_input *in = env->in;
	uint32_t s;

	if (!in->btf || !in->func_info || !in->func_info_cnt)
		return 0;
	if (in->func_info_cnt != env->sub_cnt)
		return ubf_vfy_rej(env, UBF_DIAG_NO_INSN, "call.func_info",
				   "number of funcs in func_info (%zu) doesn't match number of subprogs (%u)",
				   in->func_info_cnt, env->sub_cnt);
	for (s = 0; s < env->sub_cnt; s++) {
		const struct bpf_func_info *fi = &in->func_info[s];
		const struct btf_type *t = btf__type_by_id(in->btf, fi->type_id);
		const struct btf_type *proto;
		int err;

		if (fi->insn_off != env->sub[s].start || !t || !btf_is_func(t))
			return ubf_vfy_rej(env, env->sub[s].start, "call.func_info",
					   "func_info[%u] does not name subprogram %u as a FUNC", s, s);
		if (!s || btf_vlen(t) != BTF_FUNC_GLOBAL)
			continue;
		proto = btf__type_by_id(in->btf, t->type);
		if (!proto || !btf_is_func_proto(proto))
			return ubf_vfy_rej(env, env->sub[s].start, "call.func_info",
					   "func_info[%u]: FUNC without FUNC_PROTO", s);
		env->sub[s].is_global = 1;
		err = global_sig(env, &env->sub[s], proto);
		if (err)
			return err;
	}
	return 0;
}

int ubf_vfy_subprogs(struct ubf_vfy_env *env)
{
	uint32_t starts[UBF_VFY_MAX_SUBPROGS], n = 0, i;
	int err = collect_starts(env, starts, &n);

	if (err)
		return err;
	env->sub = calloc(n, sizeof(*env->sub));
	if (!env->sub)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (i && starts[i] == starts[i - 1])
			continue;
		env->sub[env->sub_cnt++].start = starts[i];
	}
	for (i = 0; i < env->sub_cnt; i++)
		env->sub[i].end = i + 1 < env->sub_cnt ? env->sub[i + 1].start : (uint32_t)env->cnt;
	err = check_bounds(env);
	return err ? err : read_func_info(env);
}

void ubf_vfy_stack_used(struct ubf_vfy_env *env, const struct ubf_vreg *p, uint32_t depth)
{
	const struct ubf_vstate *st = env->st;
	uint32_t sub = p->map < st->frame_cnt ? st->caller[p->map].info.subprog :
						st->frame.subprog;

	if (depth > env->sub[sub].depth)
		env->sub[sub].depth = depth;
	if (depth > env->stack_depth)
		env->stack_depth = depth;
}

/* ------------------------------------------------------------ frames */

/* Save the current frame as a caller and start an empty one running @sub. */
static int push_frame(struct ubf_vfy_env *env, struct ubf_vstate *st, uint32_t idx, uint32_t sub,
		      uint32_t kind)
{
	struct ubf_vframe *f;
	unsigned i;

	if (st->frame_cnt + 1 >= UBF_VFY_MAX_FRAMES)
		return ubf_vfy_rej(env, idx, "call.depth", "the call stack of %u frames is too deep",
				   st->frame_cnt + 2);
	f = &st->caller[st->frame_cnt];
	memcpy(f->regs, st->regs, sizeof(f->regs));
	memcpy(f->stack, st->stack, sizeof(f->stack));
	f->info = st->frame;
	st->frame_cnt++;
	memset(st->stack, 0, sizeof(st->stack));
	st->frame.callsite = idx;
	st->frame.subprog = sub;
	st->frame.kind = kind;
	st->frame.ref_cnt = st->ref_cnt;
	st->frame.lock_map = st->lock_map;
	for (i = 0; i < UBF_VFY_REGS; i++)
		if (i == 0 || i > 5)
			memset(&st->regs[i], 0, sizeof(st->regs[i]));
	ubf_vfy_reg_ptr(&st->regs[10], UBF_VREG_STACK, 0);
	st->regs[10].map = st->frame_cnt;
	st->insn_idx = env->sub[sub].start;
	return 0;
}

/* Back to the caller: its registers and stack, with @r0 as the callee's result. */
static void pop_frame(struct ubf_vstate *st)
{
	struct ubf_vframe *f = &st->caller[--st->frame_cnt];

	memcpy(st->regs, f->regs, sizeof(st->regs));
	memcpy(st->stack, f->stack, sizeof(st->stack));
	st->frame = f->info;
}

/* A subprogram's name from func_info, "" without one (Linux's "func#1 ('name')"). */
static const char *sub_name(const struct ubf_vfy_env *env, uint32_t sub)
{
	const struct ubf_verify_input *in = env->in;
	const struct btf_type *t;
	const char *name;

	if (!in->btf || !in->func_info || sub >= in->func_info_cnt)
		return "";
	t = btf__type_by_id(in->btf, in->func_info[sub].type_id);
	name = t ? btf__name_by_offset(in->btf, t->name_off) : NULL;
	return name ? name : "";
}

/* A call to a global function: the arguments against its signature, r0 an unknown scalar. */
static int call_global(struct ubf_vfy_env *env, uint32_t idx, uint32_t sub)
{
	const struct ubf_vfy_subprog *sp = &env->sub[sub];
	struct ubf_vstate *st = env->st;
	unsigned a;
	int err;

	if (st->lock_map)
		return ubf_vfy_rej(env, idx, "lock.call_held",
				   "global function calls are not allowed while holding a lock,\n"
				   "use static function instead");
	for (a = 0; a < sp->arg_cnt; a++) {
		const struct ubf_vreg *r = &st->regs[a + 1];

		err = ubf_vfy_check_read(env, idx, a + 1, "reg.uninit_read");
		if (err)
			return err;
		switch (sp->args[a]) {
		case UBF_VFY_ARG_INT:
			if (r->type != UBF_VREG_SCALAR)
				return ubf_vfy_rej(env, idx, "call.global", "R%u is not a scalar\n"
						   "Caller passes invalid args into func#%u ('%s')",
						   a + 1, sub, sub_name(env, sub));
			break;
		case UBF_VFY_ARG_CTX:
			if (r->type != UBF_VREG_CTX || r->off || !ubf_scalar_is_const(&r->s))
				return ubf_vfy_rej(env, idx, "call.global",
						   "arg#%u expects pointer to ctx\n"
						   "Caller passes invalid args into func#%u ('%s')",
						   a, sub, sub_name(env, sub));
			break;
		case UBF_VFY_ARG_MEM:
			/* the callee may read and write all of it: both are checked */
			err = ubf_vfy_check_mem_arg(env, idx, a + 1, sp->arg_sz[a], 0, 1,
						    "call.global");
			err = err ? err : ubf_vfy_check_mem_arg(env, idx, a + 1, sp->arg_sz[a], 1,
								1, "call.global");
			if (err) {
				env->out->diag.id = "call.global";
				snprintf(env->out->diag.msg, sizeof(env->out->diag.msg),
					 "Caller passes invalid args into func#%u ('%s')", sub,
					 sub_name(env, sub));
				if (env->in->log_level)
					ubf_vfy_log(env, "%s\n", env->out->diag.msg);
				return err;
			}
			break;
		}
	}
	for (a = 1; a <= 5; a++)
		memset(&st->regs[a], 0, sizeof(st->regs[a]));
	ubf_vfy_reg_unknown(&st->regs[0]);
	return 0;
}

int ubf_vfy_check_call(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_raw_insn *in)
{
	uint32_t target = (uint32_t)((int64_t)idx + 1 + in->imm);
	uint32_t sub = ubf_vfy_subprog_at(env, target);
	struct ubf_vstate *st = env->st;

	if (env->sub[sub].is_global)
		return call_global(env, idx, sub);
	return push_frame(env, st, idx, sub, UBF_VFRAME_STATIC);
}

/* ------------------------------------------------------------ callbacks */

/* What a callback-taking helper passes its callback (Linux's set_*_callback_state). */
enum cb_kind { CB_LOOP, CB_MAP_ELEM, CB_DRAIN };

static const struct {
	int32_t helper;
	uint8_t kind;
} cb_sigs[] = {
	{ BPF_FUNC_loop, CB_LOOP },			/* cb(u32 index, void *ctx) */
	{ BPF_FUNC_for_each_map_elem, CB_MAP_ELEM },	/* cb(map, key, value, ctx) */
	{ BPF_FUNC_user_ringbuf_drain, CB_DRAIN },	/* cb(struct bpf_dynptr *, ctx) */
};

static int set_cb_args(struct ubf_vfy_env *env, struct ubf_vstate *st, uint32_t idx,
		       int32_t helper_id, int map)
{
	const struct ubf_vreg *caller = st->caller[st->frame_cnt - 1].regs;
	unsigned r;
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(cb_sigs); i++)
		if (cb_sigs[i].helper == helper_id)
			break;
	/* every helper.def row with a callback and modelled arguments is in cb_sigs */
	if (i == UBF_ARRAY_SIZE(cb_sigs))
		return ubf_vfy_rej_inval(env, idx, "helper.unknown",
					 "invalid func unknown#%d (its callback's arguments are "
					 "not modelled)", helper_id);
	for (r = 1; r <= 5; r++)
		memset(&st->regs[r], 0, sizeof(st->regs[r]));
	switch (cb_sigs[i].kind) {
	case CB_LOOP:
		ubf_vfy_reg_scalar(&st->regs[1], ubf_scalar_from_urange(0, UINT32_MAX));
		st->regs[2] = caller[3];
		break;
	case CB_MAP_ELEM:
		st->regs[1] = caller[1];
		ubf_vfy_reg_ptr(&st->regs[2], UBF_VREG_MAP_KEY, 0);
		st->regs[2].map = (uint32_t)map;
		ubf_vfy_reg_ptr(&st->regs[3], UBF_VREG_MAP_VALUE, 0);
		st->regs[3].map = (uint32_t)map;
		st->regs[4] = caller[3];
		break;
	case CB_DRAIN:
		/* dynptrs are not modelled: a scalar, which cannot be dereferenced */
		ubf_vfy_reg_unknown(&st->regs[1]);
		st->regs[2] = caller[3];
		break;
	}
	return 0;
}

int ubf_vfy_enter_callback(struct ubf_vfy_env *env, uint32_t idx, int32_t helper_id,
			   const struct ubf_vreg *fn, int map)
{
	struct ubf_vstate *cb = env->tmp;
	int err;

	ubf_vfy_state_copy(cb, env->st);
	cb->is_cb_return = 0;
	err = push_frame(env, cb, idx, ubf_vfy_subprog_at(env, fn->map), UBF_VFRAME_CALLBACK);
	err = err ? err : set_cb_args(env, cb, idx, helper_id, map);
	return err ? err : ubf_vfy_push_path(env, cb, idx);
}

/* ------------------------------------------------------------ exits */

static int exit_callback(struct ubf_vfy_env *env, uint32_t idx)
{
	struct ubf_vstate *st = env->st;
	const struct ubf_vreg *r0 = &st->regs[0];
	char smin[32], smax[32];
	uint32_t callsite;

	snprintf(smin, sizeof(smin), " smin=%" PRId64, r0->s.smin);
	snprintf(smax, sizeof(smax), " smax=%" PRId64, r0->s.smax);

	if (r0->type != UBF_VREG_SCALAR)
		return ubf_vfy_rej(env, idx, "callback.ret", "R0 not a scalar value");
	ubf_vfy_precise(env, 0);
	/* Linux names only the bounds it knows */
	if (r0->s.smin < 0 || r0->s.smax > 1)
		return ubf_vfy_rej(env, idx, "callback.ret",
				   "At callback return the register R0 has%s%s%s should have been in [0, 1]",
				   r0->s.smin > INT64_MIN ? smin : "",
				   r0->s.smax < INT64_MAX ? smax : "",
				   r0->s.smin == INT64_MIN && r0->s.smax == INT64_MAX ?
				   " unknown scalar value" : "");
	/* references it acquired stay in the state: the program's exit finds a leak */
	if (st->lock_map != st->frame.lock_map)
		return ubf_vfy_rej(env, idx, "lock.held_at_exit",
				   "BPF_EXIT instruction cannot be used inside bpf_spin_lock-ed region");
	/* the caller's registers are as at the helper call, which runs again */
	callsite = st->frame.callsite;
	pop_frame(st);
	st->insn_idx = callsite;
	st->is_cb_return = 1;
	st->cb_iter++;
	return 0;
}

int ubf_vfy_check_frame_exit(struct ubf_vfy_env *env, uint32_t idx)
{
	struct ubf_vstate *st = env->st;
	struct ubf_vreg r0 = st->regs[0];
	uint32_t callsite = st->frame.callsite;
	unsigned i;

	switch (st->frame.kind) {
	case UBF_VFRAME_GLOBAL:
		if (r0.type != UBF_VREG_SCALAR)
			return ubf_vfy_rej(env, idx, "call.global",
					   "At subprogram exit the register R0 is not a scalar value (%s)",
					   ubf_vfy_type_name(r0.type));
		/* Linux verifies a global function alone: its exit is a main program's */
		if (st->lock_map)
			return ubf_vfy_rej(env, idx, "lock.held_at_exit",
					   "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region");
		if (st->ref_cnt)
			return ubf_vfy_rej(env, idx, "ref.ringbuf_leak",
					   "Unreleased reference id=%u\n"
					   "BPF_EXIT instruction in main prog would lead to reference leak",
					   st->refs[0]);
		return 1;
	case UBF_VFRAME_CALLBACK:
		return exit_callback(env, idx);
	case UBF_VFRAME_MAIN:
	case UBF_VFRAME_STATIC:
		break;
	}
	if (r0.type == UBF_VREG_STACK)
		return ubf_vfy_rej(env, idx, "call.stack_ptr",
				   "cannot return stack pointer to the caller");
	pop_frame(st);
	st->regs[0] = r0;
	for (i = 1; i <= 5; i++)
		memset(&st->regs[i], 0, sizeof(st->regs[i]));
	st->insn_idx = callsite + 1;
	return 0;
}

/* The entry state of global function @sub: its arguments from the signature. */
int ubf_vfy_global_entry(struct ubf_vfy_env *env, uint32_t sub, struct ubf_vstate *st)
{
	const struct ubf_vfy_subprog *sp = &env->sub[sub];
	unsigned a;

	ubf_vfy_state_init(st);
	memset(&st->regs[1], 0, sizeof(st->regs[1]));
	st->frame.kind = UBF_VFRAME_GLOBAL;
	st->frame.subprog = sub;
	st->insn_idx = sp->start;
	for (a = 0; a < sp->arg_cnt; a++) {
		struct ubf_vreg *r = &st->regs[a + 1];

		switch (sp->args[a]) {
		case UBF_VFY_ARG_INT:
			ubf_vfy_reg_unknown(r);
			break;
		case UBF_VFY_ARG_CTX:
			ubf_vfy_reg_ptr(r, UBF_VREG_CTX, 0);
			break;
		case UBF_VFY_ARG_MEM:
			ubf_vfy_reg_ptr(r, UBF_VREG_MEM_OR_NULL, 0);
			r->range = sp->arg_sz[a];
			r->id = ++env->id_gen;
			break;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ stack depth */

static uint32_t frame_sz(uint32_t depth)
{
	return ((depth ? depth : 1) + 31) & ~31u;
}

struct depth_walk {
	uint64_t steps;
	uint32_t max;
};

/*
 * Every call chain from @sub, as Linux's check_max_stack_depth(): the
 * frames above (@above bytes, @frames of them) plus this one's stack must
 * stay within 512 bytes, and 256 above a subprogram that tail calls.
 */
static int chain(struct ubf_vfy_env *env, struct depth_walk *w, uint32_t sub, uint32_t callsite,
		 uint32_t above, uint32_t frames)
{
	const struct ubf_vfy_subprog *sp = &env->sub[sub];
	uint32_t total = above + frame_sz(sp->depth), i;
	int64_t target;
	int err;

	if (++w->steps > MAX_DEPTH_STEPS)
		return ubf_vfy_rej(env, callsite, "limit.complexity", "too many call chains");
	if (frames > UBF_VFY_MAX_FRAMES)
		return ubf_vfy_rej(env, callsite, "call.depth",
				   "the call stack of %u frames is too deep !", frames);
	if (total > UBF_VFY_STACK_SZ)
		return ubf_vfy_rej(env, callsite, "call.stack_size",
				   "combined stack size of %u calls is %u. Too large", frames, total);
	if (sp->has_tail_call && sub && above > MAX_TAIL_CALL_STACK)
		return ubf_vfy_rej(env, callsite, "tail.subprog",
				   "tail_calls are not allowed when call stack of previous frames is %u bytes. Too large",
				   above);
	if (total > w->max)
		w->max = total;
	for (i = sp->start; i < sp->end; i++) {
		if (!subprog_ref(env, i, &target))
			continue;
		/* a global function's stack is its own: Linux verifies it as a separate root */
		if (env->sub[ubf_vfy_subprog_at(env, (uint32_t)target)].is_global)
			continue;
		err = chain(env, w, ubf_vfy_subprog_at(env, (uint32_t)target), i, total,
			    frames + 1);
		if (err)
			return err;
	}
	return 0;
}

int ubf_vfy_check_stack_depth(struct ubf_vfy_env *env)
{
	struct depth_walk w = { 0, 0 };
	uint32_t s;
	int err = chain(env, &w, 0, 0, 0, 1);

	for (s = 1; !err && s < env->sub_cnt; s++)
		if (env->sub[s].is_global)
			err = chain(env, &w, s, env->sub[s].start, 0, 1);
	if (!err)
		env->stack_depth = w.max;
	return err;
}
