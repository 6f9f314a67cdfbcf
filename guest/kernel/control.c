/*
 * control: the guest side of Xen's PV shutdown protocol
 * (toolstack-xenstore.md §6.2), the job Linux's drivers/xen/manage.c
 * does.
 *
 * The "control" thread (started at boot once xenstore is reachable)
 * watches control/shutdown. For each event it runs, in one transaction
 * retried on EAGAIN: read the node; empty or missing: nothing to do
 * (that is also the echo of our own acknowledgement); a command we
 * handle: write "" back, which is the acknowledgement the toolstack
 * waits for. Only after the commit does it act:
 *   poweroff, halt -> SCHEDOP_shutdown(SHUTDOWN_poweroff)
 *   reboot         -> SCHEDOP_shutdown(SHUTDOWN_reboot)
 *   suspend        -> minios_suspend() (suspend.c): quiesce, then
 *                     SCHEDOP_shutdown(SHUTDOWN_suspend); it returns when
 *                     the toolstack resumes us (cancelled/checkpoint, or
 *                     in a new domain) and we watch again.
 * Like Linux, a command we cannot carry out is not acknowledged:
 *   other    -> ignored: left in the node, with a console line.
 * At start it advertises feature-poweroff = feature-reboot = "1" and
 * feature-suspend = "1", or "0" while a suspend hold is taken (a program
 * whose own event channels a new domain would not have, minios/control.h):
 * then a suspend request is not acknowledged either, with the hold's
 * reason, and the toolstack refuses before asking (docs/minios.md).
 *
 * If pvxstored is not answering yet, registration is retried every
 * second; a timed-out registration may still reach the server later,
 * which then answers the retry with EEXIST: the watch exists.
 */
#include <xen/public/errno.h>
#include <xen/public/sched.h>

#include <minios/console.h>
#include <minios/control.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/sched.h>
#include <minios/suspend.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#define SHUTDOWN_NODE "control/shutdown"
#define NO_ACTION     (-1)
#define SUSPEND       (-2)   /* minios_suspend(), then go on watching */

static const struct {
	const char *cmd;
	int reason;   /* SHUTDOWN_*, or NO_ACTION: not acknowledged */
	const char *why;
} commands[] = {
	{ "poweroff", SHUTDOWN_poweroff, NULL },
	{ "halt", SHUTDOWN_poweroff, NULL },
	{ "reboot", SHUTDOWN_reboot, NULL },
	{ "suspend", SUSPEND, NULL },
};

struct request {
	char cmd[64];
	int reason;
	const char *why;
};

static struct xs_watch watch = { .path = SHUTDOWN_NODE, .token = "minios-control" };
static unsigned holds;
static const char *hold_why;
static int advertised;   /* feature keys written: holds now write their own */

static void classify(struct request *r)
{
	r->reason = NO_ACTION;
	r->why = "unknown request";
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(r->cmd, commands[i].cmd)) {
			r->reason = commands[i].reason;
			r->why = commands[i].why;
		}
	if (r->reason == SUSPEND && holds) {
		r->reason = NO_ACTION;
		r->why = hold_why;
	}
}

/* One transaction: read, and acknowledge what we will carry out. */
static int read_and_ack(uint32_t tx, void *arg)
{
	struct request *r = arg;
	int rc = xs_read(tx, SHUTDOWN_NODE, r->cmd, sizeof(r->cmd));

	if (rc == -XEN_ENOENT || rc == -XEN_E2BIG) {
		r->cmd[0] = '\0'; /* gone, or no command we know is that long */
		rc = 0;
	}
	if (rc < 0 || !r->cmd[0])
		return rc;
	classify(r);
	return r->reason == NO_ACTION ? 0 : xs_write(tx, SHUTDOWN_NODE, "");
}

static void handle(void)
{
	struct request r = { .reason = NO_ACTION };
	int rc = xs_transaction_run(read_and_ack, &r, 0);

	if (rc < 0) {
		printk("minios: control: reading %s failed: %d\n", SHUTDOWN_NODE, rc);
		return;
	}
	if (!r.cmd[0])
		return;
	if (r.reason == NO_ACTION) {
		printk("minios: control: '%s' not acknowledged: %s\n", r.cmd, r.why);
		return;
	}
	if (r.reason == SUSPEND) {
		printk("minios: control: 'suspend' acknowledged, suspending\n");
		minios_suspend();
		return;
	}
	printk("minios: control: '%s' acknowledged, shutting down (reason %d)\n",
	       r.cmd, r.reason);
	minios_shutdown((unsigned)r.reason);
}

static void write_feature(const char *key, const char *val)
{
	int rc = xs_write(0, key, val);

	if (rc < 0)
		printk("minios: control: cannot write %s: %d\n", key, rc);
}

/* The value is read when the write is sent: a hold taken while an
 * earlier write waits sends its own later one, and the server applies
 * them in order. */
static void advertise(void)
{
	write_feature("control/feature-poweroff", "1");
	write_feature("control/feature-reboot", "1");
	write_feature("control/feature-suspend", holds ? "0" : "1");
	advertised = 1;
}

void control_hold_suspend(const char *why)
{
	hold_why = why;
	if (holds++ == 0 && advertised)
		write_feature("control/feature-suspend", "0");
}

void control_release_suspend(void)
{
	if (holds && --holds == 0 && advertised)
		write_feature("control/feature-suspend", "1");
}

static void control_main(void *arg)
{
	char path[XS_WATCH_PATH];
	int rc, said = 0;

	(void)arg;
	while ((rc = xs_watch_add(&watch)) < 0) {
		if (!said++)
			printk("minios: control: cannot watch %s yet (%d), retrying\n",
			       SHUTDOWN_NODE, rc);
		if (xs_ring_state() < 0)
			return;
		msleep(1000);
	}
	advertise();
	printk("minios: control: watching %s\n", SHUTDOWN_NODE);
	for (;;) {
		rc = xs_watch_wait(&watch, path, sizeof(path), 0);
		if (rc < 0) {
			printk("minios: control: stopped (%d)\n", rc);
			return;
		}
		handle();
	}
}

int control_start(void)
{
	return thread_create("control", control_main, NULL) ? 0 : -XEN_ENOMEM;
}
