/*
 * mynetworks - the default value of the mynetworks parameter
 *
 * DESCRIPTION
 *	See mynetworks.h.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "inet_addr_list.h"
#include "inet_addr_local.h"
#include "inet_net.h"
#include "inet_proto.h"
#include "mail_conf.h"
#include "mynetworks.h"

typedef bool (*MYNETWORKS_FORMAT_FN) (VSTRING *, const struct sockaddr *,
				              const struct sockaddr *, int);

/* mynetworks_host - host style: the address itself */
static bool mynetworks_host(VSTRING *result, const struct sockaddr *addr,
			            const struct sockaddr *mask, int flags)
{
    (void) mask;
    return inet_net_host_from_sockaddr(result, addr, flags);
}

/* mynetworks - list the networks of the local interfaces */
const char *mynetworks(void)
{
    static char *result;
    char   *style;
    char   *protocols;
    const INET_PROTO_INFO *proto;
    INET_ADDR_LIST addrs;
    INET_ADDR_LIST masks;
    MYNETWORKS_FORMAT_FN format;
    ARGV   *nets;
    VSTRING *net;
    size_t  n;
    size_t  m;

    if (result != NULL)
	return result;
    style = mail_conf_expand(mail_conf_lookup_raw("mynetworks_style"));
    if (strcasecmp(style, "host") == 0)
	format = mynetworks_host;
    else if (strcasecmp(style, "subnet") == 0)
	format = inet_net_from_sockaddr;
    else if (strcasecmp(style, "class") == 0)
	format = inet_net_class_from_sockaddr;
    else
	msg_fatal("unknown mynetworks_style value: %s", excerpt(style));
    protocols = mail_conf_expand(mail_conf_lookup_raw("inet_protocols"));
    proto = inet_proto_init("inet_protocols", protocols);
    inet_addr_list_init(&addrs);
    inet_addr_list_init(&masks);
    if (inet_addr_local(&addrs, &masks, proto->family_list) < 0)
	msg_fatal("cannot find the local interface addresses: %m");
    nets = argv_alloc(addrs.used);
    net = vstring_alloc(50);
    for (n = 0; n < addrs.used; n++) {
	if (!format(net, (struct sockaddr *) (addrs.addrs + n),
		    (struct sockaddr *) (masks.addrs + n),
		    INET_NET_FLAG_BRACKET_V6))
	    continue;
	for (m = 0; m < nets->argc; m++)
	    if (strcmp(nets->argv[m], vstring_str(net)) == 0)
		break;
	if (m == nets->argc)
	    argv_add(nets, vstring_str(net), ARGV_END);
    }
    result = argv_join(nets, " ");
    argv_free(nets);
    vstring_free(net);
    inet_addr_list_free(&addrs);
    inet_addr_list_free(&masks);
    myfree(style);
    myfree(protocols);
    return result;
}
