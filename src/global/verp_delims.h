/*
 * verp_delims - the two VERP delimiter characters
 *
 * SYNOPSIS
 *	#include "verp_delims.h"
 *
 *	const char *verp_delims_check(const char *delims, size_t len);
 *	const char *verp_delims_default(void);
 *
 * DESCRIPTION
 *	A VERP request (SMTP "MAIL FROM:<a> XVERP=xy", "sendmail -XVxy",
 *	a queue file's V record) names two delimiter characters that qmgr
 *	will use to build "sender-local<x>rcpt-local<y>rcpt-domain@sender-
 *	domain"; both must be characters of $verp_delimiter_filter.
 *
 *	verp_delims_check() checks the len bytes of delims and returns
 *	NULL when they are good, else Postfix's reason: "bad VERP
 *	delimiter character count", "bad first VERP delimiter character",
 *	"bad second VERP delimiter character". A null byte is never good.
 *
 *	verp_delims_default() returns $default_verp_delimiters after the
 *	same check.
 *
 *	What it does not do: decide who may ask for VERP (smtpd's
 *	smtpd_authorized_verp_clients), or build VERP addresses (qmgr).
 *
 * DIAGNOSTICS
 *	verp_delims_default(): fatal "bad string length N > 2:
 *	default_verp_delimiters = value" (from the parameter table), or
 *	"file <dir>/main.cf: parameters default_verp_delimiters and
 *	verp_delimiter_filter: <reason>", Postfix's words.
 */
#ifndef VERP_DELIMS_H
#define VERP_DELIMS_H

#include "sys_defs.h"

extern const char *verp_delims_check(const char *delims, size_t len);
extern const char *verp_delims_default(void);

#endif
