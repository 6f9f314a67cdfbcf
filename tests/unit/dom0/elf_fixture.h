/*
 * Crafted kernel images for builder tests: a minimal valid PVH ELF64
 * (two PT_LOADs, one with bss, and a PT_NOTE carrying Xen's
 * PHYS32_ENTRY), which tests then corrupt one field at a time. A second
 * note (fx_elf_add_note: e.g. the pv entry "PVX" PVX_ELFNOTE_PV_ENTRY)
 * can follow the first in the same PT_NOTE.
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
	Elf64_Nhdr nh2;       /* the optional second note */
	char name2[4];
	uint64_t desc2;
	uint8_t text[FX_TEXT_LEN];
	uint8_t data[FX_DATA_LEN];
};

void fx_elf_init(struct fx_elf *e);
/* Fills the second note (name of at most 3 characters, desc of at most 8
 * bytes) and extends the PT_NOTE over it. */
void fx_elf_add_note(struct fx_elf *e, const char *name, uint32_t type,
		     const void *desc, uint32_t descsz);
/* The image as a pvh + pv kernel: second note = PVX_ELFNOTE_PV_ENTRY. */
void fx_elf_add_pv(struct fx_elf *e, uint64_t entry);

#endif
