# dom0-tools/cfg-console.mk: the xl.cfg parser (libpvxcfg), the console
# daemon (pvx-consoled) and its client library (libpvxcons), their unit
# tests, integration tests and fuzzer.

# --- config parser -------------------------------------------------------
PVXCFG_SRCS := $(sort $(wildcard dom0-tools/config/*.c))
$(eval $(call host_lib,pvxcfg,$(PVXCFG_SRCS)))
PROGRAMS += $(O)/lib/libpvxcfg.a

UNIT_CONFIG_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/config/*.c)))
$(O)/tests/unit-config: $(UNIT_CONFIG_OBJS) $(O)/lib/libpvxcfg.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)
UNIT_TESTS += $(O)/tests/unit-config

# libFuzzer target: clang, its own sanitizers, not part of build-all.
$(O)/fuzz/fuzz_config: tests/fuzz/fuzz_config.c $(PVXCFG_SRCS) $(wildcard dom0-tools/config/*.h)
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-Idom0-tools/include -Ihypervisor/include -Idom0-tools/config \
		-o $@ $(filter %.c,$^)
FUZZERS += $(O)/fuzz/fuzz_config
