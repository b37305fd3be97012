"""cleanup(8) with CLEANUP_FLAG_BOUNCE (pickup's submissions): a content
rejection becomes a non-delivery notification to the sender, and the
maildrop file is removed, as Debian's Postfix 3.7 does. Differential: the
same messages go through sendmail into Debian's Postfix and into ours
(pickup, cleanup, trivial-rewrite, bounce; no qmgr, so the notification
stays in incoming/), and the log lines of cleanup and bounce about the
rejected message, and the notification's structure and DSN fields, are
compared, with queue IDs, stamps and delays normalised.

Observed from Postfix 3.7.11 (header_checks "REJECT go away"):
  <id>: reject: header Subject: reject me from local; from=<s> to=<r>: 5.7.1 go away
  <id>: message-id=<...>
  <id>: to=<r1>, relay=none, delay=1, delays=1/0/0/0, dsn=5.7.1, status=bounced (go away)
  <id>: to=<r2>, ...
  (bounce) <id>: sender non-delivery notification: <new id>
The notification returns the headers only ("Undelivered Message Headers",
text/rfc822-headers), with the headers that cleanup added; each recipient
has Action: failed, Status: 5.7.1, Diagnostic-Code: X-Postfix; go away.
After a hopcount rejection ("5.4.0 too many hops") the whole message is
returned (message/rfc822, "Undelivered Message").

message_size_limit is not part of this: sendmail's postdrop already
refuses a bigger message ("message file too big"), so cleanup never sees
one from pickup unless the limit is lowered in between.

When the bounce service cannot be reached, the maildrop file stays and
pickup tries again; once the service is back the notification goes out
(ours only: Debian's cleanup waits for the service, ours gives up at once
and tells pickup to retry).

Needs root and Debian's Postfix (the differential part), like
test_cleanup_diff.py, whose Side and both_sides it reuses.
"""

import email
import email.policy
import re
import subprocess
import time

import pytest

import test_cleanup_diff as diff
from cleanup_wire import parse_records
from test_bounce import content_of, dsn_groups, parts_of

pytestmark = diff.pytestmark

TIMEOUT = 60.0
BOUNCE_CF = """\
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
"""
EXTRA_HEADER_CHECKS = ("/^Subject: reject me/ REJECT go away\n"
                       "/^X-Coded:/ REJECT 5.7.9 coded refusal\n")
EXTRA_BODY_CHECKS = "/^reject this body/ REJECT body refused\n"

MESSAGES = [
    ("header_reject", ["-f", "sender@example.org", "rcpt@example.org",
                       "r2@example.org"],
     "Subject: reject me\nTo: r@example.org\n\nbody line\n"),
    ("body_reject", ["-f", "sender@example.org", "rcpt@example.org"],
     "Subject: body\nMessage-ID: <b@example.org>\n\nfirst\n"
     "reject this body\nlast\n"),
    ("extracted_reject", ["-t", "-f", "sender@example.org"],
     "To: a@example.org, b@example.org\nSubject: reject me\n\nx\n"),
    ("coded_reject", ["-f", "sender@example.org", "rcpt@example.org"],
     "X-Coded: 1\nSubject: coded\n\nx\n"),
    ("too_many_hops", ["-f", "sender@example.org", "rcpt@example.org"],
     "".join(f"Received: from h{n}.example by relay.example; "
             f"Mon, 1 Jan 2024 00:00:00 +0000\n" for n in range(55))
     + "Subject: hops\n\nx\n"),
]


def wait_until(predicate, what, timeout=TIMEOUT):
    return diff.wait_until(predicate, what, timeout)


def prepare(side, with_bounce=True):
    """Add the bounce services and the REJECT rules to a Side."""
    master = diff.MASTER_CF + (BOUNCE_CF if with_bounce else "")
    (side.etc / "master.cf").write_text(master)
    with open(side.etc / "header_checks", "a") as f:
        f.write(EXTRA_HEADER_CHECKS)
    with open(side.etc / "body_checks", "a") as f:
        f.write(EXTRA_BODY_CHECKS)


def submit(side, args, text):
    """sendmail as in test_cleanup_diff, without waiting for a file."""
    env = dict(diff.os.environ, NAME="Test User")
    r = subprocess.run([str(side.sbin / "sendmail"), "-C", str(side.etc),
                        *args], input=text.encode(), capture_output=True,
                       timeout=60, env=env,
                       preexec_fn=None if side.real else side._as_mail_owner)
    assert r.returncode == 0, r.stderr


def pickup_id(side, start):
    """The queue ID pickup gave the next submission after log offset."""
    def found():
        m = re.search(r"postfix/pickup\[\d+\]: ([0-9A-Za-z]+): uid=",
                      side.log()[start:])
        return m and m.group(1)
    return wait_until(found, "pickup's line:\n" + side.log()[-2000:])


def notification_id(side, queue_id):
    def found():
        m = re.search(r"postfix/bounce\[\d+\]: %s: sender non-delivery "
                      r"notification: ([0-9A-Za-z]+)" % queue_id, side.log())
        return m and m.group(1)
    return wait_until(found, "the notification of %s:\n%s"
                      % (queue_id, side.log()[-3000:]))


def notification(side, queue_id):
    """The notification as an email.message, from incoming/queue_id."""
    if side.real:
        out = subprocess.run(["/usr/sbin/postcat", "-c", str(side.etc), "-q",
                              queue_id], capture_output=True, text=True,
                             timeout=60).stdout
        text = out.split("*** MESSAGE CONTENTS", 1)[1].split("\n", 1)[1]
        text = text.split("*** HEADER EXTRACTED", 1)[0]
        data = text.encode()
    else:
        data = content_of(parse_records(
            (side.spool / "incoming" / queue_id).read_bytes()))
    return email.message_from_bytes(data, policy=email.policy.compat32)


def normalise(text, ids):
    for n, queue_id in enumerate(ids):
        text = text.replace(queue_id, f"QID{n}")
    text = re.sub(r"<\d{14}\.(QID\d)@", r"<STAMP.\1@", text)
    text = re.sub(r"\buid=\d+ ", "uid=UID ", text)
    # Ours runs sendmail as the mail_owner (test_cleanup_diff.Side.submit).
    text = re.sub(r"from userid \d+\)", "from userid UID)", text)
    text = re.sub(r"delay=[\d.]+, delays=[\d.]+/[\d.]+/[\d.]+/[\d.]+",
                  "delay=D, delays=D", text)
    text = re.sub(r"(Date: |; )\w{3}, [ \d]\d \w{3} \d{4} [\d:]{8} [-+]\d{4}"
                  r" \(\w+\)", r"\1DATE", text)
    return text


def log_lines(side, ids):
    """cleanup's and bounce's lines about the message (ids[0])."""
    lines = []
    for line in side.log().splitlines():
        if f" {ids[0]}: " not in line or not re.search(
                r"postfix/(cleanup|bounce|pickup)\[", line):
            continue
        prog = re.search(r"postfix/(\w+)\[", line).group(1)
        lines.append(prog + ": " + normalise(line.split("]: ", 1)[1], ids))
    return lines


def summary(msg, ids):
    """What the two notifications must share."""
    parts = parts_of(msg)
    groups = dsn_groups(parts[1])
    keep = ("Final-Recipient", "Original-Recipient", "Action", "Status",
            "Diagnostic-Code")
    recipients = sorted([{k: g[k] for k in keep if k in g}
                         for g in groups[1:]],
                        key=lambda g: g["Final-Recipient"])
    returned = parts[2]
    headers = returned.get_payload()
    if not isinstance(headers, str):
        headers = headers[0].as_string() if headers else ""
    return {
        "subject": msg["Subject"],
        "to": msg["To"],
        "parts": [(p.get_content_type(), p["Content-Description"])
                  for p in parts],
        "per_message": sorted(k for k in groups[0]),
        "queue_id": normalise(groups[0].get("X-Postfix-Queue-ID", ""), ids),
        "sender": groups[0].get("X-Postfix-Sender"),
        "recipients": recipients,
        "returned": sorted(normalise(h, ids) for h in
                           re.split(r"\n(?=\S)", headers.strip("\n"))),
    }


def leftovers(side, *queues):
    out = {}
    for q in queues:
        path = side.spool / q
        out[q] = sorted(p.name for p in path.rglob("*") if p.is_file()) \
            if path.exists() else []
    return out


@pytest.fixture(scope="module")
def results(install_root):
    with diff.both_sides(install_root, "cleanup-bounce") as (real, ours):
        for side in (real, ours):
            side.stop()
            prepare(side)
            side.start()
        out = {}
        for name, args, text in MESSAGES:
            per_side = []
            for side in (real, ours):
                start = len(side.log())
                submit(side, args, text)
                queue_id = pickup_id(side, start)
                new_id = notification_id(side, queue_id)
                per_side.append((side, queue_id, new_id))
            out[name] = per_side
        time.sleep(1)                   # any late log lines
        final = {}
        for name, per_side in out.items():
            final[name] = [(log_lines(side, [qid, nid]),
                            summary(notification(side, nid), [qid, nid]))
                           for side, qid, nid in per_side]
        final["leftovers"] = [leftovers(side, "maildrop", "hold", "bounce",
                                        "defer", "active", "deferred")
                              for side in (real, ours)]
        yield final


@pytest.mark.parametrize("name", [m[0] for m in MESSAGES])
def test_same_log_lines(results, name):
    (theirs, _), (mine, _) = results[name]
    # Postfix logs the hopcount warning once per Received: header past the
    # limit, ours once (docs/internals/cleanup.md, section 4).
    theirs = [line for n, line in enumerate(theirs)
              if "hopcount exceeded" not in line or line not in theirs[:n]]
    assert mine == theirs


@pytest.mark.parametrize("name", [m[0] for m in MESSAGES])
def test_same_notification(results, name):
    (_, theirs), (_, mine) = results[name]
    assert mine == theirs


def test_header_reject_as_observed(results):
    (lines, note), _ = results["header_reject"]
    assert lines[0] == "pickup: QID0: uid=UID from=<sender@example.org>"
    assert lines[1].startswith("cleanup: QID0: reject: header Subject: "
                               "reject me from local; ")
    assert "bounce: QID0: sender non-delivery notification: QID1" in lines
    assert {"Final-Recipient": "rfc822; r2@example.org",
            "Original-Recipient": "rfc822;r2@example.org",
            "Action": "failed", "Status": "5.7.1",
            "Diagnostic-Code": "X-Postfix; go away"} in note["recipients"]
    assert note["parts"][2] == ("text/rfc822-headers",
                                "Undelivered Message Headers")


def test_nothing_left_behind(results):
    theirs, mine = results["leftovers"]
    assert mine == theirs
    assert mine["maildrop"] == [] and mine["hold"] == []


def test_bounce_service_down_keeps_the_file(install_root):
    """Ours: no bounce service, so the file stays in maildrop and pickup
    tries again; with the service back, the notification goes out."""
    with diff.both_sides(install_root, "cleanup-bounce-down") as (real, ours):
        real.stop()
        ours.stop()
        prepare(ours, with_bounce=False)
        ours.start()
        start = len(ours.log())
        submit(ours, ["-f", "sender@example.org", "rcpt@example.org"],
               "Subject: reject me\n\nx\n")
        first = pickup_id(ours, start)
        wait_until(
            lambda: f"{first}: bounce message failure" in ours.log(),
            "the failure:\n" + ours.log()[-3000:])
        # The maildrop file is still there, and nothing else is.
        assert len(leftovers(ours, "maildrop")["maildrop"]) == 1
        assert leftovers(ours, "hold", "bounce", "defer", "incoming") == {
            "hold": [], "bounce": [], "defer": [], "incoming": []}
        assert f"{first}: to=<rcpt@example.org>" not in ours.log()
        # The service comes back: the next try bounces it.
        (ours.etc / "master.cf").write_text(diff.MASTER_CF + BOUNCE_CF)
        r = ours.postfix("reload")
        assert r.returncode == 0, r.stdout + r.stderr
        start = len(ours.log())
        r = subprocess.run([str(ours.sbin / "postkick"), "-c", str(ours.etc),
                            "public", "pickup", "W"], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        wait_until(lambda: re.search(
            r"postfix/bounce\[\d+\]: \w+: sender non-delivery notification",
            ours.log()[start:]), "the retry:\n" + ours.log()[-3000:],
            timeout=120)
        wait_until(lambda: not leftovers(ours, "maildrop")["maildrop"],
                   "maildrop to empty")
        assert leftovers(ours, "hold", "bounce", "defer") == {
            "hold": [], "bounce": [], "defer": []}
