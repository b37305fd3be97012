"""System tests for smtp-source(1) and smtp-sink(1) (src/smtpstone).

Differential where Debian's programs are installed (/usr/sbin/smtp-source,
/usr/sbin/smtp-sink): our generator into Debian's sink and Debian's
generator into ours, with the counts read from the sink's -c output (the
way bench/mta-bench.sh reads them); the bytes that each generator sends
to a recording server (Date: and Message-Id: aside) and the replies that
each sink gives to the same dialogue must be the same; the capture files
(-d, -D, -S) must have the same layout. Without Debian's programs the
tests run ours against each other and against the recording server only.

As root a sink runs with "-u nobody" (both programs insist), so its
capture directory lives under shared_tmp with mode 0777.
"""

import os
import re
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from ports import free_port

DEBIAN_SOURCE = Path("/usr/sbin/smtp-source")
DEBIAN_SINK = Path("/usr/sbin/smtp-sink")
HAVE_DEBIAN = DEBIAN_SOURCE.exists() and DEBIAN_SINK.exists()
needs_debian = pytest.mark.skipif(not HAVE_DEBIAN,
                                  reason="needs Debian's smtp-source/smtp-sink")
AS_ROOT = os.geteuid() == 0
# The connection that checks that a sink listens is a session too.
PROBE = 1
COUNTERS = re.compile(r"sess=(\d+) quit=(\d+) mesg=(\d+)")


@pytest.fixture(scope="module")
def ours(install_root):
    sbin = install_root / "usr/sbin"
    return {"source": sbin / "smtp-source", "sink": sbin / "smtp-sink"}


def programs(ours, kind):
    """(label, path) of the implementations to try for kind."""
    found = [("ours", ours[kind])]
    if HAVE_DEBIAN:
        found.append(("debian", DEBIAN_SOURCE if kind == "source"
                      else DEBIAN_SINK))
    return found


def wait_listening(address, proc, timeout=10.0):
    """Wait until the sink accepts connections at address."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"sink exited: {proc.stderr.read()}")
        try:
            if address.startswith("unix:"):
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(address[5:])
            else:
                host, port = address.rsplit(":", 1)
                socket.create_connection((host, int(port)), 1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"sink at {address} did not start")


class Sink:
    """A running smtp-sink; stop() returns its stdout."""

    def __init__(self, program, address, *options, cwd=None):
        argv = [str(program)]
        if AS_ROOT:
            argv += ["-u", "nobody"]
        argv += [*options, address, "64"]
        self.address = address
        self.output = b""
        self.stderr = ""
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd)
        os.set_blocking(self.proc.stdout.fileno(), False)
        wait_listening(address, self.proc)

    def poll_output(self):
        """Collect what the sink wrote to stdout so far."""
        while True:
            try:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
            except BlockingIOError:
                return
            if not chunk:
                return
            self.output += chunk

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.poll_output()
        self.stderr = self.proc.stderr.read().decode(errors="replace")
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.output.decode(errors="replace")

    def last_counters(self):
        found = COUNTERS.findall(self.output.decode(errors="replace"))
        return tuple(int(n) for n in found[-1]) if found else None

    def counters(self, expect=None, timeout=10.0):
        """The last sess/quit/mesg of the -c output: once they equal
        expect (or after timeout), or when the sink has ended; then stop
        the sink."""
        deadline = time.monotonic() + timeout
        while expect is not None and time.monotonic() < deadline:
            self.poll_output()
            if self.last_counters() == expect or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        found = self.last_counters()
        assert found, f"no -c output; stderr: {self.stderr}"
        return found


def tcp_address():
    return f"127.0.0.1:{free_port()}"


def run_source(program, address, *options, timeout=60):
    result = subprocess.run([str(program), *options, address],
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result


# ------------------------------------------------------------ counts

@pytest.mark.parametrize("keep", [False, True], ids=["per-message", "-d"])
def test_source_into_sink_counts(ours, keep):
    """Every pair of generator and sink agrees on the counts."""
    for src_label, source in programs(ours, "source"):
        for sink_label, sink_prog in programs(ours, "sink"):
            address = tcp_address()
            sink = Sink(sink_prog, address, "-c")
            options = ["-s", "5", "-m", "200", "-l", "500", "-r", "2"]
            if keep:
                options.append("-d")
            run_source(source, address, *options)
            sessions = 5 if keep else 200
            expect = (PROBE + sessions, sessions, 200)
            assert sink.counters(expect) == expect, \
                f"{src_label} -> {sink_label}"


def test_lmtp_counts(ours):
    """-L on both sides: LHLO, one reply per recipient after "."."""
    for src_label, source in programs(ours, "source"):
        for sink_label, sink_prog in programs(ours, "sink"):
            address = tcp_address()
            sink = Sink(sink_prog, address, "-c", "-L")
            run_source(source, address, "-L", "-s", "3", "-m", "60",
                       "-r", "3", "-d")
            expect = (PROBE + 3, 3, 60)
            assert sink.counters(expect) == expect, \
                f"{src_label} -> {sink_label}"


def test_unix_socket(ours, shared_tmp):
    """unix:pathname on both sides."""
    for src_label, source in programs(ours, "source"):
        for sink_label, sink_prog in programs(ours, "sink"):
            path = shared_tmp / f"sink-{src_label}-{sink_label}"
            address = f"unix:{path}"
            sink = Sink(sink_prog, address, "-c")
            run_source(source, address, "-s", "2", "-m", "50")
            expect = (PROBE + 50, 50, 50)
            assert sink.counters(expect) == expect, \
                f"{src_label} -> {sink_label}"


def test_source_counter_output(ours):
    """-c prints a running count with carriage returns, then a newline."""
    outputs = {}
    for label, source in programs(ours, "source"):
        address = tcp_address()
        sink = Sink(ours["sink"], address)
        result = subprocess.run([str(source), "-c", "-s", "2", "-m", "7",
                                 address], capture_output=True, timeout=60)
        assert result.returncode == 0, result.stderr
        outputs[label] = result.stdout
        sink.stop()
    assert outputs["ours"] == \
        "".join(f"{i}\r" for i in range(1, 8)).encode() + b"\n"
    assert len(set(outputs.values())) == 1, outputs


def test_sink_message_limit(ours):
    """-M count: the sink exits after that many messages."""
    address = tcp_address()
    sink = Sink(ours["sink"], address, "-c", "-M", "5")
    # The sixth message may be refused or cut off: ignore the exit status.
    subprocess.run([str(ours["source"]), "-m", "5", address],
                   capture_output=True, timeout=30)
    assert sink.proc.wait(timeout=10) == 0
    assert sink.counters()[2] == 5


def test_sink_concurrency_limit(ours):
    """-m 1: one session at a time; the others wait in the listen queue
    and are served in turn."""
    address = tcp_address()
    sink = Sink(ours["sink"], address, "-c", "-m", "1")
    run_source(ours["source"], address, "-s", "5", "-m", "40", "-d")
    expect = (PROBE + 5, 5, 40)
    assert sink.counters(expect) == expect


def test_sink_session_limit(ours):
    """-n count: the sink exits after that many sessions."""
    address = tcp_address()
    sink = Sink(ours["sink"], address, "-c", "-n", str(PROBE + 3))
    run_source(ours["source"], address, "-m", "3")
    assert sink.proc.wait(timeout=10) == 0
    assert sink.counters() == (PROBE + 3, 3, 3)


# ------------------------------------------------------------ generator bytes

class Recorder:
    """A scripted SMTP/LMTP server that records what clients send."""

    def __init__(self, connections):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(20)
        self.address = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.data = b""
        self.thread = threading.Thread(target=self.serve,
                                       args=(connections,), daemon=True)
        self.thread.start()

    def serve(self, connections):
        for _ in range(connections):
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(20)
                self.session(conn.makefile("rb"), conn)
        self.sock.close()

    def session(self, reader, conn):
        conn.sendall(b"220 recorder ESMTP\r\n")
        in_data, rcpts = False, 0
        while True:
            line = reader.readline(100000)
            if not line:
                return
            self.data += line
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    lmtp = self.data.find(b"LHLO") >= 0
                    conn.sendall(b"250 ok\r\n" * (rcpts if lmtp else 1))
                    rcpts = 0
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"LHLO"):
                conn.sendall(b"250-recorder\r\n250 PIPELINING\r\n")
            elif verb == b"DATA":
                in_data = True
                conn.sendall(b"354 go\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                rcpts += verb == b"RCPT"
                conn.sendall(b"250 ok\r\n")

    def result(self):
        self.thread.join(30)
        return self.data


def normalize_stream(data):
    """Blank out what differs between runs: date, pid, descriptor."""
    data = re.sub(rb"Date: [^\r]*", b"Date: X", data)
    return re.sub(rb"Message-Id: <[0-9a-f]{4}\.[0-9a-f]{4}\.",
                  b"Message-Id: <P.F.", data)


SOURCE_CASES = [
    ["-m", "1"],
    ["-m", "2", "-l", "1000", "-S", "a subject"],
    ["-m", "1", "-l", "80"],
    ["-m", "1", "-l", "81"],
    ["-m", "1", "-l", "1"],
    ["-m", "2", "-r", "3"],
    ["-m", "2", "-r", "3", "-N"],
    ["-m", "1", "-o", "-l", "200"],
    ["-m", "3", "-d", "-f", "a@b.example", "-t", "c@d.example",
     "-M", "helo.example"],
    ["-m", "2", "-L", "-r", "2", "-d"],
]


@needs_debian
@pytest.mark.parametrize("options", SOURCE_CASES,
                         ids=lambda o: " ".join(o))
def test_source_sends_what_debian_sends(ours, options):
    """The same options give the same bytes (message size, recipients,
    headers, LMTP) as Debian's smtp-source."""
    streams = {}
    for label, source in programs(ours, "source"):
        connections = 1 if "-d" in options else int(options[1])
        recorder = Recorder(connections)
        run_source(source, recorder.address, "-M", "helo.example", *options)
        streams[label] = normalize_stream(recorder.result())
    assert streams["ours"] == streams["debian"]


@needs_debian
def test_source_file_content(ours, tmp_path):
    """-F: the file's lines with CRLF and dot-stuffing, no headers."""
    message = tmp_path / "message"
    message.write_bytes(b"Subject: x\n\n.dot\nline\r\n..two\nno newline")
    streams = {}
    for label, source in programs(ours, "source"):
        recorder = Recorder(1)
        run_source(source, recorder.address, "-M", "h.example", "-F",
                   str(message), "-S", "ignored")
        streams[label] = recorder.result()
    assert streams["ours"] == streams["debian"]
    assert b"\r\n..dot\r\n" in streams["ours"]


def test_source_message_size(ours):
    """-l length: the payload after the header block is length bytes
    (plus the CRLF of its last line)."""
    for length in (1, 80, 81, 500, 4096):
        recorder = Recorder(1)
        run_source(ours["source"], recorder.address, "-l", str(length))
        data = recorder.result()
        body = data.split(b"\r\n\r\n", 1)[1].split(b"\r\n.\r\n", 1)[0]
        assert len(body) == length, length


def test_source_rejection(ours):
    """A rejected recipient is fatal; with -A a warning, then RSET."""
    address = tcp_address()
    sink = Sink(ours["sink"], address, "-f", "rcpt")
    result = subprocess.run([str(ours["source"]), address],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "fatal: recipient rejected: 500 5.3.0 Error: command failed" \
        in result.stderr
    result = run_source(ours["source"], address, "-A", "-m", "2")
    assert result.stderr.count("warning: recipient rejected") == 2
    sink.stop()


# ------------------------------------------------------------ sink replies

def dialogue(address, commands):
    """Send each command, collect the reply text after each."""
    if address.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX)
        s.connect(address[5:])
    else:
        host, port = address.rsplit(":", 1)
        s = socket.create_connection((host, int(port)), 5)
    s.settimeout(0.5)
    transcript = []

    def read():
        data = b""
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                data += b"<reset>"
                break
            if not chunk:
                data += b"<eof>"
                break
            data += chunk
            lines = data.split(b"\r\n")
            if len(lines) > 1 and lines[-1] == b"" and \
                    lines[-2][3:4] != b"-":
                # Complete replies; pipelined ones may follow quickly.
                s.settimeout(0.05)
        s.settimeout(0.5)
        return data

    transcript.append(read())
    for command in commands:
        try:
            s.sendall(command)
        except OSError:
            transcript.append(b"<send failed>")
            break
        transcript.append(read())
        if transcript[-1].endswith((b"<eof>", b"<reset>")):
            break
    s.close()
    return transcript


BASIC = [b"EHLO c.example\r\n", b"HELO c.example\r\n", b"LHLO c.example\r\n",
         b"MAIL FROM:<a@b>\r\n", b"RCPT TO:<b@c>\r\n", b"RCPT TO:<d@e>\r\n",
         b"VRFY x\r\n", b"NOOP\r\n", b"DATA\r\n", b"a\r\n..b\r\n.\r\n",
         b"FOO\r\n", b"\r\n", b"XCLIENT ADDR=1.2.3.4\r\n",
         b"XFORWARD NAME=x\r\n", b"DATA\r\n", b"MAIL FROM:<a>\r\n",
         b"MAIL FROM:<a>\r\n", b"RSET\r\n", b".\r\n", b"AUTH PLAIN\r\n",
         b"QUIT\r\n"]
PIPELINED = [b"EHLO c.example\r\n",
             b"MAIL FROM:<a@b>\r\nRCPT TO:<b@c>\r\nRCPT TO:<c@d>\r\nDATA\r\n",
             b"x\r\n.\r\nMAIL FROM:<x>\r\nRCPT TO:<y>\r\nDATA\r\n"
             b"y\r\n.\r\nQUIT\r\n"]
SINK_CASES = [
    [], ["-L"], ["-e"], ["-E"], ["-8", "-a", "-C", "-F", "-N", "-p"],
    ["-P"], ["-h", "sink.example"], ["-f", "rcpt"], ["-r", "mail"],
    ["-f", "."], ["-L", "-r", "."], ["-f", "connect"], ["-r", "connect"],
    ["-Q", "rcpt"], ["-q", "data"], ["-f", "ehlo,.,rset,quit,noop,vrfy"],
    ["-r", "rcpt", "-b", "451 4.1.1 try later"],
    ["-f", "data", "-B", "554 5.7.1 no way"],
]


@needs_debian
@pytest.mark.parametrize("options", SINK_CASES,
                         ids=lambda o: " ".join(o) or "defaults")
def test_sink_replies_like_debian(ours, options):
    """The same commands get the same replies (features, PIPELINING on
    and off, rejections) as from Debian's smtp-sink."""
    transcripts = {}
    for label, program in programs(ours, "sink"):
        address = tcp_address()
        sink = Sink(program, address, *options)
        transcripts[label] = b"".join(dialogue(address, BASIC))
        sink.stop()
    assert transcripts["ours"] == transcripts["debian"]


@needs_debian
@pytest.mark.parametrize("options", [[], ["-L"], ["-p"]],
                         ids=["smtp", "lmtp", "no-pipelining"])
def test_sink_pipelined_input(ours, options):
    """Pipelined commands get all their replies, in order."""
    commands = [c.replace(b"EHLO", b"LHLO") if "-L" in options else c
                for c in PIPELINED]
    transcripts = {}
    for label, program in programs(ours, "sink"):
        address = tcp_address()
        sink = Sink(program, address, *options)
        transcripts[label] = b"".join(dialogue(address, commands))
        sink.stop()
    assert transcripts["ours"] == transcripts["debian"]
    assert (b"PIPELINING" in transcripts["ours"]) == ("-p" not in options)


def test_sink_bounds(ours):
    """An overlong command line is refused, an overlong content line is
    taken in pieces, and the session goes on."""
    address = tcp_address()
    sink = Sink(ours["sink"], address, "-c")
    replies = dialogue(address, [
        b"HELO x\r\n", b"X" * 10000 + b"\r\n", b"MAIL FROM:<a>\r\n",
        b"RCPT TO:<b>\r\n", b"DATA\r\n", b"Y" * 100000 + b"\r\n.\r\n",
        b"QUIT\r\n"])
    assert replies[2].startswith(b"500 5.5.2")
    assert replies[6] == b"250 2.0.0 Ok\r\n"
    assert sink.counters((PROBE + 1, 1, 1)) == (PROBE + 1, 1, 1)


def test_sink_timeout(ours):
    """-t: an idle client is disconnected."""
    address = tcp_address()
    sink = Sink(ours["sink"], address, "-t", "1")
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), 5) as s:
        s.settimeout(10)
        assert s.recv(100).startswith(b"220 ")
        assert s.recv(100) == b""
    sink.stop()
    assert "read timeout" in sink.stderr


# ------------------------------------------------------------ capture files

def normalize_dump(text):
    text = re.sub(r"id [0-9a-f]{8};", "id ID;", text)
    return re.sub(r"\n\t\w{3}, [ 0-9]\d \w{3} \d{4} [0-9:]{8} [^\n]*",
                  "\n\tDATE", text)


DUMP_DIALOGUE = [b"EHLO client.example\r\n", b"MAIL FROM:<a@b> SIZE=5\r\n",
                 b"RCPT TO:<b@c> NOTIFY=NEVER\r\n", b"RCPT TO:<d@e>\r\n",
                 b"DATA\r\n", b"Subject: hi\r\n\r\nbody\r\n..dot\r\n.\r\n",
                 b"MAIL FROM:<x>\r\n", b"RCPT TO:<y>\r\n", b"DATA\r\n",
                 b"second\r\n.\r\n", b"QUIT\r\n"]


def capture(program, workdir, mode):
    """Run the dump dialogue against a sink with -d or -D; return the
    sorted, normalized capture files."""
    workdir.mkdir(mode=0o777)
    workdir.chmod(0o777)
    address = tcp_address()
    template = "multi" if mode == "-D" else "%Y/one."
    sink = Sink(program, address, mode, str(workdir / template),
                "-S", r"\101start\n")
    dialogue(address, DUMP_DIALOGUE)
    dialogue(address, [b"MAIL FROM:<n>\r\n", b"RCPT TO:<y>\r\n",
                       b"DATA\r\n", b"no helo\r\n.\r\n", b"QUIT\r\n"])
    sink.stop()
    files = sorted(p for p in workdir.rglob("*") if p.is_file())
    return [normalize_dump(p.read_text()) for p in files], files


@pytest.mark.parametrize("mode", ["-d", "-D"])
def test_sink_dump_format(ours, shared_tmp, mode):
    """The capture files have the documented (and Debian's) layout."""
    texts, files = capture(ours["sink"], shared_tmp / "ours", mode)
    if mode == "-d":
        assert len(files) == 3
        assert all(re.fullmatch(r"one\.[0-9a-f]{8}", f.name) for f in files)
        assert files[0].parent.name == time.strftime("%Y")
        joined = sorted(texts)
    else:
        assert [f.name for f in files] == ["multi"]
        joined = [texts[0]]
    whole = "".join(joined)
    assert "Astart\nX-Client-Addr: 127.0.0.1\nX-Client-Proto: ESMTP\n" \
           "X-Helo-Args: client.example\nX-Mail-Args: <a@b> SIZE=5\n" \
           "X-Rcpt-Args: <b@c> NOTIFY=NEVER\nX-Rcpt-Args: <d@e>\n" \
           "Received: from client.example ([127.0.0.1])\n" \
           "\tby smtp-sink (smtp-sink) with ESMTP id ID;\n\tDATE\n" \
           "Subject: hi\n\nbody\n.dot\n\n" in whole
    assert "X-Client-Proto: SMTP\nX-Mail-Args: <n>\nX-Rcpt-Args: <y>\n" \
           "Received: from [127.0.0.1] ([127.0.0.1])\n" in whole
    if HAVE_DEBIAN:
        theirs, _ = capture(DEBIAN_SINK, shared_tmp / "debian", mode)
        if mode == "-d":
            assert sorted(texts) == sorted(theirs)
        else:
            assert texts == theirs
