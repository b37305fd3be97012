/*
 * test_dns_rr - unit tests for dns_rr(3) and the reply parser dns_reply(3)
 *
 * DESCRIPTION
 *	Record lists: MX/SRV sorting (stable, by preference, SRV weight),
 *	shuffling keeps every record, append/count/free, address
 *	formatting and socket addresses, type and status names.
 *
 *	Reply parsing on hand-made DNS messages: answers of the asked
 *	type, owner names and TTLs, compressed names, CNAME chains (and
 *	their limit), MX/SRV/TLSA/TXT/SOA data, TXT joining and
 *	truncation, the record limit, and malformed messages (short,
 *	pointer loops, forward pointers, data past the end).
 *
 *	The hosts file reader (dns_hosts.c): the first name of the first
 *	line with an address, names and aliases case-insensitively, the
 *	record types asked for, each address once, a name listed without
 *	an address of those types, comments, a missing file.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "mymalloc.h"
#include "vstring.h"
#include "dns.h"
#include "dns_reply.h"
#include "dns_native.h"
#include "stringops.h"
#include "test_support.h"

/* mx - one MX record */
static DNS_RR *mx(unsigned pref, const char *host)
{
    DNS_RR *rr = dns_rr_create("example.com", "example.com", DNS_T_MX, 300,
			       host, strlen(host));

    rr->pref = pref;
    return rr;
}

/* list_text - the data of a list, joined by spaces */
static const char *list_text(const DNS_RR *list)
{
    static VSTRING *buf;

    if (buf == 0)
	buf = vstring_alloc(100);
    VSTRING_RESET(buf);
    for (; list; list = list->next)
	vstring_sprintf_append(buf, "%s%s", VSTRING_LEN(buf) ? " " : "",
			       list->data);
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* test_sort_mx - lowest preference first, equal ones keep their order */
static void test_sort_mx(void **state)
{
    DNS_RR *list = 0;

    (void) state;
    assert_null(dns_rr_sort_mx(0));
    list = dns_rr_append(list, mx(20, "b"));
    list = dns_rr_append(list, mx(10, "a1"));
    list = dns_rr_append(list, mx(30, "c"));
    list = dns_rr_append(list, mx(10, "a2"));
    list = dns_rr_append(list, mx(0, "z"));
    list = dns_rr_append(list, mx(10, "a3"));
    assert_int_equal(dns_rr_count(list), 6);
    list = dns_rr_sort_mx(list);
    assert_string_equal(list_text(list), "z a1 a2 a3 b c");
    dns_rr_free(list);
}

/* test_sort_srv - priority, then higher weight first */
static void test_sort_srv(void **state)
{
    DNS_RR *list = 0;
    DNS_RR *rr;
    static const struct {
	unsigned prio, weight;
	const char *host;
    } srv[] = {
	{10, 5, "w5"}, {10, 60, "w60"}, {5, 0, "first"}, {10, 20, "w20"},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(srv); n++) {
	rr = dns_rr_create("_x._tcp.example", "_x._tcp.example", DNS_T_SRV,
			   60, srv[n].host, strlen(srv[n].host));
	rr->pref = srv[n].prio;
	rr->weight = srv[n].weight;
	list = dns_rr_append(list, rr);
    }
    list = dns_rr_sort_mx(list);
    assert_string_equal(list_text(list), "first w60 w20 w5");
    dns_rr_free(list);
}

/* test_shuffle - the same records come back, in some order */
static void test_shuffle(void **state)
{
    DNS_RR *list = 0;
    char    name[8];
    int     seen[20];
    int     n;
    DNS_RR *rr;

    (void) state;
    for (n = 0; n < 20; n++) {
	snprintf(name, sizeof(name), "%d", n);
	list = dns_rr_append(list, mx(10, name));
    }
    list = dns_rr_shuffle(list);
    memset(seen, 0, sizeof(seen));
    for (rr = list; rr; rr = rr->next)
	seen[atoi(rr->data)]++;
    for (n = 0; n < 20; n++)
	assert_int_equal(seen[n], 1);
    assert_int_equal(dns_rr_count(list), 20);
    /* Shuffle, then stable sort: equal preferences stay together. */
    list = dns_rr_sort_mx(list);
    assert_int_equal(dns_rr_count(list), 20);
    dns_rr_free(list);
    assert_null(dns_rr_shuffle(0));
    dns_rr_free(0);
}

/* test_addresses - printable form and socket addresses */
static void test_addresses(void **state)
{
    unsigned char v4[4] = {192, 0, 2, 7};
    struct in6_addr v6;
    VSTRING *buf = vstring_alloc(10);
    struct sockaddr_storage ss;
    socklen_t len;
    DNS_RR *a = dns_rr_create("h", "h", DNS_T_A, 1, v4, 4);
    DNS_RR *aaaa;
    DNS_RR *other = mx(1, "x");

    (void) state;
    assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", &v6), 1);
    aaaa = dns_rr_create("h", "h", DNS_T_AAAA, 1, &v6, 16);
    assert_string_equal(dns_rr_to_pa(a, buf), "192.0.2.7");
    assert_string_equal(dns_rr_to_pa(aaaa, buf), "2001:db8::1");
    assert_null(dns_rr_to_pa(other, buf));
    assert_int_equal(dns_rr_to_sockaddr(a, 25, &ss, &len), 0);
    assert_int_equal(ss.ss_family, AF_INET);
    assert_int_equal(len, sizeof(struct sockaddr_in));
    assert_int_equal(ntohs(((struct sockaddr_in *) &ss)->sin_port), 25);
    assert_int_equal(dns_rr_to_sockaddr(aaaa, 587, &ss, &len), 0);
    assert_int_equal(ss.ss_family, AF_INET6);
    assert_int_equal(ntohs(((struct sockaddr_in6 *) &ss)->sin6_port), 587);
    assert_int_equal(dns_rr_to_sockaddr(other, 25, &ss, &len), -1);
    dns_rr_free(a);
    dns_rr_free(aaaa);
    dns_rr_free(other);
    vstring_free(buf);
}

/* test_names - type and status names */
static void test_names(void **state)
{
    (void) state;
    assert_string_equal(dns_type_name(DNS_T_MX), "MX");
    assert_string_equal(dns_type_name(DNS_T_TLSA), "TLSA");
    assert_string_equal(dns_type_name(99), "TYPE99");
    assert_int_equal(dns_type_code("aaaa"), DNS_T_AAAA);
    assert_int_equal(dns_type_code("PTR"), DNS_T_PTR);
    assert_int_equal(dns_type_code("BOGUS"), 0);
    assert_string_equal(dns_status_name(DNS_OK), "DNS_OK");
    assert_string_equal(dns_status_name(DNS_RETRY), "DNS_RETRY");
    assert_string_equal(dns_status_name(DNS_NOTEXIST), "DNS_NOTEXIST");
    assert_string_equal(dns_status_name(42), "DNS_UNKNOWN");
}

/*
 * A small DNS message builder for the parser tests.
 */
typedef struct MSG {
    unsigned char buf[70000];
    size_t  len;
} MSG;

/* put16 - append a 16-bit value */
static void put16(MSG *m, unsigned v)
{
    m->buf[m->len++] = (unsigned char) (v >> 8);
    m->buf[m->len++] = (unsigned char) v;
}

/* put32 - append a 32-bit value */
static void put32(MSG *m, unsigned v)
{
    put16(m, v >> 16);
    put16(m, v & 0xffff);
}

/* put_name - append an uncompressed name */
static void put_name(MSG *m, const char *name)
{
    const char *dot;
    size_t  n;

    while (*name) {
	dot = strchr(name, '.');
	n = dot ? (size_t) (dot - name) : strlen(name);
	m->buf[m->len++] = (unsigned char) n;
	memcpy(m->buf + m->len, name, n);
	m->len += n;
	name += n + (dot != 0);
    }
    m->buf[m->len++] = 0;
}

/* msg_start - header and question */
static void msg_start(MSG *m, int rcode, unsigned an, unsigned ns,
		              const char *qname, int qtype)
{
    m->len = 0;
    put16(m, 0x1234);
    put16(m, 0x8180 | rcode);
    put16(m, 1);
    put16(m, an);
    put16(m, ns);
    put16(m, 0);
    put_name(m, qname);
    put16(m, qtype);
    put16(m, 1);
}

/* rr_start - owner, type, class, ttl; returns where rdlength goes */
static size_t rr_start(MSG *m, const char *owner, int type, unsigned ttl)
{
    size_t  at;

    put_name(m, owner);
    put16(m, type);
    put16(m, 1);
    put32(m, ttl);
    at = m->len;
    put16(m, 0);
    return at;
}

/* rr_end - fill in the rdlength */
static void rr_end(MSG *m, size_t at)
{
    size_t  len = m->len - at - 2;

    m->buf[at] = (unsigned char) (len >> 8);
    m->buf[at + 1] = (unsigned char) len;
}

/* parse - run the parser; 0 or -1 */
static int parse(MSG *m, const char *qname, int qtype, DNS_REPLY *reply)
{
    memset(reply, 0, sizeof(*reply));
    return dns_reply_parse(m->buf, m->len, qname, qtype, 0, reply);
}

/* test_reply_mx_cname - CNAME chain, compressed names, MX data */
static void test_reply_mx_cname(void **state)
{
    MSG    *m = mymalloc(sizeof(*m));
    DNS_REPLY reply;
    size_t  at;

    (void) state;
    msg_start(m, 0, 4, 0, "alias.example", DNS_T_MX);
    at = rr_start(m, "alias.example", DNS_T_CNAME, 100);
    put_name(m, "mid.example");
    rr_end(m, at);
    at = rr_start(m, "mid.example", DNS_T_CNAME, 100);
    put_name(m, "Real.Example");
    rr_end(m, at);
    at = rr_start(m, "real.example", DNS_T_MX, 600);
    put16(m, 20);
    put_name(m, "mx2.real.example");
    rr_end(m, at);
    /* A record of another owner is no answer. */
    at = rr_start(m, "unrelated.example", DNS_T_MX, 7);
    put16(m, 5);
    put_name(m, "other");
    rr_end(m, at);
    assert_int_equal(parse(m, "alias.example", DNS_T_MX, &reply), 0);
    assert_string_equal(vstring_str(reply.fqdn), "Real.Example");
    assert_true(reply.cname_seen);
    assert_int_equal(dns_rr_count(reply.records), 1);
    assert_int_equal(reply.records->pref, 20);
    assert_int_equal(reply.records->ttl, 600);
    assert_string_equal(reply.records->data, "mx2.real.example");
    assert_string_equal(reply.records->rname, "real.example");
    assert_string_equal(reply.records->qname, "alias.example");
    dns_reply_free(&reply);
    myfree(m);
}

/* test_reply_compression - names through backward pointers */
static void test_reply_compression(void **state)
{
    MSG    *m = mymalloc(sizeof(*m));
    DNS_REPLY reply;
    size_t  at;

    (void) state;
    msg_start(m, 0, 1, 0, "example.org", DNS_T_NS);
    /* Owner: pointer to the question name at offset 12. */
    m->buf[m->len++] = 0xc0;
    m->buf[m->len++] = 12;
    put16(m, DNS_T_NS);
    put16(m, 1);
    put32(m, 50);
    at = m->len;
    put16(m, 0);
    /* Data: "ns1" + pointer to example.org. */
    m->buf[m->len++] = 3;
    memcpy(m->buf + m->len, "ns1", 3);
    m->len += 3;
    m->buf[m->len++] = 0xc0;
    m->buf[m->len++] = 12;
    rr_end(m, at);
    assert_int_equal(parse(m, "example.org", DNS_T_NS, &reply), 0);
    assert_non_null(reply.records);
    assert_string_equal(reply.records->data, "ns1.example.org");
    dns_reply_free(&reply);

    /* A pointer to itself is a loop. */
    m->buf[m->len - 2] = (unsigned char) (0xc0 | ((m->len - 2) >> 8));
    m->buf[m->len - 1] = (unsigned char) (m->len - 2);
    assert_int_equal(parse(m, "example.org", DNS_T_NS, &reply), -1);
    assert_non_null(strstr(vstring_str(reply.why), "malformed"));
    dns_reply_free(&reply);
    myfree(m);
}

/* test_reply_types - SRV, TLSA, TXT, A/AAAA sizes, SOA in authority */
static void test_reply_types(void **state)
{
    MSG    *m = mymalloc(sizeof(*m));
    DNS_REPLY reply;
    size_t  at;
    int     i;

    (void) state;
    msg_start(m, 0, 1, 0, "_s._tcp.x", DNS_T_SRV);
    at = rr_start(m, "_s._tcp.x", DNS_T_SRV, 9);
    put16(m, 1);
    put16(m, 2);
    put16(m, 25);
    put_name(m, "host.x");
    rr_end(m, at);
    assert_int_equal(parse(m, "_s._tcp.x", DNS_T_SRV, &reply), 0);
    assert_int_equal(reply.records->pref, 1);
    assert_int_equal(reply.records->weight, 2);
    assert_int_equal(reply.records->port, 25);
    assert_string_equal(reply.records->data, "host.x");
    dns_reply_free(&reply);

    msg_start(m, 0, 1, 0, "_25._tcp.x", DNS_T_TLSA);
    at = rr_start(m, "_25._tcp.x", DNS_T_TLSA, 9);
    m->buf[m->len++] = 3;
    m->buf[m->len++] = 1;
    m->buf[m->len++] = 1;
    memcpy(m->buf + m->len, "\xde\xad\xbe\xef", 4);
    m->len += 4;
    rr_end(m, at);
    assert_int_equal(parse(m, "_25._tcp.x", DNS_T_TLSA, &reply), 0);
    assert_int_equal(reply.records->tlsa_usage, 3);
    assert_int_equal(reply.records->tlsa_selector, 1);
    assert_int_equal(reply.records->tlsa_mtype, 1);
    assert_int_equal(reply.records->data_len, 4);
    assert_memory_equal(reply.records->data, "\xde\xad\xbe\xef", 4);
    dns_reply_free(&reply);

    /* TXT: strings joined; over DNS_MAX_DATA truncated and flagged. */
    msg_start(m, 0, 2, 0, "t.x", DNS_T_TXT);
    at = rr_start(m, "t.x", DNS_T_TXT, 9);
    m->buf[m->len++] = 3;
    memcpy(m->buf + m->len, "abc", 3);
    m->len += 3;
    m->buf[m->len++] = 2;
    memcpy(m->buf + m->len, "de", 2);
    m->len += 2;
    rr_end(m, at);
    at = rr_start(m, "t.x", DNS_T_TXT, 9);
    for (i = 0; i < 20; i++) {
	m->buf[m->len++] = 255;
	memset(m->buf + m->len, 'x', 255);
	m->len += 255;
    }
    rr_end(m, at);
    assert_int_equal(parse(m, "t.x", DNS_T_TXT, &reply), 0);
    assert_string_equal(reply.records->data, "abcde");
    assert_int_equal(reply.records->flags & DNS_RR_FLAG_TRUNCATED, 0);
    assert_int_equal(reply.records->next->data_len, DNS_MAX_DATA);
    assert_true(reply.records->next->flags & DNS_RR_FLAG_TRUNCATED);
    dns_reply_free(&reply);

    /* An A record must have 4 octets. */
    msg_start(m, 0, 1, 0, "a.x", DNS_T_A);
    at = rr_start(m, "a.x", DNS_T_A, 9);
    put16(m, 0x7f00);
    rr_end(m, at);
    assert_int_equal(parse(m, "a.x", DNS_T_A, &reply), -1);
    dns_reply_free(&reply);

    /* NXDOMAIN with the SOA in the authority section. */
    msg_start(m, 3, 0, 1, "nx.x", DNS_T_A);
    at = rr_start(m, "x", DNS_T_SOA, 3600);
    put_name(m, "ns.x");
    put_name(m, "hostmaster.x");
    put32(m, 1);
    put32(m, 2);
    put32(m, 3);
    put32(m, 4);
    put32(m, 300);
    rr_end(m, at);
    assert_int_equal(parse(m, "nx.x", DNS_T_A, &reply), 0);
    assert_int_equal(reply.rcode, 3);
    assert_null(reply.records);
    assert_non_null(reply.soa);
    assert_string_equal(reply.soa->data, "ns.x");
    assert_int_equal(reply.soa->soa_minimum, 300);
    assert_int_equal(reply.soa->ttl, 3600);
    dns_reply_free(&reply);
    myfree(m);
}

/* test_reply_limits - record limit, CNAME chain limit, odd names */
static void test_reply_limits(void **state)
{
    MSG    *m = mymalloc(sizeof(*m));
    DNS_REPLY reply;
    size_t  at;
    char    from[20];
    char    to[20];
    int     i;

    (void) state;
    msg_start(m, 0, DNS_MAX_RR + 5, 0, "many.x", DNS_T_A);
    for (i = 0; i < DNS_MAX_RR + 5; i++) {
	at = rr_start(m, "many.x", DNS_T_A, 9);
	put32(m, 0x7f000000 | (unsigned) i);
	rr_end(m, at);
    }
    assert_int_equal(parse(m, "many.x", DNS_T_A, &reply), 0);
    assert_int_equal(dns_rr_count(reply.records), DNS_MAX_RR);
    assert_int_equal(reply.dropped, 5);
    dns_reply_free(&reply);

    msg_start(m, 0, 20, 0, "c0.x", DNS_T_A);
    for (i = 0; i < 20; i++) {
	snprintf(from, sizeof(from), "c%d.x", i);
	snprintf(to, sizeof(to), "c%d.x", i + 1);
	at = rr_start(m, from, DNS_T_CNAME, 9);
	put_name(m, to);
	rr_end(m, at);
    }
    assert_int_equal(parse(m, "c0.x", DNS_T_A, &reply), -1);
    assert_non_null(strstr(vstring_str(reply.why), "CNAME chain"));
    dns_reply_free(&reply);

    /* A PTR name with a space and a dot inside a label. */
    msg_start(m, 0, 1, 0, "1.2.0.192.in-addr.arpa", DNS_T_PTR);
    at = rr_start(m, "1.2.0.192.in-addr.arpa", DNS_T_PTR, 9);
    m->buf[m->len++] = 5;
    memcpy(m->buf + m->len, "a b.c", 5);
    m->len += 5;
    m->buf[m->len++] = 0;
    rr_end(m, at);
    assert_int_equal(parse(m, "1.2.0.192.in-addr.arpa", DNS_T_PTR, &reply), 0);
    assert_string_equal(reply.records->data, "a\\032b\\046c");
    dns_reply_free(&reply);

    /* Short and truncated messages. */
    m->len = 5;
    assert_int_equal(parse(m, "x", DNS_T_A, &reply), -1);
    dns_reply_free(&reply);
    msg_start(m, 0, 1, 0, "a.x", DNS_T_A);
    at = rr_start(m, "a.x", DNS_T_A, 9);
    put32(m, 0x7f000001);
    rr_end(m, at);
    m->len -= 2;
    assert_int_equal(parse(m, "a.x", DNS_T_A, &reply), -1);
    dns_reply_free(&reply);
    myfree(m);
}

/* test_hosts - the hosts file as the C library's "files" service */
static void test_hosts(void **state)
{
    char   *dir = test_tempdir();
    char   *file = concatenate(dir, "/hosts", (char *) 0);
    char   *missing = concatenate(dir, "/missing", (char *) 0);
    static const int v4[] = {DNS_T_A, 0};
    static const int both[] = {DNS_T_A, DNS_T_AAAA, 0};
    VSTRING *name = vstring_alloc(10);
    VSTRING *text = vstring_alloc(10);
    DNS_RR *list;

    (void) state;
    test_write_file(file, "# comment 127.0.0.9 commented\n"
		    "127.0.0.1\tlocalhost runsc vm\n"
		    "127.0.0.1 other\n"
		    "bogus line\n"
		    "::1 localhost ip6-localhost # trailing\n"
		    "127.0.0.2 Two.Example alias2\n"
		    "127.0.0.3 two.example.\n"
		    "::2 six.example\n");
    dns_hosts_file(file);
    assert_int_equal(dns_hosts_name("127.0.0.1", name), 1);
    assert_string_equal(vstring_str(name), "localhost");
    assert_int_equal(dns_hosts_name("0:0::1", name), 1);
    assert_string_equal(vstring_str(name), "localhost");
    assert_int_equal(dns_hosts_name("127.0.0.9", name), 0);
    assert_int_equal(dns_hosts_name("not-an-address", name), 0);

    assert_int_equal(dns_hosts_addr("LOCALHOST", both, &list), 1);
    assert_int_equal(dns_rr_count(list), 2);
    assert_string_equal(dns_rr_to_pa(list, text), "127.0.0.1");
    assert_string_equal(dns_rr_to_pa(list->next, text), "::1");
    dns_rr_free(list);
    assert_int_equal(dns_hosts_addr("two.example", v4, &list), 1);
    assert_int_equal(dns_rr_count(list), 2);
    assert_string_equal(dns_rr_to_pa(list->next, text), "127.0.0.3");
    dns_rr_free(list);
    assert_int_equal(dns_hosts_addr("alias2.", v4, &list), 1);
    assert_int_equal(dns_rr_count(list), 1);
    dns_rr_free(list);
    /* Named, but no address of the wanted types. */
    assert_int_equal(dns_hosts_addr("six.example", v4, &list), 1);
    assert_null(list);
    assert_int_equal(dns_hosts_addr("nothere.example", both, &list), 0);
    assert_null(list);

    dns_hosts_file(missing);
    assert_int_equal(dns_hosts_name("127.0.0.1", name), 0);
    assert_int_equal(dns_hosts_addr("localhost", both, &list), 0);
    dns_hosts_file("/etc/hosts");
    vstring_free(name);
    vstring_free(text);
    myfree(missing);
    myfree(file);
    myfree(dir);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_sort_mx),
	cmocka_unit_test(test_sort_srv),
	cmocka_unit_test(test_shuffle),
	cmocka_unit_test(test_addresses),
	cmocka_unit_test(test_names),
	cmocka_unit_test(test_reply_mx_cname),
	cmocka_unit_test(test_reply_compression),
	cmocka_unit_test(test_reply_types),
	cmocka_unit_test(test_reply_limits),
	cmocka_unit_test(test_hosts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
