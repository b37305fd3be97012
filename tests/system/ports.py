"""Free loopback ports for the system tests.

    free_port(host="127.0.0.1") -> a port free for TCP and UDP on host

Each pytest-xdist worker (environment PYTEST_XDIST_WORKER=gwN; without
xdist, worker 0) hands out ports from its own range, below the kernel's
ephemeral range (ip_local_port_range starts at 32768): two workers never
give out the same port, and no client socket's ephemeral port can take
one between this check and the server's bind(). Within a worker, ports
are handed out in turn, from a place that depends on the process ID, so
one that a test just gave up is not reused at once and two pytest
sessions that run side by side (not under one xdist) rarely meet.
"""

import os
import socket

BASE = 10000                # first port of worker 0
SPAN = 2000                 # ports per worker
WORKERS = 11                # 10000 + 11 * 2000 = 32000 < 32768

_cursor = os.getpid() % SPAN


def _worker():
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = name[2:] if name.startswith("gw") else ""
    return int(digits) % WORKERS if digits.isdigit() else 0


def _bindable(host, port):
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind((host, port))
            except OSError:
                return False
    return True


def free_port(host="127.0.0.1"):
    """A port of this worker's range that is free for TCP and UDP."""
    global _cursor
    first = BASE + _worker() * SPAN
    for _ in range(SPAN):
        port = first + _cursor % SPAN
        _cursor += 1
        if _bindable(host, port):
            return port
    raise RuntimeError(f"no free port in {first}-{first + SPAN - 1}")
