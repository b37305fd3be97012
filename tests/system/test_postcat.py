"""System tests for postcat(1).

Queue files come from the small writer in queuefile.py. The expected
output follows the layout of Debian's Postfix 3.7 postcat, observed on
queue files of a throwaway Postfix instance (messages held with a
header_checks HOLD action): section markers "*** ENVELOPE RECORDS <file>
***" and friends only with -e (or by default), "-o" as a 9-wide offset
column, "-d" as a 3-wide decimal type column, -o and -v printing each
record on its own line, header and body split at the first line that is
not a header, asctime() times, DSN records as named attributes. Our
format differs where docs/internals/queue-file.md says so (the size
record's widths, no create_time or sender_fullname records, our record
types in -d)."""

import subprocess

import pytest

import queuefile as qf

ID = "4jh8KB5hTHz1bZpn"          # a long queue ID; hashes to C/3 at depth 2

ENVELOPE = [("A", "rewrite_context=local"), ("E", "envid123"), ("Y", "2"),
            ("W", "1796444734"), ("n", "10"), ("o", "rfc822;bob@example.org"),
            ("O", "bob@example.org"), ("R", "bob@example.org"),
            ("D", "done@example.org")]
LINES = ["Received: by pf.example.test (Postfix, from userid 0)",
         "\tid 4jh8KB5hTHz1bZpn; Sat,  5 Dec 2026 00:25:34 +0000 (UTC)",
         "Subject: hold -t", "To: t1@example.org", "", "body",
         "y" * 50, "Not-A-Header: in the body"]
EXTRACTED = [("o", "rfc822;t1@example.org"), ("O", "t1@example.org"),
             ("R", "t1@example.org"), ("I", "retry:filtered"),
             ("J", "other@example.org")]


def sample():
    return qf.queue_file(ENVELOPE, LINES, EXTRACTED, limit=20,
                         sender="eve@example.test")


def postcat(inst, *args, input=None):
    """Run the installed postcat with TZ=UTC; (status, stdout, stderr)."""
    env = dict(inst.env(), TZ="UTC")
    argv = [str(inst.sbin / "postcat"), "-c", str(inst.config_dir),
            *map(str, args)]
    r = subprocess.run(argv, capture_output=True, input=input, env=env,
                       timeout=60)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


@pytest.fixture
def qfile(instance, tmp_path):
    path = tmp_path / "qfile"
    path.write_bytes(sample())
    return path


def expect_default(name):
    return f"""\
*** ENVELOPE RECORDS {name} ***
message_size:             233             284          2          0     0     0
message_arrival_time: Sat Dec  5 00:25:34 2026
sender: eve@example.test
named_attribute: rewrite_context=local
named_attribute: envelope_id=envid123
named_attribute: ret_flags=2
warning_message_time: Sat Dec  5 04:25:34 2026
named_attribute: notify_flags=10
named_attribute: dsn_orig_rcpt=rfc822;bob@example.org
original_recipient: bob@example.org
recipient: bob@example.org
done_recipient: done@example.org
*** MESSAGE CONTENTS {name} ***
Received: by pf.example.test (Postfix, from userid 0)
\tid 4jh8KB5hTHz1bZpn; Sat,  5 Dec 2026 00:25:34 +0000 (UTC)
Subject: hold -t
To: t1@example.org

body
{"y" * 50}
Not-A-Header: in the body
*** HEADER EXTRACTED {name} ***
named_attribute: dsn_orig_rcpt=rfc822;t1@example.org
original_recipient: t1@example.org
recipient: t1@example.org
content_filter: retry:filtered
redirect_to: other@example.org
*** MESSAGE FILE END {name} ***
"""


def test_default_and_beh(instance, qfile):
    status, out, err = postcat(instance, qfile)
    assert (status, err) == (0, "")
    assert out == expect_default(qfile)
    assert postcat(instance, "-beh", qfile)[1] == out
    assert postcat(instance, "-e", "-b", "-h", qfile)[1] == out


def test_cleanup_layout(instance, tmp_path):
    """Attributes before F, as cleanup writes them: create_time prints as
    Postfix's "create_time:" date, full_name as "sender_fullname:"."""
    path = tmp_path / "qfile"
    path.write_bytes(qf.queue_file(
        [("A", "full_name=x"), ("n", "2"), ("R", "bob@example.org")],
        ["Subject: s", "", "b"], sender="eve@example.test",
        before_sender=["create_time=1796430335", "rewrite_context=local",
                       "full_name=Eve Example"]))
    status, out, err = postcat(instance, "-e", path)
    assert (status, err) == (0, "")
    assert out.splitlines()[2:9] == [
        "message_arrival_time: Sat Dec  5 00:25:34 2026",
        "create_time: Sat Dec  5 00:25:35 2026",
        "named_attribute: rewrite_context=local",
        "sender_fullname: Eve Example",
        "sender: eve@example.test",
        "sender_fullname: x",
        "named_attribute: notify_flags=2"]


def test_envelope_only(instance, qfile):
    status, out, err = postcat(instance, "-e", qfile)
    assert status == 0
    full = expect_default(qfile).splitlines(keepends=True)
    start = full.index(f"*** MESSAGE CONTENTS {qfile} ***\n")
    end = full.index(f"*** HEADER EXTRACTED {qfile} ***\n")
    assert out == "".join(full[:start + 1] + full[end:])


def test_header_and_body(instance, qfile):
    headers = "\n".join(LINES[:4]) + "\n"
    body = "\n".join(LINES[4:]) + "\n"
    assert postcat(instance, "-h", qfile)[1] == headers
    assert postcat(instance, "-b", qfile)[1] == body
    assert postcat(instance, "-bh", qfile)[1] == headers + body
    assert postcat(instance, "-hb", qfile)[1] == headers + body


def test_offsets(instance, qfile):
    status, out, err = postcat(instance, "-o", qfile)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == f"*** ENVELOPE RECORDS {qfile} ***"
    assert lines[1] == ("       19 message_size:             233"
                        "             284          2          0     0     0")
    assert lines[2] == "       89 message_arrival_time: Sat Dec  5 00:25:34 2026"
    assert f"      284 *** MESSAGE CONTENTS {qfile} ***" in lines
    # Each record on its own line: the 50 y's are three records.
    assert [line for line in lines if line.endswith("y" * 10)] == [
        "      486 " + "y" * 20, "      511 " + "y" * 20,
        "      536 " + "y" * 10]
    # The offsets are those of the records in the file.
    data = sample()
    for line in lines[1:]:
        offset = int(line[:9])
        assert data[offset:offset + 1] in b"QSTFAEYWIJOonRDMLPXZ"
    assert lines[-1] == f"      {len(data) - 4} *** MESSAGE FILE END {qfile} ***"


def test_decimal_types(instance, qfile):
    status, out, err = postcat(instance, "-d", qfile)
    lines = out.splitlines()
    assert lines[0] == f"*** ENVELOPE RECORDS {qfile} ***"
    assert lines[3] == " 70 sender: eve@example.test"
    assert f" 77 *** MESSAGE CONTENTS {qfile} ***" in lines
    # A line of several records is one line, with the first record's type.
    assert " 80 " + "y" * 50 in lines
    assert lines[-1] == f" 90 *** MESSAGE FILE END {qfile} ***"
    status, out, err = postcat(instance, "-od", qfile)
    assert "      486  80 " + "y" * 20 in out.splitlines()


def test_verbose_labels(instance, qfile):
    status, out, err = postcat(instance, "-v", qfile)
    assert status == 0
    lines = out.splitlines()
    assert "regular_text: Subject: hold -t" in lines
    assert "regular_text: " in lines
    assert lines.count("unterminated_text: " + "y" * 20) == 2
    assert "regular_text: " + "y" * 10 in lines


def test_raw_order_shows_format_record(instance, qfile):
    status, out, err = postcat(instance, "-r", qfile)
    lines = out.splitlines()
    assert lines[1] == "queue_file_format: postel-queue 1"
    assert "\n".join(lines[:1] + lines[2:]) + "\n" == expect_default(qfile)


def test_skip_to_offset(instance, qfile):
    # At the content: no envelope marker; headers and body as usual.
    status, out, err = postcat(instance, "-s", 284, qfile)
    assert (status, err) == (0, "")
    full = expect_default(qfile)
    assert out == full[full.index("*** MESSAGE CONTENTS"):]
    status, out, err = postcat(instance, "-b", "-s", 288, qfile)
    assert out == "\n".join(LINES[4:]) + "\n"
    # Into the middle of a record: what it finds is damage.
    status, out, err = postcat(instance, "-s", 290, qfile)
    assert status == 1
    assert err == f"postcat: warning: {qfile}: bad record type at offset 290\n"
    # Bad offsets.
    for bad in ("x", "-1", ""):
        status, out, err = postcat(instance, "-s", bad, qfile)
        assert status == 1
        assert err == f"postcat: fatal: bad offset: {bad}\n"


def test_standard_input(instance):
    status, out, err = postcat(instance, input=sample())
    assert (status, err) == (0, "")
    assert out == expect_default("stdin")
    status, out, err = postcat(instance, "-o", input=sample())
    assert "      284 *** MESSAGE CONTENTS stdin ***" in out.splitlines()


def test_maildrop_file(instance, tmp_path):
    path = tmp_path / "md"
    path.write_bytes(qf.maildrop_file("x@example.test", ["a@example.org"],
                                      ["Subject: x", "", "b"],
                                      ["rewrite_context=local"],
                                      extracted=["c@example.org"]))
    status, out, err = postcat(instance, path)
    assert (status, err) == (0, "")
    assert out == f"""\
*** ENVELOPE RECORDS {path} ***
message_arrival_time: Sat Dec  5 00:25:34 2026
sender: x@example.test
named_attribute: rewrite_context=local
recipient: a@example.org
*** MESSAGE CONTENTS {path} ***
Subject: x

b
*** HEADER EXTRACTED {path} ***
recipient: c@example.org
*** MESSAGE FILE END {path} ***
"""


def queue_dirs(inst):
    for name in ("incoming", "active", "deferred", "hold", "maildrop",
                 "corrupt", "saved"):
        (inst.queue_dir / name).mkdir(exist_ok=True)


def test_queue_lookup(instance):
    inst = instance
    inst.write_main_cf(hash_queue_names="deferred, hold", hash_queue_depth=2)
    queue_dirs(inst)
    (inst.queue_dir / "hold/C/3").mkdir(parents=True)
    (inst.queue_dir / "hold/C/3" / ID).write_bytes(sample())
    (inst.queue_dir / "incoming/ABCDEF123").write_bytes(sample())
    # Left unhashed in a hashed queue (hash_queue_names changed later).
    (inst.queue_dir / "deferred/5A5A5A5A5").write_bytes(sample())

    status, out, err = postcat(inst, "-q", ID)
    assert (status, err) == (0, "")
    assert out == expect_default(f"hold/C/3/{ID}")
    status, out, err = postcat(inst, "-e", "-q", "ABCDEF123", "5A5A5A5A5")
    assert status == 0
    assert [l for l in out.splitlines() if "ENVELOPE" in l] == [
        "*** ENVELOPE RECORDS incoming/ABCDEF123 ***",
        "*** ENVELOPE RECORDS deferred/5A5A5A5A5 ***"]

    status, out, err = postcat(inst, "-q", "NOSUCHID", ID)
    assert status == 1
    assert err == "postcat: warning: open queue file NOSUCHID: No such file or directory\n"
    assert out == expect_default(f"hold/C/3/{ID}")
    for bad in ("../../etc/passwd", "hold/C/3/" + ID, "abc"):
        status, out, err = postcat(inst, "-q", bad)
        assert status == 1
        assert err == f"postcat: warning: bad mail queue ID: {bad}\n"
    status, out, err = postcat(inst, "-q")
    assert status == 1
    assert "fatal: -q requires one or more queue IDs" in err


def damaged_cases():
    good = sample()
    z = good.rindex(b"Z0 \n")
    m = good.index(b"M0 \n")
    return [
        ("missing end record", good[:z],
         f"missing end record at offset {z}"),
        ("truncated record", good[:z - 3],
         f"truncated record at offset {good.rindex(b'J17 ')}"),
        ("data after end record", good + b"junk",
         f"data after end record at offset {len(good)}"),
        ("bad record type", good[:m] + b"!" + good[m + 1:],
         f"bad record type at offset {m}"),
        ("first record", b"T3 1.1\n" + good[19:],
         'not a queue file: first record is not "Q postel-queue 1"'),
        ("empty", b"", "not a queue file: empty file"),
    ]


@pytest.mark.parametrize("what,data,message", damaged_cases(),
                         ids=[c[0] for c in damaged_cases()])
def test_damaged_files(instance, tmp_path, what, data, message):
    path = tmp_path / "damaged"
    path.write_bytes(data)
    status, out, err = postcat(instance, path)
    assert status == 1
    assert err == f"postcat: warning: {path}: {message}\n"
    full = expect_default(path)
    # What precedes the damage is printed as for the whole file.
    assert full.startswith(out) or what == "data after end record"
    if what == "data after end record":
        assert out == full
    if what == "missing end record":
        assert out == full[:full.index("*** MESSAGE FILE END")]


def test_damage_keeps_going(instance, tmp_path, qfile):
    bad = tmp_path / "bad"
    bad.write_bytes(b"junk")
    status, out, err = postcat(instance, "-e", bad, "/nonexistent", qfile)
    assert status == 1
    assert err.splitlines() == [
        f"postcat: warning: {bad}: bad record type at offset 0",
        "postcat: warning: open /nonexistent: No such file or directory"]
    assert out.endswith(f"*** MESSAGE FILE END {qfile} ***\n")


def test_usage(instance):
    status, out, err = postcat(instance, "-x")
    assert status == 1
    assert "postcat: fatal: usage: " in err


def test_verp_record(instance, tmp_path):
    """The V record prints as Debian's postcat prints Postfix's VERP
    record ("verp_delimiters: +=", type 86 with -d), in a queue file and
    in a maildrop file."""
    path = tmp_path / "verp"
    path.write_bytes(qf.queue_file([("A", "client_name=x"), ("V", "+="),
                                    ("R", "r@example.org")], ["body"],
                                   sender="list@example.test"))
    status, out, err = postcat(instance, "-e", path)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[lines.index("sender: list@example.test") + 2] == \
        "verp_delimiters: +="
    status, out, err = postcat(instance, "-e", "-d", path)
    assert " 86 verp_delimiters: +=" in out.splitlines()
    drop = tmp_path / "drop"
    drop.write_bytes(qf.maildrop_file("list@example.test", [], ["body"])
                     .replace(b"M0 \n", b"V2 -=\nR1 r\nM0 \n"))
    status, out, err = postcat(instance, "-e", drop)
    assert status == 0, err
    assert "verp_delimiters: -=" in out.splitlines()


def test_bad_verp_record_is_damage(instance, tmp_path):
    path = tmp_path / "verp"
    path.write_bytes(qf.queue_file([("V", "+=+"), ("R", "r@example.org")],
                                   ["body"]))
    status, out, err = postcat(instance, "-e", path)
    assert status == 1
    assert "bad VERP record" in err
