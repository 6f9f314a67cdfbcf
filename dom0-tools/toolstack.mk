# Dom0 toolstack core: libpvxctl (control client), libpvxbuild (PVH domain
# builder), libpvxmon (per-domain monitor), the pvx CLI, unit tests and
# cli-* integration tests. Other dom0-tools/*.mk fragments (config parser,
# console daemon) and xenbus/*.mk define their own libraries; pvx links
# them when their sources exist, so this fragment parses and builds at
# every stage of the tree.

PVXCTL_SRCS := $(wildcard dom0-tools/lib/*.c)
$(eval $(call host_lib,pvxctl,$(PVXCTL_SRCS)))

PVXBUILD_SRCS := $(wildcard dom0-tools/builder/*.c)
$(eval $(call host_lib,pvxbuild,$(PVXBUILD_SRCS)))

PVXMON_SRCS := $(wildcard dom0-tools/monitor/*.c)
$(eval $(call host_lib,pvxmon,$(PVXMON_SRCS)))

# --- pvx ----------------------------------------------------------------
# Every .c in dom0-tools/pvx/ is part of pvx (cmd_console.c comes from the
# console daemon's engineer). Optional libraries: the console client
# (pvx_consoled_add, cmd_console) and the xenstore CLI (xs_cli_main).
PVX_SRCS := $(sort $(wildcard dom0-tools/pvx/*.c))
PVX_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(PVX_SRCS))
PVX_CLI_OBJS := $(filter-out $(O)/obj/dom0-tools/pvx/main.o,$(PVX_OBJS))

# A library counts as present once its header exists and some fragment
# names it (so a half-written component never breaks this build).
pvx_comma := ,
pvx_mk_names = $(strip $(foreach f,$(filter-out dom0-tools/toolstack.mk,$(wildcard $(1))),\
	$(findstring $(2),$(file < $(f)))))
PVX_OPT_LIBS :=
PVX_OPT_LDFLAGS :=
ifneq ($(and $(wildcard dom0-tools/include/pvx/consoled.h),$(call pvx_mk_names,dom0-tools/*.mk,host_lib$(pvx_comma)pvxcons$(pvx_comma))),)
PVX_OPT_LIBS += $(O)/lib/libpvxcons.a
PVX_OPT_LDFLAGS += -Wl,-u,pvx_consoled_add
endif
ifneq ($(wildcard xenbus/include/pvx/xs_cli.h),)
PVX_OPT_LDFLAGS += -Wl,-u,xs_cli_main
endif
# libpvxbuild writes the xenstore side of a domain: libpvxxs is required.
PVX_LIBS := $(O)/lib/libpvxmon.a $(O)/lib/libpvxbuild.a $(O)/lib/libpvxcfg.a \
	$(O)/lib/libpvxbench.a $(O)/lib/libpvxgnttab.a \
	$(PVX_OPT_LIBS) $(O)/lib/libpvxutil.a $(O)/lib/libpvxxs.a $(O)/lib/libpvxctl.a

$(O)/bin/pvx: $(PVX_OBJS) $(PVX_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $(PVX_OPT_LDFLAGS) -o $@ $(PVX_OBJS) $(PVX_LIBS) $(LIBEVENT_LIBS)

PROGRAMS += $(O)/bin/pvx

# --- unit tests -----------------------------------------------------------
UNIT_DOM0_SRCS := tests/unit/dom0/test_ctlclient.c tests/unit/dom0/test_elf.c \
	tests/unit/dom0/test_bootinfo.c tests/unit/dom0/test_build.c \
	tests/unit/dom0/test_cmdtab.c tests/unit/dom0/test_monitor.c \
	tests/unit/dom0/fake_server.c tests/unit/dom0/elf_fixture.c tests/unit/dom0/main.c
UNIT_DOM0_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_DOM0_SRCS))

# The command-table tests link the whole CLI except main().
$(O)/tests/unit-dom0: $(UNIT_DOM0_OBJS) $(PVX_CLI_OBJS) $(PVX_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $(PVX_OPT_LDFLAGS) -o $@ $(UNIT_DOM0_OBJS) $(PVX_CLI_OBJS) \
		$(PVX_LIBS) $(LIBEVENT_LIBS) $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-dom0

# --- integration tests ----------------------------------------------------
INTEG_TESTS += $(sort $(wildcard tests/integration/cli-*))
