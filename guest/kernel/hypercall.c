/*
 * The hypercall page. boot.asm wrote the page's address to the Xen
 * hypercall MSR (CPUID leaf base+2) at CPL0; a hypervisor that traps that
 * MSR has filled the page with one 32-byte stub per hypercall number:
 *     b8 NN NN NN NN    mov $nr, %eax
 *     e7 PP             out %eax, $PVX_HYPERCALL_PORT
 *     c3                ret
 * If the page is still empty (the MSR write #GP'd and was skipped, or the
 * VMM ignores the MSR), or the command line says hcpage=self, minios
 * writes the very same stubs itself: the one switch between the two.
 */
#include <minios/hypercall.h>
#include <minios/lib.h>

enum hypercall_page_source hypercall_page_source;

static void fill_page(void)
{
	unsigned nr;

	memset(hypercall_page, 0xCC, sizeof(hypercall_page)); /* int3 */
	for (nr = 0; nr < HYPERCALL_NR_STUBS; nr++) {
		uint8_t *p = hypercall_page + nr * HYPERCALL_STUB_SIZE;

		p[0] = 0xB8;
		p[1] = nr & 0xFF;
		p[2] = (nr >> 8) & 0xFF;
		p[3] = 0;
		p[4] = 0;
		p[5] = 0xE7;
		p[6] = PVX_HYPERCALL_PORT;
		p[7] = 0xC3;
	}
}

static int page_filled(void)
{
	/* Stub 0 must at least start with "mov $imm32, %eax". */
	return hypercall_page[0] == 0xB8;
}

void hypercall_init(int force_self)
{
	if (!force_self && page_filled()) {
		hypercall_page_source = HCPAGE_VMM;
		return;
	}
	fill_page();
	hypercall_page_source = HCPAGE_SELF;
}
