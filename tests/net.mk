# tests/net.mk: the network driver's host-side test tool
# (docs/network.md). pvx-udptool is the Dom0 end of tests/integration/net-*
# and of tests/bench/net-bench: echo, sink, source, echo-check, rtt, and a
# TAP read/write loop (tapbench) as the baseline beside a veth pair.

UDPTOOL_OBJS := $(patsubst %.c,$(O)/obj/%.o,tests/bench/udp_tool.c tests/bench/udp_modes.c \
	tests/bench/udp_tap.c tests/bench/udp_ping.c)

$(O)/tests/pvx-udptool: $(UDPTOOL_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

PROGRAMS += $(O)/tests/pvx-udptool

INTEG_TESTS += $(sort $(filter-out %.c %.sh,$(wildcard tests/integration/net-*))) \
	tests/bench/net-bench-smoke
