/*
 * recipient_list - the recipients of one delivery request
 *
 * SYNOPSIS
 *	See recipient_list.h.
 *
 * DESCRIPTION
 *	A RECIPIENT_LIST is an array that doubles when it is full; every
 *	string is a private copy, so the caller may free what it passed.
 *	An empty list holds no memory until the first recipient is added.
 *
 *	What it does not do: bound the number of recipients (the reader
 *	of a request does, deliver_request.c), or check addresses.
 *
 * DIAGNOSTICS
 *	Panic: a list that is not initialized (negative length or size),
 *	or more recipients than an int can count.
 */
#include "sys_defs.h"

#include <limits.h>

#include "msg.h"
#include "mymalloc.h"
#include "recipient_list.h"

/* recipient_list_init - an empty list */
void    recipient_list_init(RECIPIENT_LIST *list)
{
    list->info = NULL;
    list->len = 0;
    list->avail = 0;
}

/* recipient_list_add - append copies of one recipient's fields */
void    recipient_list_add(RECIPIENT_LIST *list, long offset,
			           const char *dsn_orcpt, int dsn_notify,
			           const char *orig_addr, const char *address)
{
    RECIPIENT *rcpt;

    if (list->len < 0 || list->avail < 0 || list->len > list->avail)
	msg_panic("recipient_list_add: bad list (len %d avail %d)",
		  list->len, list->avail);
    if (list->len == list->avail) {
	if (list->avail > INT_MAX / 2)
	    msg_panic("recipient_list_add: too many recipients");
	list->avail = list->avail ? 2 * list->avail : 1;
	list->info = myrealloc(list->info, list->avail * sizeof(*list->info));
    }
    rcpt = list->info + list->len++;
    rcpt->offset = offset;
    rcpt->address = mystrdup(address ? address : "");
    rcpt->orig_addr = mystrdup(orig_addr ? orig_addr : "");
    rcpt->dsn_orcpt = mystrdup(dsn_orcpt ? dsn_orcpt : "");
    rcpt->dsn_notify = dsn_notify;
}

/* recipient_list_swap - exchange the contents of two lists */
void    recipient_list_swap(RECIPIENT_LIST *a, RECIPIENT_LIST *b)
{
    RECIPIENT_LIST saved = *a;

    *a = *b;
    *b = saved;
}

/* recipient_list_free - free the recipients; the list is empty after */
void    recipient_list_free(RECIPIENT_LIST *list)
{
    int     n;

    for (n = 0; n < list->len; n++) {
	myfree(list->info[n].address);
	myfree(list->info[n].orig_addr);
	myfree(list->info[n].dsn_orcpt);
    }
    if (list->info != NULL)
	myfree(list->info);
    recipient_list_init(list);
}
