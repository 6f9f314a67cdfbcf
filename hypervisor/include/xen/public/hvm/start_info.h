/*
 * The PVH boot structure. The loader puts a struct hvm_start_info in guest
 * memory and enters the kernel's XEN_ELFNOTE_PHYS32_ENTRY in 32-bit
 * protected mode, paging off, with its physical address in ebx. All
 * addresses are guest-physical; all fields are little-endian.
 *
 * Version 1 adds the memory map (memmap_paddr/memmap_entries); version 0
 * structures end at rsdp_paddr.
 */
#ifndef XEN_PUBLIC_HVM_START_INFO_H
#define XEN_PUBLIC_HVM_START_INFO_H

#include <stdint.h>

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578u

/* hvm_memmap_table_entry.type: the E820 type numbers. */
#define XEN_HVM_MEMMAP_TYPE_RAM       1
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2
#define XEN_HVM_MEMMAP_TYPE_ACPI      3
#define XEN_HVM_MEMMAP_TYPE_NVS       4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5
#define XEN_HVM_MEMMAP_TYPE_DISABLED  6
#define XEN_HVM_MEMMAP_TYPE_PMEM      7

/* 56 bytes. flags are SIF_* (xen.h); a domU must not have SIF_INITDOMAIN. */
struct hvm_start_info {
	uint32_t magic;           /* XEN_HVM_START_MAGIC_VALUE */
	uint32_t version;         /* 1 */
	uint32_t flags;
	uint32_t nr_modules;      /* module 0 is the initrd */
	uint64_t modlist_paddr;   /* struct hvm_modlist_entry[nr_modules] */
	uint64_t cmdline_paddr;   /* NUL-terminated */
	uint64_t rsdp_paddr;      /* 0: none */
	uint64_t memmap_paddr;    /* struct hvm_memmap_table_entry[memmap_entries] */
	uint32_t memmap_entries;
	uint32_t reserved;
};

/* 32 bytes. */
struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;   /* 0: none */
	uint64_t reserved;
};

/* 24 bytes. */
struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;            /* XEN_HVM_MEMMAP_TYPE_* */
	uint32_t reserved;
};

#endif /* XEN_PUBLIC_HVM_START_INFO_H */
