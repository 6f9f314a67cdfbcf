/*
 * libpvxxs: the xenstore client library for Dom0 programs (the role of
 * Xen's libxenstore), talking to pvxstored over its Unix socket.
 *
 * Socket: $XENSTORED_PATH if set (as Xen's clients honour it), else
 * $PVX_RUNDIR/xenstored/socket (default /run/pvx/xenstored/socket), the
 * place Xen puts it under its run directory.
 *
 * Conventions: every fallible call returns 0 or a negative errno; the
 * daemon's error names map to errnos (an unknown name to -EINVAL, as
 * libxenstore does); -ETIMEDOUT if the daemon does not answer within
 * XS_TIMEOUT_MS; -ENOENT/-ECONNREFUSED from xs_open when no daemon runs.
 * Strings returned through char ** are malloc'd and NUL-terminated:
 * free() them. A handle is not thread-safe.
 *
 * Watches use a second connection of the handle, so events never mix
 * with replies: xs_fileno() is a descriptor that polls readable whenever
 * an event may be waiting (hand it to poll or libevent), and
 * xs_read_watch() takes one.
 *
 * Transactions: xs_transaction_start/end, or xs_transaction_run(), which
 * retries the whole function while the commit answers -EAGAIN.
 */
#ifndef PVX_XS_H
#define PVX_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xs_handle;
typedef uint32_t xs_transaction_t;
#define XBT_NULL ((xs_transaction_t)0)

#define XS_TIMEOUT_MS 30000

/* Permission bits of struct xs_permission. */
#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_BOTH  3u

struct xs_permission {
	uint32_t id;     /* domid */
	uint32_t perms;  /* XS_PERM_* */
};

/* The socket path clients and pvxstored use; -ENAMETOOLONG if it does
 * not fit. */
int xs_socket_path(char *buf, size_t cap);

int xs_open(struct xs_handle **out);
int xs_open_path(const char *path, struct xs_handle **out);
void xs_close(struct xs_handle *h); /* NULL is fine */

/* Nodes. len may be NULL; *val is NUL-terminated (len excludes it). */
int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
	    char **val, size_t *len);
int xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
	     const void *val, size_t len);
int xs_write_str(struct xs_handle *h, xs_transaction_t t, const char *path,
		 const char *val);
int xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
int xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);
/* *names is one allocation (the array and the strings): free(*names). */
int xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
		 char ***names, unsigned *n);
/* *perms is malloc'd. */
int xs_get_perms(struct xs_handle *h, xs_transaction_t t, const char *path,
		 struct xs_permission **perms, unsigned *n);
int xs_set_perms(struct xs_handle *h, xs_transaction_t t, const char *path,
		 const struct xs_permission *perms, unsigned n);
/* "r5" <-> { 5, XS_PERM_READ }. */
int xs_perm_parse(const char *s, struct xs_permission *p);
int xs_perm_format(const struct xs_permission *p, char *buf, size_t cap);

/* Watches. A new watch fires once at once (Xen semantics). depth < 0:
 * the whole subtree. */
int xs_watch(struct xs_handle *h, const char *path, const char *token);
int xs_watch_depth(struct xs_handle *h, const char *path, const char *token,
		   int depth);
int xs_unwatch(struct xs_handle *h, const char *path, const char *token);
int xs_fileno(struct xs_handle *h);
/* After pvxstored went away (a call or xs_read_watch answered
 * -ECONNRESET/-EPIPE) and came back: opens new connections (xs_fileno()
 * keeps its number) and registers every watch again, each firing once
 * at once as a new watch does, so the caller rescans what it watches.
 * Open transactions are gone. -errno (the daemon is not back yet) leaves
 * the handle as it was, to try again. */
int xs_reconnect(struct xs_handle *h);
/* True for the errors a lost pvxstored connection gives. */
bool xs_conn_lost(int err);
/* One event: *path and *token share one allocation, free(*path).
 * -EAGAIN if none is ready and !block. */
int xs_read_watch(struct xs_handle *h, char **path, char **token, bool block);

/* Transactions. */
int xs_transaction_start(struct xs_handle *h, xs_transaction_t *t);
int xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);
typedef int (*xs_txn_fn)(struct xs_handle *h, xs_transaction_t t, void *arg);
/* Runs fn in a fresh transaction and commits, retrying on -EAGAIN up to
 * max_tries times (0: 100). fn returning < 0 aborts and returns that. */
int xs_transaction_run(struct xs_handle *h, xs_txn_fn fn, void *arg,
		       unsigned max_tries);

/* Domains (toolstack). */
int xs_introduce_domain(struct xs_handle *h, uint32_t domid, uint64_t gfn,
			uint32_t port);
int xs_release_domain(struct xs_handle *h, uint32_t domid);
int xs_resume_domain(struct xs_handle *h, uint32_t domid);
int xs_is_domain_introduced(struct xs_handle *h, uint32_t domid, bool *yes);
int xs_set_target(struct xs_handle *h, uint32_t domid, uint32_t target);
int xs_get_domain_path(struct xs_handle *h, uint32_t domid, char **path);
int xs_reset_watches(struct xs_handle *h);
/* XS_CONTROL: cmd is "check", "memreport", "quota" or "help". */
int xs_control(struct xs_handle *h, const char *cmd, char **out);

/* One raw request: payload of len bytes; *rsp (NUL-terminated, rsp_len
 * excludes the added NUL) may be NULL if the caller does not want it. */
int xs_request(struct xs_handle *h, uint32_t type, xs_transaction_t t,
	       const void *payload, uint32_t len, char **rsp, uint32_t *rsp_len);

/* The errno for a wire error name ("ENOENT" -> ENOENT; unknown: EINVAL). */
int xs_errno_from_name(const char *name);

/*
 * Backend device directories ROOT/<domid>/<devid> (xs_backend.c).
 * xs_path_under: path is dir or below it. xs_backend_parse: the numbers of
 * ROOT/<domid>/<devid>[/...] (decimal digits only, domid below
 * XS_BACKEND_MAX_DOMID, devid at most max_devid), or -EINVAL.
 * xs_backend_each: calls fn for every ROOT/<domid>/<devid> that parses;
 * returns how many entries were skipped (0 if ROOT does not exist), or a
 * negative errno when ROOT could not be read.
 */
#define XS_BACKEND_MAX_DOMID 0x7FEF  /* DOMID_FIRST_RESERVED - 1 */
typedef void (*xs_backend_fn)(void *ctx, const char *path, int32_t domid, uint32_t devid);
bool xs_path_under(const char *path, const char *dir);
int xs_backend_parse(const char *root, const char *path, uint32_t max_devid,
		     int32_t *domid, uint32_t *devid);
int xs_backend_each(struct xs_handle *xs, const char *root, uint32_t max_devid,
		    xs_backend_fn fn, void *ctx);

#endif /* PVX_XS_H */
