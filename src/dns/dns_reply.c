/*
 * dns_reply - parse a DNS reply message into DNS_RR records
 *
 * SYNOPSIS
 *	#include "dns_reply.h"
 *
 *	int	dns_reply_parse(const unsigned char *msg, size_t len,
 *				const char *qname, int qtype, int flags,
 *				DNS_REPLY *reply);
 *	void	dns_reply_free(DNS_REPLY *reply);
 *
 * DESCRIPTION
 *	dns_reply_parse() reads a whole DNS message in wire format (as
 *	libunbound returns it in answer_packet) and fills reply:
 *	-  rcode: the header's response code;
 *	-  records: the answer records of type qtype owned by the name
 *	   that the CNAME chain starting at qname leads to, in answer
 *	   order, at most DNS_MAX_RR (more are counted in dropped);
 *	-  fqdn: that final name; cname_seen when a CNAME was followed;
 *	-  soa: the first SOA record of the authority section (for
 *	   negative caching), or NULL.
 *	Names are in presentation form without the trailing dot (the
 *	root is "."); octets that cannot appear in a name as they are
 *	(controls, space, ".", "\", 8-bit) are written as \DDD.
 *
 *	Limits: compression pointers may only point backwards and a
 *	name may follow at most 64 of them; a name over 255 octets, a
 *	label over 63, a CNAME chain over 16 links, record data over
 *	DNS_MAX_DATA octets (other than TXT), or any field that runs
 *	past the end of its record or of the message makes the reply
 *	malformed. TXT strings are joined up to DNS_MAX_DATA octets
 *	(DNS_RR_FLAG_TRUNCATED when cut).
 *
 *	dns_reply_free() frees what dns_reply_parse() stored.
 *
 * DIAGNOSTICS
 *	dns_reply_parse() returns 0, or -1 for a malformed message with
 *	the reason in reply->why. It does not log.
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "dns.h"
#include "dns_reply.h"

#define DNS_HDR_LEN	12
#define DNS_PTR_MAX	64		/* compression pointers per name */
#define DNS_CHAIN_MAX	16		/* CNAME links */
#define DNS_LABEL_MAX	63

typedef struct DNS_WIRE_RR {
    VSTRING *name;			/* owner */
    int     type;
    unsigned ttl;
    size_t  rdata;			/* offset of the data */
    size_t  rdlen;
} DNS_WIRE_RR;

/* dns_reply_get16 - network-order 16-bit value */

static unsigned dns_reply_get16(const unsigned char *p)
{
    return ((unsigned) p[0] << 8 | p[1]);
}

/* dns_reply_get32 - network-order 32-bit value */

static unsigned dns_reply_get32(const unsigned char *p)
{
    return ((unsigned) p[0] << 24 | (unsigned) p[1] << 16
	    | (unsigned) p[2] << 8 | p[3]);
}

/* dns_reply_label_char - append one label octet in presentation form */

static void dns_reply_label_char(VSTRING *out, int ch)
{
    if (ch > 0x20 && ch < 0x7f && ch != '.' && ch != '\\')
	VSTRING_ADDCH(out, ch);
    else
	vstring_sprintf_append(out, "\\%03d", ch);
}

/* dns_reply_name - read a possibly compressed name; offset after it */

static int dns_reply_name(const unsigned char *msg, size_t len,
			          size_t *offp, size_t end, VSTRING *out)
{
    size_t  off = *offp;
    size_t  next = 0;
    size_t  wire_len = 1;
    int     jumps = 0;
    unsigned label;
    unsigned i;

    VSTRING_RESET(out);
    for (;;) {
	if (off >= end)
	    return (-1);
	label = msg[off];
	if ((label & 0xc0) == 0xc0) {
	    if (off + 1 >= end || ++jumps > DNS_PTR_MAX)
		return (-1);
	    if (next == 0)
		next = off + 2;
	    label = (label & 0x3f) << 8 | msg[off + 1];
	    if (label >= off)			/* forward or self loop */
		return (-1);
	    off = label;
	    end = len;				/* pointer may leave the record */
	    continue;
	}
	if (label & 0xc0)
	    return (-1);
	if (label == 0) {
	    off += 1;
	    break;
	}
	if (label > DNS_LABEL_MAX || off + 1 + label > end)
	    return (-1);
	wire_len += label + 1;
	if (wire_len > DNS_NAME_MAX)
	    return (-1);
	if (VSTRING_LEN(out) > 0)
	    VSTRING_ADDCH(out, '.');
	for (i = 0; i < label; i++)
	    dns_reply_label_char(out, msg[off + 1 + i]);
	off += 1 + label;
    }
    if (VSTRING_LEN(out) == 0)
	VSTRING_ADDCH(out, '.');
    VSTRING_TERMINATE(out);
    *offp = next ? next : off;
    return (0);
}

/* dns_reply_rr - read one record header; offset after its data */

static int dns_reply_rr(const unsigned char *msg, size_t len,
			        size_t *offp, DNS_WIRE_RR *wrr)
{
    size_t  off = *offp;

    if (dns_reply_name(msg, len, &off, len, wrr->name) < 0)
	return (-1);
    if (off + 10 > len)
	return (-1);
    wrr->type = (int) dns_reply_get16(msg + off);
    wrr->ttl = dns_reply_get32(msg + off + 4);
    if (wrr->ttl > 0x7fffffffU)			/* RFC 2181 8 */
	wrr->ttl = 0;
    wrr->rdlen = dns_reply_get16(msg + off + 8);
    wrr->rdata = off + 10;
    if (wrr->rdata + wrr->rdlen > len)
	return (-1);
    *offp = wrr->rdata + wrr->rdlen;
    return (0);
}

/* dns_reply_data_name - a name inside record data, which must fit */

static int dns_reply_data_name(const unsigned char *msg, size_t len,
			               size_t off, size_t end, VSTRING *out)
{
    if (dns_reply_name(msg, len, &off, end, out) < 0 || off != end)
	return (-1);
    return (0);
}

/* dns_reply_decode - turn one wire record into a DNS_RR */

static DNS_RR *dns_reply_decode(const unsigned char *msg, size_t len,
				        const char *qname, DNS_WIRE_RR *wrr,
				        VSTRING *tmp)
{
    const unsigned char *rd = msg + wrr->rdata;
    size_t  end = wrr->rdata + wrr->rdlen;
    DNS_RR *rr = 0;
    size_t  off;
    unsigned slen;

    if (wrr->type != DNS_T_TXT && wrr->rdlen > DNS_MAX_DATA)
	return (0);
    switch (wrr->type) {
    case DNS_T_A:
	if (wrr->rdlen != 4)
	    return (0);
	return (dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
			      wrr->ttl, rd, 4));
    case DNS_T_AAAA:
	if (wrr->rdlen != 16)
	    return (0);
	return (dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
			      wrr->ttl, rd, 16));
    case DNS_T_NS:
    case DNS_T_PTR:
    case DNS_T_CNAME:
	if (dns_reply_data_name(msg, len, wrr->rdata, end, tmp) < 0)
	    return (0);
	break;
    case DNS_T_MX:
	if (wrr->rdlen < 3
	    || dns_reply_data_name(msg, len, wrr->rdata + 2, end, tmp) < 0)
	    return (0);
	rr = dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
			   wrr->ttl, vstring_str(tmp), VSTRING_LEN(tmp));
	rr->pref = dns_reply_get16(rd);
	return (rr);
    case DNS_T_SRV:
	if (wrr->rdlen < 7
	    || dns_reply_data_name(msg, len, wrr->rdata + 6, end, tmp) < 0)
	    return (0);
	rr = dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
			   wrr->ttl, vstring_str(tmp), VSTRING_LEN(tmp));
	rr->pref = dns_reply_get16(rd);
	rr->weight = dns_reply_get16(rd + 2);
	rr->port = dns_reply_get16(rd + 4);
	return (rr);
    case DNS_T_TXT:
	VSTRING_RESET(tmp);
	for (off = wrr->rdata; off < end; off += 1 + slen) {
	    slen = msg[off];
	    if (off + 1 + slen > end)
		return (0);
	    if (VSTRING_LEN(tmp) + slen > DNS_MAX_DATA) {
		vstring_memcat(tmp, msg + off + 1,
			       DNS_MAX_DATA - VSTRING_LEN(tmp));
		rr = dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
				   wrr->ttl, vstring_str(tmp),
				   VSTRING_LEN(tmp));
		rr->flags |= DNS_RR_FLAG_TRUNCATED;
		return (rr);
	    }
	    vstring_memcat(tmp, msg + off + 1, slen);
	}
	break;
    case DNS_T_TLSA:
	if (wrr->rdlen < 3)
	    return (0);
	rr = dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
			   wrr->ttl, rd + 3, wrr->rdlen - 3);
	rr->tlsa_usage = rd[0];
	rr->tlsa_selector = rd[1];
	rr->tlsa_mtype = rd[2];
	return (rr);
    case DNS_T_SOA:
	off = wrr->rdata;
	if (dns_reply_name(msg, len, &off, end, tmp) < 0)
	    return (0);
	rr = dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
			   wrr->ttl, vstring_str(tmp), VSTRING_LEN(tmp));
	if (dns_reply_name(msg, len, &off, end, tmp) < 0 || off + 20 != end) {
	    dns_rr_free(rr);
	    return (0);
	}
	rr->soa_minimum = dns_reply_get32(msg + off + 16);
	return (rr);
    default:
	return (dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
			      wrr->ttl, rd, wrr->rdlen));
    }
    return (dns_rr_create(qname, vstring_str(wrr->name), wrr->type,
			  wrr->ttl, vstring_str(tmp), VSTRING_LEN(tmp)));
}

/* dns_reply_same_name - names equal without regard to ASCII case */

static int dns_reply_same_name(const char *a, const char *b)
{
    size_t  la = strlen(a);
    size_t  lb = strlen(b);

    if (la > 1 && a[la - 1] == '.')
	la--;
    if (lb > 1 && b[lb - 1] == '.')
	lb--;
    return (la == lb && strncasecmp(a, b, la) == 0);
}

/* dns_reply_malformed - record the reason and fail */

static int dns_reply_malformed(DNS_REPLY *reply, const char *what)
{
    vstring_sprintf(reply->why, "malformed DNS reply: %s", what);
    dns_rr_free(reply->records);
    reply->records = 0;
    dns_rr_free(reply->soa);
    reply->soa = 0;
    return (-1);
}

/* dns_reply_parse - parse a reply message */

int     dns_reply_parse(const unsigned char *msg, size_t len,
			        const char *qname, int qtype, int flags,
			        DNS_REPLY *reply)
{
    DNS_WIRE_RR wrr;
    VSTRING *tmp;
    DNS_RR *rr;
    DNS_RR *tail = 0;
    unsigned qdcount, ancount, nscount;
    size_t  off;
    size_t  an_start;
    unsigned i;
    int     links;
    int     progress;
    int     status = 0;

    (void) flags;
    reply->records = 0;
    reply->soa = 0;
    reply->dropped = 0;
    reply->cname_seen = 0;
    reply->rcode = 0;
    if (reply->why == 0)
	reply->why = vstring_alloc(100);
    if (reply->fqdn == 0)
	reply->fqdn = vstring_alloc(100);
    vstring_strcpy(reply->fqdn, qname);
    if (len < DNS_HDR_LEN)
	return (dns_reply_malformed(reply, "short header"));
    reply->rcode = msg[3] & 0xf;
    qdcount = dns_reply_get16(msg + 4);
    ancount = dns_reply_get16(msg + 6);
    nscount = dns_reply_get16(msg + 8);

    wrr.name = vstring_alloc(100);
    tmp = vstring_alloc(100);
    off = DNS_HDR_LEN;
    for (i = 0; i < qdcount; i++) {
	if (dns_reply_name(msg, len, &off, len, wrr.name) < 0 || off + 4 > len) {
	    status = dns_reply_malformed(reply, "bad question section");
	    goto done;
	}
	off += 4;
    }

    /*
     * Follow the CNAME chain through the answer section. Each pass looks
     * for a CNAME owned by the current name; the chain ends when none is
     * left (or the query was for CNAME records themselves).
     */
    an_start = off;
    for (links = 0, progress = 1; progress && qtype != DNS_T_CNAME;) {
	progress = 0;
	for (off = an_start, i = 0; i < ancount; i++) {
	    if (dns_reply_rr(msg, len, &off, &wrr) < 0) {
		status = dns_reply_malformed(reply, "bad answer section");
		goto done;
	    }
	    if (wrr.type != DNS_T_CNAME
		|| !dns_reply_same_name(vstring_str(wrr.name),
					vstring_str(reply->fqdn)))
		continue;
	    if (++links > DNS_CHAIN_MAX) {
		status = dns_reply_malformed(reply, "CNAME chain too long");
		goto done;
	    }
	    if (dns_reply_data_name(msg, len, wrr.rdata,
				    wrr.rdata + wrr.rdlen, tmp) < 0) {
		status = dns_reply_malformed(reply, "bad CNAME record");
		goto done;
	    }
	    vstring_strcpy(reply->fqdn, vstring_str(tmp));
	    reply->cname_seen = 1;
	    progress = 1;
	    break;
	}
    }

    /* The records of the requested type owned by the final name. */
    for (off = an_start, i = 0; i < ancount; i++) {
	if (dns_reply_rr(msg, len, &off, &wrr) < 0) {
	    status = dns_reply_malformed(reply, "bad answer section");
	    goto done;
	}
	if (wrr.type != qtype
	    || !dns_reply_same_name(vstring_str(wrr.name),
				    vstring_str(reply->fqdn)))
	    continue;
	if ((rr = dns_reply_decode(msg, len, qname, &wrr, tmp)) == 0) {
	    status = dns_reply_malformed(reply, "bad record data");
	    goto done;
	}
	if (dns_rr_count(reply->records) >= DNS_MAX_RR) {
	    reply->dropped++;
	    dns_rr_free(rr);
	    continue;
	}
	if (tail == 0)
	    reply->records = rr;
	else
	    tail->next = rr;
	tail = rr;
    }

    /* The authority section: the SOA of a negative answer. */
    for (i = 0; i < nscount; i++) {
	if (dns_reply_rr(msg, len, &off, &wrr) < 0) {
	    status = dns_reply_malformed(reply, "bad authority section");
	    goto done;
	}
	if (wrr.type == DNS_T_SOA && reply->soa == 0
	  && (reply->soa = dns_reply_decode(msg, len, qname, &wrr, tmp)) == 0) {
	    status = dns_reply_malformed(reply, "bad SOA record");
	    goto done;
	}
    }

done:
    vstring_free(wrr.name);
    vstring_free(tmp);
    return (status);
}

/* dns_reply_free - free the results of dns_reply_parse() */

void    dns_reply_free(DNS_REPLY *reply)
{
    dns_rr_free(reply->records);
    dns_rr_free(reply->soa);
    reply->records = reply->soa = 0;
    if (reply->why)
	vstring_free(reply->why);
    if (reply->fqdn)
	vstring_free(reply->fqdn);
    reply->why = reply->fqdn = 0;
}
