#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# run.sh BOOTSTRAP PRELOAD [N [GAP_US]] - the ring buffer latency of
# `make bench-ringlat`: the same binary under libuserbpf-preload.so (as
# nobody with a store of its own when root, as the caller otherwise) and, as
# root, on Linux's bpf(2); one line per engine with the median and the 99th
# percentile of N events submitted GAP_US apart.
set -u
bin=$1 preload=$2 n=${3:-2000} gap=${4:-200}
work=$(mktemp -d /tmp/ubf-ringlat.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
cp "$bin" "$preload" "$work/"
mkdir "$work/pins"
as=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chown 65534:65534 "$work/pins"
	as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --)
fi

# one ENGINE CMD...: run one measurement, print its figures.
one() {
	local engine=$1 line
	shift
	line=$("$@" --bench "$n" "$gap" 2>"$work/err" | grep '^ringlat:')
	if [ -z "$line" ]; then
		printf '  %-8s failed: %s\n' "$engine" "$(tail -c 300 "$work/err")"
		return
	fi
	printf '  %-8s %s\n' "$engine" "$(echo "$line" | sed -E 's/.*return: //')"
}

echo "ringlat: bpf_ringbuf_submit to ring_buffer__poll return, $n events ${gap} us apart"
one userbpf env UBF_PIN_ROOT="$work/pins" "${as[@]}" \
	env LD_PRELOAD="$work/$(basename "$preload")" "$work/$(basename "$bin")"
if [ "$(id -u)" -eq 0 ]; then
	one linux "$work/$(basename "$bin")"
else
	echo "  linux    not measured (needs root)"
fi
