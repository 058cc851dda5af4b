// SPDX-License-Identifier: BSD-2-Clause
/*
 * checksum.bpf.c - the Internet checksum (RFC 1071) of the memory a
 * program is given (r1 = data, r2 = length): the ones' complement of the
 * ones' complement sum of the 16-bit big-endian words, an odd last byte
 * padded with zero.  The same function as checksum.s, for clang:
 *   clang -O2 -target bpf -c checksum.bpf.c -o checksum.bpf.o
 * It is the only function in its section, so `userbpf run --section
 * checksum` finds it; it needs no helpers, maps or relocations.
 */

__attribute__((section("checksum"), used))
unsigned long long ip_checksum(const unsigned char *data, unsigned long long len)
{
	unsigned long long sum = 0, i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (unsigned long long)data[i] << 8 | data[i + 1];
	if (len & 1)
		sum += (unsigned long long)data[len - 1] << 8;
	/* Fold the carries back in (RFC 1071 section 4.1). */
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}
