"""The DNS library (src/dns) against a real DNS server.

Each lookup runs tests/daemons/test_dnsq (one dns_lookup*, results on
stdout) pointed at a private unbound(8) from dns_server.py with
dns_resolver_address. Covered: every record type of dns.h, MX sorting,
TXT joining and its size limit, CNAME chains (and DNS_REQ_NO_CNAME),
NXDOMAIN told apart from NODATA and from temporary failures (SERVFAIL,
no answer within dns_lookup_timeout), the SOA of negative answers, the
record limit over a TCP answer, name syntax checks, reverse lookups for
IPv4 and IPv6, disable_dns_lookups, the DNSSEC flag without a trust
anchor, and dns_native_lookup().
"""

import struct
import subprocess

import pytest

import dns_server
from conftest import BUILD
from dns_server import DnsServer, ptr

DNSQ = BUILD / "tests/daemons/test_dnsq"

RECORDS = [
    "example.com. 3600 SOA ns.example.com. host.example.com. 1 3600 600 "
    "86400 300",
    "mail.example.com. 300 IN A 192.0.2.25",
    "mail.example.com. 300 IN AAAA 2001:db8::25",
    "example.com. MX 20 backup.example.com.",
    "example.com. MX 10 mail.example.com.",
    "example.com. MX 30 Third.Example.com.",
    'example.com. TXT "v=spf1" " -all"',
    "example.com. NS ns.example.com.",
    "alias.example.com. CNAME alias2.example.com.",
    "alias2.example.com. CNAME mail.example.com.",
    "_smtp._tcp.example.com. SRV 10 5 25 mail.example.com.",
    "_25._tcp.mail.example.com. TLSA 3 1 1 0123456789abcdef",
    ptr("192.0.2.25", "mail.example.com"),
    ptr("2001:db8::25", "mail6.example.com"),
    "big.example.com. TXT " + " ".join('"' + "x" * 255 + '"'
                                       for _ in range(20)),
] + [f"many.example.com. A 10.0.{i // 250}.{i % 250}" for i in range(105)]


@pytest.fixture(scope="module")
def dns():
    if not dns_server.available():
        pytest.skip("needs unbound")
    if not DNSQ.exists():
        pytest.skip("test_dnsq not built")
    with DnsServer(records=RECORDS, servfail=["broken.test"],
                   timeout=["slow.test"],
                   extra_config=['local-zone: "example.com." static']) as d:
        yield d


def lookup(dns, *args, timeout_setting="2s"):
    """Run one lookup; return (status, fqdn, why, rr lines, stderr)."""
    argv = [str(DNSQ), "-o", f"dns_resolver_address={dns.resolver_address}",
            "-o", f"dns_lookup_timeout={timeout_setting}", *args]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    fields = {"status": "", "fqdn": "", "why": ""}
    records = []
    for line in result.stdout.splitlines():
        key, _, rest = line.partition(" ")
        if key == "rr":
            records.append(rest)
        else:
            fields[key] = rest
    return fields["status"], fields["fqdn"], fields["why"], records, \
        result.stderr


def test_address_records(dns):
    status, fqdn, _, rrs, _ = lookup(dns, "A", "mail.example.com")
    assert status == "DNS_OK" and fqdn == "mail.example.com"
    assert rrs == ["mail.example.com 300 A 192.0.2.25"]
    status, _, _, rrs, _ = lookup(dns, "AAAA", "mail.example.com.")
    assert status == "DNS_OK"
    assert rrs == ["mail.example.com 300 AAAA 2001:db8::25"]
    status, _, _, rrs, _ = lookup(dns, "A,AAAA", "mail.example.com")
    assert status == "DNS_OK" and len(rrs) == 2


def test_mx_sorted(dns):
    status, _, _, rrs, _ = lookup(dns, "MX", "example.com")
    assert status == "DNS_OK"
    # (unbound compresses "Example.com" into the zone's own spelling)
    assert [r.split(" ", 3)[3].lower() for r in rrs] == [
        "10 mail.example.com", "20 backup.example.com",
        "30 third.example.com"]


def test_other_types(dns):
    status, _, _, rrs, _ = lookup(dns, "TXT", "example.com")
    assert (status, rrs) == ("DNS_OK", ["example.com 3600 TXT v=spf1 -all"])
    status, _, _, rrs, _ = lookup(dns, "NS", "example.com")
    assert rrs == ["example.com 3600 NS ns.example.com"]
    status, _, _, rrs, _ = lookup(dns, "SRV", "_smtp._tcp.example.com")
    assert rrs == ["_smtp._tcp.example.com 3600 SRV 10 5 25 "
                   "mail.example.com"]
    status, _, _, rrs, _ = lookup(dns, "TLSA", "_25._tcp.mail.example.com")
    assert rrs == ["_25._tcp.mail.example.com 3600 TLSA 3 1 1 "
                   "0123456789abcdef"]
    status, _, _, rrs, _ = lookup(dns, "CNAME", "alias.example.com")
    assert rrs == ["alias.example.com 3600 CNAME alias2.example.com"]


def test_cname_chain(dns):
    status, fqdn, _, rrs, _ = lookup(dns, "A", "alias.example.com")
    assert status == "DNS_OK" and fqdn == "mail.example.com"
    assert rrs == ["mail.example.com 300 A 192.0.2.25"]
    status, _, _, rrs, _ = lookup(dns, "-f", "nocname", "A",
                                  "alias.example.com")
    assert status == "DNS_NOTFOUND" and rrs == []


def test_negative_answers(dns):
    status, _, why, rrs, _ = lookup(dns, "A", "nx.example.com")
    assert status == "DNS_NOTEXIST" and rrs == []
    assert why == ("Host or domain name not found. Name service error for "
                   "name=nx.example.com type=A: Host not found")
    status, _, why, _, _ = lookup(dns, "MX", "mail.example.com")
    assert status == "DNS_NOTFOUND"
    assert why == "Host found but no data record of type MX"
    # DNS_REQ_SOA: the SOA of the negative answer comes back.
    status, _, _, rrs, _ = lookup(dns, "-f", "soa", "A", "nx.example.com")
    assert status == "DNS_NOTEXIST"
    assert rrs == ["example.com 300 SOA ns.example.com 300"]


def test_temporary_failures(dns):
    status, _, why, _, _ = lookup(dns, "A", "host.broken.test")
    assert status == "DNS_RETRY"
    assert why.endswith("name=host.broken.test type=A: "
                        "Host not found, try again")
    # No answer at all: our own time limit ends the lookup.
    status, _, why, _, err = lookup(dns, "-v", "A", "host.slow.test",
                                    timeout_setting="1s")
    assert status == "DNS_RETRY"
    assert "dns_lookup: name=host.slow.test type=A: timeout" in err


def test_limits(dns):
    # 105 A records: the answer comes over TCP; 100 are kept.
    status, _, _, rrs, err = lookup(dns, "A", "many.example.com")
    assert status == "DNS_OK" and len(rrs) == 100
    assert "dropped 5 records over the limit of 100" in err
    # TXT strings are joined up to 4096 octets.
    status, _, _, rrs, _ = lookup(dns, "TXT", "big.example.com")
    assert status == "DNS_OK"
    text = rrs[0].split(" ", 3)[3]
    assert text == "x" * 4096 + " truncated"


def test_names_checked(dns):
    for bad in ("bad..name", "x" * 64 + ".example.com", "sp ace.example",
                "a." * 128 + "com", ".lead.example"):
        status, _, _, _, _ = lookup(dns, "A", bad)
        assert status == "DNS_INVAL", bad


def test_reverse(dns):
    status, _, _, rrs, _ = lookup(dns, "ADDR", "192.0.2.25")
    assert rrs == ["25.2.0.192.in-addr.arpa 300 PTR mail.example.com"]
    status, _, _, rrs, _ = lookup(dns, "ADDR", "2001:db8::25")
    assert status == "DNS_OK"
    assert rrs[0].endswith("PTR mail6.example.com")
    assert rrs[0].startswith("5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"
                             ".0.8.b.d.0.1.0.0.2.ip6.arpa ")
    status, _, _, _, _ = lookup(dns, "ADDR", "192.0.2.26")
    assert status == "DNS_NOTEXIST"
    status, _, _, _, _ = lookup(dns, "ADDR", "not-an-address")
    assert status == "DNS_INVAL"


def test_disabled(dns):
    status, _, why, _, _ = lookup(dns, "-o", "disable_dns_lookups=yes",
                                  "A", "mail.example.com")
    assert (status, why) == ("DNS_FAIL", "DNS lookups are disabled")


def test_dnssec_insecure(dns):
    """Without a trust anchor an answer is never marked validated."""
    status, _, _, rrs, _ = lookup(dns, "-f", "dnssec", "A",
                                  "mail.example.com")
    assert status == "DNS_OK"
    assert rrs == ["mail.example.com 300 A 192.0.2.25"]


def test_native_lookup(dns):
    """dns_native_lookup(): the C library (here /etc/hosts: no query
    leaves the machine)."""
    status, _, _, rrs, _ = lookup(dns, "-o", "inet_protocols=ipv4",
                                  "NATIVE", "localhost")
    assert status == "DNS_OK"
    assert "localhost 0 A 127.0.0.1" in rrs


def wire_name(name):
    """A domain name in canonical wire form (lower case)."""
    out = b""
    for label in name.rstrip(".").lower().split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def key_tag(rdata):
    """RFC 4034 appendix B."""
    acc = 0
    for i, byte in enumerate(rdata):
        acc += byte if i & 1 else byte << 8
    acc += acc >> 16
    return acc & 0xffff


def signed_zone(zone, rrsets, corrupt=()):
    """A zone file for zone, signed with a fresh Ed25519 key (algorithm
    15) that is also its trust anchor. rrsets: {(owner, type code, type
    name): [(rdata wire, rdata text), ...]}. Owners in corrupt get a
    signature that does not verify. Returns (zone file, anchor line)."""
    import base64
    import datetime
    from cryptography.hazmat.primitives.asymmetric.ed25519 import \
        Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (Encoding,
                                                              PublicFormat)

    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    dnskey_rdata = struct.pack(">HBB", 257, 3, 15) + public
    dnskey_text = f"257 3 15 {base64.b64encode(public).decode()}"
    tag = key_tag(dnskey_rdata)
    rrsets = dict(rrsets)
    rrsets[(zone, 48, "DNSKEY")] = [(dnskey_rdata, dnskey_text)]
    now = datetime.datetime.now(datetime.timezone.utc)
    inception = now - datetime.timedelta(days=1)
    expiration = now + datetime.timedelta(days=30)
    ttl = 3600
    lines = [f"{zone} {ttl} IN SOA ns.{zone} host.{zone} 1 3600 600 "
             f"86400 300", f"{zone} {ttl} IN NS ns.{zone}"]
    for (owner, code, type_name), rdatas in rrsets.items():
        labels = len(owner.rstrip(".").split("."))
        head = struct.pack(">HBBIIIH", code, 15, labels, ttl,
                           int(expiration.timestamp()),
                           int(inception.timestamp()), tag)
        data = head + wire_name(zone)
        for rdata, _ in sorted(rdatas):
            data += wire_name(owner) + struct.pack(">HHIH", code, 1, ttl,
                                                   len(rdata)) + rdata
        signature = key.sign(data)
        if owner in corrupt:
            signature = bytes([signature[0] ^ 1]) + signature[1:]
        for _, text in rdatas:
            lines.append(f"{owner} {ttl} IN {type_name} {text}")
        lines.append(
            f"{owner} {ttl} IN RRSIG {type_name} 15 {labels} {ttl} "
            f"{expiration:%Y%m%d%H%M%S} {inception:%Y%m%d%H%M%S} {tag} "
            f"{zone} {base64.b64encode(signature).decode()}")
    return "\n".join(lines) + "\n", f"{zone} IN DNSKEY {dnskey_text}"


def test_dnssec_validated(tmp_path):
    """With dns_trust_anchor_file, DNS_REQ_DNSSEC lookups validate: a
    signed answer is marked validated, a bad signature is a temporary
    failure; lookups without the flag do not validate at all."""
    if not dns_server.available() or not DNSQ.exists():
        pytest.skip("needs unbound and test_dnsq")
    pytest.importorskip("cryptography")
    zone = "secure.test."
    rrsets = {
        ("host.secure.test.", 1, "A"): [(bytes([192, 0, 2, 80]),
                                         "192.0.2.80")],
        ("bad.secure.test.", 1, "A"): [(bytes([192, 0, 2, 81]),
                                        "192.0.2.81")],
    }
    text, anchor = signed_zone(zone, rrsets, corrupt={"bad.secure.test."})
    anchor_file = tmp_path / "anchor"
    anchor_file.write_text(anchor + "\n")
    with DnsServer(auth_zones={zone: text}) as dns:
        ta = ["-o", f"dns_trust_anchor_file={anchor_file}"]
        status, _, _, rrs, err = lookup(dns, *ta, "-f", "dnssec", "A",
                                        "host.secure.test")
        assert status == "DNS_OK", err
        assert rrs == ["host.secure.test 3600 A 192.0.2.80 validated"]
        status, _, _, rrs, err = lookup(dns, *ta, "-f", "dnssec", "A",
                                        "bad.secure.test")
        assert status == "DNS_RETRY", (rrs, err, text)
        # Without the flag: no validation, so no failure either.
        status, _, _, rrs, _ = lookup(dns, *ta, "A", "bad.secure.test")
        assert rrs == ["bad.secure.test 3600 A 192.0.2.81"]
        # Without a trust anchor: insecure, not validated.
        status, _, _, rrs, _ = lookup(dns, "-f", "dnssec", "A",
                                      "host.secure.test")
        assert rrs == ["host.secure.test 3600 A 192.0.2.80"]
