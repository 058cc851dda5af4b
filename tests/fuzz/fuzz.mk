# fuzz.mk - libFuzzer targets (clang -fsanitize=fuzzer,address,undefined;
# Debian's libclang-rt-14-dev).  Included by the top Makefile.
#   make fuzz                   build every target under $(FUZZ_O)
#   make fuzz-run FUZZ_TIME=600 run each target for FUZZ_TIME seconds
#   make fuzz-verify            verifier soundness fuzzing (vfy_gen.c) for FUZZ_TIME
#                               seconds (0: until interrupted) or FUZZ_VFY_COUNT
#                               programs; FUZZ_VFY_SEED=N reproduces a run
FUZZ_O       ?= $(O)/fuzz
FUZZ_SAN     := address,undefined
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_O)/bin/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_O)/lib/libuserbpf.a: FORCE
	$(Q)$(MAKE) --no-print-directory O=$(FUZZ_O) CC=$(CLANG) SAN=$(FUZZ_SAN) \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" $@

$(FUZZ_O)/bin/%: tests/fuzz/%.c $(FUZZ_O)/lib/libuserbpf.a
	@mkdir -p $(@D)
	$(Q)$(CLANG) -std=gnu11 -O1 -g -Iinclude -Isrc -fsanitize=fuzzer,$(FUZZ_SAN) \
		$< $(FUZZ_O)/lib/libuserbpf.a -o $@ -lm

fuzz: fuzz-need-tools $(FUZZ_TARGETS)

# Say which Debian package is missing instead of failing at the link.
fuzz-need-tools:
	@command -v $(CLANG) >/dev/null 2>&1 || { \
		echo "make: $(CLANG) is missing (apt-get install clang): make fuzz needs it"; exit 1; }
	@test -e "$$($(CLANG) -print-file-name=libclang_rt.fuzzer-x86_64.a)" || \
		test -e "$$($(CLANG) -print-runtime-dir)/libclang_rt.fuzzer.a" || { \
		echo "make: libFuzzer is missing (apt-get install libclang-rt-14-dev)"; exit 1; }

fuzz-run: fuzz
	$(Q)for t in $(FUZZ_TARGETS); do \
		name=$$(basename $$t); mkdir -p $(FUZZ_O)/corpus/$$name; \
		echo "== $$name for $(FUZZ_TIME)s"; \
		$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 -rss_limit_mb=4096 \
			$(FUZZ_O)/corpus/$$name tests/fuzz/seeds/$$name 2>&1 | \
			grep -E 'Done|stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY' || exit 1; \
	done

# Verifier soundness: the bounded run is tests/layers/vfy_fuzz.sh (make check).
FUZZ_VFY       := $(O)/tests/vfy_gen
FUZZ_VFY_SEED  ?= $(shell date +%s)
FUZZ_VFY_COUNT ?= 0

$(FUZZ_VFY): tests/fuzz/vfy_gen.c tests/fuzz/gen_rng.h $(LIBA)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $< $(LIBA) -o $@ $(LDLIBS)

fuzz-verify: $(FUZZ_VFY)
	$(Q)$(FUZZ_VFY) --seed $(FUZZ_VFY_SEED) --count $(FUZZ_VFY_COUNT) --time $(FUZZ_TIME)

FORCE:
.PHONY: fuzz fuzz-run fuzz-need-tools fuzz-verify FORCE
