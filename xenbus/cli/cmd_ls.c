/*
 * `xenstore ls [-f] [-p] [path]`: the subtree below path, one node per
 * line, as Xen's xenstore-ls prints it: one space of indent per level,
 * `name = "value"` with the value quoted (escape.c), an unreadable node
 * as `name:`; lines are cut at the terminal width (80 when not a
 * terminal) with `\..."`, except with -f, which prints full paths and
 * never cuts. -p appends the permissions after a dotted leader.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

#define TAG_LEN 8 /* strlen(" = \"...\"") */

struct ls {
	struct xs_handle *h;
	int max_width, desired_width;
	bool full, perms;
};

static void print_perms(struct ls *o, const char *path, int linewid)
{
	struct xs_permission *p;
	char one[16];
	unsigned n, i;

	if (linewid >= 0) {
		putchar(' ');
		for (linewid++; linewid < o->desired_width && linewid < o->max_width;
		     linewid++)
			putchar(linewid & 1 ? '.' : ' ');
	}
	if (xs_get_perms(o->h, XBT_NULL, path, &p, &n)) {
		fprintf(stderr, "\ncould not access permissions for %s\n", path);
		return;
	}
	fputs("  (", stdout);
	for (i = 0; i < n; i++) {
		xs_perm_format(&p[i], one, sizeof(one));
		printf("%s%s", i ? "," : "", one);
	}
	putchar(')');
	free(p);
}

static void print_value(struct ls *o, const char *path, int linewid)
{
	char *val, *s;
	size_t len;

	if (xs_read(o->h, XBT_NULL, path, &val, &len)) {
		printf(":");
		linewid = -1;
	} else {
		s = xs_cli_sanitise(val, len);
		if (s && o->max_width < linewid + (int)len + TAG_LEN) {
			printf(" = \"%.*s\\...\"", o->max_width - TAG_LEN - linewid, s);
			linewid = -1;
		} else if (s) {
			linewid += printf(" = \"%s\"", s);
		}
		free(s);
		free(val);
	}
	if (o->perms)
		print_perms(o, path, linewid);
	putchar('\n');
}

static int ls_rec(struct ls *o, const char *path, int depth)
{
	char child[4096], **names;
	unsigned n, i;
	int rc, linewid;

	rc = xs_directory(o->h, XBT_NULL, path, &names, &n);
	if (rc) {
		xs_cli_err("ls", "cannot list", path, rc);
		return rc;
	}
	for (i = 0; i < n; i++) {
		snprintf(child, sizeof(child), "%s%s%s", path,
			 path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
		if (o->full) {
			linewid = printf("%s", child);
		} else {
			printf("%*s", depth, "");
			linewid = depth + printf("%.*s", o->max_width - TAG_LEN - depth,
						 names[i]);
		}
		print_value(o, child, linewid);
		ls_rec(o, child, depth + 1);
	}
	free(names);
	return 0;
}

int xs_cmd_ls(struct xs_handle *h, int argc, char **argv)
{
	struct ls o = { h, 80, 60, false, false };
	struct winsize ws;
	int opt;

	optind = 0;
	while ((opt = getopt(argc, argv, "+fp")) != -1) {
		if (opt == 'f')
			o.full = true;
		else if (opt == 'p')
			o.perms = true;
		else
			return xs_cli_opt_err("ls", "fp");
	}
	if (optind + 1 < argc)
		return xs_cli_usage("ls");
	if (o.full) {
		o.max_width = INT_MAX / 2;
		o.desired_width = 0;
	} else if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
		   ws.ws_col > TAG_LEN + 10) {
		o.max_width = ws.ws_col;
	}
	return ls_rec(&o, optind < argc ? argv[optind] : "/", 0) ? 1 : 0;
}
