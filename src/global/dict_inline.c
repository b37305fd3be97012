/*
 * dict_inline - lookup table written in its own name
 *
 * DESCRIPTION
 *	See dict_inline.h. The entries are loaded into an in-memory table
 *	(dict_ht(3)) that carries the "inline" type name.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "dict.h"
#include "dict_ht.h"
#include "split_qnameval.h"
#include "dict_inline.h"

/* dict_inline_open - parse "{ key=value ... }" */
DICT   *dict_inline_open(const char *name, int open_flags, int dict_flags)
{
    ssize_t len;
    char   *saved;
    char   *cp;
    char   *entry;
    char   *key;
    char   *value;
    const char *err = NULL;
    DICT   *dict;

    if ((len = balpar(name, CHARS_BRACE)) == 0 || name[len] != 0 || len < 3)
	return dict_surrogate(DICT_TYPE_INLINE, name, open_flags, dict_flags,
			      "bad syntax: \"%s:%s\"; need \"%s:{name=value...}\"",
			      DICT_TYPE_INLINE, excerpt(name), DICT_TYPE_INLINE);
    cp = saved = mystrndup(name + 1, len - 2);
    dict = dict_ht_create(DICT_TYPE_INLINE, name, open_flags, dict_flags, false);
    while ((entry = mystrtokq(&cp, CHARS_COMMA_SP, CHARS_BRACE)) != NULL) {
	if (*entry == CHARS_BRACE[0]
	    && (err = extpar(&entry, CHARS_BRACE, EXTPAR_FLAG_STRIP)) != NULL)
	    break;
	if ((err = split_qnameval(entry, &key, &value)) != NULL)
	    break;
	(void) dict_ht_insert(dict, dict_fold_key(dict, key), value, true);
    }
    if (err == NULL && dict_ht_count(dict) == 0)
	err = "empty table";
    if (err != NULL) {
	dict_close(dict);
	dict = dict_surrogate(DICT_TYPE_INLINE, name, open_flags, dict_flags,
			      "%s: \"%s:%s\"; need \"%s:{name=value...}\"",
			      err, DICT_TYPE_INLINE, excerpt(name),
			      DICT_TYPE_INLINE);
    }
    myfree(saved);
    return dict;
}
