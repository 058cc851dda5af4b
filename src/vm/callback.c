// SPDX-License-Identifier: BSD-2-Clause
/*
 * callback.c - how a helper calls back into the running program
 * (bpf_loop, bpf_for_each_map_elem, bpf_user_ringbuf_drain): the program
 * names a subprogram with lddw src=4, which loads its instruction index;
 * ubf_run_callback_check() proves the index is such a subprogram (once per
 * helper call), ubf_run_callback() opens the frame below the one that
 * called the helper and runs the subprogram there on the run's own engine
 * and mode, so the instruction budget, the regions and the call depth
 * limit are the run's, as in Linux where a callback is one more frame.
 */
#include "vm/vm.h"

#include <errno.h>
#include <inttypes.h>

#include "jit/jit.h"

/* Is @idx the target of an lddw src=4 of @prog, i.e. a callback it may pass? */
static bool is_callback(const struct ubf_prog *prog, uint64_t idx)
{
	size_t i;

	for (i = 0; i < prog->insn_cnt; i += ubf_isa_slots(&ubf_isa_desc[prog->insns[i].id])) {
		if (prog->insns[i].id == UBF_INSN_LDDW_FUNC && (uint64_t)prog->insns[i].aux == idx)
			return true;
	}
	return false;
}

int ubf_run_callback_check(struct ubf_run *run, uint64_t fn)
{
	if (!is_callback(run->prog, fn))
		return ubf_run_fault(run, run->helper_pc, -EINVAL, "run.bad_callback",
				     "callback 0x%" PRIx64 " is not a subprogram the program "
				     "loaded with lddw src=4", fn);
	return 0;
}

int ubf_run_callback(struct ubf_run *run, uint64_t fn, const uint64_t args[5], uint64_t *r0)
{
	const struct ubf_prog *prog = run->prog;
	uint64_t fp = run->cb_fp;
	int err;

	/* ubf_run_callback_check() proved more; this keeps a misuse inside the program. */
	if (fn >= prog->insn_cnt)
		return ubf_run_fault(run, run->helper_pc, -EINVAL, "run.bad_callback",
				     "callback 0x%" PRIx64 " is past the program's end", fn);
	/* The callback's frame is the one below the caller's; frame 8 does not exist. */
	if (fp < (uint64_t)(uintptr_t)run->stack + 2 * UBF_STACK_SZ)
		return ubf_run_fault(run, run->helper_pc, -E2BIG, "run.call_depth",
				     "callback would need more than %d stack frames",
				     UBF_MAX_FRAMES);
	run->cb_depth++;
	if (prog->engine == UBF_ENGINE_JIT)
		err = ubf_jit_call(run, (size_t)fn, args, fp - UBF_STACK_SZ, r0);
	else
		err = ubf_interp_call(run, (size_t)fn, args, fp - UBF_STACK_SZ, r0);
	run->cb_depth--;
	/* A nested helper call moved cb_fp; the next callback of this helper needs the caller's. */
	run->cb_fp = fp;
	return err ? err : run->err;
}
