"""Durability: mail keeps flowing while daemons are killed with kill -9.

A complete private instance (ours_smtpd of smtp_dialogue.py: master,
smtpd on a free loopback port, cleanup, trivial-rewrite, qmgr, bounce,
local) receives DURABILITY_MESSAGES (2,000) messages over SMTP from a
few client threads, each with its own Message-ID, all for
nobody@test.example, whom local(8) delivers to a maildir under the
test's mail spool (mail_spool_directory ends in "/"), or (second run)
for list@test.example, an alias to an :include: file that names nobody:
local(8) forwards each message as a new one through cleanup(8) first,
so a kill of cleanup or local can also hit the forwarding. Meanwhile a
killer thread, driven by random.Random(SEED), sends SIGKILL to one of the
instance's qmgr, local or cleanup processes every 0.1 to 0.5 s, until
the clients are done. master(8) starts new daemons as they are needed.

A message counts as acknowledged when its DATA got "250"; a message that
got a 4xx/5xx reply or lost its connection is not acknowledged (a
client tries such a message up to three times in all; it may then be
delivered or not). After the last kill one more message is sent (it
wakes qmgr if the last kill hit it) and the test waits, bounded, until
the queue has drained. Then:

- every acknowledged Message-ID is in the maildir at least once (none
  lost);
- incoming/, active/, deferred/, hold/ and corrupt/ hold no queue
  file (a killed writer never leaves a damaged one; the unfinished
  files of a killed cleanup, in incoming/ under a queue ID but without
  the owner execute bit, and any "tmp.*" file, are not queue files:
  their client never got a 250, no reader takes them, and postsuper
  removes them after $ipc_timeout; they are counted and printed);
- duplicates (deliveries beyond the first of a Message-ID: local killed
  after writing or forwarding a message but before reporting it,
  cleanup killed after committing a forwarded copy but before its
  reply) are counted and printed (at-least-once delivery allows them),
  and must not exceed the number of kills.

The figures are printed (pytest -s shows them) and appended, one JSON
line per run, to $DURABILITY_REPORT when that names a file. Settings that
keep each run well within a minute: short backoff and queue run delays,
transport_retry_time and service_throttle_time of 1s. It needs root
(local delivers as nobody) and skips otherwise. It is marked "serial"
so that a quick run can leave it out (pytest -m "not serial"); make
check runs it with the other tests (its waits are bounded, not timed).
"""

import json
import os
import smtplib
import stat
import threading
import time
from collections import Counter

import pytest

from killer import Killer
from smtp_dialogue import ours_smtpd

IS_ROOT = os.geteuid() == 0
SEED = 20261205
MESSAGES = int(os.environ.get("DURABILITY_MESSAGES", "2000"))
CLIENTS = 4
PER_CONNECTION = 25
ATTEMPTS = 3
DRAIN_TIMEOUT = 120.0
SEND_TIMEOUT = 240.0
KILL_MIN, KILL_MAX = 0.1, 0.5     # seconds between kills
VICTIMS = ("qmgr", "local", "cleanup")
QUEUES = ("incoming", "active", "deferred", "hold", "corrupt")

pytestmark = [pytest.mark.skipif(not IS_ROOT,
                                 reason="local(8) delivery needs root"),
              pytest.mark.serial]


def message(n, rcpt):
    return (f"From: client@client.example\r\n"
            f"To: {rcpt}\r\n"
            f"Subject: durability {n}\r\n"
            f"Message-ID: <dur-{n}@client.example>\r\n"
            f"\r\n"
            f"message number {n}\r\n")


class Clients:
    """CLIENTS threads that send the messages; records what got 250."""

    def __init__(self, port, rcpt, numbers, attempts=ATTEMPTS, pause=0.05):
        self.port = port
        self.rcpt = rcpt
        self.numbers = numbers
        self.attempts = attempts
        self.pause = pause
        self.acked = set()
        self.refused = Counter()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,),
                                         daemon=True)
                        for i in range(CLIENTS)]

    def start(self):
        for t in self.threads:
            t.start()

    def join(self, timeout):
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.1, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self.threads)

    def note(self, what):
        with self.lock:
            self.refused[what] += 1

    def run(self, index):
        conn = None
        sent_on_conn = 0
        for n in self.numbers[index::CLIENTS]:
            for _ in range(self.attempts):
                try:
                    if conn is None:
                        conn = smtplib.SMTP("127.0.0.1", self.port,
                                            local_hostname="client.example",
                                            timeout=30)
                        sent_on_conn = 0
                    conn.sendmail("client@client.example", [self.rcpt],
                                  message(n, self.rcpt))
                    with self.lock:
                        self.acked.add(n)
                    sent_on_conn += 1
                    if sent_on_conn >= PER_CONNECTION:
                        try:
                            conn.quit()
                        finally:
                            conn.close()
                            conn = None
                    break
                except smtplib.SMTPResponseException as e:
                    self.note(f"{e.smtp_code}")
                except (smtplib.SMTPException, OSError) as e:
                    self.note(type(e).__name__)
                if conn is not None:
                    try:
                        conn.close()
                    except OSError:
                        pass
                    conn = None
                time.sleep(self.pause)
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            conn.close()


def queue_files(queue_dir):
    """{queue: ([queue IDs], [temporary or unfinished files])} of QUEUES;
    a file in incoming/ without the owner execute bit is unfinished."""
    out = {}
    for name in QUEUES:
        ids, tmp = [], []
        for dirpath, _, files in os.walk(queue_dir / name):
            for f in files:
                unfinished = "." in f
                if name == "incoming" and not unfinished:
                    try:
                        mode = os.stat(os.path.join(dirpath, f)).st_mode
                    except FileNotFoundError:
                        continue
                    unfinished = not mode & stat.S_IXUSR
                (tmp if unfinished else ids).append(f)
        out[name] = (ids, tmp)
    return out


def delivered(maildir):
    """Counter of Message-ID numbers in maildir/new and maildir/cur."""
    seen = Counter()
    for sub in ("new", "cur"):
        d = maildir / sub
        if not d.is_dir():
            continue
        for path in d.iterdir():
            try:
                with open(path, "rb") as f:
                    for line in f:
                        if line.startswith(b"Message-ID: <dur-"):
                            seen[int(line[17:].split(b"@")[0])] += 1
                            break
                        if line in (b"\n", b"\r\n"):
                            break
            except (OSError, ValueError):
                continue
    return seen


@pytest.mark.parametrize("rcpt", ["nobody@test.example",
                                  "list@test.example"])
def test_kill_daemons_while_mail_flows(privileged_instance, shared_tmp,
                                       rcpt):
    """rcpt nobody: local delivers to the maildir at once; rcpt list: an
    alias to an :include: file that names nobody, which local forwards
    as a new message through cleanup (killed too) first."""
    inst = privileged_instance
    spool = shared_tmp / "mail"
    spool.mkdir()
    os.chmod(spool, 0o1777)
    maildir = spool / "nobody"
    (shared_tmp / "list.inc").write_text("nobody\n")
    (shared_tmp / "aliases").write_text(
        f"list :include:{shared_tmp}/list.inc\n")
    settings = dict(
        alias_maps=f"texthash:{shared_tmp}/aliases",
        mail_spool_directory=f"{spool}/",
        default_privs="nobody", biff="no",
        queue_run_delay="1s", minimal_backoff_time="1s",
        maximal_backoff_time="2s", transport_retry_time="1s",
        service_throttle_time="1s",
        # One local(8) process may take many requests; several run.
        local_destination_concurrency_limit="4",
        default_process_limit="20")
    started = time.monotonic()
    with ours_smtpd(inst, **settings) as server:
        master = inst.master_pid()
        assert master
        clients = Clients(server.port, rcpt, list(range(MESSAGES)))
        killer = Killer(master, SEED, (KILL_MIN, KILL_MAX),
                        lambda rng: rng.choice(VICTIMS))
        clients.start()
        killer.thread.start()
        try:
            finished = clients.join(SEND_TIMEOUT)
        finally:
            killer.stop.set()
            killer.thread.join(10)
        assert finished, "the clients did not finish in time"
        send_time = time.monotonic() - started

        # One more message after the last kill (it wakes qmgr).
        last = MESSAGES
        # (A daemon killed before it took a request makes master
        # throttle its service for service_throttle_time: 1s.)
        closing = Clients(server.port, rcpt, [last], attempts=10, pause=0.5)
        closing.start()
        assert closing.join(60) and closing.acked == {last}, \
            (closing.refused, server.log_text()[-3000:])
        acked = clients.acked | closing.acked

        deadline = time.monotonic() + DRAIN_TIMEOUT
        while True:
            files = queue_files(inst.queue_dir)
            seen = delivered(maildir)
            drained = not any(ids for ids, _ in files.values())
            if drained and acked <= set(seen):
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
        drain_time = time.monotonic() - started - send_time
        log = server.log_text()

    seen = delivered(maildir)
    lost = sorted(acked - set(seen))
    duplicates = sum(c - 1 for c in seen.values() if c > 1)
    report = {
        "messages": MESSAGES + 1, "acknowledged": len(acked),
        "not_acknowledged": MESSAGES + 1 - len(acked),
        "refusals": dict(clients.refused),
        "delivered_unique": len(seen),
        "delivered_unacknowledged": len(set(seen) - acked),
        "duplicates": duplicates, "lost": len(lost),
        "kills": dict(killer.kills),
        "left_in_queue": {q: ids for q, (ids, _) in files.items() if ids},
        "temporary_files": {q: len(tmp) for q, (_, tmp) in files.items()},
        "maildir_tmp": len(list((maildir / "tmp").iterdir()))
        if (maildir / "tmp").is_dir() else 0,
        "send_seconds": round(send_time, 1),
        "drain_seconds": round(drain_time, 1),
    }
    report["recipient"] = rcpt
    print("durability:", json.dumps(report, sort_keys=True))
    if os.environ.get("DURABILITY_REPORT"):
        with open(os.environ["DURABILITY_REPORT"], "a") as f:
            f.write(json.dumps(report, sort_keys=True) + "\n")
    assert sum(killer.kills.values()) > 0
    assert not lost, (f"{len(lost)} acknowledged messages lost, e.g. "
                      f"{lost[:10]}: {report}\n{log[-3000:]}")
    assert not report["left_in_queue"], (report, log[-3000:])
    assert duplicates <= sum(killer.kills.values()), report
    assert len(acked) > MESSAGES // 2, report
