/*
 * Crafted kernel images for builder tests: a minimal valid PVH ELF64
 * (two PT_LOADs, one with bss, and a PT_NOTE carrying Xen's
 * PHYS32_ENTRY), which tests then corrupt one field at a time.
 */
#ifndef PVX_TEST_ELF_FIXTURE_H
#define PVX_TEST_ELF_FIXTURE_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#define FX_TEXT_PADDR  0x100000ull
#define FX_DATA_PADDR  0x200000ull
#define FX_ENTRY       0x100010ull
#define FX_TEXT_LEN    64
#define FX_DATA_LEN    32
#define FX_DATA_MEMSZ  8192   /* bss follows the data */

struct fx_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];     /* text, data, note */
	Elf64_Nhdr nh;
	char name[4];         /* "Xen" */
	uint64_t desc;        /* entry */
	uint8_t text[FX_TEXT_LEN];
	uint8_t data[FX_DATA_LEN];
};

void fx_elf_init(struct fx_elf *e);

#endif
