#!/usr/bin/env python3
"""Report for tests/bench/core-bench and tests/bench/lifecycle-bench.

    bench-report.py core|lifecycle RAW [--json FILE] [--check]

RAW holds one sample per line, `KEY REP VALUE` (written by the shell
scripts, which only measure), plus `meta KEY TEXT` lines. This script
computes the medians, percentiles and ratios, prints the table and writes
the JSON. Percentiles are nearest-rank: p99 of 50 samples is the largest
but none, of 100 the 99th. Ratios that compare a figure with its baseline
are taken within one round (same load) and then the median over rounds.
--check exits 1 unless every expected figure is present and positive
(the --smoke runs use it; targets are never asserted: the host is shared);
for lifecycle it also checks the figures are sane (lifecycle_sanity):
one sample per run asked for, times inside (0, 120 s], pvx create's CPU
time within its wall time, the
back-to-back total covering its creates, memory per domain inside
(0, 1 GiB).
"""
import json
import math
import statistics
import sys
from collections import defaultdict


def load_raw(path):
    meta, samples = {}, defaultdict(dict)
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) < 3:
                continue
            if parts[0] == "meta":
                meta[parts[1]] = parts[2]
            elif parts[2]:
                samples[parts[0]][int(parts[1])] = float(parts[2])
    return meta, samples


def pct(values, p):
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def summary(values):
    v = list(values)
    if not v:
        return None
    return {"n": len(v), "median": statistics.median(v), "p99": pct(v, 99),
            "min": min(v), "max": max(v)}


def paired_ratio(samples, num, den):
    """Median over rounds of num/den within each round."""
    a, b = samples.get(num, {}), samples.get(den, {})
    r = [a[k] / b[k] for k in a if k in b and b[k] > 0]
    return statistics.median(r) if r else None


def us(ns):
    return "-" if ns is None else f"{ns / 1000:.1f} us"


def ms(ns):
    return "-" if ns is None else f"{ns / 1e6:.2f} ms"


def header(name, meta):
    print(f"{name}: {meta.get('date', '?')}, {meta.get('host', '?')}, "
          f"{meta.get('kvm', '?')}, commit {meta.get('commit', '?')}")
    print(f"  {meta.get('params', '')}")
    print(f"  load average at start {meta.get('load_start', '?')}, "
          f"at end {meta.get('load_end', '?')}")


CORE_KEYS = ["hc_ns", "bare_ns", "hc_ratio", "efd_median_ns", "efd_p99_ns",
             "gg_median_ns", "gg_p99_ns", "gd_median_ns", "gd_p99_ns"]


def core(meta, samples):
    s = {k: summary(samples.get(k, {}).values()) for k in CORE_KEYS + ["load", "busy"]}
    med = {k: (v["median"] if v else None) for k, v in s.items()}
    ratios = {
        "hypercall_vs_bare_out": paired_ratio(samples, "hc_ns", "bare_ns"),
        "guest_guest_p50_vs_eventfd_p50": paired_ratio(samples, "gg_median_ns", "efd_median_ns"),
        "guest_guest_p99_vs_eventfd_p99": paired_ratio(samples, "gg_p99_ns", "efd_p99_ns"),
        "guest_dom0_p50_vs_eventfd_p50": paired_ratio(samples, "gd_median_ns", "efd_median_ns"),
        "guest_dom0_p99_vs_eventfd_p99": paired_ratio(samples, "gd_p99_ns", "efd_p99_ns"),
    }
    header("core-bench", meta)
    rounds = sorted(samples.get("load", {}))
    busy = samples.get("busy", {})
    print("  per round (1-min load, % CPU busy before it): " + ", ".join(
        f"#{r} {samples['load'][r]:.2f} {busy.get(r, -1):.0f}%" for r in rounds))
    print()
    fmt = "  {:<34} {:>11} {:>23}  {:<30} {:>8}  {}"
    print(fmt.format("measurement", "median", "range over rounds", "baseline (same run), median",
                     "ratio", "target"))
    rng = lambda k: "-" if not s[k] else f"{us(s[k]['min'])} - {us(s[k]['max'])}"
    r = ratios
    rows = [
        ("hypercall (xen_version) round trip", "hc_ns", f"bare out: {us(med['bare_ns'])}",
         r["hypercall_vs_bare_out"], "<= 1.3"),
        ("event RTT guest<->guest, median", "gg_median_ns", f"host eventfd: {us(med['efd_median_ns'])}",
         r["guest_guest_p50_vs_eventfd_p50"], "report"),
        ("event RTT guest<->guest, p99", "gg_p99_ns", f"host eventfd p99: {us(med['efd_p99_ns'])}",
         r["guest_guest_p99_vs_eventfd_p99"], "report"),
        ("event RTT guest<->Dom0, median", "gd_median_ns", f"host eventfd: {us(med['efd_median_ns'])}",
         r["guest_dom0_p50_vs_eventfd_p50"], "report"),
        ("event RTT guest<->Dom0, p99", "gd_p99_ns", f"host eventfd p99: {us(med['efd_p99_ns'])}",
         r["guest_dom0_p99_vs_eventfd_p99"], "report"),
    ]
    for label, key, base, ratio, target in rows:
        print(fmt.format(label, us(med[key]), rng(key), base,
                         "-" if ratio is None else f"{ratio:.2f}", target))
    print()
    print("  per round: hypercall/bare ns " + ", ".join(
        f"{samples['hc_ns'].get(k, 0):.0f}/{samples['bare_ns'].get(k, 0):.0f}" for k in rounds))
    out = {"bench": "core", "meta": meta,
           "rounds": [{k: samples.get(k, {}).get(n) for k in CORE_KEYS + ["load", "busy"]}
                      | {"round": n}
                      for n in rounds],
           "summary": s, "ratios": ratios,
           "targets": {"hypercall_vs_bare_out": 1.3}}
    missing = [k for k in CORE_KEYS if len(samples.get(k, {})) != len(rounds)
               or any(v <= 0 for v in samples[k].values())]
    return out, missing


MEM_COMPS = ("pvxd", "pvxstored", "pvx-consoled", "monitors", "pv-guests")
KERNEL_FIELDS = ("SUnreclaim", "KernelStack", "PageTables", "SecPageTables", "Shmem")


def mem_section(samples):
    """Per idle domain: (after - before) / count. The cost of a process is
    Pss_Anon + Pss_File: its Pss without shared memory (guest RAM is a
    memfd, so what a guest touched is Pss_Shmem, reported apart)."""
    count = samples.get("mem_domains", {}).get(0)
    if not count:
        return None
    get = lambda phase, c, f: samples.get(f"mem_{phase}_{c}_{f}", {}).get(0, 0.0)
    comps = {}
    for c in MEM_COMPS:
        if not any(f"mem_{phase}_{c}_procs" in samples for phase in ("before", "after")):
            continue  # a run that did not record the component
        m = {}
        for phase in ("before", "after"):
            m[phase] = {f: get(phase, c, f) for f in
                        ("Rss", "Pss", "Pss_Anon", "Pss_File", "Pss_Shmem", "procs")}
            m[phase]["cost"] = m[phase]["Pss_Anon"] + m[phase]["Pss_File"]
        m["per_domain_kib"] = {f: (m["after"][f] - m["before"][f]) / count
                               for f in ("cost", "Rss", "Pss_Shmem")}
        comps[c] = m
    kernel = {f: (get("after", "kernel", f) - get("before", "kernel", f)) / count
              for f in KERNEL_FIELDS}
    total = sum(m["per_domain_kib"]["cost"] for m in comps.values())
    guest = (get("after", "guestram", "kib") - get("before", "guestram", "kib")) / count
    return {"domains": count, "components": comps, "kernel_per_domain_kib": kernel,
            "guest_ram_resident_per_domain_kib": guest,
            "process_cost_per_domain_kib": total}


def print_mem(mem):
    print()
    print(f"  host memory per idle domain ({int(mem['domains'])} idle domains, after - before, "
          "/proc/PID/smaps_rollup; cost = Pss_Anon + Pss_File, guest RAM (Pss_Shmem) apart):")
    fmt = "    {:<14} {:>6} {:>16} {:>16} {:>14} {:>14} {:>16}"
    print(fmt.format("process", "procs", "cost before KiB", "cost after KiB", "cost/dom KiB",
                     "Rss/dom KiB", "guest RAM/dom KiB"))
    for c, m in mem["components"].items():
        d = m["per_domain_kib"]
        print(fmt.format(c, f"{m['before']['procs']:.0f}->{m['after']['procs']:.0f}",
                         f"{m['before']['cost']:.0f}", f"{m['after']['cost']:.0f}",
                         f"{d['cost']:.1f}", f"{d['Rss']:.1f}", f"{d['Pss_Shmem']:.1f}"))
    print(f"    total process cost per idle domain: {mem['process_cost_per_domain_kib']:.1f} KiB "
          f"({mem['process_cost_per_domain_kib'] / 1024:.2f} MiB; target <= 3 MiB)")
    print(f"    guest RAM resident per domain (allocated blocks of the domain memfds; excluded): "
          f"{mem['guest_ram_resident_per_domain_kib']:.0f} KiB")
    k = mem["kernel_per_domain_kib"]
    print("    kernel, /proc/meminfo delta per domain (host-wide, so other users' activity is in it): "
          + ", ".join(f"{f} {v:.1f} KiB" for f, v in k.items()))


def lifecycle(meta, samples):
    sm = lambda k: summary(samples.get(k, {}).values())
    ready, cexit, destroy, ccpu = sm("ready_ns"), sm("create_exit_ns"), sm("destroy_ns"), sm("create_cpu_ns")
    lready, ldestroy, lcpu = sm("loaded_ready_ns"), sm("loaded_destroy_ns"), sm("loaded_create_cpu_ns")
    mass = samples.get("mass_ready_ns", {})
    mass_exit = samples.get("mass_exit_ns", {})
    mass_cpu = samples.get("mass_cpu_ns", {})
    total = samples.get("mass_total_ns", {}).get(0)
    header("lifecycle-bench", meta)
    ld, busy = samples.get("load", {}), samples.get("busy", {})
    print(f"  step 1 (cycles) load {ld.get(0, -1):.2f}, {busy.get(0, -1):.0f}% CPU busy before; "
          f"step 3 (back to back) load {ld.get(1, -1):.2f}, {busy.get(1, -1):.0f}% busy")
    print()
    print("  create -> 'minios: ready' on the console, and destroy (pvx create / pvx destroy wall time):")
    fmt = "    {:<38} {:>10} {:>10} {:>10} {:>10}"
    print(fmt.format("", "median", "p99", "min", "max"))
    for label, x in (("create to ready", ready), ("pvx create returns", cexit),
                     ("pvx create CPU (rusage)", ccpu),
                     ("pvx destroy returns", destroy)):
        if x:
            print(fmt.format(f"{label} (n={x['n']})", ms(x["median"]), ms(x["p99"]),
                             ms(x["min"]), ms(x["max"])))
    out = {"bench": "lifecycle", "meta": meta, "load": ld, "busy": busy,
           "create_to_ready": ready, "create_exit": cexit, "destroy": destroy,
           "create_cpu": ccpu, "loaded": {"create_to_ready": lready, "destroy": ldestroy,
                                          "create_cpu": lcpu},
           "targets": {"create_to_ready_median_ms": 50, "mem_per_idle_domain_kib": 3072,
                       "growth_100th_vs_1st": "none"}}
    if mass:
        n = max(mass)
        first10 = [mass[k] for k in sorted(mass)[:10]]
        last10 = [mass[k] for k in sorted(mass)[-10:]]
        out["back_to_back"] = {
            "domains": n, "total_ns": total, "first_ns": mass.get(1), "last_ns": mass.get(n),
            "first10_median_ns": statistics.median(first10),
            "last10_median_ns": statistics.median(last10),
            "ready": summary(mass.values()), "create_exit": summary(mass_exit.values()),
            "ready_ns_each": [mass[k] for k in sorted(mass)],
            "create_exit_ns_each": [mass_exit.get(k) for k in sorted(mass)],
            "create_cpu_ns_each": [mass_cpu.get(k) for k in sorted(mass)],
            "first10_cpu_median_ns": statistics.median([mass_cpu[k] for k in sorted(mass_cpu)[:10]]),
            "last10_cpu_median_ns": statistics.median([mass_cpu[k] for k in sorted(mass_cpu)[-10:]])}
        bb = out["back_to_back"]
        ncpu = int(samples.get("ncpu", {}).get(0, 1))
        bb["domains_per_s"] = n / (total / 1e9)
        print()
        print(f"  {n} domains created back to back, all kept running: total {total / 1e9:.2f} s "
              f"({n / (total / 1e9):.1f} domains/s, {n / (total / 1e9) / ncpu:.1f} per core), "
              f"create to ready median {ms(bb['ready']['median'])}")
        print(f"    1st {ms(bb['first_ns'])}, {n}th {ms(bb['last_ns'])}; "
              f"median of 1st-10th {ms(bb['first10_median_ns'])}, of last 10 "
              f"{ms(bb['last10_median_ns'])} (ratio {bb['last10_median_ns'] / bb['first10_median_ns']:.2f})")
        print(f"    pvx create CPU time: median of 1st-10th {ms(bb['first10_cpu_median_ns'])}, of last 10 "
              f"{ms(bb['last10_cpu_median_ns'])} (ratio "
              f"{bb['last10_cpu_median_ns'] / bb['first10_cpu_median_ns']:.2f})")
        if lready:
            print(f"    with {n} running, {lready['n']} more create/destroy cycles: create to ready median "
                  f"{ms(lready['median'])} (vs {ms(ready['median'])} with none), create CPU "
                  f"{ms(lcpu['median'])} (vs {ms(ccpu['median'])}), destroy {ms(ldestroy['median'])} "
                  f"(vs {ms(destroy['median'])})")
    mem = mem_section(samples)
    if mem:
        out["memory"] = mem
        print_mem(mem)
    md = samples.get("mass_destroy_ns", {})
    if md:
        out["back_to_back_destroy"] = summary(md.values())
        print(f"\n  destroying them one by one: median {ms(out['back_to_back_destroy']['median'])}, "
              f"p99 {ms(out['back_to_back_destroy']['p99'])}")
    print()
    print("  anchors: LightVM boot 2.3 ms; Firecracker <= 125 ms to guest init, 5 VMs/core/s, "
          "< 5 MiB VMM; xl create 1-2.5 s")
    print("  targets: median create-to-ready <= 50 ms; no growth with 100 running; "
          "<= 3 MiB per idle domain")
    missing = [k for k in ("ready_ns", "destroy_ns") if not samples.get(k)]
    return out, missing + lifecycle_sanity(meta, samples, out)


MAX_NS = 120e9  # no smoke step takes two minutes


def lifecycle_sanity(meta, samples, out):
    """What a broken probe, a unit slip or a lost sample would show."""
    bad = []
    params = dict(kv.split("=", 1) for kv in meta.get("params", "").split() if "=" in kv)
    want = {"": int(params.get("runs", 0)), "loaded_": int(params.get("loaded_runs", 0))}
    for prefix, n in want.items():
        for k in ("create_exit_ns", "ready_ns", "create_cpu_ns", "destroy_ns"):
            got = samples.get(prefix + k, {})
            if sorted(got) != list(range(1, n + 1)):
                bad.append(f"{prefix}{k}: runs {sorted(got)}, want 1..{n}")
        ex, rd, cpu = (samples.get(prefix + k, {}) for k in ("create_exit_ns", "ready_ns", "create_cpu_ns"))
        ncpu = samples.get("ncpu", {}).get(0, 1)
        for r in rd:
            if r in cpu and r in ex and cpu[r] > ex[r] * ncpu + 10e6:
                bad.append(f"{prefix}run {r}: create CPU {cpu[r]:.0f} ns exceeds its wall time {ex[r]:.0f}")
    ndom = int(params.get("domains", 0))
    for k in ("mass_exit_ns", "mass_ready_ns", "mass_cpu_ns", "mass_destroy_ns"):
        if sorted(samples.get(k, {})) != list(range(1, ndom + 1)):
            bad.append(f"{k}: {len(samples.get(k, {}))} samples, want {ndom}")
    for k, reps in samples.items():
        if k.endswith("_ns"):
            for r, v in reps.items():
                if not 0 < v <= MAX_NS or math.isnan(v):
                    bad.append(f"{k}[{r}] = {v} ns is not a time in (0, 120 s]")
    total = samples.get("mass_total_ns", {}).get(0, 0)
    creates = sum(samples.get("mass_ready_ns", {}).values())
    if total < 0.9 * creates:
        bad.append(f"mass_total_ns {total:.0f} shorter than its {ndom} creates ({creates:.0f})")
    if samples.get("mem_domains", {}).get(0) != ndom:
        bad.append(f"mem_domains {samples.get('mem_domains', {}).get(0)}, want {ndom}")
    mem = out.get("memory")
    cost = mem and mem.get("process_cost_per_domain_kib")
    if not cost or not 0 < cost < 1 << 20:
        bad.append(f"process cost per idle domain {cost} KiB is not in (0, 1 GiB)")
    return bad


def main(argv):
    if len(argv) < 3 or argv[1] not in ("core", "lifecycle"):
        print(__doc__, file=sys.stderr)
        return 2
    meta, samples = load_raw(argv[2])
    out, missing = (core if argv[1] == "core" else lifecycle)(meta, samples)
    if "--json" in argv:
        with open(argv[argv.index("--json") + 1], "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
            f.write("\n")
    if "--check" in argv and missing:
        print("missing, non-positive or insane figures:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
