/*
 * pvx top's terminal: raw mode (no echo, no line buffering) so a single
 * key acts at once, the alternate screen so the user's scrollback is left
 * as it was, and a restore that runs however we leave: normal return,
 * exit(), or SIGINT/SIGTERM/SIGHUP (which only set a flag; the loop then
 * returns through the normal path). Plain ANSI escapes, no curses.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cmd_top.h"

static struct termios saved;
static bool raw_on;
static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

void pvx_top_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool pvx_top_stop_requested(void)
{
	return stop_flag;
}

void pvx_top_tty_leave(void)
{
	if (!raw_on)
		return;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	fputs("\033[?25h\033[?1049l", stdout); /* cursor back, main screen */
	fflush(stdout);
	raw_on = false;
}

int pvx_top_tty_enter(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -ENOTTY;
	if (tcgetattr(STDIN_FILENO, &saved) < 0)
		return -errno;
	t = saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) < 0)
		return -errno;
	raw_on = true;
	atexit(pvx_top_tty_leave);
	fputs("\033[?1049h\033[?25l", stdout); /* alternate screen, no cursor */
	return 0;
}

void pvx_top_tty_size(unsigned *rows, unsigned *cols)
{
	struct winsize ws;

	*rows = 24;
	*cols = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
}

int pvx_top_tty_key(int ms)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char ch;
	int r;

	if (stop_flag)
		return -1;
	r = poll(&p, 1, ms);
	if (stop_flag)
		return -1;
	if (r <= 0)
		return 0; /* timeout, or EINTR from a harmless signal (SIGWINCH) */
	if (read(STDIN_FILENO, &ch, 1) != 1)
		return -1; /* the terminal went away */
	return ch ? ch : 0;
}
