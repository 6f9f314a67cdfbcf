#include <string.h>
#include <pvx/pv.h>
#include <xen/public/elfnote.h>

#include "elf_fixture.h"

void fx_elf_init(struct fx_elf *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_X86_64;
	e->eh.e_version = EV_CURRENT;
	e->eh.e_entry = 0xffffffff81000000ull; /* must be ignored */
	e->eh.e_phoff = offsetof(struct fx_elf, ph);
	e->eh.e_ehsize = sizeof(Elf64_Ehdr);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 3;
	e->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = offsetof(struct fx_elf, text), .p_vaddr = 0xffffffff80100000ull,
		.p_paddr = FX_TEXT_PADDR, .p_filesz = FX_TEXT_LEN, .p_memsz = FX_TEXT_LEN,
		.p_align = 4096 };
	e->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = offsetof(struct fx_elf, data), .p_vaddr = 0,
		.p_paddr = FX_DATA_PADDR, .p_filesz = FX_DATA_LEN, .p_memsz = FX_DATA_MEMSZ,
		.p_align = 4096 };
	e->ph[2] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R,
		.p_offset = offsetof(struct fx_elf, nh),
		.p_filesz = sizeof(Elf64_Nhdr) + 4 + 8, .p_align = 4 };
	e->nh = (Elf64_Nhdr){ .n_namesz = 4, .n_descsz = 8,
			      .n_type = XEN_ELFNOTE_PHYS32_ENTRY };
	memcpy(e->name, "Xen", 4);
	e->desc = FX_ENTRY;
	for (int i = 0; i < FX_TEXT_LEN; i++)
		e->text[i] = (uint8_t)(0x90 + i);
	for (int i = 0; i < FX_DATA_LEN; i++)
		e->data[i] = (uint8_t)(0xd0 + i);
}

void fx_elf_add_note(struct fx_elf *e, const char *name, uint32_t type,
		     const void *desc, uint32_t descsz)
{
	e->nh2 = (Elf64_Nhdr){ .n_namesz = (uint32_t)strlen(name) + 1,
			       .n_descsz = descsz, .n_type = type };
	memset(e->name2, 0, sizeof(e->name2));
	memcpy(e->name2, name, strlen(name));
	e->desc2 = 0;
	memcpy(&e->desc2, desc, descsz);
	e->ph[2].p_filesz = offsetof(struct fx_elf, desc2) + 8 - offsetof(struct fx_elf, nh);
}

void fx_elf_add_pv(struct fx_elf *e, uint64_t entry)
{
	fx_elf_add_note(e, PVX_ELFNOTE_NAME, PVX_ELFNOTE_PV_ENTRY, &entry, 8);
}
