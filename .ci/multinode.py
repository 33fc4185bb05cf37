#!/usr/bin/env python3
"""Helpers of .ci/multinode.sh (Python standard library only).

  receive PORT LOG          a webhook receiver: answers 200 and appends each Idempotency-Key to LOG
  setup A B C               logs in as the demo admin through node A, proves the session on B and C,
                            then through C makes an officer API token, a gateway device token and a
                            webhook (JSON on stdout)
  drive                     the load: visits and HTTP heartbeats through HAProxy, device messages to
                            Mosquitto (MQTT 3.1.1, QoS 1), announcements; settings from the
                            environment (see multinode.sh); writes what was acknowledged (JSON)
"""

import http.client
import http.server
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid

PASSWORD = "langso-demo"


# --- HTTP -----------------------------------------------------------------------------------

class Client:
    """One keep-alive connection, made again after any failure."""

    def __init__(self, base, timeout=15):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.timeout = u.hostname, u.port, timeout
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        elif isinstance(body, str):
            body = body.encode()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
            data = r.read()
            if r.getheader("connection", "").lower() == "close":
                self.close()
            return r.status, r.headers, data
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return 0, {}, str(e).encode()

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def cookie(headers, name):
    for value in headers.get_all("set-cookie") or []:
        m = re.match(rf"{name}=([^;]*)", value)
        if m:
            return m.group(1)
    return None


def hidden(html, name):
    m = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return m.group(1) if m else ""


def fail(message):
    print(f"multinode: {message}", file=sys.stderr)
    sys.exit(1)


# --- webhook receiver -----------------------------------------------------------------------

def receive(port, log_path):
    lock = threading.Lock()
    log = open(log_path, "a", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            key = self.headers.get("idempotency-key", "")
            with lock:
                log.write(key + "\n")
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
    server.serve_forever()


# --- setup: a session made on one node, used on the others ----------------------------------

def setup(node_a, node_b, node_c, commune_id):
    a = Client(node_a)
    status, headers, body = a.request("GET", "/login")
    if status != 200:
        fail(f"GET /login on node A answered {status}")
    csrf_cookie = cookie(headers, "langso_csrf") or ""
    csrf = hidden(body.decode(), "csrf")
    form = urllib.parse.urlencode(
        {"login": "admin", "password": PASSWORD, "csrf": csrf, "next": "/account"}
    )
    status, headers, _ = a.request(
        "POST",
        "/login",
        form,
        {"content-type": "application/x-www-form-urlencoded", "cookie": f"langso_csrf={csrf_cookie}"},
    )
    session = cookie(headers, "langso_session")
    if status != 303 or not session:
        fail(f"login on node A answered {status} without a session cookie")
    sessions = {}
    for name, base in (("B", node_b), ("C", node_c)):
        status, _, body = Client(base).request(
            "GET", "/account", headers={"cookie": f"langso_session={session}"}
        )
        ok = status == 200 and "csrf" in body.decode()
        sessions[name] = status
        if not ok:
            fail(f"the session made on node A is not valid on node {name} (GET /account: {status})")
    c = Client(node_c)
    _, _, body = c.request("GET", "/account", headers={"cookie": f"langso_session={session}"})
    csrf = hidden(body.decode(), "csrf")
    auth = {"cookie": f"langso_session={session}", "x-csrf-token": csrf}

    def post(path, payload):
        status, _, body = c.request("POST", path, payload, auth)
        if status not in (200, 201):
            fail(f"POST {path} on node C with node A's session answered {status}: {body[:300]!r}")
        return json.loads(body)

    officer = post(
        "/api/v1/tokens",
        {"name": "multinode officer", "kind": "api", "role": "officer", "unit_id": commune_id},
    )["secret"]
    device = post(
        "/api/v1/tokens",
        {"name": "multinode gateway", "kind": "device", "role": "viewer", "unit_id": commune_id},
    )["secret"]
    webhook = post(
        "/api/v1/webhooks",
        {
            "unit_id": commune_id,
            "name": "multinode receiver",
            "url": os.environ["MN_WEBHOOK_URL"],
            "secret": "multinode-webhook-secret",
        },
    )
    json.dump(
        {"officer": officer, "device": device, "webhook": webhook.get("id"), "sessions": sessions},
        sys.stdout,
    )


# --- MQTT 3.1.1, QoS 1 (just enough to publish) ---------------------------------------------

def remaining_length(n):
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def mqtt_string(s):
    b = s.encode()
    return struct.pack("!H", len(b)) + b


def read_packet(sock):
    head = sock.recv(1)
    if not head:
        raise OSError("broker closed the connection")
    mult, length = 1, 0
    while True:
        b = sock.recv(1)[0]
        length += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            break
    data = b""
    while len(data) < length:
        chunk = sock.recv(length - len(data))
        if not chunk:
            raise OSError("broker closed the connection")
        data += chunk
    return head[0], data


class Mqtt:
    def __init__(self, host, port, client_id):
        self.sock = socket.create_connection((host, port), timeout=30)
        var = mqtt_string("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 60)
        payload = mqtt_string(client_id)
        body = var + payload
        self.sock.sendall(bytes([0x10]) + remaining_length(len(body)) + body)
        kind, data = read_packet(self.sock)
        if kind != 0x20 or data[1] != 0:
            raise OSError(f"CONNACK refused: {data!r}")
        self.next_id = 1

    def publish(self, topic, payload):
        """Publishes at QoS 1 and waits for the broker's PUBACK (the broker then owns it)."""
        pid = self.next_id
        self.next_id = self.next_id % 65535 + 1
        body = mqtt_string(topic) + struct.pack("!H", pid) + payload.encode()
        self.sock.sendall(bytes([0x32]) + remaining_length(len(body)) + body)
        while True:
            kind, data = read_packet(self.sock)
            if kind == 0x40 and struct.unpack("!H", data[:2])[0] == pid:
                return

    def close(self):
        try:
            self.sock.sendall(bytes([0xE0, 0]))
        finally:
            self.sock.close()


# --- the load -------------------------------------------------------------------------------

def drive():
    env = os.environ
    proxy = env["MN_PROXY"]
    officer, device = env["MN_OFFICER_TOKEN"], env["MN_DEVICE_TOKEN"]
    households = json.load(open(env["MN_HOUSEHOLDS_FILE"]))
    http_devices = json.load(open(env["MN_HTTP_DEVICES_FILE"]))
    mqtt_devices = json.load(open(env["MN_MQTT_DEVICES_FILE"]))
    visits, clients = int(env["MN_VISITS"]), int(env["MN_CLIENTS"])
    heartbeats = int(env["MN_HEARTBEATS"])
    messages = int(env["MN_MQTT_MESSAGES"])
    announcements = int(env["MN_ANNOUNCEMENTS"])
    commune = env["MN_COMMUNE_ID"]
    mqtt_host, mqtt_port = "127.0.0.1", int(env["MN_MQTT_PORT"])
    kill_file = env["MN_OUT"] + "/progress"

    lock = threading.Lock()
    result = {
        "visits_acked": [],
        "visits_refused": {},
        "visit_retries": 0,
        "heartbeats_acked": {},
        "heartbeats_attempted": {},
        "mqtt_acked": {},
        "announcements_acked": [],
        "errors": [],
    }
    done = {"visits": 0, "finished": 0}

    def keep_pace(i, n):
        """Waits until the visits are as far along as item i of n, so every stream runs across
        the whole load, the kill included."""
        while True:
            with lock:
                if done["finished"] * n >= visits * i or done["finished"] >= visits:
                    return
            time.sleep(0.02)

    def visit_worker(k):
        c = Client(proxy)
        auth = {"authorization": f"Bearer {officer}"}
        rng = random.Random(k)
        for n in range(k, visits, clients):
            household = households[n % len(households)]
            # Values every household may hold (a count is bounded by its adults, at least one).
            level1 = rng.randint(0, 1)
            body = {
                "id": str(uuid.uuid4()),
                "values": {
                    "vneid_1": level1,
                    "vneid_2": rng.randint(0, level1),
                    "vssid": rng.randint(0, 1),
                    "smartphones": rng.randint(0, 1),
                },
            }
            # A phone retries the same visit (same id) until it is answered: a replay is
            # written once, and a node that died mid-request must not lose an acknowledged one.
            for attempt in range(20):
                status, _, data = c.request("POST", f"/api/v1/households/{household}/visits", body, auth)
                if 200 <= status < 300:
                    with lock:
                        result["visits_acked"].append(body["id"])
                        done["visits"] += 1
                    break
                if status in (400, 403, 404, 409, 422):
                    with lock:
                        result["visits_refused"][str(status)] = result["visits_refused"].get(str(status), 0) + 1
                        if len(result["errors"]) < 5:
                            result["errors"].append(f"visit {status}: {data[:300].decode(errors='replace')}")
                    break
                with lock:
                    result["visit_retries"] += 1
                time.sleep(0.2)
            with lock:
                done["finished"] += 1
            if n % 50 == 0:
                with lock, open(kill_file, "w") as f:
                    f.write(str(done["visits"]))

    def heartbeat_worker(k, workers):
        c = Client(proxy)
        auth = {"authorization": f"Bearer {device}"}
        for n in range(k, heartbeats, workers):
            keep_pace(n, heartbeats)
            code = http_devices[n % len(http_devices)]
            with lock:
                result["heartbeats_attempted"][code] = result["heartbeats_attempted"].get(code, 0) + 1
            # No retry: a heartbeat sent again would count twice; the next one will come.
            status, _, _ = c.request(
                "POST",
                "/api/v1/telemetry",
                {"readings": [{"asset": code, "online": True, "battery": 60 + n % 40}]},
                auth,
            )
            if 200 <= status < 300:
                with lock:
                    result["heartbeats_acked"][code] = result["heartbeats_acked"].get(code, 0) + 1

    def mqtt_worker(k, workers):
        mine = mqtt_devices[k::workers]
        client = None
        for round_ in range(messages):
            keep_pace(round_, messages)
            for code, unit in mine:
                topic = f"langso/{unit}/{code}/status"
                payload = json.dumps({"asset": code, "online": True, "battery": 40 + round_ % 60})
                for attempt in range(5):
                    try:
                        if client is None:
                            client = Mqtt(mqtt_host, mqtt_port, f"mn-load-{k}-{os.getpid()}")
                        client.publish(topic, payload)
                        with lock:
                            result["mqtt_acked"][code] = result["mqtt_acked"].get(code, 0) + 1
                        break
                    except OSError as e:
                        client = None
                        with lock:
                            result["errors"].append(f"mqtt: {e}")
                        time.sleep(0.2)
        if client is not None:
            client.close()

    def announcement_worker():
        c = Client(proxy)
        auth = {"authorization": f"Bearer {officer}"}
        for n in range(announcements):
            keep_pace(n, announcements)
            body = {
                "unit_id": commune,
                "title": f"Thông báo nhiều máy chủ {n}",
                "body": "Kiểm tra nhiều máy chủ.",
                "category": "event",
            }
            for attempt in range(20):
                status, _, data = c.request("POST", "/api/v1/announcements", body, auth)
                if 200 <= status < 300:
                    with lock:
                        result["announcements_acked"].append(json.loads(data)["id"])
                    break
                if 400 <= status < 500:
                    with lock:
                        result["errors"].append(f"announcement {status}: {data[:300].decode(errors='replace')}")
                    break
                # Not answered: the node may have died after committing; sending it again could
                # publish it twice, which is the client's choice. Here: try again (counted).
                time.sleep(0.2)

    threads = [threading.Thread(target=visit_worker, args=(k,)) for k in range(clients)]
    hb_workers = max(1, clients // 4)
    threads += [threading.Thread(target=heartbeat_worker, args=(k, hb_workers)) for k in range(hb_workers)]
    mq_workers = min(4, len(mqtt_devices))
    threads += [threading.Thread(target=mqtt_worker, args=(k, mq_workers)) for k in range(mq_workers)]
    threads.append(threading.Thread(target=announcement_worker))
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result["seconds"] = round(time.time() - started, 1)
    out = env["MN_OUT"]
    json.dump(result, open(f"{out}/result.json", "w"))
    # For the checks in SQL (COPY … FROM STDIN).
    with open(f"{out}/visits.csv", "w") as f:
        f.writelines(f"{v}\n" for v in result["visits_acked"])
    with open(f"{out}/mqtt.csv", "w") as f:
        f.writelines(f"{c},{n}\n" for c, n in result["mqtt_acked"].items())
    with open(f"{out}/http.csv", "w") as f:
        f.writelines(
            f"{c},{result['heartbeats_acked'].get(c, 0)},{n}\n"
            for c, n in result["heartbeats_attempted"].items()
        )
    with open(f"{out}/announcements.csv", "w") as f:
        f.writelines(f"{a}\n" for a in result["announcements_acked"])


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "receive":
        receive(sys.argv[2], sys.argv[3])
    elif command == "setup":
        setup(*sys.argv[2:6])
    elif command == "drive":
        drive()
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
