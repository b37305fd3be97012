#!/usr/bin/python3
"""A tiny SMTPD access policy server (SMTPD_POLICY_README protocol) for
the tests: it listens on inet:HOST:PORT or unix:PATH, logs every request
as one JSON line to --log, and answers from a JSON rule file that the test
may rewrite at any time:

    {"recipient:bad@example.com": "REJECT go away",
     "sender:x@y": "__close__",          # close without a reply
     "*": "DUNNO"}

Each logged request carries "conn", the number of the connection it
came on (1, 2, ...), so tests see connection reuse. Rule keys are
"attribute:value" (the first match wins in file order) or
"*". Special actions: "__close__" (hang up), "__sleep__N" (wait N seconds,
then hang up), "__raw__TEXT" (send TEXT as-is, "\\n" escapes allowed),
"__big__N" (an action line of N bytes). Every connection is served in its
own thread; the server stops on SIGTERM or when --max-seconds pass.
Run standalone:  policy_server.py --listen inet:127.0.0.1:9998 --rules r.json
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading
import time


def load_rules(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {"*": "DUNNO"}


def choose(rules, attrs):
    for key, action in rules.items():
        if key == "*":
            return action
        name, _, value = key.partition(":")
        if attrs.get(name) == value:
            return action
    return "DUNNO"


def serve(conn, args, lock, conn_id):
    conn.settimeout(30)
    data = b""
    try:
        while True:
            while b"\n\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
                if len(data) > 1 << 20:
                    return
            request, data = data.split(b"\n\n", 1)
            attrs = {}
            order = []
            for line in request.decode("utf-8", "replace").split("\n"):
                name, _, value = line.partition("=")
                attrs[name] = value
                order.append(name)
            with lock:
                with open(args.log, "a") as f:
                    f.write(json.dumps({"attrs": attrs, "order": order,
                                        "conn": conn_id}) + "\n")
            action = choose(load_rules(args.rules), attrs)
            if action == "__close__":
                return
            if action.startswith("__sleep__"):
                time.sleep(float(action[len("__sleep__"):]))
                return
            if action.startswith("__raw__"):
                conn.sendall(action[len("__raw__"):].encode()
                             .decode("unicode_escape").encode("latin-1"))
                continue
            if action.startswith("__big__"):
                n = int(action[len("__big__"):])
                conn.sendall(b"action=DUNNO " + b"x" * n + b"\n\n")
                continue
            conn.sendall(f"action={action}\n\n".encode())
    except OSError:
        return
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", required=True)
    p.add_argument("--rules", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--max-seconds", type=float, default=600)
    args = p.parse_args()
    kind, _, where = args.listen.partition(":")
    if kind == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(where):
            os.unlink(where)
        sock.bind(where)
        os.chmod(where, 0o666)
    else:
        host, _, port = where.rpartition(":")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, int(port)))
    sock.listen(16)
    sock.settimeout(0.5)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    lock = threading.Lock()
    deadline = time.monotonic() + args.max_seconds
    conn_count = 0
    print("ready", flush=True)
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            conn, _ = sock.accept()
        except socket.timeout:
            continue
        except OSError:
            break
        conn_count += 1
        threading.Thread(target=serve, args=(conn, args, lock, conn_count),
                         daemon=True).start()
    sock.close()
    if kind == "unix" and os.path.exists(where):
        os.unlink(where)
    sys.exit(0)


if __name__ == "__main__":
    main()
