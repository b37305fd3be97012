"""System tests for address verification: verify(8), probes, smtpd's
reject_unverified_* and sendmail -bv / -v.

Our whole mail system runs (master, smtpd on a loopback port, cleanup,
trivial-rewrite, qmgr, bounce, verify, the discard/error/retry/virtual
agents: the installed master.cf template, see smtp_dialogue.ours_smtpd).
transport_maps send three test domains to agents with known outcomes:

    ok.example      discard:  deliverable ("all fine")
    bounce.example  error:    undeliverable, 5.2.0 "no such user here"
    defer.example   retry:    undeliverable, 4.2.2 "mailbox full"

and the report recipient rep@vrep.example to a virtual(8) maildir, where
the -bv/-v reports are read back and parsed with Python's email package.

The *_same_as_debian tests run the same SMTP dialogues and the same
sendmail -bv and -v through Debian's Postfix 3.7 (a throwaway instance;
skipped without it) and compare replies, log fields, probe sizes and the
reports' DSN fields. Every test needs root (a privileged instance) and
skips otherwise.
"""

import email
import email.policy
import os
import pwd
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from cleanup_wire import AttrReader, attr_dict, attr_encode
from smtp_dialogue import (_wait_until, debian_smtpd, dialogue,
                           our_instance, ours_smtpd)

TIMEOUT = 30.0
DIALOGUE_TIMEOUT = 60.0  # above address_verify_poll_count * _delay
NOBODY = "nobody"

TRANSPORTS = ("inline:{{defer.example=retry:4.2.2 mailbox full},"
              "{bounce.example=error:5.2.0 no such user here},"
              "{ok.example=discard:all fine},"
              "{vrep.example=virtual:}}")


def wait_until(predicate, what, timeout=TIMEOUT):
    return _wait_until(predicate, what, timeout)


def base_settings(mail_dir, **extra):
    """main.cf settings shared by our side and Debian's."""
    nobody = pwd.getpwnam(NOBODY)
    values = dict(
        smtpd_recipient_restrictions="reject_unverified_recipient, permit",
        smtpd_relay_restrictions="permit_mynetworks, "
                                 "reject_unauth_destination",
        relay_domains="ok.example bounce.example defer.example",
        transport_maps=TRANSPORTS,
        # Generous: under load a probe may take more than a second.
        address_verify_poll_count="20",
        address_verify_poll_delay="1s",
        virtual_mailbox_domains="vrep.example",
        virtual_mailbox_maps="inline:{rep@vrep.example=rep/}",
        virtual_mailbox_base=str(mail_dir),
        virtual_uid_maps=f"static:{nobody.pw_uid}",
        virtual_gid_maps=f"static:{nobody.pw_gid}",
    )
    values.update(extra)
    return values


def make_mail_dir(base):
    mail_dir = Path(base) / "vmail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        nobody = pwd.getpwnam(NOBODY)
        os.chmod(base, 0o755)
        os.chown(mail_dir, nobody.pw_uid, nobody.pw_gid)
    return mail_dir


@pytest.fixture
def mail_dir(request):
    """A maildir base that virtual(8) (as nobody) can write. Root only:
    the tests start a privileged instance (mail_owner postfix), as the
    reports are delivered by virtual(8) as nobody."""
    if os.geteuid() != 0:
        pytest.skip("the verify tests run a privileged instance: root only")
    inst = our_instance(request)
    return make_mail_dir(inst.base)


def rcpt_reply(server, rcpt, sender="s@ok.example"):
    replies = dialogue(server.port, ["HELO x", f"MAIL FROM:<{sender}>",
                                     f"RCPT TO:<{rcpt}>", "QUIT"],
                       timeout=DIALOGUE_TIMEOUT)
    return replies[3]


def sender_reply(server, sender):
    replies = dialogue(server.port, ["HELO x", f"MAIL FROM:<{sender}>",
                                     "RCPT TO:<a@ok.example>", "QUIT"],
                       timeout=DIALOGUE_TIMEOUT)
    return replies[3]


def status_fields(log, rcpt):
    """(dsn, status, text) of the status lines of rcpt, log order."""
    return re.findall(rf"to=<{re.escape(rcpt)}>, relay=\S+, delay=\S+, "
                      r"delays=\S+, dsn=(\S+), status=(\S+) \((.*)\)$",
                      log, re.M)


def reject_lines(log):
    """smtpd's reject lines without time stamps and pids."""
    return [m.group(1) for m in
            re.finditer(r"smtpd\[\d+\]: NOQUEUE: (reject: .*)$", log, re.M)]


def report_messages(mail_dir):
    new = Path(mail_dir) / "rep" / "new"
    if not new.is_dir():
        return []
    return [email.message_from_bytes(p.read_bytes(),
                                     policy=email.policy.default)
            for p in sorted(new.iterdir())]


def wait_report(server, mail_dir):
    """The first report delivered to rep@vrep.example (the log on failure)."""
    try:
        return wait_until(lambda: report_messages(mail_dir), "the report")[0]
    except AssertionError as e:
        raise AssertionError(f"{e}:\n{server.log_text()[-3000:]}") from None


def dsn_fields(msg):
    """[(Final-Recipient, Action, Status, Diagnostic-Code)] of a report."""
    part = [p for p in msg.walk()
            if p.get_content_type() == "message/delivery-status"][0]
    payload = part.get_payload()
    groups = payload[1:] if isinstance(payload, list) else []
    out = []
    for g in groups:
        out.append((str(g["Final-Recipient"]), str(g["Action"]),
                    str(g["Status"]), str(g["Diagnostic-Code"])))
    return sorted(out)


def cache_value(inst, address):
    """Our cache entry of address (postmap -q on $address_verify_map)."""
    r = inst.run("postmap", "-f", "-q", address,
                 f"btree:{inst.data_dir}/verify_cache")
    return r.stdout.strip() if r.returncode == 0 else None


# ------------------------------------------------------------ smtpd

def test_reject_unverified_recipient(request, mail_dir):
    """Deliverable, bounced and deferred probes: replies, logs, cache."""
    inst = our_instance(request)
    with ours_smtpd(inst, **base_settings(mail_dir)) as ours:
        assert rcpt_reply(ours, "a@ok.example") == "250 2.1.5 Ok"
        # verify(8) starts with a cleanup run of its (new) cache; it may
        # run before or after the first request.
        ours.wait_for_log("verify[", timeout=TIMEOUT)
        assert re.search(r"postfix/verify\[\d+\]: cache btree:\S+/verify_cache"
                         r" full cleanup: retained=[01] dropped=0 entries$",
                         ours.log_text(), re.M)
        assert rcpt_reply(ours, "b@bounce.example") == (
            "450 4.1.1 <b@bounce.example>: Recipient address rejected: "
            "unverified address: no such user here")
        assert rcpt_reply(ours, "d@defer.example") == (
            "450 4.1.1 <d@defer.example>: Recipient address rejected: "
            "unverified address: mailbox full")
        for addr in ("a@ok.example", "b@bounce.example", "d@defer.example"):
            ours.wait_for_log(f"to=<{addr}>", timeout=TIMEOUT)
        log = ours.log_text()
        assert status_fields(log, "a@ok.example") == [
            ("2.0.0", "deliverable", "all fine")]
        assert status_fields(log, "b@bounce.example") == [
            ("5.2.0", "undeliverable", "no such user here")]
        assert status_fields(log, "d@defer.example") == [
            ("4.2.2", "undeliverable", "mailbox full")]
        # Probes come from double-bounce and leave nothing queued.
        assert re.search(r"qmgr\[\d+\]: \w+: from=<double-bounce@test.example>"
                         r", size=\d+, nrcpt=1 \(queue active\)", log)
        wait_until(lambda: not any(inst.queue_dir.glob("deferred/**/*[0-9A-F]"))
                   and not any((inst.queue_dir / "active").rglob("*[0-9A-F]")),
                   "probes to leave the queue")
        # Cached: a second query answers at once, without a new probe.
        assert rcpt_reply(ours, "b@bounce.example").startswith("450 4.1.1 ")
        assert len(status_fields(ours.log_text(), "b@bounce.example")) == 1
        entry = cache_value(inst, "b@bounce.example")
        assert re.fullmatch(r"2:0:\d+:5\.2\.0 no such user here", entry), entry
        entry = cache_value(inst, "a@ok.example")
        assert re.fullmatch(r"0:0:\d+:2\.0\.0 all fine", entry), entry
        ours.wait_disconnects(4, timeout=TIMEOUT)
        assert reject_lines(ours.log_text()) == [
            "reject: RCPT from localhost[127.0.0.1]: 450 4.1.1 "
            "<b@bounce.example>: Recipient address rejected: unverified "
            "address: no such user here; from=<s@ok.example> "
            "to=<b@bounce.example> proto=SMTP helo=<x>",
            "reject: RCPT from localhost[127.0.0.1]: 450 4.1.1 "
            "<d@defer.example>: Recipient address rejected: unverified "
            "address: mailbox full; from=<s@ok.example> "
            "to=<d@defer.example> proto=SMTP helo=<x>",
            "reject: RCPT from localhost[127.0.0.1]: 450 4.1.1 "
            "<b@bounce.example>: Recipient address rejected: unverified "
            "address: no such user here; from=<s@ok.example> "
            "to=<b@bounce.example> proto=SMTP helo=<x>"]


CODES_DIALOGUES = [
    ("rcpt", "b@bounce.example"), ("rcpt", "d@defer.example"),
    ("sender", "b@bounce.example"), ("sender", "d@defer.example"),
    ("rcpt", "a@ok.example"),
]


def codes_replies(server):
    out = []
    for kind, addr in CODES_DIALOGUES:
        out.append(rcpt_reply(server, addr) if kind == "rcpt"
                   else sender_reply(server, addr))
    return out


CODES_SETTINGS = dict(
    smtpd_sender_restrictions="reject_unverified_sender, permit",
    unverified_recipient_reject_code="550",
    unverified_sender_reject_code="550",
    unverified_sender_reject_reason="Address lookup failed")


def test_reject_codes_and_reasons(request, mail_dir):
    """550 for known-bad addresses, senders (X.1.7), a fixed reason."""
    inst = our_instance(request)
    with ours_smtpd(inst, **base_settings(mail_dir, **CODES_SETTINGS)) as s:
        assert codes_replies(s) == [
            "550 5.1.1 <b@bounce.example>: Recipient address rejected: "
            "undeliverable address: no such user here",
            "450 4.1.1 <d@defer.example>: Recipient address rejected: "
            "unverified address: mailbox full",
            "550 5.1.7 <b@bounce.example>: Sender address rejected: "
            "undeliverable address: Address lookup failed",
            "450 4.1.7 <d@defer.example>: Sender address rejected: "
            "unverified address: Address lookup failed",
            "250 2.1.5 Ok"]


def test_in_progress_and_tempfail_actions(request, mail_dir):
    """One poll: "in progress"; a 250 defer code accepts it; a deferred
    probe with a 250 code gets the probe's own code (as Postfix 3.7);
    defer_if_permit lets a later REJECT win."""
    inst = our_instance(request)
    settings = base_settings(
        mail_dir, address_verify_poll_count="1",
        smtpd_recipient_restrictions="reject_unverified_recipient, "
        "check_recipient_access inline:{c@defer.example=REJECT}, permit")
    with ours_smtpd(inst, **settings) as s:
        assert rcpt_reply(s, "d@defer.example") == (
            "450 4.1.1 <d@defer.example>: Recipient address rejected: "
            "unverified address: Address verification in progress")
        s.wait_for_log("to=<d@defer.example>", timeout=TIMEOUT)
        assert rcpt_reply(s, "c@defer.example") == (
            "554 5.7.1 <c@defer.example>: Recipient address rejected: "
            "Access denied")
    # Again with a 250 defer code (a new instance, not a reload: an old
    # smtpd process may serve the next session); the cache is kept.
    settings["unverified_recipient_defer_code"] = "250"
    with ours_smtpd(inst, **settings) as s:
        assert rcpt_reply(s, "x@ok.example") == "250 2.1.5 Ok"
        assert rcpt_reply(s, "d@defer.example") == (
            "450 4.2.2 <d@defer.example>: Recipient address rejected: "
            "mailbox full")


def test_cache_refresh_and_cleanup(request, mail_dir):
    """A stale negative answer is probed again (and still answered);
    the cleanup run drops expired entries and says so."""
    inst = our_instance(request)
    settings = base_settings(mail_dir,
                             address_verify_negative_refresh_time="1s",
                             address_verify_negative_expire_time="5s",
                             address_verify_cache_cleanup_interval="2s")
    with ours_smtpd(inst, **settings) as s:
        reply = rcpt_reply(s, "b@bounce.example")
        assert reply.endswith("unverified address: no such user here")
        time.sleep(2)
        # Stale: the cached answer now, and a new probe behind it.
        assert rcpt_reply(s, "b@bounce.example") == reply
        wait_until(lambda: len(status_fields(s.log_text(),
                                             "b@bounce.example")) == 2,
                   "the refresh probe")
        # Unrefreshed past the expiry: dropped by a cleanup run (one that
        # comes after the refresh probe's answer).
        seen = len(s.log_text())
        wait_until(lambda: re.search(r"full cleanup: retained=0 dropped=1 "
                                     r"entries", s.log_text()[seen:]),
                   "a cleanup run that drops the entry", timeout=TIMEOUT)
        assert cache_value(inst, "b@bounce.example") is None


def base32_stamp(value):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
    out = ""
    while True:
        out = digits[value % 32] + out
        value //= 32
        if value == 0:
            return out


def probe_sizes(log):
    """The sizes that qmgr logs for probes."""
    return re.findall(r"from=<double-bounce@test.example>, size=(\d+), "
                      r"nrcpt=1 \(queue active\)", log)


def probe_senders(log):
    return re.findall(r"qmgr\[\d+\]: \w+: from=<([^>]*)>, size=\d+, nrcpt=1 "
                      r"\(queue active\)", log)


def test_probe_sender(request, mail_dir):
    """address_verify_sender_ttl adds a time-dependent part; an empty
    address_verify_sender is the null sender."""
    inst = our_instance(request)
    settings = base_settings(mail_dir, address_verify_sender_ttl="1h")
    with ours_smtpd(inst, **settings) as s:
        before = int(time.time()) // 3600
        assert rcpt_reply(s, "a@ok.example") == "250 2.1.5 Ok"
        after = int(time.time()) // 3600
        s.wait_for_log("to=<a@ok.example>", timeout=TIMEOUT)
        assert probe_senders(s.log_text()) in (
            [f"double-bounce{base32_stamp(t)}@test.example"]
            for t in {before, after})
    # A new instance, rather than a reload: an old verify(8) process may
    # still answer the first queries after "postfix reload".
    with ours_smtpd(inst, **dict(settings, address_verify_sender="")) as s:
        assert rcpt_reply(s, "b@bounce.example").startswith(
            "450 4.1.1 <b@bounce.example>: Recipient address rejected: "
            "unverified address: ")
        s.wait_for_log("to=<b@bounce.example>", timeout=TIMEOUT)
        assert probe_senders(s.log_text())[-1] == ""


def test_probe_message(request, mail_dir):
    """The probe in the queue (no qmgr here): marked, from double-bounce,
    to the queried address as original recipient, a Received: header."""
    inst = our_instance(request)
    settings = base_settings(mail_dir, address_verify_poll_count="1")
    with ours_smtpd(inst, without=("qmgr",), **settings) as s:
        assert rcpt_reply(s, "Mixed.Case@OK.example") == (
            "450 4.1.1 <Mixed.Case@OK.example>: Recipient address rejected:"
            " unverified address: Address verification in progress")
        files = wait_until(lambda: [p for p in (inst.queue_dir / "incoming")
                                    .rglob("*") if p.is_file()], "the probe")
        out = inst.run("postcat", "-e", "-h", str(files[0])).stdout
        for line in ("named_attribute: trace_flags=256",
                     "sender: double-bounce@test.example",
                     "named_attribute: dsn_orig_rcpt=rfc822;"
                     "Mixed.Case@OK.example",
                     "original_recipient: Mixed.Case@OK.example",
                     "recipient: Mixed.Case@OK.example",
                     "Received: by test.example (Postfix)",
                     f"\tid {files[0].name}; ",
                     "From: double-bounce@test.example"):
            assert line in out, out
        # The cache says a probe is in flight: a second query sends none.
        entry = cache_value(inst, "Mixed.Case@OK.example")
        assert re.fullmatch(r"3:\d+:0:Address verification in progress",
                            entry), entry
        assert rcpt_reply(s, "Mixed.Case@OK.example").endswith(
            "Address verification in progress")
        assert len([p for p in (inst.queue_dir / "incoming").rglob("*")
                    if p.is_file()]) == 1


def test_probe_routing_override(request, mail_dir):
    """address_verify_transport_maps routes probes (and only probes)."""
    inst = our_instance(request)
    settings = base_settings(
        mail_dir, address_verify_transport_maps="inline:{{ok.example="
        "error:5.1.1 rejected by the verify route}}")
    with ours_smtpd(inst, **settings) as s:
        assert rcpt_reply(s, "a@ok.example") == (
            "450 4.1.1 <a@ok.example>: Recipient address rejected: "
            "unverified address: rejected by the verify route")
        # Real mail still takes the ordinary route.
        r = run_sendmail(inst, s, "-f", "rep@vrep.example", "b@ok.example",
                         input="Subject: hi\n\nbody\n")
        assert r.returncode == 0, r.stderr
        s.wait_for_log("to=<b@ok.example>", timeout=TIMEOUT)
        assert status_fields(s.log_text(), "b@ok.example") == [
            ("2.0.0", "sent", "all fine")]


def test_memory_cache(request, mail_dir):
    """An empty address_verify_map: answers kept in memory, no file."""
    inst = our_instance(request)
    with ours_smtpd(inst, **base_settings(mail_dir,
                                          address_verify_map="")) as s:
        assert rcpt_reply(s, "b@bounce.example").endswith(
            "unverified address: no such user here")
        assert rcpt_reply(s, "b@bounce.example").endswith(
            "unverified address: no such user here")
        s.wait_for_log("to=<b@bounce.example>", timeout=TIMEOUT)
        assert len(status_fields(s.log_text(), "b@bounce.example")) == 1
        s.wait_for_log("cache internal:verify full cleanup: retained=",
                       timeout=TIMEOUT)
        assert not list(inst.data_dir.glob("verify_cache*"))


def test_verify_service_down(request, mail_dir):
    """Without verify(8): the temporary reply after the client's warning."""
    inst = our_instance(request)
    with ours_smtpd(inst, without=("verify",),
                    **base_settings(mail_dir)) as s:
        assert rcpt_reply(s, "a@ok.example") == (
            "450 4.1.1 <a@ok.example>: Recipient address rejected: "
            "unverified address: Address verification service unavailable")
        s.wait_for_log("warning: problem talking to service verify: "
                       "connect to ", timeout=TIMEOUT)


def test_bad_requests_are_refused(request, mail_dir):
    """A malformed update is refused; the daemon keeps serving."""
    inst = our_instance(request)
    with ours_smtpd(inst, **base_settings(mail_dir)) as s:
        path = str(inst.queue_dir / "private" / "verify")
        for request_attrs in (
                [("s", "protocol", "verify"), ("s", "request", "update"),
                 ("s", "address", "x@ok.example"), ("i", "addr_status", 7),
                 ("s", "text", "bad")],
                [("s", "protocol", "verify"), ("s", "request", "query")],
                [("s", "protocol", "verify"), ("s", "request", "query"),
                 ("s", "address", "")],
                [("s", "protocol", "verify"), ("s", "request", "forget"),
                 ("s", "address", "x@ok.example")],
                [("s", "protocol", "verify"), ("s", "request", "query"),
                 ("s", "address", "x" * 3000)]):
            sock = socket.socket(socket.AF_UNIX)
            sock.settimeout(TIMEOUT)
            sock.connect(path)
            reader = AttrReader(sock)
            assert attr_dict(reader.read())["protocol"] == "verify"
            sock.sendall(attr_encode(request_attrs))
            reply = attr_dict(reader.read())
            assert reply["status"] == -1, reply
            sock.close()
        assert rcpt_reply(s, "a@ok.example") == "250 2.1.5 Ok"


# ------------------------------------------------------------ sendmail

BV_RCPTS = ["a@ok.example", "b@bounce.example", "d@defer.example"]


def run_sendmail(inst, server, *args, input=None):
    """Our sendmail, run as $mail_owner: the test install's postdrop is
    not set-gid, and the maildrop file of an ordinary user is mode 0600,
    which pickup (running as $mail_owner) can read only when it is the
    owner's."""
    pw = pwd.getpwnam(inst.owner)

    def become_owner():
        if os.geteuid() == 0:
            os.setgroups([])
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)

    return subprocess.run([str(inst.sbin / "sendmail"), "-C",
                           str(server.config_dir), *args],
                          capture_output=True, text=True, timeout=60,
                          input=input, preexec_fn=become_owner,
                          cwd="/")


def test_sendmail_bv_report(request, mail_dir):
    """sendmail -bv: no delivery, a "Mail Delivery Status Report" to the
    sender with each recipient's verdict."""
    inst = our_instance(request)
    with ours_smtpd(inst, **base_settings(mail_dir)) as s:
        r = run_sendmail(inst, s, "-f", "rep@vrep.example", "-bv",
                         *BV_RCPTS)
        assert r.returncode == 0, r.stderr
        assert r.stdout == ("Mail Delivery Status Report will be mailed to "
                            "<rep@vrep.example>.\n")
        msg = wait_report(s, mail_dir)
        assert msg["Subject"] == "Mail Delivery Status Report"
        assert msg.get_content_type() == "multipart/report"
        assert dsn_fields(msg) == [
            ("rfc822; a@ok.example", "deliverable", "2.0.0",
             "X-Postfix; all fine"),
            ("rfc822; b@bounce.example", "undeliverable", "5.2.0",
             "X-Postfix; no such user here"),
            ("rfc822; d@defer.example", "undeliverable", "4.2.2",
             "X-Postfix; mailbox full")]
        log = s.log_text()
        assert status_fields(log, "d@defer.example") == [
            ("4.2.2", "undeliverable", "mailbox full")]
        assert "sender delivery status notification" in log
        # Nothing was queued for real, nothing is left.
        wait_until(lambda: not any(p for p in (inst.queue_dir / "deferred")
                                   .rglob("*") if p.is_file()),
                   "an empty deferred queue")
        assert cache_value(inst, "a@ok.example") is None


def test_sendmail_v_report(request, mail_dir):
    """sendmail -v: real delivery plus a report with Action: delivered."""
    inst = our_instance(request)
    with ours_smtpd(inst, **base_settings(mail_dir)) as s:
        r = run_sendmail(inst, s, "-f", "rep@vrep.example", "-v",
                         "a@ok.example", input="Subject: hi\n\nbody\n")
        assert r.returncode == 0, r.stderr
        msg = wait_report(s, mail_dir)
        assert msg["Subject"] == "Mail Delivery Status Report"
        assert dsn_fields(msg) == [
            ("rfc822; a@ok.example", "delivered", "2.0.0",
             "X-Postfix; all fine")]
        assert status_fields(s.log_text(), "a@ok.example") == [
            ("2.0.0", "sent", "all fine")]


# ------------------------------------------------------------ Debian

# smtp_dialogue's Debian master.cf has no virtual(8).
DEBIAN_VIRTUAL = "virtual unix - n n - - virtual\n"

@pytest.fixture
def debian_base():
    base = tempfile.mkdtemp(prefix="verify-deb-", dir="/tmp")
    os.chmod(base, 0o755)
    yield Path(base)
    subprocess.run(["rm", "-rf", base])


def test_replies_same_as_debian(request, mail_dir, debian_base):
    """The same dialogues, our replies and reject lines vs Debian's."""
    deb_mail = make_mail_dir(debian_base)
    with debian_smtpd(debian_base,
                      **base_settings(deb_mail, **CODES_SETTINGS)) as deb:
        theirs = codes_replies(deb)
        deb.wait_disconnects(len(CODES_DIALOGUES), timeout=TIMEOUT)
        their_rejects = reject_lines(deb.log_text())
        their_status = {a: status_fields(deb.log_text(), a)
                        for a in ("a@ok.example", "b@bounce.example",
                                  "d@defer.example")}
        their_sizes = probe_sizes(deb.log_text())
    inst = our_instance(request)
    with ours_smtpd(inst, **base_settings(mail_dir, **CODES_SETTINGS)) as s:
        mine = codes_replies(s)
        s.wait_disconnects(len(CODES_DIALOGUES), timeout=TIMEOUT)
        my_rejects = reject_lines(s.log_text())
        my_status = {a: status_fields(s.log_text(), a) for a in their_status}
        my_sizes = probe_sizes(s.log_text())
    assert mine == theirs
    assert my_sizes == their_sizes
    assert my_rejects == their_rejects
    assert my_status == their_status


def reports_of_both_modes(server, mail_dir, sendmail):
    """Run sendmail -bv, then -v; return (stdout of -bv, -bv report,
    -v report, log)."""
    out = sendmail("-f", "rep@vrep.example", "-bv", *BV_RCPTS).stdout
    bv_report = wait_report(server, mail_dir)
    sendmail("-f", "rep@vrep.example", "-v", "a@ok.example",
             input="Subject: hi\n\nbody\n")
    both = wait_until(lambda: len(report_messages(mail_dir)) == 2
                      and report_messages(mail_dir), "the -v report")
    v_report = [m for m in both if m["Message-Id"] != bv_report["Message-Id"]]
    server.wait_for_log("to=<rep@vrep.example>", timeout=TIMEOUT)
    return out, bv_report, v_report[0], server.log_text()


def test_reports_same_as_debian(request, mail_dir, debian_base):
    """sendmail -bv and -v: the same output, report subjects and DSN
    fields, and status lines as Debian's."""
    deb_mail = make_mail_dir(debian_base)
    with debian_smtpd(debian_base, master_extra=DEBIAN_VIRTUAL,
                      **base_settings(deb_mail)) as deb:
        def debian_sendmail(*args, input=None):
            return subprocess.run(["/usr/sbin/sendmail", "-C",
                                   str(deb.config_dir), *args],
                                  capture_output=True, text=True, timeout=60,
                                  input=input)
        theirs = reports_of_both_modes(deb, deb_mail, debian_sendmail)
    inst = our_instance(request)
    with ours_smtpd(inst, **base_settings(mail_dir)) as s:
        mine = reports_of_both_modes(
            s, mail_dir, lambda *a, input=None: run_sendmail(inst, s, *a,
                                                             input=input))
    assert mine[0] == theirs[0]
    for my_report, their_report in zip(mine[1:3], theirs[1:3]):
        assert my_report["Subject"] == their_report["Subject"]
        assert (my_report.get_content_type()
                == their_report.get_content_type())
        assert dsn_fields(my_report) == dsn_fields(their_report)
    for addr in BV_RCPTS:
        assert status_fields(mine[3], addr) == status_fields(theirs[3], addr)
