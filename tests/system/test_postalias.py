"""System tests for postalias(1) and newaliases(1).

Expected answers and messages follow Postfix 3.7's postalias on the same
input (checked by hand against Debian's /usr/sbin/postalias).
"""

import os
import subprocess
import time
from pathlib import Path

import pytest

from bounded_messages import HUGE, assert_bounded, quoted

ALIASES = (
    "# comment\n"
    "root: admin, Bob\n"
    "Postmaster:root\n"
    '"foo bar": x\n'
    '"Quoted\\"x": y\n'
    "bad line here\n"
    "list: a,\n"
    "   b,\n"
    "   c\n"
    "dup: one\n"
    "dup: two\n"
    ":include: /etc/foo\n"
    "empty:\n"
    'other: :include:/tmp/x, |"cmd arg", /file, "|exit 67"\n'
    "spaced: x   y,z\n"
    "u@d: z\n"
    "u%d: z\n"
    "trail: x@y,\n"
)


def warnings_for(path, table):
    return (f"postalias: warning: {path}, line 6: need name:value pair\n"
            f"postalias: warning: {table}: duplicate entry: \"dup\"\n"
            f"postalias: warning: {path}, line 12: need name:value pair\n"
            f"postalias: warning: {path}, line 13: need name:value pair\n"
            f"postalias: warning: {path}, line 16: name must be local\n"
            f"postalias: warning: {path}, line 17: name must be local\n")


ENTRIES = {
    "root": "admin, Bob",
    "postmaster": "root",
    "foo bar": "x",
    'quoted"x': "y",
    "list": "a, b, c",
    "dup": "one",
    "other": ':include:/tmp/x, |"cmd arg", /file, "|exit 67"',
    "spaced": "x y, z",
    "trail": "x@y, ",
}


@pytest.fixture
def aliases(instance):
    path = instance.base / "aliases"
    path.write_text(ALIASES)
    return path


def postalias(instance, *args, **kw):
    return instance.run("postalias", *args, **kw)


def listing(instance, table):
    """The -s output as a dict, without the YP_LAST_MODIFIED time."""
    r = postalias(instance, "-s", table)
    assert r.returncode == 0
    result = {}
    for line in r.stdout.splitlines():
        key, value = line.split(":\t", 1)
        result[key] = value
    return result


@pytest.mark.parametrize("table_type,suffix", [
    ("lmdb", ".lmdb"), ("hash", ".lmdb"), ("cdb", ".cdb")])
def test_build_query_list(instance, aliases, table_type, suffix):
    table = f"{table_type}:{aliases}"
    r = postalias(instance, table)
    assert r.returncode == 0
    assert r.stdout == ""
    assert r.stderr == warnings_for(aliases, table)
    assert Path(str(aliases) + suffix).exists()
    before = int(time.time())
    entries = listing(instance, table)
    stamp = entries.pop("YP_LAST_MODIFIED")
    assert len(stamp) == 10 and stamp.isdigit()
    assert before - 60 <= int(stamp) <= before + 1
    assert entries == {**ENTRIES, "@": "@", "YP_MASTER_NAME": "test.example"}
    for key, value in ENTRIES.items():
        r = postalias(instance, "-q", key.upper(), table)
        assert (r.returncode, r.stdout, r.stderr) == (0, value + "\n", "")
    r = postalias(instance, "-q", "nobody", table)
    assert (r.returncode, r.stdout) == (1, "")
    r = postalias(instance, "-f", "-q", "ROOT", table)
    assert (r.returncode, r.stdout) == (1, "")
    r = postalias(instance, "-q", "-", table, input="ROOT\nnobody\nlist\n")
    assert (r.returncode, r.stdout) == (0, "ROOT:\tadmin, Bob\nlist:\ta, b, c\n")
    r = postalias(instance, "-q", "-", table, input="nobody\n")
    assert (r.returncode, r.stdout) == (1, "")


def test_incremental_delete(instance, aliases):
    postalias(instance, aliases)
    r = postalias(instance, "-i", aliases, input="new: a, b\nroot: other\n")
    assert r.returncode == 0
    assert r.stderr == (f"postalias: warning: lmdb:{aliases}: duplicate entry: "
                        "\"root\"\n")
    entries = listing(instance, aliases)
    assert entries["new"] == "a, b"
    assert entries["root"] == "admin, Bob"
    assert entries["@"] == "@"
    r = postalias(instance, "-i", "-r", aliases, input="root: other\n")
    assert (r.returncode, r.stderr) == (0, "")
    assert postalias(instance, "-q", "root", aliases).stdout == "other\n"
    r = postalias(instance, "-i", "-w", aliases, input="root: third\n")
    assert (r.returncode, r.stderr) == (0, "")
    assert postalias(instance, "-q", "root", aliases).stdout == "other\n"
    r = postalias(instance, "-d", "Root", aliases)
    assert (r.returncode, r.stderr) == (0, "")
    assert postalias(instance, "-d", "root", aliases).returncode == 1
    r = postalias(instance, "-d", "-", aliases, input="new\nlist\nnone\n")
    assert r.returncode == 0
    entries = listing(instance, aliases)
    assert "root" not in entries and "new" not in entries
    assert "list" not in entries


def test_long_names(instance):
    """Alias names longer than LMDB's 511-byte key limit."""
    path = instance.base / "longaliases"
    names = {n: "n" * n for n in (511, 512, 4000, 100000)}
    path.write_text("".join(f"{name}: x{n}\n" for n, name in names.items()))
    table = f"hash:{path}"
    r = postalias(instance, table)
    assert (r.returncode, r.stderr) == (0, "")
    for n, name in names.items():
        r = postalias(instance, "-q", name.upper(), table)
        assert (r.returncode, r.stdout, r.stderr) == (0, f"x{n}\n", "")
    entries = listing(instance, table)
    for n, name in names.items():
        assert entries[name] == f"x{n}"
    r = postalias(instance, "-i", table, input=f"{names[4000]}: dup\n")
    assert r.stderr == (f"postalias: warning: {table}: duplicate entry: "
                        f"\"{names[4000][:100]}...\"\n")
    r = postalias(instance, "-d", names[100000], table)
    assert (r.returncode, r.stderr) == (0, "")
    assert postalias(instance, "-q", names[100000], table).returncode == 1
    assert postalias(instance, "-q", names[512], table).stdout == "x512\n"


USAGE = ("postalias: fatal: usage: postalias [-Nfinoprsuvw] [-c config_dir] "
         "[-d key] [-q key] [map_type:]file...\n")


@pytest.mark.parametrize("args,rc,stderr", [
    ([], 1, USAGE),
    (["-b", "x"], 1, "postalias: invalid option -- 'b'\n" + USAGE),
    (["-q", "x"], 1, USAGE),
    (["-s"], 1, ""),
    (["-s", "-q", "x", "al"], 1,
     "postalias: fatal: specify only one of -s -q or -d\n"),
    (["-q", "x", "-s", "al"], 1,
     "postalias: fatal: specify only one of -s or -q or -d\n"),
    (["-d", "x", "-q", "y", "al"], 1,
     "postalias: fatal: specify only one of -s -q or -d\n"),
    (["nosuch"], 1, "postalias: fatal: open nosuch: No such file or directory\n"),
    (["-q", "root", "nosuch"], 1,
     "postalias: fatal: open database nosuch.lmdb: No such file or directory\n"),
])
def test_command_line_errors(instance, args, rc, stderr):
    r = subprocess.run([str(instance.sbin / "postalias"), "-c",
                        str(instance.config_dir), *args],
                       capture_output=True, text=True, cwd=instance.base,
                       env=instance.env(), timeout=30)
    assert (r.returncode, r.stdout, r.stderr) == (rc, "", stderr)


def test_utf8_lines(instance):
    instance.write_main_cf(smtputf8_enable="yes")
    path = instance.base / "utf8aliases"
    path.write_bytes(b"\xff: bad\n" + "jürgen: j\n".encode())
    r = postalias(instance, path)
    assert r.returncode == 0
    assert r.stderr == (f"postalias: warning: {path}, line 1: non-UTF-8 input "
                        "\"?: bad\" -- ignoring this line\n")
    assert postalias(instance, "-q", "JÜRGEN", path).stdout == "j\n"


def test_bounded_quotes(instance):
    """A 30 KB non-UTF-8 alias line is quoted in 100 bytes."""
    instance.write_main_cf(smtputf8_enable="yes")
    path = instance.base / "hugealiases"
    path.write_bytes(b"\xff" + HUGE.encode() + b": x\nok: y\n")
    r = postalias(instance, path)
    assert r.returncode == 0
    assert_bounded(r.stderr, f'{path}, line 1: non-UTF-8 input "{quoted("?")}" '
                   "-- ignoring this line")


def newaliases(instance, *args, **kw):
    """Run the installed newaliases link (in $newaliases_path's directory)."""
    return subprocess.run([str(instance.root / "usr/bin/newaliases"), *args],
                          capture_output=True, text=True, timeout=60,
                          env={**instance.env(),
                               "MAIL_CONFIG": str(instance.config_dir)},
                          **kw)


def test_newaliases(instance, aliases):
    link = instance.root / "usr/bin/newaliases"
    assert link.is_symlink()
    assert os.readlink(link) == "../sbin/postalias"
    second = instance.base / "more"
    second.write_text("extra: x\n")
    instance.write_main_cf(alias_database=f"lmdb:{aliases}, cdb:{second}")
    r = newaliases(instance)
    assert r.returncode == 0
    assert r.stderr == warnings_for(aliases, f"lmdb:{aliases}")
    assert postalias(instance, "-q", "root", aliases).stdout == "admin, Bob\n"
    assert postalias(instance, "-q", "extra", f"cdb:{second}").stdout == "x\n"
    assert postalias(instance, "-q", "@", f"cdb:{second}").stdout == "@\n"

    # -oA names one alias file instead; -C names the configuration.
    other = instance.base / "other"
    other.write_text("who: me\n")
    r = subprocess.run([str(link), "-C", str(instance.config_dir),
                        f"-oA{other}"], capture_output=True, text=True,
                       env=instance.env(), timeout=60)
    assert (r.returncode, r.stderr) == (0, "")
    assert postalias(instance, "-q", "who", other).stdout == "me\n"

    r = newaliases(instance, "someone@example.com")
    assert r.returncode == 75
    assert r.stderr == ("newaliases: fatal: alias initialization mode "
                        "requires no recipient\n")

    aliases.unlink()
    r = newaliases(instance)
    assert r.returncode == 1
    assert r.stderr == (f"postalias: fatal: open {aliases}: No such file or "
                        "directory\n")
