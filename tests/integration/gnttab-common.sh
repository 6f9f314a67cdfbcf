# shellcheck shell=bash
# Helpers of the gnttab-* tests (sourced): minios guests that grant pages
# and tests/integration/gnttab-peer, their Dom0 side (docs/grant-tables.md).
. "$(dirname "$0")/minios-common.sh"

GNTTAB_PEER=$PWD/$O/tests/gnttab-peer

need_gnttab() {
	need_minios
	[ -x "$GNTTAB_PEER" ] || skip "$GNTTAB_PEER not built"
}

# Background processes of the test, killed at exit even on failure (the
# instance's own trap runs after).
GNTTAB_BG=()
gnttab_start() {
	pvx_instance_start
	trap gnttab_cleanup EXIT
}
gnttab_cleanup() {
	local rc=$?
	[ ${#GNTTAB_BG[@]} -gt 0 ] && kill -9 "${GNTTAB_BG[@]}" 2>/dev/null
	wait 2>/dev/null
	(exit $rc)
	pvx_instance_stop
}

# pvxd must still answer and must not have logged a sanitizer report.
pvxd_healthy() {
	pvx list >/dev/null || fail "pvxd no longer answers"
	if grep -qE 'ERROR: (Address|Undefined|Leak)Sanitizer|runtime error:' \
		"$PVX_LOGDIR"/*.log 2>/dev/null; then
		fail "pvxd logged a sanitizer report"
	fi
}
