"""System tests of smtpd(8)'s anvil(8) limits: connection count and rate,
message and recipient rates, smtpd_client_event_limit_exceptions, the
exemption of XCLIENT-authorized clients, and the differential check of
the replies and warnings against Debian's Postfix 3.7.

Expected texts were observed on Debian's Postfix 3.7.11:
  421 4.7.0 test.example Error: too many connections from 127.0.0.1
  warning: Connection concurrency limit exceeded: 3 from localhost[127.0.0.1]
      for service 127.0.0.1:<port>
  warning: Connection rate limit exceeded: ...
  450 4.7.1 Error: too much mail from 127.0.0.1
  warning: Message delivery request rate limit exceeded: ...
  450 4.7.1 Error: too many recipients from 127.0.0.1
  warning: Recipient address rate limit exceeded: ...

Clients come from 127.0.0.0/8 source addresses; the default exceptions
($mynetworks) are switched off where a limit must bite. Every wait is
bounded; the servers are stopped after each test.
"""

import re
import subprocess

import pytest

from smtp_dialogue import (Session, both_smtpd, dialogue, our_instance,
                           ours_smtpd)

NO_EXCEPTIONS = dict(smtpd_client_event_limit_exceptions="")


@pytest.fixture
def inst(request):
    return our_instance(request)


def warning(server, kind, count, addr="127.0.0.1"):
    """Wait for a limit warning; return the line's message part."""
    pattern = re.compile(r"warning: %s: %d from \S+\[%s\] for service "
                         r"127\.0\.0\.1:%d" % (re.escape(kind), count,
                                               re.escape(addr), server.port))
    server.wait_for_log(f"{kind}: {count} from")
    match = pattern.search(server.log_text())
    assert match, server.log_text()[-2000:]
    return match.group(0)


def test_connection_count_limit(inst):
    with ours_smtpd(inst, smtpd_client_connection_count_limit="2",
                    **NO_EXCEPTIONS) as srv:
        first = Session(srv.port)
        second = Session(srv.port)
        assert first.greeting.startswith("220 ")
        assert second.greeting.startswith("220 ")
        third = Session(srv.port)
        assert third.greeting == (
            "421 4.7.0 test.example Error: too many connections from "
            "127.0.0.1")
        assert third.reply() == "<EOF>"
        warning(srv, "Connection concurrency limit exceeded", 3)
        third.close()
        # Ended sessions no longer count.
        first.command("QUIT")
        first.close()
        srv.wait_for_log("disconnect from", timeout=10)
        deadline_ok = False
        for _ in range(50):
            with Session(srv.port) as s:
                if s.greeting.startswith("220 "):
                    deadline_ok = True
                    s.command("QUIT")
                    break
        assert deadline_ok
        second.close()


def test_connection_rate_limit(inst):
    with ours_smtpd(inst, smtpd_client_connection_rate_limit="2",
                    **NO_EXCEPTIONS) as srv:
        for _ in range(2):
            assert dialogue(srv.port, ["QUIT"])[0].startswith("220 ")
        replies = dialogue(srv.port, ["QUIT"])
        assert replies[0] == ("421 4.7.0 test.example Error: too many "
                              "connections from 127.0.0.1")
        assert replies[1] == "<EOF>"
        warning(srv, "Connection rate limit exceeded", 3)
        # Another client address has its own rate.
        replies = dialogue(srv.port, ["QUIT"], source="127.0.0.2")
        assert replies[0].startswith("220 ")


def test_message_and_recipient_rates(inst):
    with ours_smtpd(inst, smtpd_client_message_rate_limit="2",
                    smtpd_client_recipient_rate_limit="3",
                    **NO_EXCEPTIONS) as srv:
        replies = dialogue(srv.port, [
            "HELO client.example",
            "MAIL FROM:<a@example.org>", "RSET",
            "MAIL FROM:<a@example.org>", "RSET",
            "MAIL FROM:<a@example.org>", "QUIT"], source="127.0.0.3")
        assert replies[2].startswith("250 ")
        assert replies[4].startswith("250 ")
        assert replies[6] == "450 4.7.1 Error: too much mail from 127.0.0.3"
        warning(srv, "Message delivery request rate limit exceeded", 3,
                "127.0.0.3")
        replies = dialogue(srv.port, [
            "HELO client.example", "MAIL FROM:<a@example.org>",
            "RCPT TO:<u1@test.example>", "RCPT TO:<u2@test.example>",
            "RCPT TO:<u3@test.example>", "RCPT TO:<u4@test.example>",
            "RCPT TO:<u5@test.example>", "QUIT"], source="127.0.0.4")
        assert [r[:3] for r in replies[3:6]] == ["250", "250", "250"]
        assert replies[6] == ("450 4.7.1 Error: too many recipients from "
                              "127.0.0.4")
        assert replies[7] == replies[6]
        warning(srv, "Recipient address rate limit exceeded", 4, "127.0.0.4")
        warning(srv, "Recipient address rate limit exceeded", 5, "127.0.0.4")


def test_exceptions_and_xclient_hosts(inst):
    """$mynetworks (the default exceptions) and XCLIENT-authorized
    clients are not limited, and not even registered with anvil."""
    with ours_smtpd(inst, smtpd_client_connection_count_limit="1",
                    smtpd_client_message_rate_limit="1",
                    smtpd_authorized_xclient_hosts="127.0.0.5") as srv:
        held = [Session(srv.port) for _ in range(3)]
        assert all(s.greeting.startswith("220 ") for s in held)
        for s in held:
            s.close()
        replies = dialogue(srv.port, [
            "HELO x", "MAIL FROM:<a@example.org>", "RSET",
            "MAIL FROM:<a@example.org>", "QUIT"])
        assert replies[4].startswith("250 ")
    with ours_smtpd(inst, smtpd_client_connection_count_limit="1",
                    smtpd_authorized_xclient_hosts="127.0.0.5",
                    **NO_EXCEPTIONS) as srv:
        held = [Session(srv.port, source="127.0.0.5") for _ in range(3)]
        assert all(s.greeting.startswith("220 ") for s in held)
        for s in held:
            s.close()
        assert "limit exceeded" not in srv.log_text()


def test_bad_exception_pattern_differential(inst, shared_tmp):
    """A bad network in smtpd_client_event_limit_exceptions is only a
    warning, as in Postfix (not fatal): the session goes on, and a
    client listed after the bad pattern is not exempt."""
    settings = dict(smtpd_client_event_limit_exceptions="1.2.3.4/33, "
                    "127.0.0.1", smtpd_client_connection_count_limit="1")
    bad = ('warning: smtpd_client_event_limit_exceptions: bad mask length '
           'in "1.2.3.4/33"')
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        results = []
        for srv in (ours, debian):
            held = Session(srv.port)
            with Session(srv.port) as s:
                second = s.greeting
            held.close()
            srv.wait_for_log("Connection concurrency limit exceeded")
            results.append((held.greeting, second))
            assert bad in srv.log_text()
            assert "fatal" not in srv.log_text()
        assert results[0] == results[1]
        assert results[0][0].startswith("220 ")
        assert results[0][1].startswith("421 4.7.0 ")


def normalize(lines, port):
    return [l.replace(str(port), "PORT") for l in lines]


def test_limits_differential(inst, shared_tmp):
    """The same limits hit on Debian's Postfix and ours: same replies,
    same warning lines."""
    settings = dict(smtpd_client_connection_count_limit="1",
                    smtpd_client_message_rate_limit="1",
                    smtpd_client_recipient_rate_limit="2", **NO_EXCEPTIONS)
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        results = []
        for srv in (ours, debian):
            out = []
            held = Session(srv.port, source="127.0.0.6")
            with Session(srv.port, source="127.0.0.6") as s:
                out.append(s.greeting)
            held.close()
            out += dialogue(srv.port, [
                "HELO x", "MAIL FROM:<a@example.org>",
                "RCPT TO:<u1@test.example>", "RCPT TO:<u2@test.example>",
                "RCPT TO:<u3@test.example>", "RSET",
                "MAIL FROM:<a@example.org>", "QUIT"], source="127.0.0.7")
            srv.wait_for_log("Message delivery request rate limit exceeded")
            warnings = [re.sub(r"^smtpd: ", "", l) for l in srv.smtpd_log()
                        if "limit exceeded" in l]
            out += normalize(warnings, srv.port)
            results.append(out)
        assert results[0] == results[1]


def anvil_statistics(srv):
    """anvil's statistics lines, port and time of day normalized."""
    out = []
    for line in srv.log_text().splitlines():
        m = re.search(r"postfix/anvil\[\d+\]: (statistics: .*)$", line)
        if m:
            text = m.group(1).replace(str(srv.port), "PORT")
            out.append(re.sub(r" at [A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d$",
                              " at TIME", text))
    return out


def test_anvil_statistics_differential(inst, shared_tmp):
    """The same sessions give the same anvil statistics lines (logged
    when anvil exits after "postfix reload")."""
    settings = dict(smtpd_client_connection_count_limit="1",
                    smtpd_client_message_rate_limit="5",
                    smtpd_client_recipient_rate_limit="5",
                    anvil_status_update_time="600s", **NO_EXCEPTIONS)
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        results = []
        for srv in (ours, debian):
            held = Session(srv.port, source="127.0.0.8")
            with Session(srv.port, source="127.0.0.8") as s:
                assert s.greeting.startswith("421 ")
            held.close()
            dialogue(srv.port, [
                "HELO x", "MAIL FROM:<a@example.org>",
                "RCPT TO:<u1@test.example>", "RCPT TO:<u2@test.example>",
                "RSET", "MAIL FROM:<a@example.org>", "QUIT"],
                source="127.0.0.9")
            # anvil reports when it exits after a reload.
            subprocess.run([str(srv.sbin / "postfix"), "-c",
                            str(srv.config_dir), "reload"],
                           capture_output=True, timeout=60)
            srv.wait_for_log("statistics: max cache size", timeout=15)
            results.append(anvil_statistics(srv))
        assert results[0] == results[1]
        assert "statistics: max connection count 2 for " \
            "(127.0.0.1:PORT:127.0.0.8) at TIME" in results[0]
