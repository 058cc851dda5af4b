# SPDX-License-Identifier: BSD-2-Clause
#
# jit.mk - the JIT's extra targets, included by the top Makefile.
#   make fuzz-diff                       interpreter-vs-JIT differential fuzzing,
#                                        FUZZ_TIME seconds (0: until interrupted)
#   make fuzz-diff FUZZ_DIFF_SEED=N      reproduce a run (the seed is printed)
# The bounded run of the same generator is tests/layers/jit_diff.sh (make check).

FUZZ_DIFF     := $(O)/tests/diff_gen
FUZZ_DIFF_SEED ?= $(shell date +%s)

$(FUZZ_DIFF): tests/fuzz/diff_gen.c tests/fuzz/gen_rng.h $(LIBA)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $< $(LIBA) -o $@ $(LDLIBS)

fuzz-diff: $(FUZZ_DIFF)
	$(Q)$(FUZZ_DIFF) --seed $(FUZZ_DIFF_SEED) --count 0 --time $(FUZZ_TIME)

.PHONY: fuzz-diff
