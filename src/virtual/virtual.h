/*
 * virtual - private interfaces of the virtual(8) delivery agent
 *
 * SYNOPSIS
 *	#include "virtual.h"
 *
 *	typedef struct VIRTUAL_USER { ... } VIRTUAL_USER;	(below)
 *
 *	int	virtual_mailbox(DELIVER_REQUEST *req, RECIPIENT *rcpt,
 *				const VIRTUAL_USER *user, DSN_BUF *why);
 *	int	virtual_maildir(DELIVER_REQUEST *req, RECIPIENT *rcpt,
 *				const VIRTUAL_USER *user, DSN_BUF *why);
 *
 * DESCRIPTION
 *	virtual.c finds the recipient's mailbox and owner; the two
 *	delivery functions write the message, with the user's effective
 *	ids, to a UNIX mailbox (virtual_mailbox.c) or to a maildir
 *	(virtual_maildir.c, the path ends in "/"). Each returns 0 with why
 *	set to the success text ("2.0.0 delivered to mailbox"), or -1
 *	with why set to the failure (class 4 or 5).
 */
#ifndef VIRTUAL_H
#define VIRTUAL_H

#include "sys_defs.h"
#include <sys/types.h>
#include "deliver_request.h"
#include "dsn.h"

typedef struct VIRTUAL_USER {
    const char *path;			/* mailbox file or maildir */
    uid_t   uid;
    gid_t   gid;
} VIRTUAL_USER;

extern int virtual_mailbox_lock_mask;	/* $virtual_mailbox_lock */

extern int virtual_mailbox(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			           const VIRTUAL_USER *user, DSN_BUF *why);
extern int virtual_maildir(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			           const VIRTUAL_USER *user, DSN_BUF *why);

#endif
