/*
 * The PVH domain builder (ARCHITECTURE D8, Xen's libxenguest role).
 *
 * Two layers. The pure layer works on memory buffers only and is unit
 * tested without KVM: parse and validate a kernel ELF64 (PT_LOADs at
 * p_paddr, the XEN_ELFNOTE_PHYS32_ENTRY note), check that it fits the
 * guest's RAM, copy it in, place the ramdisk, and write hvm_start_info
 * (version 1), the module list, the memory map and the command line into
 * low memory. The glue (pvx_build_domain) drives pvxd: create a paused
 * domain, map its memory, run the pure layer over it, prepare the
 * console and xenstore pages and ports, set the boot vCPU, unpause. Any
 * failure after the domain exists destroys it again.
 *
 * Guest-physical layout of the boot data (linux-pvh-abi.md §1.3-1.4),
 * one layout for both domain types: everything sits in
 * [PVX_BOOT_DATA_START, PVX_BOOT_DATA_END), below 1 MiB, where Linux
 * reserves memory and never writes before it copied what it needs, and
 * at or above PVX_PV_RAM_FLOOR (pvx/pv.h), because a `pv` domain's
 * address space has no RAM below it. The kernel must not load over it.
 */
#ifndef PVX_BUILDER_H
#define PVX_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pvx/ctl.h>
#include <xen/public/hvm/start_info.h>

#define PVX_BOOT_DATA_START   0x10000ull
#define PVX_BOOT_INFO_GPA     0x10000ull /* struct hvm_start_info (56 B) */
#define PVX_BOOT_MODLIST_GPA  0x10040ull /* hvm_modlist_entry[PVX_BOOT_MAX_MODULES] */
#define PVX_BOOT_MEMMAP_GPA   0x10100ull /* hvm_memmap_table_entry[PVX_BOOT_MAX_MEMMAP] */
#define PVX_BOOT_CMDLINE_GPA  0x11000ull
#define PVX_BOOT_DATA_END     0x13000ull
#define PVX_BOOT_CMDLINE_MAX  (PVX_BOOT_DATA_END - PVX_BOOT_CMDLINE_GPA) /* incl. NUL */
#define PVX_BOOT_MAX_MODULES  4
#define PVX_BOOT_MAX_MEMMAP   8

#define PVX_LOWMEM_END        0xA0000ull   /* RAM below, reserved VGA/BIOS hole above */
#define PVX_HIGHMEM_START     0x100000ull
#define PVX_MIN_RAM_BYTES     (2ull << 20)
/* RAM is one run at GPA 0; it must stay below the LAPIC/IOAPIC window. */
#define PVX_MAX_RAM_BYTES     0xFEC00000ull

#define PVX_ELF_MAX_SEGS      16

struct pvx_elf_seg {
	uint64_t paddr;
	uint64_t offset;   /* in the file */
	uint64_t filesz;
	uint64_t memsz;    /* >= filesz; the rest is zeroed (bss) */
};

/*
 * What a kernel's ELF notes say it can run as: one entry per domain type
 * (pvx/ctl.h enum pvx_dom_type), each from its own note:
 *   pvh  Xen note XEN_ELFNOTE_PHYS32_ENTRY (32-bit physical address)
 *   pv   note PVX_ELFNOTE_NAME "PVX", PVX_ELFNOTE_PV_ENTRY (64-bit)
 * Xen's own PV entry (XEN_ELFNOTE_ENTRY, as in Linux) and the guest OS
 * name are kept only to explain a refusal; they never make a type.
 */
struct pvx_elf_image {
	uint32_t types;    /* PVX_TYPE_BIT() of each type with a valid entry */
	uint64_t entry[PVX_TYPE_COUNT]; /* per type, valid when its bit is set */
	bool xen_pv_entry; /* has Xen's XEN_ELFNOTE_ENTRY (not usable here) */
	char guest_os[16]; /* XEN_ELFNOTE_GUEST_OS if printable, else "" */
	uint64_t lo, hi;   /* lowest paddr, end of the highest segment */
	size_t nsegs;
	struct pvx_elf_seg seg[PVX_ELF_MAX_SEGS];
};

/* Pure layer: 0 or -errno with one line in err. */
int pvx_elf_parse(const uint8_t *file, size_t len, struct pvx_elf_image *img,
		  char *err, size_t errlen);
int pvx_elf_check_fit(const struct pvx_elf_image *img, uint64_t ram_bytes,
		      char *err, size_t errlen);
/* Copies every segment to ram (GPA 0) and zeroes its bss. ram_fd, if not
 * -1, is the memfd behind ram (offset = GPA): whole bss pages are then
 * punched out of it instead of written, so they cost no page faults and
 * stay unallocated until the guest touches them. Call only after
 * pvx_elf_parse() and pvx_elf_check_fit() accepted img for file/ram. */
void pvx_elf_load(const struct pvx_elf_image *img, const uint8_t *file,
		  uint8_t *ram, int ram_fd);

struct pvx_boot_params {
	uint64_t ram_bytes;
	uint64_t ram_floor;       /* RAM the guest sees starts here: 0, or
				   * PVX_PV_RAM_FLOOR for a pv domain */
	const char *cmdline;      /* NULL: empty */
	uint64_t ramdisk_gpa;     /* module 0 when ramdisk_size != 0 */
	uint64_t ramdisk_size;
	uint64_t special_gpa;     /* reserved in the memory map */
	uint32_t special_pages;
	uint32_t acpi_cpus;       /* != 0: ACPI tables (acpi.c) listing that
				   * many CPUs, rsdp_paddr set; 0: none */
};

/* ACPI tables for pvh (acpi.c), in the reserved BIOS area. */
#define PVX_ACPI_RSDP_GPA     0xE0000ull
#define PVX_ACPI_XSDT_GPA     0xE0040ull
#define PVX_ACPI_MADT_GPA     0xE0080ull
#define PVX_ACPI_END          0xE1000ull
#define PVX_ACPI_MAX_CPUS     128
/* RSDP, XSDT and a MADT for nr_cpus (1..PVX_ACPI_MAX_CPUS); -1 if out
 * of range. */
int pvx_acpi_write(uint8_t *ram, unsigned nr_cpus);

/* Highest page-aligned spot for a ramdisk of `size` bytes in RAM below
 * 4 GiB and above the kernel's end `kernel_hi`. */
int pvx_boot_place_ramdisk(uint64_t ram_bytes, uint64_t kernel_hi,
			   uint64_t size, uint64_t *gpa, char *err, size_t errlen);
/* The memory map for p; returns the number of entries (<= cap) or -errno. */
int pvx_boot_memmap(const struct pvx_boot_params *p,
		    struct hvm_memmap_table_entry *out, size_t cap);
/* Writes start_info, modlist, memmap and cmdline at their GPAs in ram. */
int pvx_boot_write(uint8_t *ram, const struct pvx_boot_params *p,
		   char *err, size_t errlen);

/* Reads a whole file (at most max bytes) into a malloc'd buffer. */
int pvx_read_file(const char *path, size_t max, uint8_t **out, size_t *len);

/* Glue. */
struct pvx_ctl;
struct pvx_config;

struct pvx_build_result {
	int32_t domid;
	uint32_t type;             /* enum pvx_dom_type it was built as */
	char type_why[200];        /* why that type, for "type = X (why)" */
	uint64_t entry;
	uint32_t console_port;     /* guest ports Dom0 binds */
	uint32_t store_port;
	uint64_t console_pfn;      /* HVM_PARAM_CONSOLE_PFN */
	uint64_t store_pfn;        /* HVM_PARAM_STORE_PFN */
	uint8_t uuid[16];          /* the config's, or a random one */
};

struct pvx_build_opts {
	bool paused;               /* leave the domain paused after building */
	bool skip_host_checks;     /* no memory/name checks */
	/* Called with the built, still paused domain (pvx-consoled must serve
	 * its console, xenstore must know it, before it can run). A negative
	 * return fails the build, which destroys the domain. May be NULL. */
	int (*pre_unpause)(const struct pvx_build_result *r, const char *name,
			   void *opaque, char *err, size_t errlen);
	/* Called after a failed build destroyed the domain (undo what
	 * pre_unpause registered). May be NULL. */
	void (*on_destroy)(int32_t domid, void *opaque);
	void *opaque;
	/* Restore (pvx/save.h): the domain is created with
	 * PVX_CREATE_F_RESTORE as cfg->type (required), no kernel is read or
	 * loaded and no boot vCPU set; `fill` loads memory and state into the
	 * new paused domain (before its console/store ports and params are
	 * set, so those are this host's). A negative return fails the build. */
	bool restore;
	bool tied;   /* restore: PVX_CREATE_F_TIED (gone if we die paused) */
	int (*fill)(const struct pvx_build_result *r, void *opaque, char *err, size_t errlen);
	void *fill_opaque;
};

int pvx_build_domain(struct pvx_ctl *c, const struct pvx_config *cfg,
		     const struct pvx_build_opts *o, struct pvx_build_result *res,
		     char *err, size_t errlen);

/* The domain's xenstore side (xs_dom.c): its /local/domain/<id> keys in
 * one transaction, then XS_INTRODUCE. 0, 1 when no pvxstored serves this
 * run directory (nothing done), or -errno with one line in err. */
int pvx_xs_domain_add(const struct pvx_build_result *r, const struct pvx_config *cfg,
		      char *err, size_t errlen);
/* XS_RELEASE and removal of its keys; idempotent, errors ignored. */
void pvx_xs_domain_remove(int32_t domid);

#endif /* PVX_BUILDER_H */
