/*
 * The one logging API of the pvx Dom0 daemons (ARCHITECTURE §4).
 *
 * A line is "2026-11-25T17:44:36.123Z IDENT LEVEL: message": UTC time to
 * the millisecond, the program's name, the level. Each line goes with one
 * write(2) to stderr and, once pvx_log_open() succeeded, to the log file
 * (normally <logdir>/IDENT.log), so nothing waits in a buffer if the
 * daemon dies and lines of two writers never interleave.
 *
 * The state is process-wide (one program, one log); it is set once at
 * start-up from one thread.
 */
#ifndef PVX_LOG_H
#define PVX_LOG_H

#include <stdarg.h>

enum pvx_log_level { PVX_LOG_ERR, PVX_LOG_WARN, PVX_LOG_INFO, PVX_LOG_DEBUG };

/* Names the program in every line ("pvx-blkback"); the string must live. */
void pvx_log_set_ident(const char *ident);
/* Lines above `max` are dropped; the default is PVX_LOG_INFO. */
void pvx_log_set_level(enum pvx_log_level max);
/* Appends to `path` (created 0644); 0 or -errno. Replaces an open file. */
int pvx_log_open(const char *path);
void pvx_log_close(void);

void pvx_log(enum pvx_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pvx_vlog(enum pvx_log_level lvl, const char *fmt, va_list ap);

#define pvx_log_err(...)   pvx_log(PVX_LOG_ERR, __VA_ARGS__)
#define pvx_log_warn(...)  pvx_log(PVX_LOG_WARN, __VA_ARGS__)
#define pvx_log_info(...)  pvx_log(PVX_LOG_INFO, __VA_ARGS__)
#define pvx_log_debug(...) pvx_log(PVX_LOG_DEBUG, __VA_ARGS__)

#endif
