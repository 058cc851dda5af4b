#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# messages.sh - how closely userbpf's rejection messages follow Linux's.
# Every corpus build that must be rejected (the MUT_ variants of
# tests/corpus/build.bash, by every installed compiler) is verified by
# `userbpf verify --kernel` and by `userbpf verify`; for each program both
# reject, the message (the last non-statistics line of each log) is
# compared.  Prints each differing pair as "DIFF LABEL PROG" with the
# Linux and userbpf lines, then "messages: N same message, N different,
# N skipped".  A measurement, not a gate: it exits 0 whatever it finds.
# Needs root; set MSG_CACHE=DIR to keep the compiled objects between runs.
O=${O:-build}
cli=$O/bin/userbpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export UBF_PIN_ROOT=$tmp/pins
mkdir -p "$UBF_PIN_ROOT"
source tests/corpus/build.bash
objs=${MSG_CACHE:-$tmp/objs}
mkdir -p "$objs"

same=0 diff=0 skip=0

# "PROG SECTION<TAB>message" per rejected program of a `userbpf verify` output.
# Linux ends a few messages without a newline ("expected prog array map for
# tail call"), gluing its "verification time N usec" to them: cut it off.
messages() {
	sed -nE 's/^([^ ]+ [^ ]+): rejected: (.*)$/\1\t\2/p' "$1" |
		sed -E 's/(.)(verification time [0-9]+ usec|processed [0-9]+ insns .*)$/\1/' |
		awk -F'\t' '{ n = split($2, p, / \| /); print $1 "\t" p[n] }' | sort
}

# One build: prints "same", "DIFF ..." lines or "SKIP WHY".
message_case() {
	local name=$1 v=$2 cc=$3 label obj src prog kmsg umsg

	label=$name.$v.$cc obj=$objs/$label.o src=$CORPUS_DIR/$name.bpf.c
	if [ "$cc" = gcc ] && [ -n "$(corpus_gcc_skip "$name" "$v")" ]; then
		echo "SKIP $label: bpf-gcc cannot build it"
		return
	fi
	if [ ! -s "$obj" ] || [ "$src" -nt "$obj" ]; then
		if ! corpus_compile "$cc" "$src" "$v" "$obj" 2>"$tmp/$label.cc"; then
			rm -f "$obj"
			echo "SKIP $label: does not compile"
			return
		fi
	fi
	"$cli" verify --kernel "$obj" >"$tmp/$label.k" 2>/dev/null
	timeout 120 "$cli" verify "$obj" >"$tmp/$label.u" 2>/dev/null
	messages "$tmp/$label.k" >"$tmp/$label.km"
	messages "$tmp/$label.u" >"$tmp/$label.um"
	if [ ! -s "$tmp/$label.km" ]; then
		echo "SKIP $label: Linux rejects no program"
		return
	fi
	while IFS=$'\t' read -r prog kmsg; do
		umsg=$(awk -F'\t' -v p="$prog" '$1 == p { print $2 }' "$tmp/$label.um")
		if [ "$kmsg" = "$umsg" ]; then
			echo same
		else
			printf 'DIFF %s %s\n  linux:   %s\n  userbpf: %s\n' \
				"$label" "$prog" "$kmsg" "${umsg:-(accepted)}"
		fi
	done <"$tmp/$label.km"
}

if [ "$(id -u)" -ne 0 ] || [ ! -x "$cli" ]; then
	echo "messages: 0 same message, 0 different, 1 skipped (needs root and $cli)"
	exit 0
fi
mapfile -t compilers < <(corpus_compilers)
mkdir -p "$tmp/run"
i=0
while read -r name v cc; do
	case $v in MUT_*|*+MUT_*) ;; *) continue ;; esac
	[[ " ${compilers[*]} " == *" $cc "* ]] || continue
	while [ "$(jobs -rp | wc -l)" -ge "$CORPUS_JOBS" ]; do
		wait -n
	done
	message_case "$name" "$v" "$cc" >"$tmp/run/$i" 2>&1 </dev/null &
	i=$((i + 1))
done < <(corpus_cases kernel)
wait
for ((n = 0; n < i; n++)); do
	while IFS= read -r line; do
		case $line in
		same) same=$((same + 1)) ;;
		'SKIP '*) skip=$((skip + 1)) ;;
		'DIFF '*) diff=$((diff + 1)); echo "$line" ;;
		*) echo "$line" ;;
		esac
	done <"$tmp/run/$n"
done
echo "messages: $same same message, $diff different, $skip skipped"
