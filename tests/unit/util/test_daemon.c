/*
 * pvx/daemon.h: directories and the log file under a private
 * $PVX_RUNDIR, the locked pid file (a second instance is refused and
 * told who holds it; the file goes away on unlock), the signal-driven
 * loop, pvx_listen_unix's socket mode, and the step table's order on the
 * way up and down, including a failing step and a refused second
 * instance (one line).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include <pvx/daemon.h>
#include <pvx/log.h>

#include "harness.h"

static char rundir[64];
static char last[1024];
static int nr_lines;

static void sink(const char *line, void *arg)
{
	(void)arg;
	snprintf(last, sizeof(last), "%s", line);
	nr_lines++;
}

static void setup(void)
{
	strcpy(rundir, "/tmp/pvx-unit-util-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(rundir));
	setenv("PVX_RUNDIR", rundir, 1);
	unsetenv("PVX_LOGDIR");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", rundir);
	ck_assert_int_eq(system(cmd), 0);
}

static bool file_has(const char *path, const char *what)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, what) != NULL;
}

START_TEST(paths_make_dirs_and_log)
{
	struct pvx_daemon_state ds = PVX_DAEMON_STATE_INIT("pvx-unit");
	char path[256];

	ck_assert_int_eq(pvx_daemon_paths(&ds), 0);
	ck_assert_str_eq(ds.rundir, rundir);
	snprintf(path, sizeof(path), "%s/log", rundir);
	ck_assert_str_eq(ds.logdir, path);
	snprintf(path, sizeof(path), "%s/pvx-unit.pid", rundir);
	ck_assert_str_eq(ds.pid_path, path);
	pvx_log_info("hello file");
	snprintf(path, sizeof(path), "%s/log/pvx-unit.log", rundir);
	ck_assert(file_has(path, "pvx-unit info: hello file\n"));
	pvx_daemon_paths_exit(&ds);
	pvx_daemon_paths_exit(&ds);     /* idempotent */
	ck_assert_ptr_null(ds.rundir);
}
END_TEST

START_TEST(pidfile_locks_out_a_second_instance)
{
	struct pvx_daemon_state a = PVX_DAEMON_STATE_INIT("pvx-unit");
	struct pvx_daemon_state b = PVX_DAEMON_STATE_INIT("pvx-unit");
	char pid[32];

	ck_assert_int_eq(pvx_daemon_paths(&a), 0);
	ck_assert_int_eq(pvx_daemon_paths(&b), 0);
	ck_assert_int_eq(pvx_daemon_lock_pidfile(&a), 0);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	ck_assert(file_has(a.pid_path, pid));
	pvx_log_set_sink(sink, NULL);
	ck_assert_int_eq(pvx_daemon_lock_pidfile(&b), -EBUSY);
	ck_assert_int_eq(b.pid_fd, -1);
	snprintf(pid, sizeof(pid), "(pid %d)", (int)getpid());
	ck_assert_ptr_nonnull(strstr(last, "another pvx-unit already serves"));
	ck_assert_ptr_nonnull(strstr(last, pid));
	ck_assert(file_has(a.pid_path, "\n"));   /* the loser left it alone */
	pvx_daemon_unlock_pidfile(&a);
	ck_assert_int_eq(access(a.pid_path, F_OK), -1);
	pvx_daemon_unlock_pidfile(&a);          /* idempotent */
	ck_assert_int_eq(pvx_daemon_lock_pidfile(&b), 0);
	pvx_daemon_unlock_pidfile(&b);
	pvx_daemon_paths_exit(&a);
	pvx_daemon_paths_exit(&b);
}
END_TEST

/* Under umask 000: a pid file someone else created 0666 ends up 0644. */
START_TEST(pidfile_is_0644_whatever_the_umask)
{
	struct pvx_daemon_state a = PVX_DAEMON_STATE_INIT("pvx-unit");
	mode_t old = umask(0);
	struct stat sb;
	FILE *f;

	ck_assert_int_eq(pvx_daemon_paths(&a), 0);
	f = fopen(a.pid_path, "w");             /* as `pvx daemons start` does */
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(pvx_daemon_lock_pidfile(&a), 0);
	umask(old);
	ck_assert_int_eq(stat(a.pid_path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0644);
	pvx_daemon_unlock_pidfile(&a);
	pvx_daemon_paths_exit(&a);
}
END_TEST

/* The socket has its mode at once, replaces a stale file, leaves no
 * private directory behind, and accepts. */
START_TEST(listen_unix_has_its_mode_from_the_start)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old = umask(0);
	char path[sizeof(sa.sun_path)];
	struct stat sb;
	int fd, c;

	snprintf(path, sizeof(path), "%.60s/sock", rundir);
	fclose(fopen(path, "w"));               /* stale */
	fd = pvx_listen_unix(path, SOCK_STREAM, 0600, 4);
	umask(old);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISSOCK(sb.st_mode));
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	memcpy(sa.sun_path, path, sizeof(path));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(c);
	close(fd);
	unlink(path);
	ck_assert_int_eq(rmdir(rundir), 0);     /* nothing else left in it */
	ck_assert_int_eq(mkdir(rundir, 0700), 0);
	ck_assert_int_eq(pvx_listen_unix("/nonexistent-dir/sock", SOCK_STREAM, 0600, 4),
			 -ENOENT);
}
END_TEST

static void raise_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	raise(*(int *)arg);
}

static void loop_ends_on(int sig)
{
	struct pvx_daemon_state ds = PVX_DAEMON_STATE_INIT("pvx-unit");
	struct timeval soon = { 0, 1000 };
	struct event *ev;
	char want[64];

	pvx_log_set_sink(sink, NULL);
	ck_assert_int_eq(pvx_daemon_loop_init(&ds), 0);
	ev = evtimer_new(ds.base, raise_cb, &sig);
	evtimer_add(ev, &soon);
	ck_assert_int_eq(event_base_dispatch(ds.base), 0);
	ck_assert(event_base_got_break(ds.base));
	snprintf(want, sizeof(want), "signal %d: stopping", sig);
	ck_assert_ptr_nonnull(strstr(last, want));
	event_free(ev);
	pvx_daemon_loop_exit(&ds);
	pvx_daemon_loop_exit(&ds);              /* idempotent */
	ck_assert_ptr_null(ds.base);
}

START_TEST(sigterm_and_sigint_end_the_loop)
{
	loop_ends_on(SIGTERM);
	loop_ends_on(SIGINT);
}
END_TEST

/* The step table: a trace of what ran, in order. */
/* A daemon that keeps its run directory private (pvxd: 0700, its log
 * carries guest consoles: 0600) says so in dir_mode and log_mode. */
START_TEST(paths_take_the_daemons_modes)
{
	struct pvx_daemon_state ds = PVX_DAEMON_STATE_INIT("pvx-unit");
	char path[256];
	struct stat sb;
	mode_t old = umask(0);

	snprintf(path, sizeof(path), "%s/sub/run", rundir);
	setenv("PVX_RUNDIR", path, 1);
	ds.dir_mode = 0700;
	ds.log_mode = 0600;
	ck_assert_int_eq(pvx_daemon_paths(&ds), 0);
	umask(old);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(ds.logdir, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/pvx-unit.log", ds.logdir);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	pvx_log_close();
	pvx_daemon_paths_exit(&ds);
}
END_TEST

/* The refusal of a second instance, through the step table as a daemon
 * runs it: one line that names the first, nothing started after it, and
 * the first instance's pid file untouched. */
START_TEST(a_second_instance_is_refused_in_one_line)
{
	static const struct pvx_step table[] = { PVX_DAEMON_STEPS };
	struct pvx_daemon_state a = PVX_DAEMON_STATE_INIT("pvx-unit");
	struct pvx_daemon_state b = PVX_DAEMON_STATE_INIT("pvx-unit");
	size_t ran_a, ran_b;
	char pid[32];

	ck_assert_int_eq(pvx_steps_start(table, 3, &a, &ran_a), 0);
	pvx_log_set_sink(sink, NULL);
	nr_lines = 0;
	ck_assert_int_eq(pvx_steps_start(table, 3, &b, &ran_b), -EBUSY);
	ck_assert_uint_eq(ran_b, 1);          /* only "paths" ran */
	ck_assert_ptr_null(b.base);
	ck_assert_int_eq(nr_lines, 1);
	snprintf(pid, sizeof(pid), "(pid %d)", (int)getpid());
	ck_assert_ptr_nonnull(strstr(last, "another pvx-unit already serves"));
	ck_assert_ptr_nonnull(strstr(last, rundir));
	ck_assert_ptr_nonnull(strstr(last, pid));
	pvx_steps_stop(table, ran_b, &b);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	ck_assert(file_has(a.pid_path, pid));
	pvx_steps_stop(table, ran_a, &a);
	pvx_log_close();
}
END_TEST

static char trace[64];
static int fail_at = -1;

static int step_init(int i)
{
	size_t n = strlen(trace);

	snprintf(trace + n, sizeof(trace) - n, "+%d", i);
	return i == fail_at ? -EIO : 0;
}

static void step_exit(int i)
{
	size_t n = strlen(trace);

	snprintf(trace + n, sizeof(trace) - n, "-%d", i);
}

static int init0(void *c) { (void)c; return step_init(0); }
static int init1(void *c) { (void)c; return step_init(1); }
static int init3(void *c) { (void)c; return step_init(3); }
static void exit0(void *c) { (void)c; step_exit(0); }
static void exit2(void *c) { (void)c; step_exit(2); }
static void exit3(void *c) { (void)c; step_exit(3); }

static const struct pvx_step steps[] = {
	{ "zero", init0, exit0 },
	{ "one", init1, NULL },
	{ "two", NULL, exit2 },
	{ "three", init3, exit3 },
};

START_TEST(steps_start_in_order_and_stop_in_reverse)
{
	size_t ran;

	ck_assert_int_eq(pvx_steps_start(steps, 4, NULL, &ran), 0);
	ck_assert_uint_eq(ran, 4);
	pvx_steps_stop(steps, ran, NULL);
	ck_assert_str_eq(trace, "+0+1+3-3-2-0");
}
END_TEST

START_TEST(a_failed_step_stops_only_those_before_it)
{
	size_t ran;

	fail_at = 3;
	pvx_log_set_sink(sink, NULL);
	ck_assert_int_eq(pvx_steps_start(steps, 4, NULL, &ran), -EIO);
	ck_assert_uint_eq(ran, 3);
	ck_assert_ptr_nonnull(strstr(last, "start-up failed at three: "));
	pvx_steps_stop(steps, ran, NULL);
	ck_assert_str_eq(trace, "+0+1+3-2-0");
}
END_TEST

/* /proc/PID/stat lines: the name may hold spaces and parens; field 9 is
 * the flags, PF_EXITING 0x4. */
START_TEST(stat_line_shows_an_exiting_process)
{
	ck_assert_int_eq(pvx_proc_stat_exiting(
		"42 (pvxd) S 1 42 42 0 -1 4194560 120 0 0 0 3 1 0 0 20 0"), 0);
	ck_assert_int_eq(pvx_proc_stat_exiting(
		"42 (pvxd) S 1 42 42 0 -1 4194564 120 0 0 0 3 1 0 0 20 0"), 1);
	ck_assert_int_eq(pvx_proc_stat_exiting(
		"42 (pvxd) Z 1 42 42 0 -1 4194560 120 0 0 0 3 1 0 0 20 0"), 1);
	ck_assert_int_eq(pvx_proc_stat_exiting(
		"42 (a) Z (b) R 1 42 42 0 -1 4194560 120"), 0);
	ck_assert_int_eq(pvx_proc_stat_exiting(
		"42 (a) S 1 (b) Z 1 42 42 0 -1 4 1"), 1);
	ck_assert_int_eq(pvx_proc_stat_exiting("42 (pvxd) X 1 42 42 0 -1 0\n"), 1);
	ck_assert_int_eq(pvx_proc_stat_exiting("42 (pvxd) S 1 42 42 0 -1"), -EINVAL);
	ck_assert_int_eq(pvx_proc_stat_exiting("42 (pvxd) S 1 42 42 0 -1 x4"), -EINVAL);
	ck_assert_int_eq(pvx_proc_stat_exiting("42 pvxd S 1 42 42 0 -1 4"), -EINVAL);
	ck_assert_int_eq(pvx_proc_stat_exiting(""), -EINVAL);
	/* Ourselves: running, not exiting. */
	ck_assert(!pvx_pid_dying(getpid()));
}
END_TEST

static void *linger(void *arg)
{
	(void)arg;
	usleep(400 * 1000);
	return NULL; /* the last thread: the process ends, its flock goes */
}

/* A daemon killed -9 keeps its flock while its threads tear down: its
 * leader is Z (PF_EXITING) and another thread still runs. The child
 * below plays that (its leader exits first); a new instance waits for it
 * and takes the pid file, instead of "another ... already serves". */
START_TEST(pidfile_waits_for_a_holder_that_is_exiting)
{
	struct pvx_daemon_state a = PVX_DAEMON_STATE_INIT("pvx-unit");
	struct pvx_daemon_state b = PVX_DAEMON_STATE_INIT("pvx-unit");
	struct timespec t0, t1;
	int sync[2], i;
	pid_t child;
	char c;

	ck_assert_int_eq(pvx_daemon_paths(&a), 0);
	ck_assert_int_eq(pvx_daemon_paths(&b), 0);
	ck_assert_int_eq(pipe(sync), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pthread_t t;

		if (pvx_daemon_lock_pidfile(&a) || pthread_create(&t, NULL, linger, NULL) ||
		    write(sync[1], "x", 1) != 1)
			_exit(1);
		pthread_exit(NULL); /* the leader goes first: Z, PF_EXITING */
	}
	ck_assert_int_eq(read(sync[0], &c, 1), 1);
	for (i = 0; i < 100 && !pvx_pid_dying(child); i++)
		usleep(2000);
	ck_assert(pvx_pid_dying(child));
	ck_assert_int_eq(pvx_flock_holder(open(a.pid_path, O_RDONLY | O_CLOEXEC)), child);
	pvx_log_set_sink(sink, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(pvx_daemon_lock_pidfile(&b), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_ptr_nonnull(strstr(last, "waiting for the exiting pvx-unit"));
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 3);
	ck_assert(!pvx_pid_dying(child));
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	pvx_daemon_unlock_pidfile(&b);
	pvx_daemon_paths_exit(&a);
	pvx_daemon_paths_exit(&b);
	close(sync[0]);
	close(sync[1]);
}
END_TEST

/* A live holder that is not exiting still refuses at once. */
START_TEST(pidfile_refuses_a_live_holder_at_once)
{
	struct pvx_daemon_state a = PVX_DAEMON_STATE_INIT("pvx-unit");
	struct pvx_daemon_state b = PVX_DAEMON_STATE_INIT("pvx-unit");
	struct timespec t0, t1;

	ck_assert_int_eq(pvx_daemon_paths(&a), 0);
	ck_assert_int_eq(pvx_daemon_paths(&b), 0);
	ck_assert_int_eq(pvx_daemon_lock_pidfile(&a), 0);
	ck_assert_int_eq(pvx_flock_holder(a.pid_fd), getpid());
	pvx_log_set_sink(sink, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(pvx_daemon_lock_pidfile(&b), -EBUSY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_le(t1.tv_sec - t0.tv_sec, 1);
	ck_assert_int_eq(pvx_wait_dying(getpid(), 100), 0);
	pvx_daemon_unlock_pidfile(&a);
	pvx_daemon_paths_exit(&a);
	pvx_daemon_paths_exit(&b);
}
END_TEST

Suite *make_daemon_suite(void)
{
	Suite *s = suite_create("daemon");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, paths_make_dirs_and_log);
	tcase_add_test(tc, pidfile_locks_out_a_second_instance);
	tcase_add_test(tc, pidfile_is_0644_whatever_the_umask);
	tcase_add_test(tc, listen_unix_has_its_mode_from_the_start);
	tcase_add_test(tc, sigterm_and_sigint_end_the_loop);
	tcase_add_test(tc, steps_start_in_order_and_stop_in_reverse);
	tcase_add_test(tc, a_failed_step_stops_only_those_before_it);
	tcase_add_test(tc, paths_take_the_daemons_modes);
	tcase_add_test(tc, a_second_instance_is_refused_in_one_line);
	tcase_add_test(tc, stat_line_shows_an_exiting_process);
	tcase_add_test(tc, pidfile_waits_for_a_holder_that_is_exiting);
	tcase_add_test(tc, pidfile_refuses_a_live_holder_at_once);
	suite_add_tcase(s, tc);
	return s;
}
