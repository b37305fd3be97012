"""MX, SRV and address handling of our smtp(8) against a real DNS server.

Each test builds a small world: unbound on loopback (dns_server.py)
serving test zones whose MX, SRV, A and CNAME records point at scripted
SMTP servers (smtp_script.ScriptServer) on 127.0.0.x, all on one port
(the port of the next hop "domain:PORT" that transport_maps gives each
test domain), and our whole mail system (ours_smtpd) with
dns_resolver_address pointing at unbound, relayhost empty and
smtp_host_lookup = dns. One message to every test domain of the world
is submitted through our smtpd; qmgr makes one delivery per domain.
Which server received which recipient, the order of the failed
connects in the log ("connect to NAME[ADDR]:PORT: Connection refused",
which Postfix logs for every address it gives up on), and the final
status lines (dsn=, status=, text) are checked.

Parameters that differ per scenario are set per service: master.cf
gets smtp services with "-o name=value" (smtplimit, smtpcname, ...)
and the transport table sends a domain to one of them.

What the tests pin:
    preference order and the next MX after a refused connect; all MX
    hosts down (4.4.1 with the last one's text); smtp_mx_address_limit
    (the third MX is never tried with a limit of 2); a domain without
    MX delivered to its A record; smtp_cname_overrides_servername (the
    relay= name); SRV records with use_srv_lookup (priority order, the
    port of the record), allow_srv_lookup_fallback; smtp_bind_address
    (the server sees the source address);
    the DNS failure texts: NXDOMAIN (5.4.4 "Host or domain name not
    found. Name service error for name=X type=A: Host not found": the
    MX lookup's NXDOMAIN leads to the address lookup, as in Debian's),
    SERVFAIL (4.4.3 "... Host not found, try again"),
    ignore_mx_lookup_error, an MX host without address (5.4.4, or 4.4.4
    with smtp_defer_if_no_mx_address_found), the null MX;
    loops (at the default port only, as Debian's Postfix): "mail for X
    loops back to myself" (5.4.6) when we are the best MX (and for a
    domain without MX whose A record is ours, and for "[host]" and
    "[address]"), a backup MX that drops itself and the worse MX hosts,
    best_mx_transport;
    smtp_randomize_addresses: equal-preference MX hosts both get mail;
    smtp_host_lookup = dns, native (a host name that only /etc/hosts
    knows).

The address family rules (inet_protocols, smtp_address_preference,
smtp_balance_inet_protocols) are pinned in tests/unit/test_smtp_addr.c
on lists the test builds: loopback here is IPv4 only.
"""

import contextlib
import os
import socket
import threading
import time

import pytest

from dns_server import DnsServer, available as dns_available, port_free
from mta_pair import (FINAL, PAIR_SETTINGS, Submission,
                      _submit_smtp, status_lines)
from ports import free_port
from smtp_dialogue import our_instance, ours_smtpd
from smtp_script import ScriptServer

TIMEOUT = 60.0

pytestmark = pytest.mark.skipif(not dns_available(),
                                reason="needs unbound")


def common_port(addrs):
    """A port that is free on every address of addrs."""
    for _ in range(50):
        port = free_port()
        if all(port_free(addr, port) for addr in addrs):
            return port
    raise AssertionError("no common free port")


class PeerRecorder:
    """Accepts connections on addr:port, records the peer address and
    closes at once (the client then logs a lost connection)."""

    def __init__(self, addr, port):
        self.peers = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, port))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            try:
                conn, peer = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.peers.append(peer[0])
            try:
                conn.sendall(b"421 4.3.2 recorder closing\r\n")
            except OSError:
                pass
            conn.close()

    def stop(self):
        self.stopping.set()
        self.sock.close()
        self.thread.join(timeout=5)


class MxWorld:
    """DNS zones, scripted servers on 127.0.0.x:port, our mail system."""

    def __init__(self, inst, port):
        self.inst = inst
        self.port = port
        self.servers = {}
        self.mta = None

    def server(self, addr):
        return self.servers[addr]

    def received(self, addr):
        """The recipients that the server on addr accepted."""
        return [r for m in self.servers[addr].messages for r, _ in m.rcpts]

    def log(self):
        return self.mta.log_text()

    def send(self, recipients, tag="mx"):
        content = (f"Subject: {tag}\nMessage-ID: <{tag}.{time.time()}"
                   f"@client.example>\nDate: Sat, 5 Dec 2026 12:00:00 +0000"
                   f"\n\n{tag}\n")
        _submit_smtp(self.mta.port, Submission("s@origin.example",
                                               recipients, content))

    def status(self, rcpt, timeout=TIMEOUT):
        """The final smtp status entry of rcpt (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            for e in status_lines(self.log()):
                if (e["to"].lower() == rcpt.lower() and e["status"] in FINAL
                        and e["prog"] != "local"):
                    return e
            if time.monotonic() > deadline:
                raise AssertionError(f"no status line for {rcpt}:\n"
                                     + self.log()[-3000:])
            time.sleep(0.1)

    def connect_failures(self):
        """The "connect to ...: Connection refused" texts, in log order."""
        out = []
        for line in self.log().splitlines():
            if "postfix/smtp" not in line or ": connect to " not in line:
                continue
            if "status=" in line:
                continue
            out.append(line.split(": connect to ", 1)[1])
        return out


@contextlib.contextmanager
def mx_world(request, records, listeners, transport, services=None,
             servfail=(), recorders=(), **settings):
    """Start the world; listeners: {addr: ScriptServer options};
    transport: {domain: "service:nexthop"} (PORT in the nexthop is
    replaced by the common port); services: {name: "-o a=b -o c=d"}."""
    inst = our_instance(request)
    addrs = ["127.0.0.1", *listeners, *recorders]
    port = common_port(addrs)
    world = MxWorld(inst, port)
    with contextlib.ExitStack() as stack:
        for addr, opts in listeners.items():
            srv = ScriptServer(port=port, **opts)
            srv.host = addr
            srv.start()
            stack.callback(srv.stop)
            world.servers[addr] = srv
        world.recorders = {}
        for addr in recorders:
            rec = PeerRecorder(addr, port)
            stack.callback(rec.stop)
            world.recorders[addr] = rec
        dns = stack.enter_context(DnsServer(
            records=[r.replace("PORT", str(port)) for r in records],
            servfail=servfail))
        table = inst.base / "mx-transport"
        table.write_text("origin.example discard:notice\n" + "".join(
            f"{d} {t.replace('PORT', str(port))}\n"
            for d, t in transport.items()))
        os.chmod(table, 0o644)
        extra = []
        for name, opts in (services or {}).items():
            extra.append(f"{name} unix - - n - - smtp {opts}")
        values = dict(PAIR_SETTINGS)
        values.update(relayhost="", transport_maps=f"texthash:{table}",
                      dns_resolver_address=dns.resolver_address,
                      smtp_host_lookup="dns",
                      smtp_connection_cache_on_demand="no",
                      relay_domains=" ".join(transport))
        values.update(settings)
        world.mta = stack.enter_context(ours_smtpd(
            inst, master_extra="\n".join(x for x in extra if x), **values))
        yield world


def test_mx_order_limit_cname_srv_bind(request):
    """Preference order, next MX, limits, A fallback, CNAME, SRV, bind."""
    records = [
        # pref: both up, the better one gets the mail.
        "pref.test. MX 10 mx1.pref.test.", "pref.test. MX 20 mx2.pref.test.",
        "mx1.pref.test. A 127.0.0.2", "mx2.pref.test. A 127.0.0.3",
        # down: the better one refuses, the next one gets it.
        "down.test. MX 10 mx1.down.test.", "down.test. MX 20 mx2.down.test.",
        "mx1.down.test. A 127.0.0.20", "mx2.down.test. A 127.0.0.4",
        # alldown: both refuse.
        "alldown.test. MX 10 a.alldown.test.",
        "alldown.test. MX 20 b.alldown.test.",
        "a.alldown.test. A 127.0.0.21", "b.alldown.test. A 127.0.0.22",
        # limit / nolimit: two down, the third up (127.0.0.5 / .6).
        "limit.test. MX 10 a.limit.test.", "limit.test. MX 20 b.limit.test.",
        "limit.test. MX 30 c.limit.test.",
        "a.limit.test. A 127.0.0.23", "b.limit.test. A 127.0.0.24",
        "c.limit.test. A 127.0.0.5",
        "nolimit.test. MX 10 a.nolimit.test.",
        "nolimit.test. MX 20 b.nolimit.test.",
        "nolimit.test. MX 30 c.nolimit.test.",
        "a.nolimit.test. A 127.0.0.23", "b.nolimit.test. A 127.0.0.24",
        "c.nolimit.test. A 127.0.0.6",
        # amx: no MX, an A record.
        "amx.test. A 127.0.0.7",
        # cname / cname2: the MX host is a CNAME.
        "cname.test. MX 10 alias.cname.test.",
        "alias.cname.test. CNAME real.cname.test.",
        "cname2.test. MX 10 alias.cname.test.",
        "real.cname.test. A 127.0.0.8",
        # srv: priority 10 refuses, priority 20 on its own port.
        "_submission._tcp.srv.test. SRV 10 0 PORT s1.srv.test.",
        "_submission._tcp.srv.test. SRV 20 0 PORT s2.srv.test.",
        "s1.srv.test. A 127.0.0.25", "s2.srv.test. A 127.0.0.9",
        "srv.test. MX 10 wrong.srv.test.", "wrong.srv.test. A 127.0.0.26",
        # nosrv: no SRV (and nothing else) - with and without fallback.
        "nosrv.test. TXT \"no srv here\"",
        "nosrv2.test. TXT \"no srv here\"",
        # bind: the recorder on 127.0.0.10 sees the source address.
        "bind.test. MX 10 mx.bind.test.", "mx.bind.test. A 127.0.0.10",
    ]
    listeners = {a: {} for a in ("127.0.0.2", "127.0.0.3", "127.0.0.4",
                                 "127.0.0.5", "127.0.0.6", "127.0.0.7",
                                 "127.0.0.8", "127.0.0.9")}
    transport = {
        "pref.test": "smtp:pref.test:PORT",
        "down.test": "smtp:down.test:PORT",
        "alldown.test": "smtp:alldown.test:PORT",
        "limit.test": "smtplimit:limit.test:PORT",
        "nolimit.test": "smtp:nolimit.test:PORT",
        "amx.test": "smtp:amx.test:PORT",
        "cname.test": "smtp:cname.test:PORT",
        "cname2.test": "smtpcname:cname2.test:PORT",
        "srv.test": "smtp:srv.test:submission",
        "nosrv.test": "smtp:nosrv.test:submission",
        "nosrv2.test": "smtpsrvfb:nosrv2.test:submission",
        "bind.test": "smtpbind:bind.test:PORT",
    }
    services = {
        "smtplimit": "-o smtp_mx_address_limit=2",
        "smtpcname": "-o smtp_cname_overrides_servername=yes",
        "smtpsrvfb": "-o allow_srv_lookup_fallback=yes",
        "smtpbind": "-o smtp_bind_address=127.0.0.11",
    }
    with mx_world(request, records, listeners, transport, services,
                  recorders=("127.0.0.10",),
                  use_srv_lookup="submission") as w:
        p = w.port
        w.send([f"u@{d}" for d in transport])

        e = w.status("u@pref.test")
        assert (e["status"], e["relay"]) == (
            "sent", f"mx1.pref.test[127.0.0.2]:{p}")
        assert w.received("127.0.0.2") == ["u@pref.test"]

        e = w.status("u@down.test")
        assert (e["status"], e["relay"]) == (
            "sent", f"mx2.down.test[127.0.0.4]:{p}")
        assert (f"mx1.down.test[127.0.0.20]:{p}: Connection refused"
                in w.connect_failures())

        e = w.status("u@alldown.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "deferred", "4.4.1",
            f"connect to b.alldown.test[127.0.0.22]:{p}: Connection refused")
        fails = [f for f in w.connect_failures() if "alldown" in f]
        assert fails == [
            f"a.alldown.test[127.0.0.21]:{p}: Connection refused",
            f"b.alldown.test[127.0.0.22]:{p}: Connection refused"]

        # smtp_mx_address_limit = 2: c.limit.test is never tried.
        e = w.status("u@limit.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "deferred", "4.4.1",
            f"connect to b.limit.test[127.0.0.24]:{p}: Connection refused")
        assert w.server("127.0.0.5").connections == []
        e = w.status("u@nolimit.test")
        assert (e["status"], e["relay"]) == (
            "sent", f"c.nolimit.test[127.0.0.6]:{p}")

        e = w.status("u@amx.test")
        assert (e["status"], e["relay"]) == (
            "sent", f"amx.test[127.0.0.7]:{p}")

        e = w.status("u@cname.test")
        assert e["relay"] == f"alias.cname.test[127.0.0.8]:{p}"
        e = w.status("u@cname2.test")
        assert e["relay"] == f"real.cname.test[127.0.0.8]:{p}"

        # SRV: priority order, the port of the record, no MX lookup.
        e = w.status("u@srv.test")
        assert (e["status"], e["relay"]) == (
            "sent", f"s2.srv.test[127.0.0.9]:{p}")
        assert (f"s1.srv.test[127.0.0.25]:{p}: Connection refused"
                in w.connect_failures())
        assert not any("wrong.srv.test" in f for f in w.connect_failures())
        e = w.status("u@nosrv.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "bounced", "5.4.4",
            "Host or domain name not found. Name service error for "
            "name=_submission._tcp.nosrv.test type=SRV: Host not found")
        # With the fallback the MX lookup is made (and finds no MX, no A).
        e = w.status("u@nosrv2.test")
        assert e["status"] == "bounced"
        assert "type=SRV" not in e["text"]
        assert "name=nosrv2.test" in e["text"]

        w.status("u@bind.test")
        assert w.recorders["127.0.0.10"].peers[:1] == ["127.0.0.11"]


def test_dns_failures(request):
    """NXDOMAIN, SERVFAIL, MX hosts without address, null MX."""
    records = [
        "noaddr.test. MX 10 ghost.noaddr.test.",
        "noaddr2.test. MX 10 ghost.noaddr.test.",
        "noaddr.test. TXT \"x\"",
        "nullmx.test. MX 0 .",
    ]
    transport = {
        "nx.test": "smtp:nx.test:PORT",
        "broken.test": "smtp:broken.test:PORT",
        "broken2.test": "smtpignore:broken2.test:PORT",
        "noaddr.test": "smtp:noaddr.test:PORT",
        "noaddr2.test": "smtpdefer:noaddr2.test:PORT",
        "nullmx.test": "smtp:nullmx.test:PORT",
    }
    services = {
        "smtpignore": "-o ignore_mx_lookup_error=yes",
        "smtpdefer": "-o smtp_defer_if_no_mx_address_found=yes",
    }
    with mx_world(request, records, {}, transport, services,
                  servfail=("broken.test", "broken2.test")) as w:
        w.send([f"u@{d}" for d in transport])
        e = w.status("u@nx.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "bounced", "5.4.4",
            "Host or domain name not found. Name service error for "
            "name=nx.test type=A: Host not found")
        e = w.status("u@broken.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "deferred", "4.4.3",
            "Host or domain name not found. Name service error for "
            "name=broken.test type=MX: Host not found, try again")
        # ignore_mx_lookup_error: the A lookup is made (and fails too).
        e = w.status("u@broken2.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "deferred", "4.4.3",
            "Host or domain name not found. Name service error for "
            "name=broken2.test type=A: Host not found, try again")
        e = w.status("u@noaddr.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "bounced", "5.4.4",
            "Host or domain name not found. Name service error for "
            "name=ghost.noaddr.test type=A: Host not found")
        e = w.status("u@noaddr2.test")
        assert (e["status"], e["dsn"]) == ("deferred", "4.4.4")
        assert "name=ghost.noaddr.test type=A" in e["text"]
        e = w.status("u@nullmx.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "bounced", "5.1.0",
            "Domain nullmx.test does not accept mail (nullMX)")


def native_host():
    """This machine's host name and the loopback address that the system
    resolver (/etc/hosts) gives it, or None. The test DNS server does not
    know the name."""
    name = socket.gethostname()
    try:
        addr = socket.getaddrinfo(name, None, socket.AF_INET)[0][4][0]
    except (OSError, IndexError):
        return None
    return (name, addr) if name and addr.startswith("127.") else None


def test_host_lookup_dns_then_native(request):
    """smtp_host_lookup = dns, native: a host that DNS does not know is
    found by the system resolver (/etc/hosts) and gets the mail; with
    dns alone the same next hop is "not found"."""
    found = native_host()
    if found is None:
        pytest.skip("the host name does not resolve to a loopback address")
    name, addr = found
    transport = {"both.test": f"smtpboth:[{name}]:PORT",
                 "dnsonly.test": f"smtp:[{name}]:PORT"}
    services = {"smtpboth": "-o smtp_host_lookup=dns,native"}
    with mx_world(request, [], {addr: {}}, transport, services) as w:
        w.send(["u@both.test", "u@dnsonly.test"])
        e = w.status("u@both.test")
        assert e["status"] == "sent", e
        assert w.received(addr) == ["u@both.test"]
        e = w.status("u@dnsonly.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "bounced", "5.4.4",
            "Host or domain name not found. Name service error for "
            f"name={name} type=A: Host not found")


def test_loops_back_to_myself(request):
    """We are the best MX; a backup MX; a domain whose A record is ours;
    best_mx_transport; no loop check on another port than 25.

    Our address here is 127.0.0.32 (proxy_interfaces: nothing listens
    there on port 25); the domains use the default port, where Debian's
    Postfix checks for loops, except loopport.test."""
    records = [
        "loop.test. MX 10 self.loop.test.", "self.loop.test. A 127.0.0.32",
        "backup.test. MX 10 prim.backup.test.",
        "backup.test. MX 20 self.loop.test.",
        "backup.test. MX 30 worse.backup.test.",
        "prim.backup.test. A 127.0.0.27", "worse.backup.test. A 127.0.0.2",
        "aloop.test. A 127.0.0.32",
        "bestmx.test. MX 10 self.loop.test.",
        "loopport.test. MX 10 self.loop.test.",
    ]
    transport = {
        "loop.test": "smtp:loop.test",
        "backup.test": "smtp:backup.test",
        "aloop.test": "smtp:aloop.test",
        "bestmx.test": "smtpbest:bestmx.test",
        "loopport.test": "smtp:loopport.test:PORT",
        "litloop.test": "smtp:[127.0.0.32]",
    }
    services = {"smtpbest": "-o best_mx_transport=discard"}
    with mx_world(request, records, {"127.0.0.32": {}}, transport,
                  services, proxy_interfaces="127.0.0.32") as w:
        w.send([f"u@{d}" for d in transport])
        e = w.status("u@loop.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "bounced", "5.4.6", "mail for loop.test loops back to myself")
        e = w.status("u@aloop.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "bounced", "5.4.6", "mail for aloop.test loops back to myself")
        e = w.status("u@litloop.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "bounced", "5.4.6", "mail for 127.0.0.32 loops back to myself")
        # The backup MX drops itself and every worse MX host.
        e = w.status("u@backup.test")
        assert (e["status"], e["dsn"], e["text"]) == (
            "deferred", "4.4.1",
            "connect to prim.backup.test[127.0.0.27]:25: Connection refused")
        assert not any("worse.backup" in f or "self.loop" in f
                       for f in w.connect_failures())
        # best_mx_transport: handed to discard(8), not bounced.
        e = w.status("u@bestmx.test")
        assert e["status"] != "bounced", e
        # Another port: no loop check, the mail goes to "ourselves".
        e = w.status("u@loopport.test")
        assert (e["status"], e["relay"]) == (
            "sent", f"self.loop.test[127.0.0.32]:{w.port}")
        assert w.received("127.0.0.32") == ["u@loopport.test"]


def test_no_randomize_keeps_dns_order(request):
    """smtp_randomize_addresses = no: equal-preference MX hosts are tried
    in the order the DNS server gives them, every time (our DNS library
    turns libunbound's rrset-roundrobin off, the test server too)."""
    records = [
        "eq.test. MX 10 r1.eq.test.", "eq.test. MX 10 r2.eq.test.",
        "r1.eq.test. A 127.0.0.2", "r2.eq.test. A 127.0.0.3",
    ]
    listeners = {a: {} for a in ("127.0.0.2", "127.0.0.3")}
    transport = {"eq.test": "smtp:eq.test:PORT"}
    count = 6
    with mx_world(request, records, listeners, transport,
                  smtp_randomize_addresses="no") as w:
        for n in range(count):
            w.send([f"u{n}@eq.test"], tag=f"r{n}")
        for n in range(count):
            w.status(f"u{n}@eq.test")
        assert len(w.received("127.0.0.2")) == count
        assert w.received("127.0.0.3") == []


def test_randomize_equal_preferences(request):
    """smtp_randomize_addresses: both equal-preference hosts get mail."""
    records = [
        "eq.test. MX 10 r1.eq.test.", "eq.test. MX 10 r2.eq.test.",
        "r1.eq.test. A 127.0.0.2", "r2.eq.test. A 127.0.0.3",
    ]
    listeners = {a: {} for a in ("127.0.0.2", "127.0.0.3")}
    transport = {"eq.test": "smtp:eq.test:PORT"}
    count = 16
    with mx_world(request, records, listeners, transport) as w:
        for n in range(count):
            w.send([f"u{n}@eq.test"], tag=f"r{n}")
        for n in range(count):
            w.status(f"u{n}@eq.test")
        got = [len(w.received(a)) for a in ("127.0.0.2", "127.0.0.3")]
        assert sum(got) == count
        # Both get some: a failure chance of 2 ** -15.
        assert min(got) > 0, got


# The differential test: the same zones, transport table and recipients
# through Debian's Postfix 3.7 and through ours; the status lines (dsn,
# status, text) and the failed-connect lines must be the same. Every
# server address is closed (nothing listens on 127.0.0.28-31), so only
# the DNS and connect handling matter.
DIFF_RECORDS = [
    "loop.test. MX 10 self.loop.test.", "self.loop.test. A 127.0.0.1",
    "aloop.test. A 127.0.0.1",
    "backup.test. MX 10 prim.backup.test.",
    "backup.test. MX 20 self.loop.test.",
    "backup.test. MX 30 worse.backup.test.",
    "prim.backup.test. A 127.0.0.28", "worse.backup.test. A 127.0.0.29",
    "down.test. MX 10 mx1.down.test.", "down.test. MX 20 mx2.down.test.",
    "mx1.down.test. A 127.0.0.30", "mx2.down.test. A 127.0.0.31",
    "noaddr.test. MX 10 ghost.noaddr.test.",
    "nodata.test. TXT \"no address\"",
    "nullmx.test. MX 0 .",
    "loop25.test. MX 10 self32.loop.test.", "self32.loop.test. A 127.0.0.32",
    "aloop25.test. A 127.0.0.32",
    "backup25.test. MX 10 prim.backup.test.",
    "backup25.test. MX 20 self32.loop.test.",
    "backup25.test. MX 30 worse.backup.test.",
]
DIFF_DOMAINS = ["loop.test", "aloop.test", "backup.test", "down.test",
                "noaddr.test", "nodata.test", "nx.test", "broken.test",
                "nullmx.test"]
# Loop detection at the default port: 127.0.0.32 is in proxy_interfaces
# (nothing listens there), the other hosts are closed addresses.
DIFF_DOMAINS_25 = ["loop25.test", "aloop25.test", "backup25.test"]


# Next hops without DNS: literals, an IPv6 literal while inet_protocols
# is ipv4, a missing LMTP socket.
DIFF_LITERALS = {
    "lit.test": "smtp:[127.0.0.28]:PORT",
    "v6lit.test": "smtp:[ipv6:::1]:PORT",
    "lmtpunix.test": "lmtp:unix:BASE/no-such-lmtp-socket",
    # Our own address (proxy_interfaces) at port 25 without MX lookup:
    # Debian finds the loop too ("mail for 127.0.0.32 loops back ...").
    "brloop25.test": "smtp:[self32.loop.test]",
    "litloop25.test": "smtp:[127.0.0.32]",
}


def _diff_settings(base, port, name):
    table = base / f"mx-transport-{name}"
    table.write_text("origin.example discard:notice\n" + "".join(
        f"{d} smtp:{d}:{port}\n" for d in DIFF_DOMAINS) + "".join(
        f"{d} smtp:{d}\n" for d in DIFF_DOMAINS_25) + "".join(
        f"{d} {t.replace('PORT', str(port)).replace('BASE', str(base))}\n"
        for d, t in DIFF_LITERALS.items()))
    os.chmod(table, 0o644)
    values = dict(PAIR_SETTINGS)
    values.update(relayhost="", transport_maps=f"texthash:{table}",
                  proxy_interfaces="127.0.0.32",
                  relay_domains=" ".join(DIFF_DOMAINS + DIFF_DOMAINS_25
                                         + list(DIFF_LITERALS)),
                  smtp_connection_cache_on_demand="no")
    return values


def _diff_run(mta):
    recipients = [f"u@{d}" for d in DIFF_DOMAINS + DIFF_DOMAINS_25
                  + list(DIFF_LITERALS)]
    _submit_smtp(mta.port, Submission("s@origin.example", recipients,
                                      "Subject: mx\n\nmx\n"))
    deadline = time.monotonic() + TIMEOUT
    while True:
        found = {e["to"]: (e["dsn"], e["status"], e["text"])
                 for e in status_lines(mta.log_text())
                 if e["prog"] in ("smtp", "lmtp") and e["status"] in FINAL}
        if set(recipients) <= set(found):
            break
        if time.monotonic() > deadline:
            raise AssertionError("missing status lines:\n"
                                 + mta.log_text()[-3000:])
        time.sleep(0.1)
    connects = sorted(line.split(": connect to ", 1)[1]
                      for line in mta.log_text().splitlines()
                      if ("postfix/smtp[" in line or "postfix/lmtp[" in line)
                      and ": connect to " in line
                      and "status=" not in line)
    return found, connects


def test_mx_texts_same_as_debian(request, shared_tmp, monkeypatch):
    """Loops, DNS failures and failed connects: Debian's texts."""
    import dns_server
    from dns_server import debian_smtpd_with_dns

    port = common_port(["127.0.0.1", "127.0.0.28", "127.0.0.29",
                        "127.0.0.30", "127.0.0.31"])
    with dns_server.debian_dns_server(records=DIFF_RECORDS,
                                      servfail=["broken.test"]) as dns:
        with debian_smtpd_with_dns(
                shared_tmp, dns, monkeypatch,
                master_extra="lmtp unix - - n - - lmtp\n",
                **_diff_settings(shared_tmp, port, "debian")) as debian:
            want, want_connects = _diff_run(debian)
        values = _diff_settings(shared_tmp, port, "ours")
        values["dns_resolver_address"] = dns.resolver_address
        inst = our_instance(request)
        with ours_smtpd(inst, **values) as ours:
            got, got_connects = _diff_run(ours)
    # The texts Debian gave (so a change on either side shows here).
    assert want["u@loop25.test"] == (
        "5.4.6", "bounced", "mail for loop25.test loops back to myself")
    assert want["u@nx.test"] == (
        "5.4.4", "bounced", "Host or domain name not found. Name service "
        "error for name=nx.test type=A: Host not found")
    assert want["u@v6lit.test"] == (
        "5.4.4", "bounced",
        "Name service error for ::1: invalid host or domain name")
    assert want["u@lmtpunix.test"] == (
        "4.4.1", "deferred", f"connect to test.example[{shared_tmp}/"
        "no-such-lmtp-socket]: No such file or directory")
    assert want["u@litloop25.test"] == (
        "5.4.6", "bounced", "mail for 127.0.0.32 loops back to myself")
    assert got == want
    assert got_connects == want_connects
