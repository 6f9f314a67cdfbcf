/*
 * Builder ELF parsing over crafted images: the good image parses to the
 * right segments and entry; each corruption is rejected with its own
 * message (a table of one-field changes); fit checks reject segments
 * outside RAM or over the boot data; loading copies data and zeroes bss.
 * Entry notes: which types a kernel announces (pvh, pv, both), and the
 * hostile cases of the pv note (test_elf_notes.c has the rest).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/builder.h>
#include <pvx/pv.h>
#include <xen/public/elfnote.h>

#include "elf_fixture.h"
#include "suites.h"

START_TEST(good_image)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	char err[200] = "";

	fx_elf_init(&e);
	ck_assert_int_eq(pvx_elf_parse((uint8_t *)&e, sizeof(e), &img, err, sizeof(err)), 0);
	ck_assert_uint_eq(img.types, PVX_TYPE_BIT(PVX_TYPE_PVH));
	ck_assert_uint_eq(img.entry[PVX_TYPE_PVH], FX_ENTRY);
	ck_assert(!img.xen_pv_entry);
	ck_assert_str_eq(img.guest_os, "");
	ck_assert_uint_eq(img.nsegs, 2);
	ck_assert_uint_eq(img.lo, FX_TEXT_PADDR);
	ck_assert_uint_eq(img.hi, FX_DATA_PADDR + FX_DATA_MEMSZ);
	ck_assert_int_eq(pvx_elf_check_fit(&img, 4 << 20, err, sizeof(err)), 0);
}
END_TEST

START_TEST(load_copies_and_zeroes_bss)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	char err[200];
	uint8_t *ram = malloc(4 << 20);

	fx_elf_init(&e);
	memset(ram, 0xee, 4 << 20);
	ck_assert_int_eq(pvx_elf_parse((uint8_t *)&e, sizeof(e), &img, err, sizeof(err)), 0);
	pvx_elf_load(&img, (uint8_t *)&e, ram, -1);
	ck_assert_int_eq(memcmp(ram + FX_TEXT_PADDR, e.text, FX_TEXT_LEN), 0);
	ck_assert_int_eq(memcmp(ram + FX_DATA_PADDR, e.data, FX_DATA_LEN), 0);
	for (size_t i = FX_DATA_LEN; i < FX_DATA_MEMSZ; i++)
		ck_assert_uint_eq(ram[FX_DATA_PADDR + i], 0);
	ck_assert_uint_eq(ram[FX_DATA_PADDR + FX_DATA_MEMSZ], 0xee); /* not past it */
	ck_assert_uint_eq(ram[FX_TEXT_PADDR - 1], 0xee);
	free(ram);
}
END_TEST

/* With the memfd behind ram, the bss comes back zero through the mapping,
 * the bytes around it keep their values, and its whole pages are released
 * from the memfd instead of being written. */
START_TEST(load_punches_bss_out_of_the_memfd)
{
	const size_t size = 4 << 20;
	struct fx_elf e;
	struct pvx_elf_image img;
	struct stat before, after;
	char err[200];
	int fd = memfd_create("elf-test", MFD_CLOEXEC);
	uint8_t *ram;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	ram = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(ram, MAP_FAILED);
	memset(ram, 0xee, size);
	ck_assert_int_eq(fstat(fd, &before), 0);

	fx_elf_init(&e);
	ck_assert_int_eq(pvx_elf_parse((uint8_t *)&e, sizeof(e), &img, err, sizeof(err)), 0);
	pvx_elf_load(&img, (uint8_t *)&e, ram, fd);
	/* Before reading back: a read of a hole through the mapping allocates
	 * the page again. The fixture's bss spans one whole page. */
	ck_assert_int_eq(fstat(fd, &after), 0);
	ck_assert_int_eq(after.st_blocks, before.st_blocks - 4096 / 512);

	ck_assert_int_eq(memcmp(ram + FX_DATA_PADDR, e.data, FX_DATA_LEN), 0);
	for (size_t i = FX_DATA_LEN; i < FX_DATA_MEMSZ; i++)
		ck_assert_uint_eq(ram[FX_DATA_PADDR + i], 0);
	ck_assert_uint_eq(ram[FX_DATA_PADDR + FX_DATA_MEMSZ], 0xee);
	munmap(ram, size);
	close(fd);
}
END_TEST

static void c_class(struct fx_elf *e, size_t *l) { (void)l; e->eh.e_ident[EI_CLASS] = ELFCLASS32; }
static void c_magic(struct fx_elf *e, size_t *l) { (void)l; memcpy((void *)e, "#!/bin/sh\n", 10); }
static void c_empty(struct fx_elf *e, size_t *l) { (void)e; *l = 0; }
static void c_endian(struct fx_elf *e, size_t *l) { (void)l; e->eh.e_ident[EI_DATA] = ELFDATA2MSB; }
static void c_machine(struct fx_elf *e, size_t *l) { (void)l; e->eh.e_machine = EM_AARCH64; }
static void c_type(struct fx_elf *e, size_t *l) { (void)l; e->eh.e_type = ET_REL; }
static void c_short_ehdr(struct fx_elf *e, size_t *l) { (void)e; *l = 40; }
static void c_short_phdr(struct fx_elf *e, size_t *l) { *l = e->eh.e_phoff + 60; }
static void c_short_data(struct fx_elf *e, size_t *l) { (void)e; *l = offsetof(struct fx_elf, data) + 4; }
static void c_phnum0(struct fx_elf *e, size_t *l) { (void)l; e->eh.e_phnum = 0; }
static void c_phentsize(struct fx_elf *e, size_t *l) { (void)l; e->eh.e_phentsize = 32; }
static void c_phoff(struct fx_elf *e, size_t *l) { (void)l; e->eh.e_phoff = UINT64_MAX - 8; }
static void c_filesz(struct fx_elf *e, size_t *l) { (void)l; e->ph[0].p_filesz = e->ph[0].p_memsz + 1; }
static void c_wrap(struct fx_elf *e, size_t *l) { (void)l; e->ph[1].p_paddr = UINT64_MAX - 100; }
static void c_overlap(struct fx_elf *e, size_t *l) { (void)l; e->ph[1].p_paddr = FX_TEXT_PADDR + 8; }
static void c_noload(struct fx_elf *e, size_t *l) { (void)l; e->ph[0].p_type = PT_NULL; e->ph[1].p_type = PT_NULL; }
static void c_note_type(struct fx_elf *e, size_t *l) { (void)l; e->nh.n_type = XEN_ELFNOTE_PHYS32_ENTRY - 1; }
static void c_note_name(struct fx_elf *e, size_t *l) { (void)l; memcpy(e->name, "Gnu", 4); }
static void c_note_size(struct fx_elf *e, size_t *l) { (void)l; e->nh.n_descsz = 0x7ffffff0; }
static void c_no_note(struct fx_elf *e, size_t *l) { (void)l; e->ph[2].p_type = PT_NULL; }
static void c_entry_out(struct fx_elf *e, size_t *l) { (void)l; e->desc = 0x300000; }
static void c_entry_bss(struct fx_elf *e, size_t *l) { (void)l; e->desc = FX_DATA_PADDR + 4096; }
static void c_entry_64(struct fx_elf *e, size_t *l) { (void)l; e->desc = 0x100000100010ull; }

static const struct {
	void (*corrupt)(struct fx_elf *, size_t *);
	const char *msg;
} bad[] = {
	{ c_magic, "not an ELF file" },
	{ c_empty, "not an ELF file" },
	{ c_class, "32-bit ELF" },
	{ c_endian, "big-endian" },
	{ c_machine, "not x86-64" },
	{ c_type, "not an executable" },
	{ c_short_ehdr, "truncated ELF header" },
	{ c_short_phdr, "truncated: program headers" },
	{ c_short_data, "truncated: segment 1" },
	{ c_phnum0, "bad program header table" },
	{ c_phentsize, "bad program header table" },
	{ c_phoff, "truncated: program headers" },
	{ c_filesz, "impossible sizes" },
	{ c_wrap, "impossible sizes" },
	{ c_overlap, "overlaps another loadable segment" },
	{ c_noload, "no loadable segments" },
	{ c_note_type, "no PVH entry note" },
	{ c_note_name, "no PVH entry note" },
	{ c_note_size, "no PVH entry note" },
	{ c_no_note, "no PVH entry note" },
	{ c_entry_out, "not inside a loaded segment" },
	{ c_entry_bss, "not inside a loaded segment" },
	{ c_entry_64, "not inside a loaded segment" },
};

START_TEST(corrupt_image)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	size_t len = sizeof(e);
	char err[200] = "";

	fx_elf_init(&e);
	bad[_i].corrupt(&e, &len);
	ck_assert_int_eq(pvx_elf_parse((uint8_t *)&e, len, &img, err, sizeof(err)), -ENOEXEC);
	ck_assert_msg(strstr(err, bad[_i].msg), "case %d: got '%s', want '%s'",
		      _i, err, bad[_i].msg);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

static const struct {
	uint64_t paddr;
	uint64_t ram;
	const char *msg;
} bad_fit[] = {
	{ 0x3fffe0, 4 << 20, "outside the guest's 4 MiB" },
	{ PVX_BOOT_DATA_START + 0x100, 4 << 20, "overlaps the boot data" },
	{ PVX_BOOT_DATA_END - 1, 4 << 20, "overlaps the boot data" },
	{ PVX_BOOT_DATA_START - 0x20, 4 << 20, "overlaps the boot data" },
	{ 0x9ffe0, 4 << 20, "reserved 0xa0000-0xfffff hole" },
	{ 0x40000000, 4 << 20, "outside the guest's" },
};

START_TEST(segment_does_not_fit)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	char err[200] = "";

	fx_elf_init(&e);
	e.ph[0].p_paddr = bad_fit[_i].paddr;
	e.desc = bad_fit[_i].paddr;
	ck_assert_int_eq(pvx_elf_parse((uint8_t *)&e, sizeof(e), &img, err, sizeof(err)), 0);
	ck_assert_int_lt(pvx_elf_check_fit(&img, bad_fit[_i].ram, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, bad_fit[_i].msg), "case %d: got '%s'", _i, err);
}
END_TEST

START_TEST(low_memory_segment_fits)
{
	/* Between the boot data and the hole, and below the boot data, is
	 * RAM a (pvh) kernel may use. */
	struct fx_elf e;
	struct pvx_elf_image img;
	char err[200] = "";

	fx_elf_init(&e);
	e.ph[0].p_paddr = PVX_BOOT_DATA_END;
	e.desc = PVX_BOOT_DATA_END;
	ck_assert_int_eq(pvx_elf_parse((uint8_t *)&e, sizeof(e), &img, err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_elf_check_fit(&img, 4 << 20, err, sizeof(err)), 0);
	e.ph[0].p_paddr = 0x1000;
	e.desc = 0x1000;
	ck_assert_int_eq(pvx_elf_parse((uint8_t *)&e, sizeof(e), &img, err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_elf_check_fit(&img, 4 << 20, err, sizeof(err)), 0);
}
END_TEST

Suite *make_elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *t = tcase_create("core");

	tcase_add_test(t, good_image);
	tcase_add_test(t, load_copies_and_zeroes_bss);
	tcase_add_test(t, load_punches_bss_out_of_the_memfd);
	tcase_add_loop_test(t, corrupt_image, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_loop_test(t, segment_does_not_fit, 0, sizeof(bad_fit) / sizeof(bad_fit[0]));
	tcase_add_test(t, low_memory_segment_fits);
	suite_add_tcase(s, t);
	return s;
}
