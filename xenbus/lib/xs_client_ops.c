/*
 * libpvxxs: the node, permission, transaction and domain calls, each a
 * thin encoding of one request (reference §3.2) over xs_request().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_client.h"

/* Requests whose payload is a list of NUL-terminated strings. */
static int req_strs(struct xs_handle *h, uint32_t type, xs_transaction_t t,
		    const char *const *args, unsigned n, char **rsp,
		    uint32_t *rsp_len)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t used = 0, k;
	unsigned i;

	for (i = 0; i < n; i++) {
		k = strlen(args[i]) + 1;
		if (used + k > sizeof(buf))
			return -E2BIG;
		memcpy(buf + used, args[i], k);
		used += k;
	}
	return xs_request(h, type, t, buf, used, rsp, rsp_len);
}

int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
	    char **val, size_t *len)
{
	uint32_t n;
	int rc = req_strs(h, XS_READ, t, &path, 1, val, &n);

	if (!rc && len)
		*len = n;
	return rc;
}

int xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
	     const void *val, size_t len)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t plen = strlen(path) + 1;

	if (plen + len > sizeof(buf))
		return -E2BIG;
	memcpy(buf, path, plen);
	memcpy(buf + plen, val, len);
	return xs_request(h, XS_WRITE, t, buf, plen + len, NULL, NULL);
}

int xs_write_str(struct xs_handle *h, xs_transaction_t t, const char *path,
		 const char *val)
{
	return xs_write(h, t, path, val, strlen(val));
}

int xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	return req_strs(h, XS_MKDIR, t, &path, 1, NULL, NULL);
}

int xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	return req_strs(h, XS_RM, t, &path, 1, NULL, NULL);
}

/* Splits "a\0b\0" into one allocation: the pointer array, then strings. */
static int split(const char *body, uint32_t len, char ***out, unsigned *n)
{
	unsigned count = 0, i = 0;
	uint32_t k;
	char **v, *s;

	for (k = 0; k < len; k++)
		count += body[k] == '\0';
	v = malloc((count + 1) * sizeof(*v) + len + 1);
	if (!v)
		return -ENOMEM;
	s = (char *)(v + count + 1);
	memcpy(s, body, len);
	s[len] = '\0';
	for (k = 0; i < count; k += strlen(s + k) + 1)
		v[i++] = s + k;
	v[count] = NULL;
	*out = v;
	*n = count;
	return 0;
}

int xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
		 char ***names, unsigned *n)
{
	char *body;
	uint32_t len;
	int rc = req_strs(h, XS_DIRECTORY, t, &path, 1, &body, &len);

	if (rc)
		return rc;
	rc = split(body, len, names, n);
	free(body);
	return rc;
}

int xs_perm_parse(const char *s, struct xs_permission *p)
{
	char *end;
	unsigned long id;

	switch (s[0]) {
	case 'n': p->perms = XS_PERM_NONE; break;
	case 'r': p->perms = XS_PERM_READ; break;
	case 'w': p->perms = XS_PERM_WRITE; break;
	case 'b': p->perms = XS_PERM_BOTH; break;
	default: return -EINVAL;
	}
	errno = 0;
	id = strtoul(s + 1, &end, 10);
	if (!s[1] || *end || errno || id > 0x7FEF)
		return -EINVAL;
	p->id = (uint32_t)id;
	return 0;
}

int xs_perm_format(const struct xs_permission *p, char *buf, size_t cap)
{
	static const char letters[] = "nrwb";
	int n = snprintf(buf, cap, "%c%u", letters[p->perms & 3], p->id);

	return n < 0 || (size_t)n >= cap ? -E2BIG : 0;
}

int xs_get_perms(struct xs_handle *h, xs_transaction_t t, const char *path,
		 struct xs_permission **perms, unsigned *n)
{
	char **v = NULL, *body;
	uint32_t len;
	unsigned i, count;
	int rc = req_strs(h, XS_GET_PERMS, t, &path, 1, &body, &len);

	if (rc)
		return rc;
	rc = split(body, len, &v, &count);
	free(body);
	if (rc)
		return rc;
	*perms = calloc(count ? count : 1, sizeof(**perms));
	rc = *perms ? 0 : -ENOMEM;
	for (i = 0; !rc && i < count; i++)
		rc = xs_perm_parse(v[i], &(*perms)[i]) ? -EPROTO : 0;
	free(v);
	if (rc) {
		free(*perms);
		*perms = NULL;
		return rc;
	}
	*n = count;
	return 0;
}

int xs_set_perms(struct xs_handle *h, xs_transaction_t t, const char *path,
		 const struct xs_permission *perms, unsigned n)
{
	char buf[XENSTORE_PAYLOAD_MAX], one[16];
	size_t used = strlen(path) + 1, k;
	unsigned i;

	if (used > sizeof(buf))
		return -E2BIG;
	memcpy(buf, path, used);
	for (i = 0; i < n; i++) {
		if (xs_perm_format(&perms[i], one, sizeof(one)))
			return -EINVAL;
		k = strlen(one) + 1;
		if (used + k > sizeof(buf))
			return -E2BIG;
		memcpy(buf + used, one, k);
		used += k;
	}
	return xs_request(h, XS_SET_PERMS, t, buf, used, NULL, NULL);
}

int xs_transaction_start(struct xs_handle *h, xs_transaction_t *t)
{
	const char *none = "";
	unsigned long v;
	char *body, *end;
	int rc = req_strs(h, XS_TRANSACTION_START, XBT_NULL, &none, 1, &body, NULL);

	if (rc)
		return rc;
	v = strtoul(body, &end, 10);
	rc = *end || v == 0 || v > UINT32_MAX ? -EPROTO : 0;
	free(body);
	if (!rc)
		*t = (xs_transaction_t)v;
	return rc;
}

int xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
	const char *arg = abort ? "F" : "T";

	return req_strs(h, XS_TRANSACTION_END, t, &arg, 1, NULL, NULL);
}

int xs_transaction_run(struct xs_handle *h, xs_txn_fn fn, void *arg,
		       unsigned max_tries)
{
	xs_transaction_t t;
	unsigned i;
	int rc = -EAGAIN;

	for (i = 0; i < (max_tries ? max_tries : 100) && rc == -EAGAIN; i++) {
		if ((rc = xs_transaction_start(h, &t)))
			return rc;
		rc = fn(h, t, arg);
		if (rc < 0) {
			xs_transaction_end(h, t, true);
			if (rc != -EAGAIN)
				return rc;
			continue;
		}
		rc = xs_transaction_end(h, t, false);
	}
	return rc;
}

static int req_domid(struct xs_handle *h, uint32_t type, uint32_t domid,
		     char **rsp)
{
	char id[16];
	const char *a = id;

	snprintf(id, sizeof(id), "%u", domid);
	return req_strs(h, type, XBT_NULL, &a, 1, rsp, NULL);
}

int xs_introduce_domain(struct xs_handle *h, uint32_t domid, uint64_t gfn,
			uint32_t port)
{
	char a[16], b[24], c[16];
	const char *args[] = { a, b, c };

	snprintf(a, sizeof(a), "%u", domid);
	snprintf(b, sizeof(b), "%llu", (unsigned long long)gfn);
	snprintf(c, sizeof(c), "%u", port);
	return req_strs(h, XS_INTRODUCE, XBT_NULL, args, 3, NULL, NULL);
}

int xs_release_domain(struct xs_handle *h, uint32_t domid)
{
	return req_domid(h, XS_RELEASE, domid, NULL);
}

int xs_resume_domain(struct xs_handle *h, uint32_t domid)
{
	return req_domid(h, XS_RESUME, domid, NULL);
}

int xs_is_domain_introduced(struct xs_handle *h, uint32_t domid, bool *yes)
{
	char *body;
	int rc = req_domid(h, XS_IS_DOMAIN_INTRODUCED, domid, &body);

	if (rc)
		return rc;
	*yes = body[0] == 'T';
	free(body);
	return 0;
}

int xs_get_domain_path(struct xs_handle *h, uint32_t domid, char **path)
{
	return req_domid(h, XS_GET_DOMAIN_PATH, domid, path);
}

int xs_set_target(struct xs_handle *h, uint32_t domid, uint32_t target)
{
	char a[16], b[16];
	const char *args[] = { a, b };

	snprintf(a, sizeof(a), "%u", domid);
	snprintf(b, sizeof(b), "%u", target);
	return req_strs(h, XS_SET_TARGET, XBT_NULL, args, 2, NULL, NULL);
}

int xs_reset_watches(struct xs_handle *h)
{
	const char *none = "";

	return req_strs(h, XS_RESET_WATCHES, XBT_NULL, &none, 1, NULL, NULL);
}

int xs_control(struct xs_handle *h, const char *cmd, char **out)
{
	return req_strs(h, XS_CONTROL, XBT_NULL, &cmd, 1, out, NULL);
}
