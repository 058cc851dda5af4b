# SPDX-License-Identifier: BSD-2-Clause
# build.bash - how the corpus is built and which builds run where, shared by
# tests/layers/corpus.sh (`make check`) and tests/kernel/corpus.sh (`make
# check-kernel`); source it after setting $tmp.  A case is a file, a variant
# (base, a compiler era, a MUT_ name) and a compiler: clang ($CLANG, Debian
# 12's clang 14), gcc (bpf-gcc 12) or clang-N, each other clang version of
# $CORPUS_CLANG_VERSIONS found on PATH, so that objects from compilers of
# several years are checked.  corpus_cases MODE prints every case of MODE
# (check or kernel) as "NAME VARIANT CC", installed compilers or not, and
# corpus_run FUNC runs FUNC NAME VARIANT CC for each case read from stdin,
# $CORPUS_JOBS at a time, then counts what each printed (ok, SKIP WHY,
# FAIL WHY) in order.
#
# Programs of the kernel's own types (tp_btf, iter, fentry, lsm) include
# vmlinux.h, named on a " * corpus-needs: vmlinux" line: corpus_vmlinux
# writes it into $tmp/vmlinux from the kernel's BTF ($UBF_VMLINUX_BTF, else
# /sys/kernel/btf/vmlinux) with bpftool, once before the cases run; without
# either, those cases are skipped.  " * corpus-needs: trampoline" marks a
# program only a kernel with BPF trampolines loads (fentry, fexit, lsm):
# the kernel differential skips it where the kernel cannot load it.
CORPUS_DIR=tests/corpus
CORPUS_CLANG_VERSIONS=${CORPUS_CLANG_VERSIONS:-13 15 16 19}
CORPUS_JOBS=${CORPUS_JOBS:-$(nproc 2>/dev/null || echo 2)}
source tests/harness/bpf_cc.bash

# The major version of compiler CC (clang or clang-N), 0 when unknown.
corpus_clang_major() {
	local bin=$CLANG

	[ "$1" = clang ] || bin=$1
	"$bin" --version 2>/dev/null | sed -nE '1s/.*clang version ([0-9]+).*/\1/p' | grep . || echo 0
}

# clang, gcc, then clang-N for each version that is not $CLANG's.
corpus_all_compilers() {
	local def n

	def=$(corpus_clang_major clang)
	echo clang
	echo gcc
	for n in $CORPUS_CLANG_VERSIONS; do
		[ "$n" = "$def" ] || echo "clang-$n"
	done
}

# The compilers of corpus_all_compilers that are installed (bpf-gcc also
# needs its rewritten <bpf/> headers in $tmp/gccinc, made here once).
corpus_compilers() {
	local cc

	for cc in $(corpus_all_compilers); do
		case $cc in
		clang) command -v "$CLANG" >/dev/null 2>&1 && echo clang ;;
		gcc) command -v "$BPF_GCC" >/dev/null 2>&1 && bpf_gcc_headers && echo gcc ;;
		*) command -v "$cc" >/dev/null 2>&1 && echo "$cc" ;;
		esac
	done
}

# What bpf-gcc 12 cannot build for libbpf 1.1, by file (and variant, when
# only some are affected), with the reason.  Only these are skipped.
corpus_gcc_skip() {
	local name=$1 variant=$2 file what reason

	while IFS=$'\t' read -r file what reason; do
		case $file in ''|'#'*) continue ;; esac
		[ "$file" = "$name" ] || continue
		[ "$what" = '*' ] || [ "$what" = "$variant" ] || continue
		echo "$reason"
		return
	done <"$CORPUS_DIR/gcc-skips.txt"
}

# base, the compiler eras the file names on a " * corpus-eras: cpu-v1
# cpu-v2 cpu-v3 cpu-v4 O1 cpu-v4+MUT_X" line, then each MUT_ name it tests.
# An era imitates another compiler: -mcpu=v1 (no 32-bit jumps, no ALU32
# use), -mcpu=v2, -mcpu=v3, -mcpu=v4 (sign-extending loads and moves, sdiv
# and smod, bswap, gotol; clang 18 and later only) or -O1; each must be
# accepted like the base build.  ERA+MUT_X is mutation MUT_X built in that
# era, rejected like MUT_X.
corpus_variants() {
	echo base
	sed -nE 's/^ \* corpus-eras: //p' "$1" | tr ' ' '\n' |
		grep -E '^(cpu-v[1-4]|O[0-3s])(\+MUT_[A-Z0-9_]+)?$'
	grep -oE '\bMUT_[A-Z0-9_]+' "$1" | sort -u
}

corpus_expect() {
	case $1 in
	MUT_*|*+MUT_*) echo 1 ;;
	*) echo 0 ;;
	esac
}

# Whether compiler CC can build variant VARIANT at all: -mcpu=v4 needs clang
# 18 or later; bpf-gcc 12 knows v1 to v3.
corpus_can_build() {
	local cc=$1 variant=$2

	[ "${variant%%+*}" = cpu-v4 ] || return 0
	[ "$cc" != gcc ] && [ "$(corpus_clang_major "$cc")" -ge 18 ]
}

# The clang versions that also build the mutations in `make check`: the
# oldest and the newest of $CORPUS_CLANG_VERSIONS.
corpus_check_mut_compilers() {
	local v

	v=$(tr ' ' '\n' <<<"$CORPUS_CLANG_VERSIONS" | grep . | sort -n)
	echo "clang-$(head -n 1 <<<"$v")"
	echo "clang-$(tail -n 1 <<<"$v")"
}

# The cases of MODE, one "NAME VARIANT CC" a line.  kernel: every variant by
# every compiler that can build it.  check (`make check`, which must stay
# well under 90 s on two cores): every program as written by every
# compiler, the eras by clang and gcc (cpu-v4 by the clangs that have it),
# and the mutations by clang, gcc and corpus_check_mut_compilers.
corpus_cases() {
	local mode=$1 f name v cc all mut

	all=$(corpus_all_compilers)
	mut=" clang gcc $(corpus_check_mut_compilers | tr '\n' ' ')"
	for f in "$CORPUS_DIR"/*.bpf.c; do
		name=$(basename "$f" .bpf.c)
		for v in $(corpus_variants "$f"); do
			for cc in $all; do
				corpus_can_build "$cc" "$v" || continue
				if [ "$mode" = check ]; then
					case $v in
					base|cpu-v4|cpu-v4+*) ;;
					MUT_*) [[ $mut == *" $cc "* ]] || continue ;;
					*) [ "$cc" = clang ] || [ "$cc" = gcc ] || continue ;;
					esac
				fi
				echo "$name $v $cc"
			done
		done
	done
}

corpus_compile() {
	local cc=$1 in=$2 variant=$3 out=$4 def=() v

	for v in ${variant//+/ }; do
		case $v in
		base) ;;
		cpu-v*) def+=(-mcpu="${v#cpu-}") ;;
		O*) def+=(-"$v") ;;
		*) def+=(-D"$v") ;;
		esac
	done
	case $cc in
	clang-*) CLANG=$cc bpf_compile clang "$in" "$out" "${def[@]}" -I"$CORPUS_DIR" \
		-I"$tmp/vmlinux" ;;
	*) bpf_compile "$cc" "$in" "$out" "${def[@]}" -I"$CORPUS_DIR" -I"$tmp/vmlinux" ;;
	esac
}

# Runs FUNC NAME VARIANT CC for each case on stdin, $CORPUS_JOBS at once,
# each one's output (ok, SKIP WHY or FAIL WHY) in $tmp/run/N; then counts
# them in order with the caller's ok, skipped and bad.
corpus_run() {
	local func=$1 i=0 n name v cc line

	mkdir -p "$tmp/run"
	while read -r name v cc; do
		while [ "$(jobs -rp | wc -l)" -ge "$CORPUS_JOBS" ]; do
			wait -n
		done
		"$func" "$name" "$v" "$cc" >"$tmp/run/$i" 2>&1 </dev/null &
		i=$((i + 1))
	done
	wait
	for ((n = 0; n < i; n++)); do
		line=$(tr '\n' ' ' <"$tmp/run/$n")
		line=${line% }
		case $line in
		ok) ok ;;
		'SKIP '*) skipped "${line#SKIP }" ;;
		'FAIL '*) bad "${line#FAIL }" ;;
		*) bad "case $n ($(head -c 200 "$tmp/run/$n")): no result" ;;
		esac
	done
}

# Does corpus program NAME need WHAT (vmlinux, trampoline)?
corpus_needs() {
	grep -qE "^ \* corpus-needs:.* $2( |\$)" "$CORPUS_DIR/$1.bpf.c"
}

# Writes $tmp/vmlinux/vmlinux.h; prints why not and fails when it cannot.
corpus_vmlinux() {
	local btf=${UBF_VMLINUX_BTF:-/sys/kernel/btf/vmlinux}

	if ! command -v bpftool >/dev/null 2>&1; then
		echo "no bpftool"
		return 1
	fi
	if [ ! -r "$btf" ]; then
		echo "no kernel BTF ($btf)"
		return 1
	fi
	mkdir -p "$tmp/vmlinux" &&
		bpftool btf dump file "$btf" format c >"$tmp/vmlinux/vmlinux.h.part" 2>/dev/null &&
		mv "$tmp/vmlinux/vmlinux.h.part" "$tmp/vmlinux/vmlinux.h" && return 0
	echo "bpftool cannot dump $btf"
	return 1
}

# corpus_build_case NAME ERA CC OBJ: build one case of a layer (tests/layers/corpus.sh,
# tests/kernel/corpus.sh) into OBJ.  Prints "SKIP LABEL: WHY" or "FAIL LABEL: WHY"
# and returns 1 when the case goes no further: CC is not in the caller's
# compilers array, bpf-gcc 12 is known not to build it, or it does not compile.
corpus_build_case() {
	local name=$1 v=$2 cc=$3 obj=$4 label=$1.$2.$3 reason=

	if [[ " ${compilers[*]} " != *" $cc "* ]]; then
		echo "SKIP $label: no $cc"
		return 1
	fi
	if corpus_needs "$name" vmlinux && [ ! -e "$tmp/vmlinux/vmlinux.h" ]; then
		echo "SKIP $label: no vmlinux.h: $corpus_no_vmlinux"
		return 1
	fi
	[ "$cc" = gcc ] && reason=$(corpus_gcc_skip "$name" "$v")
	if [ -n "$reason" ]; then
		echo "SKIP $label: bpf-gcc 12: $reason"
		return 1
	fi
	if ! corpus_compile "$cc" "$CORPUS_DIR/$name.bpf.c" "$v" "$obj" 2>"$obj.cc"; then
		echo "FAIL $label: does not compile: $(head -c 400 "$obj.cc")"
		return 1
	fi
}
