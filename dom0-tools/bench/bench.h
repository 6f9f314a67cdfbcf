/*
 * Private interfaces of libpvxbench (`pvx bench ring`).
 *
 * Modules, one job each:
 *   opts.c      command line → struct bench_opts (a table of option handlers)
 *   hist.c      latency histogram (log-linear buckets) and percentiles
 *   clock.c     TSC reading and its calibration against CLOCK_MONOTONIC
 *   shm.c       the shared region (memfd: control block, ring, data pages)
 *   front.c     the frontend loop (issues requests, consumes responses)
 *   back.c      the backend loop (validates and answers requests)
 *   policy.c    notification policies (always, holdoff, poll) as an ops table
 *   host.c      one host-mode run: fork both ends, pin, wait, collect
 *   proc.c      fork/pin/wait helpers shared by every two-process measurement
 *   baseline.c  eventfd/pipe ping-pong and the cache-line round trip
 *   ringtest.c  Linux tools/virtio/ringtest: extract, build, run
 *   report.c    terminal table; csv.c, json.c, plot.c the files
 *   ring_cmd.c  `bench ring`: ties the above together
 *
 * The wire format of the benchmark ring lives here too: it is private to the
 * two processes of one run (no guest speaks it yet).
 */
#ifndef DOM0_TOOLS_BENCH_BENCH_H
#define DOM0_TOOLS_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <pvx/ring.h>

#define BENCH_PAGE 4096u
#define BENCH_MAX_SWEEP 32
#define BENCH_MAX_RING_PAGES 256u
#define BENCH_MAX_PAYLOAD (1u << 20)
#define BENCH_MAX_BATCH 4096u
#define BENCH_MAX_REPEAT 16u

/* ---- wire format ---------------------------------------------------------- */

/*
 * Entries are 16 bytes, four to a cache line: what a shared ring costs is
 * cache lines moving between the two CPUs, so entry size is throughput.
 *
 * A request: id is the low 32 bits of its sequence number (the frontend
 * issues 0, 1, 2, ... in ring order, so the backend can check it), stamp
 * the frontend's TSC >> BENCH_STAMP_SHIFT when it published the batch
 * (wraps after 2^34 ticks, ~4.6 s at 3.7 GHz; a round trip is far
 * shorter), and [off, off+len) the payload in the data area (len 0: none).
 */
struct bench_req {
	uint32_t id;
	uint32_t stamp;
	uint32_t off;
	uint32_t len;
};

/* A response echoes id and stamp; status 0, or a negative errno. */
struct bench_rsp {
	uint32_t id;
	uint32_t stamp;
	int32_t status;
	uint32_t pad;
};

#define BENCH_STAMP_SHIFT 2

PVX_RING_DEFINE(bench, struct bench_req, struct bench_rsp)

/*
 * Ask for the cache lines of ring entries [first, first+n) up front, so
 * their transfers from the other CPU overlap instead of one miss per line
 * in turn (each is a cross-core round trip; see the cache-line baseline).
 * write: the caller will write them (PREFETCHW fetches them exclusive).
 * At most 64 entries ahead: enough to cover a batch without flooding.
 */
static inline void bench_ring_prefetch(struct bench_sring *s, uint32_t nr_ents, RING_IDX first,
				       uint32_t n, bool write)
{
	const uint32_t per_line = 64 / sizeof(union bench_sring_entry);

	if (n > 64)
		n = 64;
	for (uint32_t k = 0; k < n; k += per_line) {
		const void *p = &s->ring[(first + k) & (nr_ents - 1)];

		if (write)
			__builtin_prefetch(p, 1, 3);
		else
			__builtin_prefetch(p, 0, 3);
	}
}

/* ---- options -------------------------------------------------------------- */

enum bench_mode { BENCH_MODE_HOST, BENCH_MODE_GUEST };
enum bench_notify { BENCH_NOTIFY_ALWAYS, BENCH_NOTIFY_HOLDOFF, BENCH_NOTIFY_POLL };

struct bench_opts {
	enum bench_mode mode;
	enum bench_notify notify;
	unsigned ring_pages;
	unsigned outstanding;        /* 0: as many as the ring holds */
	unsigned payload;            /* bytes per request, 0: none */
	double duration;             /* seconds per run */
	unsigned spin_us;            /* holdoff/always: poll this long before sleeping */
	int cpu_front, cpu_back;
	unsigned batches[BENCH_MAX_SWEEP];
	unsigned nbatches;           /* --batch gives one, --sweep-batch several */
	const char *csv, *json, *plot;
	bool baselines;
	long ringtest_cycles;
	unsigned repeat;             /* whole measurement this many times, medians */
	const char *kernel;          /* guest mode: minios image, NULL: next to us */
	const char *type;            /* guest mode: "pvh", "pv", NULL: pvx chooses */
	bool grant_copy;             /* guest mode: copy payloads instead of mapping */
};

/* Parses argv (argv[0] = "ring"). 0, or -EINVAL after printing one line to err. */
int bench_opts_parse(struct bench_opts *o, int argc, char **argv, FILE *err);
void bench_opts_usage(FILE *f);
const char *bench_notify_name(enum bench_notify n);
/* Ring entries for o->ring_pages, and the effective outstanding limit. */
uint32_t bench_ring_entries(unsigned ring_pages);
unsigned bench_outstanding(const struct bench_opts *o);

/* ---- histogram ------------------------------------------------------------ */

/*
 * Latencies in ns, log-linear buckets: exact below 128, then 64 buckets per
 * power of two (relative error < 1/64). Values above 2^40 ns are clamped.
 */
#define BENCH_HIST_SUB_BITS 6
#define BENCH_HIST_MAX_SHIFT 40
#define BENCH_HIST_BUCKETS (128 + (BENCH_HIST_MAX_SHIFT - BENCH_HIST_SUB_BITS) * 64)

struct bench_hist {
	uint64_t count, sum, max;
	uint64_t bucket[BENCH_HIST_BUCKETS];
};

void bench_hist_reset(struct bench_hist *h);
void bench_hist_add(struct bench_hist *h, uint64_t ns);
/* The smallest recorded value v with at least q of the samples <= v (bucket
 * midpoint), 0 if empty. q in [0, 1]. */
uint64_t bench_hist_quantile(const struct bench_hist *h, double q);
uint64_t bench_hist_mean(const struct bench_hist *h);
unsigned bench_hist_index(uint64_t ns);

/* ---- clock ---------------------------------------------------------------- */

static inline uint64_t bench_tsc(void)
{
	return __builtin_ia32_rdtsc();
}

uint64_t bench_now_ns(void);
/* Measures TSC ticks per ns once (about 20 ms); later calls return it. */
double bench_tsc_per_ns(void);

/* ---- shared region -------------------------------------------------------- */

#define BENCH_MSG_LEN 256

/*
 * Control block, first page(s) of the region. Fields written by one side
 * sit on their own cache lines so polling does not bounce them.
 */
struct bench_ctl {
	/* written by the backend */
	uint32_t back_ready;
	uint32_t back_done;
	int32_t back_err;
	uint64_t back_notifies;      /* notifications sent back → front */
	char back_msg[BENCH_MSG_LEN];
	/* written by the frontend */
	uint32_t stop __attribute__((aligned(64)));
	int32_t front_err;
	uint64_t front_notifies;     /* notifications sent front → back */
	uint64_t requests_total;     /* including warm-up */
	uint64_t requests;           /* in the measured window */
	uint64_t window_ns;
	char front_msg[BENCH_MSG_LEN];
	struct bench_hist hist;      /* round trips in the measured window */
};

struct bench_shm {
	int memfd;
	int kick_fd;                 /* eventfd front → back */
	int call_fd;                 /* eventfd back → front */
	size_t size;
	void *base;
	struct bench_ctl *ctl;
	struct bench_sring *sring;
	size_t ring_bytes;
	uint8_t *data;               /* payload area, NULL without payload */
	size_t data_bytes;
	uint32_t slot_bytes;         /* payload slot per ring entry */
	uint32_t nr_ents;
};

/* Creates and maps the region for ring_pages and payload. 0 or -errno. */
int bench_shm_create(struct bench_shm *s, unsigned ring_pages, unsigned payload);
void bench_shm_dispose(struct bench_shm *s);

/* ---- the two ends ----------------------------------------------------------- */

struct bench_policy;

struct bench_end_cfg {
	const struct bench_policy *policy;
	unsigned batch, outstanding, payload;
	uint64_t warmup_ns, window_ns;
	uint64_t spin_ticks;         /* idle side polls this long before it blocks */
};

/* Frontend: runs until the window ends and every response is in. 0 or -errno
 * (the reason in ctl->front_msg). */
int bench_front_run(struct bench_shm *s, const struct bench_end_cfg *c);
/* Backend: serves until the frontend sets stop. 0 or -errno (reason in
 * ctl->back_msg): -EIO for a bad producer index, -EINVAL for a bad request. */
int bench_back_run(struct bench_shm *s, const struct bench_end_cfg *c);

/*
 * Checks one request copied off the ring. seq is the id expected next.
 * 0, or -EINVAL with the reason in msg.
 */
int bench_back_validate(const struct bench_shm *s, const struct bench_req *req,
			uint64_t seq, char *msg, size_t len);

/* ---- notification policies -------------------------------------------------- */

struct bench_policy {
	const char *name;
	bool blocks;                 /* its waits sleep (so spinning first can help) */
	/*
	 * Push requests / responses (publish the producer index) and notify the
	 * peer if the policy says so. Returns 1 if it notified, 0 if not, or
	 * -errno.
	 */
	int (*front_push)(struct bench_shm *s, struct bench_front_ring *fr);
	int (*back_push)(struct bench_shm *s, struct bench_back_ring *br);
	/* Nothing to do: wait for the peer. Returns >0 if work appeared,
	 * 0 after a wait, -errno (ring -EIO or read failure). */
	int (*front_wait)(struct bench_shm *s, struct bench_front_ring *fr);
	int (*back_wait)(struct bench_shm *s, struct bench_back_ring *br);
};

const struct bench_policy *bench_policy_get(enum bench_notify n);
/* Signal an eventfd; read (and so clear) it, blocking. 0 or -errno. */
int bench_evt_notify(int fd);
int bench_evt_wait(int fd);

/* ---- processes ------------------------------------------------------------ */

/* Forks a child pinned to cpu (-1: not pinned) that runs fn(arg) and exits
 * with its result (0 → 0, <0 → 1). Returns the pid or -errno. */
pid_t bench_spawn(int cpu, int (*fn)(void *), void *arg);
/* Waits for pid up to timeout_ms (then kills it). Returns the exit status
 * (128+signal when killed) and adds its CPU time to *cpu_ns if given. */
int bench_reap(pid_t pid, int timeout_ms, uint64_t *cpu_ns);
int bench_pin(int cpu);
bool bench_cpu_usable(int cpu);

/* ---- results ---------------------------------------------------------------- */

struct bench_result {
	unsigned batch;
	uint64_t requests;
	double seconds;
	double req_per_s;
	double front_notify_per_req, back_notify_per_req;
	uint64_t p50_ns, p99_ns, p999_ns, mean_ns, max_ns;
	double cpu_ns_per_req;
	unsigned nrep;               /* repeats behind a median (0: a single run) */
	double req_per_s_each[BENCH_MAX_REPEAT];
};

/* One host-mode run for one batch size. 0, or -errno with the reason in msg. */
int bench_host_run(const struct bench_opts *o, unsigned batch, struct bench_result *r,
		   char *msg, size_t len);

struct bench_pingpong {
	const char *name;            /* "eventfd" / "pipe" */
	uint64_t rounds;
	double seconds;
	uint64_t p50_ns, p99_ns, mean_ns;
	double rtt_per_s;            /* round trips per second */
	double msgs_per_s;           /* one-way messages per second (2 per round trip) */
};

/* rounds > 0: exactly that many; else as many as fit in seconds. */
int bench_pingpong_run(const char *kind, uint64_t rounds, double seconds,
		       int cpu_a, int cpu_b, struct bench_pingpong *out);
/* Cache-line round trip between two processes: median ns of 5 batches. */
int bench_cacheline_rtt(uint64_t rounds, int cpu_a, int cpu_b, double *rtt_ns);

#define BENCH_RINGTEST_VARIANTS 3

struct bench_ringtest_run {
	const char *name;            /* ring, virtio_ring_0_9, ptr_ring */
	int status;                  /* 0 ok, -ENOTSUP not run (see note), -EIO failed */
	const char *note;            /* why it did not run / failed */
	double seconds, ops_per_s;
};

struct bench_ringtest {
	bool available;
	char why[BENCH_MSG_LEN];     /* when not available */
	char args[BENCH_MSG_LEN];    /* the command line options used */
	long cycles;
	struct bench_ringtest_run run[BENCH_RINGTEST_VARIANTS];
};

/* Builds (once, into the cache dir) and runs the three variants. */
void bench_ringtest_run(const struct bench_opts *o, unsigned batch, struct bench_ringtest *rt);
/* Best ops/s over the variants that ran, 0 if none. */
double bench_ringtest_best(const struct bench_ringtest *rt, const char **name);

struct bench_report {
	const struct bench_opts *opts;
	uint32_t ring_entries;
	unsigned outstanding;
	double loadavg[3];
	const struct bench_result *runs;
	unsigned nruns;
	bool have_baselines;
	struct bench_pingpong evt, pipe;
	double cacheline_ns;
	struct bench_ringtest rt;
	struct bench_pingpong evtchn; /* guest mode: guest <-> Dom0 event channel */
};

/*
 * --repeat: field-wise medians of n repeats. Results: out[i] from
 * reps[k * stride + i] for k < n. Baselines: from reps[k] (runs unused).
 */
void bench_median_results(struct bench_result *out, const struct bench_result *reps,
			  unsigned n, unsigned stride, unsigned count);
void bench_median_baselines(struct bench_report *out, const struct bench_report *reps,
			    unsigned n);

void bench_report_header(FILE *f, const struct bench_report *r);
void bench_report_row(FILE *f, const struct bench_report *r, const struct bench_result *x);
void bench_report_footer(FILE *f, const struct bench_report *r);
int bench_csv_write(FILE *f, const struct bench_report *r);
int bench_json_write(FILE *f, const struct bench_report *r);
int bench_plot_write(const char *png, const struct bench_report *r, char *msg, size_t len);

/* ---- guest mode (guest*.c) ------------------------------------------------------ */

/* Guest-mode limits of the options (minios's ring pool, its 256 KiB of
 * payload pages). 0, or -EINVAL with one line in msg. */
int bench_guest_check(const struct bench_opts *o, char *msg, size_t len);
/*
 * One guest-mode run for one batch size: a minios guest running
 * bench-ring, the backend in this process. pp (may be NULL) asks the
 * guest for an event-channel ping-pong first and gets its figures.
 * 0, or -errno with the reason in msg.
 */
int bench_guest_run(const struct bench_opts *o, unsigned batch, struct bench_result *r,
		    struct bench_pingpong *pp, char *msg, size_t len);

/* `bench ring` (argv[0] = "ring"). */
int bench_ring_main(int argc, char **argv);

#endif /* DOM0_TOOLS_BENCH_BENCH_H */
