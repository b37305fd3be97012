"""smtpd(8) recipient validation: local_recipient_maps, virtual_alias_maps,
virtual_mailbox_maps, relay_recipient_maps, smtpd_reject_unlisted_recipient
and _sender, reject_unlisted_*, show_user_unknown_table_name, the
unknown_*_reject_code parameters and the replies to table failures.

Each dialogue runs against our smtpd, whose replies must be the ones
Debian's Postfix 3.7.11 gave for the same configuration (recorded here);
the *_diff tests run it against both (root and Debian's Postfix only) and
compare. local_recipient_maps names unix:passwd.byname directly (the
proxy: of Postfix's default is tested with proxymap(8)).
"""

import re

import pytest

from smtp_dialogue import (ours_smtpd, both_smtpd, our_instance, dialogue)

SETTINGS = {
    "mynetworks": "127.0.0.1/32",
    "local_recipient_maps": "unix:passwd.byname",
    "virtual_alias_domains": "va.example",
    "virtual_alias_maps": "inline:{va1@va.example=root}",
    "virtual_mailbox_domains": "vm.example",
    "virtual_mailbox_maps": "inline:{vm1@vm.example=x}",
    "relay_domains": "rel.example",
    "relay_recipient_maps": "inline:{r1@rel.example=x}",
    "smtpd_relay_restrictions":
        "permit_mynetworks, reject_unauth_destination",
    "smtpd_recipient_restrictions": "",
    "recipient_delimiter": "+",
}

UNKNOWN = "Recipient address rejected: User unknown in"

# (recipient, reply) from inside mynetworks, as Debian's Postfix answers.
INSIDE = [
    ("root@test.example", "250 2.1.5 Ok"),
    ("nobody1@test.example",
     f"550 5.1.1 <nobody1@test.example>: {UNKNOWN} local recipient table"),
    ("x@va.example",
     f"550 5.1.1 <x@va.example>: {UNKNOWN} virtual alias table"),
    ("va1@va.example", "250 2.1.5 Ok"),
    ("x@vm.example",
     f"550 5.1.1 <x@vm.example>: {UNKNOWN} virtual mailbox table"),
    ("vm1@vm.example", "250 2.1.5 Ok"),
    ("x@rel.example",
     f"550 5.1.1 <x@rel.example>: {UNKNOWN} relay recipient table"),
    ("r1@rel.example", "250 2.1.5 Ok"),
    ("x@other.example", "250 2.1.5 Ok"),
]

# From outside mynetworks (127.0.0.2).
OUTSIDE = [
    ("x@other.example", "554 5.7.1 <x@other.example>: Relay access denied"),
    ("x@rel.example",
     f"550 5.1.1 <x@rel.example>: {UNKNOWN} relay recipient table"),
    ("r1@rel.example", "250 2.1.5 Ok"),
    ("nobody1@test.example",
     f"550 5.1.1 <nobody1@test.example>: {UNKNOWN} local recipient table"),
]


# Case and address extensions (compared with Debian's answers only).
EXTRA = ["Root@Test.Example", "root+ext@test.example", "va1+x@va.example",
         "VM1@vm.example", "r1+y@rel.example", "nobody1+x@test.example",
         "x+va1@va.example", "root@[127.0.0.1]", "nobody1@[127.0.0.1]"]


def rcpt_replies(port, rcpts, sender="a@b.example", source=None,
                 helo="ok.example"):
    """The replies to the RCPT TO commands of one transaction."""
    lines = ([f"EHLO {helo}", f"MAIL FROM:<{sender}>"]
             + [f"RCPT TO:<{r}>" for r in rcpts] + ["QUIT"])
    replies = dialogue(port, lines, source=source)
    assert replies[2].startswith("250"), replies
    return replies[3:3 + len(rcpts)]


def check_cases(server, cases, source=None, sender="a@b.example"):
    got = rcpt_replies(server.port, [r for r, _ in cases], sender=sender,
                       source=source)
    assert got == [reply for _, reply in cases]


def test_recipient_tables(request):
    with ours_smtpd(our_instance(request), **SETTINGS) as ours:
        check_cases(ours, INSIDE)
        check_cases(ours, OUTSIDE, source="127.0.0.2")
        log = ours.wait_for_log("to=<nobody1@test.example> proto=ESMTP")
        assert (": reject: RCPT from " in log and "550 5.1.1 "
                "<x@vm.example>: Recipient address rejected: User unknown "
                "in virtual mailbox table; from=<a@b.example> "
                "to=<x@vm.example> proto=ESMTP helo=<ok.example>" in log)


def test_recipient_tables_diff(request, shared_tmp):
    with both_smtpd(our_instance(request), shared_tmp, **SETTINGS) as (
            ours, debian):
        rcpts = [r for r, _ in INSIDE]
        assert rcpt_replies(ours.port, rcpts) == \
            rcpt_replies(debian.port, rcpts)
        rcpts = [r for r, _ in OUTSIDE]
        assert rcpt_replies(ours.port, rcpts, source="127.0.0.2") == \
            rcpt_replies(debian.port, rcpts, source="127.0.0.2")
        assert rcpt_replies(ours.port, EXTRA) == \
            rcpt_replies(debian.port, EXTRA)
        assert reject_lines(ours, 3) == reject_lines(debian, 3)


def reject_lines(server, until):
    """The reject log lines (queue ID or NOQUEUE made alike; the client's
    name is smtpd_peer's business, not compared here), once until
    sessions have ended (an int) or once the log has until (a str)."""
    if isinstance(until, int):
        server.wait_disconnects(until)
    else:
        server.wait_for_log(until)
    return [re.sub(r"RCPT from [^\[ ]*\[", "RCPT from NAME[",
                   line.replace("QUEUEID: ", "NOQUEUE: "))
            for line in server.smtpd_log() if ": reject: RCPT from " in line]


def test_codes_and_table_name(request):
    settings = dict(SETTINGS, show_user_unknown_table_name="no",
                    unknown_local_recipient_reject_code="450",
                    unknown_virtual_alias_reject_code="551",
                    unknown_virtual_mailbox_reject_code="552",
                    unknown_relay_recipient_reject_code="553")
    with ours_smtpd(our_instance(request), **settings) as ours:
        check_cases(ours, [
            ("nobody3@test.example", "450 4.1.1 <nobody3@test.example>: "
             "Recipient address rejected: User unknown"),
            ("x@va.example", "551 5.1.1 <x@va.example>: "
             "Recipient address rejected: User unknown"),
            ("x@vm.example", "552 5.1.1 <x@vm.example>: "
             "Recipient address rejected: User unknown"),
            ("x@rel.example", "553 5.1.1 <x@rel.example>: "
             "Recipient address rejected: User unknown"),
        ])


def test_unlisted_sender(request):
    """reject_unlisted_sender: 5.1.0 for the local and relay tables, the
    virtual tables' 5.1.1 mapped into 5.1.7 (and logged so)."""
    settings = dict(SETTINGS, smtpd_sender_restrictions=
                    "reject_unlisted_sender")
    with ours_smtpd(our_instance(request), **settings) as ours:
        for sender, reply in [
                ("nobody2@test.example", "550 5.1.0 <nobody2@test.example>: "
                 "Sender address rejected: User unknown in local recipient "
                 "table"),
                ("x@va.example", "550 5.1.7 <x@va.example>: Sender address "
                 "rejected: User unknown in virtual alias table"),
                ("x@rel.example", "550 5.1.0 <x@rel.example>: Sender "
                 "address rejected: User unknown in relay recipient table"),
                ("root@test.example", "250 2.1.5 Ok")]:
            replies = dialogue(ours.port, [
                "EHLO ok.example", f"MAIL FROM:<{sender}>",
                "RCPT TO:<root@test.example>", "QUIT"])
            assert replies[3] == reply
        ours.wait_for_log("mapping DSN status 5.1.1 into Sender address "
                          "status 5.1.7")


def test_unlisted_sender_implicit(request):
    """smtpd_reject_unlisted_sender = yes without the restriction."""
    settings = dict(SETTINGS, smtpd_reject_unlisted_sender="yes")
    with ours_smtpd(our_instance(request), **settings) as ours:
        replies = dialogue(ours.port, [
            "EHLO ok.example", "MAIL FROM:<x@vm.example>",
            "RCPT TO:<root@test.example>", "QUIT"])
        assert replies[3] == ("550 5.1.7 <x@vm.example>: Sender address "
                              "rejected: User unknown in virtual mailbox "
                              "table")


def test_unlisted_recipient_off(request):
    """smtpd_reject_unlisted_recipient = no: only the restriction checks."""
    settings = dict(SETTINGS, smtpd_reject_unlisted_recipient="no")
    with ours_smtpd(our_instance(request), **settings) as ours:
        check_cases(ours, [("nobody1@test.example", "250 2.1.5 Ok")])
    settings["smtpd_relay_restrictions"] = (
        "reject_unlisted_recipient, permit_mynetworks, "
        "reject_unauth_destination")
    with ours_smtpd(our_instance(request), **settings) as ours:
        check_cases(ours, [
            ("nobody1@test.example", "550 5.1.1 <nobody1@test.example>: "
             f"{UNKNOWN} local recipient table")])


@pytest.mark.parametrize("failing", [
    {"local_recipient_maps": "fail:x"},
    {"virtual_alias_maps": "fail:y"},
    {"relay_domains": "fail:z"},
])
def test_table_failure(request, failing):
    """A table that fails: 451 4.3.0, even after permit_mynetworks."""
    settings = dict(SETTINGS, **failing)
    rcpt = ("u@other.example" if "relay_domains" in failing
            else "u@test.example")
    with ours_smtpd(our_instance(request), **settings) as ours:
        check_cases(ours, [
            (rcpt, f"451 4.3.0 <{rcpt}>: Temporary lookup failure")])


def test_default_local_recipient_maps(request):
    """Postfix's default local_recipient_maps, through proxymap(8)."""
    settings = dict(SETTINGS, local_recipient_maps=
                    "proxy:unix:passwd.byname $alias_maps",
                    alias_maps="inline:{alias1=root}")
    with ours_smtpd(our_instance(request), **settings) as ours:
        check_cases(ours, [
            ("root@test.example", "250 2.1.5 Ok"),
            ("alias1@test.example", "250 2.1.5 Ok"),
            ("nobody1@test.example", "550 5.1.1 <nobody1@test.example>: "
             f"{UNKNOWN} local recipient table")])
