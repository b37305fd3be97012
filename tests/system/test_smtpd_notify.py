"""System tests for smtpd(8)'s notify_classes transcripts.

When a session has an error of a class in notify_classes (policy,
protocol, resource, software), smtpd mails a transcript of it to
error_notice_recipient through cleanup(8). In the differential tests
both sides (ours and Debian's Postfix 3.7 in a throwaway instance) run
qmgr with defer_transports for every transport, so that the notice ends
in deferred/; our own tests run without qmgr (the notice stays in
incoming/).
Each notice is read back with the side's own postcat and parsed with
Python's email package; the differential tests compare headers (dates,
queue IDs and Message-Id aside), the envelope and the body line by line.
"""

import email
import email.policy
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from smtp_dialogue import (both_smtpd, dialogue, our_instance, ours_smtpd)

WAIT = 30.0

SETTINGS = {
    "notify_classes": "policy, protocol",
    "error_notice_recipient": "errnot@test.example",
    "bounce_notice_recipient": "bnot@test.example",
    "smtpd_recipient_restrictions": "reject_unauth_destination",
    "defer_transports": "local, smtp, relay, error, virtual",
}


def queue_dir(side):
    """The queue directory of a side."""
    if side.real:
        return side.config_dir.parent / "spool"
    return Path(side.postconf("-h", "queue_directory").stdout.strip())


def queue_files(side):
    """The message files of a side (incoming, active, deferred)."""
    spool = queue_dir(side)
    found = []
    for name in ("incoming", "active", "deferred"):
        found += [p for p in (spool / name).rglob("*") if p.is_file()]
    return found


def postcat(side, path, *flags):
    """The side's postcat output for one queue file."""
    result = subprocess.run([str(side.sbin / "postcat"), "-c",
                             str(side.config_dir), *flags, str(path)],
                            capture_output=True, text=True,
                            errors="replace", timeout=60)
    return result.stdout


def notices(side, count, timeout=WAIT):
    """Wait for count complete notices; return them as (envelope,
    message) pairs: envelope the postcat -e lines, message an
    email.message object."""
    deadline = time.monotonic() + timeout
    while True:
        # Keyed by queue ID: qmgr may move a file while we look.
        seen = {}
        for path in queue_files(side):
            text = postcat(side, path, "-bh")
            envelope = postcat(side, path, "-e").splitlines()
            if ("Transcript of session follows." in text
                    and "For other details" in text
                    and any(x.startswith("recipient:") for x in envelope)):
                seen[path.name] = (envelope, text)
        found = list(seen.values())
        if len(found) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(found) == count, (side.real, found, side.log_text()[-3000:])
    out = []
    for envelope, text in found:
        assert text.startswith("Received:"), (side.real, text)
        msg = email.message_from_string(text, policy=email.policy.default)
        out.append((envelope, msg))
    return out


def envelope_fields(lines):
    """sender / original_recipient / recipient lines of postcat -e."""
    keep = ("sender:", "original_recipient:", "recipient:")
    return [line for line in lines if line.startswith(keep)]


def body_lines(msg):
    """The body lines, with the queue IDs of "queued as" replies
    normalised."""
    text = re.sub(r"queued as \w+", "queued as QUEUEID", msg.get_content())
    return text.splitlines()


def header_fields(msg):
    return {name: str(msg[name]) for name in ("From", "To", "Subject")}


def check_received(msg):
    """Received: by test.example (Postfix) id X; date - and Message-Id."""
    received = re.sub(r"\s+", " ", str(msg["Received"]))
    assert received.startswith("by test.example (Postfix) id "), received
    assert msg["Date"] and msg["Message-Id"]


@pytest.fixture
def inst(request):
    return our_instance(request)


def run_both(inst, shared_tmp, sessions, count, **extra):
    """Run the sessions against both sides; return (ours, debian) notices
    as lists sorted by body text."""
    settings = dict(SETTINGS, **extra)
    result = {}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for side in (ours, debian):
            for lines in sessions:
                if callable(lines):
                    lines(side.port)
                else:
                    dialogue(side.port, lines)
            side.wait_disconnects(len(sessions), timeout=WAIT)
            got = notices(side, count)
            result[side.real] = sorted(got, key=lambda n: body_lines(n[1]))
    return result[False], result[True]


def compare(ours, debian):
    assert len(ours) == len(debian)
    for (o_env, o_msg), (d_env, d_msg) in zip(ours, debian):
        check_received(o_msg)
        check_received(d_msg)
        assert header_fields(o_msg) == header_fields(d_msg)
        assert body_lines(o_msg) == body_lines(d_msg)
        assert envelope_fields(o_env) == envelope_fields(d_env)


def test_policy_and_protocol_transcript_like_debian(inst, shared_tmp):
    sessions = [["HELO client.example", "MAIL FROM:<a@b.example>",
                 "RCPT TO:<x@elsewhere.example>", "FOO bar", "QUIT"]]
    ours, debian = run_both(inst, shared_tmp, sessions, 1)
    compare(ours, debian)
    envelope, msg = ours[0]
    assert str(msg["To"]) == "Postmaster <errnot@test.example>"
    assert str(msg["Subject"]) == \
        "Postfix SMTP server: errors from localhost[127.0.0.1]"
    body = body_lines(msg)
    assert body[:3] == ["Transcript of session follows.", "",
                        " Out: 220 test.example ESMTP Postfix"]
    assert " In:  RCPT TO:<x@elsewhere.example>" in body
    assert (" Out: 554 5.7.1 <x@elsewhere.example>: Relay access denied"
            in body)
    assert body[-3:] == ["", "", "For other details, see the local mail "
                         "logfile"]
    assert "sender: double-bounce@test.example" in envelope


def lost_connection(port):
    """A session that ends without QUIT after an error."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.recv(1000)
        for line in (b"HELO c\r\n", b"FOO 1\r\n"):
            s.sendall(line)
            data = b""
            while not data.endswith(b"\r\n"):
                chunk = s.recv(1000)
                if not chunk:
                    break
                data += chunk


def test_aborted_sessions_like_debian(inst, shared_tmp):
    sessions = [lost_connection, ["HELO d", "FOO 2", "BAR 3", "BAZ 4"]]
    ours, debian = run_both(inst, shared_tmp, sessions, 2,
                            smtpd_hard_error_limit="2")
    compare(ours, debian)
    reasons = sorted(line for _, msg in ours for line in body_lines(msg)
                     if line.startswith("Session aborted"))
    assert reasons == ["Session aborted, reason: lost connection",
                       "Session aborted, reason: too many errors"]


def test_no_notice_after_queued_message_or_other_class(inst, shared_tmp):
    # Errors followed by a queued message are not reported; the second
    # session's later error is, with the whole transcript.
    sessions = [["HELO a", "FOO 1", "MAIL FROM:<a@b.example>",
                 "RCPT TO:<u@test.example>", "DATA", "x\r\n.", "QUIT"],
                ["HELO b", "MAIL FROM:<a@b.example>",
                 "RCPT TO:<u@test.example>", "DATA", "y\r\n.", "FOO 2",
                 "QUIT"]]
    ours, debian = run_both(inst, shared_tmp, sessions, 1)
    compare(ours, debian)
    body = body_lines(ours[0][1])
    assert " In:  FOO 2" in body and " In:  FOO 1" not in body
    assert " In:  MAIL FROM:<a@b.example>" in body


def test_long_sessions_trimmed_and_wrapped_like_debian(inst, shared_tmp):
    words = " ".join("w%02d" % i for i in range(40))
    sessions = [["HELO c"] * 55 + ["FOO " + words + " " + "z" * 90 + " end",
                                   "QUIT"],
                ["HELO d"] + ["MAIL FROM:<a@b.example>", "RSET"] * 30
                + ["RCPT TO:<" + "a" * 70 + "@test.example> \t tab",
                   "FOO " + "a" * 67 + " b", "FOO " + "a" * 68 + " b",
                   "QUIT"]]
    ours, debian = run_both(inst, shared_tmp, sessions, 2,
                            smtpd_junk_command_limit="1000")
    compare(ours, debian)


def test_nothing_sent_for_classes_that_smtpd_does_not_report(inst):
    settings = dict(SETTINGS, notify_classes="bounce, 2bounce, delay")
    with ours_smtpd(inst, without=("qmgr",), **settings) as ours:
        dialogue(ours.port, ["HELO a", "MAIL FROM:<a@b.example>",
                             "RCPT TO:<x@elsewhere.example>", "FOO", "QUIT"])
        ours.wait_disconnects(1, timeout=WAIT)
        time.sleep(2)
        assert queue_files(ours) == []


def flood(port, lines):
    """Send all lines at once; read until the 221 reply or EOF."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as s:
        s.sendall(b"".join((line + "\r\n").encode() for line in lines))
        data = b""
        deadline = time.monotonic() + WAIT
        while b"\r\n221 " not in data and time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def test_transcript_bounded_in_noop_flood(inst):
    settings = dict(SETTINGS, smtpd_junk_command_limit="100000",
                    smtpd_forbid_unauth_pipelining="no")
    with ours_smtpd(inst, without=("qmgr",), **settings) as ours:
        flood(ours.port, ["HELO a"] + ["NOOP"] * 2500 + ["FOO", "QUIT"])
        ours.wait_disconnects(1, timeout=WAIT)
        ((_, msg),) = notices(ours, 1)
        transcript = [line for line in body_lines(msg)
                      if line.startswith((" In:", " Out:"))]
        assert 1000 <= len(transcript) <= 2000
        assert transcript[-4:] == [
            " In:  FOO", " Out: 500 5.5.2 Error: command not recognized",
            " In:  QUIT", " Out: 221 2.0.0 Bye"]


def test_classes_select_sessions_like_debian(inst, shared_tmp):
    # notify_classes = software: the protocol error of the first session
    # is not reported, the configuration error of the second one is.
    sessions = [["HELO a", "FOO", "QUIT"],
                ["HELO b", "MAIL FROM:<a@b.example>",
                 "RCPT TO:<u@test.example>", "QUIT"]]
    ours, debian = run_both(inst, shared_tmp, sessions, 1,
                            notify_classes="software",
                            smtpd_recipient_restrictions="bogus_restriction")
    compare(ours, debian)
    assert " Out: 451 4.3.5 Server configuration error" in \
        body_lines(ours[0][1])


def test_unavailable_table_is_not_reported_like_debian(inst, shared_tmp):
    # A table that cannot be opened answers 451 4.3.5, and Postfix 3.7
    # mails no transcript for it (not as software, not as data); the
    # second session's protocol error is the marker.
    sessions = [["HELO a", "MAIL FROM:<a@b.example>",
                 "RCPT TO:<u@test.example>", "QUIT"],
                ["HELO b", "FOO", "QUIT"]]
    ours, debian = run_both(
        inst, shared_tmp, sessions, 1,
        notify_classes="data, software, protocol",
        smtpd_recipient_restrictions="check_recipient_access "
        "hash:/nonexistent/table")
    compare(ours, debian)
    assert " In:  FOO" in body_lines(ours[0][1])


def test_command_filter_table_is_data_class_like_debian(inst, shared_tmp):
    # smtpd's own table (smtpd_command_filter) unavailable: "421 4.3.0
    # ... Server local data error", reported under "data".
    ours, debian = run_both(inst, shared_tmp, [["HELO a", "QUIT"]], 1,
                            notify_classes="data",
                            smtpd_command_filter="hash:/nonexistent/filter")
    compare(ours, debian)
    assert body_lines(ours[0][1])[2:5] == [
        " Out: 220 test.example ESMTP Postfix", " In:  HELO a",
        " Out: 421 4.3.0 test.example Server local data error"]


@pytest.mark.parametrize("utf8", ["yes", "no"])
def test_control_and_8bit_characters_like_debian(inst, shared_tmp, utf8):
    sessions = [["HELO a", b"FOO \x01x\x7fy\r\n",
                 "FOO caf\u00e9", b"FOO \xff\xfe\r\n", "QUIT"]]
    ours, debian = run_both(inst, shared_tmp, sessions, 1,
                            smtputf8_enable=utf8)
    compare(ours, debian)


@pytest.mark.parametrize("classes", ["policy", "protocol, resource, software"])
def test_content_reject_like_debian(inst, shared_tmp, classes):
    # cleanup(8) rejects the content at the end of DATA: a policy error
    # (the second session's errors are of every class asked for).
    sessions = [["HELO a", "MAIL FROM:<a@b.example>",
                 "RCPT TO:<u@test.example>", "DATA",
                 "Subject: bad\r\n\r\nx\r\n.", "QUIT"],
                ["HELO b", "MAIL FROM:<a@b.example>",
                 "RCPT TO:<x@elsewhere.example>", "FOO", "QUIT"]]
    ours, debian = run_both(
        inst, shared_tmp, sessions, 1 if classes != "policy" else 2,
        notify_classes=classes,
        header_checks="regexp:{{/^Subject: bad/ REJECT no thanks}}")
    compare(ours, debian)


# Sessions with one error each of smtpd's own replies; Debian's Postfix
# 3.7 mails VRFY disabled and SIZE over the limit under "policy", the
# others under "protocol".
OWN_ERRORS = [
    ["HELO c1", "MAIL FROM:<a b c>", "QUIT"],
    ["HELO c2", "RCPT TO:<u@test.example>", "QUIT"],
    ["HELO c3", "MAIL FROM:<a@b.example> SIZE=999999999999", "QUIT"],
    ["HELO", "QUIT"],
    ["HELO c5", "VRFY u", "QUIT"],
    ["HELO c6", "MAIL FROM:<a@b.example> FOO=bar", "QUIT"],
    ["HELO c7", "ETRN", "QUIT"],
    ["HELO c8", "MAIL FROM:<a@b.example>", "MAIL FROM:<a@b.example>",
     "QUIT"],
]


@pytest.mark.parametrize("classes, count", [("policy", 2), ("protocol", 6)])
def test_classes_of_own_replies_like_debian(inst, shared_tmp, classes, count):
    ours, debian = run_both(inst, shared_tmp, OWN_ERRORS, count,
                            notify_classes=classes,
                            disable_vrfy_command="yes")
    compare(ours, debian)


def test_insufficient_storage_is_resource_like_debian(inst, shared_tmp):
    ours, debian = run_both(inst, shared_tmp,
                            [["HELO r1", "MAIL FROM:<a@b.example>", "QUIT"]],
                            1, notify_classes="resource",
                            queue_minfree="999999999999999",
                            message_size_limit="1000")
    compare(ours, debian)
    assert " Out: 452 4.3.1 Insufficient system storage" in \
        body_lines(ours[0][1])
