# make check-linux: the Linux guest's integration test (tests/integration/
# linux-boot, docs/linux-boot.md). Not part of `make check`: one boot takes
# minutes on kvm_pvm. Builds the guest with `make linux` first where that
# target exists (guest-patches/); the test skips with one line without KVM
# or without out/linux.
LINUX_TEST_TIMEOUT ?= 2400
check-linux: deps
	@$(MAKE) --no-print-directory build-all
	@if [ -f guest-patches/linux.mk ]; then $(MAKE) --no-print-directory linux; fi
	@O=$(O) PVX_TEST_TIMEOUT=$(LINUX_TEST_TIMEOUT) build/run-tests -- tests/integration/linux-boot
.PHONY: check-linux
