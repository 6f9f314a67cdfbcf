# shellcheck shell=bash
# Shared by tests/bench/core-bench and tests/bench/lifecycle-bench
# (sourced, not run; docs/performance.md). Both run from the repository
# root against a private pvx instance, like the integration tests whose
# helpers they reuse (tests/integration/lib.sh: instance start and the
# teardown trap, wait_console, wait_gone; the minios helpers below are
# the shape of tests/integration/minios-common.sh, which cannot be sourced
# from here because it finds lib.sh through $0).
#
# Raw results go to "$BENCH_RAW", one `KEY REP VALUE` line per sample;
# the report (medians, percentiles, ratios, JSON) is computed from that
# file by tests/bench/bench-report.py, so the shell only measures.

# shellcheck source=../integration/lib.sh
. tests/integration/lib.sh

MINIOS_CFG=$PWD/examples/minios.cfg
MINIOS=$PWD/out/guest/minios

PROBE=$PWD/$O/bench/lifecycle-probe
HOSTBASE=$PWD/$O/bench/hostbase
REPORT=$PWD/tests/bench/bench-report.py

need_minios() {
	[ -f "$MINIOS" ] || skip "$MINIOS not built"
	[ -f "$MINIOS_CFG" ] || skip "examples/minios.cfg missing"
}

# minios_create NAME "CMDLINE" [key=value ...]: create and start minios
# running CMDLINE.
minios_create() {
	local name=$1 cmdline=$2
	shift 2
	pvx create -q "$MINIOS_CFG" "name=$name" "kernel=$MINIOS" \
		"cmdline=\"$cmdline\"" "$@" || fail "pvx create $name ('$cmdline') failed"
}

# console_field NAME SED_REGEX: the first capture of SED_REGEX in the
# domain's console log (empty if none).
console_field() {
	sed -nE "s/$2/\\1/p" "$(console_log "$1")" 2>/dev/null | head -n 1
}

# The load average at this moment (1, 5, 15 minutes): the machine is
# shared, so every figure is stored with the load it was taken under.
load_now() { cut -d' ' -f1-3 /proc/loadavg; }

# cpu_busy: percent of all CPUs busy over the next second, from
# /proc/stat (everything but idle and iowait): what other users are
# doing right now, a sharper figure than the load average.
cpu_busy() {
	local a b
	a=$(head -n 1 /proc/stat); sleep 1; b=$(head -n 1 /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN {
		n = split(a, x); split(b, y)
		for (i = 2; i <= n; i++) { t += y[i] - x[i] }
		idle = (y[5] - x[5]) + (y[6] - x[6])
		printf "%.0f\n", (t > 0 ? 100 * (t - idle) / t : 0) }'
}

# wait_quiet REP MAX_S: waits (at most MAX_S seconds) until the CPUs are
# less than 25% busy, like the anchors' waitquiet.sh; records the busy
# percentage the round then starts with as sample `busy` of REP.
wait_quiet() {
	local deadline=$((SECONDS + $2)) busy
	busy=$(cpu_busy)
	while [ "$busy" -ge 25 ] && [ $SECONDS -lt $deadline ]; do busy=$(cpu_busy); done
	record busy "$1" "$busy"
}

# record KEY REP VALUE: one sample.
record() { echo "$1 $2 $3" >>"$BENCH_RAW"; }

# record_load REP: the 1-minute load average as the sample `load` of REP.
record_load() { record load "$1" "$(cut -d' ' -f1 /proc/loadavg)"; }

# field LINE NAME: the value of NAME=VALUE in LINE (empty if absent).
field() { sed -nE "s/.*(^| )$2=([^ ]+).*/\\2/p" <<<"$1"; }

# bench_setup: checks what the bench needs, starts the instance, makes
# the raw file. Skips (77) without KVM or binaries, like the tests.
bench_setup() {
	need_minios
	need_bins pvx pvxd pvxstored pvx-consoled
	[ -x "$PROBE" ] || skip "$PROBE not built (make $O/bench/lifecycle-probe)"
	[ -x "$HOSTBASE" ] || skip "$HOSTBASE not built (make $O/bench/hostbase)"
	command -v python3 >/dev/null || skip "python3 missing (build/install-deps)"
	pvx_instance_start
	BENCH_RAW=$PVX_RUNDIR/raw.txt
	: >"$BENCH_RAW"
	NEXT_DOMID=1 # a fresh pvxd hands out domain ids 1, 2, ... in order
}

# bench_create NAME "CMDLINE" [key=value ...]: minios_create that also
# checks the domain got the id the bench predicted (ping-pong peers are
# named by id before they exist).
bench_create() {
	local name=$1 cmdline=$2 out id
	shift 2
	# The id from create's own line: a short program (bench-hypercall on
	# pv) can be gone before a `pvx domid` could ask.
	out=$(pvx create "$MINIOS_CFG" "name=$name" "kernel=$MINIOS" "cmdline=\"$cmdline\"" "$@") ||
		fail "pvx create $name ('$cmdline') failed: $out"
	id=$(sed -nE 's/^Created domain .* \(id ([0-9]+)\)$/\1/p' <<<"$out")
	[ "$id" = "$NEXT_DOMID" ] || fail "$name is domain $id, expected $NEXT_DOMID"
	NEXT_DOMID=$((NEXT_DOMID + 1))
}

# bench_gone NAME: destroys the domain if it is still there (a program
# that ended powers off and its monitor destroys it already).
bench_gone() {
	wait_gone "$1" 3 || pvx destroy "$1" >/dev/null 2>&1 || true
	wait_gone "$1" 5 || fail "$1 is still listed"
}

# bench_info: host facts for the report header.
bench_info() {
	record_meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	record_meta host "$(uname -r), $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
	record_meta kvm "$( [ -d /sys/module/kvm_pvm ] && echo kvm_pvm || echo kvm)"
	record_meta type "$PVX_TEST_TYPE"
	record_meta commit "${PVX_BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
	record_meta load_start "$(load_now)"
	record ncpu 0 "$(nproc)"
}

# record_meta KEY TEXT: a free-text fact (the rest of the line).
record_meta() { echo "meta $1 $2" >>"$BENCH_RAW"; }
