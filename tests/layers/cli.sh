#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# cli.sh - the userbpf command line as a user sees it: exit codes (0 ok,
# 1 rejected or failed, 2 usage or unreadable input), the error format
# "userbpf: CMD: FILE: WHERE: ID: message" for bad files, bad assembly
# (line:col), bad instructions and faults (insn N), run output and --bench
# output, disasm of raw, assembly, .data and ELF input (ELF cases need
# clang: skipped and counted without it), asm -> disasm -> asm round trips
# over the whole conformance suite in both syntaxes, and the isa table.
set -u
LAYER=cli
CLANG=${CLANG:-clang}
dir=${CONFORMANCE_DIR:-../shared/conformance}
. "$(dirname "$0")/../harness/layer.bash"

# bin HEX FILE: write the bytes HEX spells to FILE.
bin() {
	printf "$(echo -n "$1" | sed -E 's/(..)/\\x\1/g')" >"$2"
}

# ---------------------------------------------------------------- usage and help
check "no arguments" 2 - '^usage: userbpf' "$cli"
check "unknown command" 2 - "^userbpf: unknown command 'frob'" "$cli" frob
check "help" 0 '^  run ' - "$cli" help
check "--help" 0 '^commands:' - "$cli" --help
check "help unknown" 2 - "^userbpf: help: unknown command 'frob'" "$cli" help frob
for c in run disasm asm isa plugin version help; do
	check "help $c" 0 "^usage: userbpf $c" - "$cli" help "$c"
	check "$c --help" 0 "^usage: userbpf $c" - "$cli" "$c" --help
done
if cmp -s <("$cli" help run) <("$cli" run --help); then ok; else bad "help run differs from run --help"; fi
check "version" 0 '^userbpf [0-9]+\.[0-9]+\.[0-9]+' - "$cli" version
check "run without FILE" 2 - '^userbpf: run: missing FILE' "$cli" run
check "unknown option" 2 - "^userbpf: run: unknown option '--frob'" "$cli" run --frob x
check "option without value" 2 - "^userbpf: run: option needs a value: '--mem'" "$cli" run x --mem
check "flag with value" 2 - "^userbpf: run: option takes no value: '--bench=1'" "$cli" run x --bench=1
check "two files" 2 - "^userbpf: disasm: unexpected argument 'b'" "$cli" disasm a b

# ---------------------------------------------------------------- inputs that cannot be read
check "missing file" 2 - "^userbpf: run: $tmp/none\.bin: cannot open: " "$cli" run "$tmp/none.bin"
check "directory" 2 - "^userbpf: disasm: $tmp: cannot read: " "$cli" disasm "$tmp"
check "missing --mem file" 2 - "^userbpf: run: $tmp/none: cannot open: " "$cli" run - --mem "$tmp/none"
bin 00000000000000000000 "$tmp/odd.bin"
check "not a program" 1 - "^userbpf: disasm: $tmp/odd\.bin: not an ELF object, text, or raw bytecode" \
	"$cli" disasm "$tmp/odd.bin"

# ---------------------------------------------------------------- run
bin b7000000030000009500000000000000 "$tmp/three.bin"		# r0 = 3; exit
check "run prints r0" 0 '^r0 = 3 \(0x3\)$' - "$cli" run "$tmp/three.bin"
if [ "$("$cli" run "$tmp/three.bin" | wc -l)" -eq 1 ]; then ok; else bad "run prints more than one line"; fi
bin 18000000ffffffff00000000ffffffff9500000000000000 "$tmp/minus1.bin"	# lddw r0, -1
check "run r0 is unsigned" 0 '^r0 = 18446744073709551615 \(0xffffffffffffffff\)$' - \
	"$cli" run "$tmp/minus1.bin"
check "run from stdin" 0 '^r0 = 3 \(0x3\)$' - bash -c "\"$cli\" run - <\"$tmp/three.bin\""
check "run --unchecked" 0 '^r0 = 3 \(0x3\)$' - "$cli" run "$tmp/three.bin" --unchecked
check "run --engine interp" 0 '^r0 = 3 \(0x3\)$' - "$cli" run --engine interp "$tmp/three.bin"
"$cli" run --engine=jit "$tmp/three.bin" >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -eq 0 ] && grep -qx 'r0 = 3 (0x3)' "$tmp/out"; then ok
elif [ $st -eq 1 ] && grep -Eq "^userbpf: run: $tmp/three\.bin: .+" "$tmp/err"; then
	echo "cli: no JIT on this host: $(cat "$tmp/err")"
	ok
else
	bad "run --engine=jit: status $st, $(cat "$tmp/out" "$tmp/err")"
fi
check "bad engine" 2 - "^userbpf: run: --engine must be interp or jit" "$cli" run "$tmp/three.bin" --engine x
check "--repeat needs --bench" 2 - '^userbpf: run: --repeat and --trials need --bench' \
	"$cli" run "$tmp/three.bin" --repeat 5
check "--repeat 0" 2 - "^userbpf: run: --repeat needs a positive integer, not '0'" \
	"$cli" run "$tmp/three.bin" --bench --repeat 0
check "--section on raw" 2 - '^userbpf: run: .*--section applies to ELF objects' \
	"$cli" run "$tmp/three.bin" --section x

# r0 = r2 (the memory's length); exit.  ldxb r0, [r1+2]; exit.
bin bf200000000000009500000000000000 "$tmp/len.bin"
bin 71100200000000009500000000000000 "$tmp/byte2.bin"
bin aabb11ccdd "$tmp/mem5"
check "run --mem: r2 is the length" 0 '^r0 = 5 \(0x5\)$' - "$cli" run "$tmp/len.bin" --mem "$tmp/mem5"
check "run --mem: r1 points at it" 0 '^r0 = 17 \(0x11\)$' - "$cli" run "$tmp/byte2.bin" --mem "$tmp/mem5"
check "run without memory" 0 '^r0 = 0 \(0x0\)$' - "$cli" run "$tmp/len.bin"

# r0 = 0; r0 = *(u64 *)(r1 + 64); exit: a fault in the checked mode.
bin b70000000000000079104000000000009500000000000000 "$tmp/fault.bin"
check "fault names insn and address" 1 - \
	"^userbpf: run: $tmp/fault\.bin: insn 1: run\.[a-z_.]+: .*0x[0-9a-f]+" \
	"$cli" run "$tmp/fault.bin" --mem "$tmp/mem5"
# r0 = 0 with src = 1 (a reserved field); exit.
bin b7000000000000009500000000000000b7100000000000009500000000000000 "$tmp/reserved.bin"
check "bad instruction names insn" 1 - \
	"^userbpf: run: $tmp/reserved\.bin: insn 2: insn\.reserved_field: " "$cli" run "$tmp/reserved.bin"

check "--bench format" 0 '^ns_per_run=[0-9]+(\.[0-9]+)? result=3$' - \
	"$cli" run "$tmp/three.bin" --bench --repeat 1000 --trials 3
if [ "$("$cli" run "$tmp/three.bin" --bench --repeat 10 --trials 2 | wc -l)" -eq 1 ]; then ok; else
	bad "--bench prints more than one line"
fi
check "--bench reports faults" 1 - "insn 1: run\." "$cli" run "$tmp/fault.bin" --bench --repeat 10

# ---------------------------------------------------------------- assembly
printf 'mov %%r0, 1\n  frob %%r1, 2\nexit\n' >"$tmp/bad.s"
check "bad assembly names line:col" 1 - "^userbpf: asm: $tmp/bad\.s: 2:[0-9]+: [a-z_]+\.[a-z_.]+: " \
	"$cli" asm "$tmp/bad.s" -o "$tmp/bad.bin"
check "bad assembly in run" 1 - "^userbpf: run: $tmp/bad\.s: 2:[0-9]+: " "$cli" run "$tmp/bad.s"
printf 'mov %%r0, 3\nexit\n' >"$tmp/three.s"
check "asm -o" 0 - - "$cli" asm "$tmp/three.s" -o "$tmp/three-asm.bin"
if cmp -s "$tmp/three.bin" "$tmp/three-asm.bin"; then ok; else bad "asm output differs from the encoding"; fi
"$cli" asm "$tmp/three.s" >"$tmp/three-stdout.bin" 2>"$tmp/err"
if cmp -s "$tmp/three.bin" "$tmp/three-stdout.bin"; then ok; else bad "asm to stdout differs from -o"; fi
check "asm reads stdin" 0 - - bash -c "\"$cli\" asm - -o \"$tmp/three-stdin.bin\" <\"$tmp/three.s\""
if cmp -s "$tmp/three.bin" "$tmp/three-stdin.bin"; then ok; else bad "asm from stdin differs"; fi
check "asm rejects raw input" 1 - "^userbpf: asm: $tmp/three\.bin: this is raw bytecode, not assembly text" \
	"$cli" asm "$tmp/three.bin"
check "asm to an unwritable file" 2 - "^userbpf: asm: $tmp/no/such\.bin: cannot open for writing" \
	"$cli" asm "$tmp/three.s" -o "$tmp/no/such.bin"
check "run assembly" 0 '^r0 = 3 \(0x3\)$' - "$cli" run "$tmp/three.s"

# ---------------------------------------------------------------- disasm
check "disasm raw" 0 '^1: exit$' - "$cli" disasm "$tmp/three.bin"
"$cli" disasm "$tmp/minus1.bin" >"$tmp/out"
if [ "$(cut -d: -f1 "$tmp/out" | tr '\n' ' ')" = "0 2 " ]; then ok; else
	bad "disasm of lddw; exit: indexes are not 0 and 2: $(cat "$tmp/out")"
fi
"$cli" disasm "$tmp/three.s" >"$tmp/from-asm" 2>&1
"$cli" disasm "$tmp/three.bin" >"$tmp/from-raw" 2>&1
if cmp -s "$tmp/from-asm" "$tmp/from-raw" && [ -s "$tmp/from-raw" ]; then ok; else
	bad "disasm of assembly differs from disasm of its bytecode"
fi
check "disasm conformance syntax" 0 '^0: mov %r0, 3$' - "$cli" disasm --syntax=conformance "$tmp/three.bin"
check "disasm --syntax value" 0 '^0: mov %r0, 3$' - "$cli" disasm --syntax conformance "$tmp/three.bin"
check "disasm bad syntax" 2 - '^userbpf: disasm: --syntax must be llvm or conformance' \
	"$cli" disasm --syntax=att "$tmp/three.bin"

if [ -d "$dir/tests" ]; then
	check "disasm .data" 0 '^2: exit$' - "$cli" disasm "$dir/tests/lddw.data"
	check "run .data uses its memory" 0 '^r0 = 17 \(0x11\)$' - "$cli" run "$dir/tests/ldxb.data"
	check "run .data --mem overrides" 0 '^r0 = 32 \(0x20\)$' - "$cli" run "$dir/tests/mem-len.data" \
		--mem "$tmp/reserved.bin"
	check "--bench on .data" 0 '^ns_per_run=[0-9]+(\.[0-9]+)? result=8$' - \
		"$cli" run "$dir/tests/mem-len.data" --bench --repeat 100 --trials 1
	cp "$dir/tests/ldxb.data" "$tmp/ldxb.test"
	check ".data recognised by its sections" 0 '^r0 = 17 \(0x11\)$' - "$cli" run "$tmp/ldxb.test"
else
	skipped "no conformance suite at $dir: .data cases"
fi

# ---------------------------------------------------------------- round trips
# Every program of the suite: raw -> disasm -> asm must give the same bytes,
# in both syntaxes.  All programs go through as one file first (jumps are
# relative, so concatenation changes nothing); a failure is then narrowed
# down to the programs that differ.
roundtrip() {	# roundtrip SYNTAX RAW_FILE -> 0 when the bytes survive
	"$cli" disasm --syntax="$1" "$2" >"$tmp/rt.lst" 2>"$tmp/rt.err" &&
		sed -E 's/^[0-9]+: //' "$tmp/rt.lst" >"$tmp/rt.s" &&
		"$cli" asm "$tmp/rt.s" -o "$tmp/rt.bin" 2>>"$tmp/rt.err" &&
		cmp -s "$2" "$tmp/rt.bin"
}
if [ -f "$dir/vectors.tsv" ]; then
	awk -F'\t' '!/^#/ && $1 != "name" && NF == 7 { print $5 }' "$dir/vectors.tsv" | tr -d '\n' >"$tmp/all.hex"
	bin "$(cat "$tmp/all.hex")" "$tmp/all.bin"
	for syntax in llvm conformance; do
		if roundtrip "$syntax" "$tmp/all.bin"; then
			ok
			continue
		fi
		bad "round trip ($syntax) of the whole suite: $(head -c 300 "$tmp/rt.err")"
		n=0
		while IFS=$'\t' read -r name _ _ _ prog _ _; do
			case $name in '#'* | name | '') continue ;; esac
			bin "$prog" "$tmp/one.bin"
			if ! roundtrip "$syntax" "$tmp/one.bin" && [ $n -lt 10 ]; then
				echo "   $syntax round trip fails for $name: $(head -c 200 "$tmp/rt.err")"
				n=$((n + 1))
			fi
		done <"$dir/vectors.tsv"
	done
else
	skipped "no $dir/vectors.tsv: suite round trips"
fi
# asm -> disasm -> asm via files, from hand-written text with labels.
cat >"$tmp/labels.s" <<'EOF'
	mov %r0, 0
	mov %r1, 10
loop:
	add %r0, %r1
	sub %r1, 1
	jne %r1, 0, loop
	lddw %r2, 0x1122334455667788
	exit
EOF
if "$cli" asm "$tmp/labels.s" -o "$tmp/labels.bin" 2>"$tmp/err" && roundtrip llvm "$tmp/labels.bin" &&
	roundtrip conformance "$tmp/labels.bin"; then ok; else
	bad "asm -> disasm -> asm of labels.s: $(cat "$tmp/err" "$tmp/rt.err")"
fi
check "run labels.s" 0 '^r0 = 55 \(0x37\)$' - "$cli" run "$tmp/labels.bin"

# ---------------------------------------------------------------- isa
rows=$(grep -c '^X(' src/isa/insn.def)
"$cli" isa >"$tmp/isa.txt"
if [ "$(grep -c '^0x[0-9a-f][0-9a-f] ' "$tmp/isa.txt")" -eq "$rows" ]; then ok; else
	bad "isa prints $(grep -c '^0x' "$tmp/isa.txt") rows, insn.def has $rows"
fi
if [ "$(awk 'NR > 1 { print $3 }' "$tmp/isa.txt" | sort -u | wc -l)" -eq "$rows" ]; then ok; else
	bad "isa row names (column 3) are not $rows distinct names"
fi
if grep -q '<unknown>' "$tmp/isa.txt"; then bad "isa: a row's example does not disassemble"; else ok; fi
"$cli" isa --markdown >"$tmp/isa.md"
if [ "$(grep -c '^| `0x' "$tmp/isa.md")" -eq "$rows" ] && head -n 1 "$tmp/isa.md" | grep -q '^# '; then ok; else
	bad "isa --markdown does not have a title and $rows table rows"
fi
check "isa takes no file" 2 - "^userbpf: isa: unexpected argument" "$cli" isa x

# ---------------------------------------------------------------- ELF objects
cat >"$tmp/two.c" <<'EOF'
unsigned long long text_fn(void)
{
	return 0x123456789abcdefULL;
}

__attribute__((section("xdp"), used)) unsigned long long xdp_fn(unsigned char *mem)
{
	return mem ? 7 : 8;
}
EOF
# indexes SECTION < listing: the instruction indexes under one section header.
indexes() {
	awk -v sec="Disassembly of section $1:" '
		/^Disassembly of section / { on = ($0 == sec); next }
		on && match($0, /^ *[0-9]+:/) { s = substr($0, RSTART, RLENGTH - 1); gsub(/ /, "", s); print s }'
}
if command -v "$CLANG" >/dev/null 2>&1 && command -v llvm-objdump >/dev/null 2>&1 &&
	"$CLANG" -O2 -target bpf -c "$tmp/two.c" -o "$tmp/two.o" &&
	"$CLANG" -O2 -target bpfeb -c "$tmp/two.c" -o "$tmp/two-eb.o"; then
	check "disasm ELF" 0 '^Disassembly of section xdp:$' - "$cli" disasm "$tmp/two.o"
	"$cli" disasm "$tmp/two.o" >"$tmp/two.lst"
	llvm-objdump -d "$tmp/two.o" >"$tmp/two.objdump"
	if [ "$(grep -n '^Disassembly\|^$' "$tmp/two.lst" | head -n 2 | tr '\n' ' ')" = "1:Disassembly of section .text: 2: " ]; then
		ok
	else
		bad "disasm ELF: the first lines are not a section header and a blank line: $(head -n 3 "$tmp/two.lst")"
	fi
	for sec in .text xdp; do
		ours=$(indexes "$sec" <"$tmp/two.lst" | tr '\n' ' ')
		theirs=$(indexes "$sec" <"$tmp/two.objdump" | tr '\n' ' ')
		if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then ok; else
			bad "disasm ELF section $sec: indexes '$ours', llvm-objdump has '$theirs'"
		fi
	done
	"$cli" disasm "$tmp/two-eb.o" >"$tmp/two-eb.lst"
	if cmp -s "$tmp/two.lst" "$tmp/two-eb.lst"; then ok; else
		bad "disasm of the big-endian object differs from the little-endian one"
	fi
	check "run ELF: first section with code" 0 '^r0 = 81985529216486895 \(0x123456789abcdef\)$' - \
		"$cli" run "$tmp/two.o"
	check "run ELF --section" 0 '^r0 = 7 \(0x7\)$' - "$cli" run "$tmp/two-eb.o" --section xdp \
		--mem "$tmp/mem5"
	check "run ELF unknown section" 2 - "^userbpf: run: $tmp/two\.o: no executable section named 'nope'" \
		"$cli" run "$tmp/two.o" --section nope
	# clang leaves .text empty when every function has its own section.
	"$CLANG" -O2 -target bpf -c examples/checksum.bpf.c -o "$tmp/ck.o"
	if [ "$("$cli" disasm "$tmp/ck.o" | grep '^Disassembly' | tr '\n' ' ')" = "Disassembly of section checksum: " ]; then
		ok
	else
		bad "disasm does not skip the empty .text as llvm-objdump does"
	fi
	head -c 200 "$tmp/two.o" >"$tmp/cut.o"
	check "truncated ELF" 1 - "^userbpf: disasm: $tmp/cut\.o: elf\.[a-z_]+: " "$cli" disasm "$tmp/cut.o"
	check "asm rejects ELF input" 1 - "this is an ELF object, not assembly" "$cli" asm "$tmp/two.o"
else
	skipped "$CLANG -target bpf or llvm-objdump unavailable: ELF cases"
fi

summary
