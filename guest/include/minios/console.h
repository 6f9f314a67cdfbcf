/*
 * Console output. Until console_ring_init() finds the PV console ring
 * (HVM_PARAM_CONSOLE_PFN/EVTCHN), text goes to the hypervisor log through
 * console_io(CONSOLEIO_write) ("pvx dmesg"). Afterwards it goes to the
 * ring, which pvx-consoled drains into the console log, and by default is
 * mirrored to console_io as well (console=ring turns the mirror off).
 * Nothing is ever dropped: a full ring means notify the backend and wait.
 */
#ifndef MINIOS_CONSOLE_H
#define MINIOS_CONSOLE_H

#include <stddef.h>

#include <xen/public/event_channel.h>

enum console_mode {
	CONSOLE_BOTH,   /* ring once mapped, plus console_io (default) */
	CONSOLE_RING,   /* ring once mapped, console_io only before */
	CONSOLE_XEN,    /* console_io only, never the ring */
};

void console_set_mode(enum console_mode mode);
/* Maps the PV console ring; 0, or a negative Xen errno (then console_io
 * stays the only output). */
int console_ring_init(void);
int console_ring_active(void);
/* After resuming in a new domain: the ring's page and port read again. */
int console_ring_resume(void);
/* Does console_write() also go to console_io (the hypervisor log)? */
int console_reaches_xen(void);
void console_write(const char *buf, size_t len);
/* Input from the ring (what pvx console sends): copies up to len bytes
 * that are there, without waiting; their count or a negative Xen errno.
 * Wait for more with evtchn_wait_until(console_port(), ...). */
int console_read(char *buf, size_t len);
evtchn_port_t console_port(void);
/* Waits until the backend consumed everything written to the ring
 * (bounded); used before shutdown so the last lines are not lost. */
void console_flush(void);

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* MINIOS_CONSOLE_H */
