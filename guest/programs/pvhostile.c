/*
 * pvhostile WHAT: one attack on the pv sandbox per run (pvx/pv.h), for
 * the tests that check how each one ends. Every behaviour first prints
 *     pvhostile: about to <what>
 * and flushes the console, so a test can match the crash reason pvxd
 * logs against the attempt. Two kinds:
 *   - behaviours that must end the domain as crashed: raw host system
 *     calls from guest RAM (open, fork, clone, mmap, kill(1, SIGKILL),
 *     ptrace, execve), `int $0x80`, `sysenter`, the vsyscall page, a
 *     `syscall` with a valid hypercall number outside the hypercall page,
 *     writes to the hypercall and trampoline pages, a jump to an unmapped
 *     address. If the guest is still running afterwards it prints
 *     "FAIL pvhostile: WHAT ..." (the sandbox let it through).
 *   - `wild`: hypercalls whose arguments point at what is mapped in the
 *     process but is not guest RAM (the hypercall and trampoline pages),
 *     past the special pages, with huge counts, and unknown numbers
 *     through PVX_PV_RAW_HYPERCALL. Each must return an error; prints
 *     every result, then PASS if all failed and the guest still works.
 * On pvh there is no sandbox to attack: "SKIP pvhostile: ...".
 */
#include <pvx/ctl.h>
#include <pvx/pv.h>
#include <xen/public/event_channel.h>
#include <xen/public/grant_table.h>
#include <xen/public/memory.h>
#include <xen/public/sched.h>
#include <xen/public/vcpu.h>
#include <xen/public/version.h>

#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/platform.h>
#include <minios/program.h>

#include "programs.h"

/* Linux x86-64 system call numbers (the host ABI, facts only). */
#define HOST_MMAP    9
#define HOST_CLONE   56
#define HOST_FORK    57
#define HOST_EXECVE  59
#define HOST_KILL    62
#define HOST_PTRACE  101
#define HOST_OPEN    2
#define I386_GETPID  20
#define HOST_SIGKILL 9
#define HOST_SIGCHLD 17

#define UNMAPPED_VA  0x100000000000ull   /* 16 TiB: nothing is mapped there */
#define VSYSCALL_VA  0xFFFFFFFFFF600000ull
#define SPECIAL_END  (PVX_SPECIAL_GPA + PVX_SPECIAL_PAGES * 4096ull)

static const char host_path[] = "/etc/passwd";
static const char host_sh[] = "/bin/sh";
static const char *const host_argv[] = { host_sh, NULL };

/* A `syscall` instruction here, in guest RAM: never a hypercall. */
static long host_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret = nr;

	__asm__ volatile("syscall"
			 : "+a"(ret)
			 : "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static long do_open(void)
{
	return host_syscall(HOST_OPEN, (long)host_path, 0, 0, 0, 0, 0);
}

static long do_fork(void)
{
	return host_syscall(HOST_FORK, 0, 0, 0, 0, 0, 0);
}

static long do_clone(void)
{
	return host_syscall(HOST_CLONE, HOST_SIGCHLD, 0, 0, 0, 0, 0);
}

static long do_mmap(void)
{
	/* mmap(NULL, 4096, RWX, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) */
	return host_syscall(HOST_MMAP, 0, 4096, 7, 0x22, -1, 0);
}

static long do_kill(void)
{
	return host_syscall(HOST_KILL, 1, HOST_SIGKILL, 0, 0, 0, 0);
}

static long do_ptrace(void)
{
	return host_syscall(HOST_PTRACE, 0 /* PTRACE_TRACEME */, 0, 0, 0, 0, 0);
}

static long do_execve(void)
{
	return host_syscall(HOST_EXECVE, (long)host_sh, (long)host_argv, 0, 0, 0, 0);
}

static long do_int80(void)
{
	long ret = I386_GETPID;

	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
	return ret;
}

static long do_sysenter(void)
{
	long ret = I386_GETPID;

	__asm__ volatile("sysenter" : "+a"(ret) : : "rcx", "rdx", "r11", "memory");
	return ret;
}

static long do_vsyscall(void)
{
	long (*gettimeofday_vsys)(void *, void *) = (void *)(uintptr_t)VSYSCALL_VA;

	return gettimeofday_vsys(NULL, NULL);
}

static long do_syscall_outside(void)
{
	return host_syscall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0, 0);
}

static long do_write_hcpage(void)
{
	*(volatile uint8_t *)(uintptr_t)PVX_PV_HYPERCALL_VA = 0xC3;
	return 0;
}

static long do_write_trampoline(void)
{
	*(volatile uint8_t *)(uintptr_t)PVX_PV_TRAMPOLINE_VA = 0xC3;
	return 0;
}

static long do_jump_unmapped(void)
{
	long (*fn)(void) = (void *)(uintptr_t)UNMAPPED_VA;

	return fn();
}

struct fatal {
	const char *name;
	const char *what;
	long (*run)(void);
};

static const struct fatal fatals[] = {
	{ "open", "open(\"/etc/passwd\") by a raw syscall", do_open },
	{ "fork", "fork() by a raw syscall", do_fork },
	{ "clone", "clone(SIGCHLD) by a raw syscall", do_clone },
	{ "mmap", "mmap(RWX anonymous) by a raw syscall", do_mmap },
	{ "kill", "kill(1, SIGKILL) by a raw syscall", do_kill },
	{ "ptrace", "ptrace(PTRACE_TRACEME) by a raw syscall", do_ptrace },
	{ "execve", "execve(\"/bin/sh\") by a raw syscall", do_execve },
	{ "int80", "int $0x80 (i386 getpid)", do_int80 },
	{ "sysenter", "sysenter (i386 getpid)", do_sysenter },
	{ "vsyscall", "call the vsyscall page (gettimeofday)", do_vsyscall },
	{ "syscall-outside", "syscall with hypercall number 17 (xen_version) outside the hypercall page",
	  do_syscall_outside },
	{ "write-hcpage", "write to the hypercall page", do_write_hcpage },
	{ "write-trampoline", "write to the trampoline page", do_write_trampoline },
	{ "jump-unmapped", "jump to unmapped address 0x100000000000", do_jump_unmapped },
};

static void about_to(const char *what)
{
	printk("pvhostile: about to %s\n", what);
	console_flush();
}

static int run_fatal(const struct fatal *f)
{
	long rc;

	about_to(f->what);
	rc = f->run();
	return fail("pvhostile: %s: still running after it (returned %ld): the sandbox let it through",
		    f->name, rc);
}

/* ---- wild: hypercalls that must fail ---------------------------------- */

struct wild {
	const char *what;
	uint64_t nr, a1, a2, a3;
};

#define P(x) ((uint64_t)(uintptr_t)(x))
#define HCPAGE PVX_PV_HYPERCALL_VA
#define TRAMP  PVX_PV_TRAMPOLINE_VA

static uint8_t buf[64];
static struct sched_poll poll_hcpage = { .ports = HCPAGE, .nr_ports = 1 };
static struct xen_add_to_physmap xatp_hcpage = {
	.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .gpfn = HCPAGE >> 12,
};
static struct xen_add_to_physmap xatp_tramp = {
	.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .gpfn = TRAMP >> 12,
};
static struct vcpu_register_vcpu_info vi_hcpage = { .mfn = HCPAGE >> 12 };
static struct vcpu_register_vcpu_info vi_tramp = { .mfn = TRAMP >> 12 };
static struct {
	uint16_t type, flags;
	uint32_t pad;
	uint64_t address;
} cb_badtype = { .type = 99, .address = 0x100000 };

static const struct wild wilds[] = {
	{ "raw hypercall 64 (past the table)", 64, 0, 0, 0 },
	{ "raw hypercall 1000", 1000, 0, 0, 0 },
	{ "raw hypercall 0x7fffffff", 0x7FFFFFFFull, 0, 0, 0 },
	{ "raw hypercall 0xffffffff", 0xFFFFFFFFull, 0, 0, 0 },
	{ "console_io write from the hypercall page", __HYPERVISOR_console_io, CONSOLEIO_write, 16, HCPAGE },
	{ "console_io write from the trampoline page", __HYPERVISOR_console_io, CONSOLEIO_write, 16, TRAMP },
	{ "console_io write past the special pages", __HYPERVISOR_console_io, CONSOLEIO_write, 16, SPECIAL_END },
	{ "console_io write across the special pages' end", __HYPERVISOR_console_io, CONSOLEIO_write, 200,
	  SPECIAL_END - 100 },
	{ "console_io write below the hypercall page", __HYPERVISOR_console_io, CONSOLEIO_write, 16,
	  HCPAGE - 4096 },
	{ "console_io write 2^31 bytes", __HYPERVISOR_console_io, CONSOLEIO_write, 1ull << 31, P(buf) },
	{ "console_io write at 16 TiB", __HYPERVISOR_console_io, CONSOLEIO_write, 16, UNMAPPED_VA },
	{ "console_io write at the top of memory", __HYPERVISOR_console_io, CONSOLEIO_write, 16,
	  0xFFFFFFFFFFFFF000ull },
	{ "xen_version extraversion into the hypercall page", __HYPERVISOR_xen_version, XENVER_extraversion,
	  HCPAGE, 0 },
	{ "xen_version extraversion into the trampoline page", __HYPERVISOR_xen_version, XENVER_extraversion,
	  TRAMP, 0 },
	{ "xen_version extraversion into the vsyscall page", __HYPERVISOR_xen_version, XENVER_extraversion,
	  VSYSCALL_VA, 0 },
	{ "sched_op poll ports in the hypercall page", __HYPERVISOR_sched_op, SCHEDOP_poll, P(&poll_hcpage), 0 },
	{ "memory_op shared_info over the hypercall page", __HYPERVISOR_memory_op, XENMEM_add_to_physmap,
	  P(&xatp_hcpage), 0 },
	{ "memory_op shared_info over the trampoline page", __HYPERVISOR_memory_op, XENMEM_add_to_physmap,
	  P(&xatp_tramp), 0 },
	{ "vcpu_op vcpu_info in the hypercall page", __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0,
	  P(&vi_hcpage) },
	{ "vcpu_op vcpu_info in the trampoline page", __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0,
	  P(&vi_tramp) },
	{ "multicall 2^30 entries in the hypercall page", __HYPERVISOR_multicall, HCPAGE, 1u << 30, 0 },
	{ "grant_table_op query_size in the trampoline page", __HYPERVISOR_grant_table_op,
	  GNTTABOP_query_size, TRAMP, 1 },
	{ "callback_op register wild pointer", __HYPERVISOR_callback_op, 0, UNMAPPED_VA, 0 },
	{ "callback_op register type 99", __HYPERVISOR_callback_op, 0, P(&cb_badtype), 0 },
	{ "callback_op bad command", __HYPERVISOR_callback_op, 999, P(buf), 0 },
};

static int run_wild(void)
{
	unsigned i, bad = 0;

	about_to("make wild hypercalls (each must return an error)");
	for (i = 0; i < ARRAY_SIZE(wilds); i++) {
		const struct wild *w = &wilds[i];
		long rc = hypercall_raw(w->nr, w->a1, w->a2, w->a3, 0, 0);

		printk("pvhostile: %-50s -> %ld%s\n", w->what, rc, rc < 0 ? "" : "  (NOT AN ERROR)");
		if (rc >= 0)
			bad++;
	}
	if (xen_version(XENVER_version, NULL) <= 0)
		return fail("pvhostile: wild: xen_version fails after the battery");
	if (bad)
		return fail("pvhostile: wild: %u of %u hypercalls did not return an error",
			    bad, (unsigned)ARRAY_SIZE(wilds));
	return pass("pvhostile: wild: all %u hypercalls returned errors; guest alive",
		    (unsigned)ARRAY_SIZE(wilds));
}

static int usage(void)
{
	unsigned i;

	printk("pvhostile: usage: pvhostile WHAT; WHAT is wild");
	for (i = 0; i < ARRAY_SIZE(fatals); i++)
		printk(" %s", fatals[i].name);
	printk("\n");
	return fail("pvhostile: usage");
}

int prog_pvhostile(int argc, char **argv)
{
	unsigned i;

	if (!platform_is_pv())
		return skip("pvhostile: %s: pv only (attacks the pv sandbox; this is %s)",
			    argc > 1 ? argv[1] : "-", platform->name);
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "wild"))
		return run_wild();
	for (i = 0; i < ARRAY_SIZE(fatals); i++)
		if (!strcmp(argv[1], fatals[i].name))
			return run_fatal(&fatals[i]);
	return usage();
}
