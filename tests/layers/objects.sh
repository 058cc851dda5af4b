#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# objects.sh - real BPF objects loaded by libbpf routed to userbpf.
#
# Every tests/objects/*.bpf.c is compiled now by $CLANG -O2 -g -target bpf
# and by bpf-gcc (Debian's gcc-bpf; libbpf's helper definitions rewritten
# into gcc's kernel_helper form in a private copy of <bpf/>), then the
# driver of the same name ($O/tests/objects/NAME, built by `make objtest`)
# loads it with libbpf after ubf_libbpf_route() and checks the results.
# routing and probes test the routing and libbpf's feature probes once;
# globals-static is the globals driver with libbpf linked statically; skel
# is built here from a `bpftool gen skeleton` header.  Each "ok"/"FAIL"
# line of a driver is one check; a missing compiler or bpftool counts the
# checks it would have enabled as skipped, one per object.  As root, one
# driver also runs as nobody (setpriv), proving userbpf needs no privilege.
LAYER=objects
source tests/harness/layer.bash
CC=${CC:-cc}
source tests/harness/bpf_cc.bash
BPFTOOL=${BPFTOOL:-$(command -v bpftool || echo /usr/sbin/bpftool)}
src=tests/objects
bin=$O/tests/objects
export UBF_PIN_ROOT=$tmp/pins
mkdir -p "$UBF_PIN_ROOT"

have() {
	command -v "$1" >/dev/null 2>&1
}

# run_driver LABEL DRIVER OBJECT: count its "ok"/"FAIL"/"SKIP" lines.
run_driver() {
	local label=$1 drv=$2 obj=$3 st n_ok n_fail n_skip as=()
	if [ ! -x "$drv" ]; then
		bad "$label: $drv is not built (make objtest)"
		return
	fi
	# --as-nobody: drop every privilege first (uid/gid 65534, no groups, no caps)
	[ "${4:-}" = --as-nobody ] &&
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --)
	timeout 120 "${as[@]}" "$drv" "$obj" >"$tmp/drv.out" 2>"$tmp/drv.err"
	st=$?
	n_ok=$(grep -c '^ok ' "$tmp/drv.out")
	n_fail=$(grep -c '^FAIL ' "$tmp/drv.out")
	n_skip=$(grep -c '^SKIP ' "$tmp/drv.out")
	pass=$((pass + n_ok)) fail=$((fail + n_fail)) skip=$((skip + n_skip))
	echo "$label: $n_ok ok, $n_fail failed, $n_skip skipped"
	grep -E '^(FAIL|SKIP) ' "$tmp/drv.out" | sed "s|^|$label: |"
	if [ "$st" -ne 0 ] && [ "$n_fail" -eq 0 ]; then
		bad "$label: exit status $st with no failed check; stderr: $(tail -c 600 "$tmp/drv.err")"
	elif [ "$n_fail" -ne 0 ]; then
		echo "$label: libbpf/stderr: $(tail -c 600 "$tmp/drv.err")"
	fi
}

# The objects' own headers are in $src; bpf-gcc also gets -fno-toplevel-reorder.
compile() {
	if [ "$1" = gcc ]; then
		bpf_compile gcc "$2" "$3" -fno-toplevel-reorder -I"$src"
	else
		bpf_compile clang "$2" "$3" -I"$src"
	fi
}

# What bpf-gcc 12 cannot build for libbpf 1.1 (Linux rejects these objects
# too): lddw of global data carries the variable's offset in the immediate as
# well as in the relocation, which libbpf adds, and calls to global functions
# get an immediate libbpf cannot resolve.  Counted as skipped.
declare -A gcc_broken=(
	[globals]="bpf-gcc 12 double-counts global data offsets and mis-encodes global calls"
)

compilers=()
if have "$CLANG"; then compilers+=(clang); else skipped "clang ($CLANG) is missing"; fi
if have "$BPF_GCC" && bpf_gcc_headers; then
	compilers+=(gcc)
else
	skipped "bpf-gcc is missing (apt-get install gcc-bpf)"
fi

for f in "$src"/*.bpf.c; do
	name=$(basename "$f" .bpf.c)
	for cc in clang gcc; do
		if [[ " ${compilers[*]} " != *" $cc "* ]]; then
			skipped "$name.$cc: no compiler"
			continue
		fi
		if [ "$cc" = gcc ] && [ -n "${gcc_broken[$name]:-}" ]; then
			skipped "$name.gcc: ${gcc_broken[$name]}"
			continue
		fi
		obj=$tmp/$name.$cc.o
		if ! compile "$cc" "$f" "$obj" 2>"$tmp/cc.err"; then
			bad "$name.$cc: does not compile: $(grep -m3 error "$tmp/cc.err")"
			continue
		fi
		run_driver "$name.$cc" "$bin/$name" "$obj"
		[ "$name" = globals ] && run_driver "globals-static.$cc" "$bin/globals-static" "$obj"
	done
done

any_obj=$(ls "$tmp"/*.o 2>/dev/null | head -n 1)
run_driver routing "$bin/routing" "${any_obj:-none}"
run_driver probes "$bin/probes" "${any_obj:-none}"

# A skeleton of the clang-built globals object, compiled against the library.
if [ ! -x "$BPFTOOL" ]; then
	skipped "skel: bpftool is missing (apt-get install bpftool)"
elif [ ! -f "$tmp/globals.clang.o" ]; then
	skipped "skel: no clang-built globals object"
elif ! "$BPFTOOL" gen skeleton "$tmp/globals.clang.o" name globals >"$tmp/globals.skel.h" \
	2>"$tmp/skel.err"; then
	bad "skel: bpftool gen skeleton failed: $(head -c 400 "$tmp/skel.err")"
else
	flags=(-std=gnu11 -O1 -g -Iinclude -Isrc -I"$src" -I"$tmp" -Wall -Wextra)
	[ -n "${SAN:-}" ] && flags+=(-fsanitize="$SAN" -fno-omit-frame-pointer -fno-sanitize-recover=all)
	if "$CC" "${flags[@]}" "$src/skel.c" "$src/driver.c" "$O/lib/libuserbpf.a" \
		$(pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) -lm -ldl -lpthread \
		-o "$tmp/skel" 2>"$tmp/skel.err"; then
		run_driver skel "$tmp/skel" "$tmp/globals.clang.o"
	else
		bad "skel: does not build: $(grep -m3 error "$tmp/skel.err")"
	fi
fi

# Proof that userbpf needs no privilege: as root (CI), run a driver again as
# nobody with a store of its own; not root, every run above already proves it.
run_unprivileged() {
	local dir drv=$bin/tailcall obj=$tmp/tailcall.clang.o

	if [ "$(id -u)" -ne 0 ]; then
		return
	elif ! have setpriv; then
		skipped "unprivileged: setpriv is missing (util-linux)"
		return
	elif [ ! -x "$drv" ] || [ ! -f "$obj" ]; then
		skipped "unprivileged: no tailcall driver or clang-built object"
		return
	fi
	dir=$(mktemp -d /tmp/ubf-unpriv.XXXXXX) && chmod 755 "$dir" &&
		cp "$drv" "$obj" "$dir/" && mkdir "$dir/pins" && chown 65534:65534 "$dir/pins"
	UBF_PIN_ROOT=$dir/pins run_driver unprivileged \
		"$dir/tailcall" "$dir/tailcall.clang.o" --as-nobody
	rm -rf "$dir"
}
run_unprivileged

summary
