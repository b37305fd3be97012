"""Differential tests of the smtpd(8) protocol core: the same SMTP
dialogues go to Debian's Postfix 3.7 and to ours (same main.cf
settings), and the replies, and the smtpd log lines about them, must be
the same. Restrictions are left at what COMMON gives (recipients in
mydestination, local_recipient_maps empty) so that these tests exercise
the protocol engine, not the restriction engine.

Needs root, Debian's /usr/sbin/postfix and the postfix account (skips
otherwise).
"""

import re

import pytest

from smtp_dialogue import (both_smtpd, diff_dialogue, dialogue,
                           our_instance, Session)

RCPT = "RCPT TO:<root@test.example>"

# Dialogues whose replies must be identical (default settings).
DIALOGUES = [
    ["HELO", "HELO a b", "EHLO", "EHLO x", "QUIT"],
    ["EHLO x", "MAIL FROM:<a@b> SIZE=100 BODY=BINARYMIME",
     "MAIL FROM:<a@b> BODY=foo", "MAIL FROM:<a@b> SIZE=x",
     "MAIL FROM:<a@b> SIZE=99999999999", "MAIL FROM:<a@b> RET=X",
     "MAIL FROM:<a@b> ENVID=a+ZZ", "QUIT"],
    ["EHLO x", "MAIL FROM:<a@b> AUTH=<>", "RSET", "MAIL FROM:<a@b> XVERP",
     "MAIL FROM:<a@b> FOO=bar", "MAIL FROM:<a@b> SMTPUTF8",
     "MAIL FROM:<a@b>", "RSET", "MAIL FROM:a@b", "RSET",
     "MAIL FROM: <a@b>", "RSET", "MAIL FROM:<a b@c>", "MAIL FROM:",
     "MAIL FROM", "MAIL", "QUIT"],
    ["EHLO x", "RCPT TO:<a@b>", "MAIL FROM:<>", "RCPT TO:<>",
     "RCPT TO:<root@test.example> NOTIFY=X",
     "RCPT TO:<root@test.example> ORCPT=x",
     "RCPT TO:<root@test.example> FOO", "RCPT TO:", "RCPT",
     "EHLO y", RCPT, "QUIT"],
    ["VRFY", "VRFY root", "VRFY <root@test.example>", "EXPN root", "HELP",
     "ETRN", "ETRN foo", "STARTTLS", "AUTH PLAIN", "", "FOO", "NOOP",
     "NOOP x", "RSET x", "QUIT x"],
    ["EHLO x", "MAIL FROM:<a@b> ENVID=abc ENVID=x",
     "MAIL FROM:<a@b> RET=FULL RET=HDRS", "MAIL FROM:<a@b> SIZE=",
     "MAIL FROM:<a@b> SIZE=-1", "MAIL FROM:<a@b> ENVID=",
     "MAIL FROM:<a@b> BODY=7BIT SMTPUTF8=x",
     "MAIL FROM:<@x,@y:a@b> ENVID=a+2Bb RET=hdrs BODY=8bitmime",
     "ETRN foo", "QUIT"],
    ["HELO x", "ETRN @foo", "ETRN #foo", "ETRN -foo", "ETRN foo bar",
     "ETRN fo_o", "ETRN [1.2.3.4]", b"NOOP \xff\r\n",
     b"MAIL FROM:<\xff@b>\r\n", "VRFY a b c", "VRFY \u00fc@b SMTPUTF8",
     "VRFY a SMTPUTF8", "QUIT"],
    ["GET / HTTP/1.0", "QUIT"],
    ["EHLO x", "connect foo"],
    ["EHLO x", "1abc"],
    [b"\x01abc\r\n"],
]

# Dialogues that need a queue file (smtpd_data_open) at the first RCPT.
RCPT_DIALOGUES = [
    ["HELO a b", "MAIL FROM:<@x,@y:a@b>", 'RCPT TO:<"a b"@test.example>',
     RCPT + " NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+40y",
     "RCPT TO:root@test.example", "RCPT TO: <root@test.example>",
     "RCPT TO:<root@test.example", "RCPT TO:<root@test.example>>",
     "RCPT TO:<a<b>@c>", "mail from:<x@y>",
     "rcpt to:<root@test.example> notify=never", "QUIT"],
    ["EHLO x", "MAIL FROM:<a@b>",
     RCPT + " NOTIFY=NEVER,SUCCESS",
     RCPT + " ORCPT=rfc822;a ORCPT=rfc822;b",
     RCPT + " NOTIFY=SUCCESS NOTIFY=DELAY", RCPT + " ORCPT=foo;x",
     RCPT + " ORCPT=rfc822;a+ZZ", "QUIT"],
]


def compare(ours, debian, dialogues, **kw):
    """Run each dialogue on both sides; return the differences."""
    problems = []
    for lines in dialogues:
        a, b = diff_dialogue(ours, debian, lines, **kw)
        if a != b:
            problems.append(f"dialogue {lines}:\n ours:   {a}\n debian: {b}")
    return problems


def wait_disconnects(server, count):
    server.wait_disconnects(count)


def session_log(server):
    """smtpd log lines, without the queue-file lines of other modules
    and with the client name (a DNS matter) normalised."""
    out = []
    for line in server.smtpd_log():
        if "QUEUEID: client=" in line:
            continue
        # Postfix mails a notify_classes transcript; ours says it cannot.
        if "this build has no bounce service" in line:
            continue
        out.append(line.replace("localhost[127.0.0.1]", "CLIENT")
                   .replace("unknown[127.0.0.1]", "CLIENT"))
    return out


def same_sessions(ours, debian, dialogues, **kw):
    """Same replies for each dialogue, then the same smtpd log lines."""
    problems = compare(ours, debian, dialogues, **kw)
    assert not problems, "\n".join(problems)
    wait_disconnects(ours, len(dialogues))
    wait_disconnects(debian, len(dialogues))
    assert session_log(ours) == session_log(debian)


@pytest.fixture
def inst(request):
    return our_instance(request)


def test_replies_match_debian(inst, shared_tmp):
    with both_smtpd(inst, shared_tmp, smtpd_error_sleep_time="0",
                    smtpd_forbid_unauth_pipelining="no") as (ours, debian):
        same_sessions(ours, debian, DIALOGUES)


def test_rcpt_replies_match_debian(inst, shared_tmp):
    with both_smtpd(inst, shared_tmp, smtpd_error_sleep_time="0",
                    smtpd_forbid_unauth_pipelining="no") as (ours, debian):
        problems = compare(ours, debian, RCPT_DIALOGUES)
        assert not problems, "\n".join(problems)


def test_strict_helo_required_footer_limits(inst, shared_tmp):
    settings = {
        "strict_rfc821_envelopes": "yes",
        "smtpd_helo_required": "yes",
        "smtpd_recipient_limit": "2",
        "smtpd_recipient_overshoot_limit": "1",
        "smtpd_reject_footer":
            r"\c. Call 555 ($client_address at $server_name)\nline two",
        "smtpd_error_sleep_time": "0",
        "smtpd_forbid_unauth_pipelining": "no",
    }
    dialogues = [
        ["VRFY root@test.example", "ETRN foo",
         "MAIL FROM:<a@b>", "HELO x", "MAIL FROM:a@b", "MAIL FROM: <a@b>",
         "MAIL FROM:<a@b>", "ETRN foo", "RCPT TO:root@test.example",
         RCPT, RCPT, RCPT, RCPT, RCPT, "VRFY <root@x>", "QUIT"],
    ]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, dialogues)


def test_hard_error_limit(inst, shared_tmp):
    settings = {"smtpd_hard_error_limit": "4", "smtpd_soft_error_limit": "100",
                "smtpd_error_sleep_time": "0"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for server in (ours, debian):
            with Session(server.port) as s:
                for _ in range(4):
                    assert s.command("FOO").startswith("500 5.5.2")
                assert s.reply() == ("421 4.7.0 test.example Error: "
                                     "too many errors")
        wait_disconnects(ours, 1)
        wait_disconnects(debian, 1)
        assert session_log(ours) == session_log(debian)


def test_pipelining_3_7_behaviour(inst, shared_tmp):
    """smtpd_forbid_unauth_pipelining = no: Postfix 3.7 logs improper
    pipelining and carries on."""
    dialogues = [
        ["HELO x", "MAIL FROM:<a@b>", "RSET", "QUIT"],
        ["EHLO x", "MAIL FROM:<a@b>", "RSET", "NOOP", "QUIT"],
        ["EHLO x", "NOOP", "NOOP", "QUIT"],
        ["EHLO x", "RSET", "QUIT"],
    ]
    with both_smtpd(inst, shared_tmp, smtpd_forbid_unauth_pipelining="no",
                    smtpd_error_sleep_time="0") as (ours, debian):
        same_sessions(ours, debian, dialogues, pipelined=True)


def test_pipelining_forbidden(inst, shared_tmp):
    """smtpd_forbid_unauth_pipelining = yes (our default, and a setting
    that Debian's 3.7.11 has): 554 and disconnect."""
    dialogues = [
        ["HELO x", "MAIL FROM:<a@b>", "QUIT"],
        ["EHLO x", "MAIL FROM:<a@b>", "QUIT"],
    ]
    with both_smtpd(inst, shared_tmp, smtpd_forbid_unauth_pipelining="yes",
                    smtpd_error_sleep_time="0") as (ours, debian):
        same_sessions(ours, debian, dialogues, pipelined=True)


def test_access_denied_at_connect(inst, shared_tmp):
    """smtpd_delay_reject = no: the client rejection replaces the
    greeting and every command but QUIT gets 503."""
    settings = {"smtpd_delay_reject": "no",
                "smtpd_client_restrictions": "reject",
                "smtpd_error_sleep_time": "0"}
    dialogues = [["EHLO x", "HELO x", "MAIL FROM:<a@b>", "NOOP", "RSET",
                  "FOO", "QUIT"]]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        a, b = diff_dialogue(ours, debian, dialogues[0])
        assert [r.replace("unknown[", "localhost[") for r in a] == b
        wait_disconnects(ours, 1)
        wait_disconnects(debian, 1)
        assert session_log(ours) == session_log(debian)


def test_soft_bounce_and_discarded_keywords(inst, shared_tmp):
    """soft_bounce turns smtpd's own 5XX replies into 4XX; discarded
    EHLO keywords (unknown names ignored) are not logged."""
    settings = {"soft_bounce": "yes",
                "smtpd_discard_ehlo_keywords":
                    "enhancedstatuscodes,pipelining,foo",
                "smtpd_error_sleep_time": "0"}
    dialogues = [["EHLO x", "MAIL FROM:<a@b> FOO", "MAIL", "RCPT TO:<a@b>",
                  "VRFY", "FOO", "QUIT"]]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, dialogues)


def test_junk_commands_and_port_logging(inst, shared_tmp):
    settings = {"smtpd_junk_command_limit": "2",
                "smtpd_hard_error_limit": "3",
                "smtpd_client_port_logging": "yes",
                "smtpd_error_sleep_time": "0"}
    lines = ["NOOP", "NOOP", "RSET", "VRFY a@test.example", "NOOP"]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        a, b = diff_dialogue(ours, debian, lines)
        assert a == b
        wait_disconnects(ours, 1)
        wait_disconnects(debian, 1)
        strip_port = [
            [re.sub(r"CLIENT:\d+", "CLIENT:PORT", l)
             for l in session_log(s)] for s in (ours, debian)]
        assert strip_port[0] == strip_port[1]
        assert any("CLIENT:PORT" in l for l in strip_port[0])


def test_overlong_command_line(inst, shared_tmp):
    settings = {"line_length_limit": "600", "smtpd_error_sleep_time": "0",
                "smtpd_forbid_unauth_pipelining": "no"}
    lines = ["HELO x", "NOOP " + "a" * 700, "MAIL FROM:<" + "a" * 700 + "@b>",
             "QUIT"]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        a, b = diff_dialogue(ours, debian, lines)
        assert a == b
        wait_disconnects(ours, 1)
        wait_disconnects(debian, 1)
        assert session_log(ours) == session_log(debian)


def test_timeout_and_lost_connection(inst, shared_tmp):
    settings = {"smtpd_timeout": "2s"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for server in (ours, debian):
            with Session(server.port, timeout=15) as s:
                assert s.command("EHLO x").startswith("250-")
                assert s.reply() == ("421 4.4.2 test.example Error: "
                                     "timeout exceeded")
            with Session(server.port) as s:
                assert s.command("HELO x") == "250 test.example"
        wait_disconnects(ours, 2)
        wait_disconnects(debian, 2)
        assert session_log(ours) == session_log(debian)


def test_talking_before_the_greeting(inst, shared_tmp):
    """Postfix 3.7.11's smtpd_forbid_unauth_pipelining = yes: a client
    that talks first gets 554 instead of the greeting."""
    import socket
    settings = {"smtpd_forbid_unauth_pipelining": "yes"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for server in (ours, debian):
            with socket.create_connection(("127.0.0.1", server.port),
                                          timeout=10) as s:
                s.sendall(b"EHLO x\r\n")
                data = b""
                while not data.endswith(b"\n"):
                    chunk = s.recv(1000)
                    if not chunk:
                        break
                    data += chunk
            assert data == (b"554 5.5.0 Error: SMTP protocol "
                            b"synchronization\r\n"), server.real
        wait_disconnects(ours, 1)
        wait_disconnects(debian, 1)
        assert session_log(ours) == session_log(debian)


def test_bare_newline_in_commands(inst, shared_tmp):
    """smtpd_forbid_bare_newline = reject (in Debian's 3.7.11 too): a
    command ending in a bare <LF> ends the session; normalize accepts
    it."""
    settings = {"smtpd_forbid_bare_newline": "reject",
                "smtpd_forbid_bare_newline_exclusions": "",
                "smtpd_forbid_unauth_pipelining": "no"}
    dialogues = [["HELO x", b"NOOP\n", "QUIT"], [b"EHLO x\n", "QUIT"]]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, dialogues)
    settings["smtpd_forbid_bare_newline"] = "normalize"
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        problems = compare(ours, debian, [["HELO x", b"NOOP\n", "QUIT"]])
        assert not problems, "\n".join(problems)


def test_ehlo_offers_xclient_xforward_to_authorized_hosts(inst, shared_tmp):
    settings = {"smtpd_authorized_xclient_hosts": "127.0.0.1",
                "smtpd_authorized_xforward_hosts": "127.0.0.1",
                "message_size_limit": "0", "disable_vrfy_command": "yes",
                "smtpd_error_sleep_time": "0"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        problems = compare(ours, debian, [["EHLO x", "VRFY root", "QUIT"]])
        assert not problems, "\n".join(problems)
        # Another client (127.0.0.2) is not authorized.
        problems = compare(ours, debian, [["EHLO x", "QUIT"]],
                           source="127.0.0.2")
        assert not problems, "\n".join(problems)


def test_noop_commands_and_command_filter(inst, shared_tmp):
    settings = {
        "smtpd_noop_commands": "XYZZY, foo",
        "smtpd_command_filter":
            "regexp:{{/^EHLO +bad/ EHLO good},"
            "{/^RCPT TO:<root@test.example> NOTIFY=BOGUS/ "
            "RCPT TO:<root@test.example>}}",
        "smtpd_forbid_unauth_pipelining": "no",
    }
    lines = ["XYZZY a b", "foo", "EHLO bad", "MAIL FROM:<a@b>",
             RCPT + " NOTIFY=BOGUS", "QUIT"]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, [lines])


def test_smtputf8_disabled(inst, shared_tmp):
    settings = {"smtputf8_enable": "no", "smtpd_error_sleep_time": "0"}
    lines = ["EHLO x", "MAIL FROM:<a@b> SMTPUTF8", b"MAIL FROM:<\xff@b>\r\n",
             "RSET", "VRFY a SMTPUTF8", b"NOOP \xff\r\n", "QUIT"]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, [lines])


def test_reject_footer_maps(inst, shared_tmp):
    """smtpd_reject_footer_maps: looked up with the complete reply."""
    settings = {
        "smtpd_reject_footer_maps":
            "inline:{{500 5.5.2 Error: command not recognized="
            "Try HELP at $server_name}}",
        "smtpd_reject_footer": r"\c (default footer)",
        "smtpd_error_sleep_time": "0",
    }
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        problems = compare(ours, debian, [["FOO", "", "QUIT"]])
        assert not problems, "\n".join(problems)


def test_every_command_counted_in_table_order(inst, shared_tmp):
    """The disconnect line lists the commands in Postfix's order."""
    settings = {"smtpd_authorized_xclient_hosts": "127.0.0.1",
                "smtpd_authorized_xforward_hosts": "127.0.0.1",
                "smtpd_error_sleep_time": "0"}
    lines = ["ETRN", "VRFY", "NOOP", "RSET", "DATA", "RCPT", "MAIL", "AUTH",
             "STARTTLS", "XFORWARD FOO=bar", "XCLIENT FOO=bar", "EHLO x",
             "HELO x", "BDAT x"]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, [lines])


def test_discard_ehlo_keyword_address_maps(inst, shared_tmp):
    settings = {"smtpd_discard_ehlo_keyword_address_maps":
                "inline:{{127.0.0.1=pipelining dsn}, "
                "{127.0.0.2=silent-discard chunking}}",
                "smtpd_discard_ehlo_keywords": "etrn"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, [["EHLO x", "QUIT"]])
        a, b = diff_dialogue(ours, debian, ["EHLO x", "QUIT"],
                             source="127.0.0.2")
        assert a == b
        a, b = diff_dialogue(ours, debian, ["EHLO x", "QUIT"],
                             source="127.0.0.3")
        assert a == b
        wait_disconnects(ours, 3)
        wait_disconnects(debian, 3)
        assert session_log(ours) == session_log(debian)


def test_bad_proxy_header(inst, shared_tmp):
    """smtpd_upstream_proxy_protocol = haproxy and a client that sends no
    PROXY header: warning, connect, 421 and disconnect."""
    settings = {"smtpd_upstream_proxy_protocol": "haproxy"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        a, b = diff_dialogue(ours, debian, ["EHLO x", "QUIT"],
                             greeting=False)
        assert a == b
        wait_disconnects(ours, 1)
        wait_disconnects(debian, 1)
        assert session_log(ours) == session_log(debian)


def test_ehlo_discard_table_failure(inst, shared_tmp):
    """A smtpd_discard_ehlo_keyword_address_maps lookup that fails: 421
    4.3.0 Server local data error, and the session ends."""
    settings = {"smtpd_discard_ehlo_keyword_address_maps":
                f"texthash:{shared_tmp}/missing-ehlo-table"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        dialogues = [["EHLO x", "NOOP", "QUIT"], ["HELO x", "NOOP", "QUIT"]]
        problems = compare(ours, debian, dialogues)
        assert not problems, "\n".join(problems)
        wait_disconnects(ours, len(dialogues))
        wait_disconnects(debian, len(dialogues))

        # The table library words its open error differently (not smtpd).
        def smtpd_lines(server):
            return [l for l in session_log(server)
                    if "missing-ehlo-table" not in l]
        assert smtpd_lines(ours) == smtpd_lines(debian)


@pytest.mark.parametrize("forbid", ["no", "yes"])
def test_after_rejected_data(inst, shared_tmp, forbid):
    """DATA without valid recipients, then the content the client sends
    anyway: a "Label:" line is a non-SMTP command (221 and hang up)."""
    settings = {"smtpd_recipient_restrictions": "reject",
                "smtpd_forbid_unauth_pipelining": forbid,
                "smtpd_error_sleep_time": "0"}
    dialogues = [["EHLO x", "MAIL FROM:<a@b>", RCPT, "DATA",
                  "subject: x", "QUIT"],
                 ["Subject:x"], ["Subject :x"], ["EHLO x", "MAIL:x"],
                 ["a:b"], ["From x"]]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, dialogues)
        problems = compare(ours, debian, dialogues[:1], pipelined=True)
        assert not problems, "\n".join(problems)
        wait_disconnects(ours, len(dialogues) + 1)
        wait_disconnects(debian, len(dialogues) + 1)
        assert session_log(ours) == session_log(debian)


def test_soft_bounce_no_valid_recipients(inst, shared_tmp):
    settings = {"smtpd_recipient_restrictions": "reject",
                "soft_bounce": "yes", "smtpd_error_sleep_time": "0"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, [["EHLO x", "MAIL FROM:<a@b>", RCPT,
                                      "DATA", "QUIT"]])


def test_rejected_helo_keeps_transaction(inst, shared_tmp):
    """A rejected HELO/EHLO keeps the mail transaction (nested MAIL)."""
    settings = {"smtpd_helo_restrictions": "reject_invalid_helo_hostname",
                "smtpd_helo_required": "yes", "smtpd_delay_reject": "no",
                "smtpd_error_sleep_time": "0"}
    dialogues = [["EHLO x", "MAIL FROM:<a@b>", "HELO a_b!", "MAIL FROM:<a@b>",
                  "EHLO [x", "RCPT TO:<x@y>", "QUIT"]]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        problems = compare(ours, debian, dialogues)
        assert not problems, "\n".join(problems)
        wait_disconnects(ours, 1)
        wait_disconnects(debian, 1)
        log = session_log(ours)
        assert log == session_log(debian)
        assert any("reject: EHLO" in l and "from=<a@b>" in l for l in log)


def test_etrn_after_end_of_data_reject(inst, shared_tmp):
    """After an end-of-data restriction rejects, Postfix keeps the
    transaction: ETRN gets 503 and MAIL is nested until RSET; a new RCPT
    opens a new queue file (the reject line then names no recipient, as
    the kept count makes two)."""
    settings = {"smtpd_end_of_data_restrictions": "reject",
                "smtpd_error_sleep_time": "0"}
    message = ["DATA", "Subject: x\r\n\r\nbody\r\n."]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, [["EHLO x", "MAIL FROM:<a@b>", RCPT]
                                     + message + [
                                      "ETRN foo", "MAIL FROM:<a@b>",
                                      "RCPT TO:<postmaster@test.example>"]
                                     + message + ["RSET", "ETRN foo",
                                                  "QUIT"]])
        # Postfix 3.7's smtpd crashes on DATA or BDAT right after such a
        # rejection; ours asks for a recipient first.
        replies = dialogue(ours.port, ["EHLO x", "MAIL FROM:<a@b>", RCPT]
                           + message + ["DATA", "BDAT 0 LAST", "QUIT"])
        assert replies[-3:] == ["503 5.5.1 Error: need RCPT command"] * 2 \
            + ["221 2.0.0 Bye"]


def test_junk_count_reset_after_delivery(inst, shared_tmp):
    """The junk command count starts again after a delivered message."""
    settings = {"smtpd_junk_command_limit": "1",
                "smtpd_hard_error_limit": "3",
                "smtpd_error_sleep_time": "0"}
    message = ["MAIL FROM:<a@b>", RCPT, "DATA", "Subject: x\r\n\r\nbody\r\n."]
    dialogues = [["HELO x", "NOOP", "NOOP", "NOOP"] + message
                 + ["NOOP", "NOOP", "NOOP", "RSET", "VRFY x", "QUIT"],
                 ["HELO x", "FOO", "FOO"] + message + ["FOO", "FOO", "NOOP",
                                                       "QUIT"]]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for lines in dialogues:
            a, b = diff_dialogue(ours, debian, lines)
            assert queued_as(a) == queued_as(b)
        wait_disconnects(ours, 2)
        wait_disconnects(debian, 2)
        assert session_log(ours) == session_log(debian)


def queued_as(replies):
    """Replies with the queue ID of "queued as ID" normalised."""
    return [re.sub(r"queued as \w+", "queued as ID", r) for r in replies]


def test_reject_lines_name_last_accepted_recipient(inst, shared_tmp):
    """DATA and END-OF-MESSAGE reject lines print to=<the last accepted
    recipient> when there is one, not the last rejected RCPT."""
    settings = {"smtpd_data_restrictions": "check_client_access "
                "inline:{{127.0.0.2=reject}}", "mynetworks": "127.0.0.1/32",
                "smtpd_end_of_data_restrictions": "reject",
                "smtpd_error_sleep_time": "0"}
    first = ["HELO x", "MAIL FROM:<a@b>", RCPT, "RCPT TO:<x@elsewhere.example>"]
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian,
                      [first + ["DATA", "QUIT"]], source="127.0.0.2")
        for lines in [first + ["DATA", "Subject: x\r\n\r\nbody\r\n.", "QUIT"],
                      first + ["RCPT TO:<postmaster@test.example>", "DATA",
                               "Subject: x\r\n\r\nbody\r\n.", "QUIT"]]:
            a, b = diff_dialogue(ours, debian, lines, source="127.0.0.3")
            assert a == b
        wait_disconnects(ours, 3)
        wait_disconnects(debian, 3)
        log = session_log(ours)
        assert log == session_log(debian)
        assert sum("to=<root@test.example>" in l for l in log) == 2, log


def test_xclient_success_is_not_counted(inst, shared_tmp):
    """A successful XCLIENT is neither a success nor an error in the
    disconnect line (xclient=0/1), as with Postfix."""
    settings = {"smtpd_authorized_xclient_hosts": "127.0.0.1",
                "smtpd_error_sleep_time": "0"}
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        same_sessions(ours, debian, [["EHLO x", "XCLIENT NAME=foo.example",
                                      "EHLO y", "QUIT"]])
