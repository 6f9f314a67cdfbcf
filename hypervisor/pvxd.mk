# pvxd: the hypervisor daemon, its unit tests and its smoke test.
# Every pvxd source except main.c also goes into the unit-test binary,
# so the tests exercise the real code.

PVXD_SRCS := $(filter-out hypervisor/main.c,$(wildcard hypervisor/*.c))
PVXD_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(PVXD_SRCS))

$(O)/bin/pvxd: $(O)/obj/hypervisor/main.o $(PVXD_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) -lpthread

PROGRAMS += $(O)/bin/pvxd

# Smoke test: a C client on libpvxctl plus the bash driver.
$(O)/tests/pvxd-smoke-client: $(O)/obj/tests/integration/pvxd-smoke-client.o $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

build-all: $(O)/tests/pvxd-smoke-client
INTEG_TESTS += tests/integration/pvxd-smoke

# Unit tests: the Check suites in tests/unit/pvxd over the real sources.
UNIT_PVXD_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/pvxd/*.c)))
$(O)/tests/unit-pvxd: $(UNIT_PVXD_OBJS) $(PVXD_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-pvxd

# Grant tables alone (docs/grant-tables.md): the pure gnttab modules over
# plain memory, no KVM, in tests/unit/gnttab.
GNTTAB_CORE_OBJS := $(patsubst %.c,$(O)/obj/%.o,hypervisor/gnttab.c \
	hypervisor/gnttab_pin.c hypervisor/gnttab_map.c hypervisor/gnttab_copy.c \
	hypervisor/gnttab_ctl.c)
UNIT_GNTTAB_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/gnttab/*.c)))
$(O)/tests/unit-gnttab: $(UNIT_GNTTAB_OBJS) $(GNTTAB_CORE_OBJS) $(O)/lib/libpvxgnttab.a \
		$(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-gnttab
