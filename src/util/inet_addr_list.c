/*
 * inet_addr_list - growable list of socket addresses
 *
 * DESCRIPTION
 *	See inet_addr_list.h. inet_addr_list_uniq() is quadratic, which
 *	is fine for interface lists (tens of entries).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "msg.h"
#include "mymalloc.h"
#include "myaddrinfo.h"
#include "inet_addr_list.h"

/* inet_addr_list_init - empty list */
void    inet_addr_list_init(INET_ADDR_LIST *list)
{
    list->used = 0;
    list->size = 0;
    list->addrs = NULL;
}

/* inet_addr_list_append - copy one address to the end */
void    inet_addr_list_append(INET_ADDR_LIST *list, const struct sockaddr *addr)
{
    if (addr->sa_family != AF_INET && addr->sa_family != AF_INET6)
	msg_panic("inet_addr_list_append: bad address family %d",
		  addr->sa_family);
    if (list->used >= list->size) {
	list->size = list->size ? 2 * list->size : 4;
	list->addrs = myrealloc(list->addrs,
				list->size * sizeof(list->addrs[0]));
    }
    memset(list->addrs + list->used, 0, sizeof(list->addrs[0]));
    memcpy(list->addrs + list->used, addr, sockaddr_len(addr));
    list->used++;
}

/* compare_sign - turn a difference into -1, 0, 1 */
static int compare_sign(long diff)
{
    return (diff > 0) - (diff < 0);
}

/* compare_addr - compare family, address bytes and scope; not port */
static int compare_addr(const struct sockaddr *a, const struct sockaddr *b)
{
    int     cmp;

    if (a->sa_family != b->sa_family)
	return a->sa_family == AF_INET ? -1 : b->sa_family == AF_INET ? 1
	    : compare_sign((long) a->sa_family - (long) b->sa_family);
    if (a->sa_family == AF_INET) {
	return memcmp(&((const struct sockaddr_in *) a)->sin_addr,
		      &((const struct sockaddr_in *) b)->sin_addr,
		      sizeof(struct in_addr));
    } else {
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *) a;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *) b;

	if ((cmp = memcmp(&a6->sin6_addr, &b6->sin6_addr,
			  sizeof(struct in6_addr))) != 0)
	    return cmp;
	return compare_sign((long) a6->sin6_scope_id - (long) b6->sin6_scope_id);
    }
}

/* sockaddr_port - port number in host order */
static unsigned sockaddr_port(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
	return ntohs(((const struct sockaddr_in *) sa)->sin_port);
    return ntohs(((const struct sockaddr_in6 *) sa)->sin6_port);
}

/* inet_addr_list_compare - total order of socket addresses */
int     inet_addr_list_compare(const struct sockaddr *a,
			               const struct sockaddr *b)
{
    int     cmp;

    if ((cmp = compare_addr(a, b)) != 0)
	return cmp;
    return compare_sign((long) sockaddr_port(a) - (long) sockaddr_port(b));
}

/* inet_addr_list_contains - is an equal address present? */
bool    inet_addr_list_contains(const INET_ADDR_LIST *list,
				        const struct sockaddr *addr)
{
    size_t  n;

    for (n = 0; n < list->used; n++)
	if (compare_addr((const struct sockaddr *) (list->addrs + n), addr) == 0)
	    return true;
    return false;
}

/* inet_addr_list_uniq - drop later duplicates, keep order */
void    inet_addr_list_uniq(INET_ADDR_LIST *list)
{
    size_t  n;
    size_t  m;
    size_t  kept = 0;

    for (n = 0; n < list->used; n++) {
	for (m = 0; m < kept; m++)
	    if (compare_addr((struct sockaddr *) (list->addrs + m),
			     (struct sockaddr *) (list->addrs + n)) == 0)
		break;
	if (m == kept) {
	    if (kept != n)
		list->addrs[kept] = list->addrs[n];
	    kept++;
	}
    }
    list->used = kept;
}

/* qsort_compare - qsort adapter */
static int qsort_compare(const void *a, const void *b)
{
    return inet_addr_list_compare((const struct sockaddr *) a,
				  (const struct sockaddr *) b);
}

/* inet_addr_list_sort - sort in inet_addr_list_compare() order */
void    inet_addr_list_sort(INET_ADDR_LIST *list)
{
    if (list->used > 1)
	qsort(list->addrs, list->used, sizeof(list->addrs[0]), qsort_compare);
}

/* inet_addr_list_free - release storage, leave an empty list */
void    inet_addr_list_free(INET_ADDR_LIST *list)
{
    myfree(list->addrs);
    inet_addr_list_init(list);
}
