# `make linux`: the patched Linux 6.1 PVH guest (guest-patches/README.md,
# docs/linux.md). Not part of build-all: the first kernel build takes
# minutes. Each output is remade only when its inputs change, so a second
# `make linux` with nothing changed returns at once; guest-patches/build-linux
# does the work and is idempotent on its own too.
#
#   out/linux/vmlinux            the kernel (PVH entry note)
#   out/linux/initramfs.cpio     busybox-static + /init + /bin/pvx-test,
#                                pvx-bench, pvx-io (examples/linux.cfg)
#   out/linux/initramfs.cpio.gz  the same, gzip'd
#   out/linux/disk.img           64 MiB ext4 for xvda (the guest writes to it)
#
# PVX_LINUX_KVM_PVM=1|0|auto picks the kvm_pvm workaround patches
# (guest-patches/kvm-pvm/); auto applies them when /dev/kvm is kvm_pvm.

LINUX_OUT := out/linux
LINUX_SOURCE ?= /usr/src/linux-source-6.1.tar.xz
PVX_LINUX_KVM_PVM ?= auto
export PVX_LINUX_KVM_PVM

# The workaround choice is an input of the kernel: record it in a file
# that changes only when the choice does.
LINUX_KVM_PVM_NOW := $(shell PVX_LINUX_KVM_PVM=$(PVX_LINUX_KVM_PVM) guest-patches/build-linux detect-kvm-pvm 2>/dev/null)
$(LINUX_OUT)/kvm-pvm.choice: FORCE-LINUX
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = "$(LINUX_KVM_PVM_NOW)" ] || echo "$(LINUX_KVM_PVM_NOW)" > $@

$(LINUX_OUT)/vmlinux: guest-patches/build-linux guest-patches/pvh-domu.config \
		$(wildcard guest-patches/*.patch guest-patches/kvm-pvm/*.patch) \
		$(LINUX_OUT)/kvm-pvm.choice $(wildcard $(LINUX_SOURCE))
	PVX_LINUX_SOURCE=$(LINUX_SOURCE) guest-patches/build-linux kernel

$(LINUX_OUT)/initramfs.cpio.gz: guest-patches/build-linux \
		$(wildcard guest-patches/initramfs/*) | $(LINUX_OUT)/vmlinux
	guest-patches/build-linux initramfs

# Written by the same step as the .gz, just after it.
$(LINUX_OUT)/initramfs.cpio: $(LINUX_OUT)/initramfs.cpio.gz
	@[ -f $@ ] || guest-patches/build-linux initramfs

$(LINUX_OUT)/disk.img: $(wildcard guest-patches/disk/*)
	guest-patches/build-linux disk

linux: $(LINUX_OUT)/vmlinux $(LINUX_OUT)/initramfs.cpio.gz $(LINUX_OUT)/initramfs.cpio \
	$(LINUX_OUT)/disk.img

.PHONY: linux FORCE-LINUX
