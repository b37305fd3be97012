"""System tests for showq(8), postqueue(1) (and mailq) and postsuper(1).

Queue files come from queuefile.py (or from our sendmail and pickup);
defer logs are written in the bounce(8) log format (delivery.md section
3). The expected layouts were learned from Debian's Postfix 3.7 on the
same queue contents:

- mailq: header, "<id><status>" in 11 columns (18 with long queue IDs),
  size in 8, date in 20 (19), sender; recipients indented to column 41
  (47); defer-log entries first in log order, each reason line
  right-aligned to column 78 when the reason changes, then the queue
  file's other recipients ("(reason unavailable)" after a known reason);
  "-- N Kbytes in M Request(s)." or "Mail queue is empty".
- postqueue -j: Postfix's member names, one object per line.
- postsuper: "<id>: removed" etc. for explicit IDs only, summaries in
  the order Requeued, Deleted, Force-expired, Placed on hold, Released
  from hold for the operations asked; -d also finds maildrop files.

The differential tests (root and Debian's Postfix) build the same queue
contents on both sides (maildrop submissions with each side's sendmail
into a stopped instance; hold and forced expiration with each side's
postsuper) and compare the listings with queue IDs and times
normalised.
"""

import fcntl
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import queuefile as qf
from conftest import wait_until
from smtp_dialogue import our_instance

ARRIVAL = "1796430334.774185"         # Sat Dec  5 00:25:34 2026 UTC
DATE = "Sat Dec  5 00:25:34"
EX_UNAVAILABLE = 69
MESSAGE_QUEUES = ("maildrop", "incoming", "active", "deferred", "hold")
LOG_QUEUES = ("bounce", "defer", "trace")


@pytest.fixture
def inst(request):
    """Our instance (privileged as root) with its queue directories made
    by "postfix check", which also runs postsuper; not started."""
    i = our_instance(request)
    r = i.run("postfix", "check")
    assert r.returncode == 0, r.stdout + r.stderr + i.log_text()
    return i


def owner(inst):
    pw = pwd.getpwnam(inst.owner)
    return pw.pw_uid, pw.pw_gid


def put(inst, queue, name, data, hashed=None, mode=None):
    """Write a queue (or log) file as the mail_owner; hashed: the hash
    directory part ("A/"), default from the name at depth 1 for the
    hashed queues (deferred, defer). Mode 0600, but 0700 for a message
    in incoming/ (ready, as cleanup commits it; not for "tmp.*")."""
    if hashed is None:
        hashed = name[0] + "/" if queue in ("deferred", "defer") else ""
    path = inst.queue_dir / queue / hashed / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    uid, gid = owner(inst)
    os.chown(path, uid, gid)
    parent = path.parent
    while parent != inst.queue_dir:
        os.chown(parent, uid, gid)
        parent = parent.parent
    if mode is None:
        mode = 0o700 if queue == "incoming" and "." not in name else 0o600
    path.chmod(mode)
    return path


def put_id(inst, queue, data, usec=0x4C914, mode=None):
    """Write a message file under the short ID its inode gives it (as
    "postsuper -s" wants it); return the ID."""
    if mode is None:
        mode = 0o700 if queue == "incoming" else 0o600
    tmp = put(inst, queue, "tmp.put", data, hashed="", mode=mode)
    qid = "%05X%X" % (usec, tmp.stat().st_ino)
    target = put(inst, queue, qid, b"")         # makes the hash directory
    os.replace(tmp, target)
    return qid


def message(rcpts, sender="alice@example.test", qflags=0, body=("Subject: x", "", "body")):
    return qf.queue_file([("R", r) for r in rcpts], list(body),
                         arrival=ARRIVAL, sender=sender, qflags=qflags)


def start_instance(inst):
    """postfix start (data_directory owned by the mail owner first); the
    result of the command."""
    if inst.privileged:
        uid, gid = owner(inst)
        os.chown(inst.data_dir, uid, gid)
    r = inst.run("postfix", "start")
    assert r.returncode == 0, r.stdout + r.stderr + inst.log_text()
    return r


def unfinished(data):
    """A queue file as cleanup leaves it when it dies mid-message: the
    end record is missing."""
    assert data.endswith(b"\nZ0 \n"), data[-8:]
    return data[:-4]


def defer_log(*entries):
    return "".join(f"address={a}\nstatus=4.4.1\naction=delayed\n"
                   f"reason={r}\n\n" for a, r in entries)


def postqueue(inst, *args, user=None):
    env = dict(inst.env(), TZ="UTC")
    return subprocess.run([str(inst.sbin / "postqueue"), "-c",
                           str(inst.config_dir), *args],
                          capture_output=True, text=True, errors="replace",
                          env=env, timeout=60, preexec_fn=user)


def postsuper(inst, *args, input=None):
    return subprocess.run([str(inst.sbin / "postsuper"), "-c",
                           str(inst.config_dir), *args],
                          capture_output=True, text=True, env=inst.env(),
                          timeout=60, input=input)


def files(inst, *queues):
    """{relative path} of every regular file under the queues."""
    out = set()
    for q in queues or MESSAGE_QUEUES + LOG_QUEUES:
        base = inst.queue_dir / q
        for dirpath, _, names in os.walk(base):
            for n in names:
                out.add(os.path.relpath(os.path.join(dirpath, n),
                                        inst.queue_dir))
    return out


SIZE = len("Subject: x\n\nbody\n")

# ----------------------------------------------------------- listing


def test_empty_queue(inst):
    r = postqueue(inst, "-p")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Mail queue is empty\n"
    assert "Mail system is down -- accessing queue directly (Connect to " \
        "the Postfix showq service: No such file or directory)" in r.stderr
    r = postqueue(inst, "-j")
    assert (r.returncode, r.stdout) == (0, "")


def test_listing_layout(inst):
    put(inst, "active", "C91B5A9680F", message(["dave@example.org"], sender=""))
    put(inst, "deferred", "A2CD3A96D33",
        message(["bob@example.org", "carol@example.net"]))
    put(inst, "defer", "A2CD3A96D33",
        defer_log(("carol@example.net", "no route here"),
                  ("zed@example.com", "x" * 80)))
    put(inst, "hold", "DD9DEA966B4", message(["erin@example.org"]))
    put(inst, "deferred", "B0000A96D34", message(["f@example.org"], qflags=2))
    r = postqueue(inst, "-p")
    assert r.returncode == 0, r.stderr
    head = "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
    assert r.stdout.startswith(head)
    blocks = r.stdout[len(head):].split("\n\n")
    got = {b.splitlines()[0].split()[0]: b for b in blocks[:-1]}
    pad = " " * 41
    active = f"C91B5A9680F*{SIZE:8d} {DATE}  MAILER-DAEMON\n{pad}dave@example.org"
    deferred = (f"A2CD3A96D33 {SIZE:7d} {DATE}  alice@example.test\n"
                + " " * 63 + "(no route here)\n"
                + f"{pad}carol@example.net\n"
                + "(" + "x" * 80 + ")\n"
                + f"{pad}zed@example.com\n"
                + " " * 58 + "(reason unavailable)\n"
                + f"{pad}bob@example.org")
    hold = f"DD9DEA966B4!{SIZE:8d} {DATE}  alice@example.test\n{pad}erin@example.org"
    expired = f"B0000A96D34#{SIZE:8d} {DATE}  alice@example.test\n{pad}f@example.org"
    for key, want in (("C91B5A9680F*", active), ("A2CD3A96D33", deferred),
                      ("DD9DEA966B4!", hold), ("B0000A96D34#", expired)):
        assert got[key] == want
    assert blocks[-1] == "-- 0 Kbytes in 4 Requests.\n"

    r = postqueue(inst, "-j")
    objs = {o["queue_id"]: o for o in map(json.loads, r.stdout.splitlines())}
    assert list(objs["A2CD3A96D33"]) == [
        "queue_name", "queue_id", "arrival_time", "message_size",
        "forced_expire", "sender", "recipients"]
    assert objs["A2CD3A96D33"]["recipients"] == [
        {"address": "carol@example.net", "delay_reason": "no route here"},
        {"address": "zed@example.com", "delay_reason": "x" * 80},
        {"address": "bob@example.org"}]
    assert objs["C91B5A9680F"]["sender"] == "MAILER-DAEMON"
    assert objs["C91B5A9680F"]["queue_name"] == "active"
    assert objs["B0000A96D34"]["forced_expire"] is True
    assert objs["DD9DEA966B4"]["arrival_time"] == 1796430334
    assert objs["DD9DEA966B4"]["message_size"] == SIZE


def test_long_id_layout_and_single_request(inst):
    inst.write_main_cf(enable_long_queue_ids="yes")
    put(inst, "hold", "4jh8KB5VJ9z1bZr6", message(["a@example.org"]))
    r = postqueue(inst, "-p")
    assert r.stdout.splitlines()[:3] == [
        "----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------",
        f"4jh8KB5VJ9z1bZr6!{SIZE:9d} {DATE} alice@example.test",
        " " * 47 + "a@example.org"]
    assert r.stdout.endswith("\n\n-- 0 Kbytes in 1 Request.\n")


def test_json_escaping_and_bad_utf8(inst):
    put(inst, "hold", "ABCDE1234", qf.queue_file(
        [("R", b'q"uo\\te\x01@example.org'), ("R", b"\xff@example.org"),
         ("R", "zo\u00eb@example.org")],
        ["x"], arrival=ARRIVAL, sender="s@example.org"))
    r = postqueue(inst, "-j")
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    # The local part is quoted (not a dot-atom), as Postfix lists it.
    assert [x["address"] for x in obj["recipients"]] == [
        '"q\\"uo\\\\te\x01"@example.org', "\ufffd@example.org",
        "zo\u00eb@example.org"]
    assert '\\u0001' in r.stdout
    r = postqueue(inst, "-p")
    assert '"q\\"uo\\\\te?"@example.org' in r.stdout


def test_damaged_and_odd_files_are_skipped(inst):
    put(inst, "incoming", "AAAAA1111", message(["ok@example.org"]))
    put(inst, "incoming", "BBBBB2222", message(["x@example.org"])[:-3])
    put(inst, "incoming", "tmp.123.1", b"partial")
    put(inst, "deferred", "CCCCC3333", message(["y@example.org"]))
    put(inst, "defer", "CCCCC3333",
        "address=y@example.org\nstatus=4.0.0\nreason=" + "r" * 9000 + "\n\n"
        "garbage line\nstatus=4.0.0\nreason=z\n\n"
        "address=y@example.org\nstatus=4.0.0\nreason=fine\n\naddress=torn")
    r = postqueue(inst, "-p")
    assert r.returncode == 0
    assert "AAAAA1111 " in r.stdout and "BBBBB2222" not in r.stdout
    assert "(fine)" in r.stdout and "(z)" not in r.stdout
    assert r.stdout.endswith("-- 0 Kbytes in 2 Requests.\n")


def test_mailq_and_sendmail_bp(inst):
    put(inst, "hold", "DD9DEA966B4", message(["erin@example.org"]))
    want = postqueue(inst, "-p").stdout
    env = dict(inst.env(), TZ="UTC")
    for argv in ([str(inst.root / "usr/bin/mailq"), "-C", str(inst.config_dir)],
                 [str(inst.sbin / "sendmail"), "-C", str(inst.config_dir), "-bp"]):
        r = subprocess.run(argv, capture_output=True, text=True, env=env,
                           timeout=60)
        assert (r.returncode, r.stdout) == (0, want), r.stderr


def test_showq_service_when_running(inst):
    qid = put_id(inst, "hold", message(["erin@example.org"]))
    r = start_instance(inst)
    try:
        deadline = time.monotonic() + 20
        while not (inst.queue_dir / "public/showq").exists():
            assert time.monotonic() < deadline, inst.log_text()
            time.sleep(0.05)
        put(inst, "hold", "BBBBB2222", message(["x@example.org"])[:-3])
        r = postqueue(inst, "-p")
        assert r.returncode == 0
        assert r.stderr == ""
        assert f"{qid}!" in r.stdout
        # The damaged file is left out, with a warning in the log.
        assert "showq[" in inst.wait_for_log("BBBBB2222") and \
            "warning: hold/BBBBB2222: truncated record at offset 187: skipped" in \
            inst.wait_for_log("BBBBB2222")
        r = postqueue(inst, "-j")
        assert json.loads(r.stdout)["queue_name"] == "hold"
        if inst.privileged:
            # An ordinary user goes through the set-gid-less postqueue
            # to the public socket too (group access in Debian's modes).
            r = postqueue(inst, "-p", user=as_nobody)
            assert r.returncode in (0, EX_UNAVAILABLE)
    finally:
        inst.run("postfix", "stop")
        inst.stop_everything()


def as_nobody():
    pw = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(pw.pw_gid)
    os.setuid(pw.pw_uid)


def test_down_and_not_root(inst):
    if not inst.privileged:
        pytest.skip("needs root to run as another user")
    inst.config_dir.chmod(0o755)
    r = postqueue(inst, "-p", user=as_nobody)
    assert r.returncode == EX_UNAVAILABLE
    assert r.stderr == \
        "postqueue: fatal: Queue report unavailable - mail system is down\n"


@pytest.mark.parametrize("param,args,what", [
    ("authorized_mailq_users", ["-p"], "view the mail queue"),
    ("authorized_mailq_users", ["-j"], "view the mail queue"),
    ("authorized_flush_users", ["-f"], "flush the mail queue"),
    ("authorized_flush_users", ["-i", "ABCDEF123"], "flush the mail queue"),
])
def test_access_lists(inst, param, args, what):
    inst.write_main_cf(**{param: "!" + pwd.getpwuid(os.getuid()).pw_name
                          + ", static:anyone"})
    r = postqueue(inst, *args)
    assert r.returncode == EX_UNAVAILABLE
    login = pwd.getpwuid(os.getuid()).pw_name
    assert f"postqueue: fatal: User {login}({os.getuid()}) is not allowed " \
        f"to {what}" in r.stderr


def test_flush_when_down(inst):
    r = postqueue(inst, "-f")
    assert r.returncode == EX_UNAVAILABLE
    assert r.stderr.endswith(
        "postqueue: fatal: Cannot flush mail queue - mail system is down\n")
    r = postqueue(inst, "-s", "example.org")
    assert r.returncode == EX_UNAVAILABLE
    assert r.stderr == "postqueue: fatal: Flush service is not configured " \
        "for destination \"example.org\"\n"
    inst.write_main_cf(fast_flush_domains="example.org")
    for args in (["-s", "example.org"], ["-i", "ABCDEF123"]):
        r = postqueue(inst, *args)
        assert r.returncode == EX_UNAVAILABLE
        assert r.stderr.startswith("postqueue: warning: connect to "
                                   "public/flush: ")
        assert r.stderr.endswith("postqueue: fatal: Cannot flush mail "
                                 "queue - mail system is down\n")


def test_flush_sends_qmgr_trigger(inst):
    """-f writes "FADI" to public/qmgr and "W" to public/pickup (a FIFO
    here, read by the test)."""
    fifo = inst.queue_dir / "public/qmgr"
    os.mkfifo(fifo, 0o622)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        r = postqueue(inst, "-f")
        assert r.returncode == 0, r.stderr
        assert os.read(fd, 100) == b"FADI"
    finally:
        os.close(fd)
        fifo.unlink()


@pytest.mark.parametrize("args", [[], ["-p", "-f"], ["-p", "extra"], ["-x"]])
def test_postqueue_usage(inst, args):
    r = postqueue(inst, *args)
    assert r.returncode == EX_UNAVAILABLE
    assert r.stderr.endswith(
        "postqueue: fatal: usage: postqueue -f | postqueue -i queueid | "
        "postqueue -j | postqueue -p | postqueue -s site\n")

# ----------------------------------------------------------- postsuper


def stderr_lines(r):
    return [line for line in r.stderr.splitlines()]


def test_postsuper_operations(inst):
    if inst.privileged:
        uid, gid = owner(inst)
        inst.maillog.touch()
        os.chown(inst.maillog, uid, gid)
    ids = ["3EBBCA9680C", "52325A960B4", "4DC9CA960B5", "4F8C5A960B2",
           "4BC70A960B7"]
    for i in ids:
        put(inst, "deferred", i, message([f"{i}@example.org"]))
        put(inst, "defer", i, defer_log((f"{i}@example.org", "later")))
    r = postsuper(inst, "-h", ids[2])
    assert stderr_lines(r) == [f"postsuper: {ids[2]}: placed on hold",
                               "postsuper: Placed on hold: 1 message"]
    r = postsuper(inst, "-d", ids[0], "-r", ids[1], "-H", ids[2], "-h", ids[3],
                  "-e", ids[4], "-d", "NOSUCH123", "-d", "bad/id")
    assert r.returncode == 0
    assert stderr_lines(r) == [
        f"postsuper: {ids[0]}: removed",
        f"postsuper: {ids[1]}: requeued",
        f"postsuper: {ids[2]}: released from hold",
        f"postsuper: {ids[3]}: placed on hold",
        f"postsuper: {ids[4]}: expired",
        "postsuper: warning: invalid mail queue id: bad/id",
        "postsuper: Requeued: 1 message",
        "postsuper: Deleted: 1 message",
        "postsuper: Force-expired: 1 message",
        "postsuper: Placed on hold: 1 message",
        "postsuper: Released from hold: 1 message"]
    now = files(inst)
    assert f"deferred/{ids[0][0]}/{ids[0]}" not in now
    assert f"defer/{ids[0][0]}/{ids[0]}" not in now     # logs go too
    assert f"defer/{ids[1][0]}/{ids[1]}" not in now
    assert f"hold/{ids[3]}" in now and f"defer/{ids[3][0]}/{ids[3]}" in now
    assert f"deferred/{ids[2][0]}/{ids[2]}" in now
    mtime = (inst.queue_dir / f"deferred/{ids[2][0]}/{ids[2]}").stat().st_mtime
    assert abs(mtime - time.time()) < 60
    drop = [p for p in now if p.startswith("maildrop/")]
    assert len(drop) == 1
    data = (inst.queue_dir / drop[0]).read_bytes()
    assert data.startswith(b"Q14 postel-queue 1\nT17 " + ARRIVAL.encode()
                           + b"\nF18 alice@example.test\n")
    assert b"R23 52325A960B4@example.org\nM0 \nL10 Subject: x\n" in data
    assert data.endswith(b"X0 \nZ0 \n")
    j = json.loads([x for x in postqueue(inst, "-j").stdout.splitlines()
                    if ids[4] in x][0])
    assert j["forced_expire"] is True
    # -f releases the held one and expires it; -d removes the maildrop file.
    r = postsuper(inst, "-f", ids[3], "-d", Path(drop[0]).name)
    assert stderr_lines(r)[:3] == [f"postsuper: {ids[3]}: expired",
                                   f"postsuper: {ids[3]}: released from hold",
                                   f"postsuper: {Path(drop[0]).name}: removed"]
    assert stderr_lines(r)[3:] == ["postsuper: Deleted: 1 message",
                                   "postsuper: Force-expired: 1 message",
                                   "postsuper: Released from hold: 1 message"]
    assert re.search(r"postfix/postsuper\[\d+\]: Deleted: 1 message",
                     inst.log_text())


def test_postsuper_all_stdin_and_dirs(inst):
    for i in ("AAAAA1111", "BBBBB2222", "CCCCC3333"):
        put(inst, "deferred", i, message(["x@example.org"]))
    put(inst, "hold", "DDDDD4444", message(["x@example.org"]))
    r = postsuper(inst, "-h", "ALL", "deferred")
    assert stderr_lines(r) == ["postsuper: Placed on hold: 3 messages"]
    r = postsuper(inst, "-d", "-", input="AAAAA1111\n\n BBBBB2222 \n"
                  + "x" * 300 + "\n")
    # As Postfix: the whole line is the ID (no trimming, "" is invalid).
    assert stderr_lines(r) == [
        "postsuper: AAAAA1111: removed",
        "postsuper: warning: invalid mail queue id: ",
        "postsuper: warning: invalid mail queue id:  BBBBB2222 ",
        "postsuper: warning: standard input: line longer than 256 bytes: "
        "skipped",
        "postsuper: Deleted: 1 message"]
    r = postsuper(inst, "-d", "all")
    assert stderr_lines(r) == ["postsuper: Deleted: 0 messages"]
    r = postsuper(inst, "-d", "ALL", "nosuchqueue")
    assert r.returncode != 0
    assert stderr_lines(r) == ["postsuper: fatal: invalid directory name: "
                               "nosuchqueue"]
    r = postsuper(inst, "-d", "ALL")
    assert stderr_lines(r) == ["postsuper: Deleted: 3 messages"]
    assert files(inst, *MESSAGE_QUEUES) == set()


def test_not_ready_incoming_file_is_left_alone(inst):
    """A file in incoming/ without the owner execute bit is one that
    cleanup is still writing: postqueue does not list it, no postsuper
    operation touches it (by ID or ALL), and the purge removes it only
    once it is older than $ipc_timeout."""
    ready = put_id(inst, "incoming", message(["ok@example.org"]), usec=0xA1111)
    young = put_id(inst, "incoming", unfinished(message(["young@example.org"])),
                   usec=0xB2222, mode=0o600)
    old = put_id(inst, "incoming", unfinished(message(["old@example.org"])),
                 usec=0xC3333, mode=0o600)
    week_ago = time.time() - 7 * 86400
    os.utime(inst.queue_dir / "incoming" / old, (week_ago, week_ago))
    r = postqueue(inst, "-p")
    assert r.returncode == 0
    assert f"{ready} " in r.stdout and "ok@example.org" in r.stdout
    assert young not in r.stdout and old not in r.stdout
    assert r.stdout.endswith(" in 1 Request.\n"), r.stdout
    for op in ("-h", "-r", "-e", "-f"):
        r = postsuper(inst, op, young, op, old)
        assert not [x for x in stderr_lines(r) if young in x or old in x], \
            (op, r.stderr)
    assert files(inst, "incoming") == {f"incoming/{ready}",
                                       f"incoming/{young}", f"incoming/{old}"}
    r = postsuper(inst, "-d", young, "-d", "ALL", "incoming")
    assert stderr_lines(r) == ["postsuper: Deleted: 1 message"]
    assert files(inst, *MESSAGE_QUEUES) == {f"incoming/{young}",
                                            f"incoming/{old}"}
    # The structure check: the old one goes, the young one stays.
    r = postsuper(inst)
    assert stderr_lines(r) == [
        f"postsuper: incoming/{old}: removed old unfinished queue file",
        f"postsuper: incoming/{young}: unfinished queue file: left alone"] \
        or stderr_lines(r) == [
        f"postsuper: incoming/{young}: unfinished queue file: left alone",
        f"postsuper: incoming/{old}: removed old unfinished queue file"], \
        r.stderr
    assert files(inst, *MESSAGE_QUEUES) == {f"incoming/{young}"}
    assert (inst.queue_dir / "incoming" / young).stat().st_mode & 0o7777 \
        == 0o600


def test_complete_but_not_ready_incoming_file_is_marked_ready(inst):
    """A whole queue file in incoming/ without the execute bit (left by an
    earlier build, which marked files complete by renaming them, or by a
    cleanup that died after the last record) is marked ready by the
    structure check, young or old, and listed then: never removed."""
    young = put_id(inst, "incoming", message(["young@example.org"]),
                   usec=0xB2222, mode=0o600)
    old = put_id(inst, "incoming", message(["old@example.org"]),
                 usec=0xC3333, mode=0o600)
    week_ago = time.time() - 7 * 86400
    os.utime(inst.queue_dir / "incoming" / old, (week_ago, week_ago))
    assert postqueue(inst, "-p").stdout == "Mail queue is empty\n"
    r = postsuper(inst)
    assert sorted(stderr_lines(r)) == sorted([
        f"postsuper: incoming/{young}: complete queue file marked ready",
        f"postsuper: incoming/{old}: complete queue file marked ready"]), \
        r.stderr
    for qid in (young, old):
        assert (inst.queue_dir / "incoming" / qid).stat().st_mode & 0o7777 \
            == 0o700
    r = postqueue(inst, "-p")
    assert young in r.stdout and old in r.stdout, r.stdout


def test_postfix_start_removes_old_unfinished_file(inst):
    """"postfix start" runs postsuper: an incoming/ file that never became
    ready and is older than $ipc_timeout is removed; showq (the running
    service) does not list a younger one, nor qmgr take it."""
    old = put_id(inst, "incoming", unfinished(message(["old@example.org"])),
                 usec=0xC3333, mode=0o600)
    week_ago = time.time() - 7 * 86400
    os.utime(inst.queue_dir / "incoming" / old, (week_ago, week_ago))
    r = start_instance(inst)
    try:
        assert f"incoming/{old}: removed old unfinished queue file" in \
            inst.log_text() + r.stdout + r.stderr
        assert not (inst.queue_dir / "incoming" / old).exists()
        deadline = time.monotonic() + 20
        while not (inst.queue_dir / "public/showq").exists():
            assert time.monotonic() < deadline, inst.log_text()
            time.sleep(0.05)
        young = put_id(inst, "incoming",
                       unfinished(message(["young@example.org"])),
                       usec=0xB2222, mode=0o600)
        r = postqueue(inst, "-p")
        assert (r.returncode, r.stderr) == (0, "")
        assert r.stdout == "Mail queue is empty\n"
        r = postqueue(inst, "-f")
        assert r.returncode == 0, r.stderr
        time.sleep(1)
        assert files(inst, *MESSAGE_QUEUES) == {f"incoming/{young}"}
    finally:
        inst.run("postfix", "stop")
        inst.stop_everything()


def test_postsuper_deletes_unreadable_maildrop_file(inst):
    """A maildrop file belongs to its submitter (mode 0600 without the
    set-gid postdrop): -d needs only the directory."""
    path = put(inst, "maildrop", "ABCDEF123", b"whatever")
    if inst.privileged:
        os.chown(path, 0, 0)
    r = postsuper(inst, "-d", "ABCDEF123", "-h", "ABCDEF123")
    assert stderr_lines(r) == ["postsuper: ABCDEF123: removed",
                               "postsuper: Deleted: 1 message",
                               "postsuper: Placed on hold: 0 messages"]
    assert not path.exists()


def test_postsuper_skips_locked_file(inst):
    path = put(inst, "deferred", "AAAAA1111", message(["x@example.org"]))
    with open(path, "rb") as f:
        fcntl.flock(f, fcntl.LOCK_SH)
        r = postsuper(inst, "-d", "AAAAA1111", "-h", "AAAAA1111")
    assert stderr_lines(r) == [
        "postsuper: warning: AAAAA1111: message is being delivered: skipped",
        "postsuper: warning: AAAAA1111: message is being delivered: skipped",
        "postsuper: Deleted: 0 messages",
        "postsuper: Placed on hold: 0 messages"]
    assert path.exists()


def test_postsuper_structure_repair(inst):
    # Misplaced: unhashed in deferred, and two levels deep.
    moved = put_id(inst, "deferred", message(["x@example.org"]), usec=0xA0000)
    (inst.queue_dir / "deferred/A/0").mkdir()
    os.chown(inst.queue_dir / "deferred/A/0", *owner(inst))
    os.rename(inst.queue_dir / f"deferred/A/{moved}",
              inst.queue_dir / f"deferred/A/0/{moved}")
    f08 = put_id(inst, "deferred", message(["x@example.org"]), usec=0xF08C0)
    os.rename(inst.queue_dir / f"deferred/F/{f08}", inst.queue_dir / f"deferred/{f08}")
    # Name that does not match the inode, with its defer log.
    wrong = put(inst, "incoming", "00878A97AAA", message(["x@example.org"]))
    put(inst, "defer", "00878A97AAA", defer_log(("x@example.org", "r")))
    put(inst, "incoming", "junk.file", b"")
    old_tmp = put(inst, "incoming", "tmp.99.1", b"")
    os.utime(old_tmp, (time.time() - 7200, time.time() - 7200))
    new_tmp = put(inst, "incoming", "tmp.99.2", b"")
    r = postsuper(inst)
    ino = wrong.stat().st_ino if wrong.exists() else None
    assert ino is None
    new_id = None
    for p in files(inst, "incoming"):
        if p.startswith("incoming/00878"):
            new_id = Path(p).name
    assert new_id is not None
    assert new_id == "00878" + "%X" % (inst.queue_dir / "incoming" / new_id).stat().st_ino
    assert stderr_lines(r) == [
        "postsuper: incoming/tmp.99.1: removed old temporary file",
        "postsuper: warning: bogus file name: incoming/junk.file",
        "postsuper: Renamed to match inode number: 1 message",
        "postsuper: warning: QUEUE FILE NAMES WERE CHANGED TO MATCH INODE "
        "NUMBERS"]
    now = files(inst)
    assert {f"deferred/F/{f08}", f"deferred/A/{moved}",
            f"defer/0/{new_id}", "incoming/junk.file",
            "incoming/tmp.99.2"} <= now
    assert not (inst.queue_dir / "deferred/A/0").exists()
    assert new_tmp.exists() and not old_tmp.exists()
    # Depth 2: files move down, and back up at depth 1 again.
    inst.write_main_cf(hash_queue_depth="2")
    postsuper(inst, "-s")
    assert f"deferred/F/0/{f08}" in files(inst)
    inst.write_main_cf(hash_queue_depth="1", hash_queue_names="defer")
    postsuper(inst, "-s")
    assert f"deferred/{f08}" in files(inst)
    assert not (inst.queue_dir / "deferred/F").exists()


def test_postsuper_long_ids_to_short(inst):
    inst.write_main_cf(enable_long_queue_ids="yes")
    path = put(inst, "hold", "4jh8KB5VJ9z1bZr6", message(["x@example.org"]))
    ino = path.stat().st_ino
    r = postsuper(inst, "-S")
    # Strict: the inode part must match the file's inode.
    assert "Renamed to match inode number: 1 message" in r.stderr
    (name,) = [Path(p).name for p in files(inst, "hold")]
    assert name.endswith("z") is False and "z" in name
    inst.write_main_cf(enable_long_queue_ids="no")
    r = postsuper(inst, "-s")
    (short,) = [Path(p).name for p in files(inst, "hold")]
    assert short == "BD029" + "%X" % ino


def test_postsuper_needs_root(inst):
    if not inst.privileged:
        pytest.skip("needs root to run as another user")
    r = subprocess.run([str(inst.sbin / "postsuper"), "-c",
                        str(inst.config_dir)], capture_output=True, text=True,
                       preexec_fn=as_nobody, timeout=60)
    assert r.returncode != 0
    assert "postsuper: fatal: use of this command is reserved for the " \
        "superuser" in r.stderr


def test_requeue_goes_through_pickup(inst):
    """-r on a running system: pickup and cleanup make a new queue file."""
    qid = put_id(inst, "hold", message(["back@example.org"]))
    r = start_instance(inst)
    try:
        deadline = time.monotonic() + 20
        while not (inst.queue_dir / "public/pickup").exists():
            assert time.monotonic() < deadline, inst.log_text()
            time.sleep(0.05)
        r = postsuper(inst, "-r", qid)
        assert stderr_lines(r) == [f"postsuper: {qid}: requeued",
                                   "postsuper: Requeued: 1 message"]
        # pickup's own line for the message (its start-up warning as an
        # ordinary user is a pickup line too, and may come first). The
        # new queue file may be delivered and gone before a look at the
        # queue (the smtp service exists now): the log line is the proof.
        pattern = re.compile(r"postfix/pickup\[\d+\]: (\w+): uid=\d+ "
                             r"from=<alice@example\.test>")
        found = wait_until(lambda: pattern.search(inst.log_text()),
                           "pickup's line for the requeued message", 30)
        assert found.group(1) != qid
    finally:
        inst.run("postfix", "stop")
        inst.stop_everything()

# ------------------------------------------------- against Debian's Postfix


REAL = Path("/usr/sbin/postfix")

DEBIAN_MASTER = """\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
retry     unix  -       -       n       -       -       error
error     unix  -       -       n       -       -       error
showq     unix  n       -       n       -       -       showq
postlog   unix-dgram n  -       n       -       1       postlogd
"""


@pytest.fixture
def debian(shared_tmp):
    if os.geteuid() != 0 or not REAL.exists():
        pytest.skip("needs root and Debian's Postfix")
    try:
        pw = pwd.getpwnam("postfix")
    except KeyError:
        pytest.skip("no postfix account")
    base = shared_tmp / "debian"
    etc, spool, data = base / "etc", base / "spool", base / "data"
    for d in (etc, spool, data):
        d.mkdir(parents=True)
    os.chown(data, pw.pw_uid, pw.pw_gid)
    (etc / "main.cf").write_text(
        f"compatibility_level = 3.6\nmyhostname = test.example\n"
        f"mydestination = test.example\ninet_interfaces = 127.0.0.1\n"
        f"inet_protocols = ipv4\nalias_maps =\nalias_database =\n"
        f"queue_directory = {spool}\ndata_directory = {data}\n"
        f"maillog_file = {base}/maillog\nmaillog_file_prefixes = {base}\n"
        f"mail_owner = postfix\nsetgid_group = postdrop\n"
        f"default_transport = retry:4.4.1 no route here\n")
    (etc / "master.cf").write_text(DEBIAN_MASTER)
    r = subprocess.run([str(REAL), "-c", str(etc), "check"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    (base / "maillog").touch()
    os.chown(base / "maillog", pw.pw_uid, pw.pw_gid)
    yield etc
    subprocess.run([str(REAL), "-c", str(etc), "stop"], capture_output=True,
                   timeout=60)
    try:
        pid = int((spool / "pid/master.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError, IndexError):
        pass


def debian_deferrals(debian, count):
    """Start Debian's Postfix until count messages have a defer log
    (deferred by the retry transport), stop it; return its spool."""
    r = subprocess.run([str(REAL), "-c", str(debian), "start"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    spool = Path(debian).parent / "spool"
    deadline = time.monotonic() + 30
    while len([p for p in (spool / "defer").rglob("*")
               if p.is_file()]) < count:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    subprocess.run([str(REAL), "-c", str(debian), "stop"],
                   capture_output=True, timeout=60)
    return spool


def normalise(text):
    """Queue IDs -> QID (keeping the status mark), dates -> DATE."""
    text = re.sub(r"^[0-9A-Za-z]{10,20}(?=[*!# ])", lambda m: "Q" * len(m.group(0)), text, flags=re.M)
    text = re.sub(r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d",
                  "DATE", text)
    text = re.sub(r'"queue_id": "\w+"', '"queue_id": "QID"', text)
    text = re.sub(r'"arrival_time": \d+', '"arrival_time": 0', text)
    return text


def as_mail_owner():
    pw = pwd.getpwnam("postfix")
    os.setgroups([])
    os.setgid(pw.pw_gid)
    os.setuid(pw.pw_uid)


def blocks(text):
    """(header line, sorted message blocks, trailer) of a listing."""
    head, rest = text.split("\n", 1)
    parts = rest.split("\n\n")
    strip = lambda b: re.sub(r"(?m)^(Q+[*!# ]?)\s+\d+ ", r"\1 SIZE ", b)
    return head, sorted(strip(b) for b in parts[:-1]), parts[-1]


def sendmail_both(inst, etc, args, text):
    """Ours runs as the mail_owner: the staged postdrop is not set-gid,
    so root's maildrop file would be unreadable for showq."""
    for cmd, user in ((["/usr/sbin/sendmail", "-C", str(etc)], None),
                      ([str(inst.sbin / "sendmail"), "-C",
                        str(inst.config_dir)], as_mail_owner)):
        r = subprocess.run(cmd + args, input=text.encode(), capture_output=True,
                           timeout=60, preexec_fn=user)
        assert r.returncode == 0, r.stderr


def listing(cmd, conf, *args):
    r = subprocess.run([cmd, "-c", str(conf), *args], capture_output=True,
                       text=True, env=dict(os.environ, TZ="UTC"), timeout=60)
    assert r.returncode == 0, r.stderr
    return r


def test_maildrop_listing_like_debian(inst, debian):
    sendmail_both(inst, debian, ["-f", "alice@example.org", "bob@example.org",
                                 "carol@example.net"], "Subject: one\n\nhi\n")
    sendmail_both(inst, debian, ["-f", "<>", "dave@example.org"],
                  "Subject: two\n\nhello again\n")
    sendmail_both(inst, debian, ["-t", "-f", "frank@example.org",
                                 "gina@example.org"],
                  "To: hal@example.org, ida@example.org\nSubject: t\n\nx\n")
    theirs = listing("/usr/sbin/postqueue", debian, "-p")
    ours = listing(str(inst.sbin / "postqueue"), inst.config_dir, "-p")
    # Both warn the same way, and list the same layout.
    assert theirs.stderr == ours.stderr
    t_head, t_blocks, t_tail = blocks(normalise(theirs.stdout))
    o_head, o_blocks, o_tail = blocks(normalise(ours.stdout))
    assert (o_head, o_blocks) == (t_head, t_blocks)
    assert re.sub(r"\d+ Kbytes", "", o_tail) == re.sub(r"\d+ Kbytes", "", t_tail)
    tj = [json.loads(x) for x in listing("/usr/sbin/postqueue", debian, "-j").stdout.splitlines()]
    oj = [json.loads(x) for x in listing(str(inst.sbin / "postqueue"), inst.config_dir, "-j").stdout.splitlines()]
    key = lambda o: o["sender"]
    for t, o in zip(sorted(tj, key=key), sorted(oj, key=key)):
        assert list(t) == list(o)
        for k in ("queue_name", "forced_expire", "sender", "recipients"):
            assert t[k] == o[k], k


def test_deferred_hold_expire_like_debian(inst, debian):
    """Debian: real deferrals (retry transport), then postsuper -h and -e.
    Ours (no qmgr yet): the same recipients and defer-log reasons in
    deferred/, then our postsuper -h and -e."""
    subprocess.run(["/usr/sbin/sendmail", "-C", str(debian), "-f",
                    "alice@example.org", "bob@example.org",
                    "carol@example.net"], input=b"Subject: a\n\nx\n",
                   check=True, timeout=60)
    subprocess.run(["/usr/sbin/sendmail", "-C", str(debian), "-f",
                    "erin@example.org", "frank@example.org"],
                   input=b"Subject: b\n\ny\n", check=True, timeout=60)
    debian_deferrals(debian, 2)
    theirs_ids = {}
    tj = [json.loads(x) for x in listing("/usr/sbin/postqueue", debian, "-j").stdout.splitlines()]
    for o in tj:
        theirs_ids[o["sender"]] = o["queue_id"]
    subprocess.run(["/usr/sbin/postsuper", "-c", str(debian), "-h",
                    theirs_ids["erin@example.org"]], capture_output=True,
                   timeout=60)
    subprocess.run(["/usr/sbin/postsuper", "-c", str(debian), "-e",
                    theirs_ids["alice@example.org"]], capture_output=True,
                   timeout=60)
    # Ours: the same queue contents, in the order Debian's log has them.
    for n, o in enumerate(tj):
        qid = ("AAAAA11110%d" % n)
        put(inst, "deferred", qid, message([r["address"] for r in o["recipients"]],
                                           sender=o["sender"]))
        put(inst, "defer", qid, defer_log(*[(r["address"], r["delay_reason"])
                                            for r in o["recipients"]]))
        flag = "-h" if o["sender"] == "erin@example.org" else "-e"
        postsuper(inst, flag, qid)
    theirs = normalise(listing("/usr/sbin/postqueue", debian, "-p").stdout)
    ours = normalise(listing(str(inst.sbin / "postqueue"), inst.config_dir, "-p").stdout)
    assert blocks(ours) == blocks(theirs)


def test_postsuper_messages_like_debian(inst, debian):
    """The same postsuper commands on three deferred messages on both
    sides print the same lines (queue IDs normalised)."""
    for n in range(3):
        subprocess.run(["/usr/sbin/sendmail", "-C", str(debian), "-f",
                        "a@example.org", f"r{n}@example.org"],
                       input=b"Subject: s\n\nx\n", check=True, timeout=60)
    spool = debian_deferrals(debian, 3)
    theirs = sorted(p.name for p in (spool / "deferred").rglob("*")
                    if p.is_file())
    ours = [put_id(inst, "deferred", message([f"r{n}@example.org"]),
                   usec=0x10000 * (n + 1)) for n in range(3)]
    for qid in ours:
        put(inst, "defer", qid, defer_log(("x@example.org", "later")))

    def run(cmd, conf, ids, tag):
        steps = [["-h", ids[0], "-e", ids[1], "-d", "NOSUCH1", "-d", "x/y"],
                 ["-f", ids[0], "-H", ids[0]],
                 ["-r", ids[2]],
                 ["-d", "-"],
                 ["-h", "ALL"], ["-H", "ALL"], ["-d", "ALL", "deferred"],
                 ["-d", "ALL", "bogus"]]
        out = []
        for step in steps:
            stdin = ids[1] + "\n" if step == ["-d", "-"] else None
            r = subprocess.run([cmd, "-c", str(conf), *step], input=stdin,
                               capture_output=True, text=True, timeout=60)
            text = r.stderr
            for n, qid in enumerate(ids):
                text = text.replace(qid, f"ID{n}")
            out.append((r.returncode != 0, text))
        return out

    want = run("/usr/sbin/postsuper", debian, theirs, "debian")
    got = run(str(inst.sbin / "postsuper"), inst.config_dir, ours, "ours")
    assert got == want


def test_requeue_keeps_only_what_pickup_accepts(inst):
    """-r writes only records that pickup(8) accepts: other attributes
    are left out; a recipient pickup would refuse keeps the message
    where it is."""
    env = [("A", "client_name=host.example"), ("A", "encoding=8bitmime"),
           ("E", "envid-1"), ("Y", "2"), ("n", "6"),
           ("o", "rfc822;a@example.org"), ("O", "a@example.org"),
           ("R", "a@example.org"), ("D", "done@example.org")]
    good = put_id(inst, "deferred", qf.queue_file(
        env, ["Subject: r", "", "x" * 100], extracted=[("R", "t@example.org")],
        limit=40, arrival=ARRIVAL, before_sender=["create_time=1",
                                                  "rewrite_context=remote"]))
    bad = put_id(inst, "deferred", message(["b" * 5000 + "@example.org"]),
                 usec=0x20000)
    r = postsuper(inst, "-r", good, "-r", bad)
    lines = stderr_lines(r)
    assert lines[0] == f"postsuper: {good}: requeued"
    assert lines[1].startswith(f"postsuper: warning: {bad}: not requeued: "
                               f"deferred/{bad}: record R")
    assert lines[2:] == ["postsuper: Requeued: 1 message"]
    assert f"deferred/{bad[0]}/{bad}" in files(inst)
    (drop,) = [p for p in files(inst) if p.startswith("maildrop/")]
    recs = (inst.queue_dir / drop).read_bytes().split(b"\n")
    kinds = [r[:1] + b" " + r.split(b" ", 1)[1] for r in recs if r]
    assert kinds[:8] == [b"Q postel-queue 1", b"T " + ARRIVAL.encode(),
                         b"F alice@example.test",
                         b"A rewrite_context=remote", b"A encoding=8bit",
                         b"A dsn_envid=envid-1", b"A dsn_ret=2",
                         b"R a@example.org"]
    assert kinds[8:10] == [b"R t@example.org", b"M "]
    assert b"P " + b"x" * 40 in kinds and kinds[-2:] == [b"X ", b"Z "]


def test_empty_queue_and_long_addresses_like_debian(inst, debian):
    """The empty queue, then messages with long addresses (wider than
    every column), a null sender and many recipients: the same listing
    layout as Debian's, and the same JSON member names and value types."""
    theirs = listing("/usr/sbin/postqueue", debian, "-p")
    ours = listing(str(inst.sbin / "postqueue"), inst.config_dir, "-p")
    assert (ours.stdout, ours.stderr) == (theirs.stdout, theirs.stderr)
    theirs = listing("/usr/sbin/postqueue", debian, "-j")
    ours = listing(str(inst.sbin / "postqueue"), inst.config_dir, "-j")
    assert ours.stdout == theirs.stdout == ""
    long_local = "very.long.local.part." * 4
    sendmail_both(inst, debian, ["-f", long_local + "@sender.example.org",
                                 long_local + "@example.org",
                                 "x" * 90 + "@example.net"],
                  "Subject: long\n\n" + "y" * 3000 + "\n")
    sendmail_both(inst, debian, ["-f", "<>"] + [f"r{n}@example.org"
                                                for n in range(12)],
                  "Subject: many\n\nz\n")
    # Local parts that are no dot-atom are listed quoted.
    sendmail_both(inst, debian, ["-f", "snd.@example.org", "a.@x.org",
                                 ".n@x.org", "o..p@x.org"],
                  "Subject: quoted\n\nq\n")
    theirs = listing("/usr/sbin/postqueue", debian, "-p")
    ours = listing(str(inst.sbin / "postqueue"), inst.config_dir, "-p")
    assert theirs.stderr == ours.stderr
    assert blocks(normalise(ours.stdout)) == blocks(normalise(theirs.stdout))
    tj = [json.loads(x) for x in listing("/usr/sbin/postqueue", debian,
                                         "-j").stdout.splitlines()]
    oj = [json.loads(x) for x in listing(str(inst.sbin / "postqueue"),
                                         inst.config_dir,
                                         "-j").stdout.splitlines()]
    assert len(tj) == len(oj) == 3
    key = lambda o: o["sender"]
    for t, o in zip(sorted(tj, key=key), sorted(oj, key=key)):
        assert list(t) == list(o)
        assert {k: type(v) for k, v in t.items()} == \
            {k: type(v) for k, v in o.items()}
        # (message_size: a maildrop file's size, and the formats differ)
        for k in ("queue_name", "forced_expire", "sender", "recipients"):
            assert t[k] == o[k], k


def misplaced_and_misowned(spool):
    """Queue files named after their inodes (so that postsuper -s keeps
    the names): one owned by root in deferred/ and in hold/, one in the
    wrong hash directory, one world-writable in incoming/, and a file
    in corrupt/. Returns {queue ID: label}."""
    pw = pwd.getpwnam("postfix")
    labels = {}
    for label, queue, uid, mode, hashed in (
            ("root-deferred", "deferred", 0, 0o600, "right"),
            ("writable-incoming", "incoming", pw.pw_uid, 0o666, None),
            ("misplaced", "deferred", pw.pw_uid, 0o700, "wrong"),
            ("root-hold", "hold", 0, 0o600, None)):
        tmp = spool / queue / "tmp.check"
        tmp.write_text("x\n")
        qid = "%05X%X" % (0x12345, tmp.stat().st_ino)
        where = spool / queue
        if hashed:
            where = where / (qid[0] if hashed == "right"
                             else ("B" if qid[0] != "B" else "C"))
            where.mkdir(exist_ok=True)
            os.chown(where, pw.pw_uid, pw.pw_gid)
            where.chmod(0o700)
        os.replace(tmp, where / qid)
        os.chown(where / qid, uid, pw.pw_gid if uid else 0)
        (where / qid).chmod(mode)
        labels[qid] = label
    (spool / "corrupt").mkdir(exist_ok=True)
    (spool / "corrupt/DEFECT").write_text("c\n")
    os.chown(spool / "corrupt/DEFECT", pw.pw_uid, pw.pw_gid)
    return labels


def test_postfix_check_queue_warnings_like_debian(inst, debian):
    """"postfix check" on the same odd queue contents: the same warnings
    (misowned queue files, damaged messages) and the same repairs (the
    misplaced file moved to its hash directory)."""
    results = []
    for cmd, etc, spool, log in (
            ("/usr/sbin/postfix", debian, Path(debian).parent / "spool",
             Path(debian).parent / "maillog"),
            (str(inst.sbin / "postfix"), inst.config_dir, inst.queue_dir,
             inst.maillog)):
        labels = misplaced_and_misowned(spool)
        before = log.read_text() if log.exists() else ""
        r = subprocess.run([cmd, "-c", str(etc), "check"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        text = log.read_text()[len(before):]
        lines = []
        for line in text.splitlines():
            m = re.search(r"postfix/(postfix-script|postsuper)\[\d+\]: (.*)",
                          line)
            # (Only the queue's: the staged install of ours is not set-gid.)
            if m and (str(spool) in m.group(2) or "corrupt/" in m.group(2)
                      or m.group(1) == "postsuper"):
                msg = m.group(2).replace(str(spool), "QUEUE")
                for qid, label in labels.items():
                    msg = msg.replace(qid, label)
                lines.append(msg)
        where = sorted(
            str(p.relative_to(spool)).replace(p.name, labels.get(p.name,
                                                                 p.name))
            for q in ("incoming", "deferred", "hold")
            for p in (spool / q).rglob("*") if p.is_file())
        results.append((sorted(lines), where))
    assert results[1] == results[0]


POSTSUPER_CASES = [
    ["-x"], ["-d"], ["-d", "all"], ["-d", "ALL", "bogus"],
    ["-d", "ALL", "deferred", "incoming"], ["-h", "ALL", "hold"],
    ["-H", "NOSUCH12345"], ["-r", "ALL", "maildrop"], ["-e", "ALL"],
    ["-f", "ALL"], ["-S"], ["-s"], ["-p"], ["-s", "-p", "deferred"],
    ["-d", "../x"], ["-d", "A" * 90], ["-d", "-"],
    ["-c", "/nonexistent/dir", "-s"],
]


def test_postsuper_options_like_debian(inst, debian):
    """Every option of the manual, usage errors, bad IDs (also from
    standard input), queue names: the same messages and exit codes as
    Debian's postsuper on an empty queue."""
    def run(cmd, conf):
        out = []
        for args in POSTSUPER_CASES:
            if args[0] != "-c":
                args = ["-c", str(conf)] + args
            stdin = ("bad/id\n\nx y\n ABCDEF \nABCDEF\t\nABCDEF\r\n"
                     if args[-1] == "-" else None)
            r = subprocess.run([cmd, *args], input=stdin, text=True,
                               capture_output=True, timeout=60)
            out.append((args[2:], r.returncode, r.stderr, r.stdout))
        return out
    theirs = run("/usr/sbin/postsuper", debian)
    ours = run(str(inst.sbin / "postsuper"), inst.config_dir)
    for t, o in zip(theirs, ours):
        assert o == t


def test_postsuper_purge_bogus_names_like_debian(inst, debian):
    """-p, -s and both on files whose names are no queue IDs (old and new
    ones) in every queue: the same warnings, once per file, and the same
    files left. (Our own temporary files, "tmp.<pid>.<n>", are not
    Postfix's, so none are among them.)"""
    pw = pwd.getpwnam("postfix")
    queues = ("incoming", "maildrop", "active", "hold", "deferred/A")
    results = []
    for cmd, etc, spool in (
            ("/usr/sbin/postsuper", debian, Path(debian).parent / "spool"),
            (str(inst.sbin / "postsuper"), inst.config_dir, inst.queue_dir)):
        got = []
        for args in (["-p"], ["-s"], ["-s", "-p"], []):
            for q in queues:
                (spool / q).mkdir(exist_ok=True)
                os.chown(spool / q, pw.pw_uid, pw.pw_gid)
                for n, old in (("junk", True), ("12345.6789", False),
                               (".hidden", True), ("ABC#FIX", False),
                               ("a_b", True), ("x-y", False)):
                    p = spool / q / n
                    p.write_text("x\n")
                    os.chown(p, pw.pw_uid, pw.pw_gid)
                    if old:
                        os.utime(p, (time.time() - 2 * 86400,) * 2)
            r = subprocess.run([cmd, "-c", str(etc), *args],
                               capture_output=True, text=True, timeout=60)
            left = sorted(str(p.relative_to(spool)) for q in queues
                          for p in (spool / q).iterdir() if p.is_file())
            got.append((args, r.returncode, sorted(r.stderr.splitlines()),
                        left))
        results.append(got)
    for theirs, ours in zip(*results):
        assert ours == theirs


def test_long_delay_reason_like_debian(inst, debian):
    """A deferral reason longer than a line, and an address with a
    quoted local part: listed as Debian lists them."""
    reason = "no route here " + " ".join(f"word{n}" for n in range(30))
    subprocess.run(["/usr/sbin/postconf", "-c", str(debian), "-e",
                    f"default_transport = retry:4.4.1 {reason}"],
                   check=True, timeout=60)
    subprocess.run(["/usr/sbin/sendmail", "-C", str(debian), "-f",
                    "alice@example.org", "bob@example.org",
                    "carol.@example.net"], input=b"Subject: a\n\nx\n",
                   check=True, timeout=60)
    debian_deferrals(debian, 1)
    (t,) = [json.loads(x) for x in listing("/usr/sbin/postqueue", debian,
                                           "-j").stdout.splitlines()]
    qid = "AAAAA111100"
    put(inst, "deferred", qid, message(["bob@example.org",
                                        "carol.@example.net"],
                                       sender="alice@example.org"))
    put(inst, "defer", qid, defer_log(
        *[(r["address"].replace('"', ""), r["delay_reason"])
          for r in t["recipients"]]))
    theirs = normalise(listing("/usr/sbin/postqueue", debian, "-p").stdout)
    ours = normalise(listing(str(inst.sbin / "postqueue"), inst.config_dir,
                             "-p").stdout)
    assert blocks(ours) == blocks(theirs)
    (o,) = [json.loads(x) for x in listing(
        str(inst.sbin / "postqueue"), inst.config_dir, "-j").stdout.splitlines()]
    assert o["recipients"] == t["recipients"]


def test_active_message_like_debian(inst, debian):
    """A message in the active queue (as qmgr leaves it when the mail
    system stops during a delivery) is marked "*", with its reasons."""
    subprocess.run(["/usr/sbin/sendmail", "-C", str(debian), "-f",
                    "alice@example.org", "bob@example.org"],
                   input=b"Subject: a\n\nx\n", check=True, timeout=60)
    spool = debian_deferrals(debian, 1)
    (path,) = [p for p in (spool / "deferred").rglob("*") if p.is_file()]
    os.rename(path, spool / "active" / path.name)
    (t,) = [json.loads(x) for x in listing("/usr/sbin/postqueue", debian,
                                           "-j").stdout.splitlines()]
    qid = "AAAAA111101"
    put(inst, "active", qid, message(["bob@example.org"],
                                     sender="alice@example.org"))
    put(inst, "defer", qid, defer_log(
        *[(r["address"], r["delay_reason"]) for r in t["recipients"]]))
    theirs = normalise(listing("/usr/sbin/postqueue", debian, "-p").stdout)
    ours = normalise(listing(str(inst.sbin / "postqueue"), inst.config_dir,
                             "-p").stdout)
    assert "*" in theirs
    assert blocks(ours) == blocks(theirs)
    (o,) = [json.loads(x) for x in listing(
        str(inst.sbin / "postqueue"), inst.config_dir, "-j").stdout.splitlines()]
    assert (o["queue_name"], o["recipients"]) == ("active", t["recipients"])
