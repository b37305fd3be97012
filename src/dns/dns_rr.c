/*
 * dns_rr - DNS resource record lists: sort, shuffle, format, names
 *
 * SYNOPSIS
 *	#include "dns.h"
 *
 *	DNS_RR	*dns_rr_create(const char *qname, const char *rname,
 *				int type, unsigned ttl, const void *data,
 *				size_t data_len);
 *	DNS_RR	*dns_rr_sort_mx(DNS_RR *list);
 *	DNS_RR	*dns_rr_shuffle(DNS_RR *list);
 *	DNS_RR	*dns_rr_append(DNS_RR *list, DNS_RR *rr);
 *	void	dns_rr_free(DNS_RR *list);
 *	size_t	dns_rr_count(const DNS_RR *list);
 *	const char *dns_rr_to_pa(const DNS_RR *rr, VSTRING *buf);
 *	int	dns_rr_to_sockaddr(const DNS_RR *rr, unsigned port,
 *				struct sockaddr_storage *sa, socklen_t *len);
 *	const char *dns_type_name(int type);
 *	int	dns_type_code(const char *name);
 *	const char *dns_status_name(int status);
 *
 * DESCRIPTION
 *	dns_rr_create() makes one record (ours, additive to dns.h): the
 *	data is copied and NUL terminated (data_len does not count the
 *	NUL); the numeric fields other than ttl are zero.
 *
 *	dns_rr_sort_mx() sorts a list by preference (MX preference, SRV
 *	priority), lowest first. The sort is stable: records of equal
 *	preference keep their order, so a caller that wants them in random
 *	order (smtp_randomize_addresses) calls dns_rr_shuffle() first.
 *	For SRV lists records of equal priority are then ordered by
 *	descending weight.
 *
 *	dns_rr_shuffle() puts a list in random order (Fisher-Yates).
 *
 *	dns_rr_append() adds rr (which may itself be a list) at the end of
 *	list and returns the new head. dns_rr_free() frees a whole list;
 *	NULL is fine. dns_rr_count() counts the records.
 *
 *	dns_rr_to_pa() formats the address of an A or AAAA record as text
 *	into buf and returns it; for other types it returns NULL.
 *	dns_rr_to_sockaddr() builds the socket address of an A or AAAA
 *	record with the given port; 0 on success, -1 for other types.
 *
 *	dns_type_name() and dns_type_code() translate between record type
 *	numbers and their names ("MX"; codes without a name print as
 *	"TYPEnnn"; names are matched without regard to case; an unknown
 *	name is 0). dns_status_name() names a DNS_* result for logs.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "mymalloc.h"
#include "msg.h"
#include "vstring.h"
#include "dns.h"

typedef struct DNS_TYPE_NAME {
    int     code;
    const char *name;
} DNS_TYPE_NAME;

static const DNS_TYPE_NAME dns_type_table[] = {
    {DNS_T_A, "A"},
    {DNS_T_NS, "NS"},
    {DNS_T_CNAME, "CNAME"},
    {DNS_T_SOA, "SOA"},
    {DNS_T_PTR, "PTR"},
    {DNS_T_MX, "MX"},
    {DNS_T_TXT, "TXT"},
    {DNS_T_AAAA, "AAAA"},
    {DNS_T_SRV, "SRV"},
    {DNS_T_TLSA, "TLSA"},
    {0, NULL},
};

/* dns_rr_create - make one record with a private copy of its data */

DNS_RR *dns_rr_create(const char *qname, const char *rname, int type,
		              unsigned ttl, const void *data, size_t data_len)
{
    DNS_RR *rr = mycalloc(1, sizeof(*rr));

    rr->qname = mystrdup(qname);
    rr->rname = mystrdup(rname);
    rr->type = type;
    rr->ttl = ttl;
    rr->data = mymalloc(data_len + 1);
    if (data_len > 0)
	memcpy(rr->data, data, data_len);
    rr->data[data_len] = 0;
    rr->data_len = data_len;
    rr->next = NULL;
    return (rr);
}

/* dns_rr_free - free a list of records */

void    dns_rr_free(DNS_RR *list)
{
    DNS_RR *next;

    for (; list != NULL; list = next) {
	next = list->next;
	myfree(list->qname);
	myfree(list->rname);
	myfree(list->data);
	myfree(list);
    }
}

/* dns_rr_count - number of records in a list */

size_t  dns_rr_count(const DNS_RR *list)
{
    size_t  count = 0;

    for (; list != NULL; list = list->next)
	count++;
    return (count);
}

/* dns_rr_append - add a record (or list) at the end of a list */

DNS_RR *dns_rr_append(DNS_RR *list, DNS_RR *rr)
{
    DNS_RR *tail;

    if (list == NULL)
	return (rr);
    for (tail = list; tail->next != NULL; tail = tail->next)
	 /* void */ ;
    tail->next = rr;
    return (list);
}

/* dns_rr_to_array - the records of a list as an array, for sorting */

static DNS_RR **dns_rr_to_array(DNS_RR *list, size_t *count)
{
    DNS_RR **array;
    size_t  n;

    *count = dns_rr_count(list);
    array = mymalloc((*count + 1) * sizeof(*array));
    for (n = 0; list != NULL; list = list->next)
	array[n++] = list;
    return (array);
}

/* dns_rr_from_array - link an array of records into a list */

static DNS_RR *dns_rr_from_array(DNS_RR **array, size_t count)
{
    DNS_RR *head = NULL;
    size_t  n;

    for (n = count; n > 0; n--) {
	array[n - 1]->next = head;
	head = array[n - 1];
    }
    myfree(array);
    return (head);
}

/* dns_rr_compare_pref - order by preference, then SRV weight */

static int dns_rr_compare_pref(const DNS_RR *a, const DNS_RR *b)
{
    if (a->pref != b->pref)
	return (a->pref < b->pref ? -1 : 1);
    if (a->type == DNS_T_SRV && b->type == DNS_T_SRV && a->weight != b->weight)
	return (a->weight > b->weight ? -1 : 1);
    return (0);
}

/* dns_rr_sort_mx - stable sort by preference, lowest first */

DNS_RR *dns_rr_sort_mx(DNS_RR *list)
{
    DNS_RR **array;
    DNS_RR *rr;
    size_t  count;
    size_t  i;
    size_t  j;

    array = dns_rr_to_array(list, &count);
    /* Insertion sort: stable, and DNS_MAX_RR bounds the count. */
    for (i = 1; i < count; i++) {
	rr = array[i];
	for (j = i; j > 0 && dns_rr_compare_pref(array[j - 1], rr) > 0; j--)
	    array[j] = array[j - 1];
	array[j] = rr;
    }
    return (dns_rr_from_array(array, count));
}

/* dns_rr_shuffle - put a list in random order */

DNS_RR *dns_rr_shuffle(DNS_RR *list)
{
    DNS_RR **array;
    DNS_RR *rr;
    size_t  count;
    size_t  i;
    size_t  j;

    array = dns_rr_to_array(list, &count);
    for (i = count; i > 1; i--) {
	j = (size_t) random() % i;
	rr = array[i - 1];
	array[i - 1] = array[j];
	array[j] = rr;
    }
    return (dns_rr_from_array(array, count));
}

/* dns_rr_to_pa - printable address of an A or AAAA record */

const char *dns_rr_to_pa(const DNS_RR *rr, VSTRING *buf)
{
    char    text[INET6_ADDRSTRLEN];

    if (rr->type == DNS_T_A && rr->data_len == 4) {
	if (inet_ntop(AF_INET, rr->data, text, sizeof(text)) == NULL)
	    return (NULL);
    } else if (rr->type == DNS_T_AAAA && rr->data_len == 16) {
	if (inet_ntop(AF_INET6, rr->data, text, sizeof(text)) == NULL)
	    return (NULL);
    } else {
	return (NULL);
    }
    vstring_strcpy(buf, text);
    return (vstring_str(buf));
}

/* dns_rr_to_sockaddr - socket address of an A or AAAA record */

int     dns_rr_to_sockaddr(const DNS_RR *rr, unsigned port,
			           struct sockaddr_storage *sa,
			           socklen_t *len)
{
    struct sockaddr_in *sin = (struct sockaddr_in *) sa;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) sa;

    memset(sa, 0, sizeof(*sa));
    if (rr->type == DNS_T_A && rr->data_len == 4) {
	sin->sin_family = AF_INET;
	sin->sin_port = htons((unsigned short) port);
	memcpy(&sin->sin_addr, rr->data, 4);
	*len = sizeof(*sin);
    } else if (rr->type == DNS_T_AAAA && rr->data_len == 16) {
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((unsigned short) port);
	memcpy(&sin6->sin6_addr, rr->data, 16);
	*len = sizeof(*sin6);
    } else {
	return (-1);
    }
    return (0);
}

/* dns_type_name - name of a record type */

const char *dns_type_name(int type)
{
    static VSTRING *unknown;
    const DNS_TYPE_NAME *tp;

    for (tp = dns_type_table; tp->name != NULL; tp++)
	if (tp->code == type)
	    return (tp->name);
    if (unknown == NULL)
	unknown = vstring_alloc(16);
    vstring_sprintf(unknown, "TYPE%d", type);
    return (vstring_str(unknown));
}

/* dns_type_code - record type of a name, 0 when unknown */

int     dns_type_code(const char *name)
{
    const DNS_TYPE_NAME *tp;

    for (tp = dns_type_table; tp->name != NULL; tp++)
	if (strcasecmp(tp->name, name) == 0)
	    return (tp->code);
    return (0);
}

/* dns_status_name - name of a DNS_* result */

const char *dns_status_name(int status)
{
    switch (status) {
    case DNS_OK:
	return ("DNS_OK");
    case DNS_NOTFOUND:
	return ("DNS_NOTFOUND");
    case DNS_NOTEXIST:
	return ("DNS_NOTEXIST");
    case DNS_RETRY:
	return ("DNS_RETRY");
    case DNS_FAIL:
	return ("DNS_FAIL");
    case DNS_INVAL:
	return ("DNS_INVAL");
    default:
	return ("DNS_UNKNOWN");
    }
}
