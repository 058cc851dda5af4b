// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_vm_faults.c - how runs fail: in checked mode every bad access, a
 * spent instruction budget, too deep calls and calls to nothing end the run
 * with the documented errno and diagnostic id at the right instruction, on
 * every engine that has a checked mode; callx to an unknown ID fails in
 * every mode; the trusted mode has no budget.  Also the region rules
 * (read-only regions, caller regions) and the tail-call hook.
 */
#include "test_vm.h"

#include "vm/vm.h"

static const unsigned checked_engines[] = { VM_INTERP_CHECKED, VM_SWITCH_CHECKED,
					    VM_JIT_CHECKED };

struct fault_case {
	const char *name;
	const struct tinsn *prog;
	size_t cnt;
	const uint8_t *mem;
	size_t mem_sz;
	int err;
	const char *diag_id;
	uint32_t insn_idx;	/* slot index, as in the raw program */
};

#define MEM8 BYTES(1, 2, 3, 4, 5, 6, 7, 8)

static const struct fault_case fault_cases[] = {
	{ "read above the stack", PROG(MEM(LDXW, 0, 10, 0), EXIT()), NULL, 0, -EFAULT,
	  "run.mem_oob", 0 },
	{ "read below the stack",
	  PROG(MOV_K(0, 0), MEM(LDXB, 0, 10, -(UBF_STACK_SZ * UBF_MAX_FRAMES) - 1), EXIT()), NULL,
	  0, -EFAULT, "run.mem_oob", 1 },
	{ "write past the memory", PROG(MOV_K(0, 0), MEM(STXDW, 1, 0, 8), EXIT()), MEM8, -EFAULT,
	  "run.mem_oob", 1 },
	{ "load straddling the end of the memory", PROG(MEM(LDXDW, 0, 1, 4), EXIT()), MEM8,
	  -EFAULT, "run.mem_oob", 0 },
	{ "store straddling the top of the stack", PROG(ST_K(STDW, 10, -4, 1), EXIT()), NULL, 0,
	  -EFAULT, "run.mem_oob", 0 },
	{ "NULL dereference", PROG(MOV_K(1, 0), MEM(LDXB, 0, 1, 0), EXIT()), NULL, 0, -EFAULT,
	  "run.mem_oob", 1 },
	{ "address wrapping around", PROG(LDDW(1, 0xfffffffffffffffc), MEM(LDXDW, 0, 1, 0), EXIT()),
	  NULL, 0, -EFAULT, "run.mem_oob", 2 },
	{ "atomic outside", PROG(MOV_K(2, 1), MEM(ATOMIC64_ADD, 1, 2, 8), EXIT()), MEM8, -EFAULT,
	  "run.mem_oob", 1 },
	{ "load-acquire outside", PROG(MEM(LOAD_ACQ_W, 0, 1, 8), EXIT()), MEM8, -EFAULT,
	  "run.mem_oob", 0 },
	{ "misaligned atomic", PROG(MOV_K(2, 1), MEM(ATOMIC64_ADD, 10, 2, -12), EXIT()), NULL, 0,
	  -EFAULT, "run.mem_misaligned", 1 },
	{ "misaligned store-release", PROG(MOV_K(2, 1), MEM(STORE_REL_H, 1, 2, 1), EXIT()), MEM8,
	  -EFAULT, "run.mem_misaligned", 1 },
	{ "endless loop", PROG(MOV_K(0, 0), I(JA, 0, 0, -1, 0), EXIT()), NULL, 0, -E2BIG,
	  "run.insn_limit", 1 },
	{ "callx to an unknown ID", PROG(MOV_K(2, 12345), I(CALLX, 2, 0, 0, 0), EXIT()), NULL, 0,
	  -EFAULT, "run.bad_callx", 1 },
	{ "callx to a negative ID", PROG(MOV_K(3, -1), I(CALLX, 3, 0, 0, 0), EXIT()), NULL, 0,
	  -EFAULT, "run.bad_callx", 1 },
	{ "callx to an ID above 32 bits", PROG(LDDW(3, 0x100000005), I(CALLX, 3, 0, 0, 0), EXIT()),
	  NULL, 0, -EFAULT, "run.bad_callx", 2 },
	{ "helper buffer outside", PROG(MOV_K(1, 64), MOV_K(2, 16), CALL(16), EXIT()), NULL, 0,
	  -EFAULT, "run.mem_oob", 2 },
	{ "helper buffer past the memory", PROG(MOV_K(2, 9), CALL(16), EXIT()), MEM8, -EFAULT,
	  "run.mem_oob", 1 },
};

static void run_fault_case(const struct vm_engine *e, const struct fault_case *c)
{
	struct ubf_diag diag = { .id = NULL };
	uint64_t r0 = 0;
	int err;

	err = vm_run(e, c->prog, c->cnt, NULL, c->mem, c->mem_sz, NULL, &r0, &diag);
	if (err != c->err || !diag.id || strcmp(diag.id, c->diag_id) ||
	    diag.insn_idx != c->insn_idx)
		ubf_test_fail(__FILE__, __LINE__,
			      "%s on %s: got %d %s at insn %u (%s), expected %d %s at insn %u",
			      c->name, e->name, err, diag.id ? diag.id : "-", diag.insn_idx,
			      diag.msg, c->err, c->diag_id, c->insn_idx);
}

static void run_fault_cases(unsigned engine)
{
	const struct vm_engine *e = &vm_engines[engine];
	size_t i;

	if (!vm_engine_available(e))
		SKIP("no JIT back end on this host");
	for (i = 0; i < UBF_ARRAY_SIZE(fault_cases); i++)
		run_fault_case(e, &fault_cases[i]);
}

TEST(vm_faults_interp_checked)
{
	run_fault_cases(VM_INTERP_CHECKED);
}

TEST(vm_faults_switch_checked)
{
	run_fault_cases(VM_SWITCH_CHECKED);
}

TEST(vm_faults_jit_checked)
{
	run_fault_cases(VM_JIT_CHECKED);
}

/* The message names the instruction, the direction, the size and the address. */
TEST(vm_fault_message_names_access)
{
	static const struct tinsn t[] = { MOV_K(0, 0), MEM(STXW, 1, 0, 6), EXIT() };
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_diag diag = { .id = NULL };
	struct ubf_prog *prog = NULL;
	uint8_t mem[8] = { 0 };
	char want[128];
	uint64_t r0;

	ASSERT_OK(vm_load(&prog, &vm_engines[VM_INTERP_CHECKED], t, 3, NULL, 0, NULL));
	ropts.diag = &diag;
	EXPECT_ERR(-EFAULT, ubf_prog_run(prog, mem, sizeof(mem), &r0, &ropts));
	snprintf(want, sizeof(want), "insn 1: write of 4 bytes at 0x%" PRIxPTR
		 " outside every region", (uintptr_t)mem + 6);
	EXPECT_STREQ(diag.msg, want);
	ubf_prog_free(prog);
}

/*
 * Budget: a program of N straight-line instructions runs with a limit of
 * N and fails with N - 1, at its last instruction.
 */
TEST(vm_insn_limit_is_exact)
{
	static const struct tinsn t[] = { MOV_K(0, 1), ALU_K(ADD64_IMM, 0, 1),
					  ALU_K(ADD64_IMM, 0, 1), EXIT() };
	size_t k;

	for (k = 0; k < UBF_ARRAY_SIZE(checked_engines); k++) {
		const struct vm_engine *e = &vm_engines[checked_engines[k]];
		struct ubf_diag diag = { .id = NULL };
		struct ubf_prog *prog = NULL;
		uint64_t r0 = 0;

		if (!vm_engine_available(e))
			continue;
		ASSERT_OK(vm_load(&prog, e, t, 4, NULL, 4, &diag));
		EXPECT_OK(vm_run_prog(e, prog, NULL, 0, &r0, NULL));
		EXPECT_EQ_U64(r0, 3);
		ubf_prog_free(prog);

		ASSERT_OK(vm_load(&prog, e, t, 4, NULL, 3, &diag));
		{
			struct ubf_run_opts ropts = { .sz = sizeof(ropts), .diag = &diag };

			EXPECT_ERR(-E2BIG, vm_run_prog(e, prog, NULL, 0, &r0, &ropts));
		}
		EXPECT_STREQ(diag.id, "run.insn_limit");
		EXPECT_EQ_INT(diag.insn_idx, 3);
		ubf_prog_free(prog);
	}
}

/* The trusted modes have no budget: a loop longer than the limit completes. */
TEST(vm_trusted_has_no_budget)
{
	static const struct tinsn t[] = { MOV_K(0, 0), MOV_K(1, 1000), ALU_K(ADD64_IMM, 0, 2),
					  ALU_K(SUB64_IMM, 1, 1), JMP_K(JNE64_IMM, 1, 0, -3),
					  EXIT() };
	static const unsigned trusted[] = { VM_INTERP_FAST, VM_SWITCH_FAST, VM_JIT_TRUSTED };
	size_t k;

	for (k = 0; k < UBF_ARRAY_SIZE(trusted); k++) {
		const struct vm_engine *e = &vm_engines[trusted[k]];
		struct ubf_prog *prog = NULL;
		uint64_t r0 = 0;

		if (!vm_engine_available(e))
			continue;
		ASSERT_OK(vm_load(&prog, e, t, UBF_ARRAY_SIZE(t), NULL, 100, NULL));
		EXPECT_OK(vm_run_prog(e, prog, NULL, 0, &r0, NULL));
		EXPECT_EQ_U64(r0, 2000);
		ubf_prog_free(prog);
	}
}

/*
 * Call depth: a chain of @calls nested bpf-to-bpf calls, each subprogram
 * calling the next; the innermost returns 1 and each caller adds 1.
 */
static size_t call_chain(struct tinsn *t, unsigned calls)
{
	size_t n = 0;
	unsigned i;

	/* main: call f1; add r0, 1; exit */
	for (i = 0; i < calls; i++) {
		t[n++] = (struct tinsn)CALL_LOCAL(2);
		t[n++] = (struct tinsn)ALU_K(ADD64_IMM, 0, 1);
		t[n++] = (struct tinsn)EXIT();
	}
	t[n++] = (struct tinsn)MOV_K(0, 1);
	t[n++] = (struct tinsn)EXIT();
	return n;
}

TEST(vm_call_depth_8_frames_run_9_fail)
{
	struct tinsn t[3 * 9 + 2];
	size_t k;

	for (k = 0; k < UBF_ARRAY_SIZE(checked_engines); k++) {
		const struct vm_engine *e = &vm_engines[checked_engines[k]];
		struct ubf_diag diag = { .id = NULL };
		uint64_t r0 = 0;
		size_t n;

		if (!vm_engine_available(e))
			continue;
		/* main + 7 calls = UBF_MAX_FRAMES frames */
		n = call_chain(t, UBF_MAX_FRAMES - 1);
		EXPECT_OK(vm_run(e, t, n, NULL, NULL, 0, NULL, &r0, &diag));
		EXPECT_EQ_U64(r0, UBF_MAX_FRAMES);
		/* one more call needs a ninth frame: the deepest call faults */
		n = call_chain(t, UBF_MAX_FRAMES);
		EXPECT_ERR(-E2BIG, vm_run(e, t, n, NULL, NULL, 0, NULL, &r0, &diag));
		EXPECT_STREQ(diag.id, "run.call_depth");
		EXPECT_EQ_INT(diag.insn_idx, 3 * (UBF_MAX_FRAMES - 1));
	}
}

/* The deepest frame's stack is usable and bounded: r10 - 512 of frame 7 is the stack's base. */
TEST(vm_deepest_frame_reaches_stack_base)
{
	struct tinsn t[3 * 8 + 4];
	size_t k, n;

	n = call_chain(t, UBF_MAX_FRAMES - 1);
	/* innermost: *(u64 *)(r10 - 512) = 1; r0 = *(u64 *)(r10 - 512) */
	t[n - 2] = (struct tinsn)ST_K(STDW, 10, -UBF_STACK_SZ, 1);
	t[n - 1] = (struct tinsn)MEM(LDXDW, 0, 10, -UBF_STACK_SZ);
	t[n++] = (struct tinsn)EXIT();
	for (k = 0; k < UBF_ARRAY_SIZE(checked_engines); k++) {
		const struct vm_engine *e = &vm_engines[checked_engines[k]];
		struct ubf_diag diag = { .id = NULL };
		uint64_t r0 = 0;

		if (!vm_engine_available(e))
			continue;
		EXPECT_OK(vm_run(e, t, n, NULL, NULL, 0, NULL, &r0, &diag));
		EXPECT_EQ_U64(r0, UBF_MAX_FRAMES);
		/* one byte lower is outside the stack */
		t[n - 3] = (struct tinsn)ST_K(STDW, 10, -UBF_STACK_SZ - 1, 1);
		EXPECT_ERR(-EFAULT, vm_run(e, t, n, NULL, NULL, 0, NULL, &r0, &diag));
		EXPECT_STREQ(diag.id, "run.mem_oob");
		t[n - 3] = (struct tinsn)ST_K(STDW, 10, -UBF_STACK_SZ, 1);
	}
}

/* Callx to an unknown ID fails in the trusted modes too: there is nothing to call. */
TEST(vm_bad_callx_fails_in_trusted_mode)
{
	static const struct tinsn t[] = { MOV_K(2, 999), I(CALLX, 2, 0, 0, 0), EXIT() };
	static const unsigned trusted[] = { VM_INTERP_FAST, VM_SWITCH_FAST, VM_JIT_TRUSTED };
	size_t k;

	for (k = 0; k < UBF_ARRAY_SIZE(trusted); k++) {
		const struct vm_engine *e = &vm_engines[trusted[k]];
		struct ubf_diag diag = { .id = NULL };
		uint64_t r0 = 0;

		if (!vm_engine_available(e))
			continue;
		EXPECT_ERR(-EFAULT, vm_run(e, t, 3, NULL, NULL, 0, NULL, &r0, &diag));
		EXPECT_STREQ(diag.id, "run.bad_callx");
		EXPECT_EQ_INT(diag.insn_idx, 1);
	}
}

/*
 * Caller regions: a read-only region can be read, not written; a writable
 * one both; memory next to them neither.
 */
TEST(vm_regions_read_only_and_writable)
{
	uint64_t ro_buf[2] = { 0x1122334455667788, 0 }, rw_buf[2] = { 0, 0 };
	struct ubf_region regions[2] = {
		{ .addr = ro_buf, .size = 8, .is_writable = false },
		{ .addr = rw_buf, .size = 8, .is_writable = true },
	};
	size_t k;

	for (k = 0; k < UBF_ARRAY_SIZE(checked_engines); k++) {
		const struct vm_engine *e = &vm_engines[checked_engines[k]];
		/* r0 = *ro; *rw = r0; *ro = r0 (faults at insn 6) */
		struct tinsn t[] = { LDDW(1, (uintptr_t)ro_buf), LDDW(2, (uintptr_t)rw_buf),
				     MEM(LDXDW, 0, 1, 0), MEM(STXDW, 2, 0, 0), MEM(STXDW, 1, 0, 0),
				     EXIT() };
		struct ubf_run_opts ropts = { .sz = sizeof(ropts), .regions = regions,
					      .region_cnt = 2 };
		struct ubf_diag diag = { .id = NULL };
		struct ubf_prog *prog = NULL;
		uint64_t r0 = 0;

		if (!vm_engine_available(e))
			continue;
		rw_buf[0] = 0;
		ASSERT_OK(vm_load(&prog, e, t, UBF_ARRAY_SIZE(t), NULL, 0, NULL));
		ropts.diag = &diag;
		EXPECT_ERR(-EFAULT, vm_run_prog(e, prog, NULL, 0, &r0, &ropts));
		EXPECT_STREQ(diag.id, "run.mem_readonly");
		EXPECT_EQ_INT(diag.insn_idx, 6);
		EXPECT_EQ_U64(rw_buf[0], 0x1122334455667788);
		EXPECT_EQ_U64(ro_buf[0], 0x1122334455667788);
		/* without the regions the first load already faults */
		ropts.region_cnt = 0;
		EXPECT_ERR(-EFAULT, vm_run_prog(e, prog, NULL, 0, &r0, &ropts));
		EXPECT_STREQ(diag.id, "run.mem_oob");
		EXPECT_EQ_INT(diag.insn_idx, 4);
		ubf_prog_free(prog);

		/* the byte after a region is outside it */
		t[2] = (struct tinsn)MEM(LDXB, 0, 1, 8);
		ASSERT_OK(vm_load(&prog, e, t, UBF_ARRAY_SIZE(t), NULL, 0, NULL));
		ropts.region_cnt = 2;
		EXPECT_ERR(-EFAULT, vm_run_prog(e, prog, NULL, 0, &r0, &ropts));
		EXPECT_STREQ(diag.id, "run.mem_oob");
		EXPECT_EQ_INT(diag.insn_idx, 4);
		ubf_prog_free(prog);
	}
}

/* A checked run starts with a zeroed stack, so uninitialised reads agree across engines. */
TEST(vm_checked_stack_starts_zeroed)
{
	static const struct tinsn t[] = { MEM(LDXDW, 0, 10, -8), MEM(LDXDW, 1, 10, -4096),
					  ALU_X(OR64_REG, 0, 1), EXIT() };
	size_t k;

	for (k = 0; k < UBF_ARRAY_SIZE(checked_engines); k++) {
		const struct vm_engine *e = &vm_engines[checked_engines[k]];
		uint64_t r0 = 1;

		if (!vm_engine_available(e))
			continue;
		EXPECT_OK(vm_run(e, t, UBF_ARRAY_SIZE(t), NULL, NULL, 0, NULL, &r0, NULL));
		EXPECT_EQ_U64(r0, 0);
	}
}

/* Only the first fault of a run is kept. */
TEST(vm_run_fault_keeps_first)
{
	struct ubf_diag diag = { .id = NULL };
	struct ubf_run run;

	memset(&run, 0, sizeof(run));
	run.diag = &diag;
	EXPECT_ERR(-EFAULT, ubf_run_fault(&run, 3, -EFAULT, "run.first", "first %d", 1));
	EXPECT_ERR(-E2BIG, ubf_run_fault(&run, 5, -E2BIG, "run.second", "second"));
	EXPECT_EQ_INT(run.err, -EFAULT);
	EXPECT_STREQ(diag.id, "run.first");
	EXPECT_EQ_INT(diag.insn_idx, 3);
	EXPECT_STREQ(diag.msg, "insn 3: first 1");
}

TEST(vm_run_check_mem_rules)
{
	struct ubf_run_opts opts = { .sz = sizeof(opts) };
	struct ubf_prog prog = { .insn_limit = 1, .flags = UBF_PROG_F_CHECKED };
	uint8_t buf[16], ro[4];
	struct ubf_region region = { .addr = ro, .size = sizeof(ro), .is_writable = false };
	struct ubf_run run;
	uint64_t base = (uint64_t)(uintptr_t)buf;

	opts.regions = &region;
	opts.region_cnt = 1;
	ubf_run_init(&run, &prog, buf, sizeof(buf), &opts);
	EXPECT_EQ_INT(run.region_cnt, 3);
	EXPECT_OK(ubf_run_check_mem(&run, base, 16, true, 0));
	EXPECT_OK(ubf_run_check_mem(&run, base + 15, 1, false, 0));
	EXPECT_OK(ubf_run_check_mem(&run, base + 16, 0, true, 0));
	EXPECT_ERR(-EFAULT, ubf_run_check_mem(&run, base + 15, 2, false, 0));
	run.err = 0;
	EXPECT_ERR(-EFAULT, ubf_run_check_mem(&run, UINT64_MAX, 2, false, 0));
	run.err = 0;
	EXPECT_OK(ubf_run_check_mem(&run, (uint64_t)(uintptr_t)ro, 4, false, 0));
	EXPECT_ERR(-EFAULT, ubf_run_check_mem(&run, (uint64_t)(uintptr_t)ro, 4, true, 0));
	run.err = 0;
	EXPECT_OK(ubf_run_check_mem(&run, ubf_run_stack_top(&run) - 4096, 4096, true, 0));
	EXPECT_ERR(-EFAULT, ubf_run_check_mem(&run, ubf_run_stack_top(&run) - 4097, 1, true, 0));
}

/*
 * Tail calls: a helper flagged UBF_HF_TAIL_CALL sets run->tail_call; the
 * engine continues in the target program with the registers and frame as
 * they are.  The target here adds r1 (still 10) and r6 (still 3).
 */
static uint64_t tail_call_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	run->tail_call = ubf_run_cookie(run);
	return 0;
}

TEST(vm_tail_call_hook)
{
	static const struct ubf_helper h = { .id = 1001, .name = "test_tail_call",
					     .fn = tail_call_helper,
					     .proto = { .flags = UBF_HF_TAIL_CALL } };
	static const struct tinsn caller[] = { MOV_K(6, 3), MOV_K(1, 10), CALL(1001),
					       MOV_K(0, 99), EXIT() };
	static const struct tinsn target[] = { MOV_X(0, 1), ALU_X(ADD64_REG, 0, 6), EXIT() };
	struct ubf_env *env = NULL;
	size_t k;

	ASSERT_OK(ubf_env_new(&env));
	ASSERT_OK(ubf_env_add_helper(env, &h));
	for (k = 0; k < VM_ENGINE_CNT; k++) {
		const struct vm_engine *e = &vm_engines[k];
		struct ubf_prog *a = NULL, *b = NULL;
		struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
		struct ubf_diag diag = { .id = NULL };
		uint64_t r0 = 0;

		if (!vm_engine_available(e))
			continue;
		ASSERT_OK(vm_load(&a, e, caller, UBF_ARRAY_SIZE(caller), env, 0, NULL));
		ASSERT_OK(vm_load(&b, e, target, UBF_ARRAY_SIZE(target), NULL, 0, NULL));
		ropts.cookie = b;
		ropts.diag = &diag;
		EXPECT_OK(vm_run_prog(e, a, NULL, 0, &r0, &ropts));
		EXPECT_EQ_U64(r0, 13);
		/* no target set: the caller goes on */
		ropts.cookie = NULL;
		EXPECT_OK(vm_run_prog(e, a, NULL, 0, &r0, &ropts));
		EXPECT_EQ_U64(r0, 99);
		ubf_prog_free(a);
		ubf_prog_free(b);
	}
	ubf_env_free(env);
}

/* The interpreter refuses a target that needs the other instance. */
TEST(vm_tail_call_needs_same_mode)
{
	static const struct ubf_helper h = { .id = 1001, .name = "test_tail_call",
					     .fn = tail_call_helper,
					     .proto = { .flags = UBF_HF_TAIL_CALL } };
	static const struct tinsn caller[] = { CALL(1001), EXIT() };
	static const struct tinsn target[] = { MOV_K(0, 1), EXIT() };
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_diag diag = { .id = NULL };
	struct ubf_prog *a = NULL, *b = NULL;
	struct ubf_env *env = NULL;
	uint64_t r0 = 0;

	ASSERT_OK(ubf_env_new(&env));
	ASSERT_OK(ubf_env_add_helper(env, &h));
	ASSERT_OK(vm_load(&a, &vm_engines[VM_INTERP_CHECKED], caller, 2, env, 0, NULL));
	ASSERT_OK(vm_load(&b, &vm_engines[VM_INTERP_FAST], target, 2, NULL, 0, NULL));
	ropts.cookie = b;
	ropts.diag = &diag;
	EXPECT_ERR(-EFAULT, ubf_prog_run(a, NULL, 0, &r0, &ropts));
	EXPECT_STREQ(diag.id, "run.bad_tail_call");
	EXPECT_EQ_INT(diag.insn_idx, 0);
	ubf_prog_free(a);
	ubf_prog_free(b);
	ubf_env_free(env);
}
