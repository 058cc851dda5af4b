#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# vt-messages.sh - messages.sh for the verifier suite: every case of
# tests/verifier/*.vt that Linux rejects is loaded into Linux by `kcheck -m`
# and verified by userbpf by `run -m` (the verify-suite driver); each prints
# the last line of its log per rejected case.  Prints each differing pair
# as "DIFF FILE:LINE" with both lines, then "vt-messages: N same message,
# N different, N skipped" (skipped: Linux rejects, userbpf accepts; run
# `make verify-suite` for those).  A measurement: it exits 0 whatever it
# finds.  Needs root and `make kcheck verify-suite` built in $O.
O=${O:-build}
kcheck=$O/tests/verifier/kcheck
run=$O/tests/verifier/run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$(id -u)" -ne 0 ] || [ ! -x "$kcheck" ] || [ ! -x "$run" ]; then
	echo "vt-messages: 0 same message, 0 different, 1 skipped (needs root, $kcheck and $run)"
	exit 0
fi
# Linux glues "verification time" to a message that lacks its newline.
"$kcheck" -m tests/verifier/*.vt 2>/dev/null | sed -nE 's/^MSG //p' |
	sed -E 's/(.)(verification time [0-9]+ usec|processed [0-9]+ insns .*)$/\1/' | sort >"$tmp/linux"
"$run" -m tests/verifier/*.vt 2>/dev/null | sed -nE 's/^MSG //p' | sort >"$tmp/userbpf"
awk -F'\t' '
	NR == FNR { u[$1] = $2; has[$1] = 1; next }
	!($1 in has) { skip++; next }
	u[$1] == $2 { same++; next }
	{ diff++; printf "DIFF %s\n  linux:   %s\n  userbpf: %s\n", $1, $2, u[$1] }
	END { printf "vt-messages: %d same message, %d different, %d skipped\n", same, diff, skip }
' "$tmp/userbpf" "$tmp/linux"
