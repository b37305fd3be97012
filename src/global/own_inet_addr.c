/*
 * own_inet_addr - the addresses this mail system receives mail on
 *
 * SYNOPSIS
 *	#include "own_inet_addr.h"
 *
 *	const INET_ADDR_LIST *own_inet_addr_list(void);
 *	const INET_ADDR_LIST *proxy_inet_addr_list(void);
 *	bool	own_inet_addr(const struct sockaddr *addr);
 *	void	own_inet_addr_reset(void);
 *
 * DESCRIPTION
 *	own_inet_addr_list() returns the addresses of $inet_interfaces:
 *	"all" gives every local interface address of the families of
 *	inet_protocols, "loopback-only" 127.0.0.1 and ::1 (of the enabled
 *	families), and any other item (optionally in "[]") is a host
 *	name or address whose addresses are looked up. proxy_inet_addr_list()
 *	does the same for $proxy_interfaces ("all" and "loopback-only"
 *	mean nothing special there). Both lists are made on first use and
 *	kept until own_inet_addr_reset() (tests, after a change of main.cf).
 *
 *	own_inet_addr() tells whether addr (port ignored) is in either
 *	list: the SMTP client's "mail for X loops back to myself" test.
 *
 * DIAGNOSTICS
 *	Warning: an item that does not resolve ("inet_interfaces: host
 *	not found: NAME"); the item is skipped.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>
#include <netdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "excerpt.h"
#include "inet_addr_list.h"
#include "inet_addr_local.h"
#include "inet_proto.h"
#include "myaddrinfo.h"
#include "mail_params.h"
#include "own_inet_addr.h"

static INET_ADDR_LIST *own_list;
static INET_ADDR_LIST *proxy_list;

/* own_inet_addr_host - append the addresses of one list item */

static void own_inet_addr_host(INET_ADDR_LIST *list, const char *param,
			               const char *item)
{
    struct addrinfo *res = NULL;
    struct addrinfo *ai;
    VSTRING *name = vstring_alloc(100);
    size_t  len = strlen(item);

    if (len > 2 && item[0] == '[' && item[len - 1] == ']')
	vstring_strncpy(name, item + 1, len - 2);
    else
	vstring_strcpy(name, item);
    if (hostname_to_sockaddr(vstring_str(name), NULL, SOCK_STREAM, &res) != 0) {
	msg_warn("%s: host not found: %s", param, excerpt(item));
    } else {
	for (ai = res; ai != NULL; ai = ai->ai_next)
	    if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
		inet_addr_list_append(list, ai->ai_addr);
	freeaddrinfo(res);
    }
    vstring_free(name);
}

/* own_inet_addr_make - the address list of one interface parameter */

static INET_ADDR_LIST *own_inet_addr_make(const char *param,
					          const char *value,
					          bool keywords)
{
    INET_ADDR_LIST *list = mymalloc(sizeof(*list));
    const INET_PROTO_INFO *proto = inet_proto_info();
    ARGV   *items = argv_split(value, CHARS_COMMA_SP);
    size_t  n;

    inet_addr_list_init(list);
    for (n = 0; n < items->argc; n++) {
	if (keywords && strcasecmp(items->argv[n], "all") == 0) {
	    (void) inet_addr_local(list, NULL, proto->family_list);
	} else if (keywords
		   && strcasecmp(items->argv[n], "loopback-only") == 0) {
	    if (proto->mask & INET_PROTO_MASK_IPV4)
		own_inet_addr_host(list, param, "127.0.0.1");
	    if (proto->mask & INET_PROTO_MASK_IPV6)
		own_inet_addr_host(list, param, "::1");
	} else {
	    own_inet_addr_host(list, param, items->argv[n]);
	}
    }
    argv_free(items);
    inet_addr_list_uniq(list);
    return (list);
}

/* own_inet_addr_list - the addresses of $inet_interfaces */

const INET_ADDR_LIST *own_inet_addr_list(void)
{
    if (own_list == NULL)
	own_list = own_inet_addr_make("inet_interfaces",
				      VAR_STR(inet_interfaces), true);
    return (own_list);
}

/* proxy_inet_addr_list - the addresses of $proxy_interfaces */

const INET_ADDR_LIST *proxy_inet_addr_list(void)
{
    if (proxy_list == NULL)
	proxy_list = own_inet_addr_make("proxy_interfaces",
					VAR_STR(proxy_interfaces), false);
    return (proxy_list);
}

/* own_inet_addr - whether an address is one this system listens on */

bool    own_inet_addr(const struct sockaddr *addr)
{
    return (inet_addr_list_contains(own_inet_addr_list(), addr)
	    || inet_addr_list_contains(proxy_inet_addr_list(), addr));
}

/* own_inet_addr_reset - forget both lists */

void    own_inet_addr_reset(void)
{
    INET_ADDR_LIST **lists[] = {&own_list, &proxy_list};
    size_t  n;

    for (n = 0; n < ARRAY_LEN(lists); n++) {
	if (*lists[n] != NULL) {
	    inet_addr_list_free(*lists[n]);
	    myfree(*lists[n]);
	    *lists[n] = NULL;
	}
    }
}
