/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * helpers.h - internal interface of the helper module: the implementations
 * named by helpers.def, the built-in registry's lookups, and the embedder
 * half of an environment.  The public side is <userbpf/helper.h>; the
 * engines reach helpers through ubf_helper_find() (vm/vm.h).
 */
#ifndef UBF_HELPERS_HELPERS_H
#define UBF_HELPERS_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include <userbpf/helper.h>

/*
 * Linux's jiffies advance CONFIG_HZ times a second; user space cannot read
 * the running kernel's value, so jiffies64 uses Debian's default, 250.
 */
#define UBF_HZ 250

/*
 * Argument and return kinds of Linux prototypes that <userbpf/helper.h>
 * has no value for (helpers.def's P rows use them).  They start past the
 * public enums, so ubf_helper_proto_valid() refuses them in an embedder's
 * helper.  The verifier checks UBF_ARG_CTX_OR_NULL, UBF_RET_MAP_VALUE, the
 * socket kinds (UBF_ARG_SOCK_COMMON, UBF_ARG_BTF_ID_SOCK_COMMON and the
 * three socket returns) and, in a slot a B row of helpers.def gives a
 * kernel struct, UBF_ARG_BTF_ID, UBF_RET_BTF_ID and UBF_RET_BTF_ID_TRUSTED;
 * a helper with any other of them is not verifiable (check_helper.c).
 */
enum {
	UBF_ARG_LINUX_FIRST = 64,
	UBF_ARG_CTX_OR_NULL = UBF_ARG_LINUX_FIRST,	/* ARG_PTR_TO_CTX_OR_NULL */
	UBF_ARG_MAP_VALUE_OR_NULL,	/* ARG_PTR_TO_MAP_VALUE_OR_NULL */
	UBF_ARG_INT,			/* ARG_PTR_TO_FIXED_SIZE_MEM, 4 aligned bytes */
	UBF_ARG_SOCK_COMMON,		/* ARG_PTR_TO_SOCK_COMMON */
	UBF_ARG_BTF_ID,			/* ARG_PTR_TO_BTF_ID: a kernel object */
	UBF_ARG_BTF_ID_OR_NULL,		/* the same, or NULL */
	UBF_ARG_BTF_ID_SOCK_COMMON,	/* ARG_PTR_TO_BTF_ID_SOCK_COMMON */
	UBF_ARG_PERCPU_BTF_ID,		/* ARG_PTR_TO_PERCPU_BTF_ID */
	UBF_ARG_TIMER,			/* ARG_PTR_TO_TIMER */
	UBF_ARG_KPTR_XCHG_DEST,		/* ARG_KPTR_XCHG_DEST */
	UBF_ARG_DYNPTR_RINGBUF_UNINIT,	/* ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | MEM_UNINIT */
	UBF_ARG_DYNPTR_RINGBUF_RELEASE,	/* ARG_PTR_TO_DYNPTR | DYNPTR_TYPE_RINGBUF | OBJ_RELEASE */
	UBF_ARG_IPHDR,			/* ARG_PTR_TO_FIXED_SIZE_MEM, struct iphdr */
	UBF_ARG_IPV6HDR,		/* ARG_PTR_TO_FIXED_SIZE_MEM, struct ipv6hdr */
	UBF_ARG_TCPHDR,			/* ARG_PTR_TO_FIXED_SIZE_MEM, struct tcphdr */
};

/*
 * A helper flag of helpers.def's P rows beside the public UBF_HF_* ones: the
 * helper returns its socket argument seen as another kind (a full socket,
 * a tcp_sock), which holds the argument's reference (Linux's
 * is_ptr_cast_function()): releasing either releases both.
 */
#define UBF_HF_PTR_CAST (1u << 16)

enum {
	UBF_RET_LINUX_FIRST = 64,
	UBF_RET_MAP_VALUE = UBF_RET_LINUX_FIRST,	/* RET_PTR_TO_MAP_VALUE: never NULL */
	UBF_RET_SOCKET_OR_NULL,		/* RET_PTR_TO_SOCKET_OR_NULL */
	UBF_RET_TCP_SOCK_OR_NULL,	/* RET_PTR_TO_TCP_SOCK_OR_NULL */
	UBF_RET_SOCK_COMMON_OR_NULL,	/* RET_PTR_TO_SOCK_COMMON_OR_NULL */
	UBF_RET_BTF_ID,			/* RET_PTR_TO_BTF_ID */
	UBF_RET_BTF_ID_OR_NULL,		/* RET_PTR_TO_BTF_ID_OR_NULL */
	UBF_RET_MEM_BTF_ID,		/* RET_PTR_TO_MEM_OR_BTF_ID | MEM_RDONLY */
	UBF_RET_MEM_BTF_ID_OR_NULL,	/* the same | PTR_MAYBE_NULL */
	UBF_RET_BTF_ID_TRUSTED,		/* RET_PTR_TO_BTF_ID_TRUSTED */
};

/*
 * ubf_helper_proto_find() - the prototype of helper @id, whether userbpf
 * runs it or not: an X row of helpers.def (fn set, the registry's
 * descriptor) or a P row (fn NULL).  NULL for an ID Linux does not have.
 */
const struct ubf_helper *ubf_helper_proto_find(int32_t id);

/* One implementation per row of helpers.def. */
#define X(id_, name_, ...)                                                              \
	uint64_t ubf_helper_##name_(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, \
				    uint64_t r5, struct ubf_run *run);
#include "helpers/helpers.def"
#undef X

/* The built-in helper with Linux ID @id, or NULL. */
const struct ubf_helper *ubf_helper_builtin_find(int32_t id);

/* The helper an embedder added to @env under @id, or NULL (also for a NULL @env). */
const struct ubf_helper *ubf_env_find(const struct ubf_env *env, int32_t id);

/*
 * ubf_helper_proto_valid() - is @proto well formed?  Enum values in range,
 * no used argument after an unused one, every memory argument followed by
 * its size and every size preceded by its memory, known flags only, and a
 * map-value return only with a map as the first argument.
 */
bool ubf_helper_proto_valid(const struct ubf_helper_proto *proto);

/*
 * struct ubf_helper_direct - what trusted code may do instead of calling a
 * map helper whose map argument (r1) is a constant, the map held for the
 * program's life (Linux's map_gen_lookup and direct calls):
 *   UBF_HD_ARRAY  r0 = u32 key at r2 < max_entries ?
 *                 base + key * stride + cpu * cpu_stride : NULL, where cpu
 *                 is the calling thread's CPU modulo ncpu (cpu_stride 0:
 *                 no CPU part); rseq_cpu is the offset from the thread
 *                 pointer of the thread's rseq cpu_id (glibc's rseq area).
 *   UBF_HD_CALL   r0 = fn(r1, r2, r3, r4): the map operation itself, with
 *                 none of the helper's run-time checks (the verifier made
 *                 them); ret_int: fn returns an int errno, sign-extended.
 */
enum ubf_helper_direct_kind { UBF_HD_NONE, UBF_HD_ARRAY, UBF_HD_CALL };

struct ubf_helper_direct {
	enum ubf_helper_direct_kind kind;
	uintptr_t base;
	uint32_t max_entries;
	uint32_t stride;
	uint32_t cpu_stride;
	uint32_t ncpu;
	intptr_t rseq_cpu;
	const void *fn;
	bool ret_int;
};

/*
 * ubf_helper_direct() - the direct form of a call of @h with the map @map
 * in r1, for trusted code; false when @h has none (then call it).
 */
bool ubf_helper_direct(const struct ubf_helper *h, uintptr_t map, struct ubf_helper_direct *out);

/*
 * Memory of the process read without trusting the address: the probe
 * helpers, trace_printk's %s and the packet helpers' context check use
 * these (probe_helpers.c).  ubf_helper_read_safe() copies @n bytes or fails
 * with -EFAULT, never a crash; ubf_helper_read_str_safe() copies a string
 * of at most @n - 1 characters plus its NUL and returns Linux's
 * strncpy_from_*_nofault() result: the length including the NUL, @n when
 * truncated, -EFAULT (the destination then holds what was read, NUL ended).
 */
int ubf_helper_read_safe(void *dst, uint64_t src, size_t n);
int ubf_helper_read_str_safe(char *dst, uint64_t src, size_t n);

/*
 * ubf_helper_check_str() - in a checked run, is a NUL-terminated string at
 * @addr readable within @max bytes (the terminator included)?  Return: 0
 * with *@len its length; -EFAULT after recording the fault; -EINVAL when no
 * NUL comes within @max bytes.  A trusted run returns strnlen() at once.
 */
int ubf_helper_check_str(struct ubf_run *run, uint64_t addr, size_t max, size_t *len);

/*
 * Packet test runs (src/sys/test_run_pkt.c) and the packet helpers
 * (pkt_helpers.c).  The program's context (struct xdp_md or struct
 * __sk_buff) is followed in memory by struct ubf_pkt_tag, outside every
 * region a checked run may touch: a helper given a context pointer reads
 * the tag with ubf_helper_read_safe() and trusts it only when the magic
 * matches and @self is that pointer, so a program can neither forge one nor
 * make a helper read a context of another program type.
 */
#define UBF_PKT_XDP_MAGIC 0x3170647866627575ull /* "uubfxdp1" */
#define UBF_PKT_SKB_MAGIC 0x31626b7366627575ull /* "uubfskb1" */

/* What a packet is: Linux's xdp_buff / linear sk_buff pointers, private to the helpers. */
struct ubf_pkt {
	uint8_t *hard_start;	/* the buffer: headroom begins here */
	uint8_t *data_meta;
	uint8_t *data;
	uint8_t *data_end;
	uint8_t *hard_end;	/* data_end may grow up to here (xdp_adjust_tail) */
	uint32_t redirect_ifindex;	/* the last redirect's target */
	uint64_t redirect_flags;
	bool hash_cleared;		/* skb_store_bytes(BPF_F_INVALIDATE_HASH) */
	void *ctx;			/* the program's context: data fields are rewritten */
};

struct ubf_pkt_tag {
	uint64_t magic;
	uint64_t self;		/* address of the context this tag follows */
	struct ubf_pkt *pkt;
};

/*
 * ubf_pkt_sync() - after a helper moved the packet's bounds: store the new
 * data/data_end/data_meta in the context the program reads and move the
 * run's packet region (checked mode) from @old_start/@old_end to the new
 * bounds.
 */
void ubf_pkt_sync(struct ubf_run *run, struct ubf_pkt *pkt, uintptr_t old_start,
		  uintptr_t old_end);

/*
 * ubf_helper_run_end() - after a checked run: release what an unverified
 * program still held when it ended (the verifier would have rejected it):
 * a spin lock is unlocked, ring buffer records it reserved are discarded,
 * so that no other run or consumer waits for them forever.
 */
void ubf_helper_run_end(struct ubf_run *run);

#endif /* UBF_HELPERS_HELPERS_H */
