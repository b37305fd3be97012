"""System tests for scache(8), the shared connection cache.

The daemon part: our master(8) runs the installed scache behind
private/scache, and a small Python client speaks the protocol of
docs/internals/smtp-client.md, section 4 (a carrier byte, with the
descriptor as SCM_RIGHTS when there is one, then an attribute list),
passing real sockets (one end of a socketpair stands for the connection
to a mail server; the test keeps the other end and so sees what the
cache does with it).

The whole-client part: our master with scache and smtp sends several
messages to one relay host listed in smtp_connection_cache_destinations,
through a scripted server: one TCP connection serves them all, and the
log says conn_use=2, 3 ... as Postfix's does (observed on Debian's
Postfix 3.7 with smtp-sink: "relay=127.0.0.1[127.0.0.1]:PORT, conn_use=2,
delay=...", and scache's statistics lines quoted in
tests/unit/test_scache_table.c).

Every wait is bounded; master and its children stop after each test.
"""

import os
import re
import socket
import time

import pytest

from anvil_wire import AnvilConnection, encode
from test_master import Master, wait_until

TIMEOUT = 10.0


class ScacheConnection(AnvilConnection):
    """One client connection to private/scache: anvil_wire's reader of
    attribute lists, with the carrier byte of the scache protocol."""

    def request(self, kind, fd=None, protocol="scache", **attrs):
        """Send one request; return (reply dict, received socket or None)."""
        assert not self.buf
        if fd is None:
            self.sock.sendall(b"\0")
        else:
            socket.send_fds(self.sock, [b"\0"], [fd])
        self.sock.sendall(encode([("protocol", protocol), ("request", kind),
                                  *attrs.items()]))
        data, fds, _flags, _addr = socket.recv_fds(self.sock, 1, 4)
        if not data:
            raise EOFError("end of input")
        reply = self.read()
        got = socket.socket(fileno=fds[0]) if fds else None
        for extra in fds[1:]:
            socket.close(extra)
        return reply, got

    def closed(self, timeout=5.0):
        """Did the server close the connection (within timeout)? What it
        said before (a refusal) is kept in self.buf."""
        deadline = time.monotonic() + timeout
        self.sock.settimeout(timeout)
        try:
            while time.monotonic() < deadline:
                chunk = self.sock.recv(4096)
                if not chunk:
                    return True
                self.buf += chunk
        except OSError:
            return True
        return False


@pytest.fixture
def smaster(install_root, test_daemons, shared_tmp):
    """Unprivileged instance whose master.cf runs scache (verbose)."""
    m = Master(install_root, test_daemons, shared_tmp, privileged=False)
    m.master_cf("scache unix - - n - 1 scache -v\n")
    yield m
    m.stop()


def connect(m):
    path = m.private("scache")
    wait_until(path.exists, "private/scache")
    return ScacheConnection(path)


def save_new(c, label, ttl, prop="e"):
    """Save one end of a new socketpair; return the other end (the
    "server"), which sees what the cache does with the connection."""
    mine, peer = socket.socketpair()
    reply, got = c.request("save_endp", fd=mine.fileno(), ttl=ttl,
                           label=label, prop=prop)
    mine.close()
    assert reply == {"status": 0} and got is None
    return peer


def same_connection(ours, peer):
    """Bytes written on ours arrive at peer: it is that connection."""
    ours.sendall(b"ping")
    peer.settimeout(TIMEOUT)
    return peer.recv(16) == b"ping"


def peer_sees_eof(peer, timeout=TIMEOUT):
    """The cache closed its end (bounded wait)."""
    peer.settimeout(timeout)
    try:
        return peer.recv(16) == b""
    except OSError:
        return False


def test_endpoint_save_and_find(smaster):
    m = smaster
    m.main_cf(connection_cache_ttl_limit="30s")
    m.start()
    c = connect(m)
    assert c.greeting == {"protocol": "scache"}
    peer = save_new(c, "smtp:192.0.2.1:25", 30, prop="props-1")
    # Nothing cached under another label.
    reply, got = c.request("find_endp", label="smtp:192.0.2.2:25")
    assert reply == {"status": -1} and got is None
    # The connection comes back, with its properties, exactly once.
    reply, got = c.request("find_endp", label="smtp:192.0.2.1:25")
    assert reply == {"status": 0, "prop": "props-1"}
    assert got is not None and same_connection(got, peer)
    reply, again = c.request("find_endp", label="smtp:192.0.2.1:25")
    assert reply == {"status": -1} and again is None
    # Another client process can take a connection that one saved.
    other = connect(m)
    reply, _ = c.request("save_endp", fd=got.fileno(), ttl=30,
                         label="smtp:192.0.2.1:25", prop="props-2")
    assert reply["status"] == 0
    got.close()
    reply, got = other.request("find_endp", label="smtp:192.0.2.1:25")
    assert reply == {"status": 0, "prop": "props-2"}
    assert same_connection(got, peer)
    for s in (got, peer):
        s.close()
    c.close()
    other.close()


def test_destination_save_and_find(smaster):
    m = smaster
    m.main_cf(connection_cache_ttl_limit="30s")
    m.start()
    c = connect(m)
    reply, _ = c.request("find_dest", label="smtp:example.com:25")
    assert reply == {"status": -1}
    peer = save_new(c, "smtp:192.0.2.1:25", 30)
    assert c.request("save_dest", ttl=30, label="smtp:example.com:25",
                     prop="d", endp_label="smtp:192.0.2.1:25"
                     )[0]["status"] == 0
    reply, got = c.request("find_dest", label="smtp:example.com:25")
    assert reply == {"status": 0, "dest_prop": "d", "endp_prop": "e"}
    assert same_connection(got, peer)
    # Handed out: neither index has it now.
    assert c.request("find_endp", label="smtp:192.0.2.1:25")[0] == {
        "status": -1}
    assert c.request("find_dest", label="smtp:example.com:25")[0] == {
        "status": -1}
    got.close()
    peer.close()
    c.close()


def test_ttl_is_capped_and_expires(smaster):
    m = smaster
    m.main_cf(connection_cache_ttl_limit="1s")
    m.start()
    c = connect(m)
    peer = save_new(c, "smtp:192.0.2.1:25", 3600)
    # The cache holds it at most connection_cache_ttl_limit, then closes.
    assert peer_sees_eof(peer)
    assert c.request("find_endp", label="smtp:192.0.2.1:25")[0] == {
        "status": -1}
    peer.close()
    c.close()


def test_connection_closed_by_peer_is_dropped(smaster):
    m = smaster
    m.main_cf(connection_cache_ttl_limit="60s")
    m.start()
    c = connect(m)
    peer = save_new(c, "smtp:192.0.2.1:25", 60)
    peer.close()
    m.wait_log("became readable: closing")
    assert c.request("find_endp", label="smtp:192.0.2.1:25")[0] == {
        "status": -1}
    c.close()


def test_total_is_bounded(smaster):
    m = smaster
    m.main_cf(connection_cache_ttl_limit="60s", default_process_limit="2")
    m.start()
    c = connect(m)
    peers = [save_new(c, f"smtp:192.0.2.{n}:25", 60) for n in range(3)]
    # The oldest went first; the other two are still there.
    assert peer_sees_eof(peers[0])
    assert c.request("find_endp", label="smtp:192.0.2.0:25")[0][
        "status"] == -1
    for n in (1, 2):
        reply, got = c.request("find_endp", label=f"smtp:192.0.2.{n}:25")
        assert reply["status"] == 0 and same_connection(got, peers[n])
        got.close()
    for p in peers:
        p.close()
    c.close()


def test_bad_requests(smaster):
    m = smaster
    m.start()
    c = connect(m)
    reply, _ = c.request("frobnicate", label="x")
    assert reply == {"status": -1, "reason": "unrecognized request"}
    m.wait_log('unrecognized request: "frobnicate", ignored')
    # Only sockets are cached, and only for a positive time.
    r, w = os.pipe()
    reply, _ = c.request("save_endp", fd=r, ttl=2, label="x", prop="")
    assert reply == {"status": -1, "reason": "descriptor is not a socket"}
    os.close(r)
    os.close(w)
    mine, peer = socket.socketpair()
    reply, _ = c.request("save_endp", fd=mine.fileno(), ttl=0, label="x",
                         prop="")
    assert reply == {"status": -1, "reason": "bad ttl"}
    mine.close()
    assert peer_sees_eof(peer)
    peer.close()
    assert c.request("find_endp", label="x")[0] == {"status": -1}
    # save_endp without a descriptor: refused, and the connection closed.
    c.sock.sendall(b"\0" + encode([("protocol", "scache"),
                                   ("request", "save_endp"), ("ttl", 2),
                                   ("label", "x"), ("prop", "")]))
    assert c.closed()
    # The refusal has its carrier byte too.
    assert c.buf.startswith(b"\0istatus\0-1\0sreason\0save_endp without")
    m.wait_log("bad request: save_endp without descriptor")
    # A request of another protocol.
    c = connect(m)
    c.sock.sendall(b"\0" + encode([("protocol", "anvil"),
                                   ("request", "find_endp"), ("label", "x")]))
    assert c.closed()
    # A label longer than the limit.
    c = connect(m)
    c.sock.sendall(b"\0" + encode([("protocol", "scache"),
                                   ("request", "find_endp"),
                                   ("label", "x" * 5000)]))
    assert c.closed()
    m.wait_log("value longer than 4096 bytes")
    # The service is still there.
    c = connect(m)
    assert c.request("find_endp", label="x")[0] == {"status": -1}
    c.close()


def test_statistics(smaster):
    m = smaster
    # The lines come when the process exits (here: after a reload).
    m.main_cf(connection_cache_ttl_limit="30s")
    m.start()
    c = connect(m)
    # As smtp(8) does for four deliveries over one connection.
    assert c.request("find_dest", label="d")[0]["status"] == -1
    assert c.request("find_endp", label="e")[0]["status"] == -1
    mine, peer = socket.socketpair()
    for n in range(4):
        c.request("save_endp", fd=mine.fileno(), ttl=30, label="e", prop="")
        mine.close()
        c.request("save_dest", ttl=30, label="d", prop="", endp_label="e")
        if n < 3:
            reply, mine = c.request("find_dest", label="d")
            assert reply["status"] == 0
    m.reload()
    m.wait_log("statistics: max simultaneous")
    lines = [re.sub(r"^.*postfix/scache\[\d+\]: ", "", line)
             for line in m.log().splitlines() if "statistics:" in line]
    assert re.fullmatch(r"statistics: start interval [A-Z][a-z]{2} [ 0-9]\d "
                        r"\d\d:\d\d:\d\d", lines[0])
    assert lines[1:4] == [
        "statistics: domain lookup hits=3 miss=1 success=75%",
        "statistics: address lookup hits=0 miss=1 success=0%",
        "statistics: max simultaneous domains=1 addresses=1 connection=1"]
    peer.close()
    c.close()


# The whole client, ours and Debian's Postfix side by side: each
# scenario runs the same submissions through both with the same settings
# to a fresh scripted server, and the same assertions hold for both.

SIDES = ["ours", "debian"]


def run_side(side, request, settings, check, script=None):
    """check(mta, server) on one side (ours or Debian's)."""
    from smtp_dialogue import (_debian_usable, debian_smtpd, our_instance,
                               ours_smtpd)
    from smtp_script import ScriptServer
    if side == "debian":
        if not _debian_usable():
            pytest.skip("needs root, Debian's Postfix and the postfix account")
        base = request.getfixturevalue("shared_tmp")

        def start(server):
            return debian_smtpd(base, relayhost=server.address, **settings)
    else:
        inst = our_instance(request)

        def start(server):
            return ours_smtpd(inst, relayhost=server.address, **settings)
    with ScriptServer(**(script or {})) as server:
        with start(server) as mta:
            check(mta, server)


def _send_one(port, n):
    import smtplib
    with smtplib.SMTP("127.0.0.1", port, "client.example", timeout=30) as c:
        c.sendmail("sender@test.example", [f"rcpt{n}@remote.example"],
                   f"Subject: message {n}\r\n\r\nbody {n}\r\n")


def _sent_lines(log):
    return [line for line in log.splitlines()
            if "status=sent" in line and "relay=127.0.0.1[127.0.0.1]" in line]


def _smtp_lines(log):
    return [re.sub(r"^.*postfix/smtp\[\d+\]: ", "", line)
            for line in log.splitlines() if "postfix/smtp[" in line]


def _deliver_in_turn(mta, server, count):
    """Submit count messages, each after the previous one was sent."""
    for n in range(1, count + 1):
        _send_one(mta.port, n)
        wait_until(lambda: len(_sent_lines(mta.log_text())) >= n,
                   f"status=sent for message {n}", timeout=30)
    server.wait_messages(count)
    return _sent_lines(mta.log_text())


def _scache_statistics(mta):
    """Reload: scache exits and logs its statistics; return them (without
    the start of the interval)."""
    import subprocess
    subprocess.run([str(mta.sbin / "postfix"), "-c", str(mta.config_dir),
                    "reload"], capture_output=True, timeout=60, check=True)
    mta.wait_for_log("statistics: max simultaneous", timeout=TIMEOUT)
    return [re.sub(r"^.*/scache\[\d+\]: ", "", line)
            for line in mta.log_text().splitlines()
            if "/scache[" in line and "statistics:" in line
            and "start interval" not in line]


def _conn_uses(lines):
    """The conn_use= value of each status line (1 when absent)."""
    return [int(m.group(1)) if (m := re.search(r", conn_use=(\d+), ", line))
            else 1 for line in lines]


CACHE_SETTINGS = {
    # Generous limits: the deliveries follow one another, each waiting
    # for the previous status line, so a slow machine must not let the
    # cached connection expire in between.
    "smtp_connection_cache_destinations": "127.0.0.1",
    "smtp_connection_cache_time_limit": "30s",
    "connection_cache_ttl_limit": "30s",
    "smtp_connection_cache_on_demand": "no",
}


@pytest.mark.parametrize("side", SIDES)
def test_reuses_one_connection(side, request):
    """Three messages to a listed destination: one connection, conn_use=2
    and 3, RSET before each reuse, and scache's statistics."""
    def check(mta, server):
        lines = _deliver_in_turn(mta, server, 3)
        assert _conn_uses(lines) == [1, 2, 3]
        assert len(server.connections) == 1
        assert server.connections[0].commands.count("RSET") == 2
        # The first delivery looks up the destination, then the server's
        # address; the others find the destination's connection.
        assert _scache_statistics(mta) == [
            "statistics: domain lookup hits=2 miss=1 success=66%",
            "statistics: address lookup hits=0 miss=1 success=0%",
            "statistics: max simultaneous domains=1 addresses=1 "
            "connection=1"]
    run_side(side, request, CACHE_SETTINGS, check)


@pytest.mark.parametrize("side", SIDES)
def test_reuse_count_limit(side, request):
    """smtp_connection_reuse_count_limit=1: one reuse, then QUIT."""
    def check(mta, server):
        lines = _deliver_in_turn(mta, server, 3)
        assert _conn_uses(lines) == [1, 2, 1]
        assert len(server.connections) == 2
        first = server.connections[0]
        wait_until(first.done.is_set, "first session to end")
        assert first.commands[-1] == "QUIT"
        assert first.commands.count("RSET") == 1
    run_side(side, request,
             dict(CACHE_SETTINGS, smtp_connection_reuse_count_limit="1"),
             check)


@pytest.mark.parametrize("side", SIDES)
def test_on_demand_with_backlog(side, request):
    """No destination list: qmgr's backlog signal decides. The first
    session holds the first message while the others queue up behind it
    (concurrency 1); that first delivery had no backlog and its session
    is not kept, the next ones had one: one new connection serves them."""
    def check(mta, server):
        _send_one(mta.port, 1)
        wait_until(lambda: server.connections
                   and "." in server.connections[0].commands,
                   "the first message's data", timeout=30)
        for n in range(2, 6):
            _send_one(mta.port, n)
        wait_until(lambda: len(_sent_lines(mta.log_text())) >= 5,
                   "every message sent", timeout=60)
        server.wait_messages(5)
        assert _conn_uses(_sent_lines(mta.log_text())) == [1, 1, 2, 3, 4]
        assert len(server.connections) == 2
    run_side(side, request, {
        "smtp_connection_cache_on_demand": "yes",
        "smtp_destination_concurrency_limit": "1",
        "smtp_connection_cache_time_limit": "30s",
        "connection_cache_ttl_limit": "30s",
    }, check, script={"sessions": [{"stall": {"dot": 5}}]})


@pytest.mark.parametrize("side", SIDES)
def test_without_cache_service(side, request):
    """No cache service: two attempts a second apart, then caching is off
    for the process; the mail still goes."""
    def check(mta, server):
        _send_one(mta.port, 1)
        wait_until(lambda: _sent_lines(mta.log_text()), "status=sent",
                   timeout=30)
        smtp = _smtp_lines(mta.log_text())
        assert smtp[:3] == [
            "warning: connect to private/nosuchcache: No such file or "
            "directory"] * 2 + ["warning: disabling connection caching"]
        assert "status=sent" in smtp[3] and "conn_use" not in smtp[3]
        # The session had been meant for the cache (no QUIT after the
        # message); with the cache gone it is just closed.
        wait_until(server.connections[0].done.is_set, "session end")
        assert server.connections[0].commands[-1] == "."
        assert "nosuchcache" not in "".join(smtp[3:])
    run_side(side, request,
             dict(CACHE_SETTINGS, connection_cache_service_name="nosuchcache"),
             check)


@pytest.mark.parametrize("side", SIDES)
def test_reuse_time_limit(side, request):
    """smtp_connection_reuse_time_limit=1s: the limit is checked when a
    session would be saved, not when a cached one is taken back (as
    Debian's Postfix shows): the second message still reuses the
    connection, which is then past the limit and closed with QUIT."""
    def check(mta, server):
        _send_one(mta.port, 1)
        wait_until(lambda: _sent_lines(mta.log_text()), "status=sent",
                   timeout=30)
        # Let the limit pass, in whole seconds as Postfix counts (over
        # 1s means 2s); the connection stays cached (ttl 30s).
        time.sleep(2.5)
        _send_one(mta.port, 2)
        wait_until(lambda: len(_sent_lines(mta.log_text())) >= 2,
                   "second status=sent", timeout=30)
        assert _conn_uses(_sent_lines(mta.log_text())) == [1, 2]
        assert len(server.connections) == 1
        only = server.connections[0]
        wait_until(only.done.is_set, "the session to end")
        assert only.commands[-1] == "QUIT"
    run_side(side, request,
             dict(CACHE_SETTINGS, smtp_connection_reuse_time_limit="1s"),
             check)
