/*
 * maps - search a list of lookup tables
 *
 * DESCRIPTION
 *	See maps.h.
 */
#include "sys_defs.h"

#include <fcntl.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "dict.h"
#include "maps.h"

/* maps_create - open the tables of a list */
MAPS   *maps_create(const char *title, const char *map_names, int dict_flags)
{
    MAPS   *maps = mymalloc(sizeof(*maps));
    ARGV   *names = argv_split_quoted(map_names, CHARS_COMMA_SP, CHARS_BRACE);
    size_t  n;

    maps->title = mystrdup(title);
    maps->count = names->argc;
    maps->dicts = mymalloc((names->argc + 1) * sizeof(*maps->dicts));
    for (n = 0; n < names->argc; n++)
	maps->dicts[n] = dict_shared_open(names->argv[n], O_RDONLY, dict_flags);
    maps->error = DICT_ERR_NONE;
    argv_free(names);
    return maps;
}

/* maps_find - first result from the tables */
const char *maps_find(MAPS *maps, const char *key, int flags)
{
    const char *result;
    DICT   *dict;
    size_t  n;

    maps->error = DICT_ERR_NONE;
    if (*key == 0)
	return NULL;
    for (n = 0; n < maps->count; n++) {
	dict = maps->dicts[n];
	if (flags != 0 && (dict->flags & flags) == 0)
	    continue;
	if ((result = dict_get(dict, key)) != NULL) {
	    if (*result == 0) {
		msg_warn("%s lookup of %s returns an empty string result",
			 maps->title, excerpt(key));
		msg_warn("%s should return NO RESULT in case of NOT FOUND",
			 maps->title);
		maps->error = DICT_ERR_CONFIG;
		return NULL;
	    }
	    if (msg_verbose)
		msg_info("maps_find: %s: %s:%s: %s = %s", maps->title,
			 dict->type, dict->name, excerpt(key), excerpt(result));
	    return result;
	}
	if (dict->error != DICT_ERR_NONE) {
	    maps->error = dict->error;
	    msg_warn("%s:%s lookup error for \"%s\"", dict->type, dict->name,
		     excerpt(key));
	    return NULL;
	}
    }
    return NULL;
}

/* maps_free - close the tables */
MAPS   *maps_free(MAPS *maps)
{
    size_t  n;

    for (n = 0; n < maps->count; n++)
	dict_shared_close(maps->dicts[n]);
    myfree(maps->dicts);
    myfree(maps->title);
    myfree(maps);
    return NULL;
}
