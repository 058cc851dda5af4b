# SPDX-License-Identifier: BSD-2-Clause
#
# bench.mk - `make bench` and `make bench-smoke`, included by the top
# Makefile.  Every bench/progs/NAME.c is compiled twice from the same
# source: for BPF (clang -O2 -target bpf -mcpu=v3, checked by
# bench/check-bpf-obj, loaded by the runner through the public API) and
# natively (clang -O2, linked into the runner as the yardstick).
#   make bench                  time native and every engine (~15 s after the build)
#   make bench BENCH_ARGS='--only sort --trials 11'
#   make bench-smoke            run each program once per engine, check results
#   make bench-maps             only the map benchmark (bench/maps), userbpf vs Linux
#   make bench-maps BENCH_MAPS_ARGS='--trials 9 --ms 80'

BENCH_NAMES   := $(sort $(basename $(notdir $(wildcard bench/progs/*.c))))
BENCH_DIR     := $(O)/bench
BENCH_BPF     := $(patsubst %,$(BENCH_DIR)/progs/%.bpf.o,$(BENCH_NAMES))
BENCH_NATIVE  := $(patsubst %,$(BENCH_DIR)/progs/%.o,$(BENCH_NAMES))
BENCH_RUNNER  := $(BENCH_DIR)/runner
BENCH_RUNNER_OBJ := $(O)/obj/bench/runner.o
BENCH_DEPS    := bench/progs/bench.h bench/progs/progs.def
BENCH_ARGS    ?=

BENCH_WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
                 $(if $(filter 1,$(WERROR)),-Werror)
# -ffreestanding: no libc headers or libc calls exist for the BPF target.
BENCH_BPF_CFLAGS := -O2 -target bpf -mcpu=v3 -ffreestanding $(BENCH_WARN)
# The native build is plain clang -O2.  Sanitizers only when the runner is
# built by clang too, so that both halves link against the same runtime.
BENCH_NATIVE_CFLAGS := -O2 $(BENCH_WARN) \
                 $(if $(findstring clang,$(notdir $(CC))),$(SANFLAGS))

$(BENCH_DIR)/progs/%.bpf.o: bench/progs/%.c $(BENCH_DEPS) bench/check-bpf-obj
	@mkdir -p $(@D)
	$(if $(Q),@echo "  BPF     $<")
	$(Q)grep -q '^X($*,' bench/progs/progs.def || \
		{ echo "bench: $<: no row X($*, ...) in bench/progs/progs.def" >&2; exit 1; }
	$(Q)$(CLANG) $(BENCH_BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)bash bench/check-bpf-obj $@.tmp bench_$*
	$(Q)mv $@.tmp $@

$(BENCH_DIR)/progs/%.o: bench/progs/%.c $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  NATIVE  $<")
	$(Q)$(CLANG) $(BENCH_NATIVE_CFLAGS) -c $< -o $@

$(BENCH_RUNNER): $(BENCH_RUNNER_OBJ) $(BENCH_NATIVE) $(LIBA)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $(BENCH_RUNNER_OBJ) $(BENCH_NATIVE) $(LIBA) -o $@ $(LDLIBS)

-include $(BENCH_RUNNER_OBJ:.o=.d)

bench: bench-need-clang $(BENCH_RUNNER) $(BENCH_BPF)
	$(Q)$(BENCH_RUNNER) $(BENCH_ARGS) $(BENCH_DIR)/progs
	$(Q)$(BENCH_MAPS_RUN)

bench-smoke: bench-need-clang $(BENCH_RUNNER) $(BENCH_BPF)
	$(Q)$(BENCH_RUNNER) --smoke $(BENCH_DIR)/progs

.PHONY: bench bench-smoke

# Say which Debian package is missing instead of failing inside a rule.
bench-need-clang:
	@command -v $(CLANG) >/dev/null 2>&1 || { \
		echo "make: $(CLANG) is missing (apt-get install clang llvm): the bench needs it"; exit 1; }

.PHONY: bench-need-clang

# ---------------------------------------------------------------- bench-maps
# bench/maps: map lookups and updates per second from programs on userbpf
# and on Linux (the real bpf(2); n/a without root), then memory figures.
# maps.bpf.c is loaded by libbpf, so it is built with -g for its BTF maps.
# empty-plain and empty-linked are the same probe without and with
# libuserbpf.so (found through a libuserbpf.so.0 link beside them).
BENCH_MAPS_DIR   := $(BENCH_DIR)/maps
BENCH_MAPS_BPF   := $(BENCH_MAPS_DIR)/maps.bpf.o
BENCH_MAPS_BIN   := $(BENCH_MAPS_DIR)/mapbench
BENCH_MAPS_EMPTY := $(BENCH_MAPS_DIR)/empty-plain $(BENCH_MAPS_DIR)/empty-linked
BENCH_MAPS_ARGS  ?=
BENCH_MAPS_ARCH  := $(shell gcc -print-multiarch 2>/dev/null)
BENCH_MAPS_RUN    = $(BENCH_MAPS_BIN) $(BENCH_MAPS_ARGS) --empty-dir $(BENCH_MAPS_DIR) $(BENCH_MAPS_BPF)

$(BENCH_MAPS_BPF): bench/maps/maps.bpf.c bench/maps/mapbench.h
	@mkdir -p $(@D)
	$(if $(Q),@echo "  BPF     $<")
	$(Q)$(CLANG) -O2 -g -target bpf $(BENCH_WARN) \
		$(if $(BENCH_MAPS_ARCH),-I/usr/include/$(BENCH_MAPS_ARCH)) -c $< -o $@

$(BENCH_MAPS_BIN): bench/maps/mapbench.c bench/maps/mapbench.h $(LIBA)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $< $(LIBA) -o $@ $(LDLIBS) -lpthread

$(BENCH_MAPS_DIR)/empty-plain: bench/maps/empty.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $< -o $@

$(BENCH_MAPS_DIR)/empty-linked: bench/maps/empty.c $(LIBSO)
	@mkdir -p $(@D)
	$(Q)ln -sf $(abspath $(LIBSO)) $(@D)/libuserbpf.so.0
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) -DUBF_LINKED $< -o $@ $(@D)/libuserbpf.so.0 \
		-Wl,-rpath,$(abspath $(@D))

bench: $(BENCH_MAPS_BPF) $(BENCH_MAPS_BIN) $(BENCH_MAPS_EMPTY)

bench-maps: bench-need-clang $(BENCH_MAPS_BPF) $(BENCH_MAPS_BIN) $(BENCH_MAPS_EMPTY)
	$(Q)$(BENCH_MAPS_RUN)

.PHONY: bench-maps
