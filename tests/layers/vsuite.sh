#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# vsuite.sh - the verifier's test suite (tests/verifier/*.vt, format in
# tests/verifier/README): every case through userbpf's verifier, each
# compared with the verdict, failing instruction and rule Linux 6.18 gives
# (`make kcheck` checks those against the running kernel).  A case agrees
# when the verdict and, for a rejection, the instruction match; one that
# Linux rejects and userbpf accepts is UNSOUND.  Cases that need the
# kernel's BTF are skipped, and counted, on a machine without it.
set -u
O=${O:-build}
run=$O/tests/verifier/run
if [ ! -x "$run" ]; then
	echo "vsuite: $run is not built"
	echo "vsuite: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
out=$("$run" tests/verifier/*.vt 2>&1)
printf '%s\n' "$out" | grep -A1 -E '^(DIFFER|UNSOUND|ERROR)' || true
printf '%s\n' "$out" | grep -E '^[0-9]+ cases,' || true
last=$(printf '%s\n' "$out" | grep '^verify-suite: ' | tail -1)
if [ -z "$last" ]; then
	echo "vsuite: the runner printed no summary"
	echo "vsuite: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
read -r agree disagree skipped < <(printf '%s\n' "$last" | tr -cs '0-9' ' ')
errors=$(printf '%s\n' "$out" | grep -cE '^ERROR' || true)
failed=$((disagree + errors))
echo "vsuite: $agree passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
