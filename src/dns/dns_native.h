/*
 * dns_native - host address lookups through the C library
 *
 * SYNOPSIS
 *	#include "dns_native.h"
 *
 *	int	dns_native_lookup(const char *name, DNS_RR **rrlist,
 *				VSTRING *why);
 *	int	dns_hosts_name(const char *addr, VSTRING *name);
 *	int	dns_hosts_addr(const char *name, const int *types,
 *				DNS_RR **rrlist);
 *	void	dns_hosts_file(const char *path);
 *
 * DESCRIPTION
 *	See dns_native.c. For smtp_host_lookup = native and for
 *	disable_dns_lookups = yes: the system's name service (nsswitch,
 *	/etc/hosts, the system resolver) instead of the DNS library.
 *	dns_hosts_*() (dns_hosts.c): the hosts file alone, for lookups
 *	that go "files, then the DNS library".
 */
#ifndef DNS_NATIVE_H
#define DNS_NATIVE_H

#include "sys_defs.h"
#include "vstring.h"
#include "dns.h"

extern int dns_native_lookup(const char *name, DNS_RR **rrlist, VSTRING *why);
extern int dns_hosts_name(const char *addr, VSTRING *name);
extern int dns_hosts_addr(const char *name, const int *types,
			          DNS_RR **rrlist);
extern void dns_hosts_file(const char *path);

#endif
