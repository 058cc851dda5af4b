# Makefile - libuserbpf (static and shared), the userbpf CLI, the conformance
# plugin, tests, benchmarks and fuzzers.  GNU make >= 4, non-recursive.
#   make                  build everything under $(O)
#   make check            every test layer that needs no privileges
#   make demo             assemble, disassemble and run the bundled example
#   make bench            engines side by side with native code
#   make fuzz             build the libFuzzer targets (clang); FUZZ_TIME=s runs them
#   make V=1 O=out CC=clang SAN=address,undefined WERROR=1 check
O        ?= build
Q        := $(if $(filter 1,$(V)),,@)
CC       ?= cc
CLANG    ?= clang
CFLAGS   ?= -O2 -g
# CI builds treat warnings as errors.
WERROR   ?= $(if $(CI),1,)
CONFORMANCE_DIR ?= ../shared/conformance
FUZZ_TIME ?= 60

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wswitch-enum -Wvla -Wformat=2 $(if $(filter 1,$(WERROR)),-Werror)
SANFLAGS := $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all)
XCFLAGS  := -std=gnu11 -fPIC -fvisibility=hidden -Iinclude -Isrc $(WARN) $(SANFLAGS)
# libbpf reads BTF blobs (src/sys/btf.c) and is routed to ubf_bpf() (src/sys/route.c).
LIBBPF_LIBS := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)
ifeq ($(shell pkg-config --exists libbpf 2>/dev/null && echo ok)$(wildcard /usr/include/bpf/btf.h),)
$(error libbpf's headers are missing: apt-get install libbpf-dev pkg-config)
endif
LDLIBS   := -lm $(LIBBPF_LIBS) -lelf -ldl

# src/preload/ is libuserbpf-preload.so's front end, never part of libuserbpf.
LIB_SRC  := $(filter-out src/preload/%,$(sort $(wildcard src/*/*.c)))
LIB_OBJ  := $(patsubst %.c,$(O)/obj/%.o,$(LIB_SRC))
PLUGIN_MAIN := cli/conformance_plugin.c
CLI_SRC  := $(filter-out $(PLUGIN_MAIN),$(sort $(wildcard cli/*.c)))
# `userbpf jit` disassembles native code with capstone; without it main.c
# lists a stand-in that says what is missing.  HAVE_CAPSTONE=0 forces that.
HAVE_CAPSTONE ?= $(shell pkg-config --exists capstone 2>/dev/null && echo 1 || echo 0)
ifeq ($(HAVE_CAPSTONE),1)
CAPSTONE_LIBS := $(shell pkg-config --libs capstone)
$(O)/obj/cli/cmd_jit.o: XCFLAGS += $(shell pkg-config --cflags capstone)
$(O)/obj/cli/main.o: XCFLAGS += -DUBF_HAVE_CAPSTONE
else
CLI_SRC  := $(filter-out cli/cmd_jit.c,$(CLI_SRC))
$(info libcapstone-dev is missing: `userbpf jit` is disabled)
endif
CLI_OBJ  := $(patsubst %.c,$(O)/obj/%.o,$(CLI_SRC))
CLI_LIB_OBJ := $(filter-out $(O)/obj/cli/main.o $(O)/obj/cli/cmd_jit.o,$(CLI_OBJ))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c tests/harness/*.c))
UNIT_OBJ := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_SRC))

LIBA     := $(O)/lib/libuserbpf.a
LIBSO    := $(O)/lib/libuserbpf.so
PRELOAD  := $(O)/lib/libuserbpf-preload.so
PRELOAD_OBJ := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard src/preload/*.c)))
CLI      := $(O)/bin/userbpf
PLUGIN   := $(O)/bin/userbpf-conformance-plugin
UNIT     := $(O)/tests/unit

# -Wconversion where integer conversions matter most (STYLE 3.14).
$(O)/obj/src/isa/%.o: XCFLAGS += -Wconversion

all: $(LIBA) $(LIBSO) $(PRELOAD) $(CLI) $(PLUGIN)

$(O)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(LIBSO): $(LIB_OBJ) libuserbpf.map
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) -shared $(XCFLAGS) $(CFLAGS) -Wl,--version-script=libuserbpf.map \
		-Wl,-soname,libuserbpf.so.0 $(LIB_OBJ) -o $@ $(LDLIBS)

# LD_PRELOAD=libuserbpf-preload.so: the whole library behind the C library's
# names that src/preload/preload.map exports (docs/preload.md).
$(PRELOAD): $(PRELOAD_OBJ) $(LIB_OBJ) src/preload/preload.map
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) -shared $(XCFLAGS) $(CFLAGS) -Wl,--version-script=src/preload/preload.map \
		-Wl,-soname,libuserbpf-preload.so $(PRELOAD_OBJ) $(LIB_OBJ) -o $@ $(LDLIBS) -lpthread

$(CLI): $(CLI_OBJ) $(LIBA)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $(CLI_OBJ) $(LIBA) -o $@ $(LDLIBS) $(CAPSTONE_LIBS)

$(PLUGIN): $(O)/obj/$(PLUGIN_MAIN:.c=.o) $(CLI_LIB_OBJ) $(LIBA)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(UNIT): $(UNIT_OBJ) $(LIBA)
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $(UNIT_OBJ) $(LIBA) -o $@ $(LDLIBS)

$(O)/obj/tests/%.o: XCFLAGS += -Itests/harness

-include $(LIB_OBJ:.o=.d) $(PRELOAD_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(O)/obj/$(PLUGIN_MAIN:.c=.d)

# ---------------------------------------------------------------- tests
# tests/run-checks runs every layer and prints the one summary line.
check: all $(UNIT)
	$(Q)O=$(O) CONFORMANCE_DIR=$(CONFORMANCE_DIR) CLANG=$(CLANG) SAN=$(SAN) \
		bash tests/run-checks

check-abi: $(LIBA) $(LIBSO)
	$(Q)bash tests/check-abi $(LIBA) $(LIBSO) libuserbpf.map

# ---------------------------------------------------------------- tests/objects
# Drivers of tests/layers/objects.sh: each loads a BPF object the layer
# compiles at test time (clang, bpf-gcc) through libbpf routed to userbpf.
# skel.c needs a generated skeleton, so the layer builds it; globals-static
# links libbpf.a into the executable, whose own imports routing must patch.
OBJTEST_SRC := $(filter-out %.bpf.c tests/objects/driver.c tests/objects/skel.c, \
		$(sort $(wildcard tests/objects/*.c)))
OBJTEST_BIN := $(patsubst tests/objects/%.c,$(O)/tests/objects/%,$(OBJTEST_SRC)) \
		$(O)/tests/objects/globals-static
OBJTEST_DRV := $(O)/obj/tests/objects/driver.o

$(O)/tests/objects/globals-static: $(O)/obj/tests/objects/globals.o $(OBJTEST_DRV) $(LIBA)
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $^ -o $@ -Wl,-Bstatic -lbpf -Wl,-Bdynamic -lelf -lz \
		-lm -ldl -lpthread

$(O)/tests/objects/%: $(O)/obj/tests/objects/%.o $(OBJTEST_DRV) $(LIBA)
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $^ -o $@ $(LDLIBS) -lpthread

# keep the drivers' objects: they are intermediates of the pattern rule
.SECONDARY: $(patsubst tests/objects/%.c,$(O)/obj/tests/objects/%.o,$(OBJTEST_SRC))
objtest: $(OBJTEST_BIN)
check: objtest

-include $(patsubst tests/objects/%.c,$(O)/obj/tests/objects/%.d,$(OBJTEST_SRC)) $(OBJTEST_DRV:.o=.d)

# ---------------------------------------------------------------- check-kernel
# Opt-in differential against the running Linux (needs root or CAP_BPF; all
# skipped otherwise; never part of `make check`): the tests/objects drivers'
# transcripts on Linux and on userbpf, the errno table of tests/kernel, and
# the helpers each program type may call (tests/verifier/helpercheck).
KERNEL_ERRNO := $(O)/tests/kernel/errno

$(KERNEL_ERRNO): $(O)/obj/tests/kernel/errno.o $(LIBA)
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $^ -o $@ $(LDLIBS) -lpthread

check-kernel: objtest $(KERNEL_ERRNO) $(CLI) $(O)/tests/verifier/helpercheck
	$(Q)O=$(O) bash tests/kernel/check-kernel.sh; st=$$?; \
		O=$(O) bash tests/kernel/corpus.sh && exit $$st

-include $(O)/obj/tests/kernel/errno.d

# ---------------------------------------------------------------- kcheck
# tests/verifier/kcheck: loads the verifier suite's cases (tests/verifier/*.vt)
# into the running Linux verifier (root) and compares verdicts.  Built only on
# request (`make kcheck`), never run by `make check`.  It needs only the
# assembler (src/isa), the .vt reader (tests/verifier/vt.c) and libbpf's BTF
# writer.
KCHECK := $(O)/tests/verifier/kcheck

$(KCHECK): $(O)/obj/tests/verifier/kcheck.o $(O)/obj/tests/verifier/vt.o \
	   $(filter $(O)/obj/src/isa/%,$(LIB_OBJ))
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

kcheck: $(KCHECK)

-include $(O)/obj/tests/verifier/kcheck.d $(O)/obj/tests/verifier/vt.d

# ---------------------------------------------------------------- ctxcheck
# tests/verifier/ctxcheck: compares the context access table (src/verifier/
# ctx.def) with the running Linux verifier, access by access (root).  Built
# only on request (`make ctxcheck`), never run by `make check`.
CTXCHECK := $(O)/tests/verifier/ctxcheck

$(CTXCHECK): $(O)/obj/tests/verifier/ctxcheck.o $(O)/obj/src/verifier/ctx.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $^ -o $@

ctxcheck: $(CTXCHECK)

-include $(O)/obj/tests/verifier/ctxcheck.d

# ---------------------------------------------------------------- helpercheck
# tests/verifier/helpercheck: compares the helpers each program type may call
# (src/verifier/ctx.def) with the running Linux verifier, helper by helper
# (root).  Built only on request (`make helpercheck`); run by check-kernel.
HELPERCHECK := $(O)/tests/verifier/helpercheck

$(HELPERCHECK): $(O)/obj/tests/verifier/helpercheck.o $(O)/obj/src/verifier/ctx.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

helpercheck: $(HELPERCHECK)

-include $(O)/obj/tests/verifier/helpercheck.d

# ---------------------------------------------------------------- verify-suite
# tests/verifier/run: runs every tests/verifier/*.vt case through userbpf's
# own verifier and prints agreement with Linux per rule, and UNSOUND for a
# case Linux rejects that ours accepts.  `make check` runs it too
# (tests/layers/vsuite.sh).
VSUITE := $(O)/tests/verifier/run

$(VSUITE): $(O)/obj/tests/verifier/run.o $(O)/obj/tests/verifier/vt.o $(LIBA)
	@mkdir -p $(@D)
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $^ -o $@ $(LDLIBS)

verify-suite: $(VSUITE)
	$(Q)$(VSUITE) tests/verifier/*.vt

check: $(VSUITE)

-include $(O)/obj/tests/verifier/run.d

# ---------------------------------------------------------------- demo
demo: $(CLI)
	$(Q)bash examples/demo.sh $(CLI)

# ---------------------------------------------------------------- docs
docs/isa.md: $(CLI)
	$(Q)$(CLI) isa --markdown > $@

docs: docs/isa.md

# ---------------------------------------------------------------- bench, fuzz
-include bench/bench.mk
-include bench/ringlat/ringlat.mk
-include bench/verify/verify.mk
-include tests/fuzz/fuzz.mk
-include src/jit/jit.mk

clean:
	rm -rf $(O)

.PHONY: all check check-abi check-kernel kcheck verify-suite ctxcheck helpercheck objtest demo docs clean bench fuzz fuzz-run fuzz-diff
