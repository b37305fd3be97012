"""SMTP dialogue helpers shared by the smtpd(8) system tests.

Servers
-------
    ours_smtpd(inst, **settings)       context manager -> SmtpServer
        Starts OUR mail system in a conftest Instance (use the
        privileged_instance fixture when root, else instance: see
        our_instance()) with an smtpd(8) inet service on
        127.0.0.1:<free port> plus the services of the installed
        master.cf template (cleanup, rewrite, postlog, ...). settings are
        extra main.cf parameters (COMMON is applied first). Keyword
        master_extra="..." appends master.cf lines; smtpd_args="-o x=y"
        adds arguments to the smtpd line; without=("qmgr",) leaves
        template services out.
    debian_smtpd(base, **settings)     context manager -> SmtpServer
        The same with Debian's Postfix 3.7 in a throwaway instance under
        the directory base (must be reachable by the "postfix" account:
        use the shared_tmp fixture). Skips the test unless root, with
        /usr/sbin/postfix and the postfix account.
    both_smtpd(inst, base, **settings) context manager -> (ours, debian)
    our_instance(request)              privileged_instance if root, else
                                       instance (call from a fixture/test)

    SmtpServer: .port, .host, .real (True for Debian), .config_dir,
    .log_text(), .wait_for_log(needle, timeout=10), .smtpd_log() (the
    smtpd lines, normalised: no time stamp, pid or queue id),
    .wait_disconnects(count, timeout=10) (until count sessions ended),
    .postconf(*args) (runs the side's postconf -c).

Talking
-------
    dialogue(port, lines, pipelined=False, source=None, timeout=10,
             host="127.0.0.1", greeting=True) -> list of replies
        Connects (from source address, e.g. "127.0.0.2", when given),
        reads the greeting (first element, unless greeting=False), then
        sends each line (str: CRLF appended; bytes: sent as is) and reads
        one full reply per line. pipelined=True sends all lines in one
        write and then reads the replies. A reply is its lines without
        CRLF joined by "\\n". When the server closes the connection the
        reply is "<EOF>" (and reading stops); when no complete reply
        arrives within timeout it is "<TIMEOUT>".
    Session(port, source=None, timeout=10)  step by step: .greeting,
        .send(line_or_bytes), .reply(), .command(line) (send + reply),
        .close(); also a context manager.
    diff_dialogue(ours, debian, lines, **kw) -> (ours_replies,
        debian_replies), the same dialogue against both servers.
    normalize_smtpd_log(text) -> list of "smtpd: message" lines.
    free_port() -> an unused TCP port on 127.0.0.1.
"""

import contextlib
import os
import pwd
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import drop_inet_services, wait_for_text
from ports import free_port

REAL_POSTFIX = Path("/usr/sbin/postfix")
START_TIMEOUT = 60.0

# Settings that make the two sides comparable.
COMMON = {
    "compatibility_level": "3.6",
    "myhostname": "test.example",
    "mydomain": "example",
    "myorigin": "test.example",
    "mydestination": "test.example, localhost",
    "mynetworks": "127.0.0.0/8",
    "inet_interfaces": "127.0.0.1",
    "inet_protocols": "ipv4",
    "alias_maps": "",
    "alias_database": "",
    "local_recipient_maps": "",
    # No one-second pause after each error reply (both sides): tests that
    # are about the pause set it back.
    "smtpd_error_sleep_time": "0",
    # Without qmgr nobody hands out flow-control tokens: each new
    # connection to our smtpd would wait in_flow_delay (1s) first.
    "in_flow_delay": "0s",
    # No comsat datagrams to 127.0.0.1:512 from local(8): the one test
    # about them listens there and would see other tests' deliveries.
    "biff": "no",
}

DEBIAN_MASTER_CF = """\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def _wait_until(predicate, what, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timeout waiting for {what}")


def _listening(host, port):
    """Is something listening on port? (Read from /proc, so that the
    check does not make a session that the server would log.)"""
    want = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for row in f:
                    fields = row.split()
                    if fields[1].endswith(want) and fields[3] == "0A":
                        return True
        except OSError:
            continue
    return False


def normalize_smtpd_log(text):
    """The smtpd lines of a maillog, without time stamp and pid, with
    queue IDs replaced by QUEUEID."""
    out = []
    for line in text.splitlines():
        m = re.search(r"postfix/smtpd\[\d+\]: (.*)$", line)
        if not m:
            continue
        msg = re.sub(r"^[0-9A-Za-z]{10,20}: ", "QUEUEID: ", m.group(1))
        out.append("smtpd: " + msg)
    return out


class SmtpServer:
    """One running mail system with an smtpd listener."""

    def __init__(self, real, config_dir, maillog, port, sbin):
        self.real = real
        self.config_dir = Path(config_dir)
        self.maillog = Path(maillog)
        self.port = port
        self.host = "127.0.0.1"
        self.sbin = Path(sbin)

    def log_text(self):
        try:
            return self.maillog.read_text(errors="replace")
        except OSError:
            return ""

    def wait_for_log(self, needle, timeout=10.0):
        """Wait until needle is in the maillog; return the log text."""
        return wait_for_text(self.log_text, needle, timeout)

    def smtpd_log(self):
        return normalize_smtpd_log(self.log_text())

    def wait_disconnects(self, count, timeout=10.0):
        """Wait until count sessions have logged "disconnect from" (log
        lines arrive in no fixed order with the replies)."""
        def enough():
            return sum("disconnect from" in line
                       for line in self.smtpd_log()) >= count
        _wait_until(enough, f"{count} disconnect lines:\n"
                    + self.log_text()[-2000:], timeout)

    def postconf(self, *args):
        return subprocess.run([str(self.sbin / "postconf"), "-c",
                               str(self.config_dir), *args],
                              capture_output=True, text=True, timeout=60)


def our_instance(request):
    """The conftest instance to run ours in: privileged as root."""
    if os.geteuid() == 0:
        return request.getfixturevalue("privileged_instance")
    return request.getfixturevalue("instance")


def write_ours_config(inst, port, master_extra="", smtpd_args="",
                      without=(), **settings):
    """Write the master.cf and main.cf of ours_smtpd (smtpd on port)."""
    template = inst.root / "etc/postfix/master.cf"
    # No listener on the real port 25.
    lines = [line for line in
             drop_inet_services(template.read_text()).splitlines()
             if not line.split()[:1] or line.split()[0] not in without]
    lines.append(f"127.0.0.1:{port} inet n - n - - smtpd {smtpd_args}")
    if master_extra:
        lines.append(master_extra.rstrip("\n"))
    inst.write_master_cf("\n".join(lines) + "\n")
    inst.write_main_cf(**dict(COMMON, **settings))


@contextlib.contextmanager
def ours_smtpd(inst, master_extra="", smtpd_args="", without=(),
               **settings):
    """Our mail system with smtpd on a free loopback port; without names
    template services to leave out (("qmgr",): mail stays in incoming/)."""
    port = free_port()
    write_ours_config(inst, port, master_extra, smtpd_args, without,
                      **settings)
    if inst.privileged:
        pw = pwd.getpwnam(inst.owner)
        os.chown(inst.data_dir, pw.pw_uid, pw.pw_gid)
    result = inst.run("postfix", "start")
    assert result.returncode == 0, result.stdout + result.stderr
    server = SmtpServer(False, inst.config_dir, inst.maillog, port, inst.sbin)
    try:
        _wait_until(lambda: _listening("127.0.0.1", port),
                    f"our smtpd on port {port}:\n" + inst.log_text()[-2000:])
        yield server
    finally:
        inst.run("postfix", "stop")
        inst.stop_everything()


def _debian_usable():
    if os.geteuid() != 0 or not REAL_POSTFIX.exists():
        return False
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        return False
    return True


def write_debian_config(base, port, master_extra="", smtpd_args="",
                        **settings):
    """Write the main.cf and master.cf of debian_smtpd (its directory
    base, smtpd on port)."""
    etc, spool, data = base / "etc", base / "spool", base / "data"
    values = dict(COMMON, queue_directory=spool, data_directory=data,
                  maillog_file=base / "maillog", maillog_file_prefixes=base,
                  mail_owner="postfix", setgid_group="postdrop")
    values.update(settings)
    (etc / "main.cf").write_text(
        "".join(f"{k} = {v}\n" for k, v in values.items()))
    (etc / "master.cf").write_text(
        DEBIAN_MASTER_CF
        + f"127.0.0.1:{port} inet n - n - - smtpd {smtpd_args}\n"
        + master_extra)
    # Postfix reads a main.cf that changed within the last second or so
    # again and again (300 ms apart) until it is old enough, at start and
    # at reload: date the finished files back instead of waiting.
    past = time.time() - 10
    for name in ("main.cf", "master.cf"):
        os.utime(etc / name, (past, past))


@contextlib.contextmanager
def debian_smtpd(base, master_extra="", smtpd_args="", **settings):
    """Debian's Postfix 3.7 with smtpd on a free loopback port."""
    if not _debian_usable():
        pytest.skip("needs root, Debian's Postfix and the postfix account")
    base = Path(base) / "debian"
    etc, spool, data = base / "etc", base / "spool", base / "data"
    for d in (etc, spool, data):
        d.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)
    pw = pwd.getpwnam("postfix")
    os.chown(data, pw.pw_uid, pw.pw_gid)
    port = free_port()
    write_debian_config(base, port, master_extra, smtpd_args, **settings)
    postfix = [str(REAL_POSTFIX), "-c", str(etc)]
    server = SmtpServer(True, etc, base / "maillog", port, "/usr/sbin")
    # Debian's "postfix start" has failed now and then on a busy machine
    # without saying why on its output: try once more, then show the log.
    for attempt in range(2):
        result = subprocess.run(postfix + ["start"], capture_output=True,
                                text=True, timeout=60)
        if result.returncode == 0:
            break
        time.sleep(1)
    try:
        try:
            _wait_until(lambda: _listening("127.0.0.1", port),
                        f"Debian's smtpd on port {port}")
        except AssertionError as e:
            raise AssertionError(f"{e}: postfix start: {result.returncode} "
                                 f"{result.stdout}{result.stderr}\n"
                                 + server.log_text()[-2000:]) from None
        yield server
    finally:
        subprocess.run(postfix + ["stop"], capture_output=True, timeout=60)
        try:
            pid = int((spool / "pid/master.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass


@contextlib.contextmanager
def both_smtpd(inst, base, **settings):
    """(ours, debian) with the same settings; skips without Debian."""
    if not _debian_usable():
        pytest.skip("needs root, Debian's Postfix and the postfix account")
    with debian_smtpd(base, **settings) as debian:
        with ours_smtpd(inst, **settings) as ours:
            yield ours, debian


class Session:
    """A raw SMTP connection: send lines, read complete replies."""

    def __init__(self, port, source=None, timeout=10.0, host="127.0.0.1",
                 greeting=True):
        self.timeout = timeout
        self.sock = socket.create_connection(
            (host, port), timeout=timeout,
            source_address=(source, 0) if source else None)
        self.buf = b""
        self.closed = False
        self.greeting = self.reply() if greeting else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        """Send one line (str: CRLF added) or raw bytes."""
        if isinstance(data, str):
            data = data.encode() + b"\r\n"
        try:
            self.sock.sendall(data)
        except OSError:
            self.closed = True

    def _line(self, deadline):
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout()
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def reply(self):
        """One complete (multi-line) reply, "<EOF>" or "<TIMEOUT>"."""
        deadline = time.monotonic() + self.timeout
        lines = []
        try:
            while True:
                line = self._line(deadline)
                if line is None:
                    self.closed = True
                    return "\n".join(lines + ["<EOF>"]) if lines else "<EOF>"
                lines.append(line)
                if len(line) < 4 or line[3] != "-":
                    return "\n".join(lines)
        except (socket.timeout, TimeoutError):
            return "\n".join(lines + ["<TIMEOUT>"])

    def command(self, line):
        self.send(line)
        return self.reply()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def dialogue(port, lines, pipelined=False, source=None, timeout=10.0,
             host="127.0.0.1", greeting=True):
    """Run one SMTP dialogue; return [greeting, reply1, reply2, ...]."""
    with Session(port, source=source, timeout=timeout, host=host,
                 greeting=greeting) as s:
        replies = [s.greeting] if greeting else []
        if pipelined:
            s.send(b"".join(l.encode() + b"\r\n" if isinstance(l, str)
                            else l for l in lines))
        for line in lines:
            if not pipelined:
                if s.closed:
                    break
                s.send(line)
            r = s.reply()
            replies.append(r)
            if r.endswith("<EOF>"):
                break
        return replies


def diff_dialogue(ours, debian, lines, **kw):
    """The same dialogue against both servers."""
    return (dialogue(ours.port, lines, **kw),
            dialogue(debian.port, lines, **kw))
