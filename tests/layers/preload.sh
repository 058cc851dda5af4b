#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# preload.sh - Debian's bpftool, unmodified, on userbpf through
# LD_PRELOAD=libuserbpf-preload.so, compared command by command with the
# same command through `userbpf prog|map|btf` on the same store: map
# create/update/lookup/dump (plain and -j)/pin, prog load/loadall of
# objects compiled here, prog show, dump xlated, run, btf dump and a
# truthful feature probe; then the libbpf-bootstrap style application of
# tests/apps/bootstrap and the non-interference program of tests/apps/plain.
# Everything runs unprivileged: as root, as nobody (setpriv) with a store
# that nobody owns.  Normalised before comparing, and only these: bpftool's
# loaded_at (a wall-clock time both derive from the load time, rounded in
# each process) and jited sizes (each process JITs a program itself, with
# the addresses of its own mappings in the code).  Without bpftool, clang
# or setpriv the checks that need them are counted as skipped.
LAYER=preload
source tests/harness/layer.bash
CC=${CC:-cc}
CLANG=${CLANG:-clang}
BPFTOOL=${BPFTOOL:-$(command -v bpftool || echo /usr/sbin/bpftool)}
preload=$O/lib/libuserbpf-preload.so
multiarch=$($CC -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
P=/sys/fs/bpf

have() {
	command -v "$1" >/dev/null 2>&1
}

if [ ! -f "$preload" ]; then
	bad "$preload is not built"
	summary
fi

# A world-readable work directory (nobody must read the objects) with a
# store nobody owns when root; the CLI is copied in for the same reason.
work=$(mktemp -d /tmp/ubf-preload.XXXXXX)
trap 'rm -rf "$tmp" "$work"' EXIT
chmod 755 "$work"
mkdir "$work/pins"
cp "$cli" "$preload" "$work/"
pl=$work/libuserbpf-preload.so
ub=$work/userbpf
as=()
if [ "$(id -u)" -eq 0 ]; then
	if ! have setpriv; then
		skipped "setpriv is missing (util-linux): nothing runs as root here"
		summary
	fi
	chown 65534:65534 "$work/pins"
	as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --)
fi
# A sanitized library needs its runtime loaded first in programs built without it.
san_pre=
if [ -n "${SAN:-}" ]; then
	for rt in libasan.so libubsan.so; do
		[[ $SAN == *${rt#lib}* || ($rt = libasan.so && $SAN == *address*) ||
			($rt = libubsan.so && $SAN == *undefined*) ]] || continue
		f=$($CC -print-file-name=$rt)
		[ -f "$f" ] && san_pre="$san_pre$f "
	done
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# as_user CMD...: CMD unprivileged, on the test's store.
as_user() {
	env UBF_PIN_ROOT="$work/pins" "${as[@]}" "$@"
}
# bt ARGS...: Debian's bpftool under the preload library; ub ARGS...: the CLI.
bt() {
	as_user env LD_PRELOAD="$san_pre$pl" "$BPFTOOL" "$@"
}
ub() {
	as_user "$ub" "$@"
}

# The normalisations the header names.
norm() {
	sed -E -e 's/loaded_at [0-9T:+-]+/loaded_at T/' -e 's/"loaded_at":[0-9]+/"loaded_at":T/' \
		-e 's/jited [0-9]+B/jited NB/' -e 's/"bytes_jited":[0-9]+/"bytes_jited":N/'
}

# same NAME ARGS...: bpftool and the CLI print the same (after norm) and exit alike.
same() {
	local name=$1 st_b st_u
	shift
	bt "$@" >"$tmp/b.out" 2>"$tmp/b.err"
	st_b=$?
	ub "$@" >"$tmp/u.out" 2>"$tmp/u.err"
	st_u=$?
	norm <"$tmp/b.out" >"$tmp/b.norm"
	norm <"$tmp/u.out" >"$tmp/u.norm"
	if [ "$st_b" -ne "$st_u" ]; then
		bad "$name: bpftool exits $st_b, userbpf $st_u; $(head -c 300 "$tmp/b.err")"
	elif [ ! -s "$tmp/b.out" ] && [ "${EMPTY_OK:-}" != 1 ]; then
		bad "$name: no output; stderr: $(head -c 300 "$tmp/b.err")"
	elif ! cmp -s "$tmp/b.norm" "$tmp/u.norm"; then
		bad "$name: bpftool and userbpf differ: $(diff "$tmp/b.norm" "$tmp/u.norm" | head -12)"
	else
		ok
	fi
}

# ---------------------------------------------------------------- bpftool
bpftool_checks() {
	# Proof that the kernel is not involved: the pin is a file in the store,
	# and, where Linux denies unprivileged bpf(2), the same command without
	# the library fails.
	check "map create" 0 - - bt map create $P/m1 type hash key 4 value 8 entries 8 name m1
	if [ -f "$work/pins/m1" ]; then ok; else bad "map create: no store file $work/pins/m1"; fi
	if [ "$(cat /proc/sys/kernel/unprivileged_bpf_disabled 2>/dev/null || echo 0)" != 0 ]; then
		check "kernel bpf(2) is denied without the library" 255 - 'Operation not permitted' \
			as_user "$BPFTOOL" map create $P/k type hash key 4 value 8 entries 8 name k
	else
		skipped "kernel denial: unprivileged bpf(2) is enabled on this host"
	fi

	check "map update" 0 - - bt map update pinned $P/m1 key 1 0 0 0 value 2 0 0 0 0 0 0 0
	check "map update hex" 0 - - bt map update pinned $P/m1 key hex 02 00 00 00 \
		value hex 01 02 03 04 05 06 07 08 noexist
	check "map update seen by the CLI" 0 '^key: 02 00 00 00  value: 01 02 03 04 05 06 07 08$' - \
		ub map lookup pinned $P/m1 key 2 0 0 0
	check "CLI update" 0 - - ub map update pinned $P/m1 key 3 0 0 0 value 9 0 0 0 0 0 0 0
	same "map lookup" map lookup pinned $P/m1 key 3 0 0 0
	same "-j map lookup" -j map lookup pinned $P/m1 key 1 0 0 0
	same "map lookup absent" map lookup pinned $P/m1 key 7 0 0 0
	same "map dump" map dump pinned $P/m1
	same "-j map dump" -j map dump pinned $P/m1
	same "map show" map show pinned $P/m1
	same "-j map show" -j map show pinned $P/m1
	check "map pin" 0 - - bt map pin pinned $P/m1 $P/m1-again
	same "map show of the new pin" map show pinned $P/m1-again
	# -f: bpftool walks /sys/fs/bpf (nftw) for pins; the CLI has no -f, so by content
	bt -f map show pinned $P/m1 >"$tmp/f.out" 2>&1
	if grep -qx $'\tpinned /sys/fs/bpf/m1' "$tmp/f.out" &&
		grep -qx $'\tpinned /sys/fs/bpf/m1-again' "$tmp/f.out"; then
		ok
	else
		bad "-f map show: both pins expected: $(head -c 300 "$tmp/f.out")"
	fi
	check "map update noexist on present key" 239 - 'File exists' \
		bt map update pinned $P/m1 key 1 0 0 0 value 0 0 0 0 0 0 0 0 noexist

	# programs: a clang-built XDP object (load) and a four-program object (loadall)
	if ! have "$CLANG"; then
		for t in load loadall show -jshow xlated -jxlated run btf; do
			skipped "prog $t: clang is missing"
		done
		return
	fi
	for o in xdp tailcall; do
		"$CLANG" -O2 -g -target bpf -I"/usr/include/$multiarch" -Itests/objects \
			-c "tests/objects/$o.bpf.c" -o "$work/$o.o" 2>"$tmp/cc.err" ||
			bad "$o.bpf.c does not compile: $(head -c 300 "$tmp/cc.err")"
		chmod 644 "$work/$o.o"
	done
	check "prog load" 0 - - bt prog load "$work/xdp.o" $P/p1
	check "CLI prog load" 0 - - ub prog load "$work/xdp.o" $P/p1u
	same "prog show" prog show pinned $P/p1
	same "-j prog show" -j prog show pinned $P/p1
	same "prog show of the CLI's program" prog show pinned $P/p1u
	check "prog loadall" 0 - - bt prog loadall "$work/tailcall.o" $P/all
	if [ "$(ls "$work/pins/all" 2>/dev/null | wc -l)" -eq 4 ]; then
		ok
	else
		bad "prog loadall: pins $(ls "$work/pins/all" 2>&1 | tr '\n' ' ')"
	fi
	for f in $(ls "$work/pins/all" 2>/dev/null); do
		same "prog show (loadall $f)" prog show pinned $P/all/$f
	done
	same "prog show (all)" prog show
	check "-f prog show names pins, not the store's own files" 0 \
		$'^\tpinned /sys/fs/bpf/all/' - bt -f prog show
	# the store keeps the maps of pinned programs alive with links under .held
	check "-f map show lists the programs' maps" 0 ' name pkts ' - bt -f map show
	if grep -q '/\.held' "$tmp/out"; then bad "-f map show: store internals shown"; else ok; fi
	same "map show (all)" map show

	# dump xlated: byte for byte what bpftool prints (Linux's printer, BTF
	# function signatures and source lines, map ids, helper names, map value
	# references, calls of subprograms), plain, -j and --pretty, and with
	# opcodes and linum; the objects have line info, subprograms, map value
	# lddws (globals), callbacks (loop_lock) and tail calls (tailcall).
	for o in globals loop_lock; do
		"$CLANG" -O2 -g -target bpf -I"/usr/include/$multiarch" -Itests/objects \
			-c "tests/objects/$o.bpf.c" -o "$work/$o.o" 2>"$tmp/cc.err" ||
			bad "$o.bpf.c does not compile: $(head -c 300 "$tmp/cc.err")"
		chmod 644 "$work/$o.o"
		check "prog loadall $o" 0 - - bt prog loadall "$work/$o.o" $P/$o
	done
	for p in p1 p1u globals/globals loop_lock/loop_lock all/entry all/tail1; do
		for v in "" -j -p; do
			same "$v prog dump xlated $p" $v prog dump xlated pinned $P/$p
		done
		same "prog dump xlated $p opcodes" prog dump xlated pinned $P/$p opcodes
		same "-j prog dump xlated $p linum" -j prog dump xlated pinned $P/$p linum
	done
	same "-p prog dump xlated opcodes" -p prog dump xlated pinned $P/p1 opcodes
	same "prog dump xlated linum" prog dump xlated pinned $P/globals/globals linum
	check "prog dump xlated has the BTF source lines" 0 '^; if \(data \+ 14 > end\)' - \
		ub prog dump xlated pinned $P/p1
	check "prog dump xlated has the function signature" 0 '^int xdp_swap\(struct xdp_md \* ctx\):$' - \
		ub prog dump xlated pinned $P/p1
	check "prog dump xlated of a subprogram call" 0 '^ +[0-9]+: \(85\) call pc\+' - \
		ub prog dump xlated pinned $P/globals/globals
	check "prog dump xlated of a map value" 0 '^ +[0-9]+: \(18\) r[0-9] = map\[id:[0-9]+\]\[0\]\+0$' - \
		ub prog dump xlated pinned $P/globals/globals

	# prog run: the XDP program swaps the MAC addresses of a 64-byte frame (XDP_TX)
	head -c 64 /dev/urandom >"$work/pkt" && chmod 644 "$work/pkt"
	bt prog run pinned $P/p1 data_in "$work/pkt" data_out - repeat 4 >"$tmp/rb" 2>&1
	ub prog run pinned $P/p1 data_in "$work/pkt" data_out - repeat 4 >"$tmp/ru" 2>&1
	sed -i -E 's/duration \(average\): [0-9]+ns/duration D/' "$tmp/rb" "$tmp/ru"
	if grep -q '^Return value: 3, duration D$' "$tmp/rb" && cmp -s "$tmp/rb" "$tmp/ru"; then
		ok
	else
		bad "prog run: $(diff "$tmp/rb" "$tmp/ru" | head -8)"
	fi

	btf=$(bt -j prog show pinned $P/p1 | sed -nE 's/.*"btf_id":([0-9]+).*/\1/p')
	if [ -n "$btf" ]; then
		same "btf dump" btf dump id "$btf"
		same "-j btf dump" -j btf dump id "$btf"
	else
		bad "btf dump: the program has no btf_id"
	fi
}

# ---------------------------------------------------------------- feature probe
# Truthful: the map types bpftool finds are exactly maps.def's; the program
# types are prog_types.def's except those that attach to kernel BTF; every
# helper found is one helpers.def implements.  bpftool insists on `unprivileged`
# when the process lacks CAP_BPF: the library does not lie about capabilities.
# probe_checks LABEL FILE: the program types, map types and helpers of a
# bpftool feature probe are userbpf's own tables (prog_types.def, maps.def,
# helpers.def), nothing more; a full probe also finds every helper but the
# two bpftool never probes (they would write to the trace pipe).
probe_checks() {
	local label=$1 fp=$2 got want

	check "$label: bpf() is available" 0 '^bpf\(\) syscall is available$' - cat "$fp"
	check "$label: unprivileged bpf() is enabled" 0 \
		'^bpf\(\) syscall for unprivileged users is enabled$' - cat "$fp"
	check "$label: the JIT is enabled" 0 '^JIT compiler is enabled$' - cat "$fp"
	got=$(sed -nE 's/^eBPF map_type ([a-z_]+) is available$/\1/p' "$fp" | sort | tr '\n' ' ')
	# maps.def's types that this bpftool knows (an older one has no cgrp_storage)
	sed -nE 's/^eBPF map_type ([a-z_]+) is (NOT )?available$/\1/p' "$fp" >"$tmp/fp.maps"
	want=$(sed -nE 's/^UBF_MAP_TYPE\(([A-Z_]+),.*/\1/p' src/maps/maps.def | tr 'A-Z' 'a-z' |
		grep -xF -f "$tmp/fp.maps" | sort | tr '\n' ' ')
	if [ -n "$got" ] && [ "$got" = "$want" ]; then
		ok
	else
		bad "$label: map types [$got], maps.def [$want]"
	fi
	got=$(sed -nE 's/^eBPF program_type ([a-z_0-9]+) is available$/\1/p' "$fp" | sort |
		tr '\n' ' ')
	# tracing and lsm probe as available: the verifier answers libbpf's probe as Linux does
	want=$(sed -nE 's/^UBF_PROG_TYPE\([A-Z0-9_]+,[[:space:]]*"([a-z_0-9]+)".*/\1/p' \
		src/sys/prog_types.def | grep -vxE 'unspec|struct_ops|ext' | sort |
		tr '\n' ' ')
	if [ -n "$got" ] && [ "$got" = "$want" ]; then
		ok
	else
		bad "$label: program types [$got], prog_types.def [$want]"
	fi
	sed -nE 's/^\t- (bpf_[a-z0-9_]+)$/\1/p' "$fp" | sort -u >"$tmp/fp.helpers"
	sed -nE 's/^X\([0-9]+, *([a-z0-9_]+),.*/bpf_\1/p' src/helpers/helpers.def | sort -u \
		>"$tmp/def.helpers"
	got=$(comm -23 "$tmp/fp.helpers" "$tmp/def.helpers" | tr '\n' ' ')
	if [ -s "$tmp/fp.helpers" ] && [ -z "$got" ]; then
		ok
	else
		bad "$label: helpers userbpf does not implement reported: [$got]"
	fi
}

feature_checks() {
	local got
	if ! bt feature probe unprivileged >"$tmp/fp" 2>"$tmp/fp.err"; then
		bad "feature probe: $(head -c 300 "$tmp/fp.err")"
		return
	fi
	probe_checks "feature probe unprivileged" "$tmp/fp"
	# the full probe: bpftool itself refuses it without CAP_SYS_ADMIN (its capget()),
	# which the library does not fake; as root every answer comes from userbpf
	check "full feature probe refused unprivileged, by bpftool" 255 - 'missing CAP_SYS_ADMIN' \
		bt feature probe
	if [ "$(id -u)" -ne 0 ]; then
		for i in $(seq 8); do skipped "full feature probe: needs root"; done
		return
	fi
	if ! env UBF_PIN_ROOT="$work/pins" LD_PRELOAD="$san_pre$pl" "$BPFTOOL" feature probe \
		>"$tmp/fpr" 2>"$tmp/fpr.err"; then
		bad "full feature probe: $(head -c 300 "$tmp/fpr.err")"
		return
	fi
	probe_checks "full feature probe" "$tmp/fpr"
	got=$(comm -13 "$tmp/fp.helpers" "$tmp/def.helpers" | tr '\n' ' ')
	if [ "$got" = "bpf_trace_printk bpf_trace_vprintk " ]; then
		ok
	else
		bad "full feature probe: helpers.def rows not found: [$got]"
	fi
	check "full feature probe: the ISA extensions run" 0 '^ISA extension v3 is available$' - \
		cat "$tmp/fpr"
}

if [ ! -x "$BPFTOOL" ]; then
	for t in map prog feature; do
		skipped "bpftool $t: bpftool is missing (apt-get install bpftool)"
	done
else
	bpftool_checks
	feature_checks
fi

# ---------------------------------------------------------------- applications
source tests/apps/apps.bash
apps_checks

summary
