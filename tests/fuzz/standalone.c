/*
 * The main() of every fuzz target when it is built without libFuzzer
 * ($(O)/tests/fuzz-NAME, any compiler, HOST_CFLAGS: under SANITIZE=1 it
 * runs with ASan/UBSan). `make check` runs each this way for a few
 * seconds (tests/integration/fuzz-corpus), so a target's seed corpus and
 * the inputs near it are replayed on every change, with or without clang.
 *
 *   fuzz-NAME [-n N] [-t SECONDS] [-s SEED] [FILE|DIR]...
 *
 * Replays every file named (a directory: every file in it), then runs N
 * mutations of them (bit flips, interesting values, inserted, deleted and
 * duplicated ranges, truncation), or N random inputs when no file was
 * given, stopping early after SECONDS. Each input lives in a buffer of
 * exactly its size, so ASan sees a read one byte past it.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX_INPUT (1u << 20)
#define MAX_SEEDS 4096

struct seed {
	uint8_t *p;
	size_t n;
};

static struct seed seeds[MAX_SEEDS];
static unsigned nseeds;
static uint64_t rng_state = 1;

static uint64_t rnd(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return rng_state >> 17;
}

static void run_one(const uint8_t *p, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);

	if (!copy)
		abort();
	memcpy(copy, p, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
}

static int load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (!f)
		return -1;
	buf = malloc(FZ_MAX_INPUT);
	if (!buf) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, FZ_MAX_INPUT, f);
	fclose(f);
	run_one(buf, n);
	if (nseeds < MAX_SEEDS)
		seeds[nseeds++] = (struct seed){ buf, n };
	else
		free(buf);
	return 0;
}

static int load(const char *path)
{
	struct stat st;
	struct dirent **ents;
	char sub[4096];
	int n, rc = 0;

	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return load_file(path);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name);
			if (load_file(sub) < 0)
				rc = -1;
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static const uint32_t interesting[] = {
	0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000u, 0xfffffffeu, 0xffffffffu, 4096, 4095, 32,
};

/* One random edit of buf[0..*n) (capacity cap). */
static void mutate_once(uint8_t *buf, size_t *n, size_t cap)
{
	size_t at = *n ? rnd() % *n : 0, len;
	uint32_t v;

	switch (rnd() % 8) {
	case 0: /* flip a bit */
		if (*n)
			buf[at] ^= (uint8_t)(1u << (rnd() % 8));
		break;
	case 1: /* a random byte */
		if (*n)
			buf[at] = (uint8_t)rnd();
		break;
	case 2: /* an interesting 1-, 2- or 4-byte value */
		v = interesting[rnd() % (sizeof(interesting) / sizeof(interesting[0]))];
		len = (size_t)1 << (rnd() % 3);
		if (at + len <= *n)
			memcpy(buf + at, &v, len);
		break;
	case 3: /* insert random bytes */
		len = 1 + rnd() % 16;
		if (*n + len <= cap) {
			memmove(buf + at + len, buf + at, *n - at);
			for (size_t i = 0; i < len; i++)
				buf[at + i] = (uint8_t)rnd();
			*n += len;
		}
		break;
	case 4: /* delete a range */
		len = *n - at ? 1 + rnd() % (*n - at) % 32 : 0;
		memmove(buf + at, buf + at + len, *n - at - len);
		*n -= len;
		break;
	case 5: /* duplicate a range in place */
		len = *n - at ? 1 + rnd() % (*n - at) % 64 : 0;
		if (*n + len <= cap) {
			memmove(buf + at + len, buf + at, *n - at);
			*n += len;
		}
		break;
	case 6: /* truncate */
		*n = at;
		break;
	default: /* a small counter nudge */
		if (*n)
			buf[at] = (uint8_t)(buf[at] + (rnd() % 2 ? 1 : -1));
		break;
	}
}

static void mutate(uint8_t *buf, size_t *n, size_t cap)
{
	unsigned k = 1 + rnd() % 8;

	if (nseeds) {
		const struct seed *s = &seeds[rnd() % nseeds];

		*n = s->n < cap ? s->n : cap;
		memcpy(buf, s->p, *n);
	} else {
		*n = rnd() % 2048;
		for (size_t i = 0; i < *n; i++)
			buf[i] = (uint8_t)(rnd() % (i % 3 ? 256 : 40));
	}
	while (k--)
		mutate_once(buf, n, cap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long runs = 2000, done = 0;
	double limit = 0, t0 = now();
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	size_t cap = FZ_MAX_INPUT + 4096, n;
	uint8_t *buf;
	int i;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-n"))
			runs = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "-t"))
			limit = strtod(argv[i + 1], NULL);
		else if (!strcmp(argv[i], "-s"))
			rng_state = strtoull(argv[i + 1], NULL, 0);
		else
			break;
	}
	for (; i < argc; i++)
		if (load(argv[i]) < 0) {
			fprintf(stderr, "%s: cannot read %s\n", name, argv[i]);
			return 2;
		}
	buf = malloc(cap);
	if (!buf)
		return 1;
	for (; done < runs && (limit <= 0 || now() - t0 < limit); done++) {
		mutate(buf, &n, cap);
		run_one(buf, n);
	}
	printf("%s: %u seeds, %lu mutations in %.1f s, no fault\n", name, nseeds, done,
	       now() - t0);
	free(buf);
	for (unsigned s = 0; s < nseeds; s++)
		free(seeds[s].p);
	return 0;
}
