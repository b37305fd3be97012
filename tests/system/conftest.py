"""Shared fixtures for the system tests.

The build under test is $POSTEL_BUILD (default: ./build). Once per session
it is installed with "meson install --destdir" into <build>/test-install, so
tests run the real installed layout: commands in usr/sbin, daemons in
usr/libexec/postfix, templates in etc/postfix.

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


@pytest.fixture(scope="session")
def install_root():
    """Install the build under test into a private tree; return its root."""
    root = BUILD / "test-install"
    if root.exists():
        shutil.rmtree(root)
    subprocess.run(["meson", "install", "-C", str(BUILD), "--no-rebuild",
                    "--quiet", "--destdir", str(root)],
                   check=True, stdout=subprocess.DEVNULL)
    return root


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
            "mail_owner": self.owner,
            "setgid_group": self.group,
            "myhostname": "test.example",
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "maillog_file": str(self.maillog),
            "maillog_file_prefixes": str(base),
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_text()
            if needle in text:
                return text
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} not logged within {timeout}s:\n"
                             + self.log_text()[-3000:])

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
                    os.kill(pid, 0)
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
def privileged_instance(tmp_path_factory, install_root):
    """A root-started instance using mail_owner=postfix (root only)."""
    if os.geteuid() != 0:
        pytest.skip("privileged tests need root")
    for name in ("postfix",):
        try:
            pwd.getpwnam(name)
        except KeyError:
            pytest.skip("mail_owner account 'postfix' missing (run make deps)")
    base = tmp_path_factory.mktemp("priv")
    os.chmod(base, 0o755)
    # pytest's temporary root is private (0700); mail_owner must be able to
    # pass through it to reach the queue and data directories.
    for parent in base.parents:
        if parent == Path(tempfile.gettempdir()) or parent == parent.parent:
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o111)
    inst = Instance(base, install_root, privileged=True)
    yield inst
    inst.stop_everything()
