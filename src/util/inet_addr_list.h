/*
 * inet_addr_list - growable list of socket addresses
 *
 * SYNOPSIS
 *	#include "inet_addr_list.h"
 *
 *	typedef struct INET_ADDR_LIST {
 *	    size_t  used;
 *	    size_t  size;
 *	    struct sockaddr_storage *addrs;
 *	} INET_ADDR_LIST;
 *
 *	void	inet_addr_list_init(INET_ADDR_LIST *list);
 *	void	inet_addr_list_append(INET_ADDR_LIST *list,
 *				const struct sockaddr *addr);
 *	void	inet_addr_list_uniq(INET_ADDR_LIST *list);
 *	void	inet_addr_list_sort(INET_ADDR_LIST *list);
 *	void	inet_addr_list_free(INET_ADDR_LIST *list);
 *	int	inet_addr_list_compare(const struct sockaddr *a,
 *				const struct sockaddr *b);
 *	bool	inet_addr_list_contains(const INET_ADDR_LIST *list,
 *				const struct sockaddr *addr);
 *
 * DESCRIPTION
 *	An INET_ADDR_LIST holds copies of AF_INET and AF_INET6 socket
 *	addresses (in list->addrs[0 .. used-1]), for example the local
 *	interface addresses or the addresses that a service listens on.
 *	The structure lives in the caller's storage; only the array is
 *	allocated.
 *
 *	inet_addr_list_init() makes an empty list. inet_addr_list_append()
 *	copies one address (sockaddr_len() bytes) to the end.
 *
 *	inet_addr_list_compare() orders addresses by family (AF_INET
 *	first), then address bytes, then (IPv6) scope id, then port; it
 *	returns <0, 0 or >0 like strcmp().
 *
 *	inet_addr_list_uniq() removes every address that equals an
 *	earlier one in everything but the port, keeping the first
 *	occurrence and the original order (the order of mynetworks
 *	follows the interface order). inet_addr_list_sort() sorts with
 *	inet_addr_list_compare(). inet_addr_list_contains() tells whether
 *	an equal address (port ignored) is present.
 *
 *	inet_addr_list_free() releases the array and leaves an empty
 *	list that may be used again.
 *
 * DIAGNOSTICS
 *	Panic: an address family other than AF_INET or AF_INET6.
 */
#ifndef INET_ADDR_LIST_H
#define INET_ADDR_LIST_H

#include "sys_defs.h"
#include <sys/socket.h>

typedef struct INET_ADDR_LIST {
    size_t  used;			/* addresses in use */
    size_t  size;			/* allocated slots */
    struct sockaddr_storage *addrs;	/* the addresses */
} INET_ADDR_LIST;

extern void inet_addr_list_init(INET_ADDR_LIST *list);
extern void inet_addr_list_append(INET_ADDR_LIST *list,
				          const struct sockaddr *addr);
extern void inet_addr_list_uniq(INET_ADDR_LIST *list);
extern void inet_addr_list_sort(INET_ADDR_LIST *list);
extern void inet_addr_list_free(INET_ADDR_LIST *list);
extern int inet_addr_list_compare(const struct sockaddr *a,
				          const struct sockaddr *b);
extern bool inet_addr_list_contains(const INET_ADDR_LIST *list,
				            const struct sockaddr *addr);

#endif
