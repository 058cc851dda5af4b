// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_prog_vm.c - the engine side of bpf(2) programs, on every
 * engine: lddw pseudo forms through a resolver (value, object region,
 * errors), lddw src 4 loading its subprogram's index, and memory granted to
 * a checked run by a helper (ubf_run_grant()), including the JIT's checked
 * mode reaching the grants through its out-of-line check.
 */
#include "test_vm.h"

static uint64_t granted[4];

/* Resolve every map form to &granted (a read-only region for src 2). */
static int resolver(void *cookie, struct ubf_lddw_ref *ref, struct ubf_diag *diag)
{
	unsigned src = ubf_raw_src(&ref->insn[0]);

	(void)cookie;
	if (ref->insn[0].imm == 99) {
		diag->insn_idx = (uint32_t)ref->insn_idx;
		diag->id = "test.refused";
		return -EBADF;
	}
	ref->value = (uint64_t)(uintptr_t)&granted[ref->insn[1].imm];
	if (src == 2) {
		ref->region.addr = granted;
		ref->region.size = sizeof(granted);
		ref->region.is_writable = ref->insn[0].imm == 1;
	}
	return 0;
}

static int load_res(struct ubf_prog **progp, const struct vm_engine *e, const struct tinsn *t,
		    size_t cnt, const struct ubf_env *env, struct ubf_diag *diag)
{
	struct ubf_raw_insn raw[32];
	struct ubf_prog_opts opts = { .sz = sizeof(opts) };

	opts.diag = diag;
	opts.env = env;
	opts.flags = e->flags;
	opts.engine = e->engine;
	opts.lddw = resolver;
	return ubf_prog_load(progp, raw, vm_build(t, cnt, raw), &opts);
}

/* Each engine that exists on this host; the others are skipped (counted). */
#define FOR_ENGINES(e) for (e = vm_engines; e < vm_engines + VM_ENGINE_CNT; e++)

TEST(sys_prog_vm_lddw_map_value_region)
{
	/* r1 = &granted[1] (src 2, fd 1: writable); granted[1] = granted[1] * 2 + 1 */
	const struct tinsn t[] = { { UBF_INSN_LDDW_MAP_VALUE, 1, 0, 0, 0, 1ull | 1ull << 32 },
				   MEM(LDXDW, 0, 1, 0), ALU_K(MUL64_IMM, 0, 2),
				   ALU_K(ADD64_IMM, 0, 1), MEM(STXDW, 1, 0, 0), EXIT() };
	const struct vm_engine *e;

	FOR_ENGINES(e) {
		struct ubf_prog *prog = NULL;
		struct ubf_diag diag = { 0 };
		uint64_t r0 = 0;
		int err;

		granted[1] = 20;
		err = load_res(&prog, e, t, UBF_ARRAY_SIZE(t), NULL, &diag);
		if (err == -EOPNOTSUPP)
			continue;
		ASSERT_OK(err);
		EXPECT_OK(ubf_prog_run(prog, NULL, 0, &r0, NULL));
		EXPECT_EQ_U64(r0, 41);
		EXPECT_EQ_U64(granted[1], 41);
		ubf_prog_free(prog);
	}
}

TEST(sys_prog_vm_lddw_readonly_region_faults_checked)
{
	/* fd 2: the region is read-only; the store must fault in checked mode */
	const struct tinsn t[] = { { UBF_INSN_LDDW_MAP_VALUE, 1, 0, 0, 0, 2ull },
				   ST_K(STDW, 1, 8, 7), MOV_K(0, 0), EXIT() };
	const struct vm_engine *e;

	FOR_ENGINES(e) {
		struct ubf_prog *prog = NULL;
		struct ubf_diag diag = { 0 };
		struct ubf_run_opts ro = { .sz = sizeof(ro), .diag = &diag };
		uint64_t r0 = 0;
		int err;

		if (!(e->flags & UBF_PROG_F_CHECKED) || e->run)
			continue;
		err = load_res(&prog, e, t, UBF_ARRAY_SIZE(t), NULL, &diag);
		if (err == -EOPNOTSUPP)
			continue;
		ASSERT_OK(err);
		EXPECT_ERR(-EFAULT, ubf_prog_run(prog, NULL, 0, &r0, &ro));
		EXPECT_STREQ(diag.id, "run.mem_readonly");
		EXPECT_EQ_INT(diag.insn_idx, 2);
		ubf_prog_free(prog);
	}
}

TEST(sys_prog_vm_lddw_resolver_error_names_insn)
{
	const struct tinsn t[] = { MOV_K(0, 0), { UBF_INSN_LDDW_MAP_FD, 1, 0, 0, 0, 99 }, EXIT() };
	struct ubf_prog *prog = NULL;
	struct ubf_diag diag = { 0 };

	EXPECT_ERR(-EBADF, load_res(&prog, &vm_engines[VM_INTERP_CHECKED], t, 3, NULL, &diag));
	EXPECT_STREQ(diag.id, "test.refused");
	EXPECT_EQ_INT(diag.insn_idx, 1);
}

TEST(sys_prog_vm_lddw_func_loads_subprog_index)
{
	/* lddw r0, func at insn 4 (pc + 1 + imm = 1 + 1 + 2); exit; subprog: exit */
	const struct tinsn t[] = { MOV_K(0, 0), { UBF_INSN_LDDW_FUNC, 0, 0, 0, 2, 0 }, EXIT(),
				   MOV_K(0, 5), EXIT() };
	struct ubf_raw_insn raw[8];
	const struct vm_engine *e;
	size_t n = vm_build(t, UBF_ARRAY_SIZE(t), raw);

	raw[1].imm = 2;
	FOR_ENGINES(e) {
		UBF_OPTS(ubf_prog_opts, opts, .flags = e->flags, .engine = e->engine);
		struct ubf_prog *prog = NULL;
		uint64_t r0 = 0;
		int err = ubf_prog_load(&prog, raw, n, &opts);

		if (err == -EOPNOTSUPP)
			continue;
		ASSERT_OK(err);
		EXPECT_OK(ubf_prog_run(prog, NULL, 0, &r0, NULL));
		EXPECT_EQ_U64(r0, 4);
		ubf_prog_free(prog);
	}
}

/* A helper handing the run 16 bytes of its own, as map_lookup_elem hands a value. */
static uint8_t helper_mem[64];

static uint64_t grant_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct ubf_run *run)
{
	(void)r2;
	(void)r3;
	(void)r4;
	(void)r5;
	if (ubf_run_grant(run, helper_mem + r1, 16, true))
		return 0;
	return (uint64_t)(uintptr_t)(helper_mem + r1);
}

static int grant_env(struct ubf_env **envp)
{
	struct ubf_helper h = { .id = 1000, .name = "test_grant", .fn = grant_helper };
	int err = ubf_env_new(envp);

	h.proto.args[0] = UBF_ARG_SCALAR;
	return err ? err : ubf_env_add_helper(*envp, &h);
}

TEST(sys_prog_vm_grant_reaches_every_engine)
{
	/* r0 = grant(8); *(u64 *)(r0 + 8) = 77; return *(u64 *)(r0 + @off) */
	const struct tinsn ok[] = { MOV_K(1, 8), CALL(1000), ST_K(STDW, 0, 8, 77),
				    MEM(LDXDW, 0, 0, 8), EXIT() };
	const struct tinsn bad[] = { MOV_K(1, 8), CALL(1000), ST_K(STDW, 0, 16, 77),
				     MOV_K(0, 0), EXIT() };
	struct ubf_env *env = NULL;
	const struct vm_engine *e;

	ASSERT_OK(grant_env(&env));
	FOR_ENGINES(e) {
		struct ubf_prog *prog = NULL;
		struct ubf_diag diag = { 0 };
		struct ubf_run_opts ro = { .sz = sizeof(ro), .diag = &diag };
		uint64_t r0 = 0;
		int err;

		if (e->run)
			continue;
		err = vm_load(&prog, e, ok, UBF_ARRAY_SIZE(ok), env, 0, &diag);
		if (err == -EOPNOTSUPP)
			continue;
		ASSERT_OK(err);
		EXPECT_OK(ubf_prog_run(prog, NULL, 0, &r0, &ro));
		EXPECT_EQ_U64(r0, 77);
		ubf_prog_free(prog);
		if (!(e->flags & UBF_PROG_F_CHECKED))
			continue;
		/* one byte past the grant: a checked run faults, on the JIT too */
		ASSERT_OK(vm_load(&prog, e, bad, UBF_ARRAY_SIZE(bad), env, 0, &diag));
		EXPECT_ERR(-EFAULT, ubf_prog_run(prog, NULL, 0, &r0, &ro));
		EXPECT_STREQ(diag.id, "run.mem_oob");
		EXPECT_EQ_INT(diag.insn_idx, 2);
		ubf_prog_free(prog);
	}
	ubf_env_free(env);
}

TEST(sys_prog_vm_grant_is_bounded_and_deduplicated)
{
	const struct tinsn t[] = { MOV_K(0, 0), EXIT() };
	static uint8_t mem[UBF_RUN_MAX_GRANTS + 1];
	struct ubf_prog *prog = NULL;
	struct ubf_run *run = malloc(sizeof(*run));
	size_t i;

	ASSERT_TRUE(run != NULL);
	ASSERT_OK(vm_load(&prog, &vm_engines[VM_INTERP_CHECKED], t, 2, NULL, 0, NULL));
	ubf_run_init(run, prog, NULL, 0, NULL);
	for (i = 0; i < UBF_RUN_MAX_GRANTS; i++)
		EXPECT_OK(ubf_run_grant(run, &mem[i], 1, false));
	/* the same memory again takes no slot; new memory is refused, nothing is dropped */
	EXPECT_OK(ubf_run_grant(run, &mem[5], 1, false));
	EXPECT_ERR(-E2BIG, ubf_run_grant(run, &mem[UBF_RUN_MAX_GRANTS], 1, false));
	EXPECT_OK(ubf_run_check_mem(run, (uintptr_t)&mem[0], 1, false, 0));
	EXPECT_ERR(-EFAULT, ubf_run_check_mem(run, (uintptr_t)&mem[0], 1, true, 0));
	EXPECT_ERR(-EINVAL, ubf_run_grant(run, (void *)(UINTPTR_MAX - 1), 4, false));
	ubf_prog_free(prog);
	/* a trusted run checks nothing: granting is a no-op */
	ASSERT_OK(vm_load(&prog, &vm_engines[VM_INTERP_FAST], t, 2, NULL, 0, NULL));
	ubf_run_init(run, prog, NULL, 0, NULL);
	EXPECT_OK(ubf_run_grant(run, mem, 1, true));
	EXPECT_EQ_INT(run->grant_cnt, 0);
	ubf_prog_free(prog);
	free(run);
}
