/* A scripted pvxd for libpvxgnttab's tests (fake_pvxd.c). */
#ifndef UNIT_GNTTAB_FAKE_PVXD_H
#define UNIT_GNTTAB_FAKE_PVXD_H

#include <check.h>
#include <pvx/ctlclient.h>
#include <pvx/gnttab.h>

#define FAKE_PAGES 16

struct fake_pvxd {
	uint64_t cookie;          /* what map replies carry (the test may change it) */
	uint32_t next_handle;
	int maps, unmaps, copies;
	int last_want_memfd;
	uint64_t unmapped, to_guest_bytes;
};

extern struct fake_pvxd fake;

struct pvx_ctl *fake_pvxd_start(void);
void fake_pvxd_stop(struct pvx_ctl *c);

#endif
