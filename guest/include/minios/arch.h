/*
 * x86-64 facts minios shares between C and its nasm boot code: the trap
 * frame the CPL0 stubs fill, the 64-bit TSS layout, selectors, and the
 * few instructions C needs (rdtsc, cpuid, pause, barriers).
 *
 * The nasm side never hard-codes an offset: guest/arch/asm-offsets.c
 * turns these structs into minios/asm-offsets.inc at build time.
 *
 * Everything here must be legal at CPL3 on kvm_pvm (docs/kvm-pvm.md):
 * rdtsc, cpuid and pause are; cli/sti/hlt are not.
 */
#ifndef MINIOS_ARCH_H
#define MINIOS_ARCH_H

#include <stdint.h>

#include <pvx/abi.h>

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23
#define SEL_TSS   0x28

#define LAPIC_BASE 0xFEE00000u
#define LAPIC_EOI  0x0B0u

/*
 * A port nothing handles, opened to CPL3 in the TSS I/O bitmap: the
 * hypercall benchmark compares a hypercall with a bare exit through it.
 */
#define MINIOS_BENCH_PORT 0xEF

/* The IDT vector the hypervisor injects for event-channel upcalls. */
#define MINIOS_UPCALL_VECTOR PVX_UPCALL_VECTOR

/* Registers at a trap, in the order traps.inc stores them. */
struct trap_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error, rip, cs, rflags, rsp, ss, cr2;
};

/* The 64-bit TSS (Intel SDM vol. 3, 8.7); the I/O bitmap follows it. */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0));
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* Compiler barrier; x86 keeps loads and stores to normal memory in order
 * except store->load, which only mb() orders. */
#define barrier() __asm__ volatile("" ::: "memory")
#define rmb()     barrier()
#define wmb()     barrier()
#define mb()      __asm__ volatile("mfence" ::: "memory")

#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif /* MINIOS_ARCH_H */
