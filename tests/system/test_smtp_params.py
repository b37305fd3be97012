"""smtp(8)/lmtp(8) parameters that no other test would catch if they were
ignored: the QUIT, RSET, XFORWARD and message-content time limits,
smtp_skip_quit_response, and the LMTP twins lmtp_lhlo_timeout,
lmtp_lhlo_name, lmtp_discard_lhlo_keywords and
lmtp_discard_lhlo_keyword_address_maps.

Each test sends one message (two for RSET: a reused cached connection)
through our mail system to a scripted server (smtp_script.ScriptServer)
and, when root and Debian's Postfix 3.7 are there, the same through a
throwaway Debian instance; both must show what the expectations say
(the expectations were recorded from Debian that way). Every time limit
is set to 2s against a server stall three times as long (or ended by the
client's hangup: hangup_ends_stall), so that the default (minutes) would
let the stall run out and change the outcome: an ignored parameter makes
its test fail, with no timing assertion.

What Debian showed, and these tests pin:
  - smtp_quit_timeout with smtp_skip_quit_response = no: a QUIT that is
    never answered costs smtp_quit_timeout, then the client hangs up;
    the message is already "sent" and nothing more is logged.
  - smtp_skip_quit_response = yes: the client hangs up right after QUIT
    without waiting; = no: it waits for the 221.
  - smtp_rset_timeout: RSET on a cached connection that is not answered
    in time: the connection is dropped and the message goes over a new
    one (conn_use=1), without a status or warning about it.
  - smtp_xforward_timeout: "timed out while sending XFORWARD
    name/address", with and without PIPELINING.
  - smtp_data_xfer_timeout: a server that stops reading in the middle of
    a large message: "timed out while sending message body".
  - lmtp_lhlo_timeout: "timed out while performing the LHLO handshake".
  - lmtp_discard_lhlo_keywords and _address_maps: without PIPELINING
    every command waits for its reply; the log says "discarding EHLO
    keywords: PIPELINING" (EHLO, even for LMTP).
  - lmtp_lhlo_name is the LHLO argument; smtp_helo_name does not apply.
"""

import re

import pytest

from smtp_script import ScriptServer
from test_smtp_proto import (HOST, ORCPT, PLAIN, RCPT, STALL, both, failed,
                             run_side, sent)

# Long enough that a client still waiting (default limits: minutes)
# never hangs up within it; the hangup of a client that gives up ends
# it early (hangup_ends_stall), so the passing tests do not wait it out.
LONG_STALL = 30
LMTP_PLAIN = [["LHLO test.example"]] + PLAIN[1:]
LMTP_LOCKSTEP = [["LHLO test.example"], ["MAIL FROM:<> SIZE=N"],
                 [f"RCPT TO:<{RCPT}> {ORCPT}"], ["DATA"], ["."], ["QUIT"]]
LMTP_SENT = {RCPT: (None, "127.0.0.1[127.0.0.1]:PORT", "2.1.5", "sent",
                    f"250 2.1.5 <{RCPT}> Ok")}


def sides(request, shared_tmp, server_options, check, **kw):
    """run_side for ours, then Debian's (when there); check(side, run)."""
    done = []
    for side in ("ours", "debian"):
        run = run_side(side, request, shared_tmp, server_options, **kw)
        if run is not None:
            check(side, run)
            done.append(side)
    return done


def client_lines(log):
    """The smtp(8)/lmtp(8) log lines, without time stamp and pid."""
    return [re.sub(r"^.*postfix/(smtp|lmtp)\[\d+\]: ", r"\1: ", line)
            for line in log.splitlines()
            if re.search(r"postfix/(smtp|lmtp)\[", line)]


def test_quit_timeout(request, shared_tmp):
    """smtp_skip_quit_response = no, QUIT never answered: the client
    gives up after smtp_quit_timeout and hangs up; the message was sent
    and nothing else is logged."""
    def check(side, run):
        assert run.groups == PLAIN, (side, run.groups)
        assert run.status == sent(), (side, run.status)
        assert run.conn.hangup_in_stall == "quit", (side, run.conn.sent)
        assert len(client_lines(run.log)) == 1, (side, run.log)
    sides(request, shared_tmp,
          {"stall": {"quit": LONG_STALL}, "hangup_ends_stall": True}, check,
          smtp_skip_quit_response="no", smtp_quit_timeout="2s")


def test_skip_quit_response_yes(request, shared_tmp):
    """smtp_skip_quit_response = yes (with the default, long QUIT time
    limit): the client hangs up without waiting for the QUIT reply."""
    def check(side, run):
        assert run.status == sent(), (side, run.status)
        assert run.conn.hangup_in_stall == "quit", (side, run.conn.sent)
    sides(request, shared_tmp,
          {"stall": {"quit": LONG_STALL}, "hangup_ends_stall": True}, check,
          smtp_skip_quit_response="yes")


def test_skip_quit_response_no(request, shared_tmp):
    """smtp_skip_quit_response = no: the client waits for the QUIT reply
    (a short stall here) and stays connected until it came."""
    def check(side, run):
        assert run.status == sent(), (side, run.status)
        assert run.conn.hangup_in_stall is None, side
        assert run.conn.sent[-1] == b"221 2.0.0 Bye\r\n", side
    sides(request, shared_tmp,
          {"stall": {"quit": 3}, "hangup_ends_stall": True}, check,
          smtp_skip_quit_response="no")


@pytest.mark.parametrize("keywords", [["PIPELINING"], []],
                         ids=["pipelining", "lockstep"])
def test_xforward_timeout(request, shared_tmp, keywords):
    """smtp_xforward_timeout: the server offers XFORWARD and does not
    answer it."""
    first = "XFORWARD NAME=localhost ADDR=127.0.0.1"
    if keywords:
        groups = [["EHLO test.example"],
                  [first, "MAIL FROM:<>", f"RCPT TO:<{RCPT}>", "DATA"]]
    else:
        groups = [["EHLO test.example"], [first]]
    both(request, shared_tmp,
         {"keywords": keywords + ["XFORWARD NAME ADDR"],
          "stall": {"xforward": STALL}, "hangup_ends_stall": True}, groups,
         failed(f"conversation with {HOST} timed out while sending XFORWARD "
                "name/address", "4.4.2"),
         smtp_send_xforward_command="yes", smtp_xforward_timeout="2s")


# Larger than what the server's small receive window and the client's
# send buffer (tcp_wmem: at most 4 MiB) can hold, so the client's writes
# block while the server is not reading.
BIG_BODY = ("From: sender@client.example\r\n"
            "To: rcpt@remote.example\r\n"
            "Subject: big\r\n"
            "\r\n"
            + "".join(f"{n:07d} " + "x" * 70 + "\r\n" for n in range(80000)))


def test_data_xfer_timeout(request, shared_tmp):
    """smtp_data_xfer_timeout: the server stops reading in the middle of
    a 6 MB message: the client gives up on the content."""
    def check(side, run):
        assert run.status == failed(
            f"conversation with {HOST} timed out while sending message body",
            "4.4.2"), (side, run.status)
        assert run.messages == [], side
        assert run.groups == PLAIN[:2], (side, run.groups)
    sides(request, shared_tmp,
          {"body_stall": (65536, STALL), "rcvbuf": 65536}, check,
          body=BIG_BODY, smtp_data_xfer_timeout="2s")


# Shorter than the default smtp_rset_timeout (20s): a client that
# ignored the setting would get the 250 and reuse the connection.
RSET_STALL = 10


def test_rset_timeout(request, shared_tmp):
    """smtp_rset_timeout: a cached connection whose RSET is not answered
    in time is given up (the client hangs up during the stall) and the
    second message goes over a new connection."""
    from test_scache import (CACHE_SETTINGS, _conn_uses, _deliver_in_turn,
                             run_side as cache_side)

    def check(mta, server):
        lines = _deliver_in_turn(mta, server, 2)
        assert _conn_uses(lines) == [1, 1], lines
        assert all("status=sent" in line for line in lines), lines
        assert len(server.connections) == 2
        first = server.connections[0]
        server.wait_connections(1)
        assert first.hangup_in_stall == "rset", first.commands
        assert first.commands[-1] == "RSET", first.commands
        assert [m.conn for m in server.messages] == [0, 1]
    for side in ("ours", "debian"):
        cache_side(side, request,
                   dict(CACHE_SETTINGS, smtp_rset_timeout="2s"), check,
                   script={"stall": {"rset": RSET_STALL},
                           "hangup_ends_stall": True})


def test_lmtp_lhlo_timeout(request, shared_tmp):
    """lmtp_lhlo_timeout (smtp_helo_timeout stays long)."""
    both(request, shared_tmp, {"stall": {"lhlo": STALL},
                               "hangup_ends_stall": True},
         [["LHLO test.example"]],
         failed(f"conversation with {HOST} timed out while performing the "
                "LHLO handshake", "4.4.2"),
         lmtp=True, lmtp_lhlo_timeout="2s")


DISCARD_LOG = "lmtp: discarding EHLO keywords: PIPELINING"


def test_lmtp_discard_lhlo_keywords(request, shared_tmp):
    """lmtp_discard_lhlo_keywords = pipelining: one command at a time;
    Debian logs it with "EHLO" (see test_lmtp_discard_log_wording)."""
    runs = both(request, shared_tmp, {}, LMTP_LOCKSTEP, LMTP_SENT,
                lmtp=True, lmtp_discard_lhlo_keywords="pipelining")
    if "debian" in runs:
        assert DISCARD_LOG in client_lines(runs["debian"].log)


def test_lmtp_discard_lhlo_keyword_address_maps(request, shared_tmp):
    """The per-address table: 127.0.0.1 loses PIPELINING."""
    runs = both(request, shared_tmp, {}, LMTP_LOCKSTEP, LMTP_SENT,
                lmtp=True, lmtp_discard_lhlo_keyword_address_maps=(
                    "inline:{127.0.0.1=pipelining}"))
    if "debian" in runs:
        assert DISCARD_LOG in client_lines(runs["debian"].log)


def test_lmtp_discard_log_wording(request, shared_tmp):
    """Ours only (Debian's wording is checked in the two tests above)."""
    run = run_side("ours", request, shared_tmp, {}, lmtp=True,
                   lmtp_discard_lhlo_keywords="pipelining")
    assert run.groups == LMTP_LOCKSTEP
    assert DISCARD_LOG in client_lines(run.log), client_lines(run.log)


def test_lmtp_lhlo_name(request, shared_tmp):
    """lmtp_lhlo_name is the LHLO argument; the smtp_ names (HELO name,
    discarded keywords) do not apply to LMTP."""
    runs = both(request, shared_tmp, {},
                [["LHLO lhlo.example"]] + LMTP_PLAIN[1:], LMTP_SENT,
                lmtp=True, lmtp_lhlo_name="lhlo.example",
                smtp_helo_name="smtp.example",
                smtp_discard_ehlo_keywords="pipelining")
    for side, run in runs.items():
        assert run.conn.helo == "lhlo.example", side


def test_scripted_server_stall_options():
    """The harness itself: hangup_ends_stall sees a client that hangs up
    during a stall; without it the stall runs its course."""
    import socket
    import time
    for watch in (True, False):
        with ScriptServer(stall={"noop": 3},
                          hangup_ends_stall=watch) as srv:
            with socket.create_connection((srv.host, srv.port), 10) as c:
                c.recv(1024)
                c.sendall(b"NOOP\r\n")
                time.sleep(0.5)
            srv.wait_connections(1, timeout=10)
            conn = srv.connections[0]
            assert conn.hangup_in_stall == ("noop" if watch else None)
            assert conn.commands == ["NOOP"]
