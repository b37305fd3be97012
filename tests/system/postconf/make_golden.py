#!/usr/bin/env python3
"""Regenerate the golden files from real Postfix 3.7 (/usr/sbin/postconf).

Run from the repository root:

    python3 tests/system/postconf/make_golden.py [part ...]

With no part, every golden file is written afresh (the directory is
emptied first). A part is "cases" (every case of cases.py), a case name
(that case only), "pairs" (golden/option-pairs.ref, every pair of
options) or "combos" (golden/option-combos.ref, see option_pairs.py).
Real Postfix sleeps one second after each fatal error, so "pairs" takes
about eight minutes and "combos" about forty.

The test suite itself never runs the real postconf for these files; it
compares our program with what is written here.
"""

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import CASES  # noqa: E402
from golden_util import (case_root, compared, golden_path,  # noqa: E402
                         run_case, setup_case)
from option_pairs import (combo_args, combo_result, pair_args,  # noqa: E402
                          run_option_args)

REAL = Path(os.environ.get("REAL_POSTCONF", "/usr/sbin/postconf"))
GOLDEN = HERE / "golden"


def write_cases(tmp, cases):
    for case in cases:
        confdir = Path(tmp) / case["name"]
        setup_case(case, confdir)
        result = run_case(REAL, case, confdir)
        for what in compared(case):
            golden_path(GOLDEN, case, what).write_text(result[what])
    print(f"{len(cases)} cases written to {GOLDEN}")


def write_options(tmp, name, arg_lists):
    confdir = Path(tmp) / name
    confdir.mkdir()
    count = 0
    with open(GOLDEN / f"{name}.ref", "w") as fp:
        for args in arg_lists:
            proc = run_option_args(REAL, confdir, args)
            fp.write(combo_result(args, proc))
            count += 1
    print(f"{count} option combinations written to {GOLDEN / name}.ref")


def main(parts):
    names = [case["name"] for case in CASES]
    if len(set(names)) != len(names):
        sys.exit("duplicate case names in cases.py")
    if not parts:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir()
        parts = ["cases", "pairs", "combos"]
    with case_root() as tmp:
        for part in parts:
            if part == "cases":
                write_cases(tmp, CASES)
            elif part == "pairs":
                write_options(tmp, "option-pairs",
                              ([a, b] for a, b in pair_args()))
            elif part == "combos":
                write_options(tmp, "option-combos", combo_args())
            elif part in names:
                write_cases(tmp, [c for c in CASES if c["name"] == part])
            else:
                sys.exit(f"unknown part or case name: {part}")


if __name__ == "__main__":
    main(sys.argv[1:])
