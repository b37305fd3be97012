"""Test stand-ins for the delivery agents and the bounce/defer/trace
services, so that qmgr(8) can be tested on its own.

FakeAgent listens on $queue_directory/private/<transport> itself (master.cf
needs no entry: qmgr only connects to that path) and speaks the delivery
protocol of docs/internals/delivery.md section 2 in the attribute-list
wire format of docs/internals/protocols.md. For each recipient a policy
function chooses the outcome; the agent marks delivered and bounced
recipients done (R -> D, one byte at the record's offset) as a real agent
does, records every request, and counts deliveries in progress.

FakeBounce does the same for private/bounce, defer and trace: it records
the requests (APPEND, FLUSH, WARN, TRACE), keeps a log file per queue ID
in bounce/, defer/ or trace/ (so that qmgr sees that a log exists) and
answers success.

Everything runs in daemon threads with bounded socket timeouts; stop()
closes the listener and waits for the handler threads.
"""

import os
import socket
import threading
import time

TIMEOUT = 10.0


class AttrError(Exception):
    pass


def encode(attrs):
    """Encode [(type, name, value)] (value a list for "h") as one message."""
    out = b""
    for atype, name, value in attrs:
        out += atype.encode() + name.encode() + b"\0"
        if atype == "h":
            out += encode(value)
        elif atype == "d":
            out += str(len(value)).encode() + b":" + value
        else:
            out += str(value).encode() + b"\0"
    return out + b"."


class Reader:
    """Reads attribute-list messages from a socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.pos = 0

    def _fill(self):
        if self.pos >= len(self.buf):
            data = self.sock.recv(65536)
            if not data:
                raise AttrError("end of input")
            self.buf, self.pos = data, 0

    def byte(self):
        self._fill()
        self.pos += 1
        return self.buf[self.pos - 1:self.pos]

    def until(self, stop):
        out = b""
        while True:
            self._fill()
            end = self.buf.find(stop, self.pos)
            if end >= 0:
                out += self.buf[self.pos:end]
                self.pos = end + 1
                return out
            out += self.buf[self.pos:]
            self.pos = len(self.buf)
            if len(out) > 100000:
                raise AttrError("value too long")

    def message(self):
        """One message as a list of (name, value); nested lists as lists."""
        result = []
        while True:
            t = self.byte()
            if t == b".":
                return result
            name = self.until(b"\0").decode()
            if t in (b"i", b"l"):
                result.append((name, int(self.until(b"\0"))))
            elif t == b"s":
                result.append((name, self.until(b"\0").decode("utf-8", "replace")))
            elif t == b"d":
                n = int(self.until(b":"))
                data = b""
                while len(data) < n:
                    data += self.byte()
                result.append((name, data))
            elif t == b"h":
                result.append((name, self.message()))
            else:
                raise AttrError("bad type byte %r" % t)


def first(attrs, name, default=None):
    for n, v in attrs:
        if n == name:
            return v
    return default


def every(attrs, name):
    return [v for n, v in attrs if n == name]


class _Server:
    """A listening UNIX socket served by one thread per connection."""

    def __init__(self, path, owner=None):
        self.path = str(path)
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        os.chmod(self.path, 0o666)
        if owner:
            os.lchown(self.path, *owner)
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.stopping = False
        self.threads = []
        self.lock = threading.Lock()
        self.errors = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(TIMEOUT)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self.lock:
                self.threads.append(t)
            t.start()

    def _serve(self, conn):
        try:
            self.handle(conn)
        except (AttrError, OSError, ValueError) as e:
            with self.lock:
                self.errors.append(str(e))
        finally:
            conn.close()

    def stop(self):
        self.stopping = True
        self.acceptor.join(5)
        self.listener.close()
        for t in list(self.threads):
            t.join(TIMEOUT + 5)
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def sent_policy(address):
    return ("sent", "2.0.0")


class FakeAgent(_Server):
    """A delivery agent on private/<transport>.

    policy(address) returns ("sent" | "bounced" | "deferred", dsn),
    ("crash", None) to close the connection without a reply,
    ("garbage", None) to send a malformed reply, or
    ("dead", dsn) to defer and report the next hop dead. delay seconds
    are spent on each request before the reply (to see concurrency);
    hold, an Event, keeps replies back until it is set; gate, a
    Semaphore, lets one reply go per release() (to step deliveries one
    at a time). sync=False marks recipients done without fsync (for
    tests with thousands of recipients). A policy may look at
    current.index, the number of the request it is called for."""

    def __init__(self, queue_dir, transport, policy=sent_policy, delay=0.0,
                 owner=None, hold=None, gate=None, sync=True):
        self.queue_dir = queue_dir
        self.policy = policy
        self.delay = delay
        self.hold = hold
        self.gate = gate
        self.sync = sync
        self.current = threading.local()  # .index: this handler's request
        self.requests = []
        self.active_now = 0
        self.active_max = 0
        super().__init__(os.path.join(str(queue_dir), "private", transport),
                         owner)

    def mark_done(self, queue_name, queue_id, offset):
        path = os.path.join(str(self.queue_dir), queue_name, queue_id)
        fd = os.open(path, os.O_RDWR)
        try:
            if os.pread(fd, 1, offset) != b"R":
                raise AttrError("no R record at offset %d" % offset)
            os.pwrite(fd, b"D", offset)
            if self.sync:
                os.fsync(fd)
        finally:
            os.close(fd)

    def handle(self, conn):
        conn.sendall(encode([("s", "protocol", "delivery")]))
        reader = Reader(conn)
        req = reader.message()
        rcpts = every(req, "rcpt")
        with self.lock:
            self.active_now += 1
            self.active_max = max(self.active_max, self.active_now)
            self.requests.append({
                "queue_id": first(req, "queue_id"),
                "queue_name": first(req, "queue_name"),
                "nexthop": first(req, "nexthop"),
                "sender": first(req, "sender"),
                "flags": first(req, "flags"),
                "data_offset": first(req, "data_offset"),
                "data_size": first(req, "data_size"),
                "protocol": first(req, "protocol"),
                "rcpts": [first(r, "address") for r in rcpts],
                "time": time.time(),
            })
            self.current.index = len(self.requests) - 1
        try:
            if self.delay:
                time.sleep(self.delay)
            if self.hold is not None:
                self.hold.wait(TIMEOUT * 3)
            if self.gate is not None:
                self.gate.acquire(timeout=TIMEOUT * 3)
            results = []
            dead = 0
            for r in rcpts:
                what, dsn = self.policy(first(r, "address"))
                if what == "crash":
                    return
                if what == "garbage":
                    conn.sendall(b"istatus\0zero\0.")
                    return
                if what in ("sent", "bounced"):
                    self.mark_done(first(req, "queue_name"),
                                   first(req, "queue_id"), first(r, "offset"))
                outcome = {"sent": 0, "deferred": 1, "bounced": 2,
                           "dead": 1}[what]
                if what == "dead":
                    dead = 1
                results.append(("h", "result", [
                    ("l", "offset", first(r, "offset")),
                    ("i", "outcome", outcome),
                    ("s", "dsn_status", dsn)]))
            conn.sendall(encode([("i", "status", 0)] + results
                                + [("i", "dead", dead)]))
        finally:
            with self.lock:
                self.active_now -= 1


class FakeBounce(_Server):
    """private/bounce, defer or trace: records requests, answers 0."""

    NAMES = {1: "APPEND", 2: "FLUSH", 3: "WARN", 4: "TRACE"}

    def __init__(self, queue_dir, service, owner=None, status=0):
        self.queue_dir = queue_dir
        self.service = service
        self.status = status
        self.requests = []
        super().__init__(os.path.join(str(queue_dir), "private", service),
                         owner)

    def log_path(self, queue_id):
        return os.path.join(str(self.queue_dir), self.service, queue_id)

    def handle(self, conn):
        conn.sendall(encode([("s", "protocol", "bounce")]))
        reader = Reader(conn)
        while True:
            try:
                req = reader.message()
            except AttrError:
                return
            kind = self.NAMES.get(first(req, "request"), "?")
            queue_id = first(req, "queue_id")
            rcpt = first(req, "rcpt")
            entry = {"request": kind, "queue_id": queue_id,
                     "reason": first(req, "reason"),
                     "status": first(req, "status"),
                     "sender": first(req, "sender"),
                     "address": first(rcpt, "address") if rcpt else None}
            with self.lock:
                self.requests.append(entry)
            if self.status == 0 and queue_id:
                if kind == "APPEND":
                    os.makedirs(os.path.dirname(self.log_path(queue_id)),
                                exist_ok=True)
                    with open(self.log_path(queue_id), "a") as f:
                        f.write("%s\n\n" % entry["address"])
                elif kind in ("FLUSH", "TRACE"):
                    try:
                        os.unlink(self.log_path(queue_id))
                    except FileNotFoundError:
                        pass
            conn.sendall(encode([("i", "status", self.status)]))

    def kinds(self):
        with self.lock:
            return [r["request"] for r in self.requests]
