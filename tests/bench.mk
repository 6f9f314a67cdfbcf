# Benchmarks under tests/bench/: host-side programs built with everything
# else; the scripts that run them are documented in docs/performance.md.
# hostbase measures with libpvxbench (dom0-tools/bench.mk), the same code
# `pvx bench ring` reports its baselines with.

$(O)/obj/tests/bench/hostbase.o: HOST_CFLAGS += -Idom0-tools/bench

$(O)/bench/hostbase: $(O)/obj/tests/bench/hostbase.o $(O)/lib/libpvxbench.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

PROGRAMS += $(O)/bench/hostbase

# Whole-system checks that belong to no single component.
INTEG_TESTS += tests/integration/daemons-valgrind tests/integration/pvxd-single \
	tests/integration/daemons-single \
	tests/integration/pv-hostile tests/integration/platforms-mixed
