# tests/fuzz/fuzz.mk: every fuzz target, two ways (docs/reliability.md,
# "Fuzzing"). Included by the Makefile after every other fragment, so the
# source lists it names (PVXD_SRCS, XS_STORE_SRCS, ...) are all set.
#
#   $(O)/fuzz/fuzz_NAME   libFuzzer binary: clang, ASan+UBSan, every source
#                         it reaches compiled with coverage ($(O)/fz/);
#                         `make fuzz` runs each on tests/fuzz/corpus/NAME.
#   $(O)/tests/fuzz-NAME  the same harness with tests/fuzz/standalone.c as
#                         main(), HOST_CC and HOST_CFLAGS (SANITIZE=1: ASan
#                         and UBSan), linked against the ordinary objects:
#                         tests/integration/fuzz-corpus runs each for a few
#                         seconds on its corpus plus random mutations.
#
# xenstore and netif keep their libFuzzer rules in xenbus.mk and net.mk;
# config and elf in dom0-tools/*.mk; this file adds their standalone form.

FUZZ_CC ?= clang
FUZZ_RT := $(wildcard $(shell $(FUZZ_CC) -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null))
FZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FZ_CFLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -Wall -Wextra -fno-common \
	-Ihypervisor/include -Ipv-drivers/include $(DRIVER_INCLUDES) -Ixenbus/include \
	-Idom0-tools/include $(CHECK_CFLAGS) $(FZ_SAN) -fsanitize=fuzzer-no-link

# Coverage-instrumented objects for the libFuzzer binaries.
$(O)/fz/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FZ_CFLAGS) $(FZ_INCS) -MMD -MP -c -o $@ $<
$(O)/fz/hypervisor/%.o $(O)/fz/tests/fuzz/fuzz_ctl.o $(O)/fz/tests/fuzz/fuzz_hcall.o \
	$(O)/fz/tests/fuzz/pvxd_harness.o: FZ_INCS = $(PVXD_INCS)
$(O)/obj/tests/fuzz/fuzz_ctl.o $(O)/obj/tests/fuzz/fuzz_hcall.o \
	$(O)/obj/tests/fuzz/pvxd_harness.o: HOST_CFLAGS += $(PVXD_INCS)
$(O)/fz/dom0-tools/config/%.o $(O)/fz/tests/fuzz/fuzz_spec.o: FZ_INCS = -Idom0-tools/config
$(O)/obj/tests/fuzz/fuzz_spec.o: HOST_CFLAGS += -Idom0-tools/config
-include $(shell find $(O)/fz -name '*.d' 2>/dev/null)

# $(call fuzz_target,NAME,SOURCES,STANDALONE_LINK,LIBS,FUZZ_EXTRA)
#   SOURCES: the harness tests/fuzz/fuzz_NAME.c first, then every source
#   it reaches (clang-built for libFuzzer); STANDALONE_LINK: the objects
#   and libraries the standalone form links instead; LIBS: system libs;
#   FUZZ_EXTRA: objects or libraries the libFuzzer binary links as built.
define fuzz_target
$(O)/fuzz/fuzz_$(1): $(patsubst %.c,$(O)/fz/%.o,$(2)) $(5)
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FZ_SAN) -fsanitize=fuzzer -o $$@ $$^ $(4)
FUZZERS += $(O)/fuzz/fuzz_$(1)
$(O)/tests/fuzz-$(1): $(O)/obj/tests/fuzz/fuzz_$(1).o $(O)/obj/tests/fuzz/standalone.o $(3)
	@mkdir -p $$(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $$@ $$^ $(4)
PROGRAMS += $(O)/tests/fuzz-$(1)
endef

# pvxd: the control protocol and the hypercall table (all of pvxd links).
# (libpvxutil and the shim blob are linked as built: no guest input there).
FZ_PVXD_SRCS := $(PVXD_SRCS) $(PVPROC_SRCS)
FZ_PVXD_EXTRA := $(O)/obj/hypervisor/pv/pvproc_shim_blob.o $(O)/lib/libpvxutil.a
FZ_PVXD_LINK := $(PVXD_OBJS) $(PVPROC_OBJS) $(O)/lib/libpvxutil.a
$(eval $(call fuzz_target,ctl,tests/fuzz/fuzz_ctl.c $(FZ_PVXD_SRCS),$(FZ_PVXD_LINK),\
	$(LIBEVENT_LIBS) -lpthread,$(FZ_PVXD_EXTRA)))
$(eval $(call fuzz_target,hcall,tests/fuzz/fuzz_hcall.c tests/fuzz/pvxd_harness.c \
	$(FZ_PVXD_SRCS),$(O)/obj/tests/fuzz/pvxd_harness.o $(FZ_PVXD_LINK),\
	$(LIBEVENT_LIBS) -lpthread,$(FZ_PVXD_EXTRA)))

# pvxd's state blob (docs/migration-hv.md): the parser alone.
$(eval $(call fuzz_target,state,tests/fuzz/fuzz_state.c hypervisor/domain/save_state.c,\
	$(O)/obj/hypervisor/domain/save_state.o))

# Dom0 side: blkif validation, the console ring, the disk and vif specs.
$(eval $(call fuzz_target,blkif,tests/fuzz/fuzz_blkif.c pv-drivers/blk/back/validate.c,\
	$(O)/obj/pv-drivers/blk/back/validate.o))
$(eval $(call fuzz_target,console,tests/fuzz/fuzz_console.c dom0-tools/consoled/ring.c,\
	$(O)/obj/dom0-tools/consoled/ring.o))
$(eval $(call fuzz_target,spec,tests/fuzz/fuzz_spec.c $(PVXCFG_SRCS) $(PVXJSON_SRCS),\
	$(O)/lib/libpvxcfg.a $(O)/lib/libpvxjson.a,$(JANSSON_LIBS)))

# Standalone forms of the targets whose libFuzzer rules live elsewhere.
$(O)/tests/fuzz-config: $(O)/obj/tests/fuzz/fuzz_config.o $(O)/obj/tests/fuzz/standalone.o \
		$(O)/lib/libpvxcfg.a $(O)/lib/libpvxjson.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(JANSSON_LIBS)
$(O)/tests/fuzz-elf: $(O)/obj/tests/fuzz/fuzz_elf.o $(O)/obj/tests/fuzz/standalone.o \
		$(O)/obj/dom0-tools/builder/elf.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^
XS_FUZZ_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(filter-out tests/fuzz/fuzz_xenstore.c,$(XS_FUZZ_SRCS)))
$(O)/tests/fuzz-xenstore: $(O)/obj/tests/fuzz/fuzz_xenstore.o $(O)/obj/tests/fuzz/standalone.o \
		$(XS_FUZZ_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS)
PROGRAMS += $(O)/tests/fuzz-config $(O)/tests/fuzz-elf $(O)/tests/fuzz-xenstore

INTEG_TESTS += tests/integration/fuzz-corpus

# The migration stream reader (save files and migration sockets).
$(eval $(call fuzz_target,migstream,tests/fuzz/fuzz_migstream.c $(PVXMIG_SRCS),\
	$(O)/lib/libpvxmig.a,$(CRYPTO_LIBS)))
