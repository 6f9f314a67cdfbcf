/*
 * xenstore-guest OTHERDOM: the guest's view of xenstore, for the
 * xenstore-guest-* integration tests (the Dom0 side is the script).
 *
 *  1. its own subtree: relative and absolute reads of the toolstack's
 *     keys, write + read back + directory under data/;
 *  2. another domain's subtree (OTHERDOM): read and write are EACCES;
 *  3. a watch with a callback: it runs on the xenwatch thread and may
 *     itself read xenstore (it records the value it read);
 *  4. xs_transaction_run: a commit that conflicts (we change a node the
 *     transaction read) answers EAGAIN and the helper runs it again;
 *  5. a watch without callback receives a Dom0 write: the script writes
 *     data/from-dom0 after "xenstore-guest: waiting for dom0".
 * Then "PASS xenstore-guest", and the program stays up: every write of
 * data/step by Dom0 makes it re-read data/g and write data/echo-<step>
 * = <data/g>, so a test can check the store after a pvxstored restart.
 */
#include <xen/public/errno.h>

#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#include "programs.h"

#define WAIT_NS (20 * 1000000000ull)

static char buf[512];
static char cb_seen[64];
static unsigned cb_calls, tx_tries;

static int own_subtree(void)
{
	char domid[16], abs[96];
	int rc = xs_read(0, "domid", domid, sizeof(domid));

	if (rc < 0)
		return fail("xenstore-guest: read domid: %d", rc);
	snprintf(abs, sizeof(abs), "/local/domain/%s/name", domid);
	rc = xs_read(0, abs, buf, sizeof(buf));
	if (rc < 0)
		return fail("xenstore-guest: read %s: %d", abs, rc);
	printk("xenstore-guest: I am %s (domain %s)\n", buf, domid);
	rc = xs_write(0, "data/g", "guest-value");
	if (rc == 0)
		rc = xs_read(0, "data/g", buf, sizeof(buf));
	if (rc < 0 || strcmp(buf, "guest-value"))
		return fail("xenstore-guest: write/read data/g: %d", rc);
	rc = xs_directory(0, "data", buf, sizeof(buf));
	if (rc < 1)
		return fail("xenstore-guest: directory data: %d", rc);
	rc = xs_write(0, "name", "renamed-by-guest");
	if (rc != -XEN_EACCES)
		return fail("xenstore-guest: write of toolstack's name gave %d, want EACCES", rc);
	return 0;
}

static int other_domain(const char *other)
{
	char path[96];
	int rc;

	snprintf(path, sizeof(path), "/local/domain/%s/name", other);
	rc = xs_read(0, path, buf, sizeof(buf));
	if (rc != -XEN_EACCES)
		return fail("xenstore-guest: read %s gave %d, want EACCES", path, rc);
	snprintf(path, sizeof(path), "/local/domain/%s/data/intruder", other);
	rc = xs_write(0, path, "x");
	if (rc != -XEN_EACCES)
		return fail("xenstore-guest: write %s gave %d, want EACCES", path, rc);
	printk("xenstore-guest: domain %s's keys: read and write EACCES\n", other);
	return 0;
}

static void on_change(struct xs_watch *w, const char *path)
{
	(void)w;
	(void)path;
	cb_calls++;
	/* A request from the callback: only possible on a thread that is
	 * not the ring's reader. */
	if (xs_read(0, "data/cbw", cb_seen, sizeof(cb_seen)) < 0)
		cb_seen[0] = '\0';
}

static int cb_saw_two(void *arg)
{
	(void)arg;
	return !strcmp(cb_seen, "2");
}

static int callback_watch(void)
{
	static struct xs_watch w = { .path = "data/cbw", .token = "cb", .cb = on_change };
	int rc = xs_write(0, "data/cbw", "0");

	if (rc == 0)
		rc = xs_watch_add(&w);
	if (rc == 0)
		rc = xs_write(0, "data/cbw", "1");
	if (rc == 0)
		rc = xs_write(0, "data/cbw", "2");
	if (rc < 0)
		return fail("xenstore-guest: callback watch setup: %d", rc);
	if (!thread_wait_cond(cb_saw_two, NULL, time_now_ns() + WAIT_NS))
		return fail("xenstore-guest: callback saw '%s' after %u calls", cb_seen, cb_calls);
	xs_watch_del(&w);
	printk("xenstore-guest: watch callback ran %u times on the xenwatch thread\n", cb_calls);
	return 0;
}

/* Reads data/tx in the transaction; on the first try changes it behind
 * the transaction's back, so the commit must fail with EAGAIN. */
static int tx_body(uint32_t tx, void *arg)
{
	int rc = xs_read(tx, "data/tx", buf, sizeof(buf));

	(void)arg;
	if (rc < 0)
		return rc;
	if (++tx_tries == 1 && (rc = xs_write(0, "data/tx", "outside")) < 0)
		return rc;
	return xs_write(tx, "data/tx", "from-transaction");
}

static int transaction_retry(void)
{
	int rc = xs_write(0, "data/tx", "start");

	if (rc == 0)
		rc = xs_transaction_run(tx_body, NULL, 5);
	if (rc < 0)
		return fail("xenstore-guest: transaction: %d after %u tries", rc, tx_tries);
	rc = xs_read(0, "data/tx", buf, sizeof(buf));
	if (rc < 0 || strcmp(buf, "from-transaction") || tx_tries != 2)
		return fail("xenstore-guest: transaction left '%s' after %u tries (want 2)",
			    rc < 0 ? "?" : buf, tx_tries);
	printk("xenstore-guest: conflicting commit got EAGAIN, retried: %u tries\n", tx_tries);
	return 0;
}

static int dom0_write(void)
{
	static struct xs_watch w = { .path = "data/from-dom0", .token = "dom0" };
	char path[XS_WATCH_PATH];
	uint64_t end = time_now_ns() + WAIT_NS;
	int rc = xs_watch_add(&w);

	if (rc < 0)
		return fail("xenstore-guest: watch data/from-dom0: %d", rc);
	printk("xenstore-guest: waiting for dom0\n");
	for (;;) {
		rc = xs_watch_wait(&w, path, sizeof(path), end);
		if (rc <= 0)
			return fail("xenstore-guest: no event for Dom0's write (%d)", rc);
		if (xs_read(0, "data/from-dom0", buf, sizeof(buf)) >= 0 && !strcmp(buf, "hello"))
			break;
	}
	xs_watch_del(&w);
	printk("xenstore-guest: event for Dom0's write, value '%s'\n", buf);
	return 0;
}

static void serve_steps(void)
{
	static struct xs_watch w = { .path = "data/step", .token = "step" };
	char path[XS_WATCH_PATH], step[32], key[64];
	int rc = xs_watch_add(&w);

	if (rc < 0) {
		printk("xenstore-guest: watch data/step: %d\n", rc);
		return;
	}
	for (;;) {
		if (xs_watch_wait(&w, path, sizeof(path), 0) < 0)
			return;
		if (xs_read(0, "data/step", step, sizeof(step)) <= 0)
			continue;
		rc = xs_read(0, "data/g", buf, sizeof(buf));
		snprintf(key, sizeof(key), "data/echo-%s", step);
		rc = rc < 0 ? rc : xs_write(0, key, buf);
		printk("xenstore-guest: step %s: data/g '%s' -> %s: %d\n", step,
		       rc < 0 ? "?" : buf, key, rc);
	}
}

int prog_xenstore_guest(int argc, char **argv)
{
	int rc = xs_init();

	if (argc < 2)
		return fail("xenstore-guest: usage: xenstore-guest OTHERDOM");
	if (rc < 0)
		return fail("xenstore-guest: no store ring: %d", rc);
	if (own_subtree() || other_domain(argv[1]) || callback_watch() ||
	    transaction_retry() || dom0_write())
		return 1;
	pass("xenstore-guest: own subtree, EACCES elsewhere, watches, EAGAIN retry");
	serve_steps();
	return 1;
}
