# The shared-ring header (pv-drivers/include/pvx/ring.h) is header-only;
# this fragment builds its unit tests. The freestanding object proves the
# header compiles for guests (GUEST_CFLAGS); unit-ring depends on it.

UNIT_RING_SRCS := tests/unit/ring/test_ring.c tests/unit/ring/test_ring_stress.c \
	tests/unit/ring/main.c
UNIT_RING_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_RING_SRCS))
RING_FREESTANDING_OBJ := $(GO)/gobj/tests/unit/ring/freestanding.o

$(O)/tests/unit-ring: $(UNIT_RING_OBJS) | $(RING_FREESTANDING_OBJ)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-ring
