# The split network driver (docs/network.md), one folder: the contract
# (netif.h), Dom0's side in back/ (libpvxnetback: tx validation, the tx
# and rx engines, checksums, the xenbus state machine; the pvx-netback
# daemon, built by netback.mk) and minios's netfront in front/, with their
# unit tests.

NETBACK_CORE_SRCS := $(addprefix pv-drivers/net/back/,validate.c csum.c fsm.c queue.c tx.c rx.c)
$(eval $(call host_lib,pvxnetback,$(NETBACK_CORE_SRCS)))

UNIT_NET_SRCS := $(sort $(wildcard tests/unit/net/*.c))
UNIT_NET_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_NET_SRCS))

$(O)/tests/unit-net: $(UNIT_NET_OBJS) $(O)/lib/libpvxnetback.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-net

# libFuzzer target (clang): a hostile frontend against the tx validation,
# the tx consumer and rx delivery. Built with everything else when clang's
# fuzzer runtime is there (like fuzz_xenstore); `make fuzz` runs it.
FUZZ_CC ?= clang
NET_FUZZ := $(O)/fuzz/fuzz_netif
$(NET_FUZZ): tests/fuzz/fuzz_netif.c $(NETBACK_CORE_SRCS) pv-drivers/net/back/netback.h \
		pv-drivers/net/back/netback_int.h pv-drivers/net/netif.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 -g -O1 $(WARN) -D_GNU_SOURCE -Ihypervisor/include \
		-Ipv-drivers/include $(DRIVER_INCLUDES) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(filter %.c,$^)
FUZZERS += $(NET_FUZZ)
ifneq ($(wildcard $(shell $(FUZZ_CC) -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)),)
PROGRAMS += $(NET_FUZZ)
endif

# The same target as a plain program (any compiler, HOST_CFLAGS: under
# SANITIZE=1 it runs with ASan/UBSan), main() from tests/fuzz/standalone.c.
$(O)/obj/tests/fuzz/fuzz_netif_standalone.o: tests/fuzz/fuzz_netif.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -DFUZZ_NETIF_STANDALONE -MMD -MP -c -o $@ $<
$(O)/tests/fuzz-netif: $(O)/obj/tests/fuzz/fuzz_netif_standalone.o $(O)/obj/tests/fuzz/standalone.o \
		$(O)/lib/libpvxnetback.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
PROGRAMS += $(O)/tests/fuzz-netif

# The engine's own per-packet cost, no guest (tests/bench/net_backend.c).
$(O)/tests/net-backend-bench: $(O)/obj/tests/bench/net_backend.o $(O)/lib/libpvxnetback.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
PROGRAMS += $(O)/tests/net-backend-bench
