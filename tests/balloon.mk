# Ballooning (docs/memory.md): the end-to-end and hostile-guest tests and
# the benchmark's smoke run, each once per guest type.
INTEG_TESTS += $(sort $(filter-out %.sh,$(wildcard tests/integration/balloon-*))) \
	tests/bench/balloon-bench-smoke

# The host baselines of tests/bench/balloon-bench (first touch, punch).
$(O)/bench/balloon-host: $(O)/obj/tests/bench/balloon_host.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

PROGRAMS += $(O)/bench/balloon-host
