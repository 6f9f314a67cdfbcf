/*
 * pvx control protocol: Dom0 programs <-> pvxd.
 *
 * This is pvx's analogue of Xen's domctl/sysctl through privcmd. pvxd
 * listens on a SOCK_SEQPACKET Unix socket at $PVX_RUNDIR/pvxd.sock
 * (default /run/pvx/pvxd.sock). Only privileged peers are served: the
 * peer's SO_PEERCRED uid must be 0 or pvxd's own uid.
 *
 * Every message is one datagram: a struct pvx_ctl_hdr followed by `len`
 * payload bytes (at most PVX_CTL_MAX_PAYLOAD). A request carries the
 * op's *_req payload; the reply repeats op and seq, carries status 0 or
 * a negative errno, and on success the op's *_rsp payload. File
 * descriptors travel as SCM_RIGHTS on the reply datagram. Malformed
 * requests (short, oversized, bad magic, unknown op, wrong domain) get
 * an error reply; pvxd never trusts a length it did not check.
 *
 * A connection that sent PVX_CTL_SUBSCRIBE also receives unsolicited
 * PVX_CTL_EVENT datagrams (seq 0) carrying struct pvx_ctl_event whenever
 * a domain changes state, so tools never poll. hdr.domid -1 subscribes to
 * every domain; a domid to that domain only (a per-domain monitor then
 * costs nothing when other domains change). Subscribing again replaces
 * the filter.
 *
 * Event-channel ports that a Dom0 connection binds belong to that
 * connection: pvxd closes them when the connection closes.
 *
 * Fixed-width types only, little-endian, no host headers but stdint.
 */
#ifndef PVX_CTL_H
#define PVX_CTL_H

#include <stdint.h>

#define PVX_CTL_MAGIC        0x50565843u /* "PVXC" */
#define PVX_CTL_VERSION      1
#define PVX_CTL_MAX_PAYLOAD  65536
#define PVX_CTL_SOCK_NAME    "pvxd.sock"
#define PVX_DEFAULT_RUNDIR   "/run/pvx"
#define PVX_NAME_MAX         64 /* including the NUL */

/*
 * Guest-physical layout every part agrees on (ARCHITECTURE.md D6):
 * RAM is GPA [0, ram_bytes), memfd offset = GPA. The special pages sit
 * above RAM in the memfd (offset ram_bytes) and are mapped at
 * PVX_SPECIAL_GPA, outside the E820 RAM (listed as reserved), like
 * QEMU's Xen emulation does.
 */
#define PVX_SPECIAL_GPA      0xFEFF8000ull
#define PVX_SPECIAL_PAGES    4
#define PVX_SPECIAL_CONSOLE  0 /* page index: PV console ring */
#define PVX_SPECIAL_XENSTORE 1 /* page index: xenstore ring */
#define PVX_PAGE_SIZE        4096u

enum pvx_ctl_op {
	PVX_CTL_HELLO = 1,          /* -> pvx_ctl_hello_rsp */
	PVX_CTL_CREATE,             /* pvx_ctl_create_req -> pvx_ctl_create_rsp */
	PVX_CTL_DESTROY,            /* hdr.domid */
	PVX_CTL_PAUSE,              /* hdr.domid */
	PVX_CTL_UNPAUSE,            /* hdr.domid */
	PVX_CTL_LIST,               /* [pvx_ctl_list_req] -> pvx_ctl_dominfo[] (len / sizeof) */
	PVX_CTL_INFO,               /* hdr.domid -> pvx_ctl_dominfo */
	PVX_CTL_GET_MEMFD,          /* hdr.domid -> pvx_ctl_memfd_rsp + 1 fd */
	PVX_CTL_SET_BOOT,           /* hdr.domid, pvx_ctl_boot_req */
	PVX_CTL_SET_HVM_PARAM,      /* hdr.domid, pvx_ctl_hvm_param */
	PVX_CTL_GET_HVM_PARAM,      /* hdr.domid, pvx_ctl_hvm_param (index) -> same */
	PVX_CTL_EVTCHN_ALLOC_UNBOUND, /* pvx_ctl_evtchn_alloc_req -> pvx_ctl_port_rsp */
	PVX_CTL_EVTCHN_BIND,        /* pvx_ctl_evtchn_bind_req -> pvx_ctl_port_rsp + 2 fds */
	PVX_CTL_EVTCHN_NOTIFY,      /* pvx_ctl_port_req (a port of this connection) */
	PVX_CTL_EVTCHN_CLOSE,       /* pvx_ctl_port_req */
	PVX_CTL_SUBSCRIBE,          /* hdr.domid (-1: all): start receiving PVX_CTL_EVENT */
	PVX_CTL_DMESG,              /* hdr.domid (-1: pvxd's own), pvx_ctl_dmesg_req -> text */
	PVX_CTL_RENAME,             /* hdr.domid, pvx_ctl_rename_req */
	PVX_CTL_SHUTDOWN,           /* hdr.domid, pvx_ctl_shutdown_req: force a reason */
	PVX_CTL_GNTTAB_MAP,         /* hdr.domid (granter), pvx_ctl_gnttab_map_req -> _map_rsp [+ memfd] */
	PVX_CTL_GNTTAB_UNMAP,       /* pvx_ctl_gnttab_unmap_req -> int32 status[] */
	PVX_CTL_GNTTAB_COPY,        /* hdr.domid (granter), pvx_ctl_gnttab_copy_req -> _copy_rsp */
	PVX_CTL_DOMSTATS,           /* hdr.domid -> pvx_ctl_domstats (pvx top) */
	PVX_CTL_SET_MAXMEM,         /* hdr.domid, pvx_ctl_maxmem_req (docs/memory.md) */
	PVX_CTL_SCHED_GET,          /* hdr.domid -> pvx_ctl_sched */
	PVX_CTL_SCHED_SET,          /* hdr.domid, pvx_ctl_sched */
	PVX_CTL_VCPU_AFFINITY,      /* hdr.domid, pvx_ctl_vcpu_affinity */
	PVX_CTL_VCPU_INFO,          /* hdr.domid -> pvx_ctl_vcpuinfo[vcpus] */
	PVX_CTL_GET_STATE,          /* hdr.domid, pvx_ctl_state_chunk (offset) -> same + bytes */
	PVX_CTL_SET_STATE,          /* hdr.domid, pvx_ctl_state_chunk + bytes */
	PVX_CTL_DIRTY_LOG,          /* hdr.domid, pvx_ctl_dirty_req -> pvx_ctl_dirty_rsp + bitmap */
	PVX_CTL_RESUME,             /* hdr.domid: cancel a suspend (SCHEDOP_shutdown returns 1) */
	PVX_CTL_OP_COUNT,
	PVX_CTL_EVENT = 0x8000,     /* unsolicited, pvxd -> subscriber */
};

struct pvx_ctl_hdr {
	uint32_t magic;  /* PVX_CTL_MAGIC */
	uint16_t op;     /* enum pvx_ctl_op */
	uint16_t flags;  /* 0 */
	uint32_t seq;    /* chosen by the client, echoed in the reply */
	uint32_t len;    /* payload bytes that follow */
	int32_t domid;   /* target domain, or -1 */
	int32_t status;  /* reply: 0 or -errno; request: 0 */
};

struct pvx_ctl_hello_rsp {
	uint32_t version;       /* PVX_CTL_VERSION */
	uint32_t xen_major;     /* what XENVER_version reports */
	uint32_t xen_minor;
	uint32_t nr_domains;
	uint64_t host_mem_kib;  /* MemTotal */
	uint64_t free_mem_kib;  /* MemAvailable */
	uint32_t nr_cpus;
	uint32_t pid;           /* pvxd's pid */
	char extraversion[16];
	char caps[64];          /* e.g. "hvm-3.0-x86_64 pvh" */
	char kvm[64];           /* KVM flavour, e.g. "kvm api 12", or why none */
	uint32_t types;         /* PVX_TYPE_BIT(t) for each type this host runs */
	uint32_t pad;
};

struct pvx_ctl_create_req {
	char name[PVX_NAME_MAX];
	uint8_t uuid[16];
	uint64_t mem_kib;           /* RAM size; multiple of 4 */
	uint64_t maxmem_kib;        /* 0: same as mem_kib */
	uint32_t vcpus;             /* 1..PVX_MAX_VCPUS */
	uint32_t max_grant_frames;  /* 0: default (32) */
	uint32_t flags;             /* PVX_CREATE_F_* */
	uint32_t type;              /* enum pvx_dom_type */
};
/* Create the domain empty for a restore: RAM is allocated (all of
 * mem_kib, populated) but no kernel is loaded and no vCPU starts; the
 * restorer writes memory through the memfd, then PVX_CTL_SET_STATE, then
 * PVX_CTL_UNPAUSE. SET_BOOT is refused on such a domain. */
#define PVX_CREATE_F_RESTORE (1u << 0)
/* With F_RESTORE only: the domain belongs to the ctl connection that
 * created it until its first unpause; if that connection closes first
 * (the restorer died: killed, crashed), pvxd destroys the domain, so a
 * half-received migration leaves nothing behind. */
#define PVX_CREATE_F_TIED (1u << 1)
#define PVX_MAX_VCPUS 32

/*
 * Domain types (xl.cfg `type`), one platform each in pvxd
 * (docs/platforms.md): PVH = a KVM VM; PV = a sandboxed host process
 * (pvx/pv.h). A create request for a type the host cannot run fails
 * with -ENODEV.
 */
enum pvx_dom_type {
	PVX_TYPE_PVH = 0,
	PVX_TYPE_PV = 1,
	PVX_TYPE_COUNT,
};
#define PVX_TYPE_BIT(t) (1u << (t))

struct pvx_ctl_create_rsp {
	int32_t domid;
	uint32_t pad;
};

enum pvx_dom_state {
	PVX_DOM_CREATED = 0,  /* built or being built, never run */
	PVX_DOM_RUNNING,
	PVX_DOM_PAUSED,
	PVX_DOM_SHUTDOWN,     /* the guest called SCHEDOP_shutdown: see reason */
	PVX_DOM_CRASHED,      /* triple fault, KVM error, or shutdown(crash) */
	PVX_DOM_DYING,        /* destroy in progress */
	PVX_DOM_DEAD,         /* only in events: the domain is gone */
};

struct pvx_ctl_dominfo {
	int32_t domid;
	uint32_t state;            /* enum pvx_dom_state */
	int32_t shutdown_reason;   /* Xen SHUTDOWN_*, -1 if none */
	uint32_t shutdown_code;    /* SCHEDOP_shutdown_code value */
	char name[PVX_NAME_MAX];
	uint8_t uuid[16];
	uint64_t mem_kib;          /* current reservation */
	uint64_t maxmem_kib;
	uint32_t vcpus;
	uint32_t vcpus_online;
	uint64_t cpu_time_ns;      /* summed over vCPU threads */
	uint64_t create_time_ns;   /* CLOCK_REALTIME at create */
	uint32_t type;             /* enum pvx_dom_type */
	uint32_t pad;
};

/*
 * PVX_CTL_DOMSTATS: a domain's activity counters since it was created;
 * `pvx top` divides the difference of two samples by the time between
 * them. hypercalls counts every hypercall the guest made (any op, any
 * result); events counts event-channel notifications raised to the
 * domain (each interdomain or IPI send and each VIRQ, whether or not
 * the port was already pending).
 */
struct pvx_ctl_domstats {
	uint64_t hypercalls;
	uint64_t events;
	uint64_t cpu_time_ns;      /* as in pvx_ctl_dominfo */
	uint64_t reserved[5];      /* 0 */
};

/*
 * PVX_CTL_LIST pages. One reply holds at most PVX_CTL_LIST_PAGE domains
 * (64 KiB), fewer than a host may run (domids go to 1023). A request
 * without payload is the first page (what version-1 clients send); with
 * a pvx_ctl_list_req the reply holds the domains whose domid is >=
 * start_domid, in domid order, at most max_domains (0: as many as fit).
 * A reply shorter than asked is the last page; otherwise ask again from
 * the last domid + 1 (a domain created meanwhile below that is missed,
 * as with any listing taken in pieces).
 */
struct pvx_ctl_list_req {
	int32_t start_domid;
	uint32_t max_domains;      /* 0: PVX_CTL_LIST_PAGE */
};
#define PVX_CTL_LIST_PAGE (PVX_CTL_MAX_PAYLOAD / sizeof(struct pvx_ctl_dominfo))

struct pvx_ctl_memfd_rsp {
	uint64_t memfd_size;     /* bytes of the memfd passed with this reply */
	uint64_t ram_bytes;      /* RAM: GPA [0, ram_bytes) = memfd [0, ram_bytes) */
	uint64_t special_gpa;    /* PVX_SPECIAL_GPA */
	uint64_t special_offset; /* memfd offset of the special pages */
	uint32_t special_pages;  /* PVX_SPECIAL_PAGES */
	uint32_t pad;
};

/* PVH entry: pvxd puts the vCPU in the state of Xen's pvh.pandoc (32-bit
 * flat protected mode, paging off, ebx = start_info) at `entry`.
 * PV entry (pvx/pv.h): 64-bit user mode at `entry` (PVX_ELFNOTE_PV_ENTRY),
 * rsi = start_info. */
struct pvx_ctl_boot_req {
	uint32_t vcpu;
	uint32_t pad;
	uint64_t entry;          /* XEN_ELFNOTE_PHYS32_ENTRY */
	uint64_t start_info_gpa; /* loaded into ebx */
};

struct pvx_ctl_hvm_param {
	uint32_t index;  /* HVM_PARAM_* */
	uint32_t pad;
	uint64_t value;
};

/* Allocate an unbound port in hdr.domid that `remote_dom` may bind. */
struct pvx_ctl_evtchn_alloc_req {
	int32_t remote_dom;
	uint32_t pad;
};

/* Bind a Dom0 port of this connection to (remote_dom, remote_port). The
 * reply carries two fds: [0] an eventfd that pvxd increments when the
 * remote side sends; [1] an eventfd the client writes to send (same as
 * PVX_CTL_EVTCHN_NOTIFY, without a round trip). */
struct pvx_ctl_evtchn_bind_req {
	int32_t remote_dom;
	uint32_t remote_port;
};

struct pvx_ctl_port_req {
	uint32_t port;
	uint32_t pad;
};

struct pvx_ctl_port_rsp {
	uint32_t port;
	uint32_t pad;
};

/* Returns up to max_bytes of the log starting at byte `offset` of all
 * text ever logged (offsets keep counting when old text is dropped). The
 * reply payload is struct pvx_ctl_dmesg_rsp followed by the text. */
struct pvx_ctl_dmesg_req {
	uint64_t offset;
	uint32_t max_bytes;
	uint32_t pad;
};

struct pvx_ctl_dmesg_rsp {
	uint64_t offset;     /* offset of the first byte returned */
	uint64_t next;       /* offset to ask for next */
};

/* The domain's memory ceiling (xl mem-max): populate never goes above
 * it. -EINVAL if not a multiple of 4 KiB, below 1 MiB, or above the RAM
 * layout fixed at create (the config's maxmem); lowering it below the
 * current reservation takes nothing away (as Xen). */
struct pvx_ctl_maxmem_req {
	uint64_t maxmem_kib;
};

struct pvx_ctl_rename_req {
	char name[PVX_NAME_MAX];
};

struct pvx_ctl_shutdown_req {
	int32_t reason;  /* Xen SHUTDOWN_* recorded as if the guest asked */
	uint32_t code;
};

/*
 * Grant mapping for Dom0 (docs/grant-tables.md). Dom0 already maps a
 * domain's whole memfd, so a "map" is pvxd's bookkeeping: it checks each
 * grant (GTF_permit_access, grantee 0, read-only), sets GTF_reading /
 * GTF_writing in the granter's entry, records a handle against this
 * connection and returns where the frame lives in the memfd. Closing the
 * connection unmaps every handle; destroying the granter releases its
 * handles first (their later UNMAP answers GNTST_okay). Per-entry results
 * are Xen GNTST_* codes; the reply status is an errno only when the
 * request itself is malformed (-EINVAL: count 0 or > BATCH_MAX, sizes).
 */
#define PVX_CTL_GNTTAB_BATCH_MAX   1024
#define PVX_CTL_GNTMAP_READONLY    (1u << 0) /* per ref: map read-only */
#define PVX_CTL_GNTMAP_WANT_MEMFD  (1u << 0) /* req.flags: attach the memfd */

struct pvx_ctl_gnttab_ref {
	uint32_t ref;
	uint32_t flags;            /* PVX_CTL_GNTMAP_READONLY */
};

struct pvx_ctl_gnttab_map_req {
	uint32_t count;            /* 1..PVX_CTL_GNTTAB_BATCH_MAX */
	uint32_t flags;            /* PVX_CTL_GNTMAP_WANT_MEMFD */
	/* struct pvx_ctl_gnttab_ref refs[count]; */
};

struct pvx_ctl_gnttab_map_res {
	uint64_t offset;           /* memfd offset of the frame's page */
	uint64_t gfn;              /* the granted frame */
	uint32_t handle;           /* for UNMAP (this connection only) */
	int32_t status;            /* GNTST_* */
};

struct pvx_ctl_gnttab_map_rsp {
	uint64_t cookie;           /* the granter's instance: changes when its domid is reused */
	uint64_t memfd_size;       /* when the memfd is attached, else 0 */
	uint32_t count;
	uint32_t pad;
	/* struct pvx_ctl_gnttab_map_res res[count]; */
};

struct pvx_ctl_gnttab_unmap_req {
	uint32_t count;            /* 1..PVX_CTL_GNTTAB_BATCH_MAX */
	uint32_t pad;
	/* uint32_t handles[count]; reply: int32_t status[count] (GNTST_*) */
};

/*
 * Copy between a granted frame of hdr.domid and bytes carried in the
 * datagrams (Xen's GNTTABOP_copy with Dom0's side inline). TO_GUEST
 * segments' data follows the segment array in the request, in order;
 * FROM_GUEST segments' data follows the status array in the reply, in
 * order, len bytes each (zeroes where the segment failed). offset + len
 * must not exceed a page. The busy bits are held only during the copy.
 */
#define PVX_CTL_GNTCOPY_TO_GUEST   (1u << 0) /* write into the granted frame */
#define PVX_CTL_GNTTAB_COPY_DATA_MAX 61440   /* data bytes per request or reply */

struct pvx_ctl_gnttab_copy_seg {
	uint32_t ref;
	uint16_t offset;           /* in the granted frame */
	uint16_t len;              /* 1..4096 */
	uint32_t flags;            /* PVX_CTL_GNTCOPY_TO_GUEST, else from guest */
	uint32_t pad;
};

struct pvx_ctl_gnttab_copy_req {
	uint32_t count;            /* 1..PVX_CTL_GNTTAB_BATCH_MAX */
	uint32_t pad;
	/* struct pvx_ctl_gnttab_copy_seg segs[count]; then TO_GUEST data */
};
/* Reply: int32_t status[count] (GNTST_*), then FROM_GUEST data. */

/*
 * CPU scheduling (docs/scheduling.md): Xen credit's weight (1..65535,
 * default 256) and cap (% of one CPU, 0 = none, at most 100 per vCPU),
 * enforced through the domain's cgroup. SET answers -EOPNOTSUPP when the
 * host has no usable cgroup cpu controller (GET's cgroup = 0), -EINVAL
 * out of range.
 */
#define PVX_SCHED_WEIGHT_DEFAULT 256
#define PVX_SCHED_WEIGHT_MAX     65535
enum pvx_sched_cgroup { PVX_SCHED_NO_CGROUP = 0, PVX_SCHED_CGROUP_V1 = 1,
			PVX_SCHED_CGROUP_V2 = 2 };

struct pvx_ctl_sched {
	uint32_t weight;
	uint32_t cap;
	uint32_t cgroup;           /* GET: enum pvx_sched_cgroup; SET: 0 */
	uint32_t pad;
};

/* vCPU affinity: bit n of cpumap = host CPU n (at most 256 CPUs). A map
 * with no online CPU of the host is -EINVAL. */
#define PVX_CPUMAP_WORDS 4
#define PVX_CPUMAP_BITS  (PVX_CPUMAP_WORDS * 64)
#define PVX_VCPU_ALL     0xffffffffu

struct pvx_ctl_vcpu_affinity {
	uint32_t vcpu;             /* or PVX_VCPU_ALL */
	uint32_t pad;
	uint64_t cpumap[PVX_CPUMAP_WORDS];
};

#define PVX_VCPU_ONLINE  (1u << 0)
#define PVX_VCPU_RUNNING (1u << 1) /* runnable: not blocked nor paused */
#define PVX_VCPU_BLOCKED (1u << 2) /* in SCHEDOP_block/poll */
#define PVX_VCPU_PAUSED  (1u << 3)

struct pvx_ctl_vcpuinfo {
	uint32_t vcpu;
	uint32_t flags;            /* PVX_VCPU_* */
	int32_t cpu;               /* host CPU it last ran on, -1 unknown */
	uint32_t pad;
	uint64_t cpu_time_ns;
	uint64_t cpumap[PVX_CPUMAP_WORDS]; /* its affinity */
};

struct pvx_ctl_event {
	int32_t domid;
	uint32_t state;            /* enum pvx_dom_state; PVX_DOM_DEAD when gone */
	int32_t shutdown_reason;   /* Xen SHUTDOWN_*, -1 if none */
	uint32_t shutdown_code;
};

/*
 * Save/restore/migration (docs/migration.md). A domain's hypervisor
 * state (vCPU registers and, on pvh, the KVM irqchip/LAPIC/MSR state;
 * event-channel table; grant-table frames and version; timers; HVM
 * params; the shutdown/suspend record) is an opaque, versioned blob that
 * pvxd alone interprets; tools carry it verbatim in the migration stream
 * (pvx/migstream.h). It is read and written in chunks because it may
 * exceed one datagram. GET_STATE needs the domain paused or suspended;
 * SET_STATE only a PVX_CREATE_F_RESTORE domain not yet unpaused. pvxd
 * validates the whole blob (lengths, ports, frames, vCPU count against
 * the domain) when the last chunk arrives and answers -EINVAL naming
 * nothing it has not checked; a refused blob leaves the domain as it was.
 */
#define PVX_CTL_STATE_CHUNK_MAX 61440

struct pvx_ctl_state_chunk {
	uint64_t offset;           /* of this chunk in the blob */
	uint64_t total;            /* blob size (GET: filled by pvxd) */
	uint32_t len;              /* bytes following this header */
	uint32_t pad;
};

/*
 * Dirty-page log for live migration. ENABLE starts tracking every RAM
 * page (pvh: KVM's dirty log; pv: the guest process's writes), all pages
 * initially clean; FETCH returns and clears the bits of
 * [first_pfn, first_pfn + nr_pfns) (nr_pfns a multiple of 64, at most
 * PVX_CTL_DIRTY_MAX_PFNS). Pages Dom0 wrote through the grant table
 * (GNTTAB_COPY to the guest, or mapped writable at any time since the
 * last FETCH) count as dirty too, since no CPU-side log sees a backend's
 * writes. DISABLE stops tracking; so does closing the connection that
 * last sent ENABLE. Bit n of the bitmap (little-endian uint64 words) =
 * pfn first_pfn + n.
 */
#define PVX_CTL_DIRTY_MAX_PFNS (PVX_CTL_STATE_CHUNK_MAX * 8)

enum pvx_ctl_dirty_cmd {
	PVX_DIRTY_ENABLE = 1,
	PVX_DIRTY_FETCH,
	PVX_DIRTY_DISABLE,
};

struct pvx_ctl_dirty_req {
	uint32_t cmd;              /* enum pvx_ctl_dirty_cmd */
	uint32_t pad;
	uint64_t first_pfn;
	uint64_t nr_pfns;
};

struct pvx_ctl_dirty_rsp {
	uint64_t first_pfn;
	uint64_t nr_pfns;
	uint64_t dirty;            /* bits set in this reply */
	/* uint64_t bitmap[nr_pfns / 64]; */
};

#endif /* PVX_CTL_H */
