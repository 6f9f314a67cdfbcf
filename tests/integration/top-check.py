"""Checks for tests/integration/top-figures (run by it, not by make check).

Usage: top-common.py CHECK ARGS...
  cpu RUNDIR DOMID TYPE NAME PVX - runs `PVX top -b -d 1 -n 3 --json`
                                between two reads of the domain's CPU
                                time in /proc, and checks NAME's CPU(%)
                                against that measure within 10%
  blk TOP_JSON NAME BYTES     - the sum of NAME's rate x interval over
                                every iteration against the bytes the
                                guest wrote (and read)
  tty PVX NAME                - interactive mode on a pseudo-terminal: the
                                screen shows NAME, keys m/n/r re-sort at
                                once, q quits with status 0, SIGTERM too,
                                and the terminal is back in cooked mode
                                with echo after either

The host's measure is the domain's CPU time from /proc (schedstat, ns):
its vCPU threads in pvxd (pvh) or its guest process (pv).
"""
import json
import os
import subprocess
import sys
import time


def load(path):
    with open(path) as f:
        doc = json.load(f)
    assert isinstance(doc, list) and doc, "top --json is not a non-empty array"
    return doc


def dom(it, name):
    for d in it["domains"]:
        if d["name"] == name:
            return d
    return None


def ticks(path):
    """CPU time of a task in ns (schedstat's first field)."""
    with open(path.replace("/stat", "/schedstat")) as f:
        return int(f.read().split()[0])


def hostcpu(rundir, domid, typ):
    with open(os.path.join(rundir, "pvxd.pid")) as f:
        pvxd = int(f.read().split()[0])
    total = 0
    if typ == "pvh":
        want = "pvxd-d%sv" % domid
        for tid in os.listdir("/proc/%d/task" % pvxd):
            try:
                with open("/proc/%d/task/%s/comm" % (pvxd, tid)) as f:
                    if f.read().strip().startswith(want):
                        total += ticks("/proc/%d/task/%s/stat" % (pvxd, tid))
            except OSError:
                pass
    else:
        want = "pv-d%s" % domid
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open("/proc/%s/comm" % pid) as f:
                    if f.read().strip() != want:
                        continue
                with open("/proc/%s/stat" % pid) as f:
                    st = f.read()
                ppid = int(st[st.rindex(")") + 2:].split()[1])
                if ppid == pvxd:  # ours, not another instance's domain
                    total += ticks("/proc/%s/stat" % pid)
            except OSError:
                pass
    return total / 1e9


def cpu(rundir, domid, typ, name, pvx):
    path = os.path.join(rundir, "top.cpu.json")
    h0, t0 = hostcpu(rundir, domid, typ), time.monotonic()
    with open(path, "w") as out:
        subprocess.run([pvx, "top", "-b", "-d", "1", "-n", "3", "--json"],
                       stdout=out, check=True)
    h1, t1 = hostcpu(rundir, domid, typ), time.monotonic()
    host_pct = 100 * (h1 - h0) / (t1 - t0)
    doc = load(path)
    figs = [dom(it, name)["cpu_pct"] for it in doc if dom(it, name)]
    figs = [f for f in figs if f is not None]
    assert figs, "no CPU figure for %s" % name
    mean = sum(figs) / len(figs)
    host = float(host_pct)
    print("top: %s CPU %.1f%% (iterations %s), host /proc: %.1f%%"
          % (name, mean, ["%.1f" % f for f in figs], host))
    assert abs(mean - host) <= 0.10 * max(host, 1.0) + 2, "CPU(%) off by more than 10%"
    # ~100 on an idle host; a loaded one (make check -j, other tests) gives less
    assert mean > 10, "a CPU-bound guest shows almost no CPU"


def blk(path, name, nbytes):
    doc = load(path)
    want = int(nbytes)
    wr = rd = 0.0
    reqs = 0.0
    for it in doc:
        d = dom(it, name)
        if not d or d["vbd_wr_bytes_per_s"] is None:
            continue
        wr += d["vbd_wr_bytes_per_s"] * it["interval_s"]
        rd += d["vbd_rd_bytes_per_s"] * it["interval_s"]
        reqs += (d["vbd_wr_reqs_per_s"] + d["vbd_rd_reqs_per_s"]) * it["interval_s"]
    last = [dom(it, name) for it in doc if dom(it, name)][-1]
    print("top: %s wrote %.1f MiB, read %.1f MiB by its rates (%d requests); "
          "totals %d / %d bytes; the guest moved %d bytes each way"
          % (name, wr / 2**20, rd / 2**20, reqs, last["vbd_wr_bytes"],
             last["vbd_rd_bytes"], want))
    for what, v in (("written", wr), ("read", rd),
                    ("total written", last["vbd_wr_bytes"]),
                    ("total read", last["vbd_rd_bytes"])):
        assert abs(v - want) <= 0.10 * want, "%s: %d bytes, not %d +- 10%%" % (what, v, want)
    assert reqs > 0, "no block requests per second"
    # blkfront kicks the backend and is answered with events; every
    # request costs hypercalls (grant setup, event sends)
    ev = sum((dom(it, name)["events_per_s"] or 0) * it["interval_s"] for it in doc
             if dom(it, name))
    hc = sum((dom(it, name)["hypercalls_per_s"] or 0) * it["interval_s"] for it in doc
             if dom(it, name))
    print("top: %s: %d events, %d hypercalls by its rates; totals %s / %s"
          % (name, ev, hc, last["events"], last["hypercalls"]))
    assert ev > 0 and hc >= reqs / 2, "no events or too few hypercalls"
    assert last["events"] >= ev * 0.9 and last["hypercalls"] >= hc * 0.9


def read_until(fd, what, secs):
    import select
    out, end = b"", time.monotonic() + secs
    while what not in out and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out


def tty(pvx, name):
    import pty
    import signal
    import termios
    for how in ("q", "term"):
        master, slave = pty.openpty()
        p = subprocess.Popen([pvx, "top", "-d", "1"], stdin=slave, stdout=slave,
                             stderr=slave, close_fds=True)
        out = read_until(master, name.encode(), 10)
        assert name.encode() in out, "the screen never showed %s: %r" % (name, out[-300:])
        cooked = termios.tcgetattr(slave)[3]
        assert not cooked & termios.ECHO and not cooked & termios.ICANON, "not in raw mode"
        os.write(master, b"m")
        out = read_until(master, b"sort: mem", 5)
        assert b"sort: mem" in out, "key m did not re-sort at once"
        os.write(master, b"r")
        out = read_until(master, b"(reversed)", 5)
        assert b"(reversed)" in out, "key r did not reverse"
        if how == "q":
            os.write(master, b"q")
        else:
            p.send_signal(signal.SIGTERM)
        rc = p.wait(10)
        read_until(master, b"\x1b[?1049l", 2)
        lflag = termios.tcgetattr(slave)[3]
        os.close(master)
        os.close(slave)
        assert rc == 0, "exit status %d after %s" % (rc, how)
        assert lflag & termios.ECHO and lflag & termios.ICANON, \
            "terminal left in raw mode after %s" % how
    print("top: interactive mode: keys m, r, q and SIGTERM all right")


if __name__ == "__main__":
    {"cpu": cpu, "blk": blk, "tty": tty}[sys.argv[1]](*sys.argv[2:])
