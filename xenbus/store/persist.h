/*
 * Persistence (persist.c): the store survives a restart of pvxstored.
 */
#ifndef XS_PERSIST_H
#define XS_PERSIST_H

#include "xs_core.h"

#define MAGIC_STR "PVXSTORE1\n"

/* Saves path's contents write-behind: interval_ms after a change. */
int persist_init(struct xs_store *st, const char *path, unsigned interval_ms);
/* Loads path if it exists (0 if it does not); domains are re-introduced
 * and their watches restored. -EINVAL for a corrupt file. */
int persist_load(struct xs_store *st, const char *path);
/* Saves now (also what the timer does). */
int persist_save(struct xs_store *st);
void persist_dispose(struct xs_store *st);

#endif /* XS_PERSIST_H */
