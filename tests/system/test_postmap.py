"""System tests for postmap(1): build, query, update and list tables.

The expected answers and messages are those of Postfix 3.7's postmap for
the same input (checked by hand against Debian's /usr/sbin/postmap), except
where our tables differ on purpose (no Berkeley DB: hash: and btree: live
in name.lmdb; keys without a trailing null byte; cdb tables can be listed).
"""

import os
import pwd
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from bounded_messages import HUGE, assert_bounded, quoted

SOURCE = (
    "# a comment\n"
    "Foo bar\n"
    "baz  qux quux\n"
    "  continued\n"
    "\n"
    "foo dup\n"
    "badline\n"
    '"a b" c\n'
    "key: value\n"
)

SOURCE_WARNINGS = (
    "postmap: warning: {table}: duplicate entry: \"foo\"\n"
    "postmap: warning: {src}, line 7: expected format: key whitespace value\n"
    "postmap: warning: {src}, line 9: record is in \"key: value\" format; "
    "is this an alias file?\n"
)

LISTING = '"a b"\tc\nbaz\tqux quux  continued\nfoo\tbar\nkey:\tvalue\n'


def stderr_lines(result):
    """Diagnostics, one per line, as a list."""
    return result.stderr.splitlines()


@pytest.fixture
def src(instance):
    """A table source file in the instance directory."""
    path = instance.base / "table"
    path.write_text(SOURCE)
    return path


def postmap(instance, *args, **kw):
    return instance.run("postmap", *args, **kw)


def expected_warnings(table, src):
    return SOURCE_WARNINGS.format(table=table, src=src)


@pytest.mark.parametrize("table_type,suffix", [
    ("lmdb", ".lmdb"), ("hash", ".lmdb"), ("btree", ".lmdb"), ("cdb", ".cdb"),
])
def test_build_query_list(instance, src, table_type, suffix):
    r = postmap(instance, f"{table_type}:{src}")
    assert r.returncode == 0
    assert r.stdout == ""
    assert r.stderr == expected_warnings(f"{table_type}:{src}", src)
    assert Path(str(src) + suffix).exists()
    assert not Path(str(src) + suffix + ".tmp").exists()
    for key, value in [("foo", "bar"), ("FOO", "bar"), ("baz", "qux quux  continued"),
                       ('"a b"', "c"), ("key:", "value")]:
        r = postmap(instance, "-q", key, f"{table_type}:{src}")
        assert (r.returncode, r.stdout, r.stderr) == (0, value + "\n", "")
    r = postmap(instance, "-q", "nosuchkey", f"{table_type}:{src}")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "")
    r = postmap(instance, "-f", "-q", "FOO", f"{table_type}:{src}")
    assert (r.returncode, r.stdout) == (1, "")
    r = postmap(instance, "-s", f"{table_type}:{src}")
    assert r.returncode == 0
    assert sorted(r.stdout.splitlines()) == sorted(LISTING.splitlines())
    if table_type != "cdb":
        assert r.stdout == LISTING


def test_default_type_and_multiple_files(instance, src):
    other = instance.base / "other"
    other.write_text("foo other\nonly here\n")
    r = postmap(instance, src, other)
    assert r.returncode == 0
    assert Path(str(src) + ".lmdb").exists()
    assert Path(str(other) + ".lmdb").exists()
    # The first table that has the key answers.
    r = postmap(instance, "-q", "foo", src, other)
    assert (r.returncode, r.stdout) == (0, "bar\n")
    r = postmap(instance, "-q", "only", src, other)
    assert (r.returncode, r.stdout) == (0, "here\n")
    r = postmap(instance, "-q", "-", src, other, input="foo\nnone\nonly\n")
    assert (r.returncode, r.stdout) == (0, "foo\tbar\nonly\there\n")
    r = postmap(instance, "-q", "-", src, input="none\nalso none\n")
    assert (r.returncode, r.stdout) == (1, "")
    # default_database_type picks the type of plain names.
    instance.write_main_cf(default_database_type="cdb")
    r = postmap(instance, other)
    assert r.returncode == 0
    assert Path(str(other) + ".cdb").exists()
    r = postmap(instance, "-q", "only", other)
    assert (r.returncode, r.stdout) == (0, "here\n")


def test_incremental_and_duplicates(instance, src):
    table = f"lmdb:{src}"
    assert postmap(instance, table).returncode == 0
    r = postmap(instance, "-i", table, input="new val\nfoo x\n\"a b\" d\n")
    assert r.returncode == 0
    assert r.stderr == (f"postmap: warning: {table}: duplicate entry: \"foo\"\n"
                        f"postmap: warning: {table}: duplicate entry: "
                        "\"\"a b\"\"\n")
    r = postmap(instance, "-i", "-r", table, input='"a b" e\n')
    assert (r.returncode, r.stderr) == (0, "")
    r = postmap(instance, "-i", "-w", table, input='"a b" f\nfoo g\n')
    assert (r.returncode, r.stderr) == (0, "")
    r = postmap(instance, "-s", table)
    assert r.stdout == ('"a b"\te\nbaz\tqux quux  continued\nfoo\tbar\n'
                        "key:\tvalue\nnew\tval\n")
    # -i creates a missing table.
    fresh = instance.base / "fresh"
    r = postmap(instance, "-i", f"lmdb:{fresh}", input="a b\n")
    assert r.returncode == 0
    assert postmap(instance, "-q", "a", f"lmdb:{fresh}").stdout == "b\n"
    # -r and -w also apply when building from a file.
    warnings = expected_warnings(table, src).splitlines(True)
    assert postmap(instance, "-r", table).stderr == warnings[1] + warnings[2]
    assert postmap(instance, "-q", "foo", table).stdout == "dup\n"
    assert postmap(instance, "-w", table).stderr == warnings[1] + warnings[2]
    assert postmap(instance, "-q", "foo", table).stdout == "bar\n"


def test_delete(instance, src):
    table = f"lmdb:{src}"
    postmap(instance, table)
    r = postmap(instance, "-d", "FOO", table)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    r = postmap(instance, "-d", "foo", table)
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "")
    r = postmap(instance, "-d", "-", table, input="baz\nnothing\n")
    assert r.returncode == 0
    r = postmap(instance, "-d", "-", table, input="nothing\n")
    assert r.returncode == 1
    assert postmap(instance, "-s", table).stdout == '"a b"\tc\nkey:\tvalue\n'
    # cdb tables cannot be changed in place.
    postmap(instance, f"cdb:{src}")
    r = postmap(instance, "-d", "foo", f"cdb:{src}")
    assert r.returncode == 1
    assert r.stderr == (f"postmap: fatal: cdb:{src}: a cdb table cannot be "
                        "updated in place; edit its source file and rebuild "
                        "it with postmap\n")


def test_base64_files(instance):
    (instance.base / "fa").write_text("hello\n")
    (instance.base / "fb").write_text("world")
    src = instance.base / "files"
    src.write_text(f"k1 {instance.base}/fa, {instance.base}/fb\n"
                   f"k2 {instance.base}/fa\n"
                   f"k3 {instance.base}/nonexist\n")
    r = postmap(instance, "-F", src)
    assert r.returncode == 0
    assert r.stderr == (f"postmap: warning: {src}, line 3: open "
                        f"{instance.base}/nonexist: No such file or directory: "
                        "skipping this entry\n")
    assert postmap(instance, "-s", src).stdout == ("k1\taGVsbG8KCndvcmxk\n"
                                                   "k2\taGVsbG8K\n")
    assert postmap(instance, "-F", "-s", src).stdout == ("k1\thello\n\nworld\n"
                                                         "k2\thello\n\n")
    r = postmap(instance, "-F", "-q", "k1", src)
    assert (r.returncode, r.stdout) == (0, "hello\n\nworld\n")
    plain = instance.base / "plain"
    plain.write_text("foo bar\n")
    postmap(instance, plain)
    r = postmap(instance, "-F", "-q", "foo", plain)
    assert r.returncode == 1
    assert r.stderr == (f"postmap: warning: table lmdb:{plain}: key foo: "
                        "malformed BASE64 value: bar\n"
                        f"postmap: fatal: table lmdb:{plain}: query error\n")


MESSAGE = (
    "X-Tag:yes\n"
    "Subject: hello\n"
    "  world\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\n"
    "\n"
    "preamble\n"
    "--XX\n"
    "Content-Type: text/plain\n"
    "X-Part:one\n"
    "\n"
    "partbody\n"
    "--XX--\n"
)


def test_header_body_queries(instance):
    # Keys of indexed tables cannot contain whitespace: the lines to match
    # have none.
    src = instance.base / "checks"
    src.write_text("x-tag:yes primary-header\n"
                   "x-part:one part-header\n"
                   "partbody body-line\n"
                   "preamble preamble-line\n"
                   "--xx boundary\n")
    assert postmap(instance, src).returncode == 0
    r = postmap(instance, "-h", "-q", "-", src, input=MESSAGE)
    assert (r.returncode, r.stdout) == (0, "X-Tag:yes\tprimary-header\n")
    r = postmap(instance, "-h", "-m", "-q", "-", src, input=MESSAGE)
    assert r.stdout == "X-Tag:yes\tprimary-header\nX-Part:one\tpart-header\n"
    r = postmap(instance, "-b", "-q", "-", src, input=MESSAGE)
    assert r.stdout == ("preamble\tpreamble-line\n--XX\tboundary\n"
                        "X-Part:one\tpart-header\npartbody\tbody-line\n")
    r = postmap(instance, "-b", "-m", "-q", "-", src, input=MESSAGE)
    assert r.stdout == ("preamble\tpreamble-line\n--XX\tboundary\n"
                        "partbody\tbody-line\n")
    r = postmap(instance, "-h", "-b", "-q", "-", src, input=MESSAGE)
    assert r.stdout == ("X-Tag:yes\tprimary-header\npreamble\tpreamble-line\n"
                        "--XX\tboundary\nX-Part:one\tpart-header\n"
                        "partbody\tbody-line\n")
    r = postmap(instance, "-b", "-q", "-", src, input="X: y\n\nnothing\n")
    assert (r.returncode, r.stdout) == (1, "")
    r = postmap(instance, "-b", "-q", "foo", src)
    assert r.returncode == 1
    assert r.stderr == 'postmap: fatal: specify -b -h or -m only with "-q -"\n'
    r = postmap(instance, "-m", "-q", "-", src, input="X-Tag:yes\n")
    assert r.stderr == "postmap: warning: ignoring -m option without -b or -h\n"
    assert r.stdout == "X-Tag:yes\tprimary-header\n"


USAGE = ("postmap: fatal: usage: postmap [-bfFhimnNoprsuUvw] [-c config_dir] "
         "[-d key] [-q key] [map_type:]file...\n")


@pytest.mark.parametrize("args,rc,stderr", [
    ([], 1, USAGE),
    (["-Z", "x"], 1, "postmap: invalid option -- 'Z'\n" + USAGE),
    (["-q"], 1, "postmap: option requires an argument -- 'q'\n" + USAGE),
    (["-q", "k"], 1, USAGE),
    (["-d", "k"], 1, USAGE),
    (["-s"], 1, ""),
    (["-q", "k", "-d", "k", "x"], 1,
     "postmap: fatal: specify only one of -s -q or -d\n"),
    (["-s", "-q", "k", "x"], 1,
     "postmap: fatal: specify only one of -s -q or -d\n"),
    (["-q", "k", "-s", "x"], 1,
     "postmap: fatal: specify only one of -s or -q or -d\n"),
    (["nosuchsource"], 1,
     "postmap: fatal: open nosuchsource: No such file or directory\n"),
    (["-q", "k", "nosuchtable"], 1,
     "postmap: fatal: open database nosuchtable.lmdb: No such file or "
     "directory\n"),
    (["nosuchtype:x"], 1,
     "postmap: fatal: unsupported dictionary type: nosuchtype\n"),
    (["proxy:lmdb:x"], 1,
     "postmap: fatal: can't create maps via the proxy service\n"),
    (["-s", "proxy:lmdb:x"], 1,
     "postmap: fatal: can't sequence maps via the proxy service\n"),
])
def test_command_line_errors(instance, args, rc, stderr):
    (instance.base / "x").write_text("k v\n")
    r = subprocess.run([str(instance.sbin / "postmap"), "-c",
                        str(instance.config_dir), *args],
                       capture_output=True, text=True, cwd=instance.base,
                       env=instance.env(), timeout=30)
    assert (r.returncode, r.stdout, r.stderr) == (rc, "", stderr)


def test_null_options_accepted(instance, src):
    for flag in ("-N", "-n"):
        assert postmap(instance, flag, src).returncode == 0
        r = postmap(instance, flag, "-q", "foo", src)
        assert (r.returncode, r.stdout) == (0, "bar\n")


def test_utf8(instance):
    instance.write_main_cf(smtputf8_enable="yes")
    src = instance.base / "utf8"
    src.write_bytes("ÄB x\n".encode() + b"\xff\xfe y\nok z\n")
    r = postmap(instance, src)
    assert r.returncode == 0
    assert r.stderr == (f"postmap: warning: {src}, line 2: non-UTF-8 input "
                        "\"?? y\" -- ignoring this line\n")
    assert postmap(instance, "-q", "äb", src).stdout == "x\n"
    assert postmap(instance, "-q", "ÄB", src).stdout == "x\n"
    # -u: no UTF-8 checks, ASCII-only case folding.
    r = postmap(instance, "-u", src)
    assert (r.returncode, r.stderr) == (0, "")
    r = subprocess.run([str(instance.sbin / "postmap"), "-c",
                        str(instance.config_dir), "-u", "-s", str(src)],
                       capture_output=True, env=instance.env(), timeout=30)
    assert r.stdout == b"ok\tz\n\xc3\x84b\tx\n\xff\xfe\ty\n"


def test_permissions_follow_source(instance):
    src = instance.base / "private"
    src.write_text("k v\n")
    os.chmod(src, 0o640)
    postmap(instance, src)
    assert (os.stat(str(src) + ".lmdb").st_mode & 0o777) == 0o640
    postmap(instance, "-p", src)
    assert (os.stat(str(src) + ".lmdb").st_mode & 0o777) == 0o644


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
def test_runs_as_source_owner(instance, shared_tmp):
    nobody = pwd.getpwnam("nobody")
    shared = shared_tmp
    os.chmod(shared, 0o1777)
    src = shared / "table"
    src.write_text("k v\n")
    os.chown(src, nobody.pw_uid, nobody.pw_gid)
    # (LeakSanitizer cannot run after a user id change.)
    env = {**instance.env(), "ASAN_OPTIONS": "detect_leaks=0"}
    cmd = [str(instance.sbin / "postmap"), "-c", str(instance.config_dir)]
    r = subprocess.run(cmd + [str(src)], env=env, capture_output=True,
                       text=True, timeout=30)
    assert (r.returncode, r.stderr) == (0, "")
    st = os.stat(str(src) + ".lmdb")
    assert (st.st_uid, st.st_gid) == (nobody.pw_uid, nobody.pw_gid)
    os.unlink(str(src) + ".lmdb")
    os.unlink(str(src) + ".lmdb.lock")
    r = subprocess.run(cmd + ["-o", str(src)], env=env, timeout=30)
    assert r.returncode == 0
    assert os.stat(str(src) + ".lmdb").st_uid == 0
    assert os.stat(str(src) + ".lmdb.lock").st_uid == 0
    # The owner can use root's lock file (read-only) for the next build.
    os.unlink(str(src) + ".lmdb")
    r = subprocess.run(cmd + [str(src)], env=env, capture_output=True,
                       text=True, timeout=30)
    assert (r.returncode, r.stderr) == (0, "")
    assert os.stat(str(src) + ".lmdb").st_uid == nobody.pw_uid


def open_files(pid):
    """Paths of the files that a process has open."""
    paths = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            paths.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            pass
    return paths


def start_reader(instance, table):
    """A "postmap -q -" process that has opened the table."""
    reader = subprocess.Popen([str(instance.sbin / "postmap"), "-c",
                               str(instance.config_dir), "-q", "-", str(table)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=instance.env())
    reader.stdin.write("foo\n")
    reader.stdin.flush()
    deadline = time.monotonic() + 30
    while str(table) + ".lmdb" not in open_files(reader.pid):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return reader


def test_reader_keeps_old_table(instance, src):
    """A process that has the table open keeps using it across a rebuild."""
    postmap(instance, src)
    old_inode = os.stat(str(src) + ".lmdb").st_ino
    reader = start_reader(instance, src)
    src.write_text("foo rebuilt\n")
    assert postmap(instance, src).returncode == 0
    assert os.stat(str(src) + ".lmdb").st_ino != old_inode
    assert postmap(instance, "-q", "foo", src).stdout == "rebuilt\n"
    out, _ = reader.communicate("foo\nbaz\n", timeout=30)
    assert reader.returncode == 0
    assert out == "foo\tbar\nfoo\tbar\nbaz\tqux quux  continued\n"


def test_reader_sees_incremental_updates(instance, src):
    postmap(instance, src)
    reader = start_reader(instance, src)
    assert postmap(instance, "-i", src, input="added 1\n").returncode == 0
    assert postmap(instance, "-d", "baz", src).returncode == 0
    out, _ = reader.communicate("added\nbaz\n", timeout=30)
    assert out == "foo\tbar\nadded\t1\n"


def test_killed_build_leaves_old_table(instance, src):
    postmap(instance, src)
    with src.open("w") as f:
        for n in range(1000000):
            f.write(f"key{n} value{n}\n")
    tmp = Path(str(src) + ".lmdb.tmp")

    def start_build():
        proc = subprocess.Popen([str(instance.sbin / "postmap"), "-c",
                                 str(instance.config_dir), str(src)],
                                env=instance.env())
        deadline = time.monotonic() + 30
        while str(tmp) not in open_files(proc.pid):
            assert time.monotonic() < deadline
            time.sleep(0.005)
        return proc

    # kill -9 in the middle of a build: the old table stays.
    proc = start_build()
    time.sleep(0.1)
    assert proc.poll() is None, "build finished too early for this test"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert tmp.exists()
    r = postmap(instance, "-q", "foo", src)
    assert (r.returncode, r.stdout) == (0, "bar\n")
    assert postmap(instance, "-q", "key5", src).returncode == 1

    # SIGTERM waits until the new table is in place.
    proc = start_build()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=120)
    assert proc.returncode in (0, -signal.SIGTERM)
    assert postmap(instance, "-q", "key999999", src).stdout == "value999999\n"
    assert postmap(instance, "-q", "foo", src).returncode == 1
    assert not tmp.exists()


def test_concurrent_updates_serialize(instance):
    table = instance.base / "shared"
    assert postmap(instance, "-i", table, input="seed 0\n").returncode == 0
    procs = []
    for p in range(6):
        data = "".join(f"p{p}k{n} v{n}\n" for n in range(300))
        proc = subprocess.Popen([str(instance.sbin / "postmap"), "-c",
                                 str(instance.config_dir), "-i", str(table)],
                                stdin=subprocess.PIPE, text=True,
                                env=instance.env())
        procs.append((proc, data))
    for proc, data in procs:
        proc.stdin.write(data)
    for proc, _ in procs:
        proc.stdin.close()
    for proc, _ in procs:
        assert proc.wait(timeout=120) == 0
    listing = postmap(instance, "-s", table).stdout.splitlines()
    assert len(listing) == 6 * 300 + 1


def test_concurrent_rebuilds(instance, src):
    procs = [subprocess.Popen([str(instance.sbin / "postmap"), "-c",
                               str(instance.config_dir), str(src)],
                              stderr=subprocess.PIPE, text=True,
                              env=instance.env())
             for _ in range(8)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0
        assert err == expected_warnings(f"lmdb:{src}", src)
    assert postmap(instance, "-s", src).stdout == LISTING
    assert not Path(str(src) + ".lmdb.tmp").exists()


# LMDB's meta page layout (data version 1, 64-bit), to damage tables on
# purpose: the format version and the page size of meta page 0.
META_VERSION_OFFSET = 20
META_PSIZE_OFFSET = 40


def page_size(data):
    """The page size of an LMDB file."""
    return int.from_bytes(data[META_PSIZE_OFFSET:META_PSIZE_OFFSET + 4],
                          "little")


def died_of_fault(r):
    """Did the process die of a memory fault (or of the sanitizer's report
    of one, which exits instead)?"""
    if r.returncode in (-signal.SIGSEGV, -signal.SIGBUS):
        return True
    return "AddressSanitizer: SEGV" in r.stderr or "AddressSanitizer: BUS" \
        in r.stderr


def test_damaged_tables(instance, src):
    postmap(instance, src)
    lmdb = Path(str(src) + ".lmdb")
    good = lmdb.read_bytes()
    psize = page_size(good)
    bad = instance.base / "bad"

    def patched(offset, value):
        data = bytearray(good)
        data[offset:offset + 4] = value.to_bytes(4, "little")
        return bytes(data)

    cases = [
        (b"", "MDB_INVALID: File is not an LMDB file"),
        (b"hello\n", "MDB_INVALID: File is not an LMDB file"),
        (bytes(random.Random(1).randrange(256) for _ in range(20000)),
         "MDB_INVALID: File is not an LMDB file"),
        (good[:psize + 100], "MDB_CORRUPTED: file is too small for its "
         f"meta pages ({psize + 100} bytes, need {2 * psize})"),
        (good[:2 * psize], f"MDB_CORRUPTED: file is truncated ({2 * psize} "
         f"bytes, need {len(good)})"),
        (patched(META_PSIZE_OFFSET, 0), "MDB_CORRUPTED: invalid page size 0"),
        (patched(META_VERSION_OFFSET, 2), "MDB_VERSION_MISMATCH: Database "
         "environment version mismatch"),
    ]
    for content, reason in cases:
        Path(str(bad) + ".lmdb").write_bytes(content)
        for args in (["-q", "k"], ["-s"], ["-d", "k"]):
            r = postmap(instance, *args, bad)
            assert (r.returncode, r.stdout) == (1, "")
            assert r.stderr == (f"postmap: fatal: open database {bad}.lmdb: "
                                f"{reason}\n")
    # The damaged file is replaced by a rebuild.
    bad.write_text("k v\n")
    assert postmap(instance, bad).returncode == 0
    assert postmap(instance, "-q", "k", bad).stdout == "v\n"
    Path(str(bad) + ".cdb").write_bytes(b"junk")
    r = postmap(instance, "-q", "k", f"cdb:{bad}")
    assert r.returncode == 1
    assert r.stderr == (f"postmap: fatal: open database {bad}.cdb: not a "
                        "valid CDB file\n")


def test_damaged_records(instance, src):
    """Damage inside a page: a clean error that names the file where LMDB
    or the driver can tell, else the process dies of the fault (master
    restarts daemons that do) instead of going on."""
    postmap(instance, src)
    lmdb = Path(str(src) + ".lmdb")
    good = lmdb.read_bytes()
    psize = page_size(good)
    page = good.find(b"key:") // psize * psize

    # The leaf page claims to be an overflow page: MDB_CORRUPTED.
    data = bytearray(good)
    data[page + 10:page + 12] = (4).to_bytes(2, "little")
    lmdb.write_bytes(bytes(data))
    for args, what in ((["-q", "foo"], "lookup"), (["-s"], "sequence"),
                       (["-d", "foo"], "delete")):
        r = postmap(instance, *args, src)
        assert (r.returncode, r.stdout) == (1, "")
        assert r.stderr.splitlines()[0] == (
            f"postmap: warning: lmdb:{src}: corrupted database {lmdb}: "
            f"{what}: MDB_CORRUPTED: Located page was wrong type")

    # The nodes of the leaf page lie far past the end of the file: LMDB
    # cannot know, and the process dies.
    data = bytearray(good)
    lower = int.from_bytes(good[page + 12:page + 14], "little")
    for ptr in range(page + 16, page + lower, 2):
        data[ptr:ptr + 2] = (0xfff0).to_bytes(2, "little")
    lmdb.write_bytes(bytes(data))
    r = postmap(instance, "-q", "foo", src)
    assert died_of_fault(r), (r.returncode, r.stderr)
    assert "invalid memory access" not in r.stderr


def test_randomly_damaged_tables(instance):
    """Each run ends with a clean error that names the file, succeeds, or
    dies of a memory fault; it never goes on after one."""
    src = instance.base / "many"
    src.write_text("".join(f"key{n} value{n} xxxxxxxxxxxxxxxxxxxx\n"
                           for n in range(3000)))
    postmap(instance, src)
    lmdb = Path(str(src) + ".lmdb")
    good = lmdb.read_bytes()
    rng = random.Random(42)
    outcomes = set()
    for _ in range(60):
        data = bytearray(good)
        for _ in range(rng.choice([1, 5, 20, 100])):
            data[rng.randrange(len(data))] = rng.randrange(256)
        for args in (["-s"], ["-q", "key17"], ["-d", "key5"], ["-i"]):
            lmdb.write_bytes(bytes(data))
            r = subprocess.run([str(instance.sbin / "postmap"), "-c",
                                str(instance.config_dir), *args, str(src)],
                               capture_output=True, input=b"new entry\n",
                               env=instance.env(), timeout=60)
            stderr = r.stderr.decode(errors="replace")
            assert "invalid memory access" not in stderr
            if r.returncode in (-signal.SIGSEGV, -signal.SIGBUS):
                outcomes.add("fault")
                continue
            assert r.returncode in (0, 1), (args, r.returncode, stderr)
            outcomes.add(r.returncode)
            for line in stderr.splitlines():
                if line.startswith(("postmap: warning:", "postmap: fatal:")) \
                        and "query error" not in line \
                        and "sequence error" not in line \
                        and "delete error" not in line:
                    assert str(lmdb) in line or f"{lmdb}.tmp" in line, line
    assert 1 in outcomes


LONG_KEYS = [511, 512, 4000, 100000]


def long_key(length, letter):
    return letter * length


def test_long_keys(instance):
    """Keys of any length, as Postfix's hash: tables store them."""
    src = instance.base / "long"
    keys = {n: long_key(n, "k") for n in LONG_KEYS}
    src.write_text("short s\n" + "".join(f"{k} v{n}\n"
                                         for n, k in keys.items()))
    table = f"hash:{src}"
    r = postmap(instance, table)
    assert (r.returncode, r.stderr) == (0, "")
    for n, key in keys.items():
        r = postmap(instance, "-q", key, table)
        assert (r.returncode, r.stdout, r.stderr) == (0, f"v{n}\n", "")
        r = postmap(instance, "-q", key.upper(), table)
        assert (r.returncode, r.stdout) == (0, f"v{n}\n")
        r = postmap(instance, "-q", key + "x", table)
        assert (r.returncode, r.stdout, r.stderr) == (1, "", "")
    r = postmap(instance, "-q", "-", table,
                input="".join(k + "\n" for k in keys.values()))
    assert r.stdout == "".join(f"{k}\tv{n}\n" for n, k in keys.items())
    r = postmap(instance, "-s", table)
    assert r.returncode == 0
    assert sorted(r.stdout.splitlines()) == sorted(
        ["short\ts"] + [f"{k}\tv{n}" for n, k in keys.items()])

    # In-place updates and deletes.
    extra = long_key(70000, "e")
    r = postmap(instance, "-i", table, input=f"{extra} new\n")
    assert (r.returncode, r.stderr) == (0, "")
    r = postmap(instance, "-i", table, input=f"{keys[4000]} dup\n")
    assert r.stderr == (f"postmap: warning: {table}: duplicate entry: "
                        f"\"{keys[4000][:100]}...\"\n")
    r = postmap(instance, "-i", "-r", table, input=f"{keys[4000]} again\n")
    assert (r.returncode, r.stderr) == (0, "")
    assert postmap(instance, "-q", keys[4000], table).stdout == "again\n"
    assert postmap(instance, "-q", extra, table).stdout == "new\n"
    for n in (512, 100000):
        assert postmap(instance, "-d", keys[n], table).returncode == 0
        assert postmap(instance, "-d", keys[n], table).returncode == 1
        assert postmap(instance, "-q", keys[n], table).returncode == 1
    assert sorted(postmap(instance, "-s", table).stdout.splitlines()) == sorted(
        ["short\ts", f"{keys[511]}\tv511", f"{keys[4000]}\tagain",
         f"{extra}\tnew"])

    # LMDB's own tools still read the file.
    lmdb = f"{src}.lmdb"
    r = subprocess.run(["mdb_stat", "-n", lmdb], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert "Entries: 4" in r.stdout
    r = subprocess.run(["mdb_dump", "-n", lmdb], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("DATA=END\n")


def test_queries_of_other_table_types(instance):
    """postmap -q works with every registered type (answers as Postfix)."""
    (instance.base / "re").write_text("/^foo(.*)$/ matched$1\n/b(a)z/ got $1\n")
    (instance.base / "cidr").write_text("10.0.0.0/8 ten\n192.168.1.1 one\n")
    (instance.base / "th").write_text("foo bar\nBaz qux\n")
    cases = [
        ("fooX", "regexp:re", "matchedX"),
        ("FOOX", "pcre:re", "matchedX"),
        ("baz", "regexp:re", "got a"),
        ("10.1.2.3", "cidr:cidr", "ten"),
        ("192.168.1.1", "cidr:cidr", "one"),
        ("BAZ", "texthash:th", "qux"),
        ("z", "inline:{x=y, {z=w, v}}", "w, v"),
        ("anything", "static:value", "value"),
        ("x", "unionmap:{static:one, static:two}", "one,two"),
    ]
    for key, table, value in cases:
        r = subprocess.run([str(instance.sbin / "postmap"), "-c",
                            str(instance.config_dir), "-q", key, table],
                           capture_output=True, text=True, cwd=instance.base,
                           env=instance.env(), timeout=30)
        assert (r.returncode, r.stdout, r.stderr) == (0, value + "\n", ""), table
    r = subprocess.run([str(instance.sbin / "postmap"), "-c",
                        str(instance.config_dir), "texthash:th"],
                       capture_output=True, text=True, cwd=instance.base,
                       env=instance.env(), timeout=30)
    assert (r.returncode, r.stderr) == (1, "postmap: fatal: unsupported "
                                        "dictionary type: texthash does not "
                                        "support bulk-mode creation.\n")


@pytest.mark.parametrize("table_type", ["lmdb", "cdb", "texthash"])
def test_bounded_source_line_quotes(instance, table_type):
    """A 30 KB bad table line or key is quoted in 100 bytes."""
    src = instance.base / "huge"
    src.write_text(f'"{HUGE} v\n{HUGE} a\n{HUGE} b\n')
    if table_type == "texthash":
        r = postmap(instance, "-q", "x", f"texthash:{src}")
    else:
        r = postmap(instance, f"{table_type}:{src}")
    assert_bounded(r.stderr, f"{src}, line 1: unbalanced '\"' in "
                   f"'{quoted(chr(34))}' -- ignoring this line")
    if table_type != "lmdb":    # lmdb keys are limited to 511 bytes
        assert_bounded(r.stderr, f'duplicate entry: "{quoted()}"')


@pytest.mark.parametrize("table_type,text,expected", [
    ("cidr", f"1.2.3.{HUGE} ok\n",
     f'bad address pattern: "{quoted("1.2.3.")}": skipping this rule'),
    ("cidr", f"1.2.3.0/{HUGE} ok\n",
     f'bad mask value in "1.2.3.0/{quoted()}": skipping this rule'),
    ("regexp", f"if /a/ {HUGE}\nendif\n",
     f'ignoring extra text after IF statement: "{quoted()}"'),
    ("pcre", f"/a/ ${HUGE}\n",
     f'non-numeric replacement index "{quoted()}"'),
    ("regexp", f"/a/ ${{{HUGE}\n", f'truncated macro reference: "{quoted("${")}"'),
], ids=["cidr-address", "cidr-mask", "regexp-if", "pcre-index", "regexp-macro"])
def test_bounded_rule_quotes(instance, table_type, text, expected):
    """30 KB regexp, pcre and cidr rules are quoted in 100 bytes."""
    (instance.base / "rules").write_text(text)
    r = postmap(instance, "-q", "a", f"{table_type}:{instance.base}/rules")
    assert_bounded(r.stderr, expected)


def test_bounded_argument_quotes(instance):
    """30 KB table names and types on the command line are quoted briefly."""
    r = postmap(instance, "-q", "x", f"inline:{{k{HUGE}}}")
    assert r.returncode == 1
    assert_bounded(r.stderr, f'"inline:{quoted("{k")}"')
    r = postmap(instance, "-q", "x", f"{HUGE}:name")
    assert r.returncode == 1
    assert_bounded(r.stderr, f"unsupported dictionary type: {quoted()}")
