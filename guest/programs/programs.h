/* Entry points of the programs in guest/programs/ (the table's rows). */
#ifndef MINIOS_PROGRAMS_PROGRAMS_H
#define MINIOS_PROGRAMS_PROGRAMS_H

int prog_hello(int argc, char **argv);
int prog_timer(int argc, char **argv);
int prog_evtchn_pong(int argc, char **argv);
int prog_evtchn_ping(int argc, char **argv);
int prog_dom0_echo(int argc, char **argv);
int prog_shutdown(int argc, char **argv);
int prog_crash(int argc, char **argv);
int prog_crash_early(int argc, char **argv);
int prog_hostile(int argc, char **argv);
int prog_pvhostile(int argc, char **argv);
int prog_bench_hypercall(int argc, char **argv);
int prog_bench_evtchn(int argc, char **argv);
int prog_upcall(int argc, char **argv);
int prog_threads(int argc, char **argv);
int prog_console_flood(int argc, char **argv);
int prog_probe(int argc, char **argv);
int prog_selftest(int argc, char **argv);
int prog_xenstore(int argc, char **argv);
int prog_xenstore_guest(int argc, char **argv);
int prog_idle(int argc, char **argv);
int prog_memcounter(int argc, char **argv);
int prog_dirtier(int argc, char **argv);
int prog_burn(int argc, char **argv);
int prog_spin(int argc, char **argv);
int prog_console_echo(int argc, char **argv);
int prog_grant_share(int argc, char **argv);
int prog_grant_hold(int argc, char **argv);
int prog_grant_hostile(int argc, char **argv);
int prog_grant_ring(int argc, char **argv);
int prog_bench_ring(int argc, char **argv);
int prog_blk_verify(int argc, char **argv);
int prog_blk_bench(int argc, char **argv);
int prog_blk_hostile(int argc, char **argv);
int prog_blk_hotplug(int argc, char **argv);
int prog_blk_mq(int argc, char **argv);
int prog_net_serve(int argc, char **argv);
int prog_ping(int argc, char **argv);
int prog_udp_source(int argc, char **argv);
int prog_udp_sink(int argc, char **argv);
int prog_net_hostile(int argc, char **argv);
int prog_balloon_test(int argc, char **argv);
int prog_balloon_hostile(int argc, char **argv);

#endif /* MINIOS_PROGRAMS_PROGRAMS_H */
