"""smtpd(8) message transfer: DATA and BDAT, the queue file that cleanup
writes for them, the Received: header, message_size_limit, cleanup's
verdicts as replies, time limits and bounds; real clients (Python smtplib
and swaks) and raw dialogues, and differential checks against Debian's
Postfix 3.7 (same dialogue, same replies) where root and Debian's
postfix are available.

Messages are put on hold with a header check (Subject: hold), so that
the queue file stays where the test can read it (postcat -q).
"""

import grp
import os
import re
import shutil
import smtplib
import socket
import subprocess
import time

import pytest

from smtp_dialogue import (both_smtpd, debian_smtpd, diff_dialogue, dialogue,
                           our_instance, ours_smtpd, Session)

RCPT = "RCPT TO:<root@test.example>"
ENV = ["EHLO x", "MAIL FROM:<a@b>", RCPT]


@pytest.fixture
def inst(request):
    return our_instance(request)


def header_checks(directory):
    """A header_checks file that holds "Subject: hold" and rejects
    "Subject: reject me"."""
    path = os.path.join(str(directory), "data_header_checks")
    with open(path, "w") as f:
        f.write("/^Subject: hold/ HOLD\n"
                "/^Subject: reject me/ REJECT custom text here\n")
    os.chmod(path, 0o644)
    return f"regexp:{path}"


def postcat(server, queue_id, *opts):
    """postcat -q of the server's side (ours or Debian's)."""
    if server.real:
        cmd = ["/usr/sbin/postcat"]
    else:
        cmd = [str(server.sbin / "postcat")]
    out = subprocess.run(cmd + ["-c", str(server.config_dir), *opts, "-q",
                                queue_id], capture_output=True, timeout=30)
    return out.stdout.decode(errors="replace")


def queued_id(reply):
    m = re.search(r"queued as (\w+)", reply)
    assert m, reply
    return m.group(1)


def wait_postcat(server, queue_id, *opts):
    """postcat output once the file is in its queue (hold)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        out = postcat(server, queue_id, *opts)
        if out:
            return out
        time.sleep(0.1)
    raise AssertionError(f"no queue file {queue_id}")


def content_of(server, queue_id):
    """The message content lines as postcat -bh shows them."""
    out = wait_postcat(server, queue_id, "-bh")
    return out.split("\n")


def test_smtplib_message_is_queued_with_received_header(inst, shared_tmp):
    """A real client: 250 with the queue ID, the envelope in the queue
    file, our Received: header in Postfix's format."""
    with ours_smtpd(inst, header_checks=header_checks(shared_tmp)) as srv:
        with smtplib.SMTP("127.0.0.1", srv.port, local_hostname="client.example",
                          timeout=20) as s:
            s.ehlo("client.example")
            code, _ = s.mail("sender@example.org")
            assert code == 250
            code, _ = s.rcpt("root@test.example")
            assert code == 250
            code, msg = s.data(b"Subject: hold\r\n\r\nline one\r\n"
                               b".leading dot\r\n")
            assert code == 250, msg
            msg = msg.decode()
            assert re.fullmatch(r"2\.0\.0 Ok: queued as \w+", msg), msg
        qid = queued_id(msg)
        env = wait_postcat(srv, qid, "-e")
        assert "sender: sender@example.org" in env
        assert "recipient: root@test.example" in env
        assert "original_recipient: root@test.example" in env
        assert "client_address=127.0.0.1" in env
        assert "helo_name=client.example" in env
        assert "dsn_orig_rcpt=rfc822;root@test.example" in env
        lines = content_of(srv, qid)
        # The client's name is smtpd_peer's business; the format is ours.
        assert re.fullmatch(r"Received: from client\.example "
                            r"\((localhost|unknown) \[127\.0\.0\.1\]\)",
                            lines[0]), lines[0]
        assert lines[1] == f"\tby test.example (Postfix) with ESMTP id {qid}"
        assert re.fullmatch(r"\tfor <root@test\.example>; \w{3}, [ \d]\d "
                            r"\w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4} \(.*\)",
                            lines[2]), lines[2]
        assert "line one" in lines
        assert ".leading dot" in lines
        assert "..leading dot" not in lines
        assert re.search(rf"{qid}: client=(localhost|unknown)\[127\.0\.0\.1\]",
                         srv.log_text())


def test_received_header_two_recipients_no_helo(inst, shared_tmp):
    """No HELO: "from <name>", protocol SMTP; two recipients: no "for"."""
    with ours_smtpd(inst, header_checks=header_checks(shared_tmp)) as srv:
        r = dialogue(srv.port, ["MAIL FROM:<a@b>", RCPT,
                                "RCPT TO:<postmaster@test.example>", "DATA",
                                b"Subject: hold\r\n\r\nx\r\n.\r\n", "QUIT"])
        assert r[4] == "354 End data with <CR><LF>.<CR><LF>"
        qid = queued_id(r[5])
        lines = content_of(srv, qid)
        assert re.fullmatch(r"Received: from (\S+) \(\1 \[127\.0\.0\.1\]\)",
                            lines[0]), lines[0]
        assert lines[1] == f"\tby test.example (Postfix) with SMTP id {qid};"
        assert lines[2].startswith("\t")


def test_swaks_data_and_pipelining(inst, shared_tmp):
    """swaks as the client, with DATA and with pipelining."""
    if shutil.which("swaks") is None:
        pytest.skip("swaks missing")
    with ours_smtpd(inst, header_checks=header_checks(shared_tmp)) as srv:
        for extra in ([], ["--pipeline"]):
            r = subprocess.run(["swaks", "--server", "127.0.0.1", "--port",
                                str(srv.port), "--from", "a@example.org",
                                "--to", "root@test.example", "--header",
                                "Subject: hold", "--body", "hello\n.dot\n",
                                "--timeout", "20", *extra],
                               capture_output=True, text=True, timeout=60)
            assert r.returncode == 0, r.stdout + r.stderr
            m = re.search(r"<[-~] +250 2\.0\.0 Ok: queued as (\w+)", r.stdout)
            assert m, r.stdout
            lines = content_of(srv, m.group(1))
            assert "hello" in lines and ".dot" in lines


# Dialogues whose replies must equal Debian's.
DATA_DIALOGUES = [
    ["EHLO x", "DATA", "MAIL FROM:<a@b>", "DATA", "DATA x", RCPT, "DATA x",
     "DATA", b"Subject: t\r\n\r\nbody\r\n..dot\r\n.\r\n", "NOOP", "QUIT"],
    ENV + ["BDAT 5", "BDAT 0 LAST", "NOOP"],
    ENV + [b"BDAT 12\r\nSubject: t\r\n", b"BDAT 5\r\n\r\nA\r\n",
           "BDAT 0 LAST", "QUIT"],
    ENV + [b"BDAT 5\r\nabc\r\n", "DATA", "BDAT 0 last", "QUIT"],
    ["EHLO x", b"BDAT 5\r\nabcde", b"BDAT 3 LAST\r\nxyz", "NOOP",
     "MAIL FROM:<a@b>", b"BDAT 2 LAST\r\nab", "QUIT"],
    ENV + ["BDAT x", "NOOP"],
    ENV + ["BDAT 5 LAS"],
    ENV + ["BDAT"],
    ENV + ["BDAT -1"],
    ENV + ["BDAT 99999999999999999999"],
    ENV + ["BDAT 1 LAST x"],
    ["EHLO x", "BDAT +1"],
    ENV + [b"BDAT 20 LAST\r\nSubject: t\r\n\r\nA\rB\nC\r", "QUIT"],
    ENV + ["DATA", b"Subject: reject me\r\n\r\nx\r\n.\r\n", "QUIT"],
    ENV + ["DATA", b"Received: x\r\n" * 51 + b"Subject: h\r\n\r\nx\r\n.\r\n",
           "NOOP"],
    ENV + ["DATA", b"x\r\n" * 70000 + b".\r\n", "NOOP"],
    ENV + [b"BDAT 300000 LAST\r\n" + b"x" * 300000, "NOOP"],
    ENV + [b"BDAT 150000\r\n" + b"y" * 150000,
           b"BDAT 100000 LAST\r\n" + b"z" * 100000, "NOOP", "QUIT"],
]


def strip_ids(replies):
    return [re.sub(r"queued as \w+", "queued as ID", r) for r in replies]


# Two recipients, a message and QUIT: the 250 of DATA is reply 6.
TWO_RCPT_MESSAGE = ["EHLO x", "MAIL FROM:<a@b>", "RCPT TO:<root@test.example>",
                    "RCPT TO:<postmaster@test.example>", "DATA",
                    b"Subject: t\r\n\r\nbody\r\n.\r\n", "QUIT"]


def same_replies(ours, debian, lines):
    """The dialogue on both sides; the replies, equal but for queue IDs."""
    o, d = diff_dialogue(ours, debian, lines)
    assert strip_ids(o) == strip_ids(d)
    return o, d


@pytest.mark.parametrize("lines", DATA_DIALOGUES,
                         ids=[str(i) for i in range(len(DATA_DIALOGUES))])
def test_data_bdat_replies_as_debian(inst, shared_tmp, lines):
    settings = dict(header_checks=header_checks(shared_tmp),
                    message_size_limit=200000)
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        o, d = diff_dialogue(ours, debian, lines)
        assert strip_ids(o) == strip_ids(d)


def test_log_lines_as_debian(inst, shared_tmp):
    """The smtpd log lines of malformed BDAT, size limits and the queue
    ID line, normalised, equal Debian's."""
    dialogues = [ENV + ["BDAT x"],
                 ENV + [b"BDAT 300000 LAST\r\n" + b"x" * 300000, "QUIT"],
                 ENV + ["DATA", b"x\r\n" * 70000 + b".\r\n", "QUIT"]]
    settings = dict(message_size_limit=200000)
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for lines in dialogues:
            diff_dialogue(ours, debian, lines)
        for srv in (ours, debian):
            srv.wait_disconnects(len(dialogues))
        time.sleep(1)

        def interesting(server):
            # The client's name is smtpd_peer's business, not this test's.
            return [re.sub(r"(localhost|unknown)\[", "NAME[",
                           re.sub(r"warning: \w+: ", "warning: ID: ", l))
                    for l in server.smtpd_log()
                    if "client=" in l or "warning" in l or "reject" in l]
        assert interesting(ours) == interesting(debian)


def test_lost_connection_in_data_is_logged_with_bytes(inst, shared_tmp):
    with ours_smtpd(inst) as srv:
        with Session(srv.port) as s:
            for line in ENV + ["DATA"]:
                s.command(line)
            s.send(b"Subject: t\r\n\r\nabc\r\n")
            time.sleep(0.5)
        text = srv.wait_for_log("lost connection after DATA (")
        assert re.search(r"lost connection after DATA \(\d+ bytes\) from "
                         r"\S+\[127\.0\.0\.1\]", text)


def test_slow_client_hits_the_deadline(inst, shared_tmp):
    """A client that stops sending in DATA gets 421 after smtpd_timeout."""
    with ours_smtpd(inst, smtpd_timeout="2s") as srv:
        with Session(srv.port, timeout=20) as s:
            for line in ENV + ["DATA"]:
                s.command(line)
            s.send(b"Subject: t\r\n\r\nabc")
            r = s.reply()
            assert r.startswith("421 4.4.2 test.example Error: timeout "
                                "exceeded"), r
        srv.wait_for_log("timeout after DATA (")


def test_100mb_without_line_end_is_bounded(inst, shared_tmp):
    """100 MB without a line end: read on, bounded memory, 552 after the
    end of data, and the session goes on."""
    with ours_smtpd(inst, message_size_limit=1000000) as srv:
        with Session(srv.port, timeout=120) as s:
            for line in ENV + ["DATA"]:
                assert s.command(line)[0] in "23"
            block = b"x" * (1 << 20)
            for _ in range(100):
                s.send(block)
            s.send(b"\r\n.\r\n")
            assert s.reply() == "552 5.3.4 Error: message file too big"
            assert s.command("NOOP") == "250 2.0.0 Ok"
        srv.wait_for_log("queue file size limit exceeded")


def test_prepend_and_received_order_and_long_lines(inst, shared_tmp):
    """Lines longer than line_length_limit become P records that postcat
    joins; the content is kept byte for byte."""
    with ours_smtpd(inst, header_checks=header_checks(shared_tmp),
                    line_length_limit=512) as srv:
        long_line = b"y" * 1500
        r = dialogue(srv.port, ENV + ["DATA", b"Subject: hold\r\n\r\n"
                                      + long_line + b"\r\n.." + long_line
                                      + b"\r\n.\r\n", "QUIT"])
        assert len(r) > 5, (r, srv.log_text()[-3000:])
        qid = queued_id(r[5])
        lines = content_of(srv, qid)
        assert long_line.decode() in lines
        assert "." + long_line.decode() in lines


BS_SCRIPT = (b"HELO local\r\nMAIL FROM:<a@b>\r\nRCPT TO:<root@test.example>"
             b"\r\nDATA\r\nSubject: hold\r\n\r\nbs body\r\n.\r\nQUIT\r\n")


def sendmail_bs(server, preexec_fn=None):
    """sendmail -bs of the server's side with BS_SCRIPT: the replies."""
    sendmail = "/usr/sbin/sendmail" if server.real else \
        str(server.sbin / "sendmail")
    r = subprocess.run([sendmail, "-C", str(server.config_dir), "-bs"],
                       input=BS_SCRIPT, capture_output=True, timeout=60,
                       preexec_fn=preexec_fn)
    out = r.stdout.decode(errors="replace")
    assert r.returncode == 0, out + r.stderr.decode(errors="replace")
    return out.split("\r\n")


def picked_up_as(server, maildrop_id):
    """The queue ID that pickup gave the maildrop file, and its uid."""
    text = server.wait_for_log("pickup[")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        m = re.search(r"pickup\[\d+\]: (\w+): uid=(\d+) from=<a@b>",
                      server.log_text())
        if m:
            return m.group(1), int(m.group(2))
        time.sleep(0.1)
    raise AssertionError(f"{maildrop_id} not picked up:\n{text[-2000:]}")


def setgid_postdrop(inst):
    """A set-gid copy of our postdrop, as installed for real; its directory
    (command_directory). pickup, as mail_owner, reads only what a set-gid
    postdrop writes."""
    try:
        gid = grp.getgrnam("postdrop").gr_gid
    except KeyError:
        pytest.skip("no postdrop group")
    bin_dir = inst.base / "setgid-bin"
    bin_dir.mkdir(exist_ok=True)
    shutil.copy(inst.sbin / "postdrop", bin_dir / "postdrop")
    os.chown(bin_dir / "postdrop", 0, gid)
    (bin_dir / "postdrop").chmod(0o2755)
    return bin_dir


def test_sendmail_bs_queues_through_postdrop_as_debian(inst, shared_tmp):
    """sendmail -bs runs "smtpd -S", which writes a maildrop file through
    postdrop (as Postfix's, even for root); the 250 names the maildrop
    file, as the "client=" line does, and pickup queues it under a new
    ID."""
    checks = header_checks(shared_tmp)
    with debian_smtpd(shared_tmp, header_checks=checks) as debian, \
            ours_smtpd(inst, header_checks=checks,
                       command_directory=setgid_postdrop(inst)) as ours:
        results = []
        for srv in (ours, debian):
            replies = sendmail_bs(srv)
            maildrop_id = queued_id("\n".join(replies))
            srv.wait_for_log(f"{maildrop_id}: client=")
            qid, uid = picked_up_as(srv, maildrop_id)
            assert qid != maildrop_id and uid == 0
            assert "bs body" in content_of(srv, qid)
            results.append(strip_ids(replies))
        assert results[0] == results[1]
        assert "221 2.0.0 Bye" in results[0]


def test_access_hold_and_prepend_as_debian(inst, shared_tmp):
    """HOLD and PREPEND actions of the restrictions: the message goes to
    the hold queue, the PREPEND header comes before our Received:."""
    table = os.path.join(str(shared_tmp), "data_access")
    with open(table, "w") as f:
        # HOLD at the first recipient: a cleanup request flag (a later
        # one: test_smtpd_data_actions.py).
        f.write("root@test.example HOLD\n"
                "postmaster@test.example PREPEND X-Prepended: yes\n")
    os.chmod(table, 0o644)
    settings = dict(smtpd_recipient_restrictions=
                    f"check_recipient_access texthash:{table}, "
                    "permit_mynetworks, reject")
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        o, d = same_replies(ours, debian, TWO_RCPT_MESSAGE)
        heads = []
        for srv, r in ((ours, o), (debian, d)):
            qid = queued_id(r[6])
            head = wait_postcat(srv, qid, "-h").split("\n")
            env = wait_postcat(srv, qid, "-e")
            # The client's name is smtpd_peer's business.
            heads.append([re.sub(r"\((unknown|localhost) ", "(NAME ",
                                 re.sub(r"\w+;$", "ID;", l))
                          for l in head[:3]])
            assert f"RECORDS hold/" in env, env
        assert heads[0] == heads[1]


@pytest.mark.parametrize("classes", ["smtpd", "sendmail, verify"])
def test_smtputf8_autodetect_classes_smtpd_as_debian(inst, shared_tmp,
                                                     classes):
    """smtputf8_autodetect_classes names the "smtpd" class: a message
    with UTF-8 in a header but no SMTPUTF8 parameter is queued as one
    that needs SMTPUTF8, as Debian's does; with the default classes it
    is not. (Ours used to honour only "all" in smtpd.)"""
    lines = ["EHLO x", "MAIL FROM:<a@b>", "RCPT TO:<root@test.example>",
             "DATA", "Subject: hold caf\u00e9\r\n\r\nx\r\n.".encode() + b"\r\n",
             "QUIT"]
    settings = dict(smtputf8_autodetect_classes=classes,
                    header_checks=header_checks(shared_tmp))
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        o, d = same_replies(ours, debian, lines)
        sizes = []
        for srv, r in ((ours, o), (debian, d)):
            env = wait_postcat(srv, queued_id(r[5]), "-e")
            m = re.search(r"^message_size: +(.*)$", env, re.M)
            assert m, env
            # The last field has the SMTPUTF8 bits: 2 (UTF-8 seen in a
            # header) always, 1 (SMTPUTF8 required) with autodetection.
            sizes.append(m.group(1).split()[-1])
        assert sizes[0] == sizes[1], sizes
        assert sizes[0] == ("2" if classes.startswith("sendmail") else "3"), \
            sizes


def test_flow_tokens_from_qmgr_let_mail_in(inst):
    """in_flow_delay is cleanup's pause when qmgr has left no flow
    token. qmgr puts $default_process_limit tokens in when it starts (as
    Postfix's), so with a long in_flow_delay messages still go in at
    once: every DATA here is answered well within the client's timeout,
    which is shorter than one pause. (Before, no token was there at
    start and each new smtpd waited the whole in_flow_delay.)"""
    with ours_smtpd(inst, in_flow_delay="60s") as srv:
        srv.wait_for_log("daemon started")
        for n in range(4):
            with smtplib.SMTP("127.0.0.1", srv.port, timeout=30) as s:
                s.sendmail("a@b.example", ["root@test.example"],
                           f"Subject: flow {n}\r\n\r\nx\r\n")
