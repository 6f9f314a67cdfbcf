/*
 * gnttab_dom: a VM domain's grant table (the pure module is gnttab.h).
 * Attached when the domain is built, detached on destroy after its vCPU
 * threads are joined and before its memory is freed.
 */
#ifndef PVXD_GNTTAB_DOM_H
#define PVXD_GNTTAB_DOM_H

struct domain;

int gnttab_dom_attach(struct domain *d);
void gnttab_dom_detach(struct domain *d);  /* idempotent */

#endif
