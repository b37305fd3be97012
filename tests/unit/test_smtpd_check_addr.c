/*
 * test_smtpd_check_addr - unit tests for smtpd_check_addr(3)
 *
 * DESCRIPTION
 *	The address, relay and recipient-validation restrictions of
 *	smtpd(8), run against:
 *	-  stand-ins for the engine's smtpd_check_reject() and
 *	   smtpd_check_defer_if() (defer_if_permit/_if_reject) that record
 *	   the reply ("DIP " and "DIR " mark the deferrals);
 *	-  a fake trivial-rewrite service (a child process on
 *	   private/rewrite) that classes addresses by domain:
 *	   test.example local, va.example virtual alias, vm.example
 *	   virtual mailbox, rel.example relay, fail.example a table
 *	   failure, everything else default; '%' in the local part makes
 *	   the address routed; an address without domain gets
 *	   "@test.example";
 *	-  a fake DNS (dns_lookup() and friends defined here) with a few
 *	   zones (see fake_zone());
 *	-  for test_verified, a fake verify(8) on private/verify that
 *	   answers by local part (ok@, bounce@, defer@, todo@).
 *	The expected replies are those of Debian's Postfix 3.7.11 for the
 *	same input (checked with a throwaway instance).
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "sane_accept.h"
#include "mail_params.h"
#include "attr_list.h"
#include "rewrite_proto.h"
#include "rewrite_client.h"
#include "dns.h"
#include "verify_clnt.h"
#include "smtpd_check_addr.h"
#include "test_params.h"
#include "test_support.h"
#include "test_service.h"
#include "test_attr_service.h"

static VSTRING *last_reply;
static char *queue_dir;
static char *service_path;
static pid_t server_pid = -1;

/* record - keep one reply as the engine would give it */
static void record(const char *mark, int code, const char *dsn,
		           const char *fmt, va_list ap)
{
    vstring_sprintf(last_reply, "%s%d %s ", mark, code, dsn);
    vstring_vsprintf_append(last_reply, fmt, ap);
}

/* smtpd_check_reject - stand-in of the engine: record the reply */
int     smtpd_check_reject(SMTPD_CHECK_CALL *call, const char *error_class,
			           int code, const char *dsn,
			           const char *fmt,...)
{
    va_list ap;

    (void) call;
    (void) error_class;
    va_start(ap, fmt);
    record("", code, dsn, fmt, ap);
    va_end(ap);
    return (SMTPD_CHECK_REJECT);
}

/* smtpd_check_defer_if - stand-in: record with a "DIP "/"DIR " mark */
int     smtpd_check_defer_if(SMTPD_CHECK_CALL *call, bool if_permit,
			             const char *error_class, int code,
			             const char *dsn, const char *fmt,...)
{
    va_list ap;

    (void) call;
    (void) error_class;
    va_start(ap, fmt);
    record(if_permit ? "DIP " : "DIR ", code, dsn, fmt, ap);
    va_end(ap);
    return (SMTPD_CHECK_DUNNO);
}

 /*
  * The fake DNS.
  */
typedef struct FAKE_RR {
    const char *name;
    int     type;
    unsigned pref;
    const char *data;			/* host name or address */
} FAKE_RR;

static const FAKE_RR fake_rrs[] = {
    {"mx.example", DNS_T_MX, 10, "mail.mx.example"},
    {"mail.mx.example", DNS_T_A, 0, "192.0.2.1"},
    {"a.example", DNS_T_A, 0, "192.0.2.2"},
    {"v6.example", DNS_T_AAAA, 0, "2001:db8::1"},
    {"null.example", DNS_T_MX, 0, ""},
    {"backup.example", DNS_T_MX, 10, "primary.example"},
    {"backup.example", DNS_T_MX, 20, "me.example"},
    {"primary.example", DNS_T_A, 0, "192.0.2.3"},
    {"me.example", DNS_T_A, 0, "127.0.0.1"},
    {"primaryme.example", DNS_T_MX, 10, "me.example"},
    {0},
};

/* fake_exists - whether the fake DNS has any record for name */
static bool fake_exists(const char *name)
{
    const FAKE_RR *f;

    for (f = fake_rrs; f->name; f++)
	if (strcasecmp(f->name, name) == 0)
	    return (true);
    return (false);
}

/* dns_lookup - the fake resolver */
int     dns_lookup(const char *name, int type, int flags, DNS_RR **rrlist,
		           VSTRING *fqdn, VSTRING *why)
{
    const FAKE_RR *f;
    DNS_RR *list = 0, *rr;

    (void) flags;
    (void) fqdn;
    (void) why;
    if (rrlist)
	*rrlist = 0;
    if (strcasecmp(name, "temp.example") == 0) {
	if (why)
	    vstring_sprintf(why, "Host or domain name not found. Name service "
			    "error for name=%s type=%s: Host not found, try "
			    "again", name, type == DNS_T_MX ? "MX" : "A");
	return (DNS_RETRY);
    }
    for (f = fake_rrs; f->name; f++) {
	if (strcasecmp(f->name, name) != 0 || f->type != type)
	    continue;
	rr = (DNS_RR *) mymalloc(sizeof(*rr));
	memset(rr, 0, sizeof(*rr));
	rr->qname = mystrdup(name);
	rr->rname = mystrdup(name);
	rr->type = type;
	rr->pref = f->pref;
	if (type == DNS_T_A || type == DNS_T_AAAA) {
	    rr->data_len = type == DNS_T_A ? 4 : 16;
	    rr->data = mymalloc(rr->data_len);
	    inet_pton(type == DNS_T_A ? AF_INET : AF_INET6, f->data, rr->data);
	} else {
	    rr->data = mystrdup(f->data);
	    rr->data_len = strlen(f->data);
	}
	list = dns_rr_append(list, rr);
    }
    if (list == 0)
	return (fake_exists(name) ? DNS_NOTFOUND : DNS_NOTEXIST);
    if (rrlist)
	*rrlist = list;
    else
	dns_rr_free(list);
    return (DNS_OK);
}

/* dns_lookup_types - the fake resolver, several types */
int     dns_lookup_types(const char *name, const int *types, int flags,
			         DNS_RR **rrlist, VSTRING *fqdn, VSTRING *why)
{
    DNS_RR *all = 0, *rr;
    int     status = DNS_NOTEXIST;
    int     s;

    for (; *types; types++) {
	rr = 0;
	s = dns_lookup(name, *types, flags, &rr, fqdn, why);
	if (s == DNS_OK)
	    all = dns_rr_append(all, rr);
	else if (s == DNS_RETRY || (s == DNS_NOTFOUND && status != DNS_RETRY))
	    status = s;
    }
    if (all) {
	if (rrlist)
	    *rrlist = all;
	else
	    dns_rr_free(all);
	return (DNS_OK);
    }
    if (rrlist)
	*rrlist = 0;
    return (status);
}

/* dns_rr_append - append to a record list */
DNS_RR *dns_rr_append(DNS_RR *list, DNS_RR *rr)
{
    DNS_RR *p;

    if (list == 0)
	return (rr);
    for (p = list; p->next; p = p->next)
	 /* void */ ;
    p->next = rr;
    return (list);
}

/* dns_rr_free - free a record list */
void    dns_rr_free(DNS_RR *list)
{
    DNS_RR *next;

    for (; list; list = next) {
	next = list->next;
	myfree(list->qname);
	myfree(list->rname);
	myfree(list->data);
	myfree(list);
    }
}

/* dns_rr_to_pa - printable address of an A/AAAA record */
const char *dns_rr_to_pa(const DNS_RR *rr, VSTRING *buf)
{
    char    text[INET6_ADDRSTRLEN];

    inet_ntop(rr->type == DNS_T_A ? AF_INET : AF_INET6, rr->data, text,
	      sizeof(text));
    vstring_strcpy(buf, text);
    return (vstring_str(buf));
}

/* dns_rr_to_sockaddr - socket address of an A/AAAA record */
int     dns_rr_to_sockaddr(const DNS_RR *rr, unsigned port,
			           struct sockaddr_storage *sa, socklen_t *len)
{
    memset(sa, 0, sizeof(*sa));
    if (rr->type == DNS_T_A) {
	struct sockaddr_in *sin = (struct sockaddr_in *) sa;

	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	memcpy(&sin->sin_addr, rr->data, 4);
	*len = sizeof(*sin);
    } else {
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) sa;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	memcpy(&sin6->sin6_addr, rr->data, 16);
	*len = sizeof(*sin6);
    }
    return (0);
}

 /*
  * The fake trivial-rewrite service.
  */

/* fake_class - the resolve flags of an address */
static int fake_class(const char *addr)
{
    const char *at = strrchr(addr, '@');
    const char *domain = at ? at + 1 : "test.example";
    int     flags;

    if (strcasecmp(domain, "test.example") == 0
	|| strcasecmp(domain, "[127.0.0.1]") == 0)
	flags = RESOLVE_CLASS_LOCAL | RESOLVE_FLAG_FINAL;
    else if (strcasecmp(domain, "va.example") == 0)
	flags = RESOLVE_CLASS_ALIAS | RESOLVE_FLAG_FINAL;
    else if (strcasecmp(domain, "vm.example") == 0)
	flags = RESOLVE_CLASS_VIRTUAL | RESOLVE_FLAG_FINAL;
    else if (strcasecmp(domain, "rel.example") == 0)
	flags = RESOLVE_CLASS_RELAY | RESOLVE_FLAG_FINAL;
    else if (strcasecmp(domain, "fail.example") == 0)
	flags = RESOLVE_FLAG_FAIL;
    else
	flags = RESOLVE_CLASS_DEFAULT;
    if (at && memchr(addr, '%', at - addr))
	flags |= RESOLVE_FLAG_ROUTED;
    return (flags);
}

/* server_child - answer resolve requests on every connection */
static NORETURN server_child(int listen_fd, void *context)
{
    ATTR_LIST *request = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    VSTRING *rcpt = vstring_alloc(10);
    VSTREAM *fp;
    int     fd;

    (void) context;
    for (;;) {
	if (read_wait(listen_fd, 60) < 0
	    || (fd = sane_accept(listen_fd, NULL, NULL)) < 0)
	    _exit(2);
	fp = vstream_fdopen(fd, O_RDWR);
	vstream_set_timeout(fp, 10);
	attr_proto_greet(fp, REWRITE_PROTO_NAME, NULL);
	while (attr_list_read(fp, request, NULL, why)) {
	    ATTR_LIST *reply = attr_list_create();
	    const char *addr = attr_list_find_str(request,
						  REWRITE_ATTR_ADDRESS);

	    if (addr == 0)
		_exit(3);
	    vstring_strcpy(rcpt, addr);
	    if (strchr(addr, '@') == 0)
		vstring_strcat(rcpt, "@test.example");
	    attr_list_add_int(reply, REWRITE_ATTR_FLAGS, fake_class(addr));
	    attr_list_add_str(reply, REWRITE_ATTR_TRANSPORT, "smtp");
	    attr_list_add_str(reply, REWRITE_ATTR_NEXTHOP, "x");
	    attr_list_add_str(reply, REWRITE_ATTR_RECIPIENT, vstring_str(rcpt));
	    attr_list_write(fp, reply);
	    vstream_fflush(fp);
	    attr_list_free(reply);
	}
	vstream_fclose(fp);
    }
}

/* setup - the fake service and the parameters of the tests */
static int setup(void **unused)
{
    (void) unused;
    last_reply = vstring_alloc(100);
    service_path = test_service_dir("private", "rewrite", &queue_dir);
    test_set_param("queue_directory", queue_dir);
    test_set_param("ipc_timeout", "5s");
    test_set_param("inet_interfaces", "127.0.0.1");
    test_set_param("proxy_interfaces", "");
    test_set_param("local_recipient_maps", "inline:{root=x, {u+x=y}}");
    test_set_param("virtual_alias_maps",
		   "inline:{va1@va.example=root, @catch.example=x}");
    test_set_param("virtual_mailbox_maps", "inline:{vm1@vm.example=x}");
    test_set_param("relay_recipient_maps", "inline:{r1@rel.example=x}");
    test_set_param("recipient_delimiter", "+");
    rewrite_client_set_endpoint(NULL);
    server_pid = test_service_start(service_path, server_child, NULL);
    return 0;
}

/* teardown - stop the fake service */
static int teardown(void **unused)
{
    (void) unused;
    test_service_kill(server_pid, service_path);
    test_remove_tree(queue_dir);
    myfree(queue_dir);
    myfree(service_path);
    vstring_free(last_reply);
    return 0;
}

/* find_fn - the function of a restriction in the module's table */
static SMTPD_CHECK_FN find_fn(const char *name)
{
    const SMTPD_RESTRICTION *r;

    for (r = smtpd_check_addr_table; r->name; r++)
	if (strcmp(r->name, name) == 0)
	    return (r->fn);
    fail_msg("restriction %s not in the table", name);
    return (0);
}

typedef struct CASE {
    const char *restriction;
    const char *helo;
    const char *sender;
    const char *rcpt;
    const char *expect;			/* reply, or NULL: DUNNO, "OK" */
} CASE;

/* run_case - one restriction on one session state */
static void run_case(const CASE *c)
{
    SMTPD_STATE state;
    SMTPD_CHECK_CALL call;
    int     result;

    memset(&state, 0, sizeof(state));
    state.helo_name = (char *) c->helo;
    state.sender = (char *) c->sender;
    state.recipient = (char *) c->rcpt;
    state.addr = (char *) "192.0.2.9";
    state.name_status = SMTPD_PEER_CODE_OK;
    state.reverse_name_status = SMTPD_PEER_CODE_OK;
    memset(&call, 0, sizeof(call));
    call.state = &state;
    call.stage = SMTPD_STAGE_RECIPIENT;
    call.restriction = c->restriction;
    call.reply_name = c->rcpt;
    call.reply_class = "Recipient address";
    vstring_strcpy(last_reply, "");
    result = find_fn(c->restriction) (&call);
    if (c->expect == 0) {
	if (result != SMTPD_CHECK_DUNNO || *vstring_str(last_reply))
	    fail_msg("%s helo=%s from=%s to=%s: want DUNNO, got %d \"%s\"",
		     c->restriction, c->helo, c->sender, c->rcpt, result,
		     vstring_str(last_reply));
    } else if (strcmp(c->expect, "OK") == 0) {
	if (result != SMTPD_CHECK_OK)
	    fail_msg("%s to=%s: want OK, got %d \"%s\"", c->restriction,
		     c->rcpt, result, vstring_str(last_reply));
    } else if (strcmp(c->expect, vstring_str(last_reply)) != 0) {
	fail_msg("%s helo=%s from=%s to=%s:\n want \"%s\"\n  got \"%s\"",
		 c->restriction, c->helo, c->sender, c->rcpt, c->expect,
		 vstring_str(last_reply));
    }
}

/* run_cases - a table of cases */
static void run_cases(const CASE *cases)
{
    for (; cases->restriction; cases++)
	run_case(cases);
}

/* test_helo_syntax - reject_invalid_helo_hostname, _non_fqdn_ */
static void test_helo_syntax(void **unused)
{
    static const CASE cases[] = {
	{"reject_invalid_helo_hostname", "[1.2.3.4]", 0, 0, 0},
	{"reject_invalid_helo_hostname", "[IPv6:::1]", 0, 0, 0},
	{"reject_invalid_helo_hostname", "[bad]", 0, 0,
	"501 5.5.2 <[bad]>: Helo command rejected: invalid ip address"},
	{"reject_invalid_helo_hostname", "[1.2.3.4", 0, 0,
	"501 5.5.2 <[1.2.3.4>: Helo command rejected: invalid ip address"},
	{"reject_invalid_helo_hostname", "1.2.3.4", 0, 0, 0},
	{"reject_invalid_helo_hostname", "a..b", 0, 0,
	"501 5.5.2 <a..b>: Helo command rejected: Invalid name"},
	{"reject_invalid_helo_hostname", "host.example.", 0, 0, 0},
	{"reject_invalid_helo_hostname", "host.example..", 0, 0,
	"501 5.5.2 <host.example..>: Helo command rejected: Invalid name"},
	{"reject_invalid_helo_hostname", "-x.example", 0, 0,
	"501 5.5.2 <-x.example>: Helo command rejected: Invalid name"},
	{"reject_invalid_helo_hostname", ".lead.example", 0, 0,
	"501 5.5.2 <.lead.example>: Helo command rejected: Invalid name"},
	{"reject_invalid_helo_hostname", "x_y.example", 0, 0, 0},
	{"reject_invalid_helo_hostname", "bad_name!", 0, 0,
	"501 5.5.2 <bad_name!>: Helo command rejected: Invalid name"},
	{"reject_invalid_helo_hostname", "nofqdn", 0, 0, 0},
	{"reject_invalid_helo_hostname", 0, 0, 0, 0},
	{"reject_non_fqdn_helo_hostname", "nofqdn", 0, 0,
	"504 5.5.2 <nofqdn>: Helo command rejected: need fully-qualified hostname"},
	{"reject_non_fqdn_helo_hostname", "1.2.3.4", 0, 0,
	"504 5.5.2 <1.2.3.4>: Helo command rejected: need fully-qualified hostname"},
	{"reject_non_fqdn_helo_hostname", "a..b", 0, 0,
	"504 5.5.2 <a..b>: Helo command rejected: need fully-qualified hostname"},
	{"reject_non_fqdn_helo_hostname", "[bad]", 0, 0,
	"501 5.5.2 <[bad]>: Helo command rejected: invalid ip address"},
	{"reject_non_fqdn_helo_hostname", "[1.2.3.4]", 0, 0, 0},
	{"reject_non_fqdn_helo_hostname", "a.1234", 0, 0, 0},
	{"reject_non_fqdn_helo_hostname", "host.example.", 0, 0, 0},
	{"reject_non_fqdn_hostname", "nofqdn", 0, 0,
	"504 5.5.2 <nofqdn>: Helo command rejected: need fully-qualified hostname"},
	{0},
    };

    (void) unused;
    run_cases(cases);
    test_set_param("non_fqdn_reject_code", "450");
    test_set_param("invalid_hostname_reject_code", "550");
    {
	static const CASE codes[] = {
	    {"reject_non_fqdn_helo_hostname", "nofqdn", 0, 0,
	    "450 4.5.2 <nofqdn>: Helo command rejected: need fully-qualified hostname"},
	    {"reject_invalid_helo_hostname", "a..b", 0, 0,
	    "550 5.5.2 <a..b>: Helo command rejected: Invalid name"},
	    {0},
	};

	run_cases(codes);
    }
    test_set_param("non_fqdn_reject_code", "504");
    test_set_param("invalid_hostname_reject_code", "501");
}

/* test_helo_stage - at HELO time the name is the one being checked */
static void test_helo_stage(void **unused)
{
    SMTPD_STATE state;
    SMTPD_CHECK_CALL call;

    (void) unused;
    memset(&state, 0, sizeof(state));
    memset(&call, 0, sizeof(call));
    call.state = &state;
    call.stage = SMTPD_STAGE_HELO;
    call.reply_name = "nofqdn";
    call.reply_class = "Helo command";
    assert_int_equal(find_fn("reject_non_fqdn_helo_hostname") (&call),
		     SMTPD_CHECK_REJECT);
    assert_string_equal(vstring_str(last_reply), "504 5.5.2 <nofqdn>: Helo "
			"command rejected: need fully-qualified hostname");
    call.stage = SMTPD_STAGE_SENDER;
    call.reply_name = "a@b.example";
    vstring_strcpy(last_reply, "");
    assert_int_equal(find_fn("reject_non_fqdn_helo_hostname") (&call),
		     SMTPD_CHECK_DUNNO);
}

/* test_addr_syntax - reject_non_fqdn_sender, _recipient */
static void test_addr_syntax(void **unused)
{
    static const CASE cases[] = {
	{"reject_non_fqdn_sender", 0, "nofq", 0,
	"504 5.5.2 <nofq>: Sender address rejected: need fully-qualified address"},
	{"reject_non_fqdn_sender", 0, "", 0, 0},
	{"reject_non_fqdn_sender", 0, 0, 0, 0},
	{"reject_non_fqdn_sender", 0, "a@b.example", 0, 0},
	{"reject_non_fqdn_recipient", 0, 0, "rootx",
	"504 5.5.2 <rootx>: Recipient address rejected: need fully-qualified address"},
	{"reject_non_fqdn_recipient", 0, 0, "a@b.",
	"504 5.5.2 <a@b.>: Recipient address rejected: need fully-qualified address"},
	{"reject_non_fqdn_recipient", 0, 0, "a@b.example.", 0},
	{"reject_non_fqdn_recipient", 0, 0, "a@[1.2.3.4]", 0},
	{"reject_non_fqdn_recipient", 0, 0, "a@host", 
	"504 5.5.2 <a@host>: Recipient address rejected: need fully-qualified address"},
	{0},
    };

    (void) unused;
    run_cases(cases);
}

/* test_relay - reject/defer_unauth_destination, permit_auth_destination */
static void test_relay(void **unused)
{
    static const CASE cases[] = {
	{"reject_unauth_destination", 0, "a@b.example", "x@other.example",
	"554 5.7.1 <x@other.example>: Relay access denied"},
	{"defer_unauth_destination", 0, "a@b.example", "x@other.example",
	"454 4.7.1 <x@other.example>: Relay access denied"},
	{"reject_unauth_destination", 0, "a@b.example", "x@rel.example", 0},
	{"reject_unauth_destination", 0, "a@b.example", "x%y@rel.example",
	"554 5.7.1 <x%y@rel.example>: Relay access denied"},
	{"reject_unauth_destination", 0, "a@b.example", "x%y@test.example", 0},
	{"reject_unauth_destination", 0, "a@b.example", "x@va.example", 0},
	{"reject_unauth_destination", 0, "a@b.example", "x@vm.example", 0},
	{"reject_unauth_destination", 0, "a@b.example", "x@fail.example",
	"451 4.3.0 <x@fail.example>: Temporary lookup failure"},
	{"permit_auth_destination", 0, "a@b.example", "x@rel.example", "OK"},
	{"permit_auth_destination", 0, "a@b.example", "x@test.example", "OK"},
	{"permit_auth_destination", 0, "a@b.example", "x@other.example", 0},
	{"permit_auth_destination", 0, "a@b.example", "x%y@rel.example", 0},
	{"permit_mx_backup", 0, "a@b.example", "x@rel.example", "OK"},
	{"permit_mx_backup", 0, "a@b.example", "x@backup.example", "OK"},
	{"permit_mx_backup", 0, "a@b.example", "x@primaryme.example", 0},
	{"permit_mx_backup", 0, "a@b.example", "x@mx.example", 0},
	{"permit_mx_backup", 0, "a@b.example", "x@nonexist.example", 0},
	{"permit_mx_backup", 0, "a@b.example", "x%y@backup.example", 0},
	{"permit_mx_backup", 0, "a@b.example", "x@temp.example",
	"DIR 450 4.4.4 <x@temp.example>: Recipient address rejected: "
	"Unable to look up mail exchanger information: Host not found, "
	"try again"},
	{0},
    };

    (void) unused;
    run_cases(cases);
    test_set_param("relay_domains_reject_code", "550");
    test_set_param("permit_mx_backup_networks", "192.0.2.0/24");
    {
	static const CASE more[] = {
	    {"reject_unauth_destination", 0, "a@b.example", "x@other.example",
	    "550 5.7.1 <x@other.example>: Relay access denied"},
	    {"defer_unauth_destination", 0, "a@b.example", "x@other.example",
	    "450 4.7.1 <x@other.example>: Relay access denied"},
	    {"permit_mx_backup", 0, "a@b.example", "x@backup.example", "OK"},
	    {0},
	};

	run_cases(more);
    }
    test_set_param("relay_domains_reject_code", "554");
}

/* test_unlisted - reject_unlisted_recipient, _sender and the tables */
static void test_unlisted(void **unused)
{
    static const CASE cases[] = {
	{"reject_unlisted_recipient", 0, "a@b.example", "root@test.example", 0},
	{"reject_unlisted_recipient", 0, "a@b.example", "Root@Test.Example", 0},
	{"reject_unlisted_recipient", 0, "a@b.example", "root+ext@test.example", 0},
	{"reject_unlisted_recipient", 0, "a@b.example", "u+x@test.example", 0},
	{"reject_unlisted_recipient", 0, "a@b.example", "nobody1@test.example",
	"550 5.1.1 <nobody1@test.example>: Recipient address rejected: "
	"User unknown in local recipient table"},
	{"reject_unlisted_recipient", 0, "a@b.example", "x@va.example",
	"550 5.1.1 <x@va.example>: Recipient address rejected: "
	"User unknown in virtual alias table"},
	{"reject_unlisted_recipient", 0, "a@b.example", "va1@va.example", 0},
	{"reject_unlisted_recipient", 0, "a@b.example", "x@vm.example",
	"550 5.1.1 <x@vm.example>: Recipient address rejected: "
	"User unknown in virtual mailbox table"},
	{"reject_unlisted_recipient", 0, "a@b.example", "vm1@vm.example", 0},
	{"reject_unlisted_recipient", 0, "a@b.example", "x@rel.example",
	"550 5.1.1 <x@rel.example>: Recipient address rejected: "
	"User unknown in relay recipient table"},
	{"reject_unlisted_recipient", 0, "a@b.example", "r1@rel.example", 0},
	{"reject_unlisted_recipient", 0, "a@b.example", "x@other.example", 0},
	{"reject_unlisted_recipient", 0, "a@b.example", "x@fail.example",
	"451 4.3.0 <x@fail.example>: Temporary lookup failure"},
	{"reject_unlisted_sender", 0, "nobody2@test.example", "x@other.example",
	"550 5.1.0 <nobody2@test.example>: Sender address rejected: "
	"User unknown in local recipient table"},
	{"reject_unlisted_sender", 0, "x@va.example", "x@other.example",
	"550 5.1.7 <x@va.example>: Sender address rejected: "
	"User unknown in virtual alias table"},
	{"reject_unlisted_sender", 0, "x@rel.example", "x@other.example",
	"550 5.1.0 <x@rel.example>: Sender address rejected: "
	"User unknown in relay recipient table"},
	{"reject_unlisted_sender", 0, "", "x@other.example", 0},
	{0},
    };

    (void) unused;
    run_cases(cases);

    test_set_param("show_user_unknown_table_name", "no");
    test_set_param("unknown_local_recipient_reject_code", "450");
    {
	static const CASE more[] = {
	    {"reject_unlisted_recipient", 0, "a@b.example",
		"nobody3@test.example",
		"450 4.1.1 <nobody3@test.example>: Recipient address rejected: "
	    "User unknown"},
	    {0},
	};

	run_cases(more);
    }
    test_set_param("show_user_unknown_table_name", "yes");
    test_set_param("unknown_local_recipient_reject_code", "550");
}

/* test_rcpt_maps - the implicit check after an explicit one */
static void test_rcpt_maps(void **unused)
{
    SMTPD_STATE state;
    SMTPD_CHECK_CALL call;
    SMTPD_CHECK_FN fn = find_fn("reject_unlisted_recipient");

    (void) unused;
    memset(&state, 0, sizeof(state));
    memset(&call, 0, sizeof(call));
    call.state = &state;
    call.reply_class = "Recipient address";
    vstring_strcpy(last_reply, "");
    state.recipient = (char *) "nobody4@test.example";
    assert_int_equal(fn(&call), SMTPD_CHECK_REJECT);
    assert_int_equal(fn(&call), SMTPD_CHECK_REJECT);
    assert_string_equal(vstring_str(last_reply),
			"550 5.1.1 <nobody4@test.example>: Recipient address "
			"rejected: User unknown in local recipient table");
    state.recipient = (char *) "root@test.example";
    assert_int_equal(fn(&call), SMTPD_CHECK_DUNNO);
    assert_int_equal(fn(&call), SMTPD_CHECK_DUNNO);
    state.sender = (char *) "nobody5@test.example";
    assert_int_equal(find_fn("reject_unlisted_sender") (&call),
		     SMTPD_CHECK_REJECT);
    assert_string_equal(vstring_str(last_reply),
			"550 5.1.0 <nobody5@test.example>: Sender address "
			"rejected: User unknown in local recipient table");
}

/* test_dns - reject_unknown_* with the fake DNS */
static void test_dns(void **unused)
{
    static const CASE cases[] = {
	{"reject_unknown_sender_domain", 0, "a@nonexist.example", 0,
	"450 4.1.8 <a@nonexist.example>: Sender address rejected: "
	"Domain not found"},
	{"reject_unknown_sender_domain", 0, "a@mx.example", 0, 0},
	{"reject_unknown_sender_domain", 0, "a@a.example", 0, 0},
	{"reject_unknown_sender_domain", 0, "a@v6.example", 0, 0},
	{"reject_unknown_sender_domain", 0, "a@test.example", 0, 0},
	{"reject_unknown_sender_domain", 0, "", 0, 0},
	{"reject_unknown_sender_domain", 0, "a@[192.0.2.1]", 0, 0},
	{"reject_unknown_sender_domain", 0, "a@null.example", 0,
	"550 5.7.27 <a@null.example>: Sender address rejected: "
	"Domain null.example does not accept mail (nullMX)"},
	{"reject_unknown_sender_domain", 0, "a@temp.example", 0,
	"DIP 450 4.1.8 <a@temp.example>: Sender address rejected: "
	"Domain not found"},
	{"reject_unknown_recipient_domain", 0, 0, "a@nonexist.example",
	"450 4.1.2 <a@nonexist.example>: Recipient address rejected: "
	"Domain not found"},
	{"reject_unknown_recipient_domain", 0, 0, "a@null.example",
	"556 5.1.10 <a@null.example>: Recipient address rejected: "
	"Domain null.example does not accept mail (nullMX)"},
	{"reject_unknown_recipient_domain", 0, 0, "a@rel.example",
	"450 4.1.2 <a@rel.example>: Recipient address rejected: "
	"Domain not found"},
	{"reject_unknown_helo_hostname", "a.example", 0, 0, 0},
	{"reject_unknown_helo_hostname", "mx.example", 0, 0, 0},
	{"reject_unknown_helo_hostname", "[192.0.2.1]", 0, 0, 0},
	{"reject_unknown_hostname", "a..b", 0, 0,
	"450 4.7.1 <a..b>: Helo command rejected: Host not found"},
	{"reject_unknown_helo_hostname", "1.2.3.4", 0, 0,
	"450 4.7.1 <1.2.3.4>: Helo command rejected: Host not found"},
	{"reject_unknown_helo_hostname", "nonexist.example", 0, 0,
	"450 4.7.1 <nonexist.example>: Helo command rejected: Host not found"},
	{"reject_unknown_helo_hostname", "temp.example", 0, 0,
	"DIP 450 4.7.1 <temp.example>: Helo command rejected: Host not found"},
	{0},
    };

    (void) unused;
    run_cases(cases);
    test_set_param("unknown_address_reject_code", "550");
    test_set_param("unknown_address_tempfail_action", "defer");
    {
	static const CASE more[] = {
	    {"reject_unknown_sender_domain", 0, "a@nonexist.example", 0,
		"550 5.1.8 <a@nonexist.example>: Sender address rejected: "
	    "Domain not found"},
	    {"reject_unknown_sender_domain", 0, "a@temp.example", 0,
		"450 4.1.8 <a@temp.example>: Sender address rejected: "
	    "Domain not found"},
	    {0},
	};

	run_cases(more);
    }
    test_set_param("unknown_address_reject_code", "450");
    test_set_param("unknown_address_tempfail_action", "defer_if_permit");
}

/* test_client - reject_unknown_(reverse_)client_hostname, pipelining */
static void test_client(void **unused)
{
    SMTPD_STATE state;
    SMTPD_CHECK_CALL call;

    (void) unused;
    memset(&state, 0, sizeof(state));
    memset(&call, 0, sizeof(call));
    state.addr = (char *) "192.0.2.9";
    call.state = &state;
    call.reply_name = "x@y.example";
    call.reply_class = "Recipient address";

    state.name_status = SMTPD_PEER_CODE_PERM;
    state.reverse_name_status = SMTPD_PEER_CODE_OK;
    assert_int_equal(find_fn("reject_unknown_client_hostname") (&call),
		     SMTPD_CHECK_REJECT);
    assert_string_equal(vstring_str(last_reply), "450 4.7.25 Client host "
		  "rejected: cannot find your hostname, [192.0.2.9]");
    vstring_strcpy(last_reply, "");
    assert_int_equal(find_fn("reject_unknown_reverse_client_hostname")
		     (&call), SMTPD_CHECK_DUNNO);
    state.reverse_name_status = SMTPD_PEER_CODE_PERM;
    test_set_param("unknown_client_reject_code", "550");
    assert_int_equal(find_fn("reject_unknown_reverse_client_hostname")
		     (&call), SMTPD_CHECK_REJECT);
    assert_string_equal(vstring_str(last_reply), "550 5.7.1 Client host "
		"rejected: cannot find your reverse hostname, [192.0.2.9]");
    state.reverse_name_status = SMTPD_PEER_CODE_TEMP;
    assert_int_equal(find_fn("reject_unknown_reverse_client_hostname")
		     (&call), SMTPD_CHECK_REJECT);
    assert_string_equal(vstring_str(last_reply), "450 4.7.1 Client host "
		"rejected: cannot find your reverse hostname, [192.0.2.9]");
    test_set_param("unknown_client_reject_code", "450");

    vstring_strcpy(last_reply, "");
    assert_int_equal(find_fn("reject_unauth_pipelining") (&call),
		     SMTPD_CHECK_DUNNO);
    state.flags |= SMTPD_FLAG_ILL_PIPELINING;
    assert_int_equal(find_fn("reject_unauth_pipelining") (&call),
		     SMTPD_CHECK_REJECT);
    assert_string_equal(vstring_str(last_reply), "503 5.5.0 <x@y.example>: "
	   "Recipient address rejected: Improper use of SMTP command "
			"pipelining");
}

/* test_unverified - reject_unverified_* without a verify service */
static void test_unverified(void **unused)
{
    static const CASE cases[] = {
	{"reject_unverified_recipient", 0, "a@b.example", "x@other.example",
	    "DIP 450 4.1.1 <x@other.example>: Recipient address rejected: "
	"unverified address: Address verification service unavailable"},
	{"reject_unverified_sender", 0, "a@b.example", "x@other.example",
	    "DIP 450 4.1.7 <a@b.example>: Sender address rejected: "
	"unverified address: Address verification service unavailable"},
	{"reject_unverified_sender", 0, "", "x@other.example", 0},
	{0},
    };

    (void) unused;
    run_cases(cases);
}

/* verify_answer - the fake verify(8): an answer per local part */
static bool verify_answer(VSTREAM *fp, const ATTR_LIST *request,
			          int requests, int connections, void *context)
{
    static const struct {
	const char *prefix;
	int     status;
	const char *text;
    }       answers[] = {
	{"ok@", VERIFY_ADDR_OK, "2.0.0 all fine"},
	{"bounce@", VERIFY_ADDR_BOUNCE, "5.2.0 no such user here"},
	{"defer@", VERIFY_ADDR_DEFER, "4.2.2 mailbox full"},
	{"todo@", VERIFY_ADDR_PENDING, "Address verification in progress"},
    };
    const char *addr = attr_list_find_str(request, VERIFY_ATTR_ADDRESS);
    ATTR_LIST *reply = attr_list_create();
    size_t  i;

    (void) requests;
    (void) connections;
    (void) context;
    attr_list_add_int(reply, ATTR_STATUS, 0);
    for (i = 0; addr && i < sizeof(answers) / sizeof(answers[0]); i++) {
	if (strncmp(addr, answers[i].prefix, strlen(answers[i].prefix)) == 0) {
	    attr_list_add_int(reply, VERIFY_ATTR_ADDR_STATUS,
			      answers[i].status);
	    attr_list_add_str(reply, VERIFY_ATTR_TEXT, answers[i].text);
	    break;
	}
    }
    attr_list_write(fp, reply);
    vstream_fflush(fp);
    attr_list_free(reply);
    return (true);
}

/* test_verified - reject_unverified_* with each answer of verify(8) */
static void test_verified(void **unused)
{
    static const CASE cases[] = {
	{"reject_unverified_recipient", 0, "a@b.example", "ok@x.example", 0},
	{"reject_unverified_recipient", 0, "a@b.example",
	    "bounce@x.example", "450 4.1.1 <bounce@x.example>: Recipient "
	"address rejected: unverified address: no such user here"},
	{"reject_unverified_recipient", 0, "a@b.example", "defer@x.example",
	    "DIP 450 4.1.1 <defer@x.example>: Recipient address rejected: "
	"unverified address: mailbox full"},
	{"reject_unverified_recipient", 0, "a@b.example", "todo@x.example",
	    "DIP 450 4.1.1 <todo@x.example>: Recipient address rejected: "
	"unverified address: Address verification in progress"},
	{"reject_unverified_sender", 0, "bounce@x.example", "a@b.example",
	    "450 4.1.7 <bounce@x.example>: Sender address rejected: "
	"unverified address: no such user here"},
	{0},
    };
    static const CASE codes[] = {
	{"reject_unverified_recipient", 0, "a@b.example",
	    "bounce@x.example", "550 5.1.1 <bounce@x.example>: Recipient "
	"address rejected: undeliverable address: Address lookup failed"},
	{"reject_unverified_recipient", 0, "a@b.example", "defer@x.example",
	    "451 4.1.1 <defer@x.example>: Recipient address rejected: "
	"unverified address: Address lookup failed"},
	{"reject_unverified_sender", 0, "bounce@x.example", "a@b.example",
	    "550 5.1.7 <bounce@x.example>: Sender address rejected: "
	"undeliverable address: no such user here"},
	{0},
    };
    static const CASE code_250[] = {
	{"reject_unverified_recipient", 0, "a@b.example", "todo@x.example",
	0},
	{"reject_unverified_recipient", 0, "a@b.example", "defer@x.example",
	    "DIP 450 4.2.2 <defer@x.example>: Recipient address rejected: "
	"mailbox full"},
	{0},
    };
    char   *path = concatenate(queue_dir, "/private/verify", (char *) 0);
    TEST_ATTR_SERVICE service = {
	.greeting = VERIFY_PROTO_NAME,
	.protocol = VERIFY_PROTO_NAME,
	.answer = verify_answer,
    };
    pid_t   pid;

    (void) unused;
    test_set_param("address_verify_service_name", "verify");
    test_set_param("address_verify_poll_count", "1");
    pid = test_attr_service_start(path, &service);
    run_cases(cases);
    test_set_param("unverified_recipient_reject_code", "550");
    test_set_param("unverified_sender_reject_code", "550");
    test_set_param("unverified_recipient_defer_code", "451");
    test_set_param("unverified_recipient_tempfail_action", "defer");
    test_set_param("unverified_recipient_reject_reason",
		   "Address lookup failed");
    run_cases(codes);
    test_set_param("unverified_recipient_defer_code", "250");
    test_set_param("unverified_recipient_tempfail_action", "defer_if_permit");
    test_set_param("unverified_recipient_reject_reason", "");
    run_cases(code_250);
    test_set_param("unverified_recipient_reject_code", "450");
    test_set_param("unverified_sender_reject_code", "450");
    test_set_param("unverified_recipient_defer_code", "450");
    test_service_kill(pid, path);
    myfree(path);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_helo_syntax),
	cmocka_unit_test(test_helo_stage),
	cmocka_unit_test(test_addr_syntax),
	cmocka_unit_test(test_relay),
	cmocka_unit_test(test_unlisted),
	cmocka_unit_test(test_rcpt_maps),
	cmocka_unit_test(test_dns),
	cmocka_unit_test(test_client),
	cmocka_unit_test(test_unverified),
	cmocka_unit_test(test_verified),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
