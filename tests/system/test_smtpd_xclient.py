"""System tests of XCLIENT and XFORWARD in smtpd(8): the replies of every
error path compared with Debian's Postfix 3.7 (the same dialogues to
both), relay control for a client outside $mynetworks (XCLIENT gives a
foreign address), the anvil(8) limits applied to the new address, and
the XFORWARD log line ("client=..., orig_queue_id=..., orig_client=...").

Only 127.0.0.1 is authorized (smtpd_authorized_xclient_hosts,
smtpd_authorized_xforward_hosts); 127.0.0.2 is not. Every wait is
bounded; the servers are stopped after each test.
"""

import re

import pytest

from smtp_dialogue import (Session, both_smtpd, dialogue, our_instance,
                           ours_smtpd)

AUTH = dict(smtpd_authorized_xclient_hosts="127.0.0.1",
            smtpd_authorized_xforward_hosts="127.0.0.1")


@pytest.fixture
def inst(request):
    return our_instance(request)


# Dialogues whose replies must be the same on both sides (observed on
# Debian's Postfix 3.7.11; the comments give its replies).
XCLIENT_ERRORS = [
    "XCLIENT",                       # 501 5.5.4 Syntax: XCLIENT attribute=value...
    "XCLIENT NAME",                  # 501 5.5.4 Error: attribute=value expected
    "XCLIENT FOO=bar",               # 501 5.5.4 Bad XCLIENT attribute name: FOO
    "XCLIENT NAME=",                 # 501 5.5.4 Error: attribute=value expected
    "XCLIENT ADDR=300.1.1.1",        # 501 5.5.4 Bad ADDR syntax: 300.1.1.1
    "XCLIENT ADDR=foo",
    "XCLIENT ADDR=[1.2.3.4]",
    "XCLIENT ADDR=IPV6:2001:db8::1",  # inet_protocols = ipv4: bad
    "XCLIENT PORT=abc",
    "XCLIENT PORT=-1",
    "XCLIENT PORT=100000",
    "XCLIENT PORT=012345",
    "XCLIENT PROTO=FOO",
    "XCLIENT NAME=bad..name",
    "XCLIENT NAME=a=b",
    "XCLIENT DESTPORT=x",
    "XCLIENT NAME=ok.example ADDR=bad",
    "XCLIENT HELO=" + "h" * 300,     # 501 5.5.4 Error: attribute value too long
    "XCLIENT PORT=99999",            # 220 (five digits are accepted)
    "XCLIENT PORT=01234",
    "XCLIENT HELO=a+20b",            # xtext
    "XCLIENT HELO=a+2",              # not xtext: taken as it is
    "XCLIENT NAME=a_b.example",
    "XCLIENT PORT=[unavailable]",
    "XCLIENT REVERSE_NAME=r.example NAME=n.example",
    "XCLIENT NAME=[TEMPUNAVAIL]",
    "XCLIENT ADDR=10.0.0.2",         # 220, and no longer authorized:
    "XCLIENT NAME=again",            # 550 5.7.0 Error: insufficient authorization
]

XFORWARD_ERRORS = [
    "XFORWARD",
    "XFORWARD NAME",
    "XFORWARD FOO=x",
    "XFORWARD NAME=",
    "XFORWARD NAME=bad..name",
    "XFORWARD ADDR=foo",
    "XFORWARD ADDR=300.1.1.1",
    "XFORWARD PORT=abc",
    "XFORWARD PROTO=a+20b",
    "XFORWARD PROTO=" + "x" * 65,
    "XFORWARD HELO=bad..helo",
    "XFORWARD IDENT=a+20b",
    "XFORWARD SOURCE=FOO",
    "XFORWARD SOURCE=local",
    "XFORWARD NAME=[unavailable]",
    "HELO x",
    "MAIL FROM:<a@example.org>",
    "XFORWARD NAME=x",               # 503 5.5.1 Error: MAIL transaction in progress
    "XCLIENT NAME=x",                # 503 too
    "RSET",
    "XCLIENT NAME=x ADDR=10.0.0.9",
    "XFORWARD NAME=y",               # still allowed: decided on the connection
    "QUIT",
]


def test_xclient_replies_differential(inst, shared_tmp):
    with both_smtpd(inst, shared_tmp, **AUTH) as (ours, debian):
        for lines in (XCLIENT_ERRORS, XFORWARD_ERRORS):
            mine = dialogue(ours.port, lines)
            theirs = dialogue(debian.port, lines)
            assert mine == theirs
        lines = ["XCLIENT NAME=foo.example", "XFORWARD NAME=foo.example",
                 "XCLIENT", "QUIT"]
        assert dialogue(ours.port, lines, source="127.0.0.2") == \
            dialogue(debian.port, lines, source="127.0.0.2")


def test_relay_control_from_outside(inst):
    """XCLIENT makes the client a stranger: no relaying for it; an
    address inside $mynetworks may relay."""
    with ours_smtpd(inst, smtpd_relay_restrictions="permit_mynetworks, "
                    "reject_unauth_destination", **AUTH) as srv:
        replies = dialogue(srv.port, [
            "XCLIENT NAME=[UNAVAILABLE] ADDR=192.0.2.1",
            "HELO outside.example", "MAIL FROM:<a@example.org>",
            "RCPT TO:<x@elsewhere.example>", "RCPT TO:<x@test.example>",
            "QUIT"])
        assert replies[1] == "220 test.example ESMTP Postfix" or \
            replies[1].startswith("220 ")
        assert replies[4] == ("554 5.7.1 <x@elsewhere.example>: Relay access "
                              "denied")
        assert replies[5].startswith("250 ")
        text = srv.wait_for_log("NOQUEUE: reject: RCPT from unknown[192.0.2.1]")
        assert ("NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 554 5.7.1 "
                "<x@elsewhere.example>: Relay access denied; "
                "from=<a@example.org> to=<x@elsewhere.example> proto=SMTP "
                "helo=<outside.example>") in text
        replies = dialogue(srv.port, [
            "XCLIENT ADDR=127.0.0.9 NAME=inside.example",
            "HELO inside.example", "MAIL FROM:<a@example.org>",
            "RCPT TO:<x@elsewhere.example>", "QUIT"])
        assert replies[4].startswith("250 ")
        srv.wait_for_log("disconnect from inside.example[127.0.0.9]")


def test_limits_follow_the_new_address(inst):
    with ours_smtpd(inst, smtpd_client_message_rate_limit="1",
                    smtpd_client_connection_count_limit="1",
                    smtpd_client_event_limit_exceptions="", **AUTH) as srv:
        replies = dialogue(srv.port, [
            "XCLIENT ADDR=10.0.0.7", "HELO x", "MAIL FROM:<a@example.org>",
            "RSET", "MAIL FROM:<a@example.org>", "QUIT"])
        assert replies[5] == "450 4.7.1 Error: too much mail from 10.0.0.7"
        text = srv.wait_for_log("warning: Message delivery request rate "
                                "limit exceeded: 2 from ")
        assert re.search(r"exceeded: 2 from \S+\[10\.0\.0\.7\] for service "
                         r"127\.0\.0\.1:%d" % srv.port, text)
        # Two sessions that become the same client: the second XCLIENT
        # is answered as a connection over the limit.
        with Session(srv.port) as first:
            assert first.command("XCLIENT ADDR=10.0.0.20").startswith("220 ")
            with Session(srv.port) as second:
                assert second.command("XCLIENT ADDR=10.0.0.20") == (
                    "421 4.7.0 test.example Error: too many connections "
                    "from 10.0.0.20")
                assert second.reply() == "<EOF>"


def test_xforward_log_line(inst):
    with ours_smtpd(inst, **AUTH) as srv:
        replies = dialogue(srv.port, [
            "EHLO me",
            "XFORWARD name=up.example ADDR=192.0.2.1 PORT=4321 PROTO=ESMTP "
            "HELO=uphelo.example IDENT=ABC123 SOURCE=REMOTE",
            "MAIL FROM:<a@example.org>", "RCPT TO:<x@test.example>", "DATA",
            "Subject: t\r\n\r\nhi\r\n.",
            "XFORWARD NAME=only.example", "MAIL FROM:<c@example.org>",
            "RCPT TO:<y@test.example>", "DATA", "Subject: t2\r\n\r\nhi\r\n.",
            "MAIL FROM:<e@example.org>", "RCPT TO:<z@test.example>", "DATA",
            "Subject: t3\r\n\r\nhi\r\n.", "QUIT"])
        assert replies[2] == "250 2.0.0 Ok"
        assert replies[6].startswith("250 2.0.0 Ok: queued as ")
        srv.wait_for_log("disconnect from")
        lines = [re.sub(r"client=\S+\[127\.0\.0\.1\]", "client=PEER", l)
                 for l in srv.smtpd_log() if "client=" in l]
        assert lines[-3:] == [
            "smtpd: QUEUEID: client=PEER, "
            "orig_queue_id=ABC123, orig_client=up.example[192.0.2.1]",
            "smtpd: QUEUEID: client=PEER, orig_client=only.example",
            "smtpd: QUEUEID: client=PEER"]


def test_ehlo_keywords(inst):
    with ours_smtpd(inst, **AUTH) as srv:
        ehlo = dialogue(srv.port, ["EHLO x"])[1].split("\n")
        assert ("250-XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN "
                "DESTADDR DESTPORT") in ehlo
        assert "250-XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT" in ehlo
        ehlo = dialogue(srv.port, ["EHLO x"], source="127.0.0.2")[1]
        assert "XCLIENT" not in ehlo and "XFORWARD" not in ehlo
        replies = dialogue(srv.port, ["XCLIENT ADDR=10.1.2.3", "EHLO y"])
        assert "XCLIENT" not in replies[2]
        assert "250-XFORWARD" in replies[2]


def test_xclient_client_restrictions_differential(inst, shared_tmp):
    """With smtpd_delay_reject = no the client restrictions run for the
    new identity, and their rejection replaces the 220."""
    settings = dict(AUTH, smtpd_delay_reject="no",
                    smtpd_client_restrictions="check_client_access "
                    "inline:{10.0.0.66=REJECT}")
    lines = ["XCLIENT NAME=x.example ADDR=10.0.0.66", "EHLO x",
             "MAIL FROM:<a@example.org>", "QUIT"]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        mine = dialogue(ours.port, lines)
        theirs = dialogue(debian.port, lines)
        assert theirs[1] == ("554 5.7.1 <x.example[10.0.0.66]>: Client host "
                             "rejected: Access denied")
        assert mine == theirs
        for srv in (ours, debian):
            srv.wait_for_log("NOQUEUE: reject: XCLIENT from x.example")
        assert [l for l in ours.smtpd_log() if "NOQUEUE" in l] == \
            [l for l in debian.smtpd_log() if "NOQUEUE" in l]
