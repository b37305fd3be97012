"""A small client of the anvil(8) protocol (docs/internals/protocols.md,
"Attribute lists" and "anvil"), for the system tests: strings and ints
only, no nested lists."""

import socket
import time


def encode(attrs):
    """[(name, value)] -> wire bytes; ints as 'i', the rest as 's'."""
    out = b""
    for name, value in attrs:
        if isinstance(value, int):
            out += b"i" + name.encode() + b"\0" + str(value).encode() + b"\0"
        else:
            out += b"s" + name.encode() + b"\0" + value.encode() + b"\0"
    return out + b"."


class AnvilConnection:
    """One connection to private/anvil."""

    def __init__(self, path, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.buf = b""
        self.greeting = self.read()

    def _more(self):
        chunk = self.sock.recv(4096)
        if not chunk:
            raise EOFError("end of input")
        self.buf += chunk

    def _take_until_nul(self):
        while b"\0" not in self.buf:
            self._more()
        field, self.buf = self.buf.split(b"\0", 1)
        return field.decode()

    def read(self):
        """One message as a dict (the first value of each name)."""
        attrs = {}
        while True:
            while not self.buf:
                self._more()
            kind, self.buf = self.buf[:1], self.buf[1:]
            if kind == b".":
                return attrs
            name = self._take_until_nul()
            value = self._take_until_nul()
            if kind in (b"i", b"l"):
                value = int(value)
            elif kind != b"s":
                raise ValueError(f"unexpected type {kind!r}")
            attrs.setdefault(name, value)

    def send_raw(self, data):
        self.sock.sendall(data)

    def request(self, kind, ident, protocol="anvil"):
        self.sock.sendall(encode([("protocol", protocol), ("request", kind),
                                  ("ident", ident)]))
        return self.read()

    def closed(self, timeout=5.0):
        """Did the server close the connection (within timeout)?"""
        deadline = time.monotonic() + timeout
        self.sock.settimeout(timeout)
        try:
            while time.monotonic() < deadline:
                if not self.sock.recv(4096):
                    return True
        except OSError:
            return True
        return False

    def close(self):
        self.sock.close()
