// SPDX-License-Identifier: BSD-2-Clause
/*
 * verify.c - the verifier's driver: a structural pass (encoding, jump
 * targets, subprograms, fall-through, reachability), then a walk of every
 * path with a worklist of states, pruning at jump targets against finished
 * states that include the current one, as Linux does.  Each instruction
 * kind has its checks in its own file (check_alu.c, check_mem.c,
 * check_jmp.c, check_helper.c, check_call.c); this file owns the log, the
 * rejections, the checkpoints and the entry point ubf_verify().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>
#include <bpf/btf.h>

#include <userbpf/helper.h>
#include <userbpf/isa.h>

#include "isa/isa.h"
#include "verifier/ctx.h"
#include "verifier/verifier.h"
#include "verifier/walk.h"

#define MAX_PENDING 8192
#define MAX_CKPT_PER_INSN 1024
#define MAX_CKPT 16384
#define EVICT_RATIO 3
#define LOG_CAP (16u << 20)
/* A whole register and stack state as text: 11 registers and 64 slots of up to ~100 bytes. */
#define STATE_TEXT_MAX 8192
#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

void ubf_vfy_log(struct ubf_vfy_env *env, const char *fmt, ...)
{
	struct ubf_verify_result *o = env->out;
	va_list ap;
	size_t need, cap;
	char *p;
	int n;

	if (!env->in->log_level || o->log_len >= LOG_CAP)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	need = o->log_len + (size_t)n + 1;
	if (need > env->log_cap) {
		for (cap = env->log_cap ? env->log_cap : 65536; cap < need; cap *= 2)
			;
		p = realloc(o->log, cap);
		if (!p)
			return;
		o->log = p;
		env->log_cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(o->log + o->log_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->log_len += (size_t)n;
}

/*
 * "12: (bf) r1 = r6", and at log level 2 (when @st is given) the register
 * state after it: "12: (bf) r1 = r6 ; R1=ctx() R6=ctx() R10=fp0".
 */
static void log_insn(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_vstate *st)
{
	char text[128], state[STATE_TEXT_MAX];

	if (ubf_disasm_insn(env->insns, env->cnt, idx, UBF_SYNTAX_LLVM, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "<invalid>");
	if (!st) {
		ubf_vfy_log(env, "%u: (%02x) %s\n", idx, env->insns[idx].code, text);
		return;
	}
	ubf_vfy_state_print(st, state, sizeof(state));
	ubf_vfy_log(env, "%u: (%02x) %s ; %s\n", idx, env->insns[idx].code, text, state);
}

/* Linux's "; source text @ file.c:12" before an instruction, from line_info. */
static void log_source(struct ubf_vfy_env *env, uint32_t idx)
{
	const struct ubf_verify_input *in = env->in;
	const struct bpf_line_info *li = NULL;
	const char *line, *file, *base;
	size_t i;

	if (!in->btf || !in->line_info)
		return;
	for (i = 0; i < in->line_info_cnt && in->line_info[i].insn_off <= idx; i++)
		li = &in->line_info[i];
	if (!li)
		return;
	line = btf__name_by_offset(in->btf, li->line_off);
	file = btf__name_by_offset(in->btf, li->file_name_off);
	base = file ? strrchr(file, '/') : NULL;
	ubf_vfy_log(env, "; %s @ %s:%u\n", line ? line : "", base ? base + 1 : file ? file : "",
		    BPF_LINE_INFO_LINE_NUM(li->line_col));
}

/* Record why the walk stops at @idx, and log it with the state there. */
static void stop(struct ubf_vfy_env *env, uint32_t idx, const char *id, const char *fmt,
		 va_list ap) UBF_PRINTF(4, 0);

static void stop(struct ubf_vfy_env *env, uint32_t idx, const char *id, const char *fmt,
		 va_list ap)
{
	struct ubf_diag *d = &env->out->diag;
	char state[STATE_TEXT_MAX];

	d->insn_idx = idx;
	d->id = id;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	if (env->st && env->in->log_level) {
		log_source(env, idx);
		if (env->in->log_level >= 2 && idx < env->cnt)
			log_insn(env, idx, NULL);
		ubf_vfy_state_print(env->st, state, sizeof(state));
		/* Linux's last line is the message alone: libbpf matches it (CO-RE poison) */
		ubf_vfy_log(env, "%u: %s\n%s\n", idx, state, d->msg);
	}
}

int ubf_vfy_rej(struct ubf_vfy_env *env, uint32_t idx, const char *id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stop(env, idx, id, fmt, ap);
	va_end(ap);
	return -EACCES;
}

int ubf_vfy_rej_inval(struct ubf_vfy_env *env, uint32_t idx, const char *id, const char *fmt,
		      ...)
{
	va_list ap;

	va_start(ap, fmt);
	stop(env, idx, id, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ------------------------------------------------------------ register reads */

int ubf_vfy_check_read(struct ubf_vfy_env *env, uint32_t idx, unsigned regno, const char *rule)
{
	if (env->st->regs[regno].type == UBF_VREG_NOT_INIT)
		return ubf_vfy_rej(env, idx, rule, "R%u !read_ok", regno);
	return 0;
}

struct ubf_scalar ubf_vfy_scalar_sized(unsigned size, int is_signed)
{
	unsigned bits = 8 * size;

	if (size >= 8)
		return ubf_scalar_unknown();
	if (is_signed)
		return ubf_scalar_from_srange(-((int64_t)1 << (bits - 1)),
					      ((int64_t)1 << (bits - 1)) - 1);
	return ubf_scalar_from_urange(0, ((uint64_t)1 << bits) - 1);
}

/*
 * Every register and spill that shares @ref or is a packet pointer becomes
 * unknown, or unreadable for a loader that may not leak pointers (Linux's
 * mark_reg_invalid()).
 */
void ubf_vfy_invalidate(struct ubf_vfy_env *env, uint32_t ref, int pkt)
{
	struct ubf_vstate *st = env->st;
	unsigned i;

	for (i = 0; i < ubf_vfy_state_reg_cnt(st); i++) {
		struct ubf_vreg *r = ubf_vfy_state_reg(st, i);
		int is_pkt;

		if (!r)
			continue;
		is_pkt = r->type == UBF_VREG_PACKET || r->type == UBF_VREG_PACKET_END ||
			 r->type == UBF_VREG_PACKET_META;
		if (!((ref && r->ref == ref) || (pkt && is_pkt)))
			continue;
		if (ubf_vfy_is_unpriv(env))
			memset(r, 0, sizeof(*r));
		else
			ubf_vfy_reg_unknown(r);
	}
}

/* ------------------------------------------------------------ branches */

int ubf_vfy_push_path(struct ubf_vfy_env *env, const struct ubf_vstate *st, uint32_t from)
{
	size_t sz = ALIGN8(ubf_vfy_state_packed_size(st));
	struct ubf_vfy_path *p;

	if (env->pend_cnt == MAX_PENDING)
		return ubf_vfy_rej(env, from, "limit.complexity",
			   "The sequence of %u jumps is too complex.", MAX_PENDING + 1);
	if (env->pend_cnt == env->pend_cap) {
		size_t cap = env->pend_cap * 2 < MAX_PENDING ? env->pend_cap * 2 : MAX_PENDING;
		struct ubf_vfy_path **pp = realloc(env->pend, cap * sizeof(*pp));

		if (!pp)
			return -ENOMEM;
		env->pend = pp;
		env->pend_cap = cap;
	}
	p = malloc(offsetof(struct ubf_vfy_path, st) + sz + env->hist_cnt * sizeof(*env->hist));
	if (!p)
		return -ENOMEM;
	ubf_vfy_state_pack(p->st, st);
	p->hist = (struct ubf_vfy_hent *)(p->st + sz);
	p->hist_cnt = env->hist_cnt;
	if (env->hist_cnt)
		memcpy(p->hist, env->hist, env->hist_cnt * sizeof(*env->hist));
	p->log_pos = env->out->log_len;
	p->cp = env->cp;
	p->from = from;
	env->pend[env->pend_cnt++] = p;
	if (env->cp)
		env->cp->branches++;
	return 0;
}

/* ------------------------------------------------------------ structure */

static int check_structure(struct ubf_vfy_env *env)
{
	size_t i, cnt = env->cnt;
	uint8_t *seen;
	uint32_t *todo;
	size_t n = 0;
	int64_t target;
	int id;

	for (i = 0; i < cnt; i++)
		env->row[i] = -1;
	for (i = 0; i < cnt; i++) {
		struct ubf_diag *dg = &env->out->diag;

		id = ubf_isa_decode_one(env->insns, cnt, i, dg);
		if (id < 0) {
			if (dg->id && !strcmp(dg->id, "insn.write_r10"))
				return ubf_vfy_rej(env, (uint32_t)i, "reg.fp_write", "frame pointer is read only");
			return -EINVAL;
		}
		env->row[i] = (int16_t)id;
		if (ubf_isa_slots(&ubf_isa_desc[id]) == 2)
			i++;
	}
	for (i = 0; i < cnt; i++) {
		const struct ubf_insn_desc *d;

		if (env->row[i] < 0)
			continue;
		d = ubf_vfy_desc(env, i);
		/*
		 * Linux's prune points (visit_insn()): after every call, a static
		 * call and a conditional jump themselves, a jump's target
		 */
		if (d->kind == UBF_KIND_CALL && i + 1 < cnt)
			env->is_prune[i + 1] = 1;
		if (!ubf_isa_branch_target(d, &env->insns[i], i, &target))
			continue;
		if (target < 0 || (uint64_t)target >= cnt)
			return ubf_vfy_rej(env, (uint32_t)i, d->kind == UBF_KIND_CALL ? "call.target" :
				   "cfg.jump_out_of_range", "jump out of range from insn %zu to %" PRId64,
				   i, target);
		if (env->row[target] < 0)
			return ubf_vfy_rej(env, (uint32_t)target - 1, "cfg.jump_into_lddw",
				   "jump into the middle of ldimm64 insn %" PRId64, target);
		if (d->kind == UBF_KIND_JMP || d->kind == UBF_KIND_JA || d->kind == UBF_KIND_MAY_GOTO)
			env->is_prune[target] = 1;
		if (d->kind == UBF_KIND_JMP || d->kind == UBF_KIND_MAY_GOTO ||
		    (d->kind == UBF_KIND_CALL && d->op == UBF_OP_LOCAL))
			env->is_prune[i] = 1;
	}
	id = ubf_vfy_subprogs(env);
	if (id)
		return id;
	/* reachability: every slot start must be reachable from insn 0 */
	seen = calloc(cnt, 1);
	todo = calloc(cnt, sizeof(*todo));
	if (!seen || !todo) {
		free(seen);
		free(todo);
		return -ENOMEM;
	}
	todo[n++] = 0;
	seen[0] = 1;
	while (n) {
		uint32_t at = todo[--n];
		const struct ubf_insn_desc *d = ubf_vfy_desc(env, at);
		int64_t next[2] = { -1, -1 };

		if (d->kind != UBF_KIND_EXIT && d->kind != UBF_KIND_JA)
			next[0] = at + ubf_isa_slots(d);
		if (ubf_isa_branch_target(d, &env->insns[at], at, &target) &&
		    (d->kind != UBF_KIND_LDDW || d->op == UBF_OP_FUNC))
			next[1] = target;
		for (id = 0; id < 2; id++) {
			if (next[id] < 0 || (uint64_t)next[id] >= cnt || seen[next[id]])
				continue;
			seen[next[id]] = 1;
			todo[n++] = (uint32_t)next[id];
		}
	}
	for (i = 0; i < cnt; i++)
		if (env->row[i] >= 0 && !seen[i])
			break;
	free(seen);
	free(todo);
	if (i < cnt)
		return ubf_vfy_rej(env, (uint32_t)i, "cfg.unreachable", "unreachable insn %zu", i);
	return 0;
}

/* ------------------------------------------------------------ the walk */

static void path_done(struct ubf_vfy_ckpt *cp)
{
	while (cp && !--cp->branches)
		cp = cp->parent;
}


/*
 * Keep the current state, packed, as a checkpoint at @idx: the path's
 * history moves into it.
 */
static int add_ckpt(struct ubf_vfy_env *env, uint32_t idx)
{
	size_t sz = ALIGN8(ubf_vfy_state_packed_size(env->st));
	struct ubf_vfy_ckpt *c;

	c = malloc(sizeof(*c) + sz + env->hist_cnt * sizeof(*env->hist));
	if (!c)
		return -ENOMEM;
	c->st = c + 1;
	ubf_vfy_state_pack(c->st, env->st);
	c->hist = (struct ubf_vfy_hent *)((char *)c->st + sz);
	c->hist_cnt = env->hist_cnt;
	if (env->hist_cnt)
		memcpy(c->hist, env->hist, env->hist_cnt * sizeof(*env->hist));
	env->hist_cnt = 0;
	c->parent = env->cp;
	c->is_link = 0;
	c->branches = 1;
	c->hit = 0;
	c->miss = 0;
	c->next = env->ckpts[idx];
	env->ckpts[idx] = c;
	env->ckpt_cnt[idx]++;
	env->ckpt_live++;
	env->ckpt_total++;
	if (env->ckpt_live > env->ckpt_peak)
		env->ckpt_peak = env->ckpt_live;
	if (env->ckpt_cnt[idx] > env->ckpt_max_per_insn)
		env->ckpt_max_per_insn = env->ckpt_cnt[idx];
	env->ckpt_jmps = env->jmps;
	env->ckpt_processed = env->processed;
	env->cp = c;	/* the path's reference moves from the parent to this one */
	return 0;
}

/*
 * A finished checkpoint that fails far more often than it prunes costs a
 * comparison each time and helps nothing: drop it (Linux's heuristic).  No
 * path can come back to it: only open checkpoints have paths below them.
 */
static int evict(struct ubf_vfy_env *env, uint32_t idx, struct ubf_vfy_ckpt **pc)
{
	struct ubf_vfy_ckpt *c = *pc;

	if (c->branches || c->miss <= c->hit * EVICT_RATIO + EVICT_RATIO)
		return 0;
	*pc = c->next;
	env->ckpt_cnt[idx]--;
	env->ckpt_live--;
	free(c);
	return 1;
}

/* At a prune point: 1 when a finished state covers this one; else remember it. */
static int prune_point(struct ubf_vfy_env *env, uint32_t idx)
{
	int is_cb_return = (int)env->st->is_cb_return;
	struct ubf_vfy_ckpt *c, **pc, *iter = NULL;
	struct ubf_vview cur, old;
	struct ubf_vfy_live live;
	unsigned open_cnt = 0;

	env->st->is_cb_return = 0;
	ubf_vfy_state_clear_singular_ids(env->st);
	ubf_vfy_live_at(env, env->st, idx, &live);
	ubf_vfy_view_state(&cur, env->st);
	for (pc = &env->ckpts[idx]; (c = *pc);) {
		/*
		 * Paths wait in a stack (last in, first out), so a checkpoint
		 * with paths still open below it is an ancestor of this one:
		 * every path pushed after its open ones descends from it.
		 */
		int is_open = c->branches != 0;

		ubf_vfy_view_packed(&old, c->st);
		if (!c->branches) {
			if (ubf_vfy_view_includes(&old, &cur, &live)) {
				c->hit++;
				ubf_vfy_precise_pruned(env, &old, &live, 0);
				return 1;
			}
			c->miss++;
			if (evict(env, idx, pc))
				continue;
		}
		pc = &c->next;
		/*
		 * Back from a callback at its helper call: a state an earlier
		 * iteration (still being explored) includes adds nothing, as
		 * the helper bounds the iterations (Linux 6.8's fixpoint).
		 * That iteration's precision marks are not complete yet, so
		 * the comparison is exact and every scalar here counts.
		 */
		if (is_cb_return && is_open) {
			if (ubf_vfy_view_includes(&old, &cur, NULL)) {
				ubf_vfy_precise_pruned(env, &cur, NULL, 1);
				return 1;
			}
			if (!iter)
				iter = c;	/* the newest: the list is newest first */
			open_cnt++;
			continue;
		}
		if (is_open && old.cb_iter == env->st->cb_iter && ubf_vfy_view_equal(&old, &cur))
			return ubf_vfy_rej(env, env->last_idx, "loop.infinite",
					   "infinite loop detected at insn %u", idx);
	}
	/*
	 * From the third iteration on, scalars that still change from one
	 * iteration to the next become unknown, so the iterations converge.
	 */
	if (open_cnt >= 2) {
		ubf_vfy_view_packed(&old, iter->st);
		ubf_vfy_view_widen(env->st, &old);
	}
	if (env->ckpt_cnt[idx] >= MAX_CKPT_PER_INSN || env->ckpt_live >= MAX_CKPT)
		return 0;
	/*
	 * In a loop (an open checkpoint here) iterations differ, so, as Linux,
	 * a new one only 20 jumps or 100 instructions after the last; a
	 * callback's iterations converge on theirs, one per iteration
	 */
	if (open_cnt && !is_cb_return && env->jmps - env->ckpt_jmps < 20 &&
	    env->processed - env->ckpt_processed < 100)
		return 0;
	/* as Linux: a new checkpoint only 2 jumps and 8 instructions after the last, but at calls */
	if (ubf_vfy_desc(env, idx)->kind != UBF_KIND_CALL &&
	    (env->jmps - env->ckpt_jmps < 2 || env->processed - env->ckpt_processed < 8))
		return 0;
	return add_ckpt(env, idx);
}


/* Run one instruction.  Return: 0 go on, 1 the path ended, < 0 rejected. */
static int step_insn(struct ubf_vfy_env *env)
{
	struct ubf_vstate *st = env->st;
	uint32_t idx = st->insn_idx;
	const struct ubf_insn_desc *d = ubf_vfy_desc(env, idx);
	const struct ubf_raw_insn *in = &env->insns[idx];
	int64_t target = 0;
	int err = 0;

	if (env->in->log_level == 1)
		log_insn(env, idx, NULL);
	ubf_isa_branch_target(d, in, idx, &target);
	st->insn_idx = idx + ubf_isa_slots(d);
	switch (d->kind) {
	case UBF_KIND_ALU:
		err = ubf_vfy_check_alu(env, idx, d, in);
		break;
	case UBF_KIND_LDX:
		err = ubf_vfy_check_ldx(env, idx, d, in);
		break;
	case UBF_KIND_ST:
	case UBF_KIND_STX:
		err = ubf_vfy_check_store(env, idx, d, in);
		break;
	case UBF_KIND_ATOMIC:
		err = ubf_vfy_check_atomic(env, idx, d, in);
		break;
	case UBF_KIND_LDDW:
		err = ubf_vfy_check_lddw(env, idx, d, in);
		break;
	case UBF_KIND_LD_PKT:
		err = ubf_vfy_check_ld_pkt(env, idx, d, in);
		break;
	case UBF_KIND_JA:
		st->insn_idx = (uint32_t)target;
		break;
	case UBF_KIND_MAY_GOTO: {
		ubf_vfy_state_copy(env->tmp, st);
		env->tmp->insn_idx = (uint32_t)target;
		err = ubf_vfy_push_path(env, env->tmp, idx);
		break;
	}
	case UBF_KIND_JMP:
		err = ubf_vfy_check_jmp(env, idx, d, in, (uint32_t)target);
		break;
	case UBF_KIND_CALL:
		if (d->op == UBF_OP_HELPER)
			err = ubf_vfy_check_helper(env, idx, in);
		else if (d->op == UBF_OP_LOCAL)
			err = ubf_vfy_check_call(env, idx, in);
		else if (st->lock_map)
			err = ubf_vfy_rej(env, idx, "lock.call_held",
					  "function calls are not allowed while holding a lock");
		else
			err = ubf_vfy_rej(env, idx, "call.kfunc",
					  "kfunc calls are not verified by this version of the verifier");
		break;
	case UBF_KIND_CALLX:
		err = ubf_vfy_rej(env, idx, "call.indirect", "indirect calls (callx) are not allowed");
		break;
	case UBF_KIND_EXIT:
		if (st->frame.kind != UBF_VFRAME_MAIN)
			return ubf_vfy_check_frame_exit(env, idx);
		err = ubf_vfy_check_exit(env, idx);
		return err ? err : 1;
	}
	return err;
}

static int step(struct ubf_vfy_env *env)
{
	uint32_t idx = env->st->insn_idx;
	int err = step_insn(env);

	if (env->in->log_level >= 2 && err >= 0)
		log_insn(env, idx, env->st);
	return err;
}

/* The history of a path taken up again. */
static int set_hist(struct ubf_vfy_env *env, const struct ubf_vfy_hent *h, uint32_t cnt)
{
	if (cnt > env->hist_cap) {
		struct ubf_vfy_hent *n = realloc(env->hist, cnt * sizeof(*n));

		if (!n)
			return -ENOMEM;
		env->hist = n;
		env->hist_cap = cnt;
	}
	if (cnt)
		memcpy(env->hist, h, cnt * sizeof(*h));
	env->hist_cnt = cnt;
	return 0;
}

/* Level 1 is the path to the error: a path that ended well leaves its lines out (Linux's pop_log). */
static void log_back(struct ubf_vfy_env *env, size_t pos)
{
	if (env->in->log_level != 1 || pos >= env->out->log_len)
		return;
	env->out->log_len = pos;
	env->out->log[pos] = '\0';
}

static int walk(struct ubf_vfy_env *env)
{
	struct ubf_vstate *cur = env->st;
	struct ubf_vfy_path *p;
	int err;

	env->cp = NULL;
	env->last_idx = cur->insn_idx;
	env->pend_cnt = 0;
	env->hist_cnt = 0;
	for (;;) {
		uint32_t idx = cur->insn_idx;

		if (++env->processed > env->limit) {
			ubf_vfy_rej(env, env->last_idx, "limit.complexity",
			    "BPF program is too large. Processed %" PRIu64 " insn", env->processed);
			return -E2BIG;
		}
		err = 0;
		if (env->is_prune[idx])
			err = prune_point(env, idx);
		env->last_idx = idx;
		if (!err)
			err = ubf_vfy_hist_add(env);
		if (!err)
			err = step(env);
		env->jmps += ubf_vfy_desc(env, idx)->kind >= UBF_KIND_JMP &&
			     ubf_vfy_desc(env, idx)->kind <= UBF_KIND_EXIT;
		if (err < 0)
			return err;
		if (!err)
			continue;
		/* the path ended (exit or pruned): take the next one */
		path_done(env->cp);
		if (!env->pend_cnt) {
			log_back(env, 0);	/* level 1 keeps only a failing path */
			return 0;
		}
		p = env->pend[--env->pend_cnt];
		log_back(env, p->log_pos);
		ubf_vfy_state_unpack(cur, p->st);
		env->cp = p->cp;
		err = set_hist(env, p->hist, p->hist_cnt);
		if (!err && env->in->log_level) {
			char state[STATE_TEXT_MAX];

			ubf_vfy_state_print(cur, state, sizeof(state));
			ubf_vfy_log(env, "from %u to %u: %s\n", p->from, cur->insn_idx, state);
		}
		free(p);
		if (err)
			return err;
	}
}

/* ------------------------------------------------------------ entry */

static void env_free(struct ubf_vfy_env *env)
{
	size_t i;

	if (env->ckpts) {
		for (i = 0; i < env->cnt; i++) {
			struct ubf_vfy_ckpt *c = env->ckpts[i], *n;

			for (; c; c = n) {
				n = c->next;
				free(c);
			}
		}
	}
	for (i = 0; i < env->pend_cnt; i++)
		free(env->pend[i]);
	while (env->links) {
		struct ubf_vfy_ckpt *n = env->links->next;

		free(env->links);
		env->links = n;
	}
	free(env->ckpts);
	free(env->ckpt_cnt);
	free(env->row);
	free(env->is_prune);
	free(env->pend);
	free(env->live_regs);
	free(env->live_slots);
	free(env->hist);
	free(env->st);
	free(env->tmp);
	free(env->sub);
}

void ubf_verify_result_free(struct ubf_verify_result *out)
{
	if (!out)
		return;
	free(out->log);
	out->log = NULL;
	free(out->subprog_stack_depth);
	out->subprog_stack_depth = NULL;
	out->subprog_cnt = 0;
	out->log_len = 0;
}

/*
 * Every map-in-map names its inner map template, which is no map-in-map
 * (Linux refuses a second level at BPF_MAP_CREATE), and only map-in-maps
 * name one: a lookup result checked for NULL becomes a map pointer to the
 * template, never a pointer into the value the slot holds.
 */
static int check_inner_maps(const struct ubf_verify_input *in, struct ubf_verify_result *out)
{
	size_t i, n = in->map_cnt + in->inner_cnt;

	for (i = 0; i < n; i++) {
		const struct ubf_verify_map *m = &in->maps[i];
		bool is_outer = m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
				m->type == BPF_MAP_TYPE_HASH_OF_MAPS;

		if (is_outer && m->inner && m->inner <= n && !in->maps[m->inner - 1].inner &&
		    m->value_sz == sizeof(uint32_t))
			continue;
		if (!is_outer && !m->inner)
			continue;
		ubf_diag_set(&out->diag, UBF_DIAG_NO_INSN, "map.inner",
			     "map %zu (type %u, value_size %u): %s", i, m->type, m->value_sz,
			     is_outer ? "a map-in-map needs a 4-byte value and the index of an "
					"inner map template that is no map-in-map" :
					"only a map-in-map has an inner map template");
		return -EINVAL;
	}
	return 0;
}

int ubf_verify(const struct ubf_verify_input *in, struct ubf_verify_result *out)
{
	struct ubf_vfy_env env = { .in = in, .out = out };
	uint32_t i;
	int err;

	if (!in || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->diag.insn_idx = UBF_DIAG_NO_INSN;
	if (!in->insns || !in->insn_cnt || in->insn_cnt > UBF_MAX_INSNS ||
	    ((in->map_cnt || in->inner_cnt) && !in->maps)) {
		ubf_diag_set(&out->diag, UBF_DIAG_NO_INSN, "prog.size",
			     "program of %zu insns: expected 1..%u", in->insn_cnt, UBF_MAX_INSNS);
		return -EINVAL;
	}
	err = check_inner_maps(in, out);
	if (err)
		return err;
	env.insns = in->insns;
	env.cnt = in->insn_cnt;
	env.limit = in->insn_limit ? in->insn_limit : UBF_VFY_INSN_LIMIT;
	env.row = calloc(env.cnt, sizeof(*env.row));
	env.is_prune = calloc(env.cnt, 1);
	env.ckpts = calloc(env.cnt, sizeof(*env.ckpts));
	env.ckpt_cnt = calloc(env.cnt, sizeof(*env.ckpt_cnt));
	env.pend_cap = 16;
	env.pend = calloc(env.pend_cap, sizeof(*env.pend));
	env.st = calloc(1, sizeof(*env.st));
	env.tmp = calloc(1, sizeof(*env.tmp));
	err = -ENOMEM;
	if (!env.row || !env.is_prune || !env.ckpts || !env.ckpt_cnt || !env.pend || !env.st ||
	    !env.tmp)
		goto out;
	err = ubf_vfy_kbtf_attach(&env);
	if (!err)
		err = check_structure(&env);
	if (!err)
		err = ubf_vfy_liveness(&env);
	if (!err) {
		ubf_vfy_state_init(env.st);
		err = walk(&env);
	}
	/* global functions: once each, from their signatures (Linux's do_check_subprogs) */
	for (i = 1; !err && i < env.sub_cnt; i++) {
		if (!env.sub[i].is_global)
			continue;
		err = ubf_vfy_global_entry(&env, i, env.st);
		err = err ? err : walk(&env);
	}
	if (!err)
		err = ubf_vfy_check_stack_depth(&env);
	if (env.sub_cnt)
		out->subprog_stack_depth = calloc(env.sub_cnt, sizeof(*out->subprog_stack_depth));
	if (out->subprog_stack_depth) {
		out->subprog_cnt = env.sub_cnt;
		for (i = 0; i < env.sub_cnt; i++)
			out->subprog_stack_depth[i] = env.sub[i].depth;
	}
out:
	out->insn_processed = env.processed;
	out->states = env.ckpt_total;
	out->peak_states = env.ckpt_peak;
	out->max_states_per_insn = env.ckpt_max_per_insn;
	out->stack_depth = env.stack_depth;
	env_free(&env);
	return err;
}
