/*
 * split_addr - split the address extension off a local part
 *
 * SYNOPSIS
 *	#include "split_addr.h"
 *
 *	char	*split_addr(char *localpart, const char *delimiters);
 *	char	*strip_addr(const char *address, const char *delimiters);
 *
 * DESCRIPTION
 *	split_addr() splits localpart in place at the first character
 *	that is in delimiters (the recipient_delimiter value: any of its
 *	characters separates the extension) and returns the extension
 *	(the text after that character), or NULL when there is nothing to
 *	split. It does not split: when delimiters is empty; the names
 *	postmaster, MAILER-DAEMON and the double_bounce_sender value
 *	(case-insensitive); "owner-..." and "...-request" when '-' is a
 *	delimiter and owner_request_special = yes (the default; old
 *	mailing list conventions); and never when the
 *	result would have an empty local part. A delimiter at the end
 *	gives an empty extension ("user+" splits into "user" and "").
 *
 *	strip_addr() applies split_addr() to the local part of address
 *	(the text before the last '@', or all of it) and returns a new
 *	string (myfree()) with the extension removed, or NULL when the
 *	address has no extension.
 */
#ifndef SPLIT_ADDR_H
#define SPLIT_ADDR_H

extern char *split_addr(char *localpart, const char *delimiters);
extern char *strip_addr(const char *address, const char *delimiters);

#endif
