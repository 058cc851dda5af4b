// SPDX-License-Identifier: BSD-2-Clause
/*
 * atomics.bpf.c - every atomic read-modify-write clang emits (add, or, and,
 * xor with and without fetch, xchg, cmpxchg, on 32 and 64 bits), with ALU32
 * and JMP32 code around them, for tests/layers/llvm.sh.  Built at -mcpu=v3
 * only: older CPUs have no fetch forms.
 *
 * llvm-layer cpus: v3
 */
typedef unsigned int u32;
typedef unsigned long long u64;

u64 stats[4];
u32 flags;

__attribute__((section("xdp"), used)) int atomics(u64 *p, u32 *q)
{
	u64 old64 = __sync_fetch_and_add(&p[0], 1);
	u32 old32 = __sync_fetch_and_add(&q[0], 2);

	__sync_fetch_and_add(&stats[0], old64);
	__sync_fetch_and_add(&flags, 1);
	old64 += __sync_fetch_and_or(&p[1], 0x10);
	old32 += __sync_fetch_and_or(&q[1], 0x20);
	old64 += __sync_fetch_and_and(&p[2], ~0xfULL);
	old32 += __sync_fetch_and_and(&q[2], ~0xfu);
	old64 += __sync_fetch_and_xor(&p[3], old32);
	old32 += __sync_fetch_and_xor(&q[3], (u32)old64);
	__sync_fetch_and_or(&stats[1], 1);
	__sync_fetch_and_and(&stats[2], 3);
	__sync_fetch_and_xor(&stats[3], 5);
	__sync_fetch_and_or(&flags, 4);
	__sync_fetch_and_and(&flags, 6);
	__sync_fetch_and_xor(&flags, 8);
	old64 += __sync_lock_test_and_set(&p[4], old64);
	old32 += __sync_lock_test_and_set(&q[4], old32);
	old64 += __sync_val_compare_and_swap(&p[5], old64, 7);
	old32 += __sync_val_compare_and_swap(&q[5], old32, 9);
	if (old32 > 100 && (int)old32 < 1000)
		return (int)(old64 >> 3);
	return (int)(old32 * 5 - (u32)old64);
}
