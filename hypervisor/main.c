/*
 * pvxd: the pvx hypervisor daemon.
 *
 * Runs in the foreground, on the daemon scaffold every pvx daemon shares
 * (pvx/daemon.h, docs/daemons.md): run directory $PVX_RUNDIR (default
 * /run/pvx, created 0700) holds pvxd.sock (0600) and pvxd.pid, flock'ed
 * for pvxd's life so that a second pvxd on the same run directory is
 * refused; logs go to stderr and $PVX_LOGDIR/pvxd.log (default
 * <rundir>/log, 0600: it carries guest consoles). Subsystems start in the
 * order of the table below and stop in reverse; SIGTERM/SIGINT end the
 * event loop, which destroys every domain and removes socket and pid file.
 *
 * pvxd has threads (one per vCPU, the PVH VM pool): they are created with
 * every signal blocked (vcpu.c, vm_pool.c, pvproc_spawn.c), so SIGTERM
 * and SIGINT reach the main thread's libevent signal events, and SIGUSR1
 * (vcpu_signal_init) is only the vCPU kick.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include <pvx/daemon.h>
#include <pvx/log.h>

#include "ctl.h"
#include "dom.h"
#include "dsched.h"
#include "evq.h"
#include "evtchn.h"
#include "log.h"
#include "platform.h"
#include "pvxd.h"
#include "timer.h"

struct pvxd {
	struct pvx_daemon_state ds;     /* first: the steps' context */
};

/* Timers and platforms schedule on the scaffold's event loop. */
static int loop_users_init(void *pvxd)
{
	struct pvxd *p = pvxd;

	timer_set_base(p->ds.base);
	platform_set_loop(p->ds.base);
	return 0;
}

static void loop_users_exit(void *pvxd)
{
	(void)pvxd;
	timer_set_base(NULL);
	platform_set_loop(NULL);
}

/* Adapters: pvxd's subsystems predate the step context. */
static int platforms_init(void *pvxd) { (void)pvxd; return platform_host_init(); }
static void platforms_exit(void *pvxd) { (void)pvxd; platform_host_exit(); }
static int cgroups_init(void *pvxd) { (void)pvxd; return dsched_host_init(); }
static void cgroups_exit(void *pvxd) { (void)pvxd; dsched_host_exit(); }
static int vcpu_signals_init(void *pvxd) { (void)pvxd; return vcpu_signal_init(); }
static int evq_step_init(void *pvxd) { (void)pvxd; return evq_init(); }
static void evq_step_exit(void *pvxd) { (void)pvxd; evq_exit(); }
static int evtchn_step_init(void *pvxd) { (void)pvxd; return evtchn_init(); }
static void evtchn_step_exit(void *pvxd) { (void)pvxd; evtchn_exit(); }
static void domains_exit(void *pvxd) { (void)pvxd; dom_destroy_all(); }
static void ctl_step_exit(void *pvxd) { (void)pvxd; ctl_stop(); }

static int ctl_step_init(void *pvxd)
{
	struct pvxd *p = pvxd;

	return ctl_start(p->ds.base, p->ds.rundir);
}

static const struct pvx_step steps[] = {
	PVX_DAEMON_STEPS,
	{ "platforms", platforms_init, platforms_exit },
	{ "cgroups", cgroups_init, cgroups_exit },
	{ "signals", vcpu_signals_init, NULL },
	{ "evq", evq_step_init, evq_step_exit },
	{ "evtchn", evtchn_step_init, evtchn_step_exit },
	{ "loop users", loop_users_init, loop_users_exit },
	{ "domains", NULL, domains_exit },
	{ "ctl", ctl_step_init, ctl_step_exit },
};

static void ready(void *pvxd)
{
	struct pvxd *p = pvxd;

	log_info("pvxd %d.%d%s running, pid %d, rundir %s", PVX_XEN_MAJOR,
		 PVX_XEN_MINOR, PVX_XEN_EXTRAVERSION, getpid(), p->ds.rundir);
}

int main(int argc, char **argv)
{
	static struct pvxd p = { .ds = PVX_DAEMON_STATE_INIT("pvxd") };
	if (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--verbose")))
		log_set_level(LOG_DEBUG);
	else if (argc > 1) {
		fprintf(stderr, "usage: pvxd [-v]\n  env: PVX_RUNDIR, PVX_LOGDIR\n");
		return 2;
	}
	p.ds.dir_mode = 0700;
	p.ds.log_mode = 0600;
	log_use_prefix();  /* the scaffold's own lines look like pvxd's */
	return pvx_daemon_run(steps, sizeof(steps) / sizeof(steps[0]), &p, ready);
}
