// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_prog_funcs.c - what BPF_OBJ_GET_INFO_BY_FD says about a program
 * with bpf-to-bpf calls, in the form Linux gives a JITed one (and bpftool's
 * `prog dump xlated` reads): each call's relative target in off and the
 * callee's function index in imm; one jited_ksyms address and one
 * jited_func_lens length per function, in order, the lengths adding up to
 * the image.
 */
#include "test_sys.h"

#include <userbpf/insn.h>

#include "test.h"

#define I(c, d, s, o, i) UBF_INSN(c, d, s, o, i)

/*
 * main: r0 = A(5) + B(7); A(x) = B(x + 1); B(x) = x + 100; so 213.
 * Functions start at 0, 7 and 10.
 */
static const struct ubf_raw_insn calls_prog[] = {
	I(0xb7, 1, 0, 0, 5),	/* 0: r1 = 5 */
	I(0x85, 0, 1, 0, 5),	/* 1: call pc+5 (A) */
	I(0xbf, 6, 0, 0, 0),	/* 2: r6 = r0 */
	I(0xb7, 1, 0, 0, 7),	/* 3: r1 = 7 */
	I(0x85, 0, 1, 0, 5),	/* 4: call pc+5 (B) */
	I(0x0f, 0, 6, 0, 0),	/* 5: r0 += r6 */
	I(0x95, 0, 0, 0, 0),	/* 6: exit */
	I(0x07, 1, 0, 0, 1),	/* 7: A: r1 += 1 */
	I(0x85, 0, 1, 0, 1),	/* 8: call pc+1 (B) */
	I(0x95, 0, 0, 0, 0),	/* 9: exit */
	I(0xbf, 0, 1, 0, 0),	/* 10: B: r0 = r1 */
	I(0x07, 0, 0, 0, 100),	/* 11: r0 += 100 */
	I(0x95, 0, 0, 0, 0),	/* 12: exit */
};
#define CALLS_CNT ((uint32_t)(sizeof(calls_prog) / sizeof(calls_prog[0])))

static int load_calls(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE;
	a.insns = (uint64_t)(uintptr_t)calls_prog;
	a.insn_cnt = CALLS_CNT;
	a.license = (uint64_t)(uintptr_t)"GPL";
	strcpy(a.prog_name, "calls");
	return sys_bpf(BPF_PROG_LOAD, &a);
}

static int prog_info(int fd, struct bpf_prog_info *info)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(*info);
	a.info.info = (uint64_t)(uintptr_t)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a);
}

TEST(sys_prog_info_xlated_calls_have_linux_form)
{
	struct ubf_raw_insn x[CALLS_CNT];
	struct bpf_prog_info info;
	union bpf_attr a;
	char dir[64];
	uint32_t i;
	int prog;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	prog = load_calls();
	ASSERT_TRUE(prog >= 0);
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog;
	ASSERT_OK(sys_bpf(BPF_PROG_TEST_RUN, &a));
	EXPECT_EQ_INT(a.test.retval, 213);
	memset(&info, 0, sizeof(info));
	memset(x, 0xa5, sizeof(x));
	info.xlated_prog_len = sizeof(x);
	info.xlated_prog_insns = (uint64_t)(uintptr_t)x;
	ASSERT_OK(prog_info(prog, &info));
	EXPECT_EQ_INT(info.xlated_prog_len, sizeof(x));
	/* off: the relative target as loaded; imm: the callee's function index */
	EXPECT_EQ_INT(x[1].off, 5);
	EXPECT_EQ_INT(x[1].imm, 1);
	EXPECT_EQ_INT(x[4].off, 5);
	EXPECT_EQ_INT(x[4].imm, 2);
	EXPECT_EQ_INT(x[8].off, 1);
	EXPECT_EQ_INT(x[8].imm, 2);
	for (i = 0; i < CALLS_CNT; i++) {
		if (i == 1 || i == 4 || i == 8)
			continue;
		EXPECT_TRUE(memcmp(&x[i], &calls_prog[i], sizeof(x[i])) == 0);
	}
	/* a short buffer gets what fits, and the full length */
	memset(&info, 0, sizeof(info));
	memset(x, 0, sizeof(x));
	info.xlated_prog_len = 2 * sizeof(x[0]);
	info.xlated_prog_insns = (uint64_t)(uintptr_t)x;
	ASSERT_OK(prog_info(prog, &info));
	EXPECT_EQ_INT(info.xlated_prog_len, sizeof(x));
	EXPECT_EQ_INT(x[1].off, 5);
	EXPECT_EQ_INT(x[1].imm, 1);
	EXPECT_EQ_INT(x[2].code, 0);
	close(prog);
	sys_store_end(dir);
}

TEST(sys_prog_info_jited_ksyms_one_per_function)
{
	uint64_t ksyms[4] = { 0 };
	uint32_t lens[4] = { 0 }, sum = 0, i;
	struct bpf_prog_info info;
	char dir[64];
	int prog;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	prog = load_calls();
	ASSERT_TRUE(prog >= 0);
	/* the counts alone first, as bpftool asks */
	memset(&info, 0, sizeof(info));
	ASSERT_OK(prog_info(prog, &info));
#if defined(__x86_64__)
	EXPECT_TRUE(info.jited_prog_len > 0);	/* PROG_LOAD JIT-compiles where it can */
#endif
	if (!info.jited_prog_len) {
		/* interpreted: no native symbols, as Linux without a JIT */
		EXPECT_EQ_INT(info.nr_jited_ksyms, 0);
		EXPECT_EQ_INT(info.nr_jited_func_lens, 0);
		close(prog);
		sys_store_end(dir);
		return;
	}
	EXPECT_EQ_INT(info.nr_jited_ksyms, 3);
	EXPECT_EQ_INT(info.nr_jited_func_lens, 3);
	memset(&info, 0, sizeof(info));
	info.nr_jited_ksyms = 4;
	info.jited_ksyms = (uint64_t)(uintptr_t)ksyms;
	info.nr_jited_func_lens = 4;
	info.jited_func_lens = (uint64_t)(uintptr_t)lens;
	ASSERT_OK(prog_info(prog, &info));
	EXPECT_EQ_INT(info.nr_jited_ksyms, 3);
	EXPECT_EQ_INT(info.nr_jited_func_lens, 3);
	EXPECT_TRUE(ksyms[0] != 0 && ksyms[0] < ksyms[1] && ksyms[1] < ksyms[2]);
	EXPECT_EQ_U64(ksyms[3], 0);
	for (i = 0; i < 3; i++) {
		EXPECT_TRUE(lens[i] > 0);
		sum += lens[i];
	}
	EXPECT_EQ_INT(sum, info.jited_prog_len);
	EXPECT_EQ_U64(ksyms[0] + lens[0], ksyms[1]);
	EXPECT_EQ_U64(ksyms[1] + lens[1], ksyms[2]);
	close(prog);
	sys_store_end(dir);
}
