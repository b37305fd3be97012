"""The same message through Debian's smtp(8) and through ours, to the same
scripted server: the differential harness of the SMTP client tests.

Each side is a whole mail system with its own scripted server
(smtp_script.ScriptServer, built from the same options for both):
Debian's Postfix 3.7 in a throwaway instance (smtp_dialogue.debian_smtpd)
or ours in a conftest instance (smtp_dialogue.ours_smtpd), both with
relayhost = [127.0.0.1]:<port of its scripted server>. The message is
submitted into the side's smtpd(8) with smtplib (so DSN parameters and
XFORWARD have an SMTP client to come from) or with the side's
sendmail(1) (-N, -R, -V); then the harness waits until the smtp(8) log
line of every recipient is there and the scripted session has ended.

    Submission(sender, recipients, content, mail_options=(),
               rcpt_options=None, via="smtp", sendmail_args=())
        A list of Submissions is submitted one by one, each after the
        status lines of the one before.
        content: bytes with LF or CRLF lines; rcpt_options: a dict
        {recipient: [options]} or a list used for every recipient. With
        via="sendmail" the content goes to "sendmail -f sender -i
        sendmail_args... recipients" of that side (ours runs as the
        mail_owner: the staged postdrop is not set-gid).

    run_debian(base, script, submission, **settings)  -> Outcome
    run_ours(inst, script, submission, **settings)    -> Outcome
    run_pair(request, base, script, submission, **settings)
                                                      -> (ours, debian)
        script: dict of ScriptServer options (None: no scripted server
        and no relayhost, for mail that goes elsewhere by transport=);
        keyword transport=[lines]: transport(5) lines for both sides
        ("{port}" in them is the scripted server's port); settings: main.cf
        parameters for both sides (on top of smtp_dialogue.COMMON);
        keyword master_extra / smtpd_args as for debian_smtpd; keyword
        wait_connections=n (default 1): scripted sessions to wait for;
        keyword settle=seconds: wait that long after the last log line
        (for clients that keep talking after the status is logged);
        keyword notices=n: also wait until n notices to the sender (a
        bounce, a "relayed" DSN) were delivered (to discard(8): the
        sender's domain origin.example is discarded).
        base must be reachable by the postfix account: the shared_tmp
        fixture. run_pair skips without root or Debian's Postfix, and
        takes our instance from smtp_dialogue.our_instance(request).

    SharedSides(install_root)  (the module-scoped fixture mta_sides)
        .run_debian(script, submission, **kw), .run_ours(...),
        .run_pair(...): the same, but each side is one mail system kept
        running across the cases of a module (per xdist worker) instead
        of a throwaway one per case. Between cases a side's queues are
        emptied (postsuper -d ALL), its main.cf and master.cf rewritten
        for the case, its master reloaded (SIGHUP) and the processes
        from before the reload waited for until they have exited; the
        case's Outcome.log starts after a marker line logged after
        that. A case that fails gets the side thrown away: the next one
        starts a new one in a new directory. See _KeptSide.
    table_ready(path)
        chmod 0644 a table file that a test wrote, and date it back:
        Postfix waits a second or two before it opens a table file that
        changed just now (the transport table here gets the same).

    Outcome
        .side          "debian" or "ours"
        .server        the ScriptServer (raw recordings)
        .commands      [[command line, ...] per connection], normalized
        .groups        [[[line, ...] per recv() chunk] per connection]
        .replies       [[reply bytes, ...] per connection] as sent
        .contents      [normalized content bytes per message received]
        .envelopes     [(mail_from, mail_params, [(rcpt, params)])]
        .status        {recipient: {"relay", "dsn", "status", "text"}}
                       from the smtp/lmtp log line (first one for each;
                       the notices' discard lines are there too, under
                       the sender's address)
        .log           the whole maillog text

Normalization replaces what differs between two runs or two systems
and is not the client's business: the SIZE= value (compared on its own
by the tests), the XFORWARD PORT= and IDENT=, the scripted server's port,
queue IDs, and the Received: header that each side's smtpd prepends. The
tests submit with their own Date: and Message-ID:, so cleanup adds none.
"""

import contextlib
import itertools
import os
import pwd
import re
import signal
import smtplib
import subprocess
import time

import pytest

from conftest import (Instance, child_pids, process_alive, remove_tree,
                      shared_tempdir, wait_until)
from smtp_dialogue import (REAL_POSTFIX, _debian_usable, debian_smtpd,
                           our_instance, ours_smtpd, write_debian_config,
                           write_ours_config)
from smtp_script import ScriptServer

TIMEOUT = 60.0
FINAL = ("sent", "bounced", "deferred", "undeliverable", "deliverable",
         "expired")
STATUS_LINE = re.compile(
    r"postfix/(?P<prog>[\w-]+)\[\d+\]: (?P<qid>\w+): to=<(?P<to>[^>]*)>,"
    r"(?: orig_to=<[^>]*>,)? relay=(?P<relay>[^,]*),"
    r"(?: conn_use=\d+,)? delay=[^,]*, delays=[^,]*, dsn=(?P<dsn>[^,]*),"
    r" status=(?P<status>\w+) \((?P<text>.*?)\)?$")

# Every side gets these (on top of smtp_dialogue.COMMON): no waiting in
# qmgr between attempts, and the sender's domain is discarded, so that
# notices (bounces, delay warnings, "relayed" DSNs) never reach the
# scripted server.
PAIR_SETTINGS = {
    "queue_run_delay": "300s",
    "minimal_backoff_time": "300s",
    "maximal_backoff_time": "600s",
    "bounce_queue_lifetime": "5d",
}

DISCARD_DOMAIN = "origin.example"
DEBIAN_LMTP = "lmtp      unix  -       -       n       -       -       lmtp\n"


class Submission:
    """One message to submit, with its envelope."""

    def __init__(self, sender, recipients, content, mail_options=(),
                 rcpt_options=None, via="smtp", sendmail_args=(),
                 helo="client.example"):
        self.sender = sender
        self.recipients = list(recipients)
        content = content if isinstance(content, bytes) else content.encode()
        self.content = content
        self.mail_options = list(mail_options)
        self.rcpt_options = rcpt_options or {}
        self.via = via
        self.sendmail_args = list(sendmail_args)
        self.helo = helo

    def options_for(self, rcpt):
        if isinstance(self.rcpt_options, dict):
            return list(self.rcpt_options.get(rcpt, ()))
        return list(self.rcpt_options)


class Outcome:
    """What one side did; see the module docstring."""

    def __init__(self, side, server, log, ports):
        self.side = side
        self.server = server
        self.log = log
        conns = server.connections if server else []
        messages = server.messages if server else []
        self.commands = [[normalize_command(line, ports) for line in
                          c.commands] for c in conns]
        self.groups = [[[normalize_command(line, ports) for line in g]
                        for g in c.groups()] for c in conns]
        self.replies = [list(c.sent) for c in conns]
        self.contents = [normalize_content(m.data) for m in messages]
        self.envelopes = [(m.mail_from, m.mail_params, m.rcpts)
                          for m in messages]
        self.status = {}
        for entry in status_lines(log, ports):
            self.status.setdefault(entry["to"], entry)

    def __repr__(self):
        return (f"Outcome({self.side}, commands={self.commands!r}, "
                f"status={self.status!r})")


def normalize_command(line, ports=()):
    """A command line without its run-dependent parts."""
    line = re.sub(r"(?i)\b(SIZE)=\d+", r"\1=N", line)
    line = re.sub(r"(?i)\b(PORT)=\d+", r"\1=N", line)
    line = re.sub(r"(?i)\b(IDENT)=\S+", r"\1=QUEUEID", line)
    for port in ports:
        line = line.replace(f":{port}", ":PORT")
    return line


def normalize_content(data):
    """Content bytes with Received: headers (and their continuation
    lines) in the header section replaced by one "Received: X" line."""
    head, sep, body = data.partition(b"\r\n\r\n")
    out, skipping = [], False
    for line in head.split(b"\r\n"):
        if skipping and line[:1] in (b" ", b"\t"):
            continue
        skipping = line.lower().startswith(b"received:")
        out.append(b"Received: X" if skipping else line)
    return b"\r\n".join(out) + sep + body


def status_lines(log, ports=()):
    """The delivery status lines of a maillog as dicts (queue ID and the
    server's port normalized). A line that the logger cut short has no
    closing parenthesis: its text is what is there."""
    out = []
    for line in log.splitlines():
        m = STATUS_LINE.search(line)
        if not m:
            continue
        entry = m.groupdict()
        for key in ("relay", "text"):
            for port in ports:
                entry[key] = entry[key].replace(f":{port}", ":PORT")
            entry[key] = entry[key].replace(entry["qid"], "QUEUEID")
        out.append(entry)
    return out


def table_ready(path):
    """Make a table file that a test wrote readable by every account and
    date it back: Postfix waits a second or two before it uses a table
    file that was changed just now."""
    os.chmod(path, 0o644)
    past = time.time() - 10
    os.utime(path, (past, past))


def _transport_file(base, server, transport):
    """A transport table that discards mail to the notice domain, plus
    the test's lines ("{port}" is the scripted server's port)."""
    path = base / "pair-transport"
    port = server.port if server else None
    path.write_text(f"{DISCARD_DOMAIN} discard:notice\n"
                    + "".join(line.format(port=port) + "\n"
                              for line in transport))
    table_ready(path)
    return f"texthash:{path}"


@contextlib.contextmanager
def _script_server(script):
    """A started ScriptServer for script (None: no server)."""
    if script is None:
        yield None
        return
    with ScriptServer(**script) as server:
        yield server


def _submit_smtp(port, sub):
    """Submit sub into an smtpd on port with smtplib."""
    content = sub.content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with smtplib.SMTP("127.0.0.1", port, sub.helo, timeout=30) as c:
        c.ehlo(sub.helo)
        code, text = c.mail(sub.sender, sub.mail_options)
        assert code == 250, (code, text)
        for rcpt in sub.recipients:
            code, text = c.rcpt(rcpt, sub.options_for(rcpt))
            assert code in (250, 251), (rcpt, code, text)
        code, text = c.data(content)
        assert code == 250, (code, text)


def _as_account(name):
    """A preexec_fn that becomes the account name (ids and groups)."""
    pw = pwd.getpwnam(name)

    def switch():
        os.setgroups([])
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)
    return switch


def _submit_sendmail(argv0, sub, account=None):
    """Submit sub with a sendmail command line (list, config included),
    as account when given (root otherwise)."""
    argv = [*argv0, "-f", sub.sender, "-i", *sub.sendmail_args,
            *sub.recipients]
    result = subprocess.run(argv, input=sub.content, capture_output=True,
                            timeout=60, cwd="/",
                            preexec_fn=_as_account(account) if account
                            else None)
    assert result.returncode == 0, result.stderr


def _wait_done(server, log_text, sub, connections, settle, notices,
               rounds=1):
    """Wait until each recipient has rounds (a number, or a dict by
    lower-cased recipient) final status lines (from any
    program: qmgr logs some deferrals itself), connections scripted
    sessions have ended and notices notices to the sender (discarded)
    were delivered."""
    deadline = time.monotonic() + TIMEOUT
    wanted = {r.lower() for r in sub.recipients}
    need = {r: rounds for r in wanted} if isinstance(rounds, int) \
        else rounds
    while True:
        lines = status_lines(log_text())
        count = {}
        for e in lines:
            if e["status"] in FINAL:
                to = e["to"].lower()
                count[to] = count.get(to, 0) + 1
        missing = {r for r in wanted if count.get(r, 0) < need.get(r, 1)}
        discarded = sum(e["prog"] == "discard" for e in lines)
        ended = sum(c.done.is_set() for c in server.connections) \
            if server else connections
        if not missing and ended >= connections and discarded >= notices:
            break
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out: status lines for {missing}, "
                f"{ended}/{connections} sessions ended, {discarded}/"
                f"{notices} notices; log:\n"
                + log_text()[-3000:])
        time.sleep(0.1)
    if settle:
        time.sleep(settle)


def _side_settings(base, server, settings, transport):
    values = dict(PAIR_SETTINGS)
    if server is not None:
        values["relayhost"] = server.address
    values["transport_maps"] = _transport_file(base, server, transport)
    values.update(settings)
    return values


def _deliver(server, mta, sendmail, account, sub, wait_connections,
             settle, notices):
    """Submit sub (or each Submission of a list, one after the other's
    status lines) into a running side, wait until it is done; return the
    side's maillog."""
    subs = sub if isinstance(sub, list) else [sub]
    for n, one in enumerate(subs, 1):
        if one.via == "sendmail":
            _submit_sendmail([sendmail, "-C", str(mta.config_dir)], one,
                             account)
        else:
            _submit_smtp(mta.port, one)
        last = n == len(subs)
        _wait_done(server, mta.log_text, one,
                   wait_connections if last else 0, settle if last else 0,
                   notices if last else 0,
                   rounds={r.lower(): sum(r in s.recipients
                                          for s in subs[:n])
                           for r in one.recipients})
    return mta.log_text()


def run_debian(base, script, sub, master_extra="", smtpd_args="",
               wait_connections=1, settle=0.0, notices=0, transport=(),
               **settings):
    """sub through Debian's Postfix to a fresh scripted server."""
    if not _debian_usable():
        pytest.skip("needs root, Debian's Postfix and the postfix account")
    # smtp_dialogue's Debian master.cf has no lmtp service.
    master_extra = DEBIAN_LMTP + master_extra
    with _script_server(script) as server:
        values = _side_settings(base, server, settings, transport)
        with debian_smtpd(base, master_extra=master_extra,
                          smtpd_args=smtpd_args, **values) as mta:
            log = _deliver(server, mta, "/usr/sbin/sendmail", None, sub,
                           wait_connections, settle, notices)
    return Outcome("debian", server, log, [server.port] if server else [])


def run_ours(inst, script, sub, master_extra="", smtpd_args="",
             wait_connections=1, settle=0.0, notices=0, transport=(),
             **settings):
    """sub through our mail system to a fresh scripted server."""
    with _script_server(script) as server:
        values = _side_settings(inst.base, server, settings, transport)
        with ours_smtpd(inst, master_extra=master_extra,
                        smtpd_args=smtpd_args, **values) as mta:
            # The staged postdrop is not set-gid: ours submits as the
            # mail_owner (as test_submit_diff does).
            log = _deliver(server, mta, str(inst.sbin / "sendmail"),
                           inst.owner if inst.privileged else None, sub,
                           wait_connections, settle, notices)
    return Outcome("ours", server, log, [server.port] if server else [])


def run_pair(request, base, script, sub, **kw):
    """(ours, debian) for the same script and submission."""
    if not _debian_usable() or not REAL_POSTFIX.exists():
        pytest.skip("needs root, Debian's Postfix and the postfix account")
    debian = run_debian(base, script, sub, **kw)
    ours = run_ours(our_instance(request), script, sub, **kw)
    return ours, debian


# Sides kept running across the cases of a module (the mta_sides fixture
# of conftest.py): starting and stopping two mail systems per case was
# most of the time of these tests.

KEPT_QUEUES = ("maildrop", "incoming", "active", "deferred", "hold",
               "bounce", "defer", "trace")
_case_numbers = itertools.count(1)


def _queued_files(spool):
    """The files in the queues (and their logs) of a queue directory."""
    out = []
    for name in KEPT_QUEUES:
        top = spool / name
        if top.is_dir():
            out.extend(str(p) for p in top.rglob("*") if p.is_file())
    return out


class _CaseView:
    """A running side as one case sees it: its maillog from where the
    case began (the side's SmtpServer otherwise)."""

    def __init__(self, mta, offset):
        self.mta = mta
        self.port = mta.port
        self.config_dir = mta.config_dir
        self.offset = offset

    def log_text(self):
        try:
            with open(self.mta.maillog, "rb") as f:
                f.seek(self.offset)
                return f.read().decode(errors="replace")
        except OSError:
            return ""


class _KeptSide:
    """One mail system (Debian's or ours) that stays up between cases,
    in a directory of its own.

    The first case starts it with that case's configuration. Each later
    case first empties its queues (postsuper -d ALL, until no queue file
    is left), then writes the case's main.cf and master.cf (the smtpd
    port stays), sends the master SIGHUP (what "postfix reload" does)
    and waits until the reload is logged and every process that ran
    before it has exited, so that no daemon with the old settings is
    left. Then it logs a marker line with postlog: the case's log is
    what follows the marker (whatever the old processes logged went to
    postlogd before it). A case that fails (or finds the master gone)
    stops the side: SharedSides gives the next case a new one, in a new
    directory (empty queues, a new maillog)."""

    def __init__(self, side, directory, sendmail, account):
        self.side = side
        self.directory = directory
        self.sendmail = sendmail
        self.account = account
        self.stack = None
        self.mta = None

    # Per side: start (a context manager), write_config, spool, sbin.
    def start(self, master_extra, smtpd_args, values):
        raise NotImplementedError

    def write_config(self, master_extra, smtpd_args, values):
        raise NotImplementedError

    def command(self, name, *args):
        return subprocess.run([str(self.mta.sbin / name), "-c",
                               str(self.mta.config_dir), *map(str, args)],
                              capture_output=True, text=True, timeout=60)

    def master_pid(self):
        try:
            return int((self.spool / "pid/master.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def prepare(self, master_extra, smtpd_args, values):
        """The side running with this case's configuration -> _CaseView."""
        if self.mta is None:
            self.stack = contextlib.ExitStack()
            self.mta = self.stack.enter_context(
                self.start(master_extra, smtpd_args, values))
            return _CaseView(self.mta, 0)
        pid = self.master_pid()
        self._empty_queues()
        old = child_pids(pid)
        reloads = self.mta.log_text().count("reload -- version")
        self.write_config(master_extra, smtpd_args, values)
        # Postfix's master reads a main.cf younger than a second or so
        # again and again (300 ms apart) until it is old enough: date
        # the finished files back instead of waiting.
        past = time.time() - 10
        for name in ("main.cf", "master.cf"):
            os.utime(self.mta.config_dir / name, (past, past))
        os.kill(pid, signal.SIGHUP)
        wait_until(lambda: self.mta.log_text().count("reload -- version")
                   > reloads, f"{self.side}: reload logged", timeout=30)
        wait_until(lambda: not any(process_alive(p) for p in old),
                   f"{self.side}: the processes from before the reload "
                   f"to exit (left: {[p for p in old if process_alive(p)]})",
                   timeout=30)
        left = _queued_files(self.spool)
        assert not left, f"{self.side}: queue not empty after reload: {left}"
        marker = f"postel-test case {next(_case_numbers)} pid {os.getpid()}"
        result = self.command("postlog", "-t", "postel-test", marker)
        assert result.returncode == 0, result.stderr
        needle = marker.encode()

        def after_marker():
            data = self.mta.maillog.read_bytes()
            at = data.find(needle)
            if at < 0:
                return None
            end = data.find(b"\n", at)
            return end + 1 if end >= 0 else None
        offset = wait_until(after_marker, f"{self.side}: marker {marker!r} "
                            "in the maillog", timeout=30)
        return _CaseView(self.mta, offset)

    def _empty_queues(self):
        def empty():
            self.command("postsuper", "-d", "ALL")
            return not _queued_files(self.spool)
        wait_until(empty, f"{self.side}: an empty queue "
                   f"({_queued_files(self.spool)})", timeout=30)

    def running(self):
        """Started, and its master still alive?"""
        pid = self.master_pid() if self.mta else None
        return pid is not None and process_alive(pid)

    def stop(self):
        if self.stack is not None:
            stack, self.stack, self.mta = self.stack, None, None
            stack.close()


class _KeptDebian(_KeptSide):
    def __init__(self, directory):
        super().__init__("debian", directory, "/usr/sbin/sendmail", None)
        self.spool = directory / "debian/spool"

    def start(self, master_extra, smtpd_args, values):
        return debian_smtpd(self.directory, master_extra=master_extra,
                            smtpd_args=smtpd_args, **values)

    def write_config(self, master_extra, smtpd_args, values):
        write_debian_config(self.directory / "debian", self.mta.port,
                            master_extra, smtpd_args, **values)


class _KeptOurs(_KeptSide):
    def __init__(self, directory, install_root):
        privileged = os.geteuid() == 0
        self.inst = Instance(directory, install_root, privileged=privileged)
        self.base_settings = dict(self.inst.settings)
        # The staged postdrop is not set-gid: ours submits as the
        # mail_owner (as test_submit_diff does).
        super().__init__("ours", directory, str(self.inst.sbin / "sendmail"),
                         self.inst.owner if privileged else None)
        self.spool = self.inst.queue_dir

    def start(self, master_extra, smtpd_args, values):
        self.inst.settings = dict(self.base_settings)
        return ours_smtpd(self.inst, master_extra=master_extra,
                          smtpd_args=smtpd_args, **values)

    def write_config(self, master_extra, smtpd_args, values):
        self.inst.settings = dict(self.base_settings)
        write_ours_config(self.inst, self.mta.port, master_extra, smtpd_args,
                          **values)


class SharedSides:
    """Debian's side and ours, each kept running across the cases of a
    module (the mta_sides fixture): .run_debian, .run_ours and .run_pair
    take what the functions of the same names take, less base/inst/
    request, and return the same Outcomes; the log of an Outcome is
    the case's part of the maillog."""

    def __init__(self, install_root):
        self.install_root = install_root
        self.directories = []
        self.debian_side = None
        self.ours_side = None

    def _directory(self, prefix):
        path = shared_tempdir(prefix)
        self.directories.append(path)
        return path

    def _run(self, name, make, script, sub, master_extra="",
             smtpd_args="", wait_connections=1, settle=0.0, notices=0,
             transport=(), **settings):
        kept = getattr(self, name)
        if kept is not None and not kept.running():
            kept.stop()
            kept = None
        if kept is None:
            kept = make()
            setattr(self, name, kept)
        with _script_server(script) as server:
            values = _side_settings(kept.directory, server, settings,
                                    transport)
            try:
                view = kept.prepare(master_extra, smtpd_args, values)
                log = _deliver(server, view, kept.sendmail, kept.account,
                               sub, wait_connections, settle, notices)
            except BaseException:
                kept.stop()
                setattr(self, name, None)
                raise
        return Outcome(kept.side, server, log, [server.port] if server else [])

    def run_debian(self, script, sub, master_extra="", **kw):
        if not _debian_usable():
            pytest.skip("needs root, Debian's Postfix and the postfix account")
        # smtp_dialogue's Debian master.cf has no lmtp service.
        return self._run("debian_side", lambda: _KeptDebian(
            self._directory("postel-pair-d-")), script, sub,
            master_extra=DEBIAN_LMTP + master_extra, **kw)

    def run_ours(self, script, sub, **kw):
        return self._run("ours_side", lambda: _KeptOurs(
            self._directory("postel-pair-o-"), self.install_root),
            script, sub, **kw)

    def run_pair(self, script, sub, **kw):
        """(ours, debian) for the same script and submission."""
        if not _debian_usable() or not REAL_POSTFIX.exists():
            pytest.skip("needs root, Debian's Postfix and the postfix account")
        debian = self.run_debian(script, sub, **kw)
        ours = self.run_ours(script, sub, **kw)
        return ours, debian

    def close(self):
        for kept in (self.debian_side, self.ours_side):
            if kept is not None:
                kept.stop()
        self.debian_side = self.ours_side = None
        for path in self.directories:
            remove_tree(path)
