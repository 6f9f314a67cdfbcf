/*
 * Loading the persisted store (format in persist.c). The file is ours,
 * but it is still parsed with every length checked, so a torn or
 * corrupted file is reported (-EINVAL) instead of trusted. Domains are
 * re-introduced (their rings reconnect: we adopt the indices we left in
 * the page) and each restored watch fires once, so a guest re-reads what
 * changed while the daemon was down.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "persist.h"

struct rd {
	const uint8_t *p, *end;
	bool err;
};

static void get(struct rd *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->err = true;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static uint32_t get32(struct rd *r) { uint32_t v; get(r, &v, 4); return v; }
static uint64_t get64(struct rd *r) { uint64_t v; get(r, &v, 8); return v; }

/* A string of at most max bytes, NUL-terminated into out. */
static uint32_t get_str(struct rd *r, char *out, uint32_t max)
{
	uint32_t n = get32(r);

	if (n > max) {
		r->err = true;
		return 0;
	}
	get(r, out, n);
	out[n] = '\0';
	return n;
}

static uint32_t get_perms(struct rd *r, struct xs_perm *p, uint32_t max)
{
	uint32_t n = get32(r), i;

	if (n == 0 || n > max) {
		r->err = true;
		return 0;
	}
	for (i = 0; i < n; i++) {
		p[i].id = get32(r);
		p[i].perm = get32(r) & XS_PERM_BOTH;
	}
	return n;
}

#define MAX_PERMS 1024

static int load_node(struct xs_store *st, struct rd *r)
{
	static char path[XENSTORE_ABS_PATH_MAX], value[XENSTORE_PAYLOAD_MAX + 1];
	static struct xs_perm perms[MAX_PERMS];
	uint32_t n, len;

	get_str(r, path, XENSTORE_ABS_PATH_MAX - 1);
	n = get_perms(r, perms, MAX_PERMS);
	len = get_str(r, value, XENSTORE_PAYLOAD_MAX);
	if (r->err)
		return -EINVAL;
	if (strcmp(path, "/") == 0)
		return tree_set(st, path, value, len, true, perms, n);
	return tree_create(st, path, value, len, perms, n);
}

static int load_watch(struct xs_store *st, struct rd *r)
{
	static char path[XENSTORE_ABS_PATH_MAX], token[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t domid = get32(r), depth = get32(r), rel = get32(r);
	struct xs_domain *d;
	char home[32];
	size_t k;

	get_str(r, path, XENSTORE_ABS_PATH_MAX - 1);
	get_str(r, token, XENSTORE_PAYLOAD_MAX);
	if (r->err)
		return -EINVAL;
	d = domain_get(st, domid, false);
	if (!d || !d->conn || watch_add(d->conn, path, token, rel != 0,
					(int)depth))
		return 0;
	k = (size_t)snprintf(home, sizeof(home), "/local/domain/%u/", domid);
	xs_conn_event(d->conn, rel && strncmp(path, home, k) == 0 ? path + k : path,
		      token);
	return 0;
}

static int load_record(struct xs_store *st, struct rd *r, char tag)
{
	uint32_t domid, port, target, i;
	struct xs_domain *d;
	uint64_t gfn;

	switch (tag) {
	case 'N':
		return load_node(st, r);
	case 'S':
		i = get32(r);
		if (i > 1)
			return -EINVAL;
		st->special_nperms[i] = get_perms(r, st->special_perms[i], 8);
		return r->err ? -EINVAL : 0;
	case 'D':
		domid = get32(r);
		gfn = get64(r);
		port = get32(r);
		target = get32(r);
		if (r->err || xs_domain_introduce(st, domid, gfn, port))
			return r->err ? -EINVAL : 0;
		d = domain_get(st, domid, false);
		if (d)
			d->target = target;
		return 0;
	case 'W':
		return load_watch(st, r);
	default:
		return -EINVAL;
	}
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat sb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return errno == ENOENT ? 1 : -errno;
	if (fstat(fd, &sb) || !(*buf = malloc(sb.st_size + 1))) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, *buf, sb.st_size);
	if (n != sb.st_size)
		rc = -EIO;
	*len = sb.st_size;
	close(fd);
	return rc;
}

int persist_load(struct xs_store *st, const char *path)
{
	uint8_t *buf = NULL;
	struct rd r;
	uint64_t records = 0;
	size_t len = 0;
	char tag;
	int rc = read_file(path, &buf, &len);

	if (rc)
		return rc > 0 ? 0 : rc;
	r.p = buf;
	r.end = buf + len;
	r.err = false;
	rc = -EINVAL;
	if (len < strlen(MAGIC_STR) || memcmp(buf, MAGIC_STR, strlen(MAGIC_STR)))
		goto out;
	r.p += strlen(MAGIC_STR);
	for (;;) {
		get(&r, &tag, 1);
		if (r.err)
			goto out;
		if (tag == 'E')
			break;
		if (load_record(st, &r, tag))
			goto out;
		records++;
	}
	rc = get64(&r) == records && !r.err ? 0 : -EINVAL;
	pvx_log_info("persist: loaded %llu records from %s",
	       (unsigned long long)records, path);
out:
	free(buf);
	return rc;
}
