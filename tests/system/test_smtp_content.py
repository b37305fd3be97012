"""The message content as the SMTP client sends it, against Debian's.

The same message goes through Debian's Postfix 3.7 smtp(8) and through
ours (both kept running across the cases of the module: the mta_sides
fixture, mta_pair.SharedSides) to a scripted server
(smtp_script.ScriptServer); the content that the server received is
compared byte for byte (Received: headers and queue IDs aside), and so
are the client's log lines about the content. Cases:

    mime shapes      one multipart message with an 8-bit text part, a
                     part without Content-Transfer-Encoding, a base64
                     part, an 8-bit message/rfc822 part whose own body is
                     8-bit, an 8-bit message/partial part and a folded
                     Content-Transfer-Encoding header, to a server
                     without 8BITMIME: quoted-printable conversion and
                     the Content-Transfer-Encoding headers that Postfix
                     writes (and, with 8BITMIME, the content unchanged)
    top-level 8bit   a text/plain 8bit message without 8BITMIME: the
                     header moves to the end of the header block
    nesting          a message nested deeper than mime_nesting_limit,
                     to be converted: Postfix bounces it (5.6.0)
    long lines       a 3000-byte body line, a long header and a long
                     line that starts with a dot: CRLF SPACE breaks, and
                     the "breaking line" log line
    checks           smtp_header_checks, smtp_mime_header_checks,
                     smtp_nested_header_checks and smtp_body_checks with
                     every action: the content and the log lines
    generic          smtp_generic_maps in the envelope and in the primary
                     address headers (folding of a rewritten header,
                     groups, comments, extensions, nested headers and
                     Delivered-To left alone); header checks see the
                     header before the mapping
    table failure    a failing smtp_header_checks table: the message is
                     deferred with "local data error while talking to
                     ...", the end of the data is never sent

Quoted-printable lines longer than 73 characters are left out on
purpose: Postfix folds them one column earlier than qp_encode(3) does
(tests/unit/test_smtp_content.c says more).

The tests need root and Debian's Postfix; they skip otherwise.
"""

import re

import pytest

from mta_pair import Submission, table_ready
from smtp_dialogue import _debian_usable

pytestmark = pytest.mark.skipif(
    not _debian_usable(),
    reason="needs root, Debian's Postfix and the postfix account")

SENDER = "sender@origin.example"
RCPT = "one@dest.example"
KEYWORDS_8BIT = ["PIPELINING", "SIZE 10240000", "8BITMIME",
                 "ENHANCEDSTATUSCODES", "DSN"]
KEYWORDS_7BIT = ["PIPELINING", "SIZE 10240000", "ENHANCEDSTATUSCODES",
                 "DSN"]


def headers(tag, extra=""):
    return ("From: Sender <sender@origin.example>\n"
            f"To: {RCPT}\n"
            f"Subject: content {tag}\n"
            "Date: Sat, 05 Dec 2026 12:00:00 +0000\n"
            f"Message-ID: <{tag}@origin.example>\n" + extra)


MIME_SHAPES = (
    headers("mime", "MIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"OUTER\"\n"
            "Content-Transfer-Encoding: 8bit\n")
    + "\npreamble\n"
    "--OUTER\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Content-Description: eight\n"
    "\n"
    "gr\u00fc\u00dfe = equals, trailing space \n"
    ".leading dot \u00e9\n"
    "tab at end\t\n"
    "--OUTER\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<p>no CTE: sent as is \u00fc</p>\n"
    "--OUTER\n"
    "Content-Type: application/octet-stream\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "AAECAwQF\n"
    "--OUTER\n"
    "Content-Type: message/rfc822\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "From: inner@origin.example\n"
    "Subject: inner\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding:\n"
    " 8BIT (folded, with a comment)\n"
    "\n"
    "n\u00f6sted\n"
    "--OUTER\n"
    "Content-Type: message/partial; id=\"x\"; number=1\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "p\u00e4rtial\n"
    "--OUTER--\n"
    "epilogue \u00e4\n").encode()

TOP_LEVEL_8BIT = (
    headers("top", "MIME-Version: 1.0\n"
            "Content-Transfer-Encoding: 8bit\n"
            "Content-Type: text/plain; charset=utf-8\n")
    + "\nk\u00e4se\n.\u00e4\nx\n").encode()

NESTED = (
    headers("nest", "MIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=A\n")
    + "\n--A\nContent-Type: multipart/mixed; boundary=B\n\n"
    "--B\nContent-Type: multipart/mixed; boundary=C\n\n"
    "--C\nContent-Type: multipart/mixed; boundary=D\n\n"
    "--D\nContent-Type: multipart/mixed; boundary=E\n\n"
    "--E\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n"
    "\u00e4\n--E--\n--D--\n--C--\n--B--\n--A--\n").encode()

LONG_LINES = (
    headers("long", "X-Long: " + "h" * 1200 + "\n")
    + "\nshort\n" + "x" * 3000 + "\n." + "y" * 2500 + "\n"
    + "z" * 998 + "\n" + "w" * 999 + "\n").encode()

CHECKS_TABLE = r"""/^Subject: content checks/ WARN warned header
/^X-Info:/ INFO informed
/^X-Replace:/ REPLACE X-Replaced: yes
/^X-Prepend:/ PREPEND X-Prepended: yes
/^X-Ignore:/ IGNORE
/^X-Strip:/ STRIP stripped
/^X-Reject:/ REJECT rejected text
/^X-Unknown:/ FOO bar
/^X-BadPrepend:/ PREPEND not a header
/^X-Ok:/ OK
/^Content-Description: mimewarn/ WARN mime
/^X-Nested: warn/ WARN nested
/^bodywarn/ WARN body warned
/^bodyreplace/ REPLACE body replaced
/^bodyignore/ IGNORE
/^bodyprepend/ PREPEND prepended line
/^bodyinfo/ INFO
"""

CHECKS = (
    headers("checks", "X-Info: 1\nX-Replace: 1\nX-Prepend: 1\n"
            "X-Ignore: 1\nX-Strip: y\nX-Reject: 1\nX-Unknown: 1\n"
            "X-BadPrepend: 1\nX-Ok: 1\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=b\n")
    + "\n--b\nContent-Description: mimewarn\n\nbodywarn line\n"
    "bodyreplace line\nbodyignore line\nbodyprepend line\nbodyinfo line\n"
    "--b\nContent-Type: message/rfc822\n\nX-Nested: warn\n\nx\n--b--\n"
).encode()

GENERIC_TABLE = """a1@origin.example a2@origin.example
a2@origin.example a3@public.example
sender@origin.example sender.public@public.example
user@origin.example user.public@public.example
@other.example someone@public.example
"""

GENERIC = (
    "From: A One <a1@origin.example>\n"
    "To: user+ext@origin.example, \"Quoted Name\" <sender@origin.example>,"
    " group: a1@origin.example, x@y;\n"
    "Cc: somebody@other.example (comment)\n"
    "Reply-To: sender@origin.example\n"
    "Disposition-Notification-To: sender@origin.example\n"
    "Delivered-To: sender@origin.example\n"
    "X-Original-To: sender@origin.example\n"
    "X-Other: sender@origin.example\n"
    "Subject: content generic\n"
    "Date: Sat, 05 Dec 2026 12:00:00 +0000\n"
    "Message-ID: <generic@origin.example>\n"
    "MIME-Version: 1.0\nContent-Type: message/rfc822\n"
    "\nFrom: sender@origin.example\nTo: a1@origin.example\n\nbody\n"
).encode()


def content_log(log):
    """The client's log lines about content, queue IDs and pids aside."""
    lines = []
    for line in log.splitlines():
        m = re.search(r"postfix/(?:smtp|relay)\[\d+\]: (.*)$", line)
        if not m:
            continue
        text = re.sub(r"^[0-9A-F]{6,}: ", "QID: ", m.group(1))
        if re.search(r"to=<|connect to|^QID: (conversation|lost)", text):
            continue
        lines.append(text)
    return lines


def run_both(request, shared_tmp, content, keywords, sender=SENDER,
             recipients=(RCPT,), **settings):
    sub = Submission(sender, list(recipients), content,
                     mail_options=["BODY=8BITMIME"])
    script = {"keywords": keywords}
    sides = request.getfixturevalue("mta_sides")
    debian = sides.run_debian(script, sub, **settings)
    ours = sides.run_ours(script, sub, **settings)
    return ours, debian


def assert_same_content(ours, debian):
    assert len(debian.contents) == 1
    if ours.contents != debian.contents and len(ours.contents) == 1:
        import difflib
        print("\n".join(difflib.unified_diff(
            debian.contents[0].decode("latin1").split("\r\n"),
            ours.contents[0].decode("latin1").split("\r\n"),
            "debian", "ours", lineterm="")))
    assert ours.contents == debian.contents, "delivered content differs"
    # SIZE= and BODY= are smtp_proto's business (test_smtp_diff.py).
    assert [(e[0], [r[0] for r in e[2]]) for e in ours.envelopes] == \
        [(e[0], [r[0] for r in e[2]]) for e in debian.envelopes], \
        "envelope addresses differ"


def test_mime_shapes_without_8bitmime(request, shared_tmp):
    ours, debian = run_both(request, shared_tmp, MIME_SHAPES, KEYWORDS_7BIT)
    data = debian.contents[0]
    # What Postfix does, recorded from Debian's Postfix 3.7.11.
    assert b"Content-Transfer-Encoding: 7bit\r\n\r\npreamble" in data
    assert b"gr=C3=BC=C3=9Fe =3D equals, trailing space=20\r\n" in data
    assert b"\r\n.leading dot =C3=A9\r\n" in data
    assert b"<p>no CTE: sent as is \xc3\xbc</p>" in data
    assert b"n=F6sted" not in data and b"n=C3=B6sted" in data
    assert b"p=C3=A4rtial" in data
    assert b"epilogue \xc3\xa4" in data
    assert_same_content(ours, debian)


def test_mime_shapes_with_8bitmime_unchanged(request, shared_tmp):
    ours, debian = run_both(request, shared_tmp, MIME_SHAPES, KEYWORDS_8BIT)
    assert b"gr\xc3\xbc\xc3\x9fe = equals" in debian.contents[0]
    assert_same_content(ours, debian)


def test_top_level_8bit_without_8bitmime(request, shared_tmp):
    ours, debian = run_both(request, shared_tmp, TOP_LEVEL_8BIT,
                            KEYWORDS_7BIT)
    head, _, body = debian.contents[0].partition(b"\r\n\r\n")
    assert head.endswith(b"\r\nContent-Transfer-Encoding: quoted-printable")
    assert body == b"k=C3=A4se\r\n.=C3=A4\r\nx\r\n"     # dots unstuffed
    assert_same_content(ours, debian)


def test_nesting_too_deep_bounces_when_converting(request, shared_tmp):
    # The limit for smtp(8) only: our cleanup(8) would refuse the
    # message at this limit, Debian's accepts it (observed; see
    # docs/internals/smtp-client.md), so cleanup gets its own service.
    ours, debian = run_both(request, shared_tmp, NESTED, KEYWORDS_7BIT,
                            mime_nesting_limit="2",
                            smtpd_args="-o cleanup_service_name=cleanup2",
                            master_extra="cleanup2 unix n - n - 0 cleanup"
                            " -o mime_nesting_limit=100\n")
    want = {"dsn": "5.6.0", "status": "bounced",
            "text": "MIME nesting exceeds safety limit"}
    for side in (debian, ours):
        entry = side.status[RCPT]
        assert {k: entry[k] for k in want} == want, side.side
        assert side.server.messages == [] or side.server.messages[0].data \
            != NESTED


def test_long_lines(request, shared_tmp):
    ours, debian = run_both(request, shared_tmp, LONG_LINES, KEYWORDS_8BIT)
    lines = debian.contents[0].split(b"\r\n")
    assert max(len(line) for line in lines) == 998      # dots unstuffed
    assert b"z" * 998 in lines and b"w" * 998 in lines and b" w" in lines
    assert_same_content(ours, debian)
    want = "QID: breaking line > 998 bytes with <CR><LF>SPACE"
    assert content_log(debian.log).count(want) == 1
    assert content_log(ours.log) == content_log(debian.log)


def test_header_and_body_checks(request, shared_tmp):
    table = shared_tmp / "smtp_checks"
    table.write_text(CHECKS_TABLE)
    table_ready(table)
    spec = f"regexp:{table}"
    ours, debian = run_both(request, shared_tmp, CHECKS, KEYWORDS_8BIT,
                            smtp_header_checks=spec,
                            smtp_mime_header_checks=spec,
                            smtp_nested_header_checks=spec,
                            smtp_body_checks=spec)
    data = debian.contents[0]
    assert b"X-Replaced: yes\r\nX-Prepended: yes\r\nX-Prepend: 1\r\n" in data
    assert b"X-Ignore" not in data and b"X-Strip" not in data
    assert b"body replaced\r\nprepended line\r\nbodyprepend line\r\n" in data
    log = content_log(debian.log)
    assert ("QID: warning: header Subject: content checks: warned header"
            in log)
    assert ("warning: unsupported command in smtp_header_checks map: "
            "REJECT rejected text" in log)
    assert "QID: info: body bodyinfo line" in log
    assert_same_content(ours, debian)
    assert content_log(ours.log) == log


def test_generic_maps(request, shared_tmp):
    table = shared_tmp / "generic"
    table.write_text(GENERIC_TABLE)
    table_ready(table)
    # Which address do the header checks see: before or after mapping?
    checks = shared_tmp / "checks"
    checks.write_text("/^From:.*a1@/ INFO before mapping\n"
                      "/^From:.*a2@/ INFO after mapping\n")
    table_ready(checks)
    ours, debian = run_both(request, shared_tmp, GENERIC, KEYWORDS_8BIT,
                            sender="a1@origin.example",
                            smtp_header_checks=f"regexp:{checks}",
                            smtp_generic_maps=f"texthash:{table}",
                            recipient_delimiter="+",
                            propagate_unmatched_extensions="canonical, "
                            "virtual, generic",
                            mydestination="origin.example, localhost",
                            myorigin="origin.example")
    data = debian.contents[0]
    assert debian.envelopes[0][0] == "a2@origin.example"
    assert b"From: A One <a2@origin.example>\r\n" in data
    assert b"Delivered-To: sender@origin.example\r\n" in data
    assert b"\r\n\r\nFrom: sender@origin.example\r\n" in data
    assert_same_content(ours, debian)
    # The checks see the header as queued, before generic mapping.
    assert content_log(debian.log) == [
        "QID: info: header From: A One <a1@origin.example>: before mapping"]
    assert content_log(ours.log) == content_log(debian.log)


def test_check_table_failure_defers(request, shared_tmp):
    content = (headers("fail") + "\nbody\n").encode()
    ours, debian = run_both(request, shared_tmp, content, KEYWORDS_8BIT,
                            smtp_header_checks="fail:hc")
    want = {"dsn": "4.3.0", "status": "deferred",
            "text": "local data error while talking to "
            "127.0.0.1[127.0.0.1]"}
    for side in (debian, ours):
        entry = side.status[RCPT]
        assert {k: entry[k] for k in want} == want, side.side
        assert re.search(r"warning: \w+: smtp header checks lookup error",
                         side.log), side.side
        # The end of the data never went out.
        assert side.commands[0][-1] != "."
