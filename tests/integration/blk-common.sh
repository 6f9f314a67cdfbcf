# shellcheck shell=bash
# Helpers shared by the blk-* integration tests (sourced, not run): a
# private pvx instance with pvx-blkback, sparse disk images in its run
# directory, minios guests running the blk-* programs (docs/block.md).

. "$(dirname "$0")/minios-common.sh"

blk_start() {
	need_minios
	need_bins pvx-blkback pvxstored
	pvx_instance_start
	trap blk_stop EXIT
	[ -n "$(blkback_pid)" ] || fail "pvx-blkback did not start"
}

# Fails the test if a sanitizer (SANITIZE=1 builds) reported anything,
# including leaks, which LeakSanitizer reports when the daemon exits.
blk_stop() {
	local rc=$?
	[ -n "${PVX_RUNDIR:-}" ] && "$PVX" daemons stop >/dev/null 2>&1
	if [ -n "${PVX_LOGDIR:-}" ] && grep -qE "ERROR: AddressSanitizer|runtime error:|LeakSanitizer" \
		"$PVX_LOGDIR"/pvx-blkback.stderr.log 2>/dev/null; then
		echo "FAIL: sanitizer report in pvx-blkback.stderr.log" >&2
		grep -A20 -E "ERROR: AddressSanitizer|runtime error:|LeakSanitizer" \
			"$PVX_LOGDIR"/pvx-blkback.stderr.log | head -40 >&2
		[ $rc -eq 0 ] && rc=1
	fi
	[ -n "${PVX_RUNDIR:-}" ] && rm -rf "/dev/shm/${PVX_RUNDIR##*/}"
	(exit $rc)
	pvx_instance_stop
}

blkback_pid() { cat "$PVX_RUNDIR/pvx-blkback.pid" 2>/dev/null; }

# blkback_signal SIG: kill_wait (lib.sh) for pvx-blkback.
blkback_signal() {
	kill_wait "$1" "$(blkback_pid)" pvx-blkback
}

# blk_image NAME SIZE: a sparse image in the run dir; prints its path.
blk_image() {
	local img=$PVX_RUNDIR/$1.img
	truncate -s "$2" "$img" || fail "cannot create $img"
	echo "$img"
}

# blk_shm_image NAME SIZE: the same on tmpfs (a directory in /dev/shm
# named after the run dir, removed by blk_stop); prints its path.
blk_shm_image() {
	local dir=/dev/shm/${PVX_RUNDIR##*/}
	mkdir -p "$dir" && truncate -s "$2" "$dir/$1.img" || fail "cannot create $dir/$1.img"
	echo "$dir/$1.img"
}

# blk_guest NAME "CMDLINE" [DISKSPEC ...]: a minios guest with those disks.
blk_guest() {
	local name=$1 cmdline=$2 disks="" d
	shift 2
	for d in "$@"; do disks="$disks${disks:+, }'$d'"; done
	minios_create "$name" "$cmdline" memory=64 on_poweroff=preserve "disk=[ $disks ]"
}

# blk_verdict NAME PROGRAM SECONDS: waits for the program's verdict; 0 if PASS.
blk_verdict() {
	wait_console "$1" "^(PASS|FAIL) $2" "$3" || fail "$1: no $2 verdict within $3 s"
	grep -E "^(blk|PASS|FAIL)" "$(console_log "$1")"
	grep -q "^PASS $2" "$(console_log "$1")"
}

# blk_still_running NAME PROGRAM WHAT: fails the test if NAME's PROGRAM
# already has its verdict, i.e. WHAT (a backend stop meant to land in the
# middle of its I/O) came too late to test anything. A 256 MiB verify
# takes ~0.35 s here; the tests act 0.1 s after the guest connected.
blk_still_running() {
	! grep -qE "^(PASS|FAIL) $2" "$(console_log "$1")" ||
		fail "$1 finished $2 before $3: the test did not interrupt its I/O"
}

# blk_check_pattern IMAGE SEED BYTES: the host reads IMAGE and checks the
# guest's pattern (blk_util.c: splitmix64 of seed ^ word index) at the
# start, the end and 62 places between.
blk_check_pattern() {
	python3 - "$@" <<'PY'
import struct, sys
img, seed, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
M = (1 << 64) - 1
def mix(x):
    x = (x + 0x9E3779B97F4A7C15) & M
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M
    return x ^ (x >> 31)
with open(img, "rb") as f:
    for k in range(64):
        off = (size - 8) * k // 63 // 8 * 8
        f.seek(off)
        got = struct.unpack("<Q", f.read(8))[0]
        want = mix(seed ^ (off // 8))
        if got != want:
            sys.exit("pattern mismatch at byte %d: %016x, want %016x" % (off, got, want))
PY
}
