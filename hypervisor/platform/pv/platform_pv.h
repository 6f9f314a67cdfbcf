/*
 * platform_pv: the `pv` platform's own state, shared by its files
 * (platform_pv.c: the domain, its process and its events;
 * platform_pv_vcpu.c: the vCPU loop over seccomp notifications).
 *
 * One process per domain, one vCPU (vCPU 0) for now. pv->lock guards
 * the process's life (spawned, gone, in_hcall, deferred, callback) so
 * that a signal (upcall, stop, cont) never reaches a process that was
 * killed and reaped. Lock order: evtchn lock, then pv->lock.
 */
#ifndef PVXD_PLATFORM_PV_H
#define PVXD_PLATFORM_PV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pv/pvproc.h"

struct domain;
struct event;
struct vcpu;
struct mig_pv_regs;

struct pv_dom {
	pthread_mutex_t lock;
	struct pvproc_pages pages;
	bool pages_ok;
	struct pvproc proc;
	bool spawned;           /* proc is valid */
	bool gone;              /* its end is reported, or we ended it */
	bool booted;            /* SET_BOOT gave entry and start_info */
	uint64_t entry, start_info;
	uint64_t callback;      /* CALLBACKTYPE_event entry, 0 = none */
	uint16_t callback_flags;
	bool in_hcall;          /* vCPU 0 holds a notification */
	int kicked;             /* atomic: a kick since the last park check */
	bool deferred;          /* an upcall waits for the reply */
	struct event *exit_ev;  /* the pidfd on the main loop */
	uint64_t cpu_ns;        /* the process's CPU time, last read */
	struct mig_pv_regs *restore_regs; /* restored, not yet loaded (pv_state.c) */
	/* Dirty log (pv_dirty.c; main thread). */
	bool uffd_api;          /* UFFDIO_API done on proc.uffd */
	uint64_t *dirty;        /* ram_pages bits, NULL = log off */
	struct event *uffd_ev;
};

/* The process ended: 1 and the crash recorded if this call noticed it
 * first, 0 if it still runs or was already reported. */
int pv_notice_exit(struct domain *d);
/* Kills the process for a crash that is already decided (idempotent). */
void pv_kill(struct domain *d);
/* Outside a hypercall an upcall may go; a deferred one goes now. */
void pv_hcall_done(struct vcpu *v);

int pv_vcpu_run(struct vcpu *v, char *why, size_t len);
/* A restored domain's first hypercall: load its saved registers. */
int pv_restore_regs(struct vcpu *v, const struct pvproc_call *c);
int pv_dirty_start(struct domain *d);
void pv_dirty_stop(struct domain *d);
int pv_dirty_collect(struct domain *d, uint64_t *bitmap);

#endif
