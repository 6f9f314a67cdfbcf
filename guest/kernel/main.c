/*
 * minios_main: the kernel proper, shared by both platforms (platform.h).
 * The pvh entry (boot.asm, then pvh_start at CPL3) and the pv entry
 * (entry.asm, then pv_start in user mode) both call it on the boot stack
 * with their platform ops and the address of struct hvm_start_info.
 * Boot order:
 *   0. remember the platform: nothing above it may assume pvh or pv;
 *   1. copy the command line out of start_info (validated: the builder's
 *      memory is trusted no more than anything else);
 *   2. the platform's hypercall page (pvh: the hypervisor's, or our own
 *      stubs; pv: pvxd's);
 *   3. console_io works now: banner, Xen version and features;
 *   4. events (shared_info, vcpu_info, polling), time and the timer
 *      VIRQ, the scheduler, the PV console ring;
 *   5. the page allocator (pages.c), xenstore (when the domain has a
 *      store ring), the balloon thread that follows memory/target and
 *      the control thread that answers control/shutdown (unless
 *      control=off);
 *   6. "minios: ready", then the selected program; its return powers off.
 */
#include <xen/public/features.h>
#include <xen/public/memory.h>
#include <xen/public/sched.h>
#include <xen/public/version.h>

#include <pvx/ctl.h>

#include <minios/balloon.h>
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/control.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/pages.h>
#include <minios/platform.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/suspend.h>
#include <minios/time.h>
#include <minios/xenstore.h>

struct boot_info boot_info;
const struct platform_ops *platform;
uint8_t minios_boot_stack[MINIOS_BOOT_STACK_SIZE] __attribute__((aligned(16)));
static struct cmdline cmdline;

int minios_gpa_mapped(uint64_t gpa, uint64_t len)
{
	return platform->gpa_mapped(gpa, len);
}

static void read_start_info(uint64_t paddr)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)paddr;
	const char *src;
	size_t max, n;

	if (!minios_gpa_mapped(paddr, sizeof(*si)) ||
	    si->magic != XEN_HVM_START_MAGIC_VALUE)
		return;
	boot_info.start_info = si;
	platform->start_info_seen(si);
	if (!si->cmdline_paddr || !minios_gpa_mapped(si->cmdline_paddr, 1))
		return;
	src = (const char *)(uintptr_t)si->cmdline_paddr;
	/* Mapped memory is one run from cmdline_paddr on: shrink until the
	 * whole window is inside it (at most MINIOS_CMDLINE_MAX steps). */
	max = MINIOS_CMDLINE_MAX - 1;
	while (max > 1 && !minios_gpa_mapped(si->cmdline_paddr, max))
		max--;
	n = strnlen(src, max);
	memcpy(boot_info.cmdline, src, n);
	boot_info.cmdline[n] = '\0';
}

static void probe_xen(void)
{
	struct xen_feature_info fi = { .submap_idx = 0 };
	long v = xen_version(XENVER_version, NULL);
	char how[96];

	if (v >= 0)
		boot_info.xen_version = (uint32_t)v;
	if (xen_version(XENVER_get_features, &fi) == 0)
		boot_info.features = fi.submap;
	platform->describe_hypercalls(how, sizeof(how));
	printk("minios: Xen %u.%u via %s, features 0x%x\n",
	       boot_info.xen_version >> 16, boot_info.xen_version & 0xFFFF, how,
	       boot_info.features);
}

static void init_or_warn(const char *what, int rc)
{
	if (rc < 0)
		printk("minios: %s failed: %d\n", what, rc);
}

/* xenstore and the control thread. A domain without a store ring (no
 * pvxstored) simply has neither; control=off leaves control/shutdown
 * unanswered (tests of a guest that ignores the toolstack). */
static void start_control(void)
{
	int rc = xs_init();

	if (rc < 0) {
		printk("minios: no xenstore (%d): control/shutdown not watched\n", rc);
		return;
	}
	init_or_warn("balloon thread", balloon_start());
	if (cmdline.control_off) {
		printk("minios: control: disabled (control=off)\n");
		return;
	}
	init_or_warn("control thread", control_start());
}

static int run_program(const struct program *p)
{
	int rc;

	if (!p) {
		printk("minios: unknown program '%s'; programs:", cmdline.argv[0]);
		for (p = programs; p->name; p++)
			printk(" %s", p->name);
		printk("\n");
		return 2;
	}
	if (p->no_suspend)
		control_hold_suspend(p->no_suspend);
	rc = p->main(cmdline.argc, cmdline.argv);
	if (p->no_suspend)
		control_release_suspend();
	return rc;
}

void minios_main(const struct platform_ops *p, uint64_t start_info_paddr)
{
	const struct program *prog;
	int status;

	platform = p;
	read_start_info(start_info_paddr);
	cmdline_parse(boot_info.cmdline, &cmdline);
	platform->hypercall_init(cmdline.hcpage_self);
	console_set_mode(cmdline.console);
	prog = program_find(cmdline.argv[0]);
	if (prog && prog->early)
		minios_shutdown((unsigned)prog->main(cmdline.argc, cmdline.argv) ?
				SHUTDOWN_crash : SHUTDOWN_poweroff);
	printk("minios: booting at cpl3, platform = %s, start_info %s, program '%s'\n",
	       platform->name, boot_info.start_info ? "ok" : "MISSING", cmdline.argv[0]);
	if (cmdline.unknown)
		printk("minios: ignoring unknown option '%s'\n", cmdline.unknown);
	probe_xen();
	pages_init();
	init_or_warn("events", events_init());
	init_or_warn("time", time_init());
	sched_init();
	if (cmdline.spin_us >= 0)
		sched_set_spin((uint64_t)cmdline.spin_us * 1000);
	if (cmdline.quiesce_ms >= 0)
		suspend_set_quiesce_ns((uint64_t)cmdline.quiesce_ms * 1000000);
	init_or_warn("console ring", console_ring_init());
	start_control();
	printk("minios: ready\n");
	status = run_program(prog);
	printk("minios: program '%s' exited with status %d\n", cmdline.argv[0], status);
	minios_shutdown(SHUTDOWN_poweroff);
}
