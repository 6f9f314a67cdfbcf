/*
 * The parsed kernel command line (syntax in cmdline.c and docs/minios.md).
 */
#ifndef MINIOS_CMDLINE_H
#define MINIOS_CMDLINE_H

#include <stddef.h>

#include <minios/console.h>

#define CMDLINE_MAX_ARGS 16

struct cmdline {
	enum console_mode console;
	int hcpage_self;
	long spin_us;                    /* -1: default */
	int control_off;                 /* control=off */
	long quiesce_ms;                 /* quiesce=MS, -1: default (suspend.c) */
	const char *unknown;             /* last unrecognised option, or NULL */
	int argc;                        /* >= 1: argv[0] is the program */
	char *argv[CMDLINE_MAX_ARGS + 1];
};

/* Splits line in place (it must stay alive while cl is used). */
void cmdline_parse(char *line, struct cmdline *cl);

#endif /* MINIOS_CMDLINE_H */
