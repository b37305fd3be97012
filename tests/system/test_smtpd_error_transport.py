"""smtpd(8) refuses an address that resolves to the error or retry
transport, relocated_maps included (reject_unlisted_recipient and
reject_unlisted_sender, implicit or named).

What Debian's Postfix 3.7.11 was seen to do (the replies below were
recorded there; the *_diff tests compare against it when it is there):

- Within the unlisted-address check, after the virtual_alias_maps look-up
  (an address found there is listed) and the virtual alias class, and
  before the table of the address class (local_recipient_maps, ...): an
  address whose transport is "error" (as resolved: transport_maps,
  relocated_maps, $default_transport, ...) gets "550 <dsn> <addr>:
  Recipient address rejected: <text>", one whose transport is "retry"
  "450 ...". <dsn> is the status at the start of the next hop with the
  reply's class (5.1.1, for a sender 5.1.0, when there is none), <text>
  the rest ("Address is undeliverable" when the next hop is empty).
- relocated_maps: trivial-rewrite resolves a listed address (search order
  of relocated(5)) to "error:5.1.6 User has moved to <value>", so the
  reply is "550 5.1.6 <addr>: Recipient address rejected: User has moved
  to <value>", for every address class.
- For a sender, X.1.y becomes X.1.7 (y = 1, 3, 4, 6), X.1.8 (y = 2) or
  X.1.0 (y = 5, 9, 10, 11), with "mapping DSN status <old> into Sender
  address status <new>" logged.
- With smtpd_reject_unlisted_recipient = no (and no restriction naming
  reject_unlisted_recipient) nothing of this happens.
"""

import os
import re

from smtp_dialogue import both_smtpd, dialogue, our_instance, ours_smtpd

TRANSPORT = {
    "x.example": "error:5.1.1 no such domain",
    "y.example": "retry:4.4.1 try later",
    "z.example": "error:",
    "w.example": "error:just text",
    "v.example": "retry:5.2.2 five in retry",
    "u.example": "retry:",
    "q.example": "error:4.2.2 four in error",
    "p.example": "retry:x.y.z weird",
    "a2.example": "error:5.1.2 two",
    "a3.example": "error:5.1.3 three",
    "a5.example": "error:5.1.5 five",
    "a8.example": "error:5.1.8 eight",
    "a10.example": "error:5.1.10 ten",
    "a0.example": "error:5.0.0 zero",
    "r4.example": "retry:4.1.1 four-one-one",
    "m.example": "myerr:5.1.1 not the error transport",
    "localhost": "error:5.1.2 local gone",
}
RELAY = [d for d in TRANSPORT if d != "localhost"] + ["rel.example",
                                                      "rdom.example"]
RELOCATED = ("moved@test.example new@else.example\n"
             "@rdom.example whereever.example\n"
             "foo to the moon\n"
             "rl@x.example rl-new\n"
             "va@valias.example not-used\n"
             "vm@vmbox.example vm-new\n"
             "rd@rdom.example specific\n")


def settings(base, **extra):
    """Tables under base (readable by both sides) and their settings."""
    files = {
        "transport": "".join(f"{k} {v}\n" for k, v in TRANSPORT.items()),
        "relocated": RELOCATED,
        "valias": "va@valias.example x@c.example\nva@x.example x@c.example\n",
        "vmbox": "vm@vmbox.example x\nother@vmbox.example x\n",
        "users": "someone x\n",
    }
    os.chmod(base, 0o755)
    for name, text in files.items():
        (base / name).write_text(text)
        os.chmod(base / name, 0o644)
    values = {
        "transport_maps": f"texthash:{base}/transport",
        "relocated_maps": f"texthash:{base}/relocated",
        "virtual_alias_domains": "valias.example",
        "virtual_alias_maps": f"texthash:{base}/valias",
        "virtual_mailbox_domains": "vmbox.example",
        "virtual_mailbox_maps": f"texthash:{base}/vmbox",
        "relay_domains": ", ".join(RELAY),
        "recipient_delimiter": "+",
    }
    values.update(extra)
    return values


# (recipient, reply) as Debian's Postfix answered.
RCPTS = [
    ("a@x.example",
     "550 5.1.1 <a@x.example>: Recipient address rejected: no such domain"),
    ("a@y.example",
     "450 4.4.1 <a@y.example>: Recipient address rejected: try later"),
    ("a@z.example", "550 5.1.1 <a@z.example>: Recipient address rejected: "
     "Address is undeliverable"),
    ("a@w.example",
     "550 5.1.1 <a@w.example>: Recipient address rejected: just text"),
    ("a@v.example",
     "450 4.2.2 <a@v.example>: Recipient address rejected: five in retry"),
    ("a@u.example", "450 4.1.1 <a@u.example>: Recipient address rejected: "
     "Address is undeliverable"),
    ("a@q.example",
     "550 5.2.2 <a@q.example>: Recipient address rejected: four in error"),
    ("a@p.example",
     "450 4.1.1 <a@p.example>: Recipient address rejected: x.y.z weird"),
    ("a@m.example", "250 2.1.5 Ok"),
    ("someone@localhost",
     "550 5.1.2 <someone@localhost>: Recipient address rejected: "
     "local gone"),
    ("moved@test.example",
     "550 5.1.6 <moved@test.example>: Recipient address rejected: "
     "User has moved to new@else.example"),
    ("Moved+ext@Test.Example",
     "550 5.1.6 <Moved+ext@Test.Example>: Recipient address rejected: "
     "User has moved to new@else.example"),
    ("foo@test.example", "550 5.1.6 <foo@test.example>: Recipient address "
     "rejected: User has moved to to the moon"),
    ("foo@rel.example", "250 2.1.5 Ok"),
    ("x@rdom.example", "550 5.1.6 <x@rdom.example>: Recipient address "
     "rejected: User has moved to whereever.example"),
    ("rd@rdom.example", "550 5.1.6 <rd@rdom.example>: Recipient address "
     "rejected: User has moved to specific"),
    ("rl@x.example", "550 5.1.6 <rl@x.example>: Recipient address "
     "rejected: User has moved to rl-new"),
    ("va@x.example", "250 2.1.5 Ok"),
    ("va@valias.example", "250 2.1.5 Ok"),
    ("vm@vmbox.example", "550 5.1.6 <vm@vmbox.example>: Recipient address "
     "rejected: User has moved to vm-new"),
    ("other@vmbox.example", "250 2.1.5 Ok"),
]

# (sender, reply to the RCPT TO that follows) with reject_unlisted_sender.
SENDERS = [
    ("s@x.example",
     "550 5.1.7 <s@x.example>: Sender address rejected: no such domain"),
    ("s@y.example",
     "450 4.4.1 <s@y.example>: Sender address rejected: try later"),
    ("s@z.example", "550 5.1.0 <s@z.example>: Sender address rejected: "
     "Address is undeliverable"),
    ("s@u.example", "450 4.1.0 <s@u.example>: Sender address rejected: "
     "Address is undeliverable"),
    ("s@a2.example", "550 5.1.8 <s@a2.example>: Sender address rejected: two"),
    ("s@a3.example",
     "550 5.1.7 <s@a3.example>: Sender address rejected: three"),
    ("s@a5.example",
     "550 5.1.0 <s@a5.example>: Sender address rejected: five"),
    ("s@a8.example",
     "550 5.1.8 <s@a8.example>: Sender address rejected: eight"),
    ("s@a10.example",
     "550 5.1.0 <s@a10.example>: Sender address rejected: ten"),
    ("s@a0.example",
     "550 5.0.0 <s@a0.example>: Sender address rejected: zero"),
    ("s@r4.example",
     "450 4.1.7 <s@r4.example>: Sender address rejected: four-one-one"),
    ("moved@test.example", "550 5.1.7 <moved@test.example>: Sender address "
     "rejected: User has moved to new@else.example"),
    ("x@rdom.example", "550 5.1.7 <x@rdom.example>: Sender address "
     "rejected: User has moved to whereever.example"),
    ("s@m.example", "250 2.1.5 Ok"),
]

# The mapping lines the senders above log, in order.
MAPPINGS = [
    "mapping DSN status 5.1.1 into Sender address status 5.1.7",
    "mapping DSN status 5.1.2 into Sender address status 5.1.8",
    "mapping DSN status 5.1.3 into Sender address status 5.1.7",
    "mapping DSN status 5.1.5 into Sender address status 5.1.0",
    "mapping DSN status 5.1.10 into Sender address status 5.1.0",
    "mapping DSN status 4.1.1 into Sender address status 4.1.7",
    "mapping DSN status 5.1.6 into Sender address status 5.1.7",
    "mapping DSN status 5.1.6 into Sender address status 5.1.7",
]


def rcpt_replies(port, rcpts):
    lines = (["EHLO x", "MAIL FROM:<a@c.example>"]
             + [f"RCPT TO:<{r}>" for r in rcpts] + ["QUIT"])
    replies = dialogue(port, lines)
    assert replies[2].startswith("250"), replies
    return replies[3:3 + len(rcpts)]


def sender_replies(port, senders):
    lines = ["EHLO x"]
    for s in senders:
        lines += [f"MAIL FROM:<{s}>", "RCPT TO:<a@c.example>", "RSET"]
    replies = dialogue(port, lines + ["QUIT"])
    return [replies[3 + 3 * i] for i in range(len(senders))]


def log_lines(server, sessions):
    """The reject and mapping lines, once sessions have ended."""
    server.wait_disconnects(sessions)
    return [re.sub(r"RCPT from [^\[ ]*\[", "RCPT from NAME[",
                   line.replace("QUEUEID: ", "NOQUEUE: "))
            for line in server.smtpd_log()
            if ": reject: " in line or "mapping DSN" in line]


def test_error_retry_and_relocated(request, shared_tmp):
    inst = our_instance(request)
    with ours_smtpd(inst, **settings(shared_tmp)) as server:
        assert rcpt_replies(server.port, [r for r, _ in RCPTS]) == \
            [reply for _, reply in RCPTS]
        server.wait_for_log("User has moved to vm-new", 30)
        log = server.log_text()
        # A queue ID: an earlier recipient was accepted.
        assert (": reject: RCPT from localhost[127.0.0.1]: 550 5.1.6 "
                "<moved@test.example>: Recipient address rejected: User has "
                "moved to new@else.example; from=<a@c.example> "
                "to=<moved@test.example> proto=ESMTP helo=<x>") in log


def test_senders(request, shared_tmp):
    inst = our_instance(request)
    with ours_smtpd(inst, **settings(
            shared_tmp, smtpd_reject_unlisted_sender="yes")) as server:
        assert sender_replies(server.port, [s for s, _ in SENDERS]) == \
            [reply for _, reply in SENDERS]
        server.wait_disconnects(1)
        lines = [line.split(": ", 1)[1] for line in server.smtpd_log()
                 if "mapping DSN" in line]
        assert lines == MAPPINGS


def test_unlisted_check_off(request, shared_tmp):
    inst = our_instance(request)
    rcpts = ["a@x.example", "a@y.example", "moved@test.example"]
    with ours_smtpd(inst, **settings(
            shared_tmp, smtpd_reject_unlisted_recipient="no")) as server:
        assert rcpt_replies(server.port, rcpts) == ["250 2.1.5 Ok"] * 3
    # A restriction that names the check still applies it.
    with ours_smtpd(inst, **settings(
            shared_tmp, smtpd_reject_unlisted_recipient="no",
            smtpd_recipient_restrictions="reject_unlisted_recipient")) \
            as server:
        assert rcpt_replies(server.port, rcpts) == [
            RCPTS[0][1], RCPTS[1][1], RCPTS[10][1]]


def test_error_transport_diff(request, shared_tmp):
    """The same dialogues against Debian's Postfix and ours."""
    values = settings(shared_tmp, smtpd_reject_unlisted_sender="yes",
                      local_recipient_maps=f"texthash:{shared_tmp}/users",
                      unknown_virtual_alias_reject_code="450")
    rcpts = [r for r, _ in RCPTS] + ["nobody@localhost", "nope@valias.example",
                                     "x@vmbox.example", "moved", "foo",
                                     "nope@localhost", "a@[1.2.3.4.5]"]
    senders = [s for s, _ in SENDERS] + ["nope@valias.example"]
    with both_smtpd(our_instance(request), shared_tmp, **values) as (
            ours, debian):
        assert rcpt_replies(ours.port, rcpts) == \
            rcpt_replies(debian.port, rcpts)
        assert sender_replies(ours.port, senders) == \
            sender_replies(debian.port, senders)
        assert log_lines(ours, 2) == log_lines(debian, 2)



# (smtpd_recipient_restrictions, replies to a@x.example, a@y.example and
# nobody@test.example) as Debian's Postfix answered: a defer_if_permit
# still pending after the lists wins over the implicit check, a named
# reject_unlisted_recipient over the defer_if_permit.
DEFER_IF_PERMIT = [
    ("defer_if_permit", [
        "450 4.7.0 <a@x.example>: Recipient address rejected: "
        "defer_if_permit requested",
        "450 4.7.0 <a@y.example>: Recipient address rejected: "
        "defer_if_permit requested",
        "450 4.7.0 <nobody@test.example>: Recipient address rejected: "
        "defer_if_permit requested"]),
    ("defer_if_permit, reject_unlisted_recipient", [
        RCPTS[0][1], RCPTS[1][1],
        "550 5.1.1 <nobody@test.example>: Recipient address rejected: "
        "User unknown in local recipient table"]),
    ("defer_if_reject", [
        "450 4.7.0 <a@x.example>: Recipient address rejected: "
        "defer_if_reject requested",
        RCPTS[1][1],
        "450 4.7.0 <nobody@test.example>: Recipient address rejected: "
        "defer_if_reject requested"]),
]
DIP_RCPTS = ["a@x.example", "a@y.example", "nobody@test.example"]
# The implicit sender check still applies under a pending defer_if_permit.
DIP_SENDER = ["EHLO x", "MAIL FROM:<s@x.example>", "RCPT TO:<a@c.example>",
              "QUIT"]
DIP_SENDER_REPLY = ("550 5.1.7 <s@x.example>: Sender address rejected: "
                    "no such domain")


def dip_settings(base, restrictions):
    return settings(base, smtpd_recipient_restrictions=restrictions,
                    smtpd_reject_unlisted_sender="yes",
                    local_recipient_maps=f"texthash:{base}/users")


def test_defer_if_permit_pending(request, shared_tmp):
    inst = our_instance(request)
    for restrictions, replies in DEFER_IF_PERMIT:
        with ours_smtpd(inst, **dip_settings(shared_tmp, restrictions)) \
                as server:
            assert rcpt_replies(server.port, DIP_RCPTS) == replies, \
                restrictions
            if restrictions == "defer_if_permit":
                assert dialogue(server.port, DIP_SENDER)[3] == \
                    DIP_SENDER_REPLY


def test_defer_if_permit_pending_diff(request, shared_tmp):
    values = dip_settings(shared_tmp, "defer_if_permit")
    with both_smtpd(our_instance(request), shared_tmp, **values) as (
            ours, debian):
        assert rcpt_replies(ours.port, DIP_RCPTS) == \
            rcpt_replies(debian.port, DIP_RCPTS)
        assert dialogue(ours.port, DIP_SENDER) == \
            dialogue(debian.port, DIP_SENDER)
