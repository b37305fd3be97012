"""System tests for cleanup(8): a private instance runs master(8) with the
cleanup and rewrite services; a Python client speaks the cleanup protocol
of docs/internals/protocols.md and the tests read the queue files that
cleanup wrote (docs/internals/queue-file.md).

As root, master runs as the mail_owner "postfix" (unprivileged mode of
DESIGN.md section 5), as in test_master.py.
"""

import grp
import os
import pwd
import re
import signal
import socket
import stat
import subprocess
import time

import pytest

import conftest

import queuefile

from cleanup_wire import (CleanupClient, FLAGS_DEFAULT, FLAG_DISCARD,
                          FLAG_EXTRACT, FLAG_FILTER, FLAG_HOLD, FLAG_SMTPUTF8,
                          FLAG_UTF8_DETECT,
                          STAT_BAD, STAT_CONT, STAT_DEFER, STAT_HOPS,
                          STAT_RCPT, STAT_SIZE, attr_encode, message_records,
                          parse_records, record)
from conftest import Instance, process_alive as proc_alive

IS_ROOT = os.geteuid() == 0
TIMEOUT = 10.0

MASTER_CF = """\
postlog unix-dgram n - n - 1 postlogd
cleanup unix n - n - 0 cleanup
rewrite unix - - n - - trivial-rewrite
"""


def wait_until(predicate, what, timeout=TIMEOUT):
    return conftest.wait_until(predicate, what, timeout)


class CleanupInstance:
    """A private instance with master, cleanup and trivial-rewrite."""

    def __init__(self, install_root, base):
        self.inst = Instance(base, install_root)
        self.base = base
        self.master_path = install_root / "usr/libexec/postfix/master"
        self.owner = "postfix" if IS_ROOT else pwd.getpwuid(os.getuid()).pw_name
        pw = pwd.getpwnam(self.owner)
        self.uid, self.gid = pw.pw_uid, pw.pw_gid
        self.run_as = (self.uid, self.gid) if IS_ROOT else None
        self.queue = self.inst.queue_dir
        self.settings = dict(mail_owner=self.owner,
                             setgid_group=grp.getgrgid(self.gid).gr_name,
                             myorigin="test.example", mydomain="example",
                             mydestination="test.example, localhost",
                             service_throttle_time="2s")
        self.inst.write_main_cf(**self.settings)
        self.inst.write_master_cf(MASTER_CF)
        conftest.make_queue_dirs(self.queue, conftest.QUEUE_DIRS[:8])
        if self.run_as:
            conftest.chown_tree(self.base, self.uid, self.gid)

    def main_cf(self, **settings):
        self.inst.write_main_cf(**settings)
        if self.run_as:
            os.lchown(self.inst.config_dir / "main.cf", *self.run_as)

    def write_file(self, name, text):
        path = self.inst.config_dir / name
        path.write_text(text)
        if self.run_as:
            os.lchown(path, *self.run_as)
        return path

    def _preexec(self):
        if self.run_as:
            os.setgroups([])
            os.setgid(self.run_as[1])
            os.setuid(self.run_as[0])

    def start(self):
        argv = [str(self.master_path), "-c", str(self.inst.config_dir), "-w"]
        result = subprocess.run(argv, capture_output=True, text=True,
                                timeout=60, env=self.inst.env(),
                                preexec_fn=self._preexec)
        assert result.returncode == 0, result.stderr
        self.inst.wait_for_log("daemon started")
        wait_until(lambda: (self.queue / "public/cleanup").exists(),
                   "public/cleanup")

    def stop(self):
        pid = self.inst.master_pid()
        if pid and proc_alive(pid):
            os.kill(pid, signal.SIGTERM)
            try:
                wait_until(lambda: not proc_alive(pid), "master to stop")
            except AssertionError:
                os.kill(pid, signal.SIGKILL)

    def reload(self):
        count = self.log().count("reload -- version")
        os.kill(self.inst.master_pid(), signal.SIGHUP)
        wait_until(lambda: self.log().count("reload -- version") > count,
                   "reload")

    def log(self):
        return self.inst.log_text()

    def client(self):
        return CleanupClient(self.queue / "public/cleanup")

    def submit(self, records, flags=FLAGS_DEFAULT):
        """Send one message; return (reply, queue_id)."""
        client = self.client()
        try:
            client.request(flags)
            client.send(records)
            return client.reply(), client.queue_id
        finally:
            client.close()

    def queue_file(self, queue_id, queue="incoming"):
        return self.queue / queue / queue_id

    def records(self, queue_id, queue="incoming"):
        return parse_records(self.queue_file(queue_id, queue).read_bytes())

    def files(self, queue="incoming"):
        return sorted(os.listdir(self.queue / queue))

    def ready_files(self):
        """Names in incoming/ with the owner execute bit: committed."""
        return sorted(n for n in self.files()
                      if (self.queue / "incoming" / n).stat().st_mode
                      & stat.S_IXUSR)

    def unready_files(self):
        return sorted(set(self.files()) - set(self.ready_files()))


@pytest.fixture
def cinst(install_root, shared_tmp):
    ci = CleanupInstance(install_root, shared_tmp)
    yield ci
    ci.stop()


def cleanup_pids(ci):
    """The cleanup processes of this instance (their cwd is its queue)."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            argv0 = open(f"/proc/{name}/cmdline", "rb").read().split(b"\0")[0]
            cwd = os.readlink(f"/proc/{name}/cwd")
        except OSError:
            continue
        if os.path.basename(argv0) == b"cleanup" and cwd == str(ci.queue):
            pids.append(int(name))
    return pids


def content_lines(records):
    """The content lines between M and X, P records joined, as text."""
    return [line.decode(errors="replace")
            for line in queuefile.content_lines(records)]


def headers_of(records):
    lines = content_lines(records)
    return lines[:lines.index("")] if "" in lines else lines


def of_type(records, kind):
    return [data.decode(errors="replace") for k, data in records if k == kind]


def accepted(ci, content, sender="sender@example.org",
             recipients=("rcpt@example.org",), flags=FLAGS_DEFAULT, attrs=()):
    reply, queue_id = ci.submit(message_records(sender, recipients, content,
                                                attrs=attrs), flags)
    assert reply["status"] == 0, (reply, ci.log())
    assert reply["reason"] == ""
    assert reply["queue_id"] == queue_id
    return queue_id, ci.records(queue_id)


# The main path.

def test_message_lands_in_incoming(cinst):
    cinst.start()
    queue_id, recs = accepted(
        cinst, "From: Sender <sender@example.org>\nTo: rcpt@example.org\n"
        "Subject: hello\nDate: Sat, 5 Dec 2026 00:00:00 +0000\n"
        "Message-ID: <abc@example.org>\n\nbody line\n")
    kinds = "".join(k for k, _ in recs)
    # Postfix's order: create_time and rewrite_context before F; no W
    # without delay_warning_time.
    assert re.fullmatch(r"QSTAAFA*ORMLLLLLLLXZ", kinds), kinds
    assert [d.split(b"=")[0] for k, d in recs[3:5]] == [b"create_time",
                                                       b"rewrite_context"]
    assert abs(int(recs[3][1].split(b"=")[1]) - time.time()) < 60
    assert recs[0] == ("Q", b"postel-queue 1")
    assert of_type(recs, "F") == ["sender@example.org"]
    assert of_type(recs, "R") == ["rcpt@example.org"]
    assert of_type(recs, "O") == ["rcpt@example.org"]
    assert "rewrite_context=local" in of_type(recs, "A")
    assert content_lines(recs) == [
        "From: Sender <sender@example.org>", "To: rcpt@example.org",
        "Subject: hello", "Date: Sat, 5 Dec 2026 00:00:00 +0000",
        "Message-ID: <abc@example.org>", "", "body line"]
    # The size record: content size, offset of M, recipients, flags...
    size = of_type(recs, "S")[0]
    assert len(size) == 65
    fields = size.split()
    content = sum(len(line) + 1 for line in content_lines(recs))
    assert int(fields[0]) == content
    blob = cinst.queue_file(queue_id).read_bytes()
    assert blob[int(fields[1]):int(fields[1]) + 3] == b"M0 "
    assert fields[2:] == ["1", "0", "0", "0"]
    assert cinst.files() == [queue_id]
    cinst.inst.wait_for_log(f"{queue_id}: message-id=<abc@example.org>")


def test_missing_headers_added_for_local_mail(cinst):
    cinst.start()
    queue_id, recs = accepted(cinst, "Subject: no headers\n\nbody\n",
                              attrs=["full_name=John Q. Public"])
    headers = headers_of(recs)
    assert headers[0] == "Subject: no headers"
    assert re.fullmatch(rf"Message-Id: <\d{{14}}\.{queue_id}@test\.example>",
                        headers[1])
    assert re.fullmatch(r"Date: \w\w\w, [ \d]\d \w\w\w \d{4} "
                        r"\d\d:\d\d:\d\d [+-]\d{4}( \(.*\))?", headers[2])
    assert headers[3] == 'From: "John Q. Public" <sender@example.org>'
    assert len(headers) == 4
    msgid = headers[1].split(" ", 1)[1]
    cinst.inst.wait_for_log(f"{queue_id}: message-id={msgid}")


def test_no_headers_at_all_gets_a_separator(cinst):
    cinst.start()
    _, recs = accepted(cinst, "just a body line\n", sender="")
    lines = content_lines(recs)
    assert lines[-2:] == ["", "just a body line"]
    assert "From: MAILER-DAEMON" in lines


def test_remote_mail_gets_no_headers(cinst):
    cinst.main_cf(local_header_rewrite_clients="")
    cinst.start()
    queue_id, recs = accepted(cinst, "Subject: remote\n\nbody\n",
                              attrs=["client_address=192.0.2.1",
                                     "client_name=remote.example"])
    assert headers_of(recs) == ["Subject: remote"]
    assert "rewrite_context=remote" in of_type(recs, "A")
    cinst.inst.wait_for_log(f"{queue_id}: message-id=<>")


def test_always_add_missing_headers_and_undisclosed(cinst):
    cinst.main_cf(local_header_rewrite_clients="",
                  always_add_missing_headers="yes",
                  undisclosed_recipients_header="To: undisclosed-recipients:;")
    cinst.start()
    _, recs = accepted(cinst, "Subject: remote\n\nbody\n",
                       attrs=["client_address=192.0.2.1"])
    headers = headers_of(recs)
    assert [h.split(":")[0] for h in headers] == [
        "Subject", "Message-Id", "Date", "From", "To"]
    assert headers[-1] == "To: undisclosed-recipients:;"


def test_resent_headers(cinst):
    cinst.start()
    queue_id, recs = accepted(
        cinst, "Message-ID: <abc@x>\nResent-Message-ID: <r@x>\n"
        "Resent-From: a@example.org\nSubject: ids\n\nhello\n")
    names = [h.split(":")[0] for h in headers_of(recs)]
    assert names == ["Message-ID", "Resent-Message-ID", "Resent-From",
                     "Subject", "Resent-Date"]
    log = cinst.inst.wait_for_log(f"{queue_id}: resent-message-id=<r@x>")
    assert f"{queue_id}: message-id=<abc@x>" in log


def test_header_addresses_rewritten_locally(cinst):
    cinst.start()
    _, recs = accepted(cinst, "From: joe\nTo: Ann <ann>, bob@other.example\n"
                       "Subject: s\n\nb\n", recipients=["ann"])
    headers = headers_of(recs)
    assert headers[0] == "From: joe@test.example"
    assert headers[1] == "To: Ann <ann@test.example>, bob@other.example"
    assert of_type(recs, "R") == ["ann@test.example"]
    assert of_type(recs, "O") == ["ann"]


def test_dropped_headers(cinst):
    cinst.start()
    _, recs = accepted(cinst, "Subject: s\nBcc: hidden@example.org\n"
                       "Return-Path: <x@y>\nContent-Length: 5\nX-Keep: 1\n\nb\n")
    names = [h.split(":")[0] for h in headers_of(recs)]
    assert "Bcc" not in names and "Return-Path" not in names
    assert "Content-Length" not in names and "X-Keep" in names


def test_folded_and_long_headers(cinst):
    cinst.main_cf(header_size_limit=200)
    cinst.start()
    long_value = "y " * 300
    _, recs = accepted(cinst, "Subject: folded\n\tsecond line\n"
                       f"X-Long: {long_value}\nX-After: z\n\nbody\n")
    lines = content_lines(recs)
    assert lines[0:2] == ["Subject: folded", "\tsecond line"]
    assert lines[2] == ("X-Long: " + long_value)[:200]
    assert lines[3] == "X-After: z"


def test_long_body_lines_stay_partial(cinst):
    cinst.start()
    long_line = "z" * 5000
    data = (record("F", "s@example.org") + record("R", "r@example.org")
            + record("M") + record("L", "Subject: p") + record("L", "")
            + record("P", long_line[:2000]) + record("P", long_line[2000:4000])
            + record("L", long_line[4000:]) + record("X") + record("Z"))
    reply, queue_id = cinst.submit(data)
    assert reply["status"] == 0, reply
    recs = cinst.records(queue_id)
    assert long_line in content_lines(recs)
    assert [k for k, _ in recs].count("P") == 2


def test_arrival_time_and_attributes_kept(cinst):
    cinst.start()
    data = message_records("s@example.org", ["r@example.org"], "S: x\n\nb\n",
                           attrs=["client_name=c.example",
                                  "client_address=127.0.0.1",
                                  "helo_name=c.example", "protocol=ESMTP"],
                           time="1700000000.123456")
    reply, queue_id = cinst.submit(data)
    assert reply["status"] == 0, reply
    recs = cinst.records(queue_id)
    assert of_type(recs, "T") == ["1700000000.123456"]
    attrs = of_type(recs, "A")
    assert "client_name=c.example" in attrs and "protocol=ESMTP" in attrs


def test_duplicate_recipients_removed(cinst):
    cinst.start()
    _, recs = accepted(cinst, "S: d\n\nb\n",
                       recipients=["a@example.org", "b@example.org",
                                   "a@example.org"])
    assert of_type(recs, "R") == ["a@example.org", "b@example.org"]
    assert of_type(recs, "S")[0].split()[2] == "2"


def test_original_recipient_disabled(cinst):
    cinst.main_cf(enable_original_recipient="no")
    cinst.start()
    _, recs = accepted(cinst, "S: d\n\nb\n")
    assert of_type(recs, "O") == []


def test_extract_recipients(cinst):
    cinst.start()
    queue_id, recs = accepted(
        cinst, "To: a@example.org, B <b@example.org>\nCc: c@example.org\n"
        "Bcc: d@example.org\nSubject: t\n\nbody\n", recipients=[],
        flags=FLAGS_DEFAULT | FLAG_EXTRACT)
    kinds = "".join(k for k, _ in recs)
    after_x = recs[kinds.index("X"):]
    assert of_type(after_x, "R") == ["a@example.org", "b@example.org",
                                     "c@example.org", "d@example.org"]
    assert "Bcc" not in [h.split(":")[0] for h in headers_of(recs)]
    assert of_type(recs, "S")[0].split()[2] == "4"


def test_extract_resent_recipients(cinst):
    cinst.start()
    _, recs = accepted(
        cinst, "To: a@example.org\nResent-To: r@example.org\nSubject: t\n\nb\n",
        recipients=[], flags=FLAGS_DEFAULT | FLAG_EXTRACT)
    assert of_type(recs, "R") == ["r@example.org"]


# Rejections.

def test_no_recipients(cinst):
    cinst.start()
    reply, queue_id = cinst.submit(message_records("s@example.org", [],
                                                   "S: x\n\nb\n"))
    assert reply["status"] == STAT_RCPT
    assert reply["reason"] == "5.1.0 no recipients specified"
    assert cinst.files() == []


def test_hopcount_limit(cinst):
    cinst.main_cf(hopcount_limit=5)
    cinst.start()
    received = "".join(f"Received: hop {i}\n" for i in range(6))
    reply, queue_id = cinst.submit(message_records(
        "s@example.org", ["r@example.org"], received + "Subject: loop\n\nb\n"))
    assert reply["status"] == STAT_HOPS
    assert reply["reason"] == "5.4.0 too many hops"
    cinst.inst.wait_for_log(f"warning: {queue_id}: message rejected: "
                            "hopcount exceeded")
    assert cinst.files() == []
    # Five are fine.
    received = "".join(f"Received: hop {i}\n" for i in range(5))
    accepted(cinst, received + "Subject: ok\n\nb\n")


def test_message_size_limit(cinst):
    cinst.main_cf(message_size_limit=2000)
    cinst.start()
    body = "x" * 60 + "\n"
    reply, queue_id = cinst.submit(message_records(
        "s@example.org", ["r@example.org"], "Subject: big\n\n" + body * 100))
    assert reply["status"] == STAT_SIZE
    assert reply["reason"] == "5.3.4 message file too big"
    cinst.inst.wait_for_log(f"warning: {queue_id}: queue file size limit "
                            "exceeded")
    assert cinst.files() == []
    accepted(cinst, "Subject: small\n\n" + body * 5)


def test_reject_characters(cinst):
    cinst.main_cf(message_reject_characters="\\7")
    cinst.start()
    reply, queue_id = cinst.submit(message_records(
        "s@example.org", ["r@example.org"], "Subject: bell\n\nding\a\n"))
    assert reply["status"] == STAT_CONT
    assert reply["reason"] == "5.7.1 disallowed character"
    cinst.inst.wait_for_log(f"{queue_id}: reject: content ding? from local; "
                            "from=<s@example.org> to=<r@example.org>: "
                            "5.7.1 disallowed character")
    assert cinst.files() == []


def test_strip_characters_and_stray_cr(cinst):
    cinst.main_cf(message_strip_characters="\\0\\7")
    cinst.start()
    _, recs = accepted(cinst, "Subject: a\ab\n\nx\ay\rz\n")
    assert content_lines(recs)[-1] == "xy z"
    assert "Subject: ab" in content_lines(recs)


def test_soft_bounce_makes_rejects_temporary(cinst):
    cinst.main_cf(message_reject_characters="\\7", soft_bounce="yes")
    cinst.start()
    reply, _ = cinst.submit(message_records(
        "s@example.org", ["r@example.org"], "Subject: bell\n\nding\a\n"))
    assert reply["status"] == STAT_CONT | STAT_DEFER
    assert reply["reason"] == "4.7.1 disallowed character"


# Bad input.

@pytest.mark.parametrize("garbage,why", [
    (b"this is not a record\n", "bad record from client"),
    (record("F", "s@example.org") + b"R99999999999 x\n", "bad record"),
    (record("F", "s@example.org") + record("Q", "x"), "unexpected record"),
    (record("R", "r@example.org"), "recipient before sender"),
    (record("F", "a") + record("F", "b"), "duplicate sender"),
    (record("F", "a\nb"), "null byte or line break"),
    (record("F", "s") + record("A", "Bad Name=1"), "bad attribute name"),
    (record("F", "s") + record("R", "r") + record("M") + record("R", "x"),
     "unexpected recipient record in message content"),
    (record("F", "s") + record("R", "r") + record("M") + record("L", "x")
     + record("Z"), "premature end record"),
])
def test_garbage_on_the_socket(cinst, garbage, why):
    cinst.start()
    client = cinst.client()
    client.request(FLAGS_DEFAULT)
    client.send(garbage + record("X") + record("Z"))
    reply = client.reply()
    client.close()
    assert reply["status"] == STAT_BAD, reply
    assert reply["reason"] == "5.3.0 bad message format"
    log = cinst.inst.wait_for_log(why)
    assert "panic" not in log and "fatal" not in log
    assert cinst.files() == []


def test_wrong_protocol_request(cinst):
    cinst.start()
    client = cinst.client()
    client.send(attr_encode([("s", "protocol", "rewrite"), ("i", "flags", 0)]))
    reply = client.reply()
    client.close()
    assert reply["status"] == -1
    cinst.inst.wait_for_log("bad request from client")
    assert cinst.files() == []


def test_client_goes_away(cinst):
    cinst.start()
    client = cinst.client()
    client.request(FLAGS_DEFAULT)
    client.send(record("F", "s@example.org") + record("R", "r@example.org")
                + record("M") + record("L", "Subject: half"))
    client.close()
    cinst.inst.wait_for_log("lost connection from client")
    assert [f for f in os.listdir(cinst.queue / "incoming")] == []


def test_kill_cleanup_mid_message_leaves_no_ready_file(cinst):
    cinst.start()
    client = cinst.client()
    client.request(FLAGS_DEFAULT)
    client.send(record("F", "s@example.org") + record("R", "r@example.org")
                + record("M") + record("L", "Subject: killed"))
    # The file exists under its queue ID already, not ready (mode 0600).
    wait_until(lambda: os.listdir(cinst.queue / "incoming"), "queue file")
    names = os.listdir(cinst.queue / "incoming")
    assert names == [client.queue_id]
    assert (cinst.queue / "incoming" / names[0]).stat().st_mode & 0o7777 \
        == 0o600
    killed = False
    for pid in cleanup_pids(cinst):
        os.kill(pid, signal.SIGKILL)
        killed = True
    assert killed
    with pytest.raises((EOFError, ConnectionError, OSError)):
        client.reply()
    client.close()
    # Nothing in incoming/ is ready: no reader takes the dead file.
    assert cinst.ready_files() == []
    assert cinst.unready_files() == [client.queue_id]


def test_accepted_file_is_named_early_and_marked_ready(cinst):
    """incoming/<queue ID> exists with mode 0600 while the message is
    written, and has mode 0700 once cleanup answered status 0; no
    temporary name is used (queue-file.md section 8)."""
    cinst.start()
    client = cinst.client()
    try:
        client.request(FLAGS_DEFAULT)
        client.send(record("F", "s@example.org") + record("R", "r@example.org")
                    + record("M") + record("L", "Subject: early"))
        path = cinst.queue / "incoming" / client.queue_id
        wait_until(path.exists, "file under its queue ID")
        assert cinst.files() == [client.queue_id]
        assert path.stat().st_mode & 0o7777 == 0o600
        client.send(record("X") + record("Z"))
        reply = client.reply()
    finally:
        client.close()
    assert reply["status"] == 0, reply
    assert cinst.files() == [client.queue_id]
    assert path.stat().st_mode & 0o7777 == 0o700
    recs = cinst.records(client.queue_id)
    assert recs[0] == ("Q", b"postel-queue 1") and recs[-1] == ("Z", b"")
    # A message that is rejected or abandoned leaves nothing behind.
    reply, queue_id = cinst.submit(record("F", "s@example.org") + record("M")
                                   + record("X") + record("Z"))
    assert reply["status"] != 0
    assert cinst.files() == [client.queue_id]


# Request flags, hold, and the qmgr wake-up.

def test_hold_flag_puts_message_on_hold(cinst):
    cinst.start()
    reply, queue_id = cinst.submit(message_records(
        "s@example.org", ["r@example.org"], "Subject: h\n\nb\n"),
        FLAGS_DEFAULT | FLAG_HOLD)
    assert reply["status"] == 0, reply
    assert cinst.files() == []
    assert cinst.files("hold") == [queue_id]
    recs = cinst.records(queue_id, "hold")
    assert of_type(recs, "S")[0].split()[3] == "1"


def test_discard_flag_accepts_and_drops(cinst):
    cinst.start()
    reply, queue_id = cinst.submit(message_records(
        "s@example.org", ["r@example.org"], "Subject: d\n\nb\n"),
        FLAGS_DEFAULT | FLAG_DISCARD)
    assert reply["status"] == 0, reply
    assert reply["queue_id"] == queue_id
    assert cinst.files() == [] and cinst.files("hold") == []


def test_qmgr_is_woken_up(cinst):
    qmgr = cinst.queue / "public/qmgr"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(qmgr))
    if cinst.run_as:
        os.lchown(qmgr, *cinst.run_as)
    listener.listen(5)
    listener.settimeout(TIMEOUT)
    try:
        cinst.start()
        accepted(cinst, "Subject: wake\n\nb\n")
        conn, _ = listener.accept()
        conn.settimeout(TIMEOUT)
        assert conn.recv(10) == b"W"
        conn.close()
    finally:
        listener.close()


# Header and body checks.

HEADER_CHECKS = """\
/^Subject: reject me/ REJECT bad subject
/^Subject: warn me/ WARN warned subject
/^Subject: hold me/ HOLD held subject
/^Subject: discard me/ DISCARD discarded
/^Subject: redirect me/ REDIRECT other@example.org
/^Subject: filter me/ FILTER smtp:[127.0.0.1]:10025
/^Subject: bcc me/ BCC bccaddr@example.org
/^Subject: prepend me/ PREPEND X-Added: yes
/^Subject: replace me/ REPLACE Subject: replaced
/^X-Ignore:/ IGNORE
"""
BODY_CHECKS = """\
/^body reject/ REJECT body rejected
/^body warn/ WARN body warned
/^body drop/ IGNORE
"""


@pytest.fixture
def checks(cinst):
    hc = cinst.write_file("header_checks", HEADER_CHECKS)
    bc = cinst.write_file("body_checks", BODY_CHECKS)
    cinst.main_cf(header_checks=f"regexp:{hc}", body_checks=f"regexp:{bc}")
    cinst.start()
    return cinst


def check_log(action, what, text):
    return (f"{action}: {what} from local; from=<sender@example.org> "
            f"to=<rcpt@example.org>: {text}")


@pytest.mark.parametrize("content,where,reason", [
    ("Subject: reject me\n\nbody\n", "header Subject: reject me",
     "5.7.1 bad subject"),
    ("Subject: b\n\nfirst\nbody reject this\n", "body body reject this",
     "5.7.1 body rejected"),
])
def test_check_reject(checks, content, where, reason):
    reply, queue_id = checks.submit(message_records(
        "sender@example.org", ["rcpt@example.org"], content))
    assert (reply["status"], reply["reason"]) == (STAT_CONT, reason)
    checks.inst.wait_for_log(f"{queue_id}: " + check_log("reject", where,
                                                         reason))
    assert checks.files() == []


def test_check_warn_keeps_message(checks):
    queue_id, recs = accepted(checks, "Subject: warn me\n\nbody warn x\n")
    log = checks.inst.wait_for_log(f"{queue_id}: " + check_log(
        "warning", "body body warn x", "body warned"))
    assert f"{queue_id}: warning: header Subject: warn me from local" in log
    assert "Subject: warn me" in content_lines(recs)


def test_check_hold(checks):
    reply, queue_id = checks.submit(message_records(
        "sender@example.org", ["rcpt@example.org"], "Subject: hold me\n\nb\n"))
    assert reply["status"] == 0
    assert checks.files("hold") == [queue_id] and checks.files() == []
    checks.inst.wait_for_log(f"{queue_id}: " + check_log(
        "hold", "header Subject: hold me", "held subject"))


def test_check_discard(checks):
    reply, queue_id = checks.submit(message_records(
        "sender@example.org", ["rcpt@example.org"],
        "Subject: discard me\n\nb\n"))
    assert reply["status"] == 0
    assert checks.files() == [] and checks.files("hold") == []
    checks.inst.wait_for_log(f"{queue_id}: " + check_log(
        "discard", "header Subject: discard me", "discarded"))


def test_check_redirect_filter_bcc(checks):
    _, recs = accepted(checks, "Subject: redirect me\n\nb\n")
    assert of_type(recs, "J") == ["other@example.org"]
    _, recs = accepted(checks, "Subject: filter me\n\nb\n")
    assert of_type(recs, "I") == ["smtp:[127.0.0.1]:10025"]
    _, recs = accepted(checks, "Subject: bcc me\n\nb\n")
    kinds = "".join(k for k, _ in recs)
    after_x = recs[kinds.index("X"):]
    assert of_type(after_x, "R") == ["bccaddr@example.org"]
    assert of_type(after_x, "n") == ["1"]
    assert of_type(recs, "S")[0].split()[2] == "2"


def test_check_edits(checks):
    _, recs = accepted(checks, "Subject: prepend me\nX-Ignore: gone\n"
                       "X-Kept: 1\n\nbody drop me\nbody keep\n")
    lines = content_lines(recs)
    assert lines[:3] == ["X-Added: yes", "Subject: prepend me", "X-Kept: 1"]
    assert "body drop me" not in lines and "body keep" in lines
    _, recs = accepted(checks, "Subject: replace me\n\nb\n")
    assert content_lines(recs)[0] == "Subject: replaced"


def test_checks_off_without_filter_flag(checks):
    reply, queue_id = checks.submit(message_records(
        "sender@example.org", ["rcpt@example.org"],
        "Subject: reject me\n\nbody\n"), FLAGS_DEFAULT & ~FLAG_FILTER)
    assert reply["status"] == 0


# Address mapping.

def test_canonical_and_masquerade(cinst):
    cinst.main_cf(
        sender_canonical_maps="inline:{ joe@test.example=joseph@host.example.org }",
        recipient_canonical_maps="inline:{ ann@test.example=anne@example.net }",
        masquerade_domains="example.org")
    cinst.start()
    _, recs = accepted(cinst, "From: joe\nTo: ann\nSubject: c\n\nb\n",
                       sender="joe", recipients=["ann"])
    assert of_type(recs, "F") == ["joseph@example.org"]
    assert of_type(recs, "R") == ["anne@example.net"]
    assert of_type(recs, "O") == ["ann"]
    headers = headers_of(recs)
    assert headers[0] == "From: joseph@example.org"
    assert headers[1] == "To: anne@example.net"
    # Without MAP_OK only trivial-rewrite applies.
    _, recs = accepted(cinst, "From: joe\n\nb\n", sender="joe",
                       recipients=["ann"], flags=FLAG_FILTER)
    assert of_type(recs, "F") == ["joe@test.example"]
    assert of_type(recs, "R") == ["ann@test.example"]
    assert headers_of(recs)[0] == "From: joe@test.example"


def test_virtual_alias_expansion(cinst):
    chain = ", ".join(f"c{i}@example.org=c{i + 1}@example.org"
                      for i in range(8))
    cinst.main_cf(virtual_alias_maps="inline:{ "
                  "{list@example.org=a@example.org, b@example.org}, "
                  "loop1@example.org=loop2@example.org, "
                  "loop2@example.org=loop1@example.org, " + chain + " }",
                  virtual_alias_recursion_limit=5)
    cinst.start()
    _, recs = accepted(cinst, "Subject: v\n\nb\n",
                       recipients=["list@example.org", "a@example.org"])
    assert of_type(recs, "R") == ["a@example.org", "b@example.org"]
    assert of_type(recs, "O") == ["list@example.org", "list@example.org"]
    # A loop, or a chain deeper than the limit: deferred, nothing queued.
    for rcpt in ("loop1@example.org", "c0@example.org"):
        reply, queue_id = cinst.submit(message_records(
            "s@example.org", [rcpt], "Subject: deep\n\nb\n"))
        assert reply["status"] == STAT_DEFER
        assert reply["reason"] == "4.6.0 Alias expansion error"
        assert queue_id not in cinst.files()
    cinst.inst.wait_for_log("unreasonable virtual_alias_maps map nesting "
                            "for loop1@example.org")
    _, recs = accepted(cinst, "Subject: ok\n\nb\n",
                       recipients=["c4@example.org"])
    assert of_type(recs, "R") == ["c8@example.org"]


def test_always_bcc(cinst):
    cinst.main_cf(always_bcc="archive@example.org")
    cinst.start()
    _, recs = accepted(cinst, "Subject: a\n\nb\n")
    assert of_type(recs, "R") == ["rcpt@example.org", "archive@example.org"]
    _, recs = accepted(cinst, "Subject: a\n\nb\n", flags=FLAG_FILTER)
    assert of_type(recs, "R") == ["rcpt@example.org"]


# MIME.

def multipart(boundary, inner):
    return (f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
            f"--{boundary}\n{inner}\n--{boundary}--\n")


def test_mime_and_nested_header_checks(cinst):
    mh = cinst.write_file("mime_header_checks",
                          "/^Content-Type: application\\/x-bad/ REJECT bad type\n")
    nh = cinst.write_file("nested_header_checks",
                          "/^Subject: nested bad/ REJECT nested rejected\n")
    hc = cinst.write_file("header_checks",
                          "/^Subject: nested/ REJECT wrong table\n")
    cinst.main_cf(mime_header_checks=f"regexp:{mh}",
                  nested_header_checks=f"regexp:{nh}",
                  header_checks=f"regexp:{hc}")
    cinst.start()
    part = "Content-Type: application/x-bad\n\nxx"
    reply, queue_id = cinst.submit(message_records(
        "s@example.org", ["r@example.org"],
        "Subject: m\nMIME-Version: 1.0\n" + multipart("b1", part)))
    assert (reply["status"], reply["reason"]) == (STAT_CONT, "5.7.1 bad type")
    cinst.inst.wait_for_log(f"{queue_id}: reject: header Content-Type: "
                            "application/x-bad from local")
    attached = ("Content-Type: message/rfc822\n\n"
                "Subject: nested bad\n\ninner body")
    reply, queue_id = cinst.submit(message_records(
        "s@example.org", ["r@example.org"],
        "Subject: m\nMIME-Version: 1.0\n" + multipart("b1", attached)))
    assert (reply["status"], reply["reason"]) == (STAT_CONT,
                                                  "5.7.1 nested rejected")
    # A harmless multipart message passes, and is kept as it came.
    text = ("Subject: ok\nMIME-Version: 1.0\n"
            + multipart("b1", "Content-Type: text/plain\n\nhello"))
    _, recs = accepted(cinst, text)
    lines = content_lines(recs)
    body = text.split("\n\n", 1)[1].rstrip("\n").split("\n")
    assert lines[-len(body):] == body
    assert lines[:3] == text.split("\n")[:3]


def test_mime_nesting_limit(cinst):
    cinst.main_cf(mime_nesting_limit=3, smtputf8_enable="yes")
    cinst.start()
    inner = "Content-Type: text/plain\n\nhi"
    for i in range(10):
        inner = (f'Content-Type: multipart/mixed;\n\tboundary="b{i}"; '
                 f'x=caf\u00e9\x7f{"y" * i * 30}\n\n'
                 f"--b{i}\n{inner}\n--b{i}--\n")
    reply, queue_id = cinst.submit(message_records(
        "s@example.org", ["r@example.org"],
        "Subject: deep\nMIME-Version: 1.0\n" + inner))
    assert reply["status"] == STAT_CONT
    assert reply["reason"] == "5.6.0 MIME nesting exceeds safety limit"
    # Postfix 3.7 quotes the first 100 bytes of the offending header (the
    # sixth multipart with limit 3), without "...", a newline or control
    # byte as "?", UTF-8 kept.
    log = cinst.inst.wait_for_log(f"{queue_id}: reject: mime-error MIME "
                                  "nesting exceeds safety limit: ")
    detail = ('Content-Type: multipart/mixed;??boundary="b4"; x=caf\u00e9?'
              + "y" * 120)[:99]
    assert (f"{queue_id}: reject: mime-error MIME nesting exceeds safety "
            f"limit: {detail} from local; from=<s@example.org> "
            "to=<r@example.org>\n") in log
    assert cinst.files() == []


def test_eight_bit_content_flags(cinst):
    cinst.start()
    _, recs = accepted(cinst, "Subject: plain\n\nascii\n")
    assert of_type(recs, "S")[0].split()[4:] == ["0", "0"]
    _, recs = accepted(cinst, "Subject: body\n\ncaf\u00e9\n")
    assert of_type(recs, "S")[0].split()[4:] == ["1", "0"]
    _, recs = accepted(cinst, "Subject: caf\u00e9\n\nascii\n")
    assert of_type(recs, "S")[0].split()[5] == "2"
    _, recs = accepted(cinst, "Subject: x\n\nb\n",
                       flags=FLAGS_DEFAULT | FLAG_SMTPUTF8)
    assert of_type(recs, "S")[0].split()[5] == "1"
    # SMTPUTF8 bits: 1 requested, 2 header, 4 sender; with autodetection
    # (512, pickup's sendmail class) UTF-8 in a header or the sender sets
    # "requested" too, as Postfix 3.7 (3 and 7, observed).
    detect = FLAGS_DEFAULT | FLAG_UTF8_DETECT
    _, recs = accepted(cinst, "Subject: caf\u00e9\n\nascii\n", flags=detect)
    assert of_type(recs, "S")[0].split()[5] == "3"
    _, recs = accepted(cinst, "Subject: caf\u00e9\n\nascii\n",
                       sender="j\u00f6rg@example.org", flags=detect)
    assert of_type(recs, "S")[0].split()[5] == "7"
    _, recs = accepted(cinst, "Subject: x\n\n\u00fcber\n",
                       recipients=("zo\u00eb@example.org",), flags=detect)
    assert of_type(recs, "S")[0].split()[5] == "0"
    _, recs = accepted(cinst, "Subject: x\n\nb\n",
                       sender="j\u00f6rg@example.org")
    assert of_type(recs, "S")[0].split()[5] == "4"
    # Content-Transfer-Encoding: 8bit: encoding=8bit after X (Postfix).
    _, recs = accepted(cinst, "Content-Transfer-Encoding: 8bit\n\nb\n")
    kinds = "".join(k for k, _ in recs)
    assert kinds[kinds.index("X") + 1] == "A"
    assert recs[kinds.index("X") + 1] == ("A", b"encoding=8bit")
    _, recs = accepted(cinst, "Subject: x\n\ncaf\u00e9\n")
    assert "encoding=8bit" not in of_type(recs, "A")


def test_strict_8bitmime(cinst):
    cinst.main_cf(strict_8bitmime="yes")
    cinst.start()
    reply, _ = cinst.submit(message_records(
        "s@example.org", ["r@example.org"], "Subject: caf\u00e9\n\nb\n"))
    assert reply["status"] == STAT_CONT
    assert reply["reason"] == ("5.6.0 improper use of 8-bit data in "
                               "message header")


# Local and remote clients.

def test_local_header_rewrite_clients_mynetworks(cinst):
    cinst.main_cf(mynetworks="192.0.2.0/24",
                  local_header_rewrite_clients="permit_mynetworks")
    cinst.start()
    _, recs = accepted(cinst, "From: joe\nSubject: n\n\nb\n",
                       attrs=["client_address=192.0.2.7"])
    assert "rewrite_context=local" in of_type(recs, "A")
    headers = headers_of(recs)
    assert headers[0] == "From: joe@test.example"
    assert "Date" in [h.split(":")[0] for h in headers]
    _, recs = accepted(cinst, "From: joe\nSubject: n\n\nb\n",
                       attrs=["client_address=198.51.100.7"])
    assert "rewrite_context=remote" in of_type(recs, "A")
    assert headers_of(recs) == ["From: joe", "Subject: n"]


def test_sasl_client_is_local(cinst):
    cinst.main_cf(local_header_rewrite_clients="permit_sasl_authenticated")
    cinst.start()
    _, recs = accepted(cinst, "From: joe\n\nb\n",
                       attrs=["client_address=198.51.100.7",
                              "sasl_username=joe"])
    assert "rewrite_context=local" in of_type(recs, "A")


def test_client_context_wins(cinst):
    cinst.start()
    _, recs = accepted(cinst, "From: joe\n\nb\n",
                       attrs=["client_address=127.0.0.1",
                              "rewrite_context=remote"])
    assert of_type(recs, "A").count("rewrite_context=remote") == 1
    assert headers_of(recs) == ["From: joe"]


def test_remote_header_rewrite_domain(cinst):
    cinst.main_cf(local_header_rewrite_clients="",
                  remote_header_rewrite_domain="domain.invalid")
    cinst.start()
    _, recs = accepted(cinst, "From: joe\nTo: ann@example.org\n\nb\n",
                       attrs=["client_address=198.51.100.7"])
    assert headers_of(recs) == ["From: joe@domain.invalid",
                                "To: ann@example.org"]


def test_header_address_token_limit(cinst):
    cinst.main_cf(header_address_token_limit=10)
    cinst.start()
    many = ", ".join(f"u{i}" for i in range(20))
    _, recs = accepted(cinst, f"To: {many}\n\nb\n", recipients=[],
                       flags=FLAGS_DEFAULT | FLAG_EXTRACT)
    rcpts = of_type(recs, "R")
    assert 0 < len(rcpts) <= 5
    assert rcpts[0] == "u0@test.example"


# Robustness: mutated streams never crash the service or leave files.

def test_mutated_streams(cinst):
    import random
    rng = random.Random(8)
    cinst.start()
    good = message_records("s@example.org", ["r@example.org", "x@example.org"],
                           "Subject: m\nTo: a@example.org\n\nline one\n"
                           "line two\n", attrs=["client_address=127.0.0.1"])
    accepted_ids = []
    for _ in range(150):
        data = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            op = rng.randrange(3)
            pos = rng.randrange(len(data))
            if op == 0:
                data[pos] = rng.randrange(256)
            elif op == 1:
                del data[pos:pos + rng.randint(1, 20)]
            else:
                data[pos:pos] = bytes(rng.randrange(256) for _ in range(5))
        if rng.random() < 0.2:
            data = data[:rng.randrange(len(data))]
        client = cinst.client()
        try:
            client.request(FLAGS_DEFAULT)
            client.send(bytes(data))
            client.sock.shutdown(socket.SHUT_WR)
            reply = client.reply()
            if reply.get("status") == 0:
                accepted_ids.append(reply["queue_id"])
        except (EOFError, OSError):
            pass
        finally:
            client.close()
    log = cinst.log()
    assert "panic" not in log and "fatal" not in log
    assert "killed by signal" not in log and "exit status" not in log
    wait_until(lambda: not cinst.unready_files(), "unfinished files gone")
    assert sorted(cinst.files()) == sorted(accepted_ids)
    assert sorted(cinst.ready_files()) == sorted(accepted_ids)
    for queue_id in accepted_ids:
        recs = cinst.records(queue_id)
        assert recs[-1] == ("Z", b"")
    # The service still works.
    accepted(cinst, "Subject: after\n\nb\n")


def test_envelope_record_limit(cinst):
    cinst.start()
    reply, _ = cinst.submit(record("F", "s@example.org")
                            + record("R", "x" * 70000 + "@example.org")
                            + record("M") + record("X") + record("Z"))
    assert reply["status"] == STAT_BAD
    cinst.inst.wait_for_log("bad record from client: ")
    assert cinst.files() == []


def test_many_recipients(cinst):
    cinst.main_cf(duplicate_filter_limit=100)
    cinst.start()
    rcpts = [f"r{i}@example.org" for i in range(10000)]
    queue_id, recs = accepted(cinst, "Subject: many\n\nb\n",
                              recipients=rcpts + rcpts[:50]
                              + rcpts[5000:5010])
    # The filter remembers the first duplicate_filter_limit addresses.
    assert of_type(recs, "R") == rcpts + rcpts[5000:5010]
    assert of_type(recs, "S")[0].split()[2] == "10010"


def test_huge_header_and_nul_bytes(cinst):
    cinst.start()
    header = "X-Big: " + "h" * (1024 * 1024)
    data = (record("F", "s@example.org") + record("R", "r@example.org")
            + record("M"))
    for i in range(0, len(header), 2000):
        data += record("P", header[i:i + 2000])
    data += record("L") + record("L") + record("L", b"nul\0byte")
    data += record("X") + record("Z")
    reply, queue_id = cinst.submit(data)
    assert reply["status"] == 0, reply
    lines = content_lines(cinst.records(queue_id))
    assert lines[0] == header[:102400]
    assert "nul\0byte" in lines


def test_kill_storm_loses_nothing_acknowledged(cinst):
    """Messages flow while cleanup processes are killed at random moments:
    every acknowledged message is complete in incoming/, and nothing in
    incoming/ under a queue ID is incomplete."""
    import random
    import threading
    rng = random.Random(9)
    cinst.start()
    acknowledged = []
    stop = threading.Event()

    def killer():
        while not stop.is_set():
            for pid in cleanup_pids(cinst):
                if rng.random() < 0.5:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            time.sleep(rng.uniform(0.005, 0.05))

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        body = "".join(f"line {i}\n" for i in range(200))
        for n in range(200):
            try:
                reply, queue_id = cinst.submit(message_records(
                    "s@example.org", ["r@example.org"],
                    f"Subject: storm {n}\n\n{body}"))
            except (EOFError, OSError):
                continue
            if reply.get("status") == 0:
                acknowledged.append(queue_id)
    finally:
        stop.set()
        thread.join()
    print(f"{len(acknowledged)} of 200 acknowledged")
    assert len(acknowledged) > 10
    complete = cinst.ready_files()
    assert set(acknowledged) <= set(complete)
    for name in complete:
        recs = cinst.records(name)
        assert recs[0] == ("Q", b"postel-queue 1") and recs[-1] == ("Z", b"")


def test_postcat_reads_what_cleanup_wrote(cinst):
    """Our postcat (queue_file_read) accepts every kind of file cleanup
    writes: extracted recipients, BCC, redirect, filter, partial lines."""
    hc = cinst.write_file("header_checks",
                          "/^Subject: bcc/ BCC z@example.org\n"
                          "/^X-Filter:/ FILTER smtp:[127.0.0.1]:10025\n"
                          "/^To:/ REDIRECT r2@example.org\n"
                          "/^X-Late-Filter:/ FILTER smtp:late\n")
    cinst.main_cf(header_checks=f"regexp:{hc}", content_filter="lmtp:x",
                  delay_warning_time="4h")
    cinst.start()
    data = (record("T", "1700000000.5") + record("F", "s@example.org")
            + record("A", "client_name=c.example") + record("E", "envid")
            + record("Y", "2") + record("O", "orig@example.org")
            + record("o", "rfc822;orig@example.org") + record("n", "6")
            + record("R", "r@example.org") + record("M")
            + record("L", "Subject: bcc") + record("L", "X-Filter: yes")
            + record("L", "To: t@example.org, u")
            + record("L", "X-Late-Filter: 1") + record("L", "")
            + record("P", "x" * 2000) + record("L", "y")
            + record("X") + record("Z"))
    reply, queue_id = cinst.submit(data, FLAGS_DEFAULT | FLAG_EXTRACT)
    assert reply["status"] == 0, reply
    recs = cinst.records(queue_id)
    kinds = "".join(k for k, _ in recs)
    assert re.fullmatch(r"QSTAAFAEYWInoORML+PLXoORoORnORIJZ", kinds), kinds
    assert of_type(recs, "I") == ["lmtp:x", "smtp:[127.0.0.1]:10025"]
    assert of_type(recs, "J") == ["r2@example.org"]
    assert of_type(recs, "W") == [str(1700000000 + 4 * 3600)]
    r = cinst.inst.run("postcat", "-q", queue_id)
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    assert "original_recipient: u\nrecipient: u@test.example" in r.stdout


def test_check_log_recipient(cinst):
    """to= in content check log lines: the most recent recipient after
    canonical mapping and before virtual expansion; none with -t."""
    hc = cinst.write_file("header_checks", "/^Subject: warn/ WARN w\n")
    cinst.main_cf(header_checks=f"regexp:{hc}",
                  recipient_canonical_maps="inline:{ r1@example.org=list@example.org }",
                  virtual_alias_maps="inline:{ {list@example.org=a@example.org, b@example.org} }")
    cinst.start()
    queue_id, _ = accepted(cinst, "Subject: warn\n\nb\n",
                           recipients=["x@example.org", "r1@example.org"])
    cinst.inst.wait_for_log(f"{queue_id}: warning: header Subject: warn from "
                            "local; from=<sender@example.org> "
                            "to=<list@example.org>: w")
    queue_id, _ = accepted(cinst, "Subject: warn\nTo: a@example.org\n\nb\n",
                           recipients=[], flags=FLAGS_DEFAULT | FLAG_EXTRACT)
    cinst.inst.wait_for_log(f"{queue_id}: warning: header Subject: warn from "
                            "local; from=<sender@example.org>: w")


def test_body_parts_kept_as_received(cinst):
    cinst.start()
    text = ("Subject: parts\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
            "--b1\nContent-Type: text/plain\nno blank line before this\n"
            "--b1--\n")
    _, recs = accepted(cinst, text)
    lines = content_lines(recs)
    body = text.split("\n\n", 1)[1].rstrip("\n").split("\n")
    assert lines[-len(body):] == body


def test_body_checks_size_limit(cinst):
    bc = cinst.write_file("body_checks", "/^bad line/ REJECT found it\n")
    cinst.main_cf(body_checks=f"regexp:{bc}", body_checks_size_limit=100)
    cinst.start()
    filler = "x" * 60 + "\n"
    # Past the limit of the one body segment: not inspected.
    accepted(cinst, "Subject: s\n\n" + filler * 3 + "bad line\n")
    reply, _ = cinst.submit(message_records(
        "s@example.org", ["r@example.org"],
        "Subject: s\n\n" + filler + "bad line\n"))
    assert reply["reason"] == "5.7.1 found it"
    # Each MIME body part is a segment of its own.
    reply, _ = cinst.submit(message_records(
        "s@example.org", ["r@example.org"],
        "Subject: s\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
        "--b\n\n" + filler * 3 + "--b\n\nbad line\n--b--\n"))
    assert reply["reason"] == "5.7.1 found it"
