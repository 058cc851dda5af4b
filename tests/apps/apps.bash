# SPDX-License-Identifier: BSD-2-Clause
# apps.bash - the application checks of tests/layers/preload.sh (sourced
# there; uses its $work, $pl, $san_pre, as_user, ok/bad/skipped):
#  - tests/apps/bootstrap: compiled here the libbpf-bootstrap way (clang
#    -target bpf, `bpftool gen skeleton`, cc against Debian's libbpf-dev),
#    run unchanged under the preload library; each "ok"/"FAIL" line it
#    prints is one check, and it asserts every ring buffer event arrived;
#  - tests/apps/plain: no eBPF at all; its output without the library,
#    with it preloaded and with it linked (DT_NEEDED) must be identical,
#    and the preloaded run must not even create a store directory.

# build_bootstrap DIR: the skeleton and the binary DIR/bootstrap; 1 on failure (reported).
build_bootstrap() {
	local d=$1 src=tests/apps/bootstrap

	if ! "$CLANG" -O2 -g -target bpf -I"/usr/include/$multiarch" -I"$src" \
		-c "$src/bootstrap.bpf.c" -o "$d/bootstrap.bpf.o" 2>"$tmp/app.err"; then
		bad "bootstrap: bootstrap.bpf.c does not compile: $(head -c 300 "$tmp/app.err")"
		return 1
	fi
	if ! "$BPFTOOL" gen skeleton "$d/bootstrap.bpf.o" name bootstrap_bpf \
		>"$d/bootstrap.skel.h" 2>"$tmp/app.err"; then
		bad "bootstrap: bpftool gen skeleton: $(head -c 300 "$tmp/app.err")"
		return 1
	fi
	if ! "$CC" -std=gnu11 -O2 -g -Wall -Wextra -I"$d" -I"$src" "$src/bootstrap.c" \
		-o "$d/bootstrap" $(pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) \
		-lpthread 2>"$tmp/app.err"; then
		bad "bootstrap: bootstrap.c does not build: $(grep -m3 error "$tmp/app.err")"
		return 1
	fi
}

bootstrap_check() {
	local n_ok n_fail

	if [ ! -x "$BPFTOOL" ] || ! have "$CLANG"; then
		skipped "bootstrap: needs clang and bpftool"
		return
	fi
	mkdir -p "$work/boot" && chmod 755 "$work/boot"
	build_bootstrap "$work/boot" || return
	timeout 60 env UBF_PIN_ROOT="$work/pins" "${as[@]}" env LD_PRELOAD="$san_pre$pl" \
		"$work/boot/bootstrap" 500 >"$tmp/app.out" 2>"$tmp/app.err"
	n_ok=$(grep -c '^ok ' "$tmp/app.out")
	n_fail=$(grep -c '^FAIL ' "$tmp/app.out")
	pass=$((pass + n_ok)) fail=$((fail + n_fail))
	grep '^FAIL ' "$tmp/app.out" | sed 's/^/bootstrap: /'
	if ! grep -qx 'ok every event received' "$tmp/app.out"; then
		bad "bootstrap: not every event arrived; stderr: $(tail -c 400 "$tmp/app.err")"
	fi
}

plain_check() {
	local flags=(-std=gnu11 -O2 -Wall -Wextra) out

	if ! "$CC" "${flags[@]}" tests/apps/plain/plain.c -o "$work/plain" -lpthread \
		2>"$tmp/app.err" ||
		! "$CC" "${flags[@]}" tests/apps/plain/plain.c -o "$work/plain-linked" -lpthread \
			-L"$work" -Wl,--no-as-needed -l:libuserbpf-preload.so -Wl,-rpath,"$work" \
			2>>"$tmp/app.err"; then
		bad "plain: does not build: $(grep -m3 error "$tmp/app.err")"
		return
	fi
	mkdir -m 777 "$work/scratch"
	as_user "$work/plain" "$work/scratch" >"$tmp/plain.0" 2>&1
	# with a store that does not exist: nothing the program does may create it
	env UBF_PIN_ROOT="$work/nostore" "${as[@]}" env LD_PRELOAD="$san_pre$pl" \
		"$work/plain" "$work/scratch" >"$tmp/plain.1" 2>&1
	if [ -e "$work/nostore" ]; then bad "plain: the preloaded run made a store"; else ok; fi
	if [ -z "$san_pre" ]; then
		as_user "$work/plain-linked" "$work/scratch" >"$tmp/plain.2" 2>&1
	else
		as_user env LD_PRELOAD="$san_pre" "$work/plain-linked" "$work/scratch" \
			>"$tmp/plain.2" 2>&1
	fi
	if ! grep -qx 'exec: exit 3, said exec ok' "$tmp/plain.0"; then
		bad "plain: did not run to the end: $(tail -n 3 "$tmp/plain.0")"
	fi
	for out in 1 2; do
		if cmp -s "$tmp/plain.0" "$tmp/plain.$out"; then
			ok
		else
			bad "plain: $([ $out = 1 ] && echo preloaded || echo linked) differs:" \
				"$(diff "$tmp/plain.0" "$tmp/plain.$out" | head -8)"
		fi
	done
}

apps_checks() {
	bootstrap_check
	plain_check
}
