/* pvx-xenstore: the xenstore CLI as a standalone program (for tests and
 * for users without the pvx front end). */
#include <pvx/xs_cli.h>

int main(int argc, char **argv)
{
	argv[0] = "xenstore";
	return xs_cli_main(argc, argv);
}
