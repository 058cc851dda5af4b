// SPDX-License-Identifier: BSD-2-Clause
/*
 * verify.c - the verifier's driver and instruction checks: a structural
 * pass (encoding, jump targets, fall-through, reachability), then a walk of
 * every path with a worklist of states, pruning at jump targets against
 * finished states that include the current one, as Linux does.  Each
 * instruction kind of insn.def has one check: ALU (scalars through
 * scalar.c, pointer arithmetic rules), loads and stores per pointer type,
 * conditional jumps (scalar refinement, null checks, packet ranges),
 * helper calls against helpers.def and exit (references, return range).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <userbpf/helper.h>
#include <userbpf/isa.h>

#include "isa/isa.h"
#include "verifier/ctx.h"
#include "verifier/verifier.h"

#define MAX_VAR_OFF (1 << 29)
#define MAX_PACKET_OFF 0xffff
#define MAX_PENDING 8192
#define MAX_CKPT_PER_INSN 64
#define MAX_CKPT 16384
#define LOG_CAP (16u << 20)

/* ------------------------------------------------------------ helper table */

struct hproto {
	int32_t id;
	const char *name;
	uint8_t ret;
	uint8_t args[5];
	uint32_t flags;
};

static const struct hproto helpers[] = {
#define X(id_, name_, ret_, a1, a2, a3, a4, a5, fl)                                        \
	{ id_, #name_, UBF_RET_##ret_, { UBF_ARG_##a1, UBF_ARG_##a2, UBF_ARG_##a3, UBF_ARG_##a4, \
					  UBF_ARG_##a5 }, fl },
#include "helpers/helpers.def"
#undef X
};

/*
 * Which program types may call a helper (Linux's get_func_proto per type).
 * Families: every type; tracing types; skb readers; skb writers; XDP.
 */
enum { FAM_ALL = 1, FAM_TRACE = 2, FAM_SKB = 4, FAM_SKB_RW = 8, FAM_XDP = 16 };

static const struct {
	int32_t id;
	uint8_t fams;
	uint8_t is_priv;	/* needs CAP_PERFMON besides CAP_BPF */
} helper_fams[] = {
	{ 1, FAM_ALL, 0 },	{ 2, FAM_ALL, 0 },	{ 3, FAM_ALL, 0 },
	{ 4, FAM_TRACE, 0 },	{ 5, FAM_ALL, 0 },	{ 6, FAM_ALL, 1 },
	{ 7, FAM_ALL, 0 },	{ 8, FAM_ALL, 0 },	{ 9, FAM_SKB_RW, 0 },
	{ 10, FAM_SKB_RW, 0 },	{ 11, FAM_SKB_RW, 0 },	{ 12, FAM_ALL, 0 },
	{ 14, FAM_TRACE, 0 },	{ 15, FAM_TRACE, 0 },	{ 16, FAM_TRACE, 0 },
	{ 26, FAM_SKB, 0 },	{ 44, FAM_XDP, 0 },	{ 45, FAM_TRACE, 0 },
	{ 54, FAM_XDP, 0 },	{ 65, FAM_XDP, 0 },	{ 112, FAM_TRACE, 0 },
	{ 113, FAM_ALL, 1 },	{ 114, FAM_TRACE, 0 },	{ 115, FAM_ALL, 1 },
	{ 93, FAM_ALL, 0 },	{ 94, FAM_ALL, 0 },	{ 164, FAM_ALL, 0 },
	{ 181, FAM_ALL, 0 },	{ 131, FAM_ALL, 0 },	{ 132, FAM_ALL, 0 },	{ 133, FAM_ALL, 0 },
};

/* Map types each helper with a map argument accepts (0 in .map_type: any of the data maps). */
static int map_fits_helper(uint32_t map_type, int32_t helper_id)
{
	int is_special = map_type == BPF_MAP_TYPE_PROG_ARRAY || map_type == BPF_MAP_TYPE_RINGBUF ||
			 map_type == BPF_MAP_TYPE_QUEUE || map_type == BPF_MAP_TYPE_STACK ||
			 map_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;

	switch (helper_id) {
	case 12:
		return map_type == BPF_MAP_TYPE_PROG_ARRAY;
	case 131: case 132: case 133: case 134: case 135:
		return map_type == BPF_MAP_TYPE_RINGBUF;
	case 25:
		return map_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	default:
		return !is_special;
	}
}

/* ------------------------------------------------------------ program types */

/* Per program type: helper families, packet writes, return range (context access: ctx.def). */
struct prog_rule {
	uint32_t type;
	uint8_t fams;
	uint8_t can_write_pkt;
	int32_t ret_min, ret_max;	/* ret_min > ret_max: any value */
};

static const struct prog_rule prog_rules[] = {
	{ BPF_PROG_TYPE_SOCKET_FILTER, FAM_ALL | FAM_SKB, 0, 1, 0 },
	{ BPF_PROG_TYPE_KPROBE, FAM_ALL | FAM_TRACE, 0, 1, 0 },
	{ BPF_PROG_TYPE_SCHED_CLS, FAM_ALL | FAM_SKB | FAM_SKB_RW, 1, 1, 0 },
	{ BPF_PROG_TYPE_SCHED_ACT, FAM_ALL | FAM_SKB | FAM_SKB_RW, 1, 1, 0 },
	{ BPF_PROG_TYPE_TRACEPOINT, FAM_ALL | FAM_TRACE, 0, 1, 0 },
	{ BPF_PROG_TYPE_XDP, FAM_ALL | FAM_XDP, 1, 1, 0 },
	{ BPF_PROG_TYPE_PERF_EVENT, FAM_ALL | FAM_TRACE, 0, 1, 0 },
	{ BPF_PROG_TYPE_CGROUP_SKB, FAM_ALL | FAM_SKB, 0, 0, 1 },
	{ BPF_PROG_TYPE_CGROUP_SOCK, FAM_ALL, 0, 0, 1 },
	{ BPF_PROG_TYPE_CGROUP_DEVICE, FAM_ALL, 0, 0, 1 },
	{ BPF_PROG_TYPE_RAW_TRACEPOINT, FAM_ALL | FAM_TRACE, 0, 1, 0 },
	{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, FAM_ALL, 0, 0, 1 },
	{ BPF_PROG_TYPE_CGROUP_SYSCTL, FAM_ALL, 0, 0, 1 },
	{ BPF_PROG_TYPE_CGROUP_SOCKOPT, FAM_ALL, 0, 0, 1 },
	{ BPF_PROG_TYPE_SK_LOOKUP, FAM_ALL, 0, 0, 1 },
};

/* ------------------------------------------------------------ environment */

struct ckpt {
	struct ubf_vstate st;
	struct ckpt *parent;	/* the checkpoint this path passed before */
	struct ckpt *next;	/* next at the same instruction */
	uint32_t branches;	/* paths from here still being explored */
};

struct path {
	struct ubf_vstate st;
	struct ckpt *cp;
	uint32_t from;
};

struct env {
	const struct ubf_verify_input *in;
	const struct ubf_raw_insn *insns;
	size_t cnt;
	int16_t *row;		/* insn.def row per slot, -1 for the second lddw slot */
	uint8_t *is_prune;
	struct ckpt **ckpts;
	uint16_t *ckpt_cnt;
	uint64_t ckpt_total;
	struct path *pend;
	size_t pend_cnt;
	struct ubf_vstate *st;		/* the path being walked */
	struct ubf_vstate *tmp;		/* the taken side of a branch */
	struct ckpt *cp;
	const struct prog_rule *rule;
	uint32_t id_gen;
	uint32_t stack_depth;
	uint64_t processed;
	uint64_t limit;
	struct ubf_verify_result *out;
	size_t log_cap;
};

static void vlog(struct env *env, const char *fmt, ...) UBF_PRINTF(2, 3);

static void vlog(struct env *env, const char *fmt, ...)
{
	struct ubf_verify_result *o = env->out;
	va_list ap;
	int n;

	if (!env->in->log_level || o->log_len >= LOG_CAP)
		return;
	if (o->log_len + 512 > env->log_cap) {
		size_t cap = env->log_cap ? env->log_cap * 2 : 65536;
		char *p = realloc(o->log, cap);

		if (!p)
			return;
		o->log = p;
		env->log_cap = cap;
	}
	va_start(ap, fmt);
	n = vsnprintf(o->log + o->log_len, 512, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->log_len += (size_t)n < 512 ? (size_t)n : 511;
}

static int rej(struct env *env, uint32_t idx, const char *id, const char *fmt, ...)
	UBF_PRINTF(4, 5);

/* Reject at @idx with rule @id; log the state the error was found in. */
static int rej(struct env *env, uint32_t idx, const char *id, const char *fmt, ...)
{
	struct ubf_diag *d = &env->out->diag;
	char state[1024];
	va_list ap;

	d->insn_idx = idx;
	d->id = id;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	if (env->st && env->in->log_level) {
		ubf_vfy_state_print(env->st, state, sizeof(state));
		vlog(env, "%u: %s\n%s: %s\n", idx, state, id, d->msg);
	}
	return -EACCES;
}

static const struct ubf_insn_desc *desc_at(const struct env *env, size_t idx)
{
	return &ubf_isa_desc[env->row[idx]];
}

static int is_unpriv(const struct env *env)
{
	return env->in->is_unpriv != 0;
}

static const struct ubf_verify_map *map_of(const struct env *env, const struct ubf_vreg *r)
{
	return &env->in->maps[r->map];
}

/* ------------------------------------------------------------ register reads */

static int check_read(struct env *env, uint32_t idx, unsigned regno, const char *rule)
{
	if (env->st->regs[regno].type == UBF_VREG_NOT_INIT)
		return rej(env, idx, rule, "R%u !read_ok", regno);
	return 0;
}

static struct ubf_scalar scalar_sized(unsigned size, int is_signed)
{
	unsigned bits = 8 * size;

	if (size >= 8)
		return ubf_scalar_unknown();
	if (is_signed)
		return ubf_scalar_from_srange(-((int64_t)1 << (bits - 1)),
					      ((int64_t)1 << (bits - 1)) - 1);
	return ubf_scalar_from_urange(0, ((uint64_t)1 << bits) - 1);
}

/* Every register and spill that shares @ref or is a packet pointer becomes unknown. */
static void invalidate(struct ubf_vstate *st, uint32_t ref, int pkt)
{
	unsigned i;

	for (i = 0; i < UBF_VFY_REGS + UBF_VFY_SLOTS; i++) {
		struct ubf_vreg *r = i < UBF_VFY_REGS ? &st->regs[i] :
							&st->stack[i - UBF_VFY_REGS].spill;
		int is_pkt = r->type == UBF_VREG_PACKET || r->type == UBF_VREG_PACKET_END ||
			     r->type == UBF_VREG_PACKET_META;

		if (i >= UBF_VFY_REGS && st->stack[i - UBF_VFY_REGS].type[0] != UBF_VSLOT_SPILL)
			continue;
		if ((ref && r->ref == ref) || (pkt && is_pkt))
			ubf_vfy_reg_unknown(r);
	}
}

/* ------------------------------------------------------------ ALU */

static const char *op_sym(unsigned op)
{
	switch (op) {
	case UBF_OP_ADD: return "+=";
	case UBF_OP_SUB: return "-=";
	case UBF_OP_MUL: return "*=";
	case UBF_OP_DIV: case UBF_OP_SDIV: return "/=";
	case UBF_OP_MOD: case UBF_OP_SMOD: return "%=";
	case UBF_OP_OR: return "|=";
	case UBF_OP_AND: return "&=";
	case UBF_OP_XOR: return "^=";
	case UBF_OP_LSH: return "<<=";
	case UBF_OP_RSH: return ">>=";
	case UBF_OP_ARSH: return "s>>=";
	default: return "?=";
	}
}

/* Is a scalar added to a pointer sane (Linux's check_reg_sane_offset)? */
static int check_offset_sane(struct env *env, uint32_t idx, const struct ubf_vreg *ptr,
			     const struct ubf_scalar *s)
{
	const char *rule = ptr->type == UBF_VREG_CTX ? "ptr.ctx_var" : "ptr.unbounded_add";
	const char *name = ubf_vfy_type_name(ptr->type);

	if (ubf_scalar_is_const(s) && ((int64_t)s->var_off.value >= MAX_VAR_OFF ||
				       (int64_t)s->var_off.value <= -MAX_VAR_OFF))
		return rej(env, idx, rule, "math between %s pointer and %" PRId64 " is not allowed",
			   name, (int64_t)s->var_off.value);
	if (s->smin == INT64_MIN)
		return rej(env, idx, rule,
			   "math between %s pointer and register with unbounded min value is not allowed",
			   name);
	if (s->smin >= MAX_VAR_OFF || s->smin <= -MAX_VAR_OFF)
		return rej(env, idx, rule, "value %" PRId64 " makes %s pointer be out of bounds",
			   s->smin, name);
	return 0;
}

static int ptr_alu(struct env *env, uint32_t idx, struct ubf_vreg *dst, unsigned dreg,
		   const struct ubf_vreg *ptr, const struct ubf_scalar *off, unsigned op,
		   unsigned width)
{
	const char *name = ubf_vfy_type_name(ptr->type);
	struct ubf_vreg r = *ptr;
	int err;

	if (width != 64) {
		if (op == UBF_OP_SUB && !is_unpriv(env)) {
			ubf_vfy_reg_unknown(dst);
			return 0;
		}
		return rej(env, idx, "ptr.alu32", "R%u 32-bit pointer arithmetic prohibited", dreg);
	}
	if (ubf_vfy_reg_is_null_ptr(ptr))
		return rej(env, idx, "ptr.or_null",
			   "R%u pointer arithmetic on %s prohibited, null-check it first", dreg, name);
	if (ptr->type == UBF_VREG_MAP_PTR || ptr->type == UBF_VREG_PACKET_END ||
	    ptr->type == UBF_VREG_FUNC)
		return rej(env, idx,
			   ptr->type == UBF_VREG_MAP_PTR ? "ptr.map_ptr" :
			   ptr->type == UBF_VREG_FUNC ? "ptr.func" : "ptr.pkt_end",
			   "R%u pointer arithmetic on %s prohibited", dreg, name);
	if (op == UBF_OP_AND || op == UBF_OP_OR || op == UBF_OP_XOR)
		return rej(env, idx, "ptr.alu32", "R%u bitwise operator %s on pointer prohibited",
			   dreg, op_sym(op));
	if (op != UBF_OP_ADD && op != UBF_OP_SUB)
		return rej(env, idx, "ptr.alu32", "R%u pointer arithmetic with %s operator prohibited",
			   dreg, op_sym(op));
	err = check_offset_sane(env, idx, ptr, off);
	if (err)
		return err;
	if (ubf_scalar_is_const(off)) {
		int64_t v = (int64_t)off->var_off.value;
		int64_t n = op == UBF_OP_ADD ? (int64_t)r.off + v : (int64_t)r.off - v;

		if (n >= MAX_VAR_OFF || n <= -MAX_VAR_OFF)
			return rej(env, idx, "ptr.unbounded_add",
				   "%s pointer offset %" PRId64 " is not allowed", name, n);
		r.off = (int32_t)n;
	} else {
		ubf_scalar_alu(&r.s, op, 64, off);
		if (r.type == UBF_VREG_PACKET || r.type == UBF_VREG_PACKET_META) {
			r.id = ++env->id_gen;
			r.range = 0;
		}
	}
	*dst = r;
	return 0;
}

static int check_mov(struct env *env, uint32_t idx, const struct ubf_insn_desc *d,
		     const struct ubf_raw_insn *in)
{
	struct ubf_vreg *dst = &env->st->regs[ubf_raw_dst(in)];
	struct ubf_scalar v;
	int err;

	if (d->shape == UBF_SHAPE_DST_IMM) {
		v = ubf_scalar_const((uint64_t)(int64_t)in->imm);
		if (d->width == 32)
			v = ubf_scalar_const((uint32_t)in->imm);
		ubf_vfy_reg_scalar(dst, v);
		return 0;
	}
	err = check_read(env, idx, ubf_raw_src(in), "reg.uninit_read");
	if (err)
		return err;
	if (ubf_vfy_reg_is_ptr(&env->st->regs[ubf_raw_src(in)])) {
		if (d->width == 64 && d->op == UBF_OP_MOV) {
			*dst = env->st->regs[ubf_raw_src(in)];
			return 0;
		}
		if (is_unpriv(env) || d->op != UBF_OP_MOV)
			return rej(env, idx, "ptr.alu32", "R%u partial copy of pointer",
				   ubf_raw_src(in));
		ubf_vfy_reg_unknown(dst);
		return 0;
	}
	v = env->st->regs[ubf_raw_src(in)].s;
	ubf_scalar_alu(&v, d->op, d->width, &env->st->regs[ubf_raw_src(in)].s);
	ubf_vfy_reg_scalar(dst, v);
	return 0;
}

static int check_alu(struct env *env, uint32_t idx, const struct ubf_insn_desc *d,
		     const struct ubf_raw_insn *in)
{
	unsigned dreg = ubf_raw_dst(in), sreg = ubf_raw_src(in);
	struct ubf_vreg *dst = &env->st->regs[dreg];
	struct ubf_vreg imm_reg;
	const struct ubf_vreg *src;
	int has_src = d->shape == UBF_SHAPE_DST_SRC;
	int err;

	if (d->op == UBF_OP_MOV || d->op == UBF_OP_MOVSX8 || d->op == UBF_OP_MOVSX16 ||
	    d->op == UBF_OP_MOVSX32)
		return check_mov(env, idx, d, in);
	if (has_src) {
		err = check_read(env, idx, sreg, "reg.uninit_read");
		if (err)
			return err;
	}
	err = check_read(env, idx, dreg, "reg.uninit_read");
	if (err)
		return err;
	if (has_src) {
		src = &env->st->regs[sreg];
	} else {
		ubf_vfy_reg_scalar(&imm_reg, ubf_scalar_const((uint64_t)(int64_t)in->imm));
		src = &imm_reg;
	}
	if (d->op == UBF_OP_NEG || d->op == UBF_OP_LE || d->op == UBF_OP_BE ||
	    d->op == UBF_OP_BSWAP) {
		if (ubf_vfy_reg_is_ptr(dst)) {
			if (is_unpriv(env))
				return rej(env, idx, "ptr.alu32", "R%u pointer arithmetic prohibited",
					   dreg);
			ubf_vfy_reg_unknown(dst);
			return 0;
		}
		ubf_scalar_alu(&dst->s, d->op, d->width, NULL);
		return 0;
	}
	if (ubf_vfy_reg_is_ptr(dst) && ubf_vfy_reg_is_ptr(src)) {
		if (d->op == UBF_OP_SUB && !is_unpriv(env)) {
			ubf_vfy_reg_unknown(dst);
			return 0;
		}
		return rej(env, idx, "ptr.sub_ptr", "R%u pointer %s pointer prohibited", dreg,
			   op_sym(d->op));
	}
	if (ubf_vfy_reg_is_ptr(dst))
		return ptr_alu(env, idx, dst, dreg, dst, &src->s, d->op, d->width);
	if (ubf_vfy_reg_is_ptr(src)) {
		if (d->op == UBF_OP_ADD && d->width == 64) {
			struct ubf_scalar off = dst->s;

			return ptr_alu(env, idx, dst, dreg, src, &off, d->op, d->width);
		}
		if (is_unpriv(env))
			return rej(env, idx, "ptr.alu32", "R%u pointer arithmetic prohibited", sreg);
		ubf_vfy_reg_unknown(dst);
		return 0;
	}
	ubf_scalar_alu(&dst->s, d->op, d->width, &src->s);
	return 0;
}

/* ------------------------------------------------------------ memory */

struct access {
	uint32_t idx;
	unsigned regno;
	int32_t off;		/* insn off */
	unsigned size;
	int is_write;
	int is_signed;
	const struct ubf_vreg *val;	/* stored register (STX), NULL for ST or loads */
	struct ubf_vreg result;		/* loaded value */
};

static int stack_bounds(struct env *env, struct access *a, const struct ubf_vreg *p,
			int64_t *lo, int64_t *hi)
{
	const char *what = a->is_write ? "write to" : "read from";
	int64_t base = (int64_t)p->off + a->off;

	if (!ubf_tnum_is_aligned(ubf_tnum_add(p->s.var_off, ubf_tnum_const((uint64_t)base)),
				 a->size))
		return rej(env, a->idx, "stack.misaligned", "misaligned stack access off %" PRId64
			   " size %u", base, a->size);
	if (!ubf_scalar_is_const(&p->s)) {
		if (is_unpriv(env))
			return rej(env, a->idx, "stack.var_off",
				   "R%u variable stack access prohibited for !root", a->regno);
		if (p->s.smin <= -MAX_VAR_OFF || p->s.smax >= MAX_VAR_OFF)
			return rej(env, a->idx, "stack.var_off",
				   "invalid unbounded variable-offset %s stack R%u", what, a->regno);
	}
	*lo = base + p->s.smin;
	*hi = base + p->s.smax + a->size;
	if (*lo < -UBF_VFY_STACK_SZ || *hi > 0)
		return rej(env, a->idx, ubf_scalar_is_const(&p->s) ? "stack.oob" : "stack.var_off",
			   "invalid %s stack R%u off=%" PRId64 " size=%u", what, a->regno, base,
			   a->size);
	if ((uint32_t)-*lo > env->stack_depth)
		env->stack_depth = (uint32_t)-*lo;
	return 0;
}

/* Any write into a slot that is not a whole spill turns the spill's bytes into MISC. */
static void slot_break_spill(struct ubf_vslot *s)
{
	unsigned b;

	if (s->type[0] != UBF_VSLOT_SPILL)
		return;
	for (b = 0; b < 8; b++)
		s->type[b] = UBF_VSLOT_MISC;
	if (s->spill.type == UBF_VREG_SCALAR && ubf_scalar_is_const(&s->spill.s) &&
	    s->spill.s.var_off.value == 0)
		memset(s->type, UBF_VSLOT_ZERO, 8);
	memset(&s->spill, 0, sizeof(s->spill));
}

static int stack_write(struct env *env, struct access *a, const struct ubf_vreg *p,
		       int64_t lo, int64_t hi, const struct ubf_vreg *val)
{
	int is_zero = val->type == UBF_VREG_SCALAR && ubf_scalar_is_const(&val->s) &&
		      !(val->s.var_off.value & (a->size == 8 ? ~(uint64_t)0 :
							((uint64_t)1 << (8 * a->size)) - 1));
	int64_t i;

	if (ubf_vfy_reg_is_ptr(val) && a->size != 8)
		return rej(env, a->idx, "stack.partial_fill_ptr", "invalid size of register spill");
	if (ubf_scalar_is_const(&p->s) && a->size == 8 && !((lo + 512) & 7)) {
		struct ubf_vslot *s = &env->st->stack[(lo + UBF_VFY_STACK_SZ) / 8];

		memset(s->type, UBF_VSLOT_SPILL, 8);
		s->spill = *val;
		return 0;
	}
	for (i = lo; i < hi; i++)
		slot_break_spill(&env->st->stack[(i + UBF_VFY_STACK_SZ) / 8]);
	for (i = lo; i < hi; i++) {
		struct ubf_vslot *s = &env->st->stack[(i + UBF_VFY_STACK_SZ) / 8];
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

static int stack_read(struct env *env, struct access *a, const struct ubf_vreg *p, int64_t lo,
		      int64_t hi)
{
	unsigned invalid = 0, zero = 0, spill_ptr = 0, n = (unsigned)(hi - lo);
	int64_t i;

	if (ubf_scalar_is_const(&p->s)) {
		struct ubf_vslot *s = &env->st->stack[(lo + UBF_VFY_STACK_SZ) / 8];

		if (s->type[(lo + UBF_VFY_STACK_SZ) % 8] == UBF_VSLOT_SPILL) {
			if (ubf_vfy_reg_is_ptr(&s->spill) && a->size != 8)
				return rej(env, a->idx, "stack.partial_fill_ptr",
					   "invalid size of register fill");
			if (a->size == 8) {
				a->result = s->spill;
				return 0;
			}
			a->result.s = scalar_sized(a->size, a->is_signed);
			if (ubf_scalar_is_const(&s->spill.s)) {
				uint64_t v = s->spill.s.var_off.value >> (8 * ((lo + 512) & 7));
				unsigned bits = 8 * a->size;

				v &= ((uint64_t)1 << bits) - 1;
				if (a->is_signed && (v >> (bits - 1)))
					v |= ~(((uint64_t)1 << bits) - 1);
				a->result.s = ubf_scalar_const(v);
			}
			return 0;
		}
	}
	for (i = lo; i < hi; i++) {
		const struct ubf_vslot *s = &env->st->stack[(i + UBF_VFY_STACK_SZ) / 8];
		uint8_t t = s->type[(i + UBF_VFY_STACK_SZ) % 8];

		invalid += t == UBF_VSLOT_INVALID;
		zero += t == UBF_VSLOT_ZERO;
		spill_ptr += t == UBF_VSLOT_SPILL && ubf_vfy_reg_is_ptr(&s->spill);
	}
	if (invalid && is_unpriv(env))
		return rej(env, a->idx, invalid == n ? "stack.uninit_read" : "stack.partial_init",
			   "invalid read from stack R%u off %" PRId64 " size %u", a->regno, lo,
			   a->size);
	if (spill_ptr && ubf_scalar_is_const(&p->s))
		return rej(env, a->idx, "stack.partial_fill_ptr", "invalid size of register fill");
	a->result.s = zero == n && ubf_scalar_is_const(&p->s) ? ubf_scalar_const(0) :
								scalar_sized(a->size, a->is_signed);
	return 0;
}

static int check_stack(struct env *env, struct access *a, const struct ubf_vreg *p)
{
	struct ubf_vreg tmp;
	int64_t lo, hi;
	int err = stack_bounds(env, a, p, &lo, &hi);

	if (err)
		return err;
	if (!a->is_write)
		return stack_read(env, a, p, lo, hi);
	if (!a->val) {
		ubf_vfy_reg_unknown(&tmp);
		a->val = &tmp;
		return stack_write(env, a, p, lo, hi, &tmp);
	}
	return stack_write(env, a, p, lo, hi, a->val);
}

/* Is [lo, hi) (offsets with the variable part's extremes) inside [0, size)? */
static int region_check(struct env *env, struct access *a, const struct ubf_vreg *p,
			uint64_t size, const char *rule, const char *what)
{
	int64_t lo = (int64_t)p->off + a->off + p->s.smin;

	if (p->s.smin < 0 && !ubf_scalar_is_const(&p->s))
		return rej(env, a->idx, rule,
			   "R%u min value is negative, either use unsigned index or do a if (index >=0) check",
			   a->regno);
	if (p->s.umax >= MAX_VAR_OFF)
		return rej(env, a->idx, rule,
			   "R%u unbounded memory access, make sure to bounds check any such access",
			   a->regno);
	if (lo < 0 || (uint64_t)((int64_t)p->off + a->off + (int64_t)p->s.umax + a->size) > size)
		return rej(env, a->idx, rule, "invalid access to %s, size=%" PRIu64 " off=%" PRId64
			   " size=%u", what, size, (int64_t)p->off + a->off, a->size);
	return 0;
}

static int check_map_value(struct env *env, struct access *a, const struct ubf_vreg *p)
{
	const struct ubf_verify_map *m = map_of(env, p);
	int64_t lo, hi;
	int err = region_check(env, a, p, m->value_sz, "map.value_oob", "map value");

	if (err)
		return err;
	if (a->is_write && (m->flags & BPF_F_RDONLY_PROG))
		return rej(env, a->idx, "map.readonly", "write into map forbidden");
	lo = (int64_t)p->off + a->off + p->s.smin;
	hi = (int64_t)p->off + a->off + (int64_t)p->s.umax + a->size;
	if (m->lock_off >= 0 && lo < m->lock_off + 4 && hi > m->lock_off)
		return rej(env, a->idx, "lock.arg",
			   "bpf_spin_lock cannot be accessed directly by load/store");
	if (a->val && ubf_vfy_reg_is_ptr(a->val) && is_unpriv(env))
		return rej(env, a->idx, "map.value_oob", "R%u leaks addr into map", a->regno);
	a->result.s = scalar_sized(a->size, a->is_signed);
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
	case UBF_CTX_REG_SCALAR:
	case UBF_CTX_REG_SOCKET:
	case UBF_CTX_REG_SOCKET_OR_NULL:
	case UBF_CTX_REG_SOCK_COMMON_OR_NULL:
	case UBF_CTX_REG_FLOW_KEYS:
	case UBF_CTX_REG_TP_BUFFER:
	case UBF_CTX_REG_BTF_ARG:
		break;
	}
	/* not modelled yet: a scalar, which the program cannot dereference */
	return 0;
}

static int check_ctx(struct env *env, struct access *a, const struct ubf_vreg *p)
{
	int64_t off = (int64_t)p->off + a->off;
	struct ubf_ctx_result r;
	uint8_t type;

	if (!ubf_scalar_is_const(&p->s))
		return rej(env, a->idx, "ctx.modified", "variable ctx access var_off=(%#" PRIx64
			   "; %#" PRIx64 ") disallowed", p->s.var_off.value, p->s.var_off.mask);
	if (p->off)
		return rej(env, a->idx, "ctx.modified",
			   "dereference of modified ctx ptr R%u off=%d disallowed", a->regno, p->off);
	a->result.s = scalar_sized(a->size, 0);
	/* a program type the walk has no rules for yet gets no context at all */
	if (!env->rule || ubf_ctx_access(env->in->prog_type, env->in->attach, off, a->size, a->is_write, &r))
		return rej(env, a->idx, a->is_write ? "ctx.write" : "ctx.read",
			   "invalid bpf_context access off=%" PRId64 " size=%u", off, a->size);
	type = a->is_write ? 0 : ctx_reg_type(r.reg);
	if (type)
		ubf_vfy_reg_ptr(&a->result, type, 0);
	return 0;
}

static int check_packet(struct env *env, struct access *a, const struct ubf_vreg *p)
{
	/* the range is proven for every pointer with this id: they share the variable part */
	int64_t lo = (int64_t)p->off + a->off;
	int64_t hi = lo + a->size;

	if (a->is_write && (!env->rule || !env->rule->can_write_pkt))
		return rej(env, a->idx, "pkt.write", "cannot write into packet");
	if (p->s.smin < 0 || p->s.umax > MAX_PACKET_OFF ||
	    (int64_t)p->s.umax + p->off > MAX_PACKET_OFF)
		return rej(env, a->idx, "pkt.var_off",
			   "R%u offset is outside of the packet", a->regno);
	if (lo < 0 || hi > (int64_t)p->range)
		return rej(env, a->idx, p->type == UBF_VREG_PACKET_META ? "pkt.meta" : "pkt.bounds",
			   "invalid access to packet, off=%d size=%u, R%u(id=%u,off=%d,r=%u)",
			   a->off, a->size, a->regno, p->id, p->off, p->range);
	if (a->val && ubf_vfy_reg_is_ptr(a->val) && is_unpriv(env))
		return rej(env, a->idx, "pkt.write", "R%u leaks addr into packet", a->regno);
	a->result.s = scalar_sized(a->size, a->is_signed);
	return 0;
}

static int check_access(struct env *env, struct access *a)
{
	const struct ubf_vreg *p = &env->st->regs[a->regno];
	const char *name = ubf_vfy_type_name(p->type);

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

		a->result.s = scalar_sized(a->size, a->is_signed);
		return err;
	}
	case UBF_VREG_MAP_VALUE_OR_NULL:
		return rej(env, a->idx, "map.null_check", "R%u invalid mem access '%s'", a->regno,
			   name);
	case UBF_VREG_MEM_OR_NULL:
		return rej(env, a->idx, "ref.null_check", "R%u invalid mem access '%s'", a->regno,
			   name);
	case UBF_VREG_PACKET_END:
		return rej(env, a->idx, "pkt.end_deref", "R%u invalid mem access '%s'", a->regno,
			   name);
	case UBF_VREG_MAP_PTR:
		return rej(env, a->idx, "reg.map_ptr_deref",
			   "R%u %s of the map struct is not verified", a->regno,
			   a->is_write ? "a write" : "a read");
	default:
		return rej(env, a->idx, "reg.scalar_deref", "R%u invalid mem access '%s'", a->regno,
			   name);
	}
}

static int check_ldx(struct env *env, uint32_t idx, const struct ubf_insn_desc *d,
		     const struct ubf_raw_insn *in)
{
	struct access a = { .idx = idx, .regno = ubf_raw_src(in), .off = in->off,
			    .size = d->width, .is_signed = d->op == UBF_OP_MEMSX };
	int err = check_read(env, idx, a.regno, "reg.uninit_read");

	err = err ? err : check_access(env, &a);
	if (err)
		return err;
	env->st->regs[ubf_raw_dst(in)] = a.result;
	return 0;
}

static int check_store(struct env *env, uint32_t idx, const struct ubf_insn_desc *d,
		       const struct ubf_raw_insn *in)
{
	struct access a = { .idx = idx, .regno = ubf_raw_dst(in), .off = in->off,
			    .size = d->width, .is_write = 1 };
	struct ubf_vreg imm;
	int err = 0;

	if (d->kind == UBF_KIND_STX) {
		err = check_read(env, idx, ubf_raw_src(in), "reg.uninit_read");
		a.val = &env->st->regs[ubf_raw_src(in)];
	} else {
		ubf_vfy_reg_scalar(&imm, ubf_scalar_const((uint64_t)(int64_t)in->imm));
		a.val = &imm;
	}
	err = err ? err : check_read(env, idx, a.regno, "reg.uninit_read");
	if (err)
		return err;
	if (env->st->regs[a.regno].type == UBF_VREG_CTX && d->kind == UBF_KIND_STX &&
	    ubf_vfy_reg_is_ptr(a.val))
		return rej(env, idx, "ctx.write", "R%u leaks addr into ctx", ubf_raw_src(in));
	return check_access(env, &a);
}

static int check_atomic(struct env *env, uint32_t idx, const struct ubf_insn_desc *d,
			const struct ubf_raw_insn *in)
{
	unsigned sreg = ubf_raw_src(in), dreg = ubf_raw_dst(in);
	struct access a = { .idx = idx, .regno = dreg, .off = in->off, .size = d->width };
	const struct ubf_vreg *p;
	int err;

	if (d->op == UBF_OP_LOAD_ACQ) {
		a.regno = sreg;
		err = check_read(env, idx, sreg, "reg.uninit_read");
		err = err ? err : check_access(env, &a);
		if (!err)
			env->st->regs[dreg] = a.result;
		return err;
	}
	err = check_read(env, idx, sreg, "reg.uninit_read");
	err = err ? err : check_read(env, idx, dreg, "reg.uninit_read");
	if (!err && d->op == UBF_OP_CMPXCHG)
		err = check_read(env, idx, 0, "reg.uninit_read");
	if (err)
		return err;
	if (ubf_vfy_reg_is_ptr(&env->st->regs[sreg]) && d->op != UBF_OP_STORE_REL)
		return rej(env, idx, "atomic.ptr", "R%u leaks addr into mem", sreg);
	p = &env->st->regs[dreg];
	if (d->op != UBF_OP_STORE_REL && p->type != UBF_VREG_STACK &&
	    p->type != UBF_VREG_MAP_VALUE && p->type != UBF_VREG_MEM)
		return rej(env, idx, "atomic.ptr", "BPF_ATOMIC stores into R%u %s is not allowed",
			   dreg, ubf_vfy_type_name(p->type));
	if (d->op != UBF_OP_STORE_REL) {
		err = check_access(env, &a);	/* the read half */
		if (err)
			return err;
	}
	a.is_write = 1;
	a.val = &env->st->regs[sreg];
	if (d->op != UBF_OP_STORE_REL) {
		struct ubf_vreg unknown;

		ubf_vfy_reg_unknown(&unknown);
		a.val = &unknown;
		err = check_access(env, &a);
	} else {
		err = check_access(env, &a);
	}
	if (err)
		return err;
	if (d->op == UBF_OP_CMPXCHG)
		ubf_vfy_reg_scalar(&env->st->regs[0], scalar_sized(d->width, 0));
	else if (d->op != UBF_OP_STORE_REL && (in->imm & BPF_FETCH))
		ubf_vfy_reg_scalar(&env->st->regs[sreg], scalar_sized(d->width, 0));
	return 0;
}

static int check_lddw(struct env *env, uint32_t idx, const struct ubf_insn_desc *d,
		      const struct ubf_raw_insn *in)
{
	struct ubf_vreg *dst = &env->st->regs[ubf_raw_dst(in)];
	uint64_t v = (uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
	const struct ubf_verify_map *m;

	switch (d->op) {
	case UBF_OP_IMM:
		ubf_vfy_reg_scalar(dst, ubf_scalar_const(v));
		return 0;
	case UBF_OP_MAP_FD:
	case UBF_OP_MAP_IDX:
	case UBF_OP_MAP_VALUE:
	case UBF_OP_MAP_IDX_VALUE:
		break;
	case UBF_OP_FUNC:
		ubf_vfy_reg_ptr(dst, UBF_VREG_FUNC, 0);
		dst->map = (uint32_t)(idx + 1 + in->imm);
		return 0;
	default:
		return rej(env, idx, "ld.imm64", "lddw of kind %s is not accepted",
			   ubf_isa_op_name(d->op));
	}
	if (in->imm < 0 || (size_t)in->imm >= env->in->map_cnt)
		return rej(env, idx, "map.fd", "fd %d is not pointing to valid bpf_map", in->imm);
	m = &env->in->maps[in->imm];
	if (m->lock_off >= 0 && env->in->prog_type == BPF_PROG_TYPE_SOCKET_FILTER)
		return rej(env, idx, "lock.arg", "socket filter progs cannot use bpf_spin_lock yet");
	if (d->op == UBF_OP_MAP_FD || d->op == UBF_OP_MAP_IDX) {
		ubf_vfy_reg_ptr(dst, UBF_VREG_MAP_PTR, 0);
		dst->map = (uint32_t)in->imm;
		return 0;
	}
	if (m->type != BPF_MAP_TYPE_ARRAY || m->max_entries != 1)
		return rej(env, idx, "map.direct_value",
			   "no direct value access support for this map type");
	if ((uint32_t)in[1].imm >= m->value_sz)
		return rej(env, idx, "map.direct_value",
			   "invalid access to map value pointer, value_size=%u off=%u", m->value_sz,
			   (uint32_t)in[1].imm);
	ubf_vfy_reg_ptr(dst, UBF_VREG_MAP_VALUE, in[1].imm);
	dst->map = (uint32_t)in->imm;
	return 0;
}

static int check_ld_pkt(struct env *env, uint32_t idx, const struct ubf_insn_desc *d,
			const struct ubf_raw_insn *in)
{
	const struct ubf_vreg *ctx = &env->st->regs[6];
	unsigned i;
	int err;

	/* Linux's may_access_skb() */
	if (env->in->prog_type != BPF_PROG_TYPE_SOCKET_FILTER &&
	    env->in->prog_type != BPF_PROG_TYPE_SCHED_CLS &&
	    env->in->prog_type != BPF_PROG_TYPE_SCHED_ACT)
		return rej(env, idx, "pkt.ld_abs", "BPF_LD_[ABS|IND] instructions not allowed for this program type");
	if (ctx->type != UBF_VREG_CTX || ctx->off || !ubf_scalar_is_const(&ctx->s))
		return rej(env, idx, "pkt.ld_abs", "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
	if (d->op == UBF_OP_IND) {
		err = check_read(env, idx, ubf_raw_src(in), "reg.uninit_read");
		if (err)
			return err;
		if (ubf_vfy_reg_is_ptr(&env->st->regs[ubf_raw_src(in)]))
			return rej(env, idx, "pkt.ld_abs", "R%u is not a scalar", ubf_raw_src(in));
	}
	for (i = 1; i <= 5; i++)
		memset(&env->st->regs[i], 0, sizeof(env->st->regs[i]));
	ubf_vfy_reg_scalar(&env->st->regs[0], scalar_sized(d->width, 0));
	return 0;
}

/* ------------------------------------------------------------ helper calls */

struct call {
	uint32_t idx;
	const struct hproto *h;
	int map;		/* map argument's index, -1 none */
	uint32_t mem_sz;	/* the constant size argument 2 of a helper returning memory */
	const char *rule;	/* rule for argument type errors */
};

static int mem_arg(struct env *env, struct call *c, unsigned regno, uint64_t umax, int is_write,
		   int may_null)
{
	const struct ubf_vreg *p = &env->st->regs[regno];
	struct access a = { .idx = c->idx, .regno = regno, .is_write = is_write };
	uint64_t done;
	int err;

	if (may_null && p->type == UBF_VREG_SCALAR && ubf_scalar_is_const(&p->s) &&
	    !p->s.var_off.value)
		return 0;
	if (p->type != UBF_VREG_STACK && p->type != UBF_VREG_MAP_VALUE &&
	    p->type != UBF_VREG_PACKET && p->type != UBF_VREG_PACKET_META &&
	    p->type != UBF_VREG_MEM)
		return rej(env, c->idx, p->type == UBF_VREG_NOT_INIT ? "reg.uninit_read" : c->rule,
			   "R%u type=%s expected=fp, pkt, pkt_meta, map_key, map_value, mem", regno,
			   ubf_vfy_type_name(p->type));
	if (p->type == UBF_VREG_STACK && !ubf_scalar_is_const(&p->s))
		return rej(env, c->idx, "helper.arg_mem",
			   "R%u variable-offset stack memory passed to a helper", regno);
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

			err = stack_bounds(env, &a, p, &lo, &hi);
			if (!err && !is_write) {
				err = stack_read(env, &a, p, lo, hi);
				if (err == -EACCES && !strcmp(env->out->diag.id,
							      "stack.partial_fill_ptr") &&
				    !is_unpriv(env))
					err = 0;	/* root may pass spilled pointers' bytes */
			}
			if (!err && is_write) {
				struct ubf_vreg unk;

				ubf_vfy_reg_unknown(&unk);
				a.size = step;
				if (step == 8)
					a.val = &unk;
				err = stack_write(env, &a, p, lo, hi, &unk);
			}
		} else {
			err = check_access(env, &a);
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

static int size_arg(struct env *env, struct call *c, unsigned regno, int may_zero,
		    uint64_t *umax)
{
	const struct ubf_vreg *r = &env->st->regs[regno];

	if (r->type != UBF_VREG_SCALAR)
		return rej(env, c->idx, "helper.arg_type", "R%u type=%s expected=scalar", regno,
			   ubf_vfy_type_name(r->type));
	if (r->s.smin < 0)
		return rej(env, c->idx, "helper.arg_size",
			   "R%u min value is negative, either use unsigned or 'var &= const'", regno);
	if (r->s.umax >= MAX_VAR_OFF)
		return rej(env, c->idx, "helper.arg_size",
			   "R%u unbounded memory access, use 'var &= const' or 'if (var < const)'",
			   regno);
	if (!may_zero && r->s.umin == 0)
		return rej(env, c->idx, "helper.arg_size", "R%u invalid zero-sized read", regno);
	*umax = r->s.umax;
	return 0;
}

static int check_arg(struct env *env, struct call *c, unsigned i)
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
		return rej(env, c->idx, c->h->id == 12 ? "tail.args" : "reg.uninit_read",
			   "R%u !read_ok", regno);
	switch (t) {
	case UBF_ARG_ANYTHING:
		if (ubf_vfy_reg_is_ptr(r) && is_unpriv(env))
			return rej(env, c->idx, c->rule, "R%u leaks addr into helper function", regno);
		return 0;
	case UBF_ARG_SCALAR:
		if (r->type != UBF_VREG_SCALAR)
			return rej(env, c->idx, c->rule, "R%u type=%s expected=scalar", regno, name);
		return 0;
	case UBF_ARG_CONST_MAP_PTR:
		if (r->type != UBF_VREG_MAP_PTR)
			return rej(env, c->idx, c->rule, "R%u type=%s expected=map_ptr", regno, name);
		c->map = (int)r->map;
		if (!map_fits_helper(env->in->maps[r->map].type, c->h->id))
			return rej(env, c->idx, c->rule,
				   c->h->id == 12 ? "expected prog array map for tail call" :
						    "cannot pass map_type %u into func bpf_%s#%d",
				   env->in->maps[r->map].type, c->h->name, c->h->id);
		return 0;
	case UBF_ARG_MAP_KEY:
	case UBF_ARG_MAP_VALUE:
	case UBF_ARG_MAP_VALUE_UNINIT:
		if (!m)
			return rej(env, c->idx, c->rule, "R%u map argument missing", regno);
		err = mem_arg(env, c, regno, t == UBF_ARG_MAP_KEY ? m->key_sz : m->value_sz,
			      t == UBF_ARG_MAP_VALUE_UNINIT, 0);
		return err;
	case UBF_ARG_MEM:
	case UBF_ARG_MEM_OR_NULL:
	case UBF_ARG_MEM_UNINIT:
		if (i == 4)
			return rej(env, c->idx, c->rule, "R%u has no size argument", regno);
		err = check_read(env, c->idx, regno + 1, "reg.uninit_read");
		err = err ? err : size_arg(env, c, regno + 1,
					   c->h->args[i + 1] == UBF_ARG_SIZE_OR_ZERO, &size);
		return err ? err : mem_arg(env, c, regno, size, t == UBF_ARG_MEM_UNINIT,
					   t == UBF_ARG_MEM_OR_NULL);
	case UBF_ARG_SIZE:
	case UBF_ARG_SIZE_OR_ZERO:
		return 0;	/* checked with the memory argument */
	case UBF_ARG_CTX:
		if (r->type != UBF_VREG_CTX)
			return rej(env, c->idx, c->rule, "R%u type=%s expected=ctx", regno, name);
		if (r->off || !ubf_scalar_is_const(&r->s))
			return rej(env, c->idx, "ctx.modified",
				   "dereference of modified ctx ptr R%u off=%d disallowed", regno,
				   r->off);
		return 0;
	case UBF_ARG_STACK_OR_NULL:
		if (r->type == UBF_VREG_STACK || (r->type == UBF_VREG_SCALAR &&
						  ubf_scalar_is_const(&r->s) && !r->s.umin))
			return 0;
		return rej(env, c->idx, c->rule, "R%u type=%s expected=fp", regno, name);
	case UBF_ARG_RINGBUF_MEM:
		if (r->type != UBF_VREG_MEM || !r->ref)
			return rej(env, c->idx, "ref.double_release", "R%u type=%s expected=ringbuf_mem",
				   regno, name);
		if (r->off || !ubf_scalar_is_const(&r->s) || r->s.var_off.value)
			return rej(env, c->idx, "ref.double_release",
				   "R%u must have zero offset when passed to release func", regno);
		return 0;
	case UBF_ARG_PTR_TO_LONG:
		return mem_arg(env, c, regno, 8, 1, 0);
	default:
		return rej(env, c->idx, c->rule, "R%u: helper bpf_%s#%d argument kind %u is not verified",
			   regno, c->h->name, c->h->id, t);
	}
}

static const struct hproto *helper_find(int32_t id)
{
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(helpers); i++)
		if (helpers[i].id == id)
			return &helpers[i];
	return NULL;
}

static int helper_allowed(const struct env *env, const struct hproto *h)
{
	size_t i;

	if (!env->rule)
		return 0;
	for (i = 0; i < UBF_ARRAY_SIZE(helper_fams); i++)
		if (helper_fams[i].id == h->id)
			return (helper_fams[i].fams & env->rule->fams) &&
			       !(helper_fams[i].is_priv && is_unpriv(env));
	return 0;
}

static int call_ret(struct env *env, struct call *c)
{
	struct ubf_vstate *st = env->st;
	struct ubf_vreg *r0 = &st->regs[0];
	const struct hproto *h = c->h;

	switch (h->ret) {
	case UBF_RET_INTEGER:
		ubf_vfy_reg_unknown(r0);
		return 0;
	case UBF_RET_VOID:
		memset(r0, 0, sizeof(*r0));
		return 0;
	case UBF_RET_MAP_VALUE_OR_NULL:
		ubf_vfy_reg_ptr(r0, UBF_VREG_MAP_VALUE_OR_NULL, 0);
		r0->map = (uint32_t)c->map;
		r0->id = ++env->id_gen;
		return 0;
	case UBF_RET_MEM_OR_NULL:
		if (st->ref_cnt == UBF_VFY_MAX_REFS)
			return rej(env, c->idx, "limit.refs", "too many references held");
		ubf_vfy_reg_ptr(r0, UBF_VREG_MEM_OR_NULL, 0);
		r0->range = c->mem_sz;
		r0->id = ++env->id_gen;
		r0->ref = r0->id;
		st->refs[st->ref_cnt++] = r0->ref;
		return 0;
	default:
		return rej(env, c->idx, "helper.ret", "helper bpf_%s#%d: return kind %u is not verified",
			   h->name, h->id, h->ret);
	}
}

static void release_ref(struct ubf_vstate *st, uint32_t ref)
{
	uint32_t i;

	for (i = 0; i < st->ref_cnt; i++) {
		if (st->refs[i] != ref)
			continue;
		st->refs[i] = st->refs[--st->ref_cnt];
		break;
	}
	invalidate(st, ref, 0);
}

/* bpf_spin_lock / bpf_spin_unlock: r1 points at the lock of a map value. */
static int check_spin_lock(struct env *env, uint32_t idx, const struct hproto *h)
{
	struct ubf_vstate *st = env->st;
	const struct ubf_vreg *r = &st->regs[1];
	int is_lock = !strcmp(h->name, "spin_lock");
	const struct ubf_verify_map *m;
	unsigned i;

	if (r->type != UBF_VREG_MAP_VALUE)
		return rej(env, idx, r->type == UBF_VREG_NOT_INIT ? "reg.uninit_read" : "lock.arg",
			   "R1 type=%s expected=map_value", ubf_vfy_type_name(r->type));
	m = map_of(env, r);
	if (m->lock_off < 0)
		return rej(env, idx, "lock.arg",
			   "map has to have BTF in order to use bpf_spin_lock");
	if (!ubf_scalar_is_const(&r->s) ||
	    (int64_t)r->off + (int64_t)r->s.var_off.value != m->lock_off)
		return rej(env, idx, "lock.arg",
			   "R1 off %d doesn't point to 'struct bpf_spin_lock' that is at %d", r->off,
			   m->lock_off);
	if (is_lock) {
		if (st->lock_map)
			return rej(env, idx, "lock.call_held",
				   "function calls are not allowed while holding a lock");
		st->lock_map = r->map + 1;
		st->lock_id = r->id;
	} else {
		if (!st->lock_map)
			return rej(env, idx, "lock.unlock_unlocked",
				   "bpf_spin_unlock without taking a lock");
		if (st->lock_map != r->map + 1 || st->lock_id != r->id)
			return rej(env, idx, "lock.unlock_unlocked", "bpf_spin_unlock of different lock");
		st->lock_map = 0;
		st->lock_id = 0;
	}
	for (i = 1; i <= 5; i++)
		memset(&st->regs[i], 0, sizeof(st->regs[i]));
	memset(&st->regs[0], 0, sizeof(st->regs[0]));
	return 0;
}

static int check_helper(struct env *env, uint32_t idx, const struct ubf_raw_insn *in)
{
	struct call c = { .idx = idx, .map = -1, .rule = "helper.arg_type" };
	struct ubf_vstate *st = env->st;
	uint32_t ref = 0;
	unsigned i;
	int err;

	c.h = helper_find(in->imm);
	if (!c.h)
		return rej(env, idx, "helper.unknown", "invalid func unknown#%d", in->imm);
	if (st->lock_map && c.h->args[0] != UBF_ARG_SPIN_LOCK)
		return rej(env, idx, "lock.call_held",
			   "function calls are not allowed while holding a lock");
	if (!helper_allowed(env, c.h))
		return rej(env, idx, "helper.prog_type",
			   "program of this type cannot use helper bpf_%s#%d", c.h->name, c.h->id);
	if (c.h->id == 12)
		c.rule = "tail.args";
	for (i = 0; i < 5; i++) {
		if (c.h->args[i] == UBF_ARG_FUNC) {
			const struct ubf_vreg *f = &st->regs[i + 1];

			if (f->type != UBF_VREG_FUNC)
				return rej(env, idx, "callback.not_func", "R%u type=%s expected=func",
					   i + 1, ubf_vfy_type_name(f->type));
			return rej(env, idx, "callback.unfollowed",
				   "helper bpf_%s#%d takes a callback, which this verifier does not follow",
				   c.h->name, c.h->id);
		}
		if (c.h->args[i] == UBF_ARG_SPIN_LOCK)
			return check_spin_lock(env, idx, c.h);
		err = check_arg(env, &c, i);
		if (err)
			return err;
		if (c.h->args[i] == UBF_ARG_RINGBUF_MEM)
			ref = st->regs[i + 1].ref;
	}
	if (c.h->ret == UBF_RET_MEM_OR_NULL) {
		const struct ubf_vreg *r2 = &st->regs[2];

		if (r2->type != UBF_VREG_SCALAR || !ubf_scalar_is_const(&r2->s) ||
		    r2->s.umin >= MAX_VAR_OFF)
			return rej(env, idx, "helper.arg_size", "R2 is not a known constant");
		c.mem_sz = (uint32_t)r2->s.umin;
	}
	if (ref)
		release_ref(st, ref);
	if (c.h->flags & UBF_HF_PKT_CHANGE)
		invalidate(st, 0, 1);
	for (i = 1; i <= 5; i++)
		memset(&st->regs[i], 0, sizeof(st->regs[i]));
	return call_ret(env, &c);
}

/* ------------------------------------------------------------ exit */

static int check_exit(struct env *env, uint32_t idx)
{
	const struct prog_rule *pr = env->rule;
	const struct ubf_vreg *r0 = &env->st->regs[0];
	int32_t lo = pr ? pr->ret_min : 0, hi = pr ? pr->ret_max : -1;

	if (env->st->lock_map)
		return rej(env, idx, "lock.held_at_exit",
			   "BPF_EXIT instruction cannot be used inside bpf_spin_lock-ed region");
	if (env->st->ref_cnt)
		return rej(env, idx, "ref.ringbuf_leak", "Unreleased reference id=%u",
			   env->st->refs[0]);
	if (r0->type == UBF_VREG_NOT_INIT)
		return rej(env, idx, "ret.r0_uninit", "R0 !read_ok");
	if (env->in->prog_type == BPF_PROG_TYPE_CGROUP_SKB &&
	    env->in->attach == BPF_CGROUP_INET_EGRESS)
		hi = 3;
	if (env->in->prog_type == BPF_PROG_TYPE_CGROUP_SOCK_ADDR &&
	    (env->in->attach == BPF_CGROUP_UDP4_RECVMSG ||
	     env->in->attach == BPF_CGROUP_UDP6_RECVMSG ||
	     env->in->attach == BPF_CGROUP_INET4_GETPEERNAME ||
	     env->in->attach == BPF_CGROUP_INET6_GETPEERNAME ||
	     env->in->attach == BPF_CGROUP_INET4_GETSOCKNAME ||
	     env->in->attach == BPF_CGROUP_INET6_GETSOCKNAME))
		lo = 1;
	if (lo > hi) {
		if (ubf_vfy_reg_is_ptr(r0) && is_unpriv(env))
			return rej(env, idx, "ret.range", "R0 leaks addr as return value");
		return 0;
	}
	if (r0->type != UBF_VREG_SCALAR)
		return rej(env, idx, "ret.range", "At program exit the register R0 is not a known value (%s)",
			   ubf_vfy_type_name(r0->type));
	if (r0->s.smin < lo || r0->s.smax > hi)
		return rej(env, idx, "ret.range",
			   "At program exit the register R0 has smin=%" PRId64 " smax=%" PRId64
			   " should have been in [%d, %d]", r0->s.smin, r0->s.smax, lo, hi);
	return 0;
}

/* ------------------------------------------------------------ branches */

static int push_path(struct env *env, const struct ubf_vstate *st, uint32_t from)
{
	struct path *p;

	if (env->pend_cnt == MAX_PENDING)
		return rej(env, from, "limit.complexity",
			   "The sequence of %u jumps is too complex", MAX_PENDING + 1);
	p = &env->pend[env->pend_cnt++];
	p->st = *st;
	p->cp = env->cp;
	p->from = from;
	if (env->cp)
		env->cp->branches++;
	return 0;
}

/* A null check: every copy of the pointer (same id) becomes non-null or the scalar 0. */
static void mark_null(struct ubf_vstate *st, uint32_t id, int is_null)
{
	unsigned i;

	for (i = 0; i < UBF_VFY_REGS + UBF_VFY_SLOTS; i++) {
		struct ubf_vreg *r = i < UBF_VFY_REGS ? &st->regs[i] :
							&st->stack[i - UBF_VFY_REGS].spill;

		if (i >= UBF_VFY_REGS && st->stack[i - UBF_VFY_REGS].type[0] != UBF_VSLOT_SPILL)
			continue;
		if (!ubf_vfy_reg_is_null_ptr(r) || r->id != id)
			continue;
		if (is_null) {
			ubf_vfy_reg_scalar(r, ubf_scalar_const(0));
			continue;
		}
		/* map values keep their id: a spin lock taken through one is named by it */
		if (r->type == UBF_VREG_MEM_OR_NULL)
			r->id = 0;
		r->type = r->type == UBF_VREG_MAP_VALUE_OR_NULL ? UBF_VREG_MAP_VALUE : UBF_VREG_MEM;
	}
	if (is_null) {
		for (i = 0; i < st->ref_cnt; i++) {
			if (st->refs[i] == id) {
				st->refs[i] = st->refs[--st->ref_cnt];
				break;
			}
		}
	}
}

static void set_pkt_range(struct ubf_vstate *st, const struct ubf_vreg *p, uint32_t range)
{
	unsigned i;

	for (i = 0; i < UBF_VFY_REGS + UBF_VFY_SLOTS; i++) {
		struct ubf_vreg *r = i < UBF_VFY_REGS ? &st->regs[i] :
							&st->stack[i - UBF_VFY_REGS].spill;

		if (i >= UBF_VFY_REGS && st->stack[i - UBF_VFY_REGS].type[0] != UBF_VSLOT_SPILL)
			continue;
		if (r->type == p->type && r->id == p->id && r->range < range)
			r->range = range;
	}
}

/*
 * Pointer comparisons that teach something: `ptr == 0` on a maybe-null
 * pointer, and a packet pointer against the packet end (or a meta pointer
 * against the packet start).  @taken_st / @fall_st get the facts of each side.
 * Return: a nonzero bitmask of live sides (1 fall, 2 taken).
 */
static int ptr_branch(struct ubf_vstate *fall, struct ubf_vstate *taken, unsigned op,
		      unsigned dreg, unsigned sreg, int is_imm, int32_t imm)
{
	const struct ubf_vreg *d = &fall->regs[dreg], *s = is_imm ? NULL : &fall->regs[sreg];
	int zero_cmp = is_imm ? imm == 0 :
				(s->type == UBF_VREG_SCALAR && ubf_scalar_is_const(&s->s) &&
				 !s->s.var_off.value);
	int le_fall, lt;
	const struct ubf_vreg *pkt;
	uint32_t pkt_end_type;

	if ((op == UBF_OP_JEQ || op == UBF_OP_JNE) && zero_cmp && ubf_vfy_reg_is_ptr(d)) {
		uint32_t id = d->id;

		if (!ubf_vfy_reg_is_null_ptr(d) || !id)
			return op == UBF_OP_JEQ ? 1 : 2;	/* never null */
		mark_null(op == UBF_OP_JEQ ? taken : fall, id, 1);
		mark_null(op == UBF_OP_JEQ ? fall : taken, id, 0);
		return 3;
	}
	if (is_imm)
		return 3;
	/* normalise to "pkt OP end" */
	pkt = d;
	pkt_end_type = d->type == UBF_VREG_PACKET ? UBF_VREG_PACKET_END :
		       d->type == UBF_VREG_PACKET_META ? UBF_VREG_PACKET : 0;
	if (!pkt_end_type || s->type != pkt_end_type) {
		pkt = s;
		pkt_end_type = s->type == UBF_VREG_PACKET ? UBF_VREG_PACKET_END :
			       s->type == UBF_VREG_PACKET_META ? UBF_VREG_PACKET : 0;
		if (!pkt_end_type || d->type != pkt_end_type)
			return 3;
		/* end OP pkt: swap the sense */
		switch (op) {
		case UBF_OP_JGT: op = UBF_OP_JLT; break;
		case UBF_OP_JGE: op = UBF_OP_JLE; break;
		case UBF_OP_JLT: op = UBF_OP_JGT; break;
		case UBF_OP_JLE: op = UBF_OP_JGE; break;
		default: return 3;
		}
	}
	if (pkt->off < 0 || pkt->s.smin < 0 || pkt->s.umax > MAX_PACKET_OFF ||
	    (int64_t)pkt->s.umax + pkt->off > MAX_PACKET_OFF)
		return 3;
	/* which side knows pkt <= end (le) or pkt < end (lt) */
	switch (op) {
	case UBF_OP_JGT: le_fall = 1; lt = 0; break;	/* fall: pkt <= end */
	case UBF_OP_JGE: le_fall = 1; lt = 1; break;	/* fall: pkt < end */
	case UBF_OP_JLT: le_fall = 0; lt = 1; break;	/* taken: pkt < end */
	case UBF_OP_JLE: le_fall = 0; lt = 0; break;	/* taken: pkt <= end */
	default: return 3;
	}
	{
		struct ubf_vreg p = *pkt;

		set_pkt_range(le_fall ? fall : taken, &p, (uint32_t)p.off + (uint32_t)lt);
	}
	return 3;
}

static int check_jmp(struct env *env, uint32_t idx, const struct ubf_insn_desc *d,
		     const struct ubf_raw_insn *in, uint32_t target)
{
	struct ubf_vstate *st = env->st;
	unsigned dreg = ubf_raw_dst(in), sreg = ubf_raw_src(in);
	int is_imm = d->shape == UBF_SHAPE_DST_IMM_OFF;
	struct ubf_vreg *dr = &st->regs[dreg], imm_reg;
	struct ubf_vreg *sr;
	struct ubf_vstate *tk = env->tmp;
	int live, err, et, ef;

	err = check_read(env, idx, dreg, "reg.uninit_read");
	if (!err && !is_imm)
		err = check_read(env, idx, sreg, "reg.uninit_read");
	if (err)
		return err;
	if (is_imm) {
		ubf_vfy_reg_scalar(&imm_reg, ubf_scalar_const((uint64_t)(int64_t)in->imm));
		if (d->width == 32)
			imm_reg.s = ubf_scalar_const((uint32_t)in->imm);
		sr = &imm_reg;
	} else {
		sr = &st->regs[sreg];
	}
	if (dr->type == UBF_VREG_SCALAR && sr->type == UBF_VREG_SCALAR) {
		int ev = ubf_scalar_branch_eval(&dr->s, &sr->s, d->op, d->width);
		struct ubf_scalar td = dr->s, ts = sr->s;

		if (ev == 1) {
			st->insn_idx = target;
			return 0;
		}
		if (ev == 0)
			return 0;
		et = ubf_scalar_branch_refine(&td, &ts, d->op, d->width, 1);
		ef = ubf_scalar_branch_refine(&dr->s, &sr->s, d->op, d->width, 0);
		if (et > 0) {
			*tk = *st;
			tk->regs[dreg].s = td;
			if (!is_imm)
				tk->regs[sreg].s = ts;
			tk->insn_idx = target;
			if (ef <= 0) {
				*st = *tk;
				return 0;
			}
			err = push_path(env, tk, idx);
			if (err)
				return err;
		}
		if (ef <= 0 && et <= 0)
			return rej(env, idx, "scalar.contradiction", "both sides of the branch are impossible");
		return 0;
	}
	if (is_unpriv(env) && !(ubf_vfy_reg_is_null_ptr(dr) && is_imm && !in->imm) &&
	    ubf_vfy_reg_is_ptr(dr) && dr->type != UBF_VREG_PACKET &&
	    dr->type != UBF_VREG_PACKET_END && dr->type != UBF_VREG_PACKET_META)
		return rej(env, idx, "ptr.compare", "R%u pointer comparison prohibited", dreg);
	*tk = *st;
	tk->insn_idx = target;
	live = d->width == 64 ? ptr_branch(st, tk, d->op, dreg, sreg, is_imm, in->imm) : 3;
	if (live == 2) {
		*st = *tk;
		return 0;
	}
	if (live & 2)
		return push_path(env, tk, idx);
	return 0;
}

/* ------------------------------------------------------------ structure */

static int check_structure(struct env *env)
{
	size_t i, cnt = env->cnt;
	uint8_t *seen;
	uint32_t *todo;
	size_t n = 0;
	int64_t target;
	int id;

	for (i = 0; i < cnt; i++)
		env->row[i] = -1;
	for (i = 0; i < cnt; i++) {
		struct ubf_diag *dg = &env->out->diag;

		id = ubf_isa_decode_one(env->insns, cnt, i, dg);
		if (id < 0) {
			if (dg->id && !strcmp(dg->id, "insn.write_r10"))
				return rej(env, (uint32_t)i, "reg.fp_write", "frame pointer is read only");
			return -EINVAL;
		}
		env->row[i] = (int16_t)id;
		if (ubf_isa_slots(&ubf_isa_desc[id]) == 2)
			i++;
	}
	for (i = 0; i < cnt; i++) {
		const struct ubf_insn_desc *d;

		if (env->row[i] < 0)
			continue;
		d = desc_at(env, i);
		if (!ubf_isa_branch_target(d, &env->insns[i], i, &target))
			continue;
		if (target < 0 || (uint64_t)target >= cnt)
			return rej(env, (uint32_t)i, d->kind == UBF_KIND_CALL ? "call.target" :
				   "cfg.jump_out_of_range", "jump out of range from insn %zu to %" PRId64,
				   i, target);
		if (env->row[target] < 0)
			return rej(env, (uint32_t)target - 1, "cfg.jump_into_lddw",
				   "jump into the middle of ldimm64 insn %" PRId64, target);
		if (d->kind == UBF_KIND_JMP || d->kind == UBF_KIND_JA || d->kind == UBF_KIND_MAY_GOTO) {
			env->is_prune[target] = 1;
			if (i + 1 < cnt)
				env->is_prune[i + 1] = 1;
		}
	}
	i = cnt - 1;
	if (env->row[i] < 0)
		i--;
	if (desc_at(env, i)->kind != UBF_KIND_EXIT && desc_at(env, i)->kind != UBF_KIND_JA)
		return rej(env, (uint32_t)i, "cfg.fall_off", "last insn is not an exit or jmp");
	/* reachability: every slot start must be reachable from insn 0 */
	seen = calloc(cnt, 1);
	todo = calloc(cnt, sizeof(*todo));
	if (!seen || !todo) {
		free(seen);
		free(todo);
		return -ENOMEM;
	}
	todo[n++] = 0;
	seen[0] = 1;
	while (n) {
		uint32_t at = todo[--n];
		const struct ubf_insn_desc *d = desc_at(env, at);
		int64_t next[2] = { -1, -1 };

		if (d->kind != UBF_KIND_EXIT && d->kind != UBF_KIND_JA)
			next[0] = at + ubf_isa_slots(d);
		if (ubf_isa_branch_target(d, &env->insns[at], at, &target) &&
		    (d->kind != UBF_KIND_LDDW || d->op == UBF_OP_FUNC))
			next[1] = target;
		for (id = 0; id < 2; id++) {
			if (next[id] < 0 || (uint64_t)next[id] >= cnt || seen[next[id]])
				continue;
			seen[next[id]] = 1;
			todo[n++] = (uint32_t)next[id];
		}
	}
	for (i = 0; i < cnt; i++)
		if (env->row[i] >= 0 && !seen[i])
			break;
	free(seen);
	free(todo);
	if (i < cnt)
		return rej(env, (uint32_t)i, "cfg.unreachable", "unreachable insn %zu", i);
	return 0;
}

/* ------------------------------------------------------------ the walk */

static void path_done(struct ckpt *cp)
{
	while (cp && !--cp->branches)
		cp = cp->parent;
}

static int is_ancestor(const struct ckpt *a, const struct ckpt *cp)
{
	for (; cp; cp = cp->parent)
		if (cp == a)
			return 1;
	return 0;
}

/* At a prune point: 1 when a finished state covers this one; else remember it. */
static int prune_point(struct env *env, uint32_t idx)
{
	struct ckpt *c;

	for (c = env->ckpts[idx]; c; c = c->next) {
		if (!c->branches && ubf_vfy_state_includes(&c->st, env->st))
			return 1;
		if (c->branches && is_ancestor(c, env->cp) && ubf_vfy_state_equal(&c->st, env->st))
			return rej(env, idx, "loop.infinite", "infinite loop detected at insn %u", idx);
	}
	if (env->ckpt_cnt[idx] >= MAX_CKPT_PER_INSN || env->ckpt_total >= MAX_CKPT)
		return 0;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->st = *env->st;
	c->parent = env->cp;
	c->branches = 1;
	c->next = env->ckpts[idx];
	env->ckpts[idx] = c;
	env->ckpt_cnt[idx]++;
	env->ckpt_total++;
	env->cp = c;	/* the path's reference moves from the parent to this one */
	return 0;
}

static void log_insn(struct env *env, uint32_t idx)
{
	char text[128];

	if (env->in->log_level < 1)
		return;
	if (ubf_disasm_insn(env->insns, env->cnt, idx, UBF_SYNTAX_LLVM, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "<invalid>");
	vlog(env, "%u: (%02x) %s\n", idx, env->insns[idx].code, text);
}

/* Run one instruction.  Return: 0 go on, 1 the path ended, < 0 rejected. */
static int step(struct env *env)
{
	struct ubf_vstate *st = env->st;
	uint32_t idx = st->insn_idx;
	const struct ubf_insn_desc *d = desc_at(env, idx);
	const struct ubf_raw_insn *in = &env->insns[idx];
	int64_t target = 0;
	int err = 0;

	log_insn(env, idx);
	ubf_isa_branch_target(d, in, idx, &target);
	st->insn_idx = idx + ubf_isa_slots(d);
	switch (d->kind) {
	case UBF_KIND_ALU:
		err = check_alu(env, idx, d, in);
		break;
	case UBF_KIND_LDX:
		err = check_ldx(env, idx, d, in);
		break;
	case UBF_KIND_ST:
	case UBF_KIND_STX:
		err = check_store(env, idx, d, in);
		break;
	case UBF_KIND_ATOMIC:
		err = check_atomic(env, idx, d, in);
		break;
	case UBF_KIND_LDDW:
		err = check_lddw(env, idx, d, in);
		break;
	case UBF_KIND_LD_PKT:
		err = check_ld_pkt(env, idx, d, in);
		break;
	case UBF_KIND_JA:
		st->insn_idx = (uint32_t)target;
		break;
	case UBF_KIND_MAY_GOTO: {
		struct ubf_vstate other = *st;

		other.insn_idx = (uint32_t)target;
		err = push_path(env, &other, idx);
		break;
	}
	case UBF_KIND_JMP:
		err = check_jmp(env, idx, d, in, (uint32_t)target);
		break;
	case UBF_KIND_CALL:
		if (d->op == UBF_OP_HELPER)
			err = check_helper(env, idx, in);
		else if (st->lock_map)
			err = rej(env, idx, "lock.call_held",
				  "function calls are not allowed while holding a lock");
		else
			err = rej(env, idx, d->op == UBF_OP_LOCAL ? "call.static" : "call.kfunc",
				  "%s calls are not verified by this version of the verifier; rejected",
				  d->op == UBF_OP_LOCAL ? "bpf-to-bpf" : "kfunc");
		break;
	case UBF_KIND_CALLX:
		err = rej(env, idx, "call.indirect", "indirect calls (callx) are not allowed");
		break;
	case UBF_KIND_EXIT:
		err = check_exit(env, idx);
		return err ? err : 1;
	}
	return err;
}

static int walk(struct env *env)
{
	struct ubf_vstate *cur = env->st;
	struct path *p;
	int err;

	ubf_vfy_state_init(cur);
	env->cp = NULL;
	for (;;) {
		uint32_t idx = cur->insn_idx;

		if (++env->processed > env->limit) {
			rej(env, idx, "limit.complexity",
			    "BPF program is too large. Processed %" PRIu64 " insn", env->limit);
			return -E2BIG;
		}
		err = 0;
		if (env->is_prune[idx])
			err = prune_point(env, idx);
		if (!err)
			err = step(env);
		if (err < 0)
			return err;
		if (!err)
			continue;
		/* the path ended (exit or pruned): take the next one */
		path_done(env->cp);
		if (!env->pend_cnt)
			return 0;
		p = &env->pend[--env->pend_cnt];
		*cur = p->st;
		env->cp = p->cp;
		if (env->in->log_level) {
			char state[1024];

			ubf_vfy_state_print(cur, state, sizeof(state));
			vlog(env, "from %u to %u: %s\n", p->from, cur->insn_idx, state);
		}
	}
}

/* ------------------------------------------------------------ entry */

static const struct prog_rule *rule_of(uint32_t type)
{
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(prog_rules); i++)
		if (prog_rules[i].type == type)
			return &prog_rules[i];
	return NULL;
}

static void env_free(struct env *env)
{
	size_t i;

	if (env->ckpts) {
		for (i = 0; i < env->cnt; i++) {
			struct ckpt *c = env->ckpts[i], *n;

			for (; c; c = n) {
				n = c->next;
				free(c);
			}
		}
	}
	free(env->ckpts);
	free(env->ckpt_cnt);
	free(env->row);
	free(env->is_prune);
	free(env->pend);
	free(env->st);
	free(env->tmp);
}

void ubf_verify_result_free(struct ubf_verify_result *out)
{
	if (!out)
		return;
	free(out->log);
	out->log = NULL;
	out->log_len = 0;
}

int ubf_verify(const struct ubf_verify_input *in, struct ubf_verify_result *out)
{
	struct env env = { .in = in, .out = out };
	int err;

	if (!in || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->diag.insn_idx = UBF_DIAG_NO_INSN;
	if (!in->insns || !in->insn_cnt || in->insn_cnt > UBF_MAX_INSNS ||
	    (in->map_cnt && !in->maps)) {
		ubf_diag_set(&out->diag, UBF_DIAG_NO_INSN, "prog.size",
			     "program of %zu insns: expected 1..%u", in->insn_cnt, UBF_MAX_INSNS);
		return -EINVAL;
	}
	env.insns = in->insns;
	env.cnt = in->insn_cnt;
	env.limit = in->insn_limit ? in->insn_limit : UBF_VFY_INSN_LIMIT;
	env.rule = rule_of(in->prog_type);
	env.row = calloc(env.cnt, sizeof(*env.row));
	env.is_prune = calloc(env.cnt, 1);
	env.ckpts = calloc(env.cnt, sizeof(*env.ckpts));
	env.ckpt_cnt = calloc(env.cnt, sizeof(*env.ckpt_cnt));
	env.pend = calloc(MAX_PENDING, sizeof(*env.pend));
	env.st = calloc(1, sizeof(*env.st));
	env.tmp = calloc(1, sizeof(*env.tmp));
	err = -ENOMEM;
	if (!env.row || !env.is_prune || !env.ckpts || !env.ckpt_cnt || !env.pend || !env.st ||
	    !env.tmp)
		goto out;
	err = check_structure(&env);
	if (!err)
		err = walk(&env);
	if (!err)
		vlog(&env, "processed %" PRIu64 " insns, stack depth %u\n", env.processed,
		     env.stack_depth);
out:
	out->insn_processed = env.processed;
	out->states = env.ckpt_total;
	out->stack_depth = env.stack_depth;
	env_free(&env);
	return err;
}
