/*
 * The program table and the helpers every program shares: verdict lines
 * and argument parsing. Adding a program = one file in guest/programs/
 * plus one row here.
 */
#include <stdarg.h>

#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>

#include "programs.h"

/* Programs holding ports no resume rebinds (peers that would not follow
 * into a new domain): `pvx save` refuses while they run. */
#define NO_SUSPEND_OWN_PORTS "the program binds event channels of its own, which a new domain would not have"

const struct program programs[] = {
	{ .name = "hello", .usage = "", .main = prog_hello },
	{ .name = "timer", .usage = "[MS]", .main = prog_timer },
	{ .name = "threads", .usage = "", .main = prog_threads,
	  .no_suspend = NO_SUSPEND_OWN_PORTS },
	{ .name = "console-flood", .usage = "[LINES]", .main = prog_console_flood },
	{ .name = "probe", .usage = "", .main = prog_probe },
	{ .name = "selftest", .usage = "", .main = prog_selftest },
	{ .name = "xenstore", .usage = "", .main = prog_xenstore },
	{ .name = "xenstore-guest", .usage = "OTHERDOM", .main = prog_xenstore_guest },
	{ .name = "idle", .usage = "[SECONDS]", .main = prog_idle },
	{ .name = "burn", .usage = "[SECONDS]", .main = prog_burn },
	{ .name = "balloon-test", .usage = "[SECONDS] [fill [idle]]", .main = prog_balloon_test },
	{ .name = "balloon-hostile", .usage = "[ROUNDS]", .main = prog_balloon_hostile },
	{ .name = "spin", .usage = "[SECONDS]", .main = prog_spin },
	{ .name = "console-echo", .usage = "[LINES]", .main = prog_console_echo },
	{ .name = "upcall", .usage = "[COUNT]", .main = prog_upcall,
	  .no_suspend = NO_SUSPEND_OWN_PORTS },
	{ .name = "evtchn-pong", .usage = "[PEERDOM]", .main = prog_evtchn_pong,
	  .no_suspend = NO_SUSPEND_OWN_PORTS },
	{ .name = "evtchn-ping", .usage = "PEERDOM PORT COUNT", .main = prog_evtchn_ping,
	  .no_suspend = NO_SUSPEND_OWN_PORTS },
	{ .name = "dom0-echo", .usage = "[COUNT]", .main = prog_dom0_echo,
	  .no_suspend = NO_SUSPEND_OWN_PORTS },
	{ .name = "shutdown", .usage = "REASON [CODE|code]", .main = prog_shutdown },
	{ .name = "crash", .usage = "", .main = prog_crash },
	{ .name = "crash-early", .usage = "", .main = prog_crash_early, .early = 1 },
	{ .name = "hostile", .usage = "", .main = prog_hostile },
	{ .name = "pvhostile", .usage = "WHAT", .main = prog_pvhostile },
	{ .name = "bench-hypercall", .usage = "[N]", .main = prog_bench_hypercall },
	{ .name = "bench-evtchn", .usage = "[N]", .main = prog_bench_evtchn,
	  .no_suspend = NO_SUSPEND_OWN_PORTS },
	{ .name = "grant-share", .usage = "", .main = prog_grant_share,
	  .no_suspend = NO_SUSPEND_OWN_PORTS },
	{ .name = "grant-hold", .usage = "[GRANTEE]", .main = prog_grant_hold },
	{ .name = "grant-hostile", .usage = "VICTIM REF", .main = prog_grant_hostile },
	{ .name = "grant-ring", .usage = "[N] [BATCH]", .main = prog_grant_ring,
	  .no_suspend = NO_SUSPEND_OWN_PORTS },
	{ .name = "bench-ring", .usage = "[DEVID]", .main = prog_bench_ring },
	{ .name = "blk-verify", .usage = "[all|write|read|ro] [MIB] [SEED] [DEVID] [ROUNDS]",
	  .main = prog_blk_verify },
	{ .name = "blk-bench", .usage = "[MS] [MIB] [DEVID] [nopersist] [noindirect]",
	  .main = prog_blk_bench },
	{ .name = "blk-hostile", .usage = "[DEVID]", .main = prog_blk_hostile },
	{ .name = "blk-hotplug", .usage = "[MIB]", .main = prog_blk_hotplug },
	{ .name = "blk-mq", .usage = "[QUEUES]", .main = prog_blk_mq },
	{ .name = "memcounter", .usage = "[blk] [STEPS] [MIB]", .main = prog_memcounter },
	{ .name = "dirtier", .usage = "RATE_MIB [SET_MIB] [SECONDS]", .main = prog_dirtier },
	{ .name = "net-serve", .usage = "[SECONDS] [ip=A.B.C.D/P] [vif=N]", .main = prog_net_serve },
	{ .name = "ping", .usage = "DST [COUNT] [SIZE] [INTERVAL_MS] [ip=..] [vif=N]",
	  .main = prog_ping },
	{ .name = "udp-source", .usage = "DST PORT SIZE COUNT [PPS] [ip=..] [vif=N]",
	  .main = prog_udp_source },
	{ .name = "udp-sink", .usage = "PORT SECONDS [ip=..] [vif=N]", .main = prog_udp_sink },
	{ .name = "net-hostile", .usage = "garbage|badgrant|indexjump|norx [ip=..] [vif=N]",
	  .main = prog_net_hostile },
	{ .name = NULL },
};

const struct program *program_find(const char *name)
{
	const struct program *p;

	for (p = programs; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void verdict(const char *word, const char *fmt, va_list ap)
{
	char buf[400];
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	printk("%s %s\n", word, buf);
}

int pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict("PASS", fmt, ap);
	va_end(ap);
	return 0;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict("FAIL", fmt, ap);
	va_end(ap);
	return 1;
}

int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict("SKIP", fmt, ap);
	va_end(ap);
	return 0;
}

int arg_u64(int argc, char **argv, int i, uint64_t def, uint64_t *out)
{
	if (i >= argc) {
		*out = def;
		return 0;
	}
	return parse_u64(argv[i], out) < 0 ? -1 : 0;
}
