#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# cli_bpf.sh - `userbpf prog|map|btf`, bpftool's commands on userbpf: every
# command plain and -j/--pretty against output written by hand from
# bpftool's formats, objects pinned by one `userbpf` process and used by the
# next, a program compiled here with clang -target bpf loaded with
# `prog load` and run with `prog run`.  Pins go to a fresh UBF_PIN_ROOT, so
# nothing needs root or the kernel's bpf(2).  Without clang the program
# tests are counted as skipped.
LAYER=cli_bpf
. tests/harness/layer.bash
CLANG=${CLANG:-clang}
export UBF_PIN_ROOT=$tmp/pins
mkdir -p "$UBF_PIN_ROOT"
P=/sys/fs/bpf

# same NAME STATUS CMD...: stdout must equal $tmp/want byte for byte.
same() {
	local name=$1 want=$2 st
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -ne "$want" ]; then
		bad "$name: exit status $st, expected $want; stderr: $(head -c 400 "$tmp/err")"
	elif ! cmp -s "$tmp/want" "$tmp/out"; then
		bad "$name: stdout differs: $(diff "$tmp/want" "$tmp/out" | head -20)"
	else
		ok
	fi
}

# A pin is a file under the pin root: proof that userbpf, not the kernel, holds it.
pinned_file() {
	if [ -f "$UBF_PIN_ROOT/$2" ]; then ok; else bad "$1: no file $UBF_PIN_ROOT/$2"; fi
}

# ---- map: create, update, lookup, dump across processes ----
check "map create hash" 0 - - $cli map create $P/m1 type hash key 4 value 8 entries 4 name m1
pinned_file "map create hash" m1
check "map update key" 0 - - $cli map update pinned $P/m1 key 1 0 0 0 value 2 0 0 0 0 0 0 0
check "map update hex noexist" 0 - - \
	$cli map update pinned $P/m1 key hex 02 00 00 00 value hex 01 02 03 04 05 06 07 08 noexist
check "map update noexist on present key" 239 - "update failed: File exists" \
	$cli map update pinned $P/m1 key 2 0 0 0 value 0 0 0 0 0 0 0 0 noexist
check "map update exist on absent key" 254 - "update failed: No such file or directory" \
	$cli map update pinned $P/m1 key 9 0 0 0 value 0 0 0 0 0 0 0 0 exist
check "-j map update" 0 '^null$' - $cli -j map update pinned $P/m1 key 3 0 0 0 value 0x33 0 0 0 0 0 0 0

printf 'key: 01 00 00 00  value: 02 00 00 00 00 00 00 00\n' >"$tmp/want"
same "map lookup" 0 $cli map lookup pinned $P/m1 key 1 0 0 0
printf '{"key":["0x02","0x00","0x00","0x00"],"value":["0x01","0x02","0x03","0x04","0x05","0x06","0x07","0x08"]}\n' >"$tmp/want"
same "-j map lookup" 0 $cli -j map lookup pinned $P/m1 key 2 0 0 0
printf 'key:\n07 00 00 00\n\nNot found\n' >"$tmp/want"
same "map lookup absent" 254 $cli map lookup pinned $P/m1 key 7 0 0 0
printf 'null\n' >"$tmp/want"
same "-j map lookup absent" 254 $cli map lookup pinned $P/m1 key 7 0 0 0 --json

$cli map dump pinned $P/m1 >"$tmp/dump" 2>&1
if grep -qx 'key: 01 00 00 00  value: 02 00 00 00 00 00 00 00' "$tmp/dump" &&
	grep -qx 'key: 02 00 00 00  value: 01 02 03 04 05 06 07 08' "$tmp/dump" &&
	grep -qx 'key: 03 00 00 00  value: 33 00 00 00 00 00 00 00' "$tmp/dump" &&
	[ "$(tail -n 1 "$tmp/dump")" = "Found 3 elements" ] && [ "$(wc -l <"$tmp/dump")" -eq 4 ]; then
	ok
else
	bad "map dump: $(cat "$tmp/dump")"
fi
$cli -j map dump pinned $P/m1 >"$tmp/dump" 2>&1
if grep -q '{"key":\["0x02","0x00","0x00","0x00"\],"value":\["0x01","0x02","0x03","0x04","0x05","0x06","0x07","0x08"\]}' "$tmp/dump" &&
	[ "$(head -c 2 "$tmp/dump")" = '[{' ] && [ "$(tail -c 3 "$tmp/dump")" = '}]' ]; then
	ok
else
	bad "-j map dump: $(cat "$tmp/dump")"
fi

check "map getnext, no key" 0 '^key: None$' - $cli map getnext pinned $P/m1
check "map getnext, next key line" 0 '^next key:$' - $cli map getnext pinned $P/m1
check "-j map getnext" 0 '^\{"key":null,"next_key":\["0x0[123]","0x00","0x00","0x00"\]\}$' - \
	$cli -j map getnext pinned $P/m1
check "map delete" 0 - - $cli map delete pinned $P/m1 key 3 0 0 0
check "map delete again" 254 - "delete failed: No such file or directory" \
	$cli map delete pinned $P/m1 key 3 0 0 0
check "-j map delete absent" 254 '^\{"error":"delete failed: No such file or directory"\}$' - \
	$cli -j map delete pinned $P/m1 key 3 0 0 0

# show: the id comes from the store, the rest is fixed.
check "map show" 0 '^[0-9]+: hash  name m1  flags 0x0$' - $cli map show pinned $P/m1
check "map show, second line" 0 $'^\tkey 4B  value 8B  max_entries 4$' - $cli map show pinned $P/m1
id=$($cli -j map show pinned $P/m1 | sed -nE 's/^\{"id":([0-9]+),.*/\1/p')
printf '{"id":%s,"type":"hash","name":"m1","flags":0,"bytes_key":4,"bytes_value":8,"max_entries":4,"frozen":0}\n' "$id" >"$tmp/want"
same "-j map show" 0 $cli -j map show pinned $P/m1
printf '{\n    "id": %s,\n    "type": "hash",\n    "name": "m1",\n    "flags": 0,\n    "bytes_key": 4,\n    "bytes_value": 8,\n    "max_entries": 4,\n    "frozen": 0\n}\n' "$id" >"$tmp/want"
same "--pretty map show" 0 $cli map show id "$id" --pretty
check "map show by name" 0 "^$id: hash  name m1 " - $cli map show name m1
check "map list (all)" 0 "^$id: hash  name m1 " - $cli map list
check "-j map show (all) is an array" 0 "^\[\{\"id\":" - $cli -j map show

check "map pin" 0 - - $cli map pin id "$id" $P/m1-again
pinned_file "map pin" m1-again
check "map pinned twice is one map" 0 "^$id: hash" - $cli map show pinned $P/m1-again
check "map freeze" 0 - - $cli map freeze pinned $P/m1
check "map update after freeze" 255 - "update failed: Operation not permitted" \
	$cli map update pinned $P/m1 key 1 0 0 0 value 0 0 0 0 0 0 0 0
check "map lookup after freeze" 0 '^key: 01 00 00 00  value: 02' - \
	$cli map lookup pinned $P/m1 key 1 0 0 0

# Arrays: every index is an element; values over 16 bytes break lines as bpftool.
check "map create array" 0 - - $cli map create $P/a1 type array key 4 value 20 entries 2 name a1
check "map update array" 0 - - $cli map update pinned $P/a1 key 1 0 0 0 value hex \
	01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14
cat >"$tmp/want" <<'EOF'
key:
00 00 00 00
value:
00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
00 00 00 00
key:
01 00 00 00
value:
01 02 03 04 05 06 07 08  09 0a 0b 0c 0d 0e 0f 10
11 12 13 14
Found 2 elements
EOF
same "map dump array" 0 $cli map dump pinned $P/a1
cat >"$tmp/want" <<'EOF'
[{
        "key": ["0x00","0x00","0x00","0x00"
        ],
        "value": ["0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00","0x00"
        ]
    },{
        "key": ["0x01","0x00","0x00","0x00"
        ],
        "value": ["0x01","0x02","0x03","0x04","0x05","0x06","0x07","0x08","0x09","0x0a","0x0b","0x0c","0x0d","0x0e","0x0f","0x10","0x11","0x12","0x13","0x14"
        ]
    }
]
EOF
same "-p map dump array" 0 $cli -p map dump pinned $P/a1
printf 'key:\n00 00 00 00\nnext key:\n01 00 00 00\n' >"$tmp/want"
same "map getnext with key" 0 $cli map getnext pinned $P/a1 key 0 0 0 0
check "map getnext past the end" 254 - "can't get next key: No such file or directory" \
	$cli map getnext pinned $P/a1 key 1 0 0 0
check "map create percpu_array" 0 - - \
	$cli map create $P/pc type percpu_array key 4 value 4 entries 1 name pc
check "map update percpu_array" 0 - - $cli map update pinned $P/pc key 0 0 0 0 value 7 0 0 0
check "map dump percpu_array" 0 '^value \(CPU 00\): 07 00 00 00$' - $cli map dump pinned $P/pc
check "-j map dump percpu_array" 0 '"values":\[\{"cpu":0,"value":\["0x07","0x00","0x00","0x00"\]\}' - \
	$cli -j map dump pinned $P/pc
check "map create array_of_maps" 0 - - \
	$cli map create $P/om type array_of_maps key 4 value 4 entries 2 name om inner_map pinned $P/a1
check "map update array_of_maps" 0 - - $cli map update pinned $P/om key 0 0 0 0 value pinned $P/a1

# Bad command lines: the word at fault, bpftool's status 255, never a crash.
check "unknown verb" 255 - "unknown command 'bogus'" $cli map bogus
check "-j unknown verb" 255 '^\{"error":"unknown command' - $cli map bogus -j
check "short key" 255 - "key: error parsing byte 3: 'value'" \
	$cli map update pinned $P/m1 key 1 0 0 value 1 0 0 0 0 0 0 0
check "bad byte" 255 - "error parsing byte 3: 'zz'" $cli map lookup pinned $P/m1 key 1 0 0 zz
check "byte out of range" 255 - "error parsing byte 0: '0x300'" \
	$cli map lookup pinned $P/m1 key 0x300 0 0 0
check "trailing word" 255 - "unexpected argument 'extra'" \
	$cli map lookup pinned $P/m1 key 1 0 0 0 extra
check "lookup without key" 255 - "did not find key" $cli map lookup pinned $P/m1
check "missing pin" 255 - "bpf obj get \(/sys/fs/bpf/nope\): No such file or directory" \
	$cli map show pinned $P/nope
check "bad handle" 255 - "expected 'id', 'name' or 'pinned', got: 'fd'" $cli map dump fd 3
check "unknown map type" 255 - "unrecognized map type: hashish" \
	$cli map create $P/x type hashish key 4 value 4 entries 1 name x
check "create without entries" 255 - "missing entries" \
	$cli map create $P/x type hash key 4 value 4 name x
check "no map of that name" 255 - "no map named 'nosuch'" $cli map show name nosuch
check "map help" 0 '^  map dump MAP$' - $cli map help

# ---- programs ----
if ! command -v "$CLANG" >/dev/null; then
	for t in load show dump run run-json data_out map-btf loadall btf btf-c tracelog; do
		skipped "prog $t: $CLANG not found"
	done
	summary
fi
cat >"$tmp/count.bpf.c" <<'EOF'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	__u32 len;
	__u64 hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct val);
} counts SEC(".maps");

SEC("tc")
int count_pkt(struct __sk_buff *skb)
{
	__u32 k = skb->len;
	struct val *v = bpf_map_lookup_elem(&counts, &k);
	struct val n = { .len = k, .hits = 1 };

	bpf_printk("packet of %u bytes", k);
	if (v) {
		v->hits++;
		return 2;
	}
	bpf_map_update_elem(&counts, &k, &n, BPF_ANY);
	return 1;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
EOF
multiarch=$(gcc -print-multiarch 2>/dev/null)
if ! $CLANG -O2 -g -target bpf ${multiarch:+-I/usr/include/$multiarch} \
	-c "$tmp/count.bpf.c" -o "$tmp/count.bpf.o" 2>"$tmp/err"; then
	bad "clang -target bpf: $(head -c 400 "$tmp/err")"
	summary
fi
head -c 64 /dev/zero >"$tmp/pkt"

check "prog load" 0 - - $cli prog load "$tmp/count.bpf.o" $P/count pinmaps $P/count-maps
pinned_file "prog load" count
pinned_file "prog load pinmaps" count-maps/counts
check "prog show" 0 '^[0-9]+: sched_cls  name count_pkt  tag [0-9a-f]{16}  gpl$' - \
	$cli prog show pinned $P/count
check "prog show, map ids" 0 $'^\txlated [0-9]+B  (jited [0-9]+B|not jited)  map_ids [0-9]+(,[0-9]+)*$' - \
	$cli prog show pinned $P/count
check "-j prog show" 0 '^\{"id":[0-9]+,"type":"sched_cls","name":"count_pkt","tag":"[0-9a-f]{16}","gpl_compatible":true,.*"map_ids":\[[0-9]+(,[0-9]+)*\]' - \
	$cli -j prog show pinned $P/count
check "prog show by name" 0 'name count_pkt' - $cli prog show name count_pkt
check "prog dump xlated" 0 '^ +[0-9]+: \(18\) r1 = map\[id:[0-9]+\]$' - \
	$cli prog dump xlated pinned $P/count
check "prog dump xlated, helper" 0 '^ +[0-9]+: \(85\) call bpf_map_lookup_elem#1$' - \
	$cli prog dump xlated pinned $P/count
check "prog dump xlated, exit" 0 '^ +[0-9]+: \(95\) exit$' - $cli prog dump xlated pinned $P/count
check "-j prog dump xlated" 0 '^\[\{"proto":"int count_pkt\(struct __sk_buff \* skb\)","src":"[^"]*","disasm":"\([0-9a-f]{2}\) .*"disasm":"\(95\) exit"\}\]$' - \
	$cli -j prog dump xlated pinned $P/count
check "prog dump xlated, source lines" 0 '^; __u32 k = skb->len;$' - \
	$cli prog dump xlated pinned $P/count
check "prog dump xlated, bpftool's offsets" 0 '^ +[0-9]+: \(63\) \*\(u32 \*\)\(r10 -4\) = r1$' - \
	$cli prog dump xlated pinned $P/count
check "prog run, first packet" 0 '^Return value: 1, duration: [0-9]+ns$' - \
	$cli prog run pinned $P/count data_in "$tmp/pkt"
check "prog run, repeat" 0 '^Return value: 2, duration \(average\): [0-9]+ns$' - \
	$cli prog run pinned $P/count data_in "$tmp/pkt" repeat 3
check "-j prog run" 0 '^\{"retval":2,"duration":[0-9]+\}$' - \
	$cli -j prog run pinned $P/count data_in "$tmp/pkt" data_out "$tmp/pkt.out"
if cmp -s "$tmp/pkt" "$tmp/pkt.out"; then ok; else bad "prog run data_out: differs from data_in"; fi

# The program's map, through its BTF, in a new process: 1 + 1 + 3 + 1 runs on 64 bytes.
cat >"$tmp/want" <<'EOF'
[{
        "key": 64,
        "value": {
            "len": 64,
            "hits": 5
        }
    }
]
EOF
same "map dump through BTF" 0 $cli map dump pinned $P/count-maps/counts
same "map dump by name" 0 $cli map dump name counts
check "-j map dump, formatted" 0 '"formatted":\{"key":64,"value":\{"len":64,"hits":5\}\}' - \
	$cli -j map dump pinned $P/count-maps/counts

check "prog loadall" 0 - - $cli prog loadall "$tmp/count.bpf.o" $P/all pinmaps $P/all-maps
pinned_file "prog loadall, program" all/count_pkt
pinned_file "prog loadall, map" all-maps/counts
check "prog run of a loadall pin" 0 '^Return value: 1, ' - \
	$cli prog run pinned $P/all/count_pkt data_in "$tmp/pkt"
check "prog run xdp" 0 '^Return value: 2, duration: [0-9]+ns$' - \
	$cli prog run pinned $P/all/xdp_pass data_in "$tmp/pkt"
check "prog show of the second program" 0 '^[0-9]+: xdp  name xdp_pass  tag ' - \
	$cli prog show pinned $P/all/xdp_pass
check "prog load, bad type" 255 - "unknown program type 'nope'" \
	$cli prog load "$tmp/count.bpf.o" $P/x type nope
check "prog load, missing file" 255 - "failed to open object file" \
	$cli prog load "$tmp/none.o" $P/x
check "prog run without data" 255 - "data_in or ctx_in expected" $cli prog run pinned $P/count
check "prog of a map pin" 255 - "incorrect object type" $cli prog show pinned $P/m1

# ---- btf ----
check "btf dump file" 0 "^\[[0-9]+\] STRUCT 'val' size=16 vlen=2$" - $cli btf dump file "$tmp/count.bpf.o"
check "btf dump file, member" 0 $'^\t'"'hits' type_id=[0-9]+ bits_offset=64$" - \
	$cli btf dump file "$tmp/count.bpf.o"
check "-j btf dump file" 0 '"kind":"STRUCT","name":"val","size":16,"vlen":2,"members":\[\{"name":"len"' - \
	$cli -j btf dump file "$tmp/count.bpf.o"
check "btf dump file format c" 0 '^struct val \{$' - $cli btf dump file "$tmp/count.bpf.o" format c
check "btf dump map" 0 "^\\[[0-9]+\\] STRUCT 'val' size=16 vlen=2$" - \
	$cli btf dump map pinned $P/all-maps/counts
check "btf dump, bad format" 255 - "unrecognized format specifier: 'rust'" \
	$cli btf dump file "$tmp/count.bpf.o" format rust

# trace_printk output, followed by tracelog (which runs until interrupted).
# -k: a sanitizer's leak check at exit may hang under load; the lines are written by then
timeout -k 3 2 $cli prog tracelog >"$tmp/trace" 2>&1
if grep -q 'packet of 64 bytes' "$tmp/trace"; then ok; else bad "prog tracelog: $(head -c 300 "$tmp/trace")"; fi

summary
