/*
 * The pvx migration stream (docs/migration.md): what `pvx save` writes,
 * `pvx restore` reads, and `pvx migrate` sends over a socket. Modelled
 * on Xen's migration stream v2: a fixed header, then typed,
 * length-prefixed records, each padded to 8 bytes, ending with an END
 * record that carries the SHA-256 of every byte before it.
 *
 *   header  PVX_MIG_HDR_SIZE bytes (struct pvx_mig_header)
 *   CONFIG  once, first: the domain's config text (xl.cfg syntax)
 *   { PAGES* ROUND }+   memory, one ROUND record closing each round
 *   STATE+  pvxd's opaque state blob, in order, in chunks
 *   XENSTORE once (may be empty): the guest's own xenstore keys
 *   END     SHA-256 of everything before the END record
 *
 * All integers little-endian. The reader (reader.c) trusts nothing: it
 * checks magic, version, page size, guest type, each record's type,
 * length bounds, padding, order, every PFN against the domain's size
 * (no PFN twice in one round), the state chunks' offsets, the xenstore
 * paths, truncation, and finally the checksum; every error is one line
 * naming the record (number and type) and its byte offset.
 */
#ifndef PVX_MIGSTREAM_H
#define PVX_MIGSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PVX_MIG_MAGIC       "PVXMIG\r\n"   /* 8 bytes, no NUL */
#define PVX_MIG_VERSION     1
#define PVX_MIG_PAGE_SIZE   4096u

/* Header flags. */
#define PVX_MIG_F_LIVE       (1u << 0)  /* written by a live (pre-copy) save */
#define PVX_MIG_F_CHECKPOINT (1u << 1)  /* the source kept running */
#define PVX_MIG_F_KNOWN      (PVX_MIG_F_LIVE | PVX_MIG_F_CHECKPOINT)

struct pvx_mig_header {
	char magic[8];             /* PVX_MIG_MAGIC */
	uint32_t version;          /* PVX_MIG_VERSION */
	uint32_t page_size;        /* PVX_MIG_PAGE_SIZE */
	uint32_t guest_type;       /* enum pvx_dom_type */
	uint32_t flags;            /* PVX_MIG_F_* */
	uint64_t ram_bytes;        /* RAM: pfns [0, ram_bytes / page) */
	uint64_t special_gpa;      /* special pages: pfns from special_gpa / page */
	uint32_t special_pages;    /* ... this many */
	uint32_t vcpus;
};
#define PVX_MIG_HDR_SIZE 48

enum pvx_mig_rec_type {
	PVX_MIG_REC_CONFIG = 1,
	PVX_MIG_REC_PAGES = 2,
	PVX_MIG_REC_ROUND = 3,
	PVX_MIG_REC_STATE = 4,
	PVX_MIG_REC_XENSTORE = 5,
	PVX_MIG_REC_END = 6,
	PVX_MIG_REC_COUNT,
};

/* Every record: this, then `length` body bytes, then zeroes to 8. */
struct pvx_mig_rec_hdr {
	uint32_t type;
	uint32_t length;           /* body bytes, padding excluded */
};

#define PVX_MIG_REC_MAX       (5u << 20)  /* largest body */
#define PVX_MIG_CONFIG_MAX    65536u
#define PVX_MIG_BATCH_MAX     1024u       /* pages per PAGES record */
#define PVX_MIG_STATE_MAX     (64u << 20) /* whole state blob */
#define PVX_MIG_STATE_CHUNK   61440u      /* = PVX_CTL_STATE_CHUNK_MAX */
#define PVX_MIG_XS_MAX        (1u << 20)  /* XENSTORE body */
#define PVX_MIG_XS_PATH_MAX   256u
#define PVX_MIG_XS_VAL_MAX    4096u
#define PVX_MIG_ROUNDS_MAX    1000u
#define PVX_MIG_SHA256_LEN    32

/* PAGES body: u32 count, u32 flags (0), u64 pfn[count], then one page
 * of data for each pfn whose type is NORMAL, in the same order. The top
 * 4 bits of a pfn entry are its type. */
#define PVX_MIG_PFN_MASK      ((1ull << 52) - 1)
#define PVX_MIG_PFN_TYPE(e)   ((uint32_t)((e) >> 60))
#define PVX_MIG_PFN_NORMAL    0u          /* data follows */
#define PVX_MIG_PFN_ZERO      1u          /* all zeroes, no data */
#define PVX_MIG_PFN_ENTRY(pfn, t) (((uint64_t)(t) << 60) | ((pfn) & PVX_MIG_PFN_MASK))

/* ROUND body: u32 round (0, 1, ...), u32 flags (PVX_MIG_ROUND_LAST:
 * the domain was suspended for it), u64 pages sent in the round. */
#define PVX_MIG_ROUND_LAST    (1u << 0)
/* STATE body: u64 offset, u64 total, then the chunk (1..STATE_CHUNK). */
/* XENSTORE body: u32 count, u32 0, then count entries of
 * u16 path_len, u16 value_len, path bytes, value bytes: paths relative
 * to /local/domain/<id>, [A-Za-z0-9_/@.-] only, no "..", no leading '/'. */
/* END body: the SHA-256 (32 bytes). */

/* A byte source/sink: returns bytes moved (read: 0 at EOF), or -errno. */
typedef ssize_t (*pvx_mig_io_fn)(void *opaque, void *buf, size_t len);

/* ---- writer ------------------------------------------------------- */
struct pvx_mig_writer {
	pvx_mig_io_fn write;       /* NULL: write(2) on fd */
	void *opaque;
	int fd;
	uint64_t offset;           /* bytes written */
	void *sha;                 /* EVP_MD_CTX */
	uint8_t *bounce;           /* a page batch's data, copied once */
	char err[256];
};

/* 0 or -errno (err filled). The writer hashes everything it writes. */
int pvx_mig_writer_init(struct pvx_mig_writer *w, int fd);
void pvx_mig_writer_dispose(struct pvx_mig_writer *w);
int pvx_mig_write_header(struct pvx_mig_writer *w, const struct pvx_mig_header *h);
/* One record from up to 4 pieces (the body is their concatenation). */
int pvx_mig_write_rec(struct pvx_mig_writer *w, uint32_t type,
		      const void *const *parts, const size_t *lens, int nparts);
/* A PAGES record: n pfn entries (type ZERO/NORMAL already set) and the
 * NORMAL pages' data, one pointer per NORMAL entry. */
int pvx_mig_write_pages(struct pvx_mig_writer *w, const uint64_t *pfns, uint32_t n,
			const void *const *pages);
int pvx_mig_write_round(struct pvx_mig_writer *w, uint32_t round, uint32_t flags,
			uint64_t pages);
int pvx_mig_write_end(struct pvx_mig_writer *w);

/* ---- reader ------------------------------------------------------- */
enum pvx_mig_rd_state {
	PVX_MIG_RD_CONFIG,         /* expecting CONFIG */
	PVX_MIG_RD_MEMORY,         /* PAGES or ROUND (or STATE after a round) */
	PVX_MIG_RD_STATE,          /* STATE chunks until total */
	PVX_MIG_RD_XENSTORE,       /* XENSTORE */
	PVX_MIG_RD_END,            /* END */
	PVX_MIG_RD_DONE,
};

struct pvx_mig_rec {
	uint32_t type;
	uint64_t offset;           /* of its header in the stream */
	const uint8_t *body;
	uint32_t length;
	/* PAGES */
	uint32_t npfns;
	const uint64_t *pfns;      /* entries (type in the top bits) */
	const uint8_t *data;       /* NORMAL pages, in order */
	/* ROUND */
	uint32_t round, round_flags;
	uint64_t round_pages;
	/* STATE */
	uint64_t state_offset, state_total;
	const uint8_t *chunk;
	uint32_t chunk_len;
	/* XENSTORE: walk with pvx_mig_xs_next() */
	uint32_t xs_count;
};

struct pvx_mig_reader {
	pvx_mig_io_fn read;        /* NULL: read(2) on fd */
	void *opaque;
	int fd;
	uint64_t offset;           /* bytes consumed */
	void *sha;
	struct pvx_mig_header hdr;
	enum pvx_mig_rd_state state;
	uint32_t nrec;             /* records read */
	uint32_t round;            /* next round number */
	uint64_t in_round;         /* pages of the open round */
	uint64_t state_have;       /* STATE bytes so far */
	uint64_t state_total;
	uint64_t max_pfn;          /* ram_bytes / page */
	uint64_t special_pfn;      /* first special pfn */
	uint8_t *seen;             /* bitmap: pfn sent in this round */
	size_t seen_bytes;
	uint8_t *buf;              /* current body */
	size_t buf_cap;
	char err[256];
};

/* Reads and checks the header. 0 or -errno (err filled). */
int pvx_mig_reader_init(struct pvx_mig_reader *r, int fd);
void pvx_mig_reader_dispose(struct pvx_mig_reader *r);
/* The next record, checked (views into the reader's buffer, valid until
 * the next call). 0, or -errno with err "record N (TYPE) at offset O:
 * what". After END the state is PVX_MIG_RD_DONE and the checksum held. */
int pvx_mig_read(struct pvx_mig_reader *r, struct pvx_mig_rec *rec);
/* XENSTORE entries: *pos starts at 0; 1 with path/value (not NUL-
 * terminated: lengths given), 0 at the end. Only on a checked record. */
int pvx_mig_xs_next(const struct pvx_mig_rec *rec, size_t *pos,
		    const char **path, uint16_t *plen, const char **val, uint16_t *vlen);
/* Whether the memory pfn of an entry is RAM (else special). */
bool pvx_mig_pfn_is_ram(const struct pvx_mig_reader *r, uint64_t pfn);
const char *pvx_mig_rec_name(uint32_t type);
/* A xenstore-relative path the stream may carry. */
bool pvx_mig_xs_path_ok(const char *p, size_t len);

#endif /* PVX_MIGSTREAM_H */
