"""smtpd(8) check_policy_service (SMTPD_POLICY_README) against a small
policy server (policy_server.py, a standalone listener started by the
test; test_spawn.py runs a policy server from master.cf with spawn(8)).

Checked: the request attributes and their order (Debian's Postfix 3.7
order, plus compatibility_level and mail_version as Postfix 3.8 sends),
the "instance" of a transaction, the action applied as an access(5)
action (REJECT text, plain REJECT, 4NN/DEFER_IF_PERMIT, DUNNO, an
unknown restriction name, an empty action), the first action winning,
junk lines ignored, replies without an action, a server that hangs up
or does not answer in time (tries, retry delay, then
smtpd_policy_service_default_action), a refused connection with
per-service options in "{...}", a unix-domain service, connection
reuse, request_limit, max_idle, and (ours only) the reply size bound.
Expected replies and log lines are those of
Debian's Postfix 3.7.11; test_policy_debian_reference runs the same
cases against it (root only).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import smtp_dialogue
from smtp_dialogue import (ours_smtpd, debian_smtpd, our_instance,
                           dialogue, free_port)

HERE = Path(__file__).resolve().parent

DEBIAN_ORDER = [
    "request", "protocol_state", "protocol_name", "client_address",
    "client_name", "client_port", "reverse_client_name", "server_address",
    "server_port", "helo_name", "sender", "recipient", "recipient_count",
    "queue_id", "instance", "size", "etrn_domain", "stress", "sasl_method",
    "sasl_username", "sasl_sender", "ccert_subject", "ccert_issuer",
    "ccert_fingerprint", "ccert_pubkey_fingerprint", "encryption_protocol",
    "encryption_cipher", "encryption_keysize", "policy_context"]
OUR_EXTRA = ["compatibility_level", "mail_version"]

RULES = {
    "recipient:a@test.example": "REJECT go away",
    "recipient:b@test.example": "__raw__bogus=1\naction=DUNNO\n\n",
    "recipient:c@test.example": "frobnicate",
    "recipient:d@test.example": "__close__",
    "recipient:f@test.example": "__raw__action=REJECT\n\n",
    "recipient:g@test.example": "__raw__action=\n\n",
    "recipient:h@test.example":
        "__raw__action=defer_if_permit try later\n\n",
    "recipient:i@test.example": "__raw__action=REJECT x\naction=OK\n\n",
    "recipient:j@test.example": "__raw__foo=bar\n\n",
    "recipient:k@test.example": "__big__5000",
    "recipient:l@test.example": "__raw__garbage\n=x\naction=REJECT one\n\n",
    "recipient:m@test.example": "__sleep__4",
    "recipient:n@test.example": "450 4.7.2 come back later",
    "*": "DUNNO",
}

CASES = [
    ("a", "554 5.7.1 <a@test.example>: Recipient address rejected: go away"),
    ("b", "250 2.1.5 Ok"),
    ("c", "451 4.3.5 Server configuration error"),
    ("d", "451 4.3.5 <d@test.example>: Recipient address rejected: "
          "Server configuration problem"),
    ("e", "250 2.1.5 Ok"),
    ("f", "554 5.7.1 <f@test.example>: Recipient address rejected: "
          "Access denied"),
    ("g", "250 2.1.5 Ok"),
    ("h", "450 4.7.1 <h@test.example>: Recipient address rejected: "
          "try later"),
    ("i", "554 5.7.1 <i@test.example>: Recipient address rejected: x"),
    ("j", "451 4.3.5 <j@test.example>: Recipient address rejected: "
          "Server configuration problem"),
    ("k", "250 2.1.5 Ok"),
    ("l", "554 5.7.1 <l@test.example>: Recipient address rejected: one"),
    ("m", "451 4.3.5 <m@test.example>: Recipient address rejected: "
          "Server configuration problem"),
    ("n", "450 4.7.2 <n@test.example>: Recipient address rejected: "
          "come back later"),
]


def log_lines(port):
    """The warnings Postfix logs for the cases above."""
    server = f"127.0.0.1:{port}"
    return [
        'warning: unknown smtpd restriction: "frobnicate"',
        f"warning: problem talking to server {server}: Application error",
        f"warning: access table inet:{server} entry  has empty value",
        f"warning: missing attribute action in input from {server}",
        f"warning: problem talking to server {server}: Connection timed out",
        "NOQUEUE: reject: RCPT from CLIENT[127.0.0.1]: 554 5.7.1 "
        "<a@test.example>: Recipient address rejected: go away; "
        "from=<s@x.example> to=<a@test.example> proto=ESMTP "
        "helo=<client.example>",
    ]


class PolicyServer:
    """policy_server.py in the background; stopped by stop()."""

    def __init__(self, workdir, listen, rules):
        self.workdir = Path(workdir)
        self.rules = self.workdir / f"rules-{os.getpid()}-{id(self)}.json"
        self.log = self.workdir / f"requests-{id(self)}.log"
        self.rules.write_text(json.dumps(rules))
        self.log.touch()
        os.chmod(self.log, 0o666)
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "policy_server.py"), "--listen",
             listen, "--rules", str(self.rules), "--log", str(self.log),
             "--max-seconds", "300"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            self.stop()
            raise RuntimeError("policy server did not start")

    def requests(self):
        return [json.loads(line) for line in
                self.log.read_text().splitlines() if line.strip()]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def policy(shared_tmp):
    port = free_port()
    server = PolicyServer(shared_tmp, f"inet:127.0.0.1:{port}", RULES)
    server.port = port
    yield server
    server.stop()


def policy_settings(port, refused_port):
    return {
        "smtpd_recipient_restrictions":
            f"check_policy_service inet:127.0.0.1:{port}, "
            f"check_policy_service {{ inet:127.0.0.1:{refused_port}, "
            "timeout=2s, default_action=DUNNO, policy_context=ctx1 }, "
            "permit_mynetworks, reject_unauth_destination",
        "smtpd_policy_service_try_limit": "2",
        "smtpd_policy_service_retry_delay": "1s",
        "smtpd_policy_service_timeout": "2s",
    }


def run_cases(server):
    lines = (["EHLO client.example", "MAIL FROM:<s@x.example> SIZE=100"]
             + [f"RCPT TO:<{name}@test.example>" for name, _ in CASES]
             + ["QUIT"])
    replies = dialogue(server.port, lines, timeout=30)
    return replies[3:3 + len(CASES)]


def check_cases(server, policy, refused_port, replies):
    bad = [(name, got, want) for (name, want), got in zip(CASES, replies)
           if got != want]
    assert not bad, "\n".join(f"{n}: got {g!r}\n   want {w!r}"
                              for n, g, w in bad)
    server.wait_for_log("to=<n@test.example>")
    log = "\n".join(server.smtpd_log())
    # The client's name comes from the host's own lookup (/etc/hosts).
    log = log.replace(f"{client_name(server)}[127.0.0.1]", "CLIENT[127.0.0.1]")
    expect = log_lines(policy.port) + [
        f"warning: connect to 127.0.0.1:{refused_port}: Connection refused",
        f"warning: problem talking to server 127.0.0.1:{refused_port}: "
        "Connection refused"]
    missing = [line for line in expect if line not in log]
    assert not missing, "missing log lines:\n" + "\n".join(missing) \
        + "\n--- log:\n" + log
    # Nothing from the peer stays silent: one warning per bad hang-up.
    assert log.count(f"problem talking to server 127.0.0.1:{policy.port}: "
                     "Application error") == 2


def client_name(server):
    """The client name that smtpd found for 127.0.0.1."""
    for line in server.smtpd_log():
        if line.startswith("smtpd: connect from ") and "[127.0.0.1]" in line:
            return line[len("smtpd: connect from "):].split("[")[0]
    raise AssertionError("no connect line")


def check_requests(policy, real, name):
    reqs = policy.requests()
    first = reqs[0]
    order = DEBIAN_ORDER if real else DEBIAN_ORDER + OUR_EXTRA
    assert first["order"] == order
    a = first["attrs"]
    assert a["request"] == "smtpd_access_policy"
    assert a["protocol_state"] == "RCPT"
    assert a["protocol_name"] == "ESMTP"
    assert a["client_address"] == "127.0.0.1"
    assert a["client_name"] == name
    assert a["reverse_client_name"] in (name, "localhost")
    assert a["server_address"] == "127.0.0.1"
    assert a["helo_name"] == "client.example"
    assert a["sender"] == "s@x.example"
    assert a["recipient"] == "a@test.example"
    assert a["recipient_count"] == "0"
    assert a["size"] == "100"
    assert a["queue_id"] == ""
    assert a["encryption_keysize"] == "0"
    assert a["policy_context"] == ""
    assert a["instance"] != ""
    # One instance per transaction; one cached connection for the
    # requests that the server answered.
    assert {r["attrs"]["instance"] for r in reqs} == {a["instance"]}
    assert reqs[1]["conn"] == reqs[0]["conn"]
    # "b" was accepted, but the count stays 0 before DATA.
    counts = [r["attrs"]["recipient_count"] for r in reqs
              if r["attrs"]["recipient"] == "e@test.example"]
    assert counts == ["0"]


def test_policy(request, policy):
    refused = free_port()
    with ours_smtpd(our_instance(request),
                    **policy_settings(policy.port, refused)) as ours:
        replies = run_cases(ours)
        check_cases(ours, policy, refused, replies)
        name = client_name(ours)
    check_requests(policy, real=False, name=name)


def test_policy_debian_reference(policy, shared_tmp):
    refused = free_port()
    with debian_smtpd(Path(shared_tmp) / "deb",
                      **policy_settings(policy.port, refused)) as debian:
        replies = run_cases(debian)
        check_cases(debian, policy, refused, replies)
        name = client_name(debian)
    check_requests(policy, real=True, name=name)


def stage_settings(listen):
    return {
        "smtpd_client_restrictions": f"check_policy_service {listen}",
        "smtpd_helo_restrictions": f"check_policy_service {listen}",
        "smtpd_data_restrictions": f"check_policy_service {listen}",
        "smtpd_end_of_data_restrictions": f"check_policy_service {listen}",
        "smtpd_etrn_restrictions": f"check_policy_service {listen}",
        "smtpd_delay_reject": "no",
        "smtpd_policy_service_policy_context": "ctx-main",
        "smtpd_policy_service_request_limit": "2",
    }


@pytest.mark.parametrize("side", ["ours", "debian"])
def test_policy_stages_unix(request, shared_tmp, side):
    """Every stage, over a unix-domain socket; request_limit=2 makes a
    new connection after every second request."""
    path = Path(shared_tmp) / "policy.sock"
    server = PolicyServer(shared_tmp, f"unix:{path}", {"*": "DUNNO"})
    settings = stage_settings(f"unix:{path}")
    try:
        with (ours_smtpd(our_instance(request), **settings) if side == "ours"
              else debian_smtpd(Path(shared_tmp) / "deb", **settings)) as ours:
            replies = dialogue(ours.port, [
                "HELO client.example", "MAIL FROM:<s@x.example>",
                "RCPT TO:<a@test.example>", "DATA",
                b"Subject: x\r\n\r\nbody\r\n.\r\n", "ETRN foo.example",
                "QUIT"], timeout=30)
            assert replies[1] == "250 test.example"
            assert replies[4].startswith("354")
            assert replies[5].startswith("250 2.0.0 Ok: queued as ")
        reqs = server.requests()
        states = [r["attrs"]["protocol_state"] for r in reqs]
        assert states == ["CONNECT", "HELO", "DATA", "END-OF-MESSAGE",
                          "ETRN"]
        by_state = {r["attrs"]["protocol_state"]: r for r in reqs}
        assert by_state["CONNECT"]["attrs"]["helo_name"] == ""
        assert by_state["HELO"]["attrs"]["instance"] == ""
        eod = by_state["END-OF-MESSAGE"]["attrs"]
        assert eod["recipient"] == "a@test.example"
        assert eod["recipient_count"] == "1"
        assert int(eod["size"]) > 0
        assert eod["queue_id"] != ""
        assert eod["policy_context"] == "ctx-main"
        assert by_state["ETRN"]["attrs"]["etrn_domain"] == "foo.example"
        conns = [r["conn"] for r in reqs]
        assert conns == [1, 1, 2, 2, 3]
    finally:
        server.stop()


@pytest.mark.parametrize("side", ["ours", "debian"])
def test_policy_max_idle(request, shared_tmp, side):
    """max_idle applies between SMTP sessions only (Postfix's timers do
    not run during a session): a pause inside a session keeps the
    connection, the same pause between sessions closes it (the pauses
    are well beyond the 1s limit)."""
    port = free_port()
    server = PolicyServer(shared_tmp, f"inet:127.0.0.1:{port}",
                          {"*": "DUNNO"})
    settings = {
        "smtpd_recipient_restrictions":
            f"check_policy_service {{ inet:127.0.0.1:{port}, max_idle=1s }}"
            ", permit_mynetworks, reject_unauth_destination"}
    try:
        with (ours_smtpd(our_instance(request), **settings) if side == "ours"
              else debian_smtpd(Path(shared_tmp) / "deb", **settings)) as srv:
            with smtp_dialogue.Session(srv.port, timeout=30) as s:
                assert s.command("EHLO client.example").startswith("250")
                assert s.command("MAIL FROM:<s@x.example>").startswith("250")
                assert s.command("RCPT TO:<a@test.example>").startswith("250")
                assert s.command("RCPT TO:<b@test.example>").startswith("250")
                time.sleep(3)
                assert s.command("RCPT TO:<c@test.example>").startswith("250")
                s.command("QUIT")
            time.sleep(3)
            replies = dialogue(srv.port, ["EHLO client.example",
                                          "MAIL FROM:<s@x.example>",
                                          "RCPT TO:<d@test.example>", "QUIT"])
            assert replies[3].startswith("250"), replies
            # Control: at once, the next session reuses the connection.
            replies = dialogue(srv.port, ["EHLO client.example",
                                          "MAIL FROM:<s@x.example>",
                                          "RCPT TO:<e@test.example>", "QUIT"])
            assert replies[3].startswith("250"), replies
        conns = [r["conn"] for r in server.requests()]
        assert conns == [1, 1, 1, 2, 2]
    finally:
        server.stop()


@pytest.mark.parametrize("side", ["ours", "debian"])
def test_policy_default_action_group(request, shared_tmp, side):
    """SMTPD_POLICY_README's "{ default_action = text with spaces }"."""
    refused = free_port()
    settings = {
        "smtpd_recipient_restrictions":
            f"check_policy_service {{ inet:127.0.0.1:{refused} try_limit=1,"
            " { default_action = 451 4.3.5 See http://www.example.com/s1 }"
            " }, permit_mynetworks, reject_unauth_destination"}
    with (ours_smtpd(our_instance(request), **settings) if side == "ours"
          else debian_smtpd(Path(shared_tmp) / "deb", **settings)) as srv:
        replies = dialogue(srv.port, ["EHLO client.example",
                                      "MAIL FROM:<s@x.example>",
                                      "RCPT TO:<a@test.example>", "QUIT"])
        assert replies[3] == ("451 4.3.5 <a@test.example>: Recipient "
                              "address rejected: See "
                              "http://www.example.com/s1")
        srv.wait_for_log(f"warning: problem talking to server "
                         f"127.0.0.1:{refused}: Connection refused")


def test_policy_reply_bounds(request, shared_tmp):
    """Ours only: an attribute line over 100000 bytes is a protocol
    error (Postfix has no such bound), so the default action applies."""
    port = free_port()
    server = PolicyServer(shared_tmp, f"inet:127.0.0.1:{port}",
                          {"recipient:big@test.example": "__big__200000",
                           "*": "DUNNO"})
    settings = {
        "smtpd_recipient_restrictions":
            f"check_policy_service inet:127.0.0.1:{port}, "
            "permit_mynetworks, reject_unauth_destination",
        "smtpd_policy_service_try_limit": "1"}
    try:
        with ours_smtpd(our_instance(request), **settings) as ours:
            replies = dialogue(ours.port, [
                "EHLO client.example", "MAIL FROM:<s@x.example>",
                "RCPT TO:<big@test.example>", "RCPT TO:<ok@test.example>",
                "QUIT"], timeout=30)
            assert replies[3] == ("451 4.3.5 <big@test.example>: Recipient "
                                  "address rejected: Server configuration "
                                  "problem")
            assert replies[4] == "250 2.1.5 Ok"
            ours.wait_for_log(f"warning: problem talking to server "
                              f"127.0.0.1:{port}: Application error")
    finally:
        server.stop()


@pytest.mark.parametrize("service, fatal", [
    ("{ inet:127.0.0.1:9, timeout=abc }",
     "fatal: timeout: bad time value or unit: abc"),
    ("{ inet:127.0.0.1:9, foo=1 }", 'fatal: unknown option: "foo = 1"'),
    ("foo:127.0.0.1:9",
     "fatal: invalid transport name: foo in service: foo:127.0.0.1:9"),
])
def test_policy_config_fatal_at_startup(request, shared_tmp, service, fatal):
    """A bad check_policy_service argument is fatal when smtpd starts, as
    in Postfix: before the session begins ("connect from" is never
    logged), though the restriction would only run at RCPT time."""
    settings = {"smtpd_recipient_restrictions":
                f"check_policy_service {service}, permit_mynetworks, "
                "reject_unauth_destination"}
    sides = [("ours", lambda: ours_smtpd(our_instance(request), **settings))]
    if smtp_dialogue._debian_usable():
        sides.append(("debian", lambda: debian_smtpd(
            Path(shared_tmp) / "deb", **settings)))
    for name, start in sides:
        with start() as server:
            replies = dialogue(server.port, ["EHLO client.example"],
                               timeout=3)
            server.wait_for_log(fatal)
            assert not replies[0].startswith("220"), (name, replies)
            assert "connect from" not in server.log_text(), name


def xclient_login_cases(server):
    return dialogue(server.port, [
        "XCLIENT LOGIN=bob ADDR=10.0.0.5", "HELO client.example",
        "MAIL FROM:<s@x.example>", "RCPT TO:<z@test.example>", "QUIT"],
        timeout=30)


@pytest.mark.parametrize("sasl", ["yes", "no"])
def test_policy_xclient_login(request, shared_tmp, sasl):
    """XCLIENT LOGIN=name gives sasl_method=XCLIENT and sasl_username=name,
    with or without smtpd_sasl_auth_enable, as Debian's Postfix does
    (permit_sasl_authenticated needs SASL: test_smtpd_relay.py)."""
    want = {"sasl_method": "XCLIENT", "sasl_username": "bob"}
    sides = [("ours", lambda s: ours_smtpd(our_instance(request), **s))]
    if smtp_dialogue._debian_usable():
        sides.append(("debian", lambda s: debian_smtpd(
            Path(shared_tmp) / "deb", **s)))
    for name, start in sides:
        port = free_port()
        server = PolicyServer(shared_tmp, f"inet:127.0.0.1:{port}",
                              {"*": "DUNNO"})
        try:
            settings = {
                "smtpd_authorized_xclient_hosts": "127.0.0.1",
                "smtpd_sasl_auth_enable": sasl,
                "smtpd_recipient_restrictions":
                    f"check_policy_service inet:127.0.0.1:{port}, "
                    "permit_mynetworks, reject_unauth_destination"}
            with start(settings) as srv:
                replies = xclient_login_cases(srv)
            assert replies[4] == "250 2.1.5 Ok", (name, replies)
            attrs = server.requests()[0]["attrs"]
            got = {k: attrs[k] for k in want}
            assert got == want, name
        finally:
            server.stop()
