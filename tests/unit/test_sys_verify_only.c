// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_verify_only.c - the two PROG_LOAD modes for a program calling a
 * helper userbpf cannot run (bpf_get_hash_recalc, a prototype-only row of
 * helpers.def): a normal load refuses it with EINVAL and Linux's "invalid
 * func unknown#34", as feature probes expect; a verify-only load
 * (UBF_BPF_F_VERIFY_ONLY) verifies it and returns an fd that refuses test
 * runs (ENOTSUPP), prog_array slots and links (EOPNOTSUPP), also when
 * reopened from a pin.  Rejections still come from the full prototypes.
 * A program that reads through a socket, flow keys or tracepoint buffer
 * pointer is verify-only too: no run-time context has those objects.
 */
#include "test_sys.h"

#include <userbpf/insn.h>

#include "test.h"

#define CALL(id) { 0x85, 0, 0, (id) }	/* call helper */
#define MOV_K(dst, k) { 0xb7, (dst), 0, (k) }	/* r_dst = k */
#define MOV_X(dst, src) { 0xbf, (uint8_t)((dst) | (src) << 4), 0, 0 }	/* r_dst = r_src */
#define EXIT_INSN { 0x95, 0, 0, 0 }
#define LDX(sz, dst, src, off) { (sz), (uint8_t)((dst) | (src) << 4), (off), 0 }
#define LDX_DW 0x79	/* r_dst = *(u64 *)(r_src + off) */
#define LDX_W 0x61	/* r_dst = *(u32 *)(r_src + off) */
#define JEQ_K(dst, k, off) { 0x15, (dst), (off), (k) }	/* if r_dst == k goto +off */

static char log_buf[4096];

static int load(uint32_t type, const struct ubf_raw_insn *insns, uint32_t cnt, uint32_t flags)
{
	static const char gpl[] = "GPL";
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	log_buf[0] = '\0';
	a.prog_type = type;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uint64_t)(uintptr_t)gpl;
	a.prog_flags = flags;
	a.log_buf = (uint64_t)(uintptr_t)log_buf;
	a.log_size = sizeof(log_buf);
	a.log_level = 1;
	return sys_bpf(BPF_PROG_LOAD, &a);
}

static int test_run(int prog_fd)
{
	uint8_t pkt[64] = { 0 };
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog_fd;
	a.test.data_in = (uint64_t)(uintptr_t)pkt;
	a.test.data_size_in = sizeof(pkt);
	return sys_bpf(BPF_PROG_TEST_RUN, &a);
}

/* tc: return get_hash_recalc(skb) & 0 */
static const struct ubf_raw_insn hash_prog[] = {
	CALL(34), MOV_K(0, 0), EXIT_INSN,
};

TEST(sys_verify_only_normal_load_refuses_helper_not_run)
{
	char dir[64];

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	EXPECT_EQ_INT(load(BPF_PROG_TYPE_SCHED_CLS, hash_prog, 3, 0), -EINVAL);
	EXPECT_TRUE(strstr(log_buf, "invalid func unknown#34") != NULL);
	/* a helper Linux does not have at all: the same, in both modes */
	{
		const struct ubf_raw_insn p[] = { CALL(4000), MOV_K(0, 0), EXIT_INSN };

		EXPECT_EQ_INT(load(BPF_PROG_TYPE_SCHED_CLS, p, 3, 0), -EINVAL);
		EXPECT_EQ_INT(load(BPF_PROG_TYPE_SCHED_CLS, p, 3, UBF_BPF_F_VERIFY_ONLY), -EINVAL);
		EXPECT_TRUE(strstr(log_buf, "invalid func unknown#4000") != NULL);
	}
	sys_store_end(dir);
}

TEST(sys_verify_only_accepts_and_never_runs)
{
	struct bpf_prog_info info;
	union bpf_attr a;
	char dir[64], pin[128];
	uint32_t key = 0;
	int prog, again, parr, fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	prog = load(BPF_PROG_TYPE_SCHED_CLS, hash_prog, 3, UBF_BPF_F_VERIFY_ONLY);
	ASSERT_TRUE(prog >= 0);
	EXPECT_EQ_INT(test_run(prog), -524);
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)prog;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	EXPECT_OK(sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ_U64(info.type, BPF_PROG_TYPE_SCHED_CLS);
	EXPECT_EQ_U64(info.xlated_prog_len, 3 * 8);
	/* no tail call may reach it */
	parr = sys_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0);
	ASSERT_TRUE(parr >= 0);
	fd = prog;
	EXPECT_EQ_INT(sys_update(parr, &key, &fd, 0), -EOPNOTSUPP);
	/* nor a link */
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)prog;
	a.link_create.attach_type = BPF_CGROUP_INET_INGRESS;
	EXPECT_EQ_INT(sys_bpf(BPF_LINK_CREATE, &a), -EOPNOTSUPP);
	/* reopened from its pin: still verify-only, still refuses to run */
	snprintf(pin, sizeof(pin), "%s/hash", dir);
	EXPECT_OK(sys_pin(prog, pin));
	again = sys_obj_get(pin, 0);
	ASSERT_TRUE(again >= 0);
	EXPECT_EQ_INT(test_run(again), -524);
	close(again);
	close(parr);
	close(prog);
	sys_store_end(dir);
}

TEST(sys_verify_only_rejects_by_the_prototype)
{
	/* r1 = 0: get_hash_recalc takes the context */
	const struct ubf_raw_insn bad_arg[] = { MOV_K(1, 0), CALL(34), MOV_K(0, 0), EXIT_INSN };
	/* get_hash_recalc is a tc helper, not a socket filter's */
	const struct ubf_raw_insn ok[] = { CALL(34), MOV_K(0, 0), EXIT_INSN };
	/* sk_lookup_tcp reads its tuple from memory: a scalar is none */
	const struct ubf_raw_insn sock[] = { MOV_K(2, 0), MOV_K(3, 12), MOV_K(4, 0), MOV_K(5, 0),
					     CALL(84), MOV_K(0, 0), EXIT_INSN };
	/* a runnable helper after the context was copied */
	const struct ubf_raw_insn rnd[] = { MOV_X(6, 1), CALL(7), MOV_K(0, 0), EXIT_INSN };
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	EXPECT_EQ_INT(load(BPF_PROG_TYPE_SCHED_CLS, bad_arg, 4, UBF_BPF_F_VERIFY_ONLY), -EACCES);
	EXPECT_TRUE(strstr(log_buf, "R1 type=scalar expected=ctx") != NULL);
	EXPECT_TRUE(load(BPF_PROG_TYPE_SOCKET_FILTER, ok, 3, UBF_BPF_F_VERIFY_ONLY) < 0);
	EXPECT_TRUE(strstr(log_buf, "bpf_get_hash_recalc#34") != NULL);
	EXPECT_EQ_INT(load(BPF_PROG_TYPE_SCHED_CLS, sock, 7, UBF_BPF_F_VERIFY_ONLY), -EACCES);
	EXPECT_TRUE(strstr(log_buf, "R2 type=scalar") != NULL);
	/* not together with the unverified mode */
	EXPECT_EQ_INT(load(BPF_PROG_TYPE_SCHED_CLS, rnd, 4,
			   UBF_BPF_F_VERIFY_ONLY | UBF_BPF_F_UNVERIFIED), -EINVAL);
	/* a program userbpf could run still never runs when loaded verify-only */
	fd = load(BPF_PROG_TYPE_SCHED_CLS, rnd, 4, UBF_BPF_F_VERIFY_ONLY);
	ASSERT_TRUE(fd >= 0);
	EXPECT_EQ_INT(test_run(fd), -524);
	close(fd);
	fd = load(BPF_PROG_TYPE_SCHED_CLS, rnd, 4, 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_OK(test_run(fd));
	close(fd);
	sys_store_end(dir);
}

TEST(sys_verify_only_socket_reads_are_not_run)
{
	/* cgroup_skb: sk = skb->sk; if (sk) family = sk->family; return 1 */
	const struct ubf_raw_insn deref[] = {
		LDX(LDX_DW, 1, 1, 168), MOV_K(0, 1), JEQ_K(1, 0, 1), LDX(LDX_W, 2, 1, 4), EXIT_INSN,
	};
	/* the same without the read through it: return skb->sk != NULL */
	const struct ubf_raw_insn peek[] = {
		LDX(LDX_DW, 1, 1, 168), MOV_K(0, 0), JEQ_K(1, 0, 1), MOV_K(0, 1), EXIT_INSN,
	};
	/* a writable raw tracepoint reads its buffer */
	const struct ubf_raw_insn tp[] = {
		LDX(LDX_DW, 1, 1, 0), LDX(LDX_W, 0, 1, 0), MOV_K(0, 0), EXIT_INSN,
	};
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	EXPECT_EQ_INT(load(BPF_PROG_TYPE_CGROUP_SKB, deref, 5, 0), -524);
	EXPECT_TRUE(strstr(log_buf, "insn 3 accesses a socket") != NULL);
	fd = load(BPF_PROG_TYPE_CGROUP_SKB, deref, 5, UBF_BPF_F_VERIFY_ONLY);
	EXPECT_TRUE(fd >= 0);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ_INT(load(BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, tp, 4, 0), -524);
	EXPECT_TRUE(strstr(log_buf, "insn 1 accesses") != NULL);
	/* the test run's skb has no socket: skb->sk is NULL, which the program may test */
	fd = load(BPF_PROG_TYPE_CGROUP_SKB, peek, 5, 0);
	ASSERT_TRUE(fd >= 0);
	{
		uint8_t pkt[64] = { 0 };
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.test.prog_fd = (uint32_t)fd;
		a.test.data_in = (uint64_t)(uintptr_t)pkt;
		a.test.data_size_in = sizeof(pkt);
		EXPECT_OK(sys_bpf(BPF_PROG_TEST_RUN, &a));
		EXPECT_EQ_U64(a.test.retval, 0);
	}
	close(fd);
	sys_store_end(dir);
}
