/*
 * dsn - the delivery status of one recipient
 *
 * SYNOPSIS
 *	See dsn.h.
 *
 * DESCRIPTION
 *	A DSN is a set of string pointers; dsn_copy() makes one that owns
 *	its strings, as qmgr needs when it keeps the last reason of a
 *	dead destination after the agent's buffers are gone. A DSN_BUF
 *	owns seven growing strings that an agent overwrites as it works.
 *
 *	NULL fields of a DSN read as "" in dsn_copy(); dsb_dsn() never
 *	yields NULL fields.
 *
 *	What it does not do: check the fields (dsn_valid_status() is the
 *	caller's to use on what a peer sent), or format DSN messages
 *	(bounce(8) does).
 *
 * DIAGNOSTICS
 *	None; dsn_action_of() answers "failed" for a status whose class
 *	is not 2, 4 or 5.
 */
#include "sys_defs.h"

#include <stdarg.h>

#include "mymalloc.h"
#include "vstring.h"
#include "dsn.h"

#define DSN_DETAIL_DIGITS_MAX	3	/* RFC 3463: 1-3 digits per part */

/* dsn_action_of - the RFC 3464 action that a status class implies */
const char *dsn_action_of(const char *status)
{
    switch (status ? status[0] : 0) {
    case '2':
	return "delivered";
    case '4':
	return "delayed";
    default:
	return "failed";
    }
}

/* dsn_simple - status, reason and the implied action; no diagnostics */
DSN    *dsn_simple(DSN *dsn, const char *status, const char *reason)
{
    dsn->status = status;
    dsn->action = dsn_action_of(status);
    dsn->reason = reason;
    dsn->dtype = "";
    dsn->dtext = "";
    dsn->mtype = "";
    dsn->mname = "";
    return dsn;
}

/* dsn_copy_field - a private copy, "" for NULL */
static const char *dsn_copy_field(const char *value)
{
    return mystrdup(value ? value : "");
}

/* dsn_copy - a DSN that owns copies of every field */
DSN    *dsn_copy(const DSN *dsn)
{
    DSN    *copy = mymalloc(sizeof(*copy));

    copy->status = dsn_copy_field(dsn->status);
    copy->action = dsn_copy_field(dsn->action);
    copy->reason = dsn_copy_field(dsn->reason);
    copy->dtype = dsn_copy_field(dsn->dtype);
    copy->dtext = dsn_copy_field(dsn->dtext);
    copy->mtype = dsn_copy_field(dsn->mtype);
    copy->mname = dsn_copy_field(dsn->mname);
    return copy;
}

/* dsn_free - free a DSN made by dsn_copy() */
void    dsn_free(DSN *dsn)
{
    myfree((void *) dsn->status);
    myfree((void *) dsn->action);
    myfree((void *) dsn->reason);
    myfree((void *) dsn->dtype);
    myfree((void *) dsn->dtext);
    myfree((void *) dsn->mtype);
    myfree((void *) dsn->mname);
    myfree(dsn);
}

/* dsn_digits - count 1-3 decimal digits at *cp; 0 when there are none */
static int dsn_digits(const char **cp)
{
    int     count = 0;

    while (**cp >= '0' && **cp <= '9') {
	if (++count > DSN_DETAIL_DIGITS_MAX)
	    return 0;
	*cp += 1;
    }
    return count;
}

/* dsn_valid_status - "class.subject.detail", class 2, 4 or 5 */
bool    dsn_valid_status(const char *status)
{
    const char *cp = status;

    if (cp == NULL || (cp[0] != '2' && cp[0] != '4' && cp[0] != '5')
	|| cp[1] != '.')
	return false;
    cp += 2;
    if (dsn_digits(&cp) == 0 || *cp++ != '.')
	return false;
    if (dsn_digits(&cp) == 0 || *cp != 0)
	return false;
    return true;
}

/* dsb_create - an empty DSN buffer */
DSN_BUF *dsb_create(void)
{
    DSN_BUF *dsb = mymalloc(sizeof(*dsb));

    dsb->status = vstring_alloc(10);
    dsb->action = vstring_alloc(10);
    dsb->reason = vstring_alloc(100);
    dsb->dtype = vstring_alloc(10);
    dsb->dtext = vstring_alloc(100);
    dsb->mtype = vstring_alloc(10);
    dsb->mname = vstring_alloc(100);
    return dsb;
}

/* dsb_set - copy a field, "" for NULL */
static void dsb_set(VSTRING *field, const char *value)
{
    vstring_strcpy(field, value ? value : "");
}

/* dsb_update - set every field; the reason from format */
DSN_BUF *dsb_update(DSN_BUF *dsb, const char *status, const char *action,
		            const char *mtype, const char *mname,
		            const char *dtype, const char *dtext,
		            const char *format,...)
{
    va_list ap;

    dsb_set(dsb->status, status);
    dsb_set(dsb->action, action ? action : dsn_action_of(status));
    dsb_set(dsb->mtype, mtype);
    dsb_set(dsb->mname, mname);
    dsb_set(dsb->dtype, dtype);
    dsb_set(dsb->dtext, dtext);
    va_start(ap, format);
    vstring_vsprintf(dsb->reason, format, ap);
    va_end(ap);
    return dsb;
}

/* dsb_simple - status and reason; the implied action, no diagnostics */
DSN_BUF *dsb_simple(DSN_BUF *dsb, const char *status, const char *format,...)
{
    va_list ap;

    dsb_set(dsb->status, status);
    dsb_set(dsb->action, dsn_action_of(status));
    VSTRING_RESET(dsb->mtype);
    VSTRING_TERMINATE(dsb->mtype);
    VSTRING_RESET(dsb->mname);
    VSTRING_TERMINATE(dsb->mname);
    VSTRING_RESET(dsb->dtype);
    VSTRING_TERMINATE(dsb->dtype);
    VSTRING_RESET(dsb->dtext);
    VSTRING_TERMINATE(dsb->dtext);
    va_start(ap, format);
    vstring_vsprintf(dsb->reason, format, ap);
    va_end(ap);
    return dsb;
}

/* dsb_dsn - a DSN that points into the buffer */
DSN    *dsb_dsn(DSN_BUF *dsb, DSN *dsn)
{
    dsn->status = vstring_str(dsb->status);
    dsn->action = vstring_str(dsb->action);
    dsn->reason = vstring_str(dsb->reason);
    dsn->dtype = vstring_str(dsb->dtype);
    dsn->dtext = vstring_str(dsb->dtext);
    dsn->mtype = vstring_str(dsb->mtype);
    dsn->mname = vstring_str(dsb->mname);
    return dsn;
}

/* dsb_free - free a DSN buffer */
void    dsb_free(DSN_BUF *dsb)
{
    vstring_free(dsb->status);
    vstring_free(dsb->action);
    vstring_free(dsb->reason);
    vstring_free(dsb->dtype);
    vstring_free(dsb->dtext);
    vstring_free(dsb->mtype);
    vstring_free(dsb->mname);
    myfree(dsb);
}
