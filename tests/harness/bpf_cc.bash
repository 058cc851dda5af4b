# SPDX-License-Identifier: BSD-2-Clause
# bpf_cc.bash - how the tests compile BPF C with clang and bpf-gcc, shared
# by tests/layers/objects.sh, tests/kernel/check-kernel.sh and the corpus
# (tests/corpus/build.bash).  Source it; the functions use $tmp when called.
#   bpf_gcc_headers          makes the private <bpf/> bpf-gcc 12 needs in
#                            $tmp/gccinc; fails when it cannot
#   bpf_compile CC IN OUT [FLAG...]
#                            compiles IN to OUT with clang or gcc (CC),
#                            -O2 -g with BTF, FLAGs (-I, -D ...) added
CLANG=${CLANG:-clang}
BPF_GCC=${BPF_GCC:-bpf-gcc}
bpf_multiarch=$(${CC:-cc} -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

# libbpf's `static T (*name)(args) = (void *) N;` becomes
# `static T name(args) __attribute__((kernel_helper(N)));` for bpf-gcc 12.
bpf_gcc_headers() {
	local from='^static \(.*\)(\*\([a-z0-9_]*\))(\(.*\)) = (void \*) \([0-9]*\);$'
	local to='static \1\2(\3) __attribute__((kernel_helper(\4)));'

	mkdir -p "$tmp/gccinc" && cp -r /usr/include/bpf "$tmp/gccinc/" &&
		sed -i "s/$from/$to/" "$tmp/gccinc/bpf/bpf_helper_defs.h" &&
		grep -q kernel_helper "$tmp/gccinc/bpf/bpf_helper_defs.h"
}

bpf_compile() {
	local cc=$1 in=$2 out=$3

	shift 3
	case $cc in
	clang) "$CLANG" -O2 -g -target bpf -I"/usr/include/$bpf_multiarch" "$@" \
		-c "$in" -o "$out" ;;
	gcc) "$BPF_GCC" -O2 -g -gbtf -mco-re -I"$tmp/gccinc" "$@" -idirafter /usr/include \
		-idirafter "/usr/include/$bpf_multiarch" -c "$in" -o "$out" ;;
	esac
}
