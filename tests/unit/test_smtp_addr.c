/*
 * test_smtp_addr - unit tests for the SMTP client's address lists
 *
 * The ordering rules on lists the test builds (smtp_randomize_addresses,
 * smtp_address_preference, smtp_mx_address_limit with and without
 * smtp_balance_inet_protocols), the SRV order, the resolution of
 * destinations that need no DNS (numeric addresses, unix sockets, a
 * family that inet_protocols disables, "localhost" through the native
 * lookup: DNS disabled, smtp_host_lookup = native), and connects:
 * refused, unix socket missing, bind failures with and without
 * smtp_bind_address_enforce, smtp_connect_timeout (a listener whose
 * queue is full), and a connect that works. Parameters come from a
 * main.cf in a temporary directory. The DNS cases are in
 * tests/system/test_smtp_mx.py (a real unbound).
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "inet_proto.h"
#include "own_inet_addr.h"
#include "dsn.h"
#include "dns.h"
#include "smtp.h"
#include "smtp_dest.h"
#include "smtp_addr.h"
#include "smtp_session.h"
#include "test_support.h"

static char *test_dir;

/* setup_conf - a config directory with main.cf holding text */
static void setup_conf(const char *text)
{
    char   *path;

    if (test_dir == NULL)
	test_dir = test_tempdir();
    path = concatenate(test_dir, "/main.cf", (char *) 0);
    test_write_file(path, text);
    mail_conf_clear();
    mail_conf_set_dir(test_dir);
    mail_conf_read();
    mail_params_reset();
    own_inet_addr_reset();
    myfree(path);
}

/* list_add - one entry: "4:pref:addr" or "6:pref:addr" */
static void list_add(SMTP_ADDR_LIST *list, int family, int pref,
		             const char *addr)
{
    smtp_addr_list_append(list, "mx.example", addr, 25, family, pref);
}

/* list_text - "addr addr ..." for comparisons */
static const char *list_text(const SMTP_ADDR_LIST *list, VSTRING *buf)
{
    int     n;

    VSTRING_RESET(buf);
    for (n = 0; n < list->count; n++)
	vstring_sprintf_append(buf, "%s%s", n ? " " : "", list->addrs[n].addr);
    VSTRING_TERMINATE(buf);
    return (vstring_str(buf));
}

/* mixed_list - two preferences, both families interleaved */
static void mixed_list(SMTP_ADDR_LIST *list)
{
    list->addrs = NULL;
    list->count = 0;
    list_add(list, AF_INET, 10, "192.0.2.1");
    list_add(list, AF_INET6, 10, "2001:db8::1");
    list_add(list, AF_INET, 10, "192.0.2.2");
    list_add(list, AF_INET6, 10, "2001:db8::2");
    list_add(list, AF_INET, 20, "192.0.2.3");
    list_add(list, AF_INET6, 20, "2001:db8::3");
}

/* test_order_preference - the preferred family first, per preference */
static void test_order_preference(void **state)
{
    SMTP_ADDR_POLICY policy = {0, SMTP_ADDR_PREF_ANY, 0, 0};
    SMTP_ADDR_LIST list;
    VSTRING *buf = vstring_alloc(100);

    (void) state;
    mixed_list(&list);
    smtp_addr_order(&list, &policy);
    assert_string_equal(list_text(&list, buf), "192.0.2.1 2001:db8::1 "
			"192.0.2.2 2001:db8::2 192.0.2.3 2001:db8::3");
    smtp_addr_list_free(&list);

    policy.preference = SMTP_ADDR_PREF_IPV6;
    mixed_list(&list);
    smtp_addr_order(&list, &policy);
    assert_string_equal(list_text(&list, buf), "2001:db8::1 2001:db8::2 "
			"192.0.2.1 192.0.2.2 2001:db8::3 192.0.2.3");
    smtp_addr_list_free(&list);

    policy.preference = SMTP_ADDR_PREF_IPV4;
    mixed_list(&list);
    smtp_addr_order(&list, &policy);
    assert_string_equal(list_text(&list, buf), "192.0.2.1 192.0.2.2 "
			"2001:db8::1 2001:db8::2 192.0.2.3 2001:db8::3");
    smtp_addr_list_free(&list);
    vstring_free(buf);
}

/* test_order_limit - smtp_mx_address_limit with and without balance */
static void test_order_limit(void **state)
{
    SMTP_ADDR_POLICY policy = {0, SMTP_ADDR_PREF_IPV6, 0, 3};
    SMTP_ADDR_LIST list;
    VSTRING *buf = vstring_alloc(100);
    VSTRING *addr = vstring_alloc(100);
    int     n;

    (void) state;
    /* Without balance: the first three. */
    mixed_list(&list);
    smtp_addr_order(&list, &policy);
    assert_string_equal(list_text(&list, buf),
			"2001:db8::1 2001:db8::2 192.0.2.1");
    smtp_addr_list_free(&list);

    /* Ten IPv6 addresses and one IPv4: without balance no IPv4 ... */
    policy.limit = 5;
    list.addrs = NULL;
    list.count = 0;
    for (n = 0; n < 10; n++) {
	vstring_sprintf(addr, "2001:db8::%d", n + 1);
	list_add(&list, AF_INET6, 10, vstring_str(addr));
    }
    list_add(&list, AF_INET, 10, "192.0.2.9");
    smtp_addr_order(&list, &policy);
    assert_int_equal(list.count, 5);
    assert_null(strstr(list_text(&list, buf), "192.0.2.9"));
    smtp_addr_list_free(&list);

    /* ... with balance the IPv4 address gets a place, in list order. */
    policy.balance = 1;
    list.addrs = NULL;
    list.count = 0;
    for (n = 0; n < 10; n++) {
	vstring_sprintf(addr, "2001:db8::%d", n + 1);
	list_add(&list, AF_INET6, 10, vstring_str(addr));
    }
    list_add(&list, AF_INET, 10, "192.0.2.9");
    smtp_addr_order(&list, &policy);
    assert_string_equal(list_text(&list, buf), "2001:db8::1 2001:db8::2 "
			"2001:db8::3 2001:db8::4 192.0.2.9");
    smtp_addr_list_free(&list);

    /* Balance with plenty of both: first family 3 of 5, the other 2. */
    policy.preference = SMTP_ADDR_PREF_IPV4;
    list.addrs = NULL;
    list.count = 0;
    for (n = 0; n < 6; n++) {
	vstring_sprintf(addr, "2001:db8::%d", n + 1);
	list_add(&list, AF_INET6, 10, vstring_str(addr));
	vstring_sprintf(addr, "192.0.2.%d", n + 1);
	list_add(&list, AF_INET, 10, vstring_str(addr));
    }
    smtp_addr_order(&list, &policy);
    assert_string_equal(list_text(&list, buf), "192.0.2.1 192.0.2.2 "
			"192.0.2.3 2001:db8::1 2001:db8::2");
    smtp_addr_list_free(&list);

    /* One family only: balance changes nothing; limit 0: no limit. */
    policy.limit = 0;
    mixed_list(&list);
    smtp_addr_order(&list, &policy);
    assert_int_equal(list.count, 6);
    smtp_addr_list_free(&list);
    vstring_free(addr);
    vstring_free(buf);
}

/* test_order_random - shuffled within a preference, never across */
static void test_order_random(void **state)
{
    SMTP_ADDR_POLICY policy = {1, SMTP_ADDR_PREF_ANY, 0, 0};
    SMTP_ADDR_LIST list;
    VSTRING *buf = vstring_alloc(100);
    VSTRING *first = vstring_alloc(100);
    int     orders = 0;
    int     run;
    int     n;

    (void) state;
    srandom(1);
    for (run = 0; run < 50; run++) {
	mixed_list(&list);
	smtp_addr_order(&list, &policy);
	assert_int_equal(list.count, 6);
	for (n = 0; n < 4; n++)
	    assert_int_equal(list.addrs[n].pref, 10);
	for (n = 4; n < 6; n++)
	    assert_int_equal(list.addrs[n].pref, 20);
	list_text(&list, buf);
	if (run == 0)
	    vstring_strcpy(first, vstring_str(buf));
	else if (strcmp(vstring_str(first), vstring_str(buf)) != 0)
	    orders++;
	smtp_addr_list_free(&list);
    }
    /* A fixed seed: the same count every run, and surely not zero. */
    assert_true(orders > 10);
    vstring_free(first);
    vstring_free(buf);
}

/* srv_rr - one SRV record */
static DNS_RR *srv_rr(const char *target, unsigned prio, unsigned weight,
		              unsigned port)
{
    DNS_RR *rr = dns_rr_create("_smtp._tcp.example", "_smtp._tcp.example",
			       DNS_T_SRV, 60, target, strlen(target) + 1);

    rr->pref = prio;
    rr->weight = weight;
    rr->port = port;
    return (rr);
}

/* test_srv_sort - priority first, then weight */
static void test_srv_sort(void **state)
{
    DNS_RR *list;
    DNS_RR *rr;
    VSTRING *buf = vstring_alloc(100);
    int     heavy_first = 0;
    int     run;

    (void) state;
    list = NULL;
    list = dns_rr_append(list, srv_rr("c.example", 20, 5, 2001));
    list = dns_rr_append(list, srv_rr("a.example", 10, 1, 2002));
    list = dns_rr_append(list, srv_rr("b.example", 10, 9, 2003));
    list = smtp_addr_srv_sort(list, 0);
    for (rr = list; rr; rr = rr->next)
	vstring_sprintf_append(buf, "%s:%u ", rr->data, rr->port);
    assert_string_equal(vstring_str(buf),
			"b.example:2003 a.example:2002 c.example:2001 ");
    dns_rr_free(list);

    /* Weighted random: the heavy record first most of the time. */
    srandom(7);
    for (run = 0; run < 200; run++) {
	list = NULL;
	list = dns_rr_append(list, srv_rr("light.example", 10, 1, 1));
	list = dns_rr_append(list, srv_rr("heavy.example", 10, 99, 2));
	list = dns_rr_append(list, srv_rr("later.example", 20, 50, 3));
	list = smtp_addr_srv_sort(list, 1);
	assert_string_equal(list->next->next->data, "later.example");
	if (strcmp(list->data, "heavy.example") == 0)
	    heavy_first++;
	dns_rr_free(list);
    }
    assert_true(heavy_first > 150 && heavy_first < 200);
    vstring_free(buf);
}

/* resolve_text - resolve one destination; "addr:port ..." or the reason */
static int resolve_text(const char *text, int lmtp, VSTRING *out,
			        DSN_BUF *why)
{
    VSTRING *reason = vstring_alloc(100);
    SMTP_ADDR_LIST list;
    SMTP_DEST dest;
    int     ret;
    int     n;

    if (smtp_dest_parse(text, lmtp, lmtp ? "24" : "smtp", &dest, reason) < 0)
	fail_msg("%s: %s", text, vstring_str(reason));
    ret = smtp_addr_resolve(NULL, &dest, &list, why);
    VSTRING_RESET(out);
    VSTRING_TERMINATE(out);
    if (ret == SMTP_ADDR_OK) {
	for (n = 0; n < list.count; n++)
	    vstring_sprintf_append(out, "%s%s[%s]:%u", n ? " " : "",
				   list.addrs[n].name, list.addrs[n].addr,
				   list.addrs[n].port);
	smtp_addr_list_free(&list);
    } else {
	vstring_sprintf(out, "%s %s", vstring_str(why->status),
			vstring_str(why->reason));
	assert_int_equal(list.count, 0);
    }
    smtp_dest_free(&dest);
    vstring_free(reason);
    return (ret);
}

/* test_resolve_no_dns - destinations that need no lookup */
static void test_resolve_no_dns(void **state)
{
    VSTRING *out = vstring_alloc(100);
    DSN_BUF *why = dsb_create();

    (void) state;
    setup_conf("myhostname = client.example\ninet_protocols = ipv4\n");
    assert_int_equal(resolve_text("[127.0.0.1]:2525", 0, out, why),
		     SMTP_ADDR_OK);
    assert_string_equal(vstring_str(out), "127.0.0.1[127.0.0.1]:2525");
    assert_int_equal(resolve_text("unix:/run/lmtp", 1, out, why),
		     SMTP_ADDR_OK);
    assert_string_equal(vstring_str(out), "client.example[/run/lmtp]:0");
    /* An IPv6 destination while inet_protocols = ipv4: as Debian's. */
    assert_int_equal(resolve_text("[ipv6:::1]:2525", 0, out, why),
		     SMTP_ADDR_FAIL);
    assert_string_equal(vstring_str(out), "5.4.4 Name service error for "
			"::1: invalid host or domain name");
    dsb_free(why);
    vstring_free(out);
}

/* test_resolve_native - DNS off or smtp_host_lookup = native */
static void test_resolve_native(void **state)
{
    VSTRING *out = vstring_alloc(100);
    DSN_BUF *why = dsb_create();

    (void) state;
    /* "localhost" is 127.0.0.1 in every hosts file (inet_protocols 4). */
    setup_conf("inet_protocols = ipv4\nsmtp_dns_support_level = disabled\n");
    assert_int_equal(resolve_text("localhost:2525", 0, out, why),
		     SMTP_ADDR_OK);
    assert_string_equal(vstring_str(out), "localhost[127.0.0.1]:2525");
    setup_conf("inet_protocols = ipv4\nsmtp_host_lookup = native\n");
    assert_int_equal(resolve_text("[localhost]:2526", 0, out, why),
		     SMTP_ADDR_OK);
    assert_string_equal(vstring_str(out), "localhost[127.0.0.1]:2526");
    /* The old switch, when smtp_dns_support_level is empty. */
    setup_conf("inet_protocols = ipv4\ndisable_dns_lookups = yes\n");
    assert_int_equal(resolve_text("localhost:2527", 0, out, why),
		     SMTP_ADDR_OK);
    assert_string_equal(vstring_str(out), "localhost[127.0.0.1]:2527");
    dsb_free(why);
    vstring_free(out);
}

/* loopback_socket - a TCP socket on 127.0.0.1 (backlog < 0: no listen) */
static int loopback_socket(int backlog, struct sockaddr_in *sin)
{
    socklen_t len = sizeof(*sin);
    int     sock = socket(AF_INET, SOCK_STREAM, 0);

    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (sock < 0 || bind(sock, (struct sockaddr *) sin, sizeof(*sin)) < 0
	|| (backlog >= 0 && listen(sock, backlog) < 0)
	|| getsockname(sock, (struct sockaddr *) sin, &len) < 0)
	fail_msg("socket: %s", strerror(errno));
    return (sock);
}

/* closed_port - a loopback port that nobody listens on */
static unsigned closed_port(void)
{
    struct sockaddr_in sin;

    (void) close(loopback_socket(-1, &sin));
    return (ntohs(sin.sin_port));
}

/* connect_text - connect to one address; "" or the status and reason */
static SMTP_SESSION *connect_one(int family, const char *addr, unsigned port,
				         DSN_BUF *why, VSTRING *out)
{
    SMTP_ADDR ent;
    SMTP_SESSION *session;

    ent.name = (char *) (family == AF_UNIX ? "client.example" : addr);
    ent.addr = (char *) addr;
    ent.port = port;
    ent.family = family;
    ent.pref = 0;
    session = smtp_connect_addr(NULL, &ent, why);
    if (session == NULL)
	vstring_sprintf(out, "%s %s", vstring_str(why->status),
			vstring_str(why->reason));
    else
	vstring_strcpy(out, "");
    return (session);
}

/* test_connect_fail - refused, missing socket, bind trouble */
static void test_connect_fail(void **state)
{
    VSTRING *out = vstring_alloc(100);
    VSTRING *want = vstring_alloc(100);
    DSN_BUF *why = dsb_create();
    unsigned port = closed_port();
    char   *path;

    (void) state;
    setup_conf("smtp_connect_timeout = 5s\n");
    test_capture_start();
    assert_null(connect_one(AF_INET, "127.0.0.1", port, why, out));
    vstring_sprintf(want, "4.4.1 connect to 127.0.0.1[127.0.0.1]:%u: "
		    "Connection refused", port);
    assert_string_equal(vstring_str(out), vstring_str(want));
    /* Logged as well, as Postfix logs every failed address. */
    assert_non_null(strstr(test_capture_text(), vstring_str(want) + 6));

    path = concatenate(test_dir, "/no-such-socket", (char *) 0);
    assert_null(connect_one(AF_UNIX, path, 0, why, out));
    vstring_sprintf(want, "4.4.1 connect to client.example[%s]: "
		    "No such file or directory", path);
    assert_string_equal(vstring_str(out), vstring_str(want));
    myfree(path);

    /* A source address that is not ours: warning, then unbound. */
    setup_conf("smtp_bind_address = 192.0.2.55\n");
    assert_null(connect_one(AF_INET, "127.0.0.1", port, why, out));
    assert_string_equal(vstring_str(why->status), "4.4.1");
    assert_non_null(strstr(test_capture_text(), "warning: "
			   "smtp_connect_addr: bind 192.0.2.55: "
			   "Cannot assign requested address"));
    /* With enforcement: Postfix's "server configuration error". */
    setup_conf("smtp_bind_address = 192.0.2.55\n"
	       "smtp_bind_address_enforce = yes\n");
    assert_null(connect_one(AF_INET, "127.0.0.1", port, why, out));
    assert_string_equal(vstring_str(out), "4.4.0 server configuration error");
    /* A value that is no address: the same failure, not a crash. */
    setup_conf("smtp_bind_address = notanaddress\n");
    assert_null(connect_one(AF_INET, "127.0.0.1", port, why, out));
    assert_string_equal(vstring_str(out), "4.4.0 server configuration error");
    assert_non_null(strstr(test_capture_text(), "smtp_connect_addr: bad "
			   "smtp_bind_address parameter: notanaddress"));
    test_capture_stop();
    dsb_free(why);
    vstring_free(want);
    vstring_free(out);
}

/* test_connect_bind6 - smtp_bind_address6 for IPv6 connections */
static void test_connect_bind6(void **state)
{
    VSTRING *out = vstring_alloc(100);
    DSN_BUF *why = dsb_create();
    int     probe = socket(AF_INET6, SOCK_STREAM, 0);

    (void) state;
    if (probe < 0) {
	skip();
    }
    (void) close(probe);
    /*
     * An IPv4 address in the IPv6 setting is refused, not used: the
     * IPv6 setting is the one that applies (whether a foreign IPv6
     * address can be bound depends on the host's ip_nonlocal_bind).
     */
    (void) inet_proto_init("inet_protocols", "all");
    test_capture_start();
    setup_conf("smtp_bind_address6 = 127.0.0.1\n"
	       "smtp_bind_address = 127.0.0.1\n");
    assert_null(connect_one(AF_INET6, "::1", closed_port(), why, out));
    assert_string_equal(vstring_str(out), "4.4.0 server configuration error");
    assert_non_null(strstr(test_capture_text(), "bad smtp_bind_address6 "
			   "parameter: 127.0.0.1"));
    test_capture_stop();
    dsb_free(why);
    vstring_free(out);
}

/* test_connect_ok - a listening socket gives a session, bound as told */
static void test_connect_ok(void **state)
{
    struct sockaddr_in sin;
    struct sockaddr_in peer;
    socklen_t len = sizeof(sin);
    VSTRING *out = vstring_alloc(100);
    DSN_BUF *why = dsb_create();
    SMTP_SESSION *session;
    int     lsock = loopback_socket(5, &sin);
    int     csock;

    (void) state;
    setup_conf("smtp_bind_address = [127.0.0.1]\n");
    session = connect_one(AF_INET, "127.0.0.1", ntohs(sin.sin_port), why, out);
    assert_non_null(session);
    assert_string_equal(session->addr, "127.0.0.1");
    assert_int_equal(session->port, ntohs(sin.sin_port));
    len = sizeof(peer);
    csock = accept(lsock, (struct sockaddr *) &peer, &len);
    assert_true(csock >= 0);
    assert_int_equal(ntohl(peer.sin_addr.s_addr), INADDR_LOOPBACK);
    (void) close(csock);
    smtp_session_free(session);
    (void) close(lsock);
    dsb_free(why);
    vstring_free(out);
}

/* test_connect_timeout - a listener whose queue is full: timed out */
static void test_connect_timeout(void **state)
{
    struct sockaddr_in sin;
    VSTRING *out = vstring_alloc(100);
    VSTRING *want = vstring_alloc(100);
    DSN_BUF *why = dsb_create();
    int     lsock = loopback_socket(0, &sin);
    int     fill[4];
    int     n;

    (void) state;
    setup_conf("smtp_connect_timeout = 1s\n");
    /* Nobody accepts: after these the kernel drops further SYNs. */
    for (n = 0; n < 4; n++) {
	fill[n] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	(void) connect(fill[n], (struct sockaddr *) &sin, sizeof(sin));
    }
    test_capture_start();
    assert_null(connect_one(AF_INET, "127.0.0.1", ntohs(sin.sin_port), why,
			    out));
    test_capture_stop();
    vstring_sprintf(want, "4.4.1 connect to 127.0.0.1[127.0.0.1]:%u: "
		    "Connection timed out", ntohs(sin.sin_port));
    assert_string_equal(vstring_str(out), vstring_str(want));
    for (n = 0; n < 4; n++)
	(void) close(fill[n]);
    (void) close(lsock);
    dsb_free(why);
    vstring_free(want);
    vstring_free(out);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_order_preference),
	cmocka_unit_test(test_order_limit),
	cmocka_unit_test(test_order_random),
	cmocka_unit_test(test_srv_sort),
	cmocka_unit_test(test_resolve_no_dns),
	cmocka_unit_test(test_resolve_native),
	cmocka_unit_test(test_connect_fail),
	cmocka_unit_test(test_connect_bind6),
	cmocka_unit_test(test_connect_ok),
	cmocka_unit_test(test_connect_timeout),
    };
    int     ret;

    ret = cmocka_run_group_tests(tests, NULL, NULL);
    if (test_dir)
	test_remove_tree(test_dir);
    return (ret);
}
