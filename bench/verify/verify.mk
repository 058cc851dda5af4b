# SPDX-License-Identifier: BSD-2-Clause
#
# verify.mk - `make bench-verify`, part of `make bench`: verification time
# and memory of every corpus program (tests/corpus/*.bpf.c as written,
# tests/objects/*.bpf.c) and of the generated large XDP inspector
# (bench/verify/gen-xdp-big.bash), loaded through libbpf into userbpf and,
# as root, into Linux.  Objects are built here with clang -O2 -g.
#   make bench-verify                               5 loads per engine per program
#   make bench-verify BENCH_VERIFY_ARGS='--reps 9 --only userbpf'
#   make bench-verify BENCH_VERIFY_BIG='64 48'      STAGES WINDOW of the generated program

VB_DIR        := $(O)/bench/verify
VB_BIN        := $(VB_DIR)/verifybench
VB_MULTIARCH  := $(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
# Programs of the kernel's own types include a vmlinux.h bpftool writes from
# the kernel's BTF; without bpftool or that BTF they are left out.
VB_KBTF       := $(or $(UBF_VMLINUX_BTF),/sys/kernel/btf/vmlinux)
VB_VMLINUX    := $(shell command -v bpftool >/dev/null 2>&1 && test -r $(VB_KBTF) && echo $(VB_DIR)/vmlinux/vmlinux.h)
VB_NEEDS_KBTF := $(shell grep -l 'corpus-needs: vmlinux' tests/corpus/*.bpf.c)
VB_SOURCES    := $(if $(VB_VMLINUX),$(wildcard tests/corpus/*.bpf.c),$(filter-out $(VB_NEEDS_KBTF),$(wildcard tests/corpus/*.bpf.c)))
VB_CORPUS     := $(patsubst tests/corpus/%.bpf.c,$(VB_DIR)/corpus/%.bpf.o,$(VB_SOURCES))
VB_OBJECTS    := $(patsubst tests/objects/%.bpf.c,$(VB_DIR)/objects/%.bpf.o,$(wildcard tests/objects/*.bpf.c))
VB_BIG        := $(VB_DIR)/gen/xdp_big.bpf.o
BENCH_VERIFY_ARGS ?=
BENCH_VERIFY_BIG  ?= 48 64
VB_BPF_CFLAGS := -O2 -g -target bpf -I/usr/include/$(VB_MULTIARCH)

$(VB_DIR)/corpus/%.bpf.o: tests/corpus/%.bpf.c tests/corpus/corpus.h $(VB_VMLINUX)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  BPF     $<")
	$(Q)$(CLANG) $(VB_BPF_CFLAGS) -Itests/corpus $(if $(VB_VMLINUX),-I$(dir $(VB_VMLINUX))) -c $< -o $@

$(VB_DIR)/vmlinux/vmlinux.h:
	@mkdir -p $(@D)
	$(Q)bpftool btf dump file $(VB_KBTF) format c >$@.tmp && mv $@.tmp $@

$(VB_DIR)/objects/%.bpf.o: tests/objects/%.bpf.c tests/objects/common.bpf.h
	@mkdir -p $(@D)
	$(if $(Q),@echo "  BPF     $<")
	$(Q)$(CLANG) $(VB_BPF_CFLAGS) -Itests/objects -c $< -o $@

# The parameters are part of the file, so a change of them rebuilds it.
$(VB_DIR)/gen/xdp_big.bpf.c: bench/verify/gen-xdp-big.bash vb-force
	@mkdir -p $(@D)
	$(Q)bash $< $(BENCH_VERIFY_BIG) >$@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(VB_BIG): $(VB_DIR)/gen/xdp_big.bpf.c
	$(if $(Q),@echo "  BPF     $<")
	$(Q)$(CLANG) $(VB_BPF_CFLAGS) -c $< -o $@

# --wrap=ubf_bpf: the driver times userbpf's PROG_LOAD inside libuserbpf.a.
$(VB_BIN): bench/verify/verifybench.c $(LIBA)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(XCFLAGS) $(CFLAGS) $< $(LIBA) -o $@ -Wl,--wrap=ubf_bpf $(LDLIBS)

bench-verify: bench-need-clang $(VB_BIN) $(VB_CORPUS) $(VB_OBJECTS) $(VB_BIG)
	$(Q)mkdir -p $(VB_DIR)/pins && UBF_PIN_ROOT=$(abspath $(VB_DIR))/pins $(VB_BIN) $(BENCH_VERIFY_ARGS) \
		$(VB_CORPUS) $(VB_OBJECTS) $(VB_BIG)

bench: bench-verify

.PHONY: bench-verify vb-force
vb-force:
