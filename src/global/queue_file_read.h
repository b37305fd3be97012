/*
 * queue_file_read - read and check a whole queue file or maildrop file
 *
 * SYNOPSIS
 *	#include "queue_file_read.h"
 *
 *	void	queue_file_info_init(QUEUE_FILE_INFO *info);
 *	void	queue_file_info_free(QUEUE_FILE_INFO *info);
 *	bool	queue_file_read(VSTREAM *fp, int kind, size_t limit,
 *				QUEUE_FILE_RECORD_FN fn, void *context,
 *				QUEUE_FILE_INFO *info);
 *	typedef bool (*QUEUE_FILE_RECORD_FN)(int type, const char *data,
 *				size_t len, off_t offset, void *context);
 *
 *	bool	queue_file_size_parse(const char *data, size_t len,
 *				QUEUE_FILE_SIZE *size);
 *	const char *queue_file_size_format(VSTRING *buf,
 *				const QUEUE_FILE_SIZE *size);
 *
 *	bool	queue_file_corrupt(const char *queue, const char *id,
 *				const char *what);
 *
 * DESCRIPTION
 *	queue_file_read() reads fp from its current position (normally
 *	the start) to the end, one record at a time with record_get() and
 *	data limit limit (QUEUE_FILE_LIMIT unless the caller knows
 *	better), and checks it against docs/internals/queue-file.md:
 *	kind QUEUE_FILE_KIND_QUEUE (sections 2-4),
 *	QUEUE_FILE_KIND_MAILDROP (section 6), or QUEUE_FILE_KIND_ANY
 *	(either: an S second record makes it a queue file, anything else
 *	a maildrop file; info->kind tells which). Offsets are counted
 *	from the stream position at the start (0 when the stream cannot
 *	tell, as on a pipe). The checks:
 *
 *	- every record is well formed (record_get());
 *	- the first record is Q with the data REC_FORMAT_TEXT;
 *	- queue files: S is the second record and has the exact fixed-
 *	  width layout of section 4; its content offset is the offset of
 *	  the M record and its content size the size of the content
 *	  (L data + 1, P data, summed);
 *	- the envelope starts Q S T A* F (maildrop: Q T F); T and F
 *	  appear once, T holds "seconds.microseconds";
 *	- each record type stands only in its segment (envelope up to M,
 *	  content L/P up to X, extracted up to Z); maildrop files allow
 *	  only Q T F A R M L P X Z, in the order Q T F A* R* M (L|P)* X R* Z;
 *	- O, o and n records are followed by their R or D; a P record is
 *	  followed, in the content, by more P records and one L;
 *	- Z is the last record, and nothing follows it.
 *
 *	Which attribute names a maildrop file may carry (section 6) is
 *	pickup's check, not this module's.
 *
 *	For each record that passes, fn (when not NULL) is called with
 *	the record type, data (null-terminated; may hold null bytes),
 *	length and the offset where the record starts; it returns false to
 *	stop reading. So a reader can act on a file as it checks it
 *	(postcat prints up to the damage), or check a whole file first and
 *	then read it again (pickup, which must not send half a file).
 *
 *	The result is true for a complete, well-formed file. info (which
 *	must not be NULL) receives what was learned: the error kind
 *	(QUEUE_FILE_OK or a QUEUE_FILE_ERR_* code), a one-line text of
 *	what is wrong in why ("bad record type 0x07 at offset 123",
 *	"missing end record", "data after end record", "bad size record",
 *	"first record is not Q", "record F out of order at offset 40",
 *	...), the offset of the damage, the S record, the number of R and
 *	D records and the offset after Z. QUEUE_FILE_ERR_READ (an I/O
 *	error or timeout, not damage) must not lead to the corrupt queue;
 *	QUEUE_FILE_ERR_CALLER means fn stopped the read. Call
 *	queue_file_info_init() before and queue_file_info_free() after use.
 *
 *	queue_file_size_parse() parses S data into size; false unless it is
 *	exactly six fields at the widths of section 4 (65 bytes), decimal,
 *	non-negative, body type 0-2 and SMTPUTF8 0-7.
 *	queue_file_size_format() writes the 65-byte S data of size into
 *	buf, for writers (cleanup).
 *
 *	queue_file_corrupt() logs "warning: <id>: <what>: move to the
 *	corrupt queue" and moves the file from queue into corrupt/ with
 *	mail_queue_rename(); false (with a warning saying why) when the
 *	move fails.
 *
 *	This module does not lock the file, decode attribute values or
 *	addresses, or check the recipient count of the S record (delivery
 *	agents turn R into D in place).
 *
 * DIAGNOSTICS
 *	queue_file_read() logs nothing; queue_file_corrupt() logs as
 *	above.
 */
#ifndef QUEUE_FILE_READ_H
#define QUEUE_FILE_READ_H

#include "sys_defs.h"
#include <sys/types.h>
#include "vstream.h"
#include "vstring.h"

#define QUEUE_FILE_KIND_QUEUE		1
#define QUEUE_FILE_KIND_MAILDROP	2
#define QUEUE_FILE_KIND_ANY		3	/* decided by the second record */

/* Default record data limit: writers split longer lines into P records. */
#define QUEUE_FILE_LIMIT		(64 * 1024)

/* S record fields (docs/internals/queue-file.md section 4). */
typedef struct QUEUE_FILE_SIZE {
    long long content_size;		/* bytes of content */
    long long content_offset;		/* offset of the M record */
    long    rcpt_count;			/* R records written */
    long    qflags;			/* QUEUE_FILE_FLAG_* */
    int     body_type;			/* QUEUE_FILE_BODY_* */
    int     smtputf8;			/* QUEUE_FILE_UTF8_* mask */
} QUEUE_FILE_SIZE;

#define QUEUE_FILE_SIZE_LEN	65	/* S data length */
#define QUEUE_FILE_FLAG_HOLD	1	/* held by a HOLD action */
#define QUEUE_FILE_FLAG_EXPIRE	2	/* postsuper -e/-f: force expiration */
#define QUEUE_FILE_BODY_7BIT	0
#define QUEUE_FILE_BODY_8BITMIME 1
#define QUEUE_FILE_BODY_BINARYMIME 2
#define QUEUE_FILE_UTF8_REQUESTED 1	/* client asked, or autodetected */
#define QUEUE_FILE_UTF8_HEADER	2	/* UTF-8 in a header */
#define QUEUE_FILE_UTF8_SENDER	4	/* UTF-8 in the envelope sender */

/* Error kinds. */
#define QUEUE_FILE_OK		0
#define QUEUE_FILE_ERR_READ	1	/* I/O error: not damage */
#define QUEUE_FILE_ERR_RECORD	2	/* malformed record */
#define QUEUE_FILE_ERR_FIRST	3	/* first record is not Q */
#define QUEUE_FILE_ERR_SIZE	4	/* bad or inconsistent S record */
#define QUEUE_FILE_ERR_ORDER	5	/* record out of place */
#define QUEUE_FILE_ERR_NO_END	6	/* end of file before Z */
#define QUEUE_FILE_ERR_AFTER_END 7	/* data after Z */
#define QUEUE_FILE_ERR_CALLER	8	/* the callback stopped */

typedef struct QUEUE_FILE_INFO {
    int     kind;			/* QUEUE_FILE_KIND_*, ANY resolved */
    int     error;			/* QUEUE_FILE_OK or _ERR_* */
    VSTRING *why;			/* error text */
    off_t   error_offset;		/* where the damage was found */
    bool    have_size;			/* size is valid */
    QUEUE_FILE_SIZE size;		/* the S record */
    long    rcpt_todo;			/* R records */
    long    rcpt_done;			/* D records */
    off_t   end_offset;			/* offset after Z */
} QUEUE_FILE_INFO;

typedef bool (*QUEUE_FILE_RECORD_FN) (int type, const char *data,
				              size_t len, off_t offset,
				              void *context);

extern void queue_file_info_init(QUEUE_FILE_INFO *info);
extern void queue_file_info_free(QUEUE_FILE_INFO *info);
extern bool queue_file_read(VSTREAM *fp, int kind, size_t limit,
			            QUEUE_FILE_RECORD_FN fn, void *context,
			            QUEUE_FILE_INFO *info);
extern bool queue_file_size_parse(const char *data, size_t len,
				          QUEUE_FILE_SIZE *size);
extern const char *queue_file_size_format(VSTRING *buf,
				             const QUEUE_FILE_SIZE *size);
extern bool queue_file_corrupt(const char *queue, const char *id,
			               const char *what);

#endif
