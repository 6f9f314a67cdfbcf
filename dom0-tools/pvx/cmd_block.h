/*
 * Virtual block devices in xenstore (cmd_block_dev.c), shared by the
 * create hook and `pvx block-attach/-detach/-list`.
 */
#ifndef PVX_CLI_BLOCK_H
#define PVX_CLI_BLOCK_H

#include <stddef.h>
#include <stdint.h>

struct pvx_disk_spec;

/* "xvda" -> 51712 (xen-vbd-interface); a bare number as given. -EINVAL. */
int pvx_blk_vdev_devid(const char *vdev, uint32_t *devid);
/* Writes F and B for one disk (one transaction); -EEXIST if the vdev is
 * taken. err gets one line on failure. */
int pvx_blk_add(int32_t domid, const struct pvx_disk_spec *disk, char *err, size_t errlen);
/* online=0, waits up to timeout_ms for pvx-blkback to reach Closed, then
 * removes F and B. -ENOENT: no such device; -ETIMEDOUT: the backend did
 * not close in time (F and B are removed anyway: force). */
int pvx_blk_remove(int32_t domid, uint32_t devid, int timeout_ms);
/* Removes every vbd of domid without waiting (domain teardown). */
void pvx_blk_remove_all(int32_t domid);

int cmd_block_attach(int argc, char **argv);
int cmd_block_detach(int argc, char **argv);
int cmd_block_list(int argc, char **argv);

#endif
