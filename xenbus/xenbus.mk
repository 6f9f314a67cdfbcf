# xenstore: pvxstored (the daemon), libpvxxs (client library + the CLI's
# xs_cli_main), pvx-xenstore (the CLI standalone), unit tests, the
# libFuzzer target and the benchmark. See docs/xenstore.md.

# The daemon's modules, as a library the unit tests and the fuzzer share.
XS_STORE_SRCS := $(filter-out xenbus/store/main.c,$(sort $(wildcard xenbus/store/*.c)))
$(eval $(call host_lib,pvxstore,$(XS_STORE_SRCS)))

# Client library and CLI (pvx links it for `pvx xenstore`).
XS_LIB_SRCS := $(sort $(wildcard xenbus/lib/*.c)) \
	$(filter-out xenbus/cli/pvx-xenstore.c,$(sort $(wildcard xenbus/cli/*.c)))
$(eval $(call host_lib,pvxxs,$(XS_LIB_SRCS)))

$(O)/bin/pvxstored: $(O)/obj/xenbus/store/main.o $(O)/lib/libpvxstore.a \
		$(O)/lib/libpvxutil.a $(O)/lib/libpvxxs.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS)

$(O)/bin/pvx-xenstore: $(O)/obj/xenbus/cli/pvx-xenstore.o $(O)/lib/libpvxxs.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

PROGRAMS += $(O)/bin/pvxstored $(O)/bin/pvx-xenstore

# Unit tests: the real daemon modules against a capturing fake transport.
XS_UNIT_SRCS := $(sort $(wildcard tests/unit/xenstore/*.c))
$(O)/tests/unit-xenstore: $(patsubst %.c,$(O)/obj/%.o,$(XS_UNIT_SRCS)) \
		$(O)/lib/libpvxstore.a $(O)/lib/libpvxutil.a $(O)/lib/libpvxxs.a \
		$(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(CHECK_LIBS)

UNIT_TESTS += $(O)/tests/unit-xenstore

INTEG_TESTS += $(sort $(filter-out %.c,$(wildcard tests/integration/xenstore-*)))

# libFuzzer target (clang): the parser and request handling, no sockets.
FUZZ_CC ?= clang
XS_FUZZ := $(O)/fuzz/fuzz_xenstore
XS_FUZZ_SRCS := tests/fuzz/fuzz_xenstore.c dom0-tools/util/log.c dom0-tools/util/listen.c \
	$(filter-out xenbus/store/ring_pvxctl.c xenbus/store/dom_events.c,$(XS_STORE_SRCS))
$(XS_FUZZ): $(XS_FUZZ_SRCS) $(wildcard xenbus/store/*.h xenbus/include/pvx/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 -g -O1 $(WARN) -D_GNU_SOURCE -Ihypervisor/include \
		-Ixenbus/include -Idom0-tools/include \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(XS_FUZZ_SRCS) $(LIBEVENT_LIBS)

FUZZERS += $(XS_FUZZ)
# Built with everything else when clang and its fuzzer runtime are there,
# so xenstore-fuzz can run (it skips otherwise).
XS_FUZZ_RT := $(shell $(FUZZ_CC) -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)
ifneq ($(wildcard $(XS_FUZZ_RT)),)
PROGRAMS += $(XS_FUZZ)
endif

# Benchmark (docs/xenstore.md): pvxstored's modules vs a bare socket echo.
XS_BENCH_SRCS := $(sort $(wildcard tests/bench/xenstore-bench*.c))
$(O)/bench/xenstore-bench: $(patsubst %.c,$(O)/obj/%.o,$(XS_BENCH_SRCS)) \
		$(O)/lib/libpvxstore.a $(O)/lib/libpvxutil.a $(O)/lib/libpvxxs.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS)

PROGRAMS += $(O)/bench/xenstore-bench

# The guest side of xenstore-ring, played from Dom0 (links libpvxctl).
$(O)/tests/xenstore-ring-peer: $(O)/obj/tests/integration/xenstore-ring-peer.o \
		$(O)/lib/libpvxxs.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

PROGRAMS += $(O)/tests/xenstore-ring-peer
