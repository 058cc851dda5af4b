// SPDX-License-Identifier: BSD-2-Clause
/*
 * kprobe_comm_count.bpf.c - kprobe on vfs_read: count calls per command
 * name (bpf_get_current_comm into a hash key), a bcc funccount-style
 * histogram.  MUT_COMM_STACK_OOB asks for more bytes than the key buffer
 * holds, past the top of the stack frame.
 */
#include "corpus.h"

struct comm_key {
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct comm_key);
	__type(value, __u64);
} reads SEC(".maps");

SEC("kprobe/vfs_read")
int kprobe_comm_count(void *ctx)
{
	struct comm_key key = {};
	__u64 one = 1, *cnt;

#ifdef MUT_COMM_STACK_OOB
	bpf_get_current_comm(&key, 1024);
#else
	bpf_get_current_comm(&key, sizeof(key));
#endif
	cnt = bpf_map_lookup_elem(&reads, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&reads, &key, &one, BPF_NOEXIST);
	return 0;
}
