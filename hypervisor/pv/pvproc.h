/*
 * pvproc: a `pv` domain's execution context, a sandboxed host process
 * (pvx/pv.h is the guest's side of the contract).
 *
 * pvxd spawns a small static helper (the shim) that maps the domain's
 * RAM and special pages from the memfd and the two pvproc pages
 * (hypercall page, trampolines) at their fixed addresses, unmaps
 * everything else, closes every file descriptor, drops privileges, sets
 * resource limits and no_new_privs, installs a seccomp filter and hands
 * the filter's user-notification fd back to pvxd, then jumps to the
 * guest's entry. From then on every system call of the process stops in
 * the kernel and reaches pvxd through pvproc_recv(): a `syscall` from
 * the hypercall page (or PVX_PV_RAW_HYPERCALL) is a hypercall; anything
 * else is a forbidden call that pvxd answers by killing the process.
 * Only rt_sigreturn from the upcall-return trampoline runs in the
 * kernel without pvxd.
 *
 * Threads: one pvxd thread per vCPU calls pvproc_recv/pvproc_reply; any
 * thread may call pvproc_upcall, pvproc_stop/cont and pvproc_kill.
 * pvproc_recv returns -EINTR when the calling thread gets a signal
 * (pvxd's vCPU kick), so a blocked vCPU thread can always be stopped.
 */
#ifndef PVXD_PVPROC_H
#define PVXD_PVPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The hypercall page and trampoline page, shared by pvxd (read/write)
 * and the guest process (read/execute). One pair per domain. */
struct pvproc_pages {
	int fd;            /* memfd of 2 pages */
	uint8_t *map;      /* pvxd's mapping */
};

struct pvproc_layout {
	int mem_fd;                 /* the domain memfd */
	uint64_t ram_bytes;         /* RAM = memfd [0, ram_bytes) */
	uint64_t special_offset;    /* memfd offset of the special pages */
	const struct pvproc_pages *pages;
	uint64_t entry;             /* PVX_ELFNOTE_PV_ENTRY */
	uint64_t start_info;        /* rsi at entry */
	int32_t domid;              /* for the process name and logs */
};

struct pvproc {
	pid_t pid;
	int pidfd;                  /* readable once the process has exited;
				     * -1 where pidfd_open is missing (valgrind) */
	int notify_fd;              /* the seccomp listener */
	int uffd;                   /* a userfaultfd on its address space
				     * (dirty log), -1 if the host has none */
};

enum pvproc_call_kind {
	PVPROC_HYPERCALL,           /* from the hypercall page / raw stub */
	PVPROC_FORBIDDEN,           /* any other system call */
};

struct pvproc_call {
	uint64_t id;                /* the notification, for pvproc_reply */
	enum pvproc_call_kind kind;
	uint32_t arch;              /* AUDIT_ARCH_* of the call */
	uint64_t nr;                /* rax: hypercall or syscall number */
	uint64_t arg[6];            /* rdi, rsi, rdx, r10, r8, r9 */
	uint64_t ip;                /* address after the syscall instruction */
};

int pvproc_pages_init(struct pvproc_pages *pp);
void pvproc_pages_dispose(struct pvproc_pages *pp); /* idempotent */
/* The upcall entry (CALLBACKOP_register); 0 = none (upcalls return at once). */
void pvproc_pages_set_callback(struct pvproc_pages *pp, uint64_t address);

/* Spawns the process; on return it runs the guest (or has died). */
int pvproc_spawn(const struct pvproc_layout *l, struct pvproc *p);
/* Next call of the process: 0, -EINTR (signal to this thread),
 * -ESRCH (the process is gone), other -errno. */
int pvproc_recv(struct pvproc *p, struct pvproc_call *c);
/* Result of a hypercall into rax: 0, -ENOENT (the process died or the
 * call was withdrawn), other -errno. */
int pvproc_reply(struct pvproc *p, const struct pvproc_call *c, long ret);
/* Interrupts the running guest into its upcall entry. */
int pvproc_upcall(struct pvproc *p);
int pvproc_stop(struct pvproc *p);    /* SIGSTOP: pause */
int pvproc_cont(struct pvproc *p);    /* SIGCONT: unpause */
/* SIGKILL and reap; idempotent. */
void pvproc_kill(struct pvproc *p);
/* If the process has exited: 1 and how ("killed by SIGSEGV"); 0 if it
 * still runs; -errno. Reaps it. */
int pvproc_exited(struct pvproc *p, char *why, size_t len);
void pvproc_dispose(struct pvproc *p); /* kills if needed; idempotent */

/* "open" for a host syscall number (the crash reason), or NULL. */
const char *pvproc_syscall_name(uint32_t arch, uint64_t nr);

#endif /* PVXD_PVPROC_H */
