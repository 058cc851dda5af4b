#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# llvm.sh - our LLVM syntax against LLVM's own tools (LLVM 14 on Debian 12).
#
# (a) Each tests/elf/llvm/*.bpf.c is compiled with $CLANG -O2 -target bpf for
#     every CPU its "llvm-layer cpus:" line names (default v1 v2 v3).  Each
#     code section is disassembled by disasm_tool (public API, built against
#     $O/lib/libuserbpf.a) and compared line by line with llvm-objdump -d; then
#     its text, in both syntaxes, must reassemble to the section's bytes.
# (b) Every table row, as its example and variants (disasm_tool rows), where
#     LLVM knows the encoding - llvm-mc turns llvm-objdump's text back into the
#     same bytes - must print as llvm-objdump prints it and assemble with
#     llvm-mc -mcpu=v3 to our bytes.  Rows LLVM does not know are listed.
#
# Two deliberate differences from llvm-objdump's default text, both where
# LLVM 14's text loses the encoding: 32-bit atomics other than add are
# compared with --mattr=+alu32 (without it LLVM 14 prints them as add or
# <unknown>), and calls with src=1 read "call pc+N" as in Linux verifier logs
# (LLVM 14 prints "call N", like a helper call).  Missing tools: the checks
# are counted as skipped.
set -u
O=${O:-build}
CC=${CC:-cc}
CLANG=${CLANG:-clang}
OBJDUMP=${LLVM_OBJDUMP:-llvm-objdump}
MC=${LLVM_MC:-llvm-mc}
OBJCOPY=${LLVM_OBJCOPY:-llvm-objcopy}
lib=$O/lib/libuserbpf.a
srcdir=tests/elf/llvm
passed=0
failed=0
skipped=0

summary() {
    echo "llvm: $passed passed, $failed failed, $skipped skipped"
    exit $((failed > 0))
}

tally() {
    if [ "$1" -eq 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
}

have() {
    command -v "$1" >/dev/null 2>&1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

flags=(-std=gnu11 -O1 -g -Iinclude -Wall -Wextra -Wshadow -Wformat=2)
[ -n "${SAN:-}" ] && flags+=(-fsanitize="$SAN" -fno-omit-frame-pointer -fno-sanitize-recover=all)
tool=$tmp/disasm_tool
if [ ! -f "$lib" ] || ! "$CC" "${flags[@]}" "$srcdir/disasm_tool.c" "$lib" -lm -o "$tool"; then
    echo "llvm: cannot build $srcdir/disasm_tool.c against $lib (run make first)"
    failed=1
    summary
fi

# The CPUs a source asks to be built for.
cpus_of() {
    local c
    c=$(sed -n 's/.*llvm-layer cpus: *\([v0-9 ]*\).*/\1/p' "$1" | head -n 1)
    echo "${c:-v1 v2 v3}"
}

# "idx<TAB>text" of llvm-objdump's disassembly of section $2 of object $1
# (further options follow), without the " <label>" annotations of jumps.
objdump_text() {
    local obj=$1 sec=$2
    shift 2
    "$OBJDUMP" -d --no-show-raw-insn "$@" -j "$sec" "$obj" |
        awk -F'\t' '/^ *[0-9]+:\t/ {
            idx = $1; sub(/^ */, "", idx); sub(/:$/, "", idx)
            t = $2; for (i = 3; i <= NF; i++) t = t " " $i
            sub(/ <[^ <>]*>$/, "", t); print idx "\t" t }'
}

# What llvm-objdump prints for instruction (bytes $1), given its default text
# $2 and its +alu32 text $3: the two differences described at the top.
EXPECTED_AWK='
function expected(bytes, def, alu,    n) {
    if (substr(bytes, 1, 2) == "c3" && substr(bytes, 9, 8) != "00000000")
        return alu
    if (substr(bytes, 1, 2) == "85" && substr(bytes, 3, 1) == "1" && def ~ /^call -?[0-9]+$/) {
        n = substr(def, 6) + 0
        return "call pc" (n < 0 ? "" : "+") n
    }
    return def
}'

# Our lines ($3: idx, bytes, text) against llvm-objdump's ($1 default, $2 +alu32).
compare() {
    awk -F'\t' "$EXPECTED_AWK"'
        FNR == 1 { f++ }
        f == 1 { def[$1] = $2; next }
        f == 2 { alu[$1] = $2; next }
        {
            seen[$1] = 1
            want = expected($2, def[$1], alu[$1])
            if ($3 != want) {
                printf "  insn %s: ours \"%s\", llvm-objdump \"%s\"\n", $1, $3, want
                bad++
            }
        }
        END {
            for (i in def)
                if (!(i in seen)) {
                    printf "  insn %s: only llvm-objdump: \"%s\"\n", i, def[i]
                    bad++
                }
            exit bad > 0
        }' "$1" "$2" "$3"
}

check_object() {
    local obj=$1 name=$2 secs sec text_ok=1 rt_ok=1
    secs=$("$OBJDUMP" -h "$obj" | awk '$NF == "TEXT" && $3 !~ /^0+$/ { print $2 }')
    [ -n "$secs" ] || { echo "FAIL $name: no code sections"; text_ok=0; rt_ok=0; }
    for sec in $secs; do
        "$OBJCOPY" -O binary --only-section="$sec" "$obj" "$tmp/code.bin"
        objdump_text "$obj" "$sec" >"$tmp/def"
        objdump_text "$obj" "$sec" --mattr=+alu32 >"$tmp/alu"
        if ! "$tool" dis "$tmp/code.bin" >"$tmp/ours" ||
            ! compare "$tmp/def" "$tmp/alu" "$tmp/ours" >"$tmp/diff"; then
            echo "FAIL $name: section $sec differs from llvm-objdump:"
            head -n 20 "$tmp/diff"
            text_ok=0
        fi
        if ! "$tool" roundtrip "$tmp/code.bin"; then
            echo "FAIL $name: section $sec does not reassemble from its disassembly"
            rt_ok=0
        fi
    done
    tally "$text_ok"
    tally "$rt_ok"
}

# (a) real programs
nprog=0
for f in "$srcdir"/*.bpf.c; do
    [ -e "$f" ] || continue
    for cpu in $(cpus_of "$f"); do
        nprog=$((nprog + 1))
    done
done
if ! have "$CLANG" || ! have "$OBJDUMP" || ! have "$OBJCOPY"; then
    echo "llvm: $CLANG, $OBJDUMP or $OBJCOPY missing: $((2 * nprog)) program checks skipped"
    skipped=$((skipped + 2 * nprog))
else
    for f in "$srcdir"/*.bpf.c; do
        [ -e "$f" ] || continue
        for cpu in $(cpus_of "$f"); do
            name=$(basename "$f" .bpf.c)-$cpu
            if ! "$CLANG" -O2 -target bpf -mcpu="$cpu" -c "$f" -o "$tmp/$name.o"; then
                echo "FAIL $name: does not compile"
                failed=$((failed + 2))
                continue
            fi
            check_object "$tmp/$name.o" "$name"
        done
    done
fi

# (b) every row
"$tool" rows >"$tmp/rows" || { echo "llvm: disasm_tool rows failed"; failed=$((failed + 1)); }
nrows=$(cut -f1 "$tmp/rows" | sort -u | wc -l)
if ! have "$MC" || ! have "$OBJDUMP"; then
    echo "llvm: $MC or $OBJDUMP missing: $nrows row checks skipped"
    skipped=$((skipped + nrows))
    summary
fi

# One line per line of the file $1: the bytes llvm-mc assembles it to (hex), or "-".
mc_bytes() {
    "$MC" -triple bpf -mcpu=v3 -show-encoding "$1" >"$1.out" 2>"$1.err"
    awk 'FNR == 1 { f++ }
        f == 1 { if ($0 ~ /^[^:]*:[0-9]+:[0-9]+: error:/) { split($0, p, ":"); bad[p[2]] = 1 }; next }
        f == 2 { if (match($0, /# encoding: \[[^]]*\]/)) {
                     e = substr($0, RSTART + 13, RLENGTH - 14); gsub(/0x|,/, "", e); enc[++n] = e }
                 next }
        { print (FNR in bad) ? "-" : enc[++k] }' "$1.err" "$1.out" "$1"
}

# All variants' bytes as one object, so llvm-objdump prints its text for each.
{
    echo ".text"
    awk -F'\t' '{ s = ".byte "; for (i = 1; i < length($3); i += 2)
                  s = s (i > 1 ? "," : "") "0x" substr($3, i, 2); print s }' "$tmp/rows"
} >"$tmp/rows.s"
if ! "$MC" -triple bpf -filetype=obj "$tmp/rows.s" -o "$tmp/rows.o"; then
    echo "llvm: $MC cannot build the rows' object"
    failed=$((failed + 1))
    summary
fi
objdump_text "$tmp/rows.o" .text >"$tmp/rows.def"
objdump_text "$tmp/rows.o" .text --mattr=+alu32 >"$tmp/rows.alu"

# rows.all: name, variant, bytes, ours, objdump default, objdump +alu32
awk -F'\t' 'BEGIN { slot = 0 }
    FNR == 1 { f++ }
    f == 1 { def[$1] = $2; next }
    f == 2 { alu[$1] = $2; next }
    { print $1 "\t" $2 "\t" $3 "\t" $4 "\t" def[slot] "\t" alu[slot]; slot += length($3) / 16 }
    ' "$tmp/rows.def" "$tmp/rows.alu" "$tmp/rows" >"$tmp/rows.all"

# LLVM knows a variant when llvm-mc turns llvm-objdump's (+alu32) text back into its bytes.
cut -f6 "$tmp/rows.all" >"$tmp/theirs.s"
mc_bytes "$tmp/theirs.s" >"$tmp/theirs.bytes"
cut -f4 "$tmp/rows.all" >"$tmp/ours.s"
mc_bytes "$tmp/ours.s" >"$tmp/ours.bytes"

paste "$tmp/rows.all" "$tmp/theirs.bytes" "$tmp/ours.bytes" | awk -F'\t' "$EXPECTED_AWK"'
    {
        row = $1
        if (!(row in known)) { order[++nrow] = row; known[row] = 0; bad[row] = 0 }
        if ($7 != $3)
            next
        known[row]++
        want = expected($3, $5, $6)
        if ($4 != want) {
            printf "FAIL %s %s: ours \"%s\", llvm-objdump \"%s\"\n", row, $2, $4, want
            bad[row]++
        }
        if ($8 != $3) {
            printf "FAIL %s %s: llvm-mc assembles \"%s\" to %s, ours is %s\n", row, $2, $4, $8, $3
            bad[row]++
        }
    }
    END {
        for (i = 1; i <= nrow; i++) {
            r = order[i]
            if (!known[r])
                unknown = unknown " " r
            else if (bad[r])
                nbad++
            else
                ngood++
        }
        print "llvm: rows LLVM does not know, not checked here:" unknown
        print ngood + 0, nbad + 0
    }' >"$tmp/rows.result"
read -r good bad < <(tail -n 1 "$tmp/rows.result")
sed '$d' "$tmp/rows.result"
passed=$((passed + good))
failed=$((failed + bad))
summary
