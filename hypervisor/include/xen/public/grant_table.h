/*
 * Grant tables, version 1 only.
 *
 * A domain grants a peer access to one of its frames by filling an entry
 * of its grant table (frame and grantee domid first, then flags: the
 * granter writes flags last, after a write barrier). A backend mapping or
 * copying the frame sets GTF_reading / GTF_writing atomically while it
 * uses it, so the granter cannot revoke the grant under its feet.
 *
 * grant_table_op hypercall (20): arg 1 = GNTTABOP_*, arg 2 = GVA of an
 * array of structs, arg 3 = count.
 */
#ifndef XEN_PUBLIC_GRANT_TABLE_H
#define XEN_PUBLIC_GRANT_TABLE_H

#include <stdint.h>
#include "xen.h"

/* A v1 entry: 8 bytes, 512 per 4 KiB frame. */
struct grant_entry_v1 {
	uint16_t flags;   /* GTF_* */
	domid_t domid;    /* the domain allowed access */
	uint32_t frame;   /* the granted frame (gfn) */
};
#define GRANT_ENTRIES_PER_FRAME_V1 (XEN_PAGE_SIZE / sizeof(struct grant_entry_v1))

/* References below this are reserved for the toolstack. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* Entry type in flags[1:0]. */
#define GTF_invalid         0
#define GTF_permit_access   1
#define GTF_accept_transfer 2
#define GTF_transitive      3
#define GTF_type_mask       3

/* Flags for GTF_permit_access. */
#define _GTF_readonly  2
#define GTF_readonly   (1u << _GTF_readonly)  /* grantee may only read */
#define _GTF_reading   3
#define GTF_reading    (1u << _GTF_reading)   /* set by the mapper while reading */
#define _GTF_writing   4
#define GTF_writing    (1u << _GTF_writing)   /* set by the mapper while writing */
#define _GTF_PWT       5
#define GTF_PWT        (1u << _GTF_PWT)
#define _GTF_PCD       6
#define GTF_PCD        (1u << _GTF_PCD)
#define _GTF_PAT       7
#define GTF_PAT        (1u << _GTF_PAT)
#define _GTF_sub_page  8
#define GTF_sub_page   (1u << _GTF_sub_page)  /* v2 only */

/* Flags for GTF_accept_transfer. */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1u << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1u << _GTF_transfer_completed)

#define GNTTABOP_map_grant_ref      0
#define GNTTABOP_unmap_grant_ref    1
#define GNTTABOP_setup_table        2
#define GNTTABOP_dump_table         3
#define GNTTABOP_transfer           4
#define GNTTABOP_copy               5
#define GNTTABOP_query_size         6
#define GNTTABOP_unmap_and_replace  7
#define GNTTABOP_set_version        8
#define GNTTABOP_get_status_frames  9
#define GNTTABOP_get_version       10
#define GNTTABOP_swap_grant_ref    11
#define GNTTABOP_cache_flush       12

/* GNTMAP_* flags of map_grant_ref / unmap_grant_ref. */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1u << _GNTMAP_device_map)
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1u << _GNTMAP_host_map)
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1u << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1u << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1u << _GNTMAP_contains_pte)
#define _GNTMAP_guest_avail0    16
#define GNTMAP_guest_avail_mask ((uint32_t)~0u << _GNTMAP_guest_avail0)

/* Map a granted frame of dom at host_addr. 32 bytes. */
struct gnttab_map_grant_ref {
	uint64_t host_addr;      /* IN */
	uint32_t flags;          /* IN: GNTMAP_* */
	grant_ref_t ref;         /* IN */
	domid_t dom;             /* IN: the granter */
	int16_t status;          /* OUT: GNTST_* */
	grant_handle_t handle;   /* OUT: for unmap */
	uint64_t dev_bus_addr;   /* OUT */
};

/* Undo a map. 24 bytes. */
struct gnttab_unmap_grant_ref {
	uint64_t host_addr;      /* IN */
	uint64_t dev_bus_addr;   /* IN */
	grant_handle_t handle;   /* IN */
	int16_t status;          /* OUT */
	uint16_t pad;
};

/* Ask for nr_frames frames of dom's table (PV only). 24 bytes. */
struct gnttab_setup_table {
	domid_t dom;                          /* IN */
	uint16_t pad0;
	uint32_t nr_frames;                   /* IN */
	int16_t status;                       /* OUT */
	uint16_t pad1[3];
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT: GVA of nr_frames gfns */
};

/* Hand a page over to dom (PV only). 24 bytes. */
struct gnttab_transfer {
	xen_pfn_t mfn;      /* IN */
	domid_t domid;      /* IN */
	uint16_t pad;
	grant_ref_t ref;    /* IN */
	int16_t status;     /* OUT */
	uint16_t pad1[3];
};

/*
 * Copy len bytes between two frames, either named by grant reference
 * (GNTCOPY_*_gref set) or by the caller's own gfn. The copy may not cross
 * a page boundary on either side. 40 bytes.
 */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1u << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1u << _GNTCOPY_dest_gref)

struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;
		xen_pfn_t gmfn;
	} u;
	domid_t domid;
	uint16_t offset;
	uint32_t pad;
};

struct gnttab_copy {
	struct gnttab_copy_ptr source;  /* IN */
	struct gnttab_copy_ptr dest;    /* IN */
	uint16_t len;                   /* IN */
	uint16_t flags;                 /* IN: GNTCOPY_* */
	int16_t status;                 /* OUT: GNTST_* */
	uint16_t pad;
};

/* Current and maximum table size of dom, in frames. 16 bytes. */
struct gnttab_query_size {
	domid_t dom;              /* IN */
	uint16_t pad;
	uint32_t nr_frames;       /* OUT */
	uint32_t max_nr_frames;   /* OUT */
	int16_t status;           /* OUT */
	uint16_t pad1;
};

/* Select the table format (1 or 2). 4 bytes. */
struct gnttab_set_version {
	uint32_t version;   /* IN/OUT */
};

/* Report dom's table format. 8 bytes. */
struct gnttab_get_version {
	domid_t dom;        /* IN */
	uint16_t pad;
	uint32_t version;   /* OUT */
};

/* Status codes (GNTST_*), in the status fields above. */
#define GNTST_okay               0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

#endif /* XEN_PUBLIC_GRANT_TABLE_H */
