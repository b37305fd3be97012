"""The LMTP client, lmtp(8): delivery into a real Dovecot LMTP server
(dovecot_lmtp.py: Debian's dovecot-lmtpd in a throwaway instance) over a
UNIX-domain socket and over TCP, through Debian's Postfix 3.7 and through
ours, comparing the log fields (relay=, dsn=, status= and the text) and
what lands in the Maildir; and LMTP to the scripted server
(smtp_script.py in LMTP mode) with one reply per recipient after the
end of the data (250, 452 and 550), compared between Debian and ours:
the command stream (LHLO, PIPELINING groups) and each recipient's
status; and more LMTP scripts: a drop after the first per-recipient
reply, 5xx to LHLO, 4xx to DATA, 5xx to one RCPT, 452 for everyone
after the dot.

Both mail systems stay up across the cases of the module (the mta_sides
fixture, mta_pair.SharedSides). Mail for lmtp.example goes to the lmtp
transport by transport_maps (mta_pair's table): "lmtp:unix:<path>" or
"lmtp:inet:127.0.0.1:<port>".
The tests need root (Dovecot and Debian's Postfix; they skip
otherwise); POSTEL_DIFF_DEBIAN_ONLY=1 runs only Debian's side, as in
test_smtp_diff.py.
"""

import os
import re
import smtplib

import pytest

from dovecot_lmtp import dovecot_lmtp
from mta_pair import Submission, normalize_content
from smtp_dialogue import _debian_usable
from smtp_script import DROP

DEBIAN_ONLY = os.environ.get("POSTEL_DIFF_DEBIAN_ONLY") == "1"
SENDER = "sender@origin.example"
ALICE, BOB, CAROL = ("alice@lmtp.example", "bob@lmtp.example",
                     "carol@lmtp.example")
CONTENT = (b"From: sender@origin.example\n"
           b"To: alice@lmtp.example\n"
           b"Subject: lmtp test\n"
           b"Date: Sat, 05 Dec 2026 12:00:00 +0000\n"
           b"Message-ID: <lmtp-test@origin.example>\n"
           b"\n"
           b"body line\n"
           b".dotted line\n")

needs_debian = pytest.mark.skipif(
    not _debian_usable(),
    reason="needs root, Debian's Postfix and the postfix account")


def test_dovecot_fixture_speaks_lmtp(shared_tmp):
    """The fixture itself: both listeners, a known and an unknown user."""
    with dovecot_lmtp(shared_tmp, users=("alice",)) as dc:
        with smtplib.LMTP(dc.unix_path) as c:
            refused = c.sendmail(SENDER, [ALICE, BOB],
                                 b"Subject: one\r\n\r\nx\r\n")
        assert refused[BOB][0] == 550
        with smtplib.LMTP("127.0.0.1", dc.port, timeout=30) as c:
            c.sendmail(SENDER, [ALICE], b"Subject: two\r\n\r\ny\r\n")
        found = dc.wait_messages("alice", 2)
    assert [m.split(b"Subject: ")[1][:3] for m in found] == [b"one", b"two"]


def saved(text):
    """Dovecot's "250 2.0.0 <addr> <session id> Saved" without the id."""
    return re.sub(r"^(250 2\.0\.0 <[^>]*>) \S+ (Saved)$", r"\1 ID \2", text)


def maildir_content(data):
    """A Maildir file as CRLF content with Received: headers normalized."""
    return normalize_content(data.replace(b"\n", b"\r\n"))


def deliver(side, request, base, transport):
    """Deliver CONTENT to alice@lmtp.example through one side."""
    sub = Submission(SENDER, [ALICE], CONTENT)
    sides = request.getfixturevalue("mta_sides")
    if side == "debian":
        return sides.run_debian(None, sub, transport=[transport])
    return sides.run_ours(None, sub, transport=[transport])


@needs_debian
@pytest.mark.parametrize("listener", ["unix", "inet"])
def test_delivery_into_dovecot(request, shared_tmp, listener):
    with dovecot_lmtp(shared_tmp, users=("alice",)) as dc:
        if listener == "unix":
            nexthop = f"unix:{dc.unix_path}"
            # The host of a UNIX-domain socket is myhostname.
            relay = f"test.example[{dc.unix_path}]"
        else:
            nexthop = f"inet:127.0.0.1:{dc.port}"
            relay = f"127.0.0.1[127.0.0.1]:{dc.port}"
        transport = f"lmtp.example lmtp:{nexthop}"
        debian = deliver("debian", request, shared_tmp, transport)
        entry = debian.status[ALICE]
        assert (entry["relay"], entry["dsn"], entry["status"],
                saved(entry["text"])) == (
            relay, "2.0.0", "sent", f"250 2.0.0 <{ALICE}> ID Saved")
        first = dc.wait_messages("alice", 1)
        if DEBIAN_ONLY:
            pytest.skip("POSTEL_DIFF_DEBIAN_ONLY: Debian's side checked")
        ours = deliver("ours", request, shared_tmp, transport)
        both = dc.wait_messages("alice", 2)
    mine = ours.status[ALICE]
    assert (mine["relay"], mine["dsn"], mine["status"],
            saved(mine["text"])) == (entry["relay"], entry["dsn"],
                                     entry["status"], saved(entry["text"]))
    assert maildir_content(both[1]) == maildir_content(first[0])


LMTP_SCRIPT = {
    "lmtp": True,
    "keywords": ["PIPELINING", "SIZE 10240000", "8BITMIME",
                 "ENHANCEDSTATUSCODES", "DSN"],
    "lmtp_replies": {BOB: "452 4.2.2 <bob@lmtp.example> mailbox full",
                     CAROL: "550 5.1.1 <carol@lmtp.example> no such user"},
}


@needs_debian
@pytest.mark.parametrize("listener", ["unix", "inet"])
def test_per_recipient_replies_after_dot(request, shared_tmp, listener):
    script = dict(LMTP_SCRIPT)
    if listener == "unix":
        script["unix_path"] = str(shared_tmp / "script-lmtp.sock")
        transport = f"lmtp.example lmtp:unix:{script['unix_path']}"
        relay = f"test.example[{script['unix_path']}]"
    else:
        transport = "lmtp.example lmtp:inet:127.0.0.1:{port}"
        relay = "127.0.0.1[127.0.0.1]:PORT"
    sub = Submission(SENDER, [ALICE, BOB, CAROL], CONTENT)
    sides = request.getfixturevalue("mta_sides")
    debian = sides.run_debian(script, sub, transport=[transport], notices=1)
    lhlo = "LHLO test.example"
    rcpts = [f"RCPT TO:<{r}> ORCPT=rfc822;{r}" for r in (ALICE, BOB, CAROL)]
    mail = f"MAIL FROM:<{SENDER}> SIZE=N"
    assert debian.commands == [[lhlo, mail, *rcpts, "DATA", ".", "QUIT"]]
    assert debian.groups == [[[lhlo], [mail, *rcpts, "DATA"], [".", "QUIT"]]]

    def fields(outcome):
        return {to: (e["relay"], e["dsn"], e["status"], e["text"])
                for to, e in outcome.status.items()
                if to in (ALICE, BOB, CAROL)}
    host = relay.split("]")[0] + "]"
    assert fields(debian) == {
        ALICE: (relay, "2.1.5", "sent", f"250 2.1.5 <{ALICE}> Ok"),
        BOB: (relay, "4.2.2", "deferred",
              f"host {host} said: 452 4.2.2 <{BOB}> mailbox full "
              "(in reply to end of DATA command)"),
        CAROL: (relay, "5.1.1", "bounced",
                f"host {host} said: 550 5.1.1 <{CAROL}> no such user "
                "(in reply to end of DATA command)"),
    }
    if DEBIAN_ONLY:
        pytest.skip("POSTEL_DIFF_DEBIAN_ONLY: Debian's side checked")
    ours = sides.run_ours(script, sub, transport=[transport], notices=1)
    assert ours.commands == debian.commands
    assert ours.groups == debian.groups
    assert ours.contents == debian.contents
    assert fields(ours) == fields(debian)


HOST = "127.0.0.1[127.0.0.1]"
RCPTS = (ALICE, BOB, CAROL)


def lmtp_session(tail=(".", "QUIT")):
    return ["LHLO test.example", f"MAIL FROM:<{SENDER}> SIZE=N",
            *[f"RCPT TO:<{r}> ORCPT=rfc822;{r}" for r in RCPTS], "DATA",
            *tail]


def ok(*rcpts):
    return {r: ("2.1.5", "sent", f"250 2.1.5 <{r}> Ok") for r in rcpts}


def each(dsn, state, text, *rcpts):
    return {r: (dsn, state, text) for r in rcpts}


# More LMTP scripts over TCP: (script additions, Debian's commands,
# {recipient: (dsn, status, text)}).
LMTP_CASES = {
    "drop-after-first-reply": (
        {"lmtp_replies": {BOB: DROP}}, lmtp_session(),
        {**ok(ALICE), **each("4.4.2", "deferred", f"lost connection with "
                             f"{HOST} while sending end of data -- message "
                             "may be sent more than once", BOB, CAROL)}),
    "lhlo-5xx": (
        {"replies": {"lhlo": "550 5.5.1 go away"}},
        ["LHLO test.example", "QUIT"],
        each("5.5.1", "bounced", f"host {HOST} refused to talk to me: "
             "550 5.5.1 go away", *RCPTS)),
    "data-4xx": (
        {"replies": {"data": "451 4.3.0 later"}},
        lmtp_session(("RSET", "QUIT")),
        each("4.3.0", "deferred", f"host {HOST} said: 451 4.3.0 later (in "
             "reply to DATA command)", *RCPTS)),
    "rcpt-5xx": (
        {"rcpt_replies": {BOB: "550 5.1.1 unknown"}}, lmtp_session(),
        {**ok(ALICE, CAROL), BOB: ("5.1.1", "bounced", f"host {HOST} said: "
                                   "550 5.1.1 unknown (in reply to RCPT TO "
                                   "command)")}),
    "all-452-after-dot": (
        {"lmtp_replies": {r: "452 4.2.2 full" for r in RCPTS}},
        lmtp_session(),
        each("4.2.2", "deferred", f"host {HOST} said: 452 4.2.2 full (in "
             "reply to end of DATA command)", *RCPTS)),
}


@needs_debian
@pytest.mark.parametrize("case", list(LMTP_CASES))
def test_lmtp_scripted_cases(request, shared_tmp, case):
    extra, commands, expect = LMTP_CASES[case]
    script = {"lmtp": True, "keywords": LMTP_SCRIPT["keywords"], **extra}
    sub = Submission(SENDER, list(RCPTS), CONTENT)
    transport = ["lmtp.example lmtp:inet:127.0.0.1:{port}"]
    bounced = any(v[1] == "bounced" for v in expect.values())
    notices = 1 if bounced else 0

    def fields(outcome):
        return {to: (e["dsn"], e["status"], e["text"])
                for to, e in outcome.status.items() if to in RCPTS}
    sides = request.getfixturevalue("mta_sides")
    debian = sides.run_debian(script, sub, transport=transport,
                              notices=notices)
    assert debian.commands == [commands]
    assert fields(debian) == expect
    if DEBIAN_ONLY:
        pytest.skip("POSTEL_DIFF_DEBIAN_ONLY: Debian's side checked")
    ours = sides.run_ours(script, sub, transport=transport, notices=notices)
    assert ours.commands == debian.commands
    assert ours.groups == debian.groups
    assert ours.contents == debian.contents
    assert fields(ours) == fields(debian)
