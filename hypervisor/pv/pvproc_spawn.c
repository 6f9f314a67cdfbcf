/*
 * pvproc_spawn: start the shim (shim/shim.c) and hand it the domain.
 *
 * The shim image is linked into pvxd (pvproc_shim_blob.S). The first
 * spawn copies it into a sealed memfd that every later spawn executes
 * with execveat(AT_EMPTY_PATH), so no install path matters and nothing
 * on disk can be swapped under pvxd.
 *
 * pvxd is multithreaded, so the child is a vfork: it shares pvxd's
 * memory until the exec and does only async-signal-safe work there
 * (dup2, close_range, execveat, _exit). Every signal is blocked around
 * the vfork so no pvxd handler runs on the child's borrowed stack; the
 * shim sets its own mask. The shim's PR_SET_PDEATHSIG fires when the
 * *thread* that spawned it exits, so pvxd must spawn from a thread that
 * lives as long as the domain (its main/event thread).
 *
 * Handshake over a SOCK_SEQPACKET pair at fd 3 of the shim: pvxd sends
 * struct pvproc_wire_req with the domain memfd and the pages memfd; the
 * shim answers with the seccomp listener or { -errno, stage }.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include <pvx/ctl.h>
#include <pvx/pv.h>

#include "pvproc_impl.h"
#include "pvproc_wire.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* Namespaces the shim unshares (as root): together ~0.1 ms here. A new
 * network namespace costs ~0.5 ms to create plus an asynchronous
 * teardown per domain, against a create->ready budget of 10 ms, for a
 * process that can make no system call anyway: left out. */
#define PVPROC_NS_FLAGS (CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWCGROUP)

bool pvproc_sync_wakeup = true;
bool pvproc_sync_wakeup_active;

static pthread_once_t shim_once = PTHREAD_ONCE_INIT;
static int shim_fd = -1;
static int shim_err;
static char shim_path[32]; /* /proc/self/fd/N of shim_fd, for execve */

static int shim_write(int fd)
{
	const unsigned char *p = pvproc_shim_image;
	size_t left = (size_t)(pvproc_shim_image_end - pvproc_shim_image);

	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		left -= (size_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		return -errno;
	return 0;
}

/* The executable fd, kept above 3 so the child's dup2 cannot hit it. It
 * is reopened read-only: exec refuses a file open for writing. */
static void shim_create(void)
{
	char path[64];
	int fd = memfd_create("pvproc-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("pvproc-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		shim_err = -errno;
		return;
	}
	shim_err = shim_write(fd);
	if (!shim_err) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		int ro = open(path, O_RDONLY | O_CLOEXEC);

		shim_fd = ro < 0 ? -1 : fcntl(ro, F_DUPFD_CLOEXEC, 10);
		shim_err = shim_fd < 0 ? -errno : 0;
		snprintf(shim_path, sizeof(shim_path), "/proc/self/fd/%d", shim_fd);
		if (ro >= 0)
			close(ro);
	}
	close(fd);
}

/* In the vfork child: only async-signal-safe calls, then exec. */
static void child_exec(int sock)
{
	char *argv[] = { (char *)"pvproc-shim", NULL };
	char *envp[] = { NULL };

	if (sock == PVPROC_SHIM_SOCK_FD ? fcntl(sock, F_SETFD, 0) < 0
					: dup2(sock, PVPROC_SHIM_SOCK_FD) < 0)
		_exit(127);
	syscall(SYS_close_range, 0, PVPROC_SHIM_SOCK_FD - 1, CLOSE_RANGE_CLOEXEC);
	syscall(SYS_close_range, PVPROC_SHIM_SOCK_FD + 1, ~0U, CLOSE_RANGE_CLOEXEC);
	syscall(SYS_execveat, shim_fd, "", argv, envp, AT_EMPTY_PATH);
	/* valgrind 3.19 has no execveat: the same file by its path. */
	execve(shim_path, argv, envp);
	_exit(127);
}

static pid_t start_child(int sock)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0)
		child_exec(sock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static int send_req(int sock, const struct pvproc_layout *l)
{
	struct pvproc_wire_req q = {
		.magic = PVPROC_WIRE_MAGIC, .domid = l->domid, .ppid = getpid(),
		.ns_flags = getuid() == 0 ? PVPROC_NS_FLAGS : 0,
		.ram_floor = PVX_PV_RAM_FLOOR, .ram_end = l->ram_bytes,
		.special_gpa = PVX_SPECIAL_GPA, .special_offset = l->special_offset,
		.special_len = PVX_SPECIAL_PAGES * PVPROC_PAGE_SIZE,
		.pages_va = PVX_PV_HYPERCALL_VA,
	};
	int fds[2] = { l->mem_fd, l->pages->fd };
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(fds))]; } c;
	struct iovec iov = { &q, sizeof(q) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	memset(&c, 0, sizeof(c));
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(h), fds, sizeof(fds));
	if (sendmsg(sock, &m, MSG_NOSIGNAL) != (ssize_t)sizeof(q))
		return -EPIPE;
	return 0;
}

/* The listener, or the shim's error (-EPIPE if it died silently). */
static int recv_listener(int sock, int *fd, int *uffd)
{
	struct pvproc_wire_rsp r;
	union { struct cmsghdr h; char b[CMSG_SPACE(2 * sizeof(int))]; } c;
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	struct cmsghdr *h;
	ssize_t n;

	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(r))
		return -EPIPE;
	h = CMSG_FIRSTHDR(&m);
	if (h && h->cmsg_type == SCM_RIGHTS && h->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd, CMSG_DATA(h), sizeof(int));
	if (h && h->cmsg_type == SCM_RIGHTS && h->cmsg_len == CMSG_LEN(2 * sizeof(int))) {
		memcpy(fd, CMSG_DATA(h), sizeof(int));
		memcpy(uffd, CMSG_DATA(h) + sizeof(int), sizeof(int));
	}
	if (r.err)
		return r.err < 0 && r.err > -4096 ? r.err : -EIO;
	return *fd >= 0 ? 0 : -EPROTO;
}

static int check_layout(const struct pvproc_layout *l)
{
	if (!l->pages || !l->pages->map || l->pages->fd < 0 || l->mem_fd < 0)
		return -EINVAL;
	if (l->ram_bytes % PVPROC_PAGE_SIZE || l->special_offset % PVPROC_PAGE_SIZE ||
	    l->ram_bytes > PVX_PV_HYPERCALL_VA)
		return -EINVAL;
	return 0;
}

static void set_sync_wakeup(int fd)
{
	pvproc_sync_wakeup_active = pvproc_sync_wakeup &&
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		      (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
}

int pvproc_spawn(const struct pvproc_layout *l, struct pvproc *p)
{
	int sv[2] = { -1, -1 }, err;

	p->pid = 0;
	p->pidfd = p->notify_fd = p->uffd = -1;
	err = check_layout(l);
	if (err)
		return err;
	pthread_once(&shim_once, shim_create);
	if (shim_fd < 0)
		return shim_err ? shim_err : -ENOEXEC;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pvproc_pages_set_entry((struct pvproc_pages *)l->pages, l->entry, l->start_info);
	p->pid = start_child(sv[1]);
	if (p->pid < 0) {
		err = -errno;
		p->pid = 0;
		goto out;
	}
	p->pidfd = pidfd_open(p->pid, 0);
	if (p->pidfd < 0 && errno != ENOSYS) {
		err = -errno;
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
		goto out;
	}
	close(sv[1]);
	sv[1] = -1;
	err = send_req(sv[0], l);
	if (!err)
		err = recv_listener(sv[0], &p->notify_fd, &p->uffd);
	if (!err)
		set_sync_wakeup(p->notify_fd);
out:
	if (sv[1] >= 0)
		close(sv[1]);
	close(sv[0]);
	if (err)
		pvproc_dispose(p);
	return err;
}
