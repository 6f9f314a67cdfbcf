/*
 * libpvxgnttab: Dom0 access to pages that guests grant (libxengnttab's
 * role). See docs/grant-tables.md.
 *
 * A guest grants domain 0 access to one of its frames by filling an entry
 * of its grant table. Dom0 maps the domain's whole memory already
 * (pvx_dom_mem_map), so mapping a grant costs no mmap: one control round
 * trip per *batch* asks pvxd to check every ref (GTF_permit_access,
 * grantee 0, read-only grants), set GTF_reading / GTF_writing in the
 * guest's entry (so the guest sees the grant in use and cannot revoke
 * it) and record a handle against this connection; the library then
 * returns a pointer into its cached mapping of the domain's memfd. The
 * memfd comes with the first map reply that needs it (no extra round
 * trip) and stays mapped while any grant of that domain is mapped, and a
 * little after (up to 4 idle domains are cached), so persistent grants
 * cost nothing per use and per-request mapping costs one round trip.
 * Read-only grants point into a PROT_READ view: a write through them
 * faults.
 *
 * Unmapping clears the busy bits once the last mapping of a ref is gone.
 * Closing the handle (or the process dying: its control connection
 * closes) unmaps everything. If the granting domain is destroyed first,
 * pvxd releases its grants; the pointers stay readable until unmapped
 * here, but they are the dead domain's memory.
 *
 * Results: calls return 0 or a negative errno (the round trip or the
 * request failed); per-entry outcomes are Xen's GNTST_* codes
 * (xen/public/grant_table.h). A handle is not thread-safe; it shares its
 * control connection with the caller, which must not interleave other
 * calls on it from another thread.
 */
#ifndef PVX_GNTTAB_H
#define PVX_GNTTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvx/ctlclient.h>
#include <xen/public/grant_table.h>

struct pvx_gnttab;

/* The most entries one round trip carries; larger batches are split. */
#define PVX_GNTTAB_BATCH_MAX PVX_CTL_GNTTAB_BATCH_MAX

/* Opens a handle on ctl (not owned: close the handle before ctl). */
int pvx_gnttab_open(struct pvx_ctl *ctl, struct pvx_gnttab **out);
/* Unmaps every grant still mapped and frees the handle. NULL is fine. */
void pvx_gnttab_close(struct pvx_gnttab *g);

/* One grant of a batch. */
struct pvx_gnttab_map {
	grant_ref_t ref;     /* IN */
	bool readonly;       /* IN: map read-only (needed for GTF_readonly grants) */
	int16_t status;      /* OUT: GNTST_* */
	uint32_t handle;     /* OUT: for unmap, valid when status == GNTST_okay */
	void *addr;          /* OUT: the page (4096 bytes), NULL on failure */
	uint64_t gfn;        /* OUT: the granted frame */
};

/*
 * Maps n grant refs of domid. Returns 0 when every entry has a status
 * (check each), or a negative errno (-ESRCH: no such domain; -EINVAL:
 * n == 0; -ENOMEM; control errors), in which case nothing is mapped.
 */
int pvx_gnttab_map_batch(struct pvx_gnttab *g, int32_t domid,
			 struct pvx_gnttab_map *m, size_t n);
/* One ref: the page or NULL; *status gets GNTST_* (GNTST_general_error
 * when the round trip itself failed). handle and status may be NULL. */
void *pvx_gnttab_map_ref(struct pvx_gnttab *g, int32_t domid, grant_ref_t ref,
			 bool readonly, uint32_t *handle, int16_t *status);

/* Unmaps n handles; status (may be NULL) gets GNTST_* per handle. */
int pvx_gnttab_unmap_batch(struct pvx_gnttab *g, const uint32_t *handles,
			   int16_t *status, size_t n);
/* One handle: 0, or -EINVAL for an unknown handle. */
int pvx_gnttab_unmap(struct pvx_gnttab *g, uint32_t handle);

/* One GNTTABOP_copy segment between a grant of the domain and buf. */
struct pvx_gnttab_copy {
	grant_ref_t ref;     /* IN */
	uint16_t offset;     /* IN: in the granted frame */
	uint16_t len;        /* IN: offset + len <= 4096 */
	bool to_guest;       /* IN: buf -> frame (needs a writable grant) */
	void *buf;           /* IN: len bytes of Dom0 memory */
	int16_t status;      /* OUT: GNTST_* */
};

/* Copies n segments with domid's grants: one round trip per batch (and
 * per 60 KiB of data). 0 with per-segment status, or a negative errno. */
int pvx_gnttab_copy(struct pvx_gnttab *g, int32_t domid,
		    struct pvx_gnttab_copy *c, size_t n);

/* Unmaps the cached memory of domains with nothing mapped (a backend
 * calls it when a frontend goes away, so a dead domain's memory is not
 * kept alive by the cache). */
void pvx_gnttab_release_idle(struct pvx_gnttab *g);

/* Grants currently mapped through g (all domains). */
size_t pvx_gnttab_nr_mapped(const struct pvx_gnttab *g);

/* GNTST_* as a short text ("okay", "bad_gntref", ...). */
const char *pvx_gnttab_strstatus(int status);

#endif /* PVX_GNTTAB_H */
