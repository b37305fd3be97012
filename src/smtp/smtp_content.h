/*
 * smtp_content - the message content and addresses as the client sends them
 *
 * SYNOPSIS
 *	#include "smtp_content.h"
 *
 *	typedef int (*SMTP_CONTENT_OUT) (void *context, const char *data,
 *				ssize_t len);
 *
 *	int	smtp_content_send(SMTP_STATE *state, int flags,
 *				SMTP_CONTENT_OUT out, void *context,
 *				DSN_BUF *why);
 *	int	smtp_content_needs_downgrade(SMTP_STATE *state);
 *	void	smtp_content_init(void);
 *	void	smtp_content_reset(void);
 *
 *	const char *smtp_map_envelope(SMTP_STATE *state, const char *addr,
 *				VSTRING *buf);
 *	const char *smtp_quote_envelope(const char *addr, VSTRING *buf);
 *
 * DESCRIPTION
 *	smtp_content_send() reads the message content of the request's
 *	queue file (state->src, from the M record at
 *	request->data_offset to the end of the content) and hands it
 *	to out() as lines ending in CRLF, in pieces of at most a few
 *	kilobytes. On the way it applies, as Postfix's client does:
 *	smtp_generic_maps to the addresses in the address headers,
 *	smtp_header_checks, smtp_mime_header_checks,
 *	smtp_nested_header_checks and smtp_body_checks (only the
 *	actions that do not change the delivery: IGNORE, REPLACE,
 *	PREPEND, WARN, INFO, DUNNO, OK; others are logged as
 *	unsupported and ignored), breaks lines longer than
 *	smtp_line_length_limit as Postfix breaks them, and with flags:
 *	  SMTP_CONTENT_DOT	 dot-stuff lines (DATA; not for BDAT)
 *	  SMTP_CONTENT_DOWNGRADE convert 8-bit MIME parts to quoted-
 *				 printable (src/mime: the server lacks
 *				 8BITMIME, the message is 8-bit, and
 *				 disable_mime_output_conversion = no),
 *				 within mime_nesting_limit and
 *				 mime_boundary_length_limit.
 *	It does not write the end-of-data dot. It returns 0 when all
 *	content went out; SMTP_ERR_EOF or SMTP_ERR_TIME when out()
 *	returned that (the connection broke); SMTP_ERR_DATA after a
 *	warning when the queue file cannot be read or is damaged, or a
 *	smtp_*_checks table lookup failed (the caller reports "local
 *	data error while talking to NAME[ADDR]", 4.3.0, as Postfix does:
 *	smtp_stream_except()); -1 with why "5.6.0 MIME nesting exceeds
 *	safety limit" when a message to be converted nests deeper than
 *	mime_nesting_limit (Postfix bounces it). why gets a 4.3.0 text
 *	for SMTP_ERR_DATA too. After any non-zero result part of the
 *	content may have gone out: the caller must not send the
 *	end-of-data dot; it drops the session (as Postfix does: the
 *	server never sees the end of the data). A failing
 *	smtp_generic_maps table is fatal, as in Postfix (smtp_generic(3)).
 *	smtp_content_needs_downgrade() tells whether the request's
 *	content would be converted for the current session: the message
 *	may be 8-bit, the server offers neither 8BITMIME nor SMTPUTF8
 *	(Postfix sends 8-bit mail as it is to a server that offers
 *	SMTPUTF8 only), and conversion is enabled. smtp_proto omits SIZE
 *	then, as Postfix does. A message of unknown encoding (no BODY=
 *	from the client, so no "encoding" attribute) may be 8-bit:
 *	Debian's Postfix 3.7 omits SIZE for it too (observed); only
 *	BODY=7BIT mail without detected 8-bit content keeps SIZE.
 *	Converting such a message changes nothing unless a part declares
 *	8bit or binary.
 *
 *	smtp_content_init() opens the check and generic tables at once
 *	(the daemon's pre-init step, before chroot and privilege changes,
 *	as Postfix opens its tables); otherwise they are opened on first
 *	use. smtp_content_reset() closes them; the next use opens them
 *	again (tests).
 *	smtp_map_envelope() maps an envelope address through
 *	smtp_generic_maps (the original address when no entry matches;
 *	one lookup, as Postfix does; the null sender stays null; a
 *	failing table is fatal, as in Postfix);
 *	smtp_quote_envelope() quotes the local part when
 *	smtp_quote_rfc821_envelope = yes and it needs quoting
 *	(quote_822_local(3)).
 *
 *	smtp_generic.c holds these two; smtp_checks.c the check tables.
 */
#ifndef SMTP_CONTENT_H
#define SMTP_CONTENT_H

#include <sys/types.h>

#include "sys_defs.h"
#include "vstring.h"
#include "smtp.h"

#define SMTP_CONTENT_DOT	(1<<0)
#define SMTP_CONTENT_DOWNGRADE	(1<<1)

typedef int (*SMTP_CONTENT_OUT) (void *context, const char *data, ssize_t len);

extern int smtp_content_send(SMTP_STATE *state, int flags,
			             SMTP_CONTENT_OUT out, void *context,
			             DSN_BUF *why);
extern int smtp_content_needs_downgrade(SMTP_STATE *state);
extern void smtp_content_init(void);
extern void smtp_content_reset(void);
extern const char *smtp_map_envelope(SMTP_STATE *state, const char *addr,
				             VSTRING *buf);
extern const char *smtp_quote_envelope(const char *addr, VSTRING *buf);

#endif
