/*
 * pvx console [-t pv] DOMAIN: attach the terminal to a domain's PV
 * console through pvx-consoled (docs/console.md).
 *
 * The output shown starts with the replayed tail of the console log, so
 * what the guest printed before we attached is not lost, then goes on
 * live. Keystrokes go to the guest if we hold the one read-write
 * attachment (else we say once that we are read-only). Ctrl-] detaches;
 * the command also ends when the domain is gone (pvx-consoled closes the
 * stream). When stdin is a terminal it is put in raw mode (output
 * post-processing kept, so a guest's bare '\n' still starts a new line)
 * and restored on every way out, signals included. stdin that is not a
 * terminal works too: it is sent as input until EOF, then we keep
 * showing output until the domain is gone or we are killed.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <pvx/consoled.h>
#include <pvx/ctlclient.h>

#include "cmd.h"

#define ESCAPE_CHAR 0x1d   /* Ctrl-] */

static struct termios saved_tio;
static bool tio_saved;

static void restore_tty(void)
{
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	tio_saved = false;
}

static void on_signal(int sig)
{
	restore_tty();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void raw_tty(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio))
		return;
	t = saved_tio;
	cfmakeraw(&t);
	t.c_oflag |= OPOST;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t))
		return;
	tio_saved = true;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Keystrokes: forward up to Ctrl-]; 1 = detach, -1 = stdin done. */
static int from_stdin(int sock, bool rw)
{
	char buf[1024], *esc;
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return -1;
	esc = memchr(buf, ESCAPE_CHAR, (size_t)n);
	if (esc)
		n = esc - buf;
	if (rw && n > 0 && write_all(sock, buf, (size_t)n))
		return 1;
	return esc ? 1 : 0;
}

/* Guest output to stdout; 1 when the stream ended. */
static int from_console(int sock)
{
	char buf[4096];
	ssize_t n = read(sock, buf, sizeof(buf));

	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return 1;
	return write_all(STDOUT_FILENO, buf, (size_t)n) ? 1 : 0;
}

static void pump(int sock, bool rw)
{
	struct pollfd p[2] = {
		{ .fd = sock, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	int nfds = 2;

	for (;;) {
		if (poll(p, (nfds_t)nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[0].revents && from_console(sock))
			return;
		if (nfds == 2 && p[1].revents) {
			int r = from_stdin(sock, rw);

			if (r > 0)
				return;
			if (r < 0)
				nfds = 1;   /* stdin done: keep showing output */
		}
	}
}

static int attach_err(const char *dom, int rc)
{
	if (rc == -ENOENT || rc == -ECONNREFUSED)
		pvx_err("pvx-consoled is not running for %s (try: pvx daemons start)",
			pvx_rundir());
	else if (rc == -ESRCH)
		pvx_err("'%s' has no console served by pvx-consoled", dom);
	else
		pvx_err("cannot attach to the console of '%s': %s", dom, strerror(-rc));
	return 1;
}

/* Copies a domain's console log (<logdir>/console/NAME.log) to stdout. */
static int show_log(const char *name)
{
	char path[PATH_MAX], buf[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/console/%s.log", pvx_logdir(), name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return 0;
}

/* Attaches to dom's console until it ends or Ctrl-]. after_create: the
 * domain was just created, and may already be gone (a pv guest can run
 * a short program in ~10 ms): its console log, complete because
 * pvx-consoled served the ring before the first instruction, is then
 * what it printed. */
static int console_session(const char *dom, bool after_create)
{
	struct pvx_ctl *c;
	int32_t domid;
	int rc, sock = -1;
	bool rw = false;

	c = pvx_connect();
	if (!c)
		return 1;
	/* Just created and already gone is not an error: see above. */
	rc = after_create ? pvx_ctl_lookup(c, dom, &domid) : pvx_resolve(c, dom, &domid);
	pvx_ctl_close(c);
	if (rc && !after_create)
		return 1;
	if (rc == 0)
		rc = pvx_consoled_attach(domid, true, &rw, &sock);
	if (rc && after_create && (rc == -ESRCH || rc == -ENOENT) && show_log(dom) == 0)
		return 0;
	if (rc)
		return attach_err(dom, rc);
	if (!rw)
		fprintf(stderr, "pvx: another session holds the input of '%s'; "
			"this one is read-only\n", dom);
	signal(SIGPIPE, SIG_IGN);
	raw_tty();
	pump(sock, rw);
	restore_tty();
	close(sock);
	return 0;
}

int pvx_console_after_create(const char *name)
{
	return console_session(name, true);
}

int cmd_console(int argc, char **argv)
{
	int opt;

	optind = 0;
	while ((opt = getopt(argc, argv, "+t:n:")) != -1) {
		if (opt == 't' && strcmp(optarg, "pv"))
			return pvx_usage_err(argv[0], "console type '%s' is not supported:"
					     " pvx guests have the pv console only", optarg);
		if (opt == 'n' && strcmp(optarg, "0"))
			return pvx_usage_err(argv[0], "only console 0 exists");
		if (opt == '?')
			return pvx_opt_err(argv[0], "t:n:", argv);
	}
	if (argc - optind != 1)
		return pvx_usage_err(argv[0], "expected exactly one domain");
	return console_session(argv[optind], false);
}
