# pvx-netback, the network backend daemon (docs/network.md): xenstore,
# TAP devices, bridges and routes, event channels, grants and the stats
# socket around libpvxnetback's ring engine (net.mk). Its sources are
# listed, not globbed: the engine's files share pv-drivers/net/back/.

NETBACKD_SRCS := $(addprefix pv-drivers/net/back/,main.c tap.c tap_list.c attach.c vif_cfg.c vif.c \
	vif_table.c vif_ring.c datapath.c ctl.c gnt_pvx.c)
NETBACKD_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(NETBACKD_SRCS))

$(O)/bin/pvx-netback: $(NETBACKD_OBJS) $(O)/lib/libpvxnetback.a $(O)/lib/libpvxbackd.a \
		$(O)/lib/libpvxutil.a $(O)/lib/libpvxgnttab.a $(O)/lib/libpvxxs.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS)

PROGRAMS += $(O)/bin/pvx-netback

# tests/net.mk (the network tests' fragment), once merged, registers every
# net-* test: not twice.
INTEG_TESTS += $(if $(wildcard tests/net.mk),,$(sort $(wildcard tests/integration/net-netback-*)))

# unit-netbackd: the daemon's parsing of B's keys (vif_cfg.c) against a
# fake xenstore (tests/unit/netbackd/).
UNIT_NETBACKD_OBJS := $(O)/obj/tests/unit/netbackd/test_cfg.o $(O)/obj/pv-drivers/net/back/vif_cfg.o
$(O)/obj/tests/unit/netbackd/test_cfg.o: HOST_CFLAGS += -Ipv-drivers/net/back
$(O)/tests/unit-netbackd: $(UNIT_NETBACKD_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-netbackd
