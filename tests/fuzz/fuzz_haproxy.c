/*
 * fuzz_haproxy - feed arbitrary bytes to the PROXY header parser
 *
 * DESCRIPTION
 *	The input is what a client (the proxy) sent first, given to
 *	smtpd_haproxy_parse() as smtpd_haproxy_read() gives it, with both
 *	address families allowed and then IPv4 only. Checked: a success
 *	consumes at least one byte and no more than were looked at, its
 *	addresses are IPv4 or IPv6 text that inet_pton() takes, its ports are 0..65535; a
 *	failure has a reason.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "vstring.h"
#include "inet_proto.h"
#include "valid_hostname.h"
#include "smtpd_haproxy.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* valid_address - IPv4 or IPv6 text that inet_pton() takes back */
static int valid_address(const char *text)
{
    unsigned char buf[16];

    return (inet_pton(AF_INET, text, buf) == 1
	    || inet_pton(AF_INET6, text, buf) == 1);
}

/* check_one - parse with one family mask and check the outcome */
static void check_one(const uint8_t *data, size_t size, int mask,
		              VSTRING *why)
{
    SMTPD_HAPROXY hp;
    size_t  header_len;

    VSTRING_RESET(why);
    VSTRING_TERMINATE(why);
    if (smtpd_haproxy_parse(data, size, mask, &hp, &header_len, why) < 0) {
	if (VSTRING_LEN(why) == 0)
	    abort();
	return;
    }
    if (header_len == 0 || header_len > size || header_len > SMTPD_HAPROXY_MAX)
	abort();
    if (hp.local)
	return;
    if (!valid_address(hp.client_addr) || !valid_address(hp.server_addr)
	|| !valid_hostport(hp.client_port, DONT_GRIPE)
	|| !valid_hostport(hp.server_port, DONT_GRIPE))
	abort();
    if ((mask & INET_PROTO_MASK_IPV6) == 0
	&& (strchr(hp.client_addr, ':') || strchr(hp.server_addr, ':')))
	abort();
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static VSTRING *why;

    if (why == 0) {
	fuzz_quiet_init();
	why = vstring_alloc(100);
    }
    check_one(data, size, INET_PROTO_MASK_IPV4 | INET_PROTO_MASK_IPV6, why);
    check_one(data, size, INET_PROTO_MASK_IPV4, why);
    return 0;
}
