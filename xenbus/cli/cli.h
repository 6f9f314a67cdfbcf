/* The xenstore CLI's internals: its command table and shared helpers. */
#ifndef XS_CLI_INT_H
#define XS_CLI_INT_H

#include <stdio.h>

#include <pvx/xs.h>

struct xs_cli_cmd {
	const char *name;
	int (*fn)(struct xs_handle *h, int argc, char **argv);
	const char *summary;
	const char *usage;
};

/* argv[0] is the verb; getopt state is reset for each command. */
int xs_cmd_ls(struct xs_handle *h, int argc, char **argv);
int xs_cmd_read(struct xs_handle *h, int argc, char **argv);
int xs_cmd_exists(struct xs_handle *h, int argc, char **argv);
int xs_cmd_list(struct xs_handle *h, int argc, char **argv);
int xs_cmd_write(struct xs_handle *h, int argc, char **argv);
int xs_cmd_mkdir(struct xs_handle *h, int argc, char **argv);
int xs_cmd_rm(struct xs_handle *h, int argc, char **argv);
int xs_cmd_chmod(struct xs_handle *h, int argc, char **argv);
int xs_cmd_watch(struct xs_handle *h, int argc, char **argv);
int xs_cmd_control(struct xs_handle *h, int argc, char **argv);

/* Xen's value quoting: printable ASCII as is, "\\" for a backslash,
 * \t \n \r, and \ooo (octal) for any other byte. The caller frees. */
char *xs_cli_sanitise(const char *val, size_t len);
/* The inverse, for `write`: returns the decoded length. */
size_t xs_cli_unsanitise(const char *in, char *out);
void xs_cli_err(const char *verb, const char *what, const char *path, int rc);
int xs_cli_usage(const char *verb);
/* After getopt returned '?' (xs_cli_main turns getopt's messages off): one
 * line naming the option and the verb's usage; returns 2. */
int xs_cli_opt_err(const char *verb, const char *optstring);

#endif /* XS_CLI_INT_H */
