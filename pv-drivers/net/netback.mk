# pvx-netback, the network backend daemon (docs/network.md): xenstore,
# TAP devices, bridges and routes, event channels, grants and the stats
# socket around libpvxnetback's ring engine (net.mk). Its sources are
# listed, not globbed: the engine's files share pv-drivers/net/back/.

NETBACKD_SRCS := $(addprefix pv-drivers/net/back/,main.c tap.c attach.c vif_cfg.c vif.c \
	vif_table.c vif_ring.c datapath.c ctl.c gnt_pvx.c)
NETBACKD_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(NETBACKD_SRCS))

$(O)/bin/pvx-netback: $(NETBACKD_OBJS) $(O)/lib/libpvxnetback.a $(O)/lib/libpvxutil.a \
		$(O)/lib/libpvxgnttab.a $(O)/lib/libpvxxs.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS)

PROGRAMS += $(O)/bin/pvx-netback

INTEG_TESTS += $(sort $(filter-out %.c %.sh,$(wildcard tests/integration/net-netback-*)))
