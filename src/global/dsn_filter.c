/*
 * dsn_filter - the *_delivery_status_filter tables
 *
 * SYNOPSIS
 *	See dsn_filter.h.
 *
 * DESCRIPTION
 *	A thin layer over maps(3) and dsn_split(3): the query and the
 *	result are both "code text".
 *
 * DIAGNOSTICS
 *	See dsn_filter.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "excerpt.h"
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "dict.h"
#include "dsn.h"
#include "dsn_filter.h"
#include "dsn_split.h"
#include "maps.h"

struct DSN_FILTER {
    MAPS   *maps;			/* NULL: empty filter */
    VSTRING *query;
    VSTRING *status;
    VSTRING *reason;
    DSN     result;
};

/* dsn_filter_create - open the tables */
DSN_FILTER *dsn_filter_create(const char *title, const char *map_names)
{
    DSN_FILTER *filter = mymalloc(sizeof(*filter));

    filter->maps = (map_names && *map_names) ?
	maps_create(title, map_names, DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX)
	: NULL;
    filter->query = vstring_alloc(100);
    filter->status = vstring_alloc(10);
    filter->reason = vstring_alloc(100);
    return filter;
}

/* dsn_filter_success - is a status a success code */
static bool dsn_filter_success(const char *status)
{
    return status[0] == '2';
}

/* dsn_filter_lookup - a replacement outcome, or NULL */
const DSN *dsn_filter_lookup(DSN_FILTER *filter, const DSN *dsn)
{
    const char *value;
    const char *text;

    if (filter->maps == NULL)
	return NULL;
    vstring_sprintf(filter->query, "%s %s", dsn->status, dsn->reason);
    if ((value = maps_find(filter->maps, vstring_str(filter->query), 0))
	== NULL)
	return NULL;
    text = dsn_split(value, "", filter->status);
    if (VSTRING_LEN(filter->status) == 0 || *text == 0
	|| dsn_filter_success(vstring_str(filter->status))
	!= dsn_filter_success(dsn->status)) {
	msg_warn("%s: ignoring bad replacement \"%s\" for \"%s\"",
		 filter->maps->title, excerpt(value),
		 excerpt(vstring_str(filter->query)));
	return NULL;
    }
    vstring_strcpy(filter->reason, text);
    filter->result = *dsn;
    filter->result.status = vstring_str(filter->status);
    filter->result.reason = vstring_str(filter->reason);
    if (filter->result.status[0] != dsn->status[0])
	filter->result.action = dsn_action_of(filter->result.status);
    return &filter->result;
}

/* dsn_filter_free - close the tables */
void    dsn_filter_free(DSN_FILTER *filter)
{
    if (filter->maps)
	maps_free(filter->maps);
    vstring_free(filter->query);
    vstring_free(filter->status);
    vstring_free(filter->reason);
    myfree(filter);
}
