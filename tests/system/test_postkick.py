"""System tests for postkick(1): trigger bytes over UNIX sockets and FIFOs,
and the warnings and exit status when a service cannot be reached."""

import grp
import os
import pwd
import socket
import subprocess
import threading
from pathlib import Path

import pytest

REAL_POSTKICK = Path("/usr/sbin/postkick")


def postfix_accounts(inst):
    """Real Postfix refuses mail_owner = root; use its own accounts."""
    try:
        pwd.getpwnam("postfix")
        grp.getgrnam("postdrop")
    except KeyError:
        pytest.skip("no postfix/postdrop accounts for the real Postfix")
    inst.write_main_cf(mail_owner="postfix", setgid_group="postdrop")


class Listener:
    """A UNIX stream socket in the queue directory that records what each
    client sends before it hangs up."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(5)
        self.sock.settimeout(10)
        self.received = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.sock.accept()
        conn.settimeout(10)
        data = b""
        while True:
            chunk = conn.recv(100)
            if not chunk:
                break
            data += chunk
        conn.close()
        self.received.append(data)

    def result(self):
        self.thread.join(timeout=10)
        self.sock.close()
        return self.received


@pytest.mark.parametrize("klass,request_text", [
    ("public", "W"), ("public", "I"), ("private", "D"), ("public", "WIDAF"),
])
def test_socket_receives_request(instance, klass, request_text):
    listener = Listener(instance.queue_dir / klass / "qmgr")
    r = instance.run("postkick", klass, "qmgr", request_text)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert listener.result() == [request_text.encode()]


def test_fifo_receives_request(instance):
    fifo = instance.queue_dir / "public" / "pickup"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo, 0o622)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        r = instance.run("postkick", "public", "pickup", "W")
        assert (r.returncode, r.stderr) == (0, "")
        assert os.read(fd, 100) == b"W"
    finally:
        os.close(fd)


def test_verbose(instance):
    listener = Listener(instance.queue_dir / "public" / "flush")
    r = instance.run("postkick", "-v", "public", "flush", "W")
    assert r.returncode == 0
    assert r.stderr == 'postkick: sent request "W" to public/flush\n'
    assert listener.result() == [b"W"]


def cannot_contact(klass, service):
    return (f"postkick: warning: Cannot contact class {klass} service "
            f"{service} - perhaps the mail system is down\n")


def test_unreachable_services(instance):
    public = instance.queue_dir / "public"
    public.mkdir(parents=True)
    (public / "plain").write_text("")
    os.mkfifo(public / "noreader")
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(public / "dead"))         # bound, never listening
    try:
        cases = {
            "nosuch": "postkick: warning: unable to look up public/nosuch: "
                      "No such file or directory\n",
            "plain": "postkick: warning: public/plain is not a socket "
                     "or a fifo\n",
            "noreader": "",
            "dead": "",
        }
        for service, first in cases.items():
            r = instance.run("postkick", "public", service, "W")
            assert r.returncode == 1, service
            assert r.stderr == first + cannot_contact("public", service)
    finally:
        dead.close()


def test_usage_and_configuration_errors(instance, tmp_path):
    usage = ("postkick: fatal: usage: postkick [-c config_dir] [-v] "
             "class service request\n")
    for args in ([], ["public"], ["public", "qmgr"],
                 ["public", "qmgr", "W", "extra"], ["-x", "a", "b", "c"]):
        r = instance.run("postkick", *args)
        assert r.returncode == 1
        assert r.stderr.endswith(usage)
    instance.write_main_cf(queue_directory=tmp_path / "nosuch")
    r = instance.run("postkick", "public", "qmgr", "W")
    assert r.returncode == 1
    assert r.stderr == (f"postkick: fatal: chdir {tmp_path}/nosuch: "
                        "No such file or directory\n")


@pytest.mark.skipif(not REAL_POSTKICK.exists(), reason="no Postfix postkick")
def test_same_as_postfix(instance):
    """Debian's postkick reports a missing service in the same words and
    sends the same request bytes to a FIFO."""
    postfix_accounts(instance)
    (instance.queue_dir / "public").mkdir(parents=True)
    for prog in (REAL_POSTKICK, instance.sbin / "postkick"):
        r = subprocess.run([str(prog), "-c", str(instance.config_dir),
                            "public", "nosuch", "W"],
                           capture_output=True, text=True, env=instance.env())
        assert r.returncode == 1
        assert r.stderr == ("postkick: warning: unable to look up "
                            "public/nosuch: No such file or directory\n"
                            + cannot_contact("public", "nosuch"))
    # A FIFO without a reader, a socket without a listener, a plain file:
    # the same words (only the look-up problems get their own warning).
    public = instance.queue_dir / "public"
    (public / "plain").write_text("")
    os.mkfifo(public / "noreader")
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(public / "dead"))
    try:
        for service in ("noreader", "dead", "plain"):
            got = []
            for prog in (REAL_POSTKICK, instance.sbin / "postkick"):
                r = subprocess.run([str(prog), "-c", str(instance.config_dir),
                                    "public", service, "W"],
                                   capture_output=True, text=True,
                                   env=instance.env())
                got.append((r.returncode, r.stderr))
            assert got[0] == got[1], service
    finally:
        dead.close()
    fifo = instance.queue_dir / "public" / "fifo"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        got = []
        for prog in (REAL_POSTKICK, instance.sbin / "postkick"):
            subprocess.run([str(prog), "-c", str(instance.config_dir),
                            "public", "fifo", "I"], check=True,
                           env=instance.env(), capture_output=True)
            got.append(os.read(fd, 100))
        assert got[0] == got[1] == b"I"
    finally:
        os.close(fd)
