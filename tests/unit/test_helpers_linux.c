// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers_linux.c - the Linux helpers that need no maps: strtol,
 * strtoul, strncmp, the probe_read family, snprintf and trace_printk, and
 * the packet helpers on a hand-built XDP/skb context, each called from a
 * program on every engine and compared with Linux's documented results
 * (written out by hand here).
 */
#define _GNU_SOURCE
#include "test_vm.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "helpers/helpers.h"

/* A call's five arguments, then the memory pointer arguments point into. */
struct call_mem {
	uint64_t a[5];
	uint8_t buf[256];
};

/* Load r1-r5 from the memory (r1 on entry), call @id, exit with its r0. */
static int call5(const struct vm_engine *e, int32_t id, struct call_mem *m, uint64_t *r0,
		 struct ubf_diag *diag)
{
	struct tinsn t[] = {
		MOV_X(6, 1),	     MEM(LDXDW, 2, 6, 8),  MEM(LDXDW, 3, 6, 16),
		MEM(LDXDW, 4, 6, 24), MEM(LDXDW, 5, 6, 32), MEM(LDXDW, 1, 6, 0),
		CALL(id),	     EXIT(),
	};
	struct ubf_run_opts ropts = { .sz = sizeof(ropts), .diag = diag };
	struct ubf_prog *prog = NULL;
	int err = vm_load(&prog, e, t, UBF_ARRAY_SIZE(t), NULL, 0, diag);

	if (err)
		return err;
	err = vm_run_prog(e, prog, m, sizeof(*m), r0, &ropts);
	ubf_prog_free(prog);
	return err;
}

#define P(m, off) ((uint64_t)(uintptr_t)((m)->buf + (off)))
#define FOR_EACH_ENGINE(k)                                                                 \
	for ((k) = 0; (k) < VM_ENGINE_CNT; (k)++)                                            \
		if (vm_engine_available(&vm_engines[k]))

/* strtol/strtoul: Linux's return (chars consumed or -errno) and the value. */
TEST(helpers_strtol_linux_semantics)
{
	static const struct {
		int32_t id;
		const char *s;
		uint64_t flags;
		int64_t ret;
		uint64_t val;
	} cases[] = {
		{ 105, "123", 0, 3, 123 },
		{ 105, "  -42x", 0, 5, (uint64_t)-42 },
		{ 105, "0x1f", 0, 4, 31 },
		{ 105, "0x", 0, 1, 0 },		/* "0x" without a hex digit: octal 0 */
		{ 105, "0x", 16, -EINVAL, 0 },
		{ 105, "017", 0, 3, 15 },
		{ 105, "ff", 16, 2, 255 },
		{ 105, "12", 2, -EINVAL, 0 },	/* bases 0, 8, 10, 16 only */
		{ 105, "12", 0x20, -EINVAL, 0 },
		{ 105, "abc", 10, -EINVAL, 0 },
		{ 105, "-", 0, -EINVAL, 0 },
		{ 105, "9223372036854775807", 0, 19, INT64_MAX },
		{ 105, "9223372036854775808", 0, -ERANGE, 0 },
		{ 105, "-9223372036854775808", 0, 20, (uint64_t)INT64_MIN },
		{ 105, "99999999999999999999", 0, -ERANGE, 0 },
		{ 106, "18446744073709551615", 0, 20, UINT64_MAX },
		{ 106, "-1", 0, -EINVAL, 0 },
		{ 106, "\t 7", 8, 3, 7 },
	};
	size_t i, k;

	FOR_EACH_ENGINE(k)
	{
		for (i = 0; i < UBF_ARRAY_SIZE(cases); i++) {
			struct call_mem m = { 0 };
			uint64_t r0 = 0, v = 0xdead;
			size_t len = strlen(cases[i].s);

			memcpy(m.buf, cases[i].s, len);
			memcpy(m.buf + 128, &v, 8);
			m.a[0] = P(&m, 0);
			m.a[1] = len;
			m.a[2] = cases[i].flags;
			m.a[3] = P(&m, 128);
			ASSERT_OK(call5(&vm_engines[k], cases[i].id, &m, &r0, NULL));
			EXPECT_EQ_INT((int64_t)r0, cases[i].ret);
			memcpy(&v, m.buf + 128, 8);
			EXPECT_EQ_U64(v, cases[i].ret > 0 ? cases[i].val : 0xdead);
		}
	}
}

/* strncmp answers -1/0/1 as the kernel's and stops at s1_sz. */
TEST(helpers_strncmp)
{
	static const struct {
		const char *s1, *s2;
		uint32_t n;
		int64_t ret;
	} cases[] = {
		{ "abc", "abc", 4, 0 }, { "abd", "abc", 3, 1 }, { "abb", "abc", 3, -1 },
		{ "abX", "abc", 2, 0 }, { "a", "abc", 2, -1 },	{ "\xff", "a", 1, 1 },
	};
	size_t i, k;

	FOR_EACH_ENGINE(k)
	{
		for (i = 0; i < UBF_ARRAY_SIZE(cases); i++) {
			struct call_mem m = { 0 };
			uint64_t r0 = 0;

			strcpy((char *)m.buf, cases[i].s1);
			strcpy((char *)m.buf + 64, cases[i].s2);
			m.a[0] = P(&m, 0);
			m.a[1] = cases[i].n;
			m.a[2] = P(&m, 64);
			ASSERT_OK(call5(&vm_engines[k], 182, &m, &r0, NULL));
			EXPECT_EQ_INT((int64_t)r0, cases[i].ret);
		}
	}
}

/* An address that is certainly unmapped: a page mapped and then unmapped. */
static uint64_t dead_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(p, 4096);
	return (uint64_t)(uintptr_t)p;
}

/* probe_read_*: a copy, or -EFAULT and a zeroed destination; never a crash. */
TEST(helpers_probe_read_faults_zero_dst)
{
	static const int32_t ids[] = { 4, 112, 113, 148 };
	static const char src[] = "probe me";
	uint64_t bad = dead_page();
	size_t i, k;

	FOR_EACH_ENGINE(k)
	{
		for (i = 0; i < UBF_ARRAY_SIZE(ids); i++) {
			struct call_mem m = { 0 };
			uint64_t r0 = 1;

			m.a[0] = P(&m, 0);
			m.a[1] = sizeof(src);
			m.a[2] = (uint64_t)(uintptr_t)src;
			ASSERT_OK(call5(&vm_engines[k], ids[i], &m, &r0, NULL));
			EXPECT_EQ_U64(r0, 0);
			EXPECT_STREQ((char *)m.buf, src);
			m.a[2] = bad;
			ASSERT_OK(call5(&vm_engines[k], ids[i], &m, &r0, NULL));
			EXPECT_EQ_INT((int64_t)r0, -EFAULT);
			EXPECT_EQ_INT(m.buf[0] | m.buf[5], 0);
		}
	}
}

/* The _str forms return the length with the NUL, or size when cut (NUL-terminated). */
TEST(helpers_probe_read_str_length_and_truncation)
{
	static const int32_t ids[] = { 45, 114, 115 };
	static const char src[] = "hello";
	size_t i, k;

	FOR_EACH_ENGINE(k)
	{
		for (i = 0; i < UBF_ARRAY_SIZE(ids); i++) {
			struct call_mem m = { 0 };
			uint64_t r0 = 0;

			memset(m.buf, 'z', 16);
			m.a[0] = P(&m, 0);
			m.a[1] = 16;
			m.a[2] = (uint64_t)(uintptr_t)src;
			ASSERT_OK(call5(&vm_engines[k], ids[i], &m, &r0, NULL));
			EXPECT_EQ_U64(r0, 6);
			EXPECT_STREQ((char *)m.buf, "hello");
			m.a[1] = 3;
			ASSERT_OK(call5(&vm_engines[k], ids[i], &m, &r0, NULL));
			EXPECT_EQ_U64(r0, 3);
			EXPECT_STREQ((char *)m.buf, "he");
			m.a[2] = dead_page();
			m.a[1] = 8;
			ASSERT_OK(call5(&vm_engines[k], ids[i], &m, &r0, NULL));
			EXPECT_EQ_INT((int64_t)r0, -EFAULT);
			EXPECT_EQ_INT(m.buf[0], 0);
		}
	}
}

/* A checked run may not have a helper write outside its memory. */
TEST(helpers_probe_read_checked_dst_outside_regions)
{
	static const char src[] = "x";
	struct call_mem m = { 0 };
	struct ubf_diag diag = { 0 };
	uint8_t outside[8];
	uint64_t r0 = 0;

	m.a[0] = (uint64_t)(uintptr_t)outside;
	m.a[1] = sizeof(outside);
	m.a[2] = (uint64_t)(uintptr_t)src;
	EXPECT_ERR(-EFAULT, call5(&vm_engines[VM_INTERP_CHECKED], 112, &m, &r0, &diag));
	EXPECT_STREQ(diag.id, "run.mem_oob");
}

/* snprintf: Linux's conversions, widths, the return (length + NUL) and errors. */
TEST(helpers_snprintf_formats)
{
	static const struct {
		const char *fmt;
		uint64_t args[4];
		uint32_t nargs;
		const char *out;
		int64_t ret;
	} cases[] = {
		{ "%d %u %x", { (uint64_t)-5, 7, 255 }, 3, "-5 7 ff", 8 },
		{ "%lld|%5d|%-4u|", { (uint64_t)-1, 42, 3 }, 3, "-1|   42|3   |", 15 },
		{ "%08X%%", { 0xbeef }, 1, "0000BEEF%", 10 },
		{ "%+d % d", { 3, 4 }, 2, "+3  4", 6 },
		{ "%c%c", { 'o', 'k' }, 2, "ok", 3 },
		{ "%lx", { 0x123456789abull }, 1, "123456789ab", 12 },
		{ "%d", { 0 }, 0, NULL, -EINVAL },		/* more conversions than args */
		{ "%.2d", { 1 }, 1, NULL, -EINVAL },		/* no precision */
		{ "%q", { 1 }, 1, NULL, -EINVAL },
		{ "%sx", { 0 }, 1, NULL, -EINVAL },		/* %s followed by a letter */
		{ "\x01", { 0 }, 0, NULL, -EINVAL },		/* not printable */
	};
	size_t i, k;

	FOR_EACH_ENGINE(k)
	{
		for (i = 0; i < UBF_ARRAY_SIZE(cases); i++) {
			struct call_mem m = { 0 };
			uint64_t r0 = 0;

			strcpy((char *)m.buf + 64, cases[i].fmt);
			memcpy(m.buf + 128, cases[i].args, sizeof(cases[i].args));
			m.a[0] = P(&m, 0);
			m.a[1] = 64;
			m.a[2] = P(&m, 64);
			m.a[3] = P(&m, 128);
			m.a[4] = cases[i].nargs * 8;
			ASSERT_OK(call5(&vm_engines[k], 165, &m, &r0, NULL));
			EXPECT_EQ_INT((int64_t)r0, cases[i].ret);
			if (cases[i].out)
				EXPECT_STREQ((char *)m.buf, cases[i].out);
		}
	}
}

/* %s reads a string; an unreadable one prints as empty (Linux); output is cut with a NUL. */
TEST(helpers_snprintf_strings_and_truncation)
{
	struct call_mem m = { 0 };
	uint64_t args[2], r0 = 0;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		memset(&m, 0, sizeof(m));
		strcpy((char *)m.buf + 64, "[%s][%s]");
		strcpy((char *)m.buf + 200, "net");
		args[0] = P(&m, 200);
		args[1] = dead_page();
		memcpy(m.buf + 128, args, sizeof(args));
		m.a[0] = P(&m, 0);
		m.a[1] = 5;
		m.a[2] = P(&m, 64);
		m.a[3] = P(&m, 128);
		m.a[4] = 16;
		ASSERT_OK(call5(&vm_engines[k], 165, &m, &r0, NULL));
		EXPECT_EQ_U64(r0, 8);	/* "[net][]" + NUL */
		EXPECT_STREQ((char *)m.buf, "[net");
		m.a[4] = 12;		/* not a multiple of 8 */
		ASSERT_OK(call5(&vm_engines[k], 165, &m, &r0, NULL));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
	}
}

/* trace_printk appends one trace_pipe line per call; more than 3 conversions is -EINVAL. */
TEST(helpers_trace_printk_writes_trace_pipe)
{
	char path[4096], *text = NULL, want[64];
	struct call_mem m = { 0 };
	uint64_t r0 = 0;
	size_t sz = 0;
	FILE *f;
	int n;

	snprintf(want, sizeof(want), "unit %d", getpid());
	strcpy((char *)m.buf, "unit %d\n");
	m.a[0] = P(&m, 0);
	m.a[1] = strlen("unit %d\n") + 1;
	m.a[2] = (uint64_t)getpid();
	ASSERT_OK(call5(&vm_engines[VM_INTERP_CHECKED], 6, &m, &r0, NULL));
	EXPECT_EQ_U64(r0, strlen(want) + 1);
	snprintf(path, sizeof(path), "%s/trace_pipe", ubf_pin_root());
	f = fopen(path, "r");
	ASSERT_TRUE(f != NULL);
	n = 0;
	while (getline(&text, &sz, f) > 0) {
		if (strstr(text, want) && strstr(text, ": bpf_trace_printk: ") &&
		    text[strlen(text) - 1] == '\n' && strstr(text, "] ..... "))
			n++;
	}
	fclose(f);
	free(text);
	EXPECT_TRUE(n >= 1);
	strcpy((char *)m.buf, "%d%d%d%d");
	m.a[1] = 9;
	ASSERT_OK(call5(&vm_engines[VM_INTERP_FAST], 6, &m, &r0, NULL));
	EXPECT_EQ_INT((int64_t)r0, -EINVAL);
	m.a[1] = 4;		/* no NUL within fmt_size */
	ASSERT_OK(call5(&vm_engines[VM_INTERP_FAST], 6, &m, &r0, NULL));
	EXPECT_EQ_INT((int64_t)r0, -EINVAL);
}

/* get_func_ip and get_attach_cookie read 0 outside a hook. */
TEST(helpers_func_ip_cookie_zero_in_test_run)
{
	struct call_mem m = { 0 };
	uint64_t r0 = 1;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		m.a[0] = P(&m, 0);
		ASSERT_OK(call5(&vm_engines[k], 173, &m, &r0, NULL));
		EXPECT_EQ_U64(r0, 0);
		r0 = 1;
		ASSERT_OK(call5(&vm_engines[k], 174, &m, &r0, NULL));
		EXPECT_EQ_U64(r0, 0);
	}
}

/* csum_diff: 32-bit one's-complement sum of ~from and to, seeded; sizes multiple of 4. */
TEST(helpers_csum_diff)
{
	struct call_mem m = { 0 };
	uint32_t from = 0x0a000001, to = 0x0a000002;
	uint64_t r0 = 0;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		memcpy(m.buf, &from, 4);
		memcpy(m.buf + 4, &to, 4);
		m.a[0] = P(&m, 0);
		m.a[1] = 4;
		m.a[2] = P(&m, 4);
		m.a[3] = 4;
		m.a[4] = 0;
		ASSERT_OK(call5(&vm_engines[k], 28, &m, &r0, NULL));
		/* ~0x0a000001 + 0x0a000002 = 0xf5fffffe + 0x0a000002 = 0x1_00000000 -> 1 */
		EXPECT_EQ_U64(r0, 1);
		m.a[0] = 0;
		m.a[1] = 0;
		m.a[4] = 0xffffffff00000005ull;	/* only the low 32 bits seed */
		ASSERT_OK(call5(&vm_engines[k], 28, &m, &r0, NULL));
		EXPECT_EQ_U64(r0, 0x0a000007);
		m.a[3] = 6;
		ASSERT_OK(call5(&vm_engines[k], 28, &m, &r0, NULL));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
	}
}

/* ---- packet helpers on a hand-built XDP context ---- */

struct xdp_ctx {
	struct xdp_md md;
	struct ubf_pkt_tag tag;
	struct ubf_pkt pkt;
	uint8_t *page;
};

static void xdp_ctx_init(struct xdp_ctx *x, size_t len)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	for (i = 0; i < len; i++)
		x->page[256 + i] = (uint8_t)i;
	x->pkt.hard_start = x->page;
	x->pkt.hard_end = x->page + 4096 - 320;
	x->pkt.data_meta = x->pkt.data = x->page + 256;
	x->pkt.data_end = x->page + 256 + len;
	x->pkt.ctx = &x->md;
	x->tag = (struct ubf_pkt_tag){ UBF_PKT_XDP_MAGIC, (uint64_t)(uintptr_t)&x->md, &x->pkt };
	x->md.data = (uint32_t)(uintptr_t)x->pkt.data;
	x->md.data_end = (uint32_t)(uintptr_t)x->pkt.data_end;
	x->md.data_meta = x->md.data;
}

/* Run @t with r1 = the context; checked runs get the packet as a region. */
static int xdp_run(const struct vm_engine *e, const struct tinsn *t, size_t cnt,
		   struct xdp_ctx *x, uint64_t *r0)
{
	struct ubf_region region = { x->pkt.data_meta,
				     (size_t)(x->pkt.data_end - x->pkt.data_meta), true };
	struct ubf_run_opts ropts = { .sz = sizeof(ropts), .regions = &region, .region_cnt = 1 };
	struct ubf_prog *prog = NULL;
	int err = vm_load(&prog, e, t, cnt, NULL, 0, NULL);

	if (err)
		return err;
	err = vm_run_prog(e, prog, &x->md, sizeof(x->md), r0, &ropts);
	ubf_prog_free(prog);
	return err;
}

/*
 * adjust_head(+14), then a direct packet read through the new ctx->data
 * (a 32-bit load of the field, as clang emits it): the byte at the new
 * start.  Linux's limits: -EINVAL below the xdp_frame or past data_end - 14.
 */
TEST(helpers_xdp_adjust_head_and_direct_access)
{
	struct xdp_ctx x;
	uint64_t r0 = 0;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		struct tinsn t[] = {
			MOV_X(6, 1),	      MOV_K(2, 14),	    CALL(44),
			JMP_K(JNE64_IMM, 0, 0, 3), MEM(LDXW, 2, 6, 0), MEM(LDXB, 0, 2, 0),
			EXIT(),		      ALU_K(ADD64_IMM, 0, 1000), EXIT(),
		};
		xdp_ctx_init(&x, 64);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_U64(r0, 14);
		EXPECT_TRUE(x.pkt.data == x.page + 256 + 14);
		munmap(x.page, 4096);

		xdp_ctx_init(&x, 64);
		t[1] = (struct tinsn)MOV_K(2, -(256 - 40 + 1));
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)(r0 - 1000), -EINVAL);
		t[1] = (struct tinsn)MOV_K(2, 64 - 14 + 1);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)(r0 - 1000), -EINVAL);
		/* Grow into the headroom: the new first bytes are readable (region moved). */
		t[1] = (struct tinsn)MOV_K(2, -16);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_U64(r0, 0);
		munmap(x.page, 4096);
	}
}

/* adjust_tail grows (zeroed) up to the frame minus tailroom and shrinks to ETH_HLEN. */
TEST(helpers_xdp_adjust_tail)
{
	struct xdp_ctx x;
	uint64_t r0 = 0;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		struct tinsn t[] = { MOV_K(2, 10), CALL(65), EXIT() };

		xdp_ctx_init(&x, 64);
		x.page[256 + 64] = 0x77;
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_U64(r0, 0);
		EXPECT_EQ_INT(x.pkt.data_end - x.pkt.data, 74);
		EXPECT_EQ_INT(x.page[256 + 64], 0);
		EXPECT_EQ_U64(x.md.data_end, (uint32_t)(uintptr_t)x.pkt.data_end);
		t[0] = (struct tinsn)MOV_K(2, -61);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		t[0] = (struct tinsn)MOV_K(2, 4096);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		munmap(x.page, 4096);
	}
}

/* adjust_meta: multiples of 4 up to 32 bytes (-EACCES otherwise). */
TEST(helpers_xdp_adjust_meta)
{
	struct xdp_ctx x;
	uint64_t r0 = 0;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		struct tinsn t[] = { MOV_K(2, -8), CALL(54), EXIT() };

		xdp_ctx_init(&x, 64);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_U64(r0, 0);
		EXPECT_EQ_INT(x.pkt.data - x.pkt.data_meta, 8);
		t[0] = (struct tinsn)MOV_K(2, -2);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EACCES);
		t[0] = (struct tinsn)MOV_K(2, -28);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EACCES);
		t[0] = (struct tinsn)MOV_K(2, 12);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		munmap(x.page, 4096);
	}
}

/* xdp_load_bytes / xdp_store_bytes through the stack; bounds as Linux. */
TEST(helpers_xdp_load_store_bytes)
{
	struct xdp_ctx x;
	uint64_t r0 = 0;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		struct tinsn t[] = {
			MOV_X(6, 1),	   MOV_K(2, 4),		MOV_X(3, 10), ALU_K(ADD64_IMM, 3, -8),
			MOV_K(4, 4),	   CALL(189),		JMP_K(JNE64_IMM, 0, 0, 9),
			MEM(LDXW, 7, 10, -8), ST_K(STW, 10, -8, 0x11223344), MOV_X(1, 6),
			MOV_K(2, 0),	   MOV_X(3, 10),	ALU_K(ADD64_IMM, 3, -8), MOV_K(4, 4),
			CALL(190),	   MOV_X(0, 7),		EXIT(),
		};
		xdp_ctx_init(&x, 64);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_U64(r0, 0x07060504);
		EXPECT_EQ_INT(x.page[256], 0x44);
		EXPECT_EQ_INT(x.page[259], 0x11);
		t[1] = (struct tinsn)MOV_K(2, 61);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		t[1] = (struct tinsn)MOV_K(2, 0x10000);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EFAULT);
		munmap(x.page, 4096);
	}
}

/* A packet helper given a pointer that is not the run's context answers -EINVAL. */
TEST(helpers_pkt_rejects_foreign_ctx)
{
	struct call_mem m = { 0 };
	uint64_t r0 = 0;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		m.a[0] = P(&m, 0);
		m.a[1] = 4;
		ASSERT_OK(call5(&vm_engines[k], 44, &m, &r0, NULL));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		m.a[0] = 1;
		m.a[1] = 0;
		ASSERT_OK(call5(&vm_engines[k], 23, &m, &r0, NULL));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
	}
}

/* redirect on XDP: XDP_REDIRECT with the ifindex recorded, XDP_ABORTED for any flag. */
TEST(helpers_xdp_redirect)
{
	struct xdp_ctx x;
	uint64_t r0 = 0;
	size_t k;

	FOR_EACH_ENGINE(k)
	{
		struct tinsn t[] = { MOV_K(1, 7), MOV_K(2, 0), CALL(23), EXIT() };

		xdp_ctx_init(&x, 64);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_U64(r0, XDP_REDIRECT);
		EXPECT_EQ_U64(x.pkt.redirect_ifindex, 7);
		t[1] = (struct tinsn)MOV_K(2, 1);
		ASSERT_OK(xdp_run(&vm_engines[k], t, UBF_ARRAY_SIZE(t), &x, &r0));
		EXPECT_EQ_U64(r0, XDP_ABORTED);
		munmap(x.page, 4096);
	}
}
