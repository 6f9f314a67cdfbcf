/*
 * xenstore: minios as a xenstore client over its store ring. Reads the
 * keys the toolstack wrote (domid, name), writes, reads back, lists,
 * removes, commits a transaction, and sees a watch fire (once when set,
 * once per write). A missing key must give ENOENT. Leaves data/minios =
 * "done" for the test to read from Dom0.
 */
#include <xen/public/errno.h>

#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#include "programs.h"

#define WATCH_WAIT_NS 2000000000ull

static char buf[1024];

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int expect_watch(const char *want_path, const char *what)
{
	char path[256], token[64];
	int rc = xs_read_watch(path, sizeof(path), token, sizeof(token),
			       time_now_ns() + WATCH_WAIT_NS);

	if (rc <= 0)
		return fail("xenstore: %s: no watch event (%d)", what, rc);
	if (strcmp(token, "mtok") || !ends_with(path, want_path))
		return fail("xenstore: %s: event '%s' token '%s'", what, path, token);
	return 0;
}

static int basics(void)
{
	int rc;

	rc = xs_read(0, "domid", buf, sizeof(buf));
	if (rc < 0)
		return fail("xenstore: read domid: %d", rc);
	printk("xenstore: domid %s\n", buf);
	rc = xs_read(0, "name", buf, sizeof(buf));
	if (rc < 0)
		return fail("xenstore: read name: %d", rc);
	printk("xenstore: name %s\n", buf);
	rc = xs_write(0, "data/minios-test", "hello from minios");
	if (rc < 0)
		return fail("xenstore: write: %d", rc);
	rc = xs_read(0, "data/minios-test", buf, sizeof(buf));
	if (rc < 0 || strcmp(buf, "hello from minios"))
		return fail("xenstore: read back: %d '%s'", rc, rc < 0 ? "" : buf);
	rc = xs_directory(0, "data", buf, sizeof(buf));
	if (rc < 1)
		return fail("xenstore: directory data: %d", rc);
	rc = xs_rm(0, "data/minios-test");
	if (rc < 0)
		return fail("xenstore: rm: %d", rc);
	rc = xs_read(0, "data/minios-test", buf, sizeof(buf));
	if (rc != -XEN_ENOENT)
		return fail("xenstore: read after rm gave %d, want -ENOENT", rc);
	return 0;
}

static int transaction(void)
{
	uint32_t tx;
	int rc = xs_transaction_start(&tx);

	if (rc < 0)
		return fail("xenstore: transaction start: %d", rc);
	rc = xs_write(tx, "data/tx", "committed");
	if (rc < 0)
		return fail("xenstore: write in transaction: %d", rc);
	rc = xs_transaction_end(tx, 1);
	if (rc < 0)
		return fail("xenstore: commit: %d", rc);
	rc = xs_read(0, "data/tx", buf, sizeof(buf));
	if (rc < 0 || strcmp(buf, "committed"))
		return fail("xenstore: transaction result: %d", rc);
	return 0;
}

static int watches(void)
{
	int rc = xs_watch("data/w", "mtok");

	if (rc < 0)
		return fail("xenstore: watch: %d", rc);
	if (expect_watch("data/w", "initial event"))
		return 1;
	rc = xs_write(0, "data/w", "1");
	if (rc < 0)
		return fail("xenstore: write watched: %d", rc);
	if (expect_watch("data/w", "event after write"))
		return 1;
	rc = xs_unwatch("data/w", "mtok");
	if (rc < 0)
		return fail("xenstore: unwatch: %d", rc);
	return 0;
}

int prog_xenstore(int argc, char **argv)
{
	int rc;

	(void)argc;
	(void)argv;
	rc = xs_init();
	if (rc < 0)
		return fail("xenstore: no store ring: %d", rc);
	if (basics() || transaction() || watches())
		return 1;
	rc = xs_write(0, "data/minios", "done");
	if (rc < 0)
		return fail("xenstore: final write: %d", rc);
	return pass("xenstore: read, write, directory, rm, transaction, watch");
}
