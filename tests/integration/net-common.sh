# shellcheck shell=bash
# Helpers shared by the net-* integration tests (sourced, not run): each
# test re-executes itself in a network namespace of its own (unshare -n),
# so bridges, TAPs and addresses never touch the host's network or
# another test's; then a private pvx instance with pvx-netback, the
# bridge pvxbr0 with Dom0's address 10.0.0.1/24 on it, and minios guests
# running the net programs (docs/network.md). pvx-udptool
# (tests/bench/udp_tool.c) is Dom0's end of the traffic.

if [ -z "${PVX_NET_NETNS:-}" ]; then
	unshare -n true 2>/dev/null || { echo "SKIP: cannot create a network namespace (unshare -n)"; exit 77; }
	PVX_NET_NETNS=$$ exec unshare -n "$0" "$@"
fi
ip link set lo up || { echo "FAIL: cannot bring lo up in the test's namespace" >&2; exit 1; }

. "$(dirname "$0")/minios-common.sh"

UDPTOOL=$PWD/$O/tests/pvx-udptool
NET_BR=pvxbr0
NET_DOM0_IP=10.0.0.1

# net_start: skips unless the network pieces are built; else the
# instance, pvx-netback ready on its socket, and the bridge with Dom0's
# address on it (made here first: pvx-netback uses a bridge it finds).
net_start() {
	need_minios
	need_bins pvx pvxd pvxstored pvx-netback
	[ -x "$UDPTOOL" ] || skip "$UDPTOOL not built"
	command -v python3 >/dev/null || skip "python3 missing (build/install-deps)"
	ip link add "$NET_BR" type bridge || fail "cannot create bridge $NET_BR"
	{ ip addr add "$NET_DOM0_IP/24" dev "$NET_BR" && ip link set "$NET_BR" up; } ||
		fail "cannot configure $NET_BR"
	pvx_instance_start
	trap net_stop EXIT
	netback_wait_ready
}

# netback_wait_ready: pvx-netback's pid file names a live process and its
# stats socket answers (10 s at most).
netback_wait_ready() {
	local pid
	for _ in $(seq 1 200); do
		pid=$(netback_pid)
		[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && net_stats >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	fail "pvx-netback is not running with its socket $PVX_RUNDIR/$NET_SOCK_NAME"
}
NET_SOCK_NAME=netback.sock

# Fails the test if a sanitizer (SANITIZE=1 builds) reported anything.
net_stop() {
	local rc=$?
	[ -n "${PVX_RUNDIR:-}" ] && "$PVX" daemons stop >/dev/null 2>&1
	if [ -n "${PVX_LOGDIR:-}" ] && grep -qE "ERROR: AddressSanitizer|runtime error:|LeakSanitizer" \
		"$PVX_LOGDIR"/pvx-netback.stderr.log 2>/dev/null; then
		echo "FAIL: sanitizer report in pvx-netback.stderr.log" >&2
		grep -A20 -E "ERROR: AddressSanitizer|runtime error:|LeakSanitizer" \
			"$PVX_LOGDIR"/pvx-netback.stderr.log | head -40 >&2
		[ $rc -eq 0 ] && rc=1
	fi
	if [ $rc -ne 0 ] && [ -n "${PVX_LOGDIR:-}" ]; then
		echo "== pvx-netback.log (last 30 lines)"
		tail -n 30 "$PVX_LOGDIR/pvx-netback.log" 2>/dev/null
	fi
	(exit $rc)
	pvx_instance_stop
}

netback_pid() { cat "$PVX_RUNDIR/pvx-netback.pid" 2>/dev/null; }
netback_log() { echo "$PVX_LOGDIR/pvx-netback.log"; }

# netback_signal SIG: signals pvx-netback and waits until it is gone.
netback_signal() {
	local pid; pid=$(netback_pid)
	kill -"$1" "$pid" || fail "no pvx-netback to signal ($1)"
	for _ in $(seq 1 200); do
		kill -0 "$pid" 2>/dev/null || return 0
		grep -qE '^[0-9]+ \(.*\) Z' "/proc/$pid/stat" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "pvx-netback $pid did not exit on SIG$1"
}

# net_stats: pvx-netback's stats lines (netif.h: "stats\n" on its socket).
net_stats() {
	python3 - "$PVX_RUNDIR/$NET_SOCK_NAME" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(b"stats\n")
data = b""
while not data.endswith(b"\n\n") and data != b"\n":
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode())
PY
}

# net_stat DOMID DEVID KEY: one counter of one vif (empty if absent).
net_stat() {
	net_stats | sed -nE "/(^| )domid=$1 devid=$2( |$)/s/.*(^| )$3=([^ ]+).*/\\2/p" | head -n 1
}

# net_mac N: a MAC for guest number N (Xen's OUI, as xl uses).
net_mac() { printf '00:16:3e:00:00:%02x' "$1"; }

# net_guest NAME "CMDLINE" N [more vif specs...]: a minios guest with one
# vif on the bridge, MAC net_mac N and address 10.0.0.N/24.
net_guest() {
	local name=$1 cmdline=$2 n=$3 vifs
	shift 3
	vifs="'mac=$(net_mac "$n"),bridge=$NET_BR,ip=10.0.0.$n/24'"
	for v in "$@"; do vifs="$vifs, '$v'"; done
	minios_create "$name" "$cmdline" memory=64 on_poweroff=preserve "vif=[ $vifs ]"
}

# net_wait_up NAME [SECONDS]: the guest's netfront says its vif is up.
net_wait_up() {
	wait_console "$1" "^net: vif [0-9]+ mac .* up" "${2:-40}" || fail "$1: no vif came up"
}

# net_verdict NAME PROGRAM SECONDS: waits for the verdict; 0 if PASS.
net_verdict() {
	wait_console "$1" "^(PASS|FAIL) $2" "$3" || fail "$1: no $2 verdict within $3 s"
	grep -E "^(PASS|FAIL) $2" "$(console_log "$1")"
	grep -q "^PASS $2" "$(console_log "$1")"
}

# field LINE KEY: the value of KEY=VALUE in LINE.
field() { sed -nE "s/.*(^| )$2=([^ ]+).*/\\2/p" <<<"$1"; }

# expect LINE KEY VALUE WHAT: fails unless KEY=VALUE in LINE.
expect() {
	[ "$(field "$1" "$2")" = "$3" ] || fail "$4: $2 is '$(field "$1" "$2")', want $3 ($1)"
}

# tap_of NAME [DEVID]: the TAP pvx-netback made for the domain's vif.
tap_of() { printf 'vif%s.%s' "$(pvx domid "$1")" "${2:-0}"; }

# bridge_has TAP: 0 if TAP is a port of the bridge.
bridge_has() { ip -o link show master "$NET_BR" 2>/dev/null | grep -q ": $1[:@]"; }

fd_count() { local f=(/proc/"$1"/fd/*); echo ${#f[@]}; }
