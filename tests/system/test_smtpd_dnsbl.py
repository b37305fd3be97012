"""smtpd(8) DNS-based restrictions against a real unbound on loopback
(dns_server.py): reject_rbl_client (with d.d.d.d patterns, TXT reasons,
rbl_reply_maps and every $name of the reply template),
reject_rhsbl_client, reject_rhsbl_reverse_client, reject_rhsbl_helo,
reject_rhsbl_sender, reject_rhsbl_recipient, permit_dnswl_client
(listed, and DEFER_IF_REJECT when the lookup fails), and the
check_*_{mx,ns,a}_access tables (host names with parent domains, MX host
addresses with networks, no MX -> the domain's own address, NS of the
enclosing zone, OK refused as Postfix refuses it).

One configuration serves every case: check_recipient_access sends each
recipient "<class>@test.example" to the restriction class of that name,
so a single smtpd instance answers all of them. The expected replies and
log lines are those of Debian's Postfix 3.7.11 for the same
configuration and DNS data; test_dnsbl[debian] runs the same table
against Debian's Postfix (root only: it needs the DNS server on
port 53 of a spare loopback address and a private /etc/resolv.conf, see
dns_server.resolv_conf_command) so that the table itself stays true.
"""

import contextlib
import os
from pathlib import Path

import pytest

import dns_server
from smtp_dialogue import ours_smtpd, our_instance, dialogue

CLIENT = "127.0.0.2"

RECORDS = [
    dns_server.ptr(CLIENT, "client2.example.test"),
    "client2.example.test. A 127.0.0.2",
    "2.0.0.127.zen.test. A 127.0.0.2",
    '2.0.0.127.zen.test. TXT "Listed; see https://zen.test/q?127.0.0.2"',
    "2.0.0.127.zen2.test. A 127.0.0.10",
    "2.0.0.127.custom.test. A 127.0.0.4",
    '2.0.0.127.custom.test. TXT "custom reason"',
    "client2.example.test.dbl.test. A 127.0.1.2",
    "spam.test.dbl.test. A 127.0.1.2",
    "2.0.0.127.wl.test. A 127.0.10.0",
    "mxbad.test. MX 10 mx.badhost.test.",
    "mx.badhost.test. A 127.0.0.99",
    "mxip.test. MX 10 mx.iphost.test.",
    "mx.iphost.test. A 127.0.0.98",
    "nomx.test. A 127.0.0.97",
    "nsbad.test. NS ns1.badns.test.",
    "ns1.badns.test. A 127.0.0.96",
    "sub.nsbad.test. A 127.0.0.5",
    "heloa.test. A 127.0.0.95",
]

TABLES = {
    "t_mx": "mx.badhost.test REJECT bad mx host\n"
            "127.0.0.98 REJECT bad mx ip\n"
            "127.0.0.97 REJECT no mx but a\n"
            "ns1.badns.test REJECT bad ns\n"
            "127.0.0.95 REJECT bad helo a\n",
    "t_ok": "mx.badhost.test OK\n",
    "t_par": "badhost.test REJECT parent match\n",
    "t_net": "127.0.0 REJECT net match\n",
    "t_reply": "custom.test $rbl_code 5.7.9 Custom: what=$rbl_what "
               "class=$rbl_class domain=$rbl_domain reason=$rbl_reason "
               "client=$client addr=$client_address name=$client_name "
               "rev=$reverse_client_name helo=$helo_name sender=$sender "
               "sname=$sender_name sdom=$sender_domain rcpt=$recipient "
               "rname=$recipient_name rdom=$recipient_domain "
               "txt=$rbl_txt\n"
               # Not used: the key is the argument with its pattern.
               "zen2.test 451 4.7.1 temp $rbl_what\n",
}

CLASSES = {
    "c_rbl": "reject_rbl_client zen.test",
    "c_rblf": "reject_rbl_client zen.test=127.0.0.[3..9], reject",
    "c_rbl2": "reject_rbl_client zen2.test=127.0.0.10",
    "c_rbl3": "reject_rbl_client zen2.test=127.0.0.[2;10]",
    "c_rhsc": "reject_rhsbl_client dbl.test",
    "c_rhsr": "reject_rhsbl_reverse_client dbl.test",
    "c_rhsh": "reject_rhsbl_helo dbl.test",
    "c_rhss": "reject_rhsbl_sender dbl.test",
    "c_mx": "check_sender_mx_access texthash:{dir}/t_mx",
    "c_mxip": "check_sender_mx_access texthash:{dir}/t_mx",
    "c_mxok": "check_sender_mx_access texthash:{dir}/t_ok, reject",
    "c_nomx": "check_sender_mx_access texthash:{dir}/t_mx",
    "c_ns": "check_sender_ns_access texthash:{dir}/t_mx",
    "c_a": "check_helo_a_access texthash:{dir}/t_mx",
    "c_mxpar": "check_sender_mx_access texthash:{dir}/t_par",
    "c_mxnet": "check_sender_mx_access texthash:{dir}/t_net",
    "c_wl": "permit_dnswl_client wl.test, reject",
    "c_wlfail": "permit_dnswl_client failwl.test, reject",
    "c_custom": "reject_rbl_client custom.test",
    "c_rcpt": "reject_rhsbl_recipient dbl.test",
    "c_wlrelay": "permit_dnswl_client wl.test, reject_unauth_destination",
}

H = "client2.example.test"

# (class, helo, sender domain, recipient, reply)
CASES = [
    ("c_rbl", H, "x.example", None,
     "554 5.7.1 Service unavailable; Client host [127.0.0.2] blocked "
     "using zen.test; Listed; see https://zen.test/q?127.0.0.2"),
    ("c_rblf", H, "x.example", None,
     "554 5.7.1 <c_rblf@test.example>: Recipient address rejected: "
     "Access denied"),
    ("c_rbl2", H, "x.example", None,
     "554 5.7.1 Service unavailable; Client host [127.0.0.2] blocked "
     "using zen2.test"),
    ("c_rbl3", H, "x.example", None,
     "554 5.7.1 Service unavailable; Client host [127.0.0.2] blocked "
     "using zen2.test"),
    ("c_rhsc", H, "x.example", None,
     "554 5.7.1 Service unavailable; Client host [client2.example.test] "
     "blocked using dbl.test"),
    ("c_rhsr", H, "x.example", None,
     "554 5.7.1 Service unavailable; Unverified Client host "
     "[client2.example.test] blocked using dbl.test"),
    ("c_rhsh", H, "x.example", None,
     "554 5.7.1 Service unavailable; Helo command [client2.example.test] "
     "blocked using dbl.test"),
    ("c_rhss", H, "spam.test", None,
     "554 5.7.1 Service unavailable; Sender address [u@spam.test] blocked "
     "using dbl.test"),
    ("c_mx", H, "mxbad.test", None,
     "554 5.7.1 <u@mxbad.test>: Sender address rejected: bad mx host"),
    ("c_mxip", H, "mxip.test", None,
     "554 5.7.1 <u@mxip.test>: Sender address rejected: bad mx ip"),
    ("c_mxok", H, "mxbad.test", None,
     "451 4.3.5 Server configuration error"),
    ("c_nomx", H, "nomx.test", None,
     "554 5.7.1 <u@nomx.test>: Sender address rejected: no mx but a"),
    ("c_ns", H, "sub.nsbad.test", None,
     "554 5.7.1 <u@sub.nsbad.test>: Sender address rejected: bad ns"),
    ("c_a", "heloa.test", "x.example", None,
     "554 5.7.1 <heloa.test>: Helo command rejected: bad helo a"),
    ("c_mxpar", H, "mxbad.test", None,
     "554 5.7.1 <u@mxbad.test>: Sender address rejected: parent match"),
    ("c_mxnet", H, "mxbad.test", None,
     "554 5.7.1 <u@mxbad.test>: Sender address rejected: net match"),
    ("c_wl", H, "x.example", None, "250 2.1.5 Ok"),
    ("c_wlfail", H, "x.example", None,
     "450 4.7.1 <127.0.0.2>: Client host rejected: Service unavailable"),
    ("c_custom", H, "x.example", None,
     "554 5.7.9 Custom: what=127.0.0.2 class=Client host "
     "domain=custom.test reason=custom reason "
     "client=client2.example.test[127.0.0.2] addr=127.0.0.2 "
     "name=client2.example.test rev=client2.example.test "
     "helo=client2.example.test sender=u@x.example sname=u "
     "sdom=x.example rcpt=c_custom@test.example rname=c_custom "
     "rdom=test.example txt=custom reason"),
    # permit_dnswl_client never overrides reject_unauth_destination.
    ("c_wlrelay", H, "x.example", "x@other.example",
     "554 5.7.1 <x@other.example>: Relay access denied"),
    ("c_rcpt", H, "x.example", "u@spam.test",
     "554 5.7.1 Service unavailable; Recipient address [u@spam.test] "
     "blocked using dbl.test"),
]

LOG_LINES = [
    "warning: 2.0.0.127.failwl.test: RBL lookup error: Host or domain "
    "name not found. Name service error for name=2.0.0.127.failwl.test "
    "type=A: Host not found, try again",
    "warning: restriction check_sender_mx_access returns OK for "
    "u@mxbad.test",
    "warning: this is not allowed for security reasons",
    "warning: use DUNNO instead of OK if you want to make an exception",
    "NOQUEUE: reject: RCPT from client2.example.test[127.0.0.2]: 554 5.7.1 "
    "Service unavailable; Client host [127.0.0.2] blocked using zen.test; "
    "Listed; see https://zen.test/q?127.0.0.2; from=<u@x.example> "
    "to=<c_rbl@test.example> proto=ESMTP helo=<client2.example.test>",
]


def settings_for(table_dir, resolver=None):
    """main.cf settings: the classes, the dispatch and the reply map."""
    table_dir = Path(table_dir)
    for name, text in TABLES.items():
        (table_dir / name).write_text(text)
    os.chmod(table_dir, 0o755)
    classes = {k: v.replace("{dir}", str(table_dir))
               for k, v in CLASSES.items()}
    dispatch = ", ".join(f"{k}@test.example={k}" for k in CLASSES
                         if k not in ("c_rcpt", "c_wlrelay")) \
        + ", u@spam.test=c_rcpt, x@other.example=c_wlrelay"
    values = dict(classes)
    values.update(
        smtpd_restriction_classes=", ".join(CLASSES),
        smtpd_recipient_restrictions=(
            f"check_recipient_access inline:{{{dispatch}}}, "
            "permit_mynetworks, reject_unauth_destination"),
        rbl_reply_maps=f"texthash:{table_dir}/t_reply",
        mynetworks="127.0.0.0/8")
    if resolver:
        values["dns_resolver_address"] = resolver
    return values


def run_cases(server):
    """The RCPT reply of every case, one session each."""
    replies = []
    for cls, helo, sdom, rcpt, _ in CASES:
        rcpt = rcpt or f"{cls}@test.example"
        r = dialogue(server.port, [f"EHLO {helo}", f"MAIL FROM:<u@{sdom}>",
                                   f"RCPT TO:<{rcpt}>", "QUIT"],
                     source=CLIENT)
        replies.append(r[3])
    return replies


def check_results(server, replies):
    expected = [case[4] for case in CASES]
    bad = [(case[0], got, want) for case, got, want
           in zip(CASES, replies, expected) if got != want]
    assert not bad, "\n".join(f"{c}: got {g!r}\n   want {w!r}"
                              for c, g, w in bad)
    server.wait_for_log("reject: RCPT from client2.example.test[127.0.0.2]: "
                        "554 5.7.9 Custom")
    log = "\n".join(server.smtpd_log())
    missing = [line for line in LOG_LINES if line not in log]
    assert not missing, "missing log lines:\n" + "\n".join(missing)


@pytest.fixture
def table_dir(shared_tmp):
    path = Path(shared_tmp) / "tables"
    path.mkdir()
    return path


@pytest.mark.parametrize("side", ["ours", "debian"])
def test_dnsbl(request, shared_tmp, table_dir, monkeypatch, side):
    """Every case of CASES; "debian" keeps the expectations true."""
    with side_with_dns(side, request, shared_tmp, table_dir,
                       monkeypatch) as srv:
        check_results(srv, run_cases(srv))


def test_dnsbl_bad_pattern_is_fatal(request, table_dir):
    """A bad d.d.d.d pattern: Postfix's fatal error, no reply."""
    if not dns_server.available():
        pytest.skip("needs unbound")
    with dns_server.DnsServer(records=RECORDS) as dns:
        settings = dict(mynetworks="127.0.0.0/8",
                        dns_resolver_address=dns.resolver_address,
                        smtpd_recipient_restrictions=
                        "reject_rbl_client zen.test=127.0.0.x")
        with ours_smtpd(our_instance(request), **settings) as ours:
            r = dialogue(ours.port, ["EHLO x.example", "MAIL FROM:<u@x>",
                                     "RCPT TO:<a@test.example>"],
                         source=CLIENT)
            assert not r[3].startswith("2"), r
            ours.wait_for_log('fatal: RBL reply error: need decimal number '
                              '0..255 or "[" at "127.0.0.>x<"')


@contextlib.contextmanager
def side_with_dns(side, request, shared_tmp, table_dir, monkeypatch,
                  servfail=("failwl.test",), **extra):
    """A DNS server with RECORDS and our smtpd or Debian's pointed at it
    (Debian's needs root and port 53 of a spare loopback address)."""
    if not dns_server.available():
        pytest.skip("needs unbound")
    if side == "ours":
        with dns_server.DnsServer(records=RECORDS,
                                  servfail=list(servfail)) as dns:
            settings = dict(settings_for(table_dir, dns.resolver_address),
                            **extra)
            with ours_smtpd(our_instance(request), **settings) as ours:
                yield ours
        return
    with dns_server.debian_dns_server(records=RECORDS,
                                      servfail=list(servfail)) as dns:
        settings = dict(settings_for(table_dir), **extra)
        with dns_server.debian_smtpd_with_dns(shared_tmp, dns, monkeypatch,
                                              **settings) as deb:
            yield deb


FILTER = ("/^(.*zen2.*)$/ FOO $1\n"
          "/^2\\.0\\.0\\.127\\.zen\\.test\\./ IGNORE\n"
          "/^2\\.0\\.0\\.127\\.custom\\.test\\. .* TXT / IGNORE\n")

FILTER_CASES = [
    ("c_rbl", "250 2.1.5 Ok"),
    ("c_rbl2", "250 2.1.5 Ok"),
    ("c_custom",
     "554 5.7.9 Custom: what=127.0.0.2 class=Client host "
     "domain=custom.test reason= client=client2.example.test[127.0.0.2] "
     "addr=127.0.0.2 name=client2.example.test rev=client2.example.test "
     "helo=client2.example.test sender=u@x.example sname=u "
     "sdom=x.example rcpt=c_custom@test.example rname=c_custom "
     "rdom=test.example txt="),
]

FILTER_LOG = [
    "ignoring DNS RR: 2.0.0.127.zen.test. 3600 IN A 127.0.0.2",
    "warning: 2.0.0.127.zen.test: RBL lookup error: Error looking up "
    "name=2.0.0.127.zen.test type=A: DNS reply filter drops all results",
    'warning: smtpd_dns_reply_filter: unknown DNS filter action: '
    '"FOO 2.0.0.127.zen2.test. 3600 IN A 127.0.0.10"',
    "warning: 2.0.0.127.zen2.test: RBL lookup error: Error looking up "
    "name=2.0.0.127.zen2.test type=A: Invalid DNS reply filter syntax",
    "ignoring DNS RR: 2.0.0.127.custom.test. 3600 IN TXT custom reason",
    "warning: 2.0.0.127.custom.test: TXT lookup error: DNS reply filter "
    "drops all results",
]


@pytest.mark.parametrize("side", ["ours", "debian"])
def test_dns_reply_filter(request, shared_tmp, table_dir, monkeypatch,
                          side):
    """smtpd_dns_reply_filter on the A and TXT lookups of the lists."""
    (table_dir / "t_filter").write_text(FILTER)
    with side_with_dns(side, request, shared_tmp, table_dir, monkeypatch,
                       smtpd_dns_reply_filter=
                       f"regexp:{table_dir}/t_filter") as srv:
        replies = []
        for cls, _ in FILTER_CASES:
            r = dialogue(srv.port, [f"EHLO {H}", "MAIL FROM:<u@x.example>",
                                    f"RCPT TO:<{cls}@test.example>", "QUIT"],
                         source=CLIENT)
            replies.append(r[3])
        assert replies == [reply for _, reply in FILTER_CASES]
        srv.wait_for_log("to=<c_custom@test.example>")
        log = "\n".join(srv.smtpd_log())
        missing = [line for line in FILTER_LOG if line not in log]
        assert not missing, "missing:\n" + "\n".join(missing) + "\n" + log
