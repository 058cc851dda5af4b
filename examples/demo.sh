#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# demo.sh CLI - the userbpf demo (`make demo`): assemble checksum.s, show its
# disassembly, run it on a bundled IPv4 header and check the result against
# the checksum the sender computed; with clang, also build checksum.bpf.c
# for -target bpf and run the ELF object.  Needs only the CLI (and clang for
# the C part, which is skipped without it).  Exit status 1 on any mismatch.
set -euo pipefail
cli=${1:-build/bin/userbpf}
clang=${CLANG:-clang}
here=$(dirname "$0")
input=$here/ipv4-header.bin
expected=0xb861	# the checksum field of the captured header, zeroed in $input
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

r0_hex() {	# "r0 = 47201 (0xb861)" -> 0xb861
	sed -E 's/^r0 = [0-9]+ \((0x[0-9a-f]+)\)$/\1/'
}

echo "== assemble $here/checksum.s: the Internet checksum (RFC 1071) of r1[0..r2)"
"$cli" asm "$here/checksum.s" -o "$tmp/checksum.bin"
echo "   $(($(wc -c <"$tmp/checksum.bin") / 8)) instructions, $(wc -c <"$tmp/checksum.bin") bytes of bytecode"

echo "== disassemble it (LLVM syntax)"
"$cli" disasm "$tmp/checksum.bin" | sed 's/^/   /'

echo "== run it on $input: a $(wc -c <"$input")-byte IPv4 header, checksum field zeroed"
out=$("$cli" run "$tmp/checksum.bin" --mem "$input")
echo "   $out"
got=$(echo "$out" | r0_hex)
if [ "$got" != "$expected" ]; then
	echo "   MISMATCH: the sender's checksum was $expected"
	exit 1
fi
echo "   matches the checksum the sender put in the header ($expected)"

if command -v "$clang" >/dev/null 2>&1; then
	echo "== the same function in C: $clang -O2 -target bpf -c $here/checksum.bpf.c"
	"$clang" -O2 -target bpf -c "$here/checksum.bpf.c" -o "$tmp/checksum.bpf.o"
	echo "   $("$cli" disasm "$tmp/checksum.bpf.o" | grep -c '^[0-9]*:') instructions in section checksum"
	out=$("$cli" run "$tmp/checksum.bpf.o" --section checksum --mem "$input")
	echo "   $out"
	if [ "$(echo "$out" | r0_hex)" != "$expected" ]; then
		echo "   MISMATCH: the assembly version gave $expected"
		exit 1
	fi
else
	echo "== ($clang not found: the C version is skipped)"
fi

echo "== time the assembly version on each engine: $cli run --bench --engine E"
for engine in interp jit; do
	if out=$("$cli" run "$tmp/checksum.bin" --mem "$input" --engine "$engine" --bench \
		--repeat 200000 --trials 3 2>&1); then
		echo "   $engine: $out"
	else
		echo "   $engine: not available here (${out##*: })"
	fi
done
