"""Differential tests of the SMTP client: the same message sent by Debian's
smtp(8) (Postfix 3.7) and by ours to the same scripted server.

Each case is one server script (smtp_script.ScriptServer options), one
submission and a few main.cf settings. The module's Debian Postfix
(kept running across the cases by the mta_sides fixture, see
mta_pair.SharedSides) runs it first, and the test checks Debian's
command stream and log fields against what is written here (what
Postfix does, recorded from Debian's Postfix 3.7.11); then the
module's instance of ours runs it and everything is compared with
Debian's: the command lines of every connection, how they were grouped
into writes (recv() chunks: PIPELINING), the delivered content byte for
byte (after MIME conversion), the envelope parameters, and each
recipient's log fields (relay=, dsn=, status= and the text in
parentheses).

Cases: plain; no PIPELINING; 8-bit content to a server with and without
8BITMIME (quoted-printable conversion); SIZE present/absent; DSN
present/absent (NOTIFY, ORCPT, ENVID, RET; through smtpd and through
sendmail -N/-R/-V); SMTPUTF8 required but not offered (bounce 5.6.7);
XFORWARD; 4xx and 5xx at the greeting, EHLO (fallback to HELO), MAIL,
RCPT (one of two recipients), DATA and end of data; the connection
dropped at each stage; a stall past smtp_mail_timeout; a multi-line 550;
long lines (smtp_line_length_limit); smtp_quote_rfc821_envelope with a
local part that needs quotes; smtp_generic_maps.

Differences that are kept on purpose are listed in
docs/internals/smtp-client-differences.md.

The tests need root and Debian's Postfix (they skip otherwise). With
POSTEL_DIFF_DEBIAN_ONLY=1 in the environment only Debian's side runs
(the test checks its expectations, then skips): for developing a case
while our client is not there.
"""

import os

import pytest

from mta_pair import Submission, table_ready
from smtp_dialogue import _debian_usable

pytestmark = pytest.mark.skipif(
    not _debian_usable(),
    reason="needs root, Debian's Postfix and the postfix account")

DEBIAN_ONLY = os.environ.get("POSTEL_DIFF_DEBIAN_ONLY") == "1"
SENDER = "sender@origin.example"
R1, R2 = "one@dest.example", "two@dest.example"
HEADERS = ("From: Sender <sender@origin.example>\n"
           "To: one@dest.example\n"
           "Subject: differential {tag}\n"
           "Date: Sat, 05 Dec 2026 12:00:00 +0000\n"
           "Message-ID: <{tag}@origin.example>\n")
BODY = "line one\n.a dot line\nlast line\n"
# CHUNKING is offered everywhere: Postfix's client has no BDAT, and ours
# uses it only when told (smtp_use_bdat, see smtp-client-differences.md).
ALL_KEYWORDS = ["PIPELINING", "SIZE 10240000", "8BITMIME",
                "ENHANCEDSTATUSCODES", "DSN", "SMTPUTF8", "CHUNKING"]
HOST = "127.0.0.1[127.0.0.1]"


def keywords(*without, extra=()):
    """The scripted server's EHLO keywords without some, plus extra."""
    return [k for k in ALL_KEYWORDS if k.split()[0] not in without] \
        + list(extra)


def message(tag, headers="", body=BODY):
    return (HEADERS.format(tag=tag) + headers + "\n" + body).encode()


def submission(tag, recipients=(R1,), sender=SENDER, **kw):
    content = kw.pop("content", None) or message(tag)
    return Submission(sender, recipients, content, **kw)


def envelopes(outcome):
    """The envelopes with the SIZE= value left out (see mta_pair)."""
    return [(sender, {k: "N" if k == "SIZE" else v for k, v in params.items()},
             rcpts) for sender, params, rcpts in outcome.envelopes]


def compare(ours, debian, recipients, cut_text=False):
    """Assert that our outcome is Debian's. cut_text: a status text may
    be cut short in one log (Postfix's logger cuts a line at about 2,000
    bytes; ours does not): compare the common beginning."""
    assert ours.commands == debian.commands, "command streams differ"
    assert ours.groups == debian.groups, "write grouping differs"
    assert envelopes(ours) == envelopes(debian), "envelopes differ"
    assert ours.contents == debian.contents, "delivered content differs"
    fields = ("relay", "dsn", "status", "text")

    def log(outcome, cut=None):
        return {to: {k: e[k][:cut] if k == "text" else e[k] for k in fields}
                for to, e in outcome.status.items() if to in recipients}
    cut = None
    if cut_text:
        cut = min(len(e["text"]) for side in (ours, debian)
                  for e in side.status.values())
    assert log(ours, cut) == log(debian, cut), "log fields differ"


# Where ours differs from Debian and should not (bugs found by these
# tests, for the owners of src/smtp to fix): test id -> what differs.
# run_case marks the test xfail (not strict) after Debian's side passed,
# so that only our side is excused. Remove an entry once it passes.
KNOWN_BUGS = {}


def run_case(request, base, script, sub, expect_commands=None,
             expect_status=None, cut_text=False, **kw):
    """Run Debian's side, check it against the expectations, run ours and
    compare; return (ours, debian)."""
    script = dict(script)
    script.setdefault("keywords", keywords())
    sides = request.getfixturevalue("mta_sides")
    debian = sides.run_debian(script, sub, **kw)
    if expect_commands is not None:
        assert debian.commands == expect_commands
    if expect_status is not None:
        got = {to: (e["dsn"], e["status"], e["text"])
               for to, e in debian.status.items() if to in sub.recipients}
        assert got == expect_status
    if DEBIAN_ONLY:
        pytest.skip("POSTEL_DIFF_DEBIAN_ONLY: Debian's side checked")
    known = KNOWN_BUGS.get(request.node.name)
    if known:
        request.applymarker(pytest.mark.xfail(reason="ours: " + known,
                                              strict=False))
    ours = sides.run_ours(script, sub, **kw)
    compare(ours, debian, sub.recipients, cut_text)
    return ours, debian


def status(dsn, state, text, *rcpts):
    return {r: (dsn, state, text) for r in rcpts}


def sent(*rcpts):
    return status("2.0.0", "sent", "250 2.0.0 Ok: queued as SCRIPT1", *rcpts)


def said(reply, command):
    return f"host {HOST} said: {reply} (in reply to {command} command)"


def session(mail=f"MAIL FROM:<{SENDER}> SIZE=N", rcpts=(R1,),
            orcpt=True, tail=(".", "QUIT")):
    """EHLO, MAIL, RCPT..., DATA and tail."""
    return (["EHLO test.example", mail]
            + [f"RCPT TO:<{r}>" + (f" ORCPT=rfc822;{r}" if orcpt else "")
               for r in rcpts]
            + ["DATA", *tail])


ONE = session()
TWO = session(rcpts=(R1, R2))


def test_plain(request, shared_tmp):
    _, debian = run_case(request, shared_tmp, {}, submission("plain"),
                         expect_commands=[ONE], expect_status=sent(R1))
    # PIPELINING: MAIL, RCPT and DATA in one write; the dot and QUIT in
    # another (the connection is not kept). CHUNKING is not used.
    assert debian.groups == [[ONE[:1], ONE[1:4], ONE[4:]]]
    assert debian.contents[0].endswith(b"\r\nline one\r\n.a dot line\r\n"
                                       b"last line\r\n")


def test_no_pipelining(request, shared_tmp):
    _, debian = run_case(request, shared_tmp,
                         {"keywords": keywords("PIPELINING")},
                         submission("nopipe", (R1, R2)),
                         expect_commands=[TWO], expect_status=sent(R1, R2))
    assert debian.groups == [[[line] for line in TWO]]


EIGHT_BIT = ("MIME-Version: 1.0\n"
             "Content-Type: text/plain; charset=utf-8\n"
             "Content-Transfer-Encoding: 8bit\n")
EIGHT_BODY = ("gr\u00fc\u00dfe = caf\u00e9\n" + "x" * 100 + "\u00e9\n"
              "end \n")


def test_8bit_to_8bitmime_server(request, shared_tmp):
    sub = submission("e8", content=message("e8", EIGHT_BIT, EIGHT_BODY),
                     mail_options=["BODY=8BITMIME"])
    _, debian = run_case(
        request, shared_tmp, {}, sub,
        expect_commands=[session(f"MAIL FROM:<{SENDER}> SIZE=N "
                                 "BODY=8BITMIME")],
        expect_status=sent(R1))
    assert debian.contents[0].endswith(EIGHT_BODY.replace("\n", "\r\n")
                                       .encode())


def test_8bit_quoted_printable_without_8bitmime(request, shared_tmp):
    # Neither 8BITMIME nor SMTPUTF8: the body becomes quoted-printable,
    # and SIZE is left out (the conversion changes the size).
    sub = submission("qp", content=message("qp", EIGHT_BIT, EIGHT_BODY),
                     mail_options=["BODY=8BITMIME"])
    _, debian = run_case(
        request, shared_tmp, {"keywords": keywords("8BITMIME", "SMTPUTF8")},
        sub, expect_commands=[session(f"MAIL FROM:<{SENDER}>")],
        expect_status=sent(R1))
    assert debian.contents[0].endswith(
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"gr=C3=BC=C3=9Fe =3D caf=C3=A9\r\n"
        + b"x" * 73 + b"=\r\n" + b"x" * 27 + b"=C3=A9\r\n"
        b"end=20\r\n")


def test_8bit_to_smtputf8_server_without_8bitmime(request, shared_tmp):
    # A server that offers SMTPUTF8 but not 8BITMIME gets 8-bit mail as
    # is (Postfix logs a warning about that server).
    sub = submission("u8", content=message("u8", EIGHT_BIT, EIGHT_BODY),
                     mail_options=["BODY=8BITMIME"])
    ours, debian = run_case(
        request, shared_tmp, {"keywords": keywords("8BITMIME")}, sub,
        expect_commands=[session(f"MAIL FROM:<{SENDER}> SIZE=N "
                                 "BODY=8BITMIME")],
        expect_status=sent(R1))
    warning = f"host {HOST} offers SMTPUTF8 support, but not 8BITMIME"
    assert warning in debian.log
    assert warning in ours.log


def test_no_size(request, shared_tmp):
    run_case(request, shared_tmp, {"keywords": keywords("SIZE")},
             submission("nosize"),
             expect_commands=[session(f"MAIL FROM:<{SENDER}>")],
             expect_status=sent(R1))


def test_size_value_is_the_queued_size(request, shared_tmp):
    # SIZE= is the message size that qmgr logs (size=).
    ours, debian = run_case(request, shared_tmp, {}, submission("size"),
                            expect_status=sent(R1))
    for side in (debian, ours):
        size = side.envelopes[0][1]["SIZE"]
        assert f", size={size}, nrcpt=1 (queue active)" in side.log


DSN_MAIL = ["RET=HDRS", "ENVID=env-123"]
DSN_RCPT = ["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;orig@dest.example"]


def test_dsn_passed_on(request, shared_tmp):
    run_case(request, shared_tmp, {},
             submission("dsn", mail_options=DSN_MAIL, rcpt_options=DSN_RCPT),
             expect_commands=[[
                 "EHLO test.example",
                 f"MAIL FROM:<{SENDER}> SIZE=N ENVID=env-123 RET=HDRS",
                 f"RCPT TO:<{R1}> ORCPT=rfc822;orig@dest.example "
                 "NOTIFY=SUCCESS,FAILURE", "DATA", ".", "QUIT"]],
             expect_status=sent(R1))


def test_dsn_server_without_dsn_gets_relayed_notice(request, shared_tmp):
    # Without DSN at the server: no DSN parameters, and the sender gets
    # a "relayed" notice for NOTIFY=SUCCESS (discarded here).
    run_case(request, shared_tmp, {"keywords": keywords("DSN")},
             submission("nodsn", mail_options=DSN_MAIL,
                        rcpt_options=DSN_RCPT),
             expect_commands=[session(orcpt=False)],
             expect_status=sent(R1), notices=1)


def test_dsn_from_sendmail_options(request, shared_tmp):
    run_case(request, shared_tmp, {},
             submission("dsnsm", via="sendmail",
                        sendmail_args=["-N", "success,delay", "-R", "full",
                                       "-V", "env-9"]),
             expect_commands=[[
                 "EHLO test.example",
                 f"MAIL FROM:<{SENDER}> SIZE=N ENVID=env-9 RET=FULL",
                 f"RCPT TO:<{R1}> ORCPT=rfc822;{R1} NOTIFY=SUCCESS,DELAY",
                 "DATA", ".", "QUIT"]],
             expect_status=sent(R1))


def test_smtputf8_required_but_not_offered(request, shared_tmp):
    rcpt = "r\u00fc@dest.example"
    run_case(request, shared_tmp, {"keywords": keywords("SMTPUTF8")},
             submission("utf8", (rcpt,), mail_options=["SMTPUTF8"]),
             expect_commands=[["EHLO test.example", "QUIT"]],
             expect_status=status(
                 "5.6.7", "bounced", "SMTPUTF8 is required, but was not "
                 f"offered by host {HOST}", rcpt), notices=1)


def test_xforward(request, shared_tmp):
    run_case(request, shared_tmp,
             {"keywords": keywords(extra=[
                 "XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT"])},
             submission("xfwd"),
             expect_commands=[[
                 "EHLO test.example",
                 "XFORWARD NAME=localhost ADDR=127.0.0.1 PORT=N",
                 "XFORWARD PROTO=ESMTP HELO=client.example IDENT=QUEUEID "
                 "SOURCE=LOCAL", *ONE[1:]]],
             expect_status=sent(R1), smtp_send_xforward_command="yes")


# Replies at each stage: (script, expected commands, dsn, status, text).
REFUSED = f"host {HOST} refused to talk to me: "
STAGE_CASES = {
    "greeting-5xx": ({"replies": {"greeting": "554 5.7.1 go away"}},
                     [["QUIT"]], "4.7.1", "deferred",
                     REFUSED + "554 5.7.1 go away"),
    "greeting-421": ({"replies": {"greeting": "421 4.3.2 busy"},
                      "hangup_421": False},
                     [["QUIT"]], "4.3.2", "deferred",
                     REFUSED + "421 4.3.2 busy"),
    "ehlo-5xx-helo": ({"replies": {"ehlo": "502 5.5.2 what"}},
                      [["EHLO test.example", "HELO test.example",
                        f"MAIL FROM:<{SENDER}>", f"RCPT TO:<{R1}>",
                        f"RCPT TO:<{R2}>", "DATA", ".", "QUIT"]],
                      "2.0.0", "sent", "250 2.0.0 Ok: queued as SCRIPT1"),
    "ehlo-4xx-helo": ({"replies": {"ehlo": "451 4.3.0 later"}},
                      [["EHLO test.example", "HELO test.example",
                        f"MAIL FROM:<{SENDER}>", f"RCPT TO:<{R1}>",
                        f"RCPT TO:<{R2}>", "DATA", ".", "QUIT"]],
                      "2.0.0", "sent", "250 2.0.0 Ok: queued as SCRIPT1"),
    "ehlo-421": ({"replies": {"ehlo": "421 4.3.2 closing"},
                  "hangup_421": False},
                 [["EHLO test.example", "QUIT"]], "4.3.2", "deferred",
                 REFUSED + "421 4.3.2 closing"),
    "helo-5xx": ({"replies": {"ehlo": "502 5.5.2 what",
                              "helo": "501 5.5.2 bad helo"}},
                 [["EHLO test.example", "HELO test.example", "QUIT"]],
                 "5.5.2", "bounced", REFUSED + "501 5.5.2 bad helo"),
    "mail-5xx": ({"replies": {"mail": "553 5.1.8 bad sender"}},
                 [TWO[:5] + ["RSET", "QUIT"]], "5.1.8", "bounced",
                 said("553 5.1.8 bad sender", "MAIL FROM")),
    "mail-4xx": ({"replies": {"mail": "451 4.3.0 later"}},
                 [TWO[:5] + ["RSET", "QUIT"]], "4.3.0", "deferred",
                 said("451 4.3.0 later", "MAIL FROM")),
    "rcpt-5xx-all": ({"replies": {"rcpt": "550 5.1.1 no such user"}},
                     [TWO[:5] + ["RSET", "QUIT"]], "5.1.1", "bounced",
                     said("550 5.1.1 no such user", "RCPT TO")),
    "data-5xx": ({"replies": {"data": "554 5.5.1 no data"}},
                 [TWO[:5] + ["RSET", "QUIT"]], "5.5.1", "bounced",
                 said("554 5.5.1 no data", "DATA")),
    "data-4xx": ({"replies": {"data": "451 4.3.0 later"}},
                 [TWO[:5] + ["RSET", "QUIT"]], "4.3.0", "deferred",
                 said("451 4.3.0 later", "DATA")),
    "dot-5xx": ({"replies": {"dot": "554 5.7.1 rejected content"}},
                [TWO], "5.7.1", "bounced",
                said("554 5.7.1 rejected content", "end of DATA")),
    "dot-4xx": ({"replies": {"dot": "452 4.3.1 no space"}},
                [TWO], "4.3.1", "deferred",
                said("452 4.3.1 no space", "end of DATA")),
}


@pytest.mark.parametrize("case", list(STAGE_CASES))
def test_reply_at_stage(request, shared_tmp, case):
    script, commands, dsn, state, text = STAGE_CASES[case]
    run_case(request, shared_tmp, script, submission(case, (R1, R2)),
             expect_commands=commands,
             expect_status=status(dsn, state, text, R1, R2),
             notices=1 if state == "bounced" else 0)


@pytest.mark.parametrize("reply,dsn,state", [
    ("550 5.1.1 no such user", "5.1.1", "bounced"),
    ("450 4.2.0 greylisted", "4.2.0", "deferred"),
    ("550-5.1.1 first line\n550-5.1.1 second line\n550 5.1.1 third line",
     "5.1.1", "bounced"),
], ids=["5xx", "4xx", "multiline-5xx"])
def test_one_of_two_recipients_refused(request, shared_tmp, reply, dsn,
                                       state):
    # Multi-line replies are logged joined by spaces.
    text = said(reply.replace("\n", " "), "RCPT TO")
    run_case(request, shared_tmp, {"rcpt_replies": {R2: reply}},
             submission("rcpt", (R1, R2)), expect_commands=[TWO],
             expect_status={**sent(R1),
                            **status(dsn, state, text, R2)},
             notices=1 if state == "bounced" else 0)


LOST = f"lost connection with {HOST} while "
DROP_CASES = {
    "greeting": ([[]], "receiving the initial server greeting"),
    "ehlo": ([["EHLO test.example"]], "performing the EHLO handshake"),
    "mail": ([TWO[:5]], "sending MAIL FROM"),
    "rcpt": ([TWO[:5]], "sending RCPT TO"),
    "data": ([TWO[:5]], "sending DATA command"),
    "dot": ([TWO], "sending end of data -- message may be sent more "
            "than once"),
}


@pytest.mark.parametrize("stage", list(DROP_CASES))
def test_connection_dropped_at_stage(request, shared_tmp, stage):
    commands, text = DROP_CASES[stage]
    run_case(request, shared_tmp, {"drop_at": stage},
             submission("drop-" + stage, (R1, R2)),
             expect_commands=commands,
             expect_status=status("4.4.2", "deferred", LOST + text, R1, R2))


def test_connection_dropped_after_end_of_data_reply(request, shared_tmp):
    # A drop at QUIT is after the message was accepted: sent.
    run_case(request, shared_tmp, {"drop_at": "quit"},
             submission("drop-quit", (R1, R2)), expect_commands=[TWO],
             expect_status=sent(R1, R2))


@pytest.mark.parametrize("stage,timeout,text,commands", [
    ("mail", "smtp_mail_timeout", "sending MAIL FROM", ONE[:4]),
    ("dot", "smtp_data_done_timeout", "sending end of data -- message "
     "may be sent more than once", ONE),
])
def test_stalled_server_times_out(request, shared_tmp, stage, timeout, text,
                                  commands):
    run_case(request, shared_tmp,
             {"stall": {stage: 6}, "hangup_ends_stall": True},
             submission("stall-" + stage),
             expect_commands=[commands],
             expect_status=status("4.4.2", "deferred",
                                  f"conversation with {HOST} timed out "
                                  f"while {text}", R1),
             **{timeout: "2s"})


@pytest.mark.parametrize("limit", [None, "100"])
def test_long_lines_are_broken(request, shared_tmp, limit):
    body = "a" * 2100 + "\n" + "b " * 600 + "\nshort\n"
    settings = {"smtp_line_length_limit": limit} if limit else {}
    ours, debian = run_case(request, shared_tmp, {},
                            submission("long", content=message("long", "",
                                                               body)),
                            expect_commands=[ONE], expect_status=sent(R1),
                            **settings)
    width = int(limit or 998)
    lines = debian.contents[0].split(b"\r\n")
    assert max(len(line) for line in lines) == width
    assert b"\r\n " + b"a" * (width - 1) + b"\r\n" in debian.contents[0]
    if limit:
        assert f"breaking line > {limit} bytes with <CR><LF>SPACE" \
            in debian.log


def test_quote_rfc821_envelope(request, shared_tmp):
    quoted = '"john doe"@dest.example'
    run_case(request, shared_tmp, {},
             submission("quote", (quoted, "a.b@dest.example")),
             expect_commands=[[
                 "EHLO test.example", f"MAIL FROM:<{SENDER}> SIZE=N",
                 "RCPT TO:<a.b@dest.example> ORCPT=rfc822;a.b@dest.example",
                 f'RCPT TO:<{quoted}> ORCPT=rfc822;"john+20doe"@dest.example',
                 "DATA", ".", "QUIT"]],
             expect_status=sent(quoted, "a.b@dest.example"))


def test_quote_rfc821_envelope_off(request, shared_tmp):
    quoted = '"john doe"@dest.example'
    run_case(request, shared_tmp, {}, submission("noquote", (quoted,)),
             expect_commands=[[
                 "EHLO test.example", f"MAIL FROM:<{SENDER}> SIZE=N",
                 "RCPT TO:<john doe@dest.example> "
                 'ORCPT=rfc822;"john+20doe"@dest.example',
                 "DATA", ".", "QUIT"]],
             expect_status=sent(quoted), smtp_quote_rfc821_envelope="no")


def test_quoted_sender(request, shared_tmp):
    sender = '"odd sender"@origin.example'
    run_case(request, shared_tmp, {},
             submission("qsender", sender=sender),
             expect_commands=[session(f"MAIL FROM:<{sender}> SIZE=N")],
             expect_status=sent(R1))


def test_generic_maps(request, shared_tmp):
    table = shared_tmp / "generic"
    table.write_text("sender@origin.example gen@generic.example\n"
                     "@origin.example all@generic.example\n")
    table_ready(table)
    _, debian = run_case(
        request, shared_tmp, {},
        submission("generic", content=message(
            "generic", "Cc: sender@origin.example, other@origin.example\n")),
        expect_commands=[session("MAIL FROM:<gen@generic.example> SIZE=N")],
        expect_status=sent(R1), smtp_generic_maps=f"texthash:{table}")
    assert b"\r\nFrom: Sender <gen@generic.example>\r\n" in debian.contents[0]
    assert b"\r\nCc: gen@generic.example, all@generic.example\r\n" \
        in debian.contents[0]
    # Message-ID is not an address header: left alone.
    assert b"Message-ID: <generic@origin.example>" in debian.contents[0]


@pytest.mark.parametrize("stage,timeout,text,commands", [
    ("greeting", "smtp_helo_timeout",
     "receiving the initial server greeting", []),
    ("ehlo", "smtp_helo_timeout", "performing the EHLO handshake",
     ONE[:1]),
    ("rcpt", "smtp_rcpt_timeout", "sending RCPT TO", ONE[:4]),
    ("data", "smtp_data_init_timeout", "sending DATA command", ONE[:4]),
], ids=["greeting", "ehlo", "rcpt", "data"])
def test_stall_timeouts_of_other_stages(request, shared_tmp, stage, timeout,
                                        text, commands):
    run_case(request, shared_tmp,
             {"stall": {stage: 5}, "hangup_ends_stall": True},
             submission("stall-" + stage), expect_commands=[commands],
             expect_status=status("4.4.2", "deferred",
                                  f"conversation with {HOST} timed out "
                                  f"while {text}", R1),
             **{timeout: "2s"})


def test_5xx_greeting_not_skipped(request, shared_tmp):
    # smtp_skip_5xx_greeting = no: a 5xx greeting bounces.
    run_case(request, shared_tmp,
             {"replies": {"greeting": "554 5.7.1 go away"}},
             submission("noskip"), expect_commands=[["QUIT"]],
             expect_status=status("5.7.1", "bounced",
                                  REFUSED + "554 5.7.1 go away", R1),
             notices=1, smtp_skip_5xx_greeting="no")


HELO_SESSION = ["HELO test.example", f"MAIL FROM:<{SENDER}>",
                f"RCPT TO:<{R1}>", "DATA", ".", "QUIT"]


@pytest.mark.parametrize("greeting,settings,commands", [
    ("220 script.example ESMTP", {"smtp_never_send_ehlo": "yes"},
     HELO_SESSION),
    ("220 script.example ready", {"smtp_always_send_ehlo": "no"},
     HELO_SESSION),
    ("220 script.example ESMTP ready", {"smtp_always_send_ehlo": "no"},
     ONE),
    ("220 script.example ready", {}, ONE),
], ids=["never-ehlo", "no-esmtp-in-greeting", "esmtp-in-greeting",
        "always-ehlo"])
def test_ehlo_or_helo(request, shared_tmp, greeting, settings, commands):
    run_case(request, shared_tmp, {"greeting": greeting},
             submission("helo"), expect_commands=[commands],
             expect_status=sent(R1), **settings)


def test_discard_ehlo_keywords(request, shared_tmp):
    # Without PIPELINING (discarded) the commands go one at a time; DSN
    # discarded: no ORCPT/NOTIFY; SIZE discarded: no SIZE=.
    _, debian = run_case(
        request, shared_tmp, {},
        submission("discard", mail_options=DSN_MAIL, rcpt_options=DSN_RCPT),
        expect_commands=[session(f"MAIL FROM:<{SENDER}>", orcpt=False)],
        expect_status=sent(R1), notices=1,
        smtp_discard_ehlo_keywords="pipelining, dsn, size")
    assert debian.groups == [[[line] for line in debian.commands[0]]]


def test_null_sender(request, shared_tmp):
    run_case(request, shared_tmp, {}, submission("null", sender=""),
             expect_commands=[session("MAIL FROM:<> SIZE=N")],
             expect_status=sent(R1))


def test_many_recipients_one_transaction(request, shared_tmp):
    rcpts = [f"r{i:02d}@dest.example" for i in range(12)]
    _, debian = run_case(
        request, shared_tmp, {"rcpt_replies": {"r05@dest.example":
                                               "452 4.5.3 too many"}},
        submission("many", rcpts), expect_commands=[session(rcpts=rcpts)],
        expect_status={**sent(*(r for r in rcpts if r != "r05@dest.example")),
                       **status("4.5.3", "deferred",
                                said("452 4.5.3 too many", "RCPT TO"),
                                "r05@dest.example")})
    assert debian.envelopes[0][2] == [(r, {"ORCPT": f"rfc822;{r}"})
                                      for r in rcpts]


def test_header_and_body_checks(request, shared_tmp):
    header = shared_tmp / "header_checks"
    header.write_text("/^Subject: differential checks/ "
                      "REPLACE Subject: replaced\n"
                      "/^X-Drop:/ IGNORE\n")
    body = shared_tmp / "body_checks"
    body.write_text("/^secret line$/ REPLACE public line\n")
    for table in (header, body):
        table_ready(table)
    _, debian = run_case(
        request, shared_tmp, {},
        submission("checks", content=message(
            "checks", "X-Drop: me\n", "secret line\nother line\n")),
        expect_commands=[ONE], expect_status=sent(R1),
        smtp_header_checks=f"regexp:{header}",
        smtp_body_checks=f"regexp:{body}")
    content = debian.contents[0]
    assert b"\r\nSubject: replaced\r\n" in content
    assert b"X-Drop" not in content
    assert content.endswith(b"\r\n\r\npublic line\r\nother line\r\n")


def test_bdat_is_ours(request, shared_tmp):
    """BDAT (smtp_use_bdat, ours): the message as BDAT chunks where
    Postfix sends DATA; the delivered content is the same bytes
    (smtp-client-differences.md)."""
    script = {"keywords": keywords()}
    sub = submission("bdat")
    sides = request.getfixturevalue("mta_sides")
    debian = sides.run_debian(script, sub)
    if DEBIAN_ONLY:
        pytest.skip("POSTEL_DIFF_DEBIAN_ONLY")
    ours = sides.run_ours(script, sub, smtp_use_bdat="yes")
    commands = ours.commands[0]
    assert commands[:3] == ONE[:3]
    assert "DATA" not in commands
    assert all(c.startswith("BDAT ") for c in commands[3:-1])
    assert commands[-2].endswith(" LAST") and commands[-1] == "QUIT"
    assert ours.server.messages[0].bdat_chunks
    assert ours.contents == debian.contents
    assert ours.status[R1]["status"] == "sent"


# Odd and malformed replies: what the client makes of them. Each case:
# (script, expected commands of Debian, {recipient: (dsn, status,
# text)} or None when the text is checked only against ours).
SAID_RCPT = "(in reply to RCPT TO command)"
ODD_REPLIES = {
    "greeting-code-only": (
        {"greeting": b"220\r\n"},
        [["HELO test.example", f"MAIL FROM:<{SENDER}>", f"RCPT TO:<{R1}>",
          f"RCPT TO:<{R2}>", "DATA", ".", "QUIT"]], sent(R1, R2)),
    "ehlo-bare-lf": (
        {"replies": {"ehlo": b"250-script.example\n250-PIPELINING\n"
                             b"250 8BITMIME\n"}},
        [["EHLO test.example", f"MAIL FROM:<{SENDER}>", f"RCPT TO:<{R1}>",
          f"RCPT TO:<{R2}>", "DATA", ".", "QUIT"]], sent(R1, R2)),
    "lowercase-keywords": (
        {"keywords": ["pipelining", "size 1000000", "8bitmime", "dsn"]},
        [TWO], sent(R1, R2)),
    "rcpt-not-a-reply": (
        # Both clients wait until the server gives up on them: 5 s.
        {"rcpt_replies": {R2: b"hello there\r\n"}, "idle_timeout": 5.0},
        [TWO[:5]],
        {R1: ("4.4.2", "deferred", LOST + "sending DATA command"),
         R2: ("5.5.0", "bounced", f"host {HOST} said: hello there 354 End "
              f"data with <CR><LF>.<CR><LF> {SAID_RCPT}")}),
    "rcpt-code-without-space": (
        {"rcpt_replies": {R2: b"250ok\r\n"}, "idle_timeout": 5.0},
        [TWO[:5]],
        {R1: ("4.4.2", "deferred", LOST + "sending DATA command"),
         R2: ("5.5.0", "bounced", f"host {HOST} said: 250ok 354 End "
              f"data with <CR><LF>.<CR><LF> {SAID_RCPT}")}),
    "rcpt-8bit-and-tab": (
        {"rcpt_replies": {R2: "550 5.1.1 b\u00e4d user\tTAB"}}, [TWO],
        {**sent(R1), R2: ("5.1.1", "bounced", f"host {HOST} said: 550 "
                          f"5.1.1 b\u00e4d user?TAB {SAID_RCPT}")}),
    "rcpt-mixed-multiline-codes": (
        {"rcpt_replies": {R2: "550-5.1.1 first\n551 5.1.1 second"}}, [TWO],
        {**sent(R1), R2: ("5.1.1", "bounced", f"host {HOST} said: "
                          f"550-5.1.1 first 551 5.1.1 second {SAID_RCPT}")}),
    "rcpt-5xx-without-enhanced-code": (
        {"rcpt_replies": {R2: "550 no such user"}}, [TWO],
        {**sent(R1), R2: ("5.0.0", "bounced", f"host {HOST} said: 550 no "
                          f"such user {SAID_RCPT}")}),
    "rcpt-4xx-without-enhanced-code": (
        {"rcpt_replies": {R2: "452 too many"}}, [TWO],
        {**sent(R1), R2: ("4.0.0", "deferred", f"host {HOST} said: 452 too "
                          f"many {SAID_RCPT}")}),
    "reply-line-over-2048": (
        {"replies": {"dot": "250 2.0.0 " + "x" * 5000}}, [TWO], None),
    "reply-of-2000-lines": (
        {"rcpt_replies": {R2: "\n".join(
            [f"550-5.1.1 line {i}" for i in range(2000)]
            + ["550 5.1.1 end"])}}, [TWO], None),
}


@pytest.mark.parametrize("case", list(ODD_REPLIES))
def test_odd_replies(request, shared_tmp, case):
    script, commands, expect = ODD_REPLIES[case]
    bounced = expect is None or any(v[1] == "bounced"
                                    for v in expect.values())
    long_reply = case.startswith("reply-")
    ours, debian = run_case(request, shared_tmp, script,
                            submission(case, (R1, R2)),
                            expect_commands=commands, expect_status=expect,
                            notices=1 if bounced and case != "reply-line-"
                            "over-2048" else 0, cut_text=long_reply)
    if long_reply:
        # Postfix keeps the first 2048 bytes of a reply line, and about
        # as much of a long multi-line reply.
        for side in (ours, debian):
            assert side.status[R1]["status"] == "sent"
        text = ours.status[R1]["text"] if case == "reply-line-over-2048" \
            else ours.status[R2]["text"]
        assert len(text) <= 2048 + len(f"host {HOST} said:  {SAID_RCPT}")
