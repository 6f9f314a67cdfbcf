/*
 * The page allocator (pages.h): two bitmaps over the gfns minios can
 * reach, `free` and `out`; a page in neither is in use. Allocation scans
 * up from a hint, the balloon takes from the top down, so ballooned runs
 * stay contiguous (pvxd punches a run with one fallocate) and the low
 * pages stay with the programs.
 *
 * The managed range is [end of the kernel image, end of RAM), clipped to
 * what the platform maps; the boot data and the legacy hole lie below
 * the image (minios.ld links it at 1 MiB), so nothing else lives there.
 */
#include <xen/public/memory.h>
#include <xen/public/xen.h>

#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/pages.h>

#define MAX_PAGES (MINIOS_MAPPED_LOW / XEN_PAGE_SIZE)
#define WORDS     (MAX_PAGES / 64)

extern char __image_end[];

static uint64_t free_map[WORDS], out_map[WORDS];
static uint64_t first, end;          /* managed gfns [first, end) */
static uint64_t ram_pages, nr_free, nr_out, hint;

static int test(const uint64_t *m, uint64_t g) { return (m[g / 64] >> (g % 64)) & 1; }
static void set(uint64_t *m, uint64_t g) { m[g / 64] |= 1ull << (g % 64); }
static void clr(uint64_t *m, uint64_t g) { m[g / 64] &= ~(1ull << (g % 64)); }

/* The end of the highest RAM entry of the hypervisor's memory map. */
static uint64_t ram_top(void)
{
	struct xen_e820_entry e[8];
	struct xen_memory_map m = { .nr_entries = ARRAY_SIZE(e) };
	uint64_t top = 0;

	m.buffer = (uint64_t)(uintptr_t)e;
	if (memory_op(XENMEM_memory_map, &m) < 0)
		return 0;
	for (uint32_t i = 0; i < m.nr_entries && i < ARRAY_SIZE(e); i++)
		if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM && e[i].addr + e[i].size > top)
			top = e[i].addr + e[i].size;
	return top;
}

void pages_init(void)
{
	domid_t self = DOMID_SELF;
	uint64_t top = ram_top(), g;
	long cur = memory_op(XENMEM_current_reservation, &self);

	ram_pages = top / XEN_PAGE_SIZE;
	first = ((uint64_t)(uintptr_t)__image_end + XEN_PAGE_SIZE - 1) / XEN_PAGE_SIZE;
	end = MIN(ram_pages, (uint64_t)MAX_PAGES);
	while (end > first && !minios_gpa_mapped((end - 1) * XEN_PAGE_SIZE, XEN_PAGE_SIZE))
		end--;
	if (end <= first) {
		printk("minios: pages: no RAM above the image (top 0x%lx)\n", (unsigned long)top);
		first = end = 0;
		return;
	}
	/* RAM beyond the reservation is OUT: the top of RAM, as pvxd builds it. */
	g = cur > 0 && (uint64_t)cur < ram_pages ? ram_pages - (uint64_t)cur : 0;
	for (uint64_t i = first; i < end; i++) {
		if (i >= ram_pages - g) {
			set(out_map, i);
			nr_out++;
		} else {
			set(free_map, i);
			nr_free++;
		}
	}
	hint = first;
	printk("minios: pages: %lu free (%lu MiB), %lu ballooned out at boot\n",
	       (unsigned long)nr_free, (unsigned long)(nr_free >> 8), (unsigned long)nr_out);
}

static int managed(uint64_t g)
{
	return g >= first && g < end;
}

void *page_alloc(void)
{
	uint64_t span = end - first;

	if (!nr_free)
		return NULL;
	for (uint64_t k = 0; k < span; ) {
		uint64_t g = first + (hint - first + k) % span;
		uint64_t w = free_map[g / 64] >> (g % 64);

		if (w) {
			g += (uint64_t)__builtin_ctzll(w);
			if (managed(g)) {
				clr(free_map, g);
				nr_free--;
				hint = g + 1 < end ? g + 1 : first;
				return (void *)(uintptr_t)(g * XEN_PAGE_SIZE);
			}
		}
		k += 64 - g % 64; /* next word */
	}
	return NULL;
}

void page_free(void *page)
{
	uint64_t g = (uint64_t)(uintptr_t)page / XEN_PAGE_SIZE;

	if ((uintptr_t)page % XEN_PAGE_SIZE || !managed(g) || test(free_map, g) ||
	    test(out_map, g)) {
		printk("minios: pages: bad free of %p\n", page);
		return;
	}
	set(free_map, g);
	nr_free++;
}

unsigned pages_take_free(uint64_t *gfns, unsigned n)
{
	unsigned got = 0;

	for (uint64_t g = end; g > first && got < n && nr_free; g--) {
		if (!free_map[(g - 1) / 64]) {
			g = (g - 1) / 64 * 64 + 1; /* skip the empty word */
			continue;
		}
		if (test(free_map, g - 1)) {
			clr(free_map, g - 1);
			nr_free--;
			gfns[got++] = g - 1;
		}
	}
	return got;
}

void pages_mark_out(const uint64_t *gfns, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (managed(gfns[i]) && !test(free_map, gfns[i]) && !test(out_map, gfns[i])) {
			set(out_map, gfns[i]);
			nr_out++;
		}
}

void pages_give_back(const uint64_t *gfns, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t g = gfns[i];

		if (!managed(g) || test(free_map, g))
			continue;
		if (test(out_map, g)) {
			clr(out_map, g);
			nr_out--;
		}
		set(free_map, g);
		nr_free++;
	}
}

unsigned pages_peek_out(uint64_t *gfns, unsigned n)
{
	unsigned got = 0;

	for (uint64_t g = first; g < end && got < n && nr_out; g++) {
		if (!out_map[g / 64]) {
			g = g / 64 * 64 + 63;
			continue;
		}
		if (test(out_map, g))
			gfns[got++] = g;
	}
	return got;
}

void pages_stats(struct pages_stats *s)
{
	s->ram_pages = ram_pages;
	s->managed = end - first;
	s->free = nr_free;
	s->out = nr_out;
}
