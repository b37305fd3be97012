"""System tests for master(8), the daemon skeletons and postlogd(8).

Each test starts the installed master(8) on a private instance whose
master.cf (written here) runs the example daemons of tests/daemons
(test_single, test_multi, test_trigger; they are not installed, conftest
stages copies) and the installed postlogd(8). The daemon_directory of the
instance is a private directory of symbolic links to both.

Modes:
- unprivileged (every test): master runs as an ordinary user that is also
  mail_owner. When the tests run as root, that user is "postfix" (master
  is started with its ids), so the mode is tested either way.
- privileged (root only): master runs as root, mail_owner is "postfix";
  daemons must switch to it and chroot when master.cf says so.

Instances live in shared_tmp directories (conftest.py) that the
mail_owner can reach wherever the checkout lives; every test here is
marked "accounts" through that fixture.
Every wait is bounded; every network endpoint is on 127.0.0.1 with a port
that the kernel picked as free.
"""

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

import conftest

from bounded_messages import HUGE, assert_bounded, quoted
from conftest import Instance, process_alive as proc_alive
from ports import free_port

IS_ROOT = os.geteuid() == 0
TIMEOUT = 10.0
POSTLOG = "postlog unix-dgram n - n - 1 postlogd\n"


def wait_until(predicate, what, timeout=TIMEOUT):
    return conftest.wait_until(predicate, what, timeout)


def children_of(pid):
    """{child pid: command line} of the live children of pid."""
    result = {}
    for child in conftest.child_pids(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as f:
                result[child] = f.read().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
    return result


class Client:
    """A line-oriented client connection to a test daemon."""

    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(TIMEOUT)
        self.buf = b""

    @classmethod
    def unix(cls, path):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT)
        sock.connect(str(path))
        return cls(sock)

    @classmethod
    def inet(cls, port):
        return cls(socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT))

    def send(self, line):
        self.sock.sendall(line.encode() + b"\n")

    def readline(self, timeout=TIMEOUT):
        self.sock.settimeout(timeout)
        while b"\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise EOFError("connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()

    def ask(self, line, timeout=TIMEOUT):
        self.send(line)
        return self.readline(timeout)

    def close(self):
        self.sock.close()


class Master:
    """A private instance, and the master(8) process that serves it."""

    def __init__(self, install_root, daemons, base, privileged):
        self.privileged = privileged
        self.base = base
        self.inst = Instance(self.base, install_root, privileged=privileged)
        self.master_path = install_root / "usr/libexec/postfix/master"
        self.libexec = self.base / "libexec"
        self.libexec.mkdir()
        for prog in (install_root / "usr/libexec/postfix").iterdir():
            (self.libexec / prog.name).symlink_to(prog)
        for name in ("test_single", "test_multi", "test_trigger"):
            (self.libexec / name).symlink_to(daemons / name)
        if IS_ROOT:
            self.owner = "postfix"
        else:
            self.owner = pwd.getpwuid(os.getuid()).pw_name
        pw = pwd.getpwnam(self.owner)
        self.uid, self.gid = pw.pw_uid, pw.pw_gid
        # Unprivileged as root: master runs as the mail_owner.
        self.run_as = (self.uid, self.gid) if IS_ROOT and not privileged else None
        self.inst.write_main_cf(mail_owner=self.owner,
                                setgid_group=grp.getgrgid(self.gid).gr_name,
                                daemon_directory=self.libexec,
                                service_throttle_time="2s")
        self.queue = self.inst.queue_dir
        for sub in ("pid", "private", "public"):
            (self.queue / sub).mkdir(exist_ok=True)
        os.chmod(self.queue / "private", 0o700)
        os.chmod(self.queue / "public", 0o710)
        if IS_ROOT and privileged:
            for sub in ("private", "public"):
                os.chown(self.queue / sub, self.uid, self.gid)
            os.chown(self.inst.data_dir, self.uid, self.gid)
        elif self.run_as:
            for dirpath, dirnames, filenames in os.walk(self.base):
                os.lchown(dirpath, self.uid, self.gid)
                for name in dirnames + filenames:
                    os.lchown(os.path.join(dirpath, name), self.uid, self.gid)
        self.triggers = self.base / "triggers"

    # Configuration.
    def master_cf(self, text, postlog=True):
        self.inst.write_master_cf((POSTLOG if postlog else "") + text)
        if self.run_as:
            os.lchown(self.inst.config_dir / "master.cf", *self.run_as)

    def main_cf(self, **settings):
        self.inst.write_main_cf(**settings)

    # Processes.
    def _preexec(self):
        if self.run_as:
            os.setgroups([])
            os.setgid(self.run_as[1])
            os.setuid(self.run_as[0])

    def run_master(self, *args, timeout=60, stdout=subprocess.PIPE, env=None):
        argv = [str(self.master_path), "-c", str(self.inst.config_dir), *args]
        return subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE,
                              text=True, timeout=timeout,
                              env=env or self.inst.env(),
                              preexec_fn=self._preexec)

    def start(self, *args):
        result = self.run_master("-w", *args)
        assert result.returncode == 0, result.stderr
        self.inst.wait_for_log("daemon started")
        return self.pid()

    def pid(self):
        return self.inst.master_pid()

    def stop(self):
        pid = self.pid()
        if pid and proc_alive(pid):
            os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not proc_alive(pid), "master to stop")

    def reload(self):
        count = self.log().count("reload -- version")
        os.kill(self.pid(), signal.SIGHUP)
        self.inst.wait_for_log("reload -- version")
        wait_until(lambda: self.log().count("reload -- version") > count,
                   "reload to be logged")

    def children(self):
        return children_of(self.pid())

    def service_pids(self, marker):
        return sorted(p for p, cmd in self.children().items() if marker in cmd)

    def log(self):
        return self.inst.log_text()

    def wait_log(self, needle, timeout=TIMEOUT):
        return self.inst.wait_for_log(needle, timeout)

    def private(self, name):
        return self.queue / "private" / name

    def public(self, name):
        return self.queue / "public" / name

    def trigger_lines(self):
        try:
            return self.triggers.read_text().splitlines()
        except OSError:
            return []

    def cleanup(self):
        """Kill master; the shared_tmp fixture removes the directory."""
        pid = self.pid()
        if pid and pid > 1 and proc_alive(pid):
            os.kill(pid, signal.SIGKILL)
            wait_until(lambda: not proc_alive(pid), "master to die")


@pytest.fixture
def umaster(install_root, test_daemons, shared_tmp):
    """Unprivileged mode: master runs as the mail_owner."""
    m = Master(install_root, test_daemons, shared_tmp, privileged=False)
    yield m
    m.cleanup()


@pytest.fixture
def pmaster(install_root, test_daemons, shared_tmp):
    """Privileged mode: master runs as root, mail_owner is postfix."""
    if not IS_ROOT:
        pytest.skip("privileged tests need root")
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        pytest.skip("mail_owner account 'postfix' missing (run make deps)")
    m = Master(install_root, test_daemons, shared_tmp, privileged=True)
    yield m
    m.cleanup()


def basic_master_cf(m, port):
    """The services that most tests use."""
    m.master_cf(
        f"127.0.0.1:{port} inet n - n - 3 test_single\n"
        "single unix - - n - 3 test_single -o syslog_name=custom\n"
        "multi unix - - n - 1 test_multi\n"
        f"trig unix n - n - 1 test_trigger {m.triggers}\n")


# Start-up, locks, and the pid file.

def test_start_creates_pid_lock_and_sockets(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    pid = m.start()
    assert proc_alive(pid)
    pid_text = (m.queue / "pid/master.pid").read_text()
    assert pid_text == "%32d\n" % pid
    assert (m.inst.data_dir / "master.lock").read_text() == pid_text
    assert m.run_master("-t").returncode == 1
    log = m.log()
    # The day of the month has two digits ("Dec 05"), as Postfix writes it.
    assert re.search(r"^\w{3} \d\d \d\d:\d\d:\d\d test "
                     rf"postfix/master\[{pid}\]: daemon started -- version "
                     rf"\d+\.\d+\.\d+, configuration {m.inst.config_dir}$",
                     log, re.M), log
    for path, kind in ((m.private("single"), "s"), (m.private("multi"), "s"),
                       (m.public("trig"), "s"), (m.public("postlog"), "s")):
        st = path.lstat()
        assert oct(st.st_mode & 0o777) == "0o666", path
        assert (st.st_uid, st.st_gid) == (m.uid, m.gid), path
    m.stop()
    assert m.run_master("-t").returncode == 0


def test_second_master_refused(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    pid = m.start()
    second = m.run_master()
    assert second.returncode == 1
    assert second.stderr == "master: fatal: the Postfix mail system is already running\n"
    waited = m.run_master("-w")
    assert waited.returncode == 1
    assert waited.stderr.endswith(
        "master: fatal: daemon initialization failure -- see logs for details\n")
    m.wait_log("fatal: the Postfix mail system is already running")
    assert m.pid() == pid and proc_alive(pid)


def test_master_options(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    result = m.run_master("-t", "-w")
    assert (result.returncode, result.stderr) == (
        1, "master: fatal: the -t and -w options cannot be used together\n")
    result = m.run_master("-i")
    assert (result.returncode, result.stderr) == (
        1, "master: fatal: -i is allowed only for PID 1 process\n")
    result = m.run_master("-i", "-d")
    assert (result.returncode, result.stderr) == (
        1, "master: fatal: the -i option cannot be used with -D, -d, or -w\n")
    result = m.run_master("extra")
    assert result.returncode == 1
    assert result.stderr.startswith("master: fatal: usage: ")
    assert m.run_master("-t").returncode == 0   # no pid file: not running


def test_exit_time(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    pid = m.start("-e", "2")
    wait_until(lambda: not proc_alive(pid), "master to exit", timeout=15)
    assert "master exit time has arrived" in m.log()


def test_mail_owner_root_refused(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    m.main_cf(mail_owner="root")
    result = m.run_master()
    assert result.returncode == 1
    assert result.stderr == (
        f"master: fatal: file {m.inst.config_dir}/main.cf: parameter "
        "mail_owner: user root has privileged user ID\n")


def test_maillog_file_prefix_enforced(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    m.main_cf(maillog_file="/tmp/elsewhere.log")
    result = m.run_master()
    assert result.returncode == 1
    assert result.stderr == (
        'master: fatal: master: maillog_file value "/tmp/elsewhere.log" does '
        'not match any maillog_file_prefixes value: "%s"\n' % m.base)
    assert not Path("/tmp/elsewhere.log").exists()


def test_bounded_quotes(umaster):
    """30 KB master.cf fields and main.cf values are quoted in 100 bytes."""
    m = umaster
    m.master_cf(f"127.0.0.1:{HUGE} inet n - n - 3 test_single\n")
    result = m.run_master()
    assert result.returncode == 1
    assert_bounded(result.stderr, 'invalid port number or service name in '
                   f'"{quoted("127.0.0.1:")}"')
    basic_master_cf(m, free_port())
    m.main_cf(mail_owner=HUGE)
    result = m.run_master()
    assert result.returncode == 1
    assert_bounded(result.stderr, "parameter mail_owner: unknown user name "
                   f"value: {quoted()}")


def test_unprivileged_needs_own_account(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    other = "nobody" if m.owner != "nobody" else "daemon"
    m.main_cf(mail_owner=other)
    if IS_ROOT and not m.run_as:
        pytest.skip("needs an unprivileged master")
    result = m.run_master()
    assert result.returncode == 1
    assert result.stderr == (
        "master: fatal: the master command is reserved for the superuser, "
        f"or for the mail_owner ({other})\n")


# Each skeleton serves clients.

def test_single_server_inet_and_unix(umaster):
    m = umaster
    port = free_port()
    basic_master_cf(m, port)
    m.start()
    c = Client.inet(port)
    assert c.ask("echo hello world") == "hello world"
    pid = int(c.ask("pid"))
    assert c.ask("param syslog_name") == "postfix"
    assert c.ask("param service_name") == f"127.0.0.1:{port}"
    assert c.ask("log inet says hi") == "ok"
    assert c.ask("whoami") == f"uid={m.uid} gid={m.gid} cwd={m.queue}"
    assert c.ask("quit") == "bye"
    c.close()
    m.wait_log(f"postfix/test_single[{pid}]: inet says hi")

    u = Client.unix(m.private("single"))
    assert u.ask("param syslog_name") == "custom"
    assert u.ask("param service_name") == "single"
    upid = int(u.ask("pid"))
    assert u.ask("log unix says hi") == "ok"
    u.close()
    m.wait_log(f"custom/test_single[{upid}]: unix says hi")


def test_stand_alone_single_server(umaster):
    m = umaster
    env = m.inst.env()
    env["MAIL_CONFIG"] = str(m.inst.config_dir)
    result = subprocess.run([str(m.libexec / "test_single"), "-S", "-n", "alone"],
                            input="echo standing alone\nparam service_name\n"
                            "quit\necho not reached\n",
                            capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "standing alone\nalone\nbye\n"


def test_daemon_by_hand_refused(umaster):
    m = umaster
    env = m.inst.env()
    env["MAIL_CONFIG"] = str(m.inst.config_dir)
    result = subprocess.run([str(m.libexec / "test_single"), "-t", "unix"],
                            capture_output=True, text=True, timeout=30, env=env,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "descriptor 5 is not open" in result.stderr + m.log()


def test_pass_service_gets_descriptor(umaster):
    m = umaster
    m.master_cf("passer pass - - n - 1 test_single\n")
    m.start()
    ours, theirs = socket.socketpair()
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(TIMEOUT)
        s.connect(str(m.private("passer")))
        socket.send_fds(s, [b"x"], [theirs.fileno()])
    theirs.close()
    c = Client(ours)
    assert c.ask("echo via pass") == "via pass"
    assert c.ask("param service_name") == "passer"
    c.close()


def test_multi_server_shares_process(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    m.start()
    a = Client.unix(m.private("multi"))
    b = Client.unix(m.private("multi"))
    count_a, pid_a = a.ask("inc").split()
    count_b, pid_b = b.ask("inc").split()
    assert pid_a == pid_b
    assert (count_a, count_b) == ("1", "2")
    assert a.ask("clients") == "2"
    assert b.ask("quit") == "bye"
    with pytest.raises(EOFError):
        b.readline(timeout=5)
    assert a.ask("clients") == "1"
    # Pipelined requests are all answered.
    a.send("inc\ninc\ninc")
    assert [a.readline().split()[0] for _ in range(3)] == ["3", "4", "5"]
    a.close()
    assert m.service_pids("test_multi") == [int(pid_a)]


def test_trigger_server_and_wakeup(umaster):
    m = umaster
    m.master_cf(
        f"trig unix n - n 1 1 test_trigger {m.triggers}\n"
        f"cond unix n - n 1? 1 test_trigger {m.triggers}\n"
        f"fifo fifo n - n - 1 test_trigger {m.triggers}\n"
        f"dgram unix-dgram n - n - 1 test_trigger {m.triggers}\n")
    m.start()
    wait_until(lambda: sum(" trig 1 W" in l for l in m.trigger_lines()) >= 3,
               "three wakeups of trig")
    assert not any(" cond " in l for l in m.trigger_lines())
    # The conditional timer starts when the service is first used.
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(m.public("cond")))
        s.sendall(b"hello")
    wait_until(lambda: sum(" cond 1 W" in l for l in m.trigger_lines()) >= 2,
               "wakeups of cond after first use")
    assert any(" cond 5 hello" in l for l in m.trigger_lines())
    with open(m.public("fifo"), "wb", buffering=0) as f:
        f.write(b"fifo-trigger")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.sendto(b"datagram\x01", str(m.public("dgram")))
    wait_until(lambda: any(" fifo 12 fifo-trigger" in l for l in m.trigger_lines()),
               "fifo trigger")
    wait_until(lambda: any(" dgram 9 datagram?" in l for l in m.trigger_lines()),
               "datagram trigger")
    m.wait_log("postfix/test_trigger[")
    m.wait_log("trigger fifo-trigger")


# Process management.

def test_process_limit(umaster):
    m = umaster
    port = free_port()
    m.master_cf(f"127.0.0.1:{port} inet n - n - 2 test_single\n")
    m.start()
    a, b = Client.inet(port), Client.inet(port)
    pids = {a.ask("pid"), b.ask("pid")}
    assert len(pids) == 2
    c = Client.inet(port)
    c.send("pid")
    with pytest.raises(socket.timeout):
        c.readline(timeout=1.5)
    assert len(m.service_pids("test_single")) == 2
    m.wait_log(f'warning: service "127.0.0.1:{port}" ([127.0.0.1]:{port}) has '
               'reached its process limit "2": new clients may experience '
               'noticeable delays')
    a.close()
    assert c.readline() in pids
    # At the limit again: the next client waits, without a second warning.
    d = Client.inet(port)
    d.send("pid")
    with pytest.raises(socket.timeout):
        d.readline(timeout=1.5)
    b.close()
    assert d.readline() in pids
    c.close()
    d.close()
    assert len(m.service_pids("test_single")) <= 2
    assert m.log().count("has reached its process limit") == 1


def voluntary_switches(pid):
    """How often process pid went to sleep (and was woken) so far."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                return int(line.split()[1])
    raise AssertionError(f"no voluntary_ctxt_switches for {pid}")


def test_idle_single_servers_wake_one_at_a_time(umaster):
    """A new client wakes one idle single-server process, not all of
    them: processes that serve nobody do not wake up (EPOLLEXCLUSIVE).
    With an ordinary shared wait, every idle process wakes for every
    connection and finds nothing to accept."""
    m = umaster
    m.master_cf("herd unix - - n - 4 test_single\n")
    m.start()
    # Four clients at once make four processes; then all four are idle.
    clients = [Client.unix(m.private("herd")) for _ in range(4)]
    pids = {int(c.ask("pid")) for c in clients}
    assert len(pids) == 4
    for c in clients:
        c.close()
    time.sleep(0.3)
    before = {pid: voluntary_switches(pid) for pid in pids}
    served = set()
    for _ in range(20):
        c = Client.unix(m.private("herd"))
        served.add(int(c.ask("pid")))
        c.close()
        time.sleep(0.05)    # the server goes back to its wait
    idle = pids - served
    assert idle, f"every process served a client: {served}"
    woken = {pid: voluntary_switches(pid) - before[pid] for pid in idle}
    assert all(n < 5 for n in woken.values()), woken


def test_stress_mode(umaster):
    """A network service (not loopback-only) whose last allowed process
    starts enters stress mode: that process gets "-o stress=yes"."""
    m = umaster
    port = free_port()
    m.master_cf(f"0.0.0.0:{port} inet n - n - 2 test_single\n")
    m.start()
    a = Client.inet(port)
    assert a.ask("param stress") == ""
    b = Client.inet(port)
    assert b.ask("param stress") == "yes"
    assert a.ask("pid") != b.ask("pid")
    a.close()
    b.close()


def test_killed_child_is_replaced(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    m.start()
    c = Client.unix(m.private("single"))
    pid = int(c.ask("pid"))
    c.close()
    # The child reports itself idle after the client leaves.
    time.sleep(0.3)
    os.kill(pid, signal.SIGKILL)
    m.wait_log(f"warning: process {m.libexec}/test_single pid {pid} "
               "killed by signal 9")
    c = Client.unix(m.private("single"))
    new_pid = int(c.ask("pid"))
    c.close()
    assert new_pid != pid
    assert "bad command startup" not in m.log()


def test_crashing_service_is_throttled(umaster):
    m = umaster
    m.master_cf("crash unix - - n - 2 test_single crash\n")
    m.start()
    c = Client.unix(m.private("crash"))
    c.send("pid")
    path = f"{m.libexec}/test_single"
    log = m.wait_log(f"warning: {path}: bad command startup -- throttling")
    assert "fatal: crash: crashing on purpose" in log
    assert re.search(rf"warning: process {re.escape(path)} pid \d+ exit status 1", log)
    # With service_throttle_time = 2s, the next attempt waits.
    time.sleep(3.2)
    starts = m.log().count("bad command startup -- throttling")
    assert 2 <= starts <= 3, m.log()
    c.close()


def test_throttled_service_resumes(umaster):
    """A service that fails at start-up is throttled: no process starts
    for service_throttle_time (2s); then master listens again, and the
    repaired service serves the client that waited."""
    m = umaster
    broken = m.base / "broken"
    broken.write_text("")
    m.master_cf(f"flaky unix - - n - 2 test_single crash-while {broken}\n")
    m.start()
    c = Client.unix(m.private("flaky"))
    connected = time.monotonic()
    c.send("pid")
    path = f"{m.libexec}/test_single"
    m.wait_log(f"warning: {path}: bad command startup -- throttling")
    broken.unlink()
    pid = int(c.readline())
    assert time.monotonic() - connected >= 1.9
    assert pid in m.service_pids("test_single")
    log = m.log()
    assert log.count("bad command startup -- throttling") == 1, log
    assert log.count("crashing while") == 1, log
    c.close()


def test_max_use_and_max_idle(umaster):
    m = umaster
    m.master_cf("use unix - - n - 1 test_single -o max_use=2\n"
                "idle unix - - n - 1 test_single -o max_idle=1\n")
    m.start()
    pids = []
    for _ in range(3):
        c = Client.unix(m.private("use"))
        pids.append(int(c.ask("pid")))
        c.close()
        time.sleep(0.1)
    assert pids[0] == pids[1] != pids[2]
    c = Client.unix(m.private("idle"))
    idle_pid = int(c.ask("pid"))
    c.close()
    wait_until(lambda: not proc_alive(idle_pid), "idle child to exit", timeout=5)
    assert "warning" not in m.log()


def test_changed_table_ends_process(umaster):
    m = umaster
    m.master_cf("single unix - - n - 1 test_single\n")
    m.start()
    table = m.base / "table"
    table.write_text("a b\n")
    if m.run_as:
        os.chown(table, *m.run_as)
    c = Client.unix(m.private("single"))
    pid = int(c.ask("pid"))
    assert c.ask(f"table {table}") == "ok"
    c.close()
    c = Client.unix(m.private("single"))
    assert int(c.ask("pid")) == pid              # unchanged: same process
    os.utime(table, (1, 1))                      # the table changes
    c.close()
    m.wait_log(f"postfix/test_single[{pid}]: table watched:{table} has "
               "changed -- restarting")
    wait_until(lambda: not proc_alive(pid), "process to exit")
    c = Client.unix(m.private("single"))
    assert int(c.ask("pid")) != pid
    c.close()


# Reload and termination.

def test_reload_adds_removes_changes(umaster):
    m = umaster
    port = free_port()
    basic_master_cf(m, port)
    m.start()
    old = Client.unix(m.private("single"))
    assert old.ask("param syslog_name") == "custom"
    old_pid = int(old.ask("pid"))
    multi = Client.unix(m.private("multi"))
    multi_pid = int(multi.ask("inc").split()[1])

    m.master_cf(
        f"127.0.0.1:{port} inet n - n - 3 test_single\n"
        "single unix - - n - 3 test_single -o syslog_name=changed\n"
        "added unix - - n - 1 test_multi\n"
        f"trig unix n - n - 1 test_trigger {m.triggers}\n")
    m.reload()
    assert re.search(rf"postfix/master\[{m.pid()}\]: reload -- version \S+, "
                     rf"configuration {m.inst.config_dir}", m.log())
    # Removed: socket gone, children terminated.
    wait_until(lambda: not m.private("multi").exists(), "multi socket removal")
    wait_until(lambda: not proc_alive(multi_pid), "multi child to stop")
    # Added.
    added = Client.unix(m.private("added"))
    assert added.ask("inc").split()[0] == "1"
    added.close()
    # Changed: the running child finishes its client with the old settings...
    assert old.ask("param syslog_name") == "custom"
    assert old.ask("quit") == "bye"
    old.close()
    wait_until(lambda: not proc_alive(old_pid), "old child to exit")
    # ...and new children use the new ones.
    new = Client.unix(m.private("single"))
    assert new.ask("param syslog_name") == "changed"
    assert int(new.ask("pid")) != old_pid
    new.close()
    multi.close()


def test_reload_keeps_config_on_error(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    m.start()
    m.master_cf("broken unix - - n\n")
    m.reload()
    m.wait_log("bad field count")
    m.wait_log("warning: reload failed -- keeping the old master.cf configuration")
    c = Client.unix(m.private("single"))
    assert c.ask("echo still here") == "still here"
    c.close()


def test_sigterm_stops_everything(umaster):
    m = umaster
    port = free_port()
    basic_master_cf(m, port)
    pid = m.start()
    busy = Client.inet(port)
    assert busy.ask("echo x") == "x"
    u = Client.unix(m.private("multi"))
    u.ask("inc")
    kids = list(m.children())
    assert len(kids) >= 3      # postlogd, test_single, test_multi
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not proc_alive(pid), "master to stop")
    for kid in kids:
        wait_until(lambda: not proc_alive(kid), f"child {kid} to stop")
    for path in (m.private("single"), m.private("multi"), m.public("trig"),
                 m.public("postlog")):
        assert not path.exists(), path
    m.wait_log(f"postfix/master[{pid}]: terminating on signal 15")
    assert m.run_master("-t").returncode == 0
    busy.close()
    u.close()


def test_sigint_aborts(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    pid = m.start()
    c = Client.unix(m.private("single"))
    child = int(c.ask("pid"))
    os.kill(pid, signal.SIGINT)
    wait_until(lambda: not proc_alive(pid), "master to abort")
    wait_until(lambda: not proc_alive(child), "child to be killed")
    m.wait_log(f"postfix/master[{pid}]: terminating on signal 2")
    c.close()


# Logging through postlogd.

def test_maillog_through_postlogd(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    m.start()
    c = Client.unix(m.private("single"))
    pid = int(c.ask("pid"))
    for n in range(30):
        assert c.ask(f"log record {n}") == "ok"
    c.close()
    m.wait_log("record 29")
    lines = m.log().splitlines()
    records = [l for l in lines if f"custom/test_single[{pid}]: record " in l]
    assert [l.rsplit(" ", 1)[1] for l in records] == [str(n) for n in range(30)]
    for line in lines:
        assert re.match(r"^\w{3} \d\d \d\d:\d\d:\d\d test "
                        r"[\w.-]+/[\w.-]+\[\d+\]: ", line), line
    assert m.service_pids("postlogd")


def test_solitary_service_reports_once(umaster):
    """A service with a process limit of 1 (postlogd) tells master about
    its first client only: 40 log lines, each written before the next is
    sent, do not wake master 80 times (busy and idle per line)."""
    m = umaster
    basic_master_cf(m, free_port())
    m.start()
    c = Client.unix(m.private("single"))
    assert c.ask("log first") == "ok"
    m.wait_log("first")
    before = voluntary_switches(m.pid())
    for n in range(40):
        assert c.ask(f"log line {n}.") == "ok"
        m.wait_log(f"line {n}.")
    woken = voluntary_switches(m.pid()) - before
    c.close()
    assert woken < 20, woken


def test_postlogd_reopens_after_rotation(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    m.start()
    c = Client.unix(m.private("single"))
    assert c.ask("log before rotation") == "ok"
    c.close()
    m.wait_log("before rotation")
    rotated = m.inst.maillog.with_name("maillog.20250101-000000")
    m.inst.maillog.rename(rotated)
    os.kill(m.pid(), signal.SIGHUP)              # as "postfix logrotate" does
    wait_until(lambda: "reload -- version" in rotated.read_text()
               or "reload -- version" in m.log(), "reload record")
    c = Client.unix(m.private("single"))
    assert c.ask("log after rotation") == "ok"
    c.close()
    m.wait_log("after rotation")
    assert "after rotation" not in rotated.read_text()
    assert "before rotation" not in m.log()


def test_postlogd_notices_rename_without_reload(umaster):
    m = umaster
    basic_master_cf(m, free_port())
    m.start()
    m.wait_log("daemon started")
    rotated = m.inst.maillog.with_name("maillog.old")
    m.inst.maillog.rename(rotated)
    time.sleep(1.2)
    c = Client.unix(m.private("single"))
    assert c.ask("log after rename") == "ok"
    c.close()
    m.wait_log("after rename")
    assert "after rename" not in rotated.read_text()


def test_maillog_to_stdout(umaster):
    m = umaster
    m.main_cf(maillog_file="/dev/stdout",
              maillog_file_prefixes=f"/dev/stdout, {m.base}")
    basic_master_cf(m, free_port())
    out_path = m.base / "stdout.log"
    with open(out_path, "w") as out:
        if m.run_as:
            os.fchown(out.fileno(), *m.run_as)
        result = m.run_master("-s", "-w", stdout=out)
    assert result.returncode == 0, result.stderr
    wait_until(lambda: "daemon started" in out_path.read_text(), "stdout log")
    c = Client.unix(m.private("single"))
    assert c.ask("log to stdout") == "ok"
    c.close()
    wait_until(lambda: "custom/test_single[" in out_path.read_text(),
               "daemon record on stdout")


# Privileged mode.

def test_privileged_users_and_chroot(pmaster):
    m = pmaster
    port = free_port()
    m.master_cf(
        f"127.0.0.1:{port} inet n - y - 2 test_single\n"
        "plain unix - - n - 2 test_single\n"
        "root unix - n n - 2 test_single\n"
        f"trig unix n - y 1 1 test_trigger {m.triggers}\n")
    m.start()
    pw = pwd.getpwnam("postfix")
    c = Client.inet(port)
    assert c.ask("whoami") == f"uid={pw.pw_uid} gid={pw.pw_gid} cwd=/"
    assert c.ask("log from the jail") == "ok"
    c.close()
    c = Client.unix(m.private("plain"))
    assert c.ask("whoami") == f"uid={pw.pw_uid} gid={pw.pw_gid} cwd={m.queue}"
    c.close()
    c = Client.unix(m.private("root"))
    assert c.ask("whoami") == f"uid=0 gid=0 cwd={m.queue}"
    c.close()
    m.wait_log("from the jail")              # logging works inside the jail
    wait_until(lambda: any(" trig 1 W" in l for l in m.trigger_lines()),
               "wakeup of a chrooted trigger server")
    st = m.private("plain").lstat()
    assert (st.st_uid, st.st_gid) == (pw.pw_uid, pw.pw_gid)
    st = (m.inst.data_dir / "master.lock").stat()
    assert st.st_uid == pw.pw_uid
    assert (m.queue / "pid/master.pid").stat().st_uid == 0
    master_status = Path(f"/proc/{m.pid()}/status").read_text()
    assert re.search(r"^Uid:\s+0\s", master_status, re.M)
    m.stop()


def test_privileged_init_mode_as_pid_1(pmaster):
    m = pmaster
    if shutil.which("unshare") is None:
        pytest.skip("unshare(1) missing")
    m.main_cf(maillog_file="/dev/stdout",
              maillog_file_prefixes=f"/dev/stdout, {m.base}")
    m.master_cf("single unix - - n - 2 test_single\n")
    out_path = m.base / "stdout.log"
    out = open(out_path, "w")
    proc = subprocess.Popen(["unshare", "--pid", "--fork", "--kill-child",
                             str(m.master_path), "-c", str(m.inst.config_dir),
                             "-i"], stdout=out, stderr=subprocess.PIPE,
                            env=m.inst.env())
    try:
        wait_until(lambda: "daemon started" in out_path.read_text(),
                   "master -i to start")
        assert "postfix/master[1]: daemon started" in out_path.read_text()
        c = Client.unix(m.private("single"))
        assert c.ask("log init mode") == "ok"
        c.close()
        wait_until(lambda: "init mode" in out_path.read_text(), "record")
        kids = children_of(proc.pid)
        assert len(kids) == 1
        os.kill(next(iter(kids)), signal.SIGTERM)
        proc.wait(timeout=TIMEOUT)
        wait_until(lambda: "terminating on signal 15" in out_path.read_text(),
                   "termination record")
    finally:
        (m.queue / "pid/master.pid").unlink(missing_ok=True)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=TIMEOUT)
        out.close()
