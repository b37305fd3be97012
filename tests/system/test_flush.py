"""System tests for flush(8), ETRN, postqueue -s/-i/-f and postfix flush.

What Debian's Postfix 3.7 was seen to do (the differential tests check
the dialogue against it; the fixed texts below were observed there):

- A deferred recipient of a $fast_flush_domains destination puts the
  queue ID in $queue_directory/flush/<site with "." as "_">.
- ETRN <site> / postqueue -s <site> move the listed deferred messages to
  incoming/ for qmgr, empty the list, and answer "250 Queuing started";
  a site outside $fast_flush_domains gets "459 <site>: service
  unavailable" (postqueue: "Flush service is not configured for
  destination"), also when flush(8) is down; a valid eligible site with
  flush(8) down gets "458 Unable to queue messages" (postqueue: "Cannot
  flush mail queue - mail system is down").
- postqueue -i <id> does the same for one message.

The deliveries here: the site's mail goes to the transport "fake",
which nothing serves at first, so qmgr defers it through the retry
transport and error(8) reports the deferral (which adds the message to
the flush log); then a stand-in agent (fake_agent.py) starts serving
private/fake. The long backoff keeps qmgr from retrying on its own, so
only the flush request can bring the message back in time. (No reload:
a qmgr that has not yet restarted would race the flush request.)
"""

import os
import pwd
import re
import socket
import subprocess
import time

import pytest

from fake_agent import FakeAgent, Reader, _Server, encode, first
from smtp_dialogue import (_wait_until, both_smtpd, dialogue, diff_dialogue,
                           our_instance, ours_smtpd)

EX_UNAVAILABLE = 69
SITE = "etrn.example"
WAIT = 60.0

# The ETRN dialogue both sides must answer alike.
ETRN_LINES = ["EHLO x", "ETRN", "ETRN a b", "ETRN bad..domain",
              f"ETRN @{SITE}", f"ETRN #{SITE}", "ETRN [127.0.0.1]",
              "ETRN [1.2.3]", "ETRN nothere.example", "ETRN ETRN.example",
              "ETRN other.example", "ETRN [IPv6:::1]", "ETRN [::1]",
              "ETRN fo_o", "ETRN -foo", f"ETRN {SITE}.",
              "ETRN [127.0.0.1]x", f"ETRN @@{SITE}", f"ETRN @#{SITE}",
              "MAIL FROM:<a@b>", f"ETRN {SITE}", "RSET", f"ETRN {SITE}",
              "QUIT"]

SETTINGS = dict(relay_domains=f"{SITE}, other.example",
                defer_transports="discard",
                minimal_backoff_time="1h", maximal_backoff_time="2h",
                queue_run_delay="1h")
# The transport "fake" is retried one second after it failed.
FAKE_SETTINGS = dict(SETTINGS, defer_transports="",
                     transport_retry_time="1s")


def send(port, rcpt):
    """Submit one message over SMTP; return its queue ID."""
    replies = dialogue(port, ["EHLO x", "MAIL FROM:<a@test.example>",
                              f"RCPT TO:<{rcpt}>", "DATA",
                              "Subject: t\r\n\r\nhi\r\n.", "QUIT"])
    m = re.search(r"queued as (\S+)", replies[-2])
    assert m, replies
    return m.group(1)


def transport(directory, target="discard:"):
    """A texthash table that routes SITE and other.example to target."""
    table = directory / "transport"
    table.write_text(f"{SITE} {target}\nother.example {target}\n")
    os.chmod(table, 0o644)
    return f"texthash:{table}"


def flush_log(inst, site=SITE):
    path = inst.queue_dir / "flush" / site.replace(".", "_")
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


@pytest.fixture
def inst(request):
    return our_instance(request)


def deferred_message(inst, server):
    """A message for SITE, deferred (its transport "fake" unavailable)
    and listed in the site's flush log; then an agent serves "fake".
    Returns (queue ID, agent); the caller stops the agent."""
    qid = send(server.port, f"u@{SITE}")
    inst.wait_for_log(f"{qid}: to=<u@{SITE}>", WAIT)
    assert "status=deferred (mail transport unavailable)" in inst.log_text()
    _wait_until(lambda: qid in (flush_log(inst) or ""), "the flush log entry")
    # The agent adds to the flush log before qmgr moves the file.
    _wait_until(lambda: list((inst.queue_dir / "deferred").rglob(qid)),
                "the file in deferred/")
    pw = pwd.getpwnam(inst.owner)
    agent = FakeAgent(inst.queue_dir, "fake", owner=(pw.pw_uid, pw.pw_gid))
    # Past $transport_retry_time: qmgr will try "fake" again.
    time.sleep(1.5)
    return qid, agent


@pytest.mark.parametrize("how", ["etrn", "postqueue -s", "postqueue -i",
                                 "postqueue -f", "postfix flush"])
def test_deferred_mail_delivered_on_request(inst, how):
    table = transport(inst.config_dir, "fake:")
    with ours_smtpd(inst, transport_maps=table, **FAKE_SETTINGS) as server:
        qid, agent = deferred_message(inst, server)
        try:
            flush_and_check(inst, server, agent, qid, how)
        finally:
            agent.stop()


def flush_and_check(inst, server, agent, qid, how):
    """Ask for delivery as how says; the message must be delivered."""
    if how == "etrn":
        replies = dialogue(server.port, ["EHLO x", f"ETRN {SITE}", "QUIT"])
        assert replies[2] == "250 Queuing started"
    elif how == "postfix flush":
        r = inst.run("postfix", "flush")
        assert r.returncode == 0, r.stdout + r.stderr
    else:
        args = {"postqueue -s": ["-s", SITE], "postqueue -i": ["-i", qid],
                "postqueue -f": ["-f"]}[how]
        r = inst.run("postqueue", *args)
        assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    inst.wait_for_log(f"{qid}: removed", WAIT)
    text = inst.log_text()
    assert [r["queue_id"] for r in agent.requests] == [qid]
    # No complaints from flush(8) (master's wakeup "W" included).
    assert not re.search(r"flush\[\d+\]: (warning|error|fatal)", text), \
        "\n".join(line for line in text.splitlines() if "flush[" in line)
    if how in ("etrn", "postqueue -s"):
        # The log was emptied when it was read.
        assert flush_log(inst) == ""
    assert not list(inst.queue_dir.glob(f"*/**/{qid}"))


def test_etrn_differential(inst, shared_tmp):
    """Every ETRN reply and smtpd warning as Debian's; no mail queued.
    (Debian never matches an address literal, even one that is listed.)"""
    settings = dict(relay_domains=f"{SITE}, other.example",
                    fast_flush_domains=f"{SITE}, other.example, [127.0.0.1]")
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        mine, theirs = diff_dialogue(ours, debian, ETRN_LINES)
        assert mine == theirs
        for side in (ours, debian):
            side.wait_disconnects(1, WAIT)
        # Warnings and the disconnect line's etrn=<ok>/<total> counts.
        logs = [side.smtpd_log() for side in (ours, debian)]
        assert logs[0] == logs[1]
        assert "smtpd: warning: reject: ETRN nothere.example... from " \
            "localhost[127.0.0.1]" in logs[0]


def test_etrn_and_postqueue_without_flush_service(inst):
    """flush(8) down: eligible sites fail as Postfix's, others are
    refused without a connection (texts observed with Debian)."""
    with ours_smtpd(inst, without=("flush",),
                    relay_domains=SITE) as server:
        replies = dialogue(server.port, ["EHLO x", f"ETRN {SITE}",
                                         "ETRN nothere.example", "QUIT"])
        assert replies[2:4] == ["458 Unable to queue messages",
                                "459 <nothere.example>: service unavailable"]
        text = inst.wait_for_log("reject: ETRN nothere.example", WAIT)
        assert re.search(r"smtpd\[\d+\]: warning: connect to public/flush: ",
                         text)
        assert "smtpd" in text and \
            "warning: unable to talk to fast flush service" in text
        down = ("postqueue: warning: connect to public/flush: ",
                "postqueue: fatal: Cannot flush mail queue - mail system "
                "is down\n")
        for args in (["-s", SITE], ["-s", SITE.upper()], ["-i", "ABCDEF123"]):
            r = inst.run("postqueue", *args)
            assert r.returncode == EX_UNAVAILABLE
            assert r.stderr.startswith(down[0]) and r.stderr.endswith(down[1])
        for args, err in [
                (["-s", "nothere.example"], "Flush service is not configured "
                 "for destination \"nothere.example\""),
                (["-s", "[127.0.0.1]"], "Flush service is not configured "
                 "for destination \"[127.0.0.1]\""),
                (["-s", "bad..x"], "Cannot flush mail queue - invalid "
                 "destination: \"bad..x\""),
                (["-i", "bad/id"], "Cannot flush queue ID - invalid name: "
                 "\"bad/id\"")]:
            r = inst.run("postqueue", *args)
            assert (r.returncode, r.stderr) == \
                (EX_UNAVAILABLE, f"postqueue: fatal: {err}\n"), args


def test_flush_logs_differential(inst, shared_tmp):
    """The same deferrals give the same flush/ files as Debian's."""
    settings = dict(SETTINGS, transport_maps=transport(shared_tmp))
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        spools = (inst.queue_dir, debian.config_dir.parent / "spool")
        listings = []
        for side, spool in zip((ours, debian), spools):
            qids = [send(side.port, f"u@{SITE}"),
                    send(side.port, "v@other.example"),
                    send(side.port, f"x@{SITE}")]
            _wait_until(lambda: side.log_text().count("status=deferred") >= 3,
                       "three deferrals")

            def listing():
                files = {}
                for f in sorted((spool / "flush").iterdir()):
                    text = f.read_text()
                    for n, qid in enumerate(qids):
                        text = text.replace(qid, f"QID{n}")
                    files[f.name] = ("".join(sorted(text.splitlines(True))),
                                     oct(f.stat().st_mode & 0o7777))
                return files
            _wait_until(lambda: sorted(len(v[0]) for v in listing().values())
                       == [5, 10], "two flush logs with three entries")
            listings.append(listing())
        assert listings[0] == listings[1]
        assert listings[0]["etrn_example"] == ("QID0\nQID2\n", "0o600")
        assert listings[0]["other_example"] == ("QID1\n", "0o600")


POSTQUEUE_CASES = [["-s", "nothere.example"], ["-s", "[127.0.0.1]"],
                   ["-s", "[IPv6:::1]"], ["-s", "[::1]"], ["-s", f"{SITE}."],
                   ["-s", "bad..x"], ["-i", "bad/id"], ["-i", "ABCDEF123"],
                   ["-s", SITE], ["-s"], ["-f", "-s", SITE]]


def test_postqueue_differential(inst, shared_tmp):
    """postqueue -s/-i and postfix flush: output and exit status as
    Debian's."""
    settings = dict(relay_domains=SITE)
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for args in POSTQUEUE_CASES:
            mine = inst.run("postqueue", *args)
            theirs = subprocess.run(
                ["/usr/sbin/postqueue", "-c", str(debian.config_dir), *args],
                capture_output=True, text=True, timeout=60)
            assert (mine.returncode, mine.stdout, mine.stderr) == \
                (theirs.returncode, theirs.stdout, theirs.stderr), args
        mine = inst.run("postfix", "flush")
        theirs = subprocess.run(
            ["/usr/sbin/postfix", "-c", str(debian.config_dir), "flush"],
            capture_output=True, text=True, timeout=60)
        assert (mine.returncode, mine.stdout, mine.stderr) == \
            (theirs.returncode, theirs.stdout, theirs.stderr)


def flush_request(inst, attrs, raw=None):
    """One request to public/flush; returns the reply as a list."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(30)
    try:
        sock.connect(str(inst.queue_dir / "public/flush"))
        reader = Reader(sock)
        greeting = reader.message()
        assert greeting == [("protocol", "flush")]
        sock.sendall(raw if raw is not None else encode(attrs))
        return reader.message()
    finally:
        sock.close()


def s(name, value):
    return ("s", name, value)


def test_bad_requests(inst):
    with ours_smtpd(inst, relay_domains=SITE):
        proto = s("protocol", "flush")
        # Status replies: 2 bad site or ID, 3 not eligible, 0 done.
        cases = [
            ([proto, s("request", "add"), s("site", "bad..x"),
              s("queue_id", "ABCDEF123")], 2),
            ([proto, s("request", "add"), s("site", SITE),
              s("queue_id", "bad/id")], 2),
            ([proto, s("request", "add"), s("site", "nothere.example"),
              s("queue_id", "ABCDEF123")], 3),
            ([proto, s("request", "send_site"), s("site", "../x")], 2),
            ([proto, s("request", "send_site"), s("site", "other.example")],
             3),
            ([proto, s("request", "send_file"), s("queue_id", "../x")], 2),
            ([proto, s("request", "send_file"), s("queue_id", "ABCDEF123")],
             0),
            ([proto, s("request", "add"), s("site", SITE.upper()),
              s("queue_id", "ABCDEF123")], 0),
        ]
        for attrs, status in cases:
            assert flush_request(inst, attrs) == [("status", status)], attrs
        assert flush_log(inst) == "ABCDEF123\n"
        # Refused: status -1 with a reason, and a warning.
        refused = [
            ([s("protocol", "bounce"), s("request", "add")],
             "unexpected protocol bounce"),
            ([proto], "missing attribute request"),
            ([proto, s("request", "explode")], 'unknown request "explode"'),
            ([proto, s("request", "add"), s("site", SITE)],
             "missing attribute queue_id"),
            ([proto, s("request", "send_site")], "missing attribute site"),
            ([proto, s("request", "send_site"), s("site", "x" * 2000)],
             None),
        ]
        for attrs, reason in refused:
            if reason is None:
                # Over the value limit: the connection is just dropped.
                with pytest.raises(Exception):
                    flush_request(inst, attrs)
                inst.wait_for_log("value longer than 1024 bytes", WAIT)
                continue
            reply = flush_request(inst, attrs)
            assert first(reply, "status") == -1, attrs
            assert first(reply, "reason") == reason
            inst.wait_for_log(f"bad request: {reason}", WAIT)
        # The service is still there.
        assert flush_request(inst, [proto, s("request", "purge")]) == \
            [("status", 0)]


def test_refresh_and_purge_logs(inst):
    """refresh sends a log not read for fast_flush_refresh_time and
    removes an empty one older than fast_flush_purge_time."""
    table = transport(inst.config_dir, "fake:")
    with ours_smtpd(inst, transport_maps=table, fast_flush_refresh_time="1s",
                    fast_flush_purge_time="1s", **FAKE_SETTINGS) as server:
        qid, agent = deferred_message(inst, server)
        try:
            refresh_and_check(inst, qid)
        finally:
            agent.stop()


def refresh_and_check(inst, qid):
    """Make the logs old, ask for a refresh, see the results."""
    old = time.time() - 3600
    empty = inst.queue_dir / "flush/other_example"
    empty.write_text("")
    os.utime(empty, (old, old))
    path = inst.queue_dir / "flush" / SITE.replace(".", "_")
    os.utime(path, (old, old))
    reply = flush_request(inst, [s("protocol", "flush"),
                                 s("request", "refresh")])
    assert reply == [("status", 0)]
    inst.wait_for_log(f"{qid}: removed", WAIT)
    _wait_until(lambda: not empty.exists(), "removal of the empty log")
    assert flush_log(inst) == ""


class TriggerSink(_Server):
    """A stand-in for public/qmgr (a UNIX socket) that records the bytes
    of each trigger connection. Connections are served one at a time, in
    the acceptor thread, so that the triggers keep their order."""

    def __init__(self, path):
        self.triggers = []
        super().__init__(path)

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(10)
            self._serve(conn)

    def handle(self, conn):
        data = b""
        while chunk := conn.recv(100):
            data += chunk
        with self.lock:
            self.triggers.append(data)


def test_queue_files_and_qmgr_triggers(inst):
    """What happens to the queue files, and which triggers qmgr gets, as
    Debian's flush was seen to do: -i marks (group read) touches and moves
    the file and sends "I"; -s sends "F", touches and moves every listed
    file (a file already in incoming/ is only touched), then "I"."""
    with ours_smtpd(inst, without=("qmgr",), relay_domains=SITE):
        sink = TriggerSink(inst.queue_dir / "public/qmgr")
        try:
            future = time.time() + 3600
            ids = ["ABCDEF123", "BCDEF1234"]
            pw = pwd.getpwnam(inst.owner)
            for qid in ids:
                d = inst.queue_dir / "deferred" / qid[0]
                d.mkdir(parents=True, exist_ok=True)
                os.chown(d, pw.pw_uid, pw.pw_gid)
                os.chmod(d, 0o700)
                f = d / qid
                f.write_text("not read by flush\n")
                os.chown(f, pw.pw_uid, pw.pw_gid)
                os.chmod(f, 0o600)
                os.utime(f, (future, future))
                assert flush_request(inst, [s("protocol", "flush"),
                                            s("request", "add"),
                                            s("site", SITE),
                                            s("queue_id", qid)]) == \
                    [("status", 0)]
            incoming = inst.queue_dir / "incoming"

            r = inst.run("postqueue", "-i", ids[0])
            assert (r.returncode, r.stderr) == (0, "")
            st = (incoming / ids[0]).stat()
            # The flush mark (group read), and the owner execute bit
            # that every complete file in incoming/ has.
            assert st.st_mode & 0o777 == 0o740
            assert st.st_mtime < future - 60
            _wait_until(lambda: sink.triggers == [b"I"], "trigger I")
            # Not in the queue: nothing to do, no trigger.
            r = inst.run("postqueue", "-i", "CDEF12345")
            assert (r.returncode, r.stderr) == (0, "")

            os.utime(incoming / ids[0], (future, future))
            r = inst.run("postqueue", "-s", SITE)
            assert (r.returncode, r.stderr) == (0, "")
            st = (incoming / ids[1]).stat()
            assert st.st_mode & 0o777 == 0o700
            assert st.st_mtime < future - 60
            assert (incoming / ids[0]).stat().st_mtime < future - 60
            assert not list((inst.queue_dir / "deferred").rglob("*D*"))
            assert flush_log(inst) == ""
            _wait_until(lambda: sink.triggers == [b"I", b"F", b"I"],
                       "triggers F and I")
            # An empty log: still "F", no "I".
            r = inst.run("postqueue", "-s", SITE)
            assert (r.returncode, r.stderr) == (0, "")
            _wait_until(lambda: sink.triggers == [b"I", b"F", b"I", b"F"],
                       "trigger F")
        finally:
            sink.stop()


@pytest.mark.parametrize("how", ["etrn", "postqueue -i"])
def test_flush_overrides_defer_transports(inst, how):
    """ETRN_README's "ETRN only" domain: mail for a transport in
    $defer_transports is delivered when ETRN (or postqueue -i) asks for
    it, without a configuration change (observed with Debian's Postfix)."""
    table = transport(inst.config_dir)
    with ours_smtpd(inst, transport_maps=table, **SETTINGS) as server:
        qid = send(server.port, f"u@{SITE}")
        inst.wait_for_log(f"{qid}: to=<u@{SITE}>", WAIT)
        _wait_until(lambda: qid in (flush_log(inst) or ""), "the flush log")
        if how == "etrn":
            replies = dialogue(server.port, ["EHLO x", f"ETRN {SITE}", "QUIT"])
            assert replies[2] == "250 Queuing started"
        else:
            r = inst.run("postqueue", "-i", qid)
            assert (r.returncode, r.stderr) == (0, "")
        inst.wait_for_log(f"{qid}: removed", 15)
