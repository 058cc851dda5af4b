// SPDX-License-Identifier: BSD-2-Clause
/*
 * prog.c - the ubf_prog lifecycle: load (check, predecode, pick an engine),
 * run, free.
 *
 * Load is a pipeline of steps, each of which can reject the program with a
 * diagnostic naming the instruction:
 *   1. ubf_isa_check(): every field of every instruction against the table,
 *      jump targets inside the program and not into an lddw's second slot.
 *   2. predecode into struct ubf_pinsn (vm/vm.h): ids resolved, targets made
 *      absolute, lddw halves joined, `call N` resolved to its helper
 *      descriptor ("call.unknown_helper" otherwise).  lddw src 4 loads its
 *      subprogram's instruction index; the other pseudo forms (src 1-3, 5,
 *      6) name maps and BTF objects, which the caller's resolver
 *      (ubf_prog_opts.lddw, the bpf(2) layer's PROG_LOAD) turns into a
 *      value and, for map values, a region checked runs may access.
 *      Without a resolver they are rejected ("insn.unsupported_pseudo"), as
 *      are kfunc calls: there are no kernel functions in user space.
 *   3. engine: UBF_ENGINE_JIT compiles (or fails with -EOPNOTSUPP where the
 *      host has no back end); UBF_ENGINE_DEFAULT uses the JIT when the host
 *      has one and the interpreter otherwise; UBF_ENGINE_INTERP interprets.
 *
 * Mode: there is no verifier yet, so every program is loaded checked
 * (UBF_PROG_F_CHECKED: bounds-checked memory, an instruction budget, a call
 * depth limit, faults reported through the run's diagnostic) unless the
 * caller sets UBF_PROG_F_TRUSTED to vouch for it, which selects the
 * unchecked fast path.  Asking for both is an error.
 */
#include "vm/vm.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/isa.h>

#include "helpers/helpers.h"
#include "jit/jit.h"
#include "util/log.h"
#include "util/opts.h"

/* The options structs have no implicit padding (STYLE.md 3.4). */
_Static_assert(sizeof(struct ubf_prog_opts) ==
		       offsetof(struct ubf_prog_opts, lddw_cookie) + sizeof(void *),
	       "struct ubf_prog_opts has trailing padding");
_Static_assert(offsetof(struct ubf_prog_opts, engine) ==
		       offsetof(struct ubf_prog_opts, flags) + sizeof(uint32_t),
	       "struct ubf_prog_opts has padding");
_Static_assert(sizeof(struct ubf_run_opts) ==
		       offsetof(struct ubf_run_opts, cookie) + sizeof(void *),
	       "struct ubf_run_opts has trailing padding");

/* Flags this build knows; any other bit is a newer caller's request. */
#define PROG_F_KNOWN (UBF_PROG_F_CHECKED | UBF_PROG_F_TRUSTED | UBF_PROG_F_BLIND_CONST)
/* Extra regions a run may pass (prog.h). */
#define RUN_MAX_USER_REGIONS 16

_Static_assert(2 + RUN_MAX_USER_REGIONS <= UBF_RUN_MAX_REGIONS, "region table too small");

static const char *engine_name(enum ubf_engine engine)
{
	switch (engine) {
	case UBF_ENGINE_DEFAULT:
		return "default";
	case UBF_ENGINE_INTERP:
		return "interpreter";
	case UBF_ENGINE_JIT:
		return "jit";
	}
	return "?";
}

static int reject(struct ubf_diag *diag, size_t idx, const char *id, const char *fmt, ...)
	UBF_PRINTF(4, 5);

static int reject(struct ubf_diag *diag, size_t idx, const char *id, const char *fmt, ...)
{
	va_list ap;
	int len;

	diag->insn_idx = (uint32_t)idx;
	diag->id = id;
	diag->hint = NULL;
	len = snprintf(diag->msg, sizeof(diag->msg), "insn %zu: ", idx);
	va_start(ap, fmt);
	vsnprintf(diag->msg + len, sizeof(diag->msg) - (size_t)len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Resolve the helper a `call N` reaches; kfuncs cannot be resolved yet. */
static int predecode_call(const struct ubf_prog *prog, const struct ubf_insn_desc *d,
			  struct ubf_pinsn *p, size_t idx, struct ubf_diag *diag)
{
	const struct ubf_helper *helper;

	if (d->op == UBF_OP_KFUNC)
		return reject(diag, idx, "insn.unsupported_pseudo",
			      "call kfunc %d: kernel functions are resolved through BTF by the "
			      "bpf(2) object model, which this loader does not provide",
			      (int32_t)p->imm);
	if (d->op != UBF_OP_HELPER)
		return 0;
	helper = ubf_helper_find(prog->env, (int32_t)p->imm);
	if (!helper)
		return reject(diag, idx, "call.unknown_helper",
			      "invalid func unknown#%d: no helper has this ID in the "
			      "program's environment",
			      (int32_t)p->imm);
	p->imm = (uint64_t)(uintptr_t)helper;
	return 0;
}

/* What the steps of a load read besides the program being built. */
struct load_ctx {
	const struct ubf_raw_insn *insns;
	size_t insn_cnt;
	enum ubf_engine engine;
	struct ubf_diag *diag;
	ubf_lddw_fn lddw;
	void *lddw_cookie;
};

/* Keep @r for checked runs of @prog, once (programs often name a map many times). */
static int add_obj_region(struct ubf_prog *prog, const struct ubf_region *r)
{
	struct ubf_run_region *n, *cur;
	uintptr_t start = (uintptr_t)r->addr;
	uint32_t i;

	if (!r->size)
		return 0;
	if (!r->addr || r->size > UINTPTR_MAX - start)
		return -EINVAL;
	for (i = 0; i < prog->obj_region_cnt; i++) {
		cur = &prog->obj_regions[i];
		if (cur->start == start && cur->end == start + r->size) {
			cur->is_writable = cur->is_writable && r->is_writable;
			return 0;
		}
	}
	n = realloc(prog->obj_regions, (prog->obj_region_cnt + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	prog->obj_regions = n;
	n[prog->obj_region_cnt].start = start;
	n[prog->obj_region_cnt].end = start + r->size;
	n[prog->obj_region_cnt].is_writable = r->is_writable;
	prog->obj_region_cnt++;
	return 0;
}

int ubf_prog_add_area(struct ubf_prog *prog, const struct ubf_run_area *area)
{
	struct ubf_run_area a = *area, *n;
	uint32_t i;

	if (area->end != area->start && ubf_run_area_prepare(&a))
		return -EINVAL;
	for (i = 0; i < prog->obj_area_cnt; i++) {
		n = &prog->obj_areas[i];
		if (n->owner != a.owner)
			continue;
		if (n->start != a.start || n->end != a.end || n->stride != a.stride ||
		    n->off != a.off || n->len != a.len)
			return -EINVAL;
		n->is_writable = n->is_writable && a.is_writable;
		return 0;
	}
	n = realloc(prog->obj_areas, (prog->obj_area_cnt + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	prog->obj_areas = n;
	/* Kept sorted by owner for ubf_prog_find_area(). */
	for (i = prog->obj_area_cnt; i > 0 && (uintptr_t)n[i - 1].owner > (uintptr_t)a.owner; i--)
		n[i] = n[i - 1];
	n[i] = a;
	prog->obj_area_cnt++;
	return 0;
}

/*
 * An lddw pseudo form: src 4 loads its subprogram's instruction index (the
 * target, checked by ubf_isa_check()); the others name objects only the
 * caller's resolver knows.
 */
static int predecode_lddw(struct ubf_prog *prog, const struct ubf_insn_desc *d,
			  struct ubf_pinsn *p, size_t idx, const struct load_ctx *ctx)
{
	struct ubf_lddw_ref ref;
	int err;

	if (d->op == UBF_OP_FUNC) {
		p->imm = (uint64_t)(int64_t)p->aux;
		return 0;
	}
	if (!ctx->lddw)
		return reject(ctx->diag, idx, "insn.unsupported_pseudo",
			      "lddw src=%u (%s) names a map or BTF object and the loader was "
			      "given no resolver (struct ubf_prog_opts.lddw) for it",
			      p->src, ubf_isa_op_name(d->op));
	memset(&ref, 0, sizeof(ref));
	ref.insn_idx = idx;
	ref.insn = &prog->raw[idx];
	err = ctx->lddw(ctx->lddw_cookie, &ref, ctx->diag);
	if (err) {
		if (!ctx->diag->id)
			reject(ctx->diag, idx, "insn.bad_pseudo", "lddw src=%u (%s): %s", p->src,
			       ubf_isa_op_name(d->op), ubf_strerror(err));
		return err < 0 ? err : -EINVAL;
	}
	p->imm = ref.value;
	return add_obj_region(prog, &ref.region);
}

/* Predecode the instruction at @idx; *@slots is how many slots it takes. */
static int predecode_one(struct ubf_prog *prog, size_t idx, unsigned *slots,
			 const struct load_ctx *ctx)
{
	struct ubf_diag *diag = ctx->diag;
	const struct ubf_raw_insn *in = &prog->raw[idx];
	struct ubf_pinsn *p = &prog->insns[idx];
	const struct ubf_insn_desc *d;
	int64_t target;
	int id;

	id = ubf_isa_lookup(in);
	if (id < 0)
		return reject(diag, idx, "insn.unknown_opcode", "opcode 0x%02x", in->code);
	d = &ubf_isa_desc[id];
	*slots = ubf_isa_slots(d);
	p->id = (uint16_t)id;
	p->dst = (uint8_t)ubf_raw_dst(in);
	p->src = (uint8_t)ubf_raw_src(in);
	p->aux = in->off;
	p->imm = (uint64_t)(int64_t)in->imm;
	if (ubf_isa_branch_target(d, in, idx, &target))
		p->aux = (int32_t)target;
	if (d->kind == UBF_KIND_LDDW) {
		int err = 0;

		p->imm = (uint64_t)(uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
		if (d->op != UBF_OP_IMM)
			err = predecode_lddw(prog, d, p, idx, ctx);
		/* The second slot is never executed; it repeats the first. */
		p[1] = p[0];
		return err;
	}
	if (d->kind == UBF_KIND_CALL)
		return predecode_call(prog, d, p, idx, diag);
	return 0;
}

/* Step "decode": every field of every instruction, then keep a copy. */
static int step_decode(struct ubf_prog *prog, const struct load_ctx *ctx)
{
	int err;

	err = ubf_isa_check(ctx->insns, ctx->insn_cnt, ctx->diag);
	if (err)
		return err;
	prog->insn_cnt = ctx->insn_cnt;
	prog->raw = malloc(ctx->insn_cnt * sizeof(*prog->raw));
	prog->insns = calloc(ctx->insn_cnt, sizeof(*prog->insns));
	if (!prog->raw || !prog->insns)
		return -ENOMEM;
	memcpy(prog->raw, ctx->insns, ctx->insn_cnt * sizeof(*prog->raw));
	return 0;
}

/* Step "predecode": struct ubf_pinsn for every slot, helpers resolved. */
static int step_predecode(struct ubf_prog *prog, const struct load_ctx *ctx)
{
	unsigned slots = 1;
	size_t idx;
	int err;

	for (idx = 0; idx < prog->insn_cnt; idx += slots) {
		err = predecode_one(prog, idx, &slots, ctx);
		if (err)
			return err;
	}
	return 0;
}

/* Step "engine": compile with the JIT, or settle for the interpreter. */
static int step_engine(struct ubf_prog *prog, const struct load_ctx *ctx)
{
	enum ubf_engine want = ctx->engine;
	struct ubf_diag *diag = ctx->diag;
	int err;

	if (want == UBF_ENGINE_INTERP || (want == UBF_ENGINE_DEFAULT && !ubf_jit_available())) {
		prog->engine = UBF_ENGINE_INTERP;
		return 0;
	}
	diag->id = NULL;
	err = ubf_jit_compile(prog, diag);
	if (err == -EOPNOTSUPP && want == UBF_ENGINE_DEFAULT) {
		ubf_log_printf(prog->log, UBF_LOG_INFO,
			       "prog: %s: the JIT cannot compile this program; interpreting it",
			       prog->name);
		diag->id = NULL;
		prog->engine = UBF_ENGINE_INTERP;
		return 0;
	}
	if (err == -EOPNOTSUPP && !diag->id) {
		diag->insn_idx = UBF_DIAG_NO_INSN;
		diag->id = "prog.no_jit";
		snprintf(diag->msg, sizeof(diag->msg), "no JIT back end for this host");
	}
	if (err)
		return err;
	prog->engine = UBF_ENGINE_JIT;
	prog->is_direct = ubf_jit_is_direct(prog->jit);
	prog->bare_entry = ubf_jit_bare_entry(prog->jit);
	return 0;
}

/* The load pipeline; a failing step's name appears in the log. */
static const struct load_step {
	const char *name;
	int (*run)(struct ubf_prog *prog, const struct load_ctx *ctx);
} load_steps[] = {
	{ "decode", step_decode },
	{ "predecode", step_predecode },
	{ "engine", step_engine },
};

static int check_load_opts(const struct ubf_prog_opts *opts, uint32_t *flags, uint32_t *engine)
{
	if (!UBF_OPTS_VALID(opts, ubf_prog_opts))
		return -EINVAL;
	*flags = UBF_OPTS_GET(opts, flags, 0);
	*engine = UBF_OPTS_GET(opts, engine, UBF_ENGINE_DEFAULT);
	if (*flags & ~(uint32_t)PROG_F_KNOWN || *engine > UBF_ENGINE_JIT)
		return -EINVAL;
	if ((*flags & UBF_PROG_F_CHECKED) && (*flags & UBF_PROG_F_TRUSTED))
		return -EINVAL;
	/* No verifier yet: whatever the caller does not vouch for is checked. */
	if (!(*flags & UBF_PROG_F_TRUSTED))
		*flags |= UBF_PROG_F_CHECKED;
	return 0;
}

int ubf_prog_load(struct ubf_prog **progp, const struct ubf_raw_insn *insns, size_t insn_cnt,
		  const struct ubf_prog_opts *opts)
{
	struct ubf_diag local_diag, *diag;
	struct load_ctx ctx;
	struct ubf_prog *prog;
	uint32_t flags, engine;
	const char *name;
	size_t i;
	int err;

	if (!progp)
		return -EINVAL;
	err = check_load_opts(opts, &flags, &engine);
	if (err)
		return err;
	diag = UBF_OPTS_GET(opts, diag, NULL);
	if (!diag)
		diag = &local_diag;
	memset(diag, 0, sizeof(*diag));
	diag->insn_idx = UBF_DIAG_NO_INSN;

	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	name = UBF_OPTS_GET(opts, name, NULL);
	snprintf(prog->name, sizeof(prog->name), "%s", name ? name : "prog");
	prog->env = UBF_OPTS_GET(opts, env, NULL);
	prog->log = UBF_OPTS_GET(opts, log, NULL);
	prog->insn_limit = UBF_OPTS_GET(opts, insn_limit, 0);
	if (!prog->insn_limit)
		prog->insn_limit = UBF_DEFAULT_INSN_LIMIT;
	prog->flags = flags;

	ctx = (struct load_ctx){ insns, insn_cnt, (enum ubf_engine)engine, diag,
				 UBF_OPTS_GET(opts, lddw, NULL), UBF_OPTS_GET(opts, lddw_cookie, NULL) };
	for (i = 0; i < UBF_ARRAY_SIZE(load_steps); i++) {
		err = load_steps[i].run(prog, &ctx);
		if (!err)
			continue;
		if (diag->id)
			ubf_log_printf(prog->log, UBF_LOG_WARN, "prog: %s: %s: %s: %s", prog->name,
				       load_steps[i].name, diag->id, diag->msg);
		else
			ubf_log_printf(prog->log, UBF_LOG_WARN, "prog: %s: %s: %s", prog->name,
				       load_steps[i].name, ubf_strerror(err));
		ubf_prog_free(prog);
		return err;
	}
	ubf_log_printf(prog->log, UBF_LOG_DEBUG, "prog: %s: loaded %zu instructions, %s, %s",
		       prog->name, insn_cnt, engine_name(prog->engine),
		       flags & UBF_PROG_F_CHECKED ? "checked" : "trusted");
	/* The log belongs to the caller and need not outlive the load. */
	prog->log = NULL;
	*progp = prog;
	return 0;
}

void ubf_prog_free(struct ubf_prog *prog)
{
	if (!prog)
		return;
	ubf_jit_free(prog->jit);
	free(prog->obj_regions);
	free(prog->obj_areas);
	free(prog->insns);
	free(prog->raw);
	free(prog);
}

/* A run's options, as this build knows them, from a caller's struct of any size. */
static int normalize_run_opts(const struct ubf_run_opts *opts, struct ubf_run_opts *out)
{
	size_t i;

	if (!UBF_OPTS_VALID(opts, ubf_run_opts))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->sz = sizeof(*out);
	out->diag = UBF_OPTS_GET(opts, diag, NULL);
	out->regions = UBF_OPTS_GET(opts, regions, NULL);
	out->region_cnt = UBF_OPTS_GET(opts, region_cnt, 0);
	out->cookie = UBF_OPTS_GET(opts, cookie, NULL);
	if (out->region_cnt > RUN_MAX_USER_REGIONS || (out->region_cnt && !out->regions))
		return -EINVAL;
	for (i = 0; i < out->region_cnt; i++) {
		const struct ubf_region *r = &out->regions[i];

		if ((!r->addr && r->size) || r->size > UINTPTR_MAX - (uintptr_t)r->addr)
			return -EINVAL;
	}
	return 0;
}

/*
 * The general path: a struct ubf_run (with its 4 KiB stack) on this frame.
 * Kept out of ubf_prog_run() so the direct path below pays for no frame.
 */
static UBF_NOINLINE int prog_run_slow(const struct ubf_prog *prog, void *mem, size_t mem_sz,
				      uint64_t *r0, const struct ubf_run_opts *opts)
{
	struct ubf_run_opts run_opts;
	struct ubf_run run;
	uint64_t r1 = (uint64_t)(uintptr_t)mem, r2 = mem_sz;
	int err;

	if (opts) {
		err = normalize_run_opts(opts, &run_opts);
		if (err)
			return err;
	}
	ubf_run_init(&run, prog, mem, mem_sz, opts ? &run_opts : NULL);
	if (prog->engine == UBF_ENGINE_JIT)
		err = ubf_jit_run(prog, &run, r1, r2, r0);
	else if (prog->flags & UBF_PROG_F_CHECKED)
		err = ubf_interp_run_checked(&run, r1, r2, r0);
	else
		err = ubf_interp_run_fast(&run, r1, r2, r0);
	/* An unverified program may end holding a spin lock or ring buffer records. */
	if (run.is_checked)
		ubf_helper_run_end(&run);
	return err;
}

int ubf_prog_run(const struct ubf_prog *prog, void *mem, size_t mem_sz, uint64_t *r0,
		 const struct ubf_run_opts *opts)
{
	if (UBF_UNLIKELY(!prog || !r0 || (!mem && mem_sz) || mem_sz > UINTPTR_MAX - (uintptr_t)mem))
		return -EINVAL;
	/* Trusted native code that calls nothing needs no struct ubf_run, and
	 * without a stack, packet loads or may_goto not even a context. */
	if (!opts && prog->bare_entry) {
		*r0 = prog->bare_entry((uint64_t)(uintptr_t)mem, mem_sz, NULL);
		return 0;
	}
	if (!opts && prog->is_direct)
		return ubf_jit_run_direct(prog, mem, mem_sz, r0);
	return prog_run_slow(prog, mem, mem_sz, r0, opts);
}

ubf_native_fn ubf_prog_native_fn(const struct ubf_prog *prog)
{
	/* The bare entry ignores its third argument, so (r1, r2) is its whole ABI. */
	return prog && prog->bare_entry ? (ubf_native_fn)(uintptr_t)prog->bare_entry : NULL;
}

size_t ubf_prog_insn_cnt(const struct ubf_prog *prog)
{
	return prog ? prog->insn_cnt : 0;
}

const struct ubf_raw_insn *ubf_prog_insns(const struct ubf_prog *prog)
{
	return prog ? prog->raw : NULL;
}

enum ubf_engine ubf_prog_engine(const struct ubf_prog *prog)
{
	return prog ? prog->engine : UBF_ENGINE_DEFAULT;
}

bool ubf_prog_is_checked(const struct ubf_prog *prog)
{
	return prog && (prog->flags & UBF_PROG_F_CHECKED);
}

int ubf_prog_jit_code(const struct ubf_prog *prog, const void **code, size_t *code_sz)
{
	const void *p;
	size_t sz;

	if (!prog || !code || !code_sz)
		return -EINVAL;
	if (prog->engine != UBF_ENGINE_JIT || !prog->jit)
		return -ENOENT;
	p = ubf_jit_code(prog->jit, &sz);
	*code = p;
	*code_sz = sz;
	return 0;
}

int ubf_prog_jit_insn_off(const struct ubf_prog *prog, size_t idx, size_t *off)
{
	if (!prog || !off || idx > prog->insn_cnt)
		return -EINVAL;
	if (prog->engine != UBF_ENGINE_JIT || !prog->jit)
		return -ENOENT;
	return ubf_jit_insn_off(prog->jit, idx, off);
}
