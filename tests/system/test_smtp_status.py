"""smtp(8) status lines: what each recipient's outcome looks like in the
log, compared with Debian's Postfix 3.7 for the same message sent to the
same scripted server (smtp_script.ScriptServer).

Each test runs our mail system (ours_smtpd of smtp_dialogue.py: smtpd on a
loopback port, cleanup, qmgr, smtp, bounce ...) with relayhost pointing at
a scripted SMTP server, sends one message through our smtpd, and reads the
smtp status lines (to=, orig_to=, relay=, conn_use=, delay=, delays=,
dsn=, status=). Every recipient must be reported exactly once. When root
and Debian's Postfix are available, the same message goes through a
throwaway Debian instance to the same kind of server and the fields are
compared (delays and queue IDs aside); the fixed expectations below are
what Debian logs, so the tests also check something without it.

Covered: sent (250 ... queued as), RCPT 550/450 in one transaction, MAIL
and end-of-DATA refusals, soft_bounce (status=SOFTBOUNCE), a 421 and a
554 greeting (smtp_skip_5xx_greeting on and off), a refused connection
(relay=none), a lost connection, a time-out, orig_to= for a virtual
alias, a 4xx RCPT reply on a server that is not the last (the recipient
goes to the fallback relay; a later refusal of the data does not apply
to it), NOTIFY=SUCCESS ("relayed" notice without server DSN, none with
it), sendmail -bv probes (no DATA; deliverable/undeliverable),
conn_use= on a cached connection, LMTP over a UNIX-domain socket
(relay=host[path], one reply per recipient), notify_classes=protocol
transcripts, malformed next hops (ours only: kept different), and
smtp_mx_session_limit (ours only: needs unbound and A's MX world).
"""

import contextlib
import email
import email.policy
import os
import pwd
import re
import smtplib
import subprocess
import time

import pytest

from smtp_dialogue import (_debian_usable, debian_smtpd, our_instance,
                           ours_smtpd)
from smtp_script import DEFAULT_KEYWORDS, ScriptServer
from ports import free_port

TIMEOUT = 60.0

STATUS_RE = re.compile(
    r"postfix/(?P<prog>smtp|relay|lmtp)\[\d+\]: (?P<qid>[0-9A-Za-z]+): "
    r"to=<(?P<to>[^>]*)>, (?:orig_to=<(?P<orig>[^>]*)>, )?"
    r"relay=(?P<relay>[^,]*), (?:conn_use=(?P<conn_use>\d+), )?"
    r"delay=(?P<delay>[0-9.]+), delays=(?P<delays>[0-9./]+), "
    r"dsn=(?P<dsn>[0-9.]+), status=(?P<status>\w+) \((?P<text>.*)\)$")

DELAYS_RE = re.compile(r"^[0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+$")

SENDER = "sender@client.example"
BODY = ("From: sender@client.example\r\n"
        "To: rcpt@remote.example\r\n"
        "Subject: status test\r\n"
        "\r\n"
        "body line\r\n")


def status_lines(text):
    """The smtp status lines of a maillog, as dicts."""
    lines = []
    for line in text.splitlines():
        m = STATUS_RE.search(line)
        if m:
            lines.append(m.groupdict())
    return lines


def submit(port, rcpts, sender=SENDER, body=BODY, rcpt_options=()):
    """One message through an smtpd on 127.0.0.1:port."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo("client.example")
        client.sendmail(sender, rcpts, body, rcpt_options=rcpt_options)


def submit_success_notify(server, rcpt="a@remote.example"):
    """A message with NOTIFY=SUCCESS; waits until it left the queue (its
    notices, if any, are queued by then); returns its status lines."""
    submit(server.port, [rcpt], rcpt_options=["NOTIFY=SUCCESS"])
    lines = wait_reports(server, [rcpt])
    wait_log(server, rf"{lines[0]['qid']}: removed")
    return lines


def wait_reports(server, rcpts, timeout=TIMEOUT):
    """Wait until every recipient has a status line; return theirs (not
    those of the notices to the sender that a bounce makes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = status_lines(server.log_text())
        if all(any(s["to"] == r for s in lines) for r in rcpts):
            # A duplicate would come at once: look again a little later.
            time.sleep(0.5)
            return [s for s in status_lines(server.log_text())
                    if s["to"] in rcpts]
        time.sleep(0.1)
    raise AssertionError("no status line for every recipient:\n"
                         + server.log_text()[-3000:])


def normalized(lines, port_map=None):
    """{recipient: (orig, relay, dsn, status, text)}; each reported once."""
    result = {}
    for s in lines:
        assert s["to"] not in result, f"{s['to']} reported twice: {lines}"
        assert DELAYS_RE.match(s["delays"]), s
        relay = s["relay"]
        text = re.sub(r"queued as \S+\)?", "queued as X", s["text"])
        for old, new in (port_map or {}).items():
            relay = relay.replace(f":{old}", f":{new}")
            text = text.replace(f":{old}", f":{new}")
        result[s["to"]] = (s["orig"], relay, s["dsn"], s["status"], text)
    return result


SIDES = ("ours", "debian")


@contextlib.contextmanager
def mta(request, shared_tmp, which, **settings):
    """Our mail system or Debian's (None when Debian cannot run)."""
    if which == "ours":
        with ours_smtpd(our_instance(request), **settings) as server:
            yield server
    elif not _debian_usable():
        yield None
    else:
        # Debian's test master.cf (smtp_dialogue.py) has no lmtp entry.
        with debian_smtpd(shared_tmp / "deb",
                          master_extra="lmtp unix - - n - - lmtp\n",
                          **settings) as server:
            yield server


def run_sides(request, shared_tmp, rcpts, server_options=None,
              fallback=False, wait_for=None, **settings):
    """One message through ours, then through Debian's when it can run,
    each relaying to a fresh scripted server with server_options (and,
    with fallback, a second one as smtp_fallback_relay). Returns {side:
    (normalized status lines, recipients of each message the fallback
    server got, or None)}; ports show as PORT (FIRST/SECOND)."""
    results = {}
    for side in SIDES:
        with contextlib.ExitStack() as stack:
            first = stack.enter_context(ScriptServer(**(server_options
                                                        or {})))
            ports = {first.port: "PORT"}
            values = dict(relayhost=first.address)
            second = None
            if fallback:
                second = stack.enter_context(ScriptServer())
                values["smtp_fallback_relay"] = second.address
                ports = {first.port: "FIRST", second.port: "SECOND"}
            values.update(settings)
            server = stack.enter_context(mta(request, shared_tmp, side,
                                             **values))
            if server is None:
                continue
            submit(server.port, rcpts)
            lines = wait_reports(server, wait_for or rcpts)
            results[side] = (normalized(lines, ports),
                             [[r for r, _ in m.rcpts]
                              for m in second.messages] if second else None)
    return results


def both(request, shared_tmp, server_options, rcpts, expect, **settings):
    """run_sides(); the status lines must be expect, and Debian's."""
    results = run_sides(request, shared_tmp, rcpts, server_options,
                        **settings)
    assert results["ours"][0] == expect
    if "debian" in results:
        assert results["ours"] == results["debian"]
    return results


RELAY = "127.0.0.1[127.0.0.1]:PORT"
HOST = "127.0.0.1[127.0.0.1]"


SENT = (None, RELAY, "2.0.0", "sent", "250 2.0.0 Ok: queued as X")


def rcpt_said(dsn, status, reply):
    """The status entry of a recipient that RCPT TO refused."""
    return (None, RELAY, dsn, status,
            f"host {HOST} said: {reply} (in reply to RCPT TO command)")


def test_sent_bounced_deferred_in_one_transaction(request, shared_tmp):
    bad = ("550 5.1.1 <bad@remote.example>: Recipient address rejected: "
           "User unknown")
    later = ("450 4.2.0 <later@remote.example>: Recipient address "
             "rejected: try later")
    options = dict(rcpt_replies={"bad@remote.example": bad,
                                 "later@remote.example": later,
                                 "nocode@remote.example": "550 no such user"})
    rcpts = ["ok@remote.example", "bad@remote.example",
             "later@remote.example", "nocode@remote.example"]
    expect = {
        "ok@remote.example": SENT,
        "bad@remote.example": rcpt_said("5.1.1", "bounced", bad),
        "later@remote.example": rcpt_said("4.2.0", "deferred", later),
        # No enhanced status code: derived from the reply code.
        "nocode@remote.example": rcpt_said("5.0.0", "bounced",
                                           "550 no such user"),
    }
    both(request, shared_tmp, options, rcpts, expect)


def test_soft_bounce(request, shared_tmp):
    bad = "550 5.1.1 <bad@remote.example>: unknown"
    options = dict(rcpt_replies={"bad@remote.example": bad})
    rcpts = ["ok@remote.example", "bad@remote.example"]
    expect = {"ok@remote.example": SENT,
              "bad@remote.example": rcpt_said("4.1.1", "SOFTBOUNCE", bad)}
    both(request, shared_tmp, options, rcpts, expect, soft_bounce="yes")


# One refusal for the whole message: (server options, main.cf settings,
# dsn, status, text) for two recipients.
MESSAGE_CASES = {
    "mail-553": (
        dict(replies={"mail": "553 5.1.8 <sender@client.example>: Sender "
                              "address rejected"}), {},
        "5.1.8", "bounced",
        f"host {HOST} said: 553 5.1.8 <sender@client.example>: Sender "
        "address rejected (in reply to MAIL FROM command)"),
    "dot-554": (
        dict(replies={"dot": "554 5.7.1 message refused"}), {},
        "5.7.1", "bounced",
        f"host {HOST} said: 554 5.7.1 message refused (in reply to end of "
        "DATA command)"),
    "greeting-421": (
        dict(greeting="421 4.3.2 busy, try later"), {},
        "4.3.2", "deferred",
        f"host {HOST} refused to talk to me: 421 4.3.2 busy, try later"),
    # smtp_skip_5xx_greeting: skip the server, finally defer.
    "greeting-554-skip": (
        dict(greeting="554 5.7.1 go away"), {},
        "4.7.1", "deferred",
        f"host {HOST} refused to talk to me: 554 5.7.1 go away"),
    "greeting-554-noskip": (
        dict(greeting="554 5.7.1 go away"),
        dict(smtp_skip_5xx_greeting="no"),
        "5.7.1", "bounced",
        f"host {HOST} refused to talk to me: 554 5.7.1 go away"),
}


@pytest.mark.parametrize("case", list(MESSAGE_CASES))
def test_message_refused(request, shared_tmp, case):
    options, settings, dsn, status, text = MESSAGE_CASES[case]
    rcpts = ["a@remote.example", "b@remote.example"]
    expect = {r: (None, RELAY, dsn, status, text) for r in rcpts}
    both(request, shared_tmp, options, rcpts, expect, **settings)


def test_connection_refused(request, shared_tmp):
    # Nothing listens on this port: relay=none, the connect error.
    port = free_port()
    results = run_sides(request, shared_tmp, ["a@remote.example"],
                        relayhost=f"[127.0.0.1]:{port}")
    for side in results:
        ((orig, relay, dsn, status, text),) = results[side][0].values()
        assert text == ("connect to 127.0.0.1[127.0.0.1]:%d: Connection "
                        "refused" % port)
        assert (orig, relay, dsn, status) == (None, "none", "4.4.1",
                                              "deferred")


def test_lost_connection_after_rcpt(request, shared_tmp):
    # The server drops the connection when DATA arrives.
    results = run_sides(request, shared_tmp, ["a@remote.example"],
                        dict(drop_at="data"))
    orig, relay, dsn, status, text = results["ours"][0]["a@remote.example"]
    assert (relay, dsn, status) == (RELAY, "4.4.2", "deferred")
    assert text.startswith(f"lost connection with {HOST} while ")
    if "debian" in results:
        assert results["ours"] == results["debian"]


def test_orig_to(request, shared_tmp):
    # A virtual alias: the status line names the original recipient.
    results = run_sides(request, shared_tmp, ["alias@client.example"],
                        wait_for=["real@remote.example"],
                        virtual_alias_maps="inline:{ "
                        "alias@client.example=real@remote.example }")
    assert results["ours"][0] == {
        "real@remote.example": ("alias@client.example",) + SENT[1:]}
    if "debian" in results:
        assert results["ours"] == results["debian"]


def test_rcpt_4xx_goes_to_fallback_relay(request, shared_tmp):
    # A 450 to RCPT on the relayhost (not the last server): the
    # recipient is tried again on the fallback relay; a 550 is final.
    results = run_sides(request, shared_tmp,
                        ["later@remote.example", "bad@remote.example",
                         "ok@remote.example"],
                        dict(rcpt_replies={
                            "later@remote.example": "450 4.2.0 try later",
                            "bad@remote.example": "550 5.1.1 unknown"}),
                        fallback=True)
    ours, second_got = results["ours"]
    assert ours["bad@remote.example"][1:4] == (
        "127.0.0.1[127.0.0.1]:FIRST", "5.1.1", "bounced")
    assert ours["ok@remote.example"][1:4] == (
        "127.0.0.1[127.0.0.1]:FIRST", "2.0.0", "sent")
    assert ours["later@remote.example"][1:4] == (
        "127.0.0.1[127.0.0.1]:SECOND", "2.0.0", "sent")
    assert second_got == [["later@remote.example"]]
    if "debian" in results:
        assert results["ours"] == results["debian"]


def test_rcpt_4xx_then_data_refused(request, shared_tmp):
    """A 450 to one RCPT, then 554 to the end of data on the relayhost
    (not the last server): the refusal of the data applies only to the
    accepted recipient; the 450 one goes to the fallback relay."""
    results = run_sides(request, shared_tmp,
                        ["later@remote.example", "ok@remote.example"],
                        dict(rcpt_replies={
                            "later@remote.example": "450 4.2.0 try later"},
                            replies={"dot": "554 5.7.1 refused"}),
                        fallback=True)
    ours, second_got = results["ours"]
    assert ours["ok@remote.example"][3:] == (
        "bounced", "host 127.0.0.1[127.0.0.1] said: 554 5.7.1 refused (in "
        "reply to end of DATA command)")
    assert ours["later@remote.example"][1:4] == (
        "127.0.0.1[127.0.0.1]:SECOND", "2.0.0", "sent")
    assert second_got == [["later@remote.example"]]
    if "debian" in results:
        assert results["ours"] == results["debian"]


def wait_log(server, pattern, timeout=TIMEOUT):
    """Wait until a maillog line matches pattern; return the match."""
    regex = re.compile(pattern, re.M)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = regex.search(server.log_text())
        if m:
            return m
        time.sleep(0.1)
    raise AssertionError(f"no log line {pattern!r}:\n"
                         + server.log_text()[-3000:])


def notice_fields(data):
    """The per-recipient DSN fields of a delivery status notification."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    fields = {}
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload():
            for name in ("Action", "Status", "Remote-MTA",
                         "Diagnostic-Code", "Final-Recipient"):
                if block.get(name):
                    fields[name] = " ".join(block.get(name).split())
    return msg.get("Subject"), fields


@pytest.mark.parametrize("server_dsn", [False, True])
def test_success_notice(request, shared_tmp, server_dsn):
    """NOTIFY=SUCCESS: "relayed" from us when the server lacks DSN; when it
    has DSN it gets NOTIFY and we send nothing."""
    keywords = [k for k in DEFAULT_KEYWORDS if server_dsn or k != "DSN"]
    got = {}
    for which in SIDES:
        with ScriptServer(keywords=keywords) as srv, \
                mta(request, shared_tmp, which,
                    relayhost=srv.address) as server:
            if server is None:
                continue
            lines = submit_success_notify(server)
            notices = [m for m in srv.messages
                       if m.rcpts and m.rcpts[0][0] == SENDER]
            rcpt_params = srv.messages[0].rcpts[0][1]
            got[which] = (normalized(lines, {srv.port: "PORT"}),
                          [notice_fields(m.data) for m in notices],
                          rcpt_params.get("NOTIFY"))
    ours = got["ours"]
    assert ours[0]["a@remote.example"][3] == "sent"
    if server_dsn:
        assert ours[1] == [] and ours[2] == "SUCCESS"
    else:
        assert ours[2] is None
        assert len(ours[1]) == 1
        subject, fields = ours[1][0]
        assert fields["Action"] == "relayed"
        assert fields["Status"] == "2.0.0"
        assert fields["Diagnostic-Code"].startswith(
            "smtp; 250 2.0.0 Ok: queued as")
    if "debian" in got:
        deb = got["debian"]
        assert ours[0] == deb[0]
        assert ours[2] == deb[2]
        strip = [(s, {k: re.sub(r"queued as \S+", "queued as X", v)
                      for k, v in f.items()}) for s, f in ours[1]]
        strip_deb = [(s, {k: re.sub(r"queued as \S+", "queued as X", v)
                          for k, v in f.items()}) for s, f in deb[1]]
        assert strip == strip_deb


def run_sendmail(server, *args, owner=None, body=BODY):
    """sendmail -C config_dir args (ours as the instance owner)."""
    sbin = server.sbin
    preexec = None
    if owner and os.geteuid() == 0:
        pw = pwd.getpwnam(owner)

        def preexec():
            os.setgroups([])
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
    return subprocess.run([str(sbin / "sendmail"), "-C",
                           str(server.config_dir), *args],
                          capture_output=True, text=True, timeout=60,
                          input=body, preexec_fn=preexec, cwd="/")


@pytest.mark.parametrize("target", ["rcpt", "data"])
def test_verify_probe(request, shared_tmp, target):
    """sendmail -bv: with smtp_address_verify_target = rcpt the client
    stops after RCPT TO (no DATA); with data it sends DATA, reports the
    354 reply ("deliverable (354 ...)", 2.0.0) and hangs up, as Debian's
    does. Either way it logs status=deliverable / undeliverable."""
    rcpts = ["ok@remote.example", "bad@remote.example"]
    got = {}
    for which in SIDES:
        with ScriptServer(rcpt_replies={
                "bad@remote.example": "550 5.1.1 unknown"}) as srv, \
                mta(request, shared_tmp, which, relayhost=srv.address,
                    smtp_address_verify_target=target) as server:
            if server is None:
                continue
            owner = None
            if which == "ours":
                owner = our_instance(request).owner
            r = run_sendmail(server, "-f", SENDER, "-bv", *rcpts,
                             owner=owner)
            assert r.returncode == 0, r.stdout + r.stderr
            lines = wait_reports(server, rcpts)
            srv.wait_connections(1)
            got[which] = (normalized(lines, {srv.port: "PORT"}),
                          [c.split()[0] for c in srv.connections[0].commands
                           if c.split()[0] not in ("EHLO", "XFORWARD")])
    ours = got["ours"]
    assert ours[0]["ok@remote.example"][3] == "deliverable"
    assert ours[0]["bad@remote.example"][2:4] == ("5.1.1", "undeliverable")
    if target == "rcpt":
        assert ours[0]["ok@remote.example"][2:] == (
            "2.1.5", "deliverable", "250 2.1.5 Ok")
        assert ours[1] == ["MAIL", "RCPT", "RCPT", "RSET", "QUIT"]
    else:
        assert ours[0]["ok@remote.example"][2:4] == ("2.0.0", "deliverable")
        assert ours[0]["ok@remote.example"][4].startswith("354 ")
        assert ours[1] == ["MAIL", "RCPT", "RCPT", "DATA"]
    if "debian" in got:
        assert ours == got["debian"]


def test_conn_use_on_cached_connection(request, shared_tmp):
    """A second message over a cached session logs conn_use=2."""
    got = {}
    settings = dict(smtp_connection_cache_destinations="127.0.0.1",
                    smtp_connection_cache_time_limit="30s")
    for which in SIDES:
        with ScriptServer() as srv, \
                mta(request, shared_tmp, which, relayhost=srv.address,
                    **settings) as server:
            if server is None:
                continue
            submit(server.port, ["one@remote.example"])
            first = wait_reports(server, ["one@remote.example"])
            submit(server.port, ["two@remote.example"])
            second = wait_reports(server, ["two@remote.example"])
            got[which] = ([s["conn_use"] for s in first + second],
                          len(srv.connections))
    assert got["ours"] == ([None, "2"], 1)
    if "debian" in got:
        assert got["ours"] == got["debian"]


def test_timeout_text(request, shared_tmp):
    """A server that does not answer DATA in smtp_data_init_timeout."""
    results = run_sides(request, shared_tmp, ["a@remote.example"],
                        dict(stall={"data": 10}),
                        smtp_data_init_timeout="2s")
    relay, dsn, status, text = results["ours"][0]["a@remote.example"][1:]
    assert (relay, dsn, status) == (RELAY, "4.4.2", "deferred")
    assert text.startswith(f"conversation with {HOST} timed out while ")
    if "debian" in results:
        assert results["ours"] == results["debian"]


def test_unreachable_twice(request, shared_tmp):
    """Every server unreachable, twice in a row: relay=none and the
    connect error each time (a single failed delivery does not yet
    suspend the destination, neither in Debian's Postfix)."""
    port = free_port()
    address = f"[127.0.0.1]:{port}"
    got = {}
    for which in SIDES:
        with mta(request, shared_tmp, which, relayhost=address) as server:
            if server is None:
                continue
            submit(server.port, ["a@remote.example"])
            first = wait_reports(server, ["a@remote.example"])
            submit(server.port, ["b@remote.example"])
            second = wait_reports(server, ["b@remote.example"])
            got[which] = (normalized(first, {port: "PORT"}),
                          normalized(second, {port: "PORT"}))
    text = "connect to 127.0.0.1[127.0.0.1]:PORT: Connection refused"
    assert got["ours"] == (
        {"a@remote.example": (None, "none", "4.4.1", "deferred", text)},
        {"b@remote.example": (None, "none", "4.4.1", "deferred", text)})
    if "debian" in got:
        assert got["ours"] == got["debian"]


def test_lmtp_unix_socket(request, shared_tmp):
    """lmtp(8) over a UNIX-domain socket: one reply per recipient after
    the data; relay= shows the socket path."""
    rcpts = ["a@remote.example", "b@remote.example"]
    got = {}
    for which in SIDES:
        sock_dir = shared_tmp / f"lmtp-{which}"
        sock_dir.mkdir()
        sock_dir.chmod(0o755)
        path = sock_dir / "lmtp.sock"
        with ScriptServer(lmtp=True, unix_path=str(path), lmtp_replies={
                "b@remote.example": "452 4.2.2 <b@remote.example> full"}) \
                as srv:
            # lmtp(8) runs as the mail_owner, which must be able to connect.
            path.chmod(0o777)
            with mta(request, shared_tmp, which,
                     default_transport=f"lmtp:unix:{path}") as server:
                if server is None:
                    continue
                submit(server.port, rcpts)
                lines = wait_reports(server, rcpts)
                got[which] = normalized(lines)
    text_b = ("host test.example[{path}] said: 452 4.2.2 "
              "<b@remote.example> full (in reply to end of DATA command)")
    ours = got["ours"]
    path = shared_tmp / "lmtp-ours" / "lmtp.sock"
    assert ours == {
        "a@remote.example": (None, f"test.example[{path}]", "2.1.5", "sent",
                             "250 2.1.5 <a@remote.example> Ok"),
        "b@remote.example": (None, f"test.example[{path}]", "4.2.2",
                             "deferred", text_b.format(path=path)),
    }
    if "debian" in got:
        deb_path = str(shared_tmp / "lmtp-debian" / "lmtp.sock")
        deb = {k: tuple(str(f).replace(deb_path, str(path)) if f else f
                        for f in v) for k, v in got["debian"].items()}
        assert ours == deb


@pytest.mark.parametrize("assume_final", ["no", "yes"])
def test_lmtp_success_notice(request, shared_tmp, assume_final):
    """NOTIFY=SUCCESS through LMTP to a server without DSN: "relayed",
    or "delivered" with lmtp_assume_final = yes."""
    got = {}
    keywords = [k for k in DEFAULT_KEYWORDS if k != "DSN"]
    for which in SIDES:
        sock_dir = shared_tmp / f"lmtpn-{which}"
        sock_dir.mkdir()
        sock_dir.chmod(0o755)
        path = sock_dir / "lmtp.sock"
        with ScriptServer(lmtp=True, unix_path=str(path),
                          keywords=keywords) as srv:
            path.chmod(0o777)
            with mta(request, shared_tmp, which,
                     default_transport=f"lmtp:unix:{path}",
                     lmtp_assume_final=assume_final) as server:
                if server is None:
                    continue
                submit_success_notify(server)
                notices = [notice_fields(m.data)[1] for m in srv.messages
                           if m.rcpts and m.rcpts[0][0] == SENDER]
                got[which] = [(f.get("Action"), f.get("Status"))
                              for f in notices]
    want = "delivered" if assume_final == "yes" else "relayed"
    assert got["ours"] == [(want, "2.1.5")]
    if "debian" in got:
        assert got["ours"] == got["debian"]


def notice_body(data):
    """Subject and body of a postmaster notice, host-specific parts out."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    body = msg.get_payload().replace("\r\n", "\n")
    return msg.get("Subject"), msg.get("To"), body


@pytest.mark.parametrize("reply", ["500 what", "503 5.5.1 bad sequence",
                                   "550 5.7.1 not a protocol error"])
def test_protocol_notice(request, shared_tmp, reply):
    """notify_classes = protocol: a 50x reply makes a transcript for the
    postmaster (Debian's text); other refusals make none."""
    def mail_reply(conn, arg):
        # The notice itself (from double-bounce) gets through.
        return None if "double-bounce" in arg or "<>" in arg else reply
    got = {}
    for which in SIDES:
        with ScriptServer(replies={"mail": mail_reply}) as srv, \
                mta(request, shared_tmp, which, relayhost=srv.address,
                    notify_classes="protocol",
                    error_notice_recipient="postmaster@remote.example") \
                as server:
            if server is None:
                continue
            submit(server.port, ["a@remote.example"])
            lines = wait_reports(server, ["a@remote.example"])
            qid = lines[0]["qid"]
            wait_log(server, rf"{qid}: removed")
            if reply.startswith("50"):
                wait_reports(server, ["postmaster@remote.example"])
            # SIZE= differs by each side's own Received: header.
            notices = [re.sub(r"SIZE=\d+", "SIZE=N",
                              repr(notice_body(m.data))
                              .replace(f":{srv.port}", ":PORT"))
                       for m in srv.messages
                       if m.mail_from.startswith("double-bounce")]
            got[which] = notices
    ours = got["ours"]
    if not reply.startswith("50"):
        assert ours == []
    else:
        assert len(ours) == 1
        assert "Postfix SMTP client: errors from 127.0.0.1[127.0.0.1]:PORT" \
            in ours[0]
        assert "Unexpected response from 127.0.0.1[127.0.0.1]:PORT." \
            in ours[0]
    if "debian" in got:
        assert ours == got["debian"]


@pytest.mark.parametrize("hop,text", [
    ("[127.0.0.1]:nosuchservice", "unknown service: nosuchservice/tcp"),
    ("[127.0.0.1]:99999",
     "bad network port: 99999 for destination: [127.0.0.1]:99999"),
    ("[127.0.0.1", 'missing "]" in server description: [127.0.0.1'),
    ("[]", None)])
def test_bad_next_hop(request, hop, text):
    """A next hop that cannot be parsed: a warning and a deferral (4.3.5)
    with the reason (Debian's words where it has them). Kept different
    on purpose (smtp-client-differences.md): Debian's smtp(8) exits with
    a fatal error, which qmgr sees as a malformed response and master as
    a bad command startup."""
    inst = our_instance(request)
    with ours_smtpd(inst, relayhost=hop) as server:
        submit(server.port, ["a@remote.example"])
        lines = wait_reports(server, ["a@remote.example"])
        got = normalized(lines)["a@remote.example"]
        assert got[:4] == (None, "none", "4.3.5", "deferred")
        m = re.search(r"postfix/smtp\[\d+\]: warning: bad next hop: (.*)",
                      server.log_text())
        assert m and m.group(1) == got[4]
        if text:
            assert got[4] == text
        assert "fatal" not in server.log_text()


def test_mx_session_limit(request):
    """smtp_mx_session_limit counts sessions past EHLO: with 2, a 450 to
    RCPT on the first two MX hosts defers the recipient with the second
    one's reply (the final server) and the third is never tried; with 0
    all three are tried. A refused connection does not count. (Ours
    only: Debian's resolver cannot be pointed at a test DNS server on
    another port.)"""
    from dns_server import DnsServer, available, port_free
    if not available():
        pytest.skip("needs unbound")
    addrs = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
    for _ in range(50):
        port = free_port()
        if all(port_free(a, port) for a in ["127.0.0.9", *addrs]):
            break
    records = []
    for dom in ("two.test", "zero.test", "refused.test"):
        for pref, host, addr in ((10, "a", 2), (20, "b", 3), (30, "c", 4)):
            if dom == "refused.test" and host == "a":
                addr = 9                # nothing listens there
            records += [f"{dom}. MX {pref} {host}.{dom}.",
                        f"{host}.{dom}. A 127.0.0.{addr}"]
    inst = our_instance(request)
    table = inst.config_dir / "transport"
    table.write_text(f"two.test smtp:two.test:{port}\n"
                     f"zero.test smtpzero:zero.test:{port}\n"
                     f"refused.test smtp:refused.test:{port}\n")
    with contextlib.ExitStack() as stack:
        servers = {}
        for addr in addrs:
            srv = ScriptServer(port=port, replies={"rcpt": "450 4.2.0 busy"})
            srv.host = addr
            srv.start()
            stack.callback(srv.stop)
            servers[addr] = srv
        dns = stack.enter_context(DnsServer(
            records=records, extra_config=["rrset-roundrobin: no"]))
        server = stack.enter_context(ours_smtpd(
            inst, master_extra="smtpzero unix - - n - - smtp "
            "-o smtp_mx_session_limit=0",
            relayhost="", transport_maps=f"texthash:{table}",
            relay_domains="two.test zero.test refused.test",
            dns_resolver_address=dns.resolver_address,
            smtp_host_lookup="dns", smtp_randomize_addresses="no"))
        said = "450 4.2.0 busy (in reply to RCPT TO command)"
        for dom, last in (("two.test", "b.two.test[127.0.0.3]"),
                          ("zero.test", "c.zero.test[127.0.0.4]"),
                          ("refused.test", "c.refused.test[127.0.0.4]")):
            submit(server.port, [f"u@{dom}"])
            lines = wait_reports(server, [f"u@{dom}"])
            assert normalized(lines)[f"u@{dom}"][2:] == (
                "4.2.0", "deferred", f"host {last} said: {said}"), dom
        tried = {addr: sum(1 for c in srv.connections
                           if any(x.startswith("RCPT") for x in c.commands))
                 for addr, srv in servers.items()}
        # two: .2 .3; zero: .2 .3 .4; refused (.9 refused): .3 .4.
        assert tried == {"127.0.0.2": 2, "127.0.0.3": 3, "127.0.0.4": 2}


def test_legacy_fallback_relay(request):
    """fallback_relay (the name before Postfix 2.3) is smtp_fallback_relay's
    default: an unreachable relayhost, then the fallback relay."""
    port = free_port()
    with ScriptServer() as srv, \
            ours_smtpd(our_instance(request),
                       relayhost=f"[127.0.0.1]:{port}",
                       fallback_relay=srv.address) as server:
        submit(server.port, ["a@remote.example"])
        lines = wait_reports(server, ["a@remote.example"])
        assert normalized(lines, {srv.port: "PORT"}) == {
            "a@remote.example": SENT}
        assert f"connect to 127.0.0.1[127.0.0.1]:{port}: Connection " \
               "refused" in server.log_text()


def test_soft_bounce_keeps_the_recipient(request):
    """soft_bounce through an agent that marks recipients done after
    bounce_append() (error(8) here): the recipient stays queued and is
    tried again ("postqueue -f"), not removed unseen."""
    inst = our_instance(request)
    table = inst.config_dir / "transport"
    table.write_text("err.example error:5.1.1 nope\n")
    with ours_smtpd(inst, soft_bounce="yes",
                    transport_maps=f"texthash:{table}",
                    virtual_alias_maps="inline:{ x@client.example="
                    "a@err.example }") as server:
        submit(server.port, ["x@client.example"])
        pattern = (r"postfix/error\[\d+\]: (\w+): to=<a@err.example>, .*"
                   r"dsn=4\.1\.1, status=SOFTBOUNCE \(nope\)")
        qid = wait_log(server, pattern).group(1)
        inst.run("postqueue", "-f")
        deadline = time.monotonic() + TIMEOUT
        while len(re.findall(pattern, server.log_text())) < 2:
            assert time.monotonic() < deadline, server.log_text()[-3000:]
            time.sleep(0.1)
        assert f"{qid}: removed" not in server.log_text()
