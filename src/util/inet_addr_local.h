/*
 * inet_addr_local - local interface addresses and netmasks
 *
 * SYNOPSIS
 *	#include "inet_addr_local.h"
 *
 *	int	inet_addr_local(INET_ADDR_LIST *addrs, INET_ADDR_LIST *masks,
 *				const int *family_list);
 *	int	inet_addr_local_scan(const struct ifaddrs *ifa_list,
 *				INET_ADDR_LIST *addrs, INET_ADDR_LIST *masks,
 *				const int *family_list);
 *
 * DESCRIPTION
 *	inet_addr_local() appends the address and the netmask of every
 *	local interface address whose family is in family_list (a list
 *	of AF_INET and/or AF_INET6 terminated by 0, such as
 *	inet_proto_info()->family_list) to addrs and masks. The two lists
 *	stay parallel: masks->addrs[i] belongs to addrs->addrs[i]. masks
 *	may be a null pointer. Addresses are taken from getifaddrs(3),
 *	including those of interfaces that are down, in the kernel's
 *	order, but with all IPv4 addresses before all IPv6 addresses (as
 *	Postfix lists them). An address that is already in addrs is not
 *	added again. An address without netmask gets an all-ones mask.
 *	Port numbers are 0; IPv6 link-local addresses keep their scope id.
 *
 *	inet_addr_local_scan() does the same work on a list that the
 *	caller provides (tests build their own interface lists).
 *
 *	Both return the number of addresses appended, or -1 after a
 *	warning when the interface list cannot be obtained.
 *
 * DIAGNOSTICS
 *	Warning: getifaddrs() failure.
 */
#ifndef INET_ADDR_LOCAL_H
#define INET_ADDR_LOCAL_H

#include "sys_defs.h"
#include <ifaddrs.h>

#include "inet_addr_list.h"

extern int inet_addr_local(INET_ADDR_LIST *addrs, INET_ADDR_LIST *masks,
			           const int *family_list);
extern int inet_addr_local_scan(const struct ifaddrs *ifa_list,
				        INET_ADDR_LIST *addrs,
				        INET_ADDR_LIST *masks,
				        const int *family_list);

#endif
