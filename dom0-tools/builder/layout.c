/*
 * Boot data for a PVH guest: hvm_start_info version 1, its module list
 * (module 0 = the ramdisk, as Linux expects), the E820-style memory map
 * and the command line, all written into guest RAM at the fixed low
 * addresses in pvx/builder.h (linux-pvh-abi.md §1.3-1.4). The same
 * block serves `pv` domains (rsi = start_info), so it lies where their
 * RAM is visible: at or above PVX_PV_RAM_FLOOR, in the low RAM run.
 *
 * The memory map is what the guest believes about its physical space:
 *   [ram_floor, 0xA0000)         RAM (ram_floor: 0, or for a pv domain
 *                                PVX_PV_RAM_FLOOR: below it its address
 *                                space has nothing, so the map has a hole)
 *   [0xA0000, 0x100000)          reserved (VGA/BIOS hole; backed, zero)
 *   [0x100000, ram_bytes)        RAM
 *   [special_gpa, +pages*4 KiB)  reserved: console and xenstore rings,
 *                                which must never reach the guest's
 *                                page allocator.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/pv.h>

_Static_assert(PVX_BOOT_DATA_START >= PVX_PV_RAM_FLOOR &&
	       PVX_BOOT_DATA_END <= PVX_LOWMEM_END,
	       "boot data must be visible to pv guests and inside low RAM");

#define PAGE 4096ull
#define GPA_4G (1ull << 32)

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

int pvx_boot_place_ramdisk(uint64_t ram_bytes, uint64_t kernel_hi,
			   uint64_t size, uint64_t *gpa, char *err, size_t errlen)
{
	uint64_t top = ram_bytes < GPA_4G ? ram_bytes : GPA_4G;
	uint64_t floor = (kernel_hi + PAGE - 1) & ~(PAGE - 1);

	if (floor < PVX_HIGHMEM_START)
		floor = PVX_HIGHMEM_START;
	if (size == 0 || size > top || top - size < floor) {
		return fail(err, errlen, -E2BIG,
			    "ramdisk of %llu bytes does not fit in RAM above the kernel "
			    "(%llu bytes free)", (unsigned long long)size,
			    (unsigned long long)(top > floor ? top - floor : 0));
	}
	*gpa = (top - size) & ~(PAGE - 1);
	return 0;
}

int pvx_boot_memmap(const struct pvx_boot_params *p,
		    struct hvm_memmap_table_entry *out, size_t cap)
{
	const struct hvm_memmap_table_entry map[] = {
		{ p->ram_floor, PVX_LOWMEM_END - p->ram_floor, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
		{ PVX_LOWMEM_END, PVX_HIGHMEM_START - PVX_LOWMEM_END,
		  XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
		{ PVX_HIGHMEM_START, p->ram_bytes - PVX_HIGHMEM_START,
		  XEN_HVM_MEMMAP_TYPE_RAM, 0 },
		{ p->special_gpa, (uint64_t)p->special_pages * PAGE,
		  XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
	};
	size_t n = sizeof(map) / sizeof(map[0]);

	if (p->ram_bytes < PVX_MIN_RAM_BYTES || p->ram_bytes > PVX_MAX_RAM_BYTES ||
	    p->ram_bytes % PAGE || p->special_gpa < p->ram_bytes ||
	    p->ram_floor > PVX_BOOT_DATA_START || p->ram_floor % PAGE)
		return -EINVAL;
	if (p->special_pages == 0)
		n--;
	if (n > cap)
		return -ENOSPC;
	memcpy(out, map, n * sizeof(map[0]));
	return (int)n;
}

static int check_params(const struct pvx_boot_params *p, size_t cmdlen,
			char *err, size_t errlen)
{
	if (p->ram_bytes < PVX_MIN_RAM_BYTES)
		return fail(err, errlen, -EINVAL, "memory must be at least %llu MiB",
			    PVX_MIN_RAM_BYTES >> 20);
	if (p->ram_bytes > PVX_MAX_RAM_BYTES)
		return fail(err, errlen, -E2BIG,
			    "memory above %llu MiB is not supported (RAM is one run below the APIC window)",
			    PVX_MAX_RAM_BYTES >> 20);
	if (cmdlen >= PVX_BOOT_CMDLINE_MAX)
		return fail(err, errlen, -E2BIG, "command line too long (%zu bytes; at most %llu)",
			    cmdlen, PVX_BOOT_CMDLINE_MAX - 1);
	if (p->ramdisk_size && (p->ramdisk_gpa < PVX_HIGHMEM_START ||
				p->ramdisk_gpa > p->ram_bytes ||
				p->ramdisk_size > p->ram_bytes - p->ramdisk_gpa))
		return fail(err, errlen, -EINVAL, "ramdisk placed outside RAM");
	return 0;
}

int pvx_boot_write(uint8_t *ram, const struct pvx_boot_params *p,
		   char *err, size_t errlen)
{
	struct hvm_memmap_table_entry map[PVX_BOOT_MAX_MEMMAP];
	struct hvm_start_info si = {
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = 1,
		.cmdline_paddr = PVX_BOOT_CMDLINE_GPA,
		.memmap_paddr = PVX_BOOT_MEMMAP_GPA,
	};
	const char *cmd = p->cmdline ? p->cmdline : "";
	size_t cmdlen = strlen(cmd);
	int n, rc = check_params(p, cmdlen, err, errlen);

	if (rc < 0)
		return rc;
	n = pvx_boot_memmap(p, map, PVX_BOOT_MAX_MEMMAP);
	if (n < 0)
		return fail(err, errlen, n, "cannot build the memory map");
	si.memmap_entries = (uint32_t)n;
	memset(ram + PVX_BOOT_DATA_START, 0, PVX_BOOT_DATA_END - PVX_BOOT_DATA_START);
	if (p->ramdisk_size) {
		struct hvm_modlist_entry mod = {
			.paddr = p->ramdisk_gpa, .size = p->ramdisk_size,
		};
		si.nr_modules = 1;
		si.modlist_paddr = PVX_BOOT_MODLIST_GPA;
		memcpy(ram + PVX_BOOT_MODLIST_GPA, &mod, sizeof(mod));
	}
	memcpy(ram + PVX_BOOT_MEMMAP_GPA, map, (size_t)n * sizeof(map[0]));
	memcpy(ram + PVX_BOOT_CMDLINE_GPA, cmd, cmdlen + 1);
	if (p->acpi_cpus) {
		if (pvx_acpi_write(ram, p->acpi_cpus) < 0)
			return fail(err, errlen, -EINVAL, "%u vCPUs: ACPI tables list at most %d",
				    p->acpi_cpus, PVX_ACPI_MAX_CPUS);
		si.rsdp_paddr = PVX_ACPI_RSDP_GPA;
	}
	memcpy(ram + PVX_BOOT_INFO_GPA, &si, sizeof(si));
	return 0;
}
