/*
 * Command line: "[key=value ...] [PROGRAM [ARG ...]]", words separated
 * by spaces. Options are key=value words before the program name:
 *   console=both|ring|xen   where output goes (console.h)
 *   hcpage=auto|self        self: never use the hypervisor's page
 *   spin=US                 idle spin before SCHEDOP_poll (sched.c)
 *   control=on|off          off: no control thread (control.c)
 *   quiesce=MS              suspend: wait at most MS for device I/O (suspend.c)
 *   test=PROGRAM            same as naming the program
 * The first other word names the program (default "hello"); the words
 * after it are its arguments, passed through untouched.
 */
#include <minios/cmdline.h>
#include <minios/lib.h>

static int option(struct cmdline *cl, char *word)
{
	uint64_t v;

	if (!strcmp(word, "console=both"))
		cl->console = CONSOLE_BOTH;
	else if (!strcmp(word, "console=ring"))
		cl->console = CONSOLE_RING;
	else if (!strcmp(word, "console=xen"))
		cl->console = CONSOLE_XEN;
	else if (!strcmp(word, "hcpage=self"))
		cl->hcpage_self = 1;
	else if (!strcmp(word, "hcpage=auto"))
		cl->hcpage_self = 0;
	else if (!strncmp(word, "spin=", 5) && parse_u64(word + 5, &v) == 0 && v <= 1000000)
		cl->spin_us = (long)v;
	else if (!strncmp(word, "quiesce=", 8) && parse_u64(word + 8, &v) == 0 && v <= 60000)
		cl->quiesce_ms = (long)v;
	else if (!strcmp(word, "control=off"))
		cl->control_off = 1;
	else if (!strcmp(word, "control=on"))
		cl->control_off = 0;
	else if (!strncmp(word, "test=", 5))
		cl->argv[cl->argc++] = word + 5;
	else
		return 0;
	return 1;
}

static int has_equals(const char *word)
{
	for (; *word; word++)
		if (*word == '=')
			return 1;
	return 0;
}

void cmdline_parse(char *line, struct cmdline *cl)
{
	char *p = line;

	*cl = (struct cmdline){ .console = CONSOLE_BOTH, .spin_us = -1, .quiesce_ms = -1 };
	while (*p && cl->argc < CMDLINE_MAX_ARGS) {
		char *word;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		word = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
		if (cl->argc == 0 && has_equals(word)) {
			if (!option(cl, word))
				cl->unknown = word;
			continue;
		}
		cl->argv[cl->argc++] = word;
	}
	if (cl->argc == 0)
		cl->argv[cl->argc++] = "hello";
	cl->argv[cl->argc] = NULL;
}
