"""System tests for anvil(8): the installed daemon run by our master(8)
behind private/anvil, asked with the protocol of
docs/internals/protocols.md ("anvil") by a small Python client
(anvil_wire.py).

What is compared with Postfix 3.7 (observed on Debian's anvil, whose own
wire format differs): the counts and rates answered for the same sequence
of requests, the per-stream connection ownership (a stream holds one
connection; closing the stream ends it; a connect for another ident ends
the previous one), "unrecognized request" handling, and the text of the
"statistics:" lines, logged every $anvil_status_update_time and when the
process exits after a reload.

Every wait is bounded; the master and its children are stopped after
each test.
"""

import re

import pytest

from anvil_wire import AnvilConnection, encode
from test_master import Master, wait_until

STATUS_DATE = r"[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d"


@pytest.fixture
def amaster(install_root, test_daemons, shared_tmp):
    """Unprivileged instance whose master.cf runs anvil."""
    m = Master(install_root, test_daemons, shared_tmp, privileged=False)
    m.master_cf("anvil unix - - n - 1 anvil\n")
    yield m
    m.stop()


def connect(m):
    path = m.private("anvil")
    wait_until(path.exists, "private/anvil")
    return AnvilConnection(path)


def test_counts_and_rates(amaster):
    m = amaster
    m.start()
    a = connect(m)
    b = connect(m)
    assert a.greeting == {"protocol": "anvil"}
    assert a.request("connect", "smtp:192.0.2.1") == {
        "status": 0, "count": 1, "rate": 1}
    assert b.request("connect", "smtp:192.0.2.1") == {
        "status": 0, "count": 2, "rate": 2}
    # A stream holds one connection: another ident ends the first one.
    assert a.request("connect", "smtp:192.0.2.2") == {
        "status": 0, "count": 1, "rate": 1}
    assert b.request("lookup", "smtp:192.0.2.1") == {
        "status": 0, "count": 1, "rate": 2, "mail": 0, "rcpt": 0,
        "newtls": 0, "auth": 0}
    for n in (1, 2, 3):
        assert b.request("message", "smtp:192.0.2.1") == {
            "status": 0, "rate": n}
    for n in (1, 2):
        assert b.request("recipient", "smtp:192.0.2.1") == {
            "status": 0, "rate": n}
    assert b.request("newtls", "smtp:192.0.2.1")["rate"] == 1
    assert b.request("newtls_report", "smtp:192.0.2.1")["rate"] == 1
    assert b.request("newtls_report", "smtp:192.0.2.9")["rate"] == 0
    assert b.request("auth", "smtp:192.0.2.1")["rate"] == 1
    assert b.request("lookup", "smtp:192.0.2.1") == {
        "status": 0, "count": 1, "rate": 2, "mail": 3, "rcpt": 2,
        "newtls": 1, "auth": 1}
    # Closing a stream ends its connection.
    a.close()
    wait_until(lambda: b.request("lookup", "smtp:192.0.2.2")["count"] == 0,
               "the closed stream's connection to end")
    assert b.request("disconnect", "smtp:192.0.2.1") == {"status": 0}
    assert b.request("lookup", "smtp:192.0.2.1")["count"] == 0
    # An unknown request is refused, the connection stays.
    reply = b.request("bogus", "smtp:192.0.2.1")
    assert reply["status"] == -1
    m.wait_log('warning: unrecognized request: "bogus", ignored')
    assert b.request("message", "smtp:192.0.2.1")["rate"] == 4
    b.close()


def test_bad_requests(amaster):
    m = amaster
    m.start()
    c = connect(m)
    c.send_raw(encode([("protocol", "anvil"), ("request", "connect")]))
    reply = c.read()
    assert reply["status"] == -1 and "missing attribute ident" in reply["reason"]
    assert c.closed()
    c = connect(m)
    reply = c.request("connect", "smtp:x", protocol="rewrite")
    assert reply["status"] == -1
    assert c.closed()
    c = connect(m)
    c.send_raw(encode([("protocol", "anvil"), ("request", "connect"),
                       ("ident", "x" * 5000)]))
    assert c.closed()
    m.wait_log("bad request: attribute ident: value longer than 1024 bytes")
    # The service is still there.
    c = connect(m)
    assert c.request("connect", "smtp:192.0.2.1")["count"] == 1
    c.close()


def test_status_lines(amaster):
    m = amaster
    m.main_cf(anvil_status_update_time="1s", anvil_rate_time_unit="60s")
    m.start()
    a = connect(m)
    b = connect(m)
    a.request("connect", "smtp:192.0.2.1")
    b.request("connect", "smtp:192.0.2.1")
    b.request("message", "smtp:192.0.2.3")
    b.request("recipient", "smtp:192.0.2.3")
    b.request("recipient", "smtp:192.0.2.3")
    b.request("newtls", "smtp:192.0.2.4")
    b.request("auth", "smtp:192.0.2.4")
    m.wait_log("statistics: max cache size")
    text = m.log()
    lines = [re.sub(r"^.*postfix/anvil\[\d+\]: ", "", l)
             for l in text.splitlines() if "statistics:" in l]
    expected = [
        r"statistics: max connection rate 2/60s for \(smtp:192\.0\.2\.1\) at ",
        r"statistics: max connection count 2 for \(smtp:192\.0\.2\.1\) at ",
        r"statistics: max message rate 1/60s for \(smtp:192\.0\.2\.3\) at ",
        r"statistics: max recipient rate 2/60s for \(smtp:192\.0\.2\.3\) at ",
        r"statistics: max newtls rate 1/60s for \(smtp:192\.0\.2\.4\) at ",
        r"statistics: max auth rate 1/60s for \(smtp:192\.0\.2\.4\) at ",
        r"statistics: max cache size 3 at ",
    ]
    assert len(lines) >= len(expected), lines
    for line, pattern in zip(lines, expected):
        assert re.fullmatch(pattern + STATUS_DATE, line), (line, pattern)
    a.close()
    b.close()


def test_status_on_exit(amaster):
    m = amaster
    m.main_cf(anvil_status_update_time="600s")
    m.start()
    a = connect(m)
    a.request("connect", "smtp:192.0.2.7")
    a.close()
    assert "statistics:" not in m.log()
    # After a reload the process exits between requests and reports.
    m.reload()
    m.wait_log("statistics: max connection count 1 for (smtp:192.0.2.7)")
    m.wait_log("statistics: max cache size 1 at ")
