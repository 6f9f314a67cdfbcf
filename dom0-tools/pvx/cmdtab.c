/*
 * The command table and its lookup. Rows for commands that other
 * components provide (`bench`, `xenstore`) call into their libraries.
 *
 * Lookup is xl's: an exact name wins; otherwise a prefix must select
 * exactly one row, and an ambiguous prefix is reported with every
 * candidate.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <pvx/bench.h>
#include <pvx/xs_cli.h>

#include "cmd.h"
#include "cmd_block.h"
#include "cmd_network.h"
#include "cmd_top.h"

const struct pvx_cmd pvx_cmds[] = {
	{ "create", cmd_create, "create and start a domain from a config file",
	  "create [-c] [-p] [-n|--dry-run] [-q] [-F|-e] FILE [key=value ...]\n"
	  "  -c            attach to the domain's console once it started\n"
	  "  -p            leave the domain paused after building it\n"
	  "  -n, --dry-run parse FILE and the overrides, print the result, build nothing\n"
	  "  -q            quiet: print nothing on success\n"
	  "  -F            run the domain's monitor in the foreground\n"
	  "  -e            no monitor: on_poweroff/on_reboot/on_crash do not apply\n"
	  "  key=value     override a config setting (last one wins)\n"
	  "Relative kernel/ramdisk paths in FILE are relative to FILE's directory;\n"
	  "in key=value overrides they are relative to the current directory." },
	{ "list", cmd_list, "list domains",
	  "list [-l|--json] [-v] [DOMAIN ...]\n"
	  "  -l, --json    JSON array, one object per domain (see docs/cli.md)\n"
	  "  -v            table with UUID and shutdown reason" },
	{ "destroy", cmd_destroy, "terminate a domain immediately",
	  "destroy DOMAIN" },
	{ "save", cmd_save, "save a domain's state to a file (docs/migration.md)",
	  "save [-c] [--live [--max-downtime MS] [--max-rounds N]] [--json] DOMAIN FILE\n"
	  "  -c            checkpoint: the domain keeps running (else it is destroyed)\n"
	  "  --live        copy memory while the guest runs first (shorter pause)\n"
	  "  --max-downtime MS  live: suspend once the rest fits in MS (60)\n"
	  "  --max-rounds N     live: at most N rounds before suspending (30)\n"
	  "  --json        print the figures (bytes, pages, rounds, times) as JSON\n"
	  "The guest must answer the suspend request ($PVX_SUSPEND_TIMEOUT_MS, 30000);\n"
	  "a failed save leaves the domain running and no FILE." },
	{ "restore", cmd_restore, "restore a domain from a save file",
	  "restore [-p] [-q] [--json] FILE [name=NEW] [key=value ...]\n"
	  "  -p            leave the restored domain paused\n"
	  "  -q            quiet: print nothing on success\n"
	  "  --json        print the figures as JSON\n"
	  "  name=NEW      restore under another name (a checkpoint whose original runs)\n"
	  "  key=value     override a saved config setting (not memory, maxmem, vcpus)" },
	{ "snapshot-create", cmd_snapshot_create, "checkpoint a domain with copies of its disks",
	  "snapshot-create DOMAIN NAME\n"
	  "Memory as with save -c, each disk copied while the guest is suspended\n"
	  "(reflink where the file system can, else a sparse copy), under\n"
	  "$PVX_SNAPSHOT_DIR, else $PVX_RUNDIR/snapshots, else /var/lib/pvx/snapshots." },
	{ "snapshot-list", cmd_snapshot_list, "list snapshots",
	  "snapshot-list [DOMAIN]" },
	{ "snapshot-revert", cmd_snapshot_revert, "bring a domain back to a snapshot",
	  "snapshot-revert [-p] DOMAIN NAME\n"
	  "Destroys the running domain DOMAIN (if any), puts the disks back and\n"
	  "restores memory: the guest continues from the snapshot (-p: paused)." },
	{ "snapshot-delete", cmd_snapshot_delete, "delete a snapshot",
	  "snapshot-delete DOMAIN NAME" },
	{ "shutdown", cmd_shutdown, "shut a domain down (on_poweroff applies)",
	  "shutdown [-w] [-a] [-F] [-t SECS] [DOMAIN]\n"
	  "Writes \"poweroff\" to the guest's control/shutdown and waits for its\n"
	  "acknowledgement (at most SECS, default 60).\n"
	  "  -w            then wait until the domain has shut down or is gone;\n"
	  "                given twice, also until it is gone (at most 10 s)\n"
	  "  -a            every domain\n"
	  "  -F            if the guest does not acknowledge, force it (pvxd)" },
	{ "reboot", cmd_reboot, "reboot a domain (on_reboot applies)",
	  "reboot [-w] [-F] [-t SECS] DOMAIN\n"
	  "Writes \"reboot\" to the guest's control/shutdown and waits for its\n"
	  "acknowledgement (at most SECS, default 60).\n"
	  "  -w            then wait until the domain stopped and, for up to 10 s, is back\n"
	  "  -F            if the guest does not acknowledge, force it (pvxd)" },
	{ "pause", cmd_pause, "pause a domain", "pause DOMAIN" },
	{ "unpause", cmd_unpause, "unpause a paused domain", "unpause DOMAIN" },
	{ "console", cmd_console, "attach to a domain's console (Ctrl-] detaches)",
	  "console [-t pv] DOMAIN" },
	{ "info", cmd_info, "host, hypervisor, capabilities, memory and versions",
	  "info" },
	{ "dmesg", cmd_dmesg, "print the hypervisor log, or a domain's log",
	  "dmesg [DOMAIN]" },
	{ "uptime", cmd_uptime, "print how long domains have existed",
	  "uptime [DOMAIN ...]" },
	{ "domid", cmd_domid, "print a domain's id", "domid NAME" },
	{ "domname", cmd_domname, "print a domain's name", "domname ID" },
	{ "rename", cmd_rename, "rename a domain", "rename DOMAIN NEW-NAME" },
	{ "mem-set", cmd_mem_set, "set a domain's memory target (its balloon follows)",
	  "mem-set DOMAIN SIZE\n"
	  "  SIZE: MiB, or with a unit b/k/m/g/t (512m, 1g); at most the domain's maximum" },
	{ "mem-max", cmd_mem_max, "set a domain's maximum memory",
	  "mem-max DOMAIN SIZE\n"
	  "  SIZE as for mem-set; at most the RAM the domain was created with (maxmem)" },
	{ "sched-credit", cmd_sched_credit, "get or set a domain's CPU weight and cap",
	  "sched-credit [-d DOMAIN] [-w WEIGHT] [-c CAP]\n"
	  "  -d DOMAIN     the domain (without it: list every domain)\n"
	  "  -w WEIGHT     relative share of CPU time, 1..65535 (default 256)\n"
	  "  -c CAP        at most CAP % of one CPU; 0 = no cap\n"
	  "Enforced through cgroups (docs/scheduling.md)." },
	{ "vcpu-pin", cmd_vcpu_pin, "pin a domain's vCPUs to host CPUs",
	  "vcpu-pin DOMAIN VCPU|all CPUS\n"
	  "CPUS: \"all\", or a list such as \"0-3,5\" (\"^N\" removes CPU N)" },
	{ "vcpu-list", cmd_vcpu_list, "list the vCPUs of domains",
	  "vcpu-list [DOMAIN ...]" },
	{ "block-attach", cmd_block_attach, "hot-plug a disk into a running domain",
	  "block-attach DOMAIN DISKSPEC\n"
	  "DISKSPEC is one xl disk spec, e.g. 'target=/img/d.raw,vdev=xvdb,access=ro'\n"
	  "(format raw only; a relative target is taken from the current directory)." },
	{ "block-detach", cmd_block_detach, "hot-unplug a disk (waits for its I/O)",
	  "block-detach DOMAIN VDEV\n"
	  "Waits up to 10 s for pvx-blkback to finish the disk's I/O and close it." },
	{ "block-list", cmd_block_list, "list a domain's virtual block devices",
	  "block-list DOMAIN" },
	{ "network-attach", cmd_network_attach, "hot-plug a network interface (vif) into a domain",
	  "network-attach DOMAIN [VIF-SPEC-ITEM ...]\n"
	  "Items are xl's vif spec keys, e.g. mac=00:16:3e:00:00:02 bridge=pvxbr0 ip=10.0.0.3\n"
	  "(or one comma-separated spec); keys: mac (default: 00:16:3e + random),\n"
	  "bridge (default pvxbr0), ip, script=vif-bridge|vif-route, gateway (vif-route),\n"
	  "vifname (the TAP, default vifDOMID.DEVID). The vif takes the lowest free devid." },
	{ "network-detach", cmd_network_detach, "hot-unplug a network interface",
	  "network-detach DOMAIN DEVID|MAC\n"
	  "Asks the guest to close the vif, waits up to 10 s for pvx-netback to close it,\n"
	  "then removes it (and pvx-netback its TAP)." },
	{ "network-list", cmd_network_list, "list the network interfaces of domains",
	  "network-list DOMAIN ..." },
	{ "top", cmd_top, "live view of every domain's CPU, memory, I/O and events (xentop)",
	  "top [-b] [-d DELAY] [-n ITERATIONS] [-s COLUMN] [-r] [--json]\n"
	  "  -b, --batch   print tables to stdout instead of a screen (for scripts)\n"
	  "  -d DELAY      seconds between refreshes (default 3, 0.1 to 3600)\n"
	  "  -n N          stop after N refreshes (default: until 'q' or a signal)\n"
	  "  -s COLUMN     sort by name, id, state, cpu (default), cpusec, mem, vcpus,\n"
	  "                blk, net, events or hcalls; -r reverses the order\n"
	  "  --json        batch mode, one JSON array: an object per refresh (docs/top.md)\n"
	  "Keys: c cpu%, t cpu(sec), m mem, n name, i id, s state, v vcpus, b block,\n"
	  "w network, e events, h hypercalls, r reverse, q quit. Columns: docs/top.md." },
	{ "migrate", cmd_migrate, "move a running domain to another host (live pre-copy)",
	  "migrate [--live|--non-live] [--max-downtime MS] [--max-rounds N] [--json]\n"
	  "        [--timeout S] [--ssh-cmd CMD] [--remote-cmd CMD] DOMAIN HOST\n"
	  "migrate [options] --tcp ADDR:PORT --token TOKEN DOMAIN\n"
	  "Over ssh: runs `CMD HOST pvx migrate-receive` (CMD default \"ssh\"); with --tcp:\n"
	  "connects to a `pvx migrate-receive --listen` and presents its token.\n"
	  "  --max-downtime MS  stop pre-copy once the rest fits in MS (default 60)\n"
	  "  --max-rounds N     at most N pre-copy rounds (default 30)\n"
	  "  --timeout S        give up after S s without an answer (default 30)\n"
	  "  --json             print the figures (bytes, rounds, downtime) as JSON\n"
	  "The domain is destroyed here only once it runs on the target; any failure\n"
	  "before that resumes it here (docs/migration-protocol.md)." },
	{ "migrate-receive", cmd_migrate_receive, "receive a migrating domain",
	  "migrate-receive [--listen ADDR:PORT] [--max-mem SIZE] [--timeout S]\n"
	  "Without --listen: stdin/stdout are the channel (what `pvx migrate` runs\n"
	  "through ssh). With --listen: prints a one-time token and takes one\n"
	  "migration that presents it.\n"
	  "  --max-mem SIZE     refuse guests larger than SIZE (also: free memory)" },
	{ "export", cmd_export, "write a domain's config and disks to a bundle",
	  "export [--with-state] [--config FILE] DOMAIN|CONFIG BUNDLE\n"
	  "A tar with the config (disk paths made relative), sparse disk images, a\n"
	  "SHA-256 manifest and, with --with-state, the domain's saved state (a\n"
	  "checkpoint: it keeps running). See docs/export.md." },
	{ "import", cmd_import, "create (or restore) a domain from a bundle",
	  "import [--dir D] [-p] BUNDLE [key=value ...]\n"
	  "Verifies every checksum, extracts into D (default: the current directory)\n"
	  "and creates the domain, or restores it when the bundle holds a state." },
	{ "daemons", cmd_daemons, "start, stop or show the pvx daemons of $PVX_RUNDIR",
	  "daemons start|stop|status\n"
	  "Starts pvxd, pvxstored, pvx-consoled and the backends found next to pvx\n"
	  "for the run directory $PVX_RUNDIR (default /run/pvx); logs go to\n"
	  "$PVX_LOGDIR (default <rundir>/log)." },
	{ "xenstore", xs_cli_main, "read, write and watch xenstore (xenstore-* tools)",
	  "xenstore ls|read|write|rm|mkdir|chmod|watch|exists|list ..." },
	{ "bench", cmd_bench, PVX_BENCH_SUMMARY, PVX_BENCH_USAGE },
	{ "version", cmd_version, "print pvx's and the hypervisor's versions",
	  "version" },
	{ "help", cmd_help, "list the commands, or show one command's usage",
	  "help [COMMAND]" },
};
const size_t pvx_ncmds = sizeof(pvx_cmds) / sizeof(pvx_cmds[0]);

const struct pvx_cmd *pvx_cmd_lookup(const char *name, size_t *nmatch)
{
	const struct pvx_cmd *hit = NULL;
	size_t len = strlen(name), n = 0;

	for (size_t i = 0; i < pvx_ncmds; i++) {
		if (strcmp(pvx_cmds[i].name, name) == 0) {
			*nmatch = 1;
			return &pvx_cmds[i];
		}
		if (len && strncmp(pvx_cmds[i].name, name, len) == 0) {
			hit = &pvx_cmds[i];
			n++;
		}
	}
	*nmatch = n;
	return n == 1 ? hit : NULL;
}

void pvx_cmd_usage(const struct pvx_cmd *c, bool to_stderr)
{
	FILE *out = to_stderr ? stderr : stdout;

	fprintf(out, "usage: pvx %s\n%s.\n", c->usage, c->summary);
}

static void report_ambiguous(const char *name)
{
	size_t len = strlen(name);
	char list[512] = "";

	for (size_t i = 0; i < pvx_ncmds; i++) {
		if (strncmp(pvx_cmds[i].name, name, len) == 0) {
			if (*list)
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, pvx_cmds[i].name, sizeof(list) - strlen(list) - 1);
		}
	}
	pvx_err("'%s' is ambiguous: it could be %s", name, list);
}

int pvx_main(int argc, char **argv)
{
	const struct pvx_cmd *c;
	size_t n;

	opterr = 0;  /* each command says what is wrong in one line */
	if (argc < 2) {
		/* A usage error (docs/cli.md: exit 2), the usage on stderr. */
		pvx_usage_list(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, (char *[]){ "help", NULL });
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, (char *[]){ "version", NULL });
	c = pvx_cmd_lookup(argv[1], &n);
	if (!c) {
		if (n > 1)
			report_ambiguous(argv[1]);
		else
			pvx_err("unknown command '%s' (try 'pvx help')", argv[1]);
		return 2;
	}
	argv[1] = (char *)c->name;
	return c->fn(argc - 1, argv + 1);
}
