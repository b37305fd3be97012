/*
 * fuzz_dns_reply - feed arbitrary bytes to the DNS reply parser
 *
 * DESCRIPTION
 *	The input is a DNS message as a resolver might return it, parsed
 *	by dns_reply_parse() for each record type that the library asks
 *	for. Checked: the record count stays within DNS_MAX_RR, record
 *	data within DNS_MAX_DATA and NUL terminated, names within the
 *	presentation length of DNS_NAME_MAX octets; a failure has a reason.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "vstring.h"
#include "dns.h"
#include "dns_reply.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Presentation form: up to 4 characters per octet (\DDD). */
#define NAME_TEXT_MAX	(4 * DNS_NAME_MAX + 1)

/* check_rr - bounds of one record */
static void check_rr(const DNS_RR *rr)
{
    if (rr->data_len > DNS_MAX_DATA || rr->data[rr->data_len] != 0)
	abort();
    if (strlen(rr->rname) > NAME_TEXT_MAX)
	abort();
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int types[] = {
	DNS_T_A, DNS_T_AAAA, DNS_T_MX, DNS_T_PTR, DNS_T_TXT, DNS_T_NS,
	DNS_T_CNAME, DNS_T_SRV, DNS_T_TLSA, DNS_T_SOA,
    };
    DNS_REPLY reply;
    const DNS_RR *rr;
    size_t  n;

    fuzz_quiet_init();
    for (n = 0; n < sizeof(types) / sizeof(types[0]); n++) {
	memset(&reply, 0, sizeof(reply));
	if (dns_reply_parse(data, size, "example.com", types[n], 0, &reply) < 0) {
	    if (VSTRING_LEN(reply.why) == 0 || reply.records || reply.soa)
		abort();
	} else {
	    if (dns_rr_count(reply.records) > DNS_MAX_RR)
		abort();
	    for (rr = reply.records; rr; rr = rr->next)
		check_rr(rr);
	    if (reply.soa)
		check_rr(reply.soa);
	    if (strlen(vstring_str(reply.fqdn)) > NAME_TEXT_MAX)
		abort();
	}
	dns_reply_free(&reply);
    }
    return 0;
}
