# minios's network frontend (pv-drivers/net/front/, docs/network.md) and
# the small IP stack above it (guest/net/, <minios/net.h>), both linked
# into minios; unit-netfront runs the frontend's handshake on the host
# against faked minios services (tests/unit/netfront/).

MINIOS_EXTRA_C += $(sort $(wildcard pv-drivers/net/front/net*.c guest/net/*.c))

UNIT_NETFRONT_OBJS := $(O)/obj/tests/unit/netfront/test_handshake.o \
	$(O)/obj/tests/unit/netfront/fake_minios.o $(O)/obj/pv-drivers/net/front/netfront.o \
	$(O)/obj/tests/unit/frontfake/fake_xs.o $(O)/obj/guest/kernel/xenbus_front.o
$(UNIT_NETFRONT_OBJS): HOST_CFLAGS += -Iguest/include
$(O)/tests/unit-netfront: $(UNIT_NETFRONT_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-netfront

# unit-netfront-io: the data path (netfront_io.c) against this test playing
# the backend's end of both rings (tests/unit/netfront/test_io.c).
UNIT_NETFRONT_IO_OBJS := $(O)/obj/tests/unit/netfront/test_io.o \
	$(O)/obj/tests/unit/netfront/fake_io.o $(O)/obj/pv-drivers/net/front/netfront_io.o
$(UNIT_NETFRONT_IO_OBJS): HOST_CFLAGS += -Iguest/include
$(O)/tests/unit-netfront-io: $(UNIT_NETFRONT_IO_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-netfront-io

# unit-minios-net: the IP stack (guest/net/, built for the host) against
# faked netfront calls that record every frame (tests/unit/minios-net/).
UNIT_MINIOS_NET_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/minios-net/*.c \
	guest/net/*.c)))
$(UNIT_MINIOS_NET_OBJS): HOST_CFLAGS += -Iguest/include
$(O)/tests/unit-minios-net: $(UNIT_MINIOS_NET_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-minios-net
