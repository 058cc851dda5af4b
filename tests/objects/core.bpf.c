// SPDX-License-Identifier: BSD-2-Clause
/*
 * core.bpf.c - CO-RE relocations against a BTF the loader supplies
 * (btf_custom_path): the program's view of struct ubf_core_s has a, b and
 * gone at offsets 0, 4, 8; the driver's BTF puts b at 8 and a at 20 and has
 * no gone, so field offsets, existence and the type size are relocated.
 */
#include "common.bpf.h"
#include <bpf/bpf_core_read.h>

struct ubf_core_s {
	int a;
	int b;
	int gone;
} __attribute__((preserve_access_index));

__u32 core_size;	/* .bss: the relocated sizeof(struct ubf_core_s) */
__u32 gone_exists;
/* bpf-gcc 12 relocates field offsets but has no field-info/type-info builtins. */
#if __has_builtin(__builtin_preserve_field_info) && __has_builtin(__builtin_preserve_type_info)
#define HAS_FIELD_INFO 1
#else
#define HAS_FIELD_INFO 0
#endif
__u32 has_field_info = HAS_FIELD_INFO;	/* .data: tells the driver what to expect */

SEC("syscall")
int core(void *ctx)
{
	struct ubf_core_s *s = ctx;

#if HAS_FIELD_INFO
	core_size = bpf_core_type_size(struct ubf_core_s);
	gone_exists = bpf_core_field_exists(s->gone);
#endif
	return s->a * 1000 + s->b;
}

char LICENSE[] SEC("license") = "GPL";
