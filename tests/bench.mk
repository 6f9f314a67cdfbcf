# Benchmarks under tests/bench/: host-side programs built with everything
# else; the scripts that run them are documented in docs/performance.md.

$(O)/bench/hostbase: $(O)/obj/tests/bench/hostbase.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lpthread

PROGRAMS += $(O)/bench/hostbase
