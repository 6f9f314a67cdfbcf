/*
 * acpi: the smallest ACPI tables that let a PVH Linux find more than one
 * CPU: RSDP (revision 2) -> XSDT -> MADT with one enabled Processor
 * Local APIC entry per vCPU (ACPI UID = APIC ID = Xen vcpu id), and no
 * IOAPIC entry, as Xen gives PVH DomUs (linux-pvh-abi.md §1.6). Linux
 * then runs in virtual-wire mode (legacy IRQs through the in-kernel 8259
 * on LINT0) and starts the APs with INIT/SIPI through the in-kernel
 * LAPIC. No FADT/DSDT: Linux reads the MADT before it notices.
 *
 * The tables live in the zero-backed BIOS area [0xE0000, 0xE1000), which
 * the memory map reserves and Linux also scans for an RSDP on its own;
 * start_info.rsdp_paddr points at it directly. pv domains get none (they
 * have no LAPIC, and their RAM view starts above that area anyway).
 */
#include <string.h>

#include <pvx/builder.h>

struct sdt_header {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

struct rsdp {
	char sig[8];
	uint8_t checksum;         /* first 20 bytes */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t ext_checksum;     /* all 36 bytes */
	uint8_t reserved[3];
} __attribute__((packed));

struct madt_lapic {
	uint8_t type;             /* 0: Processor Local APIC */
	uint8_t length;           /* 8 */
	uint8_t uid;
	uint8_t apic_id;
	uint32_t flags;           /* bit 0: enabled */
} __attribute__((packed));

_Static_assert(sizeof(struct sdt_header) == 36, "ACPI SDT header");
_Static_assert(sizeof(struct rsdp) == 36, "ACPI RSDP");
_Static_assert(PVX_ACPI_MADT_GPA + 44 + PVX_ACPI_MAX_CPUS * 8 <= PVX_ACPI_END,
	       "MADT must fit in the ACPI area");

#define MADT_PCAT_COMPAT 1u       /* an 8259 pair is there (in-kernel) */
#define LAPIC_GPA 0xFEE00000u

static uint8_t sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *b++);
	return (uint8_t)-s;
}

static void header(struct sdt_header *h, const char sig[4], uint32_t len,
		   uint8_t rev)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->sig, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "PVX   ", 6);
	memcpy(h->oem_table_id, "PVXPVH  ", 8);
	h->oem_revision = 1;
	memcpy(&h->creator_id, "PVX ", 4);
	h->creator_revision = 1;
}

static void write_madt(uint8_t *ram, unsigned nr_cpus)
{
	uint8_t *t = ram + PVX_ACPI_MADT_GPA;
	uint32_t len = 44 + nr_cpus * (uint32_t)sizeof(struct madt_lapic);
	uint32_t lapic = LAPIC_GPA, flags = MADT_PCAT_COMPAT;

	header((struct sdt_header *)t, "APIC", len, 3);
	memcpy(t + 36, &lapic, 4);
	memcpy(t + 40, &flags, 4);
	for (unsigned i = 0; i < nr_cpus; i++) {
		struct madt_lapic e = { 0, 8, (uint8_t)i, (uint8_t)i, 1 };

		memcpy(t + 44 + i * sizeof(e), &e, sizeof(e));
	}
	((struct sdt_header *)t)->checksum = sum(t, len);
}

static void write_xsdt(uint8_t *ram)
{
	uint8_t *t = ram + PVX_ACPI_XSDT_GPA;
	uint64_t madt = PVX_ACPI_MADT_GPA;

	header((struct sdt_header *)t, "XSDT", 44, 1);
	memcpy(t + 36, &madt, 8);
	((struct sdt_header *)t)->checksum = sum(t, 44);
}

int pvx_acpi_write(uint8_t *ram, unsigned nr_cpus)
{
	struct rsdp r;

	if (nr_cpus == 0 || nr_cpus > PVX_ACPI_MAX_CPUS)
		return -1;
	memset(ram + PVX_ACPI_RSDP_GPA, 0, PVX_ACPI_END - PVX_ACPI_RSDP_GPA);
	write_madt(ram, nr_cpus);
	write_xsdt(ram);
	memset(&r, 0, sizeof(r));
	memcpy(r.sig, "RSD PTR ", 8);
	memcpy(r.oem_id, "PVX   ", 6);
	r.revision = 2;
	r.length = sizeof(r);
	r.xsdt_address = PVX_ACPI_XSDT_GPA;
	r.checksum = sum(&r, 20);
	r.ext_checksum = sum(&r, sizeof(r));
	memcpy(ram + PVX_ACPI_RSDP_GPA, &r, sizeof(r));
	return 0;
}
