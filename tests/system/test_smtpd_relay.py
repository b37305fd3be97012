"""smtpd(8) relay control and the address restrictions: permit_mynetworks
with reject_unauth_destination / defer_unauth_destination /
permit_auth_destination from inside and outside mynetworks (the client
binds to another 127.0.0.x), reject_invalid_helo_hostname,
reject_non_fqdn_helo_hostname, reject_non_fqdn_sender/_recipient,
reject_unauth_pipelining, and, with a real unbound on loopback
(dns_server.py), reject_unknown_sender_domain,
reject_unknown_recipient_domain (nullMX too), reject_unknown_helo_hostname
and permit_mx_backup.

Expected replies are those of Debian's Postfix 3.7.11 for the same
configuration; the *_diff tests compare against it directly (root and
Debian's Postfix only).
"""

import pytest

import dns_server
from smtp_dialogue import ours_smtpd, both_smtpd, our_instance, dialogue
from test_smtpd_recipients import reject_lines, rcpt_replies

RELAY = {
    "mynetworks": "127.0.0.1/32",
    "relay_domains": "rel.example",
    "smtpd_relay_restrictions":
        "permit_mynetworks, reject_unauth_destination",
    "smtpd_recipient_restrictions": "",
}


RELAY_CASES = [
    # (source, recipient, reply)
    ("127.0.0.1", "x@other.example", "250 2.1.5 Ok"),
    ("127.0.0.2", "x@other.example",
     "554 5.7.1 <x@other.example>: Relay access denied"),
    ("127.0.0.2", "x@rel.example", "250 2.1.5 Ok"),
    ("127.0.0.2", "x%y@rel.example",
     "554 5.7.1 <x%y@rel.example>: Relay access denied"),
    ("127.0.0.2", "x@sub.rel.example", "250 2.1.5 Ok"),
    ("127.0.0.2", "x@test.example", "250 2.1.5 Ok"),
    ("127.0.0.2", "x@[127.0.0.1]", "250 2.1.5 Ok"),
]


def run_relay_cases(server, cases):
    return [rcpt_replies(server.port, [rcpt], source=src)[0]
            for src, rcpt, _ in cases]


def test_relay_control(request):
    with ours_smtpd(our_instance(request), **RELAY) as ours:
        assert run_relay_cases(ours, RELAY_CASES) == \
            [reply for _, _, reply in RELAY_CASES]
        ours.wait_for_log("reject: RCPT from ")
        assert ("554 5.7.1 <x@other.example>: Relay access denied; "
                "from=<a@b.example> to=<x@other.example> proto=ESMTP "
                "helo=<ok.example>") in ours.log_text()


def test_relay_control_diff(request, shared_tmp):
    with both_smtpd(our_instance(request), shared_tmp, **RELAY) as (
            ours, debian):
        assert run_relay_cases(ours, RELAY_CASES) == \
            run_relay_cases(debian, RELAY_CASES)
        needle = "to=<x%y@rel.example> proto=ESMTP helo=<ok.example>"
        assert reject_lines(ours, needle) == reject_lines(debian, needle)


def test_defer_and_permit_auth(request):
    settings = dict(RELAY, smtpd_relay_restrictions="defer_unauth_destination")
    with ours_smtpd(our_instance(request), **settings) as ours:
        assert rcpt_replies(ours.port, ["x@other.example", "x@rel.example"]) \
            == ["454 4.7.1 <x@other.example>: Relay access denied",
                "250 2.1.5 Ok"]
    settings = dict(RELAY, smtpd_relay_restrictions=
                    "permit_auth_destination, reject")
    with ours_smtpd(our_instance(request), **settings) as ours:
        assert rcpt_replies(ours.port, ["x@rel.example", "x@other.example"]) \
            == ["250 2.1.5 Ok", "554 5.7.1 <x@other.example>: "
                "Recipient address rejected: Access denied"]


def test_defer_unauth_destination_diff(request, shared_tmp):
    """defer_unauth_destination answers 454 4.7.1, as Debian's Postfix,
    with the same reject log line."""
    settings = dict(RELAY, smtpd_relay_restrictions="permit_mynetworks, "
                    "defer_unauth_destination")
    cases = [("127.0.0.2", "x@other.example", None),
             ("127.0.0.2", "x@rel.example", None),
             ("127.0.0.1", "x@other.example", None)]
    with both_smtpd(our_instance(request), shared_tmp, **settings) as (
            ours, debian):
        mine = run_relay_cases(ours, cases)
        assert mine == run_relay_cases(debian, cases)
        assert mine[0] == "454 4.7.1 <x@other.example>: Relay access denied"
        needle = "to=<x@other.example> proto=ESMTP helo=<ok.example>"
        assert reject_lines(ours, needle) == reject_lines(debian, needle)


XCLIENT_LOGIN = ["XCLIENT LOGIN=bob ADDR=10.0.0.5", "HELO ok.example",
                 "MAIL FROM:<a@b.example>", "RCPT TO:<x@other.example>",
                 "QUIT"]


@pytest.mark.parametrize("sasl", ["yes", "no"])
def test_xclient_login_sasl_diff(request, shared_tmp, sasl):
    """After XCLIENT LOGIN=name, permit_sasl_authenticated matches only
    with smtpd_sasl_auth_enable = yes, as in Debian's Postfix (which
    ignores the login for it without SASL)."""
    settings = dict(RELAY, smtpd_authorized_xclient_hosts="127.0.0.1",
                    smtpd_sasl_auth_enable=sasl,
                    smtpd_relay_restrictions="permit_sasl_authenticated, "
                    "reject_unauth_destination")
    want = ("250 2.1.5 Ok" if sasl == "yes" else
            "554 5.7.1 <x@other.example>: Relay access denied")
    with both_smtpd(our_instance(request), shared_tmp, **settings) as (
            ours, debian):
        mine = dialogue(ours.port, XCLIENT_LOGIN)
        theirs = dialogue(debian.port, XCLIENT_LOGIN)
        assert mine[4] == theirs[4] == want
        if sasl == "no":
            needle = "to=<x@other.example> proto=SMTP helo=<ok.example>"
            assert reject_lines(ours, needle) == reject_lines(debian, needle)


SYNTAX = dict(RELAY, smtpd_helo_restrictions=
              "reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname",
              smtpd_sender_restrictions="reject_non_fqdn_sender",
              smtpd_relay_restrictions="reject_non_fqdn_recipient, "
              "permit_mynetworks, reject_unauth_destination")

HELO_CASES = [
    ("[1.2.3.4]", "250 2.1.5 Ok"),
    ("[bad]", "501 5.5.2 <[bad]>: Helo command rejected: invalid ip address"),
    ("1.2.3.4", "504 5.5.2 <1.2.3.4>: Helo command rejected: need "
     "fully-qualified hostname"),
    ("a..b", "501 5.5.2 <a..b>: Helo command rejected: Invalid name"),
    ("host.example.", "250 2.1.5 Ok"),
    ("-x.example", "501 5.5.2 <-x.example>: Helo command rejected: "
     "Invalid name"),
    ("nofqdn", "504 5.5.2 <nofqdn>: Helo command rejected: need "
     "fully-qualified hostname"),
]


def helo_replies(server, cases):
    return [rcpt_replies(server.port, ["root@test.example"], helo=helo)[0]
            for helo, _ in cases]


def test_syntax_restrictions(request):
    with ours_smtpd(our_instance(request), **SYNTAX) as ours:
        assert helo_replies(ours, HELO_CASES) == [r for _, r in HELO_CASES]
        assert rcpt_replies(ours.port, ["root@test.example"],
                            sender="nofq") == [
            "504 5.5.2 <nofq>: Sender address rejected: need "
            "fully-qualified address"]
        assert rcpt_replies(ours.port, ["rootx", "a@b.", "a@b.example."]) \
            == [
            "504 5.5.2 <rootx>: Recipient address rejected: need "
            "fully-qualified address",
            "504 5.5.2 <a@b.>: Recipient address rejected: need "
            "fully-qualified address",
            "250 2.1.5 Ok"]


def test_postmaster_exempt(request):
    """RCPT TO:<postmaster> passes every restriction, as in Postfix
    (checked with "reject" and reject_non_fqdn_recipient)."""
    with ours_smtpd(our_instance(request), **SYNTAX) as ours:
        assert rcpt_replies(ours.port, ["postmaster"]) == ["250 2.1.5 Ok"]
    settings = dict(RELAY, smtpd_relay_restrictions="reject")
    with ours_smtpd(our_instance(request), **settings) as ours:
        assert rcpt_replies(ours.port, ["postmaster", "x@test.example"]) == [
            "250 2.1.5 Ok", "554 5.7.1 <x@test.example>: Recipient address "
            "rejected: Access denied"]


def test_syntax_restrictions_diff(request, shared_tmp):
    with both_smtpd(our_instance(request), shared_tmp, **SYNTAX) as (
            ours, debian):
        assert helo_replies(ours, HELO_CASES) == helo_replies(debian,
                                                              HELO_CASES)
        needle = "helo=<nofqdn>"
        assert reject_lines(ours, needle) == reject_lines(debian, needle)


def test_helo_not_delayed_diff(request, shared_tmp):
    """smtpd_delay_reject = no: HELO itself gets the rejection."""
    settings = dict(SYNTAX, smtpd_delay_reject="no")
    with both_smtpd(our_instance(request), shared_tmp, **settings) as (
            ours, debian):
        for helo in ("nofqdn", "[bad]", "a..b", "ok.example"):
            lines = [f"HELO {helo}", "QUIT"]
            assert dialogue(ours.port, lines)[1] == \
                dialogue(debian.port, lines)[1]
        assert dialogue(ours.port, ["HELO nofqdn"])[1] == (
            "504 5.5.2 <nofqdn>: Helo command rejected: need "
            "fully-qualified hostname")


def test_unauth_pipelining(request):
    # Our default smtpd_forbid_unauth_pipelining = yes (Postfix 3.9's)
    # would hang up first; Postfix 3.7 has no such parameter.
    settings = dict(RELAY, smtpd_forbid_unauth_pipelining="no",
                    smtpd_relay_restrictions=
                    "reject_unauth_pipelining, permit_mynetworks, "
                    "reject_unauth_destination")
    with ours_smtpd(our_instance(request), **settings) as ours:
        replies = dialogue(ours.port, [
            "EHLO ok.example", "MAIL FROM:<a@b.example>",
            "RCPT TO:<root@test.example>"], pipelined=True,
            source="127.0.0.3")
        assert replies[3] == ("503 5.5.0 <root@test.example>: Recipient "
                              "address rejected: Improper use of SMTP "
                              "command pipelining")
        replies = dialogue(ours.port, [
            "EHLO ok.example", "MAIL FROM:<a@b.example>",
            "RCPT TO:<root@test.example>"], source="127.0.0.3")
        assert replies[3] == "250 2.1.5 Ok"


DNS_RECORDS = [
    "mx.example.test. MX 10 mail.mx.example.test.",
    "mail.mx.example.test. A 192.0.2.1",
    "a.example.test. A 192.0.2.2",
    "null.example.test. MX 0 .",
    "backup.example.test. MX 10 primary.example.test.",
    "backup.example.test. MX 20 me.example.test.",
    "primary.example.test. A 192.0.2.3",
    "me.example.test. A 127.0.0.1",
    "helo.example.test. A 192.0.2.4",
    "primaryme.example.test. MX 10 me.example.test.",
    dns_server.ptr("127.0.0.9", "forged.example.test"),
    dns_server.ptr("127.0.0.10", "good.example.test"),
    "good.example.test. A 127.0.0.10",
]


@pytest.fixture
def dns():
    if not dns_server.available():
        pytest.skip("needs unbound")
    with dns_server.DnsServer(records=DNS_RECORDS,
                              servfail=["broken.test"]) as server:
        yield server


def test_unknown_domains(request, dns):
    settings = dict(RELAY, dns_resolver_address=dns.resolver_address,
                    smtpd_relay_restrictions=
                    "reject_unknown_sender_domain, "
                    "reject_unknown_recipient_domain, permit_mynetworks, "
                    "permit_mx_backup, reject_unauth_destination")
    with ours_smtpd(our_instance(request), **settings) as ours:
        assert rcpt_replies(ours.port, ["root@test.example"],
                            sender="a@nonexist.example.test") == [
            "450 4.1.8 <a@nonexist.example.test>: Sender address rejected: "
            "Domain not found"]
        assert rcpt_replies(ours.port, ["root@test.example"],
                            sender="a@null.example.test") == [
            "550 5.7.27 <a@null.example.test>: Sender address rejected: "
            "Domain null.example.test does not accept mail (nullMX)"]
        assert rcpt_replies(ours.port, [
            "x@nonexist.example.test", "x@null.example.test",
            "x@mx.example.test", "x@a.example.test"],
            sender="a@mx.example.test") == [
            "450 4.1.2 <x@nonexist.example.test>: Recipient address "
            "rejected: Domain not found",
            "556 5.1.10 <x@null.example.test>: Recipient address rejected: "
            "Domain null.example.test does not accept mail (nullMX)",
            "250 2.1.5 Ok", "250 2.1.5 Ok"]
        # Temporary failure, defer_if_permit: deferred at the end.
        assert rcpt_replies(ours.port, ["x@a.example.test"],
                            sender="a@x.broken.test") == [
            "450 4.1.8 <a@x.broken.test>: Sender address rejected: "
            "Domain not found"]
        # permit_mx_backup from outside mynetworks.
        assert rcpt_replies(ours.port, [
            "x@backup.example.test", "x@primaryme.example.test",
            "x@y.broken.test", "x@mx.example.test"],
            sender="a@mx.example.test", source="127.0.0.2") == [
            "250 2.1.5 Ok",
            "554 5.7.1 <x@primaryme.example.test>: Relay access denied",
            # defer_if_permit of the domain check, defer_if_reject of
            # permit_mx_backup, then a reject: Postfix gives the first.
            "450 4.1.2 <x@y.broken.test>: Recipient address rejected: "
            "Domain not found",
            "554 5.7.1 <x@mx.example.test>: Relay access denied"]


def test_mx_backup_tempfail(request, dns):
    """permit_mx_backup on a temporary DNS failure defers only what
    would be rejected (Postfix's defer_if_reject)."""
    settings = dict(RELAY, dns_resolver_address=dns.resolver_address,
                    smtpd_relay_restrictions="permit_mx_backup, "
                    "permit_mynetworks, reject_unauth_destination")
    with ours_smtpd(our_instance(request), **settings) as ours:
        assert rcpt_replies(ours.port, ["x@y.broken.test"]) == [
            "250 2.1.5 Ok"]
        assert rcpt_replies(ours.port, ["x@y.broken.test"],
                            source="127.0.0.2") == [
            "450 4.4.4 <x@y.broken.test>: Recipient address rejected: "
            "Unable to look up mail exchanger information: Host not found, "
            "try again"]


def test_unknown_helo(request, dns):
    settings = dict(RELAY, dns_resolver_address=dns.resolver_address,
                    smtpd_helo_restrictions="reject_unknown_helo_hostname")
    with ours_smtpd(our_instance(request), **settings) as ours:
        assert rcpt_replies(ours.port, ["root@test.example"],
                            helo="helo.example.test") == ["250 2.1.5 Ok"]
        assert rcpt_replies(ours.port, ["root@test.example"],
                            helo="nonexist.example.test") == [
            "450 4.7.1 <nonexist.example.test>: Helo command rejected: "
            "Host not found"]
        # Temporary failure: deferred when the request would be permitted.
        assert rcpt_replies(ours.port, ["root@test.example"],
                            helo="x.broken.test") == [
            "450 4.7.1 <x.broken.test>: Helo command rejected: "
            "Host not found"]


def test_unknown_client(request, dns):
    """127.0.0.9 has a PTR without forward record, 127.0.0.10 both,
    127.0.0.11 none (replies as Debian's Postfix with the same zone)."""
    settings = dict(RELAY, dns_resolver_address=dns.resolver_address,
                    smtpd_peername_lookup="yes",
                    smtpd_relay_restrictions=
                    "reject_unknown_client_hostname, reject_unauth_destination")
    with ours_smtpd(our_instance(request), **settings) as ours:
        for source, reply in [
                ("127.0.0.9", "450 4.7.25 Client host rejected: cannot find "
                 "your hostname, [127.0.0.9]"),
                ("127.0.0.11", "450 4.7.25 Client host rejected: cannot "
                 "find your hostname, [127.0.0.11]"),
                ("127.0.0.10", "250 2.1.5 Ok")]:
            assert rcpt_replies(ours.port, ["x@test.example"],
                                source=source) == [reply]
    settings.update(smtpd_relay_restrictions=
                    "reject_unknown_reverse_client_hostname, "
                    "reject_unauth_destination",
                    unknown_client_reject_code="550")
    with ours_smtpd(our_instance(request), **settings) as ours:
        for source, reply in [
                ("127.0.0.9", "250 2.1.5 Ok"),
                ("127.0.0.11", "550 5.7.1 Client host rejected: cannot find "
                 "your reverse hostname, [127.0.0.11]")]:
            assert rcpt_replies(ours.port, ["x@test.example"],
                                source=source) == [reply]


DNS_DIFF_SETTINGS = dict(
    RELAY, smtpd_helo_restrictions="reject_unknown_helo_hostname",
    smtpd_relay_restrictions="reject_unknown_sender_domain, "
    "reject_unknown_recipient_domain, permit_mynetworks, permit_mx_backup, "
    "reject_unauth_destination")

DNS_DIFF_DIALOGUES = [
    # (source, helo, sender, recipients)
    ("127.0.0.1", "helo.example.test", "a@nonexist.example.test",
     ["x@a.example.test"]),
    ("127.0.0.1", "helo.example.test", "a@null.example.test",
     ["x@a.example.test"]),
    ("127.0.0.1", "helo.example.test", "a@x.broken.test",
     ["x@a.example.test"]),
    ("127.0.0.1", "helo.example.test", "a@mx.example.test",
     ["x@nonexist.example.test", "x@null.example.test", "x@y.broken.test",
      "x@mx.example.test"]),
    ("127.0.0.2", "helo.example.test", "a@mx.example.test",
     ["x@backup.example.test", "x@primaryme.example.test",
      "x@y.broken.test", "x@mx.example.test"]),
    ("127.0.0.1", "nonexist.example.test", "a@mx.example.test",
     ["x@test.example"]),
    ("127.0.0.1", "x.broken.test", "a@mx.example.test", ["x@test.example"]),
    ("127.0.0.1", "1.2.3.4", "a@mx.example.test", ["x@test.example"]),
    ("127.0.0.1", "a..b", "a@mx.example.test", ["x@test.example"]),
    ("127.0.0.1", "[1.2.3.4]", "a@mx.example.test", ["x@test.example"]),
    # relay_domains are not a final destination: looked up too.
    ("127.0.0.1", "helo.example.test", "a@rel.example",
     ["x@a.example.test"]),
    ("127.0.0.1", "helo.example.test", "a@test.example",
     ["x@rel.example", "x@test.example", "x@[127.0.0.1]"]),
]


def test_dns_restrictions_diff(request, shared_tmp, monkeypatch):
    """The DNS-based restrictions against Debian's Postfix, both sides
    asking the same unbound: Debian's through a private /etc/resolv.conf
    (dns_server.resolv_conf_command), ours through dns_resolver_address."""
    # A random free 127.x.y.z:53 (debian_dns_server): a fixed address
    # collided with another suite's server when two ran at once, and
    # Debian's side then timed out on DNS.
    with dns_server.debian_dns_server(records=DNS_RECORDS,
                                      servfail=["broken.test"]) as dns:
        with dns_server.debian_smtpd_with_dns(
                shared_tmp, dns, monkeypatch, **DNS_DIFF_SETTINGS) as debian:
            with ours_smtpd(our_instance(request),
                            dns_resolver_address=dns.resolver_address,
                            **DNS_DIFF_SETTINGS) as ours:
                for source, helo, sender, rcpts in DNS_DIFF_DIALOGUES:
                    assert rcpt_replies(ours.port, rcpts, sender=sender,
                                        source=source, helo=helo) == \
                        rcpt_replies(debian.port, rcpts, sender=sender,
                                     source=source, helo=helo)
