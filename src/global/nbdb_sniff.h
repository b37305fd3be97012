/*
 * nbdb_sniff - tell an aliases(5) source file from a postmap(1) source file
 *
 * SYNOPSIS
 *	#include "nbdb_sniff.h"
 *
 *	bool	nbdb_sniff_aliases(const char *text, size_t len, bool complete);
 *	bool	nbdb_sniff_stream(VSTREAM *fp);
 *
 * DESCRIPTION
 *	A legacy hash: table is rebuilt by postalias(1) when its source is
 *	an aliases file and by postmap(1) otherwise. Nothing in the table
 *	name says which; the source text does.
 *
 *	nbdb_sniff_aliases() looks at the logical lines of text (comment,
 *	blank and continuation lines skipped, as readlline(3) reads them),
 *	at most NBDB_SNIFF_ENTRY_LIMIT entries. It returns true when there
 *	is at least one entry and every entry has the aliases form: a name
 *	(quoted with "...", or up to the first colon or whitespace) followed
 *	at once by a colon, where the rest of the first word has no further
 *	colon (so "2001:db8::1 REJECT" is not an alias). When complete is
 *	false, text was cut off and its last line is ignored.
 *
 *	nbdb_sniff_stream() reads at most NBDB_SNIFF_BYTE_LIMIT bytes of
 *	fp and applies nbdb_sniff_aliases(). A read error counts as "not
 *	an aliases file".
 *
 * DIAGNOSTICS
 *	None.
 */
#ifndef NBDB_SNIFF_H
#define NBDB_SNIFF_H

#include "sys_defs.h"
#include "vstream.h"

#define NBDB_SNIFF_ENTRY_LIMIT	100
#define NBDB_SNIFF_BYTE_LIMIT	65536

extern bool nbdb_sniff_aliases(const char *text, size_t len, bool complete);
extern bool nbdb_sniff_stream(VSTREAM *fp);

#endif
