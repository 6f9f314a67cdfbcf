/*
 * The control thread: acts on the toolstack's control/shutdown requests
 * (poweroff, halt, reboot, and suspend: suspend.c) and acknowledges
 * them as Xen guests do (control.c).
 */
#ifndef MINIOS_CONTROL_H
#define MINIOS_CONTROL_H

/* Starts the thread; xs_init() must have succeeded. 0 or -XEN_ENOMEM. */
int control_start(void);

/* Suspend holds: something that a resume in a new domain cannot rebuild
 * (event channels a program bound itself, a peer that would not follow)
 * is held. While any hold is taken the guest says
 * control/feature-suspend = "0", so `pvx save`/`migrate` refuse at once
 * with that reason, and a `suspend` request that comes anyway is not
 * acknowledged ("'suspend' not acknowledged: WHY"). Counted; why is the
 * latest taker's, a static string. */
void control_hold_suspend(const char *why);
void control_release_suspend(void);

#endif /* MINIOS_CONTROL_H */
