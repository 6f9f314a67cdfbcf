# pvx: one non-recursive build. Each directory contributes a *.mk fragment
# that appends to the lists below; nothing here knows what a component
# contains. Outputs go to out/ (never committed).
#
#   make            build every program, library and the guest kernels
#   make demo       install missing packages, build, run the main job
#   make check      install missing packages, build, run every test
#   make check SANITIZE=1   the same with ASan/UBSan on host code
#   make linux      the patched Linux 6.1 PVH guest in out/linux/ (docs/linux.md)

O := out
# Guest kernels are freestanding and never sanitized: one build of them,
# in out/ whatever O is, serves both modes (configs point at out/guest/).
GO := out
SANITIZE ?= 0

HOST_CC ?= gcc
# Each driver class (pv-drivers/CLASS/) keeps its contract header at its top.
DRIVER_INCLUDES := $(patsubst %/,-I%,$(sort $(dir $(wildcard pv-drivers/*/*.h))))
WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -D_GNU_SOURCE -fno-common \
	-Ihypervisor/include -Ipv-drivers/include $(DRIVER_INCLUDES) -Ixenbus/include \
	-Idom0-tools/include
HOST_LDFLAGS :=
ifeq ($(SANITIZE),1)
HOST_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
HOST_LDFLAGS += -fsanitize=address,undefined
O := out/san
endif

# Guest code: freestanding, no SSE/x87 (kvm_pvm rejects XSAVE/FPU paths, see
# docs/kvm-pvm.md), no red zone because traps run on the same stack.
GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-common -nostdlib \
	-mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -Ihypervisor/include \
	-Ipv-drivers/include $(DRIVER_INCLUDES) -Iguest/include
NASM := nasm

LIBEVENT_LIBS := $(shell pkg-config --libs libevent 2>/dev/null || echo -levent)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

# Filled in by the fragments.
PROGRAMS :=
GUESTS :=
UNIT_TESTS :=
INTEG_TESTS :=
FUZZERS :=

all: build-all

include build/rules.mk
# Guest fragments come last: driver fragments add frontends to
# MINIOS_EXTRA_C before guest/minios.mk reads it.
include $(sort $(wildcard hypervisor/*.mk xenbus/*.mk pv-drivers/*.mk pv-drivers/*/*.mk \
	dom0-tools/*.mk tests/*.mk))
include $(sort $(wildcard guest/*.mk))
# Fuzz targets name other fragments' source lists: last.
include tests/fuzz/fuzz.mk
# `make linux`: the patched Linux guest (not in build-all: minutes).
include guest-patches/linux.mk

build-all: $(PROGRAMS) $(GUESTS) $(UNIT_TESTS)

deps:
	@build/install-deps

check: deps
	@$(MAKE) --no-print-directory build-all
	@O=$(O) build/run-tests $(UNIT_TESTS) -- $(INTEG_TESTS)

demo: deps
	@$(MAKE) --no-print-directory build-all
	@O=$(O) build/demo

# Each FUZZERS entry is a libFuzzer binary fuzz_NAME, seeded from
# tests/fuzz/corpus/NAME; FUZZ_SECONDS bounds each run. New inputs go to
# $(O)/fuzz-corpus/NAME, crash files to $(O)/fuzz-artifacts/. One target
# per job: `make -j2 fuzz` runs two at a time.
FUZZ_SECONDS ?= 10
FUZZ_NAMES := $(patsubst fuzz_%,%,$(notdir $(FUZZERS)))
fuzz: $(addprefix fuzz-run-,$(FUZZ_NAMES))
fuzz-run-%: deps $(O)/fuzz/fuzz_%
	@mkdir -p $(O)/fuzz-artifacts $(O)/fuzz-corpus/$*
	@echo "fuzz $* ($(FUZZ_SECONDS)s)"
	@$(O)/fuzz/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-rss_limit_mb=2048 -artifact_prefix=$(O)/fuzz-artifacts/$*- \
		$(O)/fuzz-corpus/$* $$(test -d tests/fuzz/corpus/$* && echo tests/fuzz/corpus/$*) \
		> $(O)/fuzz-artifacts/$*.log 2>&1 || { tail -30 $(O)/fuzz-artifacts/$*.log; exit 1; }
	@grep -E '^stat::number_of_executed_units|^Done' $(O)/fuzz-artifacts/$*.log | sed 's/^/  $*: /'

# Soak test (tests/soak/, docs/reliability.md): SOAK_CYCLES (1000)
# create/destroy cycles of SOAK_TYPE (pv, the faster; or pvh) guests with
# leak checks; not part of make check.
SOAK_CYCLES ?= 1000
SOAK_TYPE ?= pv
soak: deps
	@$(MAKE) --no-print-directory build-all
	@O=$(O) SOAK_CYCLES=$(SOAK_CYCLES) PVX_TEST_TYPE=$(SOAK_TYPE) tests/soak/soak.sh

clean:
	rm -rf out

.PHONY: all build-all deps check demo clean fuzz soak
.DELETE_ON_ERROR:
