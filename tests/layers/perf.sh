#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# perf.sh - perf events for BPF output (src/sys/perf.c) through the two
# front ends that leave the program unchanged: the driver of
# tests/objects/perf_output.c (libbpf's perf_buffer: perf_event_open,
# mmap, the PERF_EVENT_IOC_* ioctls, epoll, a forked child's sample, lost
# samples) runs with --kernel, i.e. without routing libbpf itself, once
# under LD_PRELOAD=libuserbpf-preload.so and once under `userbpf exec`.
# objects.sh runs the same driver routed in-process.  Then
# tests/go/perf (cilium/ebpf's perf.NewReader, built offline from
# Debian's packages) runs under `userbpf exec`.  Each "ok"/"FAIL" line is
# one check.  As root both run as nobody (setpriv) on a store
# nobody owns: no privilege is needed.
LAYER=perf
source tests/harness/layer.bash
CC=${CC:-cc}
source tests/harness/bpf_cc.bash
drv=$O/tests/objects/perf_output
preload=$O/lib/libuserbpf-preload.so

if ! command -v "$CLANG" >/dev/null 2>&1; then
	skipped "preload: clang ($CLANG) is missing"
	skipped "exec: clang ($CLANG) is missing"
	summary
fi
for f in "$drv" "$preload"; do
	[ -e "$f" ] || bad "$f is not built (make objtest)"
done
[ "$fail" -eq 0 ] || summary

work=$(mktemp -d /tmp/ubf-perf.XXXXXX)
trap 'rm -rf "$tmp" "$work"' EXIT
chmod 755 "$work"
mkdir "$work/pins"
cp "$drv" "$preload" "$cli" "$work/"
if ! bpf_compile clang tests/objects/perf_output.bpf.c "$work/perf_output.o" \
	-Itests/objects 2>"$tmp/cc.err"; then
	bad "perf_output.bpf.c does not compile: $(head -c 300 "$tmp/cc.err")"
	summary
fi
chmod 644 "$work/perf_output.o"
as=()
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		chown 65534:65534 "$work/pins"
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --)
	else
		skipped "unprivileged: setpriv is missing (util-linux); running as root"
	fi
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# A sanitized build's driver links the runtime, which must come before the library.
san_pre=
for rt in ${SAN:+libasan.so libubsan.so}; do
	[[ ($rt = libasan.so && $SAN == *address*) || ($rt = libubsan.so && $SAN == *undefined*) ]] ||
		continue
	f=$($CC -print-file-name=$rt)
	[ -e "$f" ] && san_pre+="$f "
done

# run LABEL CMD...: count the driver's lines; it must have run its checks.
run() {
	local label=$1 st n_ok n_fail
	shift
	rm -rf "${work:?}/pins/"*
	timeout 120 env UBF_PIN_ROOT="$work/pins" "${as[@]}" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	n_ok=$(grep -c '^ok ' "$tmp/out")
	n_fail=$(grep -c '^FAIL ' "$tmp/out")
	pass=$((pass + n_ok)) fail=$((fail + n_fail))
	echo "$label: $n_ok ok, $n_fail failed"
	grep '^FAIL ' "$tmp/out" | sed "s|^|$label: |"
	if [ "$n_ok" -lt 10 ]; then
		bad "$label: only $n_ok checks ran (status $st); stderr: $(tail -c 400 "$tmp/err")"
	elif [ "$st" -ne 0 ] && [ "$n_fail" -eq 0 ]; then
		bad "$label: exit status $st with no failed check; stderr: $(tail -c 400 "$tmp/err")"
	fi
}

run preload env LD_PRELOAD="$san_pre$work/libuserbpf-preload.so" "$work/perf_output" \
	"$work/perf_output.o" --kernel
run exec "$work/userbpf" exec -- "$work/perf_output" "$work/perf_output.o" --kernel

gocode=/usr/share/gocode
if ! command -v go >/dev/null 2>&1 || [ ! -d "$gocode/src/github.com/cilium/ebpf/perf" ]; then
	skipped "go: needs golang-go and golang-github-cilium-ebpf-dev"
elif ! bpf_compile clang tests/go/perf/perf.bpf.c "$work/goperf.o" 2>"$tmp/cc.err"; then
	bad "go: perf.bpf.c does not compile: $(head -c 300 "$tmp/cc.err")"
elif ! (cd tests/go/perf && GO111MODULE=off GOPATH=$gocode GOFLAGS= GOPROXY=off \
	GOCACHE=$tmp/gocache go build -o "$work/goperf" main.go) 2>"$tmp/err"; then
	bad "go: does not build: $(head -c 600 "$tmp/err")"
else
	chmod 644 "$work/goperf.o"
	run go "$work/userbpf" exec -- "$work/goperf" "$work/goperf.o"
fi

summary
