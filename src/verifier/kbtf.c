// SPDX-License-Identifier: BSD-2-Clause
/*
 * kbtf.c - pointers typed by the kernel's BTF (Linux's PTR_TO_BTF_ID):
 * the attach target of a tracing or LSM program (which FUNC_PROTO types
 * its context's u64 slots), loads of those slots (Linux's
 * btf_ctx_access()), loads through a BTF-typed pointer by walking the
 * struct's members (btf_struct_walk()), and reads of the kernel struct
 * behind a map pointer.  Every load through such a pointer reads kernel
 * memory: Linux makes it a fault-tolerant probe load; the result records
 * the first one (struct ubf_verify_result's kmem_load).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <linux/bpf.h>

#include "verifier/walk.h"

#define KBTF_MAX_DEPTH 32	/* nested structs a walk follows */

static const struct {
	uint32_t map_type;
	const char *name;
} map_structs[] = {
#define UBF_KBTF_MAP(t, s) { t, #s },
#include "verifier/kbtf.def"
#undef UBF_KBTF_MAP
};

static const struct {
	const char *type, *field;
	uint8_t reg;
} safe_fields[] = {
#define UBF_KBTF_FIELD(s, f, k) { #s, #f, UBF_VREG_##k },
#include "verifier/kbtf.def"
#undef UBF_KBTF_FIELD
};

static const struct {
	const char *helper;
	uint32_t prog_type;
	int64_t attach;
	const char *target;
} helper_targets[] = {
#define UBF_KBTF_HELPER_AT(h, p, a, t) { #h, p, a, t },
#include "verifier/kbtf.def"
#undef UBF_KBTF_HELPER_AT
};

/* The kernel's BTF, asked for the first time a program needs it. */
static const struct btf *kbtf(struct ubf_vfy_env *env)
{
	if (!env->kbtf_asked && env->in->kernel_btf)
		env->kbtf = env->in->kernel_btf();
	env->kbtf_asked = 1;
	return env->kbtf;
}

static const char *type_name(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *n = t ? btf__name_by_offset(btf, t->name_off) : NULL;

	return n ? n : "";
}

/*
 * Skip typedefs and modifiers from @id; *@rcu is set when a type tag "rcu"
 * is among them.  Return: the id reached, *@t its type (NULL: none).
 */
static uint32_t skip_mods(const struct btf *btf, uint32_t id, const struct btf_type **t, int *rcu)
{
	unsigned n = 0;

	*t = btf__type_by_id(btf, id);
	while (*t && (btf_is_mod(*t) || btf_is_typedef(*t)) && n++ < KBTF_MAX_DEPTH) {
		if (rcu && btf_is_type_tag(*t) && !strcmp(btf__name_by_offset(btf, (*t)->name_off), "rcu"))
			*rcu = 1;
		id = (*t)->type;
		*t = btf__type_by_id(btf, id);
	}
	return id;
}

static int is_struct(const struct btf_type *t)
{
	return t && (btf_is_struct(t) || btf_is_union(t));
}

/* Log Linux's explanation line, then reject as a context access. */
static int ctx_fail(struct ubf_vfy_env *env, struct ubf_vfy_access *a, int64_t off,
		    const char *why)
{
	return ubf_vfy_rej(env, a->idx, a->is_write ? "ctx.write" : "btf.ctx_arg",
			   "%sinvalid bpf_context access off=%" PRId64 " size=%u", why, off, a->size);
}

/* ------------------------------------------------------------ the attach target */

static int attach_fail(struct ubf_vfy_env *env, const char *fmt, ...) UBF_PRINTF(2, 3);

static int attach_fail(struct ubf_vfy_env *env, const char *fmt, ...)
{
	struct ubf_diag *d = &env->out->diag;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	d->id = "btf.attach";
	d->insn_idx = UBF_DIAG_NO_INSN;
	ubf_vfy_log(env, "%s\n", d->msg);
	return -EINVAL;
}

static int needs_target(const struct ubf_verify_input *in)
{
	if (in->prog_type == BPF_PROG_TYPE_LSM)
		return 1;
	return in->prog_type == BPF_PROG_TYPE_TRACING &&
	       (in->attach == BPF_TRACE_RAW_TP || in->attach == BPF_TRACE_FENTRY ||
		in->attach == BPF_TRACE_FEXIT || in->attach == BPF_MODIFY_RETURN ||
		in->attach == BPF_TRACE_ITER);
}

/* Linux's bpf_check_attach_target(), for kernel targets: the FUNC_PROTO of the context. */
int ubf_vfy_kbtf_attach(struct ubf_vfy_env *env)
{
	const struct ubf_verify_input *in = env->in;
	struct ubf_vfy_kargs *k = &env->kargs;
	const struct btf_type *t, *p;
	uint32_t id = in->attach_btf_id;
	const char *name;

	/* Linux's check_attach_btf_id() starts with these */
	if (in->prog_type == BPF_PROG_TYPE_SYSCALL && !in->is_sleepable)
		return ubf_vfy_rej_inval(env, 0, "prog.sleepable",
					 "Syscall programs can only be sleepable");
	if (!needs_target(in))
		return 0;
	if (!id)
		return attach_fail(env, "Tracing programs must provide btf_id");
	if (!kbtf(env))
		return attach_fail(env, "attach_btf_id %u needs the kernel's BTF (vmlinux), which "
				   "is not loaded", id);
	t = btf__type_by_id(kbtf(env), id);
	if (!t || id >= btf__type_cnt(kbtf(env)))
		return attach_fail(env, "attach_btf_id %u is invalid", id);
	name = btf__name_by_offset(kbtf(env), t->name_off);
	if (!name || !*name)
		return attach_fail(env, "attach_btf_id %u doesn't have a name", id);
	snprintf(k->name, sizeof(k->name), "%s", name);
	if (in->prog_type == BPF_PROG_TYPE_TRACING && in->attach == BPF_TRACE_RAW_TP) {
		if (!btf_is_typedef(t))
			return attach_fail(env, "attach_btf_id %u is not a typedef", id);
		if (strncmp(name, "btf_trace_", 10))
			return attach_fail(env, "attach_btf_id %u points to wrong type name %s", id,
					   name);
		snprintf(k->name, sizeof(k->name), "%s", name + 10);
		p = btf__type_by_id(kbtf(env), t->type);
		if (!p || !btf_is_ptr(p))
			return attach_fail(env, "attach_btf_id %u is not a pointer to a function", id);
		k->proto = p->type;
		k->first = 1;
	} else {
		if (!btf_is_func(t))
			return attach_fail(env, "attach_btf_id %u is not a function", id);
		if (in->prog_type == BPF_PROG_TYPE_LSM && strncmp(name, "bpf_lsm_", 8))
			return attach_fail(env, "attach_btf_id %u points to wrong type name %s", id,
					   name);
		k->proto = t->type;
	}
	p = btf__type_by_id(kbtf(env), k->proto);
	if (!p || !btf_is_func_proto(p))
		return attach_fail(env, "attach_btf_id %u is not a function", id);
	if (btf_vlen(p) < k->first)
		return attach_fail(env, "attach_btf_id %u has no arguments to skip", id);
	k->nargs = btf_vlen(p) - k->first;
	k->ret_arg = in->prog_type == BPF_PROG_TYPE_LSM || in->attach == BPF_TRACE_FEXIT ||
		     in->attach == BPF_MODIFY_RETURN;
	/* Linux trusts the arguments of tp_btf, iterator and LSM programs, not fentry/fexit's */
	k->arg_type = in->prog_type == BPF_PROG_TYPE_LSM || in->attach == BPF_TRACE_RAW_TP ||
		      in->attach == BPF_TRACE_ITER ? UBF_VREG_BTF_TRUSTED : UBF_VREG_BTF_ID;
	return 0;
}

/* ------------------------------------------------------------ the context */

/* Does the parameter's name end in "__nullable" (Linux's btf_param_match_suffix())? */
static int is_nullable(const struct btf *btf, const struct btf_param *prm)
{
	const char *n = btf__name_by_offset(btf, prm->name_off);
	size_t len = n ? strlen(n) : 0;

	return len >= 10 && !strcmp(n + len - 10, "__nullable");
}

/*
 * The type of context slot @arg: a parameter, or the return value.
 * Return: its type id (0 void), or -1 when the slot has no type (Linux's
 * "doesn't have %d-th argument"), -2 fmod_ret of a non-int.
 */
static int64_t slot_type(struct ubf_vfy_env *env, uint32_t arg, const struct btf_param **prm)
{
	const struct btf_type *p = btf__type_by_id(kbtf(env), env->kargs.proto), *t;
	struct ubf_vfy_kargs *k = &env->kargs;

	*prm = NULL;
	if (arg < k->nargs) {
		*prm = &btf_params(p)[k->first + arg];
		return (*prm)->type;
	}
	if (arg > k->nargs || !k->ret_arg)
		return -1;
	if (env->in->attach == BPF_MODIFY_RETURN) {
		skip_mods(kbtf(env), p->type, &t, NULL);
		if (!t || !btf_is_int(t) || t->size > 8)
			return -2;
	}
	return p->type;
}

/*
 * A load of context slot off/8 of a tracing or LSM program (Linux's
 * btf_ctx_access()): a scalar for integers, enums, structs passed by
 * value and pointers to void or integers, a BTF-typed pointer for a
 * pointer to a struct; anything else is rejected in Linux's words.
 */
int ubf_vfy_kbtf_ctx(struct ubf_vfy_env *env, struct ubf_vfy_access *a, int64_t off)
{
	const struct btf *btf = kbtf(env);
	const struct btf_param *prm;
	const struct btf_type *t, *pt;
	char why[160];
	uint32_t arg = (uint32_t)(off / 8), id;
	int64_t tid;

	if (a->is_write || off < 0 || off >= 8 * 12 || off % a->size)
		return ctx_fail(env, a, off, "");
	if (off % 8) {
		snprintf(why, sizeof(why), "func '%s' offset %" PRId64 " is not multiple of 8\n",
			 env->kargs.name, off);
		return ctx_fail(env, a, off, why);
	}
	tid = slot_type(env, arg, &prm);
	if (tid == -2) {
		snprintf(why, sizeof(why), "ret type %s not allowed for fmod_ret\n", "non-int");
		return ctx_fail(env, a, off, why);
	}
	if (tid < 0) {
		snprintf(why, sizeof(why), "func '%s' doesn't have %u-th argument\n",
			 env->kargs.name, arg + 1);
		return ctx_fail(env, a, off, why);
	}
	a->result.s = ubf_vfy_scalar_sized(a->size, 0);
	skip_mods(btf, (uint32_t)tid, &t, NULL);
	if (t && (btf_is_int(t) || btf_is_any_enum(t) || is_struct(t)))
		return 0;
	if (!t || !btf_is_ptr(t)) {
		snprintf(why, sizeof(why), "func '%s' arg%u '%s' has type %s. Only pointer access "
			 "is allowed\n", env->kargs.name, arg,
			 prm ? btf__name_by_offset(btf, prm->name_off) : "", t ? "non-pointer" : "void");
		return ctx_fail(env, a, off, why);
	}
	if (!t->type)
		return 0;	/* a pointer to void is a scalar */
	id = skip_mods(btf, t->type, &pt, NULL);
	if (pt && btf_is_int(pt))
		return 0;
	if (!is_struct(pt)) {
		snprintf(why, sizeof(why), "func '%s' arg%u type %s is not a struct\n",
			 env->kargs.name, arg, pt && btf_is_ptr(pt) ? "PTR" : "non-struct");
		return ctx_fail(env, a, off, why);
	}
	ubf_vfy_reg_ptr(&a->result, env->kargs.arg_type, 0);
	/* an iterator's objects after its meta may be NULL (the end of the walk) */
	if ((env->in->attach == BPF_TRACE_ITER && arg > 0) || (prm && is_nullable(btf, prm))) {
		a->result.type = UBF_VREG_BTF_TRUSTED_OR_NULL;
		a->result.id = ++env->id_gen;
	}
	a->result.map = id;
	return 0;
}

/* ------------------------------------------------------------ struct walks */

enum walk { WALK_SCALAR, WALK_PTR, WALK_STRUCT, WALK_AGAIN, WALK_MEM };

/* A member's size and, for an array, its element type and count (multi-dimensional linearised). */
static int member_size(const struct btf *btf, uint32_t mid, uint32_t *size, uint32_t *elem,
		       uint32_t *nelems)
{
	const struct btf_type *t;
	int64_t sz = btf__resolve_size(btf, mid);

	*nelems = 1;
	*elem = skip_mods(btf, mid, &t, NULL);
	if (sz < 0)
		return -1;
	*size = (uint32_t)sz;
	while (t && btf_is_array(t)) {
		*nelems *= btf_array(t)->nelems;
		*elem = skip_mods(btf, btf_array(t)->type, &t, NULL);
	}
	return 0;
}

struct walk_at {
	uint32_t id;		/* the struct walked */
	uint32_t off;		/* in it */
	uint32_t next;		/* WALK_PTR, WALK_STRUCT: the type reached */
	int rcu;		/* WALK_PTR: the member's type carries an "rcu" tag */
	int untrusted;		/* a union of several members was walked through */
	const char *field;	/* WALK_PTR: the member's name */
};

/* Past the struct's end: only a trailing flexible array of structs may be reached. */
static int walk_flex(struct ubf_vfy_env *env, struct walk_at *w, unsigned size, char *why,
		     size_t why_sz)
{
	const struct btf *btf = kbtf(env);
	const struct btf_type *t = btf__type_by_id(btf, w->id), *mt, *et;
	const struct btf_member *m;
	uint32_t moff;

	if (btf_vlen(t)) {
		m = &btf_members(t)[btf_vlen(t) - 1];
		skip_mods(btf, m->type, &mt, NULL);
		moff = btf_member_bit_offset(t, btf_vlen(t) - 1) / 8;
		if (mt && btf_is_array(mt) && !btf_array(mt)->nelems && w->off >= moff) {
			uint32_t eid = skip_mods(btf, btf_array(mt)->type, &et, NULL);

			if (is_struct(et) && et->size) {
				w->off = (w->off - moff) % et->size;
				w->id = eid;
				return WALK_AGAIN;
			}
		}
	}
	snprintf(why, why_sz, "access beyond struct %s at off %u size %u", type_name(btf, w->id),
		 w->off, size);
	return -EACCES;
}

/*
 * One step of Linux's btf_struct_walk(): find the member @w->off falls in.
 * Return: enum walk (WALK_AGAIN: from the updated @w), or -errno with
 * Linux's message in @why.
 */
static int walk_step(struct ubf_vfy_env *env, struct walk_at *w, unsigned size, char *why,
		     size_t why_sz)
{
	const struct btf *btf = kbtf(env);
	const struct btf_type *t = btf__type_by_id(btf, w->id), *mt, *st;
	const char *tname = type_name(btf, w->id);
	unsigned i;

	if (!is_struct(t)) {
		snprintf(why, why_sz, "Type '%s' is not a struct", tname);
		return -EINVAL;
	}
	if (btf_is_union(t) && btf_vlen(t) != 1)
		w->untrusted = 1;
	if ((uint64_t)w->off + size > t->size)
		return walk_flex(env, w, size, why, why_sz);
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_member *m = &btf_members(t)[i];
		const char *mname = btf__name_by_offset(btf, m->name_off);
		uint32_t moff = btf_member_bit_offset(t, i) / 8, msize, mend, elem, n, bits;

		if (w->off + size <= moff)
			break;
		bits = btf_member_bitfield_size(t, i);
		if (bits) {
			uint32_t end = btf_member_bit_offset(t, i) + bits;

			if (w->off <= moff && (end + 7) / 8 <= w->off + size)
				return WALK_SCALAR;
			continue;
		}
		if (w->off < moff)
			break;
		if (member_size(btf, m->type, &msize, &elem, &n)) {
			snprintf(why, why_sz, "field %s doesn't have size", mname);
			return -EFAULT;
		}
		mend = moff + msize;
		if (w->off >= mend)
			continue;
		skip_mods(btf, m->type, &mt, NULL);
		if (mt && btf_is_array(mt)) {
			if (!n)
				continue;	/* an empty array */
			msize /= n;
			moff += (w->off - moff) / msize * msize;
		}
		skip_mods(btf, elem, &mt, NULL);
		if (is_struct(mt)) {
			w->off -= moff;
			w->id = elem;
			if (!w->off) {
				w->next = elem;
				return WALK_STRUCT;
			}
			return WALK_AGAIN;
		}
		if (mt && btf_is_ptr(mt)) {
			int rcu = 0;
			uint32_t sid;

			if (msize != size || w->off != moff) {
				snprintf(why, why_sz, "cannot access ptr member %s with moff %u in struct "
					 "%s with off %u size %u", mname, moff, tname, w->off, size);
				return -EACCES;
			}
			sid = skip_mods(btf, mt->type, &st, &rcu);
			if (!is_struct(st))
				return WALK_MEM;	/* char *, void *: read-only memory */
			w->next = sid;
			w->rcu = rcu;
			w->field = mname;
			return WALK_PTR;
		}
		if (w->off + size > mend && !w->untrusted) {
			snprintf(why, why_sz, "access beyond the end of member %s (mend:%u) in struct "
				 "%s with off %u size %u", mname, mend, tname, w->off, size);
			return -EACCES;
		}
		return WALK_SCALAR;
	}
	snprintf(why, why_sz, "struct %s doesn't have field at offset %u", tname, w->off);
	return -EINVAL;
}

/* The register type of a pointer member loaded through a @from pointer (Linux's trust rules). */
static uint8_t walked_type(const struct btf *btf, uint8_t from, const struct walk_at *w)
{
	const char *sname = type_name(btf, w->id);
	size_t i;

	if (from == UBF_VREG_BTF_UNTRUSTED || w->untrusted)
		return UBF_VREG_BTF_UNTRUSTED;
	if (from != UBF_VREG_BTF_TRUSTED && from != UBF_VREG_BTF_RCU)
		return UBF_VREG_BTF_ID;
	for (i = 0; i < UBF_ARRAY_SIZE(safe_fields); i++)
		if (!strcmp(safe_fields[i].type, sname) && !strcmp(safe_fields[i].field, w->field))
			return safe_fields[i].reg;
	return w->rcu ? UBF_VREG_BTF_RCU_OR_NULL : UBF_VREG_BTF_ID;
}

/*
 * Linux's btf_struct_access(): walk struct @id (the pointer @from points
 * to) to the @size bytes at @off.  A load covering a pointer member to a
 * struct gives a BTF-typed pointer; any other a scalar of its size.
 */
static int struct_load(struct ubf_vfy_env *env, struct ubf_vfy_access *a, uint8_t from,
		       uint32_t id, uint32_t off, const char *rule)
{
	struct walk_at w = { .id = id, .off = off };
	char why[200];
	unsigned n;
	int r = WALK_AGAIN;

	for (n = 0; n < KBTF_MAX_DEPTH * 4 && (r == WALK_AGAIN || r == WALK_STRUCT); n++) {
		if (r == WALK_STRUCT) {
			w.id = w.next;
			w.off = 0;
		}
		r = walk_step(env, &w, a->size, why, sizeof(why));
	}
	if (r < 0 || r == WALK_AGAIN || r == WALK_STRUCT)
		return ubf_vfy_rej(env, a->idx, rule ? rule : r == -EACCES ? "btf.oob" : "btf.no_field",
				   "%s", r >= 0 ? "struct nesting too deep" : why);
	if (!env->out->kmem_load)
		env->out->kmem_load = a->idx + 1;
	if (r == WALK_SCALAR) {
		a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
		return 0;
	}
	if (r == WALK_MEM) {
		ubf_vfy_reg_ptr(&a->result, UBF_VREG_UNTRUSTED_MEM, 0);
		return 0;
	}
	ubf_vfy_reg_ptr(&a->result, walked_type(kbtf(env), from, &w), 0);
	a->result.map = w.next;
	if (ubf_vfy_reg_is_null_ptr(&a->result))
		a->result.id = ++env->id_gen;
	return 0;
}

/* A load or store through a BTF-typed pointer (Linux's check_ptr_to_btf_access()). */
int ubf_vfy_kbtf_access(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p)
{
	const char *tname = type_name(kbtf(env), p->map);
	int64_t off = (int64_t)p->off + a->off;
	char var[48];

	if (ubf_vfy_reg_is_null_ptr(p))
		return ubf_vfy_rej(env, a->idx, "btf.null_check", "R%u invalid mem access '%s'",
				   a->regno, ubf_vfy_type_name(p->type));
	if (ubf_vfy_is_unpriv(env))
		return ubf_vfy_rej(env, a->idx, "btf.unpriv", "'struct %s' access is allowed only to "
				   "CAP_PERFMON and CAP_SYS_ADMIN", tname);
	if (off < 0)
		return ubf_vfy_rej(env, a->idx, "btf.negative", "R%u is ptr_%s invalid negative "
				   "access: off=%" PRId64, a->regno, tname, off);
	if (!ubf_scalar_is_const(&p->s) || p->s.var_off.value) {
		if (ubf_scalar_is_const(&p->s))
			snprintf(var, sizeof(var), "%" PRId64, (int64_t)p->s.var_off.value);
		else
			snprintf(var, sizeof(var), "(%#" PRIx64 "; %#" PRIx64 ")",
				 p->s.var_off.value, p->s.var_off.mask);
		return ubf_vfy_rej(env, a->idx, "btf.var_off", "R%u is ptr_%s invalid variable "
				   "offset: off=%" PRId64 ", var_off=%s", a->regno, tname, off, var);
	}
	if (a->is_write)
		return ubf_vfy_rej(env, a->idx, "btf.write", "only read is supported");
	return struct_load(env, a, p->type, p->map, (uint32_t)off, NULL);
}

/*
 * Through a pointer member to something other than a struct (Linux's
 * rdonly_untrusted_mem): a read at any offset gives a scalar.
 */
int ubf_vfy_kbtf_mem(struct ubf_vfy_env *env, struct ubf_vfy_access *a)
{
	if (a->is_write)
		return ubf_vfy_rej(env, a->idx, "btf.write", "R%u cannot write into %s", a->regno,
				   ubf_vfy_type_name(UBF_VREG_UNTRUSTED_MEM));
	if (!env->out->kmem_load)
		env->out->kmem_load = a->idx + 1;
	a->result.s = ubf_vfy_scalar_sized(a->size, a->is_signed);
	return 0;
}

/* A load or store through a map pointer: the kernel struct of the map (check_map_ptr_access()). */
int ubf_vfy_kbtf_map(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p)
{
	const struct ubf_verify_map *m = ubf_vfy_map(env, p);
	int64_t off = (int64_t)p->off + a->off;
	const char *sname = NULL;
	size_t i;
	int id;

	for (i = 0; i < UBF_ARRAY_SIZE(map_structs); i++)
		if (map_structs[i].map_type == m->type)
			sname = map_structs[i].name;
	if (!kbtf(env))
		return ubf_vfy_rej(env, a->idx, "reg.map_ptr_deref",
				   "R%u %s of the map struct needs the kernel's BTF (vmlinux), which "
				   "is not loaded", a->regno, a->is_write ? "a write" : "a read");
	id = sname ? btf__find_by_name_kind(kbtf(env), sname, BTF_KIND_STRUCT) : -1;
	if (id <= 0)
		return ubf_vfy_rej(env, a->idx, "reg.map_ptr_deref",
				   "map_ptr access not supported for map type %u", m->type);
	if (ubf_vfy_is_unpriv(env))
		return ubf_vfy_rej(env, a->idx, "reg.map_ptr_deref", "'struct %s' access is allowed "
				   "only to CAP_PERFMON and CAP_SYS_ADMIN", sname);
	if (off < 0)
		return ubf_vfy_rej(env, a->idx, "reg.map_ptr_deref",
				   "R%u is %s invalid negative access: off=%" PRId64, a->regno, sname,
				   off);
	if (a->is_write)
		return ubf_vfy_rej(env, a->idx, "reg.map_ptr_deref", "only read from %s is supported",
				   sname);
	return struct_load(env, a, UBF_VREG_BTF_ID, (uint32_t)id, (uint32_t)off,
			   "reg.map_ptr_deref");
}

/* A struct's id in the kernel's BTF, by name; 0 when there is none. */
uint32_t ubf_vfy_kbtf_struct(struct ubf_vfy_env *env, const char *name)
{
	int id = kbtf(env) ? btf__find_by_name_kind(kbtf(env), name, BTF_KIND_STRUCT) : -1;

	return id > 0 ? (uint32_t)id : 0;
}

/* The name of kernel type @id, for messages. */
const char *ubf_vfy_kbtf_name(struct ubf_vfy_env *env, uint32_t id)
{
	return kbtf(env) ? type_name(kbtf(env), id) : "";
}

/*
 * Is a struct @id pointer at fixed offset @off one to struct @want (Linux's
 * btf_struct_ids_match())?  It is at offset 0 of its own struct; else the
 * walk to @off must end at the start of a nested struct, which is @want or
 * begins, through its first members, with @want.
 */
int ubf_vfy_kbtf_is_a(struct ubf_vfy_env *env, uint32_t id, int32_t off, uint32_t want)
{
	struct walk_at w = { .id = id, .off = (uint32_t)off };
	char why[200];
	unsigned n;
	int r;

	if (!off && id == want)
		return 1;
	if (off < 0 || !kbtf(env))
		return 0;
	for (n = 0; n < KBTF_MAX_DEPTH * 4; n++) {
		r = walk_step(env, &w, 1, why, sizeof(why));
		if (r == WALK_AGAIN)
			continue;
		if (r != WALK_STRUCT)
			return 0;
		if (w.next == want)
			return 1;
		w.id = w.next;
		w.off = 0;
	}
	return 0;
}

/*
 * May the program call helper @name at its attach target?  Yes unless
 * kbtf.def lists targets for the helper (Linux's bpf_func_proto.allowed)
 * and the program's is not one of them.
 */
int ubf_vfy_kbtf_helper_at(struct ubf_vfy_env *env, const char *name)
{
	const struct ubf_verify_input *in = env->in;
	int listed = 0;
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(helper_targets); i++) {
		if (strcmp(helper_targets[i].helper, name))
			continue;
		listed = 1;
		if (helper_targets[i].prog_type == in->prog_type &&
		    (helper_targets[i].attach < 0 || (uint32_t)helper_targets[i].attach == in->attach) &&
		    (!*helper_targets[i].target || !strcmp(helper_targets[i].target, env->kargs.name)))
			return 1;
	}
	return !listed;
}
