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
 *	See own_inet_addr.c: $inet_interfaces and $proxy_interfaces as
 *	address lists, and the membership test of the SMTP client's
 *	loop detection.
 */
#ifndef OWN_INET_ADDR_H
#define OWN_INET_ADDR_H

#include "sys_defs.h"
#include <sys/socket.h>

#include "inet_addr_list.h"

extern const INET_ADDR_LIST *own_inet_addr_list(void);
extern const INET_ADDR_LIST *proxy_inet_addr_list(void);
extern bool own_inet_addr(const struct sockaddr *addr);
extern void own_inet_addr_reset(void);

#endif
