// SPDX-License-Identifier: BSD-2-Clause
/*
 * basics.bpf.c - ordinary code for tests/layers/llvm.sh to disassemble and
 * compare with llvm-objdump: loops, a switch, 64-bit and 32-bit arithmetic,
 * byte swaps, loads and stores of every size (from the stack, a context and
 * global data), calls to static noinline functions and helper calls.  It is
 * built at -mcpu=v1, v2 and v3; it is never loaded or run.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

/* Helpers by number, as Linux's bpf_helper_defs.h declares them. */
static void *(*map_lookup_elem)(void *map, const void *key) = (void *)1;
static u64 (*ktime_get_ns)(void) = (void *)5;
static long (*trace_printk)(const char *fmt, u32 fmt_size, ...) = (void *)6;

struct ctx {
	u8 b;
	u16 h;
	u32 w;
	u64 dw;
	u8 buf[32];
};

u64 counter;
u32 table[16] = { 1, 2, 3, 5, 8, 13, 21, 34 };
static const char fmt[] = "v=%llu\n";
char map_stub[64];

static __attribute__((noinline)) u64 mix(u64 a, u64 b)
{
	a ^= b >> 7;
	a *= 0x9e3779b97f4a7c15ULL;
	return a + (b << 13) - (a >> 3);
}

static __attribute__((noinline)) u32 checksum(const u8 *p, u32 n)
{
	u32 sum = 0, i;

	for (i = 0; i < n && i < 32; i++)
		sum = (sum << 1 | sum >> 31) + p[i];
	return sum;
}

static __attribute__((noinline)) s64 classify(s64 v)
{
	switch (v & 7) {
	case 0:
		return v / 3 > 10 ? -1 : 1;
	case 1:
		return (s64)((u64)v % 10);
	case 2:
		return v >> 2;
	case 3:
		return v < -100 ? v : -v;
	case 5:
		return (u32)v / 7u;
	default:
		return 42;
	}
}

__attribute__((section("tc"), used)) int basics(struct ctx *ctx)
{
	u64 acc = ctx->dw, *slot;
	u32 key = ctx->w & 15, i;
	u16 h = __builtin_bswap16(ctx->h);
	u8 local[16];

	for (i = 0; i < sizeof(local); i++)
		local[i] = (u8)(ctx->buf[i] ^ i);
	acc += checksum(local, sizeof(local)) + h;
	acc = mix(acc, __builtin_bswap64(acc)) + __builtin_bswap32(ctx->w);
	acc += (u64)classify((s64)acc);
	acc += table[key] * 3u;
	if (acc > 1000000 && ctx->b != 0)
		acc /= ctx->b;
	slot = map_lookup_elem(map_stub, &key);
	if (slot)
		*slot += acc;
	counter += ktime_get_ns();
	ctx->b = (u8)acc;
	ctx->h = (u16)(acc >> 8);
	ctx->w = (u32)(acc >> 16);
	ctx->dw = acc ^ counter;
	if ((s64)acc < 0)
		trace_printk(fmt, sizeof(fmt), acc);
	return (int)(acc & 0x7fffffff);
}
