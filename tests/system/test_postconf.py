"""System tests for postconf(1).

Most tests compare the installed postconf with golden files that were
produced by real Postfix 3.7 (tests/system/postconf/make_golden.py); the
real program is not needed to run them. Other tests check what cannot
be golden: our own bounce template texts, the OpenSSL version, the table
types we register, and "postconf -d" against the Postfix 3.7 reference
list (tests/system/postconf/cases.py explains the golden format). Where
Debian's postconf is installed, the host-dependent defaults and a sample
of the nesting and self-reference cases are also compared with it live.
"""

import os
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "postconf"))

from bounded_messages import HUGE, assert_bounded, quoted  # noqa: E402
from cases import CASES  # noqa: E402
from golden_util import (bound_quotes, case_root, compared,  # noqa: E402
                         golden_path, run_case, setup_case)
from option_pairs import (combo_args, combo_result, pair_args,  # noqa: E402
                          run_option_args)

GOLDEN = HERE / "postconf" / "golden"
REPO = HERE.parents[1]
REFERENCE = Path("/work/shared/reference/postconf-d-3.7.txt")
REAL_POSTCONF = Path("/usr/sbin/postconf")


def postconf_path(instance):
    return instance.sbin / "postconf"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden(instance, case):
    """Output, warnings, status and edited files match Postfix 3.7."""
    with case_root() as tmp:
        confdir = Path(tmp) / case["name"]
        setup_case(case, confdir)
        result = run_case(postconf_path(instance), case, confdir,
                          env=instance.env())
        for what in compared(case):
            expected = golden_path(GOLDEN, case, what).read_text()
            if what == "err":
                expected = bound_quotes(expected)
            assert result[what] == expected, f"{case['name']}: {what} differs"
        assert not (confdir / "main.cf.tmp").exists()
        assert not (confdir / "master.cf.tmp").exists()


def compare_option_results(instance, arg_lists, ref):
    confdir = instance.config_dir
    lines = [combo_result(args, run_option_args(postconf_path(instance), confdir,
                                                args, env=instance.env()))
             for args in arg_lists]
    expected = (GOLDEN / ref).read_text().splitlines(True)
    assert len(lines) == len(expected)
    for got, want in zip(lines, expected):
        assert got == want


def test_option_pairs(instance):
    """Every pair of options is accepted or refused as by Postfix 3.7."""
    compare_option_results(instance, ([a, b] for a, b in pair_args()),
                           "option-pairs.ref")


def test_option_combinations(instance):
    """Sets of three to six options, and options with a name=value
    operand, are accepted or refused as by Postfix 3.7."""
    compare_option_results(instance, combo_args(), "option-combos.ref")


def run(instance, *args):
    return instance.postconf(*args)


def test_usage(instance):
    r = run(instance, "-Z")
    assert r.returncode == 1
    assert "invalid option -- 'Z'" in r.stderr
    assert re.search(r"postconf: fatal: usage: \S*postconf \[-a \(server SASL types\)\]",
                     r.stderr)
    assert "[-C param_class]" in r.stderr
    r = run(instance, "-E")
    assert r.returncode == 1
    assert "invalid option" not in r.stderr
    assert "fatal: usage: " in r.stderr


def test_tls_versions(instance):
    r = run(instance, "-T", "compile-version")
    assert r.returncode == 0
    assert re.fullmatch(r"OpenSSL 3\.\d+\.\d+\S* .+\n", r.stdout)
    r = run(instance, "-T", "run-version")
    assert r.returncode == 0
    assert re.fullmatch(r"OpenSSL 3\.\d+\.\d+\S* .+\n", r.stdout)
    r = run(instance, "-T", "public-key-algorithms")
    assert r.returncode == 0
    names = r.stdout.splitlines()
    assert names == sorted(names)
    assert "rsa" in names and "ecdsa" in names


def test_tls_missing_mode(instance):
    r = run(instance, "-T")
    assert r.returncode == 1
    assert "option requires an argument -- 'T'" in r.stderr


def test_map_types(instance):
    """-m lists the registered table types, sorted, one per line."""
    r = run(instance, "-m")
    assert r.returncode == 0
    names = r.stdout.splitlines()
    assert names == sorted(names)
    assert all(re.fullmatch(r"[a-z0-9_]+", n) for n in names)


def test_sasl_types(instance):
    """-a and -A list the SASL types compiled in: none yet, as Postfix
    built without SASL support prints nothing and exits 0."""
    for args in (["-a"], ["-A"]):
        r = run(instance, *args)
        assert (r.returncode, r.stdout, r.stderr) == (0, "", ""), args


def test_bounded_main_cf_quotes(instance):
    """A 30 KB main.cf line, name or value is quoted in 100 bytes; bytes
    that are not printable are shown as '?', as Postfix shows them."""
    main_cf = instance.config_dir / "main.cf"
    text = main_cf.read_text()
    main_cf.write_bytes(text.encode() + b"bad\x01\xff" + HUGE.encode() + b"\n")
    r = run(instance, "-n")
    assert r.returncode == 1
    line = len(text.splitlines()) + 1
    assert_bounded(r.stderr, f"{main_cf}, line {line}: missing '=' after "
                   f'attribute name: "{quoted("bad??")}"')
    main_cf.write_text(text + f"{HUGE} = 1\nunused_name = {HUGE}\n")
    r = run(instance, "-n")
    assert r.returncode == 0
    assert_bounded(r.stderr, f"unused parameter: {quoted()}=1")
    assert_bounded(r.stderr, f"unused parameter: unused_name={quoted()}")


def test_bounded_master_cf_quotes(instance):
    """A 30 KB master.cf field is quoted in 100 bytes."""
    instance.write_master_cf(f"smtp {HUGE} n - - - - smtpd\n")
    r = run(instance, "-M")
    assert r.returncode == 1
    assert_bounded(r.stderr, f'invalid type field "{quoted()}" in '
                   f'"{quoted("smtp ")}"')


def test_bounded_argument_quotes(instance):
    """30 KB command-line arguments are quoted in 100 bytes."""
    r = run(instance, HUGE)
    assert_bounded(r.stderr, f"warning: {quoted()}: unknown parameter")
    r = run(instance, "-e", HUGE)
    assert r.returncode == 1
    assert_bounded(r.stderr, f'missing \'=\' after attribute name: "{quoted()}"')
    r = run(instance, "-M", HUGE)
    assert_bounded(r.stderr, f'unmatched request: "{quoted()}"')
    r = run(instance, "-T", HUGE)
    assert r.returncode == 1
    assert_bounded(r.stderr, f"unknown 'postconf -T' mode: {quoted()}")


def test_templates_builtin(instance):
    """Our own built-in template texts, in Postfix's output format."""
    instance.write_main_cf(maximal_queue_lifetime="2d", delay_warning_time="4h")
    r = run(instance, "-t", "")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    text = r.stdout
    for name in ("failure", "delay", "success", "verify"):
        assert f"{name}_template = <<EOF\nCharset: us-ascii\n" \
               "From: Mail Delivery System <MAILER-DAEMON>\n" in text
    assert "Subject: Undelivered Mail Returned to Sender\n" \
           "Postmaster-Subject: Postmaster Copy: Undelivered Mail\n\n" in text
    assert "$delay_warning_time_hours" in text
    assert text.endswith("                   The mail system\nEOF\n")
    assert text.count("EOF\n\n") == 3
    r = run(instance, "-b", "")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout.startswith("expanded_failure_text = <<EOF\n"
                               "This is the mail system at host test.example.\n")
    assert " 4 hour(s)." in r.stdout
    assert "2 day(s) old" in r.stdout
    assert "expanded_verify_text = <<EOF\n" in r.stdout


def test_templates_warn_builtin(instance):
    """Time conversions of the built-in delay template are checked too."""
    instance.write_main_cf(maximal_queue_lifetime="3h")
    r = run(instance, "-b")
    assert r.returncode == 0
    assert r.stderr == (
        'postfix/bounce: warning: [built-in]: zero result in delay template '
        'conversion of parameter "maximal_queue_lifetime_days"\n'
        'postfix/bounce: warning: please reduce time unit "days" of '
        '"maximal_queue_lifetime_days" in delay template\n'
        'postfix/bounce: warning: for instructions see the bounce(5) manual\n')


def test_edit_missing_newline(instance):
    """A last line without newline gets one (Postfix would glue lines)."""
    main = instance.config_dir / "main.cf"
    main.write_text("a = 1")
    r = run(instance, "b=2")
    assert r.returncode == 0, r.stderr
    assert main.read_text() == "a = 1\nb = 2\n"


def test_edit_keeps_mode(instance):
    main = instance.config_dir / "main.cf"
    main.write_text("a = 1\n")
    os.chmod(main, 0o640)
    assert run(instance, "a=2").returncode == 0
    assert main.read_text() == "a = 2\n"
    assert (main.stat().st_mode & 0o777) == 0o640


def test_edit_failure_leaves_file(instance):
    """A fatal error during an edit leaves the file and no temp file."""
    master = instance.config_dir / "master.cf"
    master.write_text("smtp inet n - n - - smtpd\nbad\n")
    r = run(instance, "-M#", "smtp/inet")
    assert r.returncode == 1
    assert "specify service name and type on the same line" in r.stderr
    assert master.read_text() == "smtp inet n - n - - smtpd\nbad\n"
    assert not (instance.config_dir / "master.cf.tmp").exists()


def test_o_attached_value(instance):
    """"-ofoo=bar" is one option with a value (Postfix 3.7 splits it at
    every 'o' and shows "-o f -o -o=bar")."""
    instance.write_master_cf("smtp inet n - n - - smtpd -ofoo=bar -vofoo=x\n")
    r = run(instance, "-P")
    assert r.stdout == "smtp/inet/foo = x\n"
    r = run(instance, "-M")
    assert r.stdout.endswith("smtpd -o foo=bar -v -o foo=x\n")


def reference_defaults():
    values = {}
    for line in REFERENCE.read_text().splitlines():
        name, _, value = line.partition(" = ")
        values[name.rstrip(" =")] = value
    return values


# Parameters whose defaults depend on the host or on the build, and the
# differences that src/global/mail_params.def documents.
HOST_OR_BUILD = {
    "myhostname": "host name", "mydomain": "host name",
    "myorigin": "host name", "mynetworks": "interface addresses",
    "mydestination": "host name", "inet_interfaces": "host addresses",
    "process_id": "process", "mail_version": "our feature level",
    "mail_release_date": "our release",
    "daemon_directory": "build directory (Debian uses /usr/lib/postfix/sbin)",
    "html_directory": "build choice", "readme_directory": "build choice",
    "manpage_directory": "build choice", "shlib_directory": "build choice",
    "meta_directory": "build choice", "command_directory": "build choice",
    "queue_directory": "build choice", "data_directory": "build choice",
    "config_directory": "build choice", "sendmail_path": "build choice",
    "newaliases_path": "build choice", "mailq_path": "build choice",
    "default_database_type": "mail_params.def: lmdb, no Berkeley DB",
    "default_cache_db_type": "mail_params.def: lmdb, no Berkeley DB",
    "alias_maps": "mail_params.def: no NIS",
    "smtpd_forbid_bare_newline": "mail_params.def: Postfix 3.9 default",
    "smtpd_forbid_unauth_pipelining": "mail_params.def: Postfix 3.9 default",
}


def test_defaults_match_reference(instance):
    """postconf -d agrees with Postfix 3.7 on every parameter we define."""
    (instance.config_dir / "master.cf").write_text("")
    r = run(instance, "-d")
    assert r.returncode == 0, r.stderr
    ours = {}
    for line in r.stdout.splitlines():
        name, _, value = line.partition(" = ")
        ours[name.rstrip(" =")] = value
    ref = reference_defaults()
    defined = [n for n in ref if n in ours]
    extra = [n for n in ours if n not in ref]
    print(f"postconf -d: {len(defined)} of {len(ref)} reference parameters "
          f"defined, {len(extra)} extra")
    mismatches = [f"{n}: ours {ours[n]!r}, Postfix {ref[n]!r}"
                  for n in defined if n not in HOST_OR_BUILD and ours[n] != ref[n]]
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.skipif(not REAL_POSTCONF.exists(), reason="no /usr/sbin/postconf")
def test_host_defaults_match_real_postconf(instance, tmp_path):
    """Host-dependent defaults agree with real Postfix on this machine."""
    names = ["myhostname", "mydomain", "mynetworks"]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "main.cf").write_text("")
    (empty / "master.cf").write_text("")
    real = subprocess.run([str(REAL_POSTCONF), "-c", str(empty), "-d", *names],
                          capture_output=True, text=True)
    ours = run(instance, "-d", *names)
    assert ours.returncode == 0
    assert ours.stdout == real.stdout


# Line layout against real Postfix on this machine: values and master.cf
# entries made of words of random lengths (a fixed seed per run), so that
# lines end at and around the fold limits in many ways.

WORD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_.:/,"


def random_word(rng, longest):
    length = rng.choice([1, 2, 3, 5, 8, 13, rng.randint(1, longest)])
    return "".join(rng.choice(WORD_CHARS) for _ in range(length))


def random_main_cf(rng):
    """main.cf with built-in parameters whose values are random words,
    separated by spaces, tabs, carriage returns or continuation lines."""
    names = ["relay_domains", "mydestination", "smtpd_banner", "mynetworks",
             "alias_maps", "smtpd_client_restrictions", "header_checks",
             "transport_maps", "virtual_alias_maps", "smtp_helo_name"]
    lines = ["myhostname = host.example.com"]
    for name in names:
        words = [random_word(rng, 90) for _ in range(rng.randint(0, 14))]
        text = ""
        for word in words:
            text += rng.choice([" ", " ", "  ", "\t", ",", "\n  ", "\r"]) + word
        lines.append(f"{name} ={text}")
    return "\n".join(lines) + "\n"


def random_arg(rng):
    """A master.cf command argument: a word, a braced group of words,
    an option, or an "-o name=value" setting."""
    kind = rng.random()
    if kind < 0.45:
        return random_word(rng, 40)
    if kind < 0.6:
        return "{" + " ".join(random_word(rng, 20)
                              for _ in range(rng.randint(1, 4))) + "}"
    if kind < 0.7:
        return rng.choice(["-v", "-D", "--", "-S", "-"])
    name = rng.choice(["smtpd_banner", "syslog_name", "x_y", "relay_domains"])
    if rng.random() < 0.3:
        value = "{ " + name + " = " + " ".join(
            random_word(rng, 20) for _ in range(rng.randint(1, 4))) + " }"
    else:
        value = name + "=" + rng.choice(["${myhostname}", ""]) \
            + random_word(rng, 70) + rng.choice(["", ",$myhostname"])
    return "-o " + value


def random_master_cf(rng):
    entries = []
    for n in range(25):
        service = f"s{n}" + "x" * rng.choice([0, 0, 5, 9, 20, 31, 40])
        wakeup = rng.choice(["-", "60", "100?"])
        maxproc = rng.choice(["-", "1", "100", "12345678"])
        command = rng.choice(["smtp", "pipe", "ab", "a_much_longer_command"])
        args = " ".join(random_arg(rng) for _ in range(rng.randint(0, 9)))
        entries.append(f"{service} unix - n n {wakeup} {maxproc} {command} {args}")
    return "\n".join(entries) + "\n"


MAIN_MODES = [["-n"], ["-nf"], ["-nhf"], ["-nxf"]]
MASTER_MODES = [["-M"], ["-Mf"], ["-Mfx"], ["-F"], ["-Ff"], ["-Fh"], ["-Fhf"],
                ["-P"], ["-Pf"], ["-Phf"], ["-Pfx"]]


@pytest.mark.skipif(not REAL_POSTCONF.exists(), reason="no /usr/sbin/postconf")
@pytest.mark.parametrize("seed", range(20))
def test_layout_matches_real_postconf(instance, tmp_path, seed):
    """Folded and unfolded main.cf and master.cf output, byte for byte."""
    rng = random.Random(seed)
    case = {"main": random_main_cf(rng), "master": random_master_cf(rng)}
    confdir = tmp_path / "layout"
    for args in MAIN_MODES + MASTER_MODES:
        case["args"] = args
        setup_case(case, confdir)
        # Real Postfix waits a while when main.cf has just been changed.
        for name in ("main.cf", "master.cf"):
            os.utime(confdir / name, (1, 1))
        ours = run_case(postconf_path(instance), case, confdir, env=instance.env())
        real = run_case(REAL_POSTCONF, case, confdir)
        for what in ("out", "err", "rc"):
            assert ours[what] == real[what], f"seed {seed}, {args}: {what} differs"


# Nesting limits and self-reference, also run against the real program.
LIVE_CASES = [
    "nest_cond_100", "nest_cond_101", "nest_cond_102", "nest_rel_101",
    "nest_relfalse_101_n", "nest_literal_101", "nest_chain_101", "nest_chain_102",
    "nest_unused_n", "nest_startup_myhostname", "selfref_self_n", "selfref_self_z",
    "selfref_self_xz", "selfref_mutual_xn", "selfref_selfcond_xz",
    "selfref_startup_n", "selfref_startup_mydomain_set", "selfref_restclass_master",
    "cond_raw_value", "dbms_obsolete_master",
]


@pytest.mark.skipif(not REAL_POSTCONF.exists(), reason="no /usr/sbin/postconf")
def test_limits_match_real_postconf(instance, tmp_path):
    """$name nesting and self-reference: the same output, warnings and
    status as Debian's postconf on this machine."""
    cases = [c for c in CASES if c["name"] in LIVE_CASES]
    assert len(cases) == len(LIVE_CASES)

    def run_real(case):
        confdir = tmp_path / case["name"]
        setup_case(case, confdir)
        return run_case(REAL_POSTCONF, case, confdir)

    # The real postconf takes a second or two here; run the cases at once.
    with ThreadPoolExecutor(len(cases)) as pool:
        expected = list(pool.map(run_real, cases))
    for case, want in zip(cases, expected):
        setup_case(case, instance.config_dir)
        got = run_case(postconf_path(instance), case, instance.config_dir,
                       env=instance.env())
        for what in compared(case):
            if what == "err":
                want[what] = bound_quotes(want[what])
            assert got[what] == want[what], f"{case['name']}: {what} differs"
