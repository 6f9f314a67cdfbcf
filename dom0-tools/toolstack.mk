# Dom0 toolstack core: libpvxctl (control client), libpvxbuild (PVH domain
# builder), libpvxmon (per-domain monitor), the pvx CLI, unit tests and
# cli-* integration tests. Other dom0-tools/*.mk fragments (config parser,
# console daemon, bench, grant tables) and xenbus/*.mk define their own
# libraries, which pvx links.

PVXCTL_SRCS := $(wildcard dom0-tools/lib/*.c)
$(eval $(call host_lib,pvxctl,$(PVXCTL_SRCS)))

PVXBUILD_SRCS := $(wildcard dom0-tools/builder/*.c)
$(eval $(call host_lib,pvxbuild,$(PVXBUILD_SRCS)))

PVXMON_SRCS := $(wildcard dom0-tools/monitor/*.c)
$(eval $(call host_lib,pvxmon,$(PVXMON_SRCS)))

# --- pvx ----------------------------------------------------------------
# Every .c in dom0-tools/pvx/ is part of pvx. The libraries below give it
# the console client, the xenstore CLI, the benchmarks and grant mapping.
PVX_SRCS := $(sort $(wildcard dom0-tools/pvx/*.c))
PVX_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(PVX_SRCS))
PVX_CLI_OBJS := $(filter-out $(O)/obj/dom0-tools/pvx/main.o,$(PVX_OBJS))

PVX_LIBS := $(O)/lib/libpvxmon.a $(O)/lib/libpvxbuild.a $(O)/lib/libpvxcfg.a \
	$(O)/lib/libpvxbench.a $(O)/lib/libpvxgnttab.a \
	$(O)/lib/libpvxcons.a $(O)/lib/libpvxutil.a $(O)/lib/libpvxxs.a $(O)/lib/libpvxctl.a \
	$(O)/lib/libpvxjson.a $(O)/lib/libpvxmig.a

# export/import bundles (docs/export.md): tar through libarchive, SHA-256
# through libcrypto.
BUNDLE_LIBS := -larchive -lcrypto

$(O)/bin/pvx: $(PVX_OBJS) $(PVX_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $(PVX_OBJS) $(PVX_LIBS) $(LIBEVENT_LIBS) $(JANSSON_LIBS) \
		$(CRYPTO_LIBS) $(BUNDLE_LIBS)

PROGRAMS += $(O)/bin/pvx

# --- unit tests -----------------------------------------------------------
UNIT_DOM0_SRCS := tests/unit/dom0/test_ctlclient.c tests/unit/dom0/test_elf.c \
	tests/unit/dom0/test_elf_notes.c tests/unit/dom0/test_domtype.c \
	tests/unit/dom0/test_bootinfo.c tests/unit/dom0/test_build.c \
	tests/unit/dom0/test_cmdtab.c tests/unit/dom0/test_monitor.c tests/unit/dom0/test_network.c \
	tests/unit/dom0/test_memsize.c \
	tests/unit/dom0/test_sched_cmds.c \
	tests/unit/dom0/cli_run.c \
	tests/unit/dom0/fake_server.c tests/unit/dom0/elf_fixture.c tests/unit/dom0/main.c
UNIT_DOM0_SRCS += tests/unit/dom0/test_top.c
UNIT_DOM0_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_DOM0_SRCS))

# The command-table tests link the whole CLI except main().
$(O)/tests/unit-dom0: $(UNIT_DOM0_OBJS) $(PVX_CLI_OBJS) $(PVX_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $(UNIT_DOM0_OBJS) $(PVX_CLI_OBJS) \
		$(PVX_LIBS) $(LIBEVENT_LIBS) $(JANSSON_LIBS) $(CRYPTO_LIBS) $(BUNDLE_LIBS) $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-dom0

# libFuzzer target for the kernel ELF parser: clang, its own sanitizers,
# not part of build-all (make fuzz).
$(O)/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c dom0-tools/builder/elf.c dom0-tools/include/pvx/builder.h
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-Idom0-tools/include -Ihypervisor/include -o $@ $(filter %.c,$^)
FUZZERS += $(O)/fuzz/fuzz_elf

# --- integration tests ----------------------------------------------------
INTEG_TESTS += $(sort $(wildcard tests/integration/cli-*))
# pvx top (docs/top.md); top-check.py is its helper, not a test.
INTEG_TESTS += $(sort $(filter-out %.py,$(wildcard tests/integration/top-*)))
