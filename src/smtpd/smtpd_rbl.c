/*
 * smtpd_rbl - DNS list names, reply patterns and reply templates
 *
 * SYNOPSIS
 *	See smtpd_rbl.h.
 *
 * DESCRIPTION
 *	The parts of the DNS list restrictions (smtpd_check_dns.c) that
 *	need no DNS and no session: they are kept apart so that the unit
 *	tests reach them directly.
 *
 * DIAGNOSTICS
 *	None; the callers log.
 */
#include "sys_defs.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring.h"

#include "smtpd_rbl.h"

/* smtpd_rbl_filter_octet - parse one octet pattern into a bit map */

static const char *smtpd_rbl_filter_octet(const char *cp, unsigned char *map)
{
    char   *end;
    unsigned long lo;
    unsigned long hi;
    bool    bracket = (*cp == '[');

    memset(map, 0, 32);
    if (bracket)
	cp++;
    for (;;) {
	if (*cp < '0' || *cp > '9')
	    return (0);
	lo = strtoul(cp, &end, 10);
	hi = lo;
	cp = end;
	if (bracket && cp[0] == '.' && cp[1] == '.') {
	    if (cp[2] < '0' || cp[2] > '9')
		return (0);
	    hi = strtoul(cp + 2, &end, 10);
	    cp = end;
	}
	if (lo > 255 || hi > 255 || lo > hi)
	    return (0);
	for (; lo <= hi; lo++)
	    map[lo / 8] |= 1 << (lo % 8);
	if (!bracket)
	    return (cp);
	if (*cp == ';') {
	    cp++;
	    continue;
	}
	if (*cp == ']')
	    return (cp + 1);
	return (0);
    }
}

/* smtpd_rbl_filter_parse - parse a d.d.d.d reply pattern */

SMTPD_RBL_FILTER *smtpd_rbl_filter_parse(const char *pattern,
				               size_t *error_offset)
{
    SMTPD_RBL_FILTER *filter = mymalloc(sizeof(*filter));
    const char *cp = pattern;
    const char *octet = pattern;
    int     i;

    const char *next;

    for (i = 0; i < 4; i++) {
	if (i > 0) {
	    if (*cp != '.')
		break;
	    cp++;
	}
	octet = cp;
	if ((next = smtpd_rbl_filter_octet(cp, filter->octet[i])) == 0) {
	    cp = octet;
	    break;
	}
	cp = next;
    }
    if (i < 4 || *cp != 0) {
	if (error_offset)
	    *error_offset = cp - pattern;
	myfree(filter);
	return (0);
    }
    return (filter);
}

/* smtpd_rbl_filter_match - does an A record fit the pattern */

bool    smtpd_rbl_filter_match(const SMTPD_RBL_FILTER *filter,
			               const unsigned char *addr)
{
    int     i;

    for (i = 0; i < 4; i++)
	if ((filter->octet[i][addr[i] / 8] & (1 << (addr[i] % 8))) == 0)
	    return (false);
    return (true);
}

/* smtpd_rbl_filter_free - destroy a pattern */

void    smtpd_rbl_filter_free(SMTPD_RBL_FILTER *filter)
{
    myfree(filter);
}

/* smtpd_rbl_reverse_addr - the DNSBL query prefix of an address */

bool    smtpd_rbl_reverse_addr(const char *addr, VSTRING *result)
{
    unsigned char bytes[16];
    int     i;

    VSTRING_RESET(result);
    if (inet_pton(AF_INET, addr, bytes) == 1) {
	vstring_sprintf(result, "%u.%u.%u.%u",
			bytes[3], bytes[2], bytes[1], bytes[0]);
	return (true);
    }
    if (inet_pton(AF_INET6, addr, bytes) != 1)
	return (false);
    if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *) bytes)) {
	vstring_sprintf(result, "%u.%u.%u.%u",
			bytes[15], bytes[14], bytes[13], bytes[12]);
	return (true);
    }
    for (i = 15; i >= 0; i--)
	vstring_sprintf_append(result, "%x.%x%s", bytes[i] & 0xf,
			       bytes[i] >> 4, i > 0 ? "." : "");
    return (true);
}

/* dsn_parts - 3 when text[0..len) is digit.d{1,3}.d{1,3}, else 0 */

static int dsn_parts(const char *text, size_t len)
{
    size_t  digits = 0;
    int     parts = 1;
    size_t  i;

    for (i = 0; i < len; i++) {
	if (text[i] == '.') {
	    if (digits == 0 || (parts == 1 && digits != 1))
		return (0);
	    parts++;
	    digits = 0;
	} else if (++digits > 3) {
	    return (0);
	}
    }
    return (parts == 3 && digits > 0 ? 3 : 0);
}

/* smtpd_rbl_reply_split - code, enhanced code and text of a reply */

int     smtpd_rbl_reply_split(const char *reply, int *code, VSTRING *dsn,
			              const char **text)
{
    const char *cp = reply;
    size_t  len;
    int     parts;

    if ((cp[0] != '4' && cp[0] != '5')
	|| cp[1] < '0' || cp[1] > '9' || cp[2] < '0' || cp[2] > '9'
	|| (cp[3] != ' ' && cp[3] != 0))
	return (-1);
    *code = (cp[0] - '0') * 100 + (cp[1] - '0') * 10 + (cp[2] - '0');
    cp += 3;
    while (*cp == ' ')
	cp++;
    /* An enhanced status code: class.subject.detail, class = code[0]. */
    len = strspn(cp, "0123456789.");
    parts = (cp[len] == ' ' || cp[len] == 0) ? dsn_parts(cp, len) : 0;
    if (parts == 3 && cp[0] != reply[0])
	parts = 0;
    if (parts == 3) {
	vstring_strncpy(dsn, cp, len);
	cp += len;
	while (*cp == ' ')
	    cp++;
    } else {
	vstring_strcpy(dsn, reply[0] == '4' ? "4.7.1" : "5.7.1");
    }
    *text = cp;
    return (0);
}

