# Dom0 toolstack core: libpvxctl (control client), libpvxbuild (PVH domain
# builder), libpvxmon (per-domain monitor), the pvx CLI, unit tests and
# cli-* integration tests. Other dom0-tools/*.mk fragments (config parser,
# console daemon) define their own libraries; we link them when present.

PVXCTL_SRCS := $(wildcard dom0-tools/lib/*.c)
$(eval $(call host_lib,pvxctl,$(PVXCTL_SRCS)))

PVXBUILD_SRCS := $(wildcard dom0-tools/builder/*.c)
$(eval $(call host_lib,pvxbuild,$(PVXBUILD_SRCS)))

UNIT_DOM0_SRCS := tests/unit/dom0/test_ctlclient.c tests/unit/dom0/test_elf.c \
	tests/unit/dom0/test_bootinfo.c tests/unit/dom0/test_build.c \
	tests/unit/dom0/fake_server.c tests/unit/dom0/elf_fixture.c tests/unit/dom0/main.c
UNIT_DOM0_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_DOM0_SRCS))

$(O)/tests/unit-dom0: $(UNIT_DOM0_OBJS) $(O)/lib/libpvxbuild.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-dom0
