// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_jit_diff.c - the comparison machinery of jit_diff.h (modes,
 * program builder, running one program on every engine), and the tests
 * that check the machinery itself can fail: a program whose result
 * depends on the engine's run is detected.
 */
#include "test.h"

#include <errno.h>
#include <stdlib.h>

#include "isa/isa.h"
#include "jit_diff.h"

const struct jit_mode jit_modes[] = {
	{ "interp-checked", UBF_ENGINE_INTERP, UBF_PROG_F_CHECKED },
	{ "interp-trusted", UBF_ENGINE_INTERP, UBF_PROG_F_TRUSTED },
	{ "jit-checked", UBF_ENGINE_JIT, UBF_PROG_F_CHECKED },
	{ "jit-trusted", UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED },
	{ "jit-checked-blind", UBF_ENGINE_JIT, UBF_PROG_F_CHECKED | UBF_PROG_F_BLIND_CONST },
	{ "jit-trusted-blind", UBF_ENGINE_JIT, UBF_PROG_F_TRUSTED | UBF_PROG_F_BLIND_CONST },
};
const size_t jit_mode_cnt = sizeof(jit_modes) / sizeof(jit_modes[0]);

void pb_add(struct prog_buf *pb, struct ubf_raw_insn in)
{
	if (pb->cnt == pb->cap) {
		pb->cap = pb->cap ? 2 * pb->cap : 256;
		pb->insns = realloc(pb->insns, pb->cap * sizeof(*pb->insns));
		if (!pb->insns)
			abort();
	}
	pb->insns[pb->cnt++] = in;
}

void pb_lddw(struct prog_buf *pb, unsigned reg, uint64_t v)
{
	struct ubf_raw_insn in[] = { UBF_LDDW(reg, v) };

	pb_add(pb, in[0]);
	pb_add(pb, in[1]);
}

struct ubf_raw_insn pb_row(size_t id, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	return ubf_isa_encode_ops((enum ubf_insn_id)id, dst, src, off, imm);
}

void pb_free(struct prog_buf *pb)
{
	free(pb->insns);
	pb->insns = NULL;
	pb->cnt = pb->cap = 0;
}

void jit_run_mode(const struct jit_case *c, const struct jit_mode *m, struct jit_outcome *out)
{
	struct ubf_diag diag = { 0 }, rdiag = { 0 };
	struct ubf_prog *prog = NULL;
	UBF_OPTS(ubf_prog_opts, opts, .diag = &diag, .env = c->env, .insn_limit = c->insn_limit,
		 .flags = m->flags, .engine = m->engine);
	UBF_OPTS(ubf_run_opts, ropts, .diag = &rdiag, .cookie = c->cookie);

	out->err = 0;
	out->r0 = 0;
	out->diag_id = NULL;
	out->diag_insn = 0;
	if (c->mem_sz)
		memcpy(out->mem, c->mem, c->mem_sz);
	out->load_err = ubf_prog_load(&prog, c->insns, c->insn_cnt, &opts);
	if (out->load_err) {
		out->diag_id = diag.id;
		return;
	}
	out->err = ubf_prog_run(prog, c->mem_sz ? out->mem : NULL, c->mem_sz, &out->r0, &ropts);
	if (out->err) {
		out->diag_id = rdiag.id;
		out->diag_insn = rdiag.insn_idx;
	}
	ubf_prog_free(prog);
}

static bool same(const struct jit_case *c, const struct jit_mode *m, const struct jit_outcome *ref,
		 const struct jit_outcome *got)
{
	size_t i;

	if (got->load_err != ref->load_err) {
		ubf_test_fail(__FILE__, __LINE__, "%s: %s: load %d (%s), interpreter load %d",
			      c->what, m->name, got->load_err, got->diag_id ? got->diag_id : "-",
			      ref->load_err);
		return false;
	}
	if (got->load_err)
		return true;
	if (got->err != ref->err || (!got->err && got->r0 != ref->r0)) {
		ubf_test_fail(__FILE__, __LINE__,
			      "%s: %s: err %d r0 0x%" PRIx64 ", interpreter err %d r0 0x%" PRIx64,
			      c->what, m->name, got->err, got->r0, ref->err, ref->r0);
		return false;
	}
	if (got->err && (!got->diag_id || !ref->diag_id || strcmp(got->diag_id, ref->diag_id) ||
			 got->diag_insn != ref->diag_insn)) {
		ubf_test_fail(__FILE__, __LINE__,
			      "%s: %s: fault %s at insn %u, interpreter %s at %u", c->what,
			      m->name, got->diag_id ? got->diag_id : "(none)", got->diag_insn,
			      ref->diag_id ? ref->diag_id : "(none)", ref->diag_insn);
		return false;
	}
	if (got->err && c->skip_mem_on_fault)
		return true;
	for (i = 0; i < c->mem_sz; i++) {
		if (got->mem[i] != ref->mem[i]) {
			ubf_test_fail(__FILE__, __LINE__,
				      "%s: %s: memory byte %zu is 0x%02x, interpreter 0x%02x",
				      c->what, m->name, i, got->mem[i], ref->mem[i]);
			return false;
		}
	}
	return true;
}

bool jit_diff_case(const struct jit_case *c)
{
	struct jit_outcome ref[2], got;
	bool ok = true;
	size_t i;

	for (i = 0; i < 2; i++) {
		ref[i].mem = malloc(c->mem_sz + 1);
		if (i == 0 || !c->checked_only)
			jit_run_mode(c, &jit_modes[i], &ref[i]);
	}
	got.mem = malloc(c->mem_sz + 1);
	for (i = 2; i < jit_mode_cnt && ok; i++) {
		bool is_checked = jit_modes[i].flags & UBF_PROG_F_CHECKED;
		const struct jit_outcome *r = &ref[is_checked ? 0 : 1];

		if (!is_checked && c->checked_only)
			continue;

		jit_run_mode(c, &jit_modes[i], &got);
		ok = same(c, &jit_modes[i], r, &got);
	}
	free(got.mem);
	free(ref[0].mem);
	free(ref[1].mem);
	return ok;
}

/*
 * The harness must be able to fail: a helper that answers differently per
 * engine (it sees the program's engine through the run) makes r0 differ.
 */
static uint64_t engine_dependent(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct ubf_run *run)
{
	int *calls = ubf_run_cookie(run);

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return (uint64_t)(*calls)++;
}

TEST(jit_diff_detects_a_difference)
{
	struct ubf_raw_insn insns[] = { UBF_CALL_HELPER(1000), UBF_EXIT() };
	struct ubf_helper h = { .id = 1000, .name = "engine_dependent", .fn = engine_dependent };
	struct jit_outcome a = { 0 }, b = { 0 };
	struct ubf_env *env;
	int calls = 0;
	struct jit_case c = { .what = "diff", .insns = insns, .insn_cnt = 2, .cookie = &calls };

	REQUIRE_JIT();
	ASSERT_OK(ubf_env_new(&env));
	ASSERT_OK(ubf_env_add_helper(env, &h));
	c.env = env;
	jit_run_mode(&c, &jit_modes[0], &a);
	jit_run_mode(&c, &jit_modes[2], &b);
	EXPECT_OK(a.err);
	EXPECT_OK(b.err);
	EXPECT_TRUE(a.r0 != b.r0);
	ubf_env_free(env);
}

TEST(jit_diff_loads_every_mode)
{
	struct ubf_raw_insn insns[] = { UBF_MOV64_IMM(0, 42), UBF_EXIT() };
	struct jit_case c = { .what = "mov", .insns = insns, .insn_cnt = 2 };
	struct jit_outcome o = { 0 };
	size_t i;

	REQUIRE_JIT();
	for (i = 0; i < jit_mode_cnt; i++) {
		jit_run_mode(&c, &jit_modes[i], &o);
		EXPECT_OK(o.load_err);
		EXPECT_OK(o.err);
		EXPECT_EQ_U64(o.r0, 42);
	}
}
