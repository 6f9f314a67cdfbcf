# shellcheck shell=bash
# Helpers shared by the balloon-* tests and tests/bench/balloon-bench
# (sourced, not run; after minios-common.sh).

# dom_mem_kib DOMID: KiB the host holds for the domain's memory: the
# allocated blocks of its memfd ("memfd:pvx-domN"), found in pvxd's
# descriptors. Exactly that domain's RAM and special pages, whichever the
# guest type (pvh maps the memfd into KVM, pv into the guest process):
# guest pages are the memfd's pages.
dom_mem_kib() {
	python3 - "$(cat "$PVX_RUNDIR/pvxd.pid")" "$1" <<'PY'
import os, sys
pid, dom = sys.argv[1], sys.argv[2]
d = "/proc/%s/fd" % pid
for f in os.listdir(d):
    try:
        link = os.readlink(os.path.join(d, f))
    except OSError:
        continue
    if link.startswith("/memfd:pvx-dom%s " % dom) or link == "/memfd:pvx-dom%s" % dom:
        print(os.stat(os.path.join(d, f)).st_blocks * 512 // 1024)
        sys.exit(0)
print(-1)
PY
}

# list_field NAME KEY: a number from `pvx list --json NAME`.
list_field() {
	pvx list --json "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['$2'])"
}
