// SPDX-License-Identifier: BSD-2-Clause
/*
 * bootstrap.bpf.c - a libbpf application's BPF side written the way
 * libbpf-bootstrap teaches: const volatile globals the loader sets before
 * load, a ring buffer of events, a hash map user space reads, a .bss
 * counter.  An XDP program, so that user space can trigger it with
 * BPF_PROG_TEST_RUN without any kernel hook point: the frame starts with
 * struct boot_args.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bootstrap.h"

const volatile __u32 magic = 0;
const volatile __u32 skip_seq = 0xffffffff;	/* a run with this seq emits nothing */

__u64 runs = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BOOT_BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int handle(struct xdp_md *ctx)
{
	struct boot_args *a = (void *)(long)ctx->data;
	struct boot_event *e;
	__u64 one = 1, *cnt;
	__u32 bucket;

	if ((void *)(a + 1) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	__sync_fetch_and_add(&runs, 1);
	if (a->seq == skip_seq)
		return XDP_DROP;
	bucket = a->seq % BOOT_BUCKETS;
	cnt = bpf_map_lookup_elem(&counts, &bucket);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&counts, &bucket, &one, BPF_NOEXIST);
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return -1;
	e->seq = a->seq;
	e->tid = a->tid;
	e->magic = magic;
	e->bucket = bucket;
	e->ts_ns = bpf_ktime_get_ns();
	bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
