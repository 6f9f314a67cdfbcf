# pvproc: the `pv` platform's sandboxed process (hypervisor/pv/pvproc.h,
# docs/platforms.md). PVPROC_OBJS is the library pvxd links: the .c files
# of hypervisor/pv/ plus the embedded shim image.
#
# The shim (hypervisor/pv/shim/) is a static freestanding program linked
# at PVPROC_SHIM_BASE; it gets its own flags whatever SANITIZE says (no
# ASan runtime can live in it), so like the guests it is built once in
# $(GO) for both modes.

PVPROC_SRCS := $(sort $(wildcard hypervisor/pv/*.c))
PVPROC_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(PVPROC_SRCS)) $(O)/obj/hypervisor/pv/pvproc_shim_blob.o

PVPROC_SHIM := $(GO)/pvshim/pvproc-shim
PVPROC_SHIM_SRCS := $(sort $(wildcard hypervisor/pv/shim/*.c))
PVPROC_SHIM_OBJS := $(patsubst hypervisor/pv/shim/%.c,$(GO)/pvshim/%.o,$(PVPROC_SHIM_SRCS))
PVPROC_SHIM_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin \
	-fno-tree-loop-distribute-patterns -fpie -fvisibility=hidden -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none -mgeneral-regs-only \
	-Ihypervisor/include
PVPROC_SHIM_LDFLAGS := -nostdlib -static -no-pie -Wl,-Ttext-segment=0x600000000000 \
	-Wl,--build-id=none -Wl,-z,noexecstack

$(GO)/pvshim/%.o: hypervisor/pv/shim/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(PVPROC_SHIM_CFLAGS) -MMD -MP -c -o $@ $<

$(PVPROC_SHIM): $(PVPROC_SHIM_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(PVPROC_SHIM_LDFLAGS) -o $@ $^

$(O)/obj/hypervisor/pv/pvproc_shim_blob.o: hypervisor/pv/pvproc_shim_blob.S $(PVPROC_SHIM)
	@mkdir -p $(@D)
	$(HOST_CC) -c -Wa,-I$(GO)/pvshim -o $@ $<

-include $(PVPROC_SHIM_OBJS:.o=.d)

# Unit tests: tiny guests (guests.asm, raw code copied into guest RAM)
# run through the real library and shim.
PVPROC_TEST_GUESTS := $(GO)/gobj/tests/unit/pvproc/guests.o
UNIT_PVPROC_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/pvproc/*.c)))
$(O)/tests/unit-pvproc: $(UNIT_PVPROC_OBJS) $(PVPROC_TEST_GUESTS) $(PVPROC_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-pvproc

# Benchmark: bare seccomp user-notification round trip vs the pvproc path.
$(O)/bench/pv-hcall-bench: $(O)/obj/tests/bench/pv-hcall-bench.o \
		$(O)/obj/tests/unit/pvproc/guest_mem.o $(PVPROC_TEST_GUESTS) $(PVPROC_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lpthread
PROGRAMS += $(O)/bench/pv-hcall-bench
