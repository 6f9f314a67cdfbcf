/*
 * balloon-host MIB: the host baselines of tests/bench/balloon-bench. A
 * memfd of MIB MiB is touched page by page (first touch: the kernel
 * allocates and zeroes each page, what a guest's first write costs on
 * the host) and then punched out with one fallocate(PUNCH_HOLE) (what
 * pvxd does for a decrease_reservation run). Prints
 *   touch_us=N punch_us=N
 * best of 3.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000ull + (unsigned long long)t.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	size_t len = (size_t)(argc > 1 ? strtoull(argv[1], NULL, 10) : 448) << 20;
	unsigned long long touch = ~0ull, punch = ~0ull;
	int fd = memfd_create("balloon-host", MFD_CLOEXEC);
	volatile char *p;

	if (fd < 0 || ftruncate(fd, (off_t)len) < 0)
		return perror("memfd"), 1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return perror("mmap"), 1;
	for (int r = 0; r < 3; r++) {
		unsigned long long t0 = now_us(), t1, t2;

		for (size_t off = 0; off < len; off += 4096)
			p[off] = 1;
		t1 = now_us();
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)len) < 0)
			return perror("fallocate"), 1;
		t2 = now_us();
		if (t1 - t0 < touch)
			touch = t1 - t0;
		if (t2 - t1 < punch)
			punch = t2 - t1;
	}
	printf("touch_us=%llu punch_us=%llu\n", touch, punch);
	return 0;
}
