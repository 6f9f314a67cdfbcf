/*
 * xenstore client over the store ring (HVM_PARAM_STORE_PFN/EVTCHN): the
 * xsd_sockmsg wire protocol (io/xs_wire.h), one request at a time, from
 * any thread (requests are serialised: one outstanding at a time).
 * Relative paths are relative to /local/domain/<our domid>, as xenstored
 * resolves them. Results: >= 0, or a negative Xen errno (the server's
 * "E..." error string mapped back, -XEN_ETIMEDOUT after 5 s of silence,
 * -XEN_EIO for a ring the server corrupted).
 */
#ifndef MINIOS_XENSTORE_H
#define MINIOS_XENSTORE_H

#include <stddef.h>
#include <stdint.h>

int xs_init(void);
/* Value of path into buf (NUL-terminated); returns its length. */
int xs_read(uint32_t tx, const char *path, char *buf, size_t len);
int xs_write(uint32_t tx, const char *path, const char *value);
int xs_rm(uint32_t tx, const char *path);
/* Child names, each NUL-terminated, packed into buf; returns the count. */
int xs_directory(uint32_t tx, const char *path, char *buf, size_t len);
int xs_transaction_start(uint32_t *tx);
int xs_transaction_end(uint32_t tx, int commit);
int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/* Waits (until deadline_ns) for a watch event; path and token copied out.
 * 1 event, 0 timeout, < 0 error. */
int xs_read_watch(char *path, size_t plen, char *token, size_t tlen,
		  uint64_t deadline_ns);

#endif /* MINIOS_XENSTORE_H */
