# SPDX-License-Identifier: BSD-2-Clause
#
# ringlat.mk - `make bench-ringlat`, part of `make bench`: the latency from
# bpf_ringbuf_submit() to ring_buffer__poll() returning, measured by the
# libbpf-bootstrap style application of tests/apps/bootstrap (--bench mode)
# run unchanged under libuserbpf-preload.so and, as root, on Linux.
#   make bench-ringlat RINGLAT_ARGS='4000 100'     events, microseconds apart

RINGLAT_DIR   := $(O)/bench/ringlat
RINGLAT_BIN   := $(RINGLAT_DIR)/bootstrap
RINGLAT_SRC   := tests/apps/bootstrap
RINGLAT_ARGS  ?= 2000 200
BPFTOOL       ?= $(or $(shell command -v bpftool 2>/dev/null),/usr/sbin/bpftool)

$(RINGLAT_DIR)/bootstrap.bpf.o: $(RINGLAT_SRC)/bootstrap.bpf.c $(RINGLAT_SRC)/bootstrap.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) -O2 -g -target bpf -I/usr/include/$(shell $(CC) -print-multiarch) \
		-I$(RINGLAT_SRC) -c $< -o $@

$(RINGLAT_DIR)/bootstrap.skel.h: $(RINGLAT_DIR)/bootstrap.bpf.o
	$(Q)$(BPFTOOL) gen skeleton $< name bootstrap_bpf >$@.tmp && mv $@.tmp $@

$(RINGLAT_BIN): $(RINGLAT_SRC)/bootstrap.c $(RINGLAT_DIR)/bootstrap.skel.h
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) -std=gnu11 -O2 -g -I$(RINGLAT_DIR) -I$(RINGLAT_SRC) $< -o $@ \
		$(LIBBPF_LIBS) -lpthread

ifeq ($(wildcard $(BPFTOOL)),)
bench-ringlat:
	@echo "ringlat: skipped: bpftool ($(BPFTOOL)) is missing (apt-get install bpftool)"
else
bench-ringlat: $(RINGLAT_BIN) $(PRELOAD)
	$(Q)bash bench/ringlat/run.sh $(RINGLAT_BIN) $(PRELOAD) $(RINGLAT_ARGS)
endif

bench: bench-ringlat

.PHONY: bench-ringlat
