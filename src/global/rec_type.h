/*
 * rec_type - the record types of queue files and maildrop files
 *
 * SYNOPSIS
 *	#include "rec_type.h"
 *
 *	const char *rec_type_name(int type);
 *	bool	rec_type_valid(int type);
 *
 * DESCRIPTION
 *	One constant per record type of docs/internals/queue-file.md
 *	(section 3), which says what each record holds and where it may
 *	stand. rec_type_name() gives a type's name for diagnostics and
 *	postcat ("recipient", "sender", ...; "unknown" for anything
 *	else); rec_type_valid() tells whether a byte is one of these types.
 */
#ifndef REC_TYPE_H
#define REC_TYPE_H

#include "sys_defs.h"

#define REC_TYPE_FORMAT		'Q'	/* first record: format and version */
#define REC_TYPE_SIZE		'S'	/* second record: fixed-width sizes */
#define REC_TYPE_TIME		'T'	/* arrival time sec.usec */
#define REC_TYPE_FROM		'F'	/* envelope sender */
#define REC_TYPE_ATTR		'A'	/* name=value */
#define REC_TYPE_DSN_ENVID	'E'	/* DSN ENVID */
#define REC_TYPE_DSN_RET	'Y'	/* DSN RET */
#define REC_TYPE_WARN		'W'	/* delay warning time */
#define REC_TYPE_FILTER		'I'	/* content filter */
#define REC_TYPE_REDIRECT	'J'	/* redirect address */
#define REC_TYPE_VERP		'V'	/* VERP delimiters, two characters */
#define REC_TYPE_ORCP		'O'	/* original recipient */
#define REC_TYPE_DSN_ORCPT	'o'	/* DSN ORCPT */
#define REC_TYPE_DSN_NOTIFY	'n'	/* DSN NOTIFY mask */
#define REC_TYPE_RCPT		'R'	/* recipient to deliver */
#define REC_TYPE_DONE		'D'	/* recipient done */
#define REC_TYPE_MESSAGE	'M'	/* start of content */
#define REC_TYPE_LINE		'L'	/* (end of a) content line */
#define REC_TYPE_PART		'P'	/* partial line, continued */
#define REC_TYPE_EXTRACT	'X'	/* end of content, extracted segment */
#define REC_TYPE_END		'Z'	/* end of file */
#define REC_TYPE_FLGS		'f'	/* cleanup flags (client to cleanup only) */

#define REC_FORMAT_TEXT		"postel-queue 1"	/* data of Q */

#define REC_DSN_RET_FULL	1	/* Y data */
#define REC_DSN_RET_HDRS	2

#define REC_DSN_NOTIFY_NEVER	1	/* n data, bit mask */
#define REC_DSN_NOTIFY_SUCCESS	2
#define REC_DSN_NOTIFY_FAILURE	4
#define REC_DSN_NOTIFY_DELAY	8

extern const char *rec_type_name(int type);
extern bool rec_type_valid(int type);

#endif
