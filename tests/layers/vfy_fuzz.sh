#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# vfy_fuzz.sh - verifier soundness fuzzing (tests/fuzz/vfy_gen.c), bounded
# for `make check`: a fixed seed and a few thousand random programs of four
# program types; every program the verifier accepts runs in the checked mode
# on random packets, contexts and map contents and must never fault.
# `make fuzz-verify` runs the same generator open-ended.
set -u
O=${O:-build}
CC=${CC:-cc}
lib=$O/lib/libuserbpf.a
bin=$O/tests/vfy_gen
flags=(-std=gnu11 -O2 -g -Iinclude -Isrc -Wall -Wextra -Wshadow -Wstrict-prototypes
       -Wmissing-prototypes -Wvla -Wformat=2)
[ -n "${SAN:-}" ] && flags+=(-fsanitize="$SAN" -fno-omit-frame-pointer -fno-sanitize-recover=all)
libs=$(pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)

mkdir -p "$O/tests"
# shellcheck disable=SC2086 # $libs is a list of flags
if [ ! -f "$lib" ] || ! "$CC" "${flags[@]}" tests/fuzz/vfy_gen.c "$lib" -lm $libs -lelf -ldl \
		-o "$bin"; then
	echo "vfy_fuzz: cannot build the generator against $lib (run make first)"
	echo "vfy_fuzz: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
# Sanitizers make each program slower; fewer keep the layer to seconds.
count=${VFY_FUZZ_COUNT:-$([ -n "${SAN:-}" ] && echo 3000 || echo 12000)}
# The generator counts the programs the verifier rejects as skipped; they are
# not soundness tests here, so the layer reports them on a line of their own.
out=$("$bin" --seed "${VFY_FUZZ_SEED:-20261122}" --count "$count" --time 20)
rc=$?
printf '%s\n' "$out" | grep -v '^vfy_fuzz: [0-9]* passed' || true
last=$(printf '%s\n' "$out" | grep '^vfy_fuzz: [0-9]* passed' | tail -1)
if [ -z "$last" ]; then
	echo "vfy_fuzz: the generator printed no summary (exit status $rc)"
	echo "vfy_fuzz: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
read -r passed failed rejected < <(printf '%s\n' "$last" | tr -cs '0-9' ' ')
echo "vfy_fuzz: $rejected programs rejected by the verifier (not run)"
echo "vfy_fuzz: $passed passed, $failed failed, 0 skipped"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
