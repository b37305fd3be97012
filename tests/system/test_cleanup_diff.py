"""Differential tests of cleanup(8): the same messages go through Debian's
Postfix 3.7 (sendmail, postdrop, pickup, cleanup, trivial-rewrite in a
throwaway instance) and through ours (the same programs of this tree), and
the envelope and content that the two cleanup daemons wrote, and the log
lines of the two cleanup daemons about each message, are compared, with
queue IDs and times normalised.

pickup's "Received: by <host> (Postfix, from userid N)" header is compared
too: its queue ID must be the file's, its user ID the submitter's (root for
Postfix, the mail_owner for ours) and its date in Postfix's format.

Needs root (Postfix refuses mail_owner = root, and its set-gid postdrop)
and Debian's /usr/sbin/postfix.
"""

import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import conftest

from cleanup_wire import parse_records

REAL_POSTFIX = Path("/usr/sbin/postfix")
TIMEOUT = 20.0


def accounts_ok():
    try:
        pwd.getpwnam("postfix")
        return True
    except KeyError:
        return False


pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not REAL_POSTFIX.exists() or not accounts_ok(),
    reason="needs root, Debian's Postfix and the postfix account")

COMMON = {
    "myhostname": "test.example",
    "mydomain": "example",
    "myorigin": "test.example",
    "mydestination": "test.example, localhost",
    "inet_interfaces": "loopback-only",
    "inet_protocols": "ipv4",
    "alias_maps": "",
    "alias_database": "",
    "mail_owner": "postfix",
    "setgid_group": "postdrop",
    "masquerade_domains": "sub.example.org",
    # Results without a domain (and one that maps again once qualified):
    # Postfix sends mapping results through trivial-rewrite.
    "canonical_maps": "inline:{ canon@example.org=canonical@example.net, "
                      "short@example.org=fred, fred@test.example=frederick, "
                      "frederick@test.example=fr@example.net }",
    "virtual_alias_maps":
        "inline:{ {list@example.org=l1@example.org, l2@example.org}, "
        "{vshort@example.org=ann, bob@example.org} }",
}
HEADER_CHECKS = """\
/^Subject: prepend me/ PREPEND X-Added: yes
/^Subject: replace me/ REPLACE Subject: replaced
/^X-Ignore:/ IGNORE
/^Subject: redirect me/ REDIRECT other@example.org
/^Subject: filter me/ FILTER smtp:[127.0.0.1]:10025
/^Subject: bcc me/ BCC bccaddr@example.org
/^X-Redirect:/ REDIRECT red@example.org
/^X-Strip:/ STRIP stripped
/^X-Info:/ INFO informed
/^X-Dunno:/ DUNNO
/^X-Warn:/ WARN warned
"""
BODY_CHECKS = """\
/^body prepend/ PREPEND prepended body line
/^body ignore/ IGNORE
"""
MASTER_CF = """\
postlog   unix-dgram n - n - 1 postlogd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
rewrite   unix  -       -       n       -       -       trivial-rewrite
"""


def wait_until(predicate, what, timeout=TIMEOUT):
    return conftest.wait_until(predicate, what, timeout)


class Side:
    """One instance: Debian's Postfix (real=True) or ours."""

    def __init__(self, base: Path, install_root: Path, real: bool):
        self.real = real
        self.base = base
        self.etc = base / "etc"
        self.spool = base / "spool"
        self.data = base / "data"
        for d in (self.etc, self.spool, self.data):
            d.mkdir(parents=True)
        os.chmod(base, 0o755)
        pw = pwd.getpwnam("postfix")
        os.chown(self.data, pw.pw_uid, pw.pw_gid)
        settings = dict(COMMON, queue_directory=self.spool,
                        data_directory=self.data,
                        maillog_file=base / "maillog",
                        maillog_file_prefixes=base)
        settings["compatibility_level"] = "3.6"
        if real:
            self.sbin = Path("/usr/sbin")
        else:
            libexec = install_root / "usr/libexec/postfix"
            self.sbin = install_root / "usr/sbin"
            settings.update(daemon_directory=libexec,
                            command_directory=self.sbin,
                            meta_directory=self.etc,
                            sendmail_path=self.sbin / "sendmail",
                            mailq_path=install_root / "usr/bin/mailq",
                            newaliases_path=install_root
                            / "usr/bin/newaliases",
                            shlib_directory=install_root / "usr/lib/postfix")
            shutil.copy(install_root / "etc/postfix/postfix-files",
                        self.etc / "postfix-files")
        (self.etc / "header_checks").write_text(HEADER_CHECKS)
        (self.etc / "body_checks").write_text(BODY_CHECKS)
        settings.update(header_checks=f"regexp:{self.etc}/header_checks",
                        body_checks=f"regexp:{self.etc}/body_checks")
        (self.etc / "main.cf").write_text(
            "".join(f"{k} = {v}\n" for k, v in settings.items()))
        (self.etc / "master.cf").write_text(MASTER_CF)

    def postfix(self, *args):
        return subprocess.run([str(self.sbin / "postfix"), "-c",
                               str(self.etc), *args],
                              capture_output=True, text=True, timeout=60)

    def start(self):
        r = self.postfix("start")
        assert r.returncode == 0, r.stdout + r.stderr + self.log()
        wait_until(lambda: (self.spool / "public/pickup").exists(),
                   "public/pickup")

    def stop(self):
        self.postfix("stop")
        pid_file = self.spool / "pid/master.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass

    def log(self):
        path = self.base / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def incoming(self):
        """Complete files: both write under the final name and mark a
        complete file with the owner execute bit (queue-file.md
        section 8)."""
        path = self.spool / "incoming"
        if not path.exists():
            return set()
        names = set()
        for p in path.iterdir():
            try:
                mode = p.stat().st_mode
            except FileNotFoundError:
                continue
            if not p.name.startswith("tmp.") and mode & 0o100:
                names.add(p.name)
        return names

    def _as_mail_owner(self):
        pw = pwd.getpwnam("postfix")
        os.setgroups([])
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)

    def submit(self, args, text):
        """Send with sendmail; ours runs as the mail_owner, because the
        staged postdrop is not set-gid (its maildrop file would be
        unreadable for pickup)."""
        before = self.incoming()
        env = dict(os.environ, NAME="Test User")
        r = subprocess.run([str(self.sbin / "sendmail"), "-C", str(self.etc),
                            *args], input=text.encode(), capture_output=True,
                           timeout=60, env=env,
                           preexec_fn=None if self.real else self._as_mail_owner)
        assert r.returncode == 0, r.stderr
        new = wait_until(lambda: self.incoming() - before,
                         "a new queue file:\n" + self.log()[-2000:])
        (queue_id,) = new
        return queue_id

    def envelope_and_content(self, queue_id):
        """(sender, [(orig, rcpt)], [header lines], [body lines],
        [redirect_to/content_filter lines])."""
        if self.real:
            out = subprocess.run(["/usr/sbin/postcat", "-c", str(self.etc),
                                  "-q", queue_id], capture_output=True,
                                 text=True, timeout=60).stdout
            return parse_postcat(out, queue_id, 0)
        recs = parse_records((self.spool / "incoming" / queue_id).read_bytes())
        return parse_ours(recs, queue_id, pwd.getpwnam("postfix").pw_uid)


def parse_postcat(out, queue_id, uid):
    sender, rcpts, content, orig = None, [], [], None
    extras = []
    inside = False
    for line in out.split("\n"):
        if not inside and line.startswith(("redirect_to: ",
                                           "content_filter: ")):
            extras.append(line)
        if line.startswith("*** MESSAGE CONTENTS"):
            inside = True
        elif line.startswith("*** HEADER EXTRACTED"):
            inside = False
        elif inside:
            content.append(line)
        elif line.startswith("sender: "):
            sender = line[8:]
        elif line.startswith("original_recipient: "):
            orig = line[20:]
        elif line.startswith("recipient: "):
            rcpts.append((orig, line[11:]))
            orig = None
    return split_content(sender, rcpts, content, queue_id, uid) + (
        sorted(extras),)


def parse_ours(recs, queue_id, uid):
    sender, rcpts, content, orig, part = None, [], [], None, b""
    extras = []
    inside = False
    for kind, data in recs:
        text = data.decode(errors="replace")
        if kind == "M":
            inside = True
        elif kind == "X":
            inside = False
        elif inside and kind == "P":
            part += data
        elif inside and kind == "L":
            content.append((part + data).decode(errors="replace"))
            part = b""
        elif kind == "F":
            sender = text
        elif kind == "O":
            orig = text
        elif kind == "R":
            rcpts.append((orig, text))
            orig = None
        elif kind == "J":
            extras.append("redirect_to: " + text)
        elif kind == "I":
            extras.append("content_filter: " + text)
    return split_content(sender, rcpts, content, queue_id, uid) + (
        sorted(extras),)


DATE = (r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [ 1-3]\d "
        r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
        r"\d\d:\d\d:\d\d [-+]\d{4} \(\w+\)")


def split_content(sender, rcpts, content, queue_id, uid):
    if content and content[-1] == "":
        content = content[:-1]
    cut = content.index("") if "" in content else len(content)
    headers, body = content[:cut], content[cut + 1:]
    # Join folded headers, normalise IDs/times (pickup's Received: only
    # when its queue ID and user ID are this side's).
    joined = []
    for line in headers:
        if line[:1] in (" ", "\t") and joined:
            joined[-1] += "\n" + line
        else:
            joined.append(line)
    norm = []
    for header in joined:
        header = re.sub(
            r"^(Received: by \S+ \(\S+, from userid )%d\)\n\tid %s; %s$"
            % (uid, queue_id, DATE), r"\1UID)\n\tid QID; DATE", header)
        header = re.sub(r"<\d{14}\.[0-9A-Za-z]+@", "<STAMP.QID@", header)
        header = re.sub(r"^(Resent-)?Date: .*", r"\1Date: DATE", header)
        norm.append(header)
    return sender, sorted(rcpts, key=lambda r: (r[1], r[0] or "")), norm, body


MESSAGES = [
    ("plain", ["-f", "sender@example.org", "rcpt@example.org"],
     "Subject: plain\n\nbody\n"),
    ("no_headers", ["-f", "sender@example.org", "rcpt@example.org"],
     "just a body\n"),
    ("full_name", ["-F", "John Q. Public", "-f", "j@example.org",
                   "rcpt@example.org"], "Subject: fn\n\nx\n"),
    ("null_sender", ["-f", "", "rcpt@example.org"], "Subject: null\n\nx\n"),
    ("addresses", ["-f", "joe", "ann"],
     "From: joe\nTo: ann, bob@other.example\nCc: Carl <carl>\n"
     "Reply-To: \"Joe Q\" <joe>\nSubject: addr\n\nb\n"),
    ("masquerade", ["-f", "joe@host.sub.example.org", "ann@x.sub.example.org"],
     "From: joe@host.sub.example.org\nTo: ann@x.sub.example.org\n"
     "Subject: masq\n\nb\n"),
    ("dropped", ["-f", "s@example.org", "r@example.org"],
     "Bcc: x@example.org\nReturn-Path: <a@b>\nContent-Length: 3\n"
     "X-Kept: 1\nSubject: drop\n\nb\n"),
    ("resent", ["-f", "s@example.org", "r@example.org"],
     "Resent-To: z@example.org\nSubject: resent\n\nx\n"),
    ("ids", ["-f", "s@example.org", "r@example.org"],
     "Message-ID: <abc@x>\nResent-Message-ID: <r@x>\nResent-From: a@b\n"
     "Subject: ids\n\nhello\n"),
    ("extract", ["-t", "-f", "s@example.org"],
     "To: a@example.org, B <b@example.org>\nCc: c\nBcc: d@example.org\n"
     "Subject: t\n\nbody\n"),
    ("folded", ["-f", "s@example.org", "r@example.org"],
     "Subject: folded\n\tsecond line\nTo: a@example.org,\n b@example.org\n"
     "\nbody\n"),
    ("duplicates", ["-f", "s@example.org", "a@example.org", "b@example.org",
                    "a@example.org"], "Subject: dup\n\nx\n"),
    ("canonical_virtual", ["-f", "canon@example.org", "list@example.org"],
     "From: canon@example.org\nTo: list@example.org\nSubject: cv\n\nb\n"),
    ("unqualified_results", ["-f", "short@example.org",
                             "vshort@example.org", "short@example.org"],
     "From: short@example.org\nTo: vshort@example.org\nSubject: uq\n\nb\n"),
    ("check_prepend", ["-f", "s@example.org", "r@example.org"],
     "Subject: prepend me\nX-Ignore: gone\n\nbody prepend\nbody ignore\n"
     "kept\n"),
    ("check_replace", ["-f", "s@example.org", "r@example.org"],
     "Subject: replace me\n\nb\n"),
    ("check_redirect", ["-f", "s@example.org", "r@example.org"],
     "Subject: redirect me\n\nb\n"),
    ("check_filter", ["-f", "s@example.org", "r@example.org"],
     "Subject: filter me\n\nb\n"),
    ("filter_then_redirect", ["-f", "s@example.org", "r@example.org"],
     "Subject: filter me\nX-Redirect: 1\n\nb\n"),
    ("redirect_then_filter", ["-f", "s@example.org", "r@example.org"],
     "X-Redirect: 1\nSubject: filter me\n\nb\n"),
    ("check_misc", ["-f", "s@example.org", "r@example.org"],
     "X-Strip: a\nX-Info: b\nX-Dunno: c\nX-Warn: d\nSubject: misc\n\nb\n"),
    ("check_bcc", ["-f", "s@example.org", "r@example.org"],
     "Subject: bcc me\n\nb\n"),
    ("mime", ["-f", "s@example.org", "r@example.org"],
     "Subject: mime\nMIME-Version: 1.0\n"
     "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\n"
     "Content-Type: text/plain\n\nhello\n--b1--\n"),
]


@contextlib.contextmanager
def both_sides(install_root, prefix):
    """Debian's Postfix and ours, started in a fresh directory; both are
    stopped and the directory removed afterwards."""
    base = Path(os.environ.get("TMPDIR", "/tmp"))
    top = Path(subprocess.run(["mktemp", "-d", str(base / f"{prefix}-XXXXXX")],
                              capture_output=True, text=True,
                              check=True).stdout.strip())
    os.chmod(top, 0o755)
    real = Side(top / "real", install_root, real=True)
    ours = Side(top / "ours", install_root, real=False)
    try:
        real.start()
        ours.start()
        yield real, ours
    finally:
        real.stop()
        ours.stop()
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="module")
def sides(install_root):
    with both_sides(install_root, "cleanup-diff") as (real, ours):
        results = {}
        for name, args, text in MESSAGES:
            real_id = real.submit(args, text)
            our_id = ours.submit(args, text)
            results[name] = (real.envelope_and_content(real_id),
                             ours.envelope_and_content(our_id),
                             real_id, our_id)
        time.sleep(1)				# the last log lines
        real_log, our_log = real.log(), ours.log()
        for name in results:
            theirs, mine, real_id, our_id = results[name]
            results[name] = (theirs, mine, cleanup_log(real_log, real_id),
                             cleanup_log(our_log, our_id))
        yield results


def cleanup_log(log, queue_id):
    """cleanup's log lines about one message, IDs and stamps normalised."""
    lines = []
    for line in log.splitlines():
        if "/cleanup[" not in line or f" {queue_id}: " not in line:
            continue
        text = line.split("]: ", 1)[1].replace(queue_id, "QID")
        lines.append(re.sub(r"<\d{14}\.QID@", "<STAMP.QID@", text))
    return lines


@pytest.mark.parametrize("name", [m[0] for m in MESSAGES])
def test_same_as_postfix(sides, name):
    theirs, mine = sides[name][:2]
    assert mine == theirs


@pytest.mark.parametrize("name", [m[0] for m in MESSAGES])
def test_same_log_lines(sides, name):
    theirs, mine = sides[name][2:]
    assert mine == theirs
