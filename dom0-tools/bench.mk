# pvx bench (docs/bench-ring.md): libpvxbench (cmd_bench and everything
# behind it; the pvx CLI links it for its `bench` row), the standalone
# pvx-bench, unit-bench and the bench-ring-* integration tests. Linux's
# ringtest is never built here: the bench extracts and builds it on first
# use into $(O)/ringtest when linux-source-6.1 is installed.

BENCH_SRCS := $(filter-out dom0-tools/bench/main.c,$(sort $(wildcard dom0-tools/bench/*.c)))
$(eval $(call host_lib,pvxbench,$(BENCH_SRCS)))

# Guest mode (guest*.c) is a Dom0 backend: grant, xenstore and control clients.
BENCH_LIBS := $(O)/lib/libpvxbench.a $(O)/lib/libpvxgnttab.a $(O)/lib/libpvxxs.a \
	$(O)/lib/libpvxctl.a $(O)/lib/libpvxjson.a

$(O)/bin/pvx-bench: $(O)/obj/dom0-tools/bench/main.o $(BENCH_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(JANSSON_LIBS)

PROGRAMS += $(O)/bin/pvx-bench

# Unit tests see the library's private header.
UNIT_BENCH_SRCS := $(sort $(wildcard tests/unit/bench/*.c))
UNIT_BENCH_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_BENCH_SRCS))
$(UNIT_BENCH_OBJS): HOST_CFLAGS += -Idom0-tools/bench

$(O)/tests/unit-bench: $(UNIT_BENCH_OBJS) $(BENCH_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBEVENT_LIBS) $(JANSSON_LIBS)

ifneq ($(UNIT_BENCH_SRCS),)
UNIT_TESTS += $(O)/tests/unit-bench
endif

INTEG_TESTS += $(sort $(wildcard tests/integration/bench-ring-*))
