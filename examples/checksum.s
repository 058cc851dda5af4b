# SPDX-License-Identifier: BSD-2-Clause
# checksum.s - the Internet checksum (RFC 1071) of the memory a program is
# given (r1 = data, r2 = length), in the conformance suite's assembly
# syntax: sum the 16-bit big-endian words, pad an odd last byte with zero,
# fold the carries back in, return the ones' complement.  checksum.bpf.c is
# the same function in C.
	mov %r0, 0
	mov %r3, 0
# r0 = sum, r3 = offset of the next word
words:
	mov %r4, %r3
	add %r4, 2
	jgt %r4, %r2, tail
	mov %r5, %r1
	add %r5, %r3
	ldxh %r6, [%r5+0]
	be16 %r6
	add %r0, %r6
	mov %r3, %r4
	ja words
# at most one byte is left
tail:
	jge %r3, %r2, fold
	mov %r5, %r1
	add %r5, %r3
	ldxb %r6, [%r5+0]
	lsh %r6, 8
	add %r0, %r6
fold:
	mov %r4, %r0
	rsh %r4, 16
	jeq %r4, 0, done
	and %r0, 0xffff
	add %r0, %r4
	ja fold
done:
	xor %r0, 0xffff
	exit
