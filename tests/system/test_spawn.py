"""System tests for spawn(8): the installed daemon run by our master(8)
(root only: spawn needs root to run commands as user=), with the
spawn-style policy server example policy_stdio.py, and the same cases
against Debian's Postfix 3.7 spawn (test ids ending in "debian"), whose
replies and log lines are the expected ones here.

Checked: check_policy_service unix:private/policy through our smtpd to
a command that spawn runs as nobody (REJECT, DEFER_IF_PERMIT and DUNNO
end to end, connection reuse); what the command gets (argv with "{ }"
grouping, environment $export_environment plus PATH=/usr/bin:/bin,
working directory, ids, only descriptors 0-2, its own session); a
command that exits non-zero or is killed by a signal; the time limit
($<service>_time_limit); and the fatal errors for missing or bad
attributes, a privileged account, unprivileged operation and a zero
time limit, each followed by master's "bad command startup".

Kept different on purpose (docs/man/man8/spawn.8): when the time limit
passes, ours kills the command's whole process group, so a grandchild
that holds the connection goes too (Postfix kills only the command);
a command that cannot be executed is logged as "spawn_command: execvp
...: <error>" by spawn itself, followed by "exit status 127" (Postfix's
child logs a fatal error and exits with status 1).
"""

import grp
import json
import os
import pwd
import re
import shutil
import socket
import time
from pathlib import Path

import pytest

from smtp_dialogue import ours_smtpd, debian_smtpd, our_instance, dialogue

HERE = Path(__file__).resolve().parent
PYTHON = "/usr/bin/python3"
SIDES = ["ours", "debian"]

POLICY_SETTINGS = {
    "smtpd_recipient_restrictions":
        "check_policy_service unix:private/policy, permit_mynetworks, "
        "reject_unauth_destination",
}

# Services with bad attributes, and the fatal error each one gives
# (Debian's Postfix 3.7.11).
BAD_SERVICES = {
    "nouser": ("spawn argv=/bin/true", "fatal: missing user= attribute"),
    "noargv": ("spawn user=nobody", "fatal: missing argv= attribute"),
    "asroot": ("spawn user=root argv=/bin/true",
               "fatal: request to deliver as root"),
    "asowner": ("spawn user=postfix argv=/bin/true",
                "fatal: request to deliver as mail system owner"),
    "nosuchuser": ("spawn user=no-such-user-postel argv=/bin/true",
                   "fatal: unknown user name: no-such-user-postel"),
    "nosuchgroup": ("spawn user=nobody:no-such-group-postel argv=/bin/true",
                    "fatal: unknown group name: no-such-group-postel"),
    "rootgroup": ("spawn user=nobody:root argv=/bin/true",
                  "fatal: request to use privileged group id 0"),
    "badattr": ("spawn user=nobody foo=bar argv=/bin/true",
                "fatal: unknown attribute name: foo=bar"),
    "zerolimit": ("spawn -o zerolimit_time_limit=0 user=nobody "
                  "argv=/bin/true",
                  "fatal: invalid zerolimit_time_limit: 0 (min 1)"),
}


@pytest.fixture
def stage(shared_tmp):
    """policy_stdio.py and a request log where nobody can use them."""
    shutil.copy(HERE / "policy_stdio.py", shared_tmp / "policy_stdio.py")
    os.chmod(shared_tmp / "policy_stdio.py", 0o755)
    log = shared_tmp / "requests.log"
    log.touch()
    os.chmod(log, 0o666)
    return shared_tmp


def command(stage, *args):
    """The argv= attribute that runs policy_stdio.py."""
    return f"argv={PYTHON} {stage}/policy_stdio.py " + " ".join(args)


def start(side, request, stage, master_extra, **settings):
    """ours_smtpd or debian_smtpd with the extra master.cf lines."""
    if os.geteuid() != 0:
        pytest.skip("spawn(8) needs root to run commands as user=")
    if side == "ours":
        return ours_smtpd(our_instance(request), master_extra=master_extra,
                          **settings)
    return debian_smtpd(stage / "deb", master_extra=master_extra, **settings)


def private(server, service):
    """The path of a private service socket of server."""
    return server.config_dir.parent / "spool" / "private" / service


def talk(server, service, data=b"", timeout=30.0):
    """Connect to a private service, send data, read until EOF; return
    (output, seconds until EOF)."""
    path = private(server, service)
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    begin = time.monotonic()
    out = b""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(str(path))
        try:
            # A service that dies at once may close before the data
            # arrives: that is an empty answer, not a test failure.
            if data:
                s.sendall(data)
            while chunk := s.recv(65536):
                out += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass
    return out, time.monotonic() - begin


def spawn_lines(server):
    """spawn's log lines without time stamp, with pids as N."""
    lines = []
    for line in server.log_text().splitlines():
        m = re.search(r"postfix/spawn\[\d+\]: (.*)$", line)
        if m:
            lines.append(re.sub(r"process id \d+", "process id N",
                                m.group(1)))
    return lines


@pytest.mark.parametrize("side", SIDES)
def test_spawn_policy_server(request, stage, side):
    """check_policy_service reaches the command that spawn runs as nobody:
    REJECT, DEFER_IF_PERMIT and DUNNO in one session, all requests on one
    connection (one spawned process)."""
    extra = (f"policy unix - n n - 0 spawn user=nobody "
             + command(stage, "--log", f"{stage}/requests.log"))
    with start(side, request, stage, extra, **POLICY_SETTINGS) as srv:
        replies = dialogue(srv.port, [
            "EHLO client.example", "MAIL FROM:<s@x.example>",
            "RCPT TO:<reject-me@test.example>",
            "RCPT TO:<defer-me@test.example>",
            "RCPT TO:<ok@test.example>", "QUIT"], timeout=30)
        assert replies[3] == ("554 5.7.1 <reject-me@test.example>: "
                              "Recipient address rejected: "
                              "spawned policy says no"), replies
        assert replies[4] == ("450 4.7.1 <defer-me@test.example>: "
                              "Recipient address rejected: "
                              "spawned policy says later"), replies
        assert replies[5] == "250 2.1.5 Ok", replies
        srv.wait_for_log("NOQUEUE: reject: RCPT from")
        assert not [l for l in spawn_lines(srv) if "warning" in l
                    or "fatal" in l], spawn_lines(srv)
    requests = [json.loads(l) for l in
                (stage / "requests.log").read_text().splitlines()]
    assert [r["recipient"] for r in requests] == [
        "reject-me@test.example", "defer-me@test.example", "ok@test.example"]
    nobody = pwd.getpwnam("nobody")
    for r in requests:
        assert r["request"] == "smtpd_access_policy"
        assert r["protocol_state"] == "RCPT"
        assert r["sender"] == "s@x.example"
        assert (r["uid"], r["gid"]) == (nobody.pw_uid, nobody.pw_gid)
    assert len({r["pid"] for r in requests}) == 1


@pytest.mark.parametrize("side", SIDES)
def test_spawn_command_process(request, stage, side):
    """What the command gets: arguments ("{ }" groups one), environment,
    working directory, ids, descriptors, session."""
    extra = ("dump unix - n n - 0 spawn -o { export_environment = TZ "
             "MAIL_CONFIG LANG FOO=bar PATH=/elsewhere } user=nobody "
             + command(stage, "--dump", "x", "{ a b }", "user=root") + "\n"
             "dumpg unix - n n - 0 spawn user=nobody:nogroup "
             + command(stage, "--dump"))
    with start(side, request, stage, extra) as srv:
        out, _ = talk(srv, "dump")
        info = json.loads(out)
        out, _ = talk(srv, "dumpg")
        info_group = json.loads(out)
        spool = str(srv.config_dir.parent / "spool")
        config_dir = str(srv.config_dir)
    nobody = pwd.getpwnam("nobody")
    assert info["argv"][1:] == ["--dump", "x", "a b", "user=root"]
    # Python adds LC_CTYPE; TZ comes from the environment of the test.
    environ = {k: v for k, v in info["environ"].items()
               if k not in ("LC_CTYPE", "TZ")}
    assert environ == {"FOO": "bar", "LANG": "C", "MAIL_CONFIG": config_dir,
                       "PATH": "/usr/bin:/bin"}
    assert info["cwd"] == spool
    assert (info["uid"], info["euid"]) == (nobody.pw_uid, nobody.pw_uid)
    assert (info["gid"], info["egid"]) == (nobody.pw_gid, nobody.pw_gid)
    assert info["groups"] == [nobody.pw_gid]
    assert info["fds"] == [0, 1, 2], info["fd_targets"]
    assert info["session_leader"] is True
    assert info["stdin_nonblocking"] is False
    nogroup = grp.getgrnam("nogroup").gr_gid
    assert (info_group["gid"], info_group["egid"]) == (nogroup, nogroup)


@pytest.mark.parametrize("side", SIDES)
def test_spawn_command_endings(request, stage, side):
    """Exit status, signal and time limit are logged as Postfix does; a
    normal exit is not logged."""
    extra = "\n".join([
        "ok unix - n n - 0 spawn user=nobody " + command(stage, "--exit 0"),
        "exit3 unix - n n - 0 spawn user=nobody " + command(stage, "--exit 3"),
        "killed unix - n n - 0 spawn user=nobody " + command(stage, "--signal"),
        "slow unix - n n - 0 spawn user=nobody " + command(stage, "--hang 6"),
    ])
    with start(side, request, stage, extra, slow_time_limit="2s") as srv:
        talk(srv, "ok", b"x\n")
        talk(srv, "exit3", b"x\n")
        srv.wait_for_log(f"warning: command {PYTHON} exit status 3")
        talk(srv, "killed", b"x\n")
        srv.wait_for_log(f"warning: command {PYTHON} killed by signal 15")
        _, seconds = talk(srv, "slow")
        srv.wait_for_log("command time limit exceeded")
        if side == "ours":
            # The process group is gone: the connection closes at the
            # limit, not when the grandchild's sleep ends.
            assert seconds < 5, seconds
        lines = spawn_lines(srv)
    assert lines == [
        f"warning: command {PYTHON} exit status 3",
        f"warning: command {PYTHON} killed by signal 15",
        f"warning: {PYTHON}: process id N: command time limit exceeded",
    ], lines


@pytest.mark.parametrize("side", SIDES)
def test_spawn_bad_attributes(request, stage, side):
    """Each bad service dies with Postfix's fatal error when it gets a
    connection, and master throttles it; spawn refuses to run as an
    unprivileged service."""
    extra = "\n".join(f"{name} unix - n n - 0 {args}"
                      for name, (args, _) in BAD_SERVICES.items())
    extra += "\nunpriv unix - y n - 0 spawn user=nobody argv=/bin/true"
    with start(side, request, stage, extra) as srv:
        for name, (_, fatal) in BAD_SERVICES.items():
            out, _ = talk(srv, name, b"x\n")
            assert out == b"", (name, out)
            srv.wait_for_log(fatal)
        # This one dies before it accepts: the connection just waits.
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(private(srv, "unpriv")))
            srv.wait_for_log("fatal: service unpriv requires privileged "
                             "operation")
        throttled = "spawn: bad command startup -- throttling"
        deadline = time.monotonic() + 10
        while (srv.log_text().count(throttled) < len(BAD_SERVICES) + 1
               and time.monotonic() < deadline):
            time.sleep(0.1)
        lines = spawn_lines(srv)
        text = srv.log_text()
    assert lines == [fatal for _, fatal in BAD_SERVICES.values()] + [
        "fatal: service unpriv requires privileged operation"], lines
    assert text.count(throttled) == len(BAD_SERVICES) + 1, text


@pytest.mark.parametrize("side", SIDES)
def test_spawn_exec_failure(request, stage, side):
    """A program that cannot be executed, and spawn goes on serving. The
    log lines differ on purpose (see the module comment)."""
    extra = ("noexec unix - n n - 0 spawn user=nobody "
             "argv=/nonexistent/program\n"
             "ok unix - n n - 1 spawn user=nobody " + command(stage, "--dump"))
    with start(side, request, stage, extra) as srv:
        talk(srv, "noexec", b"x\n")
        srv.wait_for_log("warning: command /nonexistent/program exit status")
        out, _ = talk(srv, "ok")
        info = json.loads(out)
        assert info["fds"] == [0, 1, 2], info["fd_targets"]
        lines = spawn_lines(srv)
    if side == "ours":
        assert lines == [
            "warning: spawn_command: execvp /nonexistent/program: "
            "No such file or directory",
            "warning: command /nonexistent/program exit status 127"], lines
    else:
        assert lines == [
            "fatal: spawn_comand: execvp /nonexistent/program: "
            "No such file or directory",
            "warning: command /nonexistent/program exit status 1"], lines
