/*
 * A `pv` process's system calls as pvxd sees them: every call the
 * filter does not allow stops in the kernel until pvproc_reply answers
 * it. pvproc_recv sorts it by where it came from (seccomp reports the
 * address after the `syscall` instruction): a `syscall` of a hypercall
 * stub or of PVX_PV_RAW_HYPERCALL in 64-bit mode is a hypercall; all
 * else (other addresses, int $0x80, sysenter, 32-bit mode, vsyscall
 * emulation) is forbidden and pvxd ends the domain.
 *
 * Waiting: SECCOMP_IOCTL_NOTIF_RECV sleeps interruptibly, so a signal
 * to the calling thread (pvxd's vCPU kick, installed without
 * SA_RESTART) returns EINTR. When the process dies, the kernel (6.6+)
 * wakes RECV once the filter has no user left and RECV fails with
 * ENOENT; ENOENT also means a notification was withdrawn by a signal to
 * the guest, so the pidfd decides which one: -ESRCH if the process is
 * gone, else wait again.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include <pvx/pv.h>

#include "pvproc.h"
#include "pvproc_impl.h"
#include "pvproc_wire.h"

/* Room for a larger struct seccomp_notif from a newer kernel. */
union notif_buf {
	struct seccomp_notif n;
	unsigned char pad[256];
};

/* True once the process has exited (zombie) or was reaped. */
static bool gone(struct pvproc *p)
{
	siginfo_t si;

	if (!pvproc_running(p))
		return true;
	memset(&si, 0, sizeof(si));
	if (pvproc_waitid(p, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno == ECHILD;
	return si.si_pid != 0;
}

static bool is_hypercall(uint32_t arch, uint64_t ip)
{
	uint64_t off = ip - PVX_PV_HYPERCALL_VA;

	if (arch != AUDIT_ARCH_X86_64)
		return false;
	if (ip == PVX_PV_RAW_HYPERCALL + PVPROC_TR_RAW_SYSCALL_END)
		return true;
	return off < PVPROC_PAGE_SIZE && off % PVPROC_STUB_SIZE == PVPROC_STUB_SYSCALL_END;
}

static void fill(struct pvproc_call *c, const struct seccomp_notif *n)
{
	c->id = n->id;
	c->arch = n->data.arch;
	c->nr = (uint32_t)n->data.nr;
	for (int i = 0; i < 6; i++)
		c->arg[i] = n->data.args[i];
	c->ip = n->data.instruction_pointer;
	c->kind = is_hypercall(c->arch, c->ip) ? PVPROC_HYPERCALL : PVPROC_FORBIDDEN;
}

int pvproc_recv(struct pvproc *p, struct pvproc_call *c)
{
	union notif_buf b;

	if (p->notify_fd < 0)
		return -ESRCH;
	for (;;) {
		memset(&b, 0, sizeof(b));
		if (ioctl(p->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &b.n) == 0)
			break;
		if (errno == EINTR)
			return -EINTR;
		if (gone(p))
			return -ESRCH;
		if (errno != ENOENT)
			return -errno;
	}
	fill(c, &b.n);
	return 0;
}

int pvproc_reply(struct pvproc *p, const struct pvproc_call *c, long ret)
{
	struct seccomp_notif_resp r = { .id = c->id, .val = ret, .error = 0, .flags = 0 };

	if (p->notify_fd < 0)
		return -ENOENT;
	if (ioctl(p->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &r) < 0)
		return -errno;
	return 0;
}
