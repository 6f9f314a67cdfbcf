# pvx: one non-recursive build. Each directory contributes a *.mk fragment
# that appends to the lists below; nothing here knows what a component
# contains. Outputs go to out/ (never committed).
#
#   make            build every program, library and the guest kernels
#   make demo       install missing packages, build, run the main job
#   make check      install missing packages, build, run every test
#   make check SANITIZE=1   the same with ASan/UBSan on host code

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
# $(O)/fuzz-corpus/NAME, crash files to $(O)/fuzz-artifacts/.
FUZZ_SECONDS ?= 10
fuzz: deps $(FUZZERS)
	@set -e; mkdir -p $(O)/fuzz-artifacts; for f in $(FUZZERS); do \
		n=$$(basename $$f); n=$${n#fuzz_}; echo "fuzz $$n ($(FUZZ_SECONDS)s)"; \
		mkdir -p $(O)/fuzz-corpus/$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -rss_limit_mb=2048 \
			-artifact_prefix=$(O)/fuzz-artifacts/$$n- $(O)/fuzz-corpus/$$n \
			$$(test -d tests/fuzz/corpus/$$n && echo tests/fuzz/corpus/$$n); done

clean:
	rm -rf out

.PHONY: all build-all deps check demo clean fuzz
.DELETE_ON_ERROR:
