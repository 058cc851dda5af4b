// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_pkt.c - XDP and TC packet test runs through ubf_bpf() end to
 * end, checked against Linux's net/bpf/test_run.c rules: retval, data_out
 * and its truncation (ENOSPC), the ctx_in/ctx_out fields a caller may set,
 * metadata, adjust_head/tail/meta moving the bytes that come out, the
 * __sk_buff fields the runner fills in, redirect return codes, and two
 * programs compiled at test time with clang -target bpf that rewrite an
 * IPv4 address and fix the checksums, compared with checksums computed
 * from scratch here.
 */
#include "test_sys.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <sys/stat.h>

#include <linux/pkt_cls.h>

#include "test.h"
#include "test_vm.h"

static int load_raw(uint32_t type, const struct ubf_raw_insn *insns, uint32_t cnt,
		    uint32_t flags)
{
	static const char gpl[] = "GPL";
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.prog_flags = flags;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uint64_t)(uintptr_t)gpl;
	return sys_bpf(BPF_PROG_LOAD, &a);
}

static int load_flags(uint32_t type, const struct tinsn *t, size_t cnt, uint32_t flags)
{
	struct ubf_raw_insn raw[128];

	if (cnt > 64)
		return -E2BIG;
	return load_raw(type, raw, (uint32_t)vm_build(t, cnt, raw), flags);
}

static int load(uint32_t type, const struct tinsn *t, size_t cnt)
{
	return load_flags(type, t, cnt, 0);
}

/* One PROG_TEST_RUN: the caller's buffers in, Linux's results out. */
struct trun {
	const void *in;
	uint32_t in_sz;
	void *out;
	uint32_t out_sz;	/* in: capacity; out: data_size_out */
	const void *ctx_in;
	uint32_t ctx_in_sz;
	void *ctx_out;
	uint32_t ctx_out_sz;	/* in: capacity; out: ctx_size_out */
	uint32_t repeat;
	uint32_t flags;
	uint32_t retval;
};

static int trun(int fd, struct trun *r)
{
	union bpf_attr a;
	int err;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = (uint64_t)(uintptr_t)r->in;
	a.test.data_size_in = r->in_sz;
	a.test.data_out = (uint64_t)(uintptr_t)r->out;
	a.test.data_size_out = r->out_sz;
	a.test.ctx_in = (uint64_t)(uintptr_t)r->ctx_in;
	a.test.ctx_size_in = r->ctx_in_sz;
	a.test.ctx_out = (uint64_t)(uintptr_t)r->ctx_out;
	a.test.ctx_size_out = r->ctx_out_sz;
	a.test.repeat = r->repeat;
	a.test.flags = r->flags;
	err = sys_bpf(BPF_PROG_TEST_RUN, &a);
	r->retval = a.test.retval;
	r->out_sz = a.test.data_size_out;
	r->ctx_out_sz = a.test.ctx_size_out;
	return err;
}

static void fill(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + 1);
}

/* retval, data_out, truncation (ENOSPC with the full size), repeat, the size rules. */
TEST(sys_pkt_xdp_data_out_and_truncation)
{
	uint8_t pkt[64], out[64];
	struct trun r;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = load(BPF_PROG_TYPE_XDP, PROG(MOV_K(0, XDP_PASS), EXIT()));
	ASSERT_TRUE(fd >= 0);
	fill(pkt, sizeof(pkt));
	r = (struct trun){ .in = pkt, .in_sz = 64, .out = out, .out_sz = 64, .repeat = 100 };
	memset(out, 0, sizeof(out));
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, XDP_PASS);
	EXPECT_EQ_INT(r.out_sz, 64);
	EXPECT_TRUE(!memcmp(out, pkt, 64));
	/* a 20-byte data_out: 20 bytes copied, data_size_out the whole packet, ENOSPC */
	memset(out, 0, sizeof(out));
	r = (struct trun){ .in = pkt, .in_sz = 64, .out = out, .out_sz = 20 };
	EXPECT_ERR(-ENOSPC, trun(fd, &r));
	EXPECT_EQ_INT(r.out_sz, 64);
	EXPECT_EQ_INT(r.retval, XDP_PASS);
	EXPECT_TRUE(!memcmp(out, pkt, 20) && out[20] == 0);
	/* shorter than an Ethernet header; larger than a page minus head- and tailroom */
	r = (struct trun){ .in = pkt, .in_sz = 13, .out = out, .out_sz = 64 };
	EXPECT_ERR(-EINVAL, trun(fd, &r));
	r = (struct trun){ .in = pkt, .in_sz = 64, .flags = BPF_F_TEST_RUN_ON_CPU };
	EXPECT_ERR(-EINVAL, trun(fd, &r));
	close(fd);
	sys_store_end(dir);
}

/* struct xdp_md as ctx_in: metadata in front of the data, and every field Linux refuses. */
TEST(sys_pkt_xdp_ctx_rules)
{
	uint8_t pkt[64], out[64], big[32];
	struct xdp_md md, mo;
	struct trun r;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	/* r0 = ctx->data - ctx->data_meta */
	fd = load(BPF_PROG_TYPE_XDP,
		  PROG(MEM(LDXW, 0, 1, offsetof(struct xdp_md, data)),
		       MEM(LDXW, 2, 1, offsetof(struct xdp_md, data_meta)), ALU_X(SUB64_REG, 0, 2),
		       EXIT()));
	ASSERT_TRUE(fd >= 0);
	fill(pkt, sizeof(pkt));
	memset(&md, 0, sizeof(md));
	md.data = 8;
	md.data_end = 64;
	memset(&mo, 0xee, sizeof(mo));
	r = (struct trun){ .in = pkt, .in_sz = 64, .out = out, .out_sz = 64, .ctx_in = &md,
			   .ctx_in_sz = sizeof(md), .ctx_out = &mo, .ctx_out_sz = sizeof(mo) };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, 8);
	EXPECT_EQ_INT(r.out_sz, 64);
	EXPECT_TRUE(!memcmp(out, pkt, 64));
	EXPECT_EQ_INT(r.ctx_out_sz, sizeof(mo));
	EXPECT_EQ_INT(mo.data, 8);
	EXPECT_EQ_INT(mo.data_end, 64);
	EXPECT_EQ_INT(mo.data_meta, 0);
	/* ingress_ifindex 1 (loopback, one receive queue), queue 0: accepted and kept */
	md.ingress_ifindex = 1;
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(mo.ingress_ifindex, 1);
	/* ctx_out too small for struct xdp_md */
	r.ctx_out_sz = 8;
	EXPECT_ERR(-ENOSPC, trun(fd, &r));
	EXPECT_EQ_INT(r.ctx_out_sz, sizeof(mo));
	r.ctx_out_sz = sizeof(mo);
	{
		static const struct {
			uint32_t data, data_end, data_meta, ingress, rxq, egress;
			int err;
		} bad[] = {
			{ 0, 64, 4, 0, 0, 0, -EINVAL },		/* data_meta set */
			{ 0, 63, 0, 0, 0, 0, -EINVAL },		/* data_end != data_size_in */
			{ 6, 64, 0, 0, 0, 0, -EINVAL },		/* metadata not a multiple of 4 */
			{ 36, 64, 0, 0, 0, 0, -EINVAL },	/* metadata over 32 bytes */
			{ 0, 64, 0, 0, 0, 1, -EINVAL },		/* egress_ifindex */
			{ 0, 64, 0, 0, 1, 0, -EINVAL },		/* a queue without a device */
			{ 0, 64, 0, 1, 5, 0, -EINVAL },		/* loopback has no queue 5 */
			{ 0, 64, 0, 0x7ffffff0, 0, 0, -ENODEV },	/* no such device */
		};
		size_t i;

		for (i = 0; i < UBF_ARRAY_SIZE(bad); i++) {
			memset(&md, 0, sizeof(md));
			md.data = bad[i].data;
			md.data_end = bad[i].data_end;
			md.data_meta = bad[i].data_meta;
			md.ingress_ifindex = bad[i].ingress;
			md.rx_queue_index = bad[i].rxq;
			md.egress_ifindex = bad[i].egress;
			EXPECT_ERR(bad[i].err, trun(fd, &r));
		}
	}
	/* ctx_in larger than struct xdp_md: the tail must be zero (E2BIG otherwise) */
	memset(big, 0, sizeof(big));
	((struct xdp_md *)(void *)big)->data_end = 64;
	big[30] = 1;
	r = (struct trun){ .in = pkt, .in_sz = 64, .ctx_in = big, .ctx_in_sz = sizeof(big) };
	EXPECT_ERR(-E2BIG, trun(fd, &r));
	big[30] = 0;
	EXPECT_OK(trun(fd, &r));
	close(fd);
	sys_store_end(dir);
}

/*
 * adjust_head(-4) and a 4-byte write at the new start, adjust_tail(-10),
 * adjust_meta(-4) and a write there: data_out runs from the metadata to
 * the new end, and ctx_out.data says where the data starts.
 */
TEST(sys_pkt_xdp_adjust_moves_packet)
{
	uint8_t pkt[64], out[128], want[62];
	struct xdp_md mo;
	struct trun r;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	/* no data_end checks: the verifier would refuse it; the checked run covers it */
	fd = load_flags(BPF_PROG_TYPE_XDP,
		  PROG(MOV_X(6, 1), MOV_K(2, -4), CALL(44), JMP_K(JNE64_IMM, 0, 0, 14),
		       MEM(LDXW, 2, 6, offsetof(struct xdp_md, data)),
		       ST_K(STW, 2, 0, (int32_t)0xdeadbeef), MOV_X(1, 6), MOV_K(2, -10), CALL(65),
		       JMP_K(JNE64_IMM, 0, 0, 8), MOV_X(1, 6), MOV_K(2, -4), CALL(54),
		       JMP_K(JNE64_IMM, 0, 0, 4),
		       MEM(LDXW, 2, 6, offsetof(struct xdp_md, data_meta)),
		       ST_K(STW, 2, 0, 0x11223344), MOV_K(0, XDP_TX), EXIT(),
		       ALU_K(ADD64_IMM, 0, 1000), EXIT()), UBF_BPF_F_UNVERIFIED);
	ASSERT_TRUE(fd >= 0);
	fill(pkt, sizeof(pkt));
	memcpy(want, BYTES(0x44, 0x33, 0x22, 0x11, 0xef, 0xbe, 0xad, 0xde));
	memcpy(want + 8, pkt, 54);
	memset(&mo, 0, sizeof(mo));
	r = (struct trun){ .in = pkt, .in_sz = 64, .out = out, .out_sz = sizeof(out),
			   .ctx_out = &mo, .ctx_out_sz = sizeof(mo) };
	/* ctx_out alone is refused by 6.1 (a zeroed ctx has data_end 0) */
	EXPECT_ERR(-EINVAL, trun(fd, &r));
	r = (struct trun){ .in = pkt, .in_sz = 64, .out = out, .out_sz = sizeof(out) };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, XDP_TX);
	EXPECT_EQ_INT(r.out_sz, 62);
	EXPECT_TRUE(!memcmp(out, want, 62));
	{
		struct xdp_md md = { .data_end = 64 };

		r = (struct trun){ .in = pkt, .in_sz = 64, .out = out, .out_sz = sizeof(out),
				   .ctx_in = &md, .ctx_in_sz = sizeof(md), .ctx_out = &mo,
				   .ctx_out_sz = sizeof(mo) };
		EXPECT_OK(trun(fd, &r));
		EXPECT_EQ_INT(mo.data, 4);
		EXPECT_EQ_INT(mo.data_end, 62);
		EXPECT_TRUE(!memcmp(out, want, 62));
	}
	close(fd);
	sys_store_end(dir);
}

/* ---- programs compiled now by clang -target bpf; their text copied out by llvm-objcopy ---- */

/*
 * Compile @src and load section @sec as a program of @type.  Return the fd,
 * -ENOENT when clang or llvm-objcopy is missing (the caller skips), or the
 * load's error.
 */
static int clang_load(const char *src, const char *sec, uint32_t type)
{
	char dir[] = "/tmp/ubf-pkt-XXXXXX", cmd[1024], path[64];
	static uint8_t text[8192];
	struct stat st;
	FILE *f;
	size_t n;
	int fd = -ENOENT;

	if (system("command -v clang >/dev/null 2>&1 && command -v llvm-objcopy >/dev/null 2>&1"))
		return -ENOENT;
	if (!mkdtemp(dir))
		return -errno;
	snprintf(path, sizeof(path), "%s/p.c", dir);
	f = fopen(path, "w");
	if (!f)
		goto out;
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && clang -O2 -target bpf -I/usr/include/$(gcc -print-multiarch 2>/dev/null"
		 " || echo x86_64-linux-gnu) -c p.c -o p.o && llvm-objcopy -O binary "
		 "--only-section=%s p.o p.bin",
		 dir, sec);
	fd = -EINVAL;
	if (system(cmd))
		goto out;
	snprintf(path, sizeof(path), "%s/p.bin", dir);
	f = fopen(path, "rb");
	if (!f)
		goto out;
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (n && !(n % 8))
		fd = load_raw(type, (const struct ubf_raw_insn *)(void *)text, (uint32_t)(n / 8), 0);
out:
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (!stat(dir, &st) && system(cmd))
		fd = fd >= 0 ? fd : -EIO;
	return fd;
}

/* RFC 1071: the one's-complement sum of 16-bit big-endian words, plus @sum. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The IPv4 header checksum of @ip (20 bytes), the field counted as zero. */
static uint16_t ip_csum(const uint8_t *ip)
{
	uint8_t h[20];

	memcpy(h, ip, 20);
	h[10] = h[11] = 0;
	return fold(sum16(h, 20, 0));
}

/* The UDP checksum of the datagram after IPv4 header @ip (pseudo-header included). */
static uint16_t udp_csum(const uint8_t *ip)
{
	const uint8_t *udp = ip + 20;
	uint16_t len = (uint16_t)(udp[4] << 8 | udp[5]), c;
	uint8_t d[64];
	uint32_t sum;

	memcpy(d, udp, len);
	d[6] = d[7] = 0;
	sum = sum16(ip + 12, 8, 17u + len);
	c = fold(sum16(d, len, sum));
	return c ? c : 0xffff;
}

/* Ethernet + IPv4 (10.0.0.1 -> 10.0.0.2) + UDP with 8 bytes of payload, checksums right. */
static size_t udp_packet(uint8_t *p, bool udp_sum)
{
	static const uint8_t hdr[] = {
		0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00,	 /* Ethernet */
		0x45, 0, 0, 36, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0,	 /* IPv4 ... */
		10, 0, 0, 1, 10, 0, 0, 2,				 /* saddr, daddr */
		0x30, 0x39, 0x00, 0x35, 0, 16, 0, 0,			 /* UDP 12345 -> 53 */
		'p', 'a', 'y', 'l', 'o', 'a', 'd', '!',
	};
	uint16_t c;

	memcpy(p, hdr, sizeof(hdr));
	c = ip_csum(p + 14);
	p[24] = (uint8_t)(c >> 8);
	p[25] = (uint8_t)c;
	if (udp_sum) {
		c = udp_csum(p + 14);
		p[40] = (uint8_t)(c >> 8);
		p[41] = (uint8_t)c;
	}
	return sizeof(hdr);
}

static const char xdp_src[] =
	"#include <linux/bpf.h>\n"
	"#include <linux/if_ether.h>\n"
	"#include <linux/ip.h>\n"
	"static long (*csum_diff)(void *, __u32, void *, __u32, __u32) = (void *)28;\n"
	"__attribute__((section(\"xdp\"), used)) int rewrite(struct xdp_md *ctx)\n"
	"{\n"
	"	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;\n"
	"	struct ethhdr *eth = data;\n"
	"	struct iphdr *ip = data + sizeof(*eth);\n"
	"	__u32 old, new = __builtin_bswap32(0xc0a80102);\n"
	"	__u64 sum;\n"
	"	if ((void *)(ip + 1) > end)\n"
	"		return XDP_ABORTED;\n"
	"	if (eth->h_proto != __builtin_bswap16(ETH_P_IP))\n"
	"		return XDP_PASS;\n"
	"	old = ip->daddr;\n"
	"	ip->daddr = new;\n"
	"	sum = csum_diff(&old, 4, &new, 4, (__u16)~ip->check);\n"
	"	sum = (sum & 0xffff) + (sum >> 16);\n"
	"	sum = (sum & 0xffff) + (sum >> 16);\n"
	"	ip->check = (__u16)~sum;\n"
	"	return XDP_TX;\n"
	"}\n";

/* Parse Ethernet/IPv4, rewrite daddr to 192.168.1.2, fix the checksum with csum_diff. */
TEST(sys_pkt_xdp_ipv4_rewrite_clang)
{
	uint8_t pkt[64], out[64], want[64];
	struct trun r;
	size_t n;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = clang_load(xdp_src, "xdp", BPF_PROG_TYPE_XDP);
	if (fd == -ENOENT) {
		sys_store_end(dir);
		SKIP("clang or llvm-objcopy not installed");
	}
	ASSERT_TRUE(fd >= 0);
	n = udp_packet(pkt, true);
	memcpy(want, pkt, n);
	memcpy(want + 30, BYTES(192, 168, 1, 2));
	r = (struct trun){ .in = pkt, .in_sz = (uint32_t)n, .out = out, .out_sz = sizeof(out) };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, XDP_TX);
	EXPECT_EQ_INT(r.out_sz, n);
	EXPECT_TRUE(!memcmp(out + 30, want + 30, 4));
	EXPECT_EQ_INT(out[24] << 8 | out[25], ip_csum(want + 14));
	EXPECT_EQ_INT(fold(sum16(out + 14, 20, 0)), 0);	/* a valid header sums to 0xffff */
	/* not IPv4: passed unchanged; too short for an IPv4 header: aborted */
	pkt[12] = 0x86;
	pkt[13] = 0xdd;
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, XDP_PASS);
	r = (struct trun){ .in = pkt, .in_sz = 20, .out = out, .out_sz = sizeof(out) };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, XDP_ABORTED);
	close(fd);
	sys_store_end(dir);
}

static const char tc_src[] =
	"#include <linux/bpf.h>\n"
	"#include <linux/pkt_cls.h>\n"
	"static long (*load_bytes)(void *, __u32, void *, __u32) = (void *)26;\n"
	"static long (*store_bytes)(void *, __u32, const void *, __u32, __u64) = (void *)9;\n"
	"static long (*l3_csum)(void *, __u32, __u64, __u64, __u64) = (void *)10;\n"
	"static long (*l4_csum)(void *, __u32, __u64, __u64, __u64) = (void *)11;\n"
	"static long (*redirect)(__u32, __u64) = (void *)23;\n"
	"__attribute__((section(\"tc\"), used)) int rewrite(struct __sk_buff *skb)\n"
	"{\n"
	"	__u32 old, new = __builtin_bswap32(0xc0a80102);\n"
	"	if (load_bytes(skb, 30, &old, 4))\n"
	"		return 100;\n"
	"	if (l4_csum(skb, 40, old, new, BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | 4))\n"
	"		return 101;\n"
	"	if (l3_csum(skb, 24, old, new, 4))\n"
	"		return 102;\n"
	"	if (store_bytes(skb, 30, &new, 4, 0))\n"
	"		return 103;\n"
	"	if (l3_csum(skb, 25, 0, 0, 0) != -14 || l4_csum(skb, 40, 1, 2, 3) != -22)\n"
	"		return 104;\n"
	"	if (load_bytes(skb, skb->len - 2, &old, 4) != -14)\n"
	"		return 105;\n"
	"	return redirect(skb->ifindex, BPF_F_INGRESS);\n"
	"}\n";

/*
 * skb_load_bytes/store_bytes, l3_csum_replace and l4_csum_replace with
 * BPF_F_PSEUDO_HDR (the UDP checksum covers the address) and
 * BPF_F_MARK_MANGLED_0 (a zero UDP checksum stays zero); both checksums
 * then equal ones computed from scratch.  Returns TC_ACT_REDIRECT.
 */
TEST(sys_pkt_tc_csum_replace_clang)
{
	uint8_t pkt[64], out[64];
	struct trun r;
	size_t n;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = clang_load(tc_src, "tc", BPF_PROG_TYPE_SCHED_CLS);
	if (fd == -ENOENT) {
		sys_store_end(dir);
		SKIP("clang or llvm-objcopy not installed");
	}
	ASSERT_TRUE(fd >= 0);
	n = udp_packet(pkt, true);
	r = (struct trun){ .in = pkt, .in_sz = (uint32_t)n, .out = out, .out_sz = sizeof(out) };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, TC_ACT_REDIRECT);
	EXPECT_EQ_INT(r.out_sz, n);
	EXPECT_TRUE(!memcmp(out + 30, BYTES(192, 168, 1, 2)));
	EXPECT_EQ_INT(out[24] << 8 | out[25], ip_csum(out + 14));
	EXPECT_EQ_INT(out[40] << 8 | out[41], udp_csum(out + 14));
	/* A UDP checksum of 0 (none) is left alone under BPF_F_MARK_MANGLED_0. */
	n = udp_packet(pkt, false);
	r = (struct trun){ .in = pkt, .in_sz = (uint32_t)n, .out = out, .out_sz = sizeof(out) };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, TC_ACT_REDIRECT);
	EXPECT_EQ_INT(out[40] << 8 | out[41], 0);
	EXPECT_EQ_INT(out[24] << 8 | out[25], ip_csum(out + 14));
	close(fd);
	sys_store_end(dir);
}

/*
 * The __sk_buff a TC program sees: len, protocol, pkt_type, data/data_end,
 * ifindex, mark from ctx_in; copied into cb[] and read back from ctx_out.
 */
TEST(sys_pkt_skb_fields_and_ctx)
{
	uint8_t pkt[60], out[64];
	struct __sk_buff in, so;
	struct trun r;
	char dir[64];
	int fd;

#define SKB(f) ((int16_t)offsetof(struct __sk_buff, f))
#define CB(i) ((int16_t)(offsetof(struct __sk_buff, cb) + 4 * (i)))
	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	/* pkt_end - pkt: the verifier refuses it (Linux too); this tests the runner */
	fd = load_flags(BPF_PROG_TYPE_SCHED_CLS,
		  PROG(MEM(LDXW, 2, 1, SKB(len)), MEM(STXW, 1, 2, CB(0)),
		       MEM(LDXW, 2, 1, SKB(protocol)), MEM(STXW, 1, 2, CB(1)),
		       MEM(LDXW, 2, 1, SKB(pkt_type)), MEM(STXW, 1, 2, CB(2)),
		       MEM(LDXW, 2, 1, SKB(data)), MEM(LDXW, 3, 1, SKB(data_end)),
		       ALU_X(SUB64_REG, 3, 2), MEM(STXW, 1, 3, CB(3)),
		       MEM(LDXB, 3, 2, 13), MEM(STXW, 1, 3, CB(4)),
		       MEM(LDXW, 2, 1, SKB(mark)), ALU_K(ADD64_IMM, 2, 1),
		       MEM(STXW, 1, 2, SKB(mark)), MEM(LDXW, 0, 1, SKB(ifindex)), EXIT()), UBF_BPF_F_UNVERIFIED);
	ASSERT_TRUE(fd >= 0);
	fill(pkt, sizeof(pkt));
	memset(pkt, 0xff, 6);	/* broadcast */
	pkt[12] = 0x08;
	pkt[13] = 0x00;
	memset(&in, 0, sizeof(in));
	in.mark = 41;
	in.priority = 3;
	memset(&so, 0, sizeof(so));
	r = (struct trun){ .in = pkt, .in_sz = 60, .out = out, .out_sz = 64, .ctx_in = &in,
			   .ctx_in_sz = sizeof(in), .ctx_out = &so, .ctx_out_sz = sizeof(so) };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, 1);		/* loopback */
	EXPECT_EQ_INT(so.cb[0], 60);
	EXPECT_EQ_INT(so.cb[1], htons(0x0800));
	EXPECT_EQ_INT(so.cb[2], 1);		/* PACKET_BROADCAST */
	EXPECT_EQ_INT(so.cb[3], 60);
	EXPECT_EQ_INT(so.cb[4], 0x00);		/* the byte at data + 13 */
	EXPECT_EQ_INT(so.mark, 42);
	EXPECT_EQ_INT(so.priority, 3);
	EXPECT_EQ_INT(so.ifindex, 1);
	EXPECT_EQ_INT(so.wire_len, 60);
	EXPECT_EQ_INT(so.len, 0);		/* not copied out, as Linux */
	EXPECT_EQ_INT(r.out_sz, 60);
	EXPECT_TRUE(!memcmp(out, pkt, 60));
	/* fields a caller may not set, and the size rules */
	in.len = 5;
	EXPECT_ERR(-EINVAL, trun(fd, &r));
	in.len = 0;
	in.wire_len = 10;
	EXPECT_ERR(-EINVAL, trun(fd, &r));
	in.wire_len = 0;
	in.data = 1;
	EXPECT_ERR(-EINVAL, trun(fd, &r));
	in.data = 0;
	r.in_sz = 13;
	EXPECT_ERR(-EINVAL, trun(fd, &r));
	close(fd);
	sys_store_end(dir);
#undef SKB
#undef CB
}

/* A socket filter sees the packet from the network header; data_out gets a zeroed MAC header back. */
TEST(sys_pkt_skb_l3_program)
{
	uint8_t pkt[60], out[64];
	struct trun r;
	char dir[64];
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = load(BPF_PROG_TYPE_SOCKET_FILTER,
		  PROG(MEM(LDXW, 0, 1, offsetof(struct __sk_buff, len)), EXIT()));
	ASSERT_TRUE(fd >= 0);
	fill(pkt, sizeof(pkt));
	pkt[12] = 0x08;
	pkt[13] = 0x00;
	r = (struct trun){ .in = pkt, .in_sz = 60, .out = out, .out_sz = 64 };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, 46);
	EXPECT_EQ_INT(r.out_sz, 60);
	EXPECT_TRUE(!memcmp(out, BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
	EXPECT_TRUE(!memcmp(out + 14, pkt + 14, 46));
	close(fd);
	sys_store_end(dir);
}

/* redirect from TC: TC_ACT_REDIRECT, or TC_ACT_SHOT for a flag other than BPF_F_INGRESS. */
TEST(sys_pkt_tc_redirect_codes)
{
	uint8_t pkt[60];
	struct trun r;
	char dir[64];
	int fd, fd2;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = load(BPF_PROG_TYPE_SCHED_CLS, PROG(MOV_K(1, 1), MOV_K(2, 0), CALL(23), EXIT()));
	fd2 = load(BPF_PROG_TYPE_SCHED_CLS, PROG(MOV_K(1, 1), MOV_K(2, 2), CALL(23), EXIT()));
	ASSERT_TRUE(fd >= 0 && fd2 >= 0);
	fill(pkt, sizeof(pkt));
	r = (struct trun){ .in = pkt, .in_sz = 60 };
	EXPECT_OK(trun(fd, &r));
	EXPECT_EQ_INT(r.retval, TC_ACT_REDIRECT);
	EXPECT_OK(trun(fd2, &r));
	EXPECT_EQ_INT(r.retval, TC_ACT_SHOT);
	close(fd2);
	close(fd);
	sys_store_end(dir);
}
