/* Snapshots (cmd_snapshot*.c, docs/migration.md "Snapshots"). */
#ifndef PVX_CLI_CMD_SNAPSHOT_H
#define PVX_CLI_CMD_SNAPSHOT_H

#include <stdbool.h>

/* Copies src to dst (reflink, else sparse copy) through dst.part. */
int pvx_snap_copy(const char *src, const char *dst, bool *reflinked);

#endif
