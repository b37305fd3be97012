"""System tests for postmulti(1).

Each test gets a private primary instance (the conftest `instance`) whose
command_directory is a test directory holding the installed postmulti and
postlog, a postconf (ours when installed, else the system's Postfix
postconf, which edits main.cf the same way), and a fake "postfix" that
records its arguments and MAIL_CONFIG, so that we can see what postmulti
runs and in which order. The fake says an instance is running when its
configuration directory contains a file "fake-running".

postmulti is run with "-c <config_dir>" (a Postel extension); without it
the primary instance is always the compiled-in default.
"""

import grp
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

FAKE_POSTFIX = """#!/bin/sh
dir=
test "$1" = "-c" && dir=$2
printf '%s|%s\\n' "$MAIL_CONFIG" "$*" >> "{log}"
case " $* " in
*" status "*) test -e "$dir/fake-running";;
*" fail "*) exit 3;;
*) exit 0;;
esac
"""

WRAPPER = "multi_instance_wrapper = ${command_directory}/postmulti -p --"


class Multi:
    """The test installation around one primary instance."""

    def __init__(self, inst):
        self.inst = inst
        base = inst.base
        self.base = base
        self.etc = inst.config_dir
        self.bin = base / "bin"
        self.log = base / "postfix-calls"
        for d in ("bin", "libexec", "shlib", "spool/postfix", "lib/postfix"):
            (base / d).mkdir(parents=True, exist_ok=True)
        fake = self.bin / "postfix"
        fake.write_text(FAKE_POSTFIX.format(log=self.log))
        fake.chmod(0o755)
        (self.bin / "postmulti").symlink_to(inst.sbin / "postmulti")
        (self.bin / "postlog").symlink_to(inst.sbin / "postlog")
        postconf = inst.sbin / "postconf"
        if not postconf.exists():
            postconf = Path("/usr/sbin/postconf")
        if not postconf.exists():
            pytest.skip("no postconf to edit main.cf with")
        (self.bin / "postconf").symlink_to(postconf)
        self.meta = inst.root / "etc/postfix"
        inst.write_main_cf(
            queue_directory=base / "spool/postfix",
            data_directory=base / "lib/postfix",
            command_directory=self.bin,
            daemon_directory=base / "libexec",
            shlib_directory=base / "shlib",
            meta_directory=self.meta)

    def run(self, *args, env=None):
        environ = self.inst.env()
        if env:
            environ.update(env)
        return subprocess.run(
            [str(self.bin / "postmulti"), "-c", str(self.etc), *map(str, args)],
            capture_output=True, text=True, timeout=60, env=environ)

    def ok(self, *args):
        r = self.run(*args)
        assert (r.returncode, r.stderr) == (0, ""), (args, r.stderr)
        return r.stdout

    def fails(self, *args, message):
        r = self.run(*args)
        assert r.returncode == 1, args
        assert r.stderr == f"postmulti: fatal: {message}\n", args
        return r

    def calls(self):
        """postfix invocations since the last call, as (MAIL_CONFIG, args)."""
        if not self.log.exists():
            return []
        lines = self.log.read_text().splitlines()
        self.log.unlink()
        return [tuple(line.split("|", 1)) for line in lines]

    def settings(self, config_dir=None):
        """name -> value of a main.cf (no continuation lines expected)."""
        path = Path(config_dir or self.etc) / "main.cf"
        result = {}
        for line in path.read_text().splitlines():
            m = re.match(r"([A-Za-z0-9_]+)\s*=\s*(.*?)\s*$", line)
            if m:
                result[m.group(1)] = m.group(2)
        return result

    # Derived locations of an instance created with "-I name".
    def conf(self, name):
        return self.base / name

    def queue(self, name):
        return self.base / "spool" / name

    def data(self, name):
        return self.base / "lib" / name


def line(name, group, enabled, config_dir):
    return f"{name:<15} {group:<15} {enabled:<9} {config_dir}\n"


@pytest.fixture
def multi(instance):
    return Multi(instance)


@pytest.fixture
def three(multi):
    """init, then postfix-a (g1), postfix-b, postfix-c (g1); calls cleared."""
    multi.ok("-e", "init")
    multi.ok("-I", "postfix-a", "-G", "g1", "-e", "create")
    multi.ok("-I", "postfix-b", "-e", "create")
    multi.ok("-I", "postfix-c", "-G", "g1", "-e", "create")
    multi.calls()
    return multi


def test_single_instance(multi):
    etc = multi.etc
    assert multi.ok("-l") == line("-", "-", "y", etc)
    assert json.loads(multi.ok("-l", "-j")) == {
        "name": "-", "group": "-", "enabled": "y",
        "config_directory": str(etc)}
    assert multi.ok("-l", "-j") == (
        '{"name": "-","group": "-","enabled": "y","config_directory": "%s"}\n'
        % etc)
    r = multi.run("-p", "status")
    assert (r.returncode, r.stderr) == (1, "")      # fake: not running
    assert multi.calls() == [(str(etc), f"-c {etc} -- status")]
    multi.ok("-p", "--", "start")
    assert multi.calls() == [(str(etc), f"-c {etc} -- start")]
    out = multi.ok("-x", "sh", "-c", 'echo "$MAIL_CONFIG $multi_instance_enable"')
    assert out == f"{etc} yes\n"


def test_lifecycle_requires_init(multi):
    multi.fails("-I", "postfix-a", "-e", "create",
                message="multi_instance_wrapper is empty, run "
                        "'postmulti -e init' first.")
    assert not multi.conf("postfix-a").exists()
    assert multi.calls() == []
    multi.ok("-e", "init")
    text = (multi.etc / "main.cf").read_text()
    assert f"\n{WRAPPER}\n" in text
    assert "\nmulti_instance_enable = yes\n" in text
    text = text.replace("multi_instance_enable = yes", "multi_instance_enable = no")
    (multi.etc / "main.cf").write_text(text)
    multi.fails("-I", "postfix-a", "-e", "create",
                message="multi_instance_enable!=yes, run "
                        "'postmulti -e init' first.")


def test_create_new_instance(multi):
    multi.ok("-e", "init")
    multi.ok("-I", "postfix-a", "-G", "g1", "-e", "create")
    conf, queue, data = (multi.conf("postfix-a"), multi.queue("postfix-a"),
                         multi.data("postfix-a"))
    for d, mode in ((conf, 0o755), (queue, 0o755), (data, 0o700)):
        assert stat.S_IMODE(d.stat().st_mode) == mode, d
    assert sorted(p.name for p in conf.iterdir()) == ["main.cf", "master.cf"]
    assert (conf / "master.cf").read_bytes() == \
        (multi.meta / "master.cf.proto").read_bytes()
    s = multi.settings(conf)
    primary = multi.settings()
    expect = {
        "queue_directory": str(queue), "data_directory": str(data),
        "authorized_submit_users": "", "master_service_disable": "inet",
        "multi_instance_name": "postfix-a", "multi_instance_group": "g1",
        # Shared settings that the primary main.cf sets explicitly.
        "command_directory": str(multi.bin),
        "daemon_directory": primary["daemon_directory"],
        "meta_directory": str(multi.meta),
        "shlib_directory": primary["shlib_directory"],
        "mail_owner": primary["mail_owner"],
        "setgid_group": primary["setgid_group"],
    }
    for name, value in expect.items():
        assert s.get(name) == value, name
    assert "multi_instance_enable" not in s            # disabled by default
    proto = (multi.meta / "main.cf.proto").read_text()
    assert (conf / "main.cf").read_text().startswith(proto.rstrip("\n"))
    assert multi.settings()["multi_instance_directories"] == str(conf)
    assert multi.calls() == [(str(multi.etc), f"-c {conf} set-permissions")]
    assert multi.ok("-l") == (line("-", "-", "y", multi.etc)
                              + line("postfix-a", "g1", "n", conf))


def test_create_needs_templates(multi):
    multi.ok("-e", "init")
    empty = multi.base / "meta"
    empty.mkdir()
    text = (multi.etc / "main.cf").read_text()
    (multi.etc / "main.cf").write_text(
        text.replace(f"meta_directory = {multi.meta}", f"meta_directory = {empty}"))
    multi.fails("-I", "postfix-a", "-e", "create",
                message=f"Missing main.cf prototype: {empty}/main.cf.proto")
    (empty / "main.cf.proto").write_text("")
    multi.fails("-I", "postfix-a", "-e", "create",
                message=f"Missing master.cf prototype: {empty}/master.cf.proto")
    assert not multi.conf("postfix-a").exists()
    assert "multi_instance_directories" not in multi.settings()
    # A failing helper command stops the action with its command line.
    (empty / "master.cf.proto").write_text("")
    (multi.bin / "postfix").write_text("#!/bin/sh\nexit 2\n")
    r = multi.run("-I", "postfix-a", "-e", "create")
    assert r.returncode == 1
    assert r.stderr == (f"postmulti: fatal: {multi.bin}/postfix -c "
                        f"{multi.conf('postfix-a')} set-permissions failed "
                        "with exit status 2\n")


def test_create_placement_and_explicit_paths(three):
    m = three
    m.ok("-I", "postfix-d", "-g", "g1", "-e", "create")     # before 1st of g1
    m.ok("-I", "postfix-e", "-a", "-e", "create")           # first
    m.ok("-I", "postfix-f", "-i", "b", "-e", "create")      # before b
    custom = m.base / "custom"
    m.ok("-I", "postfix-x", "-e", "create", f"config_directory={custom}/conf/",
         f"queue_directory={custom}/q", f"data_directory={custom}/d")
    order = ["postfix-e", "postfix-d", "postfix-a", "postfix-f", "postfix-b",
             "postfix-c"]
    dirs = [str(m.conf(n)) for n in order] + [f"{custom}/conf"]
    assert m.settings()["multi_instance_directories"] == " ".join(dirs)
    s = m.settings(custom / "conf")
    assert (s["queue_directory"], s["data_directory"]) == (
        f"{custom}/q", f"{custom}/d")
    assert (custom / "q").is_dir() and (custom / "d").is_dir()
    # A nameless instance needs all three directories.
    m.fails("-e", "create", f"config_directory={custom}/n",
            message="Missing queue_directory parameter value")


def test_list_selection(three):
    m = three
    etc, a, b, c = (m.etc, m.conf("postfix-a"), m.conf("postfix-b"),
                    m.conf("postfix-c"))
    la, lb, lc = (line("postfix-a", "g1", "n", a), line("postfix-b", "-", "n", b),
                  line("postfix-c", "g1", "n", c))
    lp = line("-", "-", "y", etc)
    assert m.ok("-l") == lp + la + lb + lc
    assert m.ok("-l", "-a") == lp + la + lb + lc
    assert m.ok("-l", "-R") == lc + lb + la + lp
    assert m.ok("-l", "-g", "g1") == la + lc
    assert m.ok("-l", "-g", "g1", "-R") == lc + la
    assert m.ok("-l", "-i", "a") == la
    assert m.ok("-l", "-i", "postfix-b") == lb
    assert m.ok("-l", "-i", c) == lc
    assert m.ok("-l", "-i", "-") == lp
    assert m.ok("-l", "-i", "nosuch") == ""
    m.fails("-x", "-i", "nosuch", "true", message="No matching instances")


def test_postfix_command_order(three):
    m = three
    etc, a, b, c = (str(m.etc), str(m.conf("postfix-a")),
                    str(m.conf("postfix-b")), str(m.conf("postfix-c")))
    m.ok("-i", "postfix-a", "-e", "enable")
    m.ok("-i", "c", "-e", "enable")
    m.calls()

    def ran(*args, status=0):
        r = m.run("-p", *args)
        assert (r.returncode, r.stderr) == (status, "")
        return [(env, argv) for env, argv in m.calls()]

    # Start: in order; disabled instances are checked instead.
    assert ran("start") == [(etc, f"-c {etc} -- start"), (a, f"-c {a} -- start"),
                            (b, f"-c {b} -- check"), (c, f"-c {c} -- start")]
    # Stop commands: reverse order, disabled instances skipped.
    for cmd in ("stop", "abort", "drain", "quick-stop"):
        assert ran(cmd) == [(c, f"-c {c} -- {cmd}"), (a, f"-c {a} -- {cmd}"),
                            (etc, f"-c {etc} -- {cmd}")]
    # Control commands: in order, disabled skipped.
    assert ran("reload") == [(etc, f"-c {etc} -- reload"),
                             (a, f"-c {a} -- reload"), (c, f"-c {c} -- reload")]
    # Anything else: every instance; the fake says none is running.
    assert ran("status", status=1) == [(d, f"-c {d} -- status")
                                       for d in (etc, a, b, c)]
    assert ran("set-permissions", "upgrade-configuration") == [
        (d, f"-c {d} -- set-permissions upgrade-configuration")
        for d in (etc, a, b, c)]
    # One failure makes the exit status 1, but every instance is done.
    assert ran("fail", status=1) == [(d, f"-c {d} -- fail")
                                     for d in (etc, a, b, c)]
    # Selections.
    assert ran("-g", "g1", "start") == [(a, f"-c {a} -- start"),
                                        (c, f"-c {c} -- start")]
    assert ran("-i", "b", "start") == [(b, f"-c {b} -- check")]
    m.fails("-i", "b", "-p", "stop", message="No matching instances")
    # The wrapper form that postfix(1) uses.
    assert ran("--", "stop") == ran("stop")
    # The command lists come from main.cf.
    text = (m.etc / "main.cf").read_text()
    (m.etc / "main.cf").write_text(text + "postmulti_stop_commands = halt\n")
    assert ran("halt") == [(c, f"-c {c} -- halt"), (a, f"-c {a} -- halt"),
                           (etc, f"-c {etc} -- halt")]
    assert len(ran("stop")) == 4


def test_generic_command_environment(three):
    m = three
    script = ('echo "$MAIL_CONFIG|$config_directory|$queue_directory|'
              '$data_directory|$command_directory|$daemon_directory|'
              '$multi_instance_name|$multi_instance_group|'
              '$multi_instance_enable|${PATH%%:*}"')
    out = m.ok("-x", "sh", "-c", script)
    daemon = m.settings()["daemon_directory"]
    expect = [f"{m.etc}|{m.etc}|{m.base}/spool/postfix|{m.base}/lib/postfix|"
              f"{m.bin}|{daemon}|||yes|{m.bin}"]
    for name, group in (("postfix-a", "g1"), ("postfix-b", ""),
                        ("postfix-c", "g1")):
        expect.append(f"{m.conf(name)}|{m.conf(name)}|{m.queue(name)}|"
                      f"{m.data(name)}|{m.bin}|{daemon}|{name}|{group}|no|"
                      f"{m.bin}")
    assert out.splitlines() == expect
    assert m.ok("-x", "-R", "-g", "g1", "sh", "-c", "echo $multi_instance_name") \
        == "postfix-c\npostfix-a\n"
    r = m.run("-x", "-i", "b", "sh", "-c", "exit 4")
    assert (r.returncode, r.stderr) == (1, "")
    r = m.run("-x", "-i", "b", "/nonexistent")
    assert r.returncode == 1
    assert r.stderr == ("postmulti: fatal: execvp /nonexistent: "
                        "No such file or directory\n")


def test_enable_disable_assign(three):
    m = three
    a = m.conf("postfix-a")
    m.ok("-i", "a", "-e", "enable")
    assert m.settings(a)["multi_instance_enable"] == "yes"
    assert m.ok("-l", "-i", "a") == line("postfix-a", "g1", "y", a)
    m.ok("-i", "a", "-e", "disable")
    assert m.settings(a)["multi_instance_enable"] == "no"
    m.ok("-i", "postfix-a", "-I", "postfix-z", "-G", "g2", "-e", "assign")
    assert (m.settings(a)["multi_instance_name"],
            m.settings(a)["multi_instance_group"]) == ("postfix-z", "g2")
    assert m.ok("-l", "-i", "z") == line("postfix-z", "g2", "n", a)
    m.ok("-i", "z", "-G", "-", "-e", "assign")
    assert m.settings(a)["multi_instance_group"] == ""
    m.ok("-i", "z", "-I", "-", "-e", "assign")
    assert m.settings(a)["multi_instance_name"] == ""
    assert m.ok("-l", "-i", a) == line("-", "-", "n", a)
    m.fails("-i", "postfix-b", "-I", "postfix-c", "-e", "assign",
            message=f"instance {m.conf('postfix-b')}, multi_instance_name="
                    f"postfix-c conflicts with instance {m.conf('postfix-c')}, "
                    "multi_instance_name=postfix-c")
    m.fails("-i", "b", "-I", "b", "-e", "assign",
            message="New instance name must start with 'postfix-'")
    m.fails("-i", "b", "-G", "a b", "-e", "assign",
            message="Unsafe characters in '-G a b'")
    m.fails("-i", "b", "-e", "assign",
            message="Specify new instance name or group with '-e assign'")
    # The primary instance can be named too.
    m.ok("-i", "-", "-I", "postfix-main", "-e", "assign")
    assert m.settings()["multi_instance_name"] == "postfix-main"
    assert m.ok("-l", "-i", "main") == line("postfix-main", "-", "y", m.etc)


def test_deport_and_import(three):
    m = three
    a, b, c = m.conf("postfix-a"), m.conf("postfix-b"), m.conf("postfix-c")
    m.fails("-i", "-", "-e", "deport",
            message="Cannot remove the primary instance")
    m.ok("-i", "a", "-e", "enable")
    m.fails("-i", "a", "-e", "deport", message="Cannot remove enabled instances")
    m.ok("-i", "a", "-e", "disable")
    (a / "fake-running").write_text("")
    m.calls()
    m.fails("-i", "a", "-e", "deport", message=f"Instance '{a}' is not stopped")
    assert m.calls() == [(str(m.etc), f"-c {a} status")]
    (a / "fake-running").unlink()
    m.ok("-i", "a", "-e", "deport")
    s = m.settings()
    assert s["multi_instance_directories"] == f"{b} {c}"
    assert s["alternate_config_directories"] == str(a)
    assert (a / "main.cf").exists()                     # files untouched
    assert "postfix-a" not in m.ok("-l")
    m.fails("-i", "a", "-e", "deport", message="No instance named a")

    # Import it again, first in line, under a new name.
    m.calls()
    m.ok("-I", "postfix-new", "-a", "-e", "import", f"config_directory={a}")
    s = m.settings()
    assert s["multi_instance_directories"] == f"{a} {b} {c}"
    assert s["alternate_config_directories"] == ""
    assert m.settings(a)["multi_instance_name"] == "postfix-new"
    assert m.calls() == [(str(m.etc), f"-c {a} set-permissions")]
    assert m.ok("-l", "-i", "new") == line("postfix-new", "g1", "n", a)

    # Import needs a complete instance.
    half = m.base / "half"
    half.mkdir()
    m.fails("-e", "import", f"config_directory={half}",
            message=f"'{half}' lacks a main.cf file")
    (half / "main.cf").write_text("")
    m.fails("-e", "import", f"config_directory={half}",
            message=f"'{half}' lacks a master.cf file")
    m.fails("-e", "import", f"queue_directory={half}",
            message="Parameter 'queue_directory' not valid with action import")
    m.fails("-e", "import", f"config_directory={b}",
            message=f"new config_directory={b} is already in use by instance "
                    f"{b}, config_directory={b}")
    # "create" of a complete existing directory imports it as it is.
    (half / "master.cf").write_text("# custom\n")
    m.ok("-I", "postfix-half", "-e", "create", f"config_directory={half}")
    assert (half / "master.cf").read_text() == "# custom\n"
    assert m.settings(half)["multi_instance_name"] == "postfix-half"


def test_destroy(three):
    m = three
    a, b = m.conf("postfix-a"), m.conf("postfix-b")
    qa = m.queue("postfix-a")
    m.ok("-i", "a", "-e", "enable")
    m.fails("-i", "a", "-e", "destroy", message="Cannot remove enabled instances")
    m.ok("-i", "a", "-e", "disable")
    (a / "fake-running").write_text("")
    m.fails("-i", "a", "-e", "destroy", message=f"Instance '{a}' is not stopped")
    (a / "fake-running").unlink()
    # Queued mail and foreign files stay, with a warning.
    for d in ("active", "hold", "public"):
        (qa / d).mkdir()
    (qa / "hold" / "4ABCDEF").write_text("queued")
    r = m.run("-i", "a", "-e", "destroy")
    assert r.returncode == 0
    assert r.stderr == (
        f"postmulti: warning: {qa}/hold: please verify contents and remove "
        "by hand\n"
        f"postmulti: warning: {qa}: please verify contents and remove by hand\n")
    assert not a.exists()
    assert not m.data("postfix-a").exists()
    assert sorted(p.name for p in qa.iterdir()) == ["hold"]
    assert m.settings()["multi_instance_directories"] == \
        f"{b} {m.conf('postfix-c')}"
    assert "warning: " in m.inst.log_text()

    # A freshly created instance goes away completely.
    m.ok("-i", "b", "-e", "destroy")
    for d in (b, m.queue("postfix-b"), m.data("postfix-b")):
        assert not d.exists()
    assert m.settings()["multi_instance_directories"] == str(m.conf("postfix-c"))


def test_destroy_without_main_cf(three):
    """An instance whose main.cf vanished cannot even be loaded."""
    m = three
    c = m.conf("postfix-c")
    (c / "main.cf").unlink()
    r = m.run("-l")
    assert r.returncode == 1
    assert r.stderr == (f"postmulti: fatal: open {c}/main.cf: "
                        "No such file or directory\n")


def test_conflicts_and_bad_settings(three):
    m = three
    b = m.conf("postfix-b")
    cases = [
        (["-I", "postfix-b", "-e", "create", f"config_directory={m.base}/q"],
         f"instance {m.base}/q, multi_instance_name=postfix-b conflicts with "
         f"instance {b}, multi_instance_name=postfix-b"),
        (["-I", "postfix-q", "-e", "create",
          f"queue_directory={m.queue('postfix-b')}"],
         f"instance {m.conf('postfix-q')}, queue_directory="
         f"{m.queue('postfix-b')} conflicts with instance {b}, "
         f"queue_directory={m.queue('postfix-b')}"),
        (["-I", "postfix-q", "-e", "create", f"queue_directory={m.bin}"],
         f"instance {m.conf('postfix-q')}, queue_directory={m.bin} conflicts "
         f"with instance {m.etc}, command_directory={m.bin}"),
        (["-I", "postfix-q", "-e", "create", "queue_directory=relative"],
         "Parameter setting 'queue_directory' is not an absolute path"),
        (["-I", "postfix-q", "-e", "create", "queue_directory=/"],
         "Parameter setting 'queue_directory' is the root directory"),
        (["-I", "postfix-q", "-e", "create", "foo=/x"],
         "Parameter 'foo' not valid with action create"),
        (["-I", "postfix-q", "-e", "create", "foo"],
         "Malformed parameter setting 'foo'"),
        (["-I", "postfix-q", "-i", "nosuch", "-e", "create"],
         "No matching secondary instances"),
        (["-I", "q", "-e", "create"],
         "New instance name must start with 'postfix-'"),
        (["-I", "postfix-a/b", "-e", "create"],
         "Illegal '/' character in new instance name: 'postfix-a/b'"),
        (["-e", "create"], "Missing config_directory parameter value"),
    ]
    for args, message in cases:
        m.fails(*args, message=message)
    assert not m.conf("postfix-q").exists()


def test_usage_errors(multi):
    cases = [
        ([], "Specify exactly one of '-e', '-l', '-p', '-x'"),
        (["-l", "-p"], "Specify exactly one of '-e', '-l', '-p', '-x'"),
        (["-l", "-e", "init"], "Specify exactly one of '-e', '-l', '-p', '-x'"),
        (["-e", "bogus"], "Invalid '-e' edit action 'bogus'. Specify 'create', "
         "'destroy', 'import', 'deport', 'enable', 'disable', 'assign' or "
         "'init'"),
        (["-l", "start"], "Command not allowed with '-l'"),
        (["-p"], "Command required with '-p' or '-x' option"),
        (["-x"], "Command required with '-p' or '-x' option"),
        (["-a", "-g", "x", "-l"], "Specify no more than one of '-a', '-g', '-i'"),
        (["-p", "-R", "start"], "The '-p' and '-e' options preclude the use of "
         "'-R'"),
        (["-e", "init", "-R"], "The '-p' and '-e' options preclude the use of "
         "'-R'"),
        (["-I", "postfix-z", "-l"], "Cannot assign instance name or group "
         "without '-e assign'"),
        (["-G", "g", "-i", "a", "-e", "enable"], "Cannot assign instance name "
         "or group with '-e enable'"),
        (["-I", "postfix-a", "-I", "postfix-b"], "Specify at most one '-I' "
         "option"),
        (["-i", "a", "-e", "enable", "x=y"], "Parameter overrides not valid "
         "with '-e enable'"),
        (["-p", "-j", "status"], "JSON output available only with '-l'"),
        (["-e", "enable"], "Select an instance via '-i name'"),
        (["-e", "enable", "-g", "x"], "Select an instance via '-i name'"),
        (["-e", "enable", "-i", "nosuch"], "No instance named nosuch"),
    ]
    for args, message in cases:
        multi.fails(*args, message=message)
    r = multi.run("-Z")
    assert r.returncode == 1
    assert r.stderr.startswith("postmulti: invalid option -- 'Z'\n"
                               "postmulti: fatal: usage: postmulti -l ")
    # Fatal errors are logged too, under the ident "postmulti".
    assert re.search(r" postmulti\[\d+\]: fatal: No instance named nosuch\n",
                     multi.inst.log_text())


def test_shared_directories_must_exist(multi):
    shutil.rmtree(multi.base / "shlib")
    multi.fails("-l", message=f"shlib_directory = '{multi.base}/shlib': "
                              "directory not found: No such file or directory")
    (multi.base / "shlib").write_text("")
    multi.fails("-l", message=f"shlib_directory = '{multi.base}/shlib' is not "
                              "a directory")


def test_mail_config_must_be_default(multi):
    r = subprocess.run([str(multi.bin / "postmulti"), "-l"],
                       capture_output=True, text=True,
                       env={**multi.inst.env(), "MAIL_CONFIG": str(multi.etc)})
    assert r.returncode == 1
    assert r.stderr == ("postmulti: fatal: Non-default configuration "
                        f"directory: MAIL_CONFIG={multi.etc}\n")
    r = multi.run("-l", env={"MAIL_CONFIG": "/elsewhere"})   # -c wins
    assert r.returncode == 0


REAL_POSTMULTI = Path("/usr/sbin/postmulti")


def run_real_postmulti(multi, *args):
    """Debian's postmulti with our primary directory mounted on its default
    /etc/postfix in a private mount namespace (nothing outside changes)."""
    return subprocess.run(
        ["unshare", "-m", "sh", "-c",
         'mount --bind "$0" /etc/postfix && exec "$@"', str(multi.etc),
         str(REAL_POSTMULTI), *args],
        capture_output=True, text=True, timeout=60, env=multi.inst.env())


@pytest.mark.skipif(os.geteuid() != 0 or not REAL_POSTMULTI.exists()
                    or not Path("/etc/postfix").is_dir()
                    or shutil.which("unshare") is None,
                    reason="needs root, unshare and Postfix's postmulti")
def test_same_as_postfix(three):
    m = three
    try:
        pwd.getpwnam("postfix")
        grp.getgrnam("postdrop")
    except KeyError:
        pytest.skip("no postfix/postdrop accounts for the real Postfix")
    text = (m.etc / "main.cf").read_text()
    text = re.sub(r"(?m)^mail_owner = .*$", "mail_owner = postfix", text)
    text = re.sub(r"(?m)^setgid_group = .*$", "setgid_group = postdrop", text)
    (m.etc / "main.cf").write_text(text)
    probe = run_real_postmulti(m, "-l")
    if probe.returncode != 0 and "mount" in probe.stderr:
        pytest.skip("cannot make a private mount namespace here")
    m.ok("-i", "postfix-c", "-e", "enable")
    for args in (["-l"], ["-l", "-R"], ["-l", "-g", "g1"], ["-l", "-i", "b"]):
        real = run_real_postmulti(m, *args)
        assert real.returncode == 0, real.stderr
        ours = m.ok(*args)
        assert real.stdout.replace("/etc/postfix", str(m.etc)) == ours, args
    # Debian's postmulti logs its fatal errors (not shown without a
    # terminal); compare the logged texts.
    cases = [["-l", "-p"], ["-e", "bogus"], ["-I", "postfix-z", "-l"],
             ["-e", "enable"], ["-e", "enable", "-i", "nosuch"],
             ["-i", "-", "-e", "deport"], ["-i", "c", "-e", "deport"],
             ["-I", "postfix-q", "-e", "create", "foo=/x"],
             ["-I", "postfix-b", "-e", "create", f"config_directory={m.base}/q"]]
    for args in cases:
        before = len(m.inst.log_text())
        real = run_real_postmulti(m, *args)
        assert real.returncode == 1
        real_text = m.inst.log_text()[before:]
        ours = m.run(*args)
        found = re.search(r" postmulti\[\d+\]: (fatal: .*)\n", real_text)
        assert found, real_text
        assert ours.stderr == f"postmulti: {found.group(1)}\n", args
