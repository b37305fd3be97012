"""Durability and bad input along the whole local path: sendmail(1) ->
postdrop(1) -> maildrop/ -> pickup(8) -> cleanup(8) -> incoming/, with
the installed master(8) running pickup, cleanup and trivial-rewrite
(the submit_master fixture of test_sendmail.py: unprivileged, and as
root also privileged with a set-gid postdrop).

- Durability: parallel submitters while a killer sends SIGKILL to pickup
  and cleanup processes at random moments (fixed seed, bounded count).
  Every message that sendmail accepted ends up complete in incoming/
  (our postcat reads it) or still in maildrop/; none is lost, none is
  incomplete under a queue ID; each crash adds at most one copy of one
  message (DESIGN.md: at most a recipient is delivered twice, per
  crash: two kills in the same window of one message make three
  copies, which the test has seen).
- The same with master and all its children killed at once, twice, and
  master started again.
- Bad input through sendmail: a 100 MB message against the default
  message_size_limit, with the memory of every program on the path
  sampled (also 100 MB straight into the cleanup socket); a message just under the limit (memory again); a 1 MB header
  (header_size_limit); 10,000 recipients on the command line and with
  -t; NUL bytes in headers and body; a truncated and a garbage maildrop
  file next to good mail.

Each test checks that no daemon panicked, died of a fatal error, or was
killed (the maillog of master), and that nothing acknowledged is lost.
Cleanup-socket bad input (garbage records, a 1 MB header, 10,000
recipients, NUL bytes, a kill storm of cleanup alone) is in
test_cleanup.py; pickup against garbage files stand-alone in
test_sendmail.py.
"""

import os
import random
import re
import subprocess
import threading
import time

import pytest

import test_sendmail
from queuefile import content_lines
from cleanup_wire import (CleanupClient, FLAGS_DEFAULT, STAT_SIZE,
                          parse_records, record)
from test_master import children_of, wait_until
from test_sendmail import maildrop_files, submit

submit_master = test_sendmail.submit_master     # the fixture, shared

DAEMONS = ("pickup", "cleanup", "trivial-rewrite", "master", "postlogd")
MB = 1024 * 1024

only_unprivileged = pytest.mark.parametrize("submit_master", ["unprivileged"],
                                            indirect=True)


# ---------------------------------------------------------------- helpers

def daemon_trouble(log):
    """Log lines of daemons that panicked, died, or were killed."""
    bad = []
    for line in log.splitlines():
        m = re.search(r" postfix/([\w-]+)\[\d+\]: (.*)", line)
        if not m or m.group(1) not in DAEMONS:
            continue
        text = m.group(2)
        if (text.startswith(("panic:", "fatal:"))
                or re.search(r"killed by signal|exit status|terminated "
                             r"with signal|core dump", text)):
            bad.append(line)
    return bad


def assert_daemons_healthy(m):
    """No daemon of the instance panicked, died or was killed."""
    bad = daemon_trouble(m.log())
    assert not bad, "\n".join(bad[:20])


def assert_logged(m, path):
    """pickup and cleanup logged the message of queue file path."""
    log = m.wait_log(f"{path.name}: uid=")
    assert re.search(rf"postfix/pickup\[\d+\]: {path.name}: uid=\d+ "
                     rf"from=<", log), log[-2000:]
    assert re.search(rf"postfix/cleanup\[\d+\]: {path.name}: "
                     rf"message-id=<", log), log[-2000:]


def ready(path):
    """A complete incoming/ file: cleanup gave it the owner execute bit
    (a killed cleanup leaves its file under the queue ID without it)."""
    try:
        return bool(path.stat().st_mode & 0o100)
    except FileNotFoundError:
        return False


def queue_files(m, queue="incoming"):
    """The complete queue files of incoming/ (not tmp.*, not unfinished
    ones that a killed cleanup left)."""
    path = m.queue / queue
    return sorted(p for p in path.iterdir()
                  if not p.name.startswith("tmp.") and ready(p))


def postcat(m, *args):
    """Our postcat with the instance's configuration."""
    argv = [str(m.inst.sbin / "postcat"), "-c", str(m.inst.config_dir),
            *map(str, args)]
    return subprocess.run(argv, capture_output=True, timeout=120,
                          env=m.inst.env())


def kick_pickup(m):
    """Send pickup a W trigger (as master's wakeup would)."""
    subprocess.run([str(m.inst.sbin / "postkick"), "-c",
                    str(m.inst.config_dir), "public", "pickup", "W"],
                   preexec_fn=m._preexec, env=m.inst.env(),
                   capture_output=True, timeout=30)


def drain(m, count, timeout=60.0):
    """Kick pickup until maildrop/ is empty and incoming/ has count
    files; return the incoming/ files."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # maildrop/ first: a message whose file pickup removed has its
        # complete incoming/ file by then. (Listed the other way round, a
        # commit between the two looks could go unseen, with duplicates
        # making up the count.)
        if not maildrop_files(m):
            files = queue_files(m)
            if len(files) >= count:
                return files
        kick_pickup(m)
        time.sleep(0.3)
    raise AssertionError(f"maildrop/ not drained: {len(maildrop_files(m))} "
                         f"left, {len(queue_files(m))} in incoming/\n"
                         + m.log()[-3000:])




def header_value(records, name):
    """The value of the first header name, or None."""
    prefix = name.lower().encode() + b":"
    for line in content_lines(records):
        if line == b"":
            break
        if line.lower().startswith(prefix):
            return line[len(prefix):].strip().decode(errors="replace")
    return None


def start_master(m):
    """Start master and wait for the pickup and cleanup endpoints."""
    m.start()
    wait_until(lambda: (m.queue / "public/pickup").exists(), "public/pickup")
    wait_until(lambda: (m.queue / "public/cleanup").exists(), "public/cleanup")


def service_pids(m, names):
    """pids of master's children that run one of names."""
    pids = []
    for pid, cmd in children_of(m.pid()).items():
        argv0 = os.path.basename(cmd.split(" ", 1)[0]) if cmd else ""
        if argv0 in names:
            pids.append(pid)
    return pids


def process_tree(pid):
    """pid and all its live descendants."""
    result, todo = [], [pid]
    while todo:
        p = todo.pop()
        result.append(p)
        todo.extend(children_of(p))
    return result


def vm_hwm_kb(pid):
    """Peak resident set size of a live process in kB, or 0."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class Sampler:
    """Samples the VmHWM of a process tree (by pid), and of master's
    pickup and cleanup children, until stopped; keeps each pid's peak."""

    def __init__(self, m, root_pid=None):
        self.m, self.root_pid = m, root_pid
        self.peak = {}                      # pid -> (name, kB)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sample(self):
        pids = service_pids(self.m, ("pickup", "cleanup"))
        if self.root_pid:
            pids += process_tree(self.root_pid)
        for pid in pids:
            kb = vm_hwm_kb(pid)
            try:
                name = open(f"/proc/{pid}/comm").read().strip()
            except OSError:
                continue
            if kb > self.peak.get(pid, ("", 0))[1]:
                self.peak[pid] = (name, kb)

    def _run(self):
        while not self.stop_event.is_set():
            self._sample()
            time.sleep(0.01)

    def stop(self):
        self.stop_event.set()
        self.thread.join(timeout=10)
        self._sample()
        by_name = {}
        for name, kb in self.peak.values():
            by_name[name] = max(kb, by_name.get(name, 0))
        return by_name


def sendmail_popen(m, *args):
    """sendmail running, with pipes, as the instance's submitting user."""
    argv = [str(m.inst.sbin / "sendmail"), "-C", str(m.inst.config_dir),
            *map(str, args)]
    return subprocess.Popen(argv, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=m.inst.env(), preexec_fn=m._preexec)


def feed(proc, total, line=b"x" * 999 + b"\n", head=b"Subject: big\n\n"):
    """Write head and then lines up to total bytes into proc's input, in
    64 KB chunks; stop quietly when proc stops reading. Returns the
    number of bytes written."""
    chunk = line * (65536 // len(line))
    written = 0
    try:
        proc.stdin.write(head)
        written += len(head)
        while written < total:
            proc.stdin.write(chunk)
            written += len(chunk)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    return written


def finish(proc, timeout=60):
    """Wait for proc; return (exit status, standard error). (Not wait4's
    ru_maxrss: it counts the Python process that forked before exec.)"""
    try:
        proc.stdin.close()
    except BrokenPipeError:
        pass
    err = proc.stderr.read()
    proc.stderr.close()
    proc.stdout.close()
    return proc.wait(timeout=timeout), err


# ---------------------------------------------------------- durability

SUBMITTERS = 4
PER_SUBMITTER = 75
KILLS = 60


def test_kill_pickup_and_cleanup_loses_nothing(submit_master):
    """Several sendmail loops run while pickup and cleanup are killed at
    random moments; afterwards every accepted message is in incoming/
    (complete) or maildrop/; every crash adds one copy of a message at
    most."""
    m = submit_master
    m.main_cf(service_throttle_time="1s")
    start_master(m)
    rng = random.Random(8088)
    status = {}                                 # subject -> exit status
    lock = threading.Lock()
    stop = threading.Event()
    kills = []

    def submitter(n):
        for i in range(PER_SUBMITTER):
            subject = f"durable-{n}-{i}"
            body = "".join(f"line {k} of {subject}\n" for k in range(20))
            r = submit(m, "-f", "s@example.org", f"r{n}@example.org",
                       input=(f"Subject: {subject}\nMessage-ID: <{subject}"
                              f"@test.example>\n\n{body}").encode())
            with lock:
                status[subject] = (r.returncode, r.stderr)

    def killer():
        while not stop.is_set() and len(kills) < KILLS:
            time.sleep(rng.uniform(0.005, 0.06))
            pids = sorted(service_pids(m, ("pickup", "cleanup")))
            if not pids:
                continue
            pid = rng.choice(pids)
            try:
                os.kill(pid, 9)
                kills.append(pid)
            except ProcessLookupError:
                pass

    threads = [threading.Thread(target=submitter, args=(n,))
               for n in range(SUBMITTERS)]
    kill_thread = threading.Thread(target=killer)
    kill_thread.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    stop.set()
    kill_thread.join(timeout=30)

    total = SUBMITTERS * PER_SUBMITTER
    failed = {s: v for s, v in status.items() if v[0] != 0}
    # Killing pickup or cleanup does not concern sendmail and postdrop.
    assert len(status) == total and not failed, list(failed.items())[:3]
    files = drain(m, total)
    # Every file under a queue ID is complete: our postcat (which runs
    # queue_file_read's checks) reads them all.
    r = postcat(m, *files)
    assert r.returncode == 0, r.stderr[-2000:]
    copies = {}
    for path in files:
        recs = parse_records(path.read_bytes())
        assert recs[0] == ("Q", b"postel-queue 1") and recs[-1] == ("Z", b"")
        subject = header_value(recs, "Subject")
        copies[subject] = copies.get(subject, 0) + 1
    for path in maildrop_files(m):              # none after drain()
        subject = header_value(parse_records(path.read_bytes()), "Subject")
        copies[subject] = copies.get(subject, 0) + 1
    lost = sorted(set(status) - set(copies))
    assert not lost, (lost[:10], [line for line in daemon_trouble(m.log())
                                  if "killed by signal 9" not in line][:20])
    assert set(copies) == set(status)
    # One crash queues a message twice at most (pickup or cleanup dies
    # after cleanup's commit, before pickup removed the maildrop file);
    # two crashes in that window for the same message make three copies.
    extra = sum(n - 1 for n in copies.values())
    twice = sorted(s for s, n in copies.items() if n > 1)
    assert extra <= len(kills), (extra, len(kills))
    stale = [p.name for p in (m.queue / "incoming").iterdir()
             if p.name.startswith("tmp.") or not ready(p)]
    log = m.log()
    print(f"\n{m.privileged and 'privileged' or 'unprivileged'}: {total} "
          f"messages, {len(kills)} processes killed "
          f"({log.count('killed by signal 9')} logged), "
          f"{len(twice)} messages queued more than once ({extra} extra "
          f"copies, at most {max(copies.values())} of one message) "
          f"{twice[:5]}, "
          f"{len(stale)} unfinished files left in incoming/")
    assert len(kills) >= 10
    # The only trouble in the log is the processes we killed.
    bad = [line for line in daemon_trouble(log)
           if "killed by signal 9" not in line]
    assert not bad, "\n".join(bad[:20])


def test_kill_everything_loses_nothing(submit_master):
    """SIGKILL to master and all its children at once, twice, while
    messages are submitted; master is started again each time. Every
    accepted message arrives, complete; each crash adds one copy at most
    (the one file that pickup had in flight)."""
    m = submit_master
    m.main_cf(service_throttle_time="1s")
    start_master(m)
    rng = random.Random(4242)
    status = {}
    lock = threading.Lock()

    def submitter(n):
        for i in range(40):
            subject = f"crash-{n}-{i}"
            r = submit(m, "-f", "s@example.org", "r@example.org",
                       input=f"Subject: {subject}\n\nbody\n".encode())
            with lock:
                status[subject] = r.returncode

    threads = [threading.Thread(target=submitter, args=(n,))
               for n in range(3)]
    for t in threads:
        t.start()
    crashes = 0
    for _ in range(2):
        time.sleep(rng.uniform(0.2, 0.6))
        pid = m.pid()
        victims = [pid] + list(children_of(pid))
        for victim in victims:
            try:
                os.kill(victim, 9)
            except ProcessLookupError:
                pass
        wait_until(lambda: not any(os.path.exists(f"/proc/{v}/status")
                                   and vm_hwm_kb(v) for v in victims),
                   "the killed processes to go")
        crashes += 1
        time.sleep(rng.uniform(0.1, 0.3))   # submissions meanwhile
        start_master(m)
    for t in threads:
        t.join(timeout=240)
    total = 3 * 40
    assert len(status) == total and set(status.values()) == {0}, status
    files = drain(m, total)
    r = postcat(m, *files)
    assert r.returncode == 0, r.stderr[-2000:]
    copies = {}
    for path in files:
        recs = parse_records(path.read_bytes())
        subject = header_value(recs, "Subject")
        copies[subject] = copies.get(subject, 0) + 1
    assert set(copies) == set(status)
    extra = sum(n - 1 for n in copies.values())
    print(f"\n{total} messages, {crashes} crashes of everything, "
          f"{extra} extra copies")
    assert extra <= crashes
    bad = [line for line in daemon_trouble(m.log())
           if "killed by signal 9" not in line]
    assert not bad, "\n".join(bad[:20])


# ----------------------------------------------------------- bad input

@only_unprivileged
def test_100mb_message_is_refused_with_bounded_memory(submit_master):
    """A 100 MB message against the default message_size_limit
    (10240000): sendmail stops reading, says why, exits EX_TEMPFAIL
    (as for any sendmail fatal error); nothing stays in maildrop/ or
    incoming/; neither sendmail nor postdrop holds the message in
    memory."""
    m = submit_master
    start_master(m)
    proc = sendmail_popen(m, "-f", "s@example.org", "r@example.org")
    sampler = Sampler(m, proc.pid)
    written = feed(proc, 100 * MB)
    status, err = finish(proc)
    peaks = sampler.stop()
    print(f"\n100 MB: wrote {written} bytes; peak VmHWM kB {peaks}")
    assert status == 75, err
    assert err.endswith(b": message file too big\n"), err
    assert err.startswith(b"sendmail: fatal: "), err
    assert written < 100 * MB, "sendmail read the whole message"
    # sendmail lives until finish(), so it was sampled; postdrop may have
    # exited between two samples on a busy machine: bounded when seen.
    assert 0 < peaks.get("sendmail", 0) < 8 * 1024, peaks
    assert peaks.get("postdrop", 0) < 8 * 1024, peaks
    log = m.wait_log("message file too big")
    assert re.search(r"postfix/sendmail\[\d+\]: fatal: \S+\(\d+\): "
                     r"message file too big$", log, re.M), log[-2000:]
    wait_until(lambda: not maildrop_files(m), "maildrop/ to be empty")
    time.sleep(0.5)
    assert maildrop_files(m) == []
    assert list((m.queue / "incoming").iterdir()) == []
    assert_daemons_healthy(m)


@only_unprivileged
def test_100mb_on_the_cleanup_socket(submit_master):
    """100 MB of content records straight to public/cleanup (default
    message_size_limit): cleanup answers "message file too big" after
    the end record, logs why, leaves no file, and its memory stays
    small."""
    m = submit_master
    start_master(m)
    client = CleanupClient(m.queue / "public/cleanup", timeout=120)
    sampler = Sampler(m)
    try:
        client.request(FLAGS_DEFAULT)
        client.send(record("F", "s@example.org") + record("R", "r@example.org")
                    + record("M") + record("L", "Subject: huge"))
        chunk = record("L", "z" * 998) * 64
        for _ in range(100 * MB // len(chunk)):
            client.send(chunk)
        client.send(record("X") + record("Z"))
        reply = client.reply()
    finally:
        client.close()
    peaks = sampler.stop()
    print(f"\ncleanup socket 100 MB: peak VmHWM kB {peaks}")
    assert reply["status"] == STAT_SIZE, reply
    assert reply["reason"] == "5.3.4 message file too big"
    m.wait_log(f"warning: {client.queue_id}: queue file size limit exceeded")
    assert 0 < peaks.get("cleanup", 0) < 8 * 1024, peaks
    wait_until(lambda: not list((m.queue / "incoming").iterdir()),
               "incoming/ to be empty")
    assert_daemons_healthy(m)


@only_unprivileged
def test_message_under_the_limit_keeps_memory_small(submit_master):
    """A 9.5 MB message is accepted; no program on the path (sendmail,
    postdrop, pickup, cleanup) holds it in memory."""
    m = submit_master
    start_master(m)
    proc = sendmail_popen(m, "-f", "s@example.org", "r@example.org")
    sampler = Sampler(m, proc.pid)
    size = int(9.5 * MB)
    feed(proc, size, head=b"Subject: nearly too big\n\n")
    status, err = finish(proc)
    assert status == 0, err
    (path,) = drain(m, 1)
    peaks = sampler.stop()
    print(f"\n9.5 MB: peak VmHWM kB {peaks}")
    assert path.stat().st_size > size
    for name in ("sendmail", "postdrop", "pickup", "cleanup"):
        assert 0 < peaks.get(name, 0) < 8 * 1024, peaks
    assert_logged(m, path)
    r = postcat(m, "-h", path)
    assert r.returncode == 0
    assert b"Subject: nearly too big\nMessage-Id: <" in r.stdout
    assert_daemons_healthy(m)


@only_unprivileged
def test_one_megabyte_header(submit_master):
    """A 1 MB header line: sendmail writes it as P records, cleanup keeps
    the first header_size_limit (102400) bytes and the message is
    accepted; the next header and the body are intact."""
    m = submit_master
    start_master(m)
    big = b"X-Big: " + b"h" * MB
    r = submit(m, "-f", "s@example.org", "r@example.org",
               input=big + b"\nSubject: after big\n\nbody line\n")
    assert (r.returncode, r.stderr) == (0, b"")
    (path,) = drain(m, 1)
    assert_logged(m, path)
    r = postcat(m, "-h", "-b", path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split(b"\n")
    assert [x for x in lines if x.startswith(b"X-Big: ")] == [big[:102400]]
    assert b"Subject: after big" in lines
    assert lines[-2:] == [b"body line", b""]
    assert_daemons_healthy(m)


@only_unprivileged
def test_ten_thousand_recipients(submit_master):
    """10,000 recipients on the command line, and 10,000 from 100 To:
    headers with sendmail -t: all in the queue file, once each."""
    m = submit_master
    start_master(m)
    rcpts = [f"u{i}@example.org" for i in range(10000)]
    r = submit(m, "-f", "s@example.org", *rcpts,
               input=b"Subject: argv rcpts\n\nb\n")
    assert (r.returncode, r.stderr) == (0, b"")
    headers = b"".join(b"To: " + ", ".join(rcpts[i:i + 100]).encode()
                       + b"\n" for i in range(0, 10000, 100))
    r = submit(m, "-t", "-f", "s@example.org",
               input=headers + b"Subject: header rcpts\n\nb\n")
    assert (r.returncode, r.stderr) == (0, b"")
    files = drain(m, 2)
    assert postcat(m, *files).returncode == 0
    seen = set()
    for path in files:
        assert_logged(m, path)
        recs = parse_records(path.read_bytes())
        got = [d.decode() for k, d in recs if k == "R"]
        seen.add(header_value(recs, "Subject"))
        assert sorted(got) == sorted(rcpts), (len(got), got[:3])
        size = [d for k, d in recs if k == "S"][0].split()
        assert int(size[2]) == 10000
    assert seen == {"argv rcpts", "header rcpts"}
    assert_daemons_healthy(m)


@only_unprivileged
def test_nul_bytes_in_headers_and_body(submit_master):
    """NUL bytes in a header and in the body go through sendmail,
    postdrop, pickup and cleanup; the message is accepted, a header ends
    at its first NUL and the body keeps the bytes (as Postfix; see
    test_submit_diff.py)."""
    m = submit_master
    start_master(m)
    text = b"Subject: nul\0here\nX-Nul: \0\n\nbody\0line\n\0\n"
    r = submit(m, "-f", "s@example.org", "r@example.org", input=text)
    assert (r.returncode, r.stderr) == (0, b"")
    (path,) = drain(m, 1)
    assert_logged(m, path)
    recs = parse_records(path.read_bytes())
    lines = content_lines(recs)
    assert b"Subject: nul" in lines and b"X-Nul: " in lines
    assert not any(b"\0" in line for line in lines[:-3])
    assert lines[-2:] == [b"body\0line", b"\0"]
    r = postcat(m, "-b", path)
    assert (r.returncode, r.stdout) == (0, b"\nbody\0line\n\0\n")
    assert_daemons_healthy(m)


@only_unprivileged
def test_truncated_and_garbage_maildrop_files(submit_master):
    """A truncated maildrop file (no Z record) and a garbage one, next to
    good mail: pickup logs and removes both, the good messages arrive."""
    m = submit_master
    r = submit(m, "-f", "s@example.org", "r@example.org",
               input=b"Subject: good one\n\nb\n")
    assert r.returncode == 0
    (good,) = maildrop_files(m)
    data = good.read_bytes()
    truncated = m.queue / "maildrop" / "AAAAAA1"
    truncated.write_bytes(data[:len(data) // 2])
    garbage = m.queue / "maildrop" / "AAAAAA2"
    garbage.write_bytes(bytes(random.Random(2).randrange(256)
                              for _ in range(3000)))
    for path in (truncated, garbage):
        if m.run_as:
            os.chown(path, *m.run_as)
    start_master(m)
    r = submit(m, "-f", "s@example.org", "r@example.org",
               input=b"Subject: good two\n\nb\n")
    assert r.returncode == 0
    files = drain(m, 2)
    assert sorted(header_value(parse_records(p.read_bytes()), "Subject")
                  for p in files) == ["good one", "good two"]
    for path in files:
        assert_logged(m, path)
    for name, why in (("AAAAAA1", r"truncated record at offset \d+"),
                      ("AAAAAA2", "bad record type at offset 0")):
        log = m.wait_log(f"maildrop/{name}: uid=")
        assert re.search(rf"postfix/pickup\[\d+\]: warning: maildrop/{name}: "
                         rf"uid=\d+ from=<[^>]*>: {why}: file removed$",
                         log, re.M), log[-2000:]
    assert not truncated.exists() and not garbage.exists()
    assert_daemons_healthy(m)
