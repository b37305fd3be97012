/*
 * mynetworks - the default value of the mynetworks parameter
 *
 * SYNOPSIS
 *	#include "mynetworks.h"
 *
 *	const char *mynetworks(void);
 *
 * DESCRIPTION
 *	mynetworks() lists the networks of this host's interfaces as
 *	Postfix does for the mynetworks default, according to
 *	mynetworks_style: "host" gives each interface address (/32 or
 *	/128), "subnet" the network of each interface (address and netmask)
 *	and "class" the classful IPv4 network of each interface (the netmask
 *	for IPv6). Only the address families enabled by inet_protocols are
 *	listed. Entries are separated by one space, duplicates removed,
 *	IPv6 networks written as "[addr]/len". The result is computed once.
 *
 * DIAGNOSTICS
 *	Fatal: unknown mynetworks_style value, bad inet_protocols value,
 *	failure to list the interfaces.
 */
#ifndef MYNETWORKS_H
#define MYNETWORKS_H

extern const char *mynetworks(void);

#endif
