#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# check-kernel.sh - `make check-kernel`: userbpf against the running Linux.
#
# 1. Every tests/objects/*.bpf.c, built by clang and by bpf-gcc, is run by its
#    driver twice, with --kernel (libbpf on the real bpf(2)) and routed to
#    userbpf, each writing a --transcript of what it observed (checks, test
#    run results and output packets, every map's contents); the two
#    transcripts must be identical.  An object Linux itself refuses to load
#    is skipped with the reason.
# 2. tests/kernel/errno issues malformed bpf() calls to both and compares
#    the errno of each (known differences: tests/kernel/known-differences.tsv).
# 3. tests/verifier/helpercheck asks Linux which helpers every program type
#    may call and compares with src/verifier/ctx.def.
# Needs root (or CAP_BPF) and a usable bpf(2); otherwise everything is
# reported as skipped.  Ends with "check-kernel: N passed, N failed, N skipped".
O=${O:-build}
CC=${CC:-cc}
source tests/harness/bpf_cc.bash
src=tests/objects
bin=$O/tests/objects
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export UBF_PIN_ROOT=$tmp/pins
mkdir -p "$UBF_PIN_ROOT"

ok() { pass=$((pass + 1)); echo "ok $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP $*"; }
summary() {
	echo "check-kernel: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

# The objects' own headers are in $src; bpf-gcc also gets -fno-toplevel-reorder.
compile() {
	if [ "$1" = gcc ]; then
		bpf_compile gcc "$2" "$3" -fno-toplevel-reorder -I"$src"
	else
		bpf_compile clang "$2" "$3" -I"$src"
	fi
}

# The errno program decides whether the kernel's bpf(2) is usable by trying.
"$O/tests/kernel/errno" tests/kernel/known-differences.tsv >"$tmp/errno.out" 2>"$tmp/errno.err"
st=$?
grep -E '^(ok|FAIL|SKIP) ' "$tmp/errno.out" | sed 's/^/errno: /'
last=$(tail -n 1 "$tmp/errno.out")
if [[ $last =~ ^errno:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
	pass=$((pass + BASH_REMATCH[1])) fail=$((fail + BASH_REMATCH[2]))
	skip=$((skip + BASH_REMATCH[3]))
	[ "$st" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ] && bad "errno: exit status $st"
else
	bad "errno: no summary (status $st): $(tail -c 400 "$tmp/errno.err")"
fi
kernel_ok=true
grep -q '^SKIP all' "$tmp/errno.out" && kernel_ok=false

if ! $kernel_ok; then
	skipped "helpercheck: the kernel's bpf(2) is not usable here"
elif "$O/tests/verifier/helpercheck" >"$tmp/helpercheck.out" 2>&1; then
	ok "$(tail -n 1 "$tmp/helpercheck.out")"
else
	bad "helpercheck: $(grep -E '^  |^helpercheck' "$tmp/helpercheck.out" | head -n 20)"
fi

compilers=()
have() { command -v "$1" >/dev/null 2>&1; }
have "$CLANG" && compilers+=(clang)
have "$BPF_GCC" && bpf_gcc_headers && compilers+=(gcc)

for f in "$src"/*.bpf.c; do
	name=$(basename "$f" .bpf.c)
	for cc in clang gcc; do
		label=transcript.$name.$cc
		if [ "$name" = hook ]; then
			# the object attaches to an application-defined hook point
			# (ubf_tp_define), which Linux does not have: nothing to compare
			skipped "$label: application hook points exist only in userbpf"
			continue
		fi
		if ! $kernel_ok; then
			skipped "$label: the kernel's bpf(2) is not usable here"
			continue
		fi
		if [[ " ${compilers[*]} " != *" $cc "* ]]; then
			skipped "$label: no $cc for BPF"
			continue
		fi
		if [ ! -x "$bin/$name" ]; then
			bad "$label: $bin/$name is not built"
			continue
		fi
		obj=$tmp/$name.$cc.o
		if ! compile "$cc" "$f" "$obj" 2>"$tmp/cc.err"; then
			skipped "$label: does not compile: $(grep -m1 error "$tmp/cc.err")"
			continue
		fi
		timeout 120 "$bin/$name" "$obj" --kernel --transcript "$tmp/k.txt" \
			>"$tmp/k.out" 2>"$tmp/k.err"
		if grep -q '^check [a-z_]*\.load FAIL' "$tmp/k.txt" 2>/dev/null; then
			skipped "$label: Linux refuses the object: $(grep -m1 -iE 'error|invalid|failed' \
				"$tmp/k.err" | head -c 200)"
			continue
		fi
		timeout 120 "$bin/$name" "$obj" --transcript "$tmp/u.txt" >"$tmp/u.out" 2>"$tmp/u.err"
		if ! tail -n 1 "$tmp/k.txt" 2>/dev/null | grep -qx end; then
			bad "$label: the Linux run did not finish: $(tail -c 300 "$tmp/k.err")"
		elif ! tail -n 1 "$tmp/u.txt" 2>/dev/null | grep -qx end; then
			bad "$label: the userbpf run did not finish: $(tail -c 300 "$tmp/u.err")"
		elif diff -u --label linux --label userbpf "$tmp/k.txt" "$tmp/u.txt" >"$tmp/diff"; then
			ok "$label ($(grep -c . "$tmp/k.txt") observations)"
		else
			bad "$label: transcripts differ:"
			head -n 40 "$tmp/diff"
		fi
	done
done
summary
