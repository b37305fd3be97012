"""VERP requests on the intake side, against Debian's Postfix 3.7.

smtpd(8): the MAIL FROM parameters XVERP and XVERP=xy from a client in
smtpd_authorized_verp_clients (127.0.0.2) and from one that is not
(127.0.0.1): the replies (good and bad delimiters, the null sender,
XVERP in EHLO) must be Postfix's. The messages are held (a client
access HOLD), and each side's own postcat must show the same
verp_delimiters line (and sender) for the same dialogue.

sendmail -XV/-V is compared in test_submit_diff.py, qmqpd's ezmlm
senders in test_qmqpd.py; the V record format in the unit tests
(test_queue_file_read, test_maildrop_check, test_qmqpd_verp).

Needs root, Debian's /usr/sbin/postfix and the postfix account (skips
otherwise).
"""

import re
import subprocess
import time

import pytest

from smtp_dialogue import both_smtpd, dialogue, our_instance

AUTHORIZED = "127.0.0.2"
STRANGER = "127.0.0.1"

SETTINGS = dict(smtpd_authorized_verp_clients=AUTHORIZED,
                smtpd_client_restrictions="check_client_access static:HOLD",
                smtpd_error_sleep_time="0s")

# Replies to compare, from both clients.
DIALOGUES = [
    ["EHLO x", "MAIL FROM:<a@b> XVERP", "RSET", "MAIL FROM:<a@b> XVERP=+=",
     "RSET", "MAIL FROM:<a@b> XVERP=+", "RSET", "MAIL FROM:<a@b> XVERP=+=+",
     "RSET", "MAIL FROM:<a@b> XVERP=ab", "RSET", "MAIL FROM:<a@b> XVERP=",
     "RSET", "MAIL FROM:<a@b> xverp=-=", "RSET",
     "MAIL FROM:<a@b> XVERP=+2B+3D", "RSET", "MAIL FROM:<a@b> XVERPX",
     "RSET", "MAIL FROM:<a@b> XVERP=-= XVERP=+-", "QUIT"],
    ["EHLO x", "MAIL FROM:<> XVERP", "RSET", "MAIL FROM:<> XVERP=-=",
     "RSET", "MAIL FROM:<> XVERP=ab", "RSET", "MAIL FROM:<> XVERP SIZE=abc",
     "RSET", "MAIL FROM:<a@b> XVERP=ab SIZE=abc", "RSET",
     "MAIL FROM:<a@b> SIZE=abc XVERP=ab", "QUIT"],
    ["HELO x", "MAIL FROM:<a@b> XVERP", "QUIT"],
]


@pytest.fixture
def servers(request, shared_tmp):
    with both_smtpd(our_instance(request), shared_tmp, **SETTINGS) as pair:
        yield pair


def test_replies(servers):
    """Every dialogue from both clients: the same replies."""
    ours, debian = servers
    problems = []
    for source in (AUTHORIZED, STRANGER):
        for lines in DIALOGUES:
            theirs = dialogue(debian.port, lines, source=source)
            mine = dialogue(ours.port, lines, source=source)
            if mine != theirs:
                problems.append(f"{source} {lines}:\n ours:   {mine}\n"
                                f" debian: {theirs}")
    assert not problems, "\n".join(problems)


def test_ehlo_names_xverp_only_to_authorized(servers):
    ours, debian = servers
    for source, shown in ((AUTHORIZED, True), (STRANGER, False)):
        theirs = dialogue(debian.port, ["EHLO x", "QUIT"], source=source)[1]
        mine = dialogue(ours.port, ["EHLO x", "QUIT"], source=source)[1]
        assert ("250-XVERP" in theirs) == shown
        assert mine == theirs


def postcat_envelope(server, queue_id):
    """sender and verp_delimiters lines of the side's own postcat."""
    postcat = ("/usr/sbin/postcat" if server.real
               else str(server.sbin / "postcat"))
    deadline = time.monotonic() + 10
    while True:
        r = subprocess.run([postcat, "-c", str(server.config_dir), "-e",
                            "-q", queue_id], capture_output=True, text=True,
                           timeout=30)
        if r.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert r.returncode == 0, r.stderr
    return [line for line in r.stdout.splitlines()
            if line.startswith(("sender:", "verp_delimiters:"))]


def queued(server, mail_from):
    """Send a held message with this MAIL FROM line; its queue ID."""
    replies = dialogue(server.port, [
        "EHLO x", mail_from, "RCPT TO:<root@test.example>", "DATA",
        "Subject: verp\r\n\r\nbody\r\n.", "QUIT"], source=AUTHORIZED)
    found = re.search(r"queued as (\w+)", replies[5])
    assert found, replies
    return found[1]


MAIL_FROMS = [
    "MAIL FROM:<list@example.org> XVERP",
    "MAIL FROM:<list@example.org> XVERP=-=",
    "MAIL FROM:<list@example.org> XVERP=-= XVERP=+-",
    "MAIL FROM:<list@example.org>",
]


def test_queue_file(servers):
    """The held message's sender and verp_delimiters, each side's
    postcat."""
    ours, debian = servers
    for mail_from in MAIL_FROMS:
        theirs = postcat_envelope(debian, queued(debian, mail_from))
        mine = postcat_envelope(ours, queued(ours, mail_from))
        assert mine == theirs, mail_from
        assert any(line.startswith("verp_delimiters:") for line in mine) \
            == ("XVERP" in mail_from), mail_from
