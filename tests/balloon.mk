# Ballooning (docs/memory.md): the end-to-end and hostile-guest tests and
# the benchmark's smoke run, each once per guest type.
INTEG_TESTS += $(sort $(filter-out %.sh,$(wildcard tests/integration/balloon-*))) \
	tests/bench/balloon-bench-smoke
