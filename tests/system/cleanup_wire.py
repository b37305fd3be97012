"""Python ends of the cleanup(8) wire formats, for the system tests.

Attribute lists and queue-file records as docs/internals/protocols.md and
docs/internals/queue-file.md describe them, written independently of the C
code so that the tests check the documents, not the implementation against
itself.
"""

import socket

# Attribute lists.


def attr_encode(items):
    """[(type, name, value)] -> bytes; type in 'i', 'l', 's', 'd', 'h'."""
    out = b""
    for kind, name, value in items:
        out += kind.encode() + name.encode() + b"\0"
        if kind in "il":
            out += str(value).encode() + b"\0"
        elif kind == "s":
            out += (value.encode() if isinstance(value, str) else value) + b"\0"
        elif kind == "d":
            out += str(len(value)).encode() + b":" + value
        elif kind == "h":
            out += attr_encode(value)[:-1] + b"."
    return out + b"."


class AttrReader:
    """Reads attribute lists from a socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _byte(self):
        if not self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("end of input")
            self.buf = chunk
        ch, self.buf = self.buf[:1], self.buf[1:]
        return ch

    def _until(self, stop):
        out = b""
        while True:
            ch = self._byte()
            if ch == stop:
                return out
            out += ch

    def read(self):
        """One message as a list of (type, name, value)."""
        items = []
        while True:
            kind = self._byte()
            if kind == b".":
                return items
            name = self._until(b"\0").decode()
            if kind in (b"i", b"l"):
                items.append((kind.decode(), name, int(self._until(b"\0"))))
            elif kind == b"s":
                items.append(("s", name, self._until(b"\0").decode(
                    errors="replace")))
            elif kind == b"d":
                length = int(self._until(b":"))
                data = b"".join(self._byte() for _ in range(length))
                items.append(("d", name, data))
            elif kind == b"h":
                items.append(("h", name, self.read()))
            else:
                raise ValueError(f"bad type byte {kind!r}")


def attr_dict(items):
    """First value of each name."""
    result = {}
    for _, name, value in items:
        result.setdefault(name, value)
    return result

# Records.


def record(kind, data=b""):
    if isinstance(data, str):
        data = data.encode()
    return kind.encode() + str(len(data)).encode() + b" " + data + b"\n"


def parse_records(blob):
    """bytes -> [(type, data)]; raises ValueError on damage."""
    records = []
    pos = 0
    while pos < len(blob):
        kind = chr(blob[pos])
        space = blob.index(b" ", pos + 1)
        length = int(blob[pos + 1:space])
        data = blob[space + 1:space + 1 + length]
        if len(data) != length or blob[space + 1 + length:space + 2 + length] != b"\n":
            raise ValueError(f"damaged record at offset {pos}")
        records.append((kind, data))
        pos = space + 2 + length
    return records


def message_records(sender, recipients, content, attrs=(), time=None):
    """The records of a simple message: envelope, content lines, X, Z."""
    out = b""
    if time is not None:
        out += record("T", time)
    out += record("F", sender)
    for attr in attrs:
        out += record("A", attr)
    for rcpt in recipients:
        out += record("R", rcpt)
    out += record("M")
    if isinstance(content, str):
        content = content.encode()
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for line in lines:
        out += record("L", line)
    out += record("X") + record("Z")
    return out


class CleanupClient:
    """One cleanup conversation over public/cleanup."""

    def __init__(self, path, timeout=20):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.reader = AttrReader(self.sock)
        self.greeting = attr_dict(self.reader.read())
        self.queue_id = self.greeting.get("queue_id")

    def request(self, flags):
        self.sock.sendall(attr_encode([("s", "protocol", "cleanup"),
                                       ("i", "flags", flags)]))

    def send(self, data):
        self.sock.sendall(data)

    def reply(self):
        return attr_dict(self.reader.read())

    def close(self):
        self.sock.close()


# Request flags (cleanup_proto.h).
FLAG_BOUNCE = 1
FLAG_FILTER = 2
FLAG_HOLD = 4
FLAG_DISCARD = 8
FLAG_BCC_OK = 16
FLAG_MAP_OK = 32
FLAG_EXTRACT = 64
FLAG_SMTPUTF8 = 128
FLAG_UTF8_DETECT = 512
FLAGS_DEFAULT = FLAG_FILTER | FLAG_BCC_OK | FLAG_MAP_OK

# Reply status bits.
STAT_BAD = 1
STAT_WRITE = 2
STAT_SIZE = 4
STAT_CONT = 8
STAT_HOPS = 16
STAT_RCPT = 32
STAT_DEFER = 64
