"""System tests for postlog(1): records, priorities, tags, standard input,
errors, and the set-gid configuration directory check."""

import grp
import os
import pwd
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

STAMP = r"[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d"
REAL_POSTLOG = Path("/usr/sbin/postlog")


def postfix_accounts(inst):
    """Real Postfix refuses mail_owner = root; use its own accounts."""
    try:
        pwd.getpwnam("postfix")
        grp.getgrnam("postdrop")
    except KeyError:
        pytest.skip("no postfix/postdrop accounts for the real Postfix")
    inst.write_main_cf(mail_owner="postfix", setgid_group="postdrop")


def records(inst):
    """The maillog as (ident, text) pairs, checking the record shape."""
    result = []
    for line in inst.log_text().splitlines():
        m = re.fullmatch(STAMP + r" test (.+?)\[(\d+)\]: (.*)", line)
        assert m, f"bad record: {line!r}"
        result.append((m.group(1), m.group(3)))
    return result


def test_text_arguments_make_one_record(instance):
    r = instance.run("postlog", "hello", "big", "world")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert records(instance) == [("postfix/postlog", "hello big world")]


def test_priorities_and_aliases(instance):
    cases = [("info", ""), ("warn", "warning: "), ("WARNING", "warning: "),
             ("error", "error: "), ("err", "error: "), ("Fatal", "fatal: "),
             ("crit", "fatal: "), ("panic", "panic: ")]
    for prio, _ in cases:
        start = time.monotonic()
        r = instance.run("postlog", "-p", prio, "text", prio)
        elapsed = time.monotonic() - start
        assert (r.returncode, r.stderr) == (0, "")
        # fatal and panic pause for a second, like other programs.
        if prio.lower() in ("fatal", "crit", "panic"):
            assert elapsed >= 0.9
    assert records(instance) == [
        ("postfix/postlog", f"{label}text {prio}") for prio, label in cases]


def test_tag_is_the_whole_ident(instance):
    instance.run("postlog", "-t", "backup-script", "-i", "done", check=True)
    instance.run("postlog", "-t", "a/b c", "x", check=True)
    instance.write_main_cf(syslog_name="mail-a")
    instance.run("postlog", "default", check=True)
    assert records(instance) == [("backup-script", "done"), ("a/b c", "x"),
                                 ("mail-a/postlog", "default")]


def test_standard_input_one_record_per_line(instance):
    text = "first\n\nthird line\nno newline at end"
    r = instance.run("postlog", "-p", "warn", input=text)
    assert (r.returncode, r.stderr) == (0, "")
    assert records(instance) == [
        ("postfix/postlog", "warning: first"),
        ("postfix/postlog", "warning: "),
        ("postfix/postlog", "warning: third line"),
        ("postfix/postlog", "warning: no newline at end")]


def test_long_line_is_cut_not_split(instance):
    r = instance.run("postlog", input="x" * 20000 + "\nnext\n")
    assert r.returncode == 0
    recs = records(instance)
    assert len(recs) == 2
    # The record limit of maillog_client cuts the whole line, header included.
    assert recs[0][1] == "x" * len(recs[0][1]) and 8000 < len(recs[0][1]) <= 8192
    assert recs[1] == ("postfix/postlog", "next")


def test_unprintable_bytes(instance):
    instance.run("postlog", "-t", "t\tag", "bell\x07here", check=True)
    assert records(instance) == [("t?ag", "bell?here")]


def test_bad_priority_and_usage(instance):
    r = instance.run("postlog", "-p", "loud", "x")
    assert r.returncode == 1
    assert r.stderr == 'postlog: fatal: bad severity: "loud"\n'
    r = instance.run("postlog", "-Z")
    assert r.returncode == 1
    assert r.stderr == ("postlog: invalid option -- 'Z'\n"
                        "postlog: fatal: usage: postlog [-c config_dir] [-i] "
                        "[-p priority] [-t tag] [-v] [text]\n")
    assert instance.log_text() == ""


def test_maillog_file_outside_prefixes(instance):
    instance.write_main_cf(maillog_file="/tmp/elsewhere.log")
    r = instance.run("postlog", "x")
    assert r.returncode == 1
    assert ('maillog_file value "/tmp/elsewhere.log" does not match any '
            'maillog_file_prefixes value') in r.stderr
    assert not Path("/tmp/elsewhere.log").exists()


def test_syslog_facility_checked(instance):
    """syslog_facility is checked (and used for the syslog fallback) also
    when logging goes to maillog_file, as with Postfix."""
    instance.write_main_cf(syslog_facility="bogus")
    r = instance.run("postlog", "x")
    assert r.returncode == 1
    assert r.stderr == (f"postlog: fatal: file {instance.config_dir}/main.cf: "
                        "parameter syslog_facility: unrecognized value: bogus\n")
    assert instance.log_text() == ""
    instance.write_main_cf(syslog_facility="LOCAL3")
    r = instance.run("postlog", "x")
    assert (r.returncode, r.stderr) == (0, "")
    assert records(instance) == [("postfix/postlog", "x")]


def test_missing_main_cf(instance, tmp_path):
    r = subprocess.run([str(instance.sbin / "postlog"), "-c",
                        str(tmp_path / "nosuch"), "x"],
                       capture_output=True, text=True, env=instance.env())
    assert r.returncode == 1
    assert r.stderr == (f"postlog: fatal: open {tmp_path}/nosuch/main.cf: "
                        "No such file or directory\n")


@pytest.mark.skipif(not REAL_POSTLOG.exists(), reason="no Postfix postlog")
@pytest.mark.skipif(os.geteuid() != 0,
                    reason="Debian's set-gid postlog takes -c only from root")
def test_same_records_as_postfix(instance):
    """Debian's postlog writes the same ident, labels and text."""
    postfix_accounts(instance)
    for prog in (str(REAL_POSTLOG), str(instance.sbin / "postlog")):
        for args in (["-p", "warn", "hello", "there"], ["-t", "tg", "x"]):
            subprocess.run([prog, "-c", str(instance.config_dir), *args],
                           check=True, env=instance.env(), capture_output=True)
    recs = records_loose(instance)
    assert recs[:2] == recs[2:]


def records_loose(inst):
    """(ident, text) pairs, whatever host name form the writer used."""
    out = []
    for line in inst.log_text().splitlines():
        m = re.fullmatch(STAMP + r" \S+ (.+?)\[\d+\]: (.*)", line)
        assert m, line
        out.append((m.group(1), m.group(2)))
    return out


def _setgid_group():
    for name in ("postdrop", "mail"):
        try:
            return grp.getgrnam(name).gr_gid
        except KeyError:
            pass
    pytest.skip("no group for a set-gid copy")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make set-gid copy")
def test_setgid_refuses_untrusted_config_dir(instance, shared_tmp):
    """A set-gid postlog run by another user must not read -c config_dir
    unless the default main.cf trusts it; the same binary without set-gid
    uses it."""
    gid = _setgid_group()
    top = shared_tmp
    conf = top / "conf"
    conf.mkdir(mode=0o755)
    logs = top / "logs"
    logs.mkdir()
    logs.chmod(0o777)
    (conf / "main.cf").write_text(
        f"maillog_file = {logs}/maillog\n"
        f"maillog_file_prefixes = {logs}\n"
        f"queue_directory = {top}/spool\n"
        "myhostname = test.example\n")
    (conf / "main.cf").chmod(0o644)
    plain = top / "postlog"
    shutil.copy(instance.sbin / "postlog", plain)
    plain.chmod(0o755)
    sgid = top / "postlog-sgid"
    shutil.copy(instance.sbin / "postlog", sgid)
    os.chown(sgid, 0, gid)
    sgid.chmod(0o2755)
    assert sgid.stat().st_mode & stat.S_ISGID

    def as_nobody(prog):
        return subprocess.run([str(prog), "-c", str(conf), "hi"],
                              capture_output=True, text=True,
                              user="nobody", group="nogroup",
                              extra_groups=[], cwd="/", env={})

    r = as_nobody(sgid)
    assert r.returncode == 1
    default_main = "/etc/postfix/main.cf"
    # A sanitizer build adds that LeakSanitizer cannot run set-gid.
    stderr = "".join(line for line in r.stderr.splitlines(True)
                     if not line.startswith("=="))
    assert stderr in (
        f"postlog: fatal: open file {default_main}: "
        "No such file or directory\n",
        f"postlog: error: untrusted configuration directory name: {conf}\n"
        f"postlog: fatal: specify \"alternate_config_directories = "
        f"{conf}\" in {default_main}\n")
    assert not (logs / "maillog").exists()

    r = as_nobody(plain)
    assert (r.returncode, r.stderr) == (0, "")
    assert re.search(r" postfix/postlog\[\d+\]: hi\n\Z",
                     (logs / "maillog").read_text())

