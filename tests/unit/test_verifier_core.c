// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_verifier_core.c - the verifier core (src/verifier/verify.c and
 * state.c) on small programs written in assembly: verdicts, rule ids and
 * failing instructions for the main rules (registers, stack, context, map
 * null checks, packet bounds, helpers, references, return ranges, loops and
 * the complexity limit), the state inclusion test that pruning relies on,
 * and the log.  Each rejection case has an accepted twin that differs in the
 * one property the rule checks, so both directions can fail.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <userbpf/isa.h>

#include "test.h"

#include "verifier/verifier.h"

static const struct ubf_verify_map test_maps[] = {
	{ BPF_MAP_TYPE_HASH, 8, 8, 4, 0, -1, 0 },
	{ BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, -1, 0 },
	{ BPF_MAP_TYPE_ARRAY, 4, 16, 1, BPF_F_RDONLY_PROG, -1, 0 },
};

struct vres {
	int err;
	char rule[64];
	long idx;
	uint64_t processed;
	size_t log_len;
};

static struct vres verify_ex(const char *text, uint32_t prog_type, uint32_t is_unpriv,
			     uint64_t limit, uint32_t log_level)
{
	struct ubf_asm_opts opts = { .sz = sizeof(opts) };
	struct ubf_raw_insn *insns = NULL;
	struct ubf_verify_input in = { 0 };
	struct ubf_verify_result out;
	struct vres r = { .err = -1000, .idx = -1 };
	size_t cnt = 0;

	if (ubf_asm_parse(text, strlen(text), &insns, &cnt, &opts)) {
		ubf_test_fail(__FILE__, __LINE__, "cannot assemble: %s", text);
		return r;
	}
	in.insns = insns;
	in.insn_cnt = cnt;
	in.prog_type = prog_type;
	in.maps = test_maps;
	in.map_cnt = sizeof(test_maps) / sizeof(test_maps[0]);
	in.is_unpriv = is_unpriv;
	in.insn_limit = limit;
	in.log_level = log_level;
	r.err = ubf_verify(&in, &out);
	if (r.err && out.diag.id) {
		snprintf(r.rule, sizeof(r.rule), "%s", out.diag.id);
		r.idx = (long)out.diag.insn_idx;
	}
	r.processed = out.insn_processed;
	r.log_len = out.log_len;
	ubf_verify_result_free(&out);
	free(insns);
	return r;
}

static struct vres verify(const char *text, uint32_t prog_type)
{
	return verify_ex(text, prog_type, 0, 0, 0);
}

#define EXPECT_ACCEPT(text, type)                                                       \
	do {                                                                            \
		struct vres r_ = verify(text, type);                                    \
		if (r_.err)                                                             \
			ubf_test_fail(__FILE__, __LINE__, "rejected (%s @%ld): %s", r_.rule, \
				      r_.idx, text);                                    \
	} while (0)

#define EXPECT_REJECT_ERR(text, type, err_, rule_, idx_)                                \
	do {                                                                            \
		struct vres r_ = verify(text, type);                                    \
		EXPECT_EQ_INT(r_.err, err_);                                            \
		EXPECT_STREQ(r_.rule, rule_);                                           \
		EXPECT_EQ_INT(r_.idx, idx_);                                            \
	} while (0)
#define EXPECT_REJECT(text, type, rule_, idx_) EXPECT_REJECT_ERR(text, type, -EACCES, rule_, idx_)

#define SF BPF_PROG_TYPE_SOCKET_FILTER
#define XDP BPF_PROG_TYPE_XDP

TEST(verifier_core_registers)
{
	EXPECT_ACCEPT("r0 = 0\nexit\n", SF);
	EXPECT_REJECT("exit\n", SF, "ret.r0_uninit", 0);
	EXPECT_REJECT("r0 = r2\nexit\n", SF, "reg.uninit_read", 0);
	EXPECT_REJECT("r10 = 0\nr0 = 0\nexit\n", SF, "reg.fp_write", 0);
	/* helpers clobber r1-r5 and keep r6-r9 */
	EXPECT_ACCEPT("r6 = 1\ncall 7\nr0 = r6\nexit\n", SF);
	EXPECT_REJECT("r3 = 1\ncall 7\nr0 = r3\nexit\n", SF, "reg.uninit_read", 2);
	/* a register set on one path only */
	EXPECT_REJECT("call 7\nif r0 == 0 goto +1\nr2 = 1\nr0 = r2\nexit\n", SF,
		      "reg.uninit_read", 3);
	EXPECT_ACCEPT("call 7\nr2 = 0\nif r0 == 0 goto +1\nr2 = 1\nr0 = r2\nexit\n", SF);
}

TEST(verifier_core_structure)
{
	EXPECT_REJECT("r0 = 0\n", SF, "cfg.fall_off", 0);
	EXPECT_REJECT("r0 = 0\ngoto +1\nr0 = 1\nexit\n", SF, "cfg.unreachable", 2);
	EXPECT_REJECT("r0 = 0\nif r0 == 0 goto +5\nexit\n", SF, "cfg.jump_out_of_range", 1);
}

TEST(verifier_core_stack)
{
	EXPECT_ACCEPT("r1 = 7\n*(u64 *)(r10 - 8) = r1\nr0 = *(u64 *)(r10 - 8)\nexit\n", SF);
	EXPECT_REJECT("r1 = 7\n*(u64 *)(r10 - 520) = r1\nr0 = 0\nexit\n", SF, "stack.oob", 1);
	EXPECT_REJECT("r1 = 7\n*(u64 *)(r10 - 4) = r1\nr0 = 0\nexit\n", SF, "stack.misaligned",
		      1);
	/* a spilled pointer comes back as a pointer, a partial fill is refused */
	EXPECT_ACCEPT("*(u64 *)(r10 - 8) = r1\nr2 = *(u64 *)(r10 - 8)\n"
		      "r0 = *(u32 *)(r2 + 0)\nexit\n", SF);
	EXPECT_REJECT("*(u64 *)(r10 - 8) = r1\nr2 = *(u32 *)(r10 - 8)\nr0 = 0\nexit\n", SF,
		      "stack.partial_fill_ptr", 1);
	/* a spilled constant keeps its value: the read is proven in bounds */
	EXPECT_ACCEPT("r1 = 4\n*(u64 *)(r10 - 8) = r1\nr2 = *(u64 *)(r10 - 8)\nr3 = r10\n"
		      "r3 += -16\nr3 += r2\n*(u32 *)(r3 + 0) = r2\nr0 = 0\nexit\n", SF);
}

TEST(verifier_core_uninit_stack_by_priv)
{
	const char *prog = "r0 = *(u64 *)(r10 - 8)\nexit\n";
	struct vres root = verify_ex(prog, SF, 0, 0, 0);
	struct vres bpf = verify_ex(prog, SF, 1, 0, 0);

	EXPECT_EQ_INT(root.err, 0);
	EXPECT_EQ_INT(bpf.err, -EACCES);
	EXPECT_STREQ(bpf.rule, "stack.uninit_read");
}

TEST(verifier_core_ctx)
{
	EXPECT_ACCEPT("r0 = *(u32 *)(r1 + 0)\nexit\n", SF);
	EXPECT_ACCEPT("r0 = *(u16 *)(r1 + 0)\nexit\n", SF);
	EXPECT_REJECT("r0 = *(u64 *)(r1 + 0)\nexit\n", SF, "ctx.read", 0);
	EXPECT_REJECT("r0 = *(u32 *)(r1 + 76)\nexit\n", SF, "ctx.read", 0);
	EXPECT_ACCEPT("r2 = 1\n*(u32 *)(r1 + 48) = r2\nr0 = 0\nexit\n", SF);
	EXPECT_REJECT("r2 = 1\n*(u32 *)(r1 + 8) = r2\nr0 = 0\nexit\n", SF, "ctx.write", 1);
	EXPECT_REJECT("r1 += 4\nr0 = *(u32 *)(r1 + 0)\nexit\n", SF, "ctx.modified", 1);
	EXPECT_ACCEPT("r1 += 4\nr1 += -4\nr0 = *(u32 *)(r1 + 0)\nexit\n", SF);
}

#define LOOKUP "r1 = 0\n*(u64 *)(r10 - 8) = r1\nr2 = r10\nr2 += -8\nr1 = map_fd[0]\ncall 1\n"

TEST(verifier_core_map_value)
{
	EXPECT_REJECT(LOOKUP "r0 = *(u64 *)(r0 + 0)\nr0 = 0\nexit\n", SF, "map.null_check", 7);
	EXPECT_ACCEPT(LOOKUP "if r0 == 0 goto +1\nr0 = *(u64 *)(r0 + 0)\nr0 = 0\nexit\n", SF);
	EXPECT_ACCEPT(LOOKUP "if r0 != 0 goto +2\nr0 = 0\nexit\nr0 = *(u64 *)(r0 + 0)\n"
			     "r0 = 0\nexit\n", SF);
	EXPECT_REJECT(LOOKUP "if r0 == 0 goto +1\nr0 = *(u64 *)(r0 + 4)\nr0 = 0\nexit\n", SF,
		      "map.value_oob", 8);
	/* a bounded variable index */
	EXPECT_ACCEPT(LOOKUP "if r0 == 0 goto +4\nr1 = *(u64 *)(r0 + 0)\nr1 &= 7\nr0 += r1\n"
			     "r0 = *(u8 *)(r0 + 0)\nr0 = 0\nexit\n", SF);
	EXPECT_REJECT(LOOKUP "if r0 == 0 goto +4\nr1 = *(u64 *)(r0 + 0)\nr1 &= 15\nr0 += r1\n"
			     "r0 = *(u8 *)(r0 + 0)\nr0 = 0\nexit\n", SF, "map.value_oob", 11);
	/* a read-only map refuses stores */
	EXPECT_REJECT("r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\n"
		      "r1 = map_fd[2]\ncall 1\nif r0 == 0 goto +2\nr1 = 1\n*(u32 *)(r0 + 0) = r1\n"
		      "r0 = 0\nexit\n", SF, "map.readonly", 9);
}

#define PKT "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 8\n"

TEST(verifier_core_packet)
{
	EXPECT_ACCEPT(PKT "if r4 > r3 goto +1\nr0 = *(u64 *)(r2 + 0)\nr0 = 2\nexit\n", XDP);
	EXPECT_REJECT(PKT "if r4 > r3 goto +1\nr0 = *(u64 *)(r2 + 4)\nr0 = 2\nexit\n", XDP,
		      "pkt.bounds", 5);
	EXPECT_REJECT(PKT "r0 = *(u8 *)(r2 + 0)\nr0 = 2\nexit\n", XDP, "pkt.bounds", 4);
	/* the end on the left, the check reversed */
	EXPECT_ACCEPT(PKT "if r3 >= r4 goto +2\nr0 = 1\nexit\nr0 = *(u64 *)(r2 + 0)\n"
			  "r0 = 2\nexit\n", XDP);
	EXPECT_REJECT(PKT "r3 += 1\nr0 = 2\nexit\n", XDP, "ptr.pkt_end", 4);
	/* a helper that moves the packet invalidates packet pointers */
	EXPECT_REJECT(PKT "if r4 > r3 goto +4\nr6 = r2\nr2 = 0\ncall 44\n"
			  "r0 = *(u8 *)(r6 + 0)\nr0 = 2\nexit\n", XDP, "reg.scalar_deref", 8);
}

TEST(verifier_core_helpers)
{
	/* Linux's EINVAL for a helper the type cannot call, as feature probes read it */
	EXPECT_REJECT_ERR("call 100000\nr0 = 0\nexit\n", SF, -EINVAL, "helper.unknown", 0);
	EXPECT_REJECT_ERR("r2 = 0\ncall 44\nr0 = 0\nexit\n", SF, -EINVAL, "helper.prog_type", 1);
	EXPECT_REJECT("r1 = 0\nr2 = r10\nr2 += -8\ncall 1\nr0 = 0\nexit\n", SF,
		      "helper.arg_type", 3);
	/* the key must be initialised for a CAP_BPF loader */
	EXPECT_EQ_INT(verify_ex("r2 = r10\nr2 += -8\nr1 = map_fd[0]\ncall 1\nr0 = 0\nexit\n",
				SF, 1, 0, 0).err, -EACCES);
	EXPECT_EQ_INT(verify_ex(LOOKUP "r0 = 0\nexit\n", SF, 1, 0, 0).err, 0);
}

#define RESERVE "r1 = map_fd[1]\nr2 = 8\nr3 = 0\ncall 131\n"

TEST(verifier_core_references)
{
	EXPECT_ACCEPT(RESERVE "if r0 == 0 goto +5\nr1 = 1\n*(u64 *)(r0 + 0) = r1\nr1 = r0\n"
			      "r2 = 0\ncall 132\nr0 = 0\nexit\n", SF);
	EXPECT_REJECT(RESERVE "if r0 == 0 goto +2\nr1 = 1\n*(u64 *)(r0 + 0) = r1\nr0 = 0\nexit\n",
		      SF, "ref.ringbuf_leak", 9);
	EXPECT_REJECT(RESERVE "r1 = 1\n*(u64 *)(r0 + 0) = r1\nr0 = 0\nexit\n", SF,
		      "ref.null_check", 6);
	EXPECT_REJECT(RESERVE "if r0 == 0 goto +5\nr1 = 1\n*(u64 *)(r0 + 8) = r1\nr1 = r0\n"
			      "r2 = 0\ncall 132\nr0 = 0\nexit\n", SF, "ref.mem_oob", 7);
	/* a use after the release */
	EXPECT_REJECT(RESERVE "if r0 == 0 goto +6\nr6 = r0\nr1 = r0\nr2 = 0\ncall 132\n"
			      "r0 = *(u64 *)(r6 + 0)\nr0 = 0\nexit\n", SF,
		      "reg.scalar_deref", 10);
}

TEST(verifier_core_return_range)
{
	EXPECT_ACCEPT("r0 = 1\nexit\n", BPF_PROG_TYPE_CGROUP_SKB);
	EXPECT_REJECT("r0 = 2\nexit\n", BPF_PROG_TYPE_CGROUP_SKB, "ret.range", 1);
	EXPECT_ACCEPT("call 7\nr0 &= 1\nexit\n", BPF_PROG_TYPE_CGROUP_SKB);
	EXPECT_REJECT("call 7\nexit\n", BPF_PROG_TYPE_CGROUP_SKB, "ret.range", 1);
	EXPECT_ACCEPT("r0 = -1\nexit\n", XDP);
}

TEST(verifier_core_loops)
{
	/* a bounded loop is walked to its end, pruning keeps the diamonds small */
	EXPECT_ACCEPT("r0 = 0\nr1 = 10\nr0 += 1\nr1 += -1\nif r1 != 0 goto -3\nexit\n", SF);
	/* found back at insn 1; named where the walk last was, as Linux's log ends */
	EXPECT_REJECT("r0 = 0\nr0 = 0\nif r0 == 0 goto -2\nexit\n", SF, "loop.infinite", 2);
	{
		struct vres r = verify_ex("r0 = 0\nr0 += 1\nif r0 != 0 goto -2\nexit\n", SF, 0,
					  1000, 0);

		EXPECT_EQ_INT(r.err, -E2BIG);
		EXPECT_STREQ(r.rule, "limit.complexity");
	}
}

TEST(verifier_core_pruning)
{
	/* 20 diamonds in a row: 2^20 paths unless states are pruned at the joins */
	char prog[4096] = "call 7\nr6 = r0\nr7 = 0\n";
	struct vres r;
	int i;

	for (i = 0; i < 20; i++)
		strcat(prog, "if r6 > 5 goto +1\nr7 = 0\n");
	strcat(prog, "r0 = r7\nexit\n");
	r = verify(prog, SF);
	EXPECT_EQ_INT(r.err, 0);
	EXPECT_TRUE(r.processed < 2000);
}

TEST(verifier_core_state_includes)
{
	struct ubf_vstate *a = calloc(2, sizeof(*a)), *b = a + 1;

	ASSERT_TRUE(a);
	ubf_vfy_state_init(a);
	ubf_vfy_state_init(b);
	ubf_vfy_reg_scalar(&a->regs[2], ubf_scalar_from_urange(0, 10));
	ubf_vfy_reg_scalar(&b->regs[2], ubf_scalar_from_urange(2, 5));
	EXPECT_TRUE(ubf_vfy_state_includes(a, b));
	EXPECT_TRUE(!ubf_vfy_state_includes(b, a));
	EXPECT_TRUE(!ubf_vfy_state_equal(a, b));
	/* an unset register in the old state covers anything */
	memset(&a->regs[3], 0, sizeof(a->regs[3]));
	ubf_vfy_reg_ptr(&b->regs[3], UBF_VREG_STACK, -8);
	EXPECT_TRUE(ubf_vfy_state_includes(a, b));
	/* a pointer never covers a scalar, nor a scalar a pointer */
	ubf_vfy_reg_unknown(&a->regs[3]);
	EXPECT_TRUE(!ubf_vfy_state_includes(a, b));
	/* a spilled pointer is not covered by scalar bytes */
	ubf_vfy_reg_unknown(&a->regs[3]);
	ubf_vfy_reg_unknown(&b->regs[3]);
	memset(a->stack[63].type, UBF_VSLOT_MISC, 8);
	memset(b->stack[63].type, UBF_VSLOT_SPILL, 8);
	ubf_vfy_reg_ptr(&b->stack[63].spill, UBF_VREG_CTX, 0);
	EXPECT_TRUE(!ubf_vfy_state_includes(a, b));
	ubf_vfy_reg_unknown(&b->stack[63].spill);
	EXPECT_TRUE(ubf_vfy_state_includes(a, b));
	/* packet ranges: a longer proven range is included, a shorter one not */
	ubf_vfy_reg_ptr(&a->regs[4], UBF_VREG_PACKET, 0);
	b->regs[4] = a->regs[4];
	a->regs[4].range = 8;
	b->regs[4].range = 14;
	EXPECT_TRUE(ubf_vfy_state_includes(a, b));
	EXPECT_TRUE(!ubf_vfy_state_includes(b, a));
	free(a);
}

TEST(verifier_core_log)
{
	struct vres quiet = verify_ex("r0 = r2\nexit\n", SF, 0, 0, 0);
	struct vres loud = verify_ex("r0 = r2\nexit\n", SF, 0, 0, 1);

	EXPECT_EQ_INT(quiet.log_len, 0);
	EXPECT_TRUE(loud.log_len > 0);
}

/* A rejection logs its message last, as Linux, however long the state before it. */
TEST(verifier_core_log_keeps_the_reason_after_a_long_state)
{
	struct ubf_asm_opts opts = { .sz = sizeof(opts) };
	struct ubf_raw_insn *insns = NULL;
	struct ubf_verify_input in = { 0 };
	struct ubf_verify_result out;
	char text[4096], *p = text, *last;
	size_t cnt = 0;
	int i;

	/* 48 stack slots hold a ranged scalar each, then r0 = r2 reads an unset register */
	p += sprintf(p, "r6 = *(u32 *)(r1 + 0)\n");
	for (i = 1; i <= 48; i++)
		p += sprintf(p, "*(u64 *)(r10 - %d) = r6\n", i * 8);
	sprintf(p, "r0 = r2\nexit\n");
	ASSERT_OK(ubf_asm_parse(text, strlen(text), &insns, &cnt, &opts));
	in.insns = insns;
	in.insn_cnt = cnt;
	in.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	in.log_level = 1;
	EXPECT_EQ_INT(ubf_verify(&in, &out), -EACCES);
	ASSERT_TRUE(out.log && out.log_len > 48 * 60);
	EXPECT_TRUE(out.log[out.log_len - 1] == '\n');
	out.log[out.log_len - 1] = '\0';
	last = strrchr(out.log, '\n');
	EXPECT_STREQ(last ? last + 1 : out.log, "R2 !read_ok");
	ubf_verify_result_free(&out);
	free(insns);
}
