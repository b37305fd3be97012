/*
 * dns_native - host address lookups through the C library
 *
 * SYNOPSIS
 *	#include "dns_native.h"
 *
 *	int	dns_native_lookup(const char *name, DNS_RR **rrlist,
 *				VSTRING *why);
 *
 * DESCRIPTION
 *	See dns_native.c. For smtp_host_lookup = native and for
 *	disable_dns_lookups = yes: the system's name service (nsswitch,
 *	/etc/hosts, the system resolver) instead of the DNS library.
 */
#ifndef DNS_NATIVE_H
#define DNS_NATIVE_H

#include "sys_defs.h"
#include "vstring.h"
#include "dns.h"

extern int dns_native_lookup(const char *name, DNS_RR **rrlist, VSTRING *why);

#endif
