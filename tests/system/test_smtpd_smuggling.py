"""SMTP smuggling defences of smtpd(8): smtpd_forbid_bare_newline in each
of its settings (no, yes, normalize, reject), its exclusions list and
reject code, probed with the end-of-data variants that smuggling attacks
use (<LF>.<LF>, <CR>.<CR>, <LF>.<CR><LF>, <CR><LF>.<LF>, ...). Each probe
goes to ours and to Debian's Postfix 3.7.11 (which knows all four
settings) with the same main.cf; the replies, the message body that
ends up in the queue file, and the reject log lines must be the same.

Needs root, Debian's Postfix and the postfix account (skips otherwise),
except test_reject_mode_ours, which runs ours alone.
"""

import os
import re
import subprocess
import time

import pytest

from smtp_dialogue import both_smtpd, our_instance, ours_smtpd, Session

ENV = ["EHLO x", "MAIL FROM:<a@b>", "RCPT TO:<root@test.example>", "DATA"]
HEAD = b"Subject: hold\r\n\r\n"

# name -> content sent after DATA; the test then sends "\r\n.\r\n".
PROBES = {
    "lf-dot-lf": HEAD + b"A\n.\nMAIL FROM:<x@y>\r\n",
    "cr-dot-cr": HEAD + b"A\r.\rB\r\n",
    "lf-dot-crlf": HEAD + b"A\n.\r\nB\r\n",
    "crlf-dot-lf": HEAD + b"A\r\n.\nB\r\n",
    "crlf-dot-cr": HEAD + b"A\r\n.\rB\r\n",
    "bare-lf-line": HEAD + b"A\nB\r\n",
    "bare-cr-line": HEAD + b"A\rB\r\n",
    "cr-before-crlf": HEAD + b"A\r\r\n.\r\r\nB\r\n",
    "dot-stuffed-lf": HEAD + b"A\n..B\n",
}


@pytest.fixture
def inst(request):
    return our_instance(request)


def hold_checks(directory):
    path = os.path.join(str(directory), "smuggling_header_checks")
    with open(path, "w") as f:
        f.write("/^Subject: hold/ HOLD\n")
    os.chmod(path, 0o644)
    return f"regexp:{path}"


def bare_lf_settings(directory, mode):
    """smtpd_forbid_bare_newline = mode for every client; hold the mail."""
    return dict(smtpd_forbid_bare_newline=mode,
                smtpd_forbid_bare_newline_exclusions="",
                header_checks=hold_checks(directory))


def probe(server, payload):
    """Replies to the probe, and the body of the queued message (or
    None)."""
    with Session(server.port, timeout=10) as s:
        for line in ENV:
            s.command(line)
        s.send(payload)
        s.send(b"\r\n.\r\n")
        replies = [s.reply()]
        # The smuggled "MAIL FROM" (mode no) gets a reply of its own.
        if replies[0].startswith("250 2.0.0") and b"MAIL FROM:<x@y>" \
                in payload and not replies[0].endswith("<TIMEOUT>"):
            replies.append(s.reply())
        replies.append(s.command("QUIT"))
    body = None
    m = re.search(r"queued as (\w+)", replies[0])
    if m:
        postcat = "/usr/sbin/postcat" if server.real else \
            str(server.sbin / "postcat")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            out = subprocess.run([postcat, "-c", str(server.config_dir),
                                  "-b", "-q", m.group(1)],
                                 capture_output=True, timeout=30).stdout
            if out:
                body = out.split(b"\n")
                break
            time.sleep(0.1)
    return [re.sub(r"queued as \w+", "queued as ID", r) for r in replies], body


def reject_lines(server):
    return [re.sub(r"^smtpd: \w+: ", "smtpd: ID: ",
                   re.sub(r"(localhost|unknown)\[", "NAME[", line))
            for line in server.smtpd_log() if "bare <LF>" in line]


@pytest.mark.parametrize("mode", ["no", "yes", "normalize", "reject"])
def test_probes_as_debian(inst, shared_tmp, mode):
    settings = bare_lf_settings(shared_tmp, mode)
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for name, payload in PROBES.items():
            o = probe(ours, payload)
            d = probe(debian, payload)
            assert o == d, name
        time.sleep(1)
        assert reject_lines(ours) == reject_lines(debian)


def test_exclusions_and_reject_code_as_debian(inst, shared_tmp):
    """Clients in the exclusions ($mynetworks by default) are not held
    to the rule; a reject code of 521 disconnects."""
    for settings in (dict(smtpd_forbid_bare_newline="reject"),
                     dict(smtpd_forbid_bare_newline="reject",
                          smtpd_forbid_bare_newline_exclusions="",
                          smtpd_forbid_bare_newline_reject_code="521")):
        settings["header_checks"] = hold_checks(shared_tmp)
        with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
            for name in ("lf-dot-lf", "bare-lf-line"):
                assert probe(ours, PROBES[name]) == \
                    probe(debian, PROBES[name]), name


def test_reject_mode_ours(inst, shared_tmp):
    """Without Debian: reject mode refuses a bare <LF> with the reply and
    log line of Postfix 3.9, and keeps the session."""
    with ours_smtpd(inst, smtpd_forbid_bare_newline="reject",
                    smtpd_forbid_bare_newline_exclusions="") as srv:
        replies, body = probe(srv, PROBES["bare-lf-line"])
        assert replies == ["550 5.5.2 test.example Error: bare <LF> received",
                           "221 2.0.0 Bye"]
        assert body is None
        text = srv.wait_for_log("bare <LF> received;")
        assert re.search(r"\w+: reject: END-OF-MESSAGE from \S+\[127\.0\.0\.1\]:"
                         r" bare <LF> received; from=<a@b> "
                         r"to=<root@test\.example> proto=ESMTP helo=<x>",
                         text)


BDAT_PROBES = {
    "bdat-bare-lf": b"Subject: hold\r\n\r\nA\nB\r\n",
    "bdat-bare-cr": b"Subject: hold\r\n\r\nA\rB\r\n",
    "bdat-dot-lines": b"Subject: hold\r\n\r\n.\r\n..\r\n.\n",
}


def bdat_probe(server, payload):
    """BDAT: the same probe in one LAST chunk."""
    with Session(server.port, timeout=10) as s:
        for line in ENV[:-1]:
            s.command(line)
        s.send(b"BDAT %d LAST\r\n" % len(payload) + payload)
        replies = [s.reply(), s.command("QUIT")]
    return [re.sub(r"queued as \w+", "queued as ID", r) for r in replies]


@pytest.mark.parametrize("mode", ["normalize", "reject"])
def test_bdat_probes_as_debian(inst, shared_tmp, mode):
    settings = bare_lf_settings(shared_tmp, mode)
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for name, payload in BDAT_PROBES.items():
            assert bdat_probe(ours, payload) == bdat_probe(debian, payload), \
                name
