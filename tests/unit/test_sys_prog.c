// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_prog.c - programs through bpf(2): PROG_LOAD with maps named by
 * fd and fd_array, Linux's errno for bad attrs, the log buffer, info
 * fields (map ids, xlated dump with ids, a tag that ignores fd numbers),
 * PROG_TEST_RUN of syscall and raw tracepoint programs, run statistics
 * while ENABLE_STATS is held, checked-mode faults, and a pinned program
 * run by a later process after its loader exited.
 */
#include "test_sys.h"

#include <sys/wait.h>

#include "test.h"
#include "test_vm.h"

/* Program text as raw slots; lddw pseudo forms are set up by hand. */
static int load(uint32_t type, const struct ubf_raw_insn *insns, uint32_t cnt,
		union bpf_attr *a)
{
	static const char gpl[] = "GPL";

	a->prog_type = type;
	if (type == BPF_PROG_TYPE_SYSCALL)	/* Linux loads syscall programs sleepable only */
		a->prog_flags |= BPF_F_SLEEPABLE;
	a->insns = (uint64_t)(uintptr_t)insns;
	a->insn_cnt = cnt;
	if (!a->license)
		a->license = (uint64_t)(uintptr_t)gpl;
	return sys_bpf(BPF_PROG_LOAD, a);
}

/* value[0] += 1 through lddw src @src of @map (imm @ref); return the new value. */
static uint32_t counter_prog(struct ubf_raw_insn *p, unsigned src, int32_t ref)
{
	const struct tinsn t[] = { { UBF_INSN_LDDW_MAP_VALUE, 1, 0, 0, 0, 0 },
				   MEM(LDXDW, 0, 1, 0), ALU_K(ADD64_IMM, 0, 1),
				   MEM(STXDW, 1, 0, 0), EXIT() };
	uint32_t n = (uint32_t)vm_build(t, UBF_ARRAY_SIZE(t), p);

	p[0].regs = (uint8_t)(1 | src << 4);
	p[0].imm = ref;
	return n;
}

static int test_run(int prog_fd, void *ctx, uint32_t ctx_sz, uint32_t *retval)
{
	union bpf_attr a;
	int err;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog_fd;
	a.test.ctx_in = (uint64_t)(uintptr_t)ctx;
	a.test.ctx_size_in = ctx_sz;
	err = ubf_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a));
	if (err < 0)
		return -errno;
	*retval = a.test.retval;
	return 0;
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

TEST(sys_prog_load_runs_with_map_by_fd_and_fd_array)
{
	struct ubf_raw_insn p[8];
	char dir[64];
	union bpf_attr a;
	uint32_t key = 0, cnt, ret = 0;
	uint64_t v = 0;
	int map, prog, prog2, fds[2];

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	ASSERT_TRUE(map >= 0);
	cnt = counter_prog(p, BPF_PSEUDO_MAP_VALUE, map);
	memset(&a, 0, sizeof(a));
	prog = load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a);
	ASSERT_TRUE(prog >= 0);
	EXPECT_OK(test_run(prog, NULL, 0, &ret));
	EXPECT_EQ_INT(ret, 1);
	EXPECT_OK(test_run(prog, NULL, 0, &ret));
	EXPECT_EQ_INT(ret, 2);
	EXPECT_OK(sys_lookup(map, &key, &v));
	EXPECT_EQ_U64(v, 2);
	/* the same through fd_array[1] (src 6) */
	fds[0] = -1;
	fds[1] = map;
	cnt = counter_prog(p, BPF_PSEUDO_MAP_IDX_VALUE, 1);
	memset(&a, 0, sizeof(a));
	a.fd_array = (uint64_t)(uintptr_t)fds;
	prog2 = load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a);
	ASSERT_TRUE(prog2 >= 0);
	EXPECT_OK(test_run(prog2, NULL, 0, &ret));
	EXPECT_EQ_INT(ret, 3);
	close(prog2);
	close(prog);
	close(map);
	sys_store_end(dir);
}

TEST(sys_prog_load_attr_errnos)
{
	struct ubf_raw_insn p[8], ret0[2];
	static const char gpl[] = "GPL";
	char dir[64];
	union bpf_attr a;
	uint32_t cnt;
	int map, map2;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	vm_build((const struct tinsn[]){ MOV_K(0, 0), EXIT() }, 2, ret0);
	memset(&a, 0, sizeof(a));
	EXPECT_ERR(-EINVAL, load(999, ret0, 2, &a));
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_UNSPEC, ret0, 2, &a));
	EXPECT_ERR(-E2BIG, load(BPF_PROG_TYPE_SYSCALL, ret0, 0, &a));	/* Linux: 0 is E2BIG */
	EXPECT_ERR(-E2BIG, load(BPF_PROG_TYPE_SYSCALL, ret0, 1000001, &a));
	a.prog_flags = 1u << 20;
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, ret0, 2, &a));
	memset(&a, 0, sizeof(a));
	strcpy(a.prog_name, "bad-name");
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, ret0, 2, &a));
	memset(&a, 0, sizeof(a));
	memset(a.prog_name, 'a', sizeof(a.prog_name));
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, ret0, 2, &a));
	memset(&a, 0, sizeof(a));
	a.expected_attach_type = BPF_CGROUP_INET_INGRESS + 1;
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, ret0, 2, &a));
	memset(&a, 0, sizeof(a));
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, ret0, 2, &a));
	a.expected_attach_type = BPF_CGROUP_INET4_CONNECT;
	a.license = (uint64_t)(uintptr_t)gpl;
	EXPECT_TRUE(load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, ret0, 2, &a) >= 0);
	memset(&a, 0, sizeof(a));
	a.log_level = 1;
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, ret0, 2, &a));
	/* a bad map fd, a non-map fd, a multi-element array for direct value access */
	cnt = counter_prog(p, BPF_PSEUDO_MAP_VALUE, 1000);
	memset(&a, 0, sizeof(a));
	EXPECT_ERR(-EBADF, load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a));
	map2 = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0);
	map = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, 2, 0);
	ASSERT_TRUE(map >= 0 && map2 >= 0);
	cnt = counter_prog(p, BPF_PSEUDO_MAP_VALUE, map);
	memset(&a, 0, sizeof(a));
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a));
	cnt = counter_prog(p, BPF_PSEUDO_MAP_VALUE, map2);
	memset(&a, 0, sizeof(a));
	EXPECT_ERR(-524, load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a));
	/* lddw src 3: no kernel variables; src 5 without fd_array */
	cnt = counter_prog(p, BPF_PSEUDO_BTF_ID, 1);
	memset(&a, 0, sizeof(a));
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a));
	cnt = counter_prog(p, BPF_PSEUDO_MAP_IDX, 0);
	memset(&a, 0, sizeof(a));
	EXPECT_ERR(-EPROTO, load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a));
	close(map);
	close(map2);
	sys_store_end(dir);
}

TEST(sys_prog_load_log_buf)
{
	struct ubf_raw_insn p[16];
	char dir[64], log[512], small[128];
	union bpf_attr a;
	uint32_t cnt;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	/* a rejection: the diag id and instruction are in the log */
	cnt = counter_prog(p, BPF_PSEUDO_BTF_ID, 1);
	memset(&a, 0, sizeof(a));
	memset(log, 'x', sizeof(log));
	a.log_level = 1;
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a));
	EXPECT_TRUE(memchr(log, '\0', sizeof(log)) != NULL);
	EXPECT_TRUE(strstr(log, "prog.btf_id_unsupported") != NULL);
	EXPECT_TRUE(strstr(log, "insn 0") != NULL);
	/* log_size below 128: EINVAL */
	a.log_size = 64;
	EXPECT_ERR(-EINVAL, load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a));
	/* a success whose level-2 log does not fit: ENOSPC, truncated and terminated */
	vm_build((const struct tinsn[]){ MOV_K(0, 0), MOV_K(1, 1), MOV_K(2, 2), MOV_K(3, 3),
					 MOV_K(4, 4), MOV_K(5, 5), MOV_K(6, 6), MOV_K(7, 7),
					 EXIT() }, 9, p);
	memset(&a, 0, sizeof(a));
	memset(small, 'x', sizeof(small));
	a.log_level = 2;
	a.log_buf = (uint64_t)(uintptr_t)small;
	a.log_size = sizeof(small);
	EXPECT_ERR(-ENOSPC, load(BPF_PROG_TYPE_SYSCALL, p, 9, &a));
	EXPECT_EQ_INT(strlen(small), sizeof(small) - 1);
	EXPECT_TRUE(strncmp(small, "0: (b7) r0 = 0", 14) == 0);
	/* and one that fits: the verifier's statistics, as Linux's level 1 */
	memset(&a, 0, sizeof(a));
	a.log_level = 1;
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	EXPECT_TRUE(load(BPF_PROG_TYPE_SYSCALL, p, 9, &a) >= 0);
	EXPECT_TRUE(strstr(log, "processed 9 insns") != NULL);
	/* BPF_LOG_STATS alone: Linux's statistics lines only */
	memset(&a, 0, sizeof(a));
	memset(log, 0, sizeof(log));
	a.log_level = 4;
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	EXPECT_TRUE(load(BPF_PROG_TYPE_SYSCALL, p, 9, &a) >= 0);
	EXPECT_TRUE(strncmp(log, "verification time ", 18) == 0);
	EXPECT_TRUE(strstr(log, "processed 9 insns (limit 1000000)") != NULL);
	EXPECT_TRUE(strstr(log, "0: (b7)") == NULL);
	sys_store_end(dir);
}

TEST(sys_prog_info_fields)
{
	struct ubf_raw_insn p[8], x[8];
	struct bpf_prog_info info, info2;
	uint32_t ids[4] = { 0 }, cnt;
	struct bpf_map_info minfo;
	char dir[64];
	union bpf_attr a;
	int map, map2, prog, prog2;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	map2 = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	ASSERT_TRUE(map >= 0 && map2 >= 0);
	ASSERT_OK(sys_map_info(map, &minfo));
	cnt = counter_prog(p, BPF_PSEUDO_MAP_VALUE, map);
	memset(&a, 0, sizeof(a));
	strcpy(a.prog_name, "counter");
	prog = load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a);
	ASSERT_TRUE(prog >= 0);
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 4;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	info.xlated_prog_len = sizeof(x);
	info.xlated_prog_insns = (uint64_t)(uintptr_t)x;
	ASSERT_OK(prog_info(prog, &info));
	EXPECT_EQ_INT(info.type, BPF_PROG_TYPE_SYSCALL);
	EXPECT_TRUE(info.id > 0);
	EXPECT_STREQ(info.name, "counter");
	EXPECT_EQ_INT(info.gpl_compatible, 1);
	EXPECT_EQ_INT(info.nr_map_ids, 1);
	EXPECT_EQ_INT(ids[0], minfo.id);
	EXPECT_EQ_INT(info.xlated_prog_len, cnt * 8);
	EXPECT_EQ_INT(ubf_raw_src(&x[0]), BPF_PSEUDO_MAP_VALUE);
	EXPECT_EQ_INT(x[0].imm, minfo.id);
	EXPECT_EQ_INT(info.verified_insns, cnt);
	EXPECT_TRUE(info.load_time > 0);
	EXPECT_EQ_INT(info.created_by_uid, getuid());
	/* the tag ignores which fd named the map */
	cnt = counter_prog(p, BPF_PSEUDO_MAP_VALUE, map2);
	memset(&a, 0, sizeof(a));
	a.license = (uint64_t)(uintptr_t)"Proprietary";
	prog2 = load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a);
	ASSERT_TRUE(prog2 >= 0);
	memset(&info2, 0, sizeof(info2));
	ASSERT_OK(prog_info(prog2, &info2));
	EXPECT_TRUE(memcmp(info.tag, info2.tag, sizeof(info.tag)) == 0);
	EXPECT_TRUE(info.id != info2.id);
	EXPECT_EQ_INT(info2.gpl_compatible, 0);
	close(prog);
	close(prog2);
	close(map);
	close(map2);
	sys_store_end(dir);
}

/*
 * Linux's tag for "r0 = 0; exit": sha1 of b7 00 00 00 00 00 00 00 95 00 ..
 * (computed with sha1sum on those 16 bytes).
 */
TEST(sys_prog_tag_is_linux_sha1)
{
	static const uint8_t want[8] = { 0xa0, 0x4f, 0x5e, 0xef, 0x06, 0xa7, 0xf5, 0x55 };
	struct ubf_raw_insn p[2];
	struct bpf_prog_info info;
	char dir[64];
	union bpf_attr a;
	int prog;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	vm_build((const struct tinsn[]){ MOV_K(0, 0), EXIT() }, 2, p);
	memset(&a, 0, sizeof(a));
	prog = load(BPF_PROG_TYPE_SYSCALL, p, 2, &a);
	ASSERT_TRUE(prog >= 0);
	memset(&info, 0, sizeof(info));
	ASSERT_OK(prog_info(prog, &info));
	EXPECT_TRUE(memcmp(info.tag, want, sizeof(want)) == 0);
	close(prog);
	sys_store_end(dir);
}

TEST(sys_prog_test_run_rules)
{
	struct ubf_raw_insn p[8];
	uint64_t args[2] = { 40, 2 };
	char dir[64], big[200] = { 0 };
	union bpf_attr a;
	uint32_t ret = 0;
	int raw, sc;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	/* raw tracepoint: r0 = args[0] + args[1] */
	vm_build((const struct tinsn[]){ MEM(LDXDW, 0, 1, 0), MEM(LDXDW, 2, 1, 8),
					 ALU_X(ADD64_REG, 0, 2), EXIT() }, 4, p);
	memset(&a, 0, sizeof(a));
	raw = load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, 4, &a);
	ASSERT_TRUE(raw >= 0);
	EXPECT_OK(test_run(raw, args, sizeof(args), &ret));
	EXPECT_EQ_INT(ret, 42);
	EXPECT_ERR(-EINVAL, test_run(raw, big, sizeof(big), &ret));
	/* a ctx shorter than the program reads: Linux's EINVAL (max_ctx_offset) */
	EXPECT_ERR(-EINVAL, test_run(raw, args, 8, &ret));
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)raw;
	a.test.repeat = 2;
	EXPECT_ERR(-1, ubf_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	EXPECT_EQ_INT(errno, EINVAL);
	a.test.repeat = 0;
	a.test.ctx_size_in = 8;
	EXPECT_ERR(-1, ubf_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	EXPECT_EQ_INT(errno, EINVAL);
	/* syscall: ctx_in written back */
	vm_build((const struct tinsn[]){ ST_K(STDW, 1, 8, 9), MOV_K(0, 7), EXIT() }, 3, p);
	memset(&a, 0, sizeof(a));
	sc = load(BPF_PROG_TYPE_SYSCALL, p, 3, &a);
	ASSERT_TRUE(sc >= 0);
	EXPECT_OK(test_run(sc, args, sizeof(args), &ret));
	EXPECT_EQ_INT(ret, 7);
	EXPECT_EQ_U64(args[1], 9);
	/* a type without a runner: ENOTSUPP; a map fd: EINVAL */
	vm_build((const struct tinsn[]){ MOV_K(0, 0), EXIT() }, 2, p);
	memset(&a, 0, sizeof(a));
	raw = load(BPF_PROG_TYPE_KPROBE, p, 2, &a);
	ASSERT_TRUE(raw >= 0);
	EXPECT_ERR(-524, test_run(raw, NULL, 0, &ret));
	sys_store_end(dir);
}

TEST(sys_prog_checked_fault_outside_value)
{
	/* the value is 8 bytes; writing at +8 is outside the granted value */
	const struct tinsn t[] = { { UBF_INSN_LDDW_MAP_VALUE, 1, 0, 0, 0, 0 },
				   ST_K(STDW, 1, 8, 1), MOV_K(0, 0), EXIT() };
	struct ubf_raw_insn p[8];
	char dir[64];
	union bpf_attr a;
	uint32_t ret, cnt;
	int map, ro, prog;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	ro = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 16, 1, BPF_F_RDONLY_PROG);
	ASSERT_TRUE(map >= 0 && ro >= 0);
	cnt = (uint32_t)vm_build(t, UBF_ARRAY_SIZE(t), p);
	p[0].imm = map;
	/* the verifier refuses it; unverified, the checked run stops it */
	memset(&a, 0, sizeof(a));
	EXPECT_ERR(-EACCES, load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a));
	memset(&a, 0, sizeof(a));
	a.prog_flags = UBF_BPF_F_UNVERIFIED;
	prog = load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a);
	ASSERT_TRUE(prog >= 0);
	EXPECT_ERR(-EFAULT, test_run(prog, NULL, 0, &ret));
	close(prog);
	/* inside the value of a BPF_F_RDONLY_PROG map: read-only */
	p[0].imm = ro;
	memset(&a, 0, sizeof(a));
	a.prog_flags = UBF_BPF_F_UNVERIFIED;
	prog = load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a);
	ASSERT_TRUE(prog >= 0);
	EXPECT_ERR(-EFAULT, test_run(prog, NULL, 0, &ret));
	close(prog);
	close(map);
	close(ro);
	sys_store_end(dir);
}

TEST(sys_prog_stats_on_and_off)
{
	struct ubf_raw_insn p[2];
	struct bpf_prog_info info;
	char dir[64];
	union bpf_attr a;
	uint32_t ret;
	int prog, stats;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	vm_build((const struct tinsn[]){ MOV_K(0, 0), EXIT() }, 2, p);
	memset(&a, 0, sizeof(a));
	prog = load(BPF_PROG_TYPE_SYSCALL, p, 2, &a);
	ASSERT_TRUE(prog >= 0);
	EXPECT_OK(test_run(prog, NULL, 0, &ret));
	memset(&a, 0, sizeof(a));
	a.enable_stats.type = 1;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_ENABLE_STATS, &a));
	a.enable_stats.type = BPF_STATS_RUN_TIME;
	stats = sys_bpf(BPF_ENABLE_STATS, &a);
	ASSERT_TRUE(stats >= 0);
	EXPECT_OK(test_run(prog, NULL, 0, &ret));
	EXPECT_OK(test_run(prog, NULL, 0, &ret));
	memset(&info, 0, sizeof(info));
	ASSERT_OK(prog_info(prog, &info));
	EXPECT_EQ_U64(info.run_cnt, 2);
	EXPECT_TRUE(info.run_time_ns > 0);
	close(stats);
	EXPECT_OK(test_run(prog, NULL, 0, &ret));
	memset(&info, 0, sizeof(info));
	ASSERT_OK(prog_info(prog, &info));
	EXPECT_EQ_U64(info.run_cnt, 2);
	close(prog);
	sys_store_end(dir);
}

/* Child 1 loads and pins a counter program and exits; child 2 runs the pin twice. */
static int child_load_and_pin(const char *pin)
{
	struct ubf_raw_insn p[8];
	union bpf_attr a;
	uint32_t key = 0, cnt;
	uint64_t v = 10;
	int map, prog;

	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	if (map < 0 || sys_update(map, &key, &v, 0))
		return 1;
	cnt = counter_prog(p, BPF_PSEUDO_MAP_VALUE, map);
	memset(&a, 0, sizeof(a));
	prog = load(BPF_PROG_TYPE_SYSCALL, p, cnt, &a);
	if (prog < 0 || sys_pin(prog, pin))
		return 2;
	close(prog);
	close(map);
	return 0;
}

/* What the counter's value is when the next child_run_pin() starts. */
static uint32_t pin_base;

static int child_run_pin(const char *pin)
{
	uint32_t ret = 0;
	int prog = sys_obj_get(pin, 0);

	if (prog < 0)
		return 3;
	if (test_run(prog, NULL, 0, &ret) || ret != pin_base + 1)
		return 4;
	if (test_run(prog, NULL, 0, &ret) || ret != pin_base + 2)
		return 5;
	return 0;
}

static int in_child(int (*fn)(const char *), const char *arg)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(sys_prog_pinned_runs_in_later_process)
{
	char dir[64], pin[128];

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	snprintf(pin, sizeof(pin), "%s/counter", dir);
	EXPECT_EQ_INT(in_child(child_load_and_pin, pin), 0);
	pin_base = 10;
	EXPECT_EQ_INT(in_child(child_run_pin, pin), 0);
	/* and again: the map is the same memory, so the count goes on */
	pin_base = 12;
	EXPECT_EQ_INT(in_child(child_run_pin, pin), 0);
	sys_store_end(dir);
}
