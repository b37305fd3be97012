#!/usr/bin/python3
"""A spawn(8)-style SMTPD access policy server (SMTPD_POLICY_README): it
talks on standard input and output, and spawn(8) connects those to the
connection from smtpd(8). master.cf:

    policy  unix  -  n  n  -  0  spawn
      user=nobody argv=/usr/bin/python3 /path/policy_stdio.py --log FILE

Each request is a block of "name=value" lines ended by an empty line; the
reply is "action=..." and an empty line. The decision is made on the
recipient's local part: "reject..." gets "REJECT spawned policy says no",
"defer..." gets "DEFER_IF_PERMIT spawned policy says later", anything
else "DUNNO". With --log, every request is appended to FILE as one JSON
line, with the server's pid, uid and gid. The server serves requests
until end of input, so smtpd may reuse the connection.

Other modes, for the tests of spawn(8) itself:
    --dump        write one JSON line about the process (argv, environment,
                  working directory, ids, session, open descriptors, the
                  mode of standard input) and exit
    --exit N      read one line, then exit with status N
    --signal      read one line, then kill itself with SIGTERM
    --hang N      start a child that keeps the connection open for N
                  seconds, then wait N seconds too
"""
import argparse
import fcntl
import json
import os
import signal
import subprocess
import sys

LINE_LIMIT = 4096          # bytes per attribute line
ATTR_LIMIT = 100           # attributes per request


def decide(attrs):
    local = attrs.get("recipient", "").partition("@")[0].lower()
    if local.startswith("reject"):
        return "REJECT spawned policy says no"
    if local.startswith("defer"):
        return "DEFER_IF_PERMIT spawned policy says later"
    return "DUNNO"


def read_request(stream):
    """One request as a dict, or None at end of input."""
    attrs = {}
    while True:
        line = stream.readline(LINE_LIMIT)
        if not line:
            return None
        line = line.rstrip(b"\n").decode("utf-8", "replace")
        if not line:
            return attrs
        name, _, value = line.partition("=")
        if len(attrs) < ATTR_LIMIT:
            attrs[name] = value


def serve(log):
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        attrs = read_request(stdin)
        if attrs is None:
            return
        if log:
            with open(log, "a") as f:
                f.write(json.dumps({"pid": os.getpid(), "uid": os.getuid(),
                                    "gid": os.getgid(), **attrs}) + "\n")
        stdout.write(f"action={decide(attrs)}\n\n".encode())
        stdout.flush()


def dump():
    # Listing the directory opens descriptors of its own: keep only the
    # ones that are still open afterwards.
    targets = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            targets[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            pass
    fds = sorted(targets)
    info = {"argv": sys.argv, "environ": dict(os.environ),
            "cwd": os.getcwd(), "uid": os.getuid(), "euid": os.geteuid(),
            "gid": os.getgid(), "egid": os.getegid(),
            "groups": sorted(os.getgroups()),
            "session_leader": os.getsid(0) == os.getpid(), "fds": fds,
            "fd_targets": targets,
            "stdin_nonblocking":
                bool(fcntl.fcntl(0, fcntl.F_GETFL) & os.O_NONBLOCK)}
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--log")
    p.add_argument("--dump", action="store_true")
    p.add_argument("--exit", type=int)
    p.add_argument("--signal", action="store_true")
    p.add_argument("--hang", type=int)
    p.add_argument("rest", nargs="*")
    a = p.parse_args()
    if a.dump:
        dump()
    elif a.exit is not None:
        sys.stdin.buffer.readline(LINE_LIMIT)
        sys.exit(a.exit)
    elif a.signal:
        sys.stdin.buffer.readline(LINE_LIMIT)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
    elif a.hang is not None:
        subprocess.Popen(["sleep", str(a.hang)])
        subprocess.run(["sleep", str(a.hang)])
    else:
        serve(a.log)


if __name__ == "__main__":
    main()
