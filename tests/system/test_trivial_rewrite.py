"""System tests for trivial-rewrite(8) and rewrite-query.

Each test starts the installed master(8) on a private instance (the
Master class of test_master.py) whose master.cf runs the installed
trivial-rewrite(8) behind private/rewrite, and asks it questions with the
installed rewrite-query (daemon_directory), which talks to it through
rewrite_client(3). Expected answers follow trivial-rewrite(8),
transport(5), relocated(5), ADDRESS_REWRITING_README and
ADDRESS_CLASS_README (Debian's Postfix 3.7 has no query tool; where an
answer could be observed on a real Postfix instance, the unit tests and
docs/internals/trivial-rewrite.md say so).

The tables are texthash: files, so no postmap is needed. Every wait is
bounded.
"""

import os
import socket
import subprocess
import time

import pytest

from test_master import IS_ROOT, Master, wait_until

TIMEOUT = 10.0


@pytest.fixture
def rmaster(install_root, test_daemons, shared_tmp):
    """Unprivileged instance whose master.cf runs trivial-rewrite."""
    m = Master(install_root, test_daemons, shared_tmp, privileged=False)
    m.master_cf("rewrite unix - - n - - trivial-rewrite\n")
    yield m
    m.cleanup()


def write_table(m, name, text):
    """A texthash: table in the instance's config directory."""
    path = m.inst.config_dir / name
    path.write_text(text)
    # A table changed in the second it was opened counts as changed, and
    # the service then restarts after its next request (dict(3)).
    past = time.time() - 10
    os.utime(path, (past, past))
    if m.run_as:
        os.lchown(path, *m.run_as)
    return f"texthash:{path}"


def query(m, *args, check=True):
    """Run rewrite-query against the instance; return the result."""
    argv = [str(m.libexec / "rewrite-query"), "-c", str(m.inst.config_dir),
            *args]
    result = subprocess.run(argv, capture_output=True, text=True,
                            timeout=30, env=m.inst.env())
    if check:
        assert result.returncode == 0, result.stderr
    return result


def rewrite(m, rule, *addresses):
    return query(m, "rewrite", rule, *addresses).stdout.splitlines()


def resolve(m, *addresses, request="resolve", sender=None):
    """List of 'flags|transport|nexthop|recipient' answers."""
    args = [request, *addresses]
    if sender is not None:
        args = ["-f", sender, *args]
    answers = []
    for group in query(m, *args).stdout.split("\n\n"):
        if not group.strip():
            continue
        fields = dict(line.split(": ", 1) for line in group.splitlines())
        answers.append("|".join(fields[k] for k in
                                ("flags", "transport", "nexthop", "recipient")))
    return answers


BASE = dict(myhostname="host.example.com", mydomain="example.com",
            mydestination="$myhostname, localhost.$mydomain, localhost",
            inet_interfaces="127.0.0.1", proxy_interfaces="192.0.2.99",
            virtual_alias_domains="alias.example",
            virtual_mailbox_domains="mbox.example",
            relay_domains="relay.example")


def test_rewrite_contexts(rmaster):
    m = rmaster
    m.main_cf(**BASE, myorigin="$mydomain", append_dot_mydomain="yes",
              remote_header_rewrite_domain="domain.invalid")
    m.start()
    assert rewrite(m, "local", "user", "user@host", "site!user", "user%site",
                   "@a,@b:user@other.example", "user@other.example.", "") == [
        "user@example.com", "user@host.example.com", "user@site.example.com",
        "user@site.example.com", "user@other.example", "user@other.example",
        ""]
    assert rewrite(m, "remote", "user", "user@host") == [
        "user@domain.invalid", "user@host.domain.invalid"]
    m.main_cf(swap_bangpath="no", allow_percent_hack="no",
              append_at_myorigin="no", append_dot_mydomain="no",
              remote_header_rewrite_domain="")
    m.reload()
    # The service exits after a reload; the client reconnects.
    wait_until(lambda: rewrite(m, "local", "site!user") == ["site!user"],
               "the new configuration")
    assert rewrite(m, "local", "user%site", "user@host") == [
        "user%site", "user@host"]
    assert rewrite(m, "remote", "user") == ["user"]
    # An unknown rule is refused by the service: a warning, exit status 1.
    result = query(m, "rewrite", "bogus", "user", check=False)
    assert result.returncode == 1
    assert "unknown rule" in result.stderr
    m.wait_log('bad request: unknown rule "bogus"')


def test_resolve_classes(rmaster):
    m = rmaster
    m.main_cf(**BASE, show_user_unknown_table_name="yes")
    m.start()
    assert resolve(m, "user@host.example.com", "user@LOCALHOST", "user",
                   "", "user@[127.0.0.1]", "user@[192.0.2.99]",
                   "user@alias.example", "user@mbox.example",
                   "user@relay.example", "user@other.example") == [
        "final,local|local|host.example.com|user@host.example.com",
        "final,local|local|host.example.com|user@LOCALHOST",
        "final,local|local|host.example.com|user@host.example.com",
        "final,local|local|host.example.com|MAILER-DAEMON@host.example.com",
        "final,local|local|host.example.com|user@[127.0.0.1]",
        "final,local|local|host.example.com|user@[192.0.2.99]",
        "final,alias|error|5.1.1 User unknown in virtual alias table"
        "|user@alias.example",
        "final,virtual|virtual|mbox.example|user@mbox.example",
        "final,relay|relay|relay.example|user@relay.example",
        "default|smtp|other.example|user@other.example"]


def test_resolve_routing_and_syntax(rmaster):
    m = rmaster
    m.main_cf(**BASE)
    m.start()
    assert resolve(m, "user%other.example@localhost",
                   "user@other.example@host.example.com",
                   "other.example!user@localhost",
                   "user%other.example@relay.example",
                   "user@", "user@192.0.2.1", "user@-bad.example",
                   "user@host.example.com.") == [
        "routed,default|smtp|other.example|user@other.example",
        "routed,default|smtp|other.example|user@other.example",
        "routed,default|smtp|other.example|user@other.example",
        "final,routed,relay|relay|relay.example|user%other.example@relay.example",
        "error,default|error|5.1.3 bad address syntax|user@",
        "error,default|error|5.1.3 bad address syntax|user@192.0.2.1",
        "error,default|error|5.1.3 bad address syntax|user@-bad.example",
        "final,local|local|host.example.com|user@host.example.com"]
    m.main_cf(resolve_null_domain="yes", resolve_numeric_domain="yes",
              resolve_dequoted_address="no")
    m.reload()
    wait_until(lambda: resolve(m, "user@") == [
        "final,local|local|host.example.com|user@host.example.com"],
        "the new configuration")
    assert resolve(m, "user@192.0.2.1", "user@other.example@localhost") == [
        "default|smtp|[192.0.2.1]|user@[192.0.2.1]",
        "final,local|local|host.example.com|user@other.example@localhost"]


def test_transport_maps_and_relayhost(rmaster):
    m = rmaster
    transport = write_table(m, "transport", """
        # transport(5) examples
        user@other.example     local:
        other.example          smtp:[mx.other.example]
        .sub.example           uucp:example
        keep.example           :
        slow.example           slow:
        gateway.example        :[gateway.example]
        bounce.example         error:mail for bounce.example is not deliverable
        mailer-daemon@host.example.com  discard:
        """.replace("\n        ", "\n"))
    m.main_cf(**BASE, transport_maps=transport, relayhost="[relay.gw]",
              recipient_delimiter="+")
    m.start()
    assert resolve(m, "user+ext@other.example", "bob@other.example",
                   "a@x.sub.example", "a@sub.example", "a@keep.example",
                   "a@slow.example", "a@gateway.example", "a@bounce.example",
                   "", "a@unlisted.example", "a@relay.example") == [
        "default|local|other.example|user+ext@other.example",
        "default|smtp|[mx.other.example]|bob@other.example",
        "default|uucp|example|a@x.sub.example",
        "default|smtp|[relay.gw]|a@sub.example",
        "default|smtp|[relay.gw]|a@keep.example",
        "default|slow|slow.example|a@slow.example",
        "default|smtp|[gateway.example]|a@gateway.example",
        "default|error|mail for bounce.example is not deliverable"
        "|a@bounce.example",
        "final,local|discard|host.example.com|MAILER-DAEMON@host.example.com",
        "default|smtp|[relay.gw]|a@unlisted.example",
        "final,relay|relay|[relay.gw]|a@relay.example"]


def test_sender_dependent_and_verify(rmaster):
    m = rmaster
    sdr = write_table(m, "sdr", "s@s.example [sdr1]\n@s.example [sdr2]\n"
                      "<> [null]\n@d.example DUNNO\n")
    sdt = write_table(m, "sdt", "@t.example uucp:gate\n")
    vtr = write_table(m, "vtransport", "other.example smtp:[verify.mx]\n")
    m.main_cf(**BASE, relayhost="[gw]", sender_dependent_relayhost_maps=sdr,
              sender_dependent_default_transport_maps=sdt,
              address_verify_transport_maps=vtr,
              address_verify_local_transport="vlocal",
              address_verify_relayhost="[vgw]")
    m.start()
    assert resolve(m, "u@other.example", sender="s@s.example") == [
        "default|smtp|[sdr1]|u@other.example"]
    assert resolve(m, "u@other.example", sender="x@s.example") == [
        "default|smtp|[sdr2]|u@other.example"]
    assert resolve(m, "u@other.example", sender="") == [
        "default|smtp|[null]|u@other.example"]
    assert resolve(m, "u@other.example", sender="x@d.example") == [
        "default|smtp|[gw]|u@other.example"]
    assert resolve(m, "u@other.example", sender="x@t.example") == [
        "default|uucp|gate|u@other.example"]
    assert resolve(m, "u@other.example", "u@unlisted.example", "u@localhost",
                   request="resolve_verify", sender="x@z.example") == [
        "default|smtp|[verify.mx]|u@other.example",
        "default|smtp|[vgw]|u@unlisted.example",
        "final,local|vlocal|localhost|u@localhost"]
    assert resolve(m, "u@localhost", request="resolve_sender") == [
        "final,local|local|host.example.com|u@localhost"]


def test_relocated_and_fail(rmaster):
    m = rmaster
    relocated = write_table(m, "relocated", "olduser new@else.example\n"
                            "@gone.example the new domain\n")
    m.main_cf(**BASE, relocated_maps=relocated,
              transport_maps=f"texthash:{m.inst.config_dir}/missing")
    m.start()
    assert resolve(m, "olduser@localhost", "x@gone.example") == [
        "final,local|error|5.1.6 User has moved to new@else.example"
        "|olduser@localhost",
        "default|error|5.1.6 User has moved to the new domain|x@gone.example"]
    # A table that cannot be opened: the lookup fails, flag FAIL.
    assert resolve(m, "u@other.example") == [
        "fail,default|smtp|other.example|u@other.example"]


def test_protocol_errors(rmaster):
    """Bad requests get a warning and {status=-1}; the service goes on."""
    m = rmaster
    m.main_cf(**BASE)
    m.start()
    path = m.private("rewrite")

    def talk(payload):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT)
        sock.connect(str(path))
        data = b""
        try:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)   # the service closes after EOF
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass        # closed with our request unread: also a refusal
        finally:
            sock.close()
        return data

    greeting = b"sprotocol\0rewrite\0."
    # Wrong protocol: refused with status -1, connection closed.
    reply = talk(b"sprotocol\0cleanup\0srequest\0resolve\0saddress\0a@b\0.")
    assert reply.startswith(greeting)
    assert b"istatus\0-1\0" in reply
    # Garbage: connection closed without a reply.
    assert talk(b"x\xff\xfegarbage\0.") == greeting
    # A value over the limit: closed, maybe before all of it was read.
    assert talk(b"sprotocol\0rewrite\0srequest\0resolve\0saddress\0"
                + b"a" * 70000 + b"\0.") == greeting
    # A long address is answered, as bad syntax.
    reply = talk(b"sprotocol\0rewrite\0srequest\0resolve\0saddress\0"
                 + b"a" * 5000 + b"@localhost\0.")
    assert b"snexthop\x005.1.3 bad address syntax\0" in reply
    m.wait_log("bad request")
    # A missing address.
    reply = talk(b"sprotocol\0rewrite\0srequest\0resolve\0.")
    assert b"missing attribute address" in reply
    # Still serving.
    assert resolve(m, "u@localhost") == [
        "final,local|local|host.example.com|u@localhost"]


@pytest.mark.skipif(not IS_ROOT, reason="chroot needs root")
def test_privileged_chroot(install_root, test_daemons, shared_tmp):
    """As in Debian's master.cf: chrooted, tables opened before the chroot."""
    try:
        import pwd
        pwd.getpwnam("postfix")
    except KeyError:
        pytest.skip("mail_owner account 'postfix' missing")
    m = Master(install_root, test_daemons, shared_tmp, privileged=True)
    try:
        m.master_cf("rewrite unix - - y - - trivial-rewrite\n")
        transport = write_table(m, "transport", "other.example smtp:[mx]\n")
        m.main_cf(**BASE, transport_maps=transport)
        m.start()
        assert resolve(m, "u@other.example", "u@localhost") == [
            "default|smtp|[mx]|u@other.example",
            "final,local|local|host.example.com|u@localhost"]
        pids = m.service_pids("trivial-rewrite")
        assert pids, (m.pid(), m.children(), m.log()[-2000:])
        assert os.readlink(f"/proc/{pids[0]}/root") == str(m.queue)
    finally:
        m.stop()
        m.cleanup()


def test_stand_alone(rmaster):
    """-S: standard input and output are the one client connection."""
    m = rmaster
    m.main_cf(**BASE)
    env = m.inst.env()
    env["MAIL_CONFIG"] = str(m.inst.config_dir)
    request = (b"sprotocol\0rewrite\0srequest\0rewrite\0srule\0local\0"
               b"saddress\0user\0."
               b"sprotocol\0rewrite\0srequest\0resolve\0ssender\0\0"
               b"saddress\0user%other.example@localhost\0.")
    result = subprocess.run([str(m.libexec / "trivial-rewrite"), "-S",
                             "-n", "rewrite"], input=request,
                            capture_output=True, timeout=30, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        b"sprotocol\0rewrite\0."
        b"iflags\0000\0saddress\0user@host.example.com\0."
        b"iflags\0" + str(2 | 4096).encode() + b"\0stransport\0smtp\0"
        b"snexthop\0other.example\0srecipient\0user@other.example\0.")


def test_service_unreachable(rmaster):
    """No master running: the query fails with a reason, exit status 1."""
    m = rmaster
    m.main_cf(**BASE)
    result = query(m, "resolve", "user@localhost", check=False)
    assert result.returncode == 1
    assert "rewrite service" in result.stderr
    assert result.stdout == ""
    result = query(m, "bogus", "x", check=False)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_verbose_logging(rmaster):
    m = rmaster
    m.master_cf("rewrite unix - - n - - trivial-rewrite -v\n")
    m.main_cf(**BASE)
    m.start()
    assert resolve(m, "u@relay.example") == [
        "final,relay|relay|relay.example|u@relay.example"]
    m.wait_log('resolve "u@relay.example" sender "" -> flags 0x801 '
               'transport "relay" nexthop "relay.example" '
               'recipient "u@relay.example"')
