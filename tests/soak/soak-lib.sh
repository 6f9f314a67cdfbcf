# shellcheck shell=bash
# Helpers of tests/soak/soak.sh (sourced after tests/integration/lib.sh):
# one cycle, the hostile guest beside the cycles, the kills, the
# measurements of the daemons and the end-of-run leak checks.

# Kill order: pvxd first: its death takes every domain with it, and
# pvxstored's, the backends' watches (see soak_probe), so the later kills
# still meet daemons that have run for a while.
DAEMONS="pvxd pvxstored pvx-consoled pvx-blkback pvx-netback"
NET_BR=pvxbr0
LEAKS=()
leak() { LEAKS+=("$*"); echo "LEAK: $*" >&2; }

dpid() { cat "$PVX_RUNDIR/$1.pid" 2>/dev/null; }

# dead PID: gone, or a zombie whose threads have all exited (a killed
# multi-threaded daemon shows Z for its main thread while other threads
# still exit, and its fds, its listening socket among them, stay open).
dead() {
	kill -0 "$1" 2>/dev/null || return 0
	grep -qE '^[0-9]+ \(.*\) Z' "/proc/$1/stat" 2>/dev/null || return 1
	local t=(/proc/"$1"/task/*)
	[ ${#t[@]} -le 1 ] && [ -z "$(ls /proc/"$1"/fd 2>/dev/null)" ]
}

# wait_dead PID SECONDS
wait_dead() {
	local deadline=$((SECONDS + $2))
	while [ $SECONDS -lt $deadline ]; do
		dead "$1" && return 0
		sleep 0.05
	done
	return 1
}

# soak_measure PID: "fds rss_kib threads anon_kib" of a live process.
# VmRSS counts the pages of the executable and shared libraries the
# process has touched so far: it steps up as rarer code paths run for the
# first time (a hostile guest's errors, a restart) and then stays, with
# no leak. A leak is anonymous memory (heap, stacks): RssAnon is judged.
soak_measure() {
	local f=(/proc/"$1"/fd/*)
	awk -v fds=${#f[@]} '/^VmRSS:/ {r = $2} /^Threads:/ {t = $2} /^RssAnon:/ {a = $2}
		END {print fds, r, t, a}' "/proc/$1/status"
}

soak_image() {
	local p=$PVX_RUNDIR/$1.img
	truncate -s "$2" "$p" || fail "cannot create $p"
	echo "$p"
}

soak_shm_list() { ls -1 /dev/shm 2>/dev/null | sort; }
soak_tmp_list() { ls -1d /tmp/pvx-* 2>/dev/null | sort; }
# The run dir without the logs and the test's own disk images.
soak_rundir_list() {
	(cd "$PVX_RUNDIR" && find . -path ./log -prune -o -print | grep -v '\.img$' | sort)
}

# The cgroup pvxd made for itself (v1 layout; v2 under pvxd's own cgroup),
# empty if it runs without one.
soak_cgroup_dir() {
	local p; p=$(dpid pvxd)
	local c
	for c in /sys/fs/cgroup/cpu/pvx/pvxd-"$p" /sys/fs/cgroup/*/pvx/pvxd-"$p"; do
		[ -d "$c" ] && { echo "$c"; return; }
	done
}

# wait_log FILE REGEX SECONDS
wait_log() {
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.02
	done
	return 1
}

soak_create() {
	local name=$1 cmdline=$2
	shift 2
	pvx create -q "$MINIOS_CFG" "name=$name" "kernel=$MINIOS" "cmdline=\"$cmdline\"" \
		memory=32 on_poweroff=preserve "$@"
}

# soak_cycle I IMG: guest cI with the disk and a vif; minios has no
# program that drives both, so odd cycles run blk-verify on the disk (1
# MiB written, read back: its PASS) and even ones net-serve on the vif
# (up), the other device attached but idle. The scheduled kill (if any)
# lands then, with the guest and a hostile guest running; then destroy
# and wait until it is gone.
soak_cycle() {
	local name=c$1 log prog
	if [ $(($1 % 2)) = 1 ]; then prog="blk-verify all 1 $1"; else prog="net-serve 600 ip=10.0.0.2/24"; fi
	soak_create "$name" "$prog" "disk=[ '$2,raw,xvda,rw' ]" \
		"vif=[ 'mac=00:16:3e:00:00:02,bridge=$NET_BR,ip=10.0.0.2/24' ]" ||
		fail "cycle $1: pvx create failed"
	log=$(console_log "$name")
	if [ $(($1 % 2)) = 1 ]; then
		wait_log "$log" "^(PASS|FAIL) blk-verify" 30 ||
			fail "cycle $1: no blk-verify verdict in 30 s: $(tail -n 5 "$log")"
		grep -q "^PASS blk-verify" "$log" || fail "cycle $1: $(grep -E '^(blk|FAIL)' "$log")"
	else
		wait_log "$log" "^net: vif [0-9]+ mac .* up" 30 ||
			fail "cycle $1: the vif never came up: $(tail -n 5 "$log")"
	fi
	if [ -n "${KILL_AT[$1]:-}" ]; then
		soak_kill "${KILL_AT[$1]}" "$1"
		[ "${KILL_AT[$1]}" = pvxd ] && return 0 # pvxd took the domains with it
	fi
	pvx destroy "$name" || fail "cycle $1: pvx destroy failed"
	wait_gone "$name" 10 || fail "cycle $1: $name still listed 10 s after destroy"
}

# soak_kill DAEMON I: kill -9 under load, restart, check it runs again.
soak_kill() {
	local d=$1 old new c
	old=$(dpid "$d")
	[ -n "$old" ] && kill -0 "$old" 2>/dev/null || fail "cycle $2: $d is not running before its kill"
	if [ "$d" = pvxd ]; then
		OLD_PVXD=$old OLD_CGDIR=$(soak_cgroup_dir)
		OLD_DOMS=$(pvx list | awk 'NR > 1 && $1 != "Domain-0" {print $2}')
	fi
	note "cycle $2: kill -9 $d ($old)"
	kill -9 "$old"
	local t0=$SECONDS
	wait_dead "$old" 30 || fail "cycle $2: $d ($old) still has threads or fds 30 s after kill -9: $(ls /proc/"$old"/task | wc -l) threads"
	[ $((SECONDS - t0)) -le 1 ] || note "cycle $2: $d took $((SECONDS - t0)) s to die after kill -9"
	local out st
	st=$(grep -E '^State:' "/proc/$old/status" 2>/dev/null)
	out=$(pvx daemons start 2>&1) || fail "cycle $2: pvx daemons start after killing $d failed: $out"
	new=$(dpid "$d")
	[ -n "$new" ] && [ "$new" != "$old" ] && kill -0 "$new" 2>/dev/null ||
		fail "cycle $2: $d did not come back after kill -9 (pid '$new'; old one: '${st:-gone}'; pvx daemons start said: $out)"
	if [ "$d" = pvxd ]; then
		# Its domains died with it: nothing of them may stay listed.
		HOSTILE=
		for c in $(pvx list 2>/dev/null | awk 'NR > 1 && $1 != "Domain-0" {print $1}'); do
			leak "after pvxd's restart: domain $c still listed"
		done
		CGDIR=$(soak_cgroup_dir)
	else
		# A guest that lost a backend mid-run: destroyed, not judged.
		soak_hostile_end nojudge
	fi
	soak_probe "$d" "$2"
	[ "$d" = pvxd ] && soak_dead_domains "$2"
}

# soak_dead_domains I: after pvxd's kill -9 and restart, nothing of the
# domains it took with it may stay (xenstore directories, backends, TAPs):
# the new pvxd numbers domains from 1 again and would meet them. What
# stays is recorded, then removed so that the run goes on.
soak_dead_domains() {
	local id left=() p
	sleep 2
	for id in $OLD_DOMS; do
		for p in /local/domain/$id /local/domain/0/backend/vbd/$id /local/domain/0/backend/vif/$id; do
			pvx xenstore read "$p" >/dev/null 2>&1 || pvx xenstore ls "$p" >/dev/null 2>&1 || continue
			left+=("$p")
		done
		ip link show "vif$id.0" >/dev/null 2>&1 && left+=("TAP vif$id.0")
	done
	[ ${#left[@]} = 0 ] && { note "cycle $1: nothing left of the domains pvxd took with it ($(echo $OLD_DOMS))"; return 0; }
	leak "after kill -9 of pvxd (cycle $1): left of its domains $(echo $OLD_DOMS): ${left[*]} (a later domain with the same id fails: 'vdev xvda is already attached')"
	for p in "${left[@]}"; do
		case $p in /*) pvx xenstore rm "$p" >/dev/null 2>&1 ;; esac
	done
	sleep 1
	for id in $OLD_DOMS; do
		ip link show "vif$id.0" >/dev/null 2>&1 && { note "removing TAP vif$id.0 by hand"; ip link del "vif$id.0"; }
	done
	return 0
}

# soak_probe DAEMON I: right after DAEMON's restart, guests created anew
# must get their console, their disk and their vif. What does not work is
# recorded (the verdict is then FAIL), and the daemons that failed are
# restarted (SIGTERM, pvx daemons start) so that the rest of the run still
# measures something; their baselines move to I + the warm-up.
soak_probe() {
	local b=p${2}b n=p${2}n bad=() redo=() x p out
	if ! out=$(soak_create "$b" "blk-verify all 1 7" "disk=[ '$img,raw,xvda,rw' ]" \
		"vif=[ 'mac=00:16:3e:00:00:04,bridge=$NET_BR,ip=10.0.0.4/24' ]" 2>&1) ||
		! out=$(soak_create "$n" "net-serve 600 ip=10.0.0.5/24" "disk=[ '$himg,raw,xvda,ro' ]" \
			"vif=[ 'mac=00:16:3e:00:00:05,bridge=$NET_BR,ip=10.0.0.5/24' ]" 2>&1); then
		[ -z "${3:-}" ] || fail "cycle $2: pvx create fails even after restarting the other daemons: $out"
		leak "after kill -9 of $1 (cycle $2): pvx create of a new guest fails: $out"
		pvx destroy "$b" >/dev/null 2>&1
		soak_restart "$2" pvx-netback pvx-blkback pvx-consoled pvxstored
		soak_probe "$1" "$2" again
		return
	fi
	if ! wait_log "$(console_log "$b")" "^minios: ready" 20; then
		bad+=("pvx-consoled writes no console log for a guest created after the restart")
		redo+=(pvx-consoled pvx-blkback pvx-netback) # the others cannot be judged
	else
		wait_log "$(console_log "$b")" "^PASS blk-verify" 30 || {
			bad+=("pvx-blkback: the disk of guest $b (domain $(pvx domid "$b")) created after the restart never connects ($(tail -n 1 "$(console_log "$b")"))")
			redo+=(pvx-blkback)
		}
		wait_log "$(console_log "$n")" "^net: vif [0-9]+ mac .* up" 30 || {
			bad+=("pvx-netback: the vif of guest $n (domain $(pvx domid "$n")) created after the restart never comes up ($(tail -n 1 "$(console_log "$n")"))")
			redo+=(pvx-netback)
		}
	fi
	pvx destroy "$b" >/dev/null 2>&1; pvx destroy "$n" >/dev/null 2>&1
	wait_gone "$b" 10 && wait_gone "$n" 10 || fail "cycle $2: probe guests still listed after destroy"
	[ ${#bad[@]} = 0 ] && { note "cycle $2: guests created after $1's restart work"; return 0; }
	for x in "${bad[@]}"; do leak "after kill -9 of $1 (cycle $2): $x"; done
	soak_restart "$2" "${redo[@]}"
}

# soak_restart I DAEMON...: SIGTERM (SIGKILL after 10 s), pvx daemons
# start; their baselines move to I + the warm-up.
soak_restart() {
	local i=$1 x p
	shift
	for x in "$@"; do
		p=$(dpid "$x")
		note "cycle $i: restarting $x ($p) so the run goes on"
		kill -TERM "$p"
		wait_dead "$p" 10 || { kill -9 "$p"; wait_dead "$p" 20; }
		rm -f "$PVX_RUNDIR/$x.pid"
		BASE_AT[$x]=$((i + WARM))
		unset "MID_AT[$x]"
	done
	pvx daemons start >/dev/null || fail "cycle $i: pvx daemons start failed"
}

# The hostile guest beside the cycles: one at a time, kinds in turn; its
# verdict is checked when it comes, then it is destroyed and the next one
# starts.
HOSTILE_KINDS=("hostile" "net-hostile garbage" "blk-hostile")
HOSTILE=
soak_hostile_tick() {
	if [ -n "$HOSTILE" ]; then
		local log; log=$(console_log "$HOSTILE")
		if grep -qE "^(PASS|FAIL) " "$log" 2>/dev/null; then
			soak_hostile_end
		elif [ $((SECONDS - HOSTILE_T0)) -gt 120 ]; then
			fail "cycle $1: hostile guest $HOSTILE ('$HOSTILE_CMD') has no verdict after 120 s: $(tail -n 5 "$log")"
		fi
		return 0
	fi
	hostile_n=$((hostile_n + 1))
	HOSTILE=h$hostile_n
	HOSTILE_CMD=${HOSTILE_KINDS[$((hostile_n % 3))]}
	HOSTILE_T0=$SECONDS
	soak_create "$HOSTILE" "$HOSTILE_CMD" "disk=[ '$himg,raw,xvda,rw' ]" \
		"vif=[ 'mac=00:16:3e:00:00:03,bridge=$NET_BR,ip=10.0.0.3/24' ]" ||
		fail "cycle $1: pvx create of hostile guest $HOSTILE ('$HOSTILE_CMD') failed"
}

# soak_hostile_end [nojudge]: destroys the hostile guest, if one runs,
# after checking its verdict (unless nojudge).
soak_hostile_end() {
	[ -n "$HOSTILE" ] || return 0
	local log; log=$(console_log "$HOSTILE")
	if [ "${1:-}" != nojudge ]; then
		wait_log "$log" "^(PASS|FAIL) " 120 ||
			fail "hostile guest $HOSTILE ('$HOSTILE_CMD') has no verdict: $(tail -n 5 "$log")"
		# A wrong answer is recorded (verdict FAIL) and the run goes on.
		grep -q "^PASS " "$log" ||
			leak "hostile guest $HOSTILE ('$HOSTILE_CMD', domain $(pvx domid "$HOSTILE" 2>/dev/null), ${CYCLE:-?} cycles in): $(grep -E '^FAIL' "$log")"
	fi
	pvx destroy "$HOSTILE" >/dev/null 2>&1
	wait_gone "$HOSTILE" 10 || fail "hostile guest $HOSTILE still listed 10 s after destroy"
	HOSTILE=
}

# soak_baseline DAEMON I: its figures after the warm-up, measured with no
# guest running (the hostile guest is ended first).
declare -A BASE BASE_CYCLE
soak_baseline() {
	soak_hostile_end
	sleep 1
	local p; p=$(dpid "$1")
	BASE[$1]=$(soak_measure "$p")
	BASE_CYCLE[$1]=$2
	MID_AT[$1]=$((($2 + CYCLES) / 2))
	[ "$1" = pvxstored ] && XS_BASE=$(soak_xs_report) &&
		note "cycle $2: pvxstored's accounting: $XS_BASE"
	[ -n "${RUNDIR_BASE+x}" ] || RUNDIR_BASE=$(soak_rundir_list)
	note "cycle $2: baseline of $1 ($p): fds rss_kib threads anon_kib = ${BASE[$1]}"
}

# soak_mid DAEMON I: its figures halfway between its baseline and the
# end, measured like the baseline (no guest running). Anonymous memory
# reaches its high-water mark under the run's peak load (a hostile guest,
# a probe and a cycle guest at once, a restart; glibc keeps the stacks of
# pvxd's exited vCPU threads for reuse) and then stays: that step is not
# a leak. A leak grows with the cycles, so RssAnon is judged over the
# second half: the end at most TOL % above the midpoint.
declare -A MID MID_AT
soak_mid() {
	soak_hostile_end
	sleep 1
	MID[$1]=$(soak_measure "$(dpid "$1")")
	note "cycle $2: midpoint of $1: fds rss_kib threads anon_kib = ${MID[$1]}"
}

# soak_xs_report: pvxstored's own accounting (`xenstore control
# memreport`): nodes, domain entries, connections, watches and the bytes
# of its nodes. Exact, unlike RSS: with no guest running, each must be
# back where it was at pvxstored's baseline.
soak_xs_report() {
	pvx xenstore control memreport 2>/dev/null |
		awk '$1 ~ /^(nodes|domains|connections|watches|memory)$/ {printf "%s=%s ", $1, $2}'
}

# soak_rss_line: every daemon's VmRSS now (the trend between progress
# lines tells steady growth from a one-off step).
soak_rss_line() {
	local d out=
	for d in $DAEMONS; do
		out="$out $d=$(awk '/^VmRSS:/ {r = $2} /^RssAnon:/ {a = $2} END {print r "/" a}' \
			"/proc/$(dpid "$d")/status" 2>/dev/null)"
	done
	echo "  rss/anon KiB:$out"
}

# soak_within NAME BASE END: END at most TOL % above BASE (a shrink is fine).
soak_within() {
	[ $(($3 * 100)) -le $(($2 * (100 + TOL))) ]
}

soak_final_checks() {
	local d p b e m i names c f
	sleep 1
	echo "== daemons: fds and threads at baseline -> end, RssAnon at baseline -> midpoint -> end (VmRSS likewise, not judged)"
	for d in $DAEMONS; do
		p=$(dpid "$d")
		kill -0 "$p" 2>/dev/null || { leak "$d ($p) is not running at the end"; continue; }
		read -ra b <<<"${BASE[$d]}"
		read -ra e <<<"$(soak_measure "$p")"
		read -ra m <<<"${MID[$d]:-? ? ? ?}"
		printf '%-13s pid %-7s base@%-4s mid@%-4s fds %s -> %s  threads %s -> %s  anon %s -> %s -> %s KiB  (rss %s -> %s -> %s)\n' \
			"$d" "$p" "${BASE_CYCLE[$d]}" "${MID_AT[$d]:-?}" "${b[0]}" "${e[0]}" "${b[2]}" "${e[2]}" \
			"${b[3]}" "${m[3]}" "${e[3]}" "${b[1]}" "${m[1]}" "${e[1]}"
		names=(fds rss_kib threads)
		for i in 0 2; do
			soak_within "${names[$i]}" "${b[$i]}" "${e[$i]}" ||
				leak "$d: ${names[$i]} grew from ${b[$i]} to ${e[$i]} in $((CYCLES - BASE_CYCLE[$d])) cycles (> $TOL %)"
		done
		if [ -z "${MID[$d]:-}" ]; then
			leak "$d: no midpoint figures (restarted too late in the run?)"
		else
			[ $((e[3] * 100)) -le $((m[3] * (100 + TOL) + ANON_SLACK * 100)) ] ||
				leak "$d: anonymous memory grew from ${m[3]} to ${e[3]} KiB over the last $((CYCLES - MID_AT[$d])) cycles ($(((e[3] - m[3]) * 1024 / (CYCLES - MID_AT[$d]))) bytes a cycle; > $TOL % + $ANON_SLACK KiB; ${b[3]} at its baseline)"
		fi
		# Guest memory (pvh memfd pvx-domN, pv pvproc-pages) held by a daemon.
		f=$(for x in /proc/"$p"/fd/*; do readlink "$x"; done 2>/dev/null | grep -cE 'memfd:(pvx-dom|pvproc-pages)')
		[ "$f" = 0 ] || leak "$d: $f fds on guest memory (memfd) left"
		# libpvxgnttab keeps up to GT_IDLE_MAX (4) idle views of granters'
		# memory, a destroyed domain's among them (dom0-tools/gnttab/gnttab.c):
		# more distinct memfds than that are a leak.
		f=$(grep -E 'memfd:(pvx-dom|pvproc-pages)' "/proc/$p/maps" 2>/dev/null | awk '{print $6}' | sort -u | wc -l)
		[ "$f" -le 4 ] && [ "$f" -gt 0 ] &&
			note "$d maps the memory of $f destroyed domains (libpvxgnttab's idle views, at most 4): $(grep -E 'memfd:(pvx-dom|pvproc-pages)' "/proc/$p/maps" | awk '{print $6}' | sort -u | tr '\n' ' ')"
		f=$(grep -cE 'memfd:(pvx-dom|pvproc-pages)' "/proc/$p/maps" 2>/dev/null)
		[ "$(grep -E 'memfd:(pvx-dom|pvproc-pages)' "/proc/$p/maps" 2>/dev/null | awk '{print $6}' | sort -u | wc -l)" -le 4 ] || leak "$d: $f mappings of guest memory (grant maps) left: $(grep -E 'memfd:(pvx-dom|pvproc-pages)' "/proc/$p/maps" | awk '{print $6, $7, $8}' | sort | uniq -c | tr -s ' \n' ' ')"
	done
	f=$(soak_xs_report)
	echo "pvxstored's accounting at its baseline: $XS_BASE; at the end: $f"
	[ "$f" = "$XS_BASE" ] || leak "pvxstored's accounting moved: $XS_BASE -> $f"
	names=$(pvx list | awk 'NR > 1 && $1 != "Domain-0" {print $1}')
	[ -z "$names" ] || leak "domains left: $(echo $names)"
	c=$(ip -o link show | grep -oE ' vif[0-9]+\.[0-9]+' | tr -d ' ')
	[ -z "$c" ] || leak "TAPs left: $(echo $c)"
	c=$(ip -o link show master "$NET_BR" 2>/dev/null | awk -F': ' '{print $2}')
	[ -z "$c" ] || leak "ports of $NET_BR left: $(echo $c)"
	for c in backend/vbd backend/vif; do
		f=$(pvx xenstore ls "/local/domain/0/$c" 2>/dev/null | head -n 5)
		[ -z "$f" ] || leak "xenstore /local/domain/0/$c not empty: $(echo $f)"
	done
	f=$(pvx xenstore ls /local/domain 2>/dev/null | grep -E '^[^ ]' | grep -vE '^0 ' | head -n 5)
	[ -z "$f" ] || leak "xenstore /local/domain has more than Dom0: $(echo $f)"
	if [ -n "${CGDIR:-}" ]; then
		c=$(find "$CGDIR" -mindepth 1 -maxdepth 1 -type d -name 'd[0-9]*' -printf '%f ')
		[ -z "$c" ] || leak "domain cgroups left in $CGDIR: $c"
	fi
	[ -n "${OLD_CGDIR:-}" ] && [ -d "$OLD_CGDIR" ] && leak "killed pvxd's cgroup $OLD_CGDIR left"
	# Processes of this instance other than the daemons (domain monitors,
	# pv guest processes) that outlived their domain.
	local own=" $(for d in $DAEMONS; do dpid "$d"; done | tr '\n' ' ') "
	for f in /proc/[0-9]*; do
		p=${f#/proc/}
		[[ $own == *" $p "* ]] && continue
		tr '\0' '\n' 2>/dev/null <"$f/environ" | grep -qx "PVX_RUNDIR=$PVX_RUNDIR" || continue
		grep -q 'soak' "$f/cmdline" 2>/dev/null && continue # this script
		c=$(tr '\0' ' ' <"$f/cmdline" 2>/dev/null)
		case $c in *bash*|*sleep*|*pvx\ list*|*awk*|*grep*|"") continue ;; esac
		leak "process $p of this instance left: $c"
	done
	c=$(diff <(echo "$RUNDIR_BASE") <(soak_rundir_list) | grep '^>' | head -n 10)
	[ -z "$c" ] || leak "files in the run dir that were not there after the warm-up: $(echo $c)"
	# Other pvx instances (parallel tests) make files of their own there:
	# only names that carry this run's directory are judged.
	c=$(comm -13 <(echo "$shm_before") <(soak_shm_list) | grep -F "${PVX_RUNDIR##*/}" | head -n 10)
	[ -z "$c" ] || leak "new files in /dev/shm: $(echo $c)"
	c=$(comm -13 <(echo "$shm_before") <(soak_shm_list) | grep -vF "${PVX_RUNDIR##*/}" | grep pvx | head -n 10)
	[ -z "$c" ] || note "new pvx files in /dev/shm during the run (other instances? not judged): $(echo $c)"
	c=$(comm -13 <(echo "$tmp_before") <(soak_tmp_list) | grep -v "^$PVX_RUNDIR\$" | head -n 10)
	[ -n "$c" ] && note "new /tmp/pvx-* during the run (other instances? not judged): $(echo $c)"
	echo "soak: $CYCLES cycles in $1 s ($((CYCLES > 0 ? $1 * 1000 / CYCLES : 0)) ms a cycle), $hostile_n hostile guests, type $PVX_TEST_TYPE"
	if [ ${#LEAKS[@]} -gt 0 ]; then
		echo "SOAK FAIL: ${#LEAKS[@]} leak(s):"
		printf '  %s\n' "${LEAKS[@]}"
		exit 1
	fi
	echo "SOAK PASS"
}

soak_stop() {
	local rc=$?
	if [ $rc -ne 0 ] && [ ${#LEAKS[@]} = 0 ]; then
		echo "SOAK FAIL: the run stopped early (see above)"
	fi
	(exit $rc)
	pvx_instance_stop
}
