/*
 * pvproc-shim: turns a freshly exec'd process into a `pv` domain's
 * sandbox (hypervisor/pv/pvproc.h) and enters the guest.
 *
 * It is static, freestanding and linked at PVPROC_SHIM_BASE so that its
 * whole image lies far from every guest address; its stack is in its own
 * .bss, so once it runs nothing outside the image is needed. In order:
 * receive the layout and the two memfds from pvxd; unshare cheap
 * namespaces; map RAM, special pages and the pvproc pages; install the
 * upcall handler and reset every other signal; limits; drop to nobody;
 * PR_SET_PDEATHSIG (after the uid change, which clears it) and check
 * pvxd still lives; no_new_privs; the seccomp filter (filter.c), whose
 * listener goes back to pvxd; close every fd; unmap everything outside
 * the guest's regions and the shim; jump to the launch trampoline, which
 * unmaps the shim and enters the guest. Any failure is reported to pvxd
 * as { -errno, stage } and the shim exits.
 */
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include "../pvproc_wire.h"
#include "shim.h"

#define SHIM_STACK_SIZE 16384
#define TASK_TOP        0x7ffffffff000ull
#define PAGE            4096ull

extern char __executable_start[], _end[];
void shim_main(void);

static char shim_stack[SHIM_STACK_SIZE] __attribute__((used, aligned(16)));

__asm__(".text\n.globl _start\n_start:\n"
	"  lea shim_stack+" "16384" "(%rip), %rsp\n"
	"  call shim_main\n"
	"  ud2\n");

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static __attribute__((noreturn)) void die(int status)
{
	for (;;)
		sys1(__NR_exit_group, status);
}

/* With fd (and fd2 when >= 0) as SCM_RIGHTS. */
static int send_msg2(const void *buf, size_t len, int fd, int fd2)
{
	struct k_iovec iov = { (void *)buf, len };
	struct k_cmsg_fds c = { { sizeof(struct k_cmsghdr) + (fd2 >= 0 ? 2 : 1) * sizeof(int),
				  K_SOL_SOCKET, K_SCM_RIGHTS }, { fd, fd2 } };
	struct k_msghdr m = { 0, 0, &iov, 1, fd >= 0 ? &c : 0,
			      fd >= 0 ? sizeof(c) : 0, 0 };

	return (int)sys3(__NR_sendmsg, PVPROC_SHIM_SOCK_FD, &m, 0);
}

static int send_msg(const void *buf, size_t len, int fd)
{
	return send_msg2(buf, len, fd, -1);
}

static __attribute__((noreturn)) void fail(long err, uint32_t stage)
{
	struct pvproc_wire_rsp r = { (int32_t)err, stage, 0, 0 };

	send_msg(&r, sizeof(r), -1);
	die(127);
}

/* The request and exactly two fds, or fail. */
static void recv_req(struct pvproc_wire_req *q, int fds[2])
{
	struct k_iovec iov = { q, sizeof(*q) };
	struct k_cmsg_fds c;
	struct k_msghdr m = { 0, 0, &iov, 1, &c, sizeof(c), 0 };
	long n;

	memset(&c, 0, sizeof(c));
	n = sys3(__NR_recvmsg, PVPROC_SHIM_SOCK_FD, &m, 0);
	if (n != (long)sizeof(*q) || q->magic != PVPROC_WIRE_MAGIC ||
	    c.h.level != K_SOL_SOCKET || c.h.type != K_SCM_RIGHTS ||
	    c.h.len != sizeof(struct k_cmsghdr) + 2 * sizeof(int))
		fail(n < 0 ? n : -22, PVPROC_STAGE_RECV);
	fds[0] = c.fd[0];
	fds[1] = c.fd[1];
}

static long map_fixed(uint64_t va, uint64_t len, int prot, int fd, uint64_t off)
{
	long r = sys6(__NR_mmap, (long)va, (long)len, prot,
		      MAP_SHARED | MAP_FIXED_NOREPLACE, fd, (long)off);

	if (r < 0 && r > -4096)
		return r;
	return r == (long)va ? 0 : -17;
}

static void map_guest(const struct pvproc_wire_req *q, const int fds[2])
{
	long r;

	if (q->ram_end > q->ram_floor) {
		r = map_fixed(q->ram_floor, q->ram_end - q->ram_floor,
			      PROT_READ | PROT_WRITE | PROT_EXEC, fds[0], q->ram_floor);
		if (r)
			fail(r, PVPROC_STAGE_MAP_RAM);
	}
	r = map_fixed(q->special_gpa, q->special_len, PROT_READ | PROT_WRITE,
		      fds[0], q->special_offset);
	if (r)
		fail(r, PVPROC_STAGE_MAP_SPECIAL);
	r = map_fixed(q->pages_va, 2 * PAGE, PROT_READ | PROT_EXEC, fds[1], 0);
	if (r)
		fail(r, PVPROC_STAGE_MAP_PAGES);
}

/* Every signal back to its default (SIG_IGN survives exec), then the
 * upcall handler: the trampoline, all signals blocked while it runs (no
 * nested upcalls), on the guest's own stack. */
static void setup_signals(uint64_t tr)
{
	struct k_sigaction dfl = { 0, 0, 0, 0 };
	struct k_sigaction up = {
		(void *)(tr + PVPROC_TR_UPCALL), K_SA_SIGINFO | K_SA_RESTORER | K_SA_RESTART,
		(void *)(tr + PVPROC_TR_RESTORER), ~0ull,
	};

	for (int s = 1; s <= 64; s++)
		if (s != 9 && s != 19 && s != PVPROC_UPCALL_SIGNAL)
			sys4(__NR_rt_sigaction, s, &dfl, 0, 8);
	if (sys4(__NR_rt_sigaction, PVPROC_UPCALL_SIGNAL, &up, 0, 8))
		fail(-22, PVPROC_STAGE_SIGNALS);
}

static void set_limit(int res, uint64_t v)
{
	struct k_rlimit l = { v, v };

	if (sys4(__NR_prlimit64, 0, res, &l, 0))
		fail(-1, PVPROC_STAGE_LIMITS);
}

static void setup_limits(void)
{
	set_limit(RLIMIT_NPROC, 0);
	set_limit(RLIMIT_FSIZE, 0);
	set_limit(RLIMIT_CORE, 0);
	set_limit(RLIMIT_MEMLOCK, 0);
	set_limit(RLIMIT_MSGQUEUE, 0);
	set_limit(RLIMIT_NICE, 0);
	set_limit(RLIMIT_RTPRIO, 0);
	set_limit(RLIMIT_LOCKS, 0);
}

/* Root -> nobody; then the death signal, which a uid change clears. */
static void drop_creds(int32_t ppid)
{
	if (sys0(__NR_getuid) == 0) {
		if (sys2(__NR_setgroups, 0, 0) ||
		    sys3(__NR_setresgid, PVPROC_SHIM_NOBODY, PVPROC_SHIM_NOBODY,
			 PVPROC_SHIM_NOBODY) ||
		    sys3(__NR_setresuid, PVPROC_SHIM_NOBODY, PVPROC_SHIM_NOBODY,
			 PVPROC_SHIM_NOBODY))
			fail(-1, PVPROC_STAGE_CREDS);
	}
	sys2(__NR_prctl, PR_SET_PDEATHSIG, 9);
	if (sys0(__NR_getppid) != ppid)
		die(126);
	if (sys5(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		fail(-1, PVPROC_STAGE_NO_NEW_PRIVS);
}

/* The filter; the listener goes to pvxd. WAIT_KILLABLE_RECV (5.19+):
 * once pvxd holds a hypercall, only a fatal signal interrupts the
 * waiting guest; without it an upcall signal would withdraw the
 * notification and the kernel would restart the system call, so pvxd
 * could run one hypercall twice. Older kernels get the plain filter. */
static void install_filter(uint64_t base, uint64_t len, long uffd)
{
	struct sock_filter f[40];
	struct sock_fprog prog;
	struct pvproc_wire_rsp r = { 0, 0, PVPROC_WIRE_F_KILLABLE, 0 };
	int n = shim_filter_build(f, 40, base, len);
	long fd;

	if (n < 0)
		fail(-7, PVPROC_STAGE_SECCOMP);
	prog.len = (unsigned short)n;
	prog.filter = f;
	fd = sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
		  SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
		  &prog);
	if (fd == -22) {
		r.flags = 0;
		fd = sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	}
	if (fd < 0)
		fail(fd, PVPROC_STAGE_SECCOMP);
	if (uffd >= 0)
		r.flags |= PVPROC_WIRE_F_UFFD;
	if (send_msg2(&r, sizeof(r), (int)fd, uffd >= 0 ? (int)uffd : -1) != (int)sizeof(r))
		die(125);
}

/* Unmaps every gap between the regions to keep (sorted, disjoint):
 * the exec stack, vdso and vvar go; [vsyscall] is above TASK_TOP and
 * cannot be removed. */
static void unmap_rest(const struct pvproc_wire_req *q, uint64_t base, uint64_t end)
{
	uint64_t keep[4][2] = {
		{ q->ram_floor, q->ram_end },
		{ q->special_gpa, q->special_gpa + q->special_len },
		{ q->pages_va, q->pages_va + 2 * PAGE },
		{ base, end },
	};
	uint64_t at = 0;

	for (int i = 0; i < 4; i++) {          /* insertion sort by start */
		for (int j = i; j > 0 && keep[j][0] < keep[j - 1][0]; j--) {
			uint64_t a = keep[j][0], b = keep[j][1];

			keep[j][0] = keep[j - 1][0];
			keep[j][1] = keep[j - 1][1];
			keep[j - 1][0] = a;
			keep[j - 1][1] = b;
		}
	}
	for (int i = 0; i < 4; i++) {
		if (keep[i][0] > at)
			sys2(__NR_munmap, at, keep[i][0] - at);
		if (keep[i][1] > at)
			at = keep[i][1];
	}
	if (at < TASK_TOP)
		sys2(__NR_munmap, at, TASK_TOP - at);
}

static __attribute__((noreturn)) void launch(uint64_t tr, uint64_t base, uint64_t len)
{
	uint64_t none = 0;

	sys4(__NR_rt_sigprocmask, K_SIG_SETMASK, &none, 0, 8);
	__asm__ volatile("jmp *%0" : : "r"(tr + PVPROC_TR_LAUNCH), "D"(base), "S"(len));
	__builtin_unreachable();
}

/* "pv-d<domid>" in ps and the logs. */
static void set_name(int32_t domid)
{
	char name[16] = "pv-d", dig[12];
	uint32_t d = domid < 0 ? 0 : (uint32_t)domid;
	int n = 0, i = 4;

	do {
		dig[n++] = (char)('0' + d % 10);
		d /= 10;
	} while (d && n < 10);
	while (n && i < 15)
		name[i++] = dig[--n];
	name[i] = 0;
	sys2(__NR_prctl, PR_SET_NAME, name);
}

void shim_main(void)
{
	struct pvproc_wire_req q;
	int fds[2];
	uint64_t base = (uint64_t)__executable_start & ~(PAGE - 1);
	uint64_t end = ((uint64_t)_end + PAGE - 1) & ~(PAGE - 1);
	uint64_t tr;
	long uffd;

	recv_req(&q, fds);
	tr = q.pages_va + PAGE;
	set_name(q.domid);
	if (q.ns_flags)
		sys1(__NR_unshare, q.ns_flags);     /* best effort */
	map_guest(&q, fds);
	/* A userfaultfd on this address space, for pvxd's dirty log of the
	 * guest's writes (pv_dirty.c); best effort: without one, live
	 * migration of this domain is refused. O_CLOEXEC | O_NONBLOCK. */
	uffd = sys1(__NR_userfaultfd, 02000000 | 04000);
	setup_signals(tr);
	setup_limits();
	drop_creds(q.ppid);
	install_filter(base, end - base, uffd);
	sys3(__NR_close_range, 0, ~0u, 0);
	set_limit(RLIMIT_NOFILE, 0);
	unmap_rest(&q, base, end);
	launch(tr, base, end - base);
}
