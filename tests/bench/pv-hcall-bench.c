/*
 * pv-hcall-bench: what a `pv` hypercall costs against the bare
 * mechanism under it (docs/platforms.md).
 *
 *   bare    a forked child whose filter notifies one system call number
 *           and allows the rest issues that call in a loop; the parent
 *           answers each with SECCOMP_IOCTL_NOTIF_RECV/SEND.
 *   pvproc  a guest from tests/unit/pvproc/guests.asm (g_bench) calls
 *           hypercall 9 through the hypercall page in a loop inside the
 *           full sandbox; pvproc_recv/pvproc_reply answer.
 * Both run with and without SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP. Each
 * figure is the median over batches of BATCH calls of the mean round
 * trip in the batch, then the median of ROUNDS interleaved runs.
 *
 *   out/bench/pv-hcall-bench [calls] [--pin]
 *   out/bench/pv-hcall-bench --idle N
 * --pin puts the answering thread and the guest on CPU 0. --idle spawns N
 * idle guests (g_count stopped with SIGSTOP) and prints what each costs
 * the host kernel (KernelStack + PageTables + Slab from /proc/meminfo,
 * noisy on a busy host) besides its own RSS.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "../../hypervisor/pv/pvproc_impl.h"
#include "../unit/pvproc/guest_mem.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

#define BATCH   1000
#define BARE_NR 0x1000
#define MAX_BATCHES 1000
#define ROUNDS  5

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void pin(pid_t pid, bool on)
{
	cpu_set_t s;

	if (!on)
		return;
	CPU_ZERO(&s);
	CPU_SET(0, &s);
	sched_setaffinity(pid, sizeof(s), &s);
}

/* Median per-call time; answer(ctx) answers one call, <0 stops. */
static double measure(int calls, int (*answer)(void *), void *ctx)
{
	static double per[MAX_BATCHES];
	int batches = calls / BATCH;

	if (batches > MAX_BATCHES)
		batches = MAX_BATCHES;
	for (int i = 0; i < 100; i++)          /* warm up */
		if (answer(ctx) < 0)
			return -1;
	for (int b = 0; b < batches; b++) {
		double t0 = now_us();

		for (int i = 0; i < BATCH; i++)
			if (answer(ctx) < 0)
				return -1;
		per[b] = (now_us() - t0) / BATCH;
	}
	qsort(per, (size_t)batches, sizeof(double), cmp_double);
	return per[batches / 2];
}

static void send_fd(int s, int fd)
{
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } c;
	char x = 0;
	struct iovec iov = { &x, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	sendmsg(s, &m, 0);
}

static int recv_fd(int s)
{
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } c;
	char x;
	struct iovec iov = { &x, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	int fd = -1;

	if (recvmsg(s, &m, 0) > 0 && CMSG_FIRSTHDR(&m))
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	return fd;
}

static __attribute__((noreturn)) void bare_child(int sock)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BARE_NR, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { 4, f };
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER, &p);
	if (fd < 0)
		_exit(1);
	send_fd(sock, fd);
	close(fd);
	for (long i = 0;; i++)
		syscall(BARE_NR, i, 1, 2);
}

static int bare_answer(void *ctx)
{
	int fd = *(int *)ctx;
	struct seccomp_notif n;
	struct seccomp_notif_resp r;

	memset(&n, 0, sizeof(n));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
		return -1;
	r = (struct seccomp_notif_resp){ .id = n.id, .val = (long)n.data.args[0] };
	return ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &r) < 0 ? -1 : 0;
}

static double bare(int calls, bool sync, bool pinned)
{
	int sv[2], fd;
	pid_t pid;
	double med;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid = fork();
	if (pid == 0)
		bare_child(sv[1]);
	pin(pid, pinned);
	fd = recv_fd(sv[0]);
	if (sync && ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, 1UL) < 0)
		fprintf(stderr, "bare: no SYNC_WAKE_UP (%s)\n", strerror(errno));
	med = fd < 0 ? -1 : measure(calls, bare_answer, &fd);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fd);
	close(sv[0]);
	close(sv[1]);
	return med;
}

static int pv_answer(void *ctx)
{
	struct tguest *g = ctx;
	struct pvproc_call c;

	if (pvproc_recv(&g->p, &c) < 0 || c.kind != PVPROC_HYPERCALL)
		return -1;
	return pvproc_reply(&g->p, &c, (long)c.arg[0]);
}

static double pv(int calls, bool sync, bool pinned)
{
	struct tguest g;
	double med;

	pvproc_sync_wakeup = sync;
	if (tguest_init(&g, TG_GUEST(g_bench)) || tguest_spawn(&g, 0)) {
		fprintf(stderr, "pvproc: spawn failed\n");
		return -1;
	}
	if (sync && !pvproc_sync_wakeup_active)
		fprintf(stderr, "pvproc: no SYNC_WAKE_UP\n");
	pin(g.p.pid, pinned);
	med = measure(calls, pv_answer, &g);
	tguest_dispose(&g);
	return med;
}

static long meminfo_kb(void)
{
	static const char *const keys[] = { "KernelStack:", "PageTables:", "Slab:" };
	char line[256];
	long sum = 0, v;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		for (size_t i = 0; i < 3; i++)
			if (!strncmp(line, keys[i], strlen(keys[i])) &&
			    sscanf(line + strlen(keys[i]), "%ld", &v) == 1)
				sum += v;
	fclose(f);
	return sum;
}

static int idle(int n)
{
	struct tguest *g = calloc((size_t)n, sizeof(*g));
	long before = meminfo_kb(), after;
	int ok = 0;

	for (int i = 0; i < n; i++) {
		if (tguest_init(&g[i], TG_GUEST(g_count)) || tguest_spawn(&g[i], 0))
			break;
		pvproc_stop(&g[i].p);
		ok++;
	}
	sleep(1);
	after = meminfo_kb();
	printf("%d idle pv processes: kernel (stack+page tables+slab) %.1f KiB each\n",
	       ok, ok ? (double)(after - before) / ok : 0.0);
	for (int i = 0; i < ok; i++)
		tguest_dispose(&g[i]);
	free(g);
	return ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 50000;

	if (argc > 2 && !strcmp(argv[1], "--idle"))
		return idle(atoi(argv[2]));
	bool pinned = argc > 2 && !strcmp(argv[2], "--pin");

	if (calls < ROUNDS * BATCH)
		calls = ROUNDS * BATCH;
	pin(0, pinned);
	for (int sync = 0; sync < 2; sync++) {
		double b[ROUNDS], p[ROUNDS];

		for (int r = 0; r < ROUNDS; r++) {     /* interleaved: load shifts */
			b[r] = bare(calls / ROUNDS, sync, pinned);
			p[r] = pv(calls / ROUNDS, sync, pinned);
		}
		qsort(b, ROUNDS, sizeof(double), cmp_double);
		qsort(p, ROUNDS, sizeof(double), cmp_double);
		printf("%-13s bare %.2f us  pvproc %.2f us  ratio %.2f%s\n",
		       sync ? "sync-wakeup:" : "plain wakeup:", b[ROUNDS / 2], p[ROUNDS / 2],
		       p[ROUNDS / 2] / b[ROUNDS / 2], pinned ? "  (pinned to CPU 0)" : "");
	}
	return 0;
}
