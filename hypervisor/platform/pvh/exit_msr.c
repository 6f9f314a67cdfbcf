/*
 * exit_msr: MSR exits to user space, and the crash register dump.
 *
 * Writing MSR 0x40000000 (CPUID 0x40000002 EBX) with the GPA of a page
 * asks for Xen's hypercall page there: one 32-byte stub per hypercall
 * number, `mov $nr, %eax; out %eax, $PVX_HYPERCALL_PORT; ret`, padded with
 * int3. Only page index 0 exists (low 12 bits of the value); the page must
 * be guest RAM. Anything else, and every MSR KVM does not know, gets #GP
 * (kvm_run.msr.error = 1), like hardware; unknown ones are logged,
 * rate-limited.
 */
#include <string.h>
#include <sys/ioctl.h>

#include <pvx/abi.h>

#include "dom.h"
#include "pvxd.h"
#include "platform_pvh.h"

static int write_hypercall_page(struct vcpu *v, uint64_t value)
{
	uint64_t gpa = value & ~(uint64_t)(PVX_PAGE_SIZE - 1);
	uint8_t *page;

	if (value & (PVX_PAGE_SIZE - 1))
		return -1; /* page index > 0: we offer one page */
	if (gpa + PVX_PAGE_SIZE > v->d->vm.ram_bytes)
		return -1;
	page = v->d->vm.mem + gpa;
	memset(page, 0xCC, PVX_PAGE_SIZE);
	for (unsigned nr = 0; nr < PVX_PAGE_SIZE / PVX_HYPERCALL_STUB_SIZE; nr++) {
		uint8_t *p = page + nr * PVX_HYPERCALL_STUB_SIZE;

		p[0] = 0xB8;                 /* mov $nr, %eax */
		memcpy(p + 1, &nr, 4);
		p[5] = 0xE7;                 /* out %eax, $imm8 */
		p[6] = PVX_HYPERCALL_PORT;
		p[7] = 0xC3;                 /* ret */
	}
	if (ratelimit_ok(&v->rl)) /* a guest may do this in a loop */
		dlog(v->d, LOG_INFO, "v%u: hypercall page at 0x%llx", v->id,
		 (unsigned long long)gpa);
	return 0;
}

int exit_msr(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	bool wr = run->exit_reason == KVM_EXIT_X86_WRMSR;

	run->msr.error = 1;
	if (wr && run->msr.index == PVX_HYPERCALL_MSR) {
		if (write_hypercall_page(v, run->msr.data) == 0)
			run->msr.error = 0;
		return 0;
	}
	if (!wr)
		run->msr.data = 0;
	if (ratelimit_ok(&v->rl))
		dlog(v->d, LOG_WARN, "v%u: %s of unknown MSR 0x%x (#GP)", v->id, wr ? "write" : "read", run->msr.index);
	return 0;
}

void pvh_dump_regs(struct vcpu *v, const char *why)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	(void)ioctl(v->fd, KVM_GET_REGS, &r);
	(void)ioctl(v->fd, KVM_GET_SREGS, &s);
	dlog(v->d, LOG_ERR, "v%u: %s", v->id, why);
	dlog(v->d, LOG_ERR, "v%u: rip=%016llx rsp=%016llx rflags=%08llx cs=%04x cpl=%u",
		v->id, r.rip, r.rsp, r.rflags, s.cs.selector, s.cs.dpl);
	dlog(v->d, LOG_ERR, "v%u: rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx",
		v->id, r.rax, r.rbx, r.rcx, r.rdx);
	dlog(v->d, LOG_ERR, "v%u: rsi=%016llx rdi=%016llx rbp=%016llx r8=%016llx",
		v->id, r.rsi, r.rdi, r.rbp, r.r8);
	dlog(v->d, LOG_ERR, "v%u: cr0=%llx cr2=%llx cr3=%llx cr4=%llx efer=%llx",
		v->id, s.cr0, s.cr2, s.cr3, s.cr4, s.efer);
}
