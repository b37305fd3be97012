"""End-to-end delivery: real SMTP clients to our smtpd(8), through
cleanup(8) and qmgr(8), to the delivery agents.

Each test starts a complete private instance (ours_smtpd of
smtp_dialogue.py: master, smtpd on a free loopback port, cleanup,
trivial-rewrite, qmgr, bounce, local, virtual, pipe, discard, error)
and sends mail with swaks (with Python's smtplib where DSN parameters
are needed: this swaks has no DSN options). What is checked is what the
recipients get:

    local(8)   nobody's mailbox in a private mail spool (From_ line,
               ">From " quoting, Return-Path/X-Original-To/Delivered-To),
               a maildir named in an alias, alias fan-out through
               :include: (mailbox, file, command, another alias),
               daemon's .forward (forward_path under the test directory)
               to a command and a file, home_mailbox (see below), and
               frozen_delivered_to;
    pipe(8)    every command-line macro and the flags F R O D X > h u;
    virtual(8) a maildir and an mbox of a virtual domain;
    discard(8) and error(8): status lines, and the bounce that error
               causes, parsed with Python's email package (Reporting-MTA,
               Original-Envelope-Id, Final-Recipient, Original-Recipient,
               Action, Status, Diagnostic-Code) for ENVID/ORCPT/RET given
               in the SMTP session;
    notices    a delay warning (a pipe command that exits 75,
               delay_warning_time = 1s) and a success notice
               (NOTIFY=SUCCESS), parsed the same way;
    make run   scripts/run.sh with POSTEL_RUN_DIR and POSTEL_RUN_SMTP_PORT
               in a test directory: swaks to user@example.com reaches
               run/mail/example.com/new.

The *_same_as_debian tests run the same SMTP session through Debian's
Postfix 3.7 (debian_smtpd, a throwaway instance with the same files under
its own directory) and compare: pipe argument vectors and contents for
several flag sets, eol= and null_sender=; the Diagnostic-Code of failing
pipe commands (exit codes, DSN codes in the output, signals, the time
limit); bounce, delay and success notices (error, pipe and local
failures, "alias expanded" for a recipient that an alias or .forward
file expands); frozen_delivered_to; which addresses of an :include: or
.forward expansion local(8) delivers itself and which it forwards as a
new message, and that copy's envelope (NOTIFY, ORCPT, ENVID, RET) and
first headers; mailbox_command, mailbox_transport, fallback_transport
and luser_relay; and every file that the deliveries write for four
kinds of content (odd lines, no headers, no body, earlier trace
headers), dates and queue IDs aside.

Recipients of the "error" transport are refused by smtpd (as Postfix
does), so error.example is reached through virtual_alias_maps (from
bounce.example) after the message was accepted. Notices go to the sender
box@virt.example, a virtual(8) maildir. biff is off (no comsat
datagrams).

The tests need root (local, virtual and pipe switch user ids) and skip
otherwise; the differential ones also need Debian's Postfix. home_mailbox
needs an account with a home directory: the test runs our local(8) in a
private mount namespace (unshare -m) where a directory of the test is
bind-mounted over the home directory of an existing account under /home,
so nothing outside the test directory is written; it skips when that is
not possible.
"""

import email
import email.policy
import os
import pwd
import re
import shutil
import smtplib
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from smtp_dialogue import _listening, debian_smtpd, ours_smtpd

IS_ROOT = os.geteuid() == 0
TIMEOUT = 60.0

pytestmark = pytest.mark.skipif(not IS_ROOT,
                                reason="end-to-end delivery needs root")

PIPE_SCRIPT = """\
#!/bin/sh
n=$(date +%s%N).$$
{{ for a in "$@"; do echo "ARG=[$a]"; done
  echo "ID=$(id -u)"; echo "---"; cat; }} > {out}/pipe.$n.tmp
mv {out}/pipe.$n.tmp {out}/pipe.$n
"""

# Every macro of pipe.8 (the sasl ones are empty without SASL).
PIPE_ARGV = ("S=${sender} R=${recipient} N=${nexthop} E=${extension} "
             "M=${mailbox} U=${user} D=${domain} Z=${size} "
             "O=${original_recipient} CA=${client_address} "
             "CH=${client_helo} CN=${client_hostname} CP=${client_port} "
             "CR=${client_protocol} Q=${queue_id} SM=${sasl_method} "
             "SS=${sasl_sender} SU=${sasl_username}")

TRANSPORT = """\
pipe.example pipe:NH.Example
discard.example discard:gone quietly
error.example error:5.7.1 go away
defer.example tfail:
"""

BODY = ("Subject: e2e {tag}\n"
        "Message-ID: <{tag}@client.example>\n"
        "\n"
        "line one\n"
        "From the start of a line\n"
        ".a dot line\n"
        "last line\n")


def wait_until(predicate, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timeout waiting for {what}")


class Side:
    """The files of one mail system (ours or Debian's) under base."""

    def __init__(self, base: Path):
        self.base = base
        base.mkdir(parents=True, exist_ok=True)
        os.chmod(base, 0o755)
        self.nobody = pwd.getpwnam("nobody")
        self.spool = base / "mail"
        self.out = base / "out"
        self.vmail = base / "vmail"
        for d in (self.spool, self.out):
            d.mkdir(exist_ok=True)
            os.chmod(d, 0o1777)
        self.vmail.mkdir(exist_ok=True)
        os.chown(self.vmail, self.nobody.pw_uid, self.nobody.pw_gid)
        (base / "fwd").mkdir(exist_ok=True)
        os.chmod(base / "fwd", 0o755)
        self.script = base / "pipe.sh"
        self.script.write_text(PIPE_SCRIPT.format(out=self.out))
        os.chmod(self.script, 0o755)
        self.tfail = base / "tempfail.sh"
        self.tfail.write_text("#!/bin/sh\nexit 75\n")
        os.chmod(self.tfail, 0o755)
        (base / "transport").write_text(TRANSPORT)
        (base / "valias").write_text("Y@bounce.example Y@error.example\n"
                                     "z@bounce.example z@error.example\n")
        (base / "vmailbox").write_text(
            "box@virt.example virt.example/box/\n"
            "mb@virt.example virt.example/mb\n")
        (base / "team.list").write_text(
            f"nobody\n{self.out}/team.mbox\n"
            f'|"/bin/sh -c \'cat > {self.out}/team.cmd\'"\n'
            "mdir\n")
        self.set_aliases(
            f"mdir {self.out}/Maildir/\n"
            f"team :include:{base}/team.list\n"
            "postmaster nobody\n"
            "fail1 |\"/bin/sh -c 'echo oops; exit 1'\"\n"
            "fail67 |\"/bin/sh -c 'exit 67'\"\n"
            "faildsn |\"/bin/sh -c 'echo 5.2.2 over quota; exit 1'\"\n"
            "fail75 |\"/bin/sh -c 'echo later; exit 75'\"\n"
            "failsig |\"/bin/sh -c 'kill -9 $$'\"\n"
            "slow1 |\"/bin/sh -c 'echo before; exec sleep 30'\"\n"
            "slow2 |\"/bin/sh -c 'exec sleep 30'\"\n")
        forward = base / "fwd/daemon.forward"
        forward.write_text(
            f'|"/bin/sh -c \'cat > {self.out}/fwd.cmd\'"\n'
            f"{self.out}/fwd.mbox\n"
            "daemon\n")
        daemon = pwd.getpwnam("daemon")
        os.chown(forward, daemon.pw_uid, daemon.pw_gid)

    def set_aliases(self, text):
        (self.base / "aliases").write_text(text)

    def settings(self, **extra):
        values = dict(
            alias_maps=f"texthash:{self.base}/aliases",
            mail_spool_directory=str(self.spool),
            default_privs="nobody",
            recipient_delimiter="+",
            forward_path=f"{self.base}/fwd/$user.forward",
            allow_mail_to_commands="alias, forward, include",
            allow_mail_to_files="alias, forward, include",
            virtual_mailbox_domains="virt.example",
            virtual_mailbox_base=str(self.vmail),
            virtual_mailbox_maps=f"texthash:{self.base}/vmailbox",
            virtual_uid_maps=f"static:{self.nobody.pw_uid}",
            virtual_gid_maps=f"static:{self.nobody.pw_gid}",
            transport_maps=f"texthash:{self.base}/transport",
            # smtpd refuses the recipients of the error transport (and
            # Postfix's those of retry): these become error.example ones
            # in cleanup, after the message was accepted.
            virtual_alias_maps=f"texthash:{self.base}/valias",
            pipe_destination_recipient_limit="1",
            queue_run_delay="1s",
            minimal_backoff_time="1s",
            maximal_backoff_time="2s",
            command_time_limit="20s",
            # No comsat datagrams to udp 127.0.0.1:512 (test_local's
            # test_biff_same_as_debian listens there).
            biff="no")
        values.update(extra)
        return values

    def master_extra(self, flags="FRODX>hu", attrs=""):
        return (f"pipe unix - n n - - pipe flags={flags} {attrs} user=nobody "
                f"argv={self.script} {PIPE_ARGV}\n"
                f"tfail unix - n n - - pipe user=nobody argv={self.tfail}\n")

    def pipe_runs(self):
        """[(args, id line, content)] of every finished pipe command."""
        runs = []
        for path in sorted(self.out.glob("pipe.*")):
            if path.name.endswith(".tmp"):
                continue
            head, _, content = path.read_text().partition("---\n")
            lines = head.splitlines()
            runs.append(([l[5:-1] for l in lines if l.startswith("ARG=[")],
                         [l for l in lines if l.startswith("ID=")],
                         content))
        return runs

    def maildir(self, path, count, timeout=TIMEOUT):
        """The count messages in maildir path/new (waits for them)."""
        new = Path(path) / "new"

        def enough():
            files = sorted(new.iterdir()) if new.is_dir() else []
            return files if len(files) >= count else None
        files = wait_until(enough, f"{count} messages in {new}", timeout)
        return [f.read_bytes() for f in files]


def swaks_output(port, to, sender="alice@client.example", tag="m1",
                 extra=()):
    """Run swaks for one message; return the result."""
    argv = ["swaks", "--server", f"127.0.0.1:{port}", "--helo",
            "client.helo.example", "--from", sender, "--to", to,
            "--data", BODY.format(tag=tag).rstrip("\n").replace("\n", "\\n"),
            "--timeout", "30", *extra]
    return subprocess.run(argv, capture_output=True, text=True, timeout=90)


def swaks(port, to, sender="alice@client.example", tag="m1", extra=()):
    """Send one message with swaks; return its queue ID."""
    result = swaks_output(port, to, sender, tag, extra)
    m = re.search(r"<[-~] +250 2\.0\.0 Ok: queued as (\w+)", result.stdout)
    assert result.returncode == 0 and m, result.stdout + result.stderr
    return m.group(1)


def smtp_send(port, rcpts, sender="box@virt.example", tag="m1",
              mail_options=(), rcpt_options=None):
    """Send one message with smtplib (DSN options per recipient);
    return (queue ID, client port)."""
    c = smtplib.SMTP("127.0.0.1", port, local_hostname="client.helo.example",
                     timeout=30)
    try:
        c.ehlo()
        code, _ = c.mail(sender, list(mail_options))
        assert code == 250
        for rcpt in rcpts:
            opts = (rcpt_options or {}).get(rcpt, [])
            code, text = c.rcpt(rcpt, opts)
            assert code == 250, (rcpt, code, text)
        code, text = c.data(BODY.format(tag=tag).encode())
        assert code == 250, text
        client_port = c.sock.getsockname()[1]
        c.quit()
    finally:
        c.close()
    return re.search(rb"queued as (\w+)", text).group(1).decode(), \
        client_port


def status(server, qid, to, timeout=TIMEOUT):
    """The "dsn=..., status=... (...)" part of qid's line for to."""
    pattern = re.compile(rf"{qid}: to=<{re.escape(to)}>, .*?(dsn=.*)$", re.M)
    text = wait_until(lambda: pattern.search(server.log_text()),
                      f"status of {to}:\n{server.log_text()[-3000:]}",
                      timeout)
    return text.group(1)


def removed(server, qid, timeout=TIMEOUT):
    server.wait_for_log(f"{qid}: removed", timeout)


@pytest.fixture
def side(shared_tmp):
    return Side(shared_tmp / "ours")


@pytest.fixture
def ours(privileged_instance, side):
    """Start ours with the side's settings; yields a starter."""
    servers = []

    def start(without=(), master_extra=None, **extra):
        if not (privileged_instance.libexec / "pipe").exists():
            pytest.skip("pipe(8) is not built")
        cm = ours_smtpd(privileged_instance,
                        master_extra=(side.master_extra()
                                      if master_extra is None
                                      else master_extra),
                        without=without, **side.settings(**extra))
        server = cm.__enter__()
        servers.append(cm)
        wait_until(lambda: (privileged_instance.queue_dir
                            / "public/qmgr").exists(), "qmgr")
        return server
    yield start
    for cm in servers:
        cm.__exit__(None, None, None)


def header_lines(text, upto="Subject:"):
    """The lines in front of the Subject: header (From_ date out)."""
    out = []
    received = False
    for line in text.split("\n"):
        if line.startswith(upto):
            break
        if line.startswith("Received:") or (received and line[:1] in " \t"):
            received = True
            continue
        received = False
        out.append(re.sub(r"^(From \S+  ).*$", r"\1DATE", line))
    return out


# ------------------------------------------------------------ local(8)

def test_local_mbox_and_maildir(ours, side):
    """swaks -> smtpd -> cleanup -> qmgr -> local: nobody's mbox in the
    spool (From_ line, >From quoting) and a maildir named by an alias."""
    s = ours()
    qid = swaks(s.port, "nobody@test.example", tag="mbox")
    assert status(s, qid, "nobody@test.example") == \
        "dsn=2.0.0, status=sent (delivered to mailbox)"
    removed(s, qid)
    text = (side.spool / "nobody").read_text()
    lines = text.split("\n")
    assert re.match(r"From alice@client\.example  \w{3} \w{3} [ \d]\d "
                    r"\d\d:\d\d:\d\d \d{4}$", lines[0]), lines[0]
    assert lines[1:4] == ["Return-Path: <alice@client.example>",
                          "X-Original-To: nobody@test.example",
                          "Delivered-To: nobody@test.example"]
    assert lines[4].startswith("Received: from client.helo.example "
                               "(localhost [127.0.0.1])"), lines[4]
    assert ">From the start of a line" in lines
    assert ".a dot line" in lines
    assert "Message-ID: <mbox@client.example>" in lines
    assert text.endswith("last line\n\n")
    assert (side.spool / "nobody").stat().st_uid == side.nobody.pw_uid

    qid = swaks(s.port, "mdir@test.example", tag="maildir")
    assert status(s, qid, "mdir@test.example") == \
        "dsn=2.0.0, status=sent (delivered to maildir)"
    [msg] = side.maildir(side.out / "Maildir", 1)
    lines = msg.decode().split("\n")
    assert lines[:3] == ["Return-Path: <alice@client.example>",
                         "X-Original-To: mdir@test.example",
                         "Delivered-To: mdir@test.example"]
    assert "From the start of a line" in lines
    assert not any(l.startswith(">From") for l in lines)


def test_alias_include_fanout(ours, side):
    """An alias expands through :include: to a mailbox, a file, a command
    and another alias (a maildir); every copy arrives once."""
    s = ours()
    qid = swaks(s.port, "team@test.example", tag="team")
    # Files, commands and aliases (mdir) are delivered at once; nobody
    # goes into a new message (as with Debian's local(8), see
    # test_expansion_same_as_debian), orig_to=team.
    text = s.wait_for_log("status=sent (forwarded as ")
    new = re.search(rf"{qid}: to=<team@test\.example>, relay=local, .*"
                    r"status=sent \(forwarded as (\w+)\)", text).group(1)
    removed(s, qid)
    removed(s, new)
    text = s.log_text()
    got = sorted(re.findall(rf"{qid}: to=<([^>]*)>, (?:orig_to=<team@test"
                            r"\.example>, )?relay=local, .*status=sent "
                            r"\(delivered to (\w+)", text))
    assert got == [("mdir@test.example", "maildir"),
                   ("team@test.example", "command"),
                   ("team@test.example", "file")], text[-3000:]
    got = sorted(re.findall(rf"{new}: to=<([^>]*)>, orig_to=<team@test"
                            r"\.example>, relay=local, .*status=sent "
                            r"\(delivered to (\w+)", text))
    assert got == [("nobody@test.example", "mailbox")], text[-3000:]
    assert "Message-ID: <team@client.example>" in \
        (side.spool / "nobody").read_text()
    mbox = (side.out / "team.mbox").read_text()
    assert mbox.startswith("From alice@client.example  ")
    assert "X-Original-To: team@test.example" in mbox
    assert ">From the start of a line" in mbox
    cmd = (side.out / "team.cmd").read_text()
    assert "Delivered-To: team@test.example" in cmd
    assert len(side.maildir(side.out / "Maildir", 1)) == 1
    # The file and the command ran with default_privs (root's table).
    assert (side.out / "team.mbox").stat().st_uid == side.nobody.pw_uid
    assert (side.out / "team.cmd").stat().st_uid == side.nobody.pw_uid


def test_forward_to_command_and_file(ours, side):
    """daemon's .forward: a command, a file and daemon itself (its spool
    mailbox); the command and file run as daemon."""
    s = ours()
    daemon = pwd.getpwnam("daemon")
    qid = swaks(s.port, "daemon@test.example", tag="fwd")
    removed(s, qid)
    text = s.log_text()
    got = sorted(re.findall(rf"{qid}: to=<([^>]*)>, (?:orig_to=<[^>]*>, )?"
                            r"relay=local, .*status=sent \(delivered to "
                            r"(\w+)", text))
    assert got == [("daemon@test.example", "command"),
                   ("daemon@test.example", "file"),
                   ("daemon@test.example", "mailbox")], text[-3000:]
    for name in ("fwd.cmd", "fwd.mbox"):
        path = side.out / name
        assert path.stat().st_uid == daemon.pw_uid
        content = path.read_text()
        assert "Delivered-To: daemon@test.example" in content
        assert "Message-ID: <fwd@client.example>" in content
    assert "Message-ID: <fwd@client.example>" in \
        (side.spool / "daemon").read_text()


def home_account():
    """An account whose home directory is a directory under /home."""
    for pw in pwd.getpwall():
        if pw.pw_uid >= 1000 and pw.pw_dir.startswith("/home/") \
                and os.path.isdir(pw.pw_dir) and pw.pw_uid != 65534:
            return pw
    return None


def test_home_mailbox(privileged_instance, ours, side):
    """home_mailbox = Maildir/ and = Mailbox: delivered under the user's
    home directory (a test directory bind-mounted over it in our
    local(8)'s own mount namespace)."""
    pw = home_account()
    unshare = shutil.which("unshare")
    if pw is None or unshare is None:
        pytest.skip("needs an account with a home under /home and unshare")
    probe = subprocess.run([unshare, "-m", "--propagation", "private",
                            "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -m does not work here")
    home = side.base / "home"
    home.mkdir()
    os.chown(home, pw.pw_uid, pw.pw_gid)
    os.chmod(home, 0o700)
    real = privileged_instance.libexec / "local"
    wrapper_dir = side.base / "ns"
    wrapper_dir.mkdir()
    wrapper = wrapper_dir / "local"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"exec {unshare} -m --propagation private /bin/sh -c "
        f"'mount --bind \"$0\" {pw.pw_dir} || exit 1; exec \"$@\"' "
        f"{home} {real} \"$@\"\n")
    os.chmod(wrapper, 0o755)
    # master.cf commands are relative to daemon_directory.
    relative = "../" * 20 + str(wrapper).lstrip("/")
    local = f"local unix - n n - - {relative}\n"
    user = pw.pw_name
    for mailbox, kind in (("Maildir/", "maildir"), ("Mailbox", "mailbox")):
        s = ours(without=("local",),
                 master_extra=side.master_extra() + local,
                 home_mailbox=mailbox)
        qid = swaks(s.port, f"{user}@test.example", tag=kind)
        assert status(s, qid, f"{user}@test.example") == \
            f"dsn=2.0.0, status=sent (delivered to {kind})"
        if kind == "maildir":
            [msg] = side.maildir(home / "Maildir", 1)
            text = msg.decode()
            assert text.startswith("Return-Path: <alice@client.example>\n")
            files = list((home / "Maildir/new").iterdir())
            assert files[0].stat().st_uid == pw.pw_uid
        else:
            text = (home / "Mailbox").read_text()
            assert text.startswith("From alice@client.example  ")
            assert ">From the start of a line" in text
            assert (home / "Mailbox").stat().st_uid == pw.pw_uid
        assert f"Message-ID: <{kind}@client.example>" in text
        assert not os.path.exists(side.spool / user)
        privileged_instance.run("postfix", "stop")
        privileged_instance.stop_everything()


# ------------------------------------------------------------ pipe(8)

def pipe_args(runs):
    """{macro name: value} per run."""
    out = []
    for args, ids, content in runs:
        out.append(dict(a.split("=", 1) for a in args))
    return out


def test_pipe_every_macro_and_flags(ours, side):
    """pipe(8) behind smtpd: every macro of pipe.8 with flags
    F R O D X > h u, one recipient per command."""
    s = ours()
    qid, client_port = smtp_send(
        s.port, ["Foo+Ext@Pipe.Example", "bar@pipe.example"],
        sender="Alice@Client.Example", tag="pipe")
    removed(s, qid)
    assert status(s, qid, "Foo+Ext@Pipe.Example") == \
        "dsn=2.0.0, status=sent (delivered via pipe service)"
    runs = wait_until(lambda: len(side.pipe_runs()) >= 2 and side.pipe_runs(),
                      "two pipe runs")
    size = re.search(rf"{qid}: from=<Alice@Client\.Example>, size=(\d+)",
                     s.log_text()).group(1)
    args = sorted(pipe_args(runs), key=lambda a: a["R"])
    common = {"S": "Alice@Client.Example", "N": "nh.example",
              "D": "pipe.example", "Z": size, "CA": "127.0.0.1",
              "CH": "client.helo.example", "CN": "localhost",
              "CP": str(client_port), "CR": "ESMTP", "Q": qid,
              "SM": "", "SS": "", "SU": ""}
    assert args == [
        dict(common, R="bar@pipe.example", E="", M="bar", U="bar",
             O="bar@pipe.example"),
        dict(common, R="foo+ext@pipe.example", E="ext", M="foo+ext",
             U="foo", O="foo+ext@pipe.example")]
    for _, ids, content in runs:
        assert ids == [f"ID={side.nobody.pw_uid}"]
        lines = content.split("\n")
        assert re.match(r"From Alice@Client\.Example  \w{3} \w{3} [ \d]\d "
                        r"\d\d:\d\d:\d\d \d{4}$", lines[0]), lines[0]
        assert lines[1] == "Return-Path: <Alice@Client.Example>"
        # h and u fold the command line only (as Debian's pipe).
        assert lines[2] in ("X-Original-To: Foo+Ext@Pipe.Example",
                            "X-Original-To: bar@pipe.example")
        assert lines[3] in ("Delivered-To: Foo+Ext@Pipe.Example",
                            "Delivered-To: bar@pipe.example")
        assert ">From the start of a line" in lines
        assert ".a dot line" in lines


def normal_runs(runs, qid, client_port, out):
    """Pipe runs with the queue ID, client port and From_ date out."""
    result = []
    for args, ids, content in runs:
        args = [a.replace(qid, "QID").replace(f"CP={client_port}", "CP=")
                for a in args]
        content = re.sub(r"^(From \S+  ).*$", r"\1DATE", content, flags=re.M)
        content = re.sub(r"^Received: .*\n(\s.*\n)*", "", content,
                         flags=re.M)
        content = re.sub(r"^Date: .*$", "Date: DATE", content, flags=re.M)
        result.append((args, ids, content.replace(str(out), "OUT")))
    return sorted(result)


PIPE_FLAG_CASES = [
    ("FRODX>hu", "", "Alice@Client.Example"),
    ("B.q", "eol=\\r\\n", "Alice@Client.Example"),
    ("FRq", "null_sender=MAILER-DAEMON", ""),
    ("", "", '"s p"@client.example'),
]


@pytest.mark.parametrize("flags,attrs,sender", PIPE_FLAG_CASES)
def test_pipe_same_as_debian(ours, side, shared_tmp, flags, attrs, sender):
    """The same SMTP transaction through Debian's pipe(8) and ours, with
    several flag sets, eol=, null_sender= and a quoted local part: the
    same argument vectors (queue ID and client port aside), user and
    content."""
    deb = Side(shared_tmp / "deb")
    rcpts = ["Foo+Ext@Pipe.Example", '"g h"@pipe.example']
    with debian_smtpd(shared_tmp, master_extra=deb.master_extra(flags, attrs)
                      + "virtual unix - n n - - virtual\n",
                      **deb.settings()) as d:
        dqid, dport = smtp_send(d.port, rcpts, sender=sender, tag="pipe")
        d.wait_for_log(f"{dqid}: removed", TIMEOUT)
    s = ours(master_extra=side.master_extra(flags, attrs))
    qid, port = smtp_send(s.port, rcpts, sender=sender, tag="pipe")
    removed(s, qid)
    got = normal_runs(side.pipe_runs(), qid, port, side.out)
    want = normal_runs(deb.pipe_runs(), dqid, dport, deb.out)
    assert len(got) == len(want) == 2
    for ours_run, debian_run in zip(got, want):
        assert ours_run[0] == debian_run[0]
        assert ours_run[1] == debian_run[1]
        assert ours_run[2].split("\n") == debian_run[2].split("\n")


# ------------------------------------------------------------ virtual(8)

def test_virtual_maildir_and_mbox(ours, side):
    s = ours()
    # The maildir delivery creates virt.example/; a mailbox file's
    # directory must exist already (Debian's virtual(8) too defers with
    # "unable to create lock file ...: No such file or directory"), so
    # the mailbox message goes second.
    q1 = swaks(s.port, "box@virt.example", tag="vbox")
    assert status(s, q1, "box@virt.example") == \
        "dsn=2.0.0, status=sent (delivered to maildir)"
    q2 = swaks(s.port, "mb@virt.example", tag="vmb")
    assert status(s, q2, "mb@virt.example") == \
        "dsn=2.0.0, status=sent (delivered to mailbox)"
    [msg] = side.maildir(side.vmail / "virt.example/box", 1)
    lines = msg.decode().split("\n")
    assert lines[:3] == ["Return-Path: <alice@client.example>",
                         "X-Original-To: box@virt.example",
                         "Delivered-To: box@virt.example"]
    assert "From the start of a line" in lines
    mbox = side.vmail / "virt.example/mb"
    text = mbox.read_text()
    assert text.startswith("From alice@client.example  ")
    assert ">From the start of a line" in text.split("\n")
    st = mbox.stat()
    assert (st.st_uid, st.st_mode & 0o777) == (side.nobody.pw_uid, 0o600)
    for q in (q1, q2):
        removed(s, q)
    # smtpd rejects an unknown virtual user (virtual_mailbox_maps).
    result = swaks_output(s.port, "nosuch@virt.example", tag="vnone")
    assert re.search(r"<\*\* +550 5\.1\.1 <nosuch@virt\.example>: "
                     r"Recipient address rejected", result.stdout), \
        result.stdout


# ------------------------------------------------------------ discard, error

def dsn_report(raw):
    """(message, [per-message fields], [[per-recipient fields]...]) of a
    multipart/report delivery-status notification."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    assert msg.get_content_type() == "multipart/report", msg.as_string()
    assert msg.get_param("report-type") == "delivery-status"
    parts = msg.get_payload()
    status_part = [p for p in parts
                   if p.get_content_type() == "message/delivery-status"]
    assert len(status_part) == 1
    groups = status_part[0].get_payload()
    return msg, parts, groups


def fields(group):
    return {k: v for k, v in group.items()}


def test_discard_and_error_bounce(ours, side):
    """discard: sent; error: a bounce to the sender whose DSN fields carry
    ENVID, ORCPT and RET=HDRS from the SMTP session."""
    s = ours()
    qid, _ = smtp_send(
        s.port, ["x@discard.example", "Y@bounce.example"],
        sender="box@virt.example", tag="err",
        mail_options=["RET=HDRS", "ENVID=env-42"],
        rcpt_options={"Y@bounce.example": [
            "NOTIFY=FAILURE", "ORCPT=rfc822;orig-y@error.example"]})
    assert status(s, qid, "x@discard.example") == \
        "dsn=2.0.0, status=sent (gone quietly)"
    line = status(s, qid, "Y@error.example")
    assert line == "dsn=5.7.1, status=bounced (go away)"
    assert f"{qid}: to=<Y@error.example>, orig_to=<Y@bounce.example>, " \
        "relay=none, " in s.log_text()
    removed(s, qid)
    [raw] = side.maildir(side.vmail / "virt.example/box", 1)
    msg, parts, groups = dsn_report(raw)
    assert msg["From"] == "Mail Delivery System <MAILER-DAEMON@test.example>"
    assert msg["To"] == "box@virt.example"
    assert msg["Subject"] == "Undelivered Mail Returned to Sender"
    head = fields(groups[0])
    assert head["Reporting-MTA"] == "dns; test.example"
    assert head["Original-Envelope-Id"] == "env-42"
    assert head["X-Postfix-Queue-ID"] == qid
    assert head["X-Postfix-Sender"] == "rfc822; box@virt.example"
    rcpt = [fields(g) for g in groups[1:]]
    assert rcpt == [{"Final-Recipient": "rfc822; Y@error.example",
                     "Original-Recipient": "rfc822;orig-y@error.example",
                     "Action": "failed",
                     "Status": "5.7.1",
                     "Diagnostic-Code": "X-Postfix; go away"}]
    # RET=HDRS: only the headers come back.
    returned = parts[2]
    assert returned.get_content_type() == "text/rfc822-headers"
    text = returned.get_payload()
    assert "Message-ID: <err@client.example>" in text
    assert "line one" not in text


def notice_skeleton(raw, ids):
    """A notice reduced to what two mail systems must have in common:
    headers (dates and IDs out), the per-message and per-recipient DSN
    fields, and the content types of the parts."""
    msg, parts, groups = dsn_report(raw)

    def norm(v):
        for i, name in ids:
            v = v.replace(i, name)
        return v
    top = {k: norm(str(msg[k])) for k in ("From", "To", "Subject",
                                          "Auto-Submitted")}
    per = [{k: norm(v) for k, v in g.items()
            if k not in ("Arrival-Date", "X-Postfix-Queue-ID",
                         "Will-Retry-Until")}
           for g in groups]
    # Recipients in the order in which their deliveries finished.
    per[1:] = sorted(per[1:], key=lambda g: g.get("Final-Recipient", ""))
    return top, per, [p.get_content_type() for p in parts]


# ------------------------------------------------------------ notices

def test_success_notice(ours, side):
    """NOTIFY=SUCCESS: a delivery report with Action: delivered for a
    final delivery, and the message itself delivered."""
    s = ours()
    qid, _ = smtp_send(
        s.port, ["nobody@test.example"], sender="box@virt.example",
        tag="ok", mail_options=["ENVID=env-ok"],
        rcpt_options={"nobody@test.example": [
            "NOTIFY=SUCCESS", "ORCPT=rfc822;nobody@test.example"]})
    removed(s, qid)
    [raw] = side.maildir(side.vmail / "virt.example/box", 1)
    msg, parts, groups = dsn_report(raw)
    assert msg["Subject"] == "Successful Mail Delivery Report"
    head = fields(groups[0])
    assert head["Reporting-MTA"] == "dns; test.example"
    assert head["Original-Envelope-Id"] == "env-ok"
    rcpt = fields(groups[1])
    assert rcpt["Final-Recipient"] == "rfc822; nobody@test.example"
    assert rcpt["Original-Recipient"] == "rfc822;nobody@test.example"
    assert rcpt["Action"] == "delivered"
    assert rcpt["Status"] == "2.0.0"
    assert rcpt["Diagnostic-Code"] == \
        "X-Postfix; delivery via local: delivered to mailbox"
    assert "Message-ID: <ok@client.example>" in \
        (side.spool / "nobody").read_text()


def test_delay_warning(ours, side):
    """A recipient that a pipe command keeps deferring (exit 75): after
    delay_warning_time a warning with Action: delayed and
    Will-Retry-Until."""
    s = ours(delay_warning_time="1s")
    qid, _ = smtp_send(
        s.port, ["w@defer.example"], sender="box@virt.example", tag="late",
        mail_options=["ENVID=env-late"],
        rcpt_options={"w@defer.example": ["NOTIFY=DELAY,FAILURE"]})
    assert status(s, qid, "w@defer.example") == \
        "dsn=4.3.0, status=deferred (temporary failure)"
    [raw] = side.maildir(side.vmail / "virt.example/box", 1)
    msg, parts, groups = dsn_report(raw)
    assert msg["Subject"] == "Delayed Mail (still being retried)"
    head = fields(groups[0])
    assert head["Original-Envelope-Id"] == "env-late"
    assert head["Reporting-MTA"] == "dns; test.example"
    rcpt = fields(groups[1])
    assert rcpt["Final-Recipient"] == "rfc822; w@defer.example"
    assert rcpt["Action"] == "delayed"
    assert rcpt["Status"] == "4.3.0"
    # As Debian's pipe(8) reports a failing command.
    assert rcpt["Diagnostic-Code"] == "x-unix; temporary failure"
    assert "Will-Retry-Until" in rcpt
    # No ORCPT given: the address as received.
    assert rcpt["Original-Recipient"] == "rfc822;w@defer.example"


# ------------------------------------------------------------ frozen D-T

@pytest.mark.parametrize("frozen", ["yes", "no"])
def test_frozen_delivered_to_same_as_debian(ours, side, shared_tmp, frozen):
    """An alias to a list that reaches nobody's mailbox, a file and a
    command: the header lines in front of the message (Delivered-To in
    particular) are those of Debian's local(8) with frozen_delivered_to
    on and off."""
    deb = Side(shared_tmp / "deb")
    results = []
    for which in ("debian", "ours"):
        sd = deb if which == "debian" else side
        sd.set_aliases(f"outer inner\ninner nobody, {sd.out}/f.mbox, "
                       f'|"/bin/sh -c \'cat > {sd.out}/f.cmd\'"\n')
        settings = sd.settings(frozen_delivered_to=frozen)
        if which == "debian":
            with debian_smtpd(shared_tmp, master_extra=sd.master_extra()
                              + "virtual unix - n n - - virtual\n",
                              **settings) as d:
                q = swaks(d.port, "outer@test.example", tag="frozen")
                d.wait_for_log(f"{q}: removed", TIMEOUT)
        else:
            s = ours(frozen_delivered_to=frozen)
            q = swaks(s.port, "outer@test.example", tag="frozen")
            removed(s, q)
        results.append([header_lines((sd.spool / "nobody").read_text()),
                        header_lines((sd.out / "f.mbox").read_text()),
                        header_lines((sd.out / "f.cmd").read_text())])
    assert results[1] == results[0]
    # The command in inner's list: Delivered-To as the attempt began
    # (outer), or as the expansion reached it (inner).
    expect = "outer" if frozen == "yes" else "inner"
    assert results[1][2][-1] == f"Delivered-To: {expect}@test.example"


# ------------------------------------------------------------ notices, diff

NOTICE_CASES = {
    "bounce": ({}, dict(
        rcpts=["Y@bounce.example", "z@bounce.example"],
        mail_options=["RET=FULL", "ENVID=env-43"],
        rcpt_options={"Y@bounce.example": [
            "NOTIFY=FAILURE", "ORCPT=rfc822;orig-y@error.example"]})),
    "success": ({}, dict(
        rcpts=["nobody@test.example", "p@pipe.example"],
        mail_options=["ENVID=env-ok", "RET=HDRS"],
        rcpt_options={"nobody@test.example": ["NOTIFY=SUCCESS"],
                      "p@pipe.example": [
                          "NOTIFY=SUCCESS,FAILURE",
                          "ORCPT=rfc822;o@pipe.example"]})),
    "delay": ({"delay_warning_time": "1s"}, dict(
        rcpts=["w@defer.example"], mail_options=["ENVID=env-late"],
        rcpt_options={"w@defer.example": ["NOTIFY=DELAY,FAILURE"]})),
    # local(8): an unknown user and alias commands that fail.
    "local-bounce": ({}, dict(
        rcpts=["nosuchuser@test.example", "fail1@test.example",
               "fail67@test.example", "faildsn@test.example"],
        mail_options=["RET=HDRS"])),
    "local-delay": ({"delay_warning_time": "1s"}, dict(
        rcpts=["fail75@test.example", "failsig@test.example"],
        rcpt_options={"fail75@test.example": ["NOTIFY=DELAY"],
                      "failsig@test.example": ["NOTIFY=DELAY"]})),
    "local-timeout": ({"command_time_limit": "2s"}, dict(
        rcpts=["slow1@test.example", "slow2@test.example"])),
    # Success through an :include: list and a .forward file (expanded,
    # forwarded, delivered), and through an alias to a maildir.
    "success-expanded": ({}, dict(
        rcpts=["team@test.example", "daemon@test.example",
               "mdir@test.example"],
        rcpt_options={r: ["NOTIFY=SUCCESS"] for r in (
            "team@test.example", "daemon@test.example",
            "mdir@test.example")})),
}


# Cases with more than one notice (none so far: the copy that local
# forwards for team's list gets no notice of its own, as in Debian).
NOTICE_COUNTS = {}


@pytest.mark.parametrize("case", sorted(NOTICE_CASES))
def test_notice_same_as_debian(ours, side, shared_tmp, case):
    """Bounces (error transport, local), success notices (local, pipe,
    an :include: list, a .forward file) and delay warnings for the same
    SMTP session: the same notices, with the same headers, DSN fields
    and parts as Debian's (dates and queue IDs aside)."""
    extra, args = NOTICE_CASES[case]
    count = NOTICE_COUNTS.get(case, 1)
    qid = re.compile(r"\b[0-9A-F]{10,12}\b")

    def skeletons(raws):
        return sorted((notice_skeleton(qid.sub("QID", r.decode()).encode(),
                                       []) for r in raws), key=repr)
    deb = Side(shared_tmp / "deb")
    with debian_smtpd(shared_tmp, master_extra=deb.master_extra()
                      + "virtual unix - n n - - virtual\n",
                      **deb.settings(**extra)) as d:
        smtp_send(d.port, sender="box@virt.example", tag=case, **args)
        try:
            want = deb.maildir(deb.vmail / "virt.example/box", count)
        except AssertionError as e:
            raise AssertionError(f"{e}\n{d.log_text()[-3000:]}") from None
    s = ours(**extra)
    first, _ = smtp_send(s.port, sender="box@virt.example", tag=case, **args)
    side.maildir(side.vmail / "virt.example/box", count)
    if case not in ("delay", "local-delay"):
        # No further notice once every message (forwarded copies, the
        # notices) is gone; bounce(8) logs a notice before qmgr(8)
        # removes the message it is about.
        def settled():
            text = s.log_text()
            queued = {first} | set(re.findall(
                r"(?:forwarded as|notification:) (\w+)", text))
            return queued <= set(re.findall(r"(\w+): removed", text))
        wait_until(settled, "every message and notice")
    got = side.maildir(side.vmail / "virt.example/box", count)
    assert len(want) == len(got) == count, s.log_text()[-5000:]
    for ours_notice, debian_notice in zip(skeletons(got), skeletons(want)):
        assert ours_notice[0] == debian_notice[0]
        assert ours_notice[1] == debian_notice[1]
        assert ours_notice[2] == debian_notice[2]


# ------------------------------------------------------------ pipe failures

FAIL_SCRIPT = """\
#!/bin/sh
case "$1" in
75o) echo "some output"; exit 75;;
75) exit 75;;
1o) echo oops; exit 1;;
1) exit 1;;
dsn4) echo "4.7.2 custom fail"; exit 1;;
dsn5) echo "5.2.2 over quota"; exit 75;;
d2) echo "2.1.0 fine"; exit 1;;
67) echo who; exit 67;;
ml) printf "line one\\nline two  \\n"; exit 69;;
sig) kill -9 $$;;
sigo) echo sigout; kill -9 $$;;
slp) echo before; sleep 30;;
slq) sleep 30;;
esac
exit 0
"""
FAIL_CASES = ["75o", "75", "1o", "1", "dsn4", "dsn5", "d2", "67", "ml",
              "sig", "sigo", "slp", "slq"]


def failure_setup(side):
    """A pipe service "px" whose command fails as its next hop says."""
    script = side.base / "px.sh"
    script.write_text(FAIL_SCRIPT)
    os.chmod(script, 0o755)
    (side.base / "transport").write_text(
        "".join(f"c{c}.example px:{c}\n" for c in FAIL_CASES))
    return (side.master_extra()
            + f"px unix - n n - - pipe user=nobody argv={script} $nexthop\n")


def failure_fields(side):
    """(subject, recipient) -> (Action, Status, Diagnostic-Code) of the
    bounce and the delay warning."""
    out = {}
    for raw in side.maildir(side.vmail / "virt.example/box", 2, 90):
        msg, parts, groups = dsn_report(raw)
        for g in groups[1:]:
            f = fields(g)
            out[(msg["Subject"], f["Final-Recipient"])] = \
                (f["Action"], f["Status"], f["Diagnostic-Code"])
    return out


def test_pipe_failure_diagnostics_same_as_debian(ours, side, shared_tmp):
    """Exit codes, DSN codes in the output, signals and the time limit:
    the bounce and the delay warning have the same Action, Status and
    Diagnostic-Code ("x-unix; <output or default text>") as Debian's."""
    rcpts = [f"u@c{c}.example" for c in FAIL_CASES]
    opts = {r: ["NOTIFY=DELAY,FAILURE"] for r in rcpts}
    settings = dict(delay_warning_time="1s", px_time_limit="2s")
    deb = Side(shared_tmp / "deb")
    with debian_smtpd(shared_tmp, master_extra=failure_setup(deb)
                      + "virtual unix - n n - - virtual\n",
                      **deb.settings(**settings)) as d:
        smtp_send(d.port, rcpts, rcpt_options=opts)
        want = failure_fields(deb)
    s = ours(master_extra=failure_setup(side), **settings)
    smtp_send(s.port, rcpts, rcpt_options=opts)
    got = failure_fields(side)
    assert len(want) == len(FAIL_CASES)
    assert got == want


# ------------------------------------------------------------ make run

def test_make_run_delivers_to_maildir(shared_tmp):
    """scripts/run.sh ("make run") with POSTEL_RUN_DIR in a test
    directory and POSTEL_RUN_SMTP_PORT on a free port: a message sent
    with swaks to user@example.com lands in run/mail/example.com/new."""
    from conftest import BUILD, REPO, process_alive
    from ports import free_port
    run = shared_tmp / "run"
    port = free_port()
    env = dict(os.environ, BUILD=str(BUILD), POSTEL_RUN_DIR=str(run),
               POSTEL_RUN_SMTP_PORT=str(port))
    env.pop("MAIL_CONFIG", None)
    log = open(shared_tmp / "run.out", "w")
    proc = subprocess.Popen([str(REPO / "scripts/run.sh")], env=env,
                            stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    postfix = [str(run / "root/usr/sbin/postfix"), "-c", str(run / "etc")]
    try:
        def output():
            return (shared_tmp / "run.out").read_text(errors="replace")
        wait_until(lambda: proc.poll() is not None
                   or _listening("127.0.0.1", port), "run.sh's smtpd", 180)
        assert proc.poll() is None, output()[-3000:]
        qid = swaks(port, "user@example.com", tag="makerun")
        [msg] = side_maildir(run / "mail/example.com", 1)
        text = msg.decode()
        assert "Message-ID: <makerun@client.example>" in text
        assert "Delivered-To: user@example.com" in text
        wait_until(lambda: f"{qid}: removed" in output(), "removed", 30)
        assert re.search(rf"{qid}: to=<user@example\.com>, relay=virtual, "
                         r".*status=sent \(delivered to maildir\)", output())
    finally:
        subprocess.run(postfix + ["stop"], capture_output=True, timeout=60,
                       env=env)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=30)
        log.close()
        pid_file = run / "spool/pid/master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0] or 0)
            if pid and process_alive(pid):
                os.kill(pid, 9)


def side_maildir(path, count, timeout=TIMEOUT):
    """The count messages in maildir path/new (waits for them)."""
    return Side.maildir(None, path, count, timeout)


# ------------------------------------------------------------ contents, diff

ODD_CONTENT = (
    b"Subject: odd content\r\n"
    b"X-Folded: first\r\n"
    b"\tsecond part\r\n"
    b"X-Long: " + b"h" * 1200 + b"\r\n"
    b"\r\n"
    b"From the start\r\n"
    b">From quoted already\r\n"
    b"..\r\n"
    b"...two dots after stuffing\r\n"
    b"trailing spaces   \r\n"
    b"\ttab line\r\n"
    b"8bit caf\xc3\xa9\r\n"
    b"long " + b"b" * 3000 + b"\r\n"
    b"\r\n"
    b"\r\n"
    b"last\r\n")


CONTENTS = {
    "odd": ODD_CONTENT,
    "no-headers": b"just a body line\r\nFrom x\r\n\r\nmore\r\n",
    "headers-only": b"Subject: only headers\r\nTo: x@y.example\r\n",
    "prior-trace": (b"Return-Path: <old@else.example>\r\n"
                    b"Delivered-To: someone@else.example\r\n"
                    b"X-Original-To: someone@else.example\r\n"
                    b"Received: from a by b; "
                    b"Thu, 1 Jan 2026 00:00:00 +0000\r\n"
                    b"Subject: traced\r\n"
                    b"From: \"Quoted, Name\" <q@client.example>\r\n"
                    b"Cc: one@client.example,\r\n two@client.example\r\n"
                    b"\r\nbody\r\n"),
}


def collect_outputs(side, qid):
    """Every file that the deliveries wrote under side (maildir file
    names, From_ dates, Received: and Date: headers, the queue ID and the
    side's directory normalised), as {relative path: [contents]}."""
    out = {}
    for top in (side.out, side.spool, side.vmail):
        for dirpath, _, files in os.walk(top):
            for name in files:
                path = Path(dirpath) / name
                rel = str(path.relative_to(side.base))
                if "/new/" in rel or "/cur/" in rel:
                    rel = rel.rsplit("/", 1)[0] + "/MAILDIR-FILE"
                elif "/tmp/" in rel or name.startswith("pipe."):
                    continue
                text = path.read_bytes().decode("utf-8", "replace")
                text = re.sub(r"^(From \S+  ).*$", r"\1DATE", text,
                              flags=re.M)
                text = re.sub(r"^Received: .*\n(?:[ \t].*\n)*", "", text,
                              flags=re.M)
                text = re.sub(r"^Date: .*$", "Date: DATE", text, flags=re.M)
                text = text.replace(str(side.base), "BASE")
                if qid:
                    text = text.replace(qid, "QID")
                out.setdefault(rel, []).append(text)
    for runs in out.values():
        runs.sort()
    return out


@pytest.mark.parametrize("content", sorted(CONTENTS))
def test_contents_same_as_debian(ours, side, shared_tmp, content):
    """One message with odd content (folded and long headers, dots, a
    ">From", trailing blanks, 8-bit text, a 3,000-byte line, empty lines
    at the end) to a mailbox, a maildir alias, an :include: list (file,
    command, mailbox, maildir), a .forward (command, file, mailbox),
    virtual maildir and mbox, and pipe: every file written is the same
    as with Debian's Postfix (dates, Received: and queue IDs aside)."""
    rcpts = ["nobody@test.example", "mdir@test.example", "team@test.example",
             "daemon@test.example", "vm@virt.example", "mb@virt.example",
             "Some+One@pipe.example"]
    deb = Side(shared_tmp / "deb")
    results = []
    for sd in (deb, side):
        with open(sd.base / "vmailbox", "a") as f:
            f.write("vm@virt.example virt.example/vm/\n")
    for which, sd in (("debian", deb), ("ours", side)):
        if which == "debian":
            cm = debian_smtpd(shared_tmp, master_extra=sd.master_extra()
                              + "virtual unix - n n - - virtual\n",
                              **sd.settings())
            server = cm.__enter__()
        else:
            cm = None
            server = ours()
        try:
            c = smtplib.SMTP("127.0.0.1", server.port,
                             local_hostname="client.helo.example",
                             timeout=30)
            c.sendmail("alice@client.example", rcpts, CONTENTS[content])
            c.quit()
            # The message and the copy that local forwards (team's).
            wait_until(lambda: server.log_text().count(": removed") >= 2,
                       "both messages removed")
            qids = re.findall(r"(\w+): removed", server.log_text())
            wait_until(lambda: len(sd.pipe_runs()) >= 1, "pipe run")
        finally:
            if cm:
                cm.__exit__(None, None, None)
        # cleanup's Message-Id: <YYYYMMDDhhmmss.QUEUEID@myhostname>.
        stamp = re.compile(r"<\d{14}\.(\w+)@")

        def norm(text):
            for q in qids:
                text = text.replace(q, "QID")
            return stamp.sub(r"<STAMP.\1@", text)
        outputs = {rel: [norm(x) for x in texts]
                   for rel, texts in collect_outputs(sd, None).items()}
        pipe = [(args[:1] + args[2:], ids, norm(re.sub(
            r"^(From \S+  ).*$", r"\1DATE", re.sub(
                r"^Date: .*$", "Date: DATE", re.sub(
                    r"^Received: .*\n(?:[ \t].*\n)*", "", content,
                    flags=re.M), flags=re.M), flags=re.M)))
            for args, ids, content in sd.pipe_runs()]
        results.append((outputs, pipe))
    deb_out, deb_pipe = results[0]
    our_out, our_pipe = results[1]
    assert sorted(our_out) == sorted(deb_out)
    for rel in deb_out:
        for ours_text, deb_text in zip(our_out[rel], deb_out[rel]):
            assert ours_text.split("\n") == deb_text.split("\n"), rel
    assert len(our_pipe) == len(deb_pipe) == 1
    assert our_pipe[0][2].split("\n") == deb_pipe[0][2].split("\n")


# ------------------------------------------------------------ expansion, diff

LOCAL_LINE = re.compile(r"local\[\d+\]: (\w+): to=<([^>]*)>, "
                        r"(?:orig_to=<([^>]*)>, )?relay=local, .*?"
                        r"dsn=(\S+), status=(\w+) \((.*)\)$")


def expansion_files(sd):
    """Aliases, :include: lists and .forward files of the expansion
    scenarios under sd."""
    (sd.base / "l1").write_text("mdx\ncmdx\n")
    (sd.base / "l2").write_text("al2\nnobody\n")
    sd.set_aliases(
        f"lst :include:{sd.base}/l1\n"
        f"lst2 :include:{sd.base}/l2\n"
        "al2 nobody\n"
        f"mdx {sd.out}/MX/\n"
        f'cmdx |"/bin/sh -c \'cat >> {sd.out}/cmdx.out\'"\n')
    for user, text in (("daemon", "mdx\n"), ("bin", "al2, bin\n")):
        pw = pwd.getpwnam(user)
        path = sd.base / f"fwd/{user}.forward"
        path.write_text(text)
        os.chown(path, pw.pw_uid, pw.pw_gid)


def expansion_result(sd, server, rcpts):
    """The local(8) status lines (a multiset, queue IDs out) and the
    header lines that the maildir and the command got."""
    qids = [swaks(server.port, f"{r}@test.example", tag=r) for r in rcpts]

    def settled():
        text = server.log_text()
        queued = set(qids) | set(re.findall(r"forwarded as (\w+)", text))
        done = set(re.findall(r"(\w+): removed", text))
        return queued <= done and text
    text = wait_until(settled, "every message delivered")
    lines = Counter()
    for line in text.splitlines():
        m = LOCAL_LINE.search(line)
        if m:
            reason = re.sub(r"forwarded as \w+", "forwarded as QID",
                            m.group(6)).replace(str(sd.base), "BASE")
            lines[(m.group(2), m.group(3), m.group(4), m.group(5),
                   reason)] += 1
    heads = sorted(header_lines(p.read_text())
                   for p in (sd.out / "MX/new").iterdir())
    heads.append(header_lines((sd.out / "cmdx.out").read_text()))
    return lines, heads


def test_expansion_same_as_debian(ours, side, shared_tmp):
    """Which addresses local(8) delivers itself and which it forwards as
    a new message, as Debian's: past an :include: or .forward file an
    address with an alias is expanded at once (lst -> mdx, cmdx;
    daemon's .forward -> mdx), one without is forwarded (lst2 -> al2 ->
    nobody, and nobody once only; bin's .forward -> al2 -> nobody);
    and the Delivered-To lines that follow from it."""
    rcpts = ["lst", "lst2", "daemon", "bin", "mdx"]
    deb = Side(shared_tmp / "deb")
    expansion_files(deb)
    with debian_smtpd(shared_tmp, master_extra=deb.master_extra()
                      + "virtual unix - n n - - virtual\n",
                      **deb.settings()) as d:
        want = expansion_result(deb, d, rcpts)
    expansion_files(side)
    got = expansion_result(side, ours(), rcpts)
    assert got[0] == want[0]
    assert got[1] == want[1]


# ------------------------------------------------------------ routing, diff

ANY_LINE = re.compile(r"postfix/(\w+)\[\d+\]: (\w+): to=<([^>]*)>, "
                      r"(?:orig_to=<([^>]*)>, )?relay=(\S+), .*?"
                      r"dsn=(\S+), status=(\w+) \((.*)\)$")

ROUTING_CASES = {
    "mailbox_command": ({"mailbox_command":
                         "/bin/sh -c 'cat > OUT/mc.out; echo $USER'"},
                        ["nobody", "nobody+ext"]),
    "mailbox_transport": ({"mailbox_transport": "pipe:"},
                          ["nobody", "Nobody+Ext"]),
    "fallback_transport": ({"fallback_transport": "pipe:"},
                           ["nosuchuser", "nobody"]),
    "luser_relay": ({"luser_relay": "nobody+$user"},
                    ["nosuchuser", "daemon"]),
    "luser_relay_remote": ({"luser_relay": "$user@discard.example"},
                           ["nosuchuser"]),
}


def routing_result(sd, server, rcpts):
    """Status lines of every agent (a multiset, queue IDs and paths
    out), the pipe runs' argument vectors and what mc.out got."""
    qids = [swaks(server.port, f"{r}@test.example", tag=r) for r in rcpts]

    def settled():
        text = server.log_text()
        queued = set(qids) | set(re.findall(r"forwarded as (\w+)", text))
        done = set(re.findall(r"(\w+): removed", text))
        return queued <= done and text
    text = wait_until(settled, "every message delivered")
    lines = Counter()
    for line in text.splitlines():
        m = ANY_LINE.search(line)
        if m:
            reason = re.sub(r"forwarded as \w+", "forwarded as QID",
                            m.group(8)).replace(str(sd.base), "BASE")
            lines[(m.group(1), m.group(3), m.group(4), m.group(5),
                   m.group(6), m.group(7), reason)] += 1
    runs = sorted([a for a in args if not a.startswith(("Q=", "CP="))]
                  for args, _, _ in sd.pipe_runs())
    mc = sd.out / "mc.out"
    return lines, runs, header_lines(mc.read_text()) if mc.exists() else None


@pytest.mark.parametrize("case", sorted(ROUTING_CASES))
def test_local_routing_same_as_debian(ours, side, shared_tmp, case):
    """mailbox_command (no $name expansion: "$USER" is the shell's),
    mailbox_transport, fallback_transport and luser_relay (a local
    address delivered at once, a remote one forwarded): the same status
    lines (from local and from the agent that got the mail), pipe
    arguments and command input as Debian's."""
    template, users = ROUTING_CASES[case]
    deb = Side(shared_tmp / "deb")

    def settings(sd):
        return sd.settings(**{k: v.replace("OUT", str(sd.out))
                              for k, v in template.items()})
    with debian_smtpd(shared_tmp, master_extra=deb.master_extra()
                      + "virtual unix - n n - - virtual\n",
                      **settings(deb)) as d:
        want = routing_result(deb, d, users)
    s = ours(**{k: v.replace("OUT", str(side.out))
                for k, v in template.items()})
    got = routing_result(side, s, users)
    assert got[0] == want[0]
    assert got[1] == want[1]
    assert got[2] == want[2]


# ------------------------------------------------------------ forwarding, diff

def forwarded_copies(sd, server, postcat, config_dir):
    """The envelope and first header lines of the copies that local
    forwards for fwdx (one per NOTIFY value), as postcat prints them
    (queue IDs and dates out), sorted."""
    for notify in ("SUCCESS", "SUCCESS,DELAY,FAILURE", "NEVER", "FAILURE"):
        smtp_send(server.port, ["fwdx@test.example"], tag="fwdx",
                  mail_options=["ENVID=e1", "RET=HDRS"],
                  rcpt_options={"fwdx@test.example": [
                      "NOTIFY=" + notify, "ORCPT=rfc822;orc@x.example"]})
    copies = wait_until(
        lambda: len(set(re.findall(r"forwarded as (\w+)",
                                   server.log_text()))) >= 4
        and sorted(set(re.findall(r"forwarded as (\w+)",
                                  server.log_text()))),
        "four forwarded copies")
    skip = re.compile(r"^(regular_text|\*\*\*|message_arrival|create_time|"
                      r"message_size|named_attribute: (log_|rewrite_context|"
                      r"trace_flags))|^$")
    out = []
    for q in copies:
        result = subprocess.run([postcat, "-c", str(config_dir), "-q", q],
                                capture_output=True, text=True, timeout=60)
        lines = [line for line in result.stdout.splitlines()
                 if not skip.search(line)][:10]
        # The order of the envelope records is our queue file's own.
        head = [line for line in lines if line.startswith(
            ("sender:", "named_attribute:", "original_recipient:",
             "recipient:"))]
        lines = sorted(head) + lines[len(head):]
        text = "\n".join(lines).replace(q, "QID")
        out.append(re.sub(r"\d+ \w{3} \d{4} \d\d:\d\d:\d\d", "DATE", text))
    return sorted(out)


def test_forwarded_copy_same_as_debian(ours, side, shared_tmp,
                                       privileged_instance):
    """The copy that local(8) forwards (to a deferring transport, so
    that it stays in the queue) has the envelope of Debian's: RET,
    ENVID, ORCPT, the original recipient, NOTIFY without SUCCESS (NEVER
    when nothing is left), and "Received: by ... id <new ID>" and
    Delivered-To: in front of the message."""
    deb = Side(shared_tmp / "deb")
    deb.set_aliases("fwdx w@defer.example\n")
    with debian_smtpd(shared_tmp, master_extra=deb.master_extra()
                      + "virtual unix - n n - - virtual\n",
                      **deb.settings()) as d:
        want = forwarded_copies(deb, d, "/usr/sbin/postcat", d.config_dir)
    side.set_aliases("fwdx w@defer.example\n")
    s = ours()
    got = forwarded_copies(side, s, str(privileged_instance.sbin / "postcat"),
                           privileged_instance.config_dir)
    assert len(got) == 4
    for ours_copy, debian_copy in zip(got, want):
        assert ours_copy.split("\n") == debian_copy.split("\n")
