# libpvxgnttab: Dom0 grant mapping and copy (pvx/gnttab.h,
# docs/grant-tables.md), and the Dom0 peer of the gnttab-* tests.

PVXGNTTAB_SRCS := $(wildcard dom0-tools/gnttab/*.c)
$(eval $(call host_lib,pvxgnttab,$(PVXGNTTAB_SRCS)))

GNTTAB_PEER := $(O)/tests/gnttab-peer
$(GNTTAB_PEER): $(O)/obj/tests/integration/gnttab-peer.o $(O)/lib/libpvxgnttab.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
ifneq ($(wildcard tests/integration/gnttab-peer.c),)
PROGRAMS += $(GNTTAB_PEER)
endif
INTEG_TESTS += $(sort $(filter-out %.c %.sh,$(wildcard tests/integration/gnttab-*)))
