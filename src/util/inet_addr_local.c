/*
 * inet_addr_local - local interface addresses and netmasks
 *
 * DESCRIPTION
 *	See inet_addr_local.h.
 */
#include "sys_defs.h"

#include <string.h>
#include <netinet/in.h>

#include "msg.h"
#include "inet_addr_local.h"

/* family_listed - is family in the 0-terminated list? */
static bool family_listed(const int *family_list, int family)
{
    for (; *family_list != 0; family_list++)
	if (*family_list == family)
	    return true;
    return false;
}

/* full_mask - an all-ones netmask of the given family */
static void full_mask(struct sockaddr_storage *ss, int family)
{
    memset(ss, 0, sizeof(*ss));
    ss->ss_family = (sa_family_t) family;
    if (family == AF_INET)
	memset(&((struct sockaddr_in *) ss)->sin_addr, 0xff,
	       sizeof(struct in_addr));
    else
	memset(&((struct sockaddr_in6 *) ss)->sin6_addr, 0xff,
	       sizeof(struct in6_addr));
}

/* inet_addr_local_scan - collect addresses from an interface list */
int     inet_addr_local_scan(const struct ifaddrs *ifa_list,
			             INET_ADDR_LIST *addrs,
			             INET_ADDR_LIST *masks,
			             const int *family_list)
{
    static const int order[] = {AF_INET, AF_INET6};
    const struct ifaddrs *ifa;
    struct sockaddr_storage addr;
    struct sockaddr_storage mask;
    size_t  pass;
    int     found = 0;

    for (pass = 0; pass < ARRAY_LEN(order); pass++) {
	int     family = order[pass];
	size_t  len = (family == AF_INET ? sizeof(struct sockaddr_in)
		       : sizeof(struct sockaddr_in6));

	if (!family_listed(family_list, family))
	    continue;
	for (ifa = ifa_list; ifa != NULL; ifa = ifa->ifa_next) {
	    if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != family)
		continue;
	    memset(&addr, 0, sizeof(addr));
	    memcpy(&addr, ifa->ifa_addr, len);
	    if (family == AF_INET)
		((struct sockaddr_in *) &addr)->sin_port = 0;
	    else
		((struct sockaddr_in6 *) &addr)->sin6_port = 0;
	    if (inet_addr_list_contains(addrs, (struct sockaddr *) &addr))
		continue;
	    if (ifa->ifa_netmask != NULL
		&& ifa->ifa_netmask->sa_family == family) {
		memset(&mask, 0, sizeof(mask));
		memcpy(&mask, ifa->ifa_netmask, len);
	    } else {
		full_mask(&mask, family);
	    }
	    inet_addr_list_append(addrs, (struct sockaddr *) &addr);
	    if (masks != NULL)
		inet_addr_list_append(masks, (struct sockaddr *) &mask);
	    found++;
	}
    }
    return found;
}

/* inet_addr_local - collect the addresses of this host's interfaces */
int     inet_addr_local(INET_ADDR_LIST *addrs, INET_ADDR_LIST *masks,
			        const int *family_list)
{
    struct ifaddrs *ifa_list;
    int     found;

    if (getifaddrs(&ifa_list) < 0) {
	msg_warn("inet_addr_local: getifaddrs: %m");
	return -1;
    }
    found = inet_addr_local_scan(ifa_list, addrs, masks, family_list);
    freeifaddrs(ifa_list);
    return found;
}
