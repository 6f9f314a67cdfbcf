# Xen ABI headers (hypervisor/include/xen/public, pvx/abi.h): header-only,
# so the only build product is the layout test that pins them.

UNIT_ABI_SRCS := tests/unit/abi/test_abi.c tests/unit/abi/main.c
UNIT_ABI_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_ABI_SRCS))

$(O)/tests/unit-abi: $(UNIT_ABI_OBJS) | $(O)/gen/abi-headers.stamp
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

UNIT_TESTS += $(O)/tests/unit-abi

# Every ABI header must compile on its own with the freestanding guest
# flags (no host headers but <stdint.h>). unit-abi depends on the stamp;
# `make abi-headers-check` forces the check.
ABI_HEADERS := $(shell find hypervisor/include/xen/public -name '*.h') hypervisor/include/pvx/abi.h

$(O)/gen/abi-headers.stamp: $(ABI_HEADERS)
	@mkdir -p $(@D)
	@set -e; for h in $(ABI_HEADERS); do \
		$(HOST_CC) $(GUEST_CFLAGS) -fsyntax-only -x c $$h; done
	@echo "abi headers: $(words $(ABI_HEADERS)) compile standalone"
	@touch $@

abi-headers-check:
	@rm -f $(O)/gen/abi-headers.stamp
	@$(MAKE) --no-print-directory $(O)/gen/abi-headers.stamp

.PHONY: abi-headers-check
