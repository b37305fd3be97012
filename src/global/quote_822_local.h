/*
 * quote_822_local - quote or unquote the local part of a mail address
 *
 * SYNOPSIS
 *	#include "quote_822_local.h"
 *
 *	VSTRING	*quote_822_local(VSTRING *dst, const char *addr);
 *	VSTRING	*quote_822_local_flags(VSTRING *dst, const char *addr,
 *					int flags);
 *	VSTRING	*unquote_822_local(VSTRING *dst, const char *addr);
 *	VSTRING	*unquote_822_local_flags(VSTRING *dst, const char *addr,
 *					int flags);
 *	bool	quote_822_local_needed(const char *local, size_t len,
 *					int flags);
 *
 * DESCRIPTION
 *	An address has two forms. The internal form is what the queue,
 *	the lookup tables and the delivery agents use: the local part
 *	without any RFC 5322 quoting (john smith@example.com). The external
 *	form is what goes into SMTP commands and message headers: the local
 *	part quoted when it is not a valid dot-atom
 *	("john smith"@example.com).
 *
 *	quote_822_local() converts an internal-form address to external
 *	form. The address is split at its LAST '@': everything before it is
 *	the local part, everything after it the domain, which is copied
 *	unchanged. Without any '@' the whole input is the local part. The
 *	local part is put between double quotes when it is empty, when it
 *	starts or ends with '.', when it contains "..", or when it holds
 *	any byte outside RFC 5322 atext and '.'. Inside the quotes '"', '\',
 *	CR and LF get a backslash in front. The empty address (the null
 *	sender) stays empty.
 *
 *	unquote_822_local() converts external form to internal form: in the
 *	part before the last '@' that is outside double quotes, the quote
 *	characters are removed and a backslash inside quotes is replaced by
 *	the byte after it. A backslash outside quotes is kept. The domain is
 *	copied unchanged.
 *
 *	The _flags() variants take a bit mask:
 * .IP QUOTE_FLAG_8BITCLEAN
 *	Bytes with the high bit set count as atext (RFC 6532, SMTPUTF8), so
 *	they alone do not cause quoting. Without this flag they do (strict
 *	RFC 5322). Ignored by unquote.
 * .IP QUOTE_FLAG_APPEND
 *	Append to dst instead of replacing its content.
 * .IP QUOTE_FLAG_BARE_LOCALPART
 *	The input is a local part only: do not look for '@'. An empty local
 *	part is quoted as "".
 * .IP QUOTE_FLAG_STRIP_BARE_AT
 *	Drop a final '@' that has an empty domain after it ("user@" becomes
 *	"user"). By default it is kept. Ignored by unquote.
 * .PP
 *	QUOTE_FLAG_DEFAULT (QUOTE_FLAG_8BITCLEAN) is what quote_822_local()
 *	uses; unquote_822_local() uses QUOTE_FLAG_NONE.
 *
 *	quote_822_local_needed() reports whether a local part of len bytes
 *	must be quoted under the given flags (only QUOTE_FLAG_8BITCLEAN
 *	matters).
 *
 *	Each function returns dst, always null terminated.
 *
 *	For an address without CR or LF and without a source route,
 *	unquote_822_local(quote_822_local(x)) == x. The reverse does not
 *	hold in general: the internal form loses the difference between
 *	an '@' inside quotes and an '@' outside, so "a@b" (external) and
 *	a@b (external) have the same internal form a@b.
 *
 *	This module does not parse comments, phrases, route addresses or
 *	source routes ("@a,@b:user@c" is quoted as if "@a,@b:user" were
 *	the local part); use tok822(3) for header and SMTP address text.
 *	It does not check that the domain is valid.
 *
 * DIAGNOSTICS
 *	None. Every input is accepted.
 */
#ifndef QUOTE_822_LOCAL_H
#define QUOTE_822_LOCAL_H

#include "sys_defs.h"
#include "vstring.h"

#define QUOTE_FLAG_NONE			0
#define QUOTE_FLAG_8BITCLEAN		(1<<0)
#define QUOTE_FLAG_APPEND		(1<<1)
#define QUOTE_FLAG_BARE_LOCALPART	(1<<2)
#define QUOTE_FLAG_STRIP_BARE_AT	(1<<3)
#define QUOTE_FLAG_DEFAULT		QUOTE_FLAG_8BITCLEAN

extern VSTRING *quote_822_local_flags(VSTRING *dst, const char *addr, int flags);
extern VSTRING *unquote_822_local_flags(VSTRING *dst, const char *addr, int flags);
extern bool quote_822_local_needed(const char *local, size_t len, int flags);

#define quote_822_local(dst, addr) \
	quote_822_local_flags((dst), (addr), QUOTE_FLAG_DEFAULT)
#define unquote_822_local(dst, addr) \
	unquote_822_local_flags((dst), (addr), QUOTE_FLAG_NONE)

#endif
