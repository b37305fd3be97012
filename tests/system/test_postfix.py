"""System tests for postfix(1) and postfix-script.

Messages of postfix(1) and postfix-script reach standard error only when
it is a terminal (as with Postfix), so most commands run under a pseudo
terminal (run_tty). Tests that need a running master(8) are skipped until
the build has one; the script's dealings with master are also tested
against a stand-in master (FAKE_MASTER) that records the signals it gets.
"""

import grp
import gzip
import os
import pty
import pwd
import re
import select
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from bounded_messages import HUGE, assert_bounded, quoted
from conftest import BUILD, REPO, Instance

MSG = "postfix/postfix-script"
NOT_RUNNING = f"{MSG}: the Postfix mail system is not running"
REFUSAL = ("postfix: error: to submit mail, use the Postfix sendmail command\n"
           "postfix: fatal: the postfix command is reserved for the superuser\n")
QUEUE_DIRS = {  # name: (owner is mail_owner, group is setgid_group, mode)
    "active": (True, False, 0o700), "bounce": (True, False, 0o700),
    "corrupt": (True, False, 0o700), "defer": (True, False, 0o700),
    "deferred": (True, False, 0o700), "flush": (True, False, 0o700),
    "hold": (True, False, 0o700), "incoming": (True, False, 0o700),
    "private": (True, False, 0o700), "maildrop": (True, True, 0o1730),
    "public": (True, True, 0o2710), "pid": (False, False, 0o755),
    "saved": (True, False, 0o700), "trace": (True, False, 0o700),
}


def run_tty(argv, env=None, timeout=60, preexec_fn=None, cwd=None):
    """Run argv with a terminal as stdout/stderr; return (status, output)."""
    master_fd, slave_fd = pty.openpty()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave_fd,
                            stderr=slave_fd, env=env, cwd=cwd,
                            preexec_fn=preexec_fn)
    os.close(slave_fd)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"{argv} did not finish in {timeout}s")
            ready, _, _ = select.select([master_fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master_fd, 65536)
                except OSError:     # EIO: every writer has gone
                    data = b""
                if data:
                    chunks.append(data)
                    continue
                if proc.poll() is not None:
                    break
            elif proc.poll() is not None:
                break               # exited; a daemon may hold the pty
        status = proc.wait(timeout=max(1, deadline - time.monotonic()))
    finally:
        os.close(master_fd)
    return status, b"".join(chunks).decode().replace("\r\n", "\n")


def postfix(inst, *args, timeout=60, env=None, preexec_fn=None):
    """Run the installed postfix -c <config> under a terminal."""
    argv = [str(inst.sbin / "postfix"), "-c", str(inst.config_dir),
            *map(str, args)]
    return run_tty(argv, env=env or inst.env(), timeout=timeout,
                   preexec_fn=preexec_fn)


def warnings(output):
    return [line for line in output.splitlines() if ": warning: " in line]


def have_master(inst):
    return (inst.libexec / "master").exists()


def need_master(inst):
    """Skip without master(8); else give the instance's files their owners
    (the fixture creates data_directory with the wrong one)."""
    if not have_master(inst):
        pytest.skip("master(8) is not in this build yet")
    status, out = postfix(inst, "set-permissions")
    assert status == 0, out


def need_postconf(inst):
    if not (inst.sbin / "postconf").exists():
        pytest.skip("postconf(1) is not in this build yet")


# The level below which postfix(1) prints its backwards-compatibility notice
# (src/global/compat_level.h).
CURRENT_LEVEL = "3.6"
COMPAT_NOTICE = (
    "postfix: Postfix is using backwards-compatible default settings\n"
    "postfix: See http://www.postfix.org/COMPATIBILITY_README.html for details\n"
    "postfix: To disable backwards compatibility use \"postconf "
    f"compatibility_level={CURRENT_LEVEL}\" and \"postfix reload\"\n")


@pytest.fixture(autouse=True)
def current_compatibility_level(monkeypatch):
    """Instances set compatibility_level as Debian's and our main.cf do, so
    that the notice (tested on its own) stays out of the other tests."""
    original = Instance.__init__

    def init(self, *args, **kw):
        original(self, *args, **kw)
        self.write_main_cf(compatibility_level=CURRENT_LEVEL)

    monkeypatch.setattr(Instance, "__init__", init)


@pytest.fixture
def inst(request):
    """The instance that postfix(1) accepts for the current user."""
    if os.geteuid() == 0:
        return request.getfixturevalue("privileged_instance")
    return request.getfixturevalue("instance")


# ------------------------------------------------------------ a stand-in master

FAKE_DAEMON = r'''
import os, signal, sys, time
pid_file, log = sys.argv[1], sys.argv[2]
def note(text):
    with open(log, "a") as f:
        f.write(text + "\n")
def stop(signum, frame):
    note(signal.Signals(signum).name)
    os.unlink(pid_file)
    sys.exit(0)
signal.signal(signal.SIGHUP, lambda s, f: note("SIGHUP"))
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
with open(pid_file + ".tmp", "w") as f:
    f.write("%10d\n" % os.getpid())
os.rename(pid_file + ".tmp", pid_file)
note("ready")
for _ in range(1200):
    time.sleep(0.1)
'''

FAKE_MASTER = r'''#!/bin/sh
# Stand-in for master(8): -t, -w, -s and -i as postfix-script uses them.
pid_file="$queue_directory/pid/master.pid"
log="$daemon_directory/master.log"
echo "master $*" >> "$log"
case $1 in
-t)	pid=$(awk 'NR == 1 { print $1; exit }' "$pid_file" 2>/dev/null)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && exit 1
	exit 0;;
-w)	setsid python3 "$daemon_directory/fake_daemon.py" "$pid_file" "$log" \
	    </dev/null >/dev/null 2>&1 &
	i=0
	while [ $i -lt 100 ]; do
		[ -s "$pid_file" ] && exit 0
		sleep 0.05
		i=$((i + 1))
	done
	exit 1;;
-s|-i)	exec python3 "$daemon_directory/fake_daemon.py" "$pid_file" "$log";;
esac
exit 2
'''


@pytest.fixture
def fake_master(inst, tmp_path):
    """Point daemon_directory at a copy of postfix-script and a fake master."""
    libexec = tmp_path / "fake-libexec"
    libexec.mkdir()
    shutil.copy(inst.libexec / "postfix-script", libexec / "postfix-script")
    (libexec / "master").write_text(FAKE_MASTER)
    (libexec / "master").chmod(0o755)
    (libexec / "fake_daemon.py").write_text(FAKE_DAEMON)
    inst.libexec = libexec
    inst.write_main_cf(daemon_directory=libexec)
    log = libexec / "master.log"
    yield log
    pid_file = inst.queue_dir / "pid/master.pid"
    if pid_file.exists():
        try:
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


def process_gone(pid):
    """True when pid has exited (a zombie waiting for init counts)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


# ------------------------------------------------------------ command line

def test_usage_and_bad_options(inst):
    status, out = run_tty([str(inst.sbin / "postfix")], env=inst.env())
    assert status == 1
    assert out == "postfix: fatal: usage: postfix [-c config_dir] [-Dv] command\n"

    status, out = run_tty([str(inst.sbin / "postfix"), "-c", "etc", "status"],
                          env=inst.env())
    assert status == 1
    assert out == "postfix: fatal: -c requires absolute pathname\n"

    status, out = postfix(inst, "bogus")
    assert status == 1
    assert out == (f"{MSG}: fatal: unknown command: 'bogus'. Usage: postfix start "
                   "(or stop, reload, abort, flush, check, status, set-permissions, "
                   "upgrade-configuration, logrotate)\n")


def test_bounded_quotes(inst):
    """A 30 KB command, postfix-files field or setting is quoted briefly."""
    status, out = postfix(inst, HUGE)
    assert status == 1
    assert_bounded(out, f"{MSG}: fatal: unknown command: '{quoted()}'. Usage:")
    with open(inst.config_dir / "postfix-files", "a") as fp:
        fp.write(f"$queue_directory/x:{HUGE}:-:-:755\n")
        fp.write(f"$queue_directory/y:f:-:-:{HUGE}\n")
    status, out = postfix(inst, "check")
    assert status == 0, out[:1000]
    assert_bounded(out, f"unknown file type '{quoted()}'")
    assert_bounded(out, f"bad permission '{quoted()}' for {inst.queue_dir}/y")
    status, out = postfix(inst, "upgrade-configuration", HUGE)
    assert status == 1
    assert_bounded(out, f"bad parameter setting: '{quoted()}' (expected "
                   "name=value)")


# ------------------------------------------------------------ compatibility level

def without_level(inst, level=None):
    """main.cf with compatibility_level unset, or set to level."""
    inst.settings.pop("compatibility_level", None)
    if level is None:
        inst.write_main_cf()
    else:
        inst.write_main_cf(compatibility_level=level)


def test_compatibility_notice(inst):
    """Below the current level, postfix(1) prints Postfix's notice first."""
    for level in (None, "0", "2", "3.5", "3.5.99"):
        without_level(inst, level)
        status, out = postfix(inst, "status")
        assert (status, out) == (1, COMPAT_NOTICE + NOT_RUNNING + "\n"), level
    for level in ("3.6", "3.6.0", "3.7", "9999"):
        without_level(inst, level)
        status, out = postfix(inst, "status")
        assert (status, out) == (1, NOT_RUNNING + "\n"), level


def test_compatibility_notice_logged_without_terminal(inst):
    without_level(inst)
    result = inst.run("postfix", "status")
    assert result.returncode == 1
    assert result.stderr == ""
    log = inst.log_text()
    for line in COMPAT_NOTICE.splitlines():
        assert re.search(r"postfix/postfix\[\d+\]: "
                         + re.escape(line.split(": ", 1)[1]) + "$", log, re.M)


def test_compatibility_level_malformed(inst):
    for level in ("abc", "3..6", ""):
        without_level(inst, level)
        status, out = postfix(inst, "status")
        assert status == 1
        assert out == ("postfix: fatal: malformed compatibility level "
                       f"syntax: \"{level}\"\n")


@pytest.mark.skipif(not Path("/usr/sbin/postfix").exists() or os.geteuid() != 0,
                    reason="needs Debian's /usr/sbin/postfix and root")
def test_compatibility_notice_matches_debian(tmp_path):
    """Debian's postfix prints the same three lines for the same setting."""
    etc = tmp_path / "etc"
    etc.mkdir()
    (tmp_path / "spool").mkdir()
    dist = Path("/usr/share/postfix/main.cf.dist")
    if not dist.exists():
        pytest.skip("no /usr/share/postfix/main.cf.dist")
    text = re.sub(r"^(compatibility_level|setgid_group|manpage_directory|"
                  r"sample_directory|html_directory|readme_directory|"
                  r"sendmail_path|newaliases_path|mailq_path)\s*=.*$", "",
                  dist.read_text(), flags=re.M)
    text += (f"queue_directory = {tmp_path}/spool\nsetgid_group = postdrop\n"
             "html_directory = no\nreadme_directory = no\n"
             "manpage_directory = /usr/share/man\n"
             "sample_directory = /etc/postfix\n")
    (etc / "main.cf").write_text(text)
    shutil.copy("/etc/postfix/master.cf", etc / "master.cf")
    status, out = run_tty(["/usr/sbin/postfix", "-c", str(etc), "status"])
    assert out.startswith(COMPAT_NOTICE), out


def test_tls_is_not_available(inst):
    # Said clearly even without a terminal.
    result = inst.run("postfix", "tls", "enable-server")
    assert result.returncode == 1
    assert (f"{MSG}: fatal: the 'tls' command is not available in this "
            "release: TLS management (postfix-tls(1)) is not implemented yet"
            in result.stderr)


def test_script_refuses_direct_use(inst):
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run([str(inst.libexec / "postfix-script"), "status"],
                            capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 1
    assert result.stderr == ("postfix-script: run this through the postfix "
                             "command, not directly\n")


# ------------------------------------------------------------ environment

ENV_DUMP = """#!/bin/sh
env > "$config_directory/env.out"
pwd > "$config_directory/pwd.out"
printf '%s\\n' "$@" > "$config_directory/args.out"
"""


def env_dump_instance(inst, tmp_path):
    fake = tmp_path / "envdump"
    fake.mkdir()
    (fake / "postfix-script").write_text(ENV_DUMP)
    (fake / "postfix-script").chmod(0o755)
    inst.write_main_cf(daemon_directory=fake, compatibility_level="3.6",
                       openssl_path="/usr/bin/openssl",
                       html_directory="/srv/html", syslog_name="pfx-test")


def read_env(inst):
    lines = (inst.config_dir / "env.out").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def test_environment_exported_to_script(inst, tmp_path):
    env_dump_instance(inst, tmp_path)
    env = inst.env()
    env.update(FOO="bar", TZ="Europe/Paris", MAIL_VERBOSE="stale")
    status, out = postfix(inst, "-v", "-D", "status", "one", "two=2", env=env)
    assert status == 0, out
    got = read_env(inst)
    s = inst.settings
    expect = {
        "MAIL_CONFIG": str(inst.config_dir),
        "MAIL_VERBOSE": "",
        "MAIL_DEBUG": "",
        "MAIL_LOGTAG": "pfx-test",
        "PATH": "/bin:/usr/bin:/sbin:/usr/sbin",
        "TZ": "Europe/Paris",
        "LANG": "C",
        "config_directory": str(inst.config_dir),
        "command_directory": s["command_directory"],
        "daemon_directory": s["daemon_directory"],
        "queue_directory": s["queue_directory"],
        "data_directory": s["data_directory"],
        "meta_directory": s["meta_directory"],
        "shlib_directory": s["shlib_directory"],
        "mail_owner": inst.owner,
        "setgid_group": inst.group,
        "compatibility_level": "3.6",
        "openssl_path": "/usr/bin/openssl",
        "html_directory": "/srv/html",
        "readme_directory": "no",
        "manpage_directory": "/usr/share/man",
        "sendmail_path": s["sendmail_path"],
        "mailq_path": s["mailq_path"],
        "newaliases_path": s["newaliases_path"],
        "maillog_file": str(inst.maillog),
        "POSTLOG_SERVICE": s["queue_directory"] + "/public/postlog",
        "POSTLOG_HOSTNAME": "test.example",
    }
    for name, value in expect.items():
        assert got.get(name) == value, name
    assert "FOO" not in got                 # not in import_environment
    assert (inst.config_dir / "args.out").read_text() == "status\none\ntwo=2\n"
    assert (inst.config_dir / "pwd.out").read_text() == s["queue_directory"] + "\n"


def test_environment_without_options_or_maillog(inst, tmp_path):
    env_dump_instance(inst, tmp_path)
    inst.settings.pop("maillog_file")
    inst.write_main_cf(import_environment="MAIL_CONFIG KEEPME")
    env = inst.env()
    env.update(KEEPME="yes", TZ="UTC", POSTLOG_SERVICE="/elsewhere")
    status, out = postfix(inst, "check", env=env)
    assert status == 0, out
    got = read_env(inst)
    for name in ("MAIL_VERBOSE", "MAIL_DEBUG", "POSTLOG_SERVICE",
                 "POSTLOG_HOSTNAME", "TZ"):
        assert name not in got, name
    assert got["KEEPME"] == "yes"
    assert got["MAIL_CONFIG"] == str(inst.config_dir)


# ------------------------------------------------------------ privileges

def nobody_instance(base, install_root, owner="nobody"):
    """An instance in base (a shared_tmp) that belongs to nobody."""
    inst = Instance(base, install_root)
    inst.owner = owner
    inst.group = grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
    inst.write_main_cf(mail_owner=inst.owner, setgid_group=inst.group)
    uid = pwd.getpwnam("nobody").pw_uid
    gid = pwd.getpwnam("nobody").pw_gid
    for path in [base, *base.rglob("*")]:
        os.chown(path, uid, gid)
    return inst


def as_nobody():
    entry = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)


def test_refused_for_user_other_than_mail_owner(inst, install_root, shared_tmp):
    if os.geteuid() == 0:
        other = nobody_instance(shared_tmp, install_root, owner="postfix")
        status, out = postfix(other, "status", preexec_fn=as_nobody)
    else:
        inst.write_main_cf(mail_owner="nobody")
        status, out = postfix(inst, "status")
    assert status == 1
    assert out == REFUSAL


def test_unprivileged_mode_as_mail_owner(inst, install_root, shared_tmp):
    """An ordinary user who is mail_owner runs everything as that user."""
    if os.geteuid() == 0:
        nobody = nobody_instance(shared_tmp, install_root)
        user, preexec = "nobody", as_nobody
    else:
        nobody = inst
        user, preexec = inst.owner, None
    status, out = postfix(nobody, "check", preexec_fn=preexec)
    assert status == 0, out
    assert (f"{MSG}: warning: running as {user}, not as root: ownership "
            "checks relaxed (files and directories are expected to be "
            f"owned by {user})") in out
    for name, (_, _, mode) in QUEUE_DIRS.items():
        st = os.stat(nobody.queue_dir / name)
        assert pwd.getpwuid(st.st_uid).pw_name == user
        assert stat.S_IMODE(st.st_mode) == mode, name


def test_privileged_account_checks(privileged_instance):
    inst = privileged_instance
    cases = [
        ({"mail_owner": "root"},
         "parameter mail_owner: user root has privileged user ID"),
        ({"mail_owner": "no-such-user-x"},
         "parameter mail_owner: unknown user name value: no-such-user-x"),
        ({"setgid_group": "no-such-group-x"},
         "parameter setgid_group: unknown group name: no-such-group-x"),
        ({"setgid_group": "root"},
         "parameter setgid_group: group root has privileged group ID"),
    ]
    gid = pwd.getpwnam("postfix").pw_gid
    cases.append(({"setgid_group": grp.getgrgid(gid).gr_name},
                  "parameters mail_owner and setgid_group: user postfix and "
                  f"group {grp.getgrgid(gid).gr_name} have the same group ID: {gid}"))
    for settings, message in cases:
        inst.write_main_cf(mail_owner="postfix", setgid_group="postdrop")
        inst.write_main_cf(**settings)
        status, out = postfix(inst, "check")
        assert status == 1
        assert out == (f"postfix: fatal: file {inst.config_dir}/main.cf: "
                       f"{message}\n")


# ------------------------------------------------------------ check

def expected_owner(inst, owned_by_mail_owner):
    if owned_by_mail_owner or os.geteuid() != 0:
        return inst.owner
    return "root"


def test_check_creates_queue_directories(inst):
    status, out = postfix(inst, "check")
    assert status == 0, out
    for name, (mail_owner, setgid, mode) in QUEUE_DIRS.items():
        st = os.stat(inst.queue_dir / name)
        assert stat.S_IMODE(st.st_mode) == mode, name
        assert pwd.getpwuid(st.st_uid).pw_name == expected_owner(inst, mail_owner)
        if setgid and os.geteuid() == 0:
            assert grp.getgrgid(st.st_gid).gr_name == "postdrop", name


def test_check_recreates_missing_and_warns_about_modes(inst):
    status, out = postfix(inst, "check")
    assert status == 0, out
    q = inst.queue_dir
    (q / "hold").rmdir()
    (q / "active").chmod(0o777)
    (q / "incoming").chmod(0o750)
    (q / "maildrop").chmod(0o733)
    (q / "corrupt/ABCDEF").write_text("junk")
    owner = pwd.getpwnam(inst.owner)
    os.chown(q / "corrupt/ABCDEF", owner.pw_uid, owner.pw_gid)
    status, out = postfix(inst, "check")
    assert status == 0, out
    assert stat.S_IMODE(os.stat(q / "hold").st_mode) == 0o700
    got = [w for w in warnings(out) if str(q) in w or "damaged" in w]
    assert got == [
        f"{MSG}: warning: group or other writable: {q}/active",
        f"{MSG}: warning: unexpected permissions (expected 700): {q}/incoming",
        f"{MSG}: warning: group or other writable: {q}/maildrop",
        f"{MSG}: warning: damaged message: corrupt/ABCDEF",
    ]


def test_check_accepts_modes_of_postfix_check(inst):
    """Postfix's own "postfix check" makes maildrop 730 and public 710;
    Debian's package makes them 1730 and 2710, as we do. Both pass
    without a warning; set-permissions gives ours back."""
    status, out = postfix(inst, "check")
    assert status == 0, out
    q = inst.queue_dir
    mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)
    assert (mode(q / "maildrop"), mode(q / "public")) == (0o1730, 0o2710)
    os.chmod(q / "maildrop", 0o730)
    os.chmod(q / "public", 0o710)
    assert (mode(q / "maildrop"), mode(q / "public")) == (0o730, 0o710)
    status, out = postfix(inst, "check")
    assert status == 0, out
    assert [w for w in warnings(out) if str(q) in w] == []
    os.chmod(q / "maildrop", 0o1700)
    status, out = postfix(inst, "check")
    assert (f"{MSG}: warning: unexpected permissions (expected 1730): "
            f"{q}/maildrop") in warnings(out)
    status, out = postfix(inst, "set-permissions")
    assert status == 0, out
    assert (mode(q / "maildrop"), mode(q / "public")) == (0o1730, 0o2710)


def test_check_warns_about_ownership(privileged_instance):
    inst = privileged_instance
    status, out = postfix(inst, "check")
    assert status == 0, out
    q = inst.queue_dir
    nobody = pwd.getpwnam("nobody")
    os.chown(q / "deferred", nobody.pw_uid, -1)
    # A hash directory that postsuper keeps (Debian's postfix check,
    # through postsuper, removes one that the hash depth does not use).
    (q / "deferred/F").mkdir()
    os.chown(q / "deferred/F", nobody.pw_uid, -1)
    os.chown(q / "public", -1, 0)
    os.chown(q / "pid", nobody.pw_uid, -1)
    os.chown(inst.config_dir / "main.cf", nobody.pw_uid, -1)
    status, out = postfix(inst, "check")
    assert status == 0, out
    got = warnings(out)
    for line in [f"not owned by postfix: {q}/deferred/F",
                 f"not owned by postfix: {q}/deferred",
                 f"not owned by group postdrop: {q}/public",
                 f"not owned by root: {q}/pid",
                 f"not owned by root: {inst.config_dir}/main.cf"]:
        assert f"{MSG}: warning: {line}" in got, (line, got)


def test_check_needs_master_cf_and_postlog_service(inst):
    inst.write_master_cf("# nothing\n")
    status, out = postfix(inst, "check")
    assert status == 1
    assert out.endswith(f"{MSG}: fatal: missing 'postlog' service in master.cf "
                        "- run 'postfix upgrade-configuration'\n")
    (inst.config_dir / "master.cf").unlink()
    status, out = postfix(inst, "check")
    assert status == 1
    assert out.endswith(f"{MSG}: fatal: no {inst.config_dir}/master.cf file found\n")


DEEP = "${inet_protocols?{" * 40000 + "x" + "}}" * 40000


def test_check_macro_nesting(inst):
    """$name nesting far past the limit of 100 is a clean error for
    postfix check, for the postfix command and for a daemon; a parameter
    that refers to itself is no error while nothing uses it."""
    inst.write_main_cf(myorigin=DEEP)
    status, out = postfix(inst, "check")
    assert status == 1
    assert 'postconf: warning: unreasonable macro call nesting: "inet_protocols?{' in out
    assert "postconf: fatal: macro processing error" in out
    assert max(len(line) for line in out.splitlines()) < 400

    inst.write_main_cf(myorigin="$myhostname", syslog_name=DEEP)
    status, out = postfix(inst, "check")
    assert status == 1
    assert out.endswith("postfix: fatal: dictionary mail_dict: macro processing error\n")
    r = inst.run("master", "-d", timeout=30)
    assert r.returncode == 1
    assert r.stderr.endswith("fatal: dictionary mail_dict: macro processing error\n")
    assert not (inst.queue_dir / "pid/master.pid").exists()

    inst.write_main_cf(syslog_name="postfix", z="$z", y="${y?{x}}")
    status, out = postfix(inst, "check")
    assert status == 0, out
    inst.write_main_cf(myorigin="$z")
    status, out = postfix(inst, "check")
    assert status == 1
    assert 'postconf: warning: unreasonable macro call nesting: "z"' in out


# ------------------------------------------------------------ set-permissions

def test_set_permissions(inst):
    status, out = postfix(inst, "check")
    assert status == 0, out
    q = inst.queue_dir
    (q / "incoming").chmod(0o777)
    (q / "maildrop").chmod(0o700)
    (q / "deferred/A").mkdir()
    (q / "deferred/A").chmod(0o755)
    (q / "deferred/A/QUEUEFILE").write_text("x")
    (q / "deferred/A/QUEUEFILE").chmod(0o700)
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody").pw_uid
        os.chown(q / "deferred/A/QUEUEFILE", nobody, -1)
        os.chown(q / "pid", nobody, -1)
    status, out = postfix(inst, "set-permissions")
    assert status == 0, out
    mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)
    assert mode(q / "incoming") == 0o700
    assert mode(q / "maildrop") == 0o1730
    assert mode(q / "deferred/A") == 0o700          # directories of the tree
    assert mode(q / "deferred/A/QUEUEFILE") == 0o700  # file modes untouched
    if os.geteuid() == 0:
        owner = lambda p: pwd.getpwuid(os.stat(p).st_uid).pw_name
        assert owner(q / "deferred/A/QUEUEFILE") == "postfix"   # recursive
        assert owner(q / "pid") == "root"
    status, out = postfix(inst, "check")
    assert [w for w in warnings(out) if str(q) in w] == []


def test_set_permissions_settings(inst):
    status, out = postfix(inst, "set-permissions", "not-a-setting")
    assert status == 1
    assert out.endswith(f"{MSG}: fatal: bad parameter setting: 'not-a-setting' "
                        "(expected name=value)\n")
    status, out = postfix(inst, "set-permissions", "bad-name=1")
    assert status == 1
    assert out.endswith(f"{MSG}: fatal: bad parameter setting: 'bad-name=1'\n")
    if not (inst.sbin / "postconf").exists():
        status, out = postfix(inst, "set-permissions", "setgid_group=x")
        assert status == 1
        assert out.endswith(f"{MSG}: fatal: cannot execute {inst.sbin}/postconf!\n")
        return
    new_data = inst.base / "newdata"
    status, out = postfix(inst, "set-permissions", f"data_directory={new_data}")
    assert status == 0, out
    assert f"data_directory = {new_data}" in (inst.config_dir / "main.cf").read_text()
    assert stat.S_IMODE(os.stat(new_data).st_mode) == 0o700


# ------------------------------------------------------------ upgrade-configuration

def test_upgrade_configuration_is_idempotent(inst):
    inst.write_master_cf("# no services\nfoo      unix  -  -  n  -  -  bar")
    status, out = postfix(inst, "upgrade-configuration")
    assert status == 0, out
    cf = inst.config_dir / "master.cf"
    text = cf.read_text()
    assert text.startswith("# no services\nfoo      unix  -  -  n  -  -  bar\n")
    assert re.search(r"^postlog +unix-dgram +n +- +n +- +1 +postlogd$", text, re.M)
    assert f"editing {cf}: adding missing postlog/unix-dgram service" in out
    status, out = postfix(inst, "check")
    assert status == 0, out
    status, out2 = postfix(inst, "upgrade-configuration")
    assert status == 0, out2
    assert "editing" not in out2
    assert cf.read_text() == text
    # Services are added only when their program is installed.
    for program in ("verify", "anvil", "scache", "flush", "tlsmgr"):
        present = (inst.libexec / program).exists()
        assert (re.search(rf"^{program} +unix .*{program}$", text, re.M)
                is not None) == present, program


def test_upgrade_configuration_settings(inst):
    need_postconf(inst)
    status, out = postfix(inst, "upgrade-configuration", "hash_queue_names=hold")
    assert status == 0, out
    main = (inst.config_dir / "main.cf").read_text()
    assert re.search(r"^hash_queue_names = hold deferred defer$", main, re.M)
    status, out = postfix(inst, "upgrade-configuration")
    assert status == 0, out
    assert (inst.config_dir / "main.cf").read_text() == main


# ------------------------------------------------------------ logrotate

def test_logrotate_without_master(inst):
    inst.write_main_cf(maillog_file_rotate_suffix="rot-%Y", maillog_file_compressor="gzip")
    inst.maillog.write_text("line one\n")
    status, out = postfix(inst, "logrotate")
    assert status == 0, out
    rotated = Path(f"{inst.maillog}.rot-{time.strftime('%Y')}.gz")
    assert gzip.decompress(rotated.read_bytes()) == b"line one\n"
    assert not Path(f"{inst.maillog}.rot-{time.strftime('%Y')}").exists()

    status, out = postfix(inst, "logrotate")       # nothing to rotate now
    assert status == 1
    assert f"{MSG}: fatal: logfile '{inst.maillog}' rotation failed: mv: " in out


def test_logrotate_refusals(inst):
    status, out = postfix(inst, "logrotate", "extra")
    assert status == 1
    assert out.endswith(f"{MSG}: fatal: usage: postfix logrotate (no arguments)\n")
    inst.write_main_cf(maillog_file="/dev/stdout",
                       maillog_file_prefixes="/dev/stdout")
    status, out = postfix(inst, "logrotate")
    assert status == 1
    assert f"{MSG}: fatal: not rotating '/dev/stdout'" in out
    inst.write_main_cf(maillog_file=inst.maillog, maillog_file_prefixes=inst.base,
                       maillog_file_compressor="")
    status, out = postfix(inst, "logrotate")
    assert status == 1
    assert (f"{MSG}: fatal: empty 'maillog_file_compressor' parameter value "
            "- logfile rotation failed") in out


# ------------------------------------------------------------ multi-instance

WRAPPER = """#!/bin/sh
printf '%s\\n' "$@" > "{out}"
echo "MAIL_CONFIG=$MAIL_CONFIG" >> "{out}"
exit 7
"""


def run_as_default_instance(inst, *args):
    """Run postfix without -c, with inst's config bound over the built-in
    default config_directory (/etc/postfix) in a private mount namespace."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare(1)")
    if not Path("/etc/postfix").is_dir():
        pytest.skip("no /etc/postfix to bind over")
    inst.write_main_cf(config_directory="/etc/postfix")
    script = ('mount --bind "$1" /etc/postfix || exit 99; shift; exec "$@"')
    argv = ["unshare", "-m", "sh", "-c", script, "sh", str(inst.config_dir),
            str(inst.sbin / "postfix"), *args]
    status, out = run_tty(argv, env=inst.env())
    if status == 99:
        pytest.skip("cannot bind-mount here: " + out)
    return status, out


def test_multi_instance_dispatch_to_wrapper(inst, tmp_path):
    out_file = tmp_path / "wrapper.out"
    wrapper = tmp_path / "wrapper"
    wrapper.write_text(WRAPPER.format(out=out_file))
    wrapper.chmod(0o755)
    inst.write_main_cf(multi_instance_directories=tmp_path / "other",
                       multi_instance_wrapper=f"{wrapper} -p")
    status, out = run_as_default_instance(inst, "status", "x")
    assert status == 7, out
    assert out_file.read_text() == "-p\nstatus\nx\nMAIL_CONFIG=/etc/postfix\n"

    inst.write_main_cf(multi_instance_wrapper="")
    status, out = run_as_default_instance(inst, "status")
    assert status == 1
    assert out == ("postfix: fatal: multi-instance support is requested, but "
                   "multi_instance_wrapper is empty\n")


def test_explicit_instance_skips_wrapper(inst, tmp_path, fake_master):
    out_file = tmp_path / "wrapper.out"
    wrapper = tmp_path / "wrapper"
    wrapper.write_text(WRAPPER.format(out=out_file))
    wrapper.chmod(0o755)
    inst.write_main_cf(multi_instance_directories=tmp_path / "other",
                       multi_instance_wrapper=wrapper)
    status, out = postfix(inst, "status")           # -c: this instance only
    assert status == 1
    assert out == NOT_RUNNING + "\n"
    assert not out_file.exists()
    env = inst.env()
    env["MAIL_CONFIG"] = str(inst.config_dir)       # likewise
    status, out = run_tty([str(inst.sbin / "postfix"), "status"], env=env)
    assert status == 1
    assert out == NOT_RUNNING + "\n"
    assert not out_file.exists()
    status, out = postfix(inst, "start-fg")
    assert status == 1
    assert out.endswith(f"{MSG}: fatal: start-fg does not support "
                        "multi_instance_directories\n")


# ------------------------------------------------------------ with a stand-in master

def test_fake_master_status_stop_reload_abort(inst, fake_master):
    log = fake_master
    status, out = postfix(inst, "status")
    assert (status, out) == (1, NOT_RUNNING + "\n")
    for command in ("stop", "abort", "reload"):
        status, out = postfix(inst, command)
        assert (status, out) == (1, f"{MSG}: fatal: the Postfix mail system is not running\n")

    status, out = postfix(inst, "start")
    assert status == 0, out
    assert out.endswith(f"{MSG}: starting the Postfix mail system\n")
    pid = inst.master_pid()
    assert pid
    status, out = postfix(inst, "status")
    assert (status, out) == (0, f"{MSG}: the Postfix mail system is running: PID: {pid}\n")
    status, out = postfix(inst, "start")
    assert status == 1
    assert out == f"{MSG}: fatal: the Postfix mail system is already running\n"

    status, out = postfix(inst, "reload")
    assert (status, out) == (0, f"{MSG}: refreshing the Postfix mail system\n")
    assert wait_until(lambda: "SIGHUP" in log.read_text())

    status, out = postfix(inst, "stop")
    assert (status, out) == (0, f"{MSG}: stopping the Postfix mail system\n")
    assert "SIGTERM" in log.read_text()
    assert inst.master_pid() is None

    status, out = postfix(inst, "start")
    assert status == 0, out
    status, out = postfix(inst, "abort")
    assert (status, out) == (0, f"{MSG}: aborting the Postfix mail system\n")
    assert wait_until(lambda: "SIGINT" in log.read_text())
    assert log.read_text().count("master -w") == 2


def ignore_interrupts():
    """In the child: ignore SIGINT and SIGQUIT, as a background job does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)


# A job started in the background of a non-interactive shell (CI, nohup,
# cron) inherits SIGINT ignored; a shell cannot trap a signal ignored at
# its start, so postfix(1) must give start-fg's script the defaults.
@pytest.mark.parametrize("inherited", ["default", "ignored"])
def test_fake_master_start_fg(inst, fake_master, inherited):
    log = fake_master
    argv = [str(inst.sbin / "postfix"), "-c", str(inst.config_dir), "start-fg"]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=inst.env(),
                            preexec_fn=ignore_interrupts
                            if inherited == "ignored" else None)
    try:
        assert wait_until(lambda: inst.master_pid() is not None)
        assert "master -s" in log.read_text()
        assert proc.poll() is None                  # still in the foreground
        proc.send_signal(signal.SIGINT)             # Ctrl-C
        assert proc.wait(timeout=10) == 0
        assert "SIGTERM" in log.read_text()         # passed on as a stop
        assert inst.master_pid() is None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------ postfix-files

def postfix_files_entries(path):
    entries = []
    for line in Path(path).read_text().splitlines():
        if not line.startswith("$"):
            continue
        fields = (line.split(":") + [""] * 6)[:6]
        entries.append(fields)
    return entries


def build_option(name):
    """The value of a meson option of the build under test."""
    import json
    options = json.loads(subprocess.run(
        ["meson", "introspect", "--buildoptions", str(BUILD)],
        capture_output=True, text=True, check=True, timeout=60).stdout)
    return {o["name"]: o["value"] for o in options}[name]


def test_postfix_files_matches_install(install_root):
    """Every installed command and daemon has an entry, and every entry
    without the "m" flag is installed."""
    entries = postfix_files_entries(install_root / "etc/postfix/postfix-files")
    dirs = {"$command_directory": install_root / "usr/sbin",
            "$daemon_directory": install_root / "usr/libexec/postfix",
            "$config_directory": install_root / "etc/postfix",
            "$meta_directory": install_root / "etc/postfix",
            "$manpage_directory": install_root / "usr/share/man"}
    paths = {f"${name}": install_root / build_option(name).lstrip("/")
             for name in ("sendmail_path", "mailq_path", "newaliases_path")}
    listed = set()
    for name, ftype, owner, group, mode, flags in entries:
        assert ftype in "dfhl" and len(ftype) == 1, name
        if ftype != "f":
            continue
        assert re.fullmatch(r"[0-7]{3,4}", mode), name
        top, _, rest = name.partition("/")
        if name in paths:
            path = paths[name]
        elif top not in dirs:
            continue
        else:
            path = dirs[top] / rest
        listed.add(path)
        if "m" not in flags:
            assert path.exists(), f"{name} is listed but not installed"
    for d in (install_root / "usr/sbin", install_root / "usr/libexec/postfix"):
        for path in d.iterdir():
            assert path in listed, f"{path.name} is installed but not in postfix-files"


# ------------------------------------------------------------ with the real master
# (As root, the daemons that master starts run as mail_owner: marked
# "accounts", see conftest.py.)

@pytest.mark.accounts
def test_start_status_reload_stop(inst):
    need_master(inst)
    status, out = postfix(inst, "status")
    assert (status, out) == (1, NOT_RUNNING + "\n")
    status, out = postfix(inst, "start")
    assert status == 0, out
    assert f"{MSG}: starting the Postfix mail system" in out
    pid = inst.master_pid()
    assert pid
    status, out = postfix(inst, "status")
    assert (status, out) == (0, f"{MSG}: the Postfix mail system is running: PID: {pid}\n")
    status, out = postfix(inst, "start")
    assert (status, out) == (1, f"{MSG}: fatal: the Postfix mail system is already running\n")
    status, out = postfix(inst, "reload")
    assert (status, out) == (0, f"{MSG}: refreshing the Postfix mail system\n")
    inst.wait_for_log("reload")
    status, out = postfix(inst, "stop")
    assert (status, out) == (0, f"{MSG}: stopping the Postfix mail system\n")
    assert wait_until(lambda: process_gone(pid))
    status, out = postfix(inst, "status")
    assert (status, out) == (1, NOT_RUNNING + "\n")
    log = inst.log_text()
    assert "postfix/master[" in log and "daemon started" in log
    if (inst.sbin / "postlog").exists():        # the script logs through it
        assert re.search(rf"{MSG}\[\d+\]: starting the Postfix mail system", log)


@pytest.mark.accounts
def test_abort(inst):
    need_master(inst)
    status, out = postfix(inst, "start")
    assert status == 0, out
    pid = inst.master_pid()
    status, out = postfix(inst, "abort")
    assert (status, out) == (0, f"{MSG}: aborting the Postfix mail system\n")
    assert wait_until(lambda: process_gone(pid))
    status, out = postfix(inst, "status")
    assert status == 1


@pytest.mark.accounts
def test_start_fg_in_foreground(inst):
    need_master(inst)
    argv = [str(inst.sbin / "postfix"), "-c", str(inst.config_dir), "start-fg"]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=inst.env())
    try:
        assert wait_until(lambda: inst.master_pid() is not None, timeout=20)
        assert proc.poll() is None
        status, out = postfix(inst, "status")
        assert status == 0, out
        status, out = postfix(inst, "stop")
        assert status == 0, out
        assert proc.wait(timeout=20) == 0
        # Again, stopped with an interrupt (Ctrl-C) this time.
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=inst.env())
        assert wait_until(lambda: postfix(inst, "status")[0] == 0, timeout=20)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        assert postfix(inst, "status")[0] == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.accounts
def test_maillog_written_and_rotated(inst):
    need_master(inst)
    inst.write_main_cf(maillog_file_rotate_suffix="r%Y%m%d%H%M%S")
    status, out = postfix(inst, "start")
    assert status == 0, out
    inst.wait_for_log("daemon started")
    status, out = postfix(inst, "logrotate")
    assert status == 0, out
    rotated = list(inst.base.glob("maillog.r*.gz"))
    assert len(rotated) == 1
    assert b"daemon started" in gzip.decompress(rotated[0].read_bytes())
    # postlogd writes to a new file after the reload that logrotate sent.
    status, out = postfix(inst, "reload")
    assert status == 0, out
    text = inst.wait_for_log("reload -- version")
    assert "daemon started" not in text
    status, out = postfix(inst, "stop")
    assert status == 0, out


# ------------------------------------------------------------ make run

def test_make_run_prepares_instance(shared_tmp):
    """scripts/run.sh installs, configures and checks a private instance
    (as root one that mail_owner can reach)."""
    base = shared_tmp
    env = dict(os.environ, BUILD=str(BUILD), POSTEL_RUN_DIR=str(base / "run"),
               POSTEL_RUN_NO_START="1")
    env.pop("MAIL_CONFIG", None)
    result = subprocess.run([str(REPO / "scripts/run.sh")], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    run = base / "run"
    main = (run / "etc/main.cf").read_text()
    owner = "postfix" if os.geteuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
    for line in (f"queue_directory = {run}/spool",
                 f"data_directory = {run}/lib",
                 f"daemon_directory = {run}/root/usr/libexec/postfix",
                 f"command_directory = {run}/root/usr/sbin",
                 f"mail_owner = {owner}",
                 "maillog_file = /dev/stdout",
                 "inet_interfaces = 127.0.0.1"):
        assert line in main.splitlines(), line
    assert re.search(r"^postlog +unix-dgram .*postlogd$",
                     (run / "etc/master.cf").read_text(), re.M)
    st = os.stat(run / "spool/maildrop")
    assert stat.S_IMODE(st.st_mode) == 0o1730
    assert pwd.getpwuid(st.st_uid).pw_name == owner
    assert "instance ready" in result.stdout


def test_multi_instance_start_status_stop_through_postmulti(privileged_instance,
                                                           install_root,
                                                           shared_tmp):
    """The default instance hands start/status/stop to postmulti, which
    runs them for itself and an enabled second instance."""
    inst = privileged_instance
    need_master(inst)
    if not (inst.sbin / "postmulti").exists():
        pytest.skip("postmulti(1) is not in this build yet")
    base = shared_tmp / "second"
    base.mkdir(mode=0o755)
    second = None
    try:
        (base / "shlib").mkdir()        # postmulti wants it to exist
        second = Instance(base, install_root, privileged=True)
        second.write_main_cf(multi_instance_name="postfix-b",
                             multi_instance_enable="yes",
                             shlib_directory=base / "shlib")
        status, out = postfix(second, "set-permissions")
        assert status == 0, out
        inst.write_main_cf(multi_instance_directories=second.config_dir,
                           multi_instance_wrapper=f"{inst.sbin}/postmulti -p --",
                           multi_instance_enable="yes",
                           shlib_directory=base / "shlib")
        status, out = run_as_default_instance(inst, "start")
        assert status == 0, out
        assert inst.master_pid() and second.master_pid()
        status, out = run_as_default_instance(inst, "status")
        assert status == 0, out
        assert out == (f"{MSG}: the Postfix mail system is running: PID: "
                       f"{inst.master_pid()}\n"
                       "postfix-b/postfix-script: the Postfix mail system is "
                       f"running: PID: {second.master_pid()}\n")
        status, out = run_as_default_instance(inst, "stop")
        assert status == 0, out
        status, out = run_as_default_instance(inst, "status")
        assert status == 1
        assert NOT_RUNNING in out
        assert "postfix-b/postfix-script: the Postfix mail system is not running" in out
    finally:
        if second:
            second.stop_everything()


def test_postfix_files_names_sendmail_path(install_root):
    """postfix-files names sendmail as Postfix's does ($sendmail_path, mailq
    a link to it), and the build installs it there (meson option
    sendmail_path)."""
    values = {name: build_option(name)
              for name in ("sendmail_path", "mailq_path")}
    entries = (install_root / "etc/postfix/postfix-files").read_text()
    lines = [line for line in entries.splitlines()
             if "sendmail" in line and not line.startswith("#")]
    assert lines == ["$sendmail_path:f:root:-:755:m",
                     "$mailq_path:l:$sendmail_path"]
    for name in ("sendmail_path", "mailq_path"):
        path = install_root / values[name].lstrip("/")
        assert path.exists(), path
    assert (install_root / values["mailq_path"].lstrip("/")).resolve() == (
        install_root / values["sendmail_path"].lstrip("/")).resolve()
