"""System tests for the manual pages under docs/man.

postconf(5) must stay complete: every parameter that the installed
"postconf -d" prints has an entry ".SH "name (default: value)"" whose
default matches (whitespace normalized), and every entry names a
parameter that exists. The per-transport parameters that postconf derives
from master.cf services ("relay_destination_concurrency_limit") are
documented once as "transport_..." entries. A parameter without
documentation, or documentation of a parameter that is gone, fails here.

Every page must render without groff or man warnings, and the build must
install the pages.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAN_DIR = REPO / "docs" / "man"
POSTCONF_5 = MAN_DIR / "man5" / "postconf.5"
PARAMS_DEF = REPO / "src" / "global" / "mail_params.def"

ENTRY = re.compile(r'^\.SH "([A-Za-z0-9_]+) \(default: (.*)\)"$')
COMPUTED = 'see "postconf -d" output'

# Parameters of Postfix 3.11's non-Berkeley-DB migration, documented before
# mail_params.def has them (a parallel branch adds them). Their entries may
# show COMPUTED as the default until the real default is filled in; once
# they exist, replace it and drop the name from this set.
PENDING = set()

# master.cf services whose per-transport parameters postconf derives.
SERVICES_MASTER_CF = """\
relay     unix  -       -       n       -       -       smtp
lmtp      unix  -       -       n       -       -       lmtp
retry     unix  -       -       n       -       -       error
maildrop  unix  -       n       n       -       -       pipe
  flags=DRXhu user=nobody argv=/bin/true ${recipient}
policy    unix  -       n       n       -       0       spawn
  user=nobody argv=/bin/true
"""


def roff_unescape(text):
    """The plain text of a default as written in roff."""
    for escaped, plain in (("\\(dq", '"'), ("\\-", "-"), ("\\:", ""),
                           ("\\&", ""), ("\\(aq", "'")):
        text = text.replace(escaped, plain)
    return text.replace("\\e", "\\")


def normalize(value):
    return " ".join(value.split())


def page_entries(path=POSTCONF_5):
    """Map parameter name to the default shown in a postconf.5 file."""
    entries = {}
    for line in path.read_text().splitlines():
        match = ENTRY.match(line)
        if match:
            name, default = match.group(1), roff_unescape(match.group(2))
            assert name not in entries, f"postconf.5: {name} listed twice"
            entries[name] = "" if default == "empty" else default
    return entries


def computed_parameters():
    """Names whose default is computed at run time (STR_FN entries)."""
    return set(re.findall(r"^STR_FN\(([a-z0-9_]+),",
                          PARAMS_DEF.read_text(), re.M))


def postconf_defaults(install_root, tmp_path, master_cf):
    """'postconf -d' of the installed build, as a name -> value map."""
    confdir = tmp_path / "etc"
    confdir.mkdir(exist_ok=True)
    (confdir / "main.cf").write_text("")
    (confdir / "master.cf").write_text(master_cf)
    env = dict(os.environ)
    env.pop("MAIL_CONFIG", None)
    result = subprocess.run(
        [str(install_root / "usr/sbin/postconf"), "-c", str(confdir), "-d"],
        capture_output=True, text=True, check=True, env=env)
    defaults = {}
    for line in result.stdout.splitlines():
        name, sep, value = line.partition(" =")
        assert sep, f"unexpected postconf -d line: {line!r}"
        defaults[name] = value.strip()
    return defaults


def transport_templates(entries):
    """Suffix ("_time_limit") -> default of each transport_* entry."""
    return {name[len("transport"):]: default
            for name, default in entries.items()
            if name.startswith("transport_")
            and name not in ("transport_maps", "transport_retry_time")}


@pytest.fixture(scope="module")
def builtin_defaults(install_root, tmp_path_factory):
    """Defaults of the built-in parameters (master.cf without services)."""
    return postconf_defaults(install_root, tmp_path_factory.mktemp("pc"), "")


def test_postconf5_lists_every_parameter(builtin_defaults):
    """Each parameter that postconf -d prints has an entry."""
    entries = page_entries()
    missing = sorted(set(builtin_defaults) - set(entries))
    assert not missing, "postconf.5 lacks entries for: " + " ".join(missing)


def test_postconf5_defaults_match_postconf(builtin_defaults):
    """The default in each entry is the one postconf -d prints."""
    entries = page_entries()
    computed = computed_parameters()
    wrong = []
    for name, value in sorted(builtin_defaults.items()):
        shown = entries.get(name)
        if shown is None:
            continue
        if shown == COMPUTED:
            if name not in computed and name not in PENDING:
                wrong.append(f"{name}: shows {COMPUTED!r} but has a "
                             f"fixed default {value!r}")
        elif normalize(shown) != normalize(value):
            wrong.append(f"{name}: page {shown!r}, postconf -d {value!r}")
    assert not wrong, "\n".join(wrong)


def test_postconf5_entries_are_parameters(builtin_defaults):
    """No entry documents a parameter that does not exist."""
    entries = page_entries()
    templates = {"transport" + s for s in transport_templates(entries)}
    unknown = sorted(set(entries) - set(builtin_defaults) - templates
                     - PENDING)
    assert not unknown, "postconf.5 documents unknown: " + " ".join(unknown)


def test_postconf5_service_parameters(install_root, tmp_path,
                                      builtin_defaults):
    """Per-service names match a transport_* entry and its default."""
    entries = page_entries()
    templates = transport_templates(entries)
    defaults = postconf_defaults(install_root, tmp_path, SERVICES_MASTER_CF)
    derived = sorted(set(defaults) - set(builtin_defaults))
    assert derived, "postconf -d derived no per-service parameters"
    services = ("relay", "lmtp", "retry", "maildrop", "policy")
    problems = []
    for name in derived:
        suffix = next((name[len(s):] for s in services
                       if name.startswith(s + "_")), None)
        if suffix not in templates:
            problems.append(f"{name}: no transport{suffix} entry")
        elif normalize(templates[suffix]) != normalize(defaults[name]):
            problems.append(f"{name}: page {templates[suffix]!r}, "
                            f"postconf -d {defaults[name]!r}")
    assert not problems, "\n".join(problems)


def test_page_parser_sees_a_missing_entry(tmp_path):
    """An entry that is removed from the page is no longer found."""
    trimmed = tmp_path / "postconf.5"
    trimmed.write_text(POSTCONF_5.read_text().replace(
        '.SH "biff (default: yes)"', ""))
    assert "biff" in page_entries()
    assert "biff" not in page_entries(trimmed)


def man_pages():
    return sorted(p for p in MAN_DIR.glob("man*/*.[0-9]"))


@pytest.mark.parametrize("page", man_pages(), ids=lambda p: p.name)
def test_page_renders_without_groff_warnings(page):
    """groff with all warnings on has nothing to say."""
    if shutil.which("groff") is None:
        pytest.fail("groff is missing (make deps installs groff-base)")
    result = subprocess.run(["groff", "-ww", "-man", "-z", str(page)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr


@pytest.mark.parametrize("page", man_pages(), ids=lambda p: p.name)
@pytest.mark.parametrize("width", [64, 80, 132])
def test_page_renders_without_man_warnings(page, width):
    """man(1) formats the page without warnings at common widths.

    64 columns is about the narrowest width at which the longest parameter
    names (53 characters, indented by 7) still fit on a line."""
    if shutil.which("man") is None:
        pytest.fail("man is missing (make deps installs man-db)")
    env = dict(os.environ, MANWIDTH=str(width), MAN_KEEP_FORMATTING="")
    result = subprocess.run(["man", "--warnings", "-l", str(page)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    assert result.stdout.strip(), "man printed nothing"


def test_build_installs_section_5(install_root):
    """meson install puts the section 5 pages under share/man/man5."""
    for name in ("postconf.5", "master.5"):
        installed = install_root / "usr/share/man/man5" / name
        assert installed.is_file(), f"{installed} not installed"
        assert installed.read_bytes() == (MAN_DIR / "man5" / name).read_bytes()
