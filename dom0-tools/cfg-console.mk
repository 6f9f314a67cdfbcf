# dom0-tools/cfg-console.mk: the xl.cfg parser (libpvxcfg), the console
# daemon (pvx-consoled) and its client library (libpvxcons), their unit
# tests, integration tests and fuzzer.

# --- config parser -------------------------------------------------------
PVXCFG_SRCS := $(sort $(wildcard dom0-tools/config/*.c))
$(eval $(call host_lib,pvxcfg,$(PVXCFG_SRCS)))
PROGRAMS += $(O)/lib/libpvxcfg.a

UNIT_CONFIG_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/config/*.c)))
$(O)/tests/unit-config: $(UNIT_CONFIG_OBJS) $(O)/lib/libpvxcfg.a $(O)/lib/libpvxjson.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(JANSSON_LIBS)
UNIT_TESTS += $(O)/tests/unit-config

# libFuzzer target: clang, its own sanitizers, not part of build-all.
$(O)/fuzz/fuzz_config: tests/fuzz/fuzz_config.c $(PVXCFG_SRCS) $(wildcard dom0-tools/json/*.c) $(wildcard dom0-tools/config/*.h)
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-Idom0-tools/include -Ihypervisor/include -Ipv-drivers/include $(DRIVER_INCLUDES) \
		-Idom0-tools/config \
		-o $@ $(filter %.c,$^) $(JANSSON_LIBS)
FUZZERS += $(O)/fuzz/fuzz_config

# --- console daemon and its client library ------------------------------
PVXCONS_SRCS := dom0-tools/consoled/client.c dom0-tools/consoled/proto.c
$(eval $(call host_lib,pvxcons,$(PVXCONS_SRCS)))
CONSOLED_SRCS := $(filter-out dom0-tools/consoled/client.c,$(sort $(wildcard dom0-tools/consoled/*.c)))
CONSOLED_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(CONSOLED_SRCS))

$(O)/bin/pvx-consoled: $(CONSOLED_OBJS) $(O)/lib/libpvxutil.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS)
PROGRAMS += $(O)/bin/pvx-consoled $(O)/lib/libpvxcons.a

# The unit tests link the daemon's real files except main.c.
UNIT_CONSOLED_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/consoled/*.c))) \
	$(filter-out %/main.o,$(CONSOLED_OBJS)) $(O)/obj/dom0-tools/consoled/client.o
$(O)/tests/unit-consoled: $(UNIT_CONSOLED_OBJS) $(O)/lib/libpvxutil.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-consoled

INTEG_TESTS += $(sort $(wildcard tests/integration/console-*))
