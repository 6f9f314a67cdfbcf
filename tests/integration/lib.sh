# Shared helpers for integration tests (bash). Source it from a test:
#   . "$(dirname "$0")/lib.sh"
#   pvx_instance_start           # private run dir + daemons, torn down at exit
#   pvx create examples/minios.cfg name=t1 ...
#   wait_console t1 'minios: ready' 10
# Tests run from the repository root (make check's cwd). $O is the build
# output directory (out, or out/san with SANITIZE=1).

set -u
O=${O:-out}
BIN=$PWD/$O/bin
GUEST=$PWD/out/guest  # guests are built in out/ in every mode
PVX=$BIN/pvx

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "-- $*"; }

# `pvx create CFG ...` gets type="$PVX_TEST_TYPE" appended (a command-line
# override, so it wins over the file); everything else goes through as is.
pvx() {
	if [ "${1:-}" = create ] && [ $# -gt 1 ]; then
		"$PVX" "$@" "type=\"$PVX_TEST_TYPE\""
	else
		"$PVX" "$@"
	fi
}

# kvm_usable: /dev/kvm is the KVM device (char 10:232, not something
# bind-mounted over it) and opens read-write.
kvm_usable() {
	[ -c /dev/kvm ] && [ "$(stat -Lc %t:%T /dev/kvm)" = a:e8 ] &&
		[ -r /dev/kvm ] && [ -w /dev/kvm ]
}

need_kvm() {
	kvm_usable || skip "no usable /dev/kvm"
}

# The guest type this run's `pvx create`s use (xl.cfg `type`): set by
# build/run-tests for tests marked "# runs on: every guest type", else pvh
# where KVM is usable and pv elsewhere.
if [ -z "${PVX_TEST_TYPE:-}" ]; then
	if kvm_usable; then PVX_TEST_TYPE=pvh; else PVX_TEST_TYPE=pv; fi
fi
export PVX_TEST_TYPE

# need_type: skips where this run's type cannot run (pvh without KVM).
need_type() {
	[ "$PVX_TEST_TYPE" = pv ] || kvm_usable || skip "type pvh needs a usable /dev/kvm"
}

need_bins() {
	local b
	for b in "$@"; do [ -x "$BIN/$b" ] || skip "$BIN/$b not built"; done
}

# Starts pvxd, pvxstored and pvx-consoled for a private run directory and
# arranges for them to be stopped, and the directory removed, at exit.
pvx_instance_start() {
	need_type
	need_bins pvx pvxd
	PVX_RUNDIR=$(mktemp -d /tmp/pvx-test.XXXXXX)
	export PVX_RUNDIR PVX_LOGDIR=$PVX_RUNDIR/log
	trap pvx_instance_stop EXIT
	pvx daemons start >/dev/null || fail "pvx daemons start failed"
}

pvx_instance_stop() {
	local rc=$?
	[ -n "${PVX_RUNDIR:-}" ] || return $rc
	"$PVX" daemons stop >/dev/null 2>&1
	# Anything still holding the run dir is ours and must not outlive us.
	local pidf
	for pidf in "$PVX_RUNDIR"/*.pid; do
		[ -e "$pidf" ] && kill -9 "$(cat "$pidf")" 2>/dev/null
	done
	if [ $rc -ne 0 ] && [ -d "$PVX_LOGDIR" ]; then
		echo "== logs of $PVX_RUNDIR"
		tail -n 30 "$PVX_LOGDIR"/*.log "$PVX_LOGDIR"/console/*.log 2>/dev/null
	fi
	rm -rf "$PVX_RUNDIR"
	return $rc
}

console_log() { echo "$PVX_LOGDIR/console/$1.log"; }

# wait_console NAME REGEX SECONDS: waits for a line in the guest's console log.
wait_console() {
	local log; log=$(console_log "$1")
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		grep -qE "$2" "$log" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "console of $1 never showed /$2/ within $3 s; it has:" >&2
	tail -n 20 "$log" >&2 2>/dev/null
	return 1
}

# kill_wait SIG PID NAME: sends SIG to PID and waits (10 s at most) until
# it is gone or a zombie, so that a `pvx daemons start` right after does
# not find the dying daemon still "running" (a pvxd with a KVM domain can
# take a while to tear down).
kill_wait() {
	kill -"$1" "$2" || fail "no $3 to signal ($1)"
	for _ in $(seq 1 200); do
		kill -0 "$2" 2>/dev/null || return 0
		grep -qE '^[0-9]+ \(.*\) Z' "/proc/$2/stat" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "$3 ($2) did not exit on SIG$1"
}

# wait_gone NAME SECONDS: waits until the domain is no longer listed.
# A pvx domid that fails means "gone" only while pvxd still answers: a
# crashed pvxd knows no domain either, and that is a failure (exit 1).
wait_gone() {
	local deadline=$((SECONDS + $2)) err
	while [ $SECONDS -lt $deadline ]; do
		if ! err=$(pvx domid "$1" 2>&1 >/dev/null); then
			pvx list >/dev/null 2>&1 ||
				fail "waiting for $1 to go: pvxd does not answer ($err)"
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# grant_maps PID: mappings of guest memory (pvh: memfd pvx-domN, pv:
# pvproc-pages) in a process, and fds on them.
grant_maps() {
	grep -cE "memfd:(pvx-dom|pvproc-pages)" "/proc/$1/maps" 2>/dev/null
	true
}
grant_fds() {
	local f n=0
	for f in /proc/"$1"/fd/*; do
		[[ $(readlink "$f" 2>/dev/null) =~ memfd:(pvx-dom|pvproc-pages) ]] && n=$((n + 1))
	done
	echo $n
}
