/*
 * cidr_match - parse and match "network/length" address patterns
 *
 * DESCRIPTION
 *	See cidr_match.h. Parsing works on a private copy of the pattern;
 *	matching allocates nothing.
 */
#include "sys_defs.h"

#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "mymalloc.h"
#include "inet_net.h"
#include "cidr_match.h"
#include "excerpt.h"

/* pattern_family - the family that the text looks like */
static int pattern_family(const char *text)
{
    return strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
}

/* set_geometry - family-dependent sizes */
static void set_geometry(CIDR_MATCH *info, int family)
{
    info->family = family;
    info->byte_count = (family == AF_INET6 ? 16 : 4);
}

/* parse_prefix_len - decimal length; -1: not digits; -2: too large */
static int parse_prefix_len(const char *text, int max_len)
{
    const char *cp;
    int     value = 0;

    if (*text == 0)
	return -1;
    for (cp = text; *cp; cp++)
	if (*cp < '0' || *cp > '9')
	    return -1;
    for (cp = text; *cp; cp++) {
	value = value * 10 + (*cp - '0');
	if (value > max_len)
	    return -2;
    }
    return value;
}

/* cidr_match_parse - parse one pattern */
bool    cidr_match_parse(CIDR_MATCH *info, const char *pattern, bool match,
			         VSTRING *why)
{
    char   *copy = mystrdup(pattern);
    char   *addr = copy;
    char   *mask_search;
    char   *mask;
    bool    ok = false;

    memset(info, 0, sizeof(*info));

    /* Strip brackets around the address or around the whole pattern. */
    if (*addr == '[') {
	char   *close;

	addr++;
	if ((close = strchr(addr, ']')) == NULL) {
	    vstring_sprintf(why, "missing ']' character after \"[%s\"",
			    excerpt(addr));
	    goto done;
	}
	*close = 0;
	mask_search = close + 1;
	if (*mask_search == 0) {
	    mask_search = addr;
	} else if (*mask_search != '/') {
	    vstring_sprintf(why, "garbage after \"[%s]\"", excerpt(addr));
	    goto done;
	}
    } else {
	mask_search = addr;
    }

    if ((mask = strchr(mask_search, '/')) != NULL) {
	const char *problem = NULL;

	*mask++ = 0;
	set_geometry(info, pattern_family(addr));
	info->prefix_len = parse_prefix_len(mask, (int) (8 * info->byte_count));
	if (info->prefix_len == -1)
	    problem = "bad mask value";
	else if (info->prefix_len == -2)
	    problem = "bad mask length";
	else if (inet_pton(info->family, addr, info->net_bytes) != 1)
	    problem = "bad network value";
	if (problem != NULL) {
	    vstring_sprintf(why, "%s in \"%s/%s\"", problem,
			    excerpt(addr), excerpt(mask));
	    goto done;
	}
	memset(info->mask_bytes, 0xff, info->byte_count);
	inet_net_mask(info->mask_bytes, info->byte_count, info->prefix_len);
	for (size_t n = 0; n < info->byte_count; n++) {
	    if (info->net_bytes[n] & ~info->mask_bytes[n]) {
		VSTRING *net = vstring_alloc(50);

		inet_net_format(net, info->family, info->net_bytes,
				info->prefix_len, INET_NET_FLAG_NONE);
		vstring_sprintf(why, "non-null host address bits in "
				"\"%s/%s\", perhaps you should use "
				"\"%s\" instead", excerpt(addr),
				excerpt(mask), vstring_str(net));
		vstring_free(net);
		goto done;
	    }
	}
    } else {
	set_geometry(info, pattern_family(addr));
	if (inet_pton(info->family, addr, info->net_bytes) != 1) {
	    vstring_sprintf(why, "bad address pattern: \"%s\"",
			    excerpt(addr));
	    goto done;
	}
	info->prefix_len = (int) (8 * info->byte_count);
	memset(info->mask_bytes, 0xff, info->byte_count);
    }
    info->match = match;
    ok = true;

done:
    myfree(copy);
    return ok;
}

/* match_bytes - apply one pattern to address bytes of its family */
static bool match_bytes(const CIDR_MATCH *info, const unsigned char *bytes)
{
    size_t  n;

    for (n = 0; n < info->byte_count; n++)
	if ((bytes[n] & info->mask_bytes[n]) != info->net_bytes[n])
	    return !info->match;
    return info->match;
}

/* cidr_match_execute - apply one pattern to address text */
bool    cidr_match_execute(const CIDR_MATCH *info, const char *addr)
{
    unsigned char bytes[16];
    int     family = pattern_family(addr);

    if (family != info->family || inet_pton(family, addr, bytes) != 1)
	return false;
    return match_bytes(info, bytes);
}

/* cidr_match_sockaddr - apply one pattern to a socket address */
bool    cidr_match_sockaddr(const CIDR_MATCH *info, const struct sockaddr *sa)
{
    if (sa->sa_family != info->family)
	return false;
    if (sa->sa_family == AF_INET)
	return match_bytes(info, (const unsigned char *)
			   &((const struct sockaddr_in *) sa)->sin_addr);
    return match_bytes(info,
		       ((const struct sockaddr_in6 *) sa)->sin6_addr.s6_addr);
}

/* cidr_match_format - canonical network text */
VSTRING *cidr_match_format(VSTRING *result, const CIDR_MATCH *info)
{
    return inet_net_format(result, info->family, info->net_bytes,
			   info->prefix_len, INET_NET_FLAG_NONE);
}
