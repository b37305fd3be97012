"""cleanup(8) records that exist only in the client's stream
(docs/internals/protocols.md, "cleanup"): the f record (HOLD or DISCARD
decided after the queue file was opened), the Z "abort" record of
cleanup_client_abort(), and smtpd's I and J envelope records (FILTER and
REDIRECT access actions), which cleanup writes after X.
"""

import os
import time

import pytest

from cleanup_wire import FLAGS_DEFAULT, STAT_BAD, record
from test_cleanup import cinst, of_type, wait_until  # noqa: F401 (fixture)


def envelope(rcpts=("r@example.org", "s@example.org"), between=b""):
    """F, the first recipient, between, the other recipients."""
    out = record("F", "s@example.org") + record("R", rcpts[0]) + between
    for rcpt in rcpts[1:]:
        out += record("R", rcpt)
    return out


CONTENT = record("M") + record("L", "Subject: t") + record("L", "") \
    + record("L", "body")


@pytest.mark.parametrize("where", ["envelope", "content", "extracted"])
def test_f_record_puts_on_hold(cinst, where):
    cinst.start()
    hold = record("f", "4")
    recs = envelope(between=hold if where == "envelope" else b"") + CONTENT
    if where == "content":
        recs += hold
    recs += record("X") + (hold if where == "extracted" else b"") \
        + record("Z")
    reply, queue_id = cinst.submit(recs)
    assert reply["status"] == 0, reply
    assert cinst.files("hold") == [queue_id]
    assert "f" not in [k for k, _ in cinst.records(queue_id, "hold")]


def test_f_record_discards(cinst):
    cinst.start()
    reply, queue_id = cinst.submit(envelope(between=record("f", "8"))
                                   + CONTENT + record("X") + record("Z"))
    assert reply["status"] == 0, reply
    assert cinst.files() == [] and cinst.files("hold") == []


@pytest.mark.parametrize("value", ["16", "0", "x", "123456"])
def test_bad_f_record(cinst, value):
    cinst.start()
    reply, _ = cinst.submit(envelope(between=record("f", value)) + CONTENT
                            + record("X") + record("Z"))
    assert reply["status"] & STAT_BAD, reply
    cinst.inst.wait_for_log("bad cleanup_flags record from client")
    assert cinst.files() == []


@pytest.mark.parametrize("after", ["envelope", "content"])
def test_abort_record_drops_silently(cinst, after):
    cinst.start()
    client = cinst.client()
    client.request(FLAGS_DEFAULT)
    recs = envelope() + (CONTENT if after == "content" else b"")
    client.send(recs + record("Z", "abort"))
    # No reply: cleanup closes the connection.
    assert client.sock.recv(100) == b""
    client.close()
    wait_until(lambda: not os.listdir(cinst.queue / "incoming"), "no file")
    time.sleep(0.5)
    assert "lost connection" not in cinst.log()
    assert [line for line in cinst.log().splitlines()
            if client.queue_id in line and "warning" in line] == []


def test_filter_and_redirect_records_written_after_x(cinst):
    cinst.start()
    between = record("I", "smtp:[127.0.0.1]:25") + record("J", "a@x.org") \
        + record("J", "b@x.org")
    reply, queue_id = cinst.submit(envelope(between=between) + CONTENT
                                   + record("X") + record("Z"))
    assert reply["status"] == 0, reply
    recs = cinst.records(queue_id)
    kinds = [k for k, _ in recs]
    x = kinds.index("X")
    assert of_type(recs, "I") == ["smtp:[127.0.0.1]:25"]
    assert of_type(recs, "J") == ["b@x.org"]
    assert kinds.index("I") > x and kinds.index("J") > x


@pytest.mark.parametrize("kind,data", [("I", "nocolon"), ("I", ""),
                                       ("J", "")])
def test_bad_filter_and_redirect_records(cinst, kind, data):
    cinst.start()
    reply, _ = cinst.submit(envelope(between=record(kind, data)) + CONTENT
                            + record("X") + record("Z"))
    assert reply["status"] & STAT_BAD, reply
    assert cinst.files() == []


def verp_message(sender, *verp):
    """F, the V records, a recipient, content."""
    return (record("F", sender) + b"".join(record("V", v) for v in verp)
            + record("R", "r@example.org") + CONTENT + record("X")
            + record("Z"))


def test_verp_record_copied(cinst):
    """A good V record goes to the queue file, before the recipients;
    the last good one wins."""
    cinst.start()
    reply, queue_id = cinst.submit(verp_message("list@example.org", "-=",
                                                "+="))
    assert reply["status"] == 0, reply
    recs = cinst.records(queue_id)
    kinds = [k for k, _ in recs]
    assert of_type(recs, "V") == ["+="]
    assert kinds.index("V") < kinds.index("R")


@pytest.mark.parametrize("sender,data,warning", [
    ("list@example.org", "ab", 'ignoring bad VERP request: "ab"'),
    ("list@example.org", "+++", 'ignoring bad VERP request: "+++"'),
    ("list@example.org", "", 'ignoring bad VERP request: ""'),
    ("", "+=", "ignoring VERP request for null sender"),
])
def test_bad_verp_record_ignored(cinst, sender, data, warning):
    """As Postfix's cleanup (observed): a warning, no V record, and the
    message is accepted."""
    cinst.start()
    reply, queue_id = cinst.submit(verp_message(sender, data))
    assert reply["status"] == 0, reply
    assert of_type(cinst.records(queue_id), "V") == []
    wait_until(lambda: f"warning: {queue_id}: {warning}" in cinst.log(),
               "the warning:\n" + cinst.log()[-2000:])
