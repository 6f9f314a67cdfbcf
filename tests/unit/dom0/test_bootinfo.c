/*
 * hvm_start_info, module list, memory map and command line as the guest
 * will read them from RAM; ramdisk placement.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/ctl.h>
#include <pvx/pv.h>

#include "suites.h"

#define RAM (32ull << 20)

static const struct pvx_boot_params base = {
	.ram_bytes = RAM, .cmdline = "console=hvc0 program=hello",
	.special_gpa = PVX_SPECIAL_GPA, .special_pages = PVX_SPECIAL_PAGES,
};

START_TEST(start_info_and_memmap)
{
	uint8_t *ram = calloc(1, RAM);
	struct hvm_start_info si;
	struct hvm_memmap_table_entry m[4];
	char err[200];

	memset(ram + PVX_BOOT_DATA_START - 0x1000, 0xaa,
	       PVX_BOOT_DATA_END - PVX_BOOT_DATA_START + 0x2000);
	ck_assert_int_eq(pvx_boot_write(ram, &base, err, sizeof(err)), 0);
	memcpy(&si, ram + PVX_BOOT_INFO_GPA, sizeof(si));
	ck_assert_uint_eq(si.magic, 0x336ec578u);
	ck_assert_uint_eq(si.version, 1);
	ck_assert_uint_eq(si.flags, 0);
	ck_assert_uint_eq(si.nr_modules, 0);
	ck_assert_uint_eq(si.rsdp_paddr, 0);
	ck_assert_uint_eq(si.memmap_entries, 4);
	ck_assert_uint_eq(si.memmap_paddr, PVX_BOOT_MEMMAP_GPA);
	ck_assert_uint_lt(si.memmap_paddr, 1 << 20);
	/* pv domains see RAM only from PVX_PV_RAM_FLOOR: all of it there. */
	ck_assert_uint_ge(PVX_BOOT_INFO_GPA, PVX_PV_RAM_FLOOR);
	ck_assert_uint_ge(si.memmap_paddr, PVX_PV_RAM_FLOOR);
	ck_assert_uint_ge(si.cmdline_paddr, PVX_PV_RAM_FLOOR);
	ck_assert_str_eq((char *)ram + si.cmdline_paddr, base.cmdline);
	memcpy(m, ram + si.memmap_paddr, sizeof(m));
	ck_assert_uint_eq(m[0].addr, 0);
	ck_assert_uint_eq(m[0].size, 0xa0000);
	ck_assert_uint_eq(m[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	ck_assert_uint_eq(m[1].addr, 0xa0000);
	ck_assert_uint_eq(m[1].size, 0x60000);
	ck_assert_uint_eq(m[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	ck_assert_uint_eq(m[2].addr, 0x100000);
	ck_assert_uint_eq(m[2].addr + m[2].size, RAM);
	ck_assert_uint_eq(m[2].type, XEN_HVM_MEMMAP_TYPE_RAM);
	ck_assert_uint_eq(m[3].addr, PVX_SPECIAL_GPA);
	ck_assert_uint_eq(m[3].size, PVX_SPECIAL_PAGES * 4096);
	ck_assert_uint_eq(m[3].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	/* Only the boot data window was written. */
	ck_assert_uint_eq(ram[PVX_BOOT_DATA_START - 1], 0xaa);
	ck_assert_uint_eq(ram[PVX_BOOT_DATA_END], 0xaa);
	free(ram);
}
END_TEST

/* A pv domain has no RAM below PVX_PV_RAM_FLOOR: its map starts there,
 * and the boot data is still inside it. */
START_TEST(pv_memmap_starts_at_the_floor)
{
	uint8_t *ram = calloc(1, RAM);
	struct pvx_boot_params p = base;
	struct hvm_start_info si;
	struct hvm_memmap_table_entry m[4];
	char err[200];

	p.ram_floor = PVX_PV_RAM_FLOOR;
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), 0);
	memcpy(&si, ram + PVX_BOOT_INFO_GPA, sizeof(si));
	ck_assert_uint_eq(si.memmap_entries, 4);
	memcpy(m, ram + si.memmap_paddr, sizeof(m));
	ck_assert_uint_eq(m[0].addr, PVX_PV_RAM_FLOOR);
	ck_assert_uint_eq(m[0].addr + m[0].size, 0xa0000);
	ck_assert_uint_eq(m[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	ck_assert_uint_le(m[0].addr, PVX_BOOT_DATA_START);
	ck_assert_uint_eq(m[2].addr, 0x100000);
	p.ram_floor = PVX_BOOT_DATA_START + 0x1000; /* would hide the boot data */
	ck_assert_int_lt(pvx_boot_memmap(&p, m, 4), 0);
	free(ram);
}
END_TEST

START_TEST(ramdisk_is_module_zero)
{
	uint8_t *ram = calloc(1, RAM);
	struct pvx_boot_params p = base;
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	char err[200];

	ck_assert_int_eq(pvx_boot_place_ramdisk(RAM, 0x200000, 10000, &p.ramdisk_gpa,
						err, sizeof(err)), 0);
	ck_assert_uint_eq(p.ramdisk_gpa % 4096, 0);
	ck_assert_uint_le(p.ramdisk_gpa + 10000, RAM);
	ck_assert_uint_gt(p.ramdisk_gpa + 10000, RAM - 4096);
	p.ramdisk_size = 10000;
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), 0);
	memcpy(&si, ram + PVX_BOOT_INFO_GPA, sizeof(si));
	ck_assert_uint_eq(si.nr_modules, 1);
	memcpy(&mod, ram + si.modlist_paddr, sizeof(mod));
	ck_assert_uint_eq(mod.paddr, p.ramdisk_gpa);
	ck_assert_uint_eq(mod.size, 10000);
	ck_assert_uint_eq(mod.cmdline_paddr, 0);
	free(ram);
}
END_TEST

START_TEST(ramdisk_too_big)
{
	uint64_t gpa = 0;
	char err[200] = "";

	ck_assert_int_eq(pvx_boot_place_ramdisk(RAM, 0x1000000, RAM / 2 + 4096, &gpa,
						err, sizeof(err)), -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "does not fit"));
	ck_assert_int_eq(pvx_boot_place_ramdisk(RAM, 0x1000000, 0, &gpa, err, sizeof(err)), -E2BIG);
	/* Exactly the room above the kernel fits. */
	ck_assert_int_eq(pvx_boot_place_ramdisk(RAM, 0x1000000, RAM - 0x1000000, &gpa,
						err, sizeof(err)), 0);
	ck_assert_uint_eq(gpa, 0x1000000);
}
END_TEST

START_TEST(cmdline_limits)
{
	uint8_t *ram = calloc(1, RAM);
	struct pvx_boot_params p = base;
	char *longcmd = malloc(PVX_BOOT_CMDLINE_MAX + 1), err[200] = "";

	memset(longcmd, 'a', PVX_BOOT_CMDLINE_MAX - 1);
	longcmd[PVX_BOOT_CMDLINE_MAX - 1] = '\0'; /* fits exactly with its NUL */
	p.cmdline = longcmd;
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(strlen((char *)ram + PVX_BOOT_CMDLINE_GPA), PVX_BOOT_CMDLINE_MAX - 1);
	longcmd[PVX_BOOT_CMDLINE_MAX - 1] = 'a';
	longcmd[PVX_BOOT_CMDLINE_MAX] = '\0';
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "command line too long"));
	p.cmdline = NULL; /* none: an empty string, not garbage */
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), 0);
	ck_assert_str_eq((char *)ram + PVX_BOOT_CMDLINE_GPA, "");
	free(longcmd);
	free(ram);
}
END_TEST

START_TEST(ram_bounds)
{
	struct pvx_boot_params p = base;
	struct hvm_memmap_table_entry m[8];
	uint8_t *ram = calloc(1, 1 << 20);
	char err[200] = "";

	p.ram_bytes = 1 << 20;
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "at least 2 MiB"));
	p.ram_bytes = PVX_SPECIAL_GPA + 4096;
	ck_assert_int_eq(pvx_boot_memmap(&p, m, 8), -EINVAL);
	p.ram_bytes = RAM;
	ck_assert_int_eq(pvx_boot_memmap(&p, m, 3), -ENOSPC);
	free(ram);
}
END_TEST

static uint8_t acpi_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* RSDP -> XSDT -> MADT with one enabled LAPIC per vCPU (UID = APIC ID =
 * index), every checksum right, start_info pointing at the RSDP. */
START_TEST(acpi_tables_for_two_cpus)
{
	uint8_t *ram = calloc(1, RAM);
	struct pvx_boot_params p = base;
	struct hvm_start_info si;
	uint64_t xsdt, madt;
	uint32_t len, lapic;
	char err[200];

	p.acpi_cpus = 2;
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), 0);
	memcpy(&si, ram + PVX_BOOT_INFO_GPA, sizeof(si));
	ck_assert_uint_eq(si.rsdp_paddr, PVX_ACPI_RSDP_GPA);
	ck_assert_mem_eq(ram + si.rsdp_paddr, "RSD PTR ", 8);
	ck_assert_uint_eq(acpi_sum(ram + si.rsdp_paddr, 20), 0);
	ck_assert_uint_eq(acpi_sum(ram + si.rsdp_paddr, 36), 0);
	ck_assert_uint_eq(ram[si.rsdp_paddr + 15], 2); /* revision */
	memcpy(&xsdt, ram + si.rsdp_paddr + 24, 8);
	ck_assert_mem_eq(ram + xsdt, "XSDT", 4);
	ck_assert_uint_eq(acpi_sum(ram + xsdt, 44), 0);
	memcpy(&madt, ram + xsdt + 36, 8);
	ck_assert_mem_eq(ram + madt, "APIC", 4);
	memcpy(&len, ram + madt + 4, 4);
	ck_assert_uint_eq(len, 44 + 2 * 8);
	ck_assert_uint_eq(acpi_sum(ram + madt, len), 0);
	memcpy(&lapic, ram + madt + 36, 4);
	ck_assert_uint_eq(lapic, 0xFEE00000u);
	for (unsigned i = 0; i < 2; i++) {
		const uint8_t *e = ram + madt + 44 + i * 8;

		ck_assert_uint_eq(e[0], 0);  /* Processor Local APIC */
		ck_assert_uint_eq(e[1], 8);
		ck_assert_uint_eq(e[2], i);  /* ACPI UID = Xen vcpu id */
		ck_assert_uint_eq(e[3], i);  /* APIC ID */
		ck_assert_uint_eq(e[4] & 1, 1);
	}
	/* Inside the reserved BIOS area, which Linux scans too. */
	ck_assert_uint_ge(si.rsdp_paddr, 0xE0000);
	ck_assert_uint_lt(madt + len, 0x100000);
	free(ram);
}
END_TEST

START_TEST(acpi_cpu_bounds)
{
	uint8_t *ram = calloc(1, RAM);
	struct pvx_boot_params p = base;
	char err[200];

	p.acpi_cpus = PVX_ACPI_MAX_CPUS + 1;
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), -EINVAL);
	p.acpi_cpus = PVX_ACPI_MAX_CPUS;
	ck_assert_int_eq(pvx_boot_write(ram, &p, err, sizeof(err)), 0);
	free(ram);
}
END_TEST

Suite *make_bootinfo_suite(void)
{
	Suite *s = suite_create("bootinfo");
	TCase *t = tcase_create("core");

	tcase_add_test(t, start_info_and_memmap);
	tcase_add_test(t, acpi_tables_for_two_cpus);
	tcase_add_test(t, acpi_cpu_bounds);
	tcase_add_test(t, ramdisk_is_module_zero);
	tcase_add_test(t, pv_memmap_starts_at_the_floor);
	tcase_add_test(t, ramdisk_too_big);
	tcase_add_test(t, cmdline_limits);
	tcase_add_test(t, ram_bounds);
	suite_add_tcase(s, t);
	return s;
}
