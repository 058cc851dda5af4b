#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# corpus.sh - `make check-kernel`, part 2: the verdict differential.  Every
# tests/corpus/*.bpf.c, as written and per MUT_<NAME>, built by clang and
# bpf-gcc exactly as tests/layers/corpus.sh builds it, is verified by
# `userbpf verify --kernel` (libbpf on the running Linux, no routing) and by
# `userbpf verify` (routed to userbpf); each program must get the same
# verdict from both.  Linux's verdict must also be the expected one
# (accepted as written, rejected when mutated), or the case itself is
# wrong.  Needs root for the kernel's bpf(2); everything is skipped
# otherwise.  Ends with "check-kernel-corpus: N passed, N failed, N skipped".
O=${O:-build}
cli=$O/bin/userbpf
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export UBF_PIN_ROOT=$tmp/pins
mkdir -p "$UBF_PIN_ROOT"
source tests/corpus/build.bash

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP $*"; }

# "NAME SECTION: accepted|rejected" per program, sorted: what the two must share.
verdicts() {
	sed -nE 's/^([^ ]+ [^ ]+): (accepted|rejected).*/\1 \2/p' "$1" | sort
}

mapfile -t compilers < <(corpus_compilers)
can_kernel=true
if [ "$(id -u)" -ne 0 ] || [ ! -x "$cli" ]; then
	can_kernel=false
fi
for f in "$CORPUS_DIR"/*.bpf.c; do
	name=$(basename "$f" .bpf.c)
	for v in $(corpus_variants "$f"); do
		want=1
		[ "$v" = base ] && want=0
		for cc in clang gcc; do
			label=$name.$v.$cc obj=$tmp/$label.o
			if ! $can_kernel; then
				skipped "$label: needs root and $cli"
				continue
			fi
			if [[ " ${compilers[*]} " != *" $cc "* ]]; then
				skipped "$label: no $cc"
				continue
			fi
			reason=
			[ "$cc" = gcc ] && reason=$(corpus_gcc_skip "$name" "$v")
			if [ -n "$reason" ]; then
				skipped "$label: bpf-gcc 12: $reason"
				continue
			fi
			if ! corpus_compile "$cc" "$f" "$v" "$obj" 2>"$tmp/cc.err"; then
				bad "$label: does not compile: $(head -c 300 "$tmp/cc.err")"
				continue
			fi
			"$cli" verify --kernel "$obj" >"$tmp/k.out" 2>"$tmp/k.err"
			kst=$?
			if [ "$kst" -eq 1 ] && grep -q 'Operation not permitted' "$tmp/k.out"; then
				skipped "$label: the kernel's bpf(2) refuses this process"
				continue
			fi
			timeout 120 "$cli" verify "$obj" >"$tmp/u.out" 2>"$tmp/u.err"
			ust=$?
			if [ "$kst" -ne "$want" ]; then
				bad "$label: Linux exit status $kst, expected $want: $(head -c 400 "$tmp/k.out")"
			elif [ "$ust" -ne "$kst" ] || [ "$(verdicts "$tmp/k.out")" != "$(verdicts "$tmp/u.out")" ]; then
				bad "$label: Linux and userbpf disagree;" \
					"Linux: $(head -c 300 "$tmp/k.out")" \
					"userbpf: $(head -c 300 "$tmp/u.out")$(head -c 200 "$tmp/u.err")"
			else
				ok
			fi
		done
	done
done
echo "check-kernel-corpus: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
