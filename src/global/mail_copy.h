/*
 * mail_copy - copy a queued message to a mailbox, file or pipe
 *
 * SYNOPSIS
 *	#include "mail_copy.h"
 *
 *	int	mail_copy(DELIVER_REQUEST *req, const char *delivered_to,
 *				const char *orig_to, VSTREAM *dst, int flags,
 *				const char *eol, DSN_BUF *why);
 *
 * DESCRIPTION
 *	mail_copy() reads req->fp's content (from req->data_offset: the
 *	L and P records up to X) and writes it to dst, with what flags
 *	ask for first (in this order, as Postfix's local(8) and pipe(8)
 *	write them):
 *
 *	MAIL_COPY_FROM		"From sender  date" (asctime form; sender
 *				"MAILER-DAEMON" for <>)
 *	MAIL_COPY_RETURN_PATH	"Return-Path: <sender>"
 *	MAIL_COPY_ORIG_RCPT	"X-Original-To: orig_to"
 *	MAIL_COPY_DELIVERED	"Delivered-To: delivered_to"
 *	MAIL_COPY_QUOTE		">From " for content lines that start
 *				"From " (mbox)
 *	MAIL_COPY_DOT		"." doubled at line start (SMTP/LMTP-like)
 *	MAIL_COPY_BLANK		an empty line at the end (mbox)
 *	MAIL_COPY_TOFILE	dst is a file: fflush and fsync before 0
 *
 *	eol is "\n" or "\r\n". Addresses are written as quote_822_local()
 *	makes them, without case folding (Postfix 3.7 writes
 *	"Delivered-To: NoBody@localhost" as the client sent it); an empty
 *	or NULL orig_to or delivered_to leaves its header out. The result
 *	is 0, or -1 with why set: a read error or damaged queue file
 *	("4.3.0", "error reading message: ..."), a write error ("5.2.2"
 *	for EFBIG/EDQUOT, else "4.3.0"; "error writing message: <error>").
 */
#ifndef MAIL_COPY_H
#define MAIL_COPY_H

#include "sys_defs.h"
#include "vstream.h"
#include "deliver_request.h"
#include "dsn.h"

#define MAIL_COPY_FROM		(1<<0)
#define MAIL_COPY_RETURN_PATH	(1<<1)
#define MAIL_COPY_DELIVERED	(1<<2)
#define MAIL_COPY_ORIG_RCPT	(1<<3)
#define MAIL_COPY_QUOTE		(1<<4)
#define MAIL_COPY_DOT		(1<<5)
#define MAIL_COPY_BLANK		(1<<6)
#define MAIL_COPY_TOFILE	(1<<7)
#define MAIL_COPY_MBOX		(MAIL_COPY_FROM | MAIL_COPY_QUOTE \
				 | MAIL_COPY_BLANK | MAIL_COPY_TOFILE)

extern int mail_copy(DELIVER_REQUEST *req, const char *delivered_to,
		             const char *orig_to, VSTREAM *dst, int flags,
		             const char *eol, DSN_BUF *why);

#endif
