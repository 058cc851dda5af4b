// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_verifier_call.c - call frames in the verifier (src/verifier/
 * check_call.c and the frame parts of state.c): the stack depth reported per
 * subprogram and for the deepest call chain, states of different call depths
 * never including each other, stack pointers resolving to their own frame,
 * widening of a callback's iterations, global functions checked against a
 * BTF signature built here with libbpf, and the level-2 log with its source
 * lines.  The rule-by-rule cases against Linux are the .vt files of
 * tests/verifier.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>
#include <bpf/btf.h>

#include <userbpf/isa.h>

#include "test.h"

#include "verifier/verifier.h"

struct run {
	int err;
	const char *rule;
	uint32_t idx;
	uint32_t stack_depth;
	uint32_t depths[4];
	size_t subprog_cnt;
	int has_text;
};

/* Verify @text (with @btf and its func_info/line_info when given); look for @needle in the log. */
static struct run run_ex(const char *text, const struct btf *btf,
			 const struct bpf_func_info *fi, size_t fi_cnt,
			 const struct bpf_line_info *li, size_t li_cnt, uint32_t log_level,
			 const char *needle)
{
	struct ubf_asm_opts opts = { .sz = sizeof(opts) };
	struct ubf_raw_insn *insns = NULL;
	struct ubf_verify_input in = { 0 };
	struct ubf_verify_result out;
	struct run r = { .err = -1000 };
	size_t cnt = 0, i;

	if (ubf_asm_parse(text, strlen(text), &insns, &cnt, &opts)) {
		ubf_test_fail(__FILE__, __LINE__, "cannot assemble: %s", text);
		return r;
	}
	in.insns = insns;
	in.insn_cnt = cnt;
	in.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	in.btf = btf;
	in.func_info = fi;
	in.func_info_cnt = fi_cnt;
	in.line_info = li;
	in.line_info_cnt = li_cnt;
	in.log_level = log_level;
	r.err = ubf_verify(&in, &out);
	r.rule = out.diag.id;
	r.idx = out.diag.insn_idx;
	r.stack_depth = out.stack_depth;
	r.subprog_cnt = out.subprog_cnt;
	for (i = 0; i < out.subprog_cnt && i < 4; i++)
		r.depths[i] = out.subprog_stack_depth[i];
	r.has_text = needle && out.log && strstr(out.log, needle);
	ubf_verify_result_free(&out);
	free(insns);
	return r;
}

static struct run run(const char *text)
{
	return run_ex(text, NULL, NULL, 0, NULL, 0, 0, NULL);
}

static const char three_frames[] =
	"r1 = 0\n*(u64 *)(r10 - 40) = r1\ncall f\nexit\n"
	"f:\nr1 = 0\n*(u64 *)(r10 - 8) = r1\ncall g\nexit\n"
	"g:\nr1 = 0\n*(u64 *)(r10 - 104) = r1\nr0 = 0\nexit\n";

TEST(verifier_call_reports_stack_depth_per_subprogram)
{
	struct run r = run(three_frames);

	EXPECT_OK(r.err);
	EXPECT_EQ_U64(r.subprog_cnt, 3);
	EXPECT_EQ_U64(r.depths[0], 40);
	EXPECT_EQ_U64(r.depths[1], 8);
	EXPECT_EQ_U64(r.depths[2], 104);
	/* each frame rounded up to 32 bytes: 64 + 32 + 128 */
	EXPECT_EQ_U64(r.stack_depth, 224);
}

TEST(verifier_call_combined_stack_over_512_is_rejected_at_the_deepest_call)
{
	struct run r = run("r1 = 0\n*(u64 *)(r10 - 264) = r1\ncall f\nexit\n"
			   "f:\nr1 = 0\n*(u64 *)(r10 - 256) = r1\nr0 = 0\nexit\n");

	EXPECT_ERR(-EACCES, r.err);
	EXPECT_STREQ(r.rule, "call.stack_size");
	EXPECT_EQ_U64(r.idx, 2);
	r = run("r1 = 0\n*(u64 *)(r10 - 256) = r1\ncall f\nexit\n"
		"f:\nr1 = 0\n*(u64 *)(r10 - 256) = r1\nr0 = 0\nexit\n");
	EXPECT_OK(r.err);
	EXPECT_EQ_U64(r.stack_depth, 512);
}

TEST(verifier_call_ninth_frame_is_rejected)
{
	struct run r = run("call f\nexit\nf:\ncall f\nr0 = 0\nexit\n");

	EXPECT_ERR(-EACCES, r.err);
	EXPECT_STREQ(r.rule, "call.depth");
	EXPECT_EQ_U64(r.idx, 2);
}

TEST(verifier_call_callee_writes_reach_the_caller_frame)
{
	/* the callee stores a pointer-sized 9 through the caller's fp-8: r0 is 9, not 7 */
	struct run r = run("r1 = 7\n*(u64 *)(r10 - 8) = r1\nr1 = r10\nr1 += -8\ncall f\n"
			   "r0 = *(u64 *)(r10 - 8)\nif r0 == 9 goto +1\nr0 = *(u64 *)(r0 + 0)\n"
			   "r0 = 0\nexit\n"
			   "f:\nr2 = 9\n*(u64 *)(r1 + 0) = r2\nr0 = 0\nexit\n");

	EXPECT_OK(r.err);
	r = run("r1 = 7\n*(u64 *)(r10 - 8) = r1\nr1 = r10\nr1 += -8\ncall f\n"
		"r0 = *(u64 *)(r10 - 8)\nif r0 == 7 goto +1\nr0 = *(u64 *)(r0 + 0)\n"
		"r0 = 0\nexit\n"
		"f:\nr2 = 9\n*(u64 *)(r1 + 0) = r2\nr0 = 0\nexit\n");
	EXPECT_ERR(-EACCES, r.err);
	EXPECT_EQ_U64(r.idx, 7);
}

TEST(verifier_call_states_of_different_depth_never_include)
{
	struct ubf_vstate *a = calloc(2, sizeof(*a)), *b = a + 1;
	struct ubf_vreg p;

	ubf_vfy_state_init(a);
	ubf_vfy_state_init(b);
	EXPECT_TRUE(ubf_vfy_state_includes(a, b));
	b->frame_cnt = 1;
	b->caller[0].regs[10] = a->regs[10];
	EXPECT_TRUE(!ubf_vfy_state_includes(a, b));
	EXPECT_TRUE(!ubf_vfy_state_includes(b, a));
	/* a stack pointer of frame 0 resolves to the saved caller's stack */
	ubf_vfy_reg_ptr(&p, UBF_VREG_STACK, -8);
	EXPECT_TRUE(ubf_vfy_stack_of(b, &p) == b->caller[0].stack);
	p.map = 1;
	EXPECT_TRUE(ubf_vfy_stack_of(b, &p) == b->stack);
	EXPECT_EQ_U64(ubf_vfy_state_size(b) - ubf_vfy_state_size(a), sizeof(b->caller[0]));
	free(a);
}

TEST(verifier_call_widening_forgets_only_changing_scalars)
{
	struct ubf_vstate *a = calloc(2, sizeof(*a)), *b = a + 1;

	ubf_vfy_state_init(a);
	ubf_vfy_reg_scalar(&a->regs[6], ubf_scalar_const(1));
	ubf_vfy_reg_scalar(&a->regs[7], ubf_scalar_const(5));
	ubf_vfy_state_copy(b, a);
	ubf_vfy_reg_scalar(&b->regs[6], ubf_scalar_const(2));
	EXPECT_TRUE(!ubf_vfy_state_includes(a, b));
	ubf_vfy_state_widen(b, a);
	EXPECT_TRUE(!ubf_scalar_is_const(&b->regs[6].s));
	EXPECT_TRUE(ubf_scalar_is_const(&b->regs[7].s));
	EXPECT_TRUE(ubf_vfy_state_includes(b, a));
	free(a);
}

/* BTF: main and f(int *p) with f global; func_info for both. */
static struct btf *global_btf(struct bpf_func_info *fi, uint32_t f_off)
{
	struct btf *btf = btf__new_empty();
	int int_id, ptr, proto, main_id, f_id;

	int_id = btf ? btf__add_int(btf, "int", 4, BTF_INT_SIGNED) : -1;
	proto = int_id > 0 ? btf__add_func_proto(btf, int_id) : -1;
	main_id = proto > 0 ? btf__add_func(btf, "main", BTF_FUNC_GLOBAL, proto) : -1;
	ptr = main_id > 0 ? btf__add_ptr(btf, int_id) : -1;
	proto = ptr > 0 ? btf__add_func_proto(btf, int_id) : -1;
	if (proto < 0 || btf__add_func_param(btf, "p", ptr)) {
		btf__free(btf);
		return NULL;
	}
	f_id = btf__add_func(btf, "f", BTF_FUNC_GLOBAL, proto);
	fi[0].insn_off = 0;
	fi[0].type_id = (uint32_t)main_id;
	fi[1].insn_off = f_off;
	fi[1].type_id = (uint32_t)f_id;
	return f_id > 0 ? btf : NULL;
}

TEST(verifier_call_global_function_takes_a_nullable_pointer)
{
	static const char caller[] = "r1 = 0\n*(u64 *)(r10 - 8) = r1\nr1 = r10\nr1 += -8\n"
				     "call f\nexit\n";
	struct bpf_func_info fi[2];
	struct btf *btf = global_btf(fi, 6);
	char text[512];
	struct run r;

	EXPECT_TRUE(btf != NULL);
	if (!btf)
		return;
	snprintf(text, sizeof(text), "%sf:\nr0 = *(u32 *)(r1 + 0)\nexit\n", caller);
	r = run_ex(text, btf, fi, 2, NULL, 0, 0, NULL);
	EXPECT_ERR(-EACCES, r.err);
	EXPECT_EQ_U64(r.idx, 6);
	snprintf(text, sizeof(text), "%sf:\nr0 = 0\nif r1 == 0 goto +1\nr0 = *(u32 *)(r1 + 0)\n"
		 "exit\n", caller);
	r = run_ex(text, btf, fi, 2, NULL, 0, 0, NULL);
	EXPECT_OK(r.err);
	/* without func_info the same function is static and sees the caller's pointer */
	snprintf(text, sizeof(text), "%sf:\nr0 = *(u32 *)(r1 + 0)\nexit\n", caller);
	r = run_ex(text, NULL, NULL, 0, NULL, 0, 0, NULL);
	EXPECT_OK(r.err);
	/* a scalar where the signature says pointer: the caller is rejected */
	fi[1].insn_off = 3;
	r = run_ex("r1 = 5\ncall f\nexit\nf:\nr0 = 0\nexit\n", btf, fi, 2, NULL, 0, 0, NULL);
	EXPECT_ERR(-EACCES, r.err);
	EXPECT_EQ_U64(r.idx, 1);
	btf__free(btf);
}

TEST(verifier_call_log_level_2_prints_state_and_source_line)
{
	struct btf *btf = btf__new_empty();
	struct bpf_line_info li[1];
	int file, line;
	struct run r;

	EXPECT_TRUE(btf != NULL);
	if (!btf)
		return;
	file = btf__add_str(btf, "/src/prog.c");
	line = btf__add_str(btf, "return *p;");
	li[0].insn_off = 0;
	li[0].file_name_off = (uint32_t)file;
	li[0].line_off = (uint32_t)line;
	li[0].line_col = 12u << 10;
	r = run_ex("r0 = 1\nexit\n", btf, NULL, 0, li, 1, 2, "0: (b7) r0 = 1 ; R0=1");
	EXPECT_OK(r.err);
	EXPECT_TRUE(r.has_text);
	r = run_ex("r0 = r5\nexit\n", btf, NULL, 0, li, 1, 1,
		   "; return *p; @ prog.c:12");
	EXPECT_TRUE(r.has_text);
	btf__free(btf);
}
