"""postconf(1) test cases whose expected results come from real Postfix 3.7.

Each case is a dict:
  name    unique name; golden files are golden/<name>.{out,err,rc}
          (and .main.cf / .master.cf after edits)
  main    main.cf text
  master  master.cf text (None: no master.cf file)
  files   {relative name: text} extra files in the configuration directory
  args    command-line arguments after "-c <config_dir>"
  compare what to compare: any of "out", "err", "rc", "main.cf",
          "master.cf" (default: out, err, rc, plus the edited file for
          edit cases)

"@CONFDIR@" in main, master, files and args stands for the configuration
directory. Outputs are normalized the same way (see normalize() in
make_golden.py and test_postconf.py): the directory becomes "@CONFDIR@",
the program name prefix "<path>/postconf: " becomes "postconf: ", and
standard error lines are sorted with duplicates removed, because real
Postfix prints some warnings in hash-table order and some twice.

The inputs avoid host-dependent values (myhostname is always set) and
parameters whose defaults differ on purpose (see mail_params.def).
"""

H = "myhostname = host.example.com\n"

MASTER_BASIC = """\
# service type  private unpriv  chroot  wakeup  maxproc command + args
smtp      inet  n       -       y       -       -       smtpd
  -o smtpd_tls_security_level=may -o { smtpd_client_restrictions = permit_mynetworks, reject }
  -o smtpd_sasl_auth_enable=yes
#submission inet n       -       y       -       -       smtpd
pickup    unix  n       -       y       60      1       pickup
verylongservicename_abcdefghij unix  -       -       n       -       -       smtp -o smtp_helo_name=$myhostname
127.0.0.1:10025 inet n - n 100? 10 smtpd -o content_filter= -o {x_y = a b} -o smtpd_milters= arg1 { arg with space } -v
relay     unix  -       -       n       -       -       smtp
        -o smtp_fallback_relay= -o smtp_helo_timeout=5 -o smtp_connect_timeout=5 -o smtp_tls_security_level=encrypt -o smtp_tls_wrappermode=yes -o smtp_sasl_auth_enable=no
maildrop  unix  -       n       n       -       -       pipe
  flags=DRXhu user=vmail argv=/usr/bin/maildrop -d ${recipient}
"""

MASTER_SERVICES = """\
smtp      inet  n       -       n       -       -       smtpd
relay     unix  -       -       n       -       -       smtp
  -o syslog_name=postfix/$service_name
mydelivery unix  -       n       n       -       -       pipe flags=F user=nobody argv=/bin/cat ${recipient}
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
retry     unix  -       -       n       -       -       error
spawner   unix  -       n       n       -       -       spawn
discard   unix  -       -       n       -       -       discard
odd       unix  -       -       n       -       -       /usr/lib/postfix/smtp
loop      fifo  -       -       n       -       -       local
"""

MAIN_USER = H + """\
# user-defined parameters
mydomain = example.com
smtpd_restriction_classes = myclass, otherclass undefclass
myclass = permit
otherclass = reject
unusedthing = 1
foo = bar    baz
relay_domains = $mydomain, $usedbyref ${undefcond?x} ${usedcond:y}
usedbyref = x
usedcond = 1
chain1 = $chain2
chain2 = $chain3
chain3 = 3
orphan = $nowhere
z9 = ${cond1?{$cond2}:{$cond3}}
cond1 = 1
cond2 = 2
cond3 = 3
frommaster = used by master.cf
mastervalue = defined in master.cf
smtpd_banner = $myhostname $fromlocal
"""

MASTER_USER = """\
smtp inet n - n - - smtpd
  -o smtpd_foo=$mlocal
  -o mlocal=1
  -o mlocal2=1
  -o myclass=x
  -o smtpd_client_restrictions=$frommaster,$missing
  -o fromlocal=2
sub inet n - n - - smtpd -o smtpd_helo_restrictions=$mlocal2 -o {  x_y = a  b  }
relay unix - - n - - smtp -o smtp_helo_name=$service_name/$process_name -o service_name=zz
"""

MAIN_DBMS = H + """\
alias_maps = pgsql:@CONFDIR@/pg.cf proxy:ldap:@CONFDIR@/ld.cf
transport_maps = sqlite:@CONFDIR@/nonexistent.cf
virtual_alias_maps = mysql:mysrc, memcache:mc ldap:ld pipemap:{ldap:@CONFDIR@/ld2.cf, mysql:$mysqlfile}
mysqlfile = @CONFDIR@/my.cf
mysrc_hosts = h1
mysrc_bogus = b
mc_memcache = inet:x
ld_server_host = l
ld_bogus = 2
zzz = ldap:@CONFDIR@/never-opened.cf
"""

MASTER_DBMS = """\
smtp inet n - n - - smtpd -o smtpd_helo_restrictions=ldap:msrc -o msrc_server_host=1 -o msrc_junk=2
"""

DBMS_FILES = {
    "pg.cf": "hosts = x\nbogus = y\nquery = select\n  more\n",
    "ld.cf": "server_host = x\nbogus2 = y\n",
    "ld2.cf": "search_base = x\nnot_ldap = y\n",
    "my.cf": "# comment\nhosts = x\ntls_CAfile = y\ntls_ciphers = z\n",
}

MAIN_FOLD = H + """\
smtpd_recipient_restrictions = permit_mynetworks,    permit_sasl_authenticated,reject_unauth_destination, check_policy_service unix:private/policy, reject_rbl_client zen.spamhaus.org, reject_rhsbl_sender dbl.spamhaus.org, permit
mydestination = $myhostname, localhost.$mydomain, localhost, {a b   c}, {  x  }
smtpd_banner = $myhostname ESMTP    $mail_name    (tabs	and  spaces)
alias_maps = inline:{ {a = b c}, {d=e} }
mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128 10.0.0.0/8 192.168.0.0/16 172.16.0.0/12 100.64.0.0/10 fe80::/10
header_checks = regexp:/a/very/long/path/name/that/is/longer/than/eighty/columns/by/itself/alone/header_checks.regexp
body_checks = pcre:/etc/postfix/a pcre:/etc/postfix/b pcre:/etc/postfix/c pcre:/etc/postfix/d pcre:/etc/postfix/e
relay_domains = 123456789 123456789 123456789 123456789 123456789 123456789 1234567
transport_maps = 123456789 123456789 123456789 123456789 123456789 123456789 12345678
continued = first line
    second line
  # a comment inside
\tthird line
"""

# Folding at the boundary: "relay_domains" ends at exactly 80 columns,
# "transport_maps" one column later; a word that is longer than a line
# by itself; words that just fit on a continuation line (76 columns after
# the indent) or not; tabs, carriage returns, vertical tabs, form feeds
# and continuation lines inside values; empty values.
MAIN_FOLD_EDGE = H + (
    "relay_domains = " + "a" * 31 + " " + "b" * 32 + "\n"
    "transport_maps = " + "a" * 31 + " " + "b" * 32 + "\n"
    "smtpd_banner = " + "x" * 90 + " after the long word\n"
    "mydestination = x " + "w" * 76 + " y " + "v" * 77 + " z\n"
    "smtpd_helo_restrictions = a\tb\x0bc\x0cd  e\t\n"
    "mynetworks =   \n"
    "alias_maps = a\n  \t b\n   \n c\n"
    "smtpd_client_restrictions = permit_mynetworks,\tpermit_sasl_authenticated,"
    "\treject_unauth_destination,\tcheck_policy_service unix:private/policy\n"
    "header_checks =\n" + " pcre:/etc/postfix/" + "h" * 61 + "\n"
)


def _master_width_entries():
    """Entries whose argument ends at columns 78 to 81, bare or in braces
    (the braces do not count; the first argument is never braced), each
    followed by a short one."""
    lines = []
    for end in range(78, 82):
        lines.append(f"w{end} unix - - n - - cmd {'a' * (end - 61)} z\n")
        inner = "b" * (end - 65) + " c"
        lines.append(f"b{end} unix - - n - - cmd x {{{inner}}} z\n")
    return "".join(lines)


# Long commands, many -o options, long -o values, long service names
# ("service = " values wrap after 80 columns), and short command names
# (that -Fh shows glued to their first argument, as Postfix 3.7 does).
MASTER_LONG = """\
submission inet n - y - - smtpd -o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=yes -o smtpd_reject_unlisted_recipient=no -o smtpd_client_restrictions=$mua_client_restrictions -o smtpd_relay_restrictions=permit_sasl_authenticated,reject -o milter_macro_daemon_name=ORIGINATING
policy unix - n n - 0 spawn user=nobody argv=/usr/local/libexec/a/rather/long/path/to/the/policy/server/program --with-an-option --and-another=value {an argument with spaces} -- last
filter unix - n n - 10 pipe flags=Rq user=filter null_sender= argv=/usr/local/bin/content-filter -f ${sender} -- ${recipient}
longval unix - - n - - smtp -o { smtp_tls_policy_maps = texthash:/etc/postfix/tls_policy, inline:{ {example.com = encrypt}, {example.net = dane} } } -o smtp_bind_address=$myhostname -o x_y_z=""" + "q" * 100 + """ -v
ab unix - - n - - ab x y -o z=1
abcd unix - - n - - abcd x -o y=1
abcde unix - - n - - abcde x -o y=1
t unix - - n - - a -o x=1 y
""" + "s" * 32 + """ unix - - n - - smtp a b
""" + "s" * 33 + """ unix - - n - - smtp a b
""" + _master_width_entries()

MAIN_EXPAND = H + """\
mydomain = example.com
relay_domains = $nothere, ${nothere2?x}, $myhostname
smtpd_banner = $myhostname ${{$compatibility_level} <level {2} ? {old} : {new}}
rbl_reply_maps = $bogus
smtpd_reject_footer = \\c $myhostname
forward_path = $home/.forward
mydestination = $myhostname, localhost.$mydomain, $relay_domains
smtp_helo_name = ${smtp_bind_address:{$mydomain}}
local_recipient_maps = $alias_maps
alias_maps = hash:@CONFDIR@/aliases
"""

MASTER_EXPAND = """\
smtp inet n - n - - smtpd -o smtpd_helo_restrictions=$loc1,$nowhere -o loc1=L1 -o smtp_helo_name=$smtpd_helo_restrictions
relay unix - - n - - smtp -o syslog_name=postfix/$service_name -o smtp_bind_address=$process_name
"""

MASTER_NORMALIZE = """\
a1 unix - - n - - smtpd -o {x_y  =  a   b} {a   b} -o  { y = } -o z=  -o
  {q=1}   -o {w=a{b}c} {} -o -o
a2 unix - - n - - {smtpd x} -vob=c -o{a = b} -D -- -o c=d {e f} {g	h}
a3 unix - - n - - smtpd {-v} -o a=b x {a = b} {a=b c} {a\tb} {{a b}}
a4 unix - - n - - smtpd -o {a} -o {a b} -o {=b c} -o {} -o {a=b}c -v
a5 unix - - n - - smtpd -vo a=b -ov -o -o a=b x {x y} -o c=d
a6 unix - - n - - smtpd x {a b
"""

# A lone "-" among the options takes the next word as its value, as
# "-o" does, but that value is kept as written and is no setting.
MASTER_DASH = """\
f unix - - n - - smtpd - -oa=1 x
g unix - - n - - smtpd - {a b} -o c=$myhostname x
h unix - - n - - smtpd -v - -o c=$myhostname x
i unix - - n - - smtpd -
k unix - - n - - smtpd - { a = b } x
l unix - - n - - smtpd - - -o d=1 - {x y} -o e=2 -- -o f=3
"""

MAIN_EDIT = """\
# leading comment
myhostname = old.example.com
mydestination = a,
    b,
# interior comment
    c
   
relay_domains=x
  # indented comment
#commented = 1
smtpd_banner = hi
myhostname = dup
"""

MASTER_EDIT = """\
# head
a unix - - n - - smtp
# c1
  -o x=1
# c2

b unix - - n - - smtp
  -o y=2
# c3
c unix - - n - - smtp
"""

TEMPLATES_ALL = """\
# all four templates
failure_template = <<EOF
charset: us-ascii
FROM: Postmaster <postmaster@example>
Subject: fail $myhostname
Postmaster-Subject: pm

Text with $$ dollar and $myhostname and $mydomain $userp ${userp?yes} ${nothere:no}.
  leading ws \\ backslash
Delay $delay_warning_time_minutes min ${maximal_queue_lifetime_weeks} w $maximal_queue_lifetime_seconds s end


EOF
delay_template = single line $myhostname $delay_warning_time_hours $maximal_queue_lifetime_days
success_template = <<END
Subject: ok

Delivered.
END

   # indented comment
verify_template = <<EOF
Charset: utf-8
From: x <y@z>

V\u00e9rifi\u00e9 $mail_name $process_name $config_directory $syslog_name
EOF
failure_template = <<EOF
Subject: second failure template wins

Line $maximal_queue_lifetime_hours h.
EOF
"""

MAIN_TEMPLATES = H + "userp = UV $myhostname\nmaximal_queue_lifetime = 2d\n"


def _template_error_cases():
    """Template files with problems: compare warnings and status only."""
    bad = {
        "unknown_name": "bogus_template = <<EOF\nx\nEOF\n",
        "no_end": "failure_template = <<EOF\nx\n\n\n",
        "no_equals": "#c\nfailure_template <<EOF\nx\nEOF\n",
        "empty_marker": "failure_template = <<\nx\n",
        "unknown_header": "failure_template = <<EOF\nBogus: x\n\nbody\nEOF\n",
        "pm_subject": "success_template = <<EOF\nPostmaster-Subject: pm\n\nok\nEOF\n",
        "empty_header": "verify_template = <<EOF\nCharset: \nFrom: \n\nok\nEOF\n",
        "non_ascii_header": "failure_template = <<EOF\nFrom: \u00e9\n\nbody\nEOF\n",
        "eight_bit": "verify_template = <<EOF\nCharset: US-ASCII\n\nok \u00e9\nEOF\n",
        "no_text": "failure_template = <<EOF\nFrom: a\nEOF\n",
        "undefined": "failure_template = <<EOF\nok\nx $nothere\nEOF\n",
        "syntax": "failure_template = <<EOF\na ${x\nb\nEOF\n",
        "suffix": "failure_template = <<EOF\na $delay_warning_time_fortnights\nEOF\n",
        "zero_excessive": ("failure_template = <<EOF\nx $maximal_queue_lifetime_seconds"
                           " $maximal_queue_lifetime_minutes $maximal_queue_lifetime_hours"
                           " $maximal_queue_lifetime_days $maximal_queue_lifetime_weeks\nEOF\n"),
    }
    cases = []
    for name, text in bad.items():
        for opt in ("-t", "-b"):
            cases.append(dict(name=f"tmpl_{name}{opt}", main=MAIN_TEMPLATES,
                              master="", files={"t.cf": text},
                              args=[opt, "@CONFDIR@/t.cf"],
                              compare=["err", "rc"]))
    return cases


def _nest(open_, inner, close, levels):
    return open_ * levels + inner + close * levels


def _chain(first, levels):
    """first = $p1, p1 = $p2, ..., p<levels> = X."""
    lines = [f"{first} = $p1\n"]
    lines += [f"p{n} = $p{n + 1}\n" for n in range(1, levels)]
    return "".join(lines) + f"p{levels} = X\n"


def _nesting_cases():
    """$name nesting at, just past and far past the limit of 100 levels.

    The value goes into myorigin (a built-in parameter that postconf
    does not expand when it reads main.cf) or into an unused parameter.
    Far past the limit, Postfix echoes the whole rest of the value in
    its warning, where we cut it: only output and status are compared.
    """
    forms = {
        "cond": ("${y?{", "X", "}}"),
        "colon": ("${nosuch:{", "X", "}}"),
        "unbraced": ("${y?", "X", "}"),
        "paren": ("$(y?{", "X", "})"),
        "rel": ("${{a} == {a} ? {", "X", "}}"),
        "relfalse": ("${{a} == {b} ? {a} : {", "X", "}}"),
        "literal": ("${y?{", "a$$b${y}", "}}"),
    }
    cases = []
    for name, (open_, inner, close) in forms.items():
        for levels in (100, 101, 102):
            main = H + "y = 1\nmyorigin = " + _nest(open_, inner, close, levels) + "\n"
            cases.append(dict(name=f"nest_{name}_{levels}", main=main, master="",
                              args=["-x", "myorigin"]))
        main = H + "y = 1\nmyorigin = " + _nest(open_, inner, close, 101) + "\n"
        cases.append(dict(name=f"nest_{name}_101_n", main=main, master="",
                          args=["-n"]))
        main = H + "y = 1\nmyorigin = " + _nest(open_, inner, close, 40000) + "\n"
        cases.append(dict(name=f"nest_{name}_40000", main=main, master="",
                          args=["-x", "myorigin"], compare=["out", "rc"]))
    for levels in (100, 101, 102):
        cases.append(dict(name=f"nest_chain_{levels}", main=H + _chain("myorigin", levels),
                          master="", args=["-x", "myorigin"]))
    cases.append(dict(name="nest_chain_101_n", main=H + _chain("myorigin", 101),
                      master="", args=["-n"]))
    # An unused parameter is only scanned: a warning, status 0.
    main = H + "y = 1\nv = " + _nest("${y?{", "X", "}}", 101) + "\n"
    for args in (["-n"], ["v"], ["-x", "v"]):
        label = "_".join([""] + args).replace("-", "")
        cases.append(dict(name="nest_unused" + label, main=main, master="",
                          args=args))
    # Parameters that postconf expands when it reads main.cf.
    for param in ("mydomain", "myhostname", "inet_interfaces", "inet_protocols",
                  "mynetworks_style"):
        main = (H if param != "myhostname" else "") + "y = 1\n" + f"{param} = " \
            + _nest("${y?{", "X", "}}", 101) + "\n"
        cases.append(dict(name=f"nest_startup_{param}", main=main, master="",
                          args=["-n"]))
    return cases


def _self_reference_cases():
    """Parameters that refer to themselves, used or not."""
    mains = {
        "self": H + "z = $z\n",
        "mutual": H + "a = $b\nb = $a\n",
        "selfcond": H + "z = ${z?{x}}\n",
        "used": H + "z = $z\nmyorigin = $z\n",
        "builtin": H + "myorigin = $myorigin\n",
        "startup": "myhostname = $myhostname\n",
        "startup_override": "myhostname = $myhostname\n",
        "restclass": H + "smtpd_restriction_classes = $q\nq = $q\n",
    }
    arg_sets = {
        "n": ["-n"], "z": ["z"], "xz": ["-x", "z"], "xn": ["-x", "-n"],
        "mydomain": ["mydomain"], "a": ["a"], "xa": ["-x", "a"],
    }
    cases = []
    for name, main in mains.items():
        for args_name, args in arg_sets.items():
            if name == "startup_override":
                args = ["-o", "myhostname=h.example", *args]
            cases.append(dict(name=f"selfref_{name}_{args_name}", main=main,
                              master="", args=args))
    # The computed defaults expand only the settings they need.
    cases.append(dict(name="selfref_startup_mydomain_set",
                      main="myhostname = $myhostname\nmydomain = example.com\n",
                      master="", args=["-n"]))
    cases.append(dict(name="selfref_startup_mynetworks_set",
                      main=H + "mynetworks = 127.0.0.0/8\n"
                      "inet_interfaces = $inet_interfaces\n", master="", args=["-n"]))
    cases.append(dict(name="selfref_startup_inet_interfaces",
                      main=H + "inet_interfaces = $inet_interfaces\n", master="",
                      args=["-n"]))
    master = "smtp inet n - n - - smtpd -o smtpd_restriction_classes=$q -o q=$q\n"
    cases.append(dict(name="selfref_restclass_master", main=H, master=master,
                      args=["-n"]))
    for mode in (["-m"], ["-M"], ["-b"], ["-t"], ["-d", "mail_name"], ["-l"],
                 ["-e", "x=y"]):
        label = "_".join([""] + mode).replace("=", "").replace("-", "")
        cases.append(dict(name="selfref_mode" + label,
                          main="myhostname = $myhostname\n", master="", args=mode,
                          compare=["err", "rc"]))
    return cases


CASES = [
    # main.cf display
    dict(name="n_user", main=MAIN_USER, master=MASTER_USER, args=["-n"]),
    dict(name="named_user", main=MAIN_USER, master=MASTER_USER,
         args=["myclass", "chain2", "nosuch", "unusedthing", "relay_domains"]),
    dict(name="C_user", main=MAIN_USER, master=MASTER_USER, args=["-C", "user"]),
    dict(name="nC_builtin", main=MAIN_USER, master=MASTER_USER,
         args=["-C", "builtin", "-n"]),
    dict(name="C_bogus", main=MAIN_USER, master=MASTER_USER, args=["-C", "bogus"]),
    dict(name="n_dbms", main=MAIN_DBMS, master=MASTER_DBMS, files=DBMS_FILES,
         args=["-n"]),
    dict(name="n_fold", main=MAIN_FOLD, master="", args=["-n"]),
    dict(name="nf_fold", main=MAIN_FOLD, master="", args=["-nf"]),
    dict(name="nh_fold", main=MAIN_FOLD, master="", args=["-nh"]),
    dict(name="nhf_fold", main=MAIN_FOLD, master="", args=["-nhf"]),
    dict(name="nH_fold", main=MAIN_FOLD, master="", args=["-nH"]),
    dict(name="nx_fold", main=MAIN_FOLD, master="", args=["-nxf"]),
    dict(name="n_fold_edge", main=MAIN_FOLD_EDGE, master="", args=["-n"]),
    dict(name="nf_fold_edge", main=MAIN_FOLD_EDGE, master="", args=["-nf"]),
    dict(name="nhf_fold_edge", main=MAIN_FOLD_EDGE, master="", args=["-nhf"]),
    dict(name="x_named", main=MAIN_EXPAND, master=MASTER_EXPAND,
         args=["-x", "relay_domains", "smtpd_banner", "rbl_reply_maps",
               "smtpd_reject_footer", "forward_path", "default_rbl_reply",
               "mydestination", "smtp_helo_name", "local_recipient_maps",
               "relay_destination_concurrency_limit"]),
    dict(name="nx_expand", main=MAIN_EXPAND, master=MASTER_EXPAND, args=["-nx"]),
    dict(name="dx_named", main=MAIN_EXPAND, master=MASTER_EXPAND,
         args=["-dx", "append_dot_mydomain", "address_verify_poll_count",
               "postscreen_command_time_limit", "smtpd_tls_mandatory_protocols",
               "default_rbl_reply", "relay_destination_concurrency_limit"]),
    dict(name="d_named", main="bad line here\n", master=MASTER_SERVICES,
         args=["-d", "mynetworks_style", "smtpd_banner", "relay_domains",
               "local_destination_concurrency_limit", "mydelivery_time_limit",
               "virtual_maps", "config_directory", "process_name",
               "service_name", "nosuch"]),
    dict(name="dH_named", main=H, master="", args=["-dH", "relay_domains", "nosuch"]),
    dict(name="o_override", main=MAIN_USER, master=MASTER_USER,
         args=["-o", "stress=yes", "-o", "relay_domains=over", "-o",
               "cmdline_unused=1", "-o", "process_name=z", "-o",
               "smtpd_restriction_classes=rcx", "-o", "rcx=1", "-x",
               "postscreen_command_time_limit", "relay_domains", "rcx",
               "process_name"]),
    dict(name="o_override_n", main=MAIN_USER, master=MASTER_USER,
         args=["-n", "-o", "relay_domains=over", "-o", "smtp_helo_name=$myclass",
               "-o", "x = y z"]),
    dict(name="o_bad", main=H, master="", args=["-o", "foo", "-n"]),
    dict(name="getopt_stops", main=H, master="", args=["myhostname", "-n"]),
    dict(name="legacy_unset", main=H, master="",
         args=["virtual_maps", "fallback_relay", "authorized_verp_clients"]),
    dict(name="legacy_set", main=H + "virtual_maps = hash:/x\n", master="",
         args=["-C", "user", "-n"]),
    dict(name="readonly", main=H + "process_id = 5\nprocess_name = x\nservice_name = q\n",
         master="", args=["-n"]),
    dict(name="macro_error_builtin", main=H + "relay_domains = ${x\n", master="",
         args=["-n"]),
    dict(name="macro_error_user", main=H + "foo = ${x\n", master="", args=["-n"]),
    dict(name="macro_error_raw", main=H + "default_rbl_reply = ${x\n", master="",
         args=["-n"]),
    dict(name="macro_error_master", main=H,
         master="smtp inet n - n - - smtpd -o smtpd_banner=${x -o foo=${y\n",
         args=["-n"]),
    dict(name="macro_error_master_unknown", main=H,
         master="smtp inet n - n - - smtpd -o foo=${y\n", args=["-n"]),
    dict(name="macro_error_d", main=H + "relay_domains = ${x\n", master="",
         args=["-d", "mail_name"]),
    # A conditional tests the value as written, without expanding it.
    dict(name="cond_raw_value", main=H + "e =\nz = $e\n"
         "myorigin = ${z?{yes}:{no}}\nrelayhost = ${z:{colon}}\n", master="",
         args=["-x", "myorigin", "relayhost"]),
    # Legacy database client names come from built-in and service-defined
    # parameters only, not from user-defined or obsolete ones.
    dict(name="dbms_user_value", main=H + "smtpd_restriction_classes = z\n"
         "z = ldap:foo\nfoo_server_host = h\n", master="", args=["-n"]),
    dict(name="dbms_obsolete_main", main=H + "virtual_maps = ldap:foo\n"
         "foo_server_host = h\n", master="", args=["-n"]),
    dict(name="dbms_obsolete_master", main=H,
         master="smtp inet n - n - - smtpd -o virtual_maps=ldap:foo"
         " -o foo_server_host=h\n", args=["-n"]),
    dict(name="dbms_builtin_master", main=H,
         master="smtp inet n - n - - smtpd -o virtual_alias_maps=ldap:foo"
         " -o foo_server_host=h\n", args=["-n"]),
    dict(name="main_bad_line", main="#c\n\nbad\n  x\n#y\n  z\n\n", master="",
         args=["-n"]),
    dict(name="main_missing", main=None, master="", args=["-n"]),
    dict(name="master_missing", main=H, master=None, args=["-n"]),
    dict(name="master_bad_count", main=H, master="# c\nbad\n  x\n\n# d\nfoo\n",
         args=["-n"]),
    dict(name="master_bad_type", main=H,
         master="q    bogus\t-  - n - - smtp\n  -o a=b\n", args=["-M"]),
    dict(name="master_bad_wakeup", main=H,
         master="q unix - - n 5x - smtp\n", args=["-n"]),

    # service-defined parameters
    dict(name="service_C", main=H, master=MASTER_SERVICES, args=["-C", "service"]),
    dict(name="service_named", main=H + "relay_destination_concurrency_limit = 5\n"
         "nosvc_destination_concurrency_limit = 3\n",
         master=MASTER_SERVICES,
         args=["relay_destination_concurrency_limit", "spawner_time_limit",
               "discard_destination_concurrency_limit", "odd_time_limit",
               "mydelivery_transport_rate_delay", "loop_recipient_limit"]),
    dict(name="service_n", main=H + "relay_destination_concurrency_limit = 5\n"
         "nosvc_destination_concurrency_limit = 3\n",
         master=MASTER_SERVICES, args=["-n"]),
    dict(name="service_H", main=H, master=MASTER_SERVICES, args=["-C", "service", "-H"]),

    # master.cf display
    dict(name="M", main=H, master=MASTER_BASIC, args=["-M"]),
    dict(name="Mf", main=H, master=MASTER_BASIC, args=["-Mf"]),
    dict(name="Mx", main=H, master=MASTER_BASIC, args=["-Mx"]),
    dict(name="M_filters", main=H, master=MASTER_BASIC,
         args=["-M", "relay", "pickup", "relay", "*/inet", "nosuch", "smtp/",
               "smtp/bogus", "smtp//"]),
    dict(name="M_bad_pattern", main=H, master=MASTER_BASIC, args=["-M", "rel*"]),
    dict(name="M_bad_pattern2", main=H, master=MASTER_BASIC, args=["-M", "/inet"]),
    dict(name="M_bad_pattern3", main=H, master=MASTER_BASIC, args=["-M", "a/b/c"]),
    dict(name="M_normalize", main=H, master=MASTER_NORMALIZE, args=["-M"]),
    dict(name="Mf_normalize", main=H, master=MASTER_NORMALIZE, args=["-Mf"]),
    dict(name="P_normalize", main=H, master=MASTER_NORMALIZE, args=["-P"]),
    dict(name="M_services", main=H, master=MASTER_SERVICES, args=["-Mf"]),
    dict(name="M_user", main=MAIN_USER, master=MASTER_USER, args=["-M"]),
    dict(name="F", main=H, master=MASTER_BASIC, args=["-F"]),
    dict(name="Ff", main=H, master=MASTER_BASIC, args=["-Ff"]),
    dict(name="F_filters", main=H, master=MASTER_BASIC,
         args=["-F", "smtp/inet/command", "relay", "pickup/unix/wakeup",
               "x/y/process_limit", "*/*/private"]),
    dict(name="Fh", main=H, master=MASTER_BASIC, args=["-Fhf", "smtp/inet/command",
                                                     "relay/unix/type"]),
    dict(name="FH", main=H, master=MASTER_BASIC, args=["-FH", "relay/unix"]),
    dict(name="Fx", main=H, master=MASTER_BASIC,
         args=["-Fx", "verylongservicename_abcdefghij/unix/command"]),
    dict(name="F_bad_field", main=H, master=MASTER_BASIC,
         args=["-F", "smtp/inet/maxproc"]),
    dict(name="P", main=H, master=MASTER_BASIC, args=["-P"]),
    dict(name="P_filters", main=H, master=MASTER_BASIC,
         args=["-P", "smtp", "*/*/smtp_helo_timeout", "x/y/z", "smtp/inet/nonesuch",
               "pickup"]),
    dict(name="Pf", main=H, master=MASTER_BASIC, args=["-Pf"]),
    dict(name="Ph", main=H, master=MASTER_BASIC,
         args=["-Ph", "relay/unix/smtp_helo_timeout"]),
    dict(name="PH", main=H, master=MASTER_BASIC, args=["-PH", "relay"]),
    dict(name="Px", main=MAIN_EXPAND, master=MASTER_EXPAND, args=["-Px"]),
    dict(name="Mx_expand", main=MAIN_EXPAND, master=MASTER_EXPAND, args=["-Mx"]),
    dict(name="P_user", main=MAIN_USER, master=MASTER_USER, args=["-Px"]),
    dict(name="P_bad_pattern", main=H, master=MASTER_BASIC, args=["-P", "a/b/c/d"]),
    dict(name="M_long", main=H, master=MASTER_LONG, args=["-M"]),
    dict(name="Mf_long", main=H, master=MASTER_LONG, args=["-Mf"]),
    dict(name="Mfx_long", main=H, master=MASTER_LONG, args=["-Mfx"]),
    dict(name="F_long", main=H, master=MASTER_LONG, args=["-F"]),
    dict(name="Ff_long", main=H, master=MASTER_LONG, args=["-Ff"]),
    dict(name="Fh_long", main=H, master=MASTER_LONG, args=["-Fh"]),
    dict(name="Fhf_long", main=H, master=MASTER_LONG, args=["-Fhf"]),
    dict(name="P_long", main=H, master=MASTER_LONG, args=["-P"]),
    dict(name="Pf_long", main=H, master=MASTER_LONG, args=["-Pf"]),
    dict(name="Pfx_long", main=H, master=MASTER_LONG, args=["-Pfx"]),
    dict(name="Phf_long", main=H, master=MASTER_LONG, args=["-Phf"]),
    dict(name="M_dash", main=H, master=MASTER_DASH, args=["-M"]),
    dict(name="Mfx_dash", main=H, master=MASTER_DASH, args=["-Mfx"]),
    dict(name="P_dash", main=H, master=MASTER_DASH, args=["-P"]),
    # One edit per run: Postfix 3.7 shows garbage for a "-" value that an
    # earlier edit of the same run has moved.
    dict(name="Pe_dash_h", main=H, master=MASTER_DASH, args=["-P", "h/unix/c=2"]),
    dict(name="Pe_dash_k", main=H, master=MASTER_DASH, args=["-P", "k/unix/a=3"]),
    dict(name="Pe_dash_l", main=H, master=MASTER_DASH, args=["-P", "l/unix/d=4"]),
    dict(name="PX_dash_g", main=H, master=MASTER_DASH, args=["-PX", "g/unix/c"]),
    dict(name="PX_dash_l", main=H, master=MASTER_DASH, args=["-PX", "l/unix/e"]),
    dict(name="M_master_missing", main=H, master=None, args=["-M"]),

    # main.cf edits
    dict(name="e_replace", main=MAIN_EDIT, master="",
         args=["-e", "myhostname=new  value", "mydestination=z", "relay_domains="]),
    dict(name="e_implicit", main=MAIN_EDIT, master="",
         args=["newp = q", "smtpd_banner=$myhostname"]),
    dict(name="e_duplicate", main=MAIN_EDIT, master="",
         args=["relay_domains=1", " relay_domains=2 "]),
    dict(name="X_remove", main=MAIN_EDIT, master="",
         args=["-X", "mydestination", "nothere", "myhostname", " relay_domains "]),
    dict(name="comment_out", main=MAIN_EDIT, master="",
         args=["-#", "mydestination", "nothere", "myhostname", "commented"]),
    dict(name="e_bad_missing_eq", main=MAIN_EDIT, master="", args=["-e", "foo"]),
    dict(name="e_bad_no_name", main=MAIN_EDIT, master="", args=["-e", "=x"]),
    dict(name="e_bad_space", main=MAIN_EDIT, master="", args=["bad name=1"]),
    dict(name="e_bad_comment", main=MAIN_EDIT, master="", args=["-e", "#a=1"]),
    dict(name="e_bad_multiline", main=MAIN_EDIT, master="", args=["-e", "a=1\nb=2"]),
    dict(name="X_bad_value", main=MAIN_EDIT, master="", args=["-X", "b", "a=c"]),
    dict(name="X_bad_blank", main=MAIN_EDIT, master="", args=["-X", "b", ""]),
    dict(name="X_bad_comment", main=MAIN_EDIT, master="", args=["-X", " # x"]),
    dict(name="e_no_args", main=MAIN_EDIT, master="", args=["-e"]),
    dict(name="X_no_args", main=MAIN_EDIT, master="", args=["-X"]),
    dict(name="e_bad_main_ok", main="bad line here\n", master="", args=["a=b"]),
    dict(name="e_main_missing", main=None, master="", args=["a=b"]),

    # master.cf edits
    dict(name="Me_replace", main=H, master=MASTER_EDIT,
         args=["-M", "b/unix=b unix - - n - 5 smtp -o a=b",
               "new/inet=new inet n - n - - smtpd"]),
    dict(name="Me_wildcard", main=H, master=MASTER_EDIT,
         args=["-M", "*/unix=d unix - - n - - smtp"]),
    dict(name="Me_rename", main=H, master=MASTER_EDIT,
         args=["-M", "a/unix=b unix - - n - - smtp"]),
    dict(name="Me_type", main=H, master=MASTER_EDIT,
         args=["-M", "a/unix=a inet - - n - - smtp -o {x = y z}"]),
    dict(name="Me_bad_count", main=H, master=MASTER_EDIT, args=["-M", "q/unix=q unix - -"]),
    dict(name="Me_bad_type", main=H, master=MASTER_EDIT,
         args=["-M", "q/unix=q  bogus - - n - - smtp"]),
    dict(name="Me_bad_pattern", main=H, master=MASTER_EDIT,
         args=["-M", "q=q unix - - n - - smtp"]),
    dict(name="M_comment", main=H, master=MASTER_EDIT, args=["-M#", "a/unix", "nosuch/unix"]),
    dict(name="M_remove", main=H, master=MASTER_EDIT, args=["-MX", "a/unix", "c/unix"]),
    dict(name="M_remove_bad", main=H, master=MASTER_EDIT, args=["-MX", "c"]),
    dict(name="Fe_field", main=H, master=MASTER_EDIT,
         args=["-F", "b/unix/chroot=y", "c/unix/process_limit=5",
               "nosuch/unix/chroot=n"]),
    dict(name="Fe_first", main=H, master=MASTER_EDIT, args=["-F", "a/unix/chroot=y"]),
    dict(name="Fe_command", main=H, master=MASTER_EDIT,
         args=["-F", "a/unix/command=smtpd -o x=y {a b}", "c/unix/wakeup=30?"]),
    dict(name="Fe_bad_field", main=H, master=MASTER_EDIT, args=["-F", "a/unix/maxproc=5"]),
    dict(name="Fe_bad_value", main=H, master=MASTER_EDIT, args=["-F", "a/unix/private=x"]),
    dict(name="Fe_bad_space", main=H, master=MASTER_EDIT, args=["-F", "a/unix/chroot=y n"]),
    dict(name="Fe_bad_wildcard", main=H, master=MASTER_EDIT, args=["-F", "a/unix/*=y"]),
    dict(name="Pe_param", main=H, master=MASTER_EDIT,
         args=["-P", "a/unix/x=2", "a/*/z=3", "c/unix/w=", "nosuch/unix/q=1"]),
    dict(name="Pe_wildcard_service", main=H, master=MASTER_EDIT, args=["-P", "*/unix/x=1"]),
    dict(name="PX_param", main=H, master=MASTER_EDIT,
         args=["-PX", "a/unix/x", "b/unix/nosuch"]),
    dict(name="Pe_bad_space", main=H, master=MASTER_EDIT, args=["-P", "a/unix/x=new value"]),
    dict(name="Pe_bad_wildcard", main=H, master=MASTER_EDIT, args=["-P", "a/unix/*=1"]),
    dict(name="PX_bad_pattern", main=H, master=MASTER_EDIT, args=["-PX", "a/unix"]),
    dict(name="Me_master_bad", main=H, master="bad\n", args=["-M#", "x/unix"]),
    dict(name="Me_master_missing", main=H, master=None, args=["-MX", "x/unix"]),

    # other modes
    dict(name="l", main=H, master="", args=["-l"]),
    dict(name="T_bogus", main=H, master="", args=["-T", "bogus"]),
    dict(name="m_bad_main", main="bad line\n", master="", args=["-m"]),
    dict(name="t_all", main=MAIN_TEMPLATES, master="", files={"t.cf": TEMPLATES_ALL},
         args=["-t", "@CONFDIR@/t.cf"]),
    dict(name="b_all", main=MAIN_TEMPLATES, master="", files={"t.cf": TEMPLATES_ALL},
         args=["-b", "@CONFDIR@/t.cf"]),
    dict(name="b_from_main", main=MAIN_TEMPLATES + "syslog_name = myname\n"
         "bounce_template_file = $config_directory/t.cf\n", master="",
         files={"t.cf": TEMPLATES_ALL}, args=["-b"]),
    dict(name="b_missing_file", main=MAIN_TEMPLATES, master="",
         args=["-b", "@CONFDIR@/nonexistent"]),
    dict(name="bt_two_files", main=MAIN_TEMPLATES, master="", args=["-t", "a", "b"]),
    dict(name="bt_both", main=MAIN_TEMPLATES, master="", args=["-b", "-t"]),
] + _template_error_cases() + _nesting_cases() + _self_reference_cases()
