"""Every ordered pair of postconf options, for the compatibility matrix."""

import itertools

FLAGS = ["a", "A", "b", "d", "e", "f", "F", "h", "H", "l", "m", "M", "n", "p",
         "P", "t", "T", "x", "X", "#", "C", "o"]


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


def pair_result(a, b, proc):
    """One line: the options, the exit status and the first fatal error
    (success output is not compared: it may depend on the host)."""
    fatal = [line.split("fatal: ", 1)[1] for line in proc.stderr.splitlines()
             if "fatal: " in line]
    return f"{' '.join(a)} {' '.join(b)}: rc={proc.returncode} " \
           f"{fatal[0] if fatal else 'OK'}\n"
