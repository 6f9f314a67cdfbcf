#!/usr/bin/env bash
# Soak test (make soak, not make check): SOAK_CYCLES (1000) create/destroy
# cycles of a minios guest with a disk and a vif, while hostile guests
# (hostile, net-hostile garbage, blk-hostile, one at a time) come and go
# beside them, and every daemon is killed with -9 once under load and
# restarted with `pvx daemons start`. Leaks show only after many cycles,
# so the end state is compared with the state after a warm-up:
#   - fds and threads of every daemon within SOAK_TOLERANCE (5) % of
#     their value after the warm-up (for a daemon restarted during the
#     run: after its restart plus the warm-up); its anonymous memory
#     (RssAnon), which reaches its high-water mark under the run's peak
#     load, within the tolerance over the second half (end against the
#     midpoint between baseline and end, plus SOAK_ANON_SLACK_KIB (128):
#     the allocator's granularity): a leak grows with the cycles;
#     pvxstored's own accounting (nodes, domains, connections, watches,
#     node bytes) back exactly where it was at its baseline.
#     VmRSS is printed, not judged: it also counts the executable's and
#     libraries' pages, which grow as rarer code paths run once;
#   - no domain, TAP, bridge port, domain cgroup, memfd of guest memory,
#     backend directory or file (run dir, /dev/shm, /tmp/pvx-*) left.
# Runs in a network namespace of its own (unshare -n) like the net-* tests.
# Exit 0 and "SOAK PASS", or 1 and "SOAK FAIL" with every leak listed.

if [ -z "${PVX_NET_NETNS:-}" ]; then
	unshare -n true 2>/dev/null || { echo "SKIP: cannot create a network namespace (unshare -n)"; exit 77; }
	PVX_NET_NETNS=$$ exec unshare -n bash "$0" "$@"
fi
ip link set lo up || { echo "FAIL: cannot bring lo up" >&2; exit 1; }

. "$PWD/tests/integration/lib.sh"
. "$PWD/tests/soak/soak-lib.sh"

CYCLES=${SOAK_CYCLES:-1000}
TOL=${SOAK_TOLERANCE:-5}
# Allowance on RssAnon over the second half: glibc serves allocations of
# 128 KiB and more by mmap and trims the heap top only past 128 KiB, so an
# idle daemon's anonymous memory moves by up to that much with no leak
# (pvx-blkback: 408 to 976 KiB between samples, back and forth).
ANON_SLACK=${SOAK_ANON_SLACK_KIB:-128}
# The warm-up: 20 cycles, fewer for short runs so the kills still fit.
WARM=${SOAK_WARMUP:-$((CYCLES / 10 < 20 ? (CYCLES / 10 < 2 ? 2 : CYCLES / 10) : 20))}
[ "$CYCLES" -ge $((WARM * 2 + 10)) ] || fail "SOAK_CYCLES=$CYCLES is too few (>= $((WARM * 2 + 10)))"
MINIOS_CFG=$PWD/examples/minios.cfg
MINIOS=$PWD/out/guest/minios
[ -f "$MINIOS" ] || skip "$MINIOS not built"
need_bins pvx pvxd pvxstored pvx-consoled pvx-blkback pvx-netback

ip link add "$NET_BR" type bridge && ip addr add 10.0.0.1/24 dev "$NET_BR" &&
	ip link set "$NET_BR" up || fail "cannot create bridge $NET_BR"
shm_before=$(soak_shm_list)
tmp_before=$(soak_tmp_list)
pvx_instance_start
trap soak_stop EXIT
for d in $DAEMONS; do [ -n "$(dpid "$d")" ] || fail "$d did not start"; done
CGDIR=$(soak_cgroup_dir)
note "soak: $CYCLES cycles, type $PVX_TEST_TYPE, warm-up $WARM, tolerance $TOL %, run dir $PVX_RUNDIR"

img=$(soak_image disk 16M)
himg=$(soak_image hdisk 16M)

# Kill schedule: the five kills spread over the first half after the
# warm-up, so the last daemon restarted still has its warm-up and half
# of the run after it before the end.
step=$(((CYCLES / 2 - WARM) / 5))
declare -A KILL_AT BASE_AT
k=0
for d in $DAEMONS; do
	k=$((k + 1))
	KILL_AT[$((WARM + k * step))]=$d
	BASE_AT[$d]=$WARM
done

start=$SECONDS
hostile_n=0
for i in $(seq 1 "$CYCLES"); do
	CYCLE=$i
	soak_hostile_tick "$i"
	soak_cycle "$i" "$img" # the kill scheduled for cycle i lands inside it
	if [ -n "${KILL_AT[$i]:-}" ]; then
		BASE_AT[${KILL_AT[$i]}]=$((i + WARM))
		unset "MID_AT[${KILL_AT[$i]}]" # set again by the new baseline
	fi
	for d in $DAEMONS; do
		[ "${BASE_AT[$d]}" = "$i" ] && soak_baseline "$d" "$i"
		[ "${MID_AT[$d]:-}" = "$i" ] && soak_mid "$d" "$i"
	done
	if [ $((i % (CYCLES > 200 ? 50 : 10))) = 0 ] || [ "$i" = "$CYCLES" ]; then
		echo "cycle $i/$CYCLES, elapsed $((SECONDS - start)) s, hostile guests $hostile_n"
		soak_rss_line
	fi
done
soak_hostile_end
elapsed=$((SECONDS - start))
soak_final_checks "$elapsed"
