/*
 * flush_log - the per-destination logs of flush(8)
 *
 * SYNOPSIS
 *	#include "flush_log.h"
 *
 *	const char *flush_log_path(VSTRING *buf, const char *site);
 *	bool	flush_log_append(const char *path, const char *queue_id,
 *				VSTRING *why);
 *	ARGV	*flush_log_take(const char *path, VSTRING *why);
 *	size_t	flush_log_parse(VSTREAM *fp, ARGV *ids, size_t limit);
 *
 * DESCRIPTION
 *	A destination's log is the file $queue_directory/flush/<name>
 *	(paths here are relative to the queue directory), one queue ID
 *	per line, appended to while mail for the destination is
 *	deferred and emptied when its delivery is requested (ETRN,
 *	postqueue -s). <name> is the site in lower case with each "."
 *	replaced by "_" ("example.com" -> "example_com", as Postfix
 *	names them).
 *
 *	flush_log_path() checks the site (flush_site_ok() of
 *	flush_clnt(3): a host name or an address literal) and writes the
 *	log's path into buf; NULL when the site is not valid.
 *
 *	flush_log_append() appends "queue_id\n" in one write under an
 *	exclusive flock(), creating the file (mode 0600) when needed.
 *	false with the reason in why on failure.
 *
 *	flush_log_take() reads the log under an exclusive flock(),
 *	empties it, sets its access time (the "last read" time that the
 *	refresh request uses), and returns its distinct queue IDs in log
 *	order (an empty list for a missing or empty log). NULL with the
 *	reason in why when the log cannot be opened, locked, read or
 *	emptied; then it is left as it was.
 *
 *	flush_log_parse() reads a log's lines from fp and adds each
 *	distinct valid queue ID to ids, at most limit of them; it
 *	returns the number of lines that were skipped.
 *
 * DIAGNOSTICS
 *	flush_log_parse() warns, at most once per log, "<path>: line
 *	<n>: <what>, skipped" for a line that is not a queue ID (too
 *	long, bad characters, empty), and "<path>: more than <limit>
 *	queue IDs, the rest is dropped".
 */
#ifndef FLUSH_LOG_H
#define FLUSH_LOG_H

#include "sys_defs.h"
#include "argv.h"
#include "vstream.h"
#include "vstring.h"

#define FLUSH_LOG_LINE_MAX	100	/* longer lines are not queue IDs */
#define FLUSH_LOG_ID_LIMIT	100000	/* distinct IDs taken from one log */

extern const char *flush_log_path(VSTRING *buf, const char *site);
extern bool flush_log_append(const char *path, const char *queue_id,
			             VSTRING *why);
extern ARGV *flush_log_take(const char *path, VSTRING *why);
extern size_t flush_log_parse(VSTREAM *fp, ARGV *ids, size_t limit);

#endif
