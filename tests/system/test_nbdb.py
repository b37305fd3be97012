"""System tests for existing hash: and btree: tables (docs/internals/non-bdb.md).

The drop-in tests make a throwaway configuration directory the way Debian's
postfix package makes /etc/postfix (main.cf from main.cf.debian and
main.cf.tls plus the settings that its postinst adds, Debian's own
master.cf), with this test's queue and data directories, 127.0.0.1 and a
free port instead of port 25. The alias and virtual tables are built by
Debian's own postalias and postmap, so their .db files are real Berkeley DB
files. Then our programs run on that directory with no manual step: our
postmap -q and postalias -q answer after "postfix check" or "postfix
start", and a daemon (tests/daemons/test_single, "lookup") gets its answer
through the nbdb_reindexd service that master(8) provides by itself. The
refusal cases of the safety policy and their log lines are checked too.

Modes: privileged (root only: master as root, mail_owner postfix, tables
owned by root) and unprivileged (everything runs as one account: the
current user, or "postfix" when the tests run as root; tables owned by that
account). The Debian-dependent tests are skipped when /usr/sbin/postmap is
not installed. The "postfix non-bdb" tests need nothing from Debian.
"""

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from test_master import Client, free_port, proc_alive, wait_until

# Every test here runs programs as the mail_owner when run as root.
pytestmark = pytest.mark.accounts

IS_ROOT = os.geteuid() == 0
DEBIAN_POSTMAP = Path("/usr/sbin/postmap")
DEBIAN_POSTALIAS = Path("/usr/sbin/postalias")
DEBIAN_SHARE = Path("/usr/share/postfix")
DEBIAN_MASTER_CF = [Path("/etc/postfix/master.cf"),
                    DEBIAN_SHARE / "master.cf.dist"]
DEBIAN_MAIN_DIST = [DEBIAN_SHARE / "main.cf.dist",
                    Path("/etc/postfix/main.cf.proto")]
BDB_HASH_MAGIC = (0x00061561).to_bytes(4, "little")
need_debian = pytest.mark.skipif(not DEBIAN_POSTMAP.exists(),
                                 reason="Debian's /usr/sbin/postmap is missing")

VIRTUAL = "user1@example.com local1\nuser2@example.com local2\n"
ALIASES = "postmaster: root\nabuse: postmaster\n"
RELOCATED = "old@example.com new@example.net\n"


def first_existing(paths):
    for path in paths:
        if path.exists():
            return path
    pytest.skip(f"none of {', '.join(map(str, paths))} exists")


class DropIn:
    """A configuration directory in Debian's shape, and our programs on it."""

    def __init__(self, install_root, daemons, privileged):
        self.privileged = privileged
        self.base = Path(tempfile.mkdtemp(prefix="postel-nbdb-", dir="/tmp"))
        os.chmod(self.base, 0o755)
        self.etc = self.base / "etc"
        self.spool = self.base / "spool"
        self.lib = self.base / "lib"
        self.libexec = self.base / "libexec"
        self.deb = self.base / "debian"
        self.outside = self.base / "outside"
        for d in (self.etc, self.spool, self.lib, self.libexec, self.deb,
                  self.outside):
            d.mkdir()
        # Our commands, copied: the installed tree is shared with other
        # tests, whose set-permissions may make postlog set-gid (which then
        # ignores MAIL_CONFIG when an ordinary user runs it).
        self.sbin = self.base / "sbin"
        self.sbin.mkdir()
        for prog in (install_root / "usr/sbin").iterdir():
            shutil.copyfile(prog, self.sbin / prog.name)
            os.chmod(self.sbin / prog.name, 0o755)
        for prog in (install_root / "usr/libexec/postfix").iterdir():
            (self.libexec / prog.name).symlink_to(prog)
        (self.libexec / "test_single").symlink_to(daemons / "test_single")
        self.maillog = self.base / "maillog"
        if privileged:
            self.owner, self.group = "postfix", "postdrop"
            self.run_as = None
        elif IS_ROOT:
            self.owner = "postfix"
            self.group = grp.getgrgid(pwd.getpwnam("postfix").pw_gid).gr_name
            pw = pwd.getpwnam("postfix")
            self.run_as = (pw.pw_uid, pw.pw_gid)
        else:
            self.owner = pwd.getpwuid(os.getuid()).pw_name
            self.group = grp.getgrgid(os.getgid()).gr_name
            self.run_as = None
        self.uid = pwd.getpwnam(self.owner).pw_uid if not privileged else 0
        shutil.copy(install_root / "etc/postfix/postfix-files",
                    self.etc / "postfix-files")
        self.port = free_port()
        self.write_main_cf()
        self.write_master_cf()
        self.write_debian_build_config()
        if privileged:
            # As Debian installs /var/lib/postfix.
            pw = pwd.getpwnam("postfix")
            os.chown(self.lib, pw.pw_uid, pw.pw_gid)
        if self.run_as:
            for dirpath, dirnames, filenames in os.walk(self.base):
                os.lchown(dirpath, *self.run_as)
                for name in dirnames + filenames:
                    os.lchown(os.path.join(dirpath, name), *self.run_as)

    # Configuration, as Debian's package writes it.
    def write_main_cf(self):
        text = (DEBIAN_SHARE / "main.cf.debian").read_text()
        if (DEBIAN_SHARE / "main.cf.tls").exists():
            text += (DEBIAN_SHARE / "main.cf.tls").read_text()
        settings = {
            # What Debian's postinst adds.
            "myhostname": "test.example",
            "alias_maps": f"hash:{self.etc}/aliases",
            "alias_database": f"hash:{self.etc}/aliases",
            "myorigin": "$myhostname",
            "mydestination": "$myhostname, localhost",
            "relayhost": "",
            "mynetworks": "127.0.0.0/8",
            "mailbox_size_limit": "0",
            "recipient_delimiter": "+",
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            # What an administrator adds.
            "virtual_alias_maps": "hash:$config_directory/virtual",
            "smtpd_client_restrictions":
                f"check_client_access hash:{self.outside}/access",
            # This test's directories and accounts.
            "queue_directory": str(self.spool),
            "data_directory": str(self.lib),
            "daemon_directory": str(self.libexec),
            "command_directory": str(self.sbin),
            "meta_directory": str(self.etc),
            "mail_owner": self.owner,
            "setgid_group": self.group,
            "maillog_file": str(self.maillog),
            "maillog_file_prefixes": str(self.base),
        }
        text += "".join(f"{k} = {v}\n" for k, v in settings.items())
        (self.etc / "main.cf").write_text(text)

    def write_master_cf(self):
        text = first_existing(DEBIAN_MASTER_CF).read_text()
        # Never port 25: the smtp service listens on a free port instead.
        text, count = re.subn(r"^smtp(\s+inet\s)", rf"127.0.0.1:{self.port}\1",
                              text, flags=re.M)
        assert count == 1
        assert "nbdb_reindexd" not in text
        text += "lookup unix - - n - - test_single -o max_use=1\n"
        (self.etc / "master.cf").write_text(text)

    def write_debian_build_config(self):
        """A main.cf for Debian's own postmap and postalias."""
        text = first_existing(DEBIAN_MAIN_DIST).read_text()
        text = re.sub(r"^(setgid_group|manpage_directory|sample_directory|"
                      r"html_directory|readme_directory|sendmail_path|"
                      r"newaliases_path|mailq_path|data_directory|"
                      r"queue_directory)\s*=.*$", "", text, flags=re.M)
        owner = "postfix" if IS_ROOT else self.owner
        text += ("setgid_group = postdrop\nhtml_directory = no\n"
                 "readme_directory = no\nmanpage_directory = /usr/share/man\n"
                 "sample_directory = /etc/postfix\n"
                 f"mail_owner = {owner}\n"
                 f"default_privs = {'daemon' if owner == 'nobody' else 'nobody'}\n"
                 f"data_directory = {self.lib}\n"
                 f"queue_directory = {self.spool}\n")
        (self.deb / "main.cf").write_text(text)

    # Running things as the instance's account.
    def _preexec(self):
        if self.run_as:
            os.setgroups([])
            os.setgid(self.run_as[1])
            os.setuid(self.run_as[0])

    def env(self):
        env = dict(os.environ)
        env.pop("MAIL_CONFIG", None)
        return env

    def run(self, program, *args, timeout=60):
        """Run our program (or Debian's, by absolute path)."""
        path = program if program.startswith("/") else str(self.sbin / program)
        config = self.deb if program.startswith("/") else self.etc
        return subprocess.run([path, "-c", str(config), *map(str, args)],
                              capture_output=True, text=True, timeout=timeout,
                              env=self.env(), preexec_fn=self._preexec)

    def debian_table(self, directory, name, text, program=DEBIAN_POSTMAP):
        """A source file and its Berkeley DB file, made by Debian's tools."""
        path = directory / name
        path.write_text(text)
        if self.run_as:
            os.chown(path, *self.run_as)
        r = self.run(str(program), f"hash:{path}")
        assert r.returncode == 0, r.stderr
        with open(f"{path}.db", "rb") as f:
            assert f.read(16)[12:16] == BDB_HASH_MAGIC, "not Berkeley DB hash"
        assert not Path(f"{path}.lmdb").exists()
        return path

    def log(self):
        return self.maillog.read_text() if self.maillog.exists() else ""

    def wait_log(self, needle, timeout=15):
        return wait_until(lambda: needle in self.log() and self.log(),
                          f"{needle!r} in the log", timeout=timeout)

    def master_pid(self):
        try:
            return int((self.spool / "pid/master.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def cleanup(self):
        pid = self.master_pid()
        if pid and proc_alive(pid):
            os.kill(pid, signal.SIGTERM)
            try:
                wait_until(lambda: not proc_alive(pid), "master to stop")
            except AssertionError:
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(params=["privileged", "unprivileged"])
def dropin(request, install_root, test_daemons):
    if request.param == "privileged" and not IS_ROOT:
        pytest.skip("privileged mode needs root")
    if IS_ROOT:
        try:
            pwd.getpwnam("postfix")
        except KeyError:
            pytest.skip("mail_owner account 'postfix' missing (run make deps)")
    d = DropIn(install_root, test_daemons, request.param == "privileged")
    yield d
    d.cleanup()


def running_line(program, table, command, uid, gid):
    return (f"postfix/{program}[", f"]: {table}: running \"{command}\" as "
            f"uid={uid} gid={gid}")


def logged(log, program, text):
    """text was logged by program (any pid)."""
    return re.search(rf"postfix/{re.escape(program)}\[\d+\]: {re.escape(text)}",
                     log) is not None


@need_debian
def test_drop_in_check_then_commands(dropin):
    """postfix check rebuilds the tables that main.cf names; postmap -q and
    postalias -q answer from them; a command as root or owner rebuilds."""
    d = dropin
    virtual = d.debian_table(d.etc, "virtual", VIRTUAL)
    aliases = d.debian_table(d.etc, "aliases", ALIASES, DEBIAN_POSTALIAS)
    relocated = d.debian_table(d.etc, "relocated", RELOCATED)
    access = d.debian_table(d.outside, "access", "10.0.0.1 REJECT\n")

    r = d.run("postfix", "check")
    assert r.returncode == 0, r.stderr
    log = d.log()
    ids = f"uid={os.getuid() if not d.run_as else d.run_as[0]}"
    assert logged(log, "postfix", f"hash:{aliases}: running \"postalias "
                  f"lmdb:{aliases}\" as {ids}")
    assert logged(log, "postfix", f"hash:{aliases}: created {aliases}.lmdb")
    assert logged(log, "postfix", f"hash:{virtual}: created {virtual}.lmdb")
    # Not named in the configuration: left alone.
    assert not Path(f"{relocated}.lmdb").exists()
    # Outside the allowed prefixes: refused, with a warning; check goes on.
    list_name = ("non_bdb_migration_allow_root_prefixes" if d.privileged
                 else "non_bdb_migration_allow_user_prefixes")
    assert logged(log, "postfix", f"warning: hash:{access}: not reindexed: "
                  f"source file {access} is not in {list_name}")
    assert not Path(f"{access}.lmdb").exists()
    # The data directory's btree: cache has no source: no message.
    assert "smtp_scache" not in log

    r = d.run("postmap", "-q", "user2@example.com", f"hash:{virtual}")
    assert (r.returncode, r.stdout, r.stderr) == (0, "local2\n", "")
    r = d.run("postalias", "-q", "abuse", f"hash:{aliases}")
    assert (r.returncode, r.stdout, r.stderr) == (0, "postmaster\n", "")
    r = d.run("postmap", "-s", f"hash:{virtual}")
    assert r.stdout == VIRTUAL.replace(" ", "\t")

    # A second check has nothing to do.
    before = d.log().count("running \"")
    assert d.run("postfix", "check").returncode == 0
    assert d.log().count("running \"") == before

    # A command run by the owner rebuilds a table that nothing named.
    r = d.run("postmap", "-q", "old@example.com", f"hash:{relocated}")
    assert (r.returncode, r.stdout) == (0, "new@example.net\n"), r.stderr
    assert f"hash:{relocated}: created {relocated}.lmdb" in r.stderr

    # The new files belong to the owner of the .db file, and keep the
    # source's read permissions.
    st = os.stat(f"{virtual}.lmdb")
    assert st.st_uid == os.stat(f"{virtual}.db").st_uid
    assert st.st_mode & 0o777 == 0o644


@need_debian
def test_drop_in_start_and_daemon_lookup(dropin):
    """After postfix start, a daemon's lookup of a table whose indexed file
    is missing is answered: master provides the nbdb_reindexd service, which
    rebuilds the file as the owner of the .db file, and logs it."""
    d = dropin
    d.debian_table(d.etc, "virtual", VIRTUAL)
    d.debian_table(d.etc, "aliases", ALIASES, DEBIAN_POSTALIAS)
    relocated = d.debian_table(d.etc, "relocated", RELOCATED)
    badperm = d.debian_table(d.etc, "badperm", "a@example.com b\n")
    os.chmod(badperm, 0o664)
    elsewhere = d.debian_table(d.outside, "elsewhere", "c@example.com d\n")

    r = d.run("postfix", "start")
    assert r.returncode == 0, r.stderr
    d.wait_log("daemon started")
    assert (d.spool / "private/nbdb_reindexd").exists()
    assert d.run("postmap", "-q", "user1@example.com",
                 f"hash:{d.etc}/virtual").stdout == "local1\n"

    c = Client.unix(d.spool / "private/lookup")
    answer = c.ask(f"lookup hash:{relocated} OLD@example.com")
    c.close()
    assert answer == "value new@example.net", d.log()[-3000:]
    uid = 0 if d.privileged else d.uid
    gid = 0 if d.privileged else pwd.getpwuid(d.uid).pw_gid
    log = d.wait_log(f"hash:{relocated}: created {relocated}.lmdb")
    assert logged(log, "nbdb_reindexd", f"hash:{relocated}: running "
                  f"\"postmap lmdb:{relocated}\" as uid={uid} gid={gid}")
    assert logged(log, "nbdb_reindexd",
                  f"hash:{relocated}: created {relocated}.lmdb")

    # Refusals reach the daemon as a lookup error with the reason.
    c = Client.unix(d.spool / "private/lookup")
    assert c.ask(f"lookup hash:{badperm} a@example.com") == "error"
    c.close()
    reason = f"source file {badperm} is group or other writable"
    log = d.wait_log(f"not reindexed: {reason}")
    assert logged(log, "nbdb_reindexd",
                  f"warning: hash:{badperm}: not reindexed: {reason}")
    # The daemon's own warning may reach the log after nbdb_reindexd's.
    log = d.wait_log(f"warning: hash:{badperm} is unavailable")
    assert logged(log, "test_single", f"warning: hash:{badperm} is "
                  f"unavailable. open database {badperm}.lmdb: No such file "
                  f"or directory; not reindexed: private/nbdb_reindexd: "
                  f"{reason}; {badperm}.db is a legacy Berkeley DB file")

    c = Client.unix(d.spool / "private/lookup")
    assert c.ask(f"lookup hash:{elsewhere} c@example.com") == "error"
    c.close()
    list_name = ("non_bdb_migration_allow_root_prefixes" if d.privileged
                 else "non_bdb_migration_allow_user_prefixes")
    d.wait_log(f"hash:{elsewhere}: not reindexed: source file {elsewhere} "
               f"is not in {list_name}")
    assert not Path(f"{badperm}.lmdb").exists()
    assert not Path(f"{elsewhere}.lmdb").exists()

    r = d.run("postfix", "stop")
    assert r.returncode == 0, r.stderr


@need_debian
def test_drop_in_redirect_only_and_disabled(dropin):
    """Below enable-reindex nothing is rebuilt: the hint, or Postfix's
    message for a build without Berkeley DB."""
    d = dropin
    virtual = d.debian_table(d.etc, "virtual", VIRTUAL)
    r = d.run("postfix", "non-bdb", "enable-redirect")
    assert r.returncode == 0, r.stderr
    assert d.run("postfix", "check").returncode == 0
    assert not Path(f"{virtual}.lmdb").exists()
    r = d.run("postmap", "-q", "user1@example.com", f"hash:{virtual}")
    assert r.returncode == 1
    assert r.stderr == (
        f"postmap: fatal: open database {virtual}.lmdb: No such file or "
        f"directory; {virtual}.db is a legacy Berkeley DB file: create "
        f"{virtual}.lmdb with \"postmap lmdb:{virtual}\" (\"postalias "
        f"lmdb:{virtual}\" for an aliases file) as the owner of {virtual}.db, "
        "or see postfix-non-bdb(1) for automatic reindexing\n")
    r = d.run("postfix", "non-bdb", "disable")
    assert r.returncode == 0, r.stderr
    r = d.run("postmap", "-q", "user1@example.com", f"hash:{virtual}")
    assert r.returncode == 1
    assert r.stderr == (
        f"postmap: fatal: Berkeley DB support for 'hash:{virtual}' is not "
        "available for this build; see https://www.postfix.org/"
        "NON_BERKELEYDB_README.html for alternatives\n")
    # Building still works the way Mailman and administrators run it.
    d.run("postfix", "non-bdb", "enable-reindex")
    r = d.run("postmap", f"hash:{virtual}")
    assert r.returncode == 0, r.stderr
    assert Path(f"{virtual}.lmdb").exists()


# "postfix non-bdb": edits and output.

@pytest.fixture
def pinst(request):
    """The instance that postfix(1) accepts for the current user."""
    if IS_ROOT:
        inst = request.getfixturevalue("privileged_instance")
    else:
        inst = request.getfixturevalue("instance")
    inst.write_main_cf(compatibility_level="3.6")
    return inst


def non_bdb(inst, *args):
    return inst.run("postfix", "non-bdb", *args)


def master_cf_entries(inst):
    return [line for line in (inst.config_dir / "master.cf").read_text()
            .splitlines() if line.split()[:1] == ["nbdb_reindexd"]]


def test_non_bdb_status_default(pinst):
    r = non_bdb(pinst, "status")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("non_bdb_migration_level = enable-reindex\n"
                        "hash: tables are served by lmdb:\n"
                        "btree: tables are served by lmdb:\n"
                        "nbdb_reindexd service: implicit master(8) entry\n")
    # status changes nothing
    assert not re.search(r"^non_bdb", (pinst.config_dir / "main.cf").read_text(),
                         re.M)


def test_non_bdb_subcommands_edit_main_and_master_cf(pinst):
    inst = pinst
    r = non_bdb(inst, "enable-reindex")
    assert r.returncode == 0, r.stderr
    assert inst.postconf("-h", "non_bdb_migration_level").stdout == \
        "enable-reindex\n"
    assert master_cf_entries(inst) == [
        "nbdb_reindexd unix -     n       n       -       1       nbdb_reindexd"]
    log = inst.log_text()
    assert (f"editing {inst.config_dir}/main.cf: setting "
            "non_bdb_migration_level = enable-reindex") in log
    assert (f"editing {inst.config_dir}/master.cf: adding the "
            "nbdb_reindexd/unix service") in log
    assert non_bdb(inst, "status").stdout.endswith(
        "nbdb_reindexd service: master.cf entry\n")
    # Twice: no second entry.
    assert non_bdb(inst, "enable-reindex").returncode == 0
    assert len(master_cf_entries(inst)) == 1

    r = non_bdb(inst, "enable-redirect")
    assert r.returncode == 0, r.stderr
    assert inst.postconf("-h", "non_bdb_migration_level").stdout == \
        "enable-redirect\n"
    assert master_cf_entries(inst) == []
    assert "#nbdb_reindexd unix" in (inst.config_dir / "master.cf").read_text()
    assert non_bdb(inst, "status").stdout == (
        "non_bdb_migration_level = enable-redirect\n"
        "hash: tables are served by lmdb:\n"
        "btree: tables are served by lmdb:\n"
        "nbdb_reindexd service: not used\n")

    r = non_bdb(inst, "disable")
    assert r.returncode == 0, r.stderr
    assert non_bdb(inst, "status").stdout == (
        "non_bdb_migration_level = disable\n"
        "hash: tables are not supported (no Berkeley DB)\n"
        "btree: tables are not supported (no Berkeley DB)\n"
        "nbdb_reindexd service: not used\n")


def test_non_bdb_custom_mapping_status(pinst):
    pinst.write_main_cf(non_bdb_custom_mapping="hash=cdb",
                        default_cache_db_type="cdb")
    assert non_bdb(pinst, "status").stdout.splitlines()[1:3] == [
        "hash: tables are served by cdb:", "btree: tables are served by cdb:"]


def test_non_bdb_refuses_berkeley_db_default_types(pinst):
    inst = pinst
    inst.write_main_cf(default_database_type="hash")
    before = (inst.config_dir / "main.cf").read_text()
    for sub in ("enable-redirect", "enable-reindex"):
        r = non_bdb(inst, sub)
        assert r.returncode == 1
        assert re.search(r"postfix/postfix-script\[\d+\]: fatal: "
                         "default_database_type = hash: not changing "
                         "anything; set default_database_type to lmdb or "
                         "cdb first", inst.log_text())
    assert (inst.config_dir / "main.cf").read_text() == before
    assert master_cf_entries(inst) == []


def test_non_bdb_usage(pinst):
    for args in ((), ("bogus",), ("status", "extra")):
        r = non_bdb(pinst, *args)
        assert r.returncode == 1
    assert ("fatal: usage: postfix non-bdb status|disable|enable-redirect|"
            "enable-reindex") in pinst.log_text()


def test_new_parameters_in_postconf_d(pinst):
    r = pinst.postconf("-d", "non_bdb_migration_level", "non_bdb_custom_mapping",
                       "non_bdb_migration_allow_root_prefixes",
                       "non_bdb_migration_allow_user_prefixes",
                       "default_cache_db_type")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "non_bdb_migration_level = enable-reindex\n"
        "non_bdb_custom_mapping =\n"
        "non_bdb_migration_allow_root_prefixes = $config_directory, "
        "/etc/aliases, /etc/mail/aliases\n"
        "non_bdb_migration_allow_user_prefixes = $config_directory, "
        "/var/lib/mailman, /var/lib/mailman3\n"
        "default_cache_db_type = lmdb\n")
