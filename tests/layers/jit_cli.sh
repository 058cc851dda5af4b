#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# jit_cli.sh - `userbpf jit`, the native-code listing: every BPF instruction
# index appears with its disassembly and the x86-64 code under it (bytes and
# capstone's mnemonics), the listing covers the whole code from offset 0 to
# the size in its header without gaps or overlaps (which checks
# ubf_prog_jit_insn_off() against ubf_prog_jit_code()), over a hand-written
# program and the whole conformance suite; option and input errors.  A CLI
# built without capstone must say so and exit 2; the listing cases are then
# skipped and counted.  Execution cases need an x86-64 host.
set -u
LAYER=jit_cli
dir=${CONFORMANCE_DIR:-../shared/conformance}
. "$(dirname "$0")/../harness/layer.bash"

check "help lists jit" 0 '^  jit ' - "$cli" help

"$cli" jit --help >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 2 ] && grep -q 'built without capstone' "$tmp/err"; then
	check "jit without capstone" 2 - '^userbpf: jit: built without capstone \(install libcapstone-dev\)$' \
		"$cli" jit /dev/null
	skipped "userbpf built without capstone: 12 jit cases"
	skip=$((skip + 11))
	summary
fi
check "jit --help" 0 '^usage: userbpf jit FILE' - "$cli" jit --help

# ---------------------------------------------------------------- errors
check "jit missing FILE" 2 - '^userbpf: jit: missing FILE' "$cli" jit
check "jit bad --syntax" 2 - "^userbpf: jit: --syntax must be llvm or conformance, not 'att'" \
	"$cli" jit --syntax=att /dev/null
printf 'mov %%r0, 1\nexit\n' >"$tmp/one.asm"
check "jit --section on assembly" 2 - "--section applies to ELF objects" \
	"$cli" jit "$tmp/one.asm" --section xdp
# A jump past the end: rejected at load, with the instruction named.
printf 'mov %%r0, 1\nja +5\nexit\n' >"$tmp/bad.asm"
check "jit rejected program" 1 - "^userbpf: jit: $tmp/bad\.asm: insn 1: " "$cli" jit "$tmp/bad.asm"

if [ "$(uname -m)" != x86_64 ]; then
	skipped "not an x86-64 host: 7 listing cases"
	skip=$((skip + 6))
	summary
fi

# covers FILE: the listing's native lines tile [0, code size) exactly.
covers() {
	awk '
	function hex(s,    i, v) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	NR == 1 { if (match($0, /, [0-9]+ bytes of /)) size = substr($0, RSTART + 2, RLENGTH - 12) + 0 }
	/^    0x[0-9a-f]+: / {
		off = hex(substr($1, 3, length($1) - 3))
		n = 0
		for (i = 2; i <= NF && $i ~ /^[0-9a-f][0-9a-f]$/; i++)
			n++
		if (off != next_off) { printf "gap or overlap at 0x%x (expected 0x%x)\n", off, next_off; bad = 1 }
		next_off = off + n
	}
	END {
		if (next_off != size) { printf "listing ends at 0x%x, code is %d bytes\n", next_off, size; bad = 1 }
		exit bad
	}' "$1"
}

# ---------------------------------------------------------------- a simple program
printf 'mov %%r0, 1\nadd %%r0, %%r1\nlddw %%r2, 0x123456789\njeq %%r1, 0, +1\nmov %%r0, 7\nexit\n' \
	>"$tmp/p.asm"
check "jit simple: mov eax" 0 '^    0x[0-9a-f]{4}: b8 01 00 00 00 +mov eax, 1$' - \
	"$cli" jit "$tmp/one.asm" --unchecked
check "jit simple: ret" 0 '^    0x[0-9a-f]{4}: c3 +ret$' - "$cli" jit "$tmp/one.asm" --unchecked
check "jit header" 0 "^$tmp/one\\.asm: 2 instructions, [0-9]+ bytes of x86-64 code, checked$" - \
	"$cli" jit "$tmp/one.asm"
"$cli" jit "$tmp/p.asm" >"$tmp/p.out" 2>&1
got=$(grep -oE '^[0-9]+: ' "$tmp/p.out" | tr -d ': ' | tr '\n' ' ')
if [ "$got" = "0 1 2 4 5 6 " ] && grep -q '^prologue:$' "$tmp/p.out" &&
	grep -q '^epilogue and out-of-line stubs:$' "$tmp/p.out" &&
	grep -qE '^2: r2 = 4886718345 ll$' "$tmp/p.out" &&
	grep -qE 'movabs rsi, 0x123456789$' "$tmp/p.out"; then
	ok
else
	bad "jit listing: indexes '$got', expected '0 1 2 4 5 6 ' with headings; got: $(head -c 600 "$tmp/p.out")"
fi
if msg=$(covers "$tmp/p.out"); then ok; else bad "jit checked listing does not tile the code: $msg"; fi
"$cli" jit "$tmp/p.asm" --unchecked --syntax=conformance >"$tmp/pu.out" 2>&1
if grep -q '^0: mov %r0, 1$' "$tmp/pu.out" && msg=$(covers "$tmp/pu.out"); then
	ok
else
	bad "jit --unchecked --syntax=conformance: $msg $(head -c 400 "$tmp/pu.out")"
fi

# ---------------------------------------------------------------- the conformance suite
# Every program the JIT accepts lists the same indexes as disasm, and tiles its code.
shopt -s nullglob
files=("$dir"/tests/*.data)
if [ ${#files[@]} -eq 0 ]; then
	skipped "no conformance files under $dir/tests: suite case"
else
	listed=0 rejected=0 errs=0
	for f in "${files[@]}"; do
		if "$cli" jit "$f" >"$tmp/c.out" 2>"$tmp/c.err"; then
			listed=$((listed + 1))
			want=$("$cli" disasm "$f" | grep -oE '^[0-9]+: ' | tr '\n' ' ')
			got=$(grep -oE '^[0-9]+: ' "$tmp/c.out" | tr '\n' ' ')
			if [ "$want" != "$got" ]; then
				errs=$((errs + 1))
				echo "  $f: jit lists indexes '$got', disasm '$want'"
			elif ! msg=$(covers "$tmp/c.out"); then
				errs=$((errs + 1))
				echo "  $f: $msg"
			fi
		elif grep -qE "^userbpf: jit: $f: " "$tmp/c.err"; then
			rejected=$((rejected + 1))
		else
			errs=$((errs + 1))
			echo "  $f: failed without a located error: $(head -c 200 "$tmp/c.err")"
		fi
	done
	if [ "$errs" -eq 0 ] && [ "$listed" -gt 0 ]; then
		ok
	else
		bad "conformance suite: $errs of ${#files[@]} listings wrong ($listed listed, $rejected rejected)"
	fi
fi

summary
