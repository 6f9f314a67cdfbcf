/*
 * The shim's whole runtime: raw x86-64 system calls and the few kernel
 * structures it passes, with no libc (the shim must be a static,
 * freestanding image at a fixed address that owns nothing else).
 */
#ifndef PVPROC_SHIM_SYS_H
#define PVPROC_SHIM_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define sys0(n)                   sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a)                sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b)             sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c)          sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d)       sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(n, a, b, c, d, e)    sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

struct k_iovec {
	void *base;
	size_t len;
};

struct k_msghdr {
	void *name;
	int namelen;
	struct k_iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	unsigned flags;
};

struct k_cmsghdr {
	size_t len;
	int level;
	int type;
};

/* One cmsghdr carrying up to two fds (SCM_RIGHTS). */
struct k_cmsg_fds {
	struct k_cmsghdr h;
	int fd[2];
};

struct k_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

struct k_rlimit {
	uint64_t cur, max;
};

#define K_SOL_SOCKET   1
#define K_SCM_RIGHTS   1
#define K_SA_SIGINFO   0x00000004ul
#define K_SA_RESTORER  0x04000000ul
#define K_SA_RESTART   0x10000000ul
#define K_SIG_SETMASK  2

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif /* PVPROC_SHIM_SYS_H */
