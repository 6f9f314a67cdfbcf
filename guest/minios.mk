# minios: the reference guest kernel (guest/). One freestanding ELF,
# $(GO)/guest/minios, linked at 1 MiB by guest/minios.ld, that boots on
# both platforms: guest/arch/pvh/ (PVH entry note, CPL0 boot and traps)
# and guest/arch/pv/ (PVX note, user-mode entry), over one shared kernel.
# nasm assembles guest/arch/**/*.asm; the offsets they use come from
# guest/arch/asm-offsets.c through $(GO)/gen/minios/asm-offsets.inc
# (never written by hand).
#
# GUEST_CFLAGS' -mcmodel=kernel is kept: it emits sign-extended 32-bit
# absolute addresses, which are valid for an image below 2 GiB too.
#
# Code built into minios from elsewhere (e.g. pv-drivers/blk/front/): append
# its .c files to MINIOS_EXTRA_C in your own fragment (pv-drivers/*.mk is
# included before this one) and they are compiled and linked in.

MINIOS := $(GO)/guest/minios
MINIOS_ASM := guest/arch/pvh/boot.asm guest/arch/pv/entry.asm guest/arch/switch.asm
MINIOS_C := $(sort $(wildcard guest/arch/pvh/*.c guest/arch/pv/*.c guest/kernel/*.c \
	guest/programs/*.c) $(MINIOS_EXTRA_C))
MINIOS_OBJS := $(patsubst %.asm,$(GO)/gobj/%.o,$(MINIOS_ASM)) \
	$(patsubst %.c,$(GO)/gobj/%.o,$(MINIOS_C))
MINIOS_OFFSETS := $(GO)/gen/minios/asm-offsets.inc

GUESTS += $(MINIOS)
INTEG_TESTS += $(sort $(filter-out %.c %.sh,$(wildcard tests/integration/minios-*)))

# The Dom0 end of the minios-dom0-echo test (links libpvxctl).
MINIOS_PEER := $(O)/tests/minios-dom0-peer
PROGRAMS += $(MINIOS_PEER)
$(MINIOS_PEER): $(O)/obj/tests/integration/minios-dom0-peer.o $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

# Suspend/resume (docs/minios.md): the mig-guest-* tests and their ctl
# helper (PVX_CTL_RESUME, until the toolstack has a command for it).
INTEG_TESTS += $(sort $(filter-out %.c %.sh,$(wildcard tests/integration/mig-guest-*)))
MIG_RESUME_TOOL := $(O)/tests/mig-resume-tool
PROGRAMS += $(MIG_RESUME_TOOL)
$(MIG_RESUME_TOOL): $(O)/obj/tests/mig-resume-tool.o $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

# unit-minios-suspend: the suspend-hook registry (guest/kernel/
# suspend_hooks.c, built for the host).
UNIT_MINIOS_SUSPEND_OBJS := $(O)/obj/tests/unit/minios-suspend/test_hooks.o \
	$(O)/obj/guest/kernel/suspend_hooks.o
$(UNIT_MINIOS_SUSPEND_OBJS): HOST_CFLAGS += -Iguest/include
$(O)/tests/unit-minios-suspend: $(UNIT_MINIOS_SUSPEND_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-minios-suspend

$(MINIOS_OFFSETS): guest/arch/asm-offsets.c
	@mkdir -p $(@D) $(GO)/gobj/guest/arch
	$(HOST_CC) $(GUEST_CFLAGS) -MMD -MP -MT $@ \
		-MF $(GO)/gobj/guest/arch/asm-offsets.d -S -o $(@:.inc=.s) $<
	sed -n 's/.*->\([A-Za-z0-9_]*\) \$$\{0,1\}\(-\{0,1\}[0-9][0-9]*\).*/%define \1 \2/p' \
		$(@:.inc=.s) > $@.tmp && mv $@.tmp $@

$(patsubst %.asm,$(GO)/gobj/%.o,$(MINIOS_ASM)): $(MINIOS_OFFSETS) guest/arch/pvh/traps.inc

$(MINIOS): $(MINIOS_OBJS) guest/minios.ld
	@mkdir -p $(@D)
	ld -nostdlib -static -z max-page-size=4096 -z noexecstack \
		--no-warn-rwx-segments -T guest/minios.ld -o $@ $(MINIOS_OBJS)

.PHONY: minios
minios: $(MINIOS)
