# SPDX-License-Identifier: BSD-2-Clause
# layer.bash - what the shell test layers share; source it after setting
# LAYER (the name on the summary line).  Provides $cli, $tmp, ok/bad/skipped,
# summary (prints "LAYER: N passed, N failed, N skipped" and exits) and
# check NAME STATUS STDOUT_ERE|- STDERR_ERE|- CMD...: run CMD, compare the
# exit status, and require a line of stdout / stderr to match each ERE.
O=${O:-build}
cli=$O/bin/userbpf
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP $*"; }

summary() {
	echo "$LAYER: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

if [ ! -x "$cli" ]; then
	echo "$LAYER: $cli is not built"
	fail=1
	summary
fi

check() {
	local name=$1 want=$2 out_re=$3 err_re=$4 st
	shift 4
	"$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -ne "$want" ]; then
		bad "$name: exit status $st, expected $want; stderr: $(head -c 400 "$tmp/err")"
	elif [ "$out_re" != - ] && ! grep -Eq -- "$out_re" "$tmp/out"; then
		bad "$name: no stdout line matches /$out_re/; stdout: $(head -c 400 "$tmp/out")"
	elif [ "$err_re" != - ] && ! grep -Eq -- "$err_re" "$tmp/err"; then
		bad "$name: no stderr line matches /$err_re/; stderr: $(head -c 400 "$tmp/err")"
	else
		ok
	fi
}
