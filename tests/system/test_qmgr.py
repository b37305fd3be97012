"""System tests for qmgr(8).

Each test starts the installed master(8) on a private instance (the Master
class of test_master.py) whose master.cf runs trivial-rewrite and qmgr.
Queue files are written straight into incoming/ (or active/) with
queuefile.py; the delivery agent is tests/system/fake_agent.py listening on
private/<transport> (default_transport = fake), and the bounce, defer and
trace services are fake_agent's FakeBounce, so the scheduler is tested
without the real agents.

What is checked: Postfix's log lines ("<id>: from=<s>, size=N, nrcpt=N
(queue active)", "<id>: removed", "status=expired, returned to sender"),
the request contents, recipient limits per request, destination
concurrency limits (replies are held back until the test has looked, so
nothing depends on timing), deferral with a retry time in the future and
the retry, expiry and forced expiry, delay warnings (W record reset),
defer_transports and deferrals through the retry agent, an unreachable
transport, agent crashes, malformed replies and reply timeouts, dead
destinations, rate delays, turns between messages, triggers, memory
limits, corrupt files, recovery of active/ after qmgr was killed, and a
mixed load. Two differential tests run the same mail through Debian's
Postfix (root only; skipped otherwise) and compare qmgr's and error's log
lines. With QMGR_VALGRIND=<dir> qmgr runs under valgrind (logs in dir);
with QMGR_TEST_LOG=1 the maillogs are printed. Every wait is bounded.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import threading
import time

import pytest

from fake_agent import FakeAgent, FakeBounce
from queuefile import queue_file
from smtp_dialogue import debian_smtpd, dialogue, our_instance, ours_smtpd
from ports import free_port
from test_master import Master, proc_alive, wait_until

TIMEOUT = 15.0
QUEUES = ("incoming", "active", "deferred", "corrupt", "hold", "bounce",
          "defer", "trace", "saved")
LINES = ["Subject: test", "", "body"]
LOG_SIZE = sum(len(line) + 2 for line in LINES)  # Postfix counts CRLF
_counter = [0x10000]


def next_id():
    """A fresh, valid short queue ID."""
    _counter[0] += 1
    return "%05X%X" % (_counter[0] & 0xFFFFF, 0xABC000 + _counter[0])


@pytest.fixture
def qm(install_root, test_daemons, shared_tmp):
    """Unprivileged instance with trivial-rewrite and qmgr."""
    m = Master(install_root, test_daemons, shared_tmp, privileged=False)
    m.master_cf("rewrite unix - - n - - trivial-rewrite\n"
                "qmgr unix n - n 300 1 qmgr\n")
    m.main_cf(default_transport="fake", mydestination="",
              relay_domains="", queue_run_delay="1s",
              minimal_backoff_time="1s", maximal_backoff_time="2s")
    for name in QUEUES:
        path = m.queue / name
        path.mkdir(exist_ok=True)
        os.chmod(path, 0o700)
        if m.run_as:
            os.lchown(path, *m.run_as)
    m.servers = []
    vg = os.environ.get("QMGR_VALGRIND")  # a directory for valgrind logs
    if vg:
        link = m.libexec / "qmgr"
        real = os.path.realpath(link)
        link.unlink()
        link.write_text("#!/bin/sh\nexec valgrind -q --error-limit=no"
                        f" --leak-check=no --log-file={vg}/qmgr.%p {real}"
                        ' "$@"\n')
        os.chmod(link, 0o755)
    yield m
    if os.environ.get("QMGR_TEST_LOG"):
        print(m.log())
    for server in m.servers:
        server.stop()
    m.cleanup()


def agent(m, transport="fake", **kw):
    a = FakeAgent(m.queue, transport, owner=m.run_as, **kw)
    m.servers.append(a)
    return a


def bounce_services(m):
    services = {name: FakeBounce(m.queue, name, owner=m.run_as)
                for name in ("bounce", "defer", "trace")}
    m.servers.extend(services.values())
    return services


def put(m, rcpts, queue="incoming", sender="alice@example.test",
        arrival=None, envelope=(), qid=None, mode=None):
    """Write a queue file; return its queue ID. In incoming/ the file is
    ready (mode 0700, as cleanup commits it) unless mode says otherwise."""
    qid = qid or next_id()
    arrival = arrival if arrival is not None else time.time()
    env = list(envelope) + [("R", r) for r in rcpts]
    data = queue_file(env, LINES, arrival="%d.%06d" % (int(arrival), 0),
                      sender=sender,
                      before_sender=["create_time=%d" % int(arrival),
                                     "rewrite_context=local"])
    path = m.queue / queue / qid
    path.write_bytes(data)
    if mode is None:
        mode = 0o700 if queue == "incoming" else 0o600
    os.chmod(path, mode)
    if m.run_as:
        os.lchown(path, *m.run_as)
    return qid


def find_file(m, queue, qid):
    for dirpath, _, filenames in os.walk(m.queue / queue):
        if qid in filenames:
            return os.path.join(dirpath, qid)
    return None


def trigger(m, data=b"W"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect(str(m.public("qmgr")))
    s.sendall(data)
    s.close()


def qmgr_pids(m):
    return m.service_pids("qmgr")


# ------------------------------------------------------------ basics

def test_delivery_and_log_lines(qm):
    """Messages are delivered and removed, with Postfix's log lines."""
    a = agent(qm)
    ids = [put(qm, ["bob@example.com"]) for _ in range(3)]
    qm.start()
    for qid in ids:
        qm.wait_log(f"{qid}: removed", TIMEOUT)
    log = qm.log()
    for qid in ids:
        assert (f"{qid}: from=<alice@example.test>, size={LOG_SIZE},"
                f" nrcpt=1 (queue active)") in log
        assert find_file(qm, "active", qid) is None
        assert find_file(qm, "incoming", qid) is None
    reqs = {r["queue_id"]: r for r in a.requests}
    assert sorted(reqs) == sorted(ids)
    for r in reqs.values():
        assert r["queue_name"] == "active"
        assert r["nexthop"] == "example.com"
        assert r["sender"] == "alice@example.test"
        assert r["rcpts"] == ["bob@example.com"]
        assert r["data_size"] == LOG_SIZE  # as logged: line ends count
        assert r["protocol"] == "delivery"


def test_null_sender_and_done_recipients(qm):
    """The null sender logs as <>; D recipients are not delivered again."""
    a = agent(qm)
    qid = put(qm, ["x@example.com"], sender="",
              envelope=[("D", "old@example.com")])
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert f"{qid}: from=<>, size={LOG_SIZE}, nrcpt=1 (queue active)" \
        in qm.log()
    assert [r["rcpts"] for r in a.requests] == [["x@example.com"]]


def test_wakeup_trigger(qm):
    """A W trigger makes qmgr scan incoming/ at once."""
    a = agent(qm)
    qm.start()
    wait_until(lambda: qmgr_pids(qm), "qmgr to start")
    time.sleep(0.5)
    qid = put(qm, ["bob@example.com"])
    trigger(qm)
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert len(a.requests) == 1


def test_not_ready_file_waits(qm):
    """A file in incoming/ without the owner execute bit is still being
    written by cleanup: qmgr leaves it alone, scan after scan; once it is
    ready (mode 0700) a wake-up delivers it."""
    a = agent(qm)
    waiting = put(qm, ["bob@example.com"], mode=0o600)
    ready = put(qm, ["carol@example.com"])
    qm.start()
    qm.wait_log(f"{ready}: removed", TIMEOUT)
    time.sleep(2.5)  # queue_run_delay is 1s: two more scans
    trigger(qm)
    time.sleep(0.5)
    assert f"{waiting}:" not in qm.log()
    assert find_file(qm, "incoming", waiting)
    assert [r["queue_id"] for r in a.requests] == [ready]
    os.chmod(qm.queue / "incoming" / waiting, 0o700)
    trigger(qm)
    qm.wait_log(f"{waiting}: removed", TIMEOUT)
    assert [r["queue_id"] for r in a.requests] == [ready, waiting]


def test_recovered_active_file_is_made_ready(qm):
    """A file in active/ at start goes back to incoming/ ready, even when
    it was committed with mode 0600 (released from hold/ by postsuper -H,
    through deferred/), and is delivered."""
    a = agent(qm)
    qid = put(qm, ["bob@example.com"], queue="active")
    assert (qm.queue / "active" / qid).stat().st_mode & 0o777 == 0o600
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert [r["queue_id"] for r in a.requests] == [qid]


# ------------------------------------------------------------ limits

def test_recipient_limit(qm):
    """At most $<transport>_destination_recipient_limit per request."""
    qm.main_cf(fake_destination_recipient_limit="3")
    a = agent(qm)
    rcpts = [f"u{i}@example.com" for i in range(7)]
    qid = put(qm, rcpts)
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    sizes = sorted(len(r["rcpts"]) for r in a.requests)
    assert sizes == [1, 3, 3]
    delivered = sorted(x for r in a.requests for x in r["rcpts"])
    assert delivered == sorted(rcpts)
    assert f"nrcpt=7 (queue active)" in qm.log()


def test_recipient_limit_groups_by_domain(qm):
    """One request per next hop; domains are never mixed."""
    a = agent(qm)
    qid = put(qm, ["a@one.example", "b@two.example", "c@one.example"])
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    got = sorted((r["nexthop"], sorted(r["rcpts"])) for r in a.requests)
    assert got == [("one.example", ["a@one.example", "c@one.example"]),
                   ("two.example", ["b@two.example"])]


def test_destination_concurrency_limit(qm):
    """No more than the limit in parallel to one destination; another
    destination has its own window."""
    qm.main_cf(fake_destination_concurrency_limit="2")
    hold = threading.Event()
    a = agent(qm, hold=hold)
    ids = [put(qm, [f"u{i}@example.com"]) for i in range(6)]
    other = put(qm, ["v@other.example"])
    qm.start()
    try:
        wait_until(lambda: a.active_now >= 3, "three deliveries", TIMEOUT)
        time.sleep(1.0)  # room for a violation to show
        with a.lock:
            busy = [r["nexthop"] for r in a.requests]
        assert busy.count("example.com") == 2
        assert busy.count("other.example") == 1
    finally:
        hold.set()
    for qid in ids + [other]:
        qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert a.active_max <= 3


def test_backlog_sets_connection_store_flag(qm):
    """A request is flagged "connection store" (16) while more entries
    wait for the same destination, and not for the last one or a lone
    message, so that the SMTP client caches connections on demand."""
    qm.main_cf(fake_destination_concurrency_limit="1")
    a = agent(qm)
    ids = [put(qm, [f"u{i}@example.com"]) for i in range(4)]
    lone = put(qm, ["v@other.example"])
    qm.start()
    for qid in ids + [lone]:
        qm.wait_log(f"{qid}: removed", TIMEOUT)
    with a.lock:
        order = [(r["queue_id"], int(r["flags"])) for r in a.requests]
    flags = dict(order)
    mine = [f for q, f in order if q in ids]
    # One at a time: while others wait, the flag is set; the last one
    # has nobody behind it (how many are queued when the first goes
    # depends on how far qmgr's scan got, so only "some" is pinned).
    assert any(f & 16 for f in mine[:-1]), order
    assert not mine[-1] & 16, order
    assert not flags[lone] & 16, order


def test_recipient_limit_one_is_per_recipient(qm):
    """With recipient limit 1 the concurrency limit is per recipient."""
    qm.main_cf(fake_destination_recipient_limit="1",
               fake_destination_concurrency_limit="1")
    hold = threading.Event()
    a = agent(qm, hold=hold)
    qid = put(qm, [f"u{i}@example.com" for i in range(3)])
    qm.start()
    try:
        wait_until(lambda: a.active_now >= 2, "parallel recipients", TIMEOUT)
    finally:
        hold.set()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert all(len(r["rcpts"]) == 1 for r in a.requests)
    assert len(a.requests) == 3


# ------------------------------------------------------------ deferral

def test_deferred_then_retried(qm):
    """A deferred recipient sends the file to deferred/ with its next
    retry time as mtime; it is retried and then removed."""
    attempts = {}

    def policy(address):
        attempts[address] = attempts.get(address, 0) + 1
        if attempts[address] == 1:
            return ("deferred", "4.2.0")
        return ("sent", "2.0.0")

    bounce_services(qm)
    a = agent(qm, policy=policy)
    qm.main_cf(minimal_backoff_time="3s", maximal_backoff_time="3s")
    qid = put(qm, ["bob@example.com"])
    before = time.time()
    qm.start()
    wait_until(lambda: find_file(qm, "deferred", qid), "deferred file",
               TIMEOUT)
    mtime = os.stat(find_file(qm, "deferred", qid)).st_mtime
    assert mtime > before + 1
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert len(a.requests) == 2
    assert qm.log().count(f"{qid}: from=<alice@example.test>") == 2


def test_expiry(qm):
    """Past maximal_queue_lifetime a deferred message is returned."""
    services = bounce_services(qm)
    agent(qm, policy=lambda a: ("deferred", "4.2.0"))
    qm.main_cf(maximal_queue_lifetime="1h")
    qid = put(qm, ["bob@example.com"], arrival=time.time() - 7200)
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert (f"{qid}: from=<alice@example.test>, status=expired,"
            " returned to sender") in qm.log()
    assert "FLUSH" in services["defer"].kinds()
    assert find_file(qm, "deferred", qid) is None


def test_bounce_queue_lifetime_for_null_sender(qm):
    """bounce_queue_lifetime applies to the null sender."""
    services = bounce_services(qm)
    agent(qm, policy=lambda a: ("deferred", "4.2.0"))
    qm.main_cf(maximal_queue_lifetime="5d", bounce_queue_lifetime="1h")
    old = put(qm, ["bob@example.com"], sender="", arrival=time.time() - 7200)
    young = put(qm, ["bob@example.com"], arrival=time.time() - 7200)
    qm.start()
    qm.wait_log(f"{old}: removed", TIMEOUT)
    assert f"{old}: from=<>, status=expired, returned to sender" in qm.log()
    wait_until(lambda: find_file(qm, "deferred", young), "deferred", TIMEOUT)
    assert f"{young}: from=<alice@example.test>, status=expired" \
        not in qm.log()
    assert services["defer"].kinds().count("FLUSH") == 1


def test_delay_warning(qm):
    """When the W record's time has come a delay warning is asked for
    and W becomes 0 in the file."""
    services = bounce_services(qm)
    agent(qm, policy=lambda a: ("deferred", "4.2.0"))
    qm.main_cf(delay_warning_time="1h", minimal_backoff_time="60s",
               maximal_backoff_time="60s")
    warn = "%d" % (int(time.time()) - 10)
    qid = put(qm, ["bob@example.com"], envelope=[("W", warn)])
    qm.start()
    wait_until(lambda: find_file(qm, "deferred", qid), "deferred", TIMEOUT)
    assert services["defer"].kinds().count("WARN") == 1
    data = open(find_file(qm, "deferred", qid), "rb").read()
    assert b"W%d %s\n" % (len(warn), b"0" * len(warn)) in data


def test_bounce_log_flushed(qm):
    """A bounced recipient: bounce_flush, then the file is removed."""
    services = bounce_services(qm)

    def policy(address):
        return ("bounced", "5.1.1")

    a = agent(qm, policy=policy)
    qid = put(qm, ["nobody@example.com"])
    # The agent's bounce_append is the real library's job; the fake
    # agent only marks D, so make the bounce log exist ourselves.
    (qm.queue / "bounce" / qid).write_text("x\n\n")
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert services["bounce"].kinds() == ["FLUSH"]
    assert len(a.requests) == 1


def test_defer_transports(qm):
    """Recipients of a transport in $defer_transports wait, unattempted."""
    services = bounce_services(qm)
    a = agent(qm)
    qm.main_cf(defer_transports="fake", minimal_backoff_time="60s",
               maximal_backoff_time="60s")
    qid = put(qm, ["bob@example.com"])
    qm.start()
    wait_until(lambda: find_file(qm, "deferred", qid), "deferred", TIMEOUT)
    assert a.requests == []
    appends = [r for r in services["defer"].requests
               if r["request"] == "APPEND"]
    assert [r["reason"] for r in appends] == ["deferred transport"]
    assert [r["status"] for r in appends] == ["4.3.2"]


def test_transport_unavailable(qm):
    """No agent behind private/<transport>: deferred, with a warning."""
    services = bounce_services(qm)
    qm.main_cf(default_transport="nosuch", minimal_backoff_time="60s",
               maximal_backoff_time="60s")
    qid = put(qm, ["bob@example.com", "carol@example.com",
                   "dave@other.example"])
    qid2 = put(qm, ["erin@third.example"])
    qm.start()
    for q in (qid, qid2):
        wait_until(lambda: find_file(qm, "deferred", q), "deferred", TIMEOUT)
    qm.wait_log("warning: connect to transport private/nosuch:", TIMEOUT)
    reasons = [r["reason"] for r in services["defer"].requests]
    assert reasons == ["mail transport unavailable"] * 4


def test_agent_crash(qm):
    """No reply: qmgr defers the recipients itself."""
    services = bounce_services(qm)
    agent(qm, policy=lambda a: ("crash", None))
    qm.main_cf(minimal_backoff_time="60s", maximal_backoff_time="60s")
    qid = put(qm, ["bob@example.com"])
    qm.start()
    wait_until(lambda: find_file(qm, "deferred", qid), "deferred", TIMEOUT)
    reasons = [r["reason"] for r in services["defer"].requests]
    assert reasons == ["unknown mail transport error"]


def test_dead_destination(qm):
    """A dead next hop: the other recipients there are deferred without
    a delivery attempt."""
    services = bounce_services(qm)
    a = agent(qm, policy=lambda addr: ("dead", "4.4.1"))
    qm.main_cf(fake_destination_concurrency_limit="1",
               minimal_backoff_time="60s", maximal_backoff_time="60s")
    ids = [put(qm, [f"u{i}@dead.example"]) for i in range(3)]
    qm.start()
    for qid in ids:
        wait_until(lambda: find_file(qm, "deferred", qid), "deferred",
                   TIMEOUT)
    assert len(a.requests) == 1
    reasons = [r["reason"] for r in services["defer"].requests]
    assert len(reasons) == 2
    assert all(r.startswith("delivery temporarily suspended") for r in reasons)


# ------------------------------------------------------------ robustness

def test_corrupt_file(qm):
    """A damaged file goes to corrupt/ with a warning; others flow."""
    a = agent(qm)
    bad = next_id()
    path = qm.queue / "incoming" / bad
    path.write_bytes(b"Q14 postel-queue 1\nS3 bad\n")
    os.chmod(path, 0o700)  # committed (ready), but damaged
    if qm.run_as:
        os.lchown(path, *qm.run_as)
    good = put(qm, ["bob@example.com"])
    qm.start()
    qm.wait_log(f"{good}: removed", TIMEOUT)
    qm.wait_log(f"warning: {bad}:", TIMEOUT)
    assert "move to the corrupt queue" in qm.log()
    assert find_file(qm, "corrupt", bad)
    assert len(a.requests) == 1


def test_active_recovered_at_start(qm):
    """A file left in active/ is delivered when qmgr starts."""
    a = agent(qm)
    qid = put(qm, ["bob@example.com"], queue="active")
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert len(a.requests) == 1


def test_kill_qmgr_during_delivery(qm):
    """kill -9 of qmgr while an agent works: nothing is lost; the new
    qmgr takes the file back from active/ and delivers it."""
    hold = threading.Event()

    def policy(address):
        # The first request never gets a reply (as if its agent died with
        # qmgr), whichever handler thread runs first after the hold.
        return ("crash", None) if a.current.index == 0 else ("sent", "2.0.0")

    a = agent(qm, hold=hold, policy=policy)
    qid = put(qm, ["bob@example.com"])
    qm.start()
    wait_until(lambda: a.active_now >= 1, "a delivery", TIMEOUT)
    pids = qmgr_pids(qm)
    assert len(pids) == 1
    os.kill(pids[0], signal.SIGKILL)
    wait_until(lambda: not proc_alive(pids[0]), "qmgr to die", TIMEOUT)
    assert find_file(qm, "active", qid) or find_file(qm, "incoming", qid)
    hold.set()
    deadline = time.time() + TIMEOUT
    while f"{qid}: removed" not in qm.log() and time.time() < deadline:
        try:
            trigger(qm)
        except OSError:
            pass
        time.sleep(0.5)
    assert f"{qid}: removed" in qm.log()
    assert [r["queue_id"] for r in a.requests] == [qid, qid]


# ------------------------------------------------------------ more envelope

def test_force_expired(qm):
    """postsuper -e/-f (S record flag 2): no delivery attempt, returned
    to the sender, as Postfix 3.7 logs it."""
    services = bounce_services(qm)
    a = agent(qm)
    qid = next_id()
    data = queue_file([("R", "bob@example.com")], LINES, qflags=2,
                      arrival="%d.000000" % int(time.time()))
    path = qm.queue / "incoming" / qid
    path.write_bytes(data)
    os.chmod(path, 0o700)  # ready, as cleanup commits it
    if qm.run_as:
        os.lchown(path, *qm.run_as)
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert (f"{qid}: from=<alice@example.test>, status=force-expired,"
            " returned to sender") in qm.log()
    assert a.requests == []
    kinds = services["defer"].kinds()
    assert kinds == ["APPEND", "FLUSH"]


def test_bounce_lifetime_adjusted(qm):
    """Postfix's warning when bounce_queue_lifetime > maximal_queue_lifetime."""
    agent(qm)
    qm.main_cf(maximal_queue_lifetime="1d", bounce_queue_lifetime="2d")
    qm.start()
    qm.wait_log("warning: bounce_queue_lifetime is larger than"
                " maximal_queue_lifetime - adjusting bounce_queue_lifetime",
                TIMEOUT)


def test_deferred_scan_hashed_and_due(qm):
    """deferred/ is scanned with its hash directories; only files whose
    retry time (mtime) has come are taken."""
    a = agent(qm)
    due = put(qm, ["due@example.com"], queue="deferred")
    later = put(qm, ["later@example.com"], queue="deferred")
    for qid, when in ((due, time.time() - 10), (later, time.time() + 3600)):
        src = qm.queue / "deferred" / qid
        sub = qm.queue / "deferred" / qid[0]
        sub.mkdir(exist_ok=True)
        if qm.run_as:
            os.lchown(sub, *qm.run_as)
        os.rename(src, sub / qid)
        os.utime(sub / qid, (when, when))
    qm.start()
    qm.wait_log(f"{due}: removed", TIMEOUT)
    time.sleep(2.5)  # two more queue runs ($queue_run_delay = 1s)
    assert find_file(qm, "deferred", later)
    assert [r["queue_id"] for r in a.requests] == [due]


def test_content_filter_and_redirect(qm):
    """The I record overrides transport and next hop; J replaces the
    recipients."""
    a = agent(qm)
    f = agent(qm, transport="filter")
    filtered = put(qm, ["bob@example.com"],
                   envelope=[("I", "filter:[127.0.0.1]:10025")])
    redirected = put(qm, ["bob@example.com"],
                     envelope=[("J", "carol@elsewhere.example")])
    qm.start()
    qm.wait_log(f"{filtered}: removed", TIMEOUT)
    qm.wait_log(f"{redirected}: removed", TIMEOUT)
    assert [(r["nexthop"], r["rcpts"]) for r in f.requests] == \
        [("[127.0.0.1]:10025", ["bob@example.com"])]
    assert [(r["nexthop"], r["rcpts"]) for r in a.requests] == \
        [("elsewhere.example", ["carol@elsewhere.example"])]


def test_rate_delay(qm):
    """With a rate delay, one delivery at a time per destination, each
    after the delay (here 1s; checked through the order of events, not
    by measuring)."""
    qm.main_cf(fake_destination_rate_delay="1s")
    a = agent(qm)
    ids = [put(qm, [f"u{i}@example.com"]) for i in range(3)]
    qm.start()
    for qid in ids:
        qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert a.active_max == 1
    times = sorted(r["time"] for r in a.requests)
    assert times[2] - times[0] >= 1.5


# ------------------------------------------------------------ differential

@contextlib.contextmanager
def _debian(base, **settings):
    """debian_smtpd(), tried twice: its "postfix start" has been seen to
    fail once, without output, while other instances started."""
    for attempt in (1, 2):
        path = os.path.join(str(base), f"attempt{attempt}")
        os.makedirs(path)
        os.chmod(path, 0o755)
        manager = debian_smtpd(path, **settings)
        try:
            server = manager.__enter__()
        except AssertionError:
            if attempt == 2:
                raise
            continue
        try:
            yield server
        finally:
            manager.__exit__(None, None, None)
        return


def _qmgr_lines(text):
    """qmgr's lines of a maillog, queue IDs replaced, in order."""
    out = []
    for line in text.splitlines():
        m = re.search(r"postfix/qmgr\[\d+\]: (.*)$", line)
        if m:
            out.append(re.sub(r"^[0-9A-Za-z]{10,20}: ", "QUEUEID: ",
                              m.group(1)))
    return out


def test_differential_discard(request, shared_tmp):
    """Same message to Debian's Postfix and to ours, default_transport =
    discard: qmgr logs the same lines."""
    inst = our_instance(request)
    template = (inst.root / "etc/postfix/master.cf").read_text()
    extra = "" if re.search(r"^discard\s", template, re.M) else \
        "discard unix - - n - - discard\n"
    settings = dict(default_transport="discard")
    lines = ["EHLO client.example", "MAIL FROM:<alice@client.example>",
             "RCPT TO:<a@example.com>", "RCPT TO:<b@example.com>", "DATA",
             "Subject: t\r\nMessage-ID: <m1@client.example>\r\n"
             "Date: Sat, 5 Dec 2026 07:00:00 +0000\r\n"
             "From: alice@client.example\r\nTo: a@example.com\r\n\r\nbody\r\n.",
             "QUIT"]
    with _debian(shared_tmp, **settings) as debian:
        dialogue(debian.port, lines)
        debian.wait_for_log(": removed", TIMEOUT)
    with ours_smtpd(inst, master_extra=extra, **settings) as ours:
        dialogue(ours.port, lines)
        ours.wait_for_log(": removed", TIMEOUT)
        ours_lines = _qmgr_lines(ours.log_text())
    debian_lines = _qmgr_lines(debian.log_text())
    if os.environ.get("QMGR_TEST_LOG"):
        print(ours_lines, debian_lines)
    assert ours_lines == debian_lines
    assert debian_lines[-1] == "QUEUEID: removed"


# ------------------------------------------------------------ memory limits

def test_message_active_limit(qm):
    """At most $qmgr_message_active_limit messages in active/ at once."""
    qm.main_cf(qmgr_message_active_limit="2")
    hold = threading.Event()
    a = agent(qm, hold=hold)
    ids = [put(qm, [f"u{i}@example.com"]) for i in range(5)]
    qm.start()
    try:
        wait_until(lambda: a.active_now >= 2, "two deliveries", TIMEOUT)
        time.sleep(1.0)  # room for a violation to show
        assert qm.log().count("(queue active)") == 2
        assert len(os.listdir(qm.queue / "active")) == 2
        # Postfix warns as soon as one destination holds a quarter of
        # the limit: the first message already (test_clog_warning).
        qm.wait_log("warning: mail for example.com is using up 1 of 1"
                    " active queue entries", TIMEOUT)
    finally:
        hold.set()
    for qid in ids:
        qm.wait_log(f"{qid}: removed", TIMEOUT)


def test_recipients_read_in_batches(qm):
    """$qmgr_message_recipient_limit bounds the first batch (at least
    $qmgr_message_recipient_minimum); later batches are the job's share
    of $<transport>_recipient_limit plus the minimum, read when there is
    room again."""
    qm.main_cf(qmgr_message_recipient_limit="1",
               qmgr_message_recipient_minimum="10",
               fake_recipient_limit="1")
    a = agent(qm)
    rcpts = [f"u{i}@example.com" for i in range(25)]
    qid = put(qm, rcpts)
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert [len(r["rcpts"]) for r in a.requests] == [10, 11, 4]
    assert sorted(x for r in a.requests for x in r["rcpts"]) == sorted(rcpts)
    assert qm.log().count(f"{qid}: from=") == 1


def test_trigger_flush_deferred(qm):
    """"D" honours the retry time; "AFD" (postqueue -f) does not."""
    a = agent(qm)
    qm.main_cf(queue_run_delay="1h")
    qid = put(qm, ["bob@example.com"], queue="deferred")
    later = time.time() + 3600
    os.utime(qm.queue / "deferred" / qid, (later, later))
    qm.start()
    wait_until(lambda: qmgr_pids(qm), "qmgr to start")
    trigger(qm, b"D")
    time.sleep(1.0)  # room for a wrong delivery to show
    assert a.requests == []
    trigger(qm, b"AFD")
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert len(a.requests) == 1


def test_small_message_gets_a_turn(qm):
    """A message that could never accumulate
    $<transport>_minimum_delivery_slots (3) delivery slots is not
    preempted: 7 deliveries at a slot cost of 5 make one slot, so the
    small message waits (compare test_preemption)."""
    qm.main_cf(fake_destination_concurrency_limit="1",
               fake_destination_recipient_limit="2")
    hold = threading.Event()
    a = agent(qm, hold=hold)
    big = put(qm, [f"b{i}@example.com" for i in range(14)])
    qm.start()
    try:
        wait_until(lambda: a.active_now >= 1, "the first delivery", TIMEOUT)
        small = put(qm, ["s@example.com"])
        trigger(qm)
        qm.wait_log(f"{small}: from=", TIMEOUT)
    finally:
        hold.set()
    qm.wait_log(f"{big}: removed", TIMEOUT)
    qm.wait_log(f"{small}: removed", TIMEOUT)
    order = [r["queue_id"] for r in a.requests]
    assert order == [big] * 7 + [small]


def test_new_defer_log_per_attempt(qm):
    """Each attempt starts a new defer log (as Postfix's qmgr does)."""
    bounce_services(qm)
    agent(qm, policy=lambda a: ("crash", None))
    qm.main_cf(minimal_backoff_time="60s", maximal_backoff_time="60s")
    qid = put(qm, ["bob@example.com"], queue="deferred")
    os.utime(qm.queue / "deferred" / qid, (0, 0))
    old_log = qm.queue / "defer" / qid
    old_log.write_text("old@example.com\n\n")
    qm.start()
    wait_until(lambda: (old_log.exists()
                        and "bob@example.com" in old_log.read_text()),
               "the new defer log", TIMEOUT)
    assert "old@example.com" not in old_log.read_text()


def _retry_lines(text):
    """error(8)'s status lines, queue IDs and delays left out."""
    out = []
    for line in text.splitlines():
        m = re.search(r"postfix/error\[\d+\]: [0-9A-Za-z]+: (.*)$", line)
        if m:
            out.append(re.sub(r"delay=[0-9.]+, delays=[0-9./]+",
                              "delay=D", m.group(1)))
    return out


def _id_lines(lines, prefix):
    return [x for x in lines if x.startswith(prefix)]


def _bounce_discard_services(inst):
    """master.cf lines for discard, bounce, defer and trace when the
    installed template lacks them."""
    template = (inst.root / "etc/postfix/master.cf").read_text()
    extra = ""
    for service, line in (("discard", "discard unix - - n - - discard"),
                          ("bounce", "bounce unix - - n - 0 bounce"),
                          ("defer", "defer unix - - n - 0 bounce"),
                          ("trace", "trace unix - - n - 0 bounce")):
        if not re.search(rf"^{service}\s", template, re.M):
            extra += line + "\n"
    return extra


def test_differential_expiry(request, shared_tmp):
    """defer_transports and a zero queue lifetime, on Debian's Postfix and
    on ours with the real bounce(8): the message is deferred, expires, is
    returned (a notification from <>) and removed; qmgr's lines for the
    original message are the same."""
    inst = our_instance(request)
    extra = _bounce_discard_services(inst)
    settings = dict(default_transport="discard", defer_transports="discard",
                    maximal_queue_lifetime="0", bounce_queue_lifetime="0")
    lines = ["EHLO client.example", "MAIL FROM:<alice@client.example>",
             "RCPT TO:<a@example.com>", "DATA",
             "Subject: t\r\nMessage-ID: <m2@client.example>\r\n\r\nbody\r\n.",
             "QUIT"]
    with _debian(shared_tmp, **settings) as debian:
        dialogue(debian.port, lines)
        debian.wait_for_log("from=<>, status=expired", TIMEOUT)
        wait_until(lambda: debian.log_text().count(": removed") == 2,
                   "both removed", TIMEOUT)
    with ours_smtpd(inst, master_extra=extra, **settings) as ours:
        dialogue(ours.port, lines)
        ours.wait_for_log("from=<>, status=expired", TIMEOUT)
        wait_until(lambda: ours.log_text().count(": removed") == 2,
                   "both removed", TIMEOUT)
        ours_lines = _qmgr_lines(ours.log_text())
    debian_lines = _qmgr_lines(debian.log_text())
    if os.environ.get("QMGR_TEST_LOG"):
        print(ours.log_text(), debian.log_text())
    size = re.compile(r"size=\d+")
    # The notification's size is bounce(8)'s business, not qmgr's.
    ours_lines = [size.sub("size=N", x) for x in ours_lines]
    debian_lines = [size.sub("size=N", x) for x in debian_lines]
    for prefix in ("QUEUEID: from=<alice@client.example>",
                   "QUEUEID: from=<>"):
        assert _id_lines(ours_lines, prefix) == _id_lines(debian_lines, prefix)
    assert ours_lines.count("QUEUEID: removed") == 2
    # The deferrals come from the retry agent, on both sides.
    assert _retry_lines(ours.log_text()) == _retry_lines(debian.log_text())


def test_deferrals_through_retry_agent(qm):
    """As Postfix does, qmgr hands "deferred transport" and dead-site
    recipients to the retry service (error(8)) with the reason as the
    next hop."""
    retry = agent(qm, transport="retry",
                  policy=lambda addr: ("deferred", "4.3.2"))
    qm.main_cf(defer_transports="fake", minimal_backoff_time="60s",
               maximal_backoff_time="60s")
    a = agent(qm)
    qid = put(qm, ["bob@example.com", "carol@example.com"])
    qm.start()
    wait_until(lambda: find_file(qm, "deferred", qid), "deferred", TIMEOUT)
    assert a.requests == []
    assert [(r["nexthop"], sorted(r["rcpts"])) for r in retry.requests] == \
        [("4.3.2 deferred transport",
          ["bob@example.com", "carol@example.com"])]
    assert "connect to transport private/retry" not in qm.log()


def test_malformed_reply(qm):
    """A malformed reply: a warning, and the recipients are deferred."""
    services = bounce_services(qm)
    agent(qm, policy=lambda a: ("garbage", None))
    qm.main_cf(minimal_backoff_time="60s", maximal_backoff_time="60s")
    qid = put(qm, ["bob@example.com"])
    qm.start()
    wait_until(lambda: find_file(qm, "deferred", qid), "deferred", TIMEOUT)
    assert f"warning: private/fake: bad delivery reply for {qid}:" \
        in qm.log()
    reasons = [r["reason"] for r in services["defer"].requests]
    assert reasons == ["unknown mail transport error"]


def test_reply_timeout(qm):
    """An agent that does not answer within <transport>_time_limit +
    $qmgr_ipc_timeout: a warning, and the recipients are deferred."""
    services = bounce_services(qm)
    hold = threading.Event()
    agent(qm, hold=hold)
    qm.main_cf(fake_time_limit="1s", qmgr_ipc_timeout="1s",
               minimal_backoff_time="60s", maximal_backoff_time="60s")
    qid = put(qm, ["bob@example.com"])
    qm.start()
    try:
        wait_until(lambda: find_file(qm, "deferred", qid), "deferred",
                   TIMEOUT)
        assert (f"warning: {qid}: timeout waiting for the reply of"
                " transport fake") in qm.log()
        reasons = [r["reason"] for r in services["defer"].requests]
        assert reasons == ["unknown mail transport error"]
    finally:
        hold.set()


def test_many_messages_mixed_outcomes(qm):
    """100 messages, several destinations, mixed outcomes: each recipient
    is tried once, every message ends removed or deferred, none is left
    in incoming/ or active/."""
    bounce_services(qm)

    def policy(address):
        n = int(address[1:address.index("@")])
        return [("sent", "2.0.0"), ("deferred", "4.2.0"),
                ("bounced", "5.1.1"), ("sent", "2.0.0")][n % 4]

    a = agent(qm, policy=policy)
    qm.main_cf(minimal_backoff_time="3600s", maximal_backoff_time="3600s",
               fake_destination_recipient_limit="3")
    ids = []
    n = 0
    for i in range(100):
        rcpts = []
        for j in range(1 + i % 4):
            rcpts.append(f"u{n}@d{n % 5}.example")
            n += 1
        ids.append((put(qm, rcpts), rcpts))
    qm.start()

    def settled():
        log = qm.log()
        return all(f"{qid}: removed" in log or find_file(qm, "deferred", qid)
                   for qid, _ in ids)

    wait_until(settled, "all messages to settle", 60)
    assert os.listdir(qm.queue / "active") == []
    assert os.listdir(qm.queue / "incoming") == []
    tried = sorted(x for r in a.requests for x in r["rcpts"])
    assert tried == sorted(x for _, rcpts in ids for x in rcpts)
    for qid, rcpts in ids:
        deferred = any(int(r[1:r.index("@")]) % 4 == 1 for r in rcpts)
        assert bool(find_file(qm, "deferred", qid)) == deferred, qid


# ------------------------------------------------------------ preemption

def _big_then_small(qm, big_count, small_count, **settings):
    """Deliver a message of big_count recipients to big.example, one
    delivery of 2 recipients at a time; add small_count one-recipient
    messages while its first delivery is held; return (big, smalls,
    order of the requests' queue IDs)."""
    qm.main_cf(fake_destination_recipient_limit="2",
               fake_destination_concurrency_limit="1", **settings)
    gate = threading.Semaphore(0)
    a = agent(qm, gate=gate)
    big = put(qm, [f"u{i}@big.example" for i in range(big_count)])
    qm.start()
    try:
        wait_until(lambda: len(a.requests) >= 1, "the first delivery", TIMEOUT)
        smalls = [put(qm, [f"v{i}@big.example"]) for i in range(small_count)]
        trigger(qm)
        for qid in smalls:
            qm.wait_log(f"{qid}: from=<alice@example.test>", TIMEOUT)
        assert len(a.requests) == 1
    finally:
        for _ in range(big_count // 2 + small_count + 5):
            gate.release()
    for qid in smalls + [big]:
        qm.wait_log(f"{qid}: removed", TIMEOUT)
    return big, smalls, [r["queue_id"] for r in a.requests]


@pytest.mark.parametrize("settings,preempt", [
    ({}, True),
    ({"fake_delivery_slot_cost": "0"}, False),
    ({"fake_minimum_delivery_slots": "10"}, False),
])
def test_preemption(qm, settings, preempt):
    """SCHEDULER_README's preemption: a one-recipient message that arrives
    while a 20-delivery message is being delivered to the same destination
    (one delivery at a time) goes next, on the delivery slot loan; not
    with delivery_slot_cost 0, nor when the large message could never
    accumulate $minimum_delivery_slots (20 entries at cost 5: 4 slots)."""
    big, (small,), order = _big_then_small(qm, 40, 1, **settings)
    assert order.count(big) == 20 and order.count(small) == 1
    assert order.index(small) == (1 if preempt else 20)


def test_preemption_later_turns(qm):
    """After the loan, further small messages wait for the slots that
    the large message must accumulate (one per delivery_slot_cost of its
    deliveries): they still go long before it ends, but not all at once."""
    big, smalls, order = _big_then_small(
        qm, 60, 3, fake_delivery_slot_cost="2", fake_delivery_slot_loan="0",
        fake_delivery_slot_discount="0")
    where = sorted(order.index(q) for q in smalls)
    # Cost 2, no loan: each needs one whole slot = two deliveries of big.
    assert where == [2, 5, 8], order
    assert order.count(big) == 30


# ------------------------------------------------------------ recipient slices

def test_recipient_slices(qm):
    """5,000 recipients with qmgr_message_recipient_limit = 100 and a
    transport recipient_limit of 50: every recipient is delivered once,
    and no request carries more than what may be in memory (the message
    is read in slices, each from where the last one stopped)."""
    qm.main_cf(qmgr_message_recipient_limit="100",
               qmgr_message_recipient_minimum="10",
               fake_recipient_limit="50", fake_extra_recipient_limit="10",
               fake_recipient_refill_limit="20",
               fake_destination_recipient_limit="1000")
    a = agent(qm, sync=False)
    rcpts = [f"u{i}@d{i % 7}.example" for i in range(5000)]
    qid = put(qm, rcpts)
    qm.start()
    qm.wait_log(f"{qid}: removed", 120)
    delivered = [x for r in a.requests for x in r["rcpts"]]
    assert len(delivered) == 5000
    assert sorted(delivered) == sorted(rcpts)
    assert max(len(r["rcpts"]) for r in a.requests) <= 170
    assert f"{qid}: from=<alice@example.test>, size={LOG_SIZE}, nrcpt=5000" \
        " (queue active)" in qm.log()


def test_recipient_slices_with_deferrals(qm):
    """Slices with mixed outcomes and concurrency: the deferred recipients
    are tried again in the next run (the done ones are not), none is
    lost or tried twice in one run."""
    attempts = {}

    def policy(address):
        n = int(address[1:address.index("@")])
        attempts[address] = attempts.get(address, 0) + 1
        if n % 10 == 3 and attempts[address] == 1:
            return ("deferred", "4.2.0")
        return ("sent", "2.0.0")

    bounce_services(qm)
    qm.main_cf(qmgr_message_recipient_limit="40",
               qmgr_message_recipient_minimum="5",
               fake_recipient_limit="30", fake_recipient_refill_limit="7",
               fake_recipient_refill_delay="1s",
               fake_destination_recipient_limit="4",
               minimal_backoff_time="1s", maximal_backoff_time="1s")
    a = agent(qm, policy=policy, sync=False)
    rcpts = [f"u{i}@d{i % 3}.example" for i in range(600)]
    qid = put(qm, rcpts)
    qm.start()
    qm.wait_log(f"{qid}: removed", 120)
    assert sorted(attempts) == sorted(rcpts)
    for r in rcpts:
        n = int(r[1:r.index("@")])
        assert attempts[r] == (2 if n % 10 == 3 else 1), r
    assert max(len(r["rcpts"]) for r in a.requests) <= 4


@pytest.mark.parametrize("refill_limit,sizes", [
    ("5", [5, 5, 5, 5]),
    ("100", [5, 5, 5, 1, 4]),
])
def test_recipient_refill_limit(qm, refill_limit, sizes):
    """$<transport>_recipient_refill_limit: with 10 recipient slots, a
    refill limit of 5 reads more recipients as soon as one request of 5
    has finished, so they join the waiting entries; with 100 (and a long
    refill delay) more are read only when the job has nothing left to
    deliver, which leaves a short request behind."""
    qm.main_cf(qmgr_message_recipient_limit="10",
               qmgr_message_recipient_minimum="1",
               fake_recipient_limit="10",
               fake_recipient_refill_limit=refill_limit,
               fake_recipient_refill_delay="3600s",
               fake_destination_recipient_limit="5",
               fake_destination_concurrency_limit="1")
    a = agent(qm)
    rcpts = [f"u{i}@example.com" for i in range(20)]
    qid = put(qm, rcpts)
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    assert [len(r["rcpts"]) for r in a.requests] == sizes
    assert [x for r in a.requests for x in r["rcpts"]] == rcpts


def _vm_hwm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])  # kB
    return 0


def test_recipient_slices_bounded_memory(qm):
    """A message with 2,000 long recipients (3.8 MB of addresses) does not
    sit in memory whole: with 50 recipients in memory qmgr's peak
    resident size grows by far less than the addresses would take."""
    if os.environ.get("QMGR_VALGRIND"):
        pytest.skip("valgrind's own memory use")
    qm.main_cf(qmgr_message_recipient_limit="50",
               fake_recipient_limit="50", fake_extra_recipient_limit="10",
               fake_destination_recipient_limit="1000",
               minimal_backoff_time="3600s", maximal_backoff_time="3600s")
    bounce_services(qm)
    a = agent(qm, policy=lambda addr: ("deferred", "4.2.0"))
    qm.start()
    wait_until(lambda: qmgr_pids(qm), "qmgr to start", TIMEOUT)
    pid = qmgr_pids(qm)[0]
    pad = "x" * 1900
    rcpts = [f"{pad}{i}@example.com" for i in range(2000)]
    qid = put(qm, rcpts)
    before = _vm_hwm(pid)
    trigger(qm)
    wait_until(lambda: find_file(qm, "deferred", qid), "deferred", 120)
    assert qmgr_pids(qm) == [pid]
    grown = _vm_hwm(pid) - before
    assert grown < 1500, f"qmgr grew by {grown} kB"
    tried = [x for r in a.requests for x in r["rcpts"]]
    assert sorted(tried) == sorted(rcpts)
    assert max(len(r["rcpts"]) for r in a.requests) <= 120


# ------------------------------------------------------------ VERP

def test_verp_sender_per_recipient(qm):
    """A V record: one recipient per delivery, the sender rewritten as
    Debian's Postfix 3.7 does it (smtpd XVERP, relayed to a sink:
    MAIL FROM:<owner+bob=remote.example@list.example> for each RCPT);
    the bounce notification goes to the original sender."""
    services = bounce_services(qm)

    def policy(address):
        return ("bounced", "5.1.1") if address.startswith("x@") \
            else ("sent", "2.0.0")

    a = agent(qm, policy=policy)
    qid = put(qm, ["bob@remote.example", "dave@remote.example",
                   "carol@other.example", "x@other.example"],
              sender="owner@list.example", envelope=[("V", "-=")])
    (qm.queue / "bounce" / qid).write_text("x\n\n")
    qm.start()
    qm.wait_log(f"{qid}: removed", TIMEOUT)
    got = sorted((r["rcpts"], r["sender"]) for r in a.requests)
    assert got == [
        (["bob@remote.example"], "owner-bob=remote.example@list.example"),
        (["carol@other.example"], "owner-carol=other.example@list.example"),
        (["dave@remote.example"], "owner-dave=remote.example@list.example"),
        (["x@other.example"], "owner-x=other.example@list.example")]
    flushes = [r for r in services["bounce"].requests
               if r["request"] == "FLUSH"]
    assert [r["sender"] for r in flushes] == ["owner@list.example"]


# ------------------------------------------------------------ clog warning

CLOG_ADVICE = [
    "warning: you may need to reduce fake connect and helo timeouts",
    "warning: so that Postfix quickly skips unavailable hosts",
    "warning: you may need to increase the main.cf minimal_backoff_time"
    " and maximal_backoff_time",
    "warning: so that Postfix wastes less time on undeliverable mail",
    "warning: you may need to increase the master.cf fake process limit",
    "warning: please avoid flushing the whole queue when you have",
    "warning: lots of deferred mail, that is bad for performance",
    "warning: to turn off these warnings specify: qmgr_clog_warn_time = 0",
]


def _qmgr_messages(text):
    return [re.sub(r"^.*postfix/qmgr\[\d+\]: ", "", line)
            for line in text.splitlines() if "postfix/qmgr[" in line]


def test_clog_warning(qm):
    """Postfix 3.7's words and trigger, as observed on Debian (relayhost to
    a sink that never answers, qmgr_message_active_limit = 8): when a
    destination holds a quarter of $qmgr_message_active_limit or more,
    "mail for <dest> is using up <n> of <messages in the active queue>
    active queue entries" and eight lines of advice naming the
    transport; at most once per $qmgr_clog_warn_time."""
    qm.main_cf(qmgr_message_active_limit="8")
    hold = threading.Event()
    a = agent(qm, hold=hold)
    qm.start()
    try:
        wait_until(lambda: qmgr_pids(qm), "qmgr to start", TIMEOUT)
        first = put(qm, ["a@clog.example"])
        trigger(qm)
        wait_until(lambda: a.active_now >= 1, "the first delivery", TIMEOUT)
        second = put(qm, ["b@clog.example"])
        trigger(qm)
        qm.wait_log("to turn off these warnings", TIMEOUT)
        third = put(qm, ["c@clog.example"])
        trigger(qm)
        qm.wait_log(f"{third}: from=", TIMEOUT)
    finally:
        hold.set()
    for qid in (first, second, third):
        qm.wait_log(f"{qid}: removed", TIMEOUT)
    lines = _qmgr_messages(qm.log())
    start = lines.index(f"{second}: from=<alice@example.test>, size={LOG_SIZE},"
                        " nrcpt=1 (queue active)")
    assert lines[start + 1:start + 10] == [
        "warning: mail for clog.example is using up 2 of 2 active queue"
        " entries"] + CLOG_ADVICE
    # Once per qmgr_clog_warn_time (300s): not again for the third.
    assert sum("is using up" in x for x in lines) == 1


class _SmtpSink:
    """A loopback SMTP server that records (MAIL FROM, RCPT TO) pairs."""

    def __init__(self):
        self.pairs = []
        self.port = free_port()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(10)
        self.sock.settimeout(0.2)
        self.stopping = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(TIMEOUT)
            try:
                self._serve(conn)
            except OSError:
                pass
            finally:
                conn.close()

    def _serve(self, conn):
        f = conn.makefile("rwb")

        def reply(text):
            f.write(text.encode() + b"\r\n")
            f.flush()

        reply("220 sink")
        sender, data = None, False
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if data:
                if line == ".":
                    data = False
                    reply("250 ok")
                continue
            verb = line[:4].upper()
            if verb == "MAIL":
                sender = re.search(r"<(.*?)>", line).group(1)
            elif verb == "RCPT":
                self.pairs.append((sender, re.search(r"<(.*?)>",
                                                     line).group(1)))
            if verb == "DATA":
                data = True
                reply("354 go")
            elif verb == "QUIT":
                reply("221 bye")
                return
            else:
                reply("250 ok")

    def stop(self):
        self.stopping = True
        self.thread.join(5)
        self.sock.close()


def test_differential_verp(request, shared_tmp):
    """smtpd XVERP and XVERP=-= through Debian's Postfix (relayed to an
    SMTP sink) and through ours (to the fake agent): the same sender for
    each recipient, one recipient per delivery."""
    inst = our_instance(request)
    lines = ["EHLO client.example", "MAIL FROM:<owner@list.example> XVERP",
             "RCPT TO:<bob@remote.example>", "RCPT TO:<dave@remote.example>",
             "RCPT TO:<carol@other.example>", "DATA",
             "Subject: t\r\n\r\nbody\r\n.",
             "MAIL FROM:<owner@list.example> XVERP=-=",
             "RCPT TO:<erin@remote.example>", "DATA",
             "Subject: u\r\n\r\nbody\r\n.", "QUIT"]
    settings = dict(smtpd_authorized_verp_clients="127.0.0.0/8")
    sink = _SmtpSink()
    try:
        with _debian(shared_tmp, relayhost=f"[127.0.0.1]:{sink.port}",
                     default_transport="smtp", **settings) as debian:
            debian_replies = dialogue(debian.port, lines)
            wait_until(lambda: debian.log_text().count(": removed") == 2,
                       "both removed", TIMEOUT)
    finally:
        sink.stop()
    with ours_smtpd(inst, default_transport="fake", **settings) as ours:
        fake = FakeAgent(inst.queue_dir, "fake")
        try:
            ours_replies = dialogue(ours.port, lines)
            wait_until(lambda: ours.log_text().count(": removed") == 2,
                       "both removed", TIMEOUT)
        finally:
            fake.stop()
    strip = re.compile(r"queued as \S+")
    assert [strip.sub("queued as ID", r) for r in ours_replies[2:]] == \
        [strip.sub("queued as ID", r) for r in debian_replies[2:]]
    ours_pairs = sorted((r["sender"], r["rcpts"][0]) for r in fake.requests)
    assert all(len(r["rcpts"]) == 1 for r in fake.requests)
    assert ours_pairs == sorted(sink.pairs)
    assert ("owner-erin=remote.example@list.example",
            "erin@remote.example") in ours_pairs


def _force_expire_run(server, run, lines):
    """Send, wait for the deferral, postsuper -e ALL, postqueue -f, wait
    for the return; the qmgr lines of the original message."""
    dialogue(server.port, lines)
    server.wait_for_log("status=deferred (deferred transport)", TIMEOUT)
    result = run("postsuper", "-e", "ALL")
    assert result.returncode == 0, result.stderr
    assert "Force-expired: 1 message" in result.stderr
    run("postqueue", "-f")
    server.wait_for_log("status=force-expired, returned to sender", TIMEOUT)
    qid = re.search(r"(\w+): from=<alice@client\.example>, status=force",
                    server.log_text()).group(1)
    server.wait_for_log(f"{qid}: removed", TIMEOUT)
    return [x for x in _qmgr_lines(server.log_text().replace(qid, "ORIG"))
            if x.startswith("ORIG") or "ORIG" in x]


def test_differential_force_expire(request, shared_tmp):
    """postsuper -e of a deferred message, then postqueue -f, on Debian's
    Postfix and on ours: qmgr takes it into the active queue once more,
    logs "status=force-expired, returned to sender" and removes it; the
    same lines on both sides."""
    inst = our_instance(request)
    extra = _bounce_discard_services(inst)
    settings = dict(default_transport="discard", defer_transports="discard")
    lines = ["EHLO client.example", "MAIL FROM:<alice@client.example>",
             "RCPT TO:<a@example.com>", "DATA",
             "Subject: t\r\nMessage-ID: <m3@client.example>\r\n\r\nbody\r\n.",
             "QUIT"]
    with _debian(shared_tmp, **settings) as debian:
        def debian_run(command, *args):
            return subprocess.run([f"/usr/sbin/{command}", "-c",
                                   str(debian.config_dir), *args],
                                  capture_output=True, text=True, timeout=60)
        debian_lines = _force_expire_run(debian, debian_run, lines)
    with ours_smtpd(inst, master_extra=extra, **settings) as ours:
        ours_lines = _force_expire_run(ours, inst.run, lines)
    size = re.compile(r"size=\d+")
    assert [size.sub("size=N", x) for x in ours_lines] == \
        [size.sub("size=N", x) for x in debian_lines]
    assert debian_lines[-2:] == [
        "ORIG: from=<alice@client.example>, status=force-expired,"
        " returned to sender", "ORIG: removed"]
