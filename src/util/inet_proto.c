/*
 * inet_proto - which internet protocols (IPv4, IPv6) to use
 *
 * DESCRIPTION
 *	See inet_proto.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "inet_proto.h"

static const struct inet_proto_family {
    const char *label;			/* for warnings */
    int     mask;
    int     family;
    unsigned dns_type;
} inet_proto_families[] = {
    {"IPv4", INET_PROTO_MASK_IPV4, AF_INET, INET_PROTO_DNS_A},
    {"IPv6", INET_PROTO_MASK_IPV6, AF_INET6, INET_PROTO_DNS_AAAA},
};

static int inet_proto_probed = -1;	/* kernel mask, -1: not yet */
static int inet_proto_probe_errno[2];	/* why a family is missing */
static INET_PROTO_INFO inet_proto_current;
static bool inet_proto_initialized;

/* inet_proto_parse - value to address family lists */
bool    inet_proto_parse(INET_PROTO_INFO *info, const char *context,
			         const char *value, int kernel_mask, VSTRING *why)
{
    char   *saved = mystrdup(value);
    char   *bp = saved;
    char   *word;
    int     mask = 0;
    size_t  n;
    size_t  used = 0;

    while ((word = mystrtok(&bp, CHARS_COMMA_SP)) != NULL) {
	if (strcasecmp(word, "ipv4") == 0) {
	    mask |= INET_PROTO_MASK_IPV4;
	} else if (strcasecmp(word, "ipv6") == 0) {
	    mask |= INET_PROTO_MASK_IPV6;
	} else if (strcasecmp(word, "all") == 0) {
	    mask |= INET_PROTO_MASK_ALL;
	} else {
	    vstring_sprintf(why, "unknown %s value \"%s\" in \"%s\"",
			    context, excerpt(word), excerpt(value));
	    myfree(saved);
	    return false;
	}
    }
    myfree(saved);

    memset(info, 0, sizeof(*info));
    for (n = 0; n < ARRAY_LEN(inet_proto_families); n++) {
	const struct inet_proto_family *fp = inet_proto_families + n;

	if ((mask & fp->mask) == 0)
	    continue;
	if ((kernel_mask & fp->mask) == 0) {
	    msg_warn("%s: disabling %s name/address support: %s", context,
		     fp->label, strerror(inet_proto_probe_errno[n] ?
					 inet_proto_probe_errno[n] :
					 EAFNOSUPPORT));
	    continue;
	}
	info->mask |= fp->mask;
	info->family_list[used] = fp->family;
	info->dns_atype_list[used] = fp->dns_type;
	used++;
    }
    info->ai_family = (used == 1 ? info->family_list[0] : AF_UNSPEC);
    return true;
}

/* inet_proto_kernel_mask - probe which families socket(2) supports */
int     inet_proto_kernel_mask(void)
{
    size_t  n;
    int     sock;

    if (inet_proto_probed >= 0)
	return inet_proto_probed;
    inet_proto_probed = 0;
    for (n = 0; n < ARRAY_LEN(inet_proto_families); n++) {
	sock = socket(inet_proto_families[n].family, SOCK_STREAM, 0);
	if (sock >= 0) {
	    (void) close(sock);
	    inet_proto_probed |= inet_proto_families[n].mask;
	} else {
	    inet_proto_probe_errno[n] = errno;
	}
    }
    return inet_proto_probed;
}

/* inet_proto_init - set the process-wide protocol selection */
const INET_PROTO_INFO *inet_proto_init(const char *context, const char *value)
{
    VSTRING *why = vstring_alloc(100);

    if (!inet_proto_parse(&inet_proto_current, context, value,
			  inet_proto_kernel_mask(), why))
	msg_fatal("%s", vstring_str(why));
    vstring_free(why);
    inet_proto_initialized = true;
    return &inet_proto_current;
}

/* inet_proto_info - the process-wide protocol selection */
const INET_PROTO_INFO *inet_proto_info(void)
{
    if (!inet_proto_initialized)
	return inet_proto_init("inet_protocols", "all");
    return &inet_proto_current;
}
