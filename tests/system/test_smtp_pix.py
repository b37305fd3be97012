"""smtp(8)'s Cisco PIX workarounds, ours against Debian's Postfix 3.7.

A server whose one-line greeting text is nothing but "*" characters is
taken for a PIX firewall in "smtp fixup" mode. The client then enables
the workarounds of smtp_pix_workarounds, or of the entry for the
server's IP address in smtp_pix_workaround_maps when there is one:

    disable_esmtp   HELO instead of EHLO (so no PIPELINING, no SIZE ...);
    delay_dotcrlf   the content is flushed, then the client waits
                    smtp_pix_workaround_delay_time before it sends the
                    final ".", but only for a message that has been
                    queued for smtp_pix_workaround_threshold_time or
                    longer.

Each test sends one message (test_smtp_proto.run_side: our mail system,
then a throwaway Debian instance, against the same scripted server) and
checks the command groups, the status line, the "enabling PIX
workarounds" log line and where the final "." arrived: in the same recv()
chunk as the content's last line (no delay), or in a later chunk, a
delay later (ScriptServer's chunk_times). The delay tests set
smtp_pix_workaround_delay_time = 2s and only check generous bounds: at
least 1s (there was a wait) and less than 8s (it was not the 10s
default). A message is "old" with smtp_pix_workaround_threshold_time =
0s, or (test_pix_threshold_aged_message) by being deferred once and
flushed after the threshold has passed.
"""

import re
import subprocess
import time

import pytest

from smtp_dialogue import debian_smtpd, our_instance, ours_smtpd
from smtp_script import ScriptServer
from test_smtp_proto import (BODY, PLAIN, RCPT, TIMEOUT, both, run_side,
                             sent, submit, wait_status)
from test_smtp_status import status_lines

MASKED = {"greeting": "220 " + "*" * 30}
HELO = [["HELO test.example"], ["MAIL FROM:<>"], [f"RCPT TO:<{RCPT}>"],
        ["DATA"], ["."], ["QUIT"]]
LAST_LINE = b"body line\r\n"     # the last line of test_smtp_proto.BODY
DELAY = "2s"
OLD = {"smtp_pix_workaround_threshold_time": "0s",
       "smtp_pix_workaround_delay_time": DELAY}
ENABLING = (r": [0-9A-Za-z]+: enabling PIX workarounds: {} for "
            r"127\.0\.0\.1\[127\.0\.0\.1\]:\d+$")


def dot_gap(conn):
    """None when the final "." came in the same recv() chunk as the last
    content line; else the seconds between the two chunks."""
    chunks = conn.chunks
    last = next(i for i, c in enumerate(chunks) if LAST_LINE in c)
    if LAST_LINE + b".\r\n" in chunks[last]:
        return None
    assert chunks[last].endswith(LAST_LINE), chunks[last:]
    dot = last + 1
    assert dot < len(chunks) and chunks[dot].startswith(b".\r\n"), \
        chunks[last:]
    return conn.chunk_times[dot] - conn.chunk_times[last]


def assert_no_delay(side, conn):
    assert dot_gap(conn) is None, (side, conn.chunks[-3:])


def assert_delayed(side, conn):
    """The "." came alone, smtp_pix_workaround_delay_time (2s) later:
    generous bounds, and below the 10s default."""
    gap = dot_gap(conn)
    assert gap is not None, (side, conn.chunks[-3:])
    assert 1.0 <= gap < 8.0, (side, gap)


def assert_enabling(side, log, names):
    """The info line that names the workarounds in effect."""
    assert re.search(ENABLING.format(re.escape(names)), log, re.M), \
        (side, [x for x in log.splitlines() if "PIX" in x])


def assert_not_enabling(side, log):
    assert "enabling PIX workarounds" not in log, \
        (side, [x for x in log.splitlines() if "PIX" in x])


def test_pix_default_old_message(request, shared_tmp):
    """The default workarounds on a message past the threshold: HELO,
    and the "." alone after the delay."""
    runs = both(request, shared_tmp, MASKED, HELO, sent(), **OLD)
    for side, run in runs.items():
        assert_delayed(side, run.conn)
        assert_enabling(side, run.log, "disable_esmtp delay_dotcrlf")


def test_pix_workarounds_empty(request, shared_tmp):
    """smtp_pix_workarounds = (empty): a masked banner changes nothing,
    even for an old message."""
    runs = both(request, shared_tmp, MASKED, PLAIN, sent(),
                smtp_pix_workarounds="", **OLD)
    for side, run in runs.items():
        assert_no_delay(side, run.conn)
        assert_not_enabling(side, run.log)


def test_pix_disable_esmtp_only(request, shared_tmp):
    """disable_esmtp alone: HELO, and no delay for an old message."""
    runs = both(request, shared_tmp, MASKED, HELO, sent(),
                smtp_pix_workarounds="disable_esmtp", **OLD)
    for side, run in runs.items():
        assert_no_delay(side, run.conn)
        assert_enabling(side, run.log, "disable_esmtp")


def test_pix_delay_dotcrlf_only(request, shared_tmp):
    """delay_dotcrlf alone: EHLO with PIPELINING as usual, and the "."
    (with QUIT) in a write of its own after the delay."""
    runs = both(request, shared_tmp, MASKED, PLAIN, sent(),
                smtp_pix_workarounds="delay_dotcrlf", **OLD)
    for side, run in runs.items():
        assert_delayed(side, run.conn)
        assert_enabling(side, run.log, "delay_dotcrlf")


def test_pix_delay_dotcrlf_young_message(request, shared_tmp):
    """A message younger than smtp_pix_workaround_threshold_time gets no
    delay."""
    runs = both(request, shared_tmp, MASKED, PLAIN, sent(),
                smtp_pix_workarounds="delay_dotcrlf",
                smtp_pix_workaround_threshold_time="1000s",
                smtp_pix_workaround_delay_time=DELAY)
    for side, run in runs.items():
        assert_no_delay(side, run.conn)


def test_pix_young_message_log_line(request, shared_tmp):
    """Debian logs the (empty) list of workarounds that remain."""
    for side in ("debian", "ours"):
        run = run_side(side, request, shared_tmp, MASKED,
                       smtp_pix_workarounds="delay_dotcrlf")
        if run is None:
            continue
        found = re.search(ENABLING.format(""), run.log, re.M)
        if side == "debian" and not found:
            raise RuntimeError("Debian did not log the empty list")
        assert found, (side, [x for x in run.log.splitlines() if "PIX" in x])


def test_pix_maps_override(request, shared_tmp):
    """smtp_pix_workaround_maps (inline:, keyed by the server's IP
    address) replaces the empty smtp_pix_workarounds."""
    runs = both(request, shared_tmp, MASKED, HELO, sent(),
                smtp_pix_workarounds="",
                smtp_pix_workaround_maps="inline:{127.0.0.1=disable_esmtp}",
                **OLD)
    for side, run in runs.items():
        assert_no_delay(side, run.conn)
        assert_enabling(side, run.log, "disable_esmtp")


def test_pix_maps_texthash_replaces_global(request, shared_tmp):
    """A texthash: entry for the server's address is used instead of
    smtp_pix_workarounds, not added to it: EHLO, and the delay."""
    table = shared_tmp / "pix_maps"
    table.write_text("# per-server PIX workarounds\n"
                     "127.0.0.1 delay_dotcrlf\n")
    table.chmod(0o644)
    runs = both(request, shared_tmp, MASKED, PLAIN, sent(),
                smtp_pix_workarounds="disable_esmtp",
                smtp_pix_workaround_maps=f"texthash:{table}", **OLD)
    for side, run in runs.items():
        assert_delayed(side, run.conn)
        assert_enabling(side, run.log, "delay_dotcrlf")


def test_pix_maps_other_address(request, shared_tmp):
    """An entry for another address does not apply: the global
    smtp_pix_workarounds does."""
    runs = both(request, shared_tmp, MASKED, HELO, sent(),
                smtp_pix_workarounds="disable_esmtp",
                smtp_pix_workaround_maps="inline:{127.0.0.2=delay_dotcrlf}",
                **OLD)
    for side, run in runs.items():
        assert_no_delay(side, run.conn)
        assert_enabling(side, run.log, "disable_esmtp")


def test_pix_maps_need_masked_banner(request, shared_tmp):
    """A map entry for the server does nothing when the banner is not
    masked: the workarounds are for detected PIX firewalls only."""
    runs = both(request, shared_tmp, {}, PLAIN, sent(),
                smtp_pix_workaround_maps=("inline:{127.0.0.1="
                                          "disable_esmtp}"), **OLD)
    for side, run in runs.items():
        assert_no_delay(side, run.conn)
        assert_not_enabling(side, run.log)


def test_pix_unknown_word(request, shared_tmp):
    """An unknown word in smtp_pix_workarounds does not stop the known
    ones."""
    runs = both(request, shared_tmp, MASKED, HELO, sent(),
                smtp_pix_workarounds="bogus, disable_esmtp")
    for side, run in runs.items():
        assert_enabling(side, run.log, "disable_esmtp")


def test_pix_unknown_word_silent(request, shared_tmp):
    """Debian says nothing about the unknown word."""
    for side in ("debian", "ours"):
        run = run_side(side, request, shared_tmp, MASKED,
                       smtp_pix_workarounds="bogus, disable_esmtp")
        if run is None:
            continue
        said = [x for x in run.log.splitlines() if "bogus" in x]
        if side == "debian" and said:
            raise RuntimeError(f"Debian warned: {said}")
        assert not said, (side, said)


THRESHOLD = 5.0


def run_aged(side, request, shared_tmp):
    """The first attempt (a young message) is deferred at the end of
    data; once the message is older than the threshold it is flushed
    and sent again. The two connections and the log; None without
    Debian."""
    script = ScriptServer(greeting=MASKED["greeting"], sessions=[
        {"replies": {"dot": "451 4.3.0 try later"}}])
    settings = dict(relayhost=script.address,
                    smtp_connection_cache_on_demand="no",
                    smtp_pix_workarounds="delay_dotcrlf",
                    smtp_pix_workaround_threshold_time=f"{THRESHOLD:g}s",
                    smtp_pix_workaround_delay_time=DELAY)
    if side == "ours":
        inst = our_instance(request)
        context = ours_smtpd(inst, **settings)
    else:
        context = debian_smtpd(shared_tmp / "deb", **settings)
    with script as srv:
        try:
            with context as mta:
                submit(mta.port, [RCPT], "", BODY, (), ())
                submitted = time.monotonic()
                first = wait_status(mta, [RCPT])
                assert [s["status"] for s in first] == ["deferred"], first
                srv.wait_connections(1, timeout=TIMEOUT)
                time.sleep(max(0.0, submitted + THRESHOLD + 1.5
                               - time.monotonic()))
                if side == "ours":
                    flush = inst.run("postqueue", "-f")
                else:
                    flush = subprocess.run(
                        ["/usr/sbin/postqueue", "-c", str(mta.config_dir),
                         "-f"], capture_output=True, text=True, timeout=60)
                assert flush.returncode == 0, flush.stderr
                srv.wait_connections(2, timeout=TIMEOUT)
                deadline = time.monotonic() + TIMEOUT
                while not any(s["status"] == "sent"
                              for s in status_lines(mta.log_text())):
                    assert time.monotonic() < deadline, mta.log_text()[-3000:]
                    time.sleep(0.1)
                return srv.connections[:2], mta.log_text()
        except pytest.skip.Exception:
            if side == "ours":
                raise
            return None


def test_pix_threshold_aged_message(request, shared_tmp):
    """smtp_pix_workaround_threshold_time = 5s: the first attempt right
    after submission has no delay; the retry of the same message, more
    than 5s after it arrived, has."""
    for side in ("ours", "debian"):
        result = run_aged(side, request, shared_tmp)
        if result is None:
            continue
        (young, aged), log = result
        assert_no_delay(side, young)
        assert_delayed(side, aged)
        assert_enabling(side, log, "delay_dotcrlf")

