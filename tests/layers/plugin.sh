#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# plugin.sh - the conformance plugin, driven as the upstream bpf_conformance
# runner drives it: for every row of vectors.tsv, MEM formatted as
# "aa  bb  " comes first, then the option string split at single spaces
# (so "" and " --interp" give empty arguments), the program hex on stdin;
# stdout must be r0 in hex and the exit status 0 (or non-zero for expected
# errors).  Also --elf with objects clang builds (skipped, and counted,
# without clang), malformed input, and `userbpf plugin` as the same thing.
set -u
O=${O:-build}
CLANG=${CLANG:-clang}
dir=${CONFORMANCE_DIR:-../shared/conformance}
plugin=$O/bin/userbpf-conformance-plugin
cli=$O/bin/userbpf
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

summary() {
	echo "plugin: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

if [ ! -x "$plugin" ] || [ ! -x "$cli" ]; then
	echo "plugin: $plugin or $cli is not built"
	fail=1
	summary
fi

# "1122ab" -> "11  22  ab  ", as the upstream runner formats memory.
mem_arg() {
	echo -n "$1" | sed -E 's/(..)/\1  /g'
}

# Split at every single space, keeping empty fields (as the runner does).
split_opts() {
	local s=$1
	opts=()
	while [[ $s == *" "* ]]; do
		opts+=("${s%% *}")
		s=${s#* }
	done
	opts+=("$s")
}

# "0x00000003", "3", "0X3" -> "3"
norm_hex() {
	local h=${1#0x}
	h=${h#0X}
	h=$(echo "$h" | tr 'A-F' 'a-f' | sed -E 's/^0+//')
	echo "${h:-0}"
}

# run_case NAME MEM_HEX|- OPTION_STRING PROGRAM_HEX EXPECTED_R0 EXPECTED_ERROR|- [PLUGIN...]
run_case() {
	local name=$1 mem=$2 optstr=$3 prog=$4 want=$5 want_err=$6
	shift 6
	local cmd=("$@") args=() out status
	[ ${#cmd[@]} -eq 0 ] && cmd=("$plugin")
	[ "$mem" != "-" ] && args+=("$(mem_arg "$mem")")
	split_opts "$optstr"
	args+=("${opts[@]}")
	out=$(echo "$prog" | "${cmd[@]}" "${args[@]}" 2>"$tmp/stderr")
	status=$?
	if [ "$want_err" != "-" ]; then
		if [ $status -ne 0 ] && [ -n "$out$(cat "$tmp/stderr")" ]; then ok; else
			bad "$name [$optstr]: expected an error, got status $status, output '$out'"
		fi
		return
	fi
	if [ $status -ne 0 ]; then
		bad "$name [$optstr]: status $status: $out $(cat "$tmp/stderr")"
	elif ! [[ $out =~ ^(0x)?[0-9a-fA-F]+$ ]]; then
		bad "$name [$optstr]: output '$out' is not one hex number"
	elif [ "$(norm_hex "$out")" != "$(norm_hex "$want")" ]; then
		bad "$name [$optstr]: r0 $out, expected $want"
	else
		ok
	fi
}

# Option strings the runner may be given; the JIT joins when the host has one.
optsets=("" " --interp")
if echo "b7000000000000009500000000000000" | "$plugin" --jit >/dev/null 2>&1; then
	optsets+=(" --jit")
	has_jit=1
else
	echo "plugin: the JIT is not available on this host; --jit cases are skipped"
	has_jit=0
fi

# ---------------------------------------------------------------- vectors.tsv
if [ -f "$dir/vectors.tsv" ]; then
	while IFS=$'\t' read -r name _ _ mem prog r0 err; do
		case $name in '#'* | name | '') continue ;; esac
		for o in "${optsets[@]}"; do
			run_case "$name" "$mem" "$o" "$prog" "$r0" "$err"
		done
		[ $has_jit -eq 0 ] && skip=$((skip + 1))
	done <"$dir/vectors.tsv"
else
	echo "plugin: no $dir/vectors.tsv; the suite is skipped"
	skip=$((skip + 1))
fi

# ---------------------------------------------------------------- protocol details
# mov r0, r2 (length); exit: MEM is found after empty option arguments too.
len_prog=bf200000000000009500000000000000
run_case "mem-after-empty-args" 0102030405 "  --interp " "$len_prog" 0x5 -
run_case "no-mem" - "" "$len_prog" 0x0 -
# ldxb r0, [r1+2]; exit
run_case "mem-bytes" aabb11ccdd " --interp" 71100200000000009500000000000000 0x11 -
# `userbpf plugin` is the same program.
run_case "userbpf-plugin" aabb11ccdd " --interp" 71100200000000009500000000000000 0x11 - \
	"$cli" plugin
# Failures: exit non-zero with a message on stdout.
expect_failure() {
	local name=$1 input=$2 out status
	shift 2
	out=$(echo "$input" | "$plugin" "$@" 2>/dev/null)
	status=$?
	if [ $status -ne 0 ] && [ -n "$out" ]; then ok; else
		bad "$name: expected a failure with a message on stdout, got status $status, '$out'"
	fi
}
expect_failure "odd-hex-program" "b70000000000000095000000000000000"
expect_failure "bad-hex-program" "zz00000000000000"
expect_failure "short-program" "b700000000000000950000"
expect_failure "unknown-option" "$len_prog" --frobnicate
expect_failure "bad-hex-mem" "$len_prog" "aa  zz  "
expect_failure "reserved-field" "b7100000000000009500000000000000"
# ldxdw r0, [r1+0] without memory: a fault in the checked mode.
expect_failure "fault" "79100000000000009500000000000000"
expect_failure "elf-not-elf" "$len_prog" --elf

# ---------------------------------------------------------------- --elf
# main is the second function of .text, so the plugin must use the symbol.
cat >"$tmp/main.c" <<'C'
unsigned long long other(unsigned char *mem, unsigned long long len)
{
	return 42 + len + mem[0];
}

unsigned long long main(unsigned char *mem, unsigned long long len)
{
	unsigned long long h = 7, i;

	for (i = 0; i < len; i++)
		h = h * 31 + mem[i];
	return h;
}
C
# ((7*31 + 1)*31 + 2)*31 + 3 = 209563 = 0x3329b
for target in bpf bpfeb; do
	if ! command -v "$CLANG" >/dev/null 2>&1; then
		echo "plugin: $CLANG not found; --elf ($target) is skipped"
		skip=$((skip + 1))
		continue
	fi
	if ! "$CLANG" -O2 -target "$target" -ffreestanding -c "$tmp/main.c" -o "$tmp/main-$target.o"; then
		bad "--elf ($target): $CLANG cannot build the test object"
		continue
	fi
	hex=$(od -An -v -tx1 "$tmp/main-$target.o" | tr -d ' \n')
	run_case "elf-$target" 010203 " --interp --elf" "$hex" 0x3329b -
	# The runner puts --elf last, after the options.
	out=$(echo "$hex" | "$plugin" "$(mem_arg 010203)" "" --elf)
	if [ "$(norm_hex "$out")" = 3329b ]; then ok; else bad "elf-$target [--elf last]: '$out'"; fi
done

summary
