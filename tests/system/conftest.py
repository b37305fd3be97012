"""Shared fixtures for the system tests.

The build under test is $POSTEL_BUILD (default: ./build). Once per session
it is installed with "meson install --destdir" into a temporary tree
(install_root), so tests run the real installed layout: commands in
usr/sbin, daemons in usr/libexec/postfix, templates in etc/postfix. The
example daemons of tests/daemons, which are not installed, are staged next
to it (test_daemons).

Tests that run something as another account (as root: the mail_owner
"postfix", or "nobody") must not depend on where the checkout lives: a
clone in root's home is private (mode 0700), so that account cannot reach
the build tree or pytest's temporary directories. Everything such a test
gives the other account therefore lives under a directory made by
shared_tempdir(): a fresh directory under /tmp with mode 0755. The
session's install tree is one; the shared_tmp fixture gives each test its
own and removes it afterwards, also when the test fails. Every test that
uses shared_tmp (directly or through privileged_instance) gets the pytest
marker "accounts", as do tests marked by hand; scripts/check.sh runs
exactly these ("-m accounts") from a private copy of the tree.

An Instance is a private Postfix instance in a temporary directory with its
own config, queue and data directories. As an ordinary user everything runs
as that user (DESIGN.md section 5); PrivilegedInstance (root only) uses the
mail_owner account "postfix" and the setgid group "postdrop", which
scripts/deps.sh creates.
"""

import grp
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("POSTEL_BUILD", REPO / "build"))
SHARED_TOP = Path("/tmp")               # searchable by every account
ACCOUNT_FIXTURES = {"shared_tmp", "privileged_instance"}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "accounts: runs something as another account when run "
        "as root (scripts/check.sh runs these from a private checkout)")
    config.addinivalue_line(
        "markers", "serial: a heavy test (test_durability) that a quick "
        "run may leave out with -m 'not serial'")


def pytest_collection_modifyitems(config, items):
    """Mark the tests that stage files for another account."""
    for item in items:
        if ACCOUNT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.accounts)


def shared_tempdir(prefix):
    """A fresh directory under /tmp that every account can enter (0755)."""
    if not os.stat(SHARED_TOP).st_mode & 0o001:
        raise RuntimeError(f"{SHARED_TOP} is not searchable by every account")
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=SHARED_TOP))
    path.chmod(0o755)
    return path


def remove_tree(path):
    """rm -rf path, also where a test left a directory without write or
    search permission."""
    def retry(function, name, excinfo):
        parent = os.path.dirname(name)
        os.chmod(parent, os.stat(parent).st_mode | 0o700)
        if os.path.isdir(name) and not os.path.islink(name):
            os.chmod(name, os.stat(name).st_mode | 0o700)
            shutil.rmtree(name, onerror=retry)
        else:
            function(name)
    shutil.rmtree(path, onerror=retry)


@pytest.fixture(scope="session")
def stage_root():
    """The session's shared directory for the programs under test."""
    path = shared_tempdir("postel-stage-")
    yield path
    remove_tree(path)


@pytest.fixture(scope="session")
def install_root(stage_root):
    """Install the build under test into the shared stage; return its root."""
    root = stage_root / "install"
    subprocess.run(["meson", "install", "-C", str(BUILD), "--no-rebuild",
                    "--quiet", "--destdir", str(root)],
                   check=True, stdout=subprocess.DEVNULL)
    return root


def file_modes(root):
    """{path: (uid, gid, mode)} for every file and directory under root."""
    modes = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if not os.path.islink(path):
                modes[path] = (st.st_uid, st.st_gid, st.st_mode & 0o7777)
    return modes


@pytest.fixture(scope="session")
def install_modes(install_root):
    """Owners and modes of the installed tree as meson left them."""
    return file_modes(install_root)


@pytest.fixture(autouse=True)
def pristine_install(request, install_modes):
    """Give the shared installed tree back its owners and modes after each
    test. Instances use it as command_directory and daemon_directory, so a
    test's "postfix set-permissions" (as root) makes postdrop and postlog
    set-gid there, which would change what later tests see (a set-gid
    postdrop refuses another config directory for ordinary users)."""
    yield
    for path, (uid, gid, mode) in install_modes.items():
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue
        if (st.st_uid, st.st_gid) != (uid, gid):
            os.chown(path, uid, gid)
        if st.st_mode & 0o7777 != mode:
            os.chmod(path, mode)


@pytest.fixture(scope="session")
def test_daemons(stage_root):
    """Copies of the example daemons of tests/daemons in the shared stage."""
    path = stage_root / "daemons"
    path.mkdir()
    for name in ("test_single", "test_multi", "test_trigger"):
        shutil.copy2(BUILD / "tests/daemons" / name, path / name)
    return path


@pytest.fixture
def shared_tmp():
    """A fresh directory that every account can reach, for a test that runs
    something as another account; removed after the test."""
    path = shared_tempdir("postel-shared-")
    yield path
    remove_tree(path)


def wait_for_text(read, needle, timeout=10.0):
    """Wait until needle is in read() (a log); return that text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = read()
        if needle in text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} not logged within {timeout}s:\n"
                         + read()[-3000:])


def wait_until(predicate, what, timeout=10.0, interval=0.05):
    """Poll predicate until it returns a true value; return that value.
    Fail the test with "timed out waiting for <what>" after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


QUEUE_DIRS = ("pid", "private", "public", "incoming", "hold", "active",
              "deferred", "corrupt", "bounce", "defer", "trace")


def make_queue_dirs(queue, names=QUEUE_DIRS, owner=None):
    """Create queue subdirectories (mode 0700, public/ 0710); chown them
    to owner, a (uid, gid) pair, when given."""
    for name in names:
        path = queue / name
        path.mkdir(exist_ok=True)
        os.chmod(path, 0o710 if name == "public" else 0o700)
        if owner:
            os.lchown(path, *owner)


def chown_tree(root, uid, gid):
    """lchown root and everything below it."""
    for dirpath, dirnames, filenames in os.walk(root):
        os.lchown(dirpath, uid, gid)
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


def process_alive(pid):
    """Is pid a live process? A zombie is not: a daemonized master's
    parent is PID 1, which in a container need not reap it."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def child_pids(pid):
    """The live (not zombie) child processes of pid."""
    out = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[1]) == pid:
                out.add(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return out


def drop_inet_services(text: str) -> str:
    """master.cf text without its inet services (and their "-o" lines):
    a test instance must never listen on the template's port 25."""
    lines = []
    dropping = False
    for line in text.splitlines():
        if line[:1].isspace() and line.strip() \
                and not line.lstrip().startswith("#"):
            if not dropping:
                lines.append(line)
            continue
        words = line.split()
        dropping = (bool(words) and not line.startswith("#")
                    and len(words) > 1 and words[1] == "inet")
        if not dropping:
            lines.append(line)
    return "\n".join(lines) + "\n"


class Instance:
    """A private instance: directories, config files and command helpers."""

    def __init__(self, base: Path, root: Path, privileged: bool = False):
        self.base = base
        self.root = root
        self.privileged = privileged
        self.config_dir = base / "etc"
        self.queue_dir = base / "spool"
        self.data_dir = base / "lib"
        self.sbin = root / "usr/sbin"
        self.libexec = root / "usr/libexec/postfix"
        self.maillog = base / "maillog"
        for d in (self.config_dir, self.queue_dir, self.data_dir):
            d.mkdir(parents=True, exist_ok=True)
        templates = root / "etc/postfix"
        for name in ("master.cf", "postfix-files"):
            if (templates / name).exists():
                shutil.copy(templates / name, self.config_dir / name)
        master_cf = self.config_dir / "master.cf"
        if master_cf.exists():
            master_cf.write_text(drop_inet_services(master_cf.read_text()))
        if privileged:
            self.owner, self.group = "postfix", "postdrop"
        else:
            self.owner = pwd.getpwuid(os.getuid()).pw_name
            self.group = grp.getgrgid(os.getgid()).gr_name
        self.settings = {
            "queue_directory": str(self.queue_dir),
            "data_directory": str(self.data_dir),
            "daemon_directory": str(self.libexec),
            "command_directory": str(self.sbin),
            "meta_directory": str(self.config_dir),
            "shlib_directory": str(root / "usr/lib/postfix"),
            # postfix-files names $sendmail_path (as Postfix's does): never
            # the host's /usr/sbin/sendmail for check/set-permissions.
            "sendmail_path": str(self.sbin / "sendmail"),
            "mailq_path": str(root / "usr/bin/mailq"),
            "newaliases_path": str(root / "usr/bin/newaliases"),
            "mail_owner": self.owner,
            "setgid_group": self.group,
            "myhostname": "test.example",
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "maillog_file": str(self.maillog),
            "maillog_file_prefixes": str(base),
            # Never the host's /etc/aliases: as root, "postfix check" would
            # rebuild a legacy /etc/aliases.db into /etc/aliases.lmdb.
            "alias_maps": f"hash:{self.config_dir}/aliases",
            "alias_database": f"hash:{self.config_dir}/aliases",
            # Without qmgr nobody hands out flow-control tokens, and every
            # smtpd/qmqpd connection would first wait in_flow_delay (1s).
            "in_flow_delay": "0s",
        }
        self.write_main_cf()

    def write_main_cf(self, **extra):
        """(Re)write main.cf from the base settings plus extra ones."""
        self.settings.update({k: str(v) for k, v in extra.items()})
        text = "".join(f"{k} = {v}\n" for k, v in self.settings.items())
        (self.config_dir / "main.cf").write_text(text)

    def write_master_cf(self, text: str):
        (self.config_dir / "master.cf").write_text(text)

    def env(self):
        env = dict(os.environ)
        env.pop("MAIL_CONFIG", None)
        return env

    def run(self, command, *args, check=False, timeout=60, input=None):
        """Run an installed command with -c <config_dir>; return the result."""
        path = self.sbin / command
        if not path.exists():
            path = self.libexec / command
        argv = [str(path), "-c", str(self.config_dir), *map(str, args)]
        return subprocess.run(argv, capture_output=True, text=True,
                              timeout=timeout, check=check, input=input,
                              env=self.env())

    def postconf(self, *args, **kw):
        return self.run("postconf", *args, **kw)

    def log_text(self):
        return self.maillog.read_text() if self.maillog.exists() else ""

    def wait_for_log(self, needle, timeout=10.0):
        """Wait until needle appears in the maillog; return the log text."""
        return wait_for_text(self.log_text, needle, timeout)

    def master_pid(self):
        pid_file = self.queue_dir / "pid/master.pid"
        try:
            return int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop_everything(self):
        """Best-effort cleanup: stop master and kill leftover processes."""
        pid = self.master_pid()
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
                for _ in range(100):
                    if not process_alive(pid):
                        return
                    time.sleep(0.05)
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture
def instance(tmp_path, install_root):
    """An unprivileged instance (runs as the current user)."""
    inst = Instance(tmp_path, install_root)
    yield inst
    inst.stop_everything()


@pytest.fixture
def privileged_instance(shared_tmp, install_root):
    """A root-started instance using mail_owner=postfix (root only), in a
    directory that mail_owner can reach."""
    if os.geteuid() != 0:
        pytest.skip("privileged tests need root")
    for name in ("postfix",):
        try:
            pwd.getpwnam(name)
        except KeyError:
            pytest.skip("mail_owner account 'postfix' missing (run make deps)")
    inst = Instance(shared_tmp, install_root, privileged=True)
    yield inst
    inst.stop_everything()


@pytest.fixture(scope="module")
def mta_sides(install_root):
    """mta_pair.SharedSides: Debian's mail system and ours, each started
    by the module's first case and kept running (reconfigured and with
    empty queues) for its other cases; stopped after the module (per
    xdist worker)."""
    from mta_pair import SharedSides
    sides = SharedSides(install_root)
    yield sides
    sides.close()
