# The split block driver's Dom0 side (docs/block.md): libpvxblkback (the
# pure and engine modules: validation, grants, io_uring, rings, the xenbus
# state machine), the pvx-blkback daemon and unit-blk. The daemon maps
# guest pages through libpvxgnttab; it is built once a fragment names that
# library, so this fragment parses and builds at every stage of the tree.

blk_comma := ,
BLKBACK_CORE_SRCS := $(addprefix pv-drivers/back/blk/,validate.c gnt.c gnt_many.c io.c ring.c \
	ring_done.c fsm.c)
$(eval $(call host_lib,pvxblkback,$(BLKBACK_CORE_SRCS)))

BLKBACK_DAEMON_SRCS := $(filter-out $(BLKBACK_CORE_SRCS),$(sort $(wildcard pv-drivers/back/blk/*.c)))
BLKBACK_DAEMON_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(BLKBACK_DAEMON_SRCS))
BLK_HAVE_GNTTAB := $(strip $(foreach f,$(filter-out pv-drivers/blk.mk,$(wildcard */*.mk)),\
	$(findstring host_lib$(blk_comma)pvxgnttab,$(file < $(f)))))

$(O)/bin/pvx-blkback: $(BLKBACK_DAEMON_OBJS) $(O)/lib/libpvxblkback.a $(O)/lib/libpvxutil.a \
		$(O)/lib/libpvxgnttab.a $(O)/lib/libpvxxs.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) -luring

ifneq ($(BLK_HAVE_GNTTAB),)
PROGRAMS += $(O)/bin/pvx-blkback
endif

UNIT_BLK_SRCS := $(sort $(wildcard tests/unit/blk/*.c))
UNIT_BLK_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_BLK_SRCS))

# The vdev table test links the toolstack's vbd helper (and libpvxxs under it).
$(O)/tests/unit-blk: $(UNIT_BLK_OBJS) $(O)/lib/libpvxblkback.a \
		$(O)/obj/dom0-tools/pvx/cmd_block_dev.o $(O)/lib/libpvxxs.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -luring $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-blk
INTEG_TESTS += $(sort $(filter-out %.c %.sh,$(wildcard tests/integration/blk-*)))

# minios blkfront (guest/front/blk*.c), linked into minios.
MINIOS_EXTRA_C += $(sort $(wildcard guest/front/blk*.c))

# The host baseline of tests/bench/blk-bench (same rows as blk-bench).
$(O)/tests/blk-native: $(O)/obj/tests/bench/blk_native.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -luring
PROGRAMS += $(O)/tests/blk-native

# unit-blkfront: minios blkfront's handshake (guest/front/blkfront.c, built
# for the host) against faked minios services (tests/unit/blkfront/).
UNIT_BLKFRONT_OBJS := $(O)/obj/tests/unit/blkfront/test_handshake.o \
	$(O)/obj/tests/unit/blkfront/fake_minios.o $(O)/obj/guest/front/blkfront.o
$(UNIT_BLKFRONT_OBJS): HOST_CFLAGS += -Iguest/include
$(O)/tests/unit-blkfront: $(UNIT_BLKFRONT_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-blkfront

# The backend's own per-request cost, no guest (tests/bench/blk_backend.c).
$(O)/tests/blk-backend-bench: $(O)/obj/tests/bench/blk_backend.o $(O)/lib/libpvxblkback.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -luring
PROGRAMS += $(O)/tests/blk-backend-bench
