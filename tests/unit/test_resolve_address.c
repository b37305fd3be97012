/*
 * test_resolve_address - unit tests for trivial-rewrite's resolver
 *
 * DESCRIPTION
 *	Table-driven tests of resolve_address(3), and through it of
 *	resolve_class(3) and transport_table(3). Each case sets a few
 *	main.cf parameters on top of a fixed base (below), resolves one
 *	address and compares "flags|transport|nexthop|recipient", where
 *	flags are the names of the bits that are set, in bit order.
 *	Expected answers come from trivial-rewrite(8), transport(5),
 *	relocated(5), ADDRESS_CLASS_README and postconf(5).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "test_support.h"
#include "rewrite_client.h"
#include "trivial_rewrite.h"

typedef struct CASE {
    const char *settings;		/* "name=value;..." or "" */
    const char *request;		/* NULL: resolve */
    const char *sender;		/* NULL: "" */
    const char *address;
    const char *expect;
} CASE;

/* apply_settings - base parameters plus the case's; reopen tables */
static void apply_settings(const char *settings)
{
    static const char *const base[][2] = {
	{"myhostname", "host.example.com"},
	{"mydomain", "example.com"},
	{"myorigin", "$myhostname"},
	{"mydestination", "$myhostname, localhost.$mydomain, localhost"},
	{"inet_interfaces", "127.0.0.1"},
	{"inet_protocols", "all"},
	{"proxy_interfaces", "192.0.2.99"},
	{"virtual_alias_domains", "alias.example"},
	{"virtual_mailbox_domains", "mbox.example"},
	{"relay_domains", "relay.example"},
	{"parent_domain_matches_subdomains", ""},
	{"local_transport", "local:$myhostname"},
	{"virtual_transport", "virtual"},
	{"relay_transport", "relay"},
	{"default_transport", "smtp"},
	{"relayhost", ""},
	{"transport_maps", ""},
	{"relocated_maps", ""},
	{"sender_dependent_relayhost_maps", ""},
	{"sender_dependent_default_transport_maps", ""},
	{"empty_address_recipient", "MAILER-DAEMON"},
	{"empty_address_relayhost_maps_lookup_key", "<>"},
	{"empty_address_default_transport_maps_lookup_key", "<>"},
	{"recipient_delimiter", ""},
	{"resolve_dequoted_address", "yes"},
	{"resolve_null_domain", "no"},
	{"resolve_numeric_domain", "no"},
	{"swap_bangpath", "yes"},
	{"allow_percent_hack", "yes"},
	{"show_user_unknown_table_name", "yes"},
	{"address_verify_local_transport", "$local_transport"},
	{"address_verify_virtual_transport", "$virtual_transport"},
	{"address_verify_relay_transport", "$relay_transport"},
	{"address_verify_default_transport", "$default_transport"},
	{"address_verify_relayhost", "$relayhost"},
	{"address_verify_transport_maps", "$transport_maps"},
	{"address_verify_sender_dependent_relayhost_maps",
	"$sender_dependent_relayhost_maps"},
	{"address_verify_sender_dependent_default_transport_maps",
	"$sender_dependent_default_transport_maps"},
    };
    char   *copy = mystrdup(settings);
    char   *cp = copy;
    char   *item;
    char   *eq;
    size_t  n;

    resolve_address_free();
    for (n = 0; n < ARRAY_LEN(base); n++)
	mail_conf_update(base[n][0], base[n][1]);
    while ((item = mystrtok(&cp, ";")) != NULL) {
	if ((eq = strchr(item, '=')) == NULL)
	    fail_msg("bad setting %s", item);
	*eq = 0;
	mail_conf_update(item, eq + 1);
    }
    mail_params_reset();
    myfree(copy);
}


/* run_cases - check a table */
static void run_cases(const CASE *cases, size_t count)
{
    RESOLVE_RESULT result;
    VSTRING *flags = vstring_alloc(100);
    VSTRING *got = vstring_alloc(100);
    size_t  n;

    resolve_result_init(&result);
    for (n = 0; n < count; n++) {
	test_capture_start();
	apply_settings(cases[n].settings);
	resolve_address(cases[n].request ? cases[n].request : REWRITE_REQ_RESOLVE,
			cases[n].sender ? cases[n].sender : "",
			cases[n].address, &result);
	test_capture_stop();
	(void) resolve_flag_names(flags, result.flags);
	vstring_sprintf(got, "%s|%s|%s|%s", vstring_str(flags),
			vstring_str(result.transport),
			vstring_str(result.nexthop),
			vstring_str(result.recipient));
	if (strcmp(vstring_str(got), cases[n].expect) != 0)
	    fail_msg("case %zu [%s] %s%s%s \"%s\":\n got  %s\n want %s", n,
		     cases[n].settings,
		     cases[n].request ? cases[n].request : "resolve",
		     cases[n].sender ? " from " : "",
		     cases[n].sender ? cases[n].sender : "",
		     cases[n].address, vstring_str(got), cases[n].expect);
    }
    resolve_result_free(&result);
    resolve_address_free();
    vstring_free(flags);
    vstring_free(got);
}

#define V	REWRITE_REQ_RESOLVE_VERIFY
#define S	REWRITE_REQ_RESOLVE_SENDER

/* test_classes - the five classes and their default transports */
static void test_classes(void **state)
{
    static const CASE cases[] = {
	{"", 0, 0, "user@host.example.com",
	"final,local|local|host.example.com|user@host.example.com"},
	{"", 0, 0, "user@localhost", "final,local|local|host.example.com|user@localhost"},
	{"", 0, 0, "user@LOCALHOST.Example.COM",
	"final,local|local|host.example.com|user@LOCALHOST.Example.COM"},
	{"", 0, 0, "user@[127.0.0.1]", "final,local|local|host.example.com|user@[127.0.0.1]"},
	{"", 0, 0, "user@[192.0.2.99]", "final,local|local|host.example.com|user@[192.0.2.99]"},
	{"", 0, 0, "user@[192.0.2.1]", "default|smtp|[192.0.2.1]|user@[192.0.2.1]"},
	{"inet_interfaces=127.0.0.1, ::1", 0, 0, "user@[IPv6:::1]",
	"final,local|local|host.example.com|user@[IPv6:::1]"},
	{"", 0, 0, "user@[IPv6:::1]", "default|smtp|[IPv6:::1]|user@[IPv6:::1]"},
	{"inet_interfaces=loopback-only", 0, 0, "user@[127.0.0.1]",
	"final,local|local|host.example.com|user@[127.0.0.1]"},
	{"proxy_interfaces=", 0, 0, "user@[192.0.2.99]",
	"default|smtp|[192.0.2.99]|user@[192.0.2.99]"},
	{"", 0, 0, "user@alias.example",
	"final,alias|error|5.1.1 User unknown in virtual alias table|user@alias.example"},
	{"show_user_unknown_table_name=no", 0, 0, "user@alias.example",
	"final,alias|error|5.1.1 User unknown|user@alias.example"},
	{"", 0, 0, "user@mbox.example", "final,virtual|virtual|mbox.example|user@mbox.example"},
	{"", 0, 0, "user@relay.example", "final,relay|relay|relay.example|user@relay.example"},
	{"", 0, 0, "user@sub.relay.example",
	"default|smtp|sub.relay.example|user@sub.relay.example"},
	{"parent_domain_matches_subdomains=relay_domains", 0, 0, "user@sub.relay.example",
	"final,relay|relay|sub.relay.example|user@sub.relay.example"},
	{"relay_domains=.relay.example", 0, 0, "user@sub.relay.example",
	"final,relay|relay|sub.relay.example|user@sub.relay.example"},
	{"", 0, 0, "user@other.example", "default|smtp|other.example|user@other.example"},
	{"", 0, 0, "user", "final,local|local|host.example.com|user@host.example.com"},
	{"", 0, 0, "", "final,local|local|host.example.com|MAILER-DAEMON@host.example.com"},
	{"empty_address_recipient=postmaster", 0, 0, "",
	"final,local|local|host.example.com|postmaster@host.example.com"},
	{"mydestination=", 0, 0, "user@host.example.com",
	"default|smtp|host.example.com|user@host.example.com"},
	{"mydestination=inline:{host.example.com=x}", 0, 0, "user@host.example.com",
	"final,local|local|host.example.com|user@host.example.com"},
	{"virtual_alias_domains=inline:{alias.example=x}", 0, 0, "u@alias.example",
	"final,alias|error|5.1.1 User unknown in virtual alias table|u@alias.example"},
	{"virtual_mailbox_domains=inline:{mbox.example=x}", 0, 0, "u@mbox.example",
	"final,virtual|virtual|mbox.example|u@mbox.example"},
	/* order: local before alias before virtual before relay */
	{"virtual_alias_domains=localhost", 0, 0, "u@localhost",
	"final,local|local|host.example.com|u@localhost"},
	{"virtual_mailbox_domains=alias.example", 0, 0, "u@alias.example",
	"final,alias|error|5.1.1 User unknown in virtual alias table|u@alias.example"},
	{"relay_domains=mbox.example", 0, 0, "u@mbox.example",
	"final,virtual|virtual|mbox.example|u@mbox.example"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_class_transports - local/virtual/relay/default_transport, relayhost */
static void test_class_transports(void **state)
{
    static const CASE cases[] = {
	{"local_transport=lmtp:unix:private/dovecot", 0, 0, "u@localhost",
	"final,local|lmtp|unix:private/dovecot|u@localhost"},
	/* without nexthop: the recipient domain (Postfix 3.7, observed) */
	{"local_transport=local", 0, 0, "u@localhost",
	"final,local|local|localhost|u@localhost"},
	{"local_transport=local:", 0, 0, "u@[127.0.0.1]",
	"final,local|local|[127.0.0.1]|u@[127.0.0.1]"},
	{"virtual_transport=lmtp:[10.0.0.1]:24", 0, 0, "u@mbox.example",
	"final,virtual|lmtp|[10.0.0.1]:24|u@mbox.example"},
	{"relay_transport=smtp:[gw.example]", 0, 0, "u@relay.example",
	"final,relay|smtp|[gw.example]|u@relay.example"},
	{"default_transport=uucp:relayhostname", 0, 0, "u@other.example",
	"default|uucp|relayhostname|u@other.example"},
	{"default_transport=error:outbound mail disabled", 0, 0, "u@other.example",
	"default|error|outbound mail disabled|u@other.example"},
	{"relayhost=[gw.example]", 0, 0, "u@other.example",
	"default|smtp|[gw.example]|u@other.example"},
	{"relayhost=mail1.example:587, mail2.example:587", 0, 0, "u@other.example",
	"default|smtp|mail1.example:587, mail2.example:587|u@other.example"},
	{"relayhost=[gw.example]", 0, 0, "u@relay.example",
	"final,relay|relay|[gw.example]|u@relay.example"},
	{"relayhost=[gw.example];relay_transport=relay:[in.example]", 0, 0,
	"u@relay.example", "final,relay|relay|[in.example]|u@relay.example"},
	{"relayhost=[gw.example];default_transport=smtp:[out.example]", 0, 0,
	"u@other.example", "default|smtp|[out.example]|u@other.example"},
	{"relayhost=[gw.example]", 0, 0, "u@localhost",
	"final,local|local|host.example.com|u@localhost"},
	{"relayhost=[gw.example]", 0, 0, "u@mbox.example",
	"final,virtual|virtual|mbox.example|u@mbox.example"},
	{"relayhost=[gw.example]", 0, 0, "u@alias.example",
	"final,alias|error|5.1.1 User unknown in virtual alias table|u@alias.example"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_routing - percent hack, bang paths, source routes, dequoting */
static void test_routing(void **state)
{
    static const CASE cases[] = {
	{"", 0, 0, "user%other.example@host.example.com",
	"routed,default|smtp|other.example|user@other.example"},
	{"", 0, 0, "user%other.example@localhost",
	"routed,default|smtp|other.example|user@other.example"},
	{"", 0, 0, "user%localhost@host.example.com",
	"final,routed,local|local|host.example.com|user@localhost"},
	{"allow_percent_hack=no", 0, 0, "user%other.example@localhost",
	"final,routed,local|local|host.example.com|user%other.example@localhost"},
	{"", 0, 0, "user@other.example@localhost",
	"routed,default|smtp|other.example|user@other.example"},
	{"resolve_dequoted_address=no", 0, 0, "user@other.example@localhost",
	"final,local|local|host.example.com|user@other.example@localhost"},
	{"", 0, 0, "other.example!user@localhost",
	"routed,default|smtp|other.example|user@other.example"},
	{"swap_bangpath=no", 0, 0, "other.example!user@localhost",
	"final,routed,local|local|host.example.com|other.example!user@localhost"},
	{"", 0, 0, "user%relay.example@other.example",
	"routed,default|smtp|other.example|user%relay.example@other.example"},
	{"", 0, 0, "user%other.example@relay.example",
	"final,routed,relay|relay|relay.example|user%other.example@relay.example"},
	{"", 0, 0, "user@other.example@relay.example",
	"final,routed,relay|relay|relay.example|user@other.example@relay.example"},
	{"", 0, 0, "@a.example,@b.example:user@other.example",
	"routed,default|smtp|other.example|user@other.example"},
	{"", 0, 0, "@a.example:user@localhost",
	"final,routed,local|local|host.example.com|user@localhost"},
	{"", 0, 0, "user%other.example", "routed,default|smtp|other.example|user@other.example"},
	{"", 0, 0, "other.example!user", "routed,default|smtp|other.example|user@other.example"},
	{"", 0, 0, "a.example!b.example!user@localhost",
	"routed,default|smtp|a.example|b.example!user@a.example"},
	{"", 0, 0, "u%v%localhost@localhost",
	"routed,default|smtp|v|u@v"},
	{"", 0, 0, "user@host.example.com.",
	"final,local|local|host.example.com|user@host.example.com"},
	{"", 0, 0, "user%other.example.@localhost",
	"routed,default|smtp|other.example|user@other.example"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_syntax - bad domains, null and numeric domains */
static void test_syntax(void **state)
{
    static const CASE cases[] = {
	{"", 0, 0, "user@", "error,default|error|5.1.3 bad address syntax|user@"},
	{"resolve_null_domain=yes", 0, 0, "user@",
	"final,local|local|host.example.com|user@host.example.com"},
	{"", 0, 0, "user@192.0.2.1",
	"error,default|error|5.1.3 bad address syntax|user@192.0.2.1"},
	{"resolve_numeric_domain=yes", 0, 0, "user@192.0.2.1",
	"default|smtp|[192.0.2.1]|user@[192.0.2.1]"},
	{"resolve_numeric_domain=yes", 0, 0, "user@127.0.0.1",
	"final,local|local|host.example.com|user@[127.0.0.1]"},
	{"", 0, 0, "user@-bad.example",
	"error,default|error|5.1.3 bad address syntax|user@-bad.example"},
	{"", 0, 0, "user@a..example",
	"error,default|error|5.1.3 bad address syntax|user@a..example"},
	{"", 0, 0, "user@other.example..",
	"error,default|error|5.1.3 bad address syntax|user@other.example.."},
	{"", 0, 0, "user@.", "error,default|error|5.1.3 bad address syntax|user@."},
	{"", 0, 0, "user@[bogus]", "error,default|error|5.1.3 bad address syntax|user@[bogus]"},
	{"", 0, 0, "user@[192.0.2.1", "error,default|error|5.1.3 bad address syntax|user@[192.0.2.1"},
	{"", 0, 0, "user@[IPv6:zz::1]",
	"error,default|error|5.1.3 bad address syntax|user@[IPv6:zz::1]"},
	{"", 0, 0, "user@bad_under.example",
	"default|smtp|bad_under.example|user@bad_under.example"},
	{"", 0, 0, "user@xn--bcher-kva.example",
	"default|smtp|xn--bcher-kva.example|user@xn--bcher-kva.example"},
	{"", 0, 0, "user@exa mple", "error,default|error|5.1.3 bad address syntax|user@exa mple"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_transport_maps - transport(5) search order and result forms */
static void test_transport_maps(void **state)
{
    static const CASE cases[] = {
	{"transport_maps=inline:{other.example=smtp:[mx.other.example]}", 0, 0,
	"u@other.example", "default|smtp|[mx.other.example]|u@other.example"},
	{"transport_maps=inline:{OTHER.example=smtp:[mx]}", 0, 0,
	"u@Other.Example", "default|smtp|[mx]|u@Other.Example"},
	{"transport_maps=inline:{u@other.example=local:x, other.example=smtp:y}", 0, 0,
	"u@other.example", "default|local|x|u@other.example"},
	{"transport_maps=inline:{u@other.example=local:x, other.example=smtp:y}", 0, 0,
	"v@other.example", "default|smtp|y|v@other.example"},
	{"recipient_delimiter=+;transport_maps=inline:{u@other.example=relay:z}", 0, 0,
	"u+ext@other.example", "default|relay|z|u+ext@other.example"},
	{"recipient_delimiter=+;transport_maps=inline:{u+ext@other.example=a:1,"
	" u@other.example=b:2}", 0, 0,
	"u+ext@other.example", "default|a|1|u+ext@other.example"},
	{"transport_maps=inline:{u@other.example=relay:z}", 0, 0,
	"u+ext@other.example", "default|smtp|other.example|u+ext@other.example"},
	{"transport_maps=inline:{.other.example=smtp:sub}", 0, 0,
	"u@a.other.example", "default|smtp|sub|u@a.other.example"},
	{"transport_maps=inline:{.other.example=smtp:sub}", 0, 0,
	"u@other.example", "default|smtp|other.example|u@other.example"},
	{"transport_maps=inline:{other.example=smtp:p}", 0, 0,
	"u@a.other.example", "default|smtp|a.other.example|u@a.other.example"},
	{"parent_domain_matches_subdomains=transport_maps;"
	"transport_maps=inline:{other.example=smtp:p}", 0, 0,
	"u@a.b.other.example", "default|smtp|p|u@a.b.other.example"},
	{"transport_maps=inline:{*=smtp:[outbound]}", 0, 0,
	"u@other.example", "default|smtp|[outbound]|u@other.example"},
	{"transport_maps=inline:{*=smtp:[outbound]}", 0, 0,
	"u@localhost", "final,local|smtp|[outbound]|u@localhost"},
	{"transport_maps=inline:{*=smtp:[outbound], localhost=:}", 0, 0,
	"u@localhost", "final,local|local|host.example.com|u@localhost"},
	{"transport_maps=inline:{other.example=:}", 0, 0,
	"u@other.example", "default|smtp|other.example|u@other.example"},
	{"relayhost=[gw];transport_maps=inline:{other.example=:}", 0, 0,
	"u@other.example", "default|smtp|[gw]|u@other.example"},
	{"relayhost=[gw];transport_maps=inline:{other.example=slow:}", 0, 0,
	"u@other.example", "default|slow|other.example|u@other.example"},
	{"transport_maps=inline:{other.example=:[gw.example]}", 0, 0,
	"u@other.example", "default|smtp|[gw.example]|u@other.example"},
	{"transport_maps=inline:{localhost=:elsewhere}", 0, 0,
	"u@localhost", "final,local|local|elsewhere|u@localhost"},
	{"transport_maps=inline:{localhost=local:}", 0, 0,
	"u@localhost", "final,local|local|localhost|u@localhost"},
	/* Postfix 3.7, observed: "error:" and "retry:" keep an empty reason,
	 * "discard:" gets the recipient domain */
	{"transport_maps=inline:{other.example=error:}", 0, 0,
	"u@other.example", "default|error||u@other.example"},
	{"transport_maps=inline:{other.example=retry:}", 0, 0,
	"u@other.example", "default|retry||u@other.example"},
	{"transport_maps=inline:{other.example=discard:}", 0, 0,
	"u@other.example", "default|discard|other.example|u@other.example"},
	{"transport_maps=inline:{other.example=uucp}", 0, 0,
	"u@other.example", "default|uucp|other.example|u@other.example"},
	{"transport_maps=inline:{{.other.example=error:mail for *.other.example "
	"is not deliverable}}", 0, 0, "u@x.other.example",
	"default|error|mail for *.other.example is not deliverable|u@x.other.example"},
	{"transport_maps=inline:{other.example=smtp:bar.example:2025}", 0, 0,
	"u@other.example", "default|smtp|bar.example:2025|u@other.example"},
	{"transport_maps=inline:{{other.example=smtp:bar.example, foo.example}}", 0, 0,
	"u@other.example", "default|smtp|bar.example, foo.example|u@other.example"},
	{"transport_maps=inline:{mailer-daemon@host.example.com=discard:}", 0, 0,
	"", "final,local|discard|host.example.com|MAILER-DAEMON@host.example.com"},
	{"transport_maps=inline:{*=smtp:x}", 0, 0, "u@alias.example",
	"final,alias|error|5.1.1 User unknown in virtual alias table|u@alias.example"},
	{"transport_maps=inline:{relay.example=smtp:[inbound]}", 0, 0,
	"u@relay.example", "final,relay|smtp|[inbound]|u@relay.example"},
	{"transport_maps=inline:{mbox.example=lmtp:unix:private/x}", 0, 0,
	"u@mbox.example", "final,virtual|lmtp|unix:private/x|u@mbox.example"},
	{"transport_maps=fail:broken", 0, 0,
	"u@other.example", "fail,default|smtp|other.example|u@other.example"},
	/* each key goes to every table before the next key is tried */
	{"transport_maps=inline:{other.example=a:b}, fail:broken", 0, 0,
	"u@other.example", "fail,default|smtp|other.example|u@other.example"},
	{"transport_maps=inline:{u@other.example=a:b}, fail:broken", 0, 0,
	"u@other.example", "default|a|b|u@other.example"},
	/* regexp tables see only the complete address */
	{"transport_maps=regexp:{{/@other\\.example$$/ smtp:[re]}}", 0, 0,
	"u@other.example", "default|smtp|[re]|u@other.example"},
	{"transport_maps=regexp:{{/^other\\.example$$/ smtp:[re]}}", 0, 0,
	"u@other.example", "default|smtp|other.example|u@other.example"},
	/* ... but the "*" wildcard is a complete key (table_search(3)) */
	{"transport_maps=regexp:{{/^\\*$$/ smtp:[re]}}", 0, 0,
	"u@other.example", "default|smtp|[re]|u@other.example"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_sender_dependent - sender_dependent_* maps and their null keys */
static void test_sender_dependent(void **state)
{
    static const char sdr[] = "sender_dependent_relayhost_maps=inline:{"
    "s@s.example=[sdr1], @s.example=[sdr2], <>=[sdrnull], @d.example=DUNNO,"
    " null=[sdrkey]}";
    static const CASE cases[] = {
	{sdr, 0, "s@s.example", "u@other.example", "default|smtp|[sdr1]|u@other.example"},
	{sdr, 0, "x@S.example", "u@other.example", "default|smtp|[sdr2]|u@other.example"},
	{sdr, 0, "", "u@other.example", "default|smtp|[sdrnull]|u@other.example"},
	{sdr, 0, "x@t.example", "u@other.example",
	"default|smtp|other.example|u@other.example"},
	{"relayhost=[gw];sender_dependent_relayhost_maps=inline:{@d.example=DUNNO,"
	" d.example=[no]}", 0, "x@d.example", "u@other.example",
	"default|smtp|[gw]|u@other.example"},
	{"empty_address_relayhost_maps_lookup_key=null;sender_dependent_relayhost_maps="
	"inline:{null=[sdrkey], <>=[angle]}", 0, "", "u@other.example",
	"default|smtp|[sdrkey]|u@other.example"},
	{sdr, 0, "s@s.example", "u@relay.example", "final,relay|relay|[sdr1]|u@relay.example"},
	{sdr, 0, "s@s.example", "u@localhost", "final,local|local|host.example.com|u@localhost"},
	{"relay_transport=relay:[in];sender_dependent_relayhost_maps=inline:{"
	"@s.example=[sdr]}", 0, "x@s.example", "u@relay.example",
	"final,relay|relay|[in]|u@relay.example"},
	{"default_transport=smtp:[dt];sender_dependent_relayhost_maps=inline:{"
	"@s.example=[sdr]}", 0, "x@s.example", "u@other.example",
	"default|smtp|[dt]|u@other.example"},
	{"sender_dependent_relayhost_maps=fail:broken", 0, "x@s.example",
	"u@other.example", "fail,default|smtp|other.example|u@other.example"},
	/* sender_dependent_default_transport_maps */
	{"sender_dependent_default_transport_maps=inline:{@s.example=uucp:gate}", 0,
	"x@s.example", "u@other.example", "default|uucp|gate|u@other.example"},
	{"sender_dependent_default_transport_maps=inline:{@s.example=uucp:gate}", 0,
	"x@t.example", "u@other.example", "default|smtp|other.example|u@other.example"},
	{"sender_dependent_default_transport_maps=inline:{@s.example=uucp:gate}", 0,
	"x@s.example", "u@relay.example", "final,relay|relay|relay.example|u@relay.example"},
	{"relayhost=[gw];sender_dependent_default_transport_maps=inline:{"
	"@s.example=uucp:}", 0, "x@s.example", "u@other.example",
	"default|uucp|[gw]|u@other.example"},
	{"sender_dependent_default_transport_maps=inline:{<>=bounce:x}", 0, "",
	"u@other.example", "default|bounce|x|u@other.example"},
	{"empty_address_default_transport_maps_lookup_key=nobody;"
	"sender_dependent_default_transport_maps=inline:{nobody=n:1, <>=a:2}", 0, "",
	"u@other.example", "default|n|1|u@other.example"},
	{"sender_dependent_default_transport_maps=inline:{@s.example=DUNNO}", 0,
	"x@s.example", "u@other.example", "default|smtp|other.example|u@other.example"},
	{"sender_dependent_default_transport_maps=inline:{@s.example=uucp:gate};"
	"transport_maps=inline:{other.example=smtp:[tm]}", 0,
	"x@s.example", "u@other.example", "default|smtp|[tm]|u@other.example"},
	{"sender_dependent_default_transport_maps=fail:broken", 0, "x@s.example",
	"u@other.example", "fail,default|smtp|other.example|u@other.example"},
	/* resolve_sender answers like resolve */
	{sdr, S, "s@s.example", "u@other.example", "default|smtp|[sdr1]|u@other.example"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_relocated - relocated(5) */
static void test_relocated(void **state)
{
    static const CASE cases[] = {
	{"relocated_maps=inline:{u@host.example.com=new@else.example}", 0, 0,
	"u@host.example.com",
	"final,local|error|5.1.6 User has moved to new@else.example|u@host.example.com"},
	{"relocated_maps=inline:{u=new@else.example}", 0, 0, "u@localhost",
	"final,local|error|5.1.6 User has moved to new@else.example|u@localhost"},
	{"relocated_maps=inline:{u=new@else.example}", 0, 0, "u@other.example",
	"default|smtp|other.example|u@other.example"},
	{"myorigin=origin.example;relocated_maps=inline:{u=new@else.example}", 0, 0,
	"u@origin.example",
	"default|error|5.1.6 User has moved to new@else.example|u@origin.example"},
	{"relocated_maps=inline:{{@other.example=other.example is gone}}", 0, 0,
	"anyone@other.example",
	"default|error|5.1.6 User has moved to other.example is gone|anyone@other.example"},
	{"recipient_delimiter=+;relocated_maps=inline:{u=new@else.example}", 0, 0,
	"u+x@localhost",
	"final,local|error|5.1.6 User has moved to new@else.example|u+x@localhost"},
	{"relocated_maps=inline:{u@mbox.example=n}", 0, 0, "u@mbox.example",
	"final,virtual|error|5.1.6 User has moved to n|u@mbox.example"},
	{"relocated_maps=inline:{u@localhost=n};transport_maps=inline:{*=smtp:x}",
	0, 0, "u@localhost", "final,local|error|5.1.6 User has moved to n|u@localhost"},
	{"relocated_maps=fail:broken", 0, 0, "u@localhost",
	"final,fail,local|local|host.example.com|u@localhost"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_verify - the address_verify_* overrides */
static void test_verify(void **state)
{
    static const CASE cases[] = {
	{"address_verify_local_transport=vlocal", V, 0, "u@localhost",
	"final,local|vlocal|localhost|u@localhost"},
	{"address_verify_local_transport=vlocal", 0, 0, "u@localhost",
	"final,local|local|host.example.com|u@localhost"},
	{"address_verify_local_transport=vlocal", S, 0, "u@localhost",
	"final,local|local|host.example.com|u@localhost"},
	{"address_verify_virtual_transport=vv:n", V, 0, "u@mbox.example",
	"final,virtual|vv|n|u@mbox.example"},
	{"address_verify_relay_transport=vr", V, 0, "u@relay.example",
	"final,relay|vr|relay.example|u@relay.example"},
	{"address_verify_default_transport=vd", V, 0, "u@other.example",
	"default|vd|other.example|u@other.example"},
	{"address_verify_relayhost=[vgw];relayhost=[gw]", V, 0, "u@other.example",
	"default|smtp|[vgw]|u@other.example"},
	{"address_verify_relayhost=[vgw];relayhost=[gw]", 0, 0, "u@other.example",
	"default|smtp|[gw]|u@other.example"},
	{"relayhost=[gw]", V, 0, "u@other.example", "default|smtp|[gw]|u@other.example"},
	{"address_verify_transport_maps=inline:{other.example=smtp:[vt]}", V, 0,
	"u@other.example", "default|smtp|[vt]|u@other.example"},
	{"address_verify_transport_maps=inline:{other.example=smtp:[vt]}", 0, 0,
	"u@other.example", "default|smtp|other.example|u@other.example"},
	{"transport_maps=inline:{other.example=smtp:[t]}", V, 0,
	"u@other.example", "default|smtp|[t]|u@other.example"},
	{"address_verify_sender_dependent_relayhost_maps=inline:{<>=[vsdr]}", V, "",
	"u@other.example", "default|smtp|[vsdr]|u@other.example"},
	{"address_verify_sender_dependent_relayhost_maps=inline:{<>=[vsdr]}", 0, "",
	"u@other.example", "default|smtp|other.example|u@other.example"},
	{"address_verify_sender_dependent_default_transport_maps=inline:{<>=vsd:x}",
	V, "", "u@other.example", "default|vsd|x|u@other.example"},
	{"address_verify_sender_dependent_default_transport_maps=inline:{<>=vsd:x}",
	0, "", "u@other.example", "default|smtp|other.example|u@other.example"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_fail - table failures in the class lists */
static void test_fail(void **state)
{
    static const CASE cases[] = {
	{"mydestination=fail:broken", 0, 0, "u@other.example",
	"fail|||u@other.example"},
	{"relay_domains=fail:broken", 0, 0, "u@other.example",
	"fail|||u@other.example"},
	{"relay_domains=fail:broken", 0, 0, "u@localhost",
	"final,local|local|host.example.com|u@localhost"},
	{"virtual_alias_domains=fail:broken", 0, 0, "u@mbox.example",
	"fail|||u@mbox.example"},
	{"mydestination=fail:broken", 0, 0, "u%v@localhost",
	"fail|||u%v@localhost"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/*
 * test_observed - answers seen on a throwaway Debian Postfix 3.7 instance
 * (every transport set to "error", so the bounce reason in the log is
 * the nexthop; see docs/internals/trivial-rewrite.md).
 */
static void test_observed(void **state)
{
    static const char pf[] = "local_transport=error;virtual_transport=error;"
    "relay_transport=error;default_transport=error;recipient_delimiter=+;"
    "relocated_maps=inline:{olduser=new@else.example, "
    "{@gone.example=the new domain}};"
    "transport_maps=inline:{tm.example=:[gw.example], tm3.example=:,"
    " user@tm4.example=error:user-level, tm4.example=error:domain-level,"
    " .sub.example=error:subdomain, alias.example=:[aliasgw],"
    " mbox.example=:, d1.example=discard:, e1.example=error:}";
    static const char sdr[] = ";relayhost=[relay.gw];"
    "sender_dependent_relayhost_maps=inline:{s@s.example=[sdr1],"
    " @s2.example=[sdr2]}";
    char   *with_sdr = concatenate(pf, sdr, (char *) 0);
    const CASE cases[] = {
	{pf, 0, 0, "user@alias.example",
	"final,alias|error|5.1.1 User unknown in virtual alias table|user@alias.example"},
	{pf, 0, 0, "user@192.0.2.1", "error,default|error|5.1.3 bad address syntax|user@192.0.2.1"},
	{pf, 0, 0, "olduser@host.example.com",
	"final,local|error|5.1.6 User has moved to new@else.example|olduser@host.example.com"},
	{pf, 0, 0, "olduser+ext@localhost",
	"final,local|error|5.1.6 User has moved to new@else.example|olduser+ext@localhost"},
	{pf, 0, 0, "x@gone.example",
	"default|error|5.1.6 User has moved to the new domain|x@gone.example"},
	{pf, 0, 0, "user@[127.0.0.1]", "final,local|error|[127.0.0.1]|user@[127.0.0.1]"},
	{pf, 0, 0, "user@tm.example", "default|error|[gw.example]|user@tm.example"},
	{pf, 0, 0, "other@tm4.example", "default|error|domain-level|other@tm4.example"},
	{pf, 0, 0, "user@tm4.example", "default|error|user-level|user@tm4.example"},
	{pf, 0, 0, "user@host", "default|error|host|user@host"},
	{pf, 0, 0, "user@host.example.com",
	"final,local|error|host.example.com|user@host.example.com"},
	{pf, 0, 0, "user%other2.example@host.example.com",
	"routed,default|error|other2.example|user@other2.example"},
	{pf, 0, 0, "user@other3.example@localhost",
	"routed,default|error|other3.example|user@other3.example"},
	{pf, 0, 0, "user@relay.example", "final,relay|error|relay.example|user@relay.example"},
	{pf, 0, 0, "x!y@localhost", "routed,default|error|x|y@x"},
	{pf, 0, 0, "user@tm3.example", "default|error|tm3.example|user@tm3.example"},
	{pf, 0, 0, "user@mbox.example", "final,virtual|error|mbox.example|user@mbox.example"},
	{pf, 0, 0, "a@b.sub.example", "default|error|subdomain|a@b.sub.example"},
	{pf, 0, 0, "u@d1.example", "default|discard|d1.example|u@d1.example"},
	{pf, 0, 0, "u@e1.example", "default|error||u@e1.example"},
	{pf, 0, 0, "u@", "error,default|error|5.1.3 bad address syntax|u@"},
	{pf, 0, 0, "u@other..example",
	"error,default|error|5.1.3 bad address syntax|u@other..example"},
	{pf, 0, 0, "u@other.example.", "default|error|other.example|u@other.example"},
	{with_sdr, 0, "s@s.example", "user@other.example",
	"default|error|[sdr1]|user@other.example"},
	{with_sdr, 0, "s@s.example", "user@relay.example",
	"final,relay|error|[sdr1]|user@relay.example"},
	{with_sdr, 0, "s@s.example", "user@tm3.example", "default|error|[sdr1]|user@tm3.example"},
	{with_sdr, 0, "s@s.example", "user@host.example.com",
	"final,local|error|host.example.com|user@host.example.com"},
	{with_sdr, 0, "s@s.example", "user@mbox.example",
	"final,virtual|error|mbox.example|user@mbox.example"},
	{with_sdr, 0, "o@x.example", "user@relay.example",
	"final,relay|error|[relay.gw]|user@relay.example"},
	{with_sdr, 0, "o@s2.example", "user@other.example",
	"default|error|[sdr2]|user@other.example"},
	{with_sdr, 0, "o@x.example", "user@tm.example", "default|error|[gw.example]|user@tm.example"},
	{with_sdr, 0, "o@x.example", "u@192.0.2.7",
	"error,default|error|5.1.3 bad address syntax|u@192.0.2.7"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
    myfree(with_sdr);
}

/* test_observed_wildcard - a second observed configuration */
static void test_observed_wildcard(void **state)
{
    static const char pf[] = "local_transport=error;virtual_transport=error;"
    "relay_transport=error;default_transport=error;"
    "relocated_maps=inline:{ghost@alias.example=moved-alias};"
    "transport_maps=inline:{pm.example=error:parent-match, *=error:wildcard,"
    " keep.example=:};"
    "sender_dependent_default_transport_maps=inline:{@sd.example=discard:sdt-hop};"
    "parent_domain_matches_subdomains=transport_maps;"
    "allow_percent_hack=no;resolve_dequoted_address=no";
    static const CASE cases[] = {
	{pf, 0, "o@sd.example", "u@keep.example", "default|discard|sdt-hop|u@keep.example"},
	{pf, 0, "o@x.example", "other@alias.example",
	"final,alias|error|5.1.1 User unknown in virtual alias table|other@alias.example"},
	{pf, 0, "o@x.example", "ghost@alias.example",
	"final,alias|error|5.1.6 User has moved to moved-alias|ghost@alias.example"},
	{pf, 0, "o@x.example", "u@keep.example", "default|error|keep.example|u@keep.example"},
	{pf, 0, "o@x.example", "u@a.b.pm.example", "default|error|parent-match|u@a.b.pm.example"},
	{pf, 0, "o@x.example", "u@pm.example", "default|error|parent-match|u@pm.example"},
	{pf, 0, "o@x.example", "u%other.example@host.example.com",
	"final,routed,local|error|wildcard|u%other.example@host.example.com"},
	{pf, 0, "o@x.example", "u@host.example.com",
	"final,local|error|wildcard|u@host.example.com"},
	{pf, 0, "o@x.example", "u@other3.example@localhost",
	"final,local|error|wildcard|u@other3.example@localhost"},
	{pf, 0, "o@x.example", "u@mbox.example", "final,virtual|error|wildcard|u@mbox.example"},
	{pf, 0, "o@sd.example", "u@other.example", "default|error|wildcard|u@other.example"},
	{pf, 0, "o@sd.example", "u@relay.example", "final,relay|error|wildcard|u@relay.example"},
    };

    (void) state;
    run_cases(cases, ARRAY_LEN(cases));
}

/* test_long_address - the address length limit */
static void test_long_address(void **state)
{
    RESOLVE_RESULT result;
    VSTRING *addr = vstring_alloc(TRIVIAL_REWRITE_ADDRESS_LIMIT + 20);
    size_t  len;

    (void) state;
    resolve_result_init(&result);
    apply_settings("");
    for (len = TRIVIAL_REWRITE_ADDRESS_LIMIT - 1; len <= TRIVIAL_REWRITE_ADDRESS_LIMIT + 1; len++) {
	VSTRING_RESET(addr);
	while (VSTRING_LEN(addr) < len - strlen("@localhost"))
	    VSTRING_ADDCH(addr, 'a');
	vstring_strcat(addr, "@localhost");
	resolve_address(REWRITE_REQ_RESOLVE, "", vstring_str(addr), &result);
	if (len <= TRIVIAL_REWRITE_ADDRESS_LIMIT)
	    assert_int_equal(result.flags, RESOLVE_FLAG_FINAL | RESOLVE_CLASS_LOCAL);
	else
	    assert_int_equal(result.flags, RESOLVE_FLAG_ERROR | RESOLVE_CLASS_DEFAULT);
	assert_string_equal(vstring_str(result.recipient), vstring_str(addr));
    }
    resolve_result_free(&result);
    resolve_address_free();
    vstring_free(addr);
}

/* test_warnings - a domain in two exclusive lists */
static void test_warnings(void **state)
{
    RESOLVE_RESULT result;

    (void) state;
    resolve_result_init(&result);
    apply_settings("virtual_alias_domains=localhost");
    test_capture_start();
    resolve_address(REWRITE_REQ_RESOLVE, "", "u@localhost", &result);
    assert_non_null(strstr(test_capture_text(), "do not list domain localhost "
			   "in BOTH mydestination and virtual_alias_domains"));
    test_capture_stop();
    apply_settings("virtual_alias_domains=x.example;virtual_mailbox_domains=x.example");
    test_capture_start();
    resolve_address(REWRITE_REQ_RESOLVE, "", "u@x.example", &result);
    assert_non_null(strstr(test_capture_text(), "do not list domain x.example "
		 "in BOTH virtual_alias_domains and virtual_mailbox_domains"));
    test_capture_stop();
    resolve_result_free(&result);
    resolve_address_free();
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_classes),
	cmocka_unit_test(test_class_transports),
	cmocka_unit_test(test_routing),
	cmocka_unit_test(test_syntax),
	cmocka_unit_test(test_transport_maps),
	cmocka_unit_test(test_sender_dependent),
	cmocka_unit_test(test_relocated),
	cmocka_unit_test(test_verify),
	cmocka_unit_test(test_fail),
	cmocka_unit_test(test_observed),
	cmocka_unit_test(test_observed_wildcard),
	cmocka_unit_test(test_long_address),
	cmocka_unit_test(test_warnings),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
