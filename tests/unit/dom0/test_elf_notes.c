/*
 * The builder's ELF note parser: which domain types a kernel announces
 * (Xen's PHYS32_ENTRY -> pvh, our "PVX" PVX_ELFNOTE_PV_ENTRY -> pv; Xen's
 * own PV entry never counts), the facts kept for messages (Xen PV entry,
 * guest OS), and hostile notes: wrong sizes, sizes past the segment,
 * names without their NUL, entries outside loaded bytes or below the pv
 * RAM floor. Last, random byte damage to the whole image must never make
 * the parser read out of bounds (run under SANITIZE=1 to see that) or
 * accept an image whose entry is not in loaded bytes.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/pv.h>
#include <xen/public/elfnote.h>

#include "elf_fixture.h"
#include "suites.h"

#define PVH PVX_TYPE_BIT(PVX_TYPE_PVH)
#define PV PVX_TYPE_BIT(PVX_TYPE_PV)

static int parse(struct fx_elf *e, size_t len, struct pvx_elf_image *img, char *err)
{
	return pvx_elf_parse((uint8_t *)e, len, img, err, 300);
}

START_TEST(pvh_and_pv)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	char err[300] = "";

	fx_elf_init(&e);
	fx_elf_add_pv(&e, FX_ENTRY + 8);
	ck_assert_msg(parse(&e, sizeof(e), &img, err) == 0, "%s", err);
	ck_assert_uint_eq(img.types, PVH | PV);
	ck_assert_uint_eq(img.entry[PVX_TYPE_PVH], FX_ENTRY);
	ck_assert_uint_eq(img.entry[PVX_TYPE_PV], FX_ENTRY + 8);
}
END_TEST

START_TEST(pv_only)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	char err[300] = "";

	fx_elf_init(&e);
	e.nh.n_type = XEN_ELFNOTE_GUEST_VERSION; /* no longer an entry */
	fx_elf_add_pv(&e, FX_DATA_PADDR + 4);
	ck_assert_msg(parse(&e, sizeof(e), &img, err) == 0, "%s", err);
	ck_assert_uint_eq(img.types, PV);
	ck_assert_uint_eq(img.entry[PVX_TYPE_PV], FX_DATA_PADDR + 4);
	/* A 64-bit pv entry is fine where a pvh one must be 32-bit: place
	 * the data segment above 4 GiB. */
	e.ph[1].p_paddr = 0x100000000ull;
	fx_elf_add_pv(&e, 0x100000000ull + 4);
	ck_assert_msg(parse(&e, sizeof(e), &img, err) == 0, "%s", err);
	ck_assert_uint_eq(img.entry[PVX_TYPE_PV], 0x100000000ull + 4);
}
END_TEST

/* Linux carries Xen's PV entry and its guest OS name: kept for the
 * message, but neither makes a type. */
START_TEST(xen_pv_entry_is_not_pv)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	uint64_t va = 0xffffffff81000000ull;
	char err[300] = "";

	fx_elf_init(&e);
	fx_elf_add_note(&e, XEN_ELFNOTE_NAME, XEN_ELFNOTE_ENTRY, &va, 8);
	ck_assert_int_eq(parse(&e, sizeof(e), &img, err), 0);
	ck_assert_uint_eq(img.types, PVH);
	ck_assert(img.xen_pv_entry);
	fx_elf_add_note(&e, XEN_ELFNOTE_NAME, XEN_ELFNOTE_GUEST_OS, "linux", 6);
	ck_assert_int_eq(parse(&e, sizeof(e), &img, err), 0);
	ck_assert_str_eq(img.guest_os, "linux");
	/* Only Xen's PV entry: not bootable, and the message says why. */
	e.nh.n_type = XEN_ELFNOTE_ENTRY;
	ck_assert_int_eq(parse(&e, sizeof(e), &img, err), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(err, "no PVH entry note"));
	ck_assert_ptr_nonnull(strstr(err, "no pv entry note"));
	ck_assert_ptr_nonnull(strstr(err, "XEN_ELFNOTE_ENTRY, is not enough"));
}
END_TEST

START_TEST(guest_os_must_be_printable)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	char err[300] = "";

	fx_elf_init(&e);
	fx_elf_add_note(&e, XEN_ELFNOTE_NAME, XEN_ELFNOTE_GUEST_OS, "li\033nux", 7);
	ck_assert_int_eq(parse(&e, sizeof(e), &img, err), 0);
	ck_assert_str_eq(img.guest_os, "");
	/* Not NUL-terminated inside its 8 bytes: cut, still a string. */
	fx_elf_add_note(&e, XEN_ELFNOTE_NAME, XEN_ELFNOTE_GUEST_OS, "ABCDEFGH", 8);
	ck_assert_int_eq(parse(&e, sizeof(e), &img, err), 0);
	ck_assert_str_eq(img.guest_os, "ABCDEFGH");
}
END_TEST

/* One change each to a pvh + pv image; NULL msg: it still parses, as
 * pvh only (the broken note was not found). */
static void h_pv_short(struct fx_elf *e, size_t *l) { (void)l; e->nh2.n_descsz = 4; }
static void h_pv_long(struct fx_elf *e, size_t *l) { (void)l; e->nh2.n_descsz = 9; }
static void h_pv_zero(struct fx_elf *e, size_t *l) { (void)l; e->nh2.n_descsz = 0; }
static void h_pvh_short(struct fx_elf *e, size_t *l) { (void)l; e->nh.n_descsz = 2; }
static void h_pv_huge(struct fx_elf *e, size_t *l) { (void)l; e->nh2.n_descsz = 0xffffffffu; }
static void h_pv_name_huge(struct fx_elf *e, size_t *l) { (void)l; e->nh2.n_namesz = 0xfffffffdu; }
static void h_pv_no_nul(struct fx_elf *e, size_t *l) { (void)l; e->nh2.n_namesz = 3; }
static void h_pv_cut(struct fx_elf *e, size_t *l) { (void)l; e->ph[2].p_filesz -= 4; }
static void h_note_off(struct fx_elf *e, size_t *l) { (void)l; e->ph[2].p_offset = UINT64_MAX - 4; }
static void h_note_len(struct fx_elf *e, size_t *l) { (void)l; e->ph[2].p_filesz = UINT64_MAX; }
static void h_pv_bss(struct fx_elf *e, size_t *l) { (void)l; e->desc2 = FX_DATA_PADDR + 64; }
static void h_pv_out(struct fx_elf *e, size_t *l) { (void)l; e->desc2 = 0xdead0000; }
static void h_pv_low(struct fx_elf *e, size_t *l)
{
	(void)l;
	e->ph[0].p_paddr = 0x1000;
	e->desc = e->desc2 = 0x1000;
}
static void h_pv_floor(struct fx_elf *e, size_t *l)
{
	(void)l;
	e->ph[0].p_paddr = PVX_PV_RAM_FLOOR - 16;
	e->desc = e->desc2 = PVX_PV_RAM_FLOOR;
}

static const struct {
	void (*corrupt)(struct fx_elf *, size_t *);
	const char *msg;
	uint32_t types;          /* when msg is NULL */
} hostile[] = {
	{ h_pv_short, "pv entry note (\"PVX\" PVX_ELFNOTE_PV_ENTRY) is not 8 bytes long", 0 },
	{ h_pv_long, NULL, PVH },  /* 9 bytes run past the segment: walk ends */
	{ h_pv_zero, "pv entry note (\"PVX\" PVX_ELFNOTE_PV_ENTRY) is not 8 bytes long", 0 },
	{ h_pvh_short, "PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY) is not 4 or 8 bytes long", 0 },
	{ h_pv_huge, NULL, PVH },
	{ h_pv_name_huge, NULL, PVH },
	{ h_pv_no_nul, NULL, PVH },
	{ h_pv_cut, NULL, PVH },
	{ h_note_off, "no PVH entry note", 0 },
	{ h_note_len, "no PVH entry note", 0 },
	{ h_pv_bss, "pv entry 0x200040 (note \"PVX\") is not inside a loaded segment", 0 },
	{ h_pv_out, "pv entry 0xdead0000 (note \"PVX\") is not inside a loaded segment", 0 },
	{ h_pv_low, "it has a pv entry note but a segment at 0x1000, below 0x10000", 0 },
	{ h_pv_floor, "segment at 0xfff0, below 0x10000 where a pv domain has no RAM", 0 },
};

START_TEST(hostile_notes)
{
	struct fx_elf e;
	struct pvx_elf_image img;
	size_t len = sizeof(e);
	char err[300] = "";
	int rc;

	fx_elf_init(&e);
	fx_elf_add_pv(&e, FX_ENTRY);
	hostile[_i].corrupt(&e, &len);
	rc = parse(&e, len, &img, err);
	if (!hostile[_i].msg) {
		ck_assert_msg(rc == 0, "case %d: %s", _i, err);
		ck_assert_uint_eq(img.types, hostile[_i].types);
		return;
	}
	ck_assert_int_eq(rc, -ENOEXEC);
	ck_assert_msg(strstr(err, hostile[_i].msg), "case %d: got '%s', want '%s'",
		      _i, err, hostile[_i].msg);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

/* An accepted image: every announced entry lies in a segment's file
 * bytes, pv ones above the floor, pvh ones below 4 GiB. */
static void check_accepted(const struct pvx_elf_image *img)
{
	ck_assert_uint_ne(img->types, 0);
	for (uint32_t t = 0; t < PVX_TYPE_COUNT; t++) {
		bool in = false;

		if (!(img->types & PVX_TYPE_BIT(t)))
			continue;
		for (size_t i = 0; i < img->nsegs; i++)
			in = in || (img->entry[t] >= img->seg[i].paddr &&
				    img->entry[t] - img->seg[i].paddr < img->seg[i].filesz);
		ck_assert(in);
		if (t == PVX_TYPE_PV)
			ck_assert_uint_ge(img->entry[t], PVX_PV_RAM_FLOOR);
		else
			ck_assert_uint_le(img->entry[t], UINT32_MAX);
	}
}

START_TEST(random_damage)
{
	unsigned seed = 12345;
	size_t accepted = 0;

	for (int round = 0; round < 20000; round++) {
		struct fx_elf *e = malloc(sizeof(*e));
		struct pvx_elf_image img;
		size_t len = sizeof(*e);
		char err[300];
		int nflips = 1 + (int)(rand_r(&seed) % 4);

		fx_elf_init(e);
		fx_elf_add_pv(e, FX_ENTRY);
		for (int i = 0; i < nflips; i++) {
			/* Mostly the headers and notes: where the sizes are. */
			size_t at = (size_t)rand_r(&seed) % offsetof(struct fx_elf, text);
			((uint8_t *)e)[at] = (uint8_t)rand_r(&seed);
		}
		if (rand_r(&seed) % 8 == 0)
			len = (size_t)rand_r(&seed) % sizeof(*e);
		/* An exact-size heap copy: ASan sees any read past len. */
		uint8_t *buf = malloc(len ? len : 1);
		memcpy(buf, e, len);
		if (pvx_elf_parse(buf, len, &img, err, sizeof(err)) == 0) {
			check_accepted(&img);
			accepted++;
		} else {
			ck_assert_ptr_null(strchr(err, '\n'));
		}
		free(buf);
		free(e);
	}
	ck_assert_uint_gt(accepted, 0); /* some flips hit harmless bytes */
}
END_TEST

Suite *make_elf_notes_suite(void)
{
	Suite *s = suite_create("elf-notes");
	TCase *t = tcase_create("core");

	tcase_set_timeout(t, 30);
	tcase_add_test(t, pvh_and_pv);
	tcase_add_test(t, pv_only);
	tcase_add_test(t, xen_pv_entry_is_not_pv);
	tcase_add_test(t, guest_os_must_be_printable);
	tcase_add_loop_test(t, hostile_notes, 0, sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(t, random_damage);
	suite_add_tcase(s, t);
	return s;
}
