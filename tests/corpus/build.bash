# SPDX-License-Identifier: BSD-2-Clause
# build.bash - how the corpus is built, shared by tests/layers/corpus.sh and
# tests/kernel/corpus.sh; source it after setting $tmp.  Provides
# corpus_compilers (clang and/or gcc, whichever are installed),
# corpus_variants FILE (base, then each MUT_ name the file tests),
# corpus_compile CC FILE VARIANT OUT, and corpus_gcc_skip NAME VARIANT,
# which prints why bpf-gcc 12 cannot build that case (nothing when it can).
CORPUS_DIR=tests/corpus
source tests/harness/bpf_cc.bash

# What bpf-gcc 12 cannot build for libbpf 1.1, by file (and variant, when
# only some are affected), with the reason.  Only these are skipped.
corpus_gcc_skips() {
	cat "$CORPUS_DIR/gcc-skips.txt"
}

corpus_gcc_skip() {
	local name=$1 variant=$2 file what reason
	while IFS=$'\t' read -r file what reason; do
		case $file in ''|'#'*) continue ;; esac
		[ "$file" = "$name" ] || continue
		[ "$what" = '*' ] || [ "$what" = "$variant" ] || continue
		echo "$reason"
		return
	done < <(corpus_gcc_skips)
}

corpus_compilers() {
	command -v "$CLANG" >/dev/null 2>&1 && echo clang
	command -v "$BPF_GCC" >/dev/null 2>&1 && bpf_gcc_headers && echo gcc
}

corpus_variants() {
	echo base
	grep -oE '\bMUT_[A-Z0-9_]+' "$1" | sort -u
}

corpus_compile() {
	local cc=$1 in=$2 variant=$3 out=$4 def=()

	[ "$variant" = base ] || def=(-D"$variant")
	bpf_compile "$cc" "$in" "$out" "${def[@]}" -I"$CORPUS_DIR"
}
