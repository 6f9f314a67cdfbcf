# Two pvx "hosts" for the migration tests (bash; source it): instances A
# (source) and B (target), each with its own run directory and its
# daemons started inside its own network namespace; the namespaces are
# joined by a veth pair (A = $MIG_IP_A, B = $MIG_IP_B). Disk images live
# in $MIG_SHARED, the same path for both (shared storage, as Xen wants).
#   mig_setup                 # both instances; torn down at exit
#   on_a pvx create ...       # a command against A (in A's netns)
#   on_b pvx migrate-receive --listen "$MIG_IP_B:$MIG_PORT" ...
#   mig_log a NAME            # the guest's console log on A
MIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# minios-common.sh finds lib.sh through $0: from another directory
# (tests/bench/migrate) load lib.sh, then minios-common.sh's functions
# without its own source line.
if [ "$(cd "$(dirname "$0")" && pwd)" = "$MIG_DIR" ]; then
	. "$MIG_DIR/minios-common.sh"
else
	. "$MIG_DIR/lib.sh"
	eval "$(grep -v '^\. ' "$MIG_DIR/minios-common.sh")"
fi

MIG_TAG=$$
MIG_NS_A=pvxmigA$MIG_TAG
MIG_NS_B=pvxmigB$MIG_TAG
MIG_NET=10.$((200 + MIG_TAG % 50)).$((MIG_TAG / 50 % 250)).
MIG_IP_A=${MIG_NET}1
MIG_IP_B=${MIG_NET}2
MIG_PORT=7450
MIG_PIDS=()

need_engine() {
	"$PVX" help save >/dev/null 2>&1 ||
		skip "no save/restore engine in this build (pvx save: mig-stream)"
}

mig_netns() {
	[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
	command -v ip >/dev/null || skip "no ip (iproute2)"
	ip netns add "$MIG_NS_A" || skip "cannot create a network namespace"
	ip netns add "$MIG_NS_B" || fail "cannot create $MIG_NS_B"
	ip link add "mga$MIG_TAG" type veth peer name "mgb$MIG_TAG" || fail "no veth"
	ip link set "mga$MIG_TAG" netns "$MIG_NS_A" && ip link set "mgb$MIG_TAG" netns "$MIG_NS_B" ||
		fail "cannot move the veth ends"
	ip -n "$MIG_NS_A" addr add "$MIG_IP_A/24" dev "mga$MIG_TAG"
	ip -n "$MIG_NS_B" addr add "$MIG_IP_B/24" dev "mgb$MIG_TAG"
	local ns
	for ns in "$MIG_NS_A" "$MIG_NS_B"; do ip -n "$ns" link set lo up; done
	ip -n "$MIG_NS_A" link set "mga$MIG_TAG" up && ip -n "$MIG_NS_B" link set "mgb$MIG_TAG" up ||
		fail "cannot bring the veth up"
}

# on_a|on_b CMD...: CMD with that instance's run dir, inside its netns.
# `pvx` is lib.sh's wrapper (it adds type= to create).
on_a() { PVX_RUNDIR=$MIG_A PVX_LOGDIR=$MIG_A/log ip netns exec "$MIG_NS_A" "$@"; }
on_b() { PVX_RUNDIR=$MIG_B PVX_LOGDIR=$MIG_B/log ip netns exec "$MIG_NS_B" "$@"; }
# The same without entering the netns, for shell functions (pvx, waits).
with_a() { PVX_RUNDIR=$MIG_A PVX_LOGDIR=$MIG_A/log "$@"; }
with_b() { PVX_RUNDIR=$MIG_B PVX_LOGDIR=$MIG_B/log "$@"; }
mig_log() { if [ "$1" = a ]; then echo "$MIG_A/log/console/$2.log"; else echo "$MIG_B/log/console/$2.log"; fi; }

mig_setup() {
	need_type
	need_minios
	need_bins pvx pvxd pvxstored pvx-consoled pvx-blkback
	MIG_A=$(mktemp -d /tmp/pvx-migA.XXXXXX)
	MIG_B=$(mktemp -d /tmp/pvx-migB.XXXXXX)
	MIG_SHARED=$(mktemp -d /tmp/pvx-migS.XXXXXX)
	trap mig_teardown EXIT
	mig_netns
	on_a "$PVX" daemons start >/dev/null || fail "daemons of A did not start"
	on_b "$PVX" daemons start >/dev/null || fail "daemons of B did not start"
}

mig_teardown() {
	local rc=$? p d
	for p in "${MIG_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	for d in "$MIG_A" "$MIG_B"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		if [ $rc -ne 0 ]; then
			echo "== logs of $d"
			tail -n 15 "$d"/log/*.log "$d"/log/console/*.log 2>/dev/null
		fi
		PVX_RUNDIR=$d "$PVX" daemons stop >/dev/null 2>&1
		for p in "$d"/*.pid; do [ -e "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null; done
		rm -rf "$d"
	done
	[ -n "${MIG_SHARED:-}" ] && rm -rf "$MIG_SHARED"
	ip netns del "$MIG_NS_A" 2>/dev/null
	ip netns del "$MIG_NS_B" 2>/dev/null
	return $rc
}

# mig_guest NAME CMDLINE MEM [disk spec]: a minios on A, on_poweroff=preserve.
mig_guest() {
	local name=$1 cmdline=$2 mem=$3 disk=${4:-}
	with_a minios_create "$name" "$cmdline" "memory=$mem" on_poweroff=preserve \
		${disk:+"disk=[ '$disk' ]"}
}

# mig_receiver [ARGS]: starts `migrate-receive --listen` on B in the
# background; sets MIG_TOKEN and MIG_RX (its pid), its output in $MIG_B/rx.out.
mig_receiver() {
	: > "$MIG_B/rx.out"
	# exec: $! is then the receiver itself (ip netns exec execs too), so
	# that killing it kills the receiver, not a subshell.
	(exec env PVX_RUNDIR="$MIG_B" PVX_LOGDIR="$MIG_B/log" ip netns exec "$MIG_NS_B" \
		"$PVX" migrate-receive --listen "$MIG_IP_B:$MIG_PORT" --timeout 5 "$@" \
		> "$MIG_B/rx.out" 2> "$MIG_B/rx.err") &
	MIG_RX=$!
	MIG_PIDS+=("$MIG_RX")
	for _ in $(seq 1 100); do
		MIG_TOKEN=$(sed -n 's/^token //p' "$MIG_B/rx.out")
		[ -n "$MIG_TOKEN" ] && return 0
		sleep 0.05
	done
	cat "$MIG_B/rx.err" >&2
	fail "migrate-receive printed no token"
}

# last_counter LOG: the last "counter N" memcounter printed.
last_counter() { sed -nE 's/^counter ([0-9]+) checksum.*/\1/p' "$1" | tail -n 1; }

# still_running_on_a NAME: its console keeps printing on A and A lists it
# running (the failure-path tests' verdict).
still_running_on_a() {
	local log before
	log=$(mig_log a "$1")
	[ "$(with_a domain_json_field "$1" state)" = running ] ||
		fail "$1 is not running on A after the failed migration: $(with_a domain_json_field "$1" state)"
	before=$(last_counter "$log")
	wait_file "$log" "^counter $((before + 3)) " 10 ||
		fail "$1's console on A stopped at counter $before"
	with_b pvx domid "$1" >/dev/null 2>&1 && fail "$1 exists on B too"
	note "$1 still runs on A (counter $before -> $((before + 3)))"
}

# mig_tcp NAME [migrate options]: migrates NAME from A to B over TCP with
# a fresh receiver; the JSON figures in $MIG_B/mig.json.
mig_tcp() {
	local name=$1 out
	shift
	mig_receiver
	out=$(on_a "$PVX" migrate --json --timeout 10 "$@" --tcp "$MIG_IP_B:$MIG_PORT" \
		--token "$MIG_TOKEN" "$name" 2>&1 >"$MIG_B/mig.json") ||
		fail "migrate $name failed: $out $(cat "$MIG_B/mig.json") / receiver: $(cat "$MIG_B/rx.err")"
	wait "$MIG_RX" || fail "the receiver failed: $(cat "$MIG_B/rx.err")"
}

# json_field FILE KEY
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# arrived NAME: gone from A, running on B, its xenstore home readable
# there, its console on B going on.
arrived() {
	local name=$1 id
	with_a pvx domid "$name" >/dev/null 2>&1 && fail "$name is still on A after the migration"
	[ "$(with_b domain_json_field "$name" state)" = running ] ||
		fail "$name is not running on B: $(with_b domain_json_field "$name" state)"
	id=$(with_b pvx domid "$name") || fail "no domid for $name on B"
	[ "$(with_b pvx xenstore read "/local/domain/$id/name")" = "$name" ] ||
		fail "$name: xenstore /local/domain/$id/name unreadable on B"
	note "$name arrived on B as domain $id: downtime $(json_field "$MIG_B/mig.json" downtime_ms) ms," \
		"$(json_field "$MIG_B/mig.json" rounds) rounds, $(json_field "$MIG_B/mig.json" bytes) bytes"
}

# wait_num LOG SED-REGEX MIN SECONDS: waits until the last number the
# regex captures in LOG is >= MIN.
wait_num() {
	local deadline=$((SECONDS + $4)) v
	while [ $SECONDS -lt $deadline ]; do
		v=$(sed -nE "s/$2/\\1/p" "$1" 2>/dev/null | tail -n 1)
		[ -n "$v" ] && [ "$v" -ge "$3" ] && return 0
		sleep 0.1
	done
	echo "$1: /$2/ reached ${v:-nothing}, not $3, within $4 s" >&2
	return 1
}

# mig_throttle RATE: A's side of the link sends at most RATE (tc tbf), so
# that a stream lasts long enough to be cut in the middle.
mig_throttle() {
	tc -n "$MIG_NS_A" qdisc add dev "mga$MIG_TAG" root tbf rate "$1" burst 64kb latency 100ms ||
		skip "no tc tbf to slow the link"
}
