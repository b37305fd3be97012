/*
 * fuzz_nbdb_text - the text parsers of the non-Berkeley-DB migration
 *
 * DESCRIPTION
 *	The first input byte picks a parser, the rest is its input:
 *	0: table names of reindex requests (nbdb_safe_table()),
 *	1: non_bdb_custom_mapping (nbdb_redirect_choose()),
 *	2: table source sniffing (nbdb_sniff_aliases(), complete and cut),
 *	3: compatibility levels (compat_level_compare()).
 *	Checked: accepted table names are absolute and within the bound,
 *	a chosen type has an indexed-file suffix and is not hash or btree,
 *	comparisons are antisymmetric, and nothing reads past the input.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "compat_level.h"
#include "nbdb_redirect.h"
#include "nbdb_safe.h"
#include "nbdb_sniff.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    VSTRING *a = vstring_alloc(10);
    VSTRING *b = vstring_alloc(10);
    VSTRING *why = vstring_alloc(10);
    char   *text;
    char   *split;
    int     r1;
    int     r2;
    bool    ok1;
    bool    ok2;

    if (!init) {
	fuzz_quiet_init();
	init = true;
    }
    if (size == 0)
	goto done;
    text = mystrndup((const char *) data + 1, size - 1);
    switch (data[0] % 4) {
    case 0:
	if (nbdb_safe_table(text, a, b, why)
	    && (vstring_str(b)[0] != '/'
		|| VSTRING_LEN(b) > NBDB_SAFE_NAME_LIMIT))
	    abort();
	break;
    case 1:
	if (nbdb_redirect_choose(data[0] & 4 ? "btree" : "hash", text, "lmdb",
				 "cdb", a, why)
	    && (nbdb_redirect_suffix(vstring_str(a)) == NULL
		|| strcmp(vstring_str(a), "hash") == 0
		|| strcmp(vstring_str(a), "btree") == 0))
	    abort();
	break;
    case 2:
	(void) nbdb_sniff_aliases((const char *) data + 1, size - 1, true);
	(void) nbdb_sniff_aliases((const char *) data + 1, size - 1, false);
	break;
    default:
	if ((split = strchr(text, ' ')) != NULL) {
	    *split++ = 0;
	    ok1 = compat_level_compare(text, split, &r1);
	    ok2 = compat_level_compare(split, text, &r2);
	    if (ok1 != ok2 || (ok1 && r1 != -r2))
		abort();
	}
	break;
    }
    myfree(text);

done:
    vstring_free(a);
    vstring_free(b);
    vstring_free(why);
    return 0;
}
