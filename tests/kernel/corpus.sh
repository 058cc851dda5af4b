#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# corpus.sh - `make check-kernel`, part 2: the verdict differential.  Every
# tests/corpus/*.bpf.c, as written, per compiler era and per MUT_<NAME>,
# built by every compiler of tests/corpus/build.bash (clang 14, bpf-gcc 12
# and each other installed clang-N: corpus_cases kernel, a superset of what
# tests/layers/corpus.sh runs), is verified by `userbpf verify --kernel`
# (libbpf on the running Linux, no routing) and by `userbpf verify`
# (routed to userbpf); each program must get the same verdict from both.
# Linux's verdict must also be the expected one (accepted as written and
# per era, rejected when mutated), or the case itself is wrong.  Needs root
# for the kernel's bpf(2); everything is skipped otherwise.  Ends with
# "check-kernel-corpus: N passed, N failed, N skipped".
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

# One case: prints ok, SKIP WHY or FAIL WHY.
kernel_case() {
	local name=$1 v=$2 cc=$3 want label obj kst ust

	want=$(corpus_expect "$v")
	label=$name.$v.$cc obj=$tmp/$name.$v.$cc.o
	if ! $can_kernel; then
		echo "SKIP $label: needs root and $cli"
		return
	fi
	corpus_build_case "$name" "$v" "$cc" "$obj" || return
	if corpus_needs "$name" trampoline && ! $can_trampoline; then
		echo "SKIP $label: this kernel loads no fentry/fexit/lsm program (no BPF trampolines)"
		return
	fi
	"$cli" verify --kernel "$obj" >"$obj.k" 2>"$obj.kerr"
	kst=$?
	if [ "$kst" -eq 1 ] && grep -q 'Operation not permitted' "$obj.k"; then
		echo "SKIP $label: the kernel's bpf(2) refuses this process"
		return
	fi
	timeout 120 "$cli" verify "$obj" >"$obj.u" 2>"$obj.uerr"
	ust=$?
	if [ "$kst" -ne "$want" ]; then
		echo "FAIL $label: Linux exit status $kst, expected $want: $(head -c 400 "$obj.k")$(head -c 300 "$obj.kerr")"
	elif [ "$ust" -ne "$kst" ] || [ "$(verdicts "$obj.k")" != "$(verdicts "$obj.u")" ]; then
		echo "FAIL $label: Linux and userbpf disagree;" \
			"Linux: $(head -c 300 "$obj.k")" \
			"userbpf: $(head -c 300 "$obj.u")$(head -c 200 "$obj.uerr")"
	else
		echo ok
	fi
}

mapfile -t compilers < <(corpus_compilers)
corpus_no_vmlinux=$(corpus_vmlinux)
can_kernel=true
if [ "$(id -u)" -ne 0 ] || [ ! -x "$cli" ]; then
	can_kernel=false
fi
# Whether the kernel loads fentry programs at all: the smallest one, by bpftool's loader.
can_trampoline=false
if $can_kernel && [ -e "$tmp/vmlinux/vmlinux.h" ] && printf '%s\n' \
	'#include "vmlinux.h"' '#include <bpf/bpf_helpers.h>' \
	'SEC("fentry/do_unlinkat") int probe(void *ctx) { return 0; }' \
	'char LICENSE[] SEC("license") = "GPL";' >"$tmp/tramp.bpf.c" &&
	bpf_compile clang "$tmp/tramp.bpf.c" "$tmp/tramp.o" -I"$tmp/vmlinux" 2>/dev/null &&
	"$cli" verify --kernel "$tmp/tramp.o" >/dev/null 2>&1; then
	can_trampoline=true
fi
corpus_run kernel_case < <(corpus_cases kernel)
echo "check-kernel-corpus: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
