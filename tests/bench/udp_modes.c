/*
 * pvx-udptool's socket modes: echo, sink, source, echo-check, rtt (usage
 * in udp_tool.c). They batch with recvmmsg/sendmmsg so that the host end
 * is never what limits a figure, and poll with short timeouts so that a
 * silent peer ends a run instead of hanging it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "udp_tool.h"

#define BATCH 32
#define SLOT 2048 /* per-message buffer: above the largest datagram */

struct batch {
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	uint8_t buf[BATCH][SLOT];
};

static void batch_init(struct batch *b, int with_names)
{
	int i;

	memset(b->m, 0, sizeof(b->m));
	for (i = 0; i < BATCH; i++) {
		b->iov[i].iov_base = b->buf[i];
		b->iov[i].iov_len = SLOT;
		b->m[i].msg_hdr.msg_iov = &b->iov[i];
		b->m[i].msg_hdr.msg_iovlen = 1;
		if (with_names) {
			b->m[i].msg_hdr.msg_name = &b->from[i];
			b->m[i].msg_hdr.msg_namelen = sizeof(b->from[i]);
		}
	}
}

/* Waits up to MS for FD to be readable; 1 if it is. */
static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

/* One recvmmsg without blocking into B; the count (0 if none). */
static int recv_batch(int fd, struct batch *b, int with_names)
{
	int i, n;

	for (i = 0; i < BATCH; i++) {
		b->iov[i].iov_len = SLOT;
		b->m[i].msg_hdr.msg_namelen = with_names ? sizeof(b->from[i]) : 0;
	}
	n = recvmmsg(fd, b->m, BATCH, MSG_DONTWAIT, NULL);
	return n < 0 ? 0 : n;
}

int udpt_echo(int argc, char **argv)
{
	static struct batch b;
	uint64_t echoed = 0, bytes = 0, end = 0;
	int fd, n, i;

	if (argc < 1 || argc > 2)
		return 2;
	fd = udpt_bound((unsigned)udpt_num(argv[0], "port"));
	if (argc == 2)
		end = udpt_now_ns() + udpt_num(argv[1], "seconds") * 1000000000ull;
	udpt_on_signals();
	batch_init(&b, 1);
	while (!udpt_stop && (!end || udpt_now_ns() < end)) {
		if (!readable(fd, 100))
			continue;
		n = recv_batch(fd, &b, 1);
		for (i = 0; i < n; i++) {
			b.iov[i].iov_len = b.m[i].msg_len;
			bytes += b.m[i].msg_len;
		}
		/* Echo exactly what came, to whoever sent it. */
		for (i = 0; i < n;) {
			int s = sendmmsg(fd, b.m + i, (unsigned)(n - i), 0);

			if (s <= 0)
				break;
			i += s;
		}
		echoed += (uint64_t)n;
	}
	printf("echo echoed=%llu bytes=%llu\n", (unsigned long long)echoed,
	       (unsigned long long)bytes);
	return 0;
}

int udpt_sink(int argc, char **argv)
{
	static struct batch b;
	struct udpt_seqstat st = { 0 };
	uint64_t end, idle = 2000000000ull;
	int fd, n, i;

	if (argc < 2 || argc > 3)
		return 2;
	fd = udpt_bound((unsigned)udpt_num(argv[0], "port"));
	end = udpt_now_ns() + udpt_num(argv[1], "seconds") * 1000000000ull;
	if (argc == 3)
		idle = udpt_num(argv[2], "idle ms") * 1000000ull;
	udpt_on_signals();
	batch_init(&b, 0);
	printf("sink: listening\n");
	/* Ends at the deadline, on a signal, or IDLE_MS (2 s) after the last
	 * datagram. */
	while (!udpt_stop && udpt_now_ns() < end) {
		if (st.received && udpt_now_ns() - st.last_ns > idle)
			break;
		if (!readable(fd, 50))
			continue;
		while ((n = recv_batch(fd, &b, 0)) > 0)
			for (i = 0; i < n; i++)
				udpt_seq_add(&st, b.buf[i], b.m[i].msg_len);
	}
	udpt_seq_print("sink", &st, "");
	return st.bad ? 1 : 0;
}

/* COUNT, or N seconds written "Ns". */
static void count_or_secs(const char *s, uint64_t *count, uint64_t *secs)
{
	size_t len = strlen(s);

	*count = *secs = 0;
	if (len > 1 && s[len - 1] == 's') {
		char tmp[32];

		snprintf(tmp, sizeof(tmp), "%.*s", (int)(len - 1), s);
		*secs = udpt_num(tmp, "seconds");
	} else {
		*count = udpt_num(s, "count");
	}
}

int udpt_source(int argc, char **argv)
{
	static struct batch b;
	struct sockaddr_in dst;
	uint64_t size, count, secs, pps = 0, sent = 0, errors = 0, start, end = 0, now;
	int fd, i, n;

	if (argc < 4 || argc > 5)
		return 2;
	udpt_addr(&dst, argv[0], (unsigned)udpt_num(argv[1], "port"));
	size = udpt_num(argv[2], "size");
	count_or_secs(argv[3], &count, &secs);
	if (argc == 5)
		pps = udpt_num(argv[4], "pps");
	if (size < 1 || size > UDPT_MAX_PAYLOAD)
		return fprintf(stderr, "pvx-udptool: size 1..%d\n", UDPT_MAX_PAYLOAD), 2;
	fd = udpt_bound(0);
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		return perror("connect"), 1;
	batch_init(&b, 0);
	udpt_on_signals();
	start = now = udpt_now_ns();
	if (secs)
		end = start + secs * 1000000000ull;
	while (!udpt_stop && (count ? sent < count : now < end)) {
		n = BATCH;
		if (count && count - sent < (uint64_t)n)
			n = (int)(count - sent);
		if (pps) { /* pace: never ahead of the schedule, a batch of 1 */
			uint64_t due = start + sent * 1000000000ull / pps;

			while ((now = udpt_now_ns()) < due)
				;
			n = 1;
		}
		for (i = 0; i < n; i++) {
			udpt_fill(b.buf[i], size, sent + (uint64_t)i);
			b.iov[i].iov_len = size;
		}
		i = sendmmsg(fd, b.m, (unsigned)n, 0);
		if (i < 0) {
			/* ICMP errors (no listener yet) and full queues: try again. */
			if (errno != ECONNREFUSED && errno != ENOBUFS && errno != EAGAIN &&
			    errno != EINTR)
				return perror("sendmmsg"), 1;
			errors++;
			if (errno == ENOBUFS)
				usleep(50);
		} else {
			sent += (uint64_t)i;
		}
		now = udpt_now_ns();
	}
	now = udpt_now_ns();
	printf("source sent=%llu bytes=%llu ms=%.1f pps=%.0f gbps=%.3f errors=%llu cpu_ns=%llu\n",
	       (unsigned long long)sent, (unsigned long long)(sent * size),
	       (double)(now - start) / 1e6, (double)sent * 1e9 / (double)(now - start),
	       (double)sent * (double)size * 8 / (double)(now - start),
	       (unsigned long long)errors, (unsigned long long)udpt_cpu_ns());
	return 0;
}

/* echo-check's outstanding datagrams, in slot seq % window. */
struct pending {
	uint64_t seq, sent_ns;
	uint32_t size;
	int live;
};

struct echo_check {
	struct pending *p;
	uint64_t window, echoed, bad, late, lost, live;
	uint64_t timeout_ns;
};

/* Matches a reply to its pending datagram; verifies every byte. */
static void check_reply(struct echo_check *ec, const uint8_t *buf, size_t len)
{
	uint64_t seq, i;
	struct pending *p = NULL;

	if (udpt_check(buf, len, &seq) < 0) {
		ec->bad++;
		return;
	}
	if (len >= 8) {
		p = &ec->p[seq % ec->window];
		if (!p->live || p->seq != seq)
			p = NULL;
		else if (p->size != len) {
			ec->bad++; /* the right datagram, the wrong length */
			p->live = 0;
			ec->live--;
			return;
		}
	} else {
		for (i = 0; i < ec->window && !p; i++)
			if (ec->p[i].live && ec->p[i].size == len && (uint8_t)ec->p[i].seq == buf[0])
				p = &ec->p[i];
	}
	if (!p) {
		ec->late++; /* well-formed but not pending: timed out before */
		return;
	}
	p->live = 0;
	ec->live--;
	ec->echoed++;
}

static void expire(struct echo_check *ec, uint64_t now)
{
	uint64_t i;

	for (i = 0; i < ec->window; i++)
		if (ec->p[i].live && now - ec->p[i].sent_ns > ec->timeout_ns) {
			ec->p[i].live = 0;
			ec->live--;
			ec->lost++;
		}
}

int udpt_echo_check(int argc, char **argv)
{
	static struct batch b;
	static uint8_t out[SLOT];
	struct sockaddr_in dst;
	struct echo_check ec = { .window = 16, .timeout_ns = 1000000000ull };
	uint64_t count, min, max, next = 0, start;
	int fd, n, i;

	if (argc < 5 || argc > 6)
		return 2;
	udpt_addr(&dst, argv[0], (unsigned)udpt_num(argv[1], "port"));
	count = udpt_num(argv[2], "count");
	min = udpt_num(argv[3], "min size");
	max = udpt_num(argv[4], "max size");
	if (argc == 6)
		ec.window = udpt_num(argv[5], "window");
	if (min < 1 || max < min || max > UDPT_MAX_PAYLOAD || ec.window < 1 || ec.window > 4096)
		return fprintf(stderr, "pvx-udptool: sizes 1..%d, window 1..4096\n",
			       UDPT_MAX_PAYLOAD), 2;
	ec.p = calloc(ec.window, sizeof(*ec.p));
	fd = udpt_bound(0);
	if (!ec.p || connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		return perror("echo-check"), 1;
	batch_init(&b, 0);
	udpt_on_signals();
	start = udpt_now_ns();
	while (!udpt_stop && (next < count || ec.live)) {
		/* Fill the window; a slot still pending blocks the next seq. */
		while (next < count && !ec.p[next % ec.window].live) {
			struct pending *p = &ec.p[next % ec.window];

			p->seq = next;
			p->size = (uint32_t)(min + next % (max - min + 1));
			udpt_fill(out, p->size, next);
			if (send(fd, out, p->size, 0) < 0) {
				if (errno == ECONNREFUSED || errno == ENOBUFS || errno == EINTR)
					continue; /* the error is consumed: send again */
				return perror("send"), 1;
			}
			p->sent_ns = udpt_now_ns();
			p->live = 1;
			ec.live++;
			next++;
		}
		if (readable(fd, 20))
			while ((n = recv_batch(fd, &b, 0)) > 0)
				for (i = 0; i < n; i++)
					check_reply(&ec, b.buf[i], b.m[i].msg_len);
		expire(&ec, udpt_now_ns());
	}
	printf("echo-check sent=%llu echoed=%llu lost=%llu bad=%llu late=%llu ms=%.0f\n",
	       (unsigned long long)next, (unsigned long long)ec.echoed,
	       (unsigned long long)ec.lost, (unsigned long long)ec.bad,
	       (unsigned long long)ec.late, (double)(udpt_now_ns() - start) / 1e6);
	free(ec.p);
	return ec.bad || udpt_stop ? 1 : 0;
}

int udpt_rtt(int argc, char **argv)
{
	static uint8_t out[SLOT], in[SLOT];
	struct sockaddr_in dst;
	uint64_t count, size = 64, i, got = 0, *rtt, seq, t0;
	int fd;
	ssize_t n;

	if (argc < 3 || argc > 4)
		return 2;
	udpt_addr(&dst, argv[0], (unsigned)udpt_num(argv[1], "port"));
	count = udpt_num(argv[2], "count");
	if (argc == 4)
		size = udpt_num(argv[3], "size");
	if (size < 8 || size > UDPT_MAX_PAYLOAD || count < 1)
		return fprintf(stderr, "pvx-udptool: rtt size 8..%d\n", UDPT_MAX_PAYLOAD), 2;
	rtt = calloc(count, sizeof(*rtt));
	fd = udpt_bound(0);
	if (!rtt || connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		return perror("rtt"), 1;
	for (i = 0; i < count; i++) {
		udpt_fill(out, size, i);
		t0 = udpt_now_ns();
		if (send(fd, out, size, 0) < 0)
			continue; /* counted lost */
		/* Wait up to 1 s for this one; stale echoes are skipped. */
		while (udpt_now_ns() - t0 < 1000000000ull && readable(fd, 100)) {
			n = recv(fd, in, sizeof(in), MSG_DONTWAIT);
			if (n == (ssize_t)size && !udpt_check(in, (size_t)n, &seq) && seq == i) {
				rtt[got++] = udpt_now_ns() - t0;
				break;
			}
		}
	}
	{
		uint64_t p50 = udpt_pct(rtt, got, 50), p99 = udpt_pct(rtt, got, 99);

		printf("rtt sent=%llu received=%llu lost=%llu p50_us=%.1f p99_us=%.1f min_us=%.1f max_us=%.1f\n",
		       (unsigned long long)count, (unsigned long long)got,
		       (unsigned long long)(count - got), (double)p50 / 1e3, (double)p99 / 1e3,
		       got ? (double)rtt[0] / 1e3 : 0.0, got ? (double)rtt[got - 1] / 1e3 : 0.0);
	}
	free(rtt);
	return got ? 0 : 1;
}
