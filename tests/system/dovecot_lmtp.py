"""A throwaway Dovecot LMTP server (Debian's dovecot-lmtpd) for the lmtp(8)
tests.

    with dovecot_lmtp(base, users=("alice", "bob")) as dc:
        dc.unix_path      the LMTP UNIX-domain socket (mode 0666)
        dc.port           the LMTP TCP port on 127.0.0.1
        dc.maildir(user)  that user's Maildir (Path)
        dc.messages(user) the messages delivered to the user (bytes,
                          new/ and cur/, in delivery order)
        dc.wait_messages(user, count, timeout=30) -> messages
        dc.log_text()     Dovecot's log

Everything lives under base/dovecot: a config file of its own (no
/etc/dovecot), base_dir, state_dir, the log file and the mail
(mail_location = maildir:<base>/dovecot/mail/%n/Maildir). Users come from
a passwd-file with the given names, all mapped to the account "nobody"
(auth_username_format %Ln: "alice@any.domain" is alice); any other
recipient gets Dovecot's "550 5.1.1 ... User doesn't exist". Only the
lmtp protocol runs, with ssl = no, a UNIX listener in base and an inet
listener on 127.0.0.1:<free port>. Dovecot is started with "dovecot -c
conf" (it backgrounds itself) and stopped with "doveadm stop" (then the
master's pid is killed if it is still there).

Dovecot's master must start as root (it switches to the users' ids):
the context manager skips the test otherwise, or without
/usr/sbin/dovecot and its "dovecot"/"dovenull" accounts.
"""

import contextlib
import os
import pwd
import re
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import process_alive, wait_until
from ports import free_port

DOVECOT = Path("/usr/sbin/dovecot")
DOVEADM = Path("/usr/bin/doveadm")
LMTP_BINARY = Path("/usr/lib/dovecot/lmtp")

CONFIG = """\
base_dir = {top}/run
state_dir = {top}/state
log_path = {top}/dovecot.log
info_log_path = {top}/dovecot.log
debug_log_path = {top}/dovecot.log
protocols = lmtp
ssl = no
listen = 127.0.0.1
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
mail_location = maildir:{top}/mail/%n/Maildir
auth_username_format = %Ln
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
last_valid_gid = {gid}
passdb {{
  driver = passwd-file
  args = {top}/users
}}
userdb {{
  driver = passwd-file
  args = {top}/users
}}
service lmtp {{
  unix_listener {socket} {{
    mode = 0666
  }}
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {port}
  }}
}}
"""


def usable():
    """Can a throwaway Dovecot run here?"""
    if os.geteuid() != 0 or not DOVECOT.exists() \
            or not LMTP_BINARY.exists():
        return False
    try:
        for name in ("dovecot", "dovenull", "nobody"):
            pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class Dovecot:
    """A running throwaway Dovecot; see the module docstring."""

    def __init__(self, top, port):
        self.top = top
        self.config = top / "dovecot.conf"
        self.unix_path = str(top / "lmtp.sock")
        self.port = port

    def maildir(self, user):
        return self.top / "mail" / user / "Maildir"

    def messages(self, user):
        """The user's messages, new/ and cur/, in delivery order (by the
        seconds and microseconds in the Maildir file name)."""
        out = []
        for sub in ("new", "cur"):
            folder = self.maildir(user) / sub
            if folder.is_dir():
                out += [(_arrival(p.name), p.read_bytes())
                        for p in folder.iterdir()]
        return [data for _, data in sorted(out)]

    def wait_messages(self, user, count, timeout=30.0):
        """Wait until user has count messages; return them."""
        try:
            wait_until(lambda: len(self.messages(user)) >= count,
                       f"{count} messages for {user}", timeout)
        except AssertionError as e:
            raise AssertionError(f"{e}; dovecot log:\n"
                                 + self.log_text()[-2000:]) from None
        return self.messages(user)

    def log_text(self):
        try:
            return (self.top / "dovecot.log").read_text(errors="replace")
        except OSError:
            return ""

    def master_pid(self):
        try:
            return int((self.top / "run/master.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None


def _arrival(name):
    """(seconds, microseconds, name) of a Dovecot Maildir file name
    "<sec>.M<usec>P<pid>.<host>..."."""
    m = re.match(r"(\d+)\.M(\d+)P", name)
    return (int(m.group(1)), int(m.group(2)), name) if m else (0, 0, name)


def _listening(port):
    """Is something listening on 127.0.0.1:port? (from /proc)"""
    want = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as f:
        return any(row.split()[1] == want and row.split()[3] == "0A"
                   for row in list(f)[1:])


@contextlib.contextmanager
def dovecot_lmtp(base, users=("alice",)):
    """Start a throwaway Dovecot LMTP server under base; stop it after."""
    if not usable():
        pytest.skip("needs root and Debian's dovecot-lmtpd")
    top = Path(base) / "dovecot"
    for sub in ("run", "state", "mail"):
        (top / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(top, 0o755)
    nobody = pwd.getpwnam("nobody")
    os.chown(top / "mail", nobody.pw_uid, nobody.pw_gid)
    (top / "users").write_text("".join(
        f"{u}::{nobody.pw_uid}:{nobody.pw_gid}::{top}/mail/{u}::\n"
        for u in users))
    port = free_port()
    dc = Dovecot(top, port)
    dc.config.write_text(CONFIG.format(top=top, uid=nobody.pw_uid,
                                       gid=nobody.pw_gid, port=port,
                                       socket=dc.unix_path))
    # The daemon keeps its stdout and stderr: never a pipe to wait on.
    with open(top / "start.err", "w+") as err:
        result = subprocess.run([str(DOVECOT), "-c", str(dc.config)],
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err,
                                timeout=60)
        err.seek(0)
        errors = err.read()
    try:
        assert result.returncode == 0, errors + dc.log_text()
        try:
            wait_until(lambda: os.path.exists(dc.unix_path)
                       and _listening(port), "dovecot's listeners", 30)
        except AssertionError as e:
            raise AssertionError(f"{e}:\n{dc.log_text()[-2000:]}") from None
        yield dc
    finally:
        pid = dc.master_pid()
        subprocess.run([str(DOVEADM), "-c", str(dc.config), "stop"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        if pid:
            try:
                wait_until(lambda: not process_alive(pid), "dovecot to stop",
                           5)
            except AssertionError:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
