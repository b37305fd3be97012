/*
 * smtpd_data_content - the DATA/BDAT content state machine of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd_data_content.h"
 *
 *	SMTPD_CONTENT *smtpd_content_create(int mode, bool dot_protocol,
 *				size_t line_limit, SMTPD_CONTENT_FN put,
 *				void *context);
 *	size_t	smtpd_content_feed(SMTPD_CONTENT *content,
 *				const char *data, size_t len);
 *	void	smtpd_content_chunk_end(SMTPD_CONTENT *content);
 *	void	smtpd_content_finish(SMTPD_CONTENT *content);
 *	bool	smtpd_content_done(const SMTPD_CONTENT *content);
 *	bool	smtpd_content_bare_lf(const SMTPD_CONTENT *content);
 *	long	smtpd_content_size(const SMTPD_CONTENT *content);
 *	void	smtpd_content_free(SMTPD_CONTENT *content);
 *	int	smtpd_content_mode(const char *value);
 *
 * DESCRIPTION
 *	This module turns the bytes that a client sends after DATA (or in
 *	BDAT chunks) into queue-file content records, without any I/O of
 *	its own, so that it can be tested and fuzzed without a socket.
 *
 *	smtpd_content_create() starts one message. mode is one of the
 *	SMTPD_BARE_LF_* values (smtpd_forbid_bare_newline, after
 *	smtpd_forbid_bare_newline_exclusions). dot_protocol is true for
 *	DATA (dot-stuffing and the end-of-data line) and false for BDAT.
 *	line_limit is $line_length_limit: a longer line goes out as
 *	REC_TYPE_PART records of that length, then its end as
 *	REC_TYPE_LINE. put() receives each record.
 *
 *	smtpd_content_feed() consumes input up to the end of the data
 *	(DATA) or all of it (BDAT) and returns how many bytes it took;
 *	bytes after the end-of-data line belong to the next command.
 *	smtpd_content_chunk_end() ends a BDAT chunk that is not the
 *	last: the unfinished line so far goes out as a partial record
 *	and counts (Postfix's "250 2.0.0 Ok: N bytes").
 *	smtpd_content_finish() ends a BDAT message: a last line without
 *	a line end is written as it is.
 *
 *	The rules, as Postfix 3.7.11 applies them (observed):
 *	-  <CR><LF> and a bare <LF> end a line; any other <CR> in a line
 *	   becomes a space, except that with mode NO every <CR> right
 *	   before the <LF> goes (".<CR><CR><LF>" then ends the data).
 *	-  DATA: a line "." ends the data. With mode NO any line end
 *	   counts; otherwise only "<CR><LF>.<CR><LF>" does, and a "." line
 *	   next to a bare <LF> is dropped. A line that starts with "." loses
 *	   that dot.
 *	-  A bare <LF> is remembered (smtpd_content_bare_lf()); with mode
 *	   REJECT the caller rejects the message at its end.
 *
 *	smtpd_content_size() is the message size as Postfix counts it:
 *	each line's length plus two. smtpd_content_mode() parses a
 *	smtpd_forbid_bare_newline value (-1: not valid).
 */
#ifndef SMTPD_DATA_CONTENT_H
#define SMTPD_DATA_CONTENT_H

#include "sys_defs.h"

#define SMTPD_BARE_LF_NO	0	/* any line end, any end-of-data */
#define SMTPD_BARE_LF_NORMALIZE	1	/* also "yes" */
#define SMTPD_BARE_LF_REJECT	2

typedef void (*SMTPD_CONTENT_FN) (void *context, int type,
				          const char *data, size_t len);
typedef struct SMTPD_CONTENT SMTPD_CONTENT;

extern SMTPD_CONTENT *smtpd_content_create(int mode, bool dot_protocol,
					           size_t line_limit,
					           SMTPD_CONTENT_FN put,
					           void *context);
extern size_t smtpd_content_feed(SMTPD_CONTENT *content, const char *data,
				         size_t len);
extern void smtpd_content_chunk_end(SMTPD_CONTENT *content);
extern void smtpd_content_finish(SMTPD_CONTENT *content);
extern bool smtpd_content_done(const SMTPD_CONTENT *content);
extern bool smtpd_content_bare_lf(const SMTPD_CONTENT *content);
extern long smtpd_content_size(const SMTPD_CONTENT *content);
extern void smtpd_content_free(SMTPD_CONTENT *content);
extern int smtpd_content_mode(const char *value);

#endif
