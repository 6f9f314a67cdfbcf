/* pvx: the Dom0 command-line tool. Everything is in the command table. */
#include "cmd.h"

int main(int argc, char **argv)
{
	return pvx_main(argc, argv);
}
