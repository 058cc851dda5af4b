/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_vm.h - what the vm and helper tests share: the list of engines every
 * program runs on (the interpreter's two instances, the same two built with
 * switch dispatch, and the JIT's two modes; a JIT the host lacks is skipped
 * and counted), and a compact way to write
 * programs by instruction-table row, so tests name rows instead of opcode
 * bytes.  Expected results in the tests are written out by hand.
 */
#ifndef UBF_TEST_VM_H
#define UBF_TEST_VM_H

#include <errno.h>
#include <stdlib.h>

#include <userbpf/userbpf.h>

#include "isa/isa.h"
#include "test.h"
#include "vm/vm.h"

/* The interpreter built with switch dispatch (test_vm_switch.c). */
int ubf_test_switch_run_fast(struct ubf_run *run, uint64_t r1, uint64_t r2, uint64_t *r0);
int ubf_test_switch_run_checked(struct ubf_run *run, uint64_t r1, uint64_t r2, uint64_t *r0);

/* One way of running a program. */
struct vm_engine {
	const char *name;
	uint32_t engine;	/* enum ubf_engine */
	uint32_t flags;		/* UBF_PROG_F_* */
	/* NULL: ubf_prog_run(); else this loop on a run set up by ubf_run_init() */
	int (*run)(struct ubf_run *run, uint64_t r1, uint64_t r2, uint64_t *r0);
};

static const struct vm_engine vm_engines[] UBF_UNUSED = {
	{ "interp-fast", UBF_ENGINE_INTERP, UBF_PROG_F_TRUSTED, NULL },
	{ "interp-checked", UBF_ENGINE_INTERP, UBF_PROG_F_CHECKED, NULL },
	{ "interp-switch-fast", UBF_ENGINE_INTERP, UBF_PROG_F_TRUSTED, ubf_test_switch_run_fast },
	{ "interp-switch-checked", UBF_ENGINE_INTERP, UBF_PROG_F_CHECKED,
	  ubf_test_switch_run_checked },
	{ "jit-trusted", UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED, NULL },
	{ "jit-checked", UBF_ENGINE_JIT, UBF_PROG_F_CHECKED, NULL },
};
enum {
	VM_INTERP_FAST,
	VM_INTERP_CHECKED,
	VM_SWITCH_FAST,
	VM_SWITCH_CHECKED,
	VM_JIT_TRUSTED,
	VM_JIT_CHECKED,
	VM_ENGINE_CNT
};

/*
 * A test instruction: a row of the table plus the fields it uses.  Fields
 * the row does not use (or uses as its key) are ignored by vm_build().
 * An lddw carries its 64-bit value in imm64 and becomes two slots.
 */
struct tinsn {
	uint16_t id;
	uint8_t dst;
	uint8_t src;
	int16_t off;
	int32_t imm;
	uint64_t imm64;
};

#define I(id_, d, s, o, i) { UBF_INSN_##id_, (d), (s), (o), (int32_t)(i), 0 }
#define ALU_K(id_, d, i) I(id_, d, 0, 0, i)			/* dst op= imm */
#define ALU_X(id_, d, s) I(id_, d, s, 0, 0)			/* dst op= src */
#define MEM(id_, d, s, o) I(id_, d, s, o, 0)			/* loads, stores, atomics */
#define ST_K(id_, d, o, i) I(id_, d, 0, o, i)			/* *(dst + off) = imm */
#define JMP_K(id_, d, i, o) I(id_, d, 0, o, i)
#define JMP_X(id_, d, s, o) I(id_, d, s, o, 0)
#define MOV_K(d, i) I(MOV64_IMM, d, 0, 0, i)
#define MOV_X(d, s) I(MOV64_REG, d, s, 0, 0)
#define LDDW(d, v) { UBF_INSN_LDDW, (d), 0, 0, 0, (uint64_t)(v) }
#define CALL(n) I(CALL_HELPER, 0, 0, 0, n)
#define CALL_LOCAL(rel) I(CALL_LOCAL, 0, 0, 0, rel)
#define EXIT() I(EXIT, 0, 0, 0, 0)

#define PROG(...) (const struct tinsn[]){ __VA_ARGS__ }, \
	sizeof((const struct tinsn[]){ __VA_ARGS__ }) / sizeof(struct tinsn)
#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

/* Encode @cnt test instructions into @out (room for 2 * @cnt); return the slot count. */
static inline size_t vm_build(const struct tinsn *t, size_t cnt, struct ubf_raw_insn *out)
{
	size_t i, n = 0;

	for (i = 0; i < cnt; i++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[t[i].id];
		struct ubf_raw_insn in = ubf_isa_encode((enum ubf_insn_id)t[i].id);

		if (ubf_shape_has_dst(d->shape))
			in.regs = UBF_REGS(t[i].dst, ubf_raw_src(&in));
		if (ubf_shape_has_src(d->shape) && d->key.field != UBF_KEY_SRC)
			in.regs = UBF_REGS(ubf_raw_dst(&in), t[i].src);
		if (ubf_shape_has_off(d->shape) && d->key.field != UBF_KEY_OFF)
			in.off = t[i].off;
		if (ubf_shape_has_imm(d->shape) && d->key.field != UBF_KEY_IMM)
			in.imm = t[i].imm;
		if (d->kind == UBF_KIND_LDDW) {
			in.imm = (int32_t)(uint32_t)t[i].imm64;
			out[n++] = in;
			in = (struct ubf_raw_insn){ 0 };
			in.imm = (int32_t)(uint32_t)(t[i].imm64 >> 32);
		}
		out[n++] = in;
	}
	return n;
}

/*
 * Load @t on @e.  Return 0, -EOPNOTSUPP when @e is a JIT the host does
 * not have, or the load error.
 */
static inline int vm_load(struct ubf_prog **progp, const struct vm_engine *e, const struct tinsn *t,
			  size_t cnt, const struct ubf_env *env, uint64_t insn_limit,
			  struct ubf_diag *diag)
{
	struct ubf_raw_insn *raw = calloc(2 * cnt + 1, sizeof(*raw));
	struct ubf_prog_opts opts = { .sz = sizeof(opts) };
	size_t n;
	int err;

	if (!raw)
		return -ENOMEM;
	n = vm_build(t, cnt, raw);
	opts.diag = diag;
	opts.env = env;
	opts.insn_limit = insn_limit;
	opts.flags = e->flags;
	opts.engine = e->engine;
	opts.name = e->name;
	err = ubf_prog_load(progp, raw, n, &opts);
	free(raw);
	return err;
}

/* Run @prog once on @e: through ubf_prog_run(), or @e's own loop. */
static inline int vm_run_prog(const struct vm_engine *e, const struct ubf_prog *prog, void *mem,
			      size_t mem_sz, uint64_t *r0, const struct ubf_run_opts *ropts)
{
	struct ubf_run run;

	if (!e->run)
		return ubf_prog_run(prog, mem, mem_sz, r0, ropts);
	ubf_run_init(&run, prog, mem, mem_sz, ropts);
	return e->run(&run, (uint64_t)(uintptr_t)mem, mem_sz, r0);
}

/*
 * Load and run @t once on @e with a private copy of @mem (written back to
 * @mem_out when not NULL).  Return as ubf_prog_load()/ubf_prog_run().
 */
static inline int vm_run(const struct vm_engine *e, const struct tinsn *t, size_t cnt,
			 const struct ubf_env *env, const uint8_t *mem, size_t mem_sz,
			 uint8_t *mem_out, uint64_t *r0, struct ubf_diag *diag)
{
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_prog *prog = NULL;
	uint8_t *copy = NULL;
	int err;

	err = vm_load(&prog, e, t, cnt, env, 0, diag);
	if (err)
		return err;
	if (mem_sz) {
		copy = malloc(mem_sz);
		if (!copy) {
			ubf_prog_free(prog);
			return -ENOMEM;
		}
		memcpy(copy, mem, mem_sz);
	}
	ropts.diag = diag;
	err = vm_run_prog(e, prog, copy, mem_sz, r0, &ropts);
	if (mem_out && mem_sz)
		memcpy(mem_out, copy, mem_sz);
	free(copy);
	ubf_prog_free(prog);
	return err;
}

/* Is @e available on this host?  (The interpreter always is.) */
static inline bool vm_engine_available(const struct vm_engine *e)
{
	static const struct tinsn t[] = { MOV_K(0, 0), EXIT() };
	struct ubf_prog *prog = NULL;
	int err = vm_load(&prog, e, t, 2, NULL, 0, NULL);

	ubf_prog_free(prog);
	return err != -EOPNOTSUPP;
}

#endif /* UBF_TEST_VM_H */
