/* What the sandbox refuses, and what the process holds. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>

#include <pvx/ctl.h>
#include <pvx/pv.h>

#include "harness.h"

/* The next call must be forbidden; killing the process ends it. */
static void expect_forbidden(struct tguest *g, uint32_t arch, const char *name)
{
	struct pvproc_call c;
	const char *n;

	ck_assert_int_eq(pvproc_recv(&g->p, &c), 0);
	ck_assert_int_eq(c.kind, PVPROC_FORBIDDEN);
	ck_assert_uint_eq(c.arch, arch);
	n = pvproc_syscall_name(c.arch, c.nr);
	printf("forbidden: %s%s (%llu) at %#llx\n", arch == AUDIT_ARCH_I386 ? "i386 " : "",
	       n ? n : "?", (unsigned long long)c.nr, (unsigned long long)c.ip);
	if (name)
		ck_assert_str_eq(n ? n : "?", name);
	pvproc_kill(&g->p);
	ck_assert_int_eq(pvproc_recv(&g->p, &c), -ESRCH);
}

/* Host calls a guest might try, each from RAM (rax = start_info). */
static const struct { uint64_t nr; const char *name; } from_ram[] = {
	{ 2, "open" }, { 257, "openat" }, { 56, "clone" }, { 57, "fork" },
	{ 9, "mmap" }, { 62, "kill" }, { 101, "ptrace" }, { 59, "execve" },
	{ 11, "munmap" }, { 15, "rt_sigreturn" }, { 10, "mprotect" },
	{ 1, "write" }, { 231, "exit_group" }, { 435, "clone3" },
};

START_TEST(test_forbidden_from_ram)
{
	struct tguest g;

	th_start(&g, TG_GUEST(g_sys), from_ram[_i].nr);
	expect_forbidden(&g, AUDIT_ARCH_X86_64, from_ram[_i].name);
	ck_assert_str_eq(th_wait_exit(&g), "exited (reaped before)");
	tguest_dispose(&g);
}
END_TEST

START_TEST(test_forbidden_int80)
{
	struct tguest g;

	th_start(&g, TG_GUEST(g_int80), 0);
	expect_forbidden(&g, AUDIT_ARCH_I386, "open");
	tguest_dispose(&g);
}
END_TEST

/* sysenter from 64-bit code: Intel enters the 32-bit system call path
 * (forbidden as i386), AMD raises #UD. Either way the guest ends. */
START_TEST(test_forbidden_sysenter)
{
	struct tguest g;
	struct pvproc_call c;
	int r;

	th_start(&g, TG_GUEST(g_sysenter), 0);
	r = pvproc_recv(&g.p, &c);
	if (r == 0) {
		ck_assert_int_eq(c.kind, PVPROC_FORBIDDEN);
		ck_assert_uint_eq(c.arch, AUDIT_ARCH_I386);
	} else {
		ck_assert_int_eq(r, -ESRCH);
		printf("sysenter: %s\n", th_wait_exit(&g));
	}
	tguest_dispose(&g);
}
END_TEST

/* The vsyscall page: emulated calls go through seccomp (forbidden, at
 * an address outside the pages); with vsyscall=none it faults. */
START_TEST(test_forbidden_vsyscall)
{
	struct tguest g;
	struct pvproc_call c;
	int r;

	th_start(&g, TG_GUEST(g_vsyscall), 0);
	r = pvproc_recv(&g.p, &c);
	if (r == 0)
		ck_assert_int_eq(c.kind, PVPROC_FORBIDDEN);
	else
		ck_assert_int_eq(r, -ESRCH);
	printf("vsyscall: %s\n", r == 0 ? pvproc_syscall_name(c.arch, c.nr) : th_wait_exit(&g));
	tguest_dispose(&g);
}
END_TEST

static void expect_fault(const unsigned char *code, const unsigned char *end)
{
	struct tguest g;
	struct pvproc_call c;

	th_start(&g, code, end, 0);
	ck_assert_int_eq(pvproc_recv(&g.p, &c), -ESRCH);
	ck_assert_str_eq(th_wait_exit(&g), "killed by SIGSEGV");
	tguest_dispose(&g);
}

START_TEST(test_write_hypercall_page)
{
	expect_fault(TG_GUEST(g_wr_hc));
}
END_TEST

START_TEST(test_write_trampoline_page)
{
	expect_fault(TG_GUEST(g_wr_tr));
}
END_TEST

START_TEST(test_wild_jump)
{
	expect_fault(TG_GUEST(g_wild));
}
END_TEST

static bool allowed_map(unsigned long long lo, unsigned long long hi)
{
	return (lo == PVX_PV_RAM_FLOOR && hi == TG_RAM_BYTES) ||
	       (lo == PVX_SPECIAL_GPA && hi == PVX_SPECIAL_GPA + PVX_SPECIAL_PAGES * 4096) ||
	       (lo == PVX_PV_HYPERCALL_VA && hi == PVX_PV_TRAMPOLINE_VA + 4096) ||
	       lo == 0xffffffffff600000ull;  /* [vsyscall]: cannot be unmapped */
}

/* /proc/PID/status: signals as the guest starts with them, identity. */
static void check_status(pid_t pid)
{
	static const char *const want[] = {
		"SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000",
		"SigCgt:\t0000000000000200", "NoNewPrivs:\t1", "Seccomp:\t2",
		"Uid:\t65534\t65534\t65534\t65534",
	};
	char path[64], line[256];
	int seen = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			seen += !strncmp(line, want[i], strlen(want[i]));
	fclose(f);
	ck_assert_int_eq(seen, (int)(sizeof(want) / sizeof(want[0])));
}

/* /proc/PID/maps: RAM, special pages, the two pvproc pages (one VMA,
 * same memfd), [vsyscall]; /proc/PID/fd: empty. */
START_TEST(test_address_space_and_fds)
{
	struct tguest g;
	struct pvproc_call c;
	char path[64], line[512];
	unsigned long long lo, hi;
	int n = 0, fds = 0;
	FILE *f;
	DIR *d;
	struct dirent *e;

	th_start(&g, TG_GUEST(g_ready), 0);
	c = th_expect_hcall(&g, 1);
	snprintf(path, sizeof(path), "/proc/%d/maps", g.p.pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		ck_assert_int_eq(sscanf(line, "%llx-%llx", &lo, &hi), 2);
		ck_assert_msg(allowed_map(lo, hi), "unexpected mapping %s", line);
		n++;
	}
	fclose(f);
	ck_assert_int_eq(n, 4);
	snprintf(path, sizeof(path), "/proc/%d/fd", g.p.pid);
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		fds += e->d_name[0] != '.';
	closedir(d);
	ck_assert_int_eq(fds, 0);
	if (getuid() == 0)
		check_status(g.p.pid);
	pvproc_reply(&g.p, &c, 0);
	tguest_dispose(&g);
}
END_TEST

Suite *make_pvproc_sandbox_suite(void)
{
	Suite *s = suite_create("pvproc_sandbox");
	TCase *tc = tcase_create("sandbox");

	tcase_add_loop_test(tc, test_forbidden_from_ram, 0,
			    (int)(sizeof(from_ram) / sizeof(from_ram[0])));
	tcase_add_test(tc, test_forbidden_int80);
	tcase_add_test(tc, test_forbidden_sysenter);
	tcase_add_test(tc, test_forbidden_vsyscall);
	tcase_add_test(tc, test_write_hypercall_page);
	tcase_add_test(tc, test_write_trampoline_page);
	tcase_add_test(tc, test_wild_jump);
	tcase_add_test(tc, test_address_space_and_fds);
	suite_add_tcase(s, tc);
	return s;
}
