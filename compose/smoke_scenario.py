#!/usr/bin/env python3
"""The Compose smoke test's scenario, driven from the host through the published ports.

It speaks the district protocol directly (docs/protocol.md: TLS, 4-byte big-endian length,
JSON), as a department's own system would, and keeps what it learnt in a state file so
that the steps can run around container restarts and a database restore:

  smoke_scenario.py STATE seed           log in as the bootstrap administrators, build a
                                         small district (org tree, users and roles, a grid
                                         with its boundary, the matter catalogue)
  smoke_scenario.py STATE loop           one case through the whole closed loop
  smoke_scenario.py STATE report-until STOPFILE
                                         reports cases one after another until STOPFILE
                                         exists, retrying each with its idempotency key
                                         across connection failures; every acknowledged
                                         case id is recorded
  smoke_scenario.py STATE check          every acknowledged case is there exactly once,
                                         and the closed case is still closed and rated

Environment: SMOKE_HOST (127.0.0.1), SMOKE_CA (the district CA), SMOKE_ADMIN_PASSWORD,
SMOKE_IDENTITY_PORT (7401), SMOKE_DISPATCH_PORT (7402).
"""
import json
import os
import socket
import ssl
import struct
import sys
import time
import uuid

HOST = os.environ.get("SMOKE_HOST", "127.0.0.1")
CA = os.environ.get("SMOKE_CA")
PORTS = {
    "identity": int(os.environ.get("SMOKE_IDENTITY_PORT", "7401")),
    "dispatch": int(os.environ.get("SMOKE_DISPATCH_PORT", "7402")),
}
USER_PASSWORD = "Smoke-test-2026!"


def log(*parts):
    print("[scenario]", *parts, flush=True)


class CallError(Exception):
    def __init__(self, method, error):
        super().__init__(f"{method}: {error.get('code')}: {error.get('message')}")
        self.code = error.get("code")


class Connection:
    """One TLS connection; requests are sent one at a time (ids still matched)."""

    def __init__(self, service, timeout=10):
        context = ssl.create_default_context(cafile=CA)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        raw = socket.create_connection((HOST, PORTS[service]), timeout=timeout)
        self.sock = context.wrap_socket(raw, server_hostname="localhost")
        self.next_id = 1
        self.service = service
        hello = self.call("protocol.hello", {"versions": [1], "client": "compose-smoke/1"})
        assert hello["version"] == 1, hello

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _send(self, obj):
        payload = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        self.sock.sendall(struct.pack(">I", len(payload)) + payload)

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("connection closed by the server")
            data += chunk
        return data

    def _recv(self):
        (length,) = struct.unpack(">I", self._recv_exact(4))
        return json.loads(self._recv_exact(length).decode("utf-8"))

    def call(self, method, params, token=None, key=None):
        request_id = self.next_id
        self.next_id += 1
        request = {"id": request_id, "method": method, "params": params}
        if token:
            request["token"] = token
        if key:
            request["idempotencyKey"] = key
        self._send(request)
        while True:
            frame = self._recv()
            if frame.get("id") != request_id:
                continue  # heartbeats, pushed events
            if "error" in frame:
                raise CallError(method, frame["error"])
            return frame["result"]


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, state):
    with open(path + ".tmp", "w") as f:
        json.dump(state, f, ensure_ascii=False, indent=1)
    os.replace(path + ".tmp", path)


def login(identity, name, password):
    return identity.call("auth.login", {"loginName": name, "password": password})["accessToken"]


# A grid of about 1 km by 550 m in the shape of an L, and the points reports come from:
# 14 × 7 spots about 60 m and 78 m apart in its southern part; with 4 categories, 392
# reports before a spot and category repeat (a repeat within 50 m and 24 h would be
# merged into the earlier case, which the check allows for).
GRID = {"type": "Polygon", "coordinates": [[
    [116.3850, 39.9100], [116.3950, 39.9100], [116.3950, 39.9150], [116.3900, 39.9150],
    [116.3900, 39.9200], [116.3850, 39.9200], [116.3850, 39.9100],
]]}
SPOTS = [{"longitude": 116.3852 + 0.0007 * (i % 14), "latitude": 39.9102 + 0.0007 * (i // 14)} for i in range(98)]
CATEGORIES = ["road_damage", "streetlight", "drain_blocked", "illegal_parking"]


def seed(state_path):
    admin_password = os.environ["SMOKE_ADMIN_PASSWORD"]
    identity = Connection("identity")
    sysadmin = login(identity, "sysadmin", admin_password)
    secadmin = login(identity, "secadmin", admin_password)
    # The district root d01 was created with the administrators (districtctl accounts create-admin).
    nodes = {"d01": identity.call("org.get", {"path": "d01"}, token=sysadmin)["node"]["id"]}
    for parent, code, kind, name in [
        ("d01", "s01", "street", "幸福街道"), ("d01.s01", "c01", "community", "新华社区"),
        ("d01.s01.c01", "g001", "grid", "第一网格"), ("d01", "cg", "department", "城管局"),
    ]:
        node = identity.call("org.create", {"parentPath": parent, "code": code, "kind": kind, "name": name}, token=sysadmin)
        nodes[node["path"]] = node["id"]
    log("org tree: district d01 → street s01 → community c01 → grid g001, department cg")
    users = {
        "resident1": ("resident", "d01", None),
        "gridworker1": ("grid_worker", "d01.s01.c01.g001", None),
        "handler1": ("department_handler", "d01", "cg"),
        "centre1": ("street_command_centre", "d01.s01", None),
        "districtcentre": ("district_command_centre", "d01", None),
    }
    for name, (role, path, department) in users.items():
        params = {"loginName": name, "displayName": name, "password": USER_PASSWORD}
        if department:
            params["department"] = department
        user = identity.call("user.create", params, token=sysadmin)
        grant = {"userID": user["id"], "role": role, "nodeID": nodes[path]}
        if department:
            grant["department"] = department
        identity.call("role.grant", grant, token=secadmin)
    log("users with roles:", ", ".join(f"{n} ({r} at {p})" for n, (r, p, _) in users.items()))
    identity.close()

    dispatch = Connection("dispatch")
    dispatch.call("grid.define", {"path": "d01.s01.c01.g001", "boundary": GRID, "legacyGrids": []}, token=sysadmin)
    centre = login(Connection("identity"), "districtcentre", USER_PASSWORD)
    dispatch.call("catalogue.publish", {"district": "d01", "categories": [
        {"code": code, "name": code, "level": "department", "department": "cg", "departmentByStreet": {},
         "acceptWithinMinutes": 120, "resolveWithinMinutes": 1440} for code in CATEGORIES]}, token=centre)
    dispatch.close()
    log("grid g001 boundary defined; catalogue published with", len(CATEGORIES), "categories routed to cg")
    save(state_path, {"acknowledged": [], "closed": None})


def tokens():
    identity = Connection("identity")
    result = {name: login(identity, name, USER_PASSWORD) for name in ["resident1", "handler1", "centre1"]}
    identity.close()
    return result


def report_params(n):
    return {
        "category": CATEGORIES[n % len(CATEGORIES)], "title": f"冒烟测试 {n}", "description": "人行道破损，需要修复",
        "channel": "resident", "location": SPOTS[(n // len(CATEGORIES)) % len(SPOTS)],
    }


def loop(state_path):
    state = load(state_path)
    t = tokens()
    dispatch = Connection("dispatch")
    reported = dispatch.call("case.report", report_params(0), token=t["resident1"], key="smoke-loop")
    case = reported["case"]
    state["acknowledged"].append(case["id"])
    save(state_path, state)
    log("reported", case["number"], "in", case["orgPath"], "state", case["state"])
    steps = [
        ("case.accept", {"caseId": case["id"]}, "centre1", "dispatched"),
        ("case.claim", {"caseId": case["id"]}, "handler1", "claimed"),
        ("case.start", {"caseId": case["id"]}, "handler1", "in_progress"),
        ("case.resolve", {"caseId": case["id"], "note": "已修复"}, "handler1", "resolved"),
        ("case.verify", {"caseId": case["id"], "passed": True}, "centre1", "verified"),
        ("case.close", {"caseId": case["id"]}, "centre1", "closed"),
        ("case.rate", {"caseId": case["id"], "satisfaction": "satisfied"}, "resident1", "closed"),
    ]
    for method, params, who, expected in steps:
        result = dispatch.call(method, params, token=t[who])
        assert result["state"] == expected, (method, result["state"], expected)
        log(f"{method} by {who} → {result['state']}")
    assert result.get("department") == "cg", result
    state["closed"] = case["id"]
    save(state_path, state)
    dispatch.close()


def report_until(state_path, stop_file):
    """Reports cases one by one; a report is retried with its key until acknowledged."""
    state = load(state_path)
    t = tokens()
    n = len(state["acknowledged"])
    dispatch = None
    failures = 0
    run = uuid.uuid4().hex[:8]
    while not os.path.exists(stop_file) or dispatch is None:
        key = f"smoke-{run}-{n}"
        while True:
            try:
                if dispatch is None:
                    dispatch = Connection("dispatch", timeout=5)
                reported = dispatch.call("case.report", report_params(n), token=t["resident1"], key=key)
                break
            except (OSError, ConnectionError, ssl.SSLError, struct.error) as error:
                failures += 1
                if dispatch is not None:
                    dispatch.close()
                dispatch = None
                if failures % 10 == 1:
                    log(f"report {n} not acknowledged yet ({type(error).__name__}); retrying with key {key}")
                time.sleep(0.2)
            except CallError as error:
                if error.code in ("unavailable", "deadline_exceeded", "shutting_down"):
                    failures += 1
                    time.sleep(0.2)
                    continue
                raise
        state["acknowledged"].append(reported["case"]["id"])
        save(state_path, state)
        n += 1
        if os.path.exists(stop_file):
            break
        time.sleep(0.05)
    log(f"{n} reports acknowledged in all; {failures} attempts failed while the service was away")


def check(state_path, label):
    state = load(state_path)
    t = tokens()
    dispatch = Connection("dispatch")
    # A report merged into an earlier case acknowledges that case's id again.
    distinct = list(dict.fromkeys(state["acknowledged"]))
    numbers = set()
    for case_id in distinct:
        case = dispatch.call("case.get", {"caseId": case_id}, token=t["centre1"])
        numbers.add(case["number"])
    assert len(numbers) == len(distinct), "two cases share a case number"
    listed = 0
    cursor = None
    while True:
        params = {"path": "d01.s01", "limit": 200}
        if cursor:
            params["cursor"] = cursor
        page = dispatch.call("case.list", params, token=t["centre1"])
        listed += len(page["cases"])
        cursor = page.get("nextCursor")
        if not cursor:
            break
    assert listed == len(distinct), f"{listed} cases listed, {len(distinct)} distinct cases acknowledged"
    closed = dispatch.call("case.get", {"caseId": state["closed"]}, token=t["centre1"])
    assert closed["state"] == "closed" and closed["satisfaction"] == "satisfied", closed
    log(f"{label}: all {len(state['acknowledged'])} acknowledged reports present ({len(distinct)} cases, each once, "
        f"{listed} listed); the closed case is closed and rated")
    dispatch.close()


def main():
    state_path, command = sys.argv[1], sys.argv[2]
    if command == "seed":
        seed(state_path)
    elif command == "loop":
        loop(state_path)
    elif command == "report-until":
        report_until(state_path, sys.argv[3])
    elif command == "check":
        check(state_path, sys.argv[3] if len(sys.argv) > 3 else "check")
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
