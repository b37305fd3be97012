/*
 * smtp_proto - helpers shared by the protocol phases (private to src/smtp)
 *
 * SYNOPSIS
 *	#include "smtp_proto.h"
 *
 *	void	smtp_chat_cmd(SMTP_SESSION *session, const char *fmt, ...);
 *	int	smtp_chat_flush(SMTP_SESSION *session);
 *	int	smtp_chat_error(SMTP_SESSION *session);
 *	const char *smtp_xtext(VSTRING *buf, const char *str);
 *	int	smtp_resp_ok(const SMTP_RESP *resp);
 *
 *	MAPS	*smtp_maps_get(SMTP_MAPS *lazy, int smtp_idx, int lmtp_idx);
 *	void	smtp_maps_reset(SMTP_MAPS *lazy);
 *
 * DESCRIPTION
 *	smtp_chat_cmd() queues one command line (CRLF added; a CR or LF
 *	inside, which only a corrupt queue file could bring, becomes a
 *	space with a warning) on the
 *	session stream without flushing it (the stream flushes before
 *	it waits for a reply, which is what makes pipelined commands
 *	go out in one write), logs it with session->debug, and adds it
 *	to the notify_classes transcript (smtp_notify_record()).
 *	smtp_chat_flush() sends what is queued: 0, or SMTP_ERR_EOF /
 *	SMTP_ERR_TIME. smtp_chat_error() tells which of the two a
 *	failed stream operation was.
 *
 *	smtp_xtext() encodes str as RFC 3461 xtext into buf.
 *	smtp_resp_ok() is true for a 2xx reply.
 *
 *	smtp_maps_get() and smtp_maps_reset() (smtp_session.c) open a
 *	table parameter on first use and close it.
 *
 *	The phases: smtp_proto.c (greeting, EHLO/HELO/LHLO, RSET,
 *	QUIT) and smtp_proto_xfer.c (the mail transaction, DATA and
 *	BDAT).
 */
#ifndef SMTP_PROTO_H
#define SMTP_PROTO_H

#include "sys_defs.h"
#include "vstring.h"
#include "maps.h"
#include "smtp_session.h"

/* A table parameter opened on first use (smtp_session.c). */
typedef struct SMTP_MAPS {
    MAPS   *maps;
    int     done;
} SMTP_MAPS;

extern MAPS *smtp_maps_get(SMTP_MAPS *lazy, int smtp_idx, int lmtp_idx);
extern void smtp_maps_reset(SMTP_MAPS *lazy);

extern void PRINTFLIKE(2, 3) smtp_chat_cmd(SMTP_SESSION *session,
					           const char *fmt,...);
extern int smtp_chat_flush(SMTP_SESSION *session);
extern int smtp_chat_error(SMTP_SESSION *session);
extern const char *smtp_xtext(VSTRING *buf, const char *str);

#define smtp_resp_ok(resp)	((resp)->code / 100 == 2)

#endif
