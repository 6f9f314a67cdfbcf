/*
 * A real `pv` domain layout for the pvproc tests and benchmark: a memfd
 * of RAM_BYTES of RAM plus the special pages, one guest from guests.asm
 * copied to GUEST_CODE, spawned through pvproc.
 */
#ifndef UNIT_PVPROC_GUEST_MEM_H
#define UNIT_PVPROC_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "../../../hypervisor/pv/pvproc.h"

#define TG_RAM_BYTES  0x200000ull
#define TG_CODE       0x100000ull
#define TG_FLAG       0x180000ull
#define TG_COUNTER    0x180008ull

#define TG_GUEST(name) name, name##_end
#define TG_DECLARE(name) extern const unsigned char name[], name##_end[]

TG_DECLARE(g_hcall); TG_DECLARE(g_upcall); TG_DECLARE(g_nocb);
TG_DECLARE(g_sys); TG_DECLARE(g_int80); TG_DECLARE(g_sysenter);
TG_DECLARE(g_vsyscall); TG_DECLARE(g_wr_hc); TG_DECLARE(g_wr_tr);
TG_DECLARE(g_wild); TG_DECLARE(g_count); TG_DECLARE(g_ready);
TG_DECLARE(g_bench);
extern const unsigned char g_upcall_cb[];

struct tguest {
	int mem_fd;
	uint8_t *mem;                /* the whole memfd, RAM then special */
	struct pvproc_pages pages;
	struct pvproc p;
};

/* Memory and pages with the guest code [code, end) at TG_CODE. */
int tguest_init(struct tguest *g, const unsigned char *code, const unsigned char *end);
/* Spawns it (entry TG_CODE, rsi = start_info). */
int tguest_spawn(struct tguest *g, uint64_t start_info);
void tguest_dispose(struct tguest *g);
uint64_t tguest_read(const struct tguest *g, uint64_t gpa);

#endif
