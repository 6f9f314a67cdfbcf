/*
 * The minios services blkfront.c uses, faked on the host: a xenstore of
 * up to 128 nodes, a clock that msleep advances (so 10 s timeouts take no
 * time), a ringfront that hands out fixed refs and port, and a scripted
 * backend: fake_backend() runs on every msleep and may react to what the
 * frontend wrote, as pvx-blkback would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/errno.h>

#include "fake_minios.h"

struct node {
	char path[128], val[64];
	int used;
};
static struct node nodes[128];
static uint64_t clock_ns;
static int txns, commits_to_fail;
void (*fake_backend)(void);

void fake_reset(void)
{
	memset(nodes, 0, sizeof(nodes));
	clock_ns = 1000000000ull;
	txns = commits_to_fail = 0;
	fake_backend = NULL;
}

void fake_fail_commits(int n)
{
	commits_to_fail = n;
}

int fake_commits(void)
{
	return txns;
}

static struct node *find(const char *path)
{
	for (int i = 0; i < 128; i++)
		if (nodes[i].used && !strcmp(nodes[i].path, path))
			return &nodes[i];
	return NULL;
}

void fake_set(const char *path, const char *val)
{
	struct node *n = find(path);

	for (int i = 0; !n && i < 128; i++)
		if (!nodes[i].used)
			n = &nodes[i];
	if (!n)
		abort(); /* more nodes than any test writes */
	snprintf(n->path, sizeof(n->path), "%s", path);
	snprintf(n->val, sizeof(n->val), "%s", val);
	n->used = 1;
}

void fake_rm(const char *path)
{
	struct node *n = find(path);

	if (n)
		n->used = 0;
}

const char *fake_get(const char *path)
{
	struct node *n = find(path);

	return n ? n->val : NULL;
}

int xs_read(uint32_t tx, const char *path, char *buf, size_t len)
{
	const char *v = fake_get(path);

	(void)tx;
	if (!v)
		return -XEN_ENOENT;
	snprintf(buf, len, "%s", v);
	return (int)strlen(buf);
}

int xs_write(uint32_t tx, const char *path, const char *value)
{
	(void)tx;
	fake_set(path, value);
	return 0;
}

int xs_directory(uint32_t tx, const char *path, char *buf, size_t len)
{
	(void)tx, (void)path, (void)buf, (void)len;
	return -XEN_ENOENT;
}

int xs_transaction_start(uint32_t *tx)
{
	*tx = 1;
	return 0;
}

int xs_transaction_end(uint32_t tx, int commit)
{
	(void)tx;
	if (!commit)
		return 0;
	txns++;
	if (commits_to_fail > 0) {
		commits_to_fail--;
		return -XEN_EAGAIN;
	}
	return 0;
}

uint64_t time_now_ns(void)
{
	return clock_ns;
}

void msleep(uint64_t ms)
{
	clock_ns += ms * 1000000ull;
	if (fake_backend)
		fake_backend();
}

int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s)
		return -XEN_EINVAL;
	*out = strtoull(s, &end, 0);
	return *end ? -XEN_EINVAL : 0;
}

static uint8_t ring_pages[4][4096] __attribute__((aligned(4096)));
int ringfront_live;

int ringfront_setup(struct ringfront *rf, domid_t backend, unsigned nr_pages, size_t entry_size)
{
	memset(rf, 0, sizeof(*rf));
	rf->ring = ring_pages;
	rf->nr_pages = nr_pages;
	rf->backend = backend;
	rf->port = 7;
	for (unsigned i = 0; i < nr_pages; i++)
		rf->refs[i] = 100 + i;
	pvx_sring_init(rf->ring);
	pvx_ring_front_init(&rf->front, rf->ring,
			    pvx_ring_nr_ents(nr_pages * 4096, entry_size));
	ringfront_live = 1;
	return 0;
}

int ringfront_teardown(struct ringfront *rf)
{
	rf->ring = NULL;
	ringfront_live = 0;
	return 0;
}

void blkfront_io_reset(struct blkfront_dev *d)
{
	d->nr_inflight = 0;
}

/* blkfront_io.c is not linked: nothing is ever in flight here. */
int blkfront_wait(struct blkfront_dev *d, uint64_t deadline_ns)
{
	(void)d, (void)deadline_ns;
	return -XEN_EIO;
}

/* blkfront_suspend.c is not linked: open/close track devices for it. */
int fake_tracked;

void blkfront_track(struct blkfront_dev *d, int on)
{
	(void)d;
	fake_tracked += on ? 1 : -1;
}

int blkfront_gated(const struct blkfront_dev *d)
{
	(void)d;
	return 0;
}
