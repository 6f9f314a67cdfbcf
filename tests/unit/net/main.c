/* unit-net: the Check runner of libpvxnetback's suites (stub). */
#include <check.h>
#include <stdlib.h>

#include "../../../pv-drivers/net/back/netback.h"

int main(void)
{
	return EXIT_SUCCESS;
}
