# pvxd: the hypervisor daemon, its unit tests and its smoke test.
# Every pvxd source except main.c also goes into the unit-test binary,
# so the tests exercise the real code; so does the pv platform's process
# library (PVPROC_OBJS, hypervisor/pvproc.mk).

#
# The sources live in one folder per subsystem (README.md's tour); main.c
# stays at the top and hypervisor/pv/ belongs to pvproc.mk. Headers are
# included by bare name, so pvxd's objects and the unit tests that reach
# into pvxd get every folder on their include path.

PVXD_DIRS := core platform platform/pvh platform/pv domain hypercall evtchn gnttab ctl
PVXD_SRCS := $(sort $(foreach d,$(PVXD_DIRS),$(wildcard hypervisor/$(d)/*.c)))
PVXD_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(PVXD_SRCS))
PVXD_INCS := -Ihypervisor $(addprefix -Ihypervisor/,$(PVXD_DIRS))
$(O)/obj/hypervisor/main.o $(PVXD_OBJS): HOST_CFLAGS += $(PVXD_INCS)

$(O)/bin/pvxd: $(O)/obj/hypervisor/main.o $(PVXD_OBJS) $(PVPROC_OBJS) $(O)/lib/libpvxutil.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) -lpthread

PROGRAMS += $(O)/bin/pvxd

# Smoke test: a C client on libpvxctl plus the bash driver.
$(O)/tests/pvxd-smoke-client: $(O)/obj/tests/integration/pvxd-smoke-client.o $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

build-all: $(O)/tests/pvxd-smoke-client
INTEG_TESTS += tests/integration/pvxd-smoke tests/integration/pvxd-pv

# Unit tests: the Check suites in tests/unit/pvxd over the real sources.
UNIT_PVXD_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/pvxd/*.c)))
$(UNIT_PVXD_OBJS): HOST_CFLAGS += $(PVXD_INCS)
$(O)/tests/unit-pvxd: $(UNIT_PVXD_OBJS) $(PVXD_OBJS) $(PVPROC_OBJS) $(O)/lib/libpvxutil.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-pvxd

# Grant tables (docs/grant-tables.md): the gnttab core over plain memory,
# the control ops, libpvxgnttab against a scripted pvxd, and the
# hypercalls on the pvxd harness's fake domains (so all of pvxd links).
UNIT_GNTTAB_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/gnttab/*.c)))
$(UNIT_GNTTAB_OBJS): HOST_CFLAGS += $(PVXD_INCS)
$(O)/tests/unit-gnttab: $(UNIT_GNTTAB_OBJS) $(O)/obj/tests/unit/pvxd/harness.o $(PVXD_OBJS) $(PVPROC_OBJS) \
		$(O)/lib/libpvxutil.a $(O)/lib/libpvxgnttab.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-gnttab

# Save/restore and migration, hypervisor side (docs/migration-hv.md):
# the Dom0 peer of the mig-hv-* tests, straight on the control ops.
MIG_HV_PEER := $(O)/tests/mig-hv-peer
$(O)/obj/tests/integration/mig-hv-peer.o: HOST_CFLAGS += $(PVXD_INCS)
$(MIG_HV_PEER): $(O)/obj/tests/integration/mig-hv-peer.o $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
build-all: $(MIG_HV_PEER)
INTEG_TESTS += $(sort $(filter-out %.c %.sh,$(wildcard tests/integration/mig-hv-*)))
