"""smtpd(8) access actions that reach the queue file through cleanup:
FILTER and REDIRECT (I and J envelope records), HOLD and DISCARD decided
after the queue file was opened (the f record), and transactions that
end without a message (cleanup_client_abort(): nothing logged by
cleanup). Differential against Debian's Postfix 3.7 where root and
Debian's postfix are available.
"""

import os
import re
import time

import pytest

from smtp_dialogue import both_smtpd, our_instance
from test_smtpd_data import (TWO_RCPT_MESSAGE, header_checks, queued_id,
                             same_replies, wait_postcat)


@pytest.fixture
def inst(request):
    return our_instance(request)


def access_table(directory, name, text):
    path = os.path.join(str(directory), name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)
    return f"texthash:{path}"


def envelope(server, qid):
    """postcat -e without the records that differ by nature or are
    another module's business (the client attributes)."""
    out = wait_postcat(server, qid, "-e")
    return [line for line in out.split("\n")
            if not re.match(r"(message_arrival_time|create_time|\*\*\*|"
                            r"message_size|"
                            r"queue_file_format|named_attribute: (?!dsn))",
                            line)]


def log_lines(server, *needles):
    """The maillog lines that hold one of the needles, normalised."""
    out = []
    for line in server.smtpd_log():
        if any(n in line for n in needles):
            line = re.sub(r"(localhost|unknown)\[", "NAME[", line)
            out.append(line)
    return out


ENV = ["EHLO x", "MAIL FROM:<a@b>"]
DATA = ["DATA", b"Subject: hold\r\n\r\nbody\r\n.\r\n"]


@pytest.mark.parametrize("action", ["FILTER smtp:[127.0.0.1]:2525",
                                    "REDIRECT other@test.example"])
def test_filter_redirect_queue_file_as_debian(inst, shared_tmp, action):
    table = access_table(shared_tmp, "actions_access",
                         f"postmaster@test.example {action}\n")
    settings = dict(header_checks=header_checks(shared_tmp),
                    smtpd_recipient_restrictions=
                    f"check_recipient_access {table}, "
                    "permit_mynetworks, reject")
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        o, d = same_replies(ours, debian, TWO_RCPT_MESSAGE[:4] + DATA
                            + ["QUIT"])
        envs = [envelope(srv, queued_id(r[6]))
                for srv, r in ((ours, o), (debian, d))]
        assert envs[0] == envs[1]


def late_action_settings(directory, action, where):
    """HOLD or DISCARD at the second recipient or at end-of-data."""
    if where == "rcpt":
        table = access_table(directory, "late_access",
                             f"postmaster@test.example {action}\n")
        return dict(smtpd_recipient_restrictions=
                    f"check_recipient_access {table}, "
                    "permit_mynetworks, reject")
    table = access_table(directory, "late_access", f"a@b {action}\n")
    return dict(smtpd_end_of_data_restrictions=
                f"check_sender_access {table}")


def queue_of(server, qid):
    """The queue directory that holds qid, or None."""
    spool = server.postconf("-h", "queue_directory").stdout.strip() \
        if not server.real else \
        open(server.config_dir / "main.cf").read().split(
            "queue_directory = ")[1].split("\n")[0]
    for queue in ("incoming", "active", "deferred", "hold", "corrupt"):
        for root, _, files in os.walk(os.path.join(spool, queue)):
            if qid in files:
                return queue
    return None


def normalise_ids(lines, ids):
    out = []
    for line in lines:
        for qid in ids:
            line = line.replace(qid, "QUEUEID")
        out.append(re.sub(r"helo=<[^>]*>", "helo=<H>", line))
    return out


@pytest.mark.parametrize("action", ["HOLD", "DISCARD"])
@pytest.mark.parametrize("where", ["rcpt", "eod"])
def test_late_hold_discard_as_debian(inst, shared_tmp, action, where):
    settings = late_action_settings(shared_tmp, action, where)
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        o, d = same_replies(ours, debian, TWO_RCPT_MESSAGE)
        logs = []
        for srv, r in ((ours, o), (debian, d)):
            qid = queued_id(r[6])
            srv.wait_for_log("disconnect from")
            if action == "HOLD":
                assert "RECORDS hold/" in wait_postcat(srv, qid, "-e")
            else:
                time.sleep(1)
                assert queue_of(srv, qid) is None
                # Never queued: qmgr did not see it.
                assert f"{qid}: from=<" not in srv.log_text()
            logs.append(normalise_ids(log_lines(srv, "hold:", "discard",
                                                qid),
                                      [qid]))
        assert logs[0] == logs[1]
        assert logs[0]


def test_aborted_transactions_log_nothing_as_debian(inst, shared_tmp):
    """RSET, a rejection at end-of-data and QUIT after the queue file was
    opened: the file goes away, and cleanup logs nothing (no "lost
    connection" warning), like Postfix's."""
    table = access_table(shared_tmp, "abort_access",
                         "reject@b REJECT no thanks\n")
    settings = dict(smtpd_end_of_data_restrictions=
                    f"check_sender_access {table}")
    rcpt = "RCPT TO:<root@test.example>"
    with both_smtpd(inst, shared_tmp, **settings) as (ours, debian):
        for lines in (ENV + [rcpt, "RSET", "QUIT"],
                      ["EHLO x", "MAIL FROM:<reject@b>", rcpt, "DATA",
                       b"Subject: t\r\n\r\nbody\r\n.\r\n", "QUIT"],
                      ENV + [rcpt, "QUIT"]):
            same_replies(ours, debian, lines)
        results = []
        for srv in (ours, debian):
            srv.wait_disconnects(3)
            time.sleep(1)
            text = srv.log_text()
            results.append((text.count("disconnect from"),
                            [l for l in text.splitlines()
                             if ("warning" in l and re.search(
                                 r"/(cleanup|smtpd)\[", l))
                             or ("from=<" in l and "/qmgr" in l)]))
        assert results[0] == results[1] == (3, [])
