// SPDX-License-Identifier: BSD-2-Clause
/*
 * lsm_file_open.bpf.c - lsm/file_open in the style of KRSI policies and
 * Falco's modern probe: read the opened file's f_path (its dentry's name
 * and the inode number through f_inode) and deny opens of one inode kept
 * in an array map.  Only kernels with BPF trampolines load it.
 * MUT_BEYOND_STRUCT reads past the end of struct file; MUT_BTF_STORE
 * writes the file's flags.
 * corpus-needs: vmlinux trampoline
 * corpus-eras: cpu-v2 O1
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

struct open_event {
	__u64 ino;
	__u32 pid;
	__u32 flags;
	char name[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} denied_ino SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} opens SEC(".maps");

SEC("lsm/file_open")
int BPF_PROG(check_open, struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct open_event *e;
	__u32 zero = 0;
	__u64 *deny, ino;

	ino = file->f_inode->i_ino;
#ifdef MUT_BEYOND_STRUCT
	ino += ((__u64 *)file)[1 << 12];
#endif
#ifdef MUT_BTF_STORE
	file->f_flags = 0;
#endif
	e = bpf_ringbuf_reserve(&opens, sizeof(*e), 0);
	if (e) {
		e->ino = ino;
		e->pid = bpf_get_current_pid_tgid() >> 32;
		e->flags = file->f_flags;
		bpf_probe_read_kernel_str(e->name, sizeof(e->name), dentry->d_name.name);
		bpf_ringbuf_submit(e, 0);
	}
	deny = bpf_map_lookup_elem(&denied_ino, &zero);
	if (deny && *deny && *deny == ino)
		return -EPERM;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
