/*
 * Save files for the commands (cmd_save.c, cmd_snapshot.c): a stream is
 * written to FILE.part-PID next to FILE, fsync'd, then renamed over
 * FILE, so a failed or interrupted save never leaves a partial file
 * under the real name (nor destroys an older FILE); the part file is
 * removed on failure. Also the final figures as --json.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pvx/json.h>

#include "cmd.h"
#include "save.h"
#include "save_file.h"

int pvx_save_to_file(struct pvx_ctl *c, int32_t domid, const char *file,
		     const struct pvx_save_opts *o, struct pvx_mig_stats *st)
{
	char part[4200];
	int fd, rc;

	if ((size_t)snprintf(part, sizeof(part), "%s.part-%d", file, (int)getpid()) >=
	    sizeof(part)) {
		pvx_err("save file name too long");
		return -ENAMETOOLONG;
	}
	fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		pvx_err("cannot create '%s': %s", part, strerror(-rc));
		return rc;
	}
	rc = pvx_save_fd(c, domid, fd, o, st);
	if (rc == 0 && fsync(fd) < 0) {
		rc = -errno;
		pvx_err("cannot write '%s': %s", file, strerror(-rc));
	}
	if (close(fd) < 0 && rc == 0) {
		rc = -errno;
		pvx_err("cannot write '%s': %s", file, strerror(-rc));
	}
	if (rc == 0 && rename(part, file) < 0) {
		rc = -errno;
		pvx_err("cannot rename '%s' to '%s': %s", part, file, strerror(-rc));
	}
	if (rc < 0)
		unlink(part);
	return rc;
}

void pvx_mig_stats_json(const struct pvx_mig_stats *st, int32_t domid, FILE *out)
{
	json_t *doc = json_object();

	pvx_json_set(doc, "domid", json_integer(domid));
	pvx_json_set(doc, "bytes", pvx_json_u64(st->bytes));
	pvx_json_set(doc, "pages", pvx_json_u64(st->pages));
	pvx_json_set(doc, "rounds", json_integer(st->rounds));
	pvx_json_set(doc, "last_round_pages", pvx_json_u64(st->last_round_pages));
	pvx_json_set(doc, "dirty_rate_mibs", pvx_json_fixed(st->dirty_rate_mibs, 2));
	pvx_json_set(doc, "total_ms", pvx_json_fixed(st->total_ms, 2));
	pvx_json_set(doc, "suspended_ms", pvx_json_fixed(st->suspended_ms, 2));
	pvx_json_set(doc, "precopy_ms", pvx_json_fixed(st->precopy_ms, 2));
	pvx_json_set(doc, "suspend_ms", pvx_json_fixed(st->suspend_ms, 2));
	pvx_json_set(doc, "last_round_ms", pvx_json_fixed(st->last_round_ms, 2));
	pvx_json_dump(out, doc, PVX_JSON_LINE, 1);
}
