/*
 * dict_unionmap - the combined results of several lookup tables
 *
 * DESCRIPTION
 *	See dict_unionmap.h.
 */
#include "sys_defs.h"

#include "vstring.h"
#include "dict.h"
#include "dict_compose.h"
#include "dict_unionmap.h"

/* dict_unionmap_lookup - query every table, join the results */
static const char *dict_unionmap_lookup(DICT *dict, const char *key)
{
    DICT_COMPOSE *dc = (DICT_COMPOSE *) dict;
    const char *result;
    size_t  n;

    VSTRING_RESET(dc->buf);
    for (n = 0; n < dc->count; n++) {
	if ((result = dict_get(dc->maps[n], key)) != NULL) {
	    if (VSTRING_LEN(dc->buf) > 0)
		VSTRING_ADDCH(dc->buf, ',');
	    vstring_strcat(dc->buf, result);
	} else if (dc->maps[n]->error != DICT_ERR_NONE) {
	    dict->error = dc->maps[n]->error;
	    return NULL;
	}
    }
    VSTRING_TERMINATE(dc->buf);
    return VSTRING_LEN(dc->buf) > 0 ? vstring_str(dc->buf) : NULL;
}

/* dict_unionmap_open - open the tables */
DICT   *dict_unionmap_open(const char *name, int open_flags, int dict_flags)
{
    return dict_compose_open(DICT_TYPE_UNIONMAP, name, open_flags, dict_flags,
			     dict_unionmap_lookup);
}
