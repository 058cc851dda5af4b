/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * common.bpf.h - what every BPF object of tests/objects includes: the UAPI
 * types, libbpf's bpf_helpers.h (for bpf-gcc, tests/layers/objects.sh
 * rewrites libbpf's helper definitions into gcc's kernel_helper form in a
 * private copy of <bpf/>), and the layouts shared with the drivers.
 */
#ifndef UBF_TESTS_COMMON_BPF_H
#define UBF_TESTS_COMMON_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "objects.h"

#endif /* UBF_TESTS_COMMON_BPF_H */
