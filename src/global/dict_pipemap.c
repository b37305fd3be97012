/*
 * dict_pipemap - a pipeline of lookup tables
 *
 * DESCRIPTION
 *	See dict_pipemap.h. Each intermediate result is copied before the
 *	next query, because a table's result is only valid until its next
 *	operation.
 */
#include "sys_defs.h"

#include "vstring.h"
#include "dict.h"
#include "dict_compose.h"
#include "dict_pipemap.h"

/* dict_pipemap_lookup - feed each result to the next table */
static const char *dict_pipemap_lookup(DICT *dict, const char *key)
{
    DICT_COMPOSE *dc = (DICT_COMPOSE *) dict;
    const char *result;
    size_t  n;

    vstring_strcpy(dc->buf, key);
    for (n = 0; n < dc->count; n++) {
	if ((result = dict_get(dc->maps[n], vstring_str(dc->buf))) == NULL) {
	    dict->error = dc->maps[n]->error;
	    return NULL;
	}
	vstring_strcpy(dc->buf, result);
    }
    return vstring_str(dc->buf);
}

/* dict_pipemap_open - open the pipeline */
DICT   *dict_pipemap_open(const char *name, int open_flags, int dict_flags)
{
    return dict_compose_open(DICT_TYPE_PIPEMAP, name, open_flags, dict_flags,
			     dict_pipemap_lookup);
}
