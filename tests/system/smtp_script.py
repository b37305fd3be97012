"""A scripted, recording SMTP/LMTP server for the smtp(8)/lmtp(8) tests.

The server runs in threads of the test process, on 127.0.0.1 and a port
from ports.free_port() (or on a UNIX-domain socket), answers each
command as its script says and records everything: the exact bytes in
both directions, the chunk boundaries of every recv() (so a test can
assert how a client groups its writes under PIPELINING), the command
lines, and each message received (envelope and content bytes).

Quick use
---------
    from smtp_script import ScriptServer

    with ScriptServer(keywords=["PIPELINING", "8BITMIME"],
                      rcpt_replies={"bad@example.com": "550 5.1.1 no"}) as srv:
        ... let a client send mail to 127.0.0.1:srv.port ...
        srv.wait_messages(1)
        conn = srv.connections[0]
        assert conn.commands[:2] == ["EHLO client.example",
                                     "MAIL FROM:<a@example.com>"]
        msg = srv.messages[0]      # .mail_from, .rcpts, .data (bytes)

ScriptServer(**options)
-----------------------
Every option is a keyword argument; each is also an attribute that a
test may change between connections (a connection copies its options
when it is accepted; see also sessions=).

    greeting     the greeting reply (default "220 script.example ESMTP
                 scripted"). Like every reply below: a str whose lines
                 are separated by "\\n" (each line is sent with CRLF, so
                 a multi-line reply is "250-a\\n250 b"; bytes are sent
                 as they are, for malformed replies), a list of such
                 strings (the n-th use of that stage in a connection gets
                 the n-th element, the last one repeats), a callable
                 f(conn, argument) -> reply or None (None: the default
                 reply), or DROP (close the connection without a reply).
    hostname     the name in the EHLO/HELO/LHLO reply ("script.example").
    keywords     EHLO/LHLO keywords, in order (default DEFAULT_KEYWORDS:
                 PIPELINING, SIZE 10240000, 8BITMIME, ENHANCEDSTATUSCODES,
                 DSN, SMTPUTF8, CHUNKING). Leave one out to test a client
                 without it; add "XFORWARD NAME ADDR PROTO HELO" etc.
    lmtp         LMTP mode: the client must say LHLO (EHLO and HELO get
                 500), and after the end of the data (or BDAT LAST) the
                 server sends one reply per accepted recipient, in RCPT
                 order, from lmtp_replies (default "250 2.1.5 <addr> Ok").
    replies      {stage: reply}: replaces the default reply of a stage.
                 Stages: "greeting", "ehlo", "helo", "lhlo", "mail",
                 "rcpt", "data" (the reply to DATA: 354 goes on into the
                 message), "dot" (after the end of the data, SMTP mode),
                 "bdat" (a chunk that is not the last), "bdat_last",
                 "rset", "noop", "quit", "xforward", "vrfy", "starttls",
                 "unknown".
    rcpt_replies {address: reply} for RCPT TO by address (lower-cased,
                 without <>); takes precedence over replies["rcpt"].
    lmtp_replies {address: reply} after the dot in LMTP mode.
    drop_at      a stage (or a set of stages) where the server closes
                 the connection when the command arrives, without a
                 reply ("greeting": right after accept; "dot": after the
                 whole message arrived).
    stall        {stage: seconds}: wait that long (at most MAX_STALL) at
                 that stage before the reply (or the drop).
    close_after  stages after whose reply the server closes the
                 connection.
    hangup_ends_stall  True: a stall ends as soon as the client closes
                 the connection, and the stage is recorded in the
                 connection's .hangup_in_stall (so a test can tell that
                 the client gave up, or never waited, while the server
                 was silent). Default False: the stall runs its course.
    body_stall   (after_bytes, seconds): in the message content of DATA,
                 stop reading for that long once after_bytes have
                 arrived (once per connection), so that a client writing
                 a large message blocks (with rcvbuf= below). Recorded as
                 stage "body" in .hangup_in_stall.
    hangup_421   close the connection after any 421 reply (default True,
                 as servers do); False keeps it open until the client
                 closes it or says QUIT, so that what a client sends
                 after a 421 is recorded without a race.
    sessions     a list of dicts of options for the 1st, 2nd, ...
                 connection (each updates the options above for that
                 connection only), e.g. [{"greeting": "421 busy"}] makes
                 only the first connection fail.
    unix_path    listen on this UNIX-domain socket path instead of TCP.
    port         the TCP port (default: free_port()).
    max_connections  connections accepted in all (default 50); later ones
                 are closed at once and counted in .refused.
    max_line     longest command line (default 4096): a longer one gets
                 "500 5.5.2 line too long" and the connection closes.
    max_message  largest message content (default 32 MiB): more is
                 discarded, the message is marked .truncated.
    idle_timeout seconds without input before the server closes a
                 connection (default 30).
    rcvbuf       SO_RCVBUF of the listening socket (inherited by every
                 connection), e.g. 65536 to keep the window small for
                 body_stall; default: the system's.

Results (attributes, safe to read while the server runs)
---------------------------------------------------------
    .port, .host, .address (str for smtp relayhost: "[127.0.0.1]:PORT"),
    .connections  list of Connection, in accept order, each with
        .index          0, 1, ...
        .chunks         list of bytes: each recv() result, in order
        .chunk_times    time.monotonic() when each chunk was received
                        (parallel to .chunks)
        .sent           list of bytes: each reply the server wrote
        .events         list of ("C"|"S", bytes) in time order
        .client_bytes() all client bytes; .server_bytes() all server bytes
        .commands       the command lines (str, no CRLF) outside message
                        content, plus "." for the end of each DATA; when
                        the server ends a connection (drop, stall, 421,
                        QUIT) it also records the complete lines that
                        were already waiting unread (never waiting for
                        more), so the list shows what the client sent
        .groups()       the commands split by the recv() chunk in which
                        each ended: [["EHLO x"], ["MAIL ...", "RCPT ...",
                        "DATA"], ...]. A client that writes several
                        commands at once shows them in one group;
                        loopback delivers one write in one recv when the
                        server is waiting (a multi-kilobyte write may be
                        split, so compare small groups).
        .helo           the EHLO/HELO/LHLO argument
        .xforward       {NAME: value} from XFORWARD commands
        .closed_by      "client", "server" or "timeout"
        .hangup_in_stall  the stage whose stall the client's hangup ended
                        (hangup_ends_stall), else None
        .done           threading.Event set when the connection ended
    .messages     list of Message, each with
        .conn           the connection index
        .mail_from      the address without <> (str; "" for the null
                        sender) and .mail_params ({KEY: value or None})
        .rcpts          [(address, {KEY: value})] of every RCPT TO
        .accepted       the addresses the server accepted
        .data           the content (bytes): CRLF lines, dots unstuffed,
                        without the final "."; for BDAT the chunks joined
        .bdat_chunks    [bytes] of BDAT chunks (empty for DATA)
        .xforward       the connection's XFORWARD attributes then
        .truncated      True if max_message cut the content
    .refused       connections closed because of max_connections

Waiting (bounded; each raises AssertionError on timeout)
---------------------------------------------------------
    .wait_messages(n, timeout=30)     until n messages arrived
    .wait_connections(n, timeout=30)  until n connections ended
    .wait_connected(n, timeout=30)    until n connections were accepted

start() and stop() (or "with"): stop() closes the listener and every
connection and joins the threads (bounded). A module-level self-check runs
with "python3 smtp_script.py".
"""

import copy
import os
import socket
import threading
import time

from conftest import wait_until
from ports import free_port

DROP = object()
MAX_STALL = 120.0
DEFAULT_KEYWORDS = ("PIPELINING", "SIZE 10240000", "8BITMIME",
                    "ENHANCEDSTATUSCODES", "DSN", "SMTPUTF8", "CHUNKING")
STAGES = {"greeting", "ehlo", "helo", "lhlo", "mail", "rcpt", "data", "dot",
          "bdat", "bdat_last", "rset", "noop", "quit", "xforward", "vrfy",
          "starttls", "unknown"}
OPTIONS = {
    "greeting": "220 script.example ESMTP scripted",
    "hostname": "script.example",
    "keywords": DEFAULT_KEYWORDS,
    "lmtp": False,
    "replies": {},
    "rcpt_replies": {},
    "lmtp_replies": {},
    "drop_at": (),
    "stall": {},
    "close_after": (),
    "hangup_421": True,
    "hangup_ends_stall": False,
    "body_stall": None,
}


class Message:
    """One message as the server received it."""

    def __init__(self, conn, mail_from, mail_params, xforward):
        self.conn = conn
        self.mail_from = mail_from
        self.mail_params = mail_params
        self.rcpts = []
        self.accepted = []
        self.data = b""
        self.bdat_chunks = []
        self.xforward = dict(xforward)
        self.truncated = False

    def __repr__(self):
        return (f"Message(conn={self.conn}, from={self.mail_from!r}, "
                f"rcpts={[r for r, _ in self.rcpts]!r}, "
                f"{len(self.data)} bytes)")


class Connection:
    """The record of one connection."""

    def __init__(self, index):
        self.index = index
        self.chunks = []
        self.chunk_times = []
        self.sent = []
        self.events = []
        self.commands = []
        self._command_chunk = []
        self.helo = None
        self.xforward = {}
        self.closed_by = None
        self.hangup_in_stall = None
        self.done = threading.Event()

    def client_bytes(self):
        """Everything the client sent."""
        return b"".join(self.chunks)

    def server_bytes(self):
        """Everything the server sent."""
        return b"".join(self.sent)

    def groups(self):
        """The command lines grouped by the recv() chunk they ended in."""
        out, last = [], None
        for line, chunk in zip(self.commands, self._command_chunk):
            if chunk != last:
                out.append([])
                last = chunk
            out[-1].append(line)
        return out

    def __repr__(self):
        return f"Connection({self.index}, commands={self.commands!r})"


class _Closed(Exception):
    """The connection is over (peer, server decision, or timeout)."""


def _parse_path(argument, keyword):
    """Split "FROM:<addr> K=V ..." into (addr, {K: V}); None if bad."""
    head = argument[:len(keyword)].upper()
    if head != keyword:
        return None
    rest = argument[len(keyword):].lstrip()
    if rest.startswith("<"):
        end = rest.find(">")
        if end < 0:
            return None
        addr, params = rest[1:end], rest[end + 1:]
    else:
        addr, _, params = rest.partition(" ")
    table = {}
    for word in params.split():
        key, eq, value = word.partition("=")
        table[key.upper()] = value if eq else None
    return addr, table


def _unquote(addr):
    """"a b"@x -> a b@x (for address lookups only)."""
    if addr.startswith('"'):
        end = addr.rfind('"')
        if end > 0:
            return addr[1:end].replace('\\', '') + addr[end + 1:]
    return addr


class _Session:
    """Serve one connection by the script."""

    def __init__(self, server, sock, conn, options):
        self.server = server
        self.sock = sock
        self.conn = conn
        self.opt = options
        self.buf = b""
        self.uses = {}
        self.message = None
        self.idle = 0.0
        self.in_data = False

    # --- I/O ---------------------------------------------------------

    def _recv(self):
        """One recv() into the buffer; record its boundary."""
        while True:
            if self.server._stopping.is_set():
                self.conn.closed_by = self.conn.closed_by or "server"
                raise _Closed()
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                self.idle += self.server.POLL
                if self.idle >= self.server.idle_timeout:
                    self.conn.closed_by = "timeout"
                    raise _Closed()
                continue
            except OSError:
                self.conn.closed_by = "client"
                raise _Closed()
            if not chunk:
                self.conn.closed_by = "client"
                raise _Closed()
            self.idle = 0.0
            with self.server._lock:
                self.conn.chunks.append(chunk)
                self.conn.chunk_times.append(time.monotonic())
                self.conn.events.append(("C", chunk))
            self.buf += chunk
            return

    def _line(self, limit):
        """The next CRLF (or LF) line without its ending, as bytes."""
        while True:
            end = self.buf.find(b"\n")
            if end > limit + 1:
                self.buf = self.buf[end + 1:]
                return None
            if end >= 0:
                line, self.buf = self.buf[:end], self.buf[end + 1:]
                return line[:-1] if line.endswith(b"\r") else line
            if len(self.buf) > limit:
                return None
            self._recv()

    def _bytes(self, count):
        """Exactly count bytes (BDAT), bounded by max_message."""
        out = []
        while count > 0:
            if not self.buf:
                self._recv()
            piece = self.buf[:count]
            self.buf = self.buf[len(piece):]
            out.append(piece)
            count -= len(piece)
        return b"".join(out)

    def _send(self, text):
        if isinstance(text, bytes):
            data = text
        else:
            data = "".join(line + "\r\n" for line in text.split("\n"))
            data = data.encode("utf-8", "surrogateescape")
        with self.server._lock:
            self.conn.sent.append(data)
            self.conn.events.append(("S", data))
        try:
            self.sock.sendall(data)
        except OSError:
            self.conn.closed_by = "client"
            raise _Closed()

    def drain(self):
        """Record what the client sent that was not served: the bytes
        already waiting in the socket (without waiting for more) and the
        complete command lines among them."""
        try:
            self.sock.setblocking(False)
            while True:
                chunk = self.sock.recv(1 << 20)
                if not chunk:
                    break
                with self.server._lock:
                    self.conn.chunks.append(chunk)
                    self.conn.chunk_times.append(time.monotonic())
                    self.conn.events.append(("C", chunk))
                self.buf += chunk
        except OSError:
            pass
        if self.in_data:
            return
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            if len(line) > self.server.max_line:
                continue
            self._note(line.rstrip(b"\r").decode("utf-8", "surrogateescape"))

    def _note(self, line):
        """Record one command line and the chunk it ended in."""
        with self.server._lock:
            self.conn.commands.append(line)
            self.conn._command_chunk.append(len(self.conn.chunks) - 1)

    # --- the script --------------------------------------------------

    def _stall(self, seconds, stage):
        """Wait seconds (at most MAX_STALL) without reading; True when
        the server is stopping. With hangup_ends_stall, the client's
        hangup ends it (recorded; the connection is over)."""
        seconds = min(float(seconds), MAX_STALL)
        if not self.opt["hangup_ends_stall"]:
            return self.server._stopping.wait(seconds)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                # Look without taking: pending input stays for later.
                peek = self.sock.recv(1, socket.MSG_PEEK)
            except socket.timeout:
                peek = None
            except OSError:
                peek = b""
            if peek == b"":
                self.conn.hangup_in_stall = stage
                self.conn.closed_by = "client"
                raise _Closed()
            if self.server._stopping.wait(self.server.POLL if peek else 0):
                return True
        return self.server._stopping.is_set()

    def _scripted(self, stage, table, key=None):
        """The script's reply for stage (or table[key]); None: default."""
        value = None
        if key is not None and key in table:
            value = table[key]
        elif key is None and stage in table:
            value = table[stage]
        if isinstance(value, (list, tuple)):
            use = self.uses.get(stage, 0)
            value = value[min(use, len(value) - 1)] if value else None
        return value

    def _reply(self, stage, default, argument="", key=None, table=None):
        """Stall, drop or answer at stage; return the reply code sent."""
        self.uses.setdefault(stage, 0)
        stall = self.opt["stall"].get(stage)
        if stall:
            if self._stall(stall, stage):
                self.conn.closed_by = "server"
                raise _Closed()
        if stage in self.opt["drop_at"]:
            self.conn.closed_by = "server"
            raise _Closed()
        if table is None:
            table = self.opt["replies"]
        reply = self._scripted(stage, table, key)
        if reply is None and key is not None:
            reply = self._scripted(stage, self.opt["replies"])
        self.uses[stage] += 1
        if callable(reply) and reply is not DROP:
            reply = reply(self.conn, argument)
        if reply is DROP:
            self.conn.closed_by = "server"
            raise _Closed()
        if reply is None:
            reply = default
        self._send(reply)
        code = reply[:3]
        if isinstance(code, bytes):
            code = code.decode("ascii", "replace")
        if (code == "421" and self.opt["hangup_421"]) \
                or stage in self.opt["close_after"]:
            self.conn.closed_by = "server"
            raise _Closed()
        return code

    def _ehlo_reply(self):
        lines = [self.opt["hostname"]] + list(self.opt["keywords"])
        return "\n".join(("250 " if i == len(lines) - 1 else "250-") + text
                         for i, text in enumerate(lines))

    def run(self):
        """The command loop."""
        self._reply("greeting", self.opt["greeting"])
        while True:
            raw = self._line(self.server.max_line)
            if raw is None:
                self._note("<line too long>")
                self._send("500 5.5.2 Error: line too long")
                self.conn.closed_by = "server"
                raise _Closed()
            line = raw.decode("utf-8", "surrogateescape")
            self._note(line)
            verb, _, argument = line.partition(" ")
            handler = getattr(self, "_cmd_" + verb.lower(), None)
            if handler is None or verb.lower() not in (
                    "ehlo", "helo", "lhlo", "mail", "rcpt", "data", "bdat",
                    "rset", "noop", "quit", "xforward", "vrfy", "starttls"):
                self._reply("unknown", "502 5.5.2 Error: command not "
                            "recognized", argument)
                continue
            handler(argument)

    def _cmd_ehlo(self, argument):
        if self.opt["lmtp"]:
            self._reply("ehlo", "500 5.5.1 Error: use LHLO", argument)
            return
        self._hello("ehlo", argument, self._ehlo_reply())

    def _cmd_lhlo(self, argument):
        if not self.opt["lmtp"]:
            self._reply("lhlo", "502 5.5.2 Error: command not recognized",
                        argument)
            return
        self._hello("lhlo", argument, self._ehlo_reply())

    def _cmd_helo(self, argument):
        if self.opt["lmtp"]:
            self._reply("helo", "500 5.5.1 Error: use LHLO", argument)
            return
        self._hello("helo", argument, "250 " + self.opt["hostname"])

    def _hello(self, stage, argument, default):
        self.conn.helo = argument
        if self._reply(stage, default, argument).startswith("2"):
            self.message = None

    def _cmd_xforward(self, argument):
        if self._reply("xforward", "250 2.0.0 Ok", argument)[0] == "2":
            for word in argument.split():
                name, _, value = word.partition("=")
                self.conn.xforward[name.upper()] = value

    def _cmd_mail(self, argument):
        if self.message is not None:
            self._reply("mail", "503 5.5.1 Error: nested MAIL command",
                        argument)
            return
        parsed = _parse_path(argument, "FROM:")
        if parsed is None:
            self._reply("mail", "501 5.5.4 Syntax: MAIL FROM:<address>",
                        argument)
            return
        code = self._reply("mail", "250 2.1.0 Ok", argument)
        if code[0] == "2":
            self.message = Message(self.conn.index, parsed[0], parsed[1],
                                   self.conn.xforward)

    def _cmd_rcpt(self, argument):
        parsed = _parse_path(argument, "TO:")
        if self.message is None:
            self._reply("rcpt", "503 5.5.1 Error: need MAIL command",
                        argument)
            return
        if parsed is None:
            self._reply("rcpt", "501 5.5.4 Syntax: RCPT TO:<address>",
                        argument)
            return
        addr, params = parsed
        self.message.rcpts.append((addr, params))
        key = _unquote(addr).lower()
        code = self._reply("rcpt", "250 2.1.5 Ok", argument, key=key,
                           table=self.opt["rcpt_replies"])
        if code[0] == "2":
            self.message.accepted.append(addr)

    def _cmd_data(self, argument):
        if self.message is None or not self.message.accepted:
            default = ("503 5.5.1 Error: need RCPT command"
                       if self.message is None
                       else "554 5.5.1 Error: no valid recipients")
        else:
            default = "354 End data with <CR><LF>.<CR><LF>"
        code = self._reply("data", default, argument)
        if code != "354":
            return
        message = self.message or Message(self.conn.index, "", {}, {})
        lines, size = [], 0
        body_stall, self.opt["body_stall"] = self.opt["body_stall"], None
        self.in_data = True
        while True:
            raw = self._line(self.server.max_message)
            if raw is None:
                # An endless line: keep reading, keep nothing.
                self.buf = b""
                message.truncated = True
                continue
            if raw == b".":
                break
            if raw.startswith(b"."):
                raw = raw[1:]
            size += len(raw) + 2
            if body_stall and size >= body_stall[0]:
                self._stall(body_stall[1], "body")
                body_stall = None
            if size > self.server.max_message:
                message.truncated = True
                continue
            lines.append(raw + b"\r\n")
        self.in_data = False
        self._note(".")
        message.data = b"".join(lines)
        self._end_of_data(message, "dot")

    def _end_of_data(self, message, stage):
        """Record the message; answer as SMTP or LMTP."""
        self.message = None
        with self.server._lock:
            self.server.messages.append(message)
        if not self.opt["lmtp"]:
            self._reply(stage, "250 2.0.0 Ok: queued as SCRIPT%d"
                        % len(self.server.messages))
            return
        stall = self.opt["stall"].get(stage)
        if stall and self._stall(stall, stage):
            raise _Closed()
        if stage in self.opt["drop_at"]:
            self.conn.closed_by = "server"
            raise _Closed()
        for addr in message.accepted:
            key = _unquote(addr).lower()
            reply = self.opt["lmtp_replies"].get(key)
            if callable(reply) and reply is not DROP:
                reply = reply(self.conn, addr)
            if reply is DROP:
                self.conn.closed_by = "server"
                raise _Closed()
            self._send(reply or f"250 2.1.5 <{addr}> Ok")

    def _cmd_bdat(self, argument):
        words = argument.split()
        if not words or not words[0].isdigit() or len(words) > 2 or (
                len(words) == 2 and words[1].upper() != "LAST"):
            self._reply("bdat", "501 5.5.4 Syntax: BDAT count [LAST]",
                        argument)
            self.conn.closed_by = "server"
            raise _Closed()
        count, last = int(words[0]), len(words) == 2
        if count > self.server.max_message:
            self._send("552 5.3.4 Error: chunk too big")
            self.conn.closed_by = "server"
            raise _Closed()
        self.in_data = True
        chunk = self._bytes(count)
        self.in_data = False
        if self.message is None or not self.message.accepted:
            self._reply("bdat", "503 5.5.1 Error: no valid recipients",
                        argument)
            return
        self.message.bdat_chunks.append(chunk)
        if not last:
            self._reply("bdat", "250 2.0.0 %d bytes ok" % count, argument)
            return
        message = self.message
        message.data = b"".join(message.bdat_chunks)
        self._end_of_data(message, "bdat_last")

    def _cmd_rset(self, argument):
        self.message = None
        self._reply("rset", "250 2.0.0 Ok", argument)

    def _cmd_noop(self, argument):
        self._reply("noop", "250 2.0.0 Ok", argument)

    def _cmd_vrfy(self, argument):
        self._reply("vrfy", "502 5.5.1 VRFY command is disabled", argument)

    def _cmd_starttls(self, argument):
        self._reply("starttls", "502 5.5.1 Error: command not implemented",
                    argument)

    def _cmd_quit(self, argument):
        self._reply("quit", "221 2.0.0 Bye", argument)
        self.conn.closed_by = "server"
        raise _Closed()


class ScriptServer:
    """The scripted server; see the module docstring."""

    POLL = 0.2

    def __init__(self, port=None, unix_path=None, sessions=(),
                 max_connections=50, max_line=4096,
                 max_message=32 << 20, idle_timeout=30.0, rcvbuf=None,
                 **options):
        unknown = set(options) - set(OPTIONS)
        if unknown:
            raise TypeError(f"unknown ScriptServer options: {unknown}")
        for name, default in OPTIONS.items():
            setattr(self, name, copy.copy(options.get(name, default)))
        self.sessions = list(sessions)
        self.unix_path = unix_path
        self.host = "127.0.0.1"
        self.port = None if unix_path else (port or free_port())
        self.max_connections = max_connections
        self.max_line = max_line
        self.max_message = max_message
        self.idle_timeout = idle_timeout
        self.rcvbuf = rcvbuf
        self.connections = []
        self.messages = []
        self.refused = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads = []
        self._listener = None
        self._acceptor = None

    @property
    def address(self):
        """The relayhost form: [127.0.0.1]:port."""
        return f"[{self.host}]:{self.port}"

    def _options(self, index):
        """This connection's options: the server's, then sessions[i]."""
        opts = {name: copy.copy(getattr(self, name)) for name in OPTIONS}
        if index < len(self.sessions):
            opts.update(self.sessions[index])
        for name in ("drop_at", "close_after"):
            if isinstance(opts[name], str):
                opts[name] = (opts[name],)
            bad = set(opts[name]) - STAGES
            if bad:
                raise ValueError(f"unknown stages {bad}")
        for name in ("rcpt_replies", "lmtp_replies"):
            opts[name] = {_unquote(k).lower(): v
                          for k, v in opts[name].items()}
        return opts

    def start(self):
        """Listen and start the accepting thread."""
        if self.unix_path:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                os.unlink(self.unix_path)
            except FileNotFoundError:
                pass
            sock.bind(self.unix_path)
            os.chmod(self.unix_path, 0o666)
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
        if self.rcvbuf:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.rcvbuf)
        sock.listen(64)
        sock.settimeout(self.POLL)
        self._listener = sock
        self._acceptor = threading.Thread(target=self._accept_loop,
                                          name="smtp-script-accept",
                                          daemon=True)
        self._acceptor.start()
        return self

    def _accept_loop(self):
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                if len(self.connections) >= self.max_connections:
                    self.refused += 1
                    sock.close()
                    continue
                conn = Connection(len(self.connections))
                self.connections.append(conn)
            thread = threading.Thread(target=self._serve, args=(sock, conn),
                                      name=f"smtp-script-{conn.index}",
                                      daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock, conn):
        sock.settimeout(self.POLL)
        session = _Session(self, sock, conn, self._options(conn.index))
        try:
            session.run()
        except _Closed:
            session.drain()
        finally:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
            conn.done.set()

    def stop(self):
        """Close the listener and every connection; join the threads."""
        self._stopping.set()
        if self._listener is not None:
            self._listener.close()
        for thread in [self._acceptor, *self._threads]:
            if thread is not None:
                thread.join(timeout=5)
        if self.unix_path:
            try:
                os.unlink(self.unix_path)
            except OSError:
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _wait(self, predicate, what, timeout):
        try:
            wait_until(predicate, f"{what} at the scripted server", timeout)
        except AssertionError as e:
            raise AssertionError(f"{e}; connections: "
                                 f"{self.connections!r}") from None

    def wait_messages(self, count, timeout=30.0):
        """Wait until count messages arrived; return the list."""
        self._wait(lambda: len(self.messages) >= count,
                   f"{count} messages", timeout)
        return self.messages

    def wait_connections(self, count, timeout=30.0):
        """Wait until count connections have ended; return them."""
        self._wait(lambda: sum(c.done.is_set() for c in self.connections)
                   >= count, f"{count} finished connections", timeout)
        return self.connections

    def wait_connected(self, count, timeout=30.0):
        """Wait until count connections were accepted."""
        self._wait(lambda: len(self.connections) >= count,
                   f"{count} connections", timeout)
        return self.connections


if __name__ == "__main__":
    import smtplib
    with ScriptServer(rcpt_replies={"no@x": "550 5.1.1 no"}) as srv:
        with smtplib.SMTP(srv.host, srv.port, timeout=10) as c:
            c.sendmail("a@x", ["b@x", "no@x"], b"Subject: t\r\n\r\n.hi\r\n")
        srv.wait_connections(1)
        print(srv.connections[0].commands, srv.messages)
