/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bootstrap.h - what bootstrap.bpf.c and bootstrap.c share: the argument a
 * run of the program gets as its context and the event it submits to the
 * ring buffer.  Fixed-size types only, the same on both sides.
 */
#ifndef UBF_APPS_BOOTSTRAP_H
#define UBF_APPS_BOOTSTRAP_H

#define BOOT_BUCKETS 8

struct boot_args {
	__u32 seq;		/* 0, 1, 2, ... one per run */
	__u32 tid;		/* the producing thread */
};

struct boot_event {
	__u32 seq;
	__u32 tid;
	__u32 magic;		/* the const volatile global the loader set */
	__u32 bucket;		/* seq % BOOT_BUCKETS, the hash map key it counted */
	__u64 ts_ns;		/* bpf_ktime_get_ns() just before submit */
};

#endif /* UBF_APPS_BOOTSTRAP_H */
