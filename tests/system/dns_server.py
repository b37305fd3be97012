"""A real DNS server for the system tests: unbound(8) on loopback.

DnsServer runs /usr/sbin/unbound as the current user (username: "",
chroot: "", no remote control, do-daemonize: no) in a temporary
directory, listening on 127.0.0.1 and a free port (UDP and TCP), and
answers from local data that the test gives. Point Postel at it with
the main.cf parameter

    dns_resolver_address = 127.0.0.1@PORT     (server.resolver_address)

Use it as a context manager (or call start()/stop()):

    from dns_server import DnsServer, ptr

    with DnsServer(records=[
            "mail.example.test. 300 IN A 127.0.0.2",
            "example.test. MX 10 mail.example.test.",
            'example.test. TXT "v=spf1 -all"',
            ptr("127.0.0.2", "mail.example.test"),
            ], servfail=["broken.test"], timeout=["slow.test"]) as dns:
        instance.postconf(f"dns_resolver_address = {dns.resolver_address}")
        ...

records: local-data lines in zone-file syntax ("owner [ttl] [IN] TYPE
data"): A, AAAA, MX, PTR, TXT, NS, CNAME, SRV, TLSA, SOA... Owner names
should end with a dot. ptr(addr, name) builds the PTR line of an IPv4 or
IPv6 address. Everything that is not given does not exist: the server
answers NXDOMAIN (or NODATA for a name that has other records), also for
reverse names of 127.0.0.0/8 and ::1 (unbound's built-in localhost and
RFC 1918 zones are switched off; only "localhost." keeps its built-in
records). Answers are authoritative-style local data, not DNSSEC signed.

servfail: names (and everything below them) whose lookups fail at once
with SERVFAIL: they are delegated (stub-zone) to a UDP socket on
loopback whose thread in this helper answers every query with SERVFAIL.

timeout: names (and everything below them) whose lookups get no answer
for a long time: they are delegated to a UDP socket that this helper
holds open and never answers; unbound gives up only after its own
retries (many seconds), so a client with a short dns_lookup_timeout sees
a timeout. Both kinds are temporary failures (DNS_RETRY).

extra_config: more "server:" lines, for special cases.

auth_zones: {zone: zone file text}: zones served from zone files
(unbound's auth-zone), with whatever they hold: RRSIG, DNSKEY and NSEC
records of a signed zone are served to clients that ask for DNSSEC data
(tests/system/test_dns.py signs one for the DNSSEC test).

query(name, rtype) sends one query with Python's socket module and
returns (rcode, answer_count); tests use it to check the server itself.

The server's log is dns.log_path (verbosity 1). stop() ends the process
(SIGTERM, then SIGKILL after 5 s) and removes the temporary directory.
If unbound cannot bind its port (a race with another process), start()
retries with another port, three times at most.

Differential tests against Debian's Postfix (root only): its resolver
reads /etc/resolv.conf, which cannot name a port. Run the server on port
53 of a spare loopback address, DnsServer(..., address="127.0.0.153",
port=53), and start Debian's Postfix through resolv_conf_command(server,
workdir, ["/usr/sbin/postfix", "-c", confdir, "start"]): it runs in a
private mount namespace whose /etc/resolv.conf names that server. Ours
is pointed at the same server with dns_resolver_address. Its master.cf
must run smtpd with chroot "n" (a chrooted smtpd reads the copy of
resolv.conf in its queue directory). Both sides then see the same DNS
data; stopping works from outside the namespace (postfix stop).
debian_smtpd_with_dns(base, server, monkeypatch, **settings) does all
that for smtp_dialogue.debian_smtpd(). debian_dns_server(**kw) makes
that server: DnsServer(**kw) on port 53 of a random 127.x.y.z address
(x not 0, so never a client address of the tests, and never the same
for two suites that run at once), tried only when the port is free;
it skips the test (pytest.skip) without root, Debian's Postfix,
unbound or a free address.

Readiness: start() waits until the server answers a name that only
its own configuration holds, so another server that answers on the
same address and port is never taken for it.
"""

import contextlib
import ipaddress
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ports import free_port

UNBOUND = "/usr/sbin/unbound"


def available():
    """True when unbound is installed (tests skip otherwise)."""
    return os.access(UNBOUND, os.X_OK)


def ptr(addr, name):
    """The local-data line of the PTR record of addr pointing to name."""
    rev = ipaddress.ip_address(addr).reverse_pointer
    if not name.endswith("."):
        name += "."
    return f"{rev}. 300 IN PTR {name}"


def port_free(address, port):
    """True when port is free for both UDP and TCP on address."""
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind((address, port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def _quote(line):
    """A local-data value in the quotes that its text does not use."""
    if "'" not in line:
        return f"'{line}'"
    return '"' + line.replace('"', '\\"') + '"'


def _fqdn(name):
    return name if name.endswith(".") else name + "."


class _Upstream:
    """A loopback DNS "server" for delegated names: it answers every
    query with SERVFAIL (servfail=True) or never answers (a blackhole).
    UDP only; a thread serves it until close()."""

    def __init__(self, servfail):
        self.servfail = servfail
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                packet, peer = self.sock.recvfrom(65535)
            except (socket.timeout, OSError):
                continue
            if not self.servfail or len(packet) < 12:
                continue
            # Same ID and question, QR set, RCODE 2 (SERVFAIL).
            flags = struct.unpack(">H", packet[2:4])[0]
            flags = (flags & 0x0100) | 0x8000 | 2
            reply = packet[:2] + struct.pack(">HHHHH", flags,
                                             struct.unpack(">H", packet[4:6])[0],
                                             0, 0, 0) + packet[12:]
            try:
                self.sock.sendto(reply, peer)
            except OSError:
                pass

    def close(self):
        self.running = False
        self.thread.join(5)
        self.sock.close()


class DnsServer:
    """unbound(8) on 127.0.0.1:port serving the test's records."""

    def __init__(self, records=(), servfail=(), timeout=(),
                 extra_config=(), address="127.0.0.1", port=None,
                 auth_zones=None):
        self.address = address
        self.fixed_port = port
        self.records = list(records)
        self.servfail = [_fqdn(n) for n in servfail]
        self.timeout = [_fqdn(n) for n in timeout]
        self.extra_config = list(extra_config)
        self.auth_zones = {_fqdn(k): v for k, v in (auth_zones or {}).items()}
        self.port = None
        self.proc = None
        self.dir = None
        self.upstreams = []
        # A name only this server knows: the readiness probe must not be
        # answered by another server that holds the address and port.
        self._ready_name = f"ready-{random.getrandbits(64):016x}.postel."

    @property
    def resolver_address(self):
        """The value for dns_resolver_address."""
        return f"{self.address}@{self.port}"

    @property
    def log_path(self):
        return Path(self.dir) / "unbound.log"

    def _config(self, servfail_port, timeout_port):
        lines = [
            "server:",
            '  username: ""',
            '  chroot: ""',
            f'  directory: "{self.dir}"',
            f'  pidfile: "{self.dir}/unbound.pid"',
            f'  logfile: "{self.dir}/unbound.log"',
            "  use-syslog: no",
            "  do-daemonize: no",
            "  verbosity: 1",
            f"  interface: {self.address}",
            f"  port: {self.port}",
            "  do-ip6: no",
            "  num-threads: 1",
            "  outgoing-range: 32",
            "  so-reuseport: no",
            "  access-control: 127.0.0.0/8 allow",
            "  do-not-query-localhost: no",
            "  qname-minimisation: no",
            '  module-config: "iterator"',
            "  minimal-responses: no",
            "  rrset-roundrobin: no",
            '  local-zone: "." static',
            '  local-zone: "127.in-addr.arpa." nodefault',
            '  local-zone: "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0'
            '.0.0.0.0.0.0.0.0.ip6.arpa." nodefault',
            f"  local-data: '{self._ready_name} 0 IN A 127.0.0.1'",
        ]
        for name in self.servfail + self.timeout + list(self.auth_zones):
            lines.append(f'  local-zone: "{name}" transparent')
        for rec in self.records:
            lines.append(f"  local-data: {_quote(rec)}")
        lines.extend("  " + line for line in self.extra_config)
        for name in self.servfail:
            lines += ["stub-zone:", f'  name: "{name}"',
                      f"  stub-addr: 127.0.0.1@{servfail_port}"]
        for name in self.timeout:
            lines += ["stub-zone:", f'  name: "{name}"',
                      f"  stub-addr: 127.0.0.1@{timeout_port}"]
        for n, (name, text) in enumerate(self.auth_zones.items()):
            path = Path(self.dir) / f"zone{n}.txt"
            path.write_text(text)
            lines += ["auth-zone:", f'  name: "{name}"',
                      f'  zonefile: "{path}"', "  for-downstream: yes",
                      "  for-upstream: yes", "  fallback-enabled: no"]
        lines += ["remote-control:", "  control-enable: no"]
        return "\n".join(lines) + "\n"

    def start(self):
        """Start unbound and wait until it answers (at most 10 s)."""
        self.dir = tempfile.mkdtemp(prefix="postel-dns-")
        servfail = _Upstream(servfail=True)
        blackhole = _Upstream(servfail=False)
        self.upstreams = [servfail, blackhole]
        last_error = ""
        for _ in range(3):
            self.port = self.fixed_port or free_port()
            if self.fixed_port and not port_free(self.address, self.port):
                last_error = f"{self.address}:{self.port} is in use"
                break
            conf = Path(self.dir) / "unbound.conf"
            conf.write_text(self._config(servfail.port, blackhole.port))
            check = subprocess.run(["/usr/sbin/unbound-checkconf", str(conf)],
                                   capture_output=True, text=True)
            if check.returncode != 0:
                self.stop()
                raise RuntimeError("bad unbound config: " + check.stdout
                                   + check.stderr)
            self.proc = subprocess.Popen(
                [UNBOUND, "-d", "-c", str(conf)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    answer = self.query(self._ready_name, "A", wait=0.2)
                except OSError:
                    answer = None
                if answer == (0, 1) and self.proc.poll() is None:
                    return self
                time.sleep(0.05)
            last_error = self._end_process()
        self.stop()
        raise RuntimeError("unbound did not start: " + last_error)

    def _end_process(self):
        """Stop the unbound process; return what it said on stderr."""
        text = ""
        if self.proc is None:
            return text
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr is not None:
            text = self.proc.stderr.read().decode(errors="replace")
            self.proc.stderr.close()
        self.proc = None
        try:
            text += self.log_path.read_text(errors="replace")
        except OSError:
            pass
        return text

    def stop(self):
        """Stop unbound and remove its directory."""
        self._end_process()
        for upstream in self.upstreams:
            upstream.close()
        self.upstreams = []
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15,
             "TXT": 16, "AAAA": 28, "SRV": 33, "TLSA": 52}

    def query(self, name, rtype="A", wait=2.0):
        """Send one UDP query; return (rcode, answer count)."""
        qid = random.randint(0, 0xffff)
        packet = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
        for label in name.rstrip(".").split("."):
            if label:
                packet += bytes([len(label)]) + label.encode()
        packet += b"\0" + struct.pack(">HH", self.TYPES[rtype], 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.settimeout(wait)
            s.sendto(packet, (self.address, self.port))
            while True:
                reply, _ = s.recvfrom(65535)
                if len(reply) >= 12 and struct.unpack(">H", reply[:2])[0] == qid:
                    break
        except socket.timeout as exc:
            raise OSError("no answer") from exc
        finally:
            s.close()
        flags, _, ancount = struct.unpack(">HHH", reply[2:8])
        return flags & 0xf, ancount


def resolv_conf_command(server, workdir, command):
    """command, run in a private mount namespace (root only) in which
    /etc/resolv.conf is a bind-mounted file naming server (which must
    listen on port 53: resolv.conf cannot name a port). Processes that
    the command starts in the background (postfix start: master(8) and
    its children) stay in that namespace, so Debian's Postfix then asks
    server for every name; the network is not private, so test clients
    reach it as usual. /etc/hosts is left as it is (glibc reads it
    first: 127.0.0.1 is "localhost" there, so tests use other loopback
    addresses)."""
    resolv = Path(workdir) / "resolv.conf"
    resolv.write_text(f"nameserver {server.address}\n"
                      "options timeout:1 attempts:1\n")
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            'mount --bind "$0" /etc/resolv.conf && exec "$@"',
            str(resolv), *[str(c) for c in command]]


@contextlib.contextmanager
def debian_smtpd_with_dns(base, server, monkeypatch, **kw):
    """smtp_dialogue.debian_smtpd(base, **kw) whose "postfix start" runs
    through resolv_conf_command(server, base, ...), so that Debian's
    Postfix asks server (which must listen on port 53) for every name.
    monkeypatch is pytest's fixture (used only while starting)."""
    import smtp_dialogue

    real_run = subprocess.run

    def run(cmd, *args, **kwargs):
        if isinstance(cmd, list) and cmd and \
                cmd[0] == str(smtp_dialogue.REAL_POSTFIX) and "start" in cmd:
            cmd = resolv_conf_command(server, base, cmd)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(smtp_dialogue.subprocess, "run", run)
    try:
        with smtp_dialogue.debian_smtpd(base, **kw) as debian:
            monkeypatch.undo()
            yield debian
    finally:
        monkeypatch.undo()


@contextlib.contextmanager
def debian_dns_server(**kw):
    """DnsServer(**kw) on port 53 of a random free 127.x.y.z address,
    for differential tests against Debian's Postfix; skips the test
    when that cannot run (see the module's description)."""
    import pytest
    import smtp_dialogue

    if os.geteuid() != 0 or not smtp_dialogue.REAL_POSTFIX.exists():
        pytest.skip("needs root and Debian's Postfix")
    if not available():
        pytest.skip("needs unbound")
    server = None
    last_error = "no free address"
    for _ in range(5):
        address = (f"127.{random.randint(1, 254)}.{random.randint(0, 255)}"
                   f".{random.randint(2, 254)}")
        if not port_free(address, 53):
            continue
        try:
            server = DnsServer(address=address, port=53, **kw).start()
            break
        except (RuntimeError, OSError) as exc:
            last_error = str(exc)
    if server is None:
        pytest.skip(f"no DNS server on port 53: {last_error}")
    try:
        yield server
    finally:
        server.stop()
