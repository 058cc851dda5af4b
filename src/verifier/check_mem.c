// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_mem.c - the verifier's checks of loads, stores and atomics, per
 * pointer type: stack (spills, fills, initialised bytes, the frame a stack
 * pointer belongs to), map values, the context (through ctx.def), packets
 * (proven ranges), ring buffer memory, sockets (ctx.def's object rows),
 * flow keys and tracepoint buffers.  It decides nothing about
 * control flow; see verify.c and check_jmp.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <userbpf/helper.h>
#include <userbpf/isa.h>

#include "isa/isa.h"
#include "verifier/ctx.h"
#include "verifier/verifier.h"
#include "verifier/walk.h"

void ubf_vfy_tnum_text(char *buf, size_t buf_sz, struct ubf_tnum t)
{
	if (ubf_tnum_is_const(t))
		snprintf(buf, buf_sz, "%" PRId64, (int64_t)t.value);
	else
		snprintf(buf, buf_sz, "(0x%" PRIx64 "; 0x%" PRIx64 ")", t.value, t.mask);
}

int ubf_vfy_stack_bounds(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
			 const struct ubf_vreg *p, int64_t *lo, int64_t *hi)
{
	const char *what = a->is_write ? "write to" : "read from";
	int64_t base = (int64_t)p->off + a->off;
	char var[48];

	ubf_vfy_tnum_text(var, sizeof(var), p->s.var_off);
	if (!ubf_tnum_is_aligned(ubf_tnum_add(p->s.var_off, ubf_tnum_const((uint64_t)base)),
				 a->size))
		return ubf_vfy_rej(env, a->idx, "stack.misaligned",
			   "misaligned stack access off %s+%d+%d size %u", var, p->off, a->off,
			   a->size);
	if (!ubf_scalar_is_const(&p->s) &&
	    (p->s.smin <= -UBF_VFY_MAX_VAR_OFF || p->s.smax >= UBF_VFY_MAX_VAR_OFF))
		return ubf_vfy_rej(env, a->idx, "stack.var_off",
			   "invalid unbounded variable-offset %s stack R%u", what, a->regno);
	*lo = base + p->s.smin;
	*hi = base + p->s.smax + a->size;
	if ((*lo < -UBF_VFY_STACK_SZ || *hi > 0) && ubf_scalar_is_const(&p->s))
		return ubf_vfy_rej(env, a->idx, "stack.oob", "invalid %s stack R%u off=%" PRId64
			   " size=%u", what, a->regno, *lo, a->size);
	if (*lo < -UBF_VFY_STACK_SZ || *hi > 0)
		return ubf_vfy_rej(env, a->idx, "stack.var_off",
			   "invalid variable-offset %s stack R%u var_off=%s off=%" PRId64 " size=%u",
			   what, a->regno, var, base, a->size);
	ubf_vfy_stack_used(env, p, (uint32_t)-*lo);
	return 0;
}

/* The deepest offset a path has written (Linux's allocated_stack, negated). */
static int64_t stack_allocated(const struct ubf_vslot *stk)
{
	unsigned i, b;

	for (i = 0; i < UBF_VFY_SLOTS; i++)
		for (b = 0; b < 8; b++)
			if (stk[i].type[b] != UBF_VSLOT_INVALID)
				return (int64_t)i * 8 - UBF_VFY_STACK_SZ;
	return 0;
}

/*
 * A store into a slot holding a spill that does not replace it: every
 * written byte of the slot becomes MISC (ZERO included), as Linux's
 * scrub_spilled_slot(); bytes never written stay so.
 */
static void slot_break_spill(struct ubf_vslot *s)
{
	unsigned b;

	if (s->type[0] != UBF_VSLOT_SPILL)
		return;
	for (b = 0; b < 8; b++)
		if (s->type[b] != UBF_VSLOT_INVALID)
			s->type[b] = UBF_VSLOT_MISC;
	memset(&s->spill, 0, sizeof(s->spill));
}

/* Does a load of @size bytes (sign-extended when @is_signed) give back all of @v? */
static int fits(const struct ubf_scalar *v, unsigned size, int is_signed)
{
	return size >= 8 || v->umax < UINT64_C(1) << (8 * size - (is_signed ? 1 : 0));
}

/*
 * A register saved at a slot's start: 8 bytes of anything, or the low
 * bytes of a scalar (a narrow spill, which keeps the whole register, as
 * Linux's save_register_state()); spilled bytes above become MISC.
 */
static void slot_spill(struct ubf_vslot *s, const struct ubf_vreg *val, unsigned size)
{
	unsigned b;

	for (b = size; b < 8; b++)
		if (s->type[b] == UBF_VSLOT_SPILL)
			s->type[b] = UBF_VSLOT_MISC;
	memset(s->type, UBF_VSLOT_SPILL, size);
	s->spill = *val;
	/* a spill narrower than its value is no copy of it */
	if (val->type == UBF_VREG_SCALAR && !fits(&val->s, size, 0)) {
		s->spill.id = 0;
		s->spill.off = 0;
	}
}

int ubf_vfy_stack_write(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
			const struct ubf_vreg *p, int64_t lo, int64_t hi,
			const struct ubf_vreg *val)
{
	struct ubf_vslot *stk = ubf_vfy_stack_of(env->st, p);
	int is_zero = val->type == UBF_VREG_SCALAR && ubf_scalar_is_const(&val->s) &&
		      !(val->s.var_off.value & (a->size == 8 ? ~(uint64_t)0 :
							((uint64_t)1 << (8 * a->size)) - 1));
	int64_t i;

	if (ubf_vfy_reg_is_ptr(val) && a->size != 8)
		return ubf_vfy_rej(env, a->idx, "stack.partial_fill_ptr",
				   "invalid size of register spill");
	/* a pointer into a callee's frame would outlive it */
	if (val->type == UBF_VREG_STACK && p->map != env->st->frame_cnt)
		return ubf_vfy_rej(env, a->idx, "call.stack_ptr",
				   "cannot spill pointers to stack into stack frame of the caller");
	if (ubf_scalar_is_const(&p->s) && a->size != 8 && ubf_vfy_is_unpriv(env)) {
		const struct ubf_vslot *s = &stk[(lo + UBF_VFY_STACK_SZ) / 8];

		if (s->type[0] == UBF_VSLOT_SPILL && s->spill.type != UBF_VREG_SCALAR)
			return ubf_vfy_rej(env, a->idx, "stack.spill_ptr",
					   "attempt to corrupt spilled pointer on stack");
	}
	if (ubf_scalar_is_const(&p->s) && !((lo + UBF_VFY_STACK_SZ) & 7) &&
	    (a->size == 8 || val->type == UBF_VREG_SCALAR)) {
		slot_spill(&stk[(lo + UBF_VFY_STACK_SZ) / 8], val, a->size);
		return 0;
	}
	/* zero bytes from a register: its value decided their type (precise.c) */
	if (is_zero && ubf_vfy_desc(env, a->idx)->kind == UBF_KIND_STX &&
	    val == &env->st->regs[ubf_raw_src(&env->insns[a->idx])])
		ubf_vfy_precise(env, ubf_raw_src(&env->insns[a->idx]));
	for (i = lo; i < hi; i++)
		slot_break_spill(&stk[(i + UBF_VFY_STACK_SZ) / 8]);
	for (i = lo; i < hi; i++) {
		struct ubf_vslot *s = &stk[(i + UBF_VFY_STACK_SZ) / 8];
		uint8_t t = is_zero ? UBF_VSLOT_ZERO : UBF_VSLOT_MISC;

		/* a variable offset may miss a byte: it keeps INVALID unless written for sure */
		if (!ubf_scalar_is_const(&p->s) && s->type[(i + UBF_VFY_STACK_SZ) % 8] ==
							   UBF_VSLOT_INVALID)
			continue;
		if (!ubf_scalar_is_const(&p->s) && s->type[(i + UBF_VFY_STACK_SZ) % 8] != t)
			t = UBF_VSLOT_MISC;
		s->type[(i + UBF_VFY_STACK_SZ) % 8] = t;
	}
	return 0;
}

int ubf_vfy_stack_read(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
		       const struct ubf_vreg *p, int64_t lo, int64_t hi)
{
	struct ubf_vslot *stk = ubf_vfy_stack_of(env->st, p);
	unsigned invalid = 0, zero = 0, spill_ptr = 0, n = (unsigned)(hi - lo);
	int64_t i, first = lo;
	const char *rule;

	if (ubf_scalar_is_const(&p->s)) {
		const struct ubf_vslot *s = &stk[(lo + UBF_VFY_STACK_SZ) / 8];
		unsigned n_spill = ubf_vfy_spill_len(s);

		if (n_spill == 8 && a->size == 8) {
			a->result = s->spill;
			return 0;
		}
		if (n_spill && s->spill.type != UBF_VREG_SCALAR)
			return ubf_vfy_rej(env, a->idx, "stack.partial_fill_ptr",
					   "invalid size of register fill");
		/* the low bytes of a spilled scalar, read at the slot's start (Linux's narrow fill) */
		if (n_spill && a->size <= n_spill && !((lo + UBF_VFY_STACK_SZ) & 7)) {
			a->result = s->spill;
			ubf_scalar_coerce(&a->result.s, a->size, a->is_signed);
			if (!fits(&s->spill.s, a->size, a->is_signed)) {
				a->result.id = 0;
				a->result.off = 0;
			}
			return 0;
		}
		/* any other read of a spill: known only when every byte is a spilled 0 */
		if (n_spill && (lo + UBF_VFY_STACK_SZ) % 8 + a->size <= n_spill &&
		    ubf_scalar_is_const(&s->spill.s) && !s->spill.s.var_off.value) {
			ubf_vfy_reg_scalar(&a->result, ubf_scalar_const(0));
			return 0;
		}
	}
	for (i = lo; i < hi; i++) {
		const struct ubf_vslot *s = &stk[(i + UBF_VFY_STACK_SZ) / 8];
		uint8_t t = s->type[(i + UBF_VFY_STACK_SZ) % 8];

		if (t == UBF_VSLOT_INVALID && !invalid)
			first = i;
		invalid += t == UBF_VSLOT_INVALID;
		zero += t == UBF_VSLOT_ZERO;
		spill_ptr += t == UBF_VSLOT_SPILL && ubf_vfy_reg_is_ptr(&s->spill);
	}
	/* Linux's words: below the stack the path has written, or a byte never written */
	rule = invalid == n ? "stack.uninit_read" : "stack.partial_init";
	if (invalid && ubf_vfy_is_unpriv(env) && lo < stack_allocated(stk))
		return ubf_vfy_rej(env, a->idx, rule, "invalid read from stack R%u off=%" PRId64
			   " size=%u", a->regno, lo, a->size);
	if (invalid && ubf_vfy_is_unpriv(env))
		return ubf_vfy_rej(env, a->idx, rule, "invalid read from stack off %" PRId64 "+%" PRId64
			   " size %u", lo, first - lo, a->size);
	if (spill_ptr && ubf_scalar_is_const(&p->s))
		return ubf_vfy_rej(env, a->idx, "stack.partial_fill_ptr", "invalid size of register fill");
	a->result.s = zero == n && ubf_scalar_is_const(&p->s) ? ubf_scalar_const(0) :
								ubf_vfy_scalar_sized(a->size, a->is_signed);
	return 0;
}

static int check_stack(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p)
{
	struct ubf_vreg tmp;
	int64_t lo, hi;
	int err = ubf_vfy_stack_bounds(env, a, p, &lo, &hi);

	if (err)
		return err;
	if (!a->is_write)
		return ubf_vfy_stack_read(env, a, p, lo, hi);
	if (!a->val) {
		ubf_vfy_reg_unknown(&tmp);
		a->val = &tmp;
		return ubf_vfy_stack_write(env, a, p, lo, hi, &tmp);
	}
	return ubf_vfy_stack_write(env, a, p, lo, hi, a->val);
}

/* Linux's first line for an access outside a region, by what the region is. */
static void region_what(char *buf, size_t buf_sz, int is_map, uint64_t size, int64_t off,
			unsigned access_sz)
{
	if (is_map)
		snprintf(buf, buf_sz, "invalid access to map value, value_size=%" PRIu64 " off=%" PRId64
			 " size=%u", size, off, access_sz);
	else
		snprintf(buf, buf_sz, "invalid access to memory, mem_size=%" PRIu64 " off=%" PRId64
			 " size=%u", size, off, access_sz);
}

/*
 * Is [lo, hi) (offsets with the variable part's extremes) inside [0, size)?
 * In Linux's order and words (check_mem_region_access()): the lowest
 * offset, then whether there is a highest one, then the highest; an
 * access outside gets Linux's two lines, what was accessed and which
 * bound is outside.  A map key is "memory" there too.
 */
static int region_check(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p,
			uint64_t size, const char *rule, const char *what)
{
	int64_t off = (int64_t)p->off + a->off;
	int64_t lo = off + p->s.smin, hi = off + (int64_t)p->s.umax;
	int is_map = !strcmp(what, "map value");
	char buf[128];

	if (p->s.smin < 0 && !ubf_scalar_is_const(&p->s))
		return ubf_vfy_rej(env, a->idx, rule,
			   "R%u min value is negative, either use unsigned index or do a if (index >=0) check.",
			   a->regno);
	if (lo < 0 || (uint64_t)lo + a->size > size) {
		region_what(buf, sizeof(buf), is_map, size, lo, a->size);
		return ubf_vfy_rej(env, a->idx, rule,
			   "%s\nR%u min value is outside of the allowed memory range", buf, a->regno);
	}
	if (p->s.umax >= UBF_VFY_MAX_VAR_OFF)
		return ubf_vfy_rej(env, a->idx, rule,
			   "R%u unbounded memory access, make sure to bounds check any such access",
			   a->regno);
	if ((uint64_t)hi + a->size > size) {
		region_what(buf, sizeof(buf), is_map, size, hi, a->size);
		return ubf_vfy_rej(env, a->idx, rule,
			   "%s\nR%u max value is outside of the allowed memory range", buf, a->regno);
	}
	return 0;
}

/*
 * An xskmap lookup is Linux's struct bpf_xdp_sock: a program reads its
 * queue_id, a u32 at offset 0, and nothing else (bpf_xdp_sock_is_valid_access()).
 */
static int xdp_sock_access(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
			   const struct ubf_vreg *p)
{
	int64_t off = (int64_t)p->off + a->off;

	if (a->is_write)
		return ubf_vfy_rej(env, a->idx, "map.readonly", "R%u cannot write into xdp_sock",
			   a->regno);
	if (!ubf_scalar_is_const(&p->s) || off + (int64_t)p->s.var_off.value || a->size != 4)
		return ubf_vfy_rej(env, a->idx, "map.value_oob",
			   "R%u invalid xdp_sock access off=%" PRId64 " size=%u", a->regno, off,
			   a->size);
	a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
	return 0;
}

static int check_map_value(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
			   const struct ubf_vreg *p)
{
	const struct ubf_verify_map *m = ubf_vfy_map(env, p);
	int64_t lo, hi;
	int err;

	if (m->type == BPF_MAP_TYPE_XSKMAP)
		return xdp_sock_access(env, a, p);
	/* a devmap's values are read-only whatever the descriptor says (Linux adds the flag) */
	if (a->is_write && ((m->flags & BPF_F_RDONLY_PROG) || m->type == BPF_MAP_TYPE_DEVMAP ||
			    m->type == BPF_MAP_TYPE_DEVMAP_HASH))
		return ubf_vfy_rej(env, a->idx, "map.readonly",
			   "write into map forbidden, value_size=%u off=%d size=%u", m->value_sz,
			   p->off + a->off, a->size);
	err = region_check(env, a, p, m->value_sz, "map.value_oob", "map value");
	if (err)
		return err;
	lo = (int64_t)p->off + a->off + p->s.smin;
	hi = (int64_t)p->off + a->off + (int64_t)p->s.umax + a->size;
	if (m->lock_off >= 0 && lo < m->lock_off + 4 && hi > m->lock_off)
		return ubf_vfy_rej(env, a->idx, "lock.arg",
			   "bpf_spin_lock cannot be accessed directly by load/store");
	if (a->val && ubf_vfy_reg_is_ptr(a->val) && ubf_vfy_is_unpriv(env))
		return ubf_vfy_rej(env, a->idx, "map.value_oob", "R%u leaks addr into map", a->regno);
	a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
	return 0;
}

/* What a context load produces, in the walk's register types; anything else is a scalar. */
static uint8_t ctx_reg_type(enum ubf_ctx_reg reg)
{
	switch (reg) {
	case UBF_CTX_REG_PKT:
		return UBF_VREG_PACKET;
	case UBF_CTX_REG_PKT_END:
		return UBF_VREG_PACKET_END;
	case UBF_CTX_REG_PKT_META:
		return UBF_VREG_PACKET_META;
	case UBF_CTX_REG_SOCKET:
		return UBF_VREG_SOCKET;
	case UBF_CTX_REG_SOCKET_OR_NULL:
		return UBF_VREG_SOCKET_OR_NULL;
	case UBF_CTX_REG_SOCK_COMMON_OR_NULL:
		return UBF_VREG_SOCK_COMMON_OR_NULL;
	case UBF_CTX_REG_FLOW_KEYS:
		return UBF_VREG_FLOW_KEYS;
	case UBF_CTX_REG_TP_BUFFER:
		return UBF_VREG_TP_BUFFER;
	case UBF_CTX_REG_SCALAR:
	case UBF_CTX_REG_BTF_ARG:
		break;
	}
	/* a tracing or LSM program's arguments are typed by kbtf.c instead */
	return 0;
}

static int check_ctx(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p)
{
	int64_t off = (int64_t)p->off + a->off;
	struct ubf_ctx_result r;
	uint8_t type;
	char var[48];

	/* Linux's order (__check_ptr_off_reg()): a negative, a nonzero, a variable offset */
	if (p->off < 0)
		return ubf_vfy_rej(env, a->idx, "ctx.modified",
			   "negative offset ctx ptr R%u off=%d disallowed", a->regno, p->off);
	if (p->off)
		return ubf_vfy_rej(env, a->idx, "ctx.modified",
			   "dereference of modified ctx ptr R%u off=%d disallowed", a->regno, p->off);
	if (!ubf_scalar_is_const(&p->s) || p->s.var_off.value) {
		ubf_vfy_tnum_text(var, sizeof(var), p->s.var_off);
		return ubf_vfy_rej(env, a->idx, "ctx.modified",
			   "variable ctx access var_off=%s disallowed", var);
	}
	if (env->kargs.proto) {
		int err = ubf_vfy_kbtf_ctx(env, a, off);

		if (!err && (uint64_t)off + a->size > env->out->ctx_max)
			env->out->ctx_max = (uint32_t)(off + a->size);
		return err;
	}
	a->result.s = ubf_vfy_scalar_sized(a->size, 0);
	if (ubf_ctx_access(env->in->prog_type, env->in->attach, off, a->size, a->is_write, &r))
		return ubf_vfy_rej(env, a->idx, a->is_write ? "ctx.write" : "ctx.read",
			   "invalid bpf_context access off=%" PRId64 " size=%u", off, a->size);
	if ((uint64_t)off + a->size > env->out->ctx_max)
		env->out->ctx_max = (uint32_t)(off + a->size);
	type = a->is_write ? 0 : ctx_reg_type(r.reg);
	if (type)
		ubf_vfy_reg_ptr(&a->result, type, 0);
	/* copies of a maybe-NULL pointer share its null check: an id, as Linux gives one */
	if (type && ubf_vfy_reg_is_null_ptr(&a->result))
		a->result.id = ++env->id_gen;
	return 0;
}

/* Linux rewrites these accesses into its own objects': no run of userbpf's can make them. */
static void note_sock_load(struct ubf_vfy_env *env, uint32_t idx)
{
	if (!env->out->sock_load)
		env->out->sock_load = idx + 1;
}

/* The object a socket pointer reaches (ctx.def's UBF_CTX_OBJ rows). */
static enum ubf_ctx_obj sock_obj(uint8_t type)
{
	if (type == UBF_VREG_SOCKET)
		return UBF_CTX_OBJ_SOCK;
	return type == UBF_VREG_TCP_SOCK ? UBF_CTX_OBJ_TCP_SOCK : UBF_CTX_OBJ_SOCK_COMMON;
}

/* A socket is read only, field by field (Linux's check_sock_access()). */
static int check_sock(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p)
{
	const char *name = ubf_vfy_type_name(p->type);
	int64_t off = (int64_t)p->off + a->off;
	struct ubf_ctx_result r;

	if (a->is_write)
		return ubf_vfy_rej(env, a->idx, "sock.write", "R%u cannot write into %s", a->regno,
				   name);
	if (ubf_ctx_obj_access(sock_obj(p->type), off, a->size, false, &r))
		return ubf_vfy_rej(env, a->idx, "sock.access", "R%u invalid %s access off=%" PRId64
				   " size=%u", a->regno, name, off, a->size);
	note_sock_load(env, a->idx);
	a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
	return 0;
}

/* A flow dissector's struct bpf_flow_keys: any byte of it, read or written (check_flow_keys_access()). */
static int check_flow_keys(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
			   const struct ubf_vreg *p)
{
	int64_t off = (int64_t)p->off + a->off;

	if (a->val && ubf_vfy_reg_is_ptr(a->val) && ubf_vfy_is_unpriv(env))
		return ubf_vfy_rej(env, a->idx, "flow_keys.access", "R%u leaks addr into flow keys",
				   a->regno);
	if (off < 0 || off + a->size > (int64_t)sizeof(struct bpf_flow_keys))
		return ubf_vfy_rej(env, a->idx, "flow_keys.access",
				   "invalid access to flow keys off=%" PRId64 " size=%u", off, a->size);
	note_sock_load(env, a->idx);
	a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
	return 0;
}

/*
 * A writable raw tracepoint's buffer: any constant offset from 0 up, read
 * or written (Linux's check_tp_buffer_access()).  How far the program
 * reaches (max_tp_access) is checked against the tracepoint's writable
 * size when the program is attached, not here.
 */
static int check_tp_buffer(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
			   const struct ubf_vreg *p)
{
	int64_t off = (int64_t)p->off + a->off;
	char var[48];

	if (off < 0)
		return ubf_vfy_rej(env, a->idx, "tp_buffer.access",
				   "R%u invalid tracepoint buffer access: off=%" PRId64 ", size=%u",
				   a->regno, off, a->size);
	if (!ubf_scalar_is_const(&p->s) || p->s.var_off.value) {
		ubf_vfy_tnum_text(var, sizeof(var), p->s.var_off);
		return ubf_vfy_rej(env, a->idx, "tp_buffer.access",
				   "R%u invalid variable buffer offset: off=%" PRId64 ", var_off=%s",
				   a->regno, off, var);
	}
	note_sock_load(env, a->idx);
	a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
	return 0;
}

static int check_packet(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p)
{
	/* the range is proven for every pointer with this id: they share the variable part */
	int64_t lo = (int64_t)p->off + a->off;
	int64_t hi = lo + a->size;

	if (a->is_write && !ubf_ctx_pkt_writable(env->in->prog_type))
		return ubf_vfy_rej(env, a->idx, "pkt.write", "cannot write into packet");
	if (p->s.smin < 0)
		return ubf_vfy_rej(env, a->idx, "pkt.var_off",
			   "R%u min value is negative, either use unsigned index or do a if (index >=0) check.",
			   a->regno);
	if (p->s.umax > UBF_VFY_MAX_PACKET_OFF ||
	    (int64_t)p->s.umax + p->off > UBF_VFY_MAX_PACKET_OFF)
		return ubf_vfy_rej(env, a->idx, "pkt.var_off",
			   "R%u offset is outside of the packet", a->regno);
	if (lo < 0 || hi > (int64_t)p->range)
		return ubf_vfy_rej(env, a->idx, p->type == UBF_VREG_PACKET_META ? "pkt.meta" : "pkt.bounds",
			   "invalid access to packet, off=%" PRId64 " size=%u, R%u(id=%u,off=%" PRId64
			   ",r=%u)\nR%u offset is outside of the packet", lo, a->size, a->regno,
			   p->id, lo, p->range, a->regno);
	if (a->val && ubf_vfy_reg_is_ptr(a->val) && ubf_vfy_is_unpriv(env))
		return ubf_vfy_rej(env, a->idx, "pkt.write", "R%u leaks addr into packet", a->regno);
	a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
	return 0;
}

int ubf_vfy_check_access(struct ubf_vfy_env *env, struct ubf_vfy_access *a)
{
	const struct ubf_vreg *p = &env->st->regs[a->regno];
	const char *name = ubf_vfy_type_name(p->type);

	/* memory that holds no reference is not a ring buffer's (a global function's argument) */
	if (p->type == UBF_VREG_MEM_OR_NULL && !p->ref)
		name = "mem_or_null";
	ubf_vfy_reg_scalar(&a->result, ubf_scalar_unknown());
	switch (p->type) {
	case UBF_VREG_STACK:
		return check_stack(env, a, p);
	case UBF_VREG_MAP_VALUE:
		return check_map_value(env, a, p);
	case UBF_VREG_CTX:
		return check_ctx(env, a, p);
	case UBF_VREG_PACKET:
	case UBF_VREG_PACKET_META:
		return check_packet(env, a, p);
	case UBF_VREG_MEM: {
		int err = region_check(env, a, p, p->range, "ref.mem_oob", "memory");

		a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
		return err;
	}
	case UBF_VREG_MAP_KEY: {
		/* a for_each_map_elem callback's key: read-only, key_size bytes */
		int err = a->is_write ? ubf_vfy_rej(env, a->idx, "map.key_write",
						     "write to change key R%u not allowed",
						     a->regno) :
					region_check(env, a, p, ubf_vfy_map(env, p)->key_sz,
						     "map.value_oob", "map key");

		a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
		return err;
	}
	case UBF_VREG_MAP_VALUE_OR_NULL:
		return ubf_vfy_rej(env, a->idx, "map.null_check", "R%u invalid mem access '%s'", a->regno,
			   name);
	case UBF_VREG_MEM_OR_NULL:
		return ubf_vfy_rej(env, a->idx, "ref.null_check", "R%u invalid mem access '%s'", a->regno,
			   name);
	case UBF_VREG_PACKET_END:
		return ubf_vfy_rej(env, a->idx, "pkt.end_deref", "R%u invalid mem access '%s'", a->regno,
			   name);
	case UBF_VREG_MAP_PTR:
		return ubf_vfy_kbtf_map(env, a, p);
	case UBF_VREG_BTF_ID:
	case UBF_VREG_BTF_TRUSTED:
	case UBF_VREG_BTF_RCU:
	case UBF_VREG_BTF_UNTRUSTED:
	case UBF_VREG_BTF_TRUSTED_OR_NULL:
	case UBF_VREG_BTF_RCU_OR_NULL:
		return ubf_vfy_kbtf_access(env, a, p);
	case UBF_VREG_UNTRUSTED_MEM:
		return ubf_vfy_kbtf_mem(env, a);
	case UBF_VREG_SOCKET:
	case UBF_VREG_SOCK_COMMON:
	case UBF_VREG_TCP_SOCK:
		return check_sock(env, a, p);
	case UBF_VREG_SOCKET_OR_NULL:
	case UBF_VREG_SOCK_COMMON_OR_NULL:
	case UBF_VREG_TCP_SOCK_OR_NULL:
		return ubf_vfy_rej(env, a->idx, "sock.null_check", "R%u invalid mem access '%s'",
				   a->regno, name);
	case UBF_VREG_FLOW_KEYS:
		return check_flow_keys(env, a, p);
	case UBF_VREG_TP_BUFFER:
		return check_tp_buffer(env, a, p);
	default:
		return ubf_vfy_rej(env, a->idx, "reg.scalar_deref", "R%u invalid mem access '%s'", a->regno,
			   name);
	}
}

int ubf_vfy_check_ldx(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		     const struct ubf_raw_insn *in)
{
	struct ubf_vfy_access a = { .idx = idx, .regno = ubf_raw_src(in), .off = in->off,
			    .size = d->width, .is_signed = d->op == UBF_OP_MEMSX };
	int err = ubf_vfy_check_read(env, idx, a.regno, "reg.uninit_read");

	err = err ? err : ubf_vfy_check_access(env, &a);
	if (err)
		return err;
	env->st->regs[ubf_raw_dst(in)] = a.result;
	return 0;
}

int ubf_vfy_check_store(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		       const struct ubf_raw_insn *in)
{
	struct ubf_vfy_access a = { .idx = idx, .regno = ubf_raw_dst(in), .off = in->off,
			    .size = d->width, .is_write = 1 };
	struct ubf_vreg imm;
	int err = 0;

	if (d->kind == UBF_KIND_STX) {
		err = ubf_vfy_check_read(env, idx, ubf_raw_src(in), "reg.uninit_read");
		a.val = &env->st->regs[ubf_raw_src(in)];
		/* a spill that keeps the whole value is linked to the register */
		if (!err && env->st->regs[a.regno].type == UBF_VREG_STACK &&
		    fits(&a.val->s, a.size, 0))
			ubf_vfy_link(env, &env->st->regs[ubf_raw_src(in)]);
	} else {
		ubf_vfy_reg_scalar(&imm, ubf_scalar_const((uint64_t)(int64_t)in->imm));
		a.val = &imm;
	}
	err = err ? err : ubf_vfy_check_read(env, idx, a.regno, "reg.uninit_read");
	if (err)
		return err;
	if (env->st->regs[a.regno].type == UBF_VREG_CTX && d->kind == UBF_KIND_STX &&
	    ubf_vfy_reg_is_ptr(a.val) && ubf_vfy_is_unpriv(env))
		return ubf_vfy_rej(env, idx, "ctx.write", "R%u leaks addr into ctx", ubf_raw_src(in));
	return ubf_vfy_check_access(env, &a);
}

int ubf_vfy_check_atomic(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
			const struct ubf_raw_insn *in)
{
	unsigned sreg = ubf_raw_src(in), dreg = ubf_raw_dst(in);
	struct ubf_vfy_access a = { .idx = idx, .regno = dreg, .off = in->off, .size = d->width };
	const struct ubf_vreg *p;
	int err;

	if (d->op == UBF_OP_LOAD_ACQ) {
		a.regno = sreg;
		err = ubf_vfy_check_read(env, idx, sreg, "reg.uninit_read");
		err = err ? err : ubf_vfy_check_access(env, &a);
		if (!err)
			env->st->regs[dreg] = a.result;
		return err;
	}
	err = ubf_vfy_check_read(env, idx, sreg, "reg.uninit_read");
	err = err ? err : ubf_vfy_check_read(env, idx, dreg, "reg.uninit_read");
	if (!err && d->op == UBF_OP_CMPXCHG)
		err = ubf_vfy_check_read(env, idx, 0, "reg.uninit_read");
	if (err)
		return err;
	if (ubf_vfy_reg_is_ptr(&env->st->regs[sreg]) && d->op != UBF_OP_STORE_REL)
		return ubf_vfy_rej(env, idx, "atomic.ptr", "R%u leaks addr into mem", sreg);
	p = &env->st->regs[dreg];
	/*
	 * Linux names the pointer types atomics may never use (the context,
	 * packets, flow keys, sockets); any other pointer is left to the
	 * access check, which rejects all but the stack, map values, memory
	 * and tracepoint buffers as for a load.
	 */
	if (d->op != UBF_OP_STORE_REL && (p->type == UBF_VREG_CTX || p->type == UBF_VREG_PACKET ||
					  p->type == UBF_VREG_PACKET_META ||
					  p->type == UBF_VREG_FLOW_KEYS || ubf_vfy_reg_is_sock(p)))
		return ubf_vfy_rej(env, idx, "atomic.ptr", "BPF_ATOMIC stores into R%u %s is not allowed",
			   dreg, ubf_vfy_type_name(p->type));
	if (d->op != UBF_OP_STORE_REL) {
		err = ubf_vfy_check_access(env, &a);	/* the read half */
		if (err)
			return err;
	}
	a.is_write = 1;
	a.val = &env->st->regs[sreg];
	if (d->op != UBF_OP_STORE_REL) {
		struct ubf_vreg unknown;

		ubf_vfy_reg_unknown(&unknown);
		a.val = &unknown;
		err = ubf_vfy_check_access(env, &a);
	} else {
		err = ubf_vfy_check_access(env, &a);
	}
	if (err)
		return err;
	if (d->op == UBF_OP_CMPXCHG)
		ubf_vfy_reg_scalar(&env->st->regs[0], ubf_vfy_scalar_sized(d->width, 0));
	else if (d->op != UBF_OP_STORE_REL && (in->imm & BPF_FETCH))
		ubf_vfy_reg_scalar(&env->st->regs[sreg], ubf_vfy_scalar_sized(d->width, 0));
	return 0;
}

