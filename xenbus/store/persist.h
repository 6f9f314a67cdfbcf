/*
 * Persistence (persist.c, persist_load.c): the store survives a restart
 * of pvxstored as a snapshot plus a journal of the changes made since.
 */
#ifndef XS_PERSIST_H
#define XS_PERSIST_H

#include "journal.h"
#include "xs_core.h"

#define MAGIC_STR "PVXSTORE1\n"   /* the old whole-store file, still read */
#define MAGIC_SNAP "PVXSTORE2\n"
#define MAGIC_JOURNAL "PVXJOURN2\n"
#define MAGIC_LEN 10

/* Compaction: when the journal outgrows max(snapshot * RATIO, MIN). */
#define PERSIST_COMPACT_RATIO 1
#define PERSIST_COMPACT_MIN (8u << 20)

/* What persist_load found, for persist_init to carry on from. */
struct persist_info {
	uint64_t epoch;         /* the snapshot's; 0: none */
	uint64_t snap_bytes;
	uint64_t journal_end;   /* bytes of the journal that replayed */
	bool journal_ok;        /* a journal of this epoch was found */
	uint64_t frames;        /* journal frames replayed */
};

/* Loads <path> and <path>.journal if they exist (0 if not); domains are
 * re-introduced and their watches restored. -EINVAL for a corrupt
 * snapshot; a torn or corrupt journal tail is dropped with a log line. */
int persist_load(struct xs_store *st, const char *path, struct persist_info *info);
/* Starts journalling after persist_load (info NULL: as if nothing was
 * loaded); fdatasync every interval_ms while changes come. */
int persist_init(struct xs_store *st, const char *path, unsigned interval_ms,
		 const struct persist_info *info);
/* Compacts now, in-process: a new snapshot, an empty journal. */
int persist_save(struct xs_store *st);
/* Compacts in a child process (what a large journal triggers); 0 if one
 * started, else -errno (nothing changed). */
int persist_compact(struct xs_store *st);
/* Sends what is buffered to the journal as one frame (xs_conn_flush
 * calls it before any output leaves). */
void persist_flush(struct xs_store *st);
/* A request ended: its records will be flushed with the next output, or
 * from the loop at the latest. */
void persist_request_done(struct xs_store *st);
void persist_dispose(struct xs_store *st);

/* Records (persist_rec.c), shared by the writer and the loader. */
void persist_put_node(struct jbuf *b, const char *path, const struct xs_node *n);
void persist_put_remove(struct jbuf *b, const char *path);
void persist_put_meta(struct jbuf *b, struct xs_store *st);
void persist_put_specials(struct jbuf *b, struct xs_store *st);
/* 'd' domid, then the domain's D and W records if it is introduced. */
void persist_put_domain(struct jbuf *b, struct xs_store *st, uint32_t domid);
/* Snapshot of the whole store into fd: returns bytes written or -errno. */
long long persist_write_snapshot(struct xs_store *st, int fd, uint64_t epoch);

#endif /* XS_PERSIST_H */
