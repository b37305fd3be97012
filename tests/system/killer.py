"""Killing daemons of a running instance at seeded random moments.

    children(master_pid) -> {pid: program name} of master's live children
        (the program name is the base name of argv[0]).
    Killer(master_pid, seed, interval, pick)
        A thread that, every rng.uniform(*interval) seconds, calls
        pick(rng) for a program name and sends SIGKILL to one of master's
        children of that name (chosen with the same rng), until .stop is
        set. rng is random.Random(seed), so a run is repeatable as far as
        the instance's own timing allows. .kills counts the kills per
        program; .thread is the thread (start it, then set .stop and
        join it).
"""

import os
import random
import signal
import threading
from collections import Counter


def children(master_pid):
    """{pid: program name} of master's children."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv0 = f.read().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[1]) == master_pid:
            out[int(entry)] = os.path.basename(argv0)
    return out


class Killer:
    """SIGKILL one of master's children now and then."""

    def __init__(self, master_pid, seed, interval, pick):
        self.master_pid = master_pid
        self.rng = random.Random(seed)
        self.interval = interval
        self.pick = pick
        self.kills = Counter()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.wait(self.rng.uniform(*self.interval)):
            victim = self.pick(self.rng)
            pids = sorted(p for p, name in children(self.master_pid).items()
                          if name == victim)
            if not pids:
                continue
            pid = self.rng.choice(pids)
            try:
                os.kill(pid, signal.SIGKILL)
                self.kills[victim] += 1
            except ProcessLookupError:
                pass
