/*
 * trap_report: the C half of a fatal trap. traps.inc saved the registers
 * into trap_frame at CPL0 and "returned" here at CPL3 on the crash stack,
 * so printing runs natively. The report goes to console_io directly (the
 * hypervisor log survives even if the ring backend is gone), then the
 * domain shuts down with SHUTDOWN_crash. A trap inside this function is
 * caught by traps.inc, which shuts down from CPL0.
 */
#include <xen/public/sched.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/minios.h>

void trap_report(const struct trap_frame *tf) __attribute__((noreturn));

static const char *const trap_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound", "#UD invalid opcode", "#NM no FPU",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization",
	"#CP control protection", "reserved 22", "reserved 23", "reserved 24",
	"reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

static void report_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void report_line(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	/* Always both sinks: the hypervisor log outlives a dead backend. */
	console_write(buf, (size_t)n);
	if (!console_reaches_xen())
		console_io(CONSOLEIO_write, (unsigned)n, buf);
}

void trap_report(const struct trap_frame *tf)
{
	const char *name = tf->vector < 32 ? trap_names[tf->vector] : "interrupt";

	report_line("minios: FATAL TRAP %lu (%s) err=0x%lx at cpl%lu\n",
		    (unsigned long)tf->vector, name, (unsigned long)tf->error,
		    (unsigned long)(tf->cs & 3));
	report_line("  rip=%016lx cs=%04lx rflags=%016lx\n", tf->rip, tf->cs, tf->rflags);
	report_line("  rsp=%016lx ss=%04lx cr2=%016lx\n", tf->rsp, tf->ss, tf->cr2);
	report_line("  rax=%016lx rbx=%016lx rcx=%016lx\n", tf->rax, tf->rbx, tf->rcx);
	report_line("  rdx=%016lx rsi=%016lx rdi=%016lx\n", tf->rdx, tf->rsi, tf->rdi);
	report_line("  rbp=%016lx r8 =%016lx r9 =%016lx\n", tf->rbp, tf->r8, tf->r9);
	report_line("  r10=%016lx r11=%016lx r12=%016lx\n", tf->r10, tf->r11, tf->r12);
	report_line("  r13=%016lx r14=%016lx r15=%016lx\n", tf->r13, tf->r14, tf->r15);
	minios_shutdown(SHUTDOWN_crash);
}
