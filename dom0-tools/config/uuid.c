/*
 * The one text form of a domain UUID (8-4-4-4-12 lower-case hex, as xl
 * prints it and the `uuid` key parses it): the config dump, /vm/<uuid>
 * in xenstore, the kept-config file names and `pvx list` must all agree,
 * so they all call this.
 */
#include <stdio.h>

#include <pvx/config.h>

void pvx_uuid_format(const uint8_t u[16], char out[PVX_UUID_CHARS + 1])
{
	snprintf(out, PVX_UUID_CHARS + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
		 u[11], u[12], u[13], u[14], u[15]);
}
