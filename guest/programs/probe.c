/*
 * probe: runs single instructions at CPL3 and reports how the CPU (here:
 * kvm_pvm) answers each one, for docs/kvm-pvm.md. traps.inc's probe mode
 * turns the next trap into "record the vector, resume at the label after
 * the instruction" instead of a fatal report. Output, one line each:
 *   probe: <instruction> -> no trap | vector N (name) err 0xE [| value]
 * Ends with PASS; the lines are the result.
 *
 * pvh only: the probe mode lives in pvh's CPL0 trap code. On pv there is
 * no IDT of ours and every fault ends the domain, so the program prints
 * "SKIP probe: ..." and exits 0.
 */
#include <minios/arch.h>
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/platform.h>
#include <minios/program.h>

#include "programs.h"

extern volatile uint64_t probe_resume, probe_vector, probe_error;

#define NO_TRAP UINT64_MAX

/* Arms the probe, runs insn (an asm string, clobbering at most rax, rcx,
 * rdx, r11) and disarms; label 1 is where a trap resumes. */
#define PROBE(insn, out)                                                  \
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"                       \
			 "mov %%rax, probe_resume(%%rip)\n\t"               \
			 "movq $-1, probe_vector(%%rip)\n\t"                \
			 insn "\n"                                          \
			 "1:\n\t"                                           \
			 "movq $0, probe_resume(%%rip)\n\t"                 \
			 "mov %%rax, %0"                                    \
			 : "=r"(out)                                        \
			 :                                                  \
			 : "rax", "rcx", "rdx", "r11", "memory", "cc")

static void report(const char *what, uint64_t value, int show_value)
{
	uint64_t v = probe_vector;

	if (v == NO_TRAP && show_value)
		printk("probe: %-28s -> no trap, result 0x%lx\n", what, value);
	else if (v == NO_TRAP)
		printk("probe: %-28s -> no trap\n", what);
	else
		printk("probe: %-28s -> vector %lu err 0x%lx\n", what, v, probe_error);
}

#define RUN(name, insn, show)            \
	do {                             \
		uint64_t r_;             \
		PROBE(insn, r_);         \
		report(name, r_, show);  \
	} while (0)

int prog_probe(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!platform_is_pvh())
		return skip("probe: pvh only (CPL0 trap probes; on %s a fault ends the domain)",
			    platform->name);
	RUN("pushf (IOPL, IF)", "pushf; pop %%rax", 1);
	RUN("cli", "cli", 0);
	RUN("sti", "sti", 0);
	RUN("hlt", "hlt", 0);
	RUN("int3", "int3", 0);
	RUN("int $0x80", "int $0x80", 0);
	RUN("ud2", "ud2", 0);
	RUN("syscall", "syscall", 0);
	RUN("out %al,$0x80 (closed port)", "xor %%eax, %%eax; out %%al, $0x80", 0);
	RUN("in $0x71,%al (closed port)", "in $0x71, %%al", 0);
	RUN("mov %cr3,%rax", "mov %%cr3, %%rax", 0);
	RUN("rdmsr 0x10 (TSC)", "mov $0x10, %%ecx; rdmsr", 0);
	RUN("wbinvd", "wbinvd", 0);
	RUN("rdtsc", "rdtsc", 1);
	RUN("rdtscp", "rdtscp", 1);
	RUN("rdpid", "rdpid %%rax", 1);
	RUN("sgdt (UMIP?)", "sub $16, %%rsp; sgdt (%%rsp); mov 2(%%rsp), %%rax; add $16, %%rsp", 1);
	RUN("smsw", "smsw %%rax", 1);
	RUN("mov %cs,%rax", "mov %%cs, %%rax", 1);
	RUN("mov %ss,%rax", "mov %%ss, %%rax", 1);
	RUN("popcnt", "mov $0xF0F0, %%rcx; popcnt %%rcx, %%rax", 1);
	RUN("read of page 0", "mov 0x10, %%rax", 0);
	RUN("read of a .boot page", "mov 0x100000, %%rax", 0);
	return pass("probe: %u instructions probed", 23u);
}
