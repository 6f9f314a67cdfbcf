/*
 * pvx migrate-receive [--max-mem SIZE] [--timeout S]
 *     the target side over stdin/stdout (what `pvx migrate DOM HOST` runs
 *     through ssh);
 * pvx migrate-receive --listen ADDR:PORT [...]
 *     direct TCP: prints a one-time token, takes exactly one connection.
 *     A connection with the wrong token ends the receiver (the token is
 *     burnt: no guessing twice); connections that arrive while a
 *     migration is under way are refused with a REFUSE saying so.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "memsize.h"
#include "migrate.h"

struct mr_cli {
	struct pvx_mig_recv_opts ro;
	const char *listen;
	char token[PVX_MIG_TOKEN_HEX + 1];
};

static const struct option mr_longopts[] = {
	{ "listen", required_argument, NULL, 'L' },
	{ "max-mem", required_argument, NULL, 'M' },
	{ "timeout", required_argument, NULL, 'T' },
	{ NULL, 0, NULL, 0 },
};

static int mr_parse(int argc, char **argv, struct mr_cli *m)
{
	char *end;
	long v;
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+", mr_longopts, NULL)) != -1) {
		switch (opt) {
		case 'L': m->listen = optarg; break;
		case 'M':
			if (pvx_parse_mem_kib(optarg, &m->ro.max_mem_kib))
				return pvx_usage_err("migrate-receive", "bad --max-mem '%s'",
						     optarg);
			break;
		case 'T':
			v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > 3600)
				return pvx_usage_err("migrate-receive", "bad --timeout '%s'",
						     optarg);
			m->ro.timeout_s = (int)v;
			break;
		default:
			return pvx_opt_err("migrate-receive", "", argv);
		}
	}
	if (optind != argc)
		return pvx_usage_err("migrate-receive", "unexpected argument '%s'",
				     argv[optind]);
	return 0;
}

static void mr_drain_hello(int fd)
{
	char buf[PVX_MIG_MSG_MAX];
	uint32_t type;

	pvx_mig_recv_msg(fd, 2, &type, buf, sizeof(buf), NULL);
}

/* Runs while a migration is under way: every other connection gets a
 * REFUSE that says why, and a line here. */
static void *mr_refuser(void *arg)
{
	int lfd = (int)(intptr_t)arg;

	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;
		}
		pvx_err("migrate-receive: refused a second connection (one "
			"migration per receiver)");
		/* Its hello first: closing on unread data would reset the
		 * connection and lose the REFUSE. */
		mr_drain_hello(fd);
		pvx_mig_refuse(fd, -EBUSY, "this receiver is busy with another "
			       "migration (it takes one)");
		close(fd);
	}
}

static int mr_listen(struct mr_cli *m, int *fd)
{
	pthread_t t;
	int lfd = pvx_mig_listen(m->listen);

	if (lfd < 0) {
		pvx_err("migrate-receive: cannot listen on %s: %s", m->listen,
			strerror(-lfd));
		return lfd;
	}
	if (pvx_mig_token_new(m->token)) {
		pvx_err("migrate-receive: no random token: %s", strerror(errno));
		close(lfd);
		return -EIO;
	}
	m->ro.token = m->token;
	printf("listening on %s\ntoken %s\n", m->listen, m->token);
	fflush(stdout);
	do
		*fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (*fd < 0 && (errno == EINTR || errno == ECONNABORTED));
	if (*fd < 0) {
		int e = -errno;

		close(lfd);
		return e;
	}
	pvx_mig_sock_timeouts(*fd, m->ro.timeout_s);
	if (pthread_create(&t, NULL, mr_refuser, (void *)(intptr_t)lfd) == 0)
		pthread_detach(t);
	else
		close(lfd);
	return 0;
}

int cmd_migrate_receive(int argc, char **argv)
{
	struct mr_cli m = { .ro = { .timeout_s = 30 } };
	struct pvx_ctl *c;
	int32_t domid = -1;
	int fd = 0, wfd = -1, rc = mr_parse(argc, argv, &m);

	if (rc)
		return rc;
	signal(SIGPIPE, SIG_IGN);
	m.ro.progress = false; /* stderr is the source's, through ssh */
	c = pvx_connect();
	if (!c)
		return 1;
	if (m.listen) {
		rc = mr_listen(&m, &fd);
		wfd = fd;
	} else {
		/* stdout is the channel: anything else printed goes to stderr. */
		wfd = dup(1);
		rc = wfd < 0 || dup2(2, 1) < 0 ? -errno : 0;
	}
	if (rc == 0)
		rc = pvx_mig_recv(&pvx_mig_host_ops, c, fd, wfd, &m.ro, &domid);
	if (rc == 0)
		fprintf(stderr, "pvx: migrate-receive: domain %d running here\n", domid);
	pvx_ctl_close(c);
	return rc != 0;
}
