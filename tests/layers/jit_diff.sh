#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# jit_diff.sh - the interpreter-vs-JIT differential fuzzer (tests/fuzz/diff_gen.c),
# bounded for `make check`: a fixed seed and a few thousand random programs,
# each run on the interpreter and the JIT, checked and trusted, with and
# without constant blinding.  `make fuzz-diff` runs the same generator
# open-ended.  Without a JIT on this host the layer counts as skipped.
set -u
O=${O:-build}
CC=${CC:-cc}
lib=$O/lib/libuserbpf.a
bin=$O/tests/diff_gen
flags=(-std=gnu11 -O2 -g -Iinclude -Isrc -Wall -Wextra -Wshadow -Wstrict-prototypes
       -Wmissing-prototypes -Wvla -Wformat=2)
[ -n "${SAN:-}" ] && flags+=(-fsanitize="$SAN" -fno-omit-frame-pointer -fno-sanitize-recover=all)

case "$(uname -m)" in
x86_64) ;;
*)
	echo "jit_diff: no JIT back end runs on $(uname -m); counted as skipped"
	echo "jit_diff: 0 passed, 0 failed, 1 skipped"
	exit 0
	;;
esac
mkdir -p "$O/tests"
if [ ! -f "$lib" ] || ! "$CC" "${flags[@]}" tests/fuzz/diff_gen.c "$lib" -lm -o "$bin"; then
	echo "jit_diff: cannot build the generator against $lib (run make first)"
	echo "jit_diff: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
# Sanitizers make each run slower; fewer programs keep the layer to seconds.
count=${JIT_DIFF_COUNT:-$([ -n "${SAN:-}" ] && echo 2000 || echo 6000)}
exec "$bin" --seed "${JIT_DIFF_SEED:-20241121}" --count "$count"
