#!/usr/bin/env python3
"""A minimal xenstore socket client for the persistence tests.

  writer SOCK OUT    write /kill/N = N (every 10th N as a transaction of
                     /kill/tx/N/a and /kill/tx/N/b), print N to OUT after
                     each reply, until the connection breaks
  check SOCK ACKED   every N in ACKED is in the store; every transaction
                     present is whole; CONTROL check says OK
  fill SOCK MIB      a store of MIB MiB (4000-byte values under /big)
  fillmax SOCK N     write 4000-byte values until one is refused (at most N)
  trickle SOCK SECS RATE   RATE small writes per second for SECS seconds
"""
import socket, struct, sys, time

WRITE, READ, TSTART, TEND, CONTROL, ERROR, DIRECTORY = 11, 2, 6, 7, 0, 16, 1

class Conn:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.rid = 0

    def _recv(self, n):
        b = b""
        while len(b) < n:
            k = self.s.recv(n - len(b))
            if not k:
                raise EOFError
            b += k
        return b

    def req(self, typ, payload, tx=0):
        self.rid += 1
        self.s.sendall(struct.pack("<IIII", typ, self.rid, tx, len(payload)) + payload)
        while True:
            t, r, _, n = struct.unpack("<IIII", self._recv(16))
            body = self._recv(n)
            if t != 15:  # skip watch events
                return t, body

    def write(self, path, val, tx=0):
        t, b = self.req(WRITE, path.encode() + b"\0" + val, tx)
        if t == ERROR:
            raise OSError(b.decode(errors="replace"))

    def read(self, path):
        t, b = self.req(READ, path.encode() + b"\0")
        return None if t == ERROR else b

def writer(sock, out):
    c = Conn(sock)
    f = open(out, "w")
    n = 0
    try:
        while True:
            if n % 10 == 0:
                t, b = c.req(TSTART, b"\0")
                tx = int(b.rstrip(b"\0"))
                c.write("/kill/tx/%d/a" % n, b"A", tx)
                c.write("/kill/tx/%d/b" % n, b"B", tx)
                t, b = c.req(TEND, b"T\0", tx)
                if t == ERROR:
                    raise OSError(b)
            c.write("/kill/%d" % n, str(n).encode())
            f.write("%d\n" % n)
            f.flush()
            n += 1
    except (EOFError, OSError):
        pass

def check(sock, acked):
    c = Conn(sock)
    last = -1
    for line in open(acked):
        if line.strip():
            last = int(line)
    for n in range(last + 1):
        v = c.read("/kill/%d" % n)
        if v != str(n).encode():
            sys.exit("acknowledged /kill/%d lost (read %r); last acked %d" % (n, v, last))
        if n % 10 == 0 and (c.read("/kill/tx/%d/a" % n) != b"A" or
                            c.read("/kill/tx/%d/b" % n) != b"B"):
            sys.exit("acknowledged transaction %d lost" % n)
    # Anything beyond: whole transactions only.
    t, b = c.req(DIRECTORY, b"/kill/tx\0")
    for name in b.split(b"\0"):
        if name:
            a = c.read("/kill/tx/%s/a" % name.decode())
            bb = c.read("/kill/tx/%s/b" % name.decode())
            if (a is None) != (bb is None):
                sys.exit("transaction %s half applied" % name)
    t, b = c.req(CONTROL, b"check\0")
    if t == ERROR or not b.startswith(b"OK"):
        sys.exit("CONTROL check: %r" % b)
    print("ok %d acknowledged writes present" % (last + 1))

def fill(sock, mib):
    c = Conn(sock)
    val = b"v" * 4000  # with the path, within the 4096-byte payload
    for i in range((mib << 20) // 4000 + 1):
        c.write("/big/%d/%d" % (i // 1000, i % 1000), val)

def fillmax(sock, limit):
    """Writes 4000-byte values until refused; prints count and the error."""
    c = Conn(sock)
    val = b"v" * 4000
    for i in range(limit):
        try:
            c.write("/max/%d/%d" % (i // 1000, i % 1000), val)
        except OSError as e:
            print(i, e)
            return
    print(i + 1, "none")

def trickle(sock, secs, rate):
    c = Conn(sock)
    end = time.time() + secs
    i = 0
    while time.time() < end:
        c.write("/trickle/%d" % (i % 50), b"x" * 64)
        i += 1
        time.sleep(1.0 / rate)

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "writer":
        writer(sys.argv[2], sys.argv[3])
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3])
    elif cmd == "fill":
        fill(sys.argv[2], int(sys.argv[3]))
    elif cmd == "fillmax":
        fillmax(sys.argv[2], int(sys.argv[3]))
    elif cmd == "trickle":
        trickle(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
