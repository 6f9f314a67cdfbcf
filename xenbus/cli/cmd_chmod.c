/*
 * `xenstore chmod [-r] [-u] path perm...`: sets the permission list (the
 * first entry names the owner and the default). -r applies it to every
 * node below, -u to every parent up to the root's child.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int chmod_rec(struct xs_handle *h, const char *path,
		     const struct xs_permission *p, unsigned n)
{
	char child[4096], **names;
	unsigned k, i;
	int rc = xs_set_perms(h, XBT_NULL, path, p, n);

	if (rc) {
		xs_cli_err("chmod", "cannot set permissions on", path, rc);
		return rc;
	}
	if (xs_directory(h, XBT_NULL, path, &names, &k))
		return 0;
	for (i = 0; i < k && !rc; i++) {
		snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
			 names[i]);
		rc = chmod_rec(h, child, p, n);
	}
	free(names);
	return rc;
}

static int chmod_up(struct xs_handle *h, const char *path,
		    const struct xs_permission *p, unsigned n)
{
	char *buf = strdup(path), *slash;
	int rc = buf ? 0 : -ENOMEM;

	while (!rc && (slash = strrchr(buf, '/')) && slash != buf) {
		*slash = '\0';
		rc = xs_set_perms(h, XBT_NULL, buf, p, n);
		if (rc)
			xs_cli_err("chmod", "cannot set permissions on", buf, rc);
	}
	free(buf);
	return rc;
}

int xs_cmd_chmod(struct xs_handle *h, int argc, char **argv)
{
	bool recurse = false, upto = false;
	struct xs_permission *p;
	int opt, i, n, rc;

	optind = 0;
	while ((opt = getopt(argc, argv, "+ru")) != -1) {
		if (opt == 'r')
			recurse = true;
		else if (opt == 'u')
			upto = true;
		else
			return xs_cli_opt_err("chmod", "ru");
	}
	n = argc - optind - 1;
	if (n < 1)
		return xs_cli_usage("chmod");
	p = calloc(n, sizeof(*p));
	if (!p)
		return 1;
	for (i = 0; i < n; i++) {
		if (xs_perm_parse(argv[optind + 1 + i], &p[i])) {
			fprintf(stderr, "xenstore chmod: invalid permission '%s'\n",
				argv[optind + 1 + i]);
			free(p);
			return 2;
		}
	}
	if (recurse)
		rc = chmod_rec(h, argv[optind], p, n);
	else if ((rc = xs_set_perms(h, XBT_NULL, argv[optind], p, n)))
		xs_cli_err("chmod", "cannot set permissions on", argv[optind], rc);
	if (!rc && upto)
		rc = chmod_up(h, argv[optind], p, n);
	free(p);
	return rc ? 1 : 0;
}
