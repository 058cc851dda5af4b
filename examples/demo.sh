#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# demo.sh CLI - the userbpf demo (`make demo`): assemble checksum.s, show its
# disassembly, run it on a bundled IPv4 header and check the result against
# the checksum the sender computed; with clang, also build checksum.bpf.c
# for -target bpf and run the ELF object, and load an XDP object with a BTF
# map through libbpf (`userbpf prog load`), run it and dump the map.  Needs
# only the CLI (and clang for the C parts, which are skipped without it).  Exit status 1 on any mismatch.
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

if command -v "$clang" >/dev/null 2>&1; then
	# The object model: libbpf (routed to userbpf's bpf(2)) loads a real object
	# with a BTF map; pins live under UBF_PIN_ROOT and outlive each command.
	export UBF_PIN_ROOT=$tmp/pins
	echo "== an XDP object with a BTF hash map, through libbpf: $clang -O2 -g -target bpf"
	# <linux/bpf.h> includes <asm/types.h> from the host's multiarch directory
	multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
	"$clang" -O2 -g -target bpf -I"/usr/include/$multiarch" -c "$here/ipv4_count.bpf.c" \
		-o "$tmp/ipv4_count.bpf.o"
	"$cli" prog load "$tmp/ipv4_count.bpf.o" /sys/fs/bpf/ipv4_count
	echo "   $cli prog show pinned /sys/fs/bpf/ipv4_count"
	"$cli" prog show pinned /sys/fs/bpf/ipv4_count | sed 's/^/   /'
	# an Ethernet frame: two MAC addresses, type 0x0800, then the IPv4 header
	{ printf '\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00'
	  cat "$input"; } >"$tmp/frame.bin"
	echo "   $cli prog run pinned /sys/fs/bpf/ipv4_count data_in frame.bin repeat 1000"
	out=$("$cli" prog run pinned /sys/fs/bpf/ipv4_count data_in "$tmp/frame.bin" repeat 1000)
	echo "$out" | sed 's/^/   /'
	echo "   $cli map dump name counts   (key: IP protocol, 17 = UDP)"
	dump=$("$cli" map dump name counts)
	echo "$dump" | sed 's/^/   /'
	if ! grep -q '^Return value: 2,' <<<"$out" ||
	   ! grep -q '"key": 17,' <<<"$dump" || ! grep -q '"value": 1000' <<<"$dump"; then
		echo "   MISMATCH: expected XDP_PASS (2) and 1000 UDP packets counted"
		exit 1
	fi
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
