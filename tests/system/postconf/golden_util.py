"""Helpers shared by make_golden.py and test_postconf.py.

setup_case() writes a case's files into a configuration directory;
run_case() runs a postconf binary on it and returns the normalized
results, which is what the golden files hold.
"""

import re
import subprocess
import tempfile
from pathlib import Path

CONFDIR = "@CONFDIR@"
MISSING = "<no such file>\n"


def case_root():
    """The directory that holds one configuration directory per case.

    With -f, postconf folds lines that hold the configuration directory's
    name, so its length matters: make_golden.py and the tests both use
    /tmp/pcgoldXXXXXXXX/<case name>, whoever runs them and wherever the
    checkout is."""
    return tempfile.TemporaryDirectory(prefix="pcgold", dir="/tmp")


ECHO_LIMIT = 100  # bytes of quoted input that our diagnostics show


def excerpt(text):
    """Quoted input as our diagnostics show it (excerpt(3)): at most
    ECHO_LIMIT bytes, then "..."; control characters as "?"."""
    shown = re.sub(r"[\x00-\x1f\x7f]", "?", text[:ECHO_LIMIT])
    return shown + ("..." if len(text) > ECHO_LIMIT else "")


def bound_quotes(text):
    """Postfix's diagnostics, with quoted input cut as ours cut it (a
    difference that we keep on purpose, docs/internals/configuration.md):
    the value in "unused parameter: name=value" warnings."""
    return re.sub(r"(unused parameter: [^=\n]*=)(.*)",
                  lambda m: m.group(1) + excerpt(m.group(2)), text)


def substitute(text, confdir):
    return text.replace(CONFDIR, str(confdir))


def setup_case(case, confdir: Path):
    """Write main.cf, master.cf and extra files of a case."""
    confdir.mkdir(parents=True, exist_ok=True)
    for name in ("main.cf", "master.cf"):
        path = confdir / name
        text = case["main" if name == "main.cf" else "master"]
        if text is None:
            if path.exists():
                path.unlink()
        else:
            path.write_bytes(substitute(text, confdir).encode())
    for name, text in case.get("files", {}).items():
        (confdir / name).write_bytes(substitute(text, confdir).encode())


def normalize_text(text, confdir):
    return text.replace(str(confdir), CONFDIR)


def normalize_err(text, confdir):
    """Program prefix made uniform; lines sorted, duplicates removed."""
    lines = set()
    for line in normalize_text(text, confdir).splitlines():
        lines.add(re.sub(r"^\S*postconf: ", "postconf: ", line))
    return "".join(line + "\n" for line in sorted(lines))


def run_case(postconf, case, confdir: Path, env=None):
    """Run postconf -c confdir args; return {"out", "err", "rc", files}."""
    args = [substitute(a, confdir) for a in case["args"]]
    proc = subprocess.run([str(postconf), "-c", str(confdir), *args],
                          capture_output=True, timeout=60, env=env)
    result = {
        "out": normalize_text(proc.stdout.decode("utf-8", "replace"), confdir),
        "err": normalize_err(proc.stderr.decode("utf-8", "replace"), confdir),
        "rc": f"{proc.returncode}\n",
    }
    for name in ("main.cf", "master.cf"):
        path = confdir / name
        result[name] = (normalize_text(path.read_bytes().decode("utf-8", "replace"),
                                       confdir) if path.exists() else MISSING)
    return result


def compared(case):
    return case.get("compare", ["out", "err", "rc", "main.cf", "master.cf"])


def golden_path(golden_dir: Path, case, what):
    suffix = {"out": ".out", "err": ".err", "rc": ".rc",
              "main.cf": ".main.cf", "master.cf": ".master.cf"}[what]
    return golden_dir / (case["name"] + suffix)
