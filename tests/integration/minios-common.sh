# shellcheck shell=bash
# Helpers shared by the minios-* integration tests (sourced, not run).
# Every test starts its own pvxd instance (lib.sh) and boots minios with
# the program under test on its command line (docs/minios.md).

. "$(dirname "$0")/lib.sh"

MINIOS_CFG=$PWD/examples/minios.cfg
MINIOS=$PWD/out/guest/minios

need_minios() {
	[ -f "$MINIOS" ] || skip "$MINIOS not built"
	[ -f "$MINIOS_CFG" ] || skip "examples/minios.cfg missing"
}

# minios_create NAME "CMDLINE" [key=value ...]: create and start a minios
# domain running CMDLINE (overrides after it win).
minios_create() {
	local name=$1 cmdline=$2
	shift 2
	pvx create -q "$MINIOS_CFG" "name=$name" "kernel=$MINIOS" \
		"cmdline=\"$cmdline\"" "$@" || fail "pvx create $name ('$cmdline') failed"
}

monitor_log() { echo "$PVX_LOGDIR/$1.log"; }

# wait_file FILE REGEX SECONDS: waits for a line matching REGEX in FILE.
wait_file() {
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "$1 never showed /$2/ within $3 s; it has:" >&2
	tail -n 20 "$1" >&2 2>/dev/null
	return 1
}

# console_field NAME SED_REGEX: the first capture of SED_REGEX in the
# domain's console log (empty if none).
console_field() {
	sed -nE "s/$2/\\1/p" "$(console_log "$1")" 2>/dev/null | head -n 1
}

# domain_json_field NAME KEY: a field of `pvx list -l` for domain NAME.
domain_json_field() {
	pvx list -l | python3 -c '
import json, sys
name, key = sys.argv[1], sys.argv[2]
for d in json.load(sys.stdin):
    if d["name"] == name:
        print(d.get(key))
' "$1" "$2"
}
