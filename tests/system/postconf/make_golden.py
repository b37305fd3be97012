#!/usr/bin/env python3
"""Regenerate the golden files from real Postfix 3.7 (/usr/sbin/postconf).

Run from the repository root:  python3 tests/system/postconf/make_golden.py
The test suite itself never runs the real postconf; it compares our
program with the files written here (tests/system/postconf/golden/).
Also writes golden/option-pairs.ref, the result of every pair of
options.
"""

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import CASES  # noqa: E402
from golden_util import compared, golden_path, run_case, setup_case  # noqa: E402
from option_pairs import pair_args, pair_result  # noqa: E402

REAL = Path(os.environ.get("REAL_POSTCONF", "/usr/sbin/postconf"))


def main():
    golden = HERE / "golden"
    shutil.rmtree(golden, ignore_errors=True)
    golden.mkdir()
    names = set()
    with tempfile.TemporaryDirectory(prefix="pcgold") as tmp:
        for case in CASES:
            if case["name"] in names:
                sys.exit(f"duplicate case name {case['name']}")
            names.add(case["name"])
            confdir = Path(tmp) / case["name"]
            setup_case(case, confdir)
            result = run_case(REAL, case, confdir)
            for what in compared(case):
                golden_path(golden, case, what).write_text(result[what])
        confdir = Path(tmp) / "pairs"
        confdir.mkdir()
        (confdir / "main.cf").write_text("myhostname = h.example\n")
        (confdir / "master.cf").write_text("")
        with open(golden / "option-pairs.ref", "w") as fp:
            for a, b in pair_args():
                proc = subprocess.run([str(REAL), "-c", str(confdir), *a, *b],
                                      capture_output=True, text=True,
                                      stdin=subprocess.DEVNULL)
                fp.write(pair_result(a, b, proc))
    print(f"{len(CASES)} cases written to {golden}")


if __name__ == "__main__":
    main()
