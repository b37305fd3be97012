"""System tests for bounce(8): the bounce, defer and trace services.

A private instance runs master(8) with postlogd, cleanup, trivial-rewrite
and the three bounce(8) services, but no qmgr: messages stay in incoming/,
where the tests find both the originals they submit (through a Python
cleanup client) and the notifications that bounce(8) queues. A Python
client speaks the bounce protocol of docs/internals/delivery.md section 3
(attribute lists, docs/internals/protocols.md) to private/bounce,
private/defer and private/trace. Notifications are parsed with Python's
email package.

test_same_as_debian runs the same outcomes through Debian's Postfix 3.7
(a throwaway instance with a fake SMTP server on loopback; skipped when
not root or without Debian's Postfix) and compares the notifications
field by field, with queue IDs, dates and boundaries normalised.
"""

import contextlib
import email
import email.policy
import grp
import os
import pwd
import re
import signal
import socket
import subprocess
import threading
import time

import pytest

import conftest

from cleanup_wire import (AttrReader, CleanupClient, FLAG_MAP_OK,
                          attr_dict, attr_encode, message_records,
                          parse_records)
from conftest import Instance, process_alive as proc_alive
from ports import free_port

IS_ROOT = os.geteuid() == 0
TIMEOUT = 10.0

MASTER_CF = """\
postlog unix-dgram n - n - 1 postlogd
cleanup unix n - n - 0 cleanup
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
"""

REQ_APPEND, REQ_FLUSH, REQ_WARN, REQ_TRACE = 1, 2, 3, 4
NOTIFY_NEVER, NOTIFY_SUCCESS, NOTIFY_FAILURE, NOTIFY_DELAY = 1, 2, 4, 8

ORIGINAL = ("From: Alice <alice@capture.example>\n"
            "To: whoever@test.example\n"
            "Subject: test one\n"
            "Message-ID: <m1@client.example>\n"
            "\n"
            "body line 1\n"
            "body line 2\n")


def wait_until(predicate, what, timeout=TIMEOUT):
    return conftest.wait_until(predicate, what, timeout)


class BounceInstance:
    """A private instance with master, cleanup, rewrite and bounce."""

    def __init__(self, install_root, base):
        self.inst = Instance(base, install_root)
        self.base = base
        self.master_path = install_root / "usr/libexec/postfix/master"
        self.owner = "postfix" if IS_ROOT else pwd.getpwuid(os.getuid()).pw_name
        pw = pwd.getpwnam(self.owner)
        self.uid, self.gid = pw.pw_uid, pw.pw_gid
        self.run_as = (self.uid, self.gid) if IS_ROOT else None
        self.queue = self.inst.queue_dir
        self.main_cf(mail_owner=self.owner,
                     setgid_group=grp.getgrgid(self.gid).gr_name,
                     myhostname="test.example", myorigin="test.example",
                     mydomain="example",
                     mydestination="test.example, localhost",
                     service_throttle_time="2s", compatibility_level="3.6")
        self.inst.write_master_cf(MASTER_CF)
        conftest.make_queue_dirs(self.queue)
        self._chown_all()

    def _chown_all(self):
        if self.run_as:
            conftest.chown_tree(self.base, self.uid, self.gid)

    def main_cf(self, **settings):
        self.inst.write_main_cf(**settings)
        if self.run_as:
            os.lchown(self.inst.config_dir / "main.cf", *self.run_as)

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
        for name in ("public/cleanup", "private/bounce", "private/defer",
                     "private/trace"):
            wait_until(lambda: (self.queue / name).exists(), name)

    def stop(self):
        pid = self.inst.master_pid()
        if pid and proc_alive(pid):
            os.kill(pid, signal.SIGTERM)
            try:
                wait_until(lambda: not proc_alive(pid), "master to stop")
            except AssertionError:
                os.kill(pid, signal.SIGKILL)

    def log(self):
        return self.inst.log_text()

    def submit(self, content=ORIGINAL, sender="alice@capture.example",
               recipients=("nouser@test.example",)):
        """Queue an original through cleanup; return its queue ID."""
        client = CleanupClient(self.queue / "public/cleanup")
        try:
            client.request(FLAG_MAP_OK)
            client.send(message_records(sender, recipients, content))
            reply = client.reply()
        finally:
            client.close()
        assert reply["status"] == 0, (reply, self.log())
        return client.queue_id

    def records(self, queue_id, queue="incoming"):
        return parse_records((self.queue / queue / queue_id).read_bytes())

    def bounce(self, service="bounce"):
        return BounceClient(self.queue / "private" / service)

    def notification(self, orig_id, what="sender non-delivery"):
        """The notification bounce(8) queued for orig_id: (records, msg)."""
        text = self.inst.wait_for_log(f"{orig_id}: {what} notification: ")
        new_id = re.search(rf"{orig_id}: {what} notification: (\w+)",
                           text).group(1)
        recs = self.records(new_id)
        return new_id, recs, parse_message(recs)

    def log_path(self, service, queue_id):
        """The log file of a message, wherever the hashing put it."""
        found = list((self.queue / service).rglob(queue_id))
        return found[0] if found else None


def content_of(recs):
    lines, partial = [], b""
    in_content = False
    for kind, data in recs:
        if kind == "M":
            in_content = True
        elif kind == "X":
            break
        elif in_content and kind == "P":
            partial += data
        elif in_content and kind == "L":
            lines.append(partial + data)
            partial = b""
    return b"\n".join(lines) + b"\n"


def parse_message(recs):
    return email.message_from_bytes(content_of(recs),
                                    policy=email.policy.compat32)


def of_type(recs, kind):
    return [d.decode(errors="replace") for k, d in recs if k == kind]


class BounceClient:
    """One connection to a bounce(8) service."""

    def __init__(self, path, timeout=20):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.reader = AttrReader(self.sock)
        self.greeting = attr_dict(self.reader.read())

    def send(self, items):
        self.sock.sendall(attr_encode(items))
        return attr_dict(self.reader.read())

    def append(self, queue_id, address, status="5.1.1", reason="",
               orig_rcpt="", dsn_orcpt="", dsn_notify=0, action="failed",
               dtype="", dtext="", mtype="", mname="", relay="none",
               flags=0, offset=100):
        rcpt = [("s", "address", address), ("s", "orig_rcpt", orig_rcpt),
                ("s", "dsn_orcpt", dsn_orcpt), ("i", "dsn_notify", dsn_notify),
                ("l", "offset", offset)]
        return self.send([
            ("s", "protocol", "bounce"), ("i", "request", REQ_APPEND),
            ("i", "flags", flags), ("s", "queue_id", queue_id),
            ("h", "rcpt", rcpt), ("s", "status", status),
            ("s", "action", action), ("s", "reason", reason),
            ("s", "dtype", dtype), ("s", "dtext", dtext),
            ("s", "mtype", mtype), ("s", "mname", mname),
            ("s", "relay", relay), ("l", "time_log", int(time.time()))])

    def notify(self, request, queue_id, sender, queue_name="incoming",
               flags=0, encoding="", smtputf8=0, dsn_envid="", dsn_ret=0):
        return self.send([
            ("s", "protocol", "bounce"), ("i", "request", request),
            ("i", "flags", flags), ("s", "queue_name", queue_name),
            ("s", "queue_id", queue_id), ("s", "encoding", encoding),
            ("i", "smtputf8", smtputf8), ("s", "sender", sender),
            ("s", "dsn_envid", dsn_envid), ("i", "dsn_ret", dsn_ret)])

    def close(self):
        self.sock.close()


@pytest.fixture
def binst(install_root, shared_tmp):
    bi = BounceInstance(install_root, shared_tmp)
    yield bi
    bi.stop()


@contextlib.contextmanager
def bounce_client(bi, service="bounce"):
    client = bi.bounce(service)
    try:
        yield client
    finally:
        client.close()


# Outcomes as Postfix's delivery agents report them (seen in Debian's logs).
LOCAL_UNKNOWN = dict(status="5.1.1", reason='unknown user: "nouser"',
                     relay="local")
REMOTE_550 = dict(
    status="5.1.1",
    reason="host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <bob@remote.example>: "
    "Recipient address rejected: User unknown in virtual mailbox table "
    "(in reply to RCPT TO command)",
    dtype="smtp",
    dtext="550 5.1.1 <bob@remote.example>: Recipient address rejected: "
    "User unknown in virtual mailbox table",
    mtype="dns", mname="127.0.0.1", relay="127.0.0.1[127.0.0.1]:25")


def parts_of(msg):
    assert msg.get_content_type() == "multipart/report"
    return msg.get_payload()


def dsn_groups(part):
    """The field groups of a delivery-status part: [{name: value}]."""
    text = part.get_payload()
    if isinstance(text, list) and len(text) == 1 \
            and part.get_content_type() != "message/delivery-status":
        # message/global-delivery-status parses as one message.
        text = text[0].as_string()
    if isinstance(text, list):       # the email package parsed it already
        return [dict((k, re.sub(r"\s+", " ", str(v)))
                     for k, v in block.items()) for block in text]
    groups = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        fields = {}
        for m in re.finditer(r"^([\w-]+): (.*(?:\n[ \t].*)*)", block, re.M):
            fields[m.group(1)] = re.sub(r"\s+", " ", m.group(2))
        groups.append(fields)
    return groups


# The main path.

def test_append_writes_a_log_entry(binst):
    binst.start()
    orig = binst.submit()
    with bounce_client(binst) as bc:
        assert bc.greeting == {"protocol": "bounce"}
        assert bc.append(orig, "nouser@test.example",
                         orig_rcpt="alias@test.example",
                         dsn_orcpt="rfc822;Alias@test.example",
                         dsn_notify=NOTIFY_FAILURE,
                         **LOCAL_UNKNOWN) == {"status": 0}
        assert bc.append(orig, "bob@remote.example",
                         **REMOTE_550) == {"status": 0}
    path = binst.log_path("bounce", orig)
    assert path is not None
    blocks = path.read_text().split("\n\n")
    assert blocks[-1] == ""
    first = dict(line.split("=", 1) for line in blocks[0].splitlines())
    assert first["address"] == "nouser@test.example"
    assert first["orig_rcpt"] == "alias@test.example"
    assert first["dsn_orcpt"] == "rfc822;Alias@test.example"
    assert first["dsn_notify"] == "4"
    assert first["status"] == "5.1.1"
    assert first["reason"] == 'unknown user: "nouser"'
    assert first["relay"] == "local"
    second = dict(line.split("=", 1) for line in blocks[1].splitlines())
    assert second["dtext"] == REMOTE_550["dtext"]
    assert second["mname"] == "127.0.0.1"
    assert len(blocks) == 3
    assert (path.stat().st_mode & 0o777) == 0o600


def test_flush_sends_a_non_delivery_notification(binst):
    binst.start()
    orig = binst.submit()
    with bounce_client(binst) as bc:
        assert bc.append(orig, "nouser@test.example",
                         dsn_orcpt="rfc822;nouser@test.example",
                         **LOCAL_UNKNOWN)["status"] == 0
        assert bc.append(orig, "bob@remote.example",
                         dsn_orcpt="rfc822;Bob@Remote.example",
                         **REMOTE_550)["status"] == 0
        reply = bc.notify(REQ_FLUSH, orig, "alice@capture.example",
                          dsn_envid="abc123", dsn_ret=2)
    assert reply == {"status": 0}, binst.log()
    new_id, recs, msg = binst.notification(orig)
    assert binst.log_path("bounce", orig) is None   # the log is gone
    # Envelope: from <>, to the sender.
    assert of_type(recs, "F") == [""]
    assert of_type(recs, "R") == ["alice@capture.example"]
    # Headers.
    assert msg["From"] == "Mail Delivery System <MAILER-DAEMON@test.example>"
    assert msg["Subject"] == "Undelivered Mail Returned to Sender"
    assert msg["To"] == "alice@capture.example"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_param("report-type") == "delivery-status"
    assert re.fullmatch(rf"{orig}\.\d+/test\.example", msg.get_boundary())
    assert re.fullmatch(rf"by test\.example \(Postfix\)\s+id {new_id}; .*",
                        msg["Received"], re.S)
    assert msg["Message-Id"] is not None and new_id in msg["Message-Id"]
    text, status, returned = parts_of(msg)
    # The human-readable part.
    assert text["Content-Description"] == "Notification"
    body = text.get_payload()
    assert text.get_param("charset") == "utf-8"
    assert text["Content-Transfer-Encoding"] == "8bit"
    assert '\n<nouser@test.example>: unknown user: "nouser"\n' in body
    assert ("<bob@remote.example>: host 127.0.0.1[127.0.0.1] said: 550 5.1.1\n"
            "    <bob@remote.example>: Recipient address rejected: User "
            "unknown in virtual\n    mailbox table (in reply to RCPT TO "
            "command)\n") in body
    # The delivery report.
    assert status.get_content_type() == "message/delivery-status"
    groups = dsn_groups(status)
    assert groups[0]["Reporting-MTA"] == "dns; test.example"
    assert groups[0]["Original-Envelope-Id"] == "abc123"
    assert groups[0]["X-Postfix-Queue-ID"] == orig
    assert groups[0]["X-Postfix-Sender"] == "rfc822; alice@capture.example"
    assert "Arrival-Date" in groups[0]
    assert groups[1] == {
        "Final-Recipient": "rfc822; nouser@test.example",
        "Original-Recipient": "rfc822;nouser@test.example",
        "Action": "failed", "Status": "5.1.1",
        "Diagnostic-Code": 'X-Postfix; unknown user: "nouser"'}
    assert groups[2] == {
        "Final-Recipient": "rfc822; bob@remote.example",
        "Original-Recipient": "rfc822;Bob@Remote.example",
        "Action": "failed", "Status": "5.1.1",
        "Remote-MTA": "dns; 127.0.0.1",
        "Diagnostic-Code": "smtp; " + REMOTE_550["dtext"]}
    # RET=HDRS: the headers only, after a Return-Path.
    assert returned["Content-Description"] == "Undelivered Message Headers"
    assert returned.get_content_type() == "text/rfc822-headers"
    headers = returned.get_payload()
    assert headers.startswith("Return-Path: <alice@capture.example>\n")
    assert "Subject: test one\n" in headers
    assert "body line" not in headers


def test_full_original_by_default(binst):
    binst.start()
    orig = binst.submit()
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser@test.example", **LOCAL_UNKNOWN)
        assert bc.notify(REQ_FLUSH, orig,
                         "alice@capture.example")["status"] == 0
    _, _, msg = binst.notification(orig)
    returned = parts_of(msg)[2]
    assert returned["Content-Description"] == "Undelivered Message"
    assert returned.get_content_type() == "message/rfc822"
    inner = returned.get_payload()[0]
    assert inner["Return-Path"] == "<alice@capture.example>"
    assert inner["Subject"] == "test one"
    assert inner.get_payload() == "body line 1\nbody line 2\n"
    # No Original-Recipient without ORCPT or original recipient.
    assert "Original-Recipient" not in dsn_groups(parts_of(msg)[1])[1]


def test_big_message_returns_headers_only(binst):
    binst.main_cf(bounce_size_limit=1000)
    binst.start()
    orig = binst.submit(ORIGINAL + ("x" * 70 + "\n") * 100)
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser@test.example", **LOCAL_UNKNOWN)
        assert bc.notify(REQ_FLUSH, orig, "alice@capture.example",
                         dsn_ret=1)["status"] == 0
    _, _, msg = binst.notification(orig)
    returned = parts_of(msg)[2]
    assert returned["Content-Description"] == "Undelivered Message Headers"
    assert "x" * 70 not in returned.get_payload()


def test_expanded_from_and_wrapping(binst):
    binst.start()
    orig = binst.submit()
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser7@test.example", orig_rcpt="alias@test.example",
                  status="5.1.1", reason='unknown user: "nouser7"')
        bc.notify(REQ_FLUSH, orig, "alice@capture.example")
    _, _, msg = binst.notification(orig)
    body = parts_of(msg)[0].get_payload()
    # Debian's text, wrapped at the same column.
    assert ("\n<nouser7@test.example> (expanded from <alias@test.example>): "
            'unknown user:\n    "nouser7"\n') in body
    group = dsn_groups(parts_of(msg)[1])[1]
    assert group["Original-Recipient"] == "rfc822; alias@test.example"


def test_notify_never_gets_no_sender_notice(binst):
    binst.start()
    orig = binst.submit()
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser@test.example", dsn_notify=NOTIFY_SUCCESS,
                  **LOCAL_UNKNOWN)
        assert bc.notify(REQ_FLUSH, orig,
                         "alice@capture.example")["status"] == 0
    assert binst.log_path("bounce", orig) is None
    assert "non-delivery notification" not in binst.log()


def test_postmaster_copy_and_double_bounce(binst):
    binst.main_cf(notify_classes="bounce, 2bounce",
                  bounce_notice_recipient="pm-bounce@capture.example",
                  **{"2bounce_notice_recipient": "pm-2bounce@capture.example"})
    binst.start()
    orig = binst.submit()
    null = binst.submit(sender="")
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser@test.example", **LOCAL_UNKNOWN)
        assert bc.notify(REQ_FLUSH, orig, "alice@capture.example",
                         dsn_ret=1)["status"] == 0
        bc.append(null, "nouser@test.example", **LOCAL_UNKNOWN)
        assert bc.notify(REQ_FLUSH, null, "")["status"] == 0
    # The sender notice first, then the postmaster copy (headers only).
    text = binst.inst.wait_for_log(f"{orig}: postmaster non-delivery")
    assert text.index(f"{orig}: sender non-delivery") < text.index(
        f"{orig}: postmaster non-delivery")
    _, recs, msg = binst.notification(orig, "postmaster non-delivery")
    assert of_type(recs, "F") == ["double-bounce@test.example"]
    assert of_type(recs, "R") == ["pm-bounce@capture.example"]
    assert msg["Subject"] == "Postmaster Copy: Undelivered Mail"
    assert msg["Auto-Submitted"] == "auto-generated"
    text_part, _, returned = parts_of(msg)
    # No template text: the recipients only (as Debian's).
    assert text_part.get_payload() == (
        '\n<nouser@test.example>: unknown user: "nouser"\n')
    assert returned.get_content_type() == "text/rfc822-headers"
    # The double bounce: the whole message to 2bounce_notice_recipient.
    _, recs, msg = binst.notification(null, "postmaster non-delivery")
    assert of_type(recs, "R") == ["pm-2bounce@capture.example"]
    assert msg["Subject"] == "Postmaster Copy: Undelivered Mail"
    assert f"{null}: sender non-delivery" not in binst.log()
    _, status, returned = parts_of(msg)
    assert dsn_groups(status)[0]["X-Postfix-Sender"] == \
        "rfc822; MAILER-DAEMON@test.example"
    assert returned.get_content_type() == "message/rfc822"
    assert returned.get_payload()[0]["Return-Path"] == \
        "<MAILER-DAEMON@test.example>"


def test_bounced_postmaster_notice_is_discarded(binst):
    binst.start()
    orig = binst.submit(sender="double-bounce@test.example")
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser@test.example", **LOCAL_UNKNOWN)
        assert bc.notify(REQ_FLUSH, orig,
                         "double-bounce@test.example")["status"] == 0
    binst.inst.wait_for_log(
        f"warning: {orig}: undeliverable postmaster notification discarded")
    assert binst.log_path("bounce", orig) is None


def test_delay_warning_keeps_the_log(binst):
    binst.main_cf(notify_classes="delay",
                  delay_notice_recipient="pm-delay@capture.example")
    binst.start()
    orig = binst.submit()
    later = dict(status="4.2.0", action="delayed",
                 reason="host 127.0.0.1[127.0.0.1] said: 450 4.2.0 "
                 "<later@remote.example>: Recipient address rejected: try "
                 "later (in reply to RCPT TO command)",
                 dtype="smtp", dtext="450 4.2.0 <later@remote.example>: "
                 "Recipient address rejected: try later",
                 mtype="dns", mname="127.0.0.1")
    with bounce_client(binst, "defer") as bc:
        assert bc.append(orig, "later@remote.example", **later) == \
            {"status": 0}
        assert bc.notify(REQ_WARN, orig,
                         "alice@capture.example")["status"] == 0
    _, recs, msg = binst.notification(orig, "sender delay")
    assert binst.log_path("defer", orig) is not None
    assert msg["Subject"] == "Delayed Mail (still being retried)"
    text, status, returned = parts_of(msg)
    assert "warning" in text.get_payload().lower()
    group = dsn_groups(status)[1]
    assert group["Action"] == "delayed"
    assert group["Status"] == "4.2.0"
    assert "Will-Retry-Until" in group
    assert returned["Content-Description"] == "Undelivered Message Headers"
    _, recs, msg = binst.notification(orig, "postmaster delay")
    assert msg["Subject"] == "Postmaster Warning: Delayed Mail"
    assert of_type(recs, "R") == ["pm-delay@capture.example"]
    # Expired: FLUSH on defer turns the deferred recipients into failures.
    with bounce_client(binst, "defer") as bc:
        assert bc.notify(REQ_FLUSH, orig,
                         "alice@capture.example")["status"] == 0
    _, _, msg = binst.notification(orig)
    # As Debian's for an expired message: failed, the last status kept.
    group = dsn_groups(parts_of(msg)[1])[1]
    assert (group["Action"], group["Status"]) == ("failed", "4.2.0")
    assert "Will-Retry-Until" not in group
    assert binst.log_path("defer", orig) is None


def test_success_report(binst):
    binst.start()
    orig = binst.submit()
    with bounce_client(binst, "trace") as bc:
        bc.append(orig, "x@disc.example", status="2.0.0", action="delivered",
                  reason="disc.example", dsn_notify=NOTIFY_SUCCESS)
        bc.append(orig, "quiet@disc.example", status="2.0.0",
                  action="delivered", reason="disc.example")
        assert bc.notify(REQ_TRACE, orig, "alice@capture.example",
                         dsn_ret=1)["status"] == 0
    _, _, msg = binst.notification(orig, "sender delivery status")
    assert msg["Subject"] == "Successful Mail Delivery Report"
    text, status, returned = parts_of(msg)
    assert "\n<x@disc.example>: disc.example\n" in text.get_payload()
    assert "quiet@" not in text.get_payload()
    groups = dsn_groups(status)
    assert len(groups) == 2
    assert groups[1]["Action"] == "delivered"
    assert groups[1]["Diagnostic-Code"] == "X-Postfix; disc.example"
    assert returned["Content-Description"] == "Message Headers"
    assert binst.log_path("trace", orig) is None


def test_smtputf8_original_gets_global_report(binst):
    binst.start()
    orig = binst.submit(sender="élodie@capture.example")
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser8@test.example", status="5.1.1",
                  reason='unknown user: "nouser8"')
        assert bc.notify(REQ_FLUSH, orig, "élodie@capture.example",
                         smtputf8=1)["status"] == 0
    _, recs, msg = binst.notification(orig)
    _, status, returned = parts_of(msg)
    assert status.get_content_type() == "message/global-delivery-status"
    assert status["Content-Transfer-Encoding"] == "8bit"
    # Postfix quotes the 8-bit local part, each 8-bit byte escaped.
    assert b'\nX-Postfix-Sender: rfc822; "\\\xc3\\\xa9lodie"@capture.' \
        b'example\n' in content_of(recs)
    assert b"\nFinal-Recipient: rfc822; nouser8@test.example\n" in \
        content_of(recs)
    assert returned.get_content_type() == "message/global"
    assert b'Return-Path: <"\\\xc3\\\xa9lodie"@capture.example>' in \
        content_of(recs)


# Bad input.

def test_bad_requests_are_refused(binst):
    binst.start()
    orig = binst.submit()
    cases = [
        [("s", "protocol", "cleanup"), ("i", "request", REQ_APPEND)],
        [("s", "protocol", "bounce")],
        [("s", "protocol", "bounce"), ("i", "request", 99)],
        [("s", "protocol", "bounce"), ("i", "request", REQ_APPEND),
         ("s", "queue_id", "../../etc"), ("s", "status", "5.0.0"),
         ("h", "rcpt", [("s", "address", "x@y")])],
        [("s", "protocol", "bounce"), ("i", "request", REQ_APPEND),
         ("s", "queue_id", orig), ("s", "status", "5.0.0")],
        [("s", "protocol", "bounce"), ("i", "request", REQ_FLUSH),
         ("s", "queue_id", orig), ("s", "queue_name", "../x"),
         ("s", "sender", "")],
    ]
    for items in cases:
        with bounce_client(binst) as bc:
            reply = bc.send(items)
            assert reply["status"] == -1, (items, reply)
            assert reply["reason"]
    # A request that this service does not serve.
    with bounce_client(binst) as bc:
        assert bc.notify(REQ_WARN, orig, "a@b")["status"] == -1
    # Garbage on the wire.
    with bounce_client(binst) as bc:
        bc.sock.sendall(b"\x07garbage")
        bc.sock.shutdown(socket.SHUT_WR)
        assert bc.sock.recv(100) == b""
    assert not list((binst.queue / "bounce").rglob("*"))
    # Still serving.
    with bounce_client(binst) as bc:
        assert bc.append(orig, "nouser@test.example",
                         **LOCAL_UNKNOWN) == {"status": 0}
    binst.inst.wait_for_log("bad request: unexpected protocol")


def test_damaged_log_entries_are_skipped(binst):
    binst.start()
    orig = binst.submit()
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser@test.example", **LOCAL_UNKNOWN)
    path = binst.log_path("bounce", orig)
    with open(path, "a") as f:
        f.write("no equals sign here\nstatus=5.0.0\n\n"
                "address=x" + "y" * 10000 + "\nstatus=5.0.0\n\n"
                "address=torn@test.example\nstatus=5.1")
    with bounce_client(binst) as bc:
        assert bc.notify(REQ_FLUSH, orig,
                         "alice@capture.example")["status"] == 0
    _, _, msg = binst.notification(orig)
    groups = dsn_groups(parts_of(msg)[1])
    assert [g["Final-Recipient"] for g in groups[1:]] == \
        ["rfc822; nouser@test.example"]
    log = binst.inst.wait_for_log("entry without its end -- skipping")
    assert "line 16: not a name=value line -- skipping this entry" in log
    assert "line too long -- skipping this entry" in log
    assert "entry without its end -- skipping this entry" in log


def test_missing_original_still_notifies(binst):
    binst.start()
    orig = binst.submit()
    os.unlink(binst.queue / "incoming" / orig)
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser@test.example", **LOCAL_UNKNOWN)
        assert bc.notify(REQ_FLUSH, orig,
                         "alice@capture.example")["status"] == 0
    _, _, msg = binst.notification(orig)
    assert len(parts_of(msg)) == 2
    binst.inst.wait_for_log("cannot open the original message")


# Differential: the same outcomes through Debian's Postfix 3.7.

class FakeSmtpServer:
    """A loopback SMTP server: RCPT "accept*" 250, "later*" 450, else 550."""

    def __init__(self):
        self.port = free_port()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            # One thread per connection: Postfix's smtp client caches
            # connections and would block a server that serves one.
            threading.Thread(target=self._client, args=(conn,),
                             daemon=True).start()

    def _client(self, conn):
        with conn:
            conn.settimeout(10)
            try:
                self._session(conn.makefile("rwb"))
            except OSError:
                pass

    @staticmethod
    def _session(f):
        def say(text):
            f.write(text.encode() + b"\r\n")
            f.flush()
        say("220 mx.remote.example ESMTP")
        in_data = False
        for raw in f:
            text = raw.decode(errors="replace").rstrip("\r\n")
            if in_data:
                if text == ".":
                    in_data = False
                    say("250 2.0.0 Ok: queued as ABC")
                continue
            verb = text[:4].upper()
            if verb == "EHLO":
                say("250-mx.remote.example\r\n250 8BITMIME")
            elif verb == "RCPT":
                addr = text.split("<", 1)[1].split(">", 1)[0]
                if addr.startswith("accept"):
                    say("250 2.1.5 Ok")
                elif addr.startswith("later"):
                    say(f"450 4.2.0 <{addr}>: Recipient address rejected: "
                        "try later")
                else:
                    say(f"550 5.1.1 <{addr}>: Recipient address rejected: "
                        "User unknown in virtual mailbox table")
            elif verb == "DATA":
                say("354 go ahead")
                in_data = True
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 ok")

    def close(self):
        self.stopping = True
        self.thread.join(timeout=5)
        self.sock.close()


def original_text(subject, body="body line\n"):
    return (f"From: Alice <alice@capture.example>\n"
            f"To: whoever@test.example\n"
            f"Subject: {subject}\n"
            f"Message-ID: <{subject.replace(' ', '.')}@client.example>\n"
            f"Date: Sat, 5 Dec 2026 07:00:00 +0000\n"
            f"\n{body}")


# (name, sender, MAIL options, [(rcpt, RCPT options)], service, request)
SCENARIOS = [
    ("two failures", "alice@capture.example", ["RET=HDRS", "ENVID=abc123"],
     [("nouser@test.example", []),
      ("bob@remote.example", ["ORCPT=rfc822;Bob@Remote.example",
                              "NOTIFY=FAILURE,DELAY"])],
     "bounce", REQ_FLUSH),
    ("double bounce", "", [], [("nouser2@test.example", [])],
     "bounce", REQ_FLUSH),
    ("alias", "gina@capture.example", [], [("alias@test.example", [])],
     "bounce", REQ_FLUSH),
    ("delayed", "carol@capture.example", [],
     [("later@remote.example", ["NOTIFY=DELAY,FAILURE"])], "defer", REQ_WARN),
    ("success", "dave@capture.example", ["RET=FULL"],
     [("x@disc.example", ["NOTIFY=SUCCESS"]),
      ("accept@remote.example", ["NOTIFY=SUCCESS"])], "trace", REQ_TRACE),
    ("utf8", "élodie@capture.example", ["SMTPUTF8", "BODY=8BITMIME"],
     [("nouser8@test.example", [])], "bounce", REQ_FLUSH),
]

WHAT = {REQ_FLUSH: "non-delivery", REQ_WARN: "delay",
        REQ_TRACE: "delivery status"}

DEBIAN_SETTINGS = dict(
    notify_classes="bounce, 2bounce, delay, resource, software",
    bounce_notice_recipient="pm-bounce@capture.example",
    delay_notice_recipient="pm-delay@capture.example",
    relay_domains="remote.example disc.example capture.example",
    defer_transports="capture",
    delay_warning_time="1s", queue_run_delay="1s",
    minimal_backoff_time="1s", maximal_backoff_time="2s",
    virtual_alias_maps="inline:{ alias@test.example=nouser7@test.example }",
    **{"2bounce_notice_recipient": "pm-2bounce@capture.example"})


def debian_notifications(base):
    """Run SCENARIOS through Debian's Postfix: {name: (orig_id, log lines
    of the original, {(kind, who): message bytes})}."""
    import smtplib
    from smtp_dialogue import debian_smtpd
    sink = FakeSmtpServer()
    try:
        settings = dict(DEBIAN_SETTINGS, transport_maps=(
            "inline:{ {remote.example=smtp:[127.0.0.1]:%d}, "
            "disc.example=discard:, capture.example=capture: }" % sink.port))
        with debian_smtpd(base, master_extra="capture unix - - n - - smtp\n",
                          **settings) as server:
            ids = {}
            for name, sender, mopts, rcpts, _, _ in SCENARIOS:
                with smtplib.SMTP("127.0.0.1", server.port, timeout=20) as s:
                    s.ehlo("client.example")
                    s.mail(sender, mopts)
                    for rcpt, ropts in rcpts:
                        reply = s.rcpt(rcpt, ropts)
                        assert reply[0] == 250, (name, rcpt, reply)
                    code, text = s.data(original_text(name).replace(
                        "\n", "\r\n").encode())
                    assert code == 250
                    ids[name] = text.decode().rsplit(" ", 1)[1]
            for name, sender, _, _, _, request in SCENARIOS:
                who = "postmaster" if sender == "" else "sender"
                server.wait_for_log(f"{ids[name]}: {who} {WHAT[request]} "
                                    "notification: ", timeout=30)
            server.wait_for_log(f"{ids['two failures']}: postmaster "
                                "non-delivery notification: ", timeout=30)
            log = server.log_text()
        results = {}
        for name, _, _, _, _, _ in SCENARIOS:
            orig = ids[name]
            found = {}
            for m in re.finditer(rf"{orig}: (sender|postmaster) ([\w -]+?) "
                                 r"notification: (\w+)", log):
                postcat = subprocess.run(
                    ["/usr/sbin/postcat", "-c", str(server.config_dir), "-bh",
                     "-q", m.group(3)], capture_output=True, timeout=30)
                assert postcat.returncode == 0, postcat.stderr
                found[(m.group(1), m.group(2))] = (m.group(3), postcat.stdout)
            lines = [line for line in log.splitlines() if f"{orig}: to=<" in line]
            results[name] = (orig, lines, found)
        return results
    finally:
        sink.close()


def unfold(text):
    return re.sub(r"\n[ \t]+", " ", text)


def appends_from_debian(log_lines, report):
    """APPEND arguments for ours, from Debian's status lines and DSNs, in
    the order of Debian's report (its log order: who finished first)."""
    lines = {}
    # A deferred recipient has a status line per attempt; Postfix's qmgr
    # starts a new defer log with each attempt, so the last one counts.
    for line in log_lines:
        m = re.search(r"to=<([^>]*)>, (?:orig_to=<([^>]*)>, )?relay=([^,]*), "
                      r".*dsn=([\d.]+), status=(\w+) \((.*)\)$", line)
        lines[m.group(1)] = m.groups()
    appends = []
    for g in dsn_groups(report)[1:]:
        address = g["Final-Recipient"].split("; ", 1)[1]
        _, orig_to, relay, dsn, _, reason = lines[address]
        args = dict(status=dsn, reason=reason, relay=relay,
                    orig_rcpt=orig_to or "",
                    dsn_orcpt=g.get("Original-Recipient", ""),
                    action=g["Action"])
        if "Remote-MTA" in g:
            args["mtype"], args["mname"] = g["Remote-MTA"].split("; ", 1)
        dtype, dtext = g["Diagnostic-Code"].split("; ", 1)
        if dtype != "X-Postfix":
            args["dtype"], args["dtext"] = dtype, dtext
        appends.append((address, args))
    return appends


def normalized(value, ids):
    for old, new in ids.items():
        value = value.replace(old, new)
    value = re.sub(r"\w\w\w, +\d{1,2} \w\w\w \d{4} \d\d:\d\d:\d\d [-+]\d{4}"
                   r"(?: \(\w+\))?", "DATE", value)
    value = re.sub(r"\.\d{9,}/", ".TIME/", value)
    return re.sub(r"<\d{14}\.", "<STAMP.", value)


def skeleton(msg, ids):
    """What must be equal: headers, part headers, recipient texts, DSN
    fields, the returned message without the Received: header."""
    out = {"headers": [(k, normalized(unfold(str(v)), ids))
                       for k, v in msg.items()]}
    parts = msg.get_payload()
    out["parts"] = [[(k, normalized(unfold(str(v)), ids))
                     for k, v in p.items()] for p in parts]
    text = parts[0].get_payload()
    out["text"] = text[text.find("\n<"):] if "\n<" in text else text
    out["dsn"] = [{k: normalized(v, ids) for k, v in g.items()}
                  for g in dsn_groups(parts[1])]
    if len(parts) > 2:
        returned = parts[2].get_payload()
        if isinstance(returned, list):
            returned = returned[0].as_string()
        returned = normalized(unfold(returned), ids)
        out["returned"] = [line for line in returned.splitlines()
                           if not line.startswith("Received:")]
    return out


def test_same_as_debian(binst, shared_tmp):
    debian = debian_notifications(shared_tmp)
    binst.main_cf(**{k: v for k, v in DEBIAN_SETTINGS.items()
                     if "notice_recipient" in k or k == "notify_classes"})
    binst.start()
    compared = 0
    for name, sender, mopts, rcpts, service, request in SCENARIOS:
        deb_orig, deb_lines, deb_found = debian[name]
        utf8 = 1 if "SMTPUTF8" in mopts else 0
        ret = 2 if "RET=HDRS" in mopts else 1 if "RET=FULL" in mopts else 0
        envid = next((o[6:] for o in mopts if o.startswith("ENVID=")), "")
        orig = binst.submit(original_text(name), sender=sender,
                            recipients=[r for r, _ in rcpts])
        first_key = sorted(deb_found)[-1]
        deb_msg = email.message_from_bytes(deb_found[first_key][1],
                                           policy=email.policy.compat32)
        with bounce_client(binst, service) as bc:
            for address, args in appends_from_debian(
                    deb_lines, deb_msg.get_payload()[1]):
                notify = 0
                for r, ropts in rcpts:
                    for o in ropts:
                        if r == address and o.startswith("NOTIFY="):
                            notify = sum({"NEVER": 1, "SUCCESS": 2,
                                          "FAILURE": 4, "DELAY": 8}[w]
                                         for w in o[7:].split(","))
                assert bc.append(orig, address, dsn_notify=notify,
                                 **args) == {"status": 0}
            assert bc.notify(request, orig, sender, dsn_ret=ret,
                             dsn_envid=envid, smtputf8=utf8) == {"status": 0}
        for (who, what), (deb_new, blob) in sorted(deb_found.items()):
            new_id, recs, ours = binst.notification(orig, f"{who} {what}")
            theirs = email.message_from_bytes(blob,
                                              policy=email.policy.compat32)
            ours_s = skeleton(ours, {orig: "ORIG", new_id: "NEW"})
            theirs_s = skeleton(theirs, {deb_orig: "ORIG", deb_new: "NEW"})
            for key in ("headers", "parts", "text", "dsn", "returned"):
                assert ours_s.get(key) == theirs_s.get(key), (name, who, key)
            compared += 1
    assert compared >= 8


def test_log_without_usable_entries_is_dropped(binst):
    binst.start()
    orig = binst.submit()
    with bounce_client(binst) as bc:
        bc.append(orig, "nouser@test.example", **LOCAL_UNKNOWN)
    path = binst.log_path("bounce", orig)
    path.write_text("garbage\n\n")
    with bounce_client(binst) as bc:
        assert bc.notify(REQ_FLUSH, orig,
                         "alice@capture.example")["status"] == 0
    binst.inst.wait_for_log(f"{orig}: no usable entry in the bounce log")
    assert binst.log_path("bounce", orig) is None
    assert "notification:" not in binst.log()
