# SPDX-License-Identifier: BSD-2-Clause
# build.bash - how the corpus is built, shared by tests/layers/corpus.sh and
# tests/kernel/corpus.sh; source it after setting $tmp.  Provides
# corpus_compilers (clang and/or gcc, whichever are installed),
# corpus_variants FILE (base, then each MUT_ name the file tests),
# corpus_compile CC FILE VARIANT OUT, and corpus_gcc_skip NAME VARIANT,
# which prints why bpf-gcc 12 cannot build that case (nothing when it can).
CORPUS_DIR=tests/corpus
CLANG=${CLANG:-clang}
BPF_GCC=${BPF_GCC:-bpf-gcc}
corpus_multiarch=$(${CC:-cc} -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

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

# The private <bpf/> for bpf-gcc 12, as tests/layers/objects.sh makes it.
corpus_gcc_headers() {
	local from='^static \(.*\)(\*\([a-z0-9_]*\))(\(.*\)) = (void \*) \([0-9]*\);$'
	local to='static \1\2(\3) __attribute__((kernel_helper(\4)));'

	mkdir -p "$tmp/gccinc" && cp -r /usr/include/bpf "$tmp/gccinc/" &&
		sed -i "s/$from/$to/" "$tmp/gccinc/bpf/bpf_helper_defs.h" &&
		grep -q kernel_helper "$tmp/gccinc/bpf/bpf_helper_defs.h"
}

corpus_compilers() {
	command -v "$CLANG" >/dev/null 2>&1 && echo clang
	command -v "$BPF_GCC" >/dev/null 2>&1 && corpus_gcc_headers && echo gcc
}

corpus_variants() {
	echo base
	grep -oE '\bMUT_[A-Z0-9_]+' "$1" | sort -u
}

corpus_compile() {
	local cc=$1 in=$2 variant=$3 out=$4 def=()
	[ "$variant" = base ] || def=(-D"$variant")
	case $cc in
	clang) "$CLANG" -O2 -g -target bpf "${def[@]}" -I"/usr/include/$corpus_multiarch" \
		-I"$CORPUS_DIR" -c "$in" -o "$out" ;;
	gcc) "$BPF_GCC" -O2 -g -gbtf -mco-re "${def[@]}" -I"$tmp/gccinc" -I"$CORPUS_DIR" \
		-idirafter /usr/include -idirafter "/usr/include/$corpus_multiarch" \
		-c "$in" -o "$out" ;;
	esac
}
