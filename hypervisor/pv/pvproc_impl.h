/* Private to hypervisor/pv/pvproc_*.c and their tests. */
#ifndef PVXD_PVPROC_IMPL_H
#define PVXD_PVPROC_IMPL_H

#include <stdbool.h>
#include <signal.h>
#include "pvproc.h"

/* Not reaped yet; waitid on the pidfd, or on the pid where the kernel
 * interface lacks pidfd_open (then a reap clears p->pid). */
bool pvproc_running(const struct pvproc *p);
int pvproc_waitid(struct pvproc *p, siginfo_t *si, int options);

void pvproc_pages_set_entry(struct pvproc_pages *pp, uint64_t entry, uint64_t start_info);

/* The shim image embedded in the library (pvproc_shim_blob.S). */
extern const unsigned char pvproc_shim_image[];
extern const unsigned char pvproc_shim_image_end[];

/* Benchmarks: whether spawn asks for SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
 * (default true; silently skipped where the kernel lacks it). */
extern bool pvproc_sync_wakeup;
/* Whether the last spawn got it. */
extern bool pvproc_sync_wakeup_active;

#endif
