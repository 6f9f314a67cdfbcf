# shellcheck shell=bash
# Helpers of the sched-* tests (docs/scheduling.md): where a domain's
# cgroup is and how much CPU it used, read from the cgroup itself.
. "$(dirname "$0")/minios-common.sh"

pvxd_pid() { cat "$PVX_RUNDIR/pvxd.pid"; }

# dom_cgroup NAME: the domain's cgroup directory (empty if none).
dom_cgroup() {
	local id; id=$(pvx domid "$1") || return 1
	find /sys/fs/cgroup -maxdepth 7 -type d -path "*/pvx/pvxd-$(pvxd_pid)/d$id" \
		2>/dev/null | head -n 1
}

need_cgroup() {
	[ -n "$(find /sys/fs/cgroup -maxdepth 5 -type d -path "*/pvx/pvxd-$(pvxd_pid)" \
		2>/dev/null | head -n 1)" ] || skip "no usable cgroup cpu controller here"
}

# cg_usage_ns DIR: CPU time of the cgroup's tasks (v2: cpu.stat; v1: the
# sum over its threads of /proc/T/task/T/stat utime+stime).
cg_usage_ns() {
	if [ -f "$1/cpu.stat" ] && grep -q '^usage_usec' "$1/cpu.stat"; then
		awk '/^usage_usec/ { printf "%d\n", $2 * 1000 }' "$1/cpu.stat"
		return
	fi
	local hz t sum=0 v
	hz=$(getconf CLK_TCK)
	for t in $(cat "$1/tasks" 2>/dev/null); do
		v=$(sed 's/.*) //' "/proc/$t/task/$t/stat" 2>/dev/null | awk '{ print $12 + $13 }')
		sum=$((sum + ${v:-0}))
	done
	echo $((sum * 1000000000 / hz))
}

# spin_guest NAME [key=value ...]: a CPU-bound guest, running.
spin_guest() {
	local name=$1
	shift
	minios_create "$name" "spin" "$@"
	wait_console "$name" 'spin: burning' 30 || fail "$name never started spinning"
}

# ratio A B: A/B with 3 decimals (awk).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b ? a / b : 0 }'; }
# within X LO HI: LO <= X <= HI.
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }
