// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_verifier_ctx.c - the context access table through its lookup API:
 * per-type read and write rules of __sk_buff, attach-dependent fields of
 * bpf_sock_addr and bpf_sockopt, narrow loads, the register type a load
 * gives, return ranges and the argument checks.  Each case is a fact the
 * kernel oracle (tests/verifier/ctxcheck) confirmed on Linux.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>

#include "test.h"
#include "verifier/ctx.h"

static int acc(uint32_t type, uint32_t att, int64_t off, uint32_t size, bool is_write)
{
	struct ubf_ctx_result res;

	return ubf_ctx_access(type, att, off, size, is_write, &res);
}

TEST(ctx_skb_data_per_type)
{
	struct ubf_ctx_result res;
	int64_t data = offsetof(struct __sk_buff, data);

	ASSERT_OK(ubf_ctx_access(BPF_PROG_TYPE_SCHED_CLS, 0, data, 4, false, &res));
	EXPECT_EQ_INT(res.reg, UBF_CTX_REG_PKT);
	EXPECT_TRUE(!strcmp(res.field, "data"));
	ASSERT_OK(ubf_ctx_access(BPF_PROG_TYPE_SCHED_CLS, 0,
				     offsetof(struct __sk_buff, data_end), 4, false, &res));
	EXPECT_EQ_INT(res.reg, UBF_CTX_REG_PKT_END);
	ASSERT_OK(ubf_ctx_access(BPF_PROG_TYPE_SCHED_CLS, 0,
				     offsetof(struct __sk_buff, data_meta), 4, false, &res));
	EXPECT_EQ_INT(res.reg, UBF_CTX_REG_PKT_META);
	/* socket filters see no packet pointers; data is a u32-only field */
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, data, 4, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, data, 2, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, data, 4, true), -EACCES);
	/* data_meta only for tc among the __sk_buff types */
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SKB, 0, offsetof(struct __sk_buff, data_meta), 4,
			  false), -EACCES);
}

TEST(ctx_skb_writes_per_type)
{
	int64_t mark = offsetof(struct __sk_buff, mark);
	int64_t cb = offsetof(struct __sk_buff, cb);

	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, mark, 4, true), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, mark, 4, true), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, cb, 4, true), 0);
	/* sk_skb may neither read nor write mark */
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SK_SKB, 0, mark, 4, false), -EACCES);
	/* stores to ordinary fields are u32 only; cb takes any aligned size */
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, mark, 2, true), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, cb + 1, 1, true), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, cb + 8, 8, true), 0);
	/* an 8-byte store at cb[4] would run past cb */
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, cb + 16, 8, true), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_FLOW_DISSECTOR, 0, cb, 4, true), -EACCES);
}

TEST(ctx_narrow_and_misaligned)
{
	int64_t len = offsetof(struct __sk_buff, len);

	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, len + 3, 1, false), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, len + 2, 2, false), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, len + 1, 2, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, len, 8, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, -4, 4, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SOCKET_FILTER, 0, sizeof(struct __sk_buff), 4, false),
		      -EACCES);
	/* xdp_md: u32 loads only */
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_XDP, 0, offsetof(struct xdp_md, ingress_ifindex), 1,
			  false), -EACCES);
	/* bpf_sock.family narrows only at its first byte */
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE,
			  offsetof(struct bpf_sock, family), 1, false), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE,
			  offsetof(struct bpf_sock, family) + 1, 1, false), -EACCES);
}

TEST(ctx_attach_dependent_fields)
{
	int64_t ip4 = offsetof(struct bpf_sock_addr, user_ip4);
	int64_t ip6 = offsetof(struct bpf_sock_addr, user_ip6);
	int64_t retval = offsetof(struct bpf_sockopt, retval);
	int64_t egress = offsetof(struct xdp_md, egress_ifindex);
	struct ubf_ctx_result res;

	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, ip4, 4, true), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, ip4, 4, false),
		      -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, ip6 + 8, 8,
			  true), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, ip6 + 4, 2,
			  true), -EACCES);
	ASSERT_OK(ubf_ctx_access(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND,
				     offsetof(struct bpf_sock_addr, sk), 8, false, &res));
	EXPECT_EQ_INT(res.reg, UBF_CTX_REG_SOCKET);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, retval, 4, true), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, retval, 4, false),
		      -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, egress, 4, false), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_XDP, 0, egress, 4, false), -EACCES);
}

TEST(ctx_tracing_contexts)
{
	struct ubf_ctx_result res;

	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_KPROBE, 0, 160, 8, false), 0);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_KPROBE, 0, 164, 8, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_KPROBE, 0, 0, 8, true), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_TRACEPOINT, 0, 0, 8, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_TRACEPOINT, 0, 8, 8, false), 0);
	ASSERT_OK(ubf_ctx_access(BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0, 8, false, &res));
	EXPECT_EQ_INT(res.reg, UBF_CTX_REG_TP_BUFFER);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0, 4, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 4, 4, false), 0);
	ASSERT_OK(ubf_ctx_access(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, 8, false, &res));
	EXPECT_EQ_INT(res.reg, UBF_CTX_REG_SCALAR);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_PERF_EVENT, 0, 0, 4, false), -EACCES);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_PERF_EVENT, 0, 168, 4, false), 0);
}

/* What a socket pointer reads: ctx.def's object rows. */
TEST(ctx_socket_objects)
{
	struct ubf_ctx_result res;

	ASSERT_OK(ubf_ctx_obj_access(UBF_CTX_OBJ_SOCK, offsetof(struct bpf_sock, type), 4, false,
				     &res));
	EXPECT_STREQ(res.field, "type");
	EXPECT_EQ_INT(ubf_ctx_obj_access(UBF_CTX_OBJ_SOCK_COMMON, offsetof(struct bpf_sock, type), 4,
					 false, &res), -EACCES);
	EXPECT_EQ_INT(ubf_ctx_obj_access(UBF_CTX_OBJ_SOCK_COMMON, offsetof(struct bpf_sock, family),
					 2, false, &res), 0);
	EXPECT_EQ_INT(ubf_ctx_obj_access(UBF_CTX_OBJ_SOCK, offsetof(struct bpf_sock, mark), 2,
					 false, &res), -EACCES);
	EXPECT_EQ_INT(ubf_ctx_obj_access(UBF_CTX_OBJ_SOCK, offsetof(struct bpf_sock, family), 4,
					 true, &res), -EACCES);
	EXPECT_EQ_INT(ubf_ctx_obj_access(UBF_CTX_OBJ_TCP_SOCK,
					 offsetof(struct bpf_tcp_sock, bytes_acked), 8, false, &res), 0);
	EXPECT_EQ_INT(ubf_ctx_obj_access(UBF_CTX_OBJ_TCP_SOCK,
					 offsetof(struct bpf_tcp_sock, bytes_acked) + 4, 4, false, &res),
		      -EACCES);
	EXPECT_EQ_INT(ubf_ctx_obj_access(UBF_CTX_OBJ_TCP_SOCK, sizeof(struct bpf_tcp_sock), 4, false,
					 &res), -EACCES);
	EXPECT_EQ_INT(ubf_ctx_obj_access(UBF_CTX_OBJ_TCP_SOCK, 0, 3, false, &res), -EINVAL);
	/* the context rows the objects share keep their attach rules */
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE,
			  offsetof(struct bpf_sock, src_ip4), 4, false), -EACCES);
}

TEST(ctx_bad_arguments)
{
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_UNSPEC, 0, 0, 4, false), -EINVAL);
	EXPECT_EQ_INT(acc(100000, 0, 0, 4, false), -EINVAL);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, 0, 3, false), -EINVAL);
	EXPECT_EQ_INT(acc(BPF_PROG_TYPE_SCHED_CLS, 0, 0, 16, false), -EINVAL);
	EXPECT_TRUE(ubf_ctx_field_name(BPF_PROG_TYPE_SOCKET_FILTER,
				       offsetof(struct __sk_buff, tc_classid)) != NULL);
	EXPECT_TRUE(!strcmp(ubf_ctx_field_name(BPF_PROG_TYPE_SCHED_CLS,
					       offsetof(struct __sk_buff, cb) + 5), "cb"));
	EXPECT_TRUE(ubf_ctx_field_name(BPF_PROG_TYPE_XDP, 400) == NULL);
	EXPECT_TRUE(ubf_ctx_field_name(BPF_PROG_TYPE_UNSPEC, 0) == NULL);
}

TEST(ctx_return_ranges)
{
	uint64_t lo = 7, hi = 7;

	ASSERT_OK(ubf_ctx_ret_range(BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, &lo, &hi));
	EXPECT_EQ_U64(lo, 0);
	EXPECT_EQ_U64(hi, 3);
	ASSERT_OK(ubf_ctx_ret_range(BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, &lo, &hi));
	EXPECT_EQ_U64(hi, 1);
	ASSERT_OK(ubf_ctx_ret_range(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG,
					&lo, &hi));
	EXPECT_EQ_U64(lo, 1);
	EXPECT_EQ_U64(hi, 1);
	EXPECT_EQ_INT(ubf_ctx_ret_range(BPF_PROG_TYPE_XDP, 0, &lo, &hi), -ENOENT);
	EXPECT_EQ_INT(ubf_ctx_ret_range(BPF_PROG_TYPE_UNSPEC, 0, &lo, &hi), -EINVAL);
}

TEST(ctx_helper_sets)
{
	/* map lookup everywhere; skb_store_bytes (9) for tc, not socket filters */
	EXPECT_TRUE(ubf_ctx_helper_allowed(BPF_PROG_TYPE_SOCKET_FILTER, 0, 1));
	EXPECT_TRUE(ubf_ctx_helper_allowed(BPF_PROG_TYPE_SCHED_CLS, 0, 9));
	EXPECT_TRUE(!ubf_ctx_helper_allowed(BPF_PROG_TYPE_SOCKET_FILTER, 0, 9));
	/* probe_read (4) for tracing types only */
	EXPECT_TRUE(ubf_ctx_helper_allowed(BPF_PROG_TYPE_KPROBE, 0, 4));
	EXPECT_TRUE(!ubf_ctx_helper_allowed(BPF_PROG_TYPE_XDP, 0, 4));
	EXPECT_TRUE(!ubf_ctx_helper_allowed(BPF_PROG_TYPE_UNSPEC, 0, 1));
	/* perf_event_output (25) for tc and socket filters, not flow dissectors */
	EXPECT_TRUE(ubf_ctx_helper_allowed(BPF_PROG_TYPE_SCHED_CLS, 0, 25));
	EXPECT_TRUE(ubf_ctx_helper_allowed(BPF_PROG_TYPE_SOCKET_FILTER, 0, 25));
	EXPECT_TRUE(!ubf_ctx_helper_allowed(BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, 25));
	/* bind (64) only from connect hooks; seq_printf (126) only from iterators */
	EXPECT_TRUE(ubf_ctx_helper_allowed(BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
					   BPF_CGROUP_INET4_CONNECT, 64));
	EXPECT_TRUE(!ubf_ctx_helper_allowed(BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
					    BPF_CGROUP_INET4_BIND, 64));
	EXPECT_TRUE(ubf_ctx_helper_allowed(BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, 126));
	EXPECT_TRUE(!ubf_ctx_helper_allowed(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, 126));
	/* freplace programs take their target's helpers: any offered one */
	EXPECT_TRUE(ubf_ctx_helper_allowed(BPF_PROG_TYPE_EXT, 0, 9));
	EXPECT_TRUE(!ubf_ctx_helper_allowed(BPF_PROG_TYPE_SCHED_CLS, 0, 212));
}
