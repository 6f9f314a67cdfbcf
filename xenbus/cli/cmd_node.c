/*
 * `read`, `exists`, `list`, `write`, `mkdir`, `rm`: one request per path.
 * Several writes, mkdirs or removals in one command go in one
 * transaction (retried on EAGAIN), so they land together.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int xs_cmd_read(struct xs_handle *h, int argc, char **argv)
{
	bool prefix = false, raw = false;
	char *val, *s;
	size_t len;
	int opt, rc, i;

	optind = 0;
	while ((opt = getopt(argc, argv, "+pR")) != -1) {
		if (opt == 'p')
			prefix = true;
		else if (opt == 'R')
			raw = true;
		else
			return xs_cli_opt_err("read", "pR");
	}
	if (optind >= argc)
		return xs_cli_usage("read");
	for (i = optind; i < argc; i++) {
		if ((rc = xs_read(h, XBT_NULL, argv[i], &val, &len))) {
			xs_cli_err("read", "couldn't read path", argv[i], rc);
			return 1;
		}
		s = raw ? NULL : xs_cli_sanitise(val, len);
		if (prefix)
			printf("%s: ", argv[i]);
		if (raw)
			fwrite(val, 1, len, stdout);
		else
			fputs(s ? s : "", stdout);
		putchar('\n');
		free(s);
		free(val);
	}
	return 0;
}

int xs_cmd_exists(struct xs_handle *h, int argc, char **argv)
{
	char *val;
	int i;

	if (argc < 2)
		return xs_cli_usage("exists");
	for (i = 1; i < argc; i++) {
		if (xs_read(h, XBT_NULL, argv[i], &val, NULL))
			return 1;
		free(val);
	}
	return 0;
}

int xs_cmd_list(struct xs_handle *h, int argc, char **argv)
{
	bool prefix = false;
	char **names;
	unsigned n, k;
	int opt, rc, i;

	optind = 0;
	while ((opt = getopt(argc, argv, "+p")) != -1) {
		if (opt != 'p')
			return xs_cli_opt_err("list", "p");
		prefix = true;
	}
	if (optind >= argc)
		return xs_cli_usage("list");
	for (i = optind; i < argc; i++) {
		if ((rc = xs_directory(h, XBT_NULL, argv[i], &names, &n))) {
			xs_cli_err("list", "could not list path", argv[i], rc);
			return 1;
		}
		for (k = 0; k < n; k++)
			printf("%s%s%s\n", prefix ? argv[i] : "", prefix ? "/" : "",
			       names[k]);
		free(names);
	}
	return 0;
}

struct batch {
	int argc;
	char **argv;
	int verb;   /* 'w', 'm', 'r' */
	bool tidy;
	const char *failed;
};

static int rm_tidy(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	char *p = strdup(path), *slash, *val, **names;
	unsigned n;
	size_t len;
	int rc = p ? 0 : -ENOMEM;

	/* Remove parents left empty (no value, no children), up to "/". */
	while (!rc && (slash = strrchr(p, '/')) && slash != p) {
		*slash = '\0';
		if (xs_read(h, t, p, &val, &len))
			break;
		free(val);
		if (len || xs_directory(h, t, p, &names, &n))
			break;
		free(names);
		if (n)
			break;
		rc = xs_rm(h, t, p);
	}
	free(p);
	return rc;
}

static int batch_fn(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	struct batch *b = arg;
	int i, rc = 0;

	for (i = 0; i < b->argc && !rc; i += b->verb == 'w' ? 2 : 1) {
		b->failed = b->argv[i];
		if (b->verb == 'w') {
			char *buf = malloc(strlen(b->argv[i + 1]) + 1);
			size_t len;

			if (!buf)
				return -ENOMEM;
			len = xs_cli_unsanitise(b->argv[i + 1], buf);
			rc = xs_write(h, t, b->argv[i], buf, len);
			free(buf);
		} else if (b->verb == 'm') {
			rc = xs_mkdir(h, t, b->argv[i]);
		} else {
			rc = xs_rm(h, t, b->argv[i]);
			if (!rc && b->tidy)
				rc = rm_tidy(h, t, b->argv[i]);
		}
	}
	return rc;
}

static int run_batch(struct xs_handle *h, struct batch *b, const char *verb)
{
	int rc;

	if (b->argc == (b->verb == 'w' ? 2 : 1))
		rc = batch_fn(h, XBT_NULL, b);
	else
		rc = xs_transaction_run(h, batch_fn, b, 0);
	if (rc) {
		xs_cli_err(verb, b->verb == 'w' ? "could not write path" :
			b->verb == 'm' ? "could not create path" :
			"could not remove path", b->failed ? b->failed : "", rc);
		return 1;
	}
	return 0;
}

int xs_cmd_write(struct xs_handle *h, int argc, char **argv)
{
	struct batch b = { argc - 1, argv + 1, 'w', false, NULL };

	if (argc < 3 || (argc - 1) % 2)
		return xs_cli_usage("write");
	return run_batch(h, &b, "write");
}

int xs_cmd_mkdir(struct xs_handle *h, int argc, char **argv)
{
	struct batch b = { argc - 1, argv + 1, 'm', false, NULL };

	if (argc < 2)
		return xs_cli_usage("mkdir");
	return run_batch(h, &b, "mkdir");
}

int xs_cmd_rm(struct xs_handle *h, int argc, char **argv)
{
	struct batch b = { 0, NULL, 'r', false, NULL };
	int opt;

	optind = 0;
	while ((opt = getopt(argc, argv, "+t")) != -1) {
		if (opt != 't')
			return xs_cli_opt_err("rm", "t");
		b.tidy = true;
	}
	if (optind >= argc)
		return xs_cli_usage("rm");
	b.argc = argc - optind;
	b.argv = argv + optind;
	return run_batch(h, &b, "rm");
}
