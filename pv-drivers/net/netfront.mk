# minios's network frontend (pv-drivers/net/front/, docs/network.md) and
# the small IP stack above it (guest/net/, <minios/net.h>), both linked
# into minios; unit-netfront runs the frontend's handshake on the host
# against faked minios services (tests/unit/netfront/).

MINIOS_EXTRA_C += $(sort $(wildcard pv-drivers/net/front/net*.c guest/net/*.c))

UNIT_NETFRONT_OBJS := $(O)/obj/tests/unit/netfront/test_handshake.o \
	$(O)/obj/tests/unit/netfront/fake_minios.o $(O)/obj/pv-drivers/net/front/netfront.o
$(UNIT_NETFRONT_OBJS): HOST_CFLAGS += -Iguest/include
$(O)/tests/unit-netfront: $(UNIT_NETFRONT_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-netfront
