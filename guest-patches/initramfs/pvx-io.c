/*
 * pvx-io: the disk benchmark of tests/bench/linux-io, run both inside the
 * Linux guest (on /dev/xvda) and on the host (on the disk image), so both
 * sides run the same code on the same offsets.
 *
 *   pvx-io [-b] [-r REPS] [-n OPS] [-t SECONDS] PATH
 *
 * Per repetition: random 4 KiB preads (OPS of them, default 2000, or
 * SECONDS, default 5, whichever ends first), at 4 KiB-aligned offsets from
 * a fixed-seed xorshift (the same sequence every run, guest and host), then
 * 1 MiB sequential reads from offset 0 to the end (or SECONDS). PATH is
 * opened O_DIRECT unless -b (buffered: what pvx-blkback itself does with an
 * image that is not direct-io-safe). One line per test and repetition:
 *   PVX-IO rep=R rand4k ops=N usec=U iops=X kBps=Y
 *   PVX-IO rep=R seq1m bytes=N usec=U kBps=Y
 *
 * Freestanding (raw system calls, no libc): every byte of the initramfs
 * is copied at emulated CPL0 on kvm_pvm (~20 s per MiB), and a static
 * glibc program would be ~800 KiB; this one is a few KiB. Build:
 *   cc -Os -static -nostdlib -fno-stack-protector -fno-builtin -o pvx-io pvx-io.c
 */
#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_pread64 17
#define SYS_lseek 8
#define SYS_mmap 9
#define SYS_exit_group 231
#define SYS_clock_gettime 228

#define O_RDONLY 0
#define O_DIRECT 040000
#define CLOCK_MONOTONIC 1
#define SEEK_END 2

#define KIB 4096L
#define MIB (1024L * 1024L)

typedef unsigned long u64;

struct ts {
	long sec;
	long nsec;
};

static long sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall" : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}

static long sys_pread(int fd, void *buf, long len, long off)
{
	register long r10 __asm__("r10") = off;
	long r;

	__asm__ volatile("syscall" : "=a"(r)
			 : "a"(SYS_pread64), "D"(fd), "S"(buf), "d"(len), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

static u64 now_usec(void)
{
	struct ts t;

	sys3(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t, 0);
	return (u64)t.sec * 1000000 + (u64)t.nsec / 1000;
}

/* --- output: a line buffer and decimal numbers --- */
static char line[256];
static int len;

static void put(const char *s)
{
	while (*s && len < (int)sizeof(line) - 1)
		line[len++] = *s++;
}

static void putu(u64 v)
{
	char d[24];
	int i = 0;

	do {
		d[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i < (int)sizeof(d));
	while (i && len < (int)sizeof(line) - 1)
		line[len++] = d[--i];
}

static void flush(int fd)
{
	line[len++] = '\n';
	sys3(SYS_write, fd, (long)line, len);
	len = 0;
}

static void die(const char *why, long err)
{
	put("pvx-io: ");
	put(why);
	put(" (errno ");
	putu((u64)-err);
	put(")");
	flush(2);
	sys3(SYS_exit_group, 1, 0, 0);
}

static long atol_(const char *s)
{
	long v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* --- the two tests --- */
struct opts {
	long reps, ops, secs, direct;
	const char *path;
};

static void rand4k(int fd, long size, const struct opts *o, char *buf, long rep)
{
	u64 x = 0x9e3779b97f4a7c15UL, t0 = now_usec(), t = t0;
	long blocks = size / KIB, n, r;

	for (n = 0; n < o->ops && t - t0 < (u64)o->secs * 1000000; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = sys_pread(fd, buf, KIB, (long)(x % (u64)blocks) * KIB);
		if (r != KIB)
			die("random pread failed", r < 0 ? r : -5);
		t = now_usec();
	}
	t -= t0;
	if (!t)
		t = 1;
	put("PVX-IO rep=");
	putu((u64)rep);
	put(" rand4k ops=");
	putu((u64)n);
	put(" usec=");
	putu(t);
	put(" iops=");
	putu((u64)n * 1000000 / t);
	put(" kBps=");
	putu((u64)n * 4 * 1000000 / t);
	flush(1);
}

static void seq1m(int fd, long size, const struct opts *o, char *buf, long rep)
{
	u64 t0 = now_usec(), t = t0;
	long off, r;

	for (off = 0; off + MIB <= size && t - t0 < (u64)o->secs * 1000000; off += MIB) {
		r = sys_pread(fd, buf, MIB, off);
		if (r != MIB)
			die("sequential pread failed", r < 0 ? r : -5);
		t = now_usec();
	}
	t -= t0;
	if (!t)
		t = 1;
	put("PVX-IO rep=");
	putu((u64)rep);
	put(" seq1m bytes=");
	putu((u64)off);
	put(" usec=");
	putu(t);
	put(" kBps=");
	putu((u64)off / 1024 * 1000000 / t);
	flush(1);
}

static void parse(long argc, char **argv, struct opts *o)
{
	long i;

	for (i = 1; i < argc; i++) {
		if (streq(argv[i], "-b"))
			o->direct = 0;
		else if (streq(argv[i], "-r") && i + 1 < argc)
			o->reps = atol_(argv[++i]);
		else if (streq(argv[i], "-n") && i + 1 < argc)
			o->ops = atol_(argv[++i]);
		else if (streq(argv[i], "-t") && i + 1 < argc)
			o->secs = atol_(argv[++i]);
		else
			o->path = argv[i];
	}
	if (!o->path || o->reps < 1 || o->ops < 1 || o->secs < 1) {
		put("usage: pvx-io [-b] [-r REPS] [-n OPS] [-t SECONDS] PATH");
		flush(2);
		sys3(SYS_exit_group, 2, 0, 0);
	}
}

static void run(long argc, char **argv)
{
	struct opts o = { .reps = 3, .ops = 2000, .secs = 5, .direct = 1 };
	long fd, size, rep;
	char *buf;

	parse(argc, argv, &o);
	fd = sys3(SYS_open, (long)o.path, O_RDONLY | (o.direct ? O_DIRECT : 0), 0);
	if (fd < 0)
		die("cannot open the file", fd);
	size = sys3(SYS_lseek, fd, 0, SEEK_END);
	if (size < MIB)
		die("file smaller than 1 MiB", size < 0 ? size : -22);
	/* mmap gives page alignment, which O_DIRECT needs. */
	buf = (char *)sys6(SYS_mmap, 0, MIB, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
	if ((long)buf < 0 && (long)buf > -4096)
		die("mmap failed", (long)buf);
	for (rep = 1; rep <= o.reps; rep++) {
		rand4k((int)fd, size, &o, buf, rep);
		seq1m((int)fd, size, &o, buf, rep);
	}
	sys3(SYS_close, fd, 0, 0);
}

/* The kernel enters here with argc at (%rsp) and argv after it. */
void start_c(long *sp) __attribute__((used, noreturn));
void start_c(long *sp)
{
	run(sp[0], (char **)(sp + 1));
	sys3(SYS_exit_group, 0, 0, 0);
	for (;;)
		;
}

__asm__(".globl _start\n_start:\n\txor %rbp,%rbp\n\tmov %rsp,%rdi\n"
	"\tand $-16,%rsp\n\tcall start_c\n");
