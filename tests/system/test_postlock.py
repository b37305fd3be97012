"""System tests for postlock(1): the lock is really held while the command
runs, a second postlock waits or gives up, exit statuses and errors."""

import fcntl
import grp
import os
import pwd
import subprocess
import time
from pathlib import Path

import pytest

REAL_POSTLOCK = Path("/usr/sbin/postlock")
EX_TEMPFAIL = 75


def postfix_accounts(inst):
    """Real Postfix refuses mail_owner = root; use its own accounts."""
    try:
        pwd.getpwnam("postfix")
        grp.getgrnam("postdrop")
    except KeyError:
        pytest.skip("no postfix/postdrop accounts for the real Postfix")
    inst.write_main_cf(mail_owner="postfix", setgid_group="postdrop")


def start_holder(instance, mbox, style, seconds, marker):
    """Run postlock in the background; return once the command runs."""
    argv = [str(instance.sbin / "postlock"), "-c", str(instance.config_dir),
            "-l", style, str(mbox), "sh", "-c",
            f"touch {marker}; sleep {seconds}"]
    proc = subprocess.Popen(argv, env=instance.env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return proc


def lock_is_free(mbox, style):
    """Can this process take the lock right now?"""
    if style == "dotlock":
        return not Path(str(mbox) + ".lock").exists()
    with open(mbox, "a") as f:
        try:
            if style == "flock":
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def test_runs_command_with_its_arguments(instance, tmp_path):
    mbox = tmp_path / "mbox"
    r = instance.run("postlock", mbox, "sh", "-c",
                     'echo "$0 $1" >> "$2"; exit 7', "-l", "x", mbox)
    assert (r.returncode, r.stderr) == (7, "")
    assert mbox.read_text() == "-l x\n"
    assert mbox.stat().st_mode & 0o777 == 0o600
    assert not Path(str(mbox) + ".lock").exists()


@pytest.mark.parametrize("style", ["fcntl", "flock", "dotlock"])
def test_lock_is_held_while_command_runs(instance, tmp_path, style):
    instance.write_main_cf(deliver_lock_attempts=1)
    mbox = tmp_path / "mbox"
    holder = start_holder(instance, mbox, style, 2, tmp_path / "started")
    try:
        assert not lock_is_free(mbox, style)
        start = time.monotonic()
        r = instance.run("postlock", "-l", style, mbox, "true")
        assert time.monotonic() - start < 1.5
        assert r.returncode == EX_TEMPFAIL
        if style == "dotlock":
            reason = f"unable to create lock file {mbox}.lock: File exists"
        else:
            reason = ("unable to lock for exclusive access: "
                      "Resource temporarily unavailable")
        assert r.stderr == f"postlock: fatal: open file {mbox}: {reason}\n"
    finally:
        out, err = holder.communicate(timeout=20)
    assert (holder.returncode, err) == (0, "")
    assert lock_is_free(mbox, style)
    assert instance.run("postlock", "-l", style, mbox, "true").returncode == 0


@pytest.mark.parametrize("style", ["fcntl", "flock", "dotlock"])
def test_second_postlock_waits(instance, tmp_path, style):
    instance.write_main_cf(deliver_lock_attempts=10, deliver_lock_delay="1s")
    mbox = tmp_path / "mbox"
    holder = start_holder(instance, mbox, style, 1.5, tmp_path / "started")
    start = time.monotonic()
    r = instance.run("postlock", "-l", style, mbox, "sh", "-c",
                     f"test -e {tmp_path}/started && echo waited")
    elapsed = time.monotonic() - start
    holder.communicate(timeout=20)
    assert (r.returncode, r.stdout, r.stderr) == (0, "waited\n", "")
    assert 0.9 <= elapsed < 8


def test_default_methods_from_main_cf(instance, tmp_path):
    mbox = tmp_path / "mbox"
    # mailbox_delivery_lock defaults to "fcntl, dotlock".
    r = instance.run("postlock", mbox, "sh", "-c", f"ls {mbox}.lock")
    assert (r.returncode, r.stdout) == (0, f"{mbox}.lock\n")
    instance.write_main_cf(mailbox_delivery_lock="flock")
    r = instance.run("postlock", mbox, "sh", "-c", f"ls {mbox}.lock")
    assert r.returncode != 0
    r = instance.run("postlock", "-l", "", mbox, "true")
    assert r.returncode == 0


def test_stale_dotlock_is_removed(instance, tmp_path):
    mbox = tmp_path / "mbox"
    lock = Path(str(mbox) + ".lock")
    lock.write_text("")
    old = time.time() - 1000
    os.utime(lock, (old, old))
    instance.write_main_cf(stale_lock_time="500s", deliver_lock_attempts=1)
    r = instance.run("postlock", "-l", "dotlock", mbox, "true")
    assert r.returncode == 0
    assert r.stderr == f"postlock: warning: removing stale lock file {lock}\n"
    assert not lock.exists()
    # A fresh one is respected.
    lock.write_text("")
    r = instance.run("postlock", "-l", "dotlock", mbox, "true")
    assert r.returncode == EX_TEMPFAIL
    assert lock.exists()


def test_errors(instance, tmp_path):
    mbox = tmp_path / "mbox"
    usage = (f"postlock: fatal: usage: {instance.sbin}/postlock [-c config_dir] "
             "[-l lock_style] [-v] folder command...\n")
    cases = [
        (["-l", "bogus", mbox, "true"], EX_TEMPFAIL,
         'postlock: fatal: unknown mailbox_delivery_lock value "bogus" '
         'in "bogus"\n'),
        (["-l", "fcntl,bogus", mbox, "true"], EX_TEMPFAIL,
         'postlock: fatal: unknown mailbox_delivery_lock value "bogus" '
         'in "fcntl,bogus"\n'),
        ([mbox], EX_TEMPFAIL, usage),
        ([], EX_TEMPFAIL, usage),
        ([mbox, "/nonexistent/cmd"], 1,
         "postlock: fatal: execvp /nonexistent/cmd: No such file or "
         "directory\n"),
        ([mbox, "sh", "-c", "kill -9 $$"], 1, ""),
        ([tmp_path / "nodir" / "mbox", "true"], EX_TEMPFAIL,
         f"postlock: fatal: open file {tmp_path}/nodir/mbox: unable to "
         f"create lock file {tmp_path}/nodir/mbox.lock: No such file or "
         "directory\n"),
        ([tmp_path, "true"], EX_TEMPFAIL,
         f"postlock: fatal: open file {tmp_path}: cannot open file: "
         "Is a directory\n"),
    ]
    for args, status, stderr in cases:
        r = instance.run("postlock", *args)
        assert (r.returncode, r.stderr) == (status, stderr), args
    (tmp_path / "link").symlink_to(mbox)
    r = instance.run("postlock", "-l", "fcntl", tmp_path / "link", "true")
    assert (r.returncode, r.stderr) == (
        EX_TEMPFAIL,
        f"postlock: fatal: open file {tmp_path}/link: file is a symbolic "
        "link\n")
    r = subprocess.run([str(instance.sbin / "postlock"), "-c",
                        str(tmp_path / "noconf"), mbox, "true"],
                       capture_output=True, text=True, env=instance.env())
    assert r.returncode == EX_TEMPFAIL


@pytest.mark.skipif(not REAL_POSTLOCK.exists(), reason="no Postfix postlock")
def test_same_as_postfix(instance, tmp_path):
    """Exit statuses and messages (after the program name) of Debian's
    postlock."""
    postfix_accounts(instance)
    mbox = tmp_path / "mbox"
    cases = [["-l", "bogus", mbox, "true"], [mbox, "sh", "-c", "exit 7"],
             [mbox, "/nonexistent/cmd"], [mbox, "sh", "-c", "kill -9 $$"],
             [mbox], [tmp_path, "true"]]
    for args in cases:
        results = []
        for prog in (REAL_POSTLOCK, instance.sbin / "postlock"):
            r = subprocess.run([str(prog), "-c", str(instance.config_dir),
                                *map(str, args)], capture_output=True,
                               text=True, env=instance.env())
            text = r.stderr.split(": ", 1)[1] if r.stderr else ""
            results.append((r.returncode, text.replace(str(prog), "PROG")))
        assert results[0] == results[1], args
