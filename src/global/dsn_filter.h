/*
 * dsn_filter - the *_delivery_status_filter tables
 *
 * SYNOPSIS
 *	#include "dsn_filter.h"
 *
 *	DSN_FILTER *dsn_filter_create(const char *title,
 *				const char *map_names);
 *	const DSN *dsn_filter_lookup(DSN_FILTER *filter, const DSN *dsn);
 *	void	dsn_filter_free(DSN_FILTER *filter);
 *
 * DESCRIPTION
 *	A delivery status filter ($default_delivery_status_filter and the
 *	per-agent $local_, $pipe_, $virtual_..._delivery_status_filter)
 *	lets the administrator replace the status code or the text of a
 *	recipient's outcome (postconf(5)).
 *
 *	dsn_filter_create() opens the tables of map_names (maps(3); title
 *	names the parameter in messages). An empty list gives a filter
 *	that changes nothing.
 *
 *	dsn_filter_lookup() queries the tables with "<status> <reason>"
 *	of dsn. A result must have the same form: a valid status code, a
 *	space, and non-empty text; a success code (2.X.X) may only become
 *	another success code, a failure code (4.X.X, 5.X.X) only another
 *	failure code. It returns a DSN (owned by the filter, valid until
 *	the next lookup) with the new status, reason and the action that
 *	the new class implies (dsn's own action when the class stays),
 *	the other fields copied from dsn; or NULL when nothing matched,
 *	the result was refused (a warning), or a table failed (a warning
 *	from maps(3); the outcome then stays as it was).
 *
 * DIAGNOSTICS
 *	Warning: "<title>: ignoring bad replacement \"<result>\" for
 *	\"<query>\"".
 */
#ifndef DSN_FILTER_H
#define DSN_FILTER_H

#include "sys_defs.h"
#include "dsn.h"

typedef struct DSN_FILTER DSN_FILTER;

extern DSN_FILTER *dsn_filter_create(const char *title,
				             const char *map_names);
extern const DSN *dsn_filter_lookup(DSN_FILTER *filter, const DSN *dsn);
extern void dsn_filter_free(DSN_FILTER *filter);

#endif
