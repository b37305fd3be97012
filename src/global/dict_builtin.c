/*
 * dict_builtin - the lookup table drivers compiled into every program
 *
 * DESCRIPTION
 *	See dict_builtin.h. One line per driver: type name, open function
 *	(declared in the driver's header), and DICT_TYPE_FLAG_* properties.
 */
#include "sys_defs.h"

#include "dict.h"
#include "dict_builtin.h"
#include "dict_cdb.h"
#include "dict_lmdb.h"

static const struct {
    const char *type;
    DICT_OPEN_FN open_fn;
    int     type_flags;
} dict_builtin_table[] = {
    {DICT_TYPE_BTREE, dict_lmdb_btree_open, DICT_TYPE_FLAG_FILE},
    {DICT_TYPE_CDB, dict_cdb_open, DICT_TYPE_FLAG_FILE},
    {DICT_TYPE_HASH, dict_lmdb_hash_open, DICT_TYPE_FLAG_FILE},
    {DICT_TYPE_LMDB, dict_lmdb_open, DICT_TYPE_FLAG_FILE},
    {0, 0, 0},
};

/* dict_builtin_register - register every built-in driver */
void    dict_builtin_register(void)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(dict_builtin_table); n++)
	if (dict_builtin_table[n].type != NULL)
	    dict_open_register(dict_builtin_table[n].type,
			       dict_builtin_table[n].open_fn,
			       dict_builtin_table[n].type_flags);
}
