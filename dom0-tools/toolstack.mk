# Dom0 toolstack core: libpvxctl (control client), libpvxbuild (PVH domain
# builder), libpvxmon (per-domain monitor), the pvx CLI, unit tests and
# cli-* integration tests. Other dom0-tools/*.mk fragments (config parser,
# console daemon) define their own libraries; we link them when present.

PVXCTL_SRCS := $(wildcard dom0-tools/lib/*.c)
$(eval $(call host_lib,pvxctl,$(PVXCTL_SRCS)))

UNIT_DOM0_SRCS := $(wildcard tests/unit/dom0/test_ctl*.c) tests/unit/dom0/fake_server.c \
	tests/unit/dom0/main.c
UNIT_DOM0_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_DOM0_SRCS))

$(O)/tests/unit-dom0: $(UNIT_DOM0_OBJS) $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-dom0
