"""System tests for proxymap(8) and the proxy: table type (dict_proxy).

Each test starts the installed master(8) on a private instance (the Master
class of test_master.py) whose master.cf runs the installed proxymap(8) as
the proxymap and proxywrite services, the lines of Postfix's template, and
queries tables through them with the installed postmap(1), as an
administrator would ("postmap -q key proxy:type:name").

The differential test runs the same queries against Debian's Postfix 3.7
in a throwaway instance (root only) and compares the output, the exit
status, and the proxymap warnings about an unapproved table.

Every wait is bounded.
"""

import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from test_master import IS_ROOT, Master, wait_until

REAL_POSTFIX = Path("/usr/sbin/postfix")
PROXY_MASTER_CF = (
    "proxymap  unix  -       -       n       -       -       proxymap\n"
    "proxywrite unix -       -       n       -       1       proxymap\n")
UNAPPROVED = re.compile(
    r'warning: request for unapproved table: "(?P<table>[^"]*)"\n.*'
    r'warning: to approve this table for (?P<mode>read-\w+) access, '
    r'list proxy:(?P=table) in main.cf:(?P<param>proxy_\w+_maps)')


@pytest.fixture
def pmap(install_root, test_daemons, shared_tmp):
    """Unprivileged instance whose master.cf runs proxymap and proxywrite."""
    m = Master(install_root, test_daemons, shared_tmp, privileged=False)
    m.master_cf(PROXY_MASTER_CF)
    yield m
    m.cleanup()


def own(m, path):
    """Give a file to the account that the instance runs as."""
    if m.run_as:
        os.lchown(path, *m.run_as)
    return path


def write_table(m, name, text):
    """A texthash: source file in the instance's config directory, dated
    in the past (a table changed in the second it was opened counts as
    changed, and proxymap then restarts after its next request)."""
    path = m.inst.config_dir / name
    path.write_text(text)
    past = time.time() - 10
    os.utime(path, (past, past))
    return own(m, path)


def postmap(m, *args, input=None):
    argv = [str(m.inst.sbin / "postmap"), "-c", str(m.inst.config_dir),
            *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60,
                          input=input, env=m.inst.env())


def test_lookup_through_proxymap(pmap):
    m = pmap
    table = write_table(m, "tbl", "foo bar\nmulti one two\n/x/ pattern\n")
    m.main_cf(proxy_read_maps=f"$local_recipient_maps proxy:texthash:{table}")
    m.start()
    r = postmap(m, "-q", "foo", f"proxy:texthash:{table}")
    assert (r.returncode, r.stdout) == (0, "bar\n"), r.stderr
    r = postmap(m, "-q", "FOO", f"proxy:texthash:{table}")
    assert (r.returncode, r.stdout) == (0, "bar\n"), r.stderr
    r = postmap(m, "-q", "nokey", f"proxy:texthash:{table}")
    assert (r.returncode, r.stdout) == (1, ""), r.stderr
    # Repeated prefixes name the same table.
    r = postmap(m, "-q", "multi", f"proxy:proxy:texthash:{table}")
    assert (r.returncode, r.stdout) == (0, "one two\n"), r.stderr
    # Several keys from standard input, one connection.
    r = postmap(m, "-q", "-", f"proxy:texthash:{table}",
                input="foo\nnone\nmulti\n")
    assert r.stdout == "foo\tbar\nmulti\tone two\n", r.stderr
    assert "proxymap" in " ".join(m.children().values())


def test_unix_passwd_through_proxymap(pmap):
    """local_recipient_maps' default table is approved by default."""
    m = pmap
    m.start()
    r = postmap(m, "-q", "root", "proxy:unix:passwd.byname")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("root:x:0:0:"), r.stdout
    r = postmap(m, "-q", "no-such-user-here", "proxy:unix:passwd.byname")
    assert (r.returncode, r.stdout) == (1, ""), r.stderr


def test_unapproved_table_refused(pmap):
    m = pmap
    table = write_table(m, "secret", "k v\n")
    m.start()
    r = postmap(m, "-q", "k", f"proxy:texthash:{table}")
    assert r.returncode == 1
    assert (f'fatal: proxymap service is not configured for table '
            f'"texthash:{table}"') in r.stderr
    log = m.wait_log("to approve this table")
    found = UNAPPROVED.search(log)
    assert found, log
    assert found["table"] == f"texthash:{table}"
    assert (found["mode"], found["param"]) == ("read-only", "proxy_read_maps")


def test_proxywrite_update_delete(pmap):
    m = pmap
    data = m.inst.data_dir
    source = data / "wtbl"
    source.write_text("a b\n")
    r = postmap(m, f"lmdb:{source}")
    assert r.returncode == 0, r.stderr
    for path in data.iterdir():
        own(m, path)
    m.main_cf(proxy_write_maps=f"proxy:lmdb:{source}")
    m.start()
    # Deletes go through proxywrite (the table is opened read-write).
    r = postmap(m, "-d", "a", f"proxy:lmdb:{source}")
    assert r.returncode == 0, r.stderr
    r = postmap(m, "-d", "a", f"proxy:lmdb:{source}")
    assert r.returncode == 1, r.stderr
    # The read-only service does not serve write-approved tables.
    r = postmap(m, "-q", "a", f"proxy:lmdb:{source}")
    assert r.returncode == 1
    assert "proxymap service is not configured" in r.stderr
    # An unapproved table on proxywrite.
    other = data / "other"
    r = postmap(m, "-d", "a", f"proxy:lmdb:{other}")
    assert r.returncode == 1
    assert (f'proxywrite service is not configured for table '
            f'"lmdb:{other}"') in r.stderr
    log = m.wait_log("read-write access")
    assert (f"list proxy:lmdb:{other} in main.cf:proxy_write_maps") in log


def test_sequence_and_create_refused(pmap):
    m = pmap
    table = write_table(m, "tbl", "foo bar\n")
    m.main_cf(proxy_read_maps=f"proxy:texthash:{table}")
    m.start()
    r = postmap(m, "-s", f"proxy:texthash:{table}")
    assert r.returncode == 1
    assert "can't sequence maps via the proxy service" in r.stderr


# What Postfix 3.7 says (observed): a rebuild names the proxy service, an
# incremental update from stdin (-i) gets the bulk-mode error.
CREATE_REFUSED = {
    (): "fatal: can't create maps via the proxy service",
    ("-i",): "fatal: unsupported dictionary type: proxy does not support "
             "bulk-mode creation.",
}


def test_create_refused(pmap):
    m = pmap
    table = write_table(m, "tbl", "foo bar\n")
    for program in ("postmap", "postalias"):
        for flags, text in CREATE_REFUSED.items():
            r = subprocess.run([str(m.inst.sbin / program), "-c",
                                str(m.inst.config_dir), *flags,
                                f"proxy:texthash:{table}"],
                               input="a: b\n", capture_output=True,
                               text=True, timeout=60)
            assert r.returncode == 1, (program, flags)
            assert r.stderr == f"{program}: {text}\n", (program, flags)


@pytest.mark.skipif(not Path("/usr/sbin/postmap").exists()
                    or not Path("/usr/sbin/postalias").exists(),
                    reason="needs Debian's Postfix")
def test_create_refused_as_postfix(shared_tmp):
    """The messages above are Debian's own (no service is needed)."""
    base = Path(tempfile.mkdtemp(prefix="postel-pm-create-", dir=shared_tmp))
    try:
        (base / "main.cf").write_text("mail_owner = postfix\n")
        (base / "tbl").write_text("foo bar\n")
        for program in ("postmap", "postalias"):
            for flags, text in CREATE_REFUSED.items():
                r = subprocess.run([f"/usr/sbin/{program}", "-c", str(base),
                                    *flags, f"proxy:texthash:{base}/tbl"],
                                   input="a: b\n", capture_output=True,
                                   text=True, timeout=60)
                assert r.returncode == 1, (program, flags)
                assert r.stderr == f"{program}: {text}\n", (program, flags)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_service_restart_reconnects(pmap):
    """A lost connection is re-opened: proxymap exits after a reload and
    the next query still works (a new postmap per query, so this checks
    the server side: the table is opened again in a new process)."""
    m = pmap
    table = write_table(m, "tbl", "foo bar\n")
    m.main_cf(proxy_read_maps=f"proxy:texthash:{table}", max_idle="1s")
    m.start()
    assert postmap(m, "-q", "foo", f"proxy:texthash:{table}").stdout == "bar\n"
    m.reload()
    assert postmap(m, "-q", "foo", f"proxy:texthash:{table}").stdout == "bar\n"


def test_malformed_request_is_refused(pmap):
    """Garbage on private/proxymap: a warning, the connection closed, and
    the service keeps answering others."""
    import socket
    m = pmap
    table = write_table(m, "tbl", "foo bar\n")
    m.main_cf(proxy_read_maps=f"proxy:texthash:{table}")
    m.start()
    path = m.private("proxymap")
    wait_until(path.exists, "private/proxymap")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(str(path))
        s.recv(4096)                    # the greeting
        try:
            s.sendall(b"\xff" * 100000)
            while s.recv(4096):
                pass
        except (ConnectionResetError, BrokenPipeError):
            pass                        # closed by the service: expected
    m.wait_log("bad request")
    assert postmap(m, "-q", "foo", f"proxy:texthash:{table}").stdout == "bar\n"


# Differential: Debian's Postfix against ours.

class DebianSide:
    """A throwaway Debian Postfix instance that runs proxymap only."""

    def __init__(self, base: Path, settings: dict):
        self.base = base
        self.etc = base / "etc"
        self.spool = base / "spool"
        self.data = base / "data"
        for d in (self.etc, self.spool, self.data):
            d.mkdir(parents=True)
        os.chmod(base, 0o755)
        pw = pwd.getpwnam("postfix")
        os.chown(self.data, pw.pw_uid, pw.pw_gid)
        main = dict(compatibility_level="3.6", queue_directory=self.spool,
                    data_directory=self.data, myhostname="test.example",
                    inet_interfaces="127.0.0.1", inet_protocols="ipv4",
                    alias_maps="", alias_database="", mail_owner="postfix",
                    setgid_group="postdrop", maillog_file=base / "maillog",
                    maillog_file_prefixes=base, **settings)
        (self.etc / "main.cf").write_text(
            "".join(f"{k} = {v}\n" for k, v in main.items()))
        (self.etc / "master.cf").write_text(
            "postlog unix-dgram n - n - 1 postlogd\n" + PROXY_MASTER_CF)

    def start(self):
        r = subprocess.run([str(REAL_POSTFIX), "-c", str(self.etc), "start"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        wait_until(lambda: (self.spool / "private/proxymap").exists(),
                   "Debian's private/proxymap")

    def stop(self):
        subprocess.run([str(REAL_POSTFIX), "-c", str(self.etc), "stop"],
                       capture_output=True, timeout=60)
        try:
            pid = int((self.spool / "pid/master.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass

    def postmap(self, *args):
        return subprocess.run(["/usr/sbin/postmap", "-c", str(self.etc),
                               *map(str, args)], capture_output=True,
                              text=True, timeout=60)

    def log(self):
        path = self.base / "maillog"
        return path.read_text() if path.exists() else ""


@pytest.mark.skipif(not IS_ROOT or not REAL_POSTFIX.exists(),
                    reason="needs root and Debian's Postfix")
def test_differential_against_postfix(pmap, shared_tmp):
    table_text = "foo bar\nmulti one two\n"
    debian_base = Path(tempfile.mkdtemp(prefix="postel-pm-deb-",
                                        dir=shared_tmp))
    debian_table = debian_base / "tbl"
    debian_table.write_text(table_text)
    ours = pmap
    our_table = write_table(ours, "tbl", table_text)
    debian = DebianSide(debian_base,
                        {"proxy_read_maps":
                         f"$local_recipient_maps proxy:texthash:{debian_table}"})
    ours.main_cf(proxy_read_maps=f"$local_recipient_maps "
                 f"proxy:texthash:{our_table}")
    debian.start()
    try:
        ours.start()
        queries = [("foo",), ("multi",), ("nokey",)]
        for (key,) in queries:
            d = debian.postmap("-q", key, f"proxy:texthash:{debian_table}")
            o = postmap(ours, "-q", key, f"proxy:texthash:{our_table}")
            assert (o.returncode, o.stdout) == (d.returncode, d.stdout), key
        d = debian.postmap("-q", "root", "proxy:unix:passwd.byname")
        o = postmap(ours, "-q", "root", "proxy:unix:passwd.byname")
        assert (o.returncode, o.stdout) == (d.returncode, d.stdout)
        # Unapproved: same exit status, same client and server messages.
        d = debian.postmap("-q", "k", f"proxy:texthash:{debian_base}/x")
        o = postmap(ours, "-q", "k", f"proxy:texthash:{debian_base}/x")
        assert o.returncode == d.returncode == 1
        strip = lambda s: re.sub(r"^\S+: ", "", s.strip())
        assert strip(o.stderr) == strip(d.stderr)
        wait_until(lambda: "to approve" in debian.log(), "Debian's warning")
        ours.wait_log("to approve")
        pick = lambda log: [re.sub(r"^.*?proxymap\[\d+\]: ", "", line)
                            for line in log.splitlines()
                            if "unapproved" in line or "to approve" in line]
        assert pick(ours.log()) == pick(debian.log())
    finally:
        debian.stop()


# smtpd(8) with Postfix's default local_recipient_maps, which goes
# through proxymap: an unchanged configuration validates local recipients.

LOCAL_RCPT_DEFAULT = {"local_recipient_maps":
                      "proxy:unix:passwd.byname $alias_maps"}
LOCAL_CASES = [
    ("root@test.example", "250 2.1.5 Ok"),
    ("no-such-user-1@test.example",
     "550 5.1.1 <no-such-user-1@test.example>: Recipient address rejected: "
     "User unknown in local recipient table"),
]


def test_smtpd_local_recipients_through_proxymap(request):
    from smtp_dialogue import ours_smtpd, our_instance, dialogue
    with ours_smtpd(our_instance(request), **LOCAL_RCPT_DEFAULT) as ours:
        lines = (["EHLO ok.example", "MAIL FROM:<a@b.example>"]
                 + [f"RCPT TO:<{r}>" for r, _ in LOCAL_CASES] + ["QUIT"])
        replies = dialogue(ours.port, lines)
        assert replies[3:3 + len(LOCAL_CASES)] == [r for _, r in LOCAL_CASES]
        assert "proxymap" not in ours.log_text() or \
            "unapproved" not in ours.log_text()


def test_smtpd_proxy_table_really_proxied(request):
    """With the table not approved, the lookup reaches proxymap and is
    refused there: proof that smtpd asked proxymap."""
    from smtp_dialogue import ours_smtpd, our_instance, dialogue
    with ours_smtpd(our_instance(request), proxy_read_maps="",
                    **LOCAL_RCPT_DEFAULT) as ours:
        replies = dialogue(ours.port, ["EHLO ok.example",
                                       "MAIL FROM:<a@b.example>",
                                       "RCPT TO:<root@test.example>"])
        assert not replies[3].startswith("250"), replies
        ours.wait_for_log('request for unapproved table: '
                          '"unix:passwd.byname"')
        ours.wait_for_log('proxymap service is not configured for table '
                          '"unix:passwd.byname"')
