/*
 * record - read and write one queue-file record
 *
 * SYNOPSIS
 *	#include "record.h"
 *
 *	int	record_put(VSTREAM *fp, int type, const void *data,
 *				size_t len);
 *	int	record_puts(VSTREAM *fp, int type, const char *text);
 *	int	record_fprintf(VSTREAM *fp, int type, const char *fmt, ...);
 *	int	record_get(VSTREAM *fp, VSTRING *data, size_t limit);
 *	const char *record_error(int status);
 *
 * DESCRIPTION
 *	A record is a type byte, a decimal length, a space, the data and
 *	a newline (docs/internals/queue-file.md section 1).
 *
 *	record_put() writes one record (through the stream's buffer; the
 *	caller flushes and syncs) and returns type, or RECORD_ERROR after
 *	a write error. record_puts() writes a string's bytes;
 *	record_fprintf() formats the data.
 *
 *	record_get() reads one record into data and returns its type,
 *	RECORD_EOF at the end of the file before a record starts, or
 *	one of the error codes below; the data is null-terminated as a
 *	convenience (it may hold null bytes itself). limit bounds the
 *	data length. record_error() names an error code for a log line
 *	("record too long", "truncated record", ...).
 *
 *	RECORD_EOF		end of file where a record could start
 *	RECORD_ERR_READ		read error or timeout
 *	RECORD_ERR_TYPE		the type byte is not a record type
 *	RECORD_ERR_LENGTH	the length is not 1-10 digits (no leading
 *				zero) and a space
 *	RECORD_ERR_LIMIT	the data is longer than limit
 *	RECORD_ERR_TRUNC	end of file inside the record
 *	RECORD_ERR_END		no newline after the data
 *
 *	All of these are negative; a record type is positive.
 */
#ifndef RECORD_H
#define RECORD_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"
#include "rec_type.h"

#define RECORD_ERROR		(-1)	/* record_put() */
#define RECORD_EOF		(-1)	/* record_get() */
#define RECORD_ERR_READ		(-2)
#define RECORD_ERR_TYPE		(-3)
#define RECORD_ERR_LENGTH	(-4)
#define RECORD_ERR_LIMIT	(-5)
#define RECORD_ERR_TRUNC	(-6)
#define RECORD_ERR_END		(-7)

extern int record_put(VSTREAM *fp, int type, const void *data, size_t len);
extern int record_puts(VSTREAM *fp, int type, const char *text);
extern int PRINTFLIKE(3, 4) record_fprintf(VSTREAM *fp, int type,
					           const char *fmt,...);
extern int record_get(VSTREAM *fp, VSTRING *data, size_t limit);
extern const char *record_error(int status);

#endif
