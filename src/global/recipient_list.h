/*
 * recipient_list - the recipients of one delivery request
 *
 * SYNOPSIS
 *	#include "recipient_list.h"
 *
 *	typedef struct RECIPIENT {
 *	    long    offset;		queue-file offset of its R record
 *	    char   *address;		recipient (internal form)
 *	    char   *orig_addr;		original recipient, "" when none
 *	    char   *dsn_orcpt;		DSN ORCPT "type;address", or ""
 *	    int     dsn_notify;		DSN_NOTIFY_* mask, 0 when not given
 *	} RECIPIENT;
 *
 *	typedef struct RECIPIENT_LIST {
 *	    RECIPIENT *info;
 *	    int     len;
 *	    int     avail;
 *	} RECIPIENT_LIST;
 *
 *	void	recipient_list_init(RECIPIENT_LIST *list);
 *	void	recipient_list_add(RECIPIENT_LIST *list, long offset,
 *				const char *dsn_orcpt, int dsn_notify,
 *				const char *orig_addr, const char *address);
 *	void	recipient_list_swap(RECIPIENT_LIST *a, RECIPIENT_LIST *b);
 *	void	recipient_list_free(RECIPIENT_LIST *list);
 *
 * DESCRIPTION
 *	A growing array of recipients; the strings are copies owned by
 *	the list. NULL strings are stored as "". recipient_list_swap()
 *	exchanges two lists' contents (qmgr moves recipients between
 *	entries without copying).
 *
 *	The DSN_NOTIFY_* bits are the queue file's n record values
 *	(queue-file.md): 1 NEVER, 2 SUCCESS, 4 FAILURE, 8 DELAY.
 */
#ifndef RECIPIENT_LIST_H
#define RECIPIENT_LIST_H

#include "sys_defs.h"

#define DSN_NOTIFY_NEVER	1
#define DSN_NOTIFY_SUCCESS	2
#define DSN_NOTIFY_FAILURE	4
#define DSN_NOTIFY_DELAY	8

typedef struct RECIPIENT {
    long    offset;
    char   *address;
    char   *orig_addr;
    char   *dsn_orcpt;
    int     dsn_notify;
} RECIPIENT;

typedef struct RECIPIENT_LIST {
    RECIPIENT *info;
    int     len;
    int     avail;
} RECIPIENT_LIST;

extern void recipient_list_init(RECIPIENT_LIST *list);
extern void recipient_list_add(RECIPIENT_LIST *list, long offset,
			               const char *dsn_orcpt, int dsn_notify,
			               const char *orig_addr, const char *address);
extern void recipient_list_swap(RECIPIENT_LIST *a, RECIPIENT_LIST *b);
extern void recipient_list_free(RECIPIENT_LIST *list);

#endif
