/*
 * dsn - the delivery status of one recipient
 *
 * SYNOPSIS
 *	#include "dsn.h"
 *
 *	typedef struct DSN {
 *	    const char *status;		RFC 3463 code "4.2.2"
 *	    const char *action;		RFC 3464 "failed", "delayed",
 *					"delivered", "relayed", "expanded"
 *	    const char *reason;		text: the log line's "(...)"
 *	    const char *dtype;		diagnostic type "smtp", or ""
 *	    const char *dtext;		diagnostic text "550 5.1.1 ...", or ""
 *	    const char *mtype;		remote MTA type "dns", or ""
 *	    const char *mname;		remote MTA name, or ""
 *	} DSN;
 *
 *	DSN	*dsn_simple(DSN *dsn, const char *status, const char *reason);
 *	DSN	*dsn_copy(const DSN *dsn);
 *	void	dsn_free(DSN *dsn);
 *	bool	dsn_valid_status(const char *status);
 *	const char *dsn_action_of(const char *status);
 *
 *	typedef struct DSN_BUF { VSTRING *status, *action, *reason,
 *				*dtype, *dtext, *mtype, *mname; } DSN_BUF;
 *	DSN_BUF *dsb_create(void);
 *	DSN_BUF *dsb_update(DSN_BUF *dsb, const char *status,
 *				const char *action, const char *mtype,
 *				const char *mname, const char *dtype,
 *				const char *dtext, const char *format, ...);
 *	DSN_BUF *dsb_simple(DSN_BUF *dsb, const char *status,
 *				const char *format, ...);
 *	DSN	*dsb_dsn(DSN_BUF *dsb, DSN *dsn);
 *	void	dsb_free(DSN_BUF *dsb);
 *
 * DESCRIPTION
 *	A DSN points to strings the caller owns (a DSN_BUF, constants),
 *	except one made by dsn_copy(), which owns copies (dsn_free()).
 *
 *	dsn_simple() fills dsn with status and reason, the action that
 *	the status class implies (dsn_action_of(): 2 delivered, 4
 *	delayed, 5 failed) and empty diagnostic and MTA fields; it
 *	returns dsn.
 *
 *	dsn_valid_status() accepts "class.subject.detail" with class 2,
 *	4 or 5, subject 1-3 digits, detail 1-3 digits (RFC 3463).
 *
 *	A DSN_BUF is the writable form an agent fills while it works
 *	(dsb_update() with every field, dsb_simple() with status and
 *	reason only) and turns into a DSN for the status functions with
 *	dsb_dsn() (the DSN points into the buffer).
 */
#ifndef DSN_H
#define DSN_H

#include "sys_defs.h"
#include "vstring.h"

typedef struct DSN {
    const char *status;
    const char *action;
    const char *reason;
    const char *dtype;
    const char *dtext;
    const char *mtype;
    const char *mname;
} DSN;

typedef struct DSN_BUF {
    VSTRING *status;
    VSTRING *action;
    VSTRING *reason;
    VSTRING *dtype;
    VSTRING *dtext;
    VSTRING *mtype;
    VSTRING *mname;
} DSN_BUF;

extern DSN *dsn_simple(DSN *dsn, const char *status, const char *reason);
extern DSN *dsn_copy(const DSN *dsn);
extern void dsn_free(DSN *dsn);
extern bool dsn_valid_status(const char *status);
extern const char *dsn_action_of(const char *status);

extern DSN_BUF *dsb_create(void);
extern DSN_BUF *PRINTFLIKE(8, 9) dsb_update(DSN_BUF *dsb, const char *status,
				               const char *action, const char *mtype,
				               const char *mname, const char *dtype,
				               const char *dtext, const char *format,...);
extern DSN_BUF *PRINTFLIKE(3, 4) dsb_simple(DSN_BUF *dsb, const char *status,
					            const char *format,...);
extern DSN *dsb_dsn(DSN_BUF *dsb, DSN *dsn);
extern void dsb_free(DSN_BUF *dsb);

#endif
