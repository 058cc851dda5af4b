// SPDX-License-Identifier: BSD-2-Clause
/*
 * packet.bpf.c - classic packet loads (ld_abs and ld_ind, through LLVM's
 * llvm.bpf.load.* intrinsics) and 64-bit constants, for tests/layers/llvm.sh:
 * a filter for IPv4 packets to 127.0.0.1.
 */
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

__attribute__((section("socket"), used)) int packet(void *skb)
{
	unsigned long long ihl, dst;

	if (load_half(skb, 12) != 0x0800)
		return 0;
	ihl = (load_byte(skb, 14) & 0xf) * 4;
	dst = load_word(skb, 14 + 16);
	if (dst == 0x7f000001)
		return -1;
	return (int)load_half(skb, 14 + ihl + 2) ^ (int)(dst * 0x100000001ULL >> 7);
}
