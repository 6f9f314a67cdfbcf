/*
 * Placeholders for save.h's engine until its implementation (save*.c,
 * branch mig-stream) is merged: weak, so the real definitions win at
 * link time; they answer -ENOSYS so that a migration fails cleanly and
 * leaves the source running. Delete this file once save*.c is on main.
 */
#include <errno.h>

#include "save.h"

__attribute__((weak)) int pvx_save_fd(struct pvx_ctl *ctl, int32_t domid, int fd,
				      const struct pvx_save_opts *o,
				      struct pvx_mig_stats *st)
{
	(void)ctl; (void)domid; (void)fd; (void)o; (void)st;
	return -ENOSYS;
}

__attribute__((weak)) int pvx_restore_fd(struct pvx_ctl *ctl, int fd,
					 const struct pvx_restore_opts *o,
					 int32_t *domid, struct pvx_mig_stats *st)
{
	(void)ctl; (void)fd; (void)o; (void)domid; (void)st;
	return -ENOSYS;
}
