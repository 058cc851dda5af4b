#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# conformance.sh - builds tests/conformance/runner.c against the static
# library of $O and runs it on every .data file of the BPF conformance suite
# ($CONFORMANCE_DIR/tests), every row of its vectors.tsv, and our own
# tests/conformance/*.data, on the interpreter and the JIT (skipped, and
# counted, where the host has none).  The runner also fails on instruction
# table rows no program covers.  Without the suite, it counts as skipped.
set -u
O=${O:-build}
CC=${CC:-cc}
dir=${CONFORMANCE_DIR:-../shared/conformance}
lib=$O/lib/libuserbpf.a
runner=$O/tests/conformance-runner
flags=(-std=gnu11 -O1 -g -Iinclude -Wall -Wextra -Wshadow -Wstrict-prototypes
       -Wmissing-prototypes -Wvla -Wformat=2)
[ -n "${SAN:-}" ] && flags+=(-fsanitize="$SAN" -fno-omit-frame-pointer -fno-sanitize-recover=all)

mkdir -p "$O/tests"
if [ ! -f "$lib" ] || ! "$CC" "${flags[@]}" tests/conformance/runner.c "$lib" -lm -o "$runner"; then
	echo "conformance: cannot build the runner against $lib (run make first)"
	echo "conformance: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

shopt -s nullglob
args=()
files=()
if [ -d "$dir/tests" ]; then
	files+=("$dir"/tests/*.data)
	if [ -f "$dir/vectors.tsv" ]; then
		args+=(--vectors "$dir/vectors.tsv")
	else
		echo "conformance: $dir/vectors.tsv missing; counted as skipped"
		args+=(--skipped 1)
	fi
else
	# Row coverage needs the suite; without it only our own files run.
	echo "conformance: no suite at $dir (set CONFORMANCE_DIR); counted as skipped"
	args+=(--skipped 1 --no-coverage)
fi
files+=(tests/conformance/*.data)
exec "$runner" "${args[@]}" "${files[@]}"
