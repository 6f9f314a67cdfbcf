/*
 * pvxd: the pvx hypervisor daemon.
 *
 * Runs in the foreground. Run directory $PVX_RUNDIR (default /run/pvx,
 * created 0700) holds pvxd.sock and pvxd.pid; logs go to stderr and
 * $PVX_LOGDIR/pvxd.log (default <rundir>/log). Subsystems start in the
 * order of the table below and stop in reverse; SIGTERM/SIGINT end the
 * event loop, which destroys every domain and removes socket and pid file.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctl.h"
#include "dom.h"
#include "dsched.h"
#include "evq.h"
#include "evtchn.h"
#include "log.h"
#include "platform.h"
#include "pvxd.h"
#include "timer.h"

static char rundir[2001], logdir[2048], pidfile[2048];
static struct event_base *base;
static struct event *sig_ev[2];

static int mkdir_p(const char *path)
{
	char tmp[2048];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, 0700) < 0 && errno != EEXIST ? -errno : 0;
}

static int pid_alive(void)
{
	FILE *f = fopen(pidfile, "re");
	int pid = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && pid != getpid() && kill(pid, 0) == 0 ? pid : 0;
}

static int rundir_init(void)
{
	const char *r = getenv("PVX_RUNDIR"), *l = getenv("PVX_LOGDIR");
	FILE *f;
	int pid, e;

	snprintf(rundir, sizeof(rundir), "%.2000s", r && *r ? r : PVX_DEFAULT_RUNDIR);
	if (l && *l)
		snprintf(logdir, sizeof(logdir), "%s", l);
	else if (snprintf(logdir, sizeof(logdir), "%.2000s/log", rundir) < 0)
		return -EINVAL;
	snprintf(pidfile, sizeof(pidfile), "%s/pvxd.pid", rundir);
	e = mkdir_p(rundir);
	if (e < 0)
		return e;
	pid = pid_alive();
	if (pid) {
		log_err("pvxd already runs in %s (pid %d)", rundir, pid);
		return -EEXIST;
	}
	f = fopen(pidfile, "we");
	if (!f)
		return -errno;
	fprintf(f, "%d\n", getpid());
	fclose(f);
	return 0;
}

static void rundir_exit(void)
{
	unlink(pidfile);
}

static int logfile_init(void)
{
	int r = mkdir_p(logdir);

	return r < 0 ? r : log_open_file(logdir);
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(base);
}

static int loop_init(void)
{
	static const int sigs[2] = { SIGTERM, SIGINT };

	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	if (!base)
		return -ENOMEM;
	for (int i = 0; i < 2; i++) {
		sig_ev[i] = evsignal_new(base, sigs[i], signal_cb, NULL);
		if (!sig_ev[i] || event_add(sig_ev[i], NULL) < 0)
			return -ENOMEM;
	}
	timer_set_base(base);
	platform_set_loop(base);
	return 0;
}

static void loop_exit(void)
{
	for (int i = 0; i < 2; i++)
		if (sig_ev[i])
			event_free(sig_ev[i]);
	timer_set_base(NULL);
	platform_set_loop(NULL);
	if (base)
		event_base_free(base);
	base = NULL;
}

static int domains_init(void)
{
	return 0;
}

static int ctl_init(void)
{
	return ctl_start(base, rundir);
}

struct subsys {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
};

static const struct subsys subsystems[] = {
	{ "rundir",   rundir_init,      rundir_exit },
	{ "logfile",  logfile_init,     log_close_file },
	{ "platforms", platform_host_init, platform_host_exit },
	{ "cgroups",  dsched_host_init, dsched_host_exit },
	{ "signals",  vcpu_signal_init, NULL },
	{ "evq",      evq_init,         evq_exit },
	{ "evtchn",   evtchn_init,      evtchn_exit },
	{ "loop",     loop_init,        loop_exit },
	{ "domains",  domains_init,     dom_destroy_all },
	{ "ctl",      ctl_init,         ctl_stop },
};

static void stop_from(size_t n)
{
	while (n--)
		if (subsystems[n].exit)
			subsystems[n].exit();
}

int main(int argc, char **argv)
{
	size_t started = 0;
	int r = 0;

	if (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--verbose")))
		log_set_level(LOG_DEBUG);
	else if (argc > 1) {
		fprintf(stderr, "usage: pvxd [-v]\n  env: PVX_RUNDIR, PVX_LOGDIR\n");
		return 2;
	}
	for (; started < ARRAY_SIZE(subsystems); started++) {
		r = subsystems[started].init();
		if (r < 0) {
			log_err("%s: %s", subsystems[started].name, strerror(-r));
			break;
		}
	}
	if (r == 0) {
		log_info("pvxd %d.%d%s running, pid %d, rundir %s", PVX_XEN_MAJOR,
			 PVX_XEN_MINOR, PVX_XEN_EXTRAVERSION, getpid(), rundir);
		event_base_dispatch(base);
	}
	stop_from(started);
	if (r == 0)
		log_info("pvxd stopped");
	return r < 0 ? 1 : 0;
}
