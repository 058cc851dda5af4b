#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# corpus.sh - the C corpus (tests/corpus/*.bpf.c) through `userbpf verify`.
#
# Every program is compiled now, by clang -O2 -g -target bpf (Debian's
# clang 14 and each other clang-N of tests/corpus/build.bash that is
# installed) and by bpf-gcc, once as written, once per compiler era its
# "corpus-eras:" line names and once per MUT_<NAME> it tests
# (-DMUT_<NAME>); corpus_cases check says which combinations run here
# (mutations by clang, gcc and the oldest and newest other clang).  The
# expected verdict comes from the variant, never from userbpf: the program
# as written must be accepted (exit 0), each mutation rejected (exit 1).
# One case per file, variant and compiler, built and verified two at a
# time; what bpf-gcc 12 cannot build (tests/corpus/gcc-skips.txt) and a
# missing compiler count as skipped.  Then the command itself: bad input
# (exit 2 and a message naming the object and what is wrong), PROG
# selection, JSON, and the malformed legacy `maps` sections of
# tests/corpus/bad/ (each file's "expect: ID SYMBOL").
LAYER=corpus
source tests/harness/layer.bash
source tests/corpus/build.bash
export UBF_PIN_ROOT=$tmp/pins
mkdir -p "$UBF_PIN_ROOT"

# One case: prints ok, SKIP WHY or FAIL WHY.
verify_case() {
	local name=$1 v=$2 cc=$3 want verdict=rejected label obj st

	want=$(corpus_expect "$v")
	[ "$want" = 0 ] && verdict=accepted
	label=$name.$v.$cc obj=$tmp/$name.$v.$cc.o
	corpus_build_case "$name" "$v" "$cc" "$obj" || return
	timeout 120 "$cli" verify "$obj" >"$obj.out" 2>"$obj.err"
	st=$?
	if [ "$st" -eq "$want" ]; then
		echo ok
	else
		echo "FAIL $label: exit status $st, expected $want ($verdict):" \
			"$(head -c 600 "$obj.out")$(head -c 300 "$obj.err")"
	fi
}

mapfile -t compilers < <(corpus_compilers)
corpus_no_vmlinux=$(corpus_vmlinux)
corpus_run verify_case < <(corpus_cases check)

# ---- the command's own behaviour, on objects built above (clang) ----
if [[ " ${compilers[*]} " != *" clang "* ]]; then
	for f in "$CORPUS_DIR"/bad/*.bpf.c; do
		skipped "bad/$(basename "$f"): no clang"
	done
	skipped "verify cli: no clang"
	summary
fi
o=$tmp/tail_call_proto.base.clang.o
check "verify: missing object" 2 - "userbpf: verify: .*nope\.o: No such file" \
	"$cli" verify "$tmp/nope.o"
check "verify: not an ELF object" 2 - "userbpf: verify: .*corpus\.h: .*not a 64-bit ELF" \
	"$cli" verify "$CORPUS_DIR/corpus.h"
check "verify: no such program" 2 - "tail_call_proto.base.clang.o: no program or section named 'nope'" \
	"$cli" verify "$o" nope
check "verify: no object" 2 - "an object file is expected" "$cli" verify
check "verify: by program name" 0 "^handle_udp xdp: accepted" - "$cli" verify "$o" handle_udp
if [ "$("$cli" verify "$o" handle_udp | wc -l)" -eq 1 ]; then ok; else bad "verify: PROG selects one"; fi
if [ "$("$cli" verify "$o" xdp | wc -l)" -eq 3 ]; then ok; else bad "verify: SECTION selects three"; fi
check "verify: json" 0 '^\[\{"name":"handle_tcp","section":"xdp","verdict":"accepted"' - \
	"$cli" verify -j "$o" handle_tcp
check "verify: rejected json" 1 '"verdict":"rejected",.*"errno":13,"reason":"[^"]+' - \
	"$cli" verify -j "$tmp/xdp_eth_count.MUT_NO_DATA_END.clang.o"
check "verify: rejected line" 1 '^xdp_eth_count xdp: rejected: .+' - \
	"$cli" verify "$tmp/xdp_eth_count.MUT_NO_DATA_END.clang.o"
check "verify: -v prints the log" 0 '^[0-9]+: ' - \
	"$cli" verify -v "$tmp/xdp_eth_count.base.clang.o"
# `prog load` opens legacy objects through the same code; iproute2's
# PIN_GLOBAL_NS becomes a pin by name under the pin root.
check "prog load: bpf_map_def" 0 - - \
	"$cli" prog load "$tmp/legacy_sockex.base.clang.o" /sys/fs/bpf/legacy_sockex
check "prog load: bpf_elf_map" 0 - - \
	"$cli" prog load "$tmp/legacy_tc_elf_map.base.clang.o" /sys/fs/bpf/legacy_tc
if [ -e "$UBF_PIN_ROOT/mark_count" ] && [ ! -e "$UBF_PIN_ROOT/mark_policy" ]; then
	ok
else
	bad "prog load: pinning 2 pins mark_count by name, pinning 0 pins nothing: $(ls "$UBF_PIN_ROOT")"
fi
check "map show: legacy map" 0 "hash  name mark_count" - "$cli" map show pinned \
	/sys/fs/bpf/mark_count
for f in "$CORPUS_DIR"/bad/*.bpf.c; do
	label=bad/$(basename "$f" .bpf.c)
	read -r id sym < <(sed -nE 's/^ \* expect: ([a-z_.]+) ([a-z_]+)$/\1 \2/p' "$f")
	if ! corpus_compile clang "$f" base "$tmp/bad.o" 2>"$tmp/cc.err"; then
		bad "$label: does not compile: $(head -c 300 "$tmp/cc.err")"
		continue
	fi
	check "$label" 2 - "bad\.o: $id: elf: section \`maps\`: symbols? .*$sym" \
		"$cli" verify "$tmp/bad.o"
	check "$label: prog load" 255 - "$id" "$cli" prog load "$tmp/bad.o" /sys/fs/bpf/bad
done
summary
