#!/usr/bin/env python3
"""Holds N idle department connections to a service, each pinging every 15 s as a quiet
department system does (docs/protocol.md, idle timeout), and reports how many still
answer at the end. Measure the service's memory (VmRSS) meanwhile.

  HOLD=40 Benchmarks/idle_connections.py localhost 7402 var/certs/ca.pem 2000
"""
import socket, ssl, struct, json, sys, time, os
from concurrent.futures import ThreadPoolExecutor
host, port, ca, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
ctx = ssl.create_default_context(cafile=ca)
def frame(sock, obj):
    p = json.dumps(obj).encode(); sock.sendall(struct.pack(">I", len(p)) + p)
def recv(sock):
    h = b""
    while len(h) < 4: h += sock.recv(4 - len(h))
    (l,) = struct.unpack(">I", h); d = b""
    while len(d) < l: d += sock.recv(l - len(d))
    return json.loads(d)
def open_one(i):
    s = ctx.wrap_socket(socket.create_connection((host, port)), server_hostname="localhost")
    frame(s, {"id": 1, "method": "protocol.hello", "params": {"versions": [1], "client": "idle/1"}})
    assert recv(s)["id"] == 1
    return s
with ThreadPoolExecutor(32) as pool:
    socks = list(pool.map(open_one, range(n)))
print(f"{len(socks)} connections open", flush=True)
hold = float(os.environ.get("HOLD", "20")); end = time.time() + hold; k = 2
while time.time() < end:
    # Keep every connection alive as a quiet department system would: a ping each 15 s.
    for s in socks:
        frame(s, {"id": k, "method": "protocol.ping", "params": {}})
    k += 1
    time.sleep(min(15, max(0, end - time.time())))
alive = 0
for s in socks:
    s.setblocking(True); s.settimeout(5)
    try:
        while True:
            f = recv(s)
            if f.get("id") == k - 1: alive += 1; break
            if f.get("error"): break
    except Exception:
        pass
print(f"{alive} connections answered the last ping", flush=True)
