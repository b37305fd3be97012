"""Self-test of the scripted SMTP/LMTP server (smtp_script.py) with
Python's smtplib and raw sockets: default dialogue and recording,
keywords, per-stage and per-recipient replies, multi-line replies,
drops, stalls, per-connection sessions, LMTP replies after the dot,
BDAT, recv() chunk grouping, limits, UNIX-domain sockets and shutdown."""

import smtplib
import socket
import threading

import pytest

from smtp_script import DROP, ScriptServer


def raw(server, data, replies):
    """Send data in one write after the greeting; read replies lines."""
    with socket.create_connection((server.host, server.port), 10) as s:
        f = s.makefile("rb")
        greeting = f.readline()
        s.sendall(data)
        return greeting, [f.readline() for _ in range(replies)]


def test_plain_dialogue_is_recorded():
    with ScriptServer() as srv:
        with smtplib.SMTP(srv.host, srv.port, "client.example",
                          timeout=10) as c:
            c.sendmail("a@example.com", ["b@example.com"],
                       b"Subject: x\r\n\r\n.dot\r\nline\r\n")
        srv.wait_connections(1)
    conn = srv.connections[0]
    assert conn.helo == "client.example"
    assert conn.commands == ["ehlo client.example",
                             "mail FROM:<a@example.com> size=26",
                             "rcpt TO:<b@example.com>", "data", ".", "QUIT"]
    assert conn.closed_by == "server"
    assert conn.server_bytes().startswith(b"220 script.example ESMTP")
    assert b"250-PIPELINING\r\n" in conn.server_bytes()
    assert b"\r\n..dot\r\n" in conn.client_bytes()
    msg = srv.messages[0]
    assert (msg.mail_from, msg.mail_params) == ("a@example.com",
                                                {"SIZE": "26"})
    assert msg.accepted == ["b@example.com"]
    assert msg.data == b"Subject: x\r\n\r\n.dot\r\nline\r\n"


def test_keywords_and_per_recipient_and_multiline_replies():
    multi = "550-5.1.1 first line\n550 5.1.1 second line"
    with ScriptServer(keywords=["SIZE 1000"],
                      rcpt_replies={"bad@example.com": multi}) as srv:
        with smtplib.SMTP(srv.host, srv.port, timeout=10) as c:
            c.ehlo()
            assert c.esmtp_features == {"size": "1000"}
            refused = c.sendmail("a@example.com",
                                 ["ok@example.com", "Bad@Example.com"],
                                 b"x\r\n")
        assert refused == {"Bad@Example.com":
                           (550, b"5.1.1 first line\n5.1.1 second line")}
        srv.wait_messages(1)
    assert srv.messages[0].accepted == ["ok@example.com"]


@pytest.mark.parametrize("stage", ["greeting", "ehlo", "mail", "rcpt",
                                   "data", "dot"])
def test_drop_at_each_stage(stage):
    with ScriptServer(drop_at=stage) as srv:
        with pytest.raises(smtplib.SMTPServerDisconnected):
            with smtplib.SMTP(srv.host, srv.port, timeout=10) as c:
                c.sendmail("a@x.example", ["b@x.example"], b"x\r\n")
        srv.wait_connections(1)
    assert srv.connections[0].closed_by == "server"
    assert len(srv.messages) == (1 if stage == "dot" else 0)


def test_reply_lists_callables_and_sessions():
    seen = []

    def mail(conn, argument):
        seen.append((conn.index, argument))
        return None
    with ScriptServer(replies={"rcpt": ["451 4.3.0 later", "250 2.1.5 ok"],
                               "mail": mail},
                      sessions=[{"greeting": "421 4.3.2 busy"}]) as srv:
        with pytest.raises(smtplib.SMTPConnectError):
            smtplib.SMTP(srv.host, srv.port, timeout=10)
        with smtplib.SMTP(srv.host, srv.port, timeout=10) as c:
            refused = c.sendmail("a@x.example", ["b@x.example",
                                                 "c@x.example"], b"x\r\n")
        assert list(refused) == ["b@x.example"]
        srv.wait_connections(2)
    assert seen == [(1, "FROM:<a@x.example> size=3")]
    assert srv.connections[0].closed_by == "server"


def test_stall_is_bounded_and_stop_ends_it():
    with ScriptServer(stall={"mail": 60}) as srv:
        s = socket.create_connection((srv.host, srv.port), 10)
        s.recv(100)
        s.sendall(b"MAIL FROM:<a@x.example>\r\n")
        srv.wait_connected(1)
        s.settimeout(0.5)
        with pytest.raises(socket.timeout):
            s.recv(100)
    # stop() ended the stall and closed the connection.
    assert srv.connections[0].done.is_set()
    s.close()


def test_pipelined_write_is_one_group():
    with ScriptServer() as srv:
        _, replies = raw(srv, b"EHLO c\r\nMAIL FROM:<a@x>\r\n"
                         b"RCPT TO:<b@x>\r\nDATA\r\n", 11)
        assert replies[-1].startswith(b"354")
        srv.wait_connections(1)
    assert srv.connections[0].groups() == [
        ["EHLO c", "MAIL FROM:<a@x>", "RCPT TO:<b@x>", "DATA"]]
    assert srv.connections[0].closed_by == "client"


def test_lmtp_replies_after_dot_and_bdat():
    with ScriptServer(lmtp=True,
                      lmtp_replies={"b@x": "452 4.2.2 full",
                                    "c@x": "550 5.1.1 gone"}) as srv:
        _, replies = raw(srv, b"EHLO c\r\nLHLO c\r\nMAIL FROM:<a@x>\r\n"
                         b"RCPT TO:<a@x>\r\nRCPT TO:<b@x>\r\n"
                         b"RCPT TO:<c@x>\r\nBDAT 3\r\nab\nBDAT 2 LAST\r\n"
                         b"c\n", 17)
        srv.wait_messages(1)
    assert replies[0].startswith(b"500 ")
    assert [r[:3] for r in replies[-5:]] == [b"250", b"250", b"250",
                                             b"452", b"550"]
    msg = srv.messages[0]
    assert msg.bdat_chunks == [b"ab\n", b"c\n"] and msg.data == b"ab\nc\n"


def test_limits_and_unix_socket(tmp_path):
    path = str(tmp_path / "lmtp.sock")
    with ScriptServer(unix_path=path, max_connections=1, max_line=100,
                      replies={"noop": DROP}) as srv:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(path)
            f = s.makefile("rb")
            assert f.readline().startswith(b"220 ")
            s.sendall(b"NOOP " + b"x" * 200 + b"\r\n")
            assert f.readline().startswith(b"500 5.5.2")
            assert f.readline() == b""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(path)
            assert s.recv(100) == b""
        srv.wait_connections(1)
        assert srv.refused == 1


def test_concurrent_connections():
    with ScriptServer() as srv:
        def send(i):
            with smtplib.SMTP(srv.host, srv.port, timeout=10) as c:
                c.sendmail(f"s{i}@x.example", ["r@x.example"], b"x\r\n")
        threads = [threading.Thread(target=send, args=(i,)) for i in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        srv.wait_messages(5)
    assert sorted(m.mail_from for m in srv.messages) == [
        f"s{i}@x.example" for i in range(5)]


def test_raw_byte_replies_and_421_without_hangup():
    with ScriptServer(replies={"mail": b"250ok\n", "rcpt": "421 4.3.2 bye"},
                      hangup_421=False) as srv:
        _, replies = raw(srv, b"MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\n"
                         b"QUIT\r\n", 3)
        srv.wait_connections(1)
    assert replies == [b"250ok\n", b"421 4.3.2 bye\r\n", b"221 2.0.0 Bye\r\n"]
    assert srv.connections[0].commands == ["MAIL FROM:<a@x>",
                                           "RCPT TO:<b@x>", "QUIT"]


def test_unserved_commands_are_recorded_on_drop():
    # The client's pipelined RCPT and DATA were sent before the server
    # dropped the connection at MAIL: they are in the record.
    with ScriptServer(drop_at="mail") as srv:
        raw(srv, b"MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n", 0)
        srv.wait_connections(1)
    assert srv.connections[0].commands == ["MAIL FROM:<a@x>",
                                           "RCPT TO:<b@x>", "DATA"]
