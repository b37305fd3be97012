"""System tests of the smtpd(8) protocol core that need no Debian
Postfix: our defaults (Postfix 3.9's smtpd_forbid_unauth_pipelining =
yes), stand-alone mode (sendmail -bs), client source addresses, and
robustness against malformed input. The replies themselves are compared
with Postfix's in test_smtpd_diff.py.
"""

import subprocess
import time

import pytest

from smtp_dialogue import (Session, dialogue, our_instance, ours_smtpd)


@pytest.fixture
def inst(request):
    return our_instance(request)


def disconnects(server, count, timeout=10.0):
    """Wait for count disconnect lines; return the smtpd log lines."""
    server.wait_for_log("disconnect from", timeout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = server.smtpd_log()
        if sum("disconnect from" in l for l in lines) >= count:
            return lines
        time.sleep(0.05)
    raise AssertionError("\n".join(server.smtpd_log()))


def test_basic_session_and_disconnect_counts(inst):
    with ours_smtpd(inst) as srv:
        replies = dialogue(srv.port, ["EHLO client.example", "NOOP", "RSET",
                                      "FOO", "QUIT"])
        assert replies[0] == "220 test.example ESMTP Postfix"
        assert replies[1].split("\n")[0] == "250-test.example"
        assert replies[1].split("\n")[-1] == "250 CHUNKING"
        assert replies[2:] == ["250 2.0.0 Ok", "250 2.0.0 Ok",
                               "500 5.5.2 Error: command not recognized",
                               "221 2.0.0 Bye"]
        log = disconnects(srv, 1)
        assert log[0].startswith("smtpd: connect from ")
        assert log[-1].endswith("[127.0.0.1] ehlo=1 rset=1 noop=1 quit=1 "
                                "unknown=0/1 commands=4/5")


def test_default_forbids_unauthorized_pipelining(inst):
    """Our default is Postfix 3.9's: smtpd_forbid_unauth_pipelining=yes."""
    with ours_smtpd(inst) as srv:
        replies = dialogue(srv.port, ["EHLO x", "MAIL FROM:<a@b>", "QUIT"],
                           pipelined=True)
        assert replies[1:] == ["554 5.5.0 Error: SMTP protocol "
                               "synchronization", "<EOF>"]
        log = disconnects(srv, 1)
        assert any(l.startswith("smtpd: improper command pipelining after "
                                "EHLO from ") and
                   l.endswith(r": MAIL FROM:<a@b>\r\nQUIT\r\n") for l in log)
        assert log[-1].endswith(" ehlo=0/1 commands=0/1")
        # After EHLO announced PIPELINING, MAIL/RCPT/RSET may be pipelined.
        with Session(srv.port) as s:
            assert s.command("EHLO x").startswith("250-")
            s.send(b"MAIL FROM:<a@b>\r\nRSET\r\nNOOP\r\n")
            assert [s.reply(), s.reply(), s.reply()] == [
                "250 2.1.0 Ok", "250 2.0.0 Ok", "250 2.0.0 Ok"]
            assert s.command("QUIT") == "221 2.0.0 Bye"
        log = disconnects(srv, 2)
        assert log[-1].endswith(" ehlo=1 mail=1 rset=1 noop=1 quit=1 "
                                "commands=5")


def test_client_source_address(inst):
    with ours_smtpd(inst) as srv:
        assert dialogue(srv.port, ["QUIT"], source="127.0.0.2")[1] == \
            "221 2.0.0 Bye"
        log = disconnects(srv, 1)
        assert any("[127.0.0.2]" in l and "connect from" in l for l in log)


def test_malformed_input_is_bounded(inst):
    """NUL bytes, binary garbage, a line far over line_length_limit and
    a client that never finishes its line: replies, never a crash."""
    with ours_smtpd(inst, line_length_limit="1000", smtpd_timeout="3s",
                    smtpd_error_sleep_time="0") as srv:
        with Session(srv.port) as s:
            assert s.command(b"HELO a\x00b\r\n") == "250 test.example"
            assert s.command(b"NOOP " + b"x" * 100000 + b"\r\n") == \
                "250 2.0.0 Ok"
            assert s.command(b"\xff\xfe\x01 \r\n") == \
                "500 5.5.2 Error: bad UTF-8 syntax"
            assert s.command(b"\x01abc\r\n").startswith("221 2.7.0")
        with Session(srv.port, timeout=15) as s:
            s.send(b"EHLO " + b"y" * 5000)        # no end of line
            assert s.reply() == ("421 4.4.2 test.example Error: timeout "
                                 "exceeded")
        log = disconnects(srv, 2)
        assert any("request longer than 1000: NOOP xxxxxxxxxxxxxxxxxxxxxxxxx..."
                   in l for l in log)
        assert any(l.startswith("smtpd: timeout after CONNECT from ")
                   for l in log)
        assert any(l.startswith("smtpd: warning: non-SMTP command from ")
                   and l.endswith(r": \001abc") for l in log)


def test_standalone_sendmail_bs(inst):
    """sendmail -bs runs smtpd -S on standard input and output; the
    client is localhost[127.0.0.1]."""
    with ours_smtpd(inst) as srv:
        result = subprocess.run(
            [str(inst.sbin / "sendmail"), "-C", str(inst.config_dir), "-bs"],
            input=b"EHLO x\r\nRSET\r\nFOO\r\nQUIT\r\n", capture_output=True,
            timeout=60)
        out = result.stdout.decode().split("\r\n")
        assert out[0] == "220 test.example ESMTP Postfix", result
        assert out[-4:] == ["250 2.0.0 Ok",
                            "500 5.5.2 Error: command not recognized",
                            "221 2.0.0 Bye", ""]
        log = disconnects(srv, 1)
        assert "smtpd: connect from localhost[127.0.0.1]" in log
        assert ("smtpd: disconnect from localhost[127.0.0.1] ehlo=1 rset=1 "
                "quit=1 unknown=0/1 commands=3/4") in log


# notify_classes transcripts: see tests/system/test_smtpd_notify.py.
