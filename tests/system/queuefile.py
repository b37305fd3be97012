"""A small writer of Postel queue files and maildrop files for the tests
(docs/internals/queue-file.md): records, the fixed-width S record with the
real content offset and size, long lines split into P records."""


def record(rtype, data=b""):
    """One record: type, decimal length, space, data, newline."""
    if isinstance(data, str):
        data = data.encode()
    return rtype.encode() + str(len(data)).encode() + b" " + data + b"\n"


def size_data(content_size, content_offset, rcpt_count, qflags=0,
              body_type=0, smtputf8=0):
    """The 65-byte S data."""
    return "%15d %15d %10d %10d %5d %5d" % (content_size, content_offset,
                                            rcpt_count, qflags, body_type,
                                            smtputf8)


def content_records(lines, limit=None):
    """L records for lines; with limit, longer lines become P...L."""
    out = []
    for line in lines:
        if isinstance(line, str):
            line = line.encode()
        while limit is not None and len(line) > limit:
            out.append(("P", line[:limit]))
            line = line[limit:]
        out.append(("L", line))
    return out


def queue_file(envelope, lines, extracted=(), limit=None, arrival="1796430334.774185",
               sender="alice@example.test", qflags=0, before_sender=()):
    """A complete queue file. envelope and extracted are lists of
    (type, data) after Q S T [A...] F and after X; before_sender the A
    data between T and F (cleanup writes create_time, rewrite_context
    and full_name there); lines the message content."""
    content = content_records(lines, limit)
    head = record("Q", "postel-queue 1")
    rest_env = record("T", arrival)
    for data in before_sender:
        rest_env += record("A", data)
    rest_env += record("F", sender)
    for rtype, data in envelope:
        rest_env += record(rtype, data)
    nrcpt = sum(1 for t, _ in list(envelope) + list(extracted) if t == "R")
    csize = sum(len(d) + (1 if t == "L" else 0) for t, d in content)
    s_len = len(record("S", size_data(0, 0, 0)))
    offset = len(head) + s_len + len(rest_env)
    out = head + record("S", size_data(csize, offset, nrcpt, qflags)) + rest_env
    assert len(out) == offset
    out += record("M")
    for rtype, data in content:
        out += record(rtype, data)
    out += record("X")
    for rtype, data in extracted:
        out += record(rtype, data)
    out += record("Z")
    return out


def maildrop_file(sender, recipients, lines, attrs=(), arrival="1796430334.5",
                  extracted=()):
    """A maildrop file: Q T F A* R* M content X R* Z."""
    out = record("Q", "postel-queue 1") + record("T", arrival)
    out += record("F", sender)
    for a in attrs:
        out += record("A", a)
    for r in recipients:
        out += record("R", r)
    out += record("M")
    for rtype, data in content_records(lines):
        out += record(rtype, data)
    out += record("X")
    for r in extracted:
        out += record("R", r)
    return out + record("Z")


def content_lines(records):
    """The content lines (bytes) between M and X, P records joined."""
    lines, part, inside = [], b"", False
    for kind, data in records:
        if kind == "M":
            inside = True
        elif kind == "X":
            break
        elif inside and kind == "P":
            part += data
        elif inside and kind == "L":
            lines.append(part + data)
            part = b""
    return lines
