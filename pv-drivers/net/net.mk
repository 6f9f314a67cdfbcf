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
