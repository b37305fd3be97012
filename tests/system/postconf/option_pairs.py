"""Combinations of postconf options, for the compatibility matrix.

pair_args() yields every ordered pair of options. combo_args() yields
every set of three options, a fixed pseudo-random sample of sets of four
to six options, and every single option and every pair followed by a
"name=value" operand (which makes postconf edit, as if -e were given).
The results of real Postfix 3.7 are in golden/option-pairs.ref and
golden/option-combos.ref (make_golden.py); run_option_args() runs one
combination on a configuration directory that it resets first, so
that an accepted edit does not change the next run.
"""

import itertools
import os
import random
import subprocess

FLAGS = ["a", "A", "b", "d", "e", "f", "F", "h", "H", "l", "m", "M", "n", "p",
         "P", "t", "T", "x", "X", "#", "C", "o"]

MAIN_CF = "myhostname = h.example\n"
OPERAND = "x=y"
SAMPLE_SEED = 7
SAMPLE_COUNT = 300


def option_args(flag):
    if flag == "T":
        return ["-T", "compile-version"]
    if flag == "C":
        return ["-C", "all"]
    if flag == "o":
        return ["-o", "x=y"]
    return ["-" + flag]


def pair_args():
    for a, b in itertools.permutations(FLAGS, 2):
        yield option_args(a), option_args(b)


def combo_args():
    """Lists of argument lists (options, then perhaps an operand)."""
    for combo in itertools.combinations(FLAGS, 3):
        yield [option_args(f) for f in combo]
    rng = random.Random(SAMPLE_SEED)
    for _ in range(SAMPLE_COUNT):
        combo = rng.sample(FLAGS, rng.randint(4, 6))
        yield [option_args(f) for f in combo]
    for flag in FLAGS:
        yield [option_args(flag), [OPERAND]]
    for a, b in itertools.combinations(FLAGS, 2):
        yield [option_args(a), option_args(b), [OPERAND]]


def combo_result(arg_lists, proc):
    """One line: the arguments, the exit status and the first fatal error
    (success output is not compared: it may depend on the host)."""
    fatal = [line.split("fatal: ", 1)[1] for line in proc.stderr.splitlines()
             if "fatal: " in line]
    words = " ".join(" ".join(args) for args in arg_lists)
    return f"{words}: rc={proc.returncode} {fatal[0] if fatal else 'OK'}\n"


def pair_result(a, b, proc):
    return combo_result([a, b], proc)


def run_option_args(postconf, confdir, arg_lists, env=None):
    """Reset main.cf and master.cf, then run postconf with arg_lists."""
    for name, text in (("main.cf", MAIN_CF), ("master.cf", "")):
        (confdir / name).write_text(text)
        # Real Postfix waits a while when main.cf has just been changed.
        os.utime(confdir / name, (1, 1))
    argv = [str(postconf), "-c", str(confdir)]
    for args in arg_lists:
        argv.extend(args)
    return subprocess.run(argv, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env, timeout=60)
