"""System tests for local submission: sendmail(1) -> postdrop(1) ->
maildrop/ -> pickup(8) -> cleanup.

sendmail and postdrop run by path from the installed build with -C/-c
pointing at a private instance; maildrop files are read back with a small
record parser (docs/internals/queue-file.md sections 1 and 6). pickup runs
stand-alone (-S: one trigger from standard input) against a fake cleanup
service on public/cleanup that speaks the attribute-list protocol of
docs/internals/protocols.md and records what it receives."""

import os
import pwd
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

EX_UNAVAILABLE, EX_TEMPFAIL = 69, 75
# postdrop exits as Postfix's: 1 for errors, 4 (CLEANUP_STAT_SIZE) for a
# message that is too big.
POSTDROP_FAIL, POSTDROP_SIZE = 1, 4

LOGIN = pwd.getpwuid(os.getuid()).pw_name


# ---------------------------------------------------------------- helpers

def parse_records(data: bytes):
    """Split a record stream into (type, data) pairs; assert it is well
    formed."""
    records, i = [], 0
    while i < len(data):
        kind = chr(data[i])
        space = data.index(b" ", i + 1)
        length = int(data[i + 1:space])
        start = space + 1
        assert data[start + length:start + length + 1] == b"\n", data[i:]
        records.append((kind, data[start:start + length]))
        i = start + length + 1
    return records


def record_stream(records):
    """The bytes of a record stream."""
    out = b""
    for kind, value in records:
        if isinstance(value, str):
            value = value.encode()
        out += kind.encode() + str(len(value)).encode() + b" " + value + b"\n"
    return out


def valid_records(sender="s@example.com", rcpts=("r@example.com",),
                  body=("Subject: t", "", "hello"), attrs=(), extracted=()):
    recs = [("Q", "postel-queue 1"), ("T", "1700000000.000001"),
            ("F", sender)]
    recs += [("A", a) for a in attrs]
    recs += [("R", r) for r in rcpts]
    recs += [("M", "")]
    recs += [("L", line) for line in body]
    recs += [("X", "")] + [("R", r) for r in extracted] + [("Z", "")]
    return recs


@pytest.fixture
def drop(instance):
    """An instance with the queue directories that submission uses."""
    for name in ("maildrop", "public", "incoming", "private"):
        (instance.queue_dir / name).mkdir(exist_ok=True)
    return instance


def sendmail(inst, *args, input=b"Subject: test\n\nbody\n", argv0=None,
             program="sendmail", timeout=30):
    path = inst.sbin / program
    argv = [str(path), "-C", str(inst.config_dir), *map(str, args)]
    return subprocess.run(argv, input=input, capture_output=True,
                          timeout=timeout, env=inst.env(),
                          executable=str(path) if argv0 else None)


def postdrop(inst, data, *args):
    argv = [str(inst.sbin / "postdrop"), "-c", str(inst.config_dir), *args]
    return subprocess.run(argv, input=data, capture_output=True, timeout=30,
                          env=inst.env())


def maildrop(inst):
    return sorted((inst.queue_dir / "maildrop").iterdir())


def only_file(inst):
    files = maildrop(inst)
    assert len(files) == 1, files
    return parse_records(files[0].read_bytes())


def envelope(records):
    """Records up to M, as (type, text)."""
    out = []
    for kind, value in records:
        if kind == "M":
            break
        out.append((kind, value.decode("latin-1")))
    return out


def content(records):
    """Content lines, P pieces joined."""
    lines, part, inside = [], b"", False
    for kind, value in records:
        if kind == "M":
            inside = True
        elif kind == "X":
            break
        elif inside and kind == "P":
            part += value
        elif inside and kind == "L":
            lines.append(part + value)
            part = b""
    return lines


def extracted(records):
    i = [k for k, _ in records].index("X")
    return [v.decode() for k, v in records[i:] if k == "R"]


def attrs(records):
    return dict(v.decode().split("=", 1) for k, v in records if k == "A")


# ------------------------------------------------------ sendmail basics

def test_basic_submission(drop):
    r = sendmail(drop, "someone@example.com")
    assert (r.returncode, r.stdout) == (0, b""), r.stderr
    recs = only_file(drop)
    kinds = [k for k, _ in recs]
    assert kinds[:3] == ["Q", "T", "F"] and kinds[-2:] == ["X", "Z"]
    env = envelope(recs)
    assert ("F", LOGIN) in env
    assert ("R", "someone@example.com") in env
    assert attrs(recs)["rewrite_context"] == "local"
    assert content(recs) == [b"Subject: test", b"", b"body"]
    # Unprivileged postdrop: the file belongs to us, mode 0600.
    st = maildrop(drop)[0].stat()
    assert (st.st_uid, st.st_mode & 0o777) == (os.getuid(), 0o600)
    # No temporary file stays behind.
    assert not [p for p in maildrop(drop) if p.name.startswith("tmp.")]


def test_postcat_reads_maildrop_file(drop):
    if not (drop.sbin / "postcat").exists():
        pytest.skip("no postcat in this tree")
    r = sendmail(drop, "-t", "-f", "s@example.com", "-F", "Me",
                 input=b"To: a@example.com\n\nbody\n")
    assert r.returncode == 0
    path = maildrop(drop)[0]
    r = subprocess.run([str(drop.sbin / "postcat"), "-c",
                        str(drop.config_dir), str(path)],
                       capture_output=True, text=True, env=drop.env())
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "sender: s@example.com\n" in out
    assert "sender_fullname: Me\n" in out          # Postfix's label
    assert "*** MESSAGE CONTENTS" in out and "To: a@example.com\n" in out
    assert out.index("*** HEADER EXTRACTED") < out.index(
        "recipient: a@example.com")


def test_envelope_options(drop):
    r = sendmail(drop, "-f", "<sender@example.com>", "-F", "Full Name",
                 "-N", "success,delay", "-R", "hdrs", "-V", "envid-1",
                 "-B", "8BITMIME", "-G", "a@example.com, b@example.com")
    assert r.returncode == 0, r.stderr
    recs = only_file(drop)
    env = envelope(recs)
    assert ("F", "sender@example.com") in env
    assert [v for k, v in env if k == "R"] == ["a@example.com",
                                               "b@example.com"]
    assert attrs(recs) == {"rewrite_context": "remote",
                           "full_name": "Full Name", "encoding": "8bit",
                           "dsn_ret": "2", "dsn_envid": "envid-1",
                           "dsn_notify": "10"}


@pytest.mark.parametrize("args,sender", [
    (["-f", ""], ""), (["-f", "<>"], ""), (["-r", "r@example.com"],
                                            "r@example.com"),
    (["-f", '"q u"@example.com'], "q u@example.com"),
])
def test_sender(drop, args, sender):
    r = sendmail(drop, *args, "x@example.com")
    assert r.returncode == 0, r.stderr
    assert ("F", sender) in envelope(only_file(drop))


def test_malformed_sender_warns(drop):
    r = sendmail(drop, "-f", "a b@c", "x@example.com")
    assert r.returncode == 0
    assert b"sendmail: warning: -f option specified malformed sender: a b@c" \
        in r.stderr


def test_full_name_from_environment(drop):
    env = drop.env()
    env["NAME"] = "Env Name"
    argv = [str(drop.sbin / "sendmail"), "-C", str(drop.config_dir), "x@y"]
    r = subprocess.run(argv, input=b"x\n", capture_output=True, env=env)
    assert r.returncode == 0
    assert attrs(only_file(drop))["full_name"] == "Env Name"


def test_full_name_from_gecos(drop):
    gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0]
    r = sendmail(drop, "x@y")
    assert r.returncode == 0
    assert attrs(only_file(drop)).get("full_name") == (gecos or None)


def test_verbose_asks_for_report(drop):
    r = sendmail(drop, "-v", "-f", "s@example.com", "x@y")
    assert r.returncode == 0
    assert r.stdout == b"Mail Delivery Status Report will be mailed to " \
        b"<s@example.com>.\n"
    assert attrs(only_file(drop))["trace_flags"] == "1024"


def test_verify_mode(drop):
    r = sendmail(drop, "-bv", "-f", "s@example.com", "x@y", input=b"")
    assert r.returncode == 0, r.stderr
    assert b"Mail Delivery Status Report will be mailed to <s@example.com>" \
        in r.stdout
    recs = only_file(drop)
    assert attrs(recs)["trace_flags"] == "512"
    assert content(recs) == [b"From: s@example.com", b"Subject: probe",
                             b"To:\tx@y"]
    for p in maildrop(drop):
        p.unlink()
    r = sendmail(drop, "-bv", "-f", "", "a@b", '"q u"@c', input=b"")
    assert r.stdout == b"Mail Delivery Status Report will be mailed to <>.\n"
    assert content(only_file(drop)) == [b"Subject: probe", b"To:\ta@b,",
                                        b'\t"q u"@c']


@pytest.mark.parametrize("args,warning", [
    (["-N", "bogus"], b"bad -N option value -- ignored"),
    (["-N", "never,success"], b"bad -N option value -- ignored"),
    (["-R", "bogus"], b"bad -R option value -- ignored"),
    (["-V", ""], b"bad syntax in -V option value -- ignored"),
    (["-V", "a b"], b"bad syntax in -V option value -- ignored"),
])
def test_bad_dsn_options_are_ignored(drop, args, warning):
    r = sendmail(drop, *args, "x@y")
    assert r.returncode == 0
    assert b"sendmail: warning: " + warning in r.stderr
    a = attrs(only_file(drop))
    assert not {"dsn_notify", "dsn_ret", "dsn_envid"} & set(a)


def test_ignored_options(drop):
    r = sendmail(drop, "-oem", "-om", "-o7", "-o8", "-U", "-n", "-m",
                 "-h", "3", "-L", "label", "-O", "a=b", "-Am", "-Ac",
                 "-ox", "x@example.com")
    assert r.returncode == 0, r.stderr
    assert [v for k, v in envelope(only_file(drop)) if k == "R"] == \
        ["x@example.com"]
    assert not Path("/tmp/logfile").exists()


def test_bad_body_type_is_fatal(drop):
    r = sendmail(drop, "-B", "bogus", "x@y")
    assert r.returncode == EX_TEMPFAIL
    assert r.stderr == b"sendmail: fatal: -B option needs 8BITMIME or 7BIT\n"
    assert maildrop(drop) == []


@pytest.mark.parametrize("args,message", [
    (["-Z"], b"sendmail: fatal: usage: sendmail [options]\n"),
    (["-X"], b"sendmail: fatal: usage: sendmail [options]\n"),
    (["-X", "/tmp/logfile"], b"sendmail: fatal: unsupported: -X/\n"),
    (["-bz"], b"sendmail: fatal: unsupported: -bz\n"),
    (["-qSsite"], b"sendmail: fatal: -qSsite is not supported"),
])
def test_usage_errors(drop, args, message):
    r = sendmail(drop, *args)
    assert r.returncode == EX_TEMPFAIL
    assert message in r.stderr
    assert maildrop(drop) == []


def test_no_recipients(drop):
    r = sendmail(drop)
    assert r.returncode == EX_TEMPFAIL
    assert r.stderr.endswith(
        f"sendmail: fatal: {LOGIN}({os.getuid()}): Recipient addresses must "
        "be specified on the command line or via the -t option\n".encode())
    assert maildrop(drop) == []


def test_library_errors_exit_tempfail(drop, tmp_path):
    argv = [str(drop.sbin / "sendmail"), "-C", str(tmp_path / "none"), "x@y"]
    r = subprocess.run(argv, input=b"x\n", capture_output=True,
                       env=drop.env())
    assert r.returncode == EX_TEMPFAIL
    assert r.stderr.startswith(b"sendmail: fatal: open ")


def test_ignored_modes_exit_0(drop):
    for args in (["-bh"], ["-bH"], ["-q30m"]):
        r = sendmail(drop, *args)
        assert r.returncode == 0, (args, r.stderr)
    assert maildrop(drop) == []


# ---------------------------------------------------------- content

def test_dot_ends_input_unless_i(drop):
    text = b"Subject: x\n\none\n..two\n.\nafter\n"
    assert sendmail(drop, "x@y", input=text).returncode == 0
    assert content(only_file(drop)) == [b"Subject: x", b"", b"one",
                                        b"..two"]
    for option in ("-i", "-oi"):
        for p in maildrop(drop):
            p.unlink()
        assert sendmail(drop, option, "x@y", input=text).returncode == 0
        assert content(only_file(drop))[-2:] == [b".", b"after"]


def test_dot_line_with_crlf_ends_input(drop):
    r = sendmail(drop, "x@y", input=b"a\r\n.\r\nb\r\n")
    assert r.returncode == 0
    assert content(only_file(drop)) == [b"a"]


@pytest.mark.parametrize("mode,first,expect", [
    ("always", b"a\r\nb\nc\r\n", [b"a", b"b", b"c"]),
    ("always", b"a\nb\r\n", [b"a", b"b"]),
    ("strict", b"a\r\nb\nc\r\n", [b"a", b"b", b"c"]),
    ("strict", b"a\nb\r\n", [b"a", b"b\r"]),
    ("never", b"a\r\nb\n", [b"a\r", b"b"]),
])
def test_fix_line_endings(drop, mode, first, expect):
    drop.write_main_cf(sendmail_fix_line_endings=mode)
    r = sendmail(drop, "-i", "x@y", input=first)
    assert r.returncode == 0, r.stderr
    assert content(only_file(drop)) == expect


def test_bad_fix_line_endings_value(drop):
    drop.write_main_cf(sendmail_fix_line_endings="sometimes")
    r = sendmail(drop, "x@y")
    assert r.returncode == EX_TEMPFAIL
    assert b"invalid sendmail_fix_line_endings parameter value" in r.stderr


def test_long_lines_become_part_records(drop):
    drop.write_main_cf(line_length_limit=512)
    line = b"x" * 1500
    r = sendmail(drop, "x@y", input=b"Subject: s\n\n" + line + b"\nend\n")
    assert r.returncode == 0
    recs = only_file(drop)
    pieces = [(k, len(v)) for k, v in recs if k in "PL"]
    assert pieces == [("L", 10), ("L", 0), ("P", 512), ("P", 512),
                      ("L", 476), ("L", 3)]
    assert content(recs)[2] == line


def test_null_bytes_and_no_final_newline(drop):
    r = sendmail(drop, "x@y", input=b"a\0b\nlast")
    assert r.returncode == 0
    assert content(only_file(drop)) == [b"a\0b", b"last"]


def test_message_size_limit(drop):
    drop.write_main_cf(message_size_limit=1000)
    r = sendmail(drop, "x@y", input=b"x" * 3000 + b"\n")
    assert r.returncode == EX_TEMPFAIL
    assert r.stderr.endswith(
        f"sendmail: fatal: {LOGIN}({os.getuid()}): message file too big\n"
        .encode())
    time.sleep(0.2)
    assert maildrop(drop) == []


# ------------------------------------------------------------- -t

def test_extract_recipients(drop):
    text = (b'From: me\nTo: "A B" <a@x>, c@y (comment),\n\tgroup: g1@x,'
            b' g2@y;, "q u"@z\nCC: cc@x\nbcc: bcc@x\nSubject: s\n'
            b' To: notahdr@x\n\nTo: body@x\n')
    r = sendmail(drop, "-t", "-i", input=text)
    assert r.returncode == 0, r.stderr
    recs = only_file(drop)
    assert [v for k, v in envelope(recs) if k == "R"] == []
    assert extracted(recs) == ["a@x", "c@y", "g1@x", "g2@y", "q u@z",
                               "cc@x", "bcc@x"]
    # The headers stay: cleanup removes Bcc:.
    assert b"bcc: bcc@x" in content(recs)


def test_extract_resent_takes_precedence(drop):
    text = b"To: a@x\nResent-To: rt@x\nResent-Cc: rc@x\n\nbody\n"
    assert sendmail(drop, "-t", input=text).returncode == 0
    assert extracted(only_file(drop)) == ["rt@x", "rc@x"]


def test_extract_adds_to_command_line(drop):
    assert sendmail(drop, "-t", "b@y", input=b"To: a@x\n\n").returncode == 0
    recs = only_file(drop)
    assert [v for k, v in envelope(recs) if k == "R"] == ["b@y"]
    assert extracted(recs) == ["a@x"]


def test_extract_without_recipients(drop):
    r = sendmail(drop, "-t", input=b"To: undisclosed-recipients:;\n\nx\n")
    assert r.returncode == EX_TEMPFAIL
    assert r.stderr.endswith(
        f"sendmail: fatal: {LOGIN}({os.getuid()}): No recipient addresses "
        "found in message header\n".encode())
    time.sleep(0.2)
    assert maildrop(drop) == []


def test_extract_stops_at_non_header(drop):
    text = b"To: a@x\nnot a header\nCc: b@x\n\n"
    assert sendmail(drop, "-t", input=text).returncode == 0
    assert extracted(only_file(drop)) == ["a@x"]


def test_extract_huge_header_is_bounded(drop):
    """-t and a header over header_size_limit: refused, with Postfix
    3.7's words (observed), naming the sender; nothing is queued. Any
    header counts, also a folded one; one at the limit is fine."""
    drop.write_main_cf(header_size_limit=1000)
    addrs = b", ".join(b"u%d@example.com" % i for i in range(2000))
    for text in (b"To: " + addrs + b"\n\nx\n",
                 b"To: a@x\nX-Big: " + b"y" * 1000 + b"\n\nx\n",
                 b"To: a@x\nX-Big: y" + b"\n y" * 500 + b"\n\nx\n"):
        r = sendmail(drop, "-t", "-f", "s@example.com", input=text)
        assert r.returncode == EX_TEMPFAIL
        assert r.stderr == (
            f"sendmail: fatal: s@example.com({os.getuid()}): unable to "
            "extract recipients: message header length exceeds safety "
            "limit\n").encode()
        time.sleep(0.2)
        assert maildrop(drop) == []
    r = sendmail(drop, "-t", input=b"To: a@x\nX-Big: " + b"y" * 990
                 + b"\n\nx\n")
    assert r.returncode == 0
    assert extracted(only_file(drop)) == ["a@x"]


# ----------------------------------------------------- authorization

def test_not_authorized(drop):
    drop.write_main_cf(authorized_submit_users="")
    r = sendmail(drop, "x@y")
    assert r.returncode == EX_TEMPFAIL
    assert r.stderr == (f"sendmail: fatal: User {LOGIN}({os.getuid()}) is "
                        "not allowed to submit mail\n").encode()
    r = postdrop(drop, record_stream(valid_records()))
    assert r.returncode == POSTDROP_FAIL
    assert r.stderr == (f"postdrop: fatal: User {LOGIN}({os.getuid()}) is "
                        "not allowed to submit mail\n").encode()
    assert maildrop(drop) == []


@pytest.mark.parametrize("value,allowed", [
    ("static:anyone", True), (LOGIN, True), (f"!{LOGIN}, static:anyone",
                                              False),
    ("nobody, someone", False), (f"inline:{{{LOGIN}=x}}", True),
])
def test_authorized_submit_users(drop, value, allowed):
    drop.write_main_cf(authorized_submit_users=value)
    r = sendmail(drop, "x@y")
    assert (r.returncode == 0) == allowed, r.stderr


def test_authorized_users_file(drop, tmp_path):
    users = tmp_path / "users"
    users.write_text(f"# comment\nnobody\n!{LOGIN}\n")
    drop.write_main_cf(authorized_submit_users=f"{users}, static:anyone")
    assert sendmail(drop, "x@y").returncode == EX_TEMPFAIL


# ------------------------------------------------- other programs

def test_mailq_modes_run_postqueue(drop):
    missing = str(drop.sbin / "postqueue").encode()
    for args in (["-bp"], ["-q"], ["-qIABCDEF"], ["-qRexample.com"]):
        r = sendmail(drop, *args)
        if (drop.sbin / "postqueue").exists():
            continue
        assert r.returncode == EX_UNAVAILABLE, args
        assert r.stderr == b"sendmail: fatal: execv " + missing + \
            b": No such file or directory\n"
    link = drop.root / "usr/bin/mailq"
    assert os.readlink(link) == "../sbin/sendmail"
    r = subprocess.run([str(link), "-C", str(drop.config_dir)],
                       capture_output=True, env=drop.env())
    if not (drop.sbin / "postqueue").exists():
        assert r.returncode == EX_UNAVAILABLE
        assert r.stderr.startswith(b"mailq: fatal: execv ")


@pytest.fixture
def fake_programs(drop, tmp_path):
    """command_directory and daemon_directory with scripts that print
    their name, arguments and MAIL_CONFIG instead of doing anything."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    for name in ("postqueue", "postfix", "postalias", "smtpd"):
        script = bin_dir / name
        script.write_text("#!/bin/sh\n"
                          f'echo "{name} $0 $* [$MAIL_CONFIG]"\n')
        script.chmod(0o755)
    drop.write_main_cf(command_directory=bin_dir, daemon_directory=bin_dir)
    return bin_dir


@pytest.mark.parametrize("args,expect", [
    (["-bp"], "postqueue -c {c} -p"),
    (["-q"], "postqueue -c {c} -f"),
    (["-qIABCDEF"], "postqueue -c {c} -i ABCDEF"),
    (["-qRexample.com"], "postqueue -c {c} -s example.com"),
    (["-bd"], "postfix -c {c} start"),
    (["-bl"], "postfix -c {c} start"),
    (["-bi"], "postalias -C {c}"),
    (["-I", "-oAhash:/x/y"], "postalias -C {c} -oAhash:/x/y"),
    (["-bs"], "smtpd -S"),
    (["-bs", "-v", "-v"], "smtpd -S -v"),
    (["-bp", "-v", "-v", "-v"], "postqueue -c {c} -v -v -p"),
])
def test_modes_run_other_programs(drop, fake_programs, args, expect):
    r = sendmail(drop, *args, input=b"")
    assert r.returncode == 0, r.stderr
    name, argv0, *rest = r.stdout.decode().split(" ")
    assert argv0 == str(fake_programs / name)
    line = " ".join([name] + rest).strip()
    assert line == expect.format(c=drop.config_dir) + \
        f" [{drop.config_dir}]"


def test_mailq_name_runs_postqueue(drop, fake_programs):
    link = drop.root / "usr/bin/mailq"
    r = subprocess.run([str(link), "-C", str(drop.config_dir)],
                       capture_output=True, text=True, env=drop.env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("postqueue ")
    assert f" -c {drop.config_dir} -p " in r.stdout


def test_smtp_mode_without_smtpd(drop):
    if (drop.libexec / "smtpd").exists():
        pytest.skip("smtpd exists now")
    r = sendmail(drop, "-bs", input=b"QUIT\r\n")
    assert r.returncode == EX_UNAVAILABLE
    assert b"sendmail: fatal: -bs: the SMTP server " in r.stderr
    assert b"cannot be run: No such file or directory" in r.stderr


def test_newaliases_mode(drop):
    aliases = drop.config_dir / "aliases"
    aliases.write_text("root: postmaster\n")
    for args in (["-bi"], ["-I"]):
        db = drop.config_dir / "aliases.lmdb"
        if db.exists():
            db.unlink()
        r = sendmail(drop, *args, input=b"")
        assert r.returncode == 0, r.stderr
        assert db.exists()
    other = drop.config_dir / "other"
    other.write_text("a: b\n")
    r = sendmail(drop, "-bi", f"-oAhash:{other}", input=b"")
    assert r.returncode == 0, r.stderr
    assert (drop.config_dir / "other.lmdb").exists()
    r = sendmail(drop, "-bi", "someone", input=b"")
    assert r.returncode == EX_TEMPFAIL
    assert b"alias initialization mode requires no recipient" in r.stderr


def test_config_file_path(drop):
    argv = [str(drop.sbin / "sendmail"), "-C",
            str(drop.config_dir / "main.cf"), "x@y"]
    r = subprocess.run(argv, input=b"x\n", capture_output=True,
                       env=drop.env())
    assert r.returncode == 0, r.stderr
    assert len(maildrop(drop)) == 1


# ----------------------------------------------------------- postdrop

def test_postdrop_accepts_valid_stream(drop):
    data = record_stream(valid_records(attrs=["full_name=X Y"],
                                       extracted=["e@x"]))
    r = postdrop(drop, data, "-r")
    assert r.returncode == 0, r.stderr
    assert maildrop(drop)[0].read_bytes() == data


@pytest.mark.parametrize("records,reason", [
    ([("Q", "postel-queue 2")], b"first record"),
    (valid_records(attrs=["bogus=1"]), b'unknown attribute name "bogus"'),
    (valid_records(attrs=["dsn_ret=3"]), b"bad dsn_ret value"),
    (valid_records(attrs=["dsn_notify=3"]), b"bad dsn_notify value"),
    (valid_records(attrs=["encoding=binary"]), b"bad encoding value"),
    (valid_records(rcpts=["a\0b"]), b"null byte or line break"),
    (valid_records(rcpts=["a\nb"]), b"null byte or line break"),
    (valid_records(rcpts=[""]), b"empty recipient"),
    (valid_records(sender="x" * 5000), b"sender longer than"),
    (valid_records() + [("L", "after end")], b""),
    ([r for r in valid_records() if r[0] != "T"], b""),
    ([("D", "x") if r[0] == "R" else r for r in valid_records()], b""),
])
def test_postdrop_refuses_bad_streams(drop, records, reason):
    r = postdrop(drop, record_stream(records))
    assert r.returncode == POSTDROP_FAIL, r.stderr
    assert reason in r.stderr
    assert r.stderr.endswith(b"postdrop: fatal: uid=%d: malformed input\n"
                             % os.getuid())
    assert maildrop(drop) == []


def test_postdrop_truncated_streams(drop):
    """Cut inside a record: malformed (exit 1). Cut where a record could
    start, before the end record (empty input included): a submission
    given up, exit 0 without a word, as Postfix's postdrop (observed)."""
    data = record_stream(valid_records())
    boundaries = {0}
    for i, byte in enumerate(data[:-1]):
        if byte == ord("\n"):
            boundaries.add(i + 1)
    cuts = sorted(set(range(0, len(data) - 1, 3)) | boundaries)
    for cut in cuts:
        r = postdrop(drop, data[:cut])
        if cut in boundaries:
            assert (r.returncode, r.stderr) == (0, b""), (cut, r.stderr)
        else:
            assert r.returncode == POSTDROP_FAIL, (cut, r.stderr)
            assert r.stderr.endswith(
                b"postdrop: fatal: uid=%d: malformed input\n" % os.getuid())
        assert maildrop(drop) == [], cut


def test_postdrop_empty_input(drop):
    r = postdrop(drop, b"")
    assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")
    assert maildrop(drop) == []


def test_postdrop_garbage(drop):
    for data in (b"garbage", b"\0" * 100, b"Q999999999999 x\n",
                 b"Q14 postel-queue 1", os.urandom(2000)):
        r = postdrop(drop, data)
        assert r.returncode == POSTDROP_FAIL
    assert maildrop(drop) == []


def test_postdrop_size_limit(drop):
    drop.write_main_cf(message_size_limit=100)
    r = postdrop(drop, record_stream(valid_records(body=["x" * 200])))
    assert r.returncode == POSTDROP_SIZE
    assert b"postdrop: fatal: uid=%d: message file too big" % os.getuid() \
        in r.stderr
    assert maildrop(drop) == []


def test_postdrop_usage(drop):
    r = postdrop(drop, b"", "extra")
    assert r.returncode == POSTDROP_FAIL
    assert b"usage: postdrop" in r.stderr
    r = postdrop(drop, b"", "-Z")
    assert r.returncode == POSTDROP_FAIL
    assert b"usage: postdrop" in r.stderr


@pytest.mark.parametrize("status,lines", [
    (1, ['sendmail: warning: command "{pd} -r" exited with status 1',
         "sendmail: fatal: {who}: unable to execute {pd} -r: "
         "Application error"]),
    (77, ['sendmail: warning: command "{pd} -r" exited with status 77',
          "sendmail: fatal: {who}: unable to execute {pd} -r: "
          "Application error"]),
    (4, ["sendmail: fatal: {who}: message file too big"]),
])
def test_sendmail_postdrop_failure(drop, shared_tmp, status, lines):
    """Whatever postdrop exits with, sendmail exits EX_TEMPFAIL, in
    Postfix's sendmail's words (observed with Debian's Postfix 3.7)."""
    fake = shared_tmp / "postdrop"
    fake.write_text(f"#!/bin/sh\ncat >/dev/null\nexit {status}\n")
    fake.chmod(0o755)
    drop.write_main_cf(command_directory=shared_tmp)
    r = sendmail(drop, "x@y")
    assert r.returncode == EX_TEMPFAIL
    who = f"{LOGIN}({os.getuid()})"
    want = "".join(line.format(pd=fake, who=who) + "\n" for line in lines)
    assert r.stderr.decode() == want


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM,
                                 signal.SIGHUP, signal.SIGQUIT,
                                 signal.SIGPIPE])
def test_postdrop_signal_removes_file(drop, sig):
    argv = [str(drop.sbin / "postdrop"), "-c", str(drop.config_dir)]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=drop.env())
    proc.stdin.write(record_stream(valid_records())[:40])
    proc.stdin.flush()
    deadline = time.monotonic() + 10
    while not maildrop(drop) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [p.name.startswith("tmp.") for p in maildrop(drop)] == [True]
    proc.send_signal(sig)
    proc.wait(timeout=10)
    proc.stdin.close()
    proc.stderr.close()
    assert proc.returncode != 0
    assert maildrop(drop) == []


def test_sendmail_killed_mid_message(drop):
    """sendmail dies halfway: postdrop sees no Z and keeps nothing."""
    argv = [str(drop.sbin / "sendmail"), "-C", str(drop.config_dir), "x@y"]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=drop.env())
    proc.stdin.write(b"Subject: x\n\n" + b"line\n" * 1000)
    proc.stdin.flush()
    time.sleep(0.3)
    proc.kill()
    proc.wait(timeout=10)
    proc.stdin.close()
    proc.stderr.close()
    deadline = time.monotonic() + 10
    while maildrop(drop) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert maildrop(drop) == []


def test_postdrop_wakes_pickup(drop):
    fifo = drop.queue_dir / "public/pickup"
    os.mkfifo(fifo, 0o622)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        r = postdrop(drop, record_stream(valid_records()))
        assert (r.returncode, r.stderr) == (0, b"")
        assert os.read(fd, 10) == b"W"
    finally:
        os.close(fd)


def test_postdrop_without_pickup_warns(drop):
    r = postdrop(drop, record_stream(valid_records()))
    assert r.returncode == 0
    assert r.stderr == (b"postdrop: warning: unable to look up "
                        b"public/pickup: No such file or directory\n")
    assert len(maildrop(drop)) == 1


# ------------------------------------------------- set-gid postdrop

@pytest.fixture
def setgid_drop(privileged_instance):
    """A root-owned instance whose postdrop is a set-gid postdrop copy."""
    import grp
    import shutil
    inst = privileged_instance
    try:
        gid = grp.getgrnam("postdrop").gr_gid
    except KeyError:
        pytest.skip("no postdrop group")
    uid = pwd.getpwnam("postfix").pw_uid
    for name, mode in (("maildrop", 0o730), ("public", 0o710)):
        path = inst.queue_dir / name
        path.mkdir(exist_ok=True)
        os.chown(path, uid, gid)
        path.chmod(mode)
    bin_dir = inst.base / "bin"
    bin_dir.mkdir()
    shutil.copy(inst.sbin / "postdrop", bin_dir / "postdrop")
    os.chown(bin_dir / "postdrop", 0, gid)
    (bin_dir / "postdrop").chmod(0o2755)
    inst.write_main_cf(command_directory=bin_dir)
    return inst


def test_setgid_postdrop_as_root(setgid_drop):
    inst = setgid_drop
    r = sendmail(inst, "x@y")
    assert r.returncode == 0, r.stderr
    files = maildrop(inst)
    assert len(files) == 1
    st = files[0].stat()
    assert (st.st_uid, st.st_mode & 0o7777) == (0, 0o644)


def test_setgid_postdrop_refuses_other_config_for_users(setgid_drop):
    """As another user, the set-gid postdrop takes a non-default config
    directory only when the default main.cf allows it."""
    inst = setgid_drop
    nobody = pwd.getpwnam("nobody")

    def as_nobody():
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
    argv = [str(inst.sbin / "sendmail"), "-C", str(inst.config_dir), "x@y"]
    r = subprocess.run(argv, input=b"x\n", capture_output=True,
                       env=inst.env(), preexec_fn=as_nobody, timeout=30)
    assert r.returncode == EX_TEMPFAIL, r.stderr
    assert b"postdrop: fatal: " in r.stderr
    assert maildrop(inst) == []


def test_user_without_password_entry(privileged_instance):
    """A uid that the password file does not know: EX_NOUSER."""
    inst = privileged_instance
    uid = 54321
    while True:
        try:
            pwd.getpwuid(uid)
            uid += 1
        except KeyError:
            break

    def as_unknown():
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    argv = [str(inst.sbin / "sendmail"), "-C", str(inst.config_dir), "x@y"]
    r = subprocess.run(argv, input=b"x\n", capture_output=True,
                       env=inst.env(), preexec_fn=as_unknown, timeout=30)
    assert r.returncode == 67, r.stderr
    assert r.stderr == b"sendmail: fatal: no login name found for user ID " \
        b"%d\n" % uid


# ------------------------------------------------------------- pickup

def attr_message(items):
    out = b""
    for kind, name, value in items:
        out += kind.encode() + name.encode() + b"\0"
        if kind in "is":
            out += str(value).encode() + b"\0"
    return out + b"."


def read_attr_message(conn_file):
    """Read one attribute-list message (strings and ints only)."""
    items = {}
    while True:
        kind = conn_file.read(1)
        if kind == b".":
            return items
        name = b""
        while (c := conn_file.read(1)) != b"\0":
            name += c
        value = b""
        while (c := conn_file.read(1)) != b"\0":
            value += c
        items[name.decode()] = value.decode()


class FakeCleanup:
    """public/cleanup: greets, reads the request and records, replies."""

    def __init__(self, path: Path, status=0, reason=""):
        self.path, self.status, self.reason = path, status, reason
        self.sessions = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.stopping = False
        self.count = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            conn.settimeout(10)
            self.count += 1
            queue_id = "ABCDEF%03d" % self.count
            f = conn.makefile("rwb")
            f.write(attr_message([("s", "protocol", "cleanup"),
                                  ("s", "queue_id", queue_id)]))
            f.flush()
            request = read_attr_message(f)
            records = []
            while True:
                kind = f.read(1)
                if not kind:
                    break
                length = b""
                while (c := f.read(1)) != b" ":
                    length += c
                value = f.read(int(length))
                f.read(1)
                records.append((kind.decode(), value))
                if kind == b"Z":
                    break
            self.sessions.append((request, records))
            if records and records[-1][0] == "Z":
                f.write(attr_message([("i", "status", self.status),
                                      ("s", "reason", self.reason),
                                      ("s", "queue_id", queue_id)]))
                f.flush()
            f.close()
            conn.close()

    def stop(self):
        self.stopping = True
        self.thread.join(timeout=5)
        self.sock.close()
        self.path.unlink()


@pytest.fixture
def cleanup(drop):
    servers = []

    def start(**kw):
        server = FakeCleanup(drop.queue_dir / "public/cleanup", **kw)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


def run_pickup(inst):
    env = inst.env()
    env["MAIL_CONFIG"] = str(inst.config_dir)
    return subprocess.run([str(inst.libexec / "pickup"), "-S", "-V"],
                          input=b"W", capture_output=True, timeout=60,
                          env=env, cwd=str(inst.queue_dir))


def drop_hostname(inst):
    """$myhostname of an instance, as its postconf says."""
    r = subprocess.run([str(inst.sbin / "postconf"), "-c",
                        str(inst.config_dir), "-h", "myhostname"],
                       capture_output=True, timeout=60, check=True)
    return r.stdout.strip()


def drop_file(inst, name, data):
    path = inst.queue_dir / "maildrop" / name
    path.write_bytes(data)
    return path


def test_pickup_sends_message_to_cleanup(drop, cleanup):
    server = cleanup()
    r = sendmail(drop, "-f", "s@example.com", "-N", "failure", "-R", "full",
                 "-V", "env1", "-F", "Me", "r1@x", "r2@x")
    assert r.returncode == 0
    r = run_pickup(drop)
    assert r.returncode == 0, r.stderr
    assert b"pickup: ABCDEF001: uid=%d from=<s@example.com>" % os.getuid() \
        in r.stderr
    assert maildrop(drop) == []
    request, records = server.sessions[0]
    assert request == {"protocol": "cleanup", "flags": str(1 | 2 | 16 | 32)}
    kinds = "".join(k for k, _ in records)
    assert kinds == "TFAAEYonRonRMLLLLLXZ", kinds
    # Postfix's DSN original recipient of each sendmail recipient.
    assert [d for k, d in records if k == "o"] == [b"rfc822;r1@x",
                                                   b"rfc822;r2@x"]
    # Postfix's pickup header, first in the content.
    received = [d for k, d in records if k == "L"][:2]
    assert received[0] == b"Received: by %s (Postfix, from userid %d)" % (
        drop_hostname(drop), os.getuid())
    assert re.fullmatch(rb"\tid ABCDEF001; \w{3}, [ 1-3]\d \w{3} \d{4} "
                        rb"\d\d:\d\d:\d\d [-+]\d{4} \(\w+\)", received[1])
    assert (("A", b"full_name=Me") in records
            and ("E", b"env1") in records and ("Y", b"1") in records
            and ("n", b"4") in records)


def test_pickup_received_header(drop, cleanup):
    """Received: by $myhostname ($mail_name, from userid N), dated with
    the maildrop file's modification time, as Postfix's pickup writes it."""
    drop.write_main_cf(myhostname="pick.example", mail_name="Postel")
    server = cleanup()
    assert sendmail(drop, "-t", input=b"To: a@x\n\nbody\n").returncode == 0
    (path,) = maildrop(drop)
    when = 1796430221                   # Sat Dec  5 00:23:41 2026 UTC
    os.utime(path, (when, when))
    assert run_pickup(drop).returncode == 0
    local = time.localtime(when)
    offset = local.tm_gmtoff // 60
    date = time.strftime("%a, %e %b %Y %H:%M:%S ", local) + "%c%02d%02d" % (
        "-" if offset < 0 else "+", abs(offset) // 60, abs(offset) % 60)
    if local.tm_zone:
        date += f" ({local.tm_zone})"
    _, records = server.sessions[0]
    lines = [d for k, d in records if k == "L"]
    assert lines == [
        b"Received: by pick.example (Postel, from userid %d)" % os.getuid(),
        b"\tid ABCDEF001; " + date.encode(), b"To: a@x", b"", b"body"]


def test_pickup_extract_flag(drop, cleanup):
    server = cleanup()
    assert sendmail(drop, "-t", input=b"To: a@x\n\nbody\n").returncode == 0
    assert run_pickup(drop).returncode == 0
    request, records = server.sessions[0]
    assert int(request["flags"]) & 64
    assert [k for k, _ in records][-2:] == ["X", "Z"]
    assert "R" not in [k for k, _ in records]


def test_pickup_receive_override_options(drop, cleanup):
    server = cleanup()
    drop.write_main_cf(receive_override_options="no_header_body_checks, "
                       "no_address_mappings")
    assert sendmail(drop, "x@y").returncode == 0
    assert run_pickup(drop).returncode == 0
    assert server.sessions[0][0]["flags"] == "1"


def test_pickup_keeps_file_when_cleanup_is_down(drop):
    assert sendmail(drop, "x@y").returncode == 0
    r = run_pickup(drop)
    assert r.returncode == 0
    assert b"will retry" in r.stderr
    assert len(maildrop(drop)) == 1


def test_pickup_keeps_file_on_temporary_failure(drop, cleanup):
    cleanup(status=2, reason="4.3.0 queue file write error")
    assert sendmail(drop, "x@y").returncode == 0
    r = run_pickup(drop)
    assert b"4.3.0 queue file write error: will retry" in r.stderr
    assert len(maildrop(drop)) == 1


def test_pickup_removes_file_on_permanent_failure(drop, cleanup):
    cleanup(status=1, reason="5.3.0 bad message format")
    assert sendmail(drop, "x@y").returncode == 0
    r = run_pickup(drop)
    assert b"5.3.0 bad message format: file removed" in r.stderr
    assert maildrop(drop) == []


GARBAGE = {
    "ABCDEF1": b"garbage",
    "ABCDEF2": b"",
    "ABCDEF3": record_stream(valid_records())[:-5],
    "ABCDEF4": record_stream(valid_records(attrs=["protocol=x"])),
    "ABCDEF5": record_stream(valid_records()) + b"Z0 \n",
    "ABCDEF6": record_stream(valid_records(rcpts=["a\0b"])),
    "ABCDEF7": b"L99999999 x\n",
    "ABCDEF8": record_stream([("Q", "postel-queue 1"), ("S", "x")]),
}


def test_pickup_drops_garbage_files(drop, cleanup):
    server = cleanup()
    for name, data in GARBAGE.items():
        drop_file(drop, name, data)
    good = drop_file(drop, "BBBBBB1", record_stream(valid_records()))
    r = run_pickup(drop)
    assert r.returncode == 0, r.stderr
    for name in GARBAGE:
        assert b"maildrop/%s: uid=%d from=<" % (name.encode(), os.getuid()) \
            in r.stderr
    assert r.stderr.count(b"file removed") == len(GARBAGE)
    assert maildrop(drop) == []
    assert not good.exists()
    assert len(server.sessions) == 1        # only the good one


def test_pickup_refuses_links_and_non_files(drop, cleanup):
    server = cleanup()
    target = drop.base / "target"
    target.write_bytes(record_stream(valid_records()))
    os.symlink(target, drop.queue_dir / "maildrop/CCCCCC1")
    os.link(target, drop.queue_dir / "maildrop/CCCCCC2")
    (drop.queue_dir / "maildrop/CCCCCC3").mkdir()
    r = run_pickup(drop)
    assert r.returncode == 0
    assert r.stderr.count(b"not a regular file: removed") >= 2
    assert not (drop.queue_dir / "maildrop/CCCCCC1").is_symlink()
    assert not (drop.queue_dir / "maildrop/CCCCCC2").exists()
    assert target.exists()
    assert server.sessions == []


def test_pickup_removes_stale_temporary_files(drop, cleanup):
    cleanup()
    drop.write_main_cf(ipc_timeout="10s")
    old = drop_file(drop, "tmp.1.1", b"Q14 post")
    young = drop_file(drop, "tmp.2.1", b"Q14 post")
    past = time.time() - 60
    os.utime(old, (past, past))
    r = run_pickup(drop)
    assert r.returncode == 0
    assert b"maildrop/tmp.1.1: removing stale temporary file" in r.stderr
    assert not old.exists() and young.exists()


def test_pickup_refuses_oversized_files(drop, cleanup):
    server = cleanup()
    drop.write_main_cf(message_size_limit=1000)
    big = drop_file(drop, "DDDDDD1", b"L0 \n")
    os.truncate(big, 64 * 1024 * 1024 + 4000 + 1)
    r = run_pickup(drop)
    assert r.returncode == 0
    assert b"maildrop/DDDDDD1: uid=%d: file size 67112865 is out of bounds: " \
        b"file removed" % os.getuid() in r.stderr
    assert not big.exists() and server.sessions == []


def test_pickup_ignores_other_names(drop, cleanup):
    server = cleanup()
    other = drop_file(drop, "not-a-queue-id", b"x")
    r = run_pickup(drop)
    assert r.returncode == 0
    assert other.exists() and server.sessions == []


# ------------------------------------------------ end to end, real master

def have_daemons(install_root):
    libexec = install_root / "usr/libexec/postfix"
    return all((libexec / name).exists()
               for name in ("master", "pickup", "cleanup", "trivial-rewrite"))


@pytest.fixture(params=["unprivileged", "privileged"])
def submit_master(request, install_root, test_daemons, shared_tmp):
    """master with pickup, cleanup and trivial-rewrite. Unprivileged: the
    mode of test_master's umaster (as root, everything runs as the
    mail_owner). Privileged (root only): master as root, daemons as
    postfix, sendmail as root with a set-gid postdrop, so that pickup
    reads a mode 0644 file owned by root."""
    if not have_daemons(install_root):
        pytest.skip("cleanup or trivial-rewrite is not built in this tree")
    import grp
    import shutil
    from test_master import IS_ROOT, Master, POSTLOG
    privileged = request.param == "privileged"
    if privileged and not IS_ROOT:
        pytest.skip("privileged mode needs root")
    m = Master(install_root, test_daemons, shared_tmp, privileged=privileged)
    owner = (m.uid, m.gid) if privileged else m.run_as
    for name in ("maildrop", "incoming", "active", "hold", "corrupt",
                 "deferred"):
        path = m.queue / name
        path.mkdir(exist_ok=True)
        if owner:
            os.chown(path, *owner)
    if privileged:
        gid = grp.getgrnam("postdrop").gr_gid
        for name, mode in (("maildrop", 0o730), ("public", 0o710)):
            os.chown(m.queue / name, m.uid, gid)
            (m.queue / name).chmod(mode)
        bin_dir = m.base / "bin"
        bin_dir.mkdir()
        shutil.copy(m.inst.sbin / "postdrop", bin_dir / "postdrop")
        os.chown(bin_dir / "postdrop", 0, gid)
        (bin_dir / "postdrop").chmod(0o2755)
        m.main_cf(command_directory=bin_dir)
    m.master_cf(POSTLOG
                + "pickup unix n - y 60 1 pickup\n"
                + "cleanup unix n - n - 0 cleanup\n"
                + "rewrite unix - - n - - trivial-rewrite\n", postlog=False)
    yield m
    m.cleanup()


def submit(m, *args, input=b"Subject: e2e\n\nbody\n"):
    argv = [str(m.inst.sbin / "sendmail"), "-C", str(m.inst.config_dir),
            *args]
    return subprocess.run(argv, input=input, capture_output=True,
                          timeout=60, env=m.inst.env(),
                          preexec_fn=m._preexec)


def incoming_files(m, count, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # maildrop/ first; complete files only (the owner execute bit).
        if not maildrop_files(m):
            files = [p for p in (m.queue / "incoming").iterdir()
                     if not p.name.startswith("tmp.")
                     and p.stat().st_mode & 0o100]
            if len(files) >= count:
                return files
        time.sleep(0.1)
    raise AssertionError("no queue file in incoming/:\n" + m.log()[-3000:])


def maildrop_files(m):
    return sorted((m.queue / "maildrop").iterdir())


def test_end_to_end(submit_master):
    m = submit_master
    m.start()
    uid = m.run_as[0] if m.run_as else os.getuid()
    if m.privileged:
        uid = 0
    login = pwd.getpwuid(uid).pw_name
    r = submit(m, "-f", "sender@example.com", "rcpt@example.com")
    assert (r.returncode, r.stderr) == (0, b"")
    files = incoming_files(m, 1)
    queue_id = files[0].name
    log = m.wait_log(f"{queue_id}: uid={uid} from=<sender@example.com>")
    assert "postfix/pickup[" in log
    # As Postfix: pickup's line comes before cleanup's first line.
    log = m.wait_log(f"{queue_id}: message-id=<")
    assert (log.index(f"{queue_id}: uid={uid} from=<sender@example.com>")
            < log.index(f"{queue_id}: message-id=<"))
    recs = parse_records(files[0].read_bytes())
    assert ("F", b"sender@example.com") in recs
    assert ("R", b"rcpt@example.com") in recs
    assert b"Subject: e2e" in [v for k, v in recs if k == "L"]
    assert maildrop_files(m) == []

    # -t: cleanup extracts the recipients and removes Bcc:.
    r = submit(m, "-t", input=b"To: to@example.com\nBcc: hidden@example.com"
               b"\nSubject: t\n\nbody\n")
    assert r.returncode == 0, r.stderr
    files = incoming_files(m, 2)
    new = [p for p in files if p.name != queue_id][0]
    recs = parse_records(new.read_bytes())
    rcpts = sorted(v for k, v in recs if k == "R")
    assert rcpts == [b"hidden@example.com", b"to@example.com"]
    assert not [v for k, v in recs if k == "L" and v.lower().startswith(b"bcc:")]
    # cleanup appended $myorigin to the login name.
    assert ("F", f"{login}@test.example".encode()) in recs


def test_end_to_end_garbage_and_restart(submit_master):
    m = submit_master
    garbage = m.queue / "maildrop" / "ABCDEF9"
    garbage.write_bytes(b"garbage")
    if m.run_as and not m.privileged:
        os.chown(garbage, *m.run_as)
    r = submit(m, "x@example.com")
    assert r.returncode == 0
    # Nothing picks the file up before master runs; then pickup's first
    # scan (postkick-free: master's wakeup) finds both.
    m.start()
    subprocess.run([str(m.inst.sbin / "postkick"), "-c",
                    str(m.inst.config_dir), "public", "pickup", "W"],
                   preexec_fn=m._preexec, env=m.inst.env(),
                   capture_output=True)
    incoming_files(m, 1)
    m.wait_log("maildrop/ABCDEF9: uid=")
    assert not garbage.exists()


@pytest.mark.parametrize("args,delims,warning", [
    (["-XV"], "+=", b""),
    (["-XV-="], "-=", b""),
    (["-X", "V+="], "+=", b""),
    (["-V+="], "+=", b"sendmail: warning: option -V+= is deprecated with "
     b"Postfix 2.3; specify -XV+= instead\n"),
    (["-V", "-f"], "+=", b"sendmail: warning: option -V is deprecated with "
     b"Postfix 2.3; specify -XV instead\n"),
])
def test_verp_record(drop, args, delims, warning):
    """-XV / old -V: a V record before the recipients (Postfix's rules)."""
    r = sendmail(drop, *args, "list@example.com", "x@y")
    assert r.returncode == 0, r.stderr
    assert warning in r.stderr
    assert (b"deprecated" in r.stderr) == bool(warning)
    env = envelope(only_file(drop))
    assert ("V", delims) in env
    assert env.index(("V", delims)) < env.index(("R", "x@y"))


def test_verp_default_delimiters_setting(drop):
    drop.write_main_cf(default_verp_delimiters="-=")
    r = sendmail(drop, "-XV", "-f", "list@example.com", "x@y")
    assert r.returncode == 0, r.stderr
    assert ("V", "-=") in envelope(only_file(drop))


@pytest.mark.parametrize("value,message", [
    ("+=+", b"bad string length 3 > 2: default_verp_delimiters = +=+"),
    ("ab", b"parameters default_verp_delimiters and verp_delimiter_filter: "
     b"bad first VERP delimiter character"),
])
def test_verp_bad_default_delimiters(drop, value, message):
    drop.write_main_cf(default_verp_delimiters=value)
    r = sendmail(drop, "-XV", "-f", "list@example.com", "x@y")
    assert r.returncode == EX_TEMPFAIL
    assert message in r.stderr
    assert maildrop(drop) == []


def test_envid_is_not_verp(drop):
    """-V with a value other than two characters is still ENVID."""
    r = sendmail(drop, "-V", "+=+", "-f", "list@example.com", "x@y")
    assert r.returncode == 0, r.stderr
    env = envelope(only_file(drop))
    assert ("A", "dsn_envid=+=+") in env
    assert not [k for k, _ in env if k == "V"]
