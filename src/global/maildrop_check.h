/*
 * maildrop_check - what a maildrop file may say, record by record
 *
 * SYNOPSIS
 *	#include "maildrop_check.h"
 *
 *	bool	maildrop_check_record(int type, const char *data, size_t len,
 *				VSTRING *why);
 *	bool	maildrop_attr_known(const char *name);
 *
 *	#define MAILDROP_ATTR_*	"rewrite_context", "encoding", ...
 *
 * DESCRIPTION
 *	A maildrop file (docs/internals/queue-file.md section 6) is
 *	written by an untrusted user. queue_file_read(3) checks its
 *	structure (record syntax, types, order, the final Z);
 *	maildrop_check_record() adds what the data of each record may
 *	hold, so that postdrop(1) refuses bad input before it reaches the
 *	queue and pickup(8) refuses a file dropped in by other means:
 *
 *	- envelope records (T, F, A, R, V) hold no null byte, CR or LF;
 *	- V (VERP delimiters) holds at most MAILDROP_VERP_LIMIT bytes;
 *	  whether they are good is cleanup(8)'s to say, as in Postfix;
 *	- F holds at most MAILDROP_ADDR_LIMIT bytes; R is not empty and
 *	  holds at most MAILDROP_ADDR_LIMIT bytes;
 *	- A is "name=value" with one of the names below and a value of
 *	  the right form: rewrite_context local|remote; encoding
 *	  7bit|8bit|8bitmime; full_name at most MAILDROP_NAME_LIMIT bytes;
 *	  dsn_ret 1|2; dsn_envid 1-100 printable ASCII bytes other than
 *	  space; dsn_notify a mask of 1..15 in which 1 (NEVER) stands
 *	  alone; trace_flags a decimal number below 2^31.
 *
 *	Content records (L, P) may hold any bytes; cleanup(8) decides.
 *	The result is false with a one-line reason in why ("record A:
 *	unknown attribute name \"x\"", "record R: empty recipient", ...).
 *
 *	maildrop_attr_known() tells whether name is one of the attribute
 *	names above.
 *
 * DIAGNOSTICS
 *	None; the caller logs the reason.
 */
#ifndef MAILDROP_CHECK_H
#define MAILDROP_CHECK_H

#include "sys_defs.h"
#include "vstring.h"

#define MAILDROP_ATTR_REWRITE_CONTEXT	"rewrite_context"
#define MAILDROP_ATTR_ENCODING		"encoding"
#define MAILDROP_ATTR_FULL_NAME		"full_name"
#define MAILDROP_ATTR_DSN_RET		"dsn_ret"
#define MAILDROP_ATTR_DSN_ENVID		"dsn_envid"
#define MAILDROP_ATTR_DSN_NOTIFY	"dsn_notify"
#define MAILDROP_ATTR_TRACE_FLAGS	"trace_flags"

#define MAILDROP_ADDR_LIMIT	4096	/* bytes in F or R data */
#define MAILDROP_NAME_LIMIT	1024	/* bytes in a full name */
#define MAILDROP_ENVID_LIMIT	100	/* bytes in a DSN envelope ID */
#define MAILDROP_VERP_LIMIT	100	/* bytes in a V record */

/* trace_flags bits: sendmail -v and -bv (values as Postfix logs them). */
#define MAILDROP_TRACE_RECORD	1024	/* -v: mail a delivery report */
#define MAILDROP_TRACE_VERIFY	512	/* -bv: verify only */

extern bool maildrop_check_record(int type, const char *data, size_t len,
				          VSTRING *why);
extern bool maildrop_attr_known(const char *name);

#endif
