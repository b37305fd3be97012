/*
 * dns_reply - parse a DNS reply message into DNS_RR records (internal)
 *
 * SYNOPSIS
 *	#include "dns_reply.h"
 *
 * DESCRIPTION
 *	See dns_reply.c. Used by dns_lookup.c and the fuzz target; not
 *	part of the library's public interface (dns.h).
 */
#ifndef DNS_REPLY_H
#define DNS_REPLY_H

#include "sys_defs.h"
#include "vstring.h"
#include "dns.h"

typedef struct DNS_REPLY {
    int     rcode;			/* header response code */
    DNS_RR *records;			/* answers of the requested type */
    DNS_RR *soa;			/* authority SOA, or NULL */
    VSTRING *fqdn;			/* end of the CNAME chain */
    int     cname_seen;			/* a CNAME was followed */
    int     dropped;			/* records over DNS_MAX_RR */
    VSTRING *why;			/* reason of a malformed reply */
} DNS_REPLY;

#define DNS_REPLY_INIT	{ 0, 0, 0, 0, 0, 0, 0 }

extern int dns_reply_parse(const unsigned char *msg, size_t len,
			           const char *qname, int qtype, int flags,
			           DNS_REPLY *reply);
extern void dns_reply_free(DNS_REPLY *reply);

#endif
