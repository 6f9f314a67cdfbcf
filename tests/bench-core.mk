# tests/bench-core.mk: the core and lifecycle benchmarks (issues 2 and 3;
# docs/performance.md). The scripts tests/bench/core-bench and
# tests/bench/lifecycle-bench run from the repository root; this fragment
# builds their helper and registers the short smoke run with make check.

$(O)/bench/lifecycle-probe: $(O)/obj/tests/bench/lifecycle-probe.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

PROGRAMS += $(O)/bench/lifecycle-probe

# < 15 s each: one short round of every measurement, figures checked.
INTEG_TESTS += tests/bench/core-bench-smoke tests/bench/lifecycle-bench-smoke
