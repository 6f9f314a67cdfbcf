/*
 * The one logging API of the pvx daemons (ARCHITECTURE §4).
 *
 * A line is "2026-11-25T17:44:36.123Z IDENT LEVEL: message\n": UTC time
 * to the millisecond, the program's name, the level. Each line goes with
 * one write(2) to stderr and, once pvx_log_open() succeeded, to the log
 * file (normally <logdir>/IDENT.log), so nothing waits in a buffer if the
 * program dies, and lines of two writers of one file never interleave.
 *
 * Programs whose lines looked different before this library keep their
 * look (people and scripts read them) through pvx_log_set_prefix(), and
 * the ones that never copied their lines to stderr while a file was open
 * keep that through pvx_log_set_stderr().
 *
 * Configuration is process-wide (one program, one log) and set during
 * start-up; logging itself is safe from any thread.
 */
#ifndef PVX_LOG_H
#define PVX_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum pvx_log_level { PVX_LOG_ERR, PVX_LOG_WARN, PVX_LOG_INFO, PVX_LOG_DEBUG };

void pvx_log(enum pvx_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pvx_vlog(enum pvx_log_level lvl, const char *fmt, va_list ap);

#define pvx_log_err(...)   pvx_log(PVX_LOG_ERR, __VA_ARGS__)
#define pvx_log_warn(...)  pvx_log(PVX_LOG_WARN, __VA_ARGS__)
#define pvx_log_info(...)  pvx_log(PVX_LOG_INFO, __VA_ARGS__)
#define pvx_log_debug(...) pvx_log(PVX_LOG_DEBUG, __VA_ARGS__)

/* Appends to `path` (created with `mode`, e.g. 0644); 0 or -errno.
 * Replaces an open file. */
int pvx_log_open(const char *path, unsigned int mode);
void pvx_log_close(void);

/* Names the program in every line ("pvx-blkback"); the string must live. */
void pvx_log_set_ident(const char *ident);
/* Lines above `max` are dropped; the default is PVX_LOG_INFO. */
void pvx_log_set_level(enum pvx_log_level max);
bool pvx_log_enabled(enum pvx_log_level lvl);

enum pvx_log_stderr {
	PVX_LOG_STDERR_ALWAYS,          /* the default */
	PVX_LOG_STDERR_WITHOUT_FILE,    /* only while no file is open */
};
void pvx_log_set_stderr(enum pvx_log_stderr when);

/* Writes what precedes the message into buf (at most cap - 1 bytes and a
 * NUL) and returns its length; NULL restores the default prefix. */
typedef size_t pvx_log_prefix_fn(char *buf, size_t cap, enum pvx_log_level lvl,
				 void *arg);
void pvx_log_set_prefix(pvx_log_prefix_fn *fn, void *arg);
/* The time part of a prefix, with a trailing space:
 * "2026-11-25T17:44:36.123Z " with the date, "17:44:36.123 " without. */
size_t pvx_log_stamp(char *buf, size_t cap, bool with_date);

/* While a sink is set, each line goes to it (NUL-terminated, '\n'
 * included) instead of stderr and the file: tests assert on lines. */
void pvx_log_set_sink(void (*sink)(const char *line, void *arg), void *arg);

/* The pieces of pvx_vlog, for a program that also keeps lines elsewhere
 * (pvxd's rings): format one line (prefix, message, '\n'; cut to fit),
 * then send it where pvx_log would. */
size_t pvx_log_format(char *buf, size_t cap, enum pvx_log_level lvl,
		      const char *fmt, va_list ap);
void pvx_log_write(const char *line, size_t len);
/* Appends text as it is (no prefix) to the log file only. */
void pvx_log_raw(const char *text, size_t len);

#endif
