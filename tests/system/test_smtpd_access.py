"""smtpd(8) restriction engine: the generic restrictions, restriction
classes, smtpd_delay_reject, warn_if_reject, soft_bounce, the access(5)
actions of check_*_access, and the reject log lines, compared with
Debian's Postfix 3.7 (same main.cf, same dialogues: the replies and the
smtpd log lines about restrictions must be identical), plus checks of
our side alone that need no Debian.

Clients bind to 127.0.0.2 (inside mynetworks = 127.0.0.2/32) or
127.0.0.3 (outside): addresses without a host name on both sides.
"""

import re

import pytest

from smtp_dialogue import (both_smtpd, diff_dialogue, dialogue, ours_smtpd,
                           our_instance)

# One recipient access table with every action.
ACCESS = """\
rej@y.example REJECT
rejt@y.example REJECT go away
def@y.example DEFER
deft@y.example DEFER later please
dir@y.example DEFER_IF_REJECT
dip@y.example DEFER_IF_PERMIT
n55@y.example 550 no such luck
n45@y.example 450 4.2.2 full
n51@y.example 551 5.1.6 moved
hold@y.example HOLD
filt@y.example FILTER smtp:[127.0.0.1]:10025
red@y.example REDIRECT other@z.example
bcc@y.example BCC copy@z.example
prep@y.example PREPEND X-Test: yes
warn@y.example WARN careful
info@y.example INFO informational
dunno@y.example DUNNO
ok@y.example OK
num@y.example 12345
perm@y.example permit
cls@y.example myclass
bad@y.example BOGUS_ACTION
filt0@y.example FILTER
red0@y.example REDIRECT
w.example REJECT domain rejected
user@ REJECT localpart
disc@y.example DISCARD
"""

# Sender-selected restriction classes: one generic behaviour each.
CLASSES = {
    "c_dip": "defer_if_permit, permit",
    "c_dip_rej": "defer_if_permit",
    "c_dir": "defer_if_reject, reject",
    "c_warn": "warn_if_reject, reject",
    "c_warn_dip": "warn_if_reject, defer_if_permit",
    "c_defer": "defer",
    "c_unknown": "no_such_restriction",
    "c_client": "check_client_access inline:{127.0.0.3=REJECT}",
    "c_sleep": "sleep x",
    "c_noarg": "check_client_access",
}


def settings(etc):
    s = {
        "mynetworks": "127.0.0.2/32",
        "smtpd_restriction_classes": "myclass " + " ".join(CLASSES),
        "myclass": "reject_unauth_destination",
        "smtpd_sender_restrictions":
            "check_sender_access inline:{"
            + ", ".join("{%s@s.example=%s}" % (c, c) for c in CLASSES)
            + "}",
        "smtpd_recipient_restrictions":
            f"check_recipient_access texthash:{etc}/access, "
            "permit_mynetworks, reject_unauth_destination",
        "smtpd_relay_restrictions": "",
    }
    s.update(CLASSES)
    return s


def access_rcpts():
    rcpts = [line.split()[0] for line in ACCESS.splitlines()]
    return [r if "@" in r and not r.endswith("@") else
            ("user@mx.example" if r.endswith("@") else "x@sub.w.example")
            for r in rcpts] + ["other@y.example"]


LOG_KEEP = re.compile(r": (reject|reject_warning|hold|discard|filter|"
                      r"redirect|bcc|warn|info): |warning: (unknown smtpd|"
                      r"access table|restriction|SMTPD access)")


def restriction_log(server):
    return [line.replace(str(server.config_dir), "CONFDIR")
            for line in server.smtpd_log() if LOG_KEEP.search(line)]


def write_access(server):
    (server.config_dir / "access").write_text(ACCESS)


def both(request, shared_tmp, extra=None):
    inst = our_instance(request)
    s = settings("$config_directory")
    s.update(extra or {})
    return both_smtpd(inst, shared_tmp, **s)


def compare_dialogues(ours, debian, dialogues):
    problems = []
    for source, lines in dialogues:
        a, b = diff_dialogue(ours, debian, lines, source=source)
        if a != b:
            problems.append(f"{source} {lines}:\n ours:   {a}\n debian: {b}")
    return problems


def wait_quiet(ours, debian, count):
    """Wait until both sides logged the end of count sessions."""
    ours.wait_disconnects(count)
    debian.wait_disconnects(count)


def test_access_actions_diff(request, shared_tmp):
    with both(request, shared_tmp) as (ours, debian):
        write_access(ours)
        write_access(debian)
        rcpts = access_rcpts()
        lines = (["EHLO h.example", "MAIL FROM:<a@b.example>"]
                 + [f"RCPT TO:<{r}>" for r in rcpts] + ["QUIT"])
        problems = compare_dialogues(ours, debian, [("127.0.0.3", lines),
                                                    ("127.0.0.2", lines)])
        wait_quiet(ours, debian, 2)
        assert not problems, "\n".join(problems)
        assert restriction_log(ours) == restriction_log(debian)


def test_generic_classes_diff(request, shared_tmp):
    with both(request, shared_tmp) as (ours, debian):
        write_access(ours)
        write_access(debian)
        dialogues = []
        for cls in CLASSES:
            dialogues.append(("127.0.0.3", [
                "EHLO h.example", f"MAIL FROM:<{cls}@s.example>",
                "RCPT TO:<x@y.example>", "RCPT TO:<rej@y.example>",
                "QUIT"]))
        problems = compare_dialogues(ours, debian, dialogues)
        wait_quiet(ours, debian, len(dialogues))
        assert not problems, "\n".join(problems)
        assert restriction_log(ours) == restriction_log(debian)


EHLO = "EHLO h.example"
MAIL = "MAIL FROM:<a@b.example>"
RCPT = "RCPT TO:<x@test.example>"
BODY = b"Subject: x\r\n\r\nbody\r\n.\r\n"

# (settings, dialogue): each stops right after the command under test.
STAGE_CASES = [
    ({"smtpd_delay_reject": "no", "smtpd_client_restrictions": "reject"},
     [EHLO, MAIL, "QUIT"]),
    ({"smtpd_delay_reject": "no", "smtpd_helo_restrictions": "reject"},
     [EHLO, "QUIT"]),
    ({"smtpd_delay_reject": "no", "smtpd_sender_restrictions": "reject"},
     [EHLO, MAIL, "QUIT"]),
    ({"smtpd_client_restrictions": "reject"}, [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_helo_restrictions": "reject"}, [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_data_restrictions": "reject"},
     [EHLO, MAIL, RCPT, "DATA", "QUIT"]),
    ({"smtpd_end_of_data_restrictions": "reject"},
     [EHLO, MAIL, RCPT, "DATA", BODY, "QUIT"]),
    ({"smtpd_etrn_restrictions": "reject"}, [EHLO, "ETRN dom.example", "QUIT"]),
    ({"smtpd_client_restrictions": "reject", "soft_bounce": "yes"},
     [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_client_restrictions": "reject", "reject_code": "450"},
     [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_helo_required": "yes"}, [MAIL, EHLO, MAIL, "QUIT"]),
    ({"queue_minfree": "999999999999999"}, [EHLO, MAIL, "QUIT"]),
    ({"smtpd_client_restrictions": "reject"},
     [EHLO, MAIL, "RCPT TO:<PostMaster>", "VRFY postmaster", "QUIT"]),
    ({"message_size_limit": "1000"},
     [EHLO, "MAIL FROM:<a@b.example> SIZE=1001", "QUIT"]),
    ({"smtpd_client_restrictions": "reject"},
     [EHLO, "VRFY x@y.example", "QUIT"]),
    ({"mynetworks": "127.0.0.1/33",
      "smtpd_client_event_limit_exceptions": ""},
     [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_client_restrictions": "check_client_access fail:x"},
     [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_client_restrictions": "defer_if_permit",
      "smtpd_sender_restrictions": "defer"}, [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_client_restrictions": "defer_if_permit",
      "smtpd_sender_restrictions": "defer_if_reject, reject, permit"},
     [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_client_restrictions": "defer_if_reject, reject, permit"},
     [EHLO, MAIL, RCPT, "QUIT"]),
    ({"smtpd_client_restrictions": "defer_if_reject",
      "smtpd_recipient_restrictions": "reject_unauth_destination"},
     [EHLO, MAIL, "RCPT TO:<x@elsewhere.example>", "QUIT"]),
]


@pytest.mark.parametrize("case", STAGE_CASES,
                         ids=[" ".join(f"{k}={v}" for k, v in c.items())
                              for c, _ in STAGE_CASES])
def test_stages_diff(request, shared_tmp, case):
    extra = {"smtpd_sender_restrictions": "",
             "smtpd_restriction_classes": "",
             "mynetworks": "127.0.0.0/8",
             "smtpd_recipient_restrictions":
                 "permit_mynetworks, reject_unauth_destination"}
    extra.update(case[0])
    with both(request, shared_tmp, extra) as (ours, debian):
        problems = compare_dialogues(ours, debian, [("127.0.0.2", case[1])])
        wait_quiet(ours, debian, 1)
        assert not problems, "\n".join(problems)
        assert restriction_log(ours) == restriction_log(debian)


def test_relay_inside_outside(request):
    """No Debian needed: relay control by client address."""
    with ours_smtpd(our_instance(request), mynetworks="127.0.0.1/32",
                    smtpd_relay_restrictions="permit_mynetworks, "
                    "reject_unauth_destination") as ours:
        lines = ["EHLO h.example", "MAIL FROM:<a@b.example>",
                 "RCPT TO:<x@elsewhere.example>", "QUIT"]
        inside = dialogue(ours.port, lines, source="127.0.0.1")
        outside = dialogue(ours.port, lines, source="127.0.0.2")
        assert inside[3] == "250 2.1.5 Ok"
        assert outside[3] == ("554 5.7.1 <x@elsewhere.example>: "
                              "Relay access denied")
        ours.wait_disconnects(2)
        assert any(re.search(r"NOQUEUE: reject: RCPT from \S+\[127\.0\.0\.2\]"
                             r": 554 5\.7\.1 <x@elsewhere\.example>: Relay "
                             r"access denied; from=<a@b\.example> "
                             r"to=<x@elsewhere\.example> proto=ESMTP "
                             r"helo=<h\.example>$", line)
                   for line in ours.smtpd_log()), ours.smtpd_log()


# Search orders and enhanced status code transformations of access(5).
SEARCH = {
    "recipient_delimiter": "+",
    "smtpd_null_access_lookup_key": "<>",
    "smtpd_client_restrictions":
        "check_client_access inline:{ {127.0.0.4=REJECT 5.1.1 client dsn},"
        " {127.0.0=DUNNO}, {127=OK} }",
    "smtpd_helo_restrictions":
        "check_helo_access inline:{ {bad.example=REJECT 5.1.2 helo dsn}, "
        "{sub.example=REJECT parent helo} }",
    "smtpd_sender_restrictions":
        "check_sender_access inline:{ {<>=REJECT null sender}, "
        "{s1@s.example=REJECT 5.1.1 sender dsn}, "
        "{s2@s.example=REJECT 5.1.2 sender dsn2}, "
        "{s3@s.example=550 4.1.1 wrong class}, "
        "{ext@s.example=REJECT no extension}, "
        "{lp@=REJECT localpart}, {p.example=REJECT parent domain} }",
    "smtpd_recipient_restrictions":
        "check_recipient_access inline:{ "
        "{r1@r.example=REJECT 5.1.7 rcpt dsn}, "
        "{r2@r.example=REJECT 5.1.8 rcpt dsn2}, "
        "{r3@r.example=DEFER 4.2.1 busy}, "
        "{r4@r.example=REJECT 5.7.9 policy} }, "
        "permit_mynetworks, reject_unauth_destination",
    "smtpd_restriction_classes": "",
    "mynetworks": "127.0.0.0/8",
}

SEARCH_DIALOGUES = [
    ("127.0.0.4", [EHLO, MAIL, RCPT, "QUIT"]),
    ("127.0.0.5", ["EHLO bad.example", MAIL, RCPT, "QUIT"]),
    ("127.0.0.5", ["EHLO x.sub.example", MAIL, RCPT, "QUIT"]),
    ("127.0.0.5", [EHLO, "MAIL FROM:<>", RCPT, "QUIT"]),
    ("127.0.0.5", [EHLO, "MAIL FROM:<s1@s.example>", RCPT, "RSET",
                   "MAIL FROM:<s2@s.example>", RCPT, "RSET",
                   "MAIL FROM:<s3@s.example>", RCPT, "RSET",
                   "MAIL FROM:<ext+foo@s.example>", RCPT, "RSET",
                   "MAIL FROM:<lp@elsewhere.example>", RCPT, "RSET",
                   "MAIL FROM:<x@deep.sub.p.example>", RCPT, "QUIT"]),
    ("127.0.0.5", [EHLO, MAIL, "RCPT TO:<r1@r.example>",
                   "RCPT TO:<r2@r.example>", "RCPT TO:<r3@r.example>",
                   "RCPT TO:<r4@r.example>", "QUIT"]),
]


def test_search_and_dsn_diff(request, shared_tmp):
    with both(request, shared_tmp, SEARCH) as (ours, debian):
        problems = compare_dialogues(ours, debian, SEARCH_DIALOGUES)
        wait_quiet(ours, debian, len(SEARCH_DIALOGUES))
        assert not problems, "\n".join(problems)
        assert restriction_log(ours) == restriction_log(debian)
