#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ (checked in; rerun
after changing an input format: python3 tests/fuzz/gen-corpus.py). Each
seed is a small valid input or an edge case, in the format the target's
harness (tests/fuzz/fuzz_<target>.c) documents."""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# --- xenstore: chunks [sel][type][tx][len][payload] (sel%3: dom0, 5, 6;
# sel%4==3: guest 7's ring; sel&0x80: raw bytes) -------------------------
XS = dict(CONTROL=0, DIRECTORY=1, READ=2, GET_PERMS=3, WATCH=4, UNWATCH=5,
          TXS=6, TXE=7, INTRODUCE=8, RELEASE=9, GET_DOMAIN_PATH=10, WRITE=11,
          MKDIR=12, RM=13, SET_PERMS=14, IS_INTRO=17, SET_TARGET=19,
          RESET_WATCHES=21, DIRECTORY_PART=22)


def xs(sel, typ, payload, tx=0):
    return bytes([sel, XS[typ], tx, len(payload)]) + payload


def xs_hdr(typ, payload, rid=1, tx=0):
    return struct.pack("<IIII", XS[typ], rid, tx, len(payload)) + payload


def ring(op, v32=0, data=b""):
    return bytes([3, op]) + struct.pack("<I", v32) + bytes([len(data)]) + data


put("xenstore", "write-read", xs(0, "WRITE", b"/local/domain/5/data/x\0hello") +
    xs(0, "READ", b"/local/domain/5/data/x\0") + xs(0, "DIRECTORY", b"/local/domain\0"))
put("xenstore", "guest-perms", xs(1, "WRITE", b"data/k\0v") + xs(1, "READ", b"/local/domain/6/data\0") +
    xs(0, "SET_PERMS", b"/local/domain/5/data\0r5\0n6\0") + xs(2, "GET_PERMS", b"/local/domain/5/data\0"))
put("xenstore", "transaction", xs(0, "TXS", b"\0") + xs(0, "WRITE", b"/t/a\0one", tx=1) +
    xs(4, "WRITE", b"/local/domain/5/data/b\0two") + xs(0, "TXE", b"T\0", tx=1))
put("xenstore", "watches", xs(0, "WATCH", b"/local\0tok\0") + xs(1, "WATCH", b"data\0g\0") +
    xs(0, "WRITE", b"/local/domain/5/data/w\0x") + xs(0, "RM", b"/local/domain/5/data\0") +
    xs(0, "UNWATCH", b"/local\0tok\0") + xs(1, "RESET_WATCHES", b""))
put("xenstore", "domains", xs(0, "GET_DOMAIN_PATH", b"5\0") + xs(0, "IS_INTRO", b"7\0") +
    xs(0, "SET_TARGET", b"5\0" + b"6\0") + xs(1, "READ", b"/local/domain/6/data\0") +
    xs(0, "RELEASE", b"7\0") + xs(0, "CONTROL", b"check\0"))
put("xenstore", "raw-bad-headers", bytes([0x80, 16]) + struct.pack("<IIII", 2, 1, 0, 0xffffffff) +
    bytes([0x80, 16]) + struct.pack("<IIII", 99, 1, 0, 4) + bytes([0x80, 3]) + b"abc")
put("xenstore", "blocked-reader", bytes([0x40, XS["WATCH"], 0, 4]) + b"/\0t\0" +
    xs(0, "WRITE", b"/a\0" + b"x" * 200) * 4 + xs(0, "READ", b"/a\0"))
put("xenstore", "ring-request", ring(0, 0, xs_hdr("READ", b"/local/domain/7/data\0")) +
    ring(0, 0, xs_hdr("WRITE", b"data/r\0val")) + ring(0, 0, xs_hdr("DIRECTORY", b"data\0")))
put("xenstore", "ring-hostile", ring(1, 0xfffffff0) + ring(2, 0x7fffffff) + ring(3, 1) +
    ring(0, 0, xs_hdr("READ", b"data\0")) + ring(1, 4096))
put("xenstore", "dir-part", xs(0, "DIRECTORY_PART", b"/local/domain\0" + b"0\0") +
    xs(0, "MKDIR", b"/" + b"d/" * 60 + b"\0"))

# --- ctl: datagrams [flags][len16][hdr][payload] ---------------------------
MAGIC = 0x50565843
OPS = dict(HELLO=0, CREATE=1, DESTROY=2, PAUSE=3, UNPAUSE=4, LIST=5, INFO=6,
           GET_MEMFD=7, SET_BOOT=8, SET_HVM=9, GET_HVM=10, EV_ALLOC=11, EV_BIND=12,
           EV_NOTIFY=13, EV_CLOSE=14, SUBSCRIBE=15, DMESG=16, RENAME=17, SHUTDOWN=18,
           GNT_MAP=19, GNT_UNMAP=20, GNT_COPY=21)


def ctl(op, payload=b"", domid=-1, flags=0, magic=MAGIC, length=None):
    h = struct.pack("<IHHIIii", magic, OPS[op] if isinstance(op, str) else op, 0, 7,
                    len(payload) if length is None else length, domid, 0)
    d = h + payload
    return bytes([flags]) + struct.pack("<H", len(d)) + d


def create_req(name=b"guest", mem=65536, maxmem=0, vcpus=1, frames=0, flags=0, typ=0):
    return (name.ljust(64, b"\0")[:64] + bytes(16) +
            struct.pack("<QQIIII", mem, maxmem, vcpus, frames, flags, typ))


put("ctl", "hello-list", ctl("HELLO") + ctl("LIST") + ctl("LIST", struct.pack("<iI", 0, 2)))
put("ctl", "create", ctl("CREATE", create_req()) + ctl("CREATE", create_req(b"a/b")) +
    ctl("CREATE", create_req(mem=1022)) + ctl("CREATE", create_req(vcpus=0)) +
    ctl("CREATE", create_req(maxmem=1 << 62, typ=9)))
put("ctl", "domain-ops", ctl("DESTROY", domid=1) + ctl("INFO", domid=0) +
    ctl("RENAME", b"new-name".ljust(64, b"\0"), domid=1) + ctl("SHUTDOWN", struct.pack("<iI", 0, 0), domid=1) +
    ctl("SET_HVM", struct.pack("<IIQ", 1, 0, 5), domid=1))
put("ctl", "dmesg", ctl("DMESG", struct.pack("<QII", 0, 4096, 0)) +
    ctl("DMESG", struct.pack("<QII", 1 << 63, 0xffffffff, 0), domid=3))
put("ctl", "bad-headers", ctl("HELLO", magic=0x12345678) + ctl("HELLO", length=5) +
    ctl(200) + ctl("LIST", b"\1\2\3") + ctl("CREATE", b"short") + ctl("HELLO", flags=1) +
    bytes([0, 3, 0]) + b"abc" + ctl("HELLO", length=0x7fffffff))
put("ctl", "forced-fields", bytes([6, 24, 0]) + bytes(24) + bytes([6, 40, 0]) + struct.pack("<I", 0) +
    struct.pack("<H", OPS["DMESG"]) + bytes(34))

# --- hcall: calls [nr][cmd][sel][b][plen][payload] -------------------------
HC = dict(memory_op=12, set_timer_op=15, xen_version=17, console_io=18, grant_table_op=20,
          vcpu_op=24, sched_op=29, callback_op=30, event_channel_op=32, hvm_op=34, sysctl=35)
SELF = 0x7FF0


def hc(nr, cmd, payload=b"", sel=0, b=0):
    return bytes([HC[nr] if isinstance(nr, str) else nr, cmd, sel, b, len(payload)]) + payload


# sel: bits 0-1 arg1 (0 scratch, 1 scratch+b*8, 2 b, 3 hostile[b]);
# bits 2-3 arg2 (0: 1, 1: b, 2: SCRATCH2, 3: huge); bit 5: cmd*256.
put("hcall", "version", hc("xen_version", 0) + hc("xen_version", 6, struct.pack("<II", 0, 0)) +
    hc("xen_version", 3) + hc("xen_version", 1, sel=3, b=5))
put("hcall", "memory", hc("memory_op", 3, struct.pack("<H", SELF)) + hc("memory_op", 4, struct.pack("<H", SELF)) +
    hc("memory_op", 9, struct.pack("<IIQ", 2, 0, 0x3000)) +
    hc("memory_op", 1, struct.pack("<QIIH", 0x3000, 1, 0, SELF).ljust(24, b"\0")) +
    hc("memory_op", 7, struct.pack("<HHIQQ", SELF, 0, 1, 0, 0x200)))
put("hcall", "evtchn", hc("event_channel_op", 6, struct.pack("<HHI", SELF, 8, 0)) +
    hc("event_channel_op", 4, struct.pack("<I", 1)) + hc("event_channel_op", 5, struct.pack("<HHI", SELF, 0, 1)) +
    hc("event_channel_op", 1, struct.pack("<III", 0, 0, 0)) + hc("event_channel_op", 7, struct.pack("<II", 0, 0)) +
    hc("event_channel_op", 3, struct.pack("<I", 1)) + hc("event_channel_op", 9, struct.pack("<I", 0xffffffff)))
put("hcall", "gnttab", hc("grant_table_op", 0, struct.pack("<HHIQ", SELF, 1, 0, 0x3000)) +
    hc("grant_table_op", 6, struct.pack("<HHII", SELF, 0, 0, 0)) +
    hc("grant_table_op", 10, struct.pack("<I", 1)) + hc("grant_table_op", 11, struct.pack("<HHI", SELF, 0, 0)) +
    hc("grant_table_op", 5, bytes(48)) + hc("grant_table_op", 5, bytes(48), sel=4, b=200) +
    hc("grant_table_op", 0, struct.pack("<HHIQ", SELF, 0xffff, 0, 0x3000)))
put("hcall", "misc", hc("console_io", 0, b"hello\n", sel=4, b=6) + hc("console_io", 1) +
    hc("hvm_op", 1, struct.pack("<HHIQ", SELF, 0, 2, 0)) + hc("hvm_op", 0, struct.pack("<HHIQ", SELF, 0, 1, 9)) +
    hc("vcpu_op", 10, struct.pack("<QII", 0x2000 >> 12, 64, 0), sel=2, b=0) +
    hc("vcpu_op", 6, struct.pack("<QI", 1 << 40, 0), sel=2) + hc("set_timer_op", 0, sel=2, b=1) +
    hc("callback_op", 0, struct.pack("<IIQ", 0, 0, 0x1000)) + hc("sched_op", 2, struct.pack("<I", 0)) +
    hc("sysctl", 0) + hc(47, 0) + hc("sched_op", 5, struct.pack("<I", 3)))
put("hcall", "hostile-pointers", b"".join(hc(n, c, b"", sel=3, b=k)
    for n, c in (("memory_op", 3), ("event_channel_op", 6), ("grant_table_op", 0),
                 ("console_io", 0), ("hvm_op", 1)) for k in range(0, 10, 3)))

# --- blkif: [sectors u64][flags][max_indirect u16] + ring slots (112 B) --------
def disk(sectors=2048, flags=0x0e, max_ind=256):
    return struct.pack("<QBH", sectors, flags, max_ind)


def rw(op, segs, sector=0, rid=1):
    s = b"".join(struct.pack("<IBBH", g, f, l, 0) for g, f, l in segs)
    return (struct.pack("<BBHIQQ", op, len(segs), 0, 0, rid, sector) + s).ljust(112, b"\0")


def discard(sector, n, flag=0):
    return struct.pack("<BBHIQQQ", 5, flag, 0, 0, 9, sector, n).ljust(112, b"\0")


def indirect(op, nseg, sector=0, pages=(1,)):
    g = b"".join(struct.pack("<I", p) for p in pages)
    return (struct.pack("<BBHIQQHH", 6, op, nseg, 0, 3, sector, 0, 0) + g).ljust(112, b"\0")


def segs(n):
    return b"".join(struct.pack("<IBBH", i, 0, 7, 0) for i in range(n))


put("blkif", "read-write", disk() + rw(0, [(1, 0, 7)]) + rw(1, [(2, 0, 7), (3, 0, 3)], sector=8) +
    rw(3, []) + rw(2, [(4, 0, 7)]))
put("blkif", "bounds", disk() + rw(0, [(1, 0, 7)], sector=2040) + rw(0, [(1, 0, 7)], sector=2041) +
    rw(0, [(1, 7, 0)]) + rw(0, [(1, 0, 8)]) + rw(0, [(1, 0, 7)] * 12) + rw(0, []) +
    rw(0, [(1, 0, 7)], sector=(1 << 64) - 1))
put("blkif", "readonly", disk(flags=0x01) + rw(1, [(1, 0, 7)]) + rw(0, [(1, 0, 7)]) + discard(0, 8) +
    rw(3, []) + indirect(1, 8))
put("blkif", "discard", disk() + discard(0, 2048) + discard(8, 2041) + discard(1, 8, flag=1) +
    discard((1 << 64) - 8, 16))
put("blkif", "indirect", disk() + indirect(0, 32, pages=(1,)) + segs(32) + indirect(1, 600, pages=range(5)) +
    segs(600) + indirect(0, 0) + indirect(0, 257) + indirect(2, 8) + segs(8))
put("blkif", "no-features", disk(sectors=0, flags=0, max_ind=0) + rw(2, [(1, 0, 7)]) + rw(3, []) +
    discard(0, 1) + indirect(0, 8) + rw(0, [(1, 0, 0)]) + rw(99, []))

# --- console: [out_cons u32][in_cons u32] + ops [op][arg]... -----------------
def con(start_out=0, start_in=0, ops=b""):
    return struct.pack("<II", start_out, start_in) + ops


put("console", "echo", con(ops=bytes([0, 6]) + b"hello\n" + bytes([2, 10, 3, 3]) + b"ls\n" + bytes([6, 0, 2, 1])))
put("console", "wrap", con(0xfffffff0, 0xfffffffa, bytes([0, 40]) + bytes(range(40)) + bytes([2, 200, 3, 20]) +
    b"x" * 20 + bytes([6, 0, 3, 20]) + b"y" * 20))
put("console", "full", con(ops=(bytes([0, 255]) + b"z" * 255) * 5 + bytes([2, 255, 2, 255, 2, 255])))
put("console", "hostile-index", con(ops=bytes([0, 4]) + b"abcd" + bytes([4, 1]) + struct.pack("<I", 0x80000000) +
    bytes([2, 50, 4, 0]) + struct.pack("<I", 0xffffff00) + bytes([3, 5]) + b"input" + bytes([5, 3, 7, 0, 2, 9])))
put("console", "restart", con(100, 200, bytes([0, 10]) + b"0123456789" + bytes([7, 0, 2, 20, 7, 0, 3, 2]) + b"ok"))

# --- spec: [sel][spec] (sel bit 0: vif, bit 1: base dir) ---------------------
for i, s in enumerate([b"target=/tmp/d.img,format=raw,vdev=xvda,access=rw", b"/tmp/d.img,raw,xvdb,ro",
                       b"phy:/dev/sdb,xvda,w", b"file:d.img,xvda,w", b"vdev=xvdz,target=a b c",
                       b"target=x,vdev=hda", b",,,,", b"target=,vdev=xvda", b"format=qcow2,vdev=xvda,target=t",
                       b"direct-io-safe,vdev=xvdc,target=rel/img"]):
    put("spec", "disk-%d" % i, bytes([2 if i % 2 else 0]) + s)
for i, s in enumerate([b"mac=00:16:3e:01:02:03,bridge=pvxbr0", b"script=vif-route,ip=10.0.0.2/24,gateway=10.0.0.1",
                       b"vifname=tap0,model=e1000,type=vif", b"mac=zz:16:3e:01:02:03", b"mac=01:00:00:00:00:00",
                       b"ip=10.0.0.300", b"script=/etc/xen/scripts/vif-bridge,bridge=br0", b"script=vif-route",
                       b"vifname=" + b"x" * 40, b" mac = 00:16:3E:AA:BB:CC , "]):
    put("spec", "vif-%d" % i, bytes([1 | (2 if i % 2 else 0)]) + s)

# --- config: xl.cfg files -----------------------------------------------------
put("config", "minios.cfg", 'name = "minios"\ntype = "pvh"\nkernel = "out/guest/minios"\nmemory = 32\n'
    'vcpus = 2\nmaxmem = 64\non_crash = "destroy"\nextra = "hello world"\n'
    'disk = [ "target=/tmp/d.img,format=raw,vdev=xvda,access=rw" ]\nvif = [ "mac=00:16:3e:00:00:01,bridge=pvxbr0" ]\n')
put("config", "syntax.cfg", "# comment\nmemory=0x20 ; vcpus = 1\nextra = 'single' \"double\"\n"
    "disk = [ 'a,raw,xvda,rw',\n  'b,raw,xvdb,ro', ]\nextra += ' more'\nfoo = 1\n")
put("config", "errors.cfg", 'builder = "hvm"\nname = "unterminated\nmemory = [1,\n')
put("config", "numbers.cfg", "memory = 18446744073709551616\nvcpus = -1\nmaxmem = 1e3\nmemory=0777\n")
put("config", "escapes.cfg", 'extra = "\\x41\\n\\t\\\\ \\"q\\" \\777"\nname = "\xff\xfe"\n')
put("config", "long-line.cfg", "extra = [" + "''," * 10000 + "]\n")
put("config", "empty.cfg", "")

# --- elf: minimal kernels -------------------------------------------------------
def elf(notes, load_paddr=0x100000, load_size=0x40, etype=2, machine=62, phoff=64, extra_ph=b""):
    nphdr = 2 + len(extra_ph) // 56
    data_off = phoff + 56 * nphdr
    note_off = data_off
    note_len = len(notes)
    load_off = note_off + note_len
    hdr = (b"\x7fELF\x02\x01\x01" + bytes(9) +
           struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, load_paddr, phoff, 0, 0, 64, 56, nphdr, 64, 0, 0))
    ph_note = struct.pack("<IIQQQQQQ", 4, 4, note_off, 0, 0, note_len, note_len, 4)
    ph_load = struct.pack("<IIQQQQQQ", 1, 7, load_off, load_paddr, load_paddr, load_size, load_size + 0x1000, 0x1000)
    return hdr + ph_note + ph_load + extra_ph + notes + b"\x90" * load_size


def note(name, typ, desc):
    n = name + b"\0"
    pad = lambda b: b + bytes((4 - len(b) % 4) % 4)
    return struct.pack("<III", len(n), len(desc), typ) + pad(n) + pad(desc)


put("elf", "pvh", elf(note(b"Xen", 18, struct.pack("<I", 0x100000))))
put("elf", "pv", elf(note(b"PVX", 1, struct.pack("<Q", 0x100010))))
put("elf", "both", elf(note(b"Xen", 18, struct.pack("<I", 0x100000)) + note(b"PVX", 1, struct.pack("<Q", 0x100000))))
put("elf", "entry-outside", elf(note(b"Xen", 18, struct.pack("<I", 0x200000))))
put("elf", "no-note", elf(note(b"GNU", 3, b"abcd")))
put("elf", "overlap", elf(note(b"Xen", 18, struct.pack("<I", 0x100000)),
                          extra_ph=struct.pack("<IIQQQQQQ", 1, 7, 0, 0x100020, 0x100020, 0x40, 0x40, 0)))
put("elf", "huge-size", elf(note(b"Xen", 18, struct.pack("<I", 0x100000)), load_size=0x40)[:-0x40])
put("elf", "not-elf", b"\x7fELF\x01\x01\x01" + bytes(57))

# --- netif: [feat][ro u32] + steps (tests/fuzz/fuzz_netif.c step()) ------------
def txreq(gref, off, flags, rid, size):
    return struct.pack("<IHHHH", gref, off, flags, rid, size)


def txslots(reqs):
    return bytes([0, len(reqs)]) + b"".join(reqs)


put("netif", "one-packet", bytes([0]) + struct.pack("<I", 0) + txslots([txreq(1, 0, 0, 1, 60)]) + bytes([1, 64]))
put("netif", "chain", bytes([1]) + struct.pack("<I", 0) +
    txslots([txreq(1, 0, 4, 1, 3000), txreq(2, 0, 4, 2, 1000), txreq(3, 0, 0, 3, 2000)]) + bytes([1, 64]))
put("netif", "rx", bytes([0]) + struct.pack("<I", 2) + bytes([3, 4]) +
    b"".join(struct.pack("<HHI", i, 0, i + 1) for i in range(4)) + bytes([6, 4, 1, 0]) + bytes(10) + bytes([0, 60]))
put("netif", "hostile", bytes([6]) + struct.pack("<I", 0xffffffff) + bytes([2]) + struct.pack("<I", 0x80000001) +
    bytes([1, 8, 5]) + struct.pack("<II", 0, 0xffffffff) + txslots([txreq(99, 4095, 0, 1, 65535)]) + bytes([1, 8]) +
    bytes([7, 3]) + txreq(1, 0, 4, 1, 100) + txreq(2, 0, 0, 2, 10) + txreq(3, 0, 0, 3, 5))

# --- migstream: a whole migration stream (docs/migration.md) --------------------
import hashlib


def mig_rec(typ, body):
    return struct.pack("<II", typ, len(body)) + body + bytes((8 - len(body) % 8) % 8)


def mig_stream(gtype=1, pages=((3, 0xa5),), zero=(0xFEFF8,), state=b"S" * 40, xs=((b"data/k", b"v"),)):
    hdr = b"PVXMIG\r\n" + struct.pack("<IIIIQQII", 1, 4096, gtype, 0, 64 * 4096, 0xFEFF8000, 4, 1)
    pfns = [p for p, _ in pages] + list(zero)
    body = struct.pack("<II", len(pfns), 0) + b"".join(struct.pack("<Q", p) for p, _ in pages)
    body += b"".join(struct.pack("<Q", z | (1 << 60)) for z in zero) + b"".join(bytes([b]) * 4096 for _, b in pages)
    out = hdr + mig_rec(1, b'name = "f"\nmemory = 1\n') + mig_rec(2, body)
    out += mig_rec(3, struct.pack("<IIQ", 0, 1, len(pfns)))
    out += mig_rec(4, struct.pack("<QQ", 0, len(state)) + state)
    xsb = struct.pack("<II", len(xs), 0) + b"".join(struct.pack("<HH", len(p), len(v)) + p + v for p, v in xs)
    out += mig_rec(5, xsb)
    return out + mig_rec(6, hashlib.sha256(out).digest())


put("migstream", "valid", mig_stream())
put("migstream", "valid-pvh", mig_stream(gtype=0, pages=((0, 1), (1, 2)), zero=(), xs=()))
put("migstream", "truncated", mig_stream()[:-20])
put("migstream", "bad-magic", b"PVXMIG\n\n" + mig_stream()[8:])
put("migstream", "escaping-xs", mig_stream(xs=((b"../0/x", b"v"),)))
