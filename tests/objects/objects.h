/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * objects.h - the layouts the BPF objects of tests/objects and their
 * user-space drivers share: the context the syscall programs get (ctx_in,
 * written back after the run as Linux does for BPF_PROG_TYPE_SYSCALL), map
 * values and ring buffer records.  Included by both sides.
 */
#ifndef UBF_TESTS_OBJECTS_H
#define UBF_TESTS_OBJECTS_H

#include <linux/types.h>

/* The context of every syscall program here: two inputs, one output. */
struct obj_args {
	__u32 x;
	__u32 y;
	__u64 out;
};

/* globals.bpf.c: a value of the `pairs` array. */
struct obj_pair {
	__u64 a;
	__u64 b;
};

/* ringbuf.bpf.c: one ring buffer record. */
struct obj_event {
	__u32 seq;
	__u32 pid;
	__u64 val;
};

#endif /* UBF_TESTS_OBJECTS_H */
