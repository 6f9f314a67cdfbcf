/* cli_run.h: pvx_main with fd 2 pointed at a temporary file meanwhile. */
#include <check.h>
#include <stdio.h>
#include <unistd.h>

#include "../../../dom0-tools/pvx/cmd.h"
#include "cli_run.h"

void cli_run(struct cli_capture *c, char **argv)
{
	FILE *e = tmpfile();
	int se = dup(2), argc = 0;
	size_t n;

	while (argv[argc])
		argc++;
	ck_assert_ptr_nonnull(e);
	fflush(stderr);
	dup2(fileno(e), 2);
	c->rc = pvx_main(argc, argv);
	fflush(stderr);
	dup2(se, 2);
	close(se);
	rewind(e);
	n = fread(c->err, 1, sizeof(c->err) - 1, e);
	c->err[n] = '\0';
	fclose(e);
}
