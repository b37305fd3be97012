/*
 * fuzz_local_list - feed arbitrary bytes through local(8)'s list splitter
 *
 * DESCRIPTION
 *	The input is an alias value or a .forward file (NUL bytes end it,
 *	as they end a C string read from a table). local_list_next()
 *	splits it into destinations; each one is classified and split as
 *	an address the way local(8) would. Checked: the splitter ends,
 *	returns no more items than the input has bytes plus one, every
 *	item lies inside the buffer, and address splitting agrees with
 *	itself (user is a prefix of the lowercased local part).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "mail_conf.h"
#include "local.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    char   *copy;
    char   *cp;
    char   *item;
    size_t  count = 0;
    LOCAL_ADDR addr;

    if (!init) {
	fuzz_quiet_init();
	/* split_addr(3) never splits this name. */
	mail_conf_update("double_bounce_sender", "double-bounce");
	init = true;
    }
    copy = mystrndup((const char *) data, size);
    cp = copy;
    while ((item = local_list_next(&cp)) != 0) {
	if (++count > size + 1)
	    abort();
	if (item < copy || item > copy + size || cp < item
	    || cp > copy + size)
	    abort();
	(void) local_token_kind(item);
	local_addr_split(&addr, item, "+-");
	if (strncmp(addr.local, addr.user, strlen(addr.user)) != 0)
	    abort();
	local_addr_free(&addr);
    }
    myfree(copy);
    return 0;
}
