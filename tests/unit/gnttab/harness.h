/*
 * The unit-gnttab harness: a granter (domain 1) and a second domain (2)
 * over plain memory, so the real gnttab*.c run with no KVM. Each domain
 * has HARNESS_PAGES pages; gfns below HARNESS_RAM are RAM, gfn
 * HARNESS_BALLOONED is "ballooned out" (grantable: no; table frame: yes).
 * Domain 1's table frame 0 sits at gfn HARNESS_TABLE_GFN.
 */
#ifndef UNIT_GNTTAB_HARNESS_H
#define UNIT_GNTTAB_HARNESS_H

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "gnttab.h"

#define HARNESS_PAGES      64
#define HARNESS_RAM        60
#define HARNESS_BALLOONED  50
#define HARNESS_TABLE_GFN  10
#define GRANTER            1
#define OTHER              2

extern uint8_t *harness_mem[3];  /* per domid; [0] unused */

void harness_setup(void);        /* both domains, frame 0 placed for 1 */
void harness_teardown(void);
/* The granter's shared entry of ref (frame 0 only). */
struct grant_entry_v1 *harness_entry(domid_t dom, grant_ref_t ref);
/* Grants as Linux does: domid and frame, barrier, then flags. */
void harness_grant(domid_t dom, grant_ref_t ref, domid_t to, uint32_t gfn,
		   uint16_t flags);
/* Linux's gnttab_end_foreign_access_ref_v1: 1 revoked, 0 busy. */
int harness_revoke(domid_t dom, grant_ref_t ref);

Suite *make_gnttab_suite(void);
Suite *make_gnttab_map_suite(void);
Suite *make_gnttab_copy_suite(void);
Suite *make_gnttab_pin_suite(void);
Suite *make_gnttab_ctl_suite(void);
Suite *make_libgnttab_suite(void);
Suite *make_hc_gnttab_suite(void);

#endif
