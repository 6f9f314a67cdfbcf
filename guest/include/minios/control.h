/*
 * The control thread: acts on the toolstack's control/shutdown requests
 * (poweroff, halt, reboot, and suspend: suspend.c) and acknowledges
 * them as Xen guests do (control.c).
 */
#ifndef MINIOS_CONTROL_H
#define MINIOS_CONTROL_H

/* Starts the thread; xs_init() must have succeeded. 0 or -XEN_ENOMEM. */
int control_start(void);

#endif /* MINIOS_CONTROL_H */
