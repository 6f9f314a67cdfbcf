# pvxd: the hypervisor daemon, its unit tests and its smoke test.
# Every pvxd source except main.c also goes into the unit-test binary,
# so the tests exercise the real code; so does the pv platform's process
# library (PVPROC_OBJS, hypervisor/pvproc.mk).

PVXD_SRCS := $(filter-out hypervisor/main.c,$(wildcard hypervisor/*.c))
PVXD_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(PVXD_SRCS))

$(O)/bin/pvxd: $(O)/obj/hypervisor/main.o $(PVXD_OBJS) $(PVPROC_OBJS) $(O)/lib/libpvxutil.a
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
$(O)/tests/unit-pvxd: $(UNIT_PVXD_OBJS) $(PVXD_OBJS) $(PVPROC_OBJS) $(O)/lib/libpvxutil.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-pvxd

# Grant tables (docs/grant-tables.md): the gnttab core over plain memory,
# the control ops, libpvxgnttab against a scripted pvxd, and the
# hypercalls on the pvxd harness's fake domains (so all of pvxd links).
UNIT_GNTTAB_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/gnttab/*.c)))
$(O)/tests/unit-gnttab: $(UNIT_GNTTAB_OBJS) $(O)/obj/tests/unit/pvxd/harness.o $(PVXD_OBJS) $(PVPROC_OBJS) \
		$(O)/lib/libpvxutil.a $(O)/lib/libpvxgnttab.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-gnttab
