/*
 * Kernel ELF64 parsing for the PVH builder. The file is untrusted input
 * (a user may point `kernel =` at anything): every offset and size is
 * checked against the buffer with overflow-safe arithmetic before it is
 * used, and the result (struct pvx_elf_image) holds only checked values,
 * so pvx_elf_load() can copy without checking again.
 *
 * What we accept (linux-pvh-abi.md §1.1): ELF64, little-endian, x86-64,
 * ET_EXEC; PT_LOAD segments are placed at p_paddr (not p_vaddr) and must
 * not overlap each other. The entry point is never e_entry but comes
 * from a note, one per domain type the kernel supports (builder.h): the
 * 32-bit physical address in Xen's XEN_ELFNOTE_PHYS32_ENTRY for pvh, the
 * 64-bit address in our "PVX" PVX_ELFNOTE_PV_ENTRY for pv. A kernel
 * needs at least one; each one present must be well-formed and point
 * into loaded bytes, else the kernel is refused (a half-valid kernel
 * would fail later, inside the guest, where nobody can say why).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/ctl.h>
#include <pvx/pv.h>
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

/*
 * ELF notes. A note is { namesz, descsz, type, name, desc } with name
 * and desc padded to the segment's alignment; every size is the file's
 * word, so each step is checked against the segment's end before it is
 * used, in 64-bit arithmetic (no 32-bit size can wrap it). A note that
 * does not fit ends the walk: what follows it cannot be located.
 * Entry notes that are present but malformed are remembered in `bad`
 * and reported, rather than silently taken as absent.
 */
struct note_scan {
	struct pvx_elf_image *img;
	const char *bad;        /* first malformed entry note, or NULL */
};

struct note_ref {
	const uint8_t *desc;
	uint32_t descsz;
};

typedef void (*note_fn)(struct note_scan *ns, const struct note_ref *n);

static void n_set_entry(struct note_scan *ns, enum pvx_dom_type t, uint64_t v)
{
	if (ns->img->types & PVX_TYPE_BIT(t))
		return; /* the first note of a kind wins */
	ns->img->types |= PVX_TYPE_BIT(t);
	ns->img->entry[t] = v;
}

static void n_phys32_entry(struct note_scan *ns, const struct note_ref *n)
{
	uint64_t v = 0;

	if (n->descsz != 4 && n->descsz != 8) {
		ns->bad = ns->bad ? ns->bad : "PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY) "
			"is not 4 or 8 bytes long";
		return;
	}
	memcpy(&v, n->desc, n->descsz);
	n_set_entry(ns, PVX_TYPE_PVH, v);
}

static void n_pv_entry(struct note_scan *ns, const struct note_ref *n)
{
	uint64_t v;

	if (n->descsz != 8) {
		ns->bad = ns->bad ? ns->bad : "pv entry note (\"PVX\" PVX_ELFNOTE_PV_ENTRY) "
			"is not 8 bytes long";
		return;
	}
	memcpy(&v, n->desc, 8);
	n_set_entry(ns, PVX_TYPE_PV, v);
}

static void n_xen_entry(struct note_scan *ns, const struct note_ref *n)
{
	(void)n;
	ns->img->xen_pv_entry = true;
}

/* Kept only to word a refusal ("Linux runs only as pvh"): printable
 * ASCII or nothing. */
static void n_guest_os(struct note_scan *ns, const struct note_ref *n)
{
	char *out = ns->img->guest_os;
	size_t i;

	if (out[0])
		return;
	for (i = 0; i < n->descsz && i < sizeof(ns->img->guest_os) - 1 && n->desc[i]; i++) {
		if (n->desc[i] < 0x20 || n->desc[i] > 0x7e) {
			out[0] = '\0';
			return;
		}
		out[i] = (char)n->desc[i];
	}
	out[i] = '\0';
}

static const struct {
	const char *name;       /* with its NUL: namesz = strlen + 1 */
	uint32_t type;
	note_fn fn;
} note_tab[] = {
	{ XEN_ELFNOTE_NAME, XEN_ELFNOTE_PHYS32_ENTRY, n_phys32_entry },
	{ PVX_ELFNOTE_NAME, PVX_ELFNOTE_PV_ENTRY,     n_pv_entry },
	{ XEN_ELFNOTE_NAME, XEN_ELFNOTE_ENTRY,        n_xen_entry },
	{ XEN_ELFNOTE_NAME, XEN_ELFNOTE_GUEST_OS,     n_guest_os },
};

static void dispatch_note(struct note_scan *ns, const Elf64_Nhdr *nh,
			  const uint8_t *name, const uint8_t *desc)
{
	const struct note_ref ref = { desc, nh->n_descsz };

	for (size_t i = 0; i < sizeof(note_tab) / sizeof(note_tab[0]); i++) {
		size_t nlen = strlen(note_tab[i].name) + 1;

		if (nh->n_type == note_tab[i].type && nh->n_namesz == nlen &&
		    memcmp(name, note_tab[i].name, nlen) == 0) {
			note_tab[i].fn(ns, &ref);
			return;
		}
	}
}

/* Walks one PT_NOTE segment (already checked to lie inside the file). */
static void scan_notes(const uint8_t *f, const Elf64_Phdr *ph, struct note_scan *ns)
{
	uint64_t align = ph->p_align == 8 ? 8 : 4;
	uint64_t off = ph->p_offset, end = ph->p_offset + ph->p_filesz;

	while (end - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name_len, desc_off, desc_len;

		memcpy(&nh, f + off, sizeof(nh));
		name_len = ((uint64_t)nh.n_namesz + align - 1) & ~(align - 1);
		desc_len = ((uint64_t)nh.n_descsz + align - 1) & ~(align - 1);
		if (name_len > end - off - sizeof(nh))
			return;
		desc_off = off + sizeof(nh) + name_len;
		if (nh.n_descsz > end - desc_off)
			return;
		dispatch_note(ns, &nh, f + off + sizeof(nh), f + desc_off);
		if (desc_len >= end - desc_off)
			return; /* the last note (its padding may be cut) */
		off = desc_off + desc_len;
	}
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

static bool entry_loaded(const struct pvx_elf_image *img, uint64_t entry)
{
	for (size_t i = 0; i < img->nsegs; i++)
		if (entry >= img->seg[i].paddr &&
		    entry - img->seg[i].paddr < img->seg[i].filesz)
			return true;
	return false;
}

/* A pv domain has no RAM below PVX_PV_RAM_FLOOR (pvx/pv.h): a kernel
 * that announces pv must load, and be entered, above it. */
static int check_pv(const struct pvx_elf_image *img, char *err, size_t errlen)
{
	uint64_t e = img->entry[PVX_TYPE_PV];

	for (size_t i = 0; i < img->nsegs; i++)
		if (img->seg[i].paddr < PVX_PV_RAM_FLOOR)
			return fail(err, errlen, -ENOEXEC,
				    "it has a pv entry note but a segment at 0x%llx, below 0x%llx "
				    "where a pv domain has no RAM",
				    (unsigned long long)img->seg[i].paddr, PVX_PV_RAM_FLOOR);
	if (!entry_loaded(img, e))
		return fail(err, errlen, -ENOEXEC,
			    "pv entry 0x%llx (note \"PVX\") is not inside a loaded segment",
			    (unsigned long long)e);
	return 0;
}

static int check_entries(const struct pvx_elf_image *img, const char *bad,
			 char *err, size_t errlen)
{
	uint64_t e = img->entry[PVX_TYPE_PVH];

	if (bad)
		return fail(err, errlen, -ENOEXEC, "%s", bad);
	if (!img->types)
		return fail(err, errlen, -ENOEXEC,
			    "no PVH entry note (Xen note XEN_ELFNOTE_PHYS32_ENTRY) and no pv "
			    "entry note (\"PVX\" PVX_ELFNOTE_PV_ENTRY): not a kernel pvx can boot%s",
			    img->xen_pv_entry ? " (a Xen PV entry, XEN_ELFNOTE_ENTRY, is not enough)"
					      : "");
	if ((img->types & PVX_TYPE_BIT(PVX_TYPE_PVH)) &&
	    (e > UINT32_MAX || !entry_loaded(img, e)))
		return fail(err, errlen, -ENOEXEC,
			    "PVH entry 0x%llx is not inside a loaded segment",
			    (unsigned long long)e);
	if (img->types & PVX_TYPE_BIT(PVX_TYPE_PV))
		return check_pv(img, err, errlen);
	return 0;
}

int pvx_elf_parse(const uint8_t *f, size_t len, struct pvx_elf_image *img,
		  char *err, size_t errlen)
{
	struct note_scan ns = { .img = img };
	Elf64_Ehdr eh;
	int rc;

	memset(img, 0, sizeof(*img));
	rc = check_ehdr(f, len, &eh, err, errlen);
	if (rc < 0)
		return rc;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, f + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD)
			rc = add_load(img, &ph, i, len, err, errlen);
		else if (ph.p_type == PT_NOTE && in_file(ph.p_offset, ph.p_filesz, len))
			scan_notes(f, &ph, &ns);
		if (rc < 0)
			return rc;
	}
	if (img->nsegs == 0)
		return fail(err, errlen, -ENOEXEC, "no loadable segments");
	return check_entries(img, ns.bad, err, errlen);
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
