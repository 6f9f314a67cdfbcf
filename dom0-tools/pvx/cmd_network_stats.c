/*
 * pvx-netback's statistics socket, client side (protocol in
 * pv-drivers/net/netif.h): connect to <rundir>/netback.sock, write
 * "stats\n", read one `key=value ...` line per vif until an empty line
 * or EOF. Unknown keys are skipped, as the contract asks; a daemon that
 * is not running is not an error for the callers (`pvx list --json`
 * then shows no counters). The answer is bounded and the socket has a
 * timeout, so a wedged daemon cannot hang `pvx list`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <netif.h>
#include <pvx/ctlclient.h>

#include "cmd_network.h"

#define STATS_MAX_BYTES (1u << 20)
#define STATS_TIMEOUT_S 2

static uint64_t *counter(struct pvx_net_stats *s, const char *key)
{
	static const char *const names[] = {
		"tx_packets", "tx_bytes", "tx_errors", "tx_dropped",
		"rx_packets", "rx_bytes", "rx_errors", "rx_dropped",
	};
	uint64_t *fields[] = {
		&s->tx_packets, &s->tx_bytes, &s->tx_errors, &s->tx_dropped,
		&s->rx_packets, &s->rx_bytes, &s->rx_errors, &s->rx_dropped,
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(key, names[i]))
			return fields[i];
	return NULL;
}

static bool number(const char *v, unsigned long long *out)
{
	char *end;

	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	*out = strtoull(v, &end, 10);
	return !*end && errno == 0;
}

bool pvx_net_stats_parse(const char *line, struct pvx_net_stats *s)
{
	char buf[1024], *save = NULL, *tok, *eq;
	bool dom = false, dev = false;
	unsigned long long n;
	uint64_t *c;

	memset(s, 0xff, sizeof(*s));
	if (strlen(line) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq++ = '\0';
		if (!number(eq, &n))
			continue;
		if (!strcmp(tok, "domid") && n <= INT32_MAX) {
			s->domid = (int32_t)n;
			dom = true;
		} else if (!strcmp(tok, "devid") && n < PVX_NET_MAX_VIFS) {
			s->devid = (uint32_t)n;
			dev = true;
		} else if ((c = counter(s, tok))) {
			*c = n;
		}
	}
	return dom && dev;
}

static int connect_daemon(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { STATS_TIMEOUT_S, 0 };
	int fd;

	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", pvx_rundir(),
		     PVX_NET_CTL_SOCK) >= (int)sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

/* The whole answer, NUL-terminated, up to the empty line. */
static int read_answer(int fd, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *end;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len + 1 >= cap) {
			char *nb = cap < STATS_MAX_BYTES ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				free(buf);
				return -E2BIG;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int rc = -errno;
			free(buf);
			return rc;
		}
		len += (size_t)r;
		buf[len] = '\0';
		if (r == 0 || strstr(buf, "\n\n") || !strcmp(buf, "\n"))
			break;
	}
	end = strstr(buf, "\n\n");
	if (end)
		end[1] = '\0'; /* the empty line ends the answer */
	*out = buf;
	return 0;
}

int pvx_net_stats_read(struct pvx_net_stats **v, size_t *n)
{
	struct pvx_net_stats *arr = NULL, one;
	char *answer = NULL, *line, *save = NULL;
	size_t k = 0, cap = 0;
	int fd = connect_daemon(), rc;

	if (fd < 0)
		return fd;
	rc = write(fd, "stats\n", 6) == 6 ? 0 : -EIO;
	if (rc == 0)
		rc = read_answer(fd, &answer);
	close(fd);
	for (line = rc ? NULL : strtok_r(answer, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!pvx_net_stats_parse(line, &one))
			continue;
		if (k == cap) {
			struct pvx_net_stats *na = realloc(arr, (cap ? cap * 2 : 16) * sizeof(*na));
			if (!na) {
				rc = -ENOMEM;
				break;
			}
			arr = na;
			cap = cap ? cap * 2 : 16;
		}
		arr[k++] = one;
	}
	free(answer);
	if (rc < 0) {
		free(arr);
		return rc;
	}
	*v = arr;
	*n = k;
	return 0;
}
