/*
 * The small programs: hello, timer, threads, shutdown, crash, crash-early.
 */
#include <xen/public/sched.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/platform.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "programs.h"

int prog_hello(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("Hello from minios (events %s, clock %s, console ring %s)\n",
	       shared_info ? "up" : "down", time_available() ? "up" : "down",
	       console_ring_active() ? "up" : "down");
	return pass("hello");
}

/* Prints ns as milliseconds with three decimals. */
static void fmt_ms(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%lu.%03lu", (unsigned long)(ns / 1000000),
		 (unsigned long)(ns / 1000 % 1000));
}

int prog_timer(int argc, char **argv)
{
	uint64_t ms, t0, t1, lo, hi;
	char got[32];

	if (arg_u64(argc, argv, 1, 100, &ms) < 0 || ms == 0 || ms > 60000)
		return fail("timer: bad argument (MS in 1..60000)");
	if (!time_available())
		return fail("timer: no clock (vcpu_time_info is empty)");
	t0 = time_now_ns();
	msleep(ms);
	t1 = time_now_ns();
	fmt_ms(got, sizeof(got), t1 - t0);
	printk("timer: msleep(%lu) took %s ms (%u idle polls)\n",
	       (unsigned long)ms, got, sched_idle_polls());
	lo = ms * 1000000ull * 8 / 10;
	hi = ms * 1000000ull * 12 / 10;
	if (t1 - t0 < lo || t1 - t0 > hi)
		return fail("timer: msleep(%lu) measured %s ms, outside +-20%%",
			    (unsigned long)ms, got);
	return pass("timer: msleep(%lu) measured %s ms", (unsigned long)ms, got);
}

/* threads: three workers interleave through yields, one sleeps, one
 * blocks on an event-channel port that main raises. */
static char order[32];
static unsigned order_len;
static evtchn_port_t ipi_port;
static uint64_t slept_ns, waited;

static void worker(void *arg)
{
	char id = (char)(uintptr_t)arg;
	int i;

	for (i = 0; i < 3; i++) {
		if (order_len < sizeof(order) - 1)
			order[order_len++] = id;
		thread_yield();
	}
}

static void sleeper(void *arg)
{
	uint64_t t0 = time_now_ns();

	(void)arg;
	msleep(20);
	slept_ns = time_now_ns() - t0;
}

static void waiter(void *arg)
{
	(void)arg;
	evtchn_wait(ipi_port);
	waited = 1;
}

static int join_all(struct thread **t, unsigned n, uint64_t deadline)
{
	unsigned i;

	for (;;) {
		for (i = 0; i < n && thread_finished(t[i]); i++)
			;
		if (i == n)
			return 0;
		if (time_now_ns() > deadline)
			return -1;
		msleep(1);
	}
}

int prog_threads(int argc, char **argv)
{
	struct thread *t[5];
	int rc;

	(void)argc;
	(void)argv;
	if (!time_available())
		return fail("threads: no clock");
	rc = evtchn_bind_ipi(0, &ipi_port);
	if (rc < 0)
		return fail("threads: EVTCHNOP_bind_ipi: %d", rc);
	t[0] = thread_create("a", worker, (void *)'a');
	t[1] = thread_create("b", worker, (void *)'b');
	t[2] = thread_create("c", worker, (void *)'c');
	t[3] = thread_create("sleeper", sleeper, NULL);
	t[4] = thread_create("waiter", waiter, NULL);
	if (!t[0] || !t[1] || !t[2] || !t[3] || !t[4])
		return fail("threads: thread_create");
	thread_yield();
	rc = evtchn_send(ipi_port);
	if (rc < 0)
		return fail("threads: EVTCHNOP_send to own IPI port: %d", rc);
	if (join_all(t, 5, time_now_ns() + 2000000000ull) < 0)
		return fail("threads: not all threads finished (order '%s', woken %lu)",
			    order, (unsigned long)waited);
	evtchn_close(ipi_port);
	if (strcmp(order, "abcabcabc"))
		return fail("threads: round robin order '%s', want 'abcabcabc'", order);
	if (slept_ns < 20000000ull)
		return fail("threads: msleep(20) returned after %lu ns", (unsigned long)slept_ns);
	return pass("threads: round robin, sleep %lu us, event wakeup",
		    (unsigned long)(slept_ns / 1000));
}

static const char *const reasons[] = {
	[SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
	[SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
	[SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

/* A reason name or number; -1 if neither. */
static int64_t parse_reason(const char *word)
{
	uint64_t r;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		if (!strcmp(word, reasons[i]))
			return i;
	if (parse_u64(word, &r) < 0 || r > 0xFFFFFFFFull)
		return -1;
	return (int64_t)r;
}

/* shutdown REASON [CODE]: CODE (a reason name or number, or the word
 * "code" for REASON itself) is first recorded as the domain's shutdown
 * code with SCHEDOP_shutdown_code; then SCHEDOP_shutdown(REASON). */
int prog_shutdown(int argc, char **argv)
{
	int64_t r, code = -1;

	if (argc < 2)
		return fail("shutdown: usage: shutdown REASON [CODE]");
	r = parse_reason(argv[1]);
	if (r < 0)
		return fail("shutdown: unknown reason '%s'", argv[1]);
	if (argc > 2) {
		code = !strcmp(argv[2], "code") ? r : parse_reason(argv[2]);
		if (code < 0)
			return fail("shutdown: unknown code '%s'", argv[2]);
	}
	printk("shutdown: SCHEDOP_shutdown reason %ld (%s)", (long)r,
	       r < (int64_t)ARRAY_SIZE(reasons) ? reasons[r] : "?");
	if (code >= 0)
		printk(" after SCHEDOP_shutdown_code %ld", (long)code);
	printk("\n");
	if (code >= 0)
		minios_shutdown_code((unsigned)code, (unsigned)r);
	minios_shutdown((unsigned)r);
}

int prog_crash(int argc, char **argv)
{
	uintptr_t addr = 0;

	(void)argc;
	(void)argv;
	/* Hide the constant from gcc, which would otherwise turn a known
	 * null store into ud2. */
	__asm__ volatile("" : "+r"(addr));
	printk("crash: writing to address 0; expect %s\n", platform_is_pvh() ?
	       "a #PF report and SHUTDOWN_crash" : "the domain to crash (pvxd logs the fault)");
	*(volatile uint64_t *)addr = 0xDEAD;
	return fail("crash: the write to address 0 did not fault");
}

int prog_crash_early(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("crash-early: faulting now (ud2)\n");
	__asm__ volatile("ud2");
	return fail("crash-early: ud2 did not fault");
}

/* console-flood [LINES]: LINES numbered lines (default 2000, ~130 KB),
 * far more than the 2 KiB ring holds, so the backend has to keep up or
 * minios has to wait; the test checks that every line arrives in order. */
int prog_console_flood(int argc, char **argv)
{
	uint64_t lines, i;

	if (arg_u64(argc, argv, 1, 2000, &lines) < 0 || !lines || lines > 1000000)
		return fail("console-flood: usage: console-flood [LINES]");
	for (i = 1; i <= lines; i++)
		printk("flood %06lu abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\n",
		       (unsigned long)i);
	return pass("console-flood: %lu lines", (unsigned long)lines);
}

/* console-echo [LINES]: reads console input (the ring's in[] side) and
 * prints "echo: LINE" for each line, until "quit" or LINES lines
 * (default 10); 60 s without input is a failure. */
static int echo_line(const char *line, uint64_t *left)
{
	printk("echo: %s\n", line);
	if (!strcmp(line, "quit") || --*left == 0)
		return 1;
	return 0;
}

int prog_console_echo(int argc, char **argv)
{
	char line[128], c;
	uint64_t left;
	size_t n = 0;
	int rc;

	if (arg_u64(argc, argv, 1, 10, &left) < 0 || !left)
		return fail("console-echo: usage: console-echo [LINES]");
	if (!console_port())
		return fail("console-echo: no console ring");
	printk("console-echo: ready\n");
	for (;;) {
		rc = console_read(&c, 1);
		if (rc < 0)
			return fail("console-echo: console_read: %d", rc);
		if (rc == 0) {
			if (!evtchn_wait_until(console_port(), time_now_ns() + 60000000000ull))
				return fail("console-echo: no input for 60 s");
			continue;
		}
		if (c == '\r' || c == '\n') {
			line[n] = '\0';
			n = 0;
			if (line[0] && echo_line(line, &left))
				break;
		} else if (n < sizeof(line) - 1) {
			line[n++] = c;
		}
	}
	return pass("console-echo");
}
