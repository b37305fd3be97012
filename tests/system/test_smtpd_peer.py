"""smtpd(8) client identity: name lookups and the PROXY protocol.

The client name (smtpd_peer.c): reverse lookup, then forward
confirmation, as Postfix does it: a forward-confirmed name, a forged
one, a name whose forward lookup fails (not found, no address record,
temporary failure), a numeric PTR, a PTR lookup that fails temporarily
and an address without PTR. Each shows in the "connect from
name[addr]" line, in the warning that Postfix logs, and in the
Received: header. Ours is pointed at a private unbound (dns_server.py)
with dns_resolver_address; as root with Debian's Postfix installed the
same sessions run against Debian's Postfix, whose resolv.conf names the
same data (dns_server.resolv_conf_command), and the smtpd log lines
must be the same.

Without dns_resolver_address the names come from the C library (NSS:
/etc/hosts, then the machine's resolver) as in Postfix: 127.0.0.1 and
127.0.0.2 give the same connect lines as Debian's Postfix on this
machine. With it, /etc/hosts still comes first (127.0.0.1 is
"localhost" without a PTR in the test server's data).

smtpd_upstream_proxy_protocol = haproxy (smtpd_haproxy.c): v1 and v2
headers set the identity (name lookups included), bad headers give
Postfix's "warning: haproxy read: ..." lines, compared with Debian's.
"""

import os
import re
import socket
import struct
import subprocess
import time

import pytest

import dns_server
import smtp_dialogue
from dns_server import DnsServer, debian_smtpd_with_dns, ptr
from smtp_dialogue import dialogue, ours_smtpd, our_instance

RECORDS = [
    ptr("127.0.0.1", "localhost"),
    ptr("127.0.0.2", "good.example.test"),
    "good.example.test. A 127.0.0.2",
    ptr("127.0.0.3", "forged.example.test"),
    "forged.example.test. A 127.0.0.99",
    ptr("127.0.0.4", "nxfwd.example.test"),
    ptr("127.0.0.5", "host.broken.test"),
    "6.0.0.127.in-addr.arpa. CNAME 6.ptr.broken.test.",
    ptr("127.0.0.7", "127.0.0.7"),
    ptr("127.0.0.10", "nodata.example.test"),
    "nodata.example.test. MX 10 mx.example.test.",
]

# The same without a PTR of 127.0.0.1: that name comes from /etc/hosts.
RECORDS_NO_LOCALHOST = RECORDS[1:]

# source address -> (connect name, warning or None)
EXPECTED = {
    "127.0.0.2": ("good.example.test", None),
    "127.0.0.3": ("unknown", "warning: hostname forged.example.test does not "
                  "resolve to address 127.0.0.3"),
    "127.0.0.4": ("unknown", "warning: hostname nxfwd.example.test does not "
                  "resolve to address 127.0.0.4: Name or service not known"),
    "127.0.0.5": ("unknown", "warning: hostname host.broken.test does not "
                  "resolve to address 127.0.0.5: Temporary failure in name "
                  "resolution"),
    "127.0.0.6": ("unknown", None),
    "127.0.0.7": ("unknown", "warning: numeric hostname: 127.0.0.7"),
    "127.0.0.9": ("unknown", None),
    "127.0.0.10": ("unknown", "warning: hostname nodata.example.test does "
                   "not resolve to address 127.0.0.10: No address associated "
                   "with hostname"),
}

HAPROXY_ARGS = ("-o smtpd_upstream_proxy_protocol=haproxy "
                "-o smtpd_upstream_proxy_timeout=2s")

SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def v2(command=0x21, family=0x11, body=None):
    """A PROXY v2 header (default: TCP4 127.0.0.2:1234 -> 127.0.0.1:25)."""
    if body is None:
        body = bytes([127, 0, 0, 2, 127, 0, 0, 1]) + struct.pack(">HH",
                                                                 1234, 25)
    return SIG + bytes([command, family]) + struct.pack(">H", len(body)) \
        + body


# header -> what to expect: ("ok", connect name[addr]) or ("bad", reason)
HEADERS = [
    (b"PROXY TCP4 127.0.0.2 127.0.0.1 1234 25\r\n",
     ("ok", "good.example.test[127.0.0.2]")),
    (b"PROXY TCP4 127.0.0.3 127.0.0.1 1234 25\r\n",
     ("ok", "unknown[127.0.0.3]")),
    (v2(), ("ok", "good.example.test[127.0.0.2]")),
    (v2(command=0x20, family=0, body=b""), ("ok", "localhost[127.0.0.1]")),
    (b"PROXY TCP4 1.2.3 127.0.0.1 1234 25\r\n",
     ("bad", "bad or missing client address: "
      "PROXY TCP4 1.2.3 127.0.0.1 1234 25\\r\\n")),
    (b"PROXY TCP6 ::1 ::1 1234 25\r\n",         # inet_protocols = ipv4
     ("bad", "bad or missing protocol type: "
      "PROXY TCP6 ::1 ::1 1234 25\\r\\n")),
    (b"GARBAGE\r\n", ("bad", "short protocol header: GARBAGE\\r\\n")),
    (b"PROXY TCP4 127.0.0.2 127.0.0.1 1234 25",
     ("bad", "missing protocol header terminator: "
      "PROXY TCP4 127.0.0.2 127.0.0.1 1234 25")),
    (v2(command=0x22), ("bad", "bad command in proxy header: ")),
    (b"", ("bad", "timeout error")),
]


@pytest.fixture(scope="module")
def dns():
    if not dns_server.available():
        pytest.skip("needs unbound")
    with DnsServer(records=RECORDS, servfail=["broken.test"]) as server:
        yield server


def settings(dns_address=None):
    values = {"smtpd_client_restrictions": "",
              "smtpd_helo_restrictions": "",
              "smtpd_sender_restrictions": ""}
    if dns_address:
        values["dns_resolver_address"] = dns_address
    return values


def connect_lines(server):
    """The connect and warning lines of smtpd, in order."""
    return [line for line in server.smtpd_log()
            if line.startswith(("smtpd: connect from", "smtpd: warning:"))]


def run_sessions(server):
    for source in EXPECTED:
        replies = dialogue(server.port, ["EHLO client.example", "QUIT"],
                           source=source)
        assert replies[0].startswith("220"), (source, replies)
    last = list(EXPECTED)[-1]
    server.wait_for_log(f"disconnect from unknown[{last}]")


def expected_lines():
    lines = []
    for source, (name, warning) in EXPECTED.items():
        if warning:
            lines.append("smtpd: " + warning)
        lines.append(f"smtpd: connect from {name}[{source}]")
    return lines


def test_peer_names(request, dns):
    """Each kind of client name, in the connect line and warnings."""
    with ours_smtpd(our_instance(request),
                    **settings(dns.resolver_address)) as ours:
        run_sessions(ours)
        assert connect_lines(ours) == expected_lines()


def test_received_header_names(request, dns, shared_tmp):
    """The Received: header shows name [addr] as Postfix does."""
    checks = os.path.join(str(shared_tmp), "peer_header_checks")
    with open(checks, "w") as f:
        f.write("/^Subject: hold/ HOLD\n")
    os.chmod(checks, 0o644)
    values = settings(dns.resolver_address)
    values["header_checks"] = f"regexp:{checks}"
    with ours_smtpd(our_instance(request), **values) as ours:
        for source, name in (("127.0.0.2", "good.example.test"),
                             ("127.0.0.3", "unknown")):
            replies = dialogue(ours.port, [
                "EHLO client.example", "MAIL FROM:<s@example.org>",
                "RCPT TO:<root@test.example>", "DATA",
                "Subject: hold\r\n\r\nbody\r\n.", "QUIT"], source=source)
            assert replies[5].startswith("250"), replies
            qid = re.search(r"queued as (\w+)", replies[5]).group(1)
            deadline = time.monotonic() + 10
            out = ""
            while time.monotonic() < deadline and "Received:" not in out:
                out = subprocess.run(
                    [str(ours.sbin / "postcat"), "-c", str(ours.config_dir),
                     "-bh", "-q", qid], capture_output=True,
                    text=True, timeout=30).stdout
                time.sleep(0.1)
            first = out.split("\n")[0]
            assert first == (f"Received: from client.example "
                             f"({name} [{source}])"), out


def test_peername_lookup_off(request, dns):
    """smtpd_peername_lookup = no: "unknown", no lookup, no warning."""
    values = settings(dns.resolver_address)
    values["smtpd_peername_lookup"] = "no"
    with ours_smtpd(our_instance(request), **values) as ours:
        dialogue(ours.port, ["QUIT"], source="127.0.0.3")
        ours.wait_for_log("disconnect from unknown[127.0.0.3]")
        assert connect_lines(ours) == [
            "smtpd: connect from unknown[127.0.0.3]"]


def run_headers(server):
    """Send each header as the first bytes of a session from 127.0.0.1."""
    replies = []
    for header, _ in HEADERS:
        with socket.create_connection(("127.0.0.1", server.port),
                                      timeout=15) as s:
            if header:
                s.sendall(header)
            data = b""
            try:
                while b"\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except (socket.timeout, ConnectionResetError):
                pass
            replies.append(data.decode(errors="replace").split("\r\n")[0])
            if data.startswith(b"220"):
                s.sendall(b"QUIT\r\n")
        # One session at a time, so that the log lines keep their order.
        deadline = time.monotonic() + 10
        want = len(replies)
        while time.monotonic() < deadline and sum(
                "disconnect from" in l for l in server.smtpd_log()) < want:
            time.sleep(0.05)
    return replies


def test_haproxy(request, dns):
    """PROXY v1/v2 set the identity; bad headers are logged and refused
    with Postfix's 421."""
    with ours_smtpd(our_instance(request), smtpd_args=HAPROXY_ARGS,
                    **settings(dns.resolver_address)) as ours:
        replies = run_headers(ours)
        log = ours.smtpd_log()
        for (header, (kind, text)), reply in zip(HEADERS, replies):
            if kind == "ok":
                assert reply.startswith("220"), (header, reply)
                assert f"smtpd: connect from {text}" in log, (header, log)
            else:
                assert any(l.startswith("smtpd: warning: haproxy read: "
                                        + text) for l in log), (header, log)
                assert reply == "421 4.3.0 test.example Server local error", \
                    (header, reply)


@pytest.fixture
def debian_dns():
    """unbound on port 53 of a random loopback address with RECORDS
    (root and Debian's Postfix only)."""
    with dns_server.debian_dns_server(records=RECORDS,
                                      servfail=["broken.test"]) as server:
        yield server


def test_peer_names_as_debian(request, shared_tmp, debian_dns, monkeypatch):
    """Debian's Postfix logs the same lines for the same DNS data."""
    with debian_smtpd_with_dns(shared_tmp, debian_dns, monkeypatch,
                               **settings()) as debian:
        run_sessions(debian)
        assert connect_lines(debian) == expected_lines()
    with ours_smtpd(our_instance(request),
                    **settings(debian_dns.resolver_address)) as ours:
        run_sessions(ours)
        assert connect_lines(ours) == connect_lines(debian)


def test_haproxy_as_debian(request, shared_tmp, debian_dns, monkeypatch):
    """The same headers: the same replies and smtpd log lines."""
    with debian_smtpd_with_dns(shared_tmp, debian_dns, monkeypatch,
                               smtpd_args=HAPROXY_ARGS,
                               **settings()) as debian:
        debian_replies = run_headers(debian)
        debian_log = [l for l in debian.smtpd_log()]
    with ours_smtpd(our_instance(request), smtpd_args=HAPROXY_ARGS,
                    **settings(debian_dns.resolver_address)) as ours:
        our_replies = run_headers(ours)
        our_log = [l for l in ours.smtpd_log()]
    assert our_replies == debian_replies

    def interesting(log):
        return [l for l in log if l.startswith(
            ("smtpd: connect from", "smtpd: warning: haproxy"))]
    assert interesting(our_log) == interesting(debian_log)


def test_standalone_client_is_localhost(request, shared_tmp):
    """sendmail -bs (smtpd -S on standard input): the client is
    localhost[127.0.0.1], as Postfix logs it, and no lookup is made."""
    checks = os.path.join(str(shared_tmp), "bs_header_checks")
    with open(checks, "w") as f:
        f.write("/^Subject: hold/ HOLD\n")
    os.chmod(checks, 0o644)
    inst = our_instance(request)
    values = settings("127.0.0.1@1")      # any lookup would fail
    values["header_checks"] = f"regexp:{checks}"
    with ours_smtpd(inst, **values) as ours:
        result = subprocess.run(
            [str(inst.sbin / "sendmail"), "-C", str(inst.config_dir), "-bs"],
            input=("EHLO x\r\nMAIL FROM:<a@example.org>\r\n"
                   "RCPT TO:<root@test.example>\r\nDATA\r\n"
                   "Subject: hold\r\n\r\nhi\r\n.\r\nQUIT\r\n"),
            capture_output=True, text=True, timeout=60, env=inst.env())
        assert "250 2.0.0 Ok: queued as" in result.stdout, \
            result.stdout + result.stderr
        qid = re.search(r"queued as (\w+)", result.stdout).group(1)
        log = ours.wait_for_log("disconnect from localhost[127.0.0.1]")
        assert "connect from localhost[127.0.0.1]" in log
        # smtpd -S hands the message to postdrop; pickup may take the
        # maildrop file before postcat looks, and the held message has a
        # new queue ID then (cleanup's hold line names it).
        held = re.compile(r"cleanup\[\d+\]: (\w+): hold: header Subject: "
                          r"hold")
        deadline = time.monotonic() + 30
        out = ""
        while time.monotonic() < deadline and "Received:" not in out:
            found = held.search(ours.log_text())
            for qid in [qid] + ([found.group(1)] if found else []):
                out = subprocess.run(
                    [str(ours.sbin / "postcat"), "-c", str(ours.config_dir),
                     "-bh", "-q", qid], capture_output=True, text=True,
                    timeout=30).stdout
                if "Received:" in out:
                    break
            time.sleep(0.1)
        assert "Received: from x (localhost [127.0.0.1])" in out, \
            out + ours.log_text()[-3000:]


# Clients looked up through the system's name service (no
# dns_resolver_address): in /etc/hosts and not.
SYSTEM_CLIENTS = ["127.0.0.1", "127.0.0.2"]


def system_name(addr):
    """The client name that the C library gives: the name of the
    address, forward-confirmed with getaddrinfo (IPv4, as the tests'
    inet_protocols), else "unknown"."""
    try:
        name = socket.getnameinfo((addr, 0), socket.NI_NAMEREQD)[0]
        infos = socket.getaddrinfo(name, None, socket.AF_INET)
    except OSError:
        return "unknown"
    return name if addr in {info[4][0] for info in infos} else "unknown"


def run_system_sessions(server):
    """One session from each of SYSTEM_CLIENTS; their connect lines."""
    for source in SYSTEM_CLIENTS:
        replies = dialogue(server.port, ["EHLO client.example", "QUIT"],
                           source=source, timeout=60)
        assert replies[0].startswith("220"), (source, replies)
    server.wait_for_log(f"disconnect from {system_name(SYSTEM_CLIENTS[-1])}"
                        f"[{SYSTEM_CLIENTS[-1]}]", timeout=60)
    return [line for line in connect_lines(server)
            if line.startswith("smtpd: connect from")]


def test_system_resolver_names(request):
    """Without dns_resolver_address the names come from the C library
    as in Postfix: 127.0.0.1 is what /etc/hosts says ("localhost"
    here), 127.0.0.2 what the system resolver says."""
    with ours_smtpd(our_instance(request), **settings()) as ours:
        lines = run_system_sessions(ours)
    assert lines == [f"smtpd: connect from {system_name(a)}[{a}]"
                     for a in SYSTEM_CLIENTS]


def test_system_resolver_as_debian(request, shared_tmp):
    """The same sessions against Debian's Postfix with the machine's
    own resolver configuration: the same connect lines."""
    if os.geteuid() != 0 or not smtp_dialogue.REAL_POSTFIX.exists():
        pytest.skip("needs root and Debian's Postfix")
    with smtp_dialogue.debian_smtpd(shared_tmp, **settings()) as debian:
        debian_lines = run_system_sessions(debian)
    with ours_smtpd(our_instance(request), **settings()) as ours:
        assert run_system_sessions(ours) == debian_lines


def test_hosts_file_before_resolver(request):
    """With dns_resolver_address the hosts file still comes first, as
    the C library's "files dns" order: 127.0.0.1 has no PTR in the
    server's data and is still "localhost" when /etc/hosts says so."""
    if not dns_server.available():
        pytest.skip("needs unbound")
    if system_name("127.0.0.1") != "localhost":
        pytest.skip("/etc/hosts does not name 127.0.0.1 localhost")
    with DnsServer(records=RECORDS_NO_LOCALHOST,
                   servfail=["broken.test"]) as server:
        with ours_smtpd(our_instance(request),
                        **settings(server.resolver_address)) as ours:
            for source in ("127.0.0.1", "127.0.0.2"):
                replies = dialogue(ours.port, ["EHLO c.example", "QUIT"],
                                   source=source)
                assert replies[0].startswith("220"), replies
            ours.wait_for_log("disconnect from good.example.test[127.0.0.2]")
            assert connect_lines(ours) == [
                "smtpd: connect from localhost[127.0.0.1]",
                "smtpd: connect from good.example.test[127.0.0.2]"]
