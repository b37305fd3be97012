"""Load: many messages through the whole system while smtp and qmgr die.

smtp-source -> our smtpd -> cleanup -> qmgr -> smtp(8) -> smtp-sink, with
relayhost = [127.0.0.1]:<sink port>. SMTP_LOAD_MESSAGES (10,000)
messages, each for its own recipient: smtp-source -N puts a sequence
number 1..N in front of "user@relay.example", so the sink's record of
the RCPT command names the message. smtp-source sends them over
SESSIONS connections (-d: many messages per connection) and exits 0 only
when every message got "250" (without -A it stops at the first other
reply), so a clean exit means all N were acknowledged.

The sink is smtp-sink -d: one capture file per mail transaction (in a
directory per second, so that the random file names cannot collide).
The message body (smtp-source -F) ends with a marker line; a capture
without it (the connection died during DATA) does not count as arrived.

Meanwhile a killer thread, driven by random.Random(SEED), sends SIGKILL
every KILL_MIN..KILL_MAX seconds to one of master's smtp processes (3
times in 4) or to qmgr, until the sink has seen KILL_UNTIL (90 %) of the
messages or KILL_SECONDS have passed. master(8) starts new processes
as needed; qmgr, though, only when something triggers it (or after its
wakeup time of 300s), in Postfix as in ours: so once smtp-source is done,
whenever no qmgr runs, one more numbered message is sent (cleanup
triggers qmgr), and so after the last kill. Then the test waits,
bounded by DRAIN_TIMEOUT, until the queue is empty and every
acknowledged message has arrived.
Then:

- every acknowledged message arrived at least once (none lost);
- incoming/, active/, deferred/, hold/ and corrupt/ hold no queue file;
- duplicates (arrivals beyond the first: an smtp process killed after
  the sink's "250" but before it reported the delivery, or qmgr killed
  before it removed a delivered message) are counted and printed, as are
  kills, rates and times (pytest -s shows them; one JSON line per run is
  appended to $SMTP_LOAD_REPORT when that names a file; the maillog is
  copied to $SMTP_LOAD_LOG when that names a file).

Programs: Debian's /usr/sbin/smtp-source and smtp-sink when installed,
else ours (the installed smtp-source and smtp-sink);
SMTP_LOAD_TOOLS=ours or =debian chooses. SMTP_LOAD_MTA=debian runs the
same harness against Debian's Postfix instead of ours (to check the
harness itself; needs root). Marked "serial" (a heavy test: make check
runs it, pytest -m "not serial" leaves it out).
"""

import json
import os
import re
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from killer import Killer, children
from ports import free_port
from smtp_dialogue import debian_smtpd, our_instance, ours_smtpd

MESSAGES = int(os.environ.get("SMTP_LOAD_MESSAGES", "10000"))
SESSIONS = 10
SEED = 1111
KILL_MIN, KILL_MAX = 0.2, 0.8
KILL_UNTIL = 0.9
KILL_SECONDS = 120
SEND_TIMEOUT = 300
DRAIN_TIMEOUT = 180
QUEUES = ("incoming", "active", "deferred", "hold", "corrupt")
MARKER = b"end of load test message"
RCPT_RE = re.compile(rb"^X-Rcpt-Args: <(\d+)user@relay\.example>", re.M)
IS_ROOT = os.geteuid() == 0
DEBIAN_TOOLS = Path("/usr/sbin")

pytestmark = [pytest.mark.serial]


def tools(install_root):
    """(smtp-source, smtp-sink) to use."""
    ours = install_root / "usr/sbin"
    want = os.environ.get("SMTP_LOAD_TOOLS")
    if want is None:
        want = "debian" if (DEBIAN_TOOLS / "smtp-sink").exists() else "ours"
    base = DEBIAN_TOOLS if want == "debian" else ours
    source, sink = base / "smtp-source", base / "smtp-sink"
    if not (source.exists() and sink.exists()):
        pytest.skip(f"no smtp-source/smtp-sink in {base}")
    return source, sink


class Sink:
    """smtp-sink on a free loopback port, one capture file per mail
    transaction under dump/."""

    def __init__(self, program, base):
        self.port = free_port()
        self.dump = base / "dump"
        self.dump.mkdir()
        os.chmod(self.dump, 0o777)
        argv = [str(program)]
        if IS_ROOT:
            argv += ["-u", "nobody"]
        argv += ["-d", f"{self.dump}/%H%M%S/m.", f"127.0.0.1:{self.port}",
                 "256"]
        self.errors = base / "sink.err"
        with open(self.errors, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                         stderr=err)
        self.seen = Counter()
        self.read = set()
        deadline = time.monotonic() + 10
        while not self.listening():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError("smtp-sink did not start: "
                                     + self.errors.read_text(errors="replace"))
            time.sleep(0.05)

    def listening(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), 1).close()
            return True
        except OSError:
            return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def scan(self, final=False):
        """Read the capture files not read yet; return self.seen, a Counter
        of the message numbers that arrived completely. A file without the
        marker may still be being written: it is read again later (and
        counted as a partial transfer when final)."""
        for sub in sorted(self.dump.iterdir()):
            for path in sub.iterdir():
                if path in self.read:
                    continue
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                m = RCPT_RE.search(data)
                if m and MARKER in data:
                    self.seen[int(m.group(1))] += 1
                    self.read.add(path)
                elif final:
                    self.read.add(path)
        return self.seen

    def files(self):
        return sum(1 for sub in self.dump.iterdir() for _ in sub.iterdir())


def pick_victim(rng):
    """An smtp process 3 times in 4, else qmgr."""
    return "qmgr" if rng.random() < 0.25 else "smtp"


def queue_files(queue_dir):
    """{queue: [file names]} of QUEUES."""
    out = {}
    for name in QUEUES:
        out[name] = [f for _, _, files in os.walk(queue_dir / name)
                     for f in files]
    return out


def message_file(path):
    """The message smtp-source -F sends: headers, a body of about 1 KB,
    the marker as its last line."""
    body = "".join(f"line {i:02d} of the load test message, padding "
                   "padding padding.\n" for i in range(16))
    path.write_bytes(b"From: <sender@client.example>\n"
                     b"To: <user@relay.example>\n"
                     b"Subject: load test\n\n"
                     + body.encode() + MARKER + b"\n")


def source(program, port, count, body, recipient="user@relay.example",
           numbered=True, timeout=SEND_TIMEOUT):
    """Run smtp-source; return (exit code, output)."""
    argv = [str(program), "-d", "-s", str(SESSIONS if count > 1 else 1),
            "-m", str(count), "-M", "client.example",
            "-f", "sender@client.example", "-t", recipient, "-F", str(body)]
    if numbered:
        argv.insert(1, "-N")
    argv.append(f"127.0.0.1:{port}")
    try:
        r = subprocess.run(argv, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    return r.returncode, (r.stdout + r.stderr).decode(errors="replace")


def warning_kinds(log):
    """Counter of the maillog's warning/error/fatal/panic lines by
    program and text (queue IDs, numbers and paths masked)."""
    kinds = Counter()
    for m in re.finditer(r" ([\w/-]+)\[\d+\]: (warning|error|fatal|panic): "
                         r"(.*)", log):
        text = re.sub(r"[0-9A-F]{6,}|\d+|/\S+", "#", m.group(3))[:70]
        kinds[f"{m.group(1)}: {m.group(2)}: {text}"] += 1
    return kinds


def wake(program, server, number, body):
    """Send message number (to its own numbered recipient), retrying: a
    service whose process died before it took a request is throttled by
    master for service_throttle_time."""
    for _ in range(10):
        rc, out = source(program, server.port, 1, body,
                         recipient=f"{number}user@relay.example",
                         numbered=False, timeout=60)
        if rc == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"message {number} not accepted: {out}\n"
                         + server.log_text()[-3000:])


def mta(request, base, sink_port):
    """The mail system under test (context manager -> (server, queue_dir,
    master pid function))."""
    settings = dict(
        relayhost=f"[127.0.0.1]:{sink_port}",
        smtp_dns_support_level="disabled",
        queue_run_delay="1s", minimal_backoff_time="1s",
        maximal_backoff_time="2s", transport_retry_time="1s",
        service_throttle_time="1s")
    if os.environ.get("SMTP_LOAD_MTA") == "debian":
        spool = base / "debian/spool"

        def pid():
            try:
                return int((spool / "pid/master.pid").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                return None
        return debian_smtpd(base, **settings), spool, pid
    inst = our_instance(request)
    return ours_smtpd(inst, **settings), inst.queue_dir, inst.master_pid


def test_messages_survive_killed_smtp_and_qmgr(request, shared_tmp,
                                               install_root):
    src, sink_program = tools(install_root)
    body = shared_tmp / "message"
    message_file(body)
    sink = Sink(sink_program, shared_tmp)
    try:
        context, queue_dir, master_pid = mta(request, shared_tmp, sink.port)
        with context as server:
            master = master_pid()
            assert master
            killer = Killer(master, SEED, (KILL_MIN, KILL_MAX), pick_victim)
            result = {}

            def send():
                result["rc"], result["out"] = source(src, server.port,
                                                     MESSAGES, body)
                result["done"] = time.monotonic()
            sender = threading.Thread(target=send, daemon=True)
            started = time.monotonic()
            sender.start()
            killer.thread.start()
            deadline = started + KILL_SECONDS
            extra = MESSAGES
            try:
                while time.monotonic() < deadline:
                    if (not sender.is_alive()
                            and len(sink.scan()) >= KILL_UNTIL * MESSAGES):
                        break
                    if (not sender.is_alive() and "qmgr" not in
                            children(master).values()):
                        # Nothing wakes a killed qmgr once the source is
                        # done (its wakeup timer is 300s): a new message
                        # does (cleanup triggers it).
                        extra += 1
                        wake(src, server, extra, body)
                    time.sleep(0.5)
            finally:
                killer.stop.set()
                killer.thread.join(10)
            sender.join(SEND_TIMEOUT)
            assert not sender.is_alive(), "smtp-source did not finish"
            send_time = result["done"] - started
            kill_time = time.monotonic() - started
            assert result["rc"] == 0, (result, server.log_text()[-3000:])
            # One more message after the last kill (it wakes qmgr).
            extra += 1
            wake(src, server, extra, body)
            acked = set(range(1, extra + 1))

            drain_deadline = time.monotonic() + DRAIN_TIMEOUT
            while True:
                files = queue_files(queue_dir)
                seen = sink.scan()
                if not any(files.values()) and acked <= set(seen):
                    break
                if time.monotonic() > drain_deadline:
                    break
                time.sleep(0.5)
            total_time = time.monotonic() - started
            log = server.log_text()
    finally:
        sink.stop()

    seen = sink.scan(final=True)
    lost = sorted(acked - set(seen))
    duplicates = sum(c - 1 for c in seen.values() if c > 1)
    report = {
        "mta": os.environ.get("SMTP_LOAD_MTA", "ours"),
        "tools": str(src.parent),
        "messages": len(acked),
        "wake_messages": extra - MESSAGES,
        "delivered_unique": len(seen),
        "duplicates": duplicates,
        "partial_transfers": sink.files() - sum(seen.values()),
        "lost": len(lost),
        "kills": dict(killer.kills),
        "left_in_queue": {q: len(f) for q, f in files.items() if f},
        "send_seconds": round(send_time, 1),
        "kill_seconds": round(kill_time, 1),
        "total_seconds": round(total_time, 1),
        "accept_rate": round(MESSAGES / send_time, 1),
        "e2e_rate": round(len(acked) / total_time, 1),
        "log_warnings": dict(warning_kinds(log).most_common(6)),
        "deferred_lines": log.count("status=deferred"),
    }
    print("smtp load:", json.dumps(report, sort_keys=True))
    if os.environ.get("SMTP_LOAD_LOG"):
        Path(os.environ["SMTP_LOAD_LOG"]).write_text(log)
    if os.environ.get("SMTP_LOAD_REPORT"):
        with open(os.environ["SMTP_LOAD_REPORT"], "a") as f:
            f.write(json.dumps(report, sort_keys=True) + "\n")
    assert sum(killer.kills.values()) > 0, report
    assert not lost, (f"{len(lost)} acknowledged messages lost, e.g. "
                      f"{lost[:10]}: {report}\n{log[-3000:]}")
    assert not report["left_in_queue"], (report, log[-3000:])
