"""System tests for qmqpd(8).

Each test starts the installed master(8) on a private instance (the Master
class of test_master.py) whose master.cf runs the installed qmqpd(8) on a
free loopback port, with cleanup(8) and trivial-rewrite(8), and talks QMQP
to it: with Debian's qmqp-source(1) (a real QMQP client that nobody here
wrote) when it is installed, and with a small Python client for the
malformed requests that no real client sends. Accepted messages must land
in incoming/, read back with the installed postcat(1).

The differential test sends the same requests to Debian's Postfix 3.7
(throwaway instance, root only) and compares the replies and the qmqpd
log lines, with queue IDs and ports normalised.

Every wait is bounded; every socket has a timeout.
"""

import os
import pwd
import re
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import make_queue_dirs
from test_master import IS_ROOT, Master, free_port, wait_until

REAL_POSTFIX = Path("/usr/sbin/postfix")
QMQP_SOURCE = Path("/usr/sbin/qmqp-source")
TIMEOUT = 10.0
MESSAGE = b"Subject: hi\nFrom: a@example.org\n\nbody line\n"


def ns(data: bytes) -> bytes:
    """A netstring."""
    return str(len(data)).encode() + b":" + data + b","


def packet(message, sender, *recipients):
    return ns(ns(message) + ns(sender) + b"".join(ns(r) for r in recipients))


def exchange(port, data: bytes) -> bytes:
    """Send data, half-close, read the whole reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = b""
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except ConnectionResetError:
            pass
    return reply


def master_cf(port):
    return ("cleanup unix n - n - 0 cleanup\n"
            "rewrite unix - - n - - trivial-rewrite\n"
            f"127.0.0.1:{port} inet n - n - - qmqpd\n")


SETTINGS = dict(myhostname="test.example", mydomain="example",
                mydestination="test.example",
                qmqpd_authorized_clients="127.0.0.1",
                qmqpd_error_delay="0s")


@pytest.fixture
def qmaster(install_root, test_daemons, shared_tmp):
    m = Master(install_root, test_daemons, shared_tmp, privileged=False)
    m.port = free_port()
    m.master_cf(master_cf(m.port))
    m.main_cf(**SETTINGS)
    make_queue_dirs(m.queue, ("incoming", "hold", "active", "deferred",
                              "corrupt"), m.run_as)
    yield m
    m.cleanup()


def incoming(m):
    path = m.queue / "incoming"
    if not path.exists():
        return []
    return sorted(p.name for p in path.rglob("*")
                  if p.is_file() and not p.name.startswith("tmp"))


def postcat(m, queue_id, *flags):
    paths = [p for p in (m.queue / "incoming").rglob(queue_id)]
    assert paths, queue_id
    r = subprocess.run([str(m.inst.sbin / "postcat"), *flags, "-c",
                        str(m.inst.config_dir), str(paths[0])],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


def queued_id(reply: bytes) -> str:
    found = re.fullmatch(rb"\d+:KOk: queued as (\w+),", reply)
    assert found, reply
    return found[1].decode()


def test_message_lands_in_incoming(qmaster):
    m = qmaster
    m.start()
    reply = exchange(m.port, packet(MESSAGE, b"sender@example.org",
                                    b"rcpt@test.example"))
    assert reply.startswith(b"26:K"), m.log()
    queue_id = queued_id(reply)
    wait_until(lambda: queue_id in incoming(m), "the queue file")
    text = postcat(m, queue_id)
    assert "sender: sender@example.org" in text
    assert "recipient: rcpt@test.example" in text
    assert re.search(r"Received: from localhost \(localhost \[127\.0\.0\.1\]\)\n"
                     r"\tby test\.example \(Postfix\) with QMQP id "
                     + queue_id + r"\n\tfor <rcpt@test\.example>; "
                     r"\w{3}, [ \d]\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4} "
                     r"\(\w+\)\n", text), text
    assert "body line" in text
    log = m.wait_log("disconnect from localhost[127.0.0.1]")
    assert "connect from localhost[127.0.0.1]" in log
    assert f"{queue_id}: client=localhost[127.0.0.1]" in log


# Postfix's qmqpd turns every CR into a space; a last line without its
# newline is a P record and an empty L record (observed with postcat -v).
CR_MESSAGE = b"Subject: a\rb\nX: c\r\n\nbody\rx\r\nend\r"


def content_records(text):
    """The content records of a postcat -v output, after the headers
    that carry the queue ID or the date."""
    body = text.split("*** MESSAGE CONTENTS", 1)[1].split("\n", 1)[1]
    body = body.split("*** HEADER EXTRACTED", 1)[0]
    return [line for line in body.splitlines()
            if not re.match(r"regular_text: (Received|Message-Id|Date):|"
                            r"regular_text: \t", line)]


def test_carriage_return_becomes_space(qmaster):
    m = qmaster
    m.start()
    queue_id = queued_id(exchange(m.port, packet(CR_MESSAGE, b"a@example.org",
                                                 b"r@test.example")))
    assert content_records(postcat(m, queue_id, "-v")) == [
        "regular_text: Subject: a b",
        "regular_text: X: c ",
        "regular_text: From: a@example.org",
        "regular_text: ",
        "regular_text: body x ",
        "unterminated_text: end ",
        "regular_text: ",
    ]


def test_several_recipients_received_header(qmaster):
    m = qmaster
    m.start()
    reply = exchange(m.port, packet(MESSAGE, b"s@example.org",
                                    b"r1@test.example", b"r2@test.example"))
    queue_id = queued_id(reply)
    wait_until(lambda: queue_id in incoming(m), "the queue file")
    text = postcat(m, queue_id)
    assert re.search(r"\tby test\.example \(Postfix\) with QMQP\n\tid "
                     + queue_id + "; ", text), text
    assert "recipient: r1@test.example" in text
    assert "recipient: r2@test.example" in text


@pytest.mark.skipif(not QMQP_SOURCE.exists(), reason="no qmqp-source")
def test_qmqp_source_client(qmaster):
    m = qmaster
    m.start()
    r = subprocess.run([str(QMQP_SOURCE), "-c", "-m", "3", "-f",
                        "src@example.org", "-t", "dst@test.example",
                        f"127.0.0.1:{m.port}"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    wait_until(lambda: len(incoming(m)) == 3, "three queue files")
    # The log lines may come after the files.
    wait_until(lambda: m.log().count("client=localhost[127.0.0.1]") >= 3,
               "three client= lines")
    assert m.log().count("client=localhost[127.0.0.1]") == 3


MALFORMED = [
    ("bad header", b"abc:xyz,",
     b"58:Dnetstring format error while receiving QMQP packet header,"),
    ("bad recipient", packet(MESSAGE, b"a@e", b"r@test.example")[:-1] + b";",
     b"57:Dnetstring format error while receiving recipient address,"),
    ("message too big", b"30:99999999:" + b"x" * 20,
     b"71:Dnetstring length exceeds storage limit while receiving "
     b"message content,"),
    ("sender too long", packet(MESSAGE, b"a" * 5000, b"r@test.example"),
     b"70:Dnetstring length exceeds storage limit while receiving "
     b"sender address,"),
    ("empty message netstring", b"0:,",
     b"55:Dnetstring format error while receiving message content,"),
    ("lost connection", b"100:" + ns(MESSAGE), b""),
    ("no recipients", ns(ns(MESSAGE) + ns(b"a@example.org")),
     b"31:DError: no recipients specified,"),
]


def test_malformed_requests(qmaster):
    m = qmaster
    m.start()
    for name, data, expected in MALFORMED:
        assert exchange(m.port, data) == expected, name
    log = m.wait_log("lost connection while receiving sender address")
    assert re.search(r"\w+: localhost\[127\.0\.0\.1\]: netstring format "
                     r"error while receiving QMQP packet header", log)
    assert not incoming(m)
    # cleanup drops each partial file without a word, as Postfix's does.
    assert "lost connection" not in "".join(
        line for line in m.log().splitlines(True) if "cleanup[" in line)
    # Still serving.
    queued_id(exchange(m.port, packet(MESSAGE, b"a@e", b"r@test.example")))


def test_unauthorized_client(qmaster):
    m = qmaster
    m.main_cf(qmqpd_authorized_clients="192.0.2.1")
    m.start()
    reply = exchange(m.port, packet(MESSAGE, b"a@e", b"r@test.example"))
    assert reply == (b"66:DError: localhost[127.0.0.1] is not authorized "
                     b"to use this service,")
    m.wait_log("disconnect from localhost[127.0.0.1]")
    assert "client=" not in m.log()
    assert not incoming(m)


def test_timeout(qmaster):
    m = qmaster
    m.main_cf(qmqpd_timeout="1s")
    m.start()
    with socket.create_connection(("127.0.0.1", m.port), timeout=TIMEOUT) as s:
        s.sendall(b"100:50:partial")
        assert s.recv(100) == b""       # closed by the server, no reply
    m.wait_log("timeout while receiving message content")


# Differential: Debian's Postfix against ours.

def normalise(log: str):
    lines = []
    for line in log.splitlines():
        found = re.search(r"postfix/qmqpd\[\d+\]: (.*)", line)
        if found:
            text = re.sub(r"\b[0-9A-Za-z]{10,}(?=:)", "ID", found[1])
            lines.append(text)
    return lines


def received(text, queue_id):
    """The Received: header of a postcat output, ID and date replaced."""
    found = re.search(r"^Received: .*\n(?:\t.*\n)*", text, re.M)
    assert found, text
    header = found[0].replace(queue_id, "ID")
    return re.sub(r"; \w{3}, .*", "; DATE", header)


def envelope_verp(text):
    """The sender and verp_delimiters lines of a postcat output (ezmlm's
    VERP senders: qmqpd_verp.c)."""
    return [line for line in text.splitlines()
            if line.startswith(("sender:", "verp_delimiters:"))]


@pytest.mark.skipif(not IS_ROOT or not REAL_POSTFIX.exists(),
                    reason="needs root and Debian's Postfix")
def test_differential_against_postfix(qmaster, shared_tmp):
    base = Path(tempfile.mkdtemp(prefix="postel-qmqp-deb-", dir=shared_tmp))
    os.chmod(base, 0o755)
    etc, spool, data = base / "etc", base / "spool", base / "data"
    for d in (etc, spool, data):
        d.mkdir()
    pw = pwd.getpwnam("postfix")
    os.chown(data, pw.pw_uid, pw.pw_gid)
    port = free_port()
    main = dict(SETTINGS, compatibility_level="3.6", queue_directory=spool,
                data_directory=data, inet_interfaces="127.0.0.1",
                inet_protocols="ipv4", alias_maps="", alias_database="",
                mail_owner="postfix", setgid_group="postdrop",
                maillog_file=base / "maillog", maillog_file_prefixes=base)
    (etc / "main.cf").write_text("".join(f"{k} = {v}\n"
                                         for k, v in main.items()))
    (etc / "master.cf").write_text("postlog unix-dgram n - n - 1 postlogd\n"
                                   + master_cf(port))
    ours = qmaster
    r = subprocess.run([str(REAL_POSTFIX), "-c", str(etc), "start"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr + (
        (base / "maillog").read_text() if (base / "maillog").exists() else "")
    try:
        ours.start()
        good = [packet(MESSAGE, b"a@example.org", b"r@test.example"),
                packet(MESSAGE, b"a@example.org", b"r1@test.example",
                       b"r2@test.example"),
                packet(CR_MESSAGE, b"a@example.org", b"r@test.example"),
                packet(MESSAGE, b"list-@example.org-@[]", b"r@test.example"),
                packet(MESSAGE, b"list+@example.org-@[]", b"r1@test.example",
                       b"r2@test.example"),
                packet(MESSAGE, b"list-@-@[]", b"r@test.example")]
        bad_verp = [packet(MESSAGE, b"list@example.org-@[]",
                           b"r@test.example")]
        requests = [data for _, data, _ in MALFORMED] + bad_verp + good
        for request in requests:
            d = exchange(port, request)
            o = exchange(ours.port, request)
            assert re.sub(rb"queued as \w+", b"ID", o) == \
                re.sub(rb"queued as \w+", b"ID", d), request[:40]
            if request in good:
                ours_text = postcat(ours, queued_id(o))
                debian_text = subprocess.run(
                    ["/usr/sbin/postcat", "-c", str(etc),
                     str(spool / "incoming" / queued_id(d))],
                    capture_output=True, text=True, timeout=30).stdout
                assert received(ours_text, queued_id(o)) == \
                    received(debian_text, queued_id(d))
                assert envelope_verp(ours_text) == envelope_verp(debian_text)
                debian_records = subprocess.run(
                    ["/usr/sbin/postcat", "-v", "-c", str(etc),
                     str(spool / "incoming" / queued_id(d))],
                    capture_output=True, text=True, timeout=30).stdout
                assert content_records(postcat(ours, queued_id(o), "-v")) \
                    == content_records(debian_records)
        log_path = base / "maillog"
        count = len(requests)
        wait_until(lambda: log_path.exists() and log_path.read_text().count(
            "qmqpd") and normalise(log_path.read_text()).count(
            "disconnect from localhost[127.0.0.1]") == count,
            "Debian's log")
        wait_until(lambda: normalise(ours.log()).count(
            "disconnect from localhost[127.0.0.1]") == count, "our log")
        assert normalise(ours.log()) == normalise(log_path.read_text())
    finally:
        subprocess.run([str(REAL_POSTFIX), "-c", str(etc), "stop"],
                       capture_output=True, timeout=60)
        try:
            pid = int((spool / "pid/master.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass
