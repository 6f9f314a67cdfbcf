# The split block driver (docs/block.md), one folder: the contract
# (blkif.h), Dom0's side in back/ (libpvxblkback: validation, grants,
# io_uring, rings, the xenbus state machine; the pvx-blkback daemon) and
# minios's blkfront in front/, with their unit tests.

BLKBACK_CORE_SRCS := $(addprefix pv-drivers/blk/back/,validate.c gnt.c gnt_many.c io.c ring.c \
	ring_done.c fsm.c)
$(eval $(call host_lib,pvxblkback,$(BLKBACK_CORE_SRCS)))

BLKBACK_DAEMON_SRCS := $(filter-out $(BLKBACK_CORE_SRCS),$(sort $(wildcard pv-drivers/blk/back/*.c)))
BLKBACK_DAEMON_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(BLKBACK_DAEMON_SRCS))

$(O)/bin/pvx-blkback: $(BLKBACK_DAEMON_OBJS) $(O)/lib/libpvxblkback.a $(O)/lib/libpvxbackd.a \
		$(O)/lib/libpvxutil.a $(O)/lib/libpvxgnttab.a $(O)/lib/libpvxxs.a $(O)/lib/libpvxctl.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(LIBEVENT_LIBS) -luring

PROGRAMS += $(O)/bin/pvx-blkback

UNIT_BLK_SRCS := $(sort $(wildcard tests/unit/blk/*.c))
UNIT_BLK_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_BLK_SRCS))

# The vdev table test links the toolstack's vbd helper (and libpvxxs under it).
$(O)/tests/unit-blk: $(UNIT_BLK_OBJS) $(O)/lib/libpvxblkback.a \
		$(O)/obj/dom0-tools/pvx/cmd_block_dev.o $(O)/lib/libpvxxs.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -luring $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-blk
INTEG_TESTS += $(sort $(filter-out %.c %.sh,$(wildcard tests/integration/blk-*)))

# minios blkfront (pv-drivers/blk/front/blk*.c), linked into minios.
MINIOS_EXTRA_C += $(sort $(wildcard pv-drivers/blk/front/blk*.c))

# The host baseline of tests/bench/blk-bench (same rows as blk-bench).
$(O)/tests/blk-native: $(O)/obj/tests/bench/blk_native.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -luring
PROGRAMS += $(O)/tests/blk-native

# unit-blkfront: minios blkfront's handshake (pv-drivers/blk/front/blkfront.c, built
# for the host) against faked minios services (tests/unit/blkfront/).
UNIT_BLKFRONT_OBJS := $(O)/obj/tests/unit/blkfront/test_handshake.o \
	$(O)/obj/tests/unit/blkfront/fake_minios.o $(O)/obj/pv-drivers/blk/front/blkfront.o \
	$(O)/obj/tests/unit/frontfake/fake_xs.o $(O)/obj/guest/kernel/xenbus_front.o
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

# unit-blkbackd: the daemon's writes into B (vbd_xs.c: only while B
# exists) against a fake xenstore (tests/unit/blkbackd/).
UNIT_BLKBACKD_OBJS := $(O)/obj/tests/unit/blkbackd/test_xs.o $(O)/obj/pv-drivers/blk/back/vbd_xs.o \
	$(O)/obj/pv-drivers/common/backd_xs.o
$(O)/obj/tests/unit/blkbackd/test_xs.o: HOST_CFLAGS += -Ipv-drivers/blk/back
$(O)/tests/unit-blkbackd: $(UNIT_BLKBACKD_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread
UNIT_TESTS += $(O)/tests/unit-blkbackd
