"""System tests for local(8), driven directly (no qmgr).

A private root-started instance runs master(8) with postlogd, cleanup,
trivial-rewrite, the bounce(8) services and local(8). A test submits a
message through a Python cleanup client (so cleanup writes a real queue
file in incoming/), moves it to active/ as qmgr would, and sends a
delivery request (docs/internals/delivery.md section 2) over
private/local itself; then it checks the reply, the queue file's R -> D
marks, the mailbox, maildir, command output or file contents, and the
status lines in the log.

Deliveries run as the existing account "nobody" (default_privs and the
mailbox owner); every file lives under the test's own directory. The
tests need root (local(8) changes privileges) and skip otherwise.

test_mbox_same_as_debian delivers the same message with Debian's
Postfix 3.7 local(8) (a throwaway instance, submitted over SMTP on a
loopback port) and with ours, and compares the mailbox files with the
From_ date normalised.
"""

import os
import pwd
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

import conftest

from cleanup_wire import (AttrReader, CleanupClient, FLAG_MAP_OK,
                          attr_dict, attr_encode, message_records)
from conftest import Instance, process_alive as proc_alive

IS_ROOT = os.geteuid() == 0
TIMEOUT = 15.0

pytestmark = pytest.mark.skipif(not IS_ROOT, reason="local(8) tests need root")

MASTER_CF = """\
postlog unix-dgram n - n - 1 postlogd
cleanup unix n - n - 0 cleanup
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
local unix - n n - - local
"""

CONTENT = ("From: Alice <alice@client.example>\n"
           "To: whoever@test.example\n"
           "Subject: local test\n"
           "Message-ID: <m1@client.example>\n"
           "\n"
           "body line 1\n"
           "From the start of a line\n"
           "body line 3\n")


def wait_until(predicate, what, timeout=TIMEOUT):
    return conftest.wait_until(predicate, what, timeout)


def records_with_offsets(blob):
    """bytes -> [(offset, type, data)]."""
    out = []
    pos = 0
    while pos < len(blob):
        kind = chr(blob[pos])
        space = blob.index(b" ", pos + 1)
        length = int(blob[pos + 1:space])
        data = blob[space + 1:space + 1 + length]
        out.append((pos, kind, data))
        pos = space + 2 + length
    return out


class LocalInstance:
    """master, cleanup, rewrite, bounce and local; master runs as root."""

    def __init__(self, install_root, base, **settings):
        self.base = Path(base)
        self.inst = Instance(self.base, install_root, privileged=True)
        self.queue = self.inst.queue_dir
        self.master_path = install_root / "usr/libexec/postfix/master"
        self.nobody = pwd.getpwnam("nobody")
        self.spool = self.base / "mail"
        self.spool.mkdir(mode=0o1777, exist_ok=True)
        os.chmod(self.spool, 0o1777)
        # A directory that the "nobody" deliveries may write.
        self.out = self.base / "out"
        self.out.mkdir(exist_ok=True)
        os.chown(self.out, self.nobody.pw_uid, self.nobody.pw_gid)
        self.aliases = self.base / "aliases"
        self.aliases.write_text("")
        values = dict(mail_owner="postfix", setgid_group="postdrop",
                      myhostname="test.example", myorigin="test.example",
                      mydomain="example",
                      mydestination="test.example, localhost",
                      compatibility_level="3.6",
                      alias_maps=f"texthash:{self.aliases}",
                      alias_database="",
                      mail_spool_directory=str(self.spool),
                      default_privs="nobody", recipient_delimiter="+",
                      service_throttle_time="2s", biff="no")
        values.update(settings)
        self.inst.write_main_cf(**values)
        self.inst.write_master_cf(MASTER_CF)
        pw = pwd.getpwnam("postfix")
        conftest.make_queue_dirs(self.queue)
        conftest.chown_tree(self.queue, pw.pw_uid, pw.pw_gid)
        os.chown(self.inst.data_dir, pw.pw_uid, pw.pw_gid)

    def set_aliases(self, text):
        """texthash: "name value" per line (whitespace-separated)."""
        self.aliases.write_text(text)

    def start(self):
        started = self.log().count("daemon started")
        argv = [str(self.master_path), "-c", str(self.inst.config_dir), "-w"]
        result = subprocess.run(argv, capture_output=True, text=True,
                                timeout=60, env=self.inst.env())
        assert result.returncode == 0, result.stderr
        wait_until(lambda: self.log().count("daemon started") > started,
                   "master to start")
        for name in ("public/cleanup", "private/bounce", "private/local"):
            wait_until(lambda: (self.queue / name).exists(), name)

    def stop(self):
        pid = self.inst.master_pid()
        if pid and proc_alive(pid):
            os.kill(pid, signal.SIGTERM)
            try:
                wait_until(lambda: not proc_alive(pid), "master to stop")
            except AssertionError:
                os.kill(pid, signal.SIGKILL)
        # The old sockets must not answer for the next start.
        for name in ("public/cleanup", "private/bounce", "private/local"):
            try:
                os.unlink(self.queue / name)
            except FileNotFoundError:
                pass

    def log(self):
        return self.inst.log_text()

    def submit(self, recipients, content=CONTENT,
               sender="alice@client.example"):
        """Queue a message through cleanup, move it to active/."""
        client = CleanupClient(self.queue / "public/cleanup")
        try:
            client.request(FLAG_MAP_OK)
            client.send(message_records(sender, recipients, content))
            reply = client.reply()
        finally:
            client.close()
        assert reply["status"] == 0, (reply, self.log())
        qid = client.queue_id
        os.rename(self.queue / "incoming" / qid, self.queue / "active" / qid)
        return qid

    def request_items(self, qid, sender="alice@client.example",
                      orig=None, notify=0):
        """The delivery request for every R record of active/<qid>."""
        blob = (self.queue / "active" / qid).read_bytes()
        recs = records_with_offsets(blob)
        size = next(d for _, k, d in recs if k == "S").split()
        arrival = next(d for _, k, d in recs if k == "T").decode()
        sec, usec = arrival.split(".")
        t_usec = int(sec) * 1000000 + int(usec)
        items = [("s", "protocol", "delivery"),
                 ("i", "flags", 0),
                 ("s", "queue_name", "active"),
                 ("s", "queue_id", qid),
                 ("l", "data_offset", int(size[1])),
                 ("l", "data_size", int(size[0])),
                 ("s", "nexthop", "test.example"),
                 ("s", "encoding", ""),
                 ("i", "smtputf8", 0),
                 ("s", "sender", sender),
                 ("s", "dsn_envid", ""),
                 ("i", "dsn_ret", 0),
                 ("l", "time_arrival", t_usec),
                 ("l", "time_active", t_usec),
                 ("l", "time_handoff", t_usec)]
        pending_orig = None
        for offset, kind, data in recs:
            if kind == "O":
                pending_orig = data.decode()
            if kind == "R":
                items.append(("h", "rcpt", [
                    ("s", "address", data.decode()),
                    ("s", "orig_rcpt", orig or pending_orig or ""),
                    ("s", "dsn_orcpt", ""),
                    ("i", "dsn_notify", notify),
                    ("l", "offset", offset)]))
                pending_orig = None
        return items

    def deliver(self, qid, items=None, **kw):
        """Send a request to private/local; return the reply items."""
        if items is None:
            items = self.request_items(qid, **kw)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(60)
        sock.connect(str(self.queue / "private/local"))
        try:
            reader = AttrReader(sock)
            greeting = attr_dict(reader.read())
            assert greeting.get("protocol") == "delivery", greeting
            sock.sendall(attr_encode(items))
            return reader.read()
        finally:
            sock.close()

    def record_types(self, qid):
        blob = (self.queue / "active" / qid).read_bytes()
        return [(k, d.decode(errors="replace"))
                for _, k, d in records_with_offsets(blob)
                if k in ("R", "D")]

    def status_line(self, qid, to, timeout=TIMEOUT):
        """The first status line of qid for to=<to>."""
        needle = f"{qid}: to=<{to}>, relay="
        text = self.inst.wait_for_log(needle, timeout)
        for line in text.splitlines():
            if needle in line and "status=" in line:
                return line
        raise AssertionError(f"no status line for {needle}")


def results_of(reply):
    """[(offset, outcome, dsn_status)] from the reply items."""
    out = []
    for _, name, value in reply:
        if name == "result":
            d = attr_dict(value)
            out.append((d["offset"], d["outcome"], d["dsn_status"]))
    return out


@pytest.fixture
def local_inst(install_root, shared_tmp):
    if not (install_root / "usr/libexec/postfix/local").exists():
        pytest.skip("local(8) is not built")
    try:
        pwd.getpwnam("postfix")
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("needs the postfix and nobody accounts")
    os.chmod(shared_tmp, 0o755)
    li = LocalInstance(install_root, shared_tmp)
    yield li
    li.stop()


def mbox_messages(path):
    return path.read_text().split("\nFrom ")


def test_mbox_delivery(local_inst):
    li = local_inst
    li.start()
    qid = li.submit(["nobody@test.example"])
    reply = li.deliver(qid)
    d = attr_dict(reply)
    assert d["status"] == 0
    assert [r[1:] for r in results_of(reply)] == [(0, "2.0.0")]
    line = li.status_line(qid, "nobody@test.example")
    assert "relay=local," in line
    assert "dsn=2.0.0, status=sent (delivered to mailbox)" in line
    assert li.record_types(qid) == [("D", "nobody@test.example")]
    box = li.spool / "nobody"
    st = box.stat()
    assert (st.st_uid, st.st_mode & 0o777) == (li.nobody.pw_uid, 0o600)
    text = box.read_text()
    lines = text.split("\n")
    assert re.match(r"From alice@client\.example  \w{3} \w{3} [ \d]\d "
                    r"\d\d:\d\d:\d\d \d{4}$", lines[0]), lines[0]
    assert lines[1:4] == ["Return-Path: <alice@client.example>",
                          "X-Original-To: nobody@test.example",
                          "Delivered-To: nobody@test.example"]
    assert ">From the start of a line" in lines
    assert text.endswith("body line 3\n\n")


def test_extension_and_case(local_inst):
    li = local_inst
    li.start()
    qid = li.submit(["NoBody+Ext@test.example"])
    li.deliver(qid)
    line = li.status_line(qid, "NoBody+Ext@test.example")
    assert "status=sent (delivered to mailbox)" in line
    text = (li.spool / "nobody").read_text()
    assert "X-Original-To: NoBody+Ext@test.example" in text
    # As Debian's local(8) writes it (test_mbox_same_as_debian): no case
    # folding in the headers.
    assert "Delivered-To: NoBody+Ext@test.example" in text, text[:300]


def test_maildir_delivery(install_root, shared_tmp):
    if not (install_root / "usr/libexec/postfix/local").exists():
        pytest.skip("local(8) is not built")
    os.chmod(shared_tmp, 0o755)
    li = LocalInstance(install_root, shared_tmp)
    try:
        li.inst.write_main_cf(mail_spool_directory=str(li.spool) + "/")
        li.start()
        qid = li.submit(["nobody@test.example"])
        li.deliver(qid)
        line = li.status_line(qid, "nobody@test.example")
        assert "status=sent (delivered to maildir)" in line
        new = list((li.spool / "nobody" / "new").iterdir())
        assert len(new) == 1
        assert re.match(r"\d+\.V[0-9a-f]+I[0-9a-f]+M\d+\.", new[0].name)
        assert list((li.spool / "nobody" / "tmp").iterdir()) == []
        assert (li.spool / "nobody" / "cur").is_dir()
        assert new[0].stat().st_uid == li.nobody.pw_uid
        text = new[0].read_text()
        assert text.startswith("Return-Path: <alice@client.example>\n")
        assert "From the start of a line" in text
        assert ">From" not in text
    finally:
        li.stop()


def test_unknown_user_bounces(local_inst):
    li = local_inst
    li.start()
    qid = li.submit(["nosuchuser@test.example"])
    reply = li.deliver(qid)
    assert [r[1:] for r in results_of(reply)] == [(2, "5.1.1")]
    line = li.status_line(qid, "nosuchuser@test.example")
    assert ('dsn=5.1.1, status=bounced (unknown user: "nosuchuser")'
            in line)
    assert li.record_types(qid) == [("D", "nosuchuser@test.example")]


def test_alias_to_command_file_and_user(local_inst):
    li = local_inst
    out = li.out
    li.set_aliases(
        f'cmd |"/bin/sh -c \'cat > {out}/cmd.out; env > {out}/cmd.env\'"\n'
        f"file {out}/file.out\n"
        "list nobody, file\n")
    li.start()
    qid = li.submit(["cmd@test.example", "file@test.example",
                     "list@test.example"])
    reply = li.deliver(qid)
    assert attr_dict(reply)["status"] == 0
    line = li.status_line(qid, "cmd@test.example")
    assert "status=sent (delivered to command: /bin/sh -c" in line
    cmd_out = (out / "cmd.out").read_text()
    assert cmd_out.startswith("From alice@client.example  ")
    assert "X-Original-To: cmd@test.example" in cmd_out
    assert "Delivered-To: cmd@test.example" in cmd_out
    env = (out / "cmd.env").read_text()
    assert "RECIPIENT=cmd@test.example" in env
    assert "SENDER=alice@client.example" in env
    assert "PATH=/usr/bin:/bin" in env
    assert (out / "cmd.out").stat().st_uid == li.nobody.pw_uid

    line = li.status_line(qid, "file@test.example")
    assert f"status=sent (delivered to file: {out}/file.out)" in line
    assert (out / "file.out").read_text().startswith(
        "From alice@client.example  ")

    # list: nobody is delivered here (orig_to= the list), and file again.
    # Both lines of the list, however postlogd has caught up so far.
    expect = [rf"{qid}: to=<nobody@test\.example>, "
              r"orig_to=<list@test\.example>, relay=local, .*"
              r"status=sent \(delivered to mailbox\)",
              rf"{qid}: to=<file@test\.example>, "
              r"orig_to=<list@test\.example>, relay=local, .*"
              r"status=sent \(delivered to file: "]
    wait_until(lambda: all(re.search(e, li.log()) for e in expect),
               "both deliveries of the list logged")
    assert all(k == "D" for k, _ in li.record_types(qid))


def test_alias_self_reference_and_restrictions(local_inst):
    li = local_inst
    inc = li.base / "include.list"
    inc.write_text(f"{li.out}/inc.out\n")
    li.set_aliases(f"selfish selfish, nobody\n"
                   f"incl :include:{inc}\n")
    li.start()
    qid = li.submit(["selfish@test.example", "incl@test.example"])
    li.deliver(qid)
    line = li.status_line(qid, "selfish@test.example")
    assert 'status=bounced (unknown user: "selfish")' in line
    line = li.status_line(qid, "incl@test.example")
    assert "dsn=5.7.1, status=bounced (mail to file is restricted)" in line
    assert not (li.out / "inc.out").exists()


def test_delivery_rights(local_inst):
    """local.8 DELIVERY RIGHTS: commands and files in aliases run with the
    alias table owner's privileges (default_privs when root owns it), in
    an :include: file with that file's owner's, never as root."""
    li = local_inst
    daemon = pwd.getpwnam("daemon")
    out = li.out
    os.chmod(out, 0o1777)
    inc = li.base / "daemon.list"
    inc.write_text(f'|"/bin/sh -c \'id -u > {out}/inc.id\'"\n')
    os.chown(inc, daemon.pw_uid, daemon.pw_gid)
    li.inst.write_main_cf(allow_mail_to_commands="alias, forward, include")
    li.set_aliases(f'rootowned |"/bin/sh -c \'id -u > {out}/root.id\'"\n'
                   f"incl :include:{inc}\n")
    li.start()
    qid = li.submit(["rootowned@test.example", "incl@test.example"])
    li.deliver(qid)
    li.status_line(qid, "incl@test.example")
    assert (out / "root.id").read_text().strip() == str(li.nobody.pw_uid)
    assert (out / "inc.id").read_text().strip() == str(daemon.pw_uid)

    # The same alias table owned by daemon: daemon's privileges.
    li.stop()
    li.set_aliases(f'owned |"/bin/sh -c \'id -u > {out}/owned.id\'"\n')
    os.chown(li.aliases, daemon.pw_uid, daemon.pw_gid)
    li.start()
    qid = li.submit(["owned@test.example"])
    li.deliver(qid)
    li.status_line(qid, "owned@test.example")
    assert (out / "owned.id").read_text().strip() == str(daemon.pw_uid)


def test_command_exit_codes(local_inst):
    li = local_inst
    li.set_aliases("tempfail |\"/bin/sh -c 'exit 75'\"\n"
                   "perm |\"/bin/sh -c 'echo oops; exit 1'\"\n"
                   "dsn |\"/bin/sh -c 'echo 5.2.2 over quota; exit 1'\"\n")
    li.start()
    qid = li.submit(["tempfail@test.example", "perm@test.example",
                     "dsn@test.example"])
    reply = li.deliver(qid)
    assert sorted(r[1:] for r in results_of(reply)) == \
        [(1, "4.3.0"), (2, "5.2.2"), (2, "5.3.0")]
    line = li.status_line(qid, "tempfail@test.example")
    assert "dsn=4.3.0, status=deferred (temporary failure)" in line
    line = li.status_line(qid, "perm@test.example")
    assert ('status=bounced (Command died with status 1: '
            '"/bin/sh -c \'echo oops; exit 1\'". Command output: oops )'
            in line)
    line = li.status_line(qid, "dsn@test.example")
    assert "dsn=5.2.2, status=bounced (over quota )" in line
    types = dict((d, k) for k, d in li.record_types(qid))
    assert types == {"tempfail@test.example": "R",
                     "perm@test.example": "D", "dsn@test.example": "D"}


def test_address_probe(local_inst):
    """DEL_REQ_FLAG_VERIFY: report what would happen, deliver nothing.
    The texts are those of Debian's local(8) for sendmail -bv."""
    li = local_inst
    li.set_aliases(f"cmd |/bin/true\n"
                   f"file {li.out}/x.out\n"
                   f"list nobody, cmd\n"
                   f"fwd someone@remote.example\n")
    li.start()
    rcpts = ["nobody", "cmd", "file", "list", "fwd", "nosuch"]
    qid = li.submit([r + "@test.example" for r in rcpts])
    items = li.request_items(qid)
    items[1] = ("i", "flags", 1)
    li.deliver(qid, items=items)
    text = li.inst.wait_for_log("to=<nosuch@test.example>, relay=")
    expect = [
        r"to=<nobody@test\.example>, relay=local, .*dsn=2\.0\.0, "
        r"status=deliverable \(delivers to mailbox\)",
        r"to=<cmd@test\.example>, relay=local, .*"
        r"status=deliverable \(delivers to command: /bin/true\)",
        rf"to=<file@test\.example>, relay=local, .*"
        rf"status=deliverable \(delivers to file: {re.escape(str(li.out))}"
        r"/x\.out\)",
        r"to=<nobody@test\.example>, orig_to=<list@test\.example>, "
        r"relay=local, .*status=deliverable \(delivers to mailbox\)",
        r"to=<cmd@test\.example>, orig_to=<list@test\.example>, "
        r"relay=local, .*status=deliverable \(delivers to command: "
        r"/bin/true\)",
        r"to=<someone@remote\.example>, orig_to=<fwd@test\.example>, "
        r"relay=local, .*status=deliverable \(forwards to "
        r"someone@remote\.example\)",
        r"to=<nosuch@test\.example>, relay=local, .*dsn=5\.1\.1, "
        r"status=undeliverable \(unknown user: \"nosuch\"\)",
    ]
    for pattern in expect:
        assert re.search(rf"{qid}: {pattern}", text), (pattern, text)
    assert not (li.spool / "nobody").exists()
    assert not (li.out / "x.out").exists()
    assert not list((li.queue / "incoming").iterdir())


def test_delivered_to_loop(local_inst):
    li = local_inst
    li.start()
    content = "Delivered-To: NOBODY@test.example\n" + CONTENT
    qid = li.submit(["nobody@test.example"], content=content)
    li.deliver(qid)
    line = li.status_line(qid, "nobody@test.example")
    assert ("dsn=5.4.6, status=bounced (mail forwarding loop for "
            "nobody@test.example)") in line
    assert not (li.spool / "nobody").exists()


def test_forward_to_remote(local_inst):
    li = local_inst
    li.set_aliases("fwd someone@remote.example\n"
                   "owner-fwd nobody\n")
    li.start()
    qid = li.submit(["fwd@test.example"])
    li.deliver(qid)
    line = li.status_line(qid, "fwd@test.example")
    m = re.search(r"status=sent \(forwarded as (\w+)\)", line)
    assert m, line
    new = li.queue / "incoming" / m.group(1)
    wait_until(new.exists, "the forwarded message")
    blob = new.read_bytes()
    recs = [(k, d) for _, k, d in records_with_offsets(blob)]
    assert ("R", b"someone@remote.example") in recs
    assert ("O", b"fwd@test.example") in recs
    # owner-fwd exists: the list owner is the new sender.
    assert ("F", b"owner-fwd@test.example") in recs
    lines = [d for k, d in recs if k == "L"]
    # As Debian's local(8): Received: with the new ID, then Delivered-To.
    assert lines[0] == b"Received: by test.example (Postfix)"
    assert lines[1].startswith(b"\tid " + m.group(1).encode() + b"; ")
    assert lines[2] == b"Delivered-To: fwd@test.example"
    assert b"From the start of a line" in lines


def test_missing_queue_file_and_bad_request(local_inst):
    li = local_inst
    li.start()
    qid = li.submit(["nobody@test.example"])
    items = li.request_items(qid)
    os.unlink(li.queue / "active" / qid)
    reply = li.deliver(qid, items=items)
    assert [r[1:] for r in results_of(reply)] == [(1, "4.3.0")]
    # A malformed request: no reply, and the service keeps working.
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(30)
    sock.connect(str(li.queue / "private/local"))
    AttrReader(sock).read()
    sock.sendall(attr_encode([("s", "protocol", "delivery"),
                              ("i", "flags", 0)]))
    assert sock.recv(100) == b""
    sock.close()
    qid = li.submit(["nobody@test.example"])
    assert attr_dict(li.deliver(qid))["status"] == 0
    li.status_line(qid, "nobody@test.example")


def test_status_service_down(local_inst):
    """Without the bounce and defer services no outcome can be recorded:
    the reply says DEL_STAT_DEFER with a reason (qmgr defers the
    recipient), and the recipient stays to be delivered."""
    li = local_inst
    li.inst.write_master_cf("\n".join(
        line for line in MASTER_CF.splitlines()
        if not line.startswith(("bounce", "defer", "trace"))) + "\n")
    started = li.log().count("daemon started")
    argv = [str(li.master_path), "-c", str(li.inst.config_dir), "-w"]
    subprocess.run(argv, capture_output=True, timeout=60, env=li.inst.env(),
                   check=True)
    wait_until(lambda: li.log().count("daemon started") > started, "master")
    wait_until(lambda: (li.queue / "private/local").exists(), "local")
    wait_until(lambda: (li.queue / "public/cleanup").exists(), "cleanup")
    qid = li.submit(["nosuchuser@test.example"])
    reply = attr_dict(li.deliver(qid))
    assert reply["status"] == 1
    assert reply["reason"].startswith("4.3.0 ")
    assert li.record_types(qid) == [("R", "nosuchuser@test.example")]


def test_mbox_same_as_debian(local_inst, shared_tmp):
    """The mailbox that Debian's local(8) writes for a message, fed to
    ours as the queued content, comes out byte for byte the same."""
    from smtp_dialogue import debian_smtpd
    import smtplib
    li = local_inst
    debdir = shared_tmp / "deb"
    debdir.mkdir()
    os.chmod(debdir, 0o755)
    debmail = debdir / "mail"
    debmail.mkdir()
    os.chmod(debmail, 0o1777)
    with debian_smtpd(debdir, mail_spool_directory=str(debmail),
                      recipient_delimiter="+", default_privs="nobody") as s:
        c = smtplib.SMTP("127.0.0.1", s.port, timeout=30)
        c.sendmail("alice@client.example", ["NoBody+X@test.example"],
                   CONTENT.replace("\n", "\r\n"))
        c.quit()
        try:
            wait_until(lambda: "status=sent" in s.log_text(),
                       "Debian's delivery", timeout=60)
        except AssertionError:
            raise AssertionError("Debian's local(8) did not deliver:\n"
                                 + s.log_text()[-3000:])
        debian = (debmail / "nobody").read_text()
    lines = debian.split("\n")
    # Ours gets what Debian's cleanup queued: the message without the
    # four lines that local(8) adds, the final empty line and the quoting.
    queued = "\n".join(l[1:] if l.startswith(">From ") else l
                       for l in lines[4:-2]) + "\n"
    li.start()
    qid = li.submit(["NoBody+X@test.example"], content=queued)
    li.deliver(qid)
    li.status_line(qid, "NoBody+X@test.example")
    ours = (li.spool / "nobody").read_text()
    date = re.compile(r"^(From \S+  ).*$", re.M)
    assert date.sub(r"\1DATE", ours) == date.sub(r"\1DATE", debian)


# The scenarios of test_status_same_as_debian: the aliases (OUT and BASE
# stand for each side's own directories) and the recipients, one message
# each.
DIFF_ALIASES = """\
cmd |"/bin/cat > OUT/cmd.out"
fail |"/bin/sh -c 'echo oops; exit 1'"
temp |"/bin/sh -c 'exit 75'"
file OUT/file.out
list nobody, file
selfish selfish, nobody
incl :include:BASE/include.list
fwd someone@remote.example
owner-fwd nobody
devnull /dev/null
t75o |"/bin/sh -c 'echo some output; exit 75'"
t67 |"/bin/sh -c 'exit 67'"
t69 |"/bin/sh -c 'exit 69'"
tdsn |"/bin/sh -c 'echo 4.7.1 try later; exit 1'"
tdsn5 |"/bin/sh -c 'echo 5.1.1 nobody here; exit 0'"
tsleep |"/bin/sh -c 'sleep 30'"
tid |"/usr/bin/id"
noinc :include:BASE/nonexistent
relfile relative/file
dup nobody, nobody@test.example, NOBODY
loop1 loop2
loop2 loop1
loop3 loop4, nobody
loop4 loop3
self2 nobody, self2b
self2b self2
envcmd |"/bin/sh -c 'env > OUT/alias.env'"
incloop :include:BASE/loop.inc
twofwd a@remote.example, b@remote.example
"""
DIFF_RCPTS = ["cmd", "fail", "temp", "file", "list", "selfish", "incl",
              "fwd", "devnull", "nosuchuser", "nobody+ext", "t75o", "t67",
              "t69", "tdsn", "tdsn5", "tsleep", "tid", "noinc", "relfile",
              "daemon", "bin+ext", "dup", "loop1", "loop3", "self2", "envcmd",
              "incloop", "twofwd", "daemon+baz", "selfish+q"]
# daemon's .forward (forward_path = BASE/fwd/$user.forward): itself, a
# command and a remote address. bin has a mailbox command.
DIFF_FORWARD = """\
daemon
|"/bin/cat > OUT/fwdcmd.out"
someone@remote.example
"""
DIFF_MAILBOX_COMMANDS = ("bin /bin/sh -c 'env > OUT/mbox.env; "
                         "cat > OUT/mboxcmd.out'\n")
# The variables that local(8) sets (the CLIENT_* ones differ: Debian's
# messages come through smtpd, ours straight from a cleanup client).
LOCAL_ENV = ("HOME", "USER", "LOGNAME", "SHELL", "EXTENSION", "DOMAIN",
             "LOCAL", "RECIPIENT", "SENDER", "ORIGINAL_RECIPIENT", "PATH")


def local_env(path, dirs):
    out = {}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name in LOCAL_ENV:
            for d, tag in dirs:
                value = value.replace(str(d), tag)
            out[name] = value
    return out


def diff_settings(base):
    return dict(forward_path=f"{base}/fwd/$user.forward",
                mailbox_command_maps=f"texthash:{base}/mboxcmd",
                command_time_limit="3s")


def diff_files(base, out):
    """The .forward and mailbox command table of one side."""
    (base / "fwd").mkdir(exist_ok=True)
    os.chmod(base / "fwd", 0o755)
    forward = base / "fwd/daemon.forward"
    forward.write_text(DIFF_FORWARD.replace("OUT", str(out)))
    daemon = pwd.getpwnam("daemon")
    os.chown(forward, daemon.pw_uid, daemon.pw_gid)
    (base / "mboxcmd").write_text(
        DIFF_MAILBOX_COMMANDS.replace("OUT", str(out)))
STATUS = re.compile(r"postfix/local\[\d+\]: (\w+): to=<([^>]*)>, "
                    r"(?:orig_to=<([^>]*)>, )?relay=(\S+), delay=\S+, "
                    r"delays=\S+, dsn=(\S+), status=(\w+) \((.*)\)$")


def status_entries(log, qid, dirs):
    """Normalised (to, orig_to, relay, dsn, status, reason) of qid."""
    out = []
    for line in log.splitlines():
        m = STATUS.search(line)
        if not m or m.group(1) != qid:
            continue
        reason = m.group(7)
        for d, name in dirs:
            reason = reason.replace(str(d), name)
        reason = re.sub(r"forwarded as \w+", "forwarded as ID", reason)
        out.append((m.group(2), m.group(3), m.group(4), m.group(5),
                    m.group(6), reason))
    return sorted(out)


def local_prefix(text, first):
    """The lines local(8) put in front of the message (From_ date out)."""
    lines = []
    for line in text.split("\n"):
        if line.startswith(first):
            break
        lines.append(re.sub(r"^(From \S+  ).*$", r"\1DATE", line))
    return lines


def test_status_same_as_debian(local_inst, shared_tmp):
    """Aliases, commands, files, includes, forwarding, unknown users:
    the same status lines as Debian's local(8), and the same header
    lines in front of what commands and files get."""
    from smtp_dialogue import debian_smtpd
    import smtplib
    li = local_inst
    debdir = shared_tmp / "deb"
    debdir.mkdir()
    os.chmod(debdir, 0o755)
    sides = {}
    for side, base in (("debian", debdir), ("ours", li.base)):
        out = base / ("out" if side == "ours" else "debout")
        out.mkdir(exist_ok=True)
        os.chown(out, li.nobody.pw_uid, li.nobody.pw_gid)
        os.chmod(out, 0o1777)
        (base / "include.list").write_text(f"{out}/inc.out\n")
        (base / "loop.inc").write_text(f":include:{base}/loop.inc\n"
                                       "nobody\n")
        diff_files(base, out)
        sides[side] = (base, out)
    deb_base, deb_out = sides["debian"]
    debmail = deb_base / "mail"
    debmail.mkdir()
    os.chmod(debmail, 0o1777)
    deb_aliases = deb_base / "aliases"
    deb_aliases.write_text(DIFF_ALIASES.replace("OUT", str(deb_out))
                           .replace("BASE", str(deb_base)))
    with debian_smtpd(debdir, mail_spool_directory=str(debmail),
                      recipient_delimiter="+", default_privs="nobody",
                      alias_maps=f"texthash:{deb_aliases}",
                      default_transport="error:remote mail is off",
                      **diff_settings(deb_base)) as s:
        deb_ids = {}
        # One at a time, as ours below: two of them append to file.out,
        # and its order must not depend on which local(8) ran first.
        for rcpt in DIFF_RCPTS:
            c = smtplib.SMTP("127.0.0.1", s.port, timeout=30)
            c.sendmail("alice@client.example", [rcpt + "@test.example"],
                       CONTENT.replace("\n", "\r\n"))
            c.quit()
            r = re.escape(rcpt)
            pattern = re.compile(
                rf"local\[\d+\]: (\w+): to=<(?:{r}@test\.example>|"
                rf"[^>]*>, orig_to=<{r}@test\.example>), relay=")
            wait_until(lambda: pattern.search(s.log_text()),
                       f"Debian's delivery to {rcpt}", timeout=60)
            deb_ids[rcpt] = pattern.search(s.log_text()).group(1)
        time.sleep(1)
        deb_log = s.log_text()

    li.set_aliases(DIFF_ALIASES.replace("OUT", str(li.out))
                   .replace("BASE", str(li.base)))
    li.inst.write_main_cf(**diff_settings(li.base))
    li.start()
    our_ids = {}
    for rcpt in DIFF_RCPTS:
        qid = li.submit([rcpt + "@test.example"])
        li.deliver(qid)
        our_ids[rcpt] = qid
    last = our_ids[DIFF_RCPTS[-1]]
    wait_until(lambda: status_entries(li.log(), last, []), "our deliveries")
    time.sleep(0.5)
    our_log = li.log()
    for rcpt in DIFF_RCPTS:
        deb = status_entries(deb_log, deb_ids[rcpt],
                             [(deb_out, "OUT"), (deb_base, "BASE")])
        ours = status_entries(our_log, our_ids[rcpt],
                              [(li.out, "OUT"), (li.base, "BASE")])
        assert ours == deb, (rcpt, ours, deb)
    for name in ("cmd.out", "file.out", "fwdcmd.out", "mboxcmd.out"):
        assert local_prefix((li.out / name).read_text(), "From: Alice") \
            == local_prefix((deb_out / name).read_text(), "Received:"), name
    assert not (li.out / "inc.out").exists()
    # The forwarded message's sender: the owner- alias in both.
    deb_new = re.search(rf"{deb_ids['fwd']}: .*forwarded as (\w+)",
                        deb_log).group(1)
    deb_from = re.search(rf"{deb_new}: from=<([^>]*)>", deb_log).group(1)
    our_new = re.search(rf"{our_ids['fwd']}: .*forwarded as (\w+)",
                        our_log).group(1)
    recs = records_with_offsets(
        (li.queue / "incoming" / our_new).read_bytes())
    assert [d.decode() for _, k, d in recs if k == "F"] == [deb_from]
    for name in ("alias.env", "mbox.env"):
        assert local_env(li.out / name, [(li.base, "BASE")]) \
            == local_env(deb_out / name, [(deb_base, "BASE")]), name


ANY_STATUS = re.compile(r"postfix/(local|error)\[\d+\]: (\w+): to=<([^>]*)>, "
                        r"(?:orig_to=<([^>]*)>, )?relay=(\S+), delay=\S+, "
                        r"delays=\S+, dsn=(\S+), status=(\w+) \((.*)\)$")


def any_status(log, qid):
    """(program, to, orig_to, relay, dsn, status, reason) of qid."""
    out = []
    for line in log.splitlines():
        m = ANY_STATUS.search(line)
        if m and m.group(2) == qid:
            reason = re.sub(r"forwarded as \w+", "forwarded as ID",
                            m.group(8))
            out.append((m.group(1),) + m.groups()[2:7] + (reason,))
    return sorted(out)


@pytest.mark.parametrize("settings,rcpt", [
    ({"fallback_transport": "error:no such user here"}, "nosuchuser"),
    ({"fallback_transport_maps": "inline:{nosuchuser=error:mapped}"},
     "nosuchuser"),
    ({"luser_relay": "someone+$user@remote.example"}, "nosuchuser"),
    ({"mailbox_transport": "error:mailboxes are off"}, "nobody"),
    ({"mailbox_transport_maps": "inline:{nobody=error:peruser}"},
     "nobody+ext"),
], ids=["fallback", "fallback_maps", "luser_relay", "mailbox_transport",
        "mailbox_transport_maps"])
def test_handover_same_as_debian(local_inst, shared_tmp, settings, rcpt):
    """fallback_transport(_maps), luser_relay, mailbox_transport(_maps):
    the same status lines as Debian's (the error(8) agent logs them)."""
    from smtp_dialogue import debian_smtpd
    import smtplib
    li = local_inst
    debdir = shared_tmp / "deb"
    debdir.mkdir()
    os.chmod(debdir, 0o755)
    debmail = debdir / "mail"
    debmail.mkdir()
    os.chmod(debmail, 0o1777)
    with debian_smtpd(debdir, mail_spool_directory=str(debmail),
                      recipient_delimiter="+", default_privs="nobody",
                      default_transport="error:remote mail is off",
                      **settings) as s:
        c = smtplib.SMTP("127.0.0.1", s.port, timeout=30)
        c.sendmail("alice@client.example", [rcpt + "@test.example"],
                   CONTENT.replace("\r\n", "\n").replace("\n", "\r\n"))
        c.quit()
        pattern = re.compile(r"(?:local|error)\[\d+\]: (\w+): to=<[^>]*>, "
                             rf"(?:orig_to=<[^>]*>, )?relay=")
        wait_until(lambda: pattern.search(s.log_text()),
                   "Debian's delivery", timeout=60)
        time.sleep(0.5)
        deb_log = s.log_text()
    deb_id = pattern.search(deb_log).group(1)
    li.inst.write_master_cf(MASTER_CF + "error unix - - n - - error\n")
    li.inst.write_main_cf(**settings)
    li.start()
    qid = li.submit([rcpt + "@test.example"])
    li.deliver(qid)
    wait_until(lambda: any_status(li.log(), qid), "our delivery")
    time.sleep(0.5)
    assert any_status(li.log(), qid) == any_status(deb_log, deb_id)


def spool_both(li, shared_tmp, settings, prepare):
    """One message for nobody@test.example through Debian's local(8) and
    ours, each with its own spool directory that prepare(spool) sets up
    first; returns (ours, debian) status entries (spool path as SPOOL)."""
    from smtp_dialogue import debian_smtpd
    import smtplib
    debdir = shared_tmp / "deb"
    debdir.mkdir()
    os.chmod(debdir, 0o755)
    for mail in (debdir / "mail", li.spool):
        mail.mkdir(exist_ok=True)
        os.chmod(mail, 0o1777)
        prepare(mail)
    with debian_smtpd(debdir, mail_spool_directory=str(debdir / "mail"),
                      **settings) as s:
        c = smtplib.SMTP("127.0.0.1", s.port, timeout=30)
        c.sendmail("alice@client.example", ["nobody@test.example"],
                   CONTENT.replace("\n", "\r\n"))
        c.quit()
        text = s.wait_for_log("to=<nobody@test.example>, relay=", 60)
    deb_id = re.search(r"local\[\d+\]: (\w+): to=<nobody@", text).group(1)
    li.inst.write_main_cf(**settings)
    li.start()
    qid = li.submit(["nobody@test.example"])
    li.deliver(qid)
    li.status_line(qid, "nobody@test.example")
    ours = [e[1:] for e in any_status(li.log(), qid)]
    deb = [e[1:] for e in any_status(text, deb_id)]
    for entries, box in ((ours, li.spool), (deb, debdir / "mail")):
        for i, e in enumerate(entries):
            entries[i] = e[:-1] + (e[-1].replace(str(box), "SPOOL"),)
    return ours, deb, debdir / "mail"


def test_mailbox_full_same_as_debian(local_inst, shared_tmp):
    """A mailbox at mailbox_size_limit: the same bounce as Debian's, and
    the mailbox keeps its old size."""
    li = local_inst
    old = ("From x  Thu Jan  1 00:00:00 2026\nSubject: old\n\n"
           + "x" * 3800 + "\n\n")

    def prepare(mail):
        (mail / "nobody").write_text(old)
        os.chown(mail / "nobody", li.nobody.pw_uid, li.nobody.pw_gid)
        os.chmod(mail / "nobody", 0o600)

    ours, deb, debmail = spool_both(
        li, shared_tmp, {"mailbox_size_limit": "4000",
                         "message_size_limit": "4000"}, prepare)
    assert ours == deb
    assert (li.spool / "nobody").read_text() == old
    assert (debmail / "nobody").read_text() == old


@pytest.mark.parametrize("strict", ["yes", "no"])
def test_mailbox_owner_same_as_debian(local_inst, shared_tmp, strict):
    """A spool mailbox that belongs to someone else (daemon), with
    strict_mailbox_ownership on and off: the same outcome as Debian's."""
    li = local_inst
    daemon = pwd.getpwnam("daemon")

    def prepare(mail):
        (mail / "nobody").write_text("")
        os.chown(mail / "nobody", daemon.pw_uid, daemon.pw_gid)
        os.chmod(mail / "nobody", 0o666)

    ours, deb, debmail = spool_both(
        li, shared_tmp, {"strict_mailbox_ownership": strict}, prepare)
    assert ours == deb
    delivered = strict == "no"
    assert bool((li.spool / "nobody").read_text()) is delivered
    assert bool((debmail / "nobody").read_text()) is delivered


def test_maildir_same_as_debian(install_root, shared_tmp):
    """Maildir delivery (mail_spool_directory ending in "/"): the same
    file contents as Debian's local(8), and names of the same form."""
    from smtp_dialogue import debian_smtpd
    import smtplib
    if not (install_root / "usr/libexec/postfix/local").exists():
        pytest.skip("local(8) is not built")
    os.chmod(shared_tmp, 0o755)
    debdir = shared_tmp / "deb"
    debdir.mkdir()
    os.chmod(debdir, 0o755)
    debmail = debdir / "mail"
    debmail.mkdir()
    os.chmod(debmail, 0o1777)
    with debian_smtpd(debdir, mail_spool_directory=str(debmail) + "/",
                      recipient_delimiter="+") as s:
        c = smtplib.SMTP("127.0.0.1", s.port, timeout=30)
        c.sendmail("alice@client.example", ["NoBody+X@test.example"],
                   CONTENT.replace("\n", "\r\n"))
        c.quit()
        s.wait_for_log("status=sent (delivered to maildir)", 60)
    deb_files = list((debmail / "nobody" / "new").iterdir())
    assert len(deb_files) == 1
    debian = deb_files[0].read_text()
    queued = "\n".join(debian.split("\n")[3:])
    li = LocalInstance(install_root, shared_tmp / "ours")
    try:
        li.inst.write_main_cf(mail_spool_directory=str(li.spool) + "/")
        li.start()
        qid = li.submit(["NoBody+X@test.example"], content=queued)
        li.deliver(qid)
        li.status_line(qid, "NoBody+X@test.example")
        ours = list((li.spool / "nobody" / "new").iterdir())
        assert len(ours) == 1
        assert ours[0].read_text() == debian
        form = re.compile(r"^\d+\.V[0-9a-f]+I[0-9a-f]+M\d+\.[^/]+$")
        assert form.match(deb_files[0].name) and form.match(ours[0].name)
        for mode_of in (debmail / "nobody", li.spool / "nobody"):
            assert {p.name for p in mode_of.iterdir()} == \
                {"tmp", "new", "cur"}
        assert (deb_files[0].stat().st_mode & 0o777) == \
            (ours[0].stat().st_mode & 0o777)
    finally:
        li.stop()


def test_biff_same_as_debian(local_inst, shared_tmp):
    """biff = yes: the comsat datagram ("user@offset") after a mailbox
    delivery is the one Debian's local(8) sends. Needs udp 127.0.0.1:512
    (comsat's port) to be free for a moment."""
    li = local_inst
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        listener.bind(("127.0.0.1", 512))
    except OSError:
        listener.close()
        pytest.skip("udp port 512 is busy")
    listener.settimeout(20)
    try:
        # A mailbox length that no other delivery on this machine is
        # likely to have: other tests (and other instances) may send
        # comsat datagrams to the same port, and those are ignored.
        old = ("From x  Thu Jan  1 00:00:00 2026\nSubject: old\n\n"
               + "x" * 4321 + "\n\n")

        def prepare(mail):
            (mail / "nobody").write_text(old)
            os.chown(mail / "nobody", li.nobody.pw_uid, li.nobody.pw_gid)
            os.chmod(mail / "nobody", 0o600)

        # Debian delivers first (spool_both), then ours.
        ours, deb, _ = spool_both(li, shared_tmp, {"biff": "yes"}, prepare)
        assert ours == deb
        expect = f"nobody@{len(old)}".encode()
        datagrams = []
        deadline = time.monotonic() + 20
        while len(datagrams) < 2 and time.monotonic() < deadline:
            data = listener.recv(1000)
            if data.rstrip(b"\0") == expect:
                datagrams.append(data)
    finally:
        listener.close()
    # Both Debian's local(8) and ours sent exactly the same datagram.
    assert len(datagrams) == 2 and datagrams[0] == datagrams[1], datagrams


def test_require_home_directory_same_as_debian(local_inst, shared_tmp):
    """require_home_directory = yes and nobody's home (/nonexistent) is
    missing: the same outcome as Debian's."""
    li = local_inst
    if os.path.exists(li.nobody.pw_dir):
        pytest.skip("nobody's home directory exists here")
    ours, deb, _ = spool_both(li, shared_tmp,
                              {"require_home_directory": "yes"},
                              lambda mail: None)
    assert ours == deb
    assert not (li.spool / "nobody").exists()


@pytest.mark.parametrize("directory", ["/", "/nonexistent/dir"])
def test_command_directory_same_as_debian(local_inst, shared_tmp, directory):
    """command_execution_directory: the command runs there (pwd), or the
    mail is deferred as by Debian's local(8) when it cannot get there."""
    from smtp_dialogue import debian_smtpd
    import smtplib
    li = local_inst
    debdir = shared_tmp / "deb"
    debdir.mkdir()
    os.chmod(debdir, 0o755)
    outs = []
    for base in (debdir, li.base):
        out = base / "pwdout"
        out.mkdir()
        os.chmod(out, 0o1777)
        outs.append(out)
    aliases = "pwdcmd |\"/bin/sh -c 'pwd > OUT/pwd.out'\"\n"
    (debdir / "aliases").write_text(aliases.replace("OUT", str(outs[0])))
    settings = {"command_execution_directory": directory}
    with debian_smtpd(debdir, alias_maps=f"texthash:{debdir}/aliases",
                      default_privs="nobody", **settings) as s:
        c = smtplib.SMTP("127.0.0.1", s.port, timeout=30)
        c.sendmail("alice@client.example", ["pwdcmd@test.example"],
                   CONTENT.replace("\n", "\r\n"))
        c.quit()
        text = s.wait_for_log("to=<pwdcmd@test.example>, relay=", 60)
    deb_id = re.search(r"local\[\d+\]: (\w+): to=<pwdcmd@", text).group(1)
    li.set_aliases(aliases.replace("OUT", str(outs[1])))
    li.inst.write_main_cf(**settings)
    li.start()
    qid = li.submit(["pwdcmd@test.example"])
    li.deliver(qid)
    li.status_line(qid, "pwdcmd@test.example")
    ours = [e[1:] for e in any_status(li.log(), qid)]
    deb = [e[1:] for e in any_status(text, deb_id)]
    ours = [e[:-1] + (e[-1].replace(str(outs[1]), "OUT"),) for e in ours]
    deb = [e[:-1] + (e[-1].replace(str(outs[0]), "OUT"),) for e in deb]
    assert ours == deb
    if os.path.isdir(directory):
        assert (outs[1] / "pwd.out").read_text() == directory + "\n"
        assert (outs[0] / "pwd.out").read_text() == directory + "\n"
    warn = (f'cannot change directory to "{directory}" for '
            f'uid={li.nobody.pw_uid}')
    assert (warn in li.log()) == (not os.path.isdir(directory))


@pytest.mark.parametrize("expand", ["no", "yes"])
def test_owner_alias_same_as_debian(local_inst, shared_tmp, expand):
    """An owner-<list> alias becomes the sender of the forwarded copy:
    the owner- address, or its expansion with expand_owner_alias = yes,
    as with Debian's local(8)."""
    from smtp_dialogue import debian_smtpd
    import smtplib
    li = local_inst
    aliases = ("fwd someone@remote.example\n"
               "owner-fwd Nobody+Owner\n")
    debdir = shared_tmp / "deb"
    debdir.mkdir()
    os.chmod(debdir, 0o755)
    (debdir / "aliases").write_text(aliases)
    settings = {"expand_owner_alias": expand, "recipient_delimiter": "+"}
    with debian_smtpd(debdir, alias_maps=f"texthash:{debdir}/aliases",
                      default_transport="error:remote mail is off",
                      **settings) as s:
        c = smtplib.SMTP("127.0.0.1", s.port, timeout=30)
        c.sendmail("alice@client.example", ["fwd@test.example"],
                   CONTENT.replace("\n", "\r\n"))
        c.quit()
        text = s.wait_for_log("forwarded as ", 60)
        new = re.search(r"forwarded as (\w+)", text).group(1)
        text = s.wait_for_log(f"{new}: from=<", 60)
    deb_from = re.search(rf"{new}: from=<([^>]*)>", text).group(1)
    li.set_aliases(aliases)
    li.inst.write_main_cf(**settings)
    li.start()
    qid = li.submit(["fwd@test.example"])
    li.deliver(qid)
    line = li.status_line(qid, "fwd@test.example")
    ours = re.search(r"forwarded as (\w+)", line).group(1)
    recs = records_with_offsets((li.queue / "incoming" / ours).read_bytes())
    assert [d.decode() for _, k, d in recs if k == "F"] == [deb_from]


def test_propagate_extensions_same_as_debian(local_inst, shared_tmp):
    """propagate_unmatched_extensions with alias, forward and include:
    the unmatched extension goes to the destinations as with Debian's
    local(8) (status lines, and the addresses of the forwarded copies)."""
    from smtp_dialogue import debian_smtpd
    import smtplib
    li = local_inst
    rcpts = ["list+foo", "incl+bar", "daemon+baz"]
    sides = {}
    for side, base in (("debian", shared_tmp / "deb"), ("ours", li.base)):
        base.mkdir(exist_ok=True)
        os.chmod(base, 0o755)
        (base / "inc").write_text("someone@remote.example\nnobody\n")
        (base / "aliases").write_text(
            "list nobody, someone@remote.example, list2\n"
            "list2 other@remote.example\n"
            f"incl :include:{base}/inc\n")
        diff_files(base, base)
        (base / "fwd/daemon.forward").write_text(
            "someone@remote.example, daemon\n")
        sides[side] = base
    settings = {"propagate_unmatched_extensions":
                "canonical, virtual, alias, forward, include",
                "forward_path": "BASE/fwd/$user.forward"}

    def side_settings(base):
        return {k: v.replace("BASE", str(base)) for k, v in settings.items()}

    deb_base = sides["debian"]
    (deb_base / "mail").mkdir()
    os.chmod(deb_base / "mail", 0o1777)
    with debian_smtpd(deb_base, alias_maps=f"texthash:{deb_base}/aliases",
                      mail_spool_directory=str(deb_base / "mail"),
                      recipient_delimiter="+", default_privs="nobody",
                      default_transport="error:off",
                      **side_settings(deb_base)) as s:
        for rcpt in rcpts:
            c = smtplib.SMTP("127.0.0.1", s.port, timeout=30)
            c.sendmail("alice@client.example", [rcpt + "@test.example"],
                       CONTENT.replace("\n", "\r\n"))
            c.quit()
        # Four copies go to remote addresses (error:off bounces them).
        copies = re.compile(r"error\[\d+\]: \w+: to=<[^>]*>, orig_to=<"
                            r"(list|incl|daemon)\+")
        wait_until(lambda: len(copies.findall(s.log_text())) >= 4,
                   "Debian's deliveries", timeout=60)
        time.sleep(0.5)
        deb_log = s.log_text()
    li.set_aliases((li.base / "aliases").read_text())
    li.inst.write_main_cf(**side_settings(li.base))
    li.start()
    our_ids = []
    for rcpt in rcpts:
        qid = li.submit([rcpt + "@test.example"])
        li.deliver(qid)
        our_ids.append(qid)
    wait_until(lambda: all(any_status(li.log(), q) for q in our_ids),
               "our deliveries")
    time.sleep(0.5)
    our_log = li.log()
    for rcpt, qid in zip(rcpts, our_ids):
        m = re.search(rf"(\w+): to=<{re.escape(rcpt)}@test\.example>, "
                      r"relay=local, .*forwarded as", deb_log)
        assert m, (rcpt, deb_log[-2000:])
        deb = [e for e in any_status(deb_log, m.group(1))]
        ours = [e for e in any_status(our_log, qid)]
        assert ours == deb, rcpt
        # Where the copies went.
        deb_new = re.search(rf"{m.group(1)}: .*forwarded as (\w+)",
                            deb_log).group(1)
        deb_to = sorted(e[1] for e in any_status(deb_log, deb_new))
        our_new = re.search(rf"{qid}: .*forwarded as (\w+)",
                            our_log).group(1)
        recs = records_with_offsets(
            (li.queue / "incoming" / our_new).read_bytes())
        assert sorted(d.decode() for _, k, d in recs if k == "R") \
            == deb_to, rcpt
