"""System tests for the delivery agents discard(8), error(8) (also as the
"retry" service), pipe(8) and virtual(8).

There is no qmgr in these tests: a root-started private instance runs
master(8) with postlogd and the agents, and the test itself plays qmgr.
It writes a queue file straight into active/ (tests/system/queuefile.py),
connects to private/<service>, sends one delivery request in the
attribute-list format of docs/internals/delivery.md section 2 (encoder
and reader from fake_agent.py), and checks the reply (outcome and DSN
status per recipient), the queue file (R records of finished recipients
become D), the status lines in the maillog, what the bounce/defer
services were asked to record (FakeBounce stands in for bounce(8) on
private/bounce, defer and trace), and what a command or mailbox got.

The expected log texts, contents and statuses were observed with
Debian's Postfix 3.7.11 agents in throwaway instances (same transports
driven through its smtpd/sendmail and qmgr); test_same_as_debian runs a
set of those cases through Debian again and compares the
"dsn=..., status=... (...)" parts of the status lines (discard, error,
retry, pipe exit codes and command output, a command that cannot be
executed, an unreachable directory=, virtual mailbox, maildir, unknown
user, bad uid, missing directory) and the argument vector that a pipe
command with every recipient macro and flags=hqu gets.

Also covered: pipe's From_/Return-Path/X-Original-To/Delivered-To
headers, eol=, null_sender=, flags=D loop check, size= and time
limits, configuration errors, $pipe_delivery_status_filter; virtual's
file modes, ownership, maildir layout, $virtual_mailbox_limit; and
address verification probes (flags=1: nothing delivered).

All tests need root (pipe and virtual switch user ids; master runs the
agents as root or as mail_owner) and skip otherwise.
"""

import os
import pwd
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from fake_agent import AttrError, FakeBounce, Reader, encode, every, first
from queuefile import queue_file

TIMEOUT = 15.0
QUEUE_ID = "4A1B2C3D4E5"
NOBODY = "nobody"

SENDER = "snd@src.example"
BODY = ["Subject: t", "", "hello", "From me", ".dot"]


def parse_offsets(blob):
    """(type, offset, data) for every record of a queue file."""
    out, pos = [], 0
    while pos < len(blob):
        rtype = chr(blob[pos])
        space = blob.index(b" ", pos)
        length = int(blob[pos + 1:space])
        data = blob[space + 1:space + 1 + length]
        out.append((rtype, pos, data))
        pos = space + 1 + length + 1
    return out


class AgentInstance:
    """Our master with the agents, fake bounce services, and a client."""

    def __init__(self, inst, shared_tmp):
        self.inst = inst
        self.tmp = Path(shared_tmp)
        self.queue = inst.queue_dir
        self.pw = pwd.getpwnam(inst.owner)
        self.fakes = []
        self.count = 0

    def start(self, master_extra="", **settings):
        lines = [
            "postlog unix-dgram n - n - 1 postlogd",
            "discard unix - - n - - discard",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "virtual unix - n n - - virtual",
        ]
        self.inst.write_master_cf("\n".join(lines) + "\n" + master_extra)
        self.inst.write_main_cf(compatibility_level="3.6",
                                myorigin="test.example",
                                mydestination="test.example",
                                **settings)
        os.chown(self.inst.data_dir, self.pw.pw_uid, self.pw.pw_gid)
        result = self.inst.run("postfix", "start")
        assert result.returncode == 0, result.stdout + result.stderr
        deadline = time.monotonic() + TIMEOUT
        while not (self.queue / "private/discard").exists():
            assert time.monotonic() < deadline, self.inst.log_text()
            time.sleep(0.05)
        for service in ("bounce", "defer", "trace"):
            self.fakes.append(FakeBounce(self.queue, service,
                                         owner=(self.pw.pw_uid,
                                                self.pw.pw_gid)))

    def stop(self):
        for fake in self.fakes:
            fake.stop()
        self.inst.run("postfix", "stop")
        self.inst.stop_everything()

    def fake(self, service):
        return {f.service: f for f in self.fakes}[service]

    def queue_message(self, recipients, lines=BODY, sender=SENDER):
        """A queue file in active/; recipients are addresses or
        (address, original) pairs. Returns (queue_id, offsets)."""
        self.count += 1
        queue_id = "%s%X" % (QUEUE_ID, self.count)
        env = []
        for r in recipients:
            addr, orig = (r, None) if isinstance(r, str) else r
            if orig:
                env.append(("O", orig))
            env.append(("R", addr))
        blob = queue_file(env, lines, sender=sender)
        path = self.queue / "active" / queue_id
        path.write_bytes(blob)
        os.chown(path, self.pw.pw_uid, self.pw.pw_gid)
        os.chmod(path, 0o700)
        recs = parse_offsets(blob)
        rcpt_offsets = [off for t, off, _ in recs if t == "R"]
        data_offset = [off for t, off, _ in recs if t == "M"][0]
        size = int(first_record(recs, "S").split()[0])
        # The request's size is qmgr's: line ends count as CRLF.
        return queue_id, {"rcpt": rcpt_offsets, "data": data_offset,
                          "size": size + len(lines),
                          "recipients": recipients}

    def deliver(self, service, queue_id, info, nexthop, sender=SENDER,
                flags=0, extra=()):
        """Send one delivery request; return the reply attributes."""
        now = int(time.time() * 1000000)
        rcpts = []
        for r, off in zip(info["recipients"], info["rcpt"]):
            addr, orig = (r, r) if isinstance(r, str) else r
            rcpts.append(("h", "rcpt", [("s", "address", addr),
                                        ("s", "orig_rcpt", orig),
                                        ("s", "dsn_orcpt", ""),
                                        ("i", "dsn_notify", 0),
                                        ("l", "offset", off)]))
        req = [("s", "protocol", "delivery"), ("i", "flags", flags),
               ("s", "queue_name", "active"),
               ("s", "queue_id", queue_id),
               ("l", "data_offset", info["data"]),
               ("l", "data_size", info["size"]),
               ("s", "nexthop", nexthop), ("s", "encoding", ""),
               ("i", "smtputf8", 0), ("s", "sender", sender),
               ("s", "dsn_envid", ""), ("i", "dsn_ret", 0),
               ("l", "time_arrival", now), ("l", "time_active", now),
               ("l", "time_handoff", now),
               ("s", "client_name", "localhost"),
               ("s", "client_addr", "127.0.0.1"),
               ("s", "client_port", "57070"),
               ("s", "client_proto", "ESMTP"),
               ("s", "client_helo", "helo.name")] + list(extra) + rcpts
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT + 30)
        try:
            sock.connect(str(self.queue / "private" / service))
            reader = Reader(sock)
            greeting = reader.message()
            assert first(greeting, "protocol") == "delivery"
            sock.sendall(encode(req))
            reply = reader.message()
        except (AttrError, OSError) as e:
            raise AssertionError(f"{service}: {e}\n"
                                 + self.inst.log_text()[-3000:]) from e
        finally:
            sock.close()
        return reply

    def done_marks(self, queue_id):
        """The type letter of each recipient record, in file order."""
        blob = (self.queue / "active" / queue_id).read_bytes()
        return "".join(t for t, _, _ in parse_offsets(blob) if t in "RD")

    def status_lines(self, queue_id, count):
        """The first count "<id>: to=" lines, without the time stamp."""
        needle = f"{queue_id}: to="
        deadline = time.monotonic() + TIMEOUT
        while True:
            lines = [l for l in self.inst.log_text().splitlines()
                     if needle in l]
            if len(lines) >= count:
                return [l.split("]: ", 1)[1] for l in lines]
            assert time.monotonic() < deadline, self.inst.log_text()[-3000:]
            time.sleep(0.05)


def first_record(recs, rtype):
    return [d for t, _, d in recs if t == rtype][0].decode()


def outcomes(reply):
    """[(outcome, dsn_status)] per recipient from a reply."""
    return [(first(r, "outcome"), first(r, "dsn_status"))
            for r in every(reply, "result")]


def short(line):
    """The dsn=..., status=... (...) part of a status line."""
    return line[line.index("dsn="):]


@pytest.fixture
def agents(privileged_instance, shared_tmp):
    a = AgentInstance(privileged_instance, shared_tmp)
    yield a
    a.stop()


# ---------------------------------------------------------------- discard

def test_discard_reports_sent_with_next_hop_as_reason(agents):
    agents.start()
    qid, info = agents.queue_message(["x@a.example", "y@a.example"])
    reply = agents.deliver("discard", qid, info, "a.example")
    assert first(reply, "status") == 0
    assert outcomes(reply) == [(0, "2.0.0"), (0, "2.0.0")]
    lines = agents.status_lines(qid, 2)
    assert lines[0].startswith(f"{qid}: to=<x@a.example>, relay=none, ")
    assert short(lines[0]) == "dsn=2.0.0, status=sent (a.example)"
    assert agents.done_marks(qid) == "DD"


def test_discard_ignores_non_success_code(agents):
    agents.start()
    qid, info = agents.queue_message(["y@b.example"])
    agents.deliver("discard", qid, info, "5.1.1 Go away")
    line = agents.status_lines(qid, 1)[0]
    assert short(line) == "dsn=2.0.0, status=sent (Go away)"
    assert 'warning: sent: ignoring dsn code "5.1.1"' in agents.inst.log_text()


# ------------------------------------------------------------------ error

@pytest.mark.parametrize("nexthop,dsn,reason,warning", [
    ("5.1.1 No such user", "5.1.1", "No such user", None),
    ("custom text", "5.0.0", "custom text", None),
    ("5.1 bad", "5.0.0", "5.1 bad", None),
    ("4.7.1 temp in error", "5.0.0", "temp in error",
     'bounce_append: ignoring dsn code "4.7.1"'),
])
def test_error_bounces(agents, nexthop, dsn, reason, warning):
    agents.start()
    qid, info = agents.queue_message(["u@c.example"])
    reply = agents.deliver("error", qid, info, nexthop)
    assert outcomes(reply) == [(2, dsn)]
    line = agents.status_lines(qid, 1)[0]
    assert line.startswith(f"{qid}: to=<u@c.example>, relay=none, ")
    assert short(line) == f"dsn={dsn}, status=bounced ({reason})"
    appended = agents.fake("bounce").requests
    assert [(r["request"], r["status"], r["reason"]) for r in appended] \
        == [("APPEND", dsn, reason)]
    assert agents.done_marks(qid) == "D"
    if warning:
        assert "warning: " + warning in agents.inst.log_text()


@pytest.mark.parametrize("nexthop,dsn,reason", [
    ("4.4.1 later", "4.4.1", "later"),
    ("5.1.1 perm", "4.0.0", "perm"),
    ("plain", "4.0.0", "plain"),
])
def test_retry_defers(agents, nexthop, dsn, reason):
    agents.start()
    qid, info = agents.queue_message(["r@e.example"])
    reply = agents.deliver("retry", qid, info, nexthop)
    assert outcomes(reply) == [(1, dsn)]
    assert short(agents.status_lines(qid, 1)[0]) \
        == f"dsn={dsn}, status=deferred ({reason})"
    assert [(r["request"], r["status"]) for r in
            agents.fake("defer").requests] == [("APPEND", dsn)]
    assert agents.done_marks(qid) == "R"


def test_error_refuses_other_service_names(agents):
    """error(8) runs only as error or retry: under another master.cf
    name it stops with Postfix's fatal message (seen from Debian's
    error(8) as "fatal: bad error service name: err") before it greets
    anyone."""
    agents.start(master_extra="err unix - - n - - error\n")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(agents.queue / "private" / "err"))
        agents.inst.wait_for_log("fatal: bad error service name: err", 30)
    finally:
        sock.close()


# ------------------------------------------------------------------- pipe

PIPE_SCRIPT = """#!/bin/sh
code=$1; shift
out={out}/$(date +%s%N).$$
{{ echo "ARGC=$#"; for a in "$@"; do echo "ARG=[$a]"; done
  echo "ID=$(id -u):$(id -g)"; echo "PWD=$(pwd)"; echo "---"; cat; }} > $out
case "$code" in
sleep) sleep 30;;
sig) kill -9 $$;;
dsn) printf '4.7.2 custom\\tfail\\001x\\n'; exit 1;;
dsn2) printf '2.1.0 fine\\n'; exit 1;;
esac
echo "output line one"
echo "output line two" >&2
exit $code
"""


def pipe_setup(agents, services, **settings):
    out = agents.tmp / "out"
    out.mkdir()
    os.chmod(out, 0o777)
    script = agents.tmp / "pipe.sh"
    script.write_text(PIPE_SCRIPT.format(out=out))
    os.chmod(script, 0o755)
    extra = "".join(f"{name} unix - n n - - pipe {attrs.format(sh=script)}\n"
                    for name, attrs in services.items())
    agents.start(master_extra=extra, **settings)
    return out


def pipe_outputs(out):
    return [p.read_text() for p in sorted(out.iterdir())]


def test_pipe_delivers_with_headers(agents):
    out = pipe_setup(agents, {
        "p0": "flags=FRDO user=nobody argv={sh} 0 ${{sender}} ${{recipient}}"},
        p0_destination_recipient_limit=1)
    qid, info = agents.queue_message([("a@p0.example", "alias@P0.example")])
    reply = agents.deliver("p0", qid, info, "p0.example")
    assert outcomes(reply) == [(0, "2.0.0")]
    line = agents.status_lines(qid, 1)[0]
    assert line.startswith(f"{qid}: to=<a@p0.example>, orig_to=<alias@P0.example>"
                           ", relay=p0, ")
    assert short(line) == ("dsn=2.0.0, status=sent (delivered via p0 service "
                           "(output line one output line two))")
    [text] = pipe_outputs(out)
    head, content = text.split("---\n", 1)
    nobody = pwd.getpwnam(NOBODY)
    assert head.splitlines() == [
        "ARGC=2", f"ARG=[{SENDER}]", "ARG=[a@p0.example]",
        f"ID={nobody.pw_uid}:{nobody.pw_gid}", f"PWD={agents.queue}"]
    lines = content.splitlines()
    assert re.match(r"From snd@src\.example  \w{3} \w{3} [ \d]\d "
                    r"\d\d:\d\d:\d\d \d{4}$", lines[0])
    assert lines[1:] == ["Return-Path: <snd@src.example>",
                         "X-Original-To: alias@P0.example",
                         "Delivered-To: a@p0.example"] + BODY
    assert agents.done_marks(qid) == "D"


@pytest.mark.parametrize("code,outcome,dsn,reason", [
    ("75", 1, "4.3.0", "temporary failure. Command output: output line one "
     "output line two "),
    ("67", 2, "5.1.1", "user unknown. Command output: output line one "
     "output line two "),
    ("71", 1, "4.3.0", "system resource problem. Command output: output "
     "line one output line two "),
    ("1", 2, "5.3.0", 'Command died with status 1: "{sh}". Command output: '
     'output line one output line two '),
    ("sig", 1, "4.3.0", 'Command died with signal 9: "{sh}"'),
    ("dsn", 1, "4.7.2", "custom fail_x "),
    ("dsn2", 2, "5.0.0", "fine "),
])
def test_pipe_exit_status(agents, code, outcome, dsn, reason):
    pipe_setup(agents, {"p": "user=nobody argv={sh} $nexthop ${{recipient}}"})
    qid, info = agents.queue_message(["u@c.example"])
    reply = agents.deliver("p", qid, info, code)
    assert outcomes(reply) == [(outcome, dsn)]
    status = {1: "deferred", 2: "bounced"}[outcome]
    sh = agents.tmp / "pipe.sh"
    assert short(agents.status_lines(qid, 1)[0]) \
        == f"dsn={dsn}, status={status} ({reason.format(sh=sh)})"
    assert agents.done_marks(qid) == ("D" if outcome == 2 else "R")
    if code == "dsn2":
        assert 'warning: bounce_append: ignoring dsn code "2.1.0"' \
            in agents.inst.log_text()


def test_pipe_macros_expand_per_recipient(agents):
    out = pipe_setup(agents, {
        "pall": "flags=q user=nobody argv={sh} 0 S=${{sender}} "
                "R=${{recipient}} N=${{nexthop}} E=${{extension}} "
                "U=${{user}} D=${{domain}} Z=${{size}} CA=${{client_address}} "
                "Q=${{queue_id}} {{a b}} $$ x${{mailbox}}y"},
        recipient_delimiter="+")
    qid, info = agents.queue_message(["Foo+Ext@Pall.example",
                                      "g h@pall.example"])
    reply = agents.deliver("pall", qid, info, "NH.Example",
                           sender="s n@Src.Example")
    assert outcomes(reply) == [(0, "2.0.0"), (0, "2.0.0")]
    [text] = pipe_outputs(out)
    args = [l for l in text.splitlines() if l.startswith("ARG=")]
    assert args == [
        'ARG=[S="s n"@Src.Example]',
        "ARG=[R=Foo+Ext@Pall.example]", 'ARG=[R="g h"@pall.example]',
        "ARG=[N=NH.Example]", "ARG=[E=Ext]", "ARG=[E=]",
        "ARG=[U=Foo]", "ARG=[U=g h]",
        "ARG=[D=Pall.example]", "ARG=[D=pall.example]",
        f"ARG=[Z={info['size']}]", "ARG=[CA=127.0.0.1]", f"ARG=[Q={qid}]",
        "ARG=[a b]", "ARG=[$]", "ARG=[xFoo+Exty]", "ARG=[xg hy]"]


def test_pipe_configuration_errors(agents):
    pipe_setup(agents, {
        "pbad": "user=nobody argv={sh} 0 ${{nosuch}}",
        "pd": "flags=D user=nobody argv={sh} 0"})
    qid, info = agents.queue_message(["a@x.example"])
    reply = agents.deliver("pbad", qid, info, "x.example")
    assert outcomes(reply) == [(1, "4.3.5")]
    assert short(agents.status_lines(qid, 1)[0]) \
        == "dsn=4.3.5, status=deferred (mail system configuration error)"
    log = agents.inst.log_text()
    assert (f'warning: file {agents.inst.config_dir}/master.cf: service '
            'pbad: unknown macro name: "nosuch"') in log
    qid, info = agents.queue_message(["b@x.example"])
    reply = agents.deliver("pd", qid, info, "x.example")
    assert outcomes(reply) == [(1, "4.3.5")]
    assert ("warning: pipe flag `D' requires pd_destination_recipient_limit"
            " = 1") in agents.inst.log_text()


def test_pipe_size_and_time_limits(agents):
    pipe_setup(agents, {
        "psz": "size=10 user=nobody argv={sh} 0",
        "psl": "user=nobody argv={sh} sleep"}, psl_time_limit="1s")
    qid, info = agents.queue_message(["a@x.example"])
    assert outcomes(agents.deliver("psz", qid, info, "x")) == [(2, "5.2.3")]
    assert short(agents.status_lines(qid, 1)[0]) \
        == "dsn=5.2.3, status=bounced (message too large)"
    qid, info = agents.queue_message(["b@x.example"])
    assert outcomes(agents.deliver("psl", qid, info, "x")) == [(2, "5.3.0")]
    sh = agents.tmp / "pipe.sh"
    assert short(agents.status_lines(qid, 1)[0]) \
        == f'dsn=5.3.0, status=bounced (Command time limit exceeded: "{sh}")'


def test_pipe_eol_null_sender_and_loop(agents):
    out = pipe_setup(agents, {
        "peol": "flags=FRB eol=\\r\\n null_sender=nul user=nobody "
                "argv={sh} 0 ${{sender}}",
        "ploop": "flags=D user=nobody argv={sh} 0"},
        ploop_destination_recipient_limit=1)
    qid, info = agents.queue_message(["f@peol.example"])
    agents.deliver("peol", qid, info, "x", sender="")
    [path] = sorted(out.iterdir())
    text = path.read_bytes()
    content = text.split(b"---\n", 1)[1]
    assert b"ARG=[nul]" in text
    assert content.startswith(b"From nul  ")
    assert content.split(b"\r\n")[1:] == [
        b"Return-Path: <nul>", b"Subject: t", b"", b"hello", b"From me",
        b".dot", b"", b""]
    qid, info = agents.queue_message(
        ["loop@x.example"], lines=["Delivered-To: Loop@X.example"] + BODY)
    reply = agents.deliver("ploop", qid, info, "x")
    assert outcomes(reply) == [(2, "5.4.6")]
    assert short(agents.status_lines(qid, 1)[0]) == (
        "dsn=5.4.6, status=bounced (mail forwarding loop for loop@x.example)")


def test_pipe_delivery_status_filter(agents):
    (agents.tmp / "filter").write_text(
        "/^4\\.3\\.0 temporary failure\\. (.*)/ 5.3.0 filtered: $1\n")
    pipe_setup(agents, {"p": "user=nobody argv={sh} $nexthop"},
               pipe_delivery_status_filter=f"regexp:{agents.tmp}/filter")
    qid, info = agents.queue_message(["u@c.example"])
    assert outcomes(agents.deliver("p", qid, info, "75")) == [(2, "5.3.0")]
    assert short(agents.status_lines(qid, 1)[0]) == (
        "dsn=5.3.0, status=bounced (filtered: Command output: output line "
        "one output line two )")
    assert agents.done_marks(qid) == "D"


# ---------------------------------------------------------------- virtual

def virtual_settings(agents, **settings):
    """Mailbox tables and a base directory for virtual(8)."""
    vbase = agents.tmp / "vmail"
    vbase.mkdir()
    nobody = pwd.getpwnam(NOBODY)
    os.chown(vbase, nobody.pw_uid, nobody.pw_gid)
    (agents.tmp / "vmbox").write_text(
        "a@v.example a.mbox\nb@v.example b/Maildir/\nc+x@v.example c.mbox\n"
        "d@v.example d.mbox\nlow@v.example low.mbox\n"
        "sub@v.example sub/dir/s.mbox\nbig@v.example big.mbox\n"
        "@w.example catch.mbox\n")
    (agents.tmp / "vuid").write_text("low@v.example 5\n")
    values = dict(virtual_mailbox_maps=f"texthash:{agents.tmp}/vmbox",
                  virtual_mailbox_base=str(vbase),
                  virtual_uid_maps=f"texthash:{agents.tmp}/vuid, "
                                   f"static:{nobody.pw_uid}",
                  virtual_gid_maps=f"static:{nobody.pw_gid}",
                  recipient_delimiter="+")
    values.update(settings)
    return values


def virtual_setup(agents, **settings):
    agents.start(**virtual_settings(agents, **settings))
    return agents.tmp / "vmail"


def test_virtual_mailbox_and_maildir(agents):
    vbase = virtual_setup(agents)
    rcpts = ["a@v.example", "B@v.example", "c+x@v.example", "c+y@v.example",
             "d+z@v.example", "low@v.example", "sub@v.example",
             "any@w.example", "none@v.example"]
    qid, info = agents.queue_message(rcpts)
    reply = agents.deliver("virtual", qid, info, "v.example")
    assert outcomes(reply) == [
        (0, "2.0.0"), (0, "2.0.0"), (0, "2.0.0"), (2, "5.1.1"),
        (0, "2.0.0"), (1, "4.3.5"), (1, "4.2.0"), (0, "2.0.0"),
        (2, "5.1.1")]
    lines = agents.status_lines(qid, len(rcpts))
    assert lines[0].startswith(f"{qid}: to=<a@v.example>, relay=virtual, ")
    got = [short(l) for l in lines]
    assert got == [
        "dsn=2.0.0, status=sent (delivered to mailbox)",
        "dsn=2.0.0, status=sent (delivered to maildir)",
        "dsn=2.0.0, status=sent (delivered to mailbox)",
        'dsn=5.1.1, status=bounced (unknown user: "c+y@v.example")',
        "dsn=2.0.0, status=sent (delivered to mailbox)",
        "dsn=4.3.5, status=deferred (mail system configuration error)",
        f"dsn=4.2.0, status=deferred (delivery failed to mailbox "
        f"{vbase}/sub/dir/s.mbox: unable to create lock file "
        f"{vbase}/sub/dir/s.mbox.lock: No such file or directory)",
        "dsn=2.0.0, status=sent (delivered to mailbox)",
        'dsn=5.1.1, status=bounced (unknown user: "none@v.example")']
    assert ("warning: recipient low@v.example: bad uid 5 in virtual_uid_maps"
            in agents.inst.log_text())
    assert agents.done_marks(qid) == "DDDDDRRDD"

    nobody = pwd.getpwnam(NOBODY)
    mbox = vbase / "a.mbox"
    st = mbox.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == \
        (nobody.pw_uid, nobody.pw_gid, 0o600)
    lines = mbox.read_text().split("\n")
    assert lines[0].startswith("From snd@src.example  ")
    assert lines[1:] == ["Return-Path: <snd@src.example>",
                         "X-Original-To: a@v.example",
                         "Delivered-To: a@v.example", "Subject: t", "",
                         "hello", ">From me", ".dot", "", ""]
    new = list((vbase / "b/Maildir/new").iterdir())
    assert len(new) == 1
    assert re.match(r"\d+\.V[0-9a-f]+I[0-9a-f]+M\d+\.", new[0].name)
    assert new[0].read_text().split("\n") == [
        "Return-Path: <snd@src.example>", "X-Original-To: B@v.example",
        "Delivered-To: B@v.example", "Subject: t", "", "hello", "From me",
        ".dot", ""]
    for sub in ("tmp", "cur"):
        assert (vbase / "b/Maildir" / sub).is_dir()
        assert list((vbase / "b/Maildir" / sub).iterdir()) == []
    assert (vbase / "catch.mbox").exists()


def test_virtual_mailbox_limit(agents):
    vbase = virtual_setup(agents, virtual_mailbox_limit=3000,
                          message_size_limit=2500)
    nobody = pwd.getpwnam(NOBODY)
    big = vbase / "big.mbox"
    big.write_text("y" * 2900 + "\n")
    os.chown(big, nobody.pw_uid, nobody.pw_gid)
    qid, info = agents.queue_message(["big@v.example"],
                                     lines=BODY + ["x" * 100] * 3)
    reply = agents.deliver("virtual", qid, info, "v.example")
    assert outcomes(reply) == [(2, "5.2.2")]
    assert short(agents.status_lines(qid, 1)[0]) == (
        f"dsn=5.2.2, status=bounced (delivery failed to mailbox {big}: "
        "error writing message: File too large)")
    assert big.read_text() == "y" * 2900 + "\n"


def test_virtual_limit_below_message_size_is_fatal(agents):
    virtual_setup(agents, virtual_mailbox_limit=1000,
                  message_size_limit=2000)
    qid, info = agents.queue_message(["a@v.example"])
    with pytest.raises(AssertionError):
        agents.deliver("virtual", qid, info, "v.example")
    agents.inst.wait_for_log("fatal: configuration error: "
                             "virtual_mailbox_limit is smaller than "
                             "message_size_limit")


# ------------------------------------------------- the same as Debian's

# recipient -> (our service, next hop); Debian gets the same through
# transport_maps ("<domain> <service>:<next hop>") and its qmgr.
DIFF_CASES = {
    "x@a.example": ("discard", "a.example"),
    "y@b.example": ("discard", "5.1.1 Go away"),
    "u@c.example": ("error", "5.1.1 No such user"),
    "v@d.example": ("error", "custom text"),
    "w@d2.example": ("error", "4.7.1 temp in error"),
    "r@e.example": ("retry", "4.4.1 later"),
    "s@f.example": ("retry", "5.1.1 perm"),
    "a@p0.example": ("p", "0"),
    "a@p75.example": ("p", "75"),
    "a@p67.example": ("p", "67"),
    "a@p1.example": ("p", "1"),
    "a@pdsn.example": ("p", "dsn"),
    "a@pdsn2.example": ("p", "dsn2"),
    "a@psig.example": ("p", "sig"),
    "a@v.example": ("virtual", "v.example"),
    "b@v.example": ("virtual", "v.example"),
    "none@v.example": ("virtual", "v.example"),
    "low@v.example": ("virtual", "v.example"),
    "sub@v.example": ("virtual", "v.example"),
    "a@pnx.example": ("pnx", "pnx.example"),
    "a@pdir.example": ("pdir", "pdir.example"),
    "Foo+Ext@PM.example": ("pm", "NH.Example"),
    "x@pm.example": ("pm", "NH.Example"),
}

# The argv= of the "pm" service: what Debian's pipe passed is compared
# with ours (one command for both pm recipients on each side).
PM_ARGV = ("{script} 0 MARK S=${{sender}} R=${{recipient}} N=${{nexthop}} "
           "E=${{extension}} M=${{mailbox}} U=${{user}} D=${{domain}} "
           "O=${{original_recipient}} {{a b}} $$ x${{user}}y")


def side_files(side):
    """Pipe script, output directory and virtual tables under side."""
    side.mkdir()
    os.chmod(side, 0o755)
    out = side / "out"
    out.mkdir()
    os.chmod(out, 0o777)
    script = side / "pipe.sh"
    script.write_text(PIPE_SCRIPT.format(out=out))
    os.chmod(script, 0o755)
    vbase = side / "vmail"
    vbase.mkdir()
    nobody = pwd.getpwnam(NOBODY)
    os.chown(vbase, nobody.pw_uid, nobody.pw_gid)
    (side / "vmbox").write_text("a@v.example a.mbox\nb@v.example b/Maildir/\n"
                                "low@v.example low.mbox\n"
                                "sub@v.example sub/dir/s.mbox\n")
    (side / "vuid").write_text("low@v.example 5\n")
    settings = dict(virtual_mailbox_maps=f"texthash:{side}/vmbox",
                    virtual_mailbox_base=str(vbase),
                    virtual_uid_maps=f"texthash:{side}/vuid, "
                                     f"static:{nobody.pw_uid}",
                    virtual_gid_maps=f"static:{nobody.pw_gid}",
                    recipient_delimiter="+")
    private = side / "private"
    private.mkdir(mode=0o700)
    master = (f"p unix - n n - - pipe user=nobody argv={script} $nexthop\n"
              f"pnx unix - n n - - pipe user=nobody argv=/nonexistent/cmd\n"
              f"pdir unix - n n - - pipe directory={private} user=nobody "
              f"argv={script} 0\n"
              f"pm unix - n n - - pipe flags=hqu user=nobody argv="
              + PM_ARGV.format(script=script) + "\n")
    return script, vbase, settings, master


def marked_args(side):
    """The argument lines of the pm command runs under side."""
    runs = []
    for path in sorted((side / "out").iterdir()):
        lines = path.read_text().splitlines()
        if "ARG=[MARK]" in lines:
            runs.append([l for l in lines if l.startswith("ARG=")])
    return runs


def normal(text, script, vbase):
    return text.replace(str(script), "SCRIPT").replace(str(vbase), "VBASE")


def debian_outcomes(base):
    """recipient -> "dsn=..., status=... (...)" from Debian's agents."""
    from smtp_dialogue import debian_smtpd
    script, vbase, settings, master = side_files(base / "deb-side")
    transport = base / "transport"
    routes = {r.split("@")[1].lower(): f"{svc}:{hop}"
              for r, (svc, hop) in DIFF_CASES.items() if svc != "virtual"}
    transport.write_text("".join(f"{domain} {route}\n"
                                 for domain, route in routes.items())
                         + "src.example discard:\n")
    master += "virtual unix - n n - - virtual\n"
    with debian_smtpd(base, master_extra=master,
                      transport_maps=f"texthash:{transport}",
                      virtual_mailbox_domains="v.example",
                      notify_classes="", **settings) as server:
        env = dict(os.environ, MAIL_CONFIG=str(server.config_dir))
        subprocess.run(["/usr/sbin/sendmail", "-f", SENDER]
                       + list(DIFF_CASES),
                       input="\n".join(BODY).encode() + b"\n", env=env,
                       timeout=60, check=True)
        found = {}
        deadline = time.monotonic() + 30
        while len(found) < len(DIFF_CASES):
            assert time.monotonic() < deadline, server.log_text()[-3000:]
            for line in server.log_text().splitlines():
                m = re.search(r": to=<([^>]*)>, .*?(dsn=.*)$", line)
                if m and m.group(1) in DIFF_CASES:
                    found[m.group(1)] = normal(m.group(2), script, vbase)
            time.sleep(0.2)
    return found, marked_args(base / "deb-side")


def test_same_as_debian(agents, shared_tmp):
    from smtp_dialogue import _debian_usable
    if not _debian_usable():
        pytest.skip("needs root, Debian's Postfix and the postfix account")
    expected, expected_args = debian_outcomes(Path(shared_tmp))

    script, vbase, settings, master = side_files(agents.tmp / "our-side")
    agents.start(master_extra=master, **settings)
    got = {}
    for rcpt, (service, hop) in DIFF_CASES.items():
        if service == "pm":
            continue
        qid, info = agents.queue_message([rcpt])
        agents.deliver(service, qid, info, hop)
        got[rcpt] = normal(short(agents.status_lines(qid, 1)[0]), script,
                           vbase)
    pm = [r for r, (service, _) in DIFF_CASES.items() if service == "pm"]
    qid, info = agents.queue_message(pm)
    agents.deliver("pm", qid, info, "NH.Example")
    for line in agents.status_lines(qid, len(pm)):
        m = re.search(r": to=<([^>]*)>, .*?(dsn=.*)$", line)
        got[m.group(1)] = m.group(2)
    assert got == expected
    assert len(expected_args) == 1
    assert marked_args(agents.tmp / "our-side") == expected_args


# ------------------------------------------------ address verification

def test_verify_probe_delivers_nothing(agents):
    """Texts as Debian's agents log them for "sendmail -bv"."""
    out = pipe_setup(agents, {"p0": "user=nobody argv={sh} 0 ${{recipient}}"},
                     **virtual_settings(agents))
    vbase = agents.tmp / "vmail"
    cases = [("p0", "a@p0.example", "p0.example",
              f"dsn=2.0.0, status=deliverable (delivers to command: "
              f"{agents.tmp}/pipe.sh)"),
             ("virtual", "a@v.example", "v.example",
              "dsn=2.0.0, status=deliverable (delivers to mailbox)"),
             ("virtual", "b@v.example", "v.example",
              "dsn=2.0.0, status=deliverable (delivers to maildir)"),
             ("virtual", "none@v.example", "v.example",
              'dsn=5.1.1, status=undeliverable (unknown user: '
              '"none@v.example")'),
             ("discard", "x@a.example", "a.example",
              "dsn=2.0.0, status=deliverable (a.example)")]
    for service, rcpt, hop, expect in cases:
        qid, info = agents.queue_message([rcpt])
        agents.deliver(service, qid, info, hop, flags=1)
        assert short(agents.status_lines(qid, 1)[0]) == expect
    assert list(out.iterdir()) == []
    assert list(vbase.iterdir()) == []
