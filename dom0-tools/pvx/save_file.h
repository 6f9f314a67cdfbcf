/* Save files and --json figures for save, restore and snapshots (save_file.c). */
#ifndef PVX_CLI_SAVE_FILE_H
#define PVX_CLI_SAVE_FILE_H

#include <stdint.h>
#include <stdio.h>

struct pvx_ctl;
struct pvx_save_opts;
struct pvx_mig_stats;

/* pvx_save_fd into FILE through FILE.part-PID (fsync, rename); the part
 * file is removed on failure. 0 or -errno, one line printed. */
int pvx_save_to_file(struct pvx_ctl *c, int32_t domid, const char *file,
		     const struct pvx_save_opts *o, struct pvx_mig_stats *st);
/* One JSON object: domid, bytes, pages, rounds, ..., total_ms. */
void pvx_mig_stats_json(const struct pvx_mig_stats *st, int32_t domid, FILE *out);

#endif
