# Xen ABI headers (hypervisor/include/xen/public, pvx/abi.h): header-only,
# so the only build product is the layout test that pins them.

UNIT_ABI_SRCS := tests/unit/abi/test_abi.c tests/unit/abi/main.c
UNIT_ABI_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_ABI_SRCS))

$(O)/tests/unit-abi: $(UNIT_ABI_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

UNIT_TESTS += $(O)/tests/unit-abi

# Every ABI header must compile on its own, with no host headers but
# <stdint.h>: `make abi-headers-check`.
ABI_HEADERS := $(shell find hypervisor/include/xen/public -name '*.h') hypervisor/include/pvx/abi.h

abi-headers-check:
	@set -e; for h in $(ABI_HEADERS); do \
		$(HOST_CC) $(GUEST_CFLAGS) -fsyntax-only -x c $$h; done; \
		echo "abi headers: $(words $(ABI_HEADERS)) compile standalone"

.PHONY: abi-headers-check
