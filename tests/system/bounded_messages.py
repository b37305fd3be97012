"""Shared check of the system tests: diagnostics quote huge input briefly.

A message that quotes a configuration line, a table entry, a command-line
argument or a peer's request shows at most the first 100 bytes of it,
followed by "..." (excerpt(3)), as Postfix quotes with "%.100s". HUGE is
a 30 KB input; quoted(prefix) is how prefix + HUGE appears in a message.
"""

HUGE = "x" * 30000
LINE_LIMIT = 500  # longest diagnostic line that these tests accept


def quoted(prefix=""):
    """How prefix + HUGE is quoted: its first 100 bytes, then "..."."""
    return (prefix + HUGE)[:100] + "..."


def assert_bounded(output, expected):
    """output has a line that contains expected, and no line is long."""
    lines = output.splitlines()
    assert any(expected in line for line in lines), output[:2000]
    longest = max(len(line) for line in lines)
    assert longest <= LINE_LIMIT, f"a {longest}-byte line: {output[:300]}"
