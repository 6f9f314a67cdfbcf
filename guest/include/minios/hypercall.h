/*
 * Hypercalls, Xen's x86-64 convention: number in rax, arguments in rdi,
 * rsi, rdx, r10, r8, result in rax. The transport is the platform's
 * (platform.h):
 *   pvh  32-byte stubs "mov $nr,%eax; out %eax,$PVX_HYPERCALL_PORT; ret"
 *        in a page of our .bss, written by the hypervisor (boot.asm wrote
 *        the page's address to the Xen MSR) or by arch/pvh/pvh.c itself;
 *        the `out` works at CPL3 because the TSS I/O bitmap opens the port.
 *   pv   pvxd's read-only page at PVX_PV_HYPERCALL_VA, stubs
 *        "mov $nr,%eax; syscall; ret". `syscall` clobbers rcx and r11,
 *        so every call here declares them clobbered on both platforms.
 *
 * hypercall_raw() skips the page (any number, even past the page's 128
 * stubs): it calls hypercall_raw_entry with the number in rax (pvh: an
 * `out; ret` in boot.asm; pv: PVX_PV_RAW_HYPERCALL). For the hostile
 * tests and the benchmark.
 */
#ifndef MINIOS_HYPERCALL_H
#define MINIOS_HYPERCALL_H

#include <stdint.h>

#include <pvx/abi.h>
#include <xen/public/xen.h>

#define HYPERCALL_STUB_SIZE PVX_HYPERCALL_STUB_SIZE
#define HYPERCALL_NR_STUBS  (4096 / HYPERCALL_STUB_SIZE)

/* Set by the platform's hypercall_init() before the first hypercall. */
extern const uint8_t *hypercall_stubs;
extern const void *hypercall_raw_entry;

static inline long hypercall5(unsigned nr, uint64_t a1, uint64_t a2,
			      uint64_t a3, uint64_t a4, uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	const void *stub = hypercall_stubs + (nr % HYPERCALL_NR_STUBS) * HYPERCALL_STUB_SIZE;
	long ret;

	__asm__ volatile("call *%[stub]"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			 : [stub] "r"(stub)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long hypercall_raw(uint64_t nr, uint64_t a1, uint64_t a2,
				 uint64_t a3, uint64_t a4, uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	long ret = (long)nr;

	__asm__ volatile("call *%[entry]"
			 : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			 : [entry] "r"(hypercall_raw_entry)
			 : "rcx", "r11", "memory");
	return ret;
}

#define HYPERCALL2(nr, a, b) hypercall5(nr, (uint64_t)(a), (uint64_t)(b), 0, 0, 0)
#define HYPERCALL3(nr, a, b, c) \
	hypercall5(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0, 0)

static inline long xen_version(int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline long console_io(int cmd, unsigned count, const void *buf)
{
	return HYPERCALL3(__HYPERVISOR_console_io, cmd, count, buf);
}

static inline long sched_op(int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long memory_op(int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_memory_op, cmd, arg);
}

static inline long hvm_op(int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_hvm_op, cmd, arg);
}

static inline long vcpu_op(int cmd, unsigned vcpu, void *arg)
{
	return HYPERCALL3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline long event_channel_op(int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long set_timer_op(uint64_t timeout_abs_ns)
{
	return HYPERCALL2(__HYPERVISOR_set_timer_op, timeout_abs_ns, 0);
}

#endif /* MINIOS_HYPERCALL_H */
