/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verifier.h - the verifier core: its entry point ubf_verify(), which walks
 * every path of a program with an abstract state per path (Linux's
 * approach), and the state it carries: per call frame (at most 8) a type
 * and a scalar per register and a type per stack byte with spilled
 * registers per 8-byte slot.  state.c owns the state operations (init,
 * copy, compare for pruning, widen, print); verify.c drives the walk and
 * the check_*.c files check each instruction kind (walk.h, internal).
 */
#ifndef UBF_VERIFIER_VERIFIER_H
#define UBF_VERIFIER_VERIFIER_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h>

#include <userbpf/insn.h>
#include <userbpf/log.h>

struct btf;

#include "verifier/scalar.h"

#define UBF_VFY_REGS 11
#define UBF_VFY_STACK_SZ 512
#define UBF_VFY_SLOTS (UBF_VFY_STACK_SZ / 8)
#define UBF_VFY_MAX_REFS 16
#define UBF_VFY_INSN_LIMIT 1000000u
#define UBF_VFY_MAX_FRAMES 8		/* Linux's MAX_CALL_FRAMES */
#define UBF_VFY_MAX_SUBPROGS 256	/* Linux's BPF_MAX_SUBPROGS */

/**
 * struct ubf_verify_map - what the verifier needs of a map the program
 * names by lddw index (imm of a map_fd/map_value lddw is the index), or
 * of the inner map template of a map-in-map (Linux's inner_map_meta)
 * @inner: an ARRAY_OF_MAPS or HASH_OF_MAPS: 1 + the index in the input's
 *         maps of its inner map template; 0 for other maps.  A lookup
 *         gives a map value pointer that, once checked for NULL, is a
 *         map pointer to the template
 */
struct ubf_verify_map {
	uint32_t type;		/* Linux enum bpf_map_type */
	uint32_t key_sz;
	uint32_t value_sz;
	uint32_t max_entries;
	uint32_t flags;		/* BPF_F_* of BPF_MAP_CREATE */
	int32_t lock_off;	/* offset of a struct bpf_spin_lock in the value, or -1 */
	uint32_t inner;
};

/**
 * struct ubf_verify_input - one program to verify
 * @insns, @insn_cnt: raw instructions (lddw takes two slots)
 * @prog_type:        Linux enum bpf_prog_type
 * @attach:           expected_attach_type
 * @maps, @map_cnt:   maps by lddw index, followed in @maps by
 * @inner_cnt:        inner map templates (maps[map_cnt ..]), which only a
 *                    map-in-map's @inner names: no lddw reaches them
 * @is_unpriv:        CAP_BPF only: no pointer leaks, no uninitialised stack reads
 * @is_non_gpl:       the license is not GPL-compatible: no GPL-only helper
 * @is_sleepable:     BPF_F_SLEEPABLE: helpers that may sleep are allowed
 * @cpu_cnt:          the CPUs a run may be on (Linux's nr_cpu_ids), bounding
 *                    bpf_get_smp_processor_id()'s result; 0 unknown
 * @insn_limit:       processed-instruction limit; 0 = 1 million, as Linux
 * @log_level:        0 none, 1 the path to the error, 2 every instruction
 *                    with the register state after it
 * @btf:              the program's BTF (libbpf's), or NULL
 * @func_info, @func_info_cnt: one record per subprogram, in address order
 *                    (BTF FUNC ids in @btf); without them every subprogram
 *                    is static.  A FUNC with BTF_FUNC_GLOBAL linkage is a
 *                    global function, verified once against its signature
 * @line_info, @line_info_cnt: source lines for the log (names in @btf)
 * @kernel_btf:       gives the kernel's BTF (vmlinux), or NULL when there
 *                    is none; called only when the program needs it (it
 *                    types the arguments of tracing and LSM programs, the
 *                    objects they reach and the kernel struct behind a map
 *                    pointer).  NULL: no kernel BTF
 * @attach_btf_id:    a tracing or LSM program's target in @kernel_btf
 *                    (Linux's attach_btf_id): a FUNC, or the btf_trace_
 *                    TYPEDEF of a tp_btf program
 */
struct ubf_verify_input {
	const struct ubf_raw_insn *insns;
	size_t insn_cnt;
	uint32_t prog_type;
	uint32_t attach;
	const struct ubf_verify_map *maps;
	size_t map_cnt;
	size_t inner_cnt;
	uint64_t insn_limit;
	uint32_t is_unpriv;
	uint32_t is_non_gpl;
	uint32_t is_sleepable;
	uint32_t cpu_cnt;
	uint32_t log_level;
	const struct btf *btf;
	const struct bpf_func_info *func_info;
	size_t func_info_cnt;
	const struct bpf_line_info *line_info;
	size_t line_info_cnt;
	const struct btf *(*kernel_btf)(void);
	uint32_t attach_btf_id;
};

/**
 * struct ubf_verify_result - the verdict
 * @diag:           on rejection: the rule id (tests/verifier names), the
 *                  instruction index and what was found
 * @insn_processed: instructions walked over all paths
 * @states:         states kept for pruning
 * @peak_states, @max_states_per_insn: the most kept at once, and at one
 *                  instruction
 * @stack_depth:    bytes of stack of the deepest call chain (each frame
 *                  rounded up to 32 bytes, as Linux counts)
 * @subprog_stack_depth, @subprog_cnt: bytes of stack each subprogram uses
 *                  (address order, main first); malloc'ed, freed by
 *                  ubf_verify_result_free()
 * @log, @log_len:  malloc'ed text (Linux log style; at level 1 only the path
 *                  to the error, nothing for an accepted program), without
 *                  the statistics lines; free with ubf_verify_result_free()
 * @kmem_load:      1 + the first instruction that loads kernel memory
 *                  through kernel BTF (a BTF-typed pointer or a map
 *                  pointer), 0 none: Linux runs it as a fault-tolerant
 *                  probe load, which userbpf's engines do not have
 * @sock_load:      1 + the first instruction that loads or stores through a
 *                  socket, tcp_sock, flow keys or tracepoint buffer pointer,
 *                  0 none: Linux rewrites these into accesses of its own
 *                  objects, which userbpf's run-time contexts do not have
 */
struct ubf_verify_result {
	struct ubf_diag diag;
	uint64_t insn_processed;
	uint64_t states;
	uint64_t peak_states;
	uint32_t max_states_per_insn;
	uint32_t stack_depth;
	uint32_t ctx_max;	/* end of the furthest context byte accessed (Linux's max_ctx_offset) */
	uint32_t *subprog_stack_depth;
	size_t subprog_cnt;
	char *log;
	size_t log_len;
	uint32_t kmem_load;
	uint32_t sock_load;
};

/*
 * ubf_verify() - prove @in safe or name the first rule it breaks.
 * Return: 0 accepted; -EACCES rejected (out->diag says why); -E2BIG the
 * complexity limit; -EINVAL a malformed input (a map-in-map without its
 * inner map template) or a helper the walk has no model of; -ENOMEM.
 * out->log is owned by the caller in every case.
 */
int ubf_verify(const struct ubf_verify_input *in, struct ubf_verify_result *out);
void ubf_verify_result_free(struct ubf_verify_result *out);

/* ------------------------------------------------------------------ state */

/* What a register (or a spilled slot) holds. */
#define UBF_VREG_TYPES(Y)                                                               \
	Y(NOT_INIT, "?") Y(SCALAR, "scalar") Y(CTX, "ctx") Y(STACK, "fp")                \
	Y(MAP_PTR, "map_ptr") Y(MAP_VALUE, "map_value")                                   \
	Y(MAP_VALUE_OR_NULL, "map_value_or_null") Y(PACKET, "pkt") Y(PACKET_END, "pkt_end") \
	Y(PACKET_META, "pkt_meta") Y(MEM, "ringbuf_mem") Y(MEM_OR_NULL, "ringbuf_mem_or_null") \
	Y(FUNC, "func") Y(MAP_KEY, "map_key")                                            \
	Y(BTF_ID, "ptr_") Y(BTF_TRUSTED, "trusted_ptr_") Y(BTF_RCU, "rcu_ptr_")          \
	Y(BTF_UNTRUSTED, "untrusted_ptr_") Y(BTF_TRUSTED_OR_NULL, "trusted_ptr_or_null_") \
	Y(BTF_RCU_OR_NULL, "rcu_ptr_or_null_") Y(UNTRUSTED_MEM, "rdonly_untrusted_mem")    \
	Y(SOCKET, "sock") Y(SOCKET_OR_NULL, "sock_or_null") Y(SOCK_COMMON, "sock_common")   \
	Y(SOCK_COMMON_OR_NULL, "sock_common_or_null") Y(TCP_SOCK, "tcp_sock")             \
	Y(TCP_SOCK_OR_NULL, "tcp_sock_or_null") Y(FLOW_KEYS, "flow_keys") Y(TP_BUFFER, "tp_buffer")
#define UBF_VREG_ENUM(n, s) UBF_VREG_##n,
enum ubf_vreg_type { UBF_VREG_TYPES(UBF_VREG_ENUM) UBF_VREG_TYPE_CNT };
#undef UBF_VREG_ENUM

/**
 * struct ubf_vreg - one register's abstract value
 * @type:   enum ubf_vreg_type
 * @off:    fixed offset of a pointer
 * @id:     shared by copies of one lookup result (null checks) or one
 *          packet pointer (bounds); for a scalar, by the registers and
 *          spills known equal (Linux's linked scalars: a branch that bounds
 *          one bounds them all), UBF_VFY_ID_ADD_CONST set when this one is
 *          the shared value plus @off; 0 none
 * @ref:    reference id to release (ring buffer memory, a socket a lookup
 *          acquired, and what a cast of that socket gives), 0 none
 * @map:    map index for MAP_PTR / MAP_VALUE* / MAP_KEY (a MAP_PTR from
 *          a map-in-map lookup names the inner template); the first
 *          instruction of the subprogram for FUNC; the frame (0 main) a
 *          STACK pointer points into; the struct's type id in the
 *          input's kernel_btf for the BTF_* types (Linux's PTR_TO_BTF_ID
 *          and its trusted, RCU, untrusted and maybe-NULL flavours)
 * @precise: in a kept state (a checkpoint) only: a scalar whose exact value
 *          some later safety decision depended on (precise.c); pruning
 *          compares an imprecise scalar as "any scalar"
 * @range:  PACKET*: bytes past @off proven below pkt_end; MEM*: size
 * @s:      a scalar's value, or a pointer's variable offset
 */
struct ubf_vreg {
	uint8_t type;
	uint8_t precise;
	uint8_t pad[2];
	int32_t off;
	uint32_t id;
	uint32_t ref;
	uint32_t map;
	uint32_t range;
	struct ubf_scalar s;
};

/* A scalar's @id with this bit: its value is the linked value plus its @off. */
#define UBF_VFY_ID_ADD_CONST 0x80000000u

/* What a stack byte holds. */
enum ubf_vslot_type {
	UBF_VSLOT_INVALID = 0,	/* never written */
	UBF_VSLOT_MISC,		/* some scalar bytes */
	UBF_VSLOT_ZERO,		/* known zero */
	UBF_VSLOT_SPILL,	/* part of the register in the slot's @spill */
};

/*
 * A spill is the register a store at the slot's start saved: its bytes
 * [0, n) are SPILL, n 8 or, for a scalar (Linux's narrow spill), the
 * store's size; the bytes above keep their own types.
 */
struct ubf_vslot {
	uint8_t type[8];	/* per byte, index 0 the lowest address */
	struct ubf_vreg spill;	/* valid when type[0] is SPILL */
};

/* How many bytes of the slot a spill covers: 0 when it holds none. */
static inline unsigned ubf_vfy_spill_len(const struct ubf_vslot *s)
{
	unsigned n = 0;

	while (n < 8 && s->type[n] == UBF_VSLOT_SPILL)
		n++;
	return n;
}

/* How a frame was entered, which decides what its exit does. */
enum ubf_vframe_kind {
	UBF_VFRAME_MAIN = 0,	/* the program: exit checks the return range */
	UBF_VFRAME_STATIC,	/* a static subprogram, verified per call site */
	UBF_VFRAME_GLOBAL,	/* a global function, verified once from its BTF signature */
	UBF_VFRAME_CALLBACK,	/* a helper's callback: returns to the helper call again */
};

/**
 * struct ubf_vframe_info - what a frame is
 * @callsite: the call (or callback-taking helper call) that made it
 * @subprog:  index of the subprogram it runs (0 main)
 * @kind:     enum ubf_vframe_kind
 * @ref_cnt, @lock_map: references and lock at entry (a callback must
 *            give back what it was given)
 */
struct ubf_vframe_info {
	uint32_t callsite;
	uint32_t subprog;
	uint32_t kind;
	uint32_t ref_cnt;
	uint32_t lock_map;
};

/* A caller's frame, kept while its callee runs. */
struct ubf_vframe {
	struct ubf_vreg regs[UBF_VFY_REGS];
	struct ubf_vslot stack[UBF_VFY_SLOTS];
	struct ubf_vframe_info info;
};

/**
 * struct ubf_vstate - one path's state at one instruction
 * @regs:      r0..r10 of the current frame
 * @stack:     the current frame's stack: slot i covers fp-512+8i .. fp-512+8i+7
 * @frame:     what the current frame is
 * @refs:      reference ids acquired and not yet released
 * @insn_idx:  the instruction about to run
 * @lock_map, @lock_id: the bpf_spin_lock held, if any
 * @frame_cnt: callers in @caller; the current frame is number @frame_cnt
 * @is_cb_return: the path came back from a callback to its helper call
 * @cb_iter:   callback returns on this path (Linux's callback_unroll_depth):
 *             equal states of different iterations are no infinite loop
 * @caller:    the callers' frames, main first; only @frame_cnt are valid
 *             (ubf_vfy_state_size() bytes of a state are meaningful)
 */
struct ubf_vstate {
	struct ubf_vreg regs[UBF_VFY_REGS];
	struct ubf_vslot stack[UBF_VFY_SLOTS];
	struct ubf_vframe_info frame;
	uint32_t refs[UBF_VFY_MAX_REFS];
	uint32_t ref_cnt;
	uint32_t insn_idx;
	uint32_t lock_map;	/* 1 + map index of the spin lock held, 0 none */
	uint32_t lock_id;	/* id of the map value pointer it was taken through */
	uint32_t frame_cnt;
	uint32_t is_cb_return;
	uint32_t cb_iter;
	struct ubf_vframe caller[UBF_VFY_MAX_FRAMES - 1];
};

/* The bytes of @st that matter (its callers' frames included). */
size_t ubf_vfy_state_size(const struct ubf_vstate *st);
/*
 * A state packed, for a path that waits and for a kept state: the header
 * fields, then per frame (main first) what it is, its registers and its
 * stack slots from the lowest one in use up.  Multiple of 8 bytes.
 */
size_t ubf_vfy_state_packed_size(const struct ubf_vstate *st);
void ubf_vfy_state_pack(void *buf, const struct ubf_vstate *st);
void ubf_vfy_state_unpack(struct ubf_vstate *st, const void *buf);

/**
 * struct ubf_vview - a whole or a packed state's frames, read and marked in place
 * @frame_cnt, @ref_cnt, @refs, @lock_map, @lock_id, @cb_iter: as in struct ubf_vstate
 * @info, @regs: per frame, 0 main, @frame_cnt the current one
 * @slots, @lo:  slot i (i >= @lo) of frame f is @slots[f][i - @lo[f]]; the
 *               slots below @lo[f] were never written
 */
struct ubf_vview {
	uint32_t frame_cnt, ref_cnt, lock_map, lock_id, cb_iter;
	const uint32_t *refs;
	const struct ubf_vframe_info *info[UBF_VFY_MAX_FRAMES];
	struct ubf_vreg *regs[UBF_VFY_MAX_FRAMES];
	struct ubf_vslot *slots[UBF_VFY_MAX_FRAMES];
	uint32_t lo[UBF_VFY_MAX_FRAMES];
};

void ubf_vfy_view_state(struct ubf_vview *v, struct ubf_vstate *st);
/* @buf: what ubf_vfy_state_pack() wrote. */
void ubf_vfy_view_packed(struct ubf_vview *v, void *buf);
/* Slot @i of frame @f, or NULL below the lowest one stored (never written). */
struct ubf_vslot *ubf_vfy_view_slot(const struct ubf_vview *v, unsigned f, unsigned i);

/* Copy ubf_vfy_state_size(@src) bytes. */
void ubf_vfy_state_copy(struct ubf_vstate *dst, const struct ubf_vstate *src);
/* Drop the link of a scalar no other register or spill shares (Linux's clear_singular_ids()). */
void ubf_vfy_state_clear_singular_ids(struct ubf_vstate *st);
/*
 * Every register and spilled register of every frame, by index below
 * ubf_vfy_state_reg_cnt(): NULL for a stack slot that holds no spill.
 * Inline: the walk goes over all of them at every null check.
 */
static inline struct ubf_vreg *ubf_vfy_state_reg(struct ubf_vstate *st, unsigned i)
{
	unsigned per = UBF_VFY_REGS + UBF_VFY_SLOTS, f = i / per, k = i % per;
	struct ubf_vreg *regs = f < st->frame_cnt ? st->caller[f].regs : st->regs;
	struct ubf_vslot *stack = f < st->frame_cnt ? st->caller[f].stack : st->stack;

	if (f > st->frame_cnt)
		return NULL;
	if (k < UBF_VFY_REGS)
		return &regs[k];
	if (stack[k - UBF_VFY_REGS].type[0] != UBF_VSLOT_SPILL)
		return NULL;
	return &stack[k - UBF_VFY_REGS].spill;
}

static inline unsigned ubf_vfy_state_reg_cnt(const struct ubf_vstate *st)
{
	return (st->frame_cnt + 1) * (UBF_VFY_REGS + UBF_VFY_SLOTS);
}
/* The stack a STACK pointer @p points into: the current frame's or a caller's. */
struct ubf_vslot *ubf_vfy_stack_of(struct ubf_vstate *st, const struct ubf_vreg *p);
/*
 * ubf_vfy_state_widen() - make every scalar of @cur (registers, spills, in
 * every frame) that @old does not include unknown, so that a callback's
 * iterations reach a state an earlier one includes.
 */
void ubf_vfy_state_widen(struct ubf_vstate *cur, const struct ubf_vstate *old);

const char *ubf_vfy_type_name(unsigned type);
void ubf_vfy_reg_scalar(struct ubf_vreg *r, struct ubf_scalar s);
void ubf_vfy_reg_unknown(struct ubf_vreg *r);
void ubf_vfy_reg_ptr(struct ubf_vreg *r, unsigned type, int32_t off);
int ubf_vfy_reg_is_ptr(const struct ubf_vreg *r);
int ubf_vfy_reg_is_null_ptr(const struct ubf_vreg *r);
/* The type a maybe-NULL pointer type has once it is known not NULL (others: themselves). */
unsigned ubf_vfy_type_not_null(unsigned type);
/* A socket pointer known not NULL (Linux's sock, sock_common, tcp_sock)? */
int ubf_vfy_reg_is_sock(const struct ubf_vreg *r);
/* A pointer to a kernel object typed by kernel BTF (any BTF_* type)? */
int ubf_vfy_reg_is_btf(const struct ubf_vreg *r);
/* The state at entry: r1 the context, r10 the frame pointer, the rest unset. */
void ubf_vfy_state_init(struct ubf_vstate *st);

/*
 * ubf_vfy_state_includes() - does every concrete state @cur stands for
 * also lie in @old (so a path from @cur is safe when @old's was)?  Ids
 * must correspond one to one.  Used for pruning; when unsure, says no.
 */
int ubf_vfy_state_includes(const struct ubf_vstate *old, const struct ubf_vstate *cur);
/**
 * struct ubf_vfy_live - what is live at one instruction, per frame (0 main)
 * @regs:  bit i: register i may be read before it is written
 * @slots: bit i: stack slot i (fp-512+8i) may be read before it is written
 * @any_misc: the loader may read pointers' bytes as scalars (CAP_PERFMON):
 *          a MISC byte of the old state includes any byte
 */
struct ubf_vfy_live {
	uint16_t regs[UBF_VFY_MAX_FRAMES];
	uint64_t slots[UBF_VFY_MAX_FRAMES];
	uint8_t any_misc;
};

/*
 * ubf_vfy_state_covers() - the pruning test: like ubf_vfy_state_includes(),
 * but registers and slots dead in @live are not compared, and a scalar
 * @old does not mark precise includes any scalar.  Sound only when every
 * path from @old was explored and its precision marks propagated back.
 */
int ubf_vfy_state_covers(const struct ubf_vstate *old, const struct ubf_vstate *cur,
			 const struct ubf_vfy_live *live);
/* Are the two states the same (infinite loop detection)? */
int ubf_vfy_state_equal(const struct ubf_vstate *a, const struct ubf_vstate *b);
/*
 * The same three on views: ubf_vfy_view_includes() is
 * ubf_vfy_state_covers() with @live, ubf_vfy_state_includes() without.
 */
int ubf_vfy_view_includes(const struct ubf_vview *old, const struct ubf_vview *cur,
			  const struct ubf_vfy_live *live);
int ubf_vfy_view_equal(const struct ubf_vview *a, const struct ubf_vview *b);
void ubf_vfy_view_widen(struct ubf_vstate *cur, const struct ubf_vview *old);

/* Print "R1=ctx() R10=fp0 fp-8=mmmmmmmm" into @buf (always NUL-terminated). */
size_t ubf_vfy_state_print(const struct ubf_vstate *st, char *buf, size_t buf_sz);
size_t ubf_vfy_reg_print(const struct ubf_vreg *r, char *buf, size_t buf_sz);

#endif /* UBF_VERIFIER_VERIFIER_H */
