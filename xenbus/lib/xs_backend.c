/*
 * Backend device directories, ROOT/<domid>/<devid>, as every Dom0 backend
 * (pvx-blkback, pvx-netback) watches them: the names are parsed strictly
 * (digits only, bounded), and a scan visits only directories that parse,
 * so an odd name written under ROOT is skipped with a count instead of
 * sending the caller's "rescan" path round again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/xs.h>

/* A decimal number of at most max at s; *end past it. */
static int parse_number(const char *s, unsigned long max, unsigned long *out, const char **end)
{
	unsigned long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = v;
	*end = p;
	return 0;
}

bool xs_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int xs_backend_parse(const char *root, const char *path, uint32_t max_devid,
		     int32_t *domid, uint32_t *devid)
{
	size_t n = strlen(root);
	unsigned long dom, dev;
	const char *p;

	if (strncmp(path, root, n) != 0 || path[n] != '/')
		return -EINVAL;
	if (parse_number(path + n + 1, XS_BACKEND_MAX_DOMID, &dom, &p) < 0 || *p != '/')
		return -EINVAL;
	if (parse_number(p + 1, max_devid, &dev, &p) < 0 || (*p && *p != '/'))
		return -EINVAL;
	*domid = (int32_t)dom;
	*devid = (uint32_t)dev;
	return 0;
}

int xs_backend_each(struct xs_handle *xs, const char *root, uint32_t max_devid,
		    xs_backend_fn fn, void *ctx)
{
	char **doms = NULL, **devs = NULL, path[256];
	unsigned nd = 0, nv = 0;
	int32_t domid;
	uint32_t devid;
	int rc, skipped = 0;

	rc = xs_directory(xs, XBT_NULL, root, &doms, &nd);
	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	for (unsigned i = 0; i < nd; i++) {
		unsigned long dom;
		const char *end;

		/* A domain's directory may vanish between the two reads: not odd. */
		if (parse_number(doms[i], XS_BACKEND_MAX_DOMID, &dom, &end) < 0 || *end ||
		    snprintf(path, sizeof(path), "%s/%s", root, doms[i]) >= (int)sizeof(path)) {
			skipped++;
			continue;
		}
		if (xs_directory(xs, XBT_NULL, path, &devs, &nv) < 0)
			continue;
		for (unsigned j = 0; j < nv; j++) {
			char full[sizeof(path) + 16];

			if (snprintf(full, sizeof(full), "%s/%s", path, devs[j]) >= (int)sizeof(full) ||
			    xs_backend_parse(root, full, max_devid, &domid, &devid) < 0) {
				skipped++;
				continue;
			}
			fn(ctx, full, domid, devid);
		}
		free(devs);
		devs = NULL;
	}
	free(doms);
	return skipped;
}
