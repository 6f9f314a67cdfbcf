/*
 * Constants and struct offsets for the nasm code, generated from the C
 * definitions so the two can never disagree (STYLE.md §16).
 *
 * This file is compiled to assembly only; each DEFINE leaves a line
 * "->NAME value" in the .s output, which minios.mk turns into
 * "%define NAME value" in $(O)/gen/minios/asm-offsets.inc.
 */
#include <stddef.h>

#include <pvx/abi.h>
#include <pvx/ctl.h>
#include <pvx/pv.h>
#include <xen/public/elfnote.h>
#include <xen/public/sched.h>
#include <xen/public/xen.h>

#include <minios/arch.h>
#include <minios/platform.h>
#include <minios/sched.h>

#define DEFINE(name, value) \
	__asm__ volatile("\n.ascii \"->" #name " %c0\"" : : "i"(value))
#define OFFSET(name, type, member) DEFINE(name, offsetof(type, member))

void asm_offsets(void);

void asm_offsets(void)
{
	OFFSET(TF_RAX, struct trap_frame, rax);
	OFFSET(TF_RBX, struct trap_frame, rbx);
	OFFSET(TF_RCX, struct trap_frame, rcx);
	OFFSET(TF_RDX, struct trap_frame, rdx);
	OFFSET(TF_RSI, struct trap_frame, rsi);
	OFFSET(TF_RDI, struct trap_frame, rdi);
	OFFSET(TF_RBP, struct trap_frame, rbp);
	OFFSET(TF_R8, struct trap_frame, r8);
	OFFSET(TF_R9, struct trap_frame, r9);
	OFFSET(TF_R10, struct trap_frame, r10);
	OFFSET(TF_R11, struct trap_frame, r11);
	OFFSET(TF_R12, struct trap_frame, r12);
	OFFSET(TF_R13, struct trap_frame, r13);
	OFFSET(TF_R14, struct trap_frame, r14);
	OFFSET(TF_R15, struct trap_frame, r15);
	OFFSET(TF_VECTOR, struct trap_frame, vector);
	OFFSET(TF_ERROR, struct trap_frame, error);
	OFFSET(TF_RIP, struct trap_frame, rip);
	OFFSET(TF_CS, struct trap_frame, cs);
	OFFSET(TF_RFLAGS, struct trap_frame, rflags);
	OFFSET(TF_RSP, struct trap_frame, rsp);
	OFFSET(TF_SS, struct trap_frame, ss);
	OFFSET(TF_CR2, struct trap_frame, cr2);
	DEFINE(TF_SIZE, sizeof(struct trap_frame));

	OFFSET(TSS_RSP0, struct x86_tss, rsp[0]);
	OFFSET(TSS_IST1, struct x86_tss, ist[0]);
	OFFSET(TSS_IOMAP_BASE_FIELD, struct x86_tss, iomap_base);
	DEFINE(TSS_IOMAP_BASE, sizeof(struct x86_tss));

	OFFSET(THREAD_CTX_RSP, struct sched_context, rsp);

	DEFINE(UPCALL_VECTOR, MINIOS_UPCALL_VECTOR);
	DEFINE(HCALL_PORT, PVX_HYPERCALL_PORT);
	DEFINE(BENCH_PORT, MINIOS_BENCH_PORT);
	DEFINE(SPECIAL_PFN, PVX_SPECIAL_GPA >> 12); /* "i" takes only 32-bit values */
	DEFINE(SPECIAL_PAGES, PVX_SPECIAL_PAGES);
	DEFINE(HC_SCHED_OP, __HYPERVISOR_sched_op);
	DEFINE(SCHEDOP_SHUTDOWN_NR, SCHEDOP_shutdown);
	DEFINE(SHUTDOWN_CRASH_NR, SHUTDOWN_crash);
	DEFINE(ELFNOTE_PHYS32_ENTRY, XEN_ELFNOTE_PHYS32_ENTRY);
	DEFINE(PVX_NOTE_PV_ENTRY, PVX_ELFNOTE_PV_ENTRY);
	DEFINE(BOOT_STACK_SIZE, MINIOS_BOOT_STACK_SIZE);
}
