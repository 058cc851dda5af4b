/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * walk.h - internal to src/verifier: the environment of one ubf_verify()
 * run (the program, the pending paths, the checkpoints pruning compares
 * against) and the checks each instruction kind has, one file per kind:
 * check_alu.c, check_mem.c, check_jmp.c, check_helper.c and check_call.c,
 * driven by verify.c.  Nothing here is part of the library's API.
 */
#ifndef UBF_VERIFIER_WALK_H
#define UBF_VERIFIER_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"
#include "util/compiler.h"
#include "verifier/verifier.h"

#define UBF_VFY_MAX_VAR_OFF (1 << 29)
#define UBF_VFY_MAX_PACKET_OFF 0xffff

/* A global function's argument kinds, from its BTF FUNC_PROTO. */
enum ubf_vfy_arg { UBF_VFY_ARG_INT, UBF_VFY_ARG_CTX, UBF_VFY_ARG_MEM };

/**
 * struct ubf_vfy_subprog - one subprogram: [start, end) in slots
 * @depth:         the most stack any path used in it
 * @is_global:     verified once, from its BTF signature
 * @has_tail_call: calls bpf_tail_call (limits the stack of its callers)
 * @arg_cnt, @args, @arg_sz: a global function's signature (MEM: bytes)
 */
struct ubf_vfy_subprog {
	uint32_t start, end;
	uint32_t depth;
	uint8_t is_global;
	uint8_t has_tail_call;
	uint8_t arg_cnt;
	uint8_t args[5];
	uint32_t arg_sz[5];
};

/*
 * One instruction a path ran since its last checkpoint (precise.c walks
 * them backwards).  A load or store through a stack pointer notes the
 * frame and the slots it touched.
 */
struct ubf_vfy_hent {
	uint32_t idx;
	uint8_t frame;		/* the frame the instruction ran in */
	uint8_t flags;		/* UBF_VFY_HENT_* */
	uint8_t acc_frame;	/* STACK: the frame whose stack was accessed */
	uint8_t slot_lo;	/* STACK: the first and last slot touched */
	uint8_t slot_hi;
	uint8_t pad;
	uint16_t linked_regs;	/* a branch: the registers and slots of its frame */
	uint64_t linked_slots;	/* linked to its operands (a precise one makes all precise) */
};

#define UBF_VFY_HENT_STACK 1	/* a load or store through a stack pointer */
#define UBF_VFY_HENT_FULL 2	/* replaces a slot's spill: at its start, 8 bytes or a scalar */
#define UBF_VFY_HENT_CB_EXIT 4	/* the exit of a callback (back to its helper call) */

/*
 * A link of a path's history that is no checkpoint (a long run of
 * instructions without one): which registers and slots were scalars there,
 * and which of them precise.c marked.
 */
struct ubf_vfy_link {
	uint32_t frame_cnt;
	uint16_t scalar_regs[UBF_VFY_MAX_FRAMES];
	uint16_t precise_regs[UBF_VFY_MAX_FRAMES];
	uint64_t scalar_slots[UBF_VFY_MAX_FRAMES];
	uint64_t precise_slots[UBF_VFY_MAX_FRAMES];
};

/*
 * A state kept at a prune point, and the paths still being explored from
 * it; or, when @is_link, only a link of the history (never compared).
 */
struct ubf_vfy_ckpt {
	struct ubf_vfy_ckpt *parent;	/* the checkpoint this path passed before */
	struct ubf_vfy_ckpt *next;	/* next at the same instruction (links: next link) */
	struct ubf_vfy_hent *hist;	/* the instructions from @parent to here */
	uint32_t hist_cnt;
	uint32_t branches;		/* paths from here still being explored */
	uint32_t hit, miss;		/* prunes it made; comparisons that failed */
	uint32_t is_link;
	void *st;			/* the state, ubf_vfy_state_pack()ed, allocated with it */
	struct ubf_vfy_link link;	/* a link's */
};

/* A path waiting to be walked. */
struct ubf_vfy_path {
	struct ubf_vfy_ckpt *cp;
	struct ubf_vfy_hent *hist;	/* the instructions from @cp to the branch */
	uint32_t hist_cnt;
	uint32_t from;
	size_t log_pos;			/* the log's length at the branch (level 1 goes back to it) */
	unsigned char st[];		/* the state, ubf_vfy_state_pack()ed */
};

/**
 * struct ubf_vfy_kargs - what types a tracing or LSM program's context (kbtf.c)
 * @proto:    the FUNC_PROTO in the kernel's BTF typing its u64 slots, 0 none
 * @first:    its parameters no slot holds (tp_btf: the tracepoint's void *)
 * @nargs:    the parameters the slots hold, from @first
 * @ret_arg:  slot @nargs holds the return value (fexit, fmod_ret, LSM)
 * @arg_type: the register type a pointer to a struct gets (trusted or not)
 * @name:     the target, as Linux's messages name it
 */
struct ubf_vfy_kargs {
	uint32_t proto;
	uint32_t first;
	uint32_t nargs;
	uint8_t ret_arg;
	uint8_t arg_type;
	char name[64];
};

struct ubf_vfy_env {
	const struct ubf_verify_input *in;
	const struct ubf_raw_insn *insns;
	size_t cnt;
	int16_t *row;		/* insn.def row per slot, -1 for the second lddw slot */
	uint8_t *is_prune;
	struct ubf_vfy_ckpt **ckpts;
	uint16_t *ckpt_cnt;
	uint64_t ckpt_total;	/* checkpoints made */
	uint64_t ckpt_peak;	/* most checkpoints kept at once */
	uint32_t ckpt_max_per_insn;	/* most checkpoints one instruction had */
	uint64_t ckpt_live;	/* checkpoints kept (not evicted) */
	uint64_t jmps;		/* jumps, calls and exits walked */
	uint64_t ckpt_jmps, ckpt_processed;	/* jmps and processed at the last checkpoint */
	struct ubf_vfy_path **pend;	/* paths waiting, grown on demand up to MAX_PENDING */
	size_t pend_cnt;
	size_t pend_cap;
	struct ubf_vstate *st;		/* the path being walked */
	struct ubf_vstate *tmp;		/* the taken side of a branch */
	struct ubf_vfy_ckpt *cp;
	uint32_t id_gen;
	uint32_t last_idx;	/* the instruction walked last: where a limit names, as Linux's log ends */
	uint32_t stack_depth;
	uint64_t processed;
	uint64_t limit;
	struct ubf_verify_result *out;
	size_t log_cap;
	struct ubf_vfy_subprog *sub;
	uint32_t sub_cnt;
	uint16_t *live_regs;	/* per slot: registers live before it (live.c) */
	uint64_t *live_slots;	/* per slot: own-frame stack slots live before it */
	struct ubf_vfy_hent *hist;	/* the path's instructions since env->cp */
	uint32_t hist_cnt;
	uint32_t hist_cap;
	struct ubf_vfy_ckpt *links;	/* every history link, to free them */
	struct ubf_vfy_kargs kargs;
	const struct btf *kbtf;		/* in->kernel_btf()'s answer, once asked */
	int kbtf_asked;
};

/* One load or store through a pointer register. */
struct ubf_vfy_access {
	uint32_t idx;
	unsigned regno;
	int32_t off;		/* insn off */
	unsigned size;
	int is_write;
	int is_signed;
	const struct ubf_vreg *val;	/* stored register (STX), NULL for ST or loads */
	struct ubf_vreg result;		/* loaded value */
};

static inline const struct ubf_insn_desc *ubf_vfy_desc(const struct ubf_vfy_env *env, size_t idx)
{
	return &ubf_isa_desc[env->row[idx]];
}

static inline int ubf_vfy_is_unpriv(const struct ubf_vfy_env *env)
{
	return env->in->is_unpriv != 0;
}

static inline const struct ubf_verify_map *ubf_vfy_map(const struct ubf_vfy_env *env,
							const struct ubf_vreg *r)
{
	return &env->in->maps[r->map];
}

/* verify.c: the log, rejections, register reads, paths */
void ubf_vfy_log(struct ubf_vfy_env *env, const char *fmt, ...) UBF_PRINTF(2, 3);
/* Reject at @idx with rule @id; log the state the error was found in.  Return: -EACCES. */
int ubf_vfy_rej(struct ubf_vfy_env *env, uint32_t idx, const char *id, const char *fmt, ...)
	UBF_PRINTF(4, 5);
/* The same for the rules Linux answers with -EINVAL (unknown helpers, bad immediates). */
int ubf_vfy_rej_inval(struct ubf_vfy_env *env, uint32_t idx, const char *id, const char *fmt,
		      ...) UBF_PRINTF(4, 5);
int ubf_vfy_check_read(struct ubf_vfy_env *env, uint32_t idx, unsigned regno, const char *rule);
struct ubf_scalar ubf_vfy_scalar_sized(unsigned size, int is_signed);
/* A tnum as Linux's log writes one: the value when known, else "(value; mask)". */
void ubf_vfy_tnum_text(char *buf, size_t buf_sz, struct ubf_tnum t);
void ubf_vfy_invalidate(struct ubf_vfy_env *env, uint32_t ref, int pkt);
int ubf_vfy_push_path(struct ubf_vfy_env *env, const struct ubf_vstate *st, uint32_t from);

/* live.c: static liveness, computed once before the walk */
int ubf_vfy_liveness(struct ubf_vfy_env *env);
/* What pruning at @idx compares, for every frame of @st. */
void ubf_vfy_live_at(const struct ubf_vfy_env *env, const struct ubf_vstate *st, uint32_t idx,
		     struct ubf_vfy_live *live);

/* precise.c: the path's history and precision marks (Linux's mark_chain_precision) */
/* Note the instruction env->st is about to run.  Return: 0 or -ENOMEM. */
int ubf_vfy_hist_add(struct ubf_vfy_env *env);
/*
 * ubf_vfy_precise() - the value register @regno (of the frame the current
 * instruction runs in) had before it decided something about safety:
 * every scalar it was computed from, back through the checkpoints of the
 * path, is marked precise.  Call it before the instruction changes frames.
 */
void ubf_vfy_precise(struct ubf_vfy_env *env, unsigned regno);
/* The same for the spill in stack slot @slot of frame @frame. */
void ubf_vfy_precise_slot(struct ubf_vfy_env *env, unsigned frame, unsigned slot);
/*
 * ubf_vfy_precise_pruned() - the path was pruned against @old: what @old
 * needed precise (live in @live) the path needs too, back through its
 * checkpoints.  @all: every scalar of @old (a prune against a state still
 * being explored, whose marks are not complete).
 */
void ubf_vfy_precise_pruned(struct ubf_vfy_env *env, const struct ubf_vview *old,
			    const struct ubf_vfy_live *live, int all);

/* check_alu.c */
int ubf_vfy_check_alu(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		      const struct ubf_raw_insn *in);
int ubf_vfy_check_lddw(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		       const struct ubf_raw_insn *in);
int ubf_vfy_check_ld_pkt(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
			 const struct ubf_raw_insn *in);

/* check_mem.c */
int ubf_vfy_stack_bounds(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
			 const struct ubf_vreg *p, int64_t *lo, int64_t *hi);
int ubf_vfy_stack_read(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
		       const struct ubf_vreg *p, int64_t lo, int64_t hi);
int ubf_vfy_stack_write(struct ubf_vfy_env *env, struct ubf_vfy_access *a,
			const struct ubf_vreg *p, int64_t lo, int64_t hi,
			const struct ubf_vreg *val);
int ubf_vfy_check_access(struct ubf_vfy_env *env, struct ubf_vfy_access *a);
int ubf_vfy_check_ldx(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		      const struct ubf_raw_insn *in);
int ubf_vfy_check_store(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
			const struct ubf_raw_insn *in);
int ubf_vfy_check_atomic(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
			 const struct ubf_raw_insn *in);

/* kbtf.c: pointers typed by the kernel's BTF */
/* Resolve a tracing or LSM program's attach target.  Return: 0 or -EINVAL (out->diag). */
int ubf_vfy_kbtf_attach(struct ubf_vfy_env *env);
/* A load of context offset @off of a program with a target (env->kargs.proto). */
int ubf_vfy_kbtf_ctx(struct ubf_vfy_env *env, struct ubf_vfy_access *a, int64_t off);
/* A load or store through a BTF_* pointer @p. */
int ubf_vfy_kbtf_access(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p);
/* A load or store through an UNTRUSTED_MEM pointer. */
int ubf_vfy_kbtf_mem(struct ubf_vfy_env *env, struct ubf_vfy_access *a);
/* A load or store through the map pointer @p (the map's kernel struct). */
int ubf_vfy_kbtf_map(struct ubf_vfy_env *env, struct ubf_vfy_access *a, const struct ubf_vreg *p);
/* A struct's id in the kernel's BTF by name (0 none), and a type's name. */
uint32_t ubf_vfy_kbtf_struct(struct ubf_vfy_env *env, const char *name);
const char *ubf_vfy_kbtf_name(struct ubf_vfy_env *env, uint32_t id);
/* Is a pointer to struct @id at fixed offset @off one to struct @want? */
int ubf_vfy_kbtf_is_a(struct ubf_vfy_env *env, uint32_t id, int32_t off, uint32_t want);
/* May the program call helper @name at its attach target (kbtf.def's HELPER_AT rows)? */
int ubf_vfy_kbtf_helper_at(struct ubf_vfy_env *env, const char *name);

/* check_jmp.c */
/*
 * Linked scalars: ubf_vfy_link() gives a scalar about to be copied a link
 * id (none for a constant); ubf_vfy_linked() finds the registers and
 * spills of the current frame linked to @r; ubf_vfy_sync_linked() gives
 * them the bounds a branch found for @known.
 */
void ubf_vfy_link(struct ubf_vfy_env *env, struct ubf_vreg *r);
void ubf_vfy_linked(const struct ubf_vstate *st, const struct ubf_vreg *r, uint16_t *regs,
		    uint64_t *slots);
void ubf_vfy_sync_linked(struct ubf_vstate *st, const struct ubf_vreg *known);
int ubf_vfy_check_jmp(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		      const struct ubf_raw_insn *in, uint32_t target);

/* check_helper.c */
int ubf_vfy_check_helper(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_raw_insn *in);
int ubf_vfy_check_exit(struct ubf_vfy_env *env, uint32_t idx);

/* check_helper.c: does helper @id take a callback (an ARG_FUNC argument)? */
int ubf_vfy_helper_takes_callback(int32_t id);
/* Check @size bytes at register @regno as a helper's memory argument would be. */
int ubf_vfy_check_mem_arg(struct ubf_vfy_env *env, uint32_t idx, unsigned regno, uint64_t size,
			  int is_write, int may_null, const char *rule);

/* check_call.c: subprograms, frames, bpf-to-bpf calls, callbacks, global functions */
int ubf_vfy_subprogs(struct ubf_vfy_env *env);
uint32_t ubf_vfy_subprog_at(const struct ubf_vfy_env *env, uint32_t insn_idx);
void ubf_vfy_stack_used(struct ubf_vfy_env *env, const struct ubf_vreg *p, uint32_t depth);
int ubf_vfy_check_call(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_raw_insn *in);
int ubf_vfy_enter_callback(struct ubf_vfy_env *env, uint32_t idx, int32_t helper_id,
			   const struct ubf_vreg *fn, int map);
int ubf_vfy_check_frame_exit(struct ubf_vfy_env *env, uint32_t idx);
int ubf_vfy_global_entry(struct ubf_vfy_env *env, uint32_t sub, struct ubf_vstate *st);
int ubf_vfy_check_stack_depth(struct ubf_vfy_env *env);

#endif /* UBF_VERIFIER_WALK_H */
