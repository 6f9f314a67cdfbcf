/*
 * Kernel ELF64 parsing for the PVH builder. The file is untrusted input
 * (a user may point `kernel =` at anything): every offset and size is
 * checked against the buffer with overflow-safe arithmetic before it is
 * used, and the result (struct pvx_elf_image) holds only checked values,
 * so pvx_elf_load() can copy without checking again.
 *
 * What we accept (linux-pvh-abi.md §1.1): ELF64, little-endian, x86-64,
 * ET_EXEC; PT_LOAD segments are placed at p_paddr (not p_vaddr) and must
 * not overlap each other; the entry point is the 32-bit physical address
 * in the Xen note XEN_ELFNOTE_PHYS32_ENTRY, never e_entry.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/ctl.h>
#include <xen/public/elfnote.h>

#define MAX_PHNUM 128

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

/* [off, off+size) inside [0, len)? */
static bool in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static int check_ehdr(const uint8_t *f, size_t len, Elf64_Ehdr *eh,
		      char *err, size_t errlen)
{
	if (len < EI_NIDENT || memcmp(f, ELFMAG, SELFMAG) != 0)
		return fail(err, errlen, -ENOEXEC, "not an ELF file");
	if (f[EI_CLASS] != ELFCLASS64)
		return fail(err, errlen, -ENOEXEC,
			    "32-bit ELF; a PVH kernel must be ELF64");
	if (len < sizeof(*eh))
		return fail(err, errlen, -ENOEXEC, "truncated ELF header");
	memcpy(eh, f, sizeof(*eh));
	if (f[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, -ENOEXEC, "big-endian ELF; expected little-endian");
	if (eh->e_machine != EM_X86_64)
		return fail(err, errlen, -ENOEXEC,
			    "ELF for machine %u, not x86-64", eh->e_machine);
	if (eh->e_type != ET_EXEC)
		return fail(err, errlen, -ENOEXEC,
			    "ELF type %u is not an executable", eh->e_type);
	if (eh->e_phnum == 0 || eh->e_phnum > MAX_PHNUM ||
	    eh->e_phentsize != sizeof(Elf64_Phdr))
		return fail(err, errlen, -ENOEXEC, "bad program header table (%u entries of %u bytes)",
			    eh->e_phnum, eh->e_phentsize);
	if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len))
		return fail(err, errlen, -ENOEXEC,
			    "truncated: program headers end past the file");
	return 0;
}

/* Walks one PT_NOTE segment for Xen's PHYS32_ENTRY; 1 if found. */
static int scan_notes(const uint8_t *f, const Elf64_Phdr *ph, uint64_t *entry)
{
	uint64_t align = ph->p_align == 8 ? 8 : 4;
	uint64_t off = ph->p_offset, end = ph->p_offset + ph->p_filesz;

	while (end - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name_len, desc_off, desc_len;

		memcpy(&nh, f + off, sizeof(nh));
		name_len = ((uint64_t)nh.n_namesz + align - 1) & ~(align - 1);
		desc_len = ((uint64_t)nh.n_descsz + align - 1) & ~(align - 1);
		desc_off = off + sizeof(nh) + name_len;
		if (desc_off > end || desc_len > end - desc_off ||
		    nh.n_descsz > end - desc_off)
			return 0; /* a broken note ends the walk */
		if (nh.n_namesz == 4 && memcmp(f + off + sizeof(nh), "Xen", 4) == 0 &&
		    nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY &&
		    (nh.n_descsz == 4 || nh.n_descsz == 8)) {
			uint64_t v = 0;
			memcpy(&v, f + desc_off, nh.n_descsz);
			*entry = v;
			return 1;
		}
		off = desc_off + desc_len;
	}
	return 0;
}

static int add_load(struct pvx_elf_image *img, const Elf64_Phdr *ph, int idx,
		    size_t len, char *err, size_t errlen)
{
	struct pvx_elf_seg *s;

	if (ph->p_memsz == 0)
		return 0;
	if (!in_file(ph->p_offset, ph->p_filesz, len))
		return fail(err, errlen, -ENOEXEC,
			    "truncated: segment %d's data ends past the file", idx);
	if (ph->p_filesz > ph->p_memsz || ph->p_paddr + ph->p_memsz < ph->p_paddr)
		return fail(err, errlen, -ENOEXEC, "segment %d has impossible sizes", idx);
	if (img->nsegs == PVX_ELF_MAX_SEGS)
		return fail(err, errlen, -ENOEXEC, "more than %d loadable segments",
			    PVX_ELF_MAX_SEGS);
	for (size_t i = 0; i < img->nsegs; i++) {
		const struct pvx_elf_seg *o = &img->seg[i];
		if (ph->p_paddr < o->paddr + o->memsz && o->paddr < ph->p_paddr + ph->p_memsz)
			return fail(err, errlen, -ENOEXEC,
				    "segment %d overlaps another loadable segment", idx);
	}
	s = &img->seg[img->nsegs++];
	*s = (struct pvx_elf_seg){ ph->p_paddr, ph->p_offset, ph->p_filesz, ph->p_memsz };
	if (img->nsegs == 1 || s->paddr < img->lo)
		img->lo = s->paddr;
	if (s->paddr + s->memsz > img->hi)
		img->hi = s->paddr + s->memsz;
	return 0;
}

static bool entry_loaded(const struct pvx_elf_image *img)
{
	for (size_t i = 0; i < img->nsegs; i++)
		if (img->entry >= img->seg[i].paddr &&
		    img->entry - img->seg[i].paddr < img->seg[i].filesz)
			return true;
	return false;
}

int pvx_elf_parse(const uint8_t *f, size_t len, struct pvx_elf_image *img,
		  char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	int rc, have_entry = 0;

	memset(img, 0, sizeof(*img));
	rc = check_ehdr(f, len, &eh, err, errlen);
	if (rc < 0)
		return rc;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, f + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD)
			rc = add_load(img, &ph, i, len, err, errlen);
		else if (ph.p_type == PT_NOTE && !have_entry && in_file(ph.p_offset, ph.p_filesz, len))
			have_entry = scan_notes(f, &ph, &img->entry);
		if (rc < 0)
			return rc;
	}
	if (img->nsegs == 0)
		return fail(err, errlen, -ENOEXEC, "no loadable segments");
	if (!have_entry)
		return fail(err, errlen, -ENOEXEC,
			    "no PVH entry note (Xen note XEN_ELFNOTE_PHYS32_ENTRY): not a PVH kernel");
	if (img->entry > UINT32_MAX || !entry_loaded(img))
		return fail(err, errlen, -ENOEXEC,
			    "PVH entry 0x%llx is not inside a loaded segment",
			    (unsigned long long)img->entry);
	return 0;
}

/* Does [a, a+n) intersect [b, b+m)? (no overflow: callers checked ends) */
static bool overlaps(uint64_t a, uint64_t n, uint64_t b, uint64_t m)
{
	return a < b + m && b < a + n;
}

int pvx_elf_check_fit(const struct pvx_elf_image *img, uint64_t ram_bytes,
		      char *err, size_t errlen)
{
	for (size_t i = 0; i < img->nsegs; i++) {
		const struct pvx_elf_seg *s = &img->seg[i];
		uint64_t end = s->paddr + s->memsz;

		if (end > ram_bytes)
			return fail(err, errlen, -E2BIG,
				    "kernel segment 0x%llx-0x%llx lies outside the guest's %llu MiB of RAM",
				    (unsigned long long)s->paddr, (unsigned long long)end - 1,
				    (unsigned long long)(ram_bytes >> 20));
		if (overlaps(s->paddr, s->memsz, PVX_LOWMEM_END,
			     PVX_HIGHMEM_START - PVX_LOWMEM_END))
			return fail(err, errlen, -EINVAL,
				    "kernel segment 0x%llx-0x%llx overlaps the reserved 0xa0000-0xfffff hole",
				    (unsigned long long)s->paddr, (unsigned long long)end - 1);
		if (overlaps(s->paddr, s->memsz, PVX_BOOT_DATA_START,
			     PVX_BOOT_DATA_END - PVX_BOOT_DATA_START))
			return fail(err, errlen, -EINVAL,
				    "kernel segment 0x%llx-0x%llx overlaps the boot data at 0x%llx-0x%llx",
				    (unsigned long long)s->paddr, (unsigned long long)end - 1,
				    PVX_BOOT_DATA_START, PVX_BOOT_DATA_END - 1);
	}
	return 0;
}

/*
 * Zeroes ram[off, off+len). A kernel's bss can be megabytes (minios's is
 * 5.5 MiB) and writing it faulted in every page: most of a create's CPU
 * time and of an idle guest's resident memory. Punching whole pages out
 * of the memfd gives the same zeroes for free; the edges are written.
 */
static void zero_range(uint8_t *ram, int ram_fd, uint64_t off, uint64_t len)
{
	uint64_t first = (off + PVX_PAGE_SIZE - 1) & ~(uint64_t)(PVX_PAGE_SIZE - 1);
	uint64_t last = (off + len) & ~(uint64_t)(PVX_PAGE_SIZE - 1);

	if (ram_fd < 0 || last <= first ||
	    fallocate(ram_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)first, (off_t)(last - first)) < 0) {
		memset(ram + off, 0, len);
		return;
	}
	memset(ram + off, 0, first - off);
	memset(ram + last, 0, off + len - last);
}

void pvx_elf_load(const struct pvx_elf_image *img, const uint8_t *file,
		  uint8_t *ram, int ram_fd)
{
	for (size_t i = 0; i < img->nsegs; i++) {
		const struct pvx_elf_seg *s = &img->seg[i];

		memcpy(ram + s->paddr, file + s->offset, s->filesz);
		zero_range(ram, ram_fd, s->paddr + s->filesz, s->memsz - s->filesz);
	}
}
