/*
 * The pvx CLI run in-process with its stderr captured: the harness of
 * the commands' usage-error tests (test_memsize.c, test_sched_cmds.c,
 * test_network.c).
 */
#ifndef UNIT_DOM0_CLI_RUN_H
#define UNIT_DOM0_CLI_RUN_H

struct cli_capture {
	char err[4096];         /* stderr, NUL-terminated (cut at 4095 bytes) */
	int rc;                 /* pvx_main's exit code */
};

/* argv: NULL-terminated and writable (getopt permutes it). */
void cli_run(struct cli_capture *c, char **argv);

#endif
