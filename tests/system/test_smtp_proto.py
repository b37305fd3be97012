"""smtp(8)/lmtp(8) on the wire: the exact command stream our client sends
to a scripted server (smtp_script.ScriptServer), and how it groups its
writes, compared with Debian's Postfix 3.7 sending the same message to a
server with the same script.

Each test runs our mail system (smtpd on a loopback port, cleanup, qmgr,
smtp ...) with relayhost (or default_transport for LMTP) pointing at the
scripted server, submits one message through our smtpd, waits for every
recipient's status line and for the server's connection to end, and
compares the commands grouped by the server's recv() chunks (one group =
one write of the client under PIPELINING) and the status lines with
fixed expectations. When root and Debian's Postfix are available, the
same is done with a throwaway Debian instance and both must agree.
The fixed expectations are Debian's: they were recorded the same way.

Covered: plain delivery with and without PIPELINING (MAIL, RCPT, DATA in
one write; the end of data and QUIT in one write), SIZE and BODY=8BITMIME
(and neither when the content will be downgraded), DSN parameters
(ENVID, RET, NOTIFY, ORCPT and their order), SMTPUTF8 (used, not needed,
required but not offered: 5.6.7), XFORWARD (attribute grouping), a lost
connection and a timeout at each stage (the exact "while ..." texts),
4xx/5xx at each stage (RSET and QUIT after a failed transaction, nothing
after 421, HELO after a refused EHLO, QUIT after a refused greeting),
multi-line and non-SMTP replies, LMTP's per-recipient replies, and BDAT
(ours only: Debian's client has no CHUNKING).
"""

import re
import smtplib
import time

import pytest

from smtp_dialogue import debian_smtpd, our_instance, ours_smtpd
from smtp_script import ScriptServer
from test_smtp_status import normalized, status_lines

TIMEOUT = 60.0
HOST = "127.0.0.1[127.0.0.1]"
RELAY = HOST + ":PORT"
BODY = ("From: sender@client.example\r\n"
        "To: rcpt@remote.example\r\n"
        "Subject: proto test\r\n"
        "\r\n"
        "body line\r\n")
BODY_8BIT = ("From: sender@client.example\r\n"
             "To: rcpt@remote.example\r\n"
             "Subject: proto test\r\n"
             "MIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=utf-8\r\n"
             "Content-Transfer-Encoding: 8bit\r\n"
             "\r\n"
             "h\u00e9llo\r\n")
RCPT = "rcpt@remote.example"
ORCPT = "ORCPT=rfc822;rcpt@remote.example"
# Short stage timeouts so that the stall tests end soon (both sides).
TIMEOUTS = {f"smtp_{stage}_timeout": "2s" for stage in (
    "helo", "mail", "rcpt", "data_init", "data_xfer", "data_done", "quit",
    "rset", "xforward")}
STALL = 6


def norm_command(line):
    """A command without what differs between runs."""
    line = re.sub(r"SIZE=\d+", "SIZE=N", line)
    line = re.sub(r"PORT=\d+", "PORT=N", line)
    line = re.sub(r"IDENT=\S+", "IDENT=QID", line)
    return re.sub(r"^(BDAT) \d+", r"\1 N", line)


def submit(port, rcpts, sender, body, mail_options, rcpt_options):
    """One message through an smtpd on 127.0.0.1:port."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo("client.example")
        client.sendmail(sender, list(rcpts), body.encode("utf-8"),
                        mail_options=list(mail_options),
                        rcpt_options=list(rcpt_options))


def wait_status(mta, rcpts, timeout=TIMEOUT):
    """The status lines of rcpts, each once it is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [s for s in status_lines(mta.log_text()) if s["to"] in rcpts]
        if {s["to"] for s in lines} >= set(rcpts):
            return lines
        time.sleep(0.1)
    raise AssertionError("no status line for every recipient:\n"
                         + mta.log_text()[-3000:])


class Run:
    """What one side did: the first connection's command groups, the
    normalized status lines, the log, the messages the server got."""

    def __init__(self, srv, lines, log):
        conn = srv.connections[0] if srv.connections else None
        self.groups = ([[norm_command(c) for c in g] for g in conn.groups()]
                       if conn else [])
        self.status = normalized(lines, {srv.port: "PORT"})
        self.log = log
        self.messages = list(srv.messages)
        self.conn = conn


def run_side(side, request, shared_tmp, server_options, rcpts=(RCPT,),
             sender="", body=BODY, mail_options=(), rcpt_options=(),
             lmtp=False, **settings):
    """Send one message with our system or Debian's; None without it."""
    server_options = dict(server_options)
    if lmtp:
        server_options["lmtp"] = True
    with ScriptServer(**server_options) as srv:
        if lmtp:
            settings.setdefault("default_transport",
                                f"lmtp:inet:127.0.0.1:{srv.port}")
        else:
            settings.setdefault("relayhost", srv.address)
        settings.setdefault("smtp_connection_cache_on_demand", "no")
        if side == "ours":
            context = ours_smtpd(our_instance(request), **settings)
        else:
            context = debian_smtpd(shared_tmp / "deb", master_extra=(
                "lmtp unix - - n - - lmtp\n" if lmtp else ""), **settings)
        try:
            with context as mta:
                submit(mta.port, rcpts, sender, body, mail_options,
                       rcpt_options)
                lines = wait_status(mta, rcpts)
                srv.wait_connections(1, timeout=TIMEOUT)
                return Run(srv, lines, mta.log_text())
        except pytest.skip.Exception:
            if side == "ours":
                raise
            return None


def both(request, shared_tmp, server_options, groups, status, **kw):
    """Ours and Debian's against the same script; each must match the
    expected groups and status, so they match each other."""
    runs = {}
    for side in ("ours", "debian"):
        run = run_side(side, request, shared_tmp, server_options, **kw)
        if run is None:
            continue
        runs[side] = run
        assert run.groups == groups, f"{side}: {run.groups}"
        assert run.status == status, f"{side}: {run.status}"
    return runs


def sent(rcpt=RCPT, relay=RELAY):
    """The status of a delivered recipient."""
    return {rcpt: (None, relay, "2.0.0", "sent",
                   "250 2.0.0 Ok: queued as X")}


def failed(text, dsn, status="deferred", rcpt=RCPT, relay=RELAY):
    return {rcpt: (None, relay, dsn, status, text)}


PLAIN = [["EHLO test.example"],
         ["MAIL FROM:<> SIZE=N", f"RCPT TO:<{RCPT}> {ORCPT}", "DATA"],
         [".", "QUIT"]]
NOPIPE_KEYWORDS = ["SIZE 10240000", "8BITMIME", "ENHANCEDSTATUSCODES",
                   "DSN"]


def test_plain_pipelining(request, shared_tmp):
    """MAIL, RCPT, DATA in one write; the end of data and QUIT in one."""
    runs = both(request, shared_tmp, {}, PLAIN, sent())
    assert runs["ours"].messages[0].data.endswith(b"body line\r\n")


def test_no_pipelining(request, shared_tmp):
    """Without PIPELINING every command waits for its reply."""
    both(request, shared_tmp, {"keywords": NOPIPE_KEYWORDS},
         [["EHLO test.example"], ["MAIL FROM:<> SIZE=N"],
          [f"RCPT TO:<{RCPT}> {ORCPT}"], ["DATA"], ["."], ["QUIT"]],
         sent())


def test_no_esmtp_keywords(request, shared_tmp):
    """No SIZE, DSN or 8BITMIME offered: bare MAIL and RCPT."""
    both(request, shared_tmp, {"keywords": ["PIPELINING"]},
         [["EHLO test.example"],
          ["MAIL FROM:<>", f"RCPT TO:<{RCPT}>", "DATA"], [".", "QUIT"]],
         sent())


def test_8bitmime(request, shared_tmp):
    """An 8-bit message: SIZE then BODY=8BITMIME."""
    both(request, shared_tmp, {},
         [["EHLO test.example"],
          ["MAIL FROM:<> SIZE=N BODY=8BITMIME", f"RCPT TO:<{RCPT}> {ORCPT}",
           "DATA"], [".", "QUIT"]],
         sent(), body=BODY_8BIT, mail_options=["BODY=8BITMIME"])


def test_8bit_without_8bitmime(request, shared_tmp):
    """The server lacks 8BITMIME: no BODY=, and no SIZE= either (the
    content will be converted, so its size is not known)."""
    both(request, shared_tmp, {"keywords": ["PIPELINING", "SIZE 1000000"]},
         [["EHLO test.example"],
          ["MAIL FROM:<>", f"RCPT TO:<{RCPT}>", "DATA"], [".", "QUIT"]],
         sent(), body=BODY_8BIT, mail_options=["BODY=8BITMIME"])


def test_dsn_parameters(request, shared_tmp):
    """ENVID before RET; ORCPT before NOTIFY; values xtext-encoded."""
    both(request, shared_tmp, {},
         [["EHLO test.example"],
          ["MAIL FROM:<s@client.example> SIZE=N ENVID=env+2B1 RET=HDRS",
           f"RCPT TO:<{RCPT}> ORCPT=rfc822;x+2By@client.example "
           "NOTIFY=SUCCESS,DELAY", "DATA"], [".", "QUIT"]],
         sent(), sender="s@client.example",
         mail_options=["RET=HDRS", "ENVID=env+2B1"],
         rcpt_options=["NOTIFY=SUCCESS,DELAY",
                       "ORCPT=rfc822;x+2By@client.example"])


def test_smtputf8_offered(request, shared_tmp):
    """SMTPUTF8 requested and offered: after SIZE and BODY."""
    rcpt = "r\u00e9@remote.example"
    both(request, shared_tmp, {},
         [["EHLO test.example"],
          ["MAIL FROM:<> SIZE=N BODY=8BITMIME SMTPUTF8",
           f"RCPT TO:<{rcpt}> ORCPT=rfc822;r+C3+A9@remote.example", "DATA"],
          [".", "QUIT"]],
         sent(rcpt), rcpts=(rcpt,), body=BODY_8BIT,
         mail_options=["SMTPUTF8", "BODY=8BITMIME"])


def test_smtputf8_required_not_offered(request, shared_tmp):
    """A UTF-8 recipient and no SMTPUTF8: returned, 5.6.7, then QUIT."""
    rcpt = "r\u00e9@remote.example"
    both(request, shared_tmp, {"keywords": ["PIPELINING", "8BITMIME"]},
         [["EHLO test.example"], ["QUIT"]],
         {rcpt: (None, RELAY, "5.6.7", "bounced",
                 f"SMTPUTF8 is required, but was not offered by host {HOST}")},
         rcpts=(rcpt,), mail_options=["SMTPUTF8"])


def test_smtputf8_not_needed(request, shared_tmp):
    """SMTPUTF8 requested, all ASCII, not offered: sent without it."""
    both(request, shared_tmp, {"keywords": ["PIPELINING", "8BITMIME"]},
         [["EHLO test.example"],
          ["MAIL FROM:<>", f"RCPT TO:<{RCPT}>", "DATA"], [".", "QUIT"]],
         sent(), mail_options=["SMTPUTF8"])


def test_xforward(request, shared_tmp):
    """NAME ADDR PORT in one command, PROTO HELO IDENT SOURCE in another,
    pipelined with MAIL."""
    runs = both(request, shared_tmp,
                {"keywords": ["PIPELINING",
                              "XFORWARD NAME ADDR PROTO HELO SOURCE PORT "
                              "IDENT"]},
                [["EHLO test.example"],
                 ["XFORWARD NAME=localhost ADDR=127.0.0.1 PORT=N",
                  "XFORWARD PROTO=ESMTP HELO=client.example IDENT=QID "
                  "SOURCE=LOCAL", "MAIL FROM:<>", f"RCPT TO:<{RCPT}>",
                  "DATA"], [".", "QUIT"]],
                sent(), smtp_send_xforward_command="yes")
    for run in runs.values():
        ident = run.conn.xforward["IDENT"]
        assert re.search(rf"\b{ident}: to=<{RCPT}>", run.log), ident


def test_xforward_partial_offer(request, shared_tmp):
    """Only the attributes the server names."""
    both(request, shared_tmp, {"keywords": ["XFORWARD ADDR HELO"]},
         [["EHLO test.example"],
          ["XFORWARD ADDR=127.0.0.1"], ["XFORWARD HELO=client.example"],
          ["MAIL FROM:<>"], [f"RCPT TO:<{RCPT}>"], ["DATA"], ["."],
          ["QUIT"]],
         sent(), smtp_send_xforward_command="yes")


DROPS = [
    ("greeting", [], "receiving the initial server greeting"),
    ("ehlo", [["EHLO test.example"]], "performing the EHLO handshake"),
    ("mail", PLAIN[:2], "sending MAIL FROM"),
    ("rcpt", PLAIN[:2], "sending RCPT TO"),
    ("data", PLAIN[:2], "sending DATA command"),
    ("dot", PLAIN, "sending end of data -- message may be sent more than "
     "once"),
]


@pytest.mark.parametrize("stage,groups,text", DROPS,
                         ids=[d[0] for d in DROPS])
def test_lost_connection(request, shared_tmp, stage, groups, text):
    """The server closes the connection at each stage."""
    both(request, shared_tmp, {"drop_at": {stage}}, groups,
         failed(f"lost connection with {HOST} while {text}", "4.4.2"))


NOPIPE_DROPS = [
    ("mail", [["EHLO test.example"], ["MAIL FROM:<>"]], "sending MAIL FROM"),
    ("rcpt", [["EHLO test.example"], ["MAIL FROM:<>"],
              [f"RCPT TO:<{RCPT}>"]], "sending RCPT TO"),
    ("data", [["EHLO test.example"], ["MAIL FROM:<>"],
              [f"RCPT TO:<{RCPT}>"], ["DATA"]], "sending DATA command"),
]


@pytest.mark.parametrize("stage,groups,text", NOPIPE_DROPS,
                         ids=[d[0] for d in NOPIPE_DROPS])
def test_lost_connection_no_pipelining(request, shared_tmp, stage, groups,
                                       text):
    """The same without PIPELINING: the commands stop where it broke."""
    both(request, shared_tmp, {"drop_at": {stage}, "keywords": ["8BITMIME"]},
         groups, failed(f"lost connection with {HOST} while {text}",
                        "4.4.2"))


STALLS = [
    ("greeting", "receiving the initial server greeting"),
    ("ehlo", "performing the EHLO handshake"),
    ("mail", "sending MAIL FROM"),
    ("rcpt", "sending RCPT TO"),
    ("data", "sending DATA command"),
    ("dot", "sending end of data -- message may be sent more than once"),
]


@pytest.mark.parametrize("stage,text", STALLS, ids=[s[0] for s in STALLS])
def test_timeout(request, shared_tmp, stage, text):
    """The server stalls at each stage longer than the stage's timeout."""
    runs = {}
    for side in ("ours", "debian"):
        run = run_side(side, request, shared_tmp,
                       {"stall": {stage: STALL}, "hangup_ends_stall": True},
                       **TIMEOUTS)
        if run is not None:
            runs[side] = run
            assert run.status == failed(
                f"conversation with {HOST} timed out while {text}",
                "4.4.2"), run.status
    if "debian" in runs:
        assert runs["ours"].groups == runs["debian"].groups


def test_greeting_refused(request, shared_tmp):
    """A 554 greeting (smtp_skip_5xx_greeting): deferred, then QUIT."""
    both(request, shared_tmp, {"greeting": "554 5.7.1 go away"}, [["QUIT"]],
         failed(f"host {HOST} refused to talk to me: 554 5.7.1 go away",
                "4.7.1"))


def test_greeting_421(request, shared_tmp):
    """Even after a 421 greeting the client says QUIT (the server here
    keeps the connection open, so that the QUIT is seen reliably)."""
    both(request, shared_tmp, {"greeting": "421 4.3.2 busy",
                               "hangup_421": False}, [["QUIT"]],
         failed(f"host {HOST} refused to talk to me: 421 4.3.2 busy",
                "4.3.2"))


@pytest.mark.parametrize("reply", ["502 5.5.2 no ehlo", "451 4.3.0 busy"])
def test_ehlo_refused_then_helo(request, shared_tmp, reply):
    """EHLO refused (5xx or 4xx): HELO, and no ESMTP parameters."""
    both(request, shared_tmp, {"replies": {"ehlo": reply}},
         [["EHLO test.example"], ["HELO test.example"], ["MAIL FROM:<>"],
          [f"RCPT TO:<{RCPT}>"], ["DATA"], ["."], ["QUIT"]], sent())


def test_mail_refused(request, shared_tmp):
    """MAIL 550: bounced; RSET and QUIT in one write."""
    both(request, shared_tmp, {"replies": {"mail": "550 5.7.1 sender no"}},
         PLAIN[:2] + [["RSET", "QUIT"]],
         failed(f"host {HOST} said: 550 5.7.1 sender no (in reply to MAIL "
                "FROM command)", "5.7.1", "bounced"))


def test_mail_421(request, shared_tmp):
    """MAIL 421: deferred, and nothing more is sent."""
    both(request, shared_tmp, {"replies": {"mail": "421 4.3.2 closing"}},
         PLAIN[:2],
         failed(f"host {HOST} said: 421 4.3.2 closing (in reply to MAIL "
                "FROM command)", "4.3.2"))


def test_recipients_refused(request, shared_tmp):
    """One RCPT 550, one accepted: the message goes to the other."""
    rcpts = ("a@remote.example", "b@remote.example")
    status = dict(failed(f"host {HOST} said: 550 5.1.1 no a (in reply to "
                         "RCPT TO command)", "5.1.1", "bounced",
                         rcpt="a@remote.example"))
    status.update(sent("b@remote.example"))
    both(request, shared_tmp,
         {"rcpt_replies": {"a@remote.example": "550 5.1.1 no a"}},
         [["EHLO test.example"],
          ["MAIL FROM:<> SIZE=N",
           "RCPT TO:<a@remote.example> ORCPT=rfc822;a@remote.example",
           "RCPT TO:<b@remote.example> ORCPT=rfc822;b@remote.example",
           "DATA"], [".", "QUIT"]],
         status, rcpts=rcpts)


@pytest.mark.parametrize("keywords", [None, ["8BITMIME"]],
                         ids=["pipelining", "lockstep"])
def test_all_recipients_refused(request, shared_tmp, keywords):
    """Every RCPT refused: no content; RSET then QUIT."""
    rcpts = ("a@remote.example", "b@remote.example")
    status = {}
    for r in rcpts:
        status.update(failed(f"host {HOST} said: 550 5.1.1 no (in reply to "
                             "RCPT TO command)", "5.1.1", "bounced", rcpt=r))
    options = {"replies": {"rcpt": "550 5.1.1 no"}}
    if keywords:
        options["keywords"] = keywords
        groups = [["EHLO test.example"], ["MAIL FROM:<>"],
                  ["RCPT TO:<a@remote.example>"],
                  ["RCPT TO:<b@remote.example>"], ["RSET"], ["QUIT"]]
    else:
        groups = [["EHLO test.example"],
                  ["MAIL FROM:<> SIZE=N",
                   "RCPT TO:<a@remote.example> ORCPT=rfc822;a@remote.example",
                   "RCPT TO:<b@remote.example> ORCPT=rfc822;b@remote.example",
                   "DATA"], ["RSET", "QUIT"]]
    both(request, shared_tmp, options, groups, status, rcpts=rcpts)


def test_data_refused(request, shared_tmp):
    both(request, shared_tmp, {"replies": {"data": "554 5.5.1 no data"}},
         PLAIN[:2] + [["RSET", "QUIT"]],
         failed(f"host {HOST} said: 554 5.5.1 no data (in reply to DATA "
                "command)", "5.5.1", "bounced"))


def test_end_of_data_deferred(request, shared_tmp):
    both(request, shared_tmp, {"replies": {"dot": "451 4.3.0 try later"}},
         PLAIN,
         failed(f"host {HOST} said: 451 4.3.0 try later (in reply to end of "
                "DATA command)", "4.3.0"))


def test_multi_line_reply(request, shared_tmp):
    """Lines joined with one space, codes kept; status from the last."""
    reply = "550-5.1.1 first line\n550-5.1.1 second line\n551 5.1.2 third"
    both(request, shared_tmp, {"rcpt_replies": {RCPT: reply}},
         PLAIN[:2] + [["RSET", "QUIT"]],
         failed(f"host {HOST} said: 550-5.1.1 first line 550-5.1.1 second "
                "line 551 5.1.2 third (in reply to RCPT TO command)",
                "5.1.2", "bounced"))


def test_status_code_class_mismatch(request, shared_tmp):
    both(request, shared_tmp,
         {"rcpt_replies": {RCPT: "550 4.1.1 class mismatch"}},
         PLAIN[:2] + [["RSET", "QUIT"]],
         failed(f"host {HOST} said: 550 4.1.1 class mismatch (in reply to "
                "RCPT TO command)", "5.0.0", "bounced"))


def test_non_smtp_reply_line(request, shared_tmp):
    """A line without a code is part of the reply, with two warnings."""
    runs = both(request, shared_tmp,
                {"rcpt_replies": {RCPT: "garbage reply\n550 5.1.1 after"}},
                PLAIN[:2] + [["RSET", "QUIT"]],
                failed(f"host {HOST} said: garbage reply 550 5.1.1 after "
                       "(in reply to RCPT TO command)", "5.1.1", "bounced"))
    for run in runs.values():
        assert re.search(r"warning: [0-9A-Za-z]+: non-ESMTP response from "
                         r"127\.0\.0\.1\[127\.0\.0\.1\]:\d+: garbage reply",
                         run.log)
        assert ("warning: to prevent loss of mail, turn off command "
                "pipelining for 127.0.0.1 with the "
                "smtp_discard_ehlo_keyword_address_maps parameter") in run.log


def test_discard_ehlo_keywords(request, shared_tmp):
    """smtp_discard_ehlo_keywords: PIPELINING and SIZE ignored."""
    runs = both(request, shared_tmp, {},
                [["EHLO test.example"], ["MAIL FROM:<>"],
                 [f"RCPT TO:<{RCPT}> {ORCPT}"], ["DATA"], ["."], ["QUIT"]],
                sent(), smtp_discard_ehlo_keywords="pipelining, size")
    for run in runs.values():
        assert "discarding EHLO keywords: PIPELINING SIZE" in run.log


def test_lmtp_per_recipient_replies(request, shared_tmp):
    """LMTP: LHLO, and one reply per accepted recipient after the dot."""
    rcpts = ("a@remote.example", "b@remote.example", "c@remote.example")
    status = {"a@remote.example": (None, RELAY, "2.1.5", "sent",
                                   "250 2.1.5 <a@remote.example> Ok")}
    status["b@remote.example"] = (
        None, RELAY, "5.2.2", "bounced",
        f"host {HOST} said: 552 5.2.2 <b@remote.example> full (in reply to "
        "end of DATA command)")
    status["c@remote.example"] = (
        None, RELAY, "4.2.1", "deferred",
        f"host {HOST} said: 451 4.2.1 later (in reply to end of DATA "
        "command)")
    both(request, shared_tmp,
         {"lmtp_replies": {"b@remote.example":
                           "552 5.2.2 <b@remote.example> full",
                           "c@remote.example": "451 4.2.1 later"}},
         [["LHLO test.example"],
          ["MAIL FROM:<> SIZE=N",
           "RCPT TO:<a@remote.example> ORCPT=rfc822;a@remote.example",
           "RCPT TO:<b@remote.example> ORCPT=rfc822;b@remote.example",
           "RCPT TO:<c@remote.example> ORCPT=rfc822;c@remote.example",
           "DATA"], [".", "QUIT"]],
         status, rcpts=rcpts, lmtp=True)


def test_bdat(request, shared_tmp):
    """Ours only: smtp_use_bdat = yes and CHUNKING: one BDAT LAST chunk,
    the raw content (no dot-stuffing), QUIT in the same write."""
    body = BODY + ".leading dot\r\n"
    run = run_side("ours", request, shared_tmp, {}, body=body,
                   smtp_use_bdat="yes")
    assert run.groups == [["EHLO test.example"],
                          ["MAIL FROM:<> SIZE=N",
                           f"RCPT TO:<{RCPT}> {ORCPT}"],
                          ["BDAT N LAST", "QUIT"]], run.groups
    assert run.status == {RCPT: (None, RELAY, "2.0.0", "sent",
                                 "250 2.0.0 Ok: queued as X")}
    message = run.messages[0]
    assert len(message.bdat_chunks) == 1
    assert message.data.endswith(b"body line\r\n.leading dot\r\n")


def test_bdat_off_by_default(request, shared_tmp):
    """CHUNKING offered but smtp_use_bdat = no: DATA as Postfix."""
    run = run_side("ours", request, shared_tmp, {})
    assert run.groups == PLAIN


def test_pix_banner(request, shared_tmp):
    """A masked one-line banner: HELO (disable_esmtp), logged; the dot
    delay is not used for a new message."""
    runs = both(request, shared_tmp,
                {"greeting": "220 " + "*" * 30},
                [["HELO test.example"], ["MAIL FROM:<>"],
                 [f"RCPT TO:<{RCPT}>"], ["DATA"], ["."], ["QUIT"]], sent())
    for run in runs.values():
        assert re.search(r": [0-9A-Za-z]+: enabling PIX workarounds: "
                         r"disable_esmtp for 127\.0\.0\.1\[127\.0\.0\.1\]:"
                         r"\d+$", run.log, re.M), run.log[-2000:]


def test_pix_multi_line_banner(request, shared_tmp):
    """A multi-line masked banner is not taken for a PIX."""
    both(request, shared_tmp, {"greeting": "220-****\n220 ****"}, PLAIN,
         sent())


def test_debug_peer_list(request, shared_tmp):
    """debug_peer_list: the conversation is logged, both directions."""
    run = run_side("ours", request, shared_tmp, {},
                   debug_peer_list="127.0.0.1")
    assert run.groups == PLAIN
    assert re.search(r"> 127\.0\.0\.1\[127\.0\.0\.1\]:\d+: MAIL FROM:<> "
                     r"SIZE=\d+$", run.log, re.M)
    assert re.search(r"< 127\.0\.0\.1\[127\.0\.0\.1\]:\d+: 250 2\.1\.0 Ok$",
                     run.log, re.M)


def test_size_limit(request, shared_tmp):
    """A message over the server's SIZE: returned before MAIL, 5.3.4,
    and the connection closed without QUIT."""
    for side in ("ours", "debian"):
        run = run_side(side, request, shared_tmp,
                       {"keywords": ["PIPELINING", "SIZE 100"]})
        if run is None:
            continue
        assert run.groups == [["EHLO test.example"]], (side, run.groups)
        (orig, relay, dsn, status, text), = run.status.values()
        assert (relay, dsn, status) == (RELAY, "5.3.4", "bounced"), side
        assert re.fullmatch(r"message size \d+ exceeds size limit 100 of "
                            r"server 127\.0\.0\.1\[127\.0\.0\.1\]", text), text


def test_bdat_binarymime(request, shared_tmp):
    """Ours only: an 8-bit message over BDAT to a server with BINARYMIME
    says BODY=BINARYMIME; without BINARYMIME, BODY=8BITMIME."""
    for keywords, body_param in (
            (["PIPELINING", "8BITMIME", "CHUNKING", "BINARYMIME"],
             "BODY=BINARYMIME"),
            (["PIPELINING", "8BITMIME", "CHUNKING"], "BODY=8BITMIME")):
        run = run_side("ours", request, shared_tmp, {"keywords": keywords},
                       body=BODY_8BIT, mail_options=["BODY=8BITMIME"],
                       smtp_use_bdat="yes")
        assert run.groups == [["EHLO test.example"],
                              [f"MAIL FROM:<> {body_param}",
                               f"RCPT TO:<{RCPT}>"],
                              ["BDAT N LAST", "QUIT"]], run.groups
        assert run.messages[0].data.endswith("h\u00e9llo\r\n".encode())


def test_bdat_refused(request, shared_tmp):
    """Ours only: the reply to BDAT LAST decides, as the end of data."""
    run = run_side("ours", request, shared_tmp,
                   {"replies": {"bdat_last": "554 5.6.0 no thanks"}},
                   smtp_use_bdat="yes")
    assert run.status == failed(f"host {HOST} said: 554 5.6.0 no thanks (in "
                                "reply to BDAT LAST command)", "5.6.0",
                                "bounced")


def test_helo_without_esmtp_greeting(request, shared_tmp):
    """smtp_always_send_ehlo = no and a greeting without "ESMTP": HELO."""
    both(request, shared_tmp, {"greeting": "220 script.example scripted"},
         [["HELO test.example"], ["MAIL FROM:<>"], [f"RCPT TO:<{RCPT}>"],
          ["DATA"], ["."], ["QUIT"]], sent(),
         smtp_always_send_ehlo="no")


def test_quoted_envelope(request, shared_tmp):
    """smtp_quote_rfc821_envelope: the local part quoted in RCPT TO; the
    ORCPT is the xtext of the original recipient as smtpd recorded it."""
    rcpt = '"john smith"@remote.example'
    both(request, shared_tmp, {},
         [["EHLO test.example"],
          ["MAIL FROM:<> SIZE=N",
           f"RCPT TO:<{rcpt}> ORCPT=rfc822;\"john+20smith\"@remote.example",
           "DATA"], [".", "QUIT"]],
         sent(rcpt), rcpts=(rcpt,))


@pytest.mark.parametrize("keywords", [None, ["8BITMIME"]],
                         ids=["pipelining", "lockstep"])
def test_verify_probe(request, shared_tmp, keywords):
    """sendmail -bv: MAIL, RCPT, RSET and QUIT in one write (no DATA);
    without PIPELINING one by one."""
    from test_smtp_status import mta, run_sendmail, wait_reports
    if keywords:
        expect = [["EHLO test.example"], ["MAIL FROM:<>"],
                  [f"RCPT TO:<{RCPT}>"], ["RSET"], ["QUIT"]]
    else:
        expect = [["EHLO test.example"],
                  ["MAIL FROM:<> SIZE=N", f"RCPT TO:<{RCPT}> {ORCPT}",
                   "RSET", "QUIT"]]
    options = {"keywords": keywords} if keywords else {}
    for which in ("ours", "debian"):
        with ScriptServer(**options) as srv, \
                mta(request, shared_tmp, which, relayhost=srv.address,
                    smtp_connection_cache_on_demand="no") as server:
            if server is None:
                continue
            owner = our_instance(request).owner if which == "ours" else None
            r = run_sendmail(server, "-f", "", "-bv", RCPT, owner=owner)
            assert r.returncode == 0, r.stdout + r.stderr
            lines = wait_reports(server, [RCPT])
            srv.wait_connections(1)
            groups = [[norm_command(c) for c in g]
                      for g in srv.connections[0].groups()]
            assert groups == expect, (which, groups)
            assert normalized(lines, {srv.port: "PORT"}) == {
                RCPT: (None, RELAY, "2.1.5", "deliverable",
                       "250 2.1.5 Ok")}, which


def test_bdat_chunks(request, shared_tmp):
    """Ours only: a message over 64 KiB goes in 64 KiB chunks, each but
    the last answered before the next; the content arrives whole."""
    body = BODY + "".join(f"line {n:05d} " + "x" * 900 + "\r\n"
                          for n in range(110))
    run = run_side("ours", request, shared_tmp, {}, body=body,
                   smtp_use_bdat="yes")
    commands = [norm_command(c) for c in run.conn.commands]
    assert commands == ["EHLO test.example", "MAIL FROM:<> SIZE=N",
                        f"RCPT TO:<{RCPT}> {ORCPT}", "BDAT N",
                        "BDAT N LAST", "QUIT"], commands
    message = run.messages[0]
    assert [len(c) for c in message.bdat_chunks][0] == 65536
    assert message.data.endswith(b"line 00109 " + b"x" * 900 + b"\r\n")
    assert run.status == sent()


def test_bdat_chunk_refused(request, shared_tmp):
    """Ours only: a refused BDAT chunk fails the message ("in reply to
    BDAT command") and the session is dropped (the server's state after
    a failed chunk is not to be trusted)."""
    body = BODY + "".join("y" * 900 + "\r\n" for n in range(110))
    run = run_side("ours", request, shared_tmp,
                   {"replies": {"bdat": "554 5.6.0 chunk refused"}},
                   body=body, smtp_use_bdat="yes")
    assert run.status == failed(f"host {HOST} said: 554 5.6.0 chunk refused "
                                "(in reply to BDAT command)", "5.6.0",
                                "bounced")
    assert [norm_command(c) for c in run.conn.commands][-1] == "BDAT N"


def test_discard_ehlo_keyword_address_maps(request, shared_tmp):
    """The per-address table: 127.0.0.1 loses PIPELINING."""
    runs = both(request, shared_tmp, {},
                [["EHLO test.example"], ["MAIL FROM:<> SIZE=N"],
                 [f"RCPT TO:<{RCPT}> {ORCPT}"], ["DATA"], ["."], ["QUIT"]],
                sent(), smtp_discard_ehlo_keyword_address_maps=(
                    "inline:{127.0.0.1=pipelining}"))
    for run in runs.values():
        assert "discarding EHLO keywords: PIPELINING" in run.log


def test_reply_filter(request, shared_tmp):
    """smtp_reply_filter rewrites a reply line before it is used: a 550
    becomes a 450 (deferred, not bounced)."""
    table = shared_tmp / "reply_filter"
    table.write_text("/^550 5\\.1\\.1 (.*)$/ 450 4.1.1 $1\n")
    table.chmod(0o644)
    both(request, shared_tmp, {"rcpt_replies": {RCPT: "550 5.1.1 unknown"}},
         PLAIN[:2] + [["RSET", "QUIT"]],
         failed(f"host {HOST} said: 450 4.1.1 unknown (in reply to RCPT TO "
                "command)", "4.1.1"),
         smtp_reply_filter=f"regexp:{table}")


def test_xforward_refused(request, shared_tmp):
    """A refused XFORWARD is only a warning; the mail goes on."""
    runs = both(request, shared_tmp,
                {"keywords": ["PIPELINING", "XFORWARD NAME ADDR PORT"],
                 "replies": {"xforward": "550 5.7.1 not you"}},
                [["EHLO test.example"],
                 ["XFORWARD NAME=localhost ADDR=127.0.0.1 PORT=N",
                  "MAIL FROM:<>", f"RCPT TO:<{RCPT}>", "DATA"],
                 [".", "QUIT"]],
                sent(), smtp_send_xforward_command="yes")
    for run in runs.values():
        assert re.search(r"warning: host 127\.0\.0\.1\[127\.0\.0\.1\]:\d+ "
                         r"said: 550 5\.7\.1 not you \(in reply to XFORWARD "
                         r"name/address command\)", run.log)


@pytest.mark.parametrize("keywords", [["PIPELINING"], []],
                         ids=["pipelining", "lockstep"])
def test_xforward_lost_connection(request, shared_tmp, keywords):
    """The server hangs up at XFORWARD: "while sending XFORWARD
    name/address"."""
    xforward = "XFORWARD NAME ADDR PORT PROTO HELO IDENT SOURCE"
    first = "XFORWARD NAME=localhost ADDR=127.0.0.1 PORT=N"
    second = ("XFORWARD PROTO=ESMTP HELO=client.example IDENT=QID "
              "SOURCE=LOCAL")
    if keywords:
        groups = [["EHLO test.example"],
                  [first, second, "MAIL FROM:<>", f"RCPT TO:<{RCPT}>",
                   "DATA"]]
    else:
        groups = [["EHLO test.example"], [first]]
    both(request, shared_tmp,
         {"keywords": keywords + [xforward], "drop_at": {"xforward"}},
         groups, failed(f"lost connection with {HOST} while sending "
                        "XFORWARD name/address", "4.4.2"),
         smtp_send_xforward_command="yes")
