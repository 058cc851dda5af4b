#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# exec.sh - unmodified programs on userbpf through `userbpf exec` (seccomp
# user notification, src/exec/): a statically linked C program making raw
# bpf(2) calls (tests/exec/raw_bpf.c), Debian's bpftool compared with
# `userbpf prog|map`, a plain libbpf ring buffer consumer woken through
# epoll (tests/exec/ringbuf_consumer.c), and a Go program using
# cilium/ebpf built offline from Debian's packages (tests/go/).  Every
# program is built here; a missing tool counts its checks as skipped.  As
# root everything runs as nobody (setpriv) with a store nobody owns, so
# the layer proves that exec needs no privilege.
LAYER=exec
source tests/harness/layer.bash
CC=${CC:-cc}
CLANG=${CLANG:-clang}
BPFTOOL=${BPFTOOL:-$(command -v bpftool || echo /usr/sbin/bpftool)}
multiarch=$($CC -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

have() {
	command -v "$1" >/dev/null 2>&1
}

# A directory nobody can read, with the CLI and a store of nobody's.
dir=$(mktemp -d /tmp/ubf-exec.XXXXXX)
trap 'rm -rf "$tmp" "$dir"' EXIT
chmod 755 "$dir" && mkdir "$dir/pins" "$dir/work" && cp "$cli" "$dir/userbpf"
export UBF_PIN_ROOT=$dir/pins
as=()
if [ "$(id -u)" -eq 0 ]; then
	if have setpriv; then
		chown 65534:65534 "$dir/pins" "$dir/work"
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --)
	else
		skipped "unprivileged: setpriv is missing (util-linux); running as root"
	fi
fi
u=("${as[@]}" "$dir/userbpf")
x=("${u[@]}" exec --)

# count_lines LABEL FILE: one pass per "ok" line, one failure per "FAIL" line.
count_lines() {
	local label=$1 file=$2 n_ok n_fail
	n_ok=$(grep -c '^ok ' "$file")
	n_fail=$(grep -c '^FAIL ' "$file")
	pass=$((pass + n_ok)) fail=$((fail + n_fail))
	echo "$label: $n_ok ok, $n_fail failed"
	grep '^FAIL ' "$file" | sed "s|^|$label: |"
	[ "$n_ok" -gt 0 ] || bad "$label: no check ran; stderr: $(tail -c 400 "$tmp/err")"
}

# same NAME CMD_A :: CMD_B: both succeed with the same stdout.  loaded_at is
# compared without its time: each tool turns boot time into wall time itself.
same() {
	local name=$1 a=() b=()
	shift
	while [ "$1" != :: ]; do a+=("$1"); shift; done
	shift
	b=("$@")
	if ! timeout 60 "${a[@]}" >"$tmp/a" 2>"$tmp/a.err"; then
		bad "$name: ${a[*]} failed: $(head -c 400 "$tmp/a.err")"
	elif ! timeout 60 "${b[@]}" >"$tmp/b" 2>"$tmp/b.err"; then
		bad "$name: ${b[*]} failed: $(head -c 400 "$tmp/b.err")"
	elif ! sed -i -E 's/loaded_at [^ ]+/loaded_at -/' "$tmp/a" "$tmp/b" ||
		! cmp -s "$tmp/a" "$tmp/b"; then
		bad "$name: outputs differ: $(diff "$tmp/a" "$tmp/b" | head -c 600)"
	else
		ok
	fi
}

# ---- the supervisor itself: exit codes, a missing program
check "exit status passes through" 3 - - "${x[@]}" sh -c 'exit 3'
check "a signal gives 128 + signal" 137 - - "${x[@]}" sh -c 'kill -9 $$'
check "a missing program is 127" 127 - 'exec: /nonexistent: No such file' "${x[@]}" /nonexistent
check "no program is a usage error" 2 - 'missing COMMAND' "${u[@]}" exec --
check "unrelated calls run unchanged" 0 '^hello$' - "${x[@]}" sh -c 'mkdir '"$dir"'/work/d && \
	echo hello > '"$dir"'/work/d/f && cat '"$dir"'/work/d/f && rm '"$dir"'/work/d/f && \
	rmdir '"$dir"'/work/d'

# ---- a static binary with raw bpf(2) calls; its pin is the CLI's
if $CC -static -O2 tests/exec/raw_bpf.c -o "$dir/raw_bpf" 2>"$tmp/err"; then
	timeout 60 "${x[@]}" "$dir/raw_bpf" /sys/fs/bpf/raw_map >"$tmp/out" 2>"$tmp/err"
	count_lines raw_bpf "$tmp/out"
	check "the static program's pin, seen by the CLI" 0 'value: 2a 00 00 00 00 00 00 00' - \
		"${u[@]}" map lookup pinned /sys/fs/bpf/raw_map key 1 0 0 0
else
	skipped "raw_bpf: no static C library: $(head -c 200 "$tmp/err")"
fi

# ---- Debian's bpftool, compared with userbpf prog|map
bpftool_checks() {
	local bt=("${x[@]}" "$BPFTOOL") obj=$1 probe=(feature probe)
	check "bpftool map create" 0 - - "${bt[@]}" map create /sys/fs/bpf/bt_map type hash \
		key 4 value 8 entries 8 name bt_map
	check "bpftool map update" 0 - - "${bt[@]}" map update pinned /sys/fs/bpf/bt_map \
		key 1 0 0 0 value 7 0 0 0 0 0 0 0
	same "bpftool map lookup" "${bt[@]}" map lookup pinned /sys/fs/bpf/bt_map key 1 0 0 0 :: \
		"${u[@]}" map lookup pinned /sys/fs/bpf/bt_map key 1 0 0 0
	same "bpftool map dump" "${bt[@]}" map dump pinned /sys/fs/bpf/bt_map :: \
		"${u[@]}" map dump pinned /sys/fs/bpf/bt_map
	same "bpftool map dump -j" "${bt[@]}" -j map dump pinned /sys/fs/bpf/bt_map :: \
		"${u[@]}" -j map dump pinned /sys/fs/bpf/bt_map
	same "bpftool map show" "${bt[@]}" map show pinned /sys/fs/bpf/bt_map :: \
		"${u[@]}" map show pinned /sys/fs/bpf/bt_map
	check "bpftool map pin" 0 - - "${bt[@]}" map pin pinned /sys/fs/bpf/bt_map \
		/sys/fs/bpf/bt_map2
	same "bpftool map pin: the second pin is the same map" \
		"${u[@]}" map show pinned /sys/fs/bpf/bt_map :: \
		"${u[@]}" map show pinned /sys/fs/bpf/bt_map2
	# bpftool checks its own capabilities: as nobody it probes what nobody may use
	[ ${#as[@]} -gt 0 ] || [ "$(id -u)" -ne 0 ] && probe+=(unprivileged)
	check "bpftool feature probe: what userbpf runs is available" 0 \
		'program_type socket_filter is available' - "${bt[@]}" "${probe[@]}"
	# and what it does not (struct_ops are kernel structures) is not
	if grep -q 'map_type ringbuf is available' "$tmp/out" &&
		grep -q 'map_type sockmap is available' "$tmp/out" &&
		grep -q 'map_type struct_ops is NOT available' "$tmp/out"; then
		ok
	else
		bad "bpftool feature probe: ringbuf/sockmap/struct_ops answers:" \
			"$(grep -E 'ringbuf|sockmap|struct_ops' "$tmp/out")"
	fi
	if [ -z "$obj" ]; then
		skipped "bpftool prog load/show/dump/run: no clang for the object"
		return
	fi
	check "bpftool prog load" 0 - - "${bt[@]}" prog load "$obj" /sys/fs/bpf/bt_prog
	same "bpftool prog show" "${bt[@]}" prog show pinned /sys/fs/bpf/bt_prog :: \
		"${u[@]}" prog show pinned /sys/fs/bpf/bt_prog
	head -c 64 /dev/zero >"$dir/pkt"
	check "bpftool prog run" 0 '^Return value: 4294967295' - \
		"${bt[@]}" prog run pinned /sys/fs/bpf/bt_prog data_in "$dir/pkt"
	for v in "" -j -p; do
		same "bpftool $v prog dump xlated" "${bt[@]}" $v prog dump xlated \
			pinned /sys/fs/bpf/bt_prog :: "${u[@]}" $v prog dump xlated pinned /sys/fs/bpf/bt_prog
	done
	same "bpftool prog dump xlated opcodes" "${bt[@]}" prog dump xlated \
		pinned /sys/fs/bpf/bt_prog opcodes :: "${u[@]}" prog dump xlated pinned /sys/fs/bpf/bt_prog opcodes
	check "bpftool -f prog show names the pin" 0 $'^\tpinned /sys/fs/bpf/bt_prog$' - \
		"${bt[@]}" -f prog show pinned /sys/fs/bpf/bt_prog
	# pins are files and directories for any program: ls, test, stat, and the /proc files
	check "ls of /sys/fs/bpf lists the pins" 0 '^bt_prog$' - "${x[@]}" ls /sys/fs/bpf
	check "ls -a of /sys/fs/bpf hides the store's own files" 0 '^bt_prog$' - "${x[@]}" sh -c \
		'ls -a /sys/fs/bpf; if find /sys/fs/bpf | grep -qE "/\.(held|ids|stats)"; then echo SHOWN; fi'
	if grep -q '^SHOWN$' "$tmp/out"; then bad "ls -a, find: store internals shown"; else ok; fi
	check "ls -l of a pin" 0 ' /sys/fs/bpf/bt_prog$' - "${x[@]}" ls -l /sys/fs/bpf/bt_prog
	check "test -e of a pin" 0 - - "${x[@]}" test -e /sys/fs/bpf/bt_prog
	check "test -e of a missing pin" 1 - - "${x[@]}" test -e /sys/fs/bpf/none
	check "open of a pin and its fdinfo" 0 '^prog_type:	[0-9]+$' - "${x[@]}" sh -c \
		'exec 3</sys/fs/bpf/bt_prog && cat /proc/self/fdinfo/3'
	check "readlink of an open pin" 0 '^anon_inode:bpf-prog$' - "${x[@]}" sh -c \
		'exec 3</sys/fs/bpf/bt_prog && readlink /proc/self/fd/3'
	check "the eBPF sysctls read userbpf's values" 0 '^0$' - \
		"${x[@]}" cat /proc/sys/kernel/unprivileged_bpf_disabled
	check "other /proc files are the kernel's" 0 '^Name:' - "${x[@]}" cat /proc/self/status
}

obj=
if have "$CLANG" && "$CLANG" -O2 -g -target bpf -I"/usr/include/$multiarch" \
	-c tests/go/maps.bpf.c -o "$dir/maps.o" 2>"$tmp/err"; then
	obj=$dir/maps.o
fi
if [ -x "$BPFTOOL" ]; then
	bpftool_checks "$obj"
else
	for i in $(seq 28); do skipped "bpftool: not installed (Debian package bpftool)"; done
fi

# ---- a libbpf ring buffer consumer: every event, woken through epoll
if ! have "$CLANG" || [ ! -e /usr/include/bpf/libbpf.h ]; then
	skipped "ringbuf_consumer: needs clang and libbpf-dev"
elif ! "$CLANG" -O2 -g -target bpf -I"/usr/include/$multiarch" -Itests/objects \
	-c tests/objects/ringbuf.bpf.c -o "$dir/ringbuf.o" 2>"$tmp/err" ||
	! $CC -O2 tests/exec/ringbuf_consumer.c -o "$dir/ringbuf_consumer" \
		$(pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) 2>"$tmp/err"; then
	bad "ringbuf_consumer: does not build: $(head -c 400 "$tmp/err")"
else
	timeout 60 "${x[@]}" "$dir/ringbuf_consumer" "$dir/ringbuf.o" >"$tmp/out" 2>"$tmp/err"
	count_lines ringbuf_consumer "$tmp/out"
fi

# ---- Go: cilium/ebpf from Debian, built offline
gocode=/usr/share/gocode
if ! have go || [ ! -d "$gocode/src/github.com/cilium/ebpf" ]; then
	skipped "go: needs golang-go and golang-github-cilium-ebpf-dev"
elif [ -z "$obj" ]; then
	skipped "go: no clang for the object"
elif ! (cd tests/go && GO111MODULE=off GOPATH=$gocode GOFLAGS= GOPROXY=off \
	GOCACHE=$tmp/gocache go build -o "$dir/gomaps" main.go) 2>"$tmp/err"; then
	bad "go: does not build: $(head -c 600 "$tmp/err")"
else
	timeout 60 "${x[@]}" "$dir/gomaps" "$obj" /sys/fs/bpf/go_map >"$tmp/out" 2>"$tmp/err"
	count_lines go "$tmp/out"
	check "the Go program's pin, seen by the CLI" 0 '"value": 1234' - \
		"${u[@]}" map lookup pinned /sys/fs/bpf/go_map key 1 0 0 0
fi

# ---- Go: cilium/ebpf's feature probes answer what userbpf has
if ! have go || [ ! -d "$gocode/src/github.com/cilium/ebpf/features" ]; then
	skipped "go features: needs golang-go and golang-github-cilium-ebpf-dev"
elif ! (cd tests/go/features && GO111MODULE=off GOPATH=$gocode GOFLAGS= GOPROXY=off \
	GOCACHE=$tmp/gocache go build -o "$dir/gofeatures" main.go) 2>"$tmp/err"; then
	bad "go features: does not build: $(head -c 600 "$tmp/err")"
else
	timeout 60 "${x[@]}" "$dir/gofeatures" >"$tmp/out" 2>"$tmp/err"
	count_lines go_features "$tmp/out"
fi

summary
