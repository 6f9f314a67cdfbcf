/*
 * The backends' statistics sockets, client side (stats_sock.h): connect,
 * write "stats\n", read one `key=value ...` line per device until an
 * empty line or EOF.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <pvx/ctlclient.h>

#include "stats_sock.h"

#define STATS_MAX_BYTES (1u << 20)
#define STATS_TIMEOUT_S 2

static int connect_daemon(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { STATS_TIMEOUT_S, 0 };
	int fd, rc;

	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", pvx_rundir(), name) >=
	    (int)sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

/* Grows buf (doubling) up to STATS_MAX_BYTES. */
static int grow(char **buf, size_t *cap)
{
	char *nb = *cap < STATS_MAX_BYTES ? realloc(*buf, *cap * 2) : NULL;

	if (!nb)
		return -E2BIG;
	*buf = nb;
	*cap *= 2;
	return 0;
}

/* The whole answer, NUL-terminated, cut after the empty line. */
static int read_answer(int fd, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *end;
	ssize_t r;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len + 1 >= cap && (rc = grow(&buf, &cap)) < 0)
			break;
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			break;
		}
		len += (size_t)r;
		buf[len] = '\0';
		if (r == 0 || strstr(buf, "\n\n") || !strcmp(buf, "\n"))
			break;
	}
	if (rc < 0) {
		free(buf);
		return rc;
	}
	end = strstr(buf, "\n\n");
	if (end)
		end[1] = '\0';
	*out = buf;
	return 0;
}

int pvx_stats_fetch(const char *name, char **answer)
{
	int fd = connect_daemon(name), rc;

	if (fd < 0)
		return fd;
	rc = write(fd, "stats\n", 6) == 6 ? 0 : -EIO;
	if (rc == 0)
		rc = read_answer(fd, answer);
	close(fd);
	return rc;
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

static uint64_t *field_of(const struct pvx_stats_key *keys, size_t nkeys, const char *name)
{
	for (size_t i = 0; i < nkeys; i++)
		if (!strcmp(keys[i].name, name))
			return keys[i].field;
	return NULL;
}

bool pvx_stats_parse_line(const char *line, uint32_t max_devid, int32_t *domid,
			  uint32_t *devid, const struct pvx_stats_key *keys, size_t nkeys)
{
	char buf[1024], *save = NULL, *tok, *eq;
	bool dom = false, dev = false;
	unsigned long long n;
	uint64_t *c;

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
			*domid = (int32_t)n;
			dom = true;
		} else if (!strcmp(tok, "devid") && n < max_devid) {
			*devid = (uint32_t)n;
			dev = true;
		} else if ((c = field_of(keys, nkeys, tok))) {
			*c = n;
		}
	}
	return dom && dev;
}
