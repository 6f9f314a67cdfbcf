# dom0-tools/util.mk: libpvxutil, what every pvx Dom0 daemon shares (the
# logging API pvx/log.h, run/log directories, the locked pid file, the
# signal-driven event loop and the ordered start/stop table of
# pvx/daemon.h, the statistics socket of pvx/stats_server.h). Daemons link
# it before libpvxctl (paths come from there).
PVXUTIL_SRCS := $(sort $(wildcard dom0-tools/util/*.c))
$(eval $(call host_lib,pvxutil,$(PVXUTIL_SRCS)))
PROGRAMS += $(O)/lib/libpvxutil.a

# unit-util: the library's own suites (tests/unit/util/).
UNIT_UTIL_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/util/*.c)))
$(O)/tests/unit-util: $(UNIT_UTIL_OBJS) $(O)/lib/libpvxutil.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-util
