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
#include "dict_cidr.h"
#include "dict_environ.h"
#include "dict_fail.h"
#include "dict_ht.h"
#include "dict_inline.h"
#include "dict_lmdb.h"
#include "dict_nbdb.h"
#include "dict_pcre.h"
#include "dict_pipemap.h"
#include "dict_proxy.h"
#include "dict_randmap.h"
#include "dict_regexp.h"
#include "dict_static.h"
#include "dict_texthash.h"
#include "dict_unionmap.h"
#include "dict_unix.h"

static const struct {
    const char *type;
    DICT_OPEN_FN open_fn;
    int     type_flags;
} dict_builtin_table[] = {
    {DICT_TYPE_BTREE, dict_nbdb_btree_open, DICT_TYPE_FLAG_FILE},
    {DICT_TYPE_CDB, dict_cdb_open, DICT_TYPE_FLAG_FILE},
    {DICT_TYPE_CIDR, dict_cidr_open, DICT_TYPE_FLAG_READONLY | DICT_TYPE_FLAG_PATTERN},
    {DICT_TYPE_ENVIRON, dict_environ_open, DICT_TYPE_FLAG_NONE},
    {DICT_TYPE_FAIL, dict_fail_open, DICT_TYPE_FLAG_NONE},
    {DICT_TYPE_HASH, dict_nbdb_hash_open, DICT_TYPE_FLAG_FILE},
    {DICT_TYPE_HT, dict_ht_open, DICT_TYPE_FLAG_NONE},
    {DICT_TYPE_INLINE, dict_inline_open, DICT_TYPE_FLAG_READONLY | DICT_TYPE_FLAG_INLINE},
    {DICT_TYPE_LMDB, dict_lmdb_open, DICT_TYPE_FLAG_FILE},
    {DICT_TYPE_PCRE, dict_pcre_open, DICT_TYPE_FLAG_READONLY | DICT_TYPE_FLAG_PATTERN},
    {DICT_TYPE_PIPEMAP, dict_pipemap_open, DICT_TYPE_FLAG_READONLY | DICT_TYPE_FLAG_INLINE},
    {DICT_TYPE_PROXY, dict_proxy_open, DICT_TYPE_FLAG_NONE},
    {DICT_TYPE_RANDMAP, dict_randmap_open, DICT_TYPE_FLAG_READONLY | DICT_TYPE_FLAG_INLINE},
    {DICT_TYPE_REGEXP, dict_regexp_open, DICT_TYPE_FLAG_READONLY | DICT_TYPE_FLAG_PATTERN},
    {DICT_TYPE_STATIC, dict_static_open, DICT_TYPE_FLAG_READONLY},
    {DICT_TYPE_TEXTHASH, dict_texthash_open, DICT_TYPE_FLAG_READONLY},
    {DICT_TYPE_UNIONMAP, dict_unionmap_open, DICT_TYPE_FLAG_READONLY | DICT_TYPE_FLAG_INLINE},
    {DICT_TYPE_UNIX, dict_unix_open, DICT_TYPE_FLAG_READONLY},
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
