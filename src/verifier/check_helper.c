// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_helper.c - helper calls checked against their prototypes in
 * helpers.def, every Linux helper's, whether userbpf runs it or not (a load
 * that runs its program refuses the others before the verifier): which
 * program types may call which helper, each argument kind (memory and its
 * size, maps, context, references, sockets), the return value (socket
 * lookups acquire a reference, sk_release releases it), spin locks, and the
 * program's exit (references, return range).  A helper whose prototype
 * has a kind this file does not check is treated as unknown.  Callbacks
 * and bpf-to-bpf calls are in check_call.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <userbpf/helper.h>
#include <userbpf/isa.h>

#include "helpers/helpers.h"
#include "isa/isa.h"
#include "verifier/ctx.h"
#include "verifier/verifier.h"
#include "verifier/walk.h"

/* ------------------------------------------------------------ helper table */

struct ubf_vfy_helper {
	int32_t id;
	const char *name;
	uint8_t ret;
	uint8_t args[5];
	uint32_t flags;
};

static const struct ubf_vfy_helper helpers[] = {
#define X(id_, name_, ret_, a1, a2, a3, a4, a5, fl)                                        \
	{ id_, #name_, UBF_RET_##ret_, { UBF_ARG_##a1, UBF_ARG_##a2, UBF_ARG_##a3, UBF_ARG_##a4, \
					  UBF_ARG_##a5 }, fl },
#define P X
#include "helpers/helpers.def"
#undef P
#undef X
};

enum {
#define X(id_, name_, ...) HELPER_IDX_##name_,
#define P X
#include "helpers/helpers.def"
#undef P
#undef X
};

static const struct ubf_vfy_helper *const helper_by_id[] = {
#define X(id_, name_, ...) [id_] = &helpers[HELPER_IDX_##name_],
#define P X
#include "helpers/helpers.def"
#undef P
#undef X
};

/* The kernel structs of helpers' BTF-typed slots: helpers.def's B rows. */
static const struct {
	uint16_t helper;	/* index in helpers[] */
	uint8_t slot;		/* 0 the return value, 1..5 an argument */
	const char *name;
} btf_slots[] = {
#define X(...)
#define B(name_, slot_, struct_) { HELPER_IDX_##name_, slot_, #struct_ },
#include "helpers/helpers.def"
#undef B
#undef X
};

/* The struct slot @slot of @h points to, or NULL when helpers.def names none. */
static const char *btf_slot(const struct ubf_vfy_helper *h, unsigned slot)
{
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(btf_slots); i++)
		if (&helpers[btf_slots[i].helper] == h && btf_slots[i].slot == slot)
			return btf_slots[i].name;
	return NULL;
}

/* Kinds check_arg() and call_ret() check; Linux's others are not modelled. */
static bool is_modeled_arg(const struct ubf_vfy_helper *h, unsigned i)
{
	unsigned t = h->args[i];

	if (t == UBF_ARG_BTF_ID || t == UBF_ARG_BTF_ID_OR_NULL)
		return btf_slot(h, i + 1);
	/* a local storage's value to start with: checked against the map argument */
	if (t == UBF_ARG_MAP_VALUE_OR_NULL)
		return true;
	return t < UBF_ARG_LINUX_FIRST || t == UBF_ARG_CTX_OR_NULL || t == UBF_ARG_SOCK_COMMON ||
	       t == UBF_ARG_BTF_ID_SOCK_COMMON;
}

static bool is_modeled_ret(const struct ubf_vfy_helper *h)
{
	if (h->ret == UBF_RET_BTF_ID || h->ret == UBF_RET_BTF_ID_TRUSTED)
		return btf_slot(h, 0);
	return h->ret < UBF_RET_LINUX_FIRST || h->ret == UBF_RET_MAP_VALUE ||
	       h->ret == UBF_RET_SOCKET_OR_NULL || h->ret == UBF_RET_TCP_SOCK_OR_NULL ||
	       h->ret == UBF_RET_SOCK_COMMON_OR_NULL;
}

/* The helper with Linux ID @id when its prototype is one this file checks, else NULL. */
static const struct ubf_vfy_helper *helper_find(int32_t id)
{
	const struct ubf_vfy_helper *h;
	unsigned i;

	if (id < 0 || (size_t)id >= UBF_ARRAY_SIZE(helper_by_id) || !helper_by_id[id])
		return NULL;
	h = helper_by_id[id];
	for (i = 0; i < 5; i++)
		if (!is_modeled_arg(h, i))
			return NULL;
	return is_modeled_ret(h) ? h : NULL;
}

/* Helpers Linux gives only to loaders with CAP_PERFMON as well as CAP_BPF. */
static bool needs_perfmon(int32_t id)
{
	return id == BPF_FUNC_trace_printk || id == BPF_FUNC_probe_read_kernel ||
	       id == BPF_FUNC_probe_read_kernel_str;
}

/* Linux 6.2 additions the ABI headers userbpf builds with lack. */
#define MAP_TYPE_CGRP_STORAGE 32
#define FUNC_CGRP_STORAGE_GET 210
#define FUNC_CGRP_STORAGE_DELETE 211

/*
 * Linux may_update_sockmap(): where a program may update or delete sockmap
 * entries through the generic helpers (no locked socket is reachable there).
 */
static bool may_update_sockmap(const struct ubf_vfy_env *env, int32_t helper_id)
{
	if (helper_id != BPF_FUNC_map_update_elem && helper_id != BPF_FUNC_map_delete_elem)
		return false;
	switch (env->in->prog_type) {
	case BPF_PROG_TYPE_TRACING:
		return env->in->attach == BPF_TRACE_ITER;
	case BPF_PROG_TYPE_SOCK_OPS:
		return helper_id == BPF_FUNC_map_delete_elem;
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_SK_REUSEPORT:
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
	case BPF_PROG_TYPE_SK_LOOKUP:
		return true;
	default:
		return false;
	}
}

/* A local storage's own get/delete helpers (and bpf_kptr_xchg on its values). */
static bool storage_fits(int32_t helper_id, int32_t get, int32_t del)
{
	return helper_id == get || helper_id == del || helper_id == BPF_FUNC_kptr_xchg;
}

/*
 * The first half of Linux's check_map_func_compatibility(): the helpers a
 * map type admits.  Types without a case admit every helper the second
 * half (map_fits_helper()) lets through.
 */
static bool map_admits(const struct ubf_vfy_env *env, uint32_t map_type, int32_t id)
{
	switch (map_type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
		return id == BPF_FUNC_tail_call;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return id == BPF_FUNC_perf_event_read || id == BPF_FUNC_perf_event_output ||
		       id == BPF_FUNC_skb_output || id == BPF_FUNC_perf_event_read_value ||
		       id == BPF_FUNC_xdp_output;
	case BPF_MAP_TYPE_RINGBUF:
		return id == BPF_FUNC_ringbuf_output || id == BPF_FUNC_ringbuf_reserve ||
		       id == BPF_FUNC_ringbuf_query || id == BPF_FUNC_ringbuf_reserve_dynptr ||
		       id == BPF_FUNC_ringbuf_submit_dynptr || id == BPF_FUNC_ringbuf_discard_dynptr;
	case BPF_MAP_TYPE_USER_RINGBUF:
		return id == BPF_FUNC_user_ringbuf_drain;
	case BPF_MAP_TYPE_STACK_TRACE:
		return id == BPF_FUNC_get_stackid;
	case BPF_MAP_TYPE_CGROUP_ARRAY:
		return id == BPF_FUNC_skb_under_cgroup || id == BPF_FUNC_current_task_under_cgroup;
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return id == BPF_FUNC_get_local_storage;
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_XSKMAP:
		return id == BPF_FUNC_redirect_map || id == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_CPUMAP:
		return id == BPF_FUNC_redirect_map;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return id == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_SOCKMAP:
		return id == BPF_FUNC_sk_redirect_map || id == BPF_FUNC_sock_map_update ||
		       id == BPF_FUNC_msg_redirect_map || id == BPF_FUNC_sk_select_reuseport ||
		       id == BPF_FUNC_map_lookup_elem || may_update_sockmap(env, id);
	case BPF_MAP_TYPE_SOCKHASH:
		return id == BPF_FUNC_sk_redirect_hash || id == BPF_FUNC_sock_hash_update ||
		       id == BPF_FUNC_msg_redirect_hash || id == BPF_FUNC_sk_select_reuseport ||
		       id == BPF_FUNC_map_lookup_elem || may_update_sockmap(env, id);
	case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
		return id == BPF_FUNC_sk_select_reuseport;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return id == BPF_FUNC_map_peek_elem || id == BPF_FUNC_map_pop_elem ||
		       id == BPF_FUNC_map_push_elem;
	case BPF_MAP_TYPE_SK_STORAGE:
		return storage_fits(id, BPF_FUNC_sk_storage_get, BPF_FUNC_sk_storage_delete);
	case BPF_MAP_TYPE_INODE_STORAGE:
		return storage_fits(id, BPF_FUNC_inode_storage_get, BPF_FUNC_inode_storage_delete);
	case BPF_MAP_TYPE_TASK_STORAGE:
		return storage_fits(id, BPF_FUNC_task_storage_get, BPF_FUNC_task_storage_delete);
	case MAP_TYPE_CGRP_STORAGE:
		return storage_fits(id, FUNC_CGRP_STORAGE_GET, FUNC_CGRP_STORAGE_DELETE);
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return id == BPF_FUNC_map_peek_elem || id == BPF_FUNC_map_push_elem;
	case BPF_MAP_TYPE_STRUCT_OPS:
		return false;	/* not created by userbpf; its helpers are kfuncs */
	default:
		return true;
	}
}

/* The second half: the map types each helper with a map argument accepts. */
static bool helper_admits(uint32_t map_type, int32_t helper_id)
{
	switch (helper_id) {
	case BPF_FUNC_tail_call:
		return map_type == BPF_MAP_TYPE_PROG_ARRAY;
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_ringbuf_reserve:
	case BPF_FUNC_ringbuf_query:
	case BPF_FUNC_ringbuf_reserve_dynptr:
	case BPF_FUNC_ringbuf_submit_dynptr:
	case BPF_FUNC_ringbuf_discard_dynptr:
		return map_type == BPF_MAP_TYPE_RINGBUF;
	case BPF_FUNC_user_ringbuf_drain:
		return map_type == BPF_MAP_TYPE_USER_RINGBUF;
	case BPF_FUNC_perf_event_output:
	case BPF_FUNC_perf_event_read:
	case BPF_FUNC_perf_event_read_value:
	case BPF_FUNC_skb_output:
	case BPF_FUNC_xdp_output:
		return map_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	case BPF_FUNC_get_stackid:
		return map_type == BPF_MAP_TYPE_STACK_TRACE;
	case BPF_FUNC_map_push_elem:
	case BPF_FUNC_map_peek_elem:
		return map_type == BPF_MAP_TYPE_QUEUE || map_type == BPF_MAP_TYPE_STACK ||
		       map_type == BPF_MAP_TYPE_BLOOM_FILTER;
	case BPF_FUNC_map_pop_elem:
		return map_type == BPF_MAP_TYPE_QUEUE || map_type == BPF_MAP_TYPE_STACK;
	case BPF_FUNC_map_lookup_percpu_elem:
		return map_type == BPF_MAP_TYPE_PERCPU_ARRAY || map_type == BPF_MAP_TYPE_PERCPU_HASH ||
		       map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	case BPF_FUNC_redirect_map:
		return map_type == BPF_MAP_TYPE_DEVMAP || map_type == BPF_MAP_TYPE_DEVMAP_HASH ||
		       map_type == BPF_MAP_TYPE_CPUMAP || map_type == BPF_MAP_TYPE_XSKMAP;
	case BPF_FUNC_sk_redirect_map:
	case BPF_FUNC_msg_redirect_map:
	case BPF_FUNC_sock_map_update:
		return map_type == BPF_MAP_TYPE_SOCKMAP;
	case BPF_FUNC_sk_redirect_hash:
	case BPF_FUNC_msg_redirect_hash:
	case BPF_FUNC_sock_hash_update:
		return map_type == BPF_MAP_TYPE_SOCKHASH;
	case BPF_FUNC_sk_select_reuseport:
		return map_type == BPF_MAP_TYPE_REUSEPORT_SOCKARRAY ||
		       map_type == BPF_MAP_TYPE_SOCKMAP || map_type == BPF_MAP_TYPE_SOCKHASH;
	case BPF_FUNC_skb_under_cgroup:
	case BPF_FUNC_current_task_under_cgroup:
		return map_type == BPF_MAP_TYPE_CGROUP_ARRAY;
	case BPF_FUNC_get_local_storage:
		return map_type == BPF_MAP_TYPE_CGROUP_STORAGE ||
		       map_type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
	case BPF_FUNC_sk_storage_get:
	case BPF_FUNC_sk_storage_delete:
		return map_type == BPF_MAP_TYPE_SK_STORAGE;
	case BPF_FUNC_inode_storage_get:
	case BPF_FUNC_inode_storage_delete:
		return map_type == BPF_MAP_TYPE_INODE_STORAGE;
	case BPF_FUNC_task_storage_get:
	case BPF_FUNC_task_storage_delete:
		return map_type == BPF_MAP_TYPE_TASK_STORAGE;
	case FUNC_CGRP_STORAGE_GET:
	case FUNC_CGRP_STORAGE_DELETE:
		return map_type == MAP_TYPE_CGRP_STORAGE;
	default:
		return true;
	}
}

/* Linux's check_map_func_compatibility(): both halves. */
static bool map_fits_helper(const struct ubf_vfy_env *env, uint32_t map_type, int32_t helper_id)
{
	return map_admits(env, map_type, helper_id) && helper_admits(map_type, helper_id);
}

/* ------------------------------------------------------------ helper calls */

struct ubf_vfy_call {
	uint32_t idx;
	const struct ubf_vfy_helper *h;
	int map;		/* map argument's index, -1 none */
	int64_t const_key;	/* the key argument's constant value, -1 unknown */
	uint32_t mem_sz;	/* the constant size argument 2 of a helper returning memory */
	uint64_t size_max;	/* the largest value of the last size argument */
	uint32_t cast_ref;	/* the reference r1 of a UBF_HF_PTR_CAST helper holds */
	const char *rule;	/* rule for argument type errors */
};

/*
 * A constant stack range a helper reads or writes, as a whole, in Linux's
 * order and words (check_stack_range_initialized()): inside the stack,
 * then, for a loader that may not read uninitialised stack, inside what
 * the path has written (a slot deeper than any written is outside), then
 * every byte written.  The byte-by-byte checks of mem_arg() follow.
 */
static int stack_range(struct ubf_vfy_env *env, struct ubf_vfy_call *c, unsigned regno,
		       uint64_t size, int is_write)
{
	const struct ubf_vreg *p = &env->st->regs[regno];
	const struct ubf_vslot *stk = ubf_vfy_stack_of(env->st, p);
	const char *what = is_write ? "write to" : "read from";
	int64_t lo = (int64_t)p->off + (int64_t)p->s.var_off.value, i, low = 0;
	unsigned b;

	if (lo < -UBF_VFY_STACK_SZ || lo + (int64_t)size > 0)
		return ubf_vfy_rej(env, c->idx, "helper.arg_mem",
			   "invalid %s stack R%u off=%" PRId64 " size=%" PRIu64, what, regno, lo,
			   size);
	if (is_write || !ubf_vfy_is_unpriv(env))
		return 0;
	for (i = UBF_VFY_SLOTS - 1; i >= 0; i--)
		for (b = 0; b < 8; b++)
			if (stk[i].type[b] != UBF_VSLOT_INVALID)
				low = i * 8 - UBF_VFY_STACK_SZ;
	if (lo < low)
		return ubf_vfy_rej(env, c->idx, "helper.arg_mem",
			   "invalid %s stack R%u off=%" PRId64 " size=%" PRIu64, what, regno, lo,
			   size);
	for (i = lo; i < lo + (int64_t)size; i++)
		if (stk[(i + UBF_VFY_STACK_SZ) / 8].type[(i + UBF_VFY_STACK_SZ) % 8] ==
		    UBF_VSLOT_INVALID)
			return ubf_vfy_rej(env, c->idx, "helper.arg_mem",
				   "invalid read from stack R%u off %" PRId64 "+%" PRId64
				   " size %" PRIu64, regno, lo, i - lo, size);
	return 0;
}

static int mem_arg(struct ubf_vfy_env *env, struct ubf_vfy_call *c, unsigned regno,
		   uint64_t umax, int is_write, int may_null)
{
	const struct ubf_vreg *p = &env->st->regs[regno];
	struct ubf_vfy_access a = { .idx = c->idx, .regno = regno, .is_write = is_write };
	uint64_t done;
	int err;

	if (may_null && p->type == UBF_VREG_SCALAR && ubf_scalar_is_const(&p->s) &&
	    !p->s.var_off.value) {
		ubf_vfy_precise(env, regno);
		return 0;
	}
	if (p->type != UBF_VREG_STACK && p->type != UBF_VREG_MAP_VALUE &&
	    p->type != UBF_VREG_PACKET && p->type != UBF_VREG_PACKET_META &&
	    p->type != UBF_VREG_MEM && !(p->type == UBF_VREG_MAP_KEY && !is_write))
		return ubf_vfy_rej(env, c->idx, p->type == UBF_VREG_NOT_INIT ? "reg.uninit_read" : c->rule,
			   "R%u type=%s expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_",
			   regno,
			   ubf_vfy_type_name(p->type));
	if (p->type == UBF_VREG_STACK && !ubf_scalar_is_const(&p->s))
		return ubf_vfy_rej(env, c->idx, "helper.arg_mem",
			   "R%u variable-offset stack memory passed to a helper", regno);
	if (p->type == UBF_VREG_STACK && umax) {
		err = stack_range(env, c, regno, umax, is_write);
		if (err)
			return err;
	}
	/* check byte by byte in 8-byte steps, so alignment rules for loads do not apply */
	for (done = 0; done < umax;) {
		unsigned step = 1;
		int64_t at = (int64_t)p->off + (int64_t)done;

		if (umax - done >= 8 && !((at + (p->type == UBF_VREG_STACK ? 512 : 0)) & 7))
			step = 8;
		a.off = (int32_t)done;
		a.size = step;
		a.val = NULL;
		if (p->type == UBF_VREG_STACK) {
			int64_t lo, hi;

			err = ubf_vfy_stack_bounds(env, &a, p, &lo, &hi);
			if (!err && !is_write) {
				err = ubf_vfy_stack_read(env, &a, p, lo, hi);
				if (err == -EACCES && !strcmp(env->out->diag.id,
							      "stack.partial_fill_ptr") &&
				    !ubf_vfy_is_unpriv(env))
					err = 0;	/* root may pass spilled pointers' bytes */
			}
			if (!err && is_write) {
				struct ubf_vreg unk;

				ubf_vfy_reg_unknown(&unk);
				a.size = step;
				if (step == 8)
					a.val = &unk;
				err = ubf_vfy_stack_write(env, &a, p, lo, hi, &unk);
			}
		} else {
			err = ubf_vfy_check_access(env, &a);
		}
		if (err) {
			env->out->diag.id = env->out->diag.id && !strncmp(env->out->diag.id,
									   "stack.", 6) ?
						    "helper.arg_mem" : env->out->diag.id;
			if (!strcmp(env->out->diag.id, "map.value_oob"))
				env->out->diag.id = "helper.arg_mem";
			return err;
		}
		done += step;
	}
	return 0;
}

/*
 * A lookup in these maps with a constant key below max_entries cannot
 * miss (Linux 6.14+, can_elide_value_nullness()): the value is not NULL.
 * An inner map's template says nothing of the inner maps' sizes.
 */
/* Maps whose values are sockets to programs (Linux's PTR_TO_SOCKET). */
static bool is_sock_map(const struct ubf_verify_map *m)
{
	return m->type == BPF_MAP_TYPE_SOCKMAP || m->type == BPF_MAP_TYPE_SOCKHASH;
}

static int key_elides_null(const struct ubf_verify_map *m)
{
	return (m->type == BPF_MAP_TYPE_ARRAY || m->type == BPF_MAP_TYPE_PERCPU_ARRAY) &&
	       !(m->flags & BPF_F_INNER_MAP);
}

/*
 * The key @p points at, when the stack proves it constant (Linux's
 * get_constant_map_key()): the key's bytes up to the end of its 8-byte
 * slot are known zero (at least @key_sz of them), or exactly @key_sz
 * bytes of a spilled constant scalar start at the key.  The key is then
 * the spilled register's value, as Linux takes it, and the slot becomes
 * precise.  Return: the key, or -1.  ZERO bytes need no precision mark:
 * pruning compares them exactly.
 */
static int64_t const_key(struct ubf_vfy_env *env, const struct ubf_vreg *p, uint32_t key_sz)
{
	const struct ubf_vslot *s;
	int64_t at;
	unsigned b, zero = 0, n_spill;

	if (p->type != UBF_VREG_STACK || !ubf_scalar_is_const(&p->s))
		return -1;
	at = (int64_t)p->off + (int64_t)p->s.var_off.value + UBF_VFY_STACK_SZ;
	if (at < 0 || at >= UBF_VFY_STACK_SZ)
		return -1;
	s = &ubf_vfy_stack_of(env->st, p)[at / 8];
	for (b = (unsigned)(at % 8); b < 8 && s->type[b] == UBF_VSLOT_ZERO; b++)
		zero++;
	if (zero >= key_sz)
		return 0;
	n_spill = ubf_vfy_spill_len(s);
	if (at % 8 >= n_spill || s->spill.type != UBF_VREG_SCALAR || n_spill - at % 8 != key_sz ||
	    !ubf_scalar_is_const(&s->spill.s) ||
	    s->spill.s.var_off.value > INT64_MAX)
		return -1;
	ubf_vfy_precise_slot(env, p->map, (unsigned)(at / 8));
	return (int64_t)s->spill.s.var_off.value;
}

int ubf_vfy_check_mem_arg(struct ubf_vfy_env *env, uint32_t idx, unsigned regno, uint64_t size,
			  int is_write, int may_null, const char *rule)
{
	struct ubf_vfy_call c = { .idx = idx, .map = -1, .const_key = -1, .rule = rule };
	struct ubf_vreg *r = &env->st->regs[regno];
	uint8_t type = r->type;
	int err;

	/*
	 * A pointer that may be null is checked as if it were not, as Linux
	 * does for a global function's argument: the callee checks for null.
	 */
	if (may_null && type == UBF_VREG_MAP_VALUE_OR_NULL)
		r->type = UBF_VREG_MAP_VALUE;
	else if (may_null && type == UBF_VREG_MEM_OR_NULL)
		r->type = UBF_VREG_MEM;
	err = mem_arg(env, &c, regno, size, is_write, may_null);
	r->type = type;
	return err;
}

int ubf_vfy_helper_takes_callback(int32_t id)
{
	const struct ubf_vfy_helper *h = helper_find(id);
	unsigned i;

	for (i = 0; h && i < 5; i++)
		if (h->args[i] == UBF_ARG_FUNC)
			return 1;
	return 0;
}

static int size_arg(struct ubf_vfy_env *env, struct ubf_vfy_call *c, unsigned regno, int may_zero,
		    uint64_t *umax)
{
	const struct ubf_vreg *r = &env->st->regs[regno];

	if (r->type != UBF_VREG_SCALAR)
		return ubf_vfy_rej(env, c->idx, "helper.arg_type", "R%u type=%s expected=scalar", regno,
			   ubf_vfy_type_name(r->type));
	ubf_vfy_precise(env, regno);
	if (r->s.smin < 0)
		return ubf_vfy_rej(env, c->idx, "helper.arg_size",
			   "R%u min value is negative, either use unsigned or 'var &= const'", regno);
	if (!may_zero && r->s.umin == 0)
		return ubf_vfy_rej(env, c->idx, "helper.arg_size",
			   "R%u invalid zero-sized read: u64=[%" PRId64 ",%" PRId64 "]", regno,
			   (int64_t)r->s.umin, (int64_t)r->s.umax);
	if (r->s.umax >= UBF_VFY_MAX_VAR_OFF)
		return ubf_vfy_rej(env, c->idx, "helper.arg_size",
			   "R%u unbounded memory access, use 'var &= const' or 'if (var < const)'",
			   regno);
	*umax = r->s.umax;
	return 0;
}

/*
 * A kernel object argument (Linux's ARG_PTR_TO_BTF_ID, check_reg_type()
 * and check_func_arg_reg_off()): a plain, trusted or RCU BTF pointer,
 * never one that may be NULL or an untrusted one, to the struct the B row
 * names or to a struct having it at the pointer's fixed offset (a nested
 * member, or the first member's chain), at no variable offset.
 */
static int btf_arg(struct ubf_vfy_env *env, struct ubf_vfy_call *c, unsigned regno,
		   const char *want)
{
	const struct ubf_vreg *r = &env->st->regs[regno];
	uint32_t want_id = ubf_vfy_kbtf_struct(env, want);

	if (!want_id || !ubf_vfy_kbtf_is_a(env, r->map, r->off, want_id))
		return ubf_vfy_rej(env, c->idx, "helper.arg_btf", "R%u is of type %s but %s is "
				   "expected", regno, ubf_vfy_kbtf_name(env, r->map), want);
	if (r->off < 0)
		return ubf_vfy_rej(env, c->idx, "btf.negative", "negative offset %s ptr R%u off=%d "
				   "disallowed", ubf_vfy_type_name(r->type), regno, r->off);
	if (!ubf_scalar_is_const(&r->s) || r->s.var_off.value)
		return ubf_vfy_rej(env, c->idx, "btf.var_off", "variable %s access var_off=(%#" PRIx64
				   "; %#" PRIx64 ") disallowed", ubf_vfy_type_name(r->type),
				   r->s.var_off.value, r->s.var_off.mask);
	return 0;
}

/*
 * A socket argument (Linux's sock_types and btf_id_sock_common_types): a
 * socket pointer known not NULL of any kind, or, for a BTF_ID_SOCK_COMMON
 * slot, a BTF pointer to a struct sock_common (or one that starts with it).
 */
static int sock_arg(struct ubf_vfy_env *env, struct ubf_vfy_call *c, unsigned regno, int btf_too)
{
	const struct ubf_vreg *r = &env->st->regs[regno];

	if (ubf_vfy_reg_is_sock(r))
		return 0;
	if (btf_too && (r->type == UBF_VREG_BTF_ID || r->type == UBF_VREG_BTF_TRUSTED))
		return btf_arg(env, c, regno, "sock_common");
	return ubf_vfy_rej(env, c->idx, c->rule, "R%u type=%s expected=sock_common, sock, tcp_sock, "
			   "xdp_sock%s", regno, ubf_vfy_type_name(r->type),
			   btf_too ? ", ptr_, trusted_ptr_" : "");
}

static int check_arg(struct ubf_vfy_env *env, struct ubf_vfy_call *c, unsigned i)
{
	unsigned regno = i + 1, t = c->h->args[i];
	const struct ubf_vreg *r = &env->st->regs[regno];
	const struct ubf_verify_map *m = c->map >= 0 ? &env->in->maps[c->map] : NULL;
	const char *name = ubf_vfy_type_name(r->type);
	uint64_t size = 0;
	int err;

	if (t == UBF_ARG_NONE)
		return 0;
	if (r->type == UBF_VREG_NOT_INIT)
		return ubf_vfy_rej(env, c->idx, c->h->id == 12 ? "tail.args" : "reg.uninit_read",
			   "R%u !read_ok", regno);
	switch (t) {
	case UBF_ARG_ANYTHING:
		if (ubf_vfy_reg_is_ptr(r) && ubf_vfy_is_unpriv(env))
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u leaks addr into helper function", regno);
		return 0;
	case UBF_ARG_SCALAR:
		if (r->type != UBF_VREG_SCALAR)
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u type=%s expected=scalar", regno, name);
		return 0;
	case UBF_ARG_CONST_MAP_PTR:
		if (r->type != UBF_VREG_MAP_PTR)
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u type=%s expected=map_ptr", regno, name);
		c->map = (int)r->map;
		if (!map_fits_helper(env, env->in->maps[r->map].type, c->h->id))
			return ubf_vfy_rej(env, c->idx, c->rule,
				   c->h->id == 12 ? "expected prog array map for tail call" :
						    "cannot pass map_type %u into func bpf_%s#%d",
				   env->in->maps[r->map].type, c->h->name, c->h->id);
		return 0;
	case UBF_ARG_MAP_KEY:
	case UBF_ARG_MAP_VALUE:
	case UBF_ARG_MAP_VALUE_UNINIT:
		if (!m)
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u map argument missing", regno);
		if (t != UBF_ARG_MAP_KEY && is_sock_map(m))
			/* Linux wants a socket here (resolve_map_arg_type()), which userbpf does not model */
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u type=%s expected=sock_common",
				   regno, name);
		err = mem_arg(env, c, regno, t == UBF_ARG_MAP_KEY ? m->key_sz : m->value_sz,
			      t == UBF_ARG_MAP_VALUE_UNINIT, 0);
		if (!err && t == UBF_ARG_MAP_KEY && key_elides_null(m))
			c->const_key = const_key(env, r, m->key_sz);
		return err;
	case UBF_ARG_MEM:
	case UBF_ARG_MEM_OR_NULL:
	case UBF_ARG_MEM_UNINIT:
		if (i == 4)
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u has no size argument", regno);
		err = ubf_vfy_check_read(env, c->idx, regno + 1, "reg.uninit_read");
		err = err ? err : size_arg(env, c, regno + 1,
					   c->h->args[i + 1] == UBF_ARG_SIZE_OR_ZERO, &size);
		c->size_max = size;
		return err ? err : mem_arg(env, c, regno, size, t == UBF_ARG_MEM_UNINIT,
					   t == UBF_ARG_MEM_OR_NULL);
	case UBF_ARG_SIZE:
	case UBF_ARG_SIZE_OR_ZERO:
		return 0;	/* checked with the memory argument */
	case UBF_ARG_CTX_OR_NULL:
		if (r->type == UBF_VREG_SCALAR && ubf_scalar_is_const(&r->s) && !r->s.var_off.value) {
			ubf_vfy_precise(env, regno);
			return 0;
		}
		UBF_FALLTHROUGH;
	case UBF_ARG_CTX:
		if (r->type != UBF_VREG_CTX)
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u type=%s expected=ctx", regno, name);
		if (r->off || !ubf_scalar_is_const(&r->s))
			return ubf_vfy_rej(env, c->idx, "ctx.modified",
				   "dereference of modified ctx ptr R%u off=%d disallowed", regno,
				   r->off);
		return 0;
	case UBF_ARG_STACK_OR_NULL:
		ubf_vfy_precise(env, regno);
		if (r->type == UBF_VREG_STACK || (r->type == UBF_VREG_SCALAR &&
						  ubf_scalar_is_const(&r->s) && !r->s.umin))
			return 0;
		return ubf_vfy_rej(env, c->idx, c->rule, "R%u type=%s expected=fp", regno, name);
	case UBF_ARG_RINGBUF_MEM:
		if (r->type != UBF_VREG_MEM || !r->ref)
			return ubf_vfy_rej(env, c->idx, "ref.double_release", "R%u type=%s expected=ringbuf_mem",
				   regno, name);
		if (r->off || !ubf_scalar_is_const(&r->s) || r->s.var_off.value)
			return ubf_vfy_rej(env, c->idx, "ref.double_release",
				   "R%u must have zero offset when passed to release func or trusted arg to kfunc",
				   regno);
		return 0;
	case UBF_ARG_PTR_TO_LONG:
		return mem_arg(env, c, regno, 8, 1, 0);
	case UBF_ARG_MAP_VALUE_OR_NULL:
		if (!m)
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u map argument missing", regno);
		return mem_arg(env, c, regno, m->value_sz, 0, 1);
	case UBF_ARG_BTF_ID_OR_NULL:
		if (r->type == UBF_VREG_SCALAR && ubf_scalar_is_const(&r->s) && !r->s.var_off.value) {
			ubf_vfy_precise(env, regno);
			return 0;
		}
		UBF_FALLTHROUGH;
	case UBF_ARG_BTF_ID:
		if (r->type != UBF_VREG_BTF_ID && r->type != UBF_VREG_BTF_TRUSTED &&
		    r->type != UBF_VREG_BTF_RCU)
			return ubf_vfy_rej(env, c->idx, c->rule, "R%u type=%s expected=ptr_, "
					   "trusted_ptr_, rcu_ptr_", regno, name);
		return btf_arg(env, c, regno, btf_slot(c->h, regno));
	case UBF_ARG_SOCK_COMMON:
	case UBF_ARG_BTF_ID_SOCK_COMMON:
		return sock_arg(env, c, regno, t == UBF_ARG_BTF_ID_SOCK_COMMON);
	default:
		return ubf_vfy_rej(env, c->idx, c->rule, "R%u: helper bpf_%s#%d argument kind %u is not verified",
			   regno, c->h->name, c->h->id, t);
	}
}

/* The program type's helpers are ctx.def's (ubf_ctx_helper_allowed()). */
static int helper_allowed(const struct ubf_vfy_env *env, const struct ubf_vfy_helper *h)
{
	return ubf_ctx_helper_allowed(env->in->prog_type, env->in->attach, (uint32_t)h->id) &&
	       !(needs_perfmon(h->id) && ubf_vfy_is_unpriv(env));
}

#define MAX_ERRNO 4095

/*
 * What Linux knows of some helpers' integer results (do_refine_retval_range()):
 * a string or stack copy returns at most its size argument, or an errno;
 * the CPU number is below the CPU count.
 */
static void refine_ret(const struct ubf_vfy_env *env, const struct ubf_vfy_call *c,
		       struct ubf_scalar *s)
{
	switch (c->h->id) {
	case BPF_FUNC_get_stack:
	case BPF_FUNC_get_task_stack:
	case BPF_FUNC_probe_read_str:
	case BPF_FUNC_probe_read_kernel_str:
	case BPF_FUNC_probe_read_user_str:
		s->smax = (int64_t)c->size_max;
		s->s32_max = (int32_t)c->size_max;
		s->smin = -MAX_ERRNO;
		s->s32_min = -MAX_ERRNO;
		break;
	case BPF_FUNC_get_smp_processor_id:
		if (!env->in->cpu_cnt)
			return;
		*s = ubf_scalar_from_urange(0, env->in->cpu_cnt - 1);
		break;
	default:
		return;
	}
	ubf_scalar_sync(s);
}

/*
 * A socket, or NULL: a lookup's is a reference of its own (the id a null
 * check releases on its NULL side), a cast's holds its argument's
 * (c->cast_ref), any other none.
 */
static int sock_ret(struct ubf_vfy_env *env, struct ubf_vfy_call *c)
{
	struct ubf_vstate *st = env->st;
	struct ubf_vreg *r0 = &st->regs[0];
	uint8_t type = c->h->ret == UBF_RET_SOCKET_OR_NULL ? UBF_VREG_SOCKET_OR_NULL :
		       c->h->ret == UBF_RET_TCP_SOCK_OR_NULL ? UBF_VREG_TCP_SOCK_OR_NULL :
							       UBF_VREG_SOCK_COMMON_OR_NULL;

	if ((c->h->flags & UBF_HF_ACQUIRE) && st->ref_cnt == UBF_VFY_MAX_REFS)
		return ubf_vfy_rej(env, c->idx, "limit.refs", "too many references held");
	ubf_vfy_reg_ptr(r0, type, 0);
	r0->id = ++env->id_gen;
	if (c->h->flags & UBF_HF_ACQUIRE) {
		r0->ref = r0->id;
		st->refs[st->ref_cnt++] = r0->ref;
	} else if (c->h->flags & UBF_HF_PTR_CAST) {
		r0->ref = c->cast_ref;
	}
	return 0;
}

static int call_ret(struct ubf_vfy_env *env, struct ubf_vfy_call *c)
{
	struct ubf_vstate *st = env->st;
	struct ubf_vreg *r0 = &st->regs[0];
	const struct ubf_vfy_helper *h = c->h;

	switch (h->ret) {
	case UBF_RET_INTEGER:
		ubf_vfy_reg_unknown(r0);
		refine_ret(env, c, &r0->s);
		return 0;
	case UBF_RET_VOID:
		memset(r0, 0, sizeof(*r0));
		return 0;
	case UBF_RET_MAP_VALUE_OR_NULL:
		if (is_sock_map(&env->in->maps[c->map]))
			return ubf_vfy_rej(env, c->idx, "helper.ret",
				   "bpf_%s on a sockmap or sockhash returns a socket reference, which "
				   "userbpf does not model", h->name);
		if (h->id == BPF_FUNC_map_lookup_elem && key_elides_null(&env->in->maps[c->map]) &&
		    c->const_key >= 0 && c->const_key < env->in->maps[c->map].max_entries) {
			/* an id only to match a spin lock's lock and unlock, as Linux */
			ubf_vfy_reg_ptr(r0, UBF_VREG_MAP_VALUE, 0);
			r0->map = (uint32_t)c->map;
			if (env->in->maps[c->map].lock_off >= 0)
				r0->id = ++env->id_gen;
			return 0;
		}
		ubf_vfy_reg_ptr(r0, UBF_VREG_MAP_VALUE_OR_NULL, 0);
		r0->map = (uint32_t)c->map;
		r0->id = ++env->id_gen;
		return 0;
	case UBF_RET_MAP_VALUE:
		ubf_vfy_reg_ptr(r0, UBF_VREG_MAP_VALUE, 0);
		r0->map = (uint32_t)c->map;
		return 0;
	case UBF_RET_BTF_ID:
	case UBF_RET_BTF_ID_TRUSTED:
		ubf_vfy_reg_ptr(r0, h->ret == UBF_RET_BTF_ID ? UBF_VREG_BTF_ID : UBF_VREG_BTF_TRUSTED,
				0);
		r0->map = ubf_vfy_kbtf_struct(env, btf_slot(h, 0));
		if (!r0->map)
			return ubf_vfy_rej(env, c->idx, "helper.ret", "helper bpf_%s#%d returns a "
					   "struct %s, which the kernel's BTF does not have",
					   h->name, h->id, btf_slot(h, 0));
		return 0;
	case UBF_RET_SOCKET_OR_NULL:
	case UBF_RET_TCP_SOCK_OR_NULL:
	case UBF_RET_SOCK_COMMON_OR_NULL:
		return sock_ret(env, c);
	case UBF_RET_MEM_OR_NULL:
		if (st->ref_cnt == UBF_VFY_MAX_REFS)
			return ubf_vfy_rej(env, c->idx, "limit.refs", "too many references held");
		ubf_vfy_reg_ptr(r0, UBF_VREG_MEM_OR_NULL, 0);
		r0->range = c->mem_sz;
		r0->id = ++env->id_gen;
		r0->ref = r0->id;
		st->refs[st->ref_cnt++] = r0->ref;
		return 0;
	default:
		return ubf_vfy_rej(env, c->idx, "helper.ret", "helper bpf_%s#%d: return kind %u is not verified",
			   h->name, h->id, h->ret);
	}
}

static void release_ref(struct ubf_vfy_env *env, uint32_t ref)
{
	struct ubf_vstate *st = env->st;
	uint32_t i;

	for (i = 0; i < st->ref_cnt; i++) {
		if (st->refs[i] != ref)
			continue;
		st->refs[i] = st->refs[--st->ref_cnt];
		break;
	}
	ubf_vfy_invalidate(env, ref, 0);
}

/* bpf_spin_lock / bpf_spin_unlock: r1 points at the lock of a map value. */
static int check_spin_lock(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_vfy_helper *h)
{
	struct ubf_vstate *st = env->st;
	const struct ubf_vreg *r = &st->regs[1];
	int is_lock = !strcmp(h->name, "spin_lock");
	const struct ubf_verify_map *m;
	unsigned i;

	if (r->type != UBF_VREG_MAP_VALUE)
		return ubf_vfy_rej(env, idx, r->type == UBF_VREG_NOT_INIT ? "reg.uninit_read" : "lock.arg",
			   "R1 type=%s expected=map_value", ubf_vfy_type_name(r->type));
	m = ubf_vfy_map(env, r);
	if (m->lock_off < 0)
		return ubf_vfy_rej(env, idx, "lock.arg",
			   "map has to have BTF in order to use bpf_spin_lock");
	if (!ubf_scalar_is_const(&r->s) ||
	    (int64_t)r->off + (int64_t)r->s.var_off.value != m->lock_off)
		return ubf_vfy_rej(env, idx, "lock.arg",
			   "off %d doesn't point to 'struct bpf_spin_lock' that is at %d", r->off,
			   m->lock_off);
	if (is_lock) {
		if (st->lock_map)
			return ubf_vfy_rej(env, idx, "lock.call_held",
				   "function calls are not allowed while holding a lock");
		st->lock_map = r->map + 1;
		st->lock_id = r->id;
	} else {
		if (!st->lock_map)
			return ubf_vfy_rej(env, idx, "lock.unlock_unlocked",
				   "bpf_spin_unlock without taking a lock");
		if (st->lock_map != r->map + 1 || st->lock_id != r->id)
			return ubf_vfy_rej(env, idx, "lock.unlock_unlocked", "bpf_spin_unlock of different lock");
		st->lock_map = 0;
		st->lock_id = 0;
	}
	for (i = 1; i <= 5; i++)
		memset(&st->regs[i], 0, sizeof(st->regs[i]));
	memset(&st->regs[0], 0, sizeof(st->regs[0]));
	return 0;
}

/*
 * The references a call's checked arguments hand over: *@ref the one a
 * release gives back (0 none), c->cast_ref the one a cast's result holds;
 * and a tail call may hold none.
 */
static int call_refs(struct ubf_vfy_env *env, struct ubf_vfy_call *c, uint32_t *ref)
{
	const struct ubf_vstate *st = env->st;

	*ref = 0;
	if (c->h->args[0] == UBF_ARG_RINGBUF_MEM)
		*ref = st->regs[1].ref;
	if (c->h->args[0] != UBF_ARG_RINGBUF_MEM && (c->h->flags & UBF_HF_RELEASE)) {
		*ref = st->regs[1].ref;
		if (!*ref)
			return ubf_vfy_rej_inval(env, c->idx, "ref.release_unowned", "R1 must be "
						 "referenced when passed to release function");
	}
	if (c->h->flags & UBF_HF_PTR_CAST)
		c->cast_ref = st->regs[1].ref;
	/* the program it jumps to could not release what this one holds */
	if ((c->h->flags & UBF_HF_TAIL_CALL) && st->ref_cnt)
		return ubf_vfy_rej(env, c->idx, "tail.ref", "tail_call would lead to reference leak");
	return 0;
}

int ubf_vfy_check_helper(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_raw_insn *in)
{
	struct ubf_vfy_call c = { .idx = idx, .map = -1, .const_key = -1,
				  .rule = "helper.arg_type" };
	struct ubf_vstate *st = env->st;
	uint32_t ref = 0;
	unsigned i, cb = 0;
	int err;

	c.h = helper_find(in->imm);
	if (!c.h) {
		const struct ubf_helper *p = ubf_helper_proto_find(in->imm);

		/* Linux: -EINVAL, which cilium/ebpf's helper probe reads as "not supported" */
		if (p)
			return ubf_vfy_rej_inval(env, idx, "helper.unknown",
						 "invalid func unknown#%d (bpf_%s: userbpf's verifier "
						 "does not model its prototype)", in->imm, p->name);
		return ubf_vfy_rej_inval(env, idx, "helper.unknown", "invalid func unknown#%d",
					 in->imm);
	}
	if (st->lock_map && c.h->args[0] != UBF_ARG_SPIN_LOCK)
		return ubf_vfy_rej(env, idx, "lock.call_held",
			   "function calls are not allowed while holding a lock");
	/* Linux's words: libbpf and bpftool probe for helpers by this text */
	if (!helper_allowed(env, c.h))
		return ubf_vfy_rej_inval(env, idx, "helper.prog_type", "unknown func bpf_%s#%d",
					 c.h->name, c.h->id);
	if ((c.h->flags & UBF_HF_GPL_ONLY) && env->in->is_non_gpl)
		return ubf_vfy_rej_inval(env, idx, "helper.gpl_only",
			   "cannot call GPL-restricted function from non-GPL compatible program");
	if (!ubf_vfy_kbtf_helper_at(env, c.h->name))
		return ubf_vfy_rej_inval(env, idx, "helper.attach", "helper call is not allowed in "
					 "probe");
	if ((c.h->flags & UBF_HF_MAY_SLEEP) && !env->in->is_sleepable)
		return ubf_vfy_rej_inval(env, idx, "helper.sleepable",
					 "helper call might sleep in a non-sleepable prog");
	if (c.h->id == 12)
		c.rule = "tail.args";
	for (i = 0; i < 5; i++) {
		if (c.h->args[i] == UBF_ARG_FUNC) {
			const struct ubf_vreg *f = &st->regs[i + 1];

			if (f->type != UBF_VREG_FUNC)
				return ubf_vfy_rej(env, idx, "callback.not_func",
						   "R%u type=%s expected=func", i + 1,
						   ubf_vfy_type_name(f->type));
			cb = i + 1;
			continue;
		}
		if (c.h->args[i] == UBF_ARG_SPIN_LOCK)
			return check_spin_lock(env, idx, c.h);
		err = check_arg(env, &c, i);
		if (err)
			return err;
	}
	err = call_refs(env, &c, &ref);
	if (err)
		return err;
	if (c.h->ret == UBF_RET_MEM_OR_NULL) {
		const struct ubf_vreg *r2 = &st->regs[2];

		ubf_vfy_precise(env, 2);
		if (r2->type != UBF_VREG_SCALAR || !ubf_scalar_is_const(&r2->s) ||
		    r2->s.umin >= UBF_VFY_MAX_VAR_OFF)
			return ubf_vfy_rej(env, idx, "helper.arg_size", "R2 is not a known constant");
		c.mem_sz = (uint32_t)r2->s.umin;
	}
	/* the callback runs 0..N times: once more on a path of its own, none on this one */
	if (cb) {
		err = ubf_vfy_enter_callback(env, idx, c.h->id, &st->regs[cb], c.map);
		if (err)
			return err;
	}
	if (ref)
		release_ref(env, ref);
	if (c.h->flags & UBF_HF_PKT_CHANGE)
		ubf_vfy_invalidate(env, 0, 1);
	for (i = 1; i <= 5; i++)
		memset(&st->regs[i], 0, sizeof(st->regs[i]));
	return call_ret(env, &c);
}

/* ------------------------------------------------------------ exit */

/* " smin=N smax=N", each bound only when known, else " unknown scalar value", as Linux. */
static const char *range_text(const struct ubf_scalar *s, char *buf, size_t buf_sz)
{
	size_t len = 0;

	buf[0] = '\0';
	if (s->smin > INT64_MIN)
		len += (size_t)snprintf(buf, buf_sz, " smin=%" PRId64, s->smin);
	if (s->smax < INT64_MAX && len < buf_sz)
		len += (size_t)snprintf(buf + len, buf_sz - len, " smax=%" PRId64, s->smax);
	if (!len)
		snprintf(buf, buf_sz, " unknown scalar value");
	return buf;
}

/* Linux's lines for references still held at a main program's exit. */
static int leak(struct ubf_vfy_env *env, uint32_t idx)
{
	const struct ubf_vstate *st = env->st;
	char refs[UBF_VFY_MAX_REFS * 32] = "";
	size_t len = 0;
	uint32_t i;

	for (i = 0; i < st->ref_cnt && len < sizeof(refs); i++)
		len += (size_t)snprintf(refs + len, sizeof(refs) - len,
					"Unreleased reference id=%u\n", st->refs[i]);
	return ubf_vfy_rej(env, idx, "ref.ringbuf_leak",
			   "%sBPF_EXIT instruction in main prog would lead to reference leak", refs);
}

int ubf_vfy_check_exit(struct ubf_vfy_env *env, uint32_t idx)
{
	const struct ubf_vreg *r0 = &env->st->regs[0];
	char range[64];
	uint64_t lo, hi;

	if (env->st->lock_map)
		return ubf_vfy_rej(env, idx, "lock.held_at_exit",
			   "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region");
	if (env->st->ref_cnt)
		return leak(env, idx);
	if (r0->type == UBF_VREG_NOT_INIT)
		return ubf_vfy_rej(env, idx, "ret.r0_uninit", "R0 !read_ok");
	if (ubf_ctx_ret_range(env->in->prog_type, env->in->attach, &lo, &hi)) {
		if (ubf_vfy_reg_is_ptr(r0) && ubf_vfy_is_unpriv(env))
			return ubf_vfy_rej(env, idx, "ret.range", "R0 leaks addr as return value");
		return 0;
	}
	if (r0->type != UBF_VREG_SCALAR)
		return ubf_vfy_rej(env, idx, "ret.range",
				   "At program exit the register R0 is not a known value (%s)",
			   ubf_vfy_type_name(r0->type));
	ubf_vfy_precise(env, 0);
	if (r0->s.smin < (int64_t)lo || r0->s.smax > (int64_t)hi)
		return ubf_vfy_rej(env, idx, "ret.range", "At program exit the register R0 has%s"
			   " should have been in [%" PRId64 ", %" PRId64 "]",
			   range_text(&r0->s, range, sizeof(range)), (int64_t)lo, (int64_t)hi);
	return 0;
}
