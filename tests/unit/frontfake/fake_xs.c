/*
 * The minios services every frontend's handshake uses, faked on the host
 * for unit-blkfront and unit-netfront: a xenstore of up to 128 nodes
 * (with directory listing, and transactions whose commit can be made to
 * fail), a clock that msleep advances (so 10 s timeouts take no time),
 * and a scripted backend: fake_backend() runs on every msleep and may
 * react to what the frontend wrote, as pvx-blkback or pvx-netback would.
 * Each test's own fake_minios.c adds the rings and whatever else its
 * driver calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/errno.h>

#include "fake_xs.h"

struct node {
	char path[128], val[64];
	int used;
};
static struct node nodes[128];
static uint64_t clock_ns;
static int txns, commits_to_fail;
void (*fake_backend)(void);

void fake_xs_reset(void)
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

/* The distinct first components under path/ of every node. */
int xs_directory(uint32_t tx, const char *path, char *buf, size_t len)
{
	size_t plen = strlen(path), used = 0;
	int count = 0;

	(void)tx;
	for (int i = 0; i < 128; i++) {
		const char *rest = nodes[i].path + plen;
		char name[64];
		size_t n = 0;
		int dup = 0;

		if (!nodes[i].used || strncmp(nodes[i].path, path, plen) || *rest != '/')
			continue;
		rest++;
		while (rest[n] && rest[n] != '/' && n + 1 < sizeof(name)) {
			name[n] = rest[n];
			n++;
		}
		name[n] = '\0';
		for (size_t off = 0; off < used; off += strlen(buf + off) + 1)
			dup |= !strcmp(buf + off, name);
		if (dup || used + n + 1 > len)
			continue;
		memcpy(buf + used, name, n + 1);
		used += n + 1;
		count++;
	}
	return count ? count : -XEN_ENOENT;
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
