/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * perf_output.h - the sample perf_output.bpf.c sends through its perf
 * event array, shared with the drivers that read it with libbpf's
 * perf_buffer (tests/objects/perf_output.c, tests/apps/perfbuf).
 */
#ifndef UBF_TESTS_PERF_OUTPUT_H
#define UBF_TESTS_PERF_OUTPUT_H

#include <linux/types.h>

/* 48 bytes: a raw sample of 52 (4 + 48 padded to 8, less the size word). */
struct perf_sample {
	__u32 seq;
	__u32 cpu;	/* bpf_get_smp_processor_id() */
	__u64 val;	/* args[1] */
	__u64 fill[4];	/* seq * (i + 1) + 0x1111 * i */
};

#endif /* UBF_TESTS_PERF_OUTPUT_H */
