/*
 * cleanup_header_fn - pure helpers of cleanup(8) header processing
 *
 * SYNOPSIS
 *	#include "cleanup_header_fn.h"
 *
 *	const char *cleanup_header_value(const char *text, size_t len,
 *				size_t *value_len);
 *
 *	bool	cleanup_chars_strip(VSTRING *line, const char *set,
 *				size_t set_len);
 *	bool	cleanup_chars_find(const char *text, size_t len,
 *				const char *set, size_t set_len);
 *	bool	cleanup_chars_stray_cr_lf(VSTRING *line);
 *
 *	VSTRING	*cleanup_header_date(VSTRING *buf, time_t when);
 *	VSTRING	*cleanup_header_msgid(VSTRING *buf, time_t when,
 *				const char *queue_id, const char *hostname);
 *	VSTRING	*cleanup_header_from(VSTRING *buf, const char *name,
 *				const char *sender_external, bool obsolete);
 *	bool	cleanup_header_in_list(const char *name, size_t len,
 *				const char *list);
 *
 * DESCRIPTION
 *	These functions know Postfix's choices for the headers that
 *	cleanup edits or generates; they keep no state and log nothing,
 *	so that unit tests can drive them (tests/unit/
 *	test_cleanup_header_fn.c). Header names and the table of known
 *	headers are is_header(3) and header_opts(3) of src/mime.
 *
 *	cleanup_header_value() returns a pointer to the value after the
 *	':' and its leading blanks (newlines of folding included), and
 *	its length in value_len; NULL when text is not a header.
 *
 *	cleanup_chars_strip() removes every byte of set (set_len bytes,
 *	null bytes included) from line and tells whether it removed
 *	anything. cleanup_chars_find() tells whether text has a byte of
 *	set. cleanup_chars_stray_cr_lf()
 *	replaces each CR and LF in line by a space and tells whether
 *	there was one (cleanup_replace_stray_cr_lf).
 *
 *	cleanup_header_date() formats when as a Date: value in local
 *	time: "Sat,  5 Dec 2026 00:23:41 +0000 (UTC)" (mail_date(3), which
 *	pickup(8) uses for its Received: header).
 *	cleanup_header_msgid() formats a Message-Id: value from a time
 *	(UTC; cleanup passes the current time, as Postfix does), the queue
 *	ID and the host name:
 *	"<20261205002341.3F2A1B7E4@host.example>".
 *	cleanup_header_from() formats a From: value: "name <address>"
 *	(standard; the name quoted when it has specials) or "address
 *	(name)" (obsolete), or the address alone when name is NULL or
 *	empty. The address must be in external form.
 *
 *	cleanup_header_in_list() tells whether a header name (name, len)
 *	is in a comma/space-separated list such as message_drop_headers,
 *	ignoring case.
 */
#ifndef CLEANUP_HEADER_FN_H
#define CLEANUP_HEADER_FN_H

#include "sys_defs.h"
#include <time.h>
#include "vstring.h"

extern const char *cleanup_header_value(const char *text, size_t len,
					        size_t *value_len);
extern bool cleanup_chars_strip(VSTRING *line, const char *set,
				        size_t set_len);
extern bool cleanup_chars_find(const char *text, size_t len, const char *set,
			               size_t set_len);
extern bool cleanup_chars_stray_cr_lf(VSTRING *line);
extern VSTRING *cleanup_header_date(VSTRING *buf, time_t when);
extern VSTRING *cleanup_header_msgid(VSTRING *buf, time_t when,
				             const char *queue_id,
				             const char *hostname);
extern VSTRING *cleanup_header_from(VSTRING *buf, const char *name,
				            const char *sender_external,
				            bool obsolete);
extern bool cleanup_header_in_list(const char *name, size_t len,
				           const char *list);

#endif
