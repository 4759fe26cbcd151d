#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Closed-loop request rate against a loopback daemon, for the profiling-cost
columns: tp.py memcached|dns PORT [SECONDS] [CLIENTS] -> prints requests/s."""
import socket, struct, sys, threading, time

kind, port = sys.argv[1], int(sys.argv[2])
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 4
clients = int(sys.argv[4]) if len(sys.argv) > 4 else 4
counts = [0] * clients


def memcached(i, end):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"set sdh 0 0 1\r\nv\r\n")
    s.recv(100)
    while time.monotonic() < end:
        s.sendall(b"get sdh\r\n")
        buf = b""
        while not buf.endswith(b"END\r\n"):
            buf += s.recv(4096)
        counts[i] += 1


def dns(i, end):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1)
    qname = b"".join(bytes([len(p)]) + p for p in b"a.example.test".split(b".")) + b"\0"
    n = 0
    while time.monotonic() < end:
        n = (n + 1) & 0xFFFF
        s.sendto(struct.pack(">HHHHHH", n, 0x0100, 1, 0, 0, 0) + qname + b"\0\1\0\1", ("127.0.0.1", port))
        try:
            s.recv(512)
            counts[i] += 1
        except socket.timeout:
            pass


end = time.monotonic() + seconds
fn = memcached if kind == "memcached" else dns
ts = [threading.Thread(target=fn, args=(i, end)) for i in range(clients)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(int(sum(counts) / seconds))
