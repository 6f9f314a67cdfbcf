/*
 * pvxd's logging API, on libpvxutil's common one (pvx/log.h).
 *
 * Every line goes to stderr, to <logdir>/pvxd.log (when open) and to
 * pvxd's own textring, which PVX_CTL_DMESG serves as domain -1. Lines are
 * prefixed with a UTC timestamp and the level. Safe from any thread.
 *
 * Messages a guest can trigger at will (unknown ports, bad MSRs) go
 * through a struct ratelimit so a hostile guest cannot flood the log.
 */
#ifndef PVXD_LOG_H
#define PVXD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "textring.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap);
/* The same, and the line also goes to `extra` (a domain's log, so `pvx
 * dmesg DOMAIN` shows what pvxd said about it). */
void log_msg_to(struct textring *extra, enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* pvxd's prefix for every line, also those libpvxutil writes itself
 * (the daemon scaffold's; <logdir>/pvxd.log is opened there). */
void log_use_prefix(void);
/* Appends raw text (no prefix) to the log file only, e.g. guest console. */
void log_file_raw(const char *text, size_t len);
struct textring *log_ring(void);
void log_set_level(enum log_level max);

/* At most `burst` messages, then one per `every` suppressed events. */
struct ratelimit {
	uint64_t seen;
	uint32_t burst;
	uint32_t every;
};
#define RATELIMIT_INIT { 0, 10, 1000 }
bool ratelimit_ok(struct ratelimit *rl);

#endif
